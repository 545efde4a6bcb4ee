"""Domain rules, one module per concern. Each rule is ``rule(doc, ctx, out)``.

Rules read ``doc.data`` defensively: a document that failed the schema still gets the rules
that can run on it, and a rule that trips over a malformed part stays silent (the schema
finding already names it). On a schema-valid document a rule's exception is a bug and is raised.

One mistake, one finding: on a document the schema refused, the rules read a copy of the data
that records what they read (``tracked``); a finding a rule makes after reading a refused value
(since its previous finding) is dropped (``touches``): it would build on a value the schema has
already named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from ..codes import CodeTables
from ..findings import ERROR, WARNING, Finding
from ..load import Document
from ..policy import Policy
from ..schema import Schema


@dataclass
class Context:
    policy: Policy
    schema: Schema
    today: dt.date
    units: frozenset = field(init=False)

    def __post_init__(self):
        self.units = frozenset(self.policy.get("管档单位", default=[]) or [])

    @cached_property
    def rank_levels(self) -> dict:
        return CodeTables.read(self.schema.dir).rank_level

    @cached_property
    def custody(self) -> dict[str, str]:
        """职级 → the 管档单位 that must hold the 正本 (policy ``档案保管``)."""
        from .custody import holders

        return holders(self.policy, set(CodeTables.read(self.schema.dir).rank_order))


class Out:
    """Collects the findings of one document; marks are looked up only when something is found."""

    def __init__(self, doc: Document, read: set | None = None, refused: set | None = None):
        self.doc = doc
        self.items: list[Finding] = []
        self.read, self.refused = read, refused  # see ``tracked``: set only when the schema refused something

    def add(self, path, severity: str, code: str, message: str, key: bool = False):
        if self.refused and self.read is not None:
            # what the rule read since its last finding decides: built on a refused value, the finding is dropped
            built_on_refused = touches(self.read, self.refused) or touches({tuple(path)}, self.refused)
            self.read.clear()
            if built_on_refused:
                return
        line, col = self.doc.mark(tuple(path), key=key)
        self.items.append(Finding(self.doc.path, line, col, severity, code, message))

    def at(self, line: int, col: int, severity: str, code: str, message: str):
        """A finding at a place in the text (a comment has no path)."""
        self.items.append(Finding(self.doc.path, line, col, severity, code, message))

    def error(self, path, code, message, **kw):
        self.add(path, ERROR, code, message, **kw)

    def warn(self, path, code, message, **kw):
        self.add(path, WARNING, code, message, **kw)


def items(data: dict, key: str) -> list:
    """A list section, or [] when absent or malformed (the schema reports that)."""
    value = data.get(key)
    return value if isinstance(value, list) else []


def catalog_index(data: dict) -> dict[str, dict]:
    """顺序号 ("4-1-3") → catalog entry."""
    index = {}
    for entry in items(data, "档案目录"):
        if isinstance(entry, dict) and "类号" in entry and isinstance(entry.get("序号"), int):
            index[f"{entry['类号']}-{entry['序号']}"] = entry
    return index


def all_rules():
    from . import catalog, completeness, custody, identity, keyfacts, records, resume

    return [*identity.RULES, *custody.RULES, *keyfacts.RULES, *resume.RULES, *catalog.RULES, *records.RULES,
            *completeness.RULES]


class _Map(dict):
    """A mapping that records the path of every value read from it."""

    _log: set
    _path: tuple

    __slots__ = ("_log", "_path")

    def __getitem__(self, key):
        self._log.add((*self._path, key))
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._log.add((*self._path, key))
        return super().get(key, default)

    def items(self):
        for key, value in super().items():
            self._log.add((*self._path, key))
            yield key, value

    def values(self):
        for _key, value in self.items():
            yield value


class _List(list):
    """A list that records the path of every item read from it."""

    _log: set
    _path: tuple

    __slots__ = ("_log", "_path")

    def __getitem__(self, index):
        if isinstance(index, slice):
            for i in range(*index.indices(len(self))):
                self._log.add((*self._path, i))
        else:
            self._log.add((*self._path, index % len(self) if self and index < 0 else index))
        return super().__getitem__(index)

    def __iter__(self):
        for i, value in enumerate(super().__iter__()):
            self._log.add((*self._path, i))
            yield value

    def __reversed__(self):
        for i in range(len(self) - 1, -1, -1):
            yield self[i]


def tracked(data, log: set, path: tuple = ()):
    """A copy of ``data`` whose reads are recorded in ``log``."""
    out: _Map | _List
    if isinstance(data, dict):
        out = _Map((k, tracked(v, log, (*path, k))) for k, v in data.items())
    elif isinstance(data, list):
        out = _List(tracked(v, log, (*path, i)) for i, v in enumerate(data))
    else:
        return data
    out._log, out._path = log, path
    return out


def touches(log: set, refused: set) -> bool:
    """Did the reads in ``log`` reach a refused value (or anything inside one)?"""
    return any(p[:n] in refused for p in log for n in range(1, len(p) + 1))
