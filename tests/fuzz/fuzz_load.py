"""A bounded-time mutational fuzzer for the strict loader and the check pipeline.

    .venv/bin/python tests/fuzz/fuzz_load.py --seconds 60 [--seed 1]

Starts from the bundled dossiers and the test corpus, flips bytes, splices in YAML
metacharacters and hostile strings, and feeds each mutant through load → schema → rules.
Every input must end in a Document or a LoadError — any other exception is a bug, and the
input is written to tests/fuzz/crashes/ for a regression test. CI runs a short fixed-seed
pass through tests/test_properties.py; run this longer by hand after touching load.py.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from dangan.check import check_bytes, make_context  # noqa: E402
from dangan.repo import Repo  # noqa: E402

TOKENS = [b": ", b"- ", b"\n", b"  ", b'"', b"'", b"&a ", b"*a", b"!!str ", b"<<: ", b"---\n", b"\t", b"#",
          b"{", b"}", b"[", b"]", b"\xef\xbb\xbf", b"\x00", b"\xe2\x80\xae", b"\xe3\x80\x80", b"\\u202e",
          b"1970.10", b"010020", b"NO", b"110101199003077777", b"{{ x }}", b"<script>", b"--8<--",
          "\n# 伪造标题\n".encode(), "𠀀".encode(), "·".encode(), b"\xc3", b"\xff\xfe"]


def corpus() -> list[bytes]:
    seeds = [p.read_bytes() for p in sorted((ROOT / "dossiers").glob("*.yaml"))[:8]]
    seeds.append((ROOT / "tests" / "data" / "valid.yaml").read_bytes())
    seeds += [p.read_bytes() for p in sorted((ROOT / "tests" / "data" / "hostile").glob("*.yaml"))
              if p.name != "expected.yaml"]  # the hostile corpus: each is one step from a refusal
    return seeds


def mutate(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.random()
        pos = rng.randrange(len(buf) + 1)
        if op < 0.3 and buf:
            buf[min(pos, len(buf) - 1)] = rng.randrange(256)
        elif op < 0.7:
            buf[pos:pos] = rng.choice(TOKENS)
        elif op < 0.85 and buf:
            del buf[pos:pos + rng.randint(1, 40)]
        else:
            other = rng.randrange(len(buf) + 1)
            buf[pos:pos] = buf[other:other + rng.randint(1, 80)]
    return bytes(buf)


def run_one(raw: bytes, ctx) -> None:
    _summary, findings = check_bytes(raw, "dossiers/FUZZ.yaml", ctx)
    for finding in findings:
        assert isinstance(finding[0], int) and finding[0] >= 1, finding


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    ctx = make_context(Repo(ROOT))
    seeds = corpus()
    deadline = time.monotonic() + args.seconds
    runs = crashes = 0
    while time.monotonic() < deadline:
        raw = mutate(rng, rng.choice(seeds))
        runs += 1
        try:
            run_one(raw, ctx)
        except Exception:
            crashes += 1
            out = HERE / "crashes" / f"crash-{args.seed}-{runs}.yaml"
            out.parent.mkdir(exist_ok=True)
            out.write_bytes(raw)
            print(f"崩溃：{out}\n{traceback.format_exc()}", file=sys.stderr)
    print(f"{runs} 个输入，{crashes} 次崩溃")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
