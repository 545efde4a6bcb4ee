"""Commits → records of what changed in each dossier, field by field, judged by the guard.

One ``git log`` for the commits not yet in the index, blobs fetched per batch of commits, dossier
versions split into sections and parsed only where they differ (``sections``). The check of each
touched file (did this commit get past the pre-commit hook?) reuses the same parsed sections.

A dossier is its 编号, not its path. A dossier lives at ``dossiers/<编号>.yaml``; a change that takes the
file anywhere else (another folder, another suffix, away) is the dossier *leaving* (T002 without its 转出),
and a file that comes to a dossier's place is the dossier *entering*: when this repository ever held a
dossier with that 编号, that 身份证号 or the 原编号 its 转入 records, the arriving version is compared with
the last version held (``Held``), so whatever was done to it outside shows. A merge is judged on what it
brought itself: ``git log -c`` lists the paths that differ from every parent, and of their field changes
only those found against every parent count (the others came from a parent, judged in its own commit).
A version the loader refuses never hides a change: the next one is compared with the last readable one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from ..findings import ERROR
from ..load import Document, LoadError
from ..repo import Repo, content_hash
from . import gitlog, undo
from .fielddiff import REMOVED, Change, diff, fingerprint
from .guard import judge
from .index import Index
from .sections import Unparseable, Version, changed_sections

if TYPE_CHECKING:
    from ..rules import Context

BATCH = 400  # commits per blob batch: bounds memory, keeps cat-file streaming
_CHINA = dt.timezone(dt.timedelta(hours=8))
NEW, EDIT, LEAVE, RETURN, OUTSIDE = "new", "edit", "leave", "return", "outside"


@dataclass(slots=True)
class DossierRecord:
    number: str  # the 编号 (the stem of its path in dossiers/)
    path: str  # where it is after the commit (a deletion: where it was)
    old_path: str | None  # where it was before, when that differs (a rename, a move)
    status: str  # A M D R, as Git saw the file
    # new | edit | leave (out of dossiers/) | return (into dossiers/, this 编号 or person held before) |
    # outside (an edit while it was out of dossiers/: shown by trail, which follows it there)
    event: str = EDIT
    changes: list[Change] = field(default_factory=list)
    problem: str = ""  # a version the loader refuses (history is history: reported, not fatal)
    documented: bool | None = None  # leaving: is there a transfer-out record?
    failures: tuple = ()  # (code, message) errors of `dangan check` on this version: the hook was bypassed
    base: str = ""  # what the changes were compared with, when not the parent's version (a return, an unreadable parent)
    merge: bool = False  # a merge commit: only what the merge itself brought
    old_blob: str | None = None  # the versions compared (Git blob ids)
    new_blob: str | None = None
    received: str = ""  # entering: the 通知单号 of the 转入 this commit registers for it (a transfer in)
    intake: str = ""  # why what entered is not the file received, as the 转入 records it (T007)

    @property
    def unauthorised(self) -> list[Change]:
        return [c for c in self.changes if c.unauthorised]


@dataclass(slots=True)
class CommitRecord:
    id: str
    parents: tuple
    author: str
    email: str
    time: int
    sig: str
    subject: str
    trailers: dict
    dossiers: list[DossierRecord] = field(default_factory=list)

    @property
    def short(self) -> str:
        return self.id[:10]

    @property
    def date(self) -> str:
        return dt.datetime.fromtimestamp(self.time, _CHINA).strftime("%Y.%m.%d %H:%M")

    @property
    def day(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.time, _CHINA).date()


def number_of(path: str) -> str:
    return PurePosixPath(path).stem


def _id_hash(version: Version | None) -> str | None:
    if version is None:
        return None
    try:
        ident = version.section("身份证号")
    except Unparseable:
        return None
    return hashlib.sha1(ident.encode()).hexdigest() if isinstance(ident, str) and ident else None


@dataclass(slots=True)
class Leaver:
    commit: str  # the commit in which the dossier left dossiers/ (its version before that commit is `blob`)
    number: str
    path: str
    blob: str


class Held:
    """Every dossier that ever left ``dossiers/`` in the history of some commits: the last version held of it.

    One path-limited ``git log`` of deletions (a move out shows as a deletion there), newest first; asked only
    when a dossier enters, which is rare, and answered for the ancestry of the commit asking.
    """

    def __init__(self, root, tips: list[str], reader: gitlog.BlobReader, cache: dict):
        self.root, self.reader, self.cache = root, reader, cache
        self.leavers: list[Leaver] = []
        out = gitlog.git(root, ["-c", "log.showSignature=false", "log", "--topo-order", "-m", "--no-renames",
                                "--diff-filter=D", "-z", "--raw", "--no-abbrev", "--no-color",
                                f"--format={gitlog._FORMAT}", "--stdin", "--", gitlog.DOSSIER_PREFIX],
                         input="".join(f"{t}\n" for t in tips).encode()) if tips else b""
        seen = set()
        for c in gitlog.parse_log(out):
            for fc in c.files:
                if fc.status == "D" and gitlog.is_dossier(fc.path) and fc.old_blob and (c.id, fc.path) not in seen:
                    seen.add((c.id, fc.path))
                    self.leavers.append(Leaver(c.id, number_of(fc.path), fc.path, fc.old_blob))
        self._ids: dict[str, str | None] | None = None
        self._ancestry: dict[tuple, bool] = {}

    def ids(self) -> dict[str, str | None]:
        """Leaver blob → hash of its 身份证号 (read once, when a person is first looked up by it)."""
        if self._ids is None:
            raws = self.reader.read([lv.blob for lv in self.leavers])
            self._ids = {}
            for blob, raw in raws.items():
                self._ids[blob] = _id_hash(Version(raw, self.cache)) if raw is not None else None
        return self._ids

    def _before(self, commit: str, parents: tuple) -> bool:
        for p in parents:
            key = (commit, p)
            if key not in self._ancestry:
                self._ancestry[key] = commit == p or gitlog.is_ancestor(self.root, commit, p)
            if self._ancestry[key]:
                return True
        return False

    def find(self, parents: tuple, numbers: list[str], ident: str | None) -> Leaver | None:
        """The latest dossier held before (in the history of ``parents``) with one of these 编号 or this 身份证号."""
        if not parents or not self.leavers:
            return None
        ids = self.ids() if ident else {}
        for lv in self.leavers:  # newest first
            if (lv.number in numbers or (ident and ids.get(lv.blob) == ident)) and self._before(lv.commit, parents):
                return lv
        return None


def _merge_key(c: Change) -> tuple:
    """A change as the same change seen from another parent (removed entries are named by content there)."""
    if c.kind == REMOVED:
        return (c.path[:1], c.kind, fingerprint(c.old))
    return (c.path, c.kind, fingerprint(c.new))


class Scanner:
    """Holds the parsed versions between commits, so a file's old side is usually parsed already."""

    def __init__(self, repo: Repo, check: bool = True, deep: bool = False, tips: list[str] | None = None,
                 parked: set[str] | None = None, whole: bool = True):
        self.repo = repo
        self.whole = whole  # the commits list every file they change (not a path-limited log, as trail's is)
        self.parked = parked or set()  # paths outside dossiers/ that hold the dossier being followed (trail)
        self.reader = gitlog.BlobReader(repo.root)
        self.chunks: dict = {}  # chunk text → parsed value
        self.versions: dict[str, Version] = {}  # blob id → version (recent ones)
        self.check, self.deep = check, deep
        self.tips = tips  # the history the dossiers that left are looked up in (default: the commits scanned)
        self._held: Held | None = None
        self._ctx: Context | None = None
        self._contexts: dict = {}
        self._partial = None

    def version(self, blob: str | None, blobs: dict) -> Version | None:
        if blob is None:
            return None
        v = self.versions.get(blob)
        if v is None:
            raw = blobs.get(blob)
            if raw is None:
                raw = self.reader.read([blob]).get(blob)
                if raw is None:
                    return None
            v = Version(raw, self.chunks)
            self.versions[blob] = v
        return v

    def held(self, commits_seen: list[str]) -> Held:
        if self._held is None:
            self._held = Held(self.repo.root, self.tips or commits_seen, self.reader, self.chunks)
        return self._held

    # ---------------------------------------------------------------- comparing two versions
    @staticmethod
    def _readable(v: Version, base: Version | None = None) -> str:
        """"" when the version reads, else why not (for the record)."""
        try:
            v.prepare(base if base is not None and base.trusted else None)
            return ""
        except Unparseable as exc:
            return f"第 {exc.error.line} 行 {exc.error.code} {exc.error.message}"

    def _as_yaml_reads(self, v: Version) -> Version | None:
        """A version refused only for a lone CR, read the way YAML reads it (CR = line break): so the change it
        carries is still named, field by field, in the commit that made it (and refused all the same)."""
        try:
            v.prepare()
        except Unparseable as exc:
            if exc.error.code != "L008":
                return None
        else:
            return None
        alt = Version(re.sub(rb"\r\n?", b"\n", v.raw), self.chunks)
        return None if self._readable(alt) else alt

    def _last_readable(self, parent: str, path: str, bad_blob: str) -> tuple[Version, str] | None:
        """The newest version of ``path`` before ``parent`` (inclusive) that the loader reads, and its commit."""
        try:
            ids = gitlog.git(self.repo.root, ["rev-list", "--max-count=200", parent, "--", path]).decode().split()
        except gitlog.GitError:
            return None
        names = [f"{cid}:{path}" for cid in ids]
        raws = self.reader.read(names)
        for cid, name in zip(ids, names, strict=True):
            raw = raws.get(name)
            if raw is None or gitlog.blob_id(raw) == bad_blob:
                continue
            v = Version(raw, self.chunks)
            if not self._readable(v):
                return v, cid
        return None

    def _compare(self, rec: DossierRecord, old: Version | None, new: Version | None, trailers: dict, day,
                 parent: str | None = None, old_path: str | None = None, old_blob: str | None = None) -> None:
        """rec.changes, problem and failures for old → new (old None: a new dossier, only checked)."""
        fresh, checked_old, as_committed = None, None, new
        if old is not None and new is not None:
            bad = []
            why = self._readable(old)
            if why:
                found = self._last_readable(parent, old_path or rec.path, old_blob) if parent and old_blob else None
                if found is None:
                    bad.append(f"旧版本无法解析（{why}）")
                else:
                    old, since = found
                    bad.append(f"旧版本无法解析（{why}），已与此前能读取的版本（提交 {since[:10]}）逐字段比较")
                    rec.base = rec.base or f"提交 {since[:10]} 的版本"
                    why = ""
            why_new = self._readable(new, old if not why else None)
            if why_new:
                bad.append(f"新版本无法解析（{why_new}）")
                alt = self._as_yaml_reads(new)
                if alt is not None:
                    bad[-1] += "，已按 YAML 的读法（单独的回车符即换行）逐字段比较"
                    new, why_new = alt, ""
            rec.problem = "；".join(bad)
            if not why and not why_new:
                keys = new.changed_keys(old)
                before, after, fresh = changed_sections(old, new, keys)
                rec.changes = judge(diff(before, after, keys), before, after, trailers, new.section)
                checked_old = old
        if self.check and as_committed is not None:
            try:
                rec.failures = self.failures(rec.path, as_committed, checked_old, day, fresh if rec.changes else None)
            except Unparseable as exc:
                rec.failures = ((exc.error.code, exc.error.message),)

    def _merge(self, rec: DossierRecord, fc: gitlog.FileChange, blobs: dict, trailers: dict, day) -> None:
        """A merge's path that differs from every parent: the field changes found against every parent."""
        new = self.version(fc.new_blob, blobs)
        have = [(path, blob) for _st, path, blob in fc.parents or () if blob is not None]
        seen: list[set] | None = []
        first: DossierRecord | None = None
        for path, blob in have:
            old = self.version(blob, blobs)
            part = DossierRecord(rec.number, rec.path, path, rec.status)
            self._compare(part, old, new, trailers, day)
            if first is None:
                first = part
            elif part.problem:
                seen = None  # a parent that does not read cannot vouch for anything
            elif seen is not None:
                seen.append({_merge_key(c) for c in part.changes})
        if first is None:  # pragma: no cover - a merge entry lists at least one parent with the path
            return
        rec.problem, rec.failures = first.problem, first.failures
        rec.changes = [c for c in first.changes if seen is None or all(_merge_key(c) in s for s in seen)]
        if not rec.changes and not first.problem:
            rec.failures = ()  # nothing of its own: what it holds was checked in the parents' commits
        rec.merge = True

    # ---------------------------------------------------------------- one commit
    def record(self, c: gitlog.Commit, blobs: dict, seen: list[str]) -> CommitRecord:
        rec = CommitRecord(c.id, c.parents, c.author, c.email, c.time, c.sig, c.subject, c.trailers)
        day = dt.datetime.fromtimestamp(c.time, _CHINA).date()
        ledger = blobs.get(f"{c.id}:{gitlog.LEDGER}")
        edits: list[gitlog.FileChange] = []
        leaves: list[tuple[gitlog.FileChange, str, str | None]] = []  # (change, path it left, where it went)
        enters: list[tuple[gitlog.FileChange, str | None]] = []
        for fc in c.files:
            if fc.status == "D":
                if fc.path is not None and gitlog.is_dossier(fc.path):
                    leaves.append((fc, fc.path, None))
            elif fc.status == "A":
                if gitlog.is_dossier(fc.path):
                    enters.append((fc, None))
            else:
                was, now = gitlog.is_dossier(fc.old_path), gitlog.is_dossier(fc.path)
                if was and now:
                    edits.append(fc)
                elif was and fc.old_path is not None:
                    leaves.append((fc, fc.old_path, fc.path))  # moved out: another folder, another suffix
                elif now:
                    enters.append((fc, fc.old_path))
                elif fc.path in self.parked:
                    edits.append(fc)
        received = self._received(c, blobs)
        # The same 编号 leaving one path and entering another in one commit (a rename Git did not pair): an edit.
        for lf in list(leaves):
            match = next((e for e in enters if number_of(e[0].path) == number_of(lf[1])), None)
            if match is not None:
                leaves.remove(lf)
                enters.remove(match)
                edits.append(gitlog.FileChange("R", match[0].path, lf[1], lf[0].old_blob, match[0].new_blob))
        for fc in edits:
            outside = not gitlog.is_dossier(fc.path)
            d = DossierRecord(number_of(fc.path), fc.path, fc.old_path if fc.old_path != fc.path else None,
                              fc.status, OUTSIDE if outside else EDIT)
            d.old_blob, d.new_blob = fc.old_blob, fc.new_blob
            if fc.parents is not None:
                self._merge(d, fc, blobs, rec.trailers, day)
            else:
                self._compare(d, self.version(fc.old_blob, blobs), self.version(fc.new_blob, blobs), rec.trailers,
                              day, c.parents[0] if c.parents else None, fc.old_path, fc.old_blob)
            self._forget(fc)
            rec.dossiers.append(d)
        for fc, path, moved_to in leaves:
            d = DossierRecord(number_of(path), path, None, "D" if moved_to is None else "R", LEAVE)
            if moved_to is not None:
                d.old_path, d.path = path, moved_to
            d.documented = transferred(ledger, d.number)
            d.merge = fc.parents is not None
            d.old_blob, d.new_blob = fc.old_blob, fc.new_blob
            if moved_to in self.parked:  # trail: what the move itself changed
                self._compare(d, self.version(fc.old_blob, blobs), self.version(fc.new_blob, blobs), rec.trailers, day)
            self._forget(fc)
            rec.dossiers.append(d)
        for fc, came_from in enters:
            number = number_of(fc.path)
            d = DossierRecord(number, fc.path, came_from, "A" if came_from is None else "R", NEW)
            d.old_blob, d.new_blob = fc.old_blob, fc.new_blob
            arrived = self._intake(d, received.pop(number, None), blobs)
            new = self.version(fc.new_blob, blobs) if (self.check or c.parents) else None
            if c.parents and new is not None:
                originals = original_numbers(ledger, number)
                lv = self.held(seen).find(c.parents, [number, *originals], _id_hash(new) if not
                                          self._readable(new) else None)
                if lv is not None:
                    d.event, d.base = RETURN, f"{lv.path}（提交 {lv.commit[:10]} 移出前的版本）"
                    d.old_blob = lv.blob
                    self._compare(d, self.version(lv.blob, {}), new, rec.trailers, day)
                    d.merge = fc.parents is not None
                    if arrived:
                        d.failures = ()  # kept as it arrived: what it lacks is completed in later commits
                    rec.dossiers.append(d)
                    continue
            if fc.parents is not None and any(b is not None for _s, _p, b in fc.parents):
                d.event = EDIT  # a merge brought it from a parent, changed: judged against that parent
                self._merge(d, fc, blobs, rec.trailers, day)
            elif new is not None:
                self._compare(d, None, new, rec.trailers, day)
            if arrived:
                d.failures = ()  # kept as it arrived: what it lacks is completed in later commits
            rec.dossiers.append(d)
        for number, entry in received.items():  # registered as received, but the dossier did not enter with it
            if not _recorded_hash(entry):
                continue
            held = next((x for x in rec.dossiers if x.number == number), None)
            if held is None:
                held = DossierRecord(number, f"{gitlog.DOSSIER_PREFIX}{number}.yaml", None, "M", EDIT)
                rec.dossiers.append(held)
            held.received = _notice(entry)
            held.intake = (f"转入登记（通知单 {held.received}）记下了接收的文件，但档案没有在同一提交中进入档案库：接收的档案"
                           "应与转入登记在同一提交中原样入库")
        return rec

    # ---------------------------------------------------------------- what arrives is kept as it arrived
    def _raws(self, names: list, blobs: dict) -> dict:
        out = {n: blobs.get(n) for n in names if n}
        missing = [n for n, raw in out.items() if raw is None]
        if missing:
            out.update(self.reader.read(missing))
        return out

    def _received(self, c: gitlog.Commit, blobs: dict) -> dict[str, dict]:
        """编号 → the 转入 entry this commit adds to the transfer register (one that no parent's register holds)."""
        fc = next((f for f in c.files if f.path == gitlog.LEDGER and f.new_blob), None)
        if fc is None and not self.whole and c.parents and any(f.status != "M" for f in c.files):
            # a path-limited log (trail) does not list the register: read it as of the commit and its parents
            raws = self.reader.read([f"{r}:{gitlog.LEDGER}" for r in (c.id, *c.parents)])
            new = raws.get(f"{c.id}:{gitlog.LEDGER}")
            if new is None:
                return {}
            fc = gitlog.FileChange("M", gitlog.LEDGER, gitlog.LEDGER, None, gitlog.blob_id(new),
                                   tuple(("M", gitlog.LEDGER, gitlog.blob_id(r)) for p in c.parents
                                         if (r := raws.get(f"{p}:{gitlog.LEDGER}")) is not None) or None)
            blobs = {**blobs, **{gitlog.blob_id(r): r for r in raws.values() if r is not None}}
        if fc is None:
            return {}
        assert fc.new_blob is not None  # the register as this commit has it
        olds = [fc.old_blob] if fc.parents is None else [b for _s, _p, b in fc.parents]
        raws = self._raws([fc.new_blob, *olds], blobs)
        before = {_entry_key(e) for b in olds if b for e in ledger_entries(raws.get(b))}
        return {e["编号"]: e for e in ledger_entries(raws.get(fc.new_blob))
                if e.get("方向") == "转入" and isinstance(e.get("编号"), str) and _entry_key(e) not in before}

    def _intake(self, d: DossierRecord, entry: dict | None, blobs: dict) -> bool:
        """A dossier received in this commit enters exactly as ``dangan transfer in`` wrote it, or it is a T007.

        True when it did: that version is what arrived, checked at intake; it is not a skipped hook (T003)."""
        if entry is None:
            return False
        d.received = _notice(entry)
        expected = _recorded_hash(entry)
        if not expected:
            return False
        raw = self._raws([d.new_blob], blobs).get(d.new_blob) if d.new_blob else None
        actual = content_hash(raw) if raw is not None else "（无法读取）"
        if actual != expected:
            d.intake = (f"进入档案库的文件不是接收时的文件：转入登记（通知单 {d.received}）的入库哈希为 {expected[:15]}…，"
                        f"提交的文件为 {actual[:15]}…；接收的档案应原样入库，要改的另行提交、照常留痕")
        return not d.intake

    def against_held(self, number: str, raw: bytes, originals: list[str], tips: tuple = ("HEAD",)) -> DossierRecord | None:
        """A dossier's version (now: the working file of a dossier received by 转入) compared with the last version
        this repository held of that 编号, 原编号 or 身份证号 in ``tips``' history; None when none was held."""
        new = Version(raw, self.chunks)
        if self._readable(new):
            return None
        lv = self.held(list(tips)).find(tips, [number, *originals], _id_hash(new))
        if lv is None:
            return None
        d = DossierRecord(number, f"{gitlog.DOSSIER_PREFIX}{number}.yaml", None, "A", RETURN)
        d.base, d.old_blob = f"{lv.path}（提交 {lv.commit[:10]} 移出前的版本）", lv.blob
        self._compare(d, self.version(lv.blob, {}), new, {}, dt.date.today())
        return d

    def _forget(self, fc: gitlog.FileChange) -> None:
        if fc.old_blob and fc.old_blob != fc.new_blob:
            self.versions.pop(fc.old_blob, None)  # only the latest version of each file is kept

    def failures(self, rel, new: Version, old, day, fresh) -> tuple:
        """Errors the pre-commit hook would have refused in this version: non-empty means it was skipped.

        By default the structural layers (L: readable, S: the schema) on what the commit changed — the
        changed sections, only the changed entries of a list; ``deep`` runs the whole ``dangan check``
        on the version as of the commit's day (rules included: slower, and today's rules, not that day's).
        """
        from ..check import make_context

        if self._ctx is None:
            self._ctx = make_context(self.repo)
        if self.deep:
            from ..check import check_bytes
            from ..rules import Context

            ctx = self._contexts.get(day)
            if ctx is None:
                ctx = self._contexts[day] = Context(self._ctx.policy, self._ctx.schema, day)
            return tuple((f[3], f[4]) for f in check_bytes(new.raw, rel, ctx)[1] if f[2] == ERROR)
        if old is None:  # a new file: everything is new
            data = new.data()
        elif fresh is None:
            return ()
        else:
            data = fresh
        schema = self._partial_schema()
        doc = Document(rel, data, new.raw)
        found = [(f.code, f.message) for f in schema.findings(doc)]
        top = set(self._ctx.schema.top_keys)
        required = self._ctx.schema.document.get("required", [])
        keys = set(new.keys())
        found += [("S001", f"缺少必填项“{k}”") for k in required if k not in keys]
        found += [("S002", f"有未知的键“{k}”") for k in sorted(keys - top)]
        return tuple(found)

    def _partial_schema(self):
        """The dossier schema without the top-level ``required``: validates the changed sections alone."""
        if self._partial is None:
            import copy

            partial = copy.copy(self._ctx.schema)
            partial.__dict__.pop("fast", None)
            partial.__dict__.pop("reference", None)
            partial.document = {**self._ctx.schema.document, "required": [], "additionalProperties": True}
            self._partial = partial
        return self._partial

    # ---------------------------------------------------------------- commits
    def records(self, commits: list[gitlog.Commit]) -> list[CommitRecord]:
        """Commits given oldest first (parents before children) → records, in the same order."""
        batches = [commits[i:i + BATCH] for i in range(0, len(commits), BATCH)]
        seen = [c.id for c in commits]
        if len(batches) == 1:  # nothing to overlap (the staged commit of the hook): no thread, no concurrent.futures
            blobs = self.reader.read(self._wanted(batches[0]))
            return [self.record(c, blobs, seen) for c in batches[0]]
        from concurrent.futures import ThreadPoolExecutor

        out: list[CommitRecord] = []
        # git inflates the next batch's blobs (another process, another core) while this one is diffed
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(self.reader.read, self._wanted(batches[0])) if batches else None
            for n, batch in enumerate(batches):
                assert pending is not None  # submitted before the loop, and for each next batch
                blobs = pending.result()
                if n + 1 < len(batches):
                    pending = pool.submit(self.reader.read, self._wanted(batches[n + 1]))
                out.extend(self.record(c, blobs, seen) for c in batch)
        return out

    def _wanted(self, batch) -> list[str]:
        names = []
        for c in batch:
            ledger = False
            for fc in c.files:
                if fc.status == "A" and not self.check and not c.parents:
                    continue  # a new file is only read to check it (or to compare it with one held before)
                names += [b for b in (fc.old_blob, fc.new_blob) if b and b not in self.versions]
                if fc.parents:
                    names += [b for _s, _p, b in fc.parents if b and b not in self.versions]
                ledger = ledger or fc.status != "M" or fc.parents is not None
            if ledger:  # a dossier leaves or enters: what the 转递 register says
                names.append(f"{c.id}:{gitlog.LEDGER}")
        return names


def _entry_key(e: dict) -> tuple:
    return (str(e.get("通知单号")), str(e.get("编号")), str(e.get("方向")))


def _notice(entry: dict) -> str:
    return str(entry.get("通知单号") or "（无通知单号）")


def _recorded_hash(entry: dict) -> str:
    """The hash the dossier must enter with: 入库哈希, what ``transfer in`` wrote into dossiers/ (the file received,
    or with its 编号 or 管档单位 replaced). "" when the entry has none (a .lrmx converted into a draft to be
    completed, or an entry from before this was recorded)."""
    value = entry.get("入库哈希")
    return value if isinstance(value, str) else ""


def ledger_entries(ledger: bytes | None) -> list:
    if not ledger:
        return []
    from ..load import load_bytes

    try:
        entries = load_bytes(ledger, gitlog.LEDGER, root_list=True).data
    except LoadError:
        return []
    return [e for e in entries or [] if isinstance(e, dict)]


def transferred(ledger: bytes | None, number: str) -> bool:
    """Does the 转递 ledger hold a transfer-out entry (编号, 方向: 转出) for this dossier?"""
    return any(e.get("编号") == number and e.get("方向") == "转出" for e in ledger_entries(ledger))


def original_numbers(ledger: bytes | None, number: str) -> list[str]:
    """The 原编号 that the 转入 entries of this dossier record (the number it came in under)."""
    return [e["原编号"] for e in ledger_entries(ledger)
            if e.get("编号") == number and e.get("方向") == "转入" and isinstance(e.get("原编号"), str)]


def engine(repo: Repo, deep: bool = False) -> str:
    """What the verdicts depend on: this package, the loader, the schema code, the rules and schema/.

    Not the whole of dangan: a change to the site or the forms must not cost a rescan of the history.
    """
    from pathlib import Path

    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha1(b"deep" if deep else b"plain")
    files = [*sorted((package / "history").glob("*.py")), *sorted((package / "rules").glob("*.py")),
             *(package / name for name in ("load.py", "schema.py", "check.py", "findings.py", "policy.py", "dates.py",
                                            "factpath.py")),
             *sorted(repo.schema_dir.rglob("*.json")), *sorted(repo.schema_dir.rglob("*.yaml"))]
    for f in files:
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def scan(repo: Repo, ids: list[str], deep: bool = False):
    """Records of the commits ``ids`` (newest first, as rev-list gives them), oldest first; and the lost ones.

    Commits already in the index are not read again; the others are scanned and stored.
    """
    index = Index(repo, engine(repo, deep))
    index.note_remote_tips(gitlog.remote_tips(repo.root))
    lost_now = index.forget_unreachable(gitlog.reachable(repo.root),
                                        lambda gone: gitlog.pushed(repo.root, gone, index.remote_tips)) \
        if index.commits or index.previous else []
    todo = [cid for cid in ids if cid not in index.commits]
    if todo:
        # for trail; runs beside the scan (not in a push being received: its objects are still in quarantine)
        quarantined = "GIT_QUARANTINE_PATH" in os.environ
        graph = gitlog.write_graph(repo.root) if len(todo) > 100 and not quarantined else None
        commits = gitlog.log(repo.root, todo)
        commits.reverse()
        for record in Scanner(repo, True, deep).records(commits):  # the index always holds checked records
            index.add(record)
        if graph is not None:
            graph.wait()
    index.save()
    records = [index.commits[cid] for cid in reversed(ids)]
    undo.resolve(repo.root, records)  # from the records in order, every run: never stored in the index
    return records, list(index.lost.values()) or lost_now
