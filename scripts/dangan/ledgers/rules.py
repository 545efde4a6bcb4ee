"""The rules of the 查阅/借阅/转递/任前审核 ledgers (G1xx): recusal, two people, approval first, periods, receipts,
the order of the 任前审核 stages.

Dates are judged against an injected as-of day (``--as-of`` / DANGAN_TODAY), never the wall clock.
Each rule reads an entry defensively: a schema-invalid entry is already reported (S…), so a rule
skips what it cannot read instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ..dates import add_months, day_text, parse_day
from ..findings import ERROR, WARNING, Finding
from ..load import LoadError, load_bytes, load_file
from ..repo import Repo
from .store import (
    BORROW,
    CONSULT,
    INSPECT,
    KINDS,
    OWED,
    REVIEW,
    SPECIAL,
    STAGES,
    TRANSFER,
    Entries,
    borrow_days,
    load,
    receipt_months,
)

PARTY = "中共党员"
NOTARY = "本人或亲属公证诉讼"


def _plain(name) -> str:
    return "".join(name.split()) if isinstance(name, str) else ""


def _staff(name) -> str:
    """A 经办人/审批人 as written ("李明（市财政局人事科）"): the name before any bracket."""
    return _plain(name.replace("(", "（").split("（")[0]) if isinstance(name, str) else ""


class Dossiers:
    """The dossiers the ledgers name, read on demand (only those referenced)."""

    def __init__(self, repo: Repo):
        self.repo = repo
        self._seen: dict[str, dict | None] = {}
        self._past: dict[str, list[dict]] = {}

    def past_family(self, number) -> list[dict]:
        """Everyone the dossier's committed history ever listed in 家庭成员 (a divorced spouse stays a relative
        for recusal), each once by name; [] outside Git."""
        if number not in self._past:
            path = self.repo.find(number)
            seen: dict[str, dict] = {}
            for raw in self.repo.versions(self.repo.rel(path)) if path else []:
                try:
                    data = load_bytes(raw).data
                except LoadError:
                    continue
                for m in (data.get("家庭成员") or []) if isinstance(data, dict) else []:
                    if isinstance(m, dict) and _plain(m.get("姓名")):
                        seen.setdefault(_plain(m.get("姓名")), m)
            self._past[number] = list(seen.values())
        return self._past[number]

    def get(self, number) -> dict | None:
        if not isinstance(number, str):
            return None
        if number not in self._seen:
            path = self.repo.find(number)
            try:
                data = load_file(path).data if path else None
            except LoadError:
                data = None
            self._seen[number] = data if isinstance(data, dict) else None
        return self._seen[number]


def _related(person: dict, dossier: dict, past: list[dict] | None = None) -> str | None:
    """Why ``person`` must not see ``dossier``: '本人' / '亲属（称谓）', or None. ``past``: the 家庭成员 of the
    dossier's earlier versions (someone once listed stays a relative)."""
    name, number = _plain(person.get("姓名")), person.get("编号")
    if (name and name == _plain(dossier.get("姓名"))) or (number and number == dossier.get("编号")):
        return "本人"
    now = [m for m in dossier.get("家庭成员") or [] if isinstance(m, dict)]
    for member, earlier in [*((m, False) for m in now), *((m, True) for m in past or [])]:
        if (name and name == _plain(member.get("姓名"))) or (number and number == member.get("编号")):
            return f"亲属（{member.get('称谓') or '家庭成员'}{'，曾登记在家庭成员中' if earlier else ''}）"
    return None


def _list(value: object) -> list:
    """A list-valued field, or [] when it is missing or not a list (the schema has said so already)."""
    return value if isinstance(value, list) else []


def rule_findings(repo: Repo, entries: Entries, as_of: dt.date) -> list[Finding]:
    out: list[Finding] = []
    doc, rel = entries.doc, entries.rel
    assert doc is not None  # the callers judge only a register that could be read

    def add(i: int, path: tuple, severity: str, code: str, message: str) -> None:
        line, col = doc.mark((i, *path), key=bool(path))
        out.append(Finding(rel, line, col, severity, code, message))

    def future(i: int, key: str, value) -> None:
        day = parse_day(value)
        if day and day > as_of:
            add(i, (key,), ERROR, "G111", f"{key} {value} 晚于今天（{day_text(as_of)}）：登记簿只登记已经发生的事")

    items = doc.data if isinstance(doc.data, list) else []
    # every register numbered by 登记号 (all but 转递, which has its 通知单号): no number twice (G113)
    seen = Counter(e.get("登记号") for e in items if isinstance(e, dict) and isinstance(e.get("登记号"), str))
    for i, e in enumerate(items):
        if isinstance(e, dict) and seen.get(e.get("登记号"), 0) > 1:
            add(i, ("登记号",), ERROR, "G113", f"登记号“{e.get('登记号')}”重复：每一项登记的登记号不得相同")
    if entries.kind is REVIEW:
        _review_rules(repo, items, add, future)
        return out
    if entries.kind is SPECIAL:
        _special_rules(repo, items, add, future)
        return out
    if entries.kind is OWED:
        _owed_rules(repo, items, add, future, as_of)
        return out
    if entries.kind is INSPECT:
        _inspect_rules(repo, items, add, future, as_of)
        return out
    if entries.kind is TRANSFER:
        months = receipt_months(repo)
        for i, e in enumerate(items):
            if not isinstance(e, dict):
                continue
            for key in ("日期", "回执日期"):
                future(i, key, e.get(key))
            sent = parse_day(e.get("日期"))
            if e.get("方向") == "转出" and e.get("回执日期") is None and sent and sent <= as_of:
                due = add_months(sent, months)
                if as_of > due:
                    add(i, ("回执日期",), WARNING, "G112",
                        f"{e.get('编号')} 于 {e.get('日期')} 转出（通知单 {e.get('通知单号')}），"
                        f"超过 {months} 个月（{day_text(due)}）仍未收到回执：应当催退")
        _clock_findings(repo, items, add, future, as_of)
        # the register and dossiers/ agree: a dossier's last movement says where it is (a verb cut short, or a
        # file deleted or restored by hand, shows here)
        last: dict[str, int] = {}
        for i, e in enumerate(items):
            if isinstance(e, dict) and isinstance(e.get("编号"), str) and e.get("方向") in ("转出", "转入"):
                last[e["编号"]] = i
        present = Dossiers(repo)
        for number, i in last.items():
            e = items[i]
            held = present.get(number)
            here = held is not None
            # the 正本 went, the unit kept a 副本 (dangan transfer out --keep-copy): the file stays, marked as such
            kept_copy = held is not None and held.get("档案类别") == "副本" and held.get("正本保管单位") == e.get("转往")
            if e.get("方向") == "转出" and here and not kept_copy:
                add(i, ("编号",), ERROR, "G117", f"{number} 已登记转出（通知单 {e.get('通知单号')}），档案却仍在 dossiers/ 中："
                                                "转出没有做完，删去档案文件（dangan transfer out 会一并做），或撤销这条登记")
            elif e.get("方向") == "转入" and not here:
                add(i, ("编号",), ERROR, "G118", f"{number} 已登记转入（通知单 {e.get('通知单号')}），dossiers/ 中却没有这份档案："
                                                "转入没有做完，或档案文件被删除")
        return out

    dossiers = Dossiers(repo)
    access_key = "查阅日期" if entries.kind is CONSULT else "借出日期"
    days = borrow_days(repo) if entries.kind is BORROW else 0
    for i, e in enumerate(items):
        if not isinstance(e, dict):
            continue
        people = [p for p in e.get("人员") or [] if isinstance(p, dict)]
        names = Counter(_plain(p.get("姓名")) for p in people)
        for j, p in enumerate(people):
            if names[_plain(p.get("姓名"))] > 1:
                add(i, ("人员", j, "姓名"), ERROR, "G115",
                    f"人员“{p.get('姓名')}”重复登记：查阅、借阅须两人以上，同一人不能算两人")
            if p.get("是否党员") is False:
                add(i, ("人员", j, "是否党员"), WARNING, "G105",
                    f"人员“{p.get('姓名')}”不是中共党员：查阅、借阅人员一般应为{PARTY}")
        dossier = dossiers.get(e.get("编号"))
        if dossier is None:
            add(i, ("编号",), WARNING, "G103", f"档案 {e.get('编号')} 不在 dossiers/ 中（已转出或编号写错），无法核对回避")
        else:
            if _plain(e.get("姓名")) and _plain(e.get("姓名")) != _plain(dossier.get("姓名")):
                add(i, ("姓名",), ERROR, "G106", f"档案本人姓名“{e.get('姓名')}”与档案 {e.get('编号')} 中的姓名不一致")
            past = dossiers.past_family(e.get("编号"))
            for j, p in enumerate(people):
                why = _related(p, dossier, past)
                if why == "本人":
                    add(i, ("人员", j, "姓名"), ERROR, "G101",
                        f"人员“{p.get('姓名')}”是档案本人：任何人不得查阅、借阅本人的档案")
                elif why:
                    add(i, ("人员", j, "姓名"), ERROR, "G102",
                        f"人员“{p.get('姓名')}”是档案本人的{why}：任何人不得查阅、借阅亲属的档案，应当回避")
            given = e.get("审批")
            approval0: dict = given if isinstance(given, dict) else {}
            for path, role, who in ((("审批", "审批人"), "审批人", approval0.get("审批人")),
                                    (("经办人",), "经办人", e.get("经办人"))):
                why = _related({"姓名": _staff(who)}, dossier, past) if _staff(who) else None
                if why:
                    add(i, path, ERROR, "G128", f"{role}“{who}”是档案本人{'' if why == '本人' else '的' + why}："
                                                "本人及亲属不得审批、经办本人和亲属档案的查阅、借阅，应当回避")
            catalog = {f"{c.get('类号')}-{c.get('序号')}" for c in dossier.get("档案目录") or [] if isinstance(c, dict)}
            for j, ref in enumerate(e.get("材料") or []):
                if isinstance(ref, str) and catalog and ref not in catalog:
                    add(i, ("材料", j), WARNING, "G114", f"材料 {ref} 不在档案 {e.get('编号')} 的档案目录中")
        letters = [x for x in e.get("凭据") or [] if isinstance(x, str)]
        if letters and "审批表" not in letters:
            add(i, ("凭据",), ERROR, "G140", f"凭据只有{'、'.join(letters)}：介绍信、公函不能代替审批，"
                                           "须有按管理权限审批的《查阅（借阅）干部人事档案审批表》")
        if letters and e.get("目的") == NOTARY and "公证诉讼证明" not in letters:
            add(i, ("凭据",), WARNING, "G141", "为本人或亲属公证、诉讼取证查阅的，由公证机关或人民法院出具证明、"
                                            "按规定程序办理：凭据中没有公证诉讼证明")
        if e.get("目的") == NOTARY and not e.get("材料"):
            add(i, ("目的",), WARNING, "G116",
                "为本人或亲属公证、诉讼取证查阅的，只能查阅与该事项有关的材料：请在“材料”中列出顺序号")
        given = e.get("审批")
        approval: dict = given if isinstance(given, dict) else {}
        approver = _staff(approval.get("审批人"))
        for p in people:
            if approver and approver == _plain(p.get("姓名")):
                add(i, ("审批", "审批人"), ERROR, "G129",
                    f"审批人“{approval.get('审批人')}”也是{'查阅' if entries.kind is CONSULT else '借阅'}人员：不得自己批准自己查阅、借阅")
        approved, access = parse_day(approval.get("审批日期")), parse_day(e.get(access_key))
        if approved and access and approved > access:
            add(i, ("审批", "审批日期"), ERROR, "G104",
                f"审批日期 {approval.get('审批日期')} 晚于{access_key} {e.get(access_key)}：须先经批准才能{access_key[:2]}")
        future(i, access_key, e.get(access_key))
        future(i, "审批日期", approval.get("审批日期"))
        if entries.kind is BORROW:
            return_by, back = parse_day(e.get("应还日期")), parse_day(e.get("归还日期"))
            future(i, "归还日期", e.get("归还日期"))
            if access and return_by:
                if return_by < access:
                    add(i, ("应还日期",), ERROR, "G107", f"应还日期 {e.get('应还日期')} 早于借出日期 {e.get('借出日期')}")
                elif (return_by - access).days > days:
                    add(i, ("应还日期",), ERROR, "G107",
                        f"借阅期限 {(return_by - access).days} 天，超过政策文件规定的 {days} 天（期限.借阅天数）")
            if access and back and back < access:
                add(i, ("归还日期",), ERROR, "G110", f"归还日期 {e.get('归还日期')} 早于借出日期 {e.get('借出日期')}")
            elif return_by and back and back > return_by:
                add(i, ("归还日期",), WARNING, "G109",
                    f"逾期归还：应还日期 {e.get('应还日期')}，{e.get('归还日期')} 才归还（晚 {(back - return_by).days} 天）")
            elif return_by and e.get("归还日期") is None and access and access <= as_of and as_of > return_by:
                add(i, ("归还日期",), WARNING, "G108",
                    f"档案 {e.get('编号')} 逾期未还：应还日期 {e.get('应还日期')}，已逾期 {(as_of - return_by).days} 天，应当催还")
    return out


@dataclass(frozen=True)
class Clock:
    """A 转递 entry past one of the clocks of 《条例》第二十五条 (G124 转递, G125 审核入库) or its 退回 past the
    整改期限 with no 整改 come back (G126): what `ledger check` reports and `grade` counts."""

    index: int  # the entry's place in the register
    key: str  # the field the finding points at
    code: str  # G124, G125 or G126
    entry: dict
    day: dt.date  # when it became overdue (the late 转递/审核 happened, or the 整改期限 passed)
    message: str


def clocks(repo: Repo, items: list, as_of: dt.date) -> list[Clock]:
    """《条例》第二十五条: 转递 within 期限.转递 months of the 任免/调动 (G124), 审核入库 within 期限.审核入库 months of
    arrival (G125); a 退回 whose 整改 has not come back by its 整改期限 (G126), as of ``as_of``."""
    send = repo.policy.get("期限", "转递", default=2)
    audit = repo.policy.get("期限", "审核入库", default=2)
    answered = {e.get("整改") for e in items if isinstance(e, dict) and isinstance(e.get("整改"), str)
                and (parse_day(e.get("日期")) or as_of) <= as_of}
    out = []
    for i, e in enumerate(items):
        if not isinstance(e, dict):
            continue
        way, day = e.get("方向"), parse_day(e.get("日期"))
        appointed, arrived = parse_day(e.get("任免日期")), parse_day(e.get("到达日期")) or day
        sent = day if way == "转出" else arrived
        if appointed and sent and sent > add_months(appointed, send):
            who = "本单位" if way == "转出" else f"转出单位（{e.get('来自')}）"
            out.append(Clock(i, "任免日期", "G124", e, sent,
                f"{e.get('编号') or e.get('姓名')} 的任免（调动）在 {e.get('任免日期')}，{day_text(sent)} 才转递到位："
                f"《干部人事档案工作条例》第二十五条，管理权限变更后 {send} 个月内（{day_text(add_months(appointed, send))} 前）"
                f"转递档案，{who}逾期"))
        if way in ("转入", "退回") and day and arrived and day > add_months(arrived, audit):
            out.append(Clock(i, "日期", "G125", e, day,
                f"{e.get('编号') or e.get('姓名')} 的档案 {day_text(arrived)} 送到，{e.get('日期')} 才审核{'入库' if way == '转入' else '退回'}："
                f"《干部人事档案工作条例》第二十五条，收到档案后 {audit} 个月内（{day_text(add_months(arrived, audit))} 前）审核入库"))
        due = parse_day(e.get("整改期限"))
        if way == "退回" and due and as_of > due and e.get("通知单号") not in answered:
            out.append(Clock(i, "整改期限", "G126", e, due,
                f"{e.get('姓名')} 的档案 {e.get('日期')} 退回 {e.get('来自')}（通知单 {e.get('通知单号')}），整改期限 "
                f"{e.get('整改期限')} 已过，整改后的档案仍未重新转来：应当催办"))
    return out


def late_transfers(repo: Repo, as_of: dt.date) -> list[Clock]:
    """The clocks of the transfer register as of ``as_of`` (read leniently: `ledger check` reports an invalid entry);
    entries dated after ``as_of`` are not yet there."""
    items = [e for e in load(repo, TRANSFER).items if (parse_day(e.get("日期")) or as_of) <= as_of]
    return clocks(repo, items, as_of)


def _clock_findings(repo: Repo, items: list, add, future, as_of: dt.date) -> None:
    """The clocks (G124–G126) as findings; a dossier sent out while lent (G127)."""
    loans = [e for e in load(repo, BORROW).items if parse_day(e.get("借出日期"))]
    for i, e in enumerate(items):
        if isinstance(e, dict):
            for key in ("任免日期", "到达日期"):
                future(i, key, e.get(key))
    for c in clocks(repo, items, as_of):
        add(c.index, (c.key,), WARNING, c.code, c.message)
    for i, e in enumerate(items):
        if not isinstance(e, dict):
            continue
        day = parse_day(e.get("日期"))
        if e.get("方向") == "转出" and day:
            for loan in loans:
                out, back = parse_day(loan.get("借出日期")), parse_day(loan.get("归还日期"))
                if loan.get("编号") == e.get("编号") and out and out <= day and (back is None or back > day):
                    add(i, ("日期",), ERROR, "G127",
                        f"{e.get('编号')} 于 {e.get('日期')} 转出时仍借出未还（借阅登记 {loan.get('登记号')}，"
                        f"{loan.get('借出日期')} 借出）：借出未还的档案不能转出，应先收回")


def known_commits(repo: Repo, ids: list[str]) -> set[str] | None:
    """Which of ``ids`` are commits of the repository (None: no Git repository to ask)."""
    import subprocess

    if not ids or not (repo.root / ".git").exists():
        return None
    done = subprocess.run(["git", "cat-file", "--batch-check"], cwd=repo.root, input="\n".join(ids) + "\n",
                          capture_output=True, text=True)
    if done.returncode:
        return None
    return {line.split()[0] for line in done.stdout.splitlines() if line.endswith(" commit") or " commit " in line}


def _review_rules(repo: Repo, items: list, add, future) -> None:
    """任前审核: 登记号 unique; 审核人 two people, neither the cadre nor a relative; each stage after the one
    before it passed (same 编号 and 拟任职务, not later); the 版本 a commit of this repository."""
    dossiers = Dossiers(repo)
    versions = [e["版本"] for e in items if isinstance(e, dict) and isinstance(e.get("版本"), str)]
    commits = known_commits(repo, sorted(set(versions)))
    passed: dict[tuple, list] = {}  # (编号, 拟任职务, 阶段) → dates of the 通过 entries so far
    for i, e in enumerate(items):
        if not isinstance(e, dict):
            continue
        future(i, "日期", e.get("日期"))
        names = [_plain(n) for n in e.get("审核人") or [] if isinstance(n, str)]
        counts = Counter(names)
        for j, name in enumerate(names):
            if counts[name] > 1:
                add(i, ("审核人", j), ERROR, "G121", f"审核人“{name}”重复登记：审核须两人以上（审核人、复核人），同一人不能算两人")
        dossier = dossiers.get(e.get("编号"))
        if dossier is not None:
            if _plain(e.get("姓名")) and _plain(e.get("姓名")) != _plain(dossier.get("姓名")):
                add(i, ("姓名",), ERROR, "G106", f"档案本人姓名“{e.get('姓名')}”与档案 {e.get('编号')} 中的姓名不一致")
            for j, name in enumerate(names):
                why = _related({"姓名": name}, dossier, dossiers.past_family(e.get("编号")))
                if why:
                    add(i, ("审核人", j), ERROR, "G122", f"审核人“{name}”是档案本人{'' if why == '本人' else '的' + why}："
                                                          "本人及亲属不得审核本人、亲属的档案，应当回避")
        stage, day = e.get("阶段"), parse_day(e.get("日期"))
        key = (e.get("编号"), _plain(e.get("拟任职务")))
        if stage in STAGES[1:] and day:
            before = STAGES[STAGES.index(stage) - 1]
            if not any(d <= day for d in passed.get((*key, before), [])):
                add(i, ("阶段",), ERROR, "G120", f"{e.get('编号')}（拟任{e.get('拟任职务')}）的{stage}之前没有通过的{before}："
                                                 "凡提必审，三个阶段依次进行，前一阶段通过后才能进入下一阶段")
        if stage in STAGES and e.get("结论") == "通过" and day:
            passed.setdefault((*key, stage), []).append(day)
        version = e.get("版本")
        if commits is not None and isinstance(version, str) and version not in commits:
            add(i, ("版本",), WARNING, "G123", f"档案版本 {version[:10]} 不是本仓库中的提交：审核的是哪一版档案无从核对")


def _special_rules(repo: Repo, items: list, add, future) -> None:
    """专项审核: 登记号 unique; the reviewer neither the cadre nor a relative; a 复审 after an 初审 of the same
    dossier, not earlier, and by someone else; the 版本 a commit of this repository."""
    dossiers = Dossiers(repo)
    commits = known_commits(repo, sorted({e["版本"] for e in items if isinstance(e, dict) and isinstance(e.get("版本"), str)}))
    first: dict[str | None, list[tuple]] = {}  # 编号 → (date, reviewer) of its 初审 entries so far
    for i, e in enumerate(items):
        if not isinstance(e, dict):
            continue
        future(i, "日期", e.get("日期"))
        who, day = _plain(e.get("审核人")), parse_day(e.get("日期"))
        dossier = dossiers.get(e.get("编号"))
        if dossier is not None:
            if _plain(e.get("姓名")) and _plain(e.get("姓名")) != _plain(dossier.get("姓名")):
                add(i, ("姓名",), ERROR, "G106", f"档案本人姓名“{e.get('姓名')}”与档案 {e.get('编号')} 中的姓名不一致")
            why = _related({"姓名": who}, dossier, dossiers.past_family(e.get("编号"))) if who else None
            if why:
                add(i, ("审核人",), ERROR, "G132", f"审核人“{who}”是档案本人{'' if why == '本人' else '的' + why}："
                                                 "本人及亲属不得审核本人、亲属的档案，应当回避")
        number = e.get("编号")
        if e.get("阶段") == "初审" and day:
            first.setdefault(number, []).append((day, who))
        elif e.get("阶段") == "复审" and day:
            earlier = [(d, w) for d, w in first.get(number, []) if d <= day]
            if not earlier:
                add(i, ("阶段",), ERROR, "G130", f"{number} 的专项审核复审之前没有登记初审：先初审，再由另一人复审")
            elif who and all(w == who for _d, w in earlier):
                add(i, ("审核人",), ERROR, "G131", f"{number} 的复审人“{who}”就是初审人：复审须由初审以外的人进行")
        version = e.get("版本")
        if commits is not None and isinstance(version, str) and version not in commits:
            add(i, ("版本",), WARNING, "G133", f"档案版本 {version[:10]} 不是本仓库中的提交：审核的是哪一版档案无从核对")


def text_findings(repo: Repo, kind, raw: bytes, as_of: dt.date) -> list[Finding]:
    """The schema and rule findings of a ledger as it would be written (the verbs' check before writing)."""
    from ..schema import Schema
    from .store import path_of

    rel = repo.rel(path_of(repo, kind))
    doc = load_bytes(raw, rel, root_list=True)
    found = list(Schema(repo.schema_dir, kind.schema).findings(doc))
    entries = Entries(kind, rel, doc, tuple(found))
    return found + rule_findings(repo, entries, as_of)


def _owed_rules(repo: Repo, items: list, add, future, as_of: dt.date) -> None:
    """催收: 登记号 unique; dates not in the future, the 限期 not before the 催收日期; an item past its 限期 whose
    material is still missing (the completeness rules still find it) is overdue (G134)."""
    from ..check import make_context
    from ..rules.completeness import owed

    dossiers = Dossiers(repo)
    ctx = None
    missing: dict[str, set] = {}
    for i, e in enumerate(items):
        if not isinstance(e, dict):
            continue
        future(i, "催收日期", e.get("催收日期"))
        asked, due = parse_day(e.get("催收日期")), parse_day(e.get("限期"))
        if asked and due and due < asked:
            add(i, ("限期",), ERROR, "G135", f"限期 {e.get('限期')} 早于催收日期 {e.get('催收日期')}")
        number = e.get("编号")
        if not (due and due < as_of and isinstance(number, str)):
            continue
        if number not in missing:
            data = dossiers.get(number)
            ctx = ctx or make_context(repo, as_of)
            missing[number] = {o.key() for o in owed(data, ctx)} if data is not None else set()
        if (str(e.get("类号")), e.get("材料")) in missing[number]:
            add(i, ("限期",), WARNING, "G134", f"{number} {e.get('姓名', '')} 的 {e.get('材料')} 已过催收限期 {e.get('限期')}"
                                             f"（逾期 {(as_of - due).days} 天）仍未收到：请再次催收")


def _inspect_rules(repo: Repo, items: list, add, future, as_of: dt.date) -> None:
    """检查验收: the unit one of the policy's; enough inspectors; every score an inspected item of the 考评标准,
    once, within its points; the 整改期限 and 整改日期 not before the inspection, the 整改 filled in whole; a problem past
    its 整改期限 and not rectified is overdue (G156)."""
    from ..policy import PolicyError
    from ..standard import points_of, standard

    units = repo.policy.get("管档单位", default=[]) or []
    needed = repo.policy.get("目标管理", "检查人数", default=2)
    try:
        scored = {i.name: i for i in standard(repo.policy) if i.inspected}
    except PolicyError:
        scored = {}
    for i, e in enumerate(items):
        if not isinstance(e, dict):
            continue
        future(i, "日期", e.get("日期"))
        day = parse_day(e.get("日期"))
        unit = e.get("管档单位")
        if units and isinstance(unit, str) and unit not in units:
            add(i, ("管档单位",), ERROR, "G150", f"“{unit}”不是在册的管档单位（政策文件“管档单位”）")
        people = _list(e.get("检查人"))
        if len({_plain(p) for p in people if _plain(p)}) < needed:
            add(i, ("检查人",), ERROR, "G151", f"检查验收须有 {needed} 名以上检查人（政策文件 目标管理.检查人数）")
        seen: set[str] = set()
        for k, row in enumerate(_list(e.get("评分"))):
            if not isinstance(row, dict) or not isinstance(row.get("项目"), str):
                continue
            name, value = row["项目"], row.get("得分")
            if scored and name not in scored:
                add(i, ("评分", k, "项目"), ERROR, "G152", f"“{name}”不是考评标准中由检查评分的项目（政策文件 目标管理.考评标准）")
            elif name in seen:
                add(i, ("评分", k, "项目"), ERROR, "G153", f"项目“{name}”评了两次")
            elif name in scored and (points_of(value) or 0) > scored[name].points:
                add(i, ("评分", k, "得分"), ERROR, "G154",
                    f"{name} 得分 {value} 超过本项分值 {scored[name].points:g}")
            seen.add(name)
        if scored and seen:
            missing = [n for n in scored if n not in seen]
            if missing:
                add(i, ("评分",), WARNING, "G157", f"检查项目没有评分（按 0 分计）：{'、'.join(missing)}")
        for k, p in enumerate(_list(e.get("问题"))):
            if not isinstance(p, dict):
                continue
            due, done = parse_day(p.get("整改期限")), parse_day(p.get("整改日期"))
            if done and done > as_of:
                add(i, ("问题", k, "整改日期"), ERROR, "G111",
                    f"整改日期 {p.get('整改日期')} 晚于今天（{day_text(as_of)}）：登记簿只登记已经发生的事")
            if day and due and due < day:
                add(i, ("问题", k, "整改期限"), ERROR, "G155", f"整改期限 {p.get('整改期限')} 早于检查日期 {e.get('日期')}")
            if day and done and done < day:
                add(i, ("问题", k, "整改日期"), ERROR, "G155", f"整改日期 {p.get('整改日期')} 早于检查日期 {e.get('日期')}")
            filled = [key for key in ("整改日期", "整改情况", "复查人") if p.get(key) is not None]
            if filled and len(filled) < 3:
                add(i, ("问题", k, filled[0]), ERROR, "G158", "整改日期、整改情况、复查人须一并填写（还没有整改的都写 null）")
            if done is None and due and due < as_of:
                add(i, ("问题", k, "整改期限"), WARNING, "G156",
                    f"{unit} {e.get('登记号')} 第 {p.get('序号')} 个问题“{p.get('问题')}”过了整改期限 {p.get('整改期限')}"
                    f"（逾期 {(as_of - due).days} 天）仍未整改：请督促整改并复查")


# ---------------------------------------------------------------- `dangan ledger check`

def check(repo: Repo, as_of: dt.date) -> tuple[list[Finding], int]:
    """Every ledger: load, schema, then the rules. Returns (findings, number of ledger files present)."""
    findings: list[Finding] = []
    present = 0
    for kind in KINDS:
        entries = load(repo, kind)
        if entries.doc is None and not entries.problems:
            continue
        present += 1
        findings.extend(entries.problems)
        if entries.doc is not None:
            try:
                findings.extend(rule_findings(repo, entries, as_of))
            except (TypeError, KeyError, AttributeError, ValueError, IndexError):
                if not entries.problems:
                    raise  # on a schema-valid ledger this is a bug, not bad input
    return findings, present
