"""目标管理 (the city overview of unit grades) and the 年终通报 of new-dossier (intake) scores.

Computed by the same code as ``dangan grade`` and ``dangan score``; every value goes through ``text()``.
Nothing here shows a family member: the score's reasons are check findings, which the 审核 page shows too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...check import make_context
from ...repo import Repo
from ...review import Case, bulletin
from ...review import pending as pd
from ...review import report as rp
from ...review import special as sp
from ...review.grade import NONE, change, graded, intakes, summary
from ...review.score import EXCELLENT, FAIL, PASS, num
from ..html import cell, day, link, raw, slug, table, text

GRADES, INTAKE, REVIEWS, PENDING = "manage/index.md", "manage/intake.md", "manage/reviews.md", "manage/pending.md"
FRONT = "---\nsearch:\n  exclude: true\nhide:\n  - toc\n---\n\n"

intake_entries = intakes  # the transfer register's entries, for the 接收 page (review.grade.intakes)


@dataclass
class Verdict:
    """What the list of every 任前审核 shows of one: the review itself, with its key facts, is not kept (at 50,000
    dossiers all of them at once were several hundred MB); its page is made again from the case (``review_page_of``)."""

    case: Case
    verdict: str
    reasons: int  # 理由（条）: 不予通过 and 暂缓 reasons


def compute(repo: Repo, as_of: dt.date, known=None):
    """The grading, every dossier's 任前审核 verdict and its 专项审核 (``special.Brief``), built one case at a time
    from the key facts its score worked out, which are then let go (``Case.forget``)."""
    ctx = make_context(repo, as_of)
    verdicts: list[Verdict] = []
    specials: list[sp.Brief] = []

    def each(c: Case) -> None:
        if slug(c.number):
            r = rp.build(c, ctx.policy, as_of)
            verdicts.append(Verdict(c, r.verdict, len(r.refusals) + len(r.reasons)))
            specials.append(sp.brief(sp.build(c, ctx.policy, as_of)))
        c.forget()

    _cases, scores, units, notes = graded(repo, ctx, known=known, each=each)
    return ctx.policy, units, notes, scores, verdicts, specials


# the sections of every 任前审核 page, in order: the page shell of these pages carries them as its table of contents
REVIEW_SECTIONS = ("关键信息", "完整性缺口", "前后一致性疑点", "Git 改动记录", "其他未解决的问题", "影响使用")


def review_uri(number: str) -> str:
    return f"pretrial/{number}.md"


def reviews_page(reviews: list[Verdict], as_of: dt.date) -> str:
    """Every dossier's 任前审核 verdict, 暂缓 first."""
    rows = []
    order = {rp.REFUSE: 0, rp.HOLD: 1, rp.PASS: 2}
    for r in sorted(reviews, key=lambda r: (order[r.verdict], r.case.number)):
        d = r.case.data
        rows.append([link(f"../../pretrial/{r.case.number}/", text(r.case.number)), text(d.get("姓名", "")),
                     text(d.get("管档单位", "")), f'<strong data-dangan-verdict="{text(r.verdict)}">{text(r.verdict)}</strong>',
                     str(r.reasons)])
    held = sum(r.verdict == rp.HOLD for r in reviews)
    refused = sum(r.verdict == rp.REFUSE for r in reviews)
    return f"""{FRONT}# 任前审核：全部档案

截至 **{day(as_of)}**，如果现在对每名干部做任前审核（`dangan review`），{len(reviews)} 份档案中
**{held}** 份会“暂缓”，**{refused}** 份会“不予通过”（上一年度考核、影响期）。点编号看审核表；考察组附卷的打印版用
`dangan review 编号 --format html` 生成。拟任人选三个阶段的审核进度见[部务会名单](pending.md)。

{raw(table(["编号", "姓名", "管档单位", "结论", "理由（条）"], rows, "dangan-reviews", sortable=True,
           attrs=' data-filter="1"'))}
"""


def pending_page(repo: Repo, as_of: dt.date, keep=lambda _number: True) -> str:
    """The 部务会 list (``dangan review --pending``): every candidate of ledgers/任前审核.yaml by state
    (``keep``: which 编号 may be listed, a unit's own site)."""
    candidates = [c for c in pd.pending(repo, as_of) if keep(c.number)]
    sections = []
    for state in pd.STATES:
        group = [c for c in candidates if c.state == state]
        rows = []
        for c in group:
            number = slug(c.number)
            # a dossier no longer here has no 任前审核 page: the 编号 alone, the note says why
            who = link(f"../../pretrial/{number}/", text(c.number)) if number and not c.gone else text(c.number)
            stages = "<br>".join(text(c.stage_line(e)) for e in c.entries)
            rows.append([who, text(c.name), text(c.post + (f"（{c.rank}）" if c.rank else "")), stages,
                         text("；".join(c.notes) or "—")])
        body = raw(table(["编号", "姓名", "拟任职务", "各阶段", "说明"], rows, "dangan-pending")) if rows else "无。"
        sections.append(f'## {text(state)}（{len(group)} 名）\n\n{body}\n')
    return f"""{FRONT}# 部务会名单：任前审核进度

截至 **{day(as_of)}**，`ledgers/任前审核.yaml` 登记的拟任人选 {len(candidates)} 名（与 `dangan review --pending` 一致）。
动议初审、考察复审、任用终审都通过、此后档案没有改动关键信息的，可以提交部务会；其余的不能提交。

{chr(10).join(sections)}"""


def review_page_of(case, policy, as_of: dt.date) -> str:
    """The 任前审核 page of a case, its review built again (as ``compute`` built it)."""
    return review_page(rp.build(case, policy, as_of))


def review_page(r) -> str:
    """One dossier's 任前审核 as the site shows it: the family only as a count and flags, never names or values."""
    d = r.case.data
    rows = []
    for f in r.facts:
        if f.name == "家庭成员":
            members = d.get("家庭成员") if isinstance(d.get("家庭成员"), list) else []
            value = f"{len(members)} 人（站点不公开）"
            bad = f"{len(f.disagreements)} 处（见 dangan review）" if f.disagreements else "无"
            determinations = [f"{len(f.determinations)} 项（站点不公开，见 dangan review）"] if f.determinations else []
        else:
            value, bad, determinations = f.value, "；".join(f.disagreements) or "无", f.determinations
        earliest = f.earliest or ("不适用" if not f.applicable else "无（缺少原始依据材料）")
        rows.append([text(f.name), text(value), text(earliest), text("；".join(determinations) or "无"), text(bad)])

    def bullets(lines):
        return raw("<ul>" + "".join(f"<li>{text(x)}</li>" for x in lines) + "</ul>") if lines else "无。"

    # a 暂缓 reason may quote an alteration of 家庭成员: the site names the condition, not the values
    reasons = [x if "家庭成员" not in x else x.split("：", 1)[0] + "：（含家庭成员的改动，见 dangan review）"
               for x in r.reasons]
    sections = [raw(table(["项目", "现值", "最早记录", "认定", "不一致"], rows, "dangan-keyfacts")), bullets(r.gaps),
                bullets(r.flags), bullets(rp._trail_lines(r, family=False)), bullets(r.others), bullets(rp.check_lines(r))]
    body = "".join(f"## {title}\n\n{section}\n\n" for title, section in zip(REVIEW_SECTIONS, sections, strict=True))
    title = f"任前审核 {text(r.case.number)}"
    front = FRONT.replace("---", f"---\ntitle: {title}", 1)  # the title as MkDocs would take it from the heading
    return f"""{front}# {title}

{raw(f"<p>档案 {link(f'../../dossier/{r.case.number}/', text(r.case.number))} {text(d.get('姓名', ''))}，"
     f"{text(d.get('管档单位', ''))}，{text(d.get('现任职务', ''))}。审核日期 {day(r.as_of)}。</p>",
     f'<p class="dangan-verdict">审核结论：<strong data-dangan-verdict="{text(r.verdict)}">{text(r.verdict)}</strong></p>')}

{bullets(rp.conclusion_lines(rp.Review(r.case, r.as_of, [], [], [], [], reasons, r.refusals)))}

{body}"""


def grades_page(policy, units, notes, as_of: dt.date) -> str:
    """The city's table (as ``dangan grade --report``), the figures behind each grade, and the open 整改."""
    top = policy["目标管理"]["等级"][0]["名称"]
    rows, figures = [], []
    for u in units:
        avg = "—" if u.average is None else num(round(u.average, 2))
        total = "—" if u.total is None else num(u.total)
        seen = text(str(u.inspection.get("日期"))) if u.inspection else "未检查"
        fixes = f"{len(u.open_fixes)}" + (f"（逾期 {u.overdue_fixes}）" if u.overdue_fixes else "")
        rows.append([text(u.name), cell(str(u.volumes), u.volumes), "是" if u.eligible else "否",
                     cell(text(str(total)), u.total if u.total is not None else -1),
                     f'<strong data-dangan-grade="{text(u.grade)}">{text(u.grade)}</strong>',
                     text(u.last_year or "—"), text(change(u, policy)), text(fixes), seen,
                     text("；".join(u.reasons) if u.grade != top else "")])
        figures.append([text(u.name), f"{u.rate:.1f}%", f"{u.per100:.1f}", str(u.unauthorised), str(u.receipts),
                        str(u.loans), text(avg)])
    levels = [lv["名称"] for lv in policy["目标管理"]["等级"]]
    note = "".join(f"<li>{text(n)}</li>" for n in notes)
    opened = "".join(f'<li data-dangan-fix="{"overdue" if f.overdue else "open"}">{text(u.name)} {text(f.label())} '
                     f"{text(str(f.problem.get('问题')))}（整改期限 {text(str(f.problem.get('整改期限')))}"
                     f"{f'，逾期 {f.overdue_days} 天' if f.overdue else ''}）</li>" for u in units for f in u.open_fixes)
    items = ""
    if units and units[0].scored:
        head = ["类别", "项目", "分值", *(text(u.name) for u in units)]
        score_rows = [[text(s.item.category), text(s.item.name), text(num(s.item.points)),
                       *(text(num(u.scored[k].points)) for u in units)] for k, s in enumerate(units[0].scored)]
        items = f"""## 考评得分

检查项目取最近一次检查验收（`ledgers/检查验收.yaml`）的评分，其余从数据算；标准见使用手册“目标管理”。

{raw(table(head, score_rows, "dangan-grade-items"))}
"""
    return f"""{FRONT}# 目标管理：管档单位定级

截至 **{day(as_of)}**，按政策文件“目标管理”一节的考评标准定级，与 `dangan grade --report` 一致。
等级自上而下为 {"、".join(levels)}，都达不到的为“{NONE}”；上年等级是上一年最近一次检查验收评定的等级。

{raw(f'<p class="dangan-summary">{text(summary(units, policy))}</p>')}

{raw(table(["管档单位", "卷数", "参评", "总分", "等级", "上年等级", "变化", "未整改", "最近检查验收", "未达上一等级的原因"],
            rows, "dangan-grades", sortable=True))}

## 未整改的问题

{raw(f"<ul>{opened}</ul>") if opened else "检查验收发现的问题都已整改。"}

{items}
## 数据

{raw(table(["管档单位", "完整率", "每百卷问题", "未经认定改动", "逾期未回执", "逾期未还", "新任平均分"], figures,
            "dangan-grade-figures"))}

{raw(f"<ul>{note}</ul>") if note else ""}

新任干部档案的评分见[年终通报](intake.md)，每名干部的任前审核结论见[任前审核](reviews.md)。
"""


def bulletin_section(entries: list[dict], year: int) -> str:
    """The 年终通报 per 报送单位 from the intake records (as dangan score --report)."""
    senders = bulletin.build(entries, year)
    if not senders:
        return "本年度转递登记中没有转入或退回的档案。"
    rows = [[text(v) for v in u.row()] for u in senders]
    why = "".join(f"\n- {text(u.name)} 退回 {len(u.returned)} 份：" + "；".join(text(r) for r in u.returned)
                  for u in senders if u.returned)
    return raw(table(bulletin.HEADER, rows, "dangan-bulletin")) + ("\n" + why if why else "")


def intake_page(scores: dict, as_of: dt.date, entries: list[dict] | None = None) -> str:
    year = [s for s in scores.values() if s.received[:4] == f"{as_of.year:04d}" and s.received <= day(as_of)]
    year.sort(key=lambda s: (s.unit, s.received, s.number))
    rows = []
    for s in year:
        number = slug(s.number)
        where = link(f"../../dossier/{number}/", text(s.number)) if number else text(s.number)
        why = [f"〔{d.item}〕扣 {num(d.points)} 分：{d.reason}" for d in s.deductions] + [f"单项否决：{v}" for v in s.vetoes]
        rows.append([where, text(s.name), text(s.unit), text(s.received), text("" if s.days is None else s.days),
                     cell(text(num(s.total)), s.total), text(s.grade), text("；".join(why) or "无")])
    per_unit: dict[str, list] = {}
    for s in year:
        per_unit.setdefault(s.unit, []).append(s)
    unit_rows = [[text(u), str(len(ss)), *(str(sum(s.grade == g for s in ss)) for g in (EXCELLENT, PASS, FAIL)),
                  text(num(round(sum(s.total for s in ss) / len(ss), 2)))] for u, ss in sorted(per_unit.items())]
    body = (raw(table(["管档单位", "新任档案（份）", EXCELLENT, PASS, FAIL, "平均分"], unit_rows, "dangan-intake-units"))
            + "\n\n## 逐份评分\n\n"
            + raw(table(["编号", "姓名", "管档单位", "接收时间", "送交天数", "得分", "等次", "扣分与否决"], rows,
                        "dangan-intake", sortable=True, attrs=' data-filter="1"'))) if year else "本年度尚无新任干部档案。"
    return f"""{FRONT}# 新任干部档案评分：{as_of.year} 年度通报

## 按报送单位（转递登记）

依据转递登记（`ledgers/转递.yaml`）中转入时冻结的评分和退回登记，与 `dangan score --report {as_of.year}` 一致：

{bulletin_section(entries or [], as_of.year)}

## 逐份档案

{as_of.year} 年 1 月 1 日至 **{day(as_of)}** 接收任免审批表的干部档案（转入的按转入时冻结的评分），按政策文件“新任干部档案评分”一节评分
（优秀、合格、不合格；有单项否决的为不合格），与 `dangan score` 一致。

{body}
"""
