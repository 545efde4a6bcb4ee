"""The scan index: what each scanned commit changed, keyed by commit id, under .git/dangan/.

Records depend only on the commit (its id fixes its content and its parent), so re-runs read the
commits they have not seen and nothing else, whichever branch is checked out. A scanned commit that no
longer reachable from any ref was rewritten away (a force push, a rebase): it moves to ``lost`` and is
reported on every run until someone clears the index. The whole index is dropped when the engine
changes (the code, the schema or the policy), since verdicts depend on them.
"""

from __future__ import annotations

import pickle

from ..atomic import save_pickle
from ..repo import Repo

FORMAT = 1


class Index:
    NAME = "trail-index.pickle"

    def __init__(self, repo: Repo, engine: str):
        self.path = repo.cache_dir() / self.NAME
        self.engine = engine
        self.commits: dict = {}
        self.lost: dict = {}
        self.previous: dict = {}
        self.dirty = False
        try:
            with self.path.open("rb") as fh:
                stored = pickle.load(fh)
            if stored.get("format") == FORMAT and stored.get("engine") == engine:
                self.commits, self.lost = stored["commits"], stored["lost"]
            elif stored.get("format") == FORMAT:
                self.lost = stored.get("lost", {})  # a rewrite seen by an older engine is still a rewrite
                self.previous = stored.get("commits", {})  # stale verdicts, but still proof of what was seen
                self.dirty = True
        except Exception:  # missing or damaged: start over (a cold scan)
            self.commits, self.lost = {}, {}

    def forget_unreachable(self, reachable: set[str]) -> list:
        """Move scanned commits that are no longer reachable to ``lost``; returns the newly lost records."""
        gone = [cid for cid in (*self.commits, *self.previous) if cid not in reachable]
        fresh = []
        for cid in gone:
            record = self.commits.pop(cid, None) or self.previous.pop(cid)
            if cid not in self.lost:
                fresh.append(record)
            self.lost[cid] = record
        for cid in [c for c in self.lost if c in reachable]:  # came back (a branch restored)
            self.commits[cid] = self.lost.pop(cid)
        self.dirty |= bool(gone)
        return fresh

    def add(self, record) -> None:
        self.commits[record.id] = record
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        # read-only checkout: the next run scans again
        save_pickle(self.path, {"format": FORMAT, "engine": self.engine, "commits": self.commits, "lost": self.lost})
