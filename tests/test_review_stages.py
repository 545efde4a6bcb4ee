"""任前审核 recorded in three stages (issue 15): --record, the ledger and its check, --pending — real CLI and Git."""

from __future__ import annotations

import html
import json
import shutil
import subprocess

import pytest

from conftest import BIN, PROJECT, git
from review_helpers import commit, edit

POST = ["--ni-ren", "长治市财政局副局长", "--rank", "县处级副职"]
WHO = ["--by", "张明", "--by", "李华"]


def record(run, repo, env, stage, date, *extra):
    return run(["review", "C000001", "--stage", stage, *POST, *WHO, "--record", "--date", date, *extra], repo, env)


def test_three_stages_recorded_and_ready_for_the_meeting(repo, env, run):
    commit(repo, env, "建档")
    for stage, date in (("动议初审", "2026.11.02"), ("考察复审", "2026.11.10"), ("任用终审", "2026.11.20")):
        code, out, err = record(run, repo, env, stage, date, "--commit")
        assert code == 0, out + err
        assert "审核结论：通过" in out and f"审核阶段：{stage}" in out and "已提交：" in out
    entries = (repo / "ledgers" / "任前审核.yaml").read_text("utf-8")
    assert entries.count("结论: 通过") == 3 and '审核人: ["张明", "李华"]' in entries
    head = git(["log", "--format=%H", "-1", "--", "dossiers/C000001.yaml"], repo, env).stdout.strip()
    assert f"版本: {head}" in entries
    code, out, err = run(["ledger", "check"], repo, env)
    assert code == 0 and "未发现问题" in out + err, out + err
    code, out, _ = run(["review", "--pending"], repo, env)
    assert code == 0
    ready = out.split("二、")[0]
    assert "可以提交部务会" in ready and "C000001 王建国 拟任长治市财政局副局长（县处级副职）" in ready
    assert "任用终审 通过（2026.11.20" in ready
    doc = json.loads(run(["review", "--pending", "--format", "json"], repo, env)[1])
    assert doc[0]["状态"] == "可以提交部务会" and [s["阶段"] for s in doc[0]["阶段"]] == ["动议初审", "考察复审", "任用终审"]


def test_a_stage_needs_the_one_before_it(repo, env, run):
    commit(repo, env, "建档")
    code, _out, err = record(run, repo, env, "考察复审", "2026.11.10")
    assert code == 2 and "动议初审没有登记：凡提必审，动议初审通过后才能进行考察复审" in err
    edit(repo / "dossiers" / "C000001.yaml", "{年度: 2025, 结果: 称职}", "{年度: 2025, 结果: 基本称职}")
    commit(repo, env, "考核")
    code, out, _ = record(run, repo, env, "动议初审", "2026.11.02")
    assert code == 1 and "审核结论：不予通过" in out
    assert "结论: 不予通过" in (repo / "ledgers" / "任前审核.yaml").read_text("utf-8")
    code, _out, err = record(run, repo, env, "考察复审", "2026.11.10")
    assert code == 2 and "动议初审的结论是不予通过" in err
    code, out, _ = run(["review", "--pending"], repo, env)
    refused = out.split("四、")[1]
    assert "C000001" in refused and "2025 年度考核：基本称职" in refused


def test_reviewers_two_people_not_the_cadre_nor_family(repo, env, run):
    commit(repo, env, "建档")
    code, _out, err = run(["review", "C000001", "--stage", "动议初审", *POST, "--by", "张明", "--by", "张明",
                           "--record"], repo, env)
    assert code == 2 and "两名以上审核人" in err
    code, _out, err = run(["review", "C000001", "--stage", "动议初审", *POST, "--by", "张明", "--by", "王建国",
                           "--record"], repo, env)
    assert code == 2 and "是档案本人" in err
    code, _out, err = run(["review", "C000001", "--stage", "动议初审", *POST, "--by", "张明", "--by", "李秀英",
                           "--record"], repo, env)
    assert code == 2 and "亲属应当回避" in err
    assert not (repo / "ledgers" / "任前审核.yaml").exists()  # nothing half-written


def test_uncommitted_dossier_is_not_recorded(repo, env, run):
    commit(repo, env, "建档")
    edit(repo / "dossiers" / "C000001.yaml", "健康状况: 健康", "健康状况: 良好")
    code, _out, err = record(run, repo, env, "动议初审", "2026.11.02")
    assert code == 2 and "有未提交的改动" in err


def test_key_fact_changed_since_the_earlier_stage_holds(repo, env, run):
    commit(repo, env, "建档")
    assert record(run, repo, env, "动议初审", "2026.11.02", "--commit")[0] == 0
    edit(repo / "dossiers" / "C000001.yaml", "{年度: 2024, 结果: 称职}", "{年度: 2024, 结果: 优秀}")
    commit(repo, env, "改考核")
    code, out, _ = record(run, repo, env, "考察复审", "2026.11.10")
    assert code == 1 and "审核结论：暂缓" in out
    assert "自动议初审（2026.11.02" in out and "以来关键信息有改动，须重新进行动议初审" in out and "称职 → 优秀" in out


def test_ledger_check_finds_a_hand_written_stage_out_of_order(repo, env, run):
    commit(repo, env, "建档")
    head = git(["rev-parse", "HEAD"], repo, env).stdout.strip()
    (repo / "ledgers").mkdir()
    (repo / "ledgers" / "任前审核.yaml").write_text(
        "- 登记号: \"2026-001\"\n  编号: C000001\n  姓名: 王建国\n  拟任职务: 长治市财政局副局长\n  阶段: 任用终审\n"
        "  审核人: [\"张明\", \"王浩\"]\n  日期: \"2026.11.20\"\n  结论: 通过\n  问题: []\n"
        f"  版本: {head}\n"
        "- 登记号: \"2026-001\"\n  编号: C000001\n  姓名: 王建国\n  拟任职务: 长治市财政局副局长\n  阶段: 动议初审\n"
        "  审核人: [\"张明\", \"李华\"]\n  日期: \"2026.11.21\"\n  结论: 通过\n  问题: []\n"
        f"  版本: {'0' * 40}\n", "utf-8")
    code, out, _ = run(["ledger", "check"], repo, env)
    assert code == 1
    for expected in ("G120", "G122", "G113", "G123"):
        assert expected in out, out
    assert "王浩”是档案本人的亲属（儿子）" in out


@pytest.mark.slow
def test_the_meeting_list_on_the_site(repo, env, run, tmp_path):
    """A three-stage review of one candidate, one refused: the site's 部务会名单 as the CLI lists it (real mkdocs)."""
    for name in ("docs",):
        shutil.copytree(PROJECT / name, repo / name)
    shutil.copy(PROJECT / "mkdocs.yml", repo / "mkdocs.yml")
    hook = repo / "scripts" / "dangan" / "site" / "hook.py"
    hook.parent.mkdir(parents=True)
    shutil.copy(PROJECT / "scripts" / "dangan" / "site" / "hook.py", hook)
    commit(repo, env, "建档")
    for stage, date in (("动议初审", "2026.11.02"), ("考察复审", "2026.11.10"), ("任用终审", "2026.11.20")):
        assert record(run, repo, env, stage, date, "--commit")[0] == 0
    code, out, err = run(["review", "C000001", "--stage", "动议初审", "--ni-ren", "长治市财政局局长", "--rank",
                          "县处级正职", *WHO, "--record", "--date", "2026.11.21", "--commit"], repo, env)
    assert code == 1 and "审核结论：不予通过" in out, out + err
    done = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-d", str(tmp_path / "site")], cwd=repo,
                          env={**env, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    page = html.unescape((tmp_path / "site" / "manage" / "pending" / "index.html").read_text("utf-8"))
    body = page[page.rindex("可以提交部务会（"):]  # past the page's own table of contents
    ready, rest = body.split("审核中（", 1)
    assert "可以提交部务会（1 名）" in ready and "长治市财政局副局长（县处级副职）" in ready and "任用终审 通过（2026.11.20" in ready
    refused = rest[rest.index("不予通过（1 名）"):]
    assert "长治市财政局局长（县处级正职）" in refused and "基层工作经历 0 年（须 2 年以上）" in refused
    review_page = html.unescape((tmp_path / "site" / "pretrial" / "C000001" / "index.html").read_text("utf-8"))
    assert "影响使用" in review_page and "2025 年度考核：称职" in review_page


@pytest.mark.slow
def test_the_register_sheet_printed_and_filed(repo, env, run, tmp_path):
    """《干部人事档案任前审核登记表》: all three stages with their reviewers; --file-it files the PDF in class 5."""
    commit(repo, env, "建档")
    for stage, date in (("动议初审", "2026.11.02"), ("考察复审", "2026.11.10"), ("任用终审", "2026.11.20")):
        assert record(run, repo, env, stage, date, "--commit")[0] == 0
    sheet = tmp_path / "登记表.html"
    code, out, err = run(["review", "C000001", "--ni-ren", "长治市财政局副局长", "--sheet", str(sheet)], repo, env)
    assert code == 0, out + err
    page = html.unescape(sheet.read_text("utf-8"))
    assert "干部人事档案任前审核登记表" in page and page.count("李华") == 3 and "县处级副职" in page
    for stage, date in (("动议初审", "2026.11.02"), ("考察复审", "2026.11.10"), ("任用终审", "2026.11.20")):
        assert f"<th>{stage}</th><td>{date}</td><td><strong>通过</strong>" in page
    assert "李秀英" not in page and "王浩" not in page  # no family member on a printed sheet
    code, _out, err = run(["review", "C000001", "--ni-ren", "长治市财政局局长", "--sheet", str(sheet)], repo, env)
    assert code == 2 and "还没有登记任前审核" in err
    code, _out, err = run(["review", "C000001", "--ni-ren", "长治市财政局副局长", "--sheet", str(sheet), "--file-it"],
                          repo, env)
    assert code == 2 and "PDF" in err
    pdf = tmp_path / "登记表.pdf"
    code, out, err = run(["review", "C000001", "--ni-ren", "长治市财政局副局长", "--sheet", str(pdf), "--file-it",
                          "--commit"], repo, env)
    assert code == 0, out + err
    assert pdf.read_bytes().startswith(b"%PDF")
    text = (repo / "dossiers" / "C000001.yaml").read_text("utf-8")
    assert '{类号: "5", 序号: 1, 材料名称: 干部人事档案任前审核登记表（拟任长治市财政局副局长）, 形成时间: "2026.11.20"' in text
    assert "已提交：" in out
    assert run(["check"], repo, env)[0] == 0


def test_a_candidate_whose_dossier_left_stays_on_the_list(repo, env, run):
    """Transferred out after the review: the candidates stay on the 部务会 list (CLI and site) with a note that the
    dossier is no longer here; one through all three stages can no longer go to the meeting."""
    import datetime as dt

    from dangan.repo import Repo
    from dangan.site.pages import management

    commit(repo, env, "建档")
    for stage, date in (("动议初审", "2026.11.02"), ("考察复审", "2026.11.10"), ("任用终审", "2026.11.20")):
        assert record(run, repo, env, stage, date, "--commit")[0] == 0
    code, out, err = run(["review", "C000001", "--stage", "动议初审", "--ni-ren", "长治市财政局总会计师", *WHO,
                          "--record", "--date", "2026.11.21", "--commit"], repo, env)
    assert code == 0, out + err
    code, out, err = run(["transfer", "out", "C000001", "--to", "省财政厅", "--notice", "长财档转〔2026〕5号",
                          "--via", "机要交通", "--commit"], repo, env)
    assert code == 0 and not (repo / "dossiers" / "C000001.yaml").exists(), out + err
    code, out, err = run(["review", "--pending"], repo, env)
    assert code == 0 and "拟任人选 2 名" in out, out + err
    held, rest = out.split("三、")[1], out.split("三、")[0]
    assert "C000001 王建国 拟任长治市财政局副局长（县处级副职）" in held, out
    assert "档案 C000001 已不在 dossiers/ 中（已转出或移走），本库不再保管：审核记录照列，不能提交部务会" in held, out
    under_way = rest.split("二、")[1]
    assert "C000001 王建国 拟任长治市财政局总会计师" in under_way and "各阶段的结论以登记时的档案为准" in under_way, out
    assert "待考察复审" in under_way, out
    doc = json.loads(run(["review", "--pending", "--format", "json"], repo, env)[1])
    assert [(c["状态"], c["档案在库"]) for c in doc] == [("审核中", False), ("暂缓", False)], doc
    page = html.unescape(management.pending_page(Repo(repo), dt.date(2026, 11, 25)))
    assert "拟任人选 2 名" in page and "已不在 dossiers/ 中" in page and "pretrial/C000001/" not in page, page
