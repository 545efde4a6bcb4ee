"""`dangan fmt`: the generator's layout for any file, comments kept, content never changed, idempotent."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PROJECT, git
from dangan.load import load_bytes
from dangan.verbs.fmt import format_text
from dangan.yamledit import Source, same
from dangan.yamltext import Layout
from test_precommit import commit, first_commit

LAYOUT = Layout.of(PROJECT / "schema" / "dossier.schema.json")

MESSY = """\
# yaml-language-server: $schema=../schema/dossier.schema.json
# 头部说明

姓名: 王建国   # 与户籍一致
编号: C000001
# 出生年月经认定
出生年月: '1972.03'
学历学位:
  -   毕业时间: "1994.07"   # 毕业证
      类别: 全日制
      依据:
        - "4-1-1"   # 原件
        # 第二份
        - 4-1-2
简历:
- 起始: "1990.09"
  截止: ~
  内容: 学习 # 学
  性质: 学习
档案目录: [
   {类号: "1", 序号: 1, 材料名称: 干部履历表,  # 行内
    形成时间: "1995.03.10", 页数: 8, 接收时间: "1995.03.20"}
  ]
年度考核:
  - 年度: 1995
    结果: 称职
家庭成员: []
说明: |
  两行
  文字 # 不是注释
# 结尾
"""

EXPECTED = """\
# yaml-language-server: $schema=../schema/dossier.schema.json
# 头部说明
编号: C000001
姓名: 王建国  # 与户籍一致
# 出生年月经认定
出生年月: "1972.03"
学历学位:
  - 类别: 全日制
    毕业时间: "1994.07"  # 毕业证
    # 第二份
    依据: ["4-1-1", "4-1-2"]  # 原件
简历:
  - 起始: "1990.09"
    截止: null
    内容: 学习  # 学
    性质: 学习
年度考核:
  - {年度: 1995, 结果: 称职}
家庭成员: []
档案目录:
  - {类号: "1", 序号: 1, 材料名称: 干部履历表, 形成时间: "1995.03.10", 页数: 8, 接收时间: "1995.03.20"}  # 行内
说明: "两行\\n文字 # 不是注释\\n"
# 结尾
"""


def fmt(text: str) -> str:
    return format_text(Source(PROJECT / "x.yaml", text.encode("utf-8")), LAYOUT)


def test_canonical_layout_with_comments_kept():
    out = fmt(MESSY)
    assert out == EXPECTED
    assert fmt(out) == out  # idempotent
    assert same(load_bytes(out.encode()).data, load_bytes(MESSY.encode()).data, ordered=False)


def test_bundled_dossiers_are_already_canonical(run, env):
    code, out, err = run(["fmt", "--check"], PROJECT, env)
    assert code == 0, out + err
    assert out == ""


def test_generated_dossiers_are_canonical(tmp_path, run, env):
    assert run(["generate", "--count", "40", "--out", tmp_path / "g", "--seed", "3"], tmp_path, env)[0] == 0
    code, out, err = run(["fmt", "--check"], tmp_path / "g", env)
    assert code == 0, out + err


def test_check_shows_a_diff_and_fmt_fixes_it(repo, env, run):
    path = repo / "dossiers" / "C000001.yaml"
    original = path.read_bytes()
    messy = original.decode().replace('出生年月: "1972.03"', "出生年月: '1972.03'   # 认定值").replace("民族: 汉族\n", "")
    messy = messy.replace("姓名: 王建国\n", "姓名: 王建国\n民族: 汉族\n")
    path.write_text(messy, "utf-8")
    code, out, err = run(["fmt", "--check", "dossiers/C000001.yaml"], repo, env)
    assert code == 1
    assert "-出生年月: '1972.03'   # 认定值" in out and '+出生年月: "1972.03"  # 认定值' in out
    assert "不是规范格式" in err
    assert path.read_text("utf-8") == messy  # --check writes nothing
    code, out, _err = run(["fmt", "--dry-run"], repo, env)
    assert code == 0 and "-性别: 男" in out and "未写入" in out and path.read_text("utf-8") == messy
    code, out, _err = run(["fmt"], repo, env)
    assert code == 0 and "已整理 dossiers/C000001.yaml" in out
    assert path.read_bytes() == original.replace(b'"1972.03"', '"1972.03"  # 认定值'.encode(), 1)
    assert run(["fmt", "--check"], repo, env)[0] == 0


def test_unreadable_and_conflicted_files_are_reported(repo, env, run):
    path = repo / "dossiers" / "C000001.yaml"
    path.write_text(path.read_text("utf-8") + "<<<<<<< HEAD\n", "utf-8")
    code, _out, err = run(["fmt", "--check"], repo, env)
    assert code == 1 and "L019" in err
    code, _out, err = run(["fmt"], repo, env)
    assert code == 1 and "L019" in err and "无法整理" in err


def test_lone_cr_and_crlf_line_ends_are_refused_by_check_and_mended_by_fmt(repo, env, run):
    path = repo / "dossiers" / "C000001.yaml"
    original = path.read_bytes()
    # old-Mac line ends throughout, one CRLF: YAML reads the same data as with LF
    path.write_bytes(original.replace(b"\n", b"\r").replace(b"\r", b"\r\n", 1))
    code, out, _err = run(["check", "dossiers/C000001.yaml"], repo, env)
    assert code == 1 and "dossiers/C000001.yaml:2:" in out and "L008" in out
    assert run(["fmt", "--check"], repo, env)[0] == 1
    code, out, err = run(["fmt"], repo, env)
    assert code == 0, out + err
    assert path.read_bytes() == original and run(["check", "dossiers/C000001.yaml"], repo, env)[0] == 0


def test_precommit_hook_refuses_an_unformatted_dossier(hooked, env):
    first_commit(hooked, env)
    path = hooked / "dossiers" / "C000001.yaml"
    path.write_text(path.read_text("utf-8").replace('出生年月: "1972.03"', "出生年月: '1972.03'"), "utf-8")
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "改引号")
    out = p.stdout + p.stderr
    assert p.returncode != 0
    fmt_line = next(line for line in out.splitlines() if line.startswith("档案格式"))
    assert fmt_line.endswith(".未通过") and "dangan fmt" in out


_KEYS = st.sampled_from(["编号", "姓名", "出生年月", "简历", "档案目录", "依据", "备注", "x"])
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6),
                     st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp", "Cf")), max_size=12),
                     st.sampled_from(["1970.03", "010020", "null", "yes", "- a", "a: b", "a #b", "[x]", "4-1-3", ""]))
_DATA = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(_KEYS, inner, max_size=3)), max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_KEYS, _DATA, min_size=1, max_size=5))
def test_any_data_round_trips(data):
    """Whatever a file holds, the canonical text reads back as the same data, and formatting it again changes nothing."""
    text = "\n".join(line for line, _paths in LAYOUT.lines(data)) + "\n"
    src = Source(PROJECT / "x.yaml", text.encode("utf-8"))
    assert same(src.data, data, ordered=False)
    assert fmt(text) == fmt(fmt(text))


@pytest.mark.parametrize("name", sorted(p.name for p in (PROJECT / "dossiers").glob("*.yaml"))[:5])
def test_comments_survive_on_bundled_dossiers(name):
    text = (PROJECT / "dossiers" / name).read_text("utf-8")
    commented = text.replace("\n简历:\n", "\n# 工作经历\n简历:  # 见任免表\n", 1)
    assert fmt(commented) == commented
