"""考察材料 and 能力档案: optional dossier sections — schema, 依据 references, site page, search entry, query."""

from __future__ import annotations

import json

from conftest import valid_bytes

SECTIONS = """考察材料:
  - 拟任职务: 长治市财政局副局长
    考察时间: "2019.05"
    材料:
      - 名称: 考察登记表
        顺序号: "1-1"
      - 名称: 纪检监察机关意见
    结论: 同意任用
能力档案:
  专业技术资格:
    - 名称: 高级经济师
      时间: "2012.12"
      授予机关: 山西省人力资源和社会保障厅
      依据: ["4-1-1"]
  职业资格:
    - 名称: 注册<b>会计师
      时间: "2008.03"
"""


def write(repo, extra: str) -> None:
    """The sections in their canonical place: after 认定记录, before the custody keys valid.yaml ends with."""
    text = valid_bytes().decode("utf-8")
    at = text.index("档案类别: ")
    (repo / "dossiers" / "C000001.yaml").write_bytes((text[:at] + extra.lstrip("\n") + text[at:]).encode("utf-8"))


def codes(run, repo, env) -> list[str]:
    rc, out, err = run(["check", "--format", "json", "--no-cache"], repo, env)
    assert rc in (0, 1), err
    return [f["code"] for f in json.loads(out)]


def test_sections_pass_and_format(run, repo, env):
    write(repo, SECTIONS)
    assert codes(run, repo, env) == []
    assert run(["fmt", "--check"], repo, env)[0] == 0


def test_bad_sections_fail(run, repo, env):
    write(repo, SECTIONS.replace("名称: 纪检监察机关意见", "名称: 邻居意见"))
    assert "S005" in codes(run, repo, env)
    write(repo, SECTIONS.replace('顺序号: "1-1"', '顺序号: "9-2-77"'))
    assert codes(run, repo, env) == ["R407"]
    write(repo, SECTIONS.replace('依据: ["4-1-1"]', '依据: ["4-1-9"]'))
    assert codes(run, repo, env) == ["R407"]
    write(repo, SECTIONS.replace("  职业资格:", "  兴趣爱好:"))
    assert "S002" in codes(run, repo, env)


def test_query_by_capability(run, repo, env):
    write(repo, SECTIONS)
    rc, out, _ = run(["query", "能力~会计师", "--format", "json", "--columns", "编号,能力"], repo, env)
    assert rc == 0 and json.loads(out) == [{"编号": "C000001", "能力": "高级经济师、注册<b>会计师"}]


def test_dossier_page_shows_sections_escaped_and_searchable(repo):
    import datetime as dt
    from html import unescape

    from dangan.repo import Repo
    from dangan.site.model import collect
    from dangan.site.pages.dossier import dossier_page

    write(repo, SECTIONS)
    site = collect(Repo(repo), dt.date(2026, 11, 25))
    (person,) = site.people
    raw_page = dossier_page(site.unpacked(person), site, None)  # its own page: its whole data
    assert "<b>" not in raw_page
    page = unescape(raw_page)
    assert 'id="inspection"' in page and 'id="capability"' in page
    assert "长治市财政局副局长" in page and "考察登记表（1-1）" in page and "山西省人力资源和社会保障厅" in page
    assert "注册<b>会计师" in page
    # the names of 能力档案 and 考察 items are searchable: in the person's record of the people index
    from dangan.site.people import record

    extra = record(person)[4]
    assert "高级经济师" in extra and len(extra) <= 160
