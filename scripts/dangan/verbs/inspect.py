"""目标管理 检查验收, recorded: ``dangan grade inspect 单位 …`` and ``dangan grade rectify 登记号 …``.

One entry of ledgers/检查验收.yaml per inspection of a 管档单位: the date, two or more inspectors, each inspected
item's score and note (the 考评标准's 计分: 检查 items), the problems found with their 整改期限, the volumes, and the
总分 and 评定等级 as graded that day (frozen: later inspections and data do not change what was recorded). The 整改 is
filled in later, problem by problem (整改日期, 整改情况, 复查人), by an in-place edit of its nulls.
Both are judged by the ledger rules (`dangan ledger check`) before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from .. import ledgers
from ..dates import day_text, parse_day
from ..repo import Repo
from ..standard import Item, find, num, standard, stored
from ..yamledit import Change, EditError, replace_value, verify
from ..yamltext import Layout, scalar
from .edit import Outcome, past_day
from .ledger import find_entry, refuse_new_errors
from .pretrial import next_number

_NAME = re.compile(r"^[〇一-鿿㐀-䶿𠀀-𲎯]+(·[〇一-鿿㐀-䶿𠀀-𲎯]+)*$")


def entries_of(repo: Repo) -> list[dict]:
    src = ledgers.read(repo, ledgers.INSPECT)
    data = src.data if src is not None and isinstance(src.data, list) else []
    return [e for e in data if isinstance(e, dict)]


def _score(spec: str, items: list[Item]) -> tuple[Item, float, str]:
    """--item 项目=得分[:说明] → (item, points, note)."""
    name, eq, rest = spec.partition("=")
    if not eq or not name.strip() or not rest.strip():
        raise EditError(f"--item “{spec}”：写作 项目=得分 或 项目=得分:说明，如 --item 八防设施=4:库房缺防光窗帘", 2)
    value, _colon, note = re.sub("：", ":", rest, count=1).partition(":")
    item = find(items, name.strip())
    if item is None:
        shown = "、".join(i.name for i in items if i.inspected)
        raise EditError(f"--item “{spec}”：“{name.strip()}”不是考评标准中由检查评分的项目（政策文件 目标管理.考评标准）："
                        f"{shown}", 2)
    try:
        points = float(value.strip())
    except ValueError:
        raise EditError(f"--item “{spec}”：得分“{value.strip()}”不是数字", 2) from None
    if points < 0 or points > item.points or (points * 2) % 1:
        raise EditError(f"--item “{spec}”：{item.name} 的得分应在 0 至 {num(item.points)} 之间，按 0.5 分计", 2)
    return item, points, note.strip()


def _people(names: list[str], at_least: int) -> list[str]:
    people = list(dict.fromkeys("".join(n.split()) for n in names if "".join(n.split())))
    if len(people) < at_least:
        raise EditError(f"检查验收须有 {at_least} 名以上检查人：用 --by 写 {at_least} 次以上（不同的人）", 2)
    bad = [p for p in people if not _NAME.fullmatch(p) or len(p) < 2]
    if bad:
        raise EditError(f"检查人“{bad[0]}”：写一个人的姓名（规范汉字，中间不加空格）", 2)
    return people


def inspect(repo: Repo, unit: str, date: str | None, inspectors: list[str], specs: list[str], rest_full: bool,
            problems: list[str], deadline: str | None, note: str | None, today: dt.date,
            evaluate: Callable[[list[dict]], tuple[int, float | None, str]]) -> Outcome:
    """One inspection of ``unit``. ``evaluate(entries)`` grades the unit with these 检查验收 entries:
    (volumes, 总分, grade) — the figures frozen in the entry."""
    policy = repo.policy
    conf = policy["目标管理"]
    units = policy.get("管档单位", default=[]) or []
    if units and unit not in units:
        raise EditError(f"“{unit}”不是在册的管档单位（政策文件“管档单位”）：{'、'.join(units)}", 2)
    items = standard(policy)
    if not items:
        raise EditError("政策文件“目标管理”没有“考评标准”：没有可检查评分的项目", 2)
    day = past_day(date, today, "检查日期")
    when = parse_day(day)
    assert when is not None
    people = _people(inspectors, conf.get("检查人数", 2))
    given: dict[str, tuple[Item, float, str]] = {}
    for spec in specs:
        item, points, why = _score(spec, items)
        if item.name in given:
            raise EditError(f"--item：{item.name} 写了两次", 2)
        given[item.name] = (item, points, why)
    missing = [i for i in items if i.inspected and i.name not in given]
    if missing and not rest_full:
        raise EditError("还有检查项目没有评分：" + "、".join(f"{i.name}（{num(i.points)} 分）" for i in missing)
                        + "。每项写 --item 项目=得分[:说明]，或加 --rest-full 表示其余项目得满分", 2)
    rows = []
    for it in (i for i in items if i.inspected):
        _i, points, why = given.get(it.name, (it, it.points, ""))
        row: dict = {"项目": it.name, "得分": stored(points)}
        if why:
            row["说明"] = why
        rows.append(row)
    if deadline is not None and parse_day(deadline) is None:
        raise EditError(f"整改期限“{deadline}”不是有效日期，应写作 YYYY.MM.DD", 2)
    due = deadline or day_text(when + dt.timedelta(days=conf.get("整改天数", 30)))
    if problems and parse_day(due) < when:  # type: ignore[operator]
        raise EditError(f"整改期限 {due} 早于检查日期 {day}", 2)
    if deadline and not problems:
        raise EditError("--deadline 是问题的整改期限：请同时用 --problem 写明发现的问题", 2)
    found = [{"序号": n, "问题": p.strip(), "整改期限": due, "整改日期": None, "整改情况": None, "复查人": None}
             for n, p in enumerate((p for p in problems if p.strip()), 1)]
    everything = entries_of(repo)
    entry: dict = {"登记号": next_number(everything, when.year), "管档单位": unit, "日期": day, "检查人": people,
                   "评分": rows, "问题": found, "卷数": 0, "总分": 0, "评定等级": ""}
    if note:
        entry["备注"] = note
    volumes, total, grade = evaluate([*everything, entry])
    entry["卷数"], entry["总分"], entry["评定等级"] = volumes, stored(total or 0.0), grade
    layout = Layout.of(repo.schema_dir / ledgers.INSPECT.schema)
    change = ledgers.append(repo, ledgers.INSPECT, [entry], layout)
    warnings = refuse_new_errors(repo, ledgers.INSPECT, change, change.before, today, "检查验收登记")
    lost = [f"{it.name} {num(given[it.name][1])}" for it in items if it.name in given and given[it.name][1] < it.points]
    report = [f"{change.rel}：登记 {unit} 检查验收（登记号 {entry['登记号']}，{day}，检查人 {'、'.join(people)}），"
              f"总分 {entry['总分']}，评定 {grade}" + (f"；扣分项目 {'、'.join(lost)}" if lost else "")
              + (f"；问题 {len(found)} 个，整改期限 {due}" if found else "；没有发现问题")]
    hints = [f"整改完成后：dangan grade rectify {entry['登记号']} --problem 序号 --how 整改情况 --by 复查人"] if found else []
    return Outcome([change], report, warnings,
                   f"检查验收 {unit}（{entry['登记号']}，{day}）：总分 {entry['总分']}，{grade}", hints)


def rectify(repo: Repo, ident: str, seq: int | None, date: str | None, how: str, by: str | None,
            today: dt.date) -> Outcome:
    """整改 done: fill in 整改日期, 整改情况 and 复查人 of one problem of inspection ``ident``."""
    if not (how or "").strip():
        raise EditError("请用 --how 写明整改情况（如何整改的）", 2)
    src, rows, i = find_entry(repo, ledgers.INSPECT, ident, "检查验收登记")
    entry = rows[i]
    problems = [p for p in entry.get("问题") or [] if isinstance(p, dict)]
    still = [p for p in problems if p.get("整改日期") is None]
    if seq is None:
        if len(still) != 1:
            listed = "；".join(f"{p.get('序号')}. {p.get('问题')}" for p in still)
            raise EditError(f"{ident} 有 {len(still)} 个问题未整改，请用 --problem 序号 指明：{listed}" if still
                            else f"{ident} 的问题都已整改，未作改动", 2 if still else 1)
        target = still[0]
    else:
        found = [p for p in problems if p.get("序号") == seq]
        if not found:
            raise EditError(f"{ident} 没有第 {seq} 个问题（共 {len(problems)} 个）", 2)
        target = found[0]
        if target.get("整改日期") is not None:
            raise EditError(f"{ident} 第 {seq} 个问题已于 {target['整改日期']} 整改，未作改动")
    day = past_day(date, today, "整改日期")
    inspected = parse_day(entry.get("日期"))
    if inspected and parse_day(day) < inspected:  # type: ignore[operator]
        raise EditError(f"整改日期 {day} 早于检查日期 {entry.get('日期')}", 2)
    who = "".join((by or repo.git_user() or "").split())
    if not who:
        raise EditError("请用 --by 写明复查人", 2)
    k = (entry.get("问题") or []).index(target)
    before = src.raw
    fixed = {**target, "整改日期": day, "整改情况": how.strip(), "复查人": who}
    new_problems = [fixed if p is target else p for p in entry["问题"]]
    expected = [*rows[:i], {**entry, "问题": new_problems}, *rows[i + 1:]]
    text = src.text
    for key, value in (("复查人", who), ("整改情况", how.strip()), ("整改日期", day)):
        text = replace_value(src, (i, "问题", k, key), scalar(value))
        src = src.with_text(text)
    src = verify(src, text, expected)
    change = Change(src.path, repo.rel(src.path), before, src.raw)
    refuse_new_errors(repo, ledgers.INSPECT, change, before, today, "整改登记")
    due = parse_day(target.get("整改期限"))
    warnings = []
    late = (parse_day(day) - due).days if due else 0  # type: ignore[operator]
    if late > 0:
        warnings.append(f"警告：整改期限 {target.get('整改期限')}，{day} 才整改（晚 {late} 天）")
    n = target.get("序号")
    return Outcome([change], [f"{change.rel}：{entry.get('管档单位')} {ident} 第 {n} 个问题已整改（{day}，复查人 {who}）"],
                   warnings, f"整改 {entry.get('管档单位')} {ident}-{n}（{day}）")
