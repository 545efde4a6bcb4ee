"""Structure statistics (结构分析): one computation for `dangan stats` and the site's charts.

Works on plain dossier mappings, so the site (which already holds them) and the CLI (which reads
dossiers/) count the same way. Age bands come from schema/policy.yaml (年龄分段); orders from the
code tables (x-层次 of education and rank, the enums of political status and ethnicity).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from dataclasses import dataclass, field

from .codes import PARTY_MEMBERS, CodeTables
from .dates import age_at, day_text, month_index

NONE = "（未填写）"
EDU_GROUPS = ((7, "研究生"), (6, "大学本科"), (5, "大学专科"), (1, "中专及以下"), (0, "其他"))
PARTY = PARTY_MEMBERS


def age(data: dict, as_of: dt.date) -> int | None:
    birth = month_index(data.get("出生年月"))
    return None if birth is None else age_at(birth, as_of)


def highest_education(data: dict, codes: CodeTables, kind: str | None = None) -> tuple[int, str] | None:
    """(层次, 简称) of the highest 学历 (of one 类别, 全日制 or 在职, when given)."""
    best = None
    for item in data.get("学历学位") or []:
        if not isinstance(item, dict) or (kind and item.get("类别") != kind):
            continue
        value = item.get("学历")
        level = codes.education_level.get(value) if isinstance(value, str) else None
        if level is not None and (best is None or level > best[0]):
            best = (level, codes.education_short.get(value, value))
    return best


def value(data: dict, key: str) -> str:
    v = data.get(key)
    return v.strip() if isinstance(v, str) and v.strip() else NONE


def _ordered(counts: Counter, order: list[str]) -> list[tuple[str, int]]:
    known = [(k, counts[k]) for k in order if counts.get(k)]
    rest = sorted(((k, n) for k, n in counts.items() if k not in order and k != NONE), key=lambda kv: (-kv[1], kv[0]))
    return known + rest + ([(NONE, counts[NONE])] if counts.get(NONE) else [])


def age_band(years: int | None, bands: list[dict]) -> str | None:
    if years is None:
        return None
    return next((str(b.get("名称")) for b in bands if isinstance(b.get("最小"), int) and isinstance(b.get("最大"), int)
                 and b["最小"] <= years <= b["最大"]), None)


def age_rows(people: list[dict], as_of: dt.date, bands: list[dict]) -> list[tuple[str, int]]:
    counts = Counter(age_band(age(d, as_of), bands) or NONE for d in people)
    return _ordered(counts, [str(b.get("名称")) for b in bands])


def education_rows(people: list[dict], codes: CodeTables, kind: str) -> list[tuple[str, int]]:
    counts = Counter()
    for d in people:
        best = highest_education(d, codes, kind)
        counts[next(g for lo, g in EDU_GROUPS if best[0] >= lo) if best else "无"] += 1
    return _ordered(counts, [g for _, g in EDU_GROUPS] + ["无"])


def simple_rows(people: list[dict], key: str, order: list[str]) -> list[tuple[str, int]]:
    return _ordered(Counter(value(d, key) for d in people), order)


def ethnicity_rows(people: list[dict], codes: CodeTables) -> list[tuple[str, int]]:
    counts = Counter(value(d, "民族") for d in people)
    minority = sum(n for k, n in counts.items() if k not in ("汉族", NONE))
    rows = [("汉族", counts.get("汉族", 0)), ("少数民族", minority)]
    rows += [(f"　其中：{k}", n) for k, n in _ordered(counts, codes.ethnicity_order) if k not in ("汉族", NONE)]
    return rows + ([(NONE, counts[NONE])] if counts.get(NONE) else [])


@dataclass
class Dimension:
    title: str
    anchor: str  # the site's HTML id
    rows: list[tuple[str, int]]
    note: str = ""


def average_age(people: list[dict], as_of: dt.date) -> float | None:
    ages = [a for a in (age(d, as_of) for d in people) if a is not None]
    return sum(ages) / len(ages) if ages else None


def dimensions(people: list[dict], as_of: dt.date, bands: list[dict], codes: CodeTables) -> list[Dimension]:
    """The structure tables, in the order the site shows them."""
    avg = average_age(people, as_of)
    average = f"平均年龄 {avg:.1f} 岁。" if avg is not None else ""
    return [
        Dimension("年龄", "age", age_rows(people, as_of, bands),
                  f"按出生年月计算到 {day_text(as_of)} 的周岁，分段见政策文件“年龄分段”。{average}"),
        Dimension("学历（全日制教育）", "education-full", education_rows(people, codes, "全日制"), "每人取全日制教育的最高学历。"),
        Dimension("学历（在职教育）", "education-part", education_rows(people, codes, "在职"),
                  "每人取在职教育的最高学历；“无”为没有在职学历。"),
        Dimension("性别", "sex", simple_rows(people, "性别", ["男", "女"])),
        Dimension("民族", "ethnicity", ethnicity_rows(people, codes)),
        Dimension("政治面貌", "political", simple_rows(people, "政治面貌", codes.political_order)),
        Dimension("职级", "rank", simple_rows(people, "职级", codes.rank_order)),
        Dimension("专业技术职务", "title", simple_rows(people, "专业技术职务", []), "按人数从多到少。"),
    ]


def unit_dimension(people: list[dict], registered: list[str]) -> Dimension:
    """人数 per 管档单位, registered units in the policy's order first."""
    return Dimension("管档单位", "unit", simple_rows(people, "管档单位", registered))


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def unit_summary(people: list[dict], as_of: dt.date, codes: CodeTables) -> dict:
    """One row of the per-unit overview: 人数, 平均年龄, shares of women, minorities, Party members, 本科+."""
    n = len(people)
    avg = average_age(people, as_of)
    return {"人数": n, "平均年龄": f"{avg:.1f}" if avg is not None else "—",
            "女性": share(sum(value(d, "性别") == "女" for d in people), n),
            "少数民族": share(sum(value(d, "民族") not in ("汉族", NONE) for d in people), n),
            "中共党员": share(sum(value(d, "政治面貌") in PARTY for d in people), n),
            "大学本科及以上": share(sum(1 for d in people if (highest_education(d, codes) or (0,))[0] >= 6), n)}


# ---------------------------------------------------------------- `dangan stats`

@dataclass
class Group:
    name: str  # 全部 or a 管档单位
    people: int
    summary: dict
    dimensions: list[Dimension] = field(default_factory=list)


@dataclass
class Report:
    as_of: dt.date
    groups: list[Group]
    skipped: list = field(default_factory=list)  # repo.Skipped: dossiers that could not be read, not counted


def compute(repo, as_of: dt.date, by: str | None = None) -> Report:
    """Read dossiers/ and count; the files that cannot be read are listed in ``Report.skipped``."""
    policy, codes = repo.policy, repo.codes
    bands = [b for b in policy.get("年龄分段", default=[]) or [] if isinstance(b, dict)]
    reading = repo.read_all()
    people = [d.data for d in reading.dossiers]
    groups = [("全部", people)]
    if by == "管档单位":
        registered = [u for u in policy.get("管档单位", default=[]) or [] if isinstance(u, str)]
        units: dict[str, list[dict]] = {u: [] for u in registered}
        for d in people:
            units.setdefault(value(d, "管档单位"), []).append(d)
        extra = sorted(u for u in units if u not in registered)
        groups += [(u, units[u]) for u in [*registered, *extra] if units[u]]
    return Report(as_of, [Group(name, len(ps), unit_summary(ps, as_of, codes), dimensions(ps, as_of, bands, codes))
                          for name, ps in groups], reading.skipped)


def _records(report: Report) -> list[dict]:
    return [{"范围": g.name, "维度": d.title, "类别": label.strip("　"), "人数": n, "占比": share(n, g.people)}
            for g in report.groups for d in g.dimensions for label, n in d.rows]


def as_json(report: Report) -> str:
    out = {"统计日期": f"{day_text(report.as_of)}", "范围": [
        {"名称": g.name, "人数": g.people, "概况": g.summary,
         "维度": [{"名称": d.title, "说明": d.note,
                   "分类": [{"类别": label.strip("　"), "人数": n, "占比": share(n, g.people)} for label, n in d.rows]}
                  for d in g.dimensions]} for g in report.groups]}
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def render(report: Report, fmt: str):
    """table / csv / json text, or xlsx bytes."""
    from .textable import csv_rows, table_text

    if fmt == "json":
        return as_json(report)
    records = _records(report)
    columns = ["范围", "维度", "类别", "人数", "占比"]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        w.writerows(csv_rows([[r[c] for c in columns] for r in records]))
        return buf.getvalue()
    if fmt == "xlsx":
        from .textable import xlsx_bytes

        return xlsx_bytes("结构统计", columns, [[r[c] for c in columns] for r in records])
    blocks = [f"统计日期 {day_text(report.as_of)}"]
    for g in report.groups:
        blocks.append(f"\n【{g.name}】共 {g.people} 人；平均年龄 {g.summary['平均年龄']}，女性 {g.summary['女性']}，"
                      f"少数民族 {g.summary['少数民族']}，中共党员 {g.summary['中共党员']}，"
                      f"大学本科及以上 {g.summary['大学本科及以上']}")
        for d in g.dimensions:
            blocks.append(f"\n{d.title}" + (f"（{d.note}）" if d.note else ""))
            blocks.append(table_text(["类别", "人数", "占比"], [[label, str(n), share(n, g.people)] for label, n in d.rows],
                                     right={1, 2}))
    return "\n".join(blocks) + "\n"
