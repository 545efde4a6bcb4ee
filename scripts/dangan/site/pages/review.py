"""审核: the findings of ``dangan check`` by severity and unit; unauthorised alterations; recent changes."""

from __future__ import annotations

from ..html import cell, day, link, raw, slug, table, text
from ..model import Site
from ..trail import Change
from .dossier import verdict

FINDINGS, ALTERATIONS, CHANGES = "review/index.md", "review/alterations.md", "review/changes.md"
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
