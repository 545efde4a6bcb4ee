"""The scan index: what each scanned commit changed, keyed by commit id, under .git/dangan/.

Records depend only on the commit (its id fixes its content and its parent), so re-runs read the
commits they have not seen and nothing else, whichever branch is checked out. A scanned commit that no
longer reachable from any ref was rewritten away (a force push, a rebase): it moves to ``lost`` and is
reported on every run until someone clears the index. The whole index is dropped when the engine
changes (the code, the schema or the policy), since verdicts depend on them.

Stored as JSON sealed by ``cachefile`` (never a pickle): an index this user's dangan did not write as it
is — damaged, edited to call a change authorised, planted — does not verify and the history is scanned
again from the start (a cold run), so a cache can make a run slower but never change its verdicts.
"""

from __future__ import annotations

from .. import cachefile
from ..repo import Repo

FORMAT = 2


class Index:
    NAME = "trail-index.json"

    def __init__(self, repo: Repo, engine: str):
        self.path = repo.cache_dir() / self.NAME
        self.engine = engine
        self.commits: dict = {}
        self.lost: dict = {}
        self.previous: dict = {}
        self.dirty = False
        stored = cachefile.load(self.path, "trail")  # None: missing, damaged or not ours
        try:
            if stored["format"] == FORMAT:
                commits = {cid: decode(row) for cid, row in stored["commits"].items()}
                lost = {cid: decode(row) for cid, row in stored["lost"].items()}
                if stored["engine"] == engine:
                    self.commits, self.lost = commits, lost
                else:
                    self.lost = lost  # a rewrite seen by an older engine is still a rewrite
                    self.previous = commits  # stale verdicts, but still proof of what was seen
                    self.dirty = True
        except (TypeError, KeyError, ValueError, AttributeError, IndexError):  # start over (a cold scan)
            self.commits, self.lost, self.previous = {}, {}, {}

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
        cachefile.save(self.path, "trail", {"format": FORMAT, "engine": self.engine,
                                            "commits": {cid: encode(r) for cid, r in self.commits.items()},
                                            "lost": {cid: encode(r) for cid, r in self.lost.items()}})


# ---------------------------------------------------------------- records as JSON rows (lists: compact, fast)
def _change_row(c) -> list:
    return [list(c.path), c.label, c.old, c.new, c.kind, c.protected, c.authorised, c.basis]


def _dossier_row(d) -> list:
    return [d.number, d.path, d.old_path, d.status, d.event, [_change_row(c) for c in d.changes], d.problem,
            d.documented, [list(f) for f in d.failures], d.base, d.merge, d.old_blob, d.new_blob]


def encode(r) -> list:
    return [r.id, list(r.parents), r.author, r.email, r.time, r.sig, r.subject, r.trailers,
            [_dossier_row(d) for d in r.dossiers]]


def decode(row: list):
    """A CommitRecord from its row; anything not shaped as ``encode`` writes it raises (TypeError, ValueError)."""
    from .fielddiff import Change
    from .scan import CommitRecord, DossierRecord

    cid, parents, author, email, time, sig, subject, trailers, dossiers = row
    if not isinstance(trailers, dict):
        raise TypeError("trailers")
    rec = CommitRecord(_str(cid), tuple(map(_str, parents)), _str(author), _str(email), int(time), _str(sig),
                       _str(subject), trailers)
    for number, path, old_path, status, event, changes, problem, documented, failures, base, merge, old_blob, \
            new_blob in dossiers:
        d = DossierRecord(_str(number), _str(path), old_path, _str(status), _str(event), [], _str(problem),
                          documented, tuple(tuple(f) for f in failures), _str(base), bool(merge), old_blob, new_blob)
        for path_, label, old, new, kind, protected, authorised, basis in changes:
            d.changes.append(Change(tuple(path_), _str(label), old, new, _str(kind), bool(protected), authorised,
                                    _str(basis)))
        rec.dossiers.append(d)
    return rec


def _str(value) -> str:
    if not isinstance(value, str):
        raise TypeError("text")
    return value
