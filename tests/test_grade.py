"""dangan grade (目标管理) and the two site pages (管档单位定级, 新任干部档案通报): rubric from the policy file,
overdue computed against an injected date, never the wall clock."""

from __future__ import annotations

import json
import re

from conftest import VALID
from review_helpers import commit, edit

DOSSIER = "dossiers/C000001.yaml"
# a 检查验收 of 市财政局 with full marks on every inspected item: the grade then turns on the data alone
FULL = ("- 登记号: \"2026-001\"\n  管档单位: 市财政局\n  日期: \"2026.01.05\"\n  检查人: [张华, 赵强]\n  评分:\n"
        + "".join(f"    - {{项目: {n}, 得分: {p}}}\n" for n, p in (
            ("领导重视", 5), ("机构职责", 5), ("人员配备", 5), ("业务培训", 5), ("库房用房", 5), ("八防设施", 6),
            ("温湿度管理", 4), ("制度健全", 6), ("登记簿册", 4), ("整理与信息化", 5)))
        + "  问题: []\n  卷数: 1\n  总分: 100\n  评定等级: 一级\n")


def inspected(root) -> None:
    (root / "ledgers").mkdir(exist_ok=True)
    (root / "ledgers" / "检查验收.yaml").write_text(FULL, "utf-8")


def _unit(repo, env, run, unit="市财政局", *args):
    code, out, err = run(["grade", unit, "--format", "json", *args], repo, env)
    assert code == 0, out + err
    doc = json.loads(out)
    return doc["单位"][0], doc


def test_grade_from_policy_rubric(repo, env, run):
    inspected(repo)
    commit(repo, env, "建档")
    u, _ = _unit(repo, env, run)
    assert (u["卷数"], u["参评"], u["完整率"], u["未经认定改动"], u["等级"]) == (1, False, 100.0, 0, "一级")
    # one unauthorised alteration: 一级 allows none, 二级 two
    edit(repo / DOSSIER, '入党时间: "1995.06"', '入党时间: "1995.05"')
    commit(repo, env, "改入党时间")
    u, _ = _unit(repo, env, run)
    assert u["未经认定改动"] == 1 and u["等级"] == "二级"
    assert any("未经认定改动 1" in r and "一级要求≤ 0" in r for r in u["未达上一等级的原因"])
    # the bound is the policy's: allow one in 一级 and it is 一级 again
    edit(repo / "schema" / "policy.yaml", "{名称: 一级, 总分不低于: 90, 完整率不低于: 95, 每百卷问题不超过: 50, 未经认定改动不超过: 0,",
         "{名称: 一级, 总分不低于: 90, 完整率不低于: 95, 每百卷问题不超过: 50, 未经认定改动不超过: 1,")
    assert _unit(repo, env, run)[0]["等级"] == "一级"


def test_completeness_rate_drops_grade(repo, env, run):
    edit(repo / DOSSIER, "材料名称: 干部任免审批表（副局长）", "材料名称: 任职通知（副局长）")  # C501
    u, _ = _unit(repo, env, run)
    assert u["完整率"] == 0.0 and u["等级"] == "未达标"


def test_overdue_receipt_against_injected_date(repo, env, run):
    """A 转出 without 回执: overdue once 期限.转递回执 (1 month) has passed, counted for the unit it left."""
    inspected(repo)
    other = VALID.read_text("utf-8").replace("编号: C000001", "编号: C000002").replace("姓名: 王建国", "姓名: 李四")
    (repo / "dossiers" / "C000002.yaml").write_text(other, "utf-8")
    commit(repo, env, "建档")
    (repo / "dossiers" / "C000002.yaml").unlink()
    (repo / "ledgers" / "转递.yaml").write_text(
        "- 通知单号: 长组档转〔2026〕15号\n  编号: C000002\n  姓名: 李四\n  方向: 转出\n  转往: 省财政厅\n"
        '  日期: "2026.10.01"\n  方式: 机要交通\n  回执日期: null\n  经办人: 测试员\n', "utf-8")
    commit(repo, env, "转出")
    u, _ = _unit(repo, env, run, "市财政局", "--as-of", "2026.11.01")
    assert u["逾期未回执"] == 0 and u["等级"] == "一级"
    u, _ = _unit(repo, env, run, "市财政局", "--as-of", "2026.11.02")
    assert u["逾期未回执"] == 1 and u["等级"] == "二级"


def test_overdue_loan_against_injected_date(repo, env, run):
    inspected(repo)
    (repo / "ledgers" / "借阅.yaml").write_text(
        '- {登记号: J001, 编号: C000001, 姓名: 王建国, 借出日期: "2026.11.01", 应还日期: "2026.11.15", 归还日期: null}\n',
        "utf-8")
    u, _ = _unit(repo, env, run, "市财政局", "--as-of", "2026.11.15")
    assert u["逾期未还"] == 0
    u, doc = _unit(repo, env, run, "市财政局", "--as-of", "2026.11.16")
    assert u["逾期未还"] == 1
    assert not any("借阅" in n for n in doc["说明"])


def test_without_borrow_ledger_says_zero(repo, env, run):
    code, out, _ = run(["grade"], repo, env)
    assert code == 0
    assert "没有借阅登记簿（ledgers/借阅.yaml）：逾期未还按 0 计" in out
    assert "没有可读的 Git 历史" in out


def test_city_overview_counts(tmp_path, env, run):
    out_dir = tmp_path / "g"
    code, out, err = run(["generate", "--count", "30", "--out", out_dir, "--seed", "5", "--as-of", "2026.11.25"],
                         tmp_path, env)
    assert code == 0, out + err
    code, out, _ = run(["grade"], out_dir, env)
    assert code == 0 and "500 卷以上的管档单位 0 个" in out
    edit(out_dir / "schema" / "policy.yaml", "参评卷数: 500", "参评卷数: 1")
    code, out, _ = run(["grade", "--format", "json"], out_dir, env)
    doc = json.loads(out)
    graded = [u for u in doc["单位"] if u["参评"]]
    assert sum(u["卷数"] for u in doc["单位"]) == 30
    counts = dict(re.findall(r"(一级|二级|三级|未达标) (\d+) 个", doc["概况"]))
    assert sum(map(int, counts.values())) == len(graded) > 0


def test_usage(repo, env, run):
    code, _, err = run(["grade", "不存在的单位"], repo, env)
    assert code == 2 and "没有管档单位" in err


def test_site_pages(tmp_path):
    """The 目标管理 and 年终通报 pages are built, list the units, and pass the site's privacy scans."""
    from test_site import copy_repo, mkdocs_build

    raw = VALID.read_bytes().replace('接收时间: "2016.08.20"'.encode(), '接收时间: "2026.08.20"'.encode())
    root = copy_repo(tmp_path / "repo", [("C000001.yaml", raw)])
    inspected(root)
    p = mkdocs_build(root, tmp_path / "site")
    assert p.returncode == 0, p.stdout + p.stderr
    grades = (tmp_path / "site" / "manage" / "index.html").read_text("utf-8")
    assert "管档单位定级" in grades and "市财政局" in grades and 'data-dangan-grade="三级"' in grades  # 新任 88: 二级 needs 90
    intake = (tmp_path / "site" / "manage" / "intake" / "index.html").read_text("utf-8")
    assert "2026 年度通报" in intake and "C000001" in intake and "优秀" in intake
    reviews = (tmp_path / "site" / "manage" / "reviews" / "index.html").read_text("utf-8")
    assert 'data-dangan-verdict="通过"' in reviews and "../../pretrial/C000001/" in reviews
    page = (tmp_path / "site" / "pretrial" / "C000001" / "index.html").read_text("utf-8")
    assert "审核结论" in page and "2 人（站点不公开）" in page
    dossier = (tmp_path / "site" / "dossier" / "C000001" / "index.html").read_text("utf-8")
    assert '<a href="../../pretrial/C000001/">任前审核</a>' in dossier
    for html in (grades, intake, reviews, page):  # the valid dossier's family members never reach the site
        assert "李秀英" not in html and "王浩" not in html and "1974.05" not in html


def test_intake_average_bounds_grade(repo, env, run):
    """A recent intake scoring 93 (late delivery): 一级 needs an average ≥ 95, 二级 ≥ 90."""
    inspected(repo)
    edit(repo / DOSSIER, '形成时间: "2016.08.05", 页数: 2, 接收时间: "2016.08.20"',
         '形成时间: "2026.05.05", 页数: 2, 接收时间: "2026.06.20"')
    commit(repo, env, "建档")
    u, _ = _unit(repo, env, run)
    assert (u["新任档案"], u["新任平均分"], u["等级"]) == (1, 93, "二级")
    assert any(r.startswith("新任评分 93") for r in u["未达上一等级的原因"])
    u, _ = _unit(repo, env, run, "市财政局", "--as-of", "2027.07.01")  # out of the 12-month window: not held against it
    assert u["新任档案"] == 0 and u["新任平均分"] is None


def test_findings_per_hundred_volumes(repo, env, run):
    inspected(repo)
    edit(repo / DOSSIER, '出生年月: "1972.03"', '出生年月: "1972.04"')  # R103: one warning on one volume
    u, _ = _unit(repo, env, run)
    assert u["每百卷问题"] == 100.0 and u["等级"] == "二级"  # 一级 allows 50 per 100 volumes, 二级 150
    assert any(r.startswith("每百卷问题 100") for r in u["未达上一等级的原因"])
