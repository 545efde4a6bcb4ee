"""任职方式 on a 简历 segment and the materials a post won by 公选/竞争上岗/遴选 must carry (issue 22; C505, policy
完整性.竞争性选拔): checked by `dangan check`, chased by `dangan owed`."""

from __future__ import annotations

import json

from conftest import valid_bytes

SEGMENT = '    内容: 山西省长治市财政局预算科科长\n    性质: 工作\n    职级: 乡科级正职\n'
LAST = '  - {类号: "9-2", 序号: 4, 材料名称: 干部任免审批表（副局长）, 形成时间: "2016.08.05", 页数: 2, 接收时间: "2016.08.20"}\n'


def dossier(repo, how: str = "竞争上岗", materials: list[tuple[str, str, str]] = ()) -> None:
    text = valid_bytes().decode()
    assert SEGMENT in text and LAST in text
    text = text.replace(SEGMENT, SEGMENT + f"    任职方式: {how}\n")
    counts = {"9-2": 4, "3": 0}
    extra = ""
    for cls, title, formed in materials:
        counts[cls] += 1
        extra += (f'  - {{类号: "{cls}", 序号: {counts[cls]}, 材料名称: {title}, 形成时间: "{formed}", 页数: 2, '
                  f'接收时间: "2016.09.01"}}\n')
    (repo / "dossiers" / "C000001.yaml").write_text(text.replace(LAST, LAST + extra), "utf-8")


def codes(out: str) -> list[str]:
    return [line for line in out.splitlines() if " C505 " in line]


def test_a_post_won_by_competition_needs_the_selection_materials(repo, env, run):
    dossier(repo)
    code, out, err = run(["check"], repo, env)
    found = codes(out)
    assert code == 0 and len(found) == 4, out + err  # warnings (the bundled policy's 级别)
    assert all("简历第 4 段（2009.03 起，竞争上岗）" in line and "2008.03 至 2009.06" in line for line in found)
    assert {w for line in found for w in ("报名登记表", "笔试面试成绩", "考察材料", "任前公示") if f"缺少{w}" in line} == \
        {"报名登记表", "笔试面试成绩", "考察材料", "任前公示"}


def test_materials_in_the_window_and_classes_satisfy_it(repo, env, run):
    dossier(repo, materials=[("9-2", "竞争上岗报名登记表", "2009.01.10"), ("9-2", "竞争上岗笔试、面试成绩通知", "2009.02"),
                             ("3", "竞争上岗考察材料", "2009"), ("9-2", "任前公示情况报告", "2012.05.01")])
    code, out, err = run(["check"], repo, env)
    found = codes(out)
    assert len(found) == 1 and "缺少任前公示" in found[0], out + err  # the 公示 of 2012 is another post's
    code, out, err = run(["owed", "--format", "json"], repo, env)
    assert code == 1, err
    items = [i for i in json.loads(out)["未收到"] if i["代码"] == "C505"]
    assert [(i["类号"], i["材料"]) for i in items] == [("9-2", "任前公示（2009.03 竞争上岗山西省长治市财政局预算科科长）")]


def test_other_ways_need_nothing_more_and_a_wrong_way_is_refused(repo, env, run):
    dossier(repo, how="委任")
    code, out, err = run(["check"], repo, env)
    assert code == 0 and not codes(out), out + err
    dossier(repo, how="海选")
    code, out, err = run(["check"], repo, env)
    assert code == 1 and "S005" in out and "“任职方式”（简历[4].任职方式）的值“海选”不是规定的写法" in out, out + err


def test_the_rule_is_policy(repo, env, run):
    dossier(repo)
    policy = repo / "schema" / "policy.yaml"
    text = policy.read_text("utf-8")
    assert "    任职方式: [公选, 竞争上岗, 遴选]\n" in text
    policy.write_text(text.replace("    任职方式: [公选, 竞争上岗, 遴选]\n", "    任职方式: [公选]\n"), "utf-8")
    code, out, err = run(["check"], repo, env)
    assert not codes(out), out + err
    policy.write_text(text.replace("    前推月数: 12 ", "    前推月数: 一年 "), "utf-8")
    code, out, err = run(["check"], repo, env)
    assert code == 2 and "前推月数" in err and "Traceback" not in err, out + err
