"""专项审核, recorded: ``dangan special-review 编号 --stage 初审|复审 --by 审核人 --conclusion 结论 --record``.

One entry of ledgers/专项审核.yaml per stage: the reviewer, the conclusion, what was still open and the Git commit of
the dossier version reviewed. The 复审 follows an 初审 of the same dossier and is made by someone else.
"""

from __future__ import annotations

from .. import ledgers
from ..dates import parse_day
from ..repo import Repo
from ..review.special import STAGES, Special
from ..yamledit import EditError
from ..yamltext import Layout
from .edit import Outcome, past_day
from .pretrial import next_number, version_of


def entries_of(repo: Repo, number: str | None = None) -> list[dict]:
    src = ledgers.read(repo, ledgers.SPECIAL)
    data = src.data if src is not None and isinstance(src.data, list) else []
    entries: list[dict] = [e for e in data if isinstance(e, dict)]
    return [e for e in entries if number is None or e.get("编号") == number]


def record(repo: Repo, s: Special, stage: str, reviewer: str, conclusion: str, date: str | None, today) -> Outcome:
    if stage not in STAGES:
        raise EditError(f"阶段只能是{'、'.join(STAGES)}", 2)
    who = "".join((reviewer or "").split())
    if not who:
        raise EditError("登记专项审核须写明审核人（--by 姓名）", 2)
    if not (conclusion or "").strip():
        raise EditError("登记专项审核须写明审核意见（--conclusion …）", 2)
    data = s.case.data
    if who == "".join(str(data.get("姓名", "")).split()):
        raise EditError(f"审核人“{who}”是档案本人：本人不得审核本人的档案", 2)
    for m in data.get("家庭成员") or []:
        if isinstance(m, dict) and who == "".join(str(m.get("姓名", "")).split()):
            raise EditError(f"审核人“{who}”是档案本人的{m.get('称谓') or '家庭成员'}：亲属应当回避", 2)
    day = past_day(date, today, "审核日期")
    when = parse_day(day)
    assert when is not None  # past_day refuses anything else
    number, rel = s.case.number, s.case.rel
    version = version_of(repo, rel)
    everything = entries_of(repo)
    mine = [e for e in everything if e.get("编号") == number]
    if stage == "复审":
        first = [e for e in mine if e.get("阶段") == "初审"]
        if not first:
            raise EditError(f"{number} 还没有登记专项审核的初审：先初审，再由另一人复审", 2)
        if all("".join(str(e.get("审核人", "")).split()) == who for e in first):
            raise EditError(f"“{who}”进行了初审：复审须由初审以外的人进行", 2)
        if any((d := parse_day(e.get("日期"))) is not None and when < d for e in first):
            raise EditError(f"审核日期 {day} 早于初审的日期", 2)
    entry = {"登记号": next_number(everything, when.year), "编号": number, "姓名": data.get("姓名"),
             "阶段": stage, "审核人": who, "日期": day, "结论": conclusion.strip(), "未结问题": s.open, "版本": version}
    change = ledgers.append(repo, ledgers.SPECIAL, [entry], Layout.of(repo.schema_dir / ledgers.SPECIAL.schema))
    still = f"，未结问题 {len(s.open)} 个" if s.open else "，没有未结的问题"
    return Outcome([change], [f"{change.rel}：登记 {number} {data.get('姓名')} 专项审核{stage}（登记号 {entry['登记号']}，"
                              f"审核人 {who}，{day}{still}）"],
                   commit=f"专项审核 {number} {data.get('姓名')}：{stage}（{entry['登记号']}）")
