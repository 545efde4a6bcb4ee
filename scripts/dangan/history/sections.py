"""A dossier version as top-level sections, parsed only where two versions differ.

Parsing a whole dossier costs milliseconds; most commits change one or two sections. In a block
mapping every line that starts in column 0 (not a comment) begins a top-level key, so the text splits
into one chunk per key without parsing; equal chunks are equal values. Only differing chunks are parsed,
each by the strict loader (``dangan.load``) on its own, and parsed chunks are kept by content.
Anything the split cannot vouch for (a document marker, a directive, a repeated key, a flow mapping at
the top) falls back to parsing the whole version, which also yields the loader's own error.
"""

from __future__ import annotations

import re

from ..load import LoadError, build, decode

_KEY = re.compile(r"([^\s#'\"\[\]{}:][^:#]*?|\"[^\"]*\"|'[^']*'):(?:[ \n]|$)")


class Unparseable(Exception):
    """A version that the loader refuses: carries the LoadError."""

    def __init__(self, error: LoadError, version=None):
        super().__init__(error.message)
        self.error, self.version = error, version


_TOP = re.compile(r"\n(?=[^ \n\r#])")  # a line that starts in column 0: a top-level key


def split(text: str) -> dict[str, str] | None:
    """{key: chunk text} in file order, or None when the text is not a plain top-level block mapping."""
    chunks: dict[str, str] = {}
    key, start = None, 0
    starts = [m.end() for m in _TOP.finditer(text)]
    if text and text[0] not in " \n\r#":
        starts.insert(0, 0)
    for pos in starts:
        m = _KEY.match(text, pos)
        if not m or text.startswith(("---", "..."), pos) or text[pos] == "%":
            return None
        if key is not None:
            chunks[key] = text[start:pos]
        key = m.group(1)[1:-1] if m.group(1)[0] in "'\"" else m.group(1).rstrip()
        if key in chunks:
            return None  # a repeated key: the loader's L016 must speak
        start = pos
    if key is None:
        return None
    chunks[key] = text[start:]
    return chunks


class Version:
    """One blob of a dossier: its sections, parsed on demand."""

    __slots__ = ("_chunks", "_data", "_entries", "cache", "raw", "text")

    def __init__(self, raw: bytes, cache: dict):
        self.raw = raw
        self.cache = cache
        self._data: dict = {}
        self._chunks = None
        self._entries: dict = {}

    @property
    def chunks(self) -> dict[str, str]:
        """Decoded and split on first use: most versions (a new file never edited again) never need it."""
        if self._chunks is None:
            try:  # the loader's own checks (BOM, controls, tabs...) run per parsed chunk, see _parse
                self.text = self.raw.decode("utf-8")
                if not self.raw or self.raw.startswith(b"\xef\xbb\xbf") or "\0" in self.text:
                    raise UnicodeError
            except UnicodeError:
                self._whole()  # raises the loader's error
                raise AssertionError("unreachable") from None  # pragma: no cover
            chunks = split(self.text)
            if chunks is None:  # unusual layout: parse the whole version once
                self._data = self._whole()
                chunks = {k: f"\0{k}" for k in self._data}  # compared by value (changed_keys)
            self._chunks = chunks
        return self._chunks

    def _whole(self) -> dict:
        try:
            return build(decode(self.raw))
        except LoadError as exc:
            raise Unparseable(exc, self) from None

    def section(self, key: str):
        if key in self._data:
            return self._data[key]
        chunk = self.chunks.get(key)
        if chunk is None:
            return None
        value = self.cache.get(chunk, _NONE)
        if value is _NONE:
            try:
                value = build(decode(chunk.encode("utf-8"))).get(key)
            except LoadError:  # the whole version decides (and gives the error its real line number)
                self._data = self._whole()
                return self._data.get(key)
            if len(self.cache) > 50_000:
                self.cache.clear()
            self.cache[chunk] = value
        self._data[key] = value
        return value

    def entries(self, key: str) -> list[str] | None:
        """The entry texts of a block list section ("  - ..." items), None when it is not one."""
        if key in self._entries:
            return self._entries[key]
        self._entries[key] = out = self._split_entries(key)
        return out

    def _split_entries(self, key: str) -> list[str] | None:
        chunk = self.chunks.get(key)
        if chunk is None or chunk.startswith("\0"):
            return None
        lines = chunk.splitlines(keepends=True)
        if len(lines) < 2 or lines[0].rstrip() != f"{key}:":
            return None
        first = lines[1]
        indent = len(first) - len(first.lstrip(" "))
        marker = " " * indent + "- "
        if not first.startswith(marker):
            return None
        out: list[str] = []
        for line in lines[1:]:
            if line.startswith(marker):
                out.append(line)
            elif line.startswith(" " * (indent + 1)) or not line.strip() or line.lstrip().startswith("#"):
                out[-1] += line
            else:
                return None
        return out

    def entry(self, key: str, text: str):
        value = self.cache.get((key, text), _NONE)
        if value is _NONE:
            try:
                value = build(decode(f"{key}:\n{text}".encode()))[key][0]
            except (LoadError, KeyError, IndexError, TypeError):
                value = self.section(key)  # the whole section (and version) decides
                raise _Fallback from None
            self.cache[(key, text)] = value
        return value

    def data(self) -> dict:
        if len(self._data) < len(self.chunks):
            self._data = self._whole()  # one parse of the whole text beats one per section
        return self._data

    def changed_keys(self, other: Version | None) -> list[str]:
        """Top-level keys whose text differs from ``other`` (the older version)."""
        if other is None:
            return list(self.chunks)
        if any(v.startswith("\0") for v in (*self.chunks.values(), *other.chunks.values())):
            mine, theirs = self.data(), other.data()
            return [k for k in [*mine, *(k for k in theirs if k not in mine)] if mine.get(k) != theirs.get(k)
                    or (k in mine) != (k in theirs)]
        keys = [k for k in self.chunks if other.chunks.get(k) != self.chunks[k]]
        return keys + [k for k in other.chunks if k not in self.chunks]


_NONE = object()


class _Fallback(Exception):
    """An entry that does not parse alone: compare whole sections instead."""


def changed_sections(old: Version, new: Version, keys: list[str]) -> tuple[dict, dict]:
    """The changed sections of both versions, for ``fielddiff.diff``.

    In a list section only the entries whose text differs are parsed; the others stand in as ``Same``.
    """
    from .fielddiff import Same

    before, after = {}, {}
    for key in keys:
        a, b = old.entries(key), new.entries(key)
        if a is not None and b is not None and key in old.chunks and key in new.chunks:
            try:
                before[key], after[key] = _entry_lists(old, new, key, a, b, Same)
                continue
            except _Fallback:
                pass
        before[key], after[key] = old.section(key), new.section(key)
        if key not in old.chunks:
            del before[key]
        if key not in new.chunks:
            del after[key]
    return before, after


def _entry_lists(old, new, key, a, b, Same):
    from .fielddiff import opcodes

    left: list = [None] * len(a)
    right: list = [None] * len(b)
    for op, i1, i2, j1, j2 in opcodes(a, b):
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                left[i] = right[j] = Same(a[i])
        else:
            for i in range(i1, i2):
                left[i] = old.entry(key, a[i])
            for j in range(j1, j2):
                right[j] = new.entry(key, b[j])
    return left, right
