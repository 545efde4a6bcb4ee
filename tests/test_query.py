"""`dangan query`: the grammar, each field type, the outputs, and errors that point at the column."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from conftest import FULL_ID, PROJECT
from dangan.load import load_file


@pytest.fixture
def many(repo):
    """The throw-away repository with the project's bundled dossiers."""
    for p in (PROJECT / "dossiers").glob("*.yaml"):
        shutil.copy2(p, repo / "dossiers" / p.name)
    return repo


def people(root) -> dict[str, dict]:
    return {p.stem: load_file(p).data for p in sorted((root / "dossiers").glob("*.yaml"))}


def age(d, year=2026, month=11):
    y, m = map(int, d["出生年月"].split("."))
    return year - y - (month < m)


def numbers(run, repo, env, expr, *args) -> list[str]:
    rc, out, err = run(["query", expr, "--format", "json", *args], repo, env)
    assert rc == 0, err
    return [r["编号"] for r in json.loads(out)]


def test_example_from_the_issue(run, many, env):
    ds = people(many)
    want = sorted(n for n, d in ds.items() if d["性别"] == "女" and age(d) < 40
                  and any(e["学历"] in ("大学本科毕业", "硕士研究生毕业", "博士研究生毕业") for e in d["学历学位"]))
    got = numbers(run, many, env, "学历>=大学 and 年龄<40 and 性别=女")
    assert got == want and got


def test_text_and_contains(run, many, env):
    ds = people(many)
    assert numbers(run, many, env, "管档单位=市财政局") == sorted(n for n, d in ds.items() if d["管档单位"] == "市财政局")
    assert numbers(run, many, env, "专业技术职务~高级") == sorted(
        n for n, d in ds.items() if "高级" in (d.get("专业技术职务") or ""))
    assert numbers(run, many, env, "not 管档单位=市财政局 and 管档单位!=市教育局") == sorted(
        n for n, d in ds.items() if d["管档单位"] not in ("市财政局", "市教育局"))


def test_or_parentheses_and_chinese_words(run, many, env):
    a = numbers(run, many, env, "(性别=女 or 年龄>=55) and 政治面貌=中共党员")
    b = numbers(run, many, env, "（性别=女 或 年龄>=55） 且 政治面貌=中共党员")
    assert a == b and a


def test_age_as_of_injected_date(run, repo, env):
    # 王建国, born 1972.03: 54 on 2026.11.25, 55 from 2027.03
    assert numbers(run, repo, env, "年龄>=55") == []
    assert numbers(run, repo, env, "年龄>=55", "--as-of", "2027.03.01") == ["C000001"]
    env["DANGAN_TODAY"] = "2027.03.01"
    assert numbers(run, repo, env, "年龄=55") == ["C000001"]


@pytest.mark.parametrize(("expr", "hit"), [
    ("出生年月<1973", True), ("出生年月<1972", False), ("出生年月>=1972.03", True), ("出生年月>1972.03", False),
    ("职级>=县处级副职", True), ("职级>县处级副职", False), ("学历>=研究生", True), ("学历=硕士", True),
    ("学历>研究生", False), ("学位~学士", True), ("姓名=王建国", True), ("民族!=汉族", False),
])
def test_field_types(run, repo, env, expr, hit):
    assert numbers(run, repo, env, expr) == (["C000001"] if hit else [])


@pytest.mark.parametrize(("expr", "col", "words"), [
    ("学历>=大学 and (年龄<40 or 性别=女", 26, "右括号"),
    ("学历>=大學", 5, "不认识的学历"),
    ("年纪<40", 1, "没有字段"),
    ("年龄<四十", 4, "整数"),
    ("性别>男", 3, "不能比较大小"),
    ("年龄<40 性别=女", 7, "and 或 or"),
    ("年龄<40 and", 10, "不完整"),
    ("性别=女 and 身份证号~1402", 10, "不公开"),
    ("家庭成员~李", 1, "不公开"),
    ("姓名='王", 4, "引号"),
    ("年龄 40", 4, "运算符"),
    ("", 1, "空"),
])
def test_errors_point_at_the_column(run, repo, env, expr, col, words):
    rc, out, err = run(["query", expr], repo, env)
    assert rc == 2 and out == ""
    assert f"第 {col} 个字符处" in err and words in err
    lines = err.splitlines()
    caret = lines[-1]
    assert caret.strip() == "^"
    # the caret sits under the character at that column, counting CJK characters as two columns
    from dangan.textable import width

    assert caret.index("^") - 2 == width(expr[:col - 1])


def test_outputs_never_show_id_or_family(run, many, env, tmp_path):
    rc, out, _ = run(["query", "年龄>0", "--format", "csv", "--columns", "编号,姓名,学历,学位,出生年月"], many, env)
    rows = list(csv.reader(io.StringIO(out)))
    assert rc == 0 and rows[0] == ["编号", "姓名", "学历", "学位", "出生年月"] and len(rows) == 53
    assert not FULL_ID.search(out)
    assert run(["query", "年龄>0", "--columns", "姓名,身份证号"], many, env)[0] == 2
    family = {m["姓名"] for d in people(many).values() for m in d["家庭成员"]}
    rc, table, _ = run(["query", "年龄>0"], many, env)
    assert rc == 0 and not any(f"  {n}  " in table for n in family)
    xlsx = tmp_path / "q.xlsx"
    rc, _, err = run(["query", "性别=女", "--format", "xlsx", "-o", xlsx], many, env)
    assert rc == 0, err
    from openpyxl import load_workbook

    ws = load_workbook(xlsx).active
    assert [c.value for c in ws[1]][:2] == ["编号", "姓名"] and ws.max_row == 1 + len(numbers(run, many, env, "性别=女"))
    assert run(["query", "性别=女", "--format", "xlsx"], many, env)[0] == 2


def test_table_aligns_chinese(run, many, env):
    from dangan.textable import width

    rc, out, _ = run(["query", "管档单位~市", "--columns", "姓名,管档单位,年龄"], many, env)
    lines = out.splitlines()
    assert rc == 0 and len(lines) > 3
    starts = {width(line[:line.index(line.split()[1])]) for line in lines[2:]}
    assert len(starts) == 1  # the second column starts at the same screen column on every row
