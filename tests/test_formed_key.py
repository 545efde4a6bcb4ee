"""形成时间 (组通字〔2012〕28号) and its old name 制成时间: read alike, written new, one field in the trail."""

from __future__ import annotations

from conftest import git, valid_bytes
from dangan.factpath import parse
from dangan.load import LoadError, build

OLD = valid_bytes().replace("形成时间: ".encode(), "制成时间: ".encode())


def test_old_key_reads_as_the_new_one():
    data = build(OLD.decode("utf-8"))
    assert all("形成时间" in e and "制成时间" not in e for e in data["档案目录"])
    assert build(valid_bytes().decode("utf-8")) == data
    # only in catalog entries: elsewhere the word is an unknown key like any other
    assert build("学历学位:\n  - {制成时间: \"2001\"}\n") == {"学历学位": [{"制成时间": "2001"}]}
    assert parse("档案目录[9-2-1].制成时间") == ("档案目录", "9-2-1", "形成时间")


def test_both_keys_in_one_entry_are_refused():
    for text in ('档案目录:\n  - {制成时间: "2001", 形成时间: "2002"}\n', '档案目录:\n  - {形成时间: "2001", 制成时间: "2002"}\n'):
        try:
            build(text)
        except LoadError as exc:
            assert exc.code == "L016" and "旧称" in exc.message and (exc.line, exc.col) == (2, 20)
        else:
            raise AssertionError("both keys accepted")


def test_check_accepts_the_old_key_and_fmt_writes_the_new_one(repo, env, run):
    path = repo / "dossiers" / "C000001.yaml"
    path.write_bytes(OLD)
    code, out, err = run(["check"], repo, env)
    assert code == 0, out + err
    code, out, _ = run(["fmt", "--check"], repo, env)
    assert code == 1 and "-  - {类号: \"1\", 序号: 1, 材料名称: 干部履历表, 制成时间:" in out
    code, _out, _err = run(["fmt"], repo, env)
    assert code == 0 and path.read_bytes() == valid_bytes()


def test_the_migration_commit_shows_no_change(repo, env, run):
    path = repo / "dossiers" / "C000001.yaml"
    path.write_bytes(OLD)
    git(["add", "-A"], repo, env)
    git(["commit", "-qm", "建档（旧键名）"], repo, env)
    assert run(["fmt"], repo, env)[0] == 0
    git(["commit", "-qam", "目录改用“形成时间”"], repo, env)
    code, out, err = run(["trail", "C000001"], repo, env)
    assert code == 0, err
    migration = out[out.index("目录改用"):]
    assert migration.strip() == "目录改用“形成时间”", out  # the commit is listed, and it changed no field
    code, out, err = run(["audit"], repo, env)
    assert code == 0, out + err
    code, out, _ = run(["diff", "HEAD~1..HEAD"], repo, env)
    # no field changed: the reviewer is told so, and shown the lines the rename touched (never hidden)
    assert code == 0 and "内容没有变化，只改动了注释或排版" in out, out
    assert not any(line.lstrip().startswith(("★", "✗")) for line in out.splitlines()), out


def test_file_writes_the_new_key(repo, env, run):
    code, out, err = run(["file", "C000001", "--class", "10", "--title", "干部健康检查表", "--formed", "2026.10.10",
                          "--pages", "2", "--dry-run"], repo, env)
    assert code == 0, err
    assert '+  - {类号: "10", 序号: 1, 材料名称: 干部健康检查表, 形成时间: "2026.10.10"' in out
