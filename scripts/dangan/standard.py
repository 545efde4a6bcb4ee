"""The 考评标准 of 目标管理 as data (policy 目标管理.考评标准): categories, items, points, and how each is scored.

An item is scored either by the inspectors (计分: 检查, from the unit's latest entry of ledgers/检查验收.yaml) or
from the data (完整率, 每百卷问题, 逾期, 未经认定改动, 新任档案评分): full points within the 满分线, and 扣分 for
every 每差 beyond it (proportionally), never below 0. Which parts follow 组通字〔1996〕55号/〔1998〕13号 and which
are local is said in schema/policy.yaml and docs/manual/review.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from .policy import PolicyError

INSPECTED = "检查"
HIGHER_BETTER = ("完整率", "新任档案评分")  # the others: lower is better


@dataclass(frozen=True)
class Item:
    category: str
    name: str
    points: float
    how: str  # 检查 or the measure
    text: str = ""  # 要求 (what the inspectors look at)
    full_at: float = 0.0  # 满分线
    step: float = 1.0  # 每差
    deduct: float = 0.0  # 扣分

    @property
    def inspected(self) -> bool:
        return self.how == INSPECTED

    def from_data(self, value: float | None) -> float:
        """The points for a measured value; None (e.g. no new intake) is not held against the unit."""
        if value is None:
            return self.points
        gap = self.full_at - value if self.how in HIGHER_BETTER else value - self.full_at
        if gap <= 0:
            return self.points
        return max(0.0, round(self.points - gap / self.step * self.deduct, 2))

    def rule(self) -> str:
        """How the item is scored, in words (for reports and the 申报材料)."""
        if self.inspected:
            return "检查验收组现场评分"
        bound = "不低于" if self.how in HIGHER_BETTER else "不超过"
        unit = "%" if self.how == "完整率" else ""
        return (f"{self.how}{bound} {num(self.full_at)}{unit} 得满分，每差 {num(self.step)}{unit} 扣 {num(self.deduct)} 分，"
                "扣完为止")


def points_of(value) -> float | None:
    """A score as a register keeps it: an integer, a number, or text such as "4.5" (YAML here has no floats)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def stored(x: float) -> int | str:
    """Points as a register keeps them: an integer, or text such as "4.5"."""
    return int(x) if float(x).is_integer() else f"{round(x, 2):g}"


def num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def standard(policy) -> list[Item]:
    """The items of the policy's 考评标准 ([] when the policy has none: grade by the levels' bounds only)."""
    out: list[Item] = []
    seen: set[str] = set()
    for cat in policy.get("目标管理", "考评标准", default=None) or []:
        for it in cat["项目"]:
            name = it["项目"]
            if name in seen:
                raise PolicyError(f"{policy.path}: 目标管理.考评标准 中项目“{name}”出现了两次：项目名称不得重复")
            seen.add(name)
            out.append(Item(cat["类别"], name, float(it["分值"]), it["计分"], it.get("要求", ""),
                            float(it.get("满分线", 0)), float(it.get("每差", 1)), float(it.get("扣分", 0))))
    return out


def total_points(items: list[Item]) -> float:
    return sum(i.points for i in items)


def find(items: list[Item], name: str) -> Item | None:
    """The inspected item named exactly, or the one whose name contains ``name`` (None when none or several)."""
    pool = [i for i in items if i.inspected]
    exact = [i for i in pool if i.name == name]
    if exact:
        return exact[0]
    near = [i for i in pool if name and name in i.name]
    return near[0] if len(near) == 1 else None
