"""The 新任干部档案评分 frozen at intake, as every reader shows it (issue 16): `score --unit`, like `grade` and the
年终通报, counts a received dossier by the score recorded in its 转入 entry, not by today's file."""

from __future__ import annotations

import hashlib
import json

from conftest import PROJECT, git
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


# ---------------------------------------------------------------- the bundled intakes and their 年终通报

INCOMING = PROJECT / "tests" / "data" / "intake"  # the files as the sending units sent them (replay.sh made the commits)
DAY = "2026.12.03"


def _on(env, day=DAY):
    return {**env, "DANGAN_TODAY": day}


def _register(root) -> list[dict]:
    from dangan.load import load_bytes

    return load_bytes((root / "ledgers" / "转递.yaml").read_bytes(), "转递", root_list=True).data


def _bulletin_rows(text: str) -> dict[str, tuple[int, ...]]:
    rows = {}
    for line in text.splitlines():
        cells = line.split()
        if len(cells) == 10 and all(c.isdigit() for c in cells[1:]):
            rows[cells[0]] = tuple(map(int, cells[1:]))
    return rows


# The 2026 通报, counted by hand from the 2026 entries of ledgers/转递.yaml whose 方向 is 转入 or 退回
# (columns: 报送, 优秀, 合格, 不合格, 未评分, 单项否决, 退回, 退回重新认定, 组织部改正认定):
# - 晋城市财政局: 宋洁晶 returned 2026.11.23 (no 入党志愿书), sent again 2026.11.25 and received: 任命 2026.10.20 →
#   报送 2026.11.24, within two months, nothing missing: 100, 优秀. Two sent, one returned.
# - 襄垣县委组织部: 王瑞 (C000051) 任命 2026.10.30 → 报送 2026.11.20, nothing missing: 100, 优秀; 张帅鑫 returned
#   2026.11.21, 出生年月 determined against the earliest record (内容真实: 退回重新认定); 王思 (C000052) 任命
#   2026.09.15 → 报送 2026.11.21, past 2026.11.15: −3, 参加工作时间 determined without a 上级批复: −4 → 93, 合格, and
#   her 认定 corrected by the 市委组织部 (组织部改正认定).
# - 阳泉市财政局: C000049 received 2026.11.19 before scores were frozen at intake (未评分); 陈瑞晨 (C000050) 任命
#   2026.08.10 → 报送 2026.11.18: −3, no 研究生报考登记表: −1 → 96, but a 公务员 without a 公务员登记表: 单项否决,
#   不合格.
BULLETIN = {
    "晋城市财政局": (2, 1, 0, 0, 0, 0, 1, 0, 0),
    "襄垣县委组织部": (3, 1, 1, 0, 0, 0, 1, 1, 1),
    "阳泉市财政局": (2, 0, 0, 1, 1, 1, 0, 0, 0),
    "合计": (7, 2, 1, 1, 1, 1, 2, 1, 1),
}
FROZEN = {"C000050": (96, "不合格"), "C000051": (100, "优秀"), "C000052": (93, "合格"), "C000053": (100, "优秀")}
RETURNED = {"晋城市财政局": ["宋洁晶：缺少入党志愿书（第六类 6-4 空缺），请补齐后重新转递"],
            "襄垣县委组织部": ["张帅鑫：出生年月认定不准确（未按最早记载认定，也没有第五类批复），请重新认定后转递"]}


def test_the_bundled_intakes_were_made_by_transfer_in_from_the_files_kept(project_clone):
    """Each bundled 转入/退回 of 2026.11.19– records the hash of a file kept in tests/data/intake/ (replay.sh)."""
    kept = {f"sha256:{hashlib.sha256(p.read_bytes()).hexdigest()}": p.stem for p in INCOMING.glob("*.yaml")}
    came = [e for e in _register(project_clone) if e["方向"] in ("转入", "退回") and e["通知单号"].startswith(("阳组档转〔2026〕15",
                                                                                       "襄组档转", "晋组档转〔2026〕16"))]
    assert sorted(kept[e["文件哈希"]] for e in came) == sorted(["陈瑞晨", "王瑞", "张帅鑫", "王思", "宋洁晶"])
    scored = {e["编号"]: (e["新任评分"]["得分"], e["新任评分"]["等次"]) for e in came if "新任评分" in e}
    assert scored == FROZEN
    again = next(e for e in came if e["姓名"] == "宋洁晶")
    assert again["整改"] == "晋组档转〔2026〕14号" and again["方向"] == "转入"


def test_the_year_end_bulletin_by_hand(project_clone, env, run, tmp_path):
    code, out, err = run(["score", "--report", "2026"], project_clone, _on(env))
    assert code == 0, err
    assert _bulletin_rows(out) == BULLETIN, out
    for unit, lines in RETURNED.items():
        assert f"{unit} 退回 {len(lines)} 份：" in out and all(f"  {line}" in out for line in lines), out
    code, out, _ = run(["score", "--report", "2026", "--format", "json"], project_clone, _on(env))
    assert {u["报送单位"]: u["退回原因"] for u in json.loads(out) if u["退回原因"]} == RETURNED
    for fmt in ("html", "xlsx"):
        code, _out, err = run(["score", "--report", "2026", "--format", fmt, "-o", tmp_path / f"r.{fmt}"], project_clone, _on(env))
        assert code == 0 and (tmp_path / f"r.{fmt}").stat().st_size > 1000, err
    assert "襄垣县委组织部" in (tmp_path / "r.html").read_text("utf-8")


def test_grade_reads_the_frozen_intake_scores(project_clone, env, run):
    """A received dossier put right after intake: the 通报, score and grade still judge what arrived."""
    e = _on(env)
    before = {c: json.loads(run(["score", c, "--format", "json"], project_clone, e)[1]) for c in FROZEN}
    assert {c: (s["得分"], s["等次"]) for c, s in before.items()} == FROZEN
    grade_before = json.loads(run(["grade", "市财政局", "--format", "json"], project_clone, e)[1])["单位"][0]
    report_before = run(["score", "--report", "2026"], project_clone, e)[1]
    # 阳泉市财政局 sends the 公务员登记表 it owed; the clerk files it
    code, out, err = run(["file", "C000050", "--class", "9-2", "--title", "公务员登记表", "--made", "2010.08.02",
                          "--pages", "4", "--received", "2026.12.02"], project_clone, e)
    assert code == 0, out + err
    git(["config", "user.name", "李明（市财政局人事科）"], project_clone, e)
    git(["config", "user.email", "liming@czj.example.invalid"], project_clone, e)
    git(["commit", "-qam", "归档 C000050 9-2《公务员登记表》"], project_clone, e)
    now = json.loads(run(["score", "C000050", "--now", "--format", "json"], project_clone, e)[1])
    assert now["单项否决"] == [] and now["等次"] != "不合格"  # today's file: the veto is gone ...
    frozen = json.loads(run(["score", "C000050", "--format", "json"], project_clone, e)[1])
    assert (frozen["得分"], frozen["等次"]) == (96, "不合格") and frozen["单项否决"]  # ... what arrived is judged
    assert run(["score", "--report", "2026"], project_clone, e)[1] == report_before
    after = json.loads(run(["grade", "市财政局", "--format", "json"], project_clone, e)[1])["单位"][0]
    assert after["新任平均分"] == grade_before["新任平均分"] and after["新任档案"] == grade_before["新任档案"] == 5
    assert after["完整率"] > grade_before["完整率"]  # the file itself did get better
    code, out, _ = run(["score", "--unit", "市财政局"], project_clone, e)
    assert "C000050 陈瑞晨  接收 2026.11.18  得分 96  不合格" in out and "C000052 王思  接收 2026.11.21  得分 93  合格" in out


def test_grade_counts_the_bundled_clocks(project_clone, env, run):
    """As of the tests' day nothing of the 退回 is due; by 2026.12.03 张帅鑫's 整改 (due 2026.12.01) is overdue for
    市财政局, which returned it; the two late arrivals are the senders' (outside the policy), named in the notes."""
    u, doc = _grade(run, project_clone, _on(env, "2026.11.25"))
    assert (u["退回整改逾期"], u["逾期转递"], u["逾期审核入库"], u["逾期未还"]) == (0, 0, 0, 1)
    u, doc = _grade(run, project_clone, _on(env))
    assert (u["退回整改逾期"], u["逾期未还"], u["逾期"]) == (1, 1, 2), u
    assert "张帅鑫" in u["逾期明细"][1]["说明"] and "2026.12.01" in u["逾期明细"][1]["说明"]
    notes = [n for n in doc["说明"] if "不计入定级" in n]
    assert len(notes) == 2 and "阳泉市财政局" in notes[0] + notes[1] and "襄垣县委组织部" in notes[0] + notes[1]
    _code, text, _ = run(["grade", "市财政局"], project_clone, _on(env))
    assert "逾期（退回整改）：张帅鑫 的档案 2026.11.21 退回 襄垣县委组织部" in text and "应当催办（G126）" in text


def _grade(run, root, env):
    code, out, err = run(["grade", "市财政局", "--format", "json"], root, env)
    assert code == 0, err
    doc = json.loads(out)
    return doc["单位"][0], doc
