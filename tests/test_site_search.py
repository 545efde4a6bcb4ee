"""The search box and the roster of a generated site, in a real browser (headless Chromium, as test_site_browser).

A small generated repository (200 dossiers, a few renamed so that names share their first characters: 张新,
张新民 twice, 张新华; 李娜 three times) is built with the project's mkdocs.yml and served on 127.0.0.1 (one test opens it as files, file://).
The test types into Material's search box (``.md-search__input``) and reads the dossier links the search
panel lists, in order: an exact name comes first (two- and three-character), people of the same name come
together, a name nobody has lists no one; the 编号 is found with and without its C. On the search before
issue 21 (Material's lunr, titles cut by jieba) 张新 and 张新民 are not first and 王建国 lists people.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from test_site import BIN, PROJECT, _env, mkdocs_build
from test_site_browser import CHROMIUM, Browser, _Quiet

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="没有安装 chromium（scripts/bootstrap.sh 会安装 Debian 的 chromium）")]

COUNT = 200
RENAMED = {"C000010": "张新", "C000020": "张新民", "C000030": "张新民", "C000040": "张新华",
           "C000050": "李娜", "C000060": "李娜", "C000070": "李娜"}
NOBODY = "王建国"
HOSTILE = ("C000090", "李</script><script>window.PWNED=1</script><img src=x>")  # not a valid 姓名: still text
HOOK = "scripts/dangan/site/hook.py"


def generated_repo(root: Path, count: int = COUNT) -> Path:
    """``dangan generate`` (a repository that builds as is), with the names of RENAMED."""
    p = subprocess.run([str(BIN / "dangan"), "generate", "--count", str(count), "--out", str(root), "--seed", "3"],
                       env=_env(), capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert (root / "mkdocs.yml").is_file() and (root / HOOK).is_file()  # generate brings what the site needs
    for schema in ("policy.yaml", "policy.schema.json"):
        shutil.copy(PROJECT / "schema" / schema, root / "schema" / schema)
    for number, name in [*RENAMED.items(), HOSTILE]:
        path = root / "dossiers" / f"{number}.yaml"
        path.write_text(re.sub(r"(?m)^姓名: .*$", f"姓名: '{name}'", path.read_text("utf-8"), count=1), "utf-8")
    return root


def _people(root: Path) -> dict[str, dict]:
    import yaml

    out = {}
    for path in sorted((root / "dossiers").glob("*.yaml")):
        d = yaml.safe_load(path.read_text("utf-8"))
        out[d["编号"]] = d
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("generated")
    repo = generated_repo(root / "repo")
    site = root / "site"
    p = mkdocs_build(repo, site)
    assert p.returncode == 0, p.stderr[-3000:]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    browser = Browser(root / "profile")
    try:
        yield browser, f"http://127.0.0.1:{server.server_address[1]}/", _people(repo), site
    finally:
        browser.close()
        server.shutdown()


# every dossier link the search output lists, in order: (编号, the link's text)
LINKS = """[...document.querySelectorAll('.md-search__output a')]
  .map(a => [(a.getAttribute('href').match(/dossier\\/([A-Za-z0-9]+)\\//) || [])[1], a.textContent])
  .filter(x => x[0])"""


def search(browser: Browser, query: str) -> list[list[str]]:
    """Type the query into the search box and wait until the results stop changing."""
    browser.js("(() => { document.getElementById('__search').checked = true; "
               "const i = document.querySelector('.md-search__input'); i.focus(); i.value = ''; "
               "i.dispatchEvent(new Event('input', {bubbles: true})); return true; })()")
    browser.send("Input.insertText", text=query)
    browser.js("document.querySelector('.md-search__input').dispatchEvent(new KeyboardEvent('keyup', {key: 'a'}))")
    last, same = None, 0
    for _ in range(100):
        # ours says how many it found; Material's says it is ready once the result list's meta line changed
        done = browser.js("""(() => {
            const p = document.querySelector('[data-dangan=people]');
            const m = document.querySelector('.md-search-result__meta');
            return (p && !p.hidden && p.getAttribute('data-query') === document.querySelector('.md-search__input').value)
                || (!p && m && !/初始化|正在/.test(m.textContent));
        })()""")
        now = browser.js(LINKS)
        same = same + 1 if done and now == last else 0
        if same >= 3:
            return now
        last = now
        browser.js("new Promise(r => setTimeout(r, 100))")
    return last or []


def test_search_finds_exact_names_first(generated):
    browser, base, people, _site = generated
    browser.open(base)
    by_name: dict[str, list[str]] = {}
    for number, d in people.items():
        by_name.setdefault(d["姓名"], []).append(number)
    # a two-character name that begins others (张新民, 张新华): its one holder first
    hits = search(browser, "张新")
    assert hits and hits[0][0] == "C000010", hits[:5]
    # a three-character name held by two: both first, together
    hits = search(browser, "张新民")
    assert {h[0] for h in hits[:2]} == {"C000020", "C000030"}, hits[:5]
    assert "C000010" not in [h[0] for h in hits]  # 张新 is not 张新民
    # a two-character name held by three: the three first, together
    hits = search(browser, "李娜")
    assert {h[0] for h in hits[:3]} == {"C000050", "C000060", "C000070"}, hits[:5]
    # ordinary names of the generated set, two and three characters, held by one person
    for length in (2, 3):
        name, (number,) = next((n, ns) for n, ns in by_name.items() if len(n) == length and len(ns) == 1
                               and n not in RENAMED.values() and not any(o != n and o.startswith(n) for o in by_name))
        hits = search(browser, name)
        assert hits and hits[0][0] == number, (name, hits[:5])
        assert "\u200b" not in hits[0][1] and name in hits[0][1]
    # a name nobody has lists no one
    assert NOBODY not in by_name
    assert search(browser, NOBODY) == []
    # Enter opens the first person found
    search(browser, "张新")
    browser.send("Input.dispatchKeyEvent", type="keyDown", key="Enter", code="Enter", windowsVirtualKeyCode=13)
    browser.wait("location.pathname.endsWith('/dossier/C000010/') && document.readyState === 'complete'")


def test_search_by_number_unit_and_post(generated):
    browser, base, people, _site = generated
    browser.open(base + "roster/")
    for query in ("C000023", "c000023", "000023", "23"):
        hits = search(browser, query)
        assert [h[0] for h in hits] == ["C000023"], (query, hits)
    # a 管档单位: its roster page is offered, and the people listed all belong to it
    unit = "市财政局"
    members = {n for n, d in people.items() if d["管档单位"] == unit}
    hits = search(browser, unit)
    assert hits and {h[0] for h in hits} <= {n for n, d in people.items()
                                            if unit in d["管档单位"] or unit in str(d.get("现任职务"))}
    assert members & {h[0] for h in hits}
    roster = browser.js("[...document.querySelectorAll('[data-dangan=people] a')].filter(a => /roster\\/unit-/.test(a.href))"
                        ".map(a => a.textContent)")
    assert roster and roster[0].startswith(unit), roster
    # a post: only people whose post says it
    hits = search(browser, "副局长")
    holders = {n for n, d in people.items() if "副局长" in str(d.get("现任职务"))}
    assert hits and {h[0] for h in hits} <= holders
    # nothing of the index's insides, no invisible characters, nothing of the dossier as HTML
    # the names are legible: the panel sits in the header, whose text is white
    colours = browser.js("[...document.querySelectorAll('.dangan-person__name, .dangan-person__id')]"
                         ".map(e => getComputedStyle(e).color)")
    assert colours and "rgb(255, 255, 255)" not in colours, colours
    text = browser.js("document.querySelector('[data-dangan=people]').textContent")
    assert "\u200b" not in text
    assert browser.js("document.querySelectorAll('[data-dangan=people] script, [data-dangan=people] img').length") == 0


def test_search_reads_a_few_small_files(generated):
    """The index is files of its own, read when a query needs them: a name reads the manifest and one shard."""
    browser, base, _, site = generated
    browser.open(base)
    before = len(browser.requests)
    search(browser, "张新民")
    fetched = [u for u in browser.requests[before:] if "/assets/dangan/people/" in u]
    assert 1 <= len(fetched) <= 2, fetched
    files = list((site / "assets" / "dangan" / "people").glob("*.json"))
    assert files and max(f.stat().st_size for f in files) < 300_000
    everything = "".join(f.read_text("utf-8") for f in files)
    assert "身份证号" not in everything and not re.search(r"[0-9]{17}[0-9Xx]", everything)
    # dossiers are not in Material's index any more (it keeps the manual)
    docs = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    assert not [d for d in docs if d["location"].startswith(("dossier/", "overview/"))]


NAMES, NUMBERS = 0, 1  # the roster's first two columns
ROWS = "[...document.querySelector('table.dangan-roster').tBodies[0].rows]"


def _column(browser: Browser, col: int, attr: str | None = None) -> list:
    what = f"r.cells[{col}].getAttribute('{attr}')" if attr else f"r.cells[{col}].textContent"
    return browser.js(f"{ROWS}.map(r => {what})")


def _click(browser: Browser, title: str):
    browser.js("[...document.querySelector('table.dangan-roster').tHead.rows[0].cells]"
               f".find(th => th.textContent.startsWith('{title}')).click()")


def test_roster_pages_sorts_and_filters_on_its_data(generated):
    """The roster lays out 100 rows at a time from its data file; sort and filter work on the whole roster."""
    browser, base, people, site = generated
    page = (site / "roster" / "index.html").read_text("utf-8")
    assert page.count("<tr>") < 120  # the page carries one page of rows, not the roster
    browser.open(base + "roster/")
    browser.wait("document.querySelector('table.dangan-roster').getAttribute('data-ready')")
    first = _column(browser, NAMES)
    assert len(first) == 100 and "共 200 人" in browser.js("document.querySelector('.dangan-count').textContent")
    # the next page, the last page
    browser.js("document.querySelector('.dangan-pager button:nth-of-type(3)').click()")
    second = _column(browser, NAMES)
    assert len(second) == 100
    assert second != first
    browser.js("document.querySelector('.dangan-pager button:nth-of-type(4)').click()")
    assert "第 2 / 2 页" in browser.js("document.querySelector('.dangan-pager__where').textContent")
    # 出生年月 ascending: the oldest of all 200 first, page one
    _click(browser, "出生年月")
    births = [int(m) for m in _column(browser, 3, "data-sort")]
    assert births == sorted(births) and len(births) == 100
    oldest = min(people.values(), key=lambda d: d["出生年月"])
    assert _column(browser, NUMBERS)[0] == oldest["编号"] or births[0] == births[1]
    _click(browser, "出生年月")
    assert [int(m) for m in _column(browser, 3, "data-sort")] == sorted(
        (int(m) for m in _column(browser, 3, "data-sort")), reverse=True)
    # 入党时间: the non-members last, in both directions
    blanks = sum(not d.get("入党时间") for d in people.values())
    if blanks:
        for _ in range(2):
            _click(browser, "入党时间")
            browser.js("document.querySelector('.dangan-pager button:nth-of-type(4)').click()")
            assert _column(browser, 6)[-1] == ""
            browser.js("document.querySelector('.dangan-pager button:nth-of-type(1)').click()")
            assert _column(browser, 6)[0] != ""
    # 姓名 restores the roster (姓氏笔画) order
    _click(browser, "姓名")
    assert _column(browser, NAMES) == first
    # the 编号 is filterable, with or without its case; several words must all be there
    browser.js("document.querySelector('.dangan-filter').focus()")
    browser.send("Input.insertText", text="c000023")
    browser.wait(f"{ROWS}.length === 1")
    assert _column(browser, NUMBERS) == ["C000023"] and _column(browser, NAMES) == [people["C000023"]["姓名"]]
    d = people["C000023"]
    browser.js("const b = document.querySelector('.dangan-filter'); b.value = ''; b.focus(); true")
    browser.send("Input.insertText", text=f"{d['性别']}　{d['管档单位']}")  # an ideographic space between
    expected = sorted(n for n, x in people.items() if x["性别"] == d["性别"] and d["管档单位"] in x["管档单位"])
    browser.wait(f"document.querySelector('.dangan-count').textContent.includes('筛选出 {len(expected)} / 200')")
    # sorting keeps the filter
    _click(browser, "职级")
    shown = browser.js("document.querySelector('.dangan-count').textContent")
    assert f"筛选出 {len(expected)} / 200" in shown
    assert sorted(_column(browser, NUMBERS)) == expected[:100] or len(expected) > 100
    # nothing of the data file is markup: every cell is text, every link a dossier page
    assert browser.js(f"{ROWS}.every(r => [...r.querySelectorAll('td *')].every(e => e.tagName === 'A'))")
    assert browser.js(f"{ROWS}.every(r => /dossier\\/[A-Za-z0-9]+\\/$/.test(r.cells[0].querySelector('a').href))")


def test_long_tables_are_paged(generated):
    """Other long tables (here 任前审核, a row per dossier) show 100 rows at a time; filter and sort keep paging."""
    browser, base, people, _site = generated
    browser.open(base + "manage/reviews/")
    table = "document.querySelector('table.dangan-reviews')"
    visible = f"[...{table}.tBodies[0].rows].filter(r => !r.hidden).map(r => r.cells[0].textContent)"
    first = browser.js(visible)
    assert len(first) == 100 and browser.js(f"{table}.tBodies[0].rows.length") == len(people)
    browser.js("[...document.querySelectorAll('.dangan-pager button')].find(b => b.textContent === '下一页').click()")
    second = browser.js(visible)
    assert len(second) == 100 and not set(first) & set(second)
    browser.js(f"{table}.tHead.rows[0].cells[0].click()")  # 编号 ascending: page one again
    assert browser.js(visible)[:2] == ["C000001", "C000002"]
    if browser.js("!!document.querySelector('.dangan-filter')"):
        browser.js("document.querySelector('.dangan-filter').focus()")
        browser.send("Input.insertText", text="C000123")
        browser.wait(f"{visible}.length === 1")
        assert browser.js(visible) == ["C000123"]


def test_unit_roster_reads_its_own_data(generated):
    browser, base, people, _site = generated
    browser.open(base + "roster/")
    unit, href = browser.js("(() => { const a = document.querySelector('table.dangan-units a'); return [a.textContent, a.href]; })()")
    browser.open(href)
    browser.wait("document.querySelector('table.dangan-roster').getAttribute('data-ready')")
    members = sorted(n for n, d in people.items() if d["管档单位"] == unit)
    assert f"共 {len(members)} 人" in browser.js("document.querySelector('.dangan-count').textContent")
    _click(browser, "编号")
    numbers = _column(browser, NUMBERS)
    assert numbers == members[:100]
    assert [u for u in browser.requests if u.endswith(".json") and "/roster/" in u][-1].endswith(
        href.rstrip("/").rsplit("/", 1)[1] + ".json")


def test_search_and_roster_work_opened_from_disk(generated):
    """Opened as a file (file://, as `make site` says): fetch is refused, the data files' .js twins are run instead.
    Search finds an exact name and an 编号, the roster pages and sorts all 200, links open pages (index.html),
    nothing is requested from anywhere but the disk, and a name holding </script> stays text."""
    browser, _base, people, site = generated
    base = site.resolve().as_uri() + "/"
    before = len(browser.requests)
    browser.open(base + "index.html")
    hits = search(browser, "张新民")
    assert {h[0] for h in hits[:2]} == {"C000020", "C000030"}, hits[:5]
    assert [h[0] for h in search(browser, "C000023")] == ["C000023"]
    assert browser.js("document.querySelector('.dangan-person a').href").endswith("/dossier/C000023/index.html")
    folders = ("[...document.querySelectorAll('a[href]')].map(a => new URL(a.getAttribute('href'), location.href))"
               ".filter(u => u.protocol === 'file:' && u.pathname.endsWith('/')).length")
    assert browser.js(folders) == 0  # links to a page's folder (the navigation's too) point at its index.html
    # the manual too (Material's search cannot start from disk): its sections from assets/dangan/manual.js
    search(browser, "授权 认定")
    manual = browser.js("[...document.querySelectorAll('[data-dangan=manual] a')].map(a => [a.href, a.textContent])")
    assert manual and all("/manual/" in h and "index.html" in h for h, _ in manual), manual
    assert all("授权" in t for _, t in manual), manual  # the excerpt shows the first word where it is
    assert "\u200b" not in browser.js("document.querySelector('[data-dangan=manual]').textContent")
    browser.open(manual[0][0])
    assert browser.js("location.pathname").endswith("/index.html")
    assert "认定" in browser.js("document.querySelector('article').textContent")
    browser.open(base + "index.html")
    search(browser, NOBODY + "壹贰")
    assert browser.js("document.querySelector('[data-dangan=manual]').getAttribute('data-count')") == "0"
    # the roster: all 200 from roster/people.js, paged and sorted
    browser.open(base + "roster/index.html")
    browser.wait("document.querySelector('table.dangan-roster').getAttribute('data-ready')")
    assert "共 200 人" in browser.js("document.querySelector('.dangan-count').textContent")
    first = _column(browser, NAMES)
    browser.js("document.querySelector('.dangan-pager button:nth-of-type(3)').click()")
    assert len(_column(browser, NAMES)) == 100 and _column(browser, NAMES) != first
    _click(browser, "编号")
    assert _column(browser, NUMBERS) == sorted(people)[:100]
    _click(browser, "出生年月")
    births = [int(m) for m in _column(browser, 3, "data-sort")]
    assert births == sorted(births) and len(births) == 100
    # the hostile name: a cell's text, no script run, no element made of it
    number, name = HOSTILE
    browser.js("document.querySelector('.dangan-filter').focus()")
    browser.send("Input.insertText", text=number)
    browser.wait(f"{ROWS}.length === 1")
    assert _column(browser, NAMES) == [name]
    assert browser.js("typeof window.PWNED") == "undefined"
    assert browser.js("document.querySelectorAll('table.dangan-roster img, table.dangan-roster script').length") == 0
    assert [h[1] for h in search(browser, number)] and browser.js("typeof window.PWNED") == "undefined"
    assert browser.js("document.querySelector('[data-dangan=people] .dangan-person__name').textContent") == name
    assert browser.js(folders) == 0
    # a unit's roster, from its own roster/unit-N.js
    browser.open(base + "roster/index.html")
    href = browser.js("document.querySelector('table.dangan-units a').href")
    assert href.endswith("/index.html"), href
    browser.open(href)
    browser.wait("document.querySelector('table.dangan-roster').getAttribute('data-ready')")
    assert not [u for u in browser.requests[before:] if not u.startswith(("file:", "data:", "about:", "blob:"))]
    assert any(u.endswith("/roster/people.js") for u in browser.requests[before:])
    # the script twins hold the JSON, markup characters escaped
    for twin in [site / "roster" / "people.js", site / "assets" / "dangan" / "manual.js",
                 *(site / "assets" / "dangan" / "people").glob("*.js")]:
        raw = twin.read_text("utf-8")
        assert not re.search("[<>&\u2028\u2029]", raw), twin
        assert raw.startswith("(window.DANGAN_DATA||(window.DANGAN_DATA={}))[")
        assert twin.stat().st_size < 300_000 or twin.parent.name == "roster"
