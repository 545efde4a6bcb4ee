"""The scan index: what each scanned commit changed, keyed by commit id, under .git/dangan/.

Records depend only on the commit (its id fixes its content and its parent), so re-runs read the
commits they have not seen and nothing else, whichever branch is checked out. A scanned commit that no
longer reachable from any ref was rewritten away (a force push, a rebase): it moves to ``lost`` and is
reported on every run until someone clears the index — if it had been pushed (``gitlog.pushed``: a
remote-tracking ref held it, or this is the central repository). A commit that never left this clone
(``--amend``, ``reset``, a rebase of local work) is simply forgotten: rewriting a draft is not tampering.
The remote-tracking tips each run saw are kept, since the reflog that also remembers them expires. The whole index is dropped when the engine
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
        self.remote_tips: list[str] = []  # every commit a remote-tracking ref pointed at when a run looked
        self.dirty = False
        stored = cachefile.load(self.path, "trail")  # None: missing, damaged or not ours
        try:
            shape = layout()
            if stored["format"] == FORMAT and stored["layout"] == shape:
                commits = {cid: decode(row, shape) for cid, row in stored["commits"].items()}
                lost = {cid: decode(row, shape) for cid, row in stored["lost"].items()}
                tips = stored["remote_tips"]
                if not all(isinstance(t, str) for t in tips):
                    raise TypeError("remote_tips")
                self.remote_tips = list(tips)
                if stored["engine"] == engine:
                    self.commits, self.lost = commits, lost
                else:
                    self.lost = lost  # a rewrite seen by an older engine is still a rewrite
                    self.previous = commits  # stale verdicts, but still proof of what was seen
                    self.dirty = True
        except (TypeError, KeyError, ValueError, AttributeError, IndexError):  # start over (a cold scan)
            self.commits, self.lost, self.previous, self.remote_tips = {}, {}, {}, []

    def note_remote_tips(self, tips: set[str]) -> None:
        new = sorted(tips - set(self.remote_tips))
        if new:
            self.remote_tips += new
            self.dirty = True

    def forget_unreachable(self, reachable: set[str], pushed) -> list:
        """Move scanned commits that are no longer reachable to ``lost`` when they had been pushed (``pushed``:
        ids → those of them that were), forget the others; returns the newly lost records."""
        gone = [cid for cid in (*self.commits, *self.previous) if cid not in reachable]
        shared = pushed(gone) if gone else set()
        fresh = []
        for cid in gone:
            record = self.commits.pop(cid, None) or self.previous.pop(cid)
            if cid not in shared:
                continue  # never left this clone: a draft amended, reset or rebased
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
        shape = layout()
        cachefile.save(self.path, "trail", {"format": FORMAT, "engine": self.engine, "remote_tips": self.remote_tips, "layout": shape,
                                            "commits": {cid: encode(r, shape) for cid, r in self.commits.items()},
                                            "lost": {cid: encode(r, shape) for cid, r in self.lost.items()}})


# ---------------------------------------------------------------- records as JSON rows (lists: compact, fast)
# Every field of the records, in their dataclasses' order: a field added to them is stored without a change here,
# and an index written with other fields (``layout``) is not read (a cold scan).
def layout() -> dict:
    from dataclasses import fields

    from .fielddiff import Change
    from .scan import CommitRecord, DossierRecord

    return {name: [f.name for f in fields(cls)] for name, cls in
            (("commit", CommitRecord), ("dossier", DossierRecord), ("change", Change))}


def _change_row(c, names: list[str]) -> list:
    row = [getattr(c, name) for name in names]
    row[0] = list(c.path)  # JSON has no tuples
    if "undoes" in names:
        row[names.index("undoes")] = list(c.undoes)
    return row


def _dossier_row(d, names: list[str], names_c: list[str]) -> list:
    row = []
    for name in names:
        value = getattr(d, name)
        if name == "changes":
            value = [_change_row(c, names_c) for c in value]
        elif name == "failures":
            value = [list(f) for f in value]
        row.append(value)
    return row


def encode(r, shape: dict) -> list:
    row = []
    for name in shape["commit"]:
        value = getattr(r, name)
        if name == "dossiers":
            value = [_dossier_row(d, shape["dossier"], shape["change"]) for d in value]
        elif name == "parents":
            value = list(value)
        row.append(value)
    return row


def decode(row: list, shape: dict):
    """A CommitRecord from its row; anything not shaped as ``encode`` writes it raises (TypeError, ValueError)."""
    from .fielddiff import Change
    from .scan import CommitRecord, DossierRecord

    values = dict(zip(shape["commit"], row, strict=True))
    if not isinstance(values["trailers"], dict) or not all(isinstance(values[k], str) for k in ("id", "subject")):
        raise TypeError("commit")
    values["parents"] = tuple(map(_str, values["parents"]))
    values["time"] = int(values["time"])
    dossiers = values.pop("dossiers")
    rec = CommitRecord(**values)
    for drow in dossiers:
        dv = dict(zip(shape["dossier"], drow, strict=True))
        changes = dv.pop("changes")
        dv["failures"] = tuple(tuple(f) for f in dv["failures"])
        for key in ("number", "path", "status", "event"):
            _str(dv[key])
        d = DossierRecord(**dv)
        for crow in changes:
            cv = dict(zip(shape["change"], crow, strict=True))
            cv["path"] = tuple(cv["path"])
            if "undoes" in cv:
                cv["undoes"] = tuple(cv["undoes"])
            d.changes.append(Change(**cv))
        rec.dossiers.append(d)
    return rec


def _str(value) -> str:
    if not isinstance(value, str):
        raise TypeError("text")
    return value
