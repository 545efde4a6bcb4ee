"""How dangan writes YAML text: the quoting rule and the canonical Layout, shared by fmt, the verbs and the generator.

A string is written plain only when our loader (scripts/dangan/load.py) can read it back as the
same string; everything else is double-quoted with JSON escapes, which YAML accepts.
"""

from __future__ import annotations

import functools
import json
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath

from .schema import inline_refs

_AMBIGUOUS = re.compile(r"[-+0-9.:_ eEoOxXbB]*")
_SPECIAL_WORDS = frozenset("null ~ true false yes no on off y n .nan .inf -.inf +.inf".split())
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_BAD = re.compile(r"[,\[\]{}]")


@lru_cache(maxsize=1 << 16)
def yaml_str(value: str, flow: bool = False) -> str:
    """A string as YAML: plain when it can only be read back as this same string, else double-quoted.

    Quoted when it could be read as a number, date, bool or null, starts with an indicator, holds
    ": " or " #", has edge spaces or control characters; in flow context also when it holds , [ ] { }.
    """
    if (not value or _AMBIGUOUS.fullmatch(value) or value.lower() in _SPECIAL_WORDS or value[0] in _INDICATORS
            or value[0].isspace() or value[-1].isspace() or value[-1] == ":" or ": " in value or " #" in value
            or "\\" in value or (flow and _FLOW_BAD.search(value)) or not value.isprintable()):
        return quoted(value)
    return value


def quoted(value: str) -> str:
    """Always double-quoted (dates, 顺序号, ID numbers, 其间 lines)."""
    if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return '"' + value + '"'
    return json.dumps(value, ensure_ascii=False)  # JSON escapes are valid YAML double-quoted escapes


# Sections whose entries are written one per line in flow style, as a clerk reads a table.
FLOW_ITEMS = frozenset(("档案目录", "年度考核", "评分"))  # 评分: ledgers/检查验收.yaml

# The first line of every dossier file dangan writes: editors validate against the schema with it.
DOSSIER_HEADER = "# yaml-language-server: $schema=../schema/dossier.schema.json\n"
MODELINE = re.compile(r"#\s*yaml-language-server:\s*\$schema=\S*dossier\.schema\.json")


def has_modeline(text: str) -> bool:
    """The editor reads a modeline only in the comments before the content."""
    for line in text.split("\n"):
        if MODELINE.match(line.strip()):
            return True
        if line.strip() and not line.lstrip().startswith("#"):
            return False
    return False


def modeline(rel: str) -> str:
    """The first line that tells the editor (yaml-language-server) which schema checks the dossier at ``rel``."""
    depth = max(len(PurePosixPath(rel).parts) - 1, 0)
    return f"# yaml-language-server: $schema={'../' * depth}schema/dossier.schema.json"


def scalar(value, flow: bool = False) -> str:
    """A scalar value as YAML text."""
    if isinstance(value, str):
        return yaml_str(value, flow)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


Line = tuple[str, list]  # text, paths of the nodes that start on this line


def _is_scalar(value) -> bool:
    return not isinstance(value, (dict, list))


def _flow_seq(values) -> str:
    return "[" + ", ".join(quoted(v) if isinstance(v, str) else scalar(v, True) for v in values) + "]"


def _flowable(item) -> bool:
    """A list entry that fits on one line: a mapping of scalars and lists of scalars."""
    return isinstance(item, dict) and bool(item) and all(
        _is_scalar(v) or (isinstance(v, list) and all(_is_scalar(x) for x in v)) for v in item.values())


def _descendants(value, path: tuple) -> list:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _descendants(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _descendants(v, (*path, i))
    return out


class Layout:
    """The canonical text of data, with the path of every node on each line.

    fmt needs the paths (to put comments back next to their node); a new file does not, so ``text``
    uses a twin that skips them (``paths=False``): the generator writes thousands of files through it.
    """

    def __init__(self, schema: dict, paths: bool = True):
        self.schema = schema
        self.paths = paths
        self._orders: dict[tuple, list] = {}
        self._twin: Layout | None = None

    @classmethod
    @functools.cache
    def of(cls, schema_file: Path) -> Layout:
        return cls(inline_refs(json.loads(schema_file.read_text("utf-8")), schema_file.parent))

    @staticmethod
    def _child(node, key) -> dict:
        if not isinstance(node, dict):
            return {}
        if isinstance(key, int):
            return node.get("items", {})
        return node.get("properties", {}).get(key, {})

    def _order(self, mapping: dict, node) -> list:
        """The keys in schema order, then any others (cached per schema node and key set)."""
        key = (id(node), *mapping)
        order = self._orders.get(key)
        if order is None:
            props = node.get("properties", {}) if isinstance(node, dict) else {}
            order = self._orders[key] = [k for k in props if k in mapping] + [k for k in mapping if k not in props]
        return order

    def _descendants(self, value, path: tuple) -> list:
        return _descendants(value, path) if self.paths else [path]

    def _flow_map(self, item: dict, node) -> str:
        return "{" + ", ".join(f"{yaml_str(k, True)}: {_flow_seq(v) if v.__class__ is list else scalar(v, True)}"
                               for k in self._order(item, node) for v in (item[k],)) + "}"

    def entry(self, key: str, value, path: tuple, node, indent: str, out: list[Line]) -> None:
        """``key: value`` at ``indent``."""
        head = f"{indent}{yaml_str(key)}:"
        if isinstance(value, list):
            if not value:
                out.append((f"{head} []", [path]))
            elif all(_is_scalar(v) for v in value):
                out.append((f"{head} {_flow_seq(value)}", self._descendants(value, path)))
            else:
                out.append((head, [path]))
                item_node = self._child(node, 0)
                for i, item in enumerate(value):
                    out += self.item(item, (*path, i), item_node, len(indent) + 2, key in FLOW_ITEMS)
        elif isinstance(value, dict):
            if not value:
                out.append((f"{head} {{}}", [path]))
            else:
                out.append((head, [path]))
                for k in self._order(value, node):
                    self.entry(k, value[k], (*path, k), self._child(node, k), indent + "  ", out)
        else:
            out.append((f"{head} {scalar(value)}", [path]))

    def item(self, item, path: tuple, node, dash: int, flow: bool) -> list[Line]:
        """One list entry with its “-” at column ``dash``."""
        pad = " " * dash
        if flow and _flowable(item):
            return [(f"{pad}- {self._flow_map(item, node)}", self._descendants(item, path))]
        if isinstance(item, dict) and item:
            inner = pad + "  "
            sub: list[Line] = []
            for k in self._order(item, node):
                self.entry(k, item[k], (*path, k), self._child(node, k), inner, sub)
            text, paths = sub[0]
            sub[0] = (f"{pad}- {text[len(inner):]}", [path, *paths])
            return sub
        if isinstance(item, list) and item and not all(_is_scalar(v) for v in item):
            sub = [(f"{pad}-", [path])]
            for i, v in enumerate(item):
                sub += self.item(v, (*path, i), self._child(node, 0), dash + 2, False)
            return sub
        if isinstance(item, list):
            return [(f"{pad}- {_flow_seq(item)}", self._descendants(item, path))]
        if isinstance(item, dict):
            return [(f"{pad}- {{}}", [path])]
        return [(f"{pad}- {scalar(item)}", [path])]

    def lines(self, data) -> list[Line]:
        out: list[Line] = []
        if isinstance(data, dict):
            for k in self._order(data, self.schema):
                self.entry(k, data[k], (k,), self._child(self.schema, k), "", out)
        else:
            item_node = self._child(self.schema, 0)
            for i, item in enumerate(data):
                out += self.item(item, (i,), item_node, 0, False)
        return out

    def text(self, data, header: str = "") -> str:
        """The canonical text of ``data`` (a new file: no comments to keep), after ``header``."""
        if self.paths:
            if self._twin is None:
                self._twin = Layout(self.schema, paths=False)
            return self._twin.text(data, header)
        return header + "".join(text + "\n" for text, _paths in self.lines(data))

    def entry_text(self, key: str, value, path: tuple = ()) -> list[str]:
        """``key: value`` as text lines at the indent of ``path`` (the mapping that holds the key)."""
        node = self.schema
        for part in path:
            node = self._child(node, part)
        out: list[Line] = []
        self.entry(key, value, (*path, key), self._child(node, key), "  " * len(path), out)
        return [text for text, _paths in out]

    def item_text(self, item, path: tuple, dash: int, flow: bool) -> list[str]:
        """A new list entry as text lines (for the verbs that add one)."""
        node = self.schema
        for part in path[:-1]:
            node = self._child(node, part)
        return [text for text, _paths in self.item(item, path, self._child(node, 0), dash, flow)]
