"""What bars an appointment: 影响使用 (任用条例 2019 第二十四条) and 任职资格 (第八条).

Each check returns ``Bar`` lines; ``report`` turns the policy's 不予通过情形 into a verdict with them.
The numbers are the policy's (任前审核.影响使用, 任前审核.任职资格); the sources are in docs/manual/review.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .. import career
from ..codes import CodeTables


@dataclass
class Check:
    """One bar's outcome: ``failed`` lines bar the appointment; ``notes`` are shown, never counted."""

    name: str
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def last_assessment(data: dict, today: dt.date, policy) -> Check:
    """上一年年度考核结果为基本称职以下等次的，不得列为考察对象 (第二十四条第五项)."""
    low = policy.get("任前审核", "影响使用", "年度考核等次", default=[]) or []
    c = Check("年度考核")
    years = {a.get("年度"): a.get("结果") for a in data.get("年度考核") or [] if isinstance(a, dict)}
    past = sorted(y for y in years if isinstance(y, int) and y <= today.year - 1)
    if not past:
        c.notes.append("没有上一年度及以前的年度考核结果")
        return c
    year = past[-1]
    result = years[year]
    if year != today.year - 1:
        c.notes.append(f"上一年度（{today.year - 1}）的考核结果尚未归档，按最近的 {year} 年度核对")
    line = f"{year} 年度考核：{result}"
    (c.failed if result in low else c.notes).append(line)
    return c


def impact_periods(data: dict, today: dt.date, policy) -> Check:
    """受到诫勉、组织处理或者党纪政务处分等影响期未满的 (第二十四条第六项)."""
    rule = policy.get("任前审核", "影响使用", default={}) or {}
    c = Check("影响期")
    now = career.now_month(today)
    for s in career.sanctions(data, rule.get("影响期") or {}, rule.get("自解除时间起算") or []):
        if s.open_at(now):
            c.failed.append(s.describe() + "，影响期未满")
        elif s.key is None:
            c.notes.append(s.describe())  # R217 (a check warning) holds the review
        else:
            c.notes.append(s.describe() + "，影响期已满")
    return c


def _parity(level: int) -> str:
    """正职 or 副职 of a 层次 (3 乡科级副职, 4 乡科级正职, 5 县处级副职 …; 职级 by their 层次)."""
    return "副职" if level % 2 else "正职"


def qualifications(data: dict, today: dt.date, policy, codes: CodeTables, target: str | None) -> Check:
    """任职资格 for a promotion to ``target`` (a 职级 of codes/rank.json)."""
    rule = policy.get("任前审核", "任职资格", default={}) or {}
    c = Check("任职资格")
    levels = codes.rank_level
    if not target:
        c.notes.append("没有给出拟任职级（--rank），未核对任职资格")
        return c
    current = data.get("职级")
    have, want = levels.get(current), levels[target]
    kind = (codes.rank_kind or {}).get(target)
    if have is None:
        c.failed.append(f"现任职级“{current}”无法确定，不能核对任职资格")
        return c
    if want <= have:
        c.notes.append(f"拟任职级 {target} 不高于现任 {current}，不是提拔，不核对任职资格")
        return c
    if kind and kind != "领导职务":
        c.notes.append(f"拟任 {target} 是{kind}晋升，不适用任用条例第八条")
        return c
    c.notes.append(f"拟由 {current} 提任 {target}")
    work = career.work_years(data, today)
    need = rule.get("工龄") or {}
    if need and want >= need["最低层次"]:
        line = f"工龄 {work if work is not None else '不详'} 年（须 {need['年数']} 年以上）"
        (c.failed if work is None or work < need["年数"] else c.notes).append(line)
    need = rule.get("基层经历") or {}
    if need and want >= need["最低层次"]:
        years = career.grassroots_years(data, today, rule.get("基层单位包含") or [])
        (c.failed if years < need["年数"] else c.notes).append(f"基层工作经历 {years} 年（须 {need['年数']} 年以上）")
    if want - have >= 2:
        c.failed.append(f"拟任职级比现任高 {want - have} 个层次（越级提拔）：须按任用条例第九条破格提拔的规定另行报批")
    elif want >= 5:
        held = career.level_years(data, today, levels)
        shown = "不详" if held is None else f"{held} 年"
        if _parity(have) == "副职":
            need_years, post = rule.get("副职提任正职年数", 2), "副职岗位"
        else:
            need_years, post = rule.get("下级正职提任上级副职年数", 3), "下级正职岗位"
        line = f"在{post}（{current}）工作 {shown}（须 {need_years} 年以上）"
        (c.failed if held is None or held < need_years else c.notes).append(line)
    best = None
    for item in data.get("学历学位") or []:
        value = item.get("学历") if isinstance(item, dict) else None
        if isinstance(value, str) and value.endswith("毕业") and value in codes.education_level:
            level = codes.education_level[value]
            if best is None or level > best[0]:
                best = (level, value)
    required = [r for r in rule.get("学历") or [] if want >= r["最低层次"]]
    if required:
        need_edu = max(required, key=lambda r: r["最低层次"])["学历"]
        need_level = codes.education_level.get(need_edu)
        line = f"学历 {best[1] if best else '无毕业学历'}（须{need_edu}以上）"
        (c.failed if need_level is not None and (best is None or best[0] < need_level) else c.notes).append(line)
    return c
