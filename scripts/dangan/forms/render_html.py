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
SIZES = (14, 13, 12, 11, 10.5, 10, 9, 8, 7.5, 7, 6.5, 6, 5.5, 5)
LINE = 1.2
SAFETY = 1.08  # real glyphs and borders take a little more than the estimate
TW = 1 / 56.7  # mm per twip
# Column grids of the official template (twips), LRMX.md §3
GRID1 = (784, 236, 1305, 1063, 1302, 1315, 1330, 2058)
GRID2 = (742, 1092, 1274, 574, 1008, 98, 784, 3849)
FAMILY_ROWS = 7
RESUME_DATE_EM = 9  # "1990.09--1994.07" + two spaces, at half-width digits


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


def fit(text: str, width_mm: float, height_mm: float, max_pt: float = 14) -> float:
    """The largest font size (pt) at which ``text`` fits the box; the smallest size if none does."""
    inner_w, inner_h = width_mm - 2.2, height_mm - 1.4
    for size in SIZES:
        if size > max_pt:
            continue
        mm = size * PT
        if _lines(text, inner_w / (mm * SAFETY)) * mm * LINE <= inner_h:
            return size
    return SIZES[-1]


def _span(grid, start: int, count: int) -> float:
    return sum(grid[start:start + count]) * TW


def _td(text, grid, col, span=1, height_tw=709, rows=1, cls="v", max_pt=14, label=False) -> str:
    """One cell: width from the grid, font size chosen to fit, value escaped."""
    text = "" if text is None else str(text)
    w, h = _span(grid, col, span), height_tw * TW * rows
    size = fit(text, w, h, max_pt)
    attrs = f' class="{"label" if label else cls}"'
    if span > 1:
        attrs += f' colspan="{span}"'
    if rows > 1:
        attrs += f' rowspan="{rows}"'
    style = f' style="font-size:{size}pt"' if size != 14 else ""
    body = "<br>".join(esc(p) for p in text.split("\n"))
    return f"<td{attrs}{style}>{body}</td>"


def _label(text, grid, col, span=1, height_tw=709, rows=1) -> str:
    return _td(text, grid, col, span, height_tw, rows, label=True)


def _vertical(text: str) -> str:
    return "\n".join(text)


def _colgroup(grid) -> str:
    return "<colgroup>" + "".join(f'<col style="width:{w * TW:.2f}mm">' for w in grid) + "</colgroup>"


def _photo_td(model: FormModel, photo: bytes | None, mime: str) -> str:
    if photo:
        uri = f"data:{mime};base64,{base64.b64encode(photo).decode('ascii')}"
        return f'<td class="photo" rowspan="4"><img alt="照片" src="{html.escape(uri, quote=True)}"></td>'
    return '<td class="photo" rowspan="4"></td>'


def _resume_td(model: FormModel) -> str:
    w, h = _span(GRID1, 1, 7) - 2.2, 7133 * TW - 1.4
    size = SIZES[-1]
    for s in SIZES:
        mm = s * PT
        cap = w / (mm * SAFETY) - RESUME_DATE_EM
        if sum(_lines(t, cap) for _d, t in model.resume) * mm * LINE <= h:
            size = s
            break
    rows = "".join(f'<div class="jl"><span class="d">{esc(d)}</span><span class="t">{esc(t)}</span></div>'
                   for d, t in model.resume)
    return f'<td class="top" colspan="7" style="font-size:{size}pt">{rows}</td>'


def _page1(m: FormModel, photo: bytes | None, mime: str) -> str:
    g = GRID1
    a = m.appointment
    title = "".join(f"<span>{c}</span>" for c in "干部任免审批表")
    r = [
        "<tr style='height:12.5mm'>" + _label("姓  名", g, 0, 2) + _td(m.name, g, 2) + _label("性  别", g, 3)
        + _td(m.sex, g, 4) + _label("出生年月\n（  岁）", g, 5) + _td(m.birth_with_age, g, 6) + _photo_td(m, photo, mime)
        + "</tr>",
        "<tr style='height:12.2mm'>" + _label("民  族", g, 0, 2, 692) + _td(m.ethnicity, g, 2, 1, 692)
        + _label("籍  贯", g, 3, 1, 692) + _td(m.native_place, g, 4, 1, 692) + _label("出 生 地", g, 5, 1, 692)
        + _td(m.birthplace, g, 6, 1, 692) + "</tr>",
        "<tr style='height:12mm'>" + _label("入  党\n时  间", g, 0, 2, 680) + _td(m.party, g, 2, 1, 680)
        + _label("参加工\n作时间", g, 3, 1, 680) + _td(m.work_start, g, 4, 1, 680) + _label("健康状况", g, 5, 1, 680)
        + _td(m.health, g, 6, 1, 680) + "</tr>",
        "<tr style='height:12.5mm'>" + _label("专业技\n术职务", g, 0, 2) + _td(m.title, g, 2, 2)
        + _label("熟悉专业\n有何专长", g, 4) + _td(m.speciality, g, 5, 2) + "</tr>",
    ]
    for i, (kind, edu) in enumerate((("全日制\n教  育", m.fulltime), ("在  职\n教  育", m.parttime))):
        first = "<tr style='height:6.1mm'>"
        if i == 0:
            first += _label("学 历\n学 位", g, 0, 2, 346, 4)
        one_school = not edu.school2  # 学位 from the same school: one box over both lines
        first += (_label(kind, g, 2, 1, 346, 2) + _td(edu.degree_line, g, 3, 2, 346) + _label("毕业院校\n系及专业", g, 5, 1, 346, 2)
                  + _td(edu.school, g, 6, 2, 346, 2 if one_school else 1, cls="left") + "</tr>")
        second = ("<tr style='height:6.1mm'>" + _td(edu.degree2_line, g, 3, 2, 346)
                  + ("" if one_school else _td(edu.school2, g, 6, 2, 346, cls="left")) + "</tr>")
        r += [first, second]
    r += [
        "<tr style='height:12.3mm'>" + _label("现  任  职  务", g, 0, 3, 700) + _td(m.current_post, g, 3, 5, 700, cls="left") + "</tr>",
        "<tr style='height:12.5mm'>" + _label("拟  任  职  务", g, 0, 3) + _td(a.ni_ren, g, 3, 5, cls="left") + "</tr>",
        "<tr style='height:12.5mm'>" + _label("拟  免  职  务", g, 0, 3) + _td(a.ni_mian, g, 3, 5, cls="left") + "</tr>",
        "<tr style='height:125.8mm'>" + _label("简\n\n\n\n历", g, 0, 1, 7133) + _resume_td(m) + "</tr>",
    ]
    return (f'<section class="page p1"><h1 class="title">{title}</h1><table class="form">{_colgroup(g)}'
            + "".join(r) + "</table></section>")


def _page2(m: FormModel, family: bool) -> str:
    g = GRID2
    a = m.appointment
    rows = list(m.family) if family else []
    n = max(FAMILY_ROWS, len(rows))
    row_tw = 697 if n <= FAMILY_ROWS else max(420, 697 * FAMILY_ROWS // n)
    rewards = "\n".join(m.rewards) or "无"
    r = [
        "<tr style='height:25mm'>" + _label(_vertical("奖惩情况"), g, 0, 1, 1418) + _td(rewards, g, 1, 7, 1418, cls="left") + "</tr>",
        "<tr style='height:18mm'>" + _label("年度\n考核\n结果", g, 0, 1, 1021) + _td(m.assessment or "无", g, 1, 7, 1021, cls="left") + "</tr>",
        "<tr style='height:24mm'>" + _label(_vertical("任免理由"), g, 0, 1, 1361) + _td(a.reason, g, 1, 7, 1361, cls="left") + "</tr>",
        f"<tr style='height:{646 * TW:.1f}mm'>"
        + _label(_vertical("家庭主要成员及重要社会关系"), g, 0, 1, 646 + row_tw * n, 1).replace("<td", f'<td rowspan="{n + 1}"', 1)
        + _label("称  谓", g, 1, 1, 646) + _label("姓  名", g, 2, 1, 646) + _label("年\n龄", g, 3, 1, 646)
        + _label("政 治\n面 貌", g, 4, 1, 646) + _label("工 作 单 位 及 职 务", g, 5, 3, 646) + "</tr>",
    ]
    for i in range(n):
        f = rows[i] if i < len(rows) else None
        cells = ("", "", "", "", "") if f is None else (
            f.relation, f.name, "" if f.age is None else str(f.age), f.political, f.work)
        r.append(f"<tr style='height:{row_tw * TW:.1f}mm'>" + _td(cells[0], g, 1, 1, row_tw) + _td(cells[1], g, 2, 1, row_tw)
                 + _td(cells[2], g, 3, 1, row_tw) + _td(cells[3], g, 4, 1, row_tw)
                 + _td(cells[4], g, 5, 3, row_tw, cls="left") + "</tr>")
    day = a.filled_on
    date_text = f"{day.year}年{day.month}月{day.day}日" if day else "年    月    日"
    r += [
        "<tr style='height:23.5mm'>" + _label(_vertical("呈报单位"), g, 0, 1, 1332 + 737, 1).replace("<td", '<td rowspan="2"', 1)
        + _td(a.unit, g, 1, 7, 1332, cls="bottom") + "</tr>",
        "<tr style='height:13mm'>" + f'<td colspan="7" class="date-row">{esc(date_text)}</td>' + "</tr>",
        "<tr style='height:35.6mm'>" + _label("审批\n机关\n意见", g, 0, 1, 2019)
        + '<td colspan="5" class="bottom"><div class="stamp"><div>（盖章）</div><div>年    月    日</div></div></td>'
        + _label("行政\n机关\n任免\n意见", g, 6, 1, 2019)
        + '<td class="bottom"><div class="stamp"><div>（盖章）</div><div>年    月    日</div></div></td>' + "</tr>",
    ]
    return (f'<section class="page p2"><table class="form">{_colgroup(g)}' + "".join(r) + "</table>"
            f'<div class="filled-by">填表人：{esc(a.filled_by)}</div></section>')


def _document(title: str, body: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{css()}</style></head><body>{body}</body></html>\n")


def _mime(photo: bytes) -> str:
    return "image/png" if photo.startswith(b"\x89PNG") else "image/jpeg"


def render_model_html(model: FormModel, photo: bytes | None = None, family: bool = True) -> str:
    mime = _mime(photo) if photo else "image/jpeg"
    return _document(f"干部任免审批表 {model.name}", _page1(model, photo, mime) + _page2(model, family))


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
