"""The five ways round the trail (attacks.md F1–F3, F13, F17) and their variations, in real Git with real hooks.

Each is refused by the hooks where they run, and ``dangan audit`` names the dossier and the field (exit 1) on
the commit where it happens; the central repository's refusals are in test_trail_server.py. Honest
variations (a clean merge, a documented transfer, a rename to .yml) must stay quiet: a trail that cries wolf
is switched off.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import FULL_ID, git, valid_bytes
from test_check_cli import OTHER_ID, VALID_ID
from test_history_git import DOSSIER, authorised, birth
from test_precommit import commit, head


def save(repo, env, message, *extra, hooks: bool = False):
    git(["add", "-A"], repo, env)
    p = commit(repo, env, message, *(() if hooks else ("--no-verify",)), *extra)
    assert p.returncode == 0, p.stdout + p.stderr
    return head(repo, env)


def audit(run, repo, env, *args):
    code, out, err = run(["audit", "--format", "json", *args], repo, env)
    assert "Traceback" not in out + err and not FULL_ID.search(out + err), out + err
    return code, json.loads(out)["问题"] if out.strip() else []


def items(found, code=None, number=None):
    return [i for i in found if (code is None or i["代码"] == code) and (number is None or i["编号"] == number)]


def birth_items(found, code, commit_id):
    return [i for i in found if i["代码"] == code and i.get("提交") == commit_id and "出生年月" in i["说明"]
            and i["变动"]["字段"] == "出生年月"]


# ---------------------------------------------------------------- 1. a lone CR

def cr_trick(raw: bytes) -> bytes:
    """F1: a quoted 现任职务 swallows a fake 出生年月; after a CR the real one says 1990.01."""
    text = raw.decode()
    text = re.sub(r"^现任职务: .*\n", "", text, flags=re.M)
    text = text.replace('出生年月: "1972.03"\n民族: 汉族\n',
                        "现任职务: '长治市财政局副局长\n出生年月: \"1972.03\"\n民族: x'\r出生年月: \"1990.01\"\r民族: 汉族\n")
    return text.encode()


def test_a_lone_cr_is_refused_by_the_hooks_and_named_by_audit(hooked, env, run):
    save(hooked, env, "初始档案", hooks=True)
    (hooked / DOSSIER).write_bytes(cr_trick(valid_bytes()))
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "改职务")
    out = p.stdout + p.stderr
    assert p.returncode != 0 and "L008" in out
    assert next(x for x in out.splitlines() if x.startswith("留痕核对")).endswith(".未通过"), out
    bad = save(hooked, env, "改职务")
    code, found = audit(run, hooked, env)
    assert code == 1
    assert birth_items(found, "T001", bad), found  # the field is named: read as YAML reads it
    assert any(i["代码"] == "T003" and "L008" in i["说明"] for i in found)


# ---------------------------------------------------------------- 2. out of dossiers/ and back

@pytest.mark.parametrize("parking", ["archive/C000001.yaml", "dossiers/C000001.yaml.bak", "dossiers/old/C000001.yaml",
                                     "C000001.txt"])
def test_moving_out_editing_and_moving_back_is_seen(hooked, env, run, parking):
    save(hooked, env, "初始档案", hooks=True)
    (hooked / parking).parent.mkdir(parents=True, exist_ok=True)
    git(["mv", DOSSIER, parking], hooked, env)
    p = commit(hooked, env, "整理")
    assert p.returncode != 0 and "T002" in p.stdout + p.stderr, p.stdout + p.stderr  # refused when it leaves
    out_commit = save(hooked, env, "整理")
    (hooked / parking).write_bytes(birth(valid_bytes(), "1980.06"))
    edit = save(hooked, env, "改", hooks=True)  # outside dossiers/ no dossier hook speaks: the return must
    (hooked / "dossiers").mkdir(exist_ok=True)
    git(["mv", parking, DOSSIER], hooked, env)
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "放回")
    assert p.returncode != 0 and "T006" in p.stdout + p.stderr, p.stdout + p.stderr
    back = save(hooked, env, "放回")
    code, found = audit(run, hooked, env)
    assert code == 1
    assert [i["提交"] for i in items(found, "T002", "C000001")] == [out_commit]
    [item] = birth_items(found, "T006", back)
    assert item["变动"]["原值"] == "1972.03" and item["变动"]["新值"] == "1980.06" and out_commit[:10] in item["说明"]
    assert not items(found, "T001")  # edit stays out of it: compared with what the repository last held
    code, out, err = run(["trail", "C000001"], hooked, env)
    assert code == 0, out + err
    assert edit[:10] in out and "在档案库外" in out and "1972.03 → 1980.06" in out and "移出档案库" in out


def test_deleting_and_re_adding_a_changed_copy_is_seen(repo, env, run):
    save(repo, env, "初始档案")
    git(["rm", "-q", DOSSIER], repo, env)
    gone = save(repo, env, "删")
    (repo / "dossiers").mkdir(exist_ok=True)
    (repo / DOSSIER).write_bytes(birth(valid_bytes(), "1980.06"))
    back = save(repo, env, "恢复")
    code, found = audit(run, repo, env)
    assert code == 1 and [i["提交"] for i in items(found, "T002")] == [gone] and birth_items(found, "T006", back)


def test_honest_moves_are_quiet(repo, env, run):
    save(repo, env, "初始档案")
    git(["mv", DOSSIER, "dossiers/C000001.yml"], repo, env)  # another suffix inside dossiers/: a rename
    save(repo, env, "改扩展名")
    (repo / "dossiers" / "C000001.yml").write_bytes(authorised(valid_bytes()))
    save(repo, env, "认定")
    code, found = audit(run, repo, env)
    assert code == 0, found
    assert [i["代码"] for i in found] == ["T000"]


# ---------------------------------------------------------------- 3. merges

def _branches(repo, env):
    """main and side each edit another dossier's 现任职务; C000002/C000003 are copies of C000001 (other numbers)."""
    for number, ident in (("C000002", OTHER_ID), ("C000003", "142521197203150054")):
        raw = valid_bytes().replace(b"C000001", number.encode()).replace(VALID_ID.encode(), ident.encode())
        (repo / "dossiers" / f"{number}.yaml").write_bytes(raw)
    save(repo, env, "初始档案")
    git(["checkout", "-q", "-b", "side"], repo, env)
    path = repo / "dossiers" / "C000002.yaml"
    path.write_bytes(path.read_bytes().replace("现任职务: 长治市财政局副局长".encode(), "现任职务: 长治市财政局局长".encode()))
    save(repo, env, "side")
    git(["checkout", "-q", "main"], repo, env)
    path = repo / "dossiers" / "C000003.yaml"
    path.write_bytes(path.read_bytes().replace("现任职务: 长治市财政局副局长".encode(), "现任职务: 长治市财政局局长".encode()))
    save(repo, env, "main")


def test_an_evil_merge_is_refused_by_the_hooks_and_caught_after_no_verify(hooked, env, run):
    _branches(hooked, env)
    git(["merge", "-q", "--no-ff", "--no-commit", "side"], hooked, env)
    (hooked / DOSSIER).write_bytes(birth(valid_bytes(), "1990.01"))
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "合并")
    assert p.returncode != 0 and "T001 C000001" in p.stdout + p.stderr, p.stdout + p.stderr
    merge = save(hooked, env, "合并")
    code, found = audit(run, hooked, env)
    assert code == 1
    [item] = birth_items(found, "T001", merge)
    assert "合并提交本身" in item["说明"]
    assert len(items(found, "T001")) == 1  # the side branch's ordinary edit is not an alteration
    assert audit(run, hooked, env, "--deep")[0] == 1
    code, out, _ = run(["trail", "C000001"], hooked, env)
    assert merge[:10] in out and "1972.03 → 1990.01" in out


def test_a_clean_merge_and_a_merge_taking_one_side_are_quiet(hooked, env, run):
    _branches(hooked, env)
    p = git(["merge", "-q", "--no-ff", "-m", "合并", "side"], hooked, env, check=False)  # runs pre-merge-commit
    assert p.returncode == 0, p.stdout + p.stderr
    # both sides change the same field: the resolution takes one of them, nothing new
    git(["checkout", "-q", "-b", "a"], hooked, env)
    path = hooked / "dossiers" / "C000002.yaml"
    path.write_bytes(path.read_bytes().replace("健康状况: 健康".encode(), "健康状况: 一般".encode()))
    save(hooked, env, "a")
    git(["checkout", "-q", "main"], hooked, env)
    path.write_bytes(path.read_bytes().replace("健康状况: 健康".encode(), "健康状况: 良好".encode()))
    save(hooked, env, "b")
    git(["merge", "-q", "--no-commit", "a"], hooked, env, check=False)
    path.write_bytes(git(["show", "a:dossiers/C000002.yaml"], hooked, env).stdout.encode())
    save(hooked, env, "合并 a", hooks=True)
    code, found = audit(run, hooked, env)
    assert code == 0, found


def test_an_octopus_merge_is_audited(repo, env, run):
    _branches(repo, env)
    git(["checkout", "-q", "-b", "third", "main~1"], repo, env)
    (repo / "dossiers" / "C000002.yaml").write_bytes((repo / "dossiers" / "C000002.yaml").read_bytes()
                                                     .replace("健康状况: 健康".encode(), "健康状况: 一般".encode()))
    save(repo, env, "third")
    git(["checkout", "-q", "main"], repo, env)
    p = git(["merge", "-q", "--no-commit", "side", "third"], repo, env, check=False)
    assert "octopus" in (p.stdout + p.stderr).lower() or p.returncode == 0, p.stdout + p.stderr
    (repo / DOSSIER).write_bytes(birth(valid_bytes(), "1990.01"))
    merge = save(repo, env, "三方合并")
    assert len(git(["rev-list", "--parents", "-n1", "HEAD"], repo, env).stdout.split()) == 4
    code, found = audit(run, repo, env)
    assert code == 1 and birth_items(found, "T001", merge) and len(items(found, "T001")) == 1


# ---------------------------------------------------------------- 4. transfer out, transfer in a changed copy

def _transfer_out(repo, env, run, tmp_path):
    save(repo, env, "初始档案")
    copy = tmp_path / "收件" / "王建国.yaml"
    copy.parent.mkdir()
    copy.write_bytes(birth(valid_bytes(), "1960.01"))  # what comes back: another birth date
    code, out, err = run(["transfer", "out", "C000001", "--to", "省财政厅", "--notice", "长组档转〔2026〕15号",
                          "--via", "机要交通"], repo, env)
    assert code == 0, out + err
    save(repo, env, "转出", hooks=True) if (repo / ".pre-commit-config.yaml").exists() else save(repo, env, "转出")
    return copy


def test_a_changed_copy_transferred_back_in_is_seen(hooked, env, run, tmp_path):
    copy = _transfer_out(hooked, env, run, tmp_path)
    code, out, err = run(["transfer", "in", copy, "--notice", "晋组档转〔2026〕3号", "--via", "机要交通",
                          "--from", "省财政厅"], hooked, env)
    assert code == 0, out + err
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "转入")
    assert p.returncode != 0 and "T008" in p.stdout + p.stderr, p.stdout + p.stderr
    back = save(hooked, env, "转入")
    code, found = audit(run, hooked, env)
    assert code == 1 and not items(found, "T002")
    [item] = birth_items(found, "T008", back)
    assert item["编号"] in ("C000001", "C000002") and item["变动"]["新值"] == "1960.01"


def test_the_same_person_under_a_new_number_is_compared_by_id(repo, env, run, tmp_path):
    copy = _transfer_out(repo, env, run, tmp_path)
    raw = copy.read_bytes().replace(b"C000001", b"X000009")  # the sender's own number: no 原编号 link
    copy.write_bytes(raw)
    code, out, err = run(["transfer", "in", copy, "--notice", "晋组档转〔2026〕4号", "--via", "机要交通",
                          "--from", "省财政厅"], repo, env)
    assert code == 0, out + err
    back = save(repo, env, "转入")
    code, found = audit(run, repo, env)
    assert code == 1 and birth_items(found, "T008", back)


def test_an_unchanged_return_is_quiet(repo, env, run, tmp_path):
    copy = _transfer_out(repo, env, run, tmp_path)
    copy.write_bytes(valid_bytes())
    code, out, err = run(["transfer", "in", copy, "--notice", "晋组档转〔2026〕5号", "--via", "机要交通",
                          "--from", "省财政厅"], repo, env)
    assert code == 0, out + err
    save(repo, env, "转入")
    code, found = audit(run, repo, env)
    assert code == 0, found


# ---------------------------------------------------------------- 5. an unreadable version hides the next change

def test_an_unreadable_version_never_hides_the_next_change(hooked, env, run):
    save(hooked, env, "初始档案", hooks=True)
    (hooked / DOSSIER).write_bytes(valid_bytes().replace("民族: 汉族".encode(), "民族:\t汉族".encode()))
    tab = save(hooked, env, "带制表符")
    (hooked / DOSSIER).write_bytes(birth(valid_bytes(), "1990.01"))
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "修好")
    assert p.returncode != 0 and "T001 C000001  出生年月：1972.03 → 1990.01" in p.stdout + p.stderr, p.stdout + p.stderr
    fixed = save(hooked, env, "修好")
    code, found = audit(run, hooked, env)
    assert code == 1
    assert [i["提交"] for i in items(found, "T003")] == [tab]
    [item] = birth_items(found, "T001", fixed)
    assert item["变动"]["原值"] == "1972.03"
    assert any(i["代码"] == "T005" and tab[:10] not in i["说明"] and "已与此前能读取的版本" in i["说明"] for i in found)


# ---------------------------------------------------------------- the reviewer's diff agrees with audit

def test_diff_judges_deletions_new_dossiers_and_comments_as_audit_does(repo, env, run):
    other = valid_bytes().replace(b"C000001", b"C000002").replace(VALID_ID.encode(), OTHER_ID.encode())
    (repo / "dossiers" / "C000002.yaml").write_bytes(other)
    base = save(repo, env, "初始档案")
    code, out, err = run(["transfer", "out", "C000001", "--to", "省财政厅", "--notice", "长组档转〔2026〕15号",
                          "--via", "机要交通"], repo, env)
    assert code == 0, out + err
    sent = save(repo, env, "转出")
    code, out, _ = run(["diff", f"{base}..{sent}"], repo, env)
    assert code == 0 and "已登记转出" in out and "✗" not in out, out
    git(["rm", "-q", "dossiers/C000002.yaml"], repo, env)
    gone = save(repo, env, "删")
    code, out, _ = run(["diff", f"{sent}..{gone}"], repo, env)
    assert code == 1 and "✗ 没有转出记录" in out and "不应批准" in out, out
    assert audit(run, repo, env, f"{sent}..{gone}")[0] == 1
    # a new dossier: its key facts, masked; a comment: shown
    new = valid_bytes().replace(b"C000001", b"C000003").replace(VALID_ID.encode(), b"142521197203150054")
    (repo / "dossiers").mkdir(exist_ok=True)
    (repo / "dossiers" / "C000003.yaml").write_bytes(new)
    added = save(repo, env, "新建")
    code, out, _ = run(["diff", f"{gone}..{added}"], repo, env)
    assert code == 0 and "姓名：王建国" in out and "出生年月：1972.03" in out and "1425**********0054" in out, out
    assert "李秀英" not in out and not FULL_ID.search(out)  # no family, no full ID
    path = repo / "dossiers" / "C000003.yaml"
    path.write_bytes(path.read_bytes().replace("健康状况: 健康".encode(), "健康状况: 健康  # 电话 13903551234".encode()))
    code, out, _ = run(["diff"], repo, env)  # the working tree
    assert code == 0 and "只改动了注释或排版" in out and "电话 13903551234" in out, out
