"""`dangan site [--unit 管档单位] [--out 目录]`: the real CLI running the real ``mkdocs build --strict``.

A unit's own site is read back file by file (HTML, scripts, JSON data and search shards, MkDocs' search index,
sitemaps) by this test's own reading, not by the scan under test: no other unit's cadre by 姓名 or 编号, and
every one of the unit's own people present (so the test fails on an empty or a broken site too).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dangan.load import load_file

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TODAY = "2026.11.25"
UNIT = "市财政局"


def dangan(*args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess:
    env = dict(os.environ, DANGAN_TODAY=TODAY, NO_MKDOCS_2_WARNING="1")
    env.pop("DANGAN_ROOT", None)
    env.pop("DANGAN_SITE_UNIT", None)
    return subprocess.run([str(BIN / "dangan"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def people(root: Path) -> list[tuple[str, str, str]]:
    """(编号, 姓名, 管档单位) of every dossier."""
    out = []
    for path in sorted((root / "dossiers").glob("*.y*ml")):
        data = load_file(path).data
        out.append((str(data.get("编号") or path.stem), str(data.get("姓名") or ""), str(data.get("管档单位") or "").strip()))
    return out


def readable(path: Path) -> str:
    """A file's text as a reader (or a script) gets it: gzip opened, JSON (and data scripts) with escapes decoded,
    the search plugin's word breaks (U+200B) removed."""
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    text = raw.decode("utf-8", "replace")
    body = re.fullmatch(r"\(window\.DANGAN_DATA\|\|\(window\.DANGAN_DATA=\{\}\)\)\[\"[-\w/]+\"\]=(.*);\s*", text, re.S)
    if path.suffix == ".json" or body:
        text = json.dumps(json.loads(body.group(1) if body else text), ensure_ascii=False)
    return text.replace("\u200b", "")


def manual_pages(out: Path) -> set[str]:
    """The pages written by people (docs/): their example text (C000005, 张华) is the manual's, not a unit's data."""
    pages = set()
    for md in (PROJECT / "docs").rglob("*.md"):
        stem = md.relative_to(PROJECT / "docs").as_posix()[:-3]
        pages.add(f"{stem}.html" if stem.endswith("index") else f"{stem}/index.html")
    return {p for p in pages if (out / p).is_file()}


def is_manual(entry, manual: set[str]) -> bool:
    """An entry of MkDocs' search index ({"location": "manual/site/#…"}) or of its file:// copy ([location, …])
    that belongs to a manual page."""
    location = (entry["location"] if isinstance(entry, dict) else entry[0]).split("#")[0]
    return (location + "index.html") in manual or (location + "/index.html") in manual


def generated(path: Path, rel: str, manual: set[str]) -> str:
    """``readable``, without the manual's own entries of MkDocs' search index and of its file:// copy."""
    text = readable(path)
    if rel in ("search/search_index.json", "assets/dangan/manual.js"):
        entries = json.loads(text)
        entries = entries["docs"] if isinstance(entries, dict) else entries
        text = json.dumps([e for e in entries if not is_manual(e, manual)], ensure_ascii=False)
    return text


@pytest.fixture(scope="module")
def unit_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("unit") / "单位站点"
    p = dangan("site", "--unit", UNIT, "--out", str(out))
    assert p.returncode == 0, p.stdout + p.stderr
    assert "站点已生成" in p.stdout
    return out


@pytest.mark.slow
def test_unit_site_has_its_own_people_and_no_one_else(unit_site):
    everyone = people(PROJECT)
    own = [(n, name) for n, name, u in everyone if u == UNIT]
    others = [(n, name) for n, name, u in everyone if u != UNIT]
    assert len(own) >= 5 and len(others) >= 20  # the bundled repository has both
    own_names = [name for _n, name in own]
    # a name one of the unit's own people has (or holds inside theirs) cannot be told apart: not looked for
    names = {name for _n, name in others if len(name) >= 2 and not any(name in o for o in own_names)}
    numbers = {n for n, _name in others}
    manual = manual_pages(unit_site)
    assert "manual/site/index.html" in manual
    files = sorted(p for p in unit_site.rglob("*") if p.is_file() and p.suffix not in (".png", ".woff2", ".ico"))
    assert len(files) > 50
    found: dict[str, list[str]] = {}
    everything = []
    for path in files:
        rel = path.relative_to(unit_site).as_posix()
        text = generated(path, rel, manual)
        everything.append(text)
        if rel in manual:
            continue
        hits = [n for n in numbers if re.search(rf"(?<![A-Za-z0-9]){n}(?![A-Za-z0-9])", rel + "\n" + text)]
        hits += [name for name in names if name in text]
        if hits:
            found[rel] = sorted(hits)
    assert found == {}
    # the unit's own people are all there: a dossier page each, in the roster data and in the search shards
    assert {p.name for p in (unit_site / "dossier").iterdir()} == {n for n, _name in own}
    roster = readable(unit_site / "roster" / "people.json")
    shards = "".join(readable(p) for p in (unit_site / "assets" / "dangan" / "people").glob("*.json"))
    for number, name in own:
        assert name in roster and number in roster
        assert name in shards and number in shards
    home = readable(unit_site / "index.html")
    assert f'<span data-dangan="dossiers">{len(own)}</span>' in home and UNIT in home


@pytest.mark.slow
def test_the_scan_fails_a_site_holding_another_units_people(unit_site, tmp_path):
    """The same scan `dangan site --unit` runs after the build, on the unit's site with another unit's dossier
    page planted in it and one name written into a data file: both files named, both deleted."""
    from dangan.repo import Repo
    from dangan.verbs.site import leaks

    site = tmp_path / "site"
    shutil.copytree(unit_site, site)
    # the manual's examples name other units' cadres (C000005 is 市委组织部's): on its own pages that is no leak
    example = next(n for n, _name, u in people(PROJECT) if n == "C000005" and u != UNIT)
    assert example in readable(site / "manual" / "review" / "index.html")
    assert leaks(Repo(PROJECT), site, UNIT) == ""
    other_number, other_name = next((n, name) for n, name, u in people(PROJECT) if u == "市委组织部" and len(name) == 3)
    (site / "dossier" / other_number).mkdir()
    (site / "dossier" / other_number / "index.html").write_text("<p>档案</p>", "utf-8")
    data = site / "roster" / "people.json"
    data.write_text(data.read_text("utf-8")[:-1] + ',"x":' + json.dumps(other_name) + "}", "utf-8")
    overview = site / "overview" / "index.html"
    overview.write_text(overview.read_text("utf-8") + f"<p>{example}</p>", "utf-8")  # the same 编号, not the manual
    message = leaks(Repo(PROJECT), site, UNIT)
    assert f"dossier/{other_number}/index.html：其他管档单位干部的编号 {other_number}" in message
    assert f"roster/people.json：其他管档单位干部的姓名 {other_name[0]}**" in message
    assert f"overview/index.html：其他管档单位干部的编号 {example}" in message
    assert "manual/" not in message and other_name not in message
    assert not data.exists() and not overview.exists() and not (site / "dossier" / other_number / "index.html").exists()


def test_unknown_unit_is_refused_with_the_known_ones(tmp_path):
    p = dangan("site", "--unit", "财政局", "--out", str(tmp_path / "x"))
    assert p.returncode == 2
    assert "错误：没有管档单位“财政局”" in p.stderr and "市财政局、" in p.stderr and "潞州区委组织部" in p.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.slow
def test_whole_site_to_out(tmp_path):
    out = tmp_path / "整站"
    p = dangan("site", "--out", str(out))
    assert p.returncode == 0, p.stdout + p.stderr
    assert "站点已生成" in p.stdout
    assert (out / "index.html").is_file() and (out / "manual" / "site" / "index.html").is_file()
    dossiers = {q.stem for q in (PROJECT / "dossiers").glob("*.yaml")}
    assert {q.name for q in (out / "dossier").iterdir()} == dossiers
    grades = readable(out / "manage" / "index.html")  # every registered unit graded, not only one
    units = {u for _n, _name, u in people(PROJECT)}
    assert grades.count("data-dangan-grade=") == len(units) == 6


def test_out_that_would_be_emptied_is_refused(tmp_path):
    for out in (PROJECT / "dossiers", PROJECT):
        p = dangan("site", "--out", str(out))
        assert p.returncode == 2 and "错误：输出目录" in p.stderr, p.stderr
    other = tmp_path / "别的文件"
    other.mkdir()
    (other / "记录.txt").write_text("不能被清空", "utf-8")
    p = dangan("site", "--out", str(other))
    assert p.returncode == 2 and "不是空目录" in p.stderr
    assert (other / "记录.txt").is_file()


def small_repo(root: Path, mention: str | None, extra: dict[str, str] | None = None) -> Path:
    """A throw-away repository (what the site needs, three dossiers of each of two units, and ``extra`` files)
    whose first 市财政局 dossier names ``mention`` in a field its page shows."""
    root.mkdir()
    for name in ("schema", "docs"):
        shutil.copytree(PROJECT / name, root / name)
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    hook = root / "scripts" / "dangan" / "site" / "hook.py"
    hook.parent.mkdir(parents=True)
    shutil.copy(PROJECT / "scripts" / "dangan" / "site" / "hook.py", hook)
    (root / "dossiers").mkdir()
    chosen = {UNIT: [], "市委组织部": []}
    for path in sorted((PROJECT / "dossiers").glob("*.yaml")):
        unit = str(load_file(path).data.get("管档单位"))
        if unit in chosen and len(chosen[unit]) < 3:
            chosen[unit].append(path)
    first = chosen[UNIT][0]
    for path in chosen[UNIT] + chosen["市委组织部"]:
        raw = path.read_text("utf-8")
        if path == first and mention:
            raw = re.sub(r"^熟悉专业有何专长: .*$", f"熟悉专业有何专长: 曾与{mention}共事", raw, count=1, flags=re.M)
        (root / "dossiers" / path.name).write_text(raw, "utf-8")
    for name, raw in (extra or {}).items():
        (root / "dossiers" / name).write_text(raw, "utf-8")
    return root


@pytest.mark.slow
def test_a_unit_dossier_naming_another_units_cadre_fails_the_build(tmp_path):
    """The hook scans too (a plain `DANGAN_SITE_UNIT=… mkdocs build`), and so does `dangan site --unit` after it."""
    others = [(p, load_file(p).data) for p in sorted((PROJECT / "dossiers").glob("*.yaml"))]
    name = next(d["姓名"] for _p, d in others if d.get("管档单位") == "市委组织部" and len(d["姓名"]) == 3)
    root = small_repo(tmp_path / "repo", name)
    first = next(p.stem for p in sorted((root / "dossiers").glob("*.yaml")) if load_file(p).data["管档单位"] == UNIT)
    env = dict(os.environ, DANGAN_TODAY=TODAY, NO_MKDOCS_2_WARNING="1", DANGAN_SITE_UNIT=UNIT)
    env.pop("DANGAN_ROOT", None)
    out = tmp_path / "out"
    p = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-d", str(out)], cwd=root, env=env,
                       capture_output=True, text=True, timeout=600)
    assert p.returncode != 0
    assert f"dossier/{first}/index.html" in p.stderr and "其他管档单位干部的姓名" in p.stderr, p.stderr
    assert name not in p.stderr
    assert not (out / "dossier" / first / "index.html").exists()
    p = dangan("site", "--unit", UNIT, "--out", str(tmp_path / "out2"), cwd=root)
    assert p.returncode == 1 and f"dossier/{first}/index.html" in p.stderr and "站点生成失败" in p.stderr, p.stderr
    p = dangan("site", "--unit", "市委组织部", "--out", str(tmp_path / "out3"), cwd=root)  # the other way: no leak
    assert p.returncode == 0, p.stderr


def test_scan_tells_a_name_from_the_sites_own_words(tmp_path):
    """A two-character name inside the site's own wording (任平 in 新任平均分) is not a person; alone, or inside
    a dossier's text, it is; the manual's page may name what the manual's source names, no other page may."""
    from dangan.site.scan import scan_people, wording

    words = wording(PROJECT / "schema")
    assert "新任平均分" in words
    (tmp_path / "manage").mkdir()
    (tmp_path / "manage" / "index.html").write_text("<th>新任平均分</th>", "utf-8")
    (tmp_path / "a.html").write_text("<td>任平</td>", "utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"x": "曾与任平共事"}), "utf-8")
    (tmp_path / "manual").mkdir()
    (tmp_path / "manual" / "index.html").write_text("<p>例如 C000005 任平</p>", "utf-8")
    (tmp_path / "c.html").write_text("<p>例如 C000005</p>", "utf-8")
    hits = scan_people(tmp_path, {"任平"}, {"C000005"}, {"manual/index.html": "manual/"}, "例如 C000005 任平", words)
    assert sorted((h.path, h.where) for h in hits) == [("a.html", "姓名"), ("b.json", "姓名"), ("c.html", "编号")]
    assert all(h.value in ("任*", "C000005") for h in hits)


@pytest.mark.slow
def test_a_copy_whose_original_is_another_units_names_it_not(tmp_path):
    """市财政局 keeps the 副本 C000004, 市委组织部 the 正本 (C000900 here, one key fact differing): the 副本's
    findings (X005) name the 正本 by 编号 on the whole site, on 市财政局's own site as another unit's dossier."""
    raw = (PROJECT / "dossiers" / "C000004.yaml").read_text("utf-8")
    assert "档案类别: 副本" in raw and "管档单位: 市财政局" in raw
    original = re.sub(r"^(档案类别|正本保管单位): .*\n", "", raw, flags=re.M)
    original = original.replace("编号: C000004", "编号: C000900").replace("管档单位: 市财政局", "管档单位: 市委组织部")
    original = original.replace('参加工作时间: "2003.08"', '参加工作时间: "2003.09"')
    root = small_repo(tmp_path / "repo", None, {"C000900.yaml": original})
    p = dangan("site", "--out", str(tmp_path / "whole"), cwd=root)
    assert p.returncode == 0, p.stderr
    assert "C000900" in readable(tmp_path / "whole" / "dossier" / "C000004" / "index.html")
    p = dangan("site", "--unit", UNIT, "--out", str(tmp_path / "unit"), cwd=root)
    assert p.returncode == 0, p.stderr
    page = readable(tmp_path / "unit" / "dossier" / "C000004" / "index.html")
    assert "X005" in page and "（另一管档单位的档案）" in page and "C000900" not in page


@pytest.mark.slow
def test_staff_shown_in_their_role_may_share_a_cadres_name(tmp_path):
    """The 审核人 of 市财政局's 部务会 list (郝建军, ledgers/任前审核.yaml) is, here, also the name of a 市委组织部
    cadre: shown as the reviewer it is no leak; that cadre's 编号 still appears nowhere."""
    root = small_repo(tmp_path / "repo", None)
    (root / "ledgers").mkdir()
    shutil.copy(PROJECT / "ledgers" / "任前审核.yaml", root / "ledgers" / "任前审核.yaml")
    other = next(p for p in sorted((root / "dossiers").glob("*.yaml")) if load_file(p).data["管档单位"] == "市委组织部")
    old = load_file(other).data["姓名"]
    other.write_text(other.read_text("utf-8").replace(f"姓名: {old}", "姓名: 郝建军", 1), "utf-8")
    assert load_file(other).data["姓名"] == "郝建军"
    out = tmp_path / "out"
    p = dangan("site", "--unit", UNIT, "--out", str(out), cwd=root)
    assert p.returncode == 0, p.stderr
    pending = readable(out / "manage" / "pending" / "index.html")
    assert "审核人 郝建军" in pending and "C000004" in pending
    manual = manual_pages(out)
    assert not [f for f in out.rglob("*") if f.is_file() and f.suffix in (".html", ".json", ".js")
                and (rel := f.relative_to(out).as_posix()) not in manual and other.stem in generated(f, rel, manual)]


@pytest.mark.slow
def test_a_candidate_transferred_out_stays_on_the_units_list(tmp_path):
    """C000004 (市财政局) is on the 部务会 list (ledgers/任前审核.yaml); its dossier was then transferred out
    (committed, then removed): the unit's own site still lists the candidate, as the whole site does."""
    root = small_repo(tmp_path / "repo", None)
    assert (root / "dossiers" / "C000004.yaml").is_file()
    (root / "ledgers").mkdir()
    shutil.copy(PROJECT / "ledgers" / "任前审核.yaml", root / "ledgers" / "任前审核.yaml")
    git = ["git", "-c", "user.name=测试", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "--no-verify", "-m", "建库"], cwd=root, check=True)
    subprocess.run([*git, "rm", "-q", "dossiers/C000004.yaml"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "--no-verify", "-m", "转出 C000004"], cwd=root, check=True)
    for unit, out in ((UNIT, tmp_path / "unit"), ("市委组织部", tmp_path / "other")):
        p = dangan("site", "--unit", unit, "--out", str(out), cwd=root)
        assert p.returncode == 0, p.stderr
    pending = readable(tmp_path / "unit" / "manage" / "pending" / "index.html")
    assert "C000004" in pending and "档案 C000004 已不在 dossiers/ 中" in pending, pending[-2000:]
    assert "C000004" not in readable(tmp_path / "other" / "manage" / "pending" / "index.html")
    # the command's own scan kept its verdicts (one per output folder); built again with them, the site still passes
    verdicts = list((root / ".git" / "dangan" / "site-leaks").glob("*.json"))
    assert len(verdicts) == 2
    page = tmp_path / "unit" / "dossier" / "C000004"
    assert not page.exists()
    p = dangan("site", "--unit", UNIT, "--out", str(tmp_path / "unit"), cwd=root)
    assert p.returncode == 0, p.stderr
    assert all(v.is_file() for v in verdicts)
