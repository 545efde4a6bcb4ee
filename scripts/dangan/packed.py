"""A parsed dossier held small, for a process that holds every dossier at once (the site build).

A dossier as ``load`` parses it takes ~30 KB in memory, most of it (~18 KB) its 档案目录 and 家庭成员: at 50,000
dossiers that alone was ~1.5 GB. Only the pages, the form and the reviews of that one dossier read those two.
So such a process keeps each dossier as its ``light`` data (everything else, ~11 KB, shared with the parse: what
rosters, statistics, teams and the grading read across all dossiers) and its whole data ``pack``ed (~3 KB),
unpacked again one dossier at a time for that dossier's own pages.
"""

from __future__ import annotations

import pickle
import zlib

HEAVY = ("档案目录", "家庭成员")  # the bulk of a dossier, read by its own pages only


class LeftOut(RuntimeError):
    """Light data was asked for a key it leaves out: the caller needs the whole dossier (``unpack``)."""


class Light(dict):
    """A dossier's data without ``HEAVY``. Asking it for one of those keys raises ``LeftOut``: a page reading the
    档案目录 from it would otherwise show an empty catalogue without anyone noticing."""

    __slots__ = ()

    def __getitem__(self, key):
        if key in HEAVY:
            raise LeftOut(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        if key in HEAVY:
            raise LeftOut(key)
        return dict.get(self, key, default)

    def __contains__(self, key) -> bool:
        if key in HEAVY:
            raise LeftOut(key)
        return dict.__contains__(self, key)


def light(data: dict) -> Light:
    """The same objects as ``data``'s, less ``HEAVY``: no copy."""
    return Light((k, v) for k, v in data.items() if k not in HEAVY)


def pack(data: dict) -> bytes:
    """pickle (only ever read back by this process: nothing packed is written anywhere) and zlib at level 1:
    ~3 KB, against ~7.6 KB for pickle alone, for ~0.1 ms more to unpack."""
    return zlib.compress(pickle.dumps(data, pickle.HIGHEST_PROTOCOL), 1)


def unpack(packed: bytes) -> dict:
    """A fresh copy of the data ``pack`` was given."""
    return pickle.loads(zlib.decompress(packed))
