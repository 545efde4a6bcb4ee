"""Benchmark of the site build: N generated dossiers vs a bare MkDocs build of N comparable pages.

Both builds run in the same invocation on the same machine (absolute seconds mean little on a
shared machine; the ratio is the figure). Target from the site issue: our build, search on, in at
most 1.2 × the bare build, and a search index under 1 KB per dossier.

- ours: ``dangan generate`` → a dossier repository with this project's mkdocs.yml, docs/ and hook;
  ``mkdocs build --strict`` (generated pages, the people index of the search box, post-build scans).
- bare: the same theme and Markdown extensions, no hook, N hand-written-style Markdown pages (one
  per dossier, the same facts as headings, lists and tables) outside the navigation, search on
  (full text, as MkDocs indexes by default); and once more with search off.
- ours is built twice: cold (no site cache: every dossier parsed and every page rendered; the check
  cache is warm, as in a repository in use) and warm (nothing changed since).

Usage: python bench/site.py [--count 5000] [--out bench/out] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ENV = {**os.environ, "DANGAN_TODAY": "2026.11.25", "NO_MKDOCS_2_WARNING": "1",
       "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
HOOK = "scripts/dangan/site/hook.py"


def run(args, cwd) -> float:
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--out", type=Path, default=PROJECT / "bench" / "out")
    ap.add_argument("--repeat", type=int, default=1, help="builds per variant; the fastest counts")
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
    for cache in (repo / ".dangan-cache" / "site-cache.json", repo / ".git" / "dangan" / "site-cache.json"):
        cache.unlink(missing_ok=True)
    t_cold = run([mkdocs, "build", "-q", "--strict", "-d", str(out / "site-ours-out")], repo)  # pages rendered
    t_ours = best(repo, out / "site-ours-out", ["--strict"])  # nothing changed: pages from the cache
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
    print(f"ratio ours / bare (search on):  cold {t_cold / t_bare:.2f}  warm {t_ours / t_bare:.2f}  (target ≤ 1.2)")
    print(f"ratio ours / bare (search off): cold {t_cold / t_bare_off:.2f}  warm {t_ours / t_bare_off:.2f}")
    print(f"search index: {ours_bytes / max(ours_pages, 1):.0f} bytes per dossier (target < 1024)")


if __name__ == "__main__":
    main()
