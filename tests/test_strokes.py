"""姓氏笔画 ordering (DOMAIN.md §9) on the vendored stroke-order data."""

from __future__ import annotations

import pytest

from dangan.strokes import SURNAME_FIRST, WHOLE_NAME, name_key, sort_names, strokes, table


def before(a: str, b: str, convention: str = SURNAME_FIRST) -> bool:
    return name_key(a, convention) < name_key(b, convention)


@pytest.mark.parametrize(("char", "code"), [("王", "1121"), ("李", "1234521"), ("张", "5153154"), ("文", "4134"),
                                            ("方", "4153"), ("林", "12341234"), ("欧", "13453534"), ("心", "4544")])
def test_stroke_data_follows_the_five_classes(char, code):
    assert strokes(char) == code


def test_data_covers_gb2312():
    chars = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    assert len(chars) == 6763
    assert all(c in table() for c in chars[:3755])  # level 1 (常用字), in full
    missing = [c for c in chars if c not in table()]
    assert len(missing) == 31 and "丨" in missing and "氵" in missing  # only radicals, never in a name


@pytest.mark.parametrize(("a", "b"), [
    ("王", "文"),  # same count (4): 横 before 点
    ("林", "欧"),  # same count (8), same first stroke: 竖 before 撇
    ("李一鸣", "李大鸣"),  # same first character: the second decides
    ("欧阳少东", "洪少东"),  # only the first character counts: 欧 (8) < 洪 (9)
    ("丁一", "王五"),
])
def test_examples(a, b):
    for convention in (SURNAME_FIRST, WHOLE_NAME):
        assert before(a, b, convention) and not before(b, a, convention)


def test_single_name_conventions():
    assert sort_names(["田大利", "田富"], SURNAME_FIRST) == ["田富", "田大利"]
    assert sort_names(["田大利", "田富"], WHOLE_NAME) == ["田大利", "田富"]
    assert sort_names(["高大富", "高富"], SURNAME_FIRST) == ["高富", "高大富"]
    assert before("欧阳修", "欧阳少东", SURNAME_FIRST)  # a compound surname with a 单名
    assert before("欧阳少东", "欧阳修", WHOLE_NAME)  # 少 (4) < 修 (9)


def test_order_is_total_and_stable():
    names = ["王五", "汪洋", "己一", "已一", "巳一", "Smith", "张三", "", "李四"]
    once = sort_names(names)
    assert sort_names(list(reversed(names))) == once
    assert once[0] == "" and once[-1] == "Smith"  # no characters first; characters without data last


def test_unknown_convention():
    with pytest.raises(ValueError, match="花名册排序"):
        name_key("王五", "按拼音")
