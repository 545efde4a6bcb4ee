"""Masking of sensitive values. Every text a user reads passes through ``scrub``.

An ID number is recognised however it is written: ASCII or full-width digits, and with spaces or
hyphens between the digits (``1102 2619 9107 2673 99``, ``110226-19910726-7399``). ``find_ids``
is the one detector: ``scrub`` masks what it finds, the site's post-build scan fails on it.
"""

from __future__ import annotations

import datetime as dt
import re

_DIGITS = "0-9０-９"
_CHECK = "XxＸｘ"
# What people put between the digits of a number they copy: spaces of every width, hyphens and dashes.
# Not "." or "/" (dates use them) nor "、" or "，" (lists of years).
SEPARATORS = " \u00a0\u2000-\u200a\u202f\u205f\u3000\\-\u2010-\u2015\u2212\ufe63\uff0d"
# A run: digits, each joined to the next by at most three separators, perhaps a check letter at the end.
_RUN = re.compile(f"(?<![{_DIGITS}])[{_DIGITS}](?:[{SEPARATORS}]{{0,3}}[{_DIGITS}])*"
                  f"(?:[{SEPARATORS}]{{0,3}}[{_CHECK}])?(?![{_DIGITS}{_CHECK}])")
_PLAIN_MIN = 15  # a run of 15+ digits with nothing between: an ID, or one with a digit too many or too few
_SPACED = frozenset((17, 18, 19))  # digits of a separated run masked whole: an ID, or one a digit off
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")


def _checksum_ok(digits: str) -> bool:
    """GB 11643: the 18th character is the check code of the first 17."""
    d = digits.translate(_FULLWIDTH).upper()
    if len(d) != 18 or not d[:17].isdigit():
        return False
    return "10X98765432"[sum(int(c) * w for c, w in zip(d[:17], _WEIGHTS, strict=True)) % 11] == d[17]


def _birth_ok(digits: str) -> bool:
    d = digits.translate(_FULLWIDTH)
    try:
        return 1900 <= int(d[6:10]) <= 2099 and bool(dt.date(int(d[6:10]), int(d[10:12]), int(d[12:14])))
    except ValueError:
        return False


def _looks_like_id(digits: str) -> bool:
    return _checksum_ok(digits) or _birth_ok(digits)


def find_ids(text: str, strict: bool = False) -> list[tuple[int, int, list[int]]]:
    """Where ID-shaped numbers are: (start, end, indices of their digit characters).

    A run without separators counts from 15 digits (``strict``: 18 characters, what the site scan fails on).
    A separated run counts whole with 17–19 digits (``strict``: 18); a longer one counts where 18 of its
    digits, starting and ending at a separator, read as an ID (valid check code or a real birth date).
    """
    out = []
    for m in _RUN.finditer(text):
        if m.end() - m.start() < _PLAIN_MIN:  # fewer characters than any ID has digits (most runs: years, pages)
            continue
        run = m.group()
        positions = [m.start() + i for i, ch in enumerate(run) if ch not in SEPARATORS]
        n = len(positions)
        if n < _PLAIN_MIN:
            continue
        if len(run) == n:  # no separators
            if n >= (18 if strict else _PLAIN_MIN):
                out.append((m.start(), m.end(), positions))
            continue
        if (n == 18) if strict else (n in _SPACED):
            out.append((m.start(), m.end(), positions))
            continue
        out.extend(_aligned(text, positions))
    return out


def _aligned(text: str, positions: list[int]) -> list[tuple[int, int, list[int]]]:
    """18-digit windows of a long separated run that begin and end at a group boundary and read as an ID."""
    starts = [0] + [i for i in range(1, len(positions)) if positions[i] != positions[i - 1] + 1]
    ends = {s - 1 for s in starts[1:]} | {len(positions) - 1}
    out = []
    for s in starts:
        e = s + 17
        if e in ends:
            digits = "".join(text[p] for p in positions[s:e + 1])
            if _looks_like_id(digits):
                out.append((positions[s], positions[e] + 1, positions[s:e + 1]))
    return out


def mask_id(value: str) -> str:
    """An 18-character ID → ``1404**********1234``: first four and last four kept, the rest starred."""
    value = str(value)
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def differing_positions(old: object, new: object) -> str:
    """Where two ID numbers differ, by position (from 1): “第 7–14 位” — never which digits they hold."""
    old, new = str(old), str(new)
    diff = [i + 1 for i in range(max(len(old), len(new))) if i >= len(old) or i >= len(new) or old[i] != new[i]]
    if not diff:
        return ""
    runs: list[list[int]] = []
    for p in diff:
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    where = "、".join(f"{a}–{b}" if b > a else str(a) for a, b in runs)
    size = f"，位数 {len(old)} → {len(new)}" if len(old) != len(new) else ""
    return f"第 {where} 位{size}"


def id_change(old: object, new: object) -> str:
    """An ID number's change as a reviewer must see it, never echoing either number:
    ``1102**********7399 → 1102**********7399（第 7–14 位不同）``. Masking alone would show two equal strings."""
    where = differing_positions(old, new)
    return f"{mask_id(str(old))} → {mask_id(str(new))}" + (f"（{where}不同）" if where else "")


def scrub(text: str) -> str:
    """Mask anything shaped like an ID number in a message, whatever produced it (separators are kept)."""
    if len(text) < _PLAIN_MIN:  # too short to hold one (every value of a page goes through here)
        return text
    hits = find_ids(text)
    if not hits:
        return text
    chars = list(text)
    for _start, _end, positions in hits:
        for p in positions[4:-4] if len(positions) > 8 else positions:
            chars[p] = "*"
    return "".join(chars)


# ---------------------------------------------------------------- family members: never on the site

FAMILY = "家庭成员"
HIDDEN = "（不公开）"
_SUBJECT = ("项目", "原值", "认定值", "说明")  # the fields of a 认定记录 that say what and whom it is about
_NAME = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff·]{2,6}")
_NOT_NAMES = frozenset(("删除", "新增", "增加", "修改", "去世", "病故", "离婚", "离异", "不详", "无", "空"))


def about_family(item: object) -> bool:
    """A 认定记录 项目 that names a family member (家庭成员[2], 家庭成员[2].姓名 …)."""
    return isinstance(item, str) and item.strip().startswith(FAMILY)


def family_change(path: tuple, old: object = None, new: object = None) -> bool:
    """A field-level change that is about a family member: shown on the site without its values.

    An edited field of an existing 认定记录 does not say whom the record is about, so its subject
    fields count as family whatever they hold (such edits are rare: a 认定 is added, not rewritten).
    """
    if not path:
        return False
    if path[0] == FAMILY:
        return True
    if path[0] != "认定记录":
        return False
    if len(path) >= 3:
        return path[2] in _SUBJECT
    entries = [v for v in (old, new) if v is not None]
    if len(path) == 1:
        entries = [e for v in entries if isinstance(v, list) for e in v]
    return any(isinstance(e, dict) and about_family(e.get("项目")) for e in entries)


def family_determination(entry: dict) -> dict:
    """A 认定记录 entry as the site may show it: about a family member, only what was decided when, by whom."""
    if not about_family(entry.get("项目")):
        return entry
    return {**entry, "项目": FAMILY, **{k: HIDDEN for k in ("原值", "认定值", "说明") if entry.get(k) is not None}}


def names_in(value: object, out: set[str] | None = None, named: bool = False, loose: bool = False) -> set[str]:
    """Family members' names inside a value of 家庭成员 (their 姓名) or of a 认定记录 about one.

    ``named``: the value itself is a 姓名. ``loose``: a bare 原值/认定值 that looks like a name counts too.
    """
    out = set() if out is None else out
    if isinstance(value, dict):
        if about_family(value.get("项目")):
            named_item = str(value["项目"]).rstrip().endswith("姓名")
            for key in ("原值", "认定值"):
                names_in(value.get(key), out, named=named_item, loose=True)
        elif "姓名" in value:
            names_in(value["姓名"], out, named=True)
    elif isinstance(value, list):
        for v in value:
            names_in(v, out, named, loose)
    elif isinstance(value, str):
        name = "".join(value.split())
        if (named and len(name) >= 2) or (loose and _NAME.fullmatch(name) and name not in _NOT_NAMES):
            out.add(name)
    return out


def family_names(data: dict) -> set[str]:
    """Every name a dossier holds of a family member: 家庭成员 and the 认定记录 about them."""
    out: set[str] = set()
    for key in (FAMILY, "认定记录"):
        if isinstance(data.get(key), list):
            names_in(data[key], out)
    return out
