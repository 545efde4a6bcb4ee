"""Exchange files (.lrmx, .lrm) → dossiers: conversion, then writing (new, or --update of a non-protected field).

A form carries less than a dossier: 档案目录, 干部身份, 职级, the 依据 of every entry are not in it.
Those become empty lists or null, so the new dossier loads and ``dangan check`` lists what to
complete. Nothing is invented: a value the form does not give stays null.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import write_atomic
from ..check import check_bytes, make_context
from ..codes import CodeTables
from ..findings import ERROR
from ..load import LoadError, load_bytes
from ..repo import Repo
from ..scaffold import next_number
from ..yamledit import Change, EditError, Source, apply, replace_entry, verify
from ..yamltext import DOSSIER_HEADER, Layout
from .lrm import read_lrm
from .lrmx import DEFAULT_VERSION, Extra, LrmxError, Parsed, export_values, parse_month, read_lrmx
from .model import DECEASED, PARTY_SHORT, form_model, retirement_month
from .photo import PhotoError
from .photo import accept as accept_photo

ORDER = ("编号", "姓名", "性别", "出生年月", "民族", "籍贯", "出生地", "身份证号", "政治面貌", "入党时间", "参加工作时间",
         "健康状况", "专业技术职务", "熟悉专业有何专长", "学历学位", "干部身份", "管档单位", "现任职务", "职级", "简历",
         "奖惩情况", "年度考核", "家庭成员", "档案目录", "认定记录", "照片")
PROTECTED = {  # dossier key facts → the .lrmx elements that show them; changing them needs `dangan determine`
    "出生年月": ("ChuShengNianYue",), "参加工作时间": ("CanJiaGongZuoShiJian",), "入党时间": ("RuDangShiJian",),
    "学历学位": ("QuanRiZhiJiaoYu_XueLi", "QuanRiZhiJiaoYu_XueWei", "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
                 "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "ZaiZhiJiaoYu_XueLi", "ZaiZhiJiaoYu_XueWei",
                 "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi"),
    "简历": ("JianLi",), "年度考核": ("NianDuKaoHeJieGuo",), "奖惩情况": ("JiangChengQingKuang",),
}
UPDATABLE = ("姓名", "性别", "民族", "籍贯", "出生地", "健康状况", "专业技术职务", "熟悉专业有何专长", "现任职务", "家庭成员")
EXTRA_DIR = "interchange"  # <编号>.lrmx.xml: Version, unknown elements, a free-text 入党时间 — for the next export
PHOTO_DIR = "photos"
FORM_ONLY = ("NiRenZhiWu", "NiMianZhiWu", "RenMianLiYou", "ChengBaoDanWei", "TianBiaoRen")
_RESULTS = "基本称职|不称职|称职|优秀|基本合格|不合格|合格|不定等次"
_ASSESS = re.compile(rf"((?:[12][0-9]{{3}}\s*年?\s*(?:[、，,和及至\-~—]|年度?至)\s*)*[12][0-9]{{3}})\s*年?\s*(?:年度|度)?\s*"
                     rf"(?:考核)?\s*(?:结果|等次)?\s*(?:均|都|连续)?\s*(?:为|是|：|:|确定为|评为|被评为|被确定为|被定为)?\s*"
                     rf"({_RESULTS})")
_DATE = r"[12][0-9]{3}(?:[.\-][0-9]{1,2}|[0-9]{2})"
_RESUME = re.compile(rf"\s*({_DATE})\s*(?:--|-|—+|－+|─+|~|～|至)\s*(?:({_DATE})|(至今|今|现在))?\s*(.*)")
_SUB = re.compile(r"\s*[（(]\s*其间\s*[：:]\s*(.*?)\s*[）)]\s*")
# hxoms and owip put a study period on the post's own line, or on an indented line without “其间：”
_INLINE_SUB = re.compile(rf"(.*?)[（(]\s*(?:其间\s*[：:]\s*)?({_DATE}\s*(?:--|-|—+|－+|~|～|至)\s*(?:{_DATE})?[^（）()]*)[）)]\s*$")
_BARE_SUB = re.compile(rf"\s*[（(]\s*({_DATE}\s*(?:--|-|—+|－+|~|～|至)\s*(?:{_DATE})?.*?)\s*[）)]\s*")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．－～", "0123456789.-~")
_REWARD = re.compile(r"([12][0-9]{3}\.[0-9]{2})\s+(.+?)(?:（([^（）]+)）)?(?:，([12][0-9]{3}\.[0-9]{2})(解除|撤销))?")
# 奖惩 as prose (what hand-written forms hold): "2019年09月，经长治市人民政府批准，授予“优秀公务员”称号；2021年06月，…"
_PROSE_REWARD = re.compile(r"([12][0-9]{3}\s*(?:年\s*[01]?[0-9]\s*月?|[.\-/][01]?[0-9])(?:[0-3]?[0-9]日)?)\s*[，,、]?\s*"
                           r"(?:经\s*(.+?)\s*(?:批准|决定|研究决定|同意)\s*[，,、]?\s*)?(.+)")
_PROSE_SPLIT = re.compile(r"[；;。]\s*(?=[12][0-9]{3}\s*[年.\-/])")
_PUNISH = re.compile("警告|记过|记大过|降级|撤职|开除|留党察看|处分|降低岗位|诫勉")
# 入党时间 as the form or a roster writes it: 199506, 19950615, 1995.06, 1995-6, 1995年6月, then maybe "；民盟"
_PARTY_DATE = re.compile(r"\s*([12][0-9]{3}(?:[0-9]{4}|[0-9]{2}|[.\-/年][01]?[0-9](?:月(?:[0-3]?[0-9]日)?|[.\-/][0-3]?[0-9]日?)?))"
                         r"(?![0-9])\s*[；;，,、]?\s*(.*)")
_NONE = frozenset(("", "无", "(无)", "（无）", "无。"))
POLITICAL_BACK = {"党员": "中共党员", "中共党员": "中共党员", "预备党员": "中共预备党员", "团员": "共青团员",
                  "共青团员": "共青团员", "群众": "群众", **{v: k for k, v in PARTY_SHORT.items()}}


def _none(value: str) -> str | None:
    return value if value else None


def _name(value: str) -> str:
    return re.sub(r"[\s\u3000]+", "", value)


def _political(value: str) -> str | None:
    return POLITICAL_BACK.get(value, value or None)


def _education_full(short: str, degree: str, codes: CodeTables) -> str | None:
    """A 学历 as the form writes it → the code table's full name (unknown ones are kept as written)."""
    if not short:
        return None
    if short == "研究生":  # the x-简称 of both 博士 and 硕士: the degree decides
        return "博士研究生毕业" if "博士" in degree else "硕士研究生毕业"
    return codes.education_full(short) or short


_SCHOOL = re.compile(r"(.+?(?:大学|学院|学校|党校|研究院|研究生院|中学|分校))"
                     r"((?:函授学院|函授部|研究生院|分校)?"
                     r"(?:[（(](?:现|今|原)[^（）()]*[）)])?)(.*)")


def _split_school(text: str) -> tuple[str | None, str | None]:
    """"晋东南师范专科学校（现长治学院）数学教育专业" → the school with its note, then 院系专业;
    "中央党校函授学院…" → 中央党校函授学院 (a school of its own, not a department)."""
    m = _SCHOOL.match(text)
    if not m:
        return _none(text), None
    return m.group(1) + m.group(2), _none(m.group(3))


def _resume(text: str) -> list[dict]:
    entries: list[dict] = []
    for raw_line in text.split("\n"):
        if not raw_line.strip():
            continue
        line = raw_line.translate(_FULLWIDTH)  # one character for one: offsets stay those of raw_line
        m = _RESUME.fullmatch(line)
        if m:
            start, end = parse_month(m.group(1)), parse_month(m.group(2) or "")
            content = raw_line[m.start(4):].strip()
            subs = []
            inline = _INLINE_SUB.fullmatch(content)
            if inline and inline.group(1).strip():
                content, subs = inline.group(1).strip(), [inline.group(2).strip()]
            nature = "学习" if content.endswith("学习") or re.search("(大学|学院|学校).*学习", content) else "工作"
            entry = {"起始": start, "截止": end, "内容": content or None, "性质": nature}
            if subs:
                entry["其间"] = subs
            entries.append(entry)
            continue
        sub = _SUB.fullmatch(line) or _BARE_SUB.fullmatch(line)
        if sub and entries:
            entries[-1].setdefault("其间", []).append(raw_line[sub.start(1):sub.end(1)].strip())
        elif entries:  # a line that does not start with a date continues the entry above
            entries[-1]["内容"] = (entries[-1]["内容"] or "") + line.strip()
        else:
            entries.append({"起始": None, "截止": None, "内容": line.strip(), "性质": "工作"})
    return entries


def _rewards(text: str) -> list[dict]:
    if text.strip() in _NONE:
        return []
    out = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        m = _REWARD.fullmatch(line)
        if m:
            kind = "处分" if _PUNISH.search(m.group(2)) else "奖励"
            item = {"类别": kind, "名称": m.group(2), "时间": m.group(1), "批准机关": m.group(3), "依据": []}
            if m.group(4):
                item["解除时间"] = m.group(4)
        else:
            out.extend(_prose_rewards(line))
            continue
        out.append(item)
    return out


def _prose_rewards(line: str) -> list[dict]:
    """One line of prose, maybe several awards: each with its date and approving body where the text says them;
    what cannot be read is kept whole with 时间/批准机关 empty (dangan check asks the clerk to complete it)."""
    out = []
    for part in _PROSE_SPLIT.split(line):
        part = part.strip().rstrip("；;。")
        if not part:
            continue
        m = _PROSE_REWARD.fullmatch(part)
        when = parse_month(m.group(1).replace(" ", "")) if m else None  # the form's one reading of a month
        if m and when:
            name, body = m.group(3).strip(), m.group(2)
        else:
            name, when, body = part, None, None
        out.append({"类别": "处分" if _PUNISH.search(name) else "奖励", "名称": name, "时间": when,
                    "批准机关": body.strip() if body else None, "依据": []})
    return out


def _assessments(text: str) -> list[dict]:
    found: dict[int, str] = {}
    for m in _ASSESS.finditer(text):
        years = [int(y) for y in re.findall(r"[12][0-9]{3}", m.group(1))]
        if len(years) == 2 and re.search(r"[至\-]", m.group(1)):
            years = list(range(years[0], years[1] + 1))
        for y in years:
            found[y] = m.group(2)
    return [{"年度": y, "结果": r, "依据": []} for y, r in sorted(found.items())]


_LEVELS = {"博士": ("博士",), "硕士": ("硕士", "研究生"), "本科": ("本科",), "大学专科": ("专科", "大专"),
           "中等专科": ("中专", "中等专科")}
_LEVEL_WORDS = ("博士", "硕士", "研究生", "本科", "专科", "大专", "中专")
_PART_TIME = re.compile("在职|函授|业余|夜大|电大|广播电视大学|自学考试|自考|网络|远程|党校")


def _level_words(education: str | None) -> tuple[str, ...]:
    for key, words in _LEVELS.items():
        if education and key in education:
            return words
    return ()


def _dates_from_resume(school: str | None, resume: list[dict], kind: str = "全日制",
                       education: str | None = None) -> tuple[str | None, str | None]:
    """入学/毕业时间 are not on the form; a 简历 study line naming the school **and** the level gives them.

    全日制 study is a 简历 entry of its own; 在职 study is a 其间 line (or an entry that says 在职/函授/党校…).
    A line that names another level (本科 for a 硕士) is not this one; when the choice is not clear: null.
    """
    if not school:
        return None, None
    candidates: list[tuple[str, str | None, str | None]] = []  # (text, start, end)
    for e in resume:
        content = e.get("内容") or ""
        studies = school in content and "学习" in content[content.find(school):]
        if studies and (kind == "在职") == bool(_PART_TIME.search(content)):
            candidates.append((content, e.get("起始"), e.get("截止")))
        if kind == "在职":
            for sub in e.get("其间") or []:
                m = re.match(r"([12][0-9]{3}\.[0-9]{2})\s*--\s*([12][0-9]{3}\.[0-9]{2})", sub)
                if m and school in sub and "学习" in sub[sub.find(school):]:
                    candidates.append((sub, m.group(1), m.group(2)))
    mine = _level_words(education)
    others = [w for w in _LEVEL_WORDS if w not in mine]
    named = [c for c in candidates if mine and any(w in c[0] for w in mine)]
    unnamed = [c for c in candidates if not any(w in c[0] for w in (*mine, *others))]
    for pool in (named, unnamed):
        if len(pool) == 1:
            return pool[0][1], pool[0][2]
        if pool:
            return None, None  # two lines could be this one: the clerk decides
    return None, None


def _educations(v: dict, resume: list[dict], codes: CodeTables) -> list[dict]:
    out = []
    for kind, prefix in (("全日制", "QuanRiZhiJiaoYu"), ("在职", "ZaiZhiJiaoYu")):
        xueli, xuewei = v.get(f"{prefix}_XueLi", ""), v.get(f"{prefix}_XueWei", "")
        school, school2 = v.get(f"{prefix}_XueLi_BiYeYuanXiaoXi", ""), v.get(f"{prefix}_XueWei_BiYeYuanXiaoXi", "")
        if not (xueli or xuewei or school):
            continue
        # owip writes the school (with 院系) under XueLi_… and only the major under XueWei_…: one study, not two
        major_only = bool(school and school2) and not _SCHOOL.match(school2)
        entries = [(xueli, xuewei if not school2 or school2 == school or major_only else "", school)]
        if school2 and school2 != school and xuewei and not major_only:
            entries.append(("", xuewei, school2))
        for x, w, s in entries:
            name, major = _split_school(s)
            if major_only and not (major or "").endswith(school2):
                major = (major or "") + school2
            full = _education_full(x, w, codes)
            start, end = _dates_from_resume(name, resume, kind, full or (w and ("博士" if "博士" in w else "硕士")))
            entry = {"类别": kind, "学历": full}
            if w:
                entry["学位"] = w
            if name:
                entry["毕业院校"] = name
            if major:
                entry["院系专业"] = major
            entry.update({"入学时间": start, "毕业时间": end, "依据": []})
            out.append(entry)
    return out


def to_dossier(p: Parsed, codes: CodeTables, unit: str | None = None) -> dict:
    """A dossier mapping (keys in schema order, 编号 left None) from what the form gives."""
    v = p.values
    party = v.get("RuDangShiJian", "")
    joined, political = None, None
    m = _PARTY_DATE.match(party)
    if m and parse_month(m.group(1)):
        joined, political = parse_month(m.group(1)), "中共党员"
    elif party:
        political = _political(party)
    rest = m.group(2).strip() if joined and m else ""
    if party and (rest or not joined) and party != PARTY_SHORT.get(political or "", ""):
        p.extra.party_raw = party  # "200406；民盟", "无党派人士" as written: what the dossier's two keys cannot say
    resume = _resume(v.get("JianLi", ""))
    family = []
    for row in p.family:
        member = {"称谓": _none(row["ChengWei"]), "姓名": _none(_name(row["XingMing"])),
                  "出生年月": parse_month(row["ChuShengRiQi"]), "政治面貌": _political(row["ZhengZhiMianMao"]),
                  "工作单位及职务": _none(row["GongZuoDanWeiJiZhiWu"])}
        if DECEASED.search(row["GongZuoDanWeiJiZhiWu"]):
            member["已故"] = True
        family.append(member)
    doc = {
        "编号": None, "姓名": _none(_name(v.get("XingMing", ""))), "性别": _none(v.get("XingBie", "")),
        "出生年月": parse_month(v.get("ChuShengNianYue", "")), "民族": _none(v.get("MinZu", "")),
        "籍贯": _none(v.get("JiGuan", "")), "出生地": _none(v.get("ChuShengDi", "")),
        "身份证号": _none(v.get("ShenFenZheng", "").replace(" ", "").upper()), "政治面貌": political, "入党时间": joined,
        "参加工作时间": parse_month(v.get("CanJiaGongZuoShiJian", "")), "健康状况": _none(v.get("JianKangZhuangKuang", "")),
        "专业技术职务": _none(v.get("ZhuanYeJiShuZhiWu", "")),
        "熟悉专业有何专长": _none(v.get("ShuXiZhuanYeYouHeZhuanChang", "")),
        "学历学位": _educations(v, resume, codes), "干部身份": {"取得方式": None, "取得时间": None, "依据": []},
        "管档单位": unit, "现任职务": _none(v.get("XianRenZhiWu", "")), "职级": None, "简历": resume,
        "奖惩情况": _rewards(v.get("JiangChengQingKuang", "")), "年度考核": _assessments(v.get("NianDuKaoHeJieGuo", "")),
        "家庭成员": family, "档案目录": [], "认定记录": [],
    }
    if any(e.get("入学时间") for e in doc["学历学位"]):
        p.notes.append("学历学位的入学、毕业时间取自简历中同一学校、同一层次的学习经历，请与学历材料核对")
    assessment = v.get("NianDuKaoHeJieGuo", "").strip()
    if assessment not in _NONE and not doc["年度考核"]:
        p.notes.append(f"年度考核结果（NianDuKaoHeJieGuo）“{assessment[:40]}”中认不出年度和等次，未导入，请按考核材料录入")
    unread = [e for e in doc["简历"] if e.get("起始") is None]
    if unread:
        p.notes.append(f"简历（JianLi）有 {len(unread)} 行认不出起止时间，原文保留在“内容”中，请核对")
    return doc


# ---------------------------------------------------------------- files


@dataclass
class Outcome:
    """One file's result, for the per-file report."""

    source: str
    status: str  # 已导入 | 已更新 | 无变化 | 拒绝
    message: str = ""
    target: str = ""
    notes: list[str] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0

    @property
    def refused(self) -> bool:
        return self.status == "拒绝"


def read_exchange(path: Path) -> Parsed:
    with path.open("rb") as fh:
        raw = fh.read(64 << 20)
    if path.suffix.lower() == ".lrm":
        return read_lrm(raw, path)
    return read_lrmx(raw)


def _by_id(reading) -> dict[str, Path]:
    """身份证号 (upper case) → the dossier holding it, for every readable dossier."""
    return {d.data["身份证号"].upper(): d.path for d in reading.dossiers if isinstance(d.data.get("身份证号"), str)}


def _family_keep_numbers(old: list, new: list) -> list:
    numbers = {(m.get("姓名"), m.get("称谓")): m.get("编号") for m in old if isinstance(m, dict) and m.get("编号")}
    before = {(m.get("姓名"), m.get("称谓")): m for m in old if isinstance(m, dict)}
    for m in new:
        if (m.get("姓名"), m.get("称谓")) in numbers:
            m["编号"] = numbers[(m["姓名"], m["称谓"])]
        was = before.get((m.get("姓名"), m.get("称谓")))
        # the （已故） our export adds for the other readers is not a change of the unit's text
        if was and was.get("已故") is True and m.get("工作单位及职务") == f"{was.get('工作单位及职务') or ''}（已故）":
            m["工作单位及职务"] = was.get("工作单位及职务")
    return new


class Importer:
    def __init__(self, repo: Repo, target_dir: Path, as_of: dt.date, unit: str | None = None, update: bool = False):
        self.repo, self.dir, self.as_of, self.unit, self.update = repo, target_dir, as_of, unit, update
        self.codes = repo.codes
        reading = repo.read_all()
        self.ids = _by_id(reading)
        self.skipped = reading.skipped  # unreadable dossiers: no 身份证号 to compare against; the CLI says so
        self.prefix = repo.policy.get("编号前缀", default="C")
        self.ctx = make_context(repo, as_of)
        self.layout = Layout.of(repo.schema_dir / "dossier.schema.json")
        # photos/ and interchange/ sit beside the dossiers they belong to: the repository's for dossiers/,
        # the --into folder's own otherwise (a trial import never leaves files under a number handed out again)
        try:
            inside = self.dir.resolve() == repo.dossier_dir.resolve()
        except OSError:
            inside = False
        self.side = repo.root if inside else self.dir
        self._used: set[str] | None = None
        self._last = 0

    def allocate(self) -> str:
        """The next free 编号: past every number Git has seen, every file in the target, every sidecar."""
        if self._used is None:
            from ..scaffold import used_numbers

            used = set(used_numbers(self.repo))
            for folder in (self.dir, self.side / PHOTO_DIR, self.side / EXTRA_DIR,
                           self.repo.root / PHOTO_DIR, self.repo.root / EXTRA_DIR):
                if folder.is_dir():
                    used |= {p.name.split(".", 1)[0] for p in folder.iterdir()}
            self._used = used
            self._last = int(next_number(self.repo, self.prefix, used)[-6:]) - 1
        self._last += 1  # one past the highest ever used, then counting on: a roster of 5,000 is not quadratic
        number = f"{self.prefix}{self._last:06d}"
        self._used.add(number)
        return number

    def run(self, path: Path) -> Outcome:
        out = Outcome(str(path), "拒绝")
        try:
            parsed = read_exchange(path)
        except LrmxError as exc:
            where = f"第 {exc.line} 行第 {exc.col} 列：" if exc.line else ""
            out.message = where + exc.message
            return out
        except OSError as exc:
            out.message = f"读取失败：{exc.strerror or exc}"
            return out
        out.notes = parsed.notes  # the same list: what the conversion below notes is reported too
        if not _name(parsed.values.get("XingMing", "")):
            out.message = "没有姓名（XingMing 为空）：空白的任免表，未导入"
            return out
        if any(parsed.values.get(k) for k in FORM_ONLY):
            out.notes.append("拟任、拟免、任免理由、呈报单位、填表人属于本次任免，不写入档案")
        doc = to_dossier(parsed, self.codes, self.unit)
        self._drop_derived(parsed, doc)
        existing = self.ids.get(doc["身份证号"] or "")
        if existing is not None:
            if not self.update:
                out.message = f"已有档案 {self.rel(existing)}（身份证号相同），未作改动；如需更新请加 --update"
                return out
            return self._update(existing, doc, parsed, out)
        if self.update and doc["身份证号"] is None:
            out.notes.append("文件没有身份证号，无法对应到已有档案，按新档案导入")
        return self.create(doc, parsed, out)

    def create(self, doc: dict, parsed: Parsed, out: Outcome, count: bool = True,
               pending: list[tuple[Path, bytes]] | None = None) -> Outcome:
        """Write one new dossier (and its photo and sidecar); with ``pending`` a dossier without either is only
        queued, for the caller to write the batch at once (yamledit.create_all)."""
        number = self.allocate()
        while (self.dir / f"{number}.yaml").exists():  # never reuse, even a number outside the repository's Git
            number = self.allocate()
        doc["编号"] = number
        files: list[tuple[Path, bytes]] = []  # the photo and the sidecar, written with the dossier or not at all
        if parsed.photo:
            try:
                photo = accept_photo(parsed.photo)
            except PhotoError as exc:
                out.notes.append(str(exc))
            else:
                files.append((self.side / PHOTO_DIR / f"{number}.{photo.ext}", photo.data))
                doc["照片"] = f"{PHOTO_DIR}/{number}.{photo.ext}"
                if photo.data != parsed.photo:
                    out.notes.append(f"照片（{photo.width}×{photo.height}）已解码后重新保存：只留图像，不留元数据")
        if parsed.extra.unknown or parsed.extra.party_raw or parsed.extra.version not in ("", DEFAULT_VERSION):
            files.append((self.side / EXTRA_DIR / f"{number}.lrmx.xml", parsed.extra.to_xml()))
        target = self.dir / f"{number}.yaml"
        raw = self.layout.text({k: doc[k] for k in ORDER if k in doc}, DOSSIER_HEADER).encode("utf-8")
        if pending is not None and not files:
            pending.append((target, raw))
        elif not files:
            write_atomic(target, raw)
        else:  # all-or-nothing (yamledit's journal): a kill leaves no photo without its dossier, nor the reverse
            root = self.side
            apply([Change(path, path.relative_to(root).as_posix(), None, data)
                   for path, data in [*files, (target, raw)]])
        self.ids[doc["身份证号"] or f"#{number}"] = target
        out.status, out.target = "已导入", self.rel(target)
        if count:
            self._count(out, raw)
        return out

    def rel(self, path: Path) -> str:
        try:
            return self.repo.rel(path)
        except ValueError:
            return str(path)

    def _count(self, out: Outcome, raw: bytes) -> None:
        _summary, findings = check_bytes(raw, out.target, self.ctx)
        out.errors = sum(1 for f in findings if f[2] == ERROR)
        out.warnings = len(findings) - out.errors

    def _update(self, path: Path, doc: dict, parsed: Parsed, out: Outcome) -> Outcome:
        raw = path.read_bytes()
        try:
            old = load_bytes(raw, str(path)).data
        except LoadError as exc:
            out.message = f"已有档案 {self.repo.rel(path)} 无法读取（{exc.message}），请先修正"
            return out
        # compare key facts as the form shows them: what the form cannot say is not a change
        mine = export_values(form_model(old, self.as_of, codes=self.repo.codes), extra=self._extra(old))
        theirs = parsed.values
        changed = [key for key, elements in PROTECTED.items()
                   if any(self._norm(mine.get(e, ""), e) != self._norm(theirs.get(e, ""), e) for e in elements)]
        if changed:
            out.message = (f"以下关键信息与档案 {self.repo.rel(path)} 不一致：{'、'.join(changed)}；"
                           "这些字段受留痕保护，不能由导入修改，请用 dangan determine 办理认定后再导入")
            return out
        try:
            src = Source(path, raw)
        except LoadError as exc:  # pragma: no cover - load_bytes above read it
            out.message = f"已有档案 {self.repo.rel(path)} 无法读取（{exc.message}），请先修正"
            return out
        updated = []
        for key in UPDATABLE:
            new = doc.get(key)
            if new in (None, []) or new == old.get(key):
                continue
            if key == "家庭成员":
                new = _family_keep_numbers(old.get(key) or [], new)
                if new == old.get(key):
                    continue
            try:  # one top-level entry re-written by the Layout; the rest of the file (comments too) untouched
                src = verify(src, replace_entry(src, (key,), self.layout.entry_text(key, new)), {**src.data, key: new})
            except EditError as exc:  # pragma: no cover - our own rendering always reads back
                out.message = f"更新后的文件与预期不符（{exc.message}），未写入"
                return out
            updated.append(key)
        out.target = self.repo.rel(path)
        sidecar = self._sidecar_change(old, parsed)
        if not updated and sidecar is None:
            out.status = "无变化"
            return out
        data = src.raw
        changes = [Change(path, out.target, raw, data)] if updated else []
        if sidecar is not None:
            before = sidecar[0].read_bytes() if sidecar[0].is_file() else None
            changes.append(Change(sidecar[0], self.rel(sidecar[0]), before, sidecar[1]))
            updated.append(f"任免表附加信息（{self.rel(sidecar[0])}）")
        apply(changes)  # the dossier and its sidecar together, or neither
        out.status, out.message = "已更新", "更新了：" + "、".join(updated)
        self._count(out, data)
        return out

    def _drop_derived(self, parsed: Parsed, doc: dict) -> None:
        """A DaoLingNianYue that is what the policy computes (our own export) is not kept: the next export computes it."""
        retire = retirement_month(doc.get("出生年月") or "", doc.get("性别") or "", self.repo.policy.get("到龄"))
        if not retire:
            return
        mine = f"<DaoLingNianYue>{retire.replace('.', '')}</DaoLingNianYue>"
        if mine in parsed.extra.unknown:
            parsed.extra.unknown.remove(mine)
            parsed.notes[:] = [n for n in parsed.notes if "<DaoLingNianYue>" not in n]

    def _sidecar_change(self, old: dict, parsed: Parsed) -> tuple[Path, bytes] | None:
        """What the file carries beyond the dossier (the 2025 fields, Version, a free 入党时间), when it changed."""
        extra = parsed.extra
        if not (extra.unknown or extra.party_raw or extra.version not in ("", DEFAULT_VERSION)):
            return None  # nothing to keep: an earlier sidecar stays as it is
        number = old.get("编号")
        if not isinstance(number, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", number):
            return None
        kept = self._extra(old)
        raw = extra.to_xml()
        if kept is not None and kept.to_xml() == raw:
            return None
        return self.repo.root / EXTRA_DIR / f"{number}.lrmx.xml", raw

    def _extra(self, data: dict) -> Extra | None:
        return load_extra(self.repo, data.get("编号"))


    def _norm(self, value: str, element: str):
        """One element's meaning, so that 6-digit and dotted dates, 本科 and 大学, spacing are no change."""
        value = (value or "").replace("\r", "")
        if element == "JianLi":
            return [(e["起始"], e["截止"], re.sub(r"\s+", "", e["内容"] or ""), e.get("其间")) for e in _resume(value)]
        if element == "JiangChengQingKuang":
            return _rewards(value)
        if element == "NianDuKaoHeJieGuo":
            return _assessments(value)
        if element.endswith("_XueLi"):
            return _education_full(value.strip(), "", self.codes)
        return _norm(value, element)


def _norm(value: str, element: str) -> str:
    if element in ("ChuShengNianYue", "CanJiaGongZuoShiJian"):
        return parse_month(value) or value.strip()
    if element == "RuDangShiJian":
        m = _PARTY_DATE.match(value)
        return (parse_month(m.group(1)) or value.strip()) if m else value.strip()
    return value.strip()


def load_extra(repo: Repo, number) -> Extra | None:
    if not isinstance(number, str):
        return None
    path = repo.root / EXTRA_DIR / f"{number}.lrmx.xml"
    if not path.is_file():
        return None
    try:
        return Extra.from_xml(path.read_bytes())
    except LrmxError:
        return None
