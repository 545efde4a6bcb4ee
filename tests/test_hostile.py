"""The hostile-input corpus (tests/data/hostile/, written as bytes by make.py): every file gets its expected
answer from `dangan check`, and every injection payload stays inert in the site, the printable form and the
.lrmx export.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring

from conftest import DATA, FULL_ID, PROJECT, valid_bytes
from dangan.check import check_bytes, make_context
from dangan.codes import CodeTables
from dangan.forms import form_model, render_form_html
from dangan.forms.lrmx import LrmxError, export_lrmx, read_lrmx
from dangan.load import MAX_BYTES, load_bytes
from dangan.repo import Repo
from dangan.site.scan import scan_site

CODES = CodeTables.read(Path(__file__).resolve().parents[1] / "schema")

HOSTILE = DATA / "hostile"
DAY = dt.date(2026, 11, 25)
EXPECTED = {name: json.loads(value) for name, value in
            (line.split(": ", 1) for line in (HOSTILE / "expected.yaml").read_text("utf-8").splitlines()
             if line and not line.startswith("#"))}
EXPECTED = {json.loads(k): v for k, v in EXPECTED.items()}
DOSSIERS = sorted(n for n in EXPECTED if n.endswith(".yaml"))
INJECTIONS = sorted(n for n in DOSSIERS if "注入" in EXPECTED[n])


@pytest.fixture(scope="module")
def ctx():
    return make_context(Repo(PROJECT), DAY)


def test_corpus_is_large_and_current():
    import importlib.util

    spec = importlib.util.spec_from_file_location("hostile_make", HOSTILE / "make.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    made = {f"{m.id}.yaml": m.apply() for m in make.cases()}
    assert len(EXPECTED) >= 40 and set(made) == set(DOSSIERS)
    stale = [name for name, raw in made.items() if (HOSTILE / name).read_bytes() != raw]
    assert not stale, f"运行 .venv/bin/python tests/data/hostile/make.py 重新生成：{stale}"


@pytest.mark.parametrize("name", DOSSIERS)
def test_check_gives_the_expected_answer(name, ctx):
    want = EXPECTED[name]
    _summary, found = check_bytes((HOSTILE / name).read_bytes(), "dossiers/C000001.yaml", ctx)
    errors = [f for f in found if f[2] == "错误"]
    assert (1 if errors else 0) == want["退出码"], found
    if want["代码"] is None:
        assert not found, found
        return
    hits = [f for f in found if f[3] == want["代码"] and f[2] == want["级别"]]
    assert hits, found
    if want["行"] is not None:
        assert want["行"] in [f[0] for f in hits], found
    assert not any(FULL_ID.search(f[4]) for f in found)


def test_oversized_file_is_refused(ctx):
    _s, found = check_bytes(valid_bytes() + b"# " + b"x" * MAX_BYTES + b"\n", "dossiers/C000001.yaml", ctx)
    assert [f[3] for f in found] == ["L001"]


def test_cli_answers_like_the_library(repo, run, env):
    """A sample through the real command line: exit code and the finding line, nothing else printed."""
    for name in ("gbk.yaml", "rlo-in-id.yaml", "fifteen-digit-id.yaml", "cjk-ext-b-name-accepted.yaml",
                 "merge-conflict-markers.yaml", "injection-script.yaml"):
        shutil.copy(HOSTILE / name, repo / "dossiers" / "C000001.yaml")
        code, out, err = run(["check", "--no-cache", "dossiers/C000001.yaml"], repo, env)
        want = EXPECTED[name]
        assert code == want["退出码"], (name, out, err)
        assert "Traceback" not in out + err and not FULL_ID.search(out + err)
        if want["代码"]:
            assert f":{want['行']}:" in out and want["代码"] in out, (name, out)


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith(".lrmx")))
def test_xml_attacks_are_refused(name):
    with pytest.raises(LrmxError):
        read_lrmx((HOSTILE / name).read_bytes())


def _assert_inert_html(page: str, payload: str):
    from test_site import Page

    for el in Page(page).elements:
        attrs = dict(el["attrs"])
        assert not [n for n in attrs if n.startswith("on")], el
        for key in ("href", "src", "action"):
            assert not (attrs.get(key) or "").strip().lower().startswith("javascript:"), el
        if el["tag"] == "script":
            assert "alert" not in el["text"], el
        if el["tag"] in ("h1", "h2", "h3", "h4", "h5", "h6"):
            assert "伪造标题" not in el["text"], el
        assert not (el["tag"] == "img" and attrs.get("src") == "x"), el
    assert "<script>alert" not in page, page[max(0, page.find("<script>alert") - 300):page.find("<script>alert") + 50]


@pytest.mark.parametrize("name", INJECTIONS)
def test_injection_is_inert_in_the_form_and_the_lrmx(name):
    payload = EXPECTED[name]["注入"]
    data = load_bytes((HOSTILE / name).read_bytes()).data
    page = render_form_html(data, DAY, codes=CODES)
    _assert_inert_html(page, payload)
    import html

    assert payload in html.unescape(page)  # shown, as text
    raw = export_lrmx(form_model(data, DAY, codes=CODES))
    root = fromstring(raw)  # defusedxml: well-formed, no DTD
    texts = "".join(root.itertext())
    assert payload in texts or payload.strip() in texts
    parsed = read_lrmx(raw)  # and our own importer reads the very same text back
    assert parsed.values["XianRenZhiWu"] == payload and parsed.family[0]["GongZuoDanWeiJiZhiWu"] == payload
    assert not [el for el in root.iter() if el.tag == "x" or el.tag == "script"]


@pytest.fixture(scope="module")
def injected_site(tmp_path_factory):
    from test_site import copy_repo, mkdocs_build

    root = tmp_path_factory.mktemp("hostile-site")
    dossiers = []
    for i, name in enumerate(INJECTIONS, 1):
        number = f"C9{i:05d}"
        raw = (HOSTILE / name).read_bytes().replace(b"\xe7\xbc\x96\xe5\x8f\xb7: C000001", f"编号: {number}".encode())
        dossiers.append((f"{number}.yaml", raw))
    repo = copy_repo(root / "repo", dossiers)
    site = root / "site"
    p = mkdocs_build(repo, site)
    assert p.returncode == 0, p.stderr[-3000:]
    return site


def test_injection_is_inert_in_the_site(injected_site):
    """Every free-text field of every payload, built by the real mkdocs: the leak scan finds nothing either."""
    from test_site import site_pages

    assert scan_site(injected_site) == []
    pages = site_pages(injected_site)
    for rel in pages:
        source = (injected_site / rel).read_text("utf-8")
        _assert_inert_html(source, "")
    dossier_pages = [p for p in injected_site.glob("dossier/C9*/index.html")]
    assert len(dossier_pages) == len(INJECTIONS)
    text = "".join(p.read_text("utf-8") for p in dossier_pages)
    import html

    shown = html.unescape(text)
    assert "<script>alert(1)</script>" in shown and '--8<-- "/etc/passwd"' in shown  # as text, not obeyed
    assert "root:x:0:0" not in text


def test_scan_catches_foreign_scripts_and_event_attributes(tmp_path):
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "ours.js").write_text("1")
    (site / "index.html").write_text(
        '<script src="assets/ours.js"></script><script src="assets/none.js"></script><script>alert(1)</script>'
        '<script type="application/json">{"a": 1}</script><img src="a.png" onerror="alert(1)"><p>onclick=文字</p>',
        "utf-8")
    found = {(h.kind, h.value) for h in scan_site(site)}
    assert found == {("外来脚本", "assets/none.js"), ("外来脚本", "alert(1)"), ("事件属性", "onerror")}


def test_scan_on_two_cores_finds_what_one_finds(tmp_path):
    """A site of more pages than the scan does alone (scan._PARALLEL_MIN): the same hits, in file order."""
    from dangan.site import scan

    site = tmp_path / "site"
    site.mkdir()
    for k in range(scan._PARALLEL_MIN + 50):
        body = f"<p>第 {k} 页</p>"
        if k % 97 == 5:
            body += f'<img src="https://cdn.example.com/{k}.png"><a href="#" onclick="x()">x</a>'
        if k % 131 == 7:
            body += "<p>身份证 11010519491231002<span>X</span></p>"
        (site / f"p{k:04d}.html").write_text(body, "utf-8")
    alone = scan.scan_site(site, jobs=1)
    both = scan.scan_site(site, jobs=2)
    assert both == alone
    kinds = {h.kind for h in alone}
    assert {"外部地址", "事件属性", "身份证号"} <= kinds and len(alone) >= 12
