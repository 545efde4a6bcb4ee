"""The Finding record and its reporters (text, JSON). Validators yield; reporters print."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from .privacy import scrub

ERROR, WARNING = "错误", "警告"


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int
    col: int
    severity: str  # 错误 | 警告
    code: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def text(self) -> str:
        return scrub(f"{self.path}:{self.line}:{self.col}: {self.severity} {self.code} {self.message}")

    def as_dict(self) -> dict:
        d = asdict(self)
        d["message"] = scrub(d["message"])
        return d


def sort_key(f: Finding) -> tuple[str, int, int, str]:
    return (f.path, f.line, f.col, f.code)


def report_text(findings: list[Finding]) -> str:
    return "".join(f.text() + "\n" for f in findings)


def report_json(findings: list[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2) + "\n"


def summary(findings: list[Finding], files: int) -> str:
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    if not findings:
        return f"检查了 {files} 份档案，未发现问题。"
    return f"检查了 {files} 份档案：{errors} 个错误，{warnings} 个警告。"
