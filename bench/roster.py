"""`dangan xlsx import` of a 5,000-row roster vs openpyxl reading the same file (issue 18: ≤ 3 ×).

Both in the same run, on the same file: the baseline is openpyxl's read-only load plus iterating every cell
(the least any import must do); the import is the real CLI into an empty repository (header lookup, every
check, 5,000 dossiers written atomically). The ratio is what counts; the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志斌浩宇鹏辉晨阳梅琳雪峰亮婷宁东海波"


def check_digit(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(a) * w for a, w in zip(first17, weights, strict=True)) % 11]


def make_roster(path: Path, rows: int, seed: int = 7) -> None:
    from openpyxl import Workbook

    rnd = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("市管干部")
    ws.append(["长治市干部花名册（基准用，人物虚构）"])
    ws.append(["序号", "姓名", "性别", "出生年月", "民族", "籍贯", "身份证号", "政治面貌", "入党时间", "参加工作时间",
               "学历", "毕业院校系及专业", "现工作单位及职务", "备注"])
    seen = set()
    for i in range(1, rows + 1):
        year, month, day = rnd.randint(1962, 1998), rnd.randint(1, 12), rnd.randint(1, 28)
        while True:
            first = f"140402{year:04d}{month:02d}{day:02d}{rnd.randint(0, 999):03d}"
            if first not in seen:
                seen.add(first)
                break
        sex = "男" if int(first[16]) % 2 else "女"
        party = rnd.random() < 0.7
        ws.append([i, rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.randint(1, 2))), sex,
                   f"{year}.{month:02d}", "汉族", "山西长治", first + check_digit(first), "中共党员" if party else "群众",
                   f"{year + 22}年{rnd.randint(1, 12)}月" if party else None, f"{year + 21}.{rnd.randint(1, 12):02d}",
                   "大学", "山西大学经济系会计学专业", f"长治市某局第{i % 40}科科员", ""])
    wb.save(path)


def openpyxl_read(path: Path) -> float:
    code = ("import sys\nfrom openpyxl import load_workbook\nwb = load_workbook(sys.argv[1], read_only=True, data_only=True)\n"
            "n = 0\nfor ws in wb.worksheets:\n    for row in ws.iter_rows():\n        for c in row:\n"
            "            n += c.value is not None\nprint(n)\n")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, capture_output=True)
    return time.perf_counter() - start


def dangan_import(path: Path, work: Path) -> float:
    repo = work / "repo"
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir()
    shutil.copytree(ROOT / "schema", repo / "schema")
    (repo / "dossiers").mkdir()
    env = dict(os.environ, DANGAN_TODAY="2026.11.25", GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True, env=env)
    start = time.perf_counter()
    p = subprocess.run([str(BIN / "dangan"), "xlsx", "import", str(path), "--archive-unit", "市委组织部"], cwd=repo,
                       env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    made = len(list((repo / "dossiers").glob("*.yaml")))
    if p.returncode != 0 or made == 0:
        sys.exit(f"import failed ({p.returncode}, {made} dossiers): {p.stderr[-500:]}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3, help="best of N for each side")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="dangan-bench-roster-") as tmp:
        work = Path(tmp)
        path = work / "roster.xlsx"
        make_roster(path, args.rows)
        base = min(openpyxl_read(path) for _ in range(args.repeat))
        ours = min(dangan_import(path, work) for _ in range(args.repeat))
        print(f"{args.rows} 行：openpyxl 读取 {base:.2f} s，dangan xlsx import {ours:.2f} s → {ours / base:.2f} ×（目标 ≤ 3 ×）")


if __name__ == "__main__":
    main()
