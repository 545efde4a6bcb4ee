"""The 干部任免审批表 as a Word file (python-docx), in the layout of the official template (LRMX.md §3).

Offices edit and stamp the form in Word or WPS, so this is a real table (merged cells, fixed column
widths in twips, row heights "at least" the template's), not a picture of one. The boxes say what the
form model says (model.py): the same text as the printed form and the .lrmx. Text is set as text:
nothing from a dossier becomes a field, a formula or markup.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from .model import FormModel

FONT = "宋体"
LABEL_PT = 14
GRID1 = (784, 236, 1305, 1063, 1302, 1315, 1330, 2058)  # page 1 columns (twips), LRMX.md §3
GRID2 = (742, 1092, 1274, 574, 1008, 98, 784, 3849)  # page 2
FAMILY_ROWS = 7  # spbmb.docx, owip, rmb_helper, hxoms: seven rows; more members add rows


def _font(run, size: float, bold: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), FONT)


def _fill(cell, lines, size: float = LABEL_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
          valign=WD_CELL_VERTICAL_ALIGNMENT.CENTER) -> None:
    """Replace the cell's text by ``lines`` (one paragraph each)."""
    if isinstance(lines, str):
        lines = lines.split("\n")
    cell.vertical_alignment = valign
    first = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    for i, line in enumerate(lines or [""]):
        p = first if i == 0 else cell.add_paragraph()
        p.alignment = align
        p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.line_spacing = 1.0
        if line:
            _font(p.add_run(line), size)


def _size(lines: list[str], roomy: int, tight: int) -> float:
    """Shrink long text as the template does (14pt at a few lines, never below 8pt); Word grows the row past that."""
    n = sum(max(1, (len(x) + 39) // 40) for x in lines)
    if n <= roomy:
        return 12
    return max(8.0, 12 * roomy / n) if n <= tight else 8.0


def _table(doc, grid: tuple[int, ...], rows: int, heights: list[int]):
    table = doc.add_table(rows=rows, cols=len(grid))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for c, width in enumerate(grid):
        table.columns[c].width = Twips(width)
        for cell in table.columns[c].cells:
            cell.width = Twips(width)
    for r, height in enumerate(heights):
        row = table.rows[r]
        row.height = Twips(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    return table


def _merge(table, r1: int, c1: int, r2: int, c2: int):
    return table.cell(r1, c1).merge(table.cell(r2, c2)) if (r1, c1) != (r2, c2) else table.cell(r1, c1)


def _margins(section, top: int, right: int, bottom: int, left: int) -> None:
    section.page_width, section.page_height = Twips(11907), Twips(16840)
    section.top_margin, section.right_margin = Twips(top), Twips(right)
    section.bottom_margin, section.left_margin = Twips(bottom), Twips(left)


def render_docx(m: FormModel, photo: bytes | None = None) -> bytes:
    """The .docx bytes of one form: page 1 and page 2 as two sections of A4, 填表人 under the table."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _margins(doc.sections[0], 629, 1134, 680, 1247)
    title = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run("干  部  任  免  审  批  表"), 24, bold=True)

    # ---------------------------------------------------------------- page 1
    t = _table(doc, GRID1, 12, [709, 692, 680, 709, 346, 346, 346, 346, 709, 709, 709, 7133])
    cells = [("姓  名", m.name, "性  别", m.sex, "出生年月\n（岁）", m.birth_with_age),
             ("民  族", m.ethnicity, "籍  贯", m.native_place, "出 生 地", m.birthplace),
             ("入  党\n时  间", m.party, "参加工\n作时间", m.work_start, "健康状况", m.health)]
    for r, (l1, v1, l2, v2, l3, v3) in enumerate(cells):
        _fill(_merge(t, r, 0, r, 1), l1)
        _fill(t.cell(r, 2), v1, 12)
        _fill(t.cell(r, 3), l2)
        _fill(t.cell(r, 4), v2, 12)
        _fill(t.cell(r, 5), l3)
        _fill(t.cell(r, 6), v3, 12)
    _fill(_merge(t, 3, 0, 3, 1), "专业技\n术职务")
    _fill(_merge(t, 3, 2, 3, 3), m.title, 12)
    _fill(t.cell(3, 4), "熟悉专业\n有何专长")
    _fill(_merge(t, 3, 5, 3, 6), m.speciality, 12)
    pic = _merge(t, 0, 7, 3, 7)
    _fill(pic, "" if photo else "照片")
    if photo:
        try:
            pic.paragraphs[0].add_run().add_picture(io.BytesIO(photo), width=Mm(34))
        except Exception:  # an image python-docx cannot place: the box says 照片, the photo stays in the dossier
            _fill(pic, "照片")
    _fill(_merge(t, 4, 0, 7, 1), "学 历\n学 位")
    for top, label, edu in ((4, "全日制\n教  育", m.fulltime), (6, "在  职\n教  育", m.parttime)):
        _fill(_merge(t, top, 2, top + 1, 2), label)
        _fill(_merge(t, top, 3, top, 4), edu.degree_line, 12)
        _fill(_merge(t, top + 1, 3, top + 1, 4), edu.degree2_line, 12)
        _fill(_merge(t, top, 5, top + 1, 5), "毕业院校\n系及专业")
        _fill(_merge(t, top, 6, top, 7), edu.school, 10.5)
        _fill(_merge(t, top + 1, 6, top + 1, 7), edu.school2, 10.5)
    a = m.appointment
    for r, label, value in ((8, "现  任  职  务", m.current_post), (9, "拟  任  职  务", a.ni_ren),
                            (10, "拟  免  职  务", a.ni_mian)):
        _fill(_merge(t, r, 0, r, 2), label)
        _fill(_merge(t, r, 3, r, 7), value, 12, align=WD_ALIGN_PARAGRAPH.LEFT)
    _fill(t.cell(11, 0), "简\n\n\n\n历")
    resume = m.resume_lines
    _fill(_merge(t, 11, 1, 11, 7), resume, _size(resume, 28, 60), align=WD_ALIGN_PARAGRAPH.LEFT,
          valign=WD_CELL_VERTICAL_ALIGNMENT.TOP)

    # ---------------------------------------------------------------- page 2
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _margins(section, 1621, 1134, 567, 1191)
    family = m.family
    n = max(FAMILY_ROWS, len(family))
    heights = [1418, 1021, 1361, 646] + [697] * n + [1332, 737, 2019]
    t2 = _table(doc, GRID2, len(heights), heights)
    _fill(t2.cell(0, 0), "奖\n惩\n情\n况")
    rewards = m.rewards or ["无"]
    _fill(_merge(t2, 0, 1, 0, 7), rewards, _size(rewards, 5, 12), align=WD_ALIGN_PARAGRAPH.LEFT)
    _fill(t2.cell(1, 0), "年度考\n核结果")
    _fill(_merge(t2, 1, 1, 1, 7), m.assessment or "无", 12, align=WD_ALIGN_PARAGRAPH.LEFT)
    _fill(t2.cell(2, 0), "任\n免\n理\n由")
    _fill(_merge(t2, 2, 1, 2, 7), a.reason, 12, align=WD_ALIGN_PARAGRAPH.LEFT)
    _fill(_merge(t2, 3, 0, 3 + n, 0), "\n".join("家庭主要成员及重要社会关系"), 12)
    for c1, c2, label in ((1, 1, "称  谓"), (2, 2, "姓  名"), (3, 4, "年 龄"), (5, 6, "政 治\n面 貌"),
                          (7, 7, "工 作 单 位 及 职 务")):
        _fill(_merge(t2, 3, c1, 3, c2), label)
    for i in range(n):
        r = 4 + i
        f = family[i] if i < len(family) else None
        age = "" if f is None or f.age is None else str(f.age)
        values = ("", "", "", "", "") if f is None else (f.relation, f.name, age, f.political, f.work)
        for (c1, c2), value in zip(((1, 1), (2, 2), (3, 4), (5, 6), (7, 7)), values, strict=True):
            _fill(_merge(t2, r, c1, r, c2), value, 10.5 if c1 == 7 else 12,
                  align=WD_ALIGN_PARAGRAPH.LEFT if c1 == 7 else WD_ALIGN_PARAGRAPH.CENTER)
    r = 4 + n
    _fill(_merge(t2, r, 0, r + 1, 0), "呈\n报\n单\n位")
    _fill(_merge(t2, r, 1, r, 7), a.unit, 12, valign=WD_CELL_VERTICAL_ALIGNMENT.BOTTOM)
    day = a.filled_on
    date = f"{day.year} 年 {day.month} 月 {day.day} 日" if day else "年    月    日"
    _fill(_merge(t2, r + 1, 1, r + 1, 7), date + "    ", 12, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _fill(t2.cell(r + 2, 0), "审\n批\n机\n关\n意\n见", 12)
    _fill(_merge(t2, r + 2, 1, r + 2, 4), ["", "", "（盖章）", "年    月    日"], 12, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _fill(_merge(t2, r + 2, 5, r + 2, 6), "行\n政\n机\n关\n任\n免\n意\n见", 10.5)
    _fill(t2.cell(r + 2, 7), ["", "", "（盖章）", "年    月    日"], 12, align=WD_ALIGN_PARAGRAPH.RIGHT)
    tail = doc.add_paragraph()
    _font(tail.add_run(f"填表人：{a.filled_by}"), 12)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
