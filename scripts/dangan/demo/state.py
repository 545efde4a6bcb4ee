"""What a person of the story knows of itself: the attributes Person and its mixins set and read, declared once."""

from __future__ import annotations

import datetime as dt
import random

from .catalog import Catalog, Mat
from .world import Span, World


class PersonState:
    """The attributes of a Person, by the part of the story that sets them (all read them), and where it worked."""

    # Person.__init__
    w: World
    rng: random.Random
    number: str  # 编号
    unit: str  # 管档单位
    key: str  # the career pattern of the unit (World.unit_key)
    field: str  # the field of study (UNIT_FIELDS)
    cross: bool  # a 市管干部 whose career crossed counties and bureaus
    edu_inservice: list[dict]
    # Person.build
    birth_year: int
    birth: int  # month index
    birth_day: dt.date
    male: bool
    surname: str
    name: str
    ethnic: str
    spans: list[Span]  # the work spans of the 简历
    cat: Catalog
    text: str | None  # the final rendering, once sized
    # PlanMixin
    path: str  # 中专 专科 本科 硕士 军队 工人
    fulltime: list[dict]
    study: list[tuple[int, str, str]]  # (start, 内容, 性质) of the 简历 before work
    grad: int
    work: int  # 参加工作时间
    identity: tuple[str, int]  # 干部身份: (取得方式, month)
    pre_sector: str | None
    level: int | None
    party_month: int | None
    status: str  # 政治面貌
    join_month: int | None  # of a 民主党派
    # MaterialsMixin
    league: Mat | None
    party_mats: dict[str, Mat | None]
    identity_refs: list[Mat]
    pro_title: str
    # AppraisalMixin
    sanction: tuple[int, int, str, Span] | None  # (month, lifted, kind, span)
    merit: int | None
    results: dict[int, list]  # year → [结果, sector]
    annual: list[list]  # [year, 结果, material]
    rewards: list[dict]
    determined: list[dict]

    def _span_at(self, month: int) -> Span | None:
        found = None
        for span in self.spans:
            if span.start <= month:
                found = span
        return found

    def _sector_at(self, month: int) -> str | None:
        span = self._span_at(month)
        return span.sector if span else None
