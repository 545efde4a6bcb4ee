"""A dossier received by 转入 compared with the one this repository held of the same person (``dangan check``).

``dangan transfer in`` of a person this repository once held — the same 身份证号, or the 原编号 its 转入 entry
records — must not bring different key facts in quietly (F13: transfer out, alter a copy, transfer it back in
under a new 编号). ``dangan audit`` judges the commit that brought it in (T008); this is the same comparison on
the working file, so the clerk sees it before committing and ``dangan check`` keeps showing it until a 认定记录
in the dossier accounts for each difference (项目, 原值 = the value held, 认定值 = the value now).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..findings import ERROR, Finding
from ..repo import Repo
from . import gitlog
from .render import change_line
from .scan import DossierRecord, Scanner, ledger_entries

CODE = "T008"


def received(repo: Repo) -> dict[str, list[str]]:
    """编号 → the 原编号 recorded, for every dossier the transfer register says was received (转入)."""
    path = repo.root / gitlog.LEDGER
    if not path.is_file():
        return {}
    out: dict[str, list[str]] = {}
    for e in ledger_entries(path.read_bytes()):
        if e.get("方向") == "转入" and isinstance(e.get("编号"), str):
            out.setdefault(e["编号"], [])
            if isinstance(e.get("原编号"), str):
                out[e["编号"]].append(e["原编号"])
    return out


def compare(repo: Repo, number: str, raw: bytes, originals: list[str]) -> DossierRecord | None:
    """The comparison of one received dossier's text with the last version held (None: no one held before)."""
    if gitlog.head(repo.root) is None:
        return None
    return Scanner(repo, check=False, tips=["HEAD"]).against_held(number, raw, originals)


def findings(repo: Repo, paths: list[Path] | None = None) -> list[Finding]:
    """T008 for the received dossiers among ``paths`` (default: all of dossiers/)."""
    incoming = received(repo)
    if not incoming:
        return []
    try:
        gitlog.ensure_repository(repo.root)
    except Exception:
        return []
    files = {p.stem: p for p in (paths if paths is not None else repo.dossiers())
             if p.resolve().parent == repo.dossier_dir.resolve() and p.stem in incoming}
    if not files or gitlog.head(repo.root) is None:
        return []
    scanner = Scanner(repo, check=False, tips=["HEAD"])
    out = []
    for number, path in sorted(files.items()):
        raw = path.read_bytes()
        d = scanner.against_held(number, raw, incoming[number])
        if d is None:
            continue
        rel = repo.rel(path)
        for c in d.unauthorised:
            out.append(Finding(rel, line_of(raw, c.field), 1, ERROR, CODE,
                               f"{change_line(c)}：转入的档案与本库曾保存的 {d.base}不符，且档案中没有相符的认定记录"
                               f"（认定记录的项目应写作“{c.ref}”，原值写本库曾保存的值）"))
    return out


def line_of(raw: bytes, key: str) -> int:
    m = re.search(rb"^" + re.escape(key.encode()) + rb"\s*:", raw, re.M)
    return raw.count(b"\n", 0, m.start()) + 1 if m else 1


def as_received(repo: Repo, paths: list[Path], base: str | None = "HEAD") -> set[str]:
    """The dossier files (relative paths) that are exactly what ``dangan transfer in`` wrote — the 入库哈希 of a
    转入 entry in the register — and not yet in ``base`` (default HEAD): the intake, kept as it arrived.

    What arrived may fall short (a missing material, another unit's layout): it is committed as it arrived all
    the same, and completed in later commits, trailed as usual. So for this one version the check's errors and
    the layout check do not stop the commit; once committed, the file is checked like any other.
    """
    path = repo.root / gitlog.LEDGER
    if not path.is_file():
        return set()
    from ..repo import content_hash

    hashes = {e["编号"]: e["入库哈希"] for e in ledger_entries(path.read_bytes())
              if e.get("方向") == "转入" and isinstance(e.get("编号"), str) and isinstance(e.get("入库哈希"), str)}
    out = set()
    for p in paths:
        p = Path(p).resolve()
        if p.parent != repo.dossier_dir.resolve() or p.stem not in hashes or not p.is_file():
            continue
        if content_hash(p.read_bytes()) != hashes[p.stem]:
            continue
        rel = repo.rel(p)
        if base is not None:
            try:
                gitlog.git(repo.root, ["cat-file", "-e", f"{base}:{rel}"])
                continue  # committed already: checked like any other
            except gitlog.GitError:
                pass
        out.add(rel)
    return out


def as_received_note(message: str) -> str:
    return f"{message}（接收时即有：转入的档案原样入库，入库后须补齐、改正）"
