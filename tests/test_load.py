"""The strict loader: what it keeps as written, and every refusal with its code, line, column and message."""

from __future__ import annotations

import pytest

from conftest import valid_bytes
from dangan.load import MAX_BYTES, LoadError, load_bytes, load_file

# ---------------------------------------------------------------------------------------------
# What YAML 1.1 would silently corrupt stays exactly as written.

KEPT = [
    ("month-1970.10", b"a: 1970.10\n", {"a": "1970.10"}),
    ("month-1970.03", b"a: 1970.03\n", {"a": "1970.03"}),
    ("leading-zero-010020", b"a: 010020\n", {"a": "010020"}),
    ("octal-looking-0o17", b"a: 0o17\n", {"a": "0o17"}),
    ("hex-looking", b"a: 0x1F\n", {"a": "0x1F"}),
    ("sexagesimal-looking", b"a: 1:20\n", {"a": "1:20"}),
    ("NO", b"a: NO\n", {"a": "NO"}),
    ("yes", b"a: yes\n", {"a": "yes"}),
    ("on", b"a: on\n", {"a": "on"}),
    ("Off-and-yes", b"a: Off\nb: yes\n", {"a": "Off", "b": "yes"}),  # YAML 1.1 booleans are text in 1.2
    # YAML 1.2's core schema, as the editor reads it: three spellings of true, false and null
    ("True-FALSE-NULL", b"a: True\nb: FALSE\nc: NULL\nd: Null\n", {"a": True, "b": False, "c": None, "d": None}),
    ("iso-date", b"a: 2024-01-05\n", {"a": "2024-01-05"}),
    ("iso-timestamp", b"a: 2024-01-05 10:00:00\n", {"a": "2024-01-05 10:00:00"}),
    ("id-18-digits-unquoted", b"a: 142521197203150011\n", {"a": "142521197203150011"}),
    ("id-with-X-unquoted", b"a: 14252119720315002X\n", {"a": "14252119720315002X"}),
    ("ten-digits", b"a: 1234567890\n", {"a": "1234567890"}),
    ("float", b"a: 1.5\nb: 1e3\nc: .inf\nd: .nan\n", {"a": "1.5", "b": "1e3", "c": ".inf", "d": ".nan"}),
    ("underscored-int", b"a: 1_000\n", {"a": "1_000"}),
    ("small-ints", b"a: 0\nb: 8\nc: 2023\nd: -5\ne: 999999999\n", {"a": 0, "b": 8, "c": 2023, "d": -5, "e": 999999999}),
    ("true-false-null", b"a: true\nb: false\nc: null\nd: ~\ne:\n", {"a": True, "b": False, "c": None, "d": None,
                                                                     "e": None}),
    ("quoted-stay-strings", b'a: "true"\nb: \'8\'\nc: "null"\nd: ""\n', {"a": "true", "b": "8", "c": "null", "d": ""}),
    ("keys-are-strings", b"1: a\ntrue: b\nnull: c\n", {"1": "a", "true": "b", "null": "c"}),
    ("quoted-merge-key-is-a-key", b'"<<": 1\n', {"<<": 1}),
    ("nested", "简历:\n  - 起始: \"1990.09\"\n    截止: null\n依据: [\"4-1-1\", 7]\n".encode(),
     {"简历": [{"起始": "1990.09", "截止": None}], "依据": ["4-1-1", 7]}),
    ("flow-mapping", '目录: [{类号: "1", 序号: 1}]\n'.encode(), {"目录": [{"类号": "1", "序号": 1}]}),
    ("crlf", b"a: 1\r\nb: x\r\n", {"a": 1, "b": "x"}),
    ("explicit-document-start", b"---\na: 1\n...\n", {"a": 1}),
    ("comment-lines", b"# c\na: 1 # trailing\n", {"a": 1}),
]


@pytest.mark.parametrize(("raw", "expected"), [pytest.param(r, e, id=i) for i, r, e in KEPT])
def test_values_are_kept_as_written(raw, expected):
    data = load_bytes(raw).data
    assert data == expected
    # == would let 1 == True and "1970.10" vs 1970.1 slip through type checks: compare types too
    assert [type(v) for v in data.values()] == [type(v) for v in expected.values()]


# ---------------------------------------------------------------------------------------------
# Refusals: (id, bytes, code, line, column or None, a fragment of the Chinese message)

BIG = b"a: 1\n# " + b"x" * MAX_BYTES + b"\n"

REFUSED = [
    ("duplicate-top-level-key", "编号: C1\n奖惩情况: []\n姓名: 王\n奖惩情况: []\n".encode(), "L016", 4, 1, "重复"),
    ("duplicate-top-level-key-names-first-line", "奖惩情况: []\n姓名: 王\n奖惩情况: []\n".encode(), "L016", 3, 1,
     "第 1 行"),
    ("duplicate-nested-key", "干部身份:\n  取得方式: 聘用\n  依据: []\n  取得方式: 其他\n".encode(), "L016", 4, 3, "取得方式"),
    ("duplicate-key-in-flow-mapping", "目录: [{类号: \"1\", 类号: \"2\"}]\n".encode(), "L016", 1, 16, "类号"),
    ("anchor", "姓名: &n 王建国\n".encode(), "L011", 1, 5, "锚点"),
    ("anchor-on-mapping", "干部身份: &s\n  取得方式: 聘用\n".encode(), "L011", 1, 7, "锚点"),
    ("alias", "姓名: 王\n出生地: *n\n".encode(), "L011", 2, 6, "别名"),
    ("anchor-and-alias", "籍贯: &p 山西长治\n出生地: *p\n".encode(), "L011", 1, 5, "锚点"),
    ("merge-key", "干部身份:\n  <<: {取得方式: 聘用}\n".encode(), "L015", 2, 3, "合并键"),
    ("python-object-tag", b"a: !!python/object:os.system ls\n", "L012", 1, 4, "类型标签"),
    ("python-object-apply-tag", b"a: !!python/object/apply:os.system [ls]\n", "L012", 1, 4, "类型标签"),
    ("custom-tag", b"a: !foo x\n", "L012", 1, 4, "!foo"),
    ("str-tag", b"a: !!str 1\n", "L012", 1, 4, "类型标签"),
    ("tag-on-mapping", b"a: !!map {b: 1}\n", "L012", 1, 4, "类型标签"),
    ("tab-indentation", "干部身份:\n\t取得方式: 聘用\n".encode(), "L006", 2, 1, "制表符"),
    ("tab-inside-value", "姓名: 王\t建国\n".encode(), "L006", 1, 6, "制表符"),
    ("gbk", "# 注释\n编号: C000001\n姓名: 王建国\n".encode("gbk"), "L004", 1, 5, "GBK"),
    ("gbk-after-ascii-lines", "# dossier\n编号: C000001\n性别: 男\n".encode("gbk"), "L004", 2, 1, "GBK"),
    ("utf-16-le-bom", "编号: C000001\n".encode("utf-16-le").join([b"\xff\xfe", b""]), "L003", 1, 1, "UTF-16"),
    ("utf-16-be-bom", b"\xfe\xff" + "编号: C000001\n".encode("utf-16-be"), "L003", 1, 1, "UTF-16"),
    ("utf-16-le-no-bom-ascii-first", "# x\n编号: C000001\n".encode("utf-16-le"), "L003", 1, 1, "UTF-16"),
    ("utf-16-le-no-bom-cjk-first", "编号: C000001\n姓名: 王建国\n".encode("utf-16-le"), "L003", 1, 1, "UTF-16"),
    ("utf-8-bom", b"\xef\xbb\xbf" + "编号: C000001\n".encode(), "L002", 1, 1, "BOM"),
    ("nul-byte", "编号: C000001\n姓名: 王\x00建国\n".encode(), "L007", 2, 6, "U+0000"),
    ("escape-control-char", "编号: C000001\n姓名: 王\x1b建国\n".encode(), "L007", 2, 6, "U+001B"),
    ("c1-control-char", "姓名: 王\x85建国\n".encode(), "L007", 1, 6, "U+0085"),
    ("delete-char", b"a: x\x7fy\n", "L007", 1, 5, "U+007F"),
    ("zero-width-space-in-name", "编号: C000001\n姓名: 王\u200b建国\n".encode(), "L007", 2, 6, "U+200B"),
    ("zero-width-joiner", "姓名: 王\u200d建国\n".encode(), "L007", 1, 6, "U+200D"),
    ("rlo", "编号: C000001\n姓名: 王\u202e建国\n".encode(), "L007", 2, 6, "U+202E"),
    ("bom-inside", "姓名: 王\ufeff建国\n".encode(), "L007", 1, 6, "U+FEFF"),
    ("line-separator", "姓名: 王\u2028建国\n".encode(), "L007", 1, 6, "U+2028"),
    # YAML breaks a line at a lone CR; every line-based reader would not (the trail's splitter, Git's diff)
    ("lone-cr-between-keys", "编号: C000001\r出生年月: \"1990.01\"\n".encode(), "L008", 1, 12, "回车符"),
    ("lone-cr-only-line-ends", b"a: 1\rb: 2\r", "L008", 1, 5, "LF"),
    ("lone-cr-after-crlf", b"a: 1\r\nb: 2\r\rc: 3\r\n", "L008", 2, 5, "CR"),
    ("two-documents", "编号: C000001\n---\n编号: C000002\n".encode(), "L017", 2, 1, "第二个"),
    ("two-documents-explicit", "---\n编号: C000001\n---\n编号: C000002\n".encode(), "L017", 3, 1, "---"),
    ("top-level-list", "- 编号: C000001\n- 姓名: 王建国\n".encode(), "L013", 1, 1, "顶层"),
    ("top-level-scalar", "王建国\n".encode(), "L013", 1, 1, "顶层"),
    ("top-level-scalar-after-comment", "# 档案\n王建国\n".encode(), "L013", 2, 1, "映射"),
    ("empty-file", b"", "L005", 1, 1, "为空"),
    ("whitespace-only", b"  \n\n   \n", "L005", 1, 1, "为空"),
    ("comment-only", "# 只有注释\n".encode(), "L005", 1, 1, "为空"),
    ("document-marker-only", b"---\n", "L013", 2, 1, "顶层"),
    ("oversized", BIG, "L001", 1, 1, "过大"),
    ("unbalanced-double-quote", '编号: C000001\n出生年月: "1972.03\n民族: 汉族\n'.encode(), "L010", 2, 7, "引号"),
    ("unbalanced-single-quote", "编号: C000001\n出生年月: '1972.03\n民族: 汉族\n".encode(), "L010", 2, 7, "引号"),
    ("bad-indentation", "干部身份:\n  取得方式: 聘用\n 取得时间: \"1994.07\"\n".encode(), "L010", 3, 2, "缩进"),
    ("bad-list-indentation", "简历:\n  - 起始: \"1990.09\"\n - 起始: \"1994.07\"\n".encode(), "L010", None, None, "缩进"),
    ("key-value-value", "现任职务: 长治市财政局: 副局长\n".encode(), "L010", 1, 13, "冒号"),
    ("missing-colon", "编号: C000001\n姓名 王建国\n性别: 男\n".encode(), "L010", None, None, "冒号"),
    ("backtick-start", "姓名: `王`\n".encode(), "L010", 1, 5, "引号"),
    ("bad-escape", '姓名: "王\\q"\n'.encode(), "L010", 1, None, "转义"),
    ("complex-key", b"? [a, b]\n: 1\n", "L014", 1, 3, "键"),
]


@pytest.mark.parametrize(("raw", "code", "line", "col", "fragment"),
                         [pytest.param(*row[1:], id=row[0]) for row in REFUSED])
def test_refusals(raw, code, line, col, fragment):
    with pytest.raises(LoadError) as info:
        load_bytes(raw)
    exc = info.value
    assert exc.code == code, exc.message
    if line is not None:
        assert exc.line == line, exc.message
    if col is not None:
        assert exc.col == col, exc.message
    assert fragment in exc.message
    assert str(exc) == exc.message
    # a clerk reads the message: it must be Chinese, not libyaml's English
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.message)
    assert "expected" not in exc.message and "found" not in exc.message


def test_refusal_ids_are_unique():
    ids = [row[0] for row in REFUSED] + [row[0] for row in KEPT]
    assert len(ids) == len(set(ids))


def test_oversized_is_refused_before_parsing(tmp_path):
    """load_file reads at most MAX_BYTES + 1 bytes: a huge file is refused without reading it all."""
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.write(b"a: 1\n")
        fh.seek(64 * MAX_BYTES)
        fh.write(b"\n")
    with pytest.raises(LoadError) as info:
        load_file(big)
    assert info.value.code == "L001"


def test_oversized_message_does_not_claim_the_limit_as_size(tmp_path):
    """A 64 MiB file must not be described as "1024 KB, limit 1024 KB" (load_file reads only MAX_BYTES + 1)."""
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.seek(64 * MAX_BYTES)
        fh.write(b"\n")
    limit = f"{MAX_BYTES // 1024} KB"
    with pytest.raises(LoadError) as info:
        load_file(big)
    assert limit in info.value.message
    assert f"（{limit}，上限 {limit}）" not in info.value.message


def test_unclosed_quote_mid_file_is_called_a_quote():
    raw = '编号: C000001\n出生年月: "1972.03\n民族: 汉族\n身份证号: "1425211972"\n性别: 男\n'.encode()
    with pytest.raises(LoadError) as info:
        load_bytes(raw)
    assert "引号" in info.value.message
    assert info.value.line == 2


def test_exactly_max_bytes_is_accepted():
    raw = b"a: 1\n# " + b"x" * (MAX_BYTES - 8) + b"\n"
    assert len(raw) == MAX_BYTES
    assert load_bytes(raw).data == {"a": 1}


def test_load_file_sets_path(tmp_path):
    p = tmp_path / "C000009.yaml"
    p.write_bytes("编号: C000009\n".encode())
    doc = load_file(p)
    assert doc.path == str(p)
    assert doc.data == {"编号": "C000009"}
    assert doc.raw == p.read_bytes()


# ---------------------------------------------------------------------------------------------
# Document.mark: 1-based (line, column) of values and keys, nearest ancestor for absent paths.

MARKED = (
    "# 注释行\n"            # 1
    "编号: C000001\n"       # 2
    "简历:\n"               # 3
    "  - 起始: \"1990.09\"\n"  # 4
    "    截止: \"1994.07\"\n"  # 5
    "  - 起始: \"1994.07\"\n"  # 6
    "    截止: null\n"       # 7
    "    依据: [\"9-2-1\", \"9-2-2\"]\n"  # 8
    "档案目录:\n"            # 9
    "  - {类号: \"1\", 序号: 1, 接收时间: \"1995.03.20\"}\n"  # 10
    "干部身份:\n"            # 11
    "  取得方式: 聘用\n"     # 12
)


@pytest.mark.parametrize(("path", "key", "expected"), [
    (("编号",), False, (2, 5)),
    (("编号",), True, (2, 1)),
    (("简历",), True, (3, 1)),
    (("简历",), False, (4, 3)),
    (("简历", 0), False, (4, 5)),
    (("简历", 0, "起始"), False, (4, 9)),
    (("简历", 0, "起始"), True, (4, 5)),
    (("简历", 0, "截止"), False, (5, 9)),
    (("简历", 1, "起始"), False, (6, 9)),
    (("简历", 1, "截止"), False, (7, 9)),
    (("简历", 1, "截止"), True, (7, 5)),
    (("简历", 1, "依据"), False, (8, 9)),
    (("简历", 1, "依据", 1), False, (8, 19)),
    (("档案目录", 0), False, (10, 5)),
    (("档案目录", 0, "类号"), True, (10, 6)),
    (("档案目录", 0, "类号"), False, (10, 10)),
    (("档案目录", 0, "接收时间"), False, (10, 28)),
    (("干部身份", "取得方式"), False, (12, 9)),
    (("干部身份", "取得方式"), True, (12, 3)),
    # absent: nearest ancestor that exists
    (("简历", 1, "内容"), False, (6, 5)),
    (("简历", 1, "内容"), True, (6, 5)),
    (("简历", 7, "起始"), False, (4, 3)),
    (("干部身份", "依据"), True, (11, 1)),
    (("不存在",), False, (2, 1)),
    ((), False, (2, 1)),  # the root mapping starts at its first key, below the comment
])
def test_mark(path, key, expected):
    doc = load_bytes(MARKED.encode())
    assert doc.mark(path, key=key) == expected
    # accepts lists too, and asking twice gives the same answer (marks are built once)
    assert doc.mark(list(path), key=key) == expected


def test_mark_columns_count_characters_not_bytes():
    doc = load_bytes("姓名: 王建国\n现任职务: 长治市财政局副局长\n".encode())
    assert doc.mark(("现任职务",)) == (2, 7)


def test_mark_on_valid_dossier_matches_text():
    raw = valid_bytes()
    lines = raw.decode().splitlines()
    doc = load_bytes(raw)
    for key in doc.data:
        line, col = doc.mark((key,), key=True)
        assert lines[line - 1][col - 1:].startswith(key + ":"), key
    line, col = doc.mark(("身份证号",))
    assert lines[line - 1][col - 1:].startswith('"' + doc.data["身份证号"])
