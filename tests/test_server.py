"""The central repository on real bare repositories with the shipped pre-receive hook: what a push cannot do."""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import FULL_ID, git
from test_check_cli import sub
from test_history_git import DOSSIER, authorised, birth
from test_precommit import commit, head


def push(clone, env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "push", "-q", "origin", *args], cwd=clone, env=env, capture_output=True, text=True,
                          timeout=300)


def save(clone, env, message, raw: bytes | None = None, *extra) -> str:
    if raw is not None:
        (clone / DOSSIER).write_bytes(raw)
    git(["add", "-A"], clone, env)
    p = commit(clone, env, message, "--no-verify", *extra)
    assert p.returncode == 0, p.stdout + p.stderr
    return head(clone, env)


def central_of(tmp_path, run, env, *options):
    bare = tmp_path / "central.git"
    code, out, err = run(["server", "init", bare, *options], tmp_path, env)
    assert code == 0, out + err
    return bare


def remote_head(bare, env) -> str | None:
    p = git(["rev-parse", "-q", "--verify", "refs/heads/main"], bare, env, check=False)
    return p.stdout.strip() or None


@pytest.fixture
def central(tmp_path, run, env, repo):
    bare = central_of(tmp_path, run, env)
    git(["remote", "add", "origin", str(bare)], repo, env)
    return bare


def test_init_sets_the_receive_rules(central, env):
    config = git(["config", "--list", "--file", "config"], central, env).stdout
    for setting in ("receive.denynonfastforwards=true", "receive.denydeletes=true", "receive.fsckobjects=true",
                    "core.logallrefupdates=always", "gc.reflogexpire=never", "gc.reflogexpireunreachable=never"):
        assert setting in config.lower()
    hook = (central / "hooks" / "pre-receive").read_text()
    assert "server pre-receive" in hook and (central / "dangan" / "push-log").is_file()


def test_good_push_is_logged_and_the_chain_verifies(central, repo, env, run):
    first = save(repo, env, "初始档案")
    p = push(repo, env, "main")
    assert p.returncode == 0, p.stderr
    assert remote_head(central, env) == first
    second = save(repo, env, "认定出生年月\n\n认定文号: 长组审〔2026〕3号", authorised(repo.joinpath(DOSSIER).read_bytes()))
    assert push(repo, env, "main").returncode == 0
    entries = [json.loads(x) for x in (central / "dangan" / "push-log").read_text().splitlines()]
    assert [(e["old"][:7], e["new"]) for e in entries] == [("0000000", first), (first[:7], second)]
    assert entries[1]["prev_hash"] == entries[0]["hash"] and entries[0]["time"].endswith("+00:00")
    code, out, err = run(["audit", "--pushes", central], repo, env)
    assert code == 0 and "2 条" in err and "完整" in err, out + err


def test_no_verify_bypass_is_refused_at_push(central, repo, env):
    first = save(repo, env, "初始档案")
    assert push(repo, env, "main").returncode == 0
    save(repo, env, "改出生年月", birth(repo.joinpath(DOSSIER).read_bytes()))  # --no-verify: no 认定记录
    p = push(repo, env, "main")
    assert p.returncode != 0 and remote_head(central, env) == first
    assert "拒绝推送" in p.stderr and "T001" in p.stderr and "出生年月" in p.stderr, p.stderr
    assert not FULL_ID.search(p.stderr)


def test_a_dossier_that_fails_check_is_refused_at_push(central, repo, env):
    save(repo, env, "初始档案")
    assert push(repo, env, "main").returncode == 0
    save(repo, env, "坏档案", sub("健康状况: 健康", "健康状况: [健康")(repo.joinpath(DOSSIER).read_bytes()))
    p = push(repo, env, "main")
    assert p.returncode != 0 and "dangan check" in p.stderr and "C000001" in p.stderr, p.stderr


def test_force_push_and_branch_deletion_are_refused(central, repo, env):
    save(repo, env, "初始档案")
    tip = save(repo, env, "改健康状况", sub("健康状况: 健康", "健康状况: 一般")(repo.joinpath(DOSSIER).read_bytes()))
    assert push(repo, env, "main").returncode == 0
    git(["reset", "-q", "--hard", "HEAD~1"], repo, env)
    save(repo, env, "另一个版本", sub("健康状况: 健康", "健康状况: 良好")(repo.joinpath(DOSSIER).read_bytes()))
    p = push(repo, env, "--force", "main")
    assert p.returncode != 0 and remote_head(central, env) == tip
    p = push(repo, env, ":main")
    assert p.returncode != 0 and remote_head(central, env) == tip


def test_the_hook_itself_refuses_rewrites_when_the_configs_are_lifted(central, repo, env):
    """Belt and braces: an administrator who loosens receive.* still has the hook."""
    save(repo, env, "初始档案")
    tip = save(repo, env, "改健康状况", sub("健康状况: 健康", "健康状况: 一般")(repo.joinpath(DOSSIER).read_bytes()))
    assert push(repo, env, "main").returncode == 0
    git(["config", "--file", "config", "receive.denyNonFastForwards", "false"], central, env)
    git(["config", "--file", "config", "receive.denyDeletes", "false"], central, env)
    git(["reset", "-q", "--hard", "HEAD~1"], repo, env)
    p = push(repo, env, "--force", "main")
    assert p.returncode != 0 and "强制推送" in p.stderr and remote_head(central, env) == tip
    p = push(repo, env, ":main")
    assert p.returncode != 0 and "删除" in p.stderr and remote_head(central, env) == tip


def test_tampered_push_log_is_detected(central, repo, env, run):
    save(repo, env, "初始档案")
    assert push(repo, env, "main").returncode == 0
    save(repo, env, "改健康状况", sub("健康状况: 健康", "健康状况: 一般")(repo.joinpath(DOSSIER).read_bytes()))
    assert push(repo, env, "main").returncode == 0
    log = central / "dangan" / "push-log"
    lines = log.read_text().splitlines()
    entry = json.loads(lines[0])
    entry["pusher"] = "别人"
    log.write_text("\n".join([json.dumps(entry, ensure_ascii=False, sort_keys=True), lines[1]]) + "\n")
    code, out, _ = run(["audit", "--pushes", log], repo, env)
    assert code == 1 and f"{log}:1:" in out and "改动" in out
    log.write_text(lines[1] + "\n")  # the first push removed
    code, out, _ = run(["audit", "--pushes", central], repo, env)
    assert code == 1 and ":1:" in out and "不相接" in out


# ---------------------------------------------------------------- signatures

def keygen(tmp_path, env, name: str, email: str):
    key = tmp_path / f"key-{name}"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", email, "-f", str(key)], env=env, check=True)
    return key, f'{email} namespaces="git" {key.with_suffix(".pub").read_text().strip()}\n'


@pytest.fixture
def signed(tmp_path, run, env, repo):
    """A central repository that requires signatures; the clerk's key is in allowed_signers."""
    bare = central_of(tmp_path, run, env, "--require-signatures")
    git(["remote", "add", "origin", str(bare)], repo, env)
    key, line = keygen(tmp_path, env, "clerk", "tester@example.invalid")
    (repo / "allowed_signers").write_text(line)
    git(["config", "gpg.format", "ssh"], repo, env)
    git(["config", "user.signingkey", str(key)], repo, env)
    git(["config", "gpg.ssh.allowedSignersFile", str(repo / "allowed_signers")], repo, env)
    first = save(repo, env, "初始档案", None, "-S")
    p = push(repo, env, "main")
    assert p.returncode == 0, p.stderr
    return bare, first


def test_signed_commits_are_accepted_and_shown_by_audit(signed, repo, env, run):
    bare, _first = signed
    tip = save(repo, env, "认定出生年月\n\n认定文号: 长组审〔2026〕3号", authorised(repo.joinpath(DOSSIER).read_bytes()),
               "-S")
    assert push(repo, env, "main").returncode == 0 and remote_head(bare, env) == tip
    code, out, _ = run(["audit"], repo, env)
    assert code == 0 and "签名：G 有效签名" in out, out
    code, out, _ = run(["audit", "--format", "json"], repo, env)
    assert json.loads(out)["问题"][0]["签名"].startswith("G"), out
    code, out, _ = run(["trail", "C000001"], repo, env)
    assert code == 0 and "签名：G 有效签名" in out, out


def test_unsigned_commit_is_refused(signed, repo, env):
    bare, first = signed
    save(repo, env, "改健康状况", sub("健康状况: 健康", "健康状况: 一般")(repo.joinpath(DOSSIER).read_bytes()),
         "--no-gpg-sign")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "没有签名" in p.stderr and remote_head(bare, env) == first, p.stderr


def test_unknown_key_is_refused_even_when_the_push_adds_it(signed, repo, env, tmp_path):
    bare, first = signed
    key, line = keygen(tmp_path, env, "intruder", "tester@example.invalid")
    # the push adds its own key to allowed_signers: the hook trusts the file as it was before the push
    with (repo / "allowed_signers").open("a") as fh:
        fh.write(line)
    git(["config", "user.signingkey", str(key)], repo, env)
    save(repo, env, "加一把钥匙", None, "-S")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "不在 allowed_signers" in p.stderr and remote_head(bare, env) == first, p.stderr


def test_signer_must_be_the_committer(signed, repo, env):
    bare, first = signed
    git(["config", "user.email", "someone-else@example.invalid"], repo, env)  # signs with the clerk's key
    save(repo, env, "冒名提交", sub("健康状况: 健康", "健康状况: 一般")(repo.joinpath(DOSSIER).read_bytes()), "-S")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "不符" in p.stderr and remote_head(bare, env) == first, p.stderr


def test_the_policy_file_can_require_signatures(central, repo, env):
    save(repo, env, "初始档案")
    assert push(repo, env, "main").returncode == 0
    policy = repo / "schema" / "policy.yaml"
    policy.write_text(policy.read_text("utf-8") + "\n签名:\n  要求: true\n", encoding="utf-8")
    second = save(repo, env, "要求签名")  # takes effect from the next push: the policy is read from before it
    assert push(repo, env, "main").returncode == 0
    # nor can a push lift the requirement for itself
    policy.write_text(policy.read_text("utf-8").replace("要求: true", "要求: false"), encoding="utf-8")
    save(repo, env, "取消签名要求")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "没有签名" in p.stderr and remote_head(central, env) == second, p.stderr


def test_a_tag_cannot_smuggle_unchecked_commits(central, repo, env):
    save(repo, env, "初始档案")
    assert push(repo, env, "main").returncode == 0
    save(repo, env, "改出生年月", birth(repo.joinpath(DOSSIER).read_bytes()))
    git(["tag", "-a", "-m", "标签", "v1"], repo, env)
    p = push(repo, env, "v1")
    assert p.returncode != 0 and "T001" in p.stderr, p.stderr
    p = push(repo, env, "HEAD:refs/notes/x")
    assert p.returncode != 0


def test_old_errors_in_untouched_dossiers_do_not_block_other_work(central, repo, env):
    """A date rule that moves with the calendar must not stop every unit's pushes: only what the push touches."""
    save(repo, env, "初始档案")
    assert push(repo, env, "main").returncode == 0
    env_later = {**env, "DANGAN_TODAY": "2027.06.30"}  # 2026's 年度考核 is now missing from C000001 (C502)
    other = sub("编号: C000001", "编号: C000002")(repo.joinpath(DOSSIER).read_bytes())
    from test_check_cli import VALID_ID, with_check

    other = other.replace(VALID_ID.encode(), with_check("14252119720315003").encode())
    (repo / "dossiers" / "C000002.yaml").write_bytes(other)
    save(repo, env_later, "新增二号")
    p = push(repo, env_later, "main")
    # the new dossier has the same gap and is refused; the old one is only noted
    assert p.returncode != 0 and "C000002" in p.stderr and "C000001.yaml" not in p.stderr, p.stderr
    git(["reset", "-q", "--hard", "HEAD~1"], repo, env)
    (repo / "说明.txt").write_text("与档案无关的改动\n", "utf-8")
    save(repo, env_later, "说明")
    p = push(repo, env_later, "main")
    assert p.returncode == 0 and "1 个既有错误" in p.stderr, p.stderr


def test_pusher_from_the_login_key_never_from_the_environment(tmp_path, monkeypatch, run, env):
    """The key sshd says logged in (ExposeAuthInfo), looked up where sshd looks; client-settable variables ignored."""
    from dangan.server import identity

    bare = tmp_path / "central.git"
    keys = tmp_path / "keys"
    keys.write_text('restrict,command="git-shell -c \\"$SSH_ORIGINAL_COMMAND\\"" ssh-ed25519 AAAAkey1 市财政局-张三\n'
                    'environment="REMOTE_USER=市教育局-李四",restrict ssh-ed25519 AAAAkey2 lisi-laptop\n'
                    "ssh-ed25519 AAAAkey3 王五 的 钥匙\n", "utf-8")
    code, out, err = run(["server", "init", bare, "--authorized-keys", keys], tmp_path, env)
    assert code == 0, out + err
    auth = tmp_path / "auth"
    for var in ("GL_USERNAME", "GL_USER", "GITEA_PUSHER_NAME", "REMOTE_USER", "SSH_CONNECTION", "SSH_CLIENT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SSH_USER_AUTH", str(auth))
    monkeypatch.setenv("REMOTE_USER", "市委组织部-管理员")  # a local pusher's forgery: never read on ssh
    monkeypatch.setenv("GL_USERNAME", "市委组织部-管理员")
    for blob, name in (("AAAAkey1", "市财政局-张三"), ("AAAAkey2", "市教育局-李四"), ("AAAAkey3", "王五 的 钥匙")):
        auth.write_text(f"publickey ssh-ed25519 {blob}\n", "utf-8")
        who = identity.current(bare, None)
        assert (who.name, who.via, who.principal) == (name, "ssh", name)
        assert who.key and who.key.startswith("SHA256:")
    signers = b'zhangsan@czj.example.invalid namespaces="git" ssh-ed25519 AAAAkey1\n'
    auth.write_text("publickey ssh-ed25519 AAAAkey1\n", "utf-8")
    assert identity.current(bare, signers).principal == "zhangsan@czj.example.invalid"  # the repository's name wins
    auth.write_text("publickey ssh-ed25519 AAAAdW5rbm93bg==\n", "utf-8")
    assert identity.current(bare, None).name.startswith("SHA256:")  # unknown key: its fingerprint, not the account
    monkeypatch.delenv("SSH_USER_AUTH")
    who = identity.current(bare, None)
    assert who.via == "本地" and who.name.startswith("本地:") and "管理员" not in who.name
    monkeypatch.setenv("SSH_CONNECTION", "127.0.0.1 5000 127.0.0.1 22")
    assert identity.current(bare, None).principal is None  # SSH without ExposeAuthInfo: nobody known
    git(["config", "--file", "config", "dangan.host", "gitolite"], bare, env)
    monkeypatch.setenv("GL_USER", "lisi")  # gitolite-shell sets it from the key; the hook trusts gitolite
    assert identity.current(bare, None).name == "lisi"
    monkeypatch.delenv("SSH_CONNECTION")  # ... not a local push that names itself
    assert identity.current(bare, None).via == "本地"


def test_the_code_table_names_every_push_refusal():
    import re

    from conftest import PROJECT

    package = PROJECT / "scripts" / "dangan"
    source = "\n".join(p.read_text("utf-8") for p in [*(package / "server").glob("*.py"), package / "roles.py"])
    emitted = set(re.findall(r"\b(P0[0-9]{2}) ", source))
    rows = set(re.findall(r"^\| (P[0-9]{3}) \|", (PROJECT / "docs" / "manual" / "codes.md").read_text("utf-8"), re.M))
    assert emitted and emitted == rows
