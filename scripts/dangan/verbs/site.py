"""``dangan site [--unit 管档单位] [--out 目录]``: the internal site, built by the real ``mkdocs build --strict``.

The build is MkDocs with this repository's mkdocs.yml and its hook (``dangan.site``), exactly as ``make site``;
the command only chooses the output directory (``-d``) and, for a unit's own site, hands the unit to the hook
through the environment (``dangan.site.UNIT_ENV``): the hook then collects only that unit's dossiers and
everything shown beside them (``site/model.collect``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..errors import UsageError
from ..repo import DOSSIER_DIR, SCHEMA_DIR, TEAM_DIR, Repo
from ..site import UNIT_ENV

SITE_DIR = "site"
CONFIG = "mkdocs.yml"
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
