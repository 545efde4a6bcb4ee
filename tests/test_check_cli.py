"""`dangan check` end to end: the real CLI in a throw-away dossier repository.

MUTATIONS is a corpus of small edits of tests/data/valid.yaml, each with the finding it must produce;
test_schema_agree.py reuses it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from stdnum.cn import ric

from conftest import FULL_ID, valid_bytes
from dangan.load import MAX_BYTES

LINE = re.compile(r"(?P<path>[^:\n]+):(?P<line>[0-9]+):(?P<col>[0-9]+): (?P<severity>错误|警告) "
                  r"(?P<code>[A-Z][0-9]{3}) (?P<message>.+)")
ERROR, WARNING = "错误", "警告"


def with_check(first17: str) -> str:
    """An 18-digit ID number with the right check digit."""
    assert len(first17) == 17
    return first17 + ric.calc_check_digit(first17 + "0")


VALID_ID = "142521197203150011"  # 长治县 (142521 was its code in 1972), 1972.03.15, male
X_ID = "14252119720315029X"  # same person-shape, check digit X
END = valid_bytes().count(b"\n") + 1  # the line an appended text starts on
OTHER_ID = with_check("14252119720315003")  # another valid male ID born the same day
assert ric.is_valid(VALID_ID) and ric.is_valid(X_ID) and ric.is_valid(OTHER_ID)


def sub(old: str, new: str) -> Callable[[bytes], bytes]:
    """Replace a text that occurs exactly once in valid.yaml (so the corpus breaks loudly if valid.yaml changes)."""

    def mutate(raw: bytes) -> bytes:
        text = raw.decode("utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in valid.yaml"
        return text.replace(old, new).encode("utf-8")

    return mutate


def append(extra: str) -> Callable[[bytes], bytes]:
    return lambda raw: raw + extra.encode("utf-8")


def recode(encoding: str, prefix: bytes = b"", drop_first_line: bool = False) -> Callable[[bytes], bytes]:
    def mutate(raw: bytes) -> bytes:
        text = raw.decode("utf-8")
        if drop_first_line:
            text = text.split("\n", 1)[1]
        return prefix + text.encode(encoding)

    return mutate


def as_top_level_list(raw: bytes) -> bytes:
    comment, rest = raw.decode("utf-8").split("\n", 1)
    lines = rest.splitlines()
    return (comment + "\n- " + lines[0] + "\n" + "".join(f"  {line}\n" for line in lines[1:])).encode("utf-8")


DETERMINATION = """认定记录:
  - 项目: 出生年月
    原值: "1972.03"
    认定值: "1972.05"
    依据: ["1-1"]
    认定机关: 中共长治市委组织部
    认定日期: "2020.05.10"
    文号: 长组干字〔2020〕12号
"""


@dataclass(frozen=True)
class Mutation:
    id: str
    mutate: Callable[[bytes], bytes]
    code: str | None  # None: the mutated dossier must pass with no finding at all
    line: int | None = None
    fragment: str = ""
    exit: int = 1
    severity: str = ERROR
    col: int | None = None
    name: str = "C000001.yaml"
    absent: tuple[str, ...] = ()  # codes that must not be reported (misleading noise)

    def apply(self) -> bytes:
        return self.mutate(valid_bytes())


M = Mutation
MUTATIONS = [
    # ---- loader refusals, through the CLI
    M("dup-top-level-key", append("奖惩情况: []\n"), "L016", END, "奖惩情况", col=1),
    M("dup-nested-key", sub('  依据: ["9-2-1"]\n', '  依据: ["9-2-1"]\n  取得方式: 录用干部\n'), "L016", 37, "取得方式", col=3),
    M("anchor", sub("管档单位: 市财政局", "管档单位: &unit 市财政局"), "L011", 37, "锚点", col=7),
    M("alias", sub("现任职务: 长治市财政局副局长", "现任职务: *unit"), "L011", 38, "别名", col=7),
    M("merge-key", sub("干部身份:\n  取得方式", '干部身份:\n  <<: {取得时间: "1994.07"}\n  取得方式'), "L015", 34, "合并键",
      col=3),
    M("python-tag", sub("姓名: 王建国", "姓名: !!python/object:os.system 王建国"), "L012", 3, "类型标签", col=5),
    M("custom-tag", sub("性别: 男", "性别: !foo 男"), "L012", 4, "!foo", col=5),
    M("tab-indentation", sub("  取得方式: 大中专", "\t取得方式: 大中专"), "L006", 34, "制表符", col=1),
    M("tab-in-value", sub("姓名: 王建国", "姓名: 王\t建国"), "L006", 3, "制表符", col=6),
    M("gbk", recode("gbk"), "L004", 2, "GBK", col=1),
    M("utf-16-le-bom", recode("utf-16-le", b"\xff\xfe"), "L003", 1, "UTF-16"),
    M("utf-16-le-no-bom", recode("utf-16-le"), "L003", 1, "UTF-16"),
    M("utf-16-le-no-bom-cjk-first", recode("utf-16-le", drop_first_line=True), "L003", 1, "UTF-16"),
    M("utf-8-bom", recode("utf-8", b"\xef\xbb\xbf"), "L002", 1, "BOM"),
    M("nul-byte", sub("姓名: 王建国", "姓名: 王\x00建国"), "L007", 3, "U+0000", col=6),
    M("control-char", sub("姓名: 王建国", "姓名: 王\x1b建国"), "L007", 3, "U+001B", col=6),
    M("zero-width-space-in-name", sub("姓名: 王建国", "姓名: 王\u200b建国"), "L007", 3, "U+200B", col=6),
    M("rlo-in-id", sub(f'"{VALID_ID}"', f'"\u202e{VALID_ID}"'), "L007", 9, "U+202E", col=8),
    M("two-documents", append("---\n编号: C000002\n"), "L017", END, "第二个", col=1),
    M("top-level-list", as_top_level_list, "L013", 2, "顶层", col=1),
    M("top-level-scalar", lambda raw: raw.split(b"\n", 1)[0] + "\n王建国\n".encode(), "L013", 2, "顶层"),
    M("empty-file", lambda raw: b"", "L005", 1, "为空"),
    M("whitespace-only", lambda raw: b"  \n\n    \n", "L005", 1, "为空"),
    M("oversized", append("# " + "x" * MAX_BYTES + "\n"), "L001", 1, "过大"),
    # the quote runs on to the next '"' (line 9), where libyaml gives up: see test_load for the message
    M("unbalanced-quote", sub('出生年月: "1972.03"', '出生年月: "1972.03'), "L010", 5, "引号没有配对"),
    M("bad-indentation", sub('  取得时间: "1994.07"', ' 取得时间: "1994.07"'), "L010", 35, "缩进", col=2),
    M("key-value-more", sub("现任职务: 长治市财政局副局长", "现任职务: 长治市财政局: 副局长"), "L010", 38, "冒号", col=13),
    # ---- schema
    M("misspelt-key", sub('出生年月: "1972.03"', '出生年月日: "1972.03"'), "S002", 5, "出生年月", col=1),
    M("missing-required", sub("健康状况: 健康\n", ""), "S001", None, "健康状况"),
    M("wrong-type", sub('页数: 8,', '页数: "三",'), "S003", 120, "整数"),
    # the editor (YAML 1.2) reads an unquoted ID number or date as a number, so check refuses it too
    M("unquoted-id", sub(f'"{VALID_ID}"', VALID_ID), "S003", 9, "加引号", col=7),
    M("unquoted-month", sub('出生年月: "1972.03"', "出生年月: 1972.03"), "S003", 5, "加引号", col=7),
    M("unquoted-x-id-is-fine", sub(f'"{VALID_ID}"', X_ID), None, exit=0),
    # the check digit is right, only its case is wrong: "校验码不对, 核实每一位" (R101) would mislead
    M("lower-case-x", sub(f'"{VALID_ID}"', f'"{X_ID[:-1]}x"'), "S004", 9, "大写", col=7, absent=("R101",)),
    M("full-width-digits", sub('出生年月: "1972.03"', '出生年月: "１９７２.03"'), "S004", 5, "全角", col=7),
    M("trailing-space-in-id", sub(f'"{VALID_ID}"', f'"{VALID_ID} "'), "S004", 9, "空格", col=7),
    M("trailing-newline-in-id", sub(f'"{VALID_ID}"', f'"{VALID_ID}\\n"'), "S004", 9, "换行", col=7),
    M("block-scalar-name", sub("姓名: 王建国\n", "姓名: |\n  王建国\n"), "S004", 3, "换行"),
    M("fifteen-digit-id", sub(f'"{VALID_ID}"', '"142521720315001"'), "S004", 9, "15 位", col=7),
    M("enum-with-suggestion", sub("民族: 汉族", "民族: 汉"), "S005", 6, "汉族", col=5),
    M("class-4-without-subclass", sub('{类号: "4-1", 序号: 1,', '{类号: 4, 序号: 1,'), "S005", 121, "子类"),
    # ---- identity
    M("wrong-check-digit", sub(VALID_ID, VALID_ID[:-1] + "2"), "R101", 9, "校验码", col=7),
    M("impossible-embedded-date", sub(VALID_ID, with_check("14252119720230001")), "R102", 9, "不存在"),
    M("id-birth-month-differs", sub(VALID_ID, with_check("14252119720415001")), "R103", 9, "不一致", exit=0,
      severity=WARNING),
    M("sex-digit-mismatch", sub(VALID_ID, with_check("14252119720315002")), "R104", 9, "性别", exit=0,
      severity=WARNING),
    M("unit-not-in-policy", sub("管档单位: 市财政局", "管档单位: 市财政厅"), "R105", 37, "市财政局"),
    M("file-name-not-number", lambda raw: raw, "R106", 2, "C000001.yaml", name="C000002.yaml"),
    # ---- catalog
    M("catalog-gap", sub('{类号: "9-2", 序号: 4,', '{类号: "9-2", 序号: 5,'), "R402", 129, "9-2-4"),
    M("catalog-duplicate", sub('{类号: "9-2", 序号: 4,', '{类号: "9-2", 序号: 3,'), "R401", 129, "重复"),
    M("received-late", sub('接收时间: "2013.01.08"', '接收时间: "2013.03.08"'), "R403", 125, "1 个月", exit=0,
      severity=WARNING),
    M("received-before-made", sub('接收时间: "2013.01.08"', '接收时间: "2012.12.10"'), "R404", 125, "早于"),
    # impossible calendar dates: once rule R405, now a schema format asserted by both validators (S009)
    M("impossible-date", sub('接收时间: "2013.01.08"', '接收时间: "2023.02.30"'), "S009", 125, "2023.02.30", col=70),
    M("impossible-made-date", sub('形成时间: "2012.12.20"', '形成时间: "2012.11.31"'), "S009", 125, "不是真实存在的日期"),
    M("basis-missing-material", sub('依据: ["7-1"]', '依据: ["7-2"]'), "R407", 75, "7-2"),
    # ---- 简历
    M("resume-gap", sub('  - 起始: "2001.12"', '  - 起始: "2002.06"'), "R304", 49, "空断"),
    M("resume-overlap", sub('  - 起始: "2001.12"', '  - 起始: "2001.06"'), "R305", 49, "重叠"),
    M("resume-start-vs-work", sub('参加工作时间: "1994.07"', '参加工作时间: "1994.09"'), "R306", 45, "参加工作时间"),
    M("fulltime-study-during-work", sub("  - 类别: 在职", "  - 类别: 全日制"), "R308", 25, "全日制", exit=0,
      severity=WARNING),
    # ---- key facts
    M("party-before-18", sub('入党时间: "1995.06"', '入党时间: "1989.12"'), "R202", 11, "18", exit=0, severity=WARNING),
    M("work-before-16", sub('出生年月: "1972.03"', '出生年月: "1978.09"'), "R205", 12, "16", exit=0, severity=WARNING),
    M("determined-value-changed", sub("认定记录: []\n", DETERMINATION), "R213", 5, "认定"),
    M("assessment-in-current-year", sub("  - {年度: 2025, 结果: 称职}\n", "  - {年度: 2025, 结果: 称职}\n  - {年度: 2026, 结果: 称职}\n"),
      "R206", 108, "2026"),
    M("assessment-duplicate-year", sub("  - {年度: 2025, 结果: 称职}\n", "  - {年度: 2024, 结果: 称职}\n"), "R209", 107,
      "2024"),
    # ---- completeness
    M("missing-appointment-form", sub('    依据: ["9-2-3"]\n', ""), "C501", 55, "任免审批表"),
    M("missing-assessment-year", sub("  - {年度: 2025, 结果: 称职}\n", ""), "C502", 76, "2025"),
]
assert len({m.id for m in MUTATIONS}) == len(MUTATIONS)


def parse(stdout: str) -> list[dict]:
    out = []
    for line in stdout.splitlines():
        m = LINE.fullmatch(line)
        assert m, f"not a finding line: {line!r}"
        d = m.groupdict()
        d["line"], d["col"] = int(d["line"]), int(d["col"])
        out.append(d)
    return out


def assert_clean(code: int, out: str, err: str):
    """Nothing a clerk sees may contain a traceback or an unmasked ID number."""
    assert "Traceback" not in out + err
    assert not FULL_ID.search(out + err), (out + err)
    assert code in (0, 1, 2), (code, err)


def put(repo, name: str, raw: bytes):
    (repo / "dossiers" / "C000001.yaml").unlink(missing_ok=True)
    (repo / "dossiers" / name).write_bytes(raw)


# ---------------------------------------------------------------------------------------------


def test_valid_dossier_passes(repo, env, run):
    code, out, err = run(["check"], repo, env)
    assert_clean(code, out, err)
    assert (code, out) == (0, "")
    assert "未发现问题" in err and "1 份" in err


def test_valid_dossier_passes_by_path(repo, env, run):
    code, out, err = run(["check", "dossiers/C000001.yaml"], repo, env)
    assert (code, out) == (0, ""), err


@pytest.mark.parametrize("m", MUTATIONS, ids=lambda m: m.id)
def test_mutation(m: Mutation, repo, env, run):
    put(repo, m.name, m.apply())
    code, out, err = run(["check"], repo, env)
    assert_clean(code, out, err)
    findings = parse(out)
    assert code == m.exit, out + err
    if m.code is None:
        assert findings == [] and out == ""
    else:
        hits = [f for f in findings if f["code"] == m.code]
        assert hits, out
        assert all(f["path"] == f"dossiers/{m.name}" for f in findings)
        if m.line is not None:
            hits = [f for f in hits if f["line"] == m.line]
            assert hits, f"{m.code} not on line {m.line}:\n{out}"
        if m.col is not None:
            assert any(f["col"] == m.col for f in hits), out
        assert any(m.fragment in f["message"] for f in hits), out
        assert all(f["severity"] == m.severity for f in hits), out
    assert not [f for f in findings if f["code"] in m.absent], out
    if m.exit == 0:
        assert all(f["severity"] == WARNING for f in findings), out
    else:
        assert any(f["severity"] == ERROR for f in findings), out
    # a loader refusal is the only finding: nothing else can be said about an unreadable file
    if m.code and m.code.startswith("L"):
        assert len(findings) == 1, out
    # the summary counts what was printed
    errors = sum(f["severity"] == ERROR for f in findings)
    assert (f"{errors} 个错误" in err) if findings else ("未发现问题" in err)

    # --format json: the same findings, as a list of objects (second run: from the warm cache)
    code2, out2, err2 = run(["check", "--format", "json"], repo, env)
    assert_clean(code2, out2, err2)
    assert code2 == code
    data = json.loads(out2)
    assert isinstance(data, list)
    assert all(set(d) == {"path", "line", "col", "severity", "code", "message"} for d in data)
    assert [(d["path"], d["line"], d["col"], d["severity"], d["code"], d["message"]) for d in data] == \
           [(f["path"], f["line"], f["col"], f["severity"], f["code"], f["message"]) for f in findings]


def test_json_for_valid_is_empty_list(repo, env, run):
    code, out, err = run(["check", "--format", "json"], repo, env)
    assert code == 0
    assert json.loads(out) == []
    assert err == ""


def test_quiet_has_no_summary(repo, env, run):
    put(repo, "C000001.yaml", sub(VALID_ID, VALID_ID[:-1] + "2")(valid_bytes()))
    code, out, err = run(["check", "--quiet"], repo, env)
    assert code == 1 and "R101" in out
    assert err == ""


# ---- cross-file rules


def _second(repo, number: str, id_number: str, name: str | None = None):
    raw = sub("编号: C000001", f"编号: {number}")(valid_bytes())
    raw = sub(VALID_ID, id_number)(raw)
    (repo / "dossiers" / (name or f"{number}.yaml")).write_bytes(raw)


@pytest.mark.parametrize("args", [["check"], ["check", "--cross"]], ids=["all", "cross"])
def test_duplicate_number(repo, env, run, args):
    _second(repo, "C000001", OTHER_ID, name="C000002.yaml")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)  # --cross looks at what the index holds
    code, out, err = run(args, repo, env)
    assert_clean(code, out, err)
    assert code == 1
    findings = parse(out)
    x = [f for f in findings if f["code"] == "X001"]
    assert sorted(f["path"] for f in x) == ["dossiers/C000001.yaml", "dossiers/C000002.yaml"]
    assert all(f["line"] == 2 and "C000001" in f["message"] for f in x)
    assert not [f for f in findings if f["code"] == "X002"]
    if "--cross" in args:  # only the cross-file rules
        assert {f["code"] for f in findings} == {"X001"}
    else:  # the second file's name does not match its 编号 either
        assert any(f["code"] == "R106" and f["path"] == "dossiers/C000002.yaml" for f in findings)


def test_duplicate_number_with_yml_extension(repo, env, run):
    """C000001.yml passes the per-file check (its stem is its 编号): only the cross-file rule catches it."""
    _second(repo, "C000001", OTHER_ID, name="C000001.yml")
    code, out, _err = run(["check", "dossiers/C000001.yml"], repo, env)
    assert (code, out) == (0, "")
    code, out, _err = run(["check"], repo, env)
    assert code == 1
    assert {(f["path"], f["code"]) for f in parse(out)} == {("dossiers/C000001.yaml", "X001"),
                                                           ("dossiers/C000001.yml", "X001")}


def test_cross_file_rules_need_all_files(repo, env, run):
    """With explicit paths only the per-file rules run (cross-file is the job of `check` / `--cross`)."""
    _second(repo, "C000002", VALID_ID)
    code, out, _err = run(["check", "dossiers/C000001.yaml", "dossiers/C000002.yaml"], repo, env)
    assert (code, out) == (0, "")


@pytest.mark.parametrize("args", [["check"], ["check", "--cross"]], ids=["all", "cross"])
def test_same_id_in_two_files(repo, env, run, args):
    _second(repo, "C000002", VALID_ID)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    code, out, err = run(args, repo, env)
    assert_clean(code, out, err)
    assert code == 1
    findings = parse(out)
    assert {(f["path"], f["code"]) for f in findings} == {("dossiers/C000001.yaml", "X002"),
                                                         ("dossiers/C000002.yaml", "X002")}
    assert all("一人只能有一份档案" in f["message"] for f in findings)


# ---- usage and I/O problems: exit 2, a Chinese message, no traceback


def test_nonexistent_path(repo, env, run):
    code, out, err = run(["check", "nonexistent.yaml"], repo, env)
    assert_clean(code, out, err)
    assert code == 2
    assert out == ""
    assert "找不到文件" in err and "nonexistent.yaml" in err


def test_outside_any_repository(tmp_path, env, run):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    code, out, err = run(["check"], outside, env)
    assert_clean(code, out, err)
    assert code == 2
    assert out == ""
    assert err.startswith("错误：") and "档案仓库" in err


def test_dangan_root_pointing_nowhere(repo, tmp_path, env, run):
    env = {**env, "DANGAN_ROOT": str(tmp_path / "nowhere")}
    code, out, err = run(["check"], repo, env)
    assert_clean(code, out, err)
    assert code == 2 and "DANGAN_ROOT" in err


def test_bad_as_of(repo, env, run):
    code, out, err = run(["check", "--as-of", "2026.02.30"], repo, env)
    assert_clean(code, out, err)
    assert code == 2 and "不是有效日期" in err


# ---- where the clerk stands


def test_paths_relative_to_cwd(repo, env, run):
    put(repo, "C000001.yaml", sub(VALID_ID, VALID_ID[:-1] + "2")(valid_bytes()))
    dossiers = repo / "dossiers"
    code, out, _err = run(["check", "C000001.yaml"], dossiers, env)
    assert code == 1
    assert [(f["path"], f["line"], f["code"]) for f in parse(out)] == [("C000001.yaml", 9, "R101")]
    code, out, _err = run(["check"], dossiers, env)  # whole repository, from inside dossiers/
    assert [(f["path"], f["code"]) for f in parse(out)] == [("C000001.yaml", "R101")]
    code, out, _err = run(["check"], repo / "schema", env)
    assert [(f["path"], f["code"]) for f in parse(out)] == [("../dossiers/C000001.yaml", "R101")]
    code, out, _err = run(["check", "--format", "json"], dossiers, env)
    assert [d["path"] for d in json.loads(out)] == ["C000001.yaml"]


# ---- the result cache


CACHE_FILES = [
    ("C000001.yaml", valid_bytes),
    ("C000002.yaml", lambda: sub("编号: C000001", "编号: C000002")(sub(VALID_ID, VALID_ID[:-1] + "2")(valid_bytes()))),
    ("C000003.yaml", lambda: sub("编号: C000001", "编号: C000003")(sub("民族: 汉族", "民族: 汉")(valid_bytes()))),
    ("C000004.yaml", lambda: b""),
]


def test_warm_cache_equals_no_cache(repo, env, run):
    for name, make in CACHE_FILES:
        (repo / "dossiers" / name).write_bytes(make())
    cold = run(["check"], repo, env)
    cache = repo / ".git" / "dangan" / "check-cache.json"
    assert cache.is_file()
    stamp = cache.stat().st_mtime_ns
    warm = run(["check"], repo, env)
    fresh = run(["check", "--no-cache"], repo, env)
    assert cold == warm == fresh
    assert cold[0] == 1
    codes = {(f["path"], f["code"]) for f in parse(cold[1])}
    assert codes >= {("dossiers/C000002.yaml", "R101"), ("dossiers/C000003.yaml", "S005"),
                     ("dossiers/C000004.yaml", "L005"), ("dossiers/C000001.yaml", "X002"),
                     ("dossiers/C000003.yaml", "X002")}
    assert cache.stat().st_mtime_ns == stamp  # nothing changed: the warm run did not rewrite the cache
    # the JSON output from the cache and without it agree too
    assert run(["check", "--format", "json"], repo, env) == run(["check", "--format", "json", "--no-cache"], repo, env)


def test_cache_sees_an_edit(repo, env, run):
    path = repo / "dossiers" / "C000001.yaml"
    assert run(["check"], repo, env)[:2] == (0, "")
    path.write_bytes(sub("民族: 汉族", "民族: 汉")(valid_bytes()))
    code, out, _err = run(["check"], repo, env)
    assert code == 1 and "S005" in out
    path.write_bytes(valid_bytes())  # and back: the blob is known again
    assert run(["check"], repo, env)[:2] == (0, "")


def test_cache_same_size_same_mtime_edit(repo, env, run):
    """The nasty case: same size, same inode, mtime deliberately restored. Only the content changed."""
    path = repo / "dossiers" / "C000001.yaml"
    assert run(["check"], repo, env)[:2] == (0, "")
    before = path.stat()
    bad = sub(VALID_ID, VALID_ID[:-1] + "2")(valid_bytes())
    assert len(bad) == before.st_size
    with path.open("r+b") as fh:  # in place: same inode
        fh.write(bad)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    code, out, _err = run(["check"], repo, env)
    assert (code, [f["code"] for f in parse(out)]) == (1, ["R101"]), "the cache returned a stale result"


def test_cache_rename_keeps_results_per_path(repo, env, run):
    """Moving a file changes its path: R106 (file name) must be recomputed, not copied from the cache."""
    assert run(["check"], repo, env)[:2] == (0, "")
    (repo / "dossiers" / "C000001.yaml").rename(repo / "dossiers" / "C000009.yaml")
    code, out, _err = run(["check"], repo, env)
    assert code == 1
    assert [(f["path"], f["code"]) for f in parse(out)] == [("dossiers/C000009.yaml", "R106")]


def test_cache_follows_as_of_date(repo, env, run):
    """年度考核 completeness moves with the date: the cache must not answer for another day."""
    assert run(["check"], repo, env)[:2] == (0, "")
    code, out, _err = run(["check", "--as-of", "2027.05.01"], repo, env)
    assert code == 1 and "C502" in out and "2026" in out
    assert run(["check"], repo, env)[:2] == (0, "")


def test_cache_follows_policy(repo, env, run):
    assert run(["check"], repo, env)[:2] == (0, "")
    policy = repo / "schema" / "policy.yaml"
    policy.write_bytes(policy.read_bytes().replace("  - 市财政局\n".encode(), b""))
    code, out, _err = run(["check"], repo, env)
    assert code == 1 and "R105" in out


def test_cross_ignores_untracked_drafts(repo, env, run):
    """The cross-file hook sees what the commit will hold: an untracked draft cannot block it."""
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    _second(repo, "C000001", OTHER_ID, name="C000002.yaml")
    code, out, _err = run(["check", "--cross"], repo, env)
    assert (code, out) == (0, "")
    subprocess.run(["git", "add", "dossiers/C000002.yaml"], cwd=repo, check=True)
    code, out, _err = run(["check", "--cross"], repo, env)
    assert code == 1 and "X001" in out


def test_cross_reads_the_index_as_staged_and_keeps_its_summaries_by_blob(repo, env, run):
    """--cross (the pre-commit hook) judges what the commit will hold, from blobs, through its sealed index:
    a second run reads only the new blob; an edited index is not believed (issue 21)."""
    _second(repo, "C000002", OTHER_ID)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    assert run(["check", "--cross"], repo, env)[:2] == (0, "")
    index = repo / ".git" / "dangan" / "cross-index.json"
    assert index.is_file() and b"C000002" in index.read_bytes()
    assert OTHER_ID.encode() not in index.read_bytes()  # a digest of the 身份证号, never the number
    # staged: a third dossier with C000001's 身份证号; in the working tree it has been corrected but not staged
    _second(repo, "C000003", VALID_ID)
    subprocess.run(["git", "add", "dossiers/C000003.yaml"], cwd=repo, check=True)
    _second(repo, "C000003", with_check("14252119720315005"))
    code, out, _err = run(["check", "--cross"], repo, env)
    assert code == 1 and {(f["path"], f["code"]) for f in parse(out)} == {("dossiers/C000001.yaml", "X002"),
                                                                           ("dossiers/C000003.yaml", "X002")}
    # the index edited to make C000001 someone else (its seal no longer fits): ignored, the duplicate still found
    head, _, body = index.read_bytes().partition(b"\n")
    value = json.loads(body)
    blob = subprocess.run(["git", "rev-parse", ":dossiers/C000001.yaml"], cwd=repo, capture_output=True,
                          text=True, check=True).stdout.strip()
    assert blob in value["entries"]
    value["entries"][blob] = ["C000009", "0" * 40]
    index.write_bytes(head + b"\n" + json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
    code, out, _err = run(["check", "--cross"], repo, env)
    assert code == 1 and "X002" in out
    subprocess.run(["git", "add", "dossiers/C000003.yaml"], cwd=repo, check=True)
    assert run(["check", "--cross"], repo, env)[:2] == (0, "")


def test_known_area_code_is_what_stdnum_answers():
    """R108 reads only the top level of python-stdnum's cn/loc table (parsing all of it cost 0.14 s of every check):
    the same answer as ``numdb.info`` for every code tried (all 1,000,000 six-digit codes agreed when it was written)."""
    from stdnum import numdb

    from dangan.rules.identity import _known_county

    db = numdb.get("cn/loc")
    codes = [f"{i:06d}" for i in range(0, 1_000_000, 1009)] + ["110101", "140402", "710000", "829999", "830000",
                                                                "000000", "999999", "1", "14", ""]
    assert [_known_county(c) for c in codes] == [any(p for _x, p in db.info(c)) for c in codes]
    assert _known_county("140402") and not _known_county("990101")


def test_cross_from_the_index_finds_what_the_full_check_finds(repo, env, run):
    """--cross counts 编号 and 身份证号 over the staged dossiers and makes findings only of those that share one
    (issue 21): the same findings as the full check's cross-file rules, also when groups overlap."""
    _second(repo, "C000001", OTHER_ID, name="C000002.yaml")  # 编号 of C000001
    _second(repo, "C000003", OTHER_ID)  # 身份证号 of C000002
    _second(repo, "C000004", with_check("14252119720315007"))  # no one else's
    _second(repo, "C000005", with_check("14252119720315007"), name="C000006.yml")  # 身份证号 of C000004
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    code, out, _err = run(["check", "--cross"], repo, env)
    _code, full, _err = run(["check"], repo, env)
    cross = {(f["path"], f["code"], f["line"], f["message"]) for f in parse(out)}
    assert code == 1 and cross == {(f["path"], f["code"], f["line"], f["message"]) for f in parse(full) if f["code"][0] == "X"}
    assert {(p, c) for p, c, _line, _m in cross} == {
        ("dossiers/C000001.yaml", "X001"), ("dossiers/C000002.yaml", "X001"), ("dossiers/C000002.yaml", "X002"),
        ("dossiers/C000003.yaml", "X002"), ("dossiers/C000004.yaml", "X002"), ("dossiers/C000006.yml", "X002")}


def test_cross_snapshot_follows_every_staged_change(repo, env, run):
    """--cross keeps what it knew of the index at its last run (cross-snapshot.json, shards by digest) and reads
    only what Git says changed since (issue 21): after each staged change — a duplicate added, corrected, a file
    deleted, renamed, a shard forged — the same answer as --no-cache, which reads every staged dossier."""
    def both():
        warm = run(["check", "--cross"], repo, env)
        assert warm == run(["check", "--cross", "--no-cache"], repo, env)
        return warm

    def stage():
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True)

    _second(repo, "C000002", OTHER_ID)
    stage()
    assert both()[:2] == (0, "")
    header = (repo / ".git" / "dangan" / "cross-snapshot.json").read_bytes().partition(b"\n")[2]
    assert json.loads(header)["meta"] == {"count": 2, "dups": []}  # nothing shared: no dossier to look at again
    _second(repo, "C000003", OTHER_ID)  # C000002's person
    stage()
    code, out, _err = both()
    assert code == 1 and {(f["path"], f["code"]) for f in parse(out)} == {("dossiers/C000002.yaml", "X002"),
                                                                           ("dossiers/C000003.yaml", "X002")}
    _second(repo, "C000003", with_check("14252119720315005"))  # put right
    stage()
    assert both()[:2] == (0, "")
    _second(repo, "C000001", with_check("14252119720315005"), name="C000004.yaml")  # 编号 of C000001, C000003's person
    stage()
    code, out, _err = both()
    assert code == 1 and {(f["path"], f["code"]) for f in parse(out)} == {
        ("dossiers/C000001.yaml", "X001"), ("dossiers/C000004.yaml", "X001"), ("dossiers/C000003.yaml", "X002"),
        ("dossiers/C000004.yaml", "X002")}
    # the shards that say so forged to forget C000004: they no longer match their digests, the index is read again
    shards = repo / ".git" / "dangan" / "cross-snapshot.d"
    forged = [f for f in shards.iterdir() if b"C000004.yaml" in f.read_bytes()]
    assert forged
    for f in forged:
        f.write_bytes(f.read_bytes().replace(b"C000004.yaml", b"C000009.yaml"))
    assert both()[:2] == (code, out)
    (repo / "dossiers" / "C000003.yaml").rename(repo / "dossiers" / "C000005.yml")  # renamed: the same person
    stage()
    code, out, _err = both()
    assert code == 1 and {(f["path"], f["code"]) for f in parse(out)} == {
        ("dossiers/C000001.yaml", "X001"), ("dossiers/C000004.yaml", "X001"), ("dossiers/C000004.yaml", "X002"),
        ("dossiers/C000005.yml", "X002")}
    (repo / "dossiers" / "C000004.yaml").unlink()
    stage()
    assert both()[:2] == (0, "")
