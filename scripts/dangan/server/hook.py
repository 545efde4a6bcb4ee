"""The central repository: a bare Git repository whose hooks refuse what the trail cannot vouch for.

``git commit --no-verify`` skips only the clerk's own hooks; the push still meets pre-receive. It
verifies SSH signatures and judges roles against the ``allowed_signers`` and ``schema/roles.yaml`` of the
branch *before* the push (a push cannot vouch for itself), checks the new tip (``dangan check``) and
audits the pushed commits (``dangan audit``). post-receive writes the push log, after the refs moved.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..roles import ROLES, SIGNERS, Roles, RolesError, parse_bytes
from . import identity, pushlog
from .pushlog import PUSH_LOG, ZERO

CONFIG_REQUIRE = "dangan.requireSignatures"
# what the central repository keeps in the trees it materialises for checking
_TREE_PARTS = ("dossiers", "schema", "ledgers", SIGNERS)
_SIG_REFUSED = {"N": "没有签名", "B": "签名无效（内容被改动或签名损坏）", "E": "签名无法核验",
                "U": "签名密钥不在 allowed_signers 中", "X": "签名已过期", "Y": "签名密钥已过期", "R": "签名密钥已吊销"}
_RULE_SIGN = "规则：本库要求每个提交都由 allowed_signers 中的密钥签名，签名人就是提交人和作者"


class ServerError(UsageError):
    """The central repository cannot be set up or read: exit 2."""


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


HOOKS = {
    "pre-receive": """#!/bin/sh
# 由 dangan server init 生成：每次推送先经签名核验、角色核对、档案检查和留痕核对，任何一项不通过即拒绝。
# 不要删除或改动本文件；dangan 换了位置时重新运行 dangan server init（不影响已有的提交和推送记录）。
exec {dangan} server pre-receive
""",
    "post-receive": """#!/bin/sh
# 由 dangan server init 生成：引用更新之后把这次推送记入哈希链推送记录（被拒绝的更新不记）。
exec {dangan} server post-receive
""",
}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def init(path: Path, require_signatures: bool = False, branch: str = "main", host: str = "ssh",
         authorized_keys: tuple[Path, ...] = ()) -> list[str]:
    """Create (or re-arm) the central bare repository; returns what was done, for the administrator."""
    path = Path(path).resolve()
    done = []
    if host not in identity.HOSTS:
        raise ServerError(f"--host 只能是 {'、'.join(identity.HOSTS)}")
    if not (path / "HEAD").is_file():
        path.mkdir(parents=True, exist_ok=True)
        _git(["init", "-q", "--bare", f"--initial-branch={branch}", str(path)])
        done.append(f"新建裸仓库 {path}")
    settings = {
        "receive.denyNonFastForwards": "true",  # no force push: history already accepted stays
        "receive.denyDeletes": "true",  # no branch or tag deletion
        "receive.fsckObjects": "true",  # no malformed objects (paths with .., .git, bad trees)
        "transfer.fsckObjects": "true",
        "core.logAllRefUpdates": "always",  # reflogs for every ref, kept forever: what the push log is checked against
        "gc.reflogExpire": "never",
        "gc.reflogExpireUnreachable": "never",
        "receive.advertisePushOptions": "false",
        CONFIG_REQUIRE: "true" if require_signatures else "false",
        identity.CONFIG_HOST: host,
    }
    config = str(path / "config")
    for key, value in settings.items():
        _git(["config", "--file", config, key, value])
    _git(["config", "--file", config, "--unset-all", identity.CONFIG_KEYS], check=False)
    for keys in authorized_keys:
        _git(["config", "--file", config, "--add", identity.CONFIG_KEYS, str(Path(keys).resolve())])
    done.append("设置 " + "，".join(f"{k}={v}" for k, v in settings.items()))
    if authorized_keys:
        done.append("推送人按登录密钥在这些 authorized_keys 文件中查找：" + "、".join(map(str, authorized_keys)))
    dangan = _quote(dangan_executable())
    for name, text in HOOKS.items():
        hook = path / "hooks" / name
        hook.parent.mkdir(exist_ok=True)
        hook.write_text(text.format(dangan=dangan), encoding="utf-8")
        hook.chmod(0o755)
        done.append(f"安装 {name} 钩子 {hook}")
    log = path / PUSH_LOG
    log.parent.mkdir(exist_ok=True)
    log.touch(exist_ok=True)
    done.append(f"推送记录 {log}（哈希链，dangan audit --pushes {path} 核验）")
    tip = _git(["rev-parse", "-q", "--verify", f"refs/heads/{branch}"], cwd=path, check=False).decode().strip()
    if not tip or _blob(tip, ROLES, path) is None:
        done.append(f"注意：默认分支上还没有 {ROLES}，中心库暂不按角色核对（任何推送人都能改动任何档案和规则）；"
                    "请管理员在第一次推送中带上角色文件（见使用手册“中心库”）")
    return done


# ---------------------------------------------------------------- the push log

def log_path(target: Path | None) -> Path:
    """A push log file, a central repository, or (nothing given) the repository we are in."""
    if target is None:
        git_dir = _git(["rev-parse", "--absolute-git-dir"]).decode().strip()
        target = Path(git_dir)
    target = Path(target)
    return target / PUSH_LOG if target.is_dir() else target


def repository_of(log: Path) -> Path | None:
    """The bare repository a push log belongs to (``<repo>/dangan/push-log``), if that is where it lies."""
    repo = log.resolve().parent.parent
    return repo if (repo / "HEAD").is_file() and (repo / "objects").is_dir() else None


def _default_tip(git_dir: Path | None = None) -> str | None:
    cwd = git_dir
    head = _git(["symbolic-ref", "-q", "HEAD"], cwd=cwd, check=False).decode().strip()
    tip = _git(["rev-parse", "-q", "--verify", f"{head or 'HEAD'}^{{commit}}"], cwd=cwd, check=False).decode().strip()
    return tip or None


def trusted_roles(rev: str | None, cwd: Path | None = None) -> Roles | None:
    """The roles at ``rev``; None when there is no roles file (roles not in force)."""
    raw = _blob(rev, ROLES, cwd) if rev else None
    if raw is None:
        return None
    try:
        return parse_bytes(raw)
    except RolesError:
        # accepted once, so it parsed then; if it no longer does, nobody is an administrator — say so
        return Roles(frozenset(), {})


def audit_pushes(target: Path | None, anchor: str | None = None) -> pushlog.Verdict:
    log = log_path(target)
    repo = repository_of(log) if log.is_file() else None
    signers = roles = None
    if repo is not None:
        tip = _default_tip(repo)
        signers = _blob(tip, SIGNERS, repo) if tip else None
        roles = trusted_roles(tip, repo)
    return pushlog.verify(log, repo, anchor, signers, roles)


def repair_log(target: Path, key: Path) -> str:
    """``dangan server repair-log``: an administrator's signed entry that restores the chain."""
    git_dir = Path(target).resolve()
    if not (git_dir / "HEAD").is_file():
        raise ServerError(f"{target} 不是中心库（裸仓库）目录")
    key = Path(key).expanduser()
    if not key.is_file():
        raise ServerError(f"找不到签名密钥 {key}")
    tip = _default_tip(git_dir)
    signers = _blob(tip, SIGNERS, git_dir) if tip else None
    if not signers:
        raise ServerError("中心库的默认分支上没有 allowed_signers：无法确认修复人是管理员")
    public = pushlog.public_key(key).split()
    if len(public) < 2:
        raise ServerError(f"{key} 不是 SSH 密钥")
    principal = identity.principal_of_key(public[0], public[1], signers)
    if principal is None:
        raise ServerError(f"密钥 {key} 不在中心库的 allowed_signers 中：只有登记了密钥的管理员可以修复推送记录")
    roles = trusted_roles(tip, git_dir)
    if roles is not None and not roles.is_admin(principal):
        raise ServerError(f"{principal} 不是 schema/roles.yaml 中的管理员：只有管理员可以修复推送记录")
    try:
        _entry, account = pushlog.repair(git_dir / PUSH_LOG, git_dir, key, principal)
    except pushlog.LogError as exc:
        raise ServerError(str(exc)) from None
    return account


# ---------------------------------------------------------------- the pre-receive hook

@dataclass
class Verdict:
    reasons: list[str] = field(default_factory=list)

    def refuse(self, ref: str, text: str) -> None:
        self.reasons.append(f"{ref}：{text}")


def _materialise(rev: str, into: Path) -> dict[str, str]:
    """The parts of ``rev``'s tree the checks read, written under ``into`` (no checkout, no archive filters) —
    all but the dossiers, which are returned (path → blob id) and read as blobs when they need checking."""
    from ..repo import DOSSIER_DIR, SUFFIXES

    listing = _git(["ls-tree", "-r", "-z", "--full-tree", rev, "--", *_TREE_PARTS])
    entries = []
    dossiers = {}
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, name = record.split(b"\t", 1)
        mode, kind, oid = meta.decode().split()
        path = name.decode("utf-8", "surrogateescape")
        parts = path.split("/")  # not PurePosixPath: 50,000 of them cost a tenth of a second
        if kind != "blob" or any(p in ("..", ".", "") for p in parts) or path.startswith("/"):
            raise ServerError(f"{path}：不允许的树项（{kind}）")
        if mode == "120000":
            raise ServerError(f"{path}：档案仓库中不允许符号链接")
        if parts[0] == DOSSIER_DIR:
            if len(parts) == 2 and path.endswith(SUFFIXES):  # what Repo.dossiers() checks: dossiers/*.yaml
                dossiers[path] = oid
            continue
        entries.append((path, oid))
    if not entries:
        return dossiers
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
    return dossiers


def _blob(rev: str, path: str, cwd: Path | None = None) -> bytes | None:
    p = subprocess.run(["git", "cat-file", "blob", f"{rev}:{path}"], capture_output=True, cwd=cwd)
    return p.stdout if p.returncode == 0 else None


def _require_signatures(trusted: str | None) -> bool:
    if _git(["config", "--bool", CONFIG_REQUIRE], check=False).decode().strip() == "true":
        return True
    if trusted is None:
        return False
    raw = _blob(trusted, "schema/policy.yaml")
    if not raw:
        return False
    from ..load import LoadError, load_bytes

    try:
        data = load_bytes(raw, "schema/policy.yaml").data
    except LoadError:
        return False
    node = data.get("签名") if isinstance(data, dict) else None
    return isinstance(node, dict) and node.get("要求") is True


@dataclass
class Signed:
    status: str
    principal: str  # the allowed_signers principal (good signatures only)
    author: str
    committer: str
    fingerprint: str


def signatures(ids: list[str], signers: bytes | None, work: Path) -> dict[str, Signed]:
    """Each commit's signature as judged against the trusted allowed_signers."""
    if not ids:
        return {}
    allowed = work / "allowed_signers.trusted"
    allowed.write_bytes(signers or b"")
    out = _git(["-c", f"gpg.ssh.allowedSignersFile={allowed}", "-c", "log.showSignature=false", "log",
                "--no-walk=unsorted", "--stdin", "--format=%H%x00%G?%x00%GS%x00%ae%x00%ce%x00%GF%x1e"],
               input="".join(f"{i}\n" for i in ids).encode())
    result = {}
    for record in out.split(b"\x1e"):
        record = record.strip(b"\n")
        if not record:
            continue
        cid, status, principal, author, committer, fp = record.decode("utf-8", "replace").split("\0")
        result[cid] = Signed(status or "N", principal if status == "G" else "", author, committer, fp)
    return result


def _judge_signatures(verdict: Verdict, ref: str, sigs: dict[str, Signed], required: bool, notes: list[str]) -> None:
    """Required: every commit signed by a trusted key whose principal is its committer and its author.

    Not required: a signed commit whose author is not its signer is still shown as the signer's; flagged.
    """
    for cid, s in sigs.items():
        short = cid[:10]
        if required and s.status in _SIG_REFUSED:
            extra = f"（密钥 {s.fingerprint}）" if s.fingerprint else ""
            verdict.refuse(ref, f"提交 {short} {_SIG_REFUSED[s.status]}{extra}；{_RULE_SIGN}")
            continue
        if s.status != "G":
            continue
        signer = s.principal.lower()
        if required and signer != s.committer.lower():
            verdict.refuse(ref, f"提交 {short} 的签名人 {s.principal} 与提交人 {s.committer} 不符：不能用别人的密钥签名；{_RULE_SIGN}")
        elif signer != s.author.lower() or signer != s.committer.lower():
            other = s.author if signer != s.author.lower() else s.committer
            text = (f"P007 提交 {short} 由 {s.principal} 签名，却写着作者或提交人 {other}：一个提交只代表签名人；"
                    f"{_RULE_SIGN}")
            if required:
                verdict.refuse(ref, text)
            else:
                notes.append(f"{ref}：{text}（本库不要求签名：只提示，记在签名人 {s.principal} 名下）")


def _pushed(old: str, new: str) -> list[str]:
    spec = [new, "--not", "--all"] if old == ZERO else [f"{old}..{new}"]
    return _git(["rev-list", *spec, "--"]).decode().split()


def _audit(verdict: Verdict, ref: str, tree: Path, old: str, new: str, trusted: str | None) -> None:
    """dangan audit of the pushed commits, after the trail baseline as it stood before the push (a push that
    moves the baseline cannot vouch for the commits it moves it past)."""
    from ..history import audit as trail_audit
    from ..repo import Repo

    spec = [new, "--not", "--all"] if old == ZERO else [f"{old}..{new}"]
    report = trail_audit.audit(Repo(tree), spec, baseline_at=trusted)
    for item in report.items:
        if item["严重"]:
            where = f"（提交 {item['提交'][:10]}）" if "提交" in item else ""
            verdict.refuse(ref, f"dangan audit：{item['代码']} {item['编号']} {item['说明']}{where}")


def _roles(verdict: Verdict, ref: str, ids: list[str], roles: Roles, sigs: dict[str, Signed], who) -> None:
    from .roles_check import Judge, commit_changes

    judge = Judge(roles)
    for c in commit_changes(ids):
        s = sigs.get(c.id)
        if s is not None and s.status == "G":
            actor, label = s.principal, f"签名人 {s.principal}"
        else:
            actor, label = who.principal, f"推送人 {who.name}"
        for reason in judge.judge(c, actor, label):
            verdict.refuse(ref, reason)


def _baseline_moves(verdict: Verdict, ref: str, ids: list[str], roles: Roles | None, sigs: dict[str, Signed]) -> None:
    """P010: only an administrator's signed commit may change the trail baseline (roles.BASELINE)."""
    from ..roles import BASELINE
    from .roles_check import commit_changes

    for c in commit_changes(ids):
        if not any(ch.path == BASELINE for ch in c.changes):
            continue
        s = sigs.get(c.id)
        if s is None or s.status != "G":
            why = "没有 allowed_signers 中的有效签名"
        elif roles is None:
            why = f"中心库还没有 {ROLES}，无法确认签名人 {s.principal} 是管理员"
        elif not roles.is_admin(s.principal):
            why = f"签名人 {s.principal} 不是管理员"
        else:
            continue
        verdict.refuse(ref, f"P010 提交 {c.id[:10]} 改动了留痕基线（{BASELINE}）：{why}；"
                            "规则：移动留痕基线必须是管理员签名的提交")


def _enter_repository() -> Path:
    # git runs the hook in the bare repository with GIT_DIR=.; the checks run elsewhere, so make it absolute.
    git_dir = Path(os.environ.get("GIT_DIR", ".")).resolve()
    os.environ["GIT_DIR"] = str(git_dir)
    os.environ.pop("DANGAN_ROOT", None)
    return git_dir


def pre_receive(lines: list[str]) -> tuple[bool, list[str]]:
    """The hook's work for the ``old new ref`` lines on stdin: (accepted, reasons — or notes when accepted)."""
    from ..privacy import scrub
    from .pushcheck import check_push

    git_dir = _enter_repository()
    verdict = Verdict()
    notes: list[str] = []
    damaged = pushlog.tail_problem(git_dir / PUSH_LOG)
    if damaged:
        return False, [scrub(f"P009 推送记录末尾已损坏（{damaged}）：新的推送无法接续哈希链，中心库暂停接收推送；"
                             f"请管理员运行 dangan server repair-log {git_dir} --key 管理员的签名密钥")]
    default = _git(["symbolic-ref", "-q", "HEAD"], check=False).decode().strip()
    default_tip = _git(["rev-parse", "-q", "--verify", default], check=False).decode().strip() or None
    who = None
    for line in lines:
        if not line.strip():
            continue
        old, new, ref = line.split(maxsplit=2)
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
        # a tag is checked like a branch: commits reachable only from a tag must not escape the audit.
        # Signatures and roles are trusted from before the push: this branch's old tip, else the default
        # branch, else (the very first push into an empty repository) the pushed tip itself.
        trusted = old if old != ZERO else default_tip
        judged_by = trusted or new
        signers = _blob(judged_by, SIGNERS)
        if who is None:
            who = identity.current(git_dir, signers)
        with tempfile.TemporaryDirectory(prefix="dangan-receive-") as tmp:
            work = Path(tmp)
            tree = work / "tree"
            tree.mkdir()
            try:
                dossiers = _materialise(new, tree)
            except ServerError as exc:
                verdict.refuse(ref, str(exc))
                continue
            ids = _pushed(old, new)
            sigs = signatures(ids, signers, work)
            _judge_signatures(verdict, ref, sigs, _require_signatures(judged_by), notes)
            roles = trusted_roles(judged_by)
            if roles is not None:
                _roles(verdict, ref, ids, roles, sigs, who)
            elif ids:
                notes.append(f"{ref}：中心库还没有 {ROLES}，未按角色核对（任何推送人都能改动任何档案和规则）")
            notes += check_push(verdict.refuse, ref, tree, dossiers, trusted, git_dir, new)
            if ids:
                if trusted is not None:
                    _baseline_moves(verdict, ref, ids, roles, sigs)
                _audit(verdict, ref, tree, old, new, trusted)
    if verdict.reasons:
        return False, [scrub(r) for r in verdict.reasons]
    return True, [scrub(n) for n in dict.fromkeys(notes)]


def post_receive(lines: list[str]) -> list[str]:
    """After the refs moved: one log line per update git actually made (post-receive gets only those)."""
    git_dir = _enter_repository()
    updates = [line.split(maxsplit=2) for line in lines if line.strip()]
    if not updates:
        return []
    tip = _default_tip()
    who = identity.current(git_dir, _blob(tip, SIGNERS) if tip else None)
    try:
        pushlog.append(git_dir / PUSH_LOG, [pushlog.push_entry(who, ref, old, new) for old, new, ref in updates])
    except (pushlog.LogError, OSError) as exc:
        text = exc.args[0] if isinstance(exc, pushlog.LogError) else exc.strerror
        return [f"推送已被接收，但推送记录没有写入（{text}）：请通知管理员运行 dangan server repair-log"]
    return []
