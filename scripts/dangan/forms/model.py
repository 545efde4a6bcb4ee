"""Dossier → the 任免审批表 model: the one place that decides what each box of the form says.

HTML, PDF, the .lrmx export and the site all read this model, so a printed form and an
exported file never disagree. Values are display text; dates stay "YYYY.MM" here and each
writer converts them to its own format.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..codes import CodeTables
from ..dates import age_at, month_index

OPEN_END = " " * 7  # the blank end date of the current post, as wide as "YYYY.MM"
# 政治面貌 as the form writes it for someone who is not a CPC member (入党时间 box) and in the family table.
PARTY_SHORT = {"民革党员": "民革", "民盟盟员": "民盟", "民建会员": "民建", "民进会员": "民进", "农工党党员": "农工党",
               "致公党党员": "致公党", "九三学社社员": "九三学社", "台盟盟员": "台盟", "无党派人士": "无党派"}
FAMILY_POLITICAL = {"中共预备党员": "预备党员", **PARTY_SHORT}
DECEASED = re.compile("已故|已去世|去世|病故|死亡")
ASSESSMENT_YEARS = 3  # 年度考核结果: the last three years, as the 填写说明 asks for recent years


@dataclass
class Appointment:
    """What the form says about this appointment: never stored in the dossier."""

    ni_ren: str = ""  # 拟任职务
    ni_mian: str = ""  # 拟免职务
    reason: str = ""  # 任免理由
    unit: str = ""  # 呈报单位
    filled_by: str = ""  # 填表人
    filled_on: dt.date | None = None  # 填表时间 (printed as 年 月 日 under 呈报单位)


@dataclass
class Education:
    degree_line: str = ""  # 学历
    degree2_line: str = ""  # 学位
    school: str = ""  # 毕业院校系及专业 for the 学历
    school2: str = ""  # … for the 学位, "" when the same school


@dataclass
class FamilyRow:
    relation: str
    name: str
    birth: str  # "YYYY.MM" or ""
    age: int | None  # None for the deceased or an unknown birth month
    political: str
    work: str
    deceased: bool = False


def retirement_month(birth: str, sex: str, rule: dict | None) -> str | None:
    """到龄年月 "YYYY.MM": birth + the statutory age, delayed one month per N months after the start
    (policy “到龄”, the NPC Standing Committee decision of 2024-09-13); None without birth, sex or rule."""
    index = month_index(birth)
    if index is None or not isinstance(rule, dict) or not isinstance(rule.get(sex), dict):
        return None
    start = month_index(str(rule.get("起始") or ""))
    own = rule[sex]
    try:
        base = index + int(own["原退休年龄"]) * 12
        step, cap = int(own["每几个月延迟一个月"]), int(own["延迟上限月数"])
    except (KeyError, TypeError, ValueError):
        return None
    delay = 0 if start is None or base < start or step < 1 else min(cap, (base - start) // step + 1)
    month = base + delay
    return f"{month // 12:04d}.{month % 12 + 1:02d}"


@dataclass
class FormModel:
    number: str
    name: str
    sex: str
    birth: str  # "1970.03"
    age: int | None
    ethnicity: str
    native_place: str
    birthplace: str
    party: str  # 入党时间 box: "2001.07", "民盟", "2001.07；民盟" or ""
    work_start: str
    health: str
    title: str  # 专业技术职务
    speciality: str
    fulltime: Education
    parttime: Education
    current_post: str
    resume: list[tuple[str, str]]  # (date column, text); sub-lines have "" as date column
    rewards: list[str]
    assessment: str
    family: list[FamilyRow]
    appointment: Appointment
    as_of: dt.date
    id_number: str = ""  # carried by the .lrmx export only, never printed
    photo: str | None = None  # the dossier's 照片 path, relative to the repository
    # the full lists, for the 干部简历表
    educations: list[dict] = field(default_factory=list)
    assessments: list[tuple[int, str]] = field(default_factory=list)

    @property
    def birth_with_age(self) -> str:
        return f"{self.birth}\n（{self.age}岁）" if self.birth and self.age is not None else self.birth

    @property
    def resume_lines(self) -> list[str]:
        """简历 as the .lrmx stores it: one line per entry, "（其间：…）" lines after their entry."""
        return [f"{d}  {t}" if d else t for d, t in self.resume]


def _s(value) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))


def school_of(entry: dict) -> str:
    return _s(entry.get("毕业院校")) + _s(entry.get("院系专业"))


def _education(entries: list[dict], c: CodeTables) -> Education:
    """The highest 学历 of one category and the highest 学位, as the two-line box prints them."""
    if not entries:
        return Education()
    best = max(entries, key=lambda e: c.education_level.get(_s(e.get("学历")), 0))
    with_degree = [e for e in entries if _s(e.get("学位"))]
    top_degree = max(with_degree, key=lambda e: c.degree_level.get(_s(e.get("学位")), 0), default=None)
    if top_degree is not None and _s(best.get("学位")) and (
            c.degree_level.get(_s(best.get("学位")), 0) >= c.degree_level.get(_s(top_degree.get("学位")), 0)):
        top_degree = best
    xueli = _s(best.get("学历"))
    edu = Education(degree_line=c.education_short.get(xueli, xueli), school=school_of(best))
    if top_degree is not None:
        edu.degree2_line = _s(top_degree.get("学位"))
        if top_degree is not best and school_of(top_degree) != edu.school:
            edu.school2 = school_of(top_degree)
    return edu


def _age(birth: str, as_of: dt.date) -> int | None:
    index = month_index(birth)
    return age_at(index, as_of) if index is not None else None


def party_text(data: dict) -> str:
    """入党时间 box: the date for CPC members; the party's short name for others (填写说明)."""
    joined, political = _s(data.get("入党时间")), _s(data.get("政治面貌"))
    if joined:
        return joined
    return PARTY_SHORT.get(political, "")


def resume_rows(entries) -> list[tuple[str, str]]:
    rows = []
    for e in entries or []:
        if not isinstance(e, dict):
            continue
        start, end = _s(e.get("起始")), _s(e.get("截止"))
        rows.append((f"{start}--{end or OPEN_END}", _s(e.get("内容"))))
        for sub in e.get("其间") if isinstance(e.get("其间"), list) else []:
            rows.append(("", f"（其间：{_s(sub)}）"))
    return rows


def reward_line(e: dict) -> str:
    line = f"{_s(e.get('时间'))}  {_s(e.get('名称'))}"
    if _s(e.get("批准机关")):
        line += f"（{_s(e.get('批准机关'))}）"
    if _s(e.get("解除时间")):
        line += f"，{_s(e.get('解除时间'))}{'解除' if _s(e.get('类别')) == '处分' else '撤销'}"
    return line


def assessment_text(items: list[tuple[int, str]]) -> str:
    recent = sorted(items)[-ASSESSMENT_YEARS:]
    return "，".join(f"{year}年度考核{result}" for year, result in recent) + "。" if recent else ""


def form_model(data: dict, as_of: dt.date, appointment: Appointment | None = None, *,
               codes: CodeTables) -> FormModel:
    """The form for one dossier (a mapping as ``dangan.load`` returns it), ages as of ``as_of``, with the
    repository's code tables (``Repo.codes``)."""
    c = codes
    educations = [e for e in data.get("学历学位") or [] if isinstance(e, dict)]
    assessments = [(e["年度"], _s(e.get("结果"))) for e in data.get("年度考核") or []
                   if isinstance(e, dict) and isinstance(e.get("年度"), int)]
    family = []
    for m in data.get("家庭成员") or []:
        if not isinstance(m, dict):
            continue
        work = _s(m.get("工作单位及职务"))
        dead = m.get("已故") is True or bool(DECEASED.search(work))
        birth = _s(m.get("出生年月"))
        political = _s(m.get("政治面貌"))
        family.append(FamilyRow(_s(m.get("称谓")), _s(m.get("姓名")), birth, None if dead else _age(birth, as_of),
                                FAMILY_POLITICAL.get(political, political), work, dead))
    birth = _s(data.get("出生年月"))
    return FormModel(
        number=_s(data.get("编号")), name=_s(data.get("姓名")), sex=_s(data.get("性别")), birth=birth,
        age=_age(birth, as_of), ethnicity=_s(data.get("民族")), native_place=_s(data.get("籍贯")),
        birthplace=_s(data.get("出生地")), party=party_text(data), work_start=_s(data.get("参加工作时间")),
        health=_s(data.get("健康状况")), title=_s(data.get("专业技术职务")), speciality=_s(data.get("熟悉专业有何专长")),
        fulltime=_education([e for e in educations if e.get("类别") == "全日制"], c),
        parttime=_education([e for e in educations if e.get("类别") == "在职"], c),
        current_post=_s(data.get("现任职务")), resume=resume_rows(data.get("简历")),
        rewards=[reward_line(e) for e in data.get("奖惩情况") or [] if isinstance(e, dict)],
        assessment=assessment_text(assessments), family=family, appointment=appointment or Appointment(),
        as_of=as_of, id_number=_s(data.get("身份证号")), photo=_s(data.get("照片")) or None,
        educations=educations, assessments=sorted(assessments),
    )
