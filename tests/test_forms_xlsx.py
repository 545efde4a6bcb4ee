"""`dangan xlsx export|import`: a 200-cadre roster round trip, row/column errors, all-or-nothing, --partial, --map."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import Workbook, load_workbook

from conftest import FULL_ID, PROJECT
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


def test_errors_by_sheet_row_column_and_nothing_written(repo, run, env, tmp_path):
    path = tmp_path / "r.xlsx"
    bad_id = [2, "李四", "男", 1971.10, "汉族", "142521197110150010", "群众", "市财政局"]  # wrong check digit
    bad_date = [3, "张三", "女", "1971年13月", "汉", "", "群众", "市财政局"]
    make_roster(path, [GOOD, bad_id, bad_date])
    code, out, err = run(["xlsx", "import", path], repo, env)
    assert code == 1
    assert "科级干部!第 3 行" not in out
    assert "科级干部!第 4 行 F（身份证号） 列" in out and "1425**********0010" in out
    assert "科级干部!第 5 行 D（出生年月） 列" in out and "科级干部!第 5 行 E（民族） 列" in out
    assert "未写入任何档案" in err
    assert not FULL_ID.search(out + err)
    assert sorted(p.name for p in (repo / "dossiers").iterdir()) == ["C000001.yaml"]
    code, out, err = run(["xlsx", "import", path, "--partial"], repo, env)
    assert code == 1 and "王小明 → dossiers/C000002.yaml" in out, out + err
    from dangan.load import load_file

    data = load_file(repo / "dossiers" / "C000002.yaml").data
    assert data["出生年月"] == "1972.03" and data["管档单位"] == "市财政局" and data["政治面貌"] == "中共党员"
    assert data["档案目录"] == [] and data["简历"] == []


def test_excel_number_dates_and_mapping(repo, run, env, tmp_path):
    path = tmp_path / "m.xlsx"
    make_roster(path, [["王小明", "男", 1970.10, "汉族", "市财政局"]], header=("名字", "性别", "生日", "民族", "单位"))
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
