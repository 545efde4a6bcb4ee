"""How values and changes read in Chinese: shared by audit, trail, diff and the Git diff driver."""

from __future__ import annotations

from ..privacy import differing_positions, id_change, mask_id, scrub
from .fielddiff import ADDED, REMOVED, TITLE, Change, text
from .gitlog import SIGNATURES

KEY_FACTS = frozenset(("出生年月", "参加工作时间", "入党时间", "学历学位", "简历", "干部身份"))


def value(v, section: str | None = None, path: tuple = ()) -> str:
    if path and path[0] == "身份证号" and isinstance(v, str):
        return mask_id(v)
    if v is None:
        return "空"
    if isinstance(v, dict):
        title = TITLE.get(section or "")
        head = v.get(title) if title else None
        body = "，".join(f"{k}: {value(x)}" for k, x in v.items() if k != title)
        return scrub(f"“{head}”（{body}）" if head is not None else f"（{body}）")
    return scrub(text(v) or "")


def change_line(c: Change) -> str:
    """出生年月：1991.07 → 1991.06"""
    section = c.path[0] if len(c.path) == 2 else None
    if c.kind == ADDED:
        return f"{c.label}：新增 {value(c.new, section, c.path)}"
    if c.kind == REMOVED:
        return f"{c.label}：删除 {value(c.old, section, c.path)}"
    if is_id_change(c):
        return f"{c.label}：{id_change(c.old, c.new)}"
    return f"{c.label}：{value(c.old, None, c.path)} → {value(c.new, None, c.path)}"


def is_id_change(c) -> bool:
    """The cadre's 身份证号 changed from one number to another: shown masked, with the positions that differ."""
    return c.path == ("身份证号",) and c.kind == "changed" and isinstance(c.old, str) and isinstance(c.new, str)


def verdict(c: Change) -> str:
    if c.undoes:
        return f"撤销提交 {'、'.join(x[:10] for x in c.undoes)} 未经认定的改动，恢复为此前的值"
    if not c.protected:
        return ""
    if c.undone_by:
        return f"已撤销（提交 {c.undone_by[:10]}）：原为未经认定的改动（{c.basis}）"
    return f"已认定：{c.basis}" if c.authorised else f"未经认定的改动（{c.basis}；认定记录的项目应写作“{c.ref}”）"


def signature(sig: str) -> str:
    return f"{sig} {SIGNATURES.get(sig, '未知')}"


def change_dict(c: Change) -> dict:
    section = c.path[0] if len(c.path) == 2 else None
    return {"字段": c.ref, "名称": c.label, "类型": {"added": "新增", "removed": "删除", "changed": "修改"}[c.kind],
            "原值": value(c.old, section, c.path) if c.kind != ADDED else None,
            "新值": value(c.new, section, c.path) if c.kind != REMOVED else None,
            "受保护": c.protected, "已认定": c.authorised if c.protected else None, "说明": scrub(c.basis),
            "已撤销": c.undone_by or None, "撤销的提交": list(c.undoes) or None,
            **({"不同位置": differing_positions(c.old, c.new)} if is_id_change(c) else {})}


EVENTS = {"new": "新建", "edit": "修改", "leave": "移出档案库", "return": "重新进入档案库", "outside": "在档案库外被修改"}


def event_lines(d) -> list[str]:
    """What happened to the file itself (trail, diff): created, renamed, left dossiers/, came back."""
    out = []
    if d.event == "new" and d.received and not d.intake:
        out.append(f"转入 {d.path}（通知单 {d.received}）：原样入库，与转递登记的入库哈希相符")
    elif d.event == "new":
        out.append(f"新建档案 {d.path}" + (f"（由 {d.old_path} 移入）" if d.old_path else ""))
    elif d.event == "leave":
        where = f"移出档案库：{d.old_path} → {d.path}" if d.old_path else f"删除档案文件 {d.path}"
        out.append(where + ("（已登记转出）" if d.documented else "（转递登记中没有转出记录）"))
    elif d.event == "return" and d.received:
        out.append(f"转入 {d.path}（通知单 {d.received}）：本库曾保存过此人的档案，与 {d.base} 逐项比较")
    elif d.event == "return":
        came = f"由 {d.old_path} 移回 {d.path}" if d.old_path else f"重新出现 {d.path}"
        out.append(f"{came}：本库曾保存过这份档案，与 {d.base} 逐项比较")
    elif d.event == "outside":
        out.append(f"在档案库外（{d.path}）被修改" + (f"，原在 {d.old_path}" if d.old_path else ""))
    elif d.status == "R":
        out.append(f"文件改名：{d.old_path} → {d.path}")
    if d.intake:
        out.append(f"T007 {d.intake}")
    if d.merge:
        out.append("合并提交本身带来的改动（与每个父提交都不同的部分）")
    return out
