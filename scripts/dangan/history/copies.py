"""A 副本 that changed alone (T009): 《干部人事档案工作条例》第二十二条, 正本有关材料和信息变更时，副本应当相应变更.

The 副本 follows its 正本: a key fact of a 副本 (the facts X005 compares: rules/custody.KEY_FACTS, 依据 aside) changes
only to take the value its 正本 holds. For each commit of the trail that changes a key fact of a 副本 whose 正本 (the
same 身份证号, not a 副本) is in dossiers/ in that commit, the 副本's new value is compared with the 正本's there:
differing, the 副本 changed alone (the 正本 not changed the same way in that commit, nor before). The pre-commit
check refuses such a commit (X005); this finds the ones that went past it (--no-verify, a push from elsewhere).

Only commits changing a key fact are read further, and of them only the files that are 副本: a blob batch for those,
one ``git grep`` in the commit's tree for the person's 正本. A finding the tip of the range has put right (the 副本
agrees with its 正本 there again) stays listed, no longer a problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..load import LoadError, build, decode
from ..rules.custody import COPY, KEY_FACTS, bare
from . import gitlog
from .scan import EDIT, CommitRecord

CODE = "T009"
_MARK = "副本".encode()


@dataclass(frozen=True)
class Alone:
    record: CommitRecord
    number: str  # the 副本's 编号
    path: str  # the 副本's file in that commit
    field: str  # the key fact
    original: str  # the 正本's file in that commit
    mine: object
    theirs: object


def _data(raw: bytes | None) -> dict | None:
    if raw is None or _MARK not in raw:
        return None
    try:
        data = build(decode(raw))
    except LoadError:
        return None
    return data if isinstance(data, dict) else None


def _original(root: Path, reader: gitlog.BlobReader, commit: str, copy_path: str, ident: str) -> tuple[str, dict] | None:
    """The 正本 of the person of ``ident`` in dossiers/ at ``commit``: (path, data), or None."""
    try:
        out = gitlog.git(root, ["grep", "-l", "-F", "-e", ident, commit, "--", gitlog.DOSSIER_PREFIX])
    except gitlog.GitError:  # no file holds it (git grep exits 1)
        return None
    paths = [line.split(":", 1)[1] for line in out.decode("utf-8", "replace").splitlines() if ":" in line]
    paths = [p for p in paths if p != copy_path and gitlog.is_dossier(p)]
    found = reader.read([f"{commit}:{p}" for p in paths])
    for p in paths:
        raw = found.get(f"{commit}:{p}")
        try:
            data = build(decode(raw)) if raw is not None else None
        except LoadError:
            continue
        if isinstance(data, dict) and data.get("身份证号") == ident and data.get("档案类别") != COPY:
            return p, data
    return None


def changed_alone(root: Path, records: list[CommitRecord]) -> list[Alone]:
    """Every key fact of a 副本 changed in one of ``records`` to a value its 正本 there does not hold."""
    reader = gitlog.BlobReader(root)
    wanted = [(r, d) for r in records for d in r.dossiers
              if d.event == EDIT and d.new_blob
              and any(c.field in KEY_FACTS and "依据" not in c.path for c in d.changes)]
    blobs = reader.read([d.new_blob for _r, d in wanted if d.new_blob])
    out: list[Alone] = []
    for record, d in wanted:
        copy = _data(blobs.get(d.new_blob or ""))
        if copy is None or copy.get("档案类别") != COPY or not isinstance(copy.get("身份证号"), str):
            continue
        original = _original(root, reader, record.id, d.path, copy["身份证号"])
        if original is None:
            continue  # the 正本 is kept elsewhere: the 副本 copies what that unit determined
        where, data = original
        for name in dict.fromkeys(c.field for c in d.changes if c.field in KEY_FACTS and "依据" not in c.path):
            if bare(copy.get(name)) != bare(data.get(name)):
                out.append(Alone(record, d.number, d.path, name, where, copy.get(name), data.get(name)))
    return out


def put_right(root: Path, tip: str, found: Alone) -> bool:
    """At ``tip`` the 副本 agrees with its 正本 on that fact again (or one of them is no longer there)."""
    reader = gitlog.BlobReader(root)
    blobs = reader.read([f"{tip}:{found.path}", f"{tip}:{found.original}"])
    copy, original = blobs.get(f"{tip}:{found.path}"), blobs.get(f"{tip}:{found.original}")
    try:
        a = build(decode(copy)) if copy is not None else None
        b = build(decode(original)) if original is not None else None
    except LoadError:
        return False
    if not isinstance(a, dict) or not isinstance(b, dict):
        return a is None or b is None
    return bare(a.get(found.field)) == bare(b.get(found.field))


def shown(value) -> str:
    if value is None:
        return "空"
    return value if isinstance(value, str) else "（见档案）"
