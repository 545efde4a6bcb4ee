"""The site's own pages: dossiers in, Markdown strings out (no MkDocs imports here).

Whatever comes from a dossier goes through ``text()`` and is placed only inside raw HTML
blocks (``<div markdown="0">``): it is HTML-escaped, and every character that Markdown, one
of its extensions or a template engine could act on is written as a character reference.
A value such as ``# 标题``, ``{{ x }}``, ``--8<--``, ``{ onclick=x }``, ``[a](javascript:…)`` or
``<script>`` therefore reaches the reader as the literal text it is. Page addresses are fixed
names or 编号, never a person's name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..check import check_files, cross_file, findings_of, make_context
from ..load import LoadError, load_file
from ..repo import Repo

HOME, OVERVIEW = "index.md", "overview.md"
MANUAL = (  # (page, title): the manual pages the home page points to
    ("manual/index.md", "使用手册"),
    ("manual/dossier-format.md", "档案文件怎么写"),
    ("manual/check.md", "检查档案"),
    ("manual/codes.md", "问题代码表"),
    ("manual/policy.md", "政策文件"),
)
NO_UNIT, UNREADABLE = "（未填写管档单位）", "（无法读取的文件）"

# HTML's five, plus what Markdown and its extensions read as syntax (emphasis, code, links,
# attribute lists, headings, tables, snippets, emoji, math) and line breaks, which would end
# the raw HTML block. Character references render as the same character.
_ESCAPES = {ord(c): f"&#{ord(c)};" for c in "&<>\"'`*_{}[]()#+-!|~^=:$\\\n\r\t"}


def text(value) -> str:
    """A dossier value as inert HTML text."""
    return ("" if value is None else str(value)).translate(_ESCAPES)


@dataclass
class Entry:
    """What the site shows of one dossier file."""

    rel: str
    number: str
    name: str
    unit: str
    pages: int
    readable: bool = True
    errors: int = 0
    warnings: int = 0


@dataclass
class Summary:
    as_of: dt.date
    entries: list[Entry]
    registered: list[str] = field(default_factory=list)  # 管档单位 in the policy file, in its order

    @property
    def errors(self) -> int:
        return sum(e.errors for e in self.entries)

    @property
    def warnings(self) -> int:
        return sum(e.warnings for e in self.entries)

    @property
    def pages(self) -> int:
        return sum(e.pages for e in self.entries)

    def by_unit(self) -> list[tuple[str, list[Entry]]]:
        """Registered units in policy order (also those without dossiers), then any others."""
        groups: dict[str, list[Entry]] = {u: [] for u in self.registered}
        for entry in self.entries:
            groups.setdefault(entry.unit, []).append(entry)
        extra = sorted(u for u in groups if u not in self.registered and u not in (NO_UNIT, UNREADABLE))
        order = [*self.registered, *extra, *(u for u in (NO_UNIT, UNREADABLE) if u in groups)]
        return [(u, sorted(groups[u], key=lambda e: e.number)) for u in order]


def _pages(data: dict) -> int:
    catalog = data.get("档案目录")
    if not isinstance(catalog, list):
        return 0
    return sum(e["页数"] for e in catalog
               if isinstance(e, dict) and type(e.get("页数")) is int and e["页数"] > 0)


def _entry(repo: Repo, path: Path) -> Entry:
    rel = repo.rel(path)
    try:
        data = load_file(path).data
    except LoadError:
        return Entry(rel, path.stem, "", UNREADABLE, 0, readable=False)
    number, name, unit = data.get("编号"), data.get("姓名"), data.get("管档单位")
    return Entry(rel, number if isinstance(number, str) and number else path.stem,
                 name if isinstance(name, str) else "",
                 unit if isinstance(unit, str) and unit.strip() else NO_UNIT,
                 _pages(data))


def collect(repo: Repo, as_of: dt.date) -> Summary:
    """Every dossier of the repository, with its findings from the same pipeline as ``dangan check``."""
    ctx = make_context(repo, as_of)
    paths = repo.dossiers()
    results = check_files(repo, paths, ctx, use_cache=True)
    entries = [_entry(repo, p) for p in paths]
    by_rel = {e.rel: e for e in entries}
    for finding in findings_of(results) + cross_file(results, repo.root):
        entry = by_rel.get(finding.path)
        if entry is None:
            continue
        if finding.is_error:
            entry.errors += 1
        else:
            entry.warnings += 1
    registered = [u for u in ctx.policy.get("管档单位", default=[]) or [] if isinstance(u, str)]
    return Summary(as_of, entries, registered)


def _table(head: list[str], rows: list[list[str]], cls: str) -> str:
    """One-line-per-row HTML table; cells must already be HTML (numbers, or ``text()`` output)."""
    out = [f'<table class="{cls}">', "<thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>",
           "<tbody>"]
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _raw(*lines: str) -> str:
    """A raw HTML block: Markdown leaves its inside alone."""
    return "\n".join(['<div class="dangan-data" markdown="0">', *lines, "</div>"])


def _day(day: dt.date) -> str:
    return f"{day.year:04d}.{day.month:02d}.{day.day:02d}"


def home_page(s: Summary) -> str:
    units = [(u, es) for u, es in s.by_unit() if es]
    bad = sum(1 for e in s.entries if e.errors)
    totals = [
        ["档案", f'<span data-dangan="dossiers">{len(s.entries)}</span> 份'],
        ["管档单位", f'<span data-dangan="units">{len(units)}</span> 个（有档案的单位）'],
        ["档案材料", f'<span data-dangan="pages">{s.pages}</span> 页（档案目录“页数”合计）'],
        ["检查：错误", f'<span data-dangan="errors">{s.errors}</span> 个（涉及 {bad} 份档案）'],
        ["检查：警告", f'<span data-dangan="warnings">{s.warnings}</span> 个'],
    ]
    per_unit = [[text(u), str(len(es)), str(sum(e.pages for e in es))] for u, es in s.by_unit()]
    manual = "\n".join(f"- [{title}]({page})" for page, title in MANUAL)
    return f"""# 干部人事档案

本站由档案库自动生成，内部资料，注意保密。统计截至
**{_day(s.as_of)}**，检查结果与 `dangan check` 相同。

## 总览

{_raw(_table(["项目", "数量"], totals, "dangan-totals"))}

有错误的档案须由管档人员改正后重新提交；问题代码的含义见[问题代码表](manual/codes.md)。

## 各管档单位

{_raw(_table(["管档单位", "档案（份）", "材料（页）"], per_unit, "dangan-units"))}

每份档案的编号和姓名见[档案概况](overview.md)。

## 使用手册

{manual}
"""


def overview_page(s: Summary) -> str:
    blocks = []
    for k, (unit, entries) in enumerate(s.by_unit(), 1):
        if not entries:
            continue
        rows = [[text(e.number), text(e.name), str(e.pages), str(e.errors), str(e.warnings)] for e in entries]
        blocks.append(_raw(f'<h2 id="unit-{k}">{text(unit)}（{len(entries)} 份）</h2>',
                           _table(["编号", "姓名", "材料（页）", "错误", "警告"], rows, "dangan-dossiers")))
    body = "\n\n".join(blocks) if blocks else "档案库中还没有档案。"
    return f"""# 档案概况

按管档单位列出每份档案的编号和姓名（统计截至 {_day(s.as_of)}）。“错误”“警告”是 `dangan check`
发现的问题个数，详情请在档案库中运行 `dangan check` 查看。

{body}
"""
