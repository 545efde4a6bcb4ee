"""Nothing lost: a writer killed mid-run leaves no half-written dossier; clerks editing in parallel merge as Git
merges, and a conflict left in a file is explained by `dangan check`."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import time
from pathlib import Path

from conftest import DANGAN, git, valid_bytes
from dangan.codes import CodeTables
from dangan.forms import form_model
from dangan.forms.lrmx import export_lrmx
from dangan.load import LoadError, load_bytes, load_file
from test_check_cli import VALID_ID, sub, with_check

CODES = CodeTables.read(Path(__file__).resolve().parents[1] / "schema")

DAY = dt.date(2026, 11, 25)


def test_import_killed_mid_run_leaves_only_whole_dossiers(repo, env, tmp_path):
    data = load_bytes(valid_bytes()).data
    template = export_lrmx(form_model(data, DAY, codes=CODES)).decode("utf-8")
    assert VALID_ID in template
    sources = tmp_path / "in"
    sources.mkdir()
    files = []
    for i in range(400):  # distinct people: each file becomes a new dossier
        path = sources / f"{i:04d}.lrmx"
        path.write_text(template.replace(VALID_ID, with_check(f"1425211972031{5000 + i:04d}"[:17])), "utf-8")
        files.append(path)
    before = {p.name: p.read_bytes() for p in (repo / "dossiers").iterdir()}
    proc = subprocess.Popen([DANGAN, "lrmx", "import", "--archive-unit", "市财政局", *map(str, files)], cwd=repo,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((repo / "dossiers").glob("*.yaml"))) < 20:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    written = sorted((repo / "dossiers").glob("*.yaml"))
    assert 20 <= len(written) < 401, "the import finished before it could be killed: use more files"
    for name, raw in before.items():
        assert (repo / "dossiers" / name).read_bytes() == raw  # what it did not write is untouched
    for path in written:  # every visible dossier is whole: it loads, and it is the person of one source file
        try:
            doc = load_file(path)
        except LoadError as exc:
            raise AssertionError(f"{path.name} 写了一半：{exc}") from None
        assert doc.data["编号"] == path.stem and doc.data["姓名"] == "王建国"
    leftovers = [p.name for p in (repo / "dossiers").iterdir() if not p.name.endswith(".yaml")]
    assert all(n.startswith(".") and n.endswith(".tmp") for n in leftovers), leftovers  # hidden, never a dossier
    p = subprocess.run([DANGAN, "check", "--format", "json"], cwd=repo, env=env, capture_output=True, text=True)
    assert '"L0' not in p.stdout, p.stdout[:2000]  # findings are the form's gaps, never a broken file


def _clone(origin, dst, env):
    git(["clone", "-q", str(origin), str(dst)], origin.parent, env)
    git(["config", "user.name", "测试员"], dst, env)
    git(["config", "user.email", "tester@example.invalid"], dst, env)
    return dst


def _commit(clone, env, rel, raw, message):
    (clone / rel).write_bytes(raw)
    git(["add", "-A"], clone, env)
    git(["commit", "-q", "-m", message], clone, env)


def _shared(repo, env, tmp_path):
    second = sub("编号: C000001", "编号: C000002")(valid_bytes()).replace(
        VALID_ID.encode(), with_check("14252119720315003").encode())
    (repo / "dossiers" / "C000002.yaml").write_bytes(second)
    git(["add", "-A"], repo, env)
    git(["commit", "-q", "-m", "两份档案"], repo, env)
    bare = tmp_path / "shared.git"
    git(["clone", "-q", "--bare", str(repo), str(bare)], tmp_path, env)
    return _clone(bare, tmp_path / "a", env), _clone(bare, tmp_path / "b", env)


def test_two_clerks_on_different_dossiers_merge_cleanly(repo, env, run, tmp_path):
    a, b = _shared(repo, env, tmp_path)
    _commit(a, env, "dossiers/C000001.yaml", sub("健康状况: 健康", "健康状况: 一般")(valid_bytes()), "甲改一号")
    git(["push", "-q", "origin", "HEAD"], a, env)
    other = (b / "dossiers" / "C000002.yaml").read_bytes()
    _commit(b, env, "dossiers/C000002.yaml", sub("健康状况: 健康", "健康状况: 良好")(other), "乙改二号")
    p = git(["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"], b, env, check=False)
    assert p.returncode == 0, p.stdout + p.stderr
    assert b"\xe5\x81\xa5\xe5\xba\xb7\xe7\x8a\xb6\xe5\x86\xb5: \xe4\xb8\x80\xe8\x88\xac" in (b / "dossiers" / "C000001.yaml").read_bytes()
    code, out, err = run(["check"], b, env)
    assert code == 0, out + err


def test_two_clerks_on_the_same_field_get_a_conflict_that_check_explains(repo, env, run, tmp_path):
    a, b = _shared(repo, env, tmp_path)
    _commit(a, env, "dossiers/C000001.yaml", sub("健康状况: 健康", "健康状况: 一般")(valid_bytes()), "甲改健康状况")
    git(["push", "-q", "origin", "HEAD"], a, env)
    _commit(b, env, "dossiers/C000001.yaml", sub("健康状况: 健康", "健康状况: 良好")(valid_bytes()), "乙改健康状况")
    p = git(["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"], b, env, check=False)
    assert p.returncode != 0 and "CONFLICT" in p.stdout + p.stderr
    code, out, err = run(["check"], b, env)
    assert code == 1 and "Traceback" not in err
    [line] = [x for x in out.splitlines() if "L019" in x]
    text = (b / "dossiers" / "C000001.yaml").read_text("utf-8")
    marker = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("<<<<<<<"))) + 1
    assert line.startswith(f"dossiers/C000001.yaml:{marker}:") and "冲突" in line, line


def test_a_writer_never_overwrites_what_it_did_not_read(tmp_path):
    import pytest

    from dangan.yamledit import Change, EditError, apply

    a, b = tmp_path / "C000001.yaml", tmp_path / "C000002.yaml"
    a.write_bytes(b"read\n")
    b.write_bytes(b"edited by someone else meanwhile\n")
    changes = [Change(a, "C000001.yaml", b"read\n", b"new a\n"), Change(b, "C000002.yaml", b"read\n", b"new b\n"),
               Change(tmp_path / "C000003.yaml", "C000003.yaml", None, b"new c\n")]
    with pytest.raises(EditError) as info:
        apply(changes)
    assert "C000002.yaml" in info.value.message and "C000001.yaml" not in info.value.message
    assert a.read_bytes() == b"read\n" and not (tmp_path / "C000003.yaml").exists()  # nothing written at all
