"""The dossier repository: where it is, which files it holds, and the result cache.

The cache maps each dossier path to (stat, blob id, findings). A file whose stat is
unchanged is not even read; a file whose bytes are unchanged (same Git blob id) is not
re-checked. The whole cache is dropped when the engine changes: the code, the schema,
the policy, or the as-of date (date rules such as 年度考核 move with it).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .atomic import save_pickle

DOSSIER_DIR = "dossiers"
SCHEMA_DIR = "schema"
_PACKAGE = Path(__file__).resolve().parent


_RACY_NS = 2_000_000_000  # filesystem timestamps can be this coarse (FAT, some network shares)


class RepoError(Exception):
    pass


def find_root(start: Path | None = None) -> Path:
    """The nearest ancestor holding schema/dossier.schema.json (DANGAN_ROOT overrides)."""
    env = os.environ.get("DANGAN_ROOT")
    if env:
        root = Path(env).resolve()
        if not (root / SCHEMA_DIR / "dossier.schema.json").is_file():
            raise RepoError(f"DANGAN_ROOT={env} 下没有 schema/dossier.schema.json")
        return root
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / SCHEMA_DIR / "dossier.schema.json").is_file():
            return candidate
    raise RepoError("当前目录不在档案仓库中（向上找不到 schema/dossier.schema.json）；"
                    "请在仓库目录内运行，或设置环境变量 DANGAN_ROOT")


@dataclass
class Repo:
    root: Path

    @property
    def dossier_dir(self) -> Path:
        return self.root / DOSSIER_DIR

    @property
    def schema_dir(self) -> Path:
        return self.root / SCHEMA_DIR

    def dossiers(self) -> list[Path]:
        # os.scandir + string sort: pathlib's per-file overhead dominated a warm check of 10,000 files
        try:
            with os.scandir(self.dossier_dir) as entries:
                names = sorted(e.name for e in entries if e.name.endswith((".yaml", ".yml")) and e.is_file())
        except (FileNotFoundError, NotADirectoryError):
            return []
        return [self.dossier_dir / n for n in names]

    def staged_dossiers(self) -> list[Path]:
        """Dossiers as the index holds them (what a commit will contain); all dossiers outside Git.

        The cross-file hook uses this: pre-commit sets aside unstaged edits but not untracked
        files, and an untracked draft must not block someone's commit.
        """
        if not (self.root / ".git").exists():
            return self.dossiers()
        try:
            out = subprocess.run(["git", "ls-files", "-z", "--", DOSSIER_DIR], cwd=self.root,
                                 capture_output=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return self.dossiers()
        names = [n for n in out.decode("utf-8", "surrogateescape").split("\0") if n]
        return sorted(self.root / n for n in names
                      if n.count("/") == 1 and n.endswith((".yaml", ".yml")) and (self.root / n).is_file())

    def rel(self, path: Path) -> str:
        """Repository-relative POSIX path; a cheap prefix test first (called once per file per run)."""
        text = str(path)
        prefix = str(self.root) + os.sep
        if text.startswith(prefix) and os.sep == "/" and "/../" not in text and "/./" not in text:
            return text[len(prefix):]
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def cache_dir(self) -> Path:
        git = self.root / ".git"
        return git / "dangan" if git.is_dir() else self.root / ".dangan-cache"

    def engine_key(self, as_of) -> str:
        h = hashlib.sha1(__version__.encode())
        for directory, pattern in ((_PACKAGE, "**/*.py"), (self.schema_dir, "**/*.json"), (self.schema_dir, "**/*.yaml")):
            for f in sorted(directory.glob(pattern)):
                h.update(f.name.encode())
                h.update(f.read_bytes())
        h.update(str(as_of).encode())
        return h.hexdigest()


def blob_id(raw: bytes) -> str:
    """Git's blob id of these bytes: the same key ``git ls-files -s`` shows."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


class Cache:
    """path → (mtime_ns, size, inode, blob, summary, findings, ctime_ns) for one engine key.

    ctime is in the key because mtime can be set back (``os.utime``, ``touch -r``, ``cp -p``, tar):
    an in-place edit of the same size with the old mtime restored still changes ctime.
    """

    NAME = "check-cache.pickle"

    def __init__(self, repo: Repo, engine: str):
        self.path = repo.cache_dir() / self.NAME
        self.engine = engine
        self.entries: dict[str, tuple] = {}
        self.dirty = False
        self.saved_ns = 0
        try:
            with self.path.open("rb") as fh:
                stored = pickle.load(fh)
            if stored.get("engine") == engine:
                self.entries = stored["entries"]
                self.saved_ns = stored.get("saved_ns", 0)
        except Exception:  # a missing or damaged cache is just an empty one
            self.entries = {}

    def lookup(self, rel: str, st: os.stat_result):
        entry = self.entries.get(rel)
        if (entry and entry[0] == st.st_mtime_ns and entry[1] == st.st_size and entry[2] == st.st_ino
                and entry[6:] == (st.st_ctime_ns,)
                # "racily clean" (as Git calls it): changed within the clock tick of the last save, so the
                # stat cannot prove the content unchanged — the caller re-reads and compares the blob id.
                and max(st.st_mtime_ns, st.st_ctime_ns) < self.saved_ns - _RACY_NS):
            return entry
        return None

    def lookup_blob(self, rel: str, blob: str):
        entry = self.entries.get(rel)
        return entry if entry and entry[3] == blob else None

    def store(self, rel: str, st: os.stat_result, blob: str, summary, findings):
        self.entries[rel] = (st.st_mtime_ns, st.st_size, st.st_ino, blob, summary, findings, st.st_ctime_ns)
        self.dirty = True

    def save(self):
        if not self.dirty:
            return
        # a read-only checkout still checks, just without the cache
        save_pickle(self.path, {"engine": self.engine, "entries": self.entries, "saved_ns": time.time_ns()})
