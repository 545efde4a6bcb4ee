"""jsonschema (the reference validator, which writes the messages) and jsonschema_rs (the fast one, which decides
"valid?") must agree. Where they disagree, a document is either refused with no message or passed unchecked."""

from __future__ import annotations

import pytest

from conftest import PROJECT, valid_bytes
from dangan.load import LoadError, load_bytes
from dangan.schema import Schema, as_editor_reads
from test_check_cli import MUTATIONS


@pytest.fixture(scope="module")
def schema() -> Schema:
    return Schema(PROJECT / "schema")


def verdicts(schema: Schema, data) -> tuple[bool, bool]:
    fast = schema.fast.is_valid(data)
    errors = list(schema.reference.iter_errors(data))
    return fast, not errors


def test_agree_on_project_dossiers(schema):
    """Every dossier in the project's dossiers/ (one test, not one per file: the set may change while
    another engineer regenerates it, and xdist workers must collect the same tests)."""
    compared, disagree = 0, []
    for path in sorted((PROJECT / "dossiers").glob("*.y*ml")):
        try:
            data = load_bytes(path.read_bytes(), str(path)).data
        except LoadError:
            continue  # the loader's business (test_load), not the schema's
        compared += 1
        fast, reference = verdicts(schema, data)
        if fast != reference:
            disagree.append(f"{path.name}: jsonschema_rs={fast} jsonschema={reference}")
    assert compared, "no loadable dossier in the project's dossiers/"
    assert not disagree, "\n".join(disagree)


def test_agree_on_valid_fixture(schema):
    assert verdicts(schema, load_bytes(valid_bytes()).data) == (True, True)


LOADABLE = []
for m in MUTATIONS:
    try:
        load_bytes(m.apply())
    except LoadError:
        continue  # refused by the loader: no data for a schema to judge
    LOADABLE.append(pytest.param(m, id=m.id))
assert len(LOADABLE) > 20


@pytest.mark.parametrize("m", LOADABLE)
def test_agree_on_mutations(schema, m):
    doc = load_bytes(m.apply(), m.name)
    # unquoted numbers are judged as the editor reads them (dangan.schema.as_editor_reads)
    fast, reference = verdicts(schema, as_editor_reads(doc.data, doc.unquoted_numbers))
    assert fast == reference
    if m.code is not None and m.code.startswith("S"):
        assert not fast  # a schema finding means the schema refuses it
    # and what the fast validator refuses always gets a finding from the reference one, with a real line
    findings = schema.findings(doc)
    assert bool(findings) == (not fast)
    assert all(f.code.startswith("S") and f.line >= 1 for f in findings)
    if m.code is not None and m.code.startswith("S"):
        assert any(f.code == m.code and (m.line is None or f.line == m.line) for f in findings)
