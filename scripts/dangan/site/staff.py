"""The people a unit's own site shows in their role, not as cadres: who reviewed, approved, handled, inspected,
found an alteration (the registers' and the dossiers' 审核人, 审批人, 经办人, 检查人, 发现人 …, the persons who
consulted or borrowed a dossier) and who committed a change (the Git author). The post-build scan of a unit's site
(``scan.scan_people``) does not look for their names: the 审核人 of the unit's own 部务会 list may well be a cadre
of the 市委组织部. Their 编号 is still looked for: a dossier of theirs never shows.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable

from .. import ledgers
from ..repo import Repo

ROLES = frozenset(("审核人", "复核人", "审批人", "经办人", "检查人", "发现人", "评分人", "移交人", "接收人"))
PERSONS = "人员"  # 查阅/借阅: [{姓名, 单位, …}]


def _bare(value: str) -> str:
    """“李明（市财政局人事科）” → “李明”."""
    return "".join(value.replace("(", "（").split("（", 1)[0].split())


def _walk(value, out: set[str], role: bool = False) -> None:
    if isinstance(value, str):
        if role:
            out.add(_bare(value))
    elif isinstance(value, list):
        for v in value:
            _walk(v, out, role)
    elif isinstance(value, dict):
        for k, v in value.items():
            if k == PERSONS and isinstance(v, list):
                out.update(_bare(p["姓名"]) for p in v if isinstance(p, dict) and isinstance(p.get("姓名"), str))
            else:
                _walk(v, out, role or k in ROLES)


def authors(repo: Repo) -> set[str]:
    """Every Git author of the repository's history (none outside Git)."""
    if not (repo.root / ".git").exists():
        return set()
    try:
        out = subprocess.run(["git", "log", "--format=%an"], cwd=repo.root, capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return set()
    return {_bare(a) for a in out.splitlines() if a.strip()}


def names(repo: Repo, dossiers: Iterable[dict]) -> set[str]:
    """The names of staff in the registers, in these dossiers (the unit's own) and among the Git authors."""
    out: set[str] = set()
    for kind in ledgers.KINDS:
        _walk(list(ledgers.load(repo, kind).items), out)
    for data in dossiers:
        _walk(data, out)
    return {n for n in out | authors(repo) if len(n) >= 2}
