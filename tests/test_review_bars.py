"""What bars an appointment (issue 15): 影响使用, 任职资格, Party posts, 预备期 — through the real CLI.

The base dossier (tests/data/valid.yaml, C000001) is a 市财政局副局长 (县处级副职 since 2016.08), 中共党员,
2025 年度考核 称职, no 处分; DANGAN_TODAY is 2026.11.25.
"""

from __future__ import annotations

import json

import pytest

from review_helpers import edit

DOSSIER = "dossiers/C000001.yaml"
SANCTION_AFTER = '    依据: ["7-1"]\n年度考核:'
MATERIAL_AFTER = '  - {类号: "7", 序号: 1, 材料名称: 记三等功审批表, 形成时间: "2012.12.20", 页数: 2, 接收时间: "2013.01.08"}\n'


def review(run, repo, env, *args):
    code, out, err = run(["review", "C000001", "--format", "json", *args], repo, env)
    assert code in (0, 1), out + err
    doc = json.loads(out)
    assert code == (0 if doc["结论"] == "通过" else 1)
    return doc


def bar(doc, name):
    return next(c for c in doc["影响使用与任职资格"] if c["项目"] == name)


def add_sanction(repo, fields: str, material: str = "政务处分决定书", formed: str = "2026.06.10"):
    """A 处分/诫勉/组织处理 entry with its class-8 material (so nothing else in the dossier changes)."""
    path = repo / DOSSIER
    entry = fields.rstrip().removesuffix("}") + ', 依据: ["8-1"]}\n'
    edit(path, SANCTION_AFTER, '    依据: ["7-1"]\n' + entry + '年度考核:')
    edit(path, MATERIAL_AFTER, MATERIAL_AFTER + f'  - {{类号: "8", 序号: 1, 材料名称: {material}, 形成时间: "{formed}", '
                                                f'页数: 2, 接收时间: "{formed}"}}\n')


def test_clean_dossier_passes_every_bar(repo, env, run):
    code, out, err = run(["review", "C000001"], repo, env)
    assert code == 0, out + err
    assert "六、影响使用与任职资格" in out and "【上一年度考核】符合" in out and "2025 年度考核：称职" in out
    assert "没有给出拟任职级（--rank），未核对任职资格" in out
    assert "审核结论：通过" in out


def test_last_year_basic_competent_refuses(repo, env, run):
    edit(repo / DOSSIER, "{年度: 2025, 结果: 称职}", "{年度: 2025, 结果: 基本称职}")
    code, out, _ = run(["review", "C000001"], repo, env)
    assert code == 1
    assert "审核结论：不予通过" in out
    assert "上一年度考核结果为基本称职以下等次（任用条例第二十四条）：2025 年度考核：基本称职" in out
    # an older 基本称职 does not bar
    edit(repo / DOSSIER, "{年度: 2025, 结果: 基本称职}", "{年度: 2025, 结果: 称职}")
    edit(repo / DOSSIER, "{年度: 2024, 结果: 称职}", "{年度: 2024, 结果: 基本称职}")
    assert review(run, repo, env)["结论"] == "通过"


@pytest.mark.parametrize(("fields", "verdict", "shown"), [
    # 政务处分 记过: 12 months from 2026.06 → until 2027.06
    ("  - {类别: 处分, 种类: 政务处分, 名称: 记过, 时间: \"2026.06\", 批准机关: 长治市监察委员会}\n", "不予通过",
     "2026.06 长治市监察委员会 政务处分“记过”（影响期 12 个月，至 2027.06），影响期未满"),
    # 记过 of 2025.06 is over (2026.06)
    ("  - {类别: 处分, 种类: 政务处分, 名称: 记过, 时间: \"2025.06\", 批准机关: 长治市监察委员会}\n", "通过",
     "影响期 12 个月，至 2026.06），影响期已满"),
    # 党纪 警告 is 12 months (政务 警告 only 6): 2025.12 → 2026.12, still open
    ("  - {类别: 处分, 种类: 党纪处分, 名称: 党内警告, 时间: \"2025.12\", 批准机关: 中共长治市纪律检查委员会}\n", "不予通过",
     "党纪处分“党内警告”（影响期 12 个月，至 2026.12），影响期未满"),
    ("  - {类别: 处分, 种类: 政务处分, 名称: 警告, 时间: \"2025.12\", 批准机关: 长治市监察委员会}\n", "通过",
     "影响期 6 个月，至 2026.06），影响期已满"),
    # 严重警告 is matched before 警告: 18 months
    ("  - {类别: 处分, 种类: 党纪处分, 名称: 严重警告, 时间: \"2025.06\", 批准机关: 中共长治市纪律检查委员会}\n", "不予通过",
     "（影响期 18 个月，至 2026.12），影响期未满"),
    # 留党察看 counts from 解除时间 (恢复党员权利); without it, the period has not begun
    ("  - {类别: 处分, 种类: 党纪处分, 名称: 留党察看一年, 时间: \"2022.03\", 批准机关: 中共长治市纪律检查委员会}\n",
     "不予通过", "尚未解除，影响期从解除时算起"),
    ("  - {类别: 处分, 种类: 党纪处分, 名称: 留党察看一年, 时间: \"2022.03\", 批准机关: 中共长治市纪律检查委员会,"
     " 解除时间: \"2023.03\"}\n", "通过", "至 2025.03），影响期已满"),
    ("  - {类别: 诫勉, 名称: 诫勉, 时间: \"2026.08\", 批准机关: 中共长治市委组织部}\n", "不予通过", "至 2027.02"),
    ("  - {类别: 组织处理, 名称: 调整职务, 时间: \"2026.01\", 批准机关: 中共长治市委}\n", "不予通过", "至 2027.01"),
    ("  - {类别: 处分, 种类: 政务处分, 名称: 开除, 时间: \"2001.01\", 批准机关: 长治市人民政府}\n", "不予通过", "不得再任用"),
])
def test_impact_periods(repo, env, run, fields, verdict, shown):
    add_sanction(repo, fields)
    code, out, err = run(["check", DOSSIER], repo, env)
    assert code == 0, out + err  # a well-formed sanction is not a check finding
    doc = review(run, repo, env)
    assert doc["结论"] == verdict, doc
    periods = bar(doc, "影响期")
    assert any(shown in x for x in periods["不符合"] + periods["情况"]), periods
    if verdict == "不予通过":
        assert any("影响期未满" in r for r in doc["不予通过理由"])


def test_unclear_sanction_holds(repo, env, run):
    """A 处分 without 种类, or a name the policy does not list: R217 in check, 暂缓 in review."""
    add_sanction(repo, "  - {类别: 处分, 名称: 记过, 时间: \"2026.06\", 批准机关: 长治市监察委员会}\n")
    code, out, _ = run(["check", DOSSIER], repo, env)
    assert code == 0 and "R217" in out and "没有写种类" in out
    doc = review(run, repo, env)
    assert doc["结论"] == "暂缓" and any("R217" in r for r in doc["理由"])
    edit(repo / DOSSIER, "{类别: 处分, 名称: 记过", "{类别: 处分, 种类: 政务处分, 名称: 通报批评")
    code, out, _ = run(["check", DOSSIER], repo, env)
    assert "R217" in out and "不是政策文件列出的政务处分名称" in out


def test_periods_come_from_the_policy(repo, env, run):
    add_sanction(repo, "  - {类别: 处分, 种类: 政务处分, 名称: 记过, 时间: \"2025.06\", 批准机关: 长治市监察委员会}\n")
    assert review(run, repo, env)["结论"] == "通过"
    policy = repo / "schema" / "policy.yaml"
    edit(policy, "警告: 6, 记过: 12,", "警告: 6, 记过: 24,")
    doc = review(run, repo, env)
    assert doc["结论"] == "不予通过" and "至 2027.06" in bar(doc, "影响期")["不符合"][0]


def test_party_post_of_a_non_member_is_a_check_error(repo, env, run):
    path = repo / DOSSIER
    edit(path, "政治面貌: 中共党员\n入党时间: \"1995.06\"", "政治面貌: 群众\n入党时间: null")
    edit(path, "现任职务: 长治市财政局副局长", "现任职务: 长治市财政局党组成员、副局长")
    edit(path, "    内容: 山西省长治市财政局副局长", "    内容: 山西省长治市财政局党组成员、副局长")
    code, out, _ = run(["check", DOSSIER], repo, env)
    assert code == 1
    assert out.count("R214") == 2 and "现任职务“长治市财政局党组成员、副局长”是党内职务（党组成员）" in out
    assert "简历第 5 段" in out
    doc = review(run, repo, env)
    assert doc["结论"] == "暂缓" and any("R214" in r for r in doc["理由"])


def test_words_that_are_not_party_posts(repo, env, run):
    path = repo / DOSSIER
    edit(path, "政治面貌: 中共党员\n入党时间: \"1995.06\"", "政治面貌: 民盟盟员\n入党时间: null")
    edit(path, "现任职务: 长治市财政局副局长", "现任职务: 长治市财政局副局长，民盟长治市委常委")
    edit(path, "    内容: 山西省长治市财政局预算科科员", "    内容: 山西省长治市中级人民法院书记员")
    code, out, err = run(["check", DOSSIER], repo, env)
    assert code == 0 and "R214" not in out, out + err


@pytest.mark.parametrize(("joined", "code", "expected"), [
    ("2025.06", 0, "R215"),  # 17 months: past the year, within an extension
    ("2024.06", 1, "R216"),  # 29 months: past the longest 预备期
])
def test_overdue_probationary_member(repo, env, run, joined, code, expected):
    edit(repo / DOSSIER, "政治面貌: 中共党员\n入党时间: \"1995.06\"", f"政治面貌: 中共预备党员\n入党时间: \"{joined}\"")
    rc, out, _ = run(["check", DOSSIER], repo, env)
    assert rc == code and expected in out, out
    assert "仍是中共预备党员" in out
    doc = review(run, repo, env)
    assert doc["结论"] == "暂缓"


def test_probation_within_the_year_is_quiet(repo, env, run):
    edit(repo / DOSSIER, "政治面貌: 中共党员\n入党时间: \"1995.06\"", "政治面貌: 中共预备党员\n入党时间: \"2026.03\"")
    code, out, _ = run(["check", DOSSIER], repo, env)
    assert code == 0 and "R215" not in out and "R216" not in out


def test_qualifications_for_a_promotion(repo, env, run):
    """县处级副职 → 县处级正职 needs 2 years of 基层 (C000001 has none), 5 years' 工龄, 2 years as 副职, 大专."""
    doc = review(run, repo, env, "--rank", "县处级正职", "--ni-ren", "长治市财政局局长")
    assert doc["结论"] == "不予通过" and doc["拟任职务"] == "长治市财政局局长" and doc["拟任职级"] == "县处级正职"
    q = bar(doc, "任职资格")
    assert q["不符合"] == ["基层工作经历 0 年（须 2 年以上）"], q
    assert "工龄 32 年（须 5 年以上）" in q["情况"] and "在副职岗位（县处级副职）工作 10 年（须 2 年以上）" in q["情况"]
    # seven years as a 科员 in a county make the 基层 experience
    edit(repo / DOSSIER, "内容: 山西省长治市财政局预算科科员", "内容: 山西省长治县财政局预算科科员")
    doc = review(run, repo, env, "--rank", "县处级正职")
    assert doc["结论"] == "通过", doc
    assert "基层工作经历 7 年（须 2 年以上）" in bar(doc, "任职资格")["情况"]


def test_years_in_the_lower_post(repo, env, run):
    path = repo / DOSSIER
    edit(path, "内容: 山西省长治市财政局预算科科员", "内容: 山西省长治县财政局预算科科员")
    edit(path, '    截止: "2016.08"\n', '    截止: "2025.08"\n')
    edit(path, '  - 起始: "2016.08"\n', '  - 起始: "2025.08"\n')
    doc = review(run, repo, env, "--rank", "县处级正职")
    assert doc["结论"] == "不予通过"
    assert "在副职岗位（县处级副职）工作 1 年（须 2 年以上）" in bar(doc, "任职资格")["不符合"]
    # two levels up at once is not an ordinary promotion
    doc = review(run, repo, env, "--rank", "厅局级副职")
    assert any("越级提拔" in x for x in bar(doc, "任职资格")["不符合"])
    # the same level is not a promotion: nothing to check
    doc = review(run, repo, env, "--rank", "县处级副职")
    assert doc["结论"] == "通过" and "不是提拔" in bar(doc, "任职资格")["情况"][0]


def test_education_for_the_level(repo, env, run):
    path = repo / DOSSIER
    edit(path, "内容: 山西省长治市财政局预算科科员", "内容: 山西省长治县财政局预算科科员")
    policy = repo / "schema" / "policy.yaml"
    edit(policy, "{最低层次: 7, 学历: 大学本科毕业}", "{最低层次: 6, 学历: 博士研究生毕业}")
    doc = review(run, repo, env, "--rank", "县处级正职")
    assert doc["结论"] == "不予通过"
    assert any(x.startswith("学历 ") and "须博士研究生毕业以上" in x for x in bar(doc, "任职资格")["不符合"])


def test_unknown_rank_is_a_usage_error(repo, env, run):
    code, _out, err = run(["review", "C000001", "--rank", "正处"], repo, env)
    assert code == 2 and "不是规定的职级写法" in err and "Traceback" not in err


def test_query_fields_of_the_qualifications(repo, env, run):
    """`query '任现职年限>=3'` said 没有字段; the figures are those review judges on."""
    code, out, err = run(["query", "任现职年限>=3 and 工龄>=30 and 基层经历年限=0", "--columns",
                          "编号,工龄,任现职年限,基层经历年限", "--format", "json"], repo, env)
    assert code == 0, out + err
    assert json.loads(out) == [{"编号": "C000001", "工龄": 32, "任现职年限": 10, "基层经历年限": 0}]
    edit(repo / DOSSIER, "内容: 山西省长治市财政局预算科科员", "内容: 山西省长治县财政局预算科科员")
    code, out, _ = run(["query", "基层经历年限>=7", "--columns", "编号,基层经历年限", "--format", "json"], repo, env)
    assert json.loads(out) == [{"编号": "C000001", "基层经历年限": 7}]
    code, out, _ = run(["query", "任现职年限>10"], repo, env)
    assert code == 0 and "C000001" not in out


def test_bundled_cases_show_each_verdict(tmp_path, env, run):
    """The bundled dossiers carry one case of each bar (issue 15); C000035 holds Party posts as a Party member."""
    import shutil

    from conftest import PROJECT, git

    root = tmp_path / "bundled"
    for name in ("schema", "dossiers"):
        shutil.copytree(PROJECT / name, root / name)
    git(["init", "-q", "-b", "main"], root, env)
    code, out, err = run(["check"], root, env)
    assert code == 0 and "R214" not in out + err
    assert "C000038.yaml" in out and "R215" in out
    expected = {"C000035": ("不予通过", "2025 年度考核：基本称职"),
                "C000013": ("不予通过", "政务处分“记过”（影响期 12 个月，至 2027.03），影响期未满"),
                "C000038": ("暂缓", "R215"), "C000007": ("不予通过", "在下级正职岗位（乡科级正职）工作 1 年（须 3 年以上）"),
                "C000004": ("通过", "")}
    for number, (verdict, why) in expected.items():
        rank = {"C000007": "县处级副职", "C000038": "乡科级正职"}.get(number, "县处级正职")
        code, out, _ = run(["review", number, "--rank", rank], root, env)
        assert f"审核结论：{verdict}" in out, (number, out[-600:])
        assert why in out.split("审核结论：")[1] if why else code == 0


def test_bundled_ledger_three_stages_and_the_meeting_list(env, run):
    """The bundled ledgers/任前审核.yaml: one candidate through all three stages, the bundled cases refused or held.
    Read in the project itself: the 版本 are commits of its history (a copy without it cannot tell: 暂缓)."""
    from conftest import PROJECT

    code, out, err = run(["ledger", "check"], PROJECT, env)
    assert code == 0 and "G123" not in out + err, out + err
    doc = json.loads(run(["review", "--pending", "--format", "json"], PROJECT, env)[1])
    state = {c["编号"]: c["状态"] for c in doc}
    assert state == {"C000004": "可以提交部务会", "C000038": "暂缓", "C000007": "不予通过", "C000013": "不予通过",
                     "C000035": "不予通过"}
