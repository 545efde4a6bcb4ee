"""The built site in a real browser (Debian ``chromium``, headless, driven over the DevTools protocol).

The project's site is built once with ``mkdocs build --strict``, served by ``http.server`` on
127.0.0.1 (opened as files, file://, in test_site_search.py), and loaded page by page: home, a roster,
a dossier, statistics. The search box finds a dossier by a fragment of a given name; a click on a
roster column header re-orders the rows (roster.js, on the roster's data file). No request may leave 127.0.0.1. Screenshots are saved
under the test's temporary directory.
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from dangan.load import load_file
from test_site import PROJECT, mkdocs_build

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
websocket = pytest.importorskip("websocket", reason="websocket-client 未安装（pip install -e .[test]）")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="没有安装 chromium（scripts/bootstrap.sh 会安装 Debian 的 chromium）")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
         "--window-size=1280,900", "--remote-debugging-port=0", "--remote-allow-origins=*"]


class Browser:
    """Just enough of the DevTools protocol: one page, commands, events, JavaScript, screenshots."""

    def __init__(self, profile: Path):
        self.proc = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        port = None
        while port is None:
            line = self.proc.stderr.readline()
            if not line and (self.proc.poll() is not None or time.monotonic() > deadline):
                raise RuntimeError("chromium 没有启动 DevTools")
            m = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            port = m and int(m.group(1))
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()  # keep draining its log
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            page = next(t for t in json.load(r) if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.next_id = 0
        self.requests: list[str] = []
        self.send("Page.enable")
        self.send("Network.enable")

    def _handle(self, message: dict):
        if message.get("method") == "Network.requestWillBeSent":
            self.requests.append(message["params"]["request"]["url"])

    def send(self, method: str, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._handle(message)

    def js(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait(self, expression: str, timeout: float = 20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"等待超时：{expression}")

    def open(self, url: str):
        self.send("Page.navigate", url=url)
        self.wait("document.readyState === 'complete' && !!document.querySelector('.md-content')")

    def screenshot(self, path: Path):
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"]
        path.write_bytes(base64.b64decode(data))
        assert path.stat().st_size > 5000, path

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    site = root / "site"
    p = mkdocs_build(PROJECT, site)
    assert p.returncode == 0, p.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    browser = Browser(root / "profile")
    try:
        yield browser, f"http://127.0.0.1:{server.server_address[1]}/", root
    finally:
        browser.close()
        server.shutdown()


def _a_dossier() -> dict:
    """A project dossier whose given name has two characters (a fragment of it is a real search)."""
    for path in sorted((PROJECT / "dossiers").glob("*.yaml")):
        data = load_file(path).data
        if len(data["姓名"]) == 3:
            return data
    pytest.skip("没有三字姓名的档案")


def test_pages_load_without_network(served):
    browser, base, root = served
    shots = root / "screenshots"
    shots.mkdir(exist_ok=True)
    data = _a_dossier()
    number = data["编号"]
    for name, path, probe in (
        ("home", "", "document.querySelector('[data-dangan=dossiers]').textContent"),
        ("roster", "roster/", "document.querySelectorAll('table.dangan-roster tbody tr').length"),
        ("dossier", f"dossier/{number}/", "document.querySelector('h1').textContent"),
        ("stats", "stats/", "document.querySelectorAll('svg.dangan-bar').length"),
        ("review", "review/", "document.querySelector('h1').textContent"),
    ):
        browser.open(base + path)
        assert browser.js(probe), name
        if name == "dossier":  # the tab says whose dossier it is
            title = browser.js("document.title")
            assert number in title and data["姓名"] in browser.js("document.querySelector('h1').textContent"), title
        browser.screenshot(shots / f"{name}.png")
    external = [u for u in browser.requests if not u.startswith(base) and not u.startswith(("data:", "about:", "blob:"))]
    assert external == []


def test_structure_charts_are_readable_at_390_px(served):
    """Heatmaps and trend lines keep their 12 px text on a 390 px phone: the chart scrolls, the page does not."""
    browser, base, root = served
    browser.send("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=1, mobile=True)
    try:
        for path, selector in (("stats/cross/", "svg.dangan-heat"), ("stats/trend/", "svg.dangan-line"),
                               ("stats/teams/", "table.dangan-units")):
            browser.open(base + path)
            probe = browser.js(f"""(() => {{
                const el = document.querySelector('{selector}');
                const t = el.querySelector('text') || el;
                return {{n: document.querySelectorAll('{selector}').length, w: el.getBoundingClientRect().width,
                         attr: Number(el.getAttribute('width') || 0), font: parseFloat(getComputedStyle(t).fontSize),
                         page: document.documentElement.scrollWidth}};
            }})()""")
            assert probe["n"] >= 1 and probe["page"] <= 390, (path, probe)
            if probe["attr"]:
                assert abs(probe["w"] - probe["attr"]) < 1 and probe["font"] >= 12, (path, probe)
            browser.screenshot(root / f"structure-{path.strip('/').replace('/', '-')}.png")
    finally:
        browser.send("Emulation.clearDeviceMetricsOverride")
    external = [u for u in browser.requests if not u.startswith(base) and not u.startswith(("data:", "about:", "blob:"))]
    assert external == []


def test_search_finds_a_dossier_by_a_given_name_fragment(served):
    browser, base, root = served
    data = _a_dossier()
    fragment = data["姓名"][1:]  # the given name, without the surname
    browser.open(base)
    browser.wait("!!document.querySelector('.md-search__input')")
    browser.js("document.querySelector('label.md-search__icon, label[for=__search]') && "
               "(document.getElementById('__search').checked = true, true)")
    browser.js("document.querySelector('.md-search__input').focus()")
    # the search worker must have its index before the query counts
    browser.send("Input.insertText", text=fragment)
    browser.js("document.querySelector('.md-search__input').dispatchEvent(new KeyboardEvent('keyup', {key: 'a'}))")
    href = browser.wait(f"""(() => {{
        const links = [...document.querySelectorAll('.md-search__output a')];
        const hit = links.find(a => a.href.includes('dossier/{data["编号"]}/'));
        return hit ? hit.href : null;
    }})()""", timeout=30)
    assert href.startswith(base)
    browser.screenshot(root / "screenshots-search.png")


def test_roster_sorts_and_filters_in_the_browser(served):
    browser, base, root = served
    browser.open(base + "roster/")
    browser.wait("document.querySelector('table.dangan-roster').getAttribute('data-ready')")  # roster.js read its data
    rows = "[...document.querySelectorAll('table.dangan-roster')[0].tBodies[0].rows]"
    names = f"{rows}.map(r => r.cells[0].textContent)"
    births = f"{rows}.map(r => r.cells[3].getAttribute('data-sort'))"
    before = browser.js(names)
    assert len(before) >= 10
    browser.js("[...document.querySelectorAll('table.dangan-roster')[0].tHead.rows[0].cells]"
               ".find(th => th.textContent.startsWith('出生年月')).click()")
    after = browser.js(names)
    assert after != before and sorted(after) == sorted(before)
    months = [int(m) for m in browser.js(births)]
    assert months == sorted(months)
    browser.js("[...document.querySelectorAll('table.dangan-roster')[0].tHead.rows[0].cells]"
               ".find(th => th.textContent.startsWith('出生年月')).click()")
    assert [int(m) for m in browser.js(births)] == sorted(months, reverse=True)
    browser.js("[...document.querySelectorAll('table.dangan-roster')[0].tHead.rows[0].cells][0].click()")
    assert browser.js(names) == before  # 姓名 sorts back to 姓氏笔画 order
    # the filter box keeps only the rows containing the typed text
    target = before[3]
    browser.js("document.querySelector('.dangan-filter').focus()")
    browser.send("Input.insertText", text=target)
    browser.wait(f"{rows}.length < {len(before)}")
    shown = browser.js(f"{rows}.map(r => r.cells[0].textContent)")
    assert target in shown and len(shown) < len(before)
    browser.screenshot(root / "screenshots-roster-filtered.png")
