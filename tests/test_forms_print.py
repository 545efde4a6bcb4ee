"""`dangan form`: the 干部任免审批表 as HTML and as a real PDF (headless Chromium), and the 干部简历表.

The PDF is checked the way a person would: two A4 pages (pdftoppm renders them), and the labels
and values are there as text (pdftotext).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FULL_ID
from dangan.codes import CodeTables
from dangan.forms import Appointment, form_model, render_form_html
from dangan.forms.render_html import fit
from dangan.load import load_file

CODES = CodeTables.read(Path(__file__).resolve().parents[1] / "schema")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None or not shutil.which("pdftotext") or not shutil.which("pdftoppm"),
                                    reason="需要 chromium 与 poppler-utils（scripts/bootstrap.sh 安装；CI 已安装）")
LABELS = ["干", "部", "任", "免", "审", "批", "表", "姓", "名", "性", "别", "出生年月", "民", "族", "籍", "贯", "出 生 地",
          "健康状况", "熟悉专业", "有何专长", "全日制", "毕业院校", "系及专业", "现", "拟", "简", "历",
          "称", "谓", "政", "治", "工 作 单 位 及 职 务", "填表人"]
DAY = dt.date(2026, 11, 25)


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@needs_chromium
def test_pdf_two_pages_with_labels(repo, run, env, tmp_path):
    out = tmp_path / "form.pdf"
    code, stdout, err = run(["form", "C000001", "--pdf", out, "--ni-ren", "长治市某局局长", "--reason", "工作需要",
                             "--unit", "中共长治市委组织部", "--filled-by", "王五", "--filled-on", "2026.11.20"], repo, env)
    assert code == 0, stdout + err
    assert out.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(out), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "(A4)" in info and "Pages:           2" in info, info
    text = pdf_text(out)
    compact = re.sub(r"\s+", "", text)
    for label in LABELS:
        assert re.sub(r"\s+", "", label) in compact, label
    data = load_file(repo / "dossiers" / "C000001.yaml").data
    assert data["姓名"] in compact and "长治市某局局长" in compact and "中共长治市委组织部" in compact
    assert f"{data['出生年月']}" in compact and "岁）" in compact
    assert "（盖章）" in compact and "呈" in compact
    assert "王五" in compact
    assert not FULL_ID.search(text)  # the ID number is never printed on the form


@needs_chromium
def test_resume_pdf_and_html(repo, run, env, tmp_path):
    code, out, err = run(["form", "C000001", "--resume", tmp_path / "r.pdf"], repo, env)
    assert code == 0, out + err
    compact = re.sub(r"\s+", "", pdf_text(tmp_path / "r.pdf"))
    for label in ("干部简历表", "简历", "学历学位", "年度考核", "奖惩情况"):
        assert label in compact
    code, out, err = run(["form", "C000001", "--resume", tmp_path / "r.html"], repo, env)
    assert code == 0 and "<h1>干部简历表</h1>" in (tmp_path / "r.html").read_text("utf-8")


def test_html_form(repo, run, env, tmp_path):
    code, out, err = run(["form", "C000001", "--html", tmp_path / "f.html", "--as-of", "2026.11.25"], repo, env)
    assert code == 0, out + err
    page = (tmp_path / "f.html").read_text("utf-8")
    data = load_file(repo / "dossiers" / "C000001.yaml").data
    age = form_model(data, DAY, codes=CODES).age
    assert f"{data['出生年月']}<br>（{age}岁）" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert page.count('class="page ') == 2
    assert not FULL_ID.search(page)


def test_ages_and_deceased_members(repo):
    data = load_file(repo / "dossiers" / "C000001.yaml").data
    data["出生年月"] = "1970.12"
    data["家庭成员"] = [
        {"称谓": "父亲", "姓名": "王大", "出生年月": "1940.01", "政治面貌": "中共党员", "工作单位及职务": "农民（已去世）"},
        {"称谓": "母亲", "姓名": "李二", "出生年月": "1942.11", "政治面貌": "群众", "工作单位及职务": "农民", "已故": True},
        {"称谓": "妻子", "姓名": "赵三", "出生年月": "1972.11", "政治面貌": "中共预备党员", "工作单位及职务": "教师"},
    ]
    m = form_model(data, dt.date(2026, 11, 25), codes=CODES)
    assert m.age == 55  # born 1970.12: not yet 56 on 2026.11.25
    assert [f.age for f in m.family] == [None, None, 54]
    assert m.family[2].political == "预备党员"


def test_values_are_escaped_never_interpreted(repo):
    data = load_file(repo / "dossiers" / "C000001.yaml").data
    data["现任职务"] = '<script>alert(1)</script><img src=x onerror="y">&amp;'
    data["简历"][0]["内容"] = "</td></tr></table><b>粗</b>"
    page = render_form_html(data, DAY, Appointment(reason="<i>理由</i>"), codes=CODES)
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>粗</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&amp;amp;" in page
    assert "&lt;i&gt;理由&lt;/i&gt;" in page


def test_long_text_shrinks_to_fit(repo):
    assert fit("长治市财政局", 60, 12) == 14
    long = "长治市潞州区东街街道党工委书记、办事处主任、人大工委主任、武装部第一部长、" * 3
    assert fit(long, 60, 12) < 10
    data = load_file(repo / "dossiers" / "C000001.yaml").data
    data["现任职务"] = long
    data["简历"] = data["简历"] * 8  # far more lines than the box holds at 14pt
    page = render_form_html(data, DAY, codes=CODES)
    sizes = [float(s) for s in re.findall(r"font-size:([0-9.]+)pt", page)]
    assert sizes and min(sizes) < 10


def test_site_can_leave_family_out(repo):
    data = load_file(repo / "dossiers" / "C000001.yaml").data
    name = data["家庭成员"][0]["姓名"]
    assert name in render_form_html(data, DAY, codes=CODES)
    assert name not in render_form_html(data, DAY, family=False, codes=CODES)


def test_usage_errors(repo, run, env, tmp_path):
    code, _, err = run(["form", "C000001"], repo, env)
    assert code == 2 and "--html" in err
    code, _, err = run(["form", "C999999", "--html", tmp_path / "x.html"], repo, env)
    assert code == 2 and "找不到编号为“C999999”的档案" in err
    code, _, err = run(["form", "../etc/passwd", "--html", tmp_path / "x.html"], repo, env)
    assert code == 2 and "Traceback" not in err


def test_missing_chromium_is_a_clear_error(repo, run, env, tmp_path):
    env = dict(env, PATH=str(tmp_path / "empty"))
    code, _, err = run(["form", "C000001", "--pdf", tmp_path / "x.pdf"], repo, env)
    assert code == 2 and "找不到 Chromium" in err
    assert not (tmp_path / "x.pdf").exists()


def test_appointment_file(repo, run, env, tmp_path):
    record = tmp_path / "任免.yaml"
    record.write_text('拟任职务: 长治市某局局长\n任免理由: 工作需要\n填表时间: "2026.11.20"\n', "utf-8")
    code, out, err = run(["form", "C000001", "--html", tmp_path / "f.html", "--appointment", record], repo, env)
    assert code == 0, out + err
    page = (tmp_path / "f.html").read_text("utf-8")
    assert "长治市某局局长" in page and "2026年11月20日" in page
    record.write_text("拟任: x\n", "utf-8")
    code, _, err = run(["form", "C000001", "--html", tmp_path / "f.html", "--appointment", record], repo, env)
    assert code == 2 and "不认识的项目" in err


def _long_resume(n: int) -> list[dict]:
    """``n`` distinct entries, oldest first; the last is the current post (no end date)."""
    out = []
    for k in range(n):
        y = 1990 + k // 4
        start, end = f"{y}.{(k % 4) * 3 + 1:02d}", f"{y + (k % 4 == 3)}.{((k + 1) % 4) * 3 + 1:02d}"
        out.append({"起始": start, "截止": end, "内容": f"长治市第{k + 1}号测试单位科员，兼任第{k + 1}项工作"})
    out[-1].pop("截止")
    out[-1]["内容"] = "长治市测试局局长（现任）"
    return out


def _boxes(pdf) -> list[tuple[int, float, float, float, str]]:
    """(page, xMin, yMin, height, word) from pdftotext -bbox."""
    source = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out, page = [], 0
    for line in source.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">([^<]*)</word>', line)
        if m:
            y = float(m.group(2))
            out.append((page, float(m.group(1)), y, float(m.group(3)) - y, m.group(4)))
    return out


def _words(pdf) -> list[tuple[int, float, float, str]]:
    """(page, xMin, yMin, word) from pdftotext -bbox."""
    return [(p, x, y, w) for p, x, y, _h, w in _boxes(pdf)]


def _smallest_pt(pdf) -> float:
    """The smallest font size printed, in pt: word heights scaled by the 14pt label 健康状况 of the same PDF
    (a word's box is the font's ascent to descent, the same multiple of its size for every word in one font)."""
    boxes = _boxes(pdf)
    (label,) = {h for _p, _x, _y, h, w in boxes if w == "健康状况"}
    return min(h for _p, _x, _y, h, _w in boxes) / label * 14


@needs_chromium
def test_long_resume_and_rewards_continue_on_a_continuation_sheet(repo, tmp_path):
    """80 简历 entries, 16 奖惩, 30 family members: never below 8pt, every line printed (the current post too), all on A4."""
    from dangan.forms.pdf import html_to_pdf

    data = load_file(repo / "dossiers" / "C000001.yaml").data
    data["简历"] = _long_resume(80)
    data["奖惩情况"] = [{"类别": "奖励", "名称": f"第{k}次嘉奖", "时间": "2010.01", "批准机关": "长治市人民政府"} for k in range(16)]
    members = data["家庭成员"]
    data["家庭成员"] = [dict(members[k % len(members)], 姓名=f"测试成员{k:02d}") for k in range(30)]
    data["现任职务"] = "长治市潞州区东街街道党工委书记、办事处主任、人大工委主任、武装部第一部长" * 2
    page = render_form_html(data, DAY, Appointment(reason="工作需要" * 40), codes=CODES)
    assert min(float(s) for s in re.findall(r"font-size:([0-9.]+)pt", page)) >= 8
    assert "干部任免审批表（续页）" in page and "简历（续）" in page and "奖惩情况（续）" in page
    out = tmp_path / "full.pdf"
    html_to_pdf(page, out)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(out)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 3, info
    sizes = re.findall(r"Page\s+\d+ size:\s+([0-9.]+ x [0-9.]+)", info)
    assert len(sizes) == pages and set(sizes) == {"594.96 x 841.92"}, info  # every page A4
    compact = re.sub(r"\s+", "", pdf_text(out))
    for entry in data["简历"]:
        assert entry["内容"] in compact, entry["内容"]
    assert "长治市测试局局长（现任）" in compact
    for k in range(16):
        assert f"第{k}次嘉奖" in compact
    for member in data["家庭成员"]:  # 9 on the form, the rest on the 续页: none lost, the page never overflows
        assert member["姓名"] in compact, member["姓名"]
    assert "（其余21人见续页）" in compact and "家庭主要成员及重要社会关系（续）" in compact
    assert "（盖章）" in compact and "填表人" in compact
    assert _smallest_pt(out) >= 7.8  # what is printed, not what the HTML asks for: never below 8pt
    # the 简历 box on page 1 says where it goes on; the 续页 follows the two pages of the form
    words = _words(out)
    assert any(p == 1 and "续页" in w for p, _x, _y, w in words)
    assert any(p >= 3 and w.startswith("简历（续") for p, _x, _y, w in words)


@needs_chromium
def test_form_details_as_the_official_template(repo, tmp_path):
    """LRMX.md §3 point by point (findings §4 a–i): what a printed form shows."""
    from dangan.forms.pdf import html_to_pdf

    data = load_file(repo / "dossiers" / "C000001.yaml").data
    data["政治面貌"] = "中共党员"
    for member in data["家庭成员"]:
        member["政治面貌"] = "共青团员"
    page = render_form_html(data, DAY, Appointment(unit="中共长治市委组织部"), codes=CODES)
    # c, i: labels are 14pt (never shrunk with the values), their spaces kept
    assert not re.search(r'class="label"[^>]*style=', page)
    assert "<td class=\"label\" colspan=\"2\">姓\u2002\u2002名</td>" in page  # one em between, as 宋体 sets "姓  名"
    # d, e: two-column labels, read top to bottom, left column first
    cells = re.findall(r'<div class="cols"[^>]*>(.*?)</div>', page)
    columns = [re.findall(r"<span>(.*?)</span>", c) for c in cells]
    assert columns[0] == ["年", "核", "度", "结", "考", "果"]
    assert columns[1] == ["审", "意", "批", "", "机", "", "关", "见"]
    assert columns[2] == ["行", "任", "政", "免", "机", "意", "关", "见"]
    # f: a short term shrinks on one line, never broken
    assert re.search(r'class="v one"[^>]*>共青团员</td>', page)
    out = tmp_path / "form.pdf"
    html_to_pdf(page, out)
    words = _words(out)
    text = pdf_text(out)
    assert "共青团员" in text and "共青团\n" not in text
    # c, as printed: every label the size of 健康状况 (14pt), 姓名 and 性别 in the same row included
    heights = {w: h for _p, _x, _y, h, w in _boxes(out)}
    labels = ["姓", "名", "性", "别", "民", "族", "籍", "贯", "出生年月", "全日制", "毕业院校", "系及专业", "称", "谓", "面"]
    assert {w: round(heights[w] / heights["健康状况"] * 14, 1) for w in labels} == dict.fromkeys(labels, 14.0)
    # a, b: the date row under 呈报单位 is right-aligned, with room to write the day between 年, 月 and 日
    (unit_y,) = {y for p, _x, y, w in words if p == 2 and w == "中共长治市委组织部"}
    row = sorted((x, w) for p, x, y, w in words if p == 2 and unit_y < y < unit_y + 60 and w in ("年", "月", "日"))
    assert [w for _x, w in row] == ["年", "月", "日"], row
    assert row[0][0] > 595 * 0.6  # right half of the page
    assert row[1][0] - row[0][0] > 30 and row[2][0] - row[1][0] > 30  # ≥ about two characters of blank each


def test_every_loadable_mutation_renders(repo):
    """Whatever a clerk's file holds, as long as it loads: the form and the .lrmx never crash."""
    from conftest import valid_bytes
    from dangan.forms.lrmx import export_lrmx
    from dangan.load import LoadError, load_bytes
    from test_check_cli import MUTATIONS

    rendered = 0
    for m in MUTATIONS:
        try:
            data = load_bytes(m.mutate(valid_bytes())).data
        except LoadError:
            continue
        render_form_html(data, DAY, codes=CodeTables.read(repo / "schema"))
        export_lrmx(form_model(data, DAY, codes=CodeTables.read(repo / "schema")))
        rendered += 1
    assert rendered > 20
