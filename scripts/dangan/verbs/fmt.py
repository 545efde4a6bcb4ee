"""`dangan fmt`: one canonical layout, the generator's, for any file — keeping every comment.

The layout is dangan.yamltext.Layout (the generator's too): keys in schema order, 2-space indent, strings plain unless YAML
could misread them (so dates, ID numbers and 顺序号 are double-quoted), lists of strings and the
entries of 档案目录/年度考核 on one line each. Data is re-emitted from the strict parse; comments
are lifted out with the scanner's token positions and put back next to the node they were next
to (a comment line above a key stays above it, an end-of-line comment stays on that key's line).
The result is read back and must hold the same data, so formatting can never change a value.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

import yaml

from ..load import LoadError
from ..yamledit import Change, EditError, Source, line_of, line_starts, same
from ..yamltext import Layout, has_modeline, modeline

try:
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

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
    layout = Layout.of(repo.schema_dir / "dossier.schema.json")
    changes, problems = [], []
    for path in files:
        rel = repo.rel(path)
        try:
            src = Source.read(path, rel, line_breaks=True)
        except EditError as exc:
            problems.append(f"{exc.message.replace('；未作任何改动', '')}：无法整理")
            continue
        text = with_modeline(format_text(src, layout), rel)
        if text.encode("utf-8") != src.raw:  # src.text has LF line ends already: compare the bytes
            changes.append(Change(path, rel, src.raw, text.encode("utf-8")))
    return changes, problems


def with_modeline(text: str, rel: str) -> str:
    """A dossier's text with its modeline on the first line (restored when a clerk deleted it)."""
    return text if has_modeline(text) else modeline(rel) + "\n" + text
