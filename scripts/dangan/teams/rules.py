"""The rules of the 领导班子 files.

B1xx (errors, except B109): the file agrees with the dossiers — members exist, names agree, each current
member's 现任职务 names the team's 单位 and the post, posts are in the 职数 table, no one twice. A transfer or
a new post that leaves a team inconsistent is found here (the pre-commit hook runs on dossiers/ and teams/).
B2xx (warnings, or the policy's level): the structure the policy asks of this kind of team (schema/policy.yaml
班子结构): women, 党外, minorities, young cadres, the age echelon, 超职数配备, the 全日制 本科 share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import stats
from ..findings import ERROR, WARNING, Finding
from ..repo import Repo, Team

POST_SEPARATORS = "、，,"


def post_parts(title: str, unit: str) -> list[str] | None:
    """The posts a 现任职务 text holds in ``unit`` ("长治市财政局党组成员、副局长" → [党组成员, 副局长]), or None
    when it does not name the unit. A leading 山西省 / 中共 is allowed, as 简历 writes it."""
    if not isinstance(title, str) or unit not in title:
        return None
    rest = title[title.index(unit) + len(unit):]
    for sep in POST_SEPARATORS:
        rest = rest.replace(sep, "、")
    return [p.strip() for p in rest.split("、") if p.strip()]


def holds(title: str, unit: str, post: str) -> bool:
    parts = post_parts(title, unit)
    return bool(parts) and post in parts


@dataclass
class People:
    """The dossiers by 编号 (only what the rules need)."""

    by_number: dict[str, dict]

    @classmethod
    def read(cls, repo: Repo) -> tuple[People, list]:
        reading = repo.read_all()
        return cls({d.number: d.data for d in reading.dossiers}), reading.skipped


def kind_of(repo: Repo, team: Team) -> dict | None:
    kinds = repo.policy.get("班子结构", default={}) or {}
    rule = kinds.get(team.data.get("类别"))
    return rule if isinstance(rule, dict) else None


def consistency(repo: Repo, team: Team, people: People) -> list[Finding]:
    out: list[Finding] = []
    data, rel, doc = team.data, team.rel, team.doc

    def at(path, severity, code, message, key=False):
        line, col = doc.mark(path, key=key)
        out.append(Finding(rel, line, col, severity, code, message))

    unit = data.get("单位")
    if team.path.stem != unit:
        at(("单位",), ERROR, "B108", f"文件名应为 teams/{unit}.yaml（与“单位”一致），现为 {team.path.name}")
    kinds = repo.policy.get("班子结构", default={}) or {}
    if data.get("类别") not in kinds:
        at(("类别",), ERROR, "B107", f"班子类别“{data.get('类别')}”不在政策文件“班子结构”中（可写：{'、'.join(kinds) or '无'}）")
    posts = data.get("职数") or {}
    seen: dict[str, int] = {}
    orders: dict[int, int] = {}
    for i, m in team.members():
        number, post = str(m.get("编号")), m.get("职务")
        start, end = m.get("任职时间"), m.get("离任时间")
        if end is not None and end < start:
            at(("成员", i, "离任时间"), ERROR, "B106", f"离任时间 {end} 早于任职时间 {start}")
        if post not in posts:
            at(("成员", i, "职务"), ERROR, "B104", f"职务“{post}”不在本班子的“职数”中（{'、'.join(posts)}）")
        person = people.by_number.get(number)
        if end is not None:  # a former member: the dossier may have left long ago
            if person is not None and person.get("姓名") != m.get("姓名"):
                at(("成员", i, "姓名"), ERROR, "B102", f"{number} 的档案姓名是“{person.get('姓名')}”，这里写“{m.get('姓名')}”")
            continue
        if number in seen:
            at(("成员", i, "编号"), ERROR, "B105", f"{number} 在现任成员中出现两次（另见第 {seen[number] + 1} 项）")
        seen.setdefault(number, i)
        if m.get("排序") in orders:
            at(("成员", i, "排序"), ERROR, "B105", f"排序 {m.get('排序')} 与第 {orders[m.get('排序')] + 1} 项重复")
        orders.setdefault(m.get("排序"), i)
        if person is None:
            at(("成员", i, "编号"), ERROR, "B101",
               f"现任成员 {number}（{m.get('姓名')}）的档案不在 dossiers/ 中：已转出或编号写错；离任的请填写离任时间")
            continue
        if person.get("姓名") != m.get("姓名"):
            at(("成员", i, "姓名"), ERROR, "B102", f"{number} 的档案姓名是“{person.get('姓名')}”，这里写“{m.get('姓名')}”")
        title = person.get("现任职务")
        if not holds(title, unit, post):
            at(("成员", i, "职务"), ERROR, "B103",
               f"{number} {m.get('姓名')} 的现任职务是“{title}”，不是{unit}{post}：任免后请同时改班子文件（离任写离任时间）")
    members = set(seen)
    for number, person in people.by_number.items():
        parts = post_parts(person.get("现任职务"), unit) if number not in members else None
        hit = [p for p in parts or [] if p in posts]
        if hit:
            at(("成员",), WARNING, "B109", f"{number} {person.get('姓名')} 的现任职务“{person.get('现任职务')}”是本班子的"
                                          f"{hit[0]}，但不在现任成员中", key=True)
    return out


@dataclass(frozen=True)
class Gap:
    code: str
    severity: str
    message: str


def structure(repo: Repo, team: Team, people: list[dict], day: dt.date, ctx: stats.Ctx | None = None) -> list[Gap]:
    """The structure gaps of a team's members (dossier mappings, already as of ``day``) against its kind's rules."""
    rule = kind_of(repo, team)
    if rule is None:
        return []
    ctx = ctx or stats.ctx_of(repo, day, teams=False)
    n = len(people)
    out: list[Gap] = []
    kind = team.data.get("类别")

    def want(key: str, code: str, what: str, count: int):
        need = rule.get(key)
        if isinstance(need, int) and count < need:
            out.append(Gap(code, WARNING, f"{what} {count} 名，{kind}要求至少 {need} 名"))

    want("女干部", "B201", "女干部", sum(stats.value(d, "性别") == "女" for d in people))
    want("党外干部", "B202", "党外干部", sum(stats.value(d, "政治面貌") not in stats.PARTY for d in people))
    want("少数民族干部", "B203", "少数民族干部", sum(stats.value(d, "民族") not in ("汉族", stats.NONE) for d in people))
    young = rule.get("年轻干部")
    if isinstance(young, dict):
        limit = young.get("年龄不超过")
        count = sum(1 for d in people if (a := stats.age(d, day)) is not None and a <= limit)
        if count < young.get("人数", 0):
            out.append(Gap("B204", WARNING, f"{limit} 岁及以下的年轻干部 {count} 名，{kind}要求至少 {young['人数']} 名"))
    most = rule.get("年龄段每段不超过")
    if isinstance(most, int):
        for band, k in stats.categories(stats.FIELDS["年龄段"], people, ctx):
            if k > most and band != stats.NONE:
                out.append(Gap("B205", WARNING, f"年龄段 {band} 有 {k} 人，超过每段 {most} 人（老中青梯次配备）"))
    posts = team.data.get("职数") or {}
    month = day.year * 12 + day.month - 1
    held: dict[str, int] = {}
    for m in team.members_on(month):
        held[m.get("职务")] = held.get(m.get("职务"), 0) + 1
    level = ERROR if rule.get("超职数") == ERROR else WARNING
    for post, quota in posts.items():
        if held.get(post, 0) > quota:
            out.append(Gap("B206", level, f"{post}实有 {held[post]} 名，超过核定职数 {quota} 名（超职数配备）"))
    floor = rule.get("全日制本科及以上不低于")
    if isinstance(floor, (int, float)) and n:
        full = sum(1 for d in people if (stats.highest_education(d, ctx.codes, "全日制") or (0,))[0] >= 6)
        if 100 * full / n < floor:
            out.append(Gap("B207", WARNING, f"全日制大学本科及以上 {full}/{n}（{stats.share(full, n)}），低于 {floor:g}%"))
    return out


def vacancies(team: Team, day: dt.date) -> list[tuple[str, int]]:
    """(post, how many places are empty) on that day."""
    month = day.year * 12 + day.month - 1
    held: dict[str, int] = {}
    for m in team.members_on(month):
        held[m.get("职务")] = held.get(m.get("职务"), 0) + 1
    return [(p, q - held.get(p, 0)) for p, q in (team.data.get("职数") or {}).items() if held.get(p, 0) < q]


def check(repo: Repo, day: dt.date) -> tuple[list[Finding], int, list]:
    """Every team file: load and schema problems, consistency (B1xx) and structure (B2xx) as of ``day``.

    Returns (findings, files, skipped dossiers)."""
    reading = repo.read_teams()
    out = list(reading.problems)
    if not reading.files:
        return out, 0, []
    people, skipped = People.read(repo)
    ctx = stats.ctx_of(repo, day, teams=False)
    for team in reading.teams:
        found = consistency(repo, team, people)
        out += found
        month = day.year * 12 + day.month - 1
        members = [people.by_number[str(m.get("编号"))] for m in team.members_on(month)
                   if str(m.get("编号")) in people.by_number]
        line, col = team.doc.mark(("类别",))
        out += [Finding(team.rel, line, col, g.severity, g.code, g.message)
                for g in structure(repo, team, members, day, ctx)]
    return out, reading.files, skipped
