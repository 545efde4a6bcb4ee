"""A bounded-time mutational fuzzer for every reader of outside input.

    .venv/bin/python tests/fuzz/fuzz_load.py --seconds 60 [--seed 1] [--target load,history,ledger,lrmx,xlsx]
    .venv/bin/python tests/fuzz/fuzz_load.py --runs 20   # exactly 20 inputs per target: the same ones every time

Starts from the bundled dossiers and the test corpus, flips bytes, splices in YAML/XML metacharacters and
hostile strings, and feeds each mutant to one target, in turn:
- load: load → schema → rules (check_bytes): a Document or a LoadError, findings with real lines;
- history: the trail's section-wise comparison of (seed, mutant) must equal the diff of two full loads, and
  refuse exactly what the loader refuses (a differential test: a wrong answer is a crash here);
- ledger: a mutated register through `ledger check`'s load → schema → rules;
- lrmx: a mutated .lrmx through read_lrmx: a Parsed or an LrmxError;
- xlsx: a roster exported from the bundled dossiers, its sheet XML mutated, through the roster import.
Anything else — any other exception, a wrong answer — is a bug: the input goes to tests/fuzz/crashes/ for a
regression test. CI runs 30 s of it (`make fuzz FUZZ_SECONDS=30` in .ci/run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from dangan.check import check_bytes, make_context  # noqa: E402
from dangan.errors import Refusal  # noqa: E402
from dangan.repo import Repo  # noqa: E402

TOKENS = [b": ", b"- ", b"\n", b"  ", b'"', b"'", b"&a ", b"*a", b"!!str ", b"<<: ", b"---\n", b"\t", b"#",
          b"{", b"}", b"[", b"]", b"\xef\xbb\xbf", b"\x00", b"\xe2\x80\xae", b"\xe3\x80\x80", b"\\u202e",
          b"1970.10", b"010020", b"NO", b"110101199003077777", b"{{ x }}", b"<script>", b"--8<--",
          "\n# 伪造标题\n".encode(), "𠀀".encode(), "·".encode(), b"\xc3", b"\xff\xfe", b"\r",
          b"<", b">", b"</", b"&amp;", b"&#0;", b"<!DOCTYPE x>", b"<![CDATA[", b"=HYPERLINK(\"x\")", b"\xef\xbf\xbf"]


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


class Targets:
    """Each target: seeds, and a function that raises AssertionError (or anything) on a bug."""

    def __init__(self, work: Path):
        self.work = work
        self.ctx = make_context(Repo(ROOT))
        self.dossiers = corpus()
        self.repo = work / "repo"  # a scratch repository: the project's schema, one dossier, one register
        shutil.copytree(ROOT / "schema", self.repo / "schema")
        (self.repo / "dossiers").mkdir(parents=True)
        (self.repo / "ledgers").mkdir()
        shutil.copy(ROOT / "tests" / "data" / "valid.yaml", self.repo / "dossiers" / "C000001.yaml")
        self.lrmx = [p.read_bytes() for p in sorted((ROOT / "tests" / "data" / "lrmx").rglob("*.lrmx"))]
        self.xlsx = self._roster()

    def seeds(self, target: str) -> list[bytes]:
        return {"load": self.dossiers, "history": self.dossiers, "ledger": LEDGERS, "lrmx": self.lrmx,
                "xlsx": [self.xlsx]}[target]

    def run(self, target: str, seed: bytes, raw: bytes) -> None:
        getattr(self, f"_{target}")(seed, raw)

    def _load(self, _seed: bytes, raw: bytes) -> None:
        run_one(raw, self.ctx)

    def _history(self, seed: bytes, raw: bytes) -> None:
        from dangan.history.fielddiff import diff, fingerprint
        from dangan.history.sections import Unparseable, Version, changed_sections
        from dangan.load import LoadError, load_bytes

        def full(b: bytes):
            try:
                return load_bytes(b).data
            except LoadError:
                return None

        cache: dict = {}
        try:
            old = Version(seed, cache).prepare()
        except Unparseable:
            return
        try:
            new = Version(raw, cache).prepare(old)
        except Unparseable:
            assert full(raw) is None, "the trail refused a version the loader reads"
            return
        data_old, data_new = full(seed), full(raw)
        assert data_new is not None, "the trail read a version the loader refuses"
        assert fingerprint(new.data()) == fingerprint(data_new)
        keys = new.changed_keys(old)
        before, after, _ = changed_sections(old, new, keys)
        fast = sorted((repr(c.path), repr(c.old), repr(c.new)) for c in diff(before, after, keys))
        slow = sorted((repr(c.path), repr(c.old), repr(c.new)) for c in diff(data_old, data_new))
        assert fast == slow, "the section-wise diff differs from the diff of two full loads"

    def _ledger(self, _seed: bytes, raw: bytes) -> None:
        from dangan.ledgers import check

        (self.repo / "ledgers" / "转递.yaml").write_bytes(raw)
        findings, _n = check(Repo(self.repo), dt.date(2026, 12, 1))
        for f in findings:
            assert f.line >= 1 and f.message, f

    def _lrmx(self, _seed: bytes, raw: bytes) -> None:
        from dangan.forms.lrmx import LrmxError, read_lrmx

        try:
            read_lrmx(raw)
        except LrmxError:
            pass

    def _roster(self) -> bytes:
        from dangan.forms.xlsx import export_roster

        out = self.work / "roster.xlsx"
        export_roster(Repo(ROOT), out, dt.date(2026, 12, 1))
        return out.read_bytes()

    def _xlsx(self, seed: bytes, raw: bytes) -> None:
        from dangan.forms.xlsx import import_roster

        # mutate inside the workbook (a mutated zip is only a broken zip): the sheet's XML
        src = zipfile.ZipFile(io.BytesIO(seed))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for info in src.infolist():
                data = src.read(info)
                if info.filename.startswith("xl/worksheets/sheet1") or info.filename == "xl/sharedStrings.xml":
                    data = _splice(raw, data)
                z.writestr(info, data)
        path = self.work / "mutant.xlsx"
        path.write_bytes(buf.getvalue())
        target = self.work / "import"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
        try:
            import_roster(Repo(self.repo), path, as_of=dt.date(2026, 12, 1), target_dir=target)
        except Refusal:
            pass


def _splice(mutant_seed: bytes, data: bytes) -> bytes:
    """Apply the mutation the driver made (a random edit of ``mutant_seed``'s bytes) to one zip member."""
    rng = random.Random(int.from_bytes(mutant_seed, "big"))  # not hash(): that differs from run to run
    return mutate(rng, data)


LEDGERS = ["""- 通知单号: 长组档转〔2026〕15号
  编号: C000001
  姓名: 王建国
  方向: 转出
  转往: 省财政厅
  日期: "2026.11.20"
  方式: 机要交通
  回执日期: null
  经办人: 张档案
- {通知单号: 阳组档转〔2026〕7号, 编号: C000002, 姓名: 李建国, 方向: 转入, 来自: 阳泉市财政局, 原编号: C000009,
   日期: "2026.11.25", 方式: 专人送取, 回执日期: "2026.11.27", 经办人: 张档案}
""".encode()]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--runs", type=int, default=0, help="stop after this many inputs per target (reproducible)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--target", default="load,history,ledger,lrmx,xlsx")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    names = args.target.split(",")
    runs = dict.fromkeys(names, 0)
    crashes = 0
    with tempfile.TemporaryDirectory(prefix="dangan-fuzz-") as tmp:
        targets = Targets(Path(tmp))
        deadline = time.monotonic() + args.seconds
        i = 0
        while (i < args.runs * len(names)) if args.runs else time.monotonic() < deadline:
            name = names[i % len(names)]
            i += 1
            seed = rng.choice(targets.seeds(name))
            raw = mutate(rng, seed) if name != "xlsx" else bytes(rng.randrange(256) for _ in range(8))
            runs[name] += 1
            try:
                targets.run(name, seed, raw)
            except Exception:
                crashes += 1
                out = HERE / "crashes" / f"crash-{name}-{args.seed}-{i}.bin"
                out.parent.mkdir(exist_ok=True)
                out.write_bytes(raw if name != "history" else seed + b"\n#---- mutant ----\n" + raw)
                print(f"崩溃（{name}）：{out}\n{traceback.format_exc()}", file=sys.stderr)
    print("；".join(f"{n} {k} 个输入" for n, k in runs.items()) + f"；{crashes} 次崩溃")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
