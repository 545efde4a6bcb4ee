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
