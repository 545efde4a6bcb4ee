"""Editing YAML text in place: read a file strictly, splice text where the parser says, write atomically.

An edit never re-serialises the whole file: it replaces one value or inserts one list item at
character positions taken from libyaml's own event marks, so comments, order and the layout of
everything else stay byte-for-byte. Every result is read back and compared with the data the
edit meant to produce; a mismatch is refused rather than written.
"""

from __future__ import annotations

import base64
import difflib
import json
import os
import re
import sys
import time
from bisect import bisect_right
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .atomic import crash_point, state_dir, write_atomic, write_new_files
from .errors import Refusal
from .factpath import current_key
from .load import MAX_BYTES, LoadError, build, decode
from .privacy import scrub
from .schema import path_text
from .yamltext import FLOW_ITEMS

try:
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]


class EditError(Refusal):
    """A refusal of an edit: a Chinese message and the exit code (1 = refused by a rule, 2 = usage/I-O)."""


@dataclass
class Node:
    """Where one value sits in the text (character indices, end exclusive)."""

    start: int
    end: int
    kind: str  # scalar | map | seq
    flow: bool = False  # this value is a flow collection ([…] or {…})
    in_flow: bool = False  # this value sits inside a flow collection
    key_start: int | None = None  # for a mapping entry: where its key starts
    key_end: int | None = None
    style: str | None = None  # scalar quoting style: None (plain), '"', "'", "|", ">"

    @property
    def anchor(self) -> int:
        """The position a reader associates with this node: its key, or the value itself in a list."""
        return self.start if self.key_start is None else self.key_start


def nodes(text: str) -> dict[tuple, Node]:
    """path → Node for every value of an already validated text (the strict loader ran first)."""
    out: dict[tuple, Node] = {}
    parser = _Parser(text)
    # frame: [path, is_map, pending_key (start, end, value) | None, count, flow, node]
    stack: list[list] = []
    try:
        while parser.check_event():
            ev: Any = parser.get_event()  # stubs say Event | None; a concrete event here
            cls = ev.__class__
            if cls in (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent):
                if stack and stack[-1][1] and stack[-1][2] is None:  # a key, under its current name (制成时间 → 形成时间)
                    stack[-1][2] = (ev.start_mark.index, ev.end_mark.index, current_key(stack[-1][0], ev.value))
                    continue
                key = None
                if not stack:
                    path = ()
                    in_flow = False
                else:
                    frame = stack[-1]
                    in_flow = frame[4]
                    if frame[1]:
                        key = frame[2]
                        path = (*frame[0], key[2])
                        frame[2] = None
                    else:
                        path = (*frame[0], frame[3])
                        frame[3] += 1
                kind = "scalar" if cls is yaml.ScalarEvent else "map" if cls is yaml.MappingStartEvent else "seq"
                flow = kind != "scalar" and bool(ev.flow_style)
                node = Node(ev.start_mark.index, ev.end_mark.index, kind, flow, in_flow,
                            key[0] if key else None, key[1] if key else None,
                            (ev.style or None) if kind == "scalar" else None)
                out[path] = node
                if kind == "scalar":
                    _extend(stack, node.end)
                else:
                    stack.append([path, kind == "map", None, 0, flow or in_flow, node])
            elif cls in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                frame = stack.pop()
                node = frame[5]
                if node.flow:
                    node.end = ev.end_mark.index
                _extend(stack, node.end)
    finally:
        parser.dispose()
    return out


def _extend(stack, end: int) -> None:
    """A block collection ends where its last content ends (libyaml's own end mark lies past any comments)."""
    if stack and not stack[-1][5].flow and stack[-1][5].end < end:
        stack[-1][5].end = end


def same(a, b, ordered: bool = True) -> bool:
    """Equal data with equal types (True == 1 in Python, but not in a dossier); key order too unless told."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        keys_match = list(a) == list(b) if ordered else set(a) == set(b)
        return keys_match and all(same(a[k], b[k], ordered) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y, ordered) for x, y in zip(a, b, strict=True))
    return a == b


@dataclass
class Source:
    """One file as read: bytes, text, strict data, node positions."""

    path: Path
    raw: bytes
    root_list: bool = False
    text: str = field(init=False)
    data: object = field(init=False)
    _nodes: dict | None = field(default=None, init=False, repr=False)

    def __post_init__(self):
        # refuses merge-conflict markers (L019), encodings, Tabs…; Windows line ends become LF, so whatever a
        # verb writes is LF throughout (never a CRLF file with LF lines spliced in)
        self.text = decode(self.raw).replace("\r\n", "\n")
        self.data = build(self.text, root_list=self.root_list)

    @classmethod
    def read(cls, path: Path, rel: str | None = None, root_list: bool = False, line_breaks: bool = False) -> Source:
        """``line_breaks``: read CRLF and lone CR as LF (for fmt: YAML reads all three as one line break,
        so the data is the same; ``raw`` stays the bytes on disk)."""
        try:
            with Path(path).open("rb") as fh:
                raw = fh.read(MAX_BYTES + 1)
        except FileNotFoundError:
            raise EditError(f"找不到文件 {rel or path}", 2) from None
        try:
            if line_breaks and b"\r" in raw:
                src = cls(Path(path), re.sub(rb"\r\n?", b"\n", raw), root_list)
                src.raw = raw
                return src
            return cls(Path(path), raw, root_list)
        except LoadError as exc:
            raise EditError(f"{rel or path}:{exc.line}:{exc.col}: {exc.code} {exc.message}；未作任何改动") from None

    @property
    def nodes(self) -> dict[tuple, Node]:
        if self._nodes is None:
            self._nodes = nodes(self.text)
        return self._nodes

    def node(self, path: tuple) -> Node:
        return self.nodes[tuple(path)]

    def with_text(self, text: str) -> Source:
        return Source(self.path, text.encode("utf-8"), self.root_list)


def _line_end(text: str, index: int) -> int:
    """Index just past the newline ending the line that holds ``index`` (len(text) at EOF)."""
    nl = text.find("\n", index)
    return len(text) if nl < 0 else nl + 1


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def replace_value(src: Source, path: tuple, value_text: str) -> str:
    """The text with the value at ``path`` replaced by ``value_text`` (already YAML)."""
    node = src.node(path)
    text = src.text
    if node.start == node.end:  # an empty value (`key:` with nothing after): write after the colon
        colon = text.index(":", node.key_end)
        return text[:colon + 1] + " " + value_text + text[colon + 1:]
    return text[:node.start] + value_text + text[node.end:]


def replace_entry(src: Source, path: tuple, lines: list[str]) -> str:
    """The text with the mapping entry at ``path`` (its key line through the end of its value) replaced by ``lines``.

    A key the mapping lacks is appended after the mapping's last content. Comments above the key and
    after the value stay where they are; comments inside the old value go with it.
    """
    text = src.text
    block = "".join(line + "\n" for line in lines)
    node = src.nodes.get(tuple(path))
    if node is None:
        parent = src.node(tuple(path[:-1]))
        at = _line_end(text, parent.end) if text.strip() else 0
        if at == len(text) and text and not text.endswith("\n"):
            return text + "\n" + block
        return text[:at] + block + text[at:]
    start = _line_start(text, node.anchor)
    return text[:start] + block + text[_line_end(text, node.end):]


def insert_item(src: Source, list_path: tuple, index: int, render) -> str:
    """The text with a new block-list item inserted at ``index`` of the list at ``list_path``.

    ``render(dash_column, flow)`` returns the item's lines; the dash column and flow style follow
    the existing items so the file keeps its own layout.
    """
    text = src.text
    where = path_text(list_path) or "（顶层）"
    seq = src.node(list_path)
    count = len(_get(src.data, list_path))
    if seq.kind != "seq":
        raise EditError(f"“{where}”不是列表，无法添加")
    if seq.flow and count:
        raise EditError(f"“{where}”写成了一行的 […] 形式，无法逐项添加：请先运行 dangan fmt 整理该文件")
    if not count:  # `key: []` (or an empty root list): the list becomes a block list
        if list_path:
            assert seq.key_start is not None  # a list below the root is a mapping entry's value
            key_line = _line_start(text, seq.key_start)
            dash = seq.key_start - key_line + 2
            lines = render(dash, list_path[-1] in FLOW_ITEMS)
            line_end = _line_end(text, seq.end)
            head = text[:seq.start].rstrip(" ") + text[seq.end:line_end].rstrip("\n")
            return head + "\n" + "".join(line + "\n" for line in lines) + text[line_end:]
        lines = render(0, False)
        if seq.flow:
            return text[:seq.start] + "".join(line + "\n" for line in lines) + text[_line_end(text, seq.end):]
        return text + "".join(line + "\n" for line in lines)
    sibling = src.node((*list_path, max(index - 1, 0)))
    line_start = _line_start(text, sibling.start)
    stripped = text[line_start:sibling.start].rstrip(" ")
    if not stripped.endswith("-") or stripped[:-1].strip():
        raise EditError(f"“{where}”的写法不常见，无法自动添加：请先运行 dangan fmt 整理该文件")
    block = "".join(line + "\n" for line in render(len(stripped) - 1, sibling.flow and sibling.kind == "map"))
    if index == 0:  # first of all: right under the key (comments above the old first item stay with it)
        at = _line_end(text, seq.key_start) if seq.key_start is not None else line_start
    else:  # after the line where the previous item's content ends, keeping that line's own comment
        at = _line_end(text, src.node((*list_path, index - 1)).end)
    if at == len(text) and not text.endswith("\n"):
        return text + "\n" + block
    return text[:at] + block + text[at:]


def _get(data, path: tuple):
    for part in path:
        data = data[part]
    return data


def verify(src: Source, new_text: str, expected) -> Source:
    """Read the edited text back; it must hold exactly ``expected`` or nothing is written."""
    try:
        result = src.with_text(new_text)
    except LoadError as exc:
        raise EditError(f"自动修改后的文件无法读取（{exc.code} {exc.message}），未写入：请报告维护人员", 70) from None
    if not same(result.data, expected):
        raise EditError("自动修改的结果与预期不符，未写入：请先运行 dangan fmt 整理该文件后重试", 70)
    return result


@dataclass
class Change:
    """One file's before and after (None = the file does not exist / is removed)."""

    path: Path
    rel: str
    before: bytes | None
    after: bytes | None

    @property
    def crlf(self) -> bool:
        """The file had Windows line ends (CRLF); the change writes LF."""
        return self.before is not None and b"\r\n" in self.before

    @property
    def eol_only(self) -> bool:
        """Only the line ends change (CRLF → LF)."""
        return self.crlf and self.after is not None and self.before is not None and self.before.replace(b"\r\n", b"\n") == self.after

    def diff(self) -> str:
        """The change as a unified diff for the clerk to read, ID numbers masked (privacy.scrub)."""
        return scrub(self._diff())

    def _diff(self) -> str:
        if self.after is None:
            return f"删除 {self.rel}\n"
        if not (_is_text(self.after) and _is_text(self.before or b"")):  # a photo: its size, never its bytes
            size = f"{len(self.after) / 1024:.1f} KB"
            return f"{'新文件' if self.before is None else '改动'} {self.rel}（{size}）\n"
        lines = self.after.count(b"\n")
        if self.before is None and lines > 30:  # a whole new dossier: its size, not its text
            return f"新文件 {self.rel}（{lines} 行）\n"
        before = (self.before or b"").replace(b"\r\n", b"\n")
        eol = (f"{self.rel}：换行符是 Windows 格式（CRLF），档案一律用 LF，"
               f"{'这是唯一的不同' if before == self.after else '一并改为 LF'}\n") if self.crlf else ""
        a = before.decode("utf-8").splitlines(keepends=True)
        b = self.after.decode("utf-8").splitlines(keepends=True)
        hunks = difflib.unified_diff(a, b, f"a/{self.rel}" if self.before is not None else "/dev/null",
                                     f"b/{self.rel}", n=1)
        return eol + scrub("".join(line if line.endswith("\n") else line + "\n" for line in hunks))


def _is_text(data: bytes) -> bool:
    if b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _unchanged_since_read(ch: Change) -> bool:
    try:
        return ch.path.read_bytes() == ch.before
    except FileNotFoundError:
        return ch.before is None


JOURNAL = "journal.json"  # in atomic.state_dir: the intent of a multi-file change, written before it starts


def _root_of(ch: Change) -> Path:
    return ch.path.parents[len(Path(ch.rel).parts) - 1] if Path(ch.rel).parts else ch.path.parent


def _lock(fh, block: bool) -> None:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK if block else msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), (fcntl.LOCK_EX | fcntl.LOCK_NB) if block else fcntl.LOCK_UN)


@contextmanager
def _locked(where: Path):
    """One dangan writer per repository at a time (an OS lock on a file: released when the process dies)."""
    where.mkdir(parents=True, exist_ok=True)
    with open(where / "lock", "a+b") as fh:
        deadline = time.monotonic() + 30
        while True:
            try:
                _lock(fh, True)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise EditError("另一个 dangan 命令正在修改本仓库的档案（等了 30 秒），请稍后再运行", 2) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            _lock(fh, False)


def _put_back(root: Path, rel: str, before: bytes | None) -> None:
    path = root / rel
    if before is None:
        path.unlink(missing_ok=True)
    else:
        write_atomic(path, before, overwrite=True)


def recover(root: Path) -> list[str]:
    """Undo a multi-file change that was interrupted (a kill, a power cut): every file back as it was before.

    Each file was written atomically, so each is either before or after; putting all back to before makes the
    repository what it was, and the clerk runs the command again. Returns the files put back (and says so on
    stderr). Costs one stat when there is nothing to do; takes the lock, so a change in progress is not undone.
    """
    where = state_dir(root)
    if not (where / JOURNAL).exists():
        return []
    with _locked(where):
        restored = _recover(root)
    if restored:
        print(f"注意：上次的修改命令没有做完（被中断），已把 {'、'.join(restored)} 恢复到那次命令之前的样子；"
              "请重新运行那条命令", file=sys.stderr)
    return restored


def _recover(root: Path) -> list[str]:
    journal = state_dir(root) / JOURNAL
    try:
        entries = json.loads(journal.read_bytes())["files"]
        restore = [(e["rel"], None if e["before"] is None else base64.b64decode(e["before"])) for e in entries]
    except FileNotFoundError:
        return []
    except (ValueError, KeyError, TypeError):  # a journal cut short: nothing had been written yet
        journal.unlink(missing_ok=True)
        return []
    names: dict[Path, set[str]] = {}  # folder → the journalled files in it
    for rel, before in restore:
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            continue  # never written by us
        _put_back(root, rel, before)
        names.setdefault((root / rel).parent, set()).add(Path(rel).name)
    # and the temporary files a killed write left beside them (atomic's ".<name>.<random>.tmp"): each folder
    # listed once, not once per file (a roster import journals thousands of files in one folder)
    for folder, files in names.items():
        for tmp in folder.glob(".*.tmp") if folder.is_dir() else ():
            if tmp.name[1:].rsplit(".", 2)[0] in files:
                tmp.unlink(missing_ok=True)
    journal.unlink(missing_ok=True)
    return [rel for rel, _ in restore]


def apply(changes: list[Change]) -> list[str]:
    """Write every change or none, even if the process is killed half-way; returns the files an earlier,
    interrupted change put back (see ``recover``).

    The intent (every file's old content) goes to a journal first; the files are written one by one; the journal
    is removed last. A file that changed on disk since the verb read it (an editor saved it meanwhile, another
    clerk's command) is never overwritten: nothing is written and the verb is refused. Verbs hold the
    repository's lock from the check to the last write, so two commands cannot lose each other's update.
    """
    if not changes:
        return []
    root = _root_of(changes[0])
    where = state_dir(root)
    with _locked(where):
        recovered = _recover(root)
        moved = [ch.rel for ch in changes if not _unchanged_since_read(ch)]
        if moved:
            raise EditError(f"{'、'.join(moved)} 在读取之后被改动过（或被新建、删除），为免覆盖别人的改动，"
                            "未写入任何文件；请重新运行命令", 2)
        journal = where / JOURNAL
        if len(changes) > 1:
            intent = {"files": [{"rel": ch.rel, "before": None if ch.before is None
                                 else base64.b64encode(ch.before).decode("ascii")} for ch in changes]}
            write_atomic(journal, json.dumps(intent, ensure_ascii=False).encode("utf-8"), overwrite=True)
        done: list[Change] = []
        try:
            for ch in changes:
                if ch.after is None:
                    os.unlink(ch.path)
                    crash_point()
                else:
                    write_atomic(ch.path, ch.after, overwrite=True)
                done.append(ch)
        except BaseException:
            for ch in reversed(done):
                _put_back(root, ch.rel, ch.before)
            journal.unlink(missing_ok=True)  # only once all is back: if putting back failed, the next run does it
            raise
        journal.unlink(missing_ok=True)
    return recovered


def create_all(root: Path, items: list[tuple[Path, bytes]]) -> None:
    """Many new files at once (a roster's dossiers), all or none, also across a kill: the journal names them
    first (each "before" is: no file), so the next dangan command removes those a killed run had linked.
    Files outside ``root`` (an import --into a folder elsewhere) are only written, never journalled."""
    if not items:
        return
    base = Path(root).resolve()
    try:
        rels = [Path(path).resolve().relative_to(base).as_posix() for path, _data in items]
    except ValueError:
        write_new_files(items)
        return
    where = state_dir(base)
    with _locked(where):
        _recover(base)
        there = [rel for rel, (path, _data) in zip(rels, items, strict=True) if Path(path).exists()]
        if there:
            raise EditError(f"{'、'.join(there[:3])}{'等' if len(there) > 3 else ''} 已经存在，为免覆盖，"
                            "未写入任何文件；请重新运行命令", 2)
        journal = where / JOURNAL
        write_atomic(journal, json.dumps({"files": [{"rel": rel, "before": None} for rel in rels]},
                                         ensure_ascii=False).encode("utf-8"), overwrite=True)
        linked: list[Path] = []
        try:
            write_new_files(items, linked)
        except BaseException:
            for path in linked:
                Path(path).unlink(missing_ok=True)
            journal.unlink(missing_ok=True)
            raise
        journal.unlink(missing_ok=True)


def line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def line_of(starts: list[int], index: int) -> int:
    """0-based line of a character index."""
    return bisect_right(starts, index) - 1
