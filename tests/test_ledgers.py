"""Ledgers (查阅/借阅/转递): every rule with a passing and a failing entry, through the real CLI.

Dates are judged against DANGAN_TODAY / --as-of only; the dossier is tests/data/valid.yaml
(C000001 王建国, wife 李秀英, son 王浩).
"""

from __future__ import annotations

import json

import pytest

from conftest import TODAY
from dangan import ledgers
from dangan.dates import parse_day
from dangan.repo import Repo

PEOPLE = '[{姓名: 张立, 单位: 市委组织部, 是否党员: true}, {姓名: 刘洋, 单位: 市委组织部, 是否党员: true}]'


def consult(**over) -> str:
    e = {"登记号": '"2026-001"', "编号": "C000001", "姓名": "王建国", "人员": PEOPLE,
         "目的": "干部录用、聘用、考核、考察、任免、调配、职级晋升等",
         "审批": '{审批人: 李明, 审批日期: "2026.11.08"}', "查阅日期": '"2026.11.09"', "材料": '["1-1", "4-1-2"]',
         "摘抄复制": "false", "经办人": "张档案"}
    e.update(over)
    return "".join(("- " if i == 0 else "  ") + f"{k}: {v}\n" for i, (k, v) in enumerate(e.items()) if v is not None)


def borrow(**over) -> str:
    base = {"查阅日期": None, "借出日期": '"2026.11.02"', "应还日期": '"2026.11.16"', "归还日期": "null",
            "审批": '{审批人: 李明, 审批日期: "2026.11.01"}'}
    base.update(over)
    return consult(**base)


def write(repo, kind: str, text: str) -> None:
    (repo / "ledgers").mkdir(exist_ok=True)
    (repo / "ledgers" / f"{kind}.yaml").write_text(text, "utf-8")


def codes(run, repo, env, *args) -> tuple[int, list[str]]:
    rc, out, err = run(["ledger", "check", "--format", "json", *args], repo, env)
    assert rc in (0, 1), err
    return rc, [f["code"] for f in json.loads(out)]


def test_valid_ledgers_pass(run, repo, env):
    write(repo, "查阅", consult())
    write(repo, "借阅", borrow(归还日期='"2026.11.15"'))
    rc, out, err = run(["ledger", "check"], repo, env)
    assert (rc, out) == (0, ""), err
    assert "检查了 2 本登记簿" in err


def test_no_ledgers_is_fine(run, repo, env):
    assert run(["ledger", "check", "-q"], repo, env)[:2] == (0, "")


@pytest.mark.parametrize(("kind", "entry", "code"), [
    ("查阅", consult(人员='[{姓名: 王建国, 单位: 市财政局, 是否党员: true}, {姓名: 刘洋, 单位: 市委组织部, 是否党员: true}]'), "G101"),
    ("查阅", consult(人员='[{姓名: 张立, 单位: 市财政局, 是否党员: true, 编号: C000001}, {姓名: 刘洋, 单位: 市委, 是否党员: true}]'),
     "G101"),
    ("查阅", consult(人员='[{姓名: 李秀英, 单位: 市财政局, 是否党员: true}, {姓名: 刘洋, 单位: 市委组织部, 是否党员: true}]'), "G102"),
    ("借阅", borrow(人员='[{姓名: 张立, 单位: 市委, 是否党员: true}, {姓名: 王浩, 单位: 市委组织部, 是否党员: true}]'), "G102"),
    ("查阅", consult(人员='[{姓名: 张立, 单位: 市委组织部, 是否党员: true}]'), "S006"),
    ("查阅", consult(人员='[{姓名: 张立, 单位: 市委, 是否党员: true}, {姓名: 张立, 单位: 市委, 是否党员: true}]'), "G115"),
    ("查阅", consult(人员='[{姓名: 张立, 单位: 市委, 是否党员: false}, {姓名: 刘洋, 单位: 市委, 是否党员: true}]'), "G105"),
    ("查阅", consult(审批='{审批人: 李明, 审批日期: "2026.11.10"}'), "G104"),
    ("查阅", consult(查阅日期='"2026.12.01"', 审批='{审批人: 李明, 审批日期: "2026.11.30"}'), "G111"),
    ("查阅", consult(编号="C000099"), "G103"),
    ("查阅", consult(姓名="王建军"), "G106"),
    ("查阅", consult(材料='["9-2-99"]'), "G114"),
    ("查阅", consult(目的="随便看看"), "S005"),
    ("查阅", consult(目的="本人或亲属公证诉讼"), "S001"),  # 事由 is required for this purpose
    ("查阅", consult(目的="本人或亲属公证诉讼", 事由="房产继承公证", 材料=None), "G116"),
    ("查阅", consult() + consult(), "G113"),
    ("借阅", borrow(应还日期='"2026.11.30"'), "G107"),
    ("借阅", borrow(应还日期='"2026.11.01"'), "G107"),
    ("借阅", borrow(归还日期='"2026.11.01"'), "G110"),
    ("借阅", borrow(归还日期='"2026.11.20"'), "G109"),
    ("借阅", borrow(), "G108"),  # due 2026.11.16, not back on 2026.11.25
])
def test_each_rule_fails(run, repo, env, kind, entry, code):
    write(repo, kind, entry)
    _rc, found = codes(run, repo, env)
    assert code in found


def test_recusal_through_family_member_number(run, repo, env):
    """A relative who is a cadre is recognised by the 编号 on the family row, whatever name they give."""
    path = repo / "dossiers" / "C000001.yaml"
    text = path.read_text("utf-8")
    assert "    姓名: 李秀英\n" in text
    path.write_text(text.replace("    姓名: 李秀英\n", "    姓名: 李秀英\n    编号: C000777\n", 1), "utf-8")
    write(repo, "查阅", consult(人员='[{姓名: 李淑英, 单位: 市财政局, 是否党员: true, 编号: C000777}, '
                                  '{姓名: 刘洋, 单位: 市委组织部, 是否党员: true}]'))
    rc, found = codes(run, repo, env)
    assert rc == 1 and found == ["G102"]
    rc, out, _ = run(["ledger", "check"], repo, env)
    assert "ledgers/查阅.yaml:4:" in out and "妻子" in out and "李秀英" not in out


def test_overdue_depends_on_injected_date_only(run, repo, env):
    write(repo, "借阅", borrow())
    assert codes(run, repo, env, "--as-of", "2026.11.16") == (0, [])
    assert codes(run, repo, env, "--as-of", "2026.11.17") == (0, ["G108"])
    env["DANGAN_TODAY"] = "2026.11.10"
    assert codes(run, repo, env) == (0, [])


def test_borrow_period_comes_from_policy(run, repo, env):
    write(repo, "借阅", borrow(应还日期='"2026.11.09"', 归还日期='"2026.11.08"'))
    assert codes(run, repo, env) == (0, [])
    policy = repo / "schema" / "policy.yaml"
    policy.write_text(policy.read_text("utf-8").replace("借阅天数: 14", "借阅天数: 3"), "utf-8")
    assert codes(run, repo, env) == (1, ["G107"])


TRANSFER = """- 通知单号: 长组档转〔2026〕15号
  编号: C000009
  姓名: 赵六
  方向: 转出
  转往: 省财政厅
  日期: "2026.09.01"
  方式: 机要交通
  回执日期: {receipt}
  经办人: 张档案
"""


def test_transfer_receipt_overdue(run, repo, env):
    write(repo, "转递", TRANSFER.format(receipt="null"))
    assert codes(run, repo, env) == (0, ["G112"])
    assert codes(run, repo, env, "--as-of", "2026.09.30") == (0, [])
    write(repo, "转递", TRANSFER.format(receipt='"2026.09.20"'))
    assert codes(run, repo, env) == (0, [])


def test_helpers_for_review(repo):
    """The functions `dangan review` reads: open/overdue loans and missing receipts, as of a given day."""
    write(repo, "借阅", borrow() + borrow(登记号='"2026-002"', 借出日期='"2026.11.20"', 应还日期='"2026.11.30"',
                                      审批='{审批人: 李明, 审批日期: "2026.11.19"}'))
    write(repo, "转递", TRANSFER.format(receipt="null"))
    r, today = Repo(repo), parse_day(TODAY)
    assert [ln.entry["登记号"] for ln in ledgers.open_loans(r, today)] == ["2026-001", "2026-002"]
    assert [(ln.entry["登记号"], ln.overdue_days) for ln in ledgers.overdue_loans(r, today)] == [("2026-001", 9)]
    assert ledgers.open_loans(r, parse_day("2026.11.01")) == []  # neither lent out yet
    assert [ln.entry["登记号"] for ln in ledgers.open_loans(r, parse_day("2026.11.10"))] == ["2026-001"]
    assert [m.entry["通知单号"] for m in ledgers.missing_receipts(r, today)] == ["长组档转〔2026〕15号"]
    assert ledgers.missing_receipts(r, parse_day("2026.09.30")) == []
    assert len(ledgers.pending_receipts(r, parse_day("2026.09.30"))) == 1


def test_unreadable_ledger_is_an_error(run, repo, env):
    write(repo, "查阅", "编号: C000001\n")
    rc, found = codes(run, repo, env)
    assert rc == 1 and found == ["L013"]


def test_precommit_hook_refuses_a_bad_ledger(hooked, env):
    from conftest import git

    git(["add", "-A"], hooked, env)
    assert git(["commit", "-q", "-m", "初始"], hooked, env, check=False).returncode == 0
    write(hooked, "查阅", consult(人员='[{姓名: 王浩, 单位: 市财政局, 是否党员: true}, {姓名: 刘洋, 单位: 市委, 是否党员: true}]'))
    git(["add", "ledgers"], hooked, env)
    p = git(["commit", "-q", "-m", "查阅登记"], hooked, env, check=False)
    assert p.returncode != 0 and "G102" in p.stdout + p.stderr
    write(hooked, "查阅", consult())
    git(["add", "ledgers"], hooked, env)
    p = git(["commit", "-q", "-m", "查阅登记"], hooked, env, check=False)
    assert p.returncode == 0, p.stdout + p.stderr


def test_site_page_lists_open_loans_and_missing_receipts(repo):
    from dangan.site.pages import loans

    write(repo, "借阅", borrow() + borrow(登记号='"2026-002"', 借出日期='"2026.11.20"', 应还日期='"2026.11.30"',
                                      审批='{审批人: 李明, 审批日期: "2026.11.19"}'))
    write(repo, "转递", TRANSFER.format(receipt="null"))
    from html import unescape

    html = unescape(loans.page(Repo(repo), parse_day(TODAY)))
    assert "借出未还 2 份（其中逾期 1 份），待收回执 1 份（其中逾期 1 份）" in html
    assert "逾期 9 天" in html and "2026-002" in html and "长组档转〔2026〕15号" in html
    assert html.index("2026-001") < html.index("2026-002")  # overdue first
    assert "李秀英" not in html and "王浩" not in html  # never a family member
    empty = loans.page(Repo(repo), parse_day("2026.08.01"))
    assert "没有借出未还的档案" in empty and "没有待收回执的转出档案" in empty and "没有接收审核退回的档案" in empty


def test_garbage_entries_are_reported_not_crashed(run, repo, env):
    write(repo, "查阅", "- 登记号: [1, 2]\n  编号: 5\n  人员: 张三\n  材料: 7\n  审批: 3\n- 7\n")
    rc, found = codes(run, repo, env)
    assert rc == 1 and set(found) <= {"S001", "S003"} and found
