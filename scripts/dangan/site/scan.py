"""The post-build scan of the output directory: no external address, no full ID number.

What is looked at:
- external addresses: every URL-carrying attribute (as parsed from a real start tag) of HTML/SVG files (``src``, ``href``,
  ``srcset``, …), inline ``style`` and ``<style>`` blocks, and ``url()``/``@import`` in CSS
  files. External = ``http(s)://``, any other ``scheme://`` or protocol-relative ``//``,
  unless it points at the site itself (``site_url``); ``javascript:`` addresses are refused too.
  URL-looking strings inside JavaScript bundles are not scanned; the one bundle fetch that
  page content can trigger (Material loads mermaid from unpkg.com for a ``<pre class="mermaid">``)
  is reported as an external address.
- ID numbers: any run of 17 digits followed by a digit or X, in every text file (gzip
  files are read decompressed); and in the text a page shows (markup removed, references decoded)
  and the strings a JSON file or data script (``datafile.py``) holds, an ID written with spaces or hyphens, in full-width digits,
  or split across inline markup (``privacy.find_ids``).
- scripts not ours: a ``<script>`` whose ``src`` is not a file of the site itself, or whose inline
  text is not one of the theme's own inline scripts (``application/json`` data blocks are inert);
  and any event-handler attribute (``onclick=``, ``onerror=`` …) in a tag — the site writes none.
- family members' names (``scan_names``): every name given, anywhere in a text file, JSON read
  (and data scripts) with its escapes decoded and the search plugin's word separators (U+200B) removed.
- a unit's own site (``scan_people``): no other unit's cadre by 姓名 or 编号, in any file's text (read as
  ``scan_names`` reads it) or name. The pages written by people (the manual, docs/) may name what their own
  source names (its examples, C000005, 张华): there, and in their entries of MkDocs' search index, a hit is
  excused when the manual's source text holds it; everywhere else nothing is excused.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import re
from collections.abc import Collection, Set
from dataclasses import dataclass
from pathlib import Path

from ..privacy import find_ids, mask_id
from .datafile import read_script
from .html import visible
from .manual import URI as MANUAL_URI

SCANNER = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()  # a verdict kept for an unchanged file (direct.py)
#                                                                   holds for this version of the scanner only

_URL_ATTRS = frozenset(("src", "href", "srcset", "action", "formaction", "poster", "data", "background",
                        "xlink:href", "ping", "manifest", "icon", "longdesc", "cite"))
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.\-]*:)?[\\/]{2}", re.I)  # browsers read \\ as //
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
        if self.kind == "外来脚本":
            return f"{self.where}：不是本站自己的脚本“{self.value[:80]}”"
        if self.kind == "事件属性":
            return f"{self.where} 中有事件属性“{self.value[:80]}”"
        if self.kind == "身份证号":
            return f"完整的身份证号“{self.value}”"
        if self.kind == "家属姓名":
            return f"家庭成员的姓名“{self.value}”"
        if self.kind == "其他单位":
            return f"其他管档单位干部的{self.where}“{self.value}”"
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


# A start tag as a browser tokenises it (quoted values may hold ">"); text never holds one, because the
# site writes every "<" of a value as "&lt;". Attributes are then read one after another as the standard
# library's HTMLParser reads them, so "src=//…" inside another attribute's value or in text is never an attribute.
_START_TAG = re.compile(r"""<([a-zA-Z][^\s/>]*)((?:"[^"]*"|'[^']*'|[^'">])*)>""")
_ATTRFIND = re.compile(r"""((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*""")
_URL_OR_STYLE = _URL_ATTRS | {"imagesrcset", "style"}
_SUSPECT = re.compile(r"[a-z][a-z0-9+.\-]*:|[\\/]{2}", re.I)  # what _EXTERNAL or _SCRIPT_URL could match
_MERMAID_PRE = re.compile(r"""<pre\b[^>]*?\sclass\s*=\s*(?:"[^"]*\bmermaid\b[^"]*"|'[^']*\bmermaid\b[^']*'|mermaid\b)""", re.I)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.I | re.S)


def _attributes(source: str):
    """(tag, attribute name, decoded value or None) of every start tag, scripts' and comments' insides included."""
    for tag in _START_TAG.finditer(source):
        name = tag.group(1).lower()
        for a in _ATTRFIND.finditer(" " + tag.group(2)):
            value = a.group(3)
            if value is not None:
                if value[:1] == value[-1:] and value[:1] in ("'", '"') and len(value) > 1:
                    value = value[1:-1]
                value = html.unescape(value)
            yield name, a.group(1).lower(), value


def _scan_markup(scanner: _Scanner, source: str, rel: str, out: list[Hit], events: bool = True):
    """Attributes, ``<style>`` blocks and mermaid blocks of an HTML/SVG file.

    Regular expressions rather than a full HTML parser (a 5,000-page site is scanned in seconds), but
    attributes are read in order inside real tags: escaped text never trips the scan. Anything that
    looks like a tag inside a script or a comment is scanned too: a false alarm fails the build, a miss
    would not.
    """
    for tag, name, value in _attributes(source):
        if events and value is not None and name.startswith("on") and name[2:].isalpha() and len(name) > 2:
            out.append(Hit(rel, "事件属性", f"<{tag}>", name))
            continue
        if name not in _URL_OR_STYLE or value is None:
            continue
        if name not in ("style", "srcset", "imagesrcset") and not _SUSPECT.match(_clean(value)):
            continue  # the common case (a relative address) needs no more work
        if name == "style":
            scanner.check_css(value, f"<{tag} style>", rel, out)
        elif name in ("srcset", "imagesrcset"):
            for part in value.split(","):
                if part.strip():
                    scanner.check_url(part.split()[0], f"<{tag} {name}>", rel, out)
        else:
            scanner.check_url(value, f"<{tag} {name}>", rel, out)
    if _MERMAID_PRE.search(source):
        out.append(Hit(rel, "外部地址", "<pre class=\"mermaid\">（Material 会下载 mermaid）", MERMAID))
    for m in _STYLE.finditer(source):
        scanner.check_css(html.unescape(m.group(1)), "<style>", rel, out)


_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
_SCRIPT_SRC = re.compile(r"""[\s"'/]src\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_SCRIPT_TYPE = re.compile(r"""[\s"'/]type\s*=\s*["']?application/(?:ld\+)?json["']?""", re.I)
_THEMES: list[re.Pattern] | None = None


def _theme_scripts() -> list[re.Pattern]:
    """The inline scripts of the installed Material theme's templates; ``{{ … }}`` matches any quoted text."""
    global _THEMES
    if _THEMES is None:
        patterns = []
        try:
            import material

            templates = Path(material.__file__).parent / "templates"
            for f in sorted(templates.rglob("*.html")):
                for m in _SCRIPT.finditer(f.read_text("utf-8", "replace")):
                    body = m.group(2).strip()
                    if body and "{%" not in body and "googletagmanager" not in body:
                        parts = re.split(r"\{\{.*?\}\}", body)
                        patterns.append(re.compile('[^"<>]*'.join(map(re.escape, parts))))
        except ImportError:  # no theme installed: no inline script is ours
            pass
        _THEMES = patterns
    return _THEMES


def _scan_scripts(source: str, path: Path, site_dir: Path, rel: str, out: list[Hit]):
    for m in _SCRIPT.finditer(source):
        attrs, body = m.group(1), m.group(2).strip()
        if _SCRIPT_TYPE.search(attrs):
            continue  # a data block (Material's __config): never executed
        src = _SCRIPT_SRC.search(attrs)
        if src:
            url = _clean(html.unescape(next(g for g in src.groups() if g is not None)))
            target = (site_dir / url.lstrip("/")) if url.startswith("/") else (path.parent / url.split("?")[0])
            inside = not _SUSPECT.match(url) and target.resolve().is_relative_to(site_dir.resolve())
            if not (inside and target.is_file() and not body):
                out.append(Hit(rel, "外来脚本", "<script src>", url))
        elif body and not any(p.fullmatch(body) for p in _theme_scripts()):
            out.append(Hit(rel, "外来脚本", "<script>", body))


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


def _files(site_dir: Path, skip: Set[str]):
    """(path, rel) of every file of the site but those in ``skip`` (unchanged since they passed: direct.py)."""
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(site_dir).as_posix()
        if rel not in skip:
            yield path, rel


_PARALLEL_MIN = 400  # files: below this a second process costs more than it saves


def scan_site(site_dir: Path, site_url: str | None = None, skip: Set[str] = frozenset(), jobs: int | None = None
              ) -> list[Hit]:
    """External addresses, foreign scripts, event attributes and full ID numbers in the site's files; a cold
    build of thousands of pages scans them on both cores (each file alone: the hits are the same)."""
    files = list(_files(site_dir, skip))
    jobs = jobs or min(os.cpu_count() or 1, 4)
    if len(files) < _PARALLEL_MIN or jobs < 2:
        return _scan_files(site_dir, site_url, files)
    from concurrent.futures import ProcessPoolExecutor

    size = max(50, len(files) // (jobs * 4))
    batches = [files[i:i + size] for i in range(0, len(files), size)]
    with ProcessPoolExecutor(jobs) as pool:
        found = pool.map(_scan_files, [site_dir] * len(batches), [site_url] * len(batches), batches)
        return [h for batch in found for h in batch]


def _scan_files(site_dir: Path, site_url: str | None, files: list[tuple[Path, str]]) -> list[Hit]:
    scanner = _Scanner(site_url)
    hits: list[Hit] = []
    for path, rel in files:
        text = _read_text(path)
        if text is None:
            continue
        name = path.name.lower().removesuffix(".gz")
        if name.endswith(_MARKUP):
            _scan_markup(scanner, text, rel, hits)
            if not path.name.endswith(".gz"):
                _scan_scripts(text, path, site_dir, rel, hits)
        elif name.endswith(".css"):
            scanner.check_css(text, "CSS", rel, hits)
        hits.extend(_ids(text, name, rel))
    return hits


def _strings(value, out: list[str]) -> list[str]:
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            out.append(k)
            _strings(v, out)
    elif isinstance(value, list):
        for v in value:
            _strings(v, out)
    return out


def _data(text: str, name: str) -> str | None:
    """The JSON text of a data file: a .json file, or a data script (datafile.py) read back as its JSON."""
    if name.endswith(".json"):
        return text
    return read_script(text) if name.endswith(".js") else None


def _ids(text: str, name: str, rel: str) -> list[Hit]:
    """ID numbers in a file: in its raw text, and in what it shows (markup) or holds (JSON), however written."""
    found = {mask_id(m.group()) for m in _ID.finditer(text)}
    readable = None
    if name.endswith(_MARKUP):
        readable = visible(text)
    elif (data := _data(text, name)) is not None:
        try:  # the search indexes, roster data: \u escapes decoded, markup inside the strings too
            readable = "\n".join(visible(s) for s in _strings(json.loads(data), []))
        except (ValueError, RecursionError):
            readable = None
    if readable:
        for _start, _end, positions in find_ids(readable, strict=True):
            found.add(mask_id("".join(readable[p] for p in positions)))
    return [Hit(rel, "身份证号", "", v) for v in sorted(found)]


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")


def _mask_name(name: str) -> str:
    return name[0] + "*" * (len(name) - 1)


def scan_names(site_dir: Path, names: set[str], skip: Set[str] = frozenset()) -> list[Hit]:
    """Files whose text contains one of ``names`` (reported masked: 郝**).

    Each distinct run of Chinese characters is looked at once, however many pages repeat it.
    """
    names = {n for n in names if len(n) >= 2}
    if not names:
        return []
    lengths = sorted({len(n) for n in names})
    verdict: dict[str, list[str]] = {}  # run → the names inside it
    hits: list[Hit] = []
    for path, rel in _files(site_dir, skip):
        content = _read_text(path)
        if content is None:
            continue
        data = _data(content, path.name.lower().removesuffix(".gz"))
        if data is not None:
            try:
                content = json.dumps(json.loads(data), ensure_ascii=False)
            except (ValueError, RecursionError):
                pass
        content = content.replace("\u200b", "")
        found: set[str] = set()
        for run in set(_HAN_RUN.findall(content)):
            inside = verdict.get(run)
            if inside is None:
                inside = verdict[run] = sorted({run[i:i + k] for k in lengths for i in range(len(run) - k + 1)} & names)
            found.update(inside)
        hits.extend(Hit(rel, "家属姓名", "", _mask_name(n)) for n in sorted(found))
    return hits


_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9]{3,15}(?![A-Za-z0-9])")  # the shape of a 编号 (repo.NUMBER)
SEARCH_INDEX = "search/search_index.json"
MANUAL_JS = MANUAL_URI.removesuffix(".json") + ".js"  # the search index again, for file:// (site/manual.py)


def _location(entry) -> str:
    """The page of one entry of MkDocs' search index ({"location": …}) or of its copy for file:// ([location, …])."""
    location = entry.get("location", "") if isinstance(entry, dict) else entry[0] if isinstance(entry, list) and entry else ""
    return str(location).split("#")[0]


def _readable(path: Path, rel: str, authored_urls: set[str]) -> tuple[str, str] | None:
    """(text of generated content, text of authored content) of one output file, escapes decoded. Of the search
    index (and its copy for file://, ``MANUAL_JS``) the entries of authored pages are authored content."""
    content = _read_text(path)
    if content is None:
        return None
    data = _data(content, path.name.lower().removesuffix(".gz"))
    if data is not None:
        try:
            value = json.loads(data)
            written: list = []
            if rel == SEARCH_INDEX and isinstance(value, dict) and isinstance(value.get("docs"), list):
                written = [d for d in value["docs"] if _location(d) in authored_urls]
                value = [value.get("config"), [d for d in value["docs"] if _location(d) not in authored_urls]]
            elif rel == MANUAL_JS and isinstance(value, list):
                written = [e for e in value if _location(e) in authored_urls]
                value = [e for e in value if _location(e) not in authored_urls]
            return (json.dumps(value, ensure_ascii=False).replace("\u200b", ""),
                    json.dumps(written, ensure_ascii=False).replace("\u200b", ""))
        except (ValueError, RecursionError):
            pass
    return content.replace("\u200b", ""), ""


_PACKAGE = Path(__file__).resolve().parents[1]


def wording(schema_dir: Path) -> str:
    """The project's own wording: every run of Chinese characters in dangan's code (page text, messages) and in
    the schema files (policy, code tables), one per line. A name inside such a run (任平 in 新任平均分) is the
    site's own words, the same on every unit's site, not a person."""
    runs: set[str] = set()
    files = [*_PACKAGE.rglob("*.py"), *(p for p in schema_dir.glob("*") if p.suffix in (".yaml", ".yml", ".json"))]
    for path in files:
        try:
            runs.update(_HAN_RUN.findall(path.read_text("utf-8", "replace")))
        except OSError:
            continue
    return "\n".join(sorted(runs))


def _found(content: str, names: set[str], lengths: list[int], numbers: set[str], verdict: dict,
           words: str) -> set[tuple[str, str]]:
    out = {("编号", t) for t in _TOKEN.findall(content) if t in numbers}
    for run in set(_HAN_RUN.findall(content)):
        inside = verdict.get(run)
        if inside is None:
            inside = sorted({run[i:i + k] for k in lengths for i in range(len(run) - k + 1)} & names)
            if inside and run not in names and run in words:  # a name alone is a name; inside the site's words, not
                inside = []
            verdict[run] = inside
        out.update(("姓名", n) for n in inside)
    return out


def scan_people(site_dir: Path, names: set[str], numbers: set[str], authored: dict[str, str], source: str,
                words: str = "", skip: Collection[str] = frozenset()) -> list[Hit]:
    """Files of a unit's own site holding another unit's cadre: a 姓名 of ``names`` or a 编号 of ``numbers``
    in their text or their path (names reported masked: 郝**).

    ``authored``: output path of each page written by people (``manual/site/index.html``) → its address
    (``manual/site/``); in those pages, and in their entries of MkDocs' search index, what ``source`` (the
    text of every page written by people) holds is excused. ``words``: the project's own wording (``wording``);
    a name inside one of its runs is not looked for there. ``skip``: files that passed this very scan unchanged
    (direct.Writer's manifest): only their paths are looked at.
    """
    names = {n for n in names if len(n) >= 2}
    lengths = sorted({len(n) for n in names})
    urls = set(authored.values())
    verdict: dict[str, list[str]] = {}
    excused = {("编号", t) for t in _TOKEN.findall(source) if t in numbers} | {
        ("姓名", n) for n in names if n in source}
    hits: list[Hit] = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(site_dir).as_posix()
        found = {("编号", t) for t in _TOKEN.findall(rel) if t in numbers}
        read = None if rel in skip else _readable(path, rel, urls)
        if read is not None:
            generated, written = read
            if rel in authored:
                generated, written = "", generated
            found |= _found(generated, names, lengths, numbers, verdict, words)
            found |= _found(written, names, lengths, numbers, verdict, words) - excused
        hits.extend(Hit(rel, "其他单位", kind, _mask_name(v) if kind == "姓名" else v) for kind, v in sorted(found))
    return hits
