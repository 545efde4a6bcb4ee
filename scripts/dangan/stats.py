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


def dimensions(people: list[dict], as_of: dt.date, bands: list[dict], codes: CodeTables,
               tenure: list[dict] | None = None) -> list[Dimension]:
    """The structure tables, in the order the site shows them."""
    avg = average_age(people, as_of)
    average = f"平均年龄 {avg:.1f} 岁。" if avg is not None else ""
    ctx = Ctx(as_of, codes, bands, list(tenure or TENURE_BANDS))
    more = [(FIELDS["年度考核结果"], "assessment"), (FIELDS["任现职年限"], "tenure"), (FIELDS["专长"], "specialty")]
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
        *(Dimension(f.title.replace("上一年度", f"{as_of.year - 1}年度"), anchor, categories(f, people, ctx), f.note)
          for f, anchor in more),
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
            "大学本科及以上": share(sum(1 for d in people if (highest_education(d, codes) or (0,))[0] >= 6), n),
            "全日制大学本科及以上": share(sum(1 for d in people if (highest_education(d, codes, "全日制") or (0,))[0] >= 6), n)}


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
    source: str = ""  # where the records come from when not today's dossiers/ (--recorded)
    copies: str = ""  # the 副本 not counted beside their 正本 (once_note)


def once(people: list[dict]) -> tuple[list[dict], list[str]]:
    """Each person once: a 副本 whose 正本 is here too (the same 身份证号, or the same 编号) is not counted again.
    Returns the people counted and the 编号 of the 副本 left out; a 副本 whose 正本 is elsewhere is counted."""
    ids = {d["身份证号"] for d in people if d.get("档案类别") != "副本" and isinstance(d.get("身份证号"), str)}
    numbers = {d["编号"] for d in people if d.get("档案类别") != "副本" and isinstance(d.get("编号"), str)}
    kept, left = [], []
    for d in people:
        if d.get("档案类别") == "副本" and (d.get("身份证号") in ids or d.get("编号") in numbers):
            left.append(str(d.get("编号") or ""))
        else:
            kept.append(d)
    return kept, left


def once_note(left: list[str]) -> str:
    """What `dangan stats` says of the 副本 it did not count (empty when there were none)."""
    if not left:
        return ""
    return (f"副本与正本都在本库中的 {len(left)} 人只计一次（按正本，计入保管正本的单位；未计的副本："
            f"{'、'.join(sorted(left))}）")


@dataclass
class Source:
    """The records counted: today's dossiers/ and teams/, or the repository as it stood in Git on a day."""

    people: list[dict]
    teams: list
    skipped: list
    day: dt.date  # the day the records describe (today, or the --recorded day)
    commit: str | None = None

    @classmethod
    def current(cls, repo) -> Source:
        from .dates import today

        reading = repo.read_all()
        return cls([d.data for d in reading.dossiers], repo.read_teams().teams, reading.skipped, today())

    @classmethod
    def recorded(cls, repo, day: dt.date) -> Source:
        """The records in the last commit (first parent of HEAD) made on or before that day: blobs, no checkout."""
        commit = repo.commit_on(day)
        reading = repo.read_all(at=commit)
        return cls([d.data for d in reading.dossiers], repo.read_teams(at=commit).teams, reading.skipped, day, commit)

    def ctx(self, repo, day: dt.date) -> Ctx:
        ctx = ctx_of(repo, day, teams=False)
        set_teams(ctx, self.teams)
        return ctx

    def keys(self, repo) -> list[str]:
        return list(repo.schema.top_keys)

    def note(self) -> str:
        return f"按 Git 中 {day_text(self.day)} 当日的记载（提交 {self.commit[:10]}）" if self.commit else ""

    def counted(self) -> tuple[list[dict], str]:
        """The people counted (each person once: ``once``) and what to say of the 副本 left out."""
        people, left = once(self.people)
        return people, once_note(left)


def compute(repo, as_of: dt.date, by: str | None = None, source: Source | None = None) -> Report:
    """Read dossiers/ (or the records of ``source``) and count, as of ``as_of``; ``by`` is any field (field_of).

    The files that cannot be read are listed in ``Report.skipped``."""
    src = source or Source.current(repo)
    policy, codes = repo.policy, repo.codes
    ctx = src.ctx(repo, as_of)
    counted, copies = src.counted()
    people = view(counted, as_of, src.day)
    groups = [("全部", people)]
    if by == "管档单位":
        registered = [u for u in policy.get("管档单位", default=[]) or [] if isinstance(u, str)]
        units: dict[str, list[dict]] = {u: [] for u in registered}
        for d in people:
            units.setdefault(value(d, "管档单位"), []).append(d)
        extra = sorted(u for u in units if u not in registered)
        groups += [(u, units[u]) for u in [*registered, *extra] if units[u]]
    elif by:
        f = field_of(by, src.keys(repo))
        parts: dict[str, list[dict]] = {}
        for d in people:
            for c in f.get(d, ctx):
                parts.setdefault(c, []).append(d)
        groups += [(label, parts[label]) for label, _n in _ordered(Counter({k: len(v) for k, v in parts.items()}),
                                                                    f.order(ctx) if f.order else [])]
    return Report(as_of, [Group(name, len(ps), unit_summary(ps, as_of, codes),
                                dimensions(ps, as_of, ctx.bands, codes, ctx.tenure_bands))
                          for name, ps in groups], src.skipped, src.note(), copies)


def _records(report: Report) -> list[dict]:
    return [{"范围": g.name, "维度": d.title, "类别": label.strip("　"), "人数": n, "占比": share(n, g.people)}
            for g in report.groups for d in g.dimensions for label, n in d.rows]


def as_json(report: Report) -> str:
    out = {"统计日期": f"{day_text(report.as_of)}", **({"记载": report.source} if report.source else {}),
           **({"副本": report.copies} if report.copies else {}), "范围": [
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
    blocks = [f"统计日期 {day_text(report.as_of)}" + (f"（{report.source}）" if report.source else "")
              + (f"\n{report.copies}" if report.copies else "")]
    for g in report.groups:
        blocks.append(f"\n【{g.name}】共 {g.people} 人；平均年龄 {g.summary['平均年龄']}，女性 {g.summary['女性']}，"
                      f"少数民族 {g.summary['少数民族']}，中共党员 {g.summary['中共党员']}，"
                      f"最高学历大学本科及以上 {g.summary['大学本科及以上']}（含在职教育），"
                      f"全日制大学本科及以上 {g.summary['全日制大学本科及以上']}")
        for d in g.dimensions:
            blocks.append(f"\n{d.title}" + (f"（{d.note}）" if d.note else ""))
            blocks.append(table_text(["类别", "人数", "占比"], [[label, str(n), share(n, g.people)] for label, n in d.rows],
                                     right={1, 2}))
    return "\n".join(blocks) + "\n"


# ---------------------------------------------------------------- any field, cross-tables, any day (issue 17)
#
# A Field puts each person into one or more categories (专长 is many-valued). Every table of `dangan stats
# --by/--rows/--cols/--trend`, `dangan teams report`, the Excel 统计 sheet and the site is counted by these
# classifiers over these views of the dossiers, so the numbers cannot drift apart.

TEAM_NONE = "（不在领导班子中）"
NOT_YET = "（当时尚未入党）"
NO_RESULT = "（无该年度结果）"
TENURE_BANDS = ({"名称": "不满3年", "最小": 0, "最大": 2}, {"名称": "3-5年", "最小": 3, "最大": 5},
                {"名称": "6-9年", "最小": 6, "最大": 9}, {"名称": "10年及以上", "最小": 10, "最大": 200})
_SPLIT = str.maketrans({c: "、" for c in "，,；;／/ "})
FORBIDDEN = ("身份证号", "家庭成员")


@dataclass
class Ctx:
    """What a classifier needs besides the person: the day, the bands, the code tables, the team map."""

    day: dt.date
    codes: CodeTables
    bands: list[dict]
    tenure_bands: list[dict] = field(default_factory=lambda: list(TENURE_BANDS))
    units: list[str] = field(default_factory=list)  # registered 管档单位, in the policy's order
    teams: dict[str, list[str]] = field(default_factory=dict)  # 编号 → 单位 of the teams they sit in that day
    team_order: list[str] = field(default_factory=list)


def ctx_of(repo, day: dt.date, teams: bool = True) -> Ctx:
    policy = repo.policy
    bands = [b for b in policy.get("年龄分段", default=[]) or [] if isinstance(b, dict)]
    tenure = [b for b in policy.get("任现职年限分段", default=[]) or [] if isinstance(b, dict)] or list(TENURE_BANDS)
    units = [u for u in policy.get("管档单位", default=[]) or [] if isinstance(u, str)]
    ctx = Ctx(day, repo.codes, bands, tenure, units)
    if teams:
        set_teams(ctx, repo.read_teams().teams)
    return ctx


def set_teams(ctx: Ctx, teams: list) -> None:
    """The team map of ``ctx.day``: each team's members in office that month (repo.Team.members_on)."""
    month = ctx.day.year * 12 + ctx.day.month - 1
    ctx.teams, ctx.team_order = {}, [t.name for t in teams]
    for t in teams:
        for m in t.members_on(month):
            ctx.teams.setdefault(str(m.get("编号")), []).append(t.name)


def current_segment(data: dict, month: int) -> dict | None:
    """The 简历 segment covering that month (起始 ≤ month < 截止, or 截止 empty): a 工作 one first."""
    found = []
    for seg in data.get("简历") or []:
        if not isinstance(seg, dict):
            continue
        start, end = month_index(seg.get("起始")), month_index(seg.get("截止"))
        if start is not None and start <= month and (end is None or month < end):
            found.append(seg)
    return next((s for s in found if s.get("性质") == "工作"), found[0] if found else None)


def tenure_years(data: dict, day: dt.date) -> int | None:
    """Whole years in the post held that day (from the 起始 of its 简历 segment)."""
    month = day.year * 12 + day.month - 1
    seg = current_segment(data, month)
    start = month_index(seg.get("起始")) if seg else None
    return None if start is None else (month - start) // 12


def on_day(data: dict, day: dt.date) -> dict | None:
    """The dossier as it describes that day, or None when the person was not yet a cadre then.

    A cadre from 干部身份.取得时间 (else 参加工作时间); 现任职务 and 职级 from the 简历 segment covering that
    month; only the 学历 graduated by then and the 年度考核 of earlier years; a 中共党员 who joined later was
    not one then. What the dossier does not date (专业技术职务, 专长, 管档单位, 民族) is taken as recorded now.
    """
    month = day.year * 12 + day.month - 1
    status = data.get("干部身份") if isinstance(data.get("干部身份"), dict) else {}
    start = month_index(status.get("取得时间")) or month_index(data.get("参加工作时间"))
    if start is None or start > month:
        return None
    out = dict(data)
    seg = current_segment(data, month)
    out["现任职务"] = seg.get("内容") if seg else None
    out["职级"] = seg.get("职级") if seg else None
    out["学历学位"] = [e for e in data.get("学历学位") or [] if isinstance(e, dict)
                   and (month_index(e.get("毕业时间")) or 10**9) <= month]
    out["年度考核"] = [e for e in data.get("年度考核") or [] if isinstance(e, dict)
                   and isinstance(e.get("年度"), int) and e["年度"] < day.year]
    joined = month_index(data.get("入党时间"))
    if data.get("政治面貌") in PARTY and joined is not None and joined > month:
        out["政治面貌"] = NOT_YET
    return out


def view(people: list[dict], day: dt.date, today: dt.date) -> list[dict]:
    """The people as of ``day``: the records as they are for today or later, their dated view for a past day."""
    if day >= today:
        return people
    return [v for v in (on_day(d, day) for d in people) if v is not None]


@dataclass(frozen=True)
class Field:
    name: str
    title: str  # what the table says it counts
    get: object  # (data, ctx) -> list[str]: the categories of one person (several for a many-valued field)
    order: object = None  # (ctx) -> list[str]: the categories in their natural order
    note: str = ""
    many: bool = False


def _one(v) -> list[str]:
    return [v.strip()] if isinstance(v, str) and v.strip() else [NONE]


def _edu_group(data: dict, ctx: Ctx, kind: str | None) -> list[str]:
    best = highest_education(data, ctx.codes, kind)
    return [next(g for lo, g in EDU_GROUPS if best[0] >= lo) if best else "无"]


def _specialties(data: dict, _ctx) -> list[str]:
    text = data.get("熟悉专业有何专长")
    if not isinstance(text, str) or not text.strip():
        return [NONE]
    return sorted({p.strip() for p in text.translate(_SPLIT).split("、") if p.strip()}) or [NONE]


def _assessment(data: dict, ctx: Ctx) -> list[str]:
    year = ctx.day.year - 1
    for e in data.get("年度考核") or []:
        if isinstance(e, dict) and e.get("年度") == year and isinstance(e.get("结果"), str):
            return [e["结果"]]
    return [NO_RESULT]


def _party_side(data: dict, _ctx) -> list[str]:
    return ["中共党员"] if value(data, "政治面貌") in PARTY else ["党外"]


def _minority(data: dict, _ctx) -> list[str]:
    v = value(data, "民族")
    return [v if v == NONE else "汉族" if v == "汉族" else "少数民族"]


def _band_order(bands):
    return lambda _c: [str(b.get("名称")) for b in bands]


EDU_ORDER = [g for _, g in EDU_GROUPS] + ["无"]
FIELDS: dict[str, Field] = {f.name: f for f in (
    Field("管档单位", "管档单位", lambda d, c: _one(d.get("管档单位")), lambda c: c.units),
    Field("班子", "领导班子", lambda d, c: c.teams.get(str(d.get("编号"))) or [TEAM_NONE],
          lambda c: [*c.team_order, TEAM_NONE], "按 teams/ 中当日在任的成员。"),
    Field("职级", "职级", lambda d, c: _one(d.get("职级")), lambda c: c.codes.rank_order),
    Field("最高学历", "最高学历（全日制与在职合并，取最高）", lambda d, c: _edu_group(d, c, None), lambda c: EDU_ORDER,
          "每人取全部学历中最高的一项，含在职教育。"),
    Field("全日制学历", "学历（全日制教育）", lambda d, c: _edu_group(d, c, "全日制"), lambda c: EDU_ORDER,
          "每人取全日制教育的最高学历。"),
    Field("在职学历", "学历（在职教育）", lambda d, c: _edu_group(d, c, "在职"), lambda c: EDU_ORDER,
          "每人取在职教育的最高学历；“无”为没有在职学历。"),
    Field("年龄段", "年龄", lambda d, c: [age_band(age(d, c.day), c.bands) or NONE], lambda c: _band_order(c.bands)(c),
          "按出生年月计算的周岁，分段见政策文件“年龄分段”。"),
    Field("性别", "性别", lambda d, c: _one(d.get("性别")), lambda c: ["男", "女"]),
    Field("民族", "民族", lambda d, c: _one(d.get("民族")), lambda c: c.codes.ethnicity_order),
    Field("少数民族", "汉族与少数民族", _minority, lambda c: ["汉族", "少数民族"]),
    Field("政治面貌", "政治面貌", lambda d, c: _one(d.get("政治面貌")), lambda c: [*c.codes.political_order, NOT_YET]),
    Field("党内外", "中共党员与党外干部", _party_side, lambda c: ["中共党员", "党外"], "党外：政治面貌不是中共党员（含预备党员）。"),
    Field("年度考核结果", "上一年度考核结果", _assessment,
          lambda c: ["优秀", "称职", "合格", "基本称职", "基本合格", "不称职", "不合格", "不定等次", NO_RESULT],
          "统计日期前一年（自然年）的年度考核等次。"),
    Field("专业技术职务", "专业技术职务", lambda d, c: _one(d.get("专业技术职务")), None, "按人数从多到少。"),
    Field("专长", "熟悉专业有何专长", _specialties, None, "一人可有多项专长，各项合计可多于人数。", many=True),
    Field("任现职年限", "任现职年限", lambda d, c: [age_band(tenure_years(d, c.day), c.tenure_bands) or NONE],
          lambda c: _band_order(c.tenure_bands)(c), "从简历中当日所在一段的起始年月算起的整年数。"),
)}
ALIASES = {"学历": "最高学历", "年龄": "年龄段", "考核": "年度考核结果", "年度考核": "年度考核结果",
           "熟悉专业有何专长": "专长", "领导班子": "班子", "党派": "政治面貌", "职务层次": "职级"}


def field_of(name: str, keys: list[str] | None = None) -> Field:
    """The classifier of a field name: a known one, an alias, or any other top-level text field of the dossier."""
    from .errors import UsageError

    name = ALIASES.get(name, name)
    if name in FIELDS:
        return FIELDS[name]
    if name in FORBIDDEN:
        raise UsageError(f"“{name}”不能用于统计（保护个人信息）")
    if keys is not None and name not in keys:
        known = "、".join([*FIELDS, *ALIASES])
        raise UsageError(f"没有字段“{name}”；可以统计：{known}，或档案中的其他文字字段（如 籍贯、健康状况）")
    return Field(name, name, lambda d, c, k=name: _one(d.get(k)), None, "按档案中的写法。")


def categories(f: Field, people: list[dict], ctx: Ctx) -> list[tuple[str, int]]:
    counts = Counter(c for d in people for c in f.get(d, ctx))
    return _ordered(counts, f.order(ctx) if f.order else [])


@dataclass
class Cross:
    """A cross-table: rows × cols → people; totals per row and column (a many-valued field counts once per item)."""

    rows: Field
    cols: Field
    row_labels: list[str]
    col_labels: list[str]
    cells: dict[tuple[str, str], int]
    people: int

    def row_total(self, r: str) -> int:
        return sum(self.cells.get((r, c), 0) for c in self.col_labels)

    def col_total(self, c: str) -> int:
        return sum(self.cells.get((r, c), 0) for r in self.row_labels)


def cross(rows: Field, cols: Field, people: list[dict], ctx: Ctx) -> Cross:
    cells: Counter = Counter()
    for d in people:
        for r in rows.get(d, ctx):
            for c in cols.get(d, ctx):
                cells[(r, c)] += 1
    by_row, by_col = Counter(), Counter()
    for (r, c), n in cells.items():
        by_row[r] += n
        by_col[c] += n
    rl = [k for k, _ in _ordered(by_row, rows.order(ctx) if rows.order else [])]
    cl = [k for k, _ in _ordered(by_col, cols.order(ctx) if cols.order else [])]
    return Cross(rows, cols, rl, cl, dict(cells), len(people))


# ---------------------------------------------------------------- `dangan stats --rows/--cols`, `--trend`

@dataclass
class Table:
    """A two-way table as printed, written to CSV/XLSX and drawn on the site: a corner label, column labels,
    rows of (label, values), and a caption that says what is counted and as of when."""

    caption: str
    corner: str
    columns: list[str]
    rows: list[tuple[str, list]]
    note: str = ""

    def records(self) -> list[list]:
        return [[label, *vals] for label, vals in self.rows]

    def as_dict(self) -> dict:
        return {"标题": self.caption, "说明": self.note, "行": self.corner, "列": self.columns,
                "数据": [{"类别": label, "值": vals} for label, vals in self.rows]}


def cross_table(repo, rows: str, cols: str | None, as_of: dt.date, source: Source | None = None) -> tuple[Table, list]:
    """--rows A [--cols B]: counts per category of A (and B), with totals; a one-way table without B."""
    src = source or Source.current(repo)
    ctx = src.ctx(repo, as_of)
    counted, copies = src.counted()
    people = view(counted, as_of, src.day)
    fr = field_of(rows, src.keys(repo))
    when = f"统计日期 {day_text(as_of)}" + (f"，{src.note()}" if src.note() else "")
    many = "；".join([f"{f.title}：{f.note}" for f in ([fr] + ([field_of(cols, src.keys(repo))] if cols else []))
                     if f.note] + ([copies] if copies else []))
    if not cols:
        cats = categories(fr, people, ctx)
        return Table(f"{fr.title}（{when}，共 {len(people)} 人）", fr.title, ["人数", "占比"],
                     [(label, [n, share(n, len(people))]) for label, n in cats], many), src.skipped
    fc = field_of(cols, src.keys(repo))
    c = cross(fr, fc, people, ctx)
    body = [(r, [*(c.cells.get((r, k), 0) for k in c.col_labels), c.row_total(r)]) for r in c.row_labels]
    body.append(("合计", [*(c.col_total(k) for k in c.col_labels), sum(c.row_total(r) for r in c.row_labels)]))
    return Table(f"{fr.title} × {fc.title}（{when}，共 {len(people)} 人）", f"{fr.title} \\ {fc.title}",
                 [*c.col_labels, "合计"], body, many), src.skipped


def parse_years(text: str) -> list[int]:
    from .errors import UsageError

    a, sep, b = text.partition("..")
    if not sep or not (a.isdigit() and b.isdigit() and len(a) == len(b) == 4) or not int(a) <= int(b) <= int(a) + 60:
        raise UsageError(f"--trend 应写作 起始年..截止年，如 2016..2026（不超过 60 年），不是“{text}”")
    return list(range(int(a), int(b) + 1))


TREND_METRICS = ("人数", "平均年龄", "女性", "少数民族", "中共党员", "党外", "35岁及以下", "最高学历大学本科及以上",
                 "全日制大学本科及以上")


def _metrics(people: list[dict], day: dt.date, codes: CodeTables) -> list:
    n = len(people)
    avg = average_age(people, day)
    young = sum(1 for d in people if (a := age(d, day)) is not None and a <= 35)
    return [n, f"{avg:.1f}" if avg is not None else "—",
            share(sum(value(d, "性别") == "女" for d in people), n),
            share(sum(value(d, "民族") not in ("汉族", NONE) for d in people), n),
            share(sum(value(d, "政治面貌") in PARTY for d in people), n),
            share(sum(value(d, "政治面貌") not in PARTY for d in people), n),
            share(young, n),
            share(sum(1 for d in people if (highest_education(d, codes) or (0,))[0] >= 6), n),
            share(sum(1 for d in people if (highest_education(d, codes, "全日制") or (0,))[0] >= 6), n)]


def trend(repo, years: list[int], rows: str | None, source: Source | None = None) -> tuple[Table, list]:
    """One column per year (as of 12.31, or the records' own day in their year): the counts of ``rows``'
    categories, or the headline shares."""
    src = source or Source.current(repo)
    return trends(repo, years, [rows], src)[0], src.skipped


def trends(repo, years: list[int], rows: list[str | None], src: Source) -> list[Table]:
    """``trend`` for several ``rows`` at once: each year's view of the people is worked out once for all."""
    days = [min(dt.date(y, 12, 31), src.day) for y in years]
    fields = [field_of(r, src.keys(repo)) if r else None for r in rows]
    counted, copies = src.counted()
    columns: list[list[dict]] = [[] for _ in fields]
    metrics: list[list] = []
    for day in days:
        people = view(counted, day, src.day)
        ctx = src.ctx(repo, day) if any(fields) else None
        for k, f in enumerate(fields):
            if f is None:
                metrics.append(_metrics(people, day, repo.codes))
            else:
                columns[k].append(dict(categories(f, people, ctx)))
    labels = [str(d.year) if d == dt.date(d.year, 12, 31) else day_text(d) for d in days]
    note = "每年按 12 月 31 日（当年按记载之日）的情况：当时已是干部的人，当时的职级、学历、年龄。" + (
        f"{copies}。" if copies else "")
    when = f"，{src.note()}" if src.note() else ""
    out = []
    for k, f in enumerate(fields):
        if f is None:
            out.append(Table(f"队伍结构 {labels[0]}–{labels[-1]}{when}", "项目", labels,
                             [(name, [m[i] for m in metrics]) for i, name in enumerate(TREND_METRICS)], note))
            continue
        order = f.order(src.ctx(repo, days[-1])) if f.order else []
        total: Counter = Counter()
        for col in columns[k]:
            total.update(col)
        cats = [c for c, _ in _ordered(total, order)]
        body = [(c, [col.get(c, 0) for col in columns[k]]) for c in cats]
        body.append(("合计（人数）" if not f.many else "合计（人次）", [sum(col.values()) for col in columns[k]]))
        out.append(Table(f"{f.title} {labels[0]}–{labels[-1]}{when}", f.title, labels, body,
                         note + (f"{f.title}：{f.note}" if f.note else "")))
    return out


def render_table(t: Table, fmt: str):
    from .textable import csv_rows, table_text

    header = [t.corner, *t.columns]
    if fmt == "json":
        return json.dumps(t.as_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(csv_rows([header])[0])
        w.writerows(csv_rows(t.records()))
        return buf.getvalue()
    if fmt == "xlsx":
        from .textable import xlsx_bytes

        return xlsx_bytes("统计表", header, t.records())
    body = [[str(v) for v in r] for r in t.records()]
    text = t.caption + "\n" + table_text(header, body, right=set(range(1, len(header)))) + "\n"
    return text + (f"说明：{t.note}\n" if t.note else "")
