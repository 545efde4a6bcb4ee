"""Appraisal: annual assessments (年度考核), rewards and a rare sanction (奖惩), the 专项审核 with its 认定."""

from __future__ import annotations

import datetime as dt

from ..dates import day_text as _dt
from ..dates import month_text as _mt
from .catalog import mat_list
from .common import CITY, day_in, mi
from .orgs import CITY_GOV
from .state import PersonState


class AppraisalMixin(PersonState):
    """年度考核, 奖惩情况 and 认定记录, with their materials."""

    def _plan_sanction(self):
        """A rare 政务处分, long enough ago to have been lifted, with no promotion while it ran."""
        rng, w = self.rng, self.w
        self.sanction = None
        if rng.random() >= 0.035:
            return
        kind, months = rng.choice((("警告", 6), ("记过", 12)))
        lo, hi = max(self.work + 24, mi(2005, 1)), w.end - months - 12
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
            sector = self._sector_at(mi(y, 6))
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
            made = day_in(rng, mi(y + 1, 1), 5, 28) if rng.random() < 0.7 else day_in(rng, mi(y + 1, 2), 1, 25)
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
            m = mi(self.merit + 3, rng.randint(3, 6))
            if m <= w.end:
                mat = cat.add("7", day_in(rng, m), "记三等功审批表", 2)
                out.append(self._reward("记三等功", m, CITY_GOV, "长政发",
                                        f"{self.merit}—{self.merit + 2} 年度连续三年年度考核被确定为优秀等次", mat))
        for y, (res, sector) in sorted(self.results.items()):
            if res == "优秀" and sector == "行政" and y >= 2008 and rng.random() < 0.25 and len(out) < 2:
                m = mi(y + 1, rng.randint(2, 4))
                span = self._span_at(m)
                if m <= w.end and span is not None and span.org is not None:
                    mat = cat.add("7", day_in(rng, m), "嘉奖审批表", 1)
                    out.append(self._reward("嘉奖", m, span.org.approver, span.org.code,
                                            f"{y} 年度考核被确定为优秀等次", mat))
        pool = [("先进工作者", CITY_GOV, "长政发", 4, "在全市经济社会发展工作中成绩突出"),
                ("优秀公务员", CITY_GOV, "长政发", 3, "在公务员队伍建设中表现突出")]
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
            lo = max(self.work + 24, mi(2003, 1))
            if name.startswith("抗击"):
                lo = mi(2020, 9)
            elif name.startswith("脱贫"):
                lo = mi(2020, 12)
            if lo > w.end - 2:
                continue
            m = mi(rng.randint(lo // 12, (w.end - 2) // 12), month)
            if m < lo or m > w.end or any(r["时间"] == _mt(m) for r in out):
                continue
            if name == "优秀公务员" and self._sector_at(m) != "行政":
                continue
            if self.sanction and self.sanction[0] <= m <= self.sanction[1] + 12:
                continue
            mat = cat.add("7", day_in(rng, m), f"{name}表彰审批表" if "先进" in name else f"{name}登记表", 2)
            out.append(self._reward(name, m, approver, code, why, mat))
        if self.sanction:
            m, lift, kind, span = self.sanction
            if m >= mi(2018, 3):
                approver, code = f"{CITY}市监察委员会", "长监发"
            else:
                approver, code = span.org.approver if span.org else CITY_GOV, span.org.code if span.org else "长政发"
            d = day_in(rng, m)
            decision = cat.add("8", d, f"关于给予{self.name}同志{kind}处分的决定", 2, key=(m, 0))
            cat.add("8", d, "本人对处分决定的意见", 1, key=(m, 1))
            cat.add("8", day_in(rng, m - 1), "调查报告", rng.randint(3, 6), key=(m, 2))
            if rng.random() < 0.6:
                cat.add("8", day_in(rng, m - 1), "本人检讨", rng.randint(2, 4), key=(m, 3))
            lifted = cat.add("8", day_in(rng, lift), f"关于解除{self.name}同志{kind}处分的决定", 1, key=(lift, 0))
            why = rng.choice(("违反工作纪律，在项目资金审核工作中把关不严", "违反中央八项规定精神，公车私用",
                              "工作失职，对所管理的专项资金监管不力", "违反廉洁纪律，违规收受礼金"))
            out.append({"类别": "处分", "种类": "政务处分", "名称": kind, "时间": _mt(m), "批准机关": approver, "事由": why,
                        "文号": f"{code}〔{m // 12}〕{rng.randint(2, 60)}号", "解除时间": _mt(lift),
                        "依据": mat_list(decision, lifted)})
        out.sort(key=lambda r: r["时间"])
        self.rewards = out

    def _reward(self, name, m, approver, code, why, mat) -> dict:
        return {"类别": "奖励", "名称": name, "时间": _mt(m), "批准机关": approver, "事由": why,
                "文号": f"{code}〔{m // 12}〕{self.rng.randint(3, 120)}号", "依据": mat_list(mat)}

    def _determinations(self):
        """专项审核 (class 5) for everyone in service in 2015–2017 or at intake; some with a 认定 of a key fact."""
        rng, w, cat = self.rng, self.w, self.cat
        self.determined = []
        if self.work < mi(2015, 6):
            m = rng.randint(mi(2015, 9), mi(2017, 10))
        else:
            m = self.identity[1] + rng.randint(1, 5)
        if m > w.end or rng.random() < 0.12:
            return
        audit = cat.add("5", day_in(rng, m), "干部人事档案专项审核认定表", rng.randint(2, 4))
        if audit is None or rng.random() > 0.22:
            return
        if self.key == "潞州":
            org, code = (f"中共{CITY}市潞州区委组织部", "潞组审") if m >= mi(2019, 1) else \
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
        self.determined.append({"项目": fact, "原值": _mt(old), "认定值": _mt(new), "依据": mat_list(audit, basis),
                                "认定机关": org, "认定日期": _dt(day),
                                "文号": f"{code}〔{m // 12}〕{rng.randint(3, 80)}号", "说明": why})
