"""The 部务会 list: every candidate of ledgers/任前审核.yaml by stage (``dangan review --pending``, the site).

A candidate is one 编号 with one 拟任职务. Their state is the latest entry of the ledger:
- 可以提交部务会: 任用终审 通过 (so all three stages passed), and the dossier not changed in a key fact since;
- 审核中: the latest stage passed, the next one not yet reviewed;
- 暂缓: the latest entry held (补充、查清后再审);
- 不予通过: the latest entry refused (不得提交部务会).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import dataclass, field

from .. import ledgers
from ..history import fielddiff
from ..load import LoadError, load_bytes
from ..privacy import scrub
from ..repo import Repo
from .report import show  # one way to write a value on one line

READY, UNDER_WAY, HELD, REFUSED = "可以提交部务会", "审核中", "暂缓", "不予通过"
STATES = (READY, UNDER_WAY, HELD, REFUSED)
KEY_FIELDS = ("出生年月", "参加工作时间", "入党时间", "政治面貌", "学历学位", "干部身份", "简历", "职级", "奖惩情况",
              "年度考核", "认定记录")



def changed_since(repo: Repo, rel: str, commit: str, now: dict) -> list[str]:
    """The key facts that differ between the dossier at ``commit`` and ``now`` (labels with old → new)."""
    raw = subprocess.run(["git", "show", f"{commit}:{rel}"], cwd=repo.root, capture_output=True)
    if raw.returncode:
        return [f"提交 {commit[:10]} 中没有 {rel}，无法核对自那时以来的改动"]
    try:
        old = load_bytes(raw.stdout, rel).data
    except LoadError:
        return [f"提交 {commit[:10]} 中的 {rel} 不能读取，无法核对自那时以来的改动"]
    return [f"{c.label}：{show(c.old)} → {show(c.new)}" for c in fielddiff.diff(old, now, list(KEY_FIELDS))]


@dataclass
class Candidate:
    number: str
    name: str
    post: str
    rank: str | None
    entries: list[dict] = field(default_factory=list)  # this candidate's ledger entries, in ledger order
    state: str = UNDER_WAY
    notes: list[str] = field(default_factory=list)
    gone: bool = False  # the dossier is no longer in dossiers/ (transferred out, or removed): listed all the same

    @property
    def last(self) -> dict:
        return self.entries[-1]

    def stage_line(self, entry: dict) -> str:
        return f"{entry.get('阶段')} {entry.get('结论')}（{entry.get('日期')}，登记号 {entry.get('登记号')}，" \
               f"审核人 {'、'.join(entry.get('审核人') or [])}）"


def pending(repo: Repo, as_of: dt.date) -> list[Candidate]:
    """Every candidate in the ledger (read leniently: `dangan ledger check` reports a bad entry), by state."""
    found: dict[tuple, Candidate] = {}
    for e in ledgers.load(repo, ledgers.REVIEW).items:
        day = e.get("日期")
        if not isinstance(e.get("编号"), str) or not isinstance(e.get("拟任职务"), str) or not isinstance(day, str):
            continue
        if day > f"{as_of.year:04d}.{as_of.month:02d}.{as_of.day:02d}":
            continue  # after the day the list is made for
        key = (e["编号"], e["拟任职务"])
        c = found.setdefault(key, Candidate(e["编号"], str(e.get("姓名") or ""), e["拟任职务"], e.get("拟任职级")))
        c.entries.append(e)
    for c in found.values():
        last = c.last
        verdict, stage = last.get("结论"), last.get("阶段")
        c.gone = repo.find(c.number) is None
        if verdict == "不予通过":
            c.state = REFUSED
            c.notes = list(last.get("问题") or [])
        elif verdict == "暂缓":
            c.state = HELD
            c.notes = list(last.get("问题") or [])
        elif stage == ledgers.STAGES[-1]:
            c.state = READY
            path = repo.find(c.number)
            if path is None:
                c.state = HELD
            elif isinstance(last.get("版本"), str):
                try:
                    now = load_bytes(path.read_bytes(), repo.rel(path)).data
                except LoadError:
                    now = None
                changes = changed_since(repo, repo.rel(path), last["版本"], now) if isinstance(now, dict) else \
                    ["档案现在不能读取"]
                if changes:
                    c.state = HELD
                    c.notes = ["任用终审以来档案的关键信息有改动，须重新审核：" + "；".join(changes[:5])]
        else:
            c.state = UNDER_WAY
            nxt = ledgers.STAGES[ledgers.STAGES.index(stage) + 1] if stage in ledgers.STAGES[:-1] else "下一阶段"
            c.notes = [f"待{nxt}"]
        if c.gone:
            c.notes.insert(0, gone_note(c.number, c.state == HELD and stage == ledgers.STAGES[-1] and verdict == "通过"))
    return sorted(found.values(), key=lambda c: (STATES.index(c.state), c.number, c.post))


def gone_note(number: str, ready: bool) -> str:
    """What the list says of a candidate whose dossier has left dossiers/ (the review entries stay in the ledger)."""
    return (f"档案 {number} 已不在 dossiers/ 中（已转出或移走），本库不再保管：审核记录照列，"
            + ("不能提交部务会" if ready else "各阶段的结论以登记时的档案为准") + "；查转递登记（ledgers/转递.yaml）")


def text(candidates: list[Candidate], as_of: dt.date) -> str:
    out = [f"任前审核进度（{as_of.year:04d}.{as_of.month:02d}.{as_of.day:02d}）：拟任人选 {len(candidates)} 名", ""]
    titles = {READY: "一、可以提交部务会（动议初审、考察复审、任用终审均已通过）", UNDER_WAY: "二、审核中（不能提交部务会）",
              HELD: "三、暂缓（补充材料、查清问题后再审，不能提交部务会）", REFUSED: "四、不予通过（不得提交部务会）"}
    for state in STATES:
        group = [c for c in candidates if c.state == state]
        out.append(f"{titles[state]}：{len(group)} 名")
        for c in group:
            rank = f"（{c.rank}）" if c.rank else ""
            out.append(f"  {c.number} {c.name} 拟任{c.post}{rank}")
            out += [f"    {c.stage_line(e)}" for e in c.entries]
            out += [f"    · {n}" for n in c.notes]
        if not group:
            out.append("  无")
        out.append("")
    return scrub("\n".join(out))


def as_json(candidates: list[Candidate]) -> str:
    doc = [{"编号": c.number, "姓名": c.name, "拟任职务": c.post, "拟任职级": c.rank, "状态": c.state, "说明": c.notes,
            "档案在库": not c.gone,
            "阶段": [{k: e.get(k) for k in ("登记号", "阶段", "结论", "日期", "审核人", "问题", "版本")} for e in c.entries]}
           for c in candidates]
    return scrub(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"
