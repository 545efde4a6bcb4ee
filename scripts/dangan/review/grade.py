"""目标管理: grade each 管档单位 by the policy's rubric (目标管理.等级), from the same facts as check/score.

Measures per unit: volumes held (dossiers), 完整率 (share of dossiers without a C5xx finding), findings per
100 volumes, unauthorised alterations in the Git trail, overdue 回执 and overdue loans (from the ledgers),
and the average score of recent intake (新任干部档案评分). Units below 参评卷数 are graded for reference only.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from .. import ledgers
from ..dates import day_text
from ..repo import Repo
from . import Case
from .score import Score, num, recent

NONE = "未达标"


@dataclass
class Unit:
    name: str
    volumes: int = 0
    complete: int = 0
    findings: int = 0
    unauthorised: int = 0
    receipts: int = 0  # overdue 回执 of 转出
    loans: int = 0  # overdue loans
    intake: list[Score] = field(default_factory=list)
    grade: str = ""
    eligible: bool = False
    reasons: list[str] = field(default_factory=list)  # why not the next grade up

    @property
    def rate(self) -> float:
        return 100.0 * self.complete / self.volumes if self.volumes else 100.0

    @property
    def per100(self) -> float:
        return 100.0 * self.findings / self.volumes if self.volumes else 0.0

    @property
    def overdue(self) -> int:
        return self.receipts + self.loans

    @property
    def average(self) -> float | None:
        return sum(s.total for s in self.intake) / len(self.intake) if self.intake else None

    def as_dict(self) -> dict:
        return {"管档单位": self.name, "卷数": self.volumes, "参评": self.eligible, "完整率": round(self.rate, 1),
                "每百卷问题": round(self.per100, 1), "未经认定改动": self.unauthorised, "逾期未回执": self.receipts,
                "逾期未还": self.loans, "新任档案": len(self.intake),
                "新任平均分": None if self.average is None else round(self.average, 2), "等级": self.grade,
                "未达上一等级的原因": self.reasons}


def _measures(u: Unit) -> dict:
    return {"完整率不低于": (u.rate, ">="), "每百卷问题不超过": (u.per100, "<="),
            "未经认定改动不超过": (u.unauthorised, "<="), "逾期不超过": (u.overdue, "<="),
            "新任评分不低于": (u.average, ">=")}


def judge(u: Unit, policy) -> None:
    """The first grade (top down) whose every bound holds; an absent average (no intake) is not held against it."""
    conf = policy["目标管理"]
    u.eligible = u.volumes >= conf["参评卷数"]
    u.reasons = []
    for level in conf["等级"]:
        misses = []
        for key, (value, op) in _measures(u).items():
            if key not in level or value is None:
                continue
            bound = level[key]
            if (op == ">=" and value < bound) or (op == "<=" and value > bound):
                misses.append(f"{key.removesuffix('不低于').removesuffix('不超过')} {num(round(value, 2))}"
                              f"（{level['名称']}要求{'≥' if op == '>=' else '≤'} {num(bound)}）")
        if not misses:
            u.grade = level["名称"]
            return
        u.reasons = misses
    u.grade = NONE


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


def overdue(repo: Repo, as_of: dt.date, unit_of: dict[str, str]) -> tuple[dict[str, int], dict[str, int], list[str]]:
    """Overdue 回执 and loans per unit, and notes on what could not be read."""
    receipts: dict[str, int] = {}
    loans: dict[str, int] = {}
    notes = []
    for r in ledgers.missing_receipts(repo, as_of):
        number = str(r.entry.get("编号"))
        unit = unit_of.get(number) or _deleted_unit(repo, number) or "（单位不明）"
        receipts[unit] = receipts.get(unit, 0) + 1
    if not ledgers.path_of(repo, ledgers.BORROW).exists():
        notes.append("没有借阅登记簿（ledgers/借阅.yaml）：逾期未还按 0 计")
    else:
        for loan in ledgers.overdue_loans(repo, as_of):
            unit = unit_of.get(str(loan.entry.get("编号"))) or "（单位不明）"
            loans[unit] = loans.get(unit, 0) + 1
    return receipts, loans, notes


def grade_units(repo: Repo, cases: list[Case], scores: dict[str, Score], policy, as_of: dt.date,
                months: int) -> tuple[list[Unit], list[str]]:
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
    receipts, loans, notes = overdue(repo, as_of, unit_of)
    for name, n in receipts.items():
        units.setdefault(name, Unit(name)).receipts = n
    for name, n in loans.items():
        units.setdefault(name, Unit(name)).loans = n
    for u in units.values():
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
                   f"  逾期未回执 {u.receipts}  逾期未还 {u.loans}  新任平均 {avg}")
        out += [f"  未达上一等级：{r}" for r in u.reasons] if u.grade != policy["目标管理"]["等级"][0]["名称"] else []
    out += [""] + [f"说明：{n}" for n in notes]
    return "\n".join(out).rstrip() + "\n"


def as_json(units: list[Unit], notes: list[str], policy) -> str:
    return json.dumps({"概况": summary(units, policy), "单位": [u.as_dict() for u in units], "说明": notes},
                      ensure_ascii=False, indent=2) + "\n"
