"""dangan grade (目标管理) and the two site pages (管档单位定级, 新任干部档案通报): rubric from the policy file,
overdue computed against an injected date, never the wall clock."""

from __future__ import annotations

import json
import re

from conftest import VALID
from review_helpers import commit, complete_dossier, edit

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


def sent_away(root, env) -> None:
    """A second dossier, C000002 李四 of 市财政局, committed and then gone from dossiers/ (as a 转出 leaves it);
    the caller writes the register entry."""
    other = VALID.read_text("utf-8").replace("编号: C000001", "编号: C000002").replace("姓名: 王建国", "姓名: 李四")
    (root / "dossiers" / "C000002.yaml").write_text(other, "utf-8")
    commit(root, env, "建档")
    (root / "dossiers" / "C000002.yaml").unlink()


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
    sent_away(repo, env)
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
    assert "管档单位定级" in grades and "市财政局" in grades and 'data-dangan-grade="三级"' in grades  # 新任 84: 二级 needs 90
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
    """A recent intake scoring 94 (late delivery, 3; no 1988 干部履历表, 3): 一级 needs an average ≥ 95, 二级 ≥ 90."""
    inspected(repo)
    complete_dossier(repo)
    edit(repo / DOSSIER, '形成时间: "2016.08.05", 页数: 2, 接收时间: "2016.08.20"',
         '形成时间: "2026.05.05", 页数: 2, 接收时间: "2026.07.20"')
    edit(repo / DOSSIER, '形成时间: "1995.03.10", 页数: 8, 接收时间: "1995.03.20"',
         '形成时间: "1986.03.10", 页数: 8, 接收时间: "1986.03.20"')
    commit(repo, env, "建档")
    u, _ = _unit(repo, env, run)
    assert (u["新任档案"], u["新任平均分"], u["等级"]) == (1, 94, "二级")
    assert any(r.startswith("新任评分 94") for r in u["未达上一等级的原因"])
    u, _ = _unit(repo, env, run, "市财政局", "--as-of", "2027.08.01")  # out of the 12-month window: not held against it
    assert u["新任档案"] == 0 and u["新任平均分"] is None


def test_findings_per_hundred_volumes(repo, env, run):
    inspected(repo)
    edit(repo / DOSSIER, '出生年月: "1972.03"', '出生年月: "1972.04"')  # R103: one warning on one volume
    u, _ = _unit(repo, env, run)
    assert u["每百卷问题"] == 100.0 and u["等级"] == "二级"  # 一级 allows 50 per 100 volumes, 二级 150
    assert any(r.startswith("每百卷问题 100") for r in u["未达上一等级的原因"])


# 《条例》第二十五条 in the grade: a late 转出 (G124) charged to the unit it left, a late 审核入库 (G125) to the unit
# that received, a 退回 whose 整改 is overdue (G126) to the unit whose 经办人 returned it; a late arrival from a
# unit outside the policy charged to none of ours (a note says so)
CLOCKS = (
    "- 通知单号: 长组档转〔2026〕30号\n  编号: C000002\n  姓名: 李四\n  方向: 转出\n  转往: 省财政厅\n"
    '  任免日期: "2026.06.01"\n  日期: "2026.08.10"\n  方式: 机要交通\n  回执日期: "2026.08.20"\n  经办人: 测试员\n'
    "- 通知单号: 阳组档转〔2026〕31号\n  编号: C000001\n  姓名: 王建国\n  方向: 转入\n  来自: 阳泉市财政局\n"
    '  任免日期: "2026.01.05"\n  到达日期: "2026.04.10"\n  日期: "2026.07.20"\n  方式: 机要交通\n  回执日期: "2026.07.21"\n'
    "  经办人: 测试员（市财政局人事科）\n"
    "- 通知单号: 晋组档转〔2026〕32号\n  姓名: 赵六\n  方向: 退回\n  来自: 晋城市财政局\n"
    '  日期: "2026.10.10"\n  方式: 机要交通\n  回执日期: null\n  经办人: 测试员（市财政局人事科）\n'
    "  接收审核: {结论: 退回, 不合格项: [齐全完整]}\n  退回原因: 缺入党志愿书\n  整改期限: \"2026.10.20\"\n")


def test_article_25_clocks_counted_per_unit(repo, env, run):
    inspected(repo)
    sent_away(repo, env)
    (repo / "ledgers" / "转递.yaml").write_text(CLOCKS, "utf-8")
    commit(repo, env, "转递登记")
    code, out, err = run(["ledger", "check", "--as-of", "2026.11.01"], repo, env)
    assert {"G124", "G125", "G126"} <= set(re.findall(r"G12\d", out)), out + err
    u, doc = _unit(repo, env, run, "市财政局", "--as-of", "2026.11.01")
    # G124 twice in the register: the 转出 (ours, counted) and the arrival from 阳泉市财政局 (theirs, a note)
    assert (u["逾期转递"], u["逾期审核入库"], u["退回整改逾期"], u["逾期"]) == (1, 1, 1, 3), u
    assert [x["类别"] for x in u["逾期明细"]] == ["转递", "审核入库", "退回整改"]
    assert "C000002" in u["逾期明细"][0]["说明"] and "第二十五条" in u["逾期明细"][0]["说明"]
    assert "2026.06.01" in u["逾期明细"][0]["说明"] and "本单位逾期" in u["逾期明细"][0]["说明"]
    assert "2026.04.10 送到" in u["逾期明细"][1]["说明"] and "赵六" in u["逾期明细"][2]["说明"]
    assert any("阳泉市财政局" in n and "不计入定级" in n for n in doc["说明"]), doc["说明"]
    # 一级 allows no 逾期, 二级 three: the reason names each kind
    assert u["等级"] == "二级" and any("逾期 3" in r and "转递 1、审核入库 1、退回整改 1" in r
                                     for r in u["未达上一等级的原因"]), u
    scored = {s["项目"]: s for s in u["评分"]}
    assert scored["转递借阅按期"]["得分"] == 2, scored["转递借阅按期"]
    # shown in the text with the reasons
    code, text, err = run(["grade", "市财政局", "--as-of", "2026.11.01"], repo, env)
    assert code == 0 and "逾期转递 1  逾期审核入库 1  退回整改逾期 1" in text, text + err
    assert "逾期（退回整改）：赵六 的档案 2026.10.10 退回 晋城市财政局" in text, text
    # the 整改 comes back: G126 is no longer counted; the late 转递 and 审核入库 stay within the statistics window ...
    with (repo / "ledgers" / "转递.yaml").open("a", encoding="utf-8") as f:
        f.write("- 通知单号: 晋组档转〔2026〕40号\n  编号: C000003\n  姓名: 赵六\n  方向: 转入\n  来自: 晋城市财政局\n"
                '  日期: "2026.10.25"\n  方式: 机要交通\n  回执日期: null\n  经办人: 测试员（市财政局人事科）\n'
                "  整改: 晋组档转〔2026〕32号\n")
    u, _ = _unit(repo, env, run, "市财政局", "--as-of", "2026.11.01")
    assert (u["逾期转递"], u["逾期审核入库"], u["退回整改逾期"]) == (1, 1, 0), u
    # ... and leave it after 统计月数 (12) months
    u, _ = _unit(repo, env, run, "市财政局", "--as-of", "2027.08.11")
    assert (u["逾期转递"], u["逾期审核入库"]) == (0, 0), u
    # before the 整改期限 nothing of the 退回 is due; entries after the day are not there yet
    u, _ = _unit(repo, env, run, "市财政局", "--as-of", "2026.10.15")
    assert (u["逾期转递"], u["逾期审核入库"], u["退回整改逾期"]) == (1, 1, 0), u
