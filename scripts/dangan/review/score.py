"""新任干部档案评分 (the transfer-in gate): the policy's 100-point rubric, veto items and grades.

Every number is in schema/policy.yaml under 新任干部档案评分; this module only knows how to apply
each kind of rule. Heuristics (documented in docs/manual/review.md):

- 涂改造假: any unauthorised alteration of this dossier in the Git trail, or a commit whose version of
  it fails the check (the pre-commit hook was skipped).
- 装错材料: a catalog entry's 材料名称 contains the 姓名 of another cadre in this repository (names
  of two or more characters; names that are part of the cadre's own name are ignored).
- 送交时间: days from the 形成时间 of the latest 9-2 任免审批表 to its 接收时间.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..dates import add_months, parse_day, parse_partial
from ..dates import today as default_today
from ..errors import UsageError
from ..rules import items
from ..rules.custody import COPY, described, kind
from . import Case, rubric

EXCELLENT, PASS, FAIL = "优秀", "合格", "不合格"


@dataclass
class Deduction:
    item: str
    points: float
    reason: str


@dataclass
class Score:
    number: str
    name: str
    unit: str
    received: str  # 接收时间 of the latest 任免审批表 ("" if none)
    days: int | None
    total: float
    grade: str
    deductions: list[Deduction] = field(default_factory=list)
    vetoes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    frozen: dict | None = None  # the intake record (转递登记) this score was frozen in, if any
    reviewer: list[dict] = field(default_factory=list)  # items for the reviewer to judge (规则 评分人评定): no deduction
    custody: dict = field(default_factory=dict)  # 档案类别 (and 正本保管单位 of a 副本) of the dossier: custody_of

    def custody_line(self) -> str:
        """档案类别 as the header of the score sheet shows it ("" when not known)."""
        return described(self.custody) if self.custody else ""

    def as_dict(self) -> dict:
        return {"编号": self.number, "姓名": self.name, "管档单位": self.unit, **self.custody, "接收时间": self.received,
                "送交天数": self.days, "得分": num(self.total), "等次": self.grade,
                "扣分": [{"项目": d.item, "扣分": num(d.points), "理由": d.reason} for d in self.deductions],
                "单项否决": self.vetoes, "说明": self.notes,
                "评分人评定": [{"项目": i["名称"], "分值": num(points(i["分值"])), "标准": i.get("标准", ""),
                           "扣分办法": i.get("扣分办法", "")} for i in self.reviewer],
                **({"转入评定": {k: self.frozen.get(k) for k in ("通知单号", "来自", "日期")}
                    | {"评分人": self.frozen["新任评分"].get("评分人")}} if self.frozen else {})}

    def record(self, reviewer: str) -> dict:
        """The score as the intake record keeps it (新任评分 in ledgers/转递.yaml): frozen, never recomputed."""
        out: dict = {"得分": stored(self.total), "等次": self.grade}
        if self.days is not None:
            out["送交天数"] = self.days
        out["扣分"] = [{"项目": d.item, "扣分": stored(d.points), "理由": d.reason[:200]} for d in self.deductions]
        out["单项否决"] = [v[:300] for v in self.vetoes]
        out["评分人"] = reviewer
        return out


def custody_of(data: dict) -> dict:
    """{档案类别: 正本} or {档案类别: 副本, 正本保管单位: …} of a dossier (rules/custody)."""
    if kind(data) != COPY:
        return {"档案类别": kind(data)}
    at = data.get("正本保管单位")
    return {"档案类别": COPY, "正本保管单位": at if isinstance(at, str) else None}


def stored(x: float) -> int | str:
    """Points as the ledger keeps them: an integer, or text such as "97.5" (YAML here has no floats)."""
    return int(x) if float(x).is_integer() else f"{x:g}"


points = rubric.points


def from_record(entry: dict, number: str) -> Score:
    """The frozen score of an intake record (转入 with 新任评分)."""
    rec = entry["新任评分"]
    s = Score(number, str(entry.get("姓名", "")), str(entry.get("来自", "")),
              str(entry.get("到达日期") or entry.get("日期") or ""), rec.get("送交天数"), points(rec["得分"]), rec["等次"],
              [Deduction(d["项目"], points(d["扣分"]), d["理由"]) for d in rec.get("扣分") or []],
              list(rec.get("单项否决") or []))
    s.frozen = entry
    return s


def with_frozen(scores: dict[str, Score], entries: list[dict]) -> dict[str, Score]:
    """Each received dossier's score replaced by the one frozen in its intake record (grade and the 通报 read these)."""
    return {n: frozen(entries, n) or s for n, s in scores.items()}


def frozen(entries: list[dict], number: str) -> Score | None:
    """The latest intake record of this dossier that holds a frozen score."""
    for e in reversed(entries):
        if e.get("方向") == "转入" and e.get("编号") == number and isinstance(e.get("新任评分"), dict):
            return from_record(e, number)
    return None


def num(x: float):
    return int(x) if float(x).is_integer() else round(x, 2)


def grade_of(total: float, vetoed: bool, policy) -> str:
    """优秀 ≥ 优秀线; 合格 ≥ 合格线 (and below 优秀线); else 不合格. A veto is 不合格 whatever the score."""
    bands = policy["新任干部档案评分"]["等次"]
    if vetoed or total < bands["合格"]:
        return FAIL
    return EXCELLENT if total >= bands["优秀"] else PASS


def appointment_form(data: dict, policy) -> dict | None:
    """The latest 9-2 任免审批表 by 形成时间 (ties: the later 序号)."""
    conf = policy.get("完整性", "任免审批表", default={}) or {}
    cls, names = conf.get("类号", "9-2"), conf.get("材料名称包含", ["任免审批表"])
    forms = [e for e in items(data, "档案目录") if isinstance(e, dict) and str(e.get("类号")) == cls
             and isinstance(e.get("材料名称"), str) and any(n in e["材料名称"] for n in names)
             and parse_partial(e.get("形成时间"))]
    return max(forms, key=lambda e: (parse_partial(e["形成时间"])[0], e.get("序号") or 0), default=None)


@dataclass
class Names:
    """Every cadre's 姓名 → 编号, with one pattern matching any of them (longest first)."""

    numbers: dict[str, str]
    pattern: re.Pattern | None

    @classmethod
    def of(cls, numbers: dict[str, str]) -> Names:
        usable = sorted((n for n in numbers if len(n) >= 2), key=lambda n: (-len(n), n))
        return cls(numbers, re.compile("|".join(map(re.escape, usable))) if usable else None)


def misfiled(data: dict, number: str, names: Names) -> list[str]:
    """Catalog entries naming another cadre of the repository (a match inside the cadre's own name is not one)."""
    own = data.get("姓名") if isinstance(data.get("姓名"), str) else ""
    out = []
    if names.pattern is None:
        return out
    for e in items(data, "档案目录"):
        title = e.get("材料名称") if isinstance(e, dict) else None
        if not isinstance(title, str):
            continue
        for m in names.pattern.finditer(title):
            name = m.group()
            if name not in own and names.numbers.get(name) != number:
                out.append(f"{e.get('类号')}-{e.get('序号')}《{title}》含另一名干部的姓名“{name}”（{names.numbers[name]}）")
    return out


def civil_servant(data: dict, conf: dict) -> str:
    """Why the cadre counts as a 公务员 or 参公 (the policy's 公务员或参公), or "" when not."""
    rule = conf.get("公务员或参公") or {}
    status = data.get("干部身份") if isinstance(data.get("干部身份"), dict) else {}
    post = data.get("现任职务") if isinstance(data.get("现任职务"), str) else ""
    if data.get("职级") in rule.get("职级", []):
        return f"职级为{data['职级']}（公务员职级）"
    if status.get("取得方式") in rule.get("取得方式", []):
        return f"干部身份取得方式为{status['取得方式']}"
    if post and not any(w in post for w in rule.get("现任职务不含", [])) \
            and any(w in post for w in rule.get("现任职务包含", [])):
        return f"现任职务“{post}”在机关或参公单位"
    return ""


def overdue(days_or_start: tuple[dt.date | None, int | None], sent: dt.date | None, step: dict) -> bool:
    """The 报送 came later than the step allows: more than 超过月数 months (calendar months) or 超过天数 days."""
    start, days = days_or_start
    if "超过月数" in step:
        return start is not None and sent is not None and sent > add_months(start, int(step["超过月数"]))
    return days is not None and days > step["超过天数"]


def _limit(step: dict) -> str:
    return f"{step['超过月数']} 个月" if "超过月数" in step else f"{step['超过天数']} 天"


@dataclass(frozen=True)
class Judged:
    """A deduction the reviewer made on paper (dangan score/transfer in --deduct 项目=分[:理由])."""

    item: str
    points: float
    reason: str


def judged_of(texts: list[str], policy) -> list[Judged]:
    """``项目=分[:理由]`` → Judged, checked against the policy's items (exit 2 on a bad one)."""
    rubric_items = {i["名称"]: i for i in policy["新任干部档案评分"]["项目"]}
    out = []
    for text in texts:
        name, eq, rest = text.partition("=")
        value, _sep, why = rest.replace("：", ":").partition(":")
        name = name.strip()
        if not eq or name not in rubric_items:
            raise UsageError(f"--deduct “{text}”：写作 项目=分[:理由]，项目是政策文件“新任干部档案评分”的项目名称之一："
                             + "、".join(f"“{n}”" for n in rubric_items), 2)
        try:
            cut = float(value.strip())
        except ValueError:
            cut = -1.0
        cap = points(rubric_items[name]["分值"])
        if cut <= 0 or cut > cap or (cut * 2) != int(cut * 2):
            raise UsageError(f"--deduct “{text}”：{name} 的扣分应在 0.5 至 {num(cap)} 分之间，按 0.5 分计", 2)
        out.append(Judged(name, cut, why.strip()))
    return out


def intake_count(entries: list[dict], number: str) -> tuple[int, int] | None:
    """(目录页数, 实收页数) of the latest 转入 of this dossier whose 接收审核 recorded the page count (接收清点)."""
    for e in reversed(entries):
        review = e.get("接收审核") if e.get("方向") == "转入" and e.get("编号") == number else None
        if isinstance(review, dict):
            listed, got = review.get("目录页数"), review.get("实收页数")
            if isinstance(listed, int) and isinstance(got, int):
                return listed, got
    return None


def score(case: Case, policy, names: Names, delivery: tuple[str, str] | None = None,
          today: dt.date | None = None, judged: list[Judged] | None = None,
          count: tuple[int, int] | None = None) -> Score:
    """``delivery`` (at intake): (任命 day, 报送 day), the interval 送交时间 measures; without it, the latest
    任免审批表's 形成时间 to its 接收时间 (what the file alone can tell). ``today``: the day the file is judged
    (年度考核 due so far); at intake the 报送 day. ``judged``: the reviewer's deductions, under their items (within
    each item's cap, after the automatic ones); on an item marked 否决 any such deduction is a veto. ``count``:
    (目录页数, 实收页数) counted at intake (接收清点), what the rule 接收清点 reads; None: not counted."""
    conf = policy["新任干部档案评分"]
    data = case.data
    facts = case.key_facts(policy)
    form = appointment_form(data, policy)
    days = None
    start: dt.date | None = None
    sent: dt.date | None = None
    if delivery is not None:
        sent = parse_day(delivery[1])
        start = parse_day(delivery[0])
        if start is None and form is not None and sent is not None:  # no 任免日期: the incoming 任免审批表, if recent
            made = parse_partial(form["形成时间"])[0]
            start = made if add_months(sent, -int(conf.get("统计月数", 12))) < made <= sent else None
        days = (sent - start).days if start and sent else None
    elif form is not None and (sent := parse_day(form.get("接收时间"))):
        start = parse_partial(form["形成时间"])[0]
        days = (sent - start).days
    as_of = (parse_day(delivery[1]) if delivery else None) or today or default_today()
    received = delivery[1] if delivery else str(form.get("接收时间", "")) if form else ""
    s = Score(case.number, str(data.get("姓名", "")), str(data.get("管档单位", "")), received, days, 0, "")
    s.custody = custody_of(data)
    full = 0.0
    ranks: dict[str, int] | None = None
    for item in conf["项目"]:
        full += points(item["分值"])
        raw: list[tuple[float, str]] = []
        rule = item["规则"]
        if rule == "送交时间":
            if days is None:
                s.notes.append("没有任免日期，也没有近期的任免审批表，送交时间不扣分" if delivery
                               else "没有任免审批表或其接收时间，送交时间不扣分")
            else:
                if delivery is None:
                    s.notes.append("不是转入时评定：送交时间按最近一份任免审批表从形成到接收计算（报送日期只在转入登记中）")
                hit = [t for t in conf["送交时间"] if overdue((start, days), sent, t)]
                if hit:
                    worst = max(hit, key=lambda t: points(t["扣分"]))
                    what = "任命后" if delivery else "任免审批表形成后"
                    raw.append((points(worst["扣分"]),
                                f"{what} {days} 天才{'报送' if delivery else '接收'}（超过 {_limit(worst)}）"))
        elif rule == "问题代码":
            prefixes = tuple(item.get("代码前缀", []))
            raw += [(points(item.get("每处扣分", 1)), f"{f.code} {f.message}") for f in case.findings if f.code.startswith(prefixes)]
        elif rule == "缺少依据":
            raw += [(points(item.get("每处扣分", 1)), f"{f.name}没有原始依据材料") for f in facts if f.applicable and f.missing]
        elif rule == "须有材料":
            raw += list(rubric.must_be_present(data, item))
        elif rule == "逐条依据":
            ranks = rubric.rank_levels_of(policy) if ranks is None else ranks
            raw += list(rubric.entry_by_entry(data, item, ranks))
        elif rule == "材料著录":
            raw += list(rubric.recorded(data, item))
        elif rule == "年度考核":
            raw += list(rubric.assessments(data, item, policy, as_of))
        elif rule == "评分人评定":
            s.reviewer.append(item)
        elif rule == "接收清点":
            s.reviewer.append(item)  # what the count cannot tell (乱页、损坏; 脱页 too when nothing was counted)
            if count is not None:
                listed, got = count
                if got < listed:
                    raw.append((points(item.get("每处扣分", 1)),
                                f"脱页：接收清点实收 {got} 页，目录列 {listed} 页（少 {listed - got} 页）"))
                else:
                    s.notes.append(f"〔{item['名称']}〕接收清点实收 {got} 页，目录列 {listed} 页：没有脱页")
        else:
            raise ValueError(f"政策文件 新任干部档案评分.项目 的规则“{rule}”未知")
        mine = [j for j in judged or [] if j.item == item["名称"]]
        raw += [(j.points, "评分人评定" + (f"：{j.reason}" if j.reason else "")) for j in mine]
        if mine and item.get("否决"):
            s.vetoes.append(f"{item['名称']}（评分人评定）：" + ("；".join(j.reason for j in mine if j.reason) or "不符合要求"))
        left = points(item["分值"])
        for cut, reason in raw:  # each item's deduction is capped at its own points
            take = min(cut, left)
            left -= take
            if take > 0:
                s.deductions.append(Deduction(item["名称"], take, reason + ("" if take == cut else "（本项已扣满）")))
            else:
                s.notes.append(f"〔{item['名称']}〕{reason}（本项已扣满，不再扣分）")
    for veto in conf["单项否决"]:
        kind = veto["条件"]
        if kind == "未经认定的改动":
            evidence = [f"{a.date} 提交 {a.commit} 改动 {a.label}" for a in case.unauthorised] \
                + [f"提交 {c} 跳过了提交前检查" for c in case.bypassed]
        elif kind == "装错材料":
            evidence = misfiled(data, case.number, names)
        elif kind == "问题代码":
            evidence = [f"{f.code} {f.message}" for f in case.findings if f.code in veto.get("代码", [])
                        and veto.get("说明包含", "") in f.message]
        elif kind == "缺少材料":
            evidence = ([f"{who}，档案中没有《{veto['材料名称包含'][0]}》"] if (who := civil_servant(data, conf))
                        and not rubric.present(data, veto) else [])
        else:
            raise ValueError(f"政策文件 新任干部档案评分.单项否决 的条件“{kind}”未知")
        if evidence:
            s.vetoes.append(f"{veto['名称']}：" + "；".join(evidence[:3]) + (f"等 {len(evidence)} 处" if len(evidence) > 3 else ""))
    s.total = full - sum(d.points for d in s.deductions)
    s.grade = grade_of(s.total, bool(s.vetoes), policy)
    if not case.history:
        s.notes.append("没有可读的 Git 历史：涂改造假一项未能核对")
    return s


def names_of(cases: list[Case]) -> Names:
    """姓名 → 编号 of every cadre (a name shared by two cadres names neither: it cannot tell them apart)."""
    seen: dict[str, list[str]] = {}
    for c in cases:
        if isinstance(c.data.get("姓名"), str):
            seen.setdefault(c.data["姓名"], []).append(c.number)
    return Names.of({n: ks[0] for n, ks in seen.items() if len(ks) == 1})


def recent(s: Score, as_of: dt.date, months: int) -> bool:
    """The latest 任免审批表 was received within ``months`` before ``as_of``."""
    got = parse_day(s.received)
    return got is not None and add_months(as_of, -months) < got <= as_of


def text(s: Score) -> str:
    if s.frozen:
        e = s.frozen
        out = [f"新任干部档案评分：{s.number} {s.name}（报送单位 {s.unit}）",
               f"转入时评定（通知单 {e.get('通知单号')}，{e.get('日期')}，评分人 {e['新任评分'].get('评分人')}）："
               "按接收时的档案评分，此后不再重算",
               f"报送时间：{s.received or '无'}" + (f"，任命后 {s.days} 天" if s.days is not None else "")]
    else:
        out = [f"新任干部档案评分：{s.number} {s.name}（{s.unit}）",
               f"任免审批表接收时间：{s.received or '无'}" + (f"，送交 {s.days} 天" if s.days is not None else "")]
    out += ([f"档案类别：{s.custody_line()}"] if s.custody else []) + [""]
    out += [f"  扣 {num(d.points)} 分  〔{d.item}〕{d.reason}" for d in s.deductions] or ["  无扣分"]
    out += [f"  单项否决：{v}" for v in s.vetoes]
    out += [f"  说明：{n}" for n in s.notes]
    if s.reviewer:
        out += ["", "须由评分人评定的项目（档案数据判断不了，未自动扣分）："]
        out += [f"  〔{i['名称']}〕{num(points(i['分值']))} 分：{i.get('标准', '')}"
                + (f"（{i['扣分办法']}）" if i.get("扣分办法") else "") for i in s.reviewer]
    out += ["", f"得分：{num(s.total)}    等次：{s.grade}", ""]
    out += [] if s.frozen else ["初审人：__________  复核人：__________  复审人：__________  日期：__________", ""]
    return "\n".join(out)


def unit_text(unit: str, scores: list[Score], months: int) -> str:
    out = [f"{unit}：最近 {months} 个月新任干部档案 {len(scores)} 份"]
    for s in scores:
        out.append(f"  {s.number} {s.name}  接收 {s.received}  得分 {num(s.total)}  {s.grade}"
                   + (f"  否决：{'；'.join(s.vetoes)}" if s.vetoes else ""))
    if scores:
        avg = sum(s.total for s in scores) / len(scores)
        counts = {g: sum(s.grade == g for s in scores) for g in (EXCELLENT, PASS, FAIL)}
        out.append(f"平均 {num(round(avg, 2))} 分；" + "，".join(f"{g} {n} 份" for g, n in counts.items()))
    return "\n".join(out) + "\n"
