"""``dangan check`` of a push at the central repository, at the cost of what the push changed.

The dossiers are never written out: their blobs are read with ``git cat-file --batch``, and only those the
push changed (added or modified since the trusted tip) are checked, as of today, and block the push. The
cross-file rules (编号 unique, one person one dossier) are judged over every dossier of the pushed tip from
an index kept by blob id — each blob's 编号, a digest of its 身份证号 (never the number) and how many errors
it had when the central repository last checked it — in ``<repository>/dangan/push-check.json``.

A blob's entry depends only on its bytes and on the engine (this program and the pushed ``schema/``), so the
index is kept per engine: when either changes, or the index is missing, damaged, not sealed by this server's
key or written for another repository (``cachefile``), every dossier is checked again (in parallel, with a
progress line to the pusher). A push that changes ``schema/`` (rules, policy, codes) checks everything and
every error blocks, as before. Errors of dossiers the push did not change are counted, as of the day each
was last checked, and shown without blocking.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import cachefile
from ..check import Result, check_bytes, check_many, cross_file, entry_summary, make_context, summary_entry
from ..findings import ERROR, Finding, sort_key
from ..history.gitlog import BlobReader
from ..policy import PolicyError
from ..repo import Repo
from ..roles import findings as role_findings

NAME = "push-check.json"
KIND = "push-check"
FORMAT = 2  # 2: an entry may carry the 副本 mark ([编号, id, true, errors, day])
_CHUNK = 2000  # blobs read per `git cat-file --batch`: 50,000 dossiers are never all in memory
_BATCH = 100  # dossiers per task handed to a checking process
_PARALLEL_MIN = 64
_PROGRESS_EVERY = 5.0  # seconds between progress lines
_REFRESH_SECONDS = 1.0  # per push, re-counting the errors of untouched dossiers last counted on another day
_REFRESH_BATCH = 20


def index_path(git_dir: Path) -> Path:
    return git_dir / "dangan" / NAME


@dataclass
class Index:
    """blob id → [编号 or None, digest of 身份证号 or None, number of errors, the day they were counted],
    for one engine and repository."""

    path: Path
    engine: str
    repository: str
    entries: dict[str, list] = field(default_factory=dict)
    dirty: bool = False

    @classmethod
    def load(cls, git_dir: Path, engine: str) -> Index:
        index = cls(index_path(git_dir), engine, str(git_dir.resolve()))
        stored = cachefile.load(index.path, KIND)  # None: missing, damaged or not sealed by this server's key
        try:
            if (stored["format"] == FORMAT and stored["engine"] == engine
                    and stored["repository"] == index.repository):
                entries = stored["entries"]
                for blob, entry in entries.items():
                    *summary, errors, day = entry
                    entry_summary(summary)
                    if not isinstance(blob, str) or not isinstance(errors, int) or not isinstance(day, str):
                        raise TypeError("entry")
                index.entries = entries
        except (TypeError, KeyError, ValueError, AttributeError):
            index.entries = {}
        return index

    def store(self, blob: str, summary: dict | None, errors: int, day: str) -> None:
        entry = [*summary_entry(summary), errors, day]
        if self.entries.get(blob) != entry:
            self.entries[blob] = entry
            self.dirty = True

    def prune(self, blobs: set[str], base: str | None) -> None:
        """Once it holds half as many blobs again as the pushed tip, forget those in neither that tip nor ``base``
        (the tip before the push: a refused push must not cost the next one its index)."""
        if len(self.entries) <= len(blobs) * 3 // 2 + 100:
            return
        keep = set(blobs)
        if base is not None:
            keep.update(_tree_blobs(base))
        gone = [b for b in self.entries if b not in keep]
        for blob in gone:
            del self.entries[blob]
        self.dirty |= bool(gone)

    def save(self) -> None:
        if self.dirty:  # a read-only repository still checks, just without the index
            cachefile.save(self.path, KIND, {"format": FORMAT, "engine": self.engine, "repository": self.repository,
                                             "entries": self.entries})


def _summary(entry: list) -> dict | None:
    return entry_summary(entry[:-2])


def _tree_blobs(rev: str) -> set[str]:
    out = subprocess.run(["git", "ls-tree", "-r", "-z", rev, "--", "dossiers/"], capture_output=True).stdout
    return {record.split(b"\t", 1)[0].split()[2].decode() for record in out.split(b"\0") if b"\t" in record}


def _changed(base: str, new: str) -> tuple[set[str], bool]:
    """Paths under dossiers/ that ``base..new`` adds or modifies; whether it changes schema/."""
    out = subprocess.run(["git", "diff", "--raw", "-z", "--no-renames", "--no-abbrev", base, new, "--", "dossiers/",
                          "schema/"], capture_output=True, check=True).stdout
    fields = out.decode("utf-8", "surrogateescape").split("\0")
    changed, rules = set(), False
    for meta, name in zip(fields[0::2], fields[1::2], strict=False):
        if not meta:
            continue
        if name.startswith("schema/"):
            rules = True
        elif not meta.endswith("D"):
            changed.add(name)
    return changed, rules


def _blobs(git_dir: Path, items: list[tuple[str, str]], size: int = _BATCH) -> Iterator[list[tuple[str, bytes]]]:
    """(rel, raw) in batches of ``size``, read ``_CHUNK`` blobs at a time."""
    reader = BlobReader(git_dir)
    for start in range(0, len(items), _CHUNK):
        chunk = items[start:start + _CHUNK]
        raws = reader.read([blob for _rel, blob in chunk])
        batch: list[tuple[str, bytes]] = []
        for rel, blob in chunk:
            batch.append((rel, raws.get(blob) or b""))
            if len(batch) == size:
                yield batch
                batch = []
        if batch:
            yield batch


class _Progress:
    def __init__(self, total: int, why: str):
        self.total, self.done, self.shown = total, 0, time.monotonic()
        self.on = bool(why) and total > 0
        if self.on:  # a check beyond the change: say why the push takes longer
            self.say(f"中心库正在检查 {total} 份档案（{why}），请稍候……")

    @staticmethod
    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)  # the pusher sees it as "remote: …" while waiting

    def step(self, n: int) -> None:
        self.done += n
        if self.on and time.monotonic() - self.shown >= _PROGRESS_EVERY and self.done < self.total:
            self.shown = time.monotonic()
            self.say(f"已检查 {self.done}/{self.total} 份档案……")


def check_push(refuse, ref: str, tree: Path, dossiers: dict[str, str], base: str | None, git_dir: Path,
               new: str) -> list[str]:
    """Refuse (``refuse(ref, text)``) errors in the dossiers this push changes and cross-file errors; notes on the rest.

    ``tree``: the pushed tip's schema/, ledgers/ and signers written out; ``dossiers``: its dossiers (rel → blob).
    Errors already in untouched dossiers (a date rule that moved with the calendar, say) must not block every
    unit's pushes: they are counted, and the push goes through.
    """
    repo = Repo(tree)
    if not repo.schema_dir.joinpath("dossier.schema.json").is_file():
        refuse(ref, "推送的版本中没有 schema/dossier.schema.json：不是档案仓库")
        return []
    for f in role_findings(tree):
        if f.is_error:
            refuse(ref, f"P008 {f.text()}：角色文件不符合格式，接收后所有人的推送都无法核对")
    try:
        ctx = make_context(repo)
    except PolicyError as exc:
        refuse(ref, "推送的版本中政策文件有误：" + str(exc).replace(f"{tree}/", ""))
        return []
    if base is None:
        touched, why = None, "第一次推送"  # everything is new
    else:
        changed, rules = _changed(base, new)
        touched, why = (None, "规则有改动") if rules else (changed & set(dossiers), "")
    index = Index.load(git_dir, repo.engine_key("push"))
    todo = [(rel, blob) for rel, blob in dossiers.items()
            if touched is None or rel in touched or blob not in index.entries]
    if todo and touched is not None and len(todo) > len(touched):
        why = "检查记录需要重建：程序或规则更新、首次使用或记录无效"
    progress = _Progress(len(todo), why)
    blocking: list[Finding] = []
    day = str(ctx.today)
    jobs = 1 if len(todo) < _PARALLEL_MIN else None  # a second process costs more than a few dossiers
    for batch, results in zip(_chunks(todo, _BATCH), check_many(_blobs(git_dir, todo), ctx, jobs), strict=True):
        for (rel, blob), (summary, found) in zip(batch, results, strict=True):
            errors = [Finding(rel, *f) for f in found if f[2] == ERROR]
            index.store(blob, summary, len(errors), day)
            if touched is None or rel in touched:
                blocking += errors
        progress.step(len(batch))
    # Date rules move with the calendar: an untouched dossier counted on another day is counted again, as many
    # as fit in a second per push (the count is only shown, never blocks; it catches up over the day's pushes).
    stale = [(rel, blob) for rel, blob in sorted(dossiers.items()) if index.entries[blob][-1] != day]
    deadline = time.monotonic() + _REFRESH_SECONDS
    reader = BlobReader(git_dir)
    for batch in _chunks(stale, _REFRESH_BATCH):
        if time.monotonic() >= deadline:
            break
        raws = reader.read([blob for _rel, blob in batch])
        for rel, blob in batch:
            summary, found = check_bytes(raws.get(blob) or b"", rel, ctx)
            index.store(blob, summary, sum(f[2] == ERROR for f in found), day)
    untouched = [blob for rel, blob in dossiers.items() if touched is not None and rel not in touched]
    rest = sum(index.entries[blob][-2] for blob in untouched)
    older = sum(index.entries[blob][-1] != day for blob in untouched)
    summaries = [Result(rel, _summary(index.entries[blob]), []) for rel, blob in sorted(dossiers.items())]
    blocking += cross_file(summaries, tree, lambda rel: reader.read([dossiers[rel]]).get(dossiers[rel]))
    index.prune(set(dossiers.values()), base)
    index.save()
    blocking.sort(key=sort_key)
    for f in blocking[:20]:
        refuse(ref, f"dangan check：{f.text()}")
    if len(blocking) > 20:
        refuse(ref, f"dangan check：另有 {len(blocking) - 20} 个错误")
    if not rest:
        return []
    when = (f"；其中 {older} 份档案是此前某一天检查的结果，日期规则（年龄、期限、年度考核）随日历变化，今天可能不同"
            if older else "")
    return [f"{ref}：未改动的档案中另有 {rest} 个既有错误（不阻止推送{when}），请运行 dangan check 处理"]


def _chunks(items: list[tuple[str, str]], size: int) -> Iterator[list[tuple[str, str]]]:
    """``items`` in batches of ``size`` (as ``_blobs`` yields them, for ``_BATCH``)."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
