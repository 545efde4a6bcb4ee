"""The internal site: the real ``mkdocs build --strict``, on the project and on hostile copies of it.

A copy holds what the site needs (mkdocs.yml, docs/, schema/, the hook file) and a few dossiers,
one of them carrying Markdown, HTML and template payloads in the fields the site shows
(姓名, 管档单位) and in free-text fields it does not (现任职务, 熟悉专业有何专长).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dangan.load import load_file
from dangan.privacy import mask_id
from dangan.site.pages import text
from dangan.site.scan import scan_site

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TODAY = "2026.11.25"
HOOK = "scripts/dangan/site/hook.py"
ID_RUN = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx]")
# The sample number of GB 11643 (not a real person), assembled so no 18-digit run sits in this file.
SAMPLE_ID = "110105194912" + "31002X"

XSS = '<script>alert("dangan-xss")</script>'
PAYLOADS = {
    "姓名": f"{XSS}{{ onclick=x }}",
    "管档单位": '# 伪造标题\n--8<-- "/etc/passwd"\n\n[a](javascript:alert(1)) {{ x }} <b onmouseover="alert(1)">粗</b>',
    "现任职务": f"不显示甲 {{{{ x }}}} {XSS} [a](javascript:alert(1)) # 伪造标题",
    "熟悉专业有何专长": '不显示乙 { onclick=x } <img src=x onerror=alert(1)> --8<-- "x.md"',
}
NOT_SHOWN = ("不显示甲", "不显示乙")  # the site shows 编号, 姓名 and 管档单位 of a dossier, nothing else


# ---------------------------------------------------------------- helpers

def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["DANGAN_TODAY"] = TODAY
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    env.pop("DANGAN_ROOT", None)
    return env


def mkdocs_build(root: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-d", str(out)], cwd=root, env=_env(),
                          capture_output=True, text=True, timeout=300)


def dangan_counts(root: Path) -> tuple[int, int]:
    """(errors, warnings) by the real CLI, for comparison with the home page."""
    p = subprocess.run([str(BIN / "dangan"), "check", "--format", "json", "--no-cache"], cwd=root, env=_env(),
                       capture_output=True, text=True, timeout=300)
    assert p.returncode in (0, 1), p.stderr
    findings = json.loads(p.stdout)
    errors = sum(f["severity"] == "错误" for f in findings)
    return errors, len(findings) - errors


class Page(HTMLParser):
    """Elements with their attributes and text, as a browser would see them."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.open: list[dict] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": attrs, "text": ""}
        self.elements.append(el)
        if tag not in ("br", "img", "input", "link", "meta", "hr", "source", "path"):
            self.open.append(el)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({"tag": tag, "attrs": attrs, "text": ""})

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i]["tag"] == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        for el in self.open:
            el["text"] += data

    def find(self, tag=None, **attrs):
        return [e for e in self.elements if (tag is None or e["tag"] == tag)
                and all(dict(e["attrs"]).get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def value(self, name: str) -> int:
        (el,) = self.find("span", data_dangan=name)
        return int(el["text"])


def site_pages(site: Path) -> dict[str, Page]:
    return {p.relative_to(site).as_posix(): Page(p.read_text("utf-8")) for p in site.rglob("*.html")}


def assert_no_external_url(pages: dict[str, Page]):
    for rel, page in pages.items():
        for el in page.elements:
            for name, value in el["attrs"]:
                if name in ("src", "href", "srcset", "action") and value:
                    assert not re.match(r"\s*(?:[a-z][a-z0-9+.-]*:)?//", value, re.I), (rel, el["tag"], name, value)


def assert_no_full_id(site: Path):
    for path in site.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            if b"\0" in raw[:8192]:
                continue  # fonts, images
            hit = ID_RUN.search(raw.decode("utf-8", "replace"))
            assert hit is None, f"{path.relative_to(site)}: {mask_id(hit.group())}"


def copy_repo(dst: Path, dossiers: list[tuple[str, bytes]]) -> Path:
    """A dossier repository with only what the site needs; the hook file at its configured path."""
    dst.mkdir()
    for name in ("schema", "docs"):
        shutil.copytree(PROJECT / name, dst / name)
    shutil.copy(PROJECT / "mkdocs.yml", dst / "mkdocs.yml")
    (dst / HOOK).parent.mkdir(parents=True)
    shutil.copy(PROJECT / HOOK, dst / HOOK)
    (dst / "dossiers").mkdir()
    for name, raw in dossiers:
        (dst / "dossiers" / name).write_bytes(raw)
    return dst


def source_dossiers() -> list[Path]:
    found = sorted((PROJECT / "dossiers").glob("*.yaml"))[:2]
    return found or [PROJECT / "tests" / "data" / "valid.yaml"]


def hostile_dossier(number: str) -> bytes:
    """A copy of a project dossier with the payloads, written as JSON (a YAML flow document)."""
    data = load_file(source_dossiers()[0]).data
    data["编号"] = number
    data.update(PAYLOADS)
    text_ = "# yaml-language-server: $schema=../schema/dossier.schema.json\n"
    return (text_ + json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# ---------------------------------------------------------------- fast unit tests

@pytest.mark.parametrize("value", [*PAYLOADS.values(), "a & b", "'\"", "\\*x*\\", "王建国", "C000001"])
def test_text_is_inert_and_faithful(value):
    out = text(value)
    assert html.unescape(out) == value
    bare = re.sub(r"&#[0-9]+;", "", out)  # what is left outside character references
    assert not set(bare) & set("&<>\"'{}[]()#*_`|!:=~^$\\\n\r"), out


def _write(site: Path, rel: str, content: str):
    (site / rel).parent.mkdir(parents=True, exist_ok=True)
    (site / rel).write_text(content, "utf-8")


def test_scan_finds_external_addresses_and_ids(tmp_path):
    site = tmp_path / "site"
    _write(site, "index.html", '<link rel="stylesheet" href="//cdn.example/x.css">'
                               '<a href="https://intra.example/site/p/">self</a><img srcset="a.png 1x, http://x/b.png 2x">'
                               '<a href=" javascript:alert(1)">x</a><div style="background:url(\'https://x/y.png\')"></div>'
                               '<pre class="mermaid">graph</pre><svg xmlns="http://www.w3.org/2000/svg"></svg>')
    _write(site, "assets/a.css", '@import "https://fonts.example/f.css"; .x{background:url(data:image/png;base64,AA)}')
    _write(site, "assets/b.js", f'var u="https://api.example/"; var id="{SAMPLE_ID}";')
    hits = scan_site(site, "https://intra.example/site/")
    found = {(h.path, h.kind, h.value) for h in hits}
    assert found == {
        ("index.html", "外部地址", "//cdn.example/x.css"),
        ("index.html", "外部地址", "http://x/b.png"),
        ("index.html", "脚本地址", "javascript:alert(1)"),
        ("index.html", "外部地址", "https://x/y.png"),
        ("index.html", "外部地址", "https://unpkg.com/mermaid@11/dist/mermaid.min.js"),
        ("assets/a.css", "外部地址", "https://fonts.example/f.css"),
        ("assets/b.js", "身份证号", mask_id(SAMPLE_ID)),
    }


def test_docs_name_every_finding_code():
    """Every code the program can emit has a row in the code table, and the table has no stale rows."""
    source = "\n".join(p.read_text("utf-8") for p in (PROJECT / "scripts" / "dangan").rglob("*.py"))
    emitted = set(re.findall(r"""["']([LSRCX][0-9]{3})["']""", source))
    assert len(emitted) > 50
    doc = (PROJECT / "docs" / "manual" / "codes.md").read_text("utf-8")
    rows = set(re.findall(r"^\| ([LSRCX][0-9]{3}) \|", doc, re.M))
    assert sorted(emitted - rows) == [], "问题代码表缺少这些代码"
    assert sorted(rows - emitted) == [], "问题代码表中有程序已不再使用的代码"


def test_docs_name_every_top_level_key_and_check_option():
    schema = json.loads((PROJECT / "schema" / "dossier.schema.json").read_text("utf-8"))
    fmt = (PROJECT / "docs" / "manual" / "dossier-format.md").read_text("utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([^`]+)` \|.*$", fmt, re.M)}
    for key, prop in schema["properties"].items():  # one row per key, in the schema's own words
        assert key in rows, key
        assert f"| {prop.get('title', key)} |" in rows[key] and prop.get("description", "") in rows[key], key
    from dangan.cli import check

    manual = (PROJECT / "docs" / "manual" / "check.md").read_text("utf-8")
    options = [o for p in check.params for o in p.opts if o.startswith("--")]
    assert [o for o in options if f"`{o}" not in manual] == []


# ---------------------------------------------------------------- real builds

def test_project_site_builds(tmp_path):
    site = tmp_path / "site"
    p = mkdocs_build(PROJECT, site)
    assert p.returncode == 0, p.stderr
    pages = site_pages(site)
    assert {"index.html", "overview/index.html", "manual/index.html", "manual/codes/index.html"} <= set(pages)
    home = pages["index.html"]
    assert home.value("dossiers") == len(list((PROJECT / "dossiers").glob("*.y*ml")))
    assert (home.value("errors"), home.value("warnings")) == dangan_counts(PROJECT)
    assert_no_external_url(pages)
    assert_no_full_id(site)
    assert not any("on" == n[:2] for pg in pages.values() for el in pg.elements for n, _ in el["attrs"])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    dossiers = [(p.name, p.read_bytes()) for p in source_dossiers()]
    broken = ("C900002.yaml", "编号: C900002\n姓名:\t<i>x</i>\n".encode())  # a Tab: the loader refuses it (L006)
    repo = copy_repo(root / "repo", [*dossiers, ("C900001.yaml", hostile_dossier("C900001")), broken])
    site = root / "site"
    p = mkdocs_build(repo, site)
    assert p.returncode == 0, p.stderr
    return repo, site, site_pages(site), len(dossiers) + 2


def test_hostile_values_stay_text(hostile):
    _repo, site, pages, _n = hostile
    for rel, page in pages.items():
        for el in page.elements:
            attrs = dict(el["attrs"])
            assert not [n for n in attrs if n.startswith("on")], (rel, el)
            for name in ("href", "src"):
                assert not (attrs.get(name) or "").strip().lower().startswith("javascript:"), (rel, el)
            if el["tag"] == "script":
                assert "dangan-xss" not in el["text"] and "dangan-xss" not in (attrs.get("src") or ""), rel
            if el["tag"] in ("h1", "h2", "h3", "h4", "h5", "h6"):  # "# 伪造标题" made no heading of its own
                assert not el["text"].lstrip().startswith("伪造标题"), (rel, el)
            assert el["tag"] != "img" or attrs.get("src") != "x", rel
    for rel in ("index.html", "overview/index.html"):
        source = (site / rel).read_text("utf-8")
        assert XSS not in source and "<b onmouseover" not in source and "{{ x }}" not in source
    # the values the site shows come out exactly as written, as text
    overview = pages["overview/index.html"]
    assert any(td["text"] == PAYLOADS["姓名"] for td in overview.find("td"))
    assert any(h["text"].startswith(PAYLOADS["管档单位"]) for h in overview.find("h2"))
    assert any(td["text"] == PAYLOADS["管档单位"] for td in pages["index.html"].find("td"))
    # nothing of the fields the site does not show, in pages or in the search index
    index = (site / "search" / "search_index.json").read_text("utf-8")
    everything = "".join((site / rel).read_text("utf-8") for rel in pages) + index
    assert not [m for m in NOT_SHOWN if m in everything]
    assert "<script>alert" not in index and "<b onmouseover" not in index


def test_hostile_site_counts_and_privacy(hostile):
    repo, site, pages, n = hostile
    home = pages["index.html"]
    assert home.value("dossiers") == n
    assert (home.value("errors"), home.value("warnings")) == dangan_counts(repo)
    assert home.value("errors") > 0  # the payloads break length, pattern and unit rules: shown, not fatal
    assert_no_external_url(pages)
    assert_no_full_id(site)
    overview = pages["overview/index.html"]
    numbers = {td["text"] for td in overview.find("td")}
    assert {"C900001", "C900002"} <= numbers
    assert any(h["text"].startswith("（无法读取的文件）") for h in overview.find("h2"))
    # addresses are fixed names: no page is named after a person
    names = {PAYLOADS["姓名"], *(load_file(p).data.get("姓名", "") for p in source_dossiers())}
    for path in site.rglob("*"):
        assert not any(name and name in path.as_posix() for name in names), path


def test_full_id_in_a_page_fails_the_build(tmp_path):
    repo = copy_repo(tmp_path / "repo", [(p.name, p.read_bytes()) for p in source_dossiers()])
    page = repo / "docs" / "manual" / "index.md"
    page.write_text(page.read_text("utf-8") + f"\n示例号码：{SAMPLE_ID}\n", "utf-8")
    site = tmp_path / "site"
    p = mkdocs_build(repo, site)
    assert p.returncode != 0
    assert "站点输出检查未通过" in p.stderr and "完整的身份证号" in p.stderr, p.stderr
    assert "manual/index.html" in p.stderr and mask_id(SAMPLE_ID) in p.stderr
    assert SAMPLE_ID not in p.stderr + p.stdout
    assert not (site / "manual" / "index.html").exists()  # the leaking output is removed
    assert_no_full_id(site)


def test_external_link_in_a_page_fails_the_build(tmp_path):
    repo = copy_repo(tmp_path / "repo", [(p.name, p.read_bytes()) for p in source_dossiers()])
    page = repo / "docs" / "manual" / "policy.md"
    page.write_text(page.read_text("utf-8") + f"\n![图](https://img.example/a.png?u={SAMPLE_ID})\n", "utf-8")
    p = mkdocs_build(repo, tmp_path / "site")
    assert p.returncode != 0
    assert "外部地址" in p.stderr and "https://img.example/a.png" in p.stderr and "manual/policy/index.html" in p.stderr
    assert SAMPLE_ID not in p.stderr and mask_id(SAMPLE_ID) in p.stderr  # the message itself is masked
