"""The .lrmx exchange file of the 任免表编辑器: dossier → XML (export) and XML → dossier mapping (import).

Export is written by hand, not by ElementTree, so that the bytes are what the official editor
writes: canonical element order, 2-space indentation, CRLF inside text as ``&#xD;``.
Import goes through defusedxml (no DTD, no entities, no external references) and looks every
element up by name, because writers differ in order, whitespace and empty-element style.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..errors import Refusal
from .model import DECEASED, FormModel

MAX_BYTES = 32 << 20  # a form with a photo is well under 5 MB
MAX_DEPTH = 8  # a real form nests 4 deep (Person/JiaTingChengYuan/Item/XingMing); deeper is not a form
DEFAULT_VERSION = "3.2.1.16"
PERSON = ("XingMing", "XingBie", "ChuShengNianYue", "MinZu", "JiGuan", "ChuShengDi", "RuDangShiJian",
          "CanJiaGongZuoShiJian", "JianKangZhuangKuang", "ZhuanYeJiShuZhiWu", "ShuXiZhuanYeYouHeZhuanChang",
          "QuanRiZhiJiaoYu_XueLi", "QuanRiZhiJiaoYu_XueWei", "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
          "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "ZaiZhiJiaoYu_XueLi", "ZaiZhiJiaoYu_XueWei",
          "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "XianRenZhiWu", "NiRenZhiWu",
          "NiMianZhiWu", "JianLi", "JiangChengQingKuang", "NianDuKaoHeJieGuo", "RenMianLiYou", "JiaTingChengYuan",
          "ChengBaoDanWei", "JiSuanNianLingShiJian", "TianBiaoShiJian", "TianBiaoRen", "ShenFenZheng", "ZhaoPian",
          "Version")
ITEM = ("ChengWei", "XingMing", "ChuShengRiQi", "ZhengZhiMianMao", "GongZuoDanWeiJiZhiWu")
MULTILINE = frozenset(("JianLi", "JiangChengQingKuang", "NianDuKaoHeJieGuo", "RenMianLiYou"))
# The 2025 fields (LRMX.md §1.2): kept from an imported file and written back after their neighbour.
AFTER = {"CanJiaGongZuoShiJian": "DaoLingNianYue", "ChengBaoDanWei": "GaiGeQianRenZhiNianLingJieXian"}
KNOWN = frozenset(PERSON)
KEPT_TEXT = 200  # characters: a 2025 field is a month or a caption ("改革前任职年龄界限为60岁")
# characters in one field: a long career's 简历 is 3,000; more is not a form, and would become a dossier the
# loader refuses (load.MAX_BYTES) — refused here, with the element's name, before anything is written
MAX_TEXT = 20_000


class LrmxError(Refusal):
    """A refused file: Chinese message, 1-based line/column when the XML parser gave one (exit 1)."""

    def __init__(self, message: str, line: int | None = None, col: int | None = None):
        super().__init__(message)
        self.line, self.col = line, col


# ---------------------------------------------------------------- dates



def parse_month(value: str) -> str | None:
    """"197003", "19700315", "1970.03", "1970.3", "1970-03-15", "1970年3月" → "1970.03"; None if not a date."""
    value = (value or "").strip()
    if re.fullmatch(r"[0-9]{6}|[0-9]{8}", value):
        year, month = value[:4], value[4:6]
    else:
        m = re.fullmatch(r"([12][0-9]{3})[.\-/年]([01]?[0-9])(?:[.\-/月]([0-3]?[0-9])日?|月)?", value)
        if not m:
            return None
        year, month = m.group(1), m.group(2)
    return f"{year}.{int(month):02d}" if 1 <= int(month) <= 12 else None


def parse_date(value: str) -> dt.date | None:
    value = (value or "").strip()
    digits = re.sub(r"[.\-/]", "", value)
    try:
        if re.fullmatch(r"[0-9]{8}", digits):
            return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        if re.fullmatch(r"[0-9]{6}", digits):
            return dt.date(int(digits[:4]), int(digits[4:6]), 1)
    except ValueError:
        return None
    return None


def _six(month: str) -> str:
    return month.replace(".", "") if month else ""


# ---------------------------------------------------------------- export


def _esc(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "&#xD;\n")


@dataclass
class Extra:
    """What the .lrmx carries but a dossier cannot: kept beside the dossier for the next export."""

    version: str = DEFAULT_VERSION
    party_raw: str = ""  # RuDangShiJian as written, e.g. "200107；民盟"
    unknown: list[str] = field(default_factory=list)  # the 2025 fields (serialized, in file order): see _kept

    def to_xml(self) -> bytes:
        parts = ["<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<LrmxExtra>\n",
                 f"  <Version>{_esc(self.version)}</Version>\n",
                 f"  <RuDangShiJian>{_esc(self.party_raw)}</RuDangShiJian>\n", "  <Unknown>\n"]
        parts += [f"    {u}\n" for u in self.unknown]
        parts.append("  </Unknown>\n</LrmxExtra>\n")
        return "".join(parts).encode("utf-8")

    @classmethod
    def from_xml(cls, raw: bytes) -> Extra:
        root = _parse(raw)
        _check_depth(root, MAX_DEPTH + 1)  # <LrmxExtra><Unknown> wraps what stood under <Person>
        unknown = root.find("Unknown")
        return cls(version=_text(root.find("Version")) or DEFAULT_VERSION, party_raw=_text(root.find("RuDangShiJian")),
                   unknown=[_serialize(e) for e in (unknown if unknown is not None else []) if _kept(e)])


def _kept(element: ET.Element) -> bool:
    """The only extra elements kept (import) and written back (export, also from an older sidecar): the 2025 fields."""
    return element.tag in AFTER.values() and len(element) == 0 and len(element.text or "") <= KEPT_TEXT


def _serialize(element: ET.Element) -> str:
    element.tail = None
    return ET.tostring(element, encoding="unicode").replace("\r", "&#xD;").replace("\n", "&#xA;")


def export_values(m: FormModel, photo: bytes | None = None, extra: Extra | None = None) -> dict[str, str]:
    """Element → text, for every Person element but JiaTingChengYuan."""
    extra = extra or Extra()
    party = m.party.replace(".", "") if re.match(r"[0-9]{4}\.", m.party) else m.party
    # the raw value keeps what a dossier cannot hold ("200107；民盟") while it still agrees with the dossier
    if extra.party_raw and (extra.party_raw.startswith(party) if party else not re.search("[0-9]", extra.party_raw)):
        party = extra.party_raw
    a = m.appointment
    return {
        "XingMing": m.name, "XingBie": m.sex, "ChuShengNianYue": _six(m.birth), "MinZu": m.ethnicity,
        "JiGuan": m.native_place, "ChuShengDi": m.birthplace, "RuDangShiJian": party,
        "CanJiaGongZuoShiJian": _six(m.work_start), "JianKangZhuangKuang": m.health, "ZhuanYeJiShuZhiWu": m.title,
        "ShuXiZhuanYeYouHeZhuanChang": m.speciality,
        "QuanRiZhiJiaoYu_XueLi": m.fulltime.degree_line, "QuanRiZhiJiaoYu_XueWei": m.fulltime.degree2_line,
        "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": m.fulltime.school,
        "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": m.fulltime.school2,
        "ZaiZhiJiaoYu_XueLi": m.parttime.degree_line, "ZaiZhiJiaoYu_XueWei": m.parttime.degree2_line,
        "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": m.parttime.school, "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": m.parttime.school2,
        "XianRenZhiWu": m.current_post, "NiRenZhiWu": a.ni_ren, "NiMianZhiWu": a.ni_mian,
        "JianLi": "\n".join(m.resume_lines), "JiangChengQingKuang": "\n".join(m.rewards) or "无",
        "NianDuKaoHeJieGuo": m.assessment or "无", "RenMianLiYou": a.reason, "ChengBaoDanWei": a.unit,
        "JiSuanNianLingShiJian": m.as_of.strftime("%Y%m%d"),
        "TianBiaoShiJian": a.filled_on.strftime("%Y%m%d") if a.filled_on else "", "TianBiaoRen": a.filled_by,
        "ShenFenZheng": m.id_number, "ZhaoPian": base64.b64encode(photo).decode("ascii") if photo else "",
        "Version": extra.version or DEFAULT_VERSION,
    }


def export_lrmx(m: FormModel, photo: bytes | None = None, extra: Extra | None = None,
                retire: str | None = None) -> bytes:
    """The .lrmx bytes of a form model (UTF-8, no BOM, LF between elements, CRLF inside text).

    ``retire`` ("YYYY.MM", model.retirement_month) is written as DaoLingNianYue unless the file the dossier
    came from gave one (kept in the sidecar). A deceased relative's unit says （已故） as the other readers expect.
    """
    extra = extra or Extra()
    values = export_values(m, photo, extra)
    later = {}  # 2025 fields placed after their neighbour; all other unknown elements before Version
    rest = []
    for u in extra.unknown:
        tag = re.match(r"<([A-Za-z_][\w.\-]*)", u)
        name = tag.group(1) if tag else ""
        if name in AFTER.values():
            later[name] = u
        else:
            rest.append(u)
    if retire and "DaoLingNianYue" not in later:
        later["DaoLingNianYue"] = f"<DaoLingNianYue>{_six(retire)}</DaoLingNianYue>"
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<Person>"]
    for name in PERSON:
        if name == "Version":
            out += [f"  {u}" for u in rest]
        if name == "JiaTingChengYuan":
            out.append("  <JiaTingChengYuan>")
            for f in m.family:
                out.append("    <Item>")
                work = f.work if not f.deceased or DECEASED.search(f.work) else f"{f.work}（已故）"
                row = (f.relation, f.name, _six(f.birth), f.political, work)
                out += [f"      <{tag}>{_esc(v)}</{tag}>" for tag, v in zip(ITEM, row, strict=True)]
                out.append("    </Item>")
            out.append("  </JiaTingChengYuan>")
        else:
            out.append(f"  <{name}>{_esc(values[name])}</{name}>")
        if name in AFTER and AFTER[name] in later:
            out.append(f"  {later[AFTER[name]]}")
    out.append("</Person>")
    return ("\n".join(out) + "\n").encode("utf-8")


# ---------------------------------------------------------------- import: XML


_DECL_ENCODING = re.compile(rb"^(\xef\xbb\xbf)?\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9_\-]+)[\"']")


_BARE_DECL = re.compile(rb"^(\xef\xbb\xbf)?(\s*)<\?xml\s*\?>")  # RMeditor's builder drops the attributes


def repair_declaration(raw: bytes) -> tuple[bytes, bool]:
    """``<?xml?>`` (what RMeditor saves) → the declaration it stands for; (bytes, whether it was repaired)."""
    m = _BARE_DECL.match(raw)
    if not m:
        return raw, False
    return (m.group(1) or b"") + m.group(2) + b'<?xml version="1.0" encoding="utf-8"?>' + raw[m.end():], True


def _parse(raw: bytes) -> ET.Element:
    """Hardened parse: DTDs, entity declarations and external references are refused outright."""
    m = _DECL_ENCODING.match(raw)
    if m and m.group(2).decode("ascii").lower().replace("-", "") in ("gb2312", "gbk", "gb18030"):  # expat: only UTF-8/16, Latin-1
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise LrmxError("文件声明为 GBK 编码，但内容不是有效的 GBK 文本") from None
        raw = re.sub(r"encoding=[\"'][A-Za-z0-9_\-]+[\"']", 'encoding="utf-8"', text, count=1).encode("utf-8")
    try:
        return fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise LrmxError(f"文件含有 DTD 或实体声明（{type(exc).__name__}），出于安全考虑拒绝导入：任免表文件不会有这些内容") from None
    except LookupError:  # an encoding Python does not know, declared in <?xml … encoding="…"?>
        raise LrmxError("文件开头声明的字符编码无法识别（应为 UTF-8 或 GBK）") from None
    except ET.ParseError as exc:
        line, col = exc.position if getattr(exc, "position", None) else (None, None)
        reason = str(exc).split(":")[0]
        return _raise_parse(reason, line, None if col is None else col + 1, _looks_gbk(raw))


def _looks_gbk(raw: bytes) -> bool:
    """Not UTF-8, but Chinese text in GBK: a file saved in GBK under a UTF-8 (or no) declaration."""
    try:
        raw.decode("utf-8")
        return False
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text) >= 2


def _raise_parse(reason: str, line, col, gbk: bool = False):
    hints = {"not well-formed (invalid token)": "不是格式正确的 XML（出现了非法字符或标签）",
             "mismatched tag": "标签不配对", "unclosed token": "文件意外结束：有标签没有闭合",
             "no element found": "文件为空或不完整", "junk after document element": "根元素之后还有多余内容",
             "undefined entity": "使用了未定义的实体（如 &nbsp;）", "syntax error": "XML 语法错误"}
    hint = ("；文件内容是 GBK 编码的中文，开头却声明（或默认）为 UTF-8：请在第一行写 "
            "<?xml version=\"1.0\" encoding=\"GBK\"?>，或用任免表编辑器另存为 UTF-8") if gbk else ""
    raise LrmxError(f"XML 格式错误：{hints.get(reason, reason)}{hint}", line, col)


def _check_depth(root: ET.Element, limit: int = MAX_DEPTH) -> None:
    """Refuse deep nesting before anything recursive (itertext, tostring) walks the tree."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > limit:
            raise LrmxError(f"元素 <{element.tag}> 嵌套过深（超过 {MAX_DEPTH} 层），不像任免表文件")
        stack.extend((child, depth + 1) for child in element)


# A line break written as text: "&#xD;" that a writer escaped once more (RMeditor saves "&amp;#xD;"), "&#13;", "&#xA;".
_LITERAL_BREAK = re.compile(r"&#(?:[xX]0*[dD]|0*13);(?:&#(?:[xX]0*[aA]|0*10);)?\n?|&#(?:[xX]0*[aA]|0*10);\n?")


def _text(element: ET.Element | None) -> str:
    """Element text, stripped (official files put "\\n  " in empty fields); "" for <X/>.

    A literal "&#xD;" left in the text (a file saved by RMeditor) is the line break it stood for.
    """
    if element is None:
        return ""
    text = "".join(element.itertext())
    if "&#" in text:
        text = _LITERAL_BREAK.sub("\n", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def check_lengths(values: dict[str, str], family: list[dict[str, str]]) -> None:
    """Refuse a field longer than MAX_TEXT characters (the photo aside: it is data, limited by MAX_BYTES)."""
    rows = [(tag, text) for tag, text in values.items() if tag != "ZhaoPian"]
    rows += [(f"JiaTingChengYuan/Item[{i}]/{tag}", text) for i, row in enumerate(family, 1) for tag, text in row.items()]
    for tag, text in rows:
        if len(text) > MAX_TEXT:
            raise LrmxError(f"元素 <{tag}> 的文字过长（{len(text)} 个字符，上限 {MAX_TEXT}），不像任免表文件")


@dataclass
class Parsed:
    """One exchange file, read: plain strings by element name, family rows, photo, what to keep."""

    values: dict[str, str]
    family: list[dict[str, str]]
    photo: bytes | None
    extra: Extra
    notes: list[str] = field(default_factory=list)


def read_lrmx(raw: bytes) -> Parsed:
    if len(raw) > MAX_BYTES:
        raise LrmxError(f"文件过大（超过 {MAX_BYTES >> 20} MB），不像任免表文件")
    if not raw.strip(b"\xef\xbb\xbf \t\r\n"):
        raise LrmxError("文件为空")
    raw, repaired = repair_declaration(raw)
    root = _parse(raw)
    if root.tag != "Person":
        raise LrmxError(f"根元素是 <{root.tag}>，不是任免表文件的 <Person>", None, None)
    _check_depth(root)
    values: dict[str, str] = {}
    family: list[dict[str, str]] = []
    extra = Extra(version="")
    notes: list[str] = []
    if repaired:
        notes.append("首行的 XML 声明不完整（<?xml?>，RMeditor 保存的文件如此），已按 UTF-8 读取")
    if any("&#" in (e.text or "") for e in root.iter() if isinstance(e.tag, str)):
        notes.append("文字中写成“&#xD;”的换行符（RMeditor 保存的文件如此）已按换行读取")
    for child in root:
        if not isinstance(child.tag, str):  # comments, processing instructions
            continue
        if child.tag == "JiaTingChengYuan":
            for item in child:
                if item.tag != "Item":
                    continue
                row = {tag: _text(item.find(tag)) for tag in ITEM}
                if any(row.values()):  # the editor keeps empty rows; skip them
                    family.append(row)
        elif child.tag in KNOWN:
            values[child.tag] = _text(child)
        elif _kept(child):
            extra.unknown.append(_serialize(child))  # the 2025 fields: plain text, kept and written back
            notes.append(f"保留了 2025 年新增的元素 <{child.tag}>（再次导出时原样写回）")
        else:  # anything else may be anyone's data (another person's ID, health notes): reported, never stored
            tag = child.tag if len(child.tag) <= 40 else child.tag[:40] + "…"
            notes.append(f"丢弃了本系统不认识的元素 <{tag}>：不保存，再次导出时也没有")
    check_lengths(values, family)
    extra.version = values.pop("Version", "") or DEFAULT_VERSION
    photo = None
    pic = re.sub(r"\s+", "", values.pop("ZhaoPian", ""))
    pic = re.sub(r"^data:image/[A-Za-z0-9.+-]+;base64,", "", pic)  # a data: URI, as web editors write it
    if pic:
        try:
            photo = base64.b64decode(pic, validate=True)
        except (binascii.Error, ValueError):
            notes.append("照片（ZhaoPian）不是有效的 base64 数据，已忽略")
    return Parsed(values, family, photo, extra, notes)
