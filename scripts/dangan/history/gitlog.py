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
# %G? and %GS share a field: the status letter, then the allowed_signers principal of a good signature
_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%ct%x1f%G?%GS%x1f%B%x1f"
SIGNER = "签名人"  # shown instead of the author when a good signature's principal is someone else
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
    # In a merge: one (status, path, blob) per parent, for a path that differs from every parent (``git log -c``:
    # what the merge itself brought; a path equal to one parent's came from that parent and is not listed).
    parents: tuple | None = None


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


_SIGNERS: dict[Path, list[str]] = {}


def signers_config(root: Path) -> list[str]:
    """``-c gpg.ssh.allowedSignersFile=<root>/allowed_signers`` unless Git is configured with one already.

    Without an allowed-signers file Git cannot tell whose SSH signature a commit carries (%G? is "E"); the
    repository's own registry is what the central repository verifies against, so it is the one to show.
    """
    if root not in _SIGNERS:
        mine = Path(root) / "allowed_signers"
        try:
            configured = subprocess.run(["git", "config", "--get", "gpg.ssh.allowedSignersFile"], cwd=root,
                                        capture_output=True).returncode == 0
        except OSError:
            configured = True
        _SIGNERS[root] = [] if configured or not mine.is_file() else ["-c", f"gpg.ssh.allowedSignersFile={mine}"]
    return _SIGNERS[root]


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
    """Commit ids of a range, newest first (topologically: a commit before its parents); a bad range is a Chinese RepoError."""
    try:
        return git(root, ["rev-list", "--topo-order", *revs, "--"]).decode().split()  # parents after children
    except GitError as exc:
        raise RepoError(f"无法识别的提交范围“{' '.join(revs)}”：{exc}") from None


def is_ancestor(root: Path, ancestor: str, descendant: str) -> bool:
    return subprocess.run(["git", "merge-base", "--is-ancestor", ancestor, descendant], cwd=root,
                          capture_output=True).returncode == 0


def blob_id(raw: bytes) -> str:
    from ..repo import blob_id as _blob_id

    return _blob_id(raw)


_IDENTITY = {"GIT_AUTHOR_NAME": "dangan", "GIT_AUTHOR_EMAIL": "dangan@localhost", "GIT_COMMITTER_NAME": "dangan",
             "GIT_COMMITTER_EMAIL": "dangan@localhost", "GIT_AUTHOR_DATE": "@0 +0800", "GIT_COMMITTER_DATE": "@0 +0800"}


def synthetic(root: Path, tree: str, parents: list[str], message: str = "（未提交的改动）") -> str:
    """A commit object (never on a branch) holding ``tree`` on top of ``parents``: lets a staged change, a range
    or the working tree be read exactly as a commit is. Git collects it as garbage later."""
    import os

    args = ["commit-tree", tree, *(x for p in parents for x in ("-p", p)), "-m", message]
    try:
        p = subprocess.run(["git", *args], cwd=root, capture_output=True, env={**os.environ, **_IDENTITY})
    except OSError as exc:
        raise RepoError(f"无法运行 git：{exc.strerror or exc}") from None
    if p.returncode:
        raise GitError(p.stderr.decode("utf-8", "replace").strip() or "git commit-tree 失败")
    return p.stdout.decode().strip()


def reachable(root: Path) -> set[str]:
    """Every commit reachable from a branch, a tag, another ref or HEAD."""
    return set(git(root, ["rev-list", "--all", "HEAD", "--"] if head(root) else ["rev-list", "--all", "--"]).decode().split())


def is_dossier(path: str | None) -> bool:
    """A dossier's place: dossiers/<编号>.yaml (or .yml), directly in dossiers/. Anywhere else it is not one."""
    return path is not None and path.startswith(DOSSIER_PREFIX) and path.count("/") == 1 \
        and path.endswith((".yaml", ".yml"))


def _relevant(path: str) -> bool:
    return is_dossier(path) or path == LEDGER


ZERO = "0" * 40


def parse_log(out: bytes, keep=_relevant) -> list[Commit]:
    """Commits from ``git log -z --raw`` with ``_FORMAT``; only the file changes whose paths ``keep`` accepts."""
    commits = []
    for record in out.split(b"\x1e")[1:]:
        fields = record.split(b"\x1f", 7)
        cid, parents, author, email, time, sig, message, tail = fields
        name, mail = author.decode("utf-8", "replace"), email.decode("utf-8", "replace")
        status, signer = sig[:1].decode() or "N", sig[1:].decode("utf-8", "replace").strip()
        if status == "G" and signer and signer.lower() != mail.lower():
            name, mail = SIGNER, signer  # one identity: a signed commit is its signer's, whatever --author said
        c = Commit(cid.decode(), tuple(parents.decode().split()), name, mail, int(time), status,
                   message.decode("utf-8", "replace"))
        tokens = tail.lstrip(b"\0\n").split(b"\0")
        i = 0
        while i < len(tokens):
            meta = tokens[i]
            if meta.startswith(b"::"):  # a merge's combined entry (-c --combined-all-paths)
                fc, i = _combined(meta, tokens, i)
                if any(keep(p) for p in (fc.path, *(p for _s, p, _b in fc.parents or ())) if p):
                    c.files.append(fc)
                continue
            if not meta.startswith(b":"):
                i += 1
                continue
            _om, _nm, old, new, status = meta[1:].decode().split(" ")
            kind = status[0]
            if kind in "RC":
                old_path: str | None = _path(tokens[i + 1])
                path = _path(tokens[i + 2])
                i += 3
            else:
                path = old_path = _path(tokens[i + 1])
                i += 2
            if kind == "C":
                kind, old_path, old = "A", None, ZERO
            kind = "M" if kind == "T" else kind
            if not (keep(path) or (old_path and keep(old_path))):
                continue
            c.files.append(FileChange(kind, path, old_path if kind != "A" else None,
                                      None if old == ZERO else old, None if new == ZERO else new))
        commits.append(c)
    return commits


def _path(token: bytes) -> str:
    return token.decode("utf-8", "surrogateescape")


def raw_entries(tail: bytes) -> list[tuple[str, str, str, str]]:
    """(status letter, old blob, new blob, path) of each entry of ``--raw -z --no-renames`` output; a merge's
    combined entry (``-c``, one path) gives its first parent's blob as the old one."""
    tokens = tail.lstrip(b"\0\n").split(b"\0")
    out = []
    i = 0
    while i < len(tokens):
        meta = tokens[i]
        if not meta.startswith(b":") or i + 1 >= len(tokens):
            i += 1
            continue
        body = meta.lstrip(b":")
        parents = len(meta) - len(body)
        parts = body.decode().split(" ")
        blobs = parts[parents + 1:-1]
        out.append((parts[-1][-1:] or "M", blobs[0], blobs[-1], _path(tokens[i + 1])))
        i += 2
    return out


def _combined(meta: bytes, tokens: list[bytes], i: int) -> tuple[FileChange, int]:
    """``::m1 m2 mM b1 b2 bM XY`` then one path per parent and the merge's own path."""
    n = len(meta) - len(meta.lstrip(b":"))  # one colon per parent
    parts = meta[n:].decode().split(" ")
    blobs, statuses = parts[n + 1:2 * n + 2], parts[2 * n + 2]
    paths = [_path(t) for t in tokens[i + 1:i + 2 + n]]
    new = blobs[n]
    per_parent = tuple(("M" if st == "T" else st, paths[k], None if blobs[k] == ZERO else blobs[k])
                       for k, st in enumerate(statuses[:n]))
    path = paths[n]
    first = per_parent[0]
    if new == ZERO:
        kind, path = "D", first[1]
    elif first[0] == "A" or first[2] is None:
        kind = "A"
    else:
        kind = "R" if first[1] != path else "M"
    fc = FileChange(kind, path, None if kind == "A" else first[1], None if kind == "A" else first[2],
                    None if new == ZERO else new, per_parent)
    return fc, i + 2 + n


def log(root: Path, ids: list[str]) -> list[Commit]:
    """The given commits with their raw diffs against their first parent, in the order given."""
    if not ids:
        return []
    # -c: a merge lists each path that differs from every parent, with each parent's blob (what the merge brought)
    args = [*signers_config(root), "-c", "log.showSignature=false", "log", "--no-walk=unsorted", "--stdin", "-z",
            "--raw", "--no-abbrev", "-M", "-c", "--combined-all-paths", "--root", "--no-color", f"--format={_FORMAT}"]
    return parse_log(git(root, args, input="\n".join(ids).encode() + b"\n"))


def follow(root: Path, path: str) -> tuple[list[Commit], set[str]]:
    """The commits that touched one dossier, newest first, across renames and moves; and the paths it had.

    ``git log --follow`` cannot use the commit-graph's changed-path filters and reads every tree
    (seconds on a large history); a path-limited log can, so renames are followed by hand: each commit
    that adds the file is diffed in full to see whether it was a rename — from another name, or back
    from outside ``dossiers/`` — and the old path is followed from there (a path-limited log already
    holds the file's earlier life at the same path, before it left).
    """
    args = [*signers_config(root), "-c", "log.showSignature=false", "log", "-z", "--raw", "--no-abbrev", "-M", "-c",
            "--combined-all-paths", "--root", "--no-color", f"--format={_FORMAT}"]
    out: dict[str, Commit] = {}
    paths: set[str] = set()
    todo: list[tuple[str, str]] = [(path, "HEAD")]
    seen: set[tuple[str, str]] = set()
    while todo:
        path, rev = todo.pop()
        if (path, rev) in seen or len(seen) > 50:
            continue
        seen.add((path, rev))
        paths.add(path)
        for c in parse_log(git(root, [*args, rev, "--", path]), keep=lambda p: True):
            known = out.setdefault(c.id, c)
            if known is not c:
                known.files += [f for f in c.files if f not in known.files]
            added = next((f for f in c.files if f.path == path and f.status == "A" and f.parents is None), None)
            if added is None or not c.parents:
                continue
            [whole] = parse_log(git(root, [*signers_config(root), "-c", "log.showSignature=false", "log", "--no-walk",
                                           "-z", "--raw",
                                           "--no-abbrev", "-M", "--root", "--no-color", f"--format={_FORMAT}", c.id,
                                           "--"]), keep=lambda p: True)
            renamed = next((f for f in whole.files if f.path == path and f.status == "R"), None)
            if renamed is not None and renamed.old_path is not None:
                known.files = [f for f in known.files if f.path != path] + [renamed]
                todo.append((renamed.old_path, c.parents[0]))
    return sorted(out.values(), key=lambda c: -c.time), paths  # newest first


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
        assert read is not None  # stdout=PIPE
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


def remote_tips(root: Path) -> set[str]:
    """The commits the remote-tracking refs (refs/remotes/…) point at now."""
    try:
        out = git(root, ["for-each-ref", "--format=%(objectname)", "refs/remotes"]).decode().split()
    except GitError:
        return set()
    return set(out)


def central(root: Path) -> bool:
    """A central repository: bare (every commit in it came by a push), or one keeping dangan's push log."""
    try:
        bare = git(root, ["rev-parse", "--is-bare-repository"]).decode().strip() == "true"
        common = Path(git(root, ["rev-parse", "--path-format=absolute", "--git-common-dir"]).decode().strip())
    except GitError:
        return False
    return bare or (common / "dangan" / "push-log").is_file()


def _remote_reflog_tips(root: Path) -> set[str]:
    """Every value a remote-tracking ref held, as its reflog remembers (logs/refs/remotes/…)."""
    try:
        common = Path(git(root, ["rev-parse", "--path-format=absolute", "--git-common-dir"]).decode().strip())
    except GitError:
        return set()
    tips = set()
    for log in (common / "logs" / "refs" / "remotes").rglob("*"):
        try:
            lines = log.read_bytes().splitlines() if log.is_file() else []
        except OSError:
            continue
        for line in lines:
            for cid in line.split(b" ", 2)[:2]:
                text = cid.decode("ascii", "replace")
                if len(text) == 40 and text != ZERO:
                    tips.add(text)
    return tips


def pushed(root: Path, commits: list[str], seen_tips) -> set[str]:
    """Which of ``commits`` (no longer on any ref) had been pushed or fetched, so rewriting them rewrote shared history.

    In a central repository all of them. Elsewhere those that a remote-tracking ref held — now, in its reflog, or
    at a tip an earlier run saw (``seen_tips``: the reflog may have expired). Never pushed: a draft amended, reset
    or rebased before it left this clone. When git cannot answer, all of them (a rewrite is never excused blind).
    """
    if not commits:
        return set()
    if central(root):
        return set(commits)
    tips = set(seen_tips) | _remote_reflog_tips(root) | remote_tips(root)
    if not tips:
        return set()
    try:
        ever = set(git(root, ["rev-list", "--ignore-missing", "--stdin"],
                       input="".join(f"{t}\n" for t in sorted(tips)).encode()).decode().split())
    except GitError:
        return set(commits)
    return {c for c in commits if c in ever}
