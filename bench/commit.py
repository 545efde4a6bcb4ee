"""What the commit hooks add to a one-dossier commit, against the same commit with --no-verify in the same run.

For each size a repository made by `dangan generate` (with the hook configuration generate writes) and one 领导班子
file (teams/, which generate does not write: the unit whose 局长 and 副局长 are fewest, all of them members, so the team
check has a team to verify against every dossier and passes), committed once without hooks, `pre-commit install`ed; then a one-dossier change (健康状况) is committed again and again:

  no-verify   git commit --no-verify
  one hook    git commit through the configuration generate writes (dangan pre-commit: six checks, one process)
  six hooks   git commit through the six separate dangan hooks the configuration had before (issue 21)
  pre-commit  git commit through a configuration of one hook that does nothing (`true`, always run): what
              pre-commit itself costs in a repository of this size (it stats the working tree several times)

Each figure is the median of --repeat commits after one warm-up commit (caches filled, hook environment made).
Target (issue 21): the hooks add < 1 s at 50,000 dossiers.

Usage: python bench/commit.py [--counts 1000,10000] [--repeat 5] [--out bench/out] [--skip-six]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
DANGAN = str(BIN / "dangan")
TODAY = "2026.11.25"
# bytecode as a clerk's installation has it (a session may run with PYTHONDONTWRITEBYTECODE, which would charge
# every hook run the compilation of every module it imports)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# the code measured is this checkout's, whatever checkout the venv was installed from (a Git worktree shares the
# main checkout's .venv), as in tests/conftest.py
ENV["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[1] / "scripts"),
                                     *filter(None, [os.environ.get("PYTHONPATH")])])
ENV.update(DANGAN_TODAY=TODAY, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", GIT_AUTHOR_NAME="bench",
           GIT_AUTHOR_EMAIL="bench@example.invalid", GIT_COMMITTER_NAME="bench",
           GIT_COMMITTER_EMAIL="bench@example.invalid")

# The dangan hooks of .pre-commit-config.yaml before they became one (commit 2e9277a~1): six processes.
SIX_HOOKS = """\
minimum_pre_commit_version: "4.4.0"
default_install_hook_types: [pre-commit, pre-merge-commit]
repos:
  - repo: local
    hooks:
      - {id: dangan-check, name: 档案检查, entry: scripts/run-dangan check --quiet, language: unsupported_script,
         files: '^dossiers/[^/]+\\.ya?ml$', require_serial: true, verbose: true}
      - {id: dangan-cross, name: 跨档案检查, entry: scripts/run-dangan check --cross --quiet,
         language: unsupported_script, files: ^dossiers/, pass_filenames: false}
      - {id: dangan-fmt, name: 档案格式, entry: scripts/run-dangan fmt --check, language: unsupported_script,
         files: '^dossiers/[^/]+\\.ya?ml$', require_serial: true}
      - {id: dangan-audit, name: 留痕核对, entry: scripts/run-dangan audit --staged, language: unsupported_script,
         always_run: true, pass_filenames: false}
      - {id: dangan-ledger, name: 登记簿检查, entry: scripts/run-dangan ledger check --quiet,
         language: unsupported_script, files: ^ledgers/, pass_filenames: false}
      - {id: dangan-teams, name: 领导班子检查, entry: scripts/run-dangan teams check --quiet,
         language: unsupported_script, always_run: true, pass_filenames: false}
"""

# One hook that does nothing: the floor that pre-commit itself puts under any hook.
NOTHING = """\
minimum_pre_commit_version: "4.4.0"
default_install_hook_types: [pre-commit, pre-merge-commit]
repos:
  - repo: local
    hooks:
      - {id: nothing, name: 什么也不做, entry: "true", language: unsupported, always_run: true, pass_filenames: false}
"""


def run(args, cwd, check=True) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True)
    if check and proc.returncode:
        sys.exit(f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{(proc.stdout + proc.stderr)[-3000:]}")
    return proc


def make_repo(path: Path, count: int) -> Path:
    """A generated repository of ``count`` dossiers, committed, hooks installed (kept in --out between runs)."""
    done = path / ".git" / "bench-ready"
    if not done.is_file():
        shutil.rmtree(path, ignore_errors=True)
        run([DANGAN, "generate", "--count", str(count), "--out", str(path), "--seed", "7"], cwd=".")
        run(["git", "init", "-q"], path)
        run(["git", "add", "-A"], path)
        run(["git", "commit", "-qm", "生成的档案", "--no-verify"], path)
        run([str(BIN / "pre-commit"), "install"], path)
        done.write_text("ok\n")
    if not (path / "teams").is_dir():
        add_team(path)
        run(["git", "add", "teams"], path)
        run(["git", "commit", "-qm", "领导班子", "--no-verify"], path)
    shutil.copy(path / ".pre-commit-config.yaml", path / ".git" / "one-hook.yaml")
    return path


POST = re.compile(r"^(.+?)(?:党组书记、|党组成员、)?(副局长|局长)$")


def add_team(repo: Path) -> None:
    """teams/<单位>.yaml of the unit with the fewest 局长 and 副局长 (at least one 局长): every holder a member, the
    职数 their number, so no B1xx error and no B109 warning."""
    holders: dict[str, list[tuple[str, str, str]]] = {}
    for f in sorted((repo / "dossiers").glob("*.yaml")):
        text = f.read_text("utf-8")
        name, title = re.search(r"^姓名: (.+)$", text, re.M), re.search(r"^现任职务: (.+)$", text, re.M)
        if name and title and (m := POST.match(title.group(1))):
            holders.setdefault(m.group(1), []).append((f.stem, name.group(1), m.group(2)))
    unit, people = min(((u, p) for u, p in holders.items() if any(post == "局长" for *_x, post in p)),
                       key=lambda item: (len(item[1]), item[0]))
    posts = {post: sum(1 for *_x, p in people if p == post) for post in ("局长", "副局长")}
    lines = [f"单位: {unit}", "类别: 市直部门班子", "职数:", *(f"  {p}: {n}" for p, n in posts.items() if n), "成员:"]
    people.sort(key=lambda p: (p[2] != "局长", p[0]))
    lines += [f'  - {{编号: {number}, 姓名: {name}, 职务: {post}, 排序: {i}, 任职时间: "2024.01"}}'
              for i, (number, name, post) in enumerate(people, 1)]
    (repo / "teams").mkdir()
    (repo / "teams" / f"{unit}.yaml").write_text("\n".join(lines) + "\n", "utf-8")


def use(repo: Path, config: str) -> None:
    """Commit this hook configuration (pre-commit refuses to run with an unstaged one)."""
    (repo / ".pre-commit-config.yaml").write_text(config, "utf-8")
    run(["git", "add", ".pre-commit-config.yaml"], repo)
    run(["git", "commit", "-qm", "钩子配置", "--no-verify"], repo, check=False)  # nothing to commit: fine


def commit_cost(repo: Path, verify: bool, repeat: int) -> tuple[float, float]:
    """(median wall seconds, median CPU seconds of git and everything it ran): on a loaded machine the wall time
    waits for a core, the CPU time does not."""
    target = repo / "dossiers" / "C000001.yaml"
    times, cpu = [], []
    for i in range(repeat + 1):
        text = target.read_text("utf-8")
        text = text.replace("健康状况: 健康", "健康状况: 良好") if "健康状况: 健康" in text else \
            text.replace("健康状况: 良好", "健康状况: 健康")
        target.write_text(text, "utf-8")
        run(["git", "add", "dossiers/C000001.yaml"], repo)
        start, before = time.perf_counter(), os.times()
        run(["git", "commit", "-qm", "改健康状况", *([] if verify else ["--no-verify"])], repo)
        after = os.times()
        if i:  # the first one warms the caches and the hook environment
            times.append(time.perf_counter() - start)
            cpu.append(after.children_user + after.children_system - before.children_user - before.children_system)
    return statistics.median(times), statistics.median(cpu)


def fig(t: tuple[float, float], base: tuple[float, float] | None = None) -> str:
    if base is None:
        return f"{t[0]:>7.2f}s ({t[1]:.2f}s)"
    return f"{t[0] - base[0]:>+7.2f}s ({t[1] - base[1]:+.2f}s)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--counts", default="1000,10000", help="comma-separated repository sizes")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=Path("bench/out"))
    ap.add_argument("--skip-six", action="store_true", help="do not measure the six separate hooks")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print("wall seconds (CPU seconds of git and the hooks in brackets), median of the repeats")
    print(f"{'dossiers':>9} {'no-verify':>16} {'one hook':>16} {'adds':>16} {'pre-commit adds':>16}"
          + ("" if args.skip_six else f" {'six hooks':>16} {'adds':>16}"))
    for count in (int(c) for c in args.counts.split(",")):
        repo = make_repo(args.out / f"commit{count}", count)
        one = (repo / ".git" / "one-hook.yaml").read_text("utf-8")
        use(repo, one)
        one_hook = commit_cost(repo, True, args.repeat)
        plain = commit_cost(repo, False, args.repeat)
        use(repo, NOTHING)
        nothing = commit_cost(repo, True, args.repeat)
        use(repo, one)
        line = f"{count:>9} {fig(plain)} {fig(one_hook)} {fig(one_hook, plain)} {fig(nothing, plain):>16}"
        if not args.skip_six:
            use(repo, SIX_HOOKS)
            six = commit_cost(repo, True, args.repeat)
            plain = commit_cost(repo, False, args.repeat)
            line += f" {fig(six)} {fig(six, plain)}"
            use(repo, one)
        print(line, flush=True)


if __name__ == "__main__":
    main()
