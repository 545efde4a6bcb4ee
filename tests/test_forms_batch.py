"""Issue 18: batches of forms and .lrmx (several 编号, --archive-unit, --query, --all; one PDF with blank pages for
duplex printing; a folder or a zip named by a pattern) and the 干部任免审批表 as Word (.docx)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import pytest

from conftest import FULL_ID, PROJECT, git
from dangan.forms.batch import pdf_pages

needs_chromium = pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser"))
                                    or not shutil.which("pdfinfo"),
                                    reason="需要 chromium 与 poppler-utils（scripts/bootstrap.sh 安装；CI 已安装）")


@pytest.fixture
def office(tmp_path, env):
    """A repository with the 48 bundled dossiers (and their photos), committed."""
    root = tmp_path / "office"
    root.mkdir()
    for name in ("schema", "dossiers", "photos"):
        if (PROJECT / name).is_dir():
            shutil.copytree(PROJECT / name, root / name)
    git(["init", "-q", "-b", "main"], root, env)
    return root


def test_lrmx_export_batches(office, run, env, tmp_path):
    code, out, err = run(["lrmx", "export", "C000003", "C000001", "-o", tmp_path / "d", "--name", "{序号}-{编号}-{姓名}"],
                         office, env)
    assert code == 0, out + err
    names = sorted(p.name for p in (tmp_path / "d").iterdir())
    assert len(names) == 2 and names[0].startswith("001-C000003-") and names[1].startswith("002-C000001-")
    code, out, err = run(["lrmx", "export", "--archive-unit", "市委组织部", "-o", tmp_path / "u.zip"], office, env)
    assert code == 0, out + err
    with zipfile.ZipFile(tmp_path / "u.zip") as z:
        members = z.namelist()
        units = {re.search(r"<XianRenZhiWu>(.*?)</XianRenZhiWu>", z.read(n).decode()).group(1) for n in members}
    n = sum(1 for p in (office / "dossiers").glob("*.yaml") if "管档单位: 市委组织部" in p.read_text("utf-8"))
    assert len(members) == n > 1 and f"已导出 {n} 个 .lrmx 文件" in out and units
    code, out, err = run(["lrmx", "export", "--query", "性别 = 女", "-o", tmp_path / "q"], office, env)
    women = sum(1 for p in (office / "dossiers").glob("*.yaml") if "\n性别: 女\n" in p.read_text("utf-8"))
    assert code == 0 and len(list((tmp_path / "q").iterdir())) == women > 0, out + err
    assert not FULL_ID.search(out + err)
    # mistakes are usage errors, in Chinese, and nothing is written
    for args, message in ((["C000001", "--all"], "不能同时使用"), (["--all", "--name", "{身份证号}"], "不能用"),
                          (["--all", "--name", "{姓名}"], "须有 {编号}"), (["--query", "性别 = 男 且 年龄 > 200"], "没有符合条件"),
                          (["--archive-unit", "不存在的单位"], "未在 schema/policy.yaml 中登记"), ([], "请给出编号")):
        code, out, err = run(["lrmx", "export", *args, "-o", tmp_path / "none"], office, env)
        assert code == 2 and message in err and "Traceback" not in err, (args, err)
        assert not (tmp_path / "none").exists()


def _docx_text(raw: bytes) -> tuple[list[str], str]:
    from docx import Document

    doc = Document(io.BytesIO(raw))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return cells, xml


def test_docx_form_as_offices_edit_it(office, run, env, tmp_path):
    """--docx: a real table in the template's layout, two A4 sections, the photo, text that stays text."""
    from docx import Document

    from dangan.load import load_file

    path = office / "dossiers" / "C000007.yaml"
    text = path.read_text("utf-8")
    data = load_file(path).data
    speciality = data.get("熟悉专业有何专长")
    if speciality:
        path.write_text(text.replace(f"熟悉专业有何专长: {speciality}", '熟悉专业有何专长: "=HYPERLINK(\\"http://x.example/\\",\\"x\\")"', 1),
                        "utf-8")
    out = tmp_path / "c7.docx"
    code, stdout, err = run(["form", "C000007", "--docx", out, "--ni-ren", "长治市某局局长", "--unit", "中共长治市委组织部",
                             "--filled-by", "王五", "--filled-on", "2026.11.20"], office, env)
    assert code == 0, stdout + err
    raw = out.read_bytes()
    cells, xml = _docx_text(raw)
    joined = "\n".join(cells)
    for label in ("姓  名", "出生年月\n（岁）", "全日制\n教  育", "现  任  职  务", "拟  任  职  务", "简\n\n\n\n历",
                  "年度考\n核结果", "称  谓", "呈\n报\n单\n位", "（盖章）"):
        assert label in joined, label
    assert data["姓名"] in cells and "长治市某局局长" in cells and "中共长治市委组织部" in cells
    assert "2026 年 11 月 20 日" in joined and "填表人：王五" in xml
    first_resume = data["简历"][0]
    assert first_resume["内容"] in joined
    for m in data["家庭成员"]:
        assert m["姓名"] in cells
    assert not FULL_ID.search(joined + xml)  # the ID number is not printed
    assert "<w:fldSimple" not in xml and "<w:instrText" not in xml  # nothing becomes a field
    if speciality:
        assert '=HYPERLINK("http://x.example/","x")' in cells
    doc = Document(io.BytesIO(raw))
    assert len(doc.sections) == 2 and all(s.page_width == 11907 * 635 and s.page_height == 16840 * 635 for s in doc.sections)
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert bool(media) == bool(data.get("照片") and (office / data["照片"]).is_file())
    # a batch of Word files into a zip, named by the pattern
    code, stdout, err = run(["form", "--archive-unit", "市委组织部", "--docx", tmp_path / "all.zip"], office, env)
    assert code == 0, stdout + err
    with zipfile.ZipFile(tmp_path / "all.zip") as z:
        names = z.namelist()
        assert names and all(re.fullmatch(r"C[0-9]{6}-.+\.docx", n) for n in names)
        assert all(_docx_text(z.read(n))[0] for n in names)


def test_form_batch_html_in_roster_order(office, run, env, tmp_path):
    from dangan.strokes import sort_names

    out = tmp_path / "b.html"
    code, stdout, err = run(["form", "--archive-unit", "市委组织部", "--html", out], office, env)
    assert code == 0, stdout + err
    html = out.read_text("utf-8")
    people = html.count('<div class="person">')
    assert people > 1 and f"已写出 {people} 人的任免审批表网页" in stdout
    names = re.findall(r'<div class="person">.*?<td[^>]*class="[^"]*v[^"]*"[^>]*>(.*?)</td>', html)
    assert len(names) == people and names == sort_names(names)
    code, _, err = run(["form", "C000001", "C000002", "--resume", tmp_path / "r.html"], office, env)
    assert code == 2 and "一次生成一人" in err
    code, _, err = run(["form", "C000001", "--duplex", "--pdf", tmp_path / "x.pdf"], office, env)
    assert code == 2 and "--duplex 只用于批量" in err


@needs_chromium
@pytest.mark.slow
def test_form_batch_pdf_with_blank_pages_for_duplex(office, run, env, tmp_path):
    """One PDF, each form starting on the front of a sheet: a form with an odd page count gets a blank page."""
    path = office / "dossiers" / "C000002.yaml"
    text = path.read_text("utf-8")
    long_resume = "".join(f"  - {{起始: \"{1990 + i // 12}.{i % 12 + 1:02d}\", 截止: \"{1990 + (i + 1) // 12}.{(i + 1) % 12 + 1:02d}\", "
                          f"内容: 长治市某局第{i}科科员兼任某某工作领导小组办公室副主任负责日常工作的协调, 性质: 工作}}\n"
                          for i in range(42))
    path.write_text(re.sub(r"\n简历:\n(?:  .*\n)+", "\n简历:\n" + long_resume, text, count=1), "utf-8")
    plain, duplex = tmp_path / "p.pdf", tmp_path / "d.pdf"
    args = ["form", "C000001", "C000002", "C000003"]
    code, out, err = run([*args, "--pdf", plain], office, env)
    assert code == 0, out + err
    code, out, err = run([*args, "--pdf", duplex, "--duplex"], office, env)
    assert code == 0, out + err
    singles = []
    for n in ("C000001", "C000002", "C000003"):
        code, _, err = run(["form", n, "--pdf", tmp_path / f"{n}.pdf"], office, env)
        assert code == 0, err
        singles.append(pdf_pages((tmp_path / f"{n}.pdf").read_bytes()))
    info = subprocess.run(["pdfinfo", str(duplex)], capture_output=True, text=True).stdout
    assert singles[1] % 2 == 1, singles  # the long 简历 gives C000002 a 续页: three pages
    assert pdf_pages(plain.read_bytes()) == sum(singles)
    padded = sum(p + p % 2 for p in singles[:-1]) + singles[-1]
    blanks = sum(p % 2 for p in singles[:-1])
    assert f"Pages:           {padded}" in info and f"加了 {blanks} 张空白页" in out, info + out
