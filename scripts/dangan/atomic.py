"""Atomic writes: a temp file in the same directory, fsync, then rename. Never half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails with FileExistsError instead of clobbering
            os.unlink(tmp)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save_pickle(path: Path, payload) -> bool:
    """Write a cache atomically; False when the place is read-only (the caller just runs uncached)."""
    import pickle

    try:
        write_atomic(path, pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL), overwrite=True)
        return True
    except OSError:
        return False
