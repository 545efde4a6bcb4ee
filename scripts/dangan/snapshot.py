"""What a commit hook knew of the dossiers at its last run, kept so the next run reads only what changed.

A hook that judges the whole repository (``check --cross``, ``teams check --staged``) keeps, per path, what it
needs of each staged dossier, and the lookups it needs (编号 → paths …), in a ``Snapshot``: 256 shards of JSON in
the state dir, each named by the SHA-256 of its bytes, and a header sealed like every cache (``cachefile``)
that names the tree the snapshot describes (``git write-tree`` of the index at that run), the engine, and the
digest of every shard. The next run asks Git what changed between that tree and the index
(``git diff-index --cached``: at 50,000 dossiers and one changed, one record) and reads only the shards of the
keys it touches. A header that does not verify, a shard whose bytes are not the digest the header names, a
tree Git does not know: the snapshot is not used (``Stale``) and the caller starts from the whole index.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import zlib
from pathlib import Path
from typing import Any

from . import cachefile
from .atomic import write_atomic
from .repo import DOSSIER_DIR, Repo

SHARDS = 256
MAX_CHANGES = 2000  # more changed dossiers than this: reading the whole index is as quick
_ZERO = re.compile(r"0+")
# a record of ``git diff-index --cached -z --no-renames``: ":mode mode old new status\0path\0"
_DIFF = re.compile(rb":[0-7]+ [0-7]+ ([0-9a-f]+) ([0-9a-f]+) ([A-Z])[0-9]*\0([^\0]*)\0")
_DOSSIER = re.compile(re.escape(DOSSIER_DIR) + r"/[^/]*\.ya?ml")


class Stale(Exception):
    """The snapshot cannot be used (none, not ours, damaged, another engine, too far behind)."""


def _shard(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogateescape")) % SHARDS


# What Git answered about the index, while the index file is the same (the checks of one ``dangan pre-commit`` ask
# the same questions; at 50,000 dossiers every git command spends its first 10–20 ms reading the index).
_ASKED: dict[tuple, Any] = {}


def _index_state(repo: Repo) -> tuple | None:
    """Which index Git would read, and its inode, size and times; None when that cannot be told."""
    where = os.environ.get("GIT_INDEX_FILE")
    path = Path(repo.root, where) if where else repo.root / ".git" / "index"
    if not where and not (repo.root / ".git").is_dir():
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    return (str(repo.root), str(path), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _asked(repo: Repo, question: tuple, answer):
    state = _index_state(repo)
    if state is None:
        return answer()
    if (state, question) not in _ASKED:
        found = answer()
        _ASKED[(state, question)] = found
        after = _index_state(repo)  # write-tree may have rewritten the index (its cache of trees), same entries
        if after is not None and after != state:
            _ASKED[(after, question)] = found
    return _ASKED[(state, question)]


def index_tree(repo: Repo) -> str | None:
    """The tree the index would commit (``git write-tree``), None when Git cannot say (a conflict, no Git)."""
    def answer() -> str | None:
        try:
            out = subprocess.run(["git", "write-tree"], cwd=repo.root, capture_output=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return None
        tree = out.decode().strip()
        return tree if re.fullmatch(r"[0-9a-f]{40,64}", tree) else None

    return _asked(repo, ("write-tree",), answer)


def _diff_index(repo: Repo, tree: str) -> bytes:
    def answer() -> bytes:
        return subprocess.run(["git", "diff-index", "--cached", "-z", "--no-renames", "--full-index", tree,
                               "--", DOSSIER_DIR], cwd=repo.root, capture_output=True, check=True).stdout

    return _asked(repo, ("diff-index", tree), answer)


class Snapshot:
    """``kind``'s snapshot of the staged dossiers: ``get``/``put`` by key, ``meta`` (small, in the header),
    ``changes`` since the tree it describes, ``save`` for the tree it now describes."""

    def __init__(self, repo: Repo, kind: str, engine: str):
        self.repo, self.kind, self.engine = repo, kind, engine
        self.header_path = repo.cache_dir() / f"{kind}.json"
        self.dir = repo.cache_dir() / f"{kind}.d"
        self.tree: str | None = None
        self.digests: list[str | None] = [None] * SHARDS
        self.meta: dict = {}
        self._shards: dict[int, dict] = {}
        self._dirty: set[int] = set()

    def open(self) -> None:
        """Read the header; raises ``Stale`` when there is none that verifies for this engine."""
        head = cachefile.load(self.header_path, self.kind)
        try:
            if head["engine"] != self.engine or not isinstance(head["meta"], dict):
                raise Stale("engine")
            tree, digests = head["tree"], head["shards"]
            if not (isinstance(tree, str) and re.fullmatch(r"[0-9a-f]{40,64}", tree)):
                raise Stale("tree")
            if not (isinstance(digests, list) and len(digests) == SHARDS
                    and all(d is None or (isinstance(d, str) and re.fullmatch(r"[0-9a-f]{64}", d)) for d in digests)):
                raise Stale("shards")
        except (TypeError, KeyError) as exc:
            raise Stale("header") from exc
        self.tree, self.digests, self.meta = tree, digests, head["meta"]

    def start(self) -> None:
        """An empty snapshot, to be filled from the whole index."""
        self.tree, self.digests, self.meta = None, [None] * SHARDS, {}
        self._shards = {i: {} for i in range(SHARDS)}
        self._dirty = set(range(SHARDS))

    def changed_blobs(self) -> tuple[list[tuple[str, str | None, str | None]], dict[str, bytes]]:
        """``changes``, and the bytes of every blob they bring in (raises ``Stale`` when one cannot be read)."""
        changes = self.changes()
        new = sorted({b for _rel, _old, b in changes if b})
        raws = self.repo.read_blobs(new)
        if len(raws) != len(new):
            raise Stale("blob")
        return changes, raws

    def changes(self) -> list[tuple[str, str | None, str | None]]:
        """(path, blob before or None, blob now or None) of each dossier file the index changed since the
        snapshot's tree; raises ``Stale`` when Git cannot say, or for a conflict (its stage is not one blob)."""
        if self.tree is None:
            raise Stale("tree")
        try:
            out = _diff_index(self.repo, self.tree)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise Stale("diff") from exc
        found: list[tuple[str, str | None, str | None]] = []
        pos = 0
        while pos < len(out):
            m = _DIFF.match(out, pos)
            if m is None:
                raise Stale("diff format")
            pos = m.end()
            old, new, status, name = m.groups()
            rel = name.decode("utf-8", "surrogateescape")
            if not _DOSSIER.fullmatch(rel):
                continue
            if status == b"U":
                raise Stale("conflict")
            before, after = old.decode(), new.decode()
            found.append((rel, None if _ZERO.fullmatch(before) else before, None if _ZERO.fullmatch(after) else after))
            if len(found) > MAX_CHANGES:
                raise Stale("too many")
        return found

    def _load(self, i: int) -> dict:
        shard = self._shards.get(i)
        if shard is not None:
            return shard
        digest = self.digests[i]
        if digest is None:
            shard = {}
        else:
            try:
                raw = (self.dir / digest).read_bytes()
            except OSError as exc:
                raise Stale("shard") from exc
            if hashlib.sha256(raw).hexdigest() != digest:
                raise Stale("shard digest")
            try:
                shard = json.loads(raw)
            except ValueError as exc:
                raise Stale("shard") from exc
            if not isinstance(shard, dict):
                raise Stale("shard")
        self._shards[i] = shard
        return shard

    def get(self, key: str) -> Any:
        return self._load(_shard(key)).get(key)

    def put(self, key: str, value: Any) -> None:
        """Set (``None``: remove) one key."""
        i = _shard(key)
        shard = self._load(i)
        if value is None:
            if key in shard:
                del shard[key]
                self._dirty.add(i)
        elif shard.get(key) != value:
            shard[key] = value
            self._dirty.add(i)

    def save(self, tree: str | None) -> None:
        """Write the changed shards and the header for ``tree`` (the index's tree; None: keep nothing)."""
        if tree is None:
            return
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            for i in sorted(self._dirty):
                shard = self._shards[i]
                if not shard:
                    self.digests[i] = None
                    continue
                body = json.dumps(shard, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
                digest = hashlib.sha256(body).hexdigest()
                if digest != self.digests[i] or not (self.dir / digest).is_file():
                    write_atomic(self.dir / digest, body, overwrite=True)
                self.digests[i] = digest
        except OSError:
            return
        if not cachefile.save(self.header_path, self.kind, {"engine": self.engine, "tree": tree,
                                                           "shards": self.digests, "meta": self.meta}):
            return
        keep = {d for d in self.digests if d}
        try:
            with os.scandir(self.dir) as entries:
                old = [e.name for e in entries if e.name not in keep and not e.name.startswith(".")]
        except OSError:
            return
        for name in old:  # a shard no header names any more (another run still reading it finds it gone: Stale)
            try:
                (self.dir / name).unlink()
            except OSError:
                pass


def engine_of(*files: Path) -> str:
    """What a snapshot's values depend on: this version and these source files."""
    from . import __version__

    h = hashlib.sha1(__version__.encode())
    for f in files:
        h.update(f.read_bytes())
    return h.hexdigest()
