"""`dangan xlsx export|import`: a 200-cadre roster round trip, row/column errors, all-or-nothing, --partial, --map."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from conftest import DATA, FULL_ID, PROJECT
from dangan.strokes import sort_names


def roster(path) -> list[list]:
    ws = load_workbook(path)["花名册"]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def empty_repo(root):
    (root / "dossiers").mkdir(parents=True)
    shutil.copytree(PROJECT / "schema", root / "schema")
    return root


@pytest.fixture(scope="module")
def two_hundred(tmp_path_factory):
    import subprocess

    from conftest import DANGAN, TODAY

    out = tmp_path_factory.mktemp("roster") / "gen"
    env = {"DANGAN_TODAY": TODAY, "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}
    subprocess.run([DANGAN, "generate", "--count", "200", "--out", str(out), "--seed", "11"], check=True, env=env,
                   capture_output=True)
    return out


def test_roster_round_trip_of_200(two_hundred, run, env, tmp_path):
    first = tmp_path / "a.xlsx"
    code, out, err = run(["xlsx", "export", "-o", first], two_hundred, env)
    assert code == 0 and "200 人" in out, out + err
    rows = roster(first)
    assert len(rows) == 201 and rows[0][:3] == ["编号", "姓名", "性别"]
    ws = load_workbook(first)["花名册"]
    birth = ws.cell(row=2, column=4)
    assert birth.data_type == "s" and birth.number_format == "@" and len(birth.value) == 7 and birth.value[4] == "."
    assert ws.column_dimensions["B"].width >= 6 and ws.column_dimensions["X"].width > ws.column_dimensions["C"].width
    names = [r[1] for r in rows[1:]]
    assert names == sort_names(names)  # the policy file says 按姓氏笔画
    stats = [list(r) for r in load_workbook(first)["统计"].iter_rows(values_only=True)]
    assert ["总人数", 200, None] in stats
    assert any(r[0] == "管档单位" for r in stats) and any(r[0] == "年龄" for r in stats)
    # import into an empty repository, export again: the same roster (new 编号 aside)
    other = empty_repo(tmp_path / "other")
    code, out, err = run(["xlsx", "import", first], other, env)
    assert code == 0, out + err
    assert len(list((other / "dossiers").glob("*.yaml"))) == 200
    assert not FULL_ID.search(out + err)
    second = tmp_path / "b.xlsx"
    code, out, err = run(["xlsx", "export", "-o", second], other, env)
    assert code == 0, out + err
    assert [r[1:] for r in roster(second)] == [r[1:] for r in rows]
    # importing the same roster again refuses every row (same 身份证号) and writes nothing
    code, out, _ = run(["xlsx", "import", first], other, env)
    assert code == 1 and "未写入任何档案" not in out and len(list((other / "dossiers").glob("*.yaml"))) == 200


def test_unit_filter(two_hundred, run, env, tmp_path):
    code, _, err = run(["xlsx", "export", "-o", tmp_path / "u.xlsx", "--unit", "市财政局"], two_hundred, env)
    assert code == 0, err
    rows = roster(tmp_path / "u.xlsx")[1:]
    assert rows and {r[21] for r in rows} == {"市财政局"}


def test_export_as_of_a_past_day_is_the_corps_of_that_day(two_hundred, run, env, tmp_path):
    """--as-of 2012.12.31: only those who were cadres then, with the post of then — the same people `stats --as-of`
    counts (one computation, issue 17)."""
    import json

    code, out, err = run(["xlsx", "export", "-o", tmp_path / "p.xlsx", "--as-of", "2012.12.31"], two_hundred, env)
    assert code == 0, out + err
    rows = roster(tmp_path / "p.xlsx")[1:]
    code, out, err = run(["stats", "--as-of", "2012.12.31", "--format", "json"], two_hundred, env)
    then = json.loads(out)
    total = then["总人数"] if "总人数" in then else then["范围"][0]["人数"]
    assert 0 < len(rows) == total < 200, (len(rows), total)
    sheet = [list(r) for r in load_workbook(tmp_path / "p.xlsx")["统计"].iter_rows(values_only=True)]
    assert ["统计日期", "2012.12.31", None] in sheet and ["总人数", total, None] in sheet
    now = {r[0]: r for r in roster(tmp_path / "p.xlsx")[1:]}
    code, _out, err = run(["xlsx", "export", "-o", tmp_path / "n.xlsx"], two_hundred, env)
    today = {r[0]: r for r in roster(tmp_path / "n.xlsx")[1:]}
    post = roster(tmp_path / "n.xlsx")[0].index("现任职务")
    assert any(now[k][post] != today[k][post] for k in now), "some post changed since 2012"


def make_roster(path, rows, header=("序号", "姓名", "性别", "出生日期", "民族", "身份证号码", "政治面貌", "单位")):
    wb = Workbook()
    ws = wb.active
    ws.title = "科级干部"
    ws.append(["长治市某局干部花名册"])  # a title row above the header
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    wb.save(path)


GOOD = [1, "王小明", "男", "1972.03", "汉族", "142521197203150038", "中共党员", "市财政局"]  # valid ID


def test_errors_by_sheet_row_column_good_rows_import_and_all_or_nothing(repo, run, env, tmp_path):
    path = tmp_path / "r.xlsx"
    bad_id = [2, "李四", "男", 1971.11, "汉族", "142521197110150010", "群众", "市财政局"]  # wrong check digit
    bad_date = [3, "张三", "女", "1971年13月", "汉", "", "群众", "市财政局"]
    make_roster(path, [GOOD, bad_id, bad_date])
    code, out, err = run(["xlsx", "import", path, "--all-or-nothing"], repo, env)
    assert code == 1
    assert "科级干部!第 3 行" not in out
    assert "科级干部!第 4 行 F（身份证号） 列" in out and "1425**********0010" in out and "校验码（末位）不对" in out
    assert "科级干部!第 5 行 D（出生年月） 列" in out and "科级干部!第 5 行 E（民族） 列" in out
    assert "未写入任何档案" in err
    assert not FULL_ID.search(out + err)
    assert sorted(p.name for p in (repo / "dossiers").iterdir()) == ["C000001.yaml"]
    # by default the good rows import and the bad ones are reported (--partial is still accepted: the same)
    for extra in ([], ["--partial"]):
        target = tmp_path / f"into{len(extra)}"
        code, out, err = run(["xlsx", "import", path, "--into", target, *extra], repo, env)
        assert code == 1 and "王小明 → " in out and "科级干部!第 4 行 F（身份证号） 列" in out, out + err
        assert "2 行被拒绝（3 处错误）" in err and [p.name for p in target.iterdir()] == ["C000002.yaml"]
    code, out, err = run(["xlsx", "import", path, "--partial", "--all-or-nothing"], repo, env)
    assert code == 2 and "不能同时使用" in err
    code, out, err = run(["xlsx", "import", path], repo, env)
    assert code == 1 and "王小明 → dossiers/C000002.yaml" in out, out + err
    from dangan.load import load_file

    data = load_file(repo / "dossiers" / "C000002.yaml").data
    assert data["出生年月"] == "1972.03" and data["管档单位"] == "市财政局" and data["政治面貌"] == "中共党员"
    assert data["档案目录"] == [] and data["简历"] == []


def test_excel_number_dates_and_mapping(repo, run, env, tmp_path):
    path = tmp_path / "m.xlsx"
    make_roster(path, [["王小明", "男", "1970.10", "汉族", "市财政局"]], header=("名字", "性别", "生日", "民族", "单位"))
    code, out, err = run(["xlsx", "import", path], repo, env)
    assert code == 2 and "找不到表头" in err
    code, out, err = run(["xlsx", "import", path, "--map", "名字=姓名", "--map", "生日=出生年月"], repo, env)
    assert code == 0, out + err
    from dangan.load import load_file

    assert load_file(repo / "dossiers" / "C000002.yaml").data["出生年月"] == "1970.10"


def test_not_an_excel_file(repo, run, env, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a zip")
    code, _, err = run(["xlsx", "import", path], repo, env)
    assert code == 2 and "不是可读取的 Excel 文件" in err and "Traceback" not in err


# ---------------------------------------------------------------- rosters in the shapes offices have (issue 18)

CHANGZHI = "140402196812150016"  # a 长治 code of 1983 on a 1968 birth: genuine (numbers were issued from 1984–85)


def _load(path):
    from dangan.load import load_file

    return load_file(path).data


def test_genuine_ids_with_old_area_codes_import(repo, run, env, tmp_path):
    """Finding 1.1: the area code's history never refuses an ID; the message names what is wrong."""
    path = tmp_path / "r9.xlsx"
    rows = [[1, "王小明", "男", "1968.12", "汉族", CHANGZHI, "中共党员", "市财政局"],
            [2, "李四", "男", "1968.12", "汉族", "140402196812300015", "群众", "市财政局"],  # 12.30 exists; wrong digit
            [3, "赵五", "男", "1968.02", "汉族", "140402196802300017", "群众", "市财政局"],  # Feb 30th
            [4, "钱六", "男", "1968.02", "汉族", "14040219680230", "群众", "市财政局"]]
    make_roster(path, rows)
    code, out, err = run(["xlsx", "import", path], repo, env)
    assert code == 1, out + err
    assert "王小明 → dossiers/C000002.yaml" in out
    assert "第 4 行 F（身份证号） 列：身份证号 1404**********0015 无效：校验码（末位）不对" in out
    assert "第 5 行 F（身份证号） 列：身份证号 1404**********0017 无效：第 7–14 位的出生日期不存在" in out
    assert "第 6 行 F（身份证号） 列：身份证号 1404******0230 无效：位数不对（14 位，应为 18 位）" in out
    assert not FULL_ID.search(out + err)
    assert _load(repo / "dossiers" / "C000002.yaml")["身份证号"] == CHANGZHI


def test_dates_as_offices_write_them(repo, run, env, tmp_path):
    """Finding 1.3a/d: 入党时间 1995年6月 kept; a number 1985.1 refused with the cell and the fix; formats decide."""
    path = tmp_path / "dates.xlsx"
    header = ("姓名", "性别", "出生年月", "民族", "政治面貌", "入党时间", "参加工作时间")
    rows = [["甲一", "男", "1972年4月", "汉族", "中共党员", "1995年6月", "197207"],
            ["乙二", "男", 1985.1, "汉族", "群众", None, "1985.1"],
            ["丙三", "女", 1985.1, "汉族", "群众", None, None],  # formatted 0.00 below: shows 1985.10
            ["丁四", "女", 1972.4, "汉族", "中共党员", dt.datetime(2001, 7, 1), 1990.08],
            ["戊五", "男", "1972.04(54岁)", "汉族", "群众", None, "1985.1"]]
    make_roster(path, rows, header=header)
    wb = load_workbook(path)
    wb.active["C5"].number_format = "0.00"
    wb.save(path)
    code, out, err = run(["xlsx", "import", path, "--archive-unit", "市财政局"], repo, env)
    assert code == 1, out + err
    assert "科级干部!第 4 行 C（出生年月） 列：数字 1985.1 有歧义：可能是 1985.10" in out and "写成 1985.10 或 1985.01" in out
    assert out.count("有歧义") == 1
    people = {d["姓名"]: d for d in (_load(p) for p in (repo / "dossiers").glob("C00000[2-9].yaml"))}
    assert set(people) == {"甲一", "丙三", "丁四", "戊五"}
    assert (people["甲一"]["出生年月"], people["甲一"]["入党时间"], people["甲一"]["参加工作时间"]) == ("1972.04", "1995.06", "1972.07")
    assert people["丙三"]["出生年月"] == "1985.10"
    assert (people["丁四"]["出生年月"], people["丁四"]["入党时间"], people["丁四"]["参加工作时间"]) == ("1972.04", "2001.07", "1990.08")
    assert people["戊五"]["出生年月"] == "1972.04" and people["戊五"]["参加工作时间"] == "1985.01"  # text 1985.1: January


def _csv_rows():
    return ("姓名,性别,出生年月,民族,身份证号,政治面貌,入党时间,现工作单位及职务\n"
            f"王小明,男,1968.12,汉族,{CHANGZHI},中共党员,1995年6月,长治市财政局科员\n"
            "李四,男,1985.01,汉族,1.10101E+17,群众,,\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_or_gbk(repo, run, env, tmp_path, encoding):
    """Finding 1.7: a CSV (UTF-8, with BOM, or GBK) imports; an ID in scientific notation is refused with why."""
    path = tmp_path / "名单.csv"
    path.write_bytes(_csv_rows().encode(encoding))
    code, out, err = run(["xlsx", "import", path, "--archive-unit", "市财政局"], repo, env)
    assert code == 1 and "Traceback" not in err and "内部错误" not in err, out + err
    assert "名单!第 3 行 E（身份证号） 列" in out and "科学计数法" in out
    data = _load(repo / "dossiers" / "C000002.yaml")
    assert data["姓名"] == "王小明" and data["入党时间"] == "1995.06" and data["现任职务"] == "长治市财政局科员"


def test_xls_saved_by_libreoffice(repo, run, env):
    """Finding 1.7: an .xls (tests/data/roster/R8-old-format.xls, saved by LibreOffice Calc) imports."""
    path = DATA / "roster" / "R8-old-format.xls"
    code, out, err = run(["xlsx", "import", path, "--archive-unit", "市财政局"], repo, env)
    assert "Traceback" not in err and "内部错误" not in err
    assert code == 1, out + err  # one row has an ID stored as a number: refused with that reason
    assert "存成了数字" in out and "F（身份证号）" in out
    people = {d["姓名"]: d for d in (_load(p) for p in (repo / "dossiers").glob("C00000[2-9].yaml"))}
    assert people["王小明"]["入党时间"] == "1995.06" and people["王小明"]["身份证号"] == CHANGZHI
    assert people["赵五"]["出生年月"] == "1985.02"


def test_headers_offices_use_two_row_headers_and_unknown_columns(repo, run, env, tmp_path):
    """Finding 1.7: 出生年月(岁), 学历, 现工作单位及职务 and two-row merged headers are read; others are named."""
    path = tmp_path / "r2.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "干部"
    ws.append(["市直单位干部名册"])
    ws.append(["姓名", "性别", "出生年月(岁)", "学历", None, "全日制教育", None, None, "现工作单位及职务", "爱好"])
    ws.append([None, None, None, "全日制学历", "在职学历", "学位", "毕业院校系及专业", "毕业时间", None, None])
    ws.append(["钱六", "男", "1970.03\n（56岁）", "大学", "研究生", "管理学学士", "山西大学经济系", "1992.07", "市财政局科员", "书法"])
    ws.merge_cells("D2:E2")
    ws.merge_cells("F2:H2")
    wb.save(path)
    code, out, err = run(["xlsx", "import", path, "--archive-unit", "市财政局"], repo, env)
    assert code == 0, out + err
    assert "未识别的列，未导入：H（全日制教育/毕业时间）、J（爱好）" in out
    data = _load(repo / "dossiers" / "C000002.yaml")
    assert data["出生年月"] == "1970.03" and data["现任职务"] == "市财政局科员"
    edu = {e["类别"]: e for e in data["学历学位"]}
    assert edu["全日制"]["学历"] == "大学本科毕业" and edu["全日制"]["学位"] == "管理学学士"
    assert edu["全日制"]["毕业院校"] == "山西大学" and edu["在职"]["学历"] == "硕士研究生毕业"
    # a lone 学历 column is read as 全日制, and said so
    path = tmp_path / "r11.xlsx"
    make_roster(path, [["王小明", "男", "1972.03", "大学", "长治市财政局科员"]],
                header=("姓名", "性别", "出生年月(岁)", "学历", "现工作单位及职务"))
    code, out, err = run(["xlsx", "import", path, "--archive-unit", "市财政局"], repo, env)
    assert code == 0 and "“学历”没有注明全日制或在职，按“全日制学历”导入" in out, out + err


def test_id_stored_as_a_number(repo, run, env, tmp_path):
    """Finding 1.7: an exact 18-digit number is recovered (and said so); Excel's 15 digits are refused with why."""
    import zipfile

    path = tmp_path / "r7.xlsx"
    make_roster(path, [[1, "王小明", "男", "1968.12", "汉族", 140402196812150016, "群众", "市财政局"],
                       [2, "李四", "男", "1968.12", "汉族", 140402196812150017, "群众", "市财政局"]])
    # openpyxl writes a double (as Excel does); a program may write every digit: make row 3 exact
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = parts[sheet].decode()
    first = xml.index('<c r="F3"')
    start = xml.index("<v>", first) + 3
    parts[sheet] = (xml[:start] + CHANGZHI + xml[xml.index("</v>", start):]).encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    code, out, err = run(["xlsx", "import", path], repo, env)
    assert code == 1, out + err
    assert "第 3 行 F（身份证号） 列：身份证号存成了数字，数字完整，已按文字导入" in out
    assert "第 4 行 F（身份证号） 列：身份证号 1404**********0000 存成了数字：Excel 只保留 15 位有效数字" in out
    assert not FULL_ID.search(out + err)
    assert _load(repo / "dossiers" / "C000002.yaml")["身份证号"] == CHANGZHI


@pytest.mark.parametrize("content", [b"PK\x03\x04broken", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1broken", b"\x00\x01\x02binary"])
def test_damaged_spreadsheets_are_usage_errors(repo, run, env, tmp_path, content):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    code, _, err = run(["xlsx", "import", path], repo, env)
    assert code == 2 and "不是可读取的 Excel 文件" in err and "Traceback" not in err and "内部错误" not in err, err


def test_check_against_lists_what_differs(run, env, tmp_path):
    """xlsx import --check-against: the roster compared with the dossiers cell by cell; nothing is written."""
    from conftest import git

    office = tmp_path / "office"
    office.mkdir()
    for name in ("schema", "dossiers"):
        shutil.copytree(PROJECT / name, office / name)
    git(["init", "-q", "-b", "main"], office, env)
    exported = tmp_path / "r.xlsx"
    code, out, err = run(["xlsx", "export", "-o", exported], office, env)
    assert code == 0, err
    before = {p.name: p.read_bytes() for p in (office / "dossiers").iterdir()}
    code, out, err = run(["xlsx", "import", exported, "--check-against"], office, env)
    assert code == 0 and "核对了 52 人：0 处不一致，0 行没有对应的档案" in err, out + err
    wb = load_workbook(exported)
    ws = wb["花名册"]
    header = [c.value for c in ws[1]]
    row = 2
    number, name = ws.cell(row, 1).value, ws.cell(row, 2).value
    ws.cell(row, header.index("现任职务") + 1).value = "长治市某局局长"
    ws.cell(row, header.index("出生年月") + 1).value = "1901.01"
    ws.cell(3, header.index("身份证号") + 1).value = None
    ws.cell(3, header.index("出生年月") + 1).value = "1900.02"  # no ID and another birth month: no dossier
    removed_number = ws.cell(4, 1).value
    unit = ws.cell(4, header.index("管档单位") + 1).value
    ws.delete_rows(4)
    wb.save(exported)
    report = tmp_path / "diff.xlsx"
    code, out, err = run(["xlsx", "import", exported, "--check-against", "--archive-unit", unit, "--report", report],
                         office, env)
    assert code == 1, out + err
    col = get_column_letter(header.index("现任职务") + 1)
    assert f"花名册!第 2 行 {col}（现任职务） 列：{name}（{number}）花名册为“长治市某局局长”" in out
    assert "（出生年月） 列" in out and "花名册为“1901.01”" in out
    assert "花名册!第 3 行" in out and "没有对应的档案" in out
    assert f"档案 {removed_number}" in out and "花名册中没有" in out
    assert "核对了 50 人：2 处不一致，1 行没有对应的档案，1 份档案不在花名册中；档案未作任何改动" in err, err
    assert not FULL_ID.search(out + err)
    rows = [list(r) for r in load_workbook(report)["差异"].iter_rows(values_only=True)]
    assert rows[0] == ["工作表", "行", "列", "编号", "姓名", "花名册", "档案"]
    assert ["花名册", "2", f"{col}（现任职务）", number, name, "长治市某局局长"] in [r[:6] for r in rows]
    assert len(rows) == 1 + 2 + 1 + 1
    assert {p.name: p.read_bytes() for p in (office / "dossiers").iterdir()} == before
    code, _, err = run(["xlsx", "import", exported, "--report", report], office, env)
    assert code == 2 and "只与 --check-against 一起使用" in err
