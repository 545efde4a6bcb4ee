"""Regenerate scripts/dangan/site/data/stroke-order.txt from the npm package cnchar-order (MIT).

Not run in CI: the data file is vendored. Needs ``npm`` and network access to the npm registry.

    .venv/bin/python scripts/build_stroke_data.py [--version 3.2.6]

cnchar-order ships, inside its bundle, a JSON map from each character (6,939 of them: all of
GB 2312 except 31 radicals, plus some others) to a string of stroke letters. Each letter is
one of 26 stroke shapes; they are folded into the five classes of 《GB13000.1字符集汉字笔顺规范》:
1 横 (with 提), 2 竖 (with 竖钩), 3 撇, 4 点 (with 捺), 5 折 (every other bent or hooked stroke).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import tarfile
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "dangan" / "site" / "data"
# cnchar's letters (see the "name" of each in the bundle's second JSON table) → the five classes
CLASSES = {"j": "1", "i": "1",  # 横, 提
           "f": "2", "g": "2",  # 竖, 竖钩
           "s": "3",  # 撇
           "k": "4", "l": "4", "d": "4"}  # 点, 捺, 点2 (the left dot of 冖 宀 心)
FOLD = "5"  # a b c e h m n o p q r t u v w x y z: 横折, 竖弯, 撇折, 弯钩, 斜钩, 卧钩 …


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--version", default="3.2.6")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"cnchar-order@{args.version}"], cwd=tmp, check=True, capture_output=True)
        (tgz,) = Path(tmp).glob("cnchar-order-*.tgz")
        with tarfile.open(tgz) as tar:
            bundle = tar.extractfile("package/cnchar.order.min.js").read().decode("utf-8")
            licence = tar.extractfile("package/LICENSE").read().decode("utf-8")
    table = json.loads(re.findall(r"JSON\.parse\('(.*?)'\)", bundle, re.S)[0])
    lines = [f"# 汉字笔顺（1横 2竖 3撇 4点 5折），由 scripts/build_stroke_data.py 从 npm 包 cnchar-order@{args.version} 生成。",
             "# 来源：https://github.com/theajack/cnchar（MIT 许可，见同目录 LICENSE-cnchar.txt）。每行：字<空格>笔顺。"]
    for char in sorted(table, key=ord):
        lines.append(f"{char} {''.join(CLASSES.get(letter, FOLD) for letter in table[char])}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "stroke-order.txt").write_text("\n".join(lines) + "\n", "utf-8")
    (OUT / "LICENSE-cnchar.txt").write_text(licence, "utf-8")
    print(f"{len(table)} characters → {OUT / 'stroke-order.txt'}")


if __name__ == "__main__":
    main()
