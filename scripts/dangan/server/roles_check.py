"""Who may change what, judged per pushed commit against the roles as they stood before the push.

A commit acts for its signer when it carries a good signature by a key in the trusted ``allowed_signers``,
else for the pusher. An administrator may change anything. A unit's clerk may change the dossiers whose
管档单位 (before and after the change) is one of theirs, and the ledger entries of those dossiers; moving a
dossier to another unit of the same repository is the sending clerk's act, accepted when the same commit
records the 转出 (转往 that unit) in ledgers/转递.yaml. Everything outside dossiers/ and ledgers/ is a rule or
the code that applies the rules: administrators only (``roles.RULE_PARTS`` names the parts).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..history.gitlog import raw_entries
from ..roles import LEDGER_TRANSFER, Roles, describe, is_clerk_area

ZERO = "0" * 40
_RULE_UNIT = "规则：经办人只能改动管档单位是本单位的档案及其登记（schema/roles.yaml 的“单位:”）"
_RULE_ADMIN = "规则：仓库的规则和程序只由管理员改动（schema/roles.yaml 的“管理员:”）"


@dataclass
class Change:
    path: str
    old: list[str | None]  # the blob in each parent (None: absent there)
    new: str | None


@dataclass
class CommitChanges:
    id: str
    parents: list[str]
    changes: list[Change] = field(default_factory=list)


def _git(args: list[str], input: bytes | None = None) -> bytes:
    p = subprocess.run(["git", *args], input=input, capture_output=True)
    if p.returncode:
        raise RuntimeError(p.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} 失败")
    return p.stdout


def _raw(out: bytes) -> list[tuple[str, str, str]]:
    """``--raw -z --no-renames`` records → (path, old blob, new blob)."""
    return [(path, old, new) for _status, old, new, path in raw_entries(out)]


def commit_changes(ids: list[str]) -> list[CommitChanges]:
    """What each commit changed against each parent; for a merge, only paths that differ from every parent."""
    if not ids:
        return []
    out = _git(["-c", "log.showSignature=false", "log", "--no-walk=unsorted", "--stdin", "-z", "--raw",
                "--no-abbrev", "--no-renames", "--root", "--no-color", "--format=%x1e%H%x1f%P%x1f"],
               input="".join(f"{i}\n" for i in ids).encode())
    result = []
    for record in out.split(b"\x1e")[1:]:
        cid, parents, tail = record.split(b"\x1f", 2)
        c = CommitChanges(cid.decode(), parents.decode().split())
        zero = lambda b: None if b == ZERO else b  # noqa: E731
        if len(c.parents) <= 1:
            c.changes = [Change(p, [zero(o)], zero(n)) for p, o, n in _raw(tail)]
        else:
            per_parent = []
            for parent in c.parents:
                diff = _raw(_git(["diff-tree", "-r", "-z", "--raw", "--no-abbrev", "--no-renames", parent, c.id]))
                per_parent.append({p: (zero(o), zero(n)) for p, o, n in diff})
            common = set(per_parent[0]).intersection(*per_parent[1:])
            c.changes = [Change(p, [d[p][0] for d in per_parent], per_parent[0][p][1]) for p in sorted(common)]
        result.append(c)
    return result


class Reader:
    """Blobs by id or ``rev:path`` through one ``git cat-file --batch`` per call; parsed YAML cached by id."""

    def __init__(self):
        self.raw: dict[str, bytes | None] = {}
        self.parsed: dict[str, object] = {}

    def read(self, names: list[str]) -> None:
        from ..history.gitlog import BlobReader

        todo = [n for n in dict.fromkeys(names) if n and n not in self.raw]
        if todo:
            self.raw.update(BlobReader(Path(".")).read(todo))  # GIT_DIR names the repository

    def data(self, name: str | None, root_list: bool = False):
        """Parsed YAML of a blob; ``_BAD`` when unreadable, None when absent."""
        if name is None:
            return None
        if name not in self.parsed:
            self.read([name])
            raw = self.raw.get(name)
            if raw is None:
                self.parsed[name] = None
            else:
                from ..load import LoadError, load_bytes

                try:
                    self.parsed[name] = load_bytes(raw, name, root_list=root_list).data
                except LoadError:
                    self.parsed[name] = _BAD
        return self.parsed[name]


_BAD = object()


def _unit_of(data) -> str | None:
    if data is None:
        return None
    if data is _BAD or not isinstance(data, dict) or not isinstance(data.get("管档单位"), str):
        return _UNKNOWN
    return data["管档单位"]


_UNKNOWN = "（无法读出）"


def _entry_key(entry) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True)


def _entries_changed(old_lists: list, new_list) -> list[dict]:
    """Entries added or removed (a changed entry is both) relative to every parent version."""
    from collections import Counter

    new_items = new_list if isinstance(new_list, list) else []
    changed: dict[str, dict] = {}
    for old in old_lists:
        old_items = old if isinstance(old, list) else []
        have, want = Counter(map(_entry_key, old_items)), Counter(map(_entry_key, new_items))
        for item in [*old_items, *new_items]:
            k = _entry_key(item)
            if have[k] != want[k]:
                changed[k] = item
    if len(old_lists) > 1:  # a merge: only what differs from every parent
        keep = {}
        for k, item in changed.items():
            if all(Counter(map(_entry_key, o if isinstance(o, list) else []))[k] != Counter(map(_entry_key, new_items))[k]
                   for o in old_lists):
                keep[k] = item
        changed = keep
    return list(changed.values())


def _added(old_lists: list, new_list) -> list:
    """Entries of ``new_list`` that every parent version has fewer of."""
    from collections import Counter

    news = new_list if isinstance(new_list, list) else []
    want = Counter(map(_entry_key, news))
    olds = [Counter(map(_entry_key, o if isinstance(o, list) else [])) for o in old_lists] or [Counter()]
    return [e for e in news if all(o[_entry_key(e)] < want[_entry_key(e)] for o in olds)]


class Judge:
    def __init__(self, roles: Roles, reader: Reader | None = None):
        self.roles = roles
        self.reader = reader or Reader()
        self._history: dict[tuple[str, str], str | None] = {}

    def _dossier_unit(self, rev: str, number: str) -> str | None:
        return _unit_of(self.reader.data(f"{rev}:dossiers/{number}.yaml"))

    def _former_unit(self, rev: str, number: str) -> str | None:
        """The unit of a dossier no longer in ``rev``: as it was just before it was removed."""
        key = (rev, number)
        if key not in self._history:
            path = f"dossiers/{number}.yaml"
            last = subprocess.run(["git", "rev-list", "-1", rev, "--", path], capture_output=True, text=True).stdout.strip()
            self._history[key] = None
            if last:
                parents = subprocess.run(["git", "rev-parse", f"{last}^@"], capture_output=True, text=True).stdout.split()
                for p in parents:
                    unit = self._dossier_unit(p, number)
                    if unit is not None:
                        self._history[key] = unit
                        break
        return self._history[key]

    def entry_unit(self, c: CommitChanges, entry) -> str | None:
        """Which unit a ledger entry belongs to: the unit holding its dossier (the sender's for a 转出)."""
        if not isinstance(entry, dict) or not isinstance(entry.get("编号"), str) or "/" in entry["编号"]:
            return _UNKNOWN
        number = entry["编号"]
        order = [*c.parents, c.id] if entry.get("方向") == "转出" else [c.id, *c.parents]
        for rev in order:
            unit = self._dossier_unit(rev, number)
            if unit is not None:
                return unit
        for rev in order:
            unit = self._former_unit(rev, number)
            if unit is not None:
                return unit
        return _UNKNOWN

    def judge(self, c: CommitChanges, actor: str | None, actor_label: str) -> list[str]:
        """Chinese refusals (with codes) for what ``actor`` may not change in commit ``c``."""
        roles = self.roles
        if roles.is_admin(actor):
            return []
        short = c.id[:10]
        if not c.changes:
            return []
        if actor is None:
            return [f"P004 提交 {short}：无法确定这个提交代表谁（没有 allowed_signers 中的有效签名，推送人也未知）；"
                    "规则：中心库按 schema/roles.yaml 核对每个提交的签名人或推送人"]
        mine = roles.units_of(actor)
        if not roles.known(actor):
            return [f"P005 提交 {short}：{actor_label} 不在 schema/roles.yaml 中（既不是管理员，也不为任何单位经办），"
                    "不能推送任何改动；请管理员登记角色"]
        self.reader.read([n for ch in c.changes for n in (*ch.old, ch.new) if n])
        transfers = self._transfers_out(c)
        out = []
        for ch in c.changes:
            if not is_clerk_area(ch.path):
                out.append(f"P001 提交 {short} 改动了 {ch.path}（{describe(ch.path)}）：{actor_label} 不是管理员；{_RULE_ADMIN}")
                continue
            if ch.path.startswith("dossiers/"):
                out += self._dossier(c, ch, actor_label, mine, transfers)
            else:
                out += self._ledger(c, ch, actor_label, mine)
        return out

    def _transfers_out(self, c: CommitChanges) -> set[tuple[str, str]]:
        """(编号, 转往) of the 转出 entries this commit adds to the transfer ledger."""
        for ch in c.changes:
            if ch.path == LEDGER_TRANSFER:
                old = [self.reader.data(b, root_list=True) for b in ch.old]
                new = self.reader.data(ch.new, root_list=True)
                added = _added(old, new)
                return {(str(e.get("编号")), str(e.get("转往"))) for e in added
                        if isinstance(e, dict) and e.get("方向") == "转出"}
        return set()

    def _dossier(self, c, ch: Change, actor_label: str, mine: set[str], transfers) -> list[str]:
        short = c.id[:10]
        before = {u for u in (_unit_of(self.reader.data(b)) for b in ch.old) if u is not None}
        after = _unit_of(self.reader.data(ch.new))
        if _UNKNOWN in before or after == _UNKNOWN:
            return [f"P006 提交 {short} 改动的 {ch.path} 读不出管档单位（文件无法解析或没有“管档单位”）："
                    f"这样的改动只能由管理员推送；{_RULE_UNIT}"]
        number = PurePosixPath(ch.path).stem
        units = before | ({after} if after else set())
        if after and before and after not in before and before <= mine and (number, after) in transfers:
            return []  # sent to another unit of this repository, as the 转出 entry of the same commit says
        foreign = sorted(units - mine)
        if not foreign:
            return []
        hint = ""
        if after and before and after not in before and before <= mine:
            hint = f"；转往其他单位须在同一提交中登记转出（{LEDGER_TRANSFER}，编号 {number}，转往 {after}）"
        return [f"P002 提交 {short} 改动了 {ch.path}，其管档单位是{'、'.join(foreign)}：{actor_label}"
                f"{_for_whom(mine)}，不为该单位经办{hint}；{_RULE_UNIT}"]

    def _ledger(self, c, ch: Change, actor_label: str, mine: set[str]) -> list[str]:
        short = c.id[:10]
        if not ch.path.endswith((".yaml", ".yml")) or ch.path.count("/") != 1:
            return [f"P001 提交 {short} 改动了 {ch.path}：ledgers/ 下只有登记簿（*.yaml）由经办人改动；{_RULE_ADMIN}"]
        old = [self.reader.data(b, root_list=True) for b in ch.old]
        new = self.reader.data(ch.new, root_list=True)
        if any(x is _BAD for x in (*old, new)):
            return [f"P006 提交 {short} 改动的登记簿 {ch.path} 无法解析：只有管理员可以推送这样的改动；{_RULE_UNIT}"]
        out = []
        for entry in _entries_changed(old, new):
            unit = self.entry_unit(c, entry)
            if unit in mine:
                continue
            label = entry.get("编号", "？") if isinstance(entry, dict) else "？"
            whose = "读不出属于哪个单位（档案不在本库中）" if unit == _UNKNOWN else f"属于{unit}"
            out.append(f"P003 提交 {short} 改动了 {ch.path} 中档案 {label} 的登记，该档案{whose}：{actor_label}"
                       f"{_for_whom(mine)}；{_RULE_UNIT}")
        return out


def _for_whom(mine: set[str]) -> str:
    return f"（为{'、'.join(sorted(mine))}经办）" if mine else "（不为任何单位经办）"
