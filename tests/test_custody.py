"""Custody follows 管理权限 (《干部人事档案工作条例》第二十二、二十五条), through the real CLI in a throw-away repository:
the 正本 of a 县处级 cadre is held by the unit the policy names; a 副本 kept by the cadre's unit says so and names the
unit that holds the 正本."""

from __future__ import annotations

import pytest

from conftest import valid_bytes

COPY = "档案类别: 副本\n正本保管单位: 市委组织部\n"


def fixture_text() -> str:
    raw = valid_bytes().decode()
    assert raw.endswith(COPY), "tests/data/valid.yaml: a 县处级副职 at 市财政局, kept there as a 副本"
    return raw[: -len(COPY)]


def write(repo, text: str, number: str = "C000001") -> None:
    (repo / "dossiers" / f"{number}.yaml").write_text(text, "utf-8")


def codes(out: str) -> list[str]:
    return [w for line in out.splitlines() for w in line.split() if w[:1] in "RSX" and w[1:].isdigit()]


def xcodes(out: str) -> list[str]:
    return [c for c in codes(out) if c[0] == "X"]


def test_the_fixture_as_a_copy_is_clean(repo, env, run):
    code, out, err = run(["check"], repo, env)
    assert code == 0 and codes(out) == [] and "未发现问题" in err, out + err


def test_an_original_kept_by_the_wrong_unit_is_a_warning(repo, env, run):
    write(repo, fixture_text())  # 县处级副职, 管档单位 市财政局, no 档案类别: a 正本
    code, out, err = run(["check"], repo, env)
    assert code == 0 and codes(out) == ["R701"], out + err
    assert "县处级副职的档案正本应由市委组织部保管" in out and "现在的管档单位是市财政局" in out, out
    assert "第二十二条" in out and "“档案类别: 副本”和“正本保管单位: 市委组织部”" in out, out
    line = next(i for i, t in enumerate(fixture_text().splitlines(), 1) if t.startswith("管档单位:"))
    assert f"C000001.yaml:{line}:" in out, out
    # held where the policy says: quiet
    write(repo, fixture_text().replace("管档单位: 市财政局", "管档单位: 市委组织部"))
    code, out, err = run(["check"], repo, env)
    assert code == 0 and codes(out) == [], out + err
    # an explicit 正本 is the same as none written
    write(repo, fixture_text() + "档案类别: 正本\n")
    assert codes(run(["check"], repo, env)[1]) == ["R701"]


def test_a_copy_must_name_where_the_original_is(repo, env, run):
    write(repo, fixture_text() + "档案类别: 副本\n")
    code, out, _err = run(["check"], repo, env)
    assert code == 0 and codes(out) == ["R702"] and "副本没有写正本保管单位" in out, out


@pytest.mark.parametrize("tail, expected, words", [
    ("档案类别: 副本\n正本保管单位: 市财政局\n", "R703", "正本保管单位与管档单位相同（市财政局）"),
    ("正本保管单位: 市委组织部\n", "R703", "档案类别却不是副本"),
    ("档案类别: 副本\n正本保管单位: 潞州区委组织部\n", "R701", "副本写的正本保管单位却是潞州区委组织部"),
])
def test_a_copy_that_names_the_wrong_holder(repo, env, run, tail, expected, words):
    write(repo, fixture_text() + tail)
    code, out, _err = run(["check"], repo, env)
    found = codes(out)
    assert code == 0 and expected in found and words in out, out
    if tail.startswith("正本保管单位"):  # a 正本 that names another holder: also held by the wrong unit
        assert sorted(found) == ["R701", "R703"], out
    else:
        assert found == [expected], out


def test_no_copy_below_deputy_division_level(repo, env, run):
    text = fixture_text().replace("职级: 县处级副职", "职级: 乡科级正职", 1) + COPY
    assert text.count("乡科级正职") > fixture_text().count("乡科级正职")
    write(repo, text)
    _code, out, _err = run(["check"], repo, env)
    assert "R704" in codes(out) and "乡科级正职不建档案副本" in out, out
    assert "R701" not in codes(out), out  # the policy names no holder for 乡科级


def test_the_category_is_checked_by_the_schema_in_chinese(repo, env, run):
    write(repo, fixture_text() + "档案类别: 复印件\n正本保管单位: 市委组织部\n")
    code, out, _err = run(["check"], repo, env)
    assert code == 1 and codes(out) == ["S005"] and "“档案类别”的值“复印件”不是规定的写法，可选：正本、副本" in out, out
    write(repo, fixture_text() + "档案类别: 副本\n正本保管单位: 12\n")
    code, out, _err = run(["check"], repo, env)
    assert code == 1 and codes(out) == ["S003"] and "“正本保管单位”应为文字" in out, out


def test_the_policy_decides_who_holds_the_original(repo, env, run):
    policy = repo / "schema" / "policy.yaml"
    text = policy.read_text("utf-8")
    assert "      管档单位: 市委组织部   # 市管干部" in text
    write(repo, fixture_text())
    # this unit holds its own 县处级 originals: the 正本 at 市财政局 is right, the copy naming 市委组织部 is not
    policy.write_text(text.replace("      管档单位: 市委组织部   # 市管干部", "      管档单位: 市财政局"), "utf-8")
    assert codes(run(["check"], repo, env)[1]) == []
    write(repo, fixture_text() + "档案类别: 副本\n正本保管单位: 市委组织部\n")
    code, out, _err = run(["check"], repo, env)
    assert codes(out) == ["R701"] and "县处级副职的档案正本应由市财政局保管" in out, out
    # a 职级 the code table does not know stops every check, with where it is
    policy.write_text(text.replace("[县处级正职, 县处级副职,", "[县处级正职, 副处,"), "utf-8")
    code, out, err = run(["check"], repo, env)
    assert code == 2 and "档案保管.正本" in err and "“副处”不在 codes/rank.json 中" in err and "Traceback" not in err, err
    # no 档案保管 in the policy: nothing is checked
    start = text.index("档案保管:")
    policy.write_text(text[:start] + text[text.index("\n\n", start) + 2:], "utf-8")
    write(repo, fixture_text())
    code, out, err = run(["check"], repo, env)
    assert code == 0 and codes(out) == [], out + err


# ---------------------------------------------------------------- a 副本 beside its 正本 (check --cross, the hooks)

def with_original(repo, copy_text: str | None = None, original_text: str | None = None) -> None:
    """C000001: the 副本 at 市财政局 (the fixture); C000002: the same person's 正本 at 市委组织部."""
    write(repo, copy_text if copy_text is not None else valid_bytes().decode())
    original = original_text if original_text is not None else fixture_text()
    write(repo, original.replace("编号: C000002", "").replace("编号: C000001", "编号: C000002", 1)
          .replace("管档单位: 市财政局", "管档单位: 市委组织部", 1), "C000002")


def test_a_copy_beside_its_original_is_one_person_not_two(repo, env, run):
    with_original(repo)
    code, out, err = run(["check"], repo, env)
    assert code == 0 and codes(out) == [], out + err
    # two originals of one person are still two dossiers of one person
    write(repo, fixture_text().replace("管档单位: 市财政局", "管档单位: 市委组织部"))
    code, out, _err = run(["check"], repo, env)
    assert code == 1 and codes(out) == ["X002", "X002"] and "“档案类别: 副本”" in out, out


@pytest.mark.parametrize("old, new, field", [
    ('出生年月: "1972.03"', '出生年月: "1972.04"', "出生年月"),
    ('入党时间: "1995.06"', '入党时间: "1996.06"', "入党时间"),
    ("  取得方式: 大中专毕业生派遣", "  取得方式: 录用干部", "干部身份"),
])
def test_a_copy_may_not_diverge_from_its_original(repo, env, run, old, new, field):
    text = valid_bytes().decode()
    assert text.count(old) == 1, old
    with_original(repo, copy_text=text.replace(old, new))
    code, out, _err = run(["check"], repo, env)
    assert code == 1 and xcodes(out) == ["X005"], out
    assert f"副本的{field}与本库中的正本 C000002（市委组织部）不一致" in out and "C000001.yaml" in out, out
    if field != "干部身份":
        mine, theirs = new.split('"')[1], old.split('"')[1]
        assert f"（副本 {mine}，正本 {theirs}）" in out, out
    # the 正本 changed and the 副本 followed: one person again
    with_original(repo, copy_text=text.replace(old, new), original_text=fixture_text().replace(old, new))
    code, out, _err = run(["check"], repo, env)
    assert code == 0 and xcodes(out) == [], out


def test_the_basis_numbers_of_a_copy_may_differ(repo, env, run):
    """A 副本 holds copies of the main materials: a fact may rest on another 顺序号 there."""
    text = valid_bytes().decode()
    import re

    basis = re.search(r"依据: \[[^\]]*\]", text).group()
    with_original(repo, copy_text=text.replace(basis, "依据: []", 1))
    assert "X005" not in codes(run(["check"], repo, env)[1])


def test_a_copy_makes_no_determination_of_its_own(repo, env, run):
    record = ('  - {项目: 出生年月, 原值: "1972.03", 认定值: "1972.03", 依据: ["1-1"], 认定机关: 市财政局, '
              '认定日期: "2026.11.20", 文号: 财人〔2026〕1号}\n')
    text = valid_bytes().decode().replace("认定记录: []\n", "认定记录:\n" + record)
    with_original(repo, copy_text=text)
    code, out, _err = run(["check"], repo, env)
    assert code == 1 and "X006" in codes(out), out
    assert "副本不作认定：认定记录第 1 条（出生年月）本库中的正本 C000002（市委组织部）中没有" in out, out
    # the same 认定 made on the 正本 and copied: quiet
    with_original(repo, copy_text=text, original_text=fixture_text().replace("认定记录: []\n", "认定记录:\n" + record))
    assert "X006" not in codes(run(["check"], repo, env)[1])


def test_a_copy_naming_another_holder_than_the_original_here(repo, env, run):
    copy = valid_bytes().decode().replace("正本保管单位: 市委组织部", "正本保管单位: 潞州区委组织部")
    with_original(repo, copy_text=copy)
    code, out, _err = run(["check"], repo, env)
    assert sorted(codes(out)) == ["R701", "X004"] and code == 0, out
    assert "副本写的正本保管单位是潞州区委组织部，本库中的正本 C000002（市委组织部）却由市委组织部保管" in out, out


def test_the_hook_refuses_a_key_fact_changed_in_the_copy_alone(hooked, env, run):
    """Through the real pre-commit hooks: the pair commits; a 副本's 出生年月 changed by hand with a 认定 of its own
    is refused (X005, X006 from the cross-file check); determine refuses a 副本 whose 正本 is here, and on the 正本 it
    updates the 副本 in the same edit, which lands and audits clean."""
    from conftest import git
    from test_precommit import commit

    with_original(hooked)
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "建档：正本与副本")
    assert p.returncode == 0, p.stdout + p.stderr
    basis = ["--basis", "1-1", "--by", "中共长治市委组织部", "--doc", "长组审〔2026〕12号", "--date", "2026.11.20"]
    code, out, err = run(["determine", "C000001", "出生年月", "1972.02", *basis], hooked, env)
    assert code == 1 and "dossiers/C000001.yaml 是副本：副本不作认定" in err, out + err
    assert "请在正本 dossiers/C000002.yaml（市委组织部）上认定" in err, err
    assert (hooked / "dossiers" / "C000001.yaml").read_text("utf-8") == valid_bytes().decode()  # nothing written
    # the clerk of the 副本 edits it by hand, with a 认定 of the 副本's own: the hook refuses the commit
    record = ('  - {项目: 出生年月, 原值: "1972.03", 认定值: "1972.02", 依据: ["1-1"], 认定机关: 市财政局, '
              '认定日期: "2026.11.20", 文号: 财人〔2026〕1号}\n')
    write(hooked, valid_bytes().decode().replace('出生年月: "1972.03"', '出生年月: "1972.02"')
          .replace("认定记录: []\n", "认定记录:\n" + record))
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "改 C000001 出生年月（只改副本）")
    assert p.returncode != 0 and "X005" in p.stdout + p.stderr and "X006" in p.stdout + p.stderr, p.stdout + p.stderr
    git(["checkout", "--", "."], hooked, env)
    git(["reset", "-q"], hooked, env)
    git(["checkout", "--", "."], hooked, env)
    # made on the 正本: the 副本 follows in the same edit, and the commit lands
    code, out, err = run(["determine", "C000002", "出生年月", "1972.02", *basis], hooked, env)
    assert code == 0 and "dossiers/C000001.yaml：副本随正本一并更新" in out, out + err
    from dangan.load import load_bytes

    copy, original = (load_bytes((hooked / "dossiers" / f"{n}.yaml").read_bytes()).data for n in ("C000001", "C000002"))
    assert copy["出生年月"] == original["出生年月"] == "1972.02" and copy["认定记录"] == original["认定记录"]
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "认定 C000002 出生年月 1972.03 → 1972.02，副本 C000001 随正本更新")
    assert p.returncode == 0, p.stdout + p.stderr
    code, out, _err = run(["audit"], hooked, env)
    assert code == 0 and "T001" not in out, out


def test_determine_on_the_original_refuses_when_the_copy_lags(repo, env, run):
    """A 副本 that already differs, or lacks the basis material, is not silently overwritten: nothing is written."""
    basis = ["--basis", "1-1", "--by", "中共长治市委组织部", "--doc", "长组审〔2026〕12号"]
    with_original(repo, copy_text=valid_bytes().decode().replace('出生年月: "1972.03"', '出生年月: "1972.04"'))
    before = {p.name: p.read_bytes() for p in (repo / "dossiers").iterdir()}
    code, _out, err = run(["determine", "C000002", "出生年月", "1972.02", *basis], repo, env)
    assert code == 1 and "副本 dossiers/C000001.yaml 的“出生年月”与正本不一致" in err, err
    assert {p.name: p.read_bytes() for p in (repo / "dossiers").iterdir()} == before
    # the 认定表 filed in the 正本 only: the 副本 must get its copy first
    line = '  - {类号: "6", 序号: 1,'
    table = '  - {类号: "5", 序号: 1, 材料名称: 干部人事档案专项审核认定表, 形成时间: "2026.11.10", 页数: 2, 接收时间: "2026.11.15"}\n'
    with_original(repo, original_text=fixture_text().replace(line, table + line, 1))
    before = {p.name: p.read_bytes() for p in (repo / "dossiers").iterdir()}
    code, _out, err = run(["determine", "C000002", "出生年月", "1972.02", "--basis", "5-1", *basis[2:]], repo, env)
    assert code == 1 and "副本 dossiers/C000001.yaml 的档案目录中没有依据 5-1" in err, err
    assert {p.name: p.read_bytes() for p in (repo / "dossiers").iterdir()} == before
    code, _out, err = run(["determine", "C000002", "出生年月", "1972.02", "--basis", "6-1", *basis[2:]], repo, env)
    assert code == 0, err  # 6-1 is in both catalogs


def test_determine_on_a_copy_whose_original_is_elsewhere_says_to_copy_it(repo, env, run):
    basis = ["--basis", "1-1", "--by", "中共长治市委组织部", "--doc", "长组审〔2026〕12号"]
    code, out, err = run(["determine", "C000001", "出生年月", "1972.02", *basis], repo, env)
    assert code == 0, err
    assert "本档案是副本，正本不在本库中：这条认定应照抄保管正本的单位（市委组织部）在正本上作出的认定" in out, out


def test_query_finds_the_copies_and_where_their_originals_are(repo, env, run):
    write(repo, fixture_text().replace("编号: C000001", "编号: C000002").replace("管档单位: 市财政局", "管档单位: 市委组织部")
          .replace("王建国", "李建国"), "C000002")  # another person's 正本 (the ID differs in nothing the query shows)
    code, out, err = run(["query", "档案类别=副本", "--columns", "编号,管档单位,正本保管单位", "--format", "csv"], repo, env)
    assert code == 0 and out.splitlines() == ["编号,管档单位,正本保管单位", "C000001,市财政局,市委组织部"], out + err
    code, out, err = run(["query", "档案类别=正本", "--columns", "编号", "--format", "csv"], repo, env)
    assert code == 0 and out.splitlines() == ["编号", "C000002"], out + err


# ---------------------------------------------------------------- the 正本 sent where it belongs, a 副本 kept

KEEP = ["transfer", "out", "C000001", "--to", "市委组织部", "--notice", "长财档转〔2026〕5号", "--via", "机要交通",
        "--date", "2026.11.20", "--keep-copy"]


def test_transfer_out_the_original_and_keep_a_copy(hooked, env, run):
    """What R701 asks for, through the real CLI and hooks: the 正本 of a 县处级 cadre held at 市财政局 is sent to
    市委组织部; the file stays as the unit's 副本 naming its holder; the register, the check and the trail agree."""
    from conftest import git
    from dangan.load import load_bytes
    from test_precommit import commit

    write(hooked, fixture_text())
    git(["add", "-A"], hooked, env)
    assert commit(hooked, env, "建档").returncode == 0
    assert codes(run(["check"], hooked, env)[1]) == ["R701"]
    code, out, err = run(KEEP, hooked, env)
    assert code == 0, out + err
    assert "dossiers/C000001.yaml 留作副本：档案类别 副本，正本保管单位 市委组织部" in out, out
    assert "建议提交说明：转出 C000001 王建国 正本至 市委组织部（长财档转〔2026〕5号，机要交通），本单位留存副本" in out, out
    text = (hooked / "dossiers" / "C000001.yaml").read_text("utf-8")
    assert text == fixture_text() + COPY  # only the two keys: nothing else moved
    entry = load_bytes((hooked / "ledgers" / "转递.yaml").read_bytes(), "转递", root_list=True).data[-1]
    assert entry["方向"] == "转出" and entry["编号"] == "C000001" and entry["转往"] == "市委组织部"
    code, out, err = run(["check"], hooked, env)
    assert code == 0 and codes(out) == [], out + err
    code, out, err = run(["ledger", "check"], hooked, env)
    assert code == 0 and "G117" not in out + err, out + err
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "转出 C000001 正本，留存副本")
    assert p.returncode == 0, p.stdout + p.stderr
    code, out, _err = run(["audit"], hooked, env)
    assert code == 0 and "T001" not in out and "T002" not in out, out
    # a 副本 does not send a 正本 again
    code, _out, err = run([*KEEP[:6], "长财档转〔2026〕6号", *KEEP[7:]], hooked, env)
    assert code == 2 and "已是副本" in err, err
    # the register says 转出 while the file is the 正本 again (hand-restored): G117 as before
    write(hooked, fixture_text())
    code, out, err = run(["ledger", "check"], hooked, env)
    assert code == 1 and "G117" in out + err, out + err


def test_no_copy_is_kept_below_deputy_division_level(repo, env, run):
    write(repo, fixture_text().replace("职级: 县处级副职", "职级: 乡科级正职", 1))
    before = (repo / "dossiers" / "C000001.yaml").read_bytes()
    code, _out, err = run(KEEP, repo, env)
    assert code == 2 and "副本只为副处级（县处级副职）或者相当职务以上的干部建立" in err, err
    assert (repo / "dossiers" / "C000001.yaml").read_bytes() == before and not (repo / "ledgers" / "转递.yaml").exists()


# ---------------------------------------------------------------- the trail: a 副本 changed alone (T009)

def _t009(run, repo, env) -> tuple[int, list[dict]]:
    import json

    code, out, err = run(["audit", "--format", "json"], repo, env)
    assert "Traceback" not in err, err
    return code, [i for i in json.loads(out)["问题"] if i["代码"] == "T009"]


def test_audit_finds_a_copy_changed_alone(repo, env, run):
    """Past the hook (--no-verify): the 副本's 出生年月 changed with a 认定 of its own (so no T001), its 正本 here
    not changed: T009, a problem. The 正本 changed the same way in the same commit, or a 副本 whose 正本 is kept
    elsewhere: no T009. Put right later (the 副本 follows the 正本 again): listed, no longer a problem."""
    from review_helpers import commit

    with_original(repo)
    commit(repo, env, "建档：正本与副本")
    record = ('  - {项目: 出生年月, 原值: "1972.03", 认定值: "1972.02", 依据: ["1-1"], 认定机关: 市财政局, '
              '认定日期: "2026.11.20", 文号: 财人〔2026〕1号}\n')
    changed = valid_bytes().decode().replace('出生年月: "1972.03"', '出生年月: "1972.02"').replace(
        "认定记录: []\n", "认定记录:\n" + record)
    write(repo, changed)
    commit(repo, env, "改 C000001 出生年月（只改副本）")
    code, found = _t009(run, repo, env)
    assert code == 1 and len(found) == 1 and found[0]["严重"], found
    item = found[0]
    assert item["编号"] == "C000001" and item["项目"] == "出生年月", item
    assert "本库中的正本 dossiers/C000002.yaml 却没有同样改动（副本 1972.02，正本 1972.03）" in item["说明"], item
    assert "第二十二条" in item["说明"], item
    code, out, err = run(["audit"], repo, env)
    assert code == 1 and "T009 C000001" in out and "需要处理的问题 1 个" in err, out + err
    # the 正本 brought to the same value (and the same 认定) in a later commit: the 副本 agrees again
    write(repo, with_record(fixture_text(), record).replace('出生年月: "1972.03"', '出生年月: "1972.02"')
          .replace("编号: C000001", "编号: C000002", 1).replace("管档单位: 市财政局", "管档单位: 市委组织部", 1), "C000002")
    commit(repo, env, "认定 C000002 出生年月（正本随后改正）")
    code, found = _t009(run, repo, env)
    assert [i["严重"] for i in found] == [False] and "此后已与正本一致" in found[0]["说明"], found


def with_record(text: str, record: str) -> str:
    return text.replace("认定记录: []\n", "认定记录:\n" + record)


def test_no_t009_when_the_original_changes_the_same_way_or_is_elsewhere(repo, env, run):
    from review_helpers import commit

    record = ('  - {项目: 入党时间, 原值: "1995.06", 认定值: "1995.05", 依据: ["1-1"], 认定机关: 中共长治市委组织部, '
              '认定日期: "2026.11.20", 文号: 长组审〔2026〕12号}\n')
    # the 正本 is kept elsewhere: the 副本 copies that unit's 认定 alone
    commit(repo, env, "建档：副本")
    write(repo, with_record(valid_bytes().decode(), record).replace('入党时间: "1995.06"', '入党时间: "1995.05"'))
    commit(repo, env, "副本照抄正本的认定")
    assert _t009(run, repo, env)[1] == []
    # the pair here, both changed the same way in one commit (as dangan determine on the 正本 does)
    with_original(repo, copy_text=valid_bytes().decode(), original_text=fixture_text())
    commit(repo, env, "正本入库，副本回到原样")
    copy = with_record(valid_bytes().decode(), record).replace('入党时间: "1995.06"', '入党时间: "1995.05"')
    with_original(repo, copy_text=copy,
                  original_text=with_record(fixture_text(), record).replace('入党时间: "1995.06"', '入党时间: "1995.05"'))
    commit(repo, env, "认定 C000002 入党时间，副本 C000001 随正本更新")
    _code, found = _t009(run, repo, env)
    assert found == [], found


def test_review_and_score_say_whether_the_dossier_is_a_copy(repo, env, run):
    """The headers of the 任前审核表 and the score sheet: 档案类别, and for a 副本 the unit holding the 正本."""
    import json

    _code, out, err = run(["review", "C000001"], repo, env)
    assert "档案类别：副本（正本由市委组织部保管）" in out, out + err
    doc = json.loads(run(["review", "C000001", "--format", "json"], repo, env)[1])
    assert (doc["档案类别"], doc["正本保管单位"]) == ("副本", "市委组织部"), doc
    assert "档案类别：副本（正本由市委组织部保管）" in run(["review", "C000001", "--format", "html"], repo, env)[1]
    _code, out, err = run(["score", "C000001"], repo, env)
    lines = out.splitlines()
    assert lines[2] == "档案类别：副本（正本由市委组织部保管）", out + err
    doc = json.loads(run(["score", "C000001", "--format", "json"], repo, env)[1])
    assert (doc["档案类别"], doc["正本保管单位"]) == ("副本", "市委组织部"), doc
    # the 正本
    write(repo, fixture_text())
    assert "档案类别：正本" in run(["review", "C000001"], repo, env)[1]
    doc = json.loads(run(["score", "C000001", "--format", "json"], repo, env)[1])
    assert doc["档案类别"] == "正本" and "正本保管单位" not in doc, doc
    assert "档案类别：正本" in run(["score", "C000001"], repo, env)[1]
