"""Who the dossier is: ID number, name of file, 管档单位."""

from __future__ import annotations

import difflib
import functools
import re
from pathlib import PurePath

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from ..dates import month_index, month_text
from ..findings import WARNING
from ..privacy import find_ids, mask_id


def _known_county(code: str) -> bool:
    """Any period counts: numbers were issued from 1985 with the codes then current, not at birth.

    What python-stdnum's ``numdb.get("cn/loc").info(code)`` answers (some level of the code has properties) read
    from the table's top level only when that settles it — every top-level entry has properties, so a code is known
    exactly when its first digits fall in one: parsing the whole 6,900-line table took 0.14 s of every check."""
    top = _top_level()
    if top is None:  # a table whose top level does not settle it: ask numdb
        from stdnum import numdb

        return any(props for _part, props in numdb.get("cn/loc").info(code))
    return any(len(code) >= n and low <= code[:n] <= high for n, low, high in top)


@functools.cache
def _top_level() -> tuple[tuple[int, str, str], ...] | None:
    """(length, low, high) of each top-level range of stdnum's cn/loc.dat, or None when one has no properties."""
    import importlib.resources

    from stdnum import numdb

    out = []
    with importlib.resources.files(numdb.__package__).joinpath("cn/loc.dat").open("rb") as fh:
        for raw in fh:
            line = raw.decode("utf-8")
            if line[0] in "# \t\r\n":
                continue  # a comment, a blank line or a lower level
            match = numdb._line_re.search(line)
            if match is None or not numdb._prop_re.findall(match.group("props")):
                return None
            for part in match.group("ranges").split(","):
                low, _, high = part.partition("-")
                out.append((len(low), low, high or low))
    return tuple(out)


def id_defect(value: str) -> str | None:
    """Why an 18-character ID number cannot be right, in Chinese; None when it can.

    Structure, check digit and the birth date inside are checked; the area code is not: numbers were
    issued from 1984–85 with the codes then current, so an old code for a later birth year is genuine.
    """
    if len(value) != 18:
        return f"位数不对（{len(value)} 位，应为 18 位）"
    if not re.fullmatch(r"[0-9]{17}[0-9Xx]", value):
        return "含有数字和末位 X 以外的字符"
    try:
        ric.get_birth_date(value)
    except stdnum_errors.ValidationError:
        return "第 7–14 位的出生日期不存在"
    if ric.calc_check_digit(value) != value[17].upper():
        return "校验码（末位）不对"
    return None


def id_number(doc, ctx, out):
    data = doc.data
    value = data.get("身份证号")
    if not isinstance(value, str) or len(value) != 18 or not value[:17].isascii() or not value[:17].isdigit():
        return  # shape problems are the schema's to report
    if ric.calc_check_digit(value) != value[17].upper():  # a lower-case x is the schema's (S004), not a wrong digit
        out.error(("身份证号",), "R101", "身份证号的校验码（末位）不对：请对照身份证原件核实每一位")
        return
    try:
        ric.get_birth_date(value)
    except stdnum_errors.ValidationError:
        out.error(("身份证号",), "R102", "身份证号中第 7–14 位的出生日期不存在，号码有误")
        return
    if not _known_county(value[:6]):
        out.warn(("身份证号",), "R108", "身份证号前 6 位不是已知的行政区划代码，请核实")
    embedded = int(value[6:10]) * 12 + int(value[10:12]) - 1
    birth = month_index(data.get("出生年月"))
    if birth is not None and embedded != birth:
        out.warn(("身份证号",), "R103",
                 f"身份证号中的出生年月（{month_text(embedded)}）与档案认定的出生年月（{month_text(birth)}）不一致；"
                 "身份证不是认定出生日期的依据，请以档案最早记载为准核实")
    sex = data.get("性别")
    id_sex = "男" if int(value[16]) % 2 else "女"
    if sex in ("男", "女") and sex != id_sex:
        out.warn(("身份证号",), "R104", f"身份证号第 17 位表示性别为{id_sex}，与档案中的性别（{sex}）不一致，请核实")


_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
# Mainland mobile (11 digits from 13x–19x, +86 allowed, spaced 3-4-4 or not) and landline (area code 0xx(x), then 7–8 digits).
_PHONE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])"
                    r"|(?<![0-9])[(（]?0[1-9][0-9]{1,2}[)）]?[ -]?[2-9][0-9]{6,7}(?![0-9])")
_ID_LINE = re.compile(r"[\"']?身份证号[\"']?\s*:")
_DETERMINED = re.compile(r"[\"']?(?:原值|认定值)[\"']?\s*:\s*[\"']?$")  # just before a 认定记录's value


def _line_col(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def stray_numbers(doc, ctx, out):
    """An ID-shaped or phone number anywhere but the cadre's own 身份证号, comments included (R109, R110).

    A relative's ID number or a phone number has no place in a dossier, least of all in a comment,
    which no schema and no site page looks at but Git keeps forever.
    """
    text = doc.raw.decode("utf-8", "replace")
    if not any(c.isdigit() for c in text):
        return
    own = doc.data.get("身份证号") if isinstance(doc.data.get("身份证号"), str) else None
    # the cadre's own numbers, former and present, as a 认定 of 身份证号 records them (原值 → 认定值)
    records = doc.data.get("认定记录") if isinstance(doc.data.get("认定记录"), list) else []
    determined = {str(e.get(k)).upper() for e in records if isinstance(e, dict)
                  and e.get("项目") == "身份证号" for k in ("原值", "认定值") if isinstance(e.get(k), str)}
    ids = []
    for start, end, positions in find_ids(text):
        digits = "".join(text[p] for p in positions).translate(_FULLWIDTH)
        line_start = text.rfind("\n", 0, start) + 1
        before = text[line_start:start]
        if own and digits.upper() == own.upper() and _ID_LINE.match(text, line_start) and "#" not in before:
            continue  # the cadre's own number, where it belongs
        if digits.upper() in determined and "#" not in before and _DETERMINED.search(before):
            continue  # in the 认定 that changed it
        ids.append((start, end))
        out.at(*_line_col(text, start), WARNING, "R109",
               f"这里有像身份证号的数字（{mask_id(digits)}）：身份证号只写在本人的“身份证号”一项；"
               "家庭成员等他人的身份证号不进档案，注释里也不要写，请删除")
    ascii_text = text.translate(_FULLWIDTH)
    for m in _PHONE.finditer(ascii_text):
        if any(s <= m.start() < e for s, e in ids):
            continue
        digits = re.sub(r"[^0-9]", "", m.group())
        out.at(*_line_col(text, m.start()), WARNING, "R110",
               f"这里有电话号码（{digits[:3]}****{digits[-4:]}）：档案中不记录电话号码，注释里也不要写，请删除")


def file_name(doc, ctx, out):
    number = doc.data.get("编号")
    if isinstance(number, str) and doc.path != "<输入>" and PurePath(doc.path).stem != number:
        out.error(("编号",), "R106", f"文件名应为“{number}.yaml”（文件名即编号，便于追踪历史），现为“{PurePath(doc.path).name}”")


def unit(doc, ctx, out):
    value = doc.data.get("管档单位")
    if isinstance(value, str) and ctx.units and value not in ctx.units:
        guess = difflib.get_close_matches(value, sorted(ctx.units), n=1, cutoff=0.5)
        hint = f"，是不是“{guess[0]}”？" if guess else "；新增单位须先登记在 schema/policy.yaml 的“管档单位”中"
        out.error(("管档单位",), "R105", f"管档单位“{value}”不在政策文件登记的单位名单中{hint}")


RULES = [id_number, file_name, unit, stray_numbers]
