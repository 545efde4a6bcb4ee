"""The code tables of schema/codes/, read once: the allowed values in code order and the x-… maps programs use.

Statistics, queries, forms, the importers, the rules and the site all read the same ``CodeTables``
(``Repo.codes``), so a clerk's short form of a 学历 means the same thing everywhere: the full names are
the table's ``enum``, ``x-简称`` is how the 任免表 prints one, ``x-别名`` what a clerk types instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PARTY_MEMBERS = ("中共党员", "中共预备党员")  # 政治面貌 values that count as 中共党员 (with 入党时间)


@dataclass(frozen=True)
class CodeTables:
    education_level: dict[str, int]  # 学历 → 层次 (8 博士 … 0 其他)
    education_short: dict[str, str]  # 学历 → its short form on the 任免表 (x-简称)
    education_alias: dict[str, str]  # what a clerk types → the full 学历 (x-别名)
    degree_level: dict[str, int]
    rank_level: dict[str, int]
    rank_order: list[str]
    political_order: list[str]
    ethnicity_order: list[str]
    sex_order: list[str]
    rank_kind: dict[str, str] | None = None  # 职级 → 领导职务 / 职级 / 非领导 (x-类别)

    @classmethod
    def read(cls, schema_dir: Path) -> CodeTables:
        """The tables under ``schema_dir``/codes (read once per directory and process)."""
        return _read(str(Path(schema_dir).resolve()))

    def education_full(self, text: str) -> str | None:
        """A 学历 as written (full name, alias or short form) → the full name; None when unknown."""
        if text in self.education_level:
            return text
        if text in self.education_alias:
            return self.education_alias[text]
        return next((full for full, short in self.education_short.items() if short == text), None)

    def education_level_of(self, text: str) -> int | None:
        """The 层次 of a 学历 as written; a short form shared by several (研究生) takes the lowest."""
        if text in self.education_level:
            return self.education_level[text]
        if text in self.education_alias:
            return self.education_level.get(self.education_alias[text])
        levels = [lv for full, lv in self.education_level.items() if self.education_short.get(full) == text]
        return min(levels) if levels else None

    def enum(self, field: str) -> list[str]:
        """The allowed values of a coded dossier field (性别, 民族, 政治面貌, 职级)."""
        return {"性别": self.sex_order, "民族": self.ethnicity_order, "政治面貌": self.political_order,
                "职级": self.rank_order}[field]


@lru_cache(maxsize=8)
def _read(schema_dir: str) -> CodeTables:
    codes = Path(schema_dir) / "codes"

    def table(name: str) -> dict:
        return json.loads((codes / name).read_text("utf-8"))

    edu, degree, rank = table("gbt4658-education.json"), table("gbt6864-degree.json"), table("rank.json")
    return CodeTables(edu.get("x-层次", {}), edu.get("x-简称", {}), edu.get("x-别名", {}), degree.get("x-层次", {}),
                      rank.get("x-层次", {}), rank.get("enum", []), table("gbt4762-political.json").get("enum", []),
                      table("gbt3304-ethnicity.json").get("enum", []), table("gbt2261-sex.json").get("enum", []),
                      rank.get("x-类别", {}))
