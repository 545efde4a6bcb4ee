"""专项审核 (``dangan special-review``): for each of the seven key facts, every material that records it.

三龄两历一身份 and 家庭成员 (《干部人事档案工作条例》; 中组发〔2014〕22号 专项审核): for each fact the materials whose
``档案目录[].记载`` records it (their value and 形成时间), the earliest record (rules/records.py: ordered by what the
形成时间 says, a tie reported), the dossier's value, the 认定记录 about it, and what is still open — the R6xx findings,
the review's own disagreements (review/keyfacts.py), paper alterations not yet handled and changes in the Git trail
that no 认定 covers. The 《干部人事档案专项审核认定表》 prints the same matrix (A4, signature lines).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

from ..dates import day_text
from ..privacy import scrub
from ..rules import items
from ..rules.records import earliest, span
from . import Case
from .report import PRINT_CSS, show

TITLE = "干部人事档案专项审核认定表"
# fact → the 记载 keys that record it (the ages and 学历学位 as the schema names them; the rest under 其他.项目)
RECORDS = {"出生年月": ("出生年月",), "参加工作时间": ("参加工作时间",), "入党时间": ("入党时间",),
           "学历学位": ("学历", "学位"), "工作经历": ("工作经历",), "干部身份": ("干部身份",), "家庭成员": ("家庭成员",)}
FACT_OF_RECORD = {key: fact for fact, keys in RECORDS.items() for key in keys}
# the dossier fields whose changes belong to each fact (the trail's first path element)
FIELDS = {"出生年月": ("出生年月",), "参加工作时间": ("参加工作时间",), "入党时间": ("入党时间", "政治面貌"),
          "学历学位": ("学历学位",), "工作经历": ("简历",), "干部身份": ("干部身份",), "家庭成员": ("家庭成员",)}
STAGES = ("初审", "复审")


@dataclass
class Row:
    material: str  # "6-1 入团志愿书"
    formed: str  # its 形成时间
    key: str  # which 记载 (学历 or 学位 for 学历学位; the fact itself otherwise)
    value: str
    earliest: bool = False


@dataclass
class FactReview:
    name: str
    value: str  # the dossier's value (family: in full only in the text output)
    rows: list[Row] = field(default_factory=list)
    determinations: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return bool(self.problems)


@dataclass
class Special:
    case: Case
    as_of: dt.date
    facts: list[FactReview]
    alterations: list[str]  # paper alterations (涂改) of any material, with their handling

    @property
    def open(self) -> list[str]:
        return [f"{f.name}：{p}" for f in self.facts for p in f.problems]


@dataclass
class Brief:
    """What the site's 专项审核 page shows of one Special: whether any material records a key fact, and the open
    problems by fact (their material rows are not kept: one Brief per dossier is held until the page is made)."""

    case: Case
    recorded: bool
    problems: list[tuple[str, list[str]]]  # (fact, its open problems), in RECORDS order

    @property
    def open(self) -> list[str]:
        return [f"{name}：{p}" for name, problems in self.problems for p in problems]


def brief(s: Special) -> Brief:
    return Brief(s.case, any(f.rows for f in s.facts), [(f.name, list(f.problems)) for f in s.facts])


def _rows(data: dict) -> dict[str, list[tuple[int, Row, tuple | None]]]:
    """fact → [(catalog position, row, span)] for every 记载 of it, in catalog order."""
    out: dict[str, list] = {}
    for i, entry in enumerate(items(data, "档案目录")):
        if not isinstance(entry, dict) or not isinstance(entry.get("记载"), dict):
            continue
        ref = f"{entry.get('类号')}-{entry.get('序号')} {entry.get('材料名称', '')}"
        formed = str(entry.get("形成时间") or "")
        recorded = dict(entry["记载"])
        for other in recorded.pop("其他", None) or []:
            if isinstance(other, dict) and isinstance(other.get("项目"), str) and other["项目"] in FACT_OF_RECORD:
                recorded.setdefault(other["项目"], other.get("值"))
        for key, value in recorded.items():
            fact = FACT_OF_RECORD.get(key)
            if fact is not None and isinstance(value, str | int):
                out.setdefault(fact, []).append((i, Row(ref, formed, key, str(value)), span(entry.get("形成时间"))))
    return out


def _mentions(text: str, fact: str) -> bool:
    return any(k in text for k in (fact, *RECORDS[fact]))


def build(case: Case, policy, as_of: dt.date) -> Special:
    data = case.data
    facts = {f.name: f for f in case.key_facts(policy)}
    rows = _rows(data)
    out = []
    for name in RECORDS:
        kf = facts.get(name)
        fr = FactReview(name, kf.value if kf else "", determinations=list(kf.determinations) if kf else [])
        recs = rows.get(name, [])
        for key in RECORDS[name]:  # the earliest of each kind of record (学历 and 学位 apart)
            mine = [(i, r.material, r.value, span) for i, r, span in recs if r.key == key]
            first, _tie = earliest(mine)
            firsts = {ref for _i, ref, _v, _s in first}
            for _i, r, _s in recs:
                if r.key == key and r.material in firsts:
                    r.earliest = True
        fr.rows = [r for _i, r, _s in recs]
        fr.problems += [f"{f.code} {f.message}" for f in case.findings
                        if f.code.startswith("R60") and f.code not in ("R606", "R607", "R608")
                        and _mentions(f.message.split("：", 1)[0], name)]
        if kf is not None:
            fr.problems += list(kf.disagreements)
            if kf.missing and kf.applicable:
                fr.problems.append("没有可查的原始依据材料")
        fr.problems += [f"{a.date} 提交 {a.commit}（{a.author}）改动 {a.label}：{show(a.old)} → {show(a.new)}，没有认定"
                        for a in case.unauthorised if a.path and a.path[0] in FIELDS[name]]
        out.append(fr)
    alterations = []
    for entry in items(data, "档案目录"):
        if not isinstance(entry, dict):
            continue
        ref = f"{entry.get('类号')}-{entry.get('序号')} {entry.get('材料名称', '')}"
        for alt in items(entry, "涂改"):
            if not isinstance(alt, dict):
                continue
            about = str(alt.get("所涉项目") or "")
            handled = "经查属涂改造假" if alt.get("造假") is True else str(alt.get("处理") or "")
            line = (f"{ref} {alt.get('部位', '')}（所涉 {about}；{alt.get('发现人', '')} {alt.get('发现日期', '')} 发现）："
                    f"{handled}" + (f"，处理材料 {alt['处理材料']}" if alt.get("处理材料") else ""))
            alterations.append(line)
            if alt.get("造假") is True or alt.get("处理") == "待处理":
                for fr in out:
                    if _mentions(about, fr.name):
                        fr.problems.append(f"{ref} 的{alt.get('部位', '')}有涂改：{handled}")
                        break
                else:  # a fact this table does not list: still open
                    out[0].problems.append(f"{ref} 的{alt.get('部位', '')}有涂改（所涉 {about}）：{handled}")
    return Special(case, as_of, out, alterations)


# ---------------------------------------------------------------- output

def _head(s: Special) -> list[str]:
    d = s.case.data
    return [f"编号 {s.case.number}", f"姓名 {d.get('姓名', '')}", f"管档单位 {d.get('管档单位', '')}",
            f"现任职务 {d.get('现任职务', '')}", f"审核日期 {day_text(s.as_of)}"]


def text(s: Special, entries: list[dict] | None = None) -> str:
    out = [TITLE, "", "  ".join(_head(s)), ""]
    for n, f in enumerate(s.facts, 1):
        out.append(f"{n}. 【{f.name}】档案：{f.value}")
        if f.rows:
            for r in f.rows:
                mark = "（最早）" if r.earliest else ""
                key = f"{r.key}：" if r.key != f.name else ""
                out.append(f"     {r.material}（{r.formed or '形成时间不详'}）记载 {key}{r.value}{mark}")
        else:
            out.append("     没有材料记载（档案目录中没有“记载”）")
        for d in f.determinations:
            out.append(f"     认定：{d}")
        for p in f.problems:
            out.append(f"   ✗ {p}")
        if not f.problems:
            out.append("   ✓ 没有未结的问题")
    out += ["", "材料上发现的涂改：" + ("无" if not s.alterations else "")]
    out += [f"  {a}" for a in s.alterations]
    if entries:
        out += ["", "专项审核登记："]
        out += [f"  {e.get('阶段')} {e.get('日期')} {e.get('审核人')}：{e.get('结论')}（登记号 {e.get('登记号')}）"
                for e in entries]
    opened = s.open
    out += ["", f"未结的问题 {len(opened)} 个" + ("：须查清，经组织认定后再复审" if opened else "：可以认定")]
    return scrub("\n".join(out)) + "\n"


def as_html(s: Special, entries: list[dict] | None = None) -> str:
    """The printable 认定表 (A4). Family members are counted, not named: the sheet travels with the file."""
    e = html.escape
    body = []
    for f in s.facts:
        value = f"{len([m for m in items(s.case.data, '家庭成员') if isinstance(m, dict)])} 人（详见档案）" \
            if f.name == "家庭成员" else f.value
        rows = "".join(
            f"<tr><td>{e(r.material)}</td><td>{e(r.formed)}</td><td>{e('' if r.key == f.name else r.key)}</td>"
            f"<td>{e(r.value)}{'（最早）' if r.earliest else ''}</td></tr>" for r in f.rows) \
            or "<tr><td colspan='4'>没有材料记载</td></tr>"
        problems = "".join(f"<li>{e(p)}</li>" for p in f.problems) or "<li>没有未结的问题</li>"
        determinations = "".join(f"<li>{e(d)}</li>" for d in f.determinations) or "<li>无</li>"
        body.append(f"<h2>{e(f.name)}：{e(value)}</h2><table class='sheet'><thead><tr><th>材料</th><th>形成时间</th>"
                    f"<th>项目</th><th>记载</th></tr></thead><tbody>{rows}</tbody></table>"
                    f"<p>认定：</p><ul>{determinations}</ul><p>问题：</p><ul>{problems}</ul>")
    alterations = "".join(f"<li>{e(a)}</li>" for a in s.alterations) or "<li>无</li>"
    stages = {x.get("阶段"): x for x in entries or []}
    signs = "".join(
        f"<tr><th>{e(st)}</th><td>{e(str(stages[st].get('结论', '')) if st in stages else '')}</td>"
        f"<td>{e(str(stages[st].get('审核人', '')) if st in stages else '')}</td>"
        f"<td>{e(str(stages[st].get('日期', '')) if st in stages else '')}</td><td class='sign'></td></tr>"
        for st in STAGES)
    page = f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{e(TITLE)}</title>
<style>{PRINT_CSS}
table.sheet th {{ background: #f2f2f2; }}
td.sign {{ height: 14mm; width: 22%; }}
h2 {{ break-after: avoid; }}
table {{ break-inside: avoid; }}
</style></head><body>
<h1>{e(TITLE)}</h1>
<p>{' &nbsp; '.join(e(x) for x in _head(s))}</p>
{''.join(body)}
<h2>材料上发现的涂改</h2><ul>{alterations}</ul>
<h2>审核意见</h2>
<p>未结的问题 {len(s.open)} 个。</p>
<table class="sheet"><thead><tr><th>阶段</th><th>结论</th><th>审核人</th><th>日期</th><th>签字</th></tr></thead>
<tbody>{signs}</tbody></table>
</body></html>
"""
    return scrub(page)
