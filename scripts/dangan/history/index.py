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
                decode_row = Decoder(shape)
                commits = {cid: decode_row(row) for cid, row in stored["commits"].items()}
                lost = {cid: decode_row(row) for cid, row in stored["lost"].items()}
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
    return Decoder(shape)(row)


class Decoder:
    """Rows back to records, positionally (the layout is the dataclasses' field order): a re-run decodes every
    scanned commit, so this is the warm audit's main cost — no dicts, no keyword arguments per record."""

    def __init__(self, shape: dict):
        from .fielddiff import Change
        from .scan import CommitRecord, DossierRecord

        self.commit, self.dossier, self.change = CommitRecord, DossierRecord, Change
        c, d, ch = shape["commit"], shape["dossier"], shape["change"]
        self.n = (len(c), len(d), len(ch))
        self.c_id, self.c_parents, self.c_time = c.index("id"), c.index("parents"), c.index("time")
        self.c_subject, self.c_trailers, self.c_dossiers = c.index("subject"), c.index("trailers"), c.index("dossiers")
        self.d_changes, self.d_failures = d.index("changes"), d.index("failures")
        self.d_text = tuple(d.index(k) for k in ("number", "path", "status", "event"))
        self.ch_path = ch.index("path")
        self.ch_undoes = ch.index("undoes") if "undoes" in ch else None

    def __call__(self, row: list):
        nc, nd, nch = self.n
        if len(row) != nc:
            raise ValueError("commit")
        row = list(row)
        if not isinstance(row[self.c_trailers], dict) or not (isinstance(row[self.c_id], str)
                                                                and isinstance(row[self.c_subject], str)):
            raise TypeError("commit")
        row[self.c_parents] = tuple(map(_str, row[self.c_parents]))
        row[self.c_time] = int(row[self.c_time])
        dossiers = []
        Dossier, Change, path_at, undoes_at = self.dossier, self.change, self.ch_path, self.ch_undoes
        for drow in row[self.c_dossiers]:
            if len(drow) != nd:
                raise ValueError("dossier")
            drow = list(drow)
            for i in self.d_text:
                _str(drow[i])
            drow[self.d_failures] = tuple(tuple(f) for f in drow[self.d_failures])
            changes = []
            for crow in drow[self.d_changes]:
                if len(crow) != nch:
                    raise ValueError("change")
                crow = list(crow)
                crow[path_at] = tuple(crow[path_at])
                if undoes_at is not None:
                    crow[undoes_at] = tuple(crow[undoes_at])
                changes.append(Change(*crow))
            drow[self.d_changes] = changes
            dossiers.append(Dossier(*drow))
        row[self.c_dossiers] = dossiers
        return self.commit(*row)


def _str(value) -> str:
    if not isinstance(value, str):
        raise TypeError("text")
    return value
