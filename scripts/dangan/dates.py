"""Dossier dates: "YYYY.MM" months, "YYYY.MM.DD" days, partial "YYYY[.MM[.DD]]" catalog dates.

Months are handled as integers (year*12 + month-1) so gaps and overlaps are plain subtraction.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from .errors import UsageError

_MONTH = re.compile(r"([0-9]{4})\.([0-9]{2})")
_DAY = re.compile(r"([0-9]{4})\.([0-9]{2})\.([0-9]{2})")
_PARTIAL = re.compile(r"([0-9]{4})(?:\.([0-9]{2})(?:\.([0-9]{2}))?)?")


def month_index(value: object) -> int | None:
    """"1970.03" → 1970*12+2; None when not a month date."""
    m = _MONTH.fullmatch(value) if isinstance(value, str) else None
    if not m:
        return None
    month = int(m.group(2))
    return int(m.group(1)) * 12 + month - 1 if 1 <= month <= 12 else None


def month_text(index: int) -> str:
    return f"{index // 12:04d}.{index % 12 + 1:02d}"


def day_text(day: dt.date) -> str:
    """A day as dossiers and reports write it, "2026.11.25" (strftime's %Y would not pad a year before 1000)."""
    return f"{day.year:04d}.{day.month:02d}.{day.day:02d}"


def parse_day(value: object) -> dt.date | None:
    m = _DAY.fullmatch(value) if isinstance(value, str) else None
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def is_real_day(value: str) -> bool:
    return parse_day(value) is not None


def parse_partial(value: object) -> tuple[dt.date, int] | None:
    """A catalog date → (earliest day it can mean, precision 1/2/3 parts); None if impossible."""
    m = _PARTIAL.fullmatch(value) if isinstance(value, str) else None
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        return dt.date(year, int(month or 1), int(day or 1)), 1 + (month is not None) + (day is not None)
    except ValueError:
        return None


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def age_at(birth_month: int, as_of: dt.date) -> int:
    """Whole years from the first day of the birth month to ``as_of`` (the 任免表 convention)."""
    years = as_of.year - birth_month // 12
    if as_of.month < birth_month % 12 + 1:
        years -= 1
    return years


class TodayError(UsageError, ValueError):
    """A bad DANGAN_TODAY: a usage error (exit 2) for commands; a ValueError for the site build."""


def today() -> dt.date:
    """The as-of date: DANGAN_TODAY ("YYYY.MM.DD" or ISO) when set, so date rules are testable."""
    env = os.environ.get("DANGAN_TODAY")
    if env:
        parsed = parse_day(env.replace("-", "."))
        if parsed is None:
            shown = env if len(env) <= 20 and env.isprintable() and env.isascii() else "……"
            raise TodayError(f"环境变量 DANGAN_TODAY 的值“{shown}”不是有效日期（应为 YYYY.MM.DD）", 2)
        return parsed
    return dt.date.today()
