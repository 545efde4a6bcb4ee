"""Excel 花名册 (roster) ↔ dossiers, with openpyxl.

Import makes skeleton dossiers (what a roster knows; the rest stays null for the clerk) and is
all-or-nothing unless ``partial``: one refused row and nothing is written. Export writes the
roster in 姓氏笔画 order (dangan.strokes, convention from the policy file) and a statistics sheet;
dates are text cells "1970.03", never Excel dates.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from stdnum.cn import ric

from .. import stats
from ..atomic import write_atomic
from ..dates import day_text
from ..errors import UsageError
from ..privacy import mask_id
from ..repo import Repo
from ..strokes import SURNAME_FIRST, name_key
from ..textable import text_cells
from .importer import POLITICAL_BACK, Importer, Outcome, to_dossier
from .lrmx import Extra, Parsed, parse_month
from .model import form_model

# roster column → (.lrmx element it feeds, or a dossier key prefixed "=")
COLUMNS = (
    ("编号", "=编号"), ("姓名", "XingMing"), ("性别", "XingBie"), ("出生年月", "ChuShengNianYue"), ("年龄", None),
    ("民族", "MinZu"), ("籍贯", "JiGuan"), ("出生地", "ChuShengDi"), ("身份证号", "ShenFenZheng"), ("政治面貌", "=政治面貌"),
    ("入党时间", "RuDangShiJian"), ("参加工作时间", "CanJiaGongZuoShiJian"), ("健康状况", "JianKangZhuangKuang"),
    ("专业技术职务", "ZhuanYeJiShuZhiWu"), ("熟悉专业有何专长", "ShuXiZhuanYeYouHeZhuanChang"),
    ("全日制学历", "QuanRiZhiJiaoYu_XueLi"), ("全日制学位", "QuanRiZhiJiaoYu_XueWei"),
    ("全日制毕业院校系及专业", "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi"), ("在职学历", "ZaiZhiJiaoYu_XueLi"),
    ("在职学位", "ZaiZhiJiaoYu_XueWei"), ("在职毕业院校系及专业", "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi"),
    ("管档单位", "=管档单位"), ("现任职务", "XianRenZhiWu"), ("职级", "=职级"),
)
HEADERS = {name for name, _ in COLUMNS}
ALIASES = {"序号": None, "出生日期": "出生年月", "出生时间": "出生年月", "公民身份号码": "身份证号", "身份证号码": "身份证号",
           "身份证": "身份证号", "参工时间": "参加工作时间", "工作时间": "参加工作时间", "职务": "现任职务",
           "现职务": "现任职务", "工作单位及职务": "现任职务", "单位": "管档单位", "所在单位": "管档单位", "专业技术职称": "专业技术职务",
           "熟悉专业": "熟悉专业有何专长", "专长": "熟悉专业有何专长", "全日制教育学历": "全日制学历", "全日制教育学位": "全日制学位",
           "在职教育学历": "在职学历", "在职教育学位": "在职学位", "全日制毕业院校": "全日制毕业院校系及专业",
           "在职毕业院校": "在职毕业院校系及专业", "职务层次": "职级", "职级层次": "职级", "健康": "健康状况"}
DATE_COLUMNS = {"出生年月", "入党时间", "参加工作时间"}
MAX_HEADER_SCAN = 10


class RosterError(UsageError):
    """A roster that cannot be read as one (no header, not an .xlsx file …): exit 2."""


def _norm_header(value) -> str:
    return re.sub(r"[\s\u3000（）()]+", "", str(value or ""))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}.{value.month:02d}"
    if isinstance(value, float):
        # a date typed as 1970.10 is stored by Excel as the number 1970.1: two decimals bring the month back
        return f"{value:.2f}" if 1900 < value < 2100 and not value.is_integer() else str(int(value)) if value.is_integer() else str(value)
    return str(value).strip()


@dataclass
class RowError:
    sheet: str
    row: int
    column: str  # "C（出生年月）" or ""
    message: str

    def text(self) -> str:
        where = f"{self.sheet}!第 {self.row} 行" + (f" {self.column} 列" if self.column else "")
        return f"{where}：{self.message}"


@dataclass
class RosterResult:
    created: list[tuple[int, str, str]] = field(default_factory=list)  # (row, 编号, 姓名)
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    sheet: str = ""
    skipped: list = field(default_factory=list)  # repo.Skipped: dossiers not compared (unreadable)


def _read_workbook(path: Path):
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError, ParseError, ExpatError) as exc:
        raise RosterError(f"{path} 不是可读取的 Excel 文件（.xlsx）：{type(exc).__name__}") from None


def _rows(ws, **options):
    """The sheet's rows; a damaged sheet is refused like a damaged file. openpyxl reads the sheet's XML lazily,
    row by row, so the damage shows only here (before anything is written), as whatever its parser raised."""
    try:
        yield from ws.iter_rows(**options, values_only=True)
    except (ParseError, ExpatError, zipfile.BadZipFile, EOFError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise RosterError(f"工作表“{ws.title}”的内容已损坏，无法读取（{type(exc).__name__}）："
                          "请在 Excel 中打开后另存一份再导入") from None


def _find_header(ws, mapping: dict[str, str]) -> tuple[int, dict[int, str]] | None:
    for r, row in enumerate(_rows(ws, min_row=1, max_row=MAX_HEADER_SCAN), 1):
        found: dict[int, str] = {}
        for c, value in enumerate(row or (), 1):
            name = _norm_header(value)
            name = mapping.get(name, name)
            name = ALIASES.get(name, name) if name not in HEADERS else name
            if name in HEADERS and name not in found.values():
                found[c] = name
        if "姓名" in found.values() and len(found) >= 3:
            return r, found
    return None


def import_roster(repo: Repo, path: Path, *, as_of: dt.date, sheet: str | None = None, mapping: dict | None = None,
                  unit: str | None = None, partial: bool = False, target_dir: Path | None = None) -> RosterResult:
    """Check every row; write skeleton dossiers only if all rows pass (or ``partial``)."""
    mapping = {_norm_header(k): v for k, v in (mapping or {}).items()}
    for v in mapping.values():
        if v not in HEADERS:
            raise RosterError(f"--map 的目标“{v}”不是花名册的列名（可用：{'、'.join(n for n, _ in COLUMNS)}）")
    wb = _read_workbook(path)
    try:
        sheets = [wb[sheet]] if sheet else list(wb.worksheets)
    except KeyError:
        raise RosterError(f"工作簿中没有名为“{sheet}”的工作表（有：{'、'.join(wb.sheetnames)}）") from None
    found = None
    for ws in sheets:
        header = _find_header(ws, mapping)
        if header:
            found = (ws, *header)
            break
    if found is None:
        raise RosterError(f"在前 {MAX_HEADER_SCAN} 行中找不到表头（至少要有“姓名”和另外两个列名，如“性别”“出生年月”）；"
                          "列名不同时可用 --map 原列名=字段名")
    ws, header_row, columns = found
    c = repo.codes
    enums = {key: set(c.enum(key)) for key in ("性别", "民族", "政治面貌", "职级")}
    units = set(repo.policy.get("管档单位", default=[]) or [])
    importer = Importer(repo, target_dir or repo.dossier_dir, as_of, unit=unit)
    result = RosterResult(sheet=ws.title, skipped=importer.skipped)
    seen_ids: dict[str, int] = {}
    ready: list[tuple[int, dict]] = []
    letters = {col: f"{get_column_letter(col)}（{name}）" for col, name in columns.items()}
    by_name = {name: col for col, name in columns.items()}
    for r, row in enumerate(_rows(ws, min_row=header_row + 1), header_row + 1):
        cells = {name: _cell_text(row[col - 1]) if col - 1 < len(row) else "" for col, name in columns.items()}
        if not any(cells.values()):
            continue
        errors: list[RowError] = []

        def bad(name, message, r=r, errors=errors):
            errors.append(RowError(ws.title, r, letters.get(by_name.get(name), ""), message))

        if not cells.get("姓名"):
            bad("姓名", "姓名为空")
        elif not re.fullmatch(r"[〇一-鿿㐀-䶿𠀀-𲎯]+(·[〇一-鿿㐀-䶿𠀀-𲎯]+)*", re.sub(r"\s+", "", cells["姓名"])):
            bad("姓名", f"姓名“{cells['姓名']}”含有汉字以外的字符")
        for name in DATE_COLUMNS:
            value = cells.get(name, "")
            if value and parse_month(value) is None and not (name == "入党时间" and value in POLITICAL_BACK):
                bad(name, f"“{value}”不是有效的年月（应写作 1970.03 或 197003；请把单元格设为文本格式）")
        for name in ("性别", "民族", "职级"):
            value = cells.get(name, "")
            if value and value not in enums[name]:
                bad(name, f"“{value}”不在代码表中")
        political = cells.get("政治面貌", "")
        if political and POLITICAL_BACK.get(political, political) not in enums["政治面貌"]:
            bad("政治面貌", f"“{political}”不在政治面貌代码表中")
        unit_value = cells.get("管档单位") or unit
        if unit_value and units and unit_value not in units:
            bad("管档单位", f"管档单位“{unit_value}”未在 schema/policy.yaml 中登记")
        id_number = cells.get("身份证号", "").replace(" ", "").upper()
        if id_number:
            if not re.fullmatch(r"[0-9]{17}[0-9X]", id_number) or not ric.is_valid(id_number):
                bad("身份证号", f"身份证号 {mask_id(id_number)} 无效（位数或校验码不对）")
            elif id_number in seen_ids:
                bad("身份证号", f"身份证号与第 {seen_ids[id_number]} 行相同")
            elif id_number in importer.ids:
                bad("身份证号", f"已有档案 {repo.rel(importer.ids[id_number])}（身份证号相同），花名册导入不修改已有档案")
            seen_ids.setdefault(id_number, r)
        if errors:
            result.errors.extend(errors)
            continue
        values = {element: cells.get(name, "") for name, element in COLUMNS if element and not element.startswith("=")}
        values["ShenFenZheng"] = id_number
        if values["RuDangShiJian"] in POLITICAL_BACK and political:
            values["RuDangShiJian"] = ""
        doc = to_dossier(Parsed(values, [], None, Extra()), c, unit_value or None)
        if political:
            doc["政治面貌"] = POLITICAL_BACK.get(political, political)
            if doc["政治面貌"] not in ("中共党员", "中共预备党员"):
                doc["入党时间"] = None
        doc["职级"] = cells.get("职级") or None
        ready.append((r, doc))
    if result.errors and not partial:
        return result
    for r, doc in ready:
        out = importer.create(doc, Parsed({}, [], None, Extra(version="")), Outcome(f"{path}#{r}", "拒绝"))
        result.created.append((r, out.target, doc["姓名"]))
    result.written = bool(ready)
    return result


# ---------------------------------------------------------------- export


def roster_people(repo: Repo, unit: str | None = None) -> tuple[list[dict], list[str]]:
    """(dossiers of the roster in 姓氏笔画 order, problems: the files that could not be read)."""
    reading = repo.read_all()
    problems = [f"{s.text()}：档案无法读取，未列入" for s in reading.skipped]
    people = [d.data for d in reading.dossiers if not unit or d.data.get("管档单位") == unit]
    convention = repo.policy.get("花名册排序", default=SURNAME_FIRST)
    people.sort(key=lambda d: (name_key(str(d.get("姓名") or ""), convention), str(d.get("编号") or "")))
    return people, problems


def roster_rows(repo: Repo, people: list[dict], as_of: dt.date) -> list[list[str]]:
    """The roster's rows of cell texts, in column order."""
    rows = []
    for d in people:
        m = form_model(d, as_of, codes=repo.codes)
        values = {"编号": m.number, "姓名": m.name, "性别": m.sex, "出生年月": m.birth,
                  "年龄": "" if m.age is None else str(m.age), "民族": m.ethnicity, "籍贯": m.native_place,
                  "出生地": m.birthplace, "身份证号": m.id_number, "政治面貌": str(d.get("政治面貌") or ""),
                  "入党时间": str(d.get("入党时间") or ""), "参加工作时间": m.work_start, "健康状况": m.health,
                  "专业技术职务": m.title, "熟悉专业有何专长": m.speciality, "全日制学历": m.fulltime.degree_line,
                  "全日制学位": m.fulltime.degree2_line, "全日制毕业院校系及专业": m.fulltime.school,
                  "在职学历": m.parttime.degree_line, "在职学位": m.parttime.degree2_line,
                  "在职毕业院校系及专业": m.parttime.school, "管档单位": str(d.get("管档单位") or ""),
                  "现任职务": m.current_post, "职级": str(d.get("职级") or "")}
        rows.append([values[name] for name, _ in COLUMNS])
    return rows


def _width(text: str) -> float:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def export_roster(repo: Repo, out: Path, as_of: dt.date, unit: str | None = None) -> tuple[int, list[str]]:
    people, problems = roster_people(repo, unit)
    rows = roster_rows(repo, people, as_of)
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    header_font, fill = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    ws.append([name for name, _ in COLUMNS])
    for cell in ws[1]:
        cell.font, cell.fill = header_font, fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        ws.append(row)
    text_cells(ws)  # a value "=HYPERLINK(…)" is text, not a live formula
    for col, (name, _) in enumerate(COLUMNS, 1):
        # everything is text: dates stay "1970.03", ID numbers keep their last digits
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = "@"
        widest = max([_width(name)] + [_width(r[col - 1]) for r in rows])
        ws.column_dimensions[get_column_letter(col)].width = min(max(widest + 2, 6), 60)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    st = wb.create_sheet("统计")
    st.append(["统计日期", day_text(as_of)])
    st.append(["范围", unit or "全部管档单位"])
    st.append(["总人数", len(rows)])
    # the same computation as `dangan stats` and the site's 结构分析 (dangan.stats)
    registered = [u for u in repo.policy.get("管档单位", default=[]) or [] if isinstance(u, str)]
    bands = [b for b in repo.policy.get("年龄分段", default=[]) or [] if isinstance(b, dict)]
    for dim in [stats.unit_dimension(people, registered), *stats.dimensions(people, as_of, bands, repo.codes)]:
        st.append([])
        st.append([dim.title, "人数", "占比"])
        for cell in st[st.max_row]:
            cell.font, cell.fill = header_font, fill
        for label, n in dim.rows:
            st.append([label, n, stats.share(n, len(people))])
    text_cells(st)
    st.column_dimensions["A"].width = 24
    st.column_dimensions["B"].width = 10
    st.column_dimensions["C"].width = 10
    buf = io.BytesIO()
    wb.save(buf)
    write_atomic(out, buf.getvalue(), overwrite=True)
    return len(rows), problems

