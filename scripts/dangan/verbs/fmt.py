"""`dangan fmt`: one canonical layout, the generator's, for any file — keeping every comment.

The layout is generate.py's: keys in schema order, 2-space indent, strings plain unless YAML
could misread them (so dates, ID numbers and 顺序号 are double-quoted), lists of strings and the
entries of 档案目录/年度考核 on one line each. Data is re-emitted from the strict parse; comments
are lifted out with the scanner's token positions and put back next to the node they were next
to (a comment line above a key stays above it, an end-of-line comment stays on that key's line).
The result is read back and must hold the same data, so formatting can never change a value.
"""

from __future__ import annotations

import functools
import json
from bisect import bisect_right
from pathlib import Path

import yaml

from ..load import LoadError
from ..schema import inline_refs
from ..yamltext import FLOW_ITEMS, quoted, scalar, yaml_str
from .edit import EditError, Source, line_of, line_starts, same

try:
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Parser

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
    """The canonical text of data, with the path of every node on each line."""

    def __init__(self, schema: dict):
        self.schema = schema

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

    @staticmethod
    def _order(mapping: dict, node) -> list:
        props = node.get("properties", {}) if isinstance(node, dict) else {}
        return [k for k in props if k in mapping] + [k for k in mapping if k not in props]

    def _flow_map(self, item: dict, node) -> str:
        parts = []
        for k in self._order(item, node):
            v = item[k]
            parts.append(f"{yaml_str(k, True)}: {_flow_seq(v) if isinstance(v, list) else scalar(v, True)}")
        return "{" + ", ".join(parts) + "}"

    def entry(self, key: str, value, path: tuple, node, indent: str, out: list[Line]) -> None:
        """``key: value`` at ``indent``."""
        head = f"{indent}{yaml_str(key)}:"
        if isinstance(value, list):
            if not value:
                out.append((f"{head} []", [path]))
            elif all(_is_scalar(v) for v in value):
                out.append((f"{head} {_flow_seq(value)}", _descendants(value, path)))
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
            return [(f"{pad}- {self._flow_map(item, node)}", _descendants(item, path))]
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
            return [(f"{pad}- {_flow_seq(item)}", _descendants(item, path))]
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

    def item_text(self, item, path: tuple, dash: int, flow: bool) -> list[str]:
        """A new list entry as text lines (for the verbs that add one)."""
        node = self.schema
        for part in path[:-1]:
            node = self._child(node, part)
        return [text for text, _paths in self.item(item, path, self._child(node, 0), dash, flow)]


def comments(text: str) -> list[tuple[int, bool, str]]:
    """(index, whole line?, text) of every comment: a “#” that no token of the scanner covers."""
    head = 0  # the usual case, a file whose only comments head it, needs no scan
    while text.startswith("#", head):
        head = text.find("\n", head) + 1 or len(text)
    if "#" not in text[head:]:
        out, pos = [], 0
        while pos < head:
            end = text.find("\n", pos)
            end = head if end < 0 else end
            out.append((pos, True, text[pos:end].rstrip()))
            pos = end + 1
        return out
    spans = []
    for tok in yaml.scan(text, Loader=_Parser):
        if tok.end_mark.index > tok.start_mark.index:
            spans.append((tok.start_mark.index, tok.end_mark.index))
    spans.sort()
    starts = [s for s, _e in spans]
    out = []
    pos = text.find("#")
    while pos >= 0:
        k = bisect_right(starts, pos) - 1
        if k >= 0 and pos < spans[k][1]:
            pos = text.find("#", spans[k][1])
            continue
        line_start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        out.append((pos, not text[line_start:pos].strip(), text[pos:end].rstrip()))
        pos = text.find("#", end)
    return out


def format_text(src: Source, layout: Layout) -> str:
    """The canonical text of a source, with its comments where they were."""
    lines = layout.lines(src.data)
    where: dict[tuple, int] = {}
    for j, (_text, paths) in enumerate(lines):
        for p in paths:
            where.setdefault(p, j)
    found = comments(src.text)
    before: dict[int, list[str]] = {}
    after: dict[int, list[str]] = {}
    header: list[str] = []
    footer: list[str] = []
    if found:
        starts = line_starts(src.text)
        by_line: dict[int, list[tuple[int, tuple]]] = {}
        for path, node in src.nodes.items():
            if path:
                at = node.anchor
                by_line.setdefault(line_of(starts, at), []).append((at - starts[line_of(starts, at)], path))
        content_lines = sorted(by_line)
        for index, whole, text in found:
            line = line_of(starts, index)
            if whole:
                k = bisect_right(content_lines, line)
                if k == 0:
                    header.append(text)
                elif k == len(content_lines):
                    footer.append(text)
                else:
                    _col, path = min(by_line[content_lines[k]], key=lambda c: (c[0], len(c[1])))
                    before.setdefault(_line_for(where, path), []).append(text)
            else:
                k = bisect_right(content_lines, line) - 1
                if k < 0:
                    header.append(text)
                    continue
                _col, path = max(by_line[content_lines[k]], key=lambda c: (c[0], len(c[1])))
                after.setdefault(_line_for(where, path), []).append(text)
    out = list(header)
    for j, (text, _paths) in enumerate(lines):
        indent = text[:len(text) - len(text.lstrip(" "))]
        out += [indent + c for c in before.get(j, ())]
        out.append(text + ("  " + " ".join(after[j]) if j in after else ""))
    out += footer
    result = "\n".join(out) + "\n"
    if result == src.text:  # already canonical: nothing to prove
        return result
    try:
        back = src.with_text(result)
    except LoadError as exc:  # pragma: no cover - a bug in the layout
        raise EditError(f"{src.path}: 整理后的文本无法读取（{exc.code} {exc.message}），未写入：请报告维护人员", 70) from None
    if not same(back.data, src.data, ordered=False):  # pragma: no cover - a bug in the layout
        raise EditError(f"{src.path}: 整理会改变内容，未写入：请报告维护人员", 70)
    return result


def _line_for(where: dict, path: tuple) -> int:
    while path not in where and path:
        path = path[:-1]
    return where.get(path, 0)


def format_files(repo, files: list[Path]) -> tuple[list, list[str]]:
    """The changes that bring ``files`` to the canonical layout, and the files that cannot be read."""
    from .edit import Change

    layout = Layout.of(repo.schema_dir / "dossier.schema.json")
    changes, problems = [], []
    for path in files:
        rel = repo.rel(path)
        try:
            src = Source.read(path, rel)
        except EditError as exc:
            problems.append(f"{exc.message.replace('；未作任何改动', '')}：无法整理")
            continue
        text = format_text(src, layout)
        if text != src.text:
            changes.append(Change(path, rel, src.raw, text.encode("utf-8")))
    return changes, problems
