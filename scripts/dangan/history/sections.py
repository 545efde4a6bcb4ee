"""A dossier version as top-level sections, parsed only where two versions differ — and proved to read as a full load.

Parsing a whole dossier costs milliseconds; most commits change one or two sections. In a block mapping a
line that starts in column 0 (not a comment) begins a top-level key, so the text splits into one chunk per
key without parsing, and equal chunks are equal values. That is only true when the split agrees with the
loader: a quoted value may run on over lines that look like keys, a key may be written with escapes. So a
split is never taken on trust. A version is *trusted* once proved:

- the first time, by one full parse (``dangan.load``) that also reports where each top-level key and each
  item of a top-level list starts (``outline``): the split must find exactly those keys on exactly those
  lines, and the list entries it cuts (lines starting with the entry marker) exactly those items;
- after that, from the trusted version it follows: chunks whose text is unchanged are the same values;
  each changed chunk (or changed list entry) must parse on its own to exactly its one key (one item).
  A chunk that parses on its own is complete — every quote, bracket and block closed at its end — so
  chunks placed one after another read as the mapping of their keys.

Anything else (a document marker, a directive, a repeated key, content before the first key, a chunk that
does not read alone) is compared by two full parses, which also yield the loader's own error. Lines are
what the loader calls lines: ``decode`` refuses a lone CR and every other break but LF and CRLF, and this
module cuts at LF only. tests/test_properties.py checks the whole comparison against two full loads.
"""

from __future__ import annotations

import re

from ..load import MAX_BYTES, LoadError, build, decode
from .fielddiff import same

_KEY = re.compile(r"([^\s#'\"\[\]{}:][^:#]*?|\"[^\"]*\"|'[^']*'):(?:[ \r\n]|$)")
_TOP = re.compile(r"\n(?=[^ \n\r#])")  # a line that starts in column 0: a top-level key
_PREFIX = re.compile(r"(?:[ ]*(?:#[^\n]*)?\n)*")  # what may come before the first key: blank and comment lines
_BAD = object()


class Unparseable(Exception):
    """A version that the loader refuses: carries the LoadError."""

    def __init__(self, error: LoadError, version=None):
        super().__init__(error.message)
        self.error, self.version = error, version


def _split(text: str) -> tuple[dict[str, str], list[int]] | None:
    """({key: chunk text} in file order, the chunks' start offsets), None when not a plain top-level block mapping."""
    chunks: dict[str, str] = {}
    starts = [m.end() for m in _TOP.finditer(text)]
    if text and text[0] not in " \n\r#":
        starts.insert(0, 0)
    if not starts or not _PREFIX.fullmatch(text, 0, starts[0]):
        return None
    key, start = None, 0
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
    return chunks, starts


def split(text: str) -> dict[str, str] | None:
    """{key: chunk text} in file order (unproved: see ``Version``), or None."""
    found = _split(text)
    return found[0] if found else None


def _split_entries(key: str, chunk: str) -> list[str] | None:
    """The entry texts of a block list section ("  - ..." items), None when it is not one."""
    lines = chunk.split("\n")
    if lines[-1] == "":
        lines.pop()
    if len(lines) < 2 or lines[0].rstrip("\r").rstrip() != f"{key}:":
        return None
    first = lines[1]
    indent = len(first) - len(first.lstrip(" "))
    marker = " " * indent + "- "
    if not first.startswith(marker):
        return None
    deeper = " " * (indent + 1)
    out: list[str] = []
    ends_open = not chunk.endswith("\n")
    for n, line in enumerate(lines[1:], 2):
        text = line if (n == len(lines) and ends_open) else line + "\n"
        if line.startswith(marker):
            out.append(text)
        elif line.startswith(deeper) or not line.strip() or line.lstrip().startswith("#"):
            out[-1] += text
        else:
            return None
    return out


def _plain(raw: bytes) -> str | None:
    """The text, when none of ``decode``'s whole-file refusals (size, BOM, UTF-16, encoding, NUL) can apply."""
    if len(raw) > MAX_BYTES or raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if "\0" in text or not text.strip() else text


class Version:
    """One blob of a dossier: its sections, proved (``prepare``) before they are compared."""

    __slots__ = ("_chunks", "_entries", "_error", "_parts", "_values", "_whole", "cache", "raw", "text")

    def __init__(self, raw: bytes, cache: dict):
        self.raw = raw
        self.cache = cache  # shared by the versions of a scan: chunk text (or (key, entry text)) → value
        self.text = ""
        self._chunks: dict[str, str] | None = None  # trusted: the proved split; None before prepare or when not
        self._values: dict = {}  # trusted: every section's value
        self._entries: dict[str, dict[str, object]] = {}  # list sections proved entry by entry: text → value
        self._whole: dict | None = None  # not trusted: the full parse
        self._error: Unparseable | None = None
        self._parts: dict[str, list[str] | None] = {}  # list sections cut into entry texts

    # ---------------------------------------------------------------- proving the split
    def prepare(self, base: Version | None = None) -> Version:
        """Decode, split and prove; raises Unparseable (every time) for a version the loader refuses.

        ``base``: a trusted older version of the same file, to prove this one against at low cost.
        """
        if self._error is not None:
            raise self._error
        if self._chunks is not None or self._whole is not None:
            return self
        if base is not None and base.trusted:
            text = _plain(self.raw)  # the whole-file checks; the character checks run on changed chunks (_follow)
            found = _split(text) if text is not None else None
            if found is not None and text is not None and self._follow(found[0], text[:found[1][0]], base):
                self.text = text
                return self
        try:
            self.text = decode(self.raw)
            self._prove(_split(self.text))
        except LoadError as exc:
            self._error = Unparseable(exc, self)
            raise self._error from None
        return self

    @property
    def trusted(self) -> bool:
        return self._chunks is not None

    def _parse_chunk(self, key: str, chunk: str):
        value = self.cache.get(chunk, _BAD)
        if value is _BAD:
            try:
                data = build(chunk)
            except LoadError:
                return _BAD
            if not (isinstance(data, dict) and len(data) == 1 and key in data):
                return _BAD
            value = self._remember(chunk, data[key])
        return value

    def _parse_entry(self, key: str, text: str):
        value = self.cache.get((key, text), _BAD)
        if value is _BAD:
            try:
                data = build(f"{key}:\n{text}")
            except LoadError:
                return _BAD
            items = data.get(key) if isinstance(data, dict) and len(data) == 1 else None
            if not (isinstance(items, list) and len(items) == 1):
                return _BAD
            value = self._remember((key, text), items[0])
        return value

    def _remember(self, name, value):
        if len(self.cache) > 50_000:
            self.cache.clear()
        self.cache[name] = value
        return value

    def entries_of(self, key: str, chunk: str) -> list[str] | None:
        if key not in self._parts:
            self._parts[key] = _split_entries(key, chunk)
        return self._parts[key]

    def _follow(self, chunks: dict[str, str], prefix: str, base: Version) -> bool:
        """Prove the split from a trusted older version: unchanged chunks carry over, changed ones read alone.

        ``prefix``: the comment lines before the first key, checked like a changed chunk.
        """
        if prefix and not base.text.startswith(prefix):
            try:
                decode(prefix.encode("utf-8"))
            except LoadError:
                return False
        values, entries = {}, {}
        before = base._chunks or {}  # a trusted version has its chunks
        for key, chunk in chunks.items():
            if before.get(key) == chunk:
                values[key] = base._values[key]
                if key in base._entries:
                    entries[key] = base._entries[key]
                    self._parts[key] = base._parts.get(key) or _split_entries(key, chunk)
                continue
            try:
                decode(chunk.encode("utf-8"))  # what the loader refuses anywhere (tabs, controls, a lone CR...)
            except LoadError:
                return False  # the full parse will say where
            parts = self.entries_of(key, chunk)
            if parts is not None:
                known = base._entries.get(key, {})
                proved: dict[str, object] = {}
                for text in parts:
                    if text not in proved:
                        value = known[text] if text in known else self._parse_entry(key, text)
                        if value is _BAD:
                            return False
                        proved[text] = value
                entries[key] = proved
                values[key] = [proved[t] for t in parts]
                continue
            value = self._parse_chunk(key, chunk)
            if value is _BAD:
                return False
            values[key] = value
        self._chunks, self._values, self._entries = chunks, values, entries
        return True

    def _prove(self, found) -> None:
        """One full parse; trusted when the split finds the loader's own keys and list items, line for line."""
        outline: dict[str, list[int]] = {}
        data = build(self.text, outline=outline)
        if found is None or not isinstance(data, dict):
            self._whole = data
            return
        chunks, starts = found
        if list(chunks) != list(data):
            self._whole = data
            return
        lines, line, last = {}, 1, 0
        for key, pos in zip(chunks, starts, strict=True):
            line += self.text.count("\n", last, pos)
            last = pos
            if outline[key][0] != line:
                self._whole = data
                return
            lines[key] = line
        entries = {}
        for key, chunk in chunks.items():
            items = data[key]
            if not isinstance(items, list):
                continue
            parts = self.entries_of(key, chunk)
            if parts is None or len(parts) != len(items):
                continue
            line, ok = lines[key] + 1, True
            for text, at in zip(parts, outline[key][1:], strict=True):
                if at != line:
                    ok = False
                    break
                line += text.count("\n")
            if ok:
                proved: dict[str, object] = {}
                for text, value in zip(parts, items, strict=True):
                    proved.setdefault(text, value)
                entries[key] = proved
        self._chunks, self._values, self._entries = chunks, data, entries

    # ---------------------------------------------------------------- reading
    def _keyed(self) -> dict:
        """The proved chunks, or the full parse: prepare() leaves one of them (or raises)."""
        self.prepare()
        found = self._chunks if self._chunks is not None else self._whole
        assert found is not None
        return found

    def keys(self) -> list[str]:
        return list(self._keyed())

    def section(self, key: str):
        found = self._keyed()
        return self._values.get(key) if found is self._chunks else found.get(key)

    def has(self, key: str) -> bool:
        return key in self._keyed()

    def data(self) -> dict:
        found = self._keyed()
        if found is not self._chunks:
            return found
        return {k: self._values[k] for k in found}

    def entry_texts(self, key: str) -> list[str] | None:
        """The proved entry texts of a list section, None when the section was not proved entry by entry."""
        if self._chunks is None or key not in self._entries:
            return None
        return self.entries_of(key, self._chunks[key])

    def entry_value(self, key: str, text: str):
        return self._entries[key][text]

    def changed_keys(self, other: Version | None) -> list[str]:
        """Top-level keys whose value differs from ``other`` (the older version)."""
        if other is None:
            return self.keys()
        self.prepare()
        other.prepare()
        if self._chunks is not None and other._chunks is not None:
            keys = [k for k in self._chunks if other._chunks.get(k) != self._chunks[k]]
            return keys + [k for k in other._chunks if k not in self._chunks]
        mine, theirs = self.data(), other.data()
        return [k for k in [*mine, *(k for k in theirs if k not in mine)]
                if (k in mine) != (k in theirs) or not same(mine.get(k), theirs.get(k))]


def changed_sections(old: Version, new: Version, keys: list[str]) -> tuple[dict, dict, dict]:
    """The changed sections of both versions (for ``fielddiff.diff``), and what in them is new text.

    ``fresh``: per changed section of ``new``, the value to re-check against the schema — in a list proved
    entry by entry, only the entries whose text the old version does not have.
    """
    before, after, fresh = {}, {}, {}
    for key in keys:
        if old.has(key):
            before[key] = old.section(key)
        if new.has(key):
            after[key] = fresh[key] = new.section(key)
            texts = new.entry_texts(key)
            if texts is not None and old.entry_texts(key) is not None:
                seen = old._entries[key]
                fresh[key] = [new.entry_value(key, t) for t in texts if t not in seen]
    return before, after, fresh
