"""Synthetic dossiers for demos and benchmarks (`dangan generate`).

Every person is fictional: names are drawn from common surnames and given-name characters,
ID numbers are made up (valid check digit, county code valid in the birth year per
python-stdnum's table). Everything comes from one ``random.Random(seed)``; the wall clock is
read only through ``as_of``, so the same seed and as-of date give byte-identical files.

Each dossier is built as a consistent story: education → first job → posts rising through
the ranks, with every material the rules ask for registered in the catalog and cited
where the file relies on it. The YAML text is written by ``yamltext.Layout`` (not by yaml.dump) in
the shape a clerk writes by hand: schema key order, quoted dates, one catalog entry per line.

This module holds the entry points (the repository, the dossiers, their files); the parts are:
``common`` (helpers), ``places``, ``names``, ``orgs``, ``education``, ``catalog`` (materials), ``text`` (YAML
text), ``world`` (World, Span), and one person's story: ``person`` (Person: build, records, size, document) with
its mixins ``plan`` (education, career, politics), ``materials``, ``appraisal`` (assessments, rewards,
determinations) and ``family``, over ``state`` (the attributes they share).
"""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

from ..atomic import write_atomic
from ..dates import day_text as _dt
from ..dates import today as default_today
from ..repo import DOSSIER_DIR, SCHEMA_DIR, RepoError
from .common import pick
from .person import Person
from .text import plain, render
from .world import World

__all__ = ["World", "generate_dossiers", "generate_files", "generate_repo", "plain", "render"]

UNIT_WEIGHTS = {"市委组织部": 24, "市财政局": 16, "市教育局": 15, "市卫生健康委员会": 14, "市住房和城乡建设局": 13,
                "潞州区委组织部": 18}


def _people(world: World, count: int, seed: int):
    master = random.Random(seed)
    units = [(u, UNIT_WEIGHTS.get(u, 12)) for u in world.units]
    for i in range(1, count + 1):
        rng = random.Random(master.getrandbits(64))
        number = f"{world.prefix}{i:06d}"
        person = Person(world, rng, number, pick(rng, units))
        yield number, person, person.build()


def generate_dossiers(world: World, count: int, seed: int):
    """(编号, document) for ``count`` fictional cadres; deterministic for (seed, world.as_of)."""
    for number, _person, doc in _people(world, count, seed):
        yield number, doc


def generate_files(world: World, count: int, seed: int):
    """(编号, YAML text) for ``count`` fictional cadres (the text sizing already wrote, when it is final)."""
    for number, person, doc in _people(world, count, seed):
        yield number, person.text or render(doc, world.layout)


# What makes the generated folder a repository that builds and checks as is: the site's configuration, the manual
# its navigation links to, the MkDocs hook(s) mkdocs.yml names, and the commit hooks' configuration.
SITE_FILES = ("mkdocs.yml", ".gitattributes", ".pre-commit-config.yaml", "scripts/run-dangan")


def dossier_hooks(config: str) -> str:
    """The checkout's .pre-commit-config.yaml for a dossier repository: the dangan hook(s) only. The hooks on the
    project's own code (ruff, through scripts/run-tool) have nothing to lint there and no tool to run."""
    out, skipping = [], False
    for line in config.splitlines(keepends=True):
        if line.startswith("      - id: "):
            skipping = not line[len("      - id: "):].strip().startswith("dangan")
        elif skipping and not line.startswith("        "):
            skipping = False  # the next hook's comment, or the end of the list
        if not skipping:
            out.append(line)
    return "".join(out)


def _hook_paths(mkdocs_yml: Path) -> list[str]:
    """The ``hooks:`` entries of mkdocs.yml, read as text (the file may hold !!python tags a safe loader refuses)."""
    paths, inside = [], False
    for line in mkdocs_yml.read_text("utf-8").splitlines():
        if line.startswith("hooks:"):
            inside = True
        elif inside and line.startswith("  - "):
            paths.append(line[4:].strip())
        elif inside and line.strip() and not line.startswith(" "):
            break
    return paths


def _copy_site_files(root: Path, out: Path) -> None:
    """Copy what the site build and the hooks need from the checkout ``root`` into ``out`` (what is already there
    stays); nothing when ``root`` is not a checkout with a site."""
    if not (root / "mkdocs.yml").is_file() or root.resolve() == out.resolve():
        return
    files = [root / name for name in (*SITE_FILES, *_hook_paths(root / "mkdocs.yml"))]
    files += [p for p in sorted((root / "docs").rglob("*")) if p.is_file()] if (root / "docs").is_dir() else []
    for path in files:
        target = out / path.relative_to(root)
        if path.is_file() and "__pycache__" not in path.parts and not target.exists():
            data = path.read_bytes()
            if path.name == ".pre-commit-config.yaml":
                data = dossier_hooks(data.decode("utf-8")).encode("utf-8")
            write_atomic(target, data)
            if os.access(path, os.X_OK):
                target.chmod(target.stat().st_mode | 0o111)


def generate_repo(out: Path, count: int, source: Path, seed: int = 1, as_of: dt.date | None = None) -> int:
    """Make ``out`` a complete dossier repository of ``count`` fictional cadres, with a copy of the schema
    directory ``source``; returns how many were written."""
    out = Path(out)
    as_of = as_of or default_today()
    dossier_dir = out / DOSSIER_DIR
    if dossier_dir.is_dir() and any(p.suffix in (".yaml", ".yml") for p in dossier_dir.iterdir()):
        raise RepoError(f"{dossier_dir} 中已有档案文件，生成会与之混在一起：请指定一个新的或空的输出目录")
    if as_of < dt.date(2000, 1, 1):
        raise RepoError(f"生成日期 {_dt(as_of)} 太早：演示档案的人员生于 1965—1998 年，日期须在 2000 年以后")
    if not (source / "dossier.schema.json").is_file():
        raise RepoError(f"找不到要复制的 schema 目录（{source}）：请在档案仓库内运行，或设置环境变量 DANGAN_ROOT")
    world = World(source, as_of)
    target = out / SCHEMA_DIR
    if target.resolve() != source.resolve():
        for path in sorted(source.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                write_atomic(target / path.relative_to(source), path.read_bytes(), overwrite=True)
    _copy_site_files(source.parent, out)
    written = 0
    for number, text in generate_files(world, count, seed):
        write_atomic(dossier_dir / f"{number}.yaml", text.encode("utf-8"))
        written += 1
    return written
