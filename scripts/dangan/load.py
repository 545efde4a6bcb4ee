"""The strict loader: bytes → mapping, and every refusal of it.

PyYAML's defaults corrupt dossier data (``1970.10`` → 1970.1, ``010020`` → 4112,
``NO`` → False, duplicate keys silently dropped), so nothing else in dangan parses YAML.
We read libyaml's event stream (C speed) and build plain dicts/lists ourselves: every plain
scalar stays a string except ``true``/``false``/``null`` and short decimal integers.
Line marks are not recorded on the fast path; ``Document.mark`` re-reads the source once
when a finding needs a line, so valid files cost nothing extra.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern
from typing import Any

import yaml

from .factpath import NEW_KEYS, OLD_KEYS, current_key

try:  # libyaml is what makes loading fast; the pure-Python parser is a slow fallback
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - wheels of PyYAML ship libyaml
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

MAX_BYTES = 1 << 20  # a real dossier is 5–15 KB; anything near 1 MiB is a mistake or an attack
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,8})")  # ≤ 9 digits: years, 页数, 序号 — never an ID
# Booleans and nulls as YAML 1.2's core schema spells them: what yaml-language-server (the editor) reads too.
_NULLS = frozenset(("null", "Null", "NULL", "~", ""))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# A plain scalar YAML 1.2 (and so the editor) reads as a number, kept here as text so no digit is lost:
# "1970.03", an 18-digit ID number, "010020". Recorded, so the schema sees a number where the editor does.
_NUMBER = re.compile(r"[-+]?(?:[0-9]+|(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+|\.(?:inf|Inf|INF))"
                     r"|0o[0-7]+|0x[0-9a-fA-F]+|\.(?:nan|NaN|NAN)")
_NUMBER_START = frozenset("0123456789+-.")
# What `git merge` leaves in a file it could not merge: such a file is never a dossier, whatever else it holds.
CONFLICT_MARKER = re.compile(r"^(?:<{7}(?: |$)|={7}$|>{7}(?: |$))", re.M)
# C0/C1 controls, tab, zero-width and bidi controls: invisible, so refused wherever they appear.
# Unicode noncharacters (U+FDD0–FDEF, U+xxFFFE/xxFFFF) are never text; libyaml rejects U+FFFE/U+FFFF
# with a bare ReaderError, so they are refused here first, with a place.
_BMP_BAD = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\t\u200b-\u200f\u2028\u2029"
            "\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufdd0-\ufdef\ufffe\uffff")
_ASTRAL_BAD = "".join(f"{chr(p + 0xFFFE)}{chr(p + 0xFFFF)}" for p in range(0x10000, 0x110000, 0x10000))
BAD_CHAR = re.compile(f"[{_BMP_BAD}{_ASTRAL_BAD}]")
# The same, fast: a class with characters beyond U+FFFF makes every character of the text slow to test
# (a whole dossier: 1 ms instead of 30 µs), and almost no text has one — test those only when there are.
_BMP_BAD_CHAR = re.compile(f"[{_BMP_BAD}]")
_ASTRAL_BAD_CHAR = re.compile(f"[{_ASTRAL_BAD}]")


def find_bad_char(text: str) -> re.Match | None:
    """The first character ``BAD_CHAR`` refuses."""
    found = _BMP_BAD_CHAR.search(text)
    if not text.isascii() and len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text):  # beyond U+FFFF
        astral = _ASTRAL_BAD_CHAR.search(text, 0, found.start() if found else len(text))
        if astral:
            return astral
    return found

# YAML breaks lines at LF, CRLF and a lone CR (NEL, LS and PS are refused above). A lone CR would start a line
# that the loader sees and every line-based reader (the trail's section splitter, editors' diffs) does not.
_LONE_CR = re.compile(r"\r(?!\n)")

Path_ = tuple  # a path into the document: ("简历", 3, "起始")



class LoadError(Exception):
    """A refusal: carries a code, a Chinese message and a 1-based line/column."""

    def __init__(self, code: str, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.code, self.message, self.line, self.col = code, message, line, col


@dataclass
class Document:
    path: str
    data: Any  # a mapping (a dossier) or, with root_list, a list (a ledger)
    raw: bytes
    root_list: bool = False  # a ledger (ledgers/*.yaml) is a list of entries; a dossier is a mapping
    unquoted_numbers: tuple = ()  # paths of plain scalars the editor reads as numbers (see _NUMBER)
    _marks: dict[tuple, tuple[int, int]] | None = field(default=None, repr=False)
    _keymarks: dict[tuple, tuple[int, int]] | None = field(default=None, repr=False)

    def mark(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """1-based (line, col) of the value at ``path`` (or of its key), nearest ancestor if absent."""
        if self._marks is None:
            self._marks, self._keymarks = {}, {}
            build(self.raw.decode("utf-8"), self._marks, self._keymarks, root_list=self.root_list)
        assert self._keymarks is not None  # filled together with _marks
        path = tuple(path)
        table = self._keymarks if key else self._marks
        while True:
            if path in table:
                return table[path]
            if path in self._marks:
                return self._marks[path]
            if not path:
                return (1, 1)
            path = path[:-1]


def _char_position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _is_nonchar(ch: str) -> bool:
    return 0xFDD0 <= ord(ch) <= 0xFDEF or ord(ch) & 0xFFFE == 0xFFFE


def decode(raw: bytes) -> str:
    """Bytes → text, refusing every encoding a clerk's editor might have used by mistake."""
    if len(raw) > MAX_BYTES:
        raise LoadError("L001", f"文件过大（超过上限 {MAX_BYTES // 1024} KB），不像一份档案文件")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise LoadError("L002", "文件开头带有 BOM（字节顺序标记），请在编辑器中另存为“UTF-8（无 BOM）”")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and (raw[0] == 0 or raw[1] == 0)):
        raise LoadError("L003", "文件是 UTF-16 编码，请另存为 UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\x00" in raw:  # UTF-16 without BOM whose first character is not ASCII (e.g. “编号:”); GBK has no NULs
            raise LoadError("L003", "文件是 UTF-16 编码，请另存为 UTF-8") from None
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            raw.decode("gb18030")
            hint = "看起来是 GBK/GB18030 编码，请在编辑器中另存为 UTF-8"
        except UnicodeDecodeError:
            hint = "不是有效的 UTF-8 文本，请另存为 UTF-8"
        raise LoadError("L004", f"第 {line} 行第 {col} 个字节处编码错误：{hint}", line, col) from None
    if not text.strip():
        raise LoadError("L005", "文件为空")
    conflict = CONFLICT_MARKER.search(text) if ("<<<<<<<" in text or "=======" in text or ">>>>>>>" in text) else None
    if conflict:
        line, col = _char_position(text, conflict.start())
        raise LoadError("L019", "有未解决的合并冲突标记（<<<<<<<、=======、>>>>>>>）：请先解决冲突，"
                                "保留正确的内容并删去标记行", line, col)
    bad = find_bad_char(text)
    if bad:
        ch = bad.group()
        line, col = _char_position(text, bad.start())
        if ch == "\t":
            raise LoadError("L006", "含有制表符（Tab），YAML 只能用空格缩进，请换成空格", line, col)
        if _is_nonchar(ch):
            raise LoadError("L007", f"含有 Unicode 非字符 U+{ord(ch):04X}（不是文字，常见于损坏的复制粘贴），请删除",
                            line, col)
        raise LoadError("L007", f"含有不可见的控制字符 U+{ord(ch):04X}，请删除（常见于从网页或 Word 复制的文字）",
                        line, col)
    cr = _LONE_CR.search(text)
    if cr:
        line, col = _char_position(text, cr.start())
        raise LoadError("L008", "含有单独的回车符（CR，旧式 Mac 换行）：YAML 把它当作换行，别的程序却看不出来，"
                                "请在编辑器中把换行符改为 LF（dangan fmt 可以自动改正）", line, col)
    return text


_PROBLEMS = (  # libyaml's English → what a clerk can act on
    ("mapping values are not allowed", "此处不能出现“冒号+空格”：值里含冒号时请给整个值加引号"),
    ("could not find expected ':'", "缺少“键: 值”中的冒号，或引号没有配对"),
    ("did not find expected key", "缩进不一致：同一层的键必须对齐"),
    ("did not find expected '-' indicator", "列表项缩进不一致：同一列表的“-”必须对齐"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有配对"),
    ("found unknown escape character", "双引号内有无效的转义符“\\”，请改用单引号或删去反斜杠"),
    ("while scanning a quoted scalar", "引号没有配对"),
    ("found character that cannot start any token", "出现了不能作为值开头的字符（如 @ 或 `），请给值加引号"),
    ("while scanning an alias", "“*”开头的值会被当成别名，请给值加引号"),
    ("while scanning an anchor", "“&”开头的值会被当成锚点，请给值加引号"),
    ("while scanning a tag", "“!”开头的值会被当成类型标签，请给值加引号"),
    ("while parsing a block collection", "列表或映射的缩进不正确"),
    ("while parsing a block mapping", "缩进不正确或缺少冒号"),
    ("found a tab character", "含有制表符（Tab），请换成空格"),
)


_OPENS_QUOTE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s"'#][^:#]*:\s+)?(["'])""")


def _unclosed_quote(text: str, upto: int) -> tuple[int, int] | None:
    """The first line up to ``upto`` whose value opens a quote it never closes on that line.

    libyaml lets a quoted value run on to the next quote, lines later, and complains there;
    dossier values are one-liners, so the opening line is where the clerk must look.
    """
    for number, line in enumerate(text.split("\n")[:upto], 1):
        m = _OPENS_QUOTE.match(line)
        if not m:
            continue
        quote, rest = m.group(1), line[m.end():]
        closed = re.search(r'(?<!\\)"', rest) if quote == '"' else re.search(r"'(?!')", rest.replace("''", ""))
        if not closed:
            return number, m.end()
    return None


_KEY_FULLWIDTH_COLON = re.compile(r"^\s*(?:-\s+)?[^\s:#\"'\[{][^:#\"']*?(：)")
_KEY_NO_SPACE = re.compile(r"^\s*(?:-\s+)?[^\s:#\"'\[{-][^:#\"'\s]*(:)[^\s:/]")
_FLOW_SLIP = re.compile(r"[\[{][^\]}]*?([，、；])")


def _ime_slip(text: str, lines: list[int]) -> LoadError | None:
    """The Chinese IME's usual slips, said as what they are: a full-width colon or comma, no space after “:”."""
    rows = text.split("\n")
    for number in dict.fromkeys(n for n in lines if 1 <= n <= len(rows)):
        row = rows[number - 1]
        if row.lstrip().startswith("#"):
            continue
        m = _KEY_FULLWIDTH_COLON.match(row)
        if m and ": " not in row[:m.start(1)]:
            return LoadError("L010", f"第 {number} 行的冒号是全角的“：”：键和值之间要用半角冒号加一个空格，"
                                     f"写作“{row[:m.start(1)].strip()}: {row[m.end(1):].strip()}”", number, m.start(1) + 1)
        m = _KEY_NO_SPACE.match(row)
        if m and ": " not in row:
            return LoadError("L010", f"第 {number} 行的冒号后面少了一个空格：写作“{row[:m.start(1)].strip()}: "
                                     f"{row[m.end(1):].strip()}”", number, m.start(1) + 1)
        m = _FLOW_SLIP.search(row)
        if m:
            return LoadError("L010", f"第 {number} 行的列表中用了全角的“{m.group(1)}”：各项之间要用半角逗号“,”分隔",
                             number, m.start(1) + 1)
    return None


def _yaml_error(exc: yaml.MarkedYAMLError, text: str = "") -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    if mark and text:
        quote = _unclosed_quote(text, mark.line + 1)
        if quote:
            return LoadError("L010", "引号没有配对：这一行的值以引号开头，但行内没有结束的引号", *quote)
        near = [mark.line + 1, mark.line] + ([exc.context_mark.line + 1] if exc.context_mark else [])
        slip = _ime_slip(text, near)
        if slip:
            return slip
    text = f"{exc.context or ''} {exc.problem or ''}"
    message = next((zh for en, zh in _PROBLEMS if en in text), None)
    if message is None:
        message = f"YAML 语法错误（{(exc.problem or exc.context or '').strip()}）"
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return LoadError("L010", message, line, col)


def _pos(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


# Parsed dossiers are held by the thousand (the site, the grading): the same keys and short values repeat in every
# one of them (a catalog entry's 类号, 材料名称 …), and one shared string each cuts a parsed dossier from ~88 to ~31 KB.
SHARED = 40


def build(text: str, marks: dict | None = None, keymarks: dict | None = None, root_list: bool = False,
          outline: dict | None = None, numbers: list | None = None) -> Any:
    """Event stream → plain Python data; raises LoadError on anything we refuse.

    ``outline`` (a dossier's shape, for the trail's section splitter to prove itself against) receives
    {top-level key: [its line, then the line of each item when its value is a list]}.
    ``numbers`` collects the paths of plain scalars kept as text that YAML 1.2 would read as numbers.
    """
    parser = _Parser(text)
    ScalarEvent, MappingStart, SequenceStart = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    MappingEnd, SequenceEnd = yaml.MappingEndEvent, yaml.SequenceEndEvent
    AliasEvent, DocumentStart = yaml.AliasEvent, yaml.DocumentStartEvent
    root = None
    documents = 0
    # frame: [container, path, pending_key, key_lines]
    stack: list[list] = []
    try:
        while parser.check_event():
            event: Any = parser.get_event()  # PyYAML's stubs type it Event | None; it is a concrete event here
            cls = event.__class__
            if cls is ScalarEvent or cls is MappingStart or cls is SequenceStart:
                if event.anchor is not None:
                    raise LoadError("L011", f"不允许使用锚点“&{event.anchor}”：每个值请直接写出", *_pos(event))
                if event.tag is not None and not (cls is ScalarEvent and event.implicit[0] | event.implicit[1]):
                    raise LoadError("L012", f"不允许使用类型标签“{event.tag}”", *_pos(event))
                numeric = False
                if cls is ScalarEvent:
                    value = event.value
                    if len(value) <= SHARED:  # one string object for every 类号 "4", 学历, unit name… (memory)
                        value = intern(value)
                    if not event.style:  # plain scalar ("" from libyaml, None from pure Python): the only place YAML would guess a type
                        if value in _NULLS:
                            value = None
                        elif value in _BOOLS:
                            value = _BOOLS[value]
                        elif _INT.fullmatch(value):
                            value = int(value)
                        elif numbers is not None and value[0] in _NUMBER_START and _NUMBER.fullmatch(value):
                            numeric = True
                    elif event.style == '"' and (bad := find_bad_char(value)):
                        # "\u202e", "\t", "\0" escapes put invisible characters in without their bytes
                        ch = bad.group()
                        kind = "Unicode 非字符" if _is_nonchar(ch) else "不可见的控制字符"
                        raise LoadError("L007", f"双引号内的转义写出了{kind} U+{ord(ch):04X}，请删除", *_pos(event))
                else:
                    value = {} if cls is MappingStart else []
                if not stack:
                    root = value
                    if root_list:
                        if cls is not SequenceStart:
                            raise LoadError("L013", "文件顶层必须是列表（每项以“- ”开头，一项一条登记）", *_pos(event))
                    elif cls is not MappingStart:
                        raise LoadError("L013", "文件顶层必须是“键: 值”映射（档案的各个字段）", *_pos(event))
                    if marks is not None:
                        marks[()] = _pos(event)
                    stack.append([value, (), None, {}])
                    continue
                frame = stack[-1]
                container = frame[0]
                if container.__class__ is dict:
                    if frame[2] is None:  # this event is a key
                        if cls is not ScalarEvent:
                            raise LoadError("L014", "键必须是简单的文字", *_pos(event))
                        key = intern(event.value)
                        if key == "<<" and not event.style:
                            raise LoadError("L015", "不允许使用合并键“<<”", *_pos(event))
                        line = event.start_mark.line + 1
                        if key in OLD_KEYS:
                            key = current_key(frame[1], key)
                        first = frame[3].get(key)
                        if first is not None and key in NEW_KEYS and current_key(frame[1], NEW_KEYS[key]) == key:
                            raise LoadError("L016", f"“{key}”（旧称“{NEW_KEYS[key]}”）在同一条目中重复出现"
                                                    f"（第 {first} 行已有）：新旧两个键名只能写一个", line,
                                            event.start_mark.column + 1)
                        if first is not None:
                            raise LoadError("L016", f"键“{key}”重复出现（第 {first} 行已有），"
                                                    "后一个会悄悄覆盖前一个，请合并为一个", line,
                                            event.start_mark.column + 1)
                        frame[3][key] = line
                        frame[2] = key
                        if outline is not None and len(stack) == 1:
                            outline[key] = [line]
                        if keymarks is not None:
                            keymarks[frame[1] + (key,)] = _pos(event)
                        continue
                    key = frame[2]
                    frame[2] = None
                    container[key] = value
                    path = frame[1] + (key,)
                else:
                    path = frame[1] + (len(container),)
                    container.append(value)
                    if outline is not None and len(stack) == 2:
                        outline[path[0]].append(event.start_mark.line + 1)
                if marks is not None:
                    marks[path] = _pos(event)
                if numeric and numbers is not None:
                    numbers.append(path)
                if cls is not ScalarEvent:
                    stack.append([value, path, None, {}])
            elif cls is MappingEnd or cls is SequenceEnd:
                stack.pop()
            elif cls is AliasEvent:
                raise LoadError("L011", f"不允许使用别名“*{event.anchor}”：每个值请直接写出", *_pos(event))
            elif cls is DocumentStart:
                documents += 1
                if documents > 1:
                    raise LoadError("L017", "一个文件只能有一份档案（发现了第二个“---”文档）", *_pos(event))
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, text) from None
    except yaml.YAMLError as exc:  # ReaderError and kin carry no mark; decode() refuses what we know of
        raise LoadError("L010", f"YAML 无法读取（{type(exc).__name__}）") from None
    except RecursionError:  # pragma: no cover - libyaml limits depth itself
        raise LoadError("L018", "嵌套层次过深") from None
    finally:
        parser.dispose()
    if root is None:
        raise LoadError("L005", "文件为空")
    return root


def load_bytes(raw: bytes, path: str = "<输入>", root_list: bool = False) -> Document:
    text = decode(raw)
    numbers: list = []
    data = build(text, root_list=root_list, numbers=numbers)
    return Document(path=path, data=data, raw=raw, root_list=root_list, unquoted_numbers=tuple(numbers))


def load_file(path: str | Path, root_list: bool = False) -> Document:
    p = Path(path)
    with p.open("rb") as fh:
        raw = fh.read(MAX_BYTES + 1)
    return load_bytes(raw, str(path), root_list=root_list)
