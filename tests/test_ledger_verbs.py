"""`dangan ledger add 查阅|借阅` and `dangan ledger return` through the real CLI, and recusal that holds (issue 16).

The dossier is tests/data/valid.yaml: C000001 王建国, wife 李秀英, son 王浩.
"""

from __future__ import annotations

from conftest import git, valid_bytes
from dangan.load import load_bytes
from test_precommit import commit, first_commit
from test_verbs_file import assert_audit_clean

PEOPLE = ["--person", "张立,市委组织部干部一科", "--person", "刘洋,市委组织部干部一科"]
PURPOSE = ["--purpose", "2"]


def entries(repo, kind: str) -> list[dict]:
    path = repo / "ledgers" / f"{kind}.yaml"
    return load_bytes(path.read_bytes(), str(path), root_list=True).data


def test_consult_and_borrow_then_return_committed(hooked, env, run):
    first_commit(hooked, env)
    code, out, err = run(["ledger", "add", "查阅", "C000001", *PEOPLE, *PURPOSE, "--approver", "李明",
                          "--approved", "2026.11.08", "--date", "2026.11.09", "--material", "1-1", "--by", "张档案",
                          "--commit"], hooked, env)
    assert code == 0, out + err
    assert entries(hooked, "查阅") == [{
        "登记号": "2026-001", "编号": "C000001", "姓名": "王建国",
        "人员": [{"姓名": "张立", "单位": "市委组织部干部一科", "是否党员": True},
               {"姓名": "刘洋", "单位": "市委组织部干部一科", "是否党员": True}],
        "目的": "干部录用、聘用、考核、考察、任免、调配、职级晋升等", "审批": {"审批人": "李明", "审批日期": "2026.11.08"},
        "查阅日期": "2026.11.09", "材料": ["1-1"], "摘抄复制": False, "经办人": "张档案"}]
    assert "已提交" in out
    code, out, err = run(["ledger", "add", "借阅", "C000001", "--person", "王志强,市纪委监委",
                          "--person", "赵立新,市纪委监委,非党员", "--purpose", "巡视巡察", "--approver", "李明",
                          "--date", "2026.11.02", "--by", "张档案"], hooked, env)
    assert code == 0, out + err
    loan = entries(hooked, "借阅")[0]
    assert loan["登记号"] == "2026-J001" and loan["应还日期"] == "2026.11.16" and loan["归还日期"] is None  # 14 days
    assert loan["人员"][1]["是否党员"] is False and "G105" in err  # a warning, shown, not refused
    assert "dangan ledger return 2026-J001" in out
    git(["add", "-A"], hooked, env)
    assert commit(hooked, env, "借阅").returncode == 0
    # lent and not back: it cannot be transferred out, and ledger check says it is overdue
    code, _out, err = run(["transfer", "out", "C000001", "--to", "省财政厅", "--notice", "N1", "--via", "机要交通"],
                          hooked, env)
    assert code == 1 and "借出未还" in err
    code, out, _err = run(["ledger", "check"], hooked, env)
    assert code == 0 and "G108" in out
    code, out, err = run(["ledger", "return", "2026-J001", "--date", "2026.11.20"], hooked, env)
    assert code == 0 and "G109" in err, out + err  # returned late
    assert entries(hooked, "借阅")[0]["归还日期"] == "2026.11.20"
    diff = git(["diff", "-U0", "--", "ledgers/借阅.yaml"], hooked, env).stdout
    assert "-  归还日期: null" in diff and '+  归还日期: "2026.11.20"' in diff
    code, _out, err = run(["ledger", "return", "2026-J001"], hooked, env)
    assert code == 1 and "已于 2026.11.20 归还" in err
    code, _out, err = run(["ledger", "return", "2026-J999"], hooked, env)
    assert code == 2 and "没有登记号" in err
    git(["add", "-A"], hooked, env)
    assert commit(hooked, env, "归还").returncode == 0
    code, _out, err = run(["transfer", "out", "C000001", "--to", "省财政厅", "--notice", "N1", "--via", "机要交通"],
                          hooked, env)
    assert code == 0, err
    assert_audit_clean(hooked, env, run)


def _refused(run, repo, env, args, code_wanted: str):
    before = sorted(p.name for p in (repo / "ledgers").glob("*")) if (repo / "ledgers").exists() else []
    code, out, err = run(["ledger", "add", "查阅", "C000001", *args], repo, env)
    assert code == 1 and code_wanted in err and "未作任何改动" in err, out + err
    assert "Traceback" not in err and "ledgers/查阅.yaml:" in err  # file:line:column of the entry it would write
    after = sorted(p.name for p in (repo / "ledgers").glob("*")) if (repo / "ledgers").exists() else []
    assert after == before


def test_recusal_holds_for_requester_approver_and_handler(repo, env, run):
    base = [*PURPOSE, "--date", "2026.11.09"]
    _refused(run, repo, env, ["--person", "王浩,市发改委", "--person", "刘洋,市委组织部", *base, "--approver", "李明",
                              "--by", "张档案"], "G102")  # the son asks
    _refused(run, repo, env, [*PEOPLE, *base, "--approver", "李秀英", "--by", "张档案"], "G128")  # the wife approves
    _refused(run, repo, env, [*PEOPLE, *base, "--approver", "李明", "--by", "王建国（市财政局人事科）"], "G128")  # himself
    _refused(run, repo, env, [*PEOPLE, *base, "--approver", "张立", "--by", "张档案"], "G129")  # requester = approver
    _refused(run, repo, env, [*PEOPLE, *base, "--approver", "李明", "--approved", "2026.11.10", "--by", "张档案"],
             "G104")  # approved after the access
    code, _out, err = run(["ledger", "add", "查阅", "C000001", "--person", "张立,市委组织部", *base, "--approver", "李明"],
                          repo, env)
    assert code == 2 and "两人以上" in err
    code, _out, err = run(["ledger", "add", "查阅", "C000001", *PEOPLE, "--purpose", "9", "--approver", "李明"], repo, env)
    assert code == 2 and "第三十一条" in err
    code, _out, err = run(["ledger", "add", "借阅", "C000001", *PEOPLE, *PURPOSE, "--approver", "李明",
                           "--date", "2026.11.01", "--due", "2026.11.30"], repo, env)
    assert code == 1 and "G107" in err  # past the policy's 14 days


def test_a_former_family_member_stays_recused(repo, env, run):
    """Someone once listed in 家庭成员 (a divorced spouse) is still a relative: the dossier's history counts."""
    git(["add", "-A"], repo, env)
    git(["commit", "-qm", "建档"], repo, env)
    path = repo / "dossiers" / "C000001.yaml"
    text = valid_bytes().decode("utf-8")
    start = text.index("  - 称谓: 妻子\n")
    end = text.index("  - 称谓: 儿子\n")
    path.write_text(text[:start] + text[end:], "utf-8")
    git(["commit", "-qam", "家庭成员变动"], repo, env)
    code, out, err = run(["ledger", "add", "查阅", "C000001", "--person", "李秀英,长治市第二中学",
                          "--person", "刘洋,市委组织部", *PURPOSE, "--approver", "李明", "--by", "张档案",
                          "--date", "2026.11.09"], repo, env)
    assert code == 1 and "G102" in err and "曾登记在家庭成员中" in err, out + err


def test_a_letter_of_introduction_is_not_enough(repo, env, run):
    base = [*PEOPLE, "--date", "2026.11.09", "--approver", "李明", "--by", "张档案"]
    _refused(run, repo, env, [*base, *PURPOSE, "--letter", "介绍信"], "G140")
    code, out, err = run(["ledger", "add", "查阅", "C000001", *base, "--purpose", "8", "--matter", "继承公证取证",
                          "--material", "1-1", "--letter", "审批表", "--letter", "介绍信"], repo, env)
    assert code == 0 and "G141" in err, out + err  # 公证诉讼 without the notary's or court's letter: a warning
    assert entries(repo, "查阅")[0]["凭据"] == ["审批表", "介绍信"]
    code, out, err = run(["ledger", "add", "查阅", "C000001", *base, *PURPOSE, "--letter", "审批表", "--letter", "公函"],
                         repo, env)
    assert code == 0 and "G140" not in err and "G141" not in err, out + err
