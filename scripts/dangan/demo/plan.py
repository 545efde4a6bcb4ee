"""The plan of a person's life before the materials: education, the first job and the posts, politics."""

from __future__ import annotations

from .. import career
from .common import CITY, day_in, mi, pick
from .education import COLLEGE_MAJORS, MAJORS, MASTERS, SECONDARY_SCHOOLS, school_name
from .orgs import (
    COUNTIES,
    GENERIC_BUREAUS,
    ORGS,
    Org,
    county_org,
    design_org,
    district_org,
    district_party_org,
    generic_bureau,
    hospital_org,
    school_org,
)
from .state import PersonState
from .world import Span

REFORM_2019 = 2019 * 12 + 5  # 2019.06: 职务与职级并行, non-leaders get 职级
LEADER_RANKS = {2: "科员级", 3: "乡科级副职", 4: "乡科级正职", 5: "县处级副职", 6: "县处级正职"}
GRADE_LADDER = ("四级主任科员", "三级主任科员", "二级主任科员", "一级主任科员", "四级调研员")
_DEMOCRATIC = ("民盟盟员", "民进会员", "九三学社社员", "民建会员", "农工党党员", "致公党党员", "民革党员")
DEMOCRATIC_FORM = {"民盟盟员": "中国民主同盟", "民进会员": "中国民主促进会", "九三学社社员": "九三学社",
                   "民建会员": "中国民主建国会", "农工党党员": "中国农工民主党", "致公党党员": "中国致公党",
                   "民革党员": "中国国民党革命委员会"}


class PlanMixin(PersonState):
    """Education before work (参加工作时间), the career as 简历 spans, and the 政治面貌 with its months."""

    # education before work; sets self.work (参加工作时间) and the study spans of the 简历
    def _plan_education(self):
        rng, by = self.rng, self.birth_year
        if by <= 1975:
            path = pick(rng, (("中专", 14), ("专科", 18), ("本科", 46), ("硕士", 3), ("军队", 9), ("工人", 10)))
        elif by <= 1985:
            path = pick(rng, (("中专", 3), ("专科", 15), ("本科", 62), ("硕士", 14), ("军队", 4), ("工人", 2)))
        else:
            path = pick(rng, (("专科", 8), ("本科", 64), ("硕士", 28)))
        self.path = path
        if self.field == "医学" and path in ("军队", "工人"):
            self.field = "文政"
        self.fulltime = []  # {学历, 学位?, 毕业院校?, 院系专业?, 入学, 毕业, kind}
        self.study = []  # (start, 内容, 性质) of the 简历 before work
        if path in ("军队", "工人"):
            grad = mi(by + rng.choice((17, 18, 18, 19)), 7)
            self.fulltime.append({"学历": "普通高中毕业", "入学": grad - 34, "毕业": grad, "kind": "高中"})
            self.grad = grad
            self.work = mi(grad // 12, 12) if path == "军队" else grad + rng.randint(1, 8)
            return
        if path == "中专":
            start = mi(by + rng.choice((15, 16, 16)), 9)
            school, major = SECONDARY_SCHOOLS[self.field]
            grad = start + rng.choice((3, 3, 4)) * 12 - 2
            self.fulltime.append({"学历": "中等专科毕业", "毕业院校": school, "院系专业": major, "入学": start,
                                  "毕业": grad, "kind": "中专"})
            self.study.append((start, f"山西省{school.removeprefix('山西省')}{major}学习", "学习"))
        elif path == "专科":
            start = mi(by + pick(rng, ((18, 60), (17, 15), (19, 20), (20, 5))), 9)
            grad = start + 34
            full, at_time = school_name(rng, self.field, True, grad // 12)
            major = rng.choice(COLLEGE_MAJORS[self.field])
            self.fulltime.append({"学历": "大学专科毕业", "毕业院校": full, "院系专业": major, "入学": start,
                                  "毕业": grad, "kind": "专科"})
            self.study.append((start, f"{at_time}{major}学习", "学习"))
        else:
            start = mi(by + pick(rng, ((18, 60), (17, 15), (19, 20), (20, 5))), 9)
            major, degree, years, _f = rng.choice([m for m in MAJORS if m[3] == self.field])
            grad = start + years * 12 - 2
            if degree == "管理学学士" and grad < mi(1998, 7) and major.startswith("会计"):
                degree = "经济学学士"  # 会计学 was an economics degree before the 1998 catalogue
            full, at_time = school_name(rng, self.field, False, grad // 12)
            self.fulltime.append({"学历": "大学本科毕业", "学位": degree, "毕业院校": full, "院系专业": major,
                                  "入学": start, "毕业": grad, "kind": "本科"})
            self.study.append((start, f"{at_time}{major}学习", "学习"))
            if path == "硕士":
                mstart = mi(grad // 12 + (0 if rng.random() < 0.8 else 1), 9)
                mmajor, mdegree = rng.choice(MASTERS[self.field])
                mgrad = mstart + rng.choice((36, 36, 24)) - 2
                full2, at2 = school_name(rng, self.field, False, mgrad // 12)
                self.fulltime.append({"学历": "硕士研究生毕业", "学位": mdegree, "毕业院校": full2,
                                      "院系专业": mmajor, "入学": mstart, "毕业": mgrad, "kind": "硕士"})
                if mstart - grad > 2:
                    self.study.append((grad, f"{at_time}毕业，在家复习准备硕士研究生入学考试", "其他"))
                self.study.append((mstart, f"{at2}{mmajor}硕士研究生学习", "学习"))
                grad = mgrad
        if grad < mi(1998, 1):
            wait = pick(rng, ((0, 70), (1, 18), (rng.randint(3, 6), 12)))
        else:
            wait = pick(rng, ((0, 45), (1, 30), (2, 15), (3, 10)))
        if wait >= 3:
            school = self.fulltime[-1]["毕业院校"].split("（")[0]
            if grad < mi(1998, 1):
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
        self.birth_day = day_in(self.rng, self.birth, 1, 31)
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
            self.identity = ("录用干部" if t <= mi(2000, 12) else "公务员录用", t)  # 录干 ended in 2001
            self.pre_sector = "企业"
        else:
            if self.path == "中专" and t < mi(2000, 1) and rng.random() < 0.5:
                level = 1
            if mi(2008, 1) <= t <= mi(2014, 12) and rng.random() < 0.2 and self.key != "卫健委":
                county = rng.choice(COUNTIES)
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
                self.identity = ("大中专毕业生派遣" if t < mi(2000, 1) else "聘用", t)
            elif self.pre_sector is None and (t < mi(1994, 1) or (t < mi(2000, 1) and rng.random() < 0.6)):
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
            return pick(rng, ((5, 65), (6, 35)))
        return pick(rng, ((2, 8), (3, 22), (4, 38), (5, 24), (6, 8)))

    def _orgs(self) -> list[Org]:
        rng, key = self.rng, self.key
        if key in ORGS and key not in ("组织部",):
            home = ORGS[key]
            if key == "教育局" and rng.random() < 0.45:
                return [school_org(rng), home]
            if key == "卫健委" and rng.random() < 0.4:
                return [hospital_org(rng), home]
            if key == "住建局" and rng.random() < 0.15:
                return [design_org(), home]
            if rng.random() < 0.15:
                return [county_org(rng.choice(COUNTIES)), home]
            return [home]
        if key == "潞州":
            if rng.random() < 0.5:
                return [district_org(True), district_org(False)]
            if rng.random() < 0.5:
                return [district_org(True), district_party_org()]
            return [district_org(False)]
        if key == "通用":
            name = self.unit if self.unit.startswith(CITY) else CITY + self.unit
            return [generic_bureau(name)]
        # 市委组织部: its own staff, or 市管干部 from counties and city bureaus
        if rng.random() < 0.4:
            return [ORGS["组织部"]]
        self.cross = True
        name, history = rng.choice(GENERIC_BUREAUS)
        first = county_org(rng.choice(COUNTIES)) if rng.random() < 0.5 else district_org(rng.random() < 0.5)
        return [first, generic_bureau(name, history)]

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
        if status in DEMOCRATIC_FORM:
            self.join_month = min(w.end - 2, self.work + rng.randint(24, 150))
