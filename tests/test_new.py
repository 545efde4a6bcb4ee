"""`dangan new`: next free 编号 (never one used before), a commented template, no overwrite."""

from __future__ import annotations

from conftest import git


def test_new_takes_the_next_number_and_writes_a_template(repo, env, run):
    code, out, err = run(["new", "--unit", "市财政局", "--name", "张三"], repo, env)
    assert code == 0, err
    assert "C000002.yaml" in out
    text = (repo / "dossiers" / "C000002.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/dossier.schema.json\n")
    assert "编号: C000002\n" in text and "姓名: 张三\n" in text and "管档单位: 市财政局\n" in text
    assert "# 出生年月：" in text  # help comes from the schema's description
    # in fmt's form already, so the format hook never refuses the clerk's first commit for the tool's own layout
    code, out, err = run(["fmt", "--check", "dossiers/C000002.yaml"], repo, env)
    assert code == 0, out + err
    # one commented example entry under every list, in the canonical layout
    for key in ("学历学位", "简历", "奖惩情况", "年度考核", "家庭成员", "档案目录", "认定记录"):
        assert f"{key}: []\n# 例：" in text and f"\n# {key}:\n#   - " in text, key
    assert '#   - {类号: "1", 序号: 1, 材料名称: 干部履历表' in text
    # the template is a to-do list: check names what is missing, with lines, and exits 1
    code, out, _ = run(["check", "dossiers/C000002.yaml"], repo, env)
    assert code == 1 and "S008" in out and "“出生年月”未填写" in out


def test_numbers_are_never_reused_after_a_file_is_gone(repo, env, run):
    (repo / "dossiers" / "C000007.yaml").write_bytes((repo / "dossiers" / "C000001.yaml").read_bytes())
    git(["add", "-A"], repo, env)
    git(["commit", "-qm", "add", "--no-verify"], repo, env)
    git(["rm", "-q", "dossiers/C000007.yaml"], repo, env)
    git(["commit", "-qm", "transfer out", "--no-verify"], repo, env)
    code, out, _ = run(["new"], repo, env)
    assert code == 0 and "C000008.yaml" in out


def test_new_refuses_unknown_unit_and_used_number(repo, env, run):
    code, _, err = run(["new", "--unit", "不存在的单位"], repo, env)
    assert code == 2 and "未在 schema/policy.yaml 中登记" in err and "Traceback" not in err
    code, _, err = run(["new", "--number", "C000001"], repo, env)
    assert code == 2 and "已被使用过" in err
    assert sorted(p.name for p in (repo / "dossiers").iterdir()) == ["C000001.yaml"]
