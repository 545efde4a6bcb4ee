"""Ordering names by 姓氏笔画 (DOMAIN.md §9): stroke count, then stroke order, then the next character.

Each character's key is (stroke count, its strokes as digits 1横 2竖 3撇 4点 5折): fewer strokes
first; equal counts compare the first stroke, then the second, and so on. Names compare
character by character. The data (site/data/stroke-order.txt, from cnchar-order, MIT) follows
《GB13000.1字符集汉字笔顺规范》's five classes; it does not apply the roster convention that turns
the short 撇 of 关/羊 into a 点 (rule 3), nor the 左右→上下→整体 tie-break (rule 4): characters with
identical strokes fall back to code point order, so the order is still total and stable.

Two conventions for a 单名 (a one-character given name), chosen in schema/policy.yaml (花名册排序):
- 按姓氏笔画 (党代会、政协): the missing second character is a blank that sorts first — 田富 before 田大利;
- 按姓名笔画 (人大): every character of the name takes part — 田大利 before 田富.
A 单名 is a two-character name, or a three-character one whose first two are a compound surname.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

SURNAME_FIRST, WHOLE_NAME = "按姓氏笔画", "按姓名笔画"
CONVENTIONS = (SURNAME_FIRST, WHOLE_NAME)
DATA = Path(__file__).resolve().parent / "site" / "data" / "stroke-order.txt"
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木 澹台 申屠 南宫 独孤 百里 "
    "呼延 万俟 闻人 赫连 濮阳 公冶 太史 仲孙 单于 西门 东郭 左丘 即墨 第五".split())

_BLANK = (0, "", 0)  # the blank of a 单名: before every character
_UNKNOWN = 999  # characters without data (rare, non-Chinese): after every known character, by code point


@cache
def table() -> dict[str, str]:
    """Character → stroke digits, read once."""
    out = {}
    for line in DATA.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            char, code = line.split(" ", 1)
            out[char] = code
    return out


def strokes(char: str) -> str | None:
    """The stroke digits of one character (``王`` → ``1121``), or None when unknown."""
    return table().get(char)


def char_key(char: str) -> tuple[int, str, int]:
    code = table().get(char)
    if code is None:
        return (_UNKNOWN, "", ord(char))
    return (len(code), code, ord(char))


def is_single_name(name: str) -> bool:
    """A one-character given name: 田富, 欧阳修 (not 欧阳少东, not 李大鸣)."""
    return len(name) == 2 or (len(name) == 3 and name[:2] in COMPOUND_SURNAMES)


def name_key(name: str, convention: str = SURNAME_FIRST) -> tuple:
    """Sort key of a full name under one of ``CONVENTIONS``."""
    if convention not in CONVENTIONS:
        raise ValueError(f"未知的花名册排序方式“{convention}”（应为 {' 或 '.join(CONVENTIONS)}）")
    name = "".join((name or "").split())
    keys = [char_key(c) for c in name]
    if convention == SURNAME_FIRST and is_single_name(name):
        keys.insert(len(name) - 1, _BLANK)
    return tuple(keys)


def sort_names(names: Iterable[str], convention: str = SURNAME_FIRST) -> list[str]:
    return sorted(names, key=lambda n: name_key(n, convention))
