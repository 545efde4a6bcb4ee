"""The central repository: a bare Git repository whose pre-receive hook refuses what the trail cannot vouch for.

``git commit --no-verify`` skips only the clerk's own hooks; the push still meets this one. The hook checks
the new tip (``dangan check``), audits the pushed commits (``dangan audit``), verifies SSH signatures against
the ``allowed_signers`` of the branch *before* the push (a push cannot vouch for itself), and appends each
accepted push to a hash-chained log outside any working tree (committer dates are the committer's word;
the push log's times are the server's).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

ZERO = "0" * 40
PUSH_LOG = "dangan/push-log"
SIGNERS = "allowed_signers"
CONFIG_REQUIRE = "dangan.requireSignatures"
GENESIS = "0" * 64
# what the central repository keeps in the trees it materialises for checking
_TREE_PARTS = ("dossiers", "schema", "ledgers", SIGNERS)
_SIG_REFUSED = {"N": "没有签名", "B": "签名无效（内容被改动或签名损坏）", "E": "签名无法核验",
                "U": "签名密钥不在 allowed_signers 中", "X": "签名已过期", "Y": "签名密钥已过期", "R": "签名密钥已吊销"}


class ServerError(Exception):
    pass


def _git(args: list[str], cwd: Path | None = None, input: bytes | None = None, check: bool = True) -> bytes:
    p = subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True)
    if check and p.returncode:
        raise ServerError(p.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} 失败")
    return p.stdout


# ---------------------------------------------------------------- dangan server init

def dangan_executable() -> str:
    """The dangan that runs this code (a hook must not find another one on the server's PATH)."""
    env = os.environ.get("DANGAN")
    if env:
        return env
    beside = Path(sys.executable).parent / "dangan"
    if beside.is_file():
        return str(beside)
    found = shutil.which("dangan")
    if not found:
        raise ServerError("找不到 dangan 可执行文件；请设置环境变量 DANGAN 为其绝对路径")
    return str(Path(found).resolve())


HOOK = """#!/bin/sh
# 由 dangan server init 生成：每次推送先经档案检查、留痕核对和签名核验，任何一项不通过即拒绝。
# 不要删除或改动本文件；dangan 换了位置时重新运行 dangan server init（不影响已有的提交和推送记录）。
exec {dangan} server pre-receive
"""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def init(path: Path, require_signatures: bool = False, branch: str = "main") -> list[str]:
    """Create (or re-arm) the central bare repository; returns what was done, for the administrator."""
    path = Path(path).resolve()
    done = []
    if not (path / "HEAD").is_file():
        path.mkdir(parents=True, exist_ok=True)
        _git(["init", "-q", "--bare", f"--initial-branch={branch}", str(path)])
        done.append(f"新建裸仓库 {path}")
    settings = {
        "receive.denyNonFastForwards": "true",  # no force push: history already accepted stays
        "receive.denyDeletes": "true",  # no branch or tag deletion
        "receive.fsckObjects": "true",  # no malformed objects (paths with .., .git, bad trees)
        "transfer.fsckObjects": "true",
        "core.logAllRefUpdates": "always",  # reflogs for every ref, kept forever
        "gc.reflogExpire": "never",
        "gc.reflogExpireUnreachable": "never",
        "receive.advertisePushOptions": "false",
        CONFIG_REQUIRE: "true" if require_signatures else "false",
    }
    for key, value in settings.items():
        _git(["config", "--file", str(path / "config"), key, value])
    done.append("设置 " + "，".join(f"{k}={v}" for k, v in settings.items()))
    hook = path / "hooks" / "pre-receive"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(HOOK.format(dangan=_quote(dangan_executable())), encoding="utf-8")
    hook.chmod(0o755)
    done.append(f"安装推送检查钩子 {hook}")
    log = path / PUSH_LOG
    log.parent.mkdir(exist_ok=True)
    log.touch(exist_ok=True)
    done.append(f"推送记录 {log}（哈希链，dangan audit --pushes {path} 核验）")
    return done


# ---------------------------------------------------------------- the push log

def _digest(prev: str, entry: dict) -> str:
    canonical = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev + canonical).encode("utf-8")).hexdigest()


def _last_hash(log: Path) -> str:
    try:
        lines = [x for x in log.read_text("utf-8").splitlines() if x.strip()]
    except FileNotFoundError:
        return GENESIS
    return json.loads(lines[-1])["hash"] if lines else GENESIS


def append_push(log: Path, pusher: str, ref: str, old: str, new: str) -> dict:
    import fcntl

    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a+", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # two pushes at once must not both chain onto the same line
        prev = _last_hash(log)
        entry = {"time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "pusher": pusher,
                 "ref": ref, "old": old, "new": new, "prev_hash": prev}
        entry["hash"] = _digest(prev, entry)
        fh.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return entry


def verify_log(log: Path) -> tuple[int, list[str]]:
    """(entries, problems): each problem names the line where the chain breaks."""
    problems = []
    prev = GENESIS
    n = 0
    try:
        text = log.read_text("utf-8")
    except FileNotFoundError:
        return 0, [f"找不到推送记录 {log}"]
    except UnicodeDecodeError:
        return 0, [f"{log} 不是 UTF-8 文本：推送记录被改动过"]
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        n += 1
        try:
            entry = json.loads(line)
            stored = entry.pop("hash")
            ok_prev = entry.get("prev_hash") == prev
        except (ValueError, KeyError, AttributeError):
            problems.append(f"{log}:{lineno}: 这一行不是完整的推送记录：记录被改动或截断")
            return n, problems
        if not ok_prev:
            problems.append(f"{log}:{lineno}: 与上一条记录的哈希不相接：其前有记录被删除、插入或改动")
        if _digest(entry.get("prev_hash", ""), entry) != stored:
            problems.append(f"{log}:{lineno}: 哈希与内容不符：这一条记录被改动过")
        prev = stored
    return n, problems


def log_path(target: Path | None) -> Path:
    """A push log file, a central repository, or (nothing given) the repository we are in."""
    if target is None:
        git_dir = _git(["rev-parse", "--absolute-git-dir"]).decode().strip()
        target = Path(git_dir)
    target = Path(target)
    return target / PUSH_LOG if target.is_dir() else target


def pusher() -> str:
    for var in ("GL_USERNAME", "GL_USER", "GITEA_PUSHER_NAME", "REMOTE_USER", "DANGAN_PUSHER"):
        if os.environ.get(var):
            return os.environ[var]
    key = _ssh_key_comment()
    if key:
        return key
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def _ssh_key_comment() -> str | None:
    """The comment of the authorized_keys line the pusher logged in with (sshd ``ExposeAuthInfo yes``)."""
    info = os.environ.get("SSH_USER_AUTH")
    if not info:
        return None
    try:
        used = [line.split()[2] for line in Path(info).read_text("utf-8").splitlines()
                if line.startswith("publickey ") and len(line.split()) >= 3]
        keys = (Path.home() / ".ssh" / "authorized_keys").read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in keys:
        parts = line.split()
        for i, part in enumerate(parts):
            if part in used:
                return " ".join(parts[i + 1:]) or None
    return None


# ---------------------------------------------------------------- the pre-receive hook

@dataclass
class Verdict:
    reasons: list[str] = field(default_factory=list)

    def refuse(self, ref: str, text: str) -> None:
        self.reasons.append(f"{ref}：{text}")


def _materialise(rev: str, into: Path) -> None:
    """The parts of ``rev``'s tree the checks read, written under ``into`` (no checkout, no archive filters)."""
    listing = _git(["ls-tree", "-r", "-z", "--full-tree", rev, "--", *_TREE_PARTS])
    entries = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, name = record.split(b"\t", 1)
        mode, kind, oid = meta.decode().split()
        path = name.decode("utf-8", "surrogateescape")
        parts = PurePosixPath(path).parts
        if kind != "blob" or any(p in ("..", ".", "") for p in parts) or path.startswith("/"):
            raise ServerError(f"{path}：不允许的树项（{kind}）")
        if mode == "120000":
            raise ServerError(f"{path}：档案仓库中不允许符号链接")
        entries.append((path, oid))
    if not entries:
        return
    out = _git(["cat-file", "--batch"], input="".join(f"{oid}\n" for _, oid in entries).encode())
    pos = 0
    for path, _oid in entries:
        nl = out.index(b"\n", pos)
        size = int(out[pos:nl].split()[2])
        data = out[nl + 1:nl + 1 + size]
        pos = nl + 2 + size
        target = into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _blob(rev: str, path: str) -> bytes | None:
    p = subprocess.run(["git", "cat-file", "blob", f"{rev}:{path}"], capture_output=True)
    return p.stdout if p.returncode == 0 else None


def _require_signatures(trusted: str | None) -> bool:
    if _git(["config", "--bool", CONFIG_REQUIRE], check=False).decode().strip() == "true":
        return True
    if trusted is None:
        return False
    raw = _blob(trusted, "schema/policy.yaml")
    if not raw:
        return False
    from .load import LoadError, load_bytes

    try:
        data = load_bytes(raw, "schema/policy.yaml").data
    except LoadError:
        return False
    node = data.get("签名") if isinstance(data, dict) else None
    return isinstance(node, dict) and node.get("要求") is True


def _signatures(verdict: Verdict, ref: str, ids: list[str], trusted: str | None, work: Path) -> None:
    """Every pushed commit signed by a key in the trusted allowed_signers, by the committer's own key."""
    signers = _blob(trusted, SIGNERS) if trusted else None
    allowed = work / "allowed_signers.trusted"
    allowed.write_bytes(signers or b"")
    out = _git(["-c", f"gpg.ssh.allowedSignersFile={allowed}", "-c", "log.showSignature=false", "log",
                "--no-walk=unsorted", "--stdin", "--format=%H%x00%G?%x00%GS%x00%ce%x00%GF%x1e"],
               input="".join(f"{i}\n" for i in ids).encode())
    for record in out.split(b"\x1e"):
        record = record.strip(b"\n")
        if not record:
            continue
        cid, status, principal, committer, fingerprint = record.decode("utf-8", "replace").split("\0")
        if status in _SIG_REFUSED:
            extra = f"（密钥 {fingerprint}）" if fingerprint else ""
            verdict.refuse(ref, f"提交 {cid[:10]} {_SIG_REFUSED[status]}{extra}；本库要求每个提交都用 allowed_signers 中的密钥签名")
        elif status == "G" and principal.lower() != committer.lower():
            verdict.refuse(ref, f"提交 {cid[:10]} 的签名人 {principal} 与提交人 {committer} 不符：不能用别人的密钥签名")


def _pushed(old: str, new: str) -> list[str]:
    spec = [new, "--not", "--all"] if old == ZERO else [f"{old}..{new}"]
    return _git(["rev-list", *spec, "--"]).decode().split()


def _check_tree(verdict: Verdict, ref: str, tree: Path, base: str | None, new: str) -> list[str]:
    """Refuse errors in the dossiers this push changes (and cross-file errors); returns notes on the rest.

    Errors already in untouched dossiers (a date rule that moved with the calendar, say) must not block every
    unit's pushes: they are shown, and the push goes through.
    """
    from .check import check_files, cross_file, findings_of, make_context
    from .findings import sort_key
    from .repo import Repo

    repo = Repo(tree)
    if not repo.schema_dir.joinpath("dossier.schema.json").is_file():
        verdict.refuse(ref, "推送的版本中没有 schema/dossier.schema.json：不是档案仓库")
        return []
    if base is None:
        touched = None  # the first push: everything is new
    else:
        out = _git(["diff", "--name-only", "-z", "--no-renames", base, new, "--", "dossiers/", "schema/"])
        names = [n for n in out.decode("utf-8", "surrogateescape").split("\0") if n]
        touched = None if any(n.startswith("schema/") for n in names) else set(names)  # new rules: check all
    ctx = make_context(repo)
    results = check_files(repo, repo.dossiers(), ctx, use_cache=False, jobs=None, complete=True)
    findings = sorted((f for f in findings_of(results) + cross_file(results, repo.root) if f.is_error), key=sort_key)
    blocking = [f for f in findings if touched is None or f.path in touched or not f.path.startswith("dossiers/")
                or f.code.startswith("X")]
    for f in blocking[:20]:
        verdict.refuse(ref, f"dangan check：{f.text()}")
    if len(blocking) > 20:
        verdict.refuse(ref, f"dangan check：另有 {len(blocking) - 20} 个错误")
    rest = len(findings) - len(blocking)
    return [f"{ref}：未改动的档案中另有 {rest} 个既有错误（不阻止推送），请运行 dangan check 处理"] if rest else []


def _audit(verdict: Verdict, ref: str, tree: Path, old: str, new: str) -> None:
    from .history import audit as trail_audit
    from .repo import Repo

    spec = [new, "--not", "--all"] if old == ZERO else [f"{old}..{new}"]
    report = trail_audit.audit(Repo(tree), spec)
    for item in report.items:
        if item["严重"]:
            where = f"（提交 {item['提交'][:10]}）" if "提交" in item else ""
            verdict.refuse(ref, f"dangan audit：{item['代码']} {item['编号']} {item['说明']}{where}")


def pre_receive(lines: list[str]) -> tuple[bool, list[str]]:
    """The hook's work for the ``old new ref`` lines on stdin: (accepted, reasons — or notes when accepted)."""
    from .privacy import scrub

    # git runs the hook in the bare repository with GIT_DIR=.; the checks run elsewhere, so make it absolute.
    git_dir = Path(os.environ.get("GIT_DIR", ".")).resolve()
    os.environ["GIT_DIR"] = str(git_dir)
    os.environ.pop("DANGAN_ROOT", None)
    verdict = Verdict()
    updates = []
    notes: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        old, new, ref = line.split(maxsplit=2)
        updates.append((old, new, ref))
        if new == ZERO:
            verdict.refuse(ref, "不允许删除分支或标签：档案的历史必须完整保留")
            continue
        if old != ZERO and subprocess.run(["git", "merge-base", "--is-ancestor", old, new],
                                          capture_output=True).returncode:
            verdict.refuse(ref, "不允许强制推送（非快进）：已接收的历史不能改写；请先 git pull 合并后再推送")
            continue
        if not ref.startswith(("refs/heads/", "refs/tags/")):
            verdict.refuse(ref, "只接收分支（refs/heads/）和标签（refs/tags/）")
            continue
        if subprocess.run(["git", "rev-parse", "-q", "--verify", f"{new}^{{commit}}"], capture_output=True).returncode:
            verdict.refuse(ref, "只接收指向提交的分支和标签")
            continue
        # a tag is checked like a branch: commits reachable only from a tag must not escape the audit
        default = _git(["symbolic-ref", "-q", "HEAD"], check=False).decode().strip()
        # signatures are trusted from before the push: this branch's old tip, else the default branch, else
        # (the very first push into an empty repository) the pushed tip itself
        trusted = old if old != ZERO else (_git(["rev-parse", "-q", "--verify", default], check=False).decode().strip()
                                           or None)
        with tempfile.TemporaryDirectory(prefix="dangan-receive-") as tmp:
            work = Path(tmp)
            tree = work / "tree"
            tree.mkdir()
            try:
                _materialise(new, tree)
            except ServerError as exc:
                verdict.refuse(ref, str(exc))
                continue
            ids = _pushed(old, new)
            if _require_signatures(trusted or new) and ids:
                _signatures(verdict, ref, ids, trusted or new, work)
            notes += _check_tree(verdict, ref, tree, trusted, new)
            if ids:
                _audit(verdict, ref, tree, old, new)
    if verdict.reasons:
        return False, [scrub(r) for r in verdict.reasons]
    log = git_dir / PUSH_LOG
    who = pusher()
    for old, new, ref in updates:
        append_push(log, who, ref, old, new)
    return True, [scrub(n) for n in notes]
