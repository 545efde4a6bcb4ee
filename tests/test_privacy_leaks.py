"""Personal data never leaks, by construction and by scan: ../shared/findings/attacks.md F6, F7, F8, F20.

- an ID number written with spaces, hyphens or full-width digits is masked in every message and page;
- a former family member, and a 认定记录 about one, never reach the site (the real ``mkdocs build``);
- ``dangan check`` warns on an ID-shaped or phone number outside 身份证号, comments included;
- spreadsheet exports are inert: a value starting with = + - @, a tab or CR is text, also in LibreOffice;
- the post-build scan reads real attributes (escaped ``src=//`` in text is not one) and finds IDs split by markup.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from conftest import DANGAN, PROJECT, git
from dangan.privacy import find_ids, scrub
from dangan.site.scan import scan_names, scan_site

ID = "1425211972" + "03150011"  # C000001's own number (tests/data/valid.yaml), assembled: no 18-digit run here
SPACED = f"{ID[:4]} {ID[4:8]} {ID[8:12]} {ID[12:16]} {ID[16:]}"
HYPHENED = f"{ID[:6]}-{ID[6:14]}-{ID[14:]}"
FULLWIDTH = ID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
OTHER_ID = "1101051949" + "1231002X"  # the sample number of GB 11643, as a relative's


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


@pytest.mark.parametrize("written", [ID, SPACED, HYPHENED, FULLWIDTH, f"{ID[:6]} - {ID[6:]}", ID[:17] + "Ｘ",
                                     f"{ID[:6]}\u3000{ID[6:]}", f"身份证{HYPHENED}，电话 13800138000"])
def test_scrub_masks_every_way_of_writing_an_id(written):
    masked = scrub(written)
    assert ID not in _digits(masked) and ID[:17] not in _digits(masked), masked
    assert masked.count("*") >= 10 and len(masked) == len(written)


@pytest.mark.parametrize("text", ["1995.09-1999.07 2001.09-2005.07", "2019 2020 2021 2022", "2019 2020 2021 2022 2023",
                                  "19950901-19990701 20010901-20050701", "0355-2012345 13800138000",
                                  "4-1-1、4-1-2、9-2-5", "长组字〔2026〕12号 2026.10.01"])
def test_scrub_leaves_dates_years_and_phones(text):
    assert scrub(text) == text and not find_ids(text, strict=True)


# ---------------------------------------------------------------- check: R109 / R110 (comments included)

def test_check_warns_on_stray_ids_and_phones(repo, env, run):
    path = repo / "dossiers" / "C000001.yaml"
    text = path.read_text("utf-8")
    assert f'身份证号: "{ID}"' in text
    text = text.replace("\n家庭成员:", f"\n# 妻子身份证 {OTHER_ID[:6]} {OTHER_ID[6:]}，手机 138-0013-8000\n家庭成员:", 1)
    text = text.replace("\n档案目录:", "\n档案目录:  # 联系电话 （0355）2012345", 1)
    path.write_text(text, "utf-8")
    rc, out, err = run(["check", "dossiers/C000001.yaml", "--no-cache"], repo, env)
    assert rc == 0, out + err  # warnings: the commit is not blocked, the clerk is told
    lines = text.splitlines()
    r109 = [f for f in out.splitlines() if " R109 " in f]
    r110 = [f for f in out.splitlines() if " R110 " in f]
    assert len(r109) == 1 and len(r110) == 2, out
    line = next(n for n, t in enumerate(lines, 1) if t.startswith("# 妻子身份证"))
    assert r109[0].startswith(f"dossiers/C000001.yaml:{line}:9:") and "1101**********002X" in r109[0]
    assert OTHER_ID not in out + err and "13800138000" not in out and "138****8000" in out
    # the cadre's own number where it belongs is not a finding; the same number in a value is
    path.write_text(path.read_text("utf-8").replace("# 妻子身份证", "# 妻子").replace(OTHER_ID[:6], "").replace(
        OTHER_ID[6:], ""), "utf-8")
    rc, out, _ = run(["check", "dossiers/C000001.yaml", "--no-cache"], repo, env)
    assert " R109 " not in out
    path.write_text(path.read_text("utf-8").replace("\n家庭成员:", f"\n# 本人 {SPACED}\n家庭成员:", 1), "utf-8")
    rc, out, _ = run(["check", "dossiers/C000001.yaml", "--no-cache"], repo, env)
    assert out.count(" R109 ") == 1 and ID not in out


def test_bundled_dossiers_have_no_stray_numbers(env, run):
    _rc, out, _err = run(["check", "--no-cache"], PROJECT, env)
    assert " R109 " not in out and " R110 " not in out, out


# ---------------------------------------------------------------- the site (real mkdocs build over a Git history)

def _site_repo(repo, env):
    shutil.copy(PROJECT / "mkdocs.yml", repo / "mkdocs.yml")
    shutil.copytree(PROJECT / "docs", repo / "docs")
    hook = repo / "scripts" / "dangan" / "site" / "hook.py"
    hook.parent.mkdir(parents=True)
    shutil.copy(PROJECT / "scripts" / "dangan" / "site" / "hook.py", hook)
    (repo / ".gitignore").write_text("site/\n", "utf-8")
    git(["add", "-A"], repo, env)
    git(["commit", "-q", "--no-verify", "-m", "基线"], repo, env)


def _build(repo, env) -> tuple[subprocess.CompletedProcess, object]:
    out = repo.parent / "site"
    shutil.rmtree(out, ignore_errors=True)
    p = subprocess.run([os.path.join(os.path.dirname(DANGAN), "mkdocs"), "build", "--strict", "-d", str(out)],
                       cwd=repo, env=dict(env, NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True, timeout=600)
    return p, out


def _all_text(site) -> str:
    return "\n".join(p.read_text("utf-8", "replace") for p in site.rglob("*")
                     if p.is_file() and p.suffix in (".html", ".json", ".xml", ".txt", ".js"))


DIVORCE = """认定记录:
  - 项目: 家庭成员[1]
    原值: 冯怡
    认定值: 删除
    依据: ["1-1"]
    认定机关: 市委组织部
    认定日期: "2026.10.01"
    文号: 长组字〔2026〕12号
    说明: 与冯怡离婚，其身份证 {id}"""


def test_former_family_and_spaced_ids_never_reach_the_site(repo, env, run):
    path = repo / "dossiers" / "C000001.yaml"
    path.write_text(path.read_text("utf-8").replace("李秀英", "冯怡"), "utf-8")  # the manual names 李秀英 as an example
    _site_repo(repo, env)
    text = path.read_text("utf-8")
    wife = "  - 称谓: 妻子\n    姓名: 冯怡\n"
    assert wife in text and "认定记录: []" in text
    start = text.index(wife)
    end = text.index("  - 称谓:", start + len(wife))
    text = text[:start] + text[end:]  # 冯怡 leaves 家庭成员 …
    text = text.replace("认定记录: []", DIVORCE.format(id=OTHER_ID[:6] + " " + OTHER_ID[6:]))  # … with a 认定
    # an ID written spaced and hyphenated in free text; escaped markup that names an external address
    text = re.sub(r"(?m)^现任职务: (.*)$", lambda m: f'现任职务: "{m.group(1).strip(chr(34))} '
                  f'<iframe src=//evil.example> 身份证 {SPACED}"', text, count=1)
    # … and hyphenated in a 档案目录 备注, as attacks.md F6 wrote it
    last = '接收时间: "2016.08.20"}'
    assert text.count(last) == 1
    text = text.replace(last, f'接收时间: "2016.08.20", 备注: "身份证 {HYPHENED}"}}')
    path.write_text(text, "utf-8")
    rc, out, err = run(["check", "dossiers/C000001.yaml", "--no-cache"], repo, env)
    assert rc == 0 and " R109 " in out, out + err
    git(["commit", "-q", "--no-verify", "-am", "离婚"], repo, env)
    p, site = _build(repo, env)
    assert p.returncode == 0, p.stderr[-3000:]
    everything = _all_text(site)
    assert "冯怡" not in everything
    assert ID not in _digits(everything) and OTHER_ID not in _digits(everything)
    page = html.unescape((site / "dossier" / "C000001" / "index.html").read_text("utf-8"))
    assert "（不公开）" in page and "长组字〔2026〕12号" in page and "1425 **** **** **00 11" in page
    assert "身份证 1425**-********-0011" in page  # the 备注 is shown, masked
    assert "evil.example" in page  # shown as the text it is, and the scan did not take it for an attribute
    assert "<iframe" not in (site / "dossier" / "C000001" / "index.html").read_text("utf-8")
    # the scan knows the former wife from the history: her name anywhere else fails the build
    text = path.read_text("utf-8").replace("熟悉专业有何专长: ", "熟悉专业有何专长: 冯怡同志介绍的", 1)
    assert "冯怡同志介绍的" in text
    path.write_text(text, "utf-8")
    git(["commit", "-q", "--no-verify", "-am", "专长"], repo, env)
    p, site = _build(repo, env)
    assert p.returncode != 0 and "家庭成员的姓名" in p.stderr and "冯*" in p.stderr and "冯怡" not in p.stderr


def test_scan_reads_attributes_and_finds_split_ids(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "text.html").write_text(
        "<p>&lt;iframe src=//evil.example&gt; <td title='a src=//x.example'>x</td> src=//y.example</p>"
        "<img alt=\"a href=//z.example\" src=\"ok.png\">", "utf-8")
    assert scan_site(site) == []
    (site / "attr.html").write_text('<p><img alt="x" src=//evil.example><b onclick="x()">b</b></p>', "utf-8")
    kinds = sorted(h.kind for h in scan_site(site))
    assert kinds == ["事件属性", "外部地址"]
    (site / "attr.html").unlink()
    for name, body in [("spans.html", f"<p>{ID[:4]}<span>{ID[4:10]}</span><b>{ID[10:]}</b></p>"),
                       ("spaced.html", f"<p>{SPACED}</p>"), ("refs.html", "<p>" + "".join(f"&#{ord(c)};" for c in ID)
                                                            + "</p>"),
                       ("wbr.html", f"<p>{ID[:9]}<wbr>{ID[9:]}</p>"), ("index.json", '{"t": "' + "".join(
                           f"\\u{ord(c):04x}" for c in HYPHENED) + '"}'), ("full.html", f"<td>{FULLWIDTH}</td>")]:
        (site / name).write_text(body, "utf-8")
        hits = [h for h in scan_site(site) if h.path == name]
        assert [h.kind for h in hits] == ["身份证号"], (name, hits)
        assert ID not in hits[0].value
        (site / name).unlink()
    (site / "cells.html").write_text("<table><tr><td>2019</td><td>2020</td><td>2021</td><td>2022</td><td>123</td>"
                                     "<td>45</td></tr></table>", "utf-8")
    assert scan_site(site) == []
    (site / "names.json").write_text('{"t": "\\u51af\\u200b\\u6021"}', "utf-8")
    assert [h.value for h in scan_names(site, {"冯怡"})] == ["冯*"]



def test_the_manual_search_and_the_scan_read_pages_alike(tmp_path):
    """One reading of HTML (site/html.visible) for the privacy scan and the manual's file:// search (manual.js):
    comments, scripts and a '>' inside a quoted attribute are not text, inline tags join, word breaks go."""
    from dangan.site import datafile, manual
    from dangan.site.html import visible

    page = ('<p>转<code>递</code>登\u200b记</p><!-- 注 > 释 --><script>var a = "<b>";</script>'
            '<p title="a>b">回&#25191;</p>')
    assert visible(page).split() == ["转递登记", "回执"]
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    index = {"docs": [{"location": "manual/ledgers/#x", "title": "<code>转递</code>", "text": page}]}
    (site / "search" / "search_index.json").write_text(json.dumps(index, ensure_ascii=False), "utf-8")
    written = manual.write(site)
    assert written is not None
    data = datafile.read_script(written.read_text("utf-8"))
    assert data is not None and json.loads(data) == [["manual/ledgers/#x", "转递", "转递登记 回执"]]
    # a split ID the manual would show is one the scan finds in the page
    (site / "page.html").write_text(f"<p>{ID[:6]}<code>{ID[6:]}</code><!-- {ID[:3]} --></p>", "utf-8")
    assert [h.kind for h in scan_site(site)] == ["身份证号"]
    assert manual.plain(f"<p>{ID[:6]}<code>{ID[6:]}</code></p>") == ID

# ---------------------------------------------------------------- exports are inert (F8)

PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1,1)", '=HYPERLINK("http://evil.example","x")']


def test_every_formula_start_is_made_text():
    """Tab and CR cannot start a dossier value (the loader refuses tabs, values are stripped): the helpers still cover them."""
    from openpyxl import Workbook

    from dangan.textable import FORMULA_START, csv_cell, text_cells

    assert set(FORMULA_START) == {"=", "+", "-", "@", "\t", "\r"}
    ws = Workbook().active
    ws.append([s + "1+1" for s in FORMULA_START] + ["正常", 3])
    text_cells(ws)
    assert [c.data_type for c in ws[1]] == ["s"] * 7 + ["n"]
    assert [csv_cell(s + "x") for s in FORMULA_START] == ["'" + s + "x" for s in FORMULA_START]
    assert csv_cell("正常") == "正常" and csv_cell(3) == 3


def _poison(repo, value: str):
    path = repo / "dossiers" / "C000001.yaml"
    text = path.read_text("utf-8")
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    path.write_text(re.sub(r"(?m)^现任职务: .*$", lambda _m: f"现任职务: {quoted}", text, count=1), "utf-8")


@pytest.mark.parametrize("value", PAYLOADS)
def test_xlsx_and_csv_exports_are_inert(repo, env, run, tmp_path, value):
    _poison(repo, value)
    out = tmp_path / "roster.xlsx"
    rc, o, e = run(["xlsx", "export", "-o", out], repo, env)
    assert rc == 0, o + e
    ws = load_workbook(out)["花名册"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("现任职务") + 1)
    assert cell.data_type == "s" and cell.value.strip() == value.strip(), (cell.value, cell.data_type)
    for fmt_args in (["--format", "xlsx", "-o", tmp_path / "q.xlsx"], ["--format", "csv"]):
        rc, o, e = run(["query", "编号=C000001", "--columns", "编号,现任职务", *fmt_args], repo, env)
        assert rc == 0, e
        if "csv" in fmt_args:
            rows = list(csv.reader(io.StringIO(o)))
            assert rows[1][1] == "'" + value, rows
        else:
            q = load_workbook(tmp_path / "q.xlsx").active
            assert q.cell(row=2, column=2).data_type == "s"
    with zipfile.ZipFile(out) as z:
        sheets = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in sheets and b"<f " not in sheets


def test_libreoffice_shows_formula_text_as_text(repo, env, run, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) 未安装")
    _poison(repo, '=HYPERLINK("http://evil.example","点击")')
    out = tmp_path / "roster.xlsx"
    assert run(["xlsx", "export", "-o", out], repo, env)[0] == 0
    profile = tmp_path / "lo-profile"
    p = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                        "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(tmp_path / "csv"), str(out)],
                       capture_output=True, text=True, timeout=300, env=env)
    converted = tmp_path / "csv" / "roster.csv"
    assert converted.is_file(), p.stdout + p.stderr
    text = converted.read_text("utf-8")
    assert '=HYPERLINK(""http://evil.example"",""点击"")' in text, text[:500]
