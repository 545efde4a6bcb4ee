"""Commits → records of what changed in each dossier, field by field, judged by the guard.

One ``git log`` for the commits not yet in the index, blobs fetched per batch of commits, dossier
versions split into sections and parsed only where they differ (``sections``). The check of each
touched file (did this commit get past the pre-commit hook?) reuses the same parsed sections.
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..findings import ERROR
from ..load import Document, LoadError
from ..repo import Repo
from . import gitlog
from .fielddiff import Change, diff
from .guard import judge
from .index import Index
from .sections import Unparseable, Version, changed_sections

BATCH = 400  # commits per blob batch: bounds memory, keeps cat-file streaming
_CHINA = dt.timezone(dt.timedelta(hours=8))


@dataclass(slots=True)
class DossierRecord:
    number: str  # the file's stem: the 编号
    path: str
    old_path: str | None
    status: str  # A M D R
    changes: list[Change] = field(default_factory=list)
    problem: str = ""  # a version the loader refuses (history is history: reported, not fatal)
    documented: bool | None = None  # a deletion: is there a transfer-out record?
    failures: tuple = ()  # (code, message) errors of `dangan check` on this version: the hook was bypassed

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


class Scanner:
    """Holds the parsed versions between commits, so a file's old side is usually parsed already."""

    def __init__(self, repo: Repo, check: bool = True, deep: bool = False):
        self.repo = repo
        self.reader = gitlog.BlobReader(repo.root)
        self.chunks: dict = {}  # chunk text → parsed value
        self.versions: dict[str, Version | Unparseable] = {}  # blob id → version (recent ones)
        self.check, self.deep = check, deep
        self._ctx = None
        self._contexts: dict = {}
        self._partial = None

    def version(self, blob: str | None, raw: bytes | None) -> Version | None:
        if blob is None:
            return None
        v = self.versions.get(blob)
        if v is None:
            if raw is None:
                raw = self.reader.read([blob]).get(blob)
                if raw is None:
                    return None
            v = Version(raw, self.chunks)
            self.versions[blob] = v
        return v

    # ---------------------------------------------------------------- one file in one commit
    def dossier(self, fc: gitlog.FileChange, blobs: dict, trailers: dict, day: dt.date | None) -> DossierRecord:
        rec = DossierRecord(number_of(fc.path), fc.path, fc.old_path if fc.status == "R" else None, fc.status)
        old = self.version(fc.old_blob, blobs.get(fc.old_blob))
        if fc.status == "A" and not self.check:
            new = None  # not read: a new file is only read to check it, or when it is next edited
        else:
            new = self.version(fc.new_blob, blobs.get(fc.new_blob))
        if fc.old_blob and fc.old_blob != fc.new_blob:
            self.versions.pop(fc.old_blob, None)  # only the latest version of each file is kept
        fresh = None
        # A new dossier's content is the starting point, not an alteration; a deleted one is judged by the caller.
        if old is not None and new is not None:
            bad = []
            for side, v, base in (("旧版本", old, None), ("新版本", new, old)):
                try:
                    v.prepare(base if base is not None and base.trusted else None)
                except Unparseable as exc:
                    bad.append(f"{side}无法解析（第 {exc.error.line} 行 {exc.error.code} {exc.error.message}）")
            rec.problem = "；".join(bad)
            if not bad:
                keys = new.changed_keys(old)
                before, after, fresh = changed_sections(old, new, keys)
                rec.changes = judge(diff(before, after, keys), before, after, trailers, new.section)
        if self.check and new is not None:
            try:
                rec.failures = self.failures(fc.path, new, old if old is not None and not rec.problem else None, day,
                                             fresh if rec.changes else None)
            except Unparseable as exc:
                rec.failures = ((exc.error.code, exc.error.message),)
        return rec

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
        """Commits given oldest first → records, in the same order."""
        batches = [commits[i:i + BATCH] for i in range(0, len(commits), BATCH)]
        out = []
        # git inflates the next batch's blobs (another process, another core) while this one is diffed
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(self.reader.read, self._wanted(batches[0])) if batches else None
            for n, batch in enumerate(batches):
                blobs = pending.result()
                if n + 1 < len(batches):
                    pending = pool.submit(self.reader.read, self._wanted(batches[n + 1]))
                out.extend(self.record(c, blobs) for c in batch)
        return out

    def _wanted(self, batch) -> list[str]:
        names = []
        for c in batch:
            for fc in c.files:
                if fc.status == "A" and not self.check:
                    continue  # a new file is only read to check it
                names += [b for b in (fc.old_blob, fc.new_blob) if b and b not in self.versions]
                if fc.status == "D" and fc.path.startswith(gitlog.DOSSIER_PREFIX):
                    names.append(f"{c.id}:{gitlog.LEDGER}")
        return names

    def record(self, c: gitlog.Commit, blobs: dict) -> CommitRecord:
        rec = CommitRecord(c.id, c.parents, c.author, c.email, c.time, c.sig, c.subject, c.trailers)
        day = dt.datetime.fromtimestamp(c.time, _CHINA).date()
        for fc in c.files:
            if not fc.path.startswith(gitlog.DOSSIER_PREFIX):
                continue
            d = self.dossier(fc, blobs, rec.trailers, day)
            if fc.status == "D":
                d.documented = transferred(blobs.get(f"{c.id}:{gitlog.LEDGER}"), d.number)
            rec.dossiers.append(d)
        return rec


def transferred(ledger: bytes | None, number: str) -> bool:
    """Does the 转递 ledger hold a transfer-out entry (编号, 方向: 转出) for this dossier?"""
    if not ledger:
        return False
    from ..load import load_bytes

    try:
        entries = load_bytes(ledger, gitlog.LEDGER, root_list=True).data
    except LoadError:
        return False
    return any(isinstance(e, dict) and e.get("编号") == number and e.get("方向") == "转出" for e in entries or [])


def engine(repo: Repo, deep: bool = False) -> str:
    """What the verdicts depend on: this package, the loader, the schema code, the rules and schema/.

    Not the whole of dangan: a change to the site or the forms must not cost a rescan of the history.
    """
    import hashlib
    from pathlib import Path

    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha1(b"deep" if deep else b"plain")
    files = [*sorted((package / "history").glob("*.py")), *sorted((package / "rules").glob("*.py")),
             *(package / name for name in ("load.py", "schema.py", "check.py", "findings.py", "policy.py", "dates.py")),
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
    lost_now = index.forget_unreachable(gitlog.reachable(repo.root)) if index.commits or index.previous else []
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
    return [index.commits[cid] for cid in reversed(ids)], list(index.lost.values()) or lost_now
