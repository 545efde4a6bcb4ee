"""The editor and `dangan check` agree: a real yaml-language-server (what VS Code's YAML extension runs) over LSP.

Each case is a clerk's slip in tests/data/valid.yaml. The editor must mark exactly the places `check` refuses
with an S (schema) finding, at the same line and column, in Chinese (the schema's errorMessage and
patternErrorMessage); where `check` refuses the YAML itself (L010), the editor marks the same line.
The server is installed, pinned, by scripts/bootstrap.sh; CI installs it itself, so there it must be present.
"""

from __future__ import annotations

import json
import os
import re

import pytest

import lsp
from conftest import valid_bytes

_missing = lsp.available()
if _missing and os.environ.get("CI"):
    raise RuntimeError(f"CI 上必须有 yaml-language-server：{_missing}")
pytestmark = pytest.mark.skipif(bool(_missing), reason=_missing or "")

HAN = re.compile("[\u4e00-\u9fff]")
VALID_ID = "142521197203150011"

# name → (text in valid.yaml, the clerk's version)
CASES = {
    "unquoted-month": ('出生年月: "1972.03"', "出生年月: 1972.03"),
    "unquoted-month-ending-0": ('入党时间: "1995.06"', "入党时间: 1995.10"),
    "unquoted-id": (f'身份证号: "{VALID_ID}"', f"身份证号: {VALID_ID}"),
    "unquoted-day": ('接收时间: "2013.01.08"', "接收时间: 2013.01"),
    "one-digit-month": ('出生年月: "1972.03"', '出生年月: "1972.3"'),
    "year-month-in-chinese": ('参加工作时间: "1994.07"', '参加工作时间: "1994年7月"'),
    "impossible-day": ('接收时间: "2013.01.08"', '接收时间: "2023.02.30"'),
    "not-a-leap-year": ('接收时间: "2013.01.08"', '接收时间: "2023.02.29"'),
    "full-width-digits": ('  - 起始: "2001.12"', '  - 起始: "２００１．１２"'),
    "short-political": ("政治面貌: 中共党员", "政治面貌: 党员"),
    "short-education": ("学历: 大学本科毕业", "学历: 本科"),
    "short-degree": ("学位: 经济学学士", "学位: 学士"),
    "clerk-rank": ("职级: 县处级副职", "职级: 副处"),
    "clerk-relation": ("称谓: 妻子", "称谓: 爱人"),
    "nbsp-after-value": ("民族: 汉族", "民族: 汉族\u00a0"),
    "wrong-name-dot": ("姓名: 王建国", "姓名: 买买提•艾力"),
    "space-in-name": ("姓名: 王建国", "姓名: 王 建国"),
    "lower-case-x": (f'身份证号: "{VALID_ID}"', '身份证号: "14252119720315029x"'),
    "year-as-text": ("  - {年度: 2025, 结果: 称职}", '  - {年度: "2025", 结果: 称职}'),
    "yes-for-boolean": ("    政治面貌: 中共党员\n    工作单位及职务", "    政治面貌: 中共党员\n    已故: 是\n    工作单位及职务"),
    "class-4-without-subclass": ('{类号: "4-1", 序号: 1,', "{类号: 4, 序号: 1,"),
    "unknown-key": ("    毕业院校: 山西财经学院", "    毕业学校: 山西财经学院"),
    "missing-key": ("健康状况: 健康\n", ""),
    "list-as-text": ("  依据: [\"9-2-1\"]\n管档单位", "  依据: 9-2-1\n管档单位"),
    # the YAML itself: both refuse it on the same line
    "full-width-colon": ("职级: 县处级副职", "职级：县处级副职"),
    "no-space-after-colon": ("性别: 男", "性别:男"),
    "full-width-comma": ('依据: ["4-1-1", "4-1-2"]', '依据: ["4-1-1"，"4-1-2"]'),
}
# accepted by both: YAML 1.2 spells booleans three ways, and a catalog date may be a bare year
ACCEPTED = {
    "True-is-a-boolean": ("    政治面貌: 中共党员\n    工作单位及职务", "    政治面貌: 中共党员\n    已故: False\n    工作单位及职务"),
    "partial-date-year": ('形成时间: "1995.03.10"', '形成时间: "1995"'),
    "quoted-everything": ("性别: 男", '性别: "男"'),
}


def _write_cases(root):
    text = valid_bytes().decode("utf-8")
    files = {}
    for i, (name, (old, new)) in enumerate({**CASES, **ACCEPTED}.items(), 1):
        assert old in text, name
        number = f"C9{i:05d}"
        body = text.replace(old, new, 1).replace("编号: C000001", f"编号: {number}", 1)
        path = root / "dossiers" / f"{number}.yaml"
        path.write_text(body, "utf-8")
        files[name] = path
    return files


@pytest.fixture(scope="module")
def editor_and_check(tmp_path_factory):
    """Every case through `dangan check --format json` and through the editor, once."""
    import shutil
    import subprocess

    from conftest import DANGAN, PROJECT, TODAY

    root = tmp_path_factory.mktemp("editor")
    shutil.copytree(PROJECT / "schema", root / "schema")
    (root / "dossiers").mkdir()
    (root / "dossiers" / "C000001.yaml").write_bytes(valid_bytes())
    files = _write_cases(root)
    env = {**os.environ, "DANGAN_TODAY": TODAY, "LC_ALL": "C.UTF-8"}
    env.pop("DANGAN_ROOT", None)
    p = subprocess.run([DANGAN, "check", "--format", "json", "--no-cache", "dossiers/"], cwd=root, env=env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode in (0, 1), p.stderr
    found = json.loads(p.stdout)
    client = lsp.Client(root, locale="zh-cn")
    try:
        seen = {name: client.open(path) for name, path in files.items()}
        seen["valid"] = client.open(root / "dossiers" / "C000001.yaml")
        hover = client.hover(root / "dossiers" / "C000001.yaml", 9, 3)
        bare = root / "dossiers" / "C999999.yaml"
        bare.write_text(files["clerk-rank"].read_text("utf-8").split("\n", 1)[1], "utf-8")
        seen["no-modeline"] = client.open(bare)
    finally:
        client.close()
    checked = {name: [f for f in found if f["path"].endswith(f"/{path.name}")] for name, path in files.items()}
    checked["valid"] = [f for f in found if f["path"].endswith("/C000001.yaml")]
    return root, checked, seen, hover


def _place(d) -> tuple[int, int]:
    return d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1


@pytest.mark.parametrize("name", [n for n in CASES if not n.startswith(("full-width-c", "no-space"))])
def test_the_editor_marks_what_check_refuses(editor_and_check, name):
    _root, checked, seen, _hover = editor_and_check
    ours = sorted({(f["line"], f["col"]) for f in checked[name] if f["code"].startswith("S")})
    theirs = sorted({_place(d) for d in seen[name]})
    assert ours, f"check accepted {name}"
    assert ours == theirs, (name, checked[name], [(_place(d), d["message"]) for d in seen[name]])
    # one mistake, one finding: no rule builds on the refused value
    assert len(checked[name]) == 1, (name, [(f["code"], f["message"]) for f in checked[name]])


@pytest.mark.parametrize("name", [n for n in CASES if not n.startswith(("full-width-c", "no-space", "missing-key",
                                                                        "unknown-key"))])
def test_the_editor_speaks_chinese(editor_and_check, name):
    """The schema's own messages: Chinese, never a regular expression or the English default."""
    _root, _checked, seen, _hover = editor_and_check
    for d in seen[name]:
        assert HAN.search(d["message"]), (name, d["message"])
        assert "^(" not in d["message"] and "pattern" not in d["message"], (name, d["message"])


@pytest.mark.parametrize("name", ["full-width-colon", "no-space-after-colon", "full-width-comma"])
def test_yaml_slips_refused_by_both_on_the_same_line(editor_and_check, name):
    _root, checked, seen, _hover = editor_and_check
    assert [f["code"] for f in checked[name]] == ["L010"], checked[name]
    line = checked[name][0]["line"]
    assert line in {_place(d)[0] for d in seen[name]}, (checked[name], seen[name])


@pytest.mark.parametrize("name", ["valid", *ACCEPTED])
def test_accepted_by_both(editor_and_check, name):
    _root, checked, seen, _hover = editor_and_check
    assert seen[name] == [] and checked[name] == [], (seen[name], checked[name])


def test_hover_shows_the_field_in_chinese(editor_and_check):
    _root, _checked, _seen, hover = editor_and_check
    text = json.dumps(hover, ensure_ascii=False)
    assert "公民身份号码" in text, text


def test_without_the_modeline_the_editor_checks_nothing(editor_and_check):
    """Why `dangan check` warns about a dossier without its modeline (see test_new.py): the editor goes silent."""
    _root, _checked, seen, _hover = editor_and_check
    assert seen["no-modeline"] == []
