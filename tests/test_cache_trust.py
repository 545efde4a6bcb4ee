"""The caches run no code and are never trusted when they do not verify (issue 11: F18).

Whoever can write ``.git/dangan/`` must not run code in the next ``dangan`` command (the caches were
pickles), nor turn a T001 into an authorised change by editing the stored verdict.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from conftest import valid_bytes
from test_history_git import audit, birth, write_commit
from test_site import plant_caches

CACHE = (".git", "dangan")


def _t001(repo, env):
    write_commit(repo, env, "初始档案")
    return write_commit(repo, env, "改出生年月", birth(valid_bytes()))


def test_a_planted_pickle_runs_nothing_and_changes_nothing(repo, env, run, tmp_path):
    _t001(repo, env)
    marker = tmp_path / "PWNED"
    cache = repo.joinpath(*CACHE)
    plant_caches(cache, marker)
    code, out, _ = audit(run, repo, env)
    assert code == 1 and "T001 C000001  出生年月：1972.03 → 1972.05" in out
    checked = run(["check"], repo, env)
    assert checked == run(["check", "--no-cache"], repo, env)
    assert not marker.exists()
    assert not list(cache.glob("*.pickle"))  # the old caches are gone, never read
    for name in ("trail-index.json", "check-cache.json"):  # rewritten as verified JSON
        head = (cache / name).read_bytes().split(b"\n", 1)[0]
        assert head.startswith(b"dangan-cache 2 ") and len(head.split()[-1]) == 64
    # and the fresh caches serve a warm run with the same answer
    assert audit(run, repo, env)[:2] == (code, out)
    assert run(["check"], repo, env) == checked


def _flip(cache_file):
    """Edit the stored verdict: every change authorised (what F18 did to the pickle)."""
    head, _, body = cache_file.read_bytes().partition(b"\n")
    index = json.loads(body)
    flipped = 0
    for row in index["commits"].values():
        for d in row[8]:
            for c in d[5]:
                if c[5] and not c[6]:
                    c[6], c[7] = True, "认定记录第 1 条（伪造）"
                    flipped += 1
    assert flipped
    return head, json.dumps(index, ensure_ascii=False).encode()


def test_an_edited_index_is_not_believed(repo, env, run):
    _t001(repo, env)
    first = audit(run, repo, env)
    assert first[0] == 1 and "T001" in first[1]
    index = repo.joinpath(*CACHE, "trail-index.json")
    head, body = _flip(index)
    index.write_bytes(head + b"\n" + body)  # the old seal on new content
    assert audit(run, repo, env)[:2] == first[:2]
    index.write_bytes(body)  # no seal at all
    assert audit(run, repo, env)[:2] == first[:2]
    index.write_bytes(b"\xff" * 100)  # damaged
    assert audit(run, repo, env)[:2] == first[:2]
    rows = json.loads(index.read_bytes().partition(b"\n")[2])["commits"].values()  # rewritten from the history
    assert [c[6] for row in rows for d in row[8] for c in d[5] if c[5]] == [False]


def _seal(key_home, body: bytes) -> bytes:
    key = (key_home / "dangan" / "cache-key").read_bytes()
    return b"dangan-cache 2 trail " + hmac.new(key, b"trail\0" + body, hashlib.sha256).hexdigest().encode()


def test_a_cache_sealed_by_someone_else_is_not_believed(repo, env, run, tmp_path):
    """A repository copied in with its .git/dangan, forged and sealed with another user's key: ignored."""
    _t001(repo, env)
    first = audit(run, repo, env)
    home = tmp_path / "other-user"
    other = dict(env, XDG_CACHE_HOME=str(home))
    assert audit(run, repo, other)[:2] == first[:2]  # the other user's run seals the index with their key
    index = repo.joinpath(*CACHE, "trail-index.json")
    _head, body = _flip(index)
    index.write_bytes(_seal(home, body) + b"\n" + body)
    assert audit(run, repo, other)[0] == 0  # the forger fools only themselves: their key, their cache
    assert audit(run, repo, env)[:2] == first[:2]  # everyone else scans again
    assert (tmp_path / "xdg-cache" / "dangan" / "cache-key").stat().st_mode & 0o077 == 0
