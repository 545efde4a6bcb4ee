"""Per-dossier cache of the site build, keyed by Git blob id: parsed data, and whether its form can be printed.

A dossier whose bytes did not change is not parsed again (``load`` is strict, hence not cheap). The pages
themselves are not kept here: the page on disk is their cache (direct.py's manifest holds what each was made
from). A missing, damaged or unwritable cache only makes the build slower.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from sys import intern

from .. import __version__, cachefile
from ..load import SHARED, LoadError, load_bytes
from ..packed import pack, unpack
from ..repo import Repo, blob_id

_LOADER = Path(__file__).resolve().parents[1] / "load.py"
_FORMAT = "2"  # of the entries (2: no pages kept)


def _shared(pairs: list) -> dict:
    """One string object for each repeated key and short value (as ``load`` does): a parsed dossier read back
    from the cache takes ~30 KB instead of ~54 KB, which is most of the build's memory at 50,000 dossiers."""
    return {intern(k): intern(v) if v.__class__ is str and len(v) <= SHARED else v for k, v in pairs}


class SiteCache:
    """Kept in ``SHARDS`` files by the dossier's path (``site-cache/NN.json``): a build reads the dossiers one shard
    at a time (``read``: never every dossier's parsed data in memory at once, ~1.5 GB at 50,000) and writes again
    only the shards holding a dossier that changed. In memory each dossier's data is held packed (``packed``)."""

    DIR, OLD = "site-cache", "site-cache.json"
    SHARDS = 64

    def __init__(self, repo: Repo):
        self.dir = repo.cache_dir() / self.DIR
        self.loader = hashlib.sha1(__version__.encode() + _FORMAT.encode() + _LOADER.read_bytes()).hexdigest()
        self.fresh: dict[str, tuple] = {}  # rel → (blob, packed data | None, key | None, what was known under it)
        self.dirty: set[int] = set()  # shards to write again
        (repo.cache_dir() / self.OLD).unlink(missing_ok=True)  # the single file of earlier versions

    def _path(self, k: int) -> Path:
        return self.dir / f"{k:02d}.json"

    def shard(self, rel: str) -> int:
        return int(hashlib.sha1(rel.encode()).hexdigest()[:4], 16) % self.SHARDS

    def _stored(self, k: int) -> dict[str, tuple]:
        stored = cachefile.load(self._path(k), "site", _shared)  # None: missing, damaged or not ours
        try:
            if stored["loader"] == self.loader:
                return {rel: tuple(e) for rel, e in stored["entries"].items() if len(e) == 4 and self.shard(rel) == k}
        except (TypeError, KeyError, AttributeError):
            pass
        if stored is not None:
            self.dirty.add(k)  # another loader's: written again in this one's format
        return {}

    def read(self, paths: dict[str, Path]) -> Iterator[tuple[str, dict | None]]:
        """(rel, data) of every dossier (rel → path), data None when the loader refuses the file; shard by shard,
        so in no particular order. A dossier whose bytes did not change is not parsed again (``load`` is strict,
        hence not cheap). Its data is packed here (``packed``): the caller keeps what it needs of it."""
        by_shard: dict[int, list[str]] = {}
        for rel in paths:
            by_shard.setdefault(self.shard(rel), []).append(rel)
        for k in range(self.SHARDS):
            rels = by_shard.get(k)
            if not rels:
                if self._path(k).exists():  # all its dossiers removed or renamed
                    self.dirty.add(k)
                continue
            stored = self._stored(k)
            if set(stored) - set(rels):
                self.dirty.add(k)
            for rel in rels:
                raw = paths[rel].read_bytes()
                blob = blob_id(raw)
                entry = stored.pop(rel, None)
                if entry and entry[0] == blob:
                    data, known = entry[1], entry[2:]
                else:
                    try:
                        data = load_bytes(raw, rel).data
                    except LoadError:
                        data = None
                    known = (None, None)
                    self.dirty.add(k)
                self.fresh[rel] = (blob, None if data is None else pack(data), *known)
                yield rel, data
            del stored

    def packed(self, rel: str) -> bytes | None:
        return self.fresh[rel][1]

    def known(self, rel: str, key: str):
        """What was recorded about this dossier under this key (``record``), or None."""
        _blob, _data, old_key, value = self.fresh[rel]
        return value if old_key == key else None

    def record(self, rel: str, key: str, value) -> None:
        blob, data, _key, _value = self.fresh[rel]
        self.fresh[rel] = (blob, data, key, value)
        self.dirty.add(self.shard(rel))

    def save(self):
        by_shard: dict[int, dict] = {k: {} for k in self.dirty}
        if self.dirty:
            for rel, e in self.fresh.items():
                k = self.shard(rel)
                if k in by_shard:
                    by_shard[k][rel] = e
        for k in sorted(self.dirty):
            entries = {rel: _unpacked(e) for rel, e in by_shard.pop(k).items()}  # one shard's data at a time
            if entries:
                cachefile.save(self._path(k), "site", {"loader": self.loader, "entries": entries})
            else:
                self._path(k).unlink(missing_ok=True)
        self.dirty = set()


def _unpacked(entry: tuple) -> tuple:
    return (entry[0], None if entry[1] is None else unpack(entry[1]), *entry[2:])


def page_key(engine: str, blob: str, *parts) -> str:
    h = hashlib.sha1(f"{engine}\0{blob}".encode())
    for part in parts:
        h.update(b"\0" + repr(part).encode())
    return h.hexdigest()
