"""姓名 and 身份证号 are protected, and a masked ID number never hides that it changed (issue 11, d4).

A change needs a 认定 citing a material of class 1 (履历类) or 5 (政审、审计和审核类); every view — audit,
trail, diff, review, ``git log -p`` through the textconv driver — shows the masked old and new number and
which positions differ, and none of them ever prints a whole number.
"""

from __future__ import annotations

import json

from stdnum.cn import ric

from conftest import DANGAN, FULL_ID, git, valid_bytes
from test_check_cli import VALID_ID, sub
from test_history_git import DOSSIER, write_commit
from test_precommit import commit, first_commit

BY = ["--by", "中共长治市委组织部", "--doc", "长组审〔2026〕30号"]


def same_ends() -> str:
    """Another valid ID of the same man that masks exactly alike: only the birth day (第 13–14 位) differs."""
    for day in range(1, 29):
        other = f"{VALID_ID[:12]}{day:02d}{VALID_ID[14:17]}"
        other += ric.calc_check_digit(other + "0")
        if other != VALID_ID and other[-4:] == VALID_ID[-4:]:
            return other
    raise AssertionError("no such ID")


NEW_ID = same_ends()
WHERE = "（第 13–14 位不同）"


def clean(*texts: str) -> str:
    text = "".join(texts)
    assert "Traceback" not in text and not FULL_ID.search(text), text
    return text


def textconv(repo, env):
    (repo / ".gitattributes").write_text("dossiers/*.yaml diff=dangan\n")
    git(["config", "diff.dangan.textconv", f"{DANGAN} textconv"], repo, env)


def test_a_changed_id_number_shows_in_every_view_never_whole(repo, env, run):
    textconv(repo, env)
    write_commit(repo, env, "初始档案")
    write_commit(repo, env, "更新 C000001 信息", sub(VALID_ID, NEW_ID)(valid_bytes()))
    shown = f"身份证号：{VALID_ID[:4]}**********{VALID_ID[-4:]} → {NEW_ID[:4]}**********{NEW_ID[-4:]}{WHERE}"
    code, out, err = run(["audit"], repo, env)
    assert code == 1 and f"T001 C000001  {shown}" in clean(out, err)
    code, out, err = run(["audit", "--format", "json"], repo, env)
    [item] = [i for i in json.loads(clean(out, err))["问题"] if i["代码"] == "T001"]
    assert item["变动"]["字段"] == "身份证号" and item["变动"]["不同位置"] == "第 13–14 位"
    code, out, err = run(["diff", "HEAD~1..HEAD"], repo, env)
    assert code == 1 and shown in clean(out, err) and "✗" in out
    code, out, err = run(["trail", "C000001"], repo, env)
    assert shown in clean(out, err)
    code, out, err = run(["review", "C000001"], repo, env)
    assert f"身份证号 {VALID_ID[:4]}**********{VALID_ID[-4:]} → " in clean(out, err) and WHERE in out
    # git log -p: each version is rendered alone, so the hidden part carries a keyed digest that differs
    log = clean(git(["log", "-p", "-1"], repo, env).stdout)
    minus = [line for line in log.splitlines() if line.startswith("-身份证号")]
    plus = [line for line in log.splitlines() if line.startswith("+身份证号")]
    assert len(minus) == len(plus) == 1 and minus[0][1:] != plus[0][1:], log
    assert "第 5–6 位 #" in minus[0] and "第 7–14 位 #" in minus[0]
    part = lambda line, n: line[1:].split("，")[n]  # noqa: E731 - 第 5–6 位 alike, 第 7–14 位 not
    assert part(minus[0], 0) == part(plus[0], 0) and part(minus[0], 1) != part(plus[0], 1)


def test_a_name_changes_only_on_a_determination_citing_class_1_or_5(hooked, env, run):
    first_commit(hooked, env)
    (hooked / DOSSIER).write_bytes(sub("姓名: 王建国", "姓名: 王建华")(valid_bytes()))
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "改姓名")
    assert p.returncode != 0 and "姓名：王建国 → 王建华" in p.stdout + p.stderr  # the hook refuses it
    git(["reset", "-q", "--hard"], hooked, env)
    code, _out, err = run(["determine", "C000001", "姓名", "王建华", "--basis", "6-1", *BY], hooked, env)
    assert code != 0 and "第一类（履历类）或第五类" in err  # 入党志愿书 is no basis for a name
    code, out, err = run(["determine", "C000001", "姓名", "王建华", "--basis", "1-1", *BY], hooked, env)
    assert code == 0, err
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "认定姓名")
    assert p.returncode == 0, p.stdout + p.stderr
    code, out, err = run(["audit"], hooked, env)
    assert code == 0 and "T000 C000001  姓名：王建国 → 王建华  已认定" in out, out + err


def test_a_handwritten_determination_without_class_1_or_5_is_not_enough(repo, env, run):
    write_commit(repo, env, "初始档案")
    record = ("认定记录:\n  - 项目: 姓名\n    原值: 王建国\n    认定值: 王建华\n    依据: [\"6-1\"]\n"
              "    认定机关: 中共长治市委组织部\n    认定日期: \"2026.11.20\"\n    文号: 长组审〔2026〕31号\n")
    write_commit(repo, env, "改姓名", sub("认定记录: []\n", record)(sub("姓名: 王建国", "姓名: 王建华")(valid_bytes())),
                 DOSSIER, "--no-verify")
    code, out, err = run(["audit"], repo, env)
    assert code == 1 and "T001 C000001  姓名：王建国 → 王建华" in out and "没有第一类或第五类材料" in out, out + err


def test_an_id_number_determined_is_never_echoed(hooked, env, run):
    first_commit(hooked, env)
    code, out, err = run(["determine", "C000001", "身份证号", NEW_ID, "--basis", "1-1", *BY, "--old", VALID_ID],
                         hooked, env)
    assert code == 0 and WHERE in clean(out, err), out + err
    records = (hooked / DOSSIER).read_text()
    assert f'原值: "{VALID_ID}"' in records and f'认定值: "{NEW_ID}"' in records  # the 认定 itself is exact
    checked = run(["check", DOSSIER], hooked, env)
    assert "R109" not in clean(checked[1], checked[2])  # the cadre's own numbers in the 认定 that changed them
    code, _out, err = run(["determine", "C000001", "身份证号", VALID_ID, "--basis", "1-1", *BY, "--old", VALID_ID],
                          hooked, env)
    assert code != 0 and "不符" in clean(err)  # a wrong --old: both masked in the refusal
    message = out.split("建议提交说明：", 1)[1].split("\n", 1)[0]
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, message)
    assert p.returncode == 0, p.stdout + p.stderr
    assert not FULL_ID.search(git(["log", "-1", "--format=%B"], hooked, env).stdout)
    code, out, err = run(["audit"], hooked, env)
    assert code == 0 and "T000 C000001  身份证号：" in clean(out, err) and WHERE in out
