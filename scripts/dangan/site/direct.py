"""The site's many pages (one per dossier, its 任免审批表 and its 任前审核), written by us from a
captured page shell instead of going through MkDocs one by one.

Why: MkDocs renders each page through Material's whole template (≈ 40 ms a page on this machine: Markdown,
Jinja, navigation) and keeps every page in memory until the end; at 50,000 dossiers that is most of the build
and of its memory. These pages are all alike (two folders deep, not in the navigation, out of the search
index), so MkDocs renders one page, the shell, and every page is the shell with its own title and body:
the same HTML (tests/test_site_direct.py compares it with MkDocs' own rendering of the same page). A 任前审核
page has a table of contents: its sections are the same on every such page, so its shell (``REVIEW``) is rendered
with those headings and carries the same table of contents.

And why it keeps what did not change: ``mkdocs build`` empties the site folder before it builds. The folders
written here are moved aside before that (``keep``), back after the build, and a page whose bytes did not
change is neither rewritten (its file keeps its time: a copy to the server sends only what changed) nor
scanned again (its verdict is in the manifest, which is saved only after a scan that passed). Each page comes
with a key of what it is made from (``Direct.key``: the dossier's blob, its findings, its trail, the code…);
when the manifest holds the same key under the same shell, the page is not even made again.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import markdown
from mkdocs.utils.meta import get_data

from . import deferred

SHELL_URI = "dangan-shell/page.md"  # as deep as dossier/<编号>/: relative links are the same
SHELL_DIR = "dangan-shell"
SHELL_TITLE = "DANGAN-SHELL-TITLE"
SHELL_BODY = "DANGAN-SHELL-BODY"
SHELL_PAGE = f"---\ntitle: {SHELL_TITLE}\nsearch:\n  exclude: true\nhide:\n  - toc\n---\n\n<h1>{SHELL_TITLE}</h1>\n\n{SHELL_BODY}\n"
PAGE, REVIEW = "page", "review"  # the shells: a page without, and a 任前审核 page with its table of contents
FOLDERS = ("dossier", "form", "pretrial")  # everything written here lives in these
MANIFEST = ".dangan-pages.json"
OFF_ENV = "DANGAN_SITE_NO_SHELL"  # =1: these pages go through MkDocs like any other (for comparison)
VERSION = 3  # of the manifest and the way pages are put together (3: digests in base64)
_H2 = re.compile(r'<h2 id="([^"]*)"')
_TOC = re.compile(r'<a href="#([^"]*)" class="md-nav__link">')
_H1 = re.compile(r'<h1 id="([^"]*)"')
_ADDRESS = re.compile(r" at 0x[0-9a-f]+")  # a function's repr (a slugify in mdx_configs) differs in every process
_TITLE_ANCHOR = f'"#{SHELL_TITLE.lower()}"'  # the shell's heading's anchor (the skip link points to it)


def _stored(h) -> str:
    """A digest as the manifest keeps it: base64, not hex — 40 hex digits now and then hold a run of 18 digits
    that the post-build scan rightly takes for a 身份证号 (the manifest is in the output folder and scanned)."""
    return base64.urlsafe_b64encode(h.digest()).decode().rstrip("=")


def shell_pages(review_sections: Iterable[str]) -> list[tuple[str, str, str]]:
    """The shells' Markdown pages for MkDocs to render: (which shell, path under docs/, page)."""
    # a Markdown heading, as on the pages: MkDocs' table of contents then nests the sections under it
    review = SHELL_PAGE.replace(f"<h1>{SHELL_TITLE}</h1>", f"# {SHELL_TITLE}").replace(
        SHELL_BODY, SHELL_BODY + "".join(f"\n\n## {t}" for t in review_sections))
    return [(PAGE, SHELL_URI, SHELL_PAGE), (REVIEW, f"{SHELL_DIR}/review.md", review)]


@dataclass(frozen=True)
class Direct:
    """One page or file written here: its path under docs/, what it is made from (same key, same page), how to
    make it (only called when the key changed), and which shell holds it."""

    uri: str
    key: str
    make: Callable[[], str | bytes]
    shell: str = PAGE


def kept_dir(site_dir: Path) -> Path:
    """Where the folders wait while MkDocs empties the site folder: beside it (a rename, not a copy)."""
    return site_dir.parent / f".{site_dir.name}.kept"


def keep(site_dir: Path) -> None:
    """Before MkDocs cleans the site folder: move our folders and the manifest aside.

    A kept folder left by a build that failed is used as it is (the site folder was emptied since)."""
    kept = kept_dir(site_dir)
    for name in (*FOLDERS, MANIFEST):
        src = site_dir / name
        if not src.exists():
            continue
        kept.mkdir(exist_ok=True)
        dst = kept / name
        if dst.is_dir():
            shutil.rmtree(dst)
        elif dst.exists():
            dst.unlink()
        try:
            os.replace(src, dst)
        except OSError:  # another file system: nothing kept, every page written again
            return


def restore(site_dir: Path) -> dict:
    """After MkDocs built: our folders back into the site folder; the manifest of the last good build."""
    kept = kept_dir(site_dir)
    manifest: dict = {}
    if not kept.is_dir():
        return manifest
    for name in FOLDERS:
        src, dst = kept / name, site_dir / name
        if src.is_dir() and not dst.exists():
            os.replace(src, dst)
    try:
        manifest = json.loads((kept / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        manifest = {}
    shutil.rmtree(kept, ignore_errors=True)
    return manifest if isinstance(manifest, dict) and manifest.get("version") == VERSION else {}


class Shell:
    """Material's page around one body: MkDocs' rendering of SHELL_PAGE, split where the body goes."""

    def __init__(self, output: str, content: str, url: str):
        if output.count(content) != 1:
            raise ValueError("页面外壳中找不到正文（主题改动了页面结构）")
        head, tail = output.split(content)
        self.url = url
        self.head = head.split(SHELL_TITLE)
        self.tail = tail.split(SHELL_TITLE)
        self.toc = _TOC.findall(head)  # the sections its table of contents links to
        self.digest = hashlib.sha1(output.encode()).hexdigest()

    def page(self, title: str, body: str, url: str) -> str:
        if self.toc and _H2.findall(body) != self.toc:
            raise ValueError(f"{url}：页面的章节与页面外壳的目录不同（{'、'.join(self.toc)}）")
        t = html.escape(title, quote=True)
        head = t.join(self.head)
        if _TITLE_ANCHOR in head:
            top = _H1.search(body)
            head = head.replace(_TITLE_ANCHOR, f'"#{top.group(1)}"' if top else '"#"')
        out = head + body + t.join(self.tail)
        return out.replace(self.url, url) if self.url in out else out


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def _html(uri: str) -> str:
    """dossier/C000001.md → dossier/C000001/index.html (use_directory_urls)."""
    return uri.removesuffix(".md") + "/index.html" if uri.endswith(".md") else uri


class Writer:
    """Turns generated pages into files: Markdown pages into the shell, other files as they are."""

    def __init__(self, site_dir: Path, shells: dict[str, Shell], config, manifest: dict, scan_key: str):
        self.site_dir = site_dir
        self.shells = shells
        self.md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
        # what every page depends on besides its own key: the shell it sits in and the Markdown it is converted by
        markdown_config = _ADDRESS.sub("", f"{config.markdown_extensions!r}\0{config.mdx_configs!r}")
        self.made_by = {name: hashlib.sha1(f"{shell.digest}\0{markdown_config}".encode()).hexdigest()
                        for name, shell in shells.items()}
        self.old: dict = manifest.get("files", {})
        self.same_scan = manifest.get("scan") == scan_key  # else every file is scanned again
        self.scan_key = scan_key
        self.files: dict[str, list] = {}
        self.scanned: set[str] = set()  # not rewritten, and passed the same scan last time

    def render(self, uri: str, content: str | bytes, shell: str = PAGE) -> bytes:
        if not uri.endswith(".md") or not isinstance(content, str):
            return content if isinstance(content, bytes) else content.encode()
        body, meta = get_data(content)
        body, blocks = deferred.split(body)
        out = self.md.reset().convert(body)
        out = deferred.restore(out, blocks)
        url = uri.removesuffix(".md") + "/"
        return self.shells[shell].page(str(meta.get("title") or ""), out, url).encode()

    def write_all(self, generated: Iterable[Direct]) -> None:
        for item in generated:
            rel = _html(item.uri)
            key = _stored(hashlib.sha1(f"{self.made_by[item.shell]}\0{item.key}".encode()))
            path = self.site_dir / rel
            old = self.old.get(rel)
            if old and old[2:] == [key] and _size(path) == old[1]:  # made from the same things: not made again
                self._same(rel)
                self.files[rel] = old
                continue
            data = self.render(item.uri, item.make(), item.shell)
            digest = _stored(hashlib.sha1(data))
            if old and old[:2] == [digest, len(data)] and _size(path) == len(data):
                self._same(rel)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            self.files[rel] = [digest, len(data), key]
        self._remove_stale()
        shutil.rmtree(self.site_dir / SHELL_DIR, ignore_errors=True)

    def _same(self, rel: str) -> None:
        if self.same_scan:
            self.scanned.add(rel)

    def _remove_stale(self) -> None:
        """Files the last build wrote and this one did not: a dossier removed. Only those: a file some other
        part of the build wrote in these folders is not ours to remove."""
        for rel in sorted(set(self.old) - set(self.files)):
            path = self.site_dir / rel
            if path.is_file():
                path.unlink()
            folder = path.parent
            while folder != self.site_dir and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent

    def save(self, passed: bool) -> None:
        """What was written, for the next build; the scan's key only if it passed (else all is scanned again)."""
        data = {"version": VERSION, "scan": self.scan_key if passed else "", "files": self.files}
        (self.site_dir / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _stable(value):
    """A value whose repr is the same in every process (a set's order is not: hash randomisation)."""
    if isinstance(value, (set, frozenset)):
        return sorted(map(repr, value))
    if isinstance(value, (list, tuple)):
        return [_stable(v) for v in value]
    if isinstance(value, dict):
        return sorted((repr(k), _stable(v)) for k, v in value.items())
    return value


def scan_key(*parts) -> str:
    """What a verdict of the output scan depends on besides the file: the scanner and the names it looks for."""
    h = hashlib.sha1(str(VERSION).encode())
    for part in parts:
        h.update(b"\0" + repr(_stable(part)).encode())
    return _stored(h)
