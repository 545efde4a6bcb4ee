"""Plain-text tables that line up with Chinese in them, and one-sheet xlsx, for `query` and `stats`."""

from __future__ import annotations

import io
import unicodedata


def width(text: str) -> int:
    """Columns a terminal gives ``text``: wide and fullwidth characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, n: int, right: bool) -> str:
    gap = " " * max(0, n - width(text))
    return gap + text if right else text + gap


# What makes a spreadsheet read a cell as a formula (or run DDE) when the file is opened: OWASP's list.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV value that no spreadsheet evaluates: text starting like a formula gets a leading apostrophe."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def csv_rows(rows):
    return [[csv_cell(v) for v in r] for r in rows]


def text_cells(ws, min_row: int = 1) -> None:
    """Every string cell of an openpyxl sheet stored as a string, never as a formula ("=…" would be one)."""
    for row in ws.iter_rows(min_row=min_row):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def table_text(header: list[str], rows: list[list[str]], right: frozenset[int] | set[int] = frozenset()) -> str:
    widths = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(_pad(h, widths[i], i in right) for i, h in enumerate(header)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, widths[i], i in right) for i, c in enumerate(r)).rstrip() for r in rows]
    return "\n".join(lines)


def xlsx_bytes(title: str, header: list[str], rows: list[list]) -> bytes:
    """One sheet, header bold, every text cell stored as text (dates stay "1970.03")."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    for r in rows:
        ws.append(r)
    text_cells(ws)
    for col, h in enumerate(header, 1):
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            if isinstance(cell.value, str):
                cell.number_format = "@"
        widest = max([width(h)] + [width(str(r[col - 1])) for r in rows])
        ws.column_dimensions[get_column_letter(col)].width = min(max(widest + 2, 6), 60)
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
