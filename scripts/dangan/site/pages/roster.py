"""花名册: everyone, and each 管档单位, in 姓氏笔画 order; paged, sorted and filtered in the browser (roster.js).

The page carries the first ``PAGE`` rows as a plain table (readable before any script runs, and without one);
the whole roster is a JSON file beside it (``data_uri``): one array per person, the cells as text and the sort
keys as numbers. roster.js sorts and filters those arrays and lays out one page of rows at a time, so a
roster of 50,000 sorts as quickly as one of 50.
"""

from __future__ import annotations

from ... import stats
from ...dates import month_index
from ...privacy import scrub
from .. import datafile
from ..html import cell, day, link, raw, table, text, unsearched
from ..model import Person, Site

INDEX = "roster/index.md"
PAGE = 100  # rows laid out at a time
HEAD = ["姓名", "编号", "性别", "出生年月（年龄）", "民族", "籍贯", "入党时间", "参加工作时间", "学历", "现任职务", "职级"]
NAME = 0  # the column that links to the dossier and sorts by the roster order (first: it stays in view on a phone)
KEYED = (3, 6, 7, 8, 10)  # 出生年月, 入党时间, 参加工作时间, 学历, 职级: sorted by a number, not by their text


def unit_page(k: int) -> str:
    return f"roster/unit-{k}.md"


def data_uri(k: int | None) -> str:
    """The data file of a roster (everyone when k is None), beside the roster pages."""
    return "roster/people.json" if k is None else f"roster/unit-{k}.json"


def highest_education(person: Person, s: Site, kind: str | None = None) -> tuple[int, str] | None:
    """(层次, 简称) of the highest 学历 (of one 类别, 全日制 or 在职, when given)."""
    return stats.highest_education(person.data, s.codes, kind)


def _plain(value) -> str:
    return "" if value is None else str(value)


def cells(person: Person, s: Site, with_unit: bool) -> list[tuple[str, int | None]]:
    """(text, sort key) of each column of HEAD (and 管档单位); the key is None for columns sorted by their text
    and for a keyed column without a value (sorted last)."""
    d = person.data
    age = person.age(s.as_of)
    edu = highest_education(person, s)
    rank_value = d.get("职级")
    rank = s.codes.rank_level.get(rank_value) if isinstance(rank_value, str) else None
    birth = _plain(d.get("出生年月")) + (f"（{age}岁）" if age is not None else "")
    out = [(person.name or f"（{person.number}）", None), (person.number, None), (_plain(d.get("性别")), None),
           (birth, month_index(d.get("出生年月"))), (_plain(d.get("民族")), None), (_plain(d.get("籍贯")), None),
           (_plain(d.get("入党时间")), month_index(d.get("入党时间"))),
           (_plain(d.get("参加工作时间")), month_index(d.get("参加工作时间"))),
           (edu[1] if edu else "", edu[0] if edu else None), (_plain(d.get("现任职务")), None),
           (_plain(rank_value), rank)]
    if with_unit:
        out.append((person.unit, None))
    return out


def row(person: Person, rank: int, s: Site, prefix: str, with_unit: bool) -> list[str]:
    """The HTML cells of one row (roster.js lays out the same)."""
    out = []
    for col, (value, key) in enumerate(cells(person, s, with_unit)):
        content = link(f"{prefix}{person.url}", text(value)) if col == NAME else text(value)
        out.append(cell(content, rank if col == NAME else key if col in KEYED else None))
    return out


def roster_data(people: list[Person], s: Site, with_unit: bool) -> dict:
    """{"head", "keyed", "shared", "rows"}: a row is the column texts, then the keys of the ``keyed`` columns
    (null: none), in roster order (what 姓名 sorts by). The columns after 编号 repeat a few values (性别, 民族,
    籍贯, 学历, 职务, 职级, 单位): each is written once in ``shared[col]`` and the row holds its index, which
    halves the file. Written by datafile.files (JSON and its script twin, "<", ">", "&" escaped)."""
    head = HEAD + (["管档单位"] if with_unit else [])
    shared: dict[int, dict[str, int]] = {c: {} for c in range(2, len(head))}
    rows = []
    for p in people:
        cs = cells(p, s, with_unit)
        texts: list[str | int | None] = [scrub(v) for v, _ in cs]
        for c, values in shared.items():
            texts[c] = values.setdefault(str(texts[c]), len(values))
        rows.append(texts + [cs[k][1] for k in KEYED])
    table_ = {str(c): list(values) for c, values in shared.items()}
    return {"head": head, "keyed": list(KEYED), "shared": table_, "rows": rows}


def roster_table(people: list[Person], s: Site, prefix: str, with_unit: bool, data: str, key: str) -> str:
    """The first PAGE rows as a table; ``data`` is the whole roster's address, relative to the page, ``key`` its
    name in the registry of its script twin (datafile.key)."""
    ranks = {id(p): i for i, p in enumerate(s.people)}
    rows = [row(p, ranks[id(p)], s, prefix, with_unit) for p in people[:PAGE]]
    head = HEAD + (["管档单位"] if with_unit else [])
    note = (f'<p class="dangan-roster-note">共 {len(people)} 人，这里是前 {PAGE} 人；翻页、排序和筛选由浏览器中的脚本完成。</p>'
            if len(people) > PAGE else "")
    return table(head, rows, "dangan-roster",
                 attrs=f' data-roster="{text(data)}" data-key="{text(key)}" data-prefix="{text(prefix)}"'
                       f' data-page="{PAGE}"') + note


def _intro(s: Site) -> str:
    return (f"统计截至 {day(s.as_of)}，{s.convention}排列（先比姓的笔画数，再按横竖撇点折比笔顺，再比下一个字；"
            f"单名的处理见政策文件“花名册排序”）。每页 {PAGE} 人，可翻页；点表头按该列排序（再点一次倒序，空白的总在最后），"
            "在筛选框中输入文字（姓名、编号、单位、职务等，几个词用空格隔开）只列出含有这些文字的人；点姓名看单人档案。")


def index_page(s: Site) -> str:
    index = s.unit_index()
    units = [[link(f"unit-{index[u]}/", text(u)), str(len(ps))] for u, ps in s.by_unit() if ps]
    return f"""{unsearched()}

# 花名册

{_intro(s)}

## 各管档单位

{raw(table(["管档单位", "人数"], units, "dangan-units"))}

## 全部干部（{len(s.people)} 人）

{raw(roster_table(s.people, s, "../", with_unit=True, data="people.json",
                     key=datafile.key(data_uri(None))))}
"""


def unit_roster_page(s: Site, k: int, unit: str, people: list[Person]) -> str:
    body = raw(roster_table(people, s, "../../", with_unit=False, data=f"../unit-{k}.json",
                            key=datafile.key(data_uri(k)))) if people else "本单位暂无档案。"
    return f"""{unsearched(f"花名册（单位 {k}）")}

<h1>花名册：{text(unit)}（{len(people)} 人）</h1>

{_intro(s)} [返回花名册](index.md)

{body}
"""
