"""What arrives is kept as it arrived (issue 11, case 4 / F13): ``dangan transfer in`` and the trail.

The register records the received file's hash (文件哈希) and what was written into dossiers/ (入库哈希); the first
commit of the dossier must be exactly those bytes (T007), and what it lacks is completed in later commits. A
person this repository held before (same 身份证号, or the 原编号 the 转入 records) must come back with the same key
facts, or each difference is a T008 — in ``dangan check``, at intake, in ``audit`` (and the hooks), in review,
on the site, and on the central repository. Real Git, real pre-commit, a real ``dangan server init``.
"""

from __future__ import annotations

import hashlib
import json

from conftest import git, valid_bytes
from dangan.load import load_bytes
from server_helpers import push, remote_tip
from test_check_cli import OTHER_ID, VALID_ID, sub
from test_history_git import birth
from test_precommit import commit
from test_trail_cases import _transfer_out, audit, birth_items, items, save

LEDGER = "ledgers/转递.yaml"
IN = ["--via", "机要交通", "--from", "省财政厅"]


def ledger(repo) -> list[dict]:
    return load_bytes((repo / LEDGER).read_bytes(), LEDGER, root_list=True).data


def sha(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def stranger(tmp_path, number="C000777") -> bytes:
    """Someone this repository never held: another 身份证号, a free 编号."""
    raw = sub(VALID_ID, OTHER_ID)(sub("编号: C000001", f"编号: {number}")(valid_bytes()))
    (tmp_path / "in.yaml").write_bytes(raw)
    return raw


def test_the_register_keeps_the_hash_and_the_intake_commits_clean(hooked, env, run, tmp_path):
    save(hooked, env, "初始档案", hooks=True)
    raw = stranger(tmp_path)
    code, out, err = run(["transfer", "in", tmp_path / "in.yaml", "--notice", "N1", *IN], hooked, env)
    assert code == 0, out + err
    entry = ledger(hooked)[-1]
    assert entry["文件哈希"] == entry["入库哈希"] == sha(raw)
    assert (hooked / "dossiers" / "C000777.yaml").read_bytes() == raw
    save(hooked, env, "转入 C000777", hooks=True)
    code, found = audit(run, hooked, env)
    assert code == 0 and not items(found, "T007"), found


def test_a_renumbered_intake_records_what_was_written(repo, env, run, tmp_path):
    save(repo, env, "初始档案")
    raw = stranger(tmp_path, "C000001")  # its number is taken here: it gets a new one
    code, out, err = run(["transfer", "in", tmp_path / "in.yaml", "--notice", "N1", *IN], repo, env)
    assert code == 0, out + err
    entry = ledger(repo)[-1]
    written = (repo / "dossiers" / f"{entry['编号']}.yaml").read_bytes()
    assert entry["原编号"] == "C000001" and entry["文件哈希"] == sha(raw) and entry["入库哈希"] == sha(written) != sha(raw)
    save(repo, env, "转入")
    code, found = audit(run, repo, env)
    assert code == 0, found


def test_an_intake_edited_before_its_first_commit_is_refused_and_caught(hooked, env, run, tmp_path):
    save(hooked, env, "初始档案", hooks=True)
    stranger(tmp_path)
    code, out, err = run(["transfer", "in", tmp_path / "in.yaml", "--notice", "N1", *IN], hooked, env)
    assert code == 0, out + err
    target = hooked / "dossiers" / "C000777.yaml"
    target.write_bytes(sub("健康状况: 健康", "健康状况: 良好")(target.read_bytes()))  # not even a protected field
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "转入（先改了再提交）")
    assert p.returncode != 0 and "T007" in p.stdout + p.stderr, p.stdout + p.stderr
    bad = save(hooked, env, "转入（先改了再提交）")
    for _ in range(2):  # the second run reads the scan index: what it keeps must say the same
        code, found = audit(run, hooked, env)
        [item] = items(found, "T007")
        assert code == 1 and item["提交"] == bad and item["编号"] == "C000777" and item["严重"]
    code, out, _err = run(["trail", "C000777"], hooked, env)
    assert "T007" in out


def test_a_register_entry_without_its_dossier_is_caught(repo, env, run, tmp_path):
    save(repo, env, "初始档案")
    stranger(tmp_path)
    code, out, err = run(["transfer", "in", tmp_path / "in.yaml", "--notice", "N1", *IN], repo, env)
    assert code == 0, out + err
    git(["add", LEDGER], repo, env)
    p = commit(repo, env, "只登记", "--no-verify")
    assert p.returncode == 0
    code, found = audit(run, repo, env)
    assert code == 1 and items(found, "T007", "C000777"), found


def test_an_incomplete_intake_is_committed_as_it_arrived_and_completed_after(hooked, env, run, tmp_path):
    save(hooked, env, "初始档案", hooks=True)
    raw = stranger(tmp_path)
    raw = sub('  - {类号: "6", 序号: 1, 材料名称: 入党志愿书, 形成时间: "1995.06.28", 页数: 10, 接收时间: "1995.07.10"}\n',
              "")(raw)
    raw = sub("健康状况: 健康", "健康状况:   健康")(raw)  # the sender's layout: dangan fmt --check would differ
    (tmp_path / "in.yaml").write_bytes(raw)
    code, out, err = run(["transfer", "in", tmp_path / "in.yaml", "--notice", "N1", *IN, "--accept"], hooked, env)
    assert code == 0 and "C504" in out, out + err  # accepted by decision (issue 16), its errors shown
    code, out, err = run(["check", "dossiers/C000777.yaml"], hooked, env)
    assert code == 0 and "接收时即有" in out, out + err  # the sender's shortfall: a warning until committed
    first = save(hooked, env, "转入 C000777（原样）", hooks=True)
    code, out, err = run(["check", "dossiers/C000777.yaml"], hooked, env)
    assert code == 1 and "C504" in out and "接收时即有" not in out, out + err  # committed: now it is ours to fix
    code, _out, err = run(["file", "C000777", "--class", "6", "--title", "入党志愿书", "--made", "1995.06.28",
                           "--pages", "10", "--received", "2026.11.25"], hooked, env)
    assert code == 0, err
    code, _out, err = run(["fmt", "dossiers/C000777.yaml"], hooked, env)  # and now into our layout
    assert code == 0, err
    save(hooked, env, "补齐入党志愿书，整理格式", hooks=True)
    code, found = audit(run, hooked, env)
    assert code == 0 and not items(found, "T003") and not items(found, "T007"), found
    assert git(["show", f"{first}:dossiers/C000777.yaml"], hooked, env).stdout.encode() == raw


# ---------------------------------------------------------------- case 4: the same person, other key facts

def _back_in(repo, env, run, tmp_path, **kw):
    copy = _transfer_out(repo, env, run, tmp_path)  # the copy says 出生年月 1960.01
    code, out, err = run(["transfer", "in", copy, "--notice", "晋组档转〔2026〕3号", *IN], repo, env)
    assert code == 0, out + err
    return out


def test_a_changed_copy_is_flagged_in_check_at_intake_in_audit_and_in_review(hooked, env, run, tmp_path):
    out = _back_in(hooked, env, run, tmp_path)
    assert "T008" in out and "1972.03 → 1960.01" in out, out  # at intake
    number = ledger(hooked)[-1]["编号"]
    assert number != "C000001" and ledger(hooked)[-1]["原编号"] == "C000001"
    code, out, err = run(["check"], hooked, env)
    assert code == 1 and f"dossiers/{number}.yaml" in out and "T008" in out and "出生年月" in out, out + err
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "转入")
    assert p.returncode != 0 and "T008" in p.stdout + p.stderr, p.stdout + p.stderr
    back = save(hooked, env, "转入")
    for _ in range(2):  # cold, then from the scan index
        code, found = audit(run, hooked, env)
        [item] = birth_items(found, "T008", back)
        assert code == 1 and item["编号"] == number and item["严重"] and not items(found, "T006")
    code, out, _err = run(["review", number, "--format", "json"], hooked, env)
    review = json.loads(out)
    assert review["结论"] == "暂缓" and any("转入" in a["字段"] and a["未经认定"] for a in review["改动记录"]), out
    from dangan.repo import Repo
    from dangan.site.trail import History

    history = History.load(Repo(hooked))
    [shown] = [c for c in history.unauthorised() if c.number == number]
    assert shown.field == "出生年月" and "转入" in shown.basis
    # a 认定 by this organisation (原值 what was held, 认定值 what came) settles it for check
    target = hooked / "dossiers" / f"{number}.yaml"
    target.write_bytes(sub("认定记录: []\n", """认定记录:
  - 项目: 出生年月
    原值: "1972.03"
    认定值: "1960.01"
    依据: ["1-1"]
    认定机关: 中共长治市委组织部
    认定日期: "2026.11.20"
    文号: 长组审〔2026〕9号
""")(target.read_bytes()))
    code, out, err = run(["check", str(target)], hooked, env)
    assert "T008" not in out, out + err


def test_the_same_person_under_the_senders_own_number_is_found_by_id(repo, env, run, tmp_path):
    copy = _transfer_out(repo, env, run, tmp_path)
    copy.write_bytes(copy.read_bytes().replace(b"C000001", b"X000009"))  # no 原编号 link: found by 身份证号
    code, out, err = run(["transfer", "in", copy, "--notice", "晋组档转〔2026〕4号", *IN], repo, env)
    assert code == 0 and "T008" in out, out + err
    back = save(repo, env, "转入")
    code, found = audit(run, repo, env)
    assert code == 1 and birth_items(found, "T008", back)


def test_an_honest_return_is_quiet_everywhere(repo, env, run, tmp_path):
    copy = _transfer_out(repo, env, run, tmp_path)
    copy.write_bytes(valid_bytes())
    code, out, err = run(["transfer", "in", copy, "--notice", "晋组档转〔2026〕5号", *IN], repo, env)
    assert code == 0 and "T008" not in out, out + err
    save(repo, env, "转入")
    code, out, err = run(["check"], repo, env)
    assert code == 0 and "T008" not in out, out + err
    code, found = audit(run, repo, env)
    assert code == 0, found


def test_the_central_repository_refuses_a_changed_copy_and_an_edited_intake(tmp_path, run, env, repo):
    bare = tmp_path / "central.git"
    code, out, err = run(["server", "init", bare], tmp_path, env)
    assert code == 0, out + err
    git(["remote", "add", "origin", str(bare)], repo, env)
    _back_in(repo, env, run, tmp_path)
    save(repo, env, "转入改过的副本")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "T008" in p.stderr and "出生年月" in p.stderr, p.stderr
    assert remote_tip(bare, env) is None
    # the transfer out alone goes through; an intake edited before its first commit does not
    git(["reset", "-q", "--hard", "HEAD~1"], repo, env)
    p = push(repo, env, "main")
    assert p.returncode == 0, p.stderr
    stranger(tmp_path)
    code, out, err = run(["transfer", "in", tmp_path / "in.yaml", "--notice", "N9", *IN], repo, env)
    assert code == 0, out + err
    target = repo / "dossiers" / "C000777.yaml"
    target.write_bytes(birth(target.read_bytes(), "1972.05"))
    save(repo, env, "转入（先改了再提交）")
    before = remote_tip(bare, env)
    p = push(repo, env, "main")
    assert p.returncode != 0 and "T007" in p.stderr and remote_tip(bare, env) == before, p.stderr
