"""THE field-level diff of two dossier versions. audit, trail, diff, textconv and the site all use it.

Lists are aligned, not compared position by position: 档案目录 entries by 顺序号, 年度考核 by 年度,
the other lists by content (so inserting an entry reports one addition, not a cascade of edits).
Lists of plain values (依据, 其间) are one value: "4-1-1、4-1-2".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from ..factpath import KEYED, entry_key, label, render

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
KIND_TEXT = {ADDED: "新增", REMOVED: "删除", CHANGED: "修改"}
# The field that names an entry when a whole entry is added or removed.
TITLE = {"学历学位": "学历", "简历": "内容", "奖惩情况": "名称", "年度考核": "结果", "档案目录": "材料名称",
         "认定记录": "项目", "家庭成员": "姓名"}
_MISSING = object()


@dataclass(frozen=True, slots=True)
class Change:
    path: tuple  # ("学历学位", 1, "毕业时间"): list positions 0-based, keyed entries by name ("9-2-5", "2019")
    label: str  # 学历学位第 2 项 毕业时间
    old: object  # None when absent (see kind)
    new: object
    kind: str  # added | removed | changed
    protected: bool = False
    authorised: bool | None = None  # None: not a protected change
    basis: str = ""  # the 认定记录 that authorises it, or why none does
    undone_by: str = ""  # an unauthorised change a later commit undid (``undo``): that commit's id
    undoes: tuple = ()  # the change that undid unauthorised ones: their commits' ids

    @property
    def ref(self) -> str:
        """The path as a 认定记录 项目 names it: 学历学位[2].毕业时间."""
        return render(self.path)

    @property
    def field(self) -> str:
        return self.path[0] if self.path else ""

    @property
    def unauthorised(self) -> bool:
        """Open: a protected change with no 认定, not undone later and not itself the undoing of one."""
        return self.protected and not self.authorised and not self.undone_by and not self.undoes

    def judged(self, **kw) -> Change:
        return replace(self, **kw)


def same(a, b) -> bool:
    """Equal as dossier data: of the same type all the way down (in Python 1 == True and 1 == 1.0; not here)."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return len(a) == len(b) and all(k in b and same(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def fingerprint(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def text(value, section: str | None = None) -> str | None:
    """A value as one line of text: what 原值/认定值 are compared with and what reports print."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, str)):
        return str(value)
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict) and section in TITLE and isinstance(value.get(TITLE[section]), (str, int)):
        return str(value[TITLE[section]])
    return fingerprint(value)


def opcodes(a: list, b: list):
    """difflib opcodes, with the common head and tail (nearly everything, in one commit) trimmed first."""
    n, m = len(a), len(b)
    head = 0
    while head < n and head < m and same(a[head], b[head]):
        head += 1
    tail = 0
    while tail < n - head and tail < m - head and same(a[n - 1 - tail], b[m - 1 - tail]):
        tail += 1
    if head:
        yield "equal", 0, head, 0, head
    mid_a, mid_b = a[head:n - tail], b[head:m - tail]
    if mid_a or mid_b:
        if not mid_a or not mid_b:
            yield ("insert" if mid_b else "delete"), head, n - tail, head, m - tail
        else:
            keys_a = [fingerprint(v) for v in mid_a]
            keys_b = [fingerprint(v) for v in mid_b]
            for op, i1, i2, j1, j2 in SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
                yield op, i1 + head, i2 + head, j1 + head, j2 + head
    if tail:
        yield "equal", n - tail, n, m - tail, m


def diff(old: dict | None, new: dict | None, keys=None) -> list[Change]:
    """Every field-level difference between two versions (None: the file does not exist on that side).

    ``keys`` limits the comparison to those top-level keys (the sections that changed).
    """
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    if keys is None:
        keys = list(new) + [k for k in old if k not in new]
    out: list[Change] = []
    for key in keys:
        _value((key,), old.get(key, _MISSING), new.get(key, _MISSING), out)
    return out


def _leaf(path, old, new, out):
    kind = ADDED if old is _MISSING else REMOVED if new is _MISSING else CHANGED
    out.append(Change(path, label(path), None if old is _MISSING else old, None if new is _MISSING else new, kind))


def _scalar_list(value) -> bool:
    return isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value)


def _value(path, old, new, out):
    if old is not _MISSING and new is not _MISSING and same(old, new):
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(new) + [k for k in old if k not in new]:
            _value((*path, key), old.get(key, _MISSING), new.get(key, _MISSING), out)
    elif isinstance(old, list) and isinstance(new, list) and not (_scalar_list(old) and _scalar_list(new)):
        if len(path) == 1 and path[0] in KEYED and _keyed(path, old, new, out):
            return
        _aligned(path, old, new, out)
    else:
        _leaf(path, old, new, out)


def _keyed(path, old, new, out) -> bool:
    """Align by entry name; False (fall back to content alignment) when names are missing or repeated."""
    section = path[0]
    names_old = [entry_key(section, e) for e in old]
    names_new = [entry_key(section, e) for e in new]
    for names in (names_old, names_new):
        if None in names or len(set(names)) != len(names):
            return False
    before = dict(zip(names_old, old, strict=True))
    after = dict(zip(names_new, new, strict=True))
    for name in names_new + [n for n in names_old if n not in after]:
        a, b = before.get(name, _MISSING), after.get(name, _MISSING)
        if a is not b:  # versions share unchanged entries (sections): most are the very same object
            _value((*path, name), a, b, out)
    return True


def _aligned(path, old, new, out):
    section = path[0] if len(path) == 1 and path[0] in KEYED else None

    def name(position, entry):  # keyed lists name entries by 顺序号/年度 even when aligned by content
        key = entry_key(section, entry) if section else None
        return position if key is None else key

    for op, i1, i2, j1, j2 in opcodes(old, new):
        if op == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(paired):  # an edited entry: report its fields, at its position in the new version
            a, b = old[i1 + k], new[j1 + k]
            same = section and entry_key(section, a) == entry_key(section, b)
            if section and not same:
                _leaf((*path, name(i1 + k, a)), a, _MISSING, out)
                _leaf((*path, name(j1 + k, b)), _MISSING, b, out)
            else:
                _value((*path, name(j1 + k, b)), a, b, out)
        for k in range(i1 + paired, i2):
            _leaf((*path, name(k, old[k])), old[k], _MISSING, out)
        for k in range(j1 + paired, j2):
            _leaf((*path, name(k, new[k])), _MISSING, new[k], out)
