"""Benchmark for the alteration trail (`dangan audit`, `dangan trail`), as ratios against `git log -p`.

Builds (once, cached under --out) a repository of N generated dossiers and M commits of 1–3 scripted
dossier edits each, written with `git fast-import` so building takes seconds, not hours. Targets:

  cold full audit     ≤ 3 × `git log -p --no-renames` over the same range, measured in the same run
  re-run (no change)  < 1 s
  trail of one dossier < 1 s

Usage: python bench/trail.py [--count 5000] [--commits 10000] [--out bench/out]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
DANGAN = str(BIN / "dangan")
ENV = {**os.environ, "DANGAN_TODAY": "2026.11.25", "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
       "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
START = 1_795_000_000  # 2026.11.18 (UTC): commits follow one another a minute apart
HEALTH = ("健康", "一般")


def sh(args, cwd, **kw):
    return subprocess.run(args, cwd=cwd, env=ENV, check=True, capture_output=True, **kw)


def _edit(raw: bytes, rng: random.Random, when: str) -> tuple[bytes, str]:
    """One scripted edit of a dossier's text: mostly routine, now and then an (un)authorised alteration."""
    text = raw.decode("utf-8")
    roll = rng.random()
    if roll < 0.55:  # file a material: a new catalog line in class 10 (health checks)
        seq = text.count('{类号: "10", ') + 1
        line = (f'  - {{类号: "10", 序号: {seq}, 材料名称: 干部健康检查表, 形成时间: "{when}", 页数: 2, '
                f'接收时间: "{when}"}}\n')
        text = text.replace("\n认定记录:", "\n" + line.rstrip("\n") + "\n认定记录:", 1) if line not in text else text
        return text.encode(), "归档材料"
    if roll < 0.80:
        old = re.search(r"^健康状况: (\S+)$", text, re.M)
        new = HEALTH[1] if old and old.group(1) == HEALTH[0] else HEALTH[0]
        return re.sub(r"^健康状况: .*$", f"健康状况: {new}", text, count=1, flags=re.M).encode(), "更新健康状况"
    if roll < 0.97:
        return re.sub(r"^(现任职务: .*?)(（兼）)?$", lambda m: m.group(1) + ("" if m.group(2) else "（兼）"), text,
                      count=1, flags=re.M).encode(), "更新现任职务"
    # an alteration of the birth month, without a 认定记录: what audit exists to find
    m = re.search(r'^出生年月: "([0-9]{4})\.([0-9]{2})"$', text, re.M)
    if not m:
        return raw, "无"
    month = int(m.group(2)) % 12 + 1
    return text.replace(m.group(0), f'出生年月: "{m.group(1)}.{month:02d}"', 1).encode(), "改出生年月"


def build(path: Path, count: int, commits: int, seed: int = 7) -> Path:
    marker = path / ".git" / f"bench-{count}-{commits}"
    if marker.exists():
        return path
    shutil.rmtree(path, ignore_errors=True)
    sh([DANGAN, "generate", "--count", str(count), "--out", str(path), "--seed", str(seed)], cwd=".")
    sh(["git", "init", "-q", "-b", "main"], cwd=path)
    rng = random.Random(seed)
    files = {p.name: p.read_bytes() for p in sorted((path / "dossiers").glob("*.yaml"))}
    names = sorted(files)
    out = bytearray()

    def data(blob: bytes):
        out.extend(b"data %d\n" % len(blob) + blob + b"\n")

    def commit(n: int, message: str, changed: dict[str, bytes]):
        when = START + n * 60
        out.extend(b"commit refs/heads/main\n")
        out.extend(f"author 管档员{n % 7} <clerk{n % 7}@example.invalid> {when} +0800\n".encode())
        out.extend(f"committer 管档员{n % 7} <clerk{n % 7}@example.invalid> {when} +0800\n".encode())
        data(message.encode())
        for name, blob in changed.items():
            out.extend(f"M 100644 inline dossiers/{name}\n".encode())
            data(blob)

    initial = {name: blob for name, blob in files.items()}
    for p in sorted((path / "schema").rglob("*")):
        if p.is_file():
            initial[f"../{p.relative_to(path).as_posix()}"] = p.read_bytes()
    out.extend(f"commit refs/heads/main\ncommitter 建档员 <init@example.invalid> {START - 86400} +0800\n".encode())
    data("初始档案".encode())
    for name, blob in initial.items():
        target = name[3:] if name.startswith("../") else f"dossiers/{name}"
        out.extend(f"M 100644 inline {target}\n".encode())
        data(blob)
    for n in range(1, commits + 1):
        changed, what = {}, []
        day = time.strftime("%Y.%m.%d", time.gmtime(START + n * 60))
        for name in rng.sample(names, rng.randint(1, 3)):
            files[name], kind = _edit(files[name], rng, day)
            changed[name] = files[name]
            what.append(f"{name[:-5]} {kind}")
        commit(n, "；".join(what), changed)
    proc = subprocess.run(["git", "fast-import", "--quiet"], cwd=path, env=ENV, input=bytes(out), capture_output=True)
    if proc.returncode:
        sys.exit(proc.stderr.decode()[-2000:])
    sh(["git", "reset", "-q", "--hard", "main"], cwd=path)
    marker.touch()
    return path


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--commits", type=int, default=10000)
    ap.add_argument("--out", type=Path, default=Path("bench/out"))
    args = ap.parse_args()
    repo = build((args.out / f"trail{args.count}x{args.commits}").resolve(), args.count, args.commits)
    print(f"{args.count} dossiers, {args.commits} commits of 1–3 dossier edits")

    def git_log():
        subprocess.run(["git", "log", "-p", "--no-renames"], cwd=repo, env=ENV, stdout=subprocess.DEVNULL, check=True)

    def audit():
        subprocess.run([DANGAN, "audit", "--format", "json"], cwd=repo, env=ENV, stdout=subprocess.DEVNULL)

    base = min(timed(git_log) for _ in range(3))
    print(f"baseline  git log -p --no-renames: {base:.2f} s ({base / args.commits * 1000:.2f} ms/commit)")
    def forget():  # cold: no scan index, no commit-graph (audit writes one beside its scan, for trail)
        shutil.rmtree(repo / ".git" / "dangan", ignore_errors=True)
        shutil.rmtree(repo / ".git" / "objects" / "info" / "commit-graphs", ignore_errors=True)
        (repo / ".git" / "objects" / "info" / "commit-graph").unlink(missing_ok=True)

    forget()
    cold = timed(audit)
    print(f"cold audit: {cold:.2f} s = {cold / base:.2f} × git log -p (target ≤ 3 ×)")
    warm = min(timed(audit) for _ in range(3))
    print(f"re-run, no new commits: {warm:.2f} s (target < 1 s)")
    number = sorted(p.stem for p in (repo / "dossiers").glob("*.yaml"))[args.count // 2]
    tr = min(timed(lambda: subprocess.run([DANGAN, "trail", number], cwd=repo, env=ENV, stdout=subprocess.DEVNULL))
             for _ in range(3))
    print(f"trail {number}: {tr:.2f} s (target < 1 s)")
    forget()
    first = timed(lambda: subprocess.run([DANGAN, "trail", number], cwd=repo, env=ENV, stdout=subprocess.DEVNULL))
    print(f"trail {number} before any audit (writes the commit-graph first): {first:.2f} s")
    found = subprocess.run([DANGAN, "audit"], cwd=repo, env=ENV, capture_output=True, text=True).stdout
    print(f"audit found {found.count('T001')} unauthorised alterations (the scripted birth-month edits)")


if __name__ == "__main__":
    main()
