"""JSON Schema → findings with lines and Chinese messages.

Two validators, one schema: ``jsonschema_rs`` answers "valid?" in microseconds for the
common case; only an invalid document goes through the reference ``jsonschema`` package,
whose error objects we turn into messages a clerk can act on. A test proves both agree.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from functools import cached_property
from pathlib import Path

import jsonschema_rs

from .dates import month_index, parse_day, parse_partial
from .findings import ERROR, Finding
from .load import Document
from .privacy import scrub

SCHEMA_FILE = "dossier.schema.json"
_ECMA_END = re.compile(r"(?<!\\)\$")  # an unescaped "$": end of input (the schema's patterns use no "[$]")
_TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "object": "“键: 值”映射",
               "array": "列表（每项以“- ”开头）", "boolean": "true（是）或 false（否）", "null": "null（空）"}
WORDS_FILE = "clerk-words.yaml"  # schema/codes/: what clerks write → the code table's words


def _type_of(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {int: "integer", float: "number", str: "string", dict: "object", list: "array"}.get(type(value), "?")


def inline_refs(schema: dict, base: Path) -> dict:
    """Replace ``{"$ref": "codes/x.json", title…}`` by the code table, local title/description winning.

    Both validators then see one self-contained schema; editors still follow the relative refs.
    """
    cache: dict[str, dict] = {}

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                if ref not in cache:
                    table = json.loads((base / ref).read_text("utf-8"))
                    table.pop("$schema", None)
                    cache[ref] = table
                merged = copy.deepcopy(cache[ref])
                merged.update({k: v for k, v in node.items() if k != "$ref"})
                return {k: walk(v) for k, v in merged.items()}
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


def _is_str_or(check):
    return lambda value: not isinstance(value, str) or check(value)


# Our own formats, asserted by both validators: a pattern cannot know that 2023.02.30 does not exist.
FORMATS = {
    "dangan-month": _is_str_or(lambda v: month_index(v) is not None),
    "dangan-date": _is_str_or(lambda v: parse_day(v) is not None),
    "dangan-partial-date": _is_str_or(lambda v: parse_partial(v) is not None),
}


class Schema:
    def __init__(self, schema_dir: Path, name: str = SCHEMA_FILE):
        self.dir = schema_dir
        raw = json.loads((schema_dir / name).read_text("utf-8"))
        self.document = inline_refs(raw, schema_dir)

    @cached_property
    def fast(self):
        return jsonschema_rs.Draft202012Validator(self.document, validate_formats=True, formats=FORMATS)

    @cached_property
    def reference(self):
        import jsonschema  # slow to import; only invalid documents need it

        def ecma_pattern(validator, pattern, instance, schema):
            # ECMA-262 (jsonschema_rs, editors): "$" is the very end. Python's "$" also matches before a
            # final newline, so "1970.03\n" (a "|" block scalar, a "\n" escape) passed here and failed there.
            if validator.is_type(instance, "string") and not re.search(_ECMA_END.sub(r"\\Z", pattern), instance):
                yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")

        cls = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": ecma_pattern})
        checker = jsonschema.FormatChecker()
        for name, check in FORMATS.items():
            checker.checks(name)(check)
        return cls(self.document, format_checker=checker)

    @cached_property
    def top_keys(self) -> list[str]:
        return list(self.document["properties"])

    def is_valid(self, data) -> bool:
        return self.fast.is_valid(data)

    @cached_property
    def words(self) -> dict[str, list[str]]:
        """Clerks' words → the standard words they mean (schema/codes/clerk-words.yaml), all sections merged."""
        from .load import load_file

        path = self.dir / "codes" / WORDS_FILE
        if not path.is_file():
            return {}
        merged: dict[str, list[str]] = {}
        for section in load_file(path).data.values():
            for word, targets in (section or {}).items():
                merged.setdefault(str(word), []).extend(t for t in targets if t not in merged.get(str(word), ()))
        return merged

    def findings(self, doc: Document) -> list[Finding]:
        return self.judge(doc)[0]

    def judge(self, doc: Document) -> tuple[list[Finding], set[tuple]]:
        """Findings, and the paths of the values they refuse (rules must not build on those)."""
        data = as_editor_reads(doc.data, doc.unquoted_numbers) if doc.unquoted_numbers else doc.data
        if self.is_valid(data):
            return [], set()
        out, empty, refused = [], set(), set()
        errors = list(self.reference.iter_errors(data))
        shaped = {tuple(e.absolute_path) for e in errors if e.validator in ("pattern", "type", "enum")}
        for error in errors:
            path = tuple(error.absolute_path)
            if error.validator == "format" and path in shaped:
                continue  # one mistake, one finding: the pattern's message already covers it
            if error.instance is None and error.validator in ("type", "enum", "pattern", "const"):
                if path not in empty:  # one "not filled in" instead of a type error plus an enum error
                    empty.add(path)
                    refused.add(path)
                    line, col = doc.mark(path, key=True)
                    out.append(Finding(doc.path, line, col, ERROR, "S008", f"{_label(error, path)}未填写"))
                continue
            if error.validator == "required":  # jsonschema repeats it once per missing key; we list them all once
                if path in empty:
                    continue
                empty.add(path)
                refused.update((*path, k) for k in error.validator_value)
            elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
                refused.update((*path, k) for k in error.instance if k not in error.schema.get("properties", {}))
            else:
                refused.add(path)
            out.extend(_translate(error, doc, self.document, self.words))
        if not out:  # the validators disagree: what the fast one refused must never pass silently
            out.append(Finding(doc.path, 1, 1, ERROR, "S099", "档案不符合格式要求（两个校验器结论不一致），请报告维护人员"))
        return out, refused


def _number(text: str):
    """What YAML 1.2 (and so the editor) makes of an unquoted number: an int where it can, else a float."""
    t = text.lstrip("+")
    try:
        if t.startswith(("0x", "0o")):
            return int(t[2:], 16 if t[1] == "x" else 8)
        if t.lstrip("-").isdigit():
            return int(t) if len(t) <= 18 else float(t)
        value = float(t.replace("inf", "Infinity").replace("Inf", "Infinity").replace("INF", "Infinity"))
        return value if value == value and abs(value) != float("inf") else 0.0  # NaN/inf: any number will do
    except ValueError:
        return 0.0


def as_editor_reads(data, paths):
    """A copy of ``data`` with the unquoted numbers as numbers, so check refuses what the editor refuses."""
    data = copy.deepcopy(data)
    for path in paths:
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = _number(node[path[-1]])
    return data


def _title(error) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    title = schema.get("title")
    if title:
        return title
    path = [p for p in error.absolute_path if isinstance(p, str)]
    return path[-1] if path else "档案"


def _label(error, path) -> str:
    """“出生年月” for a top-level field, “起始年月”（简历[3].起始） deeper down."""
    title, where = _title(error), path_text(path)
    return f"“{title}”" if not where or where == title else f"“{title}”（{where}）"


def path_text(path) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (("." if out else "") + str(part))
    return out


_FULLWIDTH = re.compile("[\uff01-\uff5e]")  # ０-９ ． ： Ｘ …: the IME's full-width forms of ASCII
_SPACES = {"\u00a0": "不间断空格（U+00A0，常见于从网页或 Word 复制的文字）", "\u3000": "全角空格", " ": "空格",
           "\u2002": "半角空格（U+2002）", "\u2003": "全角空格（U+2003）", "\u202f": "窄不间断空格（U+202F）"}
_WRONG_DOTS = {"•": "U+2022", "・": "U+30FB", ".": "半角句点", "．": "全角句点", "。": "句号", "·": "", "‧": "U+2027",
               "∙": "U+2219", "⋅": "U+22C5", "･": "U+FF65"}


def _where_in(value: str, i: int) -> str:
    if i == 0:
        return "开头"
    if i == len(value) - 1:
        return "末尾"
    return f"第 {i + 1} 个字"


def _char_hints(value: str) -> list[str]:
    """Name each odd character and say where it is: what a clerk cannot see, they cannot fix."""
    hints = []
    wide = [i for i, ch in enumerate(value) if _FULLWIDTH.fullmatch(ch)]
    if wide:
        narrow = "".join(chr(ord(ch) - 0xFEE0) if _FULLWIDTH.fullmatch(ch) else ch for ch in value)
        chars = "".join(dict.fromkeys(value[i] for i in wide))[:6]
        hints.append(f"含有全角字符“{chars}”，请改用半角，写作 \"{narrow}\"")
    for i, ch in enumerate(value):
        if ch in _SPACES:
            hints.append(f"{_where_in(value, i)}是{_SPACES[ch]}，请删除")
        elif ch in "\n\r":
            hints.append(f"{_where_in(value, i)}是换行，请删除")
        if len(hints) >= 3:
            break
    return hints


def _pattern_hints(value: str, title: str) -> str:
    hints = _char_hints(value)
    if "姓名" in title:
        for ch, what in _WRONG_DOTS.items():
            if ch in value and ch != "·":
                hints.append(f"间隔号应为“·”（U+00B7），这里用了“{ch}”（{what}）")
                break
    if re.fullmatch(r"[0-9]{17}x", value):
        hints.append("末位校验码 x 应大写为 X")
    if re.fullmatch(r"[0-9]{15}", value):
        hints.append("这是 15 位旧号码，请换成 18 位公民身份号码")
    if re.fullmatch(r"[0-9]{4}[-/年][0-9]{1,2}.*", value):
        hints.append("年月之间请用小数点，如 \"1970.03\"")
    if re.fullmatch(r"[0-9]{4}\.[0-9](\.[0-9]{1,2})?", value):
        hints.append(f"月份须两位，如 \"{value[:5]}0{value[5:]}\"")
    if re.fullmatch(r"[0-9]{4}\.[0-9]{2}\.[0-9]", value):
        hints.append(f"日须两位，如 \"{value[:8]}0{value[8:]}\"")
    return "；".join(hints)


def _enclosing(error, root: dict) -> dict:
    """The object schema holding an ``if``/``then`` branch: a ``then: {required: […]}`` has no ``properties``
    of its own, and the missing key's description is in the object's."""
    parts = list(error.absolute_schema_path)
    if len(parts) < 2 or parts[-2] not in ("then", "else"):
        return {}
    node = root
    for part in parts[:-2]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return {}
    return node if isinstance(node, dict) else {}


def impossible_day(value) -> str | None:
    """“2023 年 2 月没有 30 日” for a well-shaped date that does not exist; None otherwise."""
    m = re.fullmatch(r"((?:19|20)[0-9]{2})\.(0[1-9]|1[0-2])\.(0[1-9]|[12][0-9]|3[01])", value) \
        if isinstance(value, str) else None
    if not m or parse_day(value) is not None:
        return None
    return f"{int(m.group(1))} 年 {int(m.group(2))} 月没有 {int(m.group(3))} 日"


def _order(options: list[str]) -> list[str]:
    """The usual case first: “…毕业” before “…结业”/“…肄业”."""
    return sorted(options, key=lambda o: (not o.endswith("毕业"), o.endswith(("肄业", "结业"))))


def suggestions(value: str, schema: dict, words: dict[str, list[str]]) -> list[str]:
    """What the clerk most likely meant: clerks' words and the table's own short names first, then containment,
    then spelling. Only values the field accepts are ever suggested."""
    options = [str(o) for o in schema.get("enum", [])]
    allowed = set(options)
    text = value.strip().replace("\u00a0", "").replace("\u3000", "")
    if text in allowed:
        return [text]
    named = [t for t in words.get(text, []) if t in allowed]
    for ext in ("x-简称", "x-全称", "x-标准名称"):
        table = schema.get(ext)
        if isinstance(table, dict):
            named += _order([k for k, short in table.items() if short == text and k in allowed and k not in named])
    if named:
        return named
    if len(text) >= 2:
        inside = _order([o for o in options if text in o])
        if inside:
            return inside
    return _order(difflib.get_close_matches(text, options, n=3, cutoff=0.3))


def choices(options: list[str]) -> str:
    """“可选：A、B、C”, or numbered when an option itself contains “、”."""
    if any("、" in o for o in options):
        return f"可选（{len(options)} 项，整项照抄其一）：" + "；".join(f"{i}. {o}" for i, o in enumerate(options, 1))
    return "可选：" + "、".join(options)


def _translate(error, doc: Document, root: dict | None = None, words: dict | None = None) -> list[Finding]:
    path = tuple(error.absolute_path)
    where = path_text(path) or "档案"
    kw = error.validator
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    label = _label(error, path)
    key_mark = False
    code = "S099"
    if kw == "required":
        missing = [k for k in error.validator_value if not (isinstance(value, dict) and k in value)]
        out = []
        props = schema.get("properties") or _enclosing(error, root or {}).get("properties", {})
        for k in missing:
            prop = props.get(k, {})
            line, col = doc.mark(path)
            desc = prop.get("description", "")
            out.append(Finding(doc.path, line, col, ERROR, "S001",
                               (f"{where} " if path else "") + f"缺少必填项“{k}”" + (f"（{desc}）" if desc else "")))
        return out
    if kw == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        out = []
        for k in value:
            if k in allowed:
                continue
            guess = difflib.get_close_matches(str(k), allowed, n=1, cutoff=0.4)
            hint = f"，是不是“{guess[0]}”？" if guess else f"。可用的键：{'、'.join(allowed)}"
            line, col = doc.mark((*path, k), key=True)
            out.append(Finding(doc.path, line, col, ERROR, "S002", f"{path_text(path) or '档案'}中有未知的键“{k}”{hint}"))
        return out
    if kw == "type" and path in doc.unquoted_numbers:
        text = scrub(str(_at(doc.data, path)))  # an ID number is never echoed whole
        msg = (f"{label}要加引号，写作 \"{text}\"：不加引号，编辑器和 YAML 会把它当成数字"
               + (f"（{text} 会变成 {text.rstrip('0')}）" if "." in text and text.endswith("0") else "")
               + "；dangan fmt 会自动加上")
        code = "S003"
    elif kw == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        names = "".join(("或" if i else "") + (" " if n[0].isascii() else "") + n
                        for i, n in enumerate(str(_TYPE_NAMES.get(t, t)) for t in expected))
        msg = f"{label}应为{names}，现在是{_TYPE_NAMES.get(_type_of(value), '?')}"
        if "boolean" in expected and isinstance(value, str):
            yes, no = value in ("是", "对", "已故", "有", "yes", "Yes", "y", "Y"), value in ("否", "不是", "无", "no", "No", "n", "N")
            msg += f"：“{value}”请写成 {'true' if yes else 'false' if no else 'true 或 false'}（不加引号）"
        code = "S003"
    elif kw == "pattern" and impossible_day(value):
        msg = f"{label}“{value}”不是真实存在的日期：{impossible_day(value)}"
        code = "S009"
    elif kw == "pattern":
        msg = f"{label}格式不对"
        hint = _pattern_hints(value, _title(error)) if isinstance(value, str) else ""
        desc = schema.get("description", "")
        msg += f"：{hint}" if hint else (f"：{desc}" if desc else "")
        code = "S004"
    elif kw == "enum":
        options = [str(o) for o in error.validator_value]
        msg = f"{label}的值“{value}”不是规定的写法"
        hints = _char_hints(value) if isinstance(value, str) else []
        guess = suggestions(str(value), schema, words or {}) if isinstance(value, (str, int)) else []
        if hints:
            msg += "：" + "；".join(hints)
        if len(guess) > 5:
            msg += f"，是不是：{'、'.join(guess[:5])}等 {len(guess)} 种之一？"
        elif guess:
            msg += f"，是不是：{'、'.join(guess)}？"
        elif len(options) <= 12:
            msg += "，" + choices(options)
        else:
            msg += f"（共 {len(options)} 种，编辑器的补全列表中可选；代码表见 schema/codes/）"
        code = "S005"
    elif kw == "format":
        msg = f"{label}“{value}”不是真实存在的日期"
        code = "S009"
    elif kw in ("minLength", "maxLength"):
        n = error.validator_value
        msg = f"{label}" + ("不能为空" if kw == "minLength" and n == 1 else
                                         f"至少 {n} 个字" if kw == "minLength" else f"最多 {n} 个字，现为 {len(value)} 个字")
        code = "S006"
    elif kw in ("minimum", "maximum"):
        msg = f"{label}应{'不小于' if kw == 'minimum' else '不大于'} {error.validator_value}"
        code = "S006"
    elif kw == "minItems":
        msg = f"{label}至少要有 {error.validator_value} 项"
        code = "S006"
    elif kw == "uniqueItems":
        msg = f"{label}中有重复的项"
        code = "S007"
    elif kw == "not":
        msg = f"{label}的值“{value}”不允许" + ("：第四、九类须写子类，如 \"4-1\"、\"9-2\"" if value in (4, 9) else "")
        code = "S005"
    else:
        msg = f"{label}不符合要求（{kw}）"
    line, col = doc.mark(path, key=key_mark)
    return [Finding(doc.path, line, col, ERROR, code, msg)]


def _at(data, path):
    for part in path:
        data = data[part]
    return data
