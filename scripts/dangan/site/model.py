"""What the site knows: every dossier (loaded once by ``load``), its findings, the policy and codes.

The findings come from the same pipeline as ``dangan check`` (cached by blob id), once per build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import privacy
from ..check import check_files, cross_file, findings_of, make_context
from ..codes import CodeTables
from ..dates import age_at, month_index
from ..findings import Finding, sort_key
from ..repo import Repo
from ..strokes import CONVENTIONS, SURNAME_FIRST, name_key
from .cache import SiteCache
from .html import slug

NO_UNIT, UNREADABLE = "（未填写管档单位）", "（无法读取的文件）"


def _s(value) -> str:
    return value if isinstance(value, str) else ""


@dataclass
class Person:
    """One dossier file as the site shows it. ``data`` is {} when the file cannot be read."""

    rel: str
    number: str  # the page address: the 编号 when it is a plain one, else the file name's stem
    name: str
    unit: str
    data: dict
    readable: bool = True
    findings: list[Finding] = field(default_factory=list)

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

    @property
    def pages(self) -> int:
        catalog = self.data.get("档案目录")
        if not isinstance(catalog, list):
            return 0
        return sum(e["页数"] for e in catalog
                   if isinstance(e, dict) and type(e.get("页数")) is int and e["页数"] > 0)

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
            out |= privacy.family_names(person.data)
        return {n for n in out if len(n) >= 2}


def _person(repo: Repo, path: Path, taken: set[str], cache: SiteCache) -> Person:
    rel = repo.rel(path)
    data = cache.data(rel, path)
    readable = isinstance(data, dict)
    if not readable:
        data = {}
    number = slug(data.get("编号")) or slug(path.stem) or f"file{len(taken) + 1}"
    while number in taken:  # a duplicated 编号 (X001) still gets a page of its own
        number += "x"
    taken.add(number)
    unit = _s(data.get("管档单位")).strip() or (NO_UNIT if readable else UNREADABLE)
    return Person(rel, number, _s(data.get("姓名")), unit, data, readable)


def collect(repo: Repo, as_of: dt.date) -> Site:
    ctx = make_context(repo, as_of)
    paths = repo.dossiers()
    results = check_files(repo, paths, ctx, use_cache=True)
    taken: set[str] = set()
    cache = SiteCache(repo)
    people = [_person(repo, p, taken, cache) for p in paths]
    by_rel = {p.rel: p for p in people}
    for finding in sorted(findings_of(results) + cross_file(results, repo.root), key=sort_key):
        if finding.path in by_rel:
            by_rel[finding.path].findings.append(finding)
    convention = ctx.policy.get("花名册排序", default=SURNAME_FIRST)
    if convention not in CONVENTIONS:
        convention = SURNAME_FIRST
    people.sort(key=lambda p: (name_key(p.name, convention), p.number))
    registered = [u for u in ctx.policy.get("管档单位", default=[]) or [] if isinstance(u, str)]
    bands = [b for b in ctx.policy.get("年龄分段", default=[]) or [] if isinstance(b, dict)]
    return Site(as_of, people, registered, convention, bands, repo.codes,
                repo.engine_key(as_of), cache)
