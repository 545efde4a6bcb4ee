"""The push log: one hash-chained JSON line per ref update the central repository made, written after it.

Committer dates are the committer's word; the log's times are the server's. Each line is
``{"time", "pusher", "via", "key"?, "ref", "old", "new", "prev_hash", "hash"}`` with
``hash = sha256(prev_hash + canonical JSON of the rest)``. The post-receive hook writes it, so a
rejected update (a failed ref lock, a hook refusal) never gets a line. ``verify`` reads every line
without trusting any of it and compares the log with the refs and reflogs of the repository; a repair
(``dangan server repair-log``) is itself a line, signed by an administrator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError

PUSH_LOG = "dangan/push-log"
GENESIS = "0" * 64
ZERO = "0" * 40
SIGN_NAMESPACE = "git"  # allowed_signers lines are commonly restricted to namespaces="git"
_HASH = re.compile(r"[0-9a-f]{64}")
_OID = re.compile(r"[0-9a-f]{40}")
REPAIR = "repair"


class LogError(UsageError):
    """The push log cannot be continued or signed (exit 2)."""


def digest(prev: str, entry: dict) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev + canonical).encode("utf-8")).hexdigest()


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------- reading, never trusting

def _reject_constant(name):
    raise ValueError(f"不允许的数值 {name}")


def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"键“{key}”出现两次")
        seen[key] = value
    return seen


def _problem_of(entry) -> str | None:
    """Why a parsed line is not a complete entry (None when it is)."""
    if not isinstance(entry, dict):
        return "不是一条记录（应为 JSON 对象）"
    for key in ("hash", "prev_hash"):
        if not isinstance(entry.get(key), str) or not _HASH.fullmatch(entry[key]):
            return f"“{key}”缺失或不是 64 位十六进制哈希"
    if not isinstance(entry.get("time"), str) or not isinstance(entry.get("pusher"), str):
        return "“time”或“pusher”缺失或不是文字"
    if entry.get("kind") == REPAIR:
        if not isinstance(entry.get("covers"), list) or not isinstance(entry.get("signature"), str):
            return "修复记录缺少“covers”或“signature”"
        for item in entry["covers"]:
            if not (isinstance(item, list) and len(item) == 3 and all(isinstance(x, str) for x in item)):
                return "修复记录的“covers”应为 [分支, 旧版本, 新版本] 的列表"
        return None
    if "kind" in entry:
        return f"未知的记录类型“{entry['kind']}”"
    if not isinstance(entry.get("ref"), str) or not entry["ref"].startswith("refs/"):
        return "“ref”缺失或不是引用名"
    for key in ("old", "new"):
        if not isinstance(entry.get(key), str) or not _OID.fullmatch(entry[key]):
            return f"“{key}”缺失或不是 40 位提交号"
    return None


@dataclass
class Line:
    number: int
    entry: dict | None  # None: unreadable
    problem: str | None = None


def read_lines(data: bytes) -> list[Line]:
    out = []
    for number, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            out.append(Line(number, None, "不是 UTF-8 文本"))
            continue
        try:
            entry = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as exc:
            reason = str(exc) if isinstance(exc, ValueError) and not isinstance(exc, json.JSONDecodeError) else ""
            out.append(Line(number, None, f"不是完整的 JSON（{reason or '被截断或改动'}）"))
            continue
        problem = _problem_of(entry)
        out.append(Line(number, entry if problem is None else None, problem))
    return out


def tail_problem(log: Path) -> str | None:
    """Why a new line cannot be chained onto this log (None: it can). A missing log is an empty one."""
    try:
        data = log.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"无法读取推送记录（{exc.strerror}）"
    lines = read_lines(data)
    if not lines:
        return None
    last = lines[-1]
    return None if last.entry is not None else f"{log} 第 {last.number} 行：{last.problem}"


def _last_hash(data: bytes) -> str:
    lines = read_lines(data)
    if not lines:
        return GENESIS
    if lines[-1].entry is None:
        raise LogError(f"推送记录第 {lines[-1].number} 行已损坏（{lines[-1].problem}），新记录无法接续："
                       "请管理员运行 dangan server repair-log")
    return lines[-1].entry["hash"]


# ---------------------------------------------------------------- writing

def _locked(log: Path):
    import fcntl

    log.parent.mkdir(parents=True, exist_ok=True)
    fh = log.open("a+b")
    fcntl.flock(fh, fcntl.LOCK_EX)  # two pushes at once must not both chain onto the same line
    return fh


def append(log: Path, entries: list[dict]) -> list[dict]:
    """Chain and append entries (each without prev_hash/hash); returns them completed."""
    with _locked(log) as fh:
        fh.seek(0)
        prev = _last_hash(fh.read())
        out = []
        for e in entries:
            entry = {**e, "prev_hash": prev}
            entry["hash"] = prev = digest(prev, entry)
            out.append(entry)
        fh.seek(0, os.SEEK_END)
        fh.write(b"".join(json.dumps(x, ensure_ascii=False, sort_keys=True).encode() + b"\n" for x in out))
        fh.flush()
        os.fsync(fh.fileno())
    return out


def push_entry(who, ref: str, old: str, new: str) -> dict:
    entry = {"time": now(), "pusher": who.name, "via": who.via, "ref": ref, "old": old, "new": new}
    if who.key:
        entry["key"] = who.key
    return entry


# ---------------------------------------------------------------- the repository side

def ref_tips(git_dir: Path) -> dict[str, str]:
    out = subprocess.run(["git", "--git-dir", str(git_dir), "for-each-ref", "--format=%(refname) %(objectname)",
                          "refs/heads", "refs/tags"], capture_output=True, text=True).stdout
    return dict(line.split(" ", 1) for line in out.splitlines() if " " in line)


def reflog(git_dir: Path, ref: str) -> list[tuple[str, str, str]] | None:
    """(old, new, time) of each update of ``ref``, oldest first; None when the ref has no reflog."""
    path = git_dir / "logs" / ref
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    out = []
    for raw in data.splitlines():
        head = raw.split(b"\t", 1)[0].decode("utf-8", "replace").split()
        if len(head) >= 4 and _OID.fullmatch(head[0]) and _OID.fullmatch(head[1]):
            try:
                when = dt.datetime.fromtimestamp(int(head[-2]), dt.UTC).isoformat(timespec="seconds")
            except (ValueError, OverflowError):
                when = "?"
            out.append((head[0], head[1], when))
    return out


def _reflog_refs(git_dir: Path) -> list[str]:
    base = git_dir / "logs"
    refs = []
    for top in ("refs/heads", "refs/tags"):
        root = base / top
        if root.is_dir():
            refs += [p.relative_to(base).as_posix() for p in root.rglob("*") if p.is_file()]
    return refs


# ---------------------------------------------------------------- verification

@dataclass
class Verdict:
    log: Path
    entries: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def at(self, number: int, text: str) -> None:
        self.problems.append(f"{self.log}:{number}: {text}")


def _short(oid: str) -> str:
    return oid[:10]


def verify(log: Path, git_dir: Path | None = None, anchor: str | None = None, signers: bytes | None = None,
           admins=None) -> Verdict:
    """Check the chain line by line; with ``git_dir``, the log against the refs and their reflogs.

    ``signers`` (allowed_signers bytes) and ``admins`` (a Roles or None) judge repair entries.
    """
    v = Verdict(log)
    try:
        data = log.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        v.problems.append(f"找不到推送记录 {log}")
        return v
    except OSError as exc:
        v.problems.append(f"无法读取推送记录 {log}（{exc.strerror}）")
        return v
    lines = read_lines(data)
    prev: str | None = GENESIS
    updates: list[tuple[int, str, str, str]] = []  # (line, ref, old, new)
    hashes: dict[str, int] = {}
    for line in lines:
        v.entries += 1
        entry = line.entry
        if entry is None:
            v.at(line.number, f"这一行不是完整的推送记录（{line.problem}）：记录被改动或截断")
            prev = None  # the next line's link cannot be judged against an unreadable one
            continue
        if prev is not None and entry["prev_hash"] != prev:
            v.at(line.number, "与上一条记录的哈希不相接：其前有记录被删除、插入或改动")
        if digest(entry["prev_hash"], entry) != entry["hash"]:
            v.at(line.number, "哈希与内容不符：这一条记录被改动过")
        prev = entry["hash"]
        hashes.setdefault(entry["hash"], line.number)
        if entry.get("kind") == REPAIR:
            _judge_repair(v, line.number, entry, signers, admins)
            updates += [(line.number, ref, old, new) for ref, old, new in entry["covers"]]
        else:
            updates.append((line.number, entry["ref"], entry["old"], entry["new"]))
    if anchor is not None:
        a = anchor.strip().lower()
        if not _HASH.fullmatch(a):
            v.problems.append(f"--anchor {anchor}：应为推送记录中某一行的 hash（64 位十六进制）")
        elif a not in hashes:
            v.problems.append(f"在别处保存的哈希 {a[:16]}… 不在推送记录中：推送记录被截断或整体重写过")
        else:
            after = sum(1 for line in lines if line.number > hashes[a])
            v.notes.append(f"在别处保存的哈希在第 {hashes[a]} 行，其后又有 {after} 行")
    if git_dir is not None:
        _against_repository(v, git_dir, updates)
    return v


def _judge_repair(v: Verdict, number: int, entry: dict, signers: bytes | None, admins) -> None:
    who = entry["pusher"]
    body = json.dumps({k: x for k, x in entry.items() if k not in ("hash", "signature", "prev_hash")},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    if signers is None:
        v.at(number, f"修复记录（{who}）的签名无法核验：中心库的默认分支上没有 allowed_signers")
        return
    if not verify_signature(body, entry["signature"], who, signers):
        v.at(number, f"修复记录的签名不是 {who} 在 allowed_signers 中的密钥所签：这一条不能作数")
        return
    if admins is not None and not admins.is_admin(who):
        v.at(number, f"修复记录由 {who} 签名，但 {who} 不是 schema/roles.yaml 中的管理员")
        return
    dropped = entry.get("dropped", 0)
    v.notes.append(f"{v.log}:{number}: 管理员 {who} 于 {entry['time']} 修复了推送记录：移去损坏的 {dropped} 行"
                   f"（另存为 {entry.get('saved_as') or '—'}），补记 {len(entry['covers'])} 次引用更新")


def _against_repository(v: Verdict, git_dir: Path, updates: list[tuple[int, str, str, str]]) -> None:
    tips = ref_tips(git_dir)
    if tips and not updates:
        v.problems.append(f"推送记录为空，而中心库中有 {len(tips)} 个分支或标签：推送记录被清空或替换过")
    logged: dict[str, list[tuple[int, str, str]]] = {}
    for number, ref, old, new in updates:
        logged.setdefault(ref, []).append((number, old, new))
    for ref in sorted(set(tips) | set(logged) | set(_reflog_refs(git_dir))):
        history = reflog(git_dir, ref)
        mine = logged.get(ref, [])
        if history is None:
            if ref in tips:
                v.problems.append(f"{ref} 没有 reflog：无法与推送记录对照（reflog 被删除，或 core.logAllRefUpdates 未开）")
            history = []
        wanted = Counter((old, new) for _n, old, new in mine)
        for old, new, when in history:
            if wanted[(old, new)]:
                wanted[(old, new)] -= 1
            else:
                v.problems.append(f"{ref} 在 {when}（服务器时间）由 {_short(old)} 更新为 {_short(new)}，推送记录中没有这一行："
                                  "记录末尾被截去、有行被删除，或有人绕过推送直接改动了引用")
        seen = Counter((old, new) for old, new, _w in history)
        for number, old, new in mine:
            if seen[(old, new)]:
                seen[(old, new)] -= 1
            elif history or ref not in tips:
                v.at(number, f"记录了 {ref} {_short(old)} → {_short(new)}，但中心库的 reflog 中没有这次更新："
                             "这次推送没有生效，或这一行是后来添加的")
        last = mine[-1][2] if mine else None
        if ref in tips and last is not None and last != tips[ref]:
            v.problems.append(f"{ref} 现在指向 {_short(tips[ref])}，推送记录中它的最后一次更新是 → {_short(last)}："
                              "记录末尾被截去，或有人直接改动了引用")
        elif ref in tips and last is None and history == []:
            v.problems.append(f"{ref}（指向 {_short(tips[ref])}）没有任何推送记录")


# ---------------------------------------------------------------- signatures of repair entries

def public_key(key: Path) -> str:
    pub = key.with_name(key.name + ".pub")
    if pub.is_file():
        return pub.read_text("utf-8").strip()
    p = subprocess.run(["ssh-keygen", "-y", "-f", str(key)], capture_output=True, text=True)
    if p.returncode:
        raise LogError(f"无法读取密钥 {key}：{p.stderr.strip()}")
    return p.stdout.strip()


def sign(body: bytes, key: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="dangan-sign-") as tmp:
        data = Path(tmp) / "entry"
        data.write_bytes(body)
        p = subprocess.run(["ssh-keygen", "-q", "-Y", "sign", "-n", SIGN_NAMESPACE, "-f", str(key), str(data)],
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if p.returncode:
            raise LogError(f"用密钥 {key} 签名失败：{p.stderr.strip() or '（无说明）'}")
        return (Path(tmp) / "entry.sig").read_text("ascii")


def verify_signature(body: bytes, signature: str, principal: str, signers: bytes) -> bool:
    with tempfile.TemporaryDirectory(prefix="dangan-verify-") as tmp:
        allowed = Path(tmp) / "allowed_signers"
        allowed.write_bytes(signers)
        sig = Path(tmp) / "entry.sig"
        sig.write_text(signature, "ascii", errors="replace")
        p = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(allowed), "-I", principal, "-n", SIGN_NAMESPACE,
                            "-s", str(sig)], input=body, capture_output=True)
        return p.returncode == 0


# ---------------------------------------------------------------- repair

def repair(log: Path, git_dir: Path, key: Path, principal: str) -> tuple[dict | None, str]:
    """Move a damaged tail aside and append a signed entry covering every unlogged ref update.

    Returns (the repair entry or None when nothing needed repair, a Chinese account of what was done).
    """
    with _locked(log) as fh:
        fh.seek(0)
        data = fh.read()
        lines = read_lines(data)
        # keep every raw line up to the last complete entry; what follows it is the damaged tail
        last_good = max((line.number for line in lines if line.entry is not None), default=0)
        bad_after = [line for line in lines if line.number > last_good]
        kept = b"".join(x + b"\n" for x in data.split(b"\n")[:last_good])
        dropped = data[len(kept):] if bad_after else b""
        kept_lines = read_lines(kept)
        updates = []
        for line in kept_lines:
            if line.entry is None:
                continue
            if line.entry.get("kind") == REPAIR:
                updates += [(line.number, *c) for c in line.entry["covers"]]
            else:
                updates.append((line.number, line.entry["ref"], line.entry["old"], line.entry["new"]))
        missing = _unlogged(git_dir, updates)
        if not dropped and not missing:
            return None, "推送记录末尾完好，所有引用更新都有记录：无需修复"
        saved_as = None
        if dropped:
            saved = log.with_name(f"{log.name}.damaged-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}")
            saved.write_bytes(dropped)
            saved_as = saved.name
        prev = kept_lines[-1].entry["hash"] if kept_lines and kept_lines[-1].entry else GENESIS
        entry = {"kind": REPAIR, "time": now(), "pusher": principal, "via": "修复", "dropped": len(bad_after),
                 "dropped_sha256": hashlib.sha256(dropped).hexdigest() if dropped else None, "saved_as": saved_as,
                 "covers": [list(m) for m in missing]}
        body = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        entry["signature"] = sign(body, key)
        entry["prev_hash"] = prev
        entry["hash"] = digest(prev, entry)
        fh.seek(0)
        fh.truncate(len(kept))
        fh.seek(0, os.SEEK_END)
        fh.write(json.dumps(entry, ensure_ascii=False, sort_keys=True).encode() + b"\n")
        fh.flush()
        os.fsync(fh.fileno())
    parts = []
    if dropped:
        parts.append(f"移去末尾损坏的 {len(bad_after)} 行（另存为 {saved_as}）")
    if missing:
        parts.append(f"补记 {len(missing)} 次没有记录的引用更新")
    return entry, "，".join(parts) + f"；修复记录已由 {principal} 签名并接在第 {len(kept_lines)} 条之后"


def _unlogged(git_dir: Path, updates) -> list[tuple[str, str, str]]:
    """(ref, old, new) of the reflog updates the log does not hold, oldest first per ref."""
    logged = Counter((ref, old, new) for _n, ref, old, new in updates)
    out = []
    for ref in sorted(set(ref_tips(git_dir)) | set(_reflog_refs(git_dir))):
        for old, new, _when in reflog(git_dir, ref) or []:
            if logged[(ref, old, new)]:
                logged[(ref, old, new)] -= 1
            else:
                out.append((ref, old, new))
    return out
