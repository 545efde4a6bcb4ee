"""The 新任干部档案评分 frozen at intake, as every reader shows it (issue 16): `score --unit`, like `grade` and the
年终通报, counts a received dossier by the score recorded in its 转入 entry, not by today's file."""

from __future__ import annotations

import json

from test_verbs_transfer import IN_ARGS, _missing_party_form


def test_score_unit_shows_the_frozen_intake_score(repo, env, run, tmp_path):
    _missing_party_form(tmp_path)
    code, _out, err = run(["transfer", "in", tmp_path / "in.yaml", "--notice", "阳组档转〔2026〕8号", *IN_ARGS,
                           "--unit", "市财政局", "--accept", "--appointed", "2026.08.01", "--arrived", "2026.11.02",
                           "--date", "2026.11.10", "--by", "李明"], repo, env)
    assert code == 0, err
    frozen = json.loads(run(["score", "C000777", "--format", "json"], repo, env)[1])
    now = json.loads(run(["score", "C000777", "--now", "--format", "json"], repo, env)[1])
    assert frozen["转入评定"]["来自"] == "阳泉市财政局" and frozen["接收时间"] == "2026.11.02"
    code, out, err = run(["score", "--unit", "市财政局", "--format", "json"], repo, env)
    listed = {s["编号"]: s for s in json.loads(out)}
    # received 2026.11.02 (recent): listed with the score frozen in the register, as 转入评定
    assert listed["C000777"]["得分"] == frozen["得分"] and listed["C000777"]["转入评定"]["通知单号"] == "阳组档转〔2026〕8号"
    code, out, _ = run(["score", "--unit", "市财政局"], repo, env)
    assert f"C000777 {frozen['姓名']}  接收 2026.11.02  得分 {frozen['得分']}" in out, out
    # --now: today's file, whose latest 任免审批表 is not recent — not listed as a new cadre's dossier
    code, out, _ = run(["score", "--unit", "市财政局", "--now", "--format", "json"], repo, env)
    assert "C000777" not in {s["编号"] for s in json.loads(out)} and now["接收时间"] != "2026.11.02"
