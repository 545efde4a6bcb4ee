"""目标管理 申报: ``dangan grade apply 单位 --level 一级`` — the unit's 等级申报材料 (A4), made from the data.

The seed's 《干部人事档案目标管理等级申报资料及范例汇编》 made from what the office records: the unit's figures, every
item of the 考评标准 with its points, the latest 检查验收 and the whole 整改 record. A unit that does not meet the level
(by the same judgement as ``dangan grade``), holds fewer volumes than 参评卷数, has not been inspected, or has a 整改
past its deadline is refused, with what is missing.
"""

from __future__ import annotations

import datetime as dt
import html

from ..dates import day_text
from ..privacy import scrub
from ..standard import num
from .grade import Unit, misses

TITLE = "干部人事档案工作目标管理等级申报表"
SOURCES = ("考评标准见政策文件 schema/policy.yaml“目标管理”：等级与 500 卷的参评线据长治市经验材料，文件依据为"
           "《干部人事档案工作目标管理暂行办法》及《考评标准》（组通字〔1996〕55号）、《干部人事档案工作目标管理检查验收细则》"
           "（组通字〔1998〕13号）；项目、分值和分数线为本地口径。")


def shortfalls(u: Unit, policy, level_name: str) -> list[str]:
    """What keeps ``u`` from applying for ``level_name`` ([]: it may apply)."""
    conf = policy["目标管理"]
    names = [lv["名称"] for lv in conf["等级"]]
    if level_name not in names:
        return [f"没有等级“{level_name}”：可申报 {'、'.join(names)}"]
    out = []
    if not u.eligible:
        out.append(f"卷数 {u.volumes}，不足参评卷数 {conf['参评卷数']}：{conf['参评卷数']} 卷以上的管档单位才参加定级")
    if u.scored and u.inspection is None:
        out.append("还没有检查验收：先由检查验收组检查评分（dangan grade inspect）")
    late = [f for f in u.open_fixes if f.overdue]
    if late:
        out.append("有过了整改期限仍未整改的问题：" + "、".join(
            f"{f.label()} {f.problem.get('问题')}（限 {f.problem.get('整改期限')}）" for f in late))
    level = conf["等级"][names.index(level_name)]
    out += [m for m in misses(u, level) if not (late and m.startswith("逾期未整改"))]
    return out


def sheet_html(u: Unit, policy, level_name: str, as_of: dt.date) -> str:
    """The printable 申报表: figures, 考评 items, the inspection, the 整改 record, signature boxes."""
    e = html.escape
    conf = policy["目标管理"]
    level = next(lv for lv in conf["等级"] if lv["名称"] == level_name)
    avg = "无新任" if u.average is None else f"{num(round(u.average, 2))} 分（{len(u.intake)} 份）"
    facts = [("在册卷数", f"{u.volumes} 卷（参评线 {conf['参评卷数']} 卷）"), ("材料完整率", f"{u.rate:.1f}%"),
             ("每百卷问题", f"{u.per100:.1f}"), ("未经认定的改动", f"{u.unauthorised} 处"),
             ("逾期未回执 / 逾期未还", f"{u.receipts} / {u.loans}"), ("新任干部档案平均分", avg)]
    fact_rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in facts)
    items = []
    for cat in dict.fromkeys(s.item.category for s in u.scored):
        mine = [s for s in u.scored if s.item.category == cat]
        for i, s in enumerate(mine):
            head = f'<td rowspan="{len(mine)}">{e(cat)}</td>' if i == 0 else ""
            how = s.item.text or s.item.rule()
            items.append(f"<tr>{head}<td>{e(s.item.name)}</td><td>{e(how)}</td><td>{num(s.item.points)}</td>"
                         f"<td>{num(s.points)}</td><td>{e(s.note)}</td></tr>")
    total = u.total or 0
    bound = level.get("总分不低于")
    insp = u.inspection or {}
    fixes = "".join(
        f"<tr><td>{e(f.label())}</td><td>{e(str(f.problem.get('问题')))}</td><td>{e(str(f.problem.get('整改期限')))}</td>"
        f"<td>{e(str(f.problem.get('整改日期') or ''))}</td><td>{e(str(f.problem.get('整改情况') or ''))}</td>"
        f"<td>{e(str(f.problem.get('复查人') or ''))}</td><td>{'已整改' if f.done else '整改中'}</td></tr>"
        for f in u.fixes) or '<tr><td colspan="7">检查验收未发现问题</td></tr>'
    from .report import PRINT_CSS

    return scrub(f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{e(TITLE)}（{e(u.name)}）</title><style>{PRINT_CSS}
th {{ white-space: nowrap; }} .lead th {{ width: 35%; }}
.items td:nth-child(-n+2) {{ white-space: nowrap; }}
</style></head><body>
<h1>{e(TITLE)}</h1>
<p>申报单位：<strong>{e(u.name)}</strong> &nbsp; 申报等级：<strong>{e(level_name)}</strong>
 &nbsp; 填报日期：{e(day_text(as_of))}</p>
<h2>一、基本情况</h2>
<table class="lead"><tbody>{fact_rows}</tbody></table>
<h2>二、考评得分</h2>
<table class="items"><thead><tr><th>类别</th><th>项目</th><th>要求或计分办法</th><th>分值</th><th>得分</th><th>说明</th></tr></thead>
<tbody>{''.join(items)}
<tr><th colspan="3">合计</th><td>{num(sum(s.item.points for s in u.scored))}</td><td><strong>{num(total)}</strong></td>
<td>{e(level_name)}须 {num(bound) if bound is not None else '—'} 分以上</td></tr></tbody></table>
<h2>三、检查验收</h2>
<p>登记号 {e(str(insp.get('登记号', '')))}，检查日期 {e(str(insp.get('日期', '')))}，检查人
{e('、'.join(map(str, insp.get('检查人') or [])))}；登记时总分 {e(str(insp.get('总分', '')))}，评定
{e(str(insp.get('评定等级', '')))}。</p>
<h2>四、问题与整改</h2>
<table><thead><tr><th>编号</th><th>问题</th><th>整改期限</th><th>整改日期</th><th>整改情况</th><th>复查人</th><th>状态</th>
</tr></thead><tbody>{fixes}</tbody></table>
<h2>五、单位自评意见</h2>
<p>经自查，本单位干部人事档案工作按考评标准得 {num(total)} 分，达到{e(level_name)}标准，特此申报。</p>
<div class="sign"><span>单位负责人：__________</span><span>（单位盖章）</span><span>年　月　日</span></div>
<h2>六、组织部门审核意见</h2>
<p style="min-height: 30mm"></p>
<div class="sign"><span>审核人：__________</span><span>（盖章）</span><span>年　月　日</span></div>
<p style="font-size: 9pt; margin-top: 12pt">{e(SOURCES)}</p>
</body></html>
""")
