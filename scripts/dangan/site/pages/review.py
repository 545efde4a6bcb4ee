"""审核: the findings of ``dangan check`` by severity and unit; unauthorised alterations; recent changes."""

from __future__ import annotations

from ..html import cell, day, link, raw, slug, table, text
from ..model import Site
from ..trail import Change
from .dossier import verdict

FINDINGS, ALTERATIONS, CHANGES = "review/index.md", "review/alterations.md", "review/changes.md"
SPECIAL = "review/special.md"
FRONT = "---\nsearch:\n  exclude: true\nhide:\n  - toc\n---\n\n"


def findings_page(s: Site) -> str:
    per_unit = []
    for unit, people in s.by_unit(keep_empty=False):
        errors, warnings = sum(p.errors for p in people), sum(p.warnings for p in people)
        per_unit.append([text(unit), str(len(people)), f'<span data-dangan-unit-errors="{errors}">{errors}</span>',
                         str(warnings), str(sum(1 for p in people if p.findings))])
    per_unit.append(["<strong>合计</strong>", str(len(s.people)), f"<strong>{s.errors}</strong>",
                     f"<strong>{s.warnings}</strong>", str(sum(1 for p in s.people if p.findings))])
    blocks = []
    for severity, anchor in (("错误", "errors"), ("警告", "warnings")):
        rows = []
        for p in sorted(s.people, key=lambda p: p.number):
            for f in p.findings:
                if f.severity == severity:
                    rows.append([link(f"../../{p.url}", text(p.number)), text(p.name), text(p.unit), text(f.code),
                                 cell(str(f.line), f.line), text(f.message)])
        title = f'<h2 id="{anchor}">{severity}（{len(rows)} 个）</h2>'
        body = (table(["编号", "姓名", "管档单位", "代码", "行", "说明"], rows, "dangan-findings", sortable=True,
                      attrs=' data-filter="1"') if rows else f'<p class="dangan-none">没有{severity}。</p>')
        blocks.append(raw(title, body))
    return f"""{FRONT}# 审核：检查结果

截至 **{day(s.as_of)}**，`dangan check` 对全部档案（含跨档案检查）的结果。错误会阻止提交，警告提示核实；
代码的含义见[问题代码表](../manual/codes.md)。

## 各管档单位

{raw(table(["管档单位", "档案（份）", "错误", "警告", "有问题的档案（份）"], per_unit, "dangan-units"))}

{chr(10).join(blocks)}
"""


def _change_rows(changes: list[Change]) -> list[list[str]]:
    rows = []
    for c in changes:
        number = slug(c.number)
        where = link(f"../../dossier/{number}/", text(c.number)) if number else text(c.number)
        rows.append([text(c.date), text(c.commit), text(c.author), where, text(c.kind), text(c.field), text(c.before),
                     text(c.after), verdict(c)])
    return rows


HEAD = ["时间", "提交", "提交人", "档案", "类型", "字段", "原值", "新值", "认定"]


def alterations_page(changes: list[Change] | None, undone: list[Change] | None = None) -> str:
    if changes is None:
        body = "暂无（本档案库没有可读的 Git 历史）。"
    elif not changes:
        body = "没有发现需要处理的未经授权的改动。"
    else:
        body = raw(table(HEAD, _change_rows(changes), "dangan-changes", sortable=True, attrs=' data-filter="1"'))
    settled = ""
    if undone:  # settled by a later commit, still shown: an alteration is never unseen
        count = sum(1 for c in undone if c.undone.startswith("已撤销"))  # the rest are the commits undoing them
        settled = (f'\n## 已撤销的改动（{count} 处）\n\n后来的提交已把这些字段改回最后一次认定的值，不再需要处理；'
                   "改动本身和撤销它的提交仍然列出，与 `dangan audit` 一致。\n\n"
                   + raw(table(HEAD, _change_rows(undone), "dangan-changes dangan-undone", sortable=True)) + "\n")
    return f"""{FRONT}# 审核：未经授权的改动

Git 历史就是档案的涂改痕迹。这里列出改动了受保护的字段（出生年月、参加工作时间、入党时间、学历学位、简历、
干部身份等）却没有相应认定记录的提交，以及未登记转出就删除的档案文件，逐字段列出原值和新值，与 `dangan audit` 一致。

{body}
{settled}"""


def changes_page(changes: list[Change] | None, commits: int) -> str:
    if changes is None:
        body = "暂无（本档案库没有可读的 Git 历史）。"
    elif not changes:
        body = "没有改动。"
    else:
        body = raw(table(HEAD, _change_rows(changes), "dangan-changes", sortable=True, attrs=' data-filter="1"'))
    return f"""{FRONT}# 审核：最近的改动

最近 {commits} 次提交对档案的改动，逐字段列出。

{body}
"""


def special_page(specials: list, entries: list[dict], as_of) -> str:
    """专项审核: per 管档单位 how far it has come, then every open inconsistency. Family members are only counted."""
    from ...privacy import scrub

    stages: dict[str, set[str]] = {}
    for e in entries:
        if isinstance(e, dict) and e.get("阶段") in ("初审", "复审"):
            stages.setdefault(str(e["阶段"]), set()).add(str(e.get("编号")))
    units: dict[str, list] = {}
    for s in specials:
        units.setdefault(str(s.case.data.get("管档单位") or "（未填）"), []).append(s)
    per_unit = []
    for unit in sorted(units):
        group = units[unit]
        recorded = sum(1 for s in group if s.recorded)
        per_unit.append([text(unit), str(len(group)), str(recorded), str(sum(1 for s in group if s.open)),
                         str(sum(1 for s in group if s.case.number in stages.get("初审", set()))),
                         str(sum(1 for s in group if s.case.number in stages.get("复审", set())))])
    rows = []
    for s in sorted(specials, key=lambda s: (str(s.case.data.get("管档单位") or ""), s.case.number)):
        number = slug(s.case.number)
        where = link(f"../../dossier/{number}/", text(s.case.number)) if number else text(s.case.number)
        for name, found in s.problems:
            problems = found if name != "家庭成员" else (
                [f"{len(found)} 处（家庭成员不在站点上显示，用 dangan special-review 查看）"] if found else [])
            for p in problems:
                rows.append([where, text(s.case.data.get("姓名", "")), text(s.case.data.get("管档单位", "")),
                             text(name), text(scrub(p))])
    units_table = raw(table(["管档单位", "档案（份）", "有材料记载的", "有未结问题的", "已初审", "已复审"], per_unit,
                            "dangan-units"))
    body = raw(table(["编号", "姓名", "管档单位", "项目", "未结的问题"], rows, "dangan-findings", sortable=True,
                     attrs=' data-filter="1"')) if rows else '<p class="dangan-none">没有未结的问题。</p>'
    return f"""{FRONT}# 审核：专项审核

截至 **{day(as_of)}**，三龄两历一身份和家庭成员的专项审核（`dangan special-review`，见使用手册[任前审核与专项审核](../manual/review.md)）：
各材料记载的关键信息是否一致、档案是否以最早记载为准、认定是否有据、材料上的涂改是否处理。初审、复审取自
`ledgers/专项审核.yaml`。

## 各管档单位

{units_table}

## 未结的问题（{len(rows)} 个）

{body}
"""
