"""What every dossier shares (World: the as-of date, the policy, the places), and a span of the 简历 (Span)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..codes import CodeTables
from ..dates import month_index
from ..policy import load_policy
from ..rules.custody import holders
from ..yamltext import Layout
from .common import mi
from .orgs import Org
from .places import places


@dataclass
class Span:
    start: int
    text: str
    kind: str  # 学习 工作 待分配
    sector: str  # 学习 行政 事业 军队 企业 村官
    rank: str | None = None
    level: int | None = None
    title: str = ""  # short post name for forms
    current: str = ""  # 现任职务 wording
    org: Org | None = None
    forms: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    how: str | None = None  # 任职方式, written only for a post won by competition (公选, 竞争上岗, 遴选)


UNIT_KEYS = {"市委组织部": "组织部", "市财政局": "财政局", "市教育局": "教育局", "市卫生健康委员会": "卫健委",
             "市住房和城乡建设局": "住建局", "潞州区委组织部": "潞州"}


class World:
    """What every dossier shares: the as-of date, the policy, the places."""

    def __init__(self, schema_dir: Path, as_of: dt.date):
        policy = load_policy(schema_dir / "policy.yaml")
        self.layout = Layout.of(Path(schema_dir).resolve() / "dossier.schema.json")
        self.as_of = as_of
        self.now = mi(as_of.year, as_of.month)
        self.end = self.now - 1  # the last month in which anything may happen
        self.units = list(policy.get("管档单位", default=[]) or []) or list(UNIT_KEYS)
        self.prefix = policy.get("编号前缀", default="C") or "C"
        appoint = policy.get("完整性", "任免审批表", default={}) or {}
        self.form_since = month_index(appoint.get("起始年月", "1997.01")) or mi(1997, 1)
        self.form_level = appoint.get("最低职级层次", 3)
        names = appoint.get("材料名称包含") or ["任免审批表"]
        self.form_word = "任免审批表" if "任免审批表" in names else names[0]
        annual = policy.get("完整性", "年度考核", default={}) or {}
        self.annual_from = annual.get("起始年度", 1993)
        month, day = (int(x) for x in str(annual.get("次年要求日期", "04.01")).split("."))
        due = dt.date(as_of.year, month, day)
        self.last_required = as_of.year - 1 if as_of >= due else as_of.year - 2
        self.last_annual = as_of.year - 1 if as_of >= dt.date(as_of.year, 3, 1) else self.last_required
        self.red_party = (policy.get("年龄红线", "入党", default=18) or 18) * 12
        self.rank_levels = CodeTables.read(schema_dir).rank_level
        # 档案保管: whose 正本 another unit holds; the cadre's own unit keeps a 副本 (条例第二十二条)
        self.custody = holders(policy, set(CodeTables.read(schema_dir).rank_order))
        self.copy_floor = policy.get("档案保管", "副本最低职级层次", default=5)
        self.party_posts = policy.get("党内职务", default={}) or {}
        self.places = places()
        self.ids: set[str] = set()

    def unit_key(self, unit: str) -> str:
        """Which career pattern fits a 管档单位; a unit added to the policy later gets a plain city bureau."""
        if unit in UNIT_KEYS:
            return UNIT_KEYS[unit]
        return "组织部" if unit == "市委组织部" else "通用"


def needs_form(world: World, span: Span) -> bool:
    return (span.kind == "工作" and span.start >= world.form_since
            and (world.rank_levels.get(span.rank, 0) if span.rank is not None else 0) >= world.form_level)
