"""档案工作统计 (``dangan stats --work YEAR``): what the archive did in a year, per 管档单位.

《干部人事档案工作条例》第二十一条 asks the archive to keep statistics of its work; the 年报 counts the dossiers held,
received and transferred out, the people and times of 查阅 and 借阅, the materials filed and the dossiers digitised.
Everything here is read from what the repository records — the dossiers, ledgers/转递.yaml, 查阅.yaml, 借阅.yaml —
so the figures are as good as the registers: a transfer not registered is not counted (and ``ledger check`` /
``audit`` report it). 整理 (re-sorting a dossier) leaves no record of its own and is not counted.
"""

from __future__ import annotations

import datetime as dt
import subprocess

from . import ledgers
from .dates import parse_day
from .repo import Repo
from .stats import Table

COLUMNS = ["保管档案（卷）", "转入（卷）", "转出（卷）", "查阅（次）", "查阅（人次）", "借阅（次）", "借阅（人次）",
           "归档材料（份）", "数字化（卷）"]
GONE = "（已转出或删除）"


def _in_year(value, year: int) -> bool:
    day = parse_day(value)
    return day is not None and day.year == year


def _unit_at_removal(repo: Repo, number: str) -> str | None:
    """The 管档单位 the dossier had when it left (its last version in Git)."""
    from .load import LoadError, load_bytes

    rel = f"dossiers/{number}.yaml"
    done = subprocess.run(["git", "log", "-1", "--format=%H", "--diff-filter=D", "--", rel], cwd=repo.root,
                          capture_output=True, text=True)
    commit = done.stdout.strip()
    if done.returncode or not commit:
        return None
    shown = subprocess.run(["git", "show", f"{commit}^:{rel}"], cwd=repo.root, capture_output=True)
    if shown.returncode:
        return None
    try:
        data = load_bytes(shown.stdout, rel).data
    except LoadError:
        return None
    unit = data.get("管档单位") if isinstance(data, dict) else None
    return unit if isinstance(unit, str) else None


def work_table(repo: Repo, year: int, as_of: dt.date) -> Table:
    reading = repo.read_all()
    unit_of: dict[str, str | None] = {}
    counts: dict[str, list[int]] = {}

    def add(unit: str | None, column: int, n: int = 1) -> None:
        counts.setdefault(unit or GONE, [0] * len(COLUMNS))[column] += n

    for d in reading.dossiers:
        data = d.data if isinstance(d.data, dict) else {}
        here = data.get("管档单位") if isinstance(data.get("管档单位"), str) else None
        unit_of[str(data.get("编号") or "")] = here
        add(here, 0)
        catalog = [e for e in data.get("档案目录") or [] if isinstance(e, dict)]
        add(here, 7, sum(1 for e in catalog if _in_year(e.get("接收时间"), year)))
        if catalog and all(e.get("扫描件") for e in catalog):
            add(here, 8)
    left: dict[str, str | None] = {}

    def unit(number: str) -> str | None:
        """The unit holding it now, or the one it left from (a transferred dossier's register entries count there)."""
        if number in unit_of:
            return unit_of[number]
        if number not in left:
            left[number] = _unit_at_removal(repo, number)
        return left[number]

    for e in ledgers.load(repo, ledgers.TRANSFER).items:
        if not _in_year(e.get("日期"), year):
            continue
        number = str(e.get("编号") or "")
        if e.get("方向") == "转入":
            add(unit(number), 1)
        elif e.get("方向") == "转出":
            add(unit(number), 2)
    for kind, when, times, people in ((ledgers.CONSULT, "查阅日期", 3, 4), (ledgers.BORROW, "借出日期", 5, 6)):
        for e in ledgers.load(repo, kind).items:
            if _in_year(e.get(when), year):
                held = unit(str(e.get("编号") or ""))
                add(held, times)
                add(held, people, len([p for p in e.get("人员") or [] if isinstance(p, dict)]))
    rows = [(unit, counts[unit]) for unit in sorted(counts, key=lambda u: (u == GONE, u))]
    total = [sum(vals[i] for _u, vals in rows) for i in range(len(COLUMNS))]
    rows.append(("合计", total))
    held = f"保管档案为 {as_of.year} 年 {as_of.month} 月 {as_of.day} 日的数" if year >= as_of.year else \
        "保管档案为现在的数（不是当年年末的数）"
    return Table(f"{year} 年干部人事档案工作统计", "管档单位", COLUMNS, rows,
                 f"取自 dossiers/ 和 ledgers/（转递、查阅、借阅登记）；{held}；数字化指每份材料都有扫描件；"
                 "未登记的转递、查阅不在其中；整理没有单独的记录，未统计")
