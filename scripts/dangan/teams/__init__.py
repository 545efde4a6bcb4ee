"""领导班子 (teams/<单位>.yaml): the consistency and structure rules (B1xx, B2xx) and the per-team report.

rules — ``check`` (`dangan teams check`, the pre-commit hook); report — `dangan teams report`.
The files are read through the one door (``Repo.read_teams``); people are counted by ``dangan.stats``.
"""

from __future__ import annotations

from .report import TeamReport, report, reports
from .rules import check, structure

__all__ = ["TeamReport", "check", "report", "reports", "structure"]
