"""What every part of the generator uses: the demo's city, month indexes, a day in a month, a weighted pick,
Chinese numerals."""

from __future__ import annotations

import datetime as dt
import random

CITY = "长治"  # the demo is set in one prefecture-level city of 山西


def mi(year: int, month: int) -> int:
    return year * 12 + month - 1


def _days_in(index: int) -> int:
    year, month = divmod(index, 12)
    nxt = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


def day_in(rng: random.Random, index: int, lo: int = 1, hi: int = 28) -> dt.date:
    year, month = divmod(index, 12)
    hi = min(hi, _days_in(index))
    return dt.date(year, month + 1, rng.randint(min(lo, hi), hi))


def pick(rng: random.Random, weighted):
    """weighted: sequence of (value, weight)."""
    total = sum(w for _v, w in weighted)
    x = rng.random() * total
    for value, weight in weighted:
        x -= weight
        if x < 0:
            return value
    return weighted[-1][0]


_CN_NUM = "〇一二三四五六七八九十"


def cn_number(n: int) -> str:
    if n <= 10:
        return _CN_NUM[n]
    if n < 20:
        return "十" + (_CN_NUM[n % 10] if n % 10 else "")
    return _CN_NUM[n // 10] + "十" + (_CN_NUM[n % 10] if n % 10 else "")
