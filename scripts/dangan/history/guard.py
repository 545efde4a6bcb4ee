"""The key-fact guard: which changes touch protected facts, and whether the same commit authorises them.

Protected (三龄两历一身份, who the cadre is, and what proves them):
  出生年月, 参加工作时间, 入党时间, 学历学位 (any part), 干部身份 (any part), 姓名, 身份证号 — every change;
  简历 — every change except closing the open last entry (截止 null → a month) and appending entries;
  年度考核, 奖惩情况, 档案目录, 认定记录 — existing entries: every change and every removal;
  adding entries is free. Everywhere, adding references to a 依据 list is free (more evidence, no fact
  changes) and so is giving a catalog entry its 扫描件, recording an alteration found on its paper (涂改) or what it
  records of the key facts (记载, for a fact not recorded yet).

A protected change is authorised when the same commit adds a 认定记录 entry whose 项目 names exactly the
changed path (``factpath``), whose 原值/认定值 equal the old/new values as text, and whose 依据 lists
only 顺序号 present in the new version's 档案目录 — for 姓名 and 身份证号 at least one of them a material of
class 1 (履历类) or 5 (政审、审计和审核类: where a 更改姓名 or an 审核认定 is filed). For a whole entry added, 原值 is null and 认定值 is
the entry's title (学历学位: 学历, 奖惩情况: 名称, ...); for an entry removed, 原值 is its title and 认定值 is
one of ``REMOVAL``.
"""

from __future__ import annotations

from collections import Counter

from ..factpath import PathError, parse
from ..rules import catalog_index
from .fielddiff import ADDED, CHANGED, REMOVED, Change, fingerprint, text

ALWAYS = frozenset(("出生年月", "参加工作时间", "入党时间", "学历学位", "干部身份", "姓名", "身份证号"))
# Who the cadre is: a change rests on a material of these classes (类号) among its 依据 (docs/manual/trail.md).
IDENTITY_BASIS = {"姓名": ("1", "5"), "身份证号": ("1", "5")}
ENTRIES = frozenset(("年度考核", "奖惩情况", "档案目录", "认定记录"))
REMOVAL = ("删除", "不予认定", "撤销")


def _entries(data, key) -> list:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def _more_evidence(change: Change) -> bool:
    """A 依据 list that only grew, or a 扫描件 given to a catalog entry."""
    if change.path[-1] == "依据" and change.kind != REMOVED:
        old = change.old if isinstance(change.old, list) else []
        new = change.new if isinstance(change.new, list) else []
        return (change.kind == ADDED or isinstance(change.old, list)) and set(map(str, old)) <= set(map(str, new))
    if change.path[0] != "档案目录" or change.kind != ADDED:
        return False
    # a 扫描件 given, an alteration found on the paper recorded (涂改, or one more of them), or what the paper says
    # written down (记载 of a fact not recorded yet): only ever more evidence, and a 记载 that disagrees with the
    # dossier is itself a finding (R601/R602). Changing or removing any of them is not free.
    tail = change.path[2:]
    return (tail == ("扫描件",) or tail == ("涂改",) or (len(tail) == 2 and tail[0] == "涂改")
            or tail[:1] == ("记载",))


def is_protected(change: Change, old: dict) -> bool:
    path = change.path
    if not path or _more_evidence(change):
        return False
    field = path[0]
    if field in ALWAYS:
        return True
    if field == "简历":
        before = _entries(old, "简历")
        if len(path) == 2 and change.kind == ADDED and isinstance(path[1], int) and path[1] >= len(before):
            return False  # a new entry after the last one
        if (len(path) == 3 and path[2] == "截止" and change.old is None and change.kind in (CHANGED, ADDED)
                and before and path[1] == len(before) - 1 and isinstance(before[-1], dict)
                and before[-1].get("截止") is None):
            return False  # closing the open last entry
        return True
    if field in ENTRIES:
        return not (len(path) == 2 and change.kind == ADDED)
    return False


def added_determinations(old: dict, new: dict) -> list[tuple[int, dict]]:
    """(position, entry) of the 认定记录 entries in ``new`` that ``old`` does not have."""
    have = Counter(fingerprint(e) for e in _entries(old, "认定记录"))
    out = []
    for i, entry in enumerate(_entries(new, "认定记录")):
        fp = fingerprint(entry)
        if have[fp]:
            have[fp] -= 1
        elif isinstance(entry, dict):
            out.append((i, entry))
    return out


def _values_match(entry: dict, change: Change) -> bool:
    section = change.path[0] if len(change.path) == 2 else None  # a whole entry: compare its title
    old, new = text(entry.get("原值")), text(entry.get("认定值"))
    if change.kind == REMOVED:
        return old == text(change.old, section) and new in REMOVAL
    expected_old = None if change.kind == ADDED else text(change.old, section)
    return old == expected_old and new == text(change.new, section)


def judge(changes: list[Change], old: dict, new: dict, trailers: dict | None = None, section=None) -> list[Change]:
    """Mark each change protected or not and, when protected, authorised or not (with the reason).

    ``section(name)`` gives a top-level section of the new version when ``new`` holds only the changed ones.
    """
    fresh = added_determinations(old, new) if any(c.path and c.path[0] == "认定记录" for c in changes) else []
    catalog = catalog_index({"档案目录": (section or new.get)("档案目录")}) if fresh else {}
    numbers = set((trailers or {}).get("认定文号", []))
    out = []
    for change in changes:
        if not is_protected(change, old):
            out.append(change)
            continue
        verdict = change.judged(protected=True, authorised=False, basis="本次提交没有新增对应的认定记录")
        for i, entry in enumerate(fresh):
            pos, det = entry
            try:
                item = det.get("项目")
                if not isinstance(item, str) or parse(item) != change.path:
                    continue
            except PathError:
                continue
            if not _values_match(det, change):
                verdict = verdict.judged(basis=f"认定记录第 {pos + 1} 条的原值或认定值与改动不符")
                continue
            given = det.get("依据")
            basis: list = given if isinstance(given, list) else []
            missing = [b for b in basis if not (isinstance(b, str) and b in catalog)]
            if not basis or missing:
                shown = "、".join(map(str, missing)) or "（空）"
                verdict = verdict.judged(basis=f"认定记录第 {pos + 1} 条的依据 {shown} 在档案目录中不存在")
                continue
            classes = IDENTITY_BASIS.get(change.field)
            if classes and not any(str(catalog[b].get("类号")) in classes for b in basis):
                verdict = verdict.judged(basis=f"认定记录第 {pos + 1} 条的依据中没有第一类或第五类材料：更改{change.field}"
                                               "须以履历类材料或政审、审核类材料（如改名的审批材料、专项审核认定表）为据")
                continue
            extra = "，提交说明中的认定文号相符" if det.get("文号") in numbers else ""
            verdict = change.judged(protected=True, authorised=True,
                                    basis=f"认定记录第 {pos + 1} 条（{det.get('文号', '')}）{extra}")
            del fresh[i]  # one 认定 authorises one change
            break
        out.append(verdict)
    return out
