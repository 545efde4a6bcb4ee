"""Ledger files: where each kind lives, reading (strict or lenient), appending, and the open loans and receipts.

Each kind has its own schema (schema/ledger-<name>.schema.json) and is read with the same strict
loader and schema machinery as a dossier. Entries are only ever appended or have a null filled
in (a 回执日期); the verbs do that with the same text-splicing edits, so history stays readable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..dates import add_months, parse_day
from ..findings import Finding
from ..load import Document
from ..repo import Repo
from ..schema import Schema
from ..yamledit import Change, EditError, Source, insert_item, verify

LEDGER_DIR = "ledgers"


@dataclass(frozen=True)
class Kind:
    name: str  # file stem under ledgers/
    schema: str  # file under schema/
    header: str  # the comment a new ledger file starts with


TRANSFER = Kind("转递", "ledger-transfer.schema.json",
                "# 干部档案转递登记（转出名册与转入登记）：由 dangan transfer 写入，一次转出或转入一项。\n"
                "# 已登记的条目不要改动；回执日期用 dangan transfer receipt 填写。\n")


def path_of(repo: Repo, kind: Kind) -> Path:
    return repo.root / LEDGER_DIR / f"{kind.name}.yaml"


def read(repo: Repo, kind: Kind) -> Source | None:
    """The ledger as read and validated; None when it does not exist yet. Refuses an invalid ledger."""
    path = path_of(repo, kind)
    if not path.exists():
        return None
    rel = repo.rel(path)
    src = Source.read(path, rel, root_list=True)
    errors = [f for f in findings(repo, kind, src, rel) if f.is_error]
    if errors:
        shown = "\n".join(f.text() for f in errors[:10])
        raise EditError(f"登记簿 {rel} 不符合 schema/{kind.schema}，请先改正：\n{shown}")
    return src


def findings(repo: Repo, kind: Kind, src: Source, rel: str) -> list[Finding]:
    doc = Document(path=rel, data=src.data, raw=src.raw, root_list=True)
    return Schema(repo.schema_dir, kind.schema).findings(doc)


def append(repo: Repo, kind: Kind, entries: list[dict], layout) -> Change:
    """The change that appends ``entries`` (the file is created with its header when absent)."""
    path = path_of(repo, kind)
    src = read(repo, kind)
    if src is None:
        lines = [line for i, e in enumerate(entries) for line in layout.item_text(e, (i,), 0, False)]
        text = kind.header + "\n".join(lines) + "\n"
        verify(Source(path, text.encode("utf-8"), root_list=True), text, list(entries))
        return Change(path, repo.rel(path), None, text.encode("utf-8"))
    before = src.raw
    for entry in entries:
        rows = src.data
        assert isinstance(rows, list)  # read() refuses a ledger that is not a list
        n = len(rows)
        text = insert_item(src, (), n, lambda dash, flow, e=entry, n=n: layout.item_text(e, (n,), dash, False))
        src = verify(src, text, [*rows, entry])
    return Change(path, repo.rel(path), before, src.raw)


CONSULT = Kind("查阅", "ledger-consult.schema.json",
               "# 干部档案查阅登记簿：每次在档案室查阅登记一项（两人以上，经批准，本人及亲属回避）。\n"
               "# 检查：dangan ledger check（提交前钩子也会运行）。\n")
BORROW = Kind("借阅", "ledger-borrow.schema.json",
              "# 干部档案借阅登记簿：每次借出登记一项；归还并按目录核对后填写归还日期。\n"
              "# 检查：dangan ledger check（提交前钩子也会运行）。\n")
REVIEW = Kind("任前审核", "ledger-review.schema.json",
               "# 干部人事档案任前审核登记：凡提必审，动议初审 → 考察复审 → 任用终审，每个阶段审核一次登记一项。\n"
               "# 由 dangan review 编号 --stage 阶段 --ni-ren 拟任职务 --by 审核人 --by 复核人 --record 写入；已登记的条目不要改动。\n")
SPECIAL = Kind("专项审核", "ledger-special.schema.json",
                "# 干部人事档案专项审核登记：每份档案的专项审核（三龄两历一身份、家庭成员）初审、复审各登记一项。\n"
                "# 由 dangan special-review 编号 --stage 初审|复审 --by 审核人 --conclusion 结论 --record 写入；已登记的条目不要改动。\n")
OWED = Kind("催收", "ledger-owed.schema.json",
             "# 干部档案材料催收登记：档案所缺的材料，一份一项；材料归档后即告收到（dangan owed 显示“已收到”）。\n"
             "# 由 dangan owed --record 写入；已登记的条目不要改动。\n")
INSPECT = Kind("检查验收", "ledger-inspect.schema.json",
                "# 干部人事档案目标管理检查验收登记：对一个管档单位的一次检查验收登记一项（检查人两人以上，检查项目逐项评分，\n"
                "# 发现的问题各有整改期限）。由 dangan grade inspect 写入，整改完成由 dangan grade rectify 填写；已登记的评分不要改动。\n")
KINDS = (CONSULT, BORROW, TRANSFER, REVIEW, SPECIAL, OWED, INSPECT)
STAGES = ("动议初审", "考察复审", "任用终审")  # 凡提必审: each needs the one before it passed
# 接收审核 (收集归档规定: 办理完毕、对象明确、齐全完整、文字清楚、内容真实、填写规范、手续完备; and the seal)
INTAKE_CHECKS = ("办理完毕", "对象明确", "齐全完整", "文字清楚", "内容真实", "填写规范", "手续完备", "密封完好")
BORROW_DAYS = 14  # when the policy file does not say (期限.借阅天数)


# ---------------------------------------------------------------- reading for reports and rules

@dataclass(frozen=True)
class Entries:
    """One ledger as loaded for checking: the document (for line marks) or the refusal, never raising."""

    kind: Kind
    rel: str
    doc: Document | None  # None when the file is absent or unreadable
    problems: tuple[Finding, ...] = ()  # load and schema findings

    @property
    def items(self) -> list[dict]:
        if self.doc is None or not isinstance(self.doc.data, list):
            return []
        return [e for e in self.doc.data if isinstance(e, dict)]


def load(repo: Repo, kind: Kind) -> Entries:
    from ..findings import ERROR
    from ..load import LoadError, load_bytes

    path = path_of(repo, kind)
    rel = repo.rel(path)
    if not path.exists():
        return Entries(kind, rel, None)
    try:
        doc = load_bytes(path.read_bytes(), rel, root_list=True)
    except LoadError as exc:
        return Entries(kind, rel, None, (Finding(rel, exc.line, exc.col, ERROR, exc.code, exc.message),))
    return Entries(kind, rel, doc, tuple(Schema(repo.schema_dir, kind.schema).findings(doc)))


def borrow_days(repo: Repo) -> int:
    return repo.policy.get("期限", "借阅天数", default=BORROW_DAYS)


def receipt_months(repo: Repo) -> int:
    return repo.policy.get("期限", "转递回执", default=1)


@dataclass(frozen=True)
class Loan:
    """A borrowed dossier not yet returned (as of a date)."""

    entry: dict
    out: dt.date  # 借出日期
    due: dt.date  # 应还日期
    overdue_days: int  # 0 when not yet due

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


@dataclass(frozen=True)
class PendingReceipt:
    """A 转出 whose 回执 has not come back (as of a date)."""

    entry: dict
    sent: dt.date  # 日期
    due: dt.date  # 日期 + 期限.转递回执 months
    overdue_days: int

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def _loan(entry: dict, as_of: dt.date) -> Loan | None:
    out, due = parse_day(entry.get("借出日期")), parse_day(entry.get("应还日期"))
    if out is None or due is None or entry.get("归还日期") is not None or out > as_of:
        return None
    return Loan(entry, out, due, max(0, (as_of - due).days))


def open_loans(repo: Repo, as_of: dt.date) -> list[Loan]:
    """Every dossier lent out on or before ``as_of`` and not yet returned, oldest first.

    Reads ledgers/借阅.yaml leniently (an invalid entry is skipped; `dangan ledger check` reports it).
    """
    loans = [loan for e in load(repo, BORROW).items if (loan := _loan(e, as_of))]
    return sorted(loans, key=lambda ln: (ln.due, str(ln.entry.get("登记号"))))


def overdue_loans(repo: Repo, as_of: dt.date) -> list[Loan]:
    """The open loans past their 应还日期 as of ``as_of``."""
    return [loan for loan in open_loans(repo, as_of) if loan.overdue]


def pending_receipts(repo: Repo, as_of: dt.date) -> list[PendingReceipt]:
    """Every 转出 sent on or before ``as_of`` whose 回执 is still missing, overdue or not."""
    months = receipt_months(repo)
    out = []
    for e in load(repo, TRANSFER).items:
        sent = parse_day(e.get("日期"))
        if e.get("方向") != "转出" or e.get("回执日期") is not None or sent is None or sent > as_of:
            continue
        due = add_months(sent, months)
        out.append(PendingReceipt(e, sent, due, max(0, (as_of - due).days)))
    return sorted(out, key=lambda r: (r.due, str(r.entry.get("通知单号"))))


@dataclass(frozen=True)
class Returned:
    """A dossier returned to its sender at the 接收审核 (方向: 退回), and whether its 整改 has come back."""

    entry: dict
    returned: dt.date  # 日期
    due: dt.date | None  # 整改期限
    again: dict | None  # the later entry whose 整改 names this 通知单号
    overdue_days: int  # 0 when not yet due or come back

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def returns(repo: Repo, as_of: dt.date) -> list[Returned]:
    """Every 退回 up to ``as_of``, the 整改 still awaited first (most overdue first), then those come back."""
    items = load(repo, TRANSFER).items
    out = []
    for e in items:
        day = parse_day(e.get("日期"))
        if e.get("方向") != "退回" or day is None or day > as_of:
            continue
        due = parse_day(e.get("整改期限"))
        again = next((x for x in items if x.get("整改") == e.get("通知单号") and x is not e
                      and (parse_day(x.get("日期")) or as_of) <= as_of), None)
        late = max(0, (as_of - due).days) if due and again is None else 0
        out.append(Returned(e, day, due, again, late))
    return sorted(out, key=lambda r: (r.again is not None, -r.overdue_days, r.returned))


def missing_receipts(repo: Repo, as_of: dt.date) -> list[PendingReceipt]:
    """The 转出 whose 回执 is overdue: not back within 期限.转递回执 months (the sender must chase it)."""
    return [r for r in pending_receipts(repo, as_of) if r.overdue]
