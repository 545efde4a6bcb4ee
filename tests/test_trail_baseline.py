"""The trail baseline (issue 11): where a repository's trail starts, how it is declared, moved and refused.

Real Git, the real CLI, a real ``dangan server init`` repository with SSH-signed commits. What came before the
baseline is not counted by audit, trail, review, score, grade or the site; moving the baseline is always listed
(T208) and on the central repository only an administrator's signed commit may do it (P010); a declaration
that cannot be used is reported (T209) and the whole history judged.
"""

from __future__ import annotations

import json

from conftest import git, valid_bytes
from server_helpers import commit_as, people, push, remote_tip, roles_yaml
from test_history_git import DOSSIER, authorised, birth
from test_trail_cases import audit, birth_items, items, save

BASELINE = "ledgers/留痕基线.yaml"


def declare(repo, value: str, note: str = "纸质档案录入完成") -> None:
    (repo / BASELINE).parent.mkdir(exist_ok=True)
    (repo / BASELINE).write_text(f"# 留痕基线\n基线: {value}\n说明: {note}\n", "utf-8")


def altered(repo, env, month="1990.01"):
    (repo / DOSSIER).write_bytes(birth(valid_bytes(), month))
    return save(repo, env, "改出生年月（未经认定）")


def test_what_came_before_a_this_commit_baseline_is_not_counted(repo, env, run):
    save(repo, env, "初始档案")
    bad = altered(repo, env)
    code, found = audit(run, repo, env)
    assert code == 1 and birth_items(found, "T001", bad)
    declare(repo, "本提交")
    base = save(repo, env, "档案基线")
    code, found = audit(run, repo, env)
    assert code == 0 and not items(found, "T001"), found
    [moved] = items(found, "T208")  # moving the baseline is never hidden by the baseline
    assert moved["提交"] == base
    code, out, _err = run(["audit", "--format", "json"], repo, env)
    assert json.loads(out)["留痕基线"] == {"提交": base, "说明": "纸质档案录入完成"}
    code, out, err = run(["audit"], repo, env)
    assert code == 0 and f"留痕基线 {base[:10]}（纸质档案录入完成）之后：核对了 0 个提交" in err
    # what comes after is judged as ever
    later = altered(repo, env, "1991.01")
    code, found = audit(run, repo, env)
    assert code == 1 and birth_items(found, "T001", later) and not birth_items(found, "T001", bad)
    # a range is cut at the baseline too
    code, found = audit(run, repo, env, f"{bad}~1..HEAD")
    assert code == 1 and not birth_items(found, "T001", bad) and birth_items(found, "T001", later)


def test_trail_review_and_score_start_at_the_baseline(repo, env, run):
    save(repo, env, "初始档案")
    altered(repo, env)
    (repo / DOSSIER).write_bytes(valid_bytes())
    save(repo, env, "改回")  # the revert resolves the birth change; an open one before the baseline:
    (repo / DOSSIER).write_bytes(valid_bytes().replace('入党时间: "1995.06"'.encode(), '入党时间: "1995.01"'.encode()))
    save(repo, env, "改入党时间（未经认定）")
    code, out, _err = run(["review", "C000001", "--format", "json"], repo, env)
    assert "暂缓" in out, out
    declare(repo, "本提交")
    save(repo, env, "档案基线")
    code, out, _err = run(["review", "C000001", "--format", "json"], repo, env)
    assert code == 0 and "暂缓" not in out and "R103" not in out, out
    code, out, _err = run(["score", "C000001", "--format", "json"], repo, env)
    assert not any(v.startswith("涂改造假") for v in json.loads(out)["单项否决"]), out
    code, out, _err = run(["trail", "C000001"], repo, env)
    assert code == 0 and "1990.01" not in out and "此前的 4 次提交不列出" in out, out
    code, out, _err = run(["trail", "C000001", "--all"], repo, env)
    assert code == 0 and "1972.03 → 1990.01" in out, out


def test_a_baseline_named_by_id_survives_and_a_missing_one_is_reported_not_fatal(repo, env, run):
    save(repo, env, "初始档案")
    bad = altered(repo, env)
    declare(repo, bad)  # the commit where the paper dossiers were entered: its own state is where the trail starts
    save(repo, env, "声明留痕基线")
    code, found = audit(run, repo, env)
    assert code == 0 and not items(found, "T001") and len(items(found, "T208")) == 1, found
    declare(repo, "0123456789abcdef0123456789abcdef01234567")
    save(repo, env, "基线写错了")
    code, found = audit(run, repo, env)
    [problem] = items(found, "T209")
    assert "不在本分支的历史中" in problem["说明"] and not problem["严重"]
    assert code == 1 and birth_items(found, "T001", bad)  # not used: the whole history is judged
    (repo / BASELINE).write_text("基线: [1, 2]\n", "utf-8")
    save(repo, env, "基线格式不对")
    code, found = audit(run, repo, env)
    assert code == 1 and "无法使用" in items(found, "T209")[0]["说明"] and birth_items(found, "T001", bad)
    code, out, err = run(["review", "C000001"], repo, env)
    assert "Traceback" not in out + err


def test_a_re_rooted_repository_needs_no_declaration(repo, env, run):
    save(repo, env, "初始档案")
    altered(repo, env)
    git(["checkout", "-q", "--orphan", "基线"], repo, env)
    save(repo, env, "档案基线")
    code, found = audit(run, repo, env)
    assert code == 0 and found == [], found


def test_this_commit_survives_a_rebase(repo, env, run):
    save(repo, env, "初始档案")
    git(["checkout", "-q", "-b", "topic"], repo, env)
    bad = altered(repo, env)
    declare(repo, "本提交")
    save(repo, env, "档案基线")
    git(["checkout", "-q", "main"], repo, env)
    (repo / "schema" / "notes.txt").write_text("另一个分支上的提交\n", "utf-8")
    save(repo, env, "main 上的提交")
    git(["checkout", "-q", "topic"], repo, env)
    git(["rebase", "-q", "main"], repo, env)
    code, found = audit(run, repo, env)
    assert not any(i.get("提交") == bad for i in found)
    assert code == 0 and not items(found, "T001"), found


# ---------------------------------------------------------------- the central repository

def _central(tmp_path, run, env, repo):
    who = people(tmp_path)
    bare = tmp_path / "central.git"
    code, out, err = run(["server", "init", bare], tmp_path, env)
    assert code == 0, out + err
    git(["remote", "add", "origin", str(bare)], repo, env)
    (repo / "allowed_signers").write_text("".join(who[n].signer_line for n in ("alice", "bob")))
    (repo / "schema" / "roles.yaml").write_text(roles_yaml(
        [who["alice"].email], {"市委组织部": [who["alice"].email], "市财政局": [who["bob"].email]}), "utf-8")
    commit_as(repo, env, who["alice"], "中心库基线")
    p = push(repo, env, "main")
    assert p.returncode == 0, p.stderr
    return bare, who


def test_the_central_repository_takes_a_baseline_move_only_from_an_administrators_signed_commit(
        tmp_path, run, env, repo):
    bare, who = _central(tmp_path, run, env, repo)
    before = remote_tip(bare, env)
    for person, sign in ((who["bob"], True), (who["alice"], False)):
        declare(repo, "本提交")
        commit_as(repo, env, person, "移动留痕基线", sign=sign)
        p = push(repo, env, "main")
        assert p.returncode != 0 and "P010" in p.stderr and remote_tip(bare, env) == before, p.stderr
        git(["reset", "-q", "--hard", before], repo, env)
    declare(repo, "本提交")
    tip = commit_as(repo, env, who["alice"], "移动留痕基线")
    p = push(repo, env, "main")
    assert p.returncode == 0 and remote_tip(bare, env) == tip, p.stderr


def test_a_push_cannot_move_the_baseline_past_its_own_alteration(tmp_path, run, env, repo):
    bare, who = _central(tmp_path, run, env, repo)
    before = remote_tip(bare, env)
    (repo / DOSSIER).write_bytes(birth(valid_bytes(), "1990.01"))
    commit_as(repo, env, who["alice"], "改出生年月")
    declare(repo, "本提交")
    commit_as(repo, env, who["alice"], "把基线移到改动之后")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "T001" in p.stderr and "出生年月" in p.stderr, p.stderr
    assert remote_tip(bare, env) == before
    # with its 认定 the same administrator's push goes through, and the baseline moves
    git(["reset", "-q", "--hard", before], repo, env)
    (repo / DOSSIER).write_bytes(authorised(valid_bytes()))
    commit_as(repo, env, who["alice"], "认定出生年月")
    declare(repo, "本提交")
    tip = commit_as(repo, env, who["alice"], "移动留痕基线")
    p = push(repo, env, "main")
    assert p.returncode == 0 and remote_tip(bare, env) == tip, p.stderr
