"""What each material says (记载) and paper alterations (涂改), through the real CLI: the earliest record rule."""

from __future__ import annotations

from conftest import valid_bytes

HS = '材料名称: 高中毕业生登记表, 形成时间: "1990.07", 页数: 2, 接收时间: "1994.08.05"'
CV = '材料名称: 干部履历表, 形成时间: "1995.03.10", 页数: 8, 接收时间: "1995.03.20"'
BASIS = ["--by", "中共长治市委组织部", "--doc", "长组审〔2026〕3号"]


def write(repo, **entries: str) -> None:
    raw = valid_bytes().decode()
    for old, extra in ((HS, entries.get("hs")), (CV, entries.get("cv"))):
        if extra:
            raw = raw.replace(old + "}", old + ", " + extra + "}")
    (repo / "dossiers" / "C000001.yaml").write_text(raw, "utf-8")


def codes(out: str) -> list[str]:
    return [w for line in out.splitlines() for w in line.split() if w[:1] == "R" and w[1:].isdigit()]


def test_materials_that_agree_with_the_dossier_are_quiet(repo, env, run):
    write(repo, hs='记载: {出生年月: "1972.03", 民族: 汉族}', cv='记载: {出生年月: "1972.03"}')
    code, out, err = run(["check"], repo, env)
    assert code == 0 and codes(out) == [], out + err


def test_a_disagreeing_earlier_material_is_an_open_inconsistency_until_determined(repo, env, run):
    write(repo, hs='记载: {出生年月: "1972.04"}', cv='记载: {出生年月: "1972.03"}')
    code, out, _err = run(["check"], repo, env)
    assert code == 0 and sorted(codes(out)) == ["R601", "R602"], out  # warnings: the material can be committed
    assert "1-1 干部履历表：1972.03；4-1-1 高中毕业生登记表：1972.04" in out
    assert "最早记载不一致（4-1-1 高中毕业生登记表：1972.04）" in out
    # determined to the earliest record: settled
    code, _out, err = run(["determine", "C000001", "出生年月", "1972.04", "--basis", "4-1-1", *BASIS], repo, env)
    assert code == 0, err
    code, out, _err = run(["check"], repo, env)
    assert "R602" not in out and "R604" not in out and "R601" not in out, out  # determined as the earliest says


def test_a_determination_against_the_earliest_record_needs_a_class_5_basis(repo, env, run):
    write(repo, hs='记载: {出生年月: "1972.03"}')
    # the later 干部履历表 as the only basis for another value: refused by the verb (it would add an error)
    code, _out, err = run(["determine", "C000001", "出生年月", "1972.05", "--basis", "1-1", *BASIS], repo, env)
    assert code == 1 and "R604" in err and "第五类" in err, err
    # with the organisation's 批复 (class 5) filed and cited: accepted, flagged as after 2006.10
    code, _out, err = run(["file", "C000001", "--class", "5", "--title", "关于王建国同志出生年月的认定批复",
                           "--formed", "2026.11.20", "--pages", "1", "--received", "2026.11.21"], repo, env)
    assert code == 0, err
    code, _out, err = run(["determine", "C000001", "出生年月", "1972.05", "--basis", "5-1", *BASIS,
                           "--date", "2026.11.25"], repo, env)
    assert code == 0, err
    code, out, _err = run(["check"], repo, env)
    assert "R604" not in out and "R605" in out and "组通字〔2006〕41号" in out, out


def test_dates_known_only_to_the_year_are_a_tie_not_a_guess(repo, env, run):
    raw = valid_bytes().decode().replace(HS + "}", HS + ', 记载: {入党时间: "1995.06"}}').replace(
        '材料名称: 入党志愿书, 形成时间: "1995.06.28"', '材料名称: 入党志愿书, 形成时间: "1995", 记载: {入党时间: "1995.05"}')
    raw = raw.replace('材料名称: 高中毕业生登记表, 形成时间: "1990.07"', '材料名称: 高中毕业生登记表, 形成时间: "1995.07"')
    (repo / "dossiers" / "C000001.yaml").write_text(raw, "utf-8")
    _code, out, _err = run(["check"], repo, env)
    assert "R603" in out and "R602" not in out, out  # "1995" may be before or after 1995.07


def test_paper_alterations(repo, env, run):
    pending = '涂改: [{部位: 第1页出生年月栏, 所涉项目: 出生年月, 发现人: 张档案, 发现日期: "2026.11.02", 处理: 待处理}]'
    write(repo, cv=pending)
    code, out, _err = run(["check"], repo, env)
    assert code == 0 and codes(out) == ["R606"] and "第1页出生年月栏" in out, out
    write(repo, cv=pending.replace("处理: 待处理", "处理: 组织说明"))
    assert codes(run(["check"], repo, env)[1]) == ["R608"]
    write(repo, cv=pending.replace("处理: 待处理", "处理: 组织说明, 处理材料: \"1-1\", 造假: true"))
    code, out, _err = run(["check"], repo, env)
    assert code == 1 and codes(out) == ["R607"] and "涂改造假" in out, out
    write(repo, cv=pending.replace("处理: 待处理", "处理: 涂掉了"))
    code, out, _err = run(["check"], repo, env)
    assert code == 1 and "S005" in out and "可选：组织确认、重新制作、组织说明、待处理" in out, out


def test_file_records_what_the_material_says(repo, env, run):
    code, out, err = run(["file", "C000001", "--class", "4-1", "--title", "入团志愿书", "--formed", "1987.05",
                          "--pages", "2", "--received", "2026.11.20", "--records", "出生年月=1972.04",
                          "--records", "入团介绍人=李某"], repo, env)
    assert code == 0, err
    text = (repo / "dossiers" / "C000001.yaml").read_text("utf-8")
    assert '    记载:\n      出生年月: "1972.04"\n      其他:\n        - 项目: 入团介绍人\n          值: 李某\n' in text
    assert run(["fmt", "--check"], repo, env)[0] == 0
    code, out, _err = run(["check"], repo, env)
    assert code == 0 and "R602" in out, out
    for bad in ("出生年月", "=1972.04", "出生年月=1972.04"):
        args = ["--records", "出生年月=1972.04", "--records", bad] if bad == "出生年月=1972.04" else ["--records", bad]
        code, _out, err = run(["file", "C000001", "--class", "4-1", "--title", "x", "--formed", "1987.05",
                               "--pages", "1", *args], repo, env)
        assert code == 2 and "--records" in err, err


def test_review_and_score_hold_or_refuse(repo, env, run):
    """An open inconsistency holds the 任前审核 (暂缓); a confirmed forgery refuses it and vetoes the score."""
    from conftest import git

    write(repo, hs='记载: {出生年月: "1972.04"}')
    git(["add", "-A"], repo, env)
    git(["commit", "-qm", "建档", "--no-verify"], repo, env)
    code, out, _err = run(["review", "C000001"], repo, env)
    assert code == 1 and "审核结论：暂缓" in out and "R602" in out, out
    write(repo, cv='涂改: [{部位: 第1页, 所涉项目: 出生年月, 发现人: 张档案, 发现日期: "2026.11.02", 处理: 组织说明, '
                   '处理材料: "1-1", 造假: true}]')
    git(["commit", "-qam", "记下涂改", "--no-verify"], repo, env)
    code, out, _err = run(["review", "C000001"], repo, env)
    assert code == 1 and "审核结论：不予通过" in out and "涂改造假" in out, out
    code, out, _err = run(["score", "C000001"], repo, env)
    assert "单项否决：涂改造假（纸质材料经查属涂改造假）" in out and "等次：不合格" in out, out


def test_recording_an_alteration_is_free_and_hiding_one_is_not(repo, env, run):
    from conftest import git

    git(["add", "-A"], repo, env)
    git(["commit", "-qm", "建档"], repo, env)
    write(repo, cv='涂改: [{部位: 第1页, 所涉项目: 出生年月, 发现人: 张档案, 发现日期: "2026.11.02", 处理: 待处理}]')
    git(["commit", "-qam", "记下涂改", "--no-verify"], repo, env)
    code, out, err = run(["audit"], repo, env)
    assert code == 0, out + err
    write(repo, cv='涂改: [{部位: 第1页, 所涉项目: 出生年月, 发现人: 张档案, 发现日期: "2026.11.02", 处理: 组织确认, '
                   '处理材料: "1-1"}]')
    git(["commit", "-qam", "改了处理", "--no-verify"], repo, env)
    code, out, err = run(["audit"], repo, env)
    assert code == 1 and "处理" in out, out + err
