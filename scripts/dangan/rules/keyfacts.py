"""三龄 and their red flags: birth, Party membership, start of work; 认定 consistency."""

from __future__ import annotations

from .. import factpath
from ..dates import age_at, month_index, month_text
from . import items

PARTY = ("中共党员", "中共预备党员")
# 项目 names a 认定 may carry: a top-level field, optionally with a path into it ("学历学位[1].毕业时间").
SCALAR_FACTS = ("出生年月", "参加工作时间", "入党时间")


def three_ages(doc, ctx, out):
    data = doc.data
    today = ctx.today
    now = today.year * 12 + today.month - 1
    birth = month_index(data.get("出生年月"))
    for key in ("出生年月", "参加工作时间", "入党时间"):
        value = month_index(data.get(key))
        if value is not None and value > now:
            out.error((key,), "R206", f"{key}（{data[key]}）晚于今天，不可能")
    if birth is None:
        return
    age = age_at(birth, today)
    if not 16 <= age <= 80:
        out.warn(("出生年月",), "R201", f"按出生年月计算现年 {age} 岁，不在在职干部的合理范围，请核实")
    red = ctx.policy.get("年龄红线", default={}) or {}
    party = month_index(data.get("入党时间"))
    if party is not None and party - birth < 12 * red.get("入党", 18):
        out.warn(("入党时间",), "R202",
                 f"入党时间（{data['入党时间']}）早于年满 {red.get('入党', 18)} 周岁（{month_text(birth + 12 * red.get('入党', 18))}），"
                 "属涂改疑点，请核对入党志愿书")
    work = month_index(data.get("参加工作时间"))
    if work is not None and work - birth < 12 * red.get("参加工作", 16):
        out.warn(("参加工作时间",), "R205",
                 f"参加工作时间（{data['参加工作时间']}）早于年满 {red.get('参加工作', 16)} 周岁，"
                 "属涂改疑点，请核对招工登记表等原始材料")
    if work is not None and birth is not None and work <= birth:
        out.error(("参加工作时间",), "R207", "参加工作时间早于出生年月")


def party(doc, ctx, out):
    data = doc.data
    status, joined = data.get("政治面貌"), data.get("入党时间")
    if status in PARTY and joined is None and "入党时间" in data:
        out.error(("入党时间",), "R204", f"政治面貌为{status}，但没有填写入党时间")
    if status not in PARTY and isinstance(joined, str) and status is not None:
        out.warn(("入党时间",), "R203", f"填写了入党时间，但政治面貌是“{status}”：如已退党或停止党籍，请在备注材料中说明")


def education_dates(doc, ctx, out):
    for i, entry in enumerate(items(doc.data, "学历学位")):
        if not isinstance(entry, dict):
            continue
        start, end = month_index(entry.get("入学时间")), month_index(entry.get("毕业时间"))
        if start is not None and end is not None and end <= start:
            out.error(("学历学位", i, "毕业时间"), "R208", f"学历学位第 {i + 1} 项的毕业时间不晚于入学时间")


def assessments(doc, ctx, out):
    seen = {}
    work = month_index(doc.data.get("参加工作时间"))
    for i, entry in enumerate(items(doc.data, "年度考核")):
        if not isinstance(entry, dict) or not isinstance(entry.get("年度"), int):
            continue
        year = entry["年度"]
        if year in seen:
            out.error(("年度考核", i, "年度"), "R209", f"{year} 年度的考核结果重复（第 {seen[year] + 1} 项已有）")
        seen[year] = i
        if work is not None and year < work // 12:
            out.warn(("年度考核", i, "年度"), "R210", f"{year} 年度早于参加工作时间，请核实")
        if year >= ctx.today.year:
            out.error(("年度考核", i, "年度"), "R206", f"{year} 年度尚未结束，不能有考核结果")


def determinations(doc, ctx, out):
    """The latest 认定 of a scalar key fact must equal the value in the file."""
    data = doc.data
    latest = {}
    top = set(ctx.schema.top_keys)
    for i, entry in enumerate(items(data, "认定记录")):
        if not isinstance(entry, dict) or not isinstance(entry.get("项目"), str):
            continue
        try:  # the same path syntax the trail matches 认定 against (docs/manual/trail.md)
            field = factpath.parse(entry["项目"])[0]
        except factpath.PathError as exc:
            out.error(("认定记录", i, "项目"), "R211", str(exc))
            continue
        if field not in top:
            out.error(("认定记录", i, "项目"), "R211", f"认定项目“{entry['项目']}”不是档案中的字段")
            continue
        date = entry.get("认定日期") or ""
        if entry["项目"] in SCALAR_FACTS and (entry["项目"] not in latest or date >= latest[entry["项目"]][1]):
            latest[entry["项目"]] = (i, date, entry.get("认定值"))
        if entry.get("原值") is not None and entry.get("原值") == entry.get("认定值"):
            out.warn(("认定记录", i), "R212", "认定记录的原值与认定值相同，这条认定没有改变任何内容")
    for fact, (i, _date, value) in latest.items():
        if data.get(fact) != value:
            out.error((fact,), "R213",
                      f"{fact}（{data.get(fact)}）与最近一次认定值（{value}，认定记录第 {i + 1} 条）不符："
                      "认定后的值不得再改动，如需变更须重新认定")


RULES = [three_ages, party, education_dates, assessments, determinations]
