"""Synthetic dossiers for demos and benchmarks (`dangan generate`).

Every person is fictional: names are drawn from common surnames and given-name characters,
ID numbers are made up (valid check digit, county code valid in the birth year per
python-stdnum's table). Everything comes from one ``random.Random(seed)``; the wall clock is
read only through ``as_of``, so the same seed and as-of date give byte-identical files.

Each dossier is built as a consistent story: education → first job → posts rising through
the ranks, with every material the rules ask for registered in the catalog and cited
where the file relies on it. The YAML text is written here (not by yaml.dump) in the shape
a clerk writes by hand: schema key order, quoted dates, one catalog entry per line.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from .. import career
from ..atomic import write_atomic
from ..codes import CodeTables
from ..dates import add_months, day_text, month_index, month_text
from ..dates import today as default_today
from ..policy import load_policy
from ..repo import DOSSIER_DIR, SCHEMA_DIR, RepoError
from ..rules.catalog import CLASS_ORDER
from ..yamltext import DOSSIER_HEADER, Layout, yaml_str

CITY = "长治"  # the demo is set in one prefecture-level city of 山西
HEADER = DOSSIER_HEADER
_CLASS_RANK = {c: i for i, c in enumerate(CLASS_ORDER)}
MIN_BYTES, MAX_BYTES = 5_300, 14_800  # real dossier files are 5–15 KB
REFORM_2019 = 2019 * 12 + 5  # 2019.06: 职务与职级并行, non-leaders get 职级
LEADER_RANKS = {2: "科员级", 3: "乡科级副职", 4: "乡科级正职", 5: "县处级副职", 6: "县处级正职"}
GRADE_LADDER = ("四级主任科员", "三级主任科员", "二级主任科员", "一级主任科员", "四级调研员")


# ---------------------------------------------------------------- small helpers


def _mi(year: int, month: int) -> int:
    return year * 12 + month - 1


_mt = month_text
_dt = day_text


def _days_in(index: int) -> int:
    year, month = divmod(index, 12)
    nxt = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


def _day(rng: random.Random, index: int, lo: int = 1, hi: int = 28) -> dt.date:
    year, month = divmod(index, 12)
    hi = min(hi, _days_in(index))
    return dt.date(year, month + 1, rng.randint(min(lo, hi), hi))


def _pick(rng: random.Random, weighted):
    """weighted: sequence of (value, weight)."""
    total = sum(w for _v, w in weighted)
    x = rng.random() * total
    for value, weight in weighted:
        x -= weight
        if x < 0:
            return value
    return weighted[-1][0]


_CN_NUM = "〇一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return _CN_NUM[n]
    if n < 20:
        return "十" + (_CN_NUM[n % 10] if n % 10 else "")
    return _CN_NUM[n // 10] + "十" + (_CN_NUM[n % 10] if n % 10 else "")


# ---------------------------------------------------------------- YAML text

def render(doc: dict, layout: Layout) -> str:
    """The dossier as YAML text: its plain data written by the one writer, yamltext.Layout (as fmt would)."""
    return layout.text(plain(doc), HEADER)


def plain(doc: dict) -> dict:
    """The document as plain data, exactly as ``dangan.load`` should read the rendered text back (for tests)."""

    def walk(value):
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            if value and isinstance(value[0], Mat):
                return [m.ref for m in sorted(value, key=_mat_order)]
            return [walk(v) for v in value]
        return value

    return {k: [m.entry() for m in v] if k == "档案目录" else walk(v) for k, v in doc.items()}


# ---------------------------------------------------------------- places (GB/T 2260 via python-stdnum)

_MUNICIPALITIES = ("11", "12", "31", "50")
_PROVINCE_SHORT = {"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "宁夏回族自治区": "宁夏",
                   "新疆维吾尔自治区": "新疆", "西藏自治区": "西藏"}
# Where the cadres of a 长治 dossier room were born: mostly 长治 itself, then the rest of 山西, then neighbours.
_ORIGIN_WEIGHTS = (("1404", 44), ("1425", 12), ("1405", 6), ("14", 22), ("13", 4), ("41", 5), ("37", 2),
                   ("61", 2), ("15", 1), ("11", 1), ("12", 1))


def _loc_file() -> Path:
    import stdnum

    return Path(stdnum.__file__).parent / "cn" / "loc.dat"


def _spans_of(text: str) -> list[tuple[int | None, int | None, str]]:
    out = []
    for part in text.split(","):
        if part.startswith("["):
            years, name = part[1:].split("]", 1)
            start, end = years.split("-")
            out.append((int(start) if start else None, int(end) if end else None, name))
        else:
            out.append((None, None, part))
    return out


class Places:
    """County codes from python-stdnum's table, with the place name a clerk writes (现行区划)."""

    def __init__(self):
        self.province: dict[str, str] = {}
        self.entries: dict[str, list[tuple[int | None, int | None, str]]] = {}
        prov = None
        for line in _loc_file().read_text("utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            if not line.startswith(" "):
                prov, rest = line.split(" ", 1)
                self.province[prov] = rest.split('"')[1]
                continue
            code, rest = line.strip().split(" ", 1)
            if prov and 'county="' in rest:
                self.entries[prov + code] = _spans_of(rest.split('county="', 1)[1].rstrip('"'))
        self._current_by_stem: dict[tuple[str, str], str] = {}
        for code in self.entries:
            name = self._current(code)
            if name and code[4:] not in ("00", "01") and name[-1] in "县市":
                self._current_by_stem.setdefault((code[:2], self._stem(name)), name)
        self.codes = sorted(c for c in self.entries if c[4:] not in ("00", "01") and c[2:] != "9000")
        self._by_prefix: dict[str, list[str]] = {}
        for prefix, _w in _ORIGIN_WEIGHTS:
            self._by_prefix[prefix] = [c for c in self.codes if c.startswith(prefix) and self.name(c)]

    @staticmethod
    def _stem(name: str) -> str:
        return name[:-1] if len(name) > 2 and name[-1] in "县市区" else name

    def _current(self, code: str) -> str | None:
        for _start, end, name in self.entries.get(code, ()):
            if end is None:
                return name
        return None

    def short_province(self, code: str) -> str:
        full = self.province[code[:2]]
        return _PROVINCE_SHORT.get(full, full.removesuffix("省").removesuffix("市"))

    @cache  # noqa: B019 - one Places per process, kept for its lifetime
    def name(self, code: str) -> str | None:
        """“山西襄垣”, “山西长治”, “北京”: how 出生地/籍贯 are written, by today's divisions."""
        prov = self.short_province(code)
        if code[:2] in _MUNICIPALITIES:
            return prov
        now = self._current(code)
        if now is None:
            old = self.entries[code][-1][2]
            now = self._current_by_stem.get((code[:2], self._stem(old))) if old[-1] in "县市" else None
            if now is None:
                return None
        if now[-1] == "区" or now.endswith("自治县") or now.endswith("旗"):
            pref = self._current(code[:4] + "00")
            if not pref or not pref.endswith("市"):
                return None
            return prov + pref[:-1]
        if now[-1] in "县市":
            return prov + (now if len(now) == 2 else now[:-1])
        return None

    @cache  # noqa: B019
    def valid_codes(self, prefix: str, year: int) -> tuple[str, ...]:
        """Codes assigned in ``year`` by the table's [start-end] marks (the same reading as stdnum's)."""
        return tuple(c for c in self._by_prefix[prefix]
                     if any((a is None or a <= year) and (b is None or year <= b) for a, b, _n in self.entries[c]))

    @cache  # noqa: B019
    def stdnum_accepts(self, code: str, year: int) -> bool:
        try:
            ric.get_birth_place(f"{code}{year:04d}01010000")
        except stdnum_errors.ValidationError:
            return False
        return True

    def birth_code(self, rng: random.Random, year: int) -> str:
        """A county code valid in the birth year, confirmed by ``ric.get_birth_place`` itself."""
        for _ in range(50):
            codes = self.valid_codes(_pick(rng, _ORIGIN_WEIGHTS), year)
            if codes:
                code = rng.choice(codes)
                if self.stdnum_accepts(code, year):
                    return code
        raise RepoError(f"python-stdnum 的行政区划表中找不到 {year} 年有效的县级代码")


_PLACES: Places | None = None


def places() -> Places:
    global _PLACES
    if _PLACES is None:
        _PLACES = Places()
    return _PLACES


# ---------------------------------------------------------------- names

SURNAMES = (("王", 40), ("李", 40), ("张", 36), ("刘", 28), ("陈", 18), ("杨", 16), ("赵", 16), ("郭", 12),
            ("申", 8), ("牛", 7), ("郝", 8), ("武", 9), ("段", 6), ("秦", 6), ("崔", 6), ("史", 5), ("冯", 6),
            ("韩", 6), ("宋", 6), ("孙", 8), ("周", 8), ("吴", 6), ("徐", 6), ("马", 8), ("胡", 6), ("朱", 5),
            ("高", 8), ("田", 6), ("贾", 6), ("任", 5), ("梁", 5), ("程", 5), ("侯", 5), ("乔", 5), ("原", 3),
            ("栗", 3), ("暴", 2), ("常", 4), ("魏", 4), ("薛", 4), ("苗", 3), ("靳", 3), ("裴", 2), ("霍", 3),
            ("董", 5), ("范", 4), ("姚", 3), ("曹", 4), ("路", 3), ("连", 2), ("闫", 4), ("药", 1), ("茹", 1))
_MALE_OLD = "建国军伟强志明华平刚勇斌杰涛磊鹏宏文海东卫俊晓永新春林旭红兵忠德庆利民亮峰波辉飞"
_MALE_NEW = "浩宇晨博凯帅鑫睿泽轩铭昊杰磊鹏飞超健瑞航宁毅晟嘉一子天俊"
_FEMALE_OLD = "秀英丽娟芳艳敏静霞红玲燕萍慧春梅兰凤珍华霞琴云雪晓"
_FEMALE_NEW = "婷雪琳颖慧洁佳晶倩蕾璐瑶欣怡雯梦思雨涵萱悦琪妍诺"
_ELDER_MALE = ("有福", "建民", "德胜", "文华", "永贵", "福生", "国华", "志明", "保全", "三虎", "学文", "来顺",
               "金山", "树林", "天才", "满仓", "世杰", "玉明", "长青", "根旺", "福林", "守仁", "宝山", "德明")
_ELDER_FEMALE = ("秀兰", "桂英", "玉梅", "凤英", "翠兰", "秀珍", "玉兰", "桂香", "巧云", "爱莲", "金花",
                 "素芳", "月娥", "改莲", "银花", "淑贞", "俊英", "彩霞", "兰英", "香莲", "粉兰", "秀梅")


def _given(rng: random.Random, male: bool, modern: bool) -> str:
    pool = (_MALE_NEW if modern else _MALE_OLD) if male else (_FEMALE_NEW if modern else _FEMALE_OLD)
    if rng.random() < 0.3:
        return rng.choice(pool)
    a, b = rng.choice(pool), rng.choice(pool)
    while b == a:
        b = rng.choice(pool)
    return a + b


def _surname(rng: random.Random) -> str:
    return _pick(rng, SURNAMES)


# ---------------------------------------------------------------- organisations and posts


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
_CITY_GOV = f"{CITY}市人民政府"


def _org(pairs, sections, titles, top, sector="行政", current_prefix="", approver=_CITY_GOV, code="长政发", ladder=()):
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
_GENERIC_BUREAUS = ((f"{CITY}市民政局", ()), (f"{CITY}市审计局", ()), (f"{CITY}市统计局", ()),
                    (f"{CITY}市司法局", ()), (f"{CITY}市商务局", ()),
                    (f"{CITY}市发展和改革委员会", ((0, f"{CITY}市发展计划委员会"), (2004, f"{CITY}市发展和改革委员会"))),
                    (f"{CITY}市人力资源和社会保障局", ((0, f"{CITY}市人事局"), (2010, f"{CITY}市人力资源和社会保障局"))))


def _generic_bureau(name: str, history=()) -> Org:
    pairs = list(history) or [(0, name)]
    titles = _COMMITTEE_TITLES if name.endswith("委员会") else _BUREAU_TITLES
    return _org(pairs, ("办公室", "综合科", "政策法规科", "规划财务科", "人事科", "业务科"), titles, 6)


_COUNTIES = ("襄垣县", "平顺县", "黎城县", "壶关县", "长子县", "武乡县", "沁县", "沁源县")


def _county_org(county: str) -> Org:
    titles = {None: "{s}科员", 2: "{s}科员", 3: "{s}副局长", 4: "{s}局长", 5: "人民政府副县长", 6: "人民政府县长"}
    return _org([(0, county)], ("财政局", "民政局", "审计局", "统计局", "司法局", "人力资源和社会保障局"), titles, 6,
                approver=f"{county}人民政府", code=county[:1] + "政发")


_DISTRICT = ((0, f"{CITY}市城区"), (2019, f"{CITY}市潞州区"))
_STREETS = ("东街街道办事处", "西街街道办事处", "英雄南路街道办事处", "英雄中路街道办事处", "太行东街街道办事处",
            "延安南路街道办事处", "紫金街道办事处", "常青街道办事处", "长北街道办事处")


def _district_org(street: bool) -> Org:
    if street:
        titles = {None: "{s}科员", 2: "{s}科员", 3: "{s}副主任", 4: "{s}主任", 5: "人民政府副区长", 6: "人民政府区长"}
        sections = _STREETS
    else:
        titles = {None: "{s}科员", 2: "{s}科员", 3: "{s}副局长", 4: "{s}局长", 5: "人民政府副区长", 6: "人民政府区长"}
        sections = ("财政局", "民政局", "审计局", "统计局", "司法局", "商务局")
    return _org(_DISTRICT, sections, titles, 6, approver=f"{CITY}市城区人民政府", code="城政发")


def _district_party_org() -> Org:
    titles = {None: "委组织部科员", 2: "委组织部科员", 3: "委组织部副部长", 4: "委组织部常务副部长",
              5: "委常委、组织部部长", 6: "委副书记"}
    return _org(_DISTRICT, ("",), titles, 6, current_prefix="中共", approver=f"中共{CITY}市城区委员会", code="城发")


def _school_org(rng: random.Random) -> Org:
    name = f"{CITY}市第{_cn(rng.randint(1, 12))}中学"
    return _org([(0, name)], ("",), {None: "教师", 3: "副校长", 4: "校长"}, 4, sector="事业",
                approver=f"{CITY}市教育局", code="长教发", ladder=("中学一级教师", "中学高级教师", "中小学教师专业技术职务"))


def _hospital_org(rng: random.Random) -> Org:
    name = rng.choice((f"{CITY}市人民医院", f"{CITY}市第二人民医院", f"{CITY}市中医研究所附属医院",
                       f"{CITY}市妇幼保健院", f"{CITY}市疾病预防控制中心"))
    if name.endswith("中心"):
        sections = ("传染病防治科", "慢性病防治科", "免疫规划科", "卫生检验科")
    else:
        sections = ("内科", "外科", "儿科", "急诊科", "妇产科", "心内科", "骨科")
    return _org([(0, name)], sections, {None: "{s}医师", 3: "副院长", 4: "院长"}, 3, sector="事业",
                approver=f"{CITY}市卫生局", code="长卫发", ladder=("主治医师", "副主任医师", "卫生专业技术资格"))


def _design_org() -> Org:
    return _org([(0, f"{CITY}市建筑设计研究院")], ("建筑所", "结构所", "规划所"), {None: "{s}技术员", 3: "副院长"}, 3,
                sector="事业", approver=f"{CITY}市建设局", code="长建发",
                ladder=("工程师", "高级工程师", "工程技术人员专业技术职务"))


# ---------------------------------------------------------------- education

# (院系专业, 学士学位, 年制, 领域)
MAJORS = (
    ("财政系财政学专业", "经济学学士", 4, "财经"), ("会计系会计学专业", "管理学学士", 4, "财经"),
    ("金融系金融学专业", "经济学学士", 4, "财经"), ("经济系国民经济管理专业", "经济学学士", 4, "财经"),
    ("中文系汉语言文学专业", "文学学士", 4, "文政"), ("法律系法学专业", "法学学士", 4, "文政"),
    ("政治系思想政治教育专业", "法学学士", 4, "文政"), ("历史系历史学专业", "历史学学士", 4, "文政"),
    ("公共管理学院行政管理专业", "管理学学士", 4, "文政"), ("哲学系哲学专业", "哲学学士", 4, "文政"),
    ("教育系教育学专业", "教育学学士", 4, "教育"), ("数学系数学专业", "理学学士", 4, "教育"),
    ("外语系英语专业", "文学学士", 4, "教育"), ("物理系物理学专业", "理学学士", 4, "教育"),
    ("临床医学系临床医学专业", "医学学士", 5, "医学"), ("预防医学系预防医学专业", "医学学士", 5, "医学"),
    ("卫生管理系卫生事业管理专业", "管理学学士", 4, "医学"),
    ("土木工程系工业与民用建筑专业", "工学学士", 4, "建筑"), ("建筑系城市规划专业", "工学学士", 5, "建筑"),
    ("土木工程学院土木工程专业", "工学学士", 4, "建筑"), ("管理学院工程管理专业", "管理学学士", 4, "建筑"),
    ("农学系农学专业", "农学学士", 4, "农学"),
)
MASTERS = {
    "财经": (("经济学院财政学专业", "经济学硕士"), ("管理学院会计学专业", "管理学硕士")),
    "文政": (("文学院中国现当代文学专业", "文学硕士"), ("法学院宪法学与行政法学专业", "法学硕士"),
             ("政治与公共管理学院行政管理专业", "管理学硕士")),
    "教育": (("教育科学学院课程与教学论专业", "教育学硕士"), ("数学科学学院基础数学专业", "理学硕士")),
    "医学": (("临床医学院内科学专业", "医学硕士"), ("公共卫生学院流行病与卫生统计学专业", "医学硕士")),
    "建筑": (("土木工程学院结构工程专业", "工学硕士"), ("建筑与艺术学院城乡规划学专业", "工学硕士")),
    "农学": (("农学院作物栽培学与耕作学专业", "农学硕士"),),
}
# (name until rename, renamed in year, current name, fields, 专科 only)
UNIVERSITIES = (
    ("山西大学", 0, "", ("文政", "教育", "财经"), False),
    ("山西财经学院", 1997, "山西财经大学", ("财经",), False),
    ("太原工业大学", 1997, "太原理工大学", ("建筑",), False),
    ("山西医学院", 1996, "山西医科大学", ("医学",), False),
    ("长治医学院", 0, "", ("医学",), False),
    ("山西师范大学", 0, "", ("教育", "文政"), False),
    ("山西农业大学", 0, "", ("农学", "财经"), False),
    ("华北工学院", 2004, "中北大学", ("建筑",), False),
    ("西南政法学院", 1995, "西南政法大学", ("文政",), False),
    ("中南财经大学", 2000, "中南财经政法大学", ("财经",), False),
    ("中国人民大学", 0, "", ("财经", "文政"), False),
    ("北京师范大学", 0, "", ("教育", "文政"), False),
    ("西北大学", 0, "", ("文政", "财经"), False),
    ("河北大学", 0, "", ("文政", "教育"), False),
    ("郑州大学", 0, "", ("文政", "医学", "建筑"), False),
    ("山东大学", 0, "", ("文政", "财经", "医学"), False),
    ("晋东南师范专科学校", 2004, "长治学院", ("教育", "文政"), True),
    ("山西财政税务专科学校", 0, "", ("财经",), True),
    ("山西省长治卫生学校", 0, "", ("医学",), True),
)
_COLLEGE_MAJORS = {"财经": ("财务会计专业", "财政与税收专业"), "文政": ("汉语言文学专业", "文秘专业"),
                   "教育": ("汉语言文学教育专业", "数学教育专业"), "医学": ("临床医学专业", "护理专业"),
                   "建筑": ("建筑工程技术专业", "工程造价专业"), "农学": ("农学专业",)}
_SECONDARY_SCHOOLS = {"财经": ("山西省长治财经学校", "财务会计专业"), "文政": ("长治师范学校", "普师专业"),
                      "教育": ("长治师范学校", "普师专业"), "医学": ("山西省长治卫生学校", "医士专业"),
                      "建筑": ("山西省建筑工程学校", "工业与民用建筑专业"), "农学": ("长治农业学校", "农学专业")}
UNIT_FIELDS = {"财政局": "财经", "教育局": "教育", "卫健委": "医学", "住建局": "建筑", "组织部": "文政", "潞州": "文政",
               "通用": "文政"}


def _school_name(rng, field_, college: bool, grad_year: int) -> tuple[str, str]:
    """(name as at graduation, with the current name noted if renamed; name as at graduation)."""
    pool = [u for u in UNIVERSITIES if u[4] == college and field_ in u[3]]
    if not pool:
        pool = [u for u in UNIVERSITIES if u[4] == college]
    name, renamed, now, _f, _c = rng.choice(pool)
    if renamed and grad_year >= renamed:
        return now, now
    if renamed:
        return f"{name}（现{now}）", name
    return name, name


# ---------------------------------------------------------------- the dossier's material catalog


@dataclass(eq=False)
class Mat:
    cls: str
    made: dt.date
    name: str
    pages: int
    received: dt.date
    precision: int
    remark: str | None = None
    key: tuple = ()
    seq: int = 0
    optional: int = 0  # > 0: may be left out to keep the file within the usual size (higher goes first)
    records: dict | None = None  # what its paper says of the key facts (档案目录[].记载)

    @property
    def ref(self) -> str:
        return f"{self.cls}-{self.seq}"

    def made_text(self) -> str:
        if self.precision == 1:
            return f"{self.made.year:04d}"
        if self.precision == 2:
            return f"{self.made.year:04d}.{self.made.month:02d}"
        return _dt(self.made)

    def entry(self) -> dict:
        out = {"类号": self.cls, "序号": self.seq, "材料名称": self.name, "形成时间": self.made_text(),
               "页数": self.pages, "接收时间": _dt(self.received)}
        if self.remark:
            out["备注"] = self.remark
        if self.records:
            out["记载"] = dict(self.records)
        return out

    def line(self) -> str:
        """The catalog entry as one flow mapping: what its line will take, for fitting the file's size."""
        text = (f'{{类号: "{self.cls}", 序号: {self.seq}, 材料名称: {yaml_str(self.name, True)}, '
                f'形成时间: "{self.made_text()}", 页数: {self.pages}, 接收时间: "{_dt(self.received)}"')
        if self.remark:
            text += f", 备注: {yaml_str(self.remark, True)}"
        return text + "}"


# materials and what their paper records of the key facts, first match wins
_RECORDS = ((("入团志愿书", "高中毕业生登记表", "招生考生登记表", "中等专业学校"), ("出生年月", "民族")),
            (("入党志愿书",), ("出生年月", "入党时间")),
            (("干部履历表",), ("出生年月", "民族", "参加工作时间", "入党时间")),
            (("录用审批表", "招工登记表", "聘用合同书"), ("出生年月", "参加工作时间")))


def _mat_order(m: Mat) -> tuple:
    return _CLASS_RANK[m.cls], m.seq


class Catalog:
    def __init__(self, rng: random.Random, as_of: dt.date, arrival: dt.date, late_chance: float):
        self.rng, self.as_of, self.arrival = rng, as_of, arrival
        self.items: list[Mat] = []
        self.late_left = 1 if rng.random() < late_chance else 0

    def add(self, cls: str, made: dt.date, name: str, pages: int, *, remark: str | None = None,
            key: tuple = (), precision: int | None = None, optional: int = 0) -> Mat | None:
        """Register a material; None when it would be made on or after the as-of date."""
        rng = self.rng
        if made >= self.as_of:
            return None
        late = False
        if made >= self.arrival and self.late_left and rng.random() < 0.08 and (self.as_of - made).days > 200:
            late, self.late_left = True, 0
            received = made + dt.timedelta(days=rng.randint(40, 150))
        else:
            received = made + dt.timedelta(days=rng.randint(2, 24))
            if received < self.arrival:
                received = self.arrival + dt.timedelta(days=rng.randint(0, 20))
        received = min(received, self.as_of)
        if precision is None:
            if not late and received > add_months(made, 1):
                precision = 2 if rng.random() < 0.85 else 1
            else:
                precision = 3 if rng.random() < 0.95 else 2
        mat = Mat(cls, made, name, pages, received, precision, remark, key, optional=optional)
        self.items.append(mat)
        return mat

    def drop(self, mats) -> None:
        gone = {id(m) for m in mats}
        self.items = [m for m in self.items if id(m) not in gone]

    def number(self) -> list[Mat]:
        """Order the catalog (class, then time within class) and give each material its 序号."""
        self.items.sort(key=lambda m: (_CLASS_RANK[m.cls], m.key, m.made, m.name))
        seq: dict[str, int] = {}
        for m in self.items:
            seq[m.cls] = seq.get(m.cls, 0) + 1
            m.seq = seq[m.cls]
        return self.items


def _mats(*mats) -> list[Mat]:
    """The materials a fact rests on (None = not made by the as-of date); turned into 顺序号 once numbered."""
    out: list[Mat] = []
    for m in mats:
        if m is not None and m not in out:
            out.append(m)
    return out


# ---------------------------------------------------------------- one person


@dataclass
class Span:
    start: int
    text: str
    kind: str  # 学习 工作 待分配
    sector: str  # 学习 行政 事业 军队 企业 村官
    rank: str | None = None
    level: int | None = None
    title: str = ""  # short post name for forms
    current: str = ""  # 现任职务 wording
    org: Org | None = None
    forms: list = field(default_factory=list)
    notes: list = field(default_factory=list)


UNIT_KEYS = {"市委组织部": "组织部", "市财政局": "财政局", "市教育局": "教育局", "市卫生健康委员会": "卫健委",
             "市住房和城乡建设局": "住建局", "潞州区委组织部": "潞州"}
_ETHNIC = (("汉族", 900), ("回族", 25), ("蒙古族", 12), ("满族", 14), ("壮族", 5), ("土家族", 5), ("苗族", 5),
           ("朝鲜族", 4), ("藏族", 2), ("彝族", 3), ("侗族", 2), ("白族", 2), ("锡伯族", 1))
_DEMOCRATIC = ("民盟盟员", "民进会员", "九三学社社员", "民建会员", "农工党党员", "致公党党员", "民革党员")
_DEMOCRATIC_FORM = {"民盟盟员": "中国民主同盟", "民进会员": "中国民主促进会", "九三学社社员": "九三学社",
                    "民建会员": "中国民主建国会", "农工党党员": "中国农工民主党", "致公党党员": "中国致公党",
                    "民革党员": "中国国民党革命委员会"}
_SPECIALITY = {
    "财政局": ("财政预算管理", "财务会计", "国库集中支付管理", "政府采购管理", "财政监督"),
    "教育局": ("教育管理", "中学语文教学", "学校管理", "教育督导", "中学数学教学"),
    "卫健委": ("卫生管理", "临床医学", "疾病预防控制", "医政管理", "妇幼保健"),
    "住建局": ("城乡规划", "建筑工程管理", "房地产市场管理", "工程造价", "城市建设管理"),
    "组织部": ("干部管理", "组织工作", "党建工作", "人才工作", "经济管理", "行政管理"),
    "潞州": ("基层治理", "社区管理", "党建工作", "经济管理", "财政管理"),
    "通用": ("行政管理", "经济管理", "综合文字", "法律事务"),
}
_ECONOMIST = ("经济师", "高级经济师", "经济专业技术资格")
_TITLE_LADDERS = {  # titles an administrator may hold (professionals take their 事业单位's ladder)
    "财政局": (("会计师", "高级会计师", "会计专业技术资格"), _ECONOMIST),
    "住建局": (("工程师", "高级工程师", "工程技术人员专业技术职务"), _ECONOMIST),
    "组织部": (_ECONOMIST, ("政工师", "高级政工师", "政工专业职务")),
}


class World:
    """What every dossier shares: the as-of date, the policy, the places."""

    def __init__(self, schema_dir: Path, as_of: dt.date):
        policy = load_policy(schema_dir / "policy.yaml")
        self.layout = Layout.of(Path(schema_dir).resolve() / "dossier.schema.json")
        self.as_of = as_of
        self.now = _mi(as_of.year, as_of.month)
        self.end = self.now - 1  # the last month in which anything may happen
        self.units = list(policy.get("管档单位", default=[]) or []) or list(UNIT_KEYS)
        self.prefix = policy.get("编号前缀", default="C") or "C"
        appoint = policy.get("完整性", "任免审批表", default={}) or {}
        self.form_since = month_index(appoint.get("起始年月", "1997.01")) or _mi(1997, 1)
        self.form_level = appoint.get("最低职级层次", 3)
        names = appoint.get("材料名称包含") or ["任免审批表"]
        self.form_word = "任免审批表" if "任免审批表" in names else names[0]
        annual = policy.get("完整性", "年度考核", default={}) or {}
        self.annual_from = annual.get("起始年度", 1993)
        month, day = (int(x) for x in str(annual.get("次年要求日期", "04.01")).split("."))
        due = dt.date(as_of.year, month, day)
        self.last_required = as_of.year - 1 if as_of >= due else as_of.year - 2
        self.last_annual = as_of.year - 1 if as_of >= dt.date(as_of.year, 3, 1) else self.last_required
        self.red_party = (policy.get("年龄红线", "入党", default=18) or 18) * 12
        self.rank_levels = CodeTables.read(schema_dir).rank_level
        self.party_posts = policy.get("党内职务", default={}) or {}
        self.places = places()
        self.ids: set[str] = set()

    def unit_key(self, unit: str) -> str:
        """Which career pattern fits a 管档单位; a unit added to the policy later gets a plain city bureau."""
        if unit in UNIT_KEYS:
            return UNIT_KEYS[unit]
        return "组织部" if unit == "市委组织部" else "通用"


def _needs_form(world: World, span: Span) -> bool:
    return (span.kind == "工作" and span.start >= world.form_since
            and world.rank_levels.get(span.rank, 0) >= world.form_level)


class Person:
    def __init__(self, world: World, rng: random.Random, number: str, unit: str):
        self.w, self.rng, self.number, self.unit = world, rng, number, unit
        self.key = world.unit_key(unit)
        self.field = UNIT_FIELDS[self.key] if rng.random() < 0.7 else rng.choice(sorted(set(UNIT_FIELDS.values())))
        self.cross = False  # a 市管干部 whose career crossed counties and bureaus
        self.edu_inservice: list[dict] = []

    # -- the story -------------------------------------------------------------------------------

    def build(self) -> dict:
        rng, w = self.rng, self.w
        hi = max(1966, min(1998, w.as_of.year - 25))
        lo = min(1965, hi - 1)
        self.birth_year = rng.randint(lo, hi)
        self.birth = _mi(self.birth_year, rng.randint(1, 12))
        self.birth_day = _day(rng, self.birth, 1, 31)
        self.male = rng.random() < 0.64
        self.surname = _surname(rng)
        self.name = self.surname + _given(rng, self.male, self.birth_year >= 1985)
        self.ethnic = _pick(rng, _ETHNIC)
        self.spans: list[Span] = []
        self._plan_education()
        self._fit_to_date()
        self._plan_career()
        arrival = dt.date(self.work // 12, self.work % 12 + 1, 1) + dt.timedelta(days=rng.randint(3, 25))
        self.cat = Catalog(rng, w.as_of, arrival, late_chance=0.025)
        self._politics()
        self._materials()
        doc = self._document()
        self._records(doc)
        self._fit(doc)
        return doc

    # -- what the key materials record (记载): the facts as the dossier holds them; now and then (1 in 40) the
    # earliest of them says another birth month and nobody has determined it yet — an open inconsistency (R602)
    def _records(self, doc: dict) -> None:
        rng = random.Random(f"记载-{self.number}-{self.birth}")  # its own stream: the rest of the person is unchanged
        facts = {"出生年月": doc["出生年月"], "民族": doc["民族"], "参加工作时间": doc["参加工作时间"],
                 "入党时间": doc.get("入党时间")}
        month = {"出生年月": self.birth, "民族": self.birth, "参加工作时间": self.work,
                 "入党时间": self.party_month}
        recorded = []
        for m in self.cat.items:
            keys = next((k for words, k in _RECORDS if any(w in m.name for w in words)), ())
            made = m.made.year * 12 + m.made.month - 1
            mine = {k: facts[k] for k in keys if facts.get(k) is not None and month[k] is not None and month[k] <= made}
            if mine:
                m.records = mine
                recorded.append(m)
        births = sorted((m for m in recorded if "出生年月" in (m.records or {})), key=lambda m: m.made)
        if len(births) >= 2 and rng.random() < 0.025 and not any(
                e.get("项目") == "出生年月" for e in doc.get("认定记录") or []):
            first = births[0]
            assert first.records is not None
            other = self.birth + rng.choice((-12, -1, 1, 12))
            first.records = {**first.records, "出生年月": _mt(other)}

    # -- size: real files are 5–15 KB; optional materials are left out or added to stay in that range --------

    def _fit(self, doc: dict) -> None:
        """Prune or pad to the usual size; ``self.text`` keeps the last rendering when it is the final one."""
        self.text = None
        for _ in range(5):
            text = render(doc, self.w.layout)
            size = len(text.encode("utf-8"))
            if size > MAX_BYTES:
                changed = self._prune(doc, size - MAX_BYTES)
            elif size < MIN_BYTES:
                changed = self._pad(MIN_BYTES - size)
            else:
                changed = False
            if not changed:
                self.text = text
                return
            doc["档案目录"] = self.cat.number()

    def _prune(self, doc: dict, excess: int) -> bool:
        cited = set()

        def walk(value):
            if isinstance(value, dict):
                for v in value.values():
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    if isinstance(v, Mat):
                        cited.add(id(v))
                    else:
                        walk(v)

        walk({k: v for k, v in doc.items() if k != "档案目录"})
        spare = sorted((m for m in self.cat.items if m.optional and id(m) not in cited),
                       key=lambda m: (-m.optional, m.made))
        gone, saved = [], 0
        for m in spare:
            if saved >= excess + 60:
                break
            gone.append(m)
            saved += len(m.line().encode("utf-8")) + 5
        if saved < excess + 60:  # still too long: the least notable awards go, with their materials
            rewards = doc["奖惩情况"]
            for r in [r for r in rewards if r["类别"] == "奖励" and r["名称"] != "记三等功"][::-1]:
                if saved >= excess + 60:
                    break
                rewards.remove(r)
                gone.extend(r["依据"])
                saved += 220
        self.cat.drop(gone)
        return bool(gone)

    def _pad(self, missing: int) -> bool:
        rng, w, cat = self.rng, self.w, self.cat
        wk = self.work
        offers = []
        for y in range(max(wk // 12 + 1, 2016), w.as_of.year):
            offers.append(("4-4", _mi(y, 12), f"{y}年度干部网络学院学习登记表", 1, ()))
        offers.append(("10", rng.randint(wk + 6, max(wk + 6, w.end)), "干部健康检查表", 3, ()))
        offers.append(("1", rng.randint(wk + 10, max(wk + 10, w.end)), "干部基本信息审核确认表", 2, ()))
        if self.party_month is None and self.status in ("群众",):
            offers.append(("6", rng.randint(wk + 2, max(wk + 2, w.end)), "入党申请书", 3, (1,)))
        offers.append(("4-4", rng.randint(wk + 3, max(wk + 3, w.end)), "新任职干部培训登记表", 2, ()))
        offers.append(("3", rng.randint(wk + 4, max(wk + 4, w.end)), "干部平时考核登记表", 2, ()))
        added = 0
        for cls, month, name, pages, key in offers:
            if added >= missing + 60:
                break
            mat = cat.add(cls, _day(rng, month), name, pages, key=key, optional=1)
            if mat is not None:
                added += len(mat.line().encode("utf-8")) + 5
        return added > 0

    # education before work; sets self.work (参加工作时间) and the study spans of the 简历
    def _plan_education(self):
        rng, by = self.rng, self.birth_year
        if by <= 1975:
            path = _pick(rng, (("中专", 14), ("专科", 18), ("本科", 46), ("硕士", 3), ("军队", 9), ("工人", 10)))
        elif by <= 1985:
            path = _pick(rng, (("中专", 3), ("专科", 15), ("本科", 62), ("硕士", 14), ("军队", 4), ("工人", 2)))
        else:
            path = _pick(rng, (("专科", 8), ("本科", 64), ("硕士", 28)))
        self.path = path
        if self.field == "医学" and path in ("军队", "工人"):
            self.field = "文政"
        self.fulltime = []  # {学历, 学位?, 毕业院校?, 院系专业?, 入学, 毕业, kind}
        self.study = []  # (start, 内容, 性质) of the 简历 before work
        if path in ("军队", "工人"):
            grad = _mi(by + rng.choice((17, 18, 18, 19)), 7)
            self.fulltime.append({"学历": "普通高中毕业", "入学": grad - 34, "毕业": grad, "kind": "高中"})
            self.grad = grad
            self.work = _mi(grad // 12, 12) if path == "军队" else grad + rng.randint(1, 8)
            return
        if path == "中专":
            start = _mi(by + rng.choice((15, 16, 16)), 9)
            school, major = _SECONDARY_SCHOOLS[self.field]
            grad = start + rng.choice((3, 3, 4)) * 12 - 2
            self.fulltime.append({"学历": "中等专科毕业", "毕业院校": school, "院系专业": major, "入学": start,
                                  "毕业": grad, "kind": "中专"})
            self.study.append((start, f"山西省{school.removeprefix('山西省')}{major}学习", "学习"))
        elif path == "专科":
            start = _mi(by + _pick(rng, ((18, 60), (17, 15), (19, 20), (20, 5))), 9)
            grad = start + 34
            full, at_time = _school_name(rng, self.field, True, grad // 12)
            major = rng.choice(_COLLEGE_MAJORS[self.field])
            self.fulltime.append({"学历": "大学专科毕业", "毕业院校": full, "院系专业": major, "入学": start,
                                  "毕业": grad, "kind": "专科"})
            self.study.append((start, f"{at_time}{major}学习", "学习"))
        else:
            start = _mi(by + _pick(rng, ((18, 60), (17, 15), (19, 20), (20, 5))), 9)
            major, degree, years, _f = rng.choice([m for m in MAJORS if m[3] == self.field])
            grad = start + years * 12 - 2
            if degree == "管理学学士" and grad < _mi(1998, 7) and major.startswith("会计"):
                degree = "经济学学士"  # 会计学 was an economics degree before the 1998 catalogue
            full, at_time = _school_name(rng, self.field, False, grad // 12)
            self.fulltime.append({"学历": "大学本科毕业", "学位": degree, "毕业院校": full, "院系专业": major,
                                  "入学": start, "毕业": grad, "kind": "本科"})
            self.study.append((start, f"{at_time}{major}学习", "学习"))
            if path == "硕士":
                mstart = _mi(grad // 12 + (0 if rng.random() < 0.8 else 1), 9)
                mmajor, mdegree = rng.choice(MASTERS[self.field])
                mgrad = mstart + rng.choice((36, 36, 24)) - 2
                full2, at2 = _school_name(rng, self.field, False, mgrad // 12)
                self.fulltime.append({"学历": "硕士研究生毕业", "学位": mdegree, "毕业院校": full2,
                                      "院系专业": mmajor, "入学": mstart, "毕业": mgrad, "kind": "硕士"})
                if mstart - grad > 2:
                    self.study.append((grad, f"{at_time}毕业，在家复习准备硕士研究生入学考试", "其他"))
                self.study.append((mstart, f"{at2}{mmajor}硕士研究生学习", "学习"))
                grad = mgrad
        if grad < _mi(1998, 1):
            wait = _pick(rng, ((0, 70), (1, 18), (rng.randint(3, 6), 12)))
        else:
            wait = _pick(rng, ((0, 45), (1, 30), (2, 15), (3, 10)))
        if wait >= 3:
            school = self.fulltime[-1]["毕业院校"].split("（")[0]
            if grad < _mi(1998, 1):
                self.study.append((grad, f"{school}毕业待分配", "待分配"))
            else:
                self.study.append((grad, f"{school}毕业，在家待业", "其他"))
        self.grad = grad
        self.work = grad + wait

    def _fit_to_date(self):
        """Someone whose studies would end after the as-of date is made older, keeping their story."""
        shift = self.work - (self.w.end - 14)
        if shift <= 0:
            return
        self.work -= shift
        self.grad -= shift
        self.birth -= shift
        self.birth_year = self.birth // 12
        self.birth_day = _day(self.rng, self.birth, 1, 31)
        for e in self.fulltime:
            e["入学"] -= shift
            e["毕业"] -= shift
        self.study = [(s - shift, text, kind) for s, text, kind in self.study]

    def _plan_career(self):
        """Posts from the first job to the as-of date, as 简历 spans (study spans come separately)."""
        rng, w = self.rng, self.w
        end = w.end
        t = self.work
        spans = self.spans
        self.identity = None  # (取得方式, month)
        self.pre_sector = None
        level = 2
        if self.path == "军队":
            ranks = ("战士", "班长", "排长", "副连长", "连长", "副营长", "营长")
            n = 0
            spans.append(Span(t, f"中国人民解放军某部{ranks[0]}", "工作", "军队", title=ranks[0]))
            while n + 1 < len(ranks):
                gap = rng.randint(24, 48) if n < 2 else rng.randint(30, 60)
                if t + gap > end - 36 or (n >= 3 and rng.random() < 0.35):
                    break
                t += gap
                n += 1
                spans.append(Span(t, f"中国人民解放军某部{ranks[n]}", "工作", "军队", title=ranks[n]))
            t = min(t + rng.randint(24, 48), end - 12)
            level = (2, 2, 2, 3, 3, 4, 4)[n]
            self.identity = ("军队转业", t)
            self.pre_sector = "军队"
        elif self.path == "工人":
            factory = rng.choice(("长治钢铁厂", "长治清华机械厂", "长治市纺织厂", "长治市化肥厂", "长治市电机厂"))
            spans.append(Span(t, f"山西省{factory}工人", "工作", "企业", title="工人"))
            t = min(t + rng.randint(30, 72), end - 12)
            self.identity = ("录用干部" if t <= _mi(2000, 12) else "公务员录用", t)  # 录干 ended in 2001
            self.pre_sector = "企业"
        else:
            if self.path == "中专" and t < _mi(2000, 1) and rng.random() < 0.5:
                level = 1
            if _mi(2008, 1) <= t <= _mi(2014, 12) and rng.random() < 0.2 and self.key != "卫健委":
                county = rng.choice(_COUNTIES)
                village = rng.choice(("东关", "西岭", "南庄", "北坡", "河头", "石门", "桥上", "柳沟"))
                town = rng.choice(("城关镇", "北关镇", "西营镇", "东和乡", "南漳镇", "古城镇"))
                spans.append(Span(t, f"山西省{county}{town}{village}村党支部书记助理（大学生村官）", "工作", "村官",
                                  title="大学生村官"))
                t = min(t + rng.randint(24, 40), end - 12)
                self.pre_sector = "村官"
        orgs = self._orgs()
        if orgs[0].sector == "事业" and end - t < 60:
            orgs = orgs[1:]  # too recent to have moved on from a school or hospital
        if self.identity is None:
            if orgs[0].sector == "事业":
                self.identity = ("大中专毕业生派遣" if t < _mi(2000, 1) else "聘用", t)
            elif self.pre_sector is None and (t < _mi(1994, 1) or (t < _mi(2000, 1) and rng.random() < 0.6)):
                self.identity = ("大中专毕业生派遣", t)
            else:
                self.identity = ("公务员录用", t)
        target = self._target_level()
        org_i, org = 0, orgs[0]
        section = rng.choice(org.sections)
        if org.sector == "事业":
            level = None
        grade = -1  # index in GRADE_LADDER once on the 职级 track
        spans.append(self._post(t, org, level, section, grade))
        while True:
            if level is None:
                hi = max(12, min(120, end - t - 12))
                gap = rng.randint(min(36, hi), hi)
            elif grade >= 0:
                gap = rng.randint(24, 48)
            else:
                gap = rng.randint(*{1: (12, 30), 2: (30, 90), 3: (24, 72), 4: (42, 108), 5: (36, 84), 6: (48, 96)}[level])
            if t + gap > end:
                break
            t += gap
            if level is None:  # a teacher or doctor becomes a school/hospital leader or moves to the bureau
                if rng.random() < 0.3 and 3 in org.titles:
                    level = 3
                else:
                    org_i += 1
                    org = orgs[org_i]
                    level = rng.choice((2, 2, 3))
                    section = rng.choice(org.sections)
            elif grade < 0 and level < min(target, org.top) and level + 1 in org.titles:
                level += 1
                if org_i + 1 < len(orgs) and rng.random() < 0.5:
                    org_i += 1
                    org = orgs[org_i]
                    section = rng.choice(org.sections)
                elif rng.random() < 0.3:
                    section = rng.choice(org.sections)
            elif grade < 0 and level <= 2 and t >= REFORM_2019 and rng.random() < 0.8:
                grade = 0
            elif grade >= 0 and grade + 1 < len(GRADE_LADDER) and rng.random() < 0.6:
                grade += 1
            elif rng.random() < 0.3 or (level > org.top and org_i + 1 < len(orgs)):
                if org_i + 1 < len(orgs) and rng.random() < 0.6:
                    org_i += 1
                    org = orgs[org_i]
                section = rng.choice([s for s in org.sections if s != section] or org.sections)
            else:
                continue  # time passes in the same post
            post = self._post(t, org, level, section, grade)
            if post.org is not spans[-1].org or post.title != spans[-1].title:
                spans.append(post)
        self.level = level

    def _target_level(self) -> int:
        rng = self.rng
        if self.key == "组织部" and self.cross:
            return _pick(rng, ((5, 65), (6, 35)))
        return _pick(rng, ((2, 8), (3, 22), (4, 38), (5, 24), (6, 8)))

    def _orgs(self) -> list[Org]:
        rng, key = self.rng, self.key
        if key in ORGS and key not in ("组织部",):
            home = ORGS[key]
            if key == "教育局" and rng.random() < 0.45:
                return [_school_org(rng), home]
            if key == "卫健委" and rng.random() < 0.4:
                return [_hospital_org(rng), home]
            if key == "住建局" and rng.random() < 0.15:
                return [_design_org(), home]
            if rng.random() < 0.15:
                return [_county_org(rng.choice(_COUNTIES)), home]
            return [home]
        if key == "潞州":
            if rng.random() < 0.5:
                return [_district_org(True), _district_org(False)]
            if rng.random() < 0.5:
                return [_district_org(True), _district_party_org()]
            return [_district_org(False)]
        if key == "通用":
            name = self.unit if self.unit.startswith(CITY) else CITY + self.unit
            return [_generic_bureau(name)]
        # 市委组织部: its own staff, or 市管干部 from counties and city bureaus
        if rng.random() < 0.4:
            return [ORGS["组织部"]]
        self.cross = True
        name, history = rng.choice(_GENERIC_BUREAUS)
        first = _county_org(rng.choice(_COUNTIES)) if rng.random() < 0.5 else _district_org(rng.random() < 0.5)
        return [first, _generic_bureau(name, history)]

    def _post(self, t: int, org: Org, level: int | None, section: str, grade: int) -> Span:
        year = t // 12
        if grade >= 0:
            rank = GRADE_LADDER[grade]
            title = org.title(None, section).removesuffix("科员") + rank
        elif level is None:
            rank, title = None, org.title(None, section)
        else:
            rank = LEADER_RANKS.get(level, "办事员级") if level >= 2 else "办事员级"
            if level <= 2 and t >= REFORM_2019:
                rank = "一级科员"
            if level == 1:
                title = org.title(None, section).replace("科员", "办事员")
            else:
                title = org.title(level, section)
        text = org.prefix(year) + title
        current = org.prefix(self.w.as_of.year, True) + title
        return Span(t, text, "工作", org.sector, rank=rank, level=level, title=title, current=current, org=org)

    # -- politics: 入团 入党 民主党派 ----------------------------------------------------------------

    def _politics(self):
        rng, w = self.rng, self.w
        p = rng.random()
        if p < 0.80:
            status = "中共党员"
        elif p < 0.87:
            status = rng.choice(_DEMOCRATIC)
        elif p < 0.89:
            status = "无党派人士"
        else:
            status = "群众"
        self.party_month = None
        earliest = self.birth + w.red_party + rng.randint(0, 30)
        # a Party post (组织部, 党组成员, 委常委 …) is held by a Party member (R214)
        posts = w.party_posts
        needs = any(career.party_post(s.text, posts.get("关键词") or [], posts.get("不含") or [],
                                      posts.get("党外组织") or []) for s in self.spans if s.kind == "工作")
        if needs:
            status = "中共党员"
        if status == "中共党员":
            if self.path in ("本科", "硕士") and rng.random() < 0.4:
                m = self.study[0][0] + rng.randint(18, 40)
            else:
                m = self.work + rng.randint(10, 96)
            m = max(m, earliest)
            if needs:
                m = max(earliest, min(m, w.end - 14, min(s.start for s in self.spans if s.kind == "工作") + 60))
            if m > w.end - 14:
                if w.end - 11 >= earliest and rng.random() < 0.5:
                    status = "中共预备党员"
                    m = rng.randint(max(earliest, w.end - 10), w.end - 1)
                else:
                    status = "群众"
            if status != "群众":
                self.party_month = m
        self.status = status
        self.join_month = None
        if status in _DEMOCRATIC_FORM:
            self.join_month = min(w.end - 2, self.work + rng.randint(24, 150))

    # -- materials -------------------------------------------------------------------------------------

    def _materials(self):
        rng, cat = self.rng, self.cat
        # pre-career: 学籍 → 4-1
        for e in self.fulltime:
            e["mats"] = mats = []
            kind = e["kind"]
            if kind == "高中":
                mats.append(cat.add("4-1", _day(rng, e["毕业"] - 1), "高中毕业生登记表", 2))
            elif kind == "中专":
                if rng.random() < 0.6:
                    mats.append(cat.add("4-1", _day(rng, e["入学"] - 3), "初中毕业生登记表", 2))
                mats.append(cat.add("4-1", _day(rng, e["毕业"] - 1), "中等专业学校毕业生登记表", 4))
                mats.append(cat.add("4-1", _day(rng, e["毕业"] - 1), "中专学生学习成绩表", 1))
            elif kind in ("专科", "本科"):
                mats.append(cat.add("4-1", _day(rng, e["入学"] - 3), "高中毕业生登记表", 2))
                if rng.random() < 0.7:
                    mats.append(cat.add("4-1", _day(rng, e["入学"] - 4), "普通高等学校招生考生登记表", 2))
                mats.append(cat.add("4-1", _day(rng, e["毕业"] - 1), "学生学籍登记表", rng.randint(2, 4)))
                mats.append(cat.add("4-1", _day(rng, e["毕业"] - 1), "高等学校毕业生登记表", 4))
                if e.get("学位"):
                    mats.append(cat.add("4-1", _day(rng, e["毕业"], 1, 12), "学士学位证书复印件", 1,
                                        remark="复印件，加盖公章"))
            elif kind == "硕士":
                mats.append(cat.add("4-1", _day(rng, e["入学"] - 4), "硕士研究生入学考试报考登记表", 2))
                mats.append(cat.add("4-1", _day(rng, e["毕业"] - 1), "研究生毕业生登记表", 4))
                mats.append(cat.add("4-1", _day(rng, e["毕业"] - 1), "研究生学习成绩登记表", 2))
                mats.append(cat.add("4-1", _day(rng, e["毕业"], 1, 12), "硕士学位证书复印件", 1,
                                    remark="复印件，加盖公章"))
        self._class6()
        self._inservice()
        self._career_materials()
        self._assessments()
        self._rewards()
        self._determinations()
        self._misc()

    def _class6(self):
        rng, w, cat = self.rng, self.w, self.cat
        self.league = None
        if rng.random() < 0.88:
            m = self.birth + rng.randint(14 * 12 + 2, 17 * 12 + 6)
            self.league = cat.add("6", _day(rng, m), "入团志愿书", 4, key=(0,))
        self.party_mats = {}
        if self.party_month is not None:
            pm = self.party_month
            apply = max(self.birth + w.red_party, pm - rng.randint(10, 36))
            cat.add("6", _day(rng, apply), "入党申请书", rng.randint(2, 4), key=(1,))
            if rng.random() < 0.6:
                act = max(apply, min(pm - 2, apply + rng.randint(3, 10)))
                cat.add("6", _day(rng, act), "入党积极分子培养考察登记表", rng.randint(4, 8), key=(1,), optional=4)
            self.party_mats["志愿书"] = cat.add("6", _day(rng, pm), "入党志愿书", rng.randint(8, 12), key=(1,))
            if self.status == "中共党员":
                self.party_mats["转正"] = cat.add("6", _day(rng, pm + 11), "转正申请书", rng.randint(2, 3),
                                                 key=(1,))
                if pm + 12 <= w.end and rng.random() < 0.5:
                    cat.add("6", _day(rng, pm + 12), "预备党员转正审批表", 2, key=(1,), optional=4)
        if self.join_month is not None:
            org = _DEMOCRATIC_FORM[self.status]
            cat.add("6", _day(rng, self.join_month), f"加入{org}申请表", 4, key=(2,))

    def _inservice(self):
        """在职 education during work: entries, 4-1 materials and 其间 notes."""
        rng, w, cat = self.rng, self.w, self.cat
        top = max((e for e in self.fulltime), key=lambda e: ("高中", "中专", "专科", "本科", "硕士").index(e["kind"]))
        plans = []
        t = self.work + rng.randint(12, 48)
        kind = top["kind"]
        if kind in ("高中", "中专") and rng.random() < 0.9:
            plans.append(("大学专科毕业", None, 36))
            plans.append(("大学本科毕业", None, 30))
        elif kind == "专科" and rng.random() < 0.85:
            plans.append(("大学本科毕业", "学士" if rng.random() < 0.4 else None, 30))
        if kind in ("本科", "专科", "高中", "中专") and rng.random() < 0.35:
            plans.append(("硕士研究生毕业", "专业学位", 30))
        for edu, degree, months in plans:
            start = _mi(max(t // 12, 1985), 9)
            if edu == "硕士研究生毕业":
                start = max(start, _mi(2002, 9))
            grad = start + months - 2 + rng.choice((0, 0, 6))
            if grad > w.end - 2:
                break
            entry = {"学历": edu}
            if edu == "大学专科毕业":
                school = rng.choice(("山西广播电视大学", "中央党校函授学院", "山西财经大学"))
                major = rng.choice(("经济管理专业", "行政管理专业", "财务会计专业"))
                mats = [cat.add("4-1", _day(rng, grad - 1), "成人高等教育毕业生登记表", 2)]
                note = f"在{school}{major}在职大专学习"
            elif edu == "大学本科毕业":
                if rng.random() < 0.5:
                    school, major = "中央党校函授学院", rng.choice(("经济管理专业", "法律专业", "政法专业"))
                    mats = [cat.add("4-1", _day(rng, grad - 1), "中央党校函授学院本科毕业生登记表", 2)]
                    note = f"在{school}{major}函授本科学习"
                else:
                    school = rng.choice(("山西大学", "山西财经大学", "太原理工大学", "山西师范大学"))
                    major = rng.choice(("继续教育学院行政管理专业", "继续教育学院会计学专业", "继续教育学院法学专业"))
                    mats = [cat.add("4-1", _day(rng, grad - 1), "成人高等教育毕业生登记表", 2),
                            cat.add("4-1", _day(rng, grad - 1), "成人高等教育学生成绩表", 1)]
                    note = f"在{school}{major}在职本科学习"
                    if degree:
                        entry["学位"] = {"行": "管理学学士", "会": "管理学学士", "法": "法学学士"}[
                            major.removeprefix("继续教育学院")[0]]
                        mats.append(cat.add("4-1", _day(rng, grad + 3), "学士学位证书复印件", 1,
                                            remark="复印件，加盖公章"))
            else:
                options = {"财经": ("工商管理硕士专业学位", "山西财经大学", "工商管理学院工商管理专业"),
                           "建筑": ("工程硕士专业学位", "太原理工大学", "土木工程学院建筑与土木工程专业"),
                           "教育": ("教育硕士专业学位", "山西师范大学", "教师教育学院教育管理专业"),
                           "医学": ("公共卫生硕士专业学位", "山西医科大学", "公共卫生学院公共卫生专业")}
                if self.field in options and rng.random() < 0.5:
                    deg, school, major = options[self.field]
                else:
                    deg, school, major = "公共管理硕士专业学位", rng.choice(("山西大学", "山西财经大学")), \
                        rng.choice(("政治与公共管理学院公共管理专业", "公共管理学院公共管理专业"))
                entry["学位"] = deg
                mats = [cat.add("4-1", _day(rng, grad), "在职研究生学位证明及成绩单", 3)]
                if grad >= _mi(2017, 1):
                    mats.append(cat.add("4-1", _day(rng, grad, 1, 12), "硕士研究生毕业证书复印件", 1,
                                        remark="复印件，加盖公章"))
                note = f"在{school}{major}在职研究生学习"
            entry.update({"毕业院校": school, "院系专业": major, "入学": start, "毕业": grad, "mats": mats,
                          "kind": "在职"})
            self.edu_inservice.append(entry)
            self._note(grad, f"{_mt(start)}--{_mt(grad)} {note}")
            t = grad + rng.randint(12, 60)
        # 党校 training of 3 months or more, for leaders
        for span in self.spans:
            if span.level and span.level >= 4 and span.kind == "工作" and rng.random() < 0.45:
                s = span.start + rng.randint(6, 30)
                if s + 4 > self.w.end or s < self.work:
                    continue
                school = rng.choice((f"中共{CITY}市委党校", "中共山西省委党校"))
                cls = "中青年干部培训班" if span.level <= 4 else "县处级干部进修班"
                months = rng.choice((3, 4, 4))
                mat = self.cat.add("4-4", _day(rng, s + months), f"{school}{cls}学员登记表", 4)
                if mat is not None:
                    self._note(s + months, f"{_mt(s)}--{_mt(s + months)} 在{school}{cls}学习")
                break

    def _note(self, month: int, text: str):
        """A 其间 line goes under the segment in which the study ended (a shared boundary month counts as the earlier)."""
        target = self.spans[0]
        for span in self.spans:
            if span.start < month:
                target = span
        if target is not None:
            target.notes.append((month, text))

    def _career_materials(self):
        rng, w, cat = self.rng, self.w, self.cat
        ident, im = self.identity
        refs = []
        wk = self.work
        # identity
        if ident == "大中专毕业生派遣":
            name = "普通高等学校毕业生就业派遣报到证" if self.path != "中专" else "中等专业学校毕业生派遣报到证"
            refs.append(cat.add("10", _day(rng, wk, 1, 10), name, 1))
            refs.append(cat.add("9-2", _day(rng, wk + 12), "见习期满转正定级审批表", 2))
        elif ident == "公务员录用":
            if self.path in ("本科", "专科", "硕士") and im - self.grad <= 3:
                cat.add("10", _day(rng, self.grad, 1, 10), "普通高等学校毕业生就业报到证", 1)
            cat.add("5", _day(rng, im - 1), "公务员录用政审表", 2, optional=2)
            cat.add("10", _day(rng, im - 2), "公务员录用体检表", 3, optional=2)
            refs.append(cat.add("9-2", _day(rng, im - 1), "公务员录用审批表", 2))
            refs.append(cat.add("9-2", _day(rng, im + 1), "公务员登记表", 4))
            cat.add("3", _day(rng, im + 12), "新录用公务员试用期满考核表", 2)
            cat.add("4-4", _day(rng, im + rng.randint(3, 10)), "公务员初任培训登记表", 2)
        elif ident == "聘用":
            refs.append(cat.add("9-2", _day(rng, im - 1), "事业单位公开招聘人员审批表", 2))
            cat.add("10", _day(rng, im - 2), "事业单位招聘人员体检表", 3)
            cat.add("9-2", _day(rng, im + 1), "事业单位工作人员聘用合同书", 4, optional=3)
        elif ident == "录用干部":
            refs.append(cat.add("9-2", _day(rng, im - 1), "录用干部审批表", 2))
            cat.add("10", _day(rng, im - 2), "录用干部体检表", 2)
        elif ident == "军队转业":
            refs.append(cat.add("9-2", _day(rng, im - 1), "军队转业干部审批表", 4))
            cat.add("9-2", _day(rng, im), "军队干部转业安置介绍信", 1, optional=3)
            if rng.random() < 0.7:
                cat.add("1", _day(rng, im - 3), "军官登记表", 6, optional=3)
        self.identity_refs = [r for r in refs if r is not None]
        if self.pre_sector == "企业":
            cat.add("9-2", _day(rng, wk), "招工登记表", 2)
        if self.pre_sector == "村官":
            cat.add("9-2", _day(rng, wk - 1), "大学生村官选聘审批表", 2)
        if self.pre_sector == "军队":
            cat.add("9-2", _day(rng, wk), "应征公民入伍批准书", 1)
        # 公务员登记 for civil servants in service in 2006
        if ident != "公务员录用" and self._sector_at(_mi(2006, 6)) == "行政":
            cat.add("9-2", _day(rng, _mi(2006, rng.randint(8, 11))), "公务员登记表", 4, optional=2)
        # wages: first pay, the 1993 and 2006 reforms, 2015 adjustment
        cat.add("9-1", _day(rng, wk + 1), "新参加工作人员工资审批表", 1)
        for month, name in ((_mi(1993, 12), "工资制度改革套改审批表"), (_mi(2006, 9), "公务员工资套改审批表"),
                            (_mi(2015, 3), "工资调整审批表")):
            sector = self._sector_at(month)
            if wk < month - 3 and month <= w.end and sector in ("行政", "事业"):
                if name.startswith("公务员") and sector != "行政":
                    name = "事业单位工作人员收入分配制度改革工资套改表" if sector == "事业" else ""
                if name:
                    cat.add("9-1", _day(rng, month), name, 1, optional=6)
        # posts: 任免审批表 (9-2), 考察材料 (3), 调动 (9-2)
        prev_org = None
        for span in self.spans:
            if span.sector in ("军队", "企业", "村官") or span.kind != "工作":
                continue
            first_org = span.org is not prev_org
            if first_org and prev_org is not None:
                if prev_org.sector == "事业" and span.org.sector == "行政":
                    cat.add("9-2", _day(rng, span.start - 1), "公务员调任审批表", 2)
                    cat.add("9-2", _day(rng, span.start + 1), "公务员登记表", 4, optional=2)
                else:
                    cat.add("9-2", _day(rng, span.start - 1), "干部调动审批表", 2, optional=3)
            prev_org = span.org
            needs = _needs_form(w, span)
            old_leader = span.level and span.level >= 3 and span.start < w.form_since and rng.random() < 0.6
            if needs or old_leader:
                made = _day(rng, span.start, 1, 20)
                word = w.form_word if span.start >= _mi(1995, 1) or rng.random() < 0.5 else "任免呈报表"
                form = cat.add("9-2", made, f"干部{word}（{span.title}）", 2)
                span.forms.append(form)
                if span.level and span.level >= 3 and rng.random() < 0.8:
                    cat.add("3", _day(rng, span.start - 1), f"干部考察材料（拟任{span.title}）", rng.randint(3, 6),
                            optional=5)
                if rng.random() < 0.3:
                    cat.add("9-1", _day(rng, span.start + 1), "工资变动审批表", 1, optional=9)
        # army years
        if self.pre_sector == "军队":
            for span in self.spans:
                if span.sector == "军队" and span.title in ("排长", "副连长", "连长", "副营长", "营长"):
                    cat.add("9-2", _day(rng, span.start), f"军官任职命令（{span.title}）", 1,
                            remark="复印件，加盖公章", optional=4)

    def _span_at(self, month: int) -> Span | None:
        found = None
        for span in self.spans:
            if span.start <= month:
                found = span
        return found

    def _sector_at(self, month: int) -> str | None:
        span = self._span_at(month)
        return span.sector if span else None

    def _plan_sanction(self):
        """A rare 政务处分, long enough ago to have been lifted, with no promotion while it ran."""
        rng, w = self.rng, self.w
        self.sanction = None
        if rng.random() >= 0.035:
            return
        kind, months = rng.choice((("警告", 6), ("记过", 12)))
        lo, hi = max(self.work + 24, _mi(2005, 1)), w.end - months - 12
        if lo >= hi:
            return
        m = rng.randint(lo, hi)
        span = self._span_at(m)
        if span is None or span.sector != "行政" or any(m < s.start <= m + months for s in self.spans):
            return
        self.sanction = (m, m + months, kind, span)

    def _assessments(self):
        rng, w, cat = self.rng, self.w, self.cat
        self._plan_sanction()
        first = max(w.annual_from, self.work // 12 + 1)
        years = list(range(first, w.last_annual + 1))
        results = {}
        for y in years:
            sector = self._sector_at(_mi(y, 6))
            p = rng.random()
            if sector == "事业":
                res = "优秀" if p < 0.16 else "基本合格" if p > 0.995 else "合格"
            else:
                res = "优秀" if p < 0.16 else "基本称职" if p > 0.995 else "称职"
            results[y] = [res, sector]
        blocked = set()
        if self.sanction:
            m, lift, kind, _span = self.sanction
            for y in range(m // 12, (lift - 1) // 12 + 1):
                if y in results:
                    blocked.add(y)
                    if kind == "记过":
                        results[y][0] = "不定等次"  # 受记过处分期间只写评语，不定等次
                    elif results[y][0] == "优秀" and y == m // 12:
                        results[y][0] = "称职"  # 受警告处分当年不得评为优秀
        # 连续三年优秀 → 记三等功 (civil servants)
        self.merit = None
        civil = [y for y in years if results[y][1] == "行政" and y >= 2008 and y not in blocked]
        if len(civil) >= 4 and rng.random() < 0.2:
            y0 = rng.choice(civil[:-3])
            if all(y0 + k in civil for k in range(3)):
                for k in range(3):
                    results[y0 + k][0] = "优秀"
                self.merit = y0
        self.results = results
        self.annual = []
        for y in years:
            res, sector = results[y]
            made = _day(rng, _mi(y + 1, 1), 5, 28) if rng.random() < 0.7 else _day(rng, _mi(y + 1, 2), 1, 25)
            if sector == "事业":
                name = f"{y}年度事业单位人员考核表"
            elif sector == "行政" and rng.random() < 0.3:
                name = f"{y}年度公务员考核登记表" if y >= 2006 else f"{y}年度国家公务员考核表"
            elif sector == "村官":
                name = f"{y}年度大学生村官考核表"
            else:
                name = f"{y}年度考核登记表"
            mat = cat.add("3", made, name, rng.choice((1, 2, 2)))
            self.annual.append([y, res, mat])

    def _rewards(self):
        rng, w, cat = self.rng, self.w, self.cat
        out = []
        if self.merit is not None:
            m = _mi(self.merit + 3, rng.randint(3, 6))
            if m <= w.end:
                mat = cat.add("7", _day(rng, m), "记三等功审批表", 2)
                out.append(self._reward("记三等功", m, _CITY_GOV, "长政发",
                                        f"{self.merit}—{self.merit + 2} 年度连续三年年度考核被确定为优秀等次", mat))
        for y, (res, sector) in sorted(self.results.items()):
            if res == "优秀" and sector == "行政" and y >= 2008 and rng.random() < 0.25 and len(out) < 2:
                m = _mi(y + 1, rng.randint(2, 4))
                span = self._span_at(m)
                if m <= w.end and span is not None and span.org is not None:
                    mat = cat.add("7", _day(rng, m), "嘉奖审批表", 1)
                    out.append(self._reward("嘉奖", m, span.org.approver, span.org.code,
                                            f"{y} 年度考核被确定为优秀等次", mat))
        pool = [("先进工作者", _CITY_GOV, "长政发", 4, "在全市经济社会发展工作中成绩突出"),
                ("优秀公务员", _CITY_GOV, "长政发", 3, "在公务员队伍建设中表现突出")]
        if self.status == "中共党员":
            pool.append(("优秀共产党员", f"中共{CITY}市委", "长发", 6, "在本职工作中充分发挥共产党员先锋模范作用"))
        if not self.male:
            pool.append(("三八红旗手", f"{CITY}市妇女联合会", "长妇发", 3, "在经济社会发展中作出突出贡献"))
        if self.key == "卫健委":
            pool.append(("抗击新冠肺炎疫情先进个人", f"中共{CITY}市委、{CITY}市人民政府", "长发", 9,
                         "在新冠肺炎疫情防控工作中表现突出"))
        if self.key == "潞州":
            pool.append(("脱贫攻坚先进个人", f"中共{CITY}市委、{CITY}市人民政府", "长发", 12, "在脱贫攻坚工作中成绩突出"))
        if self.key == "教育局":
            pool.append(("优秀教育工作者", f"{CITY}市教育局", "长教发", 9, "在教育教学管理工作中成绩突出"))
        for _ in range(rng.choice((0, 0, 1, 1, 1, 2)) if len(out) < 2 else 0):
            name, approver, code, month, why = rng.choice(pool)
            lo = max(self.work + 24, _mi(2003, 1))
            if name.startswith("抗击"):
                lo = _mi(2020, 9)
            elif name.startswith("脱贫"):
                lo = _mi(2020, 12)
            if lo > w.end - 2:
                continue
            m = _mi(rng.randint(lo // 12, (w.end - 2) // 12), month)
            if m < lo or m > w.end or any(r["时间"] == _mt(m) for r in out):
                continue
            if name == "优秀公务员" and self._sector_at(m) != "行政":
                continue
            if self.sanction and self.sanction[0] <= m <= self.sanction[1] + 12:
                continue
            mat = cat.add("7", _day(rng, m), f"{name}表彰审批表" if "先进" in name else f"{name}登记表", 2)
            out.append(self._reward(name, m, approver, code, why, mat))
        if self.sanction:
            m, lift, kind, span = self.sanction
            if m >= _mi(2018, 3):
                approver, code = f"{CITY}市监察委员会", "长监发"
            else:
                approver, code = span.org.approver if span.org else _CITY_GOV, span.org.code if span.org else "长政发"
            d = _day(rng, m)
            decision = cat.add("8", d, f"关于给予{self.name}同志{kind}处分的决定", 2, key=(m, 0))
            cat.add("8", d, "本人对处分决定的意见", 1, key=(m, 1))
            cat.add("8", _day(rng, m - 1), "调查报告", rng.randint(3, 6), key=(m, 2))
            if rng.random() < 0.6:
                cat.add("8", _day(rng, m - 1), "本人检讨", rng.randint(2, 4), key=(m, 3))
            lifted = cat.add("8", _day(rng, lift), f"关于解除{self.name}同志{kind}处分的决定", 1, key=(lift, 0))
            why = rng.choice(("违反工作纪律，在项目资金审核工作中把关不严", "违反中央八项规定精神，公车私用",
                              "工作失职，对所管理的专项资金监管不力", "违反廉洁纪律，违规收受礼金"))
            out.append({"类别": "处分", "种类": "政务处分", "名称": kind, "时间": _mt(m), "批准机关": approver, "事由": why,
                        "文号": f"{code}〔{m // 12}〕{rng.randint(2, 60)}号", "解除时间": _mt(lift),
                        "依据": _mats(decision, lifted)})
        out.sort(key=lambda r: r["时间"])
        self.rewards = out

    def _reward(self, name, m, approver, code, why, mat) -> dict:
        return {"类别": "奖励", "名称": name, "时间": _mt(m), "批准机关": approver, "事由": why,
                "文号": f"{code}〔{m // 12}〕{self.rng.randint(3, 120)}号", "依据": _mats(mat)}

    def _determinations(self):
        """专项审核 (class 5) for everyone in service in 2015–2017 or at intake; some with a 认定 of a key fact."""
        rng, w, cat = self.rng, self.w, self.cat
        self.determined = []
        if self.work < _mi(2015, 6):
            m = rng.randint(_mi(2015, 9), _mi(2017, 10))
        else:
            m = self.identity[1] + rng.randint(1, 5)
        if m > w.end or rng.random() < 0.12:
            return
        audit = cat.add("5", _day(rng, m), "干部人事档案专项审核认定表", rng.randint(2, 4))
        if audit is None or rng.random() > 0.22:
            return
        if self.key == "潞州":
            org, code = (f"中共{CITY}市潞州区委组织部", "潞组审") if m >= _mi(2019, 1) else \
                (f"中共{CITY}市城区委组织部", "城组审")
        else:
            org, code = f"中共{CITY}市委组织部", "长组审"
        day = min(audit.made + dt.timedelta(days=rng.randint(0, 10)), w.as_of - dt.timedelta(days=1))
        early = self.league
        if early is None and self.fulltime and self.fulltime[0]["mats"]:
            early = self.fulltime[0]["mats"][0]
        choice = rng.random()
        if choice < 0.6 and early is not None:
            shift = rng.choice((-12, -3, -2, -1, 1, 2, 3, 5, 12))
            fact, old, new, basis = "出生年月", self.birth + shift, self.birth, early
            why = (f"档案中最早形成的《{early.name}》记载出生年月为 {_mt(self.birth)}，"
                   f"其他材料有记为 {_mt(self.birth + shift)} 的，按最早记载认定")
        elif choice < 0.85 and self.identity_refs and self.identity[1] == self.work:
            basis = self.identity_refs[0]
            fact, old, new = "参加工作时间", self.work + rng.choice((-2, -1, 1, 2, 3)), self.work
            why = f"以参加工作时形成的《{basis.name}》记载的时间为准认定"
        elif self.party_month is not None and self.party_mats.get("志愿书") is not None:
            basis = self.party_mats["志愿书"]
            fact, old, new = "入党时间", self.party_month + 12, self.party_month
            why = "原记载为转正时间，按《入党志愿书》中支部大会通过为预备党员的时间认定"
        else:
            return
        self.determined.append({"项目": fact, "原值": _mt(old), "认定值": _mt(new), "依据": _mats(audit, basis),
                                "认定机关": org, "认定日期": _dt(day),
                                "文号": f"{code}〔{m // 12}〕{rng.randint(3, 80)}号", "说明": why})

    def _misc(self):
        rng, w, cat = self.rng, self.w, self.cat
        wk = self.work
        # 1 干部履历表: on entry, and again every decade or so
        cat.add("1", _day(rng, wk + rng.randint(2, 8)), "干部履历表", rng.choice((8, 8, 10, 12)))
        for year in (1999, 2009, 2018):
            if wk < _mi(year - 2, 1) and rng.random() < 0.5:
                cat.add("1", _day(rng, _mi(year, rng.randint(3, 10))), "干部履历表", rng.choice((8, 10, 12)),
                        optional=6)
        # 2 自传 and party study materials
        cat.add("2", _day(rng, wk + rng.randint(1, 10)), "自传", rng.randint(3, 9))
        if self.party_month is not None:
            for month, name in ((_mi(2014, 9), "党的群众路线教育实践活动个人对照检查材料"),
                                (_mi(2019, 12), "“不忘初心、牢记使命”主题教育检视剖析材料"),
                                (_mi(2022, 1), "党史学习教育专题组织生活会个人检视剖析材料"),
                                (_mi(2023, 12), "学习贯彻习近平新时代中国特色社会主义思想主题教育检视剖析材料")):
                if self.party_month < month - 6 and month <= w.end and rng.random() < 0.45:
                    cat.add("2", _day(rng, month), name, rng.randint(3, 8), optional=7)
        # 4-2 专业技术职务: professionals by their school/hospital's ladder, some administrators too
        self.pro_title = "无"
        origin = next((sp.org for sp in self.spans if sp.org is not None and sp.org.ladder), None)
        if origin is not None:
            ladder, reviewed = origin.ladder, True
        elif self.key in _TITLE_LADDERS and rng.random() < 0.3:
            ladder, reviewed = _TITLE_LADDERS[self.key][0 if self.field == UNIT_FIELDS[self.key] else 1], False
        elif rng.random() < 0.08:
            ladder, reviewed = _ECONOMIST, False
        else:
            ladder = None
        if ladder:
            mid, senior, word = ladder
            m1 = wk + rng.randint(60, 96)
            if m1 <= w.end:
                cat.add("4-2", _day(rng, m1), f"{word}评审表（{mid}）" if reviewed else f"{word}考试合格证明", 3)
                cat.add("4-2", _day(rng, m1 + 1), f"{mid}资格证书复印件", 1, remark="复印件，加盖公章")
                self.pro_title = mid
                m2 = m1 + rng.randint(60, 110)
                if m2 <= w.end and rng.random() < 0.6:
                    cat.add("4-2", _day(rng, m2), f"{word}任职资格评审表（{senior}）", 6)
                    self.pro_title = senior
                    if rng.random() < 0.4:
                        cat.add("4-3", _day(rng, m2 - 1), "论文及科研成果目录", rng.randint(1, 3), optional=5)
        # 4-4 training
        if rng.random() < 0.6:
            m = max(wk + 12, _mi(2008, 1)) + rng.randint(0, 80)
            if m <= w.end:
                cat.add("4-4", _day(rng, m), rng.choice(("干部教育培训登记表", "任职培训结业证明", "学员学习鉴定表")),
                        2, optional=5)
        # 9-3 出国(境), 9-4 代表
        if rng.random() < 0.1 and wk < w.end - 60:
            m = rng.randint(max(wk + 24, _mi(2004, 1)), w.end - 2) if max(wk + 24, _mi(2004, 1)) < w.end - 2 else None
            if m:
                place = rng.choice(("泰国", "日本", "新加坡", "澳大利亚", "韩国", "马来西亚"))
                cat.add("9-3", _day(rng, m), f"因私出国（境）审批表（{place}）", 2, optional=4)
        if self.level and self.level >= 5 and rng.random() < 0.4:
            m = _mi(2021, rng.randint(8, 10))
            if m <= w.end and self.spans[-1].start <= m:
                cat.add("9-4", _day(rng, m), f"中国共产党{CITY}市第十三次代表大会代表登记表", 2, optional=4)
        # 10 体检
        if rng.random() < 0.7:
            m = rng.randint(max(wk, _mi(2010, 1)), w.end) if max(wk, _mi(2010, 1)) <= w.end else None
            if m:
                cat.add("10", _day(rng, m), "干部健康检查表", rng.randint(2, 4), optional=9)
        if self.identity[0] == "大中专毕业生派遣" and rng.random() < 0.5:
            cat.add("10", _day(rng, wk, 1, 10), "新参加工作人员体检表", 2, optional=8)

    # -- family ---------------------------------------------------------------------------------------

    def _family(self) -> list[dict]:
        rng, w = self.rng, self.w
        members = []
        age = self._age(self.birth)
        married = rng.random() < (0.94 if age >= 28 else 0.6)
        spouse_surname = _surname(rng)
        if married:
            gap = rng.choice((0, 1, 1, 2, 2, 3, 4))
            sb = self.birth + (gap * 12 if self.male else -gap * 12) + rng.randint(-6, 6)
            sb = min(sb, w.end - 20 * 12)
            members.append({"称谓": "妻子" if self.male else "丈夫",
                            "姓名": spouse_surname + _given(rng, not self.male, self.birth_year >= 1985),
                            "出生年月": _mt(sb), "政治面貌": rng.choice(("中共党员", "中共党员", "群众", "群众", "群众")),
                            "工作单位及职务": self._job(sb, not self.male)})
            kids = []
            k1 = self.birth + rng.randint(25 * 12, 33 * 12)
            if k1 <= w.end - 3 and rng.random() < 0.95:
                kids.append(k1)
                k2 = k1 + rng.randint(24, 110)
                if k2 <= w.end - 3 and (k2 >= _mi(2016, 3) or self.ethnic != "汉族") and rng.random() < 0.4:
                    kids.append(k2)
            sexes = [rng.random() < 0.52 for _ in kids]
            family_name = self.surname if self.male else spouse_surname
            counts = {True: sexes.count(True), False: sexes.count(False)}
            seen = {True: 0, False: 0}
            for kb, boy in zip(kids, sexes, strict=True):
                seen[boy] += 1
                if counts[boy] == 1:
                    call = "儿子" if boy else "女儿"
                else:
                    call = ("长" if seen[boy] == 1 else "次") + ("子" if boy else "女")
                kage = self._age(kb)
                members.append({"称谓": call, "姓名": family_name + _given(rng, boy, True), "出生年月": _mt(kb),
                                "政治面貌": "共青团员" if 14 <= kage <= 27 else "群众",
                                "工作单位及职务": self._child_job(kage, boy)})
        for father in (True, False):
            pb = self.birth - rng.randint(22 * 12, 34 * 12) - (rng.randint(0, 36) if father else 0)
            page = self._age(pb)
            dead = page >= 66 and rng.random() < min(0.9, (page - 60) / 35)
            name = (self.surname + rng.choice(_ELDER_MALE)) if father else \
                (_surname(rng) + rng.choice(_ELDER_FEMALE))
            job = rng.choice((f"{self._place_text()}农民", f"{CITY}钢铁公司职工", f"{CITY}市第{_cn(rng.randint(1, 9))}中学教师",
                              f"{CITY}市供销合作社职工", f"{self._place_text()}供销社职工", "个体经营"))
            if dead:
                job = ("原" if not job.endswith("农民") and job != "个体经营" else "") + job + "（已去世）"
            elif page >= (60 if father else 55) and not job.endswith("农民") and job != "个体经营":
                job += "（已退休）"
            member = {"称谓": "父亲" if father else "母亲", "姓名": name, "出生年月": _mt(pb),
                      "政治面貌": "中共党员" if rng.random() < 0.3 else "群众", "工作单位及职务": job}
            if dead:
                member["已故"] = True
            members.append(member)
        return members

    def _place_text(self) -> str:
        county = self.rng.choice(_COUNTIES)
        return f"山西省{county}"

    def _age(self, month: int) -> int:
        return (self.w.now - month) // 12

    def _job(self, birth: int, male: bool) -> str:
        rng = self.rng
        jobs = (f"{CITY}市第{_cn(rng.randint(1, 12))}中学教师", f"{CITY}市人民医院护士", f"{CITY}市潞州区人民法院干部",
                f"中国工商银行{CITY}分行职员", "山西潞安化工集团有限公司职员", f"{CITY}市实验小学教师",
                f"国家税务总局{CITY}市税务局干部", f"{CITY}学院讲师", f"{CITY}市自然资源局干部", "个体经营",
                f"{CITY}市人民医院医生", f"中国建设银行{CITY}分行职员")
        job = rng.choice(jobs)
        if self._age(birth) >= (60 if male else 55) and job != "个体经营":
            job += "（已退休）"
        return job

    def _child_job(self, age: int, boy: bool) -> str:
        rng = self.rng
        if age < 6:
            return "学龄前儿童"
        if age < 12:
            return f"{CITY}市实验小学学生"
        if age < 15:
            return f"{CITY}市第{_cn(rng.randint(1, 12))}中学学生"
        if age < 18:
            return f"{CITY}市第{_cn(rng.randint(1, 3))}中学学生"
        if age < 23:
            return rng.choice(("山西大学", "太原理工大学", "中北大学", "山西医科大学", "郑州大学", "西北大学")) + "学生"
        return rng.choice((f"{CITY}市某某科技有限公司职员", "太原市某某公司职员", "北京某某公司职员", "待业",
                           f"{CITY}市某某小学教师", "研究生在读"))

    # -- the document --------------------------------------------------------------------------------

    def _document(self) -> dict:
        rng, w = self.rng, self.w
        places_ = w.places
        code = places_.birth_code(rng, self.birth_year)
        born = places_.name(code)
        origin = born if rng.random() < 0.7 else places_.name(places_.birth_code(rng, self.birth_year)) or born
        for _ in range(50):
            seq = rng.randrange(0, 500) * 2 + (1 if self.male else 0)
            first = f"{code}{self.birth_year:04d}{self.birth % 12 + 1:02d}{self.birth_day.day:02d}{seq:03d}"
            ident = first + ric.calc_check_digit(first + "0")
            if ident not in w.ids:
                break
        w.ids.add(ident)
        # 简历
        resume = []
        spans = self._resume_spans()
        for i, span in enumerate(spans):
            end = spans[i + 1].start if i + 1 < len(spans) else None
            entry = {"起始": _mt(span.start), "截止": _mt(end) if end is not None else None, "内容": span.text,
                     "性质": span.kind}
            if span.rank:
                entry["职级"] = span.rank
            if span.notes:
                entry["其间"] = [text for _m, text in sorted(span.notes)]
            refs = _mats(*span.forms)
            if refs:
                entry["依据"] = refs
            resume.append(entry)
        last = self.spans[-1]
        education = []
        for e in [*self.fulltime, *self.edu_inservice]:
            item = {"类别": "在职" if e["kind"] == "在职" else "全日制", "学历": e["学历"]}
            if e.get("学位"):
                item["学位"] = e["学位"]
            if e.get("毕业院校"):
                item["毕业院校"] = e["毕业院校"]
            if e.get("院系专业"):
                item["院系专业"] = e["院系专业"]
            item["入学时间"] = _mt(e["入学"])
            item["毕业时间"] = _mt(e["毕业"])
            item["依据"] = _mats(*e["mats"])
            education.append(item)
        family = self._family()
        catalog = self.cat.number()
        annual = []
        for y, res, mat in self.annual:
            item = {"年度": y, "结果": res}
            if mat is not None:
                item["依据"] = [mat]
            annual.append(item)
        current = last.current
        if last.level and last.level >= 5 and last.sector == "行政" and rng.random() < 0.5 and \
                "人民政府" not in current and "委常委" not in current and "委副书记" not in current and \
                self.status in career.MEMBERS:
            head = current[: len(current) - len(last.title)]
            current = head + ("党组书记、" if last.level == 6 else "党组成员、") + last.title
        speciality = rng.choice(_SPECIALITY[self.key])
        if rng.random() < 0.3:
            other = rng.choice(_SPECIALITY[self.key])
            if other != speciality:
                speciality += "、" + other
        doc = {
            "编号": self.number, "姓名": self.name, "性别": "男" if self.male else "女", "出生年月": _mt(self.birth),
            "民族": self.ethnic, "籍贯": origin, "出生地": born, "身份证号": ident, "政治面貌": self.status,
            "入党时间": _mt(self.party_month) if self.party_month is not None else None,
            "参加工作时间": _mt(self.work), "健康状况": "健康" if rng.random() < 0.93 else "一般",
            "专业技术职务": self.pro_title, "熟悉专业有何专长": speciality, "学历学位": education,
            "干部身份": {"取得方式": self.identity[0], "取得时间": _mt(self.identity[1]),
                      "依据": _mats(*self.identity_refs)},
            "管档单位": self.unit, "现任职务": current, "职级": last.rank or "科员级", "简历": resume,
            "奖惩情况": self.rewards, "年度考核": annual, "家庭成员": family, "档案目录": catalog,
            "认定记录": self.determined,
        }
        return doc

    def _resume_spans(self) -> list[Span]:
        return [Span(start, text, kind, "学习") for start, text, kind in self.study] + self.spans


# ---------------------------------------------------------------- the repository

UNIT_WEIGHTS = {"市委组织部": 24, "市财政局": 16, "市教育局": 15, "市卫生健康委员会": 14, "市住房和城乡建设局": 13,
                "潞州区委组织部": 18}


def _people(world: World, count: int, seed: int):
    master = random.Random(seed)
    units = [(u, UNIT_WEIGHTS.get(u, 12)) for u in world.units]
    for i in range(1, count + 1):
        rng = random.Random(master.getrandbits(64))
        number = f"{world.prefix}{i:06d}"
        person = Person(world, rng, number, _pick(rng, units))
        yield number, person, person.build()


def generate_dossiers(world: World, count: int, seed: int):
    """(编号, document) for ``count`` fictional cadres; deterministic for (seed, world.as_of)."""
    for number, _person, doc in _people(world, count, seed):
        yield number, doc


def generate_files(world: World, count: int, seed: int):
    """(编号, YAML text) for ``count`` fictional cadres (the text sizing already wrote, when it is final)."""
    for number, person, doc in _people(world, count, seed):
        yield number, person.text or render(doc, world.layout)


def generate_repo(out: Path, count: int, source: Path, seed: int = 1, as_of: dt.date | None = None) -> int:
    """Make ``out`` a complete dossier repository of ``count`` fictional cadres, with a copy of the schema
    directory ``source``; returns how many were written."""
    out = Path(out)
    as_of = as_of or default_today()
    dossier_dir = out / DOSSIER_DIR
    if dossier_dir.is_dir() and any(p.suffix in (".yaml", ".yml") for p in dossier_dir.iterdir()):
        raise RepoError(f"{dossier_dir} 中已有档案文件，生成会与之混在一起：请指定一个新的或空的输出目录")
    if as_of < dt.date(2000, 1, 1):
        raise RepoError(f"生成日期 {_dt(as_of)} 太早：演示档案的人员生于 1965—1998 年，日期须在 2000 年以后")
    if not (source / "dossier.schema.json").is_file():
        raise RepoError(f"找不到要复制的 schema 目录（{source}）：请在档案仓库内运行，或设置环境变量 DANGAN_ROOT")
    world = World(source, as_of)
    target = out / SCHEMA_DIR
    if target.resolve() != source.resolve():
        for path in sorted(source.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                write_atomic(target / path.relative_to(source), path.read_bytes(), overwrite=True)
    written = 0
    for number, text in generate_files(world, count, seed):
        write_atomic(dossier_dir / f"{number}.yaml", text.encode("utf-8"))
        written += 1
    return written
