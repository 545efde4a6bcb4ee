"""Excel 花名册 (roster) ↔ dossiers, with openpyxl (and xlrd for .xls, csv for CSV).

Import makes skeleton dossiers (what a roster knows; the rest stays null for the clerk). Every bad
row is reported with sheet, row and column and the good rows are written; ``all_or_nothing`` writes
nothing when any row is refused. Header names are looked up in schema/codes/roster-headers.yaml.
Export writes the roster in 姓氏笔画 order (dangan.strokes, convention from the policy file) and a
statistics sheet; dates are text cells "1970.03", never Excel dates.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import stats
from ..atomic import write_atomic
from ..dates import day_text
from ..errors import Refusal
from ..privacy import mask_id
from ..repo import Repo
from ..rules.identity import id_defect
from ..strokes import SURNAME_FIRST, name_key
from ..textable import text_cells
from ..yamledit import create_all
from .importer import POLITICAL_BACK, Importer, Outcome, to_dossier
from .lrmx import Extra, Parsed, parse_month
from .model import form_model
from .sheets import Cell, RosterError, read_sheets

__all__ = ["COLUMNS", "RosterError", "export_roster", "import_roster", "roster_people", "roster_rows"]

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
HEADERS_FILE = "roster-headers.yaml"  # schema/codes/: the header names offices use → our column names
DATE_COLUMNS = {"出生年月", "入党时间", "参加工作时间"}
MAX_HEADER_SCAN = 10
_AGE = re.compile(r"\s*[（(]\s*[0-9]{1,3}\s*岁?\s*[）)]\s*$|\s+[0-9]{1,3}岁$")  # "1972.03（54岁）" in 出生年月(岁)
_FULLWIDTH = str.maketrans("０１２３４５６７８９．－／", "0123456789.-/")


def _norm_header(value) -> str:
    return re.sub(r"[\s\u3000（）()]+", "", str(value or ""))


@dataclass
class HeaderTable:
    """schema/codes/roster-headers.yaml, read: variant → column, and the columns known but not imported."""

    variants: dict[str, str]
    ignored: set[str]

    @classmethod
    def read(cls, repo: Repo) -> HeaderTable:
        from ..load import LoadError, load_file

        path = repo.schema_dir / "codes" / HEADERS_FILE
        if not path.is_file():
            return cls({}, {"序号", "年龄"})
        try:
            data = load_file(path).data or {}
        except LoadError as exc:
            raise RosterError(f"{path}:{exc.line}:{exc.col}: {exc.message}") from None
        variants: dict[str, str] = {}
        for column, names in (data.get("列名") or {}).items():
            if column not in HEADERS:
                raise RosterError(f"{path}：“{column}”不是花名册的列名（可用：{'、'.join(n for n, _ in COLUMNS)}）")
            for name in names or []:
                variants[_norm_header(name)] = column
        return cls(variants, {_norm_header(n) for n in data.get("不导入") or []} | {"年龄"})


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
class Difference:
    sheet: str
    row: int
    column: str  # "D（出生年月）"
    number: str  # the dossier's 编号
    name: str
    roster: str
    dossier: str

    def text(self) -> str:
        return (f"{self.sheet}!第 {self.row} 行 {self.column} 列：{self.name}（{self.number}）"
                f"花名册为“{self.roster or '（空）'}”，档案为“{self.dossier or '（空）'}”")


@dataclass
class RosterResult:
    created: list[tuple[int, str, str]] = field(default_factory=list)  # (row, 编号, 姓名)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # imported, but worth a look (the cell named)
    notes: list[str] = field(default_factory=list)  # about the whole file: unknown columns, guessed meanings
    written: bool = False
    sheet: str = ""
    skipped: list = field(default_factory=list)  # repo.Skipped: dossiers not compared (unreadable)
    differences: list[Difference] = field(default_factory=list)  # compare: cells that disagree with the dossier
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # compare: (row, 姓名) with no dossier
    missing: list[tuple[str, str]] = field(default_factory=list)  # compare: (编号, 姓名) of the unit, not in the roster
    compared: int = 0


# ---------------------------------------------------------------- header


@dataclass
class Header:
    rows: int  # 1 or 2 (a two-row merged header)
    first_data: int  # 0-based index of the first data row in the buffered rows
    columns: dict[int, str]  # 0-based column → our column name
    labels: dict[int, str]  # 0-based column → the header as the file writes it
    unknown: list[str]  # "K（备注）" — columns we do not import and do not know


def _texts(row: list[Cell]) -> list[str]:
    return [str(c.value).strip() if c.value is not None else "" for c in row]


class _Resolver:
    def __init__(self, table: HeaderTable, mapping: dict[str, str]):
        self.table, self.mapping = table, mapping

    def __call__(self, text: str) -> str | None:
        name = _norm_header(text)
        if not name:
            return None
        name = self.mapping.get(name, name)
        if name in HEADERS:
            return name
        return self.table.variants.get(name)


def _map_single(texts: list[str], resolve) -> dict[int, str]:
    found: dict[int, str] = {}
    for c, t in enumerate(texts):
        name = resolve(t)
        if name and name not in found.values():
            found[c] = name
    return found


def _map_double(top: list[str], below: list[str], resolve) -> tuple[dict[int, str], dict[int, str]]:
    """A two-row header: a merged parent ("全日制教育", "学历") over its children; empty parents carry right."""
    found: dict[int, str] = {}
    labels: dict[int, str] = {}
    parent = ""
    for c in range(max(len(top), len(below))):
        t = top[c] if c < len(top) else ""
        b = below[c] if c < len(below) else ""
        if t:
            parent = t
        elif not b:
            parent = ""
        p = t or (parent if b else "")
        for candidate in ([p + b, b, p] if b else [p]):
            name = resolve(candidate)
            if name and name not in found.values():
                found[c], labels[c] = name, (f"{p}/{b}" if p and b else b or p)
                break
        else:
            if b or p:
                labels[c] = f"{p}/{b}" if p and b else b or p
    return found, labels


def _find_header(rows: list[list[Cell]], resolve, ignored: set[str]) -> Header | None:
    for r in range(min(MAX_HEADER_SCAN, len(rows))):
        top = _texts(rows[r])
        single = _map_single(top, resolve)
        columns, labels, height = single, {c: t for c, t in enumerate(top) if t}, 1
        if r + 1 < len(rows) and sum(1 for t in top if t) >= 2:  # a title row above the header is not a parent row
            double, double_labels = _map_double(top, _texts(rows[r + 1]), resolve)
            if len(double) > len(single):
                columns, labels, height = double, double_labels, 2
        if "姓名" in columns.values() and len(columns) >= 3:
            unknown = [f"{get_column_letter(c + 1)}（{label}）" for c, label in sorted(labels.items())
                       if c not in columns and _norm_header(label.replace("/", "")) not in ignored
                       and _norm_header(label.rsplit("/", 1)[-1]) not in ignored]
            return Header(height, r + height, columns, labels, unknown)
    return None


# ---------------------------------------------------------------- cells


class CellError(Refusal):
    """A cell that cannot be read as its column's value: the message says how to fix it (the row is refused)."""


def _plain(cell: Cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year:04d}.{value.month:02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value).strip()


def _decimals(number_format: str) -> int | None:
    """How many decimals a number format shows ("0.00" → 2); None when it is not a plain number format."""
    m = re.fullmatch(r'[#0,]*\.?(0*)(?:;.*)?', (number_format or "").replace("\\", "").strip('"'))
    return len(m.group(1)) if m else None


def month_of(cell: Cell, column: str = "") -> str | None:
    """A roster cell → "1972.04": Excel dates, 1972.04, 1972.4, 1972年4月, 197204 (text or number), "" → None.

    A number 1985.1 is ambiguous (1985.10 typed as a number, or 1985.1 meaning January) unless its
    format shows two decimals: it is refused with the cell named and how to fix it.
    """
    value = cell.value
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year:04d}.{value.month:02d}"
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是年月")
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        text = str(int(value))
    elif isinstance(value, float):
        if not 1900 < value < 2100:
            raise CellError(f"数字 {value} 不是年月（应写作 1970.03 或 197003）")
        year, hundredths = int(value), round((value - int(value)) * 100)
        shown = _decimals(cell.number_format)
        if shown is not None and shown >= 2:
            month = hundredths  # the cell shows 1985.10: what the clerk sees is what was meant
        elif hundredths % 10 == 0 and hundredths // 10 == 1:
            raise CellError(f"数字 {value:g} 有歧义：可能是 {year}.10（数字格式吞掉了末尾的 0），也可能是 {year}.01；"
                            f"请把该列设为文本格式，写成 {year}.10 或 {year}.01")
        elif hundredths % 10 == 0:
            month = hundredths // 10  # 1985.2 … 1985.9: no month 20–90, so the month is 2–9
        else:
            month = hundredths
        if not 1 <= month <= 12:
            raise CellError(f"数字 {value:g} 不是有效的年月（月份应为 1–12）")
        return f"{year:04d}.{month:02d}"
    else:
        text = str(value).translate(_FULLWIDTH).strip()
        text = _AGE.sub("", text).strip()
    parsed = parse_month(text)
    if parsed is None:
        if re.fullmatch(r"[0-9]{2}[.\-/年][0-9]{1,2}月?", text):
            raise CellError(f"“{text}”的年份只有两位，请写成四位年份，如 19{text}")
        raise CellError(f"“{text}”不是有效的年月（应写作 1970.03、1970.3、1970年3月 或 197003；建议把该列设为文本格式）")
    return parsed


def id_of(cell: Cell) -> tuple[str, str | None]:
    """(the ID number as text, a note) from a roster cell; CellError when it cannot be a genuine number."""
    value = cell.value
    note = None
    if isinstance(value, bool):
        raise CellError("不是身份证号")
    if isinstance(value, int):
        text = str(value)  # the file holds every digit (written by a program, not typed into Excel)
        note = "身份证号存成了数字，数字完整，已按文字导入；建议把该列设为文本格式"
    elif isinstance(value, float):
        digits = f"{value:.0f}" if value.is_integer() else f"{value:g}"
        raise CellError(f"身份证号 {mask_id(digits)} 存成了数字：Excel 只保留 15 位有效数字，后几位已丢失，无法还原；"
                        "请把该列设为文本格式，按身份证原件重新录入")
    else:
        text = re.sub(r"[\s\u3000'‘’]+", "", str(value or "")).translate(_FULLWIDTH)
        if re.fullmatch(r"[0-9](?:\.[0-9]+)?[Ee]\+?1[0-9]", text):
            raise CellError(f"身份证号 {mask_id(text)} 是科学计数法写法，后几位已丢失；请按身份证原件重新录入")
    text = text.upper()
    if not text:
        return "", None
    defect = id_defect(text)
    if defect:
        raise CellError(f"身份证号 {mask_id(text)} 无效：{defect}")
    return text, note


# ---------------------------------------------------------------- import


def import_roster(repo: Repo, path: Path, *, as_of: dt.date, sheet: str | None = None, mapping: dict | None = None,
                  unit: str | None = None, partial: bool = True, target_dir: Path | None = None,
                  compare: bool = False) -> RosterResult:
    """Check every row; write the rows that pass (all of them or none when not ``partial``).

    ``compare``: write nothing; match each row to its dossier (身份证号, else 姓名 + 出生年月) and list the
    cells that differ from what the dossier says (result.differences), rows without a dossier and, for the
    ``unit`` given, dossiers the roster lacks.
    """
    table = HeaderTable.read(repo)
    mapping = {_norm_header(k): v for k, v in (mapping or {}).items()}
    for v in mapping.values():
        if v not in HEADERS:
            raise RosterError(f"--map 的目标“{v}”不是花名册的列名（可用：{'、'.join(n for n, _ in COLUMNS)}）")
    resolve = _Resolver(table, mapping)
    _kind, sheets = read_sheets(path)
    if sheet:
        chosen = [s for s in sheets if s.title == sheet]
        if not chosen:
            raise RosterError(f"工作簿中没有名为“{sheet}”的工作表（有：{'、'.join(s.title for s in sheets)}）")
        sheets = chosen
    found = None
    for ws in sheets:
        head = list(itertools.islice(ws.rows, MAX_HEADER_SCAN + 1))
        header = _find_header(head, resolve, table.ignored)
        if header:
            found = (ws, head, header)
            break
    if found is None:
        raise RosterError(f"{path}：在前 {MAX_HEADER_SCAN} 行中找不到表头（至少要有“姓名”和另外两个列名，如“性别”“出生年月”）；"
                          "列名不同时可用 --map 原列名=字段名")
    ws, head, header = found
    c = repo.codes
    enums = {key: set(c.enum(key)) for key in ("性别", "民族", "政治面貌", "职级")}
    units = set(repo.policy.get("管档单位", default=[]) or [])
    importer = Importer(repo, target_dir or repo.dossier_dir, as_of, unit=unit)
    result = RosterResult(sheet=ws.title, skipped=importer.skipped)
    if header.unknown:
        result.notes.append(f"{ws.title}：未识别的列，未导入：{'、'.join(header.unknown)}"
                            "（如要导入，用 --map 原列名=字段名，或在 schema/codes/roster-headers.yaml 中登记）")
    for col, name in sorted(header.columns.items()):
        label = header.labels.get(col, name)
        if name.startswith("全日制") and "全日制" not in label and _norm_header(label) not in mapping:
            result.notes.append(f"{ws.title}：{get_column_letter(col + 1)} 列“{label}”没有注明全日制或在职，"
                                f"按“{name}”导入，请核对（在职的请用 --map {_norm_header(label)}={name.replace('全日制', '在职')}）")
    seen_ids: dict[str, int] = {}
    ready: list[tuple[int, dict]] = []
    columns = header.columns
    letters = {name: f"{get_column_letter(col + 1)}（{name}）" for col, name in columns.items()}
    base = header.first_data + 1  # 1-based row number of the first data row
    for r, row in enumerate(itertools.chain(head[header.first_data:], ws.rows), base):
        cells = {name: row[col] if col < len(row) else Cell(None) for col, name in columns.items()}
        if not any(cl.value not in (None, "") for cl in cells.values()):
            continue
        errors: list[RowError] = []

        def bad(name, message, r=r, errors=errors):
            errors.append(RowError(ws.title, r, letters.get(name, ""), message))

        texts = {name: _plain(cl) for name, cl in cells.items() if name not in DATE_COLUMNS and name != "身份证号"}
        months: dict[str, str] = {}
        for name in DATE_COLUMNS & set(cells):
            text = _plain(cells[name])
            if name == "入党时间" and text in POLITICAL_BACK:
                texts[name] = text
                continue
            try:
                months[name] = month_of(cells[name], name) or ""
            except CellError as exc:
                bad(name, str(exc))
        id_number = ""
        if "身份证号" in cells:
            try:
                id_number, note = id_of(cells["身份证号"])
                if note:
                    result.warnings.append(RowError(ws.title, r, letters["身份证号"], note))
            except CellError as exc:
                bad("身份证号", str(exc))
        if not texts.get("姓名"):
            bad("姓名", "姓名为空")
        elif not re.fullmatch(r"[〇一-鿿㐀-䶿𠀀-𲎯]+(·[〇一-鿿㐀-䶿𠀀-𲎯]+)*", re.sub(r"\s+", "", texts["姓名"])):
            bad("姓名", f"姓名“{texts['姓名']}”含有汉字以外的字符")
        for name in ("性别", "民族", "职级"):
            value = texts.get(name, "")
            if value and value not in enums[name]:
                bad(name, f"“{value}”不在代码表中")
        political = texts.get("政治面貌", "")
        if political and POLITICAL_BACK.get(political, political) not in enums["政治面貌"]:
            bad("政治面貌", f"“{political}”不在政治面貌代码表中")
        unit_value = texts.get("管档单位") or unit
        if unit_value and units and unit_value not in units:
            bad("管档单位", f"管档单位“{unit_value}”未在 schema/policy.yaml 中登记")
        if id_number:
            if id_number in seen_ids:
                bad("身份证号", f"身份证号与第 {seen_ids[id_number]} 行相同")
            elif id_number in importer.ids and not compare:
                bad("身份证号", f"已有档案 {importer.rel(importer.ids[id_number])}（身份证号相同），花名册导入不修改已有档案；"
                               "要核对差异请用 dangan xlsx import --check-against")
            seen_ids.setdefault(id_number, r)
            birth = months.get("出生年月")
            if birth and birth.replace(".", "") != id_number[6:12]:
                result.warnings.append(RowError(
                    ws.title, r, letters.get("出生年月", ""),
                    f"出生年月 {birth} 与身份证号中的 {id_number[6:10]}.{id_number[10:12]} 不一致，已按出生年月列导入，请核对档案"))
        if errors:
            result.errors.extend(errors)
            continue
        values = {element: texts.get(name, "") for name, element in COLUMNS if element and not element.startswith("=")}
        for name, element in (("出生年月", "ChuShengNianYue"), ("入党时间", "RuDangShiJian"),
                              ("参加工作时间", "CanJiaGongZuoShiJian")):
            if months.get(name):
                values[element] = months[name]
        values["ShenFenZheng"] = id_number
        if values["RuDangShiJian"] in POLITICAL_BACK and political:
            values["RuDangShiJian"] = ""
        doc = to_dossier(Parsed(values, [], None, Extra()), c, unit_value or None)
        if political:
            doc["政治面貌"] = POLITICAL_BACK.get(political, political)
            if doc["政治面貌"] not in ("中共党员", "中共预备党员"):
                doc["入党时间"] = None
        doc["职级"] = texts.get("职级") or None
        ready.append((r, doc))
    if compare:
        _compare(repo, result, ready, header, ws.title, unit, as_of)
        return result
    if result.errors and not partial:
        return result
    pending: list[tuple[Path, bytes]] = []
    for r, doc in ready:
        out = importer.create(doc, Parsed({}, [], None, Extra(version="")), Outcome(f"{path}#{r}", "拒绝"), count=False,
                              pending=pending)
        result.created.append((r, out.target, doc["姓名"]))
    create_all(repo.root, pending)  # all or none, also across a kill (the journal)
    result.written = bool(ready)
    return result


def _compare(repo: Repo, result: RosterResult, ready: list[tuple[int, dict]], header: Header, sheet: str,
             unit: str | None, as_of: dt.date) -> None:
    """Both sides through roster_rows, so dates, 学历 short names and 政治面貌 are compared as the roster shows them."""
    dossiers = [d.data for d in repo.read_all().dossiers]
    by_id = {str(d.get("身份证号")).upper(): d for d in dossiers if isinstance(d.get("身份证号"), str)}
    by_name: dict[tuple, list[dict]] = {}
    for d in dossiers:
        by_name.setdefault((d.get("姓名"), d.get("出生年月")), []).append(d)
    index = {name: i for i, (name, _) in enumerate(COLUMNS)}
    shown = [(col, name) for col, name in sorted(header.columns.items()) if name not in ("编号", "年龄")]
    seen: set[str] = set()
    for r, doc in ready:
        found = by_id.get(doc.get("身份证号") or "")
        if found is None:
            same = by_name.get((doc.get("姓名"), doc.get("出生年月")), [])
            found = same[0] if len(same) == 1 else None
        if found is None:
            result.unmatched.append((r, str(doc.get("姓名") or "")))
            continue
        seen.add(str(found.get("编号")))
        result.compared += 1
        theirs, mine = roster_rows(repo, [doc], as_of)[0], roster_rows(repo, [found], as_of)[0]
        for col, name in shown:
            a, b = theirs[index[name]], mine[index[name]]
            if re.sub(r"\s+", "", a) != re.sub(r"\s+", "", b):
                result.differences.append(Difference(sheet, r, f"{get_column_letter(col + 1)}（{name}）",
                                                     str(found.get("编号") or ""), str(found.get("姓名") or ""), a, b))
    if unit:
        result.missing = [(str(d.get("编号")), str(d.get("姓名"))) for d in dossiers
                          if d.get("管档单位") == unit and str(d.get("编号")) not in seen]


def write_differences(result: RosterResult, out: Path) -> None:
    """The comparison as an .xlsx: one row per differing cell, then the rows and dossiers without a match."""
    wb = Workbook()
    ws = wb.active
    ws.title = "差异"
    ws.append(["工作表", "行", "列", "编号", "姓名", "花名册", "档案"])
    for d in result.differences:
        ws.append([d.sheet, str(d.row), d.column, d.number, d.name, d.roster, d.dossier])
    for r, name in result.unmatched:
        ws.append([result.sheet, str(r), "", "", name, "花名册中有", "没有对应的档案"])
    for number, name in result.missing:
        ws.append(["", "", "", number, name, "花名册中没有", "档案中有"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    text_cells(ws)
    for col, width in zip("ABCDEFG", (12, 6, 18, 10, 10, 40, 40), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    write_atomic(out, buf.getvalue(), overwrite=True)


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


def export_roster(repo: Repo, out: Path, as_of: dt.date, unit: str | None = None,
                  today: dt.date | None = None) -> tuple[int, list[str]]:
    """The 花名册 and its 统计 sheet; for a past ``as_of``, the corps as the dossiers describe that day (who was a cadre
    then, the post and 职级 of the 简历 segment of then, 学历 obtained by then: stats.view, as ``stats --as-of``)."""
    from ..dates import today as default_today

    people, problems = roster_people(repo, unit)
    people = stats.view(people, as_of, today or default_today())
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
    # the same computation as `dangan stats` and the site's 结构分析 (dangan.stats): each person once
    counted, left = stats.once(people)
    if left:
        st.append(["说明", stats.once_note(left)])
    registered = [u for u in repo.policy.get("管档单位", default=[]) or [] if isinstance(u, str)]
    bands = [b for b in repo.policy.get("年龄分段", default=[]) or [] if isinstance(b, dict)]
    for dim in [stats.unit_dimension(counted, registered), *stats.dimensions(counted, as_of, bands, repo.codes)]:
        st.append([])
        st.append([dim.title, "人数", "占比"])
        for cell in st[st.max_row]:
            cell.font, cell.fill = header_font, fill
        for label, n in dim.rows:
            st.append([label, n, stats.share(n, len(counted))])
    text_cells(st)
    st.column_dimensions["A"].width = 24
    st.column_dimensions["B"].width = 10
    st.column_dimensions["C"].width = 10
    buf = io.BytesIO()
    wb.save(buf)
    write_atomic(out, buf.getvalue(), overwrite=True)
    return len(rows), problems

