"""`dangan transfer out|receipt|in` end to end, with the 转递 ledger validated and the commits through the real hooks."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import PROJECT, git, valid_bytes
from dangan.ledgers import TRANSFER, findings
from dangan.load import load_bytes
from dangan.repo import Repo, content_hash
from dangan.yamledit import Source
from review_helpers import rubric_complete
from test_check_cli import OTHER_ID, VALID_ID, sub
from test_precommit import commit, first_commit
from test_verbs_file import assert_audit_clean

LEDGER = "ledgers/转递.yaml"
NOTICE = "长组档转〔2026〕15号"
OUT = ["transfer", "out", "C000001", "--to", "省财政厅", "--notice", NOTICE, "--via", "机要交通"]


def ledger(repo) -> list[dict]:
    return load_bytes((repo / LEDGER).read_bytes(), LEDGER, root_list=True).data


def assert_valid_ledger(repo):
    src = Source.read(repo / LEDGER, LEDGER, root_list=True)
    assert findings(Repo(repo), TRANSFER, src, LEDGER) == []


def test_out_then_receipt_committed(hooked, env, run):
    first_commit(hooked, env)
    code, out, err = run([*OUT, "--date", "2026.11.20", "--note", "随调令转递"], hooked, env)
    assert code == 0, err
    assert not (hooked / "dossiers" / "C000001.yaml").exists()
    assert ledger(hooked) == [{"通知单号": NOTICE, "编号": "C000001", "姓名": "王建国", "方向": "转出", "转往": "省财政厅",
                               "日期": "2026.11.20", "方式": "机要交通", "回执日期": None, "经办人": "测试员",
                               "备注": "随调令转递"}]
    assert_valid_ledger(hooked)
    assert f"建议提交说明：转出 C000001 王建国 至 省财政厅（{NOTICE}，机要交通）" in out
    assert "2026.12.20 前" in out  # the 回执 period from the policy file
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "转出 C000001")
    assert p.returncode == 0, p.stdout + p.stderr
    assert git(["ls-files", "dossiers"], hooked, env).stdout == ""
    # the number stays used: dangan new does not hand it out again
    code, out, _err = run(["new", "--name", "张三"], hooked, env)
    assert code == 0 and "C000002" in out
    (hooked / "dossiers" / "C000002.yaml").unlink()

    code, out, err = run(["transfer", "receipt", NOTICE, "--date", "2026.11.24"], hooked, env)
    assert code == 0, err
    assert ledger(hooked)[0]["回执日期"] == "2026.11.24"
    diff = git(["diff", "-U0", "--", LEDGER], hooked, env).stdout
    assert '-  回执日期: null' in diff and '+  回执日期: "2026.11.24"' in diff
    code, _out, err = run(["transfer", "receipt", NOTICE], hooked, env)
    assert code == 1 and "已登记" in err
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "回执")
    assert p.returncode == 0, p.stdout + p.stderr
    assert_audit_clean(hooked, env, run)


def test_an_incomplete_dossier_is_not_sent(repo, env, run):
    path = repo / "dossiers" / "C000001.yaml"
    path.write_bytes(sub('  - {类号: "1", 序号: 1, 材料名称: 干部履历表, 形成时间: "1995.03.10", 页数: 8, 接收时间: "1995.03.20"}\n',
                         "")(valid_bytes()))
    code, _out, err = run(OUT, repo, env)
    assert code == 1 and "C504" in err and "不能转出" in err
    assert path.exists() and not (repo / LEDGER).exists()


def test_out_refusals_and_dry_run(repo, env, run):
    before = (repo / "dossiers" / "C000001.yaml").read_bytes()
    code, out, _err = run([*OUT, "--dry-run"], repo, env)
    assert code == 0 and "删除 dossiers/C000001.yaml" in out and "未写入" in out
    assert (repo / "dossiers" / "C000001.yaml").read_bytes() == before and not (repo / LEDGER).exists()
    code, _out, err = run([*OUT[:-1], "邮寄"], repo, env)
    assert code == 2 and "机要交通" in err
    code, _out, err = run(["transfer", "out", "C000009", "--to", "省财政厅", "--notice", NOTICE, "--via", "机要交通"],
                          repo, env)
    assert code == 2 and "找不到" in err
    code, _out, err = run(["transfer", "receipt", "无此单"], repo, env)
    assert code == 2 and "没有通知单" in err


def test_receipt_date_must_follow_the_transfer(repo, env, run):
    assert run([*OUT, "--date", "2026.11.20"], repo, env)[0] == 0
    code, _out, err = run(["transfer", "receipt", NOTICE, "--date", "2026.11.19"], repo, env)
    assert code == 1 and "早于转递日期" in err
    code, _out, err = run(["transfer", "receipt", NOTICE, "--date", "2026.12.01"], repo, env)
    assert code == 1 and "晚于今天" in err


def test_in_renumbers_a_used_number_and_reports_what_is_missing(hooked, env, run, tmp_path):
    first_commit(hooked, env)
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    raw = sub(VALID_ID, OTHER_ID)(rubric_complete(valid_bytes()))
    raw = sub('  - {类号: "6", 序号: 1, 材料名称: 入党志愿书, 形成时间: "1995.06.28", 页数: 10, 接收时间: "1995.07.10"}\n', "")(raw)
    raw = sub("管档单位: 市财政局", "管档单位: 阳泉市财政局")(raw)
    (incoming / "王建国.yaml").write_bytes(raw)
    args = ["transfer", "in", incoming, "--notice", "阳组档转〔2026〕7号", "--via", "专人送取", "--unit", "市财政局"]
    code, _out, err = run(args, hooked, env)  # an error-laden dossier needs an explicit decision
    assert code == 1 and "须明确决定" in err and "王建国.yaml:" in err and "C504" in err, err
    assert not (hooked / LEDGER).exists() and not (hooked / "dossiers" / "C000002.yaml").exists()
    code, out, err = run([*args, "--accept"], hooked, env)
    assert code == 0, err
    new = hooked / "dossiers" / "C000002.yaml"
    data = load_bytes(new.read_bytes()).data
    assert data["编号"] == "C000002" and data["管档单位"] == "市财政局"
    assert "原编号 C000001 已用过，改为 C000002" in out
    assert "缺少的材料" in out and "C504" in out and "入党志愿书" in out
    entry = ledger(hooked)[-1]
    assert entry == {"通知单号": "阳组档转〔2026〕7号", "编号": "C000002", "姓名": "王建国", "方向": "转入",
                     "来自": "阳泉市财政局", "原编号": "C000001", "日期": "2026.11.25", "方式": "专人送取",
                     "回执日期": None, "经办人": "测试员",
                     "接收审核": {"结论": "接收", "不合格项": [], "检查错误": 1, "检查警告": 0, "问题代码": ["C504"]},
                     "新任评分": entry["新任评分"],
                     "文件哈希": content_hash(raw), "入库哈希": content_hash(new.read_bytes())}
    assert entry["新任评分"]["等次"] == "合格" and "送交天数" not in entry["新任评分"]  # no 任免日期, no recent 任免审批表
    assert_valid_ledger(hooked)
    # only the 编号 and 管档单位 lines differ from what arrived
    changed = [(a, b) for a, b in zip(raw.decode().splitlines(), new.read_text("utf-8").splitlines(), strict=True)
               if a != b]
    assert changed == [("编号: C000001", "编号: C000002"), ("管档单位: 阳泉市财政局", "管档单位: 市财政局")]
    # the same person twice: refused
    code, _out, err = run(["transfer", "in", incoming, "--notice", "阳组档转〔2026〕8号", "--via", "专人送取"],
                          hooked, env)
    assert code == 1 and "一人只能有一份档案" in err and "已有档案 dossiers/C00000" in err  # names the twin
    # what arrived commits as it arrived (its shortfall is the sender's); the missing material is filed after
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "转入 C000002")
    assert p.returncode == 0, p.stdout + p.stderr
    code, _out, err = run(["file", "C000002", "--class", "6", "--title", "入党志愿书", "--made", "1995.06.28",
                           "--pages", "10", "--received", "2026.11.25"], hooked, env)
    assert code == 0, err
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "补齐 C000002 的入党志愿书")
    assert p.returncode == 0, p.stdout + p.stderr
    assert_audit_clean(hooked, env, run)


def test_in_keeps_a_free_number(repo, env, run, tmp_path):
    raw = sub(VALID_ID, OTHER_ID)(sub("编号: C000001", "编号: C000777")(valid_bytes()))
    (tmp_path / "x.yaml").write_bytes(raw)
    code, out, err = run(["transfer", "in", tmp_path / "x.yaml", "--notice", "N1", "--via", "机要交通",
                          "--from", "阳泉市委组织部"], repo, env)
    assert code == 0, err
    assert (repo / "dossiers" / "C000777.yaml").read_bytes() == raw
    assert "完整，未发现问题" in out
    assert ledger(repo)[0]["来自"] == "阳泉市委组织部" and "原编号" not in ledger(repo)[0]


def test_in_lrmx_through_the_forms_importer(repo, env, run, tmp_path):
    sample = PROJECT / "tests" / "data" / "lrmx" / "makui1__rmb_helper" / "tests" / "zhangsan.lrmx"
    code, out, err = run(["transfer", "in", sample, "--notice", "N1", "--via", "机要交通", "--from", "阳泉市委组织部",
                          "--unit", "市财政局", "--accept"], repo, env)
    assert code == 0, err
    data = load_bytes((repo / "dossiers" / "C000002.yaml").read_bytes()).data
    assert data["编号"] == "C000002" and data["姓名"] == "张三" and data["管档单位"] == "市财政局"
    assert ledger(repo)[0]["编号"] == "C000002" and "原编号" not in ledger(repo)[0]
    assert "缺少的材料" in out and "C504" in out
    (tmp_path / "bad.lrmx").write_text("<Person>", "utf-8")
    code, _out, err = run(["transfer", "in", tmp_path / "bad.lrmx", "--notice", "N2", "--via", "机要交通",
                           "--from", "阳泉市委组织部"], repo, env)
    assert code == 1 and "bad.lrmx" in err and "Traceback" not in err
    assert len(ledger(repo)) == 1


@pytest.mark.parametrize("bad", [
    {"方向": "转出"},  # no 转往
    {"方向": "寄出"},
    {"方式": "邮寄"},
    {"回执日期": "2026.02.30"},
    {"多余": "x"},
])
def test_ledger_schema_refuses(tmp_path, bad):
    root = tmp_path / "r"
    shutil.copytree(PROJECT / "schema", root / "schema")
    entry = {"通知单号": "N1", "编号": "C000001", "姓名": "王建国", "方向": "转入", "来自": "阳泉市财政局",
             "日期": "2026.11.20", "方式": "机要交通", "回执日期": None, "经办人": "测试员"}
    entry.update(bad)
    raw = ("- " + json.dumps(entry, ensure_ascii=False) + "\n").encode()
    src = Source(root / LEDGER, raw, root_list=True)
    assert [f for f in findings(Repo(root), TRANSFER, src, LEDGER) if f.is_error]


def test_schema_files_are_valid_draft_2020_12():
    from jsonschema import Draft202012Validator

    schema = json.loads((PROJECT / "schema" / "ledger-transfer.schema.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["items"]["additionalProperties"] is False
    assert all("title" in p and "description" in p for p in schema["items"]["properties"].values())


# ---------------------------------------------------------------- 接收审核: 接收 or 退回 (issue 16)

def _missing_party_form(tmp_path) -> bytes:
    """Someone new, sent without the 入党志愿书 (C504), as 阳泉市财政局 sends it (otherwise complete for the rubric)."""
    raw = sub(VALID_ID, OTHER_ID)(sub("编号: C000001", "编号: C000777")(rubric_complete(valid_bytes())))
    raw = sub('  - {类号: "6", 序号: 1, 材料名称: 入党志愿书, 形成时间: "1995.06.28", 页数: 10, 接收时间: "1995.07.10"}\n', "")(raw)
    (tmp_path / "in.yaml").write_bytes(raw)
    return raw


IN_ARGS = ["--via", "机要交通", "--from", "阳泉市财政局"]


def test_a_returned_dossier_is_not_entered_and_its_rectification_comes_back(hooked, env, run, tmp_path):
    first_commit(hooked, env)
    raw = _missing_party_form(tmp_path)
    code, out, err = run(["transfer", "in", tmp_path / "in.yaml", "--notice", "阳组档转〔2026〕7号", *IN_ARGS,
                          "--return", "--reason", "缺少入党志愿书", "--flaw", "齐全完整:缺入党志愿书", "--date", "2026.11.10",
                          "--pages", "200"], hooked, env)
    assert code == 0, err
    assert not (hooked / "dossiers" / "C000777.yaml").exists()
    entry = ledger(hooked)[-1]
    assert entry["方向"] == "退回" and "编号" not in entry and entry["原编号"] == "C000777"
    assert entry["退回原因"] == "缺少入党志愿书" and entry["整改期限"] == "2026.11.20"  # 10 days: 期限.退回整改天数
    review = entry["接收审核"]
    assert review["结论"] == "退回" and review["不合格项"] == ["齐全完整"] and review["检查错误"] == 1
    assert review["实收页数"] == 200 and review["目录页数"] != 200
    assert any("实收页数 200" in p for p in review["问题"]) and "缺入党志愿书" in review["问题"][0]
    assert entry["文件哈希"] == content_hash(raw) and "入库哈希" not in entry
    assert_valid_ledger(hooked)
    assert "退回 王建国" in out and "建议提交说明：退回 王建国" in out
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "退回")
    assert p.returncode == 0, p.stdout + p.stderr
    # the 整改 is overdue as of today (2026.11.25): ledger check says so
    code, out, err = run(["ledger", "check"], hooked, env)
    assert code == 0 and "G126" in out and "2026.11.20" in out, out + err
    code, out, _err = run(["ledger", "check", "--as-of", "2026.11.19"], hooked, env)
    assert "G126" not in out
    from html import unescape

    from dangan.dates import parse_day
    from dangan.site.pages import loans

    page = unescape(loans.page(Repo(hooked), parse_day("2026.11.25")))
    assert "缺少入党志愿书" in page and "逾期 5 天" in page and "阳组档转〔2026〕7号" in page
    # the 整改 comes back as a new transfer in, with the missing form: accepted, linked to the return
    (tmp_path / "in.yaml").write_bytes(sub(VALID_ID, OTHER_ID)(sub("编号: C000001", "编号: C000777")(valid_bytes())))
    code, out, err = run(["transfer", "in", tmp_path / "in.yaml", "--notice", "阳组档转〔2026〕9号", *IN_ARGS], hooked, env)
    assert code == 0, err
    assert "整改后重新转入（原退回通知单 阳组档转〔2026〕7号）" in out
    entry = ledger(hooked)[-1]
    assert entry["方向"] == "转入" and entry["整改"] == "阳组档转〔2026〕7号" and entry["接收审核"]["结论"] == "接收"
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "整改后转入")
    assert p.returncode == 0, p.stdout + p.stderr
    code, out, err = run(["ledger", "check"], hooked, env)
    assert code == 0 and "G126" not in out, out + err
    page = unescape(loans.page(Repo(hooked), parse_day("2026.11.25")))
    assert "已重新转来（C000777，2026.11.25）" in page and "逾期 5 天" not in page
    assert_audit_clean(hooked, env, run)


def test_intake_decision_refusals(repo, env, run, tmp_path):
    _missing_party_form(tmp_path)
    base = ["transfer", "in", tmp_path / "in.yaml", "--notice", "N1", *IN_ARGS]
    code, _out, err = run([*base, "--return"], repo, env)
    assert code == 2 and "--reason" in err
    code, _out, err = run([*base, "--accept", "--reason", "x"], repo, env)
    assert code == 2 and "--return" in err
    code, _out, err = run([*base, "--accept", "--flaw", "好看"], repo, env)
    assert code == 2 and "核对项目只能是" in err
    code, _out, err = run([*base, "--accept", "--arrived", "2026.11.26"], repo, env)
    assert code == 1 and "晚于今天" in err
    assert not (repo / LEDGER).exists() and not (repo / "dossiers" / "C000777.yaml").exists()
    # a clean dossier with a flaw found on paper also needs the decision
    (tmp_path / "in.yaml").write_bytes(sub(VALID_ID, OTHER_ID)(sub("编号: C000001", "编号: C000777")(valid_bytes())))
    code, _out, err = run([*base, "--flaw", "文字清楚:6-1 有涂改液"], repo, env)
    assert code == 1 and "不合格项 文字清楚" in err
    code, _out, err = run([*base, "--flaw", "文字清楚:6-1 有涂改液", "--accept", "--dry-run"], repo, env)
    assert code == 0 and not (repo / LEDGER).exists()
    code, _out, err = run([*base, "--flaw", "文字清楚:6-1 有涂改液", "--accept"], repo, env)
    assert code == 0, err
    assert ledger(repo)[0]["接收审核"]["问题"] == ["文字清楚：6-1 有涂改液"]


# ---------------------------------------------------------------- 《条例》第二十五条: 2 + 2 months (issue 16)

def test_the_two_month_clocks(repo, env, run, tmp_path):
    (tmp_path / "in.yaml").write_bytes(sub(VALID_ID, OTHER_ID)(sub("编号: C000001", "编号: C000777")(valid_bytes())))
    code, _out, err = run(["transfer", "in", tmp_path / "in.yaml", "--notice", "N1", *IN_ARGS, "--appointed",
                           "2026.06.10", "--arrived", "2026.08.30", "--date", "2026.11.20"], repo, env)
    assert code == 0, err
    entry = ledger(repo)[-1]
    assert (entry["任免日期"], entry["到达日期"], entry["日期"]) == ("2026.06.10", "2026.08.30", "2026.11.20")
    code, out, err = run(["ledger", "check"], repo, env)
    assert code == 0, err
    g124 = [line for line in out.splitlines() if "G124" in line]
    g125 = [line for line in out.splitlines() if "G125" in line]
    assert len(g124) == 1 and "2026.08.10 前" in g124[0] and "阳泉市财政局" in g124[0]  # sent late by the sender
    assert len(g125) == 1 and "2026.10.30 前" in g125[0]  # audited late here
    assert run(["transfer", "in", tmp_path / "in.yaml", "--notice", "N2", *IN_ARGS, "--arrived", "2026.11.21",
                "--date", "2026.11.20"], repo, env)[0] == 2  # arrived after it was audited
    # within the clocks: nothing
    (repo / LEDGER).unlink()
    (repo / "dossiers" / "C000777.yaml").unlink()
    code, _out, err = run(["transfer", "in", tmp_path / "in.yaml", "--notice", "N1", *IN_ARGS, "--appointed",
                           "2026.10.01", "--arrived", "2026.11.02", "--date", "2026.11.20"], repo, env)
    assert code == 0, err
    code, out, _err = run(["ledger", "check"], repo, env)
    assert code == 0 and "G124" not in out and "G125" not in out
    # transfer out: 2 months from the 任免 (a warning at once, G124 in the register)
    code, out, err = run([*OUT, "--appointed", "2026.08.01", "--date", "2026.11.20"], repo, env)
    assert code == 0 and "G124" in err, err
    code, out, _err = run(["ledger", "check"], repo, env)
    assert "G124" in out and "本单位逾期" in out


def test_a_lent_dossier_cannot_be_sent(repo, env, run):
    (repo / "ledgers").mkdir()
    (repo / "ledgers" / "借阅.yaml").write_text(
        '- 登记号: "2026-J01"\n  编号: C000001\n  姓名: 王建国\n'
        '  人员: [{姓名: 张立, 单位: 市纪委监委, 是否党员: true}, {姓名: 刘洋, 单位: 市纪委监委, 是否党员: true}]\n'
        '  目的: 巡视巡察、选人用人检查、组织处理、纪律处分、案件查办\n  审批: {审批人: 李明, 审批日期: "2026.11.01"}\n'
        '  借出日期: "2026.11.02"\n  应还日期: "2026.11.16"\n  归还日期: null\n  摘抄复制: false\n  经办人: 张档案\n', "utf-8")
    code, _out, err = run(OUT, repo, env)
    assert code == 1 and "借出未还" in err and "2026-J01" in err
    assert (repo / "dossiers" / "C000001.yaml").exists() and not (repo / LEDGER).exists()
    # a register written by hand past the verb: ledger check says it (G127)
    (repo / "dossiers" / "C000001.yaml").unlink()
    (repo / LEDGER).write_text(
        '- 通知单号: N1\n  编号: C000001\n  姓名: 王建国\n  方向: 转出\n  转往: 省财政厅\n  日期: "2026.11.10"\n'
        '  方式: 机要交通\n  回执日期: null\n  经办人: 张档案\n', "utf-8")
    code, out, _err = run(["ledger", "check"], repo, env)
    assert code == 1 and "G127" in out


def test_the_intake_score_is_frozen_in_the_register(repo, env, run, tmp_path):
    """新任干部档案评分 at intake: stored in the 转入 record (schema-checked) and shown by score, never recomputed."""
    _missing_party_form(tmp_path)
    code, out, err = run(["transfer", "in", tmp_path / "in.yaml", "--notice", "阳组档转〔2026〕8号", *IN_ARGS,
                          "--accept", "--appointed", "2026.08.01", "--arrived", "2026.11.02", "--date", "2026.11.10",
                          "--by", "李明"], repo, env)
    assert code == 0, err
    assert "新任干部档案评分（报送单位 阳泉市财政局）" in out
    frozen = ledger(repo)[-1]["新任评分"]
    assert_valid_ledger(repo)
    assert frozen["评分人"] == "李明" and frozen["送交天数"] == 93  # 任命 2026.08.01 → 报送 2026.11.02
    assert frozen["扣分"] == [{"项目": "送交时间", "扣分": 3, "理由": "任命后 93 天才报送（超过 2 个月）"},
                             {"项目": "入党（加入民主党派）材料", "扣分": 8, "理由": "缺少入党志愿书"}]
    assert frozen["得分"] == 100 - sum(d["扣分"] for d in frozen["扣分"]) == 89 and frozen["等次"] == "不合格"
    # the file is put right afterwards: score still shows what arrived; --now recomputes today's file
    code, out, _ = run(["score", "C000777", "--format", "json"], repo, env)
    doc = json.loads(out)
    assert code == 1 and doc["得分"] == 89 and doc["转入评定"]["来自"] == "阳泉市财政局"
    code, out, _ = run(["score", "C000777"], repo, env)
    assert "转入时评定（通知单 阳组档转〔2026〕8号，2026.11.10，评分人 李明）" in out
    code, out, _ = run(["score", "C000777", "--now", "--format", "json"], repo, env)
    assert "转入评定" not in json.loads(out)
    # grade reads the frozen score too (the unit's average of recent intake)
    code, out, _ = run(["grade", "--format", "json"], repo, env)
    unit = load_bytes((repo / "dossiers" / "C000777.yaml").read_bytes()).data["管档单位"]
    assert [u["新任平均分"] for u in json.loads(out)["单位"] if u["管档单位"] == unit] == [89]


def test_the_year_end_bulletin_per_sending_unit(repo, env, run, tmp_path):
    """dangan score --report: per 报送单位 from the intake records, counted by hand below."""
    raw = sub(VALID_ID, OTHER_ID)(sub("编号: C000001", "编号: C000777")(rubric_complete(valid_bytes())))
    (tmp_path / "ok.yaml").write_bytes(raw)
    _missing_party_form(tmp_path)
    day = ["--date", "2026.11.10", "--by", "李明"]
    steps = [
        [tmp_path / "ok.yaml", "--notice", "A1", "--via", "机要交通", "--from", "甲县委组织部", *day],  # 优秀
        [tmp_path / "in.yaml", "--notice", "A2", "--via", "机要交通", "--from", "甲县委组织部", "--return",
         "--reason", "出生年月认定不准确，请重新认定", "--flaw", "内容真实:出生年月认定依据不足", *day],  # 退回重新认定
        [tmp_path / "in.yaml", "--notice", "B1", "--via", "机要交通", "--from", "乙县委组织部", "--accept",
         "--flaw", "内容真实:参加工作时间认定有误，由市委组织部改正", *day],  # graded from the frozen score
    ]
    for args in steps:
        code, _out, err = run(["transfer", "in", *args], repo, env)
        assert code == 0, err
        if "ok.yaml" in str(args[0]):
            (repo / "dossiers" / "C000777.yaml").unlink()  # not the same person twice in the repository
    code, out, err = run(["score", "--report", "2026", "--format", "json"], repo, env)
    assert code == 0, err
    got = {u["报送单位"]: u for u in json.loads(out)}
    a, b = got["甲县委组织部"], got["乙县委组织部"]
    assert (a["报送（份）"], a["优秀"], a["合格"], a["不合格"], a["退回"], a["退回重新认定"]) == (2, 1, 0, 0, 1, 1)
    assert a["退回原因"] == ["王建国：出生年月认定不准确，请重新认定"]
    grade = ledger(repo)[-1]["新任评分"]["等次"]
    assert (b["报送（份）"], b[grade], b["退回"], b["组织部改正认定"], b["单项否决"]) == (1, 1, 0, 1, 0)
    code, out, _ = run(["score", "--report", "2026"], repo, env)
    assert code == 0 and "甲县委组织部 退回 1 份" in out and "合计" in out
    assert run(["score", "--report", "2026", "--format", "xlsx"], repo, env)[0] == 2  # xlsx needs -o
    code, _out, _ = run(["score", "--report", "2026", "--format", "xlsx", "-o", tmp_path / "r.xlsx"], repo, env)
    assert code == 0 and (tmp_path / "r.xlsx").stat().st_size > 0
    assert "<table>" in run(["score", "--report", "2026", "--format", "html"], repo, env)[1]
    assert "没有转入或退回的登记" in run(["score", "--report", "2025"], repo, env)[1]
    # the site's 年度通报 page shows the same, from the same records
    import datetime as dt

    from dangan.site.pages.management import intake_entries, intake_page

    page = intake_page({}, dt.date(2026, 11, 25), intake_entries(Repo(repo)))
    assert "dangan-bulletin" in page and "甲县委组织部 退回 1 份" in page and "乙县委组织部" in page


def test_in_lrmx_keeps_its_photo_with_the_dossier(repo, env, run, tmp_path):
    """The form's photo enters with the dossier (pixels only), named by the 编号 the dossier gets here."""
    import base64
    import re

    from conftest import real_jpeg

    sample = PROJECT / "tests" / "data" / "lrmx" / "makui1__rmb_helper" / "tests" / "zhangsan.lrmx"
    text = sample.read_text("utf-8")
    with_photo = re.sub(r"<ZhaoPian>.*?</ZhaoPian>|<ZhaoPian\s*/>", "", text, flags=re.S).replace(
        "</Person>", f"<ZhaoPian>{base64.b64encode(real_jpeg()).decode()}</ZhaoPian></Person>")
    (tmp_path / "z.lrmx").write_text(with_photo, "utf-8")
    code, out, err = run(["transfer", "in", tmp_path / "z.lrmx", "--notice", "N1", "--via", "机要交通",
                          "--from", "阳泉市委组织部", "--unit", "市财政局", "--accept"], repo, env)
    assert code == 0, err
    data = load_bytes((repo / "dossiers" / "C000002.yaml").read_bytes()).data
    assert data["照片"] == "photos/C000002.jpg"
    assert (repo / "photos" / "C000002.jpg").read_bytes()[:2] == b"\xff\xd8"
    assert "新增 photos/C000002.jpg" in out
    code, out, _err = run(["check"], repo, env)
    assert "X003" not in out  # the photo belongs to a dossier


def test_in_lrmx_with_a_broken_photo_enters_without_it_and_says_so(repo, env, run, tmp_path):
    sample = PROJECT / "tests" / "data" / "lrmx" / "makui1__rmb_helper" / "tests" / "zhangsan.lrmx"
    import re

    text = re.sub(r"<ZhaoPian>.*?</ZhaoPian>|<ZhaoPian\s*/>", "", sample.read_text("utf-8"), flags=re.S)
    (tmp_path / "z.lrmx").write_text(text.replace("</Person>", "<ZhaoPian>bm90IGFuIGltYWdl</ZhaoPian></Person>"),
                                     "utf-8")
    code, out, err = run(["transfer", "in", tmp_path / "z.lrmx", "--notice", "N1", "--via", "机要交通",
                          "--from", "阳泉市委组织部", "--unit", "市财政局", "--accept"], repo, env)
    assert code == 0, err
    assert "照片" in out + err and "Traceback" not in out + err
    assert not (repo / "photos").exists()
    assert "照片" not in load_bytes((repo / "dossiers" / "C000002.yaml").read_bytes()).data
