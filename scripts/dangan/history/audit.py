"""``dangan audit``: every change to a protected fact in a range of history, and what else the trail shows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..privacy import scrub
from ..repo import Repo
from . import gitlog
from .render import change_dict, change_line, signature, verdict
from .scan import CommitRecord, scan

# Finding codes of the trail (docs/manual/codes.md, section T).
UNAUTHORISED, UNDOCUMENTED_DELETE, BYPASS, REWRITTEN, UNPARSEABLE = "T001", "T002", "T003", "T004", "T005"


@dataclass
class Report:
    commits: int = 0
    items: list[dict] = field(default_factory=list)

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
        for c in d.changes:
            if not c.protected:
                continue
            report.add(UNAUTHORISED if c.unauthorised else "T000", record, d.number,
                       f"{change_line(c)}  {verdict(c)}", c.unauthorised, 变动=change_dict(c))
        if d.problem:
            report.add(UNPARSEABLE, record, d.number, f"{d.path} 的{d.problem}：这一次的改动无法逐字段核对", False)
        if d.status == "D" and not d.documented:
            report.add(UNDOCUMENTED_DELETE, record, d.number,
                       f"删除了 {d.path}，但转递登记（{gitlog.LEDGER}）中没有该档案的转出记录", True)
        if d.failures:
            shown = "；".join(f"{code} {msg}" for code, msg in d.failures[:3])
            more = f"等 {len(d.failures)} 个错误" if len(d.failures) > 3 else ""
            report.add(BYPASS, record, d.number,
                       f"{d.path} 在这次提交中不能通过 dangan check（{shown}{more}）：提交前检查被跳过（--no-verify）或未安装",
                       True)


def staged(repo: Repo) -> Report:
    """The change about to be committed: HEAD → the index."""
    from .scan import Scanner

    root = repo.root
    report = Report()
    base = gitlog.head(root)
    if base is None:
        return report  # a first commit only adds dossiers
    out = gitlog.git(root, ["diff", "--cached", "-z", "--raw", "--no-abbrev", "-M", base, "--"])
    fake = gitlog.parse_log(b"\x1e" + b"\x1f".join([b"0" * 40, b"", b"", b"", b"0", b"N", b"", out]))[0]
    if not fake.files:
        return report
    scanner = Scanner(repo, check=False)
    names = [b for fc in fake.files for b in (fc.old_blob, fc.new_blob) if b]
    names.append(f":{gitlog.LEDGER}")
    blobs = scanner.reader.read(names)
    record = CommitRecord("（暂存区）", (base,), "", "", 0, "N", "", {})
    from .scan import transferred

    for fc in fake.files:
        if not fc.path.startswith(gitlog.DOSSIER_PREFIX):
            continue
        d = scanner.dossier(fc, blobs, {}, None)
        if fc.status == "D":
            d.documented = transferred(blobs.get(f":{gitlog.LEDGER}"), d.number)
        record.dossiers.append(d)
    _judge(report, record)
    for item in report.items:  # nothing is committed yet: no commit, author or signature to show
        for key in ("提交", "作者", "日期", "签名"):
            item.pop(key, None)
    report.commits = 1
    return report


def audit(repo: Repo, revs: list[str], deep: bool = False) -> Report:
    root = repo.root
    gitlog.ensure_repository(root)
    report = Report()
    if not revs and gitlog.head(root) is None:
        return report
    ids = gitlog.rev_list(root, revs or ["HEAD"])
    records, lost = scan(repo, ids, deep=deep)
    report.commits = len(records)
    for record in lost:
        numbers = "、".join(sorted({d.number for d in record.dossiers})) or "（无档案文件）"
        report.add(REWRITTEN, record, numbers,
                   f"历史被改写：已核对过的提交 {record.short}（{record.subject}）已不在任何分支上，"
                   "可能有人强制推送（force push）或变基改写了历史；请向管理员报告并比对备份", True)
    for record in records:
        _judge(report, record)
    return report


def text_report(report: Report) -> str:
    lines = []
    for item in report.items:
        head = f"{item['代码']} {item['编号']}  {item['说明']}"
        if "提交" in item:
            head += f"  [提交 {item['提交'][:10]}，{item['作者']}，{item['日期']}，签名：{item['签名']}]"
        lines.append(head)
    return "".join(line + "\n" for line in lines)


def json_report(report: Report) -> str:
    return json.dumps({"提交数": report.commits, "问题": report.items}, ensure_ascii=False, indent=2) + "\n"


def summary(report: Report) -> str:
    bad = sum(i["严重"] for i in report.items)
    protected = sum(i["代码"] in ("T000", UNAUTHORISED) for i in report.items)
    if not report.items:
        return f"核对了 {report.commits} 个提交，没有改动受保护的字段。"
    return f"核对了 {report.commits} 个提交：受保护字段的改动 {protected} 处，需要处理的问题 {bad} 个。"
