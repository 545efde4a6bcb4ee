"""The rules of the 领导班子 files.

B1xx (errors, except B109): the file agrees with the dossiers — members exist, names agree, each current
member's 现任职务 names the team's 单位 and the post, posts are in the 职数 table, no one twice. A transfer or
a new post that leaves a team inconsistent is found here (the pre-commit hook runs on dossiers/ and teams/).
B2xx (warnings, or the policy's level): the structure the policy asks of this kind of team (schema/policy.yaml
班子结构): women, 党外, minorities, young cadres, the age echelon, 超职数配备, the 全日制 本科 share.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .. import cachefile, stats
from ..findings import ERROR, WARNING, Finding
from ..load import MAX_BYTES, LoadError, load_bytes
from ..repo import Repo, Skipped, Team

POST_SEPARATORS = "、，,"


def post_parts(title: str, unit: str) -> list[str] | None:
    """The posts a 现任职务 text holds in ``unit`` ("长治市财政局党组成员、副局长" → [党组成员, 副局长]), or None
    when it does not name the unit. A leading 山西省 / 中共 is allowed, as 简历 writes it."""
    if not isinstance(title, str) or unit not in title:
        return None
    rest = title[title.index(unit) + len(unit):]
    for sep in POST_SEPARATORS:
        rest = rest.replace(sep, "、")
    return [p.strip() for p in rest.split("、") if p.strip()]


def holds(title: str, unit: str, post: str) -> bool:
    parts = post_parts(title, unit)
    return bool(parts) and post in parts


@dataclass
class People:
    """The dossiers by 编号 (only what the rules need).

    ``blobs`` (read from the Git index, ``staged``): 编号 → (path, blob id) of the dossiers whose ``by_number`` holds
    only the facts the consistency rules read (姓名, 现任职务); ``complete`` reads the whole of the ones the
    structure rules count."""

    by_number: dict[str, dict]
    blobs: dict[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def read(cls, repo: Repo) -> tuple[People, list]:
        reading = repo.read_all()
        return cls({d.number: d.data for d in reading.dossiers}), reading.skipped

    @classmethod
    def staged(cls, repo: Repo, units: set[str] | None = None, numbers: set[str] | None = None
               ) -> tuple[People, list] | None:
        """The dossiers as the Git index holds them (what the commit will contain); None outside Git.

        Through the team snapshot (``snapshot.Snapshot``: what changed since the last run), only the dossiers the
        rules can read: the members' (``numbers``) and those whose 现任职务 names one of ``units`` (B109); else
        through the sealed facts cache (``Facts``, every staged blob id). Either way a one-dossier commit parses
        one blob, and the findings are those of every dossier read."""
        from ..snapshot import Snapshot, Stale, engine_of, index_tree

        if not (repo.root / ".git").exists():
            return None
        units = {u for u in units or () if isinstance(u, str)}
        tree = index_tree(repo) if units is not None else None
        snap = Snapshot(repo, "team-snapshot", engine_of(*_ENGINE_FILES)) if tree else None
        if snap is not None:
            try:
                snap.open()
                by_number, skipped, whole = _delta(repo, snap, units, numbers or set())
            except (Stale, TypeError, ValueError, KeyError, IndexError, AttributeError):
                snap.start()
            else:
                snap.save(tree)
                return cls(by_number, whole), skipped
        blobs = repo.staged_blobs()
        if blobs is None:
            return None
        facts = Facts(repo)
        by_number, skipped, whole = facts.read(repo, blobs)
        facts.save()
        if snap is not None and facts.rows is not None:
            _fill(snap, facts.rows, units)
            snap.save(tree)
        return cls(by_number, {n: b for n, b in whole.items() if n in by_number}), skipped

    def complete(self, repo: Repo, numbers: set[str]) -> None:
        """Replace the facts of these 编号 by their whole dossiers (the structure rules count age, education…)."""
        wanted = {n: self.blobs.pop(n) for n in sorted(numbers) if n in self.blobs}
        if not wanted:
            return
        raws = repo.read_blobs(sorted({blob for _rel, blob in wanted.values()}))
        for number, (rel, blob) in wanted.items():
            found = _parse(repo, rel, raws.get(blob))
            if isinstance(found, dict):
                self.by_number[number] = found


def _raw(repo: Repo, rel: str, raw: bytes | None) -> bytes:
    """A staged dossier's bytes: its blob, or its file when the blob is not in the object store (a conflict)."""
    if raw is not None:
        return raw
    with (repo.root / rel).open("rb") as fh:
        return fh.read(MAX_BYTES + 1)


def _parse(repo: Repo, rel: str, raw: bytes | None) -> dict | Skipped:
    """A dossier's data as ``Repo.read_all`` reads it, or why it was skipped."""
    try:
        return load_bytes(_raw(repo, rel, raw)[:MAX_BYTES + 1], rel).data
    except LoadError as exc:
        return Skipped(rel, exc.line, exc.col, exc.code, exc.message)


FACTS = ("姓名", "现任职务")  # all the consistency rules read of a dossier


class Facts:
    """``teams check --staged``'s cache (``team-facts.json`` in the state dir): blob id → the facts of that dossier
    (["ok", 姓名, 现任职务]) or why it cannot be read (["skip", line, column, code, message]), sealed like every
    cache (``cachefile``): one that does not verify, or was written by another loader, is ignored, and an entry of
    another shape is read again from its blob. Facts that are not text (or absent) are not kept: the blob is parsed."""

    NAME = "team-facts.json"
    KIND = "team-facts"

    def __init__(self, repo: Repo):
        self.path = repo.cache_dir() / self.NAME
        self.engine = _loader_key()
        self.entries: dict[str, list] = {}
        self.rows: list[tuple[str, str, list]] | None = None  # after ``read``: (path, blob, entry) of each
        self.dirty = False
        stored = cachefile.load(self.path, self.KIND)
        if isinstance(stored, dict) and stored.get("engine") == self.engine and isinstance(stored.get("entries"), dict):
            self.entries = stored["entries"]

    def read(self, repo: Repo, blobs: dict[str, str]) -> tuple[dict[str, dict], list, dict[str, tuple[str, str]]]:
        """(编号 → facts, or the whole data where facts cannot be kept; the skipped; 编号 → (path, blob) of the
        dossiers given as facts), in file order as ``Repo.read_all``: a later file of the same 编号 wins."""
        entries = self.entries
        missing = sorted({b for b in blobs.values() if b not in entries or not _entry_ok(entries[b])})
        raws = repo.read_blobs(missing) if missing else {}
        in_store = set(raws)
        for blob in missing:  # an entry of another shape is never read
            entries.pop(blob, None)
        parsed: dict[str, dict | Skipped] = {}  # only those whose facts are not kept: the rest would be ~30 KB each
        todo = set(missing)
        for rel, blob in blobs.items():
            if blob in todo:
                todo.discard(blob)
                found = _parse(repo, rel, raws.pop(blob, None))
                entry = _entry_of(found) if blob in in_store else None
                if entry is not None:  # a blob's bytes never change: its facts are kept (a file's are not)
                    entries[blob] = entry
                    self.dirty = True
                else:
                    parsed[blob] = found
        by_number: dict[str, dict] = {}
        whole: dict[str, tuple[str, str]] = {}
        skipped: list[Skipped] = []
        rows: list[tuple[str, str, list]] | None = [] if len(in_store) == len(missing) else None
        for rel, blob in blobs.items():
            number = _stem(rel)
            entry = entries.get(blob)
            if rows is not None:
                rows.append((rel, blob, entry if entry is not None else WHOLE))
            if entry is None:  # facts not kept (not text, or a file outside the object store): the whole data
                found = parsed[blob]
                if isinstance(found, Skipped):
                    if found.rel != rel:
                        found = Skipped(rel, found.line, found.col, found.code, found.message)
                    skipped.append(found)
                    continue
                by_number[number] = found
                whole.pop(number, None)
                continue
            if entry[0] == "skip":
                skipped.append(Skipped(rel, *entry[1:]))
                continue
            by_number[number] = dict(zip(FACTS, entry[1:], strict=True))
            whole[number] = (rel, blob)
        if len(entries) > len(blobs) * 2 + 100:  # forget what left long ago (keeps one tree's worth)
            keep = set(blobs.values())
            self.entries = {b: e for b, e in entries.items() if b in keep}
            self.dirty = True
        self.rows = rows
        return by_number, skipped, whole

    def save(self) -> None:
        if self.dirty:
            cachefile.save(self.path, self.KIND, {"engine": self.engine, "entries": self.entries})


WHOLE = ["whole"]  # a snapshot's entry of a dossier whose facts are not text: parsed whenever it is read
_ENGINE_FILES = (Path(__file__).resolve().parents[1] / "load.py", Path(__file__).resolve(),
                 Path(__file__).resolve().parents[1] / "snapshot.py")


# The team snapshot's keys: "p" + path → [blob id, entry] (an entry of ``Facts``, or WHOLE); "n" + 编号 → the sorted
# paths of that 编号. Its meta: "units" (单位 → the sorted paths whose 现任职务 names it), "skipped", "whole" (paths).
def _fill(snap, rows: list[tuple[str, str, list]], units: set[str]) -> None:
    """A fresh snapshot of the whole index (a cold run)."""
    lists: dict[str, list[str]] = {}
    named: dict[str, list[str]] = {u: [] for u in sorted(units)}
    skipped, whole = [], []
    for rel, blob, entry in rows:
        snap.put("p" + rel, [blob, entry])
        lists.setdefault(_stem(rel), []).append(rel)
        if entry[0] == "skip":
            skipped.append(rel)
        elif entry[0] == "whole":
            whole.append(rel)
        elif isinstance(entry[2], str):
            for unit in named:
                if unit in entry[2]:
                    named[unit].append(rel)
    for number, rels in lists.items():
        snap.put("n" + number, rels)
    snap.meta = {"units": named, "skipped": skipped, "whole": whole}


def _rels(value) -> list[str]:
    if type(value) is not list or not all(type(r) is str for r in value):
        raise TypeError("paths")
    return value


def _delta(repo: Repo, snap, units: set[str], numbers: set[str]
           ) -> tuple[dict[str, dict], list, dict[str, tuple[str, str]]]:
    """The snapshot brought up to the index (raises ``Stale`` and the like when it cannot be), then ``Facts.read``'s
    answer for the dossiers of ``numbers`` and those naming ``units``: the only ones the rules look at."""
    from ..snapshot import Stale

    meta = snap.meta
    named, skipped, whole = meta["units"], _rels(meta["skipped"]), _rels(meta["whole"])
    if type(named) is not dict or not units <= set(named):
        raise Stale("units")  # a team of another 单位: the paths naming it are found from the whole index
    named = {u: _rels(r) for u, r in named.items()}
    changes, raws = snap.changed_blobs()
    gone: set[str] = set()
    came: dict[str, list] = {}
    for rel, old, blob in changes:
        prev = snap.get("p" + rel)
        if (prev is None) != (old is None) or (prev is not None and (type(prev) is not list or len(prev) != 2
                                                                   or prev[0] != old)):
            raise Stale("path")
        key = "n" + _stem(rel)
        held = [r for r in _rels(snap.get(key) or []) if r != rel]
        gone.add(rel)
        if blob is None:
            snap.put("p" + rel, None)
            snap.put(key, held or None)
            continue
        found = _parse(repo, rel, raws[blob])
        entry = _entry_of(found) or WHOLE
        snap.put("p" + rel, [blob, entry])
        snap.put(key, sorted([*held, rel]))
        came[rel] = entry
    if gone:
        skipped = [r for r in skipped if r not in gone]
        whole = [r for r in whole if r not in gone]
        named = {u: [r for r in rels if r not in gone] for u, rels in named.items()}
        for rel, entry in came.items():
            if entry[0] == "skip":
                skipped.append(rel)
            elif entry[0] == "whole":
                whole.append(rel)
            else:
                for unit, rels in named.items():
                    if isinstance(entry[2], str) and unit in entry[2]:
                        rels.append(rel)
        skipped, whole = sorted(skipped), sorted(whole)
        named = {u: sorted(rels) for u, rels in named.items()}
        snap.meta = {"units": named, "skipped": skipped, "whole": whole}
    wanted = set(numbers) | {_stem(r) for r in whole} | {_stem(r) for u in units for r in named[u]}
    rels = sorted({r for n in wanted for r in _rels(snap.get("n" + n) or [])} | set(skipped))
    rows = []
    for rel in rels:
        stored = snap.get("p" + rel)
        if type(stored) is not list or len(stored) != 2 or not (stored[1] == WHOLE or _entry_ok(stored[1])):
            raise Stale("entry")
        rows.append((rel, stored[0], stored[1]))
    parse = [(rel, blob) for rel, blob, entry in rows if entry == WHOLE]
    data = repo.read_blobs(sorted({b for _r, b in parse}))
    parsed = {rel: _parse(repo, rel, data.get(blob)) for rel, blob in parse}
    by_number: dict[str, dict] = {}
    found_whole: dict[str, tuple[str, str]] = {}
    out_skipped: list[Skipped] = []
    for rel, blob, entry in rows:
        number = _stem(rel)
        if entry[0] == "skip":
            out_skipped.append(Skipped(rel, *entry[1:]))
            continue
        if entry == WHOLE:
            got = parsed[rel]
            if isinstance(got, Skipped):
                out_skipped.append(got)
                continue
            by_number[number] = got
            found_whole.pop(number, None)
            continue
        by_number[number] = dict(zip(FACTS, entry[1:], strict=True))
        found_whole[number] = (rel, blob)
    return by_number, out_skipped, found_whole


def _stem(rel: str) -> str:
    """``Path(rel).stem`` (the 编号 of a dossier's path), without a Path per file (50,000 of them cost 0.4 s)."""
    name = rel[rel.rfind("/") + 1:]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _entry_ok(entry) -> bool:
    """An entry this code wrote (a verified cache can still hold another shape: it is read again)."""
    if type(entry) is not list or not entry:
        return False
    if entry[0] == "ok":
        return len(entry) == 1 + len(FACTS) and all(v is None or type(v) is str for v in entry[1:])
    if entry[0] == "skip":
        return (len(entry) == 5 and type(entry[1]) is int and type(entry[2]) is int and type(entry[3]) is str
                and type(entry[4]) is str)
    return False


def _entry_of(found: dict | Skipped) -> list | None:
    if isinstance(found, Skipped):
        return ["skip", found.line, found.col, found.code, found.message]
    if not isinstance(found, dict):
        return None
    values = [found.get(k) for k in FACTS]
    if not all(v is None or type(v) is str for v in values):
        return None  # not text: parsed each time, never guessed
    return ["ok", *values]


def _loader_key() -> str:
    """What the facts depend on: this version and the loader."""
    from .. import __version__

    h = hashlib.sha1(__version__.encode())
    h.update((Path(__file__).resolve().parents[1] / "load.py").read_bytes())
    return h.hexdigest()


def kind_of(repo: Repo, team: Team) -> dict | None:
    kinds = repo.policy.get("班子结构", default={}) or {}
    rule = kinds.get(team.data.get("类别"))
    return rule if isinstance(rule, dict) else None


def consistency(repo: Repo, team: Team, people: People) -> list[Finding]:
    out: list[Finding] = []
    data, rel, doc = team.data, team.rel, team.doc

    def at(path, severity, code, message, key=False):
        line, col = doc.mark(path, key=key)
        out.append(Finding(rel, line, col, severity, code, message))

    unit = data.get("单位")
    if team.path.stem != unit:
        at(("单位",), ERROR, "B108", f"文件名应为 teams/{unit}.yaml（与“单位”一致），现为 {team.path.name}")
    kinds = repo.policy.get("班子结构", default={}) or {}
    if data.get("类别") not in kinds:
        at(("类别",), ERROR, "B107", f"班子类别“{data.get('类别')}”不在政策文件“班子结构”中（可写：{'、'.join(kinds) or '无'}）")
    posts = data.get("职数") or {}
    seen: dict[str, int] = {}
    orders: dict[int, int] = {}
    for i, m in team.members():
        number, post = str(m.get("编号")), m.get("职务")
        start, end = m.get("任职时间"), m.get("离任时间")
        if end is not None and end < start:
            at(("成员", i, "离任时间"), ERROR, "B106", f"离任时间 {end} 早于任职时间 {start}")
        if post not in posts:
            at(("成员", i, "职务"), ERROR, "B104", f"职务“{post}”不在本班子的“职数”中（{'、'.join(posts)}）")
        person = people.by_number.get(number)
        if end is not None:  # a former member: the dossier may have left long ago
            if person is not None and person.get("姓名") != m.get("姓名"):
                at(("成员", i, "姓名"), ERROR, "B102", f"{number} 的档案姓名是“{person.get('姓名')}”，这里写“{m.get('姓名')}”")
            continue
        if number in seen:
            at(("成员", i, "编号"), ERROR, "B105", f"{number} 在现任成员中出现两次（另见第 {seen[number] + 1} 项）")
        seen.setdefault(number, i)
        if m.get("排序") in orders:
            at(("成员", i, "排序"), ERROR, "B105", f"排序 {m.get('排序')} 与第 {orders[m.get('排序')] + 1} 项重复")
        orders.setdefault(m.get("排序"), i)
        if person is None:
            at(("成员", i, "编号"), ERROR, "B101",
               f"现任成员 {number}（{m.get('姓名')}）的档案不在 dossiers/ 中：已转出或编号写错；离任的请填写离任时间")
            continue
        if person.get("姓名") != m.get("姓名"):
            at(("成员", i, "姓名"), ERROR, "B102", f"{number} 的档案姓名是“{person.get('姓名')}”，这里写“{m.get('姓名')}”")
        title = person.get("现任职务")
        if not holds(title, unit, post):
            at(("成员", i, "职务"), ERROR, "B103",
               f"{number} {m.get('姓名')} 的现任职务是“{title}”，不是{unit}{post}：任免后请同时改班子文件（离任写离任时间）")
    members = set(seen)
    for number, person in people.by_number.items():
        parts = post_parts(person.get("现任职务"), unit) if number not in members else None
        hit = [p for p in parts or [] if p in posts]
        if hit:
            at(("成员",), WARNING, "B109", f"{number} {person.get('姓名')} 的现任职务“{person.get('现任职务')}”是本班子的"
                                          f"{hit[0]}，但不在现任成员中", key=True)
    return out


@dataclass(frozen=True)
class Gap:
    code: str
    severity: str
    message: str


def structure(repo: Repo, team: Team, people: list[dict], day: dt.date, ctx: stats.Ctx | None = None) -> list[Gap]:
    """The structure gaps of a team's members (dossier mappings, already as of ``day``) against its kind's rules."""
    rule = kind_of(repo, team)
    if rule is None:
        return []
    ctx = ctx or stats.ctx_of(repo, day, teams=False)
    n = len(people)
    out: list[Gap] = []
    kind = team.data.get("类别")

    def want(key: str, code: str, what: str, count: int):
        need = rule.get(key)
        if isinstance(need, int) and count < need:
            out.append(Gap(code, WARNING, f"{what} {count} 名，{kind}要求至少 {need} 名"))

    want("女干部", "B201", "女干部", sum(stats.value(d, "性别") == "女" for d in people))
    want("党外干部", "B202", "党外干部", sum(stats.value(d, "政治面貌") not in stats.PARTY for d in people))
    want("少数民族干部", "B203", "少数民族干部", sum(stats.value(d, "民族") not in ("汉族", stats.NONE) for d in people))
    young = rule.get("年轻干部")
    if isinstance(young, dict):
        limit = young.get("年龄不超过")
        count = sum(1 for d in people if (a := stats.age(d, day)) is not None and a <= limit)
        if count < young.get("人数", 0):
            out.append(Gap("B204", WARNING, f"{limit} 岁及以下的年轻干部 {count} 名，{kind}要求至少 {young['人数']} 名"))
    most = rule.get("年龄段每段不超过")
    if isinstance(most, int):
        for band, k in stats.categories(stats.FIELDS["年龄段"], people, ctx):
            if k > most and band != stats.NONE:
                out.append(Gap("B205", WARNING, f"年龄段 {band} 有 {k} 人，超过每段 {most} 人（老中青梯次配备）"))
    posts = team.data.get("职数") or {}
    month = day.year * 12 + day.month - 1
    held: dict[str, int] = {}
    for m in team.members_on(month):
        held[m.get("职务")] = held.get(m.get("职务"), 0) + 1
    level = ERROR if rule.get("超职数") == ERROR else WARNING
    for post, quota in posts.items():
        if held.get(post, 0) > quota:
            out.append(Gap("B206", level, f"{post}实有 {held[post]} 名，超过核定职数 {quota} 名（超职数配备）"))
    floor = rule.get("全日制本科及以上不低于")
    if isinstance(floor, (int, float)) and n:
        full = sum(1 for d in people if (stats.highest_education(d, ctx.codes, "全日制") or (0,))[0] >= 6)
        if 100 * full / n < floor:
            out.append(Gap("B207", WARNING, f"全日制大学本科及以上 {full}/{n}（{stats.share(full, n)}），低于 {floor:g}%"))
    return out


def vacancies(team: Team, day: dt.date) -> list[tuple[str, int]]:
    """(post, how many places are empty) on that day."""
    month = day.year * 12 + day.month - 1
    held: dict[str, int] = {}
    for m in team.members_on(month):
        held[m.get("职务")] = held.get(m.get("职务"), 0) + 1
    return [(p, q - held.get(p, 0)) for p, q in (team.data.get("职数") or {}).items() if held.get(p, 0) < q]


class Gaps:
    """The structure gaps (B2xx) of each team as last worked out, by what they depend on: the code, the schema and
    the policy, the day (``Repo.engine_key``), the team file's bytes and the blob of each member in office
    (``team-gaps.json`` in the state dir, sealed like every cache): the members' whole dossiers are parsed only
    when one of these changed."""

    NAME = "team-gaps.json"
    KIND = "team-gaps"

    def __init__(self, repo: Repo, day: dt.date):
        self.path = repo.cache_dir() / self.NAME
        self.engine = repo.engine_key(day)
        self.gaps: dict[str, list[Gap]] = {}
        self.dirty = False
        stored = cachefile.load(self.path, self.KIND)
        if isinstance(stored, dict) and isinstance(stored.get(self.engine), dict):
            for key, found in stored[self.engine].items():
                if type(found) is list and all(type(g) is list and len(g) == 3 and all(type(x) is str for x in g)
                                               for g in found):
                    self.gaps[key] = [Gap(*g) for g in found]

    def key(self, team: Team, people: People, month: int) -> str | None:
        """What the team's gaps depend on besides the engine; None when a member's dossier has no blob here."""
        h = hashlib.sha1(team.rel.encode("utf-8", "surrogateescape") + b"\0" + team.doc.raw)
        for m in team.members_on(month):
            number = str(m.get("编号"))
            if number in people.blobs:
                h.update(b"\0" + number.encode() + b"=" + people.blobs[number][1].encode())
            elif number not in people.by_number:
                h.update(b"\0" + number.encode() + b"-")
            else:
                return None  # a dossier read whole (not text where the facts are): worked out every time
        return h.hexdigest()

    def put(self, key: str, gaps: list[Gap]) -> None:
        self.gaps[key] = gaps
        self.dirty = True

    def save(self, keys: set[str | None]) -> None:
        if self.dirty or set(self.gaps) - keys:
            cachefile.save(self.path, self.KIND, {self.engine: {k: [[g.code, g.severity, g.message] for g in v]
                                                               for k, v in self.gaps.items() if k in keys}})


def check(repo: Repo, day: dt.date, staged: bool = False) -> tuple[list[Finding], int, list]:
    """Every team file: load and schema problems, consistency (B1xx) and structure (B2xx) as of ``day``;
    ``staged``: the team files and the dossiers as the Git index holds them (the files outside Git).

    Returns (findings, files, skipped dossiers)."""
    reading = repo.read_teams(staged=staged)
    out = list(reading.problems)
    if not reading.files:
        return out, 0, []
    month = day.year * 12 + day.month - 1
    found_staged = People.staged(repo, {t.data.get("单位") for t in reading.teams},
                                 {str(m.get("编号")) for t in reading.teams for _i, m in t.members()}) if staged else None
    people, skipped = found_staged or People.read(repo)
    known = Gaps(repo, day) if found_staged is not None else None
    keys = {team.rel: known.key(team, people, month) for team in reading.teams} if known else {}
    people.complete(repo, {str(m.get("编号")) for team in reading.teams for m in team.members_on(month)
                           if known is None or keys[team.rel] not in known.gaps})
    ctx: stats.Ctx | None = None
    for team in reading.teams:
        found = consistency(repo, team, people)
        out += found
        key = keys.get(team.rel)
        gaps = known.gaps.get(key) if known is not None and key is not None else None
        if gaps is None:
            members = [people.by_number[str(m.get("编号"))] for m in team.members_on(month)
                       if str(m.get("编号")) in people.by_number]
            ctx = ctx or stats.ctx_of(repo, day, teams=False)
            gaps = structure(repo, team, members, day, ctx)
            if known is not None and key is not None:
                known.put(key, gaps)
        line, col = team.doc.mark(("类别",))
        out += [Finding(team.rel, line, col, g.severity, g.code, g.message) for g in gaps]
    if known is not None:
        known.save(set(keys.values()))
    return out, reading.files, skipped
