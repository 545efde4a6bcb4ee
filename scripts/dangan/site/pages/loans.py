"""查借阅与转递: dossiers lent out and not back (overdue first), transfers whose 回执 is missing, and dossiers
returned at the 接收审核 with their 整改 (awaited first).

Read from ledgers/ through dangan.ledgers (the same helpers `dangan review` uses). Consulting
persons are staff and are shown; family members never appear (ledgers hold none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ... import ledgers
from ...repo import Repo
from ..html import day, link, raw, slug, table, text, unsearched

INDEX = "ledgers/index.md"


def _dossier(number) -> str:
    n = slug(number) if isinstance(number, str) else ""
    return link(f"../dossier/{n}/", text(number)) if n else text(number)


def _people(entry: dict) -> str:
    return "、".join(f"{p.get('姓名')}（{p.get('单位')}）" for p in entry.get("人员") or [] if isinstance(p, dict))


def _everything(_entry: dict) -> bool:
    return True


def page(repo: Repo, as_of: dt.date, keep: Callable[[dict], bool] = _everything) -> str:
    """``keep``: which register entries may be listed (a unit's own site: those of its dossiers)."""
    loans = [ln for ln in ledgers.open_loans(repo, as_of) if keep(ln.entry)]
    receipts = [r for r in ledgers.pending_receipts(repo, as_of) if keep(r.entry)]
    days, months = ledgers.borrow_days(repo), ledgers.receipt_months(repo)
    loan_rows = [[text(ln.entry.get("登记号")), _dossier(ln.entry.get("编号")), text(ln.entry.get("姓名")),
                  text(_people(ln.entry)), text(ln.entry.get("目的")), text(day(ln.out)), text(day(ln.due)),
                  f'<span class="dangan-bad">逾期 {ln.overdue_days} 天</span>' if ln.overdue else "未到期"]
                 for ln in sorted(loans, key=lambda ln: (-ln.overdue_days, ln.due))]
    receipt_rows = [[text(r.entry.get("通知单号")), text(r.entry.get("编号")), text(r.entry.get("姓名")),
                     text(r.entry.get("转往")), text(r.entry.get("方式")), text(day(r.sent)), text(day(r.due)),
                     f'<span class="dangan-bad">逾期 {r.overdue_days} 天</span>' if r.overdue else "未到期"]
                    for r in sorted(receipts, key=lambda r: (-r.overdue_days, r.due))]
    back = [r for r in ledgers.returns(repo, as_of) if keep(r.entry)]
    back_rows = [[text(r.entry.get("通知单号")), text(r.entry.get("姓名")), text(r.entry.get("来自")), text(day(r.returned)),
                  text(r.entry.get("退回原因")), text(day(r.due)) if r.due else "",
                  text(f"已重新转来（{r.again.get('编号')}，{r.again.get('日期')}）") if r.again is not None
                  else f'<span class="dangan-bad">逾期 {r.overdue_days} 天</span>' if r.overdue else "待整改"]
                 for r in back]
    overdue = sum(ln.overdue for ln in loans)
    missing = sum(r.overdue for r in receipts)
    loans_html = raw(table(["登记号", "档案", "本人姓名", "借阅人员", "目的", "借出日期", "应还日期", "状态"], loan_rows,
                           "dangan-loans", sortable=True)) if loans else "没有借出未还的档案。"
    receipts_html = raw(table(["通知单号", "编号", "姓名", "转往", "方式", "转出日期", "回执期限", "状态"], receipt_rows,
                              "dangan-receipts", sortable=True)) if receipts else "没有待收回执的转出档案。"
    back_html = raw(table(["通知单号", "姓名", "转出单位", "退回日期", "退回原因", "整改期限", "状态"], back_rows,
                          "dangan-returns", sortable=True)) if back else "没有接收审核退回的档案。"
    return f"""{unsearched()}

# 查借阅与转递

截至 **{day(as_of)}**：借出未还 {len(loans)} 份（其中逾期 {overdue} 份），待收回执 {len(receipts)} 份（其中逾期 {missing} 份）。
借阅期限 {days} 天、回执期限 {months} 个月，见政策文件“期限”。登记簿的检查用 `dangan ledger check`，
写法见[查阅、借阅与转递登记](../manual/ledgers.md)。

## 借出未还

{loans_html}

## 待收回执（转出）

{receipts_html}

## 退回（接收审核不合格，限期整改）

接收审核不合格、退回转出单位的档案不进档案库，整改后作为新的转入重新转来（`dangan transfer in --return`，
限期见政策文件“期限.退回整改天数”）。

{back_html}
"""
