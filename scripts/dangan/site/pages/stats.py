"""结构分析: the make-up of the cadre team as of a date, overall and per 管档单位.

The counting is dangan.stats (the same tables `dangan stats` prints); this module only draws them:
each dimension a table of categories with an inline SVG bar (drawn here, no script), the count and the share.
"""

from __future__ import annotations

from ... import stats
from ..html import day, link, raw, table, text, unsearched
from ..model import Person, Site

INDEX = "stats/index.md"
BAR = 240  # px: the longest bar
NONE = stats.NONE


def unit_page(k: int) -> str:
    return f"stats/unit-{k}.md"


def _data(people: list[Person]) -> list[dict]:
    return [p.data for p in people]


def _once(people: list[Person], s: Site) -> list[Person]:
    """``people`` without a 副本 whose 正本 is on the site too (stats.once: each person counted once)."""
    kept = {id(d) for d in stats.once(_data(s.people))[0]}
    return [p for p in people if id(p.data) in kept]


def _copies(s: Site) -> str:
    note = stats.once_note(stats.once(_data(s.people))[1])
    return f"{note}。" if note else ""


def chart(title: str, anchor: str, rows: list[tuple[str, int]], total: int, note: str = "") -> str:
    top = max([n for _, n in rows] + [1])
    body = []
    for label, n in rows:
        width = round(BAR * n / top) if n else 0
        bar = (f'<svg class="dangan-bar" width="{BAR}" height="14" viewBox="0 0 {BAR} 14" role="img" aria-label="{n}">'
               f'<rect x="0" y="1" width="{width}" height="12" rx="2"></rect></svg>')
        body.append([text(label), bar, f'<span data-count="{n}">{n}</span>', stats.share(n, total)])
    return raw(f'<h2 id="{anchor}">{title}</h2>', f'<p class="dangan-note">{note}</p>' if note else "",
               table(["类别", "图示", "人数", "占比"], body, "dangan-chart"))


def dimensions(people: list[Person], s: Site) -> str:
    n = len(people)
    return "\n\n".join(chart(d.title, d.anchor, d.rows, n, d.note)
                       for d in stats.dimensions(_data(people), s.as_of, s.age_bands, s.codes))


def index_page(s: Site) -> str:
    index = s.unit_index()
    rows = []
    for unit, people in s.by_unit(keep_empty=False):
        u = stats.unit_summary(_data(_once(people, s)), s.as_of, s.codes)
        rows.append([link(f"unit-{index[unit]}/", text(unit)), str(u["人数"]), u["平均年龄"], u["女性"], u["少数民族"],
                     u["中共党员"], u["大学本科及以上"], u["全日制大学本科及以上"]])
    units = table(["管档单位", "人数", "平均年龄", "女性", "少数民族", "中共党员", "最高学历本科及以上（含在职）",
                   "全日制本科及以上"], rows, "dangan-units")
    return f"""{unsearched()}

# 结构分析

统计截至 **{day(s.as_of)}**，共 {len(_once(s.people, s))} 人。{_copies(s)}每一项都列出人数和占比，图中条的长短与人数成比例。
同样的统计表可用命令 `dangan stats --by 管档单位` 导出（表格、CSV、JSON、Excel）。
两个字段的交叉（如年龄段 × 职级）见[交叉分析](cross.md)，近十年的变化见[逐年变化](trend.md)，
各领导班子的结构和缺口见[领导班子](teams.md)；这些页面的每张表都可下载 CSV 或 Excel。

## 各管档单位

{raw(units)}

点单位名称看该单位的结构分析。

{dimensions(_once(s.people, s), s)}
"""


def unit_stats_page(s: Site, k: int, unit: str, people: list[Person]) -> str:
    people = _once(people, s)
    return f"""{unsearched(f"结构分析（单位 {k}）")}

<h1>结构分析：{text(unit)}</h1>

统计截至 **{day(s.as_of)}**，共 {len(people)} 人。[返回结构分析](index.md)

{dimensions(people, s) if people else "本单位暂无档案。"}
"""
