"""Reading what a form needs from the repository: the dossier, its photo, the kept .lrmx extras."""

from __future__ import annotations

import re
from pathlib import Path

from ..load import LoadError, load_file
from ..repo import Repo, RepoError

_NUMBER = re.compile(r"[A-Z][A-Z0-9]{3,15}")


def dossier_path(repo: Repo, number: str) -> Path:
    """编号 or a path to a dossier file → the file; RepoError when there is none."""
    candidate = Path(number)
    if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
        return candidate
    if not _NUMBER.fullmatch(number):
        raise RepoError(f"“{number}”不是档案编号（如 C000001），也不是档案文件")
    path = repo.dossier_dir / f"{number}.yaml"
    if not path.is_file():
        raise RepoError(f"找不到档案 {repo.rel(path)}")
    return path


def load_dossier(repo: Repo, number: str) -> dict:
    path = dossier_path(repo, number)
    try:
        return load_file(path).data
    except LoadError as exc:
        raise RepoError(f"{path}:{exc.line}:{exc.col}: 档案无法读取（{exc.message}），请先用 dangan check 修正") from None


def photo_bytes(repo: Repo, data: dict) -> bytes | None:
    """The dossier's photo, if the file is there; only paths under photos/ (the schema's pattern) are read."""
    rel = data.get("照片")
    if not isinstance(rel, str) or not re.fullmatch(r"photos/[A-Za-z0-9_-]{1,40}\.(jpg|jpeg|png)", rel):
        return None
    path = repo.root / rel
    return path.read_bytes() if path.is_file() else None
