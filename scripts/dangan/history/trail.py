"""``dangan trail 编号``: the field-level history of one dossier, oldest first, across renames."""

from __future__ import annotations

import json

from ..repo import Repo, RepoError
from . import gitlog, undo
from .render import EVENTS, change_dict, change_line, event_lines, signature, verdict
from .scan import CommitRecord, Scanner


def trail(repo: Repo, number: str, everything: bool = False) -> list[CommitRecord]:
    """Commits that touched dossiers/<编号>.yaml (or .yml), oldest first, each with that file's record.

    The dossier is followed wherever it went: renamed, moved out of dossiers/ and back. Only the commits after
    the trail baseline, unless ``everything`` (``before_baseline`` tells how many were left out).
    """
    records = _trail(repo, number)
    if everything or not records:
        return records
    from .baseline import resolve

    base = resolve(repo.root, "HEAD")
    if base.commit is None:
        return records
    after = set(gitlog.rev_list(repo.root, ["HEAD", *base.exclude()]))
    kept = [r for r in records if r.id in after]
    before_baseline[number] = (len(records) - len(kept), base)
    return kept


before_baseline: dict[str, tuple] = {}  # 编号 → (commits left out, the baseline): for the report's first line


def _trail(repo: Repo, number: str) -> list[CommitRecord]:
    root = repo.root
    gitlog.ensure_repository(root)
    if gitlog.head(root) is None:
        return []
    graph = gitlog.write_graph(root)  # quick when up to date; the first time it pays for every later trail
    if graph is not None:
        graph.wait()
    for suffix in (".yaml", ".yml"):
        commits, paths = gitlog.follow(root, f"{gitlog.DOSSIER_PREFIX}{number}{suffix}")
        if commits:
            break
    else:
        raise RepoError(f"Git 历史中没有编号为 {number} 的档案（dossiers/{number}.yaml）")
    commits.reverse()
    parked = {p for p in paths if not gitlog.is_dossier(p)}
    records = Scanner(repo, check=False, parked=parked, whole=False).records(commits)
    for r in records:
        r.dossiers = [d for d in r.dossiers if d.number == number or d.path in paths or d.old_path in paths]
    undo.resolve(root, records)
    return records


def text_report(number: str, records: list[CommitRecord]) -> str:
    lines = [f"{number} 的改动记录（共 {len(records)} 次提交，自早至晚）"]
    left, base = before_baseline.get(number, (0, None))
    if left:
        note = f"，{base.note}" if base.note else ""
        lines.append(f"（留痕基线 {base.short}{note}：此前的 {left} 次提交不列出，dangan trail {number} --all 查看）")
    for r in records:
        lines.append(f"提交 {r.short}  {r.date}  {r.author} <{r.email}>  签名：{signature(r.sig)}  {r.subject}")
        for d in r.dossiers:
            lines += [f"  {line}" for line in event_lines(d)]
            if d.problem:
                lines.append(f"  {d.problem}")
            for c in d.changes:
                mark = "  ★ " if c.protected else "    "
                tail = f"  【{verdict(c)}】" if c.protected else ""
                lines.append(f"{mark}{change_line(c)}{tail}")
    return "\n".join(lines) + "\n"


def json_report(number: str, records: list[CommitRecord]) -> str:
    out = []
    for r in records:
        for d in r.dossiers:
            out.append({"提交": r.id, "作者": f"{r.author} <{r.email}>", "日期": r.date, "签名": signature(r.sig),
                        "说明": r.subject, "文件": d.path, "原文件": d.old_path,
                        "操作": {"A": "新建", "M": "修改", "D": "删除", "R": "改名"}.get(d.status, d.status),
                        "事件": EVENTS.get(d.event, d.event), "比较对象": d.base or None, "合并提交": d.merge,
                        "问题": d.problem or None, "变动": [change_dict(c) for c in d.changes]})
    return json.dumps({"编号": number, "历史": out}, ensure_ascii=False, indent=2) + "\n"
