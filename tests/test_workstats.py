"""`dangan stats --work YEAR` (档案工作统计, issue 20): the year's figures per 管档单位 from the dossiers and the
registers, checked against counts made by hand."""

from __future__ import annotations

import json

from conftest import git, valid_bytes
from test_check_cli import OTHER_ID, VALID_ID, sub
from test_ledgers import PEOPLE, borrow, consult, write


def table(run, repo, env, *args):
    code, out, err = run(["stats", "--work", *args, "--format", "json"], repo, env)
    assert code == 0, out + err
    t = json.loads(out)
    return {row["类别"]: dict(zip(t["列"], row["值"], strict=True)) for row in t["数据"]}, t


def test_the_year_in_figures(repo, env, run, tmp_path):
    # a second dossier in another unit, two materials of 2026 filed in C000001 (its catalog has others of earlier years)
    other = sub(VALID_ID, OTHER_ID)(valid_bytes()).replace(b"C000001", b"C000002").replace(
        "王建国".encode(), "李建国".encode()).replace("管档单位: 市财政局".encode(), "管档单位: 市委组织部".encode())
    (repo / "dossiers" / "C000002.yaml").write_bytes(other)
    git(["add", "-A"], repo, env)
    git(["commit", "-qm", "建档"], repo, env)
    for title, day in (("干部健康检查表", "2026.03.10"), ("年度考核登记表", "2026.01.20")):
        code, _out, err = run(["file", "C000001", "--class", "10" if "健康" in title else "3", "--title", title,
                               "--formed", day, "--pages", "2", "--received", day, "--commit"], repo, env)
        assert code == 0, err
    # registers: two consultations (2 people each), one loan (2 people), one of 2025 that does not count
    write(repo, "查阅", consult() + consult(登记号='"2026-002"', 编号="C000002", 姓名="李建国")
          + consult(登记号='"2025-001"', 查阅日期='"2025.06.09"', 审批='{审批人: 李明, 审批日期: "2025.06.08"}'))
    write(repo, "借阅", borrow(登记号='"2026-003"', 人员=PEOPLE))
    git(["add", "-A"], repo, env)
    git(["commit", "-qm", "登记"], repo, env)
    # C000002 transferred out in 2026: counted for the unit it was held by, though it is gone
    code, _out, err = run(["transfer", "out", "C000002", "--to", "省财政厅", "--notice", "长组档转〔2026〕15号",
                           "--via", "机要交通", "--date", "2026.11.20", "--commit"], repo, env)
    assert code == 0, err
    rows, t = table(run, repo, env, "2026")
    assert t["行"] == "管档单位" and "2026 年干部人事档案工作统计" == t["标题"]
    mine = rows["市财政局"]
    catalog_2026 = valid_bytes().decode().count('接收时间: "2026.')
    assert mine["保管档案（卷）"] == 1 and mine["归档材料（份）"] == 2 + catalog_2026
    assert (mine["查阅（次）"], mine["查阅（人次）"], mine["借阅（次）"], mine["借阅（人次）"]) == (1, 2, 1, 2)
    gone = rows["市委组织部"]
    assert gone["转出（卷）"] == 1 and gone["保管档案（卷）"] == 0 and gone["查阅（次）"] == 1  # read from Git
    assert "（已转出或删除）" not in rows
    assert rows["合计"]["查阅（次）"] == 2 and rows["合计"]["转出（卷）"] == 1 and rows["合计"]["转入（卷）"] == 0
    older, _t = table(run, repo, env, "2025")
    assert older["合计"]["查阅（次）"] == 1 and older["合计"]["转出（卷）"] == 0
    code, _out, err = run(["stats", "--work", "2026", "--by", "性别"], repo, env)
    assert code == 2 and "--work 单独使用" in err
    code, _out, err = run(["stats", "--work", "2030"], repo, env)
    assert code == 2 and "晚于今天" in err
