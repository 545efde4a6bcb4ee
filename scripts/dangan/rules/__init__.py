"""Domain rules, one module per concern. Each rule is ``rule(doc, ctx, out)``.

Rules read ``doc.data`` defensively: a document that failed the schema still gets the rules
that can run on it, and a rule that trips over a malformed part stays silent (the schema
finding already names it). On a schema-valid document a rule's exception is a bug and is raised.
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


class Out:
    """Collects the findings of one document; marks are looked up only when something is found."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.items: list[Finding] = []

    def add(self, path, severity: str, code: str, message: str, key: bool = False):
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
    from . import catalog, completeness, identity, keyfacts, resume

    return [*identity.RULES, *keyfacts.RULES, *resume.RULES, *catalog.RULES, *completeness.RULES]
