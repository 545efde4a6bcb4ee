"""One page per dossier, at dossier/<编号>/ (never in the navigation).

The page is kept out of Material's search: the search box finds people through the site's own index
(``people.py``: 编号, 姓名, 管档单位, 现任职务 and the names of 能力档案/考察 items). Family members are
never shown; the 身份证号 is masked.
"""

from __future__ import annotations

from pathlib import Path

from ...privacy import family_determination, mask_id
from ...rules.custody import described
from ..html import raw, slug, table, text
from ..model import Person, Site
from ..trail import Change
from .roster import highest_education

CLASSES = {  # 《干部档案工作条例》: the ten classes of the 档案目录
    "1": "第一类 履历材料",
    "2": "第二类 自传和思想材料",
    "3": "第三类 考核鉴定材料",
    "4": "第四类 学历学位、专业技术职务（职称）、学术评鉴和教育培训材料",
    "5": "第五类 政审、审计和审核材料",
    "6": "第六类 党、团材料",
    "7": "第七类 表彰奖励材料",
    "8": "第八类 违规违纪违法处理处分材料",
    "9": "第九类 工资、任免、出国和会议代表等材料",
    "10": "第十类 其他可供组织参考的材料",
}
EXCLUDED = " data-search-exclude"
NO_SEARCH = "search:\n  exclude: true\n"


def page_uri(person: Person) -> str:
    return f"dossier/{person.number}.md"


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _refs(value) -> str:
    return text("、".join(str(v) for v in _list(value)))


def _h2(anchor: str, title: str) -> str:
    return f'<h2 id="{anchor}"{EXCLUDED}>{title}</h2>'


def _section(anchor: str, title: str, *body: str) -> str:
    return raw(_h2(anchor, title), *body, attrs=EXCLUDED)


def _none(what: str = "无") -> str:
    return f'<p class="dangan-none">{what}</p>'


def _rows(items, keys) -> list[list[str]]:
    return [[text(item.get(k)) for k in keys] for item in _list(items) if isinstance(item, dict)]


def _basic(p: Person, s: Site) -> str:
    d = p.data
    age = p.age(s.as_of)
    idn = d.get("身份证号")
    status = d.get("干部身份") if isinstance(d.get("干部身份"), dict) else {}
    full = highest_education(p, s, "全日制")
    part = highest_education(p, s, "在职")
    pairs = [
        ("编号", text(d.get("编号") or p.number)), ("姓名", text(p.name)), ("性别", text(d.get("性别"))),
        ("出生年月", text(d.get("出生年月")) + (f"（{age}岁）" if age is not None else "")),
        ("民族", text(d.get("民族"))), ("籍贯", text(d.get("籍贯"))), ("出生地", text(d.get("出生地"))),
        ("身份证号", text(mask_id(idn)) if isinstance(idn, str) and idn else ""),
        ("政治面貌", text(d.get("政治面貌"))), ("入党时间", text(d.get("入党时间"))),
        ("参加工作时间", text(d.get("参加工作时间"))), ("健康状况", text(d.get("健康状况"))),
        ("专业技术职务", text(d.get("专业技术职务"))), ("熟悉专业有何专长", text(d.get("熟悉专业有何专长"))),
        ("全日制教育", text(full[1]) if full else ""), ("在职教育", text(part[1]) if part else ""),
        ("干部身份", text(" ".join(str(status.get(k) or "") for k in ("取得方式", "取得时间")).strip())),
        ("管档单位", text(p.unit)), ("档案类别", text(described(d))), ("现任职务", text(d.get("现任职务"))),
        ("职级", text(d.get("职级"))),
    ]
    cells = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in pairs)
    return _section("basic", "基本情况", f'<table class="dangan-facts"><tbody>{cells}</tbody></table>')


def _copy_note(d: dict) -> str:
    """The line under the heading of a 副本: what it is and where the 正本 is."""
    if d.get("档案类别") != "副本":
        return ""
    return (f'\n\n<p class="dangan-note dangan-copy"><strong>{text(described(d))}</strong>：本档案是干部所在单位保存的副本，'
            "由正本主要材料的复制件构成，随正本更新；关键信息以正本为准，认定由保管正本的单位作出"
            "（《干部人事档案工作条例》第二十二条）。</p>")


def _resume(p: Person) -> str:
    items = []
    for item in _list(p.data.get("简历")):
        if not isinstance(item, dict):
            continue
        end = item.get("截止")
        when = f"{text(item.get('起始'))}—{text(end) if end else '至今'}"
        extra = [f'<span class="dangan-tag">{text(item.get("性质"))}</span>' if item.get("性质") else "",
                 f'<span class="dangan-tag">{text(item.get("职级"))}</span>' if item.get("职级") else ""]
        during = "".join(f"<li>{text(x)}</li>" for x in _list(item.get("其间")))
        items.append(f'<li><span class="dangan-when">{when}</span> <span class="dangan-what">{text(item.get("内容"))}</span>'
                     f'{"".join(extra)}{f"<ul>{during}</ul>" if during else ""}</li>')
    body = f'<ol class="dangan-timeline">{"".join(items)}</ol>' if items else _none()
    return _section("resume", "简历", body)


def _education(p: Person) -> str:
    keys = ["类别", "学历", "学位", "毕业院校", "院系专业", "入学时间", "毕业时间"]
    rows = [[*r, _refs(item.get("依据"))] for r, item in
            zip(_rows(p.data.get("学历学位"), keys), [i for i in _list(p.data.get("学历学位")) if isinstance(i, dict)],
                strict=True)]
    return _section("education", "学历学位", table([*keys, "依据"], rows, "dangan-list") if rows else _none())


def _assessment(p: Person) -> str:
    items = [i for i in _list(p.data.get("年度考核")) if isinstance(i, dict)]
    rows = [[text(i.get("年度")), text(i.get("结果")), _refs(i.get("依据"))] for i in items]
    return _section("assessment", "年度考核", table(["年度", "结果", "依据"], rows, "dangan-list") if rows else _none())


def _rewards(p: Person) -> str:
    keys = ["类别", "名称", "时间", "批准机关", "事由", "文号", "解除时间"]
    rows = _rows(p.data.get("奖惩情况"), keys)
    return _section("rewards", "奖惩情况", table(keys, rows, "dangan-list") if rows else _none())


CAPABILITY = (("专业技术资格", "专业技术资格"), ("职业资格", "职业资格与注册考试"), ("学科带头人", "学科带头人等称号"),
              ("科研成果", "重大科研成果"))
SEARCH_EXTRA = 160  # characters of 能力档案 and 考察 names added to the search entry: keeps it well under 1 KB


def _inspection(p: Person) -> str:
    rows = []
    for item in _list(p.data.get("考察材料")):
        if not isinstance(item, dict):
            continue
        materials = "、".join(f"{m.get('名称')}" + (f"（{m.get('顺序号')}）" if m.get("顺序号") else "")
                             + (f"：{m.get('说明')}" if m.get("说明") else "")
                             for m in _list(item.get("材料")) if isinstance(m, dict))
        rows.append([text(item.get("考察时间")), text(item.get("拟任职务")), text(materials), text(item.get("结论"))])
    return _section("inspection", "考察材料",
                    table(["考察时间", "拟任职务", "材料（顺序号）", "结论"], rows, "dangan-list") if rows else _none())


def _capability(p: Person) -> str:
    cap = p.data.get("能力档案") if isinstance(p.data.get("能力档案"), dict) else {}
    blocks = []
    for key, title in CAPABILITY:
        items = [i for i in _list(cap.get(key)) if isinstance(i, dict)]
        if items:
            rows = [[text(i.get("名称")), text(i.get("时间")), text(i.get("授予机关")), _refs(i.get("依据"))] for i in items]
            blocks.append(f"<h3{EXCLUDED}>{title}</h3>")
            blocks.append(table(["名称", "时间", "授予机关", "依据"], rows, "dangan-list"))
    return _section("capability", "能力档案", '<p class="dangan-note">学历学位见上文。</p>',
                    *blocks) if blocks else _section("capability", "能力档案", _none())


def search_terms(data: dict) -> str:
    """Names from 能力档案 and 考察材料 for the dossier's one search entry (capped: the index stays small)."""
    cap = data.get("能力档案") if isinstance(data.get("能力档案"), dict) else {}
    names = [i.get("名称") for key, _ in CAPABILITY for i in _list(cap.get(key)) if isinstance(i, dict)]
    names += [i.get("拟任职务") for i in _list(data.get("考察材料")) if isinstance(i, dict)]
    out = " ".join(dict.fromkeys(n for n in names if isinstance(n, str)))
    return out[:SEARCH_EXTRA]


def _class_of(entry: dict) -> str:
    return str(entry.get("类号", "")).split("-")[0]


def _catalog(p: Person) -> str:
    entries = [e for e in _list(p.data.get("档案目录")) if isinstance(e, dict)]
    groups: dict[str, list[dict]] = {c: [] for c in CLASSES}
    for e in entries:
        groups.setdefault(_class_of(e), []).append(e)

    def pages(es):
        return sum(e["页数"] for e in es if type(e.get("页数")) is int and e["页数"] > 0)

    summary = [[text(CLASSES.get(c, f"类号 {c}")), str(len(es)), str(pages(es))] for c, es in groups.items()]
    summary.append(["<strong>合计</strong>", f"<strong>{len(entries)}</strong>", f"<strong>{pages(entries)}</strong>"])
    keys = ["类号", "序号", "材料名称", "形成时间", "页数", "接收时间", "备注"]
    details = []
    for c, es in groups.items():
        if es:
            details.append(f"<h3{EXCLUDED}>{text(CLASSES.get(c, f'类号 {c}'))}（{len(es)} 份，{pages(es)} 页）</h3>")
            details.append(table(keys, _rows(es, keys), "dangan-list"))
    return _section("catalog", "档案目录", table(["类别", "材料（份）", "页数"], summary, "dangan-catalog"), *details)


def _recorded(p: Person) -> str:
    """What the materials say of the key facts (记载) and alterations found on them (涂改): the 专项审核's evidence.
    A free 记载 about the family is not shown (the site never names relatives)."""
    rows = []
    for e in _list(p.data.get("档案目录")):
        if not isinstance(e, dict) or not (isinstance(e.get("记载"), dict) or e.get("涂改")):
            continue
        said = []
        for key, value in (e.get("记载") or {}).items():
            if key == "其他":
                for o in value if isinstance(value, list) else []:
                    if isinstance(o, dict):
                        about = str(o.get("项目", ""))
                        hidden = any(w in about for w in ("家庭", "亲属", "父", "母", "配偶", "妻", "夫", "子女"))
                        said.append(f"{about}：{'（不在站点上显示）' if hidden else o.get('值', '')}")
            else:
                said.append(f"{key}：{value}")
        altered = [f"{a.get('部位', '')}（所涉 {a.get('所涉项目', '')}）："
                   + ("经查属涂改造假" if a.get("造假") is True else str(a.get("处理", "")))
                   for a in _list(e.get("涂改")) if isinstance(a, dict)]
        rows.append([text(f"{e.get('类号')}-{e.get('序号')}"), text(e.get("材料名称")), text(e.get("形成时间")),
                     text("；".join(said)) or "—", text("；".join(altered)) or "—"])
    body = table(["顺序号", "材料名称", "形成时间", "记载", "涂改"], rows, "dangan-list") if rows else \
        _none("档案目录中还没有记下材料记载的关键信息（dangan material 编号 顺序号 --records 项目=值）")
    return _section("records", "材料记载与涂改", body)


def _determinations(p: Person) -> str:
    keys = ["项目", "原值", "认定值"]
    tail = ["认定机关", "认定日期", "文号", "说明"]
    items = [family_determination(i) for i in _list(p.data.get("认定记录")) if isinstance(i, dict)]
    rows = [[*(text(i.get(k)) for k in keys), _refs(i.get("依据")), *(text(i.get(k)) for k in tail)] for i in items]
    return _section("determinations", "认定记录", table([*keys, "依据", *tail], rows, "dangan-list") if rows else _none())


def verdict(c: Change) -> str:
    if c.undone:
        return text(c.undone)
    if c.authorised is None:
        return "—"
    if c.authorised:
        return f"已认定 {text(c.basis)}".strip()
    return f'<strong class="dangan-bad">未经认定</strong> {text(c.basis)}'.strip()


def _trail(changes: list[Change] | None) -> str:
    if changes is None:
        return _section("trail", "改动记录", _none("暂无（本档案库没有可读的 Git 历史）"))
    if not changes:
        return _section("trail", "改动记录", _none("Git 历史中没有这份档案的改动"))
    rows = [[text(c.date), text(c.commit), text(c.author), text(c.kind), text(c.field), text(c.before), text(c.after),
             verdict(c)] for c in changes]
    return _section("trail", "改动记录",
                    '<p class="dangan-note">Git 历史中这份档案的每一处改动，自近至远；受保护的字段（出生年月、参加工作时间、'
                    '入党时间、学历学位等）须有认定记录。家庭成员的改动不显示内容。</p>',
                    table(["时间", "提交", "提交人", "类型", "字段", "原值", "新值", "认定"], rows, "dangan-list"))


def _findings(p: Person) -> str:
    if not p.findings:
        return _section("findings", "检查结果", _none("未发现问题"))
    rows = [[f'<span class="dangan-{"error" if f.is_error else "warning"}">{text(f.severity)}</span>', text(f.code),
             str(f.line), text(f.message)] for f in p.findings]
    return _section("findings", "检查结果", table(["级别", "代码", "行", "说明"], rows, "dangan-list"))


def dossier_page(p: Person, s: Site, changes: list[Change] | None, form_href: str | None = None) -> str:
    d = p.data
    heading = f"{text(p.number)} {text(p.name)}".strip()
    keys = " · ".join(v for v in (text(p.unit), text(d.get("现任职务")),
                                   "副本" if d.get("档案类别") == "副本" else "") if v)
    # the heading and this line are all the search box shows of a dossier: it reads its own index (people.py),
    # the page itself stays out of Material's search
    head = (f'<h1 id="top">{heading}</h1>\n\n'
            f'<p class="dangan-keys">{keys}</p>' + _copy_note(d))
    if not p.readable:
        return f"---\ntitle: 档案 {p.number}\n{NO_SEARCH}hide:\n  - toc\n---\n\n{head}\n\n文件无法读取，请管档人员按检查结果改正。\n\n{_findings(p)}\n"
    nav = raw('<p class="dangan-toc">'
              + " · ".join(f'<a href="#{a}">{t}</a>' for a, t in (
                  ("basic", "基本情况"), ("resume", "简历"), ("education", "学历学位"), ("assessment", "年度考核"),
                  ("rewards", "奖惩情况"), ("inspection", "考察材料"), ("capability", "能力档案"),
                  ("catalog", "档案目录"), ("records", "材料记载"), ("determinations", "认定记录"),
                  ("trail", "改动记录"), ("findings", "检查结果")))
              + (f' · <a href="{form_href}">干部任免审批表（打印）</a>' if form_href else "")
              + (f' · <a href="../../pretrial/{stem}/">任前审核</a>' if (stem := slug(Path(p.rel).stem)) else "")
              + "</p>", attrs=EXCLUDED)
    sections = [nav, _basic(p, s), _resume(p), _education(p), _assessment(p), _rewards(p), _inspection(p),
                _capability(p), _catalog(p), _recorded(p),
                _determinations(p), _trail(changes), _findings(p)]
    return f"---\ntitle: 档案 {p.number}\n{NO_SEARCH}hide:\n  - toc\n---\n\n{head}\n\n" + "\n\n".join(sections) + "\n"
