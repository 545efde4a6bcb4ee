"""Every generated page and asset of the site, as (path under docs/, content, in navigation?).

Builder-independent: the MkDocs hook (``dangan.site``) turns these into ``File.generated``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from ..repo import Repo
from .cache import page_key
from .model import Site, collect
from .pages import dossier, review, roster, stats
from .pages.home import HOME, OVERVIEW, home_page, overview_page
from .trail import History

ASSETS = Path(__file__).resolve().parent / "assets"
CSS, JS = "assets/dangan/site.css", "assets/dangan/tables.js"
RECENT_COMMITS = 30


def pages(repo: Repo, as_of: dt.date) -> tuple[Site, Iterator[tuple[str, str | bytes, bool]]]:
    site = collect(repo, as_of)
    history = History.load(repo)

    def generate():
        yield HOME, home_page(site), True
        yield OVERVIEW, overview_page(site), True
        yield roster.INDEX, roster.index_page(site), True
        yield stats.INDEX, stats.index_page(site), True
        for k, (unit, people) in enumerate(site.by_unit(), 1):
            yield roster.unit_page(k), roster.unit_roster_page(site, k, unit, people), False
            yield stats.unit_page(k), stats.unit_stats_page(site, k, unit, people), False
        yield review.FINDINGS, review.findings_page(site), True
        yield review.ALTERATIONS, review.alterations_page(history and history.unauthorised()), True
        yield review.CHANGES, review.changes_page(history and history.recent(RECENT_COMMITS), RECENT_COMMITS), True
        for person in site.people:
            changes = history and history.dossier(Path(person.rel).stem)
            key = page_key(site.engine, site.cache.fresh[person.rel][0], person.number, person.findings, changes)
            page = site.cache.page(person.rel, key, lambda p=person, c=changes: dossier.dossier_page(p, site, c))
            yield dossier.page_uri(person), page, False
        site.cache.save()
        yield CSS, (ASSETS / "site.css").read_bytes(), False
        yield JS, (ASSETS / "tables.js").read_bytes(), False

    return site, generate()
