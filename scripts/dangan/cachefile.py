"""The caches (``.git/dangan/``, ``.dangan-cache/``): JSON, sealed with a key of this user. Never code.

A cache only saves time, so it must never change an answer: reading one runs no code (JSON, not pickle),
and one that this user's dangan did not write as it is — another format or version, damaged, edited,
planted, copied in with someone else's repository — does not verify and is ignored: the caller starts
over (a cold run) and writes a fresh one.

The seal is an HMAC-SHA256 over the kind and the body, keyed by 32 random bytes kept outside the
repository (``$XDG_CACHE_HOME/dangan/cache-key``, by default ``~/.cache/dangan/cache-key``, mode 0600).
Whoever can write the repository's cache but not that key cannot make dangan trust a cache. Without a
usable key (no home directory, read-only) dangan runs uncached.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .atomic import write_atomic

MAGIC = b"dangan-cache 2"
_KEY_BYTES = 32
_key_cache: dict[str, bytes | None] = {}


def key_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dangan" / "cache-key"


def _new_key(path: Path) -> None:
    """32 random bytes, readable by this user only (mkstemp's 0600), linked into place: never replaces a key."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cache-key.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(os.urandom(_KEY_BYTES))
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)
    finally:
        os.unlink(tmp)


def _key() -> bytes | None:
    path = key_path()
    where = str(path)
    if where in _key_cache:
        return _key_cache[where]
    key = None
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            _new_key(path)
        except FileExistsError:
            pass  # another dangan made it just now: read theirs
        except OSError:
            key = b""
        if key is None:
            try:
                key = path.read_bytes()
            except OSError:
                key = b""
    except OSError:
        key = b""
    key = key if len(key) == _KEY_BYTES else None
    _key_cache[where] = key
    return key


def tag(text: str) -> str | None:
    """A short keyed digest of ``text`` (6 hex digits), the same for this user every time, None without a key.

    Lets two renderings made apart (git's textconv renders each version alone) show *that* a hidden part
    differs without showing the part: without the key the digest cannot be reversed, even for a few digits.
    """
    key = _key()
    if key is None:
        return None
    return hmac.new(key, b"tag\0" + text.encode(), hashlib.sha256).hexdigest()[:6]


def _seal(key: bytes, kind: str, body: bytes) -> str:
    return hmac.new(key, kind.encode() + b"\0" + body, hashlib.sha256).hexdigest()


def load(path: Path, kind: str, object_pairs_hook: Callable[[list], Any] | None = None) -> Any:
    """The cached value, or None when there is none that verifies (missing, another kind, damaged, not ours).

    ``object_pairs_hook``: json.loads' own (the site cache shares its repeated strings through it)."""
    key = _key()
    if key is None:
        return None
    try:
        raw = Path(path).read_bytes()
        head, _, body = raw.partition(b"\n")
        parts = head.split(b" ")
        if len(parts) != 4 or b" ".join(parts[:2]) != MAGIC or parts[2] != kind.encode():
            return None
        if not hmac.compare_digest(parts[3], _seal(key, kind, body).encode()):
            return None
        return json.loads(body, object_pairs_hook=object_pairs_hook)
    except (OSError, ValueError, RecursionError):
        return None


def save(path: Path, kind: str, value: Any) -> bool:
    """Write the cache atomically; False when it cannot be (read-only, no key): the next run is just slower."""
    key = _key()
    if key is None:
        return False
    path = Path(path)
    try:
        body = json.dumps(value, ensure_ascii=False, separators=(",", ":"), check_circular=False).encode()
    except (TypeError, ValueError):
        return False
    try:
        write_atomic(path, b"%s %s %s\n" % (MAGIC, kind.encode(), _seal(key, kind, body).encode()) + body,
                     overwrite=True)
    except OSError:
        return False
    for old in path.parent.glob("*.pickle"):  # what older versions wrote: never read again, so not kept
        try:
            old.unlink()
        except OSError:
            pass
    return True
