"""Ledgers (登记簿) kept beside the dossiers (查阅, 借阅, 转递, 任前审核, 专项审核, 催收, 检查验收): ledgers/<kind>.yaml, one YAML list of entries per kind.

store — reading, validating and appending (the verbs write through it); rules — the G1xx rules and
``check`` (`dangan ledger check`). This package is their one door: import from ``dangan.ledgers``.
"""

from __future__ import annotations

from .rules import Clock, check, late_transfers, text_findings
from .store import (
    BORROW,
    CONSULT,
    INSPECT,
    INTAKE_CHECKS,
    KINDS,
    LEDGER_DIR,
    OWED,
    REVIEW,
    SPECIAL,
    STAGES,
    TRANSFER,
    Entries,
    Kind,
    Loan,
    PendingReceipt,
    Returned,
    append,
    borrow_days,
    findings,
    load,
    missing_receipts,
    open_loans,
    overdue_loans,
    path_of,
    pending_receipts,
    read,
    receipt_months,
    returns,
)

__all__ = [
    "BORROW",
    "CONSULT",
    "INSPECT",
    "INTAKE_CHECKS",
    "KINDS",
    "LEDGER_DIR",
    "OWED",
    "REVIEW",
    "SPECIAL",
    "STAGES",
    "TRANSFER",
    "Clock",
    "Entries",
    "Kind",
    "Loan",
    "PendingReceipt",
    "Returned",
    "append",
    "borrow_days",
    "check",
    "findings",
    "late_transfers",
    "load",
    "missing_receipts",
    "open_loans",
    "overdue_loans",
    "path_of",
    "pending_receipts",
    "read",
    "receipt_months",
    "returns",
    "text_findings",
]
