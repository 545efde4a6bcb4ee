"""Multi-file verbs are all-or-nothing: killed after any write, the repository is as before (or, if the kill
came after the last write, as after) — never half. DANGAN_TEST_CRASH_AFTER=N makes the process die right after
its N-th completed write or removal (atomic.crash_point); the next dangan command undoes the rest (journal)."""

from __future__ import annotations

import os
import stat
import subprocess
import threading

import pytest

from conftest import git, valid_bytes
from test_check_cli import OTHER_ID, VALID_ID, sub

CRASHED = 86


def snapshot(repo) -> dict[str, bytes]:
    out = {}
    for where in ("dossiers", "ledgers", "photos", "interchange"):
        for p in sorted((repo / where).rglob("*")) if (repo / where).exists() else ():
            if p.is_file():
                out[p.relative_to(repo).as_posix()] = p.read_bytes()
    return out


def kill_at_every_write(run, args, repo, env, before, after=None, then=(["check", "--quiet"],)) -> tuple[int, str]:
    """Run ``args`` killed after its 1st, 2nd, … write until it completes; after each kill the next command (the
    commands in ``then``) must have put the repository back to ``before``. Returns how many kills there were and
    what the completed run printed."""
    for n in range(1, 12):
        code, out, err = run(args, repo, {**env, "DANGAN_TEST_CRASH_AFTER": str(n)})
        if code == 0:
            assert after is None or snapshot(repo) == after
            return n - 1, out
        assert code == CRASHED, err
        for i, command in enumerate(then):
            code, _out, err = run(list(command), repo, env)
            if i == 0:
                assert snapshot(repo) == before, f"killed after write {n}: the repository is half-changed"
                assert n == 1 or "没有做完" in err
            else:
                assert code == 0, err
    raise AssertionError("the verb never completed")


def _transfer_out(repo, tmp_path):
    return ["transfer", "out", "C000001", "--to", "省财政厅", "--notice", "长组档转〔2026〕15号", "--via", "机要交通",
            "--date", "2026.11.20"]


def _transfer_in(repo, tmp_path):
    incoming = tmp_path / "incoming"
    incoming.mkdir(exist_ok=True)
    (incoming / "李四.yaml").write_bytes(sub(VALID_ID, OTHER_ID)(valid_bytes()).replace(
        "王建国".encode(), "李建国".encode()))
    return ["transfer", "in", incoming, "--notice", "阳组档转〔2026〕7号", "--via", "专人送取", "--unit", "市财政局"]


def _xlsx_import(repo, tmp_path):
    """A roster of three: a kill after the 2nd dossier left two of them, and the rerun made both a second time."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "出生年月", "民族", "现任职务"])
    for name in ("李一", "李二", "李三"):
        ws.append([name, "男", "1970.03", "汉族", "科员"])
    wb.save(tmp_path / "roster.xlsx")
    return ["xlsx", "import", tmp_path / "roster.xlsx"]


def _fmt(repo, tmp_path):
    """Two dossiers to put in normal form: both or neither."""
    path = repo / "dossiers" / "C000001.yaml"
    second = sub(VALID_ID, OTHER_ID)(valid_bytes()).replace(b"C000001", b"C000002")
    path.write_bytes(path.read_bytes().replace('出生年月: "1972.03"'.encode(), "出生年月: '1972.03'".encode()))
    (repo / "dossiers" / "C000002.yaml").write_bytes(second.replace("民族: 汉族".encode(), "民族:   汉族".encode()))
    return ["fmt"]


@pytest.mark.parametrize("verb", [_transfer_out, _transfer_in, _xlsx_import, _fmt],
                         ids=["transfer-out", "transfer-in", "xlsx-import", "fmt"])
def test_a_kill_after_any_write_leaves_before_or_after(repo, env, run, tmp_path, verb):
    args = verb(repo, tmp_path)
    git(["add", "-A"], repo, env)
    git(["commit", "-qm", "建档"], repo, env)
    before = snapshot(repo)
    # the whole run first: what "after" is, and how many writes it takes
    code, _out, err = run(args, repo, env)
    assert code == 0, err
    after = snapshot(repo)
    assert after != before
    git(["checkout", "-q", "--", "."], repo, env)
    git(["clean", "-qfdx", "--", "dossiers", "ledgers"], repo, env)
    assert snapshot(repo) == before
    # the next command (any: here a read-only check) puts the repository back as it was
    kills, _out = kill_at_every_write(run, args, repo, env, before, after, then=(["check", "--quiet"], ["ledger", "check", "--quiet"]))
    assert kills >= 2  # the intent, then at least one of the files: the test reached the middle


def test_a_verb_keeps_the_file_mode(repo, env, run):
    path = repo / "dossiers" / "C000001.yaml"
    os.chmod(path, 0o644)
    code, _out, err = run(["file", "C000001", "--class", "10", "--title", "干部健康检查表", "--formed", "2026.10.10",
                           "--pages", "2"], repo, env)
    assert code == 0, err
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    os.chmod(path, 0o664)
    code, _out, err = run(["determine", "C000001", "入党时间", "1995.05", "--basis", "6-1", "--by", "中共长治市委组织部",
                           "--doc", "长组审〔2026〕12号"], repo, env)
    assert code == 0 and stat.S_IMODE(path.stat().st_mode) == 0o664, err


def test_two_verbs_at_once_lose_no_update(repo, env):
    """Two clerks' commands on one dossier at the same moment: both entries are there afterwards (the lock)."""
    from conftest import DANGAN

    results = []

    def file(title):
        p = subprocess.run([DANGAN, "file", "C000001", "--class", "10", "--title", title, "--formed", "2026.10.10",
                            "--pages", "1"], cwd=repo, env=env, capture_output=True, text=True, timeout=120)
        results.append(p)

    threads = [threading.Thread(target=file, args=(t,)) for t in ("体检表甲", "体检表乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    text = (repo / "dossiers" / "C000001.yaml").read_text("utf-8")
    ok = [p for p in results if p.returncode == 0]
    # each either wrote its entry or was refused because the other one changed the file since it read it:
    # what was reported done is in the file, nothing was silently overwritten
    for p in results:
        assert p.returncode == 0 or "被改动过" in p.stderr, p.stderr
    assert ok and sum(t in text for t in ("体检表甲", "体检表乙")) == len(ok)


def test_the_register_and_dossiers_agree(repo, env, run, tmp_path):
    """A dossier restored by hand after its 转出, or deleted after its 转入: ledger check names it."""
    git(["add", "-A"], repo, env)
    git(["commit", "-qm", "建档"], repo, env)
    assert run(_transfer_out(repo, tmp_path), repo, env)[0] == 0
    assert run(["ledger", "check"], repo, env)[0] == 0
    git(["checkout", "-q", "--", "dossiers/C000001.yaml"], repo, env)  # put back by hand
    code, out, _err = run(["ledger", "check"], repo, env)
    assert code == 1 and "G117" in out and "C000001 已登记转出" in out, out
    (repo / "dossiers" / "C000001.yaml").unlink()
    code, out, err = run(_transfer_in(repo, tmp_path), repo, env)
    assert code == 0, err
    number = [ln.split("编号: ")[1] for ln in (repo / "ledgers" / "转递.yaml").read_text("utf-8").splitlines()
              if "编号: " in ln and "原编号" not in ln][-1].strip()
    assert run(["ledger", "check"], repo, env)[0] == 0
    (repo / "dossiers" / f"{number}.yaml").unlink()
    code, out, _err = run(["ledger", "check"], repo, env)
    assert code == 1 and "G118" in out and f"{number} 已登记转入" in out, out


@pytest.mark.skipif(os.name == "nt", reason="the test holds the lock with fcntl")
def test_a_verb_waits_for_a_writer_between_its_check_and_its_write(repo, env):
    """attacks.md (e): with a pause between "unchanged since read" and the write, two `dangan file` both exited 0
    and one material was lost. Here the test is the other writer: it holds the repository's lock through its own
    check-then-write, with a long pause; the verb started meanwhile must wait, then see the change and refuse (or
    include it): never report done and be overwritten."""
    import fcntl
    import time

    from conftest import DANGAN
    from dangan.atomic import state_dir

    path = repo / "dossiers" / "C000001.yaml"
    where = state_dir(repo)
    where.mkdir(parents=True, exist_ok=True)
    with open(where / "lock", "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        ours = path.read_bytes()  # our read (and "unchanged since read" check)
        verb = subprocess.Popen([DANGAN, "file", "C000001", "--class", "10", "--title", "体检表乙", "--formed",
                                 "2026.10.10", "--pages", "1"], cwd=repo, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 6  # a verb that does not wait is done long before
        while verb.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        waited = verb.poll() is None
        # our write, from what we read: a comment added by hand
        path.write_bytes(ours.replace("\n档案目录:".encode(), "\n# 甲\n档案目录:".encode(), 1))
        fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
    _out, err = verb.communicate(timeout=120)
    text = path.read_text("utf-8")
    assert "# 甲\n档案目录:" in text  # our write stands …
    refused = verb.returncode == 2 and "被改动过" in err
    assert refused or (verb.returncode == 0 and "体检表乙" in text), (verb.returncode, err)
    assert waited, "the verb wrote while another writer held the repository's lock"
