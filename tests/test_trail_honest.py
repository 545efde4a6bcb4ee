"""Honest corrections end honestly (issue 11, d5 and d6).

Undoing an unauthorised change resolves it: listed still, marked 已撤销, no longer open in audit, review,
score, grade or the site. Rewriting commits that never left this clone (``--amend``, ``reset``, rebase: what
docs/manual/privacy.md advises) is no T004; rewriting anything pushed still is.
"""

from __future__ import annotations

import json

from conftest import git, valid_bytes
from test_check_cli import sub
from test_history_git import DOSSIER, audit, birth, write_commit

HEALTH = sub("健康状况: 健康", "健康状况: 一般")


def _items(run, repo, env, *args):
    code, out, err = run(["audit", "--format", "json", *args], repo, env)
    assert "Traceback" not in out + err, out + err
    return code, json.loads(out)["问题"]


def test_a_revert_resolves_the_alteration(repo, env, run):
    write_commit(repo, env, "初始档案")
    bad = write_commit(repo, env, "更新 C000001 信息", birth(valid_bytes()))
    assert audit(run, repo, env)[0] == 1
    assert "涂改造假" in run(["score", "C000001", "--format", "json"], repo, env)[1]
    assert sum(u["未经认定改动"] for u in json.loads(run(["grade", "--format", "json"], repo, env)[1])["单位"]) == 1
    git(["revert", "--no-edit", "HEAD"], repo, env)  # git revert runs no pre-commit hook
    fix = git(["rev-parse", "HEAD"], repo, env).stdout.strip()
    code, out, err = audit(run, repo, env)
    assert code == 0, out + err
    [line] = [x for x in out.splitlines() if x.startswith("T001")]
    assert "出生年月：1972.03 → 1972.05" in line and f"已撤销（提交 {fix[:10]}）" in line and bad[:10] in line
    [line] = [x for x in out.splitlines() if x.startswith("T000")]
    assert "出生年月：1972.05 → 1972.03" in line and f"撤销提交 {bad[:10]}" in line
    code, found = _items(run, repo, env)
    assert code == 0 and not [i for i in found if i["严重"]]
    assert [i["变动"]["已撤销"] for i in found if i["代码"] == "T001"] == [fix]
    # the same in trail, and review, score and grade count nothing open
    code, out, _ = run(["trail", "C000001"], repo, env)
    assert f"已撤销（提交 {fix[:10]}）" in out
    code, out, _ = run(["review", "C000001"], repo, env)
    assert "✗ 未经认定" not in out and f"已撤销（提交 {fix[:10]}）" in out and "有未经认定的改动" not in out
    code, out, _ = run(["score", "C000001", "--format", "json"], repo, env)
    assert "涂改造假" not in out
    code, out, _ = run(["grade", "--format", "json"], repo, env)
    assert sum(u["未经认定改动"] for u in json.loads(out)["单位"]) == 0


def test_typing_the_value_back_resolves_a_chain_but_a_third_value_does_not(repo, env, run):
    write_commit(repo, env, "初始档案")
    first = write_commit(repo, env, "改一", birth(valid_bytes(), "1972.05"), DOSSIER, "--no-verify")
    second = write_commit(repo, env, "改二", birth(valid_bytes(), "1972.07"), DOSSIER, "--no-verify")
    code, found = _items(run, repo, env)
    assert code == 1 and len([i for i in found if i["代码"] == "T001" and i["严重"]]) == 2
    write_commit(repo, env, "改三", birth(valid_bytes(), "1972.05"), DOSSIER, "--no-verify")  # back to the first lie
    code, found = _items(run, repo, env)
    assert code == 1 and len([i for i in found if i["代码"] == "T001" and i["严重"]]) == 3
    back = write_commit(repo, env, "改回", valid_bytes(), DOSSIER, "--no-verify")  # back to the truth
    code, found = _items(run, repo, env)
    assert code == 0, found
    undone = [i for i in found if i["代码"] == "T001"]
    assert len(undone) == 3 and all(i["变动"]["已撤销"] == back for i in undone)
    assert {first, second} <= {i["提交"] for i in undone}


def _determined(raw: bytes, old: str, new: str, number: str) -> bytes:
    """The dossier with 出生年月 ``new`` and one more 认定 (原值 ``old`` → 认定值 ``new``)."""
    text = raw.decode()
    text = text.replace(text.split("出生年月: ", 1)[1].split("\n", 1)[0], f'"{new}"', 1)
    entry = (f"  - 项目: 出生年月\n    原值: \"{old}\"\n    认定值: \"{new}\"\n    依据: [\"1-1\", \"6-1\"]\n"
             f"    认定机关: 中共长治市委组织部\n    认定日期: \"2026.11.20\"\n    文号: 长组审〔2026〕{number}号\n")
    text = text.replace("认定记录: []\n", "认定记录:\n" + entry) if "认定记录: []" in text else text.replace(
        "认定记录:\n", "认定记录:\n" + entry, 1)
    return text.encode()


def test_a_determination_back_resolves_but_one_of_the_altered_value_does_not(repo, env, run):
    """Going back resolves (with a 认定 too); making the altered value official leaves the alteration open."""
    write_commit(repo, env, "初始档案")
    write_commit(repo, env, "改", birth(valid_bytes()), DOSSIER, "--no-verify")
    back = _determined(valid_bytes(), "1972.05", "1972.03", "9")
    write_commit(repo, env, "认定改回", back, DOSSIER, "--no-verify")
    assert _items(run, repo, env)[0] == 0
    moved = back.replace('出生年月: "1972.03"'.encode(), '出生年月: "1972.06"'.encode())
    altered = write_commit(repo, env, "又改", moved, DOSSIER, "--no-verify")
    code, found = _items(run, repo, env)
    assert code == 1
    official = _determined(moved, "1972.06", "1972.08", "10")
    write_commit(repo, env, "认定为第三个值", official, DOSSIER, "--no-verify")
    code, found = _items(run, repo, env)
    assert code == 1 and [i for i in found if i["严重"] and i["提交"] == altered and i["代码"] == "T001"]
    assert not [i for i in found if i["严重"] and i["提交"] != altered]


# ---------------------------------------------------------------- rewriting what never left this clone

def _origin(repo, env, tmp_path):
    bare = tmp_path / "origin.git"
    git(["init", "-q", "--bare", str(bare)], repo, env)
    git(["remote", "add", "origin", str(bare)], repo, env)
    return bare


def test_privacy_advice_on_an_unpushed_commit_is_no_tampering(repo, env, run, tmp_path):
    _origin(repo, env, tmp_path)
    write_commit(repo, env, "初始档案")
    git(["push", "-q", "origin", "main"], repo, env)
    write_commit(repo, env, "C000001 健康状况", HEALTH(valid_bytes()))
    assert audit(run, repo, env)[0] == 0  # the index now holds the draft
    git(["commit", "-q", "--amend", "-m", "C000001 健康状况（改正说明）"], repo, env)
    code, out, err = audit(run, repo, env)
    assert code == 0 and "T004" not in out, out + err
    git(["reset", "-q", "--soft", "HEAD~1"], repo, env)  # privacy.md: 还没有推送：git reset --soft HEAD~1
    write_commit(repo, env, "C000001 健康状况（重新提交）")
    code, out, err = audit(run, repo, env)
    assert code == 0 and "T004" not in out, out + err
    # a rebase of unpushed work onto what others pushed meanwhile
    git(["branch", "-q", "draft"], repo, env)
    git(["reset", "-q", "--hard", "origin/main"], repo, env)
    write_commit(repo, env, "别人的提交", sub("现任职务: 长治市财政局副局长", "现任职务: 长治市财政局局长")(valid_bytes()))
    git(["push", "-q", "origin", "main"], repo, env)
    git(["checkout", "-q", "draft"], repo, env)
    assert audit(run, repo, env)[0] == 0
    git(["rebase", "-q", "main"], repo, env)
    code, out, err = audit(run, repo, env)
    assert code == 0 and "T004" not in out, out + err


def test_rewriting_a_pushed_commit_is_still_reported(repo, env, run, tmp_path):
    _origin(repo, env, tmp_path)
    write_commit(repo, env, "初始档案")
    pushed = write_commit(repo, env, "改出生年月", birth(valid_bytes()))
    git(["push", "-q", "origin", "main"], repo, env)
    assert audit(run, repo, env)[0] == 1
    git(["reset", "-q", "--hard", "HEAD~1"], repo, env)
    write_commit(repo, env, "另一个提交", HEALTH(valid_bytes()))
    git(["push", "-q", "-f", "origin", "main"], repo, env)  # the old tip is gone from every ref, not from the reflog
    code, out, _ = audit(run, repo, env)
    assert code == 1 and [x for x in out.splitlines() if x.startswith("T004") and pushed[:10] in x]
    assert audit(run, repo, env)[1].count("T004") == 1  # reported again on every run, once


def test_a_pushed_commit_rewritten_after_its_reflog_expired_is_still_reported(repo, env, run, tmp_path):
    """The reflog forgets (gc); dangan remembers the remote-tracking tips its runs saw."""
    _origin(repo, env, tmp_path)
    write_commit(repo, env, "初始档案")
    pushed = write_commit(repo, env, "改健康状况", HEALTH(valid_bytes()))
    git(["push", "-q", "origin", "main"], repo, env)
    assert audit(run, repo, env)[0] == 0
    git(["reset", "-q", "--hard", "HEAD~1"], repo, env)
    write_commit(repo, env, "另一个提交", sub("健康状况: 健康", "健康状况: 良好")(valid_bytes()))
    git(["push", "-q", "-f", "origin", "main"], repo, env)
    git(["reflog", "expire", "--expire=now", "--expire-unreachable=now", "--all"], repo, env)
    code, out, _ = audit(run, repo, env)
    assert code == 1 and [x for x in out.splitlines() if x.startswith("T004") and pushed[:10] in x]
