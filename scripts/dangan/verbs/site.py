"""``dangan site [--unit 管档单位] [--out 目录]``: the internal site, built by the real ``mkdocs build --strict``.

The build is MkDocs with this repository's mkdocs.yml and its hook (``dangan.site``), exactly as ``make site``;
the command only chooses the output directory (``-d``) and, for a unit's own site, hands the unit to the hook
through the environment (``dangan.site.UNIT_ENV``): the hook then collects only that unit's dossiers and
everything shown beside them (``site/model.collect``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path, PurePosixPath

from ..errors import UsageError
from ..repo import DOSSIER_DIR, NUMBER, SCHEMA_DIR, TEAM_DIR, Repo
from ..site import UNIT_ENV

SITE_DIR = "site"
CONFIG = "mkdocs.yml"
_SHOWN = 20  # files listed in the leak message
_KEPT = (DOSSIER_DIR, SCHEMA_DIR, TEAM_DIR, "ledgers", "docs", "scripts", ".git")  # never an output directory


class SiteError(UsageError):
    """The site cannot be built as asked (exit 2); a failed build itself is exit 1."""


def known_units(repo: Repo) -> list[str]:
    """The 管档单位 of the policy file, in its order."""
    units = repo.policy.get("管档单位", default=[]) or []
    return [u for u in units if isinstance(u, str)]


def check_unit(repo: Repo, unit: str) -> str:
    """The unit as given, when the policy file registers it; else a refusal listing the registered ones."""
    unit = unit.strip()
    units = known_units(repo)
    if unit not in units:
        known = "、".join(units) or "（政策文件中还没有登记管档单位）"
        raise SiteError(f"没有管档单位“{unit}”：--unit 应是政策文件（schema/policy.yaml）“管档单位”中登记的一个：{known}")
    return unit


def default_out(repo: Repo, unit: str | None) -> Path:
    """site/ for the whole site; site-<unit>/ beside it for a unit's own (never inside the whole site)."""
    return repo.root / (SITE_DIR if unit is None else f"{SITE_DIR}-{unit}")


def check_out(repo: Repo, out: Path) -> Path:
    """MkDocs empties the output directory before it writes: refuse one that holds anything else."""
    out = out.resolve()
    root = repo.root.resolve()
    if out == root or root.is_relative_to(out):
        raise SiteError(f"输出目录 {out} 包含档案仓库本身：构建前会清空输出目录，请另选一个目录")
    for kept in _KEPT:
        if out.is_relative_to(root / kept):
            raise SiteError(f"输出目录 {out} 在仓库的 {kept}/ 中：构建前会清空输出目录，请另选一个目录")
    if out.exists() and not out.is_dir():
        raise SiteError(f"输出目录 {out} 是一个文件")
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").is_file() and not (out / "sitemap.xml").is_file():
        raise SiteError(f"输出目录 {out} 不是空目录，也不像以前生成的站点（没有 index.html）："
                        "构建前会清空输出目录，请给一个空目录或新目录")
    return out


def build(repo: Repo, out: Path, unit: str | None) -> int:
    """Run ``mkdocs build --strict -d out`` in the repository (its messages go to the terminal); the exit code."""
    if not (repo.root / CONFIG).is_file():
        raise SiteError(f"{repo.root} 下没有 {CONFIG}：站点的配置随档案仓库提供（dangan generate 生成的仓库也有）")
    env = dict(os.environ)
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    env.pop(UNIT_ENV, None)
    if unit is not None:
        env[UNIT_ENV] = unit
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(repo.root / CONFIG),
               "-d", str(out)]
    return subprocess.run(command, cwd=repo.root, env=env).returncode


def _authored(repo: Repo) -> tuple[dict[str, str], str]:
    """(output path → address of every page written by people, their source text): the files of docs_dir
    (docs/ unless mkdocs.yml says otherwise), as MkDocs writes them (use_directory_urls)."""
    config = (repo.root / CONFIG).read_text("utf-8", "replace")
    m = re.search(r"^docs_dir:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", config, re.M)
    docs = repo.root / (m.group(1) if m else "docs")
    flat = re.search(r"^use_directory_urls:\s*false\b", config, re.M | re.I) is not None
    out: dict[str, str] = {}
    texts = []
    for path in sorted(p for p in docs.rglob("*") if p.is_file()) if docs.is_dir() else []:
        rel = path.relative_to(docs).as_posix()
        if path.suffix.lower() != ".md":
            out[rel] = rel
            continue
        texts.append(path.read_text("utf-8", "replace"))
        stem = rel[:-3]
        if flat:
            out[stem + ".html"] = stem + ".html"
        elif stem == "index" or stem.endswith("/index"):
            out[stem + ".html"] = stem[:-5]
        else:
            out[stem + "/index.html"] = stem + "/"
    return out, "\n".join(texts)


class Verdicts:
    """The files of a unit's site that passed this command's own scan for the same names last time and are the
    same files since (size, mtime, inode: a page the build did not rewrite keeps all three): not read again.
    Sealed in the repository's cache, one per output folder; anything that does not verify, everything is read."""

    def __init__(self, repo: Repo, out: Path, *looked_for):
        import hashlib

        from .. import cachefile

        self.out = out
        where = hashlib.sha1(str(out.resolve()).encode()).hexdigest()[:16]
        self.path = repo.cache_dir() / "site-leaks" / f"{where}.json"
        self.key = hashlib.sha1(repr(looked_for).encode()).hexdigest()
        stored = cachefile.load(self.path, "site-leaks")
        self.passed: set[str] = set()
        if isinstance(stored, dict) and stored.get("key") == self.key and isinstance(stored.get("files"), dict):
            self.passed = {rel for rel, seen in stored["files"].items() if seen == self._seen(out / rel)}

    @staticmethod
    def _seen(path: Path) -> list[int] | None:
        try:
            st = path.stat()
        except OSError:
            return None
        return [st.st_size, st.st_mtime_ns, st.st_ino]

    def save(self) -> None:
        from .. import cachefile

        files = {p.relative_to(self.out).as_posix(): self._seen(p) for p in self.out.rglob("*") if p.is_file()}
        cachefile.save(self.path, "site-leaks", {"key": self.key, "files": files})


def leaks(repo: Repo, out: Path, unit: str) -> str:
    """The post-build scan of a unit's own site: "" when no other unit's cadre (姓名 or 编号) is in any file;
    else the message, the files holding one deleted.

    Independent of the hook's filter: every dossier's 管档单位 is read again here (through the site's cache of
    parsed dossiers, by blob id) and whatever the hook did, the output is looked at file by file (``site.scan.scan_people``). A name that one of the unit's own people
    also has (or holds inside theirs: 王兰 in 王兰芳) cannot be told apart and is not looked for; nor is one
    inside the project's own words (任平 in 新任平均分, ``site.scan.wording``), nor a name of staff the site shows
    in their role (``site.staff``): their 编号 still is.
    """
    from ..packed import light
    from ..privacy import scrub
    from ..site import staff
    from ..site.cache import SiteCache
    from ..site.scan import scan_people, wording

    cache = SiteCache(repo)  # parsed data by blob id, as the build left it: a file changed since is read again
    own, names, numbers = set(), set(), set()
    mine: list[dict] = []
    for rel, data in cache.read({repo.rel(path): path for path in repo.dossiers()}):
        data = light(data) if isinstance(data, dict) else {}
        value, number = data.get("姓名"), data.get("编号")
        name = "".join(value.split()) if isinstance(value, str) else ""
        if str(data.get("管档单位") or "").strip() == unit:
            own.add(name)
            mine.append(data)
            continue
        names.add(name)
        numbers |= {n for n in (number, PurePosixPath(rel).stem) if isinstance(n, str) and NUMBER.fullmatch(n)}
    shown = staff.names(repo, mine)  # shown in their role (a 审核人, a Git author), not as cadres
    names = {n for n in names if len(n) >= 2 and n not in shown and not any(n in o for o in own)}
    authored, source = _authored(repo)
    words = wording(repo.schema_dir)
    verdicts = Verdicts(repo, out, sorted(names), sorted(numbers), authored, source, words)
    hits = scan_people(out, names, numbers, authored, source, words, skip=verdicts.passed)
    if not hits:
        verdicts.save()
        return ""
    files = sorted({h.path for h in hits})
    for rel in files:
        (out / rel).unlink(missing_ok=True)
    lines = []
    for rel in files[:_SHOWN]:
        parts = []
        for kind in ("姓名", "编号"):
            values = sorted({h.value for h in hits if h.path == rel and h.where == kind})
            if values:
                parts.append(f"{kind} " + "、".join(values[:5]) + (f" 等 {len(values)} 个" if len(values) > 5 else ""))
        lines.append(f"  {rel}：其他管档单位干部的" + "；".join(parts))
    if len(files) > _SHOWN:
        lines.append(f"  ……另有 {len(files) - _SHOWN} 个文件")
    return scrub(f"“{unit}”的站点中有其他管档单位的干部（{len(files)} 个文件，已删除）：\n" + "\n".join(lines)
                 + "\n单位的站点只能有本单位的干部：请把输出目录整个删除，并把这个问题报告给维护人员")
