"""Honest corrections end honestly: an unauthorised change that a later commit undoes is resolved.

An unauthorised change (T001, T006) moves a field away from the last value that was authorised. When a
later commit that descends from it (a ``git revert``, or the value typed back) sets the field back to
exactly that value, the alteration is undone: the history still lists it, marked
“已撤销（提交 abc1234de5）”, and the change that restored the value — which the guard alone would call
unauthorised too, since no 认定 goes with it — is marked as the undoing. Neither is open: audit does not
fail on them, and review, score, grade and the site do not count them.

Only going back resolves anything: a third value, or a 认定 of the altered value, leaves the alteration
open (a 认定 makes the new value official, it does not make the earlier change authorised). Resolution is
worked out on every run from the records in order, never stored: it depends on commits after the change.
"""

from __future__ import annotations

from . import gitlog
from .fielddiff import ADDED, REMOVED, same

_ABSENT = object()


def _before(c):
    return _ABSENT if c.kind == ADDED else c.old


def _after(c):
    return _ABSENT if c.kind == REMOVED else c.new


def _equal(a, b) -> bool:
    return a is b if _ABSENT in (a, b) else same(a, b)


def resolve(root, records) -> None:
    """Mark, in place, the unauthorised changes undone later in ``records`` (oldest first) and their undoing."""
    pending: dict[tuple, list] = {}  # (编号, path) → [base value, [(dossier record, index, commit id)…]]
    ancestry: dict[tuple, bool] = {}

    def descends(commit: str, earlier: str) -> bool:
        key = (earlier, commit)
        if key not in ancestry:
            try:
                ancestry[key] = gitlog.is_ancestor(root, earlier, commit)
            except Exception:  # a commit git no longer has (a synthetic one): judge it undone by nothing
                ancestry[key] = False
        return ancestry[key]

    for record in records:
        for d in record.dossiers:
            for i, c in enumerate(d.changes):
                if c.undone_by or c.undoes:
                    continue  # already resolved by an earlier pass over these very records
                key = (d.number, c.path)
                open_ = pending.get(key)
                if open_ is not None and _equal(_after(c), open_[0]) and all(
                        descends(record.id, cid) for _d, _i, cid in open_[1]):
                    ids = tuple(dict.fromkeys(cid for _d, _i, cid in open_[1]))
                    for od, oi, _cid in open_[1]:
                        od.changes[oi] = od.changes[oi].judged(undone_by=record.id)
                    d.changes[i] = c.judged(undoes=ids)
                    del pending[key]
                elif c.protected and not c.authorised:
                    if open_ is None:
                        pending[key] = [_before(c), [(d, i, record.id)]]
                    else:
                        open_[1].append((d, i, record.id))
                elif open_ is not None and c.protected:
                    del pending[key]  # a 认定 of the value as altered: that alteration stays open, for good
