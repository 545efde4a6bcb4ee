"""`dangan determine` (认定): change a key fact and record the 认定 that allows it, in one edit.

The 认定记录 entry is built from the file itself: 原值 is the value the file holds, so a wrong 原值
cannot be written; 认定值 is the new value; 依据 must be materials already in 档案目录. This is
exactly the pair (value changed + matching 认定记录 added in the same commit) the trail accepts.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..dates import today as default_today
from ..history.guard import IDENTITY_BASIS
from ..privacy import id_change, mask_id
from ..repo import Repo
from ..yamledit import Change, EditError, Source, insert_item, replace_value, verify
from ..yamltext import Layout, scalar
from .edit import Outcome, new_findings, past_day, refuse_new_errors

_REF = re.compile(r"(([1235678]|10)-[1-9][0-9]{0,2}|[49]-[1-4]-[1-9][0-9]{0,2})")


def parse_item(text: str) -> tuple:
    """“学历学位[1].毕业时间” → ("学历学位", 0, "毕业时间"): the trail's own syntax (history/factpath.py).

    Positions count from 1; 年度考核[2019] and 档案目录[9-2-5] name entries by 年度 and 顺序号.
    """
    from ..factpath import PathError, parse

    try:
        return parse(text)
    except PathError as exc:
        raise EditError(str(exc), 2) from None


def item_text(path: tuple) -> str:
    """The inverse of parse_item: what 项目 says."""
    from ..factpath import render

    return render(path)


def _resolve(data, path: tuple) -> tuple:
    """The item's path with keyed entries (年度考核[2019], 档案目录[9-2-5]) turned into list positions."""
    from ..factpath import KEYED, entry_key

    out: list = []
    node = data
    for i, part in enumerate(path):
        if i == 1 and path[0] in KEYED and isinstance(part, str) and isinstance(node, list):
            found = [k for k, e in enumerate(node) if entry_key(path[0], e) == part]
            if len(found) != 1:
                raise EditError(f"档案中没有“{item_text(path)}”这一项", 2)
            part = found[0]
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
        elif isinstance(part, str) and isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise EditError(f"档案中没有“{item_text(path)}”这一项", 2)
        out.append(part)
    return tuple(out)


def _get(data, path: tuple):
    for part in path:
        data = data[part]
    return data


def _set(data, path: tuple, value):
    """A copy of ``data`` with the value at ``path`` replaced (containers on the way copied, the rest shared)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    copy = list(data) if isinstance(data, list) else dict(data)
    copy[head] = _set(data[head], rest, value)
    return copy


def determine(repo: Repo, number: str, item: str, value: str, basis: list[str], by: str, doc_no: str,
              date: str | None = None, old: str | None = None, note: str | None = None, as_of=None) -> Outcome:
    today = as_of or default_today()
    item_path = parse_item(item)
    name_of_item = item_text(item_path)
    date = past_day(date, today, "认定日期")
    if not basis:
        raise EditError("至少要有一份认定依据（--basis 顺序号）：无依据的认定无效", 2)
    for ref in basis:
        if not _REF.fullmatch(ref):
            raise EditError(f"依据“{ref}”不是顺序号：写作 类号-份号，如 6-2、4-1-3、9-2-5", 2)
    if len(set(basis)) != len(basis):
        raise EditError("依据中有重复的顺序号", 2)
    if not by.strip() or not doc_no.strip():
        raise EditError("认定机关和文号都不能为空", 2)
    file = repo.dossier(number)
    rel = repo.rel(file)
    src = Source.read(file, rel)
    path = _resolve(src.data, item_path)
    current = _get(src.data, path)
    if isinstance(current, (dict, list, bool)):
        raise EditError(f"“{name_of_item}”不是单个的值，不能这样认定；请写到具体的字段，如“学历学位[1].毕业时间”", 2)
    shown = None if current is None else str(current)
    secret = path == ("身份证号",)  # a full ID number is never echoed: what is printed is masked
    if old is not None and old != (shown if shown is not None else "null"):
        now, given = (mask_id(shown or ""), mask_id(old)) if secret else (shown, old)
        raise EditError(f"档案中“{name_of_item}”现为“{now}”，与 --old 给出的“{given}”不符：原值以档案为准，请核实")
    new = int(value) if isinstance(current, int) and re.fullmatch(r"-?[0-9]{1,9}", value) else value
    if shown == str(new):
        raise EditError(f"“{name_of_item}”已经是“{mask_id(value) if secret else value}”，无需认定")
    records = src.data.get("认定记录")
    if not isinstance(records, list):
        raise EditError(f"{rel} 没有“认定记录”列表，请先改正（dangan check {rel}）")
    catalog = {f"{e.get('类号')}-{e.get('序号')}" for e in src.data.get("档案目录") or [] if isinstance(e, dict)}
    missing = [ref for ref in basis if ref not in catalog]
    if missing:
        raise EditError(f"依据 {'、'.join(missing)} 不在档案目录中：请先用 dangan file 归档该材料")
    classes = IDENTITY_BASIS.get(path[0])
    if classes and not any(ref.split("-")[0] in classes for ref in basis):
        raise EditError(f"更改{path[0]}的认定须以第一类（履历类）或第五类（政审、审计和审核类）材料为据，"
                        f"如改名的审批材料、专项审核认定表：请先归档该材料，再在 --basis 中列出它的顺序号")
    original, copies = _pair(repo, rel, src.data, today)
    if original is not None:  # 副本不作认定: the unit holding the 正本 determines, the 副本 follows
        where, unit = original
        raise EditError(f"{rel} 是副本：副本不作认定，请在正本 {where}（{unit}）上认定（dangan determine {Path(where).stem} …），"
                        "副本随之一并更新（《干部人事档案工作条例》第二十二条）")
    edits = [(path, name_of_item, shown, new), *_linked(src.data, path, shown, str(new))]
    entries = []
    for _path, label, before, after_value in edits:
        entry = {"项目": label, "原值": before, "认定值": str(after_value), "依据": list(basis), "认定机关": by,
                 "认定日期": date, "文号": doc_no}
        if note:
            entry["说明"] = note
        entries.append(entry)
    layout = Layout.of(repo.schema_dir / "dossier.schema.json")
    n = len(records)
    after = _apply(src, edits, entries, records, layout)
    errors, warnings = new_findings(repo, rel, src.raw, after, today)
    refuse_new_errors(errors, "认定")
    followed = []
    for copy_file in copies:  # the same 认定 copied into each 副本 here, in the same edit
        copy_rel = repo.rel(copy_file)
        copy = Source.read(copy_file, copy_rel)
        followed.append(_follow(repo, copy, copy_rel, edits, entries, basis, layout, today))
    name = src.data.get("姓名", "")
    change = id_change(shown or "", str(new)) if secret else f"{shown} → {new}"
    message = (f"认定 {number} {name} {name_of_item}：{change}\n\n"
               f"认定机关: {by}\n认定文号: {doc_no}\n认定依据: {', '.join(basis)}")
    report = [f"{rel}：{name_of_item} {change}，认定记录第 {n + 1} 条（{doc_no}）" if secret else
              f"{rel}：{name_of_item} 由“{shown}”改为“{new}”，认定记录第 {n + 1} 条（{doc_no}）"]
    report += [f"{rel}：随之 {label} 由“{before}”改为“{value}”（两者须一致），认定记录第 {n + 2 + k} 条（{doc_no}）"
               for k, (_p, label, before, value) in enumerate(edits[1:])]
    note_copy = ("本档案是副本，正本不在本库中：这条认定应照抄保管正本的单位"
                 f"（{src.data.get('正本保管单位') or '正本保管单位'}）在正本上作出的认定，认定机关、文号与正本相同")
    if src.data.get("档案类别") == "副本":
        report.append(note_copy)
    for change in followed:
        report.append(f"{change.rel}：副本随正本一并更新，照抄这条认定（{doc_no}）")
        message += f"\n副本随正本更新: {change.rel}"
    return Outcome([Change(file, rel, src.raw, after), *followed], report, [f.text() for f in warnings], message)


def _apply(src: Source, edits: list, entries: list, records: list, layout: Layout) -> bytes:
    """One edit, several splices: each value, then each record; each read back before the next."""
    step, changed = src, src.data
    for edit_path, _label, _before, after_value in edits:
        node = step.node(edit_path)
        changed = _set(changed, edit_path, after_value)
        step = verify(step, replace_value(step, edit_path, scalar(after_value, node.in_flow)), changed)
    n = len(records)
    for k, entry in enumerate(entries):
        at = n + k
        text = insert_item(step, ("认定记录",), at,
                           lambda dash, flow, entry=entry, at=at: layout.item_text(entry, ("认定记录", at), dash, flow))
        changed = {**changed, "认定记录": [*records, *entries[: k + 1]]}
        step = verify(step, text, changed)
    return step.raw


def _pair(repo: Repo, rel: str, data: dict, today) -> tuple[tuple[str, str] | None, list[Path]]:
    """(the 正本 of this 副本 in the repository as (path, 管档单位), or None; the 副本 files of this 正本 here)."""
    from ..check import check_files, make_context, summary_of

    person = summary_of(data)["id"]
    if person is None:
        return None, []
    files = repo.dossiers()
    same = [(f, r) for f, r in zip(files, check_files(repo, files, make_context(repo, today)), strict=True)
            if r.rel != rel and r.summary and r.summary["id"] == person]
    if data.get("档案类别") == "副本":
        originals = [f for f, r in same if not r.summary.get("副本")]
        if len(originals) != 1:
            return None, []
        held = Source.read(originals[0], repo.rel(originals[0])).data
        return (repo.rel(originals[0]), str(held.get("管档单位") if isinstance(held, dict) else "")), []
    return None, [f for f, r in same if r.summary.get("副本")]


def _follow(repo: Repo, copy: Source, rel: str, edits: list, entries: list, basis: list, layout: Layout,
            today) -> Change:
    """The 正本's 认定 applied to one of its 副本: the same values, the same 认定记录 entries."""
    for edit_path, label, before, _after in edits:
        try:
            now = _get(copy.data, edit_path)
        except (KeyError, IndexError, TypeError):
            now = object()
        if (None if now is None else str(now)) != before:
            raise EditError(f"副本 {rel} 的“{label}”与正本不一致（副本为“{now}”，正本为“{before}”）：副本须随正本更新，"
                            "请先照正本改正副本，再认定；未作任何改动")
    catalog = {f"{e.get('类号')}-{e.get('序号')}" for e in copy.data.get("档案目录") or [] if isinstance(e, dict)}
    missing = [ref for ref in basis if ref not in catalog]
    if missing:
        raise EditError(f"副本 {rel} 的档案目录中没有依据 {'、'.join(missing)}：副本随正本更新，请先把这份材料的复制件"
                        "归入副本（dangan file），再认定；未作任何改动")
    records = copy.data.get("认定记录")
    if not isinstance(records, list):
        raise EditError(f"副本 {rel} 没有“认定记录”列表，请先改正（dangan check {rel}）")
    after = _apply(copy, edits, entries, records, layout)
    errors, _warnings = new_findings(repo, rel, copy.raw, after, today)
    refuse_new_errors(errors, f"认定（副本 {rel} 随正本更新）")
    return Change(copy.path, rel, copy.raw, after)


def _linked(data: dict, path: tuple, old: str | None, new: str) -> list[tuple]:
    """Facts that must move with the one determined, each with its own 认定记录: 参加工作时间 and the 简历's
    first work segment start on the same month (rule R306), so determining one moves the other when they agreed.
    """
    if path != ("参加工作时间",) or old is None:
        return []
    resume = data.get("简历")
    if not isinstance(resume, list):
        return []
    for i, seg in enumerate(resume):
        if isinstance(seg, dict) and seg.get("性质") == "工作":
            if seg.get("起始") == old:
                return [(("简历", i, "起始"), item_text(("简历", i, "起始")), old, new)]
            return []
    return []
