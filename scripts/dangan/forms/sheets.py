"""Tables as offices keep them: .xlsx, .xls, CSV (UTF-8 or GBK) → sheets of cells with their number format.

The roster import reads cells, not files: each reader gives every sheet as rows of ``Cell`` (the
value as the file stores it — text, int, float, date — and the number format when there is one),
so that the same checks run over every shape. The kind of file is told by its first bytes, not by
its name (a .xls renamed .xlsx, a CSV saved as .xls by a web system).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

from ..errors import UsageError

MAX_BYTES = 64 << 20  # a roster of 5,000 cadres is about 1 MB


class RosterError(UsageError):
    """A roster that cannot be read as one (no header, not a spreadsheet …): exit 2."""


@dataclass(frozen=True, slots=True)
class Cell:
    value: object  # str | int | float | dt.datetime | None
    number_format: str = ""


@dataclass
class Sheet:
    title: str
    rows: Iterator[list[Cell]]  # read once, top to bottom


def _kind(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    return "csv"


def read_sheets(path: Path) -> tuple[str, list[Sheet]]:
    """(kind, sheets); a file that is none of the three is refused (RosterError, exit 2)."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise RosterError(f"{path}：无法读取（{exc.strerror or exc}）") from None
    if len(raw) > MAX_BYTES:
        raise RosterError(f"{path}：文件过大（超过 {MAX_BYTES >> 20} MB），不像花名册")
    kind = _kind(raw[:8])
    if kind == "xlsx":
        return kind, _xlsx(path, raw)
    if kind == "xls":
        return kind, _xls(path, raw)
    return kind, _csv(path, raw)


def _not_readable(path: Path, what: str, exc: Exception | None = None) -> RosterError:
    detail = f"：{type(exc).__name__}" if exc is not None else ""
    return RosterError(f"{path} 不是可读取的 Excel 文件（{what}）{detail}；可另存为 .xlsx 或 CSV 后再导入")


def _xlsx(path: Path, raw: bytes) -> list[Sheet]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError, EOFError, ParseError,
            ExpatError) as exc:
        raise _not_readable(path, ".xlsx", exc) from None

    def rows(ws) -> Iterator[list[Cell]]:
        # openpyxl reads a sheet's XML lazily, row by row: damage shows only here (before anything is written)
        try:
            for row in ws.iter_rows():
                yield [Cell(getattr(c, "value", None), getattr(c, "number_format", "") or "") for c in row]
        except (ParseError, ExpatError, zipfile.BadZipFile, EOFError, ValueError, TypeError, KeyError,
                IndexError) as exc:
            raise RosterError(f"工作表“{ws.title}”的内容已损坏，无法读取（{type(exc).__name__}）："
                              "请在 Excel 中打开后另存一份再导入") from None

    return [Sheet(ws.title, rows(ws)) for ws in wb.worksheets if hasattr(ws, "iter_rows")]


def _xls(path: Path, raw: bytes) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=raw, formatting_info=True, on_demand=False)
    except Exception as exc:  # xlrd raises its own XLRDError and assorted struct/index errors on damage
        raise _not_readable(path, ".xls", exc) from None

    def fmt(cell) -> str:
        try:
            xf = book.xf_list[cell.xf_index]
            return book.format_map[xf.format_key].format_str
        except (IndexError, KeyError, AttributeError):
            return ""

    def rows(sh) -> Iterator[list[Cell]]:
        for r in range(sh.nrows):
            out = []
            for cell in sh.row(r):
                value = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        value = xlrd.xldate_as_datetime(value, book.datemode)
                    except (ValueError, OverflowError):
                        value = None
                elif cell.ctype == xlrd.XL_CELL_NUMBER and float(value).is_integer() and abs(value) < 2**53:
                    value = float(value)  # .xls keeps every number as a double: never an exact 18 digits
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    value = None
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(value)
                out.append(Cell(value, fmt(cell)))
            yield out

    return [Sheet(sh.name, rows(sh)) for sh in book.sheets()]


def decode_text(raw: bytes) -> tuple[str, str]:
    """(text, encoding name): UTF-8 (with or without BOM), UTF-16 with BOM, else GBK (GB18030)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GBK"
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise RosterError(f"第 {line} 行既不是 UTF-8 也不是 GBK 编码的文字，无法作为 CSV 读取") from None


def _csv(path: Path, raw: bytes) -> list[Sheet]:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _not_readable(path, "既不是 .xlsx/.xls，也不是 CSV 文字")
    try:
        text, _encoding = decode_text(raw)
    except RosterError as exc:
        raise RosterError(f"{path}：{exc.message}") from None
    sample = text[:8192]
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls") and not any(d in sample.split("\n", 1)[0] for d in ",\t"):
        raise _not_readable(path, f"{path.suffix} 文件，但内容既不是表格也不是 CSV")
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows() -> Iterator[list[Cell]]:
        try:
            for row in reader:
                yield [Cell(v if v.strip() else None) for v in row]
        except csv.Error as exc:
            raise RosterError(f"{path}：第 {reader.line_num} 行不是有效的 CSV（{exc}）") from None

    return [Sheet(path.stem, rows())]


def is_date(value) -> bool:
    return isinstance(value, (dt.date, dt.datetime))
