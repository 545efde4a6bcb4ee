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

SCHEMA_FILE = "dossier.schema.json"
_ECMA_END = re.compile(r"(?<!\\)\$")  # an unescaped "$": end of input (the schema's patterns use no "[$]")
_TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "object": "“键: 值”映射",
               "array": "列表（每项以“- ”开头）", "boolean": "true 或 false", "null": "null（空）"}


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

    def findings(self, doc: Document) -> list[Finding]:
        if self.is_valid(doc.data):
            return []
        out, empty = [], set()
        for error in self.reference.iter_errors(doc.data):
            path = tuple(error.absolute_path)
            if error.instance is None and error.validator in ("type", "enum", "pattern", "const"):
                if path not in empty:  # one "not filled in" instead of a type error plus an enum error
                    empty.add(path)
                    line, col = doc.mark(path, key=True)
                    out.append(Finding(doc.path, line, col, ERROR, "S008", f"{_label(error, path)}未填写"))
                continue
            if error.validator == "required":  # jsonschema repeats it once per missing key; we list them all once
                if path in empty:
                    continue
                empty.add(path)
            out.extend(_translate(error, doc, self.document))
        if not out:  # the validators disagree: what the fast one refused must never pass silently
            out.append(Finding(doc.path, 1, 1, ERROR, "S099", "档案不符合格式要求（两个校验器结论不一致），请报告维护人员"))
        return out


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


_FULLWIDTH = re.compile("[０-９．Ｘｘ：]")


def _pattern_hints(value: str) -> str:
    hints = []
    if _FULLWIDTH.search(value):
        hints.append("含有全角字符（如“１９７０”），请改用半角")
    if value != value.strip():
        hints.append("首尾有空格或换行，请删除")
    if "\u3000" in value:
        hints.append("含有全角空格，请删除")
    if re.fullmatch(r"[0-9]{17}x", value):
        hints.append("末位校验码 x 应大写为 X")
    if re.fullmatch(r"[0-9]{15}", value):
        hints.append("这是 15 位旧号码，请换成 18 位公民身份号码")
    if re.fullmatch(r"[0-9]{4}[-/年][0-9]{1,2}.*", value):
        hints.append("年月之间请用小数点，如 \"1970.03\"")
    if re.fullmatch(r"[0-9]{4}\.[0-9]\b.*", value):
        hints.append("月份须两位，如 \"1970.03\"")
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


def _translate(error, doc: Document, root: dict | None = None) -> list[Finding]:
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
            out.append(Finding(doc.path, line, col, ERROR, "S002", f"{path_text(path) or '档案'} 中有未知的键“{k}”{hint}"))
        return out
    if kw == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        names = "或".join(_TYPE_NAMES.get(t, t) for t in expected)
        msg = f"{label}应为{names}，现在是{_TYPE_NAMES.get(_type_of(value), '?')}"
        if "string" in expected and isinstance(value, (int, float)) and not isinstance(value, bool):
            msg += "：请给值加引号，如 \"1970.03\""
        code = "S003"
    elif kw == "pattern":
        msg = f"{label}格式不对"
        hints = _pattern_hints(value) if isinstance(value, str) else ""
        desc = schema.get("description", "")
        msg += f"：{hints}" if hints else (f"：{desc}" if desc else "")
        code = "S004"
    elif kw == "enum":
        options = [str(o) for o in error.validator_value]
        guess = difflib.get_close_matches(str(value), options, n=3, cutoff=0.3)
        msg = f"{label}的值“{value}”不是规定的写法"
        if guess:
            msg += f"，是不是：{'、'.join(guess)}？"
        elif len(options) <= 12:
            msg += f"，可选：{'、'.join(options)}"
        else:
            msg += "（见 schema/codes/ 中的代码表）"
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
