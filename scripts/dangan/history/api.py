"""What other parts of dangan (the site's change pages, the review report) read from the trail.

All of it comes from the same scan and the same field-level diff as ``dangan audit`` and ``trail``.
"""

from __future__ import annotations

from ..repo import Repo
from . import gitlog
from .fielddiff import Change, diff  # noqa: F401 - re-exported: THE field-level diff
from .scan import CommitRecord, DossierRecord, scan
from .trail import trail


def available(repo: Repo) -> bool:
    """A Git repository with at least one commit."""
    try:
        gitlog.ensure_repository(repo.root)
    except Exception:
        return False
    return gitlog.head(repo.root) is not None


def judged_ids(repo: Repo) -> list[str]:
    """HEAD's commits after the trail baseline (all of them when none is declared or it cannot be used)."""
    from .baseline import resolve

    base = resolve(repo.root, "HEAD")
    return gitlog.rev_list(repo.root, ["HEAD", *base.exclude()])


def history(repo: Repo) -> list[CommitRecord]:
    """Every commit of HEAD's history after the trail baseline, oldest first, judged (incremental: the scan index)."""
    if not available(repo):
        return []
    return scan(repo, judged_ids(repo))[0]


def dossier_trail(repo: Repo, number: str) -> list[CommitRecord]:
    """One dossier's commits, oldest first, each holding that dossier's DossierRecord (renames followed)."""
    return trail(repo, number) if available(repo) else []


def unauthorised(repo: Repo) -> list[tuple[CommitRecord, DossierRecord, Change]]:
    """Every unauthorised alteration in HEAD's history, oldest first."""
    return [(r, d, c) for r in history(repo) for d in r.dossiers for c in d.changes if c.unauthorised]


def recent(repo: Repo, commits: int = 30) -> list[CommitRecord]:
    """The last ``commits`` commits that touched dossiers, newest first."""
    touched = [r for r in history(repo) if r.dossiers]
    return touched[::-1][:commits]
