"""目标管理: grade each 管档单位 by the policy's 考评标准 and levels (目标管理), from the same facts as check/score
and from the unit's latest 检查验收 (ledgers/检查验收.yaml).

Measures per unit: volumes held (dossiers), 完整率 (share of dossiers without a C5xx finding), findings per
100 volumes, unauthorised alterations in the Git trail, 逾期 (from the ledgers: overdue 回执, overdue loans, and the
clocks of 《条例》第二十五条 — a late 转递 or 审核入库 within the statistics window, a 退回 whose 整改 is overdue),
and the average score of recent intake (新任干部档案评分). The 考评标准 turns these into points, adds the points the
inspectors gave (计分: 检查) and the 整改 still open; the first level (top down) whose 总分 and bounds all hold is the
grade. Units below 参评卷数 are graded for reference only.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from .. import ledgers
from ..dates import add_months, day_text, parse_day
from ..repo import Repo
from ..standard import Item, points_of, standard
from . import Case
from .score import Score, num, recent

NONE = "未达标"


@dataclass
class Scored:
    """One item of the 考评标准 as scored for a unit."""

    item: Item
    points: float
    note: str = ""  # the inspectors' 说明, or the measured value

    @property
    def lost(self) -> float:
        return round(self.item.points - self.points, 2)


@dataclass(frozen=True)
class Fix:
    """A problem found at an inspection, and its 整改 (as of a date)."""

    entry: dict  # the inspection
    problem: dict
    due: object  # dt.date | None
    done: object  # dt.date | None (None: not rectified as of the date)
    overdue_days: int

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0

    def label(self) -> str:
        return f"{self.entry.get('登记号')}-{self.problem.get('序号')}"


# the kinds of 逾期 a unit is charged with, in the order they are shown
LATE_KINDS = ("回执", "借阅", "转递", "审核入库", "退回整改")


@dataclass(frozen=True)
class Late:
    """One overdue item counted in the unit's 逾期, and why (the ledger's own words)."""

    kind: str  # one of LATE_KINDS
    reason: str


@dataclass
class Unit:
    name: str
    volumes: int = 0
    complete: int = 0
    findings: int = 0
    unauthorised: int = 0
    receipts: int = 0  # overdue 回执 of 转出
    loans: int = 0  # overdue loans
    late: list[Late] = field(default_factory=list)  # every overdue item (回执 and loans too), with its reason
    intake: list[Score] = field(default_factory=list)
    grade: str = ""
    eligible: bool = False
    reasons: list[str] = field(default_factory=list)  # why not the next grade up
    inspection: dict | None = None  # the latest 检查验收 up to the date
    scored: list[Scored] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)  # every problem found, rectified or not (as of the date)
    last_year: str | None = None  # the grade of the latest inspection before this year (frozen 评定等级)

    @property
    def total(self) -> float | None:
        return round(sum(s.points for s in self.scored), 2) if self.scored else None

    @property
    def open_fixes(self) -> list[Fix]:
        return [f for f in self.fixes if f.done is None]

    @property
    def overdue_fixes(self) -> int:
        return sum(f.overdue for f in self.open_fixes)

    @property
    def rate(self) -> float:
        return 100.0 * self.complete / self.volumes if self.volumes else 100.0

    @property
    def per100(self) -> float:
        return 100.0 * self.findings / self.volumes if self.volumes else 0.0

    def late_of(self, kind: str) -> int:
        return sum(x.kind == kind for x in self.late)

    @property
    def clocked(self) -> int:
        """The overdue items of 《条例》第二十五条 (转递, 审核入库) and of the 退回 (整改)."""
        return sum(x.kind not in ("回执", "借阅") for x in self.late)

    @property
    def overdue(self) -> int:
        return self.receipts + self.loans + self.clocked

    @property
    def average(self) -> float | None:
        return sum(s.total for s in self.intake) / len(self.intake) if self.intake else None

    def as_dict(self) -> dict:
        return {"管档单位": self.name, "卷数": self.volumes, "参评": self.eligible, "完整率": round(self.rate, 1),
                "每百卷问题": round(self.per100, 1), "未经认定改动": self.unauthorised, "逾期未回执": self.receipts,
                "逾期未还": self.loans, "逾期转递": self.late_of("转递"),
                "逾期审核入库": self.late_of("审核入库"), "退回整改逾期": self.late_of("退回整改"), "逾期": self.overdue,
                "逾期明细": [{"类别": x.kind, "说明": x.reason} for x in self.late], "新任档案": len(self.intake),
                "新任平均分": None if self.average is None else round(self.average, 2),
                "总分": self.total,
                "检查验收": None if self.inspection is None else {k: self.inspection.get(k) for k in ("登记号", "日期", "检查人")},
                "评分": [{"类别": s.item.category, "项目": s.item.name, "分值": s.item.points, "得分": s.points,
                        "计分": s.item.how, "说明": s.note} for s in self.scored],
                "未整改": [{"问题": f.label(), "内容": f.problem.get("问题"), "整改期限": f.problem.get("整改期限"),
                         "逾期天数": f.overdue_days} for f in self.open_fixes],
                "逾期未整改": self.overdue_fixes, "上年等级": self.last_year, "等级": self.grade,
                "未达上一等级的原因": self.reasons}


def _measures(u: Unit) -> dict:
    return {"总分不低于": (u.total, ">="), "完整率不低于": (u.rate, ">="), "每百卷问题不超过": (u.per100, "<="),
            "未经认定改动不超过": (u.unauthorised, "<="), "逾期不超过": (u.overdue, "<="),
            "新任评分不低于": (u.average, ">="), "逾期未整改不超过": (u.overdue_fixes, "<=")}


def measure(u: Unit, how: str) -> float | None:
    """The value a data item of the 考评标准 is scored from."""
    return {"完整率": u.rate, "每百卷问题": u.per100, "逾期": float(u.overdue), "未经认定改动": float(u.unauthorised),
            "新任档案评分": u.average}[how]


def score_items(u: Unit, items: list[Item]) -> None:
    """Each item's points: the inspectors' (latest inspection) or from the data."""
    given = {}
    if u.inspection is not None:
        given = {r.get("项目"): r for r in u.inspection.get("评分") or [] if isinstance(r, dict)}
    u.scored = []
    for it in items:
        if it.inspected:
            r = given.get(it.name)
            value = points_of(r.get("得分")) if r else None
            if r and value is not None:
                u.scored.append(Scored(it, min(value, it.points), str(r.get("说明") or "")))
            else:
                u.scored.append(Scored(it, 0.0, "未经检查验收" if u.inspection is None else "本次检查未评分"))
        else:
            value = measure(u, it.how)
            shown = "无新任" if value is None else (f"{value:.1f}%" if it.how == "完整率" else num(round(value, 2)))
            u.scored.append(Scored(it, it.from_data(value), f"{it.how} {shown}"))


def losses(u: Unit, limit: int = 6, inspected: bool = True) -> str:
    """The items that lost points, most first (``inspected`` False: the data items only)."""
    lost = sorted((s for s in u.scored if s.lost > 0 and (inspected or not s.item.inspected)), key=lambda s: -s.lost)
    shown = [f"{s.item.name} −{num(s.lost)}" + (f"（{s.note}）" if s.note else "") for s in lost[:limit]]
    more = f" 等 {len(lost)} 项" if len(lost) > limit else ""
    return "、".join(shown) + more


def misses(u: Unit, level: dict) -> list[str]:
    """What keeps the unit from ``level`` (one line per bound not held; [] when it meets the level)."""
    out = []
    for key, (value, op) in _measures(u).items():
        bound = points_of(level.get(key))
        if bound is None or value is None:
            continue
        if (op == ">=" and value < bound) or (op == "<=" and value > bound):
            why = f"{key.removesuffix('不低于').removesuffix('不超过')} {num(round(value, 2))}" \
                  f"（{level['名称']}要求{'≥' if op == '>=' else '≤'} {num(bound)}）"
            if key == "总分不低于":
                if u.inspection is None:
                    unseen = sum(s.item.points for s in u.scored if s.item.inspected)
                    why += f"：还没有检查验收，检查项目 {num(unseen)} 分未评"
                    data = losses(u, inspected=False)
                    why += f"；数据项失分 {data}" if data else ""
                elif losses(u):
                    why += "：失分 " + losses(u)
            if key == "逾期不超过" and u.late:
                why += "：" + "、".join(f"{k} {n}" for k in LATE_KINDS if (n := u.late_of(k)))
            if key == "逾期未整改不超过":
                why += "：" + "、".join(f"{f.label()} {f.problem.get('问题')}（限 {f.problem.get('整改期限')}）"
                                       for f in u.open_fixes if f.overdue)
            out.append(why)
    return out


def judge(u: Unit, policy) -> None:
    """The first grade (top down) whose every bound holds; an absent average (no intake) is not held against it."""
    conf = policy["目标管理"]
    u.eligible = u.volumes >= conf["参评卷数"]
    u.reasons = []
    for level in conf["等级"]:
        found = misses(u, level)
        if not found:
            u.grade = level["名称"]
            return
        u.reasons = found
    u.grade = NONE


def levels(policy) -> list[str]:
    """The grade names, best first, then 未达标."""
    return [lv["名称"] for lv in policy["目标管理"]["等级"]] + [NONE]


def change(u: Unit, policy) -> str:
    """The change since last year's grade: 升级、降级、持平, or — (no inspection before this year)."""
    names = levels(policy)
    if u.last_year is None or u.last_year not in names:
        return "—"
    was, now = names.index(u.last_year), names.index(u.grade)
    return "持平" if was == now else (f"升级（{u.last_year}→{u.grade}）" if now < was else f"降级（{u.last_year}→{u.grade}）")


def _deleted_unit(repo: Repo, number: str) -> str | None:
    """The 管档单位 a transferred-out dossier had in its last committed version."""
    import git

    rel = f"dossiers/{number}.yaml"
    if repo.git is None:
        return None
    try:
        sha = repo.git.git.log("-1", "--format=%H", "--diff-filter=D", "--", rel).strip()  # rev-list has no filter
        removal = repo.git.commit(sha) if sha else None
        if removal is None or not removal.parents:
            return None
        raw = (removal.parents[0].tree / rel).data_stream.read()
    except (git.GitCommandError, KeyError, ValueError):  # no history, or the path is not in that tree
        return None
    from ..load import LoadError, load_bytes

    try:
        unit = load_bytes(raw, rel).data.get("管档单位")
    except LoadError:
        return None
    return unit if isinstance(unit, str) else None


UNKNOWN = "（单位不明）"


def _handling_unit(entry: dict, names: list[str]) -> str | None:
    """The registered 管档单位 an entry's 经办人 works for, as written "李明（市财政局人事科）" (the longest name
    the bracket starts with): the unit of a 退回, whose dossier never entered dossiers/."""
    who = entry.get("经办人")
    if not isinstance(who, str) or "（" not in who.replace("(", "（"):
        return None
    bracket = who.replace("(", "（").split("（", 1)[1]
    found = [n for n in names if bracket.startswith(n)]
    return max(found, key=len) if found else None


def _clock_unit(repo: Repo, c, unit_of: dict[str, str], names: list[str]) -> str | None:
    """Whose 逾期 a clock is: a late 转出 the sending unit's (the dossier's last 管档单位), a late arrival the 转出单位's
    (only when it is one of ours: None otherwise), a late 审核入库 and an overdue 整改 the receiving unit's (the
    dossier's 管档单位; for a 退回, the 经办人's unit), who must 催办."""
    e = c.entry
    number = e.get("编号") if isinstance(e.get("编号"), str) else None
    if c.code == "G124" and e.get("方向") != "转出":
        return e.get("来自") if e.get("来自") in names else None
    if number and e.get("方向") != "退回":
        return unit_of.get(number) or _deleted_unit(repo, number) or UNKNOWN
    return _handling_unit(e, names) or UNKNOWN


def overdue(repo: Repo, as_of: dt.date, unit_of: dict[str, str], months: int = 12,
            names: list[str] | None = None) -> tuple[dict[str, list[Late]], list[str]]:
    """Every overdue item per unit with its reason: 回执 and loans overdue as of ``as_of``; the clocks of 《条例》
    第二十五条 (a 转递 or 审核入库 that was late within the ``months`` before ``as_of``) and the 退回 whose 整改 is
    overdue. Also notes on what could not be read or is charged to no unit of ours."""
    names = list(names or [])
    late: dict[str, list[Late]] = {}
    notes = []

    def charge(unit: str, kind: str, reason: str) -> None:
        late.setdefault(unit, []).append(Late(kind, reason))

    for r in ledgers.missing_receipts(repo, as_of):
        number = str(r.entry.get("编号"))
        unit = unit_of.get(number) or _deleted_unit(repo, number) or UNKNOWN
        charge(unit, "回执", f"{number} {r.entry.get('姓名')} 于 {r.entry.get('日期')} 转出（通知单 {r.entry.get('通知单号')}），"
                             f"回执应于 {day_text(r.due)} 前收回，已逾期 {r.overdue_days} 天")
    if not ledgers.path_of(repo, ledgers.BORROW).exists():
        notes.append("没有借阅登记簿（ledgers/借阅.yaml）：逾期未还按 0 计")
    else:
        for loan in ledgers.overdue_loans(repo, as_of):
            unit = unit_of.get(str(loan.entry.get("编号"))) or UNKNOWN
            charge(unit, "借阅", f"{loan.entry.get('编号')} {loan.entry.get('姓名')}（借阅登记 {loan.entry.get('登记号')}）"
                                 f"应还日期 {loan.entry.get('应还日期')}，已逾期 {loan.overdue_days} 天未还")
    since = add_months(as_of, -months)
    kinds = {"G124": "转递", "G125": "审核入库", "G126": "退回整改"}
    for c in ledgers.late_transfers(repo, as_of):
        if c.code != "G126" and not since < c.day <= as_of:
            continue
        unit = _clock_unit(repo, c, unit_of, names)
        if unit is None:
            notes.append(f"{c.message}（{c.code}；转出单位不是本库的管档单位，不计入定级）")
            continue
        charge(unit, kinds[c.code], f"{c.message}（{c.code}）")
    return late, notes


def inspections(repo: Repo) -> list[dict]:
    """The entries of ledgers/检查验收.yaml (read leniently: `dangan ledger check` reports an invalid one)."""
    return ledgers.load(repo, ledgers.INSPECT).items


def fixes_of(entries: list[dict], unit: str, as_of: dt.date) -> list[Fix]:
    """Every problem found at the unit's inspections up to ``as_of``, with its 整改 as of that day."""
    out = []
    for e in entries:
        day = parse_day(e.get("日期"))
        if e.get("管档单位") != unit or day is None or day > as_of:
            continue
        for p in e.get("问题") or []:
            if not isinstance(p, dict):
                continue
            due, done = parse_day(p.get("整改期限")), parse_day(p.get("整改日期"))
            done = done if done is not None and done <= as_of else None
            late = max(0, (as_of - due).days) if due is not None and done is None else 0
            out.append(Fix(e, p, due, done, late))
    return out


def attach_inspections(u: Unit, entries: list[dict], as_of: dt.date, fixes_as_of: dt.date | None = None) -> None:
    """The unit's latest inspection up to ``as_of``, its 整改, and last year's grade (the latest inspection before
    1 January of ``as_of``'s year, as then recorded)."""
    mine = sorted(((d, i, e) for i, e in enumerate(entries)
                   if e.get("管档单位") == u.name and (d := parse_day(e.get("日期"))) is not None and d <= as_of),
                  key=lambda x: (x[0], x[1]))
    u.inspection = mine[-1][2] if mine else None
    before = [e for d, _i, e in mine if d.year < as_of.year]
    u.last_year = str(before[-1].get("评定等级")) if before and before[-1].get("评定等级") else None
    u.fixes = fixes_of(entries, u.name, fixes_as_of or as_of)


def grade_units(repo: Repo, cases: list[Case], scores: dict[str, Score], policy, as_of: dt.date,
                months: int, entries: list[dict] | None = None,
                fixes_as_of: dt.date | None = None) -> tuple[list[Unit], list[str]]:
    """Every unit graded as of ``as_of``; ``entries``: the 检查验收 entries (default: the ledger's); ``fixes_as_of``: the
    day the 整改 are judged (an inspection's own day, when its grade is frozen: its new problems are not yet due)."""
    entries = inspections(repo) if entries is None else entries
    items = standard(policy)
    units = {name: Unit(name) for name in policy.get("管档单位", default=[]) or []}
    unit_of = {}
    for c in cases:
        name = c.data.get("管档单位") if isinstance(c.data.get("管档单位"), str) else "（未填写管档单位）"
        unit_of[c.number] = name
        u = units.setdefault(name, Unit(name))
        u.volumes += 1
        u.complete += not any(f.code.startswith("C5") for f in c.findings)
        u.findings += len(c.findings)
        u.unauthorised += len(c.unauthorised) + len(c.bypassed)
        s = scores.get(c.number)
        if s is not None and recent(s, as_of, months):
            u.intake.append(s)
    late, notes = overdue(repo, as_of, unit_of, months, list(policy.get("管档单位", default=[]) or []))
    for name, charged in late.items():
        u = units.setdefault(name, Unit(name))
        u.late = sorted(charged, key=lambda x: LATE_KINDS.index(x.kind))
        u.receipts, u.loans = u.late_of("回执"), u.late_of("借阅")
    for e in entries:
        if isinstance(e.get("管档单位"), str):
            units.setdefault(e["管档单位"], Unit(e["管档单位"]))
    for u in units.values():
        attach_inspections(u, entries, as_of, fixes_as_of)
        if items:
            score_items(u, items)
        judge(u, policy)
    if cases and not cases[0].history:
        notes.append("没有可读的 Git 历史：未经认定改动按 0 计")
    return list(units.values()), notes


def summary(units: list[Unit], policy) -> str:
    floor = policy["目标管理"]["参评卷数"]
    eligible = [u for u in units if u.eligible]
    names = [lv["名称"] for lv in policy["目标管理"]["等级"]] + [NONE]
    counts = "，".join(f"{g} {n} 个" for g in names if (n := sum(u.grade == g for u in eligible)))
    return (f"{floor} 卷以上的管档单位 {len(eligible)} 个" + (f"：{counts}" if counts else "")
            + f"；不足 {floor} 卷的 {len(units) - len(eligible)} 个（定级仅供参考）。")


def text(units: list[Unit], notes: list[str], policy, as_of: dt.date) -> str:
    out = [f"目标管理定级（截至 {day_text(as_of)}）", summary(units, policy), ""]
    for u in units:
        avg = "无新任" if u.average is None else f"{num(round(u.average, 2))} 分（{len(u.intake)} 份）"
        out.append(f"{u.name}：{u.grade}{'' if u.eligible else '（不足参评卷数，仅供参考）'}")
        out.append(f"  卷数 {u.volumes}  完整率 {u.rate:.1f}%  每百卷问题 {u.per100:.1f}  未经认定改动 {u.unauthorised}"
                   f"  逾期未回执 {u.receipts}  逾期未还 {u.loans}  逾期转递 {u.late_of('转递')}"
                   f"  逾期审核入库 {u.late_of('审核入库')}  退回整改逾期 {u.late_of('退回整改')}  新任平均 {avg}")
        out += [f"  逾期（{x.kind}）：{x.reason}" for x in u.late]
        if u.scored:
            seen = (f"检查验收 {u.inspection.get('日期')}（{u.inspection.get('登记号')}，"
                    f"{'、'.join(map(str, u.inspection.get('检查人') or []))}）" if u.inspection else "未经检查验收")
            out.append(f"  总分 {num(u.total or 0)}  {seen}")
            for cat in dict.fromkeys(s.item.category for s in u.scored):
                parts = [f"{s.item.name} {num(s.points)}/{num(s.item.points)}" for s in u.scored
                         if s.item.category == cat]
                out.append(f"    {cat}：{'  '.join(parts)}")
        for f in u.open_fixes:
            late = f"，逾期 {f.overdue_days} 天" if f.overdue else ""
            out.append(f"  未整改：{f.label()} {f.problem.get('问题')}（整改期限 {f.problem.get('整改期限')}{late}）")
        out += [f"  未达上一等级：{r}" for r in u.reasons] if u.grade != policy["目标管理"]["等级"][0]["名称"] else []
    out += [""] + [f"说明：{n}" for n in notes]
    return "\n".join(out).rstrip() + "\n"


def as_json(units: list[Unit], notes: list[str], policy) -> str:
    return json.dumps({"概况": summary(units, policy), "单位": [u.as_dict() for u in units], "说明": notes},
                      ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- the city's table (dangan grade --report)

REPORT_TITLE = "干部人事档案目标管理定级情况"
REPORT_HEADER = ("管档单位", "卷数", "参评", "总分", "等级", "上年等级", "变化", "未整改", "其中逾期", "最近检查验收")


def report_rows(units: list[Unit], policy) -> list[dict]:
    """One row per 管档单位: the figures of the city table (text, json and html alike)."""
    return [dict(zip(REPORT_HEADER, (
        u.name, u.volumes, u.eligible, u.total, u.grade, u.last_year or "—", change(u, policy), len(u.open_fixes),
        u.overdue_fixes, u.inspection.get("日期") if u.inspection else "未检查"), strict=True)) for u in units]


def report_text(units: list[Unit], notes: list[str], policy, as_of: dt.date) -> str:
    from ..textable import table_text as text_table

    rows = [[str(r["管档单位"]), str(r["卷数"]), "是" if r["参评"] else "否",
             "—" if r["总分"] is None else str(num(r["总分"])), str(r["等级"]), str(r["上年等级"]), str(r["变化"]),
             str(r["未整改"]), str(r["其中逾期"]), str(r["最近检查验收"])] for r in report_rows(units, policy)]
    out = [f"{REPORT_TITLE}（截至 {day_text(as_of)}）", summary(units, policy), "", text_table(list(REPORT_HEADER), rows, {1, 3, 7, 8})]
    opened = [(u, f) for u in units for f in u.open_fixes]
    if opened:
        out += ["", "未整改的问题："]
        out += [f"  {u.name} {f.label()} {f.problem.get('问题')}（整改期限 {f.problem.get('整改期限')}"
                f"{f'，逾期 {f.overdue_days} 天' if f.overdue else ''}）" for u, f in opened]
    out += [""] + [f"说明：{n}" for n in notes]
    return "\n".join(out).rstrip() + "\n"


def report_json(units: list[Unit], notes: list[str], policy, as_of: dt.date) -> str:
    return json.dumps({"标题": REPORT_TITLE, "截至": day_text(as_of), "概况": summary(units, policy),
                       "单位": [r | {"未整改的问题": [{"问题": f.label(), "内容": f.problem.get("问题"),
                                                   "整改期限": f.problem.get("整改期限"), "逾期天数": f.overdue_days}
                                                  for f in u.open_fixes]}
                              for r, u in zip(report_rows(units, policy), units, strict=True)],
                       "说明": notes}, ensure_ascii=False, indent=2) + "\n"


def report_html(units: list[Unit], notes: list[str], policy, as_of: dt.date) -> str:
    """The city table as a printable A4 page."""
    import html

    from .report import PRINT_CSS

    e = html.escape
    body = "".join(
        "<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in (
            r["管档单位"], r["卷数"], "是" if r["参评"] else "否", "—" if r["总分"] is None else num(r["总分"]),
            r["等级"], r["上年等级"], r["变化"], r["未整改"], r["其中逾期"], r["最近检查验收"])) + "</tr>"
        for r in report_rows(units, policy))
    opened = "".join(f"<li>{e(u.name)} {e(f.label())} {e(str(f.problem.get('问题')))}（整改期限 "
                     f"{e(str(f.problem.get('整改期限')))}{f'，逾期 {f.overdue_days} 天' if f.overdue else ''}）</li>"
                     for u in units for f in u.open_fixes)
    from ..privacy import scrub

    return scrub(f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{e(REPORT_TITLE)}</title><style>{PRINT_CSS}</style></head><body>
<h1>{e(REPORT_TITLE)}</h1>
<p>截至 {e(day_text(as_of))}。{e(summary(units, policy))}</p>
<table><thead><tr>{''.join(f'<th>{e(h)}</th>' for h in REPORT_HEADER)}</tr></thead><tbody>{body}</tbody></table>
{f'<h2>未整改的问题</h2><ul>{opened}</ul>' if opened else ''}
{''.join(f'<p>说明：{e(n)}</p>' for n in notes)}
</body></html>
""")


def intakes(repo: Repo) -> list[dict]:
    """The entries of the transfer register (转入 with their frozen 新任评分, 退回 …); [] before there is one."""
    src = ledgers.read(repo, ledgers.TRANSFER)
    data = src.data if src else []
    return [e for e in data if isinstance(e, dict)] if isinstance(data, list) else []


def graded(repo: Repo, ctx, entries: list[dict] | None = None, fixes_as_of: dt.date | None = None, known=None,
           each=None):
    """Every dossier scored (received ones by their score frozen at intake) and every unit graded as of
    ``ctx.today``: what `dangan grade` and the site's grading page both show (``known``: as for ``gather_all``;
    ``each(case)``: called once a case is scored, while its key facts are at hand — the site builds its 任前审核
    and 专项审核 there and lets them go, so that 50,000 cases never hold their key facts at once).
    Returns (cases, scores, units, notes)."""
    from . import gather_all
    from .score import names_of, score, with_frozen

    cases = gather_all(repo, ctx.today, ctx, known)
    names = names_of(cases)
    scored = {}
    for c in cases:
        with c.opened():  # the site's cases hold their light data only: the whole of it, one case at a time
            scored[c.number] = score(c, ctx.policy, names, today=ctx.today)
            if each is not None:
                each(c)
    scores = with_frozen(scored, intakes(repo))
    months = ctx.policy["新任干部档案评分"].get("统计月数", 12)
    units, notes = grade_units(repo, cases, scores, ctx.policy, ctx.today, months, entries, fixes_as_of)
    return cases, scores, units, notes


def entry_unit(repo: Repo, entry: dict, names: list[str]) -> str | None:
    """The 管档单位 a register entry concerns when its dossier is not in dossiers/: a transferred-out one's last
    committed 管档单位, a 退回 (never entered) its 经办人's unit. For a unit's own site (site/build.py)."""
    number = entry.get("编号")
    if isinstance(number, str) and number:
        return _deleted_unit(repo, number)
    return _handling_unit(entry, names)
