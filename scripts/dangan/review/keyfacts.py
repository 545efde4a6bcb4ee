"""The seven key facts (三龄二历一身份 + 家庭成员): current value, earliest supporting record, 认定, disagreements.

“Earliest supporting record”: among the catalog entries a fact names in its 依据 — or, for the three
ages and the family, whose 材料名称 contains one of the policy's keywords for that fact
(任前审核.最早记录) — the one with the earliest 形成时间. The catalog holds no values, so a
disagreement is what can be seen from dates: a 认定 whose value differs from the file, an ID number
whose birth month differs, a record made more than 核对容差月数 away from the date it supports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..dates import month_index, month_text, parse_partial
from ..rules import catalog_index, items

FACTS = ("出生年月", "参加工作时间", "入党时间", "学历学位", "工作经历", "干部身份", "家庭成员")
PARTY = ("中共党员", "中共预备党员")


@dataclass
class Fact:
    name: str
    value: str  # the current value, as text (family: only in the CLI report; the site shows counts)
    earliest: str = ""  # "6-1 入团志愿书（2006.07）"
    determinations: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    missing: bool = False  # no supporting record at all
    applicable: bool = True
    records: list[str] = field(default_factory=list)  # what the materials record of it (档案目录[].记载)


def _made(entry) -> int | None:
    p = parse_partial(entry.get("形成时间"))
    return None if p is None else p[0].year * 12 + p[0].month - 1


def _describe(ref: str, entry: dict) -> str:
    return f"{ref} {entry.get('材料名称', '')}（{entry.get('形成时间', '')}）"


def _earliest(refs: list[tuple[str, dict]]) -> tuple[str, dict] | None:
    dated = [(m, ref, e) for ref, e in refs if (m := _made(e)) is not None]
    if not dated:
        return refs[0] if refs else None
    m, ref, e = min(dated, key=lambda t: (t[0], t[1]))
    return ref, e


def _by_title(index: dict, words: list[str]) -> list[tuple[str, dict]]:
    return [(ref, e) for ref, e in index.items() if isinstance(e.get("材料名称"), str)
            and any(w in e["材料名称"] for w in words)]


def _by_basis(index: dict, basis) -> list[tuple[str, dict]]:
    return [(b, index[b]) for b in (basis if isinstance(basis, list) else []) if isinstance(b, str) and b in index]


def _determinations(data: dict, prefix: str) -> list[str]:
    out = []
    for e in items(data, "认定记录"):
        if isinstance(e, dict) and isinstance(e.get("项目"), str) and e["项目"].startswith(prefix):
            out.append(f"{e.get('认定日期', '')} {e.get('认定机关', '')} {e.get('文号', '')}：{e['项目']} "
                       f"{e.get('原值')} → {e.get('认定值')}（依据 {'、'.join(map(str, e.get('依据') or []))}）")
    return out


def _far(entry: dict, month: int | None, tolerance: int) -> bool:
    made = _made(entry)
    return made is not None and month is not None and abs(made - month) > tolerance


def key_facts(data: dict, policy) -> list[Fact]:
    conf = policy.get("任前审核", default={}) or {}
    words = conf.get("最早记录", {}) or {}
    tolerance = conf.get("核对容差月数", 12)
    index = catalog_index(data)
    facts = []

    # 三龄: found by title keywords
    for name in ("出生年月", "参加工作时间", "入党时间"):
        value = data.get(name)
        f = Fact(name, str(value) if value is not None else "（未填）", determinations=_determinations(data, name))
        if name == "入党时间" and data.get("政治面貌") not in PARTY and value is None:
            f.applicable, f.value = False, "（非党员，不适用）"
            facts.append(f)
            continue
        found = _earliest(_by_title(index, words.get(name, [])))
        month = month_index(value)
        if found is None:
            f.missing = True
        else:
            f.earliest = _describe(*found)
            # a birth record is made years after birth; only work and Party records sit at the date itself
            if name != "出生年月" and _far(found[1], month, tolerance):
                f.disagreements.append(f"最早记录 {found[0]} 的形成时间（{found[1].get('形成时间')}）"
                                       f"与{name}（{value}）相差超过 {tolerance} 个月")
            if name == "出生年月" and month is not None and (made := _made(found[1])) is not None and made < month:
                f.disagreements.append(f"最早记录 {found[0]} 形成于出生之前（{found[1].get('形成时间')}）")
        latest = [e for e in items(data, "认定记录") if isinstance(e, dict) and e.get("项目") == name]
        if latest and latest[-1].get("认定值") != value:
            f.disagreements.append(f"与最近一次认定值（{latest[-1].get('认定值')}）不符")
        if name == "出生年月" and isinstance(data.get("身份证号"), str) and len(data["身份证号"]) == 18:
            ident = data["身份证号"]
            if month is not None and f"{ident[6:10]}.{ident[10:12]}" != value:
                f.disagreements.append("身份证号中的出生年月与档案不一致（身份证不是认定依据，须核实）")
        facts.append(f)

    # 学历学位: each entry's 依据
    edu = [e for e in items(data, "学历学位") if isinstance(e, dict)]
    f = Fact("学历学位", "；".join(f"{e.get('类别', '')} {e.get('学历', '')} {e.get('学位') or ''}".strip() for e in edu)
             or "（无）", determinations=_determinations(data, "学历学位"))
    refs = []
    for i, e in enumerate(edu, 1):
        mine = _by_basis(index, e.get("依据"))
        if not mine:
            f.disagreements.append(f"第 {i} 项（{e.get('学历', '')}）没有可查的依据材料")
            f.missing = True
        refs += mine
    if (found := _earliest(refs)) is not None:
        f.earliest = _describe(*found)
    facts.append(f)

    # 工作经历: the resume's posts and their 依据
    resume = [e for e in items(data, "简历") if isinstance(e, dict)]
    posts = [e for e in resume if e.get("性质") == "工作"]
    f = Fact("工作经历", f"简历 {len(resume)} 段，其中工作 {len(posts)} 段；现任 {data.get('现任职务', '')}",
             determinations=_determinations(data, "简历"))
    refs = [r for e in posts for r in _by_basis(index, e.get("依据"))] or _by_title(index, words.get("工作经历", []))
    if (found := _earliest(refs)) is not None:
        f.earliest = _describe(*found)
    else:
        f.missing = bool(posts)
    facts.append(f)

    # 干部身份
    status = data.get("干部身份") if isinstance(data.get("干部身份"), dict) else {}
    f = Fact("干部身份", f"{status.get('取得方式', '（未填）')} {status.get('取得时间', '')}".strip(),
             determinations=_determinations(data, "干部身份"))
    refs = _by_basis(index, status.get("依据")) or _by_title(index, words.get("干部身份", []))
    if (found := _earliest(refs)) is None:
        f.missing = bool(status)
    else:
        f.earliest = _describe(*found)
        if _far(found[1], month_index(status.get("取得时间")), tolerance):
            f.disagreements.append(f"依据 {found[0]} 的形成时间（{found[1].get('形成时间')}）"
                                   f"与取得时间（{status.get('取得时间')}）相差超过 {tolerance} 个月")
    facts.append(f)

    # 家庭成员: the value is the list itself (CLI only); the site shows counts
    family = [e for e in items(data, "家庭成员") if isinstance(e, dict)]
    f = Fact("家庭成员", "；".join(f"{e.get('称谓', '')} {e.get('姓名', '')} {e.get('出生年月', '')} "
                                  f"{e.get('政治面貌', '')} {e.get('工作单位及职务', '')}".strip() for e in family)
             or "（无）", determinations=_determinations(data, "家庭成员"))
    if (found := _earliest(_by_title(index, words.get("家庭成员", [])))) is None:
        f.missing = bool(family)
    else:
        f.earliest = _describe(*found)
    birth = month_index(data.get("出生年月"))
    for e in family:  # a parent younger than 14 years at the cadre's birth is a data error or an alteration
        if e.get("称谓") in ("父亲", "母亲") and birth is not None and (m := month_index(e.get("出生年月"))) is not None \
                and birth - m < 14 * 12:
            f.disagreements.append(f"{e.get('称谓')}的出生年月（{month_text(m)}）与本人出生年月相距不足 14 年")
    facts.append(f)
    _recorded(data, facts)
    return facts


def _recorded(data: dict, facts: list[Fact]) -> None:
    """Each fact's 记载 lines ("4-1-1 高中毕业生登记表（1990.07）：1972.04"), the same the 专项审核 lists."""
    from ..rules.records import records_of

    where = {"学历": "学历学位", "学位": "学历学位"}
    by_name = {f.name: f for f in facts}
    formed = {i: e.get("形成时间") for i, e in enumerate(items(data, "档案目录")) if isinstance(e, dict)}
    for key, recs in records_of(data).items():
        fact = by_name.get(where.get(key, key))
        if fact is None:
            continue
        label = f"{key} " if key in where else ""
        fact.records += [f"{ref}（{formed.get(i) or '形成时间不详'}）：{label}{value}" for i, ref, value, _s in recs]
