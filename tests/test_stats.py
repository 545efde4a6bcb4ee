"""`dangan stats`: the same tables as the site's 结构分析, counted by one module (dangan.stats)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections import Counter
from html import unescape

import pytest

from conftest import PROJECT
from dangan.load import load_file


@pytest.fixture
def many(repo):
    for p in (PROJECT / "dossiers").glob("*.yaml"):
        shutil.copy2(p, repo / "dossiers" / p.name)
    return repo


def stats_json(run, repo, env, *args) -> dict:
    rc, out, err = run(["stats", "--format", "json", *args], repo, env)
    assert rc == 0, err
    return json.loads(out)


def dims(scope: dict) -> dict[str, dict[str, int]]:
    return {d["名称"]: {c["类别"]: c["人数"] for c in d["分类"]} for d in scope["维度"]}


def test_counts_match_the_dossiers(run, many, env):
    ds = [load_file(p).data for p in sorted((many / "dossiers").glob("*.yaml"))]
    report = stats_json(run, many, env)
    assert report["统计日期"] == "2026.11.25"
    (total,) = report["范围"]
    assert total["名称"] == "全部" and total["人数"] == len(ds) == 52
    d = dims(total)
    assert d["性别"] == dict(Counter(x["性别"] for x in ds))
    assert sum(d["年龄"].values()) == len(ds)
    assert d["职级"] == dict(Counter(x["职级"] for x in ds))
    assert list(d) == ["年龄", "学历（全日制教育）", "学历（在职教育）", "性别", "民族", "政治面貌", "职级", "专业技术职务",
                       "2025年度考核结果", "任现职年限", "熟悉专业有何专长"]


def test_by_unit_and_as_of(run, many, env):
    report = stats_json(run, many, env, "--by", "管档单位")
    units = report["范围"][1:]
    assert sum(u["人数"] for u in units) == report["范围"][0]["人数"]
    assert [u["名称"] for u in units][:2] == ["市委组织部", "市财政局"]  # policy order
    young = dims(stats_json(run, many, env)["范围"][0])["年龄"].get("35岁及以下", 0)
    later = dims(stats_json(run, many, env, "--as-of", "2036.11.25")["范围"][0])["年龄"].get("35岁及以下", 0)
    assert later < young


def test_formats(run, many, env, tmp_path):
    rc, out, _ = run(["stats"], many, env)
    assert rc == 0 and "【全部】共 52 人" in out and "35岁及以下" in out
    rc, out, _ = run(["stats", "--format", "csv"], many, env)
    rows = list(csv.reader(io.StringIO(out)))
    assert rc == 0 and rows[0] == ["范围", "维度", "类别", "人数", "占比"]
    assert sum(int(r[3]) for r in rows[1:] if r[1] == "性别") == 52
    rc, _, err = run(["stats", "--format", "xlsx", "-o", tmp_path / "s.xlsx"], many, env)
    assert rc == 0 and (tmp_path / "s.xlsx").stat().st_size > 1000, err


def test_site_page_uses_the_same_numbers(many):
    """The site's charts are drawn from dangan.stats: same rows for the same people."""
    import datetime as dt

    from dangan import stats
    from dangan.repo import Repo
    from dangan.site.model import collect
    from dangan.site.pages import stats as page

    day = dt.date(2026, 11, 25)
    site = collect(Repo(many), day)
    report = stats.compute(Repo(many), day)
    html = page.index_page(site)
    shown = [(unescape(label), int(n)) for label, n in
             re.findall(r'<tr><td>([^<]*)</td><td><svg[^>]*>.*?</svg></td><td><span data-count="(\d+)">', html)]
    computed = [(label, n) for d in report.groups[0].dimensions for label, n in d.rows]
    assert shown == computed and len(computed) > 20


def test_a_copy_beside_its_original_is_counted_once(repo, env, run):
    """The fixture is a 副本 (市财政局) whose 正本 is held by 市委组织部: with that 正本 in dossiers/ too (the same
    身份证号), the person is counted once, under the 正本's unit, and the output says which 副本 was left out."""
    import datetime as dt

    from dangan.repo import Repo
    from dangan.site.model import collect
    from dangan.site.pages import stats as page
    from test_custody import with_original

    alone = stats_json(run, repo, env, "--by", "管档单位")
    assert [(s["名称"], s["人数"]) for s in alone["范围"]] == [("全部", 1), ("市财政局", 1)] and "副本" not in alone
    with_original(repo)  # C000002: the 正本 at 市委组织部
    report = stats_json(run, repo, env, "--by", "管档单位")
    assert [(s["名称"], s["人数"]) for s in report["范围"]] == [("全部", 1), ("市委组织部", 1)], report["范围"]
    assert "只计一次" in report["副本"] and "C000001" in report["副本"], report
    rc, out, err = run(["stats"], repo, env)
    assert rc == 0 and "副本与正本都在本库中的 1 人只计一次（按正本" in out and "【全部】共 1 人" in out, out + err
    rc, out, err = run(["stats", "--rows", "职级", "--format", "json"], repo, env)
    table = json.loads(out)
    assert "共 1 人" in table["标题"] and "只计一次" in table["说明"], table
    rc, out, err = run(["stats", "--trend", "2025..2026", "--format", "json"], repo, env)
    assert json.loads(out)["数据"][0] == {"类别": "人数", "值": [1, 1]}, out
    # the site's 结构分析 counts the same
    site = collect(Repo(repo), dt.date(2026, 11, 25))
    html = page.index_page(site)
    assert "共 1 人。副本与正本都在本库中的 1 人只计一次" in html, html[:600]
    # the Excel 花名册 lists both files; its 统计 sheet counts the person once and says so
    from openpyxl import load_workbook

    rc, out, err = run(["xlsx", "export", "-o", repo / "册.xlsx"], repo, env)
    assert rc == 0, out + err
    book = load_workbook(repo / "册.xlsx")
    assert book["花名册"].max_row == 3
    sheet = [list(r) for r in book["统计"].iter_rows(values_only=True)]
    assert any(r[0] == "说明" and "只计一次" in r[1] for r in sheet), sheet
    assert ["市委组织部", 1, "100.0%"] in sheet and not any(r[0] == "市财政局" for r in sheet), sheet
