"""结构分析 beyond one dimension (issue 17): cross-tables as heatmaps, year-by-year lines, the 领导班子 pages,
and every table as CSV and Excel beside it.

The numbers are dangan.stats (``cross_table``, ``trend``) and dangan.teams (``report``): the same computation as
`dangan stats --rows/--cols/--trend` and `dangan teams report`. This module only draws: inline SVG, no script,
no external resource; every label goes through ``html.text``. The SVGs keep their natural size inside a
horizontally scrolling block, so at 390 px the text stays readable and the chart scrolls.
"""

from __future__ import annotations

from ... import stats
from ...repo import Repo
from ...teams.report import COLUMNS, report
from ...textable import width
from ..html import day, link, raw, table, text, unsearched
from ..model import Site

CROSS = "stats/cross.md"
TREND = "stats/trend.md"
TEAMS = "stats/teams.md"
DATA = "stats/data"
CROSSES = (("age-rank", "年龄段", "职级"), ("sex-rank", "性别", "职级"), ("party-rank", "党内外", "职级"),
           ("minority-rank", "少数民族", "职级"), ("education-rank", "全日制学历", "职级"),
           ("tenure-rank", "任现职年限", "职级"), ("age-sex", "年龄段", "性别"))
TREND_YEARS = 10


def team_page(k: int) -> str:
    return f"stats/team-{k}.md"


def shown_teams(repo: Repo, s: Site) -> list:
    """The teams of teams/; on a unit's own site only those whose members (current and former) are all the
    unit's dossiers: a team with anyone else in it is left out whole (its figures would not be true without them)."""
    teams = repo.read_teams().teams
    if s.unit is None:
        return teams
    return [t for t in teams if t.members() and all(s.mine(m.get("编号")) for _i, m in t.members())]


def source(repo: Repo, s: Site) -> stats.Source:
    return stats.Source([p.data for p in s.people if p.readable and p.data], shown_teams(repo, s), [], s.as_of)


def _px(label: str) -> int:
    return 7 * width(label) + 16  # 14 px CJK, 7 px ASCII at font-size 12/13


def heatmap(t: stats.Table) -> str:
    """A cross-table as an SVG grid: each cell shaded by its share of the largest cell, its count written in it."""
    cols = t.columns[:-1]  # without 合计
    body = [(label, vals[:-1], vals[-1]) for label, vals in t.rows if label != "合计"]
    top = max([v for _l, vals, _t in body for v in vals] + [1])
    lw = max([_px(label) for label, _v, _t in body] + [60])
    cw = max([_px(c) for c in cols] + [_px("合计"), 44])
    rh, hh = 26, 30
    w, h = lw + cw * (len(cols) + 1), hh + rh * len(body)
    out = [f'<svg class="dangan-heat" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
           f'aria-label="{text(t.caption)}">']
    for j, c in enumerate([*cols, "合计"]):
        out.append(f'<text x="{lw + cw * j + cw / 2:.0f}" y="{hh - 10}" text-anchor="middle" class="dangan-heat-head">'
                   f"{text(c)}</text>")
    for i, (label, vals, total) in enumerate(body):
        y = hh + rh * i
        out.append(f'<text x="{lw - 8}" y="{y + 17}" text-anchor="end">{text(label)}</text>')
        for j, v in enumerate(vals):
            share = v / top
            out.append(f'<rect x="{lw + cw * j + 1}" y="{y + 1}" width="{cw - 2}" height="{rh - 2}" rx="2" '
                       f'class="dangan-heat-cell" fill-opacity="{0.08 + 0.82 * share:.2f}"></rect>')
            cls = "dangan-heat-dark" if share > 0.55 else "dangan-heat-light"
            out.append(f'<text x="{lw + cw * j + cw / 2:.0f}" y="{y + 17}" text-anchor="middle" class="{cls}">{v}</text>')
        out.append(f'<text x="{lw + cw * len(cols) + cw / 2:.0f}" y="{y + 17}" text-anchor="middle" '
                   f'class="dangan-heat-total">{total}</text>')
    out.append("</svg>")
    return "".join(out)


def _downloads(name: str) -> str:
    return (f'<p class="dangan-note">下载：<a href="../data/{name}.csv" download>CSV</a> · '
            f'<a href="../data/{name}.xlsx" download>Excel</a></p>')


def _table_html(t: stats.Table) -> str:
    return table([text(t.corner), *(text(c) for c in t.columns)],
                 [[text(label), *(text(v) for v in vals)] for label, vals in t.rows], "dangan-chart dangan-cross")


def tables(repo: Repo, s: Site) -> dict[str, stats.Table]:
    """Every table the structure pages show, by its download name."""
    src = source(repo, s)
    out = {name: stats.cross_table(repo, rows, cols, s.as_of, src)[0] for name, rows, cols in CROSSES}
    years = list(range(s.as_of.year - TREND_YEARS, s.as_of.year + 1))
    out["trend"], out["trend-rank"], out["trend-age"] = stats.trends(repo, years, [None, "职级", "年龄段"], src)
    return out


def downloads(found: dict[str, stats.Table]) -> list[tuple[str, bytes]]:
    files = []
    for name, t in found.items():
        files.append((f"{DATA}/{name}.csv", stats.render_table(t, "csv").encode("utf-8")))
        files.append((f"{DATA}/{name}.xlsx", stats.render_table(t, "xlsx")))
    return files


def cross_page(s: Site, found: dict[str, stats.Table]) -> str:
    blocks = []
    for name, _rows, _cols in CROSSES:
        t = found[name]
        blocks.append(raw(f'<h2 id="{name}">{text(t.caption)}</h2>', _downloads(name), heatmap(t),
                          f'<details><summary>数字表</summary>{_table_html(t)}</details>',
                          f'<p class="dangan-note">{text(t.note)}</p>' if t.note else ""))
    return f"""{unsearched("交叉分析")}

# 交叉分析

统计截至 **{day(s.as_of)}**。每张表的行与列是两个字段，格中是人数，颜色越深人数越多，最后一列是合计。
同样的表可用命令 `dangan stats --rows 年龄段 --cols 职级` 导出；每张表也可在这里下载 CSV 或 Excel。

""" + "\n\n".join(blocks) + "\n"


def _number(v) -> float | None:
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(str(v).rstrip("%"))
    except ValueError:
        return None


def line_chart(title: str, labels: list[str], values: list, unit: str = "", zero: bool = True) -> str:
    """One small line chart (fits 390 px): the values over the years on an axis from 0 (``zero``), or from just
    below the smallest value (average age), so a small change does not look like a large one."""
    w, h, left, right, top, bottom = 340, 160, 44, 14, 34, 30
    nums = [_number(v) for v in values]
    known = [v for v in nums if v is not None]
    lo, hi = (min(known), max(known)) if known else (0.0, 1.0)
    lo = 0.0 if zero else float(int(lo) - 1)
    hi = float(min(100, int(hi * 1.1) + 1)) if unit == "%" else float(int(hi * 1.05) + 1)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    step = (w - left - right) / max(len(labels) - 1, 1)

    def xy(i, v):
        return left + step * i, top + (h - top - bottom) * (1 - (v - lo) / (hi - lo))

    points = [xy(i, v) for i, v in enumerate(nums) if v is not None]
    out = [f'<svg class="dangan-line" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{text(title)}">',
           f'<text x="0" y="14" class="dangan-line-title">{text(title)}</text>',
           f'<line x1="{left}" y1="{h - bottom}" x2="{w - right}" y2="{h - bottom}" class="dangan-axis"></line>',
           f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{hi:g}{unit}</text>',
           f'<text x="{left - 6}" y="{h - bottom}" text-anchor="end">{lo:g}{unit}</text>',
           f'<text x="{left}" y="{h - 10}" text-anchor="start">{text(labels[0])}</text>',
           f'<text x="{w - right}" y="{h - 10}" text-anchor="end">{text(labels[-1])}</text>']
    if points:
        out.append('<polyline class="dangan-line-path" fill="none" points="'
                   + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"></polyline>')
        out += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" class="dangan-line-dot"></circle>' for x, y in points]
    out.append("</svg>")
    return "".join(out)


def trend_page(s: Site, found: dict[str, stats.Table]) -> str:
    t = found["trend"]
    charts = []
    for label, vals in t.rows:
        unit = "%" if any(str(v).endswith("%") for v in vals) else ""
        charts.append(line_chart(f"{label}（{vals[0]} → {vals[-1]}）", t.columns, vals, unit, zero=label != "平均年龄"))
    blocks = [raw('<h2 id="headline">队伍结构</h2>', _downloads("trend"), f'<div class="dangan-lines">{"".join(charts)}</div>',
                  f'<details><summary>数字表</summary>{_table_html(t)}</details>', f'<p class="dangan-note">{text(t.note)}</p>')]
    for name, title in (("trend-rank", "职级"), ("trend-age", "年龄")):
        tt = found[name]
        blocks.append(raw(f'<h2 id="{name}">{title}的逐年分布</h2>', _downloads(name), _table_html(tt)))
    return f"""{unsearched("逐年变化")}

# 逐年变化

每年按 12 月 31 日（今年按 **{day(s.as_of)}**）档案所记载的队伍：当时已是干部的人，当时的年龄、职级、学历。
同样的表可用命令 `dangan stats --trend {t.columns[0]}..{s.as_of.year}` 导出。

""" + "\n\n".join(blocks) + "\n"


def teams_pages(repo: Repo, s: Site) -> list[tuple[str, str]]:
    """The 领导班子 index and one page per team."""
    teams = shown_teams(repo, s)
    by_number = {p.number: p.data for p in s.people if p.readable and p.data}
    rows, pages = [], []
    for k, team in enumerate(teams, 1):
        r = report(repo, team, s.as_of, s.as_of, by_number)
        sm = r.summary
        gaps = len(r.gaps) + len(r.empty)
        rows.append([link(f"../team-{k}/", text(team.name)), text(team.data.get("类别")), str(sm["职数"]), str(sm["实有"]),
                     sm["平均年龄"], str(sm["女干部"]), str(sm["党外干部"]), text(sm["全日制本科及以上"]),
                     f'<span class="dangan-warning">{gaps}</span>' if gaps else "0"])
        members = [[*(text(m[c]) if c != "姓名" else link(f"../../dossier/{m['编号']}/", text(m[c])) for c in COLUMNS)]
                   for m in r.rows]
        gap_items = [f"<li>{text(g.code)} {text(g.message)}</li>" for g in r.gaps]
        gap_items += [f"<li>{text(p)}空缺 {n} 名</li>" for p, n in r.empty]
        gap_items += [f"<li>{text(m)} 的档案不在库中，未计入</li>" for m in r.missing]
        bands = stats.categories(stats.FIELDS["年龄段"], [by_number[m["编号"]] for m in r.rows if m["编号"] in by_number],
                                 stats.ctx_of(repo, s.as_of, teams=False))
        top = max([n for _b, n in bands] + [1])
        bars = [[text(b), f'<svg class="dangan-bar" width="160" height="14" viewBox="0 0 160 14" role="img" aria-label="{n}">'
                 f'<rect x="0" y="1" width="{round(160 * n / top)}" height="12" rx="2"></rect></svg>', str(n)] for b, n in bands]
        when = f"，下次换届 {text(team.data.get('下次换届'))}" if team.data.get("下次换届") else ""
        heading = "换届前要补齐的缺口" if team.data.get("下次换届") else "缺口"
        body = raw(f'<p>{text(team.data.get("类别"))}，统计截至 {day(s.as_of)}{when}。'
                   f'职数 {sm["职数"]}，实有 {sm["实有"]}；平均年龄 {sm["平均年龄"]}；女干部 {sm["女干部"]}，'
                   f'党外干部 {sm["党外干部"]}，少数民族 {sm["少数民族"]}；全日制大学本科及以上 {text(sm["全日制本科及以上"])}。</p>',
                   table(COLUMNS, members, "dangan-chart dangan-team"),
                   "<h2>年龄段</h2>", table(["年龄段", "图示", "人数"], bars, "dangan-chart"),
                   f"<h2>{heading}</h2>", f"<ul>{''.join(gap_items)}</ul>" if gap_items else "<p>无。</p>",
                   '<p><a href="../teams/">返回领导班子</a></p>')
        pages.append((team_page(k), f"{unsearched(f'领导班子（{k}）')}\n\n<h1>领导班子：{text(team.name)}</h1>\n\n{body}\n"))
    index = table(["班子", "类别", "职数", "实有", "平均年龄", "女干部", "党外干部", "全日制本科及以上", "缺口"], rows,
                  "dangan-units")
    text_index = f"""{unsearched("领导班子")}

# 领导班子

统计截至 **{day(s.as_of)}**，按 `teams/` 中的班子文件和政策文件“班子结构”的要求（见使用手册“领导班子”）。
同样的表可用命令 `dangan teams report` 导出，`dangan teams check` 列出全部问题。

{raw(index) if rows else "还没有班子文件（teams/<单位>.yaml）。"}
"""
    return [(TEAMS, text_index), *pages]


def all_pages(repo: Repo, s: Site) -> list[tuple[str, str | bytes, bool]]:
    found = tables(repo, s)
    out: list[tuple[str, str | bytes, bool]] = [(CROSS, cross_page(s, found), True), (TREND, trend_page(s, found), True)]
    for i, (uri, page) in enumerate(teams_pages(repo, s)):
        out.append((uri, page, i == 0))
    out += [(uri, content, False) for uri, content in downloads(found)]
    return out

