"""Property tests: whatever bytes or strings come in, load → check ends in findings, never a crash.

Rendering (site pages, forms, .lrmx) gets the same treatment in the tests of those modules.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FULL_ID, PROJECT, TODAY, valid_bytes
from dangan.check import check_bytes, make_context
from dangan.codes import CodeTables
from dangan.dates import parse_day
from dangan.load import LoadError, load_bytes
from dangan.repo import Repo

sys.path.insert(0, str(PROJECT / "tests" / "fuzz"))
import fuzz_load

CODES = CodeTables.read(Path(__file__).resolve().parents[1] / "schema")

CTX = make_context(Repo(PROJECT), parse_day(TODAY))
FREE_TEXT = ["姓名", "现任职务", "熟悉专业有何专长", "健康状况", "专业技术职务", "籍贯", "管档单位"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.binary(max_size=3000))
def test_any_bytes_load_or_refuse(raw):
    try:
        doc = load_bytes(raw)
    except LoadError as exc:
        assert exc.line >= 1 and exc.col >= 1 and exc.message
        return
    assert isinstance(doc.data, dict)


@SETTINGS
@given(st.text(max_size=400))
def test_any_text_loads_or_refuses(text):
    try:
        load_bytes(text.encode("utf-8", "surrogatepass"))
    except LoadError:
        pass


@SETTINGS
@given(field=st.sampled_from(FREE_TEXT), value=st.text(max_size=120))
def test_any_value_in_a_free_text_field_gives_findings_not_a_crash(field, value):
    text = valid_bytes().decode("utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith(f"{field}:"))
    raw = text.replace(line, f"{field}: {json.dumps(value, ensure_ascii=False)}", 1).encode("utf-8", "surrogatepass")
    _summary, findings = check_bytes(raw, "dossiers/C000001.yaml", CTX)
    for line_no, col, severity, code, _message in findings:
        assert line_no >= 1 and col >= 1 and severity in ("错误", "警告") and code
    rendered = "".join(f"{f[3]} {f[4]}" for f in findings)
    from dangan.privacy import scrub
    assert not FULL_ID.search(scrub(rendered))


_RENDER_FIELDS = ["现任职务", "熟悉专业有何专长", "专业技术职务", "健康状况"]


@SETTINGS
@given(field=st.sampled_from(_RENDER_FIELDS), value=st.text(max_size=60))
def test_any_value_renders_inert_in_the_form_the_lrmx_and_the_site(field, value):
    """load → check → render: the printable form, the .lrmx export and the site's text helper never crash,
    never let markup through, and keep the value (as text)."""
    import html
    import re

    from defusedxml.ElementTree import fromstring

    from dangan.forms import form_model, render_form_html
    from dangan.forms.lrmx import export_lrmx
    from dangan.site.pages import text as site_text

    raw = valid_bytes().decode("utf-8")
    line = next(ln for ln in raw.splitlines() if ln.startswith(f"{field}:"))
    raw = raw.replace(line, f"{field}: {json.dumps(value, ensure_ascii=False)}", 1).encode("utf-8", "surrogatepass")
    try:
        data = load_bytes(raw).data
    except LoadError:
        return
    check_bytes(raw, "dossiers/C000001.yaml", CTX)
    day = parse_day(TODAY)
    page = render_form_html(data, day, codes=CODES)
    body = page.split("<body", 1)[1]
    assert "<script" not in body.lower() and not re.search(r"<[^>]*\son[a-z]+\s*=", body, re.I)
    fromstring(export_lrmx(form_model(data, day, codes=CODES)))  # well-formed XML whatever the value
    shown = site_text(value)
    from dangan.privacy import scrub

    assert html.unescape(shown) in (value, scrub(value)) and "<" not in shown and ">" not in shown


def test_mutational_fuzz_short_fixed_seed():
    """The fuzz target of tests/fuzz/fuzz_load.py, a bounded fixed-seed pass (run it longer by hand)."""
    rng = random.Random(2026)
    seeds = fuzz_load.corpus()
    for _ in range(1500):
        fuzz_load.run_one(fuzz_load.mutate(rng, rng.choice(seeds)), CTX)


@pytest.mark.parametrize("raw", [b'a: "x\\u202ey"\n', b'a: "\\u200b"\n', b'a: "\\0"\n'])
def test_escaped_invisible_characters_are_refused(raw):
    with pytest.raises(LoadError) as info:
        load_bytes(raw)
    assert info.value.code == "L007"
