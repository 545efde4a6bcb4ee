"""Ledgers (登记簿) kept beside the dossiers: ledgers/<kind>.yaml, one YAML list of entries per kind.

Each kind has its own schema (schema/ledger-<name>.schema.json) and is read with the same strict
loader and schema machinery as a dossier. Entries are only ever appended or have a null filled
in (a 回执日期); the verbs do that with the same text-splicing edits, so history stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .findings import Finding
from .load import Document
from .repo import Repo
from .schema import Schema
from .verbs.edit import Change, EditError, Source, insert_item, verify

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
        n = len(src.data)
        text = insert_item(src, (), n, lambda dash, flow, e=entry, n=n: layout.item_text(e, (n,), dash, False))
        src = verify(src, text, [*src.data, entry])
    return Change(path, repo.rel(path), before, src.raw)
