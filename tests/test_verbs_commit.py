"""`--commit`: a verb commits its change with the suggested message, through the real pre-commit hooks."""

from __future__ import annotations

import subprocess

from conftest import git


def _initial(repo, env):
    git(["add", "-A"], repo, env)
    p = subprocess.run(["git", "commit", "-q", "-m", "初始档案"], cwd=repo, env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr


def test_file_commit_uses_the_suggested_message_through_the_hooks(hooked, env, run):
    _initial(hooked, env)
    code, out, err = run(["file", "C000001", "--class", "10", "--title", "干部健康检查表", "--made", "2026.11.20",
                          "--pages", "2", "--commit"], hooked, env)
    assert code == 0, out + err
    assert "已提交" in out and "建议提交说明" not in out
    subject = git(["log", "-1", "--format=%s"], hooked, env).stdout.strip()
    assert subject.startswith("归档 C000001") and "干部健康检查表" in subject, subject
    assert git(["status", "--porcelain"], hooked, env).stdout == ""
    assert git(["rev-list", "--count", "HEAD"], hooked, env).stdout.strip() == "2"


def test_fmt_commit(hooked, env, run):
    _initial(hooked, env)
    dossier = hooked / "dossiers" / "C000001.yaml"
    dossier.write_text(dossier.read_text("utf-8").replace("性别: 男", '性别: "男"'), "utf-8")
    git(["commit", "-qam", "未整理", "--no-verify"], hooked, env)
    code, out, err = run(["fmt", "--commit"], hooked, env)
    assert code == 0, out + err
    assert git(["log", "-1", "--format=%s"], hooked, env).stdout.startswith("整理格式 C000001.yaml")
    assert git(["status", "--porcelain"], hooked, env).stdout == ""


def test_a_refused_commit_keeps_the_change_and_says_so(hooked, env, run):
    _initial(hooked, env)
    # another file with an error is staged by nobody: the verb commits only its own file, so it passes;
    # a hook that fails on the verb's own file is simulated by a broken pre-commit config
    (hooked / ".pre-commit-config.yaml").write_text("repos: [", "utf-8")
    code, out, err = run(["file", "C000001", "--class", "10", "--title", "干部健康检查表", "--made", "2026.11.20",
                          "--pages", "2", "--commit"], hooked, env)
    assert code == 1, out + err
    assert "提交被拒绝" in err and "git add dossiers/C000001.yaml" in err
    assert "干部健康检查表" in (hooked / "dossiers" / "C000001.yaml").read_text("utf-8")  # written, not committed
    assert git(["rev-list", "--count", "HEAD"], hooked, env).stdout.strip() == "1"
