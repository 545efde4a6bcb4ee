"""The 任免审批表 and 干部简历表 as self-contained HTML (inline CSS, no scripts, no external fonts or links).

Shrink-to-fit is decided here, at render time: for each box we estimate how many lines the
text needs at each font size (CJK characters one em wide, ASCII half) and take the largest
size that fits the box of the official template. Every value is HTML-escaped, ID numbers masked.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import math
from functools import lru_cache
from pathlib import Path

from ..codes import CodeTables
from ..privacy import scrub
from .model import Appointment, FormModel, form_model

PT = 0.3528  # mm per point
SIZES = (14, 13, 12, 11, 10.5, 10, 9, 8)  # 14pt down to the official floor of 8pt (LRMX.md §1.4): never smaller
MIN_PT = SIZES[-1]
LINE = 1.2
SAFETY = 1.08  # real glyphs and borders take a little more than the estimate
TW = 1 / 56.7  # mm per twip
# Column grids of the official template (twips), LRMX.md §3
GRID1 = (784, 236, 1305, 1063, 1302, 1315, 1330, 2058)
GRID2 = (742, 1092, 1274, 574, 1008, 98, 784, 3849)
FAMILY_ROWS = 7
FAMILY_MAX = 10  # hxoms adds rows up to 10 by shrinking them (LRMX.md §3); the members past that go to the 续页
RESUME_DATE_EM = 9  # "1990.09--1994.07" + two spaces, at half-width digits
SHORT_EM = 10  # a value this short without spaces (中共党员, 共青团员) is one term: shrunk, never broken
MORE = "（见续页）"


@lru_cache(maxsize=1)
def css() -> str:
    return (Path(__file__).with_name("form.css")).read_text("utf-8")


def esc(value) -> str:
    """A value as HTML text; an ID number typed into a free-text field is masked (the form prints none)."""
    return html.escape(scrub("" if value is None else str(value)), quote=True)


def _em(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _lines(text: str, cap_em: float) -> int:
    if cap_em <= 0:
        return 10**6
    return sum(max(1, math.ceil(_em(p) / cap_em - 1e-9)) for p in text.split("\n"))


def _inner(width_mm: float, height_mm: float) -> tuple[float, float]:
    return width_mm - 2.2, height_mm - 1.4


def fits(text: str, width_mm: float, height_mm: float, size: float) -> bool:
    inner_w, inner_h = _inner(width_mm, height_mm)
    mm = size * PT
    return _lines(text, inner_w / (mm * SAFETY)) * mm * LINE <= inner_h


def one_line(text: str, width_mm: float, height_mm: float, max_pt: float = 14) -> float | None:
    """The largest size (≥ 8pt) at which ``text`` fits the box on one line, or None."""
    inner_w, inner_h = _inner(width_mm, height_mm)
    for size in SIZES:
        mm = size * PT
        if size <= max_pt and _em(text) * mm * SAFETY <= inner_w and mm * LINE <= inner_h:
            return size
    return None


def fit(text: str, width_mm: float, height_mm: float, max_pt: float = 14) -> float:
    """The largest font size (pt) at which ``text`` fits the box; 8pt (the floor) if none does."""
    for size in SIZES:
        if size <= max_pt and fits(text, width_mm, height_mm, size):
            return size
    return MIN_PT


def _span(grid, start: int, count: int) -> float:
    return sum(grid[start:start + count]) * TW


class _Sheet:
    """What did not fit its box at 8pt, in form order: printed on the 续页 (continuation sheet), never dropped."""

    def __init__(self):
        self.blocks: list[tuple[str, str]] = []  # (heading, body HTML)

    def carry(self, heading: str, rows: list[tuple[str, str]]):
        """Lines of a box, with their date column for 简历 entries."""
        if any(d for d, _t in rows):
            body = _jl(rows)
        else:
            body = "".join(f'<div class="line">{esc(t)}</div>' for _d, t in rows)
        self.blocks.append((heading, f'<div class="cont-body">{body}</div>'))

    def table(self, heading: str, head: list[str], rows: list[list[str]]):
        """Rows of a table (the family members past the rows the form has)."""
        cells = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
        body = ("<table class=\"list cont-body\"><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr>"
                + cells + "</table>")
        self.blocks.append((heading, body))


def _short(text: str) -> bool:
    return bool(text) and not any(c.isspace() for c in text) and _em(text) <= SHORT_EM


def _td(text, grid, col, span=1, height_tw=709, rows=1, cls="v", max_pt=14, sheet: _Sheet | None = None,
        label: str = "") -> str:
    """One value cell: width from the grid, font size chosen to fit (never below 8pt), value escaped.

    A short single term stays on one line; text that does not fit at 8pt goes to the 续页 (``sheet``)
    and the box says so.
    """
    text = "" if text is None else str(text)
    w, h = _span(grid, col, span), height_tw * TW * rows
    classes = [cls]
    size = one_line(text, w, h, max_pt) if _short(text) else None
    if size is not None:
        classes.append("one")
    elif fits(text, w, h, MIN_PT):
        size = fit(text, w, h, max_pt)
    elif sheet is not None:
        sheet.carry(label or "续", [("", line) for line in text.split("\n")])
        text, size = MORE, 14
    else:
        size = MIN_PT
    attrs = f' class="{" ".join(classes)}"'
    if span > 1:
        attrs += f' colspan="{span}"'
    if rows > 1:
        attrs += f' rowspan="{rows}"'
    style = f' style="font-size:{size}pt"' if size != 14 else ""
    body = "<br>".join(esc(p) for p in text.split("\n"))
    return f"<td{attrs}{style}>{body}</td>"


def _label(text, grid=None, col=0, span=1, height_tw=709, rows=1) -> str:
    """A printed label: 宋体 14pt as the template has it, one line per “\\n”.

    A space is half an em in 宋体 (“姓  名” has one em between the characters); en spaces keep
    that width in any CJK font and are never collapsed.
    """
    text = text.replace(" ", "\u2002")
    attrs = ' class="label"' + (f' colspan="{span}"' if span > 1 else "") + (f' rowspan="{rows}"' if rows > 1 else "")
    return f"<td{attrs}>" + "<br>".join(esc(p) for p in text.split("\n")) + "</td>"


def _columns(left: str, right: str, rows: int | None = None, span_rows: int = 1) -> str:
    """A label set in two columns read top to bottom, left column first (年核／度结／考果).

    ``right`` is placed at the top and its last character at the bottom when it is shorter
    (审意／批／机／关见), as the template does.
    """
    n = rows or max(len(left), len(right))
    right_cells = list(right) if len(right) >= n else [right[0], *([""] * (n - len(right))), *right[1:]]
    cells = "".join(f"<span>{esc(a)}</span><span>{esc(b)}</span>" for a, b in zip(left.ljust(n), right_cells, strict=True))
    attrs = ' class="label"' + (f' rowspan="{span_rows}"' if span_rows > 1 else "")
    return f'<td{attrs}><div class="cols" style="grid-template-rows:repeat({n},auto)">{cells}</div></td>'


def _vertical(text: str) -> str:
    return "\n".join(text)


def _colgroup(grid) -> str:
    return "<colgroup>" + "".join(f'<col style="width:{w * TW:.2f}mm">' for w in grid) + "</colgroup>"


def _photo_td(model: FormModel, photo: bytes | None, mime: str) -> str:
    if photo:
        uri = f"data:{mime};base64,{base64.b64encode(photo).decode('ascii')}"
        return f'<td class="photo" rowspan="4"><img alt="照片" src="{html.escape(uri, quote=True)}"></td>'
    return '<td class="photo" rowspan="4"></td>'


def _entries(rows: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """简历 rows grouped by entry: an entry with its “（其间：…）” lines is never split."""
    out: list[list[tuple[str, str]]] = []
    for d, t in rows:
        if d or not out:
            out.append([])
        out[-1].append((d, t))
    return out


def _jl(rows) -> str:
    return "".join(f'<div class="jl"><span class="d">{esc(d)}</span><span class="t">{esc(t)}</span></div>' for d, t in rows)


def _resume_td(model: FormModel, sheet: _Sheet) -> str:
    w, h = _span(GRID1, 1, 7) - 2.2, 7133 * TW - 1.4

    def lines(rows, mm) -> int:
        cap = w / (mm * SAFETY) - RESUME_DATE_EM
        return sum(_lines(t, cap) for _d, t in rows)

    for s in SIZES:
        mm = s * PT
        if lines(model.resume, mm) * mm * LINE <= h:
            return f'<td class="top" colspan="7" style="font-size:{s}pt">{_jl(model.resume)}</td>'
    # longer than the box holds at 8pt: whole entries up to the box (less one line for the note), the rest on the 续页
    mm = MIN_PT * PT
    room = int(h / (mm * LINE)) - 1
    kept: list[tuple[str, str]] = []
    entries = _entries(model.resume)
    for k, entry in enumerate(entries):
        if lines(kept + entry, mm) > room:
            sheet.carry("简历（续）", [row for e in entries[k:] for row in e])
            break
        kept += entry
    note = '<div class="more">（下接续页）</div>'
    return f'<td class="top" colspan="7" style="font-size:{MIN_PT}pt">{_jl(kept)}{note}</td>'


def _lines_td(lines_: list[str], heading: str, grid, col, span, height_tw, sheet: _Sheet) -> str:
    """A box of separate lines (奖惩情况): shrunk to fit; past 8pt the first lines stay, the rest go on the 续页."""
    text = "\n".join(lines_)
    w, h = _span(grid, col, span), height_tw * TW
    if fits(text, w, h, MIN_PT):
        return _td(text, grid, col, span, height_tw, cls="left")
    inner_w, inner_h = _inner(w, h)
    mm = MIN_PT * PT
    cap, room = inner_w / (mm * SAFETY), int(inner_h / (mm * LINE)) - 1
    kept: list[str] = []
    for k, line in enumerate(lines_):
        if _lines("\n".join([*kept, line]), cap) > room:
            sheet.carry(heading, [("", x) for x in lines_[k:]])
            break
        kept.append(line)
    body = "<br>".join(esc(x) for x in kept) + '<div class="more">（下接续页）</div>'
    return f'<td class="left" colspan="{span}" style="font-size:{MIN_PT}pt">{body}</td>'


def _page1(m: FormModel, photo: bytes | None, mime: str, sheet: _Sheet) -> str:
    g = GRID1
    a = m.appointment

    def td(text, col, span=1, height_tw=709, rows=1, cls="v", label=""):
        return _td(text, g, col, span, height_tw, rows, cls, sheet=sheet, label=label)

    title = "".join(f"<span>{c}</span>" for c in "干部任免审批表")
    r = [
        "<tr style='height:12.5mm'>" + _label("姓  名", span=2) + td(m.name, 2, label="姓名") + _label("性  别")
        + td(m.sex, 4, label="性别") + _label("出生年月\n（岁）") + td(m.birth_with_age, 6, label="出生年月")
        + _photo_td(m, photo, mime) + "</tr>",
        "<tr style='height:12.2mm'>" + _label("民  族", span=2) + td(m.ethnicity, 2, 1, 692, label="民族")
        + _label("籍  贯") + td(m.native_place, 4, 1, 692, label="籍贯") + _label("出 生 地")
        + td(m.birthplace, 6, 1, 692, label="出生地") + "</tr>",
        "<tr style='height:12mm'>" + _label("入  党\n时  间", span=2) + td(m.party, 2, 1, 680, label="入党时间")
        + _label("参加工\n作时间") + td(m.work_start, 4, 1, 680, label="参加工作时间") + _label("健康状况")
        + td(m.health, 6, 1, 680, label="健康状况") + "</tr>",
        "<tr style='height:12.5mm'>" + _label("专业技\n术职务", span=2) + td(m.title, 2, 2, label="专业技术职务")
        + _label("熟悉专业\n有何专长") + td(m.speciality, 5, 2, label="熟悉专业有何专长") + "</tr>",
    ]
    for i, (kind, edu, what) in enumerate((("全日制\n教  育", m.fulltime, "全日制教育"), ("在  职\n教  育", m.parttime, "在职教育"))):
        first = "<tr style='height:6.1mm'>"
        if i == 0:
            first += _label("学  历\n学  位", span=2, rows=4)
        one_school = not edu.school2  # 学位 from the same school: one box over both lines
        first += (_label(kind, rows=2) + td(edu.degree_line, 3, 2, 346, label=f"{what}学历")
                  + _label("毕业院校\n系及专业", rows=2)
                  + td(edu.school, 6, 2, 346, 2 if one_school else 1, cls="left", label=f"{what}毕业院校系及专业") + "</tr>")
        second = ("<tr style='height:6.1mm'>" + td(edu.degree2_line, 3, 2, 346, label=f"{what}学位")
                  + ("" if one_school else td(edu.school2, 6, 2, 346, cls="left", label=f"{what}学位院校系及专业")) + "</tr>")
        r += [first, second]
    r += [
        "<tr style='height:12.3mm'>" + _label("现  任  职  务", span=3) + td(m.current_post, 3, 5, 700, cls="left", label="现任职务") + "</tr>",
        "<tr style='height:12.5mm'>" + _label("拟  任  职  务", span=3) + td(a.ni_ren, 3, 5, cls="left", label="拟任职务") + "</tr>",
        "<tr style='height:12.5mm'>" + _label("拟  免  职  务", span=3) + td(a.ni_mian, 3, 5, cls="left", label="拟免职务") + "</tr>",
        "<tr style='height:125.8mm'>" + _label("简\n\n\n\n历") + _resume_td(m, sheet) + "</tr>",
    ]
    return (f'<section class="page p1"><h1 class="title">{title}</h1><table class="form">{_colgroup(g)}'
            + "".join(r) + "</table></section>")


BLANK_DAY = "年　　月　　日"  # two ideographic spaces each: room to write the day by hand


def _page2(m: FormModel, family: bool, sheet: _Sheet) -> str:
    g = GRID2
    a = m.appointment

    def td(text, col, span=1, height_tw=709, rows=1, cls="v", label=""):
        return _td(text, g, col, span, height_tw, rows, cls, sheet=sheet, label=label)

    rows = list(m.family) if family else []
    rest = rows[FAMILY_MAX - 1:] if len(rows) > FAMILY_MAX else []
    if rest:  # the last row of the box says where the others are
        rows = rows[:FAMILY_MAX - 1]
        sheet.table("家庭主要成员及重要社会关系（续）", ["称谓", "姓名", "年龄", "政治面貌", "工作单位及职务"],
                    [[f.relation, f.name, "" if f.age is None else str(f.age), f.political, f.work] for f in rest])
    n = max(FAMILY_ROWS, len(rows) + bool(rest))
    row_tw = 697 * FAMILY_ROWS // n  # the rows of the template share its height: the page never grows
    r = [
        "<tr style='height:25mm'>" + _label(_vertical("奖惩情况"))
        + (_lines_td(m.rewards, "奖惩情况（续）", g, 1, 7, 1418, sheet) if m.rewards else td("无", 1, 7, 1418, cls="left"))
        + "</tr>",
        "<tr style='height:18mm'>" + _columns("年度考", "核结果") + td(m.assessment or "无", 1, 7, 1021, cls="left", label="年度考核结果")
        + "</tr>",
        "<tr style='height:24mm'>" + _label(_vertical("任免理由")) + td(a.reason, 1, 7, 1361, cls="left", label="任免理由") + "</tr>",
        f"<tr style='height:{646 * TW:.1f}mm'>"
        + _label(_vertical("家庭主要成员及重要社会关系"), rows=n + 1)
        + _label("称  谓") + _label("姓  名") + _label("年\n龄") + _label("政 治\n面 貌") + _label("工 作 单 位 及 职 务", span=3)
        + "</tr>",
    ]
    for i in range(n):
        f = rows[i] if i < len(rows) else None
        cells = ("", "", "", "", "") if f is None else (
            f.relation, f.name, "" if f.age is None else str(f.age), f.political, f.work)
        who = f"家庭成员第 {i + 1} 行"
        r.append(f"<tr style='height:{row_tw * TW:.1f}mm'>" + td(cells[0], 1, 1, row_tw, label=f"{who}称谓")
                 + td(cells[1], 2, 1, row_tw, label=f"{who}姓名") + td(cells[2], 3, 1, row_tw, label=f"{who}年龄")
                 + td(cells[3], 4, 1, row_tw, label=f"{who}政治面貌")
                 + td(cells[4], 5, 3, row_tw, cls="left", label=f"{who}工作单位及职务") + "</tr>")
    if rest:
        r[-1] = (f"<tr style='height:{row_tw * TW:.1f}mm'>"
                 + td(f"（其余 {len(rest)} 人见续页）", 1, 7, row_tw, cls="left", label="家庭成员") + "</tr>")
    day = a.filled_on
    date_text = f"{day.year}年{day.month}月{day.day}日" if day else BLANK_DAY
    stamp = f'<div class="stamp"><div>（盖章）</div><div class="keep">{BLANK_DAY}</div></div>'
    r += [
        "<tr style='height:23.5mm'>" + _label(_vertical("呈报单位"), rows=2)
        + td(a.unit, 1, 7, 1332, cls="bottom", label="呈报单位") + "</tr>",
        "<tr style='height:13mm'>" + f'<td colspan="7" class="date-row keep">{esc(date_text)}</td>' + "</tr>",
        "<tr style='height:35.6mm'>" + _columns("审批机关", "意见")
        + f'<td colspan="5" class="bottom">{stamp}</td>'
        + _columns("行政机关", "任免意见")
        + f'<td class="bottom">{stamp}</td>' + "</tr>",
    ]
    return (f'<section class="page p2"><table class="form">{_colgroup(g)}' + "".join(r) + "</table>"
            f'<div class="filled-by">填表人：{esc(a.filled_by)}</div></section>')


def _continuation(m: FormModel, sheet: _Sheet) -> str:
    """The 续页: what did not fit its box, under the box's name, as many A4 pages as it takes."""
    if not sheet.blocks:
        return ""
    blocks = "".join(f"<h2>{esc(heading)}</h2>{body}" for heading, body in sheet.blocks)
    return (f'<section class="cont"><h1>干部任免审批表（续页）</h1>'
            f'<p class="who">姓名：{esc(m.name)}</p>{blocks}</section>')


def _document(title: str, body: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{css()}</style></head><body>{body}</body></html>\n")


def _mime(photo: bytes) -> str:
    return "image/png" if photo.startswith(b"\x89PNG") else "image/jpeg"


def render_model_body(model: FormModel, photo: bytes | None = None, family: bool = True) -> str:
    """The sections of one form (two pages and the 续页, if any), to go into a document."""
    mime = _mime(photo) if photo else "image/jpeg"
    sheet = _Sheet()
    pages = _page1(model, photo, mime, sheet) + _page2(model, family, sheet)
    return pages + _continuation(model, sheet)


def render_model_html(model: FormModel, photo: bytes | None = None, family: bool = True) -> str:
    return _document(f"干部任免审批表 {model.name}", render_model_body(model, photo, family))


BLANK_PAGE = '<section class="page blank"></section>'


def render_batch_html(bodies: list[str], blank_after: list[bool] | None = None) -> str:
    """Several forms in one document, each starting on a new sheet; ``blank_after`` adds an empty page after a
    form (duplex printing: every form starts on the front of a sheet)."""
    blank_after = blank_after or [False] * len(bodies)
    parts = [f'<div class="person">{body}{BLANK_PAGE if blank else ""}</div>'
             for body, blank in zip(bodies, blank_after, strict=True)]
    return _document(f"干部任免审批表（{len(bodies)} 人）", "".join(parts))


def render_form_html(data: dict, as_of: dt.date, appointment: Appointment | None = None, *,
                     photo: bytes | None = None, family: bool = True, codes: CodeTables) -> str:
    """The 干部任免审批表 of one dossier as one self-contained HTML page (two A4 pages when printed).

    ``data`` is a dossier mapping as ``dangan.load`` returns it; ``photo`` the image bytes, if any;
    ``family=False`` leaves the family rows blank (the site does not publish them).
    """
    return render_model_html(form_model(data, as_of, appointment, codes=codes), photo, family)


def render_resume_html(data: dict, as_of: dt.date, *, codes: CodeTables) -> str:
    """The 干部简历表: basic facts, 简历, 学历学位, 年度考核, 奖惩 — as many A4 pages as needed."""
    m = form_model(data, as_of, None, codes=codes)
    facts = [("姓名", m.name), ("性别", m.sex), ("出生年月", m.birth_with_age.replace("\n", "")), ("民族", m.ethnicity),
             ("籍贯", m.native_place), ("出生地", m.birthplace), ("入党时间", m.party), ("参加工作时间", m.work_start),
             ("健康状况", m.health), ("专业技术职务", m.title), ("熟悉专业有何专长", m.speciality), ("现任职务", m.current_post)]
    cells = [f"<th>{esc(k)}</th><td>{esc(v)}</td>" for k, v in facts]
    basic = "".join("<tr>" + "".join(cells[i:i + 2]) + "</tr>" for i in range(0, len(cells), 2))
    resume = "".join(f'<div class="jl"><span class="d">{esc(d)}</span><span class="t">{esc(t)}</span></div>'
                     for d, t in m.resume) or "无"
    edu_rows = "".join(
        "<tr>" + "".join(f"<td>{esc(e.get(k) or '')}</td>" for k in ("类别", "学历", "学位", "毕业院校", "院系专业"))
        + f"<td>{esc(e.get('入学时间') or '')}--{esc(e.get('毕业时间') or '')}</td></tr>" for e in m.educations)
    edu = ("<table class='list'><tr><th>类别</th><th>学历</th><th>学位</th><th>毕业院校</th><th>院系及专业</th><th>起止</th></tr>"
           + edu_rows + "</table>") if edu_rows else "<p>无</p>"
    assess = ("<table class='list'><tr><th>年度</th><th>结果</th></tr>"
              + "".join(f"<tr><td>{y}</td><td>{esc(r)}</td></tr>" for y, r in m.assessments) + "</table>"
              ) if m.assessments else "<p>无</p>"
    rewards = "".join(f"<div>{esc(line)}</div>" for line in m.rewards) or "<p>无</p>"
    body = (f'<section class="resume-page"><h1>干部简历表</h1><table class="list">{basic}</table>'
            f'<h2>简历</h2><div class="resume">{resume}</div><h2>学历学位</h2>{edu}'
            f"<h2>年度考核</h2>{assess}<h2>奖惩情况</h2>{rewards}"
            f'<p class="filled-by">计算年龄时间：{m.as_of.year}年{m.as_of.month}月{m.as_of.day}日</p></section>')
    return _document(f"干部简历表 {m.name}", body)
