"""The internal site: the real ``mkdocs build --strict``, on the project and on hostile copies of it.

A copy holds what the site needs (mkdocs.yml, docs/, schema/, the hook file) and a few dossiers,
one of them carrying Markdown, HTML and template payloads in fields the site shows (姓名, 管档单位,
现任职务, 熟悉专业有何专长) and family members that it must never show. The rosters' 姓氏笔画 order,
the dossier pages, the statistics and the post-build scans are checked on the HTML written.
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

from conftest import FULL_ID
from dangan.load import load_file
from dangan.privacy import mask_id
from dangan.site.pages import text
from dangan.site.scan import scan_site

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TODAY = "2026.11.25"
HOOK = "scripts/dangan/site/hook.py"
ID_RUN = FULL_ID  # not a decimal run inside a hex digest (the build manifest .dangan-pages.json holds sha1s)
# The sample number of GB 11643 (not a real person), assembled so no 18-digit run sits in this file.
SAMPLE_ID = "110105194912" + "31002X"

XSS = '<script>alert("dangan-xss")</script>'
PAYLOADS = {
    "姓名": f"{XSS}{{ onclick=x }}",
    "管档单位": '# 伪造标题\n--8<-- "/etc/passwd"\n\n[a](javascript:alert(1)) {{ x }} <b onmouseover="alert(1)">粗</b>',
    "现任职务": f"不显示甲 {{{{ x }}}} {XSS} [a](javascript:alert(1)) # 伪造标题",
    "熟悉专业有何专长": '不显示乙 { onclick=x } <img src=x onerror=alert(1)> --8<-- "x.md"',
}
SHOWN = ("现任职务", "熟悉专业有何专长")  # shown on the dossier page, as text
FAMILY = [  # never published: neither the names nor anything else of a family member
    {"称谓": "妻子", "姓名": "隐秘甲乙", "出生年月": "1972.03", "政治面貌": "群众", "工作单位及职务": f"不显示丙 {XSS}"},
    {"称谓": "儿子", "姓名": "隐秘丙丁", "出生年月": "1998.07", "政治面貌": "群众", "工作单位及职务": "不显示丁"},
]
NOT_SHOWN = ("隐秘甲乙", "隐秘丙丁", "不显示丙", "不显示丁")
NOT_INDEXED = ("专长标记甲", "不显示乙")  # the search index holds 编号, 姓名, 管档单位 and 现任职务 only


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


class _Payload:
    """Unpickling this runs a command: what a planted pickle cache would do."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch '{self.marker}'",))


def plant_caches(cache_dir: Path, marker: Path) -> None:
    """Every cache dangan has, under its old and new names: a pickle that runs code, and plausible JSON."""
    import pickle

    cache_dir.mkdir(parents=True, exist_ok=True)
    evil = pickle.dumps({"engine": _Payload(marker), "loader": _Payload(marker), "format": _Payload(marker)})
    for name in ("check-cache", "site-cache", "trail-index"):
        (cache_dir / f"{name}.pickle").write_bytes(evil)
        (cache_dir / f"{name}.json").write_bytes(evil)
    planted = b'dangan-cache 2 site 00\n{"loader": "x", "entries": {"dossiers/C000001.yaml": ["0", {}, "k", "<b>x</b>"]}}'
    (cache_dir / "site-cache.json").write_bytes(planted)
    (cache_dir / "site-cache").mkdir(exist_ok=True)
    for k in range(64):
        (cache_dir / "site-cache" / f"{k:02d}.json").write_bytes(planted)
        (cache_dir / "site-cache" / f"{k:02d}.pickle").write_bytes(evil)


def source_dossiers() -> list[Path]:
    found = sorted((PROJECT / "dossiers").glob("*.yaml"))[:2]
    return found or [PROJECT / "tests" / "data" / "valid.yaml"]


def hostile_dossier(number: str) -> bytes:
    """A copy of a project dossier with the payloads, written as JSON (a YAML flow document)."""
    data = load_file(source_dossiers()[0]).data
    data["编号"] = number
    data.update(PAYLOADS)
    data["熟悉专业有何专长"] = "专长标记甲" + data["熟悉专业有何专长"]
    data["家庭成员"] = FAMILY
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
    emitted = set(re.findall(r"""["']([LSRCXGTB][0-9]{3})["']""", source))
    assert len(emitted) > 50
    doc = (PROJECT / "docs" / "manual" / "codes.md").read_text("utf-8")
    rows = set(re.findall(r"^\| ([LSRCXGTB][0-9]{3}) \|", doc, re.M))
    assert sorted(emitted - rows) == [], "问题代码表缺少这些代码"
    assert sorted(rows - emitted) == [], "问题代码表中有程序已不再使用的代码"


def test_docs_name_every_top_level_key_and_check_option():
    schema = json.loads((PROJECT / "schema" / "dossier.schema.json").read_text("utf-8"))
    fmt = (PROJECT / "docs" / "manual" / "dossier-format.md").read_text("utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([^`]+)` \|.*$", fmt, re.M)}
    for key, prop in schema["properties"].items():  # one row per key, in the schema's own words
        assert key in rows, key
        assert f"| {prop.get('title', key)} |" in rows[key] and prop.get("description", "") in rows[key], key
    from dangan.cli.main import check

    manual = (PROJECT / "docs" / "manual" / "check.md").read_text("utf-8")
    options = [o for p in check.params for o in p.opts if o.startswith("--")]
    assert [o for o in options if f"`{o}" not in manual] == []


# ---------------------------------------------------------------- real builds

@pytest.fixture(scope="module")
def project_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("project") / "site"
    p = mkdocs_build(PROJECT, site)
    assert p.returncode == 0, p.stderr
    return site


def test_project_site_builds(project_site):
    site = project_site
    pages = site_pages(site)
    assert {"index.html", "overview/index.html", "manual/index.html", "manual/codes/index.html"} <= set(pages)
    home = pages["index.html"]
    assert home.value("dossiers") == len(list((PROJECT / "dossiers").glob("*.y*ml")))
    assert (home.value("errors"), home.value("warnings")) == dangan_counts(PROJECT)
    assert_no_external_url(pages)
    assert_no_full_id(site)
    assert not any("on" == n[:2] for pg in pages.values() for el in pg.elements for n, _ in el["attrs"])
    assert {rel: len(pg.find("h1")) for rel, pg in pages.items() if len(pg.find("h1")) != 1} == {}
    assert not [rel for rel in pages if "dangan-deferred" in (site / rel).read_text("utf-8")]  # every block put back
    # 专项审核: the bundled open inconsistency (C000023) and the determined one (C000020, the ID card still to verify)
    special = html.unescape(re.sub(r"<[^>]+>", " ", (site / "review" / "special" / "index.html").read_text("utf-8")))
    assert "C000023" in special and "1976.08" in special and "C000021" not in special.split("未结的问题", 1)[1]
    assert "身份证号中的出生年月" in special.split("C000020", 1)[1].split("C0000", 1)[0]
    page = html.unescape((site / "dossier" / "C000022" / "index.html").read_text("utf-8"))
    recorded = page.split('id="records"', 1)[1].split('id="determinations"', 1)[0]
    assert "第1页出生年月栏（所涉 出生年月）：组织说明" in recorded and "出生年月：1973.04" in recorded


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    dossiers = [(p.name, p.read_bytes()) for p in source_dossiers()]
    broken = ("C900002.yaml", "编号: C900002\n姓名:\t<i>x</i>\n".encode())  # a Tab: the loader refuses it (L006)
    repo = copy_repo(root / "repo", [*dossiers, ("C900001.yaml", hostile_dossier("C900001")), broken])
    plant_caches(repo / ".dangan-cache", root / "PWNED")  # a hostile cache too: it runs nothing, changes nothing
    site = root / "site"
    p = mkdocs_build(repo, site)
    assert p.returncode == 0, p.stderr
    assert not (root / "PWNED").exists()
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
    # the dossier page shows the free-text fields exactly as written, as text
    page = pages["dossier/C900001/index.html"]
    (h1,) = page.find("h1")
    assert h1["text"] == f"C900001 {PAYLOADS['姓名']}"
    facts = {th["text"]: td["text"] for th, td in zip(page.find("th"), page.find("td"), strict=False)}
    assert facts["现任职务"] == PAYLOADS["现任职务"]
    assert facts["熟悉专业有何专长"] == "专长标记甲" + PAYLOADS["熟悉专业有何专长"]
    source = (site / "dossier/C900001/index.html").read_text("utf-8")
    assert XSS not in source and "<b onmouseover" not in source and "{{ x }}" not in source
    # nothing of a family member, in pages or in the search indexes; the people index only has the four fields
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    shards = [f.read_text("utf-8") for f in sorted((site / "assets/dangan/people").glob("*.json"))]
    # the people index holds the name as it is written (search.js shows it with textContent), "<" escaped
    assert any(r[1] == PAYLOADS["姓名"] for f in shards for r in json.loads(f) if isinstance(r, list))
    flat = json.dumps(index, ensure_ascii=False).replace("\u200b", "") + "".join(shards)
    everything = "".join((site / rel).read_text("utf-8") for rel in pages) + flat
    assert not [m for m in NOT_SHOWN if m in everything]
    assert not [m for m in NOT_INDEXED if m in flat]
    assert "<script>alert" not in flat and "<b onmouseover" not in flat


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


# ---------------------------------------------------------------- rosters, dossier pages, statistics, scans

ROSTER_NAMES = ["欧明", "林涛", "李大鸣", "李一鸣", "田大利", "田富", "文华", "王伟"]
SURNAME_ORDER = ["王伟", "文华", "田富", "田大利", "李一鸣", "李大鸣", "林涛", "欧明"]


def named_dossiers() -> list[tuple[str, bytes]]:
    out = []
    for k, name in enumerate(ROSTER_NAMES, 1):
        data = load_file(source_dossiers()[0]).data
        data.update({"编号": f"C8000{k:02d}", "姓名": name})
        raw = "# yaml-language-server: $schema=../schema/dossier.schema.json\n" + json.dumps(data, ensure_ascii=False)
        out.append((f"C8000{k:02d}.yaml", raw.encode("utf-8")))
    return out


def first_cells(site: Path, rel: str) -> list[str]:
    """The 姓名 column of the first roster table of a page."""
    source = (site / rel).read_text("utf-8")
    body = source.split('class="dangan-roster', 1)[1].split("</table>", 1)[0]
    return [html.unescape(re.sub(r"<[^>]+>", "", m)) for m in re.findall(r"<tr><td[^>]*>(.*?)</td>", body)]


@pytest.mark.parametrize(("convention", "expected"), [
    ("按姓氏笔画", SURNAME_ORDER),
    ("按姓名笔画", ["王伟", "文华", "田大利", "田富", "李一鸣", "李大鸣", "林涛", "欧明"]),
])
def test_roster_in_stroke_order(tmp_path, convention, expected):
    repo = copy_repo(tmp_path / "repo", named_dossiers())
    policy = repo / "schema" / "policy.yaml"
    policy.write_text(re.sub(r"^花名册排序: .*$", f"花名册排序: {convention}", policy.read_text("utf-8"), flags=re.M), "utf-8")
    site = tmp_path / "site"
    p = mkdocs_build(repo, site)
    assert p.returncode == 0, p.stderr
    assert first_cells(site, "roster/index.html") == expected
    units = sorted(site.glob("roster/unit-*/index.html"))
    assert any(first_cells(site, u.relative_to(site).as_posix()) == expected for u in units)


def test_dossier_pages(project_site):
    site = project_site
    sources = sorted((PROJECT / "dossiers").glob("*.yaml"))
    data = load_file(sources[0]).data
    page = Page((site / "dossier" / data["编号"] / "index.html").read_text("utf-8"))
    facts = {th["text"]: td["text"] for th, td in zip(page.find("th"), page.find("td"), strict=False)}
    assert facts["身份证号"] == mask_id(data["身份证号"]) and data["身份证号"] not in str(facts)
    assert facts["姓名"] == data["姓名"]
    headings = [h["text"] for h in page.find("h2")]
    assert headings == ["基本情况", "简历", "学历学位", "年度考核", "奖惩情况", "考察材料", "能力档案", "档案目录", "材料记载与涂改", "认定记录",
                        "改动记录", "检查结果"]
    catalog = next(t for t in page.find("table") if dict(t["attrs"]).get("class") == "dangan-catalog")
    assert f"合计{len(data['档案目录'])}{sum(e['页数'] for e in data['档案目录'])}" in catalog["text"].replace("\n", "")
    assert len([li for li in page.find("li") if li["text"].startswith(tuple(r["起始"] for r in data["简历"]))]) >= len(data["简历"])
    for member in data["家庭成员"]:  # family members are never published
        assert member["姓名"] not in (site / "dossier" / data["编号"] / "index.html").read_text("utf-8")
    # no dossier in Material's index: the search box reads the people index, one small record per dossier
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    assert not [d for d in index if d["location"].startswith("dossier/")]
    shards = sorted((site / "assets/dangan/people").glob("n-*.json"))
    records = [r for f in shards for r in json.loads(f.read_text("utf-8"))]
    assert sorted(r[0] for r in records) == sorted(load_file(s).data["编号"] for s in sources)
    assert [data["编号"], data["姓名"], data["管档单位"], data["现任职务"]] in records
    assert len(json.dumps(records, ensure_ascii=False).encode()) / len(records) < 300
    # dossier pages are not in the navigation: no page carries a link to every dossier in its nav
    home = (site / "index.html").read_text("utf-8")
    nav = home.split('class="md-nav', 1)[1].split('class="md-content', 1)[0]
    assert "dossier/" not in nav
    assert (site / "dossier" / data["编号"] / "index.html").stat().st_size < 200_000


def test_a_copy_is_marked_as_such_on_its_page(project_site):
    """A 副本 (《干部人事档案工作条例》第二十二条) says so under its heading and in 基本情况, with who holds the 正本."""
    kinds = {p.stem: load_file(p).data for p in sorted((PROJECT / "dossiers").glob("*.yaml"))}
    copy = next(n for n, d in kinds.items() if d.get("档案类别") == "副本")
    original = next(n for n, d in kinds.items() if "档案类别" not in d)
    held = kinds[copy]["正本保管单位"]
    for number, shown, note in ((copy, f"副本（正本由{held}保管）", True), (original, "正本", False)):
        text = (project_site / "dossier" / number / "index.html").read_text("utf-8")
        page = Page(text)
        facts = {th["text"]: td["text"] for th, td in zip(page.find("th"), page.find("td"), strict=False)}
        assert facts["档案类别"] == shown, (number, facts)
        assert ("本档案是干部所在单位保存的副本" in html.unescape(text)) is note, number
        keys = next(p for p in page.find("p") if dict(p["attrs"]).get("class") == "dangan-keys")
        assert keys["text"].endswith("副本") is note, keys


def test_statistics_add_up(project_site):
    site = project_site
    source = (site / "stats" / "index.html").read_text("utf-8")
    n = len(list((PROJECT / "dossiers").glob("*.yaml")))
    sections = re.split(r'<h2 id="', source)[2:]  # after 各管档单位
    assert len(sections) >= 8
    for section in sections:
        anchor = section.split('"', 1)[0]
        counts = [int(c) for c in re.findall(r'data-count="(\d+)"', section)]
        if anchor == "ethnicity":
            assert counts[0] + counts[1] == n  # 汉族 + 少数民族; the breakdown follows
        elif anchor == "specialty":  # many-valued: one person may have several 专长
            assert sum(counts) >= n and "合计可多于人数" in section
        else:
            assert sum(counts) == n, anchor
        assert section.count("<svg") == len(counts)
    sexes = [load_file(p_).data["性别"] for p_ in (PROJECT / "dossiers").glob("*.yaml")]
    sex = sections[[s.split('"', 1)[0] for s in sections].index("sex")]
    assert re.findall(r'data-count="(\d+)"', sex) == [str(sexes.count("男")), str(sexes.count("女"))]
    assert len(list(site.glob("stats/unit-*/index.html"))) >= 1


def test_family_name_in_output_fails_the_build(tmp_path):
    data = load_file(source_dossiers()[0]).data
    data["现任职务"] = "潞州区东街办事处主任"
    data["家庭成员"][0]["姓名"] = "东街办"  # a relative's "name" that the published 现任职务 contains
    raw = "# yaml-language-server: $schema=../schema/dossier.schema.json\n" + json.dumps(data, ensure_ascii=False)
    repo = copy_repo(tmp_path / "repo", [("C000001.yaml", raw.encode("utf-8"))])
    site = tmp_path / "site"
    p = mkdocs_build(repo, site)
    assert p.returncode != 0
    assert "家庭成员的姓名“东**”" in p.stderr, p.stderr  # the files are listed, the first three by name
    assert "东街办" not in p.stderr
    assert not (site / "dossier" / "C000001" / "index.html").exists()
    assert not [f for f in (site / "assets" / "dangan" / "people").glob("*.json") if "东街办" in f.read_text("utf-8")]


def test_scan_names(tmp_path):
    from dangan.site.scan import scan_names

    site = tmp_path / "site"
    _write(site, "a/index.html", "<p>张三丰来了</p>")
    _write(site, "search/search_index.json", json.dumps({"docs": [{"text": "李\u200b四"}]}))
    _write(site, "b.html", "<p>无关</p>")
    hits = scan_names(site, {"张三丰", "李四", "王"})
    assert {(h.path, h.value) for h in hits} == {("a/index.html", "张**"), ("search/search_index.json", "李*")}


def test_data_scripts_are_scanned_as_their_json(tmp_path):
    """The .js twin of a data file (datafile.py) is read back as JSON: an ID number or a relative's name hidden
    in \\u escapes is found there as in the .json; the value itself cannot hold markup or break the script."""
    from dangan.site import datafile
    from dangan.site.scan import scan_names

    value = [["C000001", "李</script><script>alert(1)</script>", "\u2028&"]]
    files = dict(datafile.files("assets/dangan/people/n-0.json", value))
    script = files["assets/dangan/people/n-0.js"].decode()
    assert not re.search("[<>&\u2028\u2029]", script) and "</script" not in script.lower()
    assert script.startswith('(window.DANGAN_DATA||(window.DANGAN_DATA={}))["people/n-0"]=')
    assert json.loads(datafile.read_script(script) or "") == value == json.loads(files["assets/dangan/people/n-0.json"])
    site = tmp_path / "site"
    hidden = "".join(f"\\u{ord(c):04x}" for c in SAMPLE_ID + "冯怡")
    _write(site, "roster/unit-1.js", datafile.script("roster/unit-1.json", f'["{hidden}"]'))
    assert [(h.path, h.kind) for h in scan_site(site)] == [("roster/unit-1.js", "身份证号")]
    assert [h.value for h in scan_names(site, {"冯怡"})] == ["冯*"]


def test_alteration_trail_from_git(repo, env):
    """In a Git repository the dossier page and the review pages show the history, field by field."""
    from conftest import git

    for name in ("docs",):
        shutil.copytree(PROJECT / name, repo / name)
    shutil.copy(PROJECT / "mkdocs.yml", repo / "mkdocs.yml")
    (repo / HOOK).parent.mkdir(parents=True)
    shutil.copy(PROJECT / HOOK, repo / HOOK)
    git(["add", "-A"], repo, env)
    git(["commit", "-q", "--no-verify", "-m", "建档"], repo, env)
    path = repo / "dossiers" / "C000001.yaml"
    data = load_file(path).data
    family = data["家庭成员"][0]["姓名"]
    source = path.read_text("utf-8")
    source = source.replace(f'出生年月: "{data["出生年月"]}"', '出生年月: "1990.01"', 1)
    source = source.replace(f"姓名: {family}", "姓名: 改名后甲乙", 1)
    path.write_text(source, "utf-8")
    git(["commit", "-q", "--no-verify", "-am", "改出生年月"], repo, env)
    site = repo.parent / "site"
    p = mkdocs_build(repo, site)
    assert p.returncode == 0, p.stderr
    page = (site / "dossier" / "C000001" / "index.html").read_text("utf-8")
    trail = html.unescape(re.sub(r"<[^>]+>", " ", page.split('id="trail"', 1)[1].split('id="findings"', 1)[0]))
    assert "出生年月" in trail and data["出生年月"] in trail and "1990.01" in trail and "未经认定" in trail
    assert "新建" in trail
    generated = [*site.glob("dossier/*/index.html"), *site.glob("review/*/index.html"), *site.glob("review/index.html")]
    everything = "".join(f.read_text("utf-8") for f in generated)
    assert family not in everything and "改名后甲乙" not in everything  # a relative's change shows no value
    alterations = html.unescape((site / "review" / "alterations" / "index.html").read_text("utf-8"))
    assert "1990.01" in alterations and "C000001" in alterations
    changes = (site / "review" / "changes" / "index.html").read_text("utf-8")
    assert changes.count("<tr>") >= 3


def test_scan_reads_addresses_as_a_browser_does(tmp_path):
    site = tmp_path / "site"
    _write(site, "a.html", '<a href="java\nscript:alert(1)">x</a><a href="\\\\evil.example/x">y</a>'
                           '<img src="&#104;ttps://x.example/a.png"><a title="x" href=//bare.example/>z</a><a href="../ok/">ok</a>')
    found = {(h.kind, h.value) for h in scan_site(site)}
    assert found == {("脚本地址", "javascript:alert(1)"), ("外部地址", "\\\\evil.example/x"),
                     ("外部地址", "https://x.example/a.png"), ("外部地址", "//bare.example/")}


def test_mkdocs_serve_rebuilds_when_a_dossier_changes(tmp_path):
    import socket
    import time
    import urllib.request

    data = load_file(source_dossiers()[0]).data
    number = data["编号"]
    repo = copy_repo(tmp_path / "repo", [(f"{number}.yaml", source_dossiers()[0].read_bytes())])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"], cwd=repo,
                            env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/dossier/{number}/"

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.read().decode("utf-8")
        except OSError:
            return ""

    def wait_for(text: str):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if text in page():
                return
            assert proc.poll() is None, proc.stderr.read().decode("utf-8", "replace")
            time.sleep(0.5)
        raise AssertionError(f"mkdocs serve 没有显示“{text}”")

    try:
        wait_for(data["现任职务"])
        path = repo / "dossiers" / f"{number}.yaml"
        path.write_text(path.read_text("utf-8").replace(data["现任职务"], "重建测试职务", 1), "utf-8")
        wait_for("重建测试职务")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_deferred_blocks_round_trip():
    from dangan.site import deferred
    from dangan.site.html import raw

    page = "# 标题\n\n" + raw("<p>甲</p>", attrs=" data-search-exclude") + "\n\n正文\n\n" + raw("<p>乙</p>") + "\n"
    markdown, blocks = deferred.split(page)
    assert "甲" not in markdown and "乙" not in markdown and len(blocks) == 2
    assert 'markdown="0"' not in blocks[0] and "data-search-exclude" in blocks[0]
    assert deferred.restore(markdown, blocks).count("<p>") == 2
    with pytest.raises(ValueError):
        deferred.restore("# 标题", blocks)


def test_printable_form_linked_without_family(project_site):
    """Each dossier page links its 干部任免审批表; the site's copy leaves the family rows blank."""
    site = project_site
    for source in sorted((PROJECT / "dossiers").glob("*.yaml"))[:5]:
        data = load_file(source).data
        page = (site / "dossier" / data["编号"] / "index.html").read_text("utf-8")
        assert f'href="../../form/{data["编号"]}.html"' in page
        form = (site / "form" / f"{data['编号']}.html").read_text("utf-8")
        text = re.sub(r"<[^>]+>", "", form)
        assert "干部任免审批表" in text and data["姓名"] in text and "家庭主要成员" in text
        for member in data["家庭成员"]:
            assert member["姓名"] not in form
        assert data["身份证号"] not in form
        assert not re.search(r'(?:src|href)="(?:https?:)?//', form)


def test_site_form_shows_the_photo(tmp_path):
    """The site's 任免审批表 prints the dossier's photo where one exists (LRMX.md §3, findings §4 h)."""
    import base64

    source = source_dossiers()[0]
    data = load_file(source).data
    number = data["编号"]
    data["照片"] = f"photos/{number}.png"
    raw = "# yaml-language-server: $schema=../schema/dossier.schema.json\n" + json.dumps(data, ensure_ascii=False)
    repo = copy_repo(tmp_path / "repo", [(f"{number}.yaml", raw.encode("utf-8"))])
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
    (repo / "photos").mkdir()
    (repo / "photos" / f"{number}.png").write_bytes(png)
    site = tmp_path / "site"
    p = mkdocs_build(repo, site)
    assert p.returncode == 0, p.stderr
    form = (site / "form" / f"{number}.html").read_text("utf-8")
    assert f'src="data:image/png;base64,{base64.b64encode(png).decode()}"' in form


def test_structure_pages_are_dangan_stats(project_site):
    """The cross-tables, trends and team pages (issue 17) show the CLI's numbers; each table downloads as the CLI's CSV."""
    site = project_site
    cross = (site / "stats" / "cross" / "index.html").read_text("utf-8")
    age_rank = cross.split('id="age-rank"', 1)[1].split('id="sex-rank"', 1)[0]
    heat = age_rank.split('<svg class="dangan-heat"', 1)[1].split("</svg>", 1)[0]
    # 6 age bands × 5 ranks, then one total per row; the totals add up to the 52 dossiers
    numbers = [int(n) for n in re.findall(r'class="dangan-heat-(?:light|dark)">(\d+)<', heat)]
    totals = [int(n) for n in re.findall(r'class="dangan-heat-total">(\d+)<', heat)]
    assert len(numbers) == 30 and sum(numbers) == sum(totals) == 52
    for name, args in (("age-rank", ["--rows", "年龄段", "--cols", "职级"]), ("trend", ["--trend", "2016..2026"]),
                       ("trend-rank", ["--trend", "2016..2026", "--rows", "职级"])):
        p = subprocess.run([str(BIN / "dangan"), "stats", *args, "--format", "csv"], cwd=PROJECT, env=_env(),
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr
        assert (site / "stats" / "data" / f"{name}.csv").read_text("utf-8") == p.stdout, name
        assert (site / "stats" / "data" / f"{name}.xlsx").read_bytes()[:2] == b"PK"
        assert f'href="../data/{name}.csv"' in (site / "stats" / ("trend" if "trend" in name else "cross")
                                                / "index.html").read_text("utf-8")
    trend = (site / "stats" / "trend" / "index.html").read_text("utf-8")
    assert trend.count('<svg class="dangan-line"') == 9 and "人数（44 → 52）" in trend
    teams = (site / "stats" / "teams" / "index.html").read_text("utf-8")
    assert teams.count('href="../team-') == 4 and "长治市财政局" in teams
    finance = next(p for p in site.glob("stats/team-*/index.html") if "长治市财政局" in p.read_text("utf-8"))
    page = finance.read_text("utf-8")
    assert "副局长实有 4 名，超过核定职数 3 名" in page and 'href="../../dossier/C000047/"' in page


def test_an_undone_alteration_stays_on_the_alterations_page(repo, env):
    """A reverted alteration needs no handling any more, and is still listed (settled) on the review page."""
    from conftest import git
    from dangan.repo import Repo
    from dangan.site.pages.review import alterations_page
    from dangan.site.trail import History

    git(["add", "-A"], repo, env)
    git(["commit", "-q", "--no-verify", "-m", "建档"], repo, env)
    path = repo / "dossiers" / "C000001.yaml"
    born = load_file(path).data["出生年月"]
    source = path.read_text("utf-8")
    path.write_text(source.replace(f'出生年月: "{born}"', '出生年月: "1990.01"', 1), "utf-8")
    git(["commit", "-q", "--no-verify", "-am", "改出生年月"], repo, env)
    history = History.load(Repo(repo))
    assert history is not None
    before = html.unescape(alterations_page(history.unauthorised(), history.undone()))
    assert "1990.01" in before and "已撤销的改动" not in before
    git(["revert", "--no-edit", "HEAD"], repo, env)
    history = History.load(Repo(repo))
    assert history is not None and not history.unauthorised()
    page = html.unescape(alterations_page(history.unauthorised(), history.undone()))
    assert "没有发现需要处理的未经授权的改动" in page and "已撤销的改动（1 处）" in page
    settled = page.split("已撤销的改动", 1)[1]
    assert "1990.01" in settled and born in settled and "已撤销（提交" in settled and "撤销提交" in settled
