"""领导班子 (issue 17): teams/<单位>.yaml through the real CLI and the real pre-commit hook.

The expected numbers are worked out by hand from the bundled dossiers (DANGAN_TODAY=2026.11.25) and
written down here; nothing is recomputed with the code under test.
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import BIN, PROJECT, git


@pytest.fixture
def bundled(tmp_path, env):
    """The 48 bundled dossiers and the four bundled teams, with their schema, in a fresh Git repository."""
    root = tmp_path / "bundled"
    root.mkdir()
    for name in ("schema", "dossiers", "teams"):
        shutil.copytree(PROJECT / name, root / name)
    git(["init", "-q", "-b", "main"], root, env)
    git(["config", "user.name", "测试员"], root, env)
    git(["config", "user.email", "t@example.invalid"], root, env)
    return root


def edit(path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), "utf-8")


def test_bundled_teams_have_their_gaps_and_no_errors(bundled, run, env):
    code, out, err = run(["teams", "check"], bundled, env)
    assert code == 0, out + err
    assert out.splitlines() == [
        "teams/长治市教育局.yaml:4:5: 警告 B201 女干部 0 名，市直部门班子要求至少 1 名",
        "teams/长治市教育局.yaml:4:5: 警告 B207 全日制大学本科及以上 1/2（50.0%），低于 60%",
        "teams/长治市潞州区人民政府.yaml:4:5: 警告 B201 女干部 0 名，县区政府班子要求至少 1 名",
        "teams/长治市潞州区人民政府.yaml:4:5: 警告 B202 党外干部 0 名，县区政府班子要求至少 1 名",
        "teams/长治市财政局.yaml:4:5: 警告 B204 40 岁及以下的年轻干部 0 名，市直部门班子要求至少 1 名",
        "teams/长治市财政局.yaml:4:5: 警告 B206 副局长实有 4 名，超过核定职数 3 名（超职数配备）",
    ]
    assert "检查了 4 个领导班子：0 个错误，6 个警告。" in err


def test_a_move_that_leaves_a_team_inconsistent_is_an_error(bundled, run, env):
    (bundled / "dossiers" / "C000004.yaml").unlink()  # 史雪慧 transferred out, the team file not updated
    edit(bundled / "dossiers" / "C000013.yaml", "现任职务: 长治市财政局党组成员、副局长", "现任职务: 长治市审计局副局长")
    edit(bundled / "dossiers" / "C000009.yaml", "现任职务: 长治市统计局党组书记、局长", "现任职务: 长治市教育局副局长")
    edit(bundled / "teams" / "长治市司法局.yaml", "姓名: 王丽梅", "姓名: 王丽")
    code, out, err = run(["teams", "check", "--format", "json"], bundled, env)
    assert code == 1, err
    found = {(f["path"], f["line"], f["code"]) for f in json.loads(out) if f["severity"] == "错误"}
    assert found == {("teams/长治市财政局.yaml", 13, "B101"), ("teams/长治市财政局.yaml", 12, "B103"),
                     ("teams/长治市司法局.yaml", 9, "B102")}
    warn = [f for f in json.loads(out) if f["code"] == "B109"]
    assert len(warn) == 1 and "C000009" in warn[0]["message"] and warn[0]["path"] == "teams/长治市教育局.yaml"
    # the team file brought up to date: the former members keep their entries with a 离任时间
    edit(bundled / "teams" / "长治市财政局.yaml", '任职时间: "2010.06"}', '任职时间: "2010.06", 离任时间: "2026.11"}')
    edit(bundled / "teams" / "长治市财政局.yaml", '任职时间: "2018.01"}', '任职时间: "2018.01", 离任时间: "2026.11"}')
    edit(bundled / "teams" / "长治市司法局.yaml", "姓名: 王丽,", "姓名: 王丽梅,")
    code, out, err = run(["teams", "check"], bundled, env)
    assert code == 0 and " 错误 " not in out, out + err
    assert "B206" not in out  # 副局长 back to 2 of 3


def test_a_bad_team_file_is_named_with_line_and_column(bundled, run, env):
    edit(bundled / "teams" / "长治市教育局.yaml", "排序: 1,", "排序: 一,")
    (bundled / "teams" / "坏.yaml").write_text("单位: [\n", "utf-8")
    code, out, err = run(["teams", "check"], bundled, env)
    assert code == 1 and "Traceback" not in err
    assert "teams/长治市教育局.yaml:10:" in out and "排序" in out
    assert any(line.startswith("teams/坏.yaml:") and " L0" in line for line in out.splitlines()), out
    edit(bundled / "teams" / "长治市教育局.yaml", "排序: 一,", "排序: 1,")
    edit(bundled / "teams" / "长治市教育局.yaml", "类别: 市直部门班子", "类别: 市直班子")
    (bundled / "teams" / "坏.yaml").unlink()
    code, out, _ = run(["teams", "check"], bundled, env)
    assert code == 1 and "B107" in out and "市直部门班子、县区政府班子" in out
    code, _, err = run(["teams", "report", "长治市不存在局"], bundled, env)
    assert code == 2 and "找不到“长治市不存在局”的领导班子" in err


def test_report_today_and_as_of_the_last_change(bundled, run, env):
    code, out, err = run(["teams", "report", "长治市财政局", "--format", "json"], bundled, env)
    assert code == 0, err
    (team,) = json.loads(out)
    assert team["统计日期"] == "2026.11.25"
    # 1974.09, 1966.02, 1978.11, 1978.07, 1970.05 → 52, 60, 48, 48, 56 on 2026.11.25; mean 264/5
    assert [(m["姓名"], m["职务"], m["年龄"]) for m in team["成员"]] == [
        ("宋红玲", "局长", 52), ("牛华娟", "副局长", 60), ("张峰伟", "副局长", 48), ("史雪慧", "副局长", 48),
        ("王兰", "副局长", 56)]
    assert team["概况"]["平均年龄"] == "52.8" and team["概况"]["女干部"] == 4 and team["概况"]["实有"] == 5
    assert [m["全日制学历"] for m in team["成员"]] == ["大学", "高中", "大学", "研究生", "大专"]
    assert [g["代码"] for g in team["缺口"]] == ["B204", "B206"] and team["空缺职数"] == []
    # 2012.12.31: 宋红玲 was a 副局长 (until 2013.02), 史雪慧 not yet in the team (2018.01)
    code, out, err = run(["teams", "report", "长治市财政局", "--format", "json", "--as-of", "2012.12.31"], bundled, env)
    assert code == 0, err
    (then,) = json.loads(out)
    assert [(m["姓名"], m["职务"], m["年龄"]) for m in then["成员"]] == [
        ("牛华娟", "副局长", 46), ("宋红玲", "副局长", 38), ("张峰伟", "副局长", 34), ("王兰", "副局长", 42)]
    assert then["概况"]["平均年龄"] == "40.0" and then["概况"]["全日制本科及以上"] == "2/4（50.0%）"
    assert [m["在职学历"] for m in then["成员"]] == ["大学", "—", "研究生", "研究生"]
    assert [g["代码"] for g in then["缺口"]] == ["B206", "B207"] and then["空缺职数"] == [{"职务": "局长", "空缺": 1}]
    assert then["概况"]["年龄段"] == {"35岁及以下": 1, "36-40岁": 1, "41-45岁": 1, "46-50岁": 1}
    code, out, _ = run(["teams", "report"], bundled, env)
    assert code == 0 and out.count("【") == 4 and "换届前要补齐的缺口" in out and "区长空缺 1 名" in out


def _with_hook(bundled, env) -> dict:
    """The bundled copy committed with the project's pre-commit configuration installed; the env to commit with."""
    import subprocess

    shutil.copy2(PROJECT / ".pre-commit-config.yaml", bundled / ".pre-commit-config.yaml")
    (bundled / "scripts").mkdir()
    shutil.copy2(PROJECT / "scripts" / "run-dangan", bundled / "scripts" / "run-dangan")
    env = dict(env, PIP_NO_INDEX="1")
    git(["add", "-A"], bundled, env)
    git(["commit", "-q", "--no-verify", "-m", "bundled"], bundled, env)
    assert subprocess.run([str(BIN / "pre-commit"), "install"], cwd=bundled, env=env, capture_output=True).returncode == 0
    return env


def test_the_hook_refuses_a_transfer_that_leaves_a_team_behind(bundled, run, env):
    env = _with_hook(bundled, env)
    code, out, err = run(["transfer", "out", "C000045", "--to", "省教育厅", "--notice", "长组档转〔2026〕15号",
                          "--via", "机要交通", "--date", "2026.11.20", "--commit"], bundled, env)
    assert code != 0 and "B101" in out + err and "长治市教育局" in out + err, out + err
    edit(bundled / "teams" / "长治市教育局.yaml", '任职时间: "2023.10"}', '任职时间: "2023.10", 离任时间: "2026.11"}')
    git(["add", "-A"], bundled, env)
    p = git(["commit", "-m", "转出 C000045，班子同时更新"], bundled, env, check=False)
    assert p.returncode == 0, p.stdout + p.stderr


def test_report_as_recorded_on_a_day(bundled, run, env):
    """--recorded: the team and the dossiers as Git held them that day; what was written later does not count."""
    old = {**env, "GIT_AUTHOR_DATE": "2025-06-01T10:00:00+08:00", "GIT_COMMITTER_DATE": "2025-06-01T10:00:00+08:00"}
    git(["add", "-A"], bundled, old)
    git(["commit", "-qm", "班子"], bundled, old)
    team = bundled / "teams" / "长治市司法局.yaml"
    edit(team, "  - {编号: C000036, 姓名: 杨晶婷, 职务: 副局长, 排序: 3, 任职时间: \"2024.09\"}\n", "")
    git(["commit", "-qam", "杨晶婷调离"], bundled, env)
    code, out, err = run(["teams", "report", "长治市司法局", "--format", "json"], bundled, env)
    assert code == 0, err
    assert "杨晶婷" not in out
    code, out, err = run(["teams", "report", "长治市司法局", "--format", "json", "--recorded", "2025.12.31"], bundled, env)
    assert code == 0, err
    (then,) = json.loads(out)
    assert "杨晶婷" in [m["姓名"] for m in then["成员"]] and then["统计日期"] == "2025.12.31"
    code, _out, err = run(["teams", "report", "--recorded", "2020.01.01"], bundled, env)
    assert code == 2 and "没有 2020.01.01 当日或以前的提交" in err, err


# ---- teams check --staged (the pre-commit hook): the index, through a sealed cache of the dossiers' facts

def staged(bundled, env, run, *extra):
    return run(["teams", "check", "--staged", *extra], bundled, env)


def test_staged_judges_what_the_commit_will_hold(bundled, run, env):
    """--staged reads the team files and the dossiers from the Git index: a dossier only in the working tree
    (untracked, or removed from the index) is not there, an unstaged edit does not count."""
    git(["add", "-A"], bundled, env)
    plain = run(["teams", "check"], bundled, env)
    assert staged(bundled, env, run) == plain and plain[0] == 0  # the same answer, cold
    assert staged(bundled, env, run) == plain  # and warm
    git(["rm", "-q", "--cached", "dossiers/C000045.yaml"], bundled, env)  # still on disk, not in the commit
    code, out, _err = staged(bundled, env, run, "--format", "json")
    assert code == 1 and [(f["path"], f["code"]) for f in json.loads(out) if f["severity"] == "错误"] == [
        ("teams/长治市教育局.yaml", "B101")], out
    assert run(["teams", "check"], bundled, env)[0] == 0  # the working tree still has it
    git(["add", "dossiers/C000045.yaml"], bundled, env)
    # a team file staged with a member whose 编号 the index does not hold; the unstaged copy is right
    team = bundled / "teams" / "长治市司法局.yaml"
    edit(team, "编号: C000027", "编号: C000999")
    git(["add", "teams"], bundled, env)
    edit(team, "编号: C000999", "编号: C000027")
    code, out, _err = staged(bundled, env, run, "--format", "json")
    assert code == 1 and [(f["path"], f["line"], f["code"]) for f in json.loads(out) if f["severity"] == "错误"] == [
        ("teams/长治市司法局.yaml", 9, "B101")], out
    assert run(["teams", "check"], bundled, env)[0] == 0


def test_staged_catches_a_changed_post_with_a_warm_cache(bundled, run, env):
    git(["add", "-A"], bundled, env)
    assert staged(bundled, env, run)[0] == 0
    cache = bundled / ".git" / "dangan" / "team-facts.json"
    assert cache.is_file() and "长治市财政局党组成员、副局长" in cache.read_text("utf-8")
    edit(bundled / "dossiers" / "C000013.yaml", "现任职务: 长治市财政局党组成员、副局长", "现任职务: 长治市审计局副局长")
    assert staged(bundled, env, run)[0] == 0  # not staged yet: the commit would still hold the old post
    git(["add", "dossiers/C000013.yaml"], bundled, env)
    code, out, _err = staged(bundled, env, run, "--format", "json")
    want = [("teams/长治市财政局.yaml", 12, "B103")]
    assert code == 1 and [(f["path"], f["line"], f["code"]) for f in json.loads(out) if f["severity"] == "错误"] == want
    assert run(["teams", "check", "--format", "json"], bundled, env)[:2] == (code, out)
    # the snapshot of what the last run knew (team-snapshot.json, its shards by digest): a shard forged back to
    # the old post does not match its digest, a forged header does not verify: ignored, the index read again
    snap = bundled / ".git" / "dangan" / "team-snapshot.d"
    [shard] = [f for f in snap.iterdir() if "长治市审计局副局长" in f.read_text("utf-8")]
    shard.write_text(shard.read_text("utf-8").replace("长治市审计局副局长", "长治市财政局党组成员、副局长"), "utf-8")
    assert staged(bundled, env, run, "--format", "json")[:2] == (code, out)
    header = bundled / ".git" / "dangan" / "team-snapshot.json"
    text = header.read_text("utf-8")
    assert '"skipped":[]' in text
    header.write_text(text.replace('"skipped":[]', '"skipped":["dossiers/C000013.yaml"]'), "utf-8")
    assert staged(bundled, env, run, "--format", "json")[:2] == (code, out)
    for f in (cache, header):
        f.write_bytes(b"\0garbage")
    assert staged(bundled, env, run, "--format", "json")[:2] == (code, out)
    # the snapshot brought up to date by the next change: the post put back, staged, is no longer an error
    edit(bundled / "dossiers" / "C000013.yaml", "现任职务: 长治市审计局副局长", "现任职务: 长治市财政局党组成员、副局长")
    git(["add", "dossiers/C000013.yaml"], bundled, env)
    assert staged(bundled, env, run) == run(["teams", "check"], bundled, env) and staged(bundled, env, run)[0] == 0


def test_staged_reports_unreadable_dossiers_as_the_plain_check_does(bundled, run, env):
    (bundled / "dossiers" / "C000032.yaml").write_text("姓名: [\n", "utf-8")  # a member's dossier, unreadable
    git(["add", "-A"], bundled, env)
    plain = run(["teams", "check"], bundled, env)
    assert plain[0] == 1 and "C000032.yaml" in plain[2] and "B101" in plain[1], plain
    assert staged(bundled, env, run) == plain  # cold
    assert staged(bundled, env, run) == plain  # warm: the refusal kept with its line and column


def test_the_hook_reads_the_team_check_from_the_index(bundled, run, env):
    """pre-commit leaves untracked files in place: a dossier never added cannot make a team file pass."""
    env = _with_hook(bundled, env)
    git(["rm", "-q", "--cached", "dossiers/C000045.yaml"], bundled, env)  # left on disk, untracked
    p = git(["commit", "-m", "移出 C000045"], bundled, env, check=False)
    assert p.returncode != 0 and "B101" in p.stdout + p.stderr and "C000045" in p.stdout + p.stderr, p.stdout + p.stderr


def test_staged_structure_follows_a_members_dossier_with_warm_caches(bundled, run, env):
    """The gaps (B2xx) are kept by the team file and the members' blobs: a member's staged 性别 changes them."""
    git(["add", "-A"], bundled, env)
    code, out, _err = staged(bundled, env, run)
    assert code == 0 and "teams/长治市教育局.yaml:4:5: 警告 B201" in out
    assert (bundled / ".git" / "dangan" / "team-gaps.json").is_file()
    assert staged(bundled, env, run)[:2] == (code, out)
    edit(bundled / "dossiers" / "C000045.yaml", "性别: 男", "性别: 女")
    git(["add", "dossiers/C000045.yaml"], bundled, env)
    code, out, err = staged(bundled, env, run)
    assert code == 0 and "teams/长治市教育局.yaml:4:5: 警告 B201" not in out
    assert (code, out, err) == run(["teams", "check"], bundled, env)


def test_staged_outside_git_and_in_a_conflict(bundled, run, env, tmp_path):
    """Outside Git --staged checks the files; in a merge conflict (no tree to write) the conflicted dossier is read
    from its file, as check does, and nothing is kept in the snapshot."""
    plain = tmp_path / "plain"
    shutil.copytree(bundled, plain, ignore=shutil.ignore_patterns(".git"))
    assert run(["teams", "check", "--staged"], plain, env) == run(["teams", "check"], plain, env)
    git(["add", "-A"], bundled, env)
    git(["commit", "-qm", "bundled", "--no-verify"], bundled, env)
    assert staged(bundled, env, run)[0] == 0  # snapshot written
    git(["checkout", "-qb", "other"], bundled, env)
    edit(bundled / "dossiers" / "C000013.yaml", "现任职务: 长治市财政局党组成员、副局长", "现任职务: 长治市审计局副局长")
    git(["commit", "-qam", "改任", "--no-verify"], bundled, env)
    git(["checkout", "-q", "main"], bundled, env)
    edit(bundled / "dossiers" / "C000013.yaml", "现任职务: 长治市财政局党组成员、副局长", "现任职务: 长治市统计局副局长")
    git(["commit", "-qam", "另一处改任", "--no-verify"], bundled, env)
    assert git(["merge", "-q", "other"], bundled, env, check=False).returncode != 0  # conflict in C000013
    text = (bundled / "dossiers" / "C000013.yaml").read_text("utf-8")
    (bundled / "dossiers" / "C000013.yaml").write_text(
        text.split("<<<<<<<")[0] + "现任职务: 长治市审计局副局长\n" + text.split(">>>>>>> other\n")[1], "utf-8")
    code, out, err = staged(bundled, env, run, "--format", "json")
    assert "Traceback" not in err and code == 1, err
    assert [(f["path"], f["code"]) for f in json.loads(out) if f["severity"] == "错误"] == [("teams/长治市财政局.yaml", "B103")]
