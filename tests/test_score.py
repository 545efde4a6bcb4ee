"""dangan score (新任干部档案评分): the P21 rubric as data, its rule kinds, the vetoes and the exact 97/90 boundaries."""

from __future__ import annotations

import json

import pytest

from conftest import PROJECT
from dangan.policy import Policy, load_policy
from dangan.review.score import EXCELLENT, FAIL, PASS, grade_of
from review_helpers import commit, complete_dossier, edit

DOSSIER = "dossiers/C000001.yaml"
POLICY = "schema/policy.yaml"
FORM = '形成时间: "2016.08.05", 页数: 2, 接收时间: "2016.08.20"'  # the latest 任免审批表 (9-2-4): 15 days
DELIVERY = "    - {超过月数: 2, 扣分: 3}\n"
REVIEWER = ["干部履历表真实准确", "1999年干部履历表填写", "任期经济责任审计", "材料分类与排列", "乱页、脱页、损坏"]
# P21 (archivesDemo fileCheckStandard.js): the 分值 of its 23 items, in order
P21_POINTS = [1, 3, 5, 2, 8, 3, 4, 2, 10, 2, 7, 2, 6, 4, 8, 3, 6, 4, 8, 4, 2, 3, 3]


@pytest.fixture
def full(repo):
    """The valid dossier with every material the rubric asks of it: 100 points."""
    complete_dossier(repo)
    return repo


def _score(repo, env, run, *args):
    code, out, err = run(["score", "C000001", "--format", "json", *args], repo, env)
    assert code in (0, 1), out + err
    return code, json.loads(out)


def _cuts(doc, item=None):
    return [(d["项目"], d["扣分"], d["理由"]) for d in doc["扣分"] if item is None or d["项目"] == item]


def test_the_bundled_rubric_is_p21():
    conf = load_policy(PROJECT / POLICY)["新任干部档案评分"]
    assert [float(i["分值"]) for i in conf["项目"]] == P21_POINTS and sum(P21_POINTS) == 100
    assert conf["送交时间"] == [{"超过月数": 2, "扣分": 3}]
    assert [i["名称"] for i in conf["项目"] if i["规则"] == "评分人评定"] == REVIEWER[:-1]
    assert [i["名称"] for i in conf["项目"] if i["规则"] == "接收清点"] == REVIEWER[-1:]  # 脱页 from the intake count
    kinds = {v["条件"] for v in conf["单项否决"]}
    assert kinds == {"未经认定的改动", "问题代码", "装错材料", "缺少材料"}
    assert all(i.get("标准") and i.get("扣分办法") for i in conf["项目"])


def test_clean_dossier_is_excellent(full, env, run):
    commit(full, env, "建档")
    code, doc = _score(full, env, run)
    assert (code, doc["得分"], doc["等次"], doc["送交天数"]) == (0, 100, "优秀", 15)
    assert doc["扣分"] == [] and doc["单项否决"] == []
    assert [i["项目"] for i in doc["评分人评定"]] == REVIEWER
    assert any("不是转入时评定" in n for n in doc["说明"])
    code, out, _ = run(["score", "C000001"], full, env)
    assert "得分：100    等次：优秀" in out and "初审人" in out
    assert "须由评分人评定的项目" in out and "〔乱页、脱页、损坏〕3 分：无乱页、无脱页、无损坏文字的材料" in out


def test_the_valid_dossier_as_it_is_loses_points_item_by_item(repo, env, run):
    """Without the materials the rubric asks for, each shortfall is a deduction of its own points."""
    commit(repo, env, "建档")
    code, doc = _score(repo, env, run)
    cuts = _cuts(doc)
    assert ("1988年、1999年干部履历表", 5, "缺少1999年干部履历表") in cuts
    assert ("专业技术职称材料", 3, "缺少副高级职称的申报表、审批表") in cuts
    assert ("工资材料", 0.5, "缺少2006年工资制度改革的工资材料") in cuts
    assert ("学历学位材料", 1, "学历学位第 1 项（大学本科毕业，山西财经学院）：依据中没有授予学士学位材料") in cuts
    assert doc["得分"] == 100 - sum(c for _i, c, _r in cuts) == 87
    assert code == 1 and doc["单项否决"] == [
        "缺少公务员登记表或参公登记表：现任职务“长治市财政局副局长”在机关或参公单位，档案中没有《公务员登记表》"]


@pytest.mark.parametrize(("points", "total", "grade", "code"), [
    (3, 97, "优秀", 0),  # 97 is 优秀
    (4, 96, "合格", 0),
    (10, 90, "合格", 0),  # 90 is 合格
    (11, 89, "不合格", 1),
])
def test_boundaries_exact(full, env, run, points, total, grade, code):
    """One deduction of ``points`` on 送交时间 (its 分值 raised to 11, 学历学位材料 lowered to 2 to keep 100)."""
    commit(full, env, "建档")
    policy = full / POLICY
    edit(policy, DELIVERY, f"    - {{超过天数: 0, 扣分: {points}}}\n")
    edit(policy, "      分值: 3\n      规则: 送交时间\n", "      分值: 11\n      规则: 送交时间\n")
    edit(policy, "      分值: 10\n      规则: 逐条依据\n", "      分值: 2\n      规则: 逐条依据\n")
    got, doc = _score(full, env, run)
    assert (got, doc["得分"], doc["等次"]) == (code, total, grade)
    assert doc["扣分"] == [{"项目": "送交时间", "扣分": points, "理由": "任免审批表形成后 15 天才接收（超过 0 天）"}]


def test_grade_of_fractional_scores():
    policy = Policy({"新任干部档案评分": {"等次": {"优秀": 97, "合格": 90}}}, "test")
    assert grade_of(97, False, policy) == EXCELLENT
    assert grade_of(96.99, False, policy) == PASS
    assert grade_of(90, False, policy) == PASS
    assert grade_of(89.99, False, policy) == FAIL
    assert grade_of(100, True, policy) == FAIL  # a veto fails whatever the score


def test_two_months_to_the_day_and_one_day_late(full, env, run):
    """送交时间 (P21 item 2): within two calendar months no deduction; a day later 3 points."""
    edit(full / DOSSIER, FORM, '形成时间: "2016.08.05", 页数: 2, 接收时间: "2016.10.05"')
    commit(full, env, "建档")
    _, doc = _score(full, env, run)
    assert doc["送交天数"] == 61 and _cuts(doc, "送交时间") == []
    edit(full / DOSSIER, '接收时间: "2016.10.05"', '接收时间: "2016.10.06"')  # not committed: no alteration in the trail
    code, doc = _score(full, env, run)
    assert _cuts(doc) == [("送交时间", 3, "任免审批表形成后 62 天才接收（超过 2 个月）")]
    assert (code, doc["得分"], doc["等次"]) == (0, 97, "优秀")


def test_deduction_is_capped_at_item_points(full, env, run):
    edit(full / POLICY, DELIVERY, "    - {超过天数: 0, 扣分: 50}\n")
    commit(full, env, "建档")
    _, doc = _score(full, env, run)
    assert doc["扣分"][0]["扣分"] == 3 and "本项已扣满" in doc["扣分"][0]["理由"]
    assert doc["得分"] == 97


def test_missing_1999_form_loses_exactly_five_and_the_item_caps(full, env, run):
    """P21 item 3: 缺 1999 年表扣 5 分，缺 1988 年表扣 3 分, at most 5 in all."""
    edit(full / DOSSIER, '  - {类号: "1", 序号: 2, 材料名称: 干部履历表, 形成时间: "1999.05.10", 页数: 8, 接收时间: "1999.05.20"}\n', "")
    commit(full, env, "建档")
    code, doc = _score(full, env, run)
    assert _cuts(doc) == [("1988年、1999年干部履历表", 5, "缺少1999年干部履历表")]
    assert (code, doc["得分"], doc["等次"]) == (0, 95, "合格")
    # the 1995 表 (the 1988 edition) dated before 1988 instead: 3 more, but the item holds 5
    edit(full / DOSSIER, '形成时间: "1995.03.10", 页数: 8, 接收时间: "1995.03.20"', '形成时间: "1986.03.10", 页数: 8, 接收时间: "1986.03.20"')
    commit(full, env, "再改")
    _, doc = _score(full, env, run, "--now")
    assert _cuts(doc) == [("1988年、1999年干部履历表", 5, "缺少1999年干部履历表")]
    assert "〔1988年、1999年干部履历表〕缺少1988年干部履历表（本项已扣满，不再扣分）" in doc["说明"]


def test_half_point_wage_material_and_the_wage_register(full, env, run):
    """P21 item 18: each missing 工资 material since 1993 is 0.5, unless the 工资变动登记表 records it."""
    line = '  - {类号: "9-1", 序号: 2, 材料名称: 工资调整审批表, 形成时间: "2015.03.17", 页数: 1, 接收时间: "2015.03.28"}\n'
    edit(full / DOSSIER, line, "")
    commit(full, env, "建档")
    code, doc = _score(full, env, run)
    assert _cuts(doc) == [("工资材料", 0.5, "缺少2014年工资制度改革的工资材料")]
    assert (code, doc["得分"], doc["等次"]) == (0, 99.5, "优秀")
    assert "扣 0.5 分  〔工资材料〕缺少2014年工资制度改革的工资材料" in run(["score", "C000001"], full, env)[1]
    assert "得分：99.5" in run(["score", "C000001"], full, env)[1]
    edit(full / DOSSIER, '  - {类号: "9-2", 序号: 1,',
         '  - {类号: "9-1", 序号: 2, 材料名称: 工资变动登记表, 形成时间: "2020.01.10", 页数: 2, 接收时间: "2020.01.20"}\n'
         '  - {类号: "9-2", 序号: 1,')
    commit(full, env, "登记表")
    assert _score(full, env, run)[1]["得分"] == 100


def test_party_form_and_education_materials(full, env, run):
    edit(full / DOSSIER, '  - {类号: "6", 序号: 1, 材料名称: 入党志愿书, 形成时间: "1995.06.28", 页数: 10, 接收时间: "1995.07.10"}\n', "")
    edit(full / DOSSIER, '依据: ["4-1-1", "4-1-2", "4-1-4", "4-1-5"]', '依据: ["4-1-1", "4-1-2", "4-1-4"]')
    commit(full, env, "建档")
    _, doc = _score(full, env, run)
    assert _cuts(doc) == [
        ("学历学位材料", 1, "学历学位第 1 项（大学本科毕业，山西财经学院）：依据中没有授予学士学位材料"),
        ("入党（加入民主党派）材料", 8, "缺少入党志愿书")]
    assert doc["得分"] == 91


def test_entry_by_entry_items(full, env, run):
    """逐条依据: 奖励, 任前考察 (within its window), 培训 (简历其间), 认定记录, 处分 — each entry its own deduction."""
    path = full / DOSSIER
    edit(path, '    依据: ["7-1"]\n', "    依据: []\n")
    edit(full / POLICY, "提拔: true, 职级层次不低于: 7,", "提拔: true, 职级层次不低于: 5,")  # 副处 instead of 副局
    edit(path, '    其间: ["2005.09--2008.07 在山西大学政治与公共管理学院公共管理专业在职研究生学习"]\n',
         '    其间: ["2005.09--2008.07 在山西大学政治与公共管理学院公共管理专业在职研究生学习",'
         ' "2013.03--2013.07 在中共长治市委党校中青年干部培训班学习"]\n')
    commit(full, env, "建档")
    _, doc = _score(full, env, run)
    assert _cuts(doc) == [
        ("任前考察材料", 3, "简历第 5 段（2016.08 起山西省长治市财政局副局长）：依据中没有干部任前考察材料，"
                         "也没有 2015.08 至 2016.11形成的"),
        ("培训材料", 0.5, "简历第 4 段其间“2013.03--2013.07 在中共长治市委党校中青年干部培训班学习”：依据中没有培训材料，"
                      "也没有 2013.03 至 2013.10形成的"),
        ("奖励材料", 1, "奖惩情况第 1 项（2012.12 记三等功）：依据中没有奖励材料")]
    assert doc["得分"] == 95.5
    # the 考察 and the 培训 materials, formed within their windows, count without being named in a 依据
    edit(path, '  - {类号: "4-2", 序号: 1,',
         '  - {类号: "4-4", 序号: 1, 材料名称: 中共长治市委党校中青年干部培训班学员登记表, 形成时间: "2013.07.10", 页数: 2, 接收时间: "2013.07.20"}\n'
         '  - {类号: "4-2", 序号: 1,')
    edit(path, '  - {类号: "4-1", 序号: 1,',
         '  - {类号: "3", 序号: 1, 材料名称: 干部考察材料（拟任副局长）, 形成时间: "2016.06.20", 页数: 5, 接收时间: "2016.07.01"}\n'
         '  - {类号: "4-1", 序号: 1,')
    # a 认定 of 出生年月 resting on a 4-1 material only: no 上级批复 (4); a 处分 while 县处级副职, lifted: two decisions (3 + 3)
    edit(path, "认定记录: []", '认定记录:\n  - {项目: 出生年月, 原值: "1972.02", 认定值: "1972.03", 依据: ["4-1-1"], '
         '认定机关: 中共长治市委组织部, 认定日期: "2020.05.10", 文号: 长组审〔2020〕3号}')
    edit(path, "年度考核:\n", "  - 类别: 处分\n    种类: 政务处分\n    名称: 警告\n    时间: \"2019.05\"\n"
         "    批准机关: 长治市监察委员会\n    事由: 违反工作纪律\n    解除时间: \"2019.11\"\n    依据: []\n年度考核:\n")
    commit(full, env, "补")
    _, doc = _score(full, env, run, "--now")
    assert _cuts(doc) == [
        ("更改出生日期的材料", 4, "认定记录第 1 项（出生年月：1972.02 认定为 1972.03）：依据中没有上级批复材料"),
        ("奖励材料", 1, "奖惩情况第 1 项（2012.12 记三等功）：依据中没有奖励材料"),
        ("处分材料", 3, "奖惩情况第 2 项（2019.05 警告）：依据中没有处分决定"),
        ("处分材料", 3, "奖惩情况第 2 项（2019.05 警告）：依据中没有解除处分的决定")]
    assert doc["得分"] == 89 and doc["等次"] == "不合格"


def test_annual_assessments_since_1997_and_recorded_dates(full, env, run):
    edit(full / DOSSIER, "  - {年度: 2010, 结果: 称职}\n", "")
    edit(full / DOSSIER, "  - {年度: 1996, 结果: 称职}\n", "")  # before 1997: not this item's
    edit(full / DOSSIER, '材料名称: 干部任免审批表（科长）, 形成时间: "2009.03.10", ', "材料名称: 干部任免审批表（科长）, ")
    commit(full, env, "建档")
    _, doc = _score(full, env, run)
    assert _cuts(doc) == [("年度考核登记表", 1, "缺少2010年度考核登记表（档案中也没有2010年度的考核记载）"),
                          ("任免审批表的填写", 1, "9-2-3《干部任免审批表（科长）》目录中没有形成时间")]


def test_veto_alteration(full, env, run):
    commit(full, env, "建档")
    edit(full / DOSSIER, '入党时间: "1995.06"', '入党时间: "1995.05"')
    commit(full, env, "改入党时间")
    code, doc = _score(full, env, run)
    assert code == 1 and doc["等次"] == "不合格" and doc["得分"] == 100
    assert doc["单项否决"] and doc["单项否决"][0].startswith("涂改造假")


def test_veto_misfiled_material(full, env, run):
    """A catalog title naming another cadre of the repository: 装错材料."""
    other = (full / DOSSIER).read_text("utf-8").replace("编号: C000001", "编号: C000002").replace("姓名: 王建国", "姓名: 欧阳明远")
    (full / "dossiers" / "C000002.yaml").write_text(other, "utf-8")
    edit(full / DOSSIER, "材料名称: 记三等功审批表", "材料名称: 记三等功审批表（欧阳明远）")
    commit(full, env, "建档")
    code, doc = _score(full, env, run)
    assert code == 1
    assert any(v.startswith("装错材料") and "欧阳明远" in v and "C000002" in v for v in doc["单项否决"])
    # the other cadre's own dossier is not misfiled by its own name
    code, out, _ = run(["score", "C000002", "--format", "json"], full, env)
    assert code == 0 and json.loads(out)["单项否决"] == []


def test_veto_missing_appointment_form(full, env, run):
    edit(full / DOSSIER, "材料名称: 干部任免审批表（副局长）", "材料名称: 任职通知（副局长）")
    commit(full, env, "建档")
    code, doc = _score(full, env, run)
    assert code == 1 and any(v.startswith("缺少1997年以来任职的干部任免审批表") and "C501" in v for v in doc["单项否决"])


def test_veto_missing_civil_servant_register_however_acquired(full, env, run):
    """P22: every 公务员/参公 cadre needs the 公务员登记表 — this one came by 大中专毕业生派遣, not 公务员录用."""
    edit(full / DOSSIER, '  - {类号: "9-2", 序号: 5, 材料名称: 公务员登记表, 形成时间: "2006.08.11", 页数: 4, 接收时间: "2006.08.17"}\n', "")
    commit(full, env, "建档")
    code, doc = _score(full, env, run)
    assert code == 1 and doc["得分"] == 100 and doc["单项否决"] == [
        "缺少公务员登记表或参公登记表：现任职务“长治市财政局副局长”在机关或参公单位，档案中没有《公务员登记表》"]
    # a 中学副校长 (a 事业单位 post, no 公务员 职级, not 公务员录用) needs none
    edit(full / DOSSIER, "现任职务: 长治市财政局副局长", "现任职务: 长治市第二中学副校长")
    commit(full, env, "调学校")
    assert _score(full, env, run)[1]["单项否决"] == []


def test_unit_lists_recent_intake_against_injected_date(full, env, run):
    edit(full / DOSSIER, FORM, '形成时间: "2026.05.05", 页数: 2, 接收时间: "2026.05.20"')
    commit(full, env, "建档")
    code, out, _ = run(["score", "--unit", "市财政局"], full, env)  # as of 2026.11.25 (DANGAN_TODAY)
    assert code == 0 and "新任干部档案 1 份" in out and "C000001" in out and "优秀" in out
    _, out, _ = run(["score", "--unit", "市财政局", "--as-of", "2026.05.19"], full, env)  # not yet received
    assert "新任干部档案 0 份" in out
    _, out, _ = run(["score", "--unit", "市财政局", "--as-of", "2027.05.21"], full, env)  # more than 12 months ago
    assert "新任干部档案 0 份" in out
    assert "新任干部档案 0 份" in run(["score", "--unit", "市教育局"], full, env)[1]


def test_usage(repo, env, run):
    assert run(["score"], repo, env)[0] == 2
    assert run(["score", "C000001", "--unit", "市财政局"], repo, env)[0] == 2
    assert run(["score", "C999999"], repo, env)[0] == 2


def test_missing_original_record_rule_still_available(full, env, run):
    """规则 缺少依据 (key facts without an original record) is still a rule kind a policy may use, at half points."""
    commit(full, env, "建档")
    policy = full / POLICY
    text = policy.read_text("utf-8")
    start = text.index("    出生年月: [", text.index("最早记录:"))
    policy.write_text(text[:start] + "    出生年月: [出生医学证明]" + text[text.index("\n", start):], "utf-8")
    edit(policy, "      规则: 接收清点\n      标准: 无乱页", "      规则: 缺少依据\n      标准: 无乱页")
    edit(policy, "      每处扣分: 1       # 脱页", "      每处扣分: 0.5       # 脱页")
    code, doc = _score(full, env, run)
    assert _cuts(doc) == [("乱页、脱页、损坏", 0.5, "出生年月没有原始依据材料")]
    assert (code, doc["得分"], doc["等次"]) == (0, 99.5, "优秀")


@pytest.mark.parametrize(("old", "new", "message"), [
    ("      分值: 3\n      规则: 送交时间\n", "      分值: 2\n      规则: 送交时间\n", "各项分值合计为 99 分，应为 100 分"),
    ("提拔: true, 职级层次不低于: 7,", "提拔: true, 入学时间从: \"1990.01\", 职级层次不低于: 7,",
     "的条件“入学时间从”不能用于字段“简历”"),
    ("      字段: 奖惩情况       # 每项奖励", "      # 每项奖励", "规则为逐条依据，须写“字段”"),
    ("      从年度: 1997\n", "      从年度: 1997\n      须著录: [形成时间]\n", "规则为年度考核的项目不用“须著录”"),
    (DELIVERY, "    - {超过月数: 2, 超过天数: 60, 扣分: 3}\n", "须写“超过月数”或“超过天数”之一"),
    ("每份扣分: 1\n", "每份扣分: 半分\n", "每份扣分"),
])
def test_policy_rubric_is_validated(repo, env, run, old, new, message):
    edit(repo / POLICY, old, new)
    code, _out, err = run(["score", "C000001"], repo, env)
    assert code == 2 and "policy.yaml:" in err and message in err and "Traceback" not in err, err


def test_frozen_scores_of_the_earlier_rubric_still_load(full, env, run):
    """A 转入 record frozen under the earlier five-item rubric is shown as recorded, never recomputed."""
    (full / "ledgers").mkdir(exist_ok=True)
    (full / "ledgers" / "转递.yaml").write_text(
        "- 通知单号: 阳组档转〔2026〕3号\n  编号: C000001\n  姓名: 王建国\n  方向: 转入\n  来自: 阳泉市财政局\n"
        '  日期: "2026.06.10"\n  方式: 机要交通\n  回执日期: "2026.06.12"\n  经办人: 李明\n'
        "  新任评分:\n    得分: \"92.5\"\n    等次: 合格\n    送交天数: 46\n"
        "    扣分:\n      - {项目: 送交时间, 扣分: 5, 理由: 任命后 46 天才报送（超过 30 天）}\n"
        "      - {项目: 整理（目录序号、页数、移交）, 扣分: \"2.5\", 理由: R403 材料形成后超过移交期限}\n"
        "    单项否决: []\n    评分人: 李明\n", "utf-8")
    commit(full, env, "建档")
    code, doc = _score(full, env, run)
    assert (code, doc["得分"], doc["等次"], doc["送交天数"]) == (0, 92.5, "合格", 46)
    assert [d["扣分"] for d in doc["扣分"]] == [5, 2.5] and doc["转入评定"]["评分人"] == "李明"
    assert _score(full, env, run, "--now")[1]["得分"] == 100


def test_the_reviewer_deducts_what_the_data_cannot_tell(full, env, run):
    """评分人评定 items deduct nothing by themselves; --deduct 项目=分:理由 puts the reviewer's deduction under its item,
    within its cap; on item 1 (否决: true, P21's veto) any deduction fails the dossier."""
    commit(full, env, "建档")
    code, doc = _score(full, env, run, "--deduct", "乱页、脱页、损坏=1:第 9 类脱页一页",
                       "--deduct", "乱页、脱页、损坏=2.5：第 4 类两处损坏")
    assert _cuts(doc) == [("乱页、脱页、损坏", 1, "评分人评定：第 9 类脱页一页"),
                          ("乱页、脱页、损坏", 2, "评分人评定：第 4 类两处损坏（本项已扣满）")]
    assert (code, doc["得分"], doc["等次"], doc["单项否决"]) == (0, 97, "优秀", [])
    code, doc = _score(full, env, run, "--deduct", "干部履历表真实准确=1:1999年版缺组织印章")
    assert (code, doc["得分"], doc["等次"]) == (1, 99, "不合格")
    assert doc["单项否决"] == ["干部履历表真实准确（评分人评定）：1999年版缺组织印章"]
    for bad, message in (("乱页=1", "项目是政策文件“新任干部档案评分”的项目名称之一"),
                         ("乱页、脱页、损坏=0.3", "应在 0.5 至 3 分之间，按 0.5 分计"),
                         ("乱页、脱页、损坏=4", "应在 0.5 至 3 分之间"), ("乱页、脱页、损坏", "写作 项目=分[:理由]")):
        code, _out, err = run(["score", "C000001", "--deduct", bad], full, env)
        assert code == 2 and message in err, err
    assert run(["score", "--unit", "市财政局", "--deduct", "乱页、脱页、损坏=1"], full, env)[0] == 2


def test_the_reviewers_deduction_is_frozen_at_intake(repo, env, run, tmp_path):
    from test_verbs_transfer import IN_ARGS, _missing_party_form, ledger

    _missing_party_form(tmp_path)
    args = ["transfer", "in", tmp_path / "in.yaml", "--notice", "阳组档转〔2026〕8号", *IN_ARGS, "--accept",
            "--date", "2026.11.10", "--by", "李明", "--deduct", "材料分类与排列=1:自传归入第 3 类"]
    code, _out, err = run(args, repo, env)
    assert code == 0, err
    frozen = ledger(repo)[-1]["新任评分"]
    assert {"项目": "材料分类与排列", "扣分": 1, "理由": "评分人评定：自传归入第 3 类"} in frozen["扣分"]
    assert frozen["得分"] == 100 - sum(d["扣分"] for d in frozen["扣分"]) == 91 and frozen["评分人"] == "李明"
    code, doc = run(["score", "C000777", "--format", "json"], repo, env)[:2]
    assert json.loads(doc)["得分"] == 91
    code, _out, err = run(["score", "C000777", "--deduct", "材料分类与排列=1"], repo, env)
    assert code == 2 and "已在转入时冻结" in err


def test_missing_pages_counted_at_intake_score_item_23(repo, env, run, tmp_path):
    """乱页、脱页、损坏 (rule 接收清点): fewer pages counted at intake (--pages) than the 目录 lists is 脱页, 1 point,
    frozen with the score; --now reads the count the register keeps. Counted in full: no deduction, a note. Not
    counted: the reviewer's item as before. 乱页、损坏 stay the reviewer's either way."""
    from dangan.load import load_bytes
    from test_verbs_transfer import IN_ARGS, _missing_party_form, ledger

    raw = _missing_party_form(tmp_path)
    listed = sum(e["页数"] for e in load_bytes(raw).data["档案目录"] if isinstance(e.get("页数"), int))
    args = ["transfer", "in", tmp_path / "in.yaml", "--notice", "阳组档转〔2026〕8号", *IN_ARGS, "--accept",
            "--date", "2026.11.10", "--by", "李明", "--pages", str(listed - 3),
            "--deduct", "乱页、脱页、损坏=1:第 4 类有乱页"]
    code, _out, err = run(args, repo, env)
    assert code == 0, err
    frozen = ledger(repo)[-1]["新任评分"]
    mine = [d for d in frozen["扣分"] if d["项目"] == "乱页、脱页、损坏"]
    assert mine == [{"项目": "乱页、脱页、损坏", "扣分": 1, "理由": f"脱页：接收清点实收 {listed - 3} 页，目录列 {listed} 页（少 3 页）"},
                    {"项目": "乱页、脱页、损坏", "扣分": 1, "理由": "评分人评定：第 4 类有乱页"}], frozen["扣分"]
    assert frozen["得分"] == 100 - sum(d["扣分"] for d in frozen["扣分"])
    # today's file, scored again: the count is the one recorded at intake
    code, out, _ = run(["score", "C000777", "--now", "--format", "json"], repo, env)
    doc = json.loads(out)
    assert {"项目": "乱页、脱页、损坏", "扣分": 1, "理由": f"脱页：接收清点实收 {listed - 3} 页，目录列 {listed} 页（少 3 页）"} \
        in doc["扣分"], doc["扣分"]
    assert "乱页、脱页、损坏" in [i["项目"] for i in doc["评分人评定"]]  # 乱页、损坏: the reviewer's still
    # counted in full: nothing deducted, the count noted
    (repo / "dossiers" / "C000777.yaml").unlink()
    args = ["transfer", "in", tmp_path / "in.yaml", "--notice", "阳组档转〔2026〕9号", *IN_ARGS, "--accept",
            "--date", "2026.11.10", "--by", "李明", "--pages", str(listed)]
    code, _out, err = run(args, repo, env)
    assert code == 0, err
    number = ledger(repo)[-1]["编号"]
    assert not [d for d in ledger(repo)[-1]["新任评分"]["扣分"] if d["项目"] == "乱页、脱页、损坏"]
    doc = json.loads(run(["score", number, "--now", "--format", "json"], repo, env)[1])
    assert f"〔乱页、脱页、损坏〕接收清点实收 {listed} 页，目录列 {listed} 页：没有脱页" in doc["说明"], doc["说明"]
    # a dossier never counted (made here): the item is the reviewer's alone
    doc = json.loads(run(["score", "C000001", "--format", "json"], repo, env)[1])
    assert not [n for n in doc["说明"] if "接收清点" in n] and not [d for d in doc["扣分"] if d["项目"] == "乱页、脱页、损坏"]
    assert "乱页、脱页、损坏" in [i["项目"] for i in doc["评分人评定"]]
