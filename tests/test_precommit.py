"""The real pre-commit framework with the project's own hook configuration, in a throw-away repository."""

from __future__ import annotations

import os
import shutil
import subprocess

from conftest import FULL_ID, git, valid_bytes
from test_check_cli import OTHER_ID, VALID_ID, sub


def commit(repo, env, message: str, *extra) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "commit", "-m", message, *extra], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=300)


def head(repo, env) -> str | None:
    p = git(["rev-parse", "--verify", "-q", "HEAD"], repo, env, check=False)
    return p.stdout.strip() or None


def first_commit(repo, env):
    git(["add", "-A"], repo, env)
    p = commit(repo, env, "初始档案")
    assert p.returncode == 0, p.stdout + p.stderr
    return head(repo, env)


def test_valid_dossier_is_committed(hooked, env):
    assert head(hooked, env) is None
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "初始档案")
    out = p.stdout + p.stderr
    assert p.returncode == 0, out
    assert head(hooked, env) is not None
    # both hooks ran (not skipped for want of files) and passed
    assert "档案检查" in out and "跨档案检查" in out
    assert "Passed" in out and "Failed" not in out
    # only the ledger and code hooks may skip: this commit touches no ledgers/ and no Python code
    assert [line for line in out.splitlines() if "Skipped" in line and "登记簿" not in line and "程序代码" not in line] == []
    assert git(["ls-files", "dossiers"], hooked, env).stdout.split() == ["dossiers/C000001.yaml"]
    # pre-commit set up nothing from the network: its home holds no cloned hook repositories
    home = env["PRE_COMMIT_HOME"]
    assert os.path.isdir(home)  # it used the home we gave it, not ~/.cache/pre-commit
    assert not [d for d in os.listdir(home) if d.startswith("repo")]


def test_invalid_dossier_is_refused(hooked, env):
    before = first_commit(hooked, env)
    path = hooked / "dossiers" / "C000001.yaml"
    path.write_bytes(sub("民族: 汉族", "民族: 汉")(valid_bytes()))
    git(["add", "dossiers/C000001.yaml"], hooked, env)
    p = commit(hooked, env, "改民族")
    out = p.stdout + p.stderr
    assert p.returncode != 0
    assert head(hooked, env) == before  # nothing committed
    assert "dossiers/C000001.yaml:6:5: 错误 S005" in out
    assert "汉族" in out and "不是规定的写法" in out
    assert "Failed" in out
    assert "Traceback" not in out and not FULL_ID.search(out)
    # the change is still staged, for the clerk to fix
    assert git(["diff", "--cached", "--name-only"], hooked, env).stdout.split() == ["dossiers/C000001.yaml"]


def test_unreadable_dossier_is_refused(hooked, env):
    before = first_commit(hooked, env)
    (hooked / "dossiers" / "C000002.yaml").write_bytes("编号: C000002\n姓名: 王建国\n".encode("gbk"))
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "新档案")
    out = p.stdout + p.stderr
    assert p.returncode != 0
    assert head(hooked, env) == before
    assert "dossiers/C000002.yaml:1:1: 错误 L004" in out and "GBK" in out


def test_duplicate_number_is_refused_by_cross_hook(hooked, env):
    before = first_commit(hooked, env)
    # C000001.yml passes the per-file hook (file name = 编号), only the cross-file hook can see the duplicate
    raw = sub(VALID_ID, OTHER_ID)(valid_bytes())
    (hooked / "dossiers" / "C000001.yml").write_bytes(raw)
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "重复编号")
    out = p.stdout + p.stderr
    assert p.returncode != 0, out
    assert head(hooked, env) == before
    lines = out.splitlines()
    per_file = next(line for line in lines if line.startswith("档案检查"))
    cross = next(line for line in lines if line.startswith("跨档案检查"))
    assert per_file.endswith("Passed"), out
    assert cross.endswith("Failed"), out
    assert "dossiers/C000001.yaml:2:" in out and "dossiers/C000001.yml:2:" in out
    assert "X001" in out and "编号“C000001”重复" in out


def test_no_verify_bypasses_the_hooks_and_check_catches_it(hooked, env, run):
    before = first_commit(hooked, env)
    (hooked / "dossiers" / "C000001.yaml").write_bytes(sub("民族: 汉族", "民族: 汉")(valid_bytes()))
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "跳过检查", "--no-verify")
    assert p.returncode == 0, p.stdout + p.stderr
    assert head(hooked, env) != before
    assert "档案检查" not in p.stdout + p.stderr  # the hooks did not run
    # what CI runs on the pushed tree catches it
    code, out, _err = run(["check"], hooked, env)
    assert code == 1 and "S005" in out


def test_project_code_is_linted_by_ruff(hooked, env):
    """The project's own Python code passes ruff before it is committed (a local hook, no download)."""
    from conftest import PROJECT

    first_commit(hooked, env)
    shutil.copy2(PROJECT / "scripts" / "run-tool", hooked / "scripts" / "run-tool")
    code = hooked / "scripts" / "tool.py"
    code.write_text("import os\n\n\ndef f():\n    return 1\n", encoding="utf-8")
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "加一个脚本")
    assert p.returncode != 0 and "F401" in p.stdout + p.stderr, p.stdout + p.stderr
    code.write_text("def f():\n    return 1\n", encoding="utf-8")
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "加一个脚本")
    assert p.returncode == 0 and "程序代码检查" in p.stdout + p.stderr, p.stdout + p.stderr
