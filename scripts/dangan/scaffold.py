"""`dangan new`: the next free 编号 and a commented template derived from the schema."""

from __future__ import annotations

import json
import re

from .atomic import write_atomic
from .repo import NUMBER, Repo, RepoError
from .yamltext import DOSSIER_HEADER

_LISTS = {"学历学位", "简历", "奖惩情况", "年度考核", "家庭成员", "档案目录", "认定记录"}


def used_numbers(repo: Repo) -> set[str]:
    """Every 编号 that has ever had a file: numbers are never reused, even after a transfer out."""
    stems = {p.stem for p in repo.dossiers()}
    if repo.git is not None:
        import git

        try:
            log = repo.git.git.log("--all", "--format=", "--name-only", "--", "dossiers/")
        except git.GitCommandError:  # no commit yet
            log = ""
        stems |= {line.rsplit("/", 1)[-1].rsplit(".", 1)[0] for line in log.splitlines() if line}
    return stems


def next_number(repo: Repo, prefix: str, used: set[str] | None = None) -> str:
    """One past the highest number ever used; ``used`` lets a batch count the numbers it has just handed out."""
    pattern = re.compile(re.escape(prefix) + r"([0-9]{6})")
    numbers = [int(m.group(1)) for s in (used_numbers(repo) if used is None else used) if (m := pattern.fullmatch(s))]
    return f"{prefix}{max(numbers, default=0) + 1:06d}"


# One example entry per list, shown as a comment under the empty list: the shape a clerk copies.
EXAMPLES = {
    "学历学位": {"类别": "全日制", "学历": "大学本科毕业", "学位": "管理学学士", "毕业院校": "山西大学",
                 "院系专业": "经济管理学院会计学专业", "入学时间": "1996.09", "毕业时间": "2000.07", "依据": ["4-1-1"]},
    "简历": {"起始": "2000.07", "截止": None, "内容": "长治市财政局预算科科员", "性质": "工作", "职级": "科员级",
             "依据": ["9-1-1"]},
    "奖惩情况": {"类别": "奖励", "名称": "记三等功", "时间": "2015.12", "批准机关": "长治市人民政府", "依据": ["8-1"]},
    "年度考核": {"年度": 2024, "结果": "称职", "依据": ["7-1"]},
    "家庭成员": {"称谓": "妻子", "姓名": "李秀英", "出生年月": "1974.05", "政治面貌": "群众",
                 "工作单位及职务": "长治市第一中学教师"},
    "档案目录": {"类号": "1", "序号": 1, "材料名称": "干部履历表", "形成时间": "2000.07.15", "页数": 4,
                 "接收时间": "2000.08.01"},
    "认定记录": {"项目": "出生年月", "原值": "1978.04", "认定值": "1978.02", "依据": ["6-2", "1-1"],
                 "认定机关": "中共长治市委组织部", "认定日期": "2026.11.20", "文号": "长组审〔2026〕21号"},
}


def template(repo: Repo, number: str, unit: str | None, name: str | None) -> str:
    """The new dossier in fmt's canonical layout (the format hook accepts it as it is), each key with its help."""
    from .yamltext import FLOW_ITEMS, Layout

    schema_file = repo.schema_dir / "dossier.schema.json"
    schema = json.loads(schema_file.read_text("utf-8"))
    layout = Layout.of(schema_file)
    lines = [DOSSIER_HEADER.rstrip("\n"),
             "# 新建的档案：逐项填写（null 表示还没填），填完运行 dangan check 本文件。日期一律加引号，如 \"1970.03\"。"]
    for key in schema["required"]:
        prop = schema["properties"][key]
        value: object
        if key == "编号":
            value = number
        elif key == "姓名":
            value = name
        elif key == "管档单位":
            value = unit
        elif key in _LISTS:
            value = []
        elif key == "干部身份":
            value = {"取得方式": None, "取得时间": None, "依据": []}
        else:
            value = None
        lines.append(f"# {prop.get('title', key)}：{prop.get('description', '')}")
        lines += [text for text, _paths in layout.lines({key: value})]
        if key in EXAMPLES:
            lines.append("# 例：把上一行改成下面这样（删去“[]”，每行去掉开头的“# ”），有几项写几项：")
            lines.append(f"# {key}:")
            lines += [f"# {text}" for text in layout.item_text(EXAMPLES[key], (key, 0), 2, key in FLOW_ITEMS)]
    return "\n".join(lines) + "\n"


def new_dossier(repo: Repo, unit: str | None = None, name: str | None = None, number: str | None = None):
    policy = repo.policy
    if unit is not None and unit not in (policy.get("管档单位") or []):
        raise RepoError(f"管档单位“{unit}”未在 schema/policy.yaml 中登记")
    if number is None:
        number = next_number(repo, policy.get("编号前缀", default="C"))
    elif not NUMBER.fullmatch(number):
        raise RepoError(f"编号“{number}”格式不对：应以大写字母开头，由大写字母和数字组成（4–16 位）")
    elif number in used_numbers(repo):
        raise RepoError(f"编号“{number}”已被使用过（编号永不重复使用）")
    path = repo.dossier_dir / f"{number}.yaml"
    try:
        write_atomic(path, template(repo, number, unit, name).encode("utf-8"))
    except FileExistsError:
        raise RepoError(f"{path} 已存在，未作任何改动") from None
    return path
