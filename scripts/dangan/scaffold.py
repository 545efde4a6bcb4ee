"""`dangan new`: the next free 编号 and a commented template derived from the schema."""

from __future__ import annotations

import json
import re

from .atomic import write_atomic
from .repo import NUMBER, Repo, RepoError
from .yamltext import DOSSIER_HEADER, scalar

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


def template(repo: Repo, number: str, unit: str | None, name: str | None) -> str:
    schema = json.loads((repo.schema_dir / "dossier.schema.json").read_text("utf-8"))
    lines = [DOSSIER_HEADER.rstrip("\n"),
             "# 新建的档案模板：逐项填写，填完运行 dangan check 本文件。日期一律加引号，如 \"1970.03\"。"]
    for key, prop in schema["properties"].items():
        if key not in schema["required"]:
            continue
        lines.append(f"# {prop.get('title', key)}：{prop.get('description', '')}")
        given = {"编号": number, "姓名": name, "管档单位": unit}.get(key)
        if given:  # written as fmt writes it; the rest is left blank for the clerk
            lines.append(f"{key}: {scalar(given)}")
        elif key in _LISTS:
            lines.append(f"{key}: []")
        elif key == "干部身份":
            lines += [f"{key}:", "  取得方式:", "  取得时间:", "  依据: []"]
        else:
            lines.append(f"{key}:")
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
