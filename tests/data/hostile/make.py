"""Writes the hostile-input corpus: one file per case, as bytes, and expected.yaml (what `dangan check` must say).

Run from the project root after valid.yaml or the mutation corpus changes:
    .venv/bin/python tests/data/hostile/make.py
tests/test_hostile.py fails while the files on disk differ from what this script writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # tests/: conftest and the mutation corpus

from test_check_cli import MUTATIONS, M, sub  # noqa: E402
from test_forms_lrmx import HOSTILE as XML  # noqa: E402

# Injection payloads, each short enough for every free-text field (the shortest allows 40 characters).
PAYLOADS = {
    "heading": "# 伪造标题",
    "script": "<script>alert(1)</script>",
    "template": '{{ config }}{% include "x" %}',
    "html-attr": "<img src=x onerror=alert(1)>",
    "link": "[点此](javascript:alert(1))",
    "attr-list": "文字{: onclick=alert(1) }",
    "snippet": '--8<-- "/etc/passwd"',
    "xml": "]]><x>&amp;</x><!--",
}
# (the line as valid.yaml has it, the key) for every free-text field; 籍贯 and 出生地 are pattern-checked instead
FREE_TEXT = [
    ("现任职务: 长治市财政局副局长", "现任职务"),
    ("熟悉专业有何专长: 财政管理", "熟悉专业有何专长"),
    ("专业技术职务: 高级经济师", "专业技术职务"),
    ("内容: 山西省长治市财政局预算科科员", "内容"),
    ('其间: ["2005.09--2008.07 在山西大学政治与公共管理学院公共管理专业在职研究生学习"]', "其间"),
    ("事由: 财政预算管理改革工作成绩突出", "事由"),
    ("批准机关: 长治市人民政府", "批准机关"),
    ("工作单位及职务: 长治市第二中学教师", "工作单位及职务"),
    ("毕业院校: 山西财经学院", "毕业院校"),
    ("院系专业: 财政系财政学专业", "院系专业"),
    ("材料名称: 记三等功审批表", "材料名称"),
]


def inject(payload: str):
    def mutate(raw: bytes) -> bytes:
        for line, key in FREE_TEXT:
            quoted = json.dumps(payload, ensure_ascii=False)
            raw = sub(line, f"{key}: [{quoted}]" if key == "其间" else f"{key}: {quoted}")(raw)
        return raw

    return mutate


EXTRA = [
    # invisible characters in names are refused; rare characters that are really in names are accepted
    M("ideographic-space-in-name", sub("姓名: 王建国", "姓名: 王\u3000建国"), "S004", 3, "全角空格"),
    M("leading-space-in-name", sub("姓名: 王建国", '姓名: " 王建国"'), "S004", 3, "首尾"),
    M("rlo-in-name", sub("姓名: 王建国", "姓名: 王\u202e建国"), "L007", 3, "U+202E"),
    M("zero-width-joiner-in-name", sub("姓名: 王建国", "姓名: 王\u200d建国"), "L007", 3, "U+200D"),
    M("cjk-ext-b-name-accepted", sub("姓名: 王建国", "姓名: 王𠀀"), None, exit=0),
    M("minority-name-with-dot-accepted",
      lambda raw: sub("民族: 汉族", "民族: 维吾尔族")(sub("姓名: 王建国", "姓名: 阿依古丽·买买提")(raw)), None, exit=0),
    M("unknown-key", sub("健康状况: 健康", "健康状况: 健康\n爱好: 下棋"), "S002", 14, "爱好"),
    M("merge-conflict-markers",
      sub("健康状况: 健康", "<<<<<<< HEAD\n健康状况: 健康\n=======\n健康状况: 一般\n>>>>>>> 其他单位"), "L019", 13, "冲突"),
    *(M(f"injection-{kind}", inject(payload), None, exit=0) for kind, payload in PAYLOADS.items()),
]


def cases():
    seen = set()
    for m in [*MUTATIONS, *EXTRA]:
        if m.id == "oversized" or m.name != "C000001.yaml":
            continue  # 1 MiB of filler is made by the test; the file-name case needs another name
        assert m.id not in seen
        seen.add(m.id)
        yield m


def main() -> None:
    expected = {}
    for old in HERE.glob("*.yaml"):
        if old.name != "expected.yaml":
            old.unlink()
    for m in cases():
        (HERE / f"{m.id}.yaml").write_bytes(m.apply())
        entry = {"退出码": m.exit, "代码": m.code, "行": m.line, "级别": m.severity if m.code else None}
        if m.id.startswith("injection-"):
            entry["注入"] = PAYLOADS[m.id.removeprefix("injection-")]
        expected[f"{m.id}.yaml"] = entry
    xml_dir = HERE / "xml"
    xml_dir.mkdir(exist_ok=True)
    for name, raw in XML.items():
        (xml_dir / f"{name}.lrmx").write_bytes(raw)
        expected[f"xml/{name}.lrmx"] = {"退出码": 1, "代码": None, "行": None, "级别": None, "拒绝": True}
    lines = ["# tests/data/hostile/make.py 生成：每个文件 dangan check（.lrmx 为 dangan lrmx import）应有的结果。\n"]
    for name, entry in expected.items():
        lines.append(f"{json.dumps(name, ensure_ascii=False)}: {json.dumps(entry, ensure_ascii=False)}\n")
    (HERE / "expected.yaml").write_text("".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
