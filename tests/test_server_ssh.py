"""The central repository behind a real OpenSSH sshd (127.0.0.1, throw-away keys) and behind gitolite3.

The pusher is the key that logged in (ExposeAuthInfo), found in the AuthorizedKeysFile sshd really uses;
nothing the client sends can rename it. Under gitolite, GL_USER (set by gitolite-shell) is trusted.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import TODAY, git
from server_helpers import commit_as, log_entries, push, remote_tip, roles_yaml
from sshd import Sshd, available, keygen, public
from test_check_cli import sub
from test_history_git import DOSSIER, birth

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not available(), reason="OpenSSH (sshd, ssh) not installed")]
SESSION = {"DANGAN_TODAY": TODAY, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "LC_ALL": "C.UTF-8"}
LOCAL = f"本地:{pwd.getpwuid(os.geteuid()).pw_name}"
# the line server.md gives for an account whose login shell is an ordinary shell
GIT_ONLY = 'restrict,command="git-shell -c \\"$SSH_ORIGINAL_COMMAND\\""'


def key_line(options: str, key: Path, comment: str) -> str:
    keytype, blob = public(key).split()[:2]
    return f"{options} {keytype} {blob} {comment}\n"


def fingerprint(key: Path) -> str:
    out = subprocess.run(["ssh-keygen", "-l", "-f", str(key)], capture_output=True, text=True, check=True).stdout
    return out.split()[1]


def over_ssh(env, server: Sshd, key: Path, *ssh_options: str) -> dict:
    return {**env, "GIT_SSH_COMMAND": " ".join([server.ssh_command(key), *ssh_options])}


@pytest.fixture
def keys(tmp_path):
    d = tmp_path / "keys"
    d.mkdir()
    return {name: keygen(d, name) for name in ("bob", "carol", "dave")}


def test_the_pusher_is_the_key_that_logged_in(tmp_path, run, env, repo, keys):
    """F15: custom AuthorizedKeysFile, no environment=: the log names the key's line, not the shared account."""
    authorized = (key_line(GIT_ONLY, keys["bob"], "市财政局-鲍勃")
                  + key_line(f'environment="REMOTE_USER=市教育局-卡罗尔",{GIT_ONLY}', keys["carol"], "carol-laptop")
                  + key_line(GIT_ONLY, keys["dave"], "dave"))
    with Sshd(tmp_path, authorized, SESSION) as server:
        bare = tmp_path / "central.git"
        code, out, err = run(["server", "init", bare, "--authorized-keys", server.authorized_keys], tmp_path, env)
        assert code == 0, out + err
        git(["remote", "add", "origin", server.url(bare)], repo, env)
        commit_as(repo, env, None, "初始档案")
        forged = {**over_ssh(env, server, keys["bob"], "-o SendEnv=REMOTE_USER", "-o SendEnv=GL_USERNAME"),
                  "REMOTE_USER": "市委组织部-管理员", "GL_USERNAME": "市委组织部-管理员"}
        p = push(repo, forged, "main")
        assert p.returncode == 0, p.stderr
        (repo / DOSSIER).write_bytes(sub("健康状况: 健康", "健康状况: 良好")((repo / DOSSIER).read_bytes()))
        commit_as(repo, env, None, "改健康状况")
        assert push(repo, over_ssh(env, server, keys["carol"]), "main").returncode == 0
        # an unauthorised 出生年月 over SSH is refused as on a local push
        (repo / DOSSIER).write_bytes(birth((repo / DOSSIER).read_bytes()))
        commit_as(repo, env, None, "改出生年月")
        p = push(repo, over_ssh(env, server, keys["dave"]), "main")
        assert p.returncode != 0 and "T001" in p.stderr, p.stderr
        git(["reset", "-q", "--hard", "HEAD~1"], repo, env)
        # without --authorized-keys the hook cannot see sshd's file: the key's fingerprint, never the account
        code, out, err = run(["server", "init", bare], tmp_path, env)
        assert code == 0, out + err
        (repo / DOSSIER).write_bytes(sub("健康状况: 良好", "健康状况: 一般")((repo / DOSSIER).read_bytes()))
        commit_as(repo, env, None, "再改")
        assert push(repo, over_ssh(env, server, keys["dave"]), "main").returncode == 0
    entries = log_entries(bare)
    assert [(e["pusher"], e["via"]) for e in entries] == [
        ("市财政局-鲍勃", "ssh"), ("市教育局-卡罗尔", "ssh"), (fingerprint(keys["dave"]), "ssh")]
    assert entries[0]["key"] == fingerprint(keys["bob"])
    assert all(e["pusher"] != pwd.getpwuid(os.geteuid()).pw_name for e in entries)
    code, out, err = run(["audit", "--pushes", bare], repo, env)
    assert code == 0 and "3 条" in err, out + err


def test_a_local_push_is_recorded_as_local_whatever_the_environment_says(tmp_path, run, env, repo):
    bare = tmp_path / "central.git"
    run(["server", "init", bare], tmp_path, env)
    git(["remote", "add", "origin", str(bare)], repo, env)
    commit_as(repo, env, None, "初始档案")
    forged = {**env, "GL_USERNAME": "市委组织部-管理员", "REMOTE_USER": "市委组织部-管理员", "GL_USER": "admin",
              "USER": "admin", "LOGNAME": "admin"}
    assert push(repo, forged, "main").returncode == 0
    [entry] = log_entries(bare)
    assert (entry["pusher"], entry["via"]) == (LOCAL, "本地")


def test_roles_over_ssh_judge_the_pusher_of_unsigned_commits(tmp_path, run, env, repo, keys):
    authorized = (key_line(GIT_ONLY, keys["bob"], "市财政局-鲍勃")
                  + key_line(GIT_ONLY, keys["carol"], "市教育局-卡罗尔"))
    with Sshd(tmp_path, authorized, SESSION) as server:
        bare = tmp_path / "central.git"
        run(["server", "init", bare, "--authorized-keys", server.authorized_keys], tmp_path, env)
        (repo / "schema" / "roles.yaml").write_text(roles_yaml(
            [LOCAL], {"市财政局": ["市财政局-鲍勃"], "市教育局": ["市教育局-卡罗尔"]}), "utf-8")
        commit_as(repo, env, None, "基线（管理员在服务器上推送）")
        git(["remote", "add", "local", str(bare)], repo, env)
        assert push(repo, env, "main", remote="local").returncode == 0
        git(["remote", "add", "origin", server.url(bare)], repo, env)
        before = remote_tip(bare, env)
        (repo / DOSSIER).write_bytes(sub("健康状况: 健康", "健康状况: 良好")((repo / DOSSIER).read_bytes()))
        commit_as(repo, env, None, "改市财政局的档案")
        p = push(repo, over_ssh(env, server, keys["carol"]), "main")
        assert p.returncode != 0 and remote_tip(bare, env) == before, p.stderr
        assert "P002" in p.stderr and "推送人 市教育局-卡罗尔" in p.stderr, p.stderr
        p = push(repo, over_ssh(env, server, keys["bob"]), "main")
        assert p.returncode == 0, p.stderr
        (repo / "schema" / "policy.yaml").write_text(
            (repo / "schema" / "policy.yaml").read_text("utf-8").replace("入党: 18", "入党: 17"), "utf-8")
        commit_as(repo, env, None, "放宽年龄红线")
        p = push(repo, over_ssh(env, server, keys["bob"]), "main")
        assert p.returncode != 0 and "P001" in p.stderr and "schema/policy.yaml" in p.stderr, p.stderr


@pytest.mark.skipif(shutil.which("gitolite") is None, reason="gitolite3 not installed")
def test_under_gitolite_the_pusher_is_gl_user(tmp_path, run, env, repo, keys):
    """gitolite3 (Debian) as the Git host: its own keydir and authorized_keys, our hooks in its repository."""
    home = tmp_path / "gitolite"
    home.mkdir()
    glenv = {**env, "HOME": str(home)}
    admin = keygen(tmp_path / "keys", "admin")
    shutil.copy(f"{admin}.pub", tmp_path / "admin.pub")  # gitolite names the user after the file: "admin"
    p = subprocess.run(["gitolite", "setup", "-pk", str(tmp_path / "admin.pub")], env=glenv, capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    for name in ("bob", "carol"):
        shutil.copy(f"{keys[name]}.pub", home / ".gitolite" / "keydir" / f"{name}.pub")
    with (home / ".gitolite" / "conf" / "gitolite.conf").open("a") as fh:
        fh.write("repo dangan\n    RW+ = @all\n")
    p = subprocess.run(["gitolite", "setup"], env=glenv, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    bare = home / "repositories" / "dangan.git"
    code, out, err = run(["server", "init", bare, "--host", "gitolite"], tmp_path, env)
    assert code == 0, out + err
    assert (bare / "hooks" / "update").is_symlink()  # gitolite's own access hook stays in place
    authorized = (home / ".ssh" / "authorized_keys").read_text()
    assert "gitolite-shell bob" in authorized
    with Sshd(tmp_path, authorized, {**SESSION, "HOME": str(home)}) as server:
        url = f"ssh://{server.user}@127.0.0.1:{server.port}/dangan"
        git(["remote", "add", "origin", url], repo, env)
        (repo / "schema" / "roles.yaml").write_text(roles_yaml(["admin"], {"市财政局": ["bob"], "市教育局": ["carol"]}),
                                                    "utf-8")
        commit_as(repo, env, None, "基线")
        p = push(repo, over_ssh(env, server, admin), "main")
        assert p.returncode == 0, p.stderr
        (repo / DOSSIER).write_bytes(sub("健康状况: 健康", "健康状况: 良好")((repo / DOSSIER).read_bytes()))
        commit_as(repo, env, None, "改市财政局的档案")
        p = push(repo, {**over_ssh(env, server, keys["carol"], "-o SendEnv=GL_USER"), "GL_USER": "bob"}, "main")
        assert p.returncode != 0 and "P002" in p.stderr and "推送人 carol" in p.stderr, p.stderr
        p = push(repo, over_ssh(env, server, keys["bob"]), "main")
        assert p.returncode == 0, p.stderr
    assert [(e["pusher"], e["via"]) for e in log_entries(bare)] == [("admin", "gitolite"), ("bob", "gitolite")]
    code, out, err = run(["audit", "--pushes", bare], repo, env)
    assert code == 0, out + err


def test_the_manual_gives_the_tested_lines():
    from conftest import PROJECT

    manual = (PROJECT / "docs" / "manual" / "server.md").read_text("utf-8")
    assert f"{GIT_ONLY} ssh-ed25519 AAAA… 市财政局-张三" in manual
    assert "restrict ssh-ed25519 AAAA… 市财政局-张三" in manual  # the git-shell account: no command= at all
