"""tests/ATTACKS.md maps each failing case of ../shared/findings/attacks.md (a), (d), (e), (f) to its tests: every
case has a row, every row names a test, and every test named exists (issue 13)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
TABLE = TESTS / "ATTACKS.md"
ROW = re.compile(r"^\| ([adef]\d+) \|(.*)$", re.M)
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
# the failing cases attacks.md counts in each table: (a) 4, (d) 9, (e) 5, (f) 8
EXPECTED = {"a": 4, "d": 9, "e": 5, "f": 8}


def _functions(path: Path) -> set[str]:
    return {node.name for node in ast.walk(ast.parse(path.read_text("utf-8")))
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def _helpers(path: Path) -> set[str]:
    return {node.name for node in ast.parse(path.read_text("utf-8")).body if isinstance(node, ast.FunctionDef)}


def test_every_failing_case_has_a_row_and_every_named_test_exists():
    rows = ROW.findall(TABLE.read_text("utf-8"))
    ids = [case for case, _rest in rows]
    assert len(ids) == len(set(ids))
    assert {t: sum(1 for i in ids if i[0] == t) for t in EXPECTED} == EXPECTED
    assert ids == sorted(ids, key=lambda i: (i[0], int(i[1:])))
    missing = []
    for case, rest in rows:
        named = NAMED.findall(rest)
        assert named, f"{case}: no test named"
        for rel, name in named:
            path = TESTS.parent / rel
            if not path.is_file() or name not in _functions(path):
                missing.append(f"{case}: {rel}::{name}")
    # every test named anywhere in the file (the crash-injection list too) exists
    for rel, name in NAMED.findall(TABLE.read_text("utf-8")):
        path = TESTS.parent / rel
        if not path.is_file() or name not in _functions(path) | _helpers(path):
            missing.append(f"{rel}::{name}")
    assert not missing, missing
    # the fuzz target the done-when asks for is named too
    assert "tests/test_robust_input.py::test_the_fuzzer_covers_every_reader" in TABLE.read_text("utf-8")
    assert "test_the_fuzzer_covers_every_reader" in _functions(TESTS / "test_robust_input.py")
