"""Benchmarks for `dangan check`, as ratios against baselines measured in the same run.

The machines are shared and noisy, so absolute seconds mean little; each figure is printed
beside the baseline it must be compared with (targets from the foundation issue):

  cold check      ≤ 1.5 × parsing the same files with yaml.CSafeLoader in one process
  vs check-jsonschema  ≥ 10 × faster, same schema, same files
  warm check      ≤ 1 s for 10,000 dossiers (nothing changed since the last run)
  pre-commit      a one-file commit in a 10,000-file repository adds < 1 s

Usage: python bench/run.py [--count 5000] [--warm-count 10000] [--skip-cjs] [--out bench/out]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

BIN = Path(sys.executable).parent
DANGAN = str(BIN / "dangan")
ENV = {**os.environ, "DANGAN_TODAY": "2026.11.25", "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run(args, cwd, check=True):
    proc = subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True)
    if check and proc.returncode not in (0, 1):
        sys.exit(f"{args[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return proc


def drop_cache(repo: Path):
    for d in (repo / ".git" / "dangan", repo / ".dangan-cache"):
        shutil.rmtree(d, ignore_errors=True)


def make_repo(path: Path, count: int) -> Path:
    if not (path / "dossiers").is_dir() or len(list((path / "dossiers").glob("*.yaml"))) != count:
        shutil.rmtree(path, ignore_errors=True)
        run([DANGAN, "generate", "--count", str(count), "--out", str(path), "--seed", "7"], cwd=".")
    return path


def parse_all(files):
    for f in files:
        yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--warm-count", type=int, default=10000)
    ap.add_argument("--skip-cjs", action="store_true", help="skip the check-jsonschema comparison")
    ap.add_argument("--skip-hook", action="store_true", help="skip the pre-commit measurement")
    ap.add_argument("--out", type=Path, default=Path("bench/out"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    repo = make_repo(args.out / f"repo{args.count}", args.count)
    files = sorted(p.resolve() for p in (repo / "dossiers").glob("*.yaml"))
    size = sum(f.stat().st_size for f in files) / len(files) / 1024
    print(f"{len(files)} dossiers, {size:.1f} KB on average")

    base = timed(lambda: parse_all(files))
    print(f"baseline  yaml.CSafeLoader parse, one process: {base:.2f} s ({base / len(files) * 1000:.2f} ms/file)")

    def cold():
        drop_cache(repo)
        run([DANGAN, "check", "-q"], cwd=repo)

    t_cold = timed(cold)
    print(f"cold      dangan check: {t_cold:.2f} s  → {t_cold / base:.2f} × baseline (target ≤ 1.5)")
    t_cold1 = timed(lambda: (drop_cache(repo), run([DANGAN, "check", "-q", "-j", "1"], cwd=repo)), repeat=1)
    print(f"cold, one core: {t_cold1:.2f} s  → {t_cold1 / base:.2f} × baseline")

    if not args.skip_cjs:
        cjs = str(BIN / "check-jsonschema")
        t_cjs = timed(lambda: run([cjs, "--schemafile", str((repo / "schema" / "dossier.schema.json").resolve()), *map(str, files)],
                                  cwd=repo, check=False), repeat=1)
        print(f"check-jsonschema, same schema and files: {t_cjs:.2f} s  → dangan is {t_cjs / t_cold:.1f} × faster "
              "(target ≥ 10)")

    warm_repo = make_repo(args.out / f"repo{args.warm_count}", args.warm_count)
    run([DANGAN, "check", "-q"], cwd=warm_repo)  # fill the cache
    t_warm = timed(lambda: run([DANGAN, "check", "-q"], cwd=warm_repo))
    t_version = timed(lambda: run([DANGAN, "--version"], cwd=warm_repo))
    print(f"warm      dangan check, {args.warm_count} dossiers: {t_warm:.2f} s (target ≤ 1 s; "
          f"interpreter start + imports alone: {t_version:.2f} s)")

    if not args.skip_hook:
        root = Path(__file__).resolve().parents[1]
        shutil.copy(root / ".pre-commit-config.yaml", warm_repo)  # always the current hooks
        (warm_repo / "scripts").mkdir(exist_ok=True)
        shutil.copy(root / "scripts" / "run-dangan", warm_repo / "scripts")
        if not (warm_repo / ".git").is_dir():
            for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "init", "--no-verify"]):
                run(cmd, cwd=warm_repo)
            run([str(BIN / "pre-commit"), "install"], cwd=warm_repo)
        run(["git", "add", ".pre-commit-config.yaml", "scripts/run-dangan"], cwd=warm_repo)
        run(["git", "commit", "-qm", "hooks", "--no-verify"], cwd=warm_repo, check=False)
        target = sorted((warm_repo / "dossiers").glob("*.yaml"))[0].resolve()
        text = target.read_text("utf-8")

        def commit(verify: bool):
            nonlocal text
            text = text.replace("健康状况: 健康", "健康状况: 良好") if "健康状况: 健康" in text else \
                text.replace("健康状况: 良好", "健康状况: 健康")
            target.write_text(text, "utf-8")
            run(["git", "add", str(target)], cwd=warm_repo)
            run(["git", "commit", "-qm", "bench", *([] if verify else ["--no-verify"])], cwd=warm_repo)

        commit(True)  # warm the hook environment and cache
        t_plain = timed(lambda: commit(False))
        t_hook = timed(lambda: commit(True))
        print(f"pre-commit one-file commit in {args.warm_count} files: {t_hook:.2f} s vs {t_plain:.2f} s without hooks "
              f"→ adds {t_hook - t_plain:.2f} s (target < 1 s)")


if __name__ == "__main__":
    main()
