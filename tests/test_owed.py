"""`dangan owed` (催收, issue 22): what a dossier lacks, chased in ledgers/催收.yaml, overdue in ledger check, closed
when the material is filed; the 催收通知 per unit."""

from __future__ import annotations

import json

import yaml

from conftest import git, valid_bytes

PARTY = '  - {类号: "6", 序号: 1, 材料名称: 入党志愿书, 形成时间: "1995.06.28", 页数: 10, 接收时间: "1995.07.10"}\n'


def lacking(repo, env) -> None:
    text = valid_bytes().decode()
    assert PARTY in text and "  - {年度: 1998, 结果: 称职}\n" in text
    text = text.replace(PARTY, "").replace("  - {年度: 1998, 结果: 称职}\n", "")
    (repo / "dossiers" / "C000001.yaml").write_text(text, "utf-8")
    git(["add", "-A"], repo, env)
    git(["commit", "-qm", "建档"], repo, env)


def test_owed_recorded_overdue_and_received(repo, env, run, tmp_path):
    lacking(repo, env)
    code, out, err = run(["owed", "--format", "json"], repo, env)
    assert code == 1, out + err
    items = json.loads(out)["未收到"]
    assert {(i["类号"], i["材料"], i["代码"]) for i in items} == {("6", "入党志愿书", "C504"),
                                                                 ("3", "1998年度考核登记表", "C502")}
    assert all(i["催收"] is None for i in items)
    code, out, err = run(["owed", "--record", "--date", "2026.11.01", "--commit"], repo, env)
    assert code == 1 and "登记催收 2 份材料" in out, out + err
    entries = yaml.safe_load((repo / "ledgers" / "催收.yaml").read_text("utf-8"))
    assert [(e["登记号"], e["限期"], e["催收单位"]) for e in entries] == [("2026-C001", "2026.12.01", "市财政局"),
                                                                       ("2026-C002", "2026.12.01", "市财政局")]
    code, out, _err = run(["owed"], repo, env)
    assert "已催收 2026.11.01，限期 2026.12.01" in out and "已逾期" not in out
    code, out, _err = run(["owed", "--record"], repo, env)
    assert "没有需要新登记的催收" in out  # nothing chased twice
    # past the deadline: overdue in the register check
    late = {**env, "DANGAN_TODAY": "2026.12.10"}
    code, out, err = run(["ledger", "check"], repo, late)
    assert out.count("G134") == 2 and "逾期 9 天" in out, out + err
    # the 入党志愿书 arrives and is filed: that item is received, the other still overdue
    code, _out, err = run(["file", "C000001", "--class", "6", "--title", "入党志愿书", "--formed", "1995.06.28",
                           "--pages", "10", "--received", "2026.11.20", "--commit"], repo, late)
    assert code == 0, err
    code, out, err = run(["ledger", "check"], repo, late)
    assert out.count("G134") == 1 and "1998年度考核登记表" in out, out + err
    code, out, _err = run(["owed"], repo, late)
    assert "已收到（催收后归档）：1 份" in out and "入党志愿书（2026-C002）" in out and "已逾期" in out
    # the notice for the unit
    code, _out, err = run(["owed", "--unit", "市财政局", "--notice", tmp_path / "n.html"], repo, late)
    page = (tmp_path / "n.html").read_text("utf-8")
    assert "<h1>干部档案材料催收通知</h1>" in page and "1998年度考核登记表" in page and "2026.12.01" in page
    assert "入党志愿书" not in page
    code, _out, err = run(["owed", "--notice", tmp_path / "x.html"], repo, late)
    assert code == 2 and "--unit" in err


def test_the_deadline_comes_from_the_policy_file(repo, env, run):
    """期限.催收天数 is a policy key the schema knows (a policy file that sets it is not refused)."""
    lacking(repo, env)
    policy = repo / "schema" / "policy.yaml"
    text = policy.read_text("utf-8")
    assert "  催收天数: 30" in text
    policy.write_text(text.replace("  催收天数: 30", "  催收天数: 7"), "utf-8")
    code, out, err = run(["owed", "--record", "--date", "2026.11.01"], repo, env)
    assert code == 1 and "Traceback" not in err, out + err
    entries = yaml.safe_load((repo / "ledgers" / "催收.yaml").read_text("utf-8"))
    assert {e["限期"] for e in entries} == {"2026.11.08"}
    policy.write_text(text.replace("  催收天数: 30", "  催收天数: 0"), "utf-8")
    code, out, err = run(["owed"], repo, env)
    assert code == 2 and "催收天数" in err and "Traceback" not in err, out + err
