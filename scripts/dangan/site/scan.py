"""The post-build scan of the output directory: no external address, no full ID number.

What is looked at:
- external addresses: every URL-carrying attribute of HTML/SVG files (``src``, ``href``,
  ``srcset``, …), inline ``style`` and ``<style>`` blocks, and ``url()``/``@import`` in CSS
  files. External = ``http(s)://``, any other ``scheme://`` or protocol-relative ``//``,
  unless it points at the site itself (``site_url``); ``javascript:`` addresses are refused too.
  URL-looking strings inside JavaScript bundles are not scanned; the one bundle fetch that
  page content can trigger (Material loads mermaid from unpkg.com for a ``<pre class="mermaid">``)
  is reported as an external address.
- ID numbers: any run of 17 digits followed by a digit or X, in every text file (gzip
  files are read decompressed).
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..privacy import mask_id

_URL_ATTRS = frozenset(("src", "href", "srcset", "action", "formaction", "poster", "data", "background",
                        "xlink:href", "ping", "manifest", "icon", "longdesc", "cite"))
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.\-]*:)?//", re.I)
_SCRIPT_URL = re.compile(r"^(?:javascript|vbscript):", re.I)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"]*?))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
_ID = re.compile(r"(?<![0-9０-９])[0-9０-９]{17}[0-9０-９XxＸｘ]")
_MARKUP = (".html", ".htm", ".svg", ".xhtml")
_MAX_BYTES = 64 << 20


MERMAID = "https://unpkg.com/mermaid@11/dist/mermaid.min.js"


@dataclass(frozen=True)
class Hit:
    path: str  # relative to the output directory
    kind: str  # 外部地址 | 脚本地址 | 身份证号
    where: str  # which attribute or construct ("" for ID numbers)
    value: str  # already safe to print (IDs masked)

    def what(self) -> str:
        """The finding without the file: hits are grouped by this in messages."""
        if self.kind == "身份证号":
            return f"完整的身份证号“{self.value}”"
        if self.kind == "脚本地址":
            return f"{self.where} 中有脚本地址“{self.value[:80]}”"
        return f"{self.where} 引用了外部地址“{self.value[:120]}”"


def _clean(url: str) -> str:
    """What a browser would see: entities are already decoded; drop whitespace and controls."""
    return re.sub(r"[\x00-\x20\x7f]+", "", url)


class _Scanner:
    def __init__(self, site_url: str | None):
        self.site_url = (site_url or "").rstrip("/")

    def check_url(self, url: str, where: str, rel: str, out: list[Hit]):
        clean = _clean(url)
        if _SCRIPT_URL.match(clean):
            out.append(Hit(rel, "脚本地址", where, clean))
        elif _EXTERNAL.match(clean):
            if self.site_url and (clean == self.site_url or clean.startswith(self.site_url + "/")):
                return
            out.append(Hit(rel, "外部地址", where, clean))

    def check_css(self, css: str, where: str, rel: str, out: list[Hit]):
        for m in _CSS_URL.finditer(css):
            url = next(g for g in m.groups() if g is not None)
            kind = "@import" if m.group(0).lstrip().startswith("@") else "url()"
            self.check_url(url, f"{where} {kind}", rel, out)


class _Markup(HTMLParser):
    def __init__(self, scanner: _Scanner, rel: str, out: list[Hit]):
        super().__init__(convert_charrefs=True)
        self.scanner, self.rel, self.out = scanner, rel, out
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        if tag == "pre" and "mermaid" in (dict(attrs).get("class") or "").split():
            self.out.append(Hit(self.rel, "外部地址", "<pre class=\"mermaid\">（Material 会下载 mermaid）", MERMAID))
        for name, value in attrs:
            if value is None:
                continue
            if name == "style":
                self.scanner.check_css(value, f"<{tag} style>", self.rel, self.out)
            elif name == "srcset" or name == "imagesrcset":
                for part in value.split(","):
                    if part.strip():
                        self.scanner.check_url(part.split()[0], f"<{tag} {name}>", self.rel, self.out)
            elif name in _URL_ATTRS:
                self.scanner.check_url(value, f"<{tag} {name}>", self.rel, self.out)
        self.in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.scanner.check_css(data, "<style>", self.rel, self.out)


def _read_text(path: Path) -> str | None:
    """A file's text (gzip files decompressed), or None for binary files (fonts, images)."""
    try:
        if path.suffix == ".gz":
            with gzip.open(path) as fh:
                raw = fh.read(_MAX_BYTES)
        else:
            raw = path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile):
        return None
    if b"\0" in raw[:8192]:
        return None
    return raw.decode("utf-8", "replace")  # a stray non-UTF-8 byte must not hide an ID number


def scan_site(site_dir: Path, site_url: str | None = None) -> list[Hit]:
    scanner = _Scanner(site_url)
    hits: list[Hit] = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        text = _read_text(path)
        if text is None:
            continue
        rel = path.relative_to(site_dir).as_posix()
        name = path.name.lower().removesuffix(".gz")
        if name.endswith(_MARKUP):
            parser = _Markup(scanner, rel, hits)
            parser.feed(text)
            parser.close()
        elif name.endswith(".css"):
            scanner.check_css(text, "CSS", rel, hits)
        hits.extend(Hit(rel, "身份证号", "", mask_id(m.group())) for m in _ID.finditer(text))
    return hits
