"""The dossier pages and forms written from the page shell (scripts/dangan/site/direct.py), in a real `mkdocs build`.

They must be the very bytes MkDocs itself writes for the same pages (DANGAN_SITE_NO_SHELL=1 sends them through
MkDocs); a rebuild with nothing changed rewrites none of them (their files keep their times); a changed dossier
rewrites its own page only; a removed dossier's page and form are gone.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from test_site import BIN, _env

pytestmark = pytest.mark.slow


def _build(repo: Path, out: Path, **env: str) -> None:
    p = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-d", str(out)], cwd=repo, env=_env() | env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]


def _times(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns
            for top in ("dossier", "form", "pretrial") for p in (site / top).rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("direct") / "repo"
    p = subprocess.run([str(BIN / "dangan"), "generate", "--count", "30", "--out", str(root), "--seed", "5"],
                       env=_env(), capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return root


def test_shell_pages_are_what_mkdocs_writes(repo, tmp_path):
    _build(repo, tmp_path / "mkdocs", DANGAN_SITE_NO_SHELL="1")
    _build(repo, tmp_path / "shell")
    ours, theirs = _times(tmp_path / "shell"), _times(tmp_path / "mkdocs")
    assert set(ours) == set(theirs) and len([r for r in ours if r.startswith("dossier/")]) == 30
    for rel in theirs:
        assert (tmp_path / "shell" / rel).read_bytes() == (tmp_path / "mkdocs" / rel).read_bytes(), rel
    page = (tmp_path / "shell" / "dossier" / "C000001" / "index.html").read_text("utf-8")
    assert "<title>档案 C000001 - " in page and "DANGAN-SHELL" not in page
    assert not (tmp_path / "shell" / "dangan-shell").exists()


def test_rebuild_rewrites_only_what_changed(repo, tmp_path):
    site = tmp_path / "site"
    _build(repo, site)
    before = _times(site)
    _build(repo, site)
    assert _times(site) == before  # nothing changed: no page or form written again
    assert not (tmp_path / ".site.kept").exists()
    shards = repo / ".dangan-cache" / "site-cache"
    cached = {p.name: p.stat().st_mtime_ns for p in shards.glob("*.json")}
    assert len(cached) > 10  # 30 dossiers spread over the shards
    dossier = repo / "dossiers" / "C000002.yaml"
    text = dossier.read_text("utf-8")
    dossier.write_text(re.sub(r"(?m)^现任职务: .*$", "现任职务: 市测试局副局长", text, count=1), "utf-8")
    (repo / "dossiers" / "C000003.yaml").unlink()
    try:
        _build(repo, site)
        after = _times(site)
        changed = {rel for rel in after if after[rel] != before.get(rel)}
        assert "dossier/C000002/index.html" in changed
        assert changed <= {"dossier/C000002/index.html", "form/C000002.html", "pretrial/C000002/index.html"}, changed
        assert "市测试局副局长" in (site / "dossier" / "C000002" / "index.html").read_text("utf-8")
        assert "dossier/C000003/index.html" not in after and "form/C000003.html" not in after
        assert not (site / "dossier" / "C000003").exists()
        rewritten = {p.name for p in shards.glob("*.json") if p.stat().st_mtime_ns != cached.get(p.name)}
        assert 1 <= len(rewritten) + len(set(cached) - {p.name for p in shards.glob("*.json")}) <= 2, rewritten
    finally:
        dossier.write_text(text, "utf-8")
        subprocess.run(["git", "checkout", "--", "dossiers"], cwd=repo, capture_output=True)
