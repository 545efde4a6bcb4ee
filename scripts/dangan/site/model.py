"""What the site knows: every dossier (loaded once by ``load``), its findings, the policy and codes.

The findings come from the same pipeline as ``dangan check`` (cached by blob id), once per build.

A unit's own site (``dangan site --unit``, ``collect(…, unit=…)``) is filtered here, by construction: ``people``
holds only the dossiers whose 管档单位 is that unit, and every page that reads beyond the dossiers (registers,
teams, grading, history) keeps only what ``Site.mine`` says is the unit's. The other dossiers are kept aside
as ``withheld`` (编号 and 姓名 only), for the post-build leak scan and nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import privacy
from ..check import check_files, cross_file, findings_of, make_context
from ..codes import CodeTables
from ..dates import age_at, month_index
from ..findings import Finding, sort_key
from ..packed import light, unpack
from ..repo import Repo
from ..strokes import CONVENTIONS, SURNAME_FIRST, name_key
from .cache import SiteCache
from .html import slug

NO_UNIT, UNREADABLE = "（未填写管档单位）", "（无法读取的文件）"
OTHER = "（另一管档单位的档案）"  # how a unit's own site names a dossier it does not hold
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9]{3,15}(?![A-Za-z0-9])")  # the shape of a 编号


def _s(value) -> str:
    return value if isinstance(value, str) else ""


@dataclass
class Person:
    """One dossier file as the site shows it. ``data`` is {} when the file cannot be read."""

    rel: str
    number: str  # the page address: the 编号 when it is a plain one, else the file name's stem
    name: str
    unit: str
    data: dict  # light (packed.Light) while every dossier is held; the whole of it for its own pages (Site.unpacked)
    readable: bool = True
    findings: list[Finding] = field(default_factory=list)
    pages: int = 0  # of its 档案目录 (页数 summed)
    family: tuple[str, ...] = ()  # the names of its family members (privacy.family_names): none may be published

    @property
    def url(self) -> str:
        """Relative to the site root, with a trailing slash (use_directory_urls)."""
        return f"dossier/{self.number}/"

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    def age(self, as_of: dt.date) -> int | None:
        birth = month_index(self.data.get("出生年月"))
        return None if birth is None else age_at(birth, as_of)


@dataclass
class Site:
    as_of: dt.date
    people: list[Person]  # in roster order (姓氏笔画)
    registered: list[str]  # 管档单位 in the policy file, in its order
    convention: str
    age_bands: list[dict]
    codes: CodeTables
    engine: str = ""  # what every page depends on besides its dossier (Repo.engine_key)
    cache: SiteCache | None = None
    former_family: set[str] = field(default_factory=set)  # names once in a 家庭成员 (from the Git history)
    unit: str | None = None  # a unit's own site: only this 管档单位's dossiers were collected
    withheld: list[Person] = field(default_factory=list)  # the other dossiers of a unit's site: never shown
    numbers: set[str] = field(default_factory=set)  # every 编号 (and file stem) of ``people``
    registered_all: list[str] = field(default_factory=list)  # the policy's 管档单位 (``registered``: the unit's)
    # (every dossier path, its check result, rel → light data, rel → packed data): for review.gather_all
    checked: tuple | None = None
    packed: dict[str, bytes] = field(default_factory=dict)  # rel → its whole data (packed.pack)
    cases: list = field(default_factory=list)  # review.Case of each 任前审核 page still to make (build.direct)

    def data_of(self, rel: str) -> dict | None:
        """A dossier's whole data (a fresh copy), None when it could not be read."""
        packed = self.packed.get(rel)
        return None if packed is None else unpack(packed)

    def unpacked(self, person: Person) -> Person:
        data = self.data_of(person.rel)
        return person if data is None else replace(person, data=data)

    def mine(self, number) -> bool:
        """Whether a register entry, a team member or a change about this 编号 may be shown: always on the
        whole site; on a unit's site only when the 编号 is one of the unit's dossiers."""
        return self.unit is None or (isinstance(number, str) and number in self.numbers)

    @property
    def errors(self) -> int:
        return sum(p.errors for p in self.people)

    @property
    def warnings(self) -> int:
        return sum(p.warnings for p in self.people)

    @property
    def pages(self) -> int:
        return sum(p.pages for p in self.people)

    def by_unit(self, keep_empty: bool = True) -> list[tuple[str, list[Person]]]:
        """Registered units in policy order (also those without dossiers), then any others; roster order within."""
        groups: dict[str, list[Person]] = {u: [] for u in self.registered}
        for person in self.people:
            groups.setdefault(person.unit, []).append(person)
        extra = sorted(u for u in groups if u not in self.registered and u not in (NO_UNIT, UNREADABLE))
        order = [*self.registered, *extra, *(u for u in (NO_UNIT, UNREADABLE) if u in groups)]
        return [(u, groups[u]) for u in order if keep_empty or groups[u]]

    def unit_index(self) -> dict[str, int]:
        """管档单位 → its number in page addresses (roster/unit-3/): addresses never carry a name."""
        return {u: k for k, (u, _) in enumerate(self.by_unit(), 1)}

    def family_names(self) -> set[str]:
        """Every family member's name, in any dossier now or ever in its history: none may appear in the output."""
        out = set(self.former_family)
        for person in self.people:
            out.update(person.family)
        return {n for n in out if len(n) >= 2}


def _person(rel: str, data: dict | None) -> Person:
    """From the whole data as read: its light part is kept (``packed``), its pages and family names worked out;
    its page address is settled by ``_numbered``."""
    readable = isinstance(data, dict)
    data = data if isinstance(data, dict) else {}
    number = slug(data.get("编号")) or slug(Path(rel).stem) or ""
    unit = _s(data.get("管档单位")).strip() or (NO_UNIT if readable else UNREADABLE)
    catalog = data.get("档案目录")
    pages = sum(e["页数"] for e in catalog if isinstance(e, dict) and type(e.get("页数")) is int and e["页数"] > 0) \
        if isinstance(catalog, list) else 0
    return Person(rel, number, _s(data.get("姓名")), unit, light(data), readable, pages=pages,
                  family=tuple(privacy.family_names(data)))


def _numbered(people: list[Person]) -> None:
    """Each page address once, in path order: a duplicated 编号 (X001) still gets a page of its own."""
    taken: set[str] = set()
    for p in people:
        number = p.number or f"file{len(taken) + 1}"
        while number in taken:
            number += "x"
        taken.add(number)
        p.number = number


def _numbers(people: list[Person]) -> set[str]:
    out = set()
    for p in people:
        out |= {p.number, Path(p.rel).stem}
        if isinstance(p.data.get("编号"), str):
            out.add(p.data["编号"])
    return out


def _withheld(p: Person) -> Person:
    number = p.data.get("编号")
    return Person(p.rel, number if isinstance(number, str) and number else Path(p.rel).stem, p.name, p.unit, {},
                  p.readable)


def _redacted(finding: Finding, files: list[str], numbers: set[str]) -> Finding:
    """A cross-file finding names the other dossier (X001, X002 its file; X004–X006 the 正本 of a 副本 by 编号): on
    a unit's site another unit's dossier is not named."""
    message = finding.message
    for rel in files:
        if rel in message:
            message = message.replace(rel, OTHER)
    message = _TOKEN.sub(lambda m: OTHER if m.group() in numbers else m.group(), message)
    return finding if message == finding.message else replace(finding, message=message)


def collect(repo: Repo, as_of: dt.date, unit: str | None = None) -> Site:
    """Every dossier of the repository; with ``unit``, only those whose 管档单位 is that unit."""
    ctx = make_context(repo, as_of)
    registered = [u for u in ctx.policy.get("管档单位", default=[]) or [] if isinstance(u, str)]
    if unit is not None and unit not in registered:
        raise ValueError(f"管档单位“{unit}”没有在政策文件中登记（已登记：{'、'.join(registered) or '无'}）")
    paths = repo.dossiers()
    results = check_files(repo, paths, ctx, use_cache=True)
    cache = SiteCache(repo)
    rels = {repo.rel(p): p for p in paths}
    read = {rel: _person(rel, data) for rel, data in cache.read(rels)}  # shard by shard
    people = [read[rel] for rel in rels]
    del read
    _numbered(people)
    packed = {rel: b for rel in rels if (b := cache.packed(rel)) is not None}
    checked = (paths, results, {p.rel: p.data for p in people if p.readable}, packed)
    withheld = []
    if unit is not None:
        withheld = [_withheld(p) for p in people if p.unit != unit]
        people = [p for p in people if p.unit == unit]
    others = [p.rel for p in withheld]
    hidden = {n for p in withheld for n in (p.number, Path(p.rel).stem)} - _numbers(people)
    by_rel = {p.rel: p for p in people}
    for finding in sorted(findings_of(results) + cross_file(results, repo.root), key=sort_key):
        if finding.path in by_rel:
            by_rel[finding.path].findings.append(_redacted(finding, others, hidden) if others else finding)
    convention = ctx.policy.get("花名册排序", default=SURNAME_FIRST)
    if convention not in CONVENTIONS:
        convention = SURNAME_FIRST
    people.sort(key=lambda p: (name_key(p.name, convention), p.number))
    everyone = registered
    if unit is not None:
        registered = [unit]
    bands = [b for b in ctx.policy.get("年龄分段", default=[]) or [] if isinstance(b, dict)]
    return Site(as_of, people, registered, convention, bands, repo.codes,
                repo.engine_key(as_of), cache, unit=unit, withheld=withheld, numbers=_numbers(people), registered_all=everyone, checked=checked,
                packed=packed)
