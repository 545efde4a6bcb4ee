"""The manual's search over file://: Material's search runs in a web worker, which a page opened from disk
cannot start, so the box would find people only. After the build its index (search/search_index.json) is
written again as a data script, assets/dangan/manual.js, without markup or jieba's word breaks; search.js
runs it and searches the manual itself (substring match: Chinese needs no word segmentation for that).

Over http Material's own search is used and this file is not read. Only authored pages are in the index
(every generated page is excluded from it, html.unsearched), so nothing from a dossier reaches the file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import datafile
from .html import visible

URI = "assets/dangan/manual.json"  # the registry key "manual"; only the .js twin is written
_SPACE = re.compile(r"\s+")


def plain(text: str) -> str:
    """Search-index text as a reader sees it (html.visible), on one line."""
    return _SPACE.sub(" ", visible(text)).strip()


def entries(index: dict) -> list[list[str]]:
    """[location, section title, text] for every section of the index."""
    out = []
    for doc in index.get("docs", []):
        location, title = str(doc.get("location", "")), plain(str(doc.get("title", "")))
        text = plain(str(doc.get("text", "")))
        if title or text:
            out.append([location, title, text])
    return out


def write(site_dir: Path) -> Path | None:
    """Write assets/dangan/manual.js from the search plugin's index (None: the site has no index)."""
    source = site_dir / "search" / "search_index.json"
    if not source.is_file():
        return None
    index = json.loads(source.read_text("utf-8"))
    path = site_dir / URI.removesuffix(".json")
    target = path.with_suffix(".js")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(datafile.script(URI, datafile.dump(entries(index))), "utf-8")
    return target
