"""Review and management: 任前审核 (``review``), new-dossier scoring (``review.score``), unit grading (``review.grade``).

``gather`` collects everything one dossier's review needs once (the file, its check findings, its Git
trail) so the three commands judge the same facts the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..check import check_files, findings_of, make_context
from ..findings import Finding
from ..packed import unpack
from ..repo import Repo


@dataclass
class Alteration:
    """One field changed by one commit, as the trail judged it."""

    date: str
    commit: str
    author: str
    label: str
    old: object
    new: object
    protected: bool
    unauthorised: bool
    basis: str
    path: tuple = ()  # the field's path, e.g. ("认定记录", 0): what tells a family member's change
    undone: str = ""  # undone later, or the undoing of one: what the trail says (not open either way)


@dataclass
class Case:
    number: str
    rel: str
    data: dict
    findings: list[Finding]
    alterations: list[Alteration] = field(default_factory=list)
    bypassed: list[str] = field(default_factory=list)  # commits whose version failed the check (hook skipped)
    history: bool = True  # False: no readable Git history
    packed: bytes | None = None  # its whole data (packed.pack) when ``data`` is the light part (the site build)

    @property
    def unauthorised(self) -> list[Alteration]:
        return [a for a in self.alterations if a.unauthorised]

    def key_facts(self, policy) -> list:
        """The key facts (review.keyfacts), worked out once per case and policy: the score, the 任前审核 and the
        专项审核 of one case all read them (three times the same work on every site build otherwise)."""
        memo = self.__dict__.get("_facts")
        if memo is None or memo[0] is not policy:
            from .keyfacts import key_facts

            memo = self.__dict__["_facts"] = (policy, key_facts(self.data, policy))
        return memo[1]

    def forget(self) -> None:
        """Drop the key facts worked out (``key_facts``): memory, when many cases are kept for later."""
        self.__dict__.pop("_facts", None)

    @contextmanager
    def opened(self) -> Iterator[Case]:
        """The case with its whole data while the block runs, when it holds only the light part (``packed``);
        then the light part again, and the key facts worked out meanwhile let go."""
        if self.packed is None:
            yield self
            return
        light, self.data = self.data, unpack(self.packed)
        try:
            yield self
        finally:
            self.data = light
            self.forget()


def alterations_of(repo: Repo, number: str) -> tuple[list[Alteration], list[str], bool]:
    """From HEAD's whole (indexed) history, not ``trail``: only the history scan checks each version,
    which is what shows a commit that skipped the pre-commit hook."""
    alterations, bypassed, history = trail_index(repo)
    return alterations.get(number, []), bypassed.get(number, []), history


def gather(repo: Repo, number: str, as_of: dt.date | None, ctx=None, trail: bool = True) -> Case:
    path = repo.dossier(number)
    ctx = ctx or make_context(repo, as_of)
    findings = findings_of(check_files(repo, [path], ctx))
    reading = repo.read_all([path])  # an unreadable dossier is judged on its findings (L…), with no data
    data = reading.dossiers[0].data if reading.dossiers else {}
    stem = path.stem
    case = Case(stem, repo.rel(path), data, findings)
    if trail:
        case.alterations, case.bypassed, case.history = alterations_of(repo, stem)
    return case


def trail_index(repo: Repo) -> tuple[dict[str, list[Alteration]], dict[str, list[str]], bool]:
    """Every dossier's alterations and hook-bypassing commits from one pass over HEAD's history."""
    from ..history import api
    from ..history.render import verdict

    if not api.available(repo):
        return {}, {}, False
    alterations: dict[str, list[Alteration]] = {}
    bypassed: dict[str, list[str]] = {}
    for record in api.history(repo):
        for d in record.dossiers:
            if d.failures:
                bypassed.setdefault(d.number, []).append(f"{record.short} {record.date}")
            where = ("（转入，与本库曾保存的此人档案相比）" if d.received else "（重新进入档案库，与本库最后保存的版本相比）"
                     ) if d.event == "return" else ""
            for c in d.changes:
                alterations.setdefault(d.number, []).append(
                    Alteration(record.date, record.short, record.author, c.label + where, c.old, c.new, c.protected,
                               c.unauthorised, c.basis, c.path,
                               verdict(c).split("：", 1)[0] if c.undone_by or c.undoes else ""))
            if d.intake:  # T007: what entered is not the file received
                alterations.setdefault(d.number, []).append(
                    Alteration(record.date, record.short, record.author, "转入的档案文件", "接收时的文件",
                               "与接收时不同的文件", True, True, d.intake))
    return alterations, bypassed, True


def gather_all(repo: Repo, as_of: dt.date | None, ctx=None, known=None) -> list[Case]:
    """Every dossier of the repository as a Case (one check run, one history pass).

    ``known``: (paths, their check results, rel → data, rel → packed data) when the caller has read and checked
    them already (the site build), so that they are not read and parsed twice; with packed data, ``data`` is the
    light part (``Case.opened``)."""
    ctx = ctx or make_context(repo, as_of)
    if known is None:
        paths = repo.dossiers()
        results = check_files(repo, paths, ctx)
        data_of, packed = None, {}
    else:
        paths, results, data_of, packed = known
    alterations, bypassed, history = trail_index(repo)
    if data_of is None:  # unreadable ones: judged on their L… findings
        data_of = {d.rel: d.data for d in repo.read_all(paths).dossiers}
    cases = []
    for path, result in zip(paths, results, strict=True):
        stem = path.stem
        cases.append(Case(stem, result.rel, data_of.get(result.rel, {}), findings_of([result]),
                          alterations.get(stem, []), bypassed.get(stem, []), history, packed.get(result.rel)))
    return cases
