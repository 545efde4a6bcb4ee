"""`dangan file` (归档): register a received material in 档案目录 with the next 份号 of its class."""

from __future__ import annotations

import re

from ..dates import add_months, parse_day, parse_partial
from ..dates import today as default_today
from ..repo import Repo
from ..rules.catalog import CLASS_ORDER
from ..yamledit import Change, EditError, Source, insert_item, verify
from ..yamltext import Layout
from .edit import Outcome, new_findings, past_day, refuse_new_errors

_RANK = {c: i for i, c in enumerate(CLASS_ORDER)}


def _class_of(entry) -> str:
    return str(entry.get("类号")) if isinstance(entry, dict) else ""


def next_seq(catalog: list, cls: str) -> int:
    """One past the highest 份号 of the class: numbering continues, a gap is never filled silently."""
    return max((e["序号"] for e in catalog if _class_of(e) == cls and isinstance(e.get("序号"), int)), default=0) + 1


def position(catalog: list, cls: str) -> int:
    """Where the entry goes: after the last entry of its class (or of the classes before it)."""
    rank = _RANK[cls]
    return max((i + 1 for i, e in enumerate(catalog) if _RANK.get(_class_of(e), len(_RANK)) <= rank), default=0)


def parse_records(records: tuple[str, ...]) -> dict:
    """--records 出生年月=1972.03 … → the entry's 记载 (named facts as keys, anything else under 其他)."""
    from ..rules.records import RECORDED

    out: dict = {}
    for text in records:
        key, sep, value = text.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise EditError(f"--records “{text}” 应写作 项目=值，如 --records 出生年月=1972.03", 2)
        if key in out or any(o.get("项目") == key for o in out.get("其他", [])):
            raise EditError(f"--records 中“{key}”写了两次", 2)
        if key in RECORDED:
            out[key] = value
        else:
            out.setdefault("其他", []).append({"项目": key, "值": value})
    return out


def file_material(repo: Repo, number: str, cls: str, title: str, made: str, pages: int,
                  received: str | None = None, note: str | None = None, as_of=None,
                  records: tuple[str, ...] = ()) -> Outcome:
    today = as_of or default_today()
    recorded = parse_records(records)
    if cls in ("4", "9"):
        raise EditError(f"第{'四' if cls == '4' else '九'}类须写子类，如 --class {cls}-1", 2)
    if cls not in _RANK:
        raise EditError(f"类号“{cls}”不对：应为 {'、'.join(CLASS_ORDER)} 之一", 2)
    title = title.strip()
    if not title or len(title) > 100:
        raise EditError("材料名称不能为空，最多 100 个字", 2)
    if parse_partial(made) is None or not re.fullmatch(r"(19|20)[0-9]{2}(\.[0-9]{2}(\.[0-9]{2})?)?", made):
        raise EditError(f"形成时间“{made}”不对：写作 YYYY.MM.DD（材料上只有年或年月时写 YYYY 或 YYYY.MM）", 2)
    received = past_day(received, today, "接收时间", "，不能归档")
    got = parse_day(received)
    made_day, precision = parse_partial(made)
    if precision == 3 and got < made_day:
        raise EditError(f"接收时间 {received} 早于形成时间 {made}，不能归档")
    path = repo.dossier(number)
    rel = repo.rel(path)
    src = Source.read(path, rel)
    catalog = src.data.get("档案目录")
    if not isinstance(catalog, list):
        raise EditError(f"{rel} 的“档案目录”不是列表，请先改正（dangan check {rel}）")
    seq = next_seq(catalog, cls)
    entry = {"类号": cls, "序号": seq, "材料名称": title, "形成时间": made, "页数": pages, "接收时间": received}
    if note:
        entry["备注"] = note
    if recorded:
        entry["记载"] = recorded
    at = position(catalog, cls)
    layout = Layout.of(repo.schema_dir / "dossier.schema.json")
    text = insert_item(src, ("档案目录",), at,
                       lambda dash, flow: layout.item_text(entry, ("档案目录", at), dash, flow))
    expected = dict(src.data)
    expected["档案目录"] = [*catalog[:at], entry, *catalog[at:]]
    after = verify(src, text, expected).raw
    errors, warnings = new_findings(repo, rel, src.raw, after, today)
    refuse_new_errors(errors, "归档")
    ref = f"{cls}-{seq}"
    months = repo.policy.get("期限", "材料移交", default=1)
    notes = [f.text() for f in warnings]
    if precision < 3 and got > add_months(made_day, months + (12 if precision == 1 else 1)):
        notes.append(f"警告：材料形成于 {made}，{received} 才接收：按《条例》应在形成后 {months} 个月内移交归档，请核实")
    name = src.data.get("姓名", "")
    return Outcome([Change(path, rel, src.raw, after)],
                   [f"{rel}：档案目录第 {at + 1} 条新增 {ref}《{title}》（{pages} 页，形成 {made}，接收 {received}）"],
                   notes, f"归档 {number} {name} {ref}《{title}》")
