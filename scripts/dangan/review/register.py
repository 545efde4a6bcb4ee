"""《干部人事档案任前审核登记表》: one candidate, one 拟任职务, the three recorded stages with signature boxes (A4).

Printed from ledgers/任前审核.yaml (what was recorded, stage by stage) and today's review of the dossier
(the key facts and the bars, for the 考察组's file). Every value is escaped; the ID number is masked.
"""

from __future__ import annotations

import html

from ..dates import day_text
from ..privacy import scrub
from .report import PRINT_CSS, Review, check_lines

STAGES = ("动议初审", "考察复审", "任用终审")
TITLE = "干部人事档案任前审核登记表"

SHEET_CSS = PRINT_CSS + """
table.sheet th { width: 16%; background: #f2f2f2; }
table.stages td.sign { height: 16mm; width: 14%; }
td.issues { font-size: 10pt; }
"""


def entries_for(entries: list[dict], number: str, post: str) -> list[dict]:
    """This candidate's recorded entries for this post, in ledger order."""
    return [e for e in entries if e.get("编号") == number and e.get("拟任职务") == post]


def latest_by_stage(entries: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for e in entries:
        if e.get("阶段") in STAGES:
            out[e["阶段"]] = e
    return out


def sheet_html(r: Review, entries: list[dict]) -> str:
    e = html.escape
    d = r.case.data
    stages = latest_by_stage(entries)
    rank = entries[-1].get("拟任职级") if entries else None
    head = [("姓名", d.get("姓名", "")), ("性别", d.get("性别", "")), ("出生年月", d.get("出生年月", "")),
            ("政治面貌", d.get("政治面貌", "")), ("现任职务", d.get("现任职务", "")), ("现任职级", d.get("职级", "")),
            ("拟任职务", r.post or ""), ("拟任职级", rank or r.rank or ""), ("档案编号", r.case.number),
            ("管档单位", d.get("管档单位", ""))]
    cells = "".join(f"<tr><th>{e(a)}</th><td>{e(str(x or ''))}</td><th>{e(b)}</th><td>{e(str(y or ''))}</td></tr>"
                    for (a, x), (b, y) in zip(head[::2], head[1::2], strict=True))
    facts = "".join(
        f"<tr><th>{e(f.name)}</th><td>{e('（见 dangan review）' if f.name == '家庭成员' else str(f.value))}</td>"
        f"<td>{e(f.earliest or ('不适用' if not f.applicable else '无（缺少原始依据材料）'))}</td>"
        f"<td>{e('；'.join(f.disagreements) or '无')}</td></tr>" for f in r.facts)
    rows = []
    for stage in STAGES:
        x = stages.get(stage)
        if x is None:
            rows.append(f"<tr><th>{e(stage)}</th><td></td><td></td><td class='issues'>（未审核）</td>"
                        "<td class='sign'></td><td class='sign'></td></tr>")
            continue
        people = list(x.get("审核人") or [])
        issues = "<br>".join(e(str(i)) for i in x.get("问题") or []) or "无"
        rows.append(f"<tr><th>{e(stage)}</th><td>{e(str(x.get('日期', '')))}</td>"
                    f"<td><strong>{e(str(x.get('结论', '')))}</strong></td>"
                    f"<td class='issues'>{issues}<br><small>登记号 {e(str(x.get('登记号', '')))}，档案版本 "
                    f"{e(str(x.get('版本', ''))[:10])}</small></td>"
                    f"<td class='sign'>{e(people[0] if people else '')}</td>"
                    f"<td class='sign'>{e('、'.join(people[1:]))}</td></tr>")
    bars = "".join(f"<li>{e(line)}</li>" for line in check_lines(r))
    body = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{TITLE} {e(r.case.number)}</title>
<style>{SHEET_CSS}</style></head><body>
<h1>{TITLE}</h1>
<table class="sheet"><tbody>{cells}</tbody></table>
<h2>一、关键信息审核（三龄两历一身份）</h2>
<table><thead><tr><th>项目</th><th>档案记载</th><th>最早记录</th><th>不一致</th></tr></thead><tbody>{facts}</tbody></table>
<h2>二、影响使用与任职资格（{e(day_text(r.as_of))} 核对）</h2><ul>{bars}</ul>
<h2>三、审核意见（凡提必审：动议初审、考察复审、任用终审）</h2>
<table class="stages"><thead><tr><th>阶段</th><th>日期</th><th>结论</th><th>问题</th><th>审核人（签字）</th>
<th>复核人（签字）</th></tr></thead><tbody>{''.join(rows)}</tbody></table>
<div class="sign"><span>考察组（签字）：</span><span>档案主管科室（盖章）：</span><span>日期：</span></div>
</body></html>
"""
    return scrub(body)
