"""`dangan teams report [单位] [--as-of]`: one table per team and the gaps to fill before the next 换届.

The members are the team's members in office that day (the team file's own history); each person is the
dossier as it describes that day (``stats.on_day`` for a past day); counted by ``dangan.stats``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from .. import stats
from ..dates import day_text, month_index
from ..repo import Repo, Team
from .rules import Gap, structure, vacancies

COLUMNS = ["排序", "姓名", "职务", "性别", "年龄", "民族", "政治面貌", "全日制学历", "在职学历", "任现职年限", "专业"]


@dataclass
class TeamReport:
    team: Team
    day: dt.date
    rows: list[dict]
    summary: dict
    gaps: list[Gap]
    empty: list[tuple[str, int]]
    missing: list[str] = field(default_factory=list)  # members whose dossier is not in dossiers/

    def as_dict(self) -> dict:
        d = self.team.data
        return {"单位": self.team.name, "类别": d.get("类别"), "统计日期": day_text(self.day),
                "上次换届": d.get("上次换届"), "下次换届": d.get("下次换届"), "职数": d.get("职数"),
                "成员": self.rows, "概况": self.summary,
                "缺口": [{"代码": g.code, "说明": g.message} for g in self.gaps],
                "空缺职数": [{"职务": p, "空缺": n} for p, n in self.empty],
                "档案不在库": self.missing}


def _edu(data: dict, codes, kind: str) -> str:
    best = stats.highest_education(data, codes, kind)
    return best[1] if best else "—"


def _major(data: dict, codes) -> str:
    best, text = None, ""
    for e in data.get("学历学位") or []:
        level = codes.education_level.get(e.get("学历")) if isinstance(e, dict) else None
        if level is not None and (best is None or level > best):
            best, text = level, e.get("院系专业") or ""
    return text or "—"


def report(repo: Repo, team: Team, day: dt.date, today: dt.date, by_number: dict[str, dict]) -> TeamReport:
    month = day.year * 12 + day.month - 1
    ctx = stats.ctx_of(repo, day, teams=False)
    rows, people, missing = [], [], []
    for m in team.members_on(month):
        number = str(m.get("编号"))
        data = by_number.get(number)
        if data is None:
            missing.append(f"{number} {m.get('姓名')}")
            continue
        if day < today:
            data = stats.on_day(data, day) or data
        people.append(data)
        start = month_index(m.get("任职时间"))
        years = (month - start) // 12 if start is not None else None
        a = stats.age(data, day)
        rows.append({"排序": m.get("排序"), "编号": number, "姓名": data.get("姓名"), "职务": m.get("职务"),
                     "性别": stats.value(data, "性别"), "年龄": a if a is not None else "—",
                     "民族": stats.value(data, "民族"), "政治面貌": stats.value(data, "政治面貌"),
                     "全日制学历": _edu(data, repo.codes, "全日制"), "在职学历": _edu(data, repo.codes, "在职"),
                     "任现职年限": years if years is not None else "—", "专业": _major(data, repo.codes)})
    n = len(people)
    avg = stats.average_age(people, day)
    full = sum(1 for d in people if (stats.highest_education(d, repo.codes, "全日制") or (0,))[0] >= 6)
    summary = {"职数": sum((team.data.get("职数") or {}).values()), "实有": n,
               "平均年龄": f"{avg:.1f}" if avg is not None else "—",
               "女干部": sum(stats.value(d, "性别") == "女" for d in people),
               "党外干部": sum(stats.value(d, "政治面貌") not in stats.PARTY for d in people),
               "少数民族": sum(stats.value(d, "民族") not in ("汉族", stats.NONE) for d in people),
               "全日制本科及以上": f"{full}/{n}（{stats.share(full, n)}）",
               "年龄段": dict(stats.categories(stats.FIELDS["年龄段"], people, ctx))}
    return TeamReport(team, day, rows, summary, structure(repo, team, people, day, ctx), vacancies(team, day), missing)


def reports(repo: Repo, ref: str | None, day: dt.date, today: dt.date,
            at: str | None = None) -> tuple[list[TeamReport], list, list]:
    """(reports, skipped dossiers, team-file problems) for one team or all of them; ``at``: teams/ and dossiers/ as a
    commit recorded them (``--recorded``), read from Git without a checkout."""
    reading = repo.read_teams(at=at)
    if ref and at is None:
        teams = [repo.team(ref)]
    elif ref:
        key = ref.removesuffix(".yaml").removesuffix(".yml").rsplit("/", 1)[-1]
        teams = [t for t in reading.teams if ref == t.name or key == t.path.stem]
        if not teams:
            from ..errors import UsageError

            raise UsageError(f"那一天的 Git 记载中没有“{ref}”的领导班子（teams/<单位>.yaml）")
    else:
        teams = reading.teams
    dossiers = repo.read_all(at=at)
    by_number = {d.number: d.data for d in dossiers.dossiers}
    return [report(repo, t, day, today, by_number) for t in teams], dossiers.skipped, reading.problems


def render(items: list[TeamReport], fmt: str) -> str:
    from ..textable import table_text

    if fmt == "json":
        return json.dumps([r.as_dict() for r in items], ensure_ascii=False, indent=2) + "\n"
    blocks = []
    for r in items:
        d, s = r.team.data, r.summary
        head = f"【{r.team.name}】{d.get('类别')}，统计日期 {day_text(r.day)}"
        if d.get("下次换届"):
            head += f"，下次换届 {d['下次换届']}"
        blocks.append(head)
        blocks.append(f"职数 {s['职数']}，实有 {s['实有']}；平均年龄 {s['平均年龄']}；女干部 {s['女干部']}，党外干部 {s['党外干部']}，"
                      f"少数民族 {s['少数民族']}；全日制大学本科及以上 {s['全日制本科及以上']}")
        if r.rows:
            blocks.append(table_text(COLUMNS, [[str(row[c]) for c in COLUMNS] for row in r.rows], right={0, 4, 9}))
        else:
            blocks.append("（当日没有在任成员）")
        bands = "，".join(f"{k} {v}" for k, v in s["年龄段"].items())
        blocks.append(f"年龄段：{bands or '—'}")
        gaps = [f"  {g.code} {g.message}" for g in r.gaps] + [f"  {p}空缺 {k} 名" for p, k in r.empty]
        gaps += [f"  {m} 的档案不在 dossiers/ 中，未计入" for m in r.missing]
        blocks.append(("换届前要补齐的缺口：" if d.get("下次换届") else "缺口：") + ("\n" + "\n".join(gaps) if gaps else "无"))
        blocks.append("")
    return "\n".join(blocks)
