"""Reading what a form needs from the repository: the dossier, its photo, the kept .lrmx extras."""

from __future__ import annotations

import re

from ..repo import Repo


def load_dossier(repo: Repo, ref: str) -> dict:
    """The data of the dossier a command names (Repo.dossier); an unreadable one is refused."""
    return repo.read(repo.dossier(ref)).data


def photo_bytes(repo: Repo, data: dict) -> bytes | None:
    """The dossier's photo, if the file is there; only paths under photos/ (the schema's pattern) are read."""
    rel = data.get("照片")
    if not isinstance(rel, str) or not re.fullmatch(r"photos/[A-Za-z0-9_-]{1,40}\.(jpg|jpeg|png)", rel):
        return None
    path = repo.root / rel
    return path.read_bytes() if path.is_file() else None
