"""``dangan audit``: every change to a protected fact in a range of history, and what else the trail shows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..privacy import scrub
from ..repo import Repo, RepoError
from . import gitlog
from .render import change_dict, change_line, signature, verdict
from .scan import CommitRecord, scan

if TYPE_CHECKING:
    from .baseline import Baseline

# Finding codes of the trail (docs/manual/codes.md, section T).
UNAUTHORISED, UNDOCUMENTED_DELETE, BYPASS, REWRITTEN, UNPARSEABLE = "T001", "T002", "T003", "T004", "T005"
RETURNED = "T006"  # a dossier came (back) into dossiers/ changed against the last version this repository held
INTAKE = "T007"  # a dossier received by 转入 did not enter as the file received (its recorded hash)
RECEIVED = "T008"  # a dossier received by 转入 differs from the one this repository held of the same person
COPY_ALONE = "T009"  # a 副本's key fact changed to a value its 正本 in the repository does not hold (history/copies)


@dataclass
class Report:
    commits: int = 0
    items: list[dict] = field(default_factory=list)
    baseline: Baseline | None = None  # where the judged trail starts

    @property
    def failed(self) -> bool:
        return any(i["严重"] for i in self.items)

    def add(self, code: str, record: CommitRecord | None, number: str, message: str, serious: bool, **extra):
        item = {"代码": code, "编号": number, "说明": scrub(message), "严重": serious}
        if record is not None:
            item.update({"提交": record.id, "作者": f"{record.author} <{record.email}>", "日期": record.date,
                         "签名": signature(record.sig)})
        item.update(extra)
        self.items.append(item)


def _judge(report: Report, record: CommitRecord):
    for d in record.dossiers:
        returned = d.event == "return"
        for c in d.changes:
            if not c.protected and not c.undoes:
                continue
            serious = (RECEIVED if d.received else RETURNED) if returned else UNAUTHORISED
            # an alteration undone later keeps its code, listed but no longer a problem; its undoing is a T000
            code = serious if c.unauthorised or c.undone_by else "T000"
            where = (f"（{d.path} 转入（通知单 {d.received}），与本库曾保存的 {d.base}相比）" if returned and d.received
                     else f"（{d.path} 重新进入档案库，与 {d.base}相比）" if returned
                     else "（合并提交本身的改动）" if d.merge else "")
            report.add(code, record, d.number, f"{change_line(c)}  {verdict(c)}{where}", c.unauthorised,
                       变动=change_dict(c))
        if d.problem:
            report.add(UNPARSEABLE, record, d.number, f"{d.path} 的{d.problem}：这一次的改动无法逐字段核对"
                       if "已与" not in d.problem else f"{d.path} 的{d.problem}", False)
        if d.intake:
            report.add(INTAKE, record, d.number, f"{d.path}：{d.intake}", True)
        if d.event == "leave" and not d.documented:
            what = f"把 {d.old_path} 移到了档案库外（{d.path}）" if d.old_path else f"删除了 {d.path}"
            report.add(UNDOCUMENTED_DELETE, record, d.number,
                       f"{what}，但转递登记（{gitlog.LEDGER}）中没有该档案的转出记录：档案不得无故移出或删除", True)
        if d.failures:
            shown = "；".join(f"{code} {msg}" for code, msg in d.failures[:3])
            more = f"等 {len(d.failures)} 个错误" if len(d.failures) > 3 else ""
            report.add(BYPASS, record, d.number,
                       f"{d.path} 在这次提交中不能通过 dangan check（{shown}{more}）：提交前检查被跳过（--no-verify）或未安装",
                       True)


def staged_commit(repo: Repo) -> str | None:
    """The index as a commit on top of HEAD (and, while a merge is under way, of the branches being merged)."""
    root = repo.root
    base = gitlog.head(root)
    if base is None:
        return None  # a first commit only adds dossiers
    from ..snapshot import index_tree

    tree = index_tree(repo)  # the one the other checks of this commit ask for too
    if tree is None:
        raise RepoError("暂存区中有未解决的合并冲突：请先解决冲突并 git add，再核对") from None
    parents = [base]
    git_dir = Path(gitlog.git(root, ["rev-parse", "--absolute-git-dir"]).decode().strip())
    merging = git_dir / "MERGE_HEAD"
    if merging.is_file():
        parents += [line.strip() for line in merging.read_text().splitlines() if line.strip()]
    return gitlog.synthetic(root, tree, parents, "（暂存区）")


def staged(repo: Repo) -> Report:
    """The change about to be committed: HEAD (and MERGE_HEAD) → the index, read as the commit it will be."""
    from .scan import Scanner

    report = Report()
    commit = staged_commit(repo)
    if commit is None:
        return report
    commits = gitlog.log(repo.root, [commit])
    [record] = Scanner(repo, check=False).records(commits)
    record.id = "（暂存区）"
    _judge(report, record)
    for item in report.items:  # nothing is committed yet: no commit, author or signature to show
        for key in ("提交", "作者", "日期", "签名"):
            item.pop(key, None)
    report.commits = 1
    return report


def audit(repo: Repo, revs: list[str], deep: bool = False, baseline_at: str | None = None) -> Report:
    """The trail of ``revs`` (default HEAD) after the baseline declared at the range's end (or at ``baseline_at``:
    the central repository judges a push by the baseline as it stood before the push)."""
    from . import baseline as baseline_mod

    root = repo.root
    gitlog.ensure_repository(root)
    report = Report()
    if not revs and gitlog.head(root) is None:
        return report
    revs = revs or ["HEAD"]
    tip = baseline_mod.tip_of(root, revs)
    base = baseline_mod.resolve(root, baseline_at or tip)
    report.baseline = base
    if base.problem:
        report.add(baseline_mod.PROBLEM, None, baseline_mod.BASELINE,
                   f"{base.problem}：留痕基线未生效，按全部历史核对", False)
    ids = gitlog.rev_list(root, [*revs, *base.exclude()]) if base.commit else gitlog.rev_list(root, revs)
    records, lost = scan(repo, ids, deep=deep)
    report.commits = len(records)
    for record in lost:
        numbers = "、".join(sorted({d.number for d in record.dossiers})) or "（无档案文件）"
        report.add(REWRITTEN, record, numbers,
                   f"历史被改写：已核对过的提交 {record.short}（{record.subject}）已不在任何分支上，"
                   "可能有人强制推送（force push）或变基改写了历史；请向管理员报告并比对备份", True)
    for record in records:
        _judge(report, record)
    _copies_alone(report, root, records, tip)
    moved = [c for c in baseline_mod.declaration_changes(root, tip) if c not in set(ids)] if tip else []
    _rules_moving(report, root, ids, moved)
    return report


def _copies_alone(report: Report, root, records: list[CommitRecord], tip: str | None) -> None:
    """T009: a 副本 whose key fact changed in a commit that did not change its 正本 (here) the same way."""
    from . import copies

    for found in copies.changed_alone(root, records):
        fixed = tip is not None and copies.put_right(root, tip, found)
        detail = (f"（副本 {copies.shown(found.mine)}，正本 {copies.shown(found.theirs)}）"
                  if isinstance(found.mine, str) or isinstance(found.theirs, str) or found.theirs is None else "")
        later = "；此后已与正本一致，不再需要处理" if fixed else ""
        report.add(COPY_ALONE, found.record, found.number,
                   f"{found.path} 是副本，这次提交改了它的{found.field}，本库中的正本 {found.original} 却没有同样改动"
                   f"{detail}：副本随正本更新，不单独改动（《干部人事档案工作条例》第二十二条：正本有关材料和信息变更时，"
                   f"副本应当相应变更）；关键信息在正本上认定，副本照正本更新{later}", not fixed, 项目=found.field)


def _rules_moving(report: Report, root, ids: list[str], moved: Sequence[str] = ()) -> None:
    """T201–T208: each change to a rule of the repository; T210: a signed commit bearing another's name.

    ``moved``: the commits at or before the baseline that changed its declaration — listed all the same
    (T208 only): moving the baseline is never hidden by the baseline."""
    from ..roles import BASELINE
    from . import rulechanges

    def record(fields) -> CommitRecord:
        cid, parents, author, email, _ce, ct, sig, signer, subject = fields
        if sig == "G" and signer and signer.lower() != email.lower():
            author, email = gitlog.SIGNER, signer
        return CommitRecord(cid, tuple(parents), author, email, ct, sig, subject, {})

    early = set(moved)
    for fields, parts in rulechanges.scan(root, [*moved, *ids]):
        rec = record(fields)
        for code, what, path, kind in parts:
            if rec.id in early and path != BASELINE:
                continue
            report.add(code, rec, path, f"{kind}了{what}：规则的改动，请逐条审核（{rec.short} {rec.subject}）", False,
                       规则=what)
    for fields, other in rulechanges.identities(root, ids):
        rec = record(fields)
        report.add(rulechanges.IDENTITY, rec, "（身份）",
                   f"提交 {rec.short} 由 {fields[7]} 签名，却写着 {other}：按签名人算，请核实是否有人冒名", False)


def text_report(report: Report) -> str:
    lines = []
    for item in report.items:
        head = f"{item['代码']} {item['编号']}  {item['说明']}"
        if "提交" in item:
            head += f"  [提交 {item['提交'][:10]}，{item['作者']}，{item['日期']}，签名：{item['签名']}]"
        lines.append(head)
    return "".join(line + "\n" for line in lines)


def json_report(report: Report) -> str:
    b = report.baseline
    base = {"提交": b.commit, "说明": b.note} if b is not None and b.commit else None
    return json.dumps({"提交数": report.commits, "问题": report.items, "留痕基线": base}, ensure_ascii=False,
                      indent=2) + "\n"


def summary(report: Report) -> str:
    from .baseline import describe

    bad = sum(i["严重"] for i in report.items)
    protected = sum(i["代码"] in ("T000", UNAUTHORISED) for i in report.items)
    where = describe(report.baseline) if report.baseline is not None else ""
    if not report.items:
        return f"{where}核对了 {report.commits} 个提交，没有改动受保护的字段。"
    return f"{where}核对了 {report.commits} 个提交：受保护字段的改动 {protected} 处，需要处理的问题 {bad} 个。"
