"""Benchmark for the central repository (issue 21): a push of one commit changing one dossier, as a ratio against
the same push to a plain bare repository in the same run; and the clerk's side, a one-dossier commit with the
pre-commit hooks against the same commit with ``--no-verify``.

Targets:

  one-dossier push    ≤ 2 × the plain push + 1 s, at 1,000, 10,000 and 50,000 dossiers
  one-dossier commit  the hooks add < 1 s (at the largest count measured)

The repositories (``dangan generate``) are kept under --out; the bare repositories are made afresh each run, so
the first push to the central repository (everything checked, its index written) is measured too.

Usage: python bench/push.py [--counts 1000,10000] [--big] [--repeat 3] [--skip-hook] [--out bench/out]
       --big (or DANGAN_BENCH_BIG=1) adds 50,000 dossiers: generating them takes a few minutes, once.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
DANGAN = str(BIN / "dangan")
ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "DANGAN_TODAY": "2026.11.25", "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
       "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "管档员",
       "GIT_AUTHOR_EMAIL": "clerk@example.invalid", "GIT_COMMITTER_NAME": "管档员",
       "GIT_COMMITTER_EMAIL": "clerk@example.invalid"}


def sh(args, cwd, check=True) -> subprocess.CompletedProcess:
    p = subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True)
    if check and p.returncode:
        sys.exit(f"{' '.join(map(str, args))} failed ({p.returncode}): {p.stderr[-2000:]}")
    return p


def timed(args, cwd) -> float:
    start = time.perf_counter()
    sh(args, cwd)
    return time.perf_counter() - start


def build(path: Path, count: int) -> Path:
    """A generated repository of ``count`` dossiers, committed (kept between runs)."""
    marker = path / ".git" / f"bench-push-{count}"
    if marker.exists():
        return path
    shutil.rmtree(path, ignore_errors=True)
    sh([DANGAN, "generate", "--count", str(count), "--out", str(path), "--seed", "7"], cwd=".")
    sh(["git", "init", "-q", "-b", "main"], cwd=path)
    sh(["git", "add", "-A"], cwd=path)
    sh(["git", "commit", "-qm", "生成的档案", "--no-verify"], cwd=path)
    marker.touch()
    return path


class Change:
    """One routine change of one dossier (健康状况 back and forth), committed without hooks or with them."""

    def __init__(self, repo: Path):
        self.repo = repo
        self.target = sorted((repo / "dossiers").glob("*.yaml"))[0]

    def commit(self, verify: bool = False) -> None:
        text = self.target.read_text("utf-8")
        text = text.replace("健康状况: 健康", "健康状况: 良好") if "健康状况: 健康" in text else \
            text.replace("健康状况: 良好", "健康状况: 健康")
        self.target.write_text(text, "utf-8")
        sh(["git", "add", str(self.target)], cwd=self.repo)
        sh(["git", "commit", "-qm", "更新健康状况", *([] if verify else ["--no-verify"])], cwd=self.repo)


def remotes(repo: Path, out: Path, count: int) -> tuple[str, str]:
    central, plain = out / f"push{count}-central.git", out / f"push{count}-plain.git"
    for bare in (central, plain):
        shutil.rmtree(bare, ignore_errors=True)
    sh([DANGAN, "server", "init", str(central)], cwd=".")
    sh(["git", "init", "-q", "--bare", "-b", "main", str(plain)], cwd=".")
    for name, bare in (("central", central), ("plain", plain)):
        sh(["git", "remote", "remove", name], cwd=repo, check=False)
        sh(["git", "remote", "add", name, str(bare)], cwd=repo)
    return "central", "plain"


def push_bench(out: Path, count: int, repeat: int) -> Path:
    repo = build(out / f"push{count}", count)
    central, plain = remotes(repo, out, count)
    first_plain = timed(["git", "push", "-q", plain, "main"], repo)
    first_central = timed(["git", "push", "-q", central, "main"], repo)
    print(f"{count:>6} dossiers  first push (everything checked, index written): {first_central:.2f} s "
          f"vs plain {first_plain:.2f} s")
    change = Change(repo)
    times_central, times_plain = [], []
    for _ in range(repeat):
        change.commit()
        times_plain.append(timed(["git", "push", "-q", plain, "main"], repo))
        times_central.append(timed(["git", "push", "-q", central, "main"], repo))
    t_c, t_p = sorted(times_central)[len(times_central) // 2], sorted(times_plain)[len(times_plain) // 2]
    verdict = "ok" if t_c <= 2 * t_p + 1 else "OVER"
    print(f"{count:>6} dossiers  one-dossier push: {t_c:.2f} s vs plain {t_p:.2f} s → {t_c / t_p:.1f} ×, "
          f"+{t_c - t_p:.2f} s (target ≤ 2 × plain + 1 s = {2 * t_p + 1:.2f} s: {verdict}; median of {repeat})")
    return repo


def hook_bench(repo: Path, count: int, repeat: int) -> None:
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo)  # always the current hooks
    (repo / "scripts").mkdir(exist_ok=True)
    for name in ("run-dangan", "run-tool"):
        if (ROOT / "scripts" / name).is_file():
            shutil.copy(ROOT / "scripts" / name, repo / "scripts")
    sh([str(BIN / "pre-commit"), "install", "-f"], cwd=repo)
    sh(["git", "add", ".pre-commit-config.yaml", "scripts"], cwd=repo)
    sh(["git", "commit", "-qm", "提交前检查", "--no-verify"], cwd=repo, check=False)
    change = Change(repo)
    change.commit(verify=True)  # the hook environment and the caches, warm as a clerk's would be
    plain, hooked = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        change.commit(verify=False)
        plain.append(time.perf_counter() - start)
        start = time.perf_counter()
        change.commit(verify=True)
        hooked.append(time.perf_counter() - start)
    t_h, t_p = sorted(hooked)[len(hooked) // 2], sorted(plain)[len(plain) // 2]
    verdict = "ok" if t_h - t_p < 1 else "OVER"
    print(f"{count:>6} dossiers  one-dossier commit with the hooks: {t_h:.2f} s vs --no-verify {t_p:.2f} s "
          f"→ adds {t_h - t_p:.2f} s (target < 1 s: {verdict}; median of {repeat})")
    # each hook alone on the same staged change (where the time goes)
    text = change.target.read_text("utf-8")
    change.target.write_text(text.replace("健康状况: 健康", "健康状况: 良好") if "健康状况: 健康" in text
                             else text.replace("健康状况: 良好", "健康状况: 健康"), "utf-8")
    target = str(change.target.relative_to(repo))
    sh(["git", "add", target], cwd=repo)
    for hook in ("dangan-check", "dangan-cross", "dangan-fmt", "dangan-audit", "dangan-ledger", "dangan-teams"):
        start = time.perf_counter()
        sh([str(BIN / "pre-commit"), "run", hook, "--files", target], cwd=repo, check=False)
        print(f"{'':>6}            pre-commit run {hook}: {time.perf_counter() - start:.2f} s")
    sh(["git", "commit", "-qm", "更新健康状况", "--no-verify"], cwd=repo)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--counts", default="1000,10000", help="dossier counts, comma-separated")
    ap.add_argument("--big", action="store_true", default=os.environ.get("DANGAN_BENCH_BIG") == "1",
                    help="also 50,000 dossiers (slow to generate, once)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-hook", action="store_true", help="skip the commit-hook measurement")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    counts = [int(c) for c in args.counts.split(",") if c]
    if args.big and 50000 not in counts:
        counts.append(50000)
    repo = None
    for count in counts:
        repo = push_bench(args.out.resolve(), count, args.repeat)
    if repo is not None and not args.skip_hook:
        hook_bench(repo, counts[-1], args.repeat)


if __name__ == "__main__":
    main()
