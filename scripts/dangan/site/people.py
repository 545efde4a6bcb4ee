"""The people search index: small JSON shards the search box (assets/search.js) loads as needed.

Material's search (lunr, words cut by jieba at build time and not at query time) cannot find a
two-character name among thousands; the site therefore keeps dossiers out of it and ships its own index:

- ``people/index.json``: the manifest (shard counts, chunk size) and every 管档单位 with its roster page.
- ``people/n-<k>.json``: everyone whose name (normalised) starts with the same two characters in shard k
  (FNV-1a of those two characters): an exact name is one shard, and all people of that name are in it.
- ``people/id-<k>.json``: by the number in the 编号 (C000023 and 000023 and 23 are the same person):
  k = that number // ``NUMBER_SHARD``; an 编号 of another shape goes to ``id-x.json``.
- ``people/t-<k>.json``: every two-character piece (bigram) of 姓名, 管档单位, 现任职务 and the names of
  能力档案/考察 items → the people holding it, as runs of ids (people are numbered in 管档单位 and 现任职务
  order, so one unit's people are one run); k = FNV-1a of the bigram.
- ``people/r-<k>.json``: the people themselves by id, ``CHUNK`` to a file, for the text hits.

Each file also as ``.js`` (datafile.py): search.js reads those over file://, where fetch is refused.

A person is [编号, 姓名, 管档单位, 现任职务, extra]: no 身份证号 (anything shaped like one is masked), no
family member, nothing else of the dossier. The browser shows these with ``textContent`` only.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterator

from ..privacy import scrub
from .datafile import files
from .model import Person, Site
from .pages.dossier import search_terms

DIR = "assets/dangan/people"
NAME_SHARD = 250  # people per name shard, on average
NUMBER_SHARD = 400  # 编号 numbers per shard
CHUNK = 250  # people per record chunk
TEXT_SHARD_BYTES = 16_000  # target size of one bigram shard
_INVISIBLE = re.compile(r"[\s\u00ad\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]+")
_NUMBER = re.compile(r"([A-Za-z]*)0*(\d+)")
_SEP = "\u0001"  # between fields: no bigram spans two of them


def norm(value: str) -> str:
    """What is compared: NFKC (full-width → half-width), lower case, no spaces or invisible characters.
    search.js does exactly the same."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", value)).lower()


def shown(value) -> str:
    """A value as the search box shows it: text, ID-shaped runs masked, invisible characters dropped."""
    if not isinstance(value, str):
        return ""
    return re.sub(r"[\u00ad\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]", "", scrub(value)).strip()


def fnv(text: str) -> int:
    """FNV-1a over code points, 32 bits (search.js: the same with Math.imul)."""
    h = 2166136261
    for ch in text:
        h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    return h


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1) if _SEP not in text[i:i + 2]}


def number_shard(number: str) -> str:
    m = _NUMBER.fullmatch(number)
    return str(int(m.group(2)) // NUMBER_SHARD) if m else "x"


def record(p: Person) -> list[str]:
    extra = shown(search_terms(p.data)) if p.readable else ""
    out = [p.number, shown(p.name), shown(p.unit), shown(p.data.get("现任职务"))]
    return [*out, extra] if extra else out


def _runs(ids: list[int]) -> list[int]:
    """Ascending ids as [gap, length, gap, length, …]: gap from the end of the previous run."""
    out: list[int] = []
    end = 0
    i = 0
    while i < len(ids):
        j = i
        while j + 1 < len(ids) and ids[j + 1] == ids[j] + 1:
            j += 1
        out += [ids[i] - end, j - i + 1]
        end = ids[j] + 1
        i = j + 1
    return out


def shards(site: Site) -> Iterator[tuple[str, bytes]]:
    """(path under docs/, content) of every file of the index, JSON and its script twin."""
    index = site.unit_index()
    people = list(enumerate(site.people))  # roster position: the order within one name
    people.sort(key=lambda rp: (index.get(rp[1].unit, 0), norm(shown(rp[1].data.get("现任职务"))), rp[0]))
    records = [record(p) for _, p in people]

    n_names = max(1, math.ceil(len(records) / NAME_SHARD))
    by_name: dict[int, list[list[str]]] = {}
    by_number: dict[str, list[list[str]]] = {}
    postings: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        key = norm(r[1])
        by_name.setdefault(fnv(key[:2]) % n_names, []).append(r)
        by_number.setdefault(number_shard(r[0]), []).append(r)
        for g in bigrams(_SEP.join(norm(f) for f in r[1:])):
            postings.setdefault(g, []).append(i)
    encoded = {g: _runs(ids) for g, ids in postings.items()}
    size = sum(len(g.encode()) + 6 + len(json.dumps(v)) for g, v in encoded.items())
    n_text = max(1, math.ceil(size / TEXT_SHARD_BYTES))
    by_text: dict[int, dict[str, list[int]]] = {}
    for g in sorted(encoded):
        by_text.setdefault(fnv(g) % n_text, {})[g] = encoded[g]

    units = [[shown(u), k, len(ps)] for k, (u, ps) in enumerate(site.by_unit(), 1) if ps]
    yield from files(f"{DIR}/index.json", {"v": 1, "people": len(records), "names": n_names, "text": n_text,
                                           "chunk": CHUNK, "number": NUMBER_SHARD, "units": units})
    for k, rs in by_name.items():
        yield from files(f"{DIR}/n-{k}.json", rs)
    for key, rs in by_number.items():
        yield from files(f"{DIR}/id-{key}.json", rs)
    for k, gs in by_text.items():
        yield from files(f"{DIR}/t-{k}.json", gs)
    for c in range(0, len(records), CHUNK):
        yield from files(f"{DIR}/r-{c // CHUNK}.json", records[c:c + CHUNK])
