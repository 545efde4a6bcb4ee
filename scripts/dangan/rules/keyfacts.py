"""三龄 and their red flags: birth, Party membership, start of work; 认定 consistency."""

from __future__ import annotations

from .. import career, factpath
from ..dates import age_at, month_index, month_text
from ..privacy import mask_id
from . import items

PARTY = ("中共党员", "中共预备党员")
# 项目 names a 认定 may carry: a top-level field, optionally with a path into it ("学历学位[1].毕业时间").
SCALAR_FACTS = ("出生年月", "参加工作时间", "入党时间", "姓名", "身份证号")


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


def party_posts(doc, ctx, out):
    """R214: a Party post (现任职务 or a 简历 segment) held while 政治面貌 is not 中共党员/预备党员."""
    data = doc.data
    status = data.get("政治面貌")
    if not isinstance(status, str) or status in PARTY:
        return
    for path, post, word in career.party_posts(data, ctx.policy.get("党内职务", default={}) or {}):
        where = "现任职务" if path[0] == "现任职务" else f"简历第 {path[1] + 1} 段"
        out.error(path, "R214", f"{where}“{post}”是党内职务（{word}），但政治面貌是“{status}”：党内职务只能由中共党员担任，"
                                "请核实政治面貌、入党时间（补入党志愿书）或职务的写法")


def probation(doc, ctx, out):
    """R215/R216: a 中共预备党员 past the 预备期 (党章第七条: one year, extended at most one more)."""
    months = career.probation_months(doc.data, ctx.today)
    if months is None:
        return
    rule = ctx.policy.get("预备期", default={}) or {}
    period, extra = rule.get("月数", 12), rule.get("最多延长月数", 12)
    since = f"入党时间 {doc.data['入党时间']} 起已 {months} 个月"
    if months > period + extra:
        out.error(("政治面貌",), "R216", f"仍是中共预备党员，{since}，超过最长预备期（{period} 个月，延长不超过 {extra} 个月）："
                                       "应已转正或取消预备党员资格，请核对转正材料")
    elif months > period:
        out.warn(("政治面貌",), "R215", f"仍是中共预备党员，{since}，超过 {period} 个月的预备期：请核对转正材料，"
                                      "延长了预备期的，核对延长的决定")


def sanctions(doc, ctx, out):
    """R217: a 处分/诫勉/组织处理 entry whose 影响期 cannot be told (种类 missing, name not in the policy)."""
    rule = ctx.policy.get("任前审核", "影响使用", default={}) or {}
    for i, entry in enumerate(items(doc.data, "奖惩情况")):
        if not isinstance(entry, dict):
            continue
        if entry.get("种类") is not None and entry.get("类别") != "处分":
            out.warn(("奖惩情况", i, "种类"), "R217", f"奖惩情况第 {i + 1} 项写了种类“{entry['种类']}”，但类别不是处分")
    for s in career.sanctions(doc.data, rule.get("影响期") or {}, rule.get("自解除时间起算") or []):
        entry = doc.data["奖惩情况"][s.index]
        if entry.get("类别") == "处分" and entry.get("种类") is None:
            out.warn(("奖惩情况", s.index), "R217", f"奖惩情况第 {s.index + 1} 项“{s.name}”是处分，但没有写种类"
                                                 "（党纪处分 或 政务处分）：影响期无法确定")
        elif s.key is None:
            names = "、".join((rule.get("影响期") or {}).get(s.kind) or {}) or "无"
            out.warn(("奖惩情况", s.index, "名称"), "R217", f"奖惩情况第 {s.index + 1} 项“{s.name}”不是政策文件列出的"
                                                         f"{s.kind}名称（{names}）：影响期无法确定")


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
            now = data.get(fact)
            if fact == "身份证号":  # never echoed whole
                now, value = mask_id(now), mask_id(value)
            out.error((fact,), "R213",
                      f"{fact}（{now}）与最近一次认定值（{value}，认定记录第 {i + 1} 条）不符："
                      "认定后的值不得再改动，如需变更须重新认定")


RULES = [three_ages, party, party_posts, probation, sanctions, education_dates, assessments, determinations]
