"""The schema's own promises: draft 2020-12, closed objects, Chinese help on every property, no \\d."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from conftest import PROJECT
from dangan.schema import Schema

SCHEMA_DIR = PROJECT / "schema"
FIXED_KEYS = ("编号 姓名 性别 出生年月 民族 籍贯 出生地 身份证号 政治面貌 入党时间 参加工作时间 健康状况 专业技术职务 "
              "熟悉专业有何专长 学历学位 干部身份 管档单位 现任职务 职级 简历 奖惩情况 年度考核 家庭成员 档案目录 认定记录").split()
HAN = re.compile("[\u4e00-\u9fff]")


def _objects(node, path=()):
    if isinstance(node, dict):
        # an object's type lives in allOf with its editor message (see test_editor_messages_in_chinese)
        if "properties" in node or (node.get("type") == "object" and set(node) - {"type", "errorMessage"}):
            yield path, node
        for k, v in node.items():
            yield from _objects(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _objects(v, (*path, i))


def test_draft_2020_12_and_valid():
    raw = json.loads((SCHEMA_DIR / "dossier.schema.json").read_text("utf-8"))
    assert raw["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(raw)
    for table in (SCHEMA_DIR / "codes").glob("*.json"):
        jsonschema.Draft202012Validator.check_schema(json.loads(table.read_text("utf-8")))


def test_fixed_top_level_keys_are_required_in_order():
    raw = json.loads((SCHEMA_DIR / "dossier.schema.json").read_text("utf-8"))
    assert raw["required"] == FIXED_KEYS
    assert list(raw["properties"])[: len(FIXED_KEYS)] == FIXED_KEYS


def test_every_object_is_closed_and_every_property_explained():
    document = Schema(SCHEMA_DIR).document  # code tables inlined
    objects = list(_objects(document))
    assert len(objects) >= 9
    for path, obj in objects:
        assert obj.get("additionalProperties") is False, path
        for key, prop in obj["properties"].items():
            assert HAN.search(prop.get("title", "")), (path, key, "title")
            assert HAN.search(prop.get("description", "")), (path, key, "description")


def test_patterns_use_ascii_digit_classes():
    for f in [SCHEMA_DIR / "dossier.schema.json", *(SCHEMA_DIR / "codes").glob("*.json")]:
        text = f.read_text("utf-8")
        assert "\\\\d" not in text, f"{f.name} uses \\d (matches non-ASCII digits); write [0-9]"


@pytest.mark.parametrize("value,ok", [("2023.02.28", True), ("2024.02.29", True), ("2023.02.29", False),
                                      ("2023.04.31", False), ("2023.13.01", False)])
def test_day_dates_are_asserted_not_annotated(value, ok):
    schema = Schema(SCHEMA_DIR)
    entry = {"类号": "1", "序号": 1, "材料名称": "干部履历表", "制成时间": "2023.01.05", "页数": 1, "接收时间": value}
    sub = {"档案目录": [entry]}
    fast = [e for e in schema.reference.iter_errors(sub) if e.validator == "format"]
    assert (not fast) is ok
    # the fast validator agrees on the catalog entry alone
    import jsonschema_rs

    from dangan.schema import FORMATS
    item = schema.document["properties"]["档案目录"]["items"]
    assert jsonschema_rs.Draft202012Validator(item, validate_formats=True, formats=FORMATS).is_valid(entry) is ok


def test_policy_file_is_validated_with_a_line(repo, env, run):
    policy = repo / "schema" / "policy.yaml"
    text = policy.read_text("utf-8")
    assert "  材料移交: 1 " in text
    policy.write_text(text.replace("  材料移交: 1 ", '  材料移交: "一个月" '), "utf-8")
    code, _out, err = run(["check"], repo, env)
    line = next(i for i, t in enumerate(policy.read_text("utf-8").splitlines(), 1) if "材料移交:" in t)
    assert code == 2 and f"policy.yaml:{line}:" in err and "期限.材料移交" in err and "Traceback" not in err


def _nodes(node, path=()):
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            if not k.startswith("x-") and k not in ("if", "then", "else", "not"):  # conditions, not fields
                yield from _nodes(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _nodes(v, (*path, i))


SCHEMA_FILES = sorted(f for f in SCHEMA_DIR.rglob("*.json") if f.name != "policy.schema.json")


@pytest.mark.parametrize("f", SCHEMA_FILES, ids=lambda f: f.name)
def test_editor_messages_in_chinese(f):
    """yaml-language-server shows errorMessage/patternErrorMessage instead of its English or a raw regular
    expression: every pattern, enum and type carries one in Chinese. An object's errorMessage would also replace
    the editor's "missing property X", so objects keep theirs in an allOf marker beside properties/required."""
    checked = 0
    for path, node in _nodes(json.loads(f.read_text("utf-8"))):
        if "pattern" in node:
            assert HAN.search(node.get("patternErrorMessage", "")), (f.name, path, "patternErrorMessage")
            assert "(" not in node["patternErrorMessage"].replace("（", ""), (f.name, path, "a regex in the message")
        if "enum" in node or "type" in node:
            assert HAN.search(node.get("errorMessage", "")), (f.name, path, "errorMessage")
            checked += 1
        if "properties" in node:
            assert "type" not in node and "errorMessage" not in node, (f.name, path, "object type belongs in allOf")
            assert node["allOf"][0]["type"] == "object" and HAN.search(node["allOf"][0]["errorMessage"]), (f.name, path)
    assert checked
