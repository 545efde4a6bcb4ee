"""目标管理 检查验收 (issue 20): `dangan grade inspect` and `rectify` through the real CLI, the 考评标准 of the bundled
policy combining inspected and data-derived items, against values computed by hand below.

The bundled 考评标准 (schema/policy.yaml 目标管理): inspected items 50 points (领导重视 5, 机构职责 5, 人员配备 5, 业务培训 5,
库房用房 5, 八防设施 6, 温湿度管理 4, 制度健全 6, 登记簿册 4, 整理与信息化 5); data items 50 (材料齐全完整 20: −1 per
percentage point under 100; 材料规范一致 10: −1 per 10 findings per 100 volumes over 20; 改动经过认定 10: −5 each;
新任干部档案 5: −1 per point under 97; 转递借阅按期 5: −1 each). 一级 总分 ≥ 90, 二级 ≥ 80, 三级 ≥ 70, plus the bounds.
"""

from __future__ import annotations

import json

from review_helpers import edit

LEDGER = "ledgers/检查验收.yaml"
TWO = ["--by", "张华", "--by", "赵强"]


def _inspect(run, repo, env, *args, unit="市财政局"):
    return run(["grade", "inspect", unit, *args], repo, env)


def _unit(run, repo, env, *args, unit="市财政局") -> dict:
    code, out, err = run(["grade", unit, "--format", "json", *args], repo, env)
    assert code == 0, out + err
    return json.loads(out)["单位"][0]


def test_inspection_scores_the_unit_and_freezes_its_grade(repo, env, run):
    code, out, err = _inspect(run, repo, env, "--date", "2026.11.20", *TWO, "--item", "八防设施=4.5:库房缺防光窗帘",
                              "--item", "温湿度=3", "--rest-full", "--problem", "库房窗户未装遮光窗帘",
                              "--deadline", "2026.12.20")
    assert code == 0, out + err
    # inspected 50 − 1.5 − 1 = 47.5; data 50 (one complete dossier, no findings, no intake, nothing overdue)
    assert "总分 97.5，评定 一级" in out and "扣分项目 八防设施 4.5、温湿度管理 3" in out
    text = (repo / LEDGER).read_text("utf-8")
    assert text.startswith("# 干部人事档案目标管理检查验收登记")
    assert "    - {项目: 八防设施, 得分: \"4.5\", 说明: 库房缺防光窗帘}\n" in text
    assert "  卷数: 1\n  总分: \"97.5\"\n  评定等级: 一级\n" in text
    code, out, err = run(["ledger", "check"], repo, env)
    assert code == 0 and "G15" not in out + err, out + err
    u = _unit(run, repo, env)
    assert (u["总分"], u["等级"], u["检查验收"]["登记号"]) == (97.5, "一级", "2026-001")
    assert [(s["项目"], s["得分"]) for s in u["评分"] if s["得分"] < s["分值"]] == [("八防设施", 4.5), ("温湿度管理", 3)]
    assert u["未整改"] == [{"问题": "2026-001-1", "内容": "库房窗户未装遮光窗帘", "整改期限": "2026.12.20", "逾期天数": 0}]
    # past the 整改期限: one overdue 整改; 一级 and 二级 allow none → 三级 (97.5 ≥ 70)
    u = _unit(run, repo, env, "--as-of", "2026.12.21")
    assert (u["逾期未整改"], u["等级"]) == (1, "三级")
    assert any(r.startswith("逾期未整改 1（二级要求≤ 0）：2026-001-1 库房窗户未装遮光窗帘") for r in u["未达上一等级的原因"])
    code, out, err = run(["ledger", "check", "--as-of", "2026.12.21"], repo, env)
    assert "ledgers/检查验收.yaml:" in out + err and "G156" in out + err and "逾期 1 天" in out + err
    code, out, err = run(["grade", "--as-of", "2026.12.21"], repo, env)
    assert "未整改：2026-001-1 库房窗户未装遮光窗帘（整改期限 2026.12.20，逾期 1 天）" in out
    # the 整改 recorded: 一级 again, and the entry keeps its frozen grade
    code, out, err = run(["grade", "rectify", "2026-001", "--how", "已装遮光窗帘", "--by", "李明", "--date", "2026.11.24"],
                         repo, env)
    assert code == 0 and "第 1 个问题已整改（2026.11.24，复查人 李明）" in out, out + err
    text = (repo / LEDGER).read_text("utf-8")
    assert '      整改日期: "2026.11.24"\n      整改情况: 已装遮光窗帘\n      复查人: 李明\n' in text
    u = _unit(run, repo, env, "--as-of", "2026.12.21")
    assert (u["逾期未整改"], u["未整改"], u["等级"]) == (0, [], "一级")
    code, out, err = run(["grade", "rectify", "2026-001", "--how", "再次", "--by", "李明"], repo, env)
    assert code == 1 and "都已整改" in err


def test_rectify_keeps_the_ledgers_comments(repo, env, run):
    assert _inspect(run, repo, env, *TWO, "--rest-full", "--problem", "甲", "--problem", "乙")[0] == 0
    path = repo / LEDGER
    path.write_text(path.read_text("utf-8").replace("  问题:\n", "  问题:  # 检查组当场交办\n"), "utf-8")
    code, _, err = run(["grade", "rectify", "2026-001", "--how", "已改"], repo, env)
    assert code == 2 and "有 2 个问题未整改，请用 --problem 序号 指明：1. 甲；2. 乙" in err
    code, out, err = run(["grade", "rectify", "2026-001", "--problem", "2", "--how", "已改", "--by", "李明"], repo, env)
    assert code == 0, out + err
    text = path.read_text("utf-8")
    assert "  问题:  # 检查组当场交办\n" in text and text.count("整改日期: null") == 1
    # the default 整改期限: 整改天数 (30) days after the inspection (today, 2026.11.25)
    assert text.count('整改期限: "2026.12.25"') == 2


def test_data_items_lower_the_total(repo, env, run):
    """No 任免审批表 (C501): 完整率 0 → 材料齐全完整 0 of 20; one finding on one volume → 100 per 100 volumes:
    材料规范一致 10 − (100 − 20) / 10 × 1 = 2. Total 50 + 0 + 2 + 10 + 5 + 5 = 72 → 三级 on points, but 完整率 0
    is under every level's bound → 未达标."""
    edit(repo / "dossiers" / "C000001.yaml", "材料名称: 干部任免审批表（副局长）", "材料名称: 任职通知（副局长）")
    assert _inspect(run, repo, env, *TWO, "--rest-full")[0] == 0
    u = _unit(run, repo, env)
    assert (u["完整率"], u["每百卷问题"], u["总分"], u["等级"]) == (0.0, 100.0, 72, "未达标")
    pts = {s["项目"]: s["得分"] for s in u["评分"]}
    assert (pts["材料齐全完整"], pts["材料规范一致"], pts["改动经过认定"]) == (0, 2, 10)
    assert any(r.startswith("完整率 0（三级要求≥ 70）") for r in u["未达上一等级的原因"])


def test_without_inspection_the_inspected_items_score_nothing(repo, env, run):
    u = _unit(run, repo, env)
    assert (u["总分"], u["等级"], u["检查验收"]) == (50, "未达标", None)
    assert u["未达上一等级的原因"] == ["总分 50（三级要求≥ 70）：还没有检查验收，检查项目 50 分未评"]


def test_last_years_grade_and_a_later_inspection(repo, env, run):
    # 2025: 组织领导 and 管理人员 at half marks (−10), 温湿度管理 1 of 4 (−3): inspected 37 + data 50 = 87 → 二级
    args = ["--item", "领导重视=2.5", "--item", "机构职责=2.5", "--item", "人员配备=2.5", "--item", "业务培训=2.5",
            "--item", "温湿度管理=1", "--rest-full"]
    code, out, err = _inspect(run, repo, env, "--date", "2025.11.20", *TWO, *args)
    assert code == 0 and "总分 87，评定 二级" in out, out + err
    assert _inspect(run, repo, env, "--date", "2026.11.20", *TWO, "--rest-full")[0] == 0
    u = _unit(run, repo, env)
    assert (u["上年等级"], u["等级"], u["总分"], u["检查验收"]["登记号"]) == ("二级", "一级", 100, "2026-001")
    # recorded after the 2026 one, an inspection dated 2025 is graded with its own scores, not the later ones
    code, out, err = _inspect(run, repo, env, "--date", "2025.12.01", *TWO, "--item", "制度健全=0", "--rest-full")
    assert code == 0 and "总分 94，评定 一级" in out and "登记号 2025-002" in out, out + err
    assert _unit(run, repo, env)["上年等级"] == "一级"  # the latest before 2026


def test_refusals_write_nothing(repo, env, run):
    cases = [
        (["--by", "张华", "--rest-full"], "须有 2 名以上检查人"),
        (["--by", "张华", "--by", "张华", "--rest-full"], "须有 2 名以上检查人"),
        ([*TWO, "--item", "八防设施=4"], "还有检查项目没有评分：领导重视（5 分）"),
        ([*TWO, "--item", "八防设施=7", "--rest-full"], "八防设施 的得分应在 0 至 6 之间，按 0.5 分计"),
        ([*TWO, "--item", "八防设施=4.2", "--rest-full"], "按 0.5 分计"),
        ([*TWO, "--item", "材料齐全完整=20", "--rest-full"], "不是考评标准中由检查评分的项目"),
        ([*TWO, "--item", "八防设施", "--rest-full"], "写作 项目=得分"),
        ([*TWO, "--rest-full", "--date", "2026.12.01"], "晚于今天"),  # exit 1 (a refusal, not a usage error)
        ([*TWO, "--rest-full", "--problem", "甲", "--deadline", "2026.11.01"], "整改期限 2026.11.01 早于检查日期"),
        ([*TWO, "--rest-full", "--deadline", "2026.12.01"], "请同时用 --problem"),
    ]
    for args, message in cases:
        code, out, err = _inspect(run, repo, env, *args)
        assert code in (1, 2) and message in err and "Traceback" not in err, (args, out, err)
        assert not (repo / LEDGER).exists()
    code, _, err = _inspect(run, repo, env, *TWO, "--rest-full", unit="市财政厅")
    assert code == 2 and "不是在册的管档单位" in err
    code, _, err = run(["grade", "rectify", "2026-009", "--how", "x"], repo, env)
    assert code == 2 and "没有登记号 2026-009" in err


def test_a_hand_edited_ledger_is_checked_with_its_place(repo, env, run):
    assert _inspect(run, repo, env, *TWO, "--rest-full", "--problem", "甲")[0] == 0
    path = repo / LEDGER
    text = path.read_text("utf-8")
    path.write_text(text.replace("{项目: 八防设施, 得分: 6}", "{项目: 八防设施, 得分: 8}")
                    .replace("检查人: [\"张华\", \"赵强\"]", "检查人: [\"张华\", \"张华\"]")
                    .replace("      整改情况: null\n", "      整改情况: 已整改\n"), "utf-8")
    code, out, err = run(["ledger", "check"], repo, env)
    lines = (out + err).splitlines()
    assert code == 1 and "Traceback" not in out + err
    assert any(x.startswith("ledgers/检查验收.yaml:") and "八防设施 得分 8 超过本项分值 6" in x and "G154" in x
               for x in lines), out + err
    assert any("G158" in x for x in lines) and any("不得重复" in x or "G151" in x for x in lines), out + err
    # the verbs refuse to add to an invalid register
    code, _, err = _inspect(run, repo, env, *TWO, "--rest-full")
    assert code != 0 and "Traceback" not in err


def _eligible(repo) -> None:
    """One volume is enough to take part (the bundled line is 500)."""
    edit(repo / "schema" / "policy.yaml", "参评卷数: 500", "参评卷数: 1")


def test_apply_writes_the_application_or_says_what_is_missing(repo, env, run, tmp_path):
    out_file = tmp_path / "申报.html"
    code, _, err = run(["grade", "apply", "市财政局", "--level", "一级", "-o", out_file], repo, env)
    assert code == 1 and not out_file.exists()
    assert "市财政局 不能申报一级（按考评标准现评定为未达标），未写出申报材料" in err
    assert "卷数 1，不足参评卷数 500" in err and "还没有检查验收" in err and "总分 50（一级要求≥ 90）" in err
    _eligible(repo)
    assert _inspect(run, repo, env, "--date", "2026.11.20", *TWO, "--item", "八防设施=4.5:库房缺防光窗帘", "--rest-full",
                    "--problem", "库房窗户未装遮光窗帘", "--deadline", "2026.11.24")[0] == 0
    # the 整改 is past its deadline (today 2026.11.25): refused for every level, 三级 included
    code, _, err = run(["grade", "apply", "市财政局", "--level", "三级", "-o", out_file], repo, env)
    assert code == 1 and "有过了整改期限仍未整改的问题：2026-001-1 库房窗户未装遮光窗帘（限 2026.11.24）" in err
    assert not out_file.exists()
    assert run(["grade", "rectify", "2026-001", "--how", "已装遮光窗帘", "--by", "李明"], repo, env)[0] == 0
    code, out, err = run(["grade", "apply", "市财政局", "--level", "一级", "-o", out_file], repo, env)
    assert code == 0 and "总分 98.5" in out, out + err  # 50 − 1.5 + 50
    page = out_file.read_text("utf-8")
    for expected in ("干部人事档案工作目标管理等级申报表", "申报单位：<strong>市财政局</strong>", "申报等级：<strong>一级</strong>",
                     "<td>八防设施</td>", "<td>6</td><td>4.5</td><td>库房缺防光窗帘</td>", "<strong>98.5</strong>",
                     "检查人\n张华、赵强", "<td>2026-001-1</td><td>库房窗户未装遮光窗帘</td><td>2026.11.24</td>"
                     "<td>2026.11.25</td><td>已装遮光窗帘</td><td>李明</td><td>已整改</td>",
                     "组通字〔1996〕55号", "@page { size: A4"):
        assert expected in page, expected
    code, _, err = run(["grade", "apply", "市财政局", "--level", "特级", "-o", out_file], repo, env)
    assert code == 2 and "没有等级“特级”：可申报 一级、二级、三级" in err


def test_apply_as_pdf(repo, env, run, tmp_path):
    import shutil

    import pytest

    from dangan.forms.pdf import chromium

    if chromium() is None or shutil.which("pdftotext") is None:
        pytest.skip("需要 Chromium 和 pdftotext")
    _eligible(repo)
    assert _inspect(run, repo, env, *TWO, "--rest-full")[0] == 0
    pdf = tmp_path / "申报.pdf"
    code, out, err = run(["grade", "apply", "市财政局", "--level", "一级", "-o", pdf], repo, env)
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF"), out + err
    import subprocess

    words = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "目标管理等级申报表" in words and "市财政局" in words and "检查验收未发现问题" in words


def test_the_city_report(repo, env, run, tmp_path):
    """Last year 二级 (2025 inspection), this year 一级; one open 整改 for 市财政局; every listed unit appears."""
    args = ["--item", "领导重视=2.5", "--item", "机构职责=2.5", "--item", "人员配备=2.5", "--item", "业务培训=2.5",
            "--item", "温湿度管理=1", "--rest-full"]
    assert _inspect(run, repo, env, "--date", "2025.11.20", *TWO, *args)[0] == 0
    assert _inspect(run, repo, env, "--date", "2026.11.20", *TWO, "--rest-full", "--problem", "制度未上墙",
                    "--deadline", "2026.12.20")[0] == 0
    code, out, err = run(["grade", "--report", "--format", "json"], repo, env)
    assert code == 0, out + err
    doc = json.loads(out)
    units = {u["管档单位"]: u for u in doc["单位"]}
    assert set(units) == {"市委组织部", "市财政局", "市教育局", "市卫生健康委员会", "市住房和城乡建设局", "潞州区委组织部"}
    u = units["市财政局"]
    assert (u["卷数"], u["总分"], u["等级"], u["上年等级"], u["变化"], u["未整改"], u["其中逾期"], u["最近检查验收"]) == (
        1, 100, "一级", "二级", "升级（二级→一级）", 1, 0, "2026.11.20")
    assert units["市教育局"]["最近检查验收"] == "未检查" and units["市教育局"]["变化"] == "—"
    code, out, _ = run(["grade", "--report"], repo, env)
    assert "干部人事档案目标管理定级情况（截至 2026.11.25）" in out and "升级（二级→一级）" in out
    assert "  市财政局 2026-001-1 制度未上墙（整改期限 2026.12.20）" in out
    html_file = tmp_path / "定级.html"
    code, out, _ = run(["grade", "--report", "--format", "html", "-o", html_file], repo, env)
    assert code == 0 and "已写出" in out
    page = html_file.read_text("utf-8")
    assert "<td>市财政局</td><td>1</td><td>否</td><td>100</td><td>一级</td><td>二级</td><td>升级（二级→一级）</td>" in page
    code, _, err = run(["grade", "--format", "html"], repo, env)
    assert code == 2 and "只用于 --report" in err


def test_site_page_shows_the_city_table_and_open_fixes(tmp_path):
    from conftest import VALID
    from test_grade import FULL
    from test_site import copy_repo, mkdocs_build

    root = copy_repo(tmp_path / "repo", [("C000001.yaml", VALID.read_bytes())])
    (root / "ledgers").mkdir()
    (root / "ledgers" / "检查验收.yaml").write_text(FULL.replace(
        "  问题: []\n", '  问题:\n    - {序号: 1, 问题: 温湿度记录不全, 整改期限: "2026.02.05", 整改日期: null, 整改情况: null, 复查人: null}\n'),
        "utf-8")
    p = mkdocs_build(root, tmp_path / "site")
    assert p.returncode == 0, p.stdout + p.stderr
    page = (tmp_path / "site" / "manage" / "index.html").read_text("utf-8")
    assert "未整改的问题" in page and '<li data-dangan-fix="overdue">市财政局 2026' in page
    assert "温湿度记录不全（整改期限 2026.02.05，逾期" in page
    assert "考评得分" in page and "<td>八防设施</td>" in page and "上年等级" in page
    # the overdue 整改 bars 一级 and 二级: 三级 (total 100)
    assert 'data-dangan-grade="三级"' in page and "逾期未整改 1（二级要求≤ 0）" in page


def test_a_backdated_inspection_is_graded_as_of_its_day(repo, env, run):
    """Recorded on 2026.11.25 for 2026.10.01, its problem due 2026.10.31: on its own day nothing was overdue (一级 frozen),
    today the 整改 is late (三级, G156 warned when it is written); --dry-run writes nothing."""
    args = ["--date", "2026.10.01", *TWO, "--rest-full", "--problem", "制度未上墙", "--deadline", "2026.10.31"]
    code, out, err = _inspect(run, repo, env, *args, "--dry-run")
    assert code == 0 and "（--dry-run：未写入任何文件）" in out and not (repo / LEDGER).exists(), out + err
    code, out, err = _inspect(run, repo, env, *args)
    assert code == 0 and "总分 100，评定 一级" in out and "G156" in err, out + err
    assert "  评定等级: 一级\n" in (repo / LEDGER).read_text("utf-8")
    u = _unit(run, repo, env)
    assert (u["等级"], u["逾期未整改"], u["未整改"][0]["逾期天数"]) == ("三级", 1, 25)
