"""Every input either works or gets a Chinese message with its place and exit 1 or 2 — never exit 70.

The failing cases of ../shared/findings/attacks.md (a), (d), (f) and F16, each through the real CLI:
Unicode noncharacters in a dossier and in its history, deep nesting in a query and in an .lrmx,
argument bytes that are not text, a bad DANGAN_TODAY.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import DANGAN, PROJECT, git, valid_bytes

POST = "现任职务: "


def _with_post_suffix(raw: bytes, suffix: str, quoted: bool = False) -> bytes:
    text = raw.decode("utf-8")
    start = text.index(POST) + len(POST)
    end = text.index("\n", start)
    value = text[start:end].strip("'\"")
    new = f'"{value}{suffix}"' if quoted else value + suffix
    return (text[:start] + new + text[end:]).encode("utf-8")


def _no_crash(rc: int, out: str, err: str) -> None:
    assert rc in (0, 1, 2), (rc, out, err)
    assert "Traceback" not in err and "内部错误" not in err, err


def run_bytes(args: list, cwd, env) -> tuple[int, str, str]:
    """The CLI with raw argument bytes (what a shell passes when the terminal's encoding is wrong)."""
    argv = [DANGAN, *(a if isinstance(a, bytes) else os.fsencode(str(a)) for a in args)]
    p = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


# ---------------------------------------------------------------- noncharacters (F16)

@pytest.mark.parametrize("suffix,quoted", [("\uffff", False), ("\ufffe", False), ("\ufdd0", False),
                                           ("\U0001fffe", False), ("\\uffff", True), ("\\ufffe", True)])
def test_noncharacter_is_refused_with_its_place(repo, env, run, suffix, quoted):
    path = repo / "dossiers" / "C000001.yaml"
    path.write_bytes(_with_post_suffix(valid_bytes(), suffix, quoted))
    line = next(n for n, t in enumerate(path.read_text("utf-8").splitlines(), 1) if t.startswith(POST))
    rc, out, err = run(["check", "dossiers/C000001.yaml", "--no-cache"], repo, env)
    _no_crash(rc, out, err)
    assert rc == 1 and "L007" in out and "非字符" in out, out + err
    assert out.startswith(f"dossiers/C000001.yaml:{line}:"), out
    before = path.read_bytes()
    rc, out, err = run(["fmt", "dossiers/C000001.yaml"], repo, env)
    _no_crash(rc, out, err)
    assert rc == 1 and "L007" in out + err
    assert path.read_bytes() == before


def _commit(repo, env, message: str) -> None:
    git(["add", "-A"], repo, env)
    git(["commit", "-q", "--no-verify", "-m", message], repo, env)


@pytest.fixture
def poisoned(repo, env):
    """A history where one commit (made with --no-verify) holds U+FFFF, fixed in the next."""
    _commit(repo, env, "基线")
    path = repo / "dossiers" / "C000001.yaml"
    path.write_bytes(_with_post_suffix(valid_bytes(), "\uffff"))
    _commit(repo, env, "带非字符")
    path.write_bytes(valid_bytes())
    _commit(repo, env, "改正")
    return repo


def test_history_with_a_noncharacter_is_still_read(poisoned, env, run, tmp_path):
    repo = poisoned
    rc, out, err = run(["audit"], repo, env)
    _no_crash(rc, out, err)
    assert rc == 1 and "T005" in out and "L007" in out, out + err
    rc, out, err = run(["trail", "C000001"], repo, env)
    _no_crash(rc, out, err)
    assert rc == 0 and "带非字符" in out, out + err
    rc, out, err = run(["diff", "HEAD~2..HEAD"], repo, env)
    _no_crash(rc, out, err)
    rc, out, err = run(["fmt", "--check"], repo, env)
    _no_crash(rc, out, err)
    blob = tmp_path / "old.yaml"
    blob.write_bytes(subprocess.run(["git", "show", "HEAD~1:dossiers/C000001.yaml"], cwd=repo, env=env,
                                    capture_output=True, check=True).stdout)
    rc, out, err = run(["textconv", blob], repo, env)
    _no_crash(rc, out, err)
    assert rc == 0 and "无法解析" in out and "L007" in out


def test_site_builds_over_a_history_with_a_noncharacter(poisoned, env):
    repo = poisoned
    shutil.copy(PROJECT / "mkdocs.yml", repo / "mkdocs.yml")
    shutil.copytree(PROJECT / "docs", repo / "docs")
    hook = repo / "scripts" / "dangan" / "site" / "hook.py"
    hook.parent.mkdir(parents=True)
    shutil.copy(PROJECT / "scripts" / "dangan" / "site" / "hook.py", hook)
    env = dict(env, NO_MKDOCS_2_WARNING="1")
    p = subprocess.run([os.path.join(os.path.dirname(DANGAN), "mkdocs"), "build", "--strict", "-q", "-d",
                        str(repo.parent / "site")], cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr[-3000:]
    assert (repo.parent / "site" / "dossier" / "C000001" / "index.html").is_file()


# ---------------------------------------------------------------- nesting (F16, (d), (f))

@pytest.mark.parametrize("depth", [1000, 200_000])
def test_deeply_nested_lrmx_is_refused(repo, env, run, depth):
    src = repo.parent / "deep.lrmx"
    src.write_text('<?xml version="1.0" encoding="utf-8"?><Person><XingMing>王建国</XingMing>'
                   + "<A>" * depth + "x" + "</A>" * depth + "</Person>", "utf-8")
    rc, out, err = run(["lrmx", "import", src], repo, env)
    _no_crash(rc, out, err)
    assert rc == 1 and "嵌套过深" in out + err, out + err
    assert sorted(p.name for p in (repo / "dossiers").iterdir()) == ["C000001.yaml"]
    assert not (repo / "photos").exists() and not (repo / "interchange").exists()


def test_query_nesting_and_length_are_limited(repo, env, run):
    for expr in ["(" * 5000 + "年龄<40" + ")" * 5000, "(" * 600 + "年龄<40" + ")" * 600,
                 "not " * 5000 + "年龄<40", "not " * 33 + "年龄<40", "年龄<40 or " * 300 + "年龄<40"]:
        rc, out, err = run(["query", expr], repo, env)
        _no_crash(rc, out, err)
        assert rc == 2 and ("嵌套过深" in err or "过长" in err), err[:300]
    rc, out, err = run(["query", "(" * 16 + "not " * 16 + "年龄>0" + ")" * 16], repo, env)
    assert rc == 0, err


# ---------------------------------------------------------------- arguments and environment (f)

FILE = ["file", "C000001", "--class", "1", "--made", "2026.01.05", "--pages", "2"]


@pytest.mark.parametrize("title", [b"a\x1bb", b"a\xffb", b"a\xed\xa0\x80b", b"a\tb", "a\u202eb".encode(),
                                   "a\ufeffb".encode()])
def test_unusable_argument_is_a_usage_error(repo, env, title):
    before = (repo / "dossiers" / "C000001.yaml").read_bytes()
    rc, out, err = run_bytes([*FILE, "--title", title], repo, env)
    _no_crash(rc, out, err)
    assert rc == 2 and "第 10 个参数（--title 之后）" in err, err
    assert (repo / "dossiers" / "C000001.yaml").read_bytes() == before


def test_unusable_query_and_path_arguments(repo, env):
    for args in (["query", b"\xff"], ["check", b"dossiers/\xff.yaml"], ["trail", b"C00000\x1b1"]):
        rc, out, err = run_bytes(args, repo, env)
        _no_crash(rc, out, err)
        assert rc == 2 and "第 2 个参数" in err, err


@pytest.mark.parametrize("value", ["2026.13.45", "x", "\x1b[31m"])
def test_bad_dangan_today_is_a_usage_error(repo, env, run, value):
    env = dict(env, DANGAN_TODAY=value)
    for args in (["check"], ["query", "年龄<40"], [*FILE, "--title", "材料"]):
        rc, out, err = run(args, repo, env)
        _no_crash(rc, out, err)
        assert rc == 2 and "DANGAN_TODAY" in err and "\x1b" not in err, err


# ---------------------------------------------------------------- found by the fuzzer (tests/fuzz/fuzz_load.py)

def test_lrmx_with_an_unknown_encoding_is_refused(repo, env, run):
    src = repo.parent / "enc.lrmx"
    src.write_bytes(b'<?xml version="1.0" encoding="UTo-8"?><Person><XingMing>x</XingMing></Person>')
    rc, out, err = run(["lrmx", "import", src], repo, env)
    _no_crash(rc, out, err)
    assert rc == 1 and "字符编码无法识别" in out + err, out + err


def test_a_roster_with_a_damaged_sheet_is_refused(repo, env, run, tmp_path):
    import zipfile

    good = tmp_path / "good.xlsx"
    assert run(["xlsx", "export", "-o", good], repo, env)[0] == 0
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/sheet1"):
                data = data.replace(b"</row>", b"</rw>", 1)  # a mismatched tag in the first sheet
            out.writestr(info, data)
    rc, out, err = run(["xlsx", "import", bad], repo, env)
    _no_crash(rc, out, err)
    assert rc in (1, 2) and "损坏" in out + err, out + err
    assert sorted(p.name for p in (repo / "dossiers").iterdir()) == ["C000001.yaml"]


def test_the_fuzzer_covers_every_reader(tmp_path):
    """Issue 13: `make fuzz` (30 s in CI) feeds dossiers, histories, registers, .lrmx and .xlsx — here a fixed,
    reproducible 25 inputs of each, which must all be answered (no exception, no wrong answer)."""
    import sys

    make = (PROJECT / "Makefile").read_text("utf-8")
    assert "tests/fuzz/fuzz_load.py --seconds $(FUZZ_SECONDS)" in make and "--target" not in make
    p = subprocess.run([sys.executable, str(PROJECT / "tests" / "fuzz" / "fuzz_load.py"), "--runs", "25"],
                       capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert p.returncode == 0, p.stderr[-3000:]
    assert p.stdout.strip() == "；".join(f"{t} 25 个输入" for t in ("load", "history", "ledger", "lrmx", "xlsx")) \
        + "；0 次崩溃", p.stdout
