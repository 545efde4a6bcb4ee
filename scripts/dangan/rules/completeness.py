"""Completeness: which materials must be in the file. Every number and list is in the policy file."""

from __future__ import annotations

import datetime as dt

from ..dates import month_index, month_text
from ..findings import ERROR
from . import catalog_index, items


def _severity(conf) -> str:
    return conf.get("级别", ERROR)


def _title_has(entry, names) -> bool:
    title = entry.get("材料名称")
    return isinstance(title, str) and any(n in title for n in names)


def appointment_forms(doc, ctx, out):
    conf = ctx.policy.get("完整性", "任免审批表")
    if not conf:
        return
    since = month_index(conf["起始年月"])
    index = catalog_index(doc.data)
    names = conf["材料名称包含"]
    for i, entry in enumerate(items(doc.data, "简历")):
        if not isinstance(entry, dict) or entry.get("性质") != "工作":
            continue
        level = ctx.rank_levels.get(entry.get("职级"), 0)
        start = month_index(entry.get("起始"))
        if start is None or start < since or level < conf["最低职级层次"]:
            continue
        basis = entry.get("依据") if isinstance(entry.get("依据"), list) else []
        if not any(str(index[b].get("类号")) == conf["类号"] and _title_has(index[b], names)
                   for b in basis if isinstance(b, str) and b in index):
            out.add(("简历", i), _severity(conf), "C501",
                    f"简历第 {i + 1} 段（{month_text(start)} 起任{entry.get('职级')}）缺少《干部任免审批表》："
                    f"应归入 {conf['类号']} 类，并在该段的“依据”中列出其顺序号")


def annual_assessments(doc, ctx, out):
    conf = ctx.policy.get("完整性", "年度考核")
    work = month_index(doc.data.get("参加工作时间"))
    if not conf or work is None:
        return
    month, day = (int(x) for x in conf["次年要求日期"].split("."))
    last = ctx.today.year - 1 if ctx.today >= dt.date(ctx.today.year, month, day) else ctx.today.year - 2
    first = max(conf["起始年度"], work // 12 + 1)
    have = {e.get("年度") for e in items(doc.data, "年度考核") if isinstance(e, dict)}
    # Years spent wholly in study (脱产学习) carry no assessment.
    study = [(month_index(e.get("起始")), month_index(e.get("截止")))
             for e in items(doc.data, "简历") if isinstance(e, dict) and e.get("性质") in ("学习", "休学", "待分配")]
    missing = [y for y in range(first, last + 1) if y not in have
               and not any(s is not None and e is not None and s <= y * 12 and e >= y * 12 + 11 for s, e in study)]
    if missing:
        shown = "、".join(str(y) for y in missing[:8]) + (f" 等 {len(missing)} 个" if len(missing) > 8 else " ")
        out.add(("年度考核",), _severity(conf), "C502", f"缺少 {shown}年度的考核结果（参加工作次年起每年都应有）",
                key=True)


def education_evidence(doc, ctx, out):
    conf = ctx.policy.get("完整性", "学历依据")
    if not conf:
        return
    index = catalog_index(doc.data)
    for i, entry in enumerate(items(doc.data, "学历学位")):
        if not isinstance(entry, dict) or not isinstance(entry.get("依据"), list):
            continue
        if not any(isinstance(b, str) and b in index and str(index[b].get("类号")) == conf["类号"] for b in entry["依据"]):
            out.add(("学历学位", i, "依据"), _severity(conf), "C503",
                    f"学历学位第 {i + 1} 项（{entry.get('学历', '')}）的依据中没有 {conf['类号']} 类学历学位材料"
                    "（报考登记表、成绩单、毕业生登记表、学位证明等）")


def required_materials(doc, ctx, out):
    data = doc.data
    catalog = [e for e in items(data, "档案目录") if isinstance(e, dict)]
    for rule in ctx.policy.get("完整性", "必备材料", default=[]) or []:
        if "适用政治面貌" in rule and data.get("政治面貌") not in rule["适用政治面貌"]:
            continue
        status = data.get("干部身份")
        if "适用干部身份" in rule and not (isinstance(status, dict) and status.get("取得方式") in rule["适用干部身份"]):
            continue
        if not any(str(e.get("类号")) == rule["类号"] and _title_has(e, rule["材料名称包含"]) for e in catalog):
            out.add(("档案目录",), _severity(rule), "C504",
                    f"档案目录第 {rule['类号']} 类中缺少《{rule['材料名称包含'][0]}》", key=True)


RULES = [appointment_forms, annual_assessments, education_evidence, required_materials]
