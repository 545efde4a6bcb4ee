"""``dangan trail 编号``: the field-level history of one dossier, oldest first, across renames."""

from __future__ import annotations

import json

from ..repo import Repo, RepoError
from . import gitlog
from .render import EVENTS, change_dict, change_line, event_lines, signature, verdict
from .scan import CommitRecord, Scanner


def trail(repo: Repo, number: str) -> list[CommitRecord]:
    """Commits that touched dossiers/<编号>.yaml (or .yml), oldest first, each with that file's record.

    The dossier is followed wherever it went: renamed, moved out of dossiers/ and back.
    """
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
    records = Scanner(repo, check=False, parked=parked).records(commits)
    for r in records:
        r.dossiers = [d for d in r.dossiers if d.number == number or d.path in paths or d.old_path in paths]
    return records


def text_report(number: str, records: list[CommitRecord]) -> str:
    lines = [f"{number} 的改动记录（共 {len(records)} 次提交，自早至晚）"]
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
