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


@needs_chromium
def test_overfull_dossier_still_prints_on_two_pages(repo, tmp_path):
    from dangan.forms.pdf import html_to_pdf

    data = load_file(repo / "dossiers" / "C000001.yaml").data
    data["简历"] = data["简历"] * 6
    data["家庭成员"] = data["家庭成员"] * 3
    data["现任职务"] = "长治市潞州区东街街道党工委书记、办事处主任、人大工委主任、武装部第一部长" * 2
    out = tmp_path / "full.pdf"
    html_to_pdf(render_form_html(data, DAY, Appointment(reason="工作需要" * 40), codes=CODES), out)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "Pages:           2" in info
    assert data["家庭成员"][-1]["姓名"] in re.sub(r"\s+", "", pdf_text(out))


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
