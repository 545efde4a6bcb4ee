"""What the clerk's verbs share above the text editing (dangan.yamledit): the outcome and the findings an edit brings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..dates import day_text, parse_day
from ..yamledit import Change, EditError


@dataclass
class Outcome:
    """What a verb did (or would do): the file changes, a report, and a suggested commit message."""

    changes: list[Change]
    report: list[str]
    warnings: list[str] = field(default_factory=list)
    commit: str = ""
    hints: list[str] = field(default_factory=list)  # what to do next


def new_findings(repo, rel: str, before: bytes | None, after: bytes, as_of) -> tuple[list, list]:
    """(errors, warnings) that ``after`` has and ``before`` had not: what the edit itself brought in.

    Findings are compared by code and message, not line: an inserted line moves every later mark.
    """
    from ..check import check_bytes, make_context
    from ..findings import Finding

    ctx = make_context(repo, as_of)
    old = {(f[3], f[4]) for f in check_bytes(before, rel, ctx)[1]} if before is not None else set()
    new = [Finding(rel, *f) for f in check_bytes(after, rel, ctx)[1] if (f[3], f[4]) not in old]
    return [f for f in new if f.is_error], [f for f in new if not f.is_error]


def refuse_new_errors(errors: list, what: str) -> None:
    if errors:
        shown = "\n".join(f.text() for f in errors)
        raise EditError(f"{what}后档案会出现新的错误，未作任何改动：\n{shown}")


def past_day(value: str | None, today: dt.date, what: str, refused: str = "") -> str:
    """A date option of a verb (接收时间, 认定日期, 转出日期 …): YYYY.MM.DD, today when not given, never later."""
    value = value or day_text(today)
    day = parse_day(value)
    if day is None:
        raise EditError(f"{what}“{value}”不是有效日期，应写作 YYYY.MM.DD", 2)
    if day > today:
        raise EditError(f"{what} {value} 晚于今天{refused}")
    return value
