"""HTML → PDF through headless Chromium (Debian's chromium; scripts/bootstrap.sh installs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..atomic import write_atomic
from ..errors import UsageError

TIMEOUT = 120


class PdfError(UsageError):
    """No Chromium, or Chromium failed to print: exit 2."""


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html_text: str, out: Path) -> None:
    """Print ``html_text`` to ``out`` (written atomically: never half a PDF)."""
    write_atomic(Path(out), html_to_pdf_bytes(html_text), overwrite=True)


def html_to_pdf_bytes(html_text: str) -> bytes:
    """The PDF Chromium prints of ``html_text``."""
    exe = chromium()
    if exe is None:
        raise PdfError("找不到 Chromium，无法生成 PDF：请运行 scripts/bootstrap.sh（或 apt-get install chromium "
                       "fonts-noto-cjk），也可以先用 --html 生成网页再用浏览器打印")
    with tempfile.TemporaryDirectory(prefix="dangan-pdf-") as tmp:
        src, pdf = Path(tmp) / "form.html", Path(tmp) / "form.pdf"
        src.write_text(html_text, "utf-8")
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-extensions", f"--user-data-dir={tmp}/profile",
               "--no-pdf-header-footer", f"--print-to-pdf={pdf}", src.as_uri()]
        env = dict(os.environ, HOME=tmp)  # chromium writes caches under $HOME
        try:
            p = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, env=env, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium 生成 PDF 超时（{TIMEOUT} 秒）") from None
        if p.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            tail = p.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise PdfError("Chromium 生成 PDF 失败：" + (" / ".join(tail) or f"退出码 {p.returncode}"))
        return pdf.read_bytes()
