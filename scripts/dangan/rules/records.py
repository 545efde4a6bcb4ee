"""What each material says (档案目录[…].记载) against the dossier, and paper alterations found (….涂改).

The dossier follows the earliest record (《干部人事档案工作条例》; 组通字〔2006〕41号 for 出生年月): among the
materials that record a fact, the one formed first. A material dated only to the year or month covers that whole
span, so it is earlier than another only when its span ends before the other's begins; two materials that cannot
be ordered and say different things are a tie, reported (R603), never guessed.
"""

from __future__ import annotations

import datetime as dt

from ..dates import parse_partial
from . import items

# the facts a dossier holds as one value at the top level, compared with the materials' 记载
SCALARS = ("姓名", "出生年月", "参加工作时间", "入党时间", "民族", "籍贯")
RECORDED = (*SCALARS, "学历", "学位")


def span(formed: object) -> tuple[dt.date, dt.date] | None:
    """(first day, last day) a 形成时间 can mean."""
    parsed = parse_partial(formed)
    if parsed is None:
        return None
    start, parts = parsed
    if parts == 3:
        return start, start
    if parts == 2:
        nxt = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return start, nxt - dt.timedelta(days=1)
    return start, dt.date(start.year, 12, 31)


def records_of(data: dict) -> dict[str, list[tuple[int, str, str, tuple | None]]]:
    """fact → [(catalog position, 顺序号 and name, value, span of 形成时间)] in catalog order."""
    out: dict[str, list] = {}
    for i, entry in enumerate(items(data, "档案目录")):
        if not isinstance(entry, dict) or not isinstance(entry.get("记载"), dict):
            continue
        ref = f"{entry.get('类号')}-{entry.get('序号')} {entry.get('材料名称', '')}"
        for fact in RECORDED:
            value = entry["记载"].get(fact)
            if isinstance(value, str):
                out.setdefault(fact, []).append((i, ref, value, span(entry.get("形成时间"))))
    return out


def earliest(recs: list[tuple]) -> tuple[list[tuple], bool]:
    """The records no other record is known to precede, and whether they disagree (a tie)."""
    dated = [r for r in recs if r[3] is not None]
    first = [r for r in dated if not any(o[3][1] < r[3][0] for o in dated if o is not r)]
    return first, len({r[2] for r in first}) > 1


def _determined(data: dict, fact: str, value: object) -> list[dict]:
    return [e for e in items(data, "认定记录")
            if isinstance(e, dict) and e.get("项目") == fact and e.get("认定值") == str(value)]


def agreement(doc, ctx, out):
    data = doc.data
    strict = ctx.policy.get("材料记载", "出生年月认定从严", default=None)
    for fact, recs in records_of(data).items():
        first, tie = earliest(recs)
        # settled: determined to the earliest record's value (the 认定 is what 须查清并认定 asks for)
        settled = bool(first) and not tie and fact in SCALARS and data.get(fact) is not None \
            and str(data.get(fact)) == first[0][2] and bool(_determined(data, fact, data.get(fact)))
        if len({r[2] for r in recs}) > 1 and not settled:
            listed = "；".join(f"{ref}：{value}" for _i, ref, value, _s in recs)
            out.warn(("档案目录", recs[0][0], "记载", fact), "R601", f"各材料记载的{fact}不一致（{listed}），须查清并认定")
        if not first:
            continue
        if tie:
            listed = "；".join(f"{ref}：{value}" for _i, ref, value, _s in first)
            out.warn(("档案目录", first[0][0], "形成时间"), "R603",
                     f"{fact}的最早记载无法确定：{listed} 的形成时间分不出先后，记载却不同；请核实形成时间")
            continue
        if fact not in SCALARS or fact not in data:
            continue
        current, (_i, ref, value, _s) = data.get(fact), first[0]
        if current is None or str(current) == value:
            continue
        determined = _determined(data, fact, current)
        if not determined:
            # a warning, not an error: the material that reveals it must be filed and committed when it arrives
            # (and it is the 依据 of the 认定 that settles it); the 任前审核 holds the dossier until then
            out.warn((fact,), "R602", f"{fact}“{current}”与最早记载不一致（{ref}：{value}），也没有认定记录："
                                      "以最早记载为准，或经组织认定（dangan determine）；查清之前任前审核暂缓")
            continue
        catalog = {f"{e.get('类号')}-{e.get('序号')}": e for e in items(data, "档案目录") if isinstance(e, dict)}
        for record in determined:
            basis = [b for b in record.get("依据") or [] if isinstance(b, str)]
            if not any(b.startswith("5-") and b in catalog for b in basis):
                out.error((fact,), "R604", f"{fact}认定为“{current}”，不是最早记载的“{value}”（{ref}）：这样的认定须以"
                                           "第五类的批复或组织说明为依据，依据中却没有第五类材料")
            if fact == "出生年月" and strict and str(record.get("认定日期", "")) >= strict:
                out.warn((fact,), "R605", f"出生年月在 {record.get('认定日期')} 认定为“{current}”，不是最早记载的“{value}”："
                                          f"{strict} 以后（组通字〔2006〕41号）对出生年月的认定原则上不再更改，须特别审慎")


def alterations(doc, ctx, out):
    for i, entry in enumerate(items(doc.data, "档案目录")):
        if not isinstance(entry, dict):
            continue
        name = f"{entry.get('类号')}-{entry.get('序号')} {entry.get('材料名称', '')}"
        for j, alt in enumerate(items(entry, "涂改")):
            if not isinstance(alt, dict):
                continue
            where = ("档案目录", i, "涂改", j)
            if alt.get("造假") is True:
                out.error((*where, "造假"), "R607", f"{name}的{alt.get('部位')}经查属涂改造假（所涉 {alt.get('所涉项目')}）："
                                                  "任前审核不予通过")
            elif alt.get("处理") == "待处理":
                out.warn((*where, "处理"), "R606", f"{name}的{alt.get('部位')}有涂改（所涉 {alt.get('所涉项目')}，"
                                                 f"{alt.get('发现人')} {alt.get('发现日期')} 发现），尚待处理")
            elif alt.get("处理材料") is None:
                out.warn((*where, "处理"), "R608", f"{name}的涂改已“{alt.get('处理')}”，却没有写明记载处理结果的材料"
                                                 "（处理材料：顺序号）")


RULES = [agreement, alterations]
