"""The push log through real pushes: written after the refs move, checked against refs and reflogs, repairable."""

from __future__ import annotations

import hashlib
import json
import subprocess
import threading

import pytest

from conftest import git
from server_helpers import commit_as, log_entries, people, push, remote_tip, roles_yaml
from test_check_cli import sub
from test_history_git import DOSSIER

HEALTH = ("健康", "良好", "一般", "较差", "健康")


@pytest.fixture
def central(tmp_path, run, env, repo):
    bare = tmp_path / "central.git"
    code, out, err = run(["server", "init", bare], tmp_path, env)
    assert code == 0, out + err
    git(["remote", "add", "origin", str(bare)], repo, env)
    return bare


def pushes(repo, env, n: int) -> list[str]:
    """n accepted pushes, the first one the baseline; returns the tips."""
    tips = []
    for i in range(n):
        if i:
            raw = (repo / DOSSIER).read_bytes()
            (repo / DOSSIER).write_bytes(sub(f"健康状况: {HEALTH[i - 1]}", f"健康状况: {HEALTH[i]}")(raw))
        tips.append(commit_as(repo, env, None, f"第 {i + 1} 次"))
        p = push(repo, env, "main")
        assert p.returncode == 0, p.stderr
    return tips


def audit(run, repo, env, target, *extra):
    return run(["audit", "--pushes", target, *extra], repo, env)


def test_each_accepted_push_is_one_line_written_after_the_update(central, repo, env, run):
    tips = pushes(repo, env, 2)
    entries = log_entries(central)
    assert [(e["ref"], e["new"]) for e in entries] == [("refs/heads/main", t) for t in tips]
    assert entries[0]["old"] == "0" * 40 and entries[1]["old"] == tips[0]
    assert entries[0]["via"] == "本地" and entries[0]["pusher"].startswith("本地:")
    assert entries[1]["prev_hash"] == entries[0]["hash"] and entries[0]["time"].endswith("+00:00")
    code, out, err = audit(run, repo, env, central)
    assert code == 0 and "2 条" in err and "完整" in err, out + err


def test_an_update_git_then_rejects_gets_no_line(central, repo, env, run):
    """F11: the hooks accept, then git fails to lock the ref — the log must not claim the push."""
    pushes(repo, env, 1)
    (repo / DOSSIER).write_bytes(sub("健康状况: 健康", "健康状况: 良好")((repo / DOSSIER).read_bytes()))
    commit_as(repo, env, None, "被拒绝的更新")
    lock = central / "refs" / "heads" / "main.lock"
    lock.write_text("")  # another update of main in progress: git cannot take the ref's lock
    p = push(repo, env, "main")
    lock.unlink()
    assert p.returncode != 0 and "推送检查通过" in p.stderr and "lock" in p.stderr, p.stderr
    assert len(log_entries(central)) == 1
    code, out, err = audit(run, repo, env, central)
    assert code == 0, out + err


def test_two_pushes_at_once_log_exactly_what_git_did(tmp_path, central, repo, env, run):
    pushes(repo, env, 1)
    clones = []
    for name in ("a", "b"):
        clone = tmp_path / name
        git(["clone", "-q", str(central), str(clone)], tmp_path, env)
        git(["config", "user.name", name], clone, env)
        git(["config", "user.email", f"{name}@example.invalid"], clone, env)
        (clone / DOSSIER).write_bytes(sub("健康状况: 健康", f"健康状况: {'良好' if name == 'a' else '一般'}")(
            (clone / DOSSIER).read_bytes()))
        commit_as(clone, env, None, f"{name} 的改动")
        clones.append(clone)
    results = {}
    threads = [threading.Thread(target=lambda c=c: results.update({c: push(c, env, "main")})) for c in clones]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    accepted = [c for c in clones if results[c].returncode == 0]
    assert len(accepted) == 1, [r.stderr for r in results.values()]
    entries = log_entries(central)
    assert len(entries) == 2 and entries[-1]["new"] == remote_tip(central, env)
    code, out, err = audit(run, repo, env, central)
    assert code == 0, out + err


def test_a_cut_tail_an_emptied_log_and_a_bypassed_push_are_reported(central, repo, env, run):
    tips = pushes(repo, env, 3)
    log = central / "dangan" / "push-log"
    lines = log.read_text().splitlines()
    log.write_text("\n".join(lines[:-1]) + "\n")  # the last line dropped
    code, out, _ = audit(run, repo, env, central)
    assert code == 1 and "推送记录中没有这一行" in out and tips[2][:10] in out, out
    log.write_text("")
    code, out, _ = audit(run, repo, env, central)
    assert code == 1 and "推送记录为空" in out, out
    log.write_text("\n".join(lines) + "\n")
    assert audit(run, repo, env, central)[0] == 0
    git(["update-ref", "refs/heads/main", tips[1], tips[2]], central, env)  # someone on the server, no push
    code, out, _ = audit(run, repo, env, central)
    assert code == 1 and "没有这一行" in out and "现在指向" in out, out


def _rechain(entries: list[dict]) -> str:
    prev = "0" * 64
    out = []
    for e in entries:
        e = {k: v for k, v in e.items() if k != "hash"}
        e["prev_hash"] = prev
        body = json.dumps(e, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        e["hash"] = prev = hashlib.sha256((e["prev_hash"] + body).encode()).hexdigest()
        out.append(json.dumps(e, ensure_ascii=False, sort_keys=True))
    return "\n".join(out) + "\n"


def test_a_consistent_rewrite_is_caught_by_an_outside_anchor(central, repo, env, run):
    pushes(repo, env, 2)
    log = central / "dangan" / "push-log"
    anchor = log_entries(central)[-1]["hash"]  # what a second machine saved
    assert audit(run, repo, env, central, "--anchor", anchor)[0] == 0
    forged = log_entries(central)
    forged[0]["pusher"] = "市委组织部-管理员"
    log.write_text(_rechain(forged))
    code, out, err = audit(run, repo, env, central)
    assert code == 0, out + err  # the chain itself is consistent: only an outside copy can tell
    code, out, _ = audit(run, repo, env, central, "--anchor", anchor)
    assert code == 1 and "不在推送记录中" in out, out
    code, out, err = audit(run, repo, env, central, "--anchor", "xyz")
    assert code == 1 and "64 位" in out, out + err
    code, _out, err = run(["audit", "--anchor", anchor], repo, env)
    assert code == 2 and "--pushes" in err


@pytest.mark.parametrize("bad", [
    '{"hash": "%s", "prev_hash": {"a": 1}}',
    "[1, 2]",
    '"abc"',
    '{"hash": 5}',
    '{"hash": NaN}',
    '{"hash": "a", "hash": "b"}',
    "\xff\xfe not text",
    '{"broken',
])
def test_malformed_lines_are_findings_never_crashes(central, repo, env, run, bad):
    pushes(repo, env, 2)
    log = central / "dangan" / "push-log"
    lines = log.read_bytes().splitlines()
    text = bad % ("0" * 64) if "%s" in bad else bad
    log.write_bytes(lines[0] + b"\n" + text.encode("latin-1" if "\xff" in text else "utf-8") + b"\n" + lines[1] + b"\n")
    code, out, err = audit(run, repo, env, central)
    assert code == 1, out + err
    assert f"{log}:2:" in out and "Traceback" not in err, out + err


@pytest.fixture
def administered(tmp_path, run, env, repo, central):
    """A central repository with roles and allowed_signers; alice administers, bob is a clerk."""
    who = people(tmp_path)
    (repo / "allowed_signers").write_text(who["alice"].signer_line + who["bob"].signer_line)
    (repo / "schema" / "roles.yaml").write_text(roles_yaml([who["alice"].email], {"市财政局": [who["bob"].email]}),
                                                "utf-8")
    commit_as(repo, env, who["alice"], "基线")
    assert push(repo, env, "main").returncode == 0
    return who


def test_a_corrupt_tail_stops_pushes_until_an_administrator_repairs_it(administered, central, repo, env, run):
    who = administered
    log = central / "dangan" / "push-log"
    with log.open("a") as fh:
        fh.write('{"broken\n')
    (repo / DOSSIER).write_bytes(sub("健康状况: 健康", "健康状况: 良好")((repo / DOSSIER).read_bytes()))
    tip = commit_as(repo, env, who["bob"], "改健康状况")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "P009" in p.stderr and "repair-log" in p.stderr, p.stderr
    assert "JSONDecodeError" not in p.stderr and "Traceback" not in p.stderr
    code, _out, err = run(["server", "repair-log", central, "--key", who["bob"].key], repo, env)
    assert code == 1 and "不是" in err and "管理员" in err, err
    code, _out, err = run(["server", "repair-log", central, "--key", who["mallory"].key], repo, env)
    assert code == 1 and "allowed_signers" in err, err
    code, out, err = run(["server", "repair-log", central, "--key", who["alice"].key], repo, env)
    assert code == 0 and "移去末尾损坏的 1 行" in out, out + err
    saved = list((central / "dangan").glob("push-log.damaged-*"))
    assert len(saved) == 1 and saved[0].read_text() == '{"broken\n'
    p = push(repo, env, "main")
    assert p.returncode == 0 and remote_tip(central, env) == tip, p.stderr
    code, out, err = audit(run, repo, env, central)
    assert code == 0 and "管理员 alice@zzb.example.invalid" in out and "修复了推送记录" in out, out + err
    entries = log_entries(central)
    assert entries[1]["kind"] == "repair" and entries[2]["prev_hash"] == entries[1]["hash"]
    # a repair entry cannot be forged: change it and its signature no longer holds
    forged = entries[:]
    forged[1] = {**forged[1], "dropped": 0}
    log.write_text(_rechain(forged))
    code, out, _ = audit(run, repo, env, central)
    assert code == 1 and "签名" in out, out


def test_a_lost_line_is_covered_by_the_repair(administered, central, repo, env, run):
    """A half-written last line: that update is in the reflog; the repair records it, signed."""
    who = administered
    (repo / DOSSIER).write_bytes(sub("健康状况: 健康", "健康状况: 良好")((repo / DOSSIER).read_bytes()))
    tip = commit_as(repo, env, who["bob"], "改健康状况")
    assert push(repo, env, "main").returncode == 0
    log = central / "dangan" / "push-log"
    data = log.read_bytes()
    log.write_bytes(data[:-40])  # the last line cut off mid-way
    code, out, _ = audit(run, repo, env, central)
    assert code == 1 and ":2:" in out and tip[:10] in out, out
    code, out, err = run(["server", "repair-log", central, "--key", who["alice"].key], repo, env)
    assert code == 0 and "补记 1 次" in out, out + err
    code, out, err = audit(run, repo, env, central)
    assert code == 0 and "补记 1 次" in out, out + err
    code, out, err = run(["server", "repair-log", central, "--key", who["alice"].key], repo, env)
    assert code == 0 and "无需修复" in out, out + err


def test_the_log_file_alone_is_checked_as_a_chain(central, repo, env, run, tmp_path):
    pushes(repo, env, 2)
    copy = tmp_path / "push-log.copy"
    copy.write_bytes((central / "dangan" / "push-log").read_bytes())  # what a second machine keeps (scp)
    code, out, err = audit(run, repo, env, copy)
    assert code == 0 and "2 条" in err, out + err
    code, out, err = audit(run, repo, env, tmp_path / "missing")
    assert code == 1 and "找不到推送记录" in out, out + err


def test_status_of_a_repository_without_reflogs_is_reported(central, repo, env, run):
    pushes(repo, env, 1)
    subprocess.run(["rm", "-rf", str(central / "logs")], check=True)
    code, out, _ = audit(run, repo, env, central)
    assert code == 1 and "没有 reflog" in out, out
