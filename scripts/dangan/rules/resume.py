"""工作经历: the 简历 is continuous, ordered, starts where work (or 大中专 study) started."""

from __future__ import annotations

from ..dates import month_index, month_text
from . import items


def _spans(data):
    """(index, start, end-or-None, entry) for every well-formed 简历 entry."""
    out = []
    for i, entry in enumerate(items(data, "简历")):
        if isinstance(entry, dict):
            start = month_index(entry.get("起始"))
            if start is not None:
                out.append((i, start, month_index(entry.get("截止")), entry))
    return out


def continuity(doc, ctx, out):
    data = doc.data
    spans = _spans(data)
    tolerance = ctx.policy.get("简历衔接容差月数", default=1)
    now = ctx.today.year * 12 + ctx.today.month - 1
    for n, (i, start, end, _entry) in enumerate(spans):
        if end is not None and end < start:
            out.error(("简历", i, "截止"), "R302", f"简历第 {i + 1} 段的截止年月早于起始年月")
        if end is None and n != len(spans) - 1:
            out.error(("简历", i, "截止"), "R303", f"简历第 {i + 1} 段没有截止年月，只有最后一段（至今）可以不写")
        if start > now:
            out.error(("简历", i, "起始"), "R206", f"简历第 {i + 1} 段的起始年月晚于今天")
        if n == 0:
            continue
        j, _pstart, pend, _ = spans[n - 1]
        if start < _pstart:
            out.error(("简历", i, "起始"), "R301", f"简历第 {i + 1} 段早于第 {j + 1} 段：请按时间顺序排列")
            continue
        if pend is None:
            continue
        if start - pend > tolerance:
            out.error(("简历", i, "起始"), "R304",
                      f"简历第 {j + 1} 段（止于 {month_text(pend)}）与第 {i + 1} 段（始于 {month_text(start)}）之间空断 "
                      f"{start - pend - 1} 个月：简历须前后衔接，休学、待分配等也要写明")
        elif start < pend:
            out.error(("简历", i, "起始"), "R305",
                      f"简历第 {i + 1} 段（始于 {month_text(start)}）与第 {j + 1} 段（止于 {month_text(pend)}）重叠 "
                      f"{pend - start} 个月：同时期的学习、挂职请写在“其间”中")
    if spans and spans[-1][2] is not None and spans[-1][2] < now - 1:
        i = spans[-1][0]
        out.warn(("简历", i, "截止"), "R307", "简历最后一段已截止：现任职务的一段应写到“至今”（截止填 null）")


def first_entry(doc, ctx, out):
    data = doc.data
    spans = _spans(data)
    work = month_index(data.get("参加工作时间"))
    if not spans or work is None:
        return
    i, start, _end, entry = spans[0]
    if entry.get("性质") != "学习" and start != work:
        out.error(("简历", i, "起始"), "R306",
                  f"简历从 {month_text(start)} 开始，与参加工作时间（{month_text(work)}）不一致："
                  "简历应从参加工作（或参加工作前的大中专学习）开始")
    first_work = next((s for s in spans if s[3].get("性质") == "工作"), None)
    if first_work and first_work[1] != work and entry.get("性质") == "学习":
        out.error(("简历", first_work[0], "起始"), "R306",
                  f"简历中第一段工作始于 {month_text(first_work[1])}，与参加工作时间（{month_text(work)}）不一致")


def fulltime_overlap(doc, ctx, out):
    data = doc.data
    work_spans = [(i, s, e if e is not None else 10**9) for i, s, e, entry in _spans(data) if entry.get("性质") == "工作"]
    for k, edu in enumerate(items(data, "学历学位")):
        if not isinstance(edu, dict) or edu.get("类别") != "全日制":
            continue
        start, end = month_index(edu.get("入学时间")), month_index(edu.get("毕业时间"))
        if start is None or end is None:
            continue
        for i, ws, we in work_spans:
            overlap = min(end, we) - max(start, ws)
            if overlap > 1:
                out.warn(("学历学位", k, "类别"), "R308",
                         f"全日制学习（{month_text(start)}–{month_text(end)}）与简历第 {i + 1} 段工作重叠 {overlap} 个月："
                         "工作期间取得的学历一般为在职教育，请核实是否符合全日制认定条件")
                break


RULES = [continuity, first_entry, fulltime_overlap]
