"""Helpers shared by the review/score/grade tests: edit the throw-away repo's files as text, commit."""

from __future__ import annotations

from pathlib import Path

from conftest import git


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def commit(root: Path, env, message: str) -> None:
    """Commit everything, skipping any hook: the trail must still find what was done."""
    git(["add", "-A"], root, env)
    git(["commit", "-q", "--no-verify", "-m", message], root, env)


# What the valid dossier (tests/data/valid.yaml) lacks under the bundled 新任干部档案评分 rubric (P21): a 1999
# 干部履历表, the 学籍/学位 and 研究生 materials behind its 学历学位, the 高级经济师 评审表, the 2006 and 2014 工资
# materials and the 公务员登记表 (a 财政局副局长 is a 公务员). With them it scores 100.
RUBRIC_LINES = [
    ('  - {类号: "1", 序号: 1, 材料名称: 干部履历表, 形成时间: "1995.03.10", 页数: 8, 接收时间: "1995.03.20"}\n',
     '  - {类号: "1", 序号: 2, 材料名称: 干部履历表, 形成时间: "1999.05.10", 页数: 8, 接收时间: "1999.05.20"}\n'),
    ('  - {类号: "4-1", 序号: 3, 材料名称: 硕士研究生学位证明及成绩单, 形成时间: "2008.07.01", 页数: 3, 接收时间: "2008.07.20"}\n',
     '  - {类号: "4-1", 序号: 4, 材料名称: 学生学籍登记表, 形成时间: "1994.06.20", 页数: 3, 接收时间: "1994.07.15"}\n'
     '  - {类号: "4-1", 序号: 5, 材料名称: 学士学位证书复印件, 形成时间: "1994.07.01", 页数: 1, 接收时间: "1994.07.15"}\n'
     '  - {类号: "4-1", 序号: 6, 材料名称: 硕士研究生入学考试报考登记表, 形成时间: "2005.03.10", 页数: 2, 接收时间: "2005.03.25"}\n'
     '  - {类号: "4-1", 序号: 7, 材料名称: 研究生毕业生登记表, 形成时间: "2008.06.20", 页数: 4, 接收时间: "2008.07.10"}\n'
     '  - {类号: "4-2", 序号: 1, 材料名称: 经济专业技术资格任职资格评审表（高级经济师）, 形成时间: "2012.10.20", 页数: 6, 接收时间: "2012.11.05"}\n'),
    ('  - {类号: "9-2", 序号: 1,',
     '  - {类号: "9-1", 序号: 1, 材料名称: 公务员工资套改审批表, 形成时间: "2006.09.16", 页数: 1, 接收时间: "2006.09.26"}\n'
     '  - {类号: "9-1", 序号: 2, 材料名称: 工资调整审批表, 形成时间: "2015.03.17", 页数: 1, 接收时间: "2015.03.28"}\n'
     '  - {类号: "9-2", 序号: 1,'),
    ('  - {类号: "9-2", 序号: 4, 材料名称: 干部任免审批表（副局长）, 形成时间: "2016.08.05", 页数: 2, 接收时间: "2016.08.20"}\n',
     '  - {类号: "9-2", 序号: 5, 材料名称: 公务员登记表, 形成时间: "2006.08.11", 页数: 4, 接收时间: "2006.08.17"}\n'),
]


def rubric_complete(raw: bytes) -> bytes:
    """The valid dossier with what the rubric asks of it (see RUBRIC_LINES); its 依据 name the new 4-1 materials."""
    text = raw.decode("utf-8")
    for anchor, added in RUBRIC_LINES:
        assert anchor in text, anchor
        text = text.replace(anchor, added, 1) if anchor.startswith('  - {类号: "9-2", 序号: 1,') \
            else text.replace(anchor, anchor + added, 1)
    for old, new in (('依据: ["4-1-1", "4-1-2"]', '依据: ["4-1-1", "4-1-2", "4-1-4", "4-1-5"]'),
                     ('依据: ["4-1-3"]', '依据: ["4-1-3", "4-1-6", "4-1-7"]')):
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode("utf-8")


def complete_dossier(root: Path, name: str = "C000001") -> None:
    path = root / "dossiers" / f"{name}.yaml"
    path.write_bytes(rubric_complete(path.read_bytes()))
