"""The bundled repository as a newcomer clones it (issue 11): its trail starts at the declared baseline, and the
curated history after it shows each case a reviewer must recognise, as the README says.

A fresh clone of this project: ``dangan audit`` reports nothing of the development history before the baseline,
lists the two determinations (T000), the alteration of 出生年月 committed with --no-verify (T001) and its revert,
the transfer out and the transfer in (kept as it arrived), and the baseline itself (T208). Every later commit that
touches dossiers/ is judged here too: a change of a key fact needs its 认定, as a clerk would make it.
"""

from __future__ import annotations

import json

import pytest

from conftest import git


@pytest.fixture
def today(env):
    """The bundled data is dated as it was made: judged as of the real today, not the test suite's."""
    return {k: v for k, v in env.items() if k != "DANGAN_TODAY"}


def _audit(run, project_clone, env):
    code, out, err = run(["audit", "--format", "json"], project_clone, env)
    assert "Traceback" not in out + err, err
    return code, json.loads(out)


def test_a_fresh_clone_audits_clean_from_the_baseline(project_clone, today, run):
    env = today
    code, report = _audit(run, project_clone, env)
    found = report["问题"]
    assert report["留痕基线"] is not None and "示例档案录入完成" in report["留痕基线"]["说明"]
    baseline = report["留痕基线"]["提交"]
    assert [i["提交"] for i in found if i["代码"] == "T208"][:1] == [baseline]
    subjects = git(["log", "--format=%H %s", f"{baseline}..HEAD"], project_clone, env).stdout
    assert "C000001" not in {i["编号"] for i in found if i["严重"]}  # the development history is not counted
    # the curated cases
    determined = {(i["编号"], i["变动"]["字段"]) for i in found if i["代码"] == "T000"}
    assert {("C000002", "入党时间"), ("C000003", "学历学位[2].毕业院校")} <= determined, found
    altered = [i for i in found if i["代码"] == "T001" and i["编号"] == "C000005"]
    assert altered and altered[0]["变动"] == {**altered[0]["变动"], "字段": "出生年月", "原值": "1986.09",
                                             "新值": "1988.09"}, altered
    assert "Revert" in subjects and "转出 C000008" in subjects and "转入 C0000" in subjects
    # nothing needs handling: the revert settles the alteration, which stays listed as 已撤销
    assert not [i for i in found if i["严重"]] and code == 0, found
    assert "已撤销" in altered[0]["说明"], altered
    # the site's pages read the same trail: the alteration is on it, the development history is not
    from dangan.repo import Repo
    from dangan.site.trail import History

    shown = History.load(Repo(project_clone))
    assert any(c.number == "C000005" and c.field == "出生年月" and c.before == "1986.09" for c in shown.changes)
    assert not any(c.number == "C000001" and c.unauthorised for c in shown.changes)


def test_the_transfers_show_in_the_register_and_the_trail(project_clone, today, run):
    env = today
    from dangan.load import load_bytes

    entries = load_bytes((project_clone / "ledgers" / "转递.yaml").read_bytes(), "转递", root_list=True).data
    out = next(e for e in entries if e["方向"] == "转出")
    came = next(e for e in entries if e["方向"] == "转入")
    assert out["编号"] == "C000008" and out["回执日期"] and not (project_clone / "dossiers" / "C000008.yaml").exists()
    assert came["回执日期"] and came["文件哈希"] != came["入库哈希"]  # its 管档单位 became ours on intake
    code, text, err = run(["trail", came["编号"]], project_clone, env)
    assert code == 0 and "原样入库" in text and "T007" not in text, text + err
    code, text, err = run(["trail", "C000005"], project_clone, env)
    assert code == 0 and "1986.09 → 1988.09" in text and "留痕基线" in text, text + err
    code, text, err = run(["check"], project_clone, env)
    assert code == 0, text + err
