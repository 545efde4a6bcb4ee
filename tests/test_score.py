"""dangan score (新任干部档案评分): rubric, vetoes and the exact 97/90 boundaries, all from the policy file."""

from __future__ import annotations

import json
import re

import pytest

from dangan.policy import Policy
from dangan.review.score import EXCELLENT, FAIL, PASS, grade_of
from review_helpers import commit, edit

DOSSIER = "dossiers/C000001.yaml"
# the valid dossier's latest 任免审批表 (9-2-4) was made 2016.08.05 and received 2016.08.20: 15 days
DELIVERY = "    - {超过天数: 30, 扣分: 5}\n    - {超过天数: 60, 扣分: 10}\n"


def _score(repo, env, run, *args):
    code, out, err = run(["score", "C000001", "--format", "json", *args], repo, env)
    assert code in (0, 1), out + err
    return code, json.loads(out)


def test_clean_dossier_is_excellent(repo, env, run):
    commit(repo, env, "建档")
    code, doc = _score(repo, env, run)
    assert (code, doc["得分"], doc["等次"], doc["送交天数"]) == (0, 100, "优秀", 15)
    assert doc["扣分"] == [] and doc["单项否决"] == []
    code, out, _ = run(["score", "C000001"], repo, env)
    assert "得分：100    等次：优秀" in out and "初审人" in out


@pytest.mark.parametrize(("points", "total", "grade", "code"), [
    (3, 97, "优秀", 0),  # 97 is 优秀
    (4, 96, "合格", 0),
    (10, 90, "合格", 0),  # 90 is 合格
    (11, 89, "不合格", 1),
])
def test_boundaries_exact(repo, env, run, points, total, grade, code):
    """One deduction of ``points`` on 送交时间 (its cap raised to 20, another item lowered to keep 100)."""
    commit(repo, env, "建档")
    policy = repo / "schema" / "policy.yaml"
    edit(policy, DELIVERY, f"    - {{超过天数: 0, 扣分: {points}}}\n")
    edit(policy, "{名称: 送交时间, 分值: 10,", "{名称: 送交时间, 分值: 20,")
    edit(policy, "{名称: 整理（必备材料）, 分值: 20,", "{名称: 整理（必备材料）, 分值: 10,")
    got, doc = _score(repo, env, run)
    assert (got, doc["得分"], doc["等次"]) == (code, total, grade)
    assert doc["扣分"] == [{"项目": "送交时间", "扣分": points, "理由": "任免审批表形成后 15 天才接收（超过 0 天）"}]


def test_grade_of_fractional_scores():
    policy = Policy({"新任干部档案评分": {"等次": {"优秀": 97, "合格": 90}}}, "test")
    assert grade_of(97, False, policy) == EXCELLENT
    assert grade_of(96.99, False, policy) == PASS
    assert grade_of(90, False, policy) == PASS
    assert grade_of(89.99, False, policy) == FAIL
    assert grade_of(100, True, policy) == FAIL  # a veto fails whatever the score


def test_late_delivery_deducts_with_reason(repo, env, run):
    edit(repo / DOSSIER, '形成时间: "2016.08.05", 页数: 2, 接收时间: "2016.08.20"',
         '形成时间: "2016.08.05", 页数: 2, 接收时间: "2016.09.20"')
    commit(repo, env, "建档")
    code, doc = _score(repo, env, run)
    items = {d["项目"]: d for d in doc["扣分"]}
    assert items["送交时间"]["扣分"] == 5 and "46 天" in items["送交时间"]["理由"]
    assert any(d["理由"].startswith("R403") for d in doc["扣分"])  # also filed late: 整理 deduction
    assert doc["得分"] == 93 and doc["等次"] == "合格" and code == 0


def test_deduction_is_capped_at_item_points(repo, env, run):
    edit(repo / "schema" / "policy.yaml", DELIVERY, "    - {超过天数: 0, 扣分: 50}\n")
    commit(repo, env, "建档")
    _, doc = _score(repo, env, run)
    assert doc["扣分"][0]["扣分"] == 10 and "本项已扣满" in doc["扣分"][0]["理由"]
    assert doc["得分"] == 90


def test_veto_alteration(repo, env, run):
    commit(repo, env, "建档")
    edit(repo / DOSSIER, '入党时间: "1995.06"', '入党时间: "1995.05"')
    commit(repo, env, "改入党时间")
    code, doc = _score(repo, env, run)
    assert code == 1 and doc["等次"] == "不合格" and doc["得分"] == 100
    assert doc["单项否决"] and doc["单项否决"][0].startswith("涂改造假")


def test_veto_misfiled_material(repo, env, run):
    """A catalog title naming another cadre of the repository: 装错材料."""
    other = (repo / DOSSIER).read_text("utf-8").replace("编号: C000001", "编号: C000002").replace("姓名: 王建国", "姓名: 欧阳明远")
    (repo / "dossiers" / "C000002.yaml").write_text(other, "utf-8")
    edit(repo / DOSSIER, "材料名称: 记三等功审批表", "材料名称: 记三等功审批表（欧阳明远）")
    commit(repo, env, "建档")
    code, doc = _score(repo, env, run)
    assert code == 1
    assert any(v.startswith("装错材料") and "欧阳明远" in v and "C000002" in v for v in doc["单项否决"])
    # the other cadre's own dossier is not misfiled by its own name
    code, out, _ = run(["score", "C000002", "--format", "json"], repo, env)
    assert code == 0 and json.loads(out)["单项否决"] == []


def test_veto_missing_appointment_form(repo, env, run):
    edit(repo / DOSSIER, "材料名称: 干部任免审批表（副局长）", "材料名称: 任职通知（副局长）")
    commit(repo, env, "建档")
    code, doc = _score(repo, env, run)
    assert code == 1 and any(v.startswith("缺少1997年以来任职的干部任免审批表") and "C501" in v for v in doc["单项否决"])


def test_veto_missing_civil_servant_register(repo, env, run):
    """A 公务员录用 cadre without 公务员登记表 (C504): veto."""
    edit(repo / DOSSIER, "取得方式: 大中专毕业生派遣", "取得方式: 公务员录用")
    commit(repo, env, "建档")
    code, doc = _score(repo, env, run)
    assert code == 1 and any(v.startswith("缺少公务员登记表") for v in doc["单项否决"])


def test_unit_lists_recent_intake_against_injected_date(repo, env, run):
    edit(repo / DOSSIER, '形成时间: "2016.08.05", 页数: 2, 接收时间: "2016.08.20"',
         '形成时间: "2026.05.05", 页数: 2, 接收时间: "2026.05.20"')
    commit(repo, env, "建档")
    code, out, _ = run(["score", "--unit", "市财政局"], repo, env)  # as of 2026.11.25 (DANGAN_TODAY)
    assert code == 0 and "新任干部档案 1 份" in out and "C000001" in out and "优秀" in out
    _, out, _ = run(["score", "--unit", "市财政局", "--as-of", "2026.05.19"], repo, env)  # not yet received
    assert "新任干部档案 0 份" in out
    _, out, _ = run(["score", "--unit", "市财政局", "--as-of", "2027.05.21"], repo, env)  # more than 12 months ago
    assert "新任干部档案 0 份" in out
    assert "新任干部档案 0 份" in run(["score", "--unit", "市教育局"], repo, env)[1]


def test_usage(repo, env, run):
    assert run(["score"], repo, env)[0] == 2
    assert run(["score", "C000001", "--unit", "市财政局"], repo, env)[0] == 2
    assert run(["score", "C999999"], repo, env)[0] == 2


def test_missing_original_record_deducts(repo, env, run):
    commit(repo, env, "建档")
    policy = repo / "schema" / "policy.yaml"
    policy.write_text(re.sub(r"(?m)^    出生年月: \[.*\]$", "    出生年月: [出生医学证明]", policy.read_text("utf-8")), "utf-8")
    code, doc = _score(repo, env, run)
    assert doc["扣分"] == [{"项目": "审核（关键信息原始依据）", "扣分": 5, "理由": "出生年月没有原始依据材料"}]
    assert (code, doc["得分"], doc["等次"]) == (0, 95, "合格")


def test_half_points(repo, env, run):
    """The real rubrics deduct 0.5 a time (中管 rubric, P21): 每处扣分 and 分值 may be "0.5"-style decimals."""
    commit(repo, env, "建档")
    policy = repo / "schema" / "policy.yaml"
    policy.write_text(re.sub(r"(?m)^    出生年月: \[.*\]$", "    出生年月: [出生医学证明]", policy.read_text("utf-8")), "utf-8")
    edit(policy, "规则: 缺少依据, 每处扣分: 5}", "规则: 缺少依据, 每处扣分: 0.5}")
    code, doc = _score(repo, env, run)
    assert doc["扣分"] == [{"项目": "审核（关键信息原始依据）", "扣分": 0.5, "理由": "出生年月没有原始依据材料"}]
    assert (code, doc["得分"], doc["等次"]) == (0, 99.5, "优秀")
    edit(policy, "每处扣分: 0.5}", "每处扣分: 半分}")
    code, _out, err = run(["score", "C000001"], repo, env)
    assert code == 2 and "policy.yaml" in err and "每处扣分" in err and "Traceback" not in err


RUBRIC_ITEM = """    - 名称: 必备材料（1988、1999年干部履历表，1985、1990年党员登记表，1993年以来工资）
      分值: 10
      规则: 须有材料
      材料:
        - {说明: 1999年干部履历表, 类号: "1", 材料名称包含: [干部履历表], 形成时间从: "1999.01", 形成时间至: "2001.12", 适用参加工作时间早于: "1999.01", 扣分: 5}
        - {说明: 1988年干部履历表, 类号: "1", 材料名称包含: [干部履历表], 形成时间从: "1988.01", 形成时间至: "1990.12", 适用参加工作时间早于: "1988.01", 扣分: 3}
        - {说明: 1990年党员登记表, 类号: "6", 材料名称包含: [党员登记表], 形成时间从: "1990.01", 形成时间至: "1991.12", 适用政治面貌: [中共党员], 适用入党时间早于: "1990.01", 扣分: 2}
        - {说明: 1993年工资制度改革的工资材料, 类号: "9", 材料名称包含: [工资], 形成时间从: "1993.10", 形成时间至: "1995.12", 适用参加工作时间早于: "1993.10", 扣分: 0.5}
"""


def test_must_be_present_items_and_the_civil_servant_veto(repo, env, run):
    """须有材料 items with their conditions, and the 公务员登记表 veto for every 公务员/参公 cadre (not only 公务员录用)."""
    commit(repo, env, "建档")
    policy = repo / "schema" / "policy.yaml"
    edit(policy, "{名称: 整理（必备材料）, 分值: 20,", "{名称: 整理（必备材料）, 分值: 10,")
    edit(policy, "  单项否决:              #", RUBRIC_ITEM + "  单项否决:              #")
    # the fixture: 参加工作 1994.07 (needs the 1999 表 only), 入党 1995 (no 1990 登记表), 1995 履历表 only
    _, doc = _score(repo, env, run)
    got = [d for d in doc["扣分"] if d["项目"].startswith("必备材料")]
    assert got == [{"项目": "必备材料（1988、1999年干部履历表，1985、1990年党员登记表，1993年以来工资）", "扣分": 5,
                    "理由": "缺少1999年干部履历表"}]
    edit(repo / DOSSIER, '参加工作时间: "1994.07"', '参加工作时间: "1993.07"')  # now before the 1993 reform too
    _, doc = _score(repo, env, run, "--now")
    assert sorted(d["扣分"] for d in doc["扣分"] if d["项目"].startswith("必备材料")) == [0.5, 5]
    assert str(doc["得分"]).endswith(".5")
    # the veto: a 财政局副局长 is in a 机关, whatever the 取得方式
    edit(policy, "  统计月数: 12", "  公务员或参公: {现任职务包含: [局, 委员会], 现任职务不含: [医院, 学校]}\n"
         "  统计月数: 12")
    edit(policy, "  单项否决:              # 条件只能是：未经认定的改动、装错材料、问题代码\n",
         "  单项否决:              # 条件只能是：未经认定的改动、装错材料、问题代码\n"
         "    - {名称: 缺少公务员登记表或参公登记表, 条件: 缺少材料, 适用: 公务员或参公, 类号: \"9\", "
         "材料名称包含: [公务员登记表, 参照管理人员登记表]}\n")
    code, doc = _score(repo, env, run)
    assert code == 1 and any(v.startswith("缺少公务员登记表或参公登记表：现任职务“长治市财政局副局长”在机关或参公单位")
                             for v in doc["单项否决"])
