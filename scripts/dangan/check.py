"""The check pipeline: bytes → load → schema → rules → findings; then the cross-file rules.

Per-file work is pure (bytes in, findings out) so it can be cached by blob id and spread
over processes; cross-file rules run on the small per-file summaries.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import cachefile
from .dates import today as default_today
from .findings import ERROR, WARNING, Finding
from .load import MAX_BYTES, Document, LoadError, build, decode
from .repo import Cache, Repo, blob_id
from .rules import Context, Out, all_rules, tracked
from .rules.custody import COPY, diverging
from .yamltext import has_modeline

_PARALLEL_MIN = 64  # below this, starting a second process costs more than it saves
_CTX: Context | None = None
_RULES = None


def make_context(repo: Repo, as_of=None) -> Context:
    ctx = Context(policy=repo.policy, schema=repo.schema, today=as_of or default_today())
    ctx.custody  # noqa: B018 - a wrong 职级 in the policy stops here (exit 2), before any file is checked
    return ctx


def check_bytes(raw: bytes, rel: str, ctx: Context) -> tuple[dict | None, list[tuple]]:
    """One file → (summary for cross-file rules, findings as (line, col, severity, code, message))."""
    global _RULES
    try:
        numbers: list = []
        doc = Document(path=rel, data=build(decode(raw), numbers=numbers), raw=raw, unquoted_numbers=tuple(numbers))
    except LoadError as exc:
        return None, [(exc.line, exc.col, ERROR, exc.code, exc.message)]
    findings, refused = ctx.schema.judge(doc)
    valid = not findings
    read: set = set()
    if refused:  # the rules read a recording copy: what builds on a refused value is dropped (one mistake, one finding)
        doc = dataclasses.replace(doc, data=tracked(doc.data, read))
    out = Out(doc, read, refused)
    for rule in _RULES or (_RULES := all_rules()):
        read.clear()
        try:
            rule(doc, ctx, out)
        except (TypeError, KeyError, AttributeError, ValueError, IndexError):
            if valid:
                raise  # on a schema-valid document this is a bug, not bad input
    findings.extend(out.items)
    if not has_modeline(raw[:4096].decode("utf-8", "replace")):
        findings.append(Finding(rel, 1, 1, WARNING, "S010",
                                "文件开头缺少编辑器用的校验说明“# yaml-language-server: $schema=../schema/dossier.schema.json”："
                                "没有它，编辑器不再检查本文件；运行 dangan fmt 可以加回"))
    return summary_of(doc.data), [(f.line, f.col, f.severity, f.code, f.message) for f in findings]


def summary_of(data) -> dict:
    """What the cross-file rules read of a dossier: its 编号, a digest of its 身份证号 (never the number), and
    whether it is a 副本 (``副本: true`` only then: the cross index stays as small as before)."""
    out = {"编号": data.get("编号") if isinstance(data.get("编号"), str) else None,
           "id": hashlib.sha1(data["身份证号"].encode()).hexdigest() if isinstance(data.get("身份证号"), str) else None}
    if data.get("档案类别") == COPY:
        out["副本"] = True
    return out


def summary_entry(summary: dict | None) -> list:
    """A summary as an index stores it: [编号, id] or [编号, id, true] (a 副本); [None, None] when unreadable."""
    if not summary:
        return [None, None]
    return [summary["编号"], summary["id"], True] if summary.get("副本") else [summary["编号"], summary["id"]]


def entry_summary(entry: list) -> dict | None:
    """``summary_entry`` read back; raises TypeError or ValueError on anything it did not write."""
    number, person, *rest = entry
    if not all(x is None or isinstance(x, str) for x in (number, person)) or rest not in ([], [True]):
        raise TypeError("entry")
    if number is None and person is None:
        return None
    return {"编号": number, "id": person, **({"副本": True} if rest else {})}


def summary_bytes(raw: bytes) -> dict | None:
    """``check_bytes``'s summary without the checks: None when the file does not load."""
    try:
        data = build(decode(raw))
    except LoadError:
        return None
    return summary_of(data) if isinstance(data, dict) else None


def _init_worker(ctx):
    global _CTX
    _CTX = ctx


def _check_many(batch: list[tuple[str, bytes]]):
    assert _CTX is not None  # set by the pool initializer
    return [check_bytes(raw, rel, _CTX) for rel, raw in batch]


@dataclass
class Result:
    rel: str
    summary: dict | None
    findings: list[tuple]


def check_files(repo: Repo, paths: list[Path], ctx: Context, use_cache: bool = True, jobs: int | None = None,
                complete: bool = False):
    """Check files (cached, parallel); returns a Result per file, in the order given.

    ``complete``: ``paths`` is every dossier, so cache entries of files that are gone are dropped.
    """
    cache = Cache(repo, repo.engine_key(ctx.today)) if use_cache else None
    results: dict[str, Result] = {}
    todo: list[tuple[str, bytes, os.stat_result, str]] = []
    rels = [repo.rel(p) for p in paths]
    for path, rel in zip(paths, rels, strict=True):
        st = os.stat(path)
        hit = cache.lookup(rel, st) if cache else None
        if hit is None:
            with path.open("rb") as fh:
                raw = fh.read(MAX_BYTES + 1)  # the loader refuses anything larger; don't read a huge file whole
            blob = blob_id(raw)
            hit = cache.lookup_blob(rel, blob) if cache else None
            if hit is None:
                todo.append((rel, raw, st, blob))
                continue
            if cache and hit[:3] != (st.st_mtime_ns, st.st_size, st.st_ino):
                cache.store(rel, st, blob, hit[4], hit[5])
        results[rel] = Result(rel, hit[4], hit[5])
    jobs = jobs or min(os.cpu_count() or 1, 4)
    if len(todo) >= _PARALLEL_MIN and jobs > 1:
        size = max(16, len(todo) // (jobs * 4))
        batches = [[(rel, raw) for rel, raw, _st, _b in todo[i:i + size]] for i in range(0, len(todo), size)]
        from concurrent.futures import ProcessPoolExecutor  # here: the hook's few files never need it (~6 ms)

        with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(ctx,)) as pool:
            done = [r for batch in pool.map(_check_many, batches) for r in batch]
    else:
        done = [check_bytes(raw, rel, ctx) for rel, raw, _st, _b in todo]
    for (rel, _raw, st, blob), (summary, findings) in zip(todo, done, strict=False):
        results[rel] = Result(rel, summary, findings)
        if cache:
            cache.store(rel, st, blob, summary, findings)
    if cache:
        if complete:  # a full run: forget files that are gone
            for rel in set(cache.entries) - set(results):
                del cache.entries[rel]
                cache.dirty = True
        cache.save()
    return [results[rel] for rel in rels]


def check_many(batches: Iterable[list[tuple[str, bytes]]], ctx: Context, jobs: int | None = None,
               ) -> Iterator[list[tuple[dict | None, list[tuple]]]]:
    """``check_bytes`` of each batch of (rel, raw), batch by batch in order, spread over ``jobs`` processes.

    The batches are read lazily, a few ahead of the workers: the caller can stream files of any number
    (the central repository reads 50,000 blobs without holding them all)."""
    jobs = jobs or min(os.cpu_count() or 1, 4)
    source = iter(batches)
    if jobs < 2:
        for batch in source:
            yield [check_bytes(raw, rel, ctx) for rel, raw in batch]
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(ctx,)) as pool:
        pending: deque = deque()
        for batch in source:
            pending.append(pool.submit(_check_many, batch))
            if len(pending) > jobs * 2:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _mark(root: Path, rel: str, path: tuple, read: Callable[[str], bytes | None] | None = None) -> tuple[int, int]:
    """Line of a field, re-reading the file: only needed on the rare cross-file hit."""
    try:
        raw = read(rel) if read is not None else (root / rel).read_bytes()
        if raw is None:
            return (1, 1)
        return Document(rel, build(decode(raw)), raw).mark(path, key=True)
    except (OSError, LoadError):
        return (1, 1)


def cross_file(results: list[Result], root: Path, read: Callable[[str], bytes | None] | None = None) -> list[Finding]:
    """Rules across dossiers: 编号 unique, one dossier per person.

    ``read``: how to get a file's bytes for the line of a hit (default: the file under ``root``)."""
    out = []
    by_number: dict[str, list[Result]] = {}
    by_id: dict[str, list[Result]] = {}
    for r in results:
        if r.summary:
            if r.summary["编号"]:
                by_number.setdefault(r.summary["编号"], []).append(r)
            if r.summary["id"]:
                by_id.setdefault(r.summary["id"], []).append(r)
    for number, group in by_number.items():
        if len(group) > 1:
            names = "、".join(g.rel for g in group)
            for r in group:
                line, col = _mark(root, r.rel, ("编号",), read)
                out.append(Finding(r.rel, line, col, ERROR, "X001", f"编号“{number}”重复：{names} 使用了同一编号"))
    for group in by_id.values():
        if len(group) < 2:
            continue
        originals = [r for r in group if not (r.summary or {}).get("副本")]
        if len(originals) > 1 or not originals:  # one 正本 a person, and its 副本 beside it (《条例》第二十二条)
            names = "、".join(g.rel for g in group)
            for r in group:
                line, col = _mark(root, r.rel, ("身份证号",), read)
                out.append(Finding(r.rel, line, col, ERROR, "X002", f"同一身份证号出现在多份档案中（{names}）：一人只能有一份档案"
                                   "（干部所在单位保存的副本写“档案类别: 副本”）"))
            continue
        original = _data(root, originals[0].rel, read)
        for r in group:
            copy = _data(root, r.rel, read) if r is not originals[0] else None
            if copy is None or original is None:
                continue
            for path, code, message in diverging(copy, original):
                line, col = _mark(root, r.rel, path, read)
                severity = WARNING if code == "X004" else ERROR
                out.append(Finding(r.rel, line, col, severity, code, message))
    return out


def _data(root: Path, rel: str, read: Callable[[str], bytes | None] | None = None) -> dict | None:
    """A dossier's data, re-read: only for a person with a 正本 and a 副本 here."""
    try:
        raw = read(rel) if read is not None else (root / rel).read_bytes()
        data = build(decode(raw)) if raw is not None else None
    except (OSError, LoadError):
        return None
    return data if isinstance(data, dict) else None


class CrossIndex:
    """The cross-file hook's index (``cross-index.json`` in the state dir): blob id → [编号, digest of 身份证号],
    sealed like every cache (``cachefile``): one that does not verify, or was written by another loader, is
    ignored and the summaries are read again. A one-dossier commit at 50,000 dossiers reads one blob."""

    NAME = "cross-index.json"

    def __init__(self, repo: Repo):
        self.path = repo.cache_dir() / self.NAME
        self.engine = _loader_key()
        self.entries: dict[str, list] = {}
        self.pairs: list[tuple[str, list]] = []  # (path, entry) of every staged dossier, after ``suspects``
        self.dirty = False
        stored = cachefile.load(self.path, "cross")
        try:
            if stored["engine"] == self.engine and isinstance(stored["entries"], dict):
                self.entries = stored["entries"]  # each entry is checked where it is read (``suspects``)
        except (TypeError, KeyError):
            self.entries = {}

    def suspects(self, repo: Repo, blobs: dict[str, str]) -> list[Result]:
        """A Result (summary only) of each staged dossier that shares its 编号 or the digest of its 身份证号 with
        another — the only ones the cross-file rules can report, in the order given — reading only the blobs the
        index does not know. The rest is counted, not turned into objects: 50,000 Results per commit cost 0.4 s.

        An entry this code did not write (the index verified, yet an entry of another shape) drops the index: the
        summaries are read again."""
        try:
            return self._suspects(repo, blobs)
        except (TypeError, ValueError, IndexError, KeyError, AttributeError):
            self.entries, self.dirty = {}, True
            return self._suspects(repo, blobs)

    def _suspects(self, repo: Repo, blobs: dict[str, str]) -> list[Result]:
        missing = sorted({b for b in blobs.values() if b not in self.entries})
        raws = repo.read_blobs(missing)
        for blob in missing:
            raw = raws.get(blob)
            if raw is None:  # not in the object store (cannot happen for an index entry): the file, uncached
                continue
            self.entries[blob] = summary_entry(summary_bytes(raw))
            self.dirty = True
        entries = self.entries
        pairs: list[tuple[str, list]] = [(rel, entries.get(blob) or _file_entry(repo, rel)) for rel, blob in blobs.items()]
        if not all(type(e) is list and len(e) in (2, 3) for _rel, e in pairs):
            raise TypeError("entry")
        numbers = Counter(e[0] for _rel, e in pairs if e[0])
        people = Counter(e[1] for _rel, e in pairs if e[1])
        if not all(type(k) is str for k in numbers) or not all(type(k) is str for k in people):
            raise TypeError("entry")
        twice_n = {n for n, c in numbers.items() if c > 1}
        twice_p = {p for p, c in people.items() if c > 1}
        out = [Result(rel, entry_summary(e), []) for rel, e in pairs
               if e[0] in twice_n or e[1] in twice_p] if twice_n or twice_p else []
        self.pairs = pairs
        if len(self.entries) > len(blobs) * 2 + 100:  # forget what left long ago (keeps one tree's worth)
            keep = set(blobs.values())
            self.entries = {b: e for b, e in self.entries.items() if b in keep}
            self.dirty = True
        return out

    def save(self) -> None:
        if self.dirty:
            cachefile.save(self.path, "cross", {"engine": self.engine, "entries": self.entries})


def _file_entry(repo: Repo, rel: str) -> list:
    """The index entry of a staged dossier whose blob is not in the object store: from the file, not kept."""
    try:
        with (repo.root / rel).open("rb") as fh:
            return summary_entry(summary_bytes(fh.read(MAX_BYTES + 1)))
    except OSError:
        return summary_entry(None)


def _loader_key() -> str:
    """What a summary depends on: this version, the loader and this module."""
    from . import __version__

    h = hashlib.sha1(__version__.encode())
    here = Path(__file__).resolve().parent
    for name in ("load.py", "check.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()


def cross_staged(repo: Repo, use_cache: bool = True) -> tuple[list[Finding], int] | None:
    """``dangan check --cross``: the cross-file rules over the dossiers as the Git index holds them, through the
    cross snapshot (what changed since the last run) or else the cross index (every staged blob id);
    (findings, number of dossiers), or None outside Git (the caller checks the files)."""
    from .snapshot import Snapshot, Stale, engine_of, index_tree

    if not (repo.root / ".git").exists():
        return None
    tree = index_tree(repo) if use_cache else None
    snap = Snapshot(repo, "cross-snapshot", engine_of(*_ENGINE_FILES)) if tree else None
    if snap is not None:
        try:
            snap.open()
            results, count, blob_of = _cross_delta(repo, snap)
        except (Stale, TypeError, ValueError, KeyError, IndexError, AttributeError):
            snap.start()
        else:
            snap.save(tree)
            return cross_file(results, repo.root, _reader(repo, blob_of)), count
    blobs = repo.staged_blobs()
    if blobs is None:
        return None
    index = CrossIndex(repo)
    if not use_cache:
        index.entries = {}
    results = index.suspects(repo, blobs)
    if use_cache:
        index.save()
    if snap is not None:
        _cross_fill(snap, blobs, index.pairs)
        snap.save(tree)
    return cross_file(results, repo.root, _reader(repo, blobs.get)), len(blobs)


def _reader(repo: Repo, blob_of: Callable[[str], str | None]) -> Callable[[str], bytes | None]:
    def read(rel: str) -> bytes | None:
        blob = blob_of(rel)
        raw = repo.read_blobs([blob]).get(blob) if blob else None
        return raw if raw is not None else (repo.root / rel).read_bytes()

    return read


_ENGINE_FILES = (Path(__file__).resolve().parent / "load.py", Path(__file__).resolve(),
                 Path(__file__).resolve().parent / "snapshot.py")


# The cross snapshot's keys: "p" + path → [blob id, index entry]; "n" + 编号 and "i" + digest of 身份证号 → the
# sorted paths that have it. Its meta: "count" (staged dossiers), "dups" (the keys held by more than one path).
def _keys(entry: list) -> list[str]:
    return [k + v for k, v in (("n", entry[0]), ("i", entry[1])) if v]


def _paths(snap, key: str) -> list[str]:
    found = snap.get(key) or []
    if type(found) is not list or not all(type(r) is str for r in found):
        raise TypeError("paths")
    return found


def _cross_fill(snap, blobs: dict[str, str], pairs: list[tuple[str, list]]) -> None:
    """A fresh snapshot of the whole index (a cold run)."""
    lists: dict[str, list[str]] = {}
    for rel, entry in pairs:
        snap.put("p" + rel, [blobs[rel], entry])
        for key in _keys(entry):
            lists.setdefault(key, []).append(rel)
    for key, rels in lists.items():
        snap.put(key, rels)  # pairs come in path order: already sorted
    snap.meta = {"count": len(pairs), "dups": sorted(k for k, rels in lists.items() if len(rels) > 1)}


def _cross_delta(repo: Repo, snap) -> tuple[list[Result], int, Callable[[str], str | None]]:
    """The snapshot brought up to the index (raises ``Stale`` and the like when it cannot be): the Results of
    the dossiers that share a 编号 or a person, the number of dossiers, each suspect's blob."""
    from .snapshot import Stale

    count, dups = snap.meta["count"], snap.meta["dups"]
    if type(count) is not int or type(dups) is not list or not all(type(k) is str for k in dups):
        raise Stale("meta")
    changes, raws = snap.changed_blobs()
    touched: set[str] = set()
    for rel, old, blob in changes:
        prev = snap.get("p" + rel)
        if (prev is None) != (old is None) or (prev is not None and (type(prev) is not list or len(prev) != 2
                                                                   or prev[0] != old or type(prev[1]) is not list)):
            raise Stale("path")
        if prev is not None:
            entry_summary(prev[1])
            for key in _keys(prev[1]):
                snap.put(key, [r for r in _paths(snap, key) if r != rel] or None)
                touched.add(key)
            count -= 1
        if blob is None:
            snap.put("p" + rel, None)
            continue
        entry = summary_entry(summary_bytes(raws[blob]))
        snap.put("p" + rel, [blob, entry])
        for key in _keys(entry):
            snap.put(key, sorted({*_paths(snap, key), rel}))
            touched.add(key)
        count += 1
    held = set(dups)
    for key in touched:
        if len(_paths(snap, key)) > 1:
            held.add(key)
        else:
            held.discard(key)
    snap.meta = {"count": count, "dups": sorted(held)}
    rels = sorted({r for key in held for r in _paths(snap, key)})
    stored = {rel: snap.get("p" + rel) for rel in rels}
    results = [Result(rel, entry_summary(stored[rel][1]), []) for rel in rels]
    return results, count, lambda rel: stored[rel][0] if rel in stored else None


def findings_of(results: list[Result]) -> list[Finding]:
    return [Finding(r.rel, *f) for r in results for f in r.findings]


# What an import writes beside a dossier (forms/importer.py): photos/<编号>.jpg|png, interchange/<编号>.lrmx.xml.
_BESIDE = (("photos", (".jpg", ".jpeg", ".png")), ("interchange", (".lrmx.xml",)))


def leftovers(results: list[Result], root: Path) -> list[Finding]:
    """X003: a photo or .lrmx sidecar whose dossier is gone (transferred out, deleted, renumbered). A number handed
    out again would inherit it — another person's photo on a form — so it is reported until it is moved away."""
    numbers = {Path(r.rel).stem for r in results} | {r.summary["编号"] for r in results if r.summary and r.summary["编号"]}
    out = []
    for folder, suffixes in _BESIDE:
        where = root / folder
        if not where.is_dir():
            continue
        for p in sorted(where.iterdir()):
            suffix = next((s for s in suffixes if p.name.lower().endswith(s)), None)
            if suffix is None or not p.is_file() or p.name.startswith("."):
                continue
            if p.name[: -len(suffix)] not in numbers:
                what = "照片" if folder == "photos" else "任免表附加信息"
                out.append(Finding(f"{folder}/{p.name}", 1, 1, WARNING, "X003",
                                   f"{what}没有对应的档案（档案已转出、删除或改了编号）：请随档案转递或移走，"
                                   "以免以后用到这个编号的人带上它"))
    return out
