"""`dangan determine` (认定) end to end: the value and its 认定记录 in one edit, committed through the real hooks."""

from __future__ import annotations

import pytest

from conftest import git
from dangan.load import load_bytes
from dangan.verbs.determine import item_text, parse_item
from dangan.yamledit import EditError
from test_precommit import commit, first_commit

DOSSIER = "dossiers/C000001.yaml"
BASIS = ["--basis", "6-1", "--basis", "1-1", "--by", "中共长治市委组织部", "--doc", "长组审〔2026〕12号"]


def data(repo):
    return load_bytes((repo / DOSSIER).read_bytes()).data


def test_determine_birth_month_and_commit(hooked, env, run):
    first_commit(hooked, env)
    code, out, err = run(["determine", "C000001", "出生年月", "1972.02", *BASIS, "--date", "2026.11.20",
                          "--old", "1972.03", "--note", "以入党志愿书等最早记载为准"], hooked, env)
    assert code == 0, err
    d = data(hooked)
    assert d["出生年月"] == "1972.02"
    assert d["认定记录"] == [{"项目": "出生年月", "原值": "1972.03", "认定值": "1972.02", "依据": ["6-1", "1-1"],
                            "认定机关": "中共长治市委组织部", "认定日期": "2026.11.20", "文号": "长组审〔2026〕12号",
                            "说明": "以入党志愿书等最早记载为准"}]
    assert "建议提交说明：认定 C000001 王建国 出生年月：1972.03 → 1972.02" in out
    assert "认定文号: 长组审〔2026〕12号" in out
    diff = git(["diff", "-U0", "--", DOSSIER], hooked, env).stdout
    removed = [line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    assert removed == ['-出生年月: "1972.03"', "-认定记录: []"]  # nothing else in the file moved
    assert run(["fmt", "--check", DOSSIER], hooked, env)[0] == 0
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, out.split("建议提交说明：", 1)[1].split("\n", 1)[0])
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Failed" not in p.stdout + p.stderr
    # a second determination of the same fact appends, and its 原值 is the first one's 认定值
    code, _out, err = run(["determine", "C000001", "出生年月", "1972.01", *BASIS], hooked, env)
    assert code == 0, err
    records = data(hooked)["认定记录"]
    assert len(records) == 2 and records[1]["原值"] == "1972.02" and records[1]["认定日期"] == "2026.11.25"
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "再次认定出生年月")
    assert p.returncode == 0, p.stdout + p.stderr


@pytest.mark.parametrize(("item", "value"), [("出生年月", "1972.02"), ("入党时间", "1995.05"),
                                             ("学历学位[1].毕业时间", "1994.06"), ("干部身份.取得方式", "录用干部"),
                                             ("年度考核[2015].结果", "优秀")])
def test_the_trail_guard_authorises_what_determine_writes(repo, env, run, item, value):
    """Every protected change determine makes is authorised by the record it adds (the trail's own guard)."""
    from dangan.history.fielddiff import diff
    from dangan.history.guard import judge

    old = data(repo)
    code, out, err = run(["determine", "C000001", item, value, *BASIS], repo, env)
    assert code == 0, err
    new = data(repo)
    trailers = {"认定文号": [line.split(": ", 1)[1] for line in out.splitlines() if "认定文号: " in line]}
    judged = judge(diff(old, new), old, new, trailers)
    protected = [c for c in judged if c.protected]
    assert protected and all(c.authorised for c in protected), [(c.ref, c.basis) for c in protected]


def test_audit_accepts_the_commit(hooked, env, run):
    """`dangan audit` passes after determine + commit."""
    first_commit(hooked, env)
    code, _out, err = run(["determine", "C000001", "入党时间", "1995.05", *BASIS], hooked, env)
    assert code == 0, err
    git(["add", "-A"], hooked, env)
    assert commit(hooked, env, "认定入党时间").returncode == 0
    code, out, err = run(["audit"], hooked, env)
    assert code == 0, out + err


def test_the_start_of_work_moves_with_the_resume_in_one_determination(hooked, env, run):
    """参加工作时间 and the 简历's first work segment must agree (R306): one command changes both, each with its own
    认定记录, and the commit passes the hooks and the trail."""
    first_commit(hooked, env)
    code, out, err = run(["determine", "C000001", "参加工作时间", "1994.08", *BASIS], hooked, env)
    assert code == 0, err
    assert "随之 简历[2].起始 由“1994.07”改为“1994.08”" in out, out
    d = data(hooked)
    assert d["参加工作时间"] == "1994.08" and d["简历"][1]["起始"] == "1994.08" and d["简历"][0]["截止"] == "1994.07"
    assert [(r["项目"], r["原值"], r["认定值"]) for r in d["认定记录"]] == [
        ("参加工作时间", "1994.07", "1994.08"), ("简历[2].起始", "1994.07", "1994.08")]
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "认定参加工作时间")
    assert p.returncode == 0, p.stdout + p.stderr
    code, out, err = run(["audit"], hooked, env)
    assert code == 0, out + err


def test_a_wrong_original_value_is_impossible(repo, env, run):
    before = (repo / DOSSIER).read_bytes()
    code, _out, err = run(["determine", "C000001", "出生年月", "1972.02", *BASIS, "--old", "1972.05"], repo, env)
    assert code == 1 and "现为“1972.03”" in err and "1972.05" in err
    assert (repo / DOSSIER).read_bytes() == before
    # without --old, 原值 is read from the file: there is no way to pass another
    code, _out, err = run(["determine", "C000001", "出生年月", "1972.02", *BASIS, "--original", "1972.05"], repo, env)
    assert code == 2
    assert (repo / DOSSIER).read_bytes() == before


@pytest.mark.parametrize(("args", "want", "text"), [
    (["出生年月", "1972.03"], 1, "无需认定"),
    (["出生年月", "1972.13"], 1, "S004"),
    (["出生年月", "2030.01"], 1, "R206"),
    (["身高", "180"], 2, "档案中没有“身高”"),
    (["学历学位[9].毕业时间", "1994.06"], 2, "档案中没有“学历学位[9].毕业时间”"),
    (["学历学位[0].毕业时间", "1994.06"], 2, "从 1 起"),
    (["年度考核[1990].结果", "优秀"], 2, "档案中没有“年度考核[1990].结果”"),
    (["简历", "x"], 2, "不是单个的值"),
])
def test_refusals(repo, env, run, args, want, text):
    before = (repo / DOSSIER).read_bytes()
    code, _out, err = run(["determine", "C000001", *args, *BASIS], repo, env)
    assert code == want, err
    assert text in err
    assert "Traceback" not in err
    assert (repo / DOSSIER).read_bytes() == before


def test_basis_must_be_in_the_catalog(repo, env, run):
    code, _out, err = run(["determine", "C000001", "入党时间", "1995.07", "--basis", "6-9", "--by", "组织部",
                           "--doc", "文1"], repo, env)
    assert code == 1 and "6-9" in err and "dangan file" in err
    code, _out, err = run(["determine", "C000001", "入党时间", "1995.07", "--basis", "六-1", "--by", "组织部",
                           "--doc", "文1"], repo, env)
    assert code == 2 and "不是顺序号" in err


def test_nested_paths(repo, env, run):
    code, _out, err = run(["determine", "C000001", "学历学位[1].毕业时间", "1994.06", *BASIS], repo, env)
    assert code == 0, err
    code, _out, err = run(["determine", "C000001", "干部身份.取得方式", "录用干部", *BASIS], repo, env)
    assert code == 0, err
    d = data(repo)
    assert d["学历学位"][0]["毕业时间"] == "1994.06" and d["干部身份"]["取得方式"] == "录用干部"
    assert [r["项目"] for r in d["认定记录"]] == ["学历学位[1].毕业时间", "干部身份.取得方式"]
    assert d["认定记录"][1]["原值"] == "大中专毕业生派遣"
    assert run(["check", DOSSIER], repo, env)[0] == 0


def test_keyed_entries_are_named_as_the_trail_names_them(repo, env, run):
    code, _out, err = run(["determine", "C000001", "年度考核[2015].结果", "优秀", *BASIS], repo, env)
    assert code == 0, err
    d = data(repo)
    assert next(e for e in d["年度考核"] if e["年度"] == 2015)["结果"] == "优秀"
    assert d["认定记录"][-1]["项目"] == "年度考核[2015].结果"


def test_dry_run(repo, env, run):
    before = (repo / DOSSIER).read_bytes()
    code, out, _err = run(["determine", "C000001", "入党时间", "1995.07", *BASIS, "--dry-run"], repo, env)
    assert code == 0 and '+入党时间: "1995.07"' in out and "未写入" in out
    assert (repo / DOSSIER).read_bytes() == before


def test_item_paths_round_trip():
    for text, path in [("出生年月", ("出生年月",)), ("干部身份.取得方式", ("干部身份", "取得方式")),
                       ("学历学位[1].毕业时间", ("学历学位", 0, "毕业时间")), ("简历[12].依据[2]", ("简历", 11, "依据", 1)),
                       ("档案目录[9-2-5].页数", ("档案目录", "9-2-5", "页数")), ("年度考核[2019].结果", ("年度考核", "2019", "结果"))]:
        assert parse_item(text) == path
        assert item_text(path) == text
    for bad in ("", "a..b", "学历学位[0]", "学历学位[x]", "[1]"):
        with pytest.raises(EditError):
            parse_item(bad)
