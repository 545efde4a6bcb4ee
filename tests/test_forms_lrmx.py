"""`dangan lrmx export|import`: the public samples, every file variant LRMX.md lists, hostile XML,
the older GBK .lrm, --update through the trail rules, and byte-stable round trips."""

from __future__ import annotations

import base64
import datetime as dt
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import DATA, FULL_ID, PROJECT, git, real_jpeg
from dangan.codes import CodeTables
from dangan.forms.importer import to_dossier
from dangan.forms.lrmx import LrmxError, export_lrmx, read_lrmx
from dangan.forms.model import form_model
from dangan.forms.photo import accept
from dangan.load import load_file

SAMPLES = DATA / "lrmx"
BLANKS = ["Nemo2898__ProfileEditor/templates/blank.xml", "Nemo2898__ProfileEditor/副本.xml",
          "xvchaoqun__owip/src/main/resources/xml/adform/rm.xml"]
PEOPLE = ["makui1__rmb_helper/tests/zhangsan.lrmx", "makui1__rmb_helper/tests/test.lrmx"]
DAY = dt.date(2026, 11, 25)
JPEG = real_jpeg()


def dossiers(repo: Path) -> set[str]:
    return {p.name for p in (repo / "dossiers").iterdir()}


def minimal(**fields) -> bytes:
    values = {"XingMing": "王小明", "XingBie": "男", "ChuShengNianYue": "197003", "MinZu": "汉族",
              "ShenFenZheng": "", **fields}
    body = "".join(f"  <{k}>{v}</{k}>\n" for k, v in values.items())
    return f'<?xml version="1.0" encoding="utf-8"?>\n<Person>\n{body}</Person>\n'.encode()


def test_public_samples_parse(repo, run, env):
    """Every public sample reads without error; the blank skeletons are empty and refused for want of 姓名."""
    for rel in BLANKS:
        parsed = read_lrmx((SAMPLES / rel).read_bytes())
        assert not any(parsed.values.values()) and parsed.family == []
    code, out, err = run(["lrmx", "import", *[SAMPLES / r for r in BLANKS + PEOPLE], "--archive-unit", "市财政局"], repo, env)
    assert code == 1, err
    assert out.count("拒绝：没有姓名（XingMing 为空）") == 3
    assert out.count("已导入") == 2
    assert "DaoLingNianYue" in out  # the 2025 field is kept, and said so
    assert not FULL_ID.search(out + err)
    assert dossiers(repo) == {"C000001.yaml", "C000002.yaml", "C000003.yaml"}
    data = load_file(repo / "dossiers" / "C000002.yaml").data
    assert data["姓名"] == "张三" and data["出生年月"] == "1990.01" and data["入党时间"] == "2015.06"
    assert data["简历"][0]["起始"] == "2012.07" and data["简历"][1]["截止"] is None
    assert data["家庭成员"][0]["出生年月"] == "1992.05"
    mother = load_file(repo / "dossiers" / "C000003.yaml").data["家庭成员"]
    assert [m.get("已故") for m in mother] == [True, True, None]
    # the kept elements go back out on export
    code, out, err = run(["lrmx", "export", "C000002", "-o", repo / "z.lrmx"], repo, env)
    assert code == 0, err
    text = (repo / "z.lrmx").read_text("utf-8")
    assert "<DaoLingNianYue>205501</DaoLingNianYue>" in text
    assert text.index("<CanJiaGongZuoShiJian>") < text.index("<DaoLingNianYue>") < text.index("<JianKangZhuangKuang>")


HOSTILE = {
    "billion_laughs": b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
                      b' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
                      b' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
                      b"<Person><XingMing>&lol3;</XingMing></Person>\n",
    "external_entity": b'<?xml version="1.0"?>\n<!DOCTYPE Person [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
                       b"<Person><XingMing>&xxe;</XingMing></Person>\n",
    "external_dtd": b'<?xml version="1.0"?>\n<!DOCTYPE Person SYSTEM "http://example.invalid/x.dtd">\n'
                    b"<Person><XingMing>Wang</XingMing></Person>\n",
    "parameter_entity": b'<?xml version="1.0"?>\n<!DOCTYPE Person [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n'
                        b"<Person><XingMing>Wang</XingMing></Person>\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_xml_is_refused(name, repo, run, env, tmp_path):
    path = tmp_path / f"{name}.lrmx"
    path.write_bytes(HOSTILE[name])
    with pytest.raises(LrmxError):
        read_lrmx(HOSTILE[name])
    code, out, err = run(["lrmx", "import", path], repo, env)
    assert code == 1 and "拒绝" in out, out + err
    assert "root:" not in out and "Traceback" not in err
    assert dossiers(repo) == {"C000001.yaml"}


def test_broken_xml_gives_line_and_column(repo, run, env, tmp_path):
    path = tmp_path / "broken.lrmx"
    path.write_bytes(b'<?xml version="1.0" encoding="utf-8"?>\n<Person>\n  <XingMing>W</XingBie>\n</Person>\n')
    code, out, _ = run(["lrmx", "import", path], repo, env)
    assert code == 1 and "第 3 行第" in out and "标签不配对" in out


def test_file_variants(repo, run, env, tmp_path):
    """BOM, whitespace-only values, <X/>, any order, comments, 8-digit and dotted dates, free-text 入党时间."""
    body = ("\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- 注释 -->\n<Person>\n"
            "  <Version>3.2.1.6</Version>\n  <ChuShengNianYue>19700315</ChuShengNianYue><!-- 出生 -->\n"
            "  <XingMing> 王 小明 </XingMing>\n  <RuDangShiJian>200107；民盟</RuDangShiJian>\n"
            "  <CanJiaGongZuoShiJian>1992.7</CanJiaGongZuoShiJian>\n  <NiRenZhiWu/>\n  <TianBiaoRen>\n  </TianBiaoRen>\n"
            "  <WeiZhiZiDuan><A>1</A></WeiZhiZiDuan>\n"
            "  <JianLi>1988.09—1992.07  山西大学中文系汉语言文学专业学习\r\n1992.07--  山西省长治市某局科员\r\n"
            "（其间：1995.09--1998.07 在中央党校函授学院学习）</JianLi>\n"
            "  <JiaTingChengYuan>\n    <Item><ChengWei>妻子</ChengWei><XingMing>李梅</XingMing>"
            "<ChuShengRiQi>1972-05-01</ChuShengRiQi><ZhengZhiMianMao>群众</ZhengZhiMianMao>"
            "<GongZuoDanWeiJiZhiWu>某单位职工</GongZuoDanWeiJiZhiWu></Item>\n"
            "    <Item><ChengWei/><XingMing> </XingMing></Item>\n  </JiaTingChengYuan>\n</Person>\n")
    path = tmp_path / "variant.lrmx"
    path.write_bytes(body.encode("utf-8"))
    code, out, err = run(["lrmx", "import", path, "--archive-unit", "市财政局"], repo, env)
    assert code == 0, out + err
    assert "丢弃了本系统不认识的元素 <WeiZhiZiDuan>" in out + err
    data = load_file(repo / "dossiers" / "C000002.yaml").data
    assert data["姓名"] == "王小明" and data["出生年月"] == "1970.03" and data["参加工作时间"] == "1992.07"
    assert data["入党时间"] == "2001.07" and data["政治面貌"] == "中共党员"
    assert [e["起始"] for e in data["简历"]] == ["1988.09", "1992.07"]
    assert data["简历"][1]["其间"] == ["1995.09--1998.07 在中央党校函授学院学习"]
    assert data["家庭成员"] == [{"称谓": "妻子", "姓名": "李梅", "出生年月": "1972.05", "政治面貌": "群众",
                             "工作单位及职务": "某单位职工"}]
    code, out, err = run(["lrmx", "export", "C000002", "-o", tmp_path / "out.lrmx", "--as-of", "2026.11.25"], repo, env)
    assert code == 0, err
    text = (tmp_path / "out.lrmx").read_text("utf-8")
    assert "<RuDangShiJian>200107；民盟</RuDangShiJian>" in text  # the free text survives
    assert "<Version>3.2.1.6</Version>" in text
    assert "WeiZhiZiDuan" not in text  # an element this system does not know is reported and dropped, not kept
    assert "<JiSuanNianLingShiJian>20261125</JiSuanNianLingShiJian>" in text


def test_export_format(repo, run, env, tmp_path):
    (repo / "photos").mkdir()
    (repo / "photos" / "C000001.jpg").write_bytes(JPEG)
    path = repo / "dossiers" / "C000001.yaml"
    path.write_bytes(path.read_bytes() + '照片: "photos/C000001.jpg"\n'.encode())
    code, out, err = run(["lrmx", "export", "C000001", "-o", tmp_path / "a.lrmx", "--ni-ren", "某局局长",
                          "--reason", "工作需要", "--unit", "中共长治市委", "--filled-on", "2026.11.20"], repo, env)
    assert code == 0, err
    assert not FULL_ID.search(out + err)
    raw = (tmp_path / "a.lrmx").read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<Person>\n  <XingMing>')
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    tags = [line.strip()[1:].split(">")[0] for line in text.splitlines()[2:] if line.startswith("  <")]
    assert tags[:5] == ["XingMing", "XingBie", "ChuShengNianYue", "MinZu", "JiGuan"] and tags[-1] == "Version"
    assert "&#xD;\n" in text and "\r" not in text
    assert f"<ZhaoPian>{base64.b64encode(JPEG).decode()}</ZhaoPian>" in text
    assert "<NiRenZhiWu>某局局长</NiRenZhiWu>" in text and "<TianBiaoShiJian>20261120</TianBiaoShiJian>" in text
    assert "--         " in text  # the current post: open end padded to the width of a date
    # a conforming XML parser reads the lines of 简历 back as CRLF
    assert "\r\n" in ET.fromstring(raw).find("JianLi").text


def test_generated_dossiers_round_trip_byte_stable(tmp_path, run, env):
    """export → import → export gives the same bytes, for a varied set of generated dossiers."""
    out = tmp_path / "gen"
    code, _, err = run(["generate", "--count", "40", "--out", out, "--seed", "5"], tmp_path, env)
    assert code == 0, err
    c = CodeTables.read(out / "schema")
    for path in sorted((out / "dossiers").glob("*.yaml")):
        data = load_file(path).data
        first = export_lrmx(form_model(data, DAY, codes=c))
        doc = to_dossier(read_lrmx(first), c)
        doc["编号"] = data["编号"]
        assert export_lrmx(form_model(doc, DAY, codes=c)) == first, path.name


def test_cli_round_trip_and_no_overwrite(repo, run, env, tmp_path):
    code, _, err = run(["lrmx", "export", "C000001", "-o", tmp_path / "a.lrmx"], repo, env)
    assert code == 0, err
    before = (repo / "dossiers" / "C000001.yaml").read_bytes()
    code, out, _ = run(["lrmx", "import", tmp_path / "a.lrmx"], repo, env)
    assert code == 1 and "已有档案 dossiers/C000001.yaml" in out and "--update" in out
    assert (repo / "dossiers" / "C000001.yaml").read_bytes() == before
    # the same person in another repository: imported, and exported again to the same bytes
    other = tmp_path / "other"
    (other / "dossiers").mkdir(parents=True)
    shutil.copytree(PROJECT / "schema", other / "schema")
    code, out, err = run(["lrmx", "import", tmp_path / "a.lrmx", "--archive-unit", "市委组织部"], other, env)
    assert code == 0 and "已导入 → dossiers/C000001.yaml" in out and "待补全" in out, out + err
    code, _, err = run(["lrmx", "export", "C000001", "-o", tmp_path / "b.lrmx"], other, env)
    assert code == 0, err
    assert (tmp_path / "b.lrmx").read_bytes() == (tmp_path / "a.lrmx").read_bytes()
    assert not list((other / "dossiers").glob(".*.tmp"))


def test_numbers_are_never_reused(repo, run, env, tmp_path):
    git(["add", "."], repo, env)
    git(["commit", "-q", "-m", "初始", "--no-verify"], repo, env)
    (repo / "dossiers" / "C000002.yaml").write_bytes(b"x: 1\n")
    git(["add", "."], repo, env)
    git(["commit", "-q", "-m", "二", "--no-verify"], repo, env)
    git(["rm", "-q", "dossiers/C000002.yaml"], repo, env)
    git(["commit", "-q", "-m", "调出", "--no-verify"], repo, env)
    path = tmp_path / "m.lrmx"
    path.write_bytes(minimal())
    code, out, err = run(["lrmx", "import", path], repo, env)
    assert code == 0 and "C000003.yaml" in out, out + err


def test_update_changes_only_unprotected_fields(repo, run, env, tmp_path):
    code, _, err = run(["lrmx", "export", "C000001", "-o", tmp_path / "a.lrmx"], repo, env)
    assert code == 0, err
    text = (tmp_path / "a.lrmx").read_text("utf-8")
    path = repo / "dossiers" / "C000001.yaml"
    before = path.read_text("utf-8")
    changed = text.replace("<JianKangZhuangKuang>健康<", "<JianKangZhuangKuang>一般<")
    (tmp_path / "u.lrmx").write_text(changed, "utf-8")
    code, out, err = run(["lrmx", "import", "--update", tmp_path / "u.lrmx"], repo, env)
    assert code == 0 and "已更新" in out and "健康状况" in out, out + err
    after = path.read_text("utf-8")
    assert after == before.replace("健康状况: 健康\n", "健康状况: 一般\n")
    # a protected key fact: refused, the file untouched, the clerk sent to dangan determine
    year = text.split("<ChuShengNianYue>")[1][:6]
    protected = changed.replace(f"<ChuShengNianYue>{year}<", f"<ChuShengNianYue>{int(year) + 1}<")
    (tmp_path / "p.lrmx").write_text(protected, "utf-8")
    code, out, _ = run(["lrmx", "import", "--update", tmp_path / "p.lrmx"], repo, env)
    assert code == 1 and "出生年月" in out and "dangan determine" in out
    assert path.read_text("utf-8") == after
    # the same dates written another way are no change
    dotted = changed.replace(f"<ChuShengNianYue>{year}<", f"<ChuShengNianYue>{year[:4]}.{year[4:]}<")
    (tmp_path / "d.lrmx").write_text(dotted, "utf-8")
    code, out, _ = run(["lrmx", "import", "--update", tmp_path / "d.lrmx"], repo, env)
    assert code == 0 and "无变化" in out, out


def test_lrm_gbk_with_pic(repo, run, env, tmp_path):
    fields = [""] * 33
    fields[0], fields[1], fields[2], fields[3], fields[4] = "赵一", "女", "197511", "回族", "山西长治"
    fields[5], fields[6], fields[7], fields[8] = "1999.06", "健康", "山西潞城", "199707"
    fields[9] = "大学#法学学士@研究生#法学硕士"
    fields[10] = "山西大学法学院法学专业#@中央党校研究生院法学专业#"
    fields[17] = "1993.09--1997.07  山西大学法学院法学专业学习\r\n1997.07--         山西省长治市某局科员"
    fields[18], fields[19] = "无", "2024年度考核优秀，2025年度考核称职。"
    fields[20:25] = ["丈夫@女儿", "钱二@钱三", "197301@200005", "中共党员@共青团员", "某单位职员@某大学学生"]
    fields[25], fields[26] = "长治市某局科长", "长治市某局副局长"
    path = tmp_path / "赵一.lrm"
    path.write_bytes(",".join(f'"{f}"' for f in fields).encode("gbk"))
    path.with_suffix(".pic").write_bytes(JPEG)
    code, out, err = run(["lrmx", "import", path], repo, env)
    assert code == 0, out + err
    data = load_file(repo / "dossiers" / "C000002.yaml").data
    assert data["姓名"] == "赵一" and data["出生年月"] == "1975.11" and data["入党时间"] == "1999.06"
    assert [e["学历"] for e in data["学历学位"]] == ["大学本科毕业", "硕士研究生毕业"]
    assert data["学历学位"][0]["毕业院校"] == "山西大学" and data["学历学位"][0]["入学时间"] == "1993.09"
    assert [m["姓名"] for m in data["家庭成员"]] == ["钱二", "钱三"]
    assert [(a["年度"], a["结果"]) for a in data["年度考核"]] == [(2024, "优秀"), (2025, "称职")]
    assert data["照片"] == "photos/C000002.jpg" and (repo / "photos" / "C000002.jpg").read_bytes() == accept(JPEG).data
    bad = tmp_path / "bad.lrm"
    bad.write_bytes('"a","b"'.encode("gbk"))
    code, out, _ = run(["lrmx", "import", bad], repo, env)
    assert code == 1 and "字段数为 2" in out


def test_trial_import_keeps_its_sidecars_in_the_trial_folder(repo, run, env, tmp_path):
    """Finding 1.2: --into writes photos/ and interchange/ beside the staged dossier, never under a number the
    repository hands out again; a number that still has a sidecar in the repository is never handed out."""
    stage = tmp_path / "stage"
    sample = SAMPLES / PEOPLE[0]
    code, out, err = run(["lrmx", "import", "--into", stage, "--archive-unit", "市财政局", sample], repo, env)
    assert code == 0, out + err
    assert (stage / "C000002.yaml").is_file() and (stage / "interchange" / "C000002.lrmx.xml").is_file()
    assert not (repo / "interchange").exists() and not (repo / "photos").exists()
    shutil.rmtree(stage)
    code, out, err = run(["new", "--name", "王五", "--unit", "市财政局"], repo, env)
    assert code == 0 and "C000002" in out + err, out + err
    code, out, err = run(["lrmx", "export", "C000002", "-o", tmp_path / "w.lrmx"], repo, env)
    text = (tmp_path / "w.lrmx").read_text("utf-8")
    assert code == 0 and "<XingMing>王五</XingMing>" in text and "205501" not in text
    # an orphan sidecar in the repository (left by an older version): its number is skipped
    (repo / "interchange").mkdir()
    (repo / "interchange" / "C000003.lrmx.xml").write_bytes(b"<LrmxExtra/>")
    code, out, err = run(["lrmx", "import", "--archive-unit", "市财政局", sample], repo, env)
    assert code == 0 and "dossiers/C000004.yaml" in out, out + err
