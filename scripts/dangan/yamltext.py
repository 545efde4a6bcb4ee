"""How dangan writes YAML text: the one quoting rule shared by the generator and ``dangan fmt``.

A string is written plain only when our loader (scripts/dangan/load.py) can read it back as the
same string; everything else is double-quoted with JSON escapes, which YAML accepts.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

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
FLOW_ITEMS = frozenset(("档案目录", "年度考核"))


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
