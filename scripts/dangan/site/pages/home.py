"""The home page and the overview (编号 and 姓名 by 管档单位)."""

from __future__ import annotations

from ..html import cell, day, link, raw, table, text
from ..model import NO_UNIT, UNREADABLE, Site

HOME, OVERVIEW = "index.md", "overview.md"
MANUAL = (  # (page, title): the manual pages the home page points to
    ("manual/index.md", "使用手册"),
    ("manual/dossier-format.md", "档案文件怎么写"),
    ("manual/check.md", "检查档案"),
    ("manual/codes.md", "问题代码表"),
    ("manual/policy.md", "政策文件"),
    ("manual/site.md", "站点说明"),
)


def _scope(s: Site) -> str:
    if s.unit is None:
        return ""
    return (f"\n本站是 **{text(s.unit)}** 自己的站点（`dangan site --unit`）：只有本单位管档的干部，"
            "登记簿、领导班子、定级、审核也只列本单位的；其他单位的干部不在其中。\n")


def home_page(s: Site) -> str:
    units = s.by_unit(keep_empty=False)
    counted = [u for u, _ in units if u not in (NO_UNIT, UNREADABLE)]
    bad = sum(1 for p in s.people if p.errors)
    index = s.unit_index()
    totals = [
        ["干部", f'<span data-dangan="dossiers">{len(s.people)}</span> 人'],
        ["管档单位", f'<span data-dangan="units">{len(counted)}</span> 个（有档案的单位）'],
        ["档案", f'<span data-dangan="volumes">{len(s.people)}</span> 卷（每人一卷）'],
        ["档案材料", f'<span data-dangan="pages">{s.pages}</span> 页（档案目录“页数”合计）'],
        ["检查：错误", f'<span data-dangan="errors">{s.errors}</span> 个（涉及 <span data-dangan="bad">{bad}</span> 份档案）'],
        ["检查：警告", f'<span data-dangan="warnings">{s.warnings}</span> 个'],
    ]
    per_unit = [[text(u), cell(link(f"roster/unit-{index[u]}/", str(len(ps))), len(ps)), str(sum(p.pages for p in ps)),
                 str(sum(p.errors for p in ps)), str(sum(p.warnings for p in ps))] for u, ps in s.by_unit()]
    manual = "\n".join(f"- [{title}]({page})" for page, title in MANUAL)
    problems = ("有错误的档案须由管档人员改正后重新提交，明细见[审核：检查结果](review/index.md)；"
                "问题代码的含义见[问题代码表](manual/codes.md)。") if s.errors or s.warnings else "全部档案检查通过，未发现问题。"
    return f"""# 干部人事档案

本站由档案库自动生成，内部资料，注意保密。统计截至 **{day(s.as_of)}**，检查结果与 `dangan check` 相同。
{_scope(s)}
## 总览

{raw(table(["项目", "数量"], totals, "dangan-totals"))}

{problems}

## 各管档单位

{raw(table(["管档单位", "干部（人）", "材料（页）", "错误", "警告"], per_unit, "dangan-units"))}

- [花名册](roster/index.md)：按姓氏笔画排列，可在浏览器中排序、筛选；点姓名看单人档案。
- [结构分析](stats/index.md)：年龄、学历、性别、民族、政治面貌、职级、专业技术职务、考核、任现职年限、专长；
  [交叉分析](stats/cross.md)、[逐年变化](stats/trend.md)、[领导班子](stats/teams.md)。
- [审核](review/index.md)：检查发现的问题、未经授权的改动、最近的改动。
- [档案概况](overview.md)：按管档单位列出编号、姓名和问题个数。

## 使用手册

{manual}
"""


def overview_page(s: Site) -> str:
    blocks = []
    for k, (unit, people) in enumerate(s.by_unit(), 1):
        if not people:
            continue
        rows = [[link(f"../{p.url}", text(p.number)), text(p.name), str(p.pages), str(p.errors), str(p.warnings)]
                for p in sorted(people, key=lambda p: p.number)]
        blocks.append(raw(f'<h2 id="unit-{k}">{text(unit)}（{len(people)} 份）</h2>',
                          table(["编号", "姓名", "材料（页）", "错误", "警告"], rows, "dangan-dossiers", sortable=True)))
    body = "\n\n".join(blocks) if blocks else "档案库中还没有档案。"
    return f"""---
search:
  exclude: true
---

# 档案概况

按管档单位列出每份档案的编号和姓名（统计截至 {day(s.as_of)}）。“错误”“警告”是 `dangan check`
发现的问题个数，明细见[审核：检查结果](review/index.md)。

{body}
"""
