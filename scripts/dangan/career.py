"""What a cadre's record says about an appointment: Party posts, 预备期, 影响期, 任职资格 figures.

Pure functions over a dossier's data and the policy's numbers (schema/policy.yaml 任前审核 sections);
the rules (check), 任前审核 (review) and ``query`` all read the same figures from here.
Months are ``dates.month_index`` numbers; years are whole years (floor of months / 12).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .dates import month_index, month_text

MEMBERS = ("中共党员", "中共预备党员")


def now_month(today: dt.date) -> int:
    return today.year * 12 + today.month - 1


def party_post(text: object, words: list[str], excluded: list[str], outside: Sequence[str] = ()) -> str | None:
    """The first Party-post word in a post's text (党委书记, 常委, 组织部 …), ignoring the excluded
    phrases (书记员, 书记助理); None when there is none, or the text names a body outside the Party (民盟)."""
    if not isinstance(text, str) or any(o in text for o in outside):
        return None
    cleaned = text
    for phrase in excluded:
        cleaned = cleaned.replace(phrase, "　" * len(phrase))
    return next((w for w in words if w in cleaned), None)


def party_posts(data: dict, policy: dict) -> list[tuple[tuple[str | int, ...], str, str]]:
    """(path, post, word) for 现任职务 and every 工作 segment of the 简历 that names a Party post
    (``policy``: the policy's 党内职务 section)."""
    words, excluded, outside = policy.get("关键词") or [], policy.get("不含") or [], policy.get("党外组织") or []
    out: list[tuple[tuple[str | int, ...], str, str]] = []
    word = party_post(data.get("现任职务"), words, excluded, outside)
    if word:
        out.append((("现任职务",), data["现任职务"], word))
    for i, seg in enumerate(data.get("简历") or []):
        if isinstance(seg, dict) and seg.get("性质") == "工作":
            word = party_post(seg.get("内容"), words, excluded, outside)
            if word:
                out.append((("简历", i, "内容"), seg["内容"], word))
    return out


def probation_months(data: dict, today: dt.date) -> int | None:
    """Months since 入党时间 for a 中共预备党员 (None otherwise)."""
    if data.get("政治面貌") != "中共预备党员":
        return None
    joined = month_index(data.get("入党时间"))
    return None if joined is None else now_month(today) - joined


# ---------------------------------------------------------------- 影响期

@dataclass
class Sanction:
    index: int  # position in 奖惩情况
    kind: str  # 党纪处分, 政务处分, 诫勉, 组织处理
    name: str  # the entry's 名称
    key: str | None  # the policy's name it matched (None: unknown)
    start: int | None  # month of the decision
    released: int | None  # month of 解除时间
    months: int | None  # the period (None: no end — 开除; or unknown key)
    from_release: bool  # counted from 解除时间 (留党察看)
    organ: str

    @property
    def end(self) -> int | None:
        """Month the period ends (exclusive: from this month on it is over); None: never, or cannot tell."""
        if self.key is None or self.months is None:
            return None
        base = self.released if self.from_release else self.start
        return None if base is None else base + self.months

    def open_at(self, month: int) -> bool:
        """Still within its period (a period with no end never closes)."""
        if self.key is None:
            return False
        if self.months is None:
            return True
        end = self.end
        return end is None or month < end

    def describe(self) -> str:
        when = month_text(self.start) if self.start is not None else "时间不详"
        head = f"{when} {self.organ} {self.kind}“{self.name}”"
        if self.key is None:
            return head + "（影响期无法确定）"
        if self.months is None:
            return head + "（不得再任用）"
        end = self.end
        if end is None:
            return head + "（尚未解除，影响期从解除时算起）"
        return head + f"（影响期 {self.months} 个月，至 {month_text(end)}）"


def kind_of(entry: dict) -> str | None:
    """An entry's kind for 影响期: 诫勉 and 组织处理 by 类别, a 处分 by its 种类 (None: a reward or unknown)."""
    category = entry.get("类别")
    if category in ("诫勉", "组织处理"):
        return category
    if category == "处分":
        return entry.get("种类") if entry.get("种类") in ("党纪处分", "政务处分") else None
    return None


def sanctions(data: dict, periods: dict, from_release: list[str]) -> list[Sanction]:
    """Every 处分/诫勉/组织处理 entry of 奖惩情况, matched to the policy's 影响期 (longest name first)."""
    out = []
    for i, entry in enumerate(data.get("奖惩情况") or []):
        if not isinstance(entry, dict) or entry.get("类别") in (None, "奖励"):
            continue
        kind = kind_of(entry)
        name: str = entry["名称"] if isinstance(entry.get("名称"), str) else ""
        table = (periods or {}).get(kind) or {}
        key = next((k for k in sorted(table, key=len, reverse=True) if k in name), None)
        out.append(Sanction(i, kind or "处分（种类不明）", name, key, month_index(entry.get("时间")),
                            month_index(entry.get("解除时间")), table.get(key) if key else None,
                            key in (from_release or []), str(entry.get("批准机关") or "")))
    return out


# ---------------------------------------------------------------- 任职资格 figures

def work_years(data: dict, today: dt.date) -> int | None:
    """工龄: whole years since 参加工作时间."""
    start = month_index(data.get("参加工作时间"))
    return None if start is None else max(0, (now_month(today) - start) // 12)


def _segments(data: dict, today: dt.date):
    """(start, end, segment) for each 工作 segment with readable months (至今 ends this month)."""
    for seg in data.get("简历") or []:
        if not isinstance(seg, dict) or seg.get("性质") != "工作":
            continue
        start = month_index(seg.get("起始"))
        end = now_month(today) if seg.get("截止") is None else month_index(seg.get("截止"))
        if start is not None and end is not None and end >= start:
            yield start, end, seg


def grassroots_years(data: dict, today: dt.date, words: list[str]) -> int:
    """基层经历年限: whole years of 工作 segments whose text names a 县级以下 place or body (policy words)."""
    months = sum(end - start for start, end, seg in _segments(data, today)
                 if any(w in str(seg.get("内容") or "") for w in words))
    return months // 12


def level_months(data: dict, today: dt.date, levels: dict) -> int | None:
    """Months at the current 职级's 层次: back from today through the unbroken run of 工作 segments
    at that 层次 (a change of post at the same 层次 keeps counting). None: no 职级 or no such segment."""
    level = levels.get(data.get("职级")) if isinstance(data.get("职级"), str) else None
    if level is None:
        return None
    run_start = None
    for start, _end, seg in sorted(_segments(data, today), key=lambda s: s[0], reverse=True):
        seg_level = levels.get(seg.get("职级")) if isinstance(seg.get("职级"), str) else None
        if seg_level != level:
            if run_start is not None:
                break
            continue
        run_start = start
    return None if run_start is None else now_month(today) - run_start


def level_years(data: dict, today: dt.date, levels: dict) -> int | None:
    """任现职年限: whole years at the current 职级's 层次."""
    months = level_months(data, today, levels)
    return None if months is None else months // 12
