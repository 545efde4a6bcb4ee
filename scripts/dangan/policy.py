"""The local numbers (periods, bands, required materials), read from one file: schema/policy.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .load import LoadError, load_file


class PolicyError(UsageError):
    """The policy file is missing, unreadable or invalid: every command refuses (exit 2)."""


@dataclass(frozen=True)
class Policy:
    data: dict
    path: str

    def __getitem__(self, key):
        try:
            return self.data[key]
        except KeyError:
            raise PolicyError(f"{self.path}: 政策文件缺少“{key}”") from None

    def get(self, *keys, default=None):
        node = self.data
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node


def load_policy(path: Path) -> Policy:
    try:
        doc = load_file(path)
    except FileNotFoundError:
        raise PolicyError(f"找不到政策文件 {path}") from None
    except LoadError as exc:
        raise PolicyError(f"{path}:{exc.line}:{exc.col}: {exc.message}") from None
    _validate(doc, path)
    _check_rubric(doc, path)
    return Policy(doc.data, str(path))


def _validate(doc, path: Path) -> None:
    """A typo in the policy silently changes every check: validate it like a dossier."""
    import json

    import jsonschema_rs

    schema_file = path.parent / "policy.schema.json"
    if not schema_file.is_file():
        return
    validator = jsonschema_rs.Draft202012Validator(json.loads(schema_file.read_text("utf-8")))
    for error in validator.iter_errors(doc.data):
        where = tuple(error.instance_path)
        line, col = doc.mark(where)
        shown = ".".join(str(p) for p in where) or "（顶层）"
        raise PolicyError(f"{path}:{line}:{col}: 政策文件“{shown}”不符合 policy.schema.json：{error.message}")


# 新任干部档案评分, rule 逐条依据: the fields an item may check entry by entry, and the 条件 each one can take.
RUBRIC_CONDITIONS: dict[str, tuple[str, ...]] = {
    "简历": ("性质", "任职方式", "内容包含", "内容不含", "起始从", "起始早于", "职级层次不低于", "提拔", "时长月数不少于"),
    "简历其间": ("内容包含", "内容不含", "起始从", "起始早于", "时长月数不少于"),
    "学历学位": ("学历", "学位包含", "有学位", "毕业院校包含", "毕业院校不含", "入学时间从", "入学时间早于", "类别"),
    "认定记录": ("项目",),
    "奖惩情况": ("类别", "种类", "名称包含", "名称不含", "时间从", "时间早于", "有解除时间", "任职层次不低于"),
    "能力档案.专业技术资格": ("名称包含", "名称不含", "时间从", "时间早于"),
    "能力档案.职业资格": ("名称包含", "名称不含", "时间从", "时间早于"),
}
# the keys each 规则 needs, and the rule-specific keys it may take (名称, 分值, 规则, 标准, 扣分办法, 否决 go with any)
RUBRIC_RULES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "送交时间": ((), ()),
    "问题代码": (("代码前缀",), ("代码前缀", "每处扣分")),
    "缺少依据": ((), ("每处扣分",)),
    "须有材料": (("材料",), ("材料",)),
    "逐条依据": (("字段", "须有"), ("字段", "条件", "须有")),
    "材料著录": (("著录材料", "须著录"), ("著录材料", "须著录", "每份扣分")),
    "年度考核": ((), ("从年度", "每缺扣分")),
    "评分人评定": ((), ()),
    "接收清点": ((), ("每处扣分",)),
}
RUBRIC_TOTAL = 100


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _check_rubric(doc, path: Path) -> None:
    """What the schema cannot say about 新任干部档案评分: the points add up to 100, each 规则 has what it needs
    and only that, each 条件 fits its 字段."""
    conf = doc.data.get("新任干部档案评分") if isinstance(doc.data, dict) else None
    if not isinstance(conf, dict):
        return
    base = ("新任干部档案评分",)

    def fail(where: tuple, message: str):
        line, col = doc.mark(where)
        shown = ".".join(str(p) for p in where)
        raise PolicyError(f"{path}:{line}:{col}: 政策文件“{shown}”{message}")

    for i, step in enumerate(conf.get("送交时间") or []):
        if isinstance(step, dict) and ("超过月数" in step) == ("超过天数" in step):
            fail((*base, "送交时间", i), "须写“超过月数”或“超过天数”之一（不能都写，也不能都不写）")
    rubric = conf.get("项目") or []
    total = sum(_number(item.get("分值")) or 0 for item in rubric if isinstance(item, dict))
    if abs(total - RUBRIC_TOTAL) > 1e-9:
        fail((*base, "项目"), f"各项分值合计为 {total:g} 分，应为 {RUBRIC_TOTAL} 分")
    for i, item in enumerate(rubric):
        if not isinstance(item, dict) or item.get("规则") not in RUBRIC_RULES:
            continue
        rule, where = item["规则"], (*base, "项目", i)
        needs, allowed = RUBRIC_RULES[rule]
        for key in needs:
            if key not in item:
                fail(where, f"（{item.get('名称')}）规则为{rule}，须写“{key}”")
        extra = [k for k in item if k not in ("名称", "分值", "规则", "标准", "扣分办法", "否决", *allowed)]
        if extra:
            fail((*where, extra[0]), f"规则为{rule}的项目不用“{extra[0]}”（{item.get('名称')}）")
        if rule != "逐条依据":
            continue
        usable = RUBRIC_CONDITIONS.get(item["字段"], ())
        conditions: list[tuple[tuple, dict]] = [((*where, "条件"), item.get("条件") or {})]
        conditions += [((*where, "须有", j, "条件"), n.get("条件") or {}) for j, n in enumerate(item.get("须有") or [])
                       if isinstance(n, dict)]
        for at, given in conditions:
            for key in given:
                if key not in usable:
                    fail((*at, key), f"的条件“{key}”不能用于字段“{item['字段']}”；可用的条件：{'、'.join(usable)}")
