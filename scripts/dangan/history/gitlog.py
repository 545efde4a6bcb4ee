"""Git, read in bulk: one ``git log --raw`` pass for the commits, one ``git cat-file --batch`` for blobs.

GitPython would cost a process round trip (or a Python-level diff) per commit; these two streams cost
one process each for the whole history.
"""

from __future__ import annotations

import re
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..repo import RepoError

DOSSIER_PREFIX = "dossiers/"
LEDGER = "ledgers/转递.yaml"
_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%ct%x1f%G?%x1f%B%x1f"
_TRAILER = re.compile(r"^([^\s:：]+)[:：][ \t]*(.+)$")
SIGNATURES = {"G": "有效签名", "U": "有效签名（签名人未受信任）", "X": "有效签名（已过期）",
              "Y": "有效签名（密钥已过期）", "R": "有效签名（密钥已吊销）", "E": "签名无法核验（缺少公钥）",
              "B": "签名无效", "N": "无签名"}


@dataclass(slots=True)
class FileChange:
    status: str  # A M D R (C and T are treated as A and M)
    path: str  # the path after the commit (before, for D)
    old_path: str | None  # the path before (renames; M and D: same as path)
    old_blob: str | None
    new_blob: str | None


@dataclass(slots=True)
class Commit:
    id: str
    parents: tuple[str, ...]
    author: str
    email: str
    time: int  # committer date, Unix seconds
    sig: str  # %G?
    message: str
    files: list[FileChange] = field(default_factory=list)

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]

    @property
    def trailers(self) -> dict[str, list[str]]:
        """"认定文号: 长组审〔2026〕3号" lines of the message's last paragraph."""
        last = self.message.strip().rsplit("\n\n", 1)[-1]
        out: dict[str, list[str]] = {}
        for line in last.splitlines():
            m = _TRAILER.match(line.strip())
            if m:
                out.setdefault(m.group(1), []).append(m.group(2).strip())
        return out


def git(root: Path, args: list[str], input: bytes | None = None) -> bytes:
    try:
        p = subprocess.run(["git", *args], cwd=root, input=input, capture_output=True)
    except OSError as exc:
        raise RepoError(f"无法运行 git：{exc.strerror or exc}") from None
    if p.returncode:
        message = p.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} 失败")
    return p.stdout


class GitError(RepoError):
    pass


def ensure_repository(root: Path) -> None:
    try:
        git(root, ["rev-parse", "--git-dir"])
    except GitError:
        raise RepoError(f"{root} 不是 Git 仓库：留痕功能读取的是 Git 历史，请在档案仓库的 Git 工作目录中运行") from None


def head(root: Path) -> str | None:
    try:
        return git(root, ["rev-parse", "--verify", "-q", "HEAD^{commit}"]).decode().strip() or None
    except GitError:
        return None


def rev_list(root: Path, revs: list[str]) -> list[str]:
    """Commit ids of a range, newest first; a bad range is a Chinese RepoError."""
    try:
        return git(root, ["rev-list", *revs, "--"]).decode().split()
    except GitError as exc:
        raise RepoError(f"无法识别的提交范围“{' '.join(revs)}”：{exc}") from None


def reachable(root: Path) -> set[str]:
    """Every commit reachable from a branch, a tag, another ref or HEAD."""
    return set(git(root, ["rev-list", "--all", "HEAD", "--"] if head(root) else ["rev-list", "--all", "--"]).decode().split())


def _relevant(path: str) -> bool:
    return (path.startswith(DOSSIER_PREFIX) and path.count("/") == 1 and path.endswith((".yaml", ".yml"))) or path == LEDGER


def parse_log(out: bytes) -> list[Commit]:
    commits = []
    for record in out.split(b"\x1e")[1:]:
        fields = record.split(b"\x1f", 7)
        cid, parents, author, email, time, sig, message, tail = fields
        c = Commit(cid.decode(), tuple(parents.decode().split()), author.decode("utf-8", "replace"),
                   email.decode("utf-8", "replace"), int(time), sig.decode() or "N", message.decode("utf-8", "replace"))
        tokens = tail.lstrip(b"\0\n").split(b"\0")
        i = 0
        while i < len(tokens):
            meta = tokens[i]
            if not meta.startswith(b":"):
                i += 1
                continue
            _om, _nm, old, new, status = meta[1:].decode().split(" ")
            kind = status[0]
            if kind in "RC":
                old_path, path = tokens[i + 1].decode("utf-8", "surrogateescape"), tokens[i + 2].decode("utf-8", "surrogateescape")
                i += 3
            else:
                path = old_path = tokens[i + 1].decode("utf-8", "surrogateescape")
                i += 2
            if kind == "C":
                kind, old_path, old = "A", None, "0" * 40
            kind = "M" if kind == "T" else kind
            if not (_relevant(path) or (old_path and _relevant(old_path))):
                continue
            zero = "0" * 40
            c.files.append(FileChange(kind, path, old_path if kind != "A" else None,
                                      None if old == zero else old, None if new == zero else new))
        commits.append(c)
    return commits


def log(root: Path, ids: list[str]) -> list[Commit]:
    """The given commits with their raw diffs against their first parent, in the order given."""
    if not ids:
        return []
    args = ["-c", "log.showSignature=false", "log", "--no-walk=unsorted", "--stdin", "-z", "--raw", "--no-abbrev",
            "-M", "--root", "--no-color", f"--format={_FORMAT}"]
    return parse_log(git(root, args, input="\n".join(ids).encode() + b"\n"))


def follow(root: Path, path: str) -> list[Commit]:
    """The commits that touched one file, newest first, across renames.

    ``git log --follow`` cannot use the commit-graph's changed-path filters and reads every tree
    (seconds on a large history); a path-limited log can, so renames are followed by hand: when the
    oldest commit adds the file, that one commit is diffed in full to see whether it was a rename.
    """
    args = ["-c", "log.showSignature=false", "log", "-z", "--raw", "--no-abbrev", "-M", "--root", "--no-color",
            f"--format={_FORMAT}"]
    out: list[Commit] = []
    rev, seen = "HEAD", set()
    while path not in seen:
        seen.add(path)
        commits = parse_log(git(root, [*args, rev, "--", path]))
        if not commits:
            break
        out.extend(commits)
        oldest = commits[-1]
        added = next((f for f in oldest.files if f.path == path and f.status == "A"), None)
        if added is None or not oldest.parents:
            break
        [whole] = log(root, [oldest.id])
        renamed = next((f for f in whole.files if f.path == path and f.status == "R"), None)
        if renamed is None:
            break
        oldest.files = [renamed]
        path, rev = renamed.old_path, oldest.parents[0]
    return out


def write_graph(root: Path) -> subprocess.Popen | None:
    """Start updating the commit-graph with changed-path filters (what makes path-limited logs fast)."""
    try:
        return subprocess.Popen(["git", "commit-graph", "write", "--reachable", "--changed-paths", "--split"],
                                cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return None


class BlobReader:
    """``git cat-file --batch``: any number of objects for one process start."""

    def __init__(self, root: Path):
        self.root = root

    def read(self, names: list[str]) -> dict[str, bytes | None]:
        """name (blob id or "rev:path") → bytes, None when missing."""
        names = list(dict.fromkeys(names))
        if not names:
            return {}
        proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.root, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        payload = "".join(f"{n}\n" for n in names).encode("utf-8")

        def feed():
            try:
                proc.stdin.write(payload)
                proc.stdin.close()
            except BrokenPipeError:  # pragma: no cover
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        out: dict[str, bytes | None] = {}
        read = proc.stdout
        for name in names:
            header = read.readline()
            parts = header.split()
            if len(parts) != 3:  # "<name> missing"
                out[name] = None
                continue
            size = int(parts[2])
            data = read.read(size)
            out[name] = data if parts[1] == b"blob" else None
            read.read(1)
        writer.join()
        proc.wait()
        return out
