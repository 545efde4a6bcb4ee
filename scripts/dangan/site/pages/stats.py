"""结构分析: the make-up of the cadre team as of a date, overall and per 管档单位.

Each dimension is a table of categories with an inline SVG bar (drawn here, no script), the count and
the share beside it. Age bands come from schema/policy.yaml (年龄分段).
"""

from __future__ import annotations

from collections import Counter

from ..html import day, link, raw, table, text
from ..model import Person, Site
from .roster import highest_education

INDEX = "stats/index.md"
BAR = 240  # px: the longest bar
NONE = "（未填写）"
EDU_GROUPS = ((7, "研究生"), (6, "大学本科"), (5, "大学专科"), (1, "中专及以下"), (0, "其他"))


def unit_page(k: int) -> str:
    return f"stats/unit-{k}.md"


def _value(p: Person, key: str) -> str:
    v = p.data.get(key)
    return v.strip() if isinstance(v, str) and v.strip() else NONE


def _ordered(counts: Counter, order: list[str]) -> list[tuple[str, int]]:
    known = [(k, counts[k]) for k in order if counts.get(k)]
    rest = sorted(((k, n) for k, n in counts.items() if k not in order and k != NONE), key=lambda kv: (-kv[1], kv[0]))
    return known + rest + ([(NONE, counts[NONE])] if counts.get(NONE) else [])


def age_rows(people: list[Person], s: Site) -> list[tuple[str, int]]:
    counts = Counter()
    for p in people:
        age = p.age(s.as_of)
        band = next((b.get("名称") for b in s.age_bands if age is not None
                     and isinstance(b.get("最小"), int) and isinstance(b.get("最大"), int) and b["最小"] <= age <= b["最大"]),
                    None) if age is not None else None
        counts[str(band) if band else NONE] += 1
    return _ordered(counts, [str(b.get("名称")) for b in s.age_bands])


def education_rows(people: list[Person], s: Site, kind: str) -> list[tuple[str, int]]:
    counts = Counter()
    for p in people:
        best = highest_education(p, s, kind)
        counts[next(g for lo, g in EDU_GROUPS if best[0] >= lo) if best else "无"] += 1
    return _ordered(counts, [g for _, g in EDU_GROUPS] + ["无"])


def simple_rows(people: list[Person], key: str, order: list[str]) -> list[tuple[str, int]]:
    return _ordered(Counter(_value(p, key) for p in people), order)


def ethnicity_rows(people: list[Person], s: Site) -> list[tuple[str, int]]:
    counts = Counter(_value(p, "民族") for p in people)
    minority = sum(n for k, n in counts.items() if k not in ("汉族", NONE))
    rows = [("汉族", counts.get("汉族", 0)), ("少数民族", minority)]
    rows += [(f"　其中：{k}", n) for k, n in _ordered(counts, s.codes.ethnicity_order) if k not in ("汉族", NONE)]
    return rows + ([(NONE, counts[NONE])] if counts.get(NONE) else [])


def chart(title: str, anchor: str, rows: list[tuple[str, int]], total: int, note: str = "") -> str:
    top = max([n for _, n in rows] + [1])
    body = []
    for label, n in rows:
        width = round(BAR * n / top) if n else 0
        share = f"{100 * n / total:.1f}%" if total else "—"
        bar = (f'<svg class="dangan-bar" width="{BAR}" height="14" viewBox="0 0 {BAR} 14" role="img" aria-label="{n}">'
               f'<rect x="0" y="1" width="{width}" height="12" rx="2"></rect></svg>')
        body.append([text(label), bar, f'<span data-count="{n}">{n}</span>', share])
    return raw(f'<h2 id="{anchor}">{title}</h2>', f'<p class="dangan-note">{note}</p>' if note else "",
               table(["类别", "图示", "人数", "占比"], body, "dangan-chart"))


def dimensions(people: list[Person], s: Site) -> str:
    n = len(people)
    ages = [a for a in (p.age(s.as_of) for p in people) if a is not None]
    average = f"平均年龄 {sum(ages) / len(ages):.1f} 岁。" if ages else ""
    blocks = [
        chart("年龄", "age", age_rows(people, s), n, f"按出生年月计算到 {day(s.as_of)} 的周岁，分段见政策文件“年龄分段”。{average}"),
        chart("学历（全日制教育）", "education-full", education_rows(people, s, "全日制"), n, "每人取全日制教育的最高学历。"),
        chart("学历（在职教育）", "education-part", education_rows(people, s, "在职"), n, "每人取在职教育的最高学历；“无”为没有在职学历。"),
        chart("性别", "sex", simple_rows(people, "性别", ["男", "女"]), n),
        chart("民族", "ethnicity", ethnicity_rows(people, s), n),
        chart("政治面貌", "political", simple_rows(people, "政治面貌", s.codes.political_order), n),
        chart("职级", "rank", simple_rows(people, "职级", s.codes.rank_order), n),
        chart("专业技术职务", "title", simple_rows(people, "专业技术职务", []), n, "按人数从多到少。"),
    ]
    return "\n\n".join(blocks)


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def index_page(s: Site) -> str:
    index = s.unit_index()
    rows = []
    for unit, people in s.by_unit(keep_empty=False):
        ages = [a for a in (p.age(s.as_of) for p in people) if a is not None]
        n = len(people)
        rows.append([link(f"unit-{index[unit]}/", text(unit)), str(n), f"{sum(ages) / len(ages):.1f}" if ages else "—",
                     _share(sum(_value(p, "性别") == "女" for p in people), n),
                     _share(sum(_value(p, "民族") not in ("汉族", NONE) for p in people), n),
                     _share(sum(_value(p, "政治面貌") in ("中共党员", "中共预备党员") for p in people), n),
                     _share(sum(1 for p in people if (highest_education(p, s) or (0,))[0] >= 6), n)])
    units = table(["管档单位", "人数", "平均年龄", "女性", "少数民族", "中共党员", "大学本科及以上"], rows, "dangan-units")
    return f"""---
search:
  exclude: true
hide:
  - toc
---

# 结构分析

统计截至 **{day(s.as_of)}**，共 {len(s.people)} 人。每一项都列出人数和占比，图中条的长短与人数成比例。

## 各管档单位

{raw(units)}

点单位名称看该单位的结构分析。

{dimensions(s.people, s)}
"""


def unit_stats_page(s: Site, k: int, unit: str, people: list[Person]) -> str:
    return f"""---
title: 结构分析（单位 {k}）
search:
  exclude: true
hide:
  - toc
---

<h1>结构分析：{text(unit)}</h1>

统计截至 **{day(s.as_of)}**，共 {len(people)} 人。[返回结构分析](index.md)

{dimensions(people, s) if people else "本单位暂无档案。"}
"""
