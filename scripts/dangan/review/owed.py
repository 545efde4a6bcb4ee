"""催收 (``dangan owed``): what each dossier still lacks, chased from the unit that should send it.

The seed's own gap — "历史上遗留下来的材料短缺…补充难度较大": a material the completeness rules miss (C501–C504, the
same rules as ``dangan check``) is an item to chase. ``--record`` writes the open items into ledgers/催收.yaml (when
it was asked for, by when); the 《干部档案材料催收通知》 lists a unit's items; filing the material (``dangan file``)
closes the item — the rules stop finding it missing, so ``owed`` shows it 已收到 and ``ledger check`` no longer counts
it overdue (G134).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from ..check import make_context
from ..dates import day_text, parse_day
from ..privacy import scrub
from ..repo import Repo
from ..rules.completeness import Owed, owed

TITLE = "干部档案材料催收通知"
DAYS = 30  # 期限.催收天数, when the policy file does not say


@dataclass
class Item:
    number: str
    name: str
    unit: str
    owed: Owed
    entry: dict | None = None  # the 催收 entry that chased it

    def due(self) -> dt.date | None:
        return parse_day(self.entry.get("限期")) if self.entry else None


def days(repo: Repo) -> int:
    return repo.policy.get("期限", "催收天数", default=DAYS)


def items(repo: Repo, today: dt.date, unit: str | None = None, chased: list[dict] | None = None) -> list[Item]:
    """Every owed material of every readable dossier (of ``unit``), with the 催收 entry that chased it, if any."""
    ctx = make_context(repo, today)
    by_key = {(e.get("编号"), str(e.get("类号")), e.get("材料")): e for e in chased or [] if isinstance(e, dict)}
    out = []
    for d in repo.read_all().dossiers:
        data = d.data if isinstance(d.data, dict) else {}
        where = str(data.get("管档单位") or "")
        if unit and where != unit:
            continue
        number = str(data.get("编号") or d.number)
        for o in owed(data, ctx):
            out.append(Item(number, str(data.get("姓名") or ""), where, o, by_key.get((number, o.cls, o.material))))
    return sorted(out, key=lambda i: (i.unit, i.number, i.owed.cls, i.owed.material))


def received(chased: list[dict], open_items: list[Item]) -> list[dict]:
    """The 催收 entries whose material is no longer missing: received (filed)."""
    still = {(i.number, i.owed.cls, i.owed.material) for i in open_items}
    return [e for e in chased if isinstance(e, dict) and (e.get("编号"), str(e.get("类号")), e.get("材料")) not in still]


def new_entries(open_items: list[Item], chased: list[dict], day: str, limit: int) -> list[dict]:
    """Entries for the items not chased yet, numbered after the ledger's own (``2026-C001``)."""
    year = day[:4]
    n = sum(1 for e in chased if str(e.get("登记号", "")).startswith(f"{year}-C"))
    out = []
    due = day_text((parse_day(day) or dt.date.today()) + dt.timedelta(days=limit))
    for i in open_items:
        if i.entry is not None:
            continue
        n += 1
        out.append({"登记号": f"{year}-C{n:03d}", "编号": i.number, "姓名": i.name, "类号": i.owed.cls,
                    "材料": i.owed.material, "催收单位": i.unit, "催收日期": day, "限期": due})
    return out


def text(open_items: list[Item], got: list[dict], today: dt.date) -> str:
    out = [f"档案材料催收（{day_text(today)}）：未收到 {len(open_items)} 份"]
    unit = None
    for i in open_items:
        if i.unit != unit:
            unit = i.unit
            out += ["", f"【{unit or '（未填管档单位）'}】"]
        due = i.due()
        state = "未催收" if i.entry is None else (
            f"已催收 {i.entry.get('催收日期')}，限期 {i.entry.get('限期')}" + ("，已逾期" if due and due < today else ""))
        out.append(f"  {i.number} {i.name}  {i.owed.cls} 类 {i.owed.material}（{i.owed.code}）  {state}")
    if got:
        out += ["", f"已收到（催收后归档）：{len(got)} 份"]
        out += [f"  {e.get('编号')} {e.get('姓名')}  {e.get('类号')} 类 {e.get('材料')}（{e.get('登记号')}）" for e in got]
    return scrub("\n".join(out)) + "\n"


def notice_html(unit: str, open_items: list[Item], today: dt.date, sender: str) -> str:
    """The 《干部档案材料催收通知》 for one unit (A4): each missing material, whose, by when."""
    e = html.escape
    rows = "".join(
        f"<tr><td>{n}</td><td>{e(i.name)}</td><td>{e(i.number)}</td><td>{e(i.owed.cls)}</td><td>{e(i.owed.material)}</td>"
        f"<td>{e(str(i.entry.get('限期')) if i.entry else '')}</td></tr>" for n, i in enumerate(open_items, 1))
    from .report import PRINT_CSS

    return scrub(f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{e(TITLE)}</title><style>{PRINT_CSS}
td, th {{ border: 1px solid #000; padding: 2pt 4pt; }} table {{ border-collapse: collapse; width: 100%; }}
tr {{ break-inside: avoid; }}
</style></head><body>
<h1>{e(TITLE)}</h1>
<p>{e(unit)}：</p>
<p>经审核，贵单位下列干部的人事档案缺少以下材料。请按《干部人事档案工作条例》的规定，收集齐全、审核无误后于限期内
报送{e(sender)}（材料形成后一个月内移交归档）。</p>
<table><thead><tr><th>序号</th><th>姓名</th><th>档案编号</th><th>类号</th><th>所缺材料</th><th>限期</th></tr></thead>
<tbody>{rows}</tbody></table>
<p style="text-align:right; margin-top: 18mm">{e(sender)}<br>{e(day_text(today))}</p>
</body></html>
""")
