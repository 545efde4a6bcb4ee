"""The 任前审核 report: key facts, gaps, red flags, the trail, open findings, what bars the appointment
(影响使用, 任职资格), and a verdict (通过/暂缓/不予通过).

The verdict's conditions are the policy's 任前审核.不予通过情形 and 暂缓情形; this module only knows how to
test each kind. 不予通过 wins over 暂缓: a candidate barred by 第二十四条 is not held for more material.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass, field

from ..codes import CodeTables
from ..dates import day_text
from ..privacy import FAMILY, family_change, id_change, scrub
from ..rules.custody import COPY, described, kind
from . import Case
from .bars import Check, impact_periods, last_assessment, qualifications
from .keyfacts import Fact

PASS, HOLD, REFUSE = "通过", "暂缓", "不予通过"
VERDICTS = (PASS, HOLD, REFUSE)
CONDITIONS = ("检查错误", "问题代码", "未经认定的改动", "缺少依据", "前后不一致")
BARS = ("年度考核", "影响期", "任职资格", "问题代码")


@dataclass
class Review:
    case: Case
    as_of: dt.date
    facts: list[Fact]
    gaps: list[str]  # completeness (C5xx)
    flags: list[str]  # consistency red flags (R2xx/R3xx/R1xx)
    others: list[str]  # every other open finding
    reasons: list[str] = field(default_factory=list)  # 暂缓
    refusals: list[str] = field(default_factory=list)  # 不予通过
    checks: list[Check] = field(default_factory=list)  # 影响使用 and 任职资格, shown whatever the verdict
    post: str | None = None  # 拟任职务
    rank: str | None = None  # 拟任职级
    stage: str | None = None  # 审核阶段, when recorded

    @property
    def verdict(self) -> str:
        return REFUSE if self.refusals else HOLD if self.reasons else PASS


def _matches(case: Case, facts: list[Fact], rule: dict) -> list[str]:
    """The evidence for one 暂缓情形 (empty: it does not hold)."""
    kind = rule["条件"]
    if kind == "检查错误":
        return [f"{f.code} {f.message}" for f in case.findings if f.is_error]
    if kind == "问题代码":
        codes = set(rule.get("代码", []))
        return [f"{f.code} {f.message}" for f in case.findings if f.code in codes]
    if kind == "未经认定的改动":
        return [f"{a.date} 提交 {a.commit}（{a.author}）改动 {a.label}：{show(a.old)} → {show(a.new)}"
                for a in case.unauthorised] \
            + [f"提交 {c} 中的版本不能通过检查（跳过了提交前检查）" for c in case.bypassed]
    if kind == "缺少依据":
        return [f"{f.name}没有原始依据材料" for f in facts if f.applicable and f.missing]
    if kind == "前后不一致":
        return [f"{f.name}：{d}" for f in facts for d in f.disagreements]
    raise ValueError(f"政策文件 任前审核.暂缓情形 的条件“{kind}”未知（可用：{'、'.join(CONDITIONS)}）")


def _summary(rule: dict, evidence: list[str]) -> str:
    return f"{rule['名称']}：" + "；".join(evidence[:5]) + (f"等 {len(evidence)} 处" if len(evidence) > 5 else "")


def build(case: Case, policy, as_of: dt.date, codes: CodeTables | None = None, post: str | None = None,
          rank: str | None = None) -> Review:
    facts = case.key_facts(policy)
    gaps = [f"{f.code} {f.message}" for f in case.findings if f.code.startswith("C5")]
    flags = [f"{f.code} {f.message}" for f in case.findings if f.code[:2] in ("R1", "R2", "R3")]
    others = [f"{f.severity} {f.code} {f.message}" for f in case.findings
              if not f.code.startswith("C5") and f.code[:2] not in ("R1", "R2", "R3")]
    r = Review(case, as_of, facts, gaps, flags, others, post=post, rank=rank)
    checks = {"年度考核": last_assessment(case.data, as_of, policy), "影响期": impact_periods(case.data, as_of, policy)}
    if codes is not None:
        checks["任职资格"] = qualifications(case.data, as_of, policy, codes, rank)
    r.checks = list(checks.values())
    for rule in policy.get("任前审核", "不予通过情形", default=[]) or []:
        kind = rule["条件"]
        if kind == "问题代码":
            evidence = _matches(case, facts, rule)
        elif kind in checks:
            evidence = checks[kind].failed
        elif kind in BARS:
            evidence = []
        else:
            raise ValueError(f"政策文件 任前审核.不予通过情形 的条件“{kind}”未知（可用：{'、'.join(BARS)}）")
        if evidence:
            r.refusals.append(_summary(rule, evidence))
    for rule in policy.get("任前审核", "暂缓情形", default=[]) or []:
        evidence = _matches(case, facts, rule)
        if evidence:
            r.reasons.append(_summary(rule, evidence))
    return r


CHECK_TITLES = {"年度考核": "上一年度考核", "影响期": "处分、诫勉、组织处理的影响期", "任职资格": "任职资格"}


def check_lines(r: Review) -> list[str]:
    """Section 六: each bar with ✗ for what fails and the figures it was judged on."""
    out = []
    for c in r.checks:
        out.append(f"【{CHECK_TITLES.get(c.name, c.name)}】" + ("不符合" if c.failed else "符合"))
        out += [f"  ✗ {x}" for x in c.failed] + [f"  {x}" for x in c.notes]
    return out


def conclusion_lines(r: Review) -> list[str]:
    """The numbered grounds of the verdict: 不予通过 first, then 暂缓."""
    lines = [f"{i}. {x}" for i, x in enumerate(r.refusals, 1)]
    if r.refusals and r.reasons:
        lines.append("另有暂缓情形：")
    return lines + [f"{i}. {x}" for i, x in enumerate(r.reasons, len(r.refusals) + 1)]


def _day(d: dt.date) -> str:
    return day_text(d)


def _head(r: Review) -> list[str]:
    d = r.case.data
    head = [f"档案编号：{r.case.number}", f"姓名：{d.get('姓名', '')}", f"管档单位：{d.get('管档单位', '')}",
            f"档案类别：{described(d)}", f"现任职务：{d.get('现任职务', '')}"]
    if r.post or r.rank:
        head.append(f"拟任职务：{r.post or '（未写）'}" + (f"（{r.rank}）" if r.rank else ""))
    if r.stage:
        head.append(f"审核阶段：{r.stage}")
    return [*head, f"审核日期：{_day(r.as_of)}"]


def text(r: Review) -> str:
    out = ["干部人事档案任前审核表", "", *_head(r), "", "一、关键信息（三龄二历一身份、家庭成员）"]
    for f in r.facts:
        out.append(f"  【{f.name}】{f.value}")
        out.append(f"    最早记录：{f.earliest or ('不适用' if not f.applicable else '无（缺少原始依据材料）')}")
        out += [f"    材料记载：{x}" for x in f.records]
        out += [f"    认定：{x}" for x in f.determinations] or ["    认定：无"]
        out += [f"    ✗ 不一致：{x}" for x in f.disagreements]
    sections = [("二、完整性缺口", r.gaps), ("三、前后一致性疑点", r.flags),
                ("四、Git 改动记录（涂改痕迹）", _trail_lines(r)), ("五、其他未解决的问题", r.others),
                ("六、影响使用与任职资格", check_lines(r))]
    for title, lines in sections:
        out += ["", title] + ([f"  {x}" for x in lines] or ["  无"])
    out += ["", f"审核结论：{r.verdict}"]
    out += [f"  {x}" for x in conclusion_lines(r)]
    out += ["", "审核人（签字）：__________    复核人（签字）：__________    日期：__________", ""]
    return scrub("\n".join(out))


def _values(a) -> str:
    """old → new; an ID number masked on both sides, with the positions that differ."""
    if a.path == ("身份证号",) and isinstance(a.old, str) and isinstance(a.new, str):
        return id_change(a.old, a.new)
    return f"{show(a.old)} → {show(a.new)}"


def show(value) -> str:
    """A field value as one line: lists joined, entries as 键 值 pairs, absent as （无）."""
    if value is None:
        return "（无）"
    if isinstance(value, list):
        return "、".join(show(v) for v in value) or "（空）"
    if isinstance(value, dict):
        return "，".join(f"{k} {show(v)}" for k, v in value.items())
    return str(value)


def _trail_lines(r: Review, family: bool = True) -> list[str]:
    """``family=False`` (the site): a change to 家庭成员 is counted, never shown."""
    if not r.case.history:
        return ["（没有可读的 Git 历史，未核对改动记录）"]
    shown = [a for a in r.case.alterations
             if family or not (family_change(a.path, a.old, a.new) or a.label.startswith(FAMILY))]
    lines = [f"{'✗ 未经认定' if a.unauthorised else f'○ {a.undone}' if a.undone else ('✓ 已认定' if a.protected else '  ')}"
             f" {a.date} {a.commit} "
             f"{a.author}：{a.label} {_values(a)}" for a in shown]
    if len(shown) < len(r.case.alterations):
        lines.append(f"家庭成员的改动 {len(r.case.alterations) - len(shown)} 处（站点不公开，见 dangan review）")
    return lines + [f"✗ 提交 {c} 的版本不能通过检查（跳过了提交前检查）" for c in r.case.bypassed]


def as_json(r: Review) -> str:
    doc = {"编号": r.case.number, "档案类别": kind(r.case.data), "正本保管单位": r.case.data.get("正本保管单位")
           if kind(r.case.data) == COPY else None, "审核日期": _day(r.as_of), "结论": r.verdict, "理由": r.reasons,
           "不予通过理由": r.refusals, "拟任职务": r.post, "拟任职级": r.rank, "审核阶段": r.stage,
           "影响使用与任职资格": [{"项目": c.name, "符合": not c.failed, "不符合": c.failed, "情况": c.notes}
                                 for c in r.checks],
           "关键信息": [{"项目": f.name, "现值": f.value, "最早记录": f.earliest, "认定": f.determinations,
                         "不一致": f.disagreements, "缺少依据": f.missing, "适用": f.applicable} for f in r.facts],
           "完整性缺口": r.gaps, "一致性疑点": r.flags,
           "改动记录": [{"时间": a.date, "提交": a.commit, "提交人": a.author, "字段": a.label, "原值": a.old,
                       "新值": a.new, "改动": _values(a), "受保护": a.protected, "未经认定": a.unauthorised,
                       "认定依据": a.basis}
                      for a in r.case.alterations], "跳过检查的提交": r.case.bypassed,
           "有Git历史": r.case.history, "其他问题": r.others}
    return scrub(json.dumps(doc, ensure_ascii=False, indent=2, default=str)) + "\n"


PRINT_CSS = """@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", serif; font-size: 11pt; color: #000; }
h1 { text-align: center; font-size: 18pt; margin: 0 0 8pt; }
h2 { font-size: 13pt; border-bottom: 1px solid #000; margin: 12pt 0 4pt; }
table { width: 100%; border-collapse: collapse; page-break-inside: auto; }
td, th { border: 1px solid #000; padding: 3pt 4pt; vertical-align: top; text-align: left; }
tr { page-break-inside: avoid; }
.bad { font-weight: bold; }
.verdict { font-size: 14pt; font-weight: bold; margin: 10pt 0; }
.sign { margin-top: 24pt; display: flex; justify-content: space-between; }
@media screen { body { max-width: 190mm; margin: 1em auto; } }
"""


def as_html(r: Review) -> str:
    e = html.escape

    def items(lines):
        return "<ul>" + "".join(f"<li>{e(x)}</li>" for x in lines) + "</ul>" if lines else "<p>无</p>"

    rows = []
    for f in r.facts:
        detail = "".join(f'<div class="bad">✗ {e(x)}</div>' for x in f.disagreements)
        rows.append(f"<tr><th>{e(f.name)}</th><td>{e(f.value)}</td>"
                    f"<td>{e(f.earliest or ('不适用' if not f.applicable else '无（缺少原始依据材料）'))}</td>"
                    f"<td>{'<br>'.join(e(x) for x in f.determinations) or '无'}</td><td>{detail or '无'}</td></tr>")
    body = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>任前审核 {e(r.case.number)}</title>
<style>{PRINT_CSS}</style></head><body>
<h1>干部人事档案任前审核表</h1>
<p>{' &nbsp; '.join(e(x) for x in _head(r))}</p>
<h2>一、关键信息</h2>
<table><thead><tr><th>项目</th><th>现值</th><th>最早记录</th><th>认定</th><th>不一致</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
<h2>二、完整性缺口</h2>{items(r.gaps)}
<h2>三、前后一致性疑点</h2>{items(r.flags)}
<h2>四、Git 改动记录（涂改痕迹）</h2>{items(_trail_lines(r))}
<h2>五、其他未解决的问题</h2>{items(r.others)}
<h2>六、影响使用与任职资格</h2>{items(check_lines(r))}
<h2>审核结论</h2><p class="verdict">{e(r.verdict)}</p>{items(conclusion_lines(r)) if r.refusals or r.reasons else ''}
<div class="sign"><span>审核人（签字）：</span><span>复核人（签字）：</span><span>日期：</span></div>
</body></html>
"""
    return scrub(body)
