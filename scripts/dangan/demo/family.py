"""The family (家庭成员): spouse, children and parents, with their jobs."""

from __future__ import annotations

from ..dates import month_text as _mt
from .common import CITY, cn_number, mi
from .names import ELDER_FEMALE, ELDER_MALE, given_name, surname
from .orgs import COUNTIES
from .state import PersonState


class FamilyMixin(PersonState):
    """家庭成员 drawn for the person's age, sex and generation."""

    def _family(self) -> list[dict]:
        rng, w = self.rng, self.w
        members: list[dict] = []
        age = self._age(self.birth)
        married = rng.random() < (0.94 if age >= 28 else 0.6)
        spouse_surname = surname(rng)
        if married:
            gap = rng.choice((0, 1, 1, 2, 2, 3, 4))
            sb = self.birth + (gap * 12 if self.male else -gap * 12) + rng.randint(-6, 6)
            sb = min(sb, w.end - 20 * 12)
            members.append({"称谓": "妻子" if self.male else "丈夫",
                            "姓名": spouse_surname + given_name(rng, not self.male, self.birth_year >= 1985),
                            "出生年月": _mt(sb), "政治面貌": rng.choice(("中共党员", "中共党员", "群众", "群众", "群众")),
                            "工作单位及职务": self._job(sb, not self.male)})
            kids = []
            k1 = self.birth + rng.randint(25 * 12, 33 * 12)
            if k1 <= w.end - 3 and rng.random() < 0.95:
                kids.append(k1)
                k2 = k1 + rng.randint(24, 110)
                if k2 <= w.end - 3 and (k2 >= mi(2016, 3) or self.ethnic != "汉族") and rng.random() < 0.4:
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
                members.append({"称谓": call, "姓名": family_name + given_name(rng, boy, True), "出生年月": _mt(kb),
                                "政治面貌": "共青团员" if 14 <= kage <= 27 else "群众",
                                "工作单位及职务": self._child_job(kage, boy)})
        for father in (True, False):
            pb = self.birth - rng.randint(22 * 12, 34 * 12) - (rng.randint(0, 36) if father else 0)
            page = self._age(pb)
            dead = page >= 66 and rng.random() < min(0.9, (page - 60) / 35)
            name = (self.surname + rng.choice(ELDER_MALE)) if father else \
                (surname(rng) + rng.choice(ELDER_FEMALE))
            job = rng.choice((f"{self._place_text()}农民", f"{CITY}钢铁公司职工", f"{CITY}市第{cn_number(rng.randint(1, 9))}中学教师",
                              f"{CITY}市供销合作社职工", f"{self._place_text()}供销社职工", "个体经营"))
            if dead:
                job = ("原" if not job.endswith("农民") and job != "个体经营" else "") + job + "（已去世）"
            elif page >= (60 if father else 55) and not job.endswith("农民") and job != "个体经营":
                job += "（已退休）"
            member: dict[str, str | bool] = {"称谓": "父亲" if father else "母亲", "姓名": name, "出生年月": _mt(pb),
                      "政治面貌": "中共党员" if rng.random() < 0.3 else "群众", "工作单位及职务": job}
            if dead:
                member["已故"] = True
            members.append(member)
        return members

    def _place_text(self) -> str:
        county = self.rng.choice(COUNTIES)
        return f"山西省{county}"

    def _age(self, month: int) -> int:
        return (self.w.now - month) // 12

    def _job(self, birth: int, male: bool) -> str:
        rng = self.rng
        jobs = (f"{CITY}市第{cn_number(rng.randint(1, 12))}中学教师", f"{CITY}市人民医院护士", f"{CITY}市潞州区人民法院干部",
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
            return f"{CITY}市第{cn_number(rng.randint(1, 12))}中学学生"
        if age < 18:
            return f"{CITY}市第{cn_number(rng.randint(1, 3))}中学学生"
        if age < 23:
            return rng.choice(("山西大学", "太原理工大学", "中北大学", "山西医科大学", "郑州大学", "西北大学")) + "学生"
        return rng.choice((f"{CITY}市某某科技有限公司职员", "太原市某某公司职员", "北京某某公司职员", "待业",
                           f"{CITY}市某某小学教师", "研究生在读"))
