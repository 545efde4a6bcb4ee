"""Issue 18: .lrmx in the shapes the public writers produce, every bundled dossier round-tripped through each,
and the findings of the outside check (../shared/findings/interchange.md §1) through the real CLI."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from conftest import FULL_ID, PROJECT
from dangan.codes import CodeTables
from dangan.forms.importer import _split_school, to_dossier
from dangan.forms.lrmx import export_lrmx, read_lrmx
from dangan.forms.model import form_model, retirement_month
from dangan.load import load_file

DAY = dt.date(2026, 11, 25)
CODES = CodeTables.read(PROJECT / "schema")
BUNDLED = sorted((PROJECT / "dossiers").glob("C*.yaml"))
PART_TIME_WORDS = ("在职", "函授", "党校")


# ---------------------------------------------------------------- the writers' shapes (findings §0, S1–S6)


def canonical(raw: bytes) -> bytes:
    return raw


def rmeditor(raw: bytes) -> bytes:
    """peer B's saveLrmx: ``<?xml?>`` first, the literal "&#xD;" it showed saved as "&amp;#xD;" (finding 1.4)."""
    text = raw.decode("utf-8").replace("&#xD;", "&amp;#xD;")
    return ("<?xml?>" + text.split("\n", 1)[1].join(["\n", ""])).encode("utf-8")


def rmb_helper(raw: bytes) -> bytes:
    """peer A's LrmxFile.save: the CR is lost, lines end in LF only."""
    return raw.replace(b"&#xD;\n", b"\n")


def hxoms(raw: bytes) -> bytes:
    """hxoms rmTableToFile: JianLi after XianRenZhiWu, raw CRLF, empty elements as <X/>."""
    text = raw.decode("utf-8")
    jianli = re.search(r"  <JianLi>.*?</JianLi>\n", text, re.S).group(0)
    text = text.replace(jianli, "")
    text = re.sub(r"(  <XianRenZhiWu>.*?</XianRenZhiWu>\n)", lambda m: m.group(1) + jianli, text, count=1, flags=re.S)
    text = re.sub(r"<([A-Za-z_]+)></\1>", r"<\1/>", text)
    return text.replace("&#xD;\n", "\r\n").replace("\n", "\r\n").replace("\r\r\n", "\r\n").encode("utf-8")


def jaxb(raw: bytes) -> bytes:
    """ZHGBSYS (JAXB): standalone="yes", no Version, the family block after ShenFenZheng, "(无)" for none."""
    text = raw.decode("utf-8").replace('encoding="utf-8"?>', 'encoding="UTF-8" standalone="yes"?>')
    family = re.search(r"  <JiaTingChengYuan>.*?</JiaTingChengYuan>\n", text, re.S).group(0)
    text = text.replace(family, "")
    text = re.sub(r"(  <ShenFenZheng>.*?</ShenFenZheng>\n)", lambda m: m.group(1) + family, text, count=1)
    text = re.sub(r"  <Version>.*?</Version>\n", "", text)
    return text.replace("<JiangChengQingKuang>无</JiangChengQingKuang>",
                        "<JiangChengQingKuang>(无)</JiangChengQingKuang>").encode("utf-8")


def owip(raw: bytes) -> bytes:
    """owip zzb(): a BOM, Version 3.2.1.6, family Items without whitespace."""
    text = raw.decode("utf-8").replace("<Version>3.2.1.16</Version>", "<Version>3.2.1.6</Version>")
    text = re.sub(r">\s+<(/?)(Item|ChengWei|XingMing|ChuShengRiQi|ZhengZhiMianMao|GongZuoDanWeiJiZhiWu)\b",
                  lambda m: f"><{m.group(1)}{m.group(2)}", text)
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def gbk(raw: bytes) -> bytes:
    """A GBK file that says so (gb2312)."""
    return raw.decode("utf-8").replace('encoding="utf-8"', 'encoding="gb2312"').encode("gb18030")


SHAPES = {f.__name__: f for f in (canonical, rmeditor, rmb_helper, hxoms, jaxb, owip, gbk)}


def _same(entry: dict | None, keys) -> tuple:
    return tuple((entry or {}).get(k) for k in keys)


def _top(entries: list[dict], kind: str) -> dict | None:
    mine = [e for e in entries if e.get("类别") == kind]
    return max(mine, key=lambda e: CODES.education_level.get(e.get("学历") or "", 0), default=None)


def _near(a: str | None, b: str | None, months: int = 2) -> bool:
    from dangan.dates import month_index

    x, y = month_index(a), month_index(b)
    return x is not None and y is not None and abs(x - y) <= months


def compare(original: dict, back: dict) -> list[str]:
    """What the form carries and came back different (the format's own limits aside: findings §2)."""
    diffs = []
    for key in ("姓名", "性别", "出生年月", "民族", "籍贯", "出生地", "身份证号", "入党时间", "参加工作时间", "健康状况",
                "专业技术职务", "熟悉专业有何专长", "现任职务"):
        if original.get(key) != back.get(key):
            diffs.append(f"{key}: {original.get(key)!r} → {back.get(key)!r}")
    resume = [(*_same(e, ("起始", "截止", "内容")), tuple(e.get("其间") or ())) for e in original["简历"]]
    if resume != [(*_same(e, ("起始", "截止", "内容")), tuple(e.get("其间") or ())) for e in back["简历"]]:
        diffs.append("简历")
    rewards = [_same(e, ("类别", "名称", "时间", "批准机关", "解除时间")) for e in original["奖惩情况"]]
    if rewards != [_same(e, ("类别", "名称", "时间", "批准机关", "解除时间")) for e in back["奖惩情况"]]:
        diffs.append("奖惩情况")
    recent = sorted((e["年度"], e["结果"]) for e in original["年度考核"])[-3:]
    if recent != [(e["年度"], e["结果"]) for e in back["年度考核"]]:
        diffs.append("年度考核")
    family = [(*_same(m, ("称谓", "姓名", "出生年月", "政治面貌", "工作单位及职务")), m.get("已故") is True)
              for m in original["家庭成员"]]
    back_family = [(*_same(m, ("称谓", "姓名", "出生年月", "工作单位及职务")), m.get("已故") is True)
                   for m in back["家庭成员"]]
    if [f[:3] + f[4:] for f in family] != back_family:
        diffs.append("家庭成员")
    for kind in ("全日制", "在职"):
        a, b = _top(original["学历学位"], kind), _top(back["学历学位"], kind)
        if a is None:
            continue
        if b is None or _same(a, ("学历", "毕业院校", "院系专业")) != _same(b, ("学历", "毕业院校", "院系专业")):
            diffs.append(f"{kind}学历: {_same(a, ('学历', '毕业院校', '院系专业'))} → {_same(b, ('学历', '毕业院校', '院系专业'))}")
            continue
        # taken from the 简历 when one line clearly is this study, never from another line: the start is the
        # 入学时间, the end the 简历's (a study line may end a month after 毕业, when the next post begins)
        start, end = b.get("入学时间"), b.get("毕业时间")
        if start is not None and (start != a.get("入学时间") or not _near(end, a.get("毕业时间"))):
            diffs.append(f"{kind}学历: {a.get('入学时间')}–{a.get('毕业时间')} → {start}–{end} (wrong line of 简历)")
    return diffs


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_bundled_dossier_round_trips_through_every_shape(shape):
    """export → the writer's shape → import keeps what the form carries, for all 48 bundled dossiers."""
    assert len(BUNDLED) >= 48
    problems, dated = {}, 0
    for path in BUNDLED:
        data = load_file(path).data
        raw = SHAPES[shape](export_lrmx(form_model(data, DAY, codes=CODES)))
        back = to_dossier(read_lrmx(raw), CODES)
        diffs = compare(data, back)
        if diffs:
            problems[path.name] = diffs
        dated += sum(1 for e in back["学历学位"] if e.get("入学时间"))
    assert problems == {}
    assert dated >= 48  # the 简历 gives the dates of most degrees (at least one per dossier on average)


def test_rmeditor_save_reads_with_a_note():
    raw = export_lrmx(form_model(load_file(BUNDLED[0]).data, DAY, codes=CODES))
    parsed, direct = read_lrmx(rmeditor(raw)), read_lrmx(raw)
    assert b"&amp;#xD;" in rmeditor(raw) and "\n" in direct.values["JianLi"]
    assert parsed.values == direct.values and parsed.family == direct.family
    assert any("<?xml?>" in n for n in parsed.notes) and any("&#xD;" in n for n in parsed.notes)
    assert not direct.notes


def test_schools_and_resume_lines_as_found():
    """Finding 1.9: 至今, full-width digits, inline and indented 其间, （现…） and 函授学院."""
    assert _split_school("晋东南师范专科学校（现长治学院）数学教育专业") == ("晋东南师范专科学校（现长治学院）", "数学教育专业")
    assert _split_school("中南财经大学（现中南财经政法大学）会计系") == ("中南财经大学（现中南财经政法大学）", "会计系")
    assert _split_school("中央党校函授学院法律专业") == ("中央党校函授学院", "法律专业")
    assert _split_school("山西大学经济管理学院会计学专业") == ("山西大学", "经济管理学院会计学专业")
    jianli = ("１９９２．０９——１９９６．０７  山西大学经济系学习\n"
              "1996.07--2012.03  山西省长治市城区东街街道办事处科员（其间：2001.09--2004.07在中央党校函授学院学习）\n"
              "2012.03--2021.01  长治市某局副局长\n"
              "    （2013.09--2016.07在山西大学在职研究生学习）\n"
              "2021.01至今  某街道副主任")
    doc = to_dossier(read_lrmx(_person(JianLi=jianli)), CODES)
    assert [(e["起始"], e["截止"], e["内容"], e.get("其间")) for e in doc["简历"]] == [
        ("1992.09", "1996.07", "山西大学经济系学习", None),
        ("1996.07", "2012.03", "山西省长治市城区东街街道办事处科员", ["2001.09--2004.07在中央党校函授学院学习"]),
        ("2012.03", "2021.01", "长治市某局副局长", ["2013.09--2016.07在山西大学在职研究生学习"]),
        ("2021.01", None, "某街道副主任", None)]
    assert [e["性质"] for e in doc["简历"]] == ["学习", "工作", "工作", "工作"]


def _person(**fields) -> bytes:
    values = {"XingMing": "王小明", "XingBie": "男", "ChuShengNianYue": "197003", "MinZu": "汉族", **fields}
    body = "".join(f"  <{k}>{v}</{k}>\n" for k, v in values.items())
    return f'<?xml version="1.0" encoding="utf-8"?>\n<Person>\n{body}</Person>\n'.encode()


def test_retirement_month_follows_the_2024_decision():
    rule = {"起始": "2025.01", "男": {"原退休年龄": 60, "每几个月延迟一个月": 4, "延迟上限月数": 36},
            "女": {"原退休年龄": 55, "每几个月延迟一个月": 4, "延迟上限月数": 36}}
    # the decision's table: 男 1965.01–04 → 60岁1个月; 1965.05 → 60岁2个月; 1976.09 and later → 63岁; before: 60
    assert retirement_month("1964.12", "男", rule) == "2024.12"
    assert retirement_month("1965.01", "男", rule) == "2025.02"
    assert retirement_month("1965.04", "男", rule) == "2025.05"
    assert retirement_month("1965.05", "男", rule) == "2025.07"
    assert retirement_month("1976.05", "男", rule) == "2039.04"  # 62岁11个月
    assert retirement_month("1976.09", "男", rule) == "2039.09"
    assert retirement_month("1990.03", "男", rule) == "2053.03"
    assert retirement_month("1970.01", "女", rule) == "2025.02"  # 55岁1个月
    assert retirement_month("1990.03", "女", rule) == "2048.03"
    assert retirement_month("", "男", rule) is None and retirement_month("1970.01", "", rule) is None


# ---------------------------------------------------------------- through the real CLI


def empty_office(root: Path, env) -> Path:
    from conftest import git

    root.mkdir()
    shutil.copytree(PROJECT / "schema", root / "schema")
    (root / "dossiers").mkdir()
    git(["init", "-q", "-b", "main"], root, env)
    return root


def _export(repo, run, env, number, out) -> bytes:
    code, _, err = run(["lrmx", "export", number, "-o", out], repo, env)
    assert code == 0, err
    return out.read_bytes()


def test_folder_of_every_shape_imports_recursively_with_a_summary(run, env, tmp_path):
    """`lrmx import DIR`: every .lrmx/.lrm below, each shape of a bundled dossier, a summary table at the end."""
    office = empty_office(tmp_path / "office", env)
    folder = tmp_path / "收件"
    people = [load_file(p).data for p in BUNDLED[:3]]
    for shape, fn in SHAPES.items():
        sub = folder / shape
        sub.mkdir(parents=True)
        for data in people:
            (sub / f"{data['编号']}.lrmx").write_bytes(fn(export_lrmx(form_model(data, DAY, codes=CODES))))
    (folder / "说明.txt").write_text("not a form", "utf-8")
    (folder / "坏的.LRMX").write_bytes(b"<Person><XingMing>x</Person>")
    code, out, err = run(["lrmx", "import", folder, "--archive-unit", "市委组织部"], office, env)
    assert code == 1, out + err
    assert "汇总：" in err and "已导入\t3" in err and "拒绝\t19" in err, err
    assert "拒绝原因\t18\t已有档案 …（身份证号相同）" in err and "拒绝原因\t1\tXML 格式错误：标签不配对" in err, err
    assert "坏的.LRMX: 拒绝：第 1 行" in out
    assert "共 22 个文件：3 个成功，19 个拒绝。" in err
    assert not FULL_ID.search(out + err)
    assert len(list((office / "dossiers").glob("*.yaml"))) == 3


def test_rmeditor_file_updates_nothing_and_brings_the_2025_fields(repo, run, env, tmp_path):
    """Findings 1.4 and 1.6: a file saved by RMeditor is read (no literal &#xD;, 其间 not merged); --update keeps
    the 2025 fields in the sidecar, and the next export writes them back."""
    raw = _export(repo, run, env, "C000001", tmp_path / "a.lrmx")
    text = rmeditor(raw).decode("utf-8").replace(
        "  <JianKangZhuangKuang>", "  <DaoLingNianYue>204909</DaoLingNianYue>\n  <JianKangZhuangKuang>", 1)
    text = text.replace("  <JiSuanNianLingShiJian>",
                        "  <GaiGeQianRenZhiNianLingJieXian>改革前任职年龄界限为60岁</GaiGeQianRenZhiNianLingJieXian>\n"
                        "  <JiSuanNianLingShiJian>", 1)
    (tmp_path / "b.lrmx").write_text(text, "utf-8")
    before = (repo / "dossiers" / "C000001.yaml").read_bytes()
    code, out, err = run(["lrmx", "import", "--update", tmp_path / "b.lrmx"], repo, env)
    assert code == 0, out + err
    assert "已更新" in out and "interchange/C000001.lrmx.xml" in out and "<?xml?>" in out
    assert (repo / "dossiers" / "C000001.yaml").read_bytes() == before  # the dossier itself: nothing changed
    again = _export(repo, run, env, "C000001", tmp_path / "c.lrmx").decode("utf-8")
    assert "<DaoLingNianYue>204909</DaoLingNianYue>" in again
    assert "<GaiGeQianRenZhiNianLingJieXian>改革前任职年龄界限为60岁</GaiGeQianRenZhiNianLingJieXian>" in again
    code, out, err = run(["lrmx", "import", "--update", tmp_path / "b.lrmx"], repo, env)
    assert code == 0 and "无变化" in out, out + err


def test_export_computes_the_retirement_month_and_marks_the_deceased(repo, run, env, tmp_path):
    """Findings 1.5 and 1.6: DaoLingNianYue from the policy; 已故 written where the other readers look for it."""
    path = repo / "dossiers" / "C000002.yaml"
    shutil.copy(PROJECT / "dossiers" / "C000001.yaml", path)  # a bundled dossier with a deceased parent
    text = path.read_text("utf-8").replace("编号: C000001", "编号: C000002", 1)
    path.write_text(text, "utf-8")
    data = load_file(path).data
    member = next(m for m in data["家庭成员"] if m.get("已故"))
    unit = member["工作单位及职务"]
    plain = re.sub("[（(]?(已故|已去世|去世|病故)[）)]?", "", unit)
    path.write_text(text.replace(unit, plain, 1), "utf-8")
    out = _export(repo, run, env, "C000002", tmp_path / "a.lrmx").decode("utf-8")
    assert f"<GongZuoDanWeiJiZhiWu>{plain}（已故）</GongZuoDanWeiJiZhiWu>" in out
    expected = retirement_month(data["出生年月"], data["性别"], load_file(repo / "schema" / "policy.yaml").data["到龄"])
    assert f"<DaoLingNianYue>{expected.replace('.', '')}</DaoLingNianYue>" in out
    assert out.index("<CanJiaGongZuoShiJian>") < out.index("<DaoLingNianYue>") < out.index("<JianKangZhuangKuang>")
    # and back: the （已故） we added is not a change of the unit's text
    code, res, err = run(["lrmx", "import", "--update", tmp_path / "a.lrmx"], repo, env)
    assert code == 0 and "无变化" in res, res + err


def test_assessments_as_generators_write_them_and_a_note_when_unread(repo, run, env, tmp_path):
    """Finding 1.3b: the 乐陵 generator's 年度考核 phrasing and others; text that gives nothing is said so."""
    cases = {"a": "2020年年度考核合格;2021年年度考核优秀;2022年年度考核合格。",
             "b": "2021年至2023年年度考核均为称职", "c": "2022年度被评为优秀", "d": "历年考核情况良好"}
    for name, value in cases.items():
        (tmp_path / f"{name}.lrmx").write_bytes(_person(XingMing=f"王{name}", NianDuKaoHeJieGuo=value))
    code, out, err = run(["lrmx", "import", *[tmp_path / f"{n}.lrmx" for n in cases], "--archive-unit", "市财政局"],
                         repo, env)
    assert code == 0, out + err
    got = {load_file(p).data["姓名"]: [(e["年度"], e["结果"]) for e in load_file(p).data["年度考核"]]
           for p in (repo / "dossiers").glob("C00000[2-9].yaml")}
    assert got["王a"] == [(2020, "合格"), (2021, "优秀"), (2022, "合格")]
    assert got["王b"] == [(2021, "称职"), (2022, "称职"), (2023, "称职")]
    assert got["王c"] == [(2022, "优秀")] and got["王d"] == []
    assert "“历年考核情况良好”中认不出年度和等次，未导入" in out


def test_degree_dates_match_school_and_level(repo, run, env, tmp_path):
    """Finding 1.3c: 在职本科 takes the 本科 line, not the 大专 line of the same school; a job line never counts."""
    jianli = ("1987.09--1990.07  山西省长治师范学校普师专业学习\n"
              "1990.07--2008.05  长治市某局科员\n"
              "  （其间：1992.09--1996.01 在中央党校函授学院经济管理专业在职大专学习）\n"
              "  （其间：2000.09--2003.07 在中央党校函授学院经济管理专业函授本科学习）\n"
              "2008.05--  中央党校函授学院长治分院教师")
    raw = _person(JianLi=jianli, QuanRiZhiJiaoYu_XueLi="中专", QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi="长治师范学校普师专业",
                  ZaiZhiJiaoYu_XueLi="大学", ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi="中央党校函授学院经济管理专业",
                  ZaiZhiJiaoYu_XueWei="在职研究生", ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi="")
    (tmp_path / "a.lrmx").write_bytes(raw)
    code, out, err = run(["lrmx", "import", tmp_path / "a.lrmx", "--archive-unit", "市财政局"], repo, env)
    assert code == 0, out + err
    edu = {e["类别"]: e for e in load_file(repo / "dossiers" / "C000002.yaml").data["学历学位"]}
    assert (edu["在职"]["毕业院校"], edu["在职"]["院系专业"]) == ("中央党校函授学院", "经济管理专业")
    assert (edu["在职"]["入学时间"], edu["在职"]["毕业时间"]) == ("2000.09", "2003.07")
    assert (edu["全日制"]["入学时间"], edu["全日制"]["毕业时间"]) == ("1987.09", "1990.07")


def test_photos_as_web_editors_and_old_files_give_them(repo, run, env, tmp_path):
    """Finding 1.10: a data: URI photo is read; an .LRM's photo is found whatever the case of .PIC."""
    import base64

    from conftest import real_jpeg
    from dangan.forms.photo import accept

    jpeg = real_jpeg()
    (tmp_path / "a.lrmx").write_bytes(_person(ZhaoPian="data:image/jpeg;base64," + base64.b64encode(jpeg).decode()))
    fields = [""] * 33
    fields[0], fields[1], fields[2] = "李小红", "女", "197504"
    (tmp_path / "B.LRM").write_bytes(('"' + '","'.join(fields) + '"').encode("gb18030"))
    (tmp_path / "B.PIC").write_bytes(jpeg)
    code, out, err = run(["lrmx", "import", tmp_path / "a.lrmx", tmp_path / "B.LRM", "--archive-unit", "市财政局"],
                         repo, env)
    assert code == 0, out + err
    stored = accept(jpeg).data  # decoded and written afresh: the same pixels, no metadata
    assert (repo / "photos" / "C000002.jpg").read_bytes() == stored == (repo / "photos" / "C000003.jpg").read_bytes()


def test_owip_school_under_xueli_and_major_under_xuewei_are_one_study():
    """Finding 1.9 (S2): owip writes 院校系 under …_XueLi_BiYeYuanXiaoXi and the major alone under …_XueWei_…: one
    entry with its 学位, not a second one whose 毕业院校 is "会计学"."""
    doc = to_dossier(read_lrmx(_person(
        QuanRiZhiJiaoYu_XueLi="大学", QuanRiZhiJiaoYu_XueWei="经济学学士",
        QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi="山西财经大学会计学院", QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi="会计学",
        ZaiZhiJiaoYu_XueLi="研究生", ZaiZhiJiaoYu_XueWei="管理学硕士",
        ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi="山西大学", ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi="山西大学")), CODES)
    shown = [(e["类别"], e.get("学位"), e.get("毕业院校"), e.get("院系专业")) for e in doc["学历学位"]]
    assert shown == [("全日制", "经济学学士", "山西财经大学", "会计学院会计学"), ("在职", "管理学硕士", "山西大学", None)]
    assert all(e["学历"] for e in doc["学历学位"])
    # two schools, the 学位 from the second: still two entries (a degree taken elsewhere)
    doc = to_dossier(read_lrmx(_person(
        ZaiZhiJiaoYu_XueLi="大学", ZaiZhiJiaoYu_XueWei="法学硕士",
        ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi="中央党校函授学院法律专业", ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi="山西大学法学院")),
        CODES)
    assert [(e.get("学位"), e.get("毕业院校")) for e in doc["学历学位"]] == [(None, "中央党校函授学院"), ("法学硕士", "山西大学")]


def test_rewards_written_as_prose_are_split_with_date_and_body():
    """Finding 1.9: free-text 奖惩 — each award with its 时间 and 批准机关; what cannot be read stays whole."""
    from dangan.forms.importer import _rewards

    text = ("2019年09月，经长治市人民政府批准，授予“优秀公务员”称号；2021年6月经中共长治市委决定，记三等功。\n"
            "2023.05，受到党内警告处分\n"
            "多次被评为先进工作者")
    assert [(r["类别"], r["名称"], r["时间"], r["批准机关"]) for r in _rewards(text)] == [
        ("奖励", "授予“优秀公务员”称号", "2019.09", "长治市人民政府"),
        ("奖励", "记三等功", "2021.06", "中共长治市委"),
        ("处分", "受到党内警告处分", "2023.05", None),
        ("奖励", "多次被评为先进工作者", None, None)]
    assert [r["时间"] for r in _rewards("2019.09 记三等功（长治市人民政府）")] == ["2019.09"]  # the export's own shape


def test_gbk_bytes_under_a_utf8_declaration_are_refused_with_the_cause(repo, run, env, tmp_path):
    """Finding 1.7 / V-variants: the file says UTF-8 (or nothing) and is GBK: refused with its place and the cause."""
    for name, head in (("a.lrmx", '<?xml version="1.0" encoding="utf-8"?>\n'), ("b.lrmx", "")):
        path = tmp_path / name
        path.write_bytes((head + "<Person>\n  <XingMing>王小明</XingMing>\n</Person>\n").encode("gbk"))
        code, out, err = run(["lrmx", "import", path, "--archive-unit", "市财政局"], repo, env)
        text = out + err
        assert code == 1 and "Traceback" not in text, text
        assert "GBK" in text and 'encoding="GBK"' in text and "行" in text, text
    path = tmp_path / "c.lrmx"  # the same file declared as what it is reads
    path.write_bytes('<?xml version="1.0" encoding="GBK"?>\n<Person>\n  <XingMing>王小明</XingMing>\n  <XingBie>男</XingBie>\n'
                     '  <ChuShengNianYue>197003</ChuShengNianYue>\n</Person>\n'.encode("gbk"))
    code, out, err = run(["lrmx", "import", path, "--archive-unit", "市财政局"], repo, env)
    assert code == 0 and "已导入" in out + err, out + err


def test_owip_education_and_prose_rewards_through_the_cli(repo, run, env, tmp_path):
    """Findings 1.9 (S2 education, free-text 奖惩) through `dangan lrmx import`: what lands in the dossier file."""
    path = tmp_path / "owip.lrmx"
    path.write_bytes(_person(
        QuanRiZhiJiaoYu_XueLi="大学", QuanRiZhiJiaoYu_XueWei="经济学学士",
        QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi="山西财经大学会计学院", QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi="会计学",
        JiangChengQingKuang="2019年09月，经长治市人民政府批准，授予“优秀公务员”称号；2021年6月经中共长治市委决定，记三等功。"))
    code, out, err = run(["lrmx", "import", path, "--archive-unit", "市财政局"], repo, env)
    assert code == 0 and "Traceback" not in out + err, out + err
    data = load_file(repo / "dossiers" / "C000002.yaml").data
    assert [(e.get("学位"), e.get("毕业院校"), e.get("院系专业")) for e in data["学历学位"]] == [
        ("经济学学士", "山西财经大学", "会计学院会计学")]
    assert [(r["名称"], r["时间"], r["批准机关"]) for r in data["奖惩情况"]] == [
        ("授予“优秀公务员”称号", "2019.09", "长治市人民政府"), ("记三等功", "2021.06", "中共长治市委")]
