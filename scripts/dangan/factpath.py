"""The path syntax of a 认定记录 ``项目``: which fact, or which part of it, a 认定 names.

    出生年月                 a top-level field
    学历学位[2].毕业时间      the 2nd entry (counted from 1) of a list, one of its keys
    年度考核[2019].结果       年度考核 entries are named by their 年度
    档案目录[9-2-5]           档案目录 entries are named by their 顺序号
    干部身份.取得方式          a key of a mapping

The same syntax is what ``Change.ref`` prints, so the clerk can copy it into 项目.
"""

from __future__ import annotations

import re

from .errors import UsageError

# Keys renamed by the rules of the trade, read under their current name wherever they appear:
# 组通字〔2012〕28号 renamed the catalog's 材料制成时间 to 材料形成时间. Files written before keep
# working; everything dangan writes uses the new key, and since both versions read alike, the commit
# that migrates a file (dangan fmt) shows no change in the trail.
OLD_KEYS = {"制成时间": "形成时间"}
ALIAS_PARENTS = frozenset(("档案目录",))  # the lists whose entries carry the renamed keys
NEW_KEYS = {new: old for old, new in OLD_KEYS.items()}


def current_key(parent: tuple, key: str) -> str:
    """The current name of ``key`` in the mapping at ``parent`` (a path), e.g. 制成时间 → 形成时间 in a catalog entry."""
    new = OLD_KEYS.get(key)
    if new is not None and len(parent) == 2 and parent[0] in ALIAS_PARENTS:
        return new
    return key


# Lists whose entries have a natural name; the others are named by position.
KEYED = {"年度考核": "年度", "档案目录": "顺序号"}
_TOKEN = re.compile(r"\[([^\[\]]+)\]|\.([^\[\].\s]+)")
_NAME = re.compile(r"[^\[\].\s]+")
_YEAR = re.compile(r"(19|20)[0-9]{2}")
_SEQ = re.compile(r"(?:[0-9]|10|4-[1-4]|9-[1-4])-[1-9][0-9]*")


class PathError(UsageError, ValueError):
    """A 项目 that is not a well-formed path; the message is Chinese (exit 2)."""


def entry_key(section: str, entry: object) -> str | None:
    """The name of a keyed list's entry ("9-2-5", "2019"), None when it has none."""
    if not isinstance(entry, dict):
        return None
    if section == "档案目录":
        if entry.get("类号") is None or not isinstance(entry.get("序号"), int):
            return None
        return f"{entry['类号']}-{entry['序号']}"
    if section == "年度考核":
        return str(entry["年度"]) if isinstance(entry.get("年度"), int) else None
    return None


def parse(text: str) -> tuple:
    """"学历学位[2].毕业时间" → ("学历学位", 1, "毕业时间"); list positions become 0-based ints, keys stay text."""
    if not isinstance(text, str):
        raise PathError("认定项目应为文字")
    head = _NAME.match(text)
    if not head:
        raise PathError(f"认定项目“{text}”应以字段名开头，如“出生年月”“学历学位[1].毕业时间”")
    path: list = [head.group()]
    pos = head.end()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise PathError(f"认定项目“{text}”第 {pos + 1} 个字符处写法不对：下标写在方括号中，键名前加“.”")
        if m.group(1) is not None:
            path.append(_index(path, m.group(1).strip(), text))
        else:  # a renamed key under its current name: 档案目录[9-2-5].制成时间 is 档案目录[9-2-5].形成时间
            path.append(current_key(tuple(path), m.group(2)))
        pos = m.end()
    return tuple(path)


def _index(path: list, raw: str, text: str) -> str | int:
    section = path[0] if len(path) == 1 else None
    if section == "档案目录":
        if not _SEQ.fullmatch(raw):
            raise PathError(f"认定项目“{text}”中，档案目录的条目用顺序号标明，如“档案目录[9-2-5]”")
        return raw
    if section == "年度考核":
        if not _YEAR.fullmatch(raw):
            raise PathError(f"认定项目“{text}”中，年度考核的条目用年度标明，如“年度考核[2019]”")
        return raw
    if not raw.isdigit() or int(raw) < 1:
        raise PathError(f"认定项目“{text}”中的“[{raw}]”应为从 1 起的序数，如“学历学位[1]”")
    return int(raw) - 1


def render(path: tuple) -> str:
    """The inverse of ``parse``: ("学历学位", 1, "毕业时间") → "学历学位[2].毕业时间"."""
    out = []
    for i, part in enumerate(path):
        if isinstance(part, int):
            out.append(f"[{part + 1}]")
        elif i > 0 and path[0] in KEYED and i == 1:
            out.append(f"[{part}]")
        else:
            out.append(("." if i else "") + str(part))
    return "".join(out)


def label(path: tuple) -> str:
    """A reader's name for a path: ("学历学位", 1, "毕业时间") → "学历学位第 2 项 毕业时间"."""
    out = []
    for i, part in enumerate(path):
        if isinstance(part, int):
            out.append(f"第 {part + 1} 项")
        elif i == 1 and path[0] in KEYED:
            out.append(f" {part}" if path[0] == "档案目录" else f" {part} 年度")
        else:
            out.append((" " if i else "") + str(part))
    return "".join(out).replace("项 ", "项 ")
