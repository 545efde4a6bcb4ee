"""`dangan audit` shows the rules moving (T201–T208) and a signed commit as its signer's (T210)."""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import git
from server_helpers import commit_as, people, push, roles_yaml
from test_check_cli import sub
from test_history_git import DOSSIER


def audit_json(run, repo, env, *args):
    code, out, err = run(["audit", "--format", "json", *args], repo, env)
    assert "Traceback" not in err and out, err
    return code, json.loads(out)["问题"]


@pytest.fixture
def signed_repo(tmp_path, repo, env):
    who = people(tmp_path)
    (repo / "allowed_signers").write_text("".join(who[n].signer_line for n in ("alice", "bob")))
    commit_as(repo, env, who["alice"], "基线")
    return who


@pytest.mark.parametrize("path,code", [
    ("schema/dossier.schema.json", "T201"),
    ("schema/policy.yaml", "T202"),
    ("schema/codes/gbt2261-sex.json", "T203"),
    (".pre-commit-config.yaml", "T204"),
    ("schema/roles.yaml", "T205"),
    ("allowed_signers", "T206"),
    ("scripts/dangan/history/guard.py", "T207"),
])
def test_each_rule_change_is_its_own_finding(signed_repo, repo, env, run, path, code):
    who = signed_repo
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((target.read_text("utf-8") if target.exists() else "") + ("\n" if path.endswith("json") else "# 改动\n"),
                      "utf-8")
    cid = commit_as(repo, env, who["bob"], "悄悄改规则")
    rc, items = audit_json(run, repo, env)
    found = [i for i in items if i["代码"] == code]
    assert rc == 0 and len(found) == 1, items  # shown for review; not an error by itself
    item = found[0]
    assert item["编号"] == path and item["提交"] == cid and item["签名"].startswith("G")
    assert item["作者"] == f"{who['bob'].name} <{who['bob'].email}>"
    _code, out, _ = run(["audit"], repo, env)
    assert f"{code} {path}" in out and "规则的改动" in out


def test_a_dossier_change_is_not_a_rule_change_and_the_baseline_is_not_listed(signed_repo, repo, env, run):
    who = signed_repo
    (repo / DOSSIER).write_bytes(sub("健康状况: 健康", "健康状况: 良好")((repo / DOSSIER).read_bytes()))
    commit_as(repo, env, who["bob"], "改健康状况")
    rc, items = audit_json(run, repo, env)
    assert rc == 0 and items == []


def test_a_rule_changed_inside_a_merge_is_listed(signed_repo, repo, env, run):
    who = signed_repo
    git(["checkout", "-q", "-b", "side"], repo, env)
    (repo / "说明.txt").write_text("旁支\n", "utf-8")
    commit_as(repo, env, who["bob"], "旁支")
    git(["checkout", "-q", "main"], repo, env)
    (repo / "说明2.txt").write_text("主干\n", "utf-8")
    commit_as(repo, env, who["bob"], "主干")
    p = subprocess.run(["git", *who["bob"].config(), "merge", "-q", "--no-ff", "--no-commit", "side"], cwd=repo, env=env,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    policy = repo / "schema" / "policy.yaml"
    policy.write_text(policy.read_text("utf-8").replace("入党: 18", "入党: 17"), "utf-8")
    merge = commit_as(repo, env, who["bob"], "合并")
    _rc, items = audit_json(run, repo, env)
    assert [(i["代码"], i["提交"]) for i in items] == [("T202", merge)], items


def test_a_signed_commit_is_shown_as_its_signer(signed_repo, repo, env, run):
    """F4: bob signs a commit whose --author is alice: audit, trail and diff name bob, and T210 says so."""
    who = signed_repo
    (repo / DOSSIER).write_bytes(sub("健康状况: 健康", "健康状况: 良好")((repo / DOSSIER).read_bytes()))
    cid = commit_as(repo, env, who["bob"], "冒名", f"--author={who['alice'].name} <{who['alice'].email}>")
    _rc, items = audit_json(run, repo, env)
    [flag] = [i for i in items if i["代码"] == "T210"]
    assert flag["提交"] == cid and who["bob"].email in flag["作者"] and who["alice"].email in flag["说明"]
    code, out, _ = run(["trail", "C000001"], repo, env)
    [line] = [x for x in out.splitlines() if cid[:10] in x]
    assert code == 0 and f"签名人 <{who['bob'].email}>" in line and "爱丽丝" not in line, out


def test_the_central_repository_notes_a_signed_commit_with_another_author(tmp_path, run, env, repo):
    who = people(tmp_path)
    bare = tmp_path / "central.git"
    run(["server", "init", bare], tmp_path, env)
    git(["remote", "add", "origin", str(bare)], repo, env)
    (repo / "allowed_signers").write_text("".join(who[n].signer_line for n in ("alice", "bob")))
    (repo / "schema" / "roles.yaml").write_text(roles_yaml([who["alice"].email], {"市财政局": [who["bob"].email]}),
                                                "utf-8")
    commit_as(repo, env, who["alice"], "基线")
    assert push(repo, env, "main").returncode == 0
    (repo / DOSSIER).write_bytes(sub("健康状况: 健康", "健康状况: 良好")((repo / DOSSIER).read_bytes()))
    commit_as(repo, env, who["bob"], "冒名", f"--author={who['alice'].name} <{who['alice'].email}>")
    p = push(repo, env, "main")
    # signatures not required: accepted as bob's own change (bob acts for 市财政局), with the name flagged
    assert p.returncode == 0 and "P007" in p.stderr and "只提示" in p.stderr, p.stderr
    # required: the same push is refused
    git(["config", "--file", "config", "dangan.requireSignatures", "true"], bare, env)
    (repo / DOSSIER).write_bytes(sub("健康状况: 良好", "健康状况: 一般")((repo / DOSSIER).read_bytes()))
    commit_as(repo, env, who["bob"], "再冒名", f"--author={who['alice'].name} <{who['alice'].email}>")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "P007" in p.stderr, p.stderr


def test_the_code_table_names_every_rule_change_code():
    import re

    from conftest import PROJECT
    from dangan.history.baseline import PROBLEM
    from dangan.history.rulechanges import IDENTITY
    from dangan.roles import RULE_PARTS

    doc = (PROJECT / "docs" / "manual" / "codes.md").read_text("utf-8")
    rows = set(re.findall(r"^\| (T2[0-9]{2}) \|", doc, re.M))
    assert rows == {code for _p, code, _w in RULE_PARTS} | {IDENTITY, PROBLEM}
