"""Per-dossier cache of the site build, keyed by Git blob id: parsed data, and whether its form can be printed.

A dossier whose bytes did not change is not parsed again (``load`` is strict, hence not cheap). The pages
themselves are not kept here: the page on disk is their cache (direct.py's manifest holds what each was made
from). A missing, damaged or unwritable cache only makes the build slower.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .. import __version__, cachefile
from ..load import LoadError, load_bytes
from ..repo import Repo, blob_id

_LOADER = Path(__file__).resolve().parents[1] / "load.py"
_FORMAT = "2"  # of the entries (2: no pages kept)


class SiteCache:
    NAME = "site-cache.json"

    def __init__(self, repo: Repo):
        self.path = repo.cache_dir() / self.NAME
        self.loader = hashlib.sha1(__version__.encode() + _FORMAT.encode() + _LOADER.read_bytes()).hexdigest()
        self.entries: dict[str, tuple] = {}  # rel → (blob, data | None, key | None, what was known under it)
        self.fresh: dict[str, tuple] = {}
        self.dirty = False
        stored = cachefile.load(self.path, "site")  # None: missing, damaged or not ours — just an empty one
        try:
            if stored["loader"] == self.loader:
                self.entries = {rel: tuple(e) for rel, e in stored["entries"].items() if len(e) == 4}
        except (TypeError, KeyError, AttributeError):
            self.entries = {}

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
        self.dirty = True
        return data

    def known(self, rel: str, key: str):
        """What was recorded about this dossier under this key (``record``), or None."""
        _blob, _data, old_key, value = self.fresh[rel]
        return value if old_key == key else None

    def record(self, rel: str, key: str, value) -> None:
        blob, data, _key, _value = self.fresh[rel]
        self.fresh[rel] = (blob, data, key, value)
        self.dirty = True

    def save(self):
        if not self.dirty and set(self.fresh) == set(self.entries):
            return
        cachefile.save(self.path, "site", {"loader": self.loader, "entries": self.fresh})


def page_key(engine: str, blob: str, *parts) -> str:
    h = hashlib.sha1(f"{engine}\0{blob}".encode())
    for part in parts:
        h.update(b"\0" + repr(part).encode())
    return h.hexdigest()
