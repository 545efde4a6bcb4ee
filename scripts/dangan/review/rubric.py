"""The 新任干部档案评分 rule kinds that look at the dossier's materials: which must be there, entry by entry.

Each item of policy 新任干部档案评分.项目 names its 规则; ``review.score`` applies them and caps each item at its
分值. The ones here return (points, reason) for each shortfall:

- 须有材料: materials the whole file must hold (by class, name, formation window), for the cadres the need applies to;
- 逐条依据: for each entry of a field (简历 segments, their 其间 lines, 学历学位, 认定记录, 奖惩情况, 能力档案) that
  meets the 条件, materials among its 依据 (or of the class, formed within 前月数/后月数 of the entry);
- 材料著录: catalog entries of a class that lack a recorded item (e.g. 形成时间);
- 年度考核: each year since 从年度 whose assessment the file lacks (rules.completeness decides which years are due).

What the data cannot tell (photos, seals, signatures, audits, binding) is the reviewer's: 规则 评分人评定.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from ..dates import month_index, month_text
from ..rules import catalog_index, items
from ..rules.completeness import missing_assessment_years
from ..rules.records import span

Shortfall = tuple[float, str]


def points(x) -> float:
    return float(x)


def _title(entry: dict) -> str:
    return entry["材料名称"] if isinstance(entry.get("材料名称"), str) else ""


def _in_class(entry: dict, cls: str | None) -> bool:
    got = str(entry.get("类号"))
    return cls is None or got == cls or got.startswith(cls + "-")


def _named(entry: dict, need: dict) -> bool:
    title = _title(entry)
    return (not need.get("材料名称包含") or any(n in title for n in need["材料名称包含"])) \
        and not any(n in title for n in need.get("材料名称不含", []))


def _formed(entry: dict) -> tuple[int, int] | None:
    """The first and last month a 形成时间 may mean ("2019" is the whole year)."""
    found = span(entry.get("形成时间"))
    if found is None:
        return None
    first, last = found
    return first.year * 12 + first.month - 1, last.year * 12 + last.month - 1


def present(data: dict, need: dict) -> bool:
    """The catalog holds a material of the class (or a sub-class of it), named so, formed in the window; or one of
    the alternatives (``或有``)."""
    cls = str(need["类号"])
    for e in items(data, "档案目录"):
        if not isinstance(e, dict) or not isinstance(e.get("材料名称"), str):
            continue
        made = str(e.get("形成时间") or "")[:7]
        if _in_class(e, cls) and any(n in e["材料名称"] for n in need["材料名称包含"]) \
                and made >= need.get("形成时间从", "") and made <= need.get("形成时间至", "9999"):
            return True
    return any(present(data, alt) for alt in need.get("或有", []))


def required(data: dict, need: dict) -> bool:
    """The cadre is one the need applies to (政治面貌; 参加工作 or 入党 before a month; 专业技术职务)."""
    if "适用政治面貌" in need and data.get("政治面貌") not in need["适用政治面貌"]:
        return False
    for key, field_ in (("适用参加工作时间早于", "参加工作时间"), ("适用入党时间早于", "入党时间")):
        if key in need and not (isinstance(data.get(field_), str) and data[field_] < need[key]):
            return False
    title = _text(data.get("专业技术职务"))
    if "适用专业技术职务包含" in need and not any(w in title for w in need["适用专业技术职务包含"]):
        return False
    return not any(w in title for w in need.get("适用专业技术职务不含", []))


def must_be_present(data: dict, item: dict) -> Iterator[Shortfall]:
    for need in item.get("材料", []):
        if required(data, need) and not present(data, need):
            yield points(need["扣分"]), f"缺少{need.get('说明') or need['材料名称包含'][0]}"


# --- 逐条依据 ---------------------------------------------------------------------------------------------------

_DURING = re.compile(r"\s*([0-9]{4}\.[0-9]{2})\s*[-—–~～至]+\s*([0-9]{4}\.[0-9]{2})\s*(.*)")


class Entry:
    """One entry an item checks: its fields, the months it spans, its 依据 and how a reason names it."""

    def __init__(self, fields: dict, label: str, start: int | None, end: int | None, basis: list):
        self.fields, self.label, self.start, self.end, self.basis = fields, label, start, end, basis


def entries(data: dict, field: str) -> Iterator[Entry]:
    if field == "简历其间":
        for i, seg in enumerate(items(data, "简历")):
            for line in (seg.get("其间") or []) if isinstance(seg, dict) else []:
                m = _DURING.fullmatch(line) if isinstance(line, str) else None
                if m:  # only the lines that say when: "2019.06--2019.09 在……学习"
                    yield Entry({"起始": m.group(1), "截止": m.group(2), "内容": m.group(3)},
                                f"简历第 {i + 1} 段其间“{line}”", month_index(m.group(1)), month_index(m.group(2)), [])
        return
    if field.startswith("能力档案."):
        block = data.get("能力档案")
        rows = (block.get(field.split(".", 1)[1]) if isinstance(block, dict) else None) or []
    else:
        rows = items(data, field)
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            continue
        given = row.get("依据")
        basis: list = given if isinstance(given, list) else []
        if field == "简历":
            start = month_index(row.get("起始"))
            yield Entry(row, f"简历第 {i + 1} 段（{row.get('起始')} 起{row.get('内容') or row.get('职级') or ''}）",
                        start, start, basis)
        elif field == "学历学位":
            yield Entry(row, f"学历学位第 {i + 1} 项（{row.get('学历', '')}，{row.get('毕业院校', '')}）",
                        month_index(row.get("入学时间")), month_index(row.get("毕业时间")), basis)
        elif field == "认定记录":
            day = str(row.get("认定日期") or "")[:7]
            yield Entry(row, f"认定记录第 {i + 1} 项（{row.get('项目')}：{row.get('原值')} 认定为 {row.get('认定值')}）",
                        month_index(day), month_index(day), basis)
        elif field == "奖惩情况":
            at = month_index(row.get("时间"))
            yield Entry(row, f"奖惩情况第 {i + 1} 项（{row.get('时间')} {row.get('名称')}）", at, at, basis)
        else:
            at = month_index(row.get("时间"))
            yield Entry(row, f"{field.split('.', 1)[1]}第 {i + 1} 项（{row.get('名称')}）", at, at, basis)


class Levels:
    """The x-层次 of each 职级 (codes/rank.json) and the cadre's 简历 as (start, end, level) of each working segment."""

    def __init__(self, data: dict, rank_level: dict[str, int]):
        self.rank = rank_level
        self.segments: list[tuple[int, int | None, int]] = []
        for seg in items(data, "简历"):
            if isinstance(seg, dict) and seg.get("性质") == "工作":
                start, end = month_index(seg.get("起始")), month_index(seg.get("截止"))
                if start is not None:
                    self.segments.append((start, end, rank_level.get(_text(seg.get("职级")), 0)))

    def of(self, fields: dict) -> int:
        return self.rank.get(_text(fields.get("职级")), 0)

    def promoted(self, fields: dict, start: int | None) -> bool:
        """Higher than every earlier working segment (the first one is no promotion)."""
        before = [lv for s, _e, lv in self.segments if start is not None and s < start and lv]
        return bool(before) and self.of(fields) > max(before)

    def at(self, month: int | None) -> int:
        """The level held in that month (the highest of the segments covering it)."""
        if month is None:
            return 0
        return max((lv for s, e, lv in self.segments if s <= month and (e is None or month <= e)), default=0)


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def meets(entry: Entry, cond: dict, levels: Levels) -> bool:
    """Every 条件 holds for the entry (the keys are checked against the 字段 when the policy is read)."""
    f = entry.fields
    for key, want in cond.items():
        if key == "职级层次不低于":
            ok = levels.of(f) >= want
        elif key == "提拔":
            ok = levels.promoted(f, entry.start) == want
        elif key == "任职层次不低于":
            ok = levels.at(entry.start) >= want
        elif key == "时长月数不少于":
            ok = entry.start is not None and entry.end is not None and entry.end - entry.start >= want
        elif key.startswith("有"):
            ok = bool(f.get(key[1:])) == want
        elif key.endswith("包含"):
            ok = any(w in _text(f.get(key[:-2])) for w in want)
        elif key.endswith("不含"):
            ok = not any(w in _text(f.get(key[:-2])) for w in want)
        elif key.endswith("早于"):
            ok = bool(_text(f.get(key[:-2]))) and _text(f.get(key[:-2]))[:7] < want
        elif key.endswith("从"):
            ok = bool(_text(f.get(key[:-1]))) and _text(f.get(key[:-1]))[:7] >= want
        else:
            ok = f.get(key) in want
        if not ok:
            return False
    return True


def _found(entry: Entry, need: dict, index: dict[str, dict], catalog: list[dict]) -> bool:
    cls = need.get("类号")
    if any(isinstance(b, str) and b in index and _in_class(index[b], cls) and _named(index[b], need)
           for b in entry.basis):
        return True
    if ("前月数" not in need and "后月数" not in need) or entry.start is None:
        return False
    lo = entry.start - need.get("前月数", 0)
    hi = (entry.end if entry.end is not None else entry.start) + need.get("后月数", 0)
    return any(_in_class(e, cls) and _named(e, need) and (m := _formed(e)) is not None and m[1] >= lo and m[0] <= hi
               for e in catalog)


def rank_levels_of(policy) -> dict[str, int]:
    """codes/rank.json beside the policy file (what 职级层次 conditions compare)."""
    from ..codes import CodeTables

    return CodeTables.read(Path(policy.path).parent).rank_level


def entry_by_entry(data: dict, item: dict, rank_level: dict[str, int]) -> Iterator[Shortfall]:
    levels = Levels(data, rank_level)
    index = catalog_index(data)
    catalog = [e for e in items(data, "档案目录") if isinstance(e, dict)]
    for entry in entries(data, item["字段"]):
        if not meets(entry, item.get("条件") or {}, levels):
            continue
        for need in item["须有"]:
            if meets(entry, need.get("条件") or {}, levels) and not _found(entry, need, index, catalog):
                where = (f"，也没有 {month_text(entry.start - need.get('前月数', 0))} 至 "
                         f"{month_text((entry.end if entry.end is not None else entry.start) + need.get('后月数', 0))}"
                         "形成的") if ("前月数" in need or "后月数" in need) and entry.start is not None else ""
                yield points(need["扣分"]), f"{entry.label}：依据中没有{need['说明']}{where}"


# --- 材料著录、年度考核 ---------------------------------------------------------------------------------------------

def recorded(data: dict, item: dict) -> Iterator[Shortfall]:
    which = item["著录材料"]
    for e in items(data, "档案目录"):
        if not isinstance(e, dict) or not _in_class(e, which["类号"]) or not _named(e, which) \
                or str(e.get("接收时间") or "") < which.get("接收时间从", ""):
            continue
        lacking = [k for k in item["须著录"] if not e.get(k)]
        if lacking:
            yield (points(item.get("每份扣分", 1)),
                   f"{e.get('类号')}-{e.get('序号')}《{_title(e)}》目录中没有{'、'.join(lacking)}")


def assessments(data: dict, item: dict, policy, today: dt.date) -> Iterator[Shortfall]:
    since = item.get("从年度", 0)
    for year in missing_assessment_years(data, policy, today):
        if year >= since:
            yield points(item.get("每缺扣分", 1)), f"缺少{year}年度考核登记表（档案中也没有{year}年度的考核记载）"
