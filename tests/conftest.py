"""Shared fixtures: a throw-away dossier repository and a way to run the real ``dangan`` CLI in it.

Every test gets its own repository under ``tmp_path``, so the suite is safe under ``pytest -n auto``.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
VALID = DATA / "valid.yaml"  # dossiers/C000001.yaml of the project, made to pass under DANGAN_TODAY=2026.11.25
TODAY = "2026.11.25"
BIN = Path(sys.executable).parent  # the venv's bin: dangan, pre-commit
DANGAN = str(BIN / "dangan")
# The code under test is this checkout's, whatever checkout the venv was installed from (a Git worktree shares
# the main checkout's .venv): first on sys.path here, and on PYTHONPATH for every dangan the tests start.
SCRIPTS = str(PROJECT / "scripts")
sys.path.insert(0, SCRIPTS)
os.environ["PYTHONPATH"] = os.pathsep.join([SCRIPTS, *filter(None, [os.environ.get("PYTHONPATH")])])
# an unmasked 18-character ID number; not a run of digits inside a lowercase hex commit or blob id (a 40-digit
# sha holds 18 decimal digits in a row now and then: that made tests reading diffs and logs fail at random)
FULL_ID = re.compile(r"(?<![0-9a-f])[0-9]{17}[0-9Xx](?![0-9a-f])")


def valid_bytes() -> bytes:
    return VALID.read_bytes()


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    e = dict(os.environ)
    e["DANGAN_TODAY"] = TODAY
    e["PATH"] = str(BIN) + os.pathsep + e.get("PATH", "")
    e.pop("DANGAN_ROOT", None)
    e.pop("DANGAN_DEBUG", None)
    # Git must not pick up the developer's or the machine's configuration (hooksPath, signing, templates).
    e["GIT_CONFIG_NOSYSTEM"] = "1"
    e["GIT_CONFIG_GLOBAL"] = os.devnull
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        e.pop(var, None)
    e["PRE_COMMIT_HOME"] = str(tmp_path / "pc")
    e["XDG_CACHE_HOME"] = str(tmp_path / "xdg-cache")  # dangan's cache key (cachefile): this test's own
    e["LC_ALL"] = "C.UTF-8"
    return e


def git(args: list[str], cwd: Path, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check)


def real_jpeg(size: tuple[int, int] = (30, 40), comment: bytes = b"") -> bytes:
    """A small real JPEG (an ID photo's proportions), made with Pillow as a camera or scanner would write one."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 170, 150)).save(out, "JPEG", quality=90, comment=comment)
    return out.getvalue()


@pytest.fixture(scope="module")
def project_clone(tmp_path_factory) -> Path:
    """A fresh clone of this project as a newcomer gets it (its bundled dossiers, ledgers and history), one a
    test module: the module's tests may build on each other's changes, no other module sees them."""
    where = tmp_path_factory.mktemp("clone") / "dangan"
    p = subprocess.run(["git", "clone", "-q", "--no-local", str(PROJECT), str(where)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return where


@pytest.fixture
def repo(tmp_path, env) -> Path:
    """A throw-away dossier repository: schema/, one valid dossier, a fresh Git repository."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copytree(PROJECT / "schema", root / "schema")
    (root / "dossiers").mkdir()
    (root / "dossiers" / "C000001.yaml").write_bytes(valid_bytes())
    git(["init", "-q", "-b", "main"], root, env)
    git(["config", "user.name", "测试员"], root, env)
    git(["config", "user.email", "tester@example.invalid"], root, env)
    git(["config", "commit.gpgsign", "false"], root, env)
    return root


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 120) -> tuple[int, str, str]:
    """Run ``dangan *args``; returns (exit code, stdout, stderr)."""
    p = subprocess.run([DANGAN, *map(str, args)], cwd=cwd, env=env, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


@pytest.fixture
def run():
    return _run


@pytest.fixture
def hooked(repo, env):
    """The throw-away repository with the project's pre-commit config and hook script, hooks installed."""
    shutil.copy2(PROJECT / ".pre-commit-config.yaml", repo / ".pre-commit-config.yaml")
    (repo / "scripts").mkdir()
    shutil.copy2(PROJECT / "scripts" / "run-dangan", repo / "scripts" / "run-dangan")
    assert os.stat(repo / "scripts" / "run-dangan").st_mode & stat.S_IXUSR
    # any attempt to reach the network fails at once instead of hanging
    env.update(http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9",
               HTTPS_PROXY="http://127.0.0.1:9", GIT_ALLOW_PROTOCOL="file", PIP_NO_INDEX="1")
    p = subprocess.run([str(BIN / "pre-commit"), "install"], cwd=repo, env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    assert (repo / ".git" / "hooks" / "pre-commit").is_file()
    return repo


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (DANGAN_NO_SKIP=1, set by .ci/run) a skipped test is a failure: everything a test needs is installed
    by scripts/bootstrap.sh, so a skip there means a test that silently stopped testing."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("DANGAN_NO_SKIP") == "1" and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.longrepr = f"CI 不允许跳过测试：{reason}"


# Unit tests call the library in-process; acceptance tests drive the real CLI, Git, pre-commit, MkDocs, Chromium or
# sshd in a throw-away repository. The split is by what a test uses, so a new test is filed without thinking:
# `pytest -m unit` is the quick loop (seconds), `pytest -m acceptance` the rest; `make test` runs both.
_REAL_PARTS = frozenset(("run", "repo", "project_clone", "hooked", "env", "served", "central", "office", "administered", "keys",
                         "project_site", "injected_site", "poisoned"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        real = _REAL_PARTS.intersection(getattr(item, "fixturenames", ())) or item.get_closest_marker("slow")
        item.add_marker(pytest.mark.acceptance if real else pytest.mark.unit)
