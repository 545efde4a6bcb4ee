"""Benchmark for the structure over time (issue 17): `dangan stats --trend` and `--recorded`, as ratios.

  --trend 2016..2026 on N generated dossiers   < 3 × a warm `dangan stats` of the same dossiers
  --recorded DAY on the trail repository       < 2 × (a warm `dangan stats` there + reading that day's blobs
                                                     with one `git ls-tree` and one `git cat-file --batch`)

The trail repository is bench/trail.py's (5,000 dossiers, 10,000 commits), built once and cached under --out.
Usage: python bench/structure.py [--count 10000] [--trail-count 5000] [--commits 10000] [--out bench/out] [--cpu]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import make_repo  # bench/run.py: a generated repository, cached
from trail import ENV, build  # bench/trail.py: the 10,000-commit repository

BIN = Path(sys.executable).parent
DANGAN = str(BIN / "dangan")


CPU = "--cpu" in sys.argv  # a loaded shared machine: compare the children's CPU seconds instead of wall time


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def clock() -> float:
    return _cpu() if CPU else time.perf_counter()


def best(args: list[str], cwd: Path, repeat: int = 3) -> float:
    out = float("inf")
    for _ in range(repeat):
        start = clock()
        p = subprocess.run(args, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if p.returncode:
            sys.exit(f"{' '.join(args)}: {p.stderr.decode()[-1000:]}")
        out = min(out, clock() - start)
    return out


def blobs(repo: Path, day: str) -> float:
    """Reading the dossiers of the day's commit with git alone: the floor under --recorded."""
    def once():
        commit = subprocess.run(["git", "rev-list", "-1", "--first-parent", f"--before={day} 23:59:59", "HEAD"],
                                cwd=repo, env=ENV, capture_output=True, text=True, check=True).stdout.strip()
        listing = subprocess.run(["git", "ls-tree", commit, "--", "dossiers/"], cwd=repo, env=ENV,
                                 capture_output=True, text=True, check=True).stdout
        shas = "".join(line.split()[2] + "\n" for line in listing.splitlines())
        subprocess.run(["git", "cat-file", "--batch"], cwd=repo, env=ENV, input=shas.encode(),
                       stdout=subprocess.DEVNULL, check=True)

    out = float("inf")
    for _ in range(3):
        start = clock()
        once()
        out = min(out, clock() - start)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--trail-count", type=int, default=5000)
    ap.add_argument("--commits", type=int, default=10000)
    ap.add_argument("--out", type=Path, default=Path("bench/out"))
    ap.add_argument("--cpu", action="store_true", help="CPU seconds of the child processes instead of wall time")
    args = ap.parse_args()
    print("times: " + ("CPU seconds (user + sys) of the child processes" if CPU else "wall seconds"))

    repo = make_repo((args.out / f"structure{args.count}").resolve(), args.count)
    stats = best([DANGAN, "stats"], repo)
    trend = best([DANGAN, "stats", "--trend", "2016..2026"], repo)
    rows = best([DANGAN, "stats", "--trend", "2016..2026", "--rows", "职级"], repo)
    cross = best([DANGAN, "stats", "--rows", "年龄段", "--cols", "职级", "--as-of", "2021.12.31"], repo)
    print(f"{args.count} dossiers: warm dangan stats {stats:.2f} s")
    print(f"  --trend 2016..2026            {trend:.2f} s = {trend / stats:.2f} × (target < 3 ×)")
    print(f"  --trend 2016..2026 --rows 职级 {rows:.2f} s = {rows / stats:.2f} ×")
    print(f"  --rows 年龄段 --cols 职级 --as-of 2021.12.31  {cross:.2f} s = {cross / stats:.2f} ×")

    trail = build((args.out / f"trail{args.trail_count}x{args.commits}").resolve(), args.trail_count, args.commits)
    day = "2026-11-21"  # inside the 10,000 commits (2026.11.18 to 2026.11.25, a minute apart)
    here = best([DANGAN, "stats"], trail)
    read = blobs(trail, day)
    recorded = best([DANGAN, "stats", "--recorded", day.replace("-", ".")], trail)
    print(f"trail repository ({args.trail_count} dossiers, {args.commits} commits): warm dangan stats {here:.2f} s, "
          f"reading {day}'s blobs with git {read:.2f} s")
    print(f"  --recorded {day.replace('-', '.')}  {recorded:.2f} s = {recorded / (here + read):.2f} × (stats + blobs) "
          "(target < 2 ×)")


if __name__ == "__main__":
    main()
