"""年终通报 of 新任干部档案: per 报送单位, from the intake records (ledgers/转递.yaml), not from today's files.

For each sending unit (the 来自 of a 转入 or 退回 dated in the year): dossiers sent, the frozen 新任评分 grades
(优秀/合格/不合格), vetoes, dossiers returned and why, and the 认定 found inaccurate — returned for
redetermination (a 退回 whose 不合格项 has 内容真实 or whose reason names 认定) or corrected by the 组织部
(an accepted dossier whose 接收审核.问题 names 认定).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from .score import EXCELLENT, FAIL, PASS

HEADER = ["报送单位", "报送（份）", EXCELLENT, PASS, FAIL, "未评分", "单项否决", "退回", "退回重新认定", "组织部改正认定"]


@dataclass
class Sender:
    name: str
    sent: int = 0
    grades: dict[str, int] = field(default_factory=lambda: {EXCELLENT: 0, PASS: 0, FAIL: 0})
    unscored: int = 0
    vetoed: int = 0
    returned: list[str] = field(default_factory=list)  # 姓名：退回原因
    redetermine: int = 0
    corrected: int = 0

    def row(self) -> list:
        return [self.name, self.sent, *self.grades.values(), self.unscored, self.vetoed, len(self.returned),
                self.redetermine, self.corrected]


def _names_determination(texts) -> bool:
    return any(isinstance(t, str) and "认定" in t for t in texts or [])


def build(entries: list[dict], year: int) -> list[Sender]:
    units: dict[str, Sender] = {}
    for e in entries:
        if e.get("方向") not in ("转入", "退回") or not str(e.get("日期", "")).startswith(f"{year:04d}."):
            continue
        u = units.setdefault(str(e.get("来自") or "（单位不明）"), Sender(str(e.get("来自") or "（单位不明）")))
        u.sent += 1
        got = e.get("接收审核")
        review: dict = got if isinstance(got, dict) else {}
        if e["方向"] == "退回":
            u.returned.append(f"{e.get('姓名')}：{e.get('退回原因', '')}")
            if "内容真实" in (review.get("不合格项") or []) or _names_determination([e.get("退回原因")]):
                u.redetermine += 1
            continue
        rec = e.get("新任评分")
        if isinstance(rec, dict) and rec.get("等次") in u.grades:
            u.grades[rec["等次"]] += 1
            u.vetoed += bool(rec.get("单项否决"))
        else:
            u.unscored += 1
        u.corrected += _names_determination(review.get("问题"))
    return sorted(units.values(), key=lambda u: u.name)


def _total(units: list[Sender]) -> list:
    rows = [u.row()[1:] for u in units]
    return ["合计", *(sum(r[i] for r in rows) for i in range(len(HEADER) - 1))]


def text(units: list[Sender], year: int) -> str:
    from ..textable import table_text

    out = [f"{year} 年新任干部档案报送情况通报（按报送单位，依据转递登记中转入时冻结的评分）", ""]
    if not units:
        return "\n".join([*out, f"{year} 年没有转入或退回的登记。", ""])
    rows = [[str(v) for v in u.row()] for u in units] + [[str(v) for v in _total(units)]]
    out.append(table_text(HEADER, rows, right=set(range(1, len(HEADER)))).rstrip())
    for u in units:
        if u.returned:
            out += ["", f"{u.name} 退回 {len(u.returned)} 份："] + [f"  {r}" for r in u.returned]
    return "\n".join(out) + "\n"


def as_html(units: list[Sender], year: int) -> str:
    esc = html.escape
    rows = [u.row() for u in units] + ([_total(units)] if units else [])
    body = "".join("<tr>" + "".join(f"<td>{esc(str(v))}</td>" for v in r) + "</tr>" for r in rows)
    returned = "".join(f"<h2>{esc(u.name)}：退回 {len(u.returned)} 份</h2><ul>"
                       + "".join(f"<li>{esc(r)}</li>" for r in u.returned) + "</ul>" for u in units if u.returned)
    return (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{year} 年新任干部档案报送情况通报</title>'
            f"<h1>{year} 年新任干部档案报送情况通报</h1><p>按报送单位，依据转递登记中转入时冻结的评分。</p>"
            "<table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in HEADER) + f"</tr></thead><tbody>{body}"
            f"</tbody></table>{returned}</html>\n")


def xlsx(units: list[Sender], year: int) -> bytes:
    from ..textable import xlsx_bytes

    rows = [u.row() for u in units] + ([_total(units)] if units else [])
    return xlsx_bytes(f"{year}年通报", HEADER, rows)
