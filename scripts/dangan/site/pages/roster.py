"""花名册: everyone, and each 管档单位, in 姓氏笔画 order; sortable and filterable in the browser (tables.js)."""

from __future__ import annotations

from ... import stats
from ...dates import month_index
from ..html import cell, day, link, raw, table, text, unsearched
from ..model import Person, Site

INDEX = "roster/index.md"
HEAD = ["姓名", "性别", "出生年月（年龄）", "民族", "籍贯", "入党时间", "参加工作时间", "学历", "现任职务", "职级"]


def unit_page(k: int) -> str:
    return f"roster/unit-{k}.md"


def highest_education(person: Person, s: Site, kind: str | None = None) -> tuple[int, str] | None:
    """(层次, 简称) of the highest 学历 (of one 类别, 全日制 or 在职, when given)."""
    return stats.highest_education(person.data, s.codes, kind)


def _month(value) -> str:
    return cell(text(value), month_index(value) if month_index(value) is not None else "")


def row(person: Person, rank: int, s: Site, prefix: str, with_unit: bool) -> list[str]:
    d = person.data
    age = person.age(s.as_of)
    birth = text(d.get("出生年月")) + (f"（{age}岁）" if age is not None else "")
    edu = highest_education(person, s)
    rank_value = d.get("职级")
    name = link(f"{prefix}{person.url}", text(person.name) or f"（{text(person.number)}）")
    cells = [cell(name, rank), text(d.get("性别")), cell(birth, month_index(d.get("出生年月")) or ""),
             text(d.get("民族")), text(d.get("籍贯")), _month(d.get("入党时间")), _month(d.get("参加工作时间")),
             cell(text(edu[1]) if edu else "", edu[0] if edu else -1), text(d.get("现任职务")),
             cell(text(rank_value), s.codes.rank_level.get(rank_value, -1) if isinstance(rank_value, str) else -1)]
    if with_unit:
        cells.append(text(person.unit))
    return cells


def roster_table(people: list[Person], s: Site, prefix: str, with_unit: bool) -> str:
    ranks = {id(p): i for i, p in enumerate(s.people)}
    rows = [row(p, ranks[id(p)], s, prefix, with_unit) for p in people]
    head = HEAD + (["管档单位"] if with_unit else [])
    return table(head, rows, "dangan-roster", sortable=True, attrs=' data-filter="1"')


def _intro(s: Site) -> str:
    return (f"统计截至 {day(s.as_of)}，{s.convention}排列（先比姓的笔画数，再按横竖撇点折比笔顺，再比下一个字；"
            "单名的处理见政策文件“花名册排序”）。点表头可按该列排序（再点一次倒序），在筛选框中输入文字只显示含有它的行；"
            "点姓名看单人档案。")


def index_page(s: Site) -> str:
    index = s.unit_index()
    units = [[link(f"unit-{index[u]}/", text(u)), str(len(ps))] for u, ps in s.by_unit() if ps]
    return f"""{unsearched()}

# 花名册

{_intro(s)}

## 各管档单位

{raw(table(["管档单位", "人数"], units, "dangan-units"))}

## 全部干部（{len(s.people)} 人）

{raw(roster_table(s.people, s, "../", with_unit=True))}
"""


def unit_roster_page(s: Site, k: int, unit: str, people: list[Person]) -> str:
    body = raw(roster_table(people, s, "../../", with_unit=False)) if people else "本单位暂无档案。"
    return f"""{unsearched(f"花名册（单位 {k}）")}

<h1>花名册：{text(unit)}（{len(people)} 人）</h1>

{_intro(s)} [返回花名册](index.md)

{body}
"""
