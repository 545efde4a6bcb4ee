"""The dossier's material catalog (档案目录): a material, and the catalog that dates, receives and numbers them."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from ..dates import add_months
from ..dates import day_text as _dt
from ..rules.catalog import CLASS_ORDER
from ..yamltext import yaml_str

_CLASS_RANK = {c: i for i, c in enumerate(CLASS_ORDER)}


@dataclass(eq=False)
class Mat:
    cls: str
    made: dt.date
    name: str
    pages: int
    received: dt.date
    precision: int
    remark: str | None = None
    key: tuple = ()
    seq: int = 0
    optional: int = 0  # > 0: may be left out to keep the file within the usual size (higher goes first)
    records: dict | None = None  # what its paper says of the key facts (档案目录[].记载)

    @property
    def ref(self) -> str:
        return f"{self.cls}-{self.seq}"

    def made_text(self) -> str:
        if self.precision == 1:
            return f"{self.made.year:04d}"
        if self.precision == 2:
            return f"{self.made.year:04d}.{self.made.month:02d}"
        return _dt(self.made)

    def entry(self) -> dict:
        out = {"类号": self.cls, "序号": self.seq, "材料名称": self.name, "形成时间": self.made_text(),
               "页数": self.pages, "接收时间": _dt(self.received)}
        if self.remark:
            out["备注"] = self.remark
        if self.records:
            out["记载"] = dict(self.records)
        return out

    def line(self) -> str:
        """The catalog entry as one flow mapping: what its line will take, for fitting the file's size."""
        text = (f'{{类号: "{self.cls}", 序号: {self.seq}, 材料名称: {yaml_str(self.name, True)}, '
                f'形成时间: "{self.made_text()}", 页数: {self.pages}, 接收时间: "{_dt(self.received)}"')
        if self.remark:
            text += f", 备注: {yaml_str(self.remark, True)}"
        return text + "}"


def mat_order(m: Mat) -> tuple:
    return _CLASS_RANK[m.cls], m.seq


class Catalog:
    def __init__(self, rng: random.Random, as_of: dt.date, arrival: dt.date, late_chance: float):
        self.rng, self.as_of, self.arrival = rng, as_of, arrival
        self.items: list[Mat] = []
        self.late_left = 1 if rng.random() < late_chance else 0

    def add(self, cls: str, made: dt.date, name: str, pages: int, *, remark: str | None = None,
            key: tuple = (), precision: int | None = None, optional: int = 0) -> Mat | None:
        """Register a material; None when it would be made on or after the as-of date."""
        rng = self.rng
        if made >= self.as_of:
            return None
        late = False
        if made >= self.arrival and self.late_left and rng.random() < 0.08 and (self.as_of - made).days > 200:
            late, self.late_left = True, 0
            received = made + dt.timedelta(days=rng.randint(40, 150))
        else:
            received = made + dt.timedelta(days=rng.randint(2, 24))
            if received < self.arrival:
                received = self.arrival + dt.timedelta(days=rng.randint(0, 20))
        received = min(received, self.as_of)
        if precision is None:
            if not late and received > add_months(made, 1):
                precision = 2 if rng.random() < 0.85 else 1
            else:
                precision = 3 if rng.random() < 0.95 else 2
        mat = Mat(cls, made, name, pages, received, precision, remark, key, optional=optional)
        self.items.append(mat)
        return mat

    def drop(self, mats) -> None:
        gone = {id(m) for m in mats}
        self.items = [m for m in self.items if id(m) not in gone]

    def number(self) -> list[Mat]:
        """Order the catalog (class, then time within class) and give each material its 序号."""
        self.items.sort(key=lambda m: (_CLASS_RANK[m.cls], m.key, m.made, m.name))
        seq: dict[str, int] = {}
        for m in self.items:
            seq[m.cls] = seq.get(m.cls, 0) + 1
            m.seq = seq[m.cls]
        return self.items


def mat_list(*mats) -> list[Mat]:
    """The materials a fact rests on (None = not made by the as-of date); turned into 顺序号 once numbered."""
    out: list[Mat] = []
    for m in mats:
        if m is not None and m not in out:
            out.append(m)
    return out
