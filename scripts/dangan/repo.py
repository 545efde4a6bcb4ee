"""The dossier repository: where it is, which files it holds, the one door to its dossiers, the result cache.

Every command reaches a dossier through ``Repo.dossier`` (one 编号 or path → one file, never one
outside dossiers/) and reads them all through ``Repo.read_all`` (what it read, and what it skipped
and why). The policy and the code tables are read once per ``Repo`` (``Repo.policy``, ``Repo.codes``).

The cache maps each dossier path to (stat, blob id, findings). A file whose stat is
unchanged is not even read; a file whose bytes are unchanged (same Git blob id) is not
re-checked. The whole cache is dropped when the engine changes: the code, the schema,
the policy, or the as-of date (date rules such as 年度考核 move with it).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import __version__, cachefile
from .atomic import state_dir
from .codes import CodeTables
from .errors import UsageError
from .findings import ERROR, Finding
from .load import MAX_BYTES, Document, LoadError, load_bytes
from .policy import Policy, load_policy
from .schema import Schema
from .yamledit import recover

DOSSIER_DIR = "dossiers"
SCHEMA_DIR = "schema"
TEAM_DIR = "teams"  # 领导班子: teams/<单位>.yaml (schema/team.schema.json)
TEAM_SCHEMA = "team.schema.json"
_PACKAGE = Path(__file__).resolve().parent
SUFFIXES = (".yaml", ".yml")
NUMBER = re.compile(r"[A-Z][A-Z0-9]{3,15}")  # the schema's 编号 pattern


# A record of ``git ls-files -s -z -- dossiers``: mode, blob id, stage, a tab, a file directly in dossiers/ (.yaml/.yml).
def _staged_pattern(folder: str) -> re.Pattern[bytes]:
    return re.compile(rb"(?:^|(?<=\0))[0-7]+ ([0-9a-f]{40,64}) ([0-3])\t(" + re.escape(folder.encode())
                      + rb"/[^/\0]*\.ya?ml)\0")


_STAGED = {DOSSIER_DIR: _staged_pattern(DOSSIER_DIR), TEAM_DIR: _staged_pattern(TEAM_DIR)}
_RACY_NS = 2_000_000_000  # filesystem timestamps can be this coarse (FAT, some network shares)


class RepoError(UsageError):
    """The repository cannot answer: not found, no such dossier, a path outside it (exit 2)."""


@dataclass(frozen=True)
class Dossier:
    """One dossier as read: its file, repository-relative path, 编号 (the file's stem) and data."""

    path: Path
    rel: str
    data: dict

    @property
    def number(self) -> str:
        return self.path.stem


@dataclass(frozen=True)
class Skipped:
    """A dossier file that could not be read, and why (the loader's refusal, with line and column)."""

    rel: str
    line: int
    col: int
    code: str
    message: str

    def text(self) -> str:
        return f"{self.rel}:{self.line}:{self.col}: {self.code} {self.message}"


@dataclass
class Reading:
    """Every dossier that could be read, in file order, and every one that could not."""

    dossiers: list[Dossier] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True)
class Team:
    """One 领导班子 file as read and schema-checked: teams/<单位>.yaml."""

    path: Path
    rel: str
    doc: Document

    @property
    def data(self) -> dict:
        return self.doc.data

    @property
    def name(self) -> str:
        return self.data.get("单位") or self.path.stem

    def members(self) -> list[tuple[int, dict]]:
        """(index in 成员, entry) of every member, current and former."""
        return [(i, m) for i, m in enumerate(self.data.get("成员") or []) if isinstance(m, dict)]

    def members_on(self, month: int | None = None) -> list[dict]:
        """The members in office in that month (a month index; None: the current members), by 排序."""
        from .dates import month_index

        out = []
        for _i, m in self.members():
            start, end = month_index(m.get("任职时间")), month_index(m.get("离任时间"))
            if month is None:
                if m.get("离任时间") is None:
                    out.append(m)
            elif start is not None and start <= month and (end is None or month < end):
                out.append(m)
        return sorted(out, key=lambda m: (m.get("排序") or 99, str(m.get("编号"))))


@dataclass
class TeamReading:
    """Every team file that could be read and passed its schema, and the findings of those that could not."""

    teams: list[Team] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    files: int = 0


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

    def __post_init__(self) -> None:
        recover(self.root)  # a multi-file change cut short by a kill is undone before anything reads the files

    @property
    def dossier_dir(self) -> Path:
        return self.root / DOSSIER_DIR

    @property
    def schema_dir(self) -> Path:
        return self.root / SCHEMA_DIR

    @cached_property
    def policy(self) -> Policy:
        """schema/policy.yaml, read and validated once for this repository object."""
        return load_policy(self.schema_dir / "policy.yaml")

    @cached_property
    def schema(self) -> Schema:
        """The dossier schema (schema/dossier.schema.json), compiled once for this repository object."""
        return Schema(self.schema_dir)

    @cached_property
    def codes(self) -> CodeTables:
        return CodeTables.read(self.schema_dir)

    @cached_property
    def git(self):
        """The Git repository at the root as a GitPython ``git.Repo``, or None outside Git.

        The handle for what costs nothing: config, refs, objects. GitPython is imported here, on first
        use, because its ~0.1 s of imports must not reach ``dangan check`` or the hooks; the hot paths
        (the history scan's batched git log / cat-file streams, the staged listing of the cross-file
        hook) keep their own subprocess pipes.
        """
        if not (self.root / ".git").exists():
            return None
        import git

        try:
            return git.Repo(self.root)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            return None

    def git_user(self) -> str:
        """Git's user.name as the clerk's Git sees it (repository, global, system; "" when unset)."""
        import git

        if self.git is None:
            return ""
        try:
            return self.git.git.config("user.name").strip()
        except git.GitCommandError:  # unset
            return ""

    def dossier(self, ref: str, base: Path | None = None, must_exist: bool = True) -> Path:
        """The dossier file a command argument names: a 编号 (dossiers/<编号>.yaml or .yml), or a path to a
        file directly in dossiers/ (relative paths are taken from ``base``, default the repository root).

        Anything else is refused (exit 2): a path outside dossiers/ (also through a symbolic link or ..),
        a name that is neither, a 编号 with both a .yaml and a .yml file. ``must_exist=False`` answers
        the file a 编号 would have, for commands that follow a dossier that is gone (trail).
        """
        if NUMBER.fullmatch(ref):
            found = [p for p in (self.dossier_dir / f"{ref}{s}" for s in SUFFIXES) if p.is_file()]
            if len(found) > 1:
                raise RepoError(f"编号 {ref} 有两个档案文件（{'、'.join(self.rel(p) for p in found)}）：请删去其中一个")
            if found:
                return found[0]
            if must_exist:
                raise RepoError(f"找不到编号为“{ref}”的档案（{DOSSIER_DIR}/{ref}.yaml）")
            return self.dossier_dir / f"{ref}.yaml"
        candidate = Path(ref)
        if not ref or candidate.suffix not in SUFFIXES:
            raise RepoError(f"“{ref}”不是档案编号（如 C000001），也不是 {DOSSIER_DIR}/ 中的档案文件")
        if not candidate.is_absolute():
            candidate = (base or self.root) / candidate
        try:
            real = candidate.resolve()
            inside = real.parent == self.dossier_dir.resolve()
        except (OSError, RuntimeError):  # a symlink loop
            inside = False
        if not inside:
            raise RepoError(f"“{ref}”不在本仓库的 {DOSSIER_DIR}/ 目录中：只能指定本仓库的档案")
        path = self.dossier_dir / real.name
        if must_exist and not path.is_file():
            raise RepoError(f"找不到档案文件 {DOSSIER_DIR}/{real.name}")
        return path

    def find(self, number: str) -> Path | None:
        """The file of a 编号 written in a ledger or a link, or None (no such dossier, or not a 编号)."""
        try:
            return self.dossier(number) if isinstance(number, str) and NUMBER.fullmatch(number) else None
        except RepoError:
            return None

    def read(self, path: Path) -> Dossier:
        """One dossier, read strictly; an unreadable one is refused with its line and column."""
        rel = self.rel(path)
        try:
            with path.open("rb") as fh:
                doc = load_bytes(fh.read(MAX_BYTES + 1), rel)
        except LoadError as exc:
            raise RepoError(f"{rel}:{exc.line}:{exc.col}: 档案无法读取（{exc.code} {exc.message}），"
                            "请先用 dangan check 改正") from None
        return Dossier(path, rel, doc.data)

    def commit_on(self, day) -> str:
        """The commit HEAD's first-parent line was at by the end of that day (committer time, local clock)."""
        try:
            out = subprocess.run(["git", "rev-list", "-1", "--first-parent", f"--before={day.isoformat()} 23:59:59",
                                  "HEAD"], cwd=self.root, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            raise RepoError("不是 Git 仓库或还没有提交：--recorded 要读 Git 中的历史版本") from None
        if not out:
            raise RepoError(f"Git 历史中没有 {day.isoformat().replace('-', '.')} 当日或以前的提交")
        return out

    def blobs_at(self, commit: str, folder: str) -> list[tuple[str, bytes]]:
        """(path, bytes) of every .yaml/.yml directly in ``folder`` at ``commit``: one ls-tree, one cat-file stream."""
        listing = subprocess.run(["git", "ls-tree", "-z", commit, "--", folder + "/"], cwd=self.root,
                                 capture_output=True, check=True).stdout
        entries = []
        for item in listing.split(b"\0"):
            if not item:
                continue
            meta, _, name = item.partition(b"\t")
            _mode, kind, sha = meta.split()
            path = name.decode("utf-8", "surrogateescape")
            if kind == b"blob" and path.endswith(SUFFIXES) and path.count("/") == 1:
                entries.append((path, sha))
        entries.sort()
        if not entries:
            return []
        stream = subprocess.run(["git", "cat-file", "--batch"], cwd=self.root, capture_output=True, check=True,
                                input=b"".join(sha + b"\n" for _p, sha in entries)).stdout
        out, pos = [], 0
        for path, _sha in entries:
            end = stream.index(b"\n", pos)
            size = int(stream[pos:end].split()[2])
            out.append((path, stream[end + 1:end + 1 + size]))
            pos = end + 1 + size + 1
        return out

    def versions(self, rel: str) -> list[bytes]:
        """Every committed version of one file, newest first (one git log, one cat-file stream); [] outside Git."""
        try:
            shas = subprocess.run(["git", "log", "--format=%H", "--", rel], cwd=self.root, capture_output=True,
                                  text=True, check=True).stdout.split()
            if not shas:
                return []
            stream = subprocess.run(["git", "cat-file", "--batch"], cwd=self.root, capture_output=True, check=True,
                                    input="".join(f"{sha}:{rel}\n" for sha in shas).encode("utf-8")).stdout
        except (OSError, subprocess.CalledProcessError):
            return []
        out, pos = [], 0
        while pos < len(stream):
            end = stream.index(b"\n", pos)
            head = stream[pos:end].split()
            if head[-1] == b"missing":  # the commit deleted the file
                pos = end + 1
                continue
            size = int(head[2])
            out.append(stream[end + 1:end + 1 + size])
            pos = end + 1 + size + 1
        return out

    def read_all(self, paths: list[Path] | None = None, at: str | None = None) -> Reading:
        """Every dossier (or those of ``paths``): what could be read, and what was skipped and why.

        ``at`` reads them from a commit instead (Git blobs, no checkout)."""
        out = Reading()
        if at is not None:
            for rel, raw in self.blobs_at(at, DOSSIER_DIR):
                try:
                    doc = load_bytes(raw[:MAX_BYTES + 1], rel)
                except LoadError as exc:
                    out.skipped.append(Skipped(rel, exc.line, exc.col, exc.code, exc.message))
                    continue
                out.dossiers.append(Dossier(self.root / rel, rel, doc.data))
            return out
        for path in self.dossiers() if paths is None else paths:
            rel = self.rel(path)
            try:
                with path.open("rb") as fh:
                    doc = load_bytes(fh.read(MAX_BYTES + 1), rel)
            except LoadError as exc:  # an unreadable file (OSError) is not skipped: the command fails, as check does
                out.skipped.append(Skipped(rel, exc.line, exc.col, exc.code, exc.message))
                continue
            out.dossiers.append(Dossier(path, rel, doc.data))
        return out

    @property
    def team_dir(self) -> Path:
        return self.root / TEAM_DIR

    def team_files(self) -> list[Path]:
        try:
            with os.scandir(self.team_dir) as entries:
                names = sorted(e.name for e in entries if e.name.endswith(SUFFIXES) and e.is_file())
        except (FileNotFoundError, NotADirectoryError):
            return []
        return [self.team_dir / n for n in names]

    def read_teams(self, at: str | None = None, staged: bool = False) -> TeamReading:
        """Every teams/*.yaml, read strictly and checked against schema/team.schema.json (``at``: from a commit;
        ``staged``: as the Git index holds them, the files outside Git).

        A file that cannot be read or does not fit the schema is left out of ``teams`` (nothing builds on a
        refused value) and its findings (L…, S…, with line and column) are in ``problems``.
        """
        out = TeamReading()
        files: list[tuple[Path, bytes | None]]
        if at is not None:
            files = [(self.root / rel, raw) for rel, raw in self.blobs_at(at, TEAM_DIR)]
        elif staged and (blobs := self.staged_blobs(TEAM_DIR)) is not None:
            raws = self.read_blobs(sorted(set(blobs.values())))
            files = [(self.root / rel, raws.get(blob)) for rel, blob in blobs.items()]  # None: from the file
        else:
            files = [(p, None) for p in self.team_files()]
        out.files = len(files)
        if not files:
            return out
        schema = Schema(self.schema_dir, TEAM_SCHEMA)
        for path, raw in files:
            rel = self.rel(path)
            try:
                if raw is None:
                    with path.open("rb") as fh:
                        raw = fh.read(MAX_BYTES + 1)
                doc = load_bytes(raw[:MAX_BYTES + 1], rel)
            except LoadError as exc:
                out.problems.append(Finding(rel, exc.line, exc.col, ERROR, exc.code, exc.message))
                continue
            found = schema.findings(doc)
            if found:
                out.problems.extend(found)
                continue
            out.teams.append(Team(path, rel, doc))
        return out

    def team(self, ref: str) -> Team:
        """The team a command argument names: its 单位 or its file name (teams/<单位>.yaml); refused otherwise."""
        reading = self.read_teams()
        key = Path(ref).name.removesuffix(".yaml").removesuffix(".yml")
        for t in reading.teams:
            if ref in (t.name, t.path.stem) or key == t.path.stem:
                return t
        bad = [p for p in reading.problems if Path(p.path).stem == key]
        if bad:
            raise RepoError(f"{bad[0].text()}（班子文件须先改正：dangan teams check）")
        known = "、".join(t.name for t in reading.teams) or "（teams/ 中没有班子文件）"
        raise RepoError(f"找不到“{ref}”的领导班子（{TEAM_DIR}/<单位>.yaml）；已有：{known}")

    def dossiers(self) -> list[Path]:
        # os.scandir + string sort: pathlib's per-file overhead dominated a warm check of 10,000 files
        try:
            with os.scandir(self.dossier_dir) as entries:
                names = sorted(e.name for e in entries if e.name.endswith(SUFFIXES) and e.is_file())
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

    def staged_blobs(self, folder: str = DOSSIER_DIR) -> dict[str, str] | None:
        """The dossiers (or the team files: ``folder``) as the index holds them (what the commit will contain):
        path → blob id, without reading or even stat-ing a file; None outside Git. A path in a merge conflict (no
        stage-0 entry) maps to the blob of its file, as ``check`` would read it."""
        if not (self.root / ".git").exists():
            return None
        try:
            out = subprocess.run(["git", "ls-files", "-s", "-z", "--", folder], cwd=self.root,
                                 capture_output=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return None
        blobs: dict[str, str] = {}
        # one regular expression over the whole listing (50,000 records: a Python loop per record cost 0.15 s)
        for blob, stage, name in _STAGED[folder].findall(out):
            rel = name.decode("utf-8", "surrogateescape")
            if stage == b"0":
                blobs[rel] = blob.decode()
            elif rel not in blobs:
                blobs[rel] = ""  # conflicted: read below from the file, as check reads it
        for name in [n for n, b in blobs.items() if not b]:
            try:
                with open(self.root / name, "rb") as fh:
                    blobs[name] = blob_id(fh.read(MAX_BYTES + 1))
            except OSError:
                del blobs[name]
        return dict(sorted(blobs.items()))

    def read_blobs(self, blobs: list[str]) -> dict[str, bytes]:
        """Blob id → bytes from the object store (``git cat-file --batch``); missing ones are left out."""
        if not blobs:
            return {}
        try:
            out = subprocess.run(["git", "cat-file", "--batch"], cwd=self.root, capture_output=True, check=True,
                                 input="".join(f"{b}\n" for b in blobs).encode()).stdout
        except (OSError, subprocess.CalledProcessError):
            return {}
        found, pos = {}, 0
        for blob in blobs:
            nl = out.index(b"\n", pos)
            head = out[pos:nl].split()
            if len(head) != 3:  # "<id> missing"
                pos = nl + 1
                continue
            size = int(head[2])
            if head[1] == b"blob":
                found[blob] = out[nl + 1:nl + 1 + size]
            pos = nl + 2 + size
        return found

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
        return state_dir(self.root)

    def engine_key(self, as_of) -> str:
        h = hashlib.sha1(__version__.encode())
        for directory, pattern in ((_PACKAGE, "**/*.py"), (self.schema_dir, "**/*.json"), (self.schema_dir, "**/*.yaml")):
            for f in sorted(directory.glob(pattern)):
                h.update(f.name.encode())
                h.update(f.read_bytes())
        h.update(str(as_of).encode())
        return h.hexdigest()


def content_hash(raw: bytes) -> str:
    """What the transfer register records of a file received (文件哈希, 入库哈希): ``sha256:`` and 64 hex digits."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def blob_id(raw: bytes) -> str:
    """Git's blob id of these bytes: the same key ``git ls-files -s`` shows."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


class Cache:
    """path → (mtime_ns, size, inode, blob, summary, findings, ctime_ns) for one engine key.

    ctime is in the key because mtime can be set back (``os.utime``, ``touch -r``, ``cp -p``, tar):
    an in-place edit of the same size with the old mtime restored still changes ctime.
    """

    NAME = "check-cache.json"

    def __init__(self, repo: Repo, engine: str):
        self.path = repo.cache_dir() / self.NAME
        self.engine = engine
        self.entries: dict[str, tuple] = {}
        self.dirty = False
        self.saved_ns = 0
        stored = cachefile.load(self.path, "check")  # None: missing, damaged or not ours — just an empty one
        try:
            if stored["engine"] == engine:
                entries = {rel: _check_entry(e) for rel, e in stored["entries"].items()}
                self.entries, self.saved_ns = entries, int(stored["saved_ns"])
        except (TypeError, KeyError, ValueError, AttributeError):
            self.entries, self.saved_ns = {}, 0

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
        cachefile.save(self.path, "check", {"engine": self.engine, "entries": self.entries, "saved_ns": time.time_ns()})


def _check_entry(e: list) -> tuple:
    """A cache entry as ``Cache.store`` made it (JSON has lists where it had tuples)."""
    mtime, size, ino, blob, summary, findings, ctime = e
    return (mtime, size, ino, blob, summary, [tuple(f) for f in findings], ctime)
