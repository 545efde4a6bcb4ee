"""Command-line arguments are input too: refuse bytes that are not text before any verb sees them.

Python hands undecodable argv bytes over as lone surrogates (PEP 383); writing one anywhere raises
UnicodeEncodeError. Control, zero-width and bidi characters would end up invisible in a dossier or
on a terminal. Either is a usage error (exit 2) that names the argument's position, never its value.
"""

from __future__ import annotations

import re

from ..load import BAD_CHAR

_SURROGATE = re.compile("[\ud800-\udfff]")


def argument_problem(args: list[str]) -> str | None:
    """The Chinese message for the first unusable argument, or None."""
    for number, arg in enumerate(args, 1):
        where = f"第 {number} 个参数" + (f"（{args[number - 2]} 之后）" if number > 1 and args[number - 2][:1] == "-"
                                         and not _unusable(args[number - 2]) else "")
        if _SURROGATE.search(arg):
            return f"{where}不是有效的 UTF-8 文字（含有无法解码的字节）：请检查终端或脚本的编码"
        bad = BAD_CHAR.search(arg)
        if bad:
            return (f"{where}含有不可见的字符 U+{ord(bad.group()):04X}（控制字符、制表符、零宽或方向控制符）："
                    "请删除后重试")
    return None


def _unusable(arg: str) -> bool:
    return bool(_SURROGATE.search(arg) or BAD_CHAR.search(arg))
