"""`dangan ledger add 查阅|借阅 …` and `dangan ledger return 登记号`: the 查阅/借阅 registers written by a verb.

The entry is built from the options, appended with the same text-splicing edit as the 转递 register, and
judged by the very rules of `dangan ledger check` before anything is written: an entry that would bring an
error (recusal of the requester, the approver or the 经办人; requester = approver; approval after access; a
borrowing period past the policy) is refused with its line and column, nothing written.
"""

from __future__ import annotations

import datetime as dt
import re

from .. import ledgers
from ..dates import day_text, parse_day
from ..dates import today as default_today
from ..repo import Repo
from ..yamledit import Change, EditError, Source, replace_value, verify
from ..yamltext import Layout, scalar
from .edit import Outcome, past_day

PURPOSES = (  # 《干部人事档案工作条例》第三十一条, as schema/ledger-consult.schema.json lists them
    "政治审查、发展党员、党员教育、党员管理",
    "干部录用、聘用、考核、考察、任免、调配、职级晋升等",
    "人才引进、培养、评选、推送",
    "巡视巡察、选人用人检查、组织处理、纪律处分、案件查办",
    "编史修志、大事记、人物传记、展览、纪念活动",
    "干部日常管理中熟悉了解干部",
    "其他因工作需要利用",
    "本人或亲属公证诉讼",
)
KIND_OF = {"查阅": ledgers.CONSULT, "借阅": ledgers.BORROW}
_SPLIT = re.compile(r"[,，]")


def _person(spec: str) -> dict:
    """--person 姓名,单位[,非党员][,编号] → one entry of 人员."""
    parts = [p.strip() for p in _SPLIT.split(spec)]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise EditError(f"--person “{spec}”：写作 姓名,单位（不是中共党员的加 ,非党员；本人档案在本单位的加 ,编号）", 2)
    person: dict = {"姓名": parts[0], "单位": parts[1], "是否党员": True}
    for extra in parts[2:]:
        if extra in ("非党员", "群众"):
            person["是否党员"] = False
        elif extra in ("党员", "中共党员"):
            person["是否党员"] = True
        elif re.fullmatch(r"[A-Z][A-Z0-9]{3,15}", extra):
            person["编号"] = extra
        else:
            raise EditError(f"--person “{spec}”：“{extra}”看不懂：只能加 非党员 或 本人的档案编号", 2)
    return person


def _purpose(value: str) -> str:
    if value.isdigit() and 1 <= int(value) <= len(PURPOSES):
        return PURPOSES[int(value) - 1]
    matches = [p for p in PURPOSES if p == value] or [p for p in PURPOSES if value and value in p]
    if len(matches) != 1:
        shown = "；".join(f"{i}. {p}" for i, p in enumerate(PURPOSES, 1))
        raise EditError(f"--purpose “{value}”：目的须是《干部人事档案工作条例》第三十一条的利用事项之一（写序号或原文）：{shown}", 2)
    return matches[0]


def _next_id(entries: list[dict], year: int, kind_name: str) -> str:
    prefix = f"{year}-" if kind_name == "查阅" else f"{year}-J"
    taken = {e.get("登记号") for e in entries}
    n = 1 + sum(1 for e in entries if str(e.get("登记号", "")).startswith(prefix))
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


def _day(value: object) -> dt.date:
    """A date already checked (past_day, the schema): YYYY.MM.DD."""
    day = parse_day(value)
    if day is None:
        raise EditError(f"“{value}”不是有效日期，应写作 YYYY.MM.DD", 2)
    return day


def _rows(data: object) -> list[dict]:
    return [e for e in data if isinstance(e, dict)] if isinstance(data, list) else []


def _handler(repo: Repo, by: str | None) -> str:
    if by:
        return by
    name = repo.git_user()
    if not name:
        raise EditError("请用 --by 写明经办人", 2)
    return name


def refuse_new_errors(repo: Repo, kind, change: Change, before: bytes | None, as_of: dt.date, what: str) -> list[str]:
    """The errors the change brings (refused) and its new warnings (returned as lines to show)."""
    old = set()
    if before is not None:
        old = {(f.code, f.message) for f in ledgers.text_findings(repo, kind, before, as_of)}
    assert change.after is not None
    new = [f for f in ledgers.text_findings(repo, kind, change.after, as_of) if (f.code, f.message) not in old]
    errors = [f for f in new if f.is_error]
    if errors:
        raise EditError(f"{what}不合规定，未作任何改动：\n" + "\n".join(f.text() for f in errors))
    return [f.text() for f in new]


def add_entry(repo: Repo, kind_name: str, number: str, people: list[str], purpose: str, approver: str,
              approved: str | None = None, date: str | None = None, due: str | None = None, matter: str | None = None,
              materials: list[str] | None = None, copied: bool = False, by: str | None = None, ident: str | None = None,
              note: str | None = None, as_of=None, letters: list[str] | None = None) -> Outcome:
    """One 查阅 or 借阅 entry, checked by the ledger rules before it is written."""
    kind = KIND_OF.get(kind_name)
    if kind is None:
        raise EditError(f"登记簿只能是 查阅 或 借阅，不是“{kind_name}”", 2)
    today = as_of or default_today()
    access = "查阅日期" if kind is ledgers.CONSULT else "借出日期"
    date = past_day(date, today, access)
    approved = past_day(approved or date, today, "审批日期")
    if len(people) < 2:
        raise EditError("查阅、借阅须两人以上：用 --person 写两次以上", 2)
    path = repo.dossier(number)
    dossier = repo.read(path)
    src = ledgers.read(repo, kind)
    entries = _rows(src.data) if src else []
    ident = ident or _next_id(entries, _day(date).year, kind_name)
    name = dossier.data.get("姓名")
    entry: dict = {"登记号": ident, "编号": dossier.number, "姓名": name,
                   "人员": [_person(p) for p in people], "目的": _purpose(purpose)}
    if matter:
        entry["事由"] = matter
    if letters:
        entry["凭据"] = list(dict.fromkeys(letters))
    entry["审批"] = {"审批人": approver, "审批日期": approved}
    entry[access] = date
    if kind is ledgers.BORROW:
        days = ledgers.borrow_days(repo)
        if due is None:
            due = day_text(_day(date) + dt.timedelta(days=days))
        elif parse_day(due) is None:
            raise EditError(f"应还日期“{due}”不是有效日期，应写作 YYYY.MM.DD", 2)
        entry["应还日期"] = due
        entry["归还日期"] = None
    elif due is not None:
        raise EditError("--due 只用于借阅", 2)
    if materials:
        entry["材料"] = list(materials)
    entry["摘抄复制"] = copied
    entry["经办人"] = _handler(repo, by)
    if note:
        entry["备注"] = note
    layout = Layout.of(repo.schema_dir / kind.schema)
    change = ledgers.append(repo, kind, [entry], layout)
    warnings = refuse_new_errors(repo, kind, change, change.before, today, f"{kind_name}登记")
    names = "、".join(p["姓名"] for p in entry["人员"])
    what = f"{kind_name} {dossier.number} {name}（{names}，审批人 {approver}）"
    report = [f"{change.rel}：登记{what}，登记号 {ident}"]
    hints = []
    if kind is ledgers.BORROW:
        hints.append(f"应还日期 {entry['应还日期']}；归还并按目录核对后运行 dangan ledger return {ident}")
    return Outcome([change], report, warnings, f"{kind_name}登记 {ident} {dossier.number} {name}（{date}）", hints)


def find_entry(repo: Repo, kind, ident: str, what: str) -> tuple[Source, list, int]:
    """The register as read, its entries, and the position of the (last) entry numbered ``ident``; refused when
    there is none."""
    src = ledgers.read(repo, kind)
    rows = src.data if src is not None and isinstance(src.data, list) else []
    matches = [i for i, e in enumerate(rows) if isinstance(e, dict) and e.get("登记号") == ident]
    if src is None or not matches:
        raise EditError(f"{what}中没有登记号 {ident}", 2)
    return src, rows, matches[-1]


def return_entry(repo: Repo, ident: str, date: str | None = None, as_of=None) -> Outcome:
    """归还: fill in the 归还日期 of one 借阅 entry (checked against the 目录 on return, by the clerk)."""
    today = as_of or default_today()
    date = past_day(date, today, "归还日期")
    src, rows, i = find_entry(repo, ledgers.BORROW, ident, "借阅登记")
    entry = rows[i]
    if entry.get("归还日期") is not None:
        raise EditError(f"登记号 {ident} 已于 {entry['归还日期']} 归还，未作改动")
    if _day(date) < _day(entry["借出日期"]):
        raise EditError(f"归还日期 {date} 早于借出日期 {entry['借出日期']}")
    before = src.raw
    expected = [*rows[:i], {**entry, "归还日期": date}, *rows[i + 1:]]
    src = verify(src, replace_value(src, (i, "归还日期"), scalar(date)), expected)
    change = Change(src.path, repo.rel(src.path), before, src.raw)
    warnings = []
    due = parse_day(entry.get("应还日期"))
    if due and _day(date) > due:
        warnings.append(f"警告：应还日期 {entry['应还日期']}，{date} 才归还（晚 {(_day(date) - due).days} 天，G109）")
    return Outcome([change], [f"{change.rel}：{entry['编号']} {entry['姓名']}（登记号 {ident}）归还日期 {date}"], warnings,
                   f"归还 {ident} {entry['编号']} {entry['姓名']}（{date}）")
