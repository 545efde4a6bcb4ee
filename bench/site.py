"""Benchmark of the site build: N generated dossiers vs a bare MkDocs build of N comparable pages.

Both builds run in the same invocation on the same machine (absolute seconds mean little on a
shared machine; the ratio is the figure). Target from the site issue: our build, search on, in at
most 1.2 × the bare build, and a search index under 1 KB per dossier.

- ours: ``dangan generate`` → a dossier repository with this project's mkdocs.yml, docs/ and hook;
  ``mkdocs build --strict`` (generated pages, the people index of the search box, post-build scans).
- bare: the same theme and Markdown extensions, no hook, N hand-written-style Markdown pages (one
  per dossier, the same facts as headings, lists and tables) outside the navigation, search on
  (full text, as MkDocs indexes by default); and once more with search off.
- ours is built three times: cold (no site cache: every dossier parsed and every page rendered; the check
  cache is warm, as in a repository in use; its peak RSS), warm (nothing changed since) and after a change of
  one dossier (one page rendered and written: scripts/dangan/site/direct.py).

- ``--browser``: then, in headless Chromium (tests/test_site_browser.py's driver), on our site: the bytes the
  search box reads per query (names of one holder, namesakes, 编号, a unit, a post, a name nobody has; from
  Resource Timing, a fresh page per query), and the roster's ready time and the time of a header click (sort
  and lay out one page). With ``--scale K`` the same once more on a synthetic roster and people index of
  K × count people (the generated people repeated with new 编号 and shuffled given names), written into a copy
  of the site: a 50,000-person figure without a 50,000-dossier build.

Usage: python bench/site.py [--count 5000] [--out bench/out] [--repeat 1] [--browser [--scale 10]]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ENV = {**os.environ, "DANGAN_TODAY": "2026.11.25", "NO_MKDOCS_2_WARNING": "1",
       "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
HOOK = "scripts/dangan/site/hook.py"


PEAK = {"rss": 0.0}  # peak resident memory of the last run's process, MB (os.wait4: that child alone)


def run(args, cwd) -> float:
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        took = time.perf_counter() - start
        PEAK["rss"] = usage.ru_maxrss / 1024
        if proc.returncode != 0:
            err.seek(0)
            sys.exit(f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{err.read().decode(errors='replace')[-3000:]}")
    return took


def our_repo(path: Path, count: int) -> Path:
    if not (path / "dossiers").is_dir() or len(list((path / "dossiers").glob("*.yaml"))) != count:
        shutil.rmtree(path, ignore_errors=True)
        run([BIN / "dangan", "generate", "--count", str(count), "--out", str(path), "--seed", "7"], cwd=PROJECT)
    shutil.rmtree(path / "docs", ignore_errors=True)
    shutil.copytree(PROJECT / "docs", path / "docs")
    shutil.copy(PROJECT / "mkdocs.yml", path / "mkdocs.yml")
    (path / HOOK).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT / HOOK, path / HOOK)
    for schema in ("policy.yaml", "policy.schema.json"):  # the policy keys the site reads
        shutil.copy(PROJECT / "schema" / schema, path / "schema" / schema)
    return path


def _cell(value) -> str:
    return str(value if value is not None else "").replace("|", "／").replace("\n", " ")


def markdown_page(d: dict) -> str:
    """One dossier as a person would write it in Markdown: the same facts, no family members."""
    out = [f"# {d['编号']} {d['姓名']}", "", f"{d.get('管档单位', '')} · {d.get('现任职务', '')}", "", "## 基本情况", "",
           "| 项目 | 内容 |", "| --- | --- |"]
    for key in ("性别", "出生年月", "民族", "籍贯", "出生地", "政治面貌", "入党时间", "参加工作时间", "健康状况",
                "专业技术职务", "熟悉专业有何专长", "管档单位", "现任职务", "职级"):
        out.append(f"| {key} | {_cell(d.get(key))} |")
    out += ["", "## 简历", ""]
    out += [f"- {r.get('起始')}—{r.get('截止') or '至今'} {r.get('内容')}" for r in d.get("简历") or []]
    for title, key, cols in (("学历学位", "学历学位", ["类别", "学历", "学位", "毕业院校", "院系专业", "入学时间", "毕业时间"]),
                             ("年度考核", "年度考核", ["年度", "结果"]),
                             ("奖惩情况", "奖惩情况", ["类别", "名称", "时间", "批准机关"]),
                             ("档案目录", "档案目录", ["类号", "序号", "材料名称", "形成时间", "页数", "接收时间"]),
                             ("认定记录", "认定记录", ["项目", "原值", "认定值", "认定机关", "认定日期"])):
        rows = d.get(key) or []
        out += ["", f"## {title}", ""]
        if rows:
            out += ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
            out += ["| " + " | ".join(_cell(r.get(c)) for c in cols) + " |" for r in rows]
        else:
            out.append("无")
    return "\n".join(out) + "\n"


def bare_project(path: Path, repo: Path, search: bool) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    (path / "docs" / "dossier").mkdir(parents=True)
    (path / "docs" / "index.md").write_text("# 干部人事档案\n\n对照用的普通 MkDocs 站点。\n", "utf-8")
    for f in sorted((repo / "dossiers").glob("*.yaml")):
        d = yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)
        (path / "docs" / "dossier" / f"{d['编号']}.md").write_text(markdown_page(d), "utf-8")
    config = yaml.safe_load((PROJECT / "mkdocs.yml").read_text("utf-8").split("\nhooks:")[0])  # no python tags above
    config.pop("validation", None)
    config["strict"] = False
    config["not_in_nav"] = "/dossier/\n"
    config["nav"] = [{"首页": "index.md"}]
    config["plugins"] = [{"search": {"lang": "zh"}}] if search else []
    config["markdown_extensions"] = ["toc", "tables", "admonition", "md_in_html"]
    (path / "mkdocs.yml").write_text(json.dumps(config, ensure_ascii=False, indent=1), "utf-8")
    return path


def index_bytes(site: Path, prefix: str = "dossier/") -> tuple[int, int]:
    docs = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    entries = [d for d in docs if d["location"].startswith(prefix)]
    return len(json.dumps(entries).encode()), len({d["location"].split("#")[0] for d in entries})


def size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _serve(site: Path):
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def scaled_site(repo: Path, site: Path, out: Path, scale: int) -> tuple[Path, int]:
    """A copy of the built site whose roster data and people index hold ``scale`` × the people."""
    import dataclasses
    import random

    from dangan.repo import Repo
    from dangan.site import datafile
    from dangan.site import people as people_index
    from dangan.site.model import collect
    from dangan.site.pages import roster

    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(site, out)
    base = collect(Repo(repo), __import__("datetime").date(2026, 11, 25))
    rnd = random.Random(7)
    given = [c for p in base.people for c in p.name[1:]]
    people = []
    for k in range(scale):
        for p in base.people:
            name = p.name if k == 0 else p.name[:1] + "".join(rnd.choice(given) for _ in p.name[1:])
            data = {**p.data, "编号": f"C{k * len(base.people) + int(p.number[1:]):06d}", "姓名": name}
            people.append(dataclasses.replace(p, number=data["编号"], name=name, data=data))
    big = dataclasses.replace(base, people=people)
    for uri, content in datafile.files(roster.data_uri(None), roster.roster_data(people, big, with_unit=True)):
        (out / uri).write_bytes(content)
    shutil.rmtree(out / people_index.DIR)
    for uri, content in people_index.shards(big):
        (out / uri).parent.mkdir(parents=True, exist_ok=True)
        (out / uri).write_bytes(content)
    return out, len(people)


def browser_figures(site: Path, people: list[dict], label: str) -> None:
    """Search bytes per query and roster timings in headless Chromium, printed."""
    import random

    sys.path.insert(0, str(PROJECT / "tests"))
    from test_site_browser import Browser
    from test_site_search import search

    server, base = _serve(site)
    browser = Browser(Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-chromium-{os.getpid()}")
    try:
        names: dict[str, int] = {}
        for d in people:
            names[d["姓名"]] = names.get(d["姓名"], 0) + 1
        rnd = random.Random(3)
        ones = rnd.sample(sorted(n for n, c in names.items() if c == 1), 10)
        many = [n for n, c in sorted(names.items(), key=lambda x: -x[1])[:3]]
        queries = ([("姓名（一人）", n) for n in ones] + [("同名", n) for n in many]
                   + [("编号", d["编号"]) for d in rnd.sample(people, 3)] + [("编号（不带 C）", people[7]["编号"][1:])]
                   + [("单位", "市财政局"), ("职务", "副局长"), ("无此人", "王建国")])
        rows = []
        for kind, q in queries:
            browser.open(base)
            hits = search(browser, q)
            read = browser.js("performance.getEntriesByType('resource').filter(e => e.name.includes('/assets/dangan/people/'))"
                              ".map(e => [e.name.split('/').pop(), e.decodedBodySize])")
            rows.append((kind, q, len(hits), len(read), sum(b for _, b in read)))
        print(f"search ({label}): bytes read per query, a fresh page each")
        for kind, q, n, files, size_ in rows:
            print(f"  {kind:10} {q:12} {n:4} hits  {files} files  {size_ / 1000:7.1f} KB")
        print(f"  largest: {max(r[4] for r in rows) / 1000:.1f} KB; median "
              f"{sorted(r[4] for r in rows)[len(rows) // 2] / 1000:.1f} KB")
        browser.open(base + "roster/")
        browser.wait("document.querySelector('table.dangan-roster').getAttribute('data-ready')", timeout=120)
        ready = int(browser.js("document.querySelector('table.dangan-roster').getAttribute('data-ready')"))
        total = browser.js("document.querySelector('.dangan-count').textContent")
        print(f"roster ({label}): {total}; ready {ready} ms after navigation start")
        for title in ("出生年月", "出生年月", "姓名", "现任职务", "籍贯", "职级"):
            took = browser.js(f"""(() => {{
                const th = [...document.querySelector('table.dangan-roster').tHead.rows[0].cells]
                    .find(h => h.textContent.startsWith('{title}'));
                const t = performance.now(); th.click(); document.body.offsetHeight; return performance.now() - t;
            }})()""")
            print(f"  sort {title:6} {took:7.1f} ms (sort and lay out one page)")
        took = browser.js("""new Promise(done => { const b = document.querySelector('.dangan-filter');
            const c = document.querySelector('.dangan-count'); const t = performance.now();
            new MutationObserver(() => done(performance.now() - t)).observe(c, {childList: true, characterData: true, subtree: true});
            b.value = '市财政局 女'; b.dispatchEvent(new Event('input')); })""")
        shown = browser.js("document.querySelector('.dangan-count').textContent")
        print(f"  filter 市财政局 女: {took:7.1f} ms (with the box's 60 ms pause) → {shown}")
    finally:
        browser.close()
        server.shutdown()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--out", type=Path, default=PROJECT / "bench" / "out")
    ap.add_argument("--repeat", type=int, default=1, help="builds per variant; the fastest counts")
    ap.add_argument("--browser", action="store_true", help="search bytes per query, roster ready/sort in Chromium")
    ap.add_argument("--scale", type=int, default=0, help="with --browser: also a synthetic K × count roster and index")
    args = ap.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    repo = our_repo(out / f"site-repo{args.count}", args.count)
    bare = bare_project(out / f"site-bare{args.count}", repo, search=True)
    bare_off = bare_project(out / f"site-bare-nosearch{args.count}", repo, search=False)
    mkdocs = str(BIN / "mkdocs")

    def best(cwd: Path, site: Path, extra=()) -> float:
        return min(run([mkdocs, "build", "-q", *extra, "-d", str(site)], cwd) for _ in range(args.repeat))

    run([BIN / "dangan", "check"], cwd=repo)  # warm the check cache, as a repository in use has it
    t_bare = best(bare, out / "site-bare-out")
    t_bare_off = best(bare_off, out / "site-bare-nosearch-out")
    for cache in (repo / ".dangan-cache" / "site-cache", repo / ".git" / "dangan" / "site-cache"):
        shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(out / "site-ours-out", ignore_errors=True)  # its manifest would spare the pages of an earlier run
    t_cold = run([mkdocs, "build", "-q", "--strict", "-d", str(out / "site-ours-out")], repo)  # pages rendered
    rss_cold = PEAK["rss"]
    t_ours = best(repo, out / "site-ours-out", ["--strict"])  # nothing changed: pages from the cache
    one = repo / "dossiers" / "C000007.yaml"  # a change of one dossier: its page alone is rendered and written
    text = one.read_text("utf-8")
    one.write_text(text.replace("\n现任职务: ", "\n现任职务: 兼", 1), "utf-8")
    try:
        t_one = run([mkdocs, "build", "-q", "--strict", "-d", str(out / "site-ours-out")], repo)
    finally:
        one.write_text(text, "utf-8")
    # ours: the people index of the search box (assets/dangan/people/, people.py), not Material's
    ours_bytes, ours_pages = size(out / "site-ours-out" / "assets" / "dangan" / "people"), args.count
    bare_bytes, bare_pages = index_bytes(out / "site-bare-out")
    print(f"{args.count} dossiers")
    print(f"bare MkDocs, search on (full text):  {t_bare:6.1f} s   index {bare_bytes / max(bare_pages, 1):7.0f} B/page   "
          f"site {size(out / 'site-bare-out') / 1e6:6.0f} MB")
    print(f"bare MkDocs, search off:             {t_bare_off:6.1f} s")
    print(f"ours (dangan site), search on, cold: {t_cold:6.1f} s   (every page rendered; check cache warm)")
    print(f"ours (dangan site), search on, warm: {t_ours:6.1f} s   index {ours_bytes / max(ours_pages, 1):7.0f} B/dossier "
          f"site {size(out / 'site-ours-out') / 1e6:6.0f} MB")
    print(f"ours, one dossier changed:           {t_one:6.1f} s   ({t_one / t_cold:.2f} of cold)")
    print(f"peak RSS, ours cold: {rss_cold:.0f} MB (target at 50,000: ≤ 2,048 MB)")
    print(f"ratio ours / bare (search on):  cold {t_cold / t_bare:.2f}  warm {t_ours / t_bare:.2f}  (target ≤ 1.2)")
    print(f"ratio ours / bare (search off): cold {t_cold / t_bare_off:.2f}  warm {t_ours / t_bare_off:.2f}")
    print(f"search index: {ours_bytes / max(ours_pages, 1):.0f} bytes per dossier (target < 1024)")
    if args.browser:
        docs = [yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader) for f in sorted((repo / "dossiers").glob("*.yaml"))]
        browser_figures(out / "site-ours-out", docs, f"{args.count}")
        if args.scale > 1:
            big, n = scaled_site(repo, out / "site-ours-out", out / "site-ours-scaled", args.scale)
            people = [{"编号": r[1], "姓名": r[0]} for r in json.loads((big / "roster" / "people.json").read_bytes())["rows"]]
            browser_figures(big, people, f"{n}, synthetic")


if __name__ == "__main__":
    main()
