"""任前审核, recorded: ``dangan review 编号 --stage 阶段 --ni-ren 职务 --by 审核人 --by 复核人 --record``.

凡提必审: 动议初审 → 考察复审 → 任用终审. Each stage is one entry of ledgers/任前审核.yaml with the verdict
the review computed, its grounds, the two reviewers and the Git commit of the dossier version reviewed.
A stage needs the one before it passed (same 编号 and 拟任职务); a key fact changed since that stage's
version holds the next one (暂缓) until the earlier stage is reviewed again.
"""

from __future__ import annotations

import subprocess

from .. import ledgers
from ..dates import parse_day
from ..repo import Repo
from ..review import report as rp
from ..review.pending import changed_since
from ..yamledit import EditError
from ..yamltext import Layout
from .edit import Outcome, past_day

STAGES = ledgers.STAGES


def _git(repo: Repo, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo.root, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def version_of(repo: Repo, rel: str) -> str:
    """The commit that last changed the dossier; refuses a dossier with changes not committed."""
    if _git(repo, "status", "--porcelain", "--", rel):
        raise EditError(f"{rel} 有未提交的改动：任前审核登记的是已提交的版本，请先提交再审核", 2)
    commit = _git(repo, "log", "-1", "--format=%H", "--", rel)
    if not commit:
        raise EditError(f"{rel} 还没有提交到 Git：任前审核登记的是已提交的版本，请先提交再审核", 2)
    return commit


def entries_of(repo: Repo) -> list[dict]:
    src = ledgers.read(repo, ledgers.REVIEW)
    return list(src.data) if src else []


def next_number(entries: list[dict], year: int) -> str:
    taken = {e.get("登记号") for e in entries}
    n = 1 + sum(1 for e in entries if str(e.get("登记号", "")).startswith(f"{year}-"))
    while f"{year}-{n:03d}" in taken:
        n += 1
    return f"{year}-{n:03d}"


def earlier_stage(entries: list[dict], number: str, post: str, stage: str) -> dict | None:
    """The latest entry of the stage before ``stage`` for this candidate and post (None for 动议初审)."""
    i = STAGES.index(stage)
    if i == 0:
        return None
    same = [e for e in entries if e.get("编号") == number and e.get("拟任职务") == post and e.get("阶段") == STAGES[i - 1]]
    return same[-1] if same else None


def record(repo: Repo, review: rp.Review, stage: str, post: str, reviewers: list[str], date: str | None,
           today) -> Outcome:
    """Append this stage's entry; the review's verdict and grounds are what is recorded."""
    if stage not in STAGES:
        raise EditError(f"阶段只能是{'、'.join(STAGES)}", 2)
    if not post:
        raise EditError("登记任前审核须写明拟任职务（--ni-ren）", 2)
    names = ["".join(n.split()) for n in reviewers]
    if len(set(names)) < 2:
        raise EditError("登记任前审核须有两名以上审核人（--by 审核人 --by 复核人），同一人不能算两人", 2)
    data = review.case.data
    family = {"".join(str(m.get("姓名", "")).split()): m.get("称谓") for m in data.get("家庭成员") or []
              if isinstance(m, dict)}
    for name in names:
        if name == "".join(str(data.get("姓名", "")).split()):
            raise EditError(f"审核人“{name}”是档案本人：本人不得审核本人的档案", 2)
        if name in family:
            raise EditError(f"审核人“{name}”是档案本人的{family[name] or '家庭成员'}：亲属应当回避", 2)
    day = past_day(date, today, "审核日期")
    rel = review.case.rel
    version = version_of(repo, rel)
    entries = entries_of(repo)
    number = review.case.number
    done = [e for e in entries if e.get("编号") == number and e.get("拟任职务") == post and e.get("阶段") == stage
            and e.get("结论") == "通过"]
    if done:
        raise EditError(f"{number}（拟任{post}）的{stage}已于 {done[-1].get('日期')} 通过（登记号 {done[-1].get('登记号')}），"
                        "不需要再登记", 2)
    before = earlier_stage(entries, number, post, stage)
    if STAGES.index(stage) > 0:
        prior = STAGES[STAGES.index(stage) - 1]
        if before is None or before.get("结论") != "通过":
            state = "没有登记" if before is None else f"的结论是{before.get('结论')}"
            raise EditError(f"{number}（拟任{post}）的{prior}{state}：凡提必审，{prior}通过后才能进行{stage}", 2)
        if parse_day(before.get("日期")) and parse_day(day) < parse_day(before.get("日期")):
            raise EditError(f"审核日期 {day} 早于{prior}的日期 {before.get('日期')}", 2)
        if before.get("版本") != version:
            changes = changed_since(repo, rel, str(before.get("版本")), data)
            if changes:
                review.reasons.append(f"自{prior}（{before.get('日期')}，版本 {str(before.get('版本'))[:10]}）以来关键信息有改动，"
                                      f"须重新进行{prior}：" + "；".join(changes[:5])
                                      + (f"等 {len(changes)} 处" if len(changes) > 5 else ""))
    entry = {"登记号": next_number(entries, parse_day(day).year), "编号": number, "姓名": data.get("姓名"),
             "拟任职务": post}
    if review.rank:
        entry["拟任职级"] = review.rank
    entry.update({"阶段": stage, "审核人": names, "日期": day, "结论": review.verdict,
                  "问题": review.refusals + review.reasons, "版本": version})
    change = ledgers.append(repo, ledgers.REVIEW, [entry], Layout.of(repo.schema_dir / ledgers.REVIEW.schema))
    return Outcome([change], [f"{change.rel}：登记 {number} {data.get('姓名')} 拟任{post} {stage}：{review.verdict}"
                              f"（登记号 {entry['登记号']}，审核人 {'、'.join(names)}，{day}）"],
                   commit=f"任前审核 {number} {data.get('姓名')} 拟任{post}：{stage}{review.verdict}（{entry['登记号']}）")
