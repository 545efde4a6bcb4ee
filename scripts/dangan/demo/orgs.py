"""Organisations and posts: the city's bureaus, counties, districts, schools and hospitals, with their names over
time and the titles of each level."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .common import CITY, cn_number


@dataclass
class Org:
    """A place of work. ``names`` = [(from_year, resume prefix, current prefix)]: names change over time."""

    names: tuple
    sector: str  # 行政 事业 军队 企业 村官
    sections: tuple = ()
    titles: dict = field(default_factory=dict)  # level → template with {s}; None → the non-rank post
    top: int = 4
    approver: str = ""  # who approves rewards
    code: str = ""  # 文号 abbreviation of the approver
    ladder: tuple = ()  # (中级, 高级, 评审名称) for professionals of a 事业单位

    def prefix(self, year: int, current: bool = False) -> str:
        text = self.names[0][1 + current]
        for start, resume, now in self.names:
            if year >= start:
                text = now if current else resume
        return text

    def title(self, level: int | None, section: str) -> str:
        template = self.titles.get(level)
        if template is None:
            template = self.titles[None]
        if section.endswith(("室", "中心")) and level in (3, 4) and "{s}" in template:
            template = "{s}" + ("副主任" if level == 3 else "主任")
        return template.replace("{s}", section)


_BUREAU_TITLES = {None: "{s}科员", 2: "{s}科员", 3: "{s}副科长", 4: "{s}科长", 5: "副局长", 6: "局长"}
_COMMITTEE_TITLES = {None: "{s}科员", 2: "{s}科员", 3: "{s}副科长", 4: "{s}科长", 5: "副主任", 6: "主任"}
CITY_GOV = f"{CITY}市人民政府"


def _org(pairs, sections, titles, top, sector="行政", current_prefix="", approver=CITY_GOV, code="长政发", ladder=()):
    names = tuple((start, f"山西省{n}", current_prefix + n) for start, n in pairs)
    return Org(names, sector, tuple(sections), titles, top, approver, code, ladder)


ORGS = {
    "财政局": _org([(0, f"{CITY}市财政局")],
                   ("预算科", "国库科", "综合科", "税政科", "经济建设科", "社会保障科", "行政政法科", "农业农村科",
                    "会计科", "办公室", "绩效管理科", "政府采购管理科"), _BUREAU_TITLES, 6),
    "教育局": _org([(0, f"{CITY}市教育局")],
                   ("基础教育科", "职业教育与成人教育科", "人事科", "计划财务科", "办公室", "督导室", "学生资助管理中心",
                    "体育卫生与艺术教育科"), _BUREAU_TITLES, 6),
    "卫健委": _org([(0, f"{CITY}市卫生局"), (2015, f"{CITY}市卫生和计划生育委员会"), (2019, f"{CITY}市卫生健康委员会")],
                   ("医政医管科", "疾病预防控制科", "基层卫生科", "妇幼健康科", "规划信息科", "办公室", "人事科",
                    "中医科"), _COMMITTEE_TITLES, 6),
    "住建局": _org([(0, f"{CITY}市建设局"), (2010, f"{CITY}市住房和城乡建设局")],
                   ("城市建设科", "村镇建设科", "建筑业管理科", "房地产市场监管科", "办公室", "计划财务科",
                    "勘察设计科", "城建档案室"), _BUREAU_TITLES, 6),
    "组织部": _org([(0, f"{CITY}市委组织部")],
                   ("干部一科", "干部二科", "干部三科", "组织科", "干部监督科", "公务员管理科", "人才工作科", "办公室",
                    "研究室"), {None: "{s}科员", 2: "{s}科员", 3: "{s}副科长", 4: "{s}科长", 5: "副部长",
                               6: "常务副部长"}, 6, current_prefix="中共", approver=f"中共{CITY}市委", code="长发"),
}
GENERIC_BUREAUS = ((f"{CITY}市民政局", ()), (f"{CITY}市审计局", ()), (f"{CITY}市统计局", ()),
                   (f"{CITY}市司法局", ()), (f"{CITY}市商务局", ()),
                   (f"{CITY}市发展和改革委员会", ((0, f"{CITY}市发展计划委员会"), (2004, f"{CITY}市发展和改革委员会"))),
                   (f"{CITY}市人力资源和社会保障局", ((0, f"{CITY}市人事局"), (2010, f"{CITY}市人力资源和社会保障局"))))


def generic_bureau(name: str, history=()) -> Org:
    pairs = list(history) or [(0, name)]
    titles = _COMMITTEE_TITLES if name.endswith("委员会") else _BUREAU_TITLES
    return _org(pairs, ("办公室", "综合科", "政策法规科", "规划财务科", "人事科", "业务科"), titles, 6)


COUNTIES = ("襄垣县", "平顺县", "黎城县", "壶关县", "长子县", "武乡县", "沁县", "沁源县")


def county_org(county: str) -> Org:
    titles = {None: "{s}科员", 2: "{s}科员", 3: "{s}副局长", 4: "{s}局长", 5: "人民政府副县长", 6: "人民政府县长"}
    return _org([(0, county)], ("财政局", "民政局", "审计局", "统计局", "司法局", "人力资源和社会保障局"), titles, 6,
                approver=f"{county}人民政府", code=county[:1] + "政发")


_DISTRICT = ((0, f"{CITY}市城区"), (2019, f"{CITY}市潞州区"))
_STREETS = ("东街街道办事处", "西街街道办事处", "英雄南路街道办事处", "英雄中路街道办事处", "太行东街街道办事处",
            "延安南路街道办事处", "紫金街道办事处", "常青街道办事处", "长北街道办事处")


def district_org(street: bool) -> Org:
    if street:
        titles = {None: "{s}科员", 2: "{s}科员", 3: "{s}副主任", 4: "{s}主任", 5: "人民政府副区长", 6: "人民政府区长"}
        sections: tuple[str, ...] = _STREETS
    else:
        titles = {None: "{s}科员", 2: "{s}科员", 3: "{s}副局长", 4: "{s}局长", 5: "人民政府副区长", 6: "人民政府区长"}
        sections = ("财政局", "民政局", "审计局", "统计局", "司法局", "商务局")
    return _org(_DISTRICT, sections, titles, 6, approver=f"{CITY}市城区人民政府", code="城政发")


def district_party_org() -> Org:
    titles = {None: "委组织部科员", 2: "委组织部科员", 3: "委组织部副部长", 4: "委组织部常务副部长",
              5: "委常委、组织部部长", 6: "委副书记"}
    return _org(_DISTRICT, ("",), titles, 6, current_prefix="中共", approver=f"中共{CITY}市城区委员会", code="城发")


def school_org(rng: random.Random) -> Org:
    name = f"{CITY}市第{cn_number(rng.randint(1, 12))}中学"
    return _org([(0, name)], ("",), {None: "教师", 3: "副校长", 4: "校长"}, 4, sector="事业",
                approver=f"{CITY}市教育局", code="长教发", ladder=("中学一级教师", "中学高级教师", "中小学教师专业技术职务"))


def hospital_org(rng: random.Random) -> Org:
    name = rng.choice((f"{CITY}市人民医院", f"{CITY}市第二人民医院", f"{CITY}市中医研究所附属医院",
                       f"{CITY}市妇幼保健院", f"{CITY}市疾病预防控制中心"))
    if name.endswith("中心"):
        sections: tuple[str, ...] = ("传染病防治科", "慢性病防治科", "免疫规划科", "卫生检验科")
    else:
        sections = ("内科", "外科", "儿科", "急诊科", "妇产科", "心内科", "骨科")
    return _org([(0, name)], sections, {None: "{s}医师", 3: "副院长", 4: "院长"}, 3, sector="事业",
                approver=f"{CITY}市卫生局", code="长卫发", ladder=("主治医师", "副主任医师", "卫生专业技术资格"))


def design_org() -> Org:
    return _org([(0, f"{CITY}市建筑设计研究院")], ("建筑所", "结构所", "规划所"), {None: "{s}技术员", 3: "副院长"}, 3,
                sector="事业", approver=f"{CITY}市建设局", code="长建发",
                ladder=("工程师", "高级工程师", "工程技术人员专业技术职务"))
