"""档案目录: numbering per class, dates of making and receiving, references to materials."""

from __future__ import annotations

from ..dates import add_months, parse_day, parse_partial
from . import catalog_index, items

# The classes of the 档案目录 in the order the catalog lists them (第四、九类 with their sub-classes).
CLASS_ORDER = ("1", "2", "3", "4-1", "4-2", "4-3", "4-4", "5", "6", "7", "8", "9-1", "9-2", "9-3", "9-4", "10")


def numbering(doc, ctx, out):
    by_class: dict[str, list[tuple[int, int]]] = {}
    for i, entry in enumerate(items(doc.data, "档案目录")):
        if isinstance(entry, dict) and isinstance(entry.get("序号"), int) and entry.get("类号") is not None:
            by_class.setdefault(str(entry["类号"]), []).append((entry["序号"], i))
    for cls, numbers in by_class.items():
        seen = {}
        for seq, i in numbers:
            if seq in seen:
                out.error(("档案目录", i, "序号"), "R401", f"第 {cls} 类序号 {seq} 重复（目录第 {seen[seq] + 1} 条已用）")
            seen.setdefault(seq, i)
        missing = sorted(set(range(1, max(seen) + 1)) - set(seen))
        if missing:
            shown = "、".join(f"{cls}-{m}" for m in missing[:5]) + ("等" if len(missing) > 5 else "")
            last = max(i for _s, i in numbers)
            out.error(("档案目录", last, "序号"), "R402", f"第 {cls} 类序号不连续，缺少 {shown}：每类内从 1 起连续编号")


def dates(doc, ctx, out):
    months = (ctx.policy.get("期限", "材料移交", default=1))
    for i, entry in enumerate(items(doc.data, "档案目录")):
        if not isinstance(entry, dict):
            continue
        made = parse_partial(entry.get("形成时间"))
        received_text = entry.get("接收时间")
        received = parse_day(received_text)
        if received and received > ctx.today:
            out.error(("档案目录", i, "接收时间"), "R406", "接收时间晚于今天")
        if not (made and received):
            continue
        day, precision = made
        if precision == 3 and received < day:
            out.error(("档案目录", i, "接收时间"), "R404", "接收时间早于材料形成时间")
        if precision == 3 and received > add_months(day, months):
            out.warn(("档案目录", i, "接收时间"), "R403",
                     f"材料“{entry.get('材料名称', '')}”形成后超过 {months} 个月才接收（{entry['形成时间']} → {received_text}）："
                     "按《条例》应在形成后一个月内移交归档")
    for i, entry in enumerate(items(doc.data, "认定记录")):
        if isinstance(entry, dict) and isinstance(entry.get("认定日期"), str):
            day = parse_day(entry["认定日期"])
            if day and day > ctx.today:
                out.error(("认定记录", i, "认定日期"), "R406", "认定日期晚于今天")


def _basis_lists(data):
    """Every (path, list) of 依据 in the document."""
    for section in ("学历学位", "简历", "奖惩情况", "年度考核", "认定记录"):
        for i, entry in enumerate(items(data, section)):
            if isinstance(entry, dict) and isinstance(entry.get("依据"), list):
                yield (section, i, "依据"), entry["依据"]
    status = data.get("干部身份")
    if isinstance(status, dict) and isinstance(status.get("依据"), list):
        yield ("干部身份", "依据"), status["依据"]
    for i, entry in enumerate(items(data, "考察材料")):  # one 顺序号 per material: a list of one
        for j, material in enumerate(entry.get("材料") or [] if isinstance(entry, dict) else []):
            if isinstance(material, dict) and isinstance(material.get("顺序号"), str):
                yield ("考察材料", i, "材料", j, "顺序号"), [material["顺序号"]]
    capability = data.get("能力档案")
    for kind, entries in (capability.items() if isinstance(capability, dict) else ()):
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, dict) and isinstance(entry.get("依据"), list):
                yield ("能力档案", kind, i, "依据"), entry["依据"]


def references(doc, ctx, out):
    index = catalog_index(doc.data)
    for path, basis in _basis_lists(doc.data):
        for k, ref in enumerate(basis):
            if isinstance(ref, str) and ref not in index:
                out.error((*path, k), "R407", f"依据“{ref}”在档案目录中不存在：请先把该材料登记到目录")


RULES = [numbering, dates, references]
