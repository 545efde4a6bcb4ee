"""Every generated page and asset of the site, as (path under docs/, content, in navigation?).

Builder-independent: the MkDocs hook (``dangan.site``) turns these into ``File.generated``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ..forms import render_form_html
from ..forms.files import photo_bytes
from ..repo import Repo, blob_id
from . import datafile
from . import people as people_index
from .cache import page_key
from .direct import REVIEW, Direct
from .model import Site, collect
from .pages import dossier, loans, management, review, roster, stats, structure
from .pages.home import HOME, OVERVIEW, home_page, overview_page
from .trail import History

ASSETS = Path(__file__).resolve().parent / "assets"
CSS, JS = "assets/dangan/site.css", "assets/dangan/tables.js"
SEARCH_JS, ROSTER_JS = "assets/dangan/search.js", "assets/dangan/roster.js"
RECENT_COMMITS = 30
FORM_DIR = "form"


def _form(person, as_of: dt.date, codes, photo: bytes | None) -> str | None:
    """The printable 干部任免审批表 with the photo where there is one, family rows left blank
    (the site never publishes family members)."""
    if not (person.readable and person.data):
        return None
    try:
        return render_form_html(person.data, as_of, family=False, photo=photo, codes=codes)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # a dossier too broken to print: its page lists the findings instead


def _entries_of(repo: Repo, site: Site):
    """Which register entries a unit's own site lists: those about its dossiers (``Site.mine``), and those whose
    dossier is not in dossiers/ but was the unit's (transferred out) or was handled by it (a 退回)."""
    from ..review.grade import entry_unit

    present = site.numbers | {n for p in site.withheld for n in (p.number, Path(p.rel).stem)}
    found: dict[str, bool] = {}

    def keep(entry) -> bool:
        number = entry.get("编号") if isinstance(entry, dict) else None
        if site.unit is None or site.mine(number):
            return True
        if not isinstance(entry, dict) or (isinstance(number, str) and number in present):
            return False
        key = number if isinstance(number, str) and number else f"\0{entry.get('经办人')}"
        if key not in found:
            found[key] = entry_unit(repo, entry, site.registered_all) == site.unit
        return found[key]

    return keep


Generated = Iterator[tuple[str, str | bytes, bool]]


def pages(repo: Repo, as_of: dt.date, unit: str | None = None) -> tuple[Site, Generated, Iterator[Direct]]:
    """Every page; with ``unit``, the unit's own site: its dossiers only (``collect``), and of the registers,
    teams, grading and history only what concerns them (``Site.mine``).

    Two streams, read in this order: the pages MkDocs renders (the navigation's, the rosters, the data files),
    then the many pages written from the page shell (direct.py): one per dossier, its form and its 任前审核,
    each with the key of what it is made from and made only when that key changed (one at a time, so that they
    are never all in memory)."""
    site = collect(repo, as_of, unit)
    listed = _entries_of(repo, site)
    made: dict = {"policy": None}  # from the first stream to the second (and Site.cases)
    history = History.load(repo)
    if history:
        site.former_family = history.family_names
        if unit is not None:  # the unit's dossiers' changes, also of those transferred out since
            history = history.only(lambda number: listed({"编号": number}))

    def generate():
        yield HOME, home_page(site), True
        yield OVERVIEW, overview_page(site), True
        yield roster.INDEX, roster.index_page(site), True
        for uri, data in datafile.files(roster.data_uri(None), roster.roster_data(site.people, site, with_unit=True)):
            yield uri, data, False
        yield stats.INDEX, stats.index_page(site), True
        yield from structure.all_pages(repo, site)
        for k, (name, people) in enumerate(site.by_unit(), 1):
            yield roster.unit_page(k), roster.unit_roster_page(site, k, name, people), False
            if people:
                for uri, data in datafile.files(roster.data_uri(k), roster.roster_data(people, site, with_unit=False)):
                    yield uri, data, False
            yield stats.unit_page(k), stats.unit_stats_page(site, k, name, people), False
        yield review.FINDINGS, review.findings_page(site), True
        yield review.ALTERATIONS, review.alterations_page(history and history.unauthorised(), history.undone() if history else []), True
        yield review.CHANGES, review.changes_page(history and history.recent(RECENT_COMMITS), RECENT_COMMITS), True
        yield loans.INDEX, loans.page(repo, as_of, listed), True
        policy, units, notes, scores, reviews, specials = management.compute(repo, as_of, site.checked)
        site.checked = None  # the check results and data as read for the grading: not needed again
        entries = management.intake_entries(repo)
        if site.unit is not None:  # the unit's own grade, its dossiers' scores, reviews and transfers
            units = [u for u in units if u.name == site.unit]
            scores = {n: sc for n, sc in scores.items() if site.mine(n)}
            reviews = [r for r in reviews if site.mine(r.case.number)]
            specials = [s for s in specials if site.mine(s.case.number)]
            entries = [e for e in entries if listed(e)]
        yield management.GRADES, management.grades_page(policy, units, notes, as_of), True
        yield management.INTAKE, management.intake_page(scores, as_of, entries), True
        # a 任前审核 page is made again from its case (direct), and only when what it is made from changed
        site.cases, made["policy"] = [r.case for r in reviews], policy  # their data is packed with their dossier's
        yield management.REVIEWS, management.reviews_page(reviews, as_of), True
        from ..ledgers import SPECIAL, load

        recorded = [e for e in load(repo, SPECIAL).items if site.mine(e.get("编号"))]
        yield review.SPECIAL, review.special_page(specials, recorded, as_of), True
        del specials, reviews, scores
        # a unit's candidates whose dossier it has since transferred out are its own too (as in its history)
        yield management.PENDING, management.pending_page(repo, as_of, lambda n: listed({"编号": n})), True
        yield CSS, (ASSETS / "site.css").read_bytes() + (ASSETS / "layout.css").read_bytes(), False  # widths, print
        yield JS, (ASSETS / "tables.js").read_bytes(), False
        yield SEARCH_JS, (ASSETS / "search.js").read_bytes(), False
        yield ROSTER_JS, (ASSETS / "roster.js").read_bytes(), False
        for uri, content in people_index.shards(site):
            yield uri, content, False

    def direct():
        cache = site.cache
        for person in site.people:
            person = site.unpacked(person)  # its data for its own pages, let go after them
            changes = history and history.dossier(Path(person.rel).stem)
            blob = cache.fresh[person.rel][0]
            photo = photo_bytes(repo, person.data) if person.readable else None
            form_key = page_key(site.engine, blob, "form", photo and blob_id(photo))
            printable = cache.known(person.rel, form_key)  # whether its form can be printed, when known
            form = None
            if printable is None:
                form = _form(person, as_of, site.codes, photo)
                printable = form is not None
                cache.record(person.rel, form_key, printable)
            href = f"../../{FORM_DIR}/{person.number}.html" if printable else None
            key = page_key(site.engine, blob, person.number, person.findings, changes, href)
            yield Direct(dossier.page_uri(person), key,
                         lambda p=person, c=changes, h=href: dossier.dossier_page(p, site, c, form_href=h))
            if printable:
                yield Direct(f"{FORM_DIR}/{person.number}.html", form_key,
                             lambda p=person, f=form, ph=photo: f or _form(p, as_of, site.codes, ph) or "")
        cache.save()
        for c in site.cases:  # a 任前审核 is made from its case alone (review.report.build)
            data = site.data_of(c.rel)
            if data is not None:
                c = replace(c, data=data)
            key = page_key(site.engine, cache.fresh.get(c.rel, ("",))[0], c.number, c.findings, c.alterations,
                           c.bypassed, c.history)
            yield Direct(management.review_uri(c.number), key,
                         lambda c=c: management.review_page_of(c, made["policy"], as_of), REVIEW)

    return site, generate(), direct()
