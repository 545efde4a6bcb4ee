"""One person: the story told in order (plan, materials, document), what the key materials record, and the
fitting of the file to the usual size. The parts of the story are the mixins of plan, materials, appraisal and
family."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from stdnum.cn import ric

from .. import career
from ..dates import month_text as _mt
from .appraisal import AppraisalMixin
from .catalog import Catalog, Mat, mat_list
from .common import day_in, mi, pick
from .education import UNIT_FIELDS
from .family import FamilyMixin
from .materials import MaterialsMixin
from .names import given_name, surname
from .plan import PlanMixin
from .text import render
from .world import Span, World

MIN_BYTES, MAX_BYTES = 5_300, 14_800  # real dossier files are 5–15 KB
_ETHNIC = (("汉族", 900), ("回族", 25), ("蒙古族", 12), ("满族", 14), ("壮族", 5), ("土家族", 5), ("苗族", 5),
           ("朝鲜族", 4), ("藏族", 2), ("彝族", 3), ("侗族", 2), ("白族", 2), ("锡伯族", 1))
_SPECIALITY = {
    "财政局": ("财政预算管理", "财务会计", "国库集中支付管理", "政府采购管理", "财政监督"),
    "教育局": ("教育管理", "中学语文教学", "学校管理", "教育督导", "中学数学教学"),
    "卫健委": ("卫生管理", "临床医学", "疾病预防控制", "医政管理", "妇幼保健"),
    "住建局": ("城乡规划", "建筑工程管理", "房地产市场管理", "工程造价", "城市建设管理"),
    "组织部": ("干部管理", "组织工作", "党建工作", "人才工作", "经济管理", "行政管理"),
    "潞州": ("基层治理", "社区管理", "党建工作", "经济管理", "财政管理"),
    "通用": ("行政管理", "经济管理", "综合文字", "法律事务"),
}
# materials and what their paper records of the key facts, first match wins
_RECORDS = ((("入团志愿书", "高中毕业生登记表", "招生考生登记表", "中等专业学校"), ("出生年月", "民族")),
            (("入党志愿书",), ("出生年月", "入党时间")),
            (("干部履历表",), ("出生年月", "民族", "参加工作时间", "入党时间")),
            (("录用审批表", "招工登记表", "聘用合同书"), ("出生年月", "参加工作时间")))


class Person(PlanMixin, MaterialsMixin, AppraisalMixin, FamilyMixin):
    """A fictional cadre: ``build()`` tells the story and returns the dossier document."""

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
        self.birth = mi(self.birth_year, rng.randint(1, 12))
        self.birth_day = day_in(rng, self.birth, 1, 31)
        self.male = rng.random() < 0.64
        self.surname = surname(rng)
        self.name = self.surname + given_name(rng, self.male, self.birth_year >= 1985)
        self.ethnic = pick(rng, _ETHNIC)
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
            mine = {k: facts[k] for k in keys if facts.get(k) is not None and (at := month[k]) is not None and at <= made}
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
        offers: list[tuple[str, int, str, int, tuple[int, ...]]] = []
        for y in range(max(wk // 12 + 1, 2016), w.as_of.year):
            offers.append(("4-4", mi(y, 12), f"{y}年度干部网络学院学习登记表", 1, ()))
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
            mat = cat.add(cls, day_in(rng, month), name, pages, key=key, optional=1)
            if mat is not None:
                added += len(mat.line().encode("utf-8")) + 5
        return added > 0

    # -- materials -------------------------------------------------------------------------------------

    def _materials(self):
        self._school_materials()
        self._class6()
        self._inservice()
        self._career_materials()
        self._assessments()
        self._rewards()
        self._determinations()
        self._misc()

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
            entry: dict[str, Any] = {"起始": _mt(span.start), "截止": _mt(end) if end is not None else None, "内容": span.text,
                     "性质": span.kind}
            if span.rank:
                entry["职级"] = span.rank
            if span.how:
                entry["任职方式"] = span.how
            if span.notes:
                entry["其间"] = [text for _m, text in sorted(span.notes)]
            refs = mat_list(*span.forms)
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
            item["依据"] = mat_list(*e["mats"])
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
                      "依据": mat_list(*self.identity_refs)},
            "管档单位": self.unit, "现任职务": current, "职级": last.rank or "科员级", "简历": resume,
            "奖惩情况": self.rewards, "年度考核": annual, "家庭成员": family, "档案目录": catalog,
            "认定记录": self.determined,
        }
        rank = last.rank or "科员级"
        holder = self.w.custody.get(rank)
        if holder is not None and holder != self.unit and self.w.rank_levels.get(rank, 0) >= self.w.copy_floor:
            doc.update({"档案类别": "副本", "正本保管单位": holder})  # the 正本 is kept by the unit with 管理权限
        return doc

    def _resume_spans(self) -> list[Span]:
        return [Span(start, text, kind, "学习") for start, text, kind in self.study] + self.spans
