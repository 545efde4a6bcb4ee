"""Per-dossier cache of the site build, keyed by Git blob id: parsed data, and whether its form can be printed.

A dossier whose bytes did not change is not parsed again (``load`` is strict, hence not cheap). The pages
themselves are not kept here: the page on disk is their cache (direct.py's manifest holds what each was made
from). A missing, damaged or unwritable cache only makes the build slower.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from sys import intern

from .. import __version__, cachefile
from ..load import SHARED, LoadError, load_bytes
from ..repo import Repo, blob_id

_LOADER = Path(__file__).resolve().parents[1] / "load.py"
_FORMAT = "2"  # of the entries (2: no pages kept)


def _shared(pairs: list) -> dict:
    """One string object for each repeated key and short value (as ``load`` does): a parsed dossier read back
    from the cache takes ~30 KB instead of ~54 KB, which is most of the build's memory at 50,000 dossiers."""
    return {intern(k): intern(v) if v.__class__ is str and len(v) <= SHARED else v for k, v in pairs}


class SiteCache:
    """Kept in ``SHARDS`` files by the dossier's path (``site-cache/NN.json``): a build reads each shard in turn
    (never one file of all dossiers in memory at once: ~600 MB of JSON at 50,000) and writes again only the shards
    holding a dossier that changed."""

    DIR, OLD = "site-cache", "site-cache.json"
    SHARDS = 64

    def __init__(self, repo: Repo):
        self.dir = repo.cache_dir() / self.DIR
        self.loader = hashlib.sha1(__version__.encode() + _FORMAT.encode() + _LOADER.read_bytes()).hexdigest()
        self.entries: dict[str, tuple] = {}  # rel → (blob, data | None, key | None, what was known under it)
        self.fresh: dict[str, tuple] = {}
        self.dirty: set[int] = set()  # shards to write again
        (repo.cache_dir() / self.OLD).unlink(missing_ok=True)  # the single file of earlier versions
        for k in range(self.SHARDS):
            stored = cachefile.load(self._path(k), "site", _shared)  # None: missing, damaged or not ours
            try:
                if stored["loader"] == self.loader:
                    self.entries.update((rel, tuple(e)) for rel, e in stored["entries"].items()
                                        if len(e) == 4 and self.shard(rel) == k)
            except (TypeError, KeyError, AttributeError):
                continue

    def _path(self, k: int) -> Path:
        return self.dir / f"{k:02d}.json"

    def shard(self, rel: str) -> int:
        return int(hashlib.sha1(rel.encode()).hexdigest()[:4], 16) % self.SHARDS

    def data(self, rel: str, path: Path):
        """The dossier's data (a dict), or None when the loader refuses the file."""
        raw = path.read_bytes()
        blob = blob_id(raw)
        entry = self.entries.get(rel)
        if entry and entry[0] == blob:
            self.fresh[rel] = entry
            return entry[1]
        try:
            data = load_bytes(raw, rel).data
        except LoadError:
            data = None
        self.fresh[rel] = (blob, data, None, None)
        self.dirty.add(self.shard(rel))
        return data

    def known(self, rel: str, key: str):
        """What was recorded about this dossier under this key (``record``), or None."""
        _blob, _data, old_key, value = self.fresh[rel]
        return value if old_key == key else None

    def record(self, rel: str, key: str, value) -> None:
        blob, data, _key, _value = self.fresh[rel]
        self.fresh[rel] = (blob, data, key, value)
        self.dirty.add(self.shard(rel))

    def pack(self, packed: dict[str, bytes]) -> None:
        """Hold each dossier's data as its packed bytes (``Site.pack``: the same object, no copy); ``save``
        unpacks a shard's entries as it writes them."""
        self.entries = {rel: () for rel in self.entries}  # only which dossiers there were (``save``: removed ones)
        for rel, (blob, _data, key, value) in self.fresh.items():
            if rel in packed:
                self.fresh[rel] = (blob, packed[rel], key, value)

    def save(self):
        gone = {self.shard(rel) for rel in set(self.entries) - set(self.fresh)}  # a dossier removed or renamed
        write = self.dirty | gone
        by_shard: dict[int, dict] = {k: {} for k in write}
        if write:
            for rel, e in self.fresh.items():
                k = self.shard(rel)
                if k in by_shard:
                    by_shard[k][rel] = e
        for k in sorted(write):
            entries = {rel: _unpacked(e) for rel, e in by_shard.pop(k).items()}  # one shard's data at a time
            if entries:
                cachefile.save(self._path(k), "site", {"loader": self.loader, "entries": entries})
            else:
                self._path(k).unlink(missing_ok=True)
        self.dirty = set()


def _unpacked(entry: tuple) -> tuple:
    return (entry[0], pickle.loads(entry[1]), *entry[2:]) if isinstance(entry[1], bytes) else entry


def page_key(engine: str, blob: str, *parts) -> str:
    h = hashlib.sha1(f"{engine}\0{blob}".encode())
    for part in parts:
        h.update(b"\0" + repr(part).encode())
    return h.hexdigest()
