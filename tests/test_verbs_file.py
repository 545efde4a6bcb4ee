"""`dangan file` (归档) end to end: the real CLI, a real repository, the result committed through the real hooks."""

from __future__ import annotations

import re

from conftest import git
from dangan.load import load_bytes
from test_precommit import commit, first_commit

DOSSIER = "dossiers/C000001.yaml"


def assert_audit_clean(repo, env, run):
    """`dangan audit` over the whole history finds nothing (only once the trail's audit command exists)."""
    from dangan.cli import main

    if "audit" in main.commands:
        code, out, err = run(["audit"], repo, env)
        assert code == 0, out + err


def catalog(repo):
    return load_bytes((repo / DOSSIER).read_bytes()).data["档案目录"]


def refs(repo):
    return [f"{e['类号']}-{e['序号']}" for e in catalog(repo)]


def added_lines(repo, env) -> list[str]:
    """The lines the working-tree change adds; asserts it removes none (the rest of the file untouched)."""
    diff = git(["diff", "-U0", "--", DOSSIER], repo, env).stdout.splitlines()
    assert not [line for line in diff if line.startswith("-") and not line.startswith("---")], diff
    return [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]


def test_numbering_across_classes_4_and_9(hooked, env, run):
    first_commit(hooked, env)
    steps = [("4-1", "学士学位证书复印件", "4-1-4"), ("4-3", "科研成果获奖证书复印件", "4-3-1"),
             ("4-1", "党校研究生学历证明", "4-1-5"), ("9-2", "干部任免审批表（局长）", "9-2-5"),
             ("9-4", "市人大代表登记表", "9-4-1"), ("9-1", "工资审批表", "9-1-1"), ("10", "干部健康检查表", "10-1"),
             ("4-3", "论文目录", "4-3-2")]
    for cls, title, ref in steps:
        code, out, err = run(["file", "C000001", "--class", cls, "--title", title, "--made", "2026.11.10",
                              "--pages", "2", "--received", "2026.11.20"], hooked, env)
        assert code == 0, err
        assert f"{ref}《{title}》" in out and "建议提交说明：归档 C000001 王建国 " + ref in out
    # each class numbered on, each entry next to its own class, classes in the catalog's order
    assert refs(hooked) == ["1-1", "4-1-1", "4-1-2", "4-1-3", "4-1-4", "4-1-5", "4-3-1", "4-3-2", "6-1", "7-1",
                            "9-1-1", "9-2-1", "9-2-2", "9-2-3", "9-2-4", "9-2-5", "9-4-1", "10-1"]
    added = added_lines(hooked, env)
    assert len(added) == len(steps)
    assert added[0] == ('  - {类号: "4-1", 序号: 4, 材料名称: 学士学位证书复印件, 形成时间: "2026.11.10", 页数: 2, '
                        '接收时间: "2026.11.20"}')
    code, _out, _err = run(["fmt", "--check", DOSSIER], hooked, env)
    assert code == 0  # the verb writes the canonical layout
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "归档")
    assert p.returncode == 0, p.stdout + p.stderr
    out = p.stdout + p.stderr
    assert next(x for x in out.splitlines() if x.startswith("档案格式")).endswith(".通过")
    assert "Passed" in out and "Failed" not in out and "未通过" not in out
    assert_audit_clean(hooked, env, run)


def test_received_defaults_to_today_and_late_filing_warns(repo, env, run):
    code, out, err = run(["file", "C000001", "--class", "7", "--title", "嘉奖审批表", "--made", "2026.08.01",
                          "--pages", "1", "--note", "复印件，加盖公章"], repo, env)
    assert code == 0, err
    entry = next(e for e in catalog(repo) if e["类号"] == "7" and e["序号"] == 2)
    assert entry == {"类号": "7", "序号": 2, "材料名称": "嘉奖审批表", "形成时间": "2026.08.01", "页数": 1,
                     "接收时间": "2026.11.25", "备注": "复印件，加盖公章"}
    assert "R403" in err and "超过 1 个月" in err
    assert "已改动" in out


def test_partial_made_date_late_warns_too(repo, env, run):
    code, _out, err = run(["file", "C000001", "--class", "1", "--title", "干部履历表", "--made", "2024",
                           "--pages", "8"], repo, env)
    assert code == 0
    assert "警告：材料形成于 2024" in err


def test_refusals_leave_the_file_alone(repo, env, run):
    before = (repo / DOSSIER).read_bytes()
    cases = [
        (["--class", "4"], 2, "第四类须写子类"),
        (["--class", "9"], 2, "第九类须写子类"),
        (["--class", "11"], 2, "类号“11”不对"),
        (["--class", "6", "--made", "2026.13.01"], 2, "形成时间"),
        (["--class", "6", "--received", "2026.12.01"], 1, "晚于今天"),
        (["--class", "6", "--made", "2026.11.20", "--received", "2026.11.10"], 1, "早于形成时间"),
    ]
    for extra, want, text in cases:
        args = ["file", "C000001", "--title", "材料", "--made", "2026.11.01", "--pages", "1"]
        # later options win in click: the case's own --made/--received override the defaults above
        code, _out, err = run([*args, *extra], repo, env)
        assert code == want, (extra, err)
        assert text in err, (extra, err)
        assert "Traceback" not in err
    code, _out, err = run(["file", "C000999", "--class", "6", "--title", "材料", "--made", "2026.11.01",
                           "--pages", "1"], repo, env)
    assert code == 2 and "找不到编号为“C000999”的档案" in err
    assert (repo / DOSSIER).read_bytes() == before


def test_dry_run_writes_nothing(repo, env, run):
    before = (repo / DOSSIER).read_bytes()
    code, out, _err = run(["file", "C000001", "--class", "6", "--title", "转正申请书", "--made", "2026.11.01",
                           "--pages", "3", "--dry-run"], repo, env)
    assert code == 0
    assert '+  - {类号: "6", 序号: 2, 材料名称: 转正申请书' in out and "未写入任何文件" in out
    assert "建议提交说明" not in out
    assert (repo / DOSSIER).read_bytes() == before


def test_comments_and_hand_layout_are_kept(repo, env, run):
    path = repo / DOSSIER
    text = path.read_text("utf-8")
    text = text.replace('  - {类号: "6", 序号: 1,', '  # 第六类：党团材料\n  - {类号: "6", 序号: 1,')
    text = text.replace("认定记录: []", "认定记录: []   # 尚无认定")
    path.write_text(text, "utf-8")
    code, _out, err = run(["file", "C000001", "--class", "4-1", "--title", "学位证书", "--made", "2026.11.01",
                           "--pages", "1"], repo, env)
    assert code == 0, err
    new = path.read_text("utf-8")
    lines = new.splitlines()
    i = lines.index("  # 第六类：党团材料")
    assert "序号: 4, 材料名称: 学位证书" in lines[i - 1]  # after 4-1-3, before the comment that heads class 6
    assert new.replace(lines[i - 1] + "\n", "") == text


def test_merge_conflict_markers_are_refused(repo, env, run):
    path = repo / DOSSIER
    text = path.read_text("utf-8").replace("健康状况: 健康\n", "<<<<<<< HEAD\n健康状况: 健康\n=======\n健康状况: 一般\n>>>>>>> other\n")
    path.write_text(text, "utf-8")
    code, _out, err = run(["file", "C000001", "--class", "6", "--title", "材料", "--made", "2026.11.01",
                           "--pages", "1"], repo, env)
    assert code == 1 and "L019" in err and "合并冲突" in err
    assert path.read_text("utf-8") == text
    code, out, _err = run(["check", DOSSIER], repo, env)
    assert code == 1 and re.search(r"C000001.yaml:[0-9]+:1: 错误 L019", out)
