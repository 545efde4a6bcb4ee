"""`dangan site [--unit 管档单位] [--out 目录]`: the real CLI running the real ``mkdocs build --strict``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TODAY = "2026.11.25"

pytestmark = pytest.mark.slow


def dangan(*args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess:
    env = dict(os.environ, DANGAN_TODAY=TODAY, NO_MKDOCS_2_WARNING="1")
    env.pop("DANGAN_ROOT", None)
    env.pop("DANGAN_SITE_UNIT", None)
    return subprocess.run([str(BIN / "dangan"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_whole_site_to_out(tmp_path):
    out = tmp_path / "整站"
    p = dangan("site", "--out", str(out))
    assert p.returncode == 0, p.stdout + p.stderr
    assert "站点已生成" in p.stdout
    assert (out / "index.html").is_file() and (out / "manual" / "site" / "index.html").is_file()
    dossiers = {q.stem for q in (PROJECT / "dossiers").glob("*.yaml")}
    assert {q.name for q in (out / "dossier").iterdir()} == dossiers


def test_out_that_would_be_emptied_is_refused(tmp_path):
    for out in (PROJECT / "dossiers", PROJECT):
        p = dangan("site", "--out", str(out))
        assert p.returncode == 2 and "错误：输出目录" in p.stderr, p.stderr
    other = tmp_path / "别的文件"
    other.mkdir()
    (other / "记录.txt").write_text("不能被清空", "utf-8")
    p = dangan("site", "--out", str(other))
    assert p.returncode == 2 and "不是空目录" in p.stderr
    assert (other / "记录.txt").is_file()
