"""Completeness: which materials must be in the file. Every number and list is in the policy file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from ..dates import month_index, month_text
from ..findings import ERROR
from . import catalog_index, items
from .records import span


@dataclass(frozen=True)
class Owed:
    """A material the file should hold and does not: a finding, and an item to chase (``dangan owed``)."""

    path: tuple
    severity: str
    code: str
    message: str
    cls: str  # 类号 it belongs to
    material: str  # what to send, e.g. "2019年度考核登记表"

    def key(self) -> tuple[str, str]:
        return self.cls, self.material


def _severity(conf) -> str:
    return conf.get("级别", ERROR)


def _title_has(entry, names) -> bool:
    title = entry.get("材料名称")
    return isinstance(title, str) and any(n in title for n in names)


def _appointment_forms(data: dict, ctx) -> Iterator[Owed]:
    conf = ctx.policy.get("完整性", "任免审批表")
    if not conf:
        return
    since = month_index(conf["起始年月"])
    if since is None:
        return
    index = catalog_index(data)
    names = conf["材料名称包含"]
    for i, entry in enumerate(items(data, "简历")):
        if not isinstance(entry, dict) or entry.get("性质") != "工作":
            continue
        level = ctx.rank_levels.get(entry.get("职级"), 0)
        start = month_index(entry.get("起始"))
        if start is None or start < since or level < conf["最低职级层次"]:
            continue
        given = entry.get("依据")
        basis: list = given if isinstance(given, list) else []
        if not any(str(index[b].get("类号")) == conf["类号"] and _title_has(index[b], names)
                   for b in basis if isinstance(b, str) and b in index):
            yield Owed(("简历", i), _severity(conf), "C501",
                       f"简历第 {i + 1} 段（{month_text(start)} 起任{entry.get('职级')}）缺少《干部任免审批表》："
                       f"应归入 {conf['类号']} 类，并在该段的“依据”中列出其顺序号",
                       conf["类号"], f"干部任免审批表（{month_text(start)} 任{entry.get('内容') or entry.get('职级')}）")


def missing_assessment_years(data: dict, policy, today: dt.date) -> list[int]:
    """The years whose 年度考核 result the file lacks as of ``today``: from the year after 参加工作 (not before
    完整性.年度考核.起始年度) to the last year due (due from 次年要求日期 of the next year); years spent wholly in
    study (脱产学习), 休学 or 待分配 carry none."""
    conf = policy.get("完整性", "年度考核")
    work = month_index(data.get("参加工作时间"))
    if not conf or work is None:
        return []
    month, day = (int(x) for x in conf["次年要求日期"].split("."))
    last = today.year - 1 if today >= dt.date(today.year, month, day) else today.year - 2
    first = max(conf["起始年度"], work // 12 + 1)
    have = {e.get("年度") for e in items(data, "年度考核") if isinstance(e, dict)}
    study = [(month_index(e.get("起始")), month_index(e.get("截止")))
             for e in items(data, "简历") if isinstance(e, dict) and e.get("性质") in ("学习", "休学", "待分配")]
    return [y for y in range(first, last + 1) if y not in have
            and not any(s is not None and e is not None and s <= y * 12 and e >= y * 12 + 11 for s, e in study)]


def _annual_assessments(data: dict, ctx) -> Iterator[Owed]:
    conf = ctx.policy.get("完整性", "年度考核")
    missing = missing_assessment_years(data, ctx.policy, ctx.today)
    if missing:
        shown = "、".join(str(y) for y in missing[:8]) + (f" 等 {len(missing)} 个" if len(missing) > 8 else " ")
        message = f"缺少 {shown}年度的考核结果（参加工作次年起每年都应有）"
        for y in missing:  # one finding, one item to chase per year
            yield Owed(("年度考核",), _severity(conf), "C502", message, "3", f"{y}年度考核登记表")


def annual_assessments(doc, ctx, out):
    owed = list(_annual_assessments(doc.data, ctx))
    if owed:
        out.add(owed[0].path, owed[0].severity, "C502", owed[0].message, key=True)


def _education_evidence(data: dict, ctx) -> Iterator[Owed]:
    conf = ctx.policy.get("完整性", "学历依据")
    if not conf:
        return
    index = catalog_index(data)
    for i, entry in enumerate(items(data, "学历学位")):
        if not isinstance(entry, dict) or not isinstance(entry.get("依据"), list):
            continue
        if not any(isinstance(b, str) and b in index and str(index[b].get("类号")) == conf["类号"] for b in entry["依据"]):
            yield Owed(("学历学位", i, "依据"), _severity(conf), "C503",
                       f"学历学位第 {i + 1} 项（{entry.get('学历', '')}）的依据中没有 {conf['类号']} 类学历学位材料"
                       "（报考登记表、成绩单、毕业生登记表、学位证明等）",
                       conf["类号"], f"{entry.get('学历', '')}的学历学位材料（{entry.get('毕业院校', '')}）")


def _formed_months(value: object) -> tuple[int, int] | None:
    """The first and last month a 形成时间 may mean (records.span: "2019" is the whole year)."""
    found = span(value)
    if found is None:
        return None
    first, last = found
    return first.year * 12 + first.month - 1, last.year * 12 + last.month - 1


def _competitive_selection(data: dict, ctx) -> Iterator[Owed]:
    """A post won by 公选/竞争上岗/遴选 carries the materials of the selection (报名, 笔试面试, 考察, 公示),
    formed around the time the post began."""
    conf = ctx.policy.get("完整性", "竞争性选拔")
    if not conf:
        return
    catalog = [e for e in items(data, "档案目录") if isinstance(e, dict)]
    for i, entry in enumerate(items(data, "简历")):
        if not isinstance(entry, dict) or entry.get("任职方式") not in conf["任职方式"]:
            continue
        start = month_index(entry.get("起始"))
        if start is None:
            continue
        lo, hi = start - conf["前推月数"], start + conf["后延月数"]
        post = entry.get("内容") or entry.get("职级") or ""
        for need in conf["材料"]:
            classes = [str(c) for c in need["类号"]]
            if any(str(e.get("类号")) in classes and _title_has(e, need["材料名称包含"])
                   and (m := _formed_months(e.get("形成时间"))) is not None and m[1] >= lo and m[0] <= hi
                   for e in catalog):
                continue
            yield Owed(("简历", i), _severity(conf), "C505",
                       f"简历第 {i + 1} 段（{month_text(start)} 起，{entry['任职方式']}）缺少{need['名称']}：{entry['任职方式']}"
                       f"取得的职务，选拔过程的材料应归入 {'或'.join(classes)} 类，形成时间在 {month_text(lo)} 至 "
                       f"{month_text(hi)} 之间", classes[0],
                       f"{need['名称']}（{month_text(start)} {entry['任职方式']}{post}）")


def _required_materials(data: dict, ctx) -> Iterator[Owed]:
    catalog = [e for e in items(data, "档案目录") if isinstance(e, dict)]
    for rule in ctx.policy.get("完整性", "必备材料", default=[]) or []:
        if "适用政治面貌" in rule and data.get("政治面貌") not in rule["适用政治面貌"]:
            continue
        status = data.get("干部身份")
        if "适用干部身份" in rule and not (isinstance(status, dict) and status.get("取得方式") in rule["适用干部身份"]):
            continue
        if not any(str(e.get("类号")) == rule["类号"] and _title_has(e, rule["材料名称包含"]) for e in catalog):
            yield Owed(("档案目录",), _severity(rule), "C504", f"档案目录第 {rule['类号']} 类中缺少《{rule['材料名称包含'][0]}》",
                       rule["类号"], rule["材料名称包含"][0])


def appointment_forms(doc, ctx, out):
    for o in _appointment_forms(doc.data, ctx):
        out.add(o.path, o.severity, o.code, o.message)


def education_evidence(doc, ctx, out):
    for o in _education_evidence(doc.data, ctx):
        out.add(o.path, o.severity, o.code, o.message)


def competitive_selection(doc, ctx, out):
    for o in _competitive_selection(doc.data, ctx):
        out.add(o.path, o.severity, o.code, o.message)


def required_materials(doc, ctx, out):
    for o in _required_materials(doc.data, ctx):
        out.add(o.path, o.severity, o.code, o.message, key=True)


def owed(data: dict, ctx) -> list[Owed]:
    """Every material the completeness rules find missing, one item each (the same rules as ``dangan check``)."""
    return [o for rule in (_appointment_forms, _annual_assessments, _education_evidence, _competitive_selection,
                           _required_materials)
            for o in rule(data, ctx)]


RULES = [appointment_forms, annual_assessments, education_evidence, competitive_selection, required_materials]
