"""Places (GB/T 2260 via python-stdnum): county codes valid in a birth year, and the place names a clerk writes."""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from ..repo import RepoError
from .common import pick

_MUNICIPALITIES = ("11", "12", "31", "50")
_PROVINCE_SHORT = {"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "宁夏回族自治区": "宁夏",
                   "新疆维吾尔自治区": "新疆", "西藏自治区": "西藏"}
# Where the cadres of a 长治 dossier room were born: mostly 长治 itself, then the rest of 山西, then neighbours.
_ORIGIN_WEIGHTS = (("1404", 44), ("1425", 12), ("1405", 6), ("14", 22), ("13", 4), ("41", 5), ("37", 2),
                   ("61", 2), ("15", 1), ("11", 1), ("12", 1))


def _loc_file() -> Path:
    import stdnum

    return Path(stdnum.__file__).parent / "cn" / "loc.dat"


def _spans_of(text: str) -> list[tuple[int | None, int | None, str]]:
    out = []
    for part in text.split(","):
        if part.startswith("["):
            years, name = part[1:].split("]", 1)
            start, end = years.split("-")
            out.append((int(start) if start else None, int(end) if end else None, name))
        else:
            out.append((None, None, part))
    return out


class Places:
    """County codes from python-stdnum's table, with the place name a clerk writes (现行区划)."""

    def __init__(self):
        self.province: dict[str, str] = {}
        self.entries: dict[str, list[tuple[int | None, int | None, str]]] = {}
        prov = None
        for line in _loc_file().read_text("utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            if not line.startswith(" "):
                prov, rest = line.split(" ", 1)
                self.province[prov] = rest.split('"')[1]
                continue
            code, rest = line.strip().split(" ", 1)
            if prov and 'county="' in rest:
                self.entries[prov + code] = _spans_of(rest.split('county="', 1)[1].rstrip('"'))
        self._current_by_stem: dict[tuple[str, str], str] = {}
        for code in self.entries:
            name = self._current(code)
            if name and code[4:] not in ("00", "01") and name[-1] in "县市":
                self._current_by_stem.setdefault((code[:2], self._stem(name)), name)
        self.codes = sorted(c for c in self.entries if c[4:] not in ("00", "01") and c[2:] != "9000")
        self._by_prefix: dict[str, list[str]] = {}
        for prefix, _w in _ORIGIN_WEIGHTS:
            self._by_prefix[prefix] = [c for c in self.codes if c.startswith(prefix) and self.name(c)]

    @staticmethod
    def _stem(name: str) -> str:
        return name[:-1] if len(name) > 2 and name[-1] in "县市区" else name

    def _current(self, code: str) -> str | None:
        for _start, end, name in self.entries.get(code, ()):
            if end is None:
                return name
        return None

    def short_province(self, code: str) -> str:
        full = self.province[code[:2]]
        return _PROVINCE_SHORT.get(full, full.removesuffix("省").removesuffix("市"))

    @cache  # noqa: B019 - one Places per process, kept for its lifetime
    def name(self, code: str) -> str | None:
        """“山西襄垣”, “山西长治”, “北京”: how 出生地/籍贯 are written, by today's divisions."""
        prov = self.short_province(code)
        if code[:2] in _MUNICIPALITIES:
            return prov
        now = self._current(code)
        if now is None:
            old = self.entries[code][-1][2]
            now = self._current_by_stem.get((code[:2], self._stem(old))) if old[-1] in "县市" else None
            if now is None:
                return None
        if now[-1] == "区" or now.endswith("自治县") or now.endswith("旗"):
            pref = self._current(code[:4] + "00")
            if not pref or not pref.endswith("市"):
                return None
            return prov + pref[:-1]
        if now[-1] in "县市":
            return prov + (now if len(now) == 2 else now[:-1])
        return None

    @cache  # noqa: B019
    def valid_codes(self, prefix: str, year: int) -> tuple[str, ...]:
        """Codes assigned in ``year`` by the table's [start-end] marks (the same reading as stdnum's)."""
        return tuple(c for c in self._by_prefix[prefix]
                     if any((a is None or a <= year) and (b is None or year <= b) for a, b, _n in self.entries[c]))

    @cache  # noqa: B019
    def stdnum_accepts(self, code: str, year: int) -> bool:
        try:
            ric.get_birth_place(f"{code}{year:04d}01010000")
        except stdnum_errors.ValidationError:
            return False
        return True

    def birth_code(self, rng: random.Random, year: int) -> str:
        """A county code valid in the birth year, confirmed by ``ric.get_birth_place`` itself."""
        for _ in range(50):
            codes = self.valid_codes(pick(rng, _ORIGIN_WEIGHTS), year)
            if codes:
                code = rng.choice(codes)
                if self.stdnum_accepts(code, year):
                    return code
        raise RepoError(f"python-stdnum 的行政区划表中找不到 {year} 年有效的县级代码")


_PLACES: Places | None = None


def places() -> Places:
    global _PLACES
    if _PLACES is None:
        _PLACES = Places()
    return _PLACES
