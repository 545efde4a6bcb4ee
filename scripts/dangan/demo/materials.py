"""The materials of a person's file: 学籍, class 6 (团、党), in-service education, career papers, the rest."""

from __future__ import annotations

import datetime as dt
import random

from ..dates import month_text as _mt
from .common import CITY, day_in, mi
from .education import UNIT_FIELDS
from .plan import DEMOCRATIC_FORM
from .state import PersonState
from .world import needs_form

_ECONOMIST = ("经济师", "高级经济师", "经济专业技术资格")
_TITLE_LADDERS = {  # titles an administrator may hold (professionals take their 事业单位's ladder)
    "财政局": (("会计师", "高级会计师", "会计专业技术资格"), _ECONOMIST),
    "住建局": (("工程师", "高级工程师", "工程技术人员专业技术职务"), _ECONOMIST),
    "组织部": (_ECONOMIST, ("政工师", "高级政工师", "政工专业职务")),
}


class MaterialsMixin(PersonState):
    """Registers in the catalog every material the story gives rise to (assessments and rewards aside)."""

    def _school_materials(self):
        """Pre-career: 学籍 → 4-1."""
        rng, cat = self.rng, self.cat
        for e in self.fulltime:
            e["mats"] = mats = []
            kind = e["kind"]
            if kind == "高中":
                mats.append(cat.add("4-1", day_in(rng, e["毕业"] - 1), "高中毕业生登记表", 2))
            elif kind == "中专":
                if rng.random() < 0.6:
                    mats.append(cat.add("4-1", day_in(rng, e["入学"] - 3), "初中毕业生登记表", 2))
                mats.append(cat.add("4-1", day_in(rng, e["毕业"] - 1), "中等专业学校毕业生登记表", 4))
                mats.append(cat.add("4-1", day_in(rng, e["毕业"] - 1), "中专学生学习成绩表", 1))
            elif kind in ("专科", "本科"):
                mats.append(cat.add("4-1", day_in(rng, e["入学"] - 3), "高中毕业生登记表", 2))
                if rng.random() < 0.7:
                    mats.append(cat.add("4-1", day_in(rng, e["入学"] - 4), "普通高等学校招生考生登记表", 2))
                mats.append(cat.add("4-1", day_in(rng, e["毕业"] - 1), "学生学籍登记表", rng.randint(2, 4)))
                mats.append(cat.add("4-1", day_in(rng, e["毕业"] - 1), "高等学校毕业生登记表", 4))
                if e.get("学位"):
                    mats.append(cat.add("4-1", day_in(rng, e["毕业"], 1, 12), "学士学位证书复印件", 1,
                                        remark="复印件，加盖公章"))
            elif kind == "硕士":
                mats.append(cat.add("4-1", day_in(rng, e["入学"] - 4), "硕士研究生入学考试报考登记表", 2))
                mats.append(cat.add("4-1", day_in(rng, e["毕业"] - 1), "研究生毕业生登记表", 4))
                mats.append(cat.add("4-1", day_in(rng, e["毕业"] - 1), "研究生学习成绩登记表", 2))
                mats.append(cat.add("4-1", day_in(rng, e["毕业"], 1, 12), "硕士学位证书复印件", 1,
                                    remark="复印件，加盖公章"))

    def _class6(self):
        rng, w, cat = self.rng, self.w, self.cat
        self.league = None
        if rng.random() < 0.88:
            m = self.birth + rng.randint(14 * 12 + 2, 17 * 12 + 6)
            self.league = cat.add("6", day_in(rng, m), "入团志愿书", 4, key=(0,))
        self.party_mats = {}
        if self.party_month is not None:
            pm = self.party_month
            apply = max(self.birth + w.red_party, pm - rng.randint(10, 36))
            cat.add("6", day_in(rng, apply), "入党申请书", rng.randint(2, 4), key=(1,))
            if rng.random() < 0.6:
                act = max(apply, min(pm - 2, apply + rng.randint(3, 10)))
                cat.add("6", day_in(rng, act), "入党积极分子培养考察登记表", rng.randint(4, 8), key=(1,), optional=4)
            self.party_mats["志愿书"] = cat.add("6", day_in(rng, pm), "入党志愿书", rng.randint(8, 12), key=(1,))
            if self.status == "中共党员":
                self.party_mats["转正"] = cat.add("6", day_in(rng, pm + 11), "转正申请书", rng.randint(2, 3),
                                                 key=(1,))
                if pm + 12 <= w.end and rng.random() < 0.5:
                    cat.add("6", day_in(rng, pm + 12), "预备党员转正审批表", 2, key=(1,), optional=4)
        if self.join_month is not None:
            org = DEMOCRATIC_FORM[self.status]
            cat.add("6", day_in(rng, self.join_month), f"加入{org}申请表", 4, key=(2,))

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
            start = mi(max(t // 12, 1985), 9)
            if edu == "硕士研究生毕业":
                start = max(start, mi(2002, 9))
            grad = start + months - 2 + rng.choice((0, 0, 6))
            if grad > w.end - 2:
                break
            entry = {"学历": edu}
            if edu == "大学专科毕业":
                school = rng.choice(("山西广播电视大学", "中央党校函授学院", "山西财经大学"))
                major = rng.choice(("经济管理专业", "行政管理专业", "财务会计专业"))
                mats = [cat.add("4-1", day_in(rng, grad - 1), "成人高等教育毕业生登记表", 2)]
                note = f"在{school}{major}在职大专学习"
            elif edu == "大学本科毕业":
                if rng.random() < 0.5:
                    school, major = "中央党校函授学院", rng.choice(("经济管理专业", "法律专业", "政法专业"))
                    mats = [cat.add("4-1", day_in(rng, grad - 1), "中央党校函授学院本科毕业生登记表", 2)]
                    note = f"在{school}{major}函授本科学习"
                else:
                    school = rng.choice(("山西大学", "山西财经大学", "太原理工大学", "山西师范大学"))
                    major = rng.choice(("继续教育学院行政管理专业", "继续教育学院会计学专业", "继续教育学院法学专业"))
                    mats = [cat.add("4-1", day_in(rng, grad - 1), "成人高等教育毕业生登记表", 2),
                            cat.add("4-1", day_in(rng, grad - 1), "成人高等教育学生成绩表", 1)]
                    note = f"在{school}{major}在职本科学习"
                    if degree:
                        entry["学位"] = {"行": "管理学学士", "会": "管理学学士", "法": "法学学士"}[
                            major.removeprefix("继续教育学院")[0]]
                        mats.append(cat.add("4-1", day_in(rng, grad + 3), "学士学位证书复印件", 1,
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
                mats = [cat.add("4-1", day_in(rng, grad), "在职研究生学位证明及成绩单", 3)]
                if grad >= mi(2017, 1):
                    mats.append(cat.add("4-1", day_in(rng, grad, 1, 12), "硕士研究生毕业证书复印件", 1,
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
                mat = self.cat.add("4-4", day_in(rng, s + months), f"{school}{cls}学员登记表", 4)
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
            refs.append(cat.add("10", day_in(rng, wk, 1, 10), name, 1))
            refs.append(cat.add("9-2", day_in(rng, wk + 12), "见习期满转正定级审批表", 2))
        elif ident == "公务员录用":
            if self.path in ("本科", "专科", "硕士") and im - self.grad <= 3:
                cat.add("10", day_in(rng, self.grad, 1, 10), "普通高等学校毕业生就业报到证", 1)
            cat.add("5", day_in(rng, im - 1), "公务员录用政审表", 2, optional=2)
            cat.add("10", day_in(rng, im - 2), "公务员录用体检表", 3, optional=2)
            refs.append(cat.add("9-2", day_in(rng, im - 1), "公务员录用审批表", 2))
            refs.append(cat.add("9-2", day_in(rng, im + 1), "公务员登记表", 4))
            cat.add("3", day_in(rng, im + 12), "新录用公务员试用期满考核表", 2)
            cat.add("4-4", day_in(rng, im + rng.randint(3, 10)), "公务员初任培训登记表", 2)
        elif ident == "聘用":
            refs.append(cat.add("9-2", day_in(rng, im - 1), "事业单位公开招聘人员审批表", 2))
            cat.add("10", day_in(rng, im - 2), "事业单位招聘人员体检表", 3)
            cat.add("9-2", day_in(rng, im + 1), "事业单位工作人员聘用合同书", 4, optional=3)
        elif ident == "录用干部":
            refs.append(cat.add("9-2", day_in(rng, im - 1), "录用干部审批表", 2))
            cat.add("10", day_in(rng, im - 2), "录用干部体检表", 2)
        elif ident == "军队转业":
            refs.append(cat.add("9-2", day_in(rng, im - 1), "军队转业干部审批表", 4))
            cat.add("9-2", day_in(rng, im), "军队干部转业安置介绍信", 1, optional=3)
            if rng.random() < 0.7:
                cat.add("1", day_in(rng, im - 3), "军官登记表", 6, optional=3)
        self.identity_refs = [r for r in refs if r is not None]
        if self.pre_sector == "企业":
            cat.add("9-2", day_in(rng, wk), "招工登记表", 2)
        if self.pre_sector == "村官":
            cat.add("9-2", day_in(rng, wk - 1), "大学生村官选聘审批表", 2)
        if self.pre_sector == "军队":
            cat.add("9-2", day_in(rng, wk), "应征公民入伍批准书", 1)
        # 公务员登记 for civil servants in service in 2006
        if ident != "公务员录用" and self._sector_at(mi(2006, 6)) == "行政":
            cat.add("9-2", day_in(rng, mi(2006, rng.randint(8, 11))), "公务员登记表", 4, optional=2)
        # wages: first pay, the 1993 and 2006 reforms, 2015 adjustment
        cat.add("9-1", day_in(rng, wk + 1), "新参加工作人员工资审批表", 1)
        for month, name in ((mi(1993, 12), "工资制度改革套改审批表"), (mi(2006, 9), "公务员工资套改审批表"),
                            (mi(2015, 3), "工资调整审批表")):
            sector = self._sector_at(month)
            if wk < month - 3 and month <= w.end and sector in ("行政", "事业"):
                if name.startswith("公务员") and sector != "行政":
                    name = "事业单位工作人员收入分配制度改革工资套改表" if sector == "事业" else ""
                if name:
                    cat.add("9-1", day_in(rng, month), name, 1, optional=6)
        # posts: 任免审批表 (9-2), 考察材料 (3), 调动 (9-2)
        prev_org = None
        for span in self.spans:
            if span.sector in ("军队", "企业", "村官") or span.kind != "工作":
                continue
            first_org = span.org is not prev_org
            if first_org and prev_org is not None:
                if prev_org.sector == "事业" and span.org.sector == "行政":
                    cat.add("9-2", day_in(rng, span.start - 1), "公务员调任审批表", 2)
                    cat.add("9-2", day_in(rng, span.start + 1), "公务员登记表", 4, optional=2)
                else:
                    cat.add("9-2", day_in(rng, span.start - 1), "干部调动审批表", 2, optional=3)
            prev_org = span.org
            needs = needs_form(w, span)
            old_leader = span.level and span.level >= 3 and span.start < w.form_since and rng.random() < 0.6
            if needs or old_leader:
                made = day_in(rng, span.start, 1, 20)
                word = w.form_word if span.start >= mi(1995, 1) or rng.random() < 0.5 else "任免呈报表"
                form = cat.add("9-2", made, f"干部{word}（{span.title}）", 2)
                span.forms.append(form)
                self._competition(span)
                if span.level and span.level >= 3 and rng.random() < 0.8:
                    cat.add("3", day_in(rng, span.start - 1), f"干部考察材料（拟任{span.title}）", rng.randint(3, 6),
                            optional=5)
                if rng.random() < 0.3:
                    cat.add("9-1", day_in(rng, span.start + 1), "工资变动审批表", 1, optional=9)
        # army years
        if self.pre_sector == "军队":
            for span in self.spans:
                if span.sector == "军队" and span.title in ("排长", "副连长", "连长", "副营长", "营长"):
                    cat.add("9-2", day_in(rng, span.start), f"军官任职命令（{span.title}）", 1,
                            remark="复印件，加盖公章", optional=4)

    def _competition(self, span) -> None:
        """Now and then a post won by 竞争上岗, 公选 or 遴选, with the selection's materials in 9-2 (the seed: "公选、
        竞争上岗等反映干部人事制度改革的新型材料收集力度不够": one in four lacks its 任前公示, C505). Its own random
        stream, and materials added without the catalog's draws, so every other dossier comes out as before."""
        from .catalog import Mat

        rng = random.Random(f"任职方式-{self.number}-{span.start}")
        if not (span.level and span.level >= 3 and span.start >= mi(1998, 1) and rng.random() < 0.05):
            return
        span.how = rng.choice(("竞争上岗", "竞争上岗", "公选", "遴选"))
        kinds = [("报名登记表", 4, 2), ("笔试面试成绩通知", 2, 1), ("考察材料", 1, 4), ("任前公示情况报告", 0, 1)]
        if rng.random() < 0.25:
            kinds.pop()  # the 公示 never reached the file
        for name, before, pages in kinds:
            made = day_in(rng, span.start - before)
            if made >= self.cat.as_of:
                continue
            received = min(max(made + dt.timedelta(days=rng.randint(5, 30)), self.cat.arrival), self.cat.as_of)
            precision = 2 if received > made + dt.timedelta(days=28) else 3  # filed late: known to the month (as add)
            self.cat.items.append(Mat("9-2", made, f"{span.how}{name}（{span.title}）", pages, received, precision))

    def _misc(self):
        rng, w, cat = self.rng, self.w, self.cat
        wk = self.work
        # 1 干部履历表: on entry, and again every decade or so
        cat.add("1", day_in(rng, wk + rng.randint(2, 8)), "干部履历表", rng.choice((8, 8, 10, 12)))
        for year in (1999, 2009, 2018):
            if wk < mi(year - 2, 1) and rng.random() < 0.5:
                cat.add("1", day_in(rng, mi(year, rng.randint(3, 10))), "干部履历表", rng.choice((8, 10, 12)),
                        optional=6)
        # 2 自传 and party study materials
        cat.add("2", day_in(rng, wk + rng.randint(1, 10)), "自传", rng.randint(3, 9))
        if self.party_month is not None:
            for month, name in ((mi(2014, 9), "党的群众路线教育实践活动个人对照检查材料"),
                                (mi(2019, 12), "“不忘初心、牢记使命”主题教育检视剖析材料"),
                                (mi(2022, 1), "党史学习教育专题组织生活会个人检视剖析材料"),
                                (mi(2023, 12), "学习贯彻习近平新时代中国特色社会主义思想主题教育检视剖析材料")):
                if self.party_month < month - 6 and month <= w.end and rng.random() < 0.45:
                    cat.add("2", day_in(rng, month), name, rng.randint(3, 8), optional=7)
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
                cat.add("4-2", day_in(rng, m1), f"{word}评审表（{mid}）" if reviewed else f"{word}考试合格证明", 3)
                cat.add("4-2", day_in(rng, m1 + 1), f"{mid}资格证书复印件", 1, remark="复印件，加盖公章")
                self.pro_title = mid
                m2 = m1 + rng.randint(60, 110)
                if m2 <= w.end and rng.random() < 0.6:
                    cat.add("4-2", day_in(rng, m2), f"{word}任职资格评审表（{senior}）", 6)
                    self.pro_title = senior
                    if rng.random() < 0.4:
                        cat.add("4-3", day_in(rng, m2 - 1), "论文及科研成果目录", rng.randint(1, 3), optional=5)
        # 4-4 training
        if rng.random() < 0.6:
            m = max(wk + 12, mi(2008, 1)) + rng.randint(0, 80)
            if m <= w.end:
                cat.add("4-4", day_in(rng, m), rng.choice(("干部教育培训登记表", "任职培训结业证明", "学员学习鉴定表")),
                        2, optional=5)
        # 9-3 出国(境), 9-4 代表
        if rng.random() < 0.1 and wk < w.end - 60:
            m = rng.randint(max(wk + 24, mi(2004, 1)), w.end - 2) if max(wk + 24, mi(2004, 1)) < w.end - 2 else None
            if m:
                place = rng.choice(("泰国", "日本", "新加坡", "澳大利亚", "韩国", "马来西亚"))
                cat.add("9-3", day_in(rng, m), f"因私出国（境）审批表（{place}）", 2, optional=4)
        if self.level and self.level >= 5 and rng.random() < 0.4:
            m = mi(2021, rng.randint(8, 10))
            if m <= w.end and self.spans[-1].start <= m:
                cat.add("9-4", day_in(rng, m), f"中国共产党{CITY}市第十三次代表大会代表登记表", 2, optional=4)
        # 10 体检
        if rng.random() < 0.7:
            m = rng.randint(max(wk, mi(2010, 1)), w.end) if max(wk, mi(2010, 1)) <= w.end else None
            if m:
                cat.add("10", day_in(rng, m), "干部健康检查表", rng.randint(2, 4), optional=9)
        if self.identity[0] == "大中专毕业生派遣" and rng.random() < 0.5:
            cat.add("10", day_in(rng, wk, 1, 10), "新参加工作人员体检表", 2, optional=8)
