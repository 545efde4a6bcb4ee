"""The built site on paper and at every width, in real headless Chromium (issue 21, findings §6–§8).

- Printing (``chromium --print-to-pdf``, as a user's browser prints): the dossier page, the statistics and
  the 任免审批表 come out on A4 (595×842 pt); on the statistics page no heading is the last line of a page
  and no chart is split across two pages.
- At 390 px (a phone) no table cell stacks its text one character per line; a table wider than the
  screen scrolls with its first column fixed. At 1280 px the grading table (its 未达上一等级的原因 column)
  and the roster fit the screen. A 编号 is never broken over two lines, at either width.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from dangan.load import load_file
from test_site_browser import CHROMIUM, served  # noqa: F401  (the module's fixture: the built site, served)

pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="没有安装 chromium（scripts/bootstrap.sh 会安装 Debian 的 chromium）"),
              pytest.mark.slow, pytest.mark.browser]

PAGES = ["roster/", "dossier/C000001/", "manage/", "stats/", "review/", "review/alterations/", "review/changes/",
         "manage/intake/"]

MEASURE = """(() => {
  const out = {stacked: [], unfixed: [], wrapped: [], over: []};
  document.querySelectorAll('.md-content .dangan-data').forEach(d => {
    const table = d.querySelector('table');
    if (!table || d.scrollWidth <= d.clientWidth + 1) return;
    out.over.push((d.querySelector('h2') || table.rows[0]).textContent.trim().slice(0, 20));
    const first = table.rows[table.rows.length - 1].cells[0];
    if (getComputedStyle(first).position !== 'sticky') out.unfixed.push(table.rows[0].textContent.trim().slice(0, 20));
  });
  document.querySelectorAll('.md-content .dangan-data td, .md-content .dangan-data th').forEach(c => {
    const t = c.textContent.trim(), cs = getComputedStyle(c), size = parseFloat(cs.fontSize);
    const width = c.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    if ([...t].length >= 3 && width < 2.5 * size) out.stacked.push(t.slice(0, 12) + '（' + Math.round(width) + ' px）');
  });
  document.querySelectorAll('.md-content a').forEach(a => {
    if (/^C?\\d{4,}$/.test(a.textContent.trim()) && a.getClientRects().length > 1) out.wrapped.push(a.textContent.trim());
  });
  return out;
})()"""


def _viewport(browser, width: int):
    browser.send("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1, mobile=width < 600)


def test_tables_readable_at_390_and_1280_px(served):  # noqa: F811
    browser, base, _root = served
    try:
        for width in (390, 1280):
            _viewport(browser, width)
            for page in PAGES:
                browser.open(base + page)
                seen = browser.js(MEASURE)
                where = f"{page} 宽 {width} px"
                assert not seen["stacked"], f"{where}：一字一行的格子 {seen['stacked'][:5]}"
                assert not seen["wrapped"], f"{where}：编号折行 {seen['wrapped'][:5]}"
                assert not seen["unfixed"], f"{where}：横向滚动的表格第一列没有固定 {seen['unfixed']}"
                if width == 1280 and page in ("manage/", "roster/"):
                    assert not seen["over"], f"{where}：表格有列在屏幕之外 {seen['over']}"
            if width == 1280:  # the reason column of the grading table is on the screen
                browser.open(base + "manage/")
                right = browser.js("""(() => { const th = [...document.querySelectorAll('.md-content th')]
                    .find(h => h.textContent.includes('未达上一等级的原因')); return th && th.getBoundingClientRect().right; })()""")
                assert right is not None and right <= 1280, right
    finally:
        browser.send("Emulation.clearDeviceMetricsOverride")


def _print(url: str, out: Path, profile: Path) -> list[str]:
    """``url`` printed by ``chromium --print-to-pdf``; the size of each page (pdfinfo)."""
    p = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={out}", url],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and out.is_file(), p.stderr[-500:]
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(out)], capture_output=True, text=True, check=True).stdout
    return re.findall(r"Page\s+\d+ size:\s+([0-9.]+ x [0-9.]+)", info)


def _a4(size: str) -> bool:
    """210 × 297 mm = 595 × 842 pt (Chromium writes 594.96 x 841.92)."""
    w, h = (float(v) for v in size.split(" x "))
    return abs(w - 595.3) < 1 and abs(h - 841.9) < 1


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def test_dossier_stats_and_form_print_on_a4(served, tmp_path):  # noqa: F811
    browser, base, _root = served
    for page in ("dossier/C000001/", "stats/", "form/C000001.html"):
        out = tmp_path / (page.strip("/").replace("/", "-") + ".pdf")
        sizes = _print(base + page, out, tmp_path / "profile")
        assert sizes and all(_a4(s) for s in sizes), f"{page}：{sizes}"  # Letter would be 612 x 792
    # the statistics: every chart on one page together with its heading (no orphaned heading, no split chart)
    browser.open(base + "stats/")
    charts = browser.js("""[...document.querySelectorAll('.md-content table.dangan-chart')].map(t => {
        const h = t.closest('.dangan-data').querySelector('h2');
        return [h ? h.textContent.replace('¶', '').trim() : '', [...t.tBodies[0].rows].map(r => r.cells[0].textContent.trim())];
    })""")
    assert len(charts) >= 3, charts
    pages = [re.sub(r"\s+", "", p) for p in _page_texts(tmp_path / "stats.pdf")]
    for heading, labels in charts:
        # the heading, its note, the chart's header and every row, on one page
        found = [(k, m.end()) for k, p in enumerate(pages)
                 for m in re.finditer(re.escape(heading) + r".{0,120}?类别图示人数占比", p)]
        assert found, f"{heading}：标题与图表不在同一页"
        k, start = found[-1]
        missing = [label for label in labels if label not in pages[k][start:]]
        assert not missing, f"{heading}：{json.dumps(missing, ensure_ascii=False)} 不在标题所在的第 {k + 1} 页"


CLIPPED = """(() => {
  const out = [];
  document.querySelectorAll('table.form td').forEach(td => {
    if (td.scrollWidth > td.clientWidth + 1 || td.scrollHeight > td.clientHeight + 1)
      out.push(td.textContent.trim().slice(0, 16) + '（' + td.clientWidth + '×' + td.clientHeight + ' 放不下 '
               + td.scrollWidth + '×' + td.scrollHeight + '）');
  });
  document.querySelectorAll('section.page').forEach((p, k) => {
    if (p.scrollHeight > p.clientHeight + 1) out.push('第 ' + (k + 1) + ' 页超出纸张：' + p.scrollHeight + ' > ' + p.clientHeight);
  });
  return out;
})()"""


def test_nothing_on_the_form_is_clipped(served):  # noqa: F811
    """Every cell of the 任免审批表 holds its text and both pages hold their rows (overflow is hidden on paper:
    what does not fit would vanish), for an ordinary dossier and one with 80 简历 entries, 16 奖惩 and 30 relatives."""
    import datetime as dt

    from dangan.codes import CodeTables
    from dangan.forms import Appointment, render_form_html
    from test_forms_print import _long_resume
    from test_site import PROJECT

    browser, base, root = served
    data = load_file(PROJECT / "dossiers" / "C000001.yaml").data
    codes = CodeTables.read(PROJECT / "schema")
    day = dt.date(2026, 11, 25)
    (root / "site" / "form" / "plain.html").write_text(render_form_html(data, day, Appointment(reason="工作需要"),
                                                                        codes=codes), "utf-8")
    data["简历"] = _long_resume(80)
    data["奖惩情况"] = [{"类别": "奖励", "名称": f"第{k}次嘉奖", "时间": "2010.01", "批准机关": "长治市人民政府"} for k in range(16)]
    members = data["家庭成员"]
    data["家庭成员"] = [dict(members[k % len(members)], 姓名=f"测试成员{k:02d}") for k in range(30)]
    (root / "site" / "form" / "long.html").write_text(render_form_html(data, day, Appointment(reason="工作需要" * 40),
                                                                       codes=codes), "utf-8")
    for page in ("form/plain.html", "form/long.html", "form/C000001.html"):
        browser.send("Page.navigate", url=base + page)
        browser.wait("document.readyState === 'complete' && !!document.querySelector('table.form')")
        assert browser.js(CLIPPED) == [], page
