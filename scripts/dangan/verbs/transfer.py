"""`dangan transfer` (转递): out (ledger entry + dossier removed), receipt (回执), in (accept + report gaps).

A dossier leaves only complete (条例: 材料不全、整理不合格、手续不健全 may be refused by the receiver),
only by 机要交通 or 专人送取, and always leaves a line in ledgers/转递.yaml: the register of
dossiers sent (转出名册) that the trail relies on when a dossier file disappears.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from .. import ledgers
from ..check import check_bytes, check_files, make_context
from ..dates import add_months, day_text, parse_day
from ..dates import today as default_today
from ..findings import Finding
from ..forms.importer import EXTRA_DIR, PHOTO_DIR
from ..repo import NUMBER, Repo, content_hash
from ..scaffold import next_number, used_numbers
from ..yamledit import Change, EditError, Source, replace_value, verify
from ..yamltext import DOSSIER_HEADER, Layout, scalar
from .edit import Outcome, past_day

VIA = ("机要交通", "专人送取")
RETURN_DAYS = 10  # 期限.退回整改天数 when the policy file does not say


def _handler(repo: Repo, by: str | None) -> str:
    """经办人: --by, else the Git user (who will sign the commit anyway)."""
    if by:
        return by
    name = repo.git_user()
    if not name:
        raise EditError("请用 --by 写明经办人", 2)
    return name


def _layout(repo: Repo) -> Layout:
    return Layout.of(repo.schema_dir / ledgers.TRANSFER.schema)


def _in_schema_order(repo: Repo, entry: dict) -> dict:
    """An entry (and its 接收审核) with its keys in the schema's order: the order the ledger is written in."""
    import json

    schema = json.loads((repo.schema_dir / ledgers.TRANSFER.schema).read_text("utf-8"))["items"]["properties"]
    out = {k: entry[k] for k in schema if k in entry}
    for key in ("接收审核", "新任评分"):
        if isinstance(out.get(key), dict):
            nested = list(schema[key]["properties"])
            out[key] = {k: out[key][k] for k in nested if k in out[key]}
    return out


def _frozen_score(number: str, rel: str, data: dict, found: list[Finding], names, policy,
                  appointed: str | None, arrived: str, handler: str, judged=None, count=None) -> dict:
    """新任干部档案评分 of the dossier as it arrived, for its intake record (frozen: never recomputed); ``judged``:
    the reviewer's deductions (--deduct), frozen with the automatic ones; ``count``: (目录页数, 实收页数) counted."""
    from ..review import Case
    from ..review import score as sc

    case = Case(number, rel, data, found)
    return sc.score(case, policy, names, (appointed or "", arrived), judged=judged, count=count).record(handler)


def _entries(repo: Repo) -> list[dict]:
    src = ledgers.read(repo, ledgers.TRANSFER)
    return list(src.data) if src else []


def transfer_out(repo: Repo, number: str, to: str, notice: str, via: str, date: str | None = None,
                 by: str | None = None, note: str | None = None, as_of=None, appointed: str | None = None,
                 keep_copy: bool = False) -> Outcome:
    today = as_of or default_today()
    date = past_day(date, today, "转出日期")
    if appointed is not None:
        appointed = past_day(appointed, today, "任免日期")
    if via not in VIA:
        raise EditError(f"转递方式只能是{'或'.join(VIA)}：不得邮寄，不得由本人自带", 2)
    lent = [ln for ln in ledgers.open_loans(repo, parse_day(date)) if ln.entry.get("编号") == number]
    if lent:
        loan = lent[0].entry
        raise EditError(f"{number} 借出未还（借阅登记 {loan.get('登记号')}，{loan.get('借出日期')} 借出，应还 "
                        f"{loan.get('应还日期')}）：借出未还的档案不能转出，先收回并运行 dangan ledger return "
                        f"{loan.get('登记号')}")
    path = repo.dossier(number)
    rel = repo.rel(path)
    src = Source.read(path, rel)
    ctx = make_context(repo, today)
    errors = [Finding(rel, *f) for f in check_bytes(src.raw, rel, ctx)[1]]
    errors = [f for f in errors if f.is_error]
    if errors:
        shown = "\n".join(f.text() for f in errors)
        raise EditError(f"{rel} 有 {len(errors)} 个错误，档案不完整或不合格的不能转出：请先补齐、改正后再转出\n{shown}")
    entries = _entries(repo)
    for e in entries:
        if e["通知单号"] == notice and e["方向"] == "转出":
            if e["编号"] == number:
                raise EditError(f"通知单 {notice} 已登记转出 {number}，不能重复登记")
            if e.get("转往") != to:
                raise EditError(f"通知单 {notice} 已登记为转往“{e.get('转往')}”，与“{to}”不符：一张通知单只能转往一个单位")
    name = src.data.get("姓名")
    entry = {"通知单号": notice, "编号": number, "姓名": name, "方向": "转出", "转往": to}
    if appointed:
        entry["任免日期"] = appointed
    entry.update({"日期": date, "方式": via, "回执日期": None, "经办人": _handler(repo, by)})
    if note:
        entry["备注"] = note
    warnings = []
    send = repo.policy.get("期限", "转递", default=2)
    if appointed and parse_day(date) > add_months(parse_day(appointed), send):
        warnings.append(f"警告：任免（调动）在 {appointed}，{date} 才转出：《干部人事档案工作条例》第二十五条，"
                        f"管理权限变更后 {send} 个月内转递档案（G124）")
    if keep_copy:
        kept = _kept_copy(repo, src, rel, to)
    ledger = ledgers.append(repo, ledgers.TRANSFER, [entry], _layout(repo))
    months = repo.policy.get("期限", "转递回执", default=1)
    if keep_copy:
        return Outcome(
            [ledger, Change(path, rel, src.raw, kept)],
            [f"{ledger.rel}：登记转出 {number} {name} 的正本，转往 {to}（通知单 {notice}，{via}，{date}）",
             f"{rel} 留作副本：档案类别 副本，正本保管单位 {to}（副本随正本更新，不作认定）"], warnings,
            hints=[f"回执请在 {months} 个月内收回（{day_text(add_months(parse_day(date), months))} 前），"
                   f"收到后运行 dangan transfer receipt {notice}"],
            commit=f"转出 {number} {name} 正本至 {to}（{notice}，{via}），本单位留存副本")
    along = _companions(repo, number)
    return Outcome(
        [ledger, Change(path, rel, src.raw, None), *along],
        [f"{ledger.rel}：登记转出 {number} {name}，转往 {to}（通知单 {notice}，{via}，{date}）",
         f"删除 {rel}（档案已转出，历史仍在 Git 中）",
         *(f"删除 {c.rel}（{'照片' if c.rel.startswith(PHOTO_DIR) else '交换文件的附加信息'}随档案转出，历史仍在 Git 中）"
           for c in along)], warnings,
        hints=[f"回执请在 {months} 个月内收回（{day_text(add_months(parse_day(date), months))} 前），"
         f"收到后运行 dangan transfer receipt {notice}"],
        commit=f"转出 {number} {name} 至 {to}（{notice}，{via}）")


def _kept_copy(repo: Repo, src: Source, rel: str, to: str) -> bytes:
    """The dossier as the 副本 this unit keeps once its 正本 went to ``to`` (《干部人事档案工作条例》第二十二条)."""
    data = src.data if isinstance(src.data, dict) else {}
    if data.get("档案类别") == "副本":
        raise EditError(f"{rel} 已是副本：副本不转递正本；正本由 {data.get('正本保管单位')} 保管", 2)
    floor = repo.policy.get("档案保管", "副本最低职级层次", default=5)
    rank = data.get("职级")
    level = repo.codes.rank_level.get(rank) if isinstance(rank, str) else None
    if level is None or level < floor:
        raise EditError(f"{rel} 的职级是{rank}：副本只为副处级（县处级副职）或者相当职务以上的干部建立"
                        "（《干部人事档案工作条例》第二十二条），不能留存副本，请不加 --keep-copy 转出", 2)
    step: Source = src
    for key, value in (("档案类别", "副本"), ("正本保管单位", to)):
        expected = {**step.data, key: value} if isinstance(step.data, dict) else {key: value}
        if key in data:
            text = replace_value(step, (key,), scalar(value))
        else:
            text = step.text + ("" if step.text.endswith("\n") else "\n") + f"{key}: {scalar(value)}\n"
        step = verify(step, text, expected)
    return step.raw


def transfer_receipt(repo: Repo, notice: str, date: str | None = None, as_of=None) -> Outcome:
    today = as_of or default_today()
    date = past_day(date, today, "回执日期")
    src = ledgers.read(repo, ledgers.TRANSFER)
    matches = [i for i, e in enumerate(src.data if src else []) if e["通知单号"] == notice]
    if not matches:
        raise EditError(f"转递登记中没有通知单 {notice}", 2)
    todo = [i for i in matches if src.data[i]["回执日期"] is None]
    if not todo:
        raise EditError(f"通知单 {notice} 的回执已登记（{src.data[matches[0]]['回执日期']}），未作改动")
    for i in todo:
        if parse_day(date) < parse_day(src.data[i]["日期"]):
            raise EditError(f"回执日期 {date} 早于转递日期 {src.data[i]['日期']}")
    before = src.raw
    report, notes = [], []
    months = repo.policy.get("期限", "转递回执", default=1)
    for i in todo:
        entry = src.data[i]
        expected = [*src.data[:i], {**entry, "回执日期": date}, *src.data[i + 1:]]
        src = verify(src, replace_value(src, (i, "回执日期"), scalar(date)), expected)
        report.append(f"{repo.rel(src.path)}：{entry['方向']} {entry.get('编号') or ''} {entry['姓名']}（通知单 {notice}）"
                      f"回执日期 {date}".replace("  ", " "))
        if entry["方向"] == "转出" and parse_day(date) > add_months(parse_day(entry["日期"]), months):
            notes.append(f"警告：{entry['编号']} 于 {entry['日期']} 转出，回执超过 {months} 个月才收回")
    names = "、".join(f"{src.data[i].get('编号') or src.data[i]['姓名']}" for i in todo)
    return Outcome([Change(src.path, repo.rel(src.path), before, src.raw)], report, notes,
                   f"转递回执 {notice}（{names}）{date}")


def _incoming(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".lrmx") and p.is_file())
        if not files:
            raise EditError(f"{path} 中没有 .yaml 或 .lrmx 档案文件", 2)
        return files
    if not path.is_file():
        raise EditError(f"找不到文件 {path}", 2)
    return [path]


def _companions(repo: Repo, number: str) -> list[Change]:
    """The photo and the exchange sidecar of a dossier that leaves: they go with it (nothing of a person who
    is no longer here stays behind, and check would report them as orphans: X003)."""
    found = []
    for rel in [*(f"{PHOTO_DIR}/{number}.{ext}" for ext in ("jpg", "jpeg", "png")),
                f"{EXTRA_DIR}/{number}.lrmx.xml"]:
        path = repo.root / rel
        if path.is_file():
            found.append(Change(path, rel, path.read_bytes(), None))
    return found


@dataclass(frozen=True)
class _Photo:
    data: bytes  # re-encoded pixels only (forms.photo.accept)
    ext: str


def _read_incoming(repo: Repo, path: Path, notes: list[str]) -> tuple[Source, _Photo | None]:
    if path.suffix.lower() == ".lrmx":
        return _from_lrmx(repo, path, notes)
    return Source.read(path, str(path)), None


def _from_lrmx(repo: Repo, path: Path, notes: list[str]) -> tuple[Source, _Photo | None]:
    """A .lrmx 任免表 through the forms importer: a dossier with what the form carries, the rest for the clerk;
    its photo, when it is a sound image, enters with the dossier."""
    from ..forms.importer import ORDER, read_exchange, to_dossier
    from ..forms.lrmx import LrmxError
    from ..forms.photo import PhotoError, accept

    try:
        parsed = read_exchange(path)
        doc = to_dossier(parsed, repo.codes)
    except LrmxError as exc:
        raise EditError(f"{path}：{exc}") from None
    photo = None
    if parsed.photo:
        try:
            taken = accept(parsed.photo)
        except PhotoError as exc:
            notes.append(f"警告：{path}：{exc}")
        else:
            photo = _Photo(taken.data, taken.ext)
            doc["照片"] = None  # its path once the 编号 is known
            doc = {k: doc[k] for k in ORDER if k in doc}
    layout = Layout.of(repo.schema_dir / "dossier.schema.json")
    return Source(path, layout.text(doc, DOSSIER_HEADER).encode("utf-8")), photo


def _held_before(repo: Repo, number: str, raw: bytes, rel: str, originals: list[str]) -> list[Finding]:
    """T008 at intake: this person's dossier was held here before (same 身份证号 or 原编号) and the key facts differ."""
    from ..findings import ERROR
    from ..history.incoming import CODE, compare, line_of
    from ..history.render import change_line

    try:
        d = compare(repo, number, raw, originals)
    except Exception:  # no Git history to compare with: nothing was held
        return []
    if d is None:
        return []
    return [Finding(rel, line_of(raw, c.field), 1, ERROR, CODE,
                    f"{change_line(c)}：此人的档案本库曾保存过（{d.base}），关键信息不符，且没有相符的认定记录；"
                    "请核实，原样入库后由组织认定")
            for c in d.unauthorised]


def _flaws(flaws: list[str]) -> tuple[list[str], list[str]]:
    """--flaw 项目[:说明] → (不合格项 in checklist order, 问题 lines)."""
    items, notes = set(), []
    for flaw in flaws:
        item, _, why = flaw.replace("：", ":").partition(":")
        item = item.strip()
        if item not in ledgers.INTAKE_CHECKS:
            raise EditError(f"--flaw “{flaw}”：核对项目只能是{'、'.join(ledgers.INTAKE_CHECKS)}之一（写作 项目:说明）", 2)
        items.add(item)
        if why.strip():
            notes.append(f"{item}：{why.strip()}")
    return [i for i in ledgers.INTAKE_CHECKS if i in items], notes


def _catalog_counts(data: dict) -> tuple[int, int]:
    """(pages, materials) the 档案目录 lists."""
    catalog = [c for c in data.get("档案目录") or [] if isinstance(c, dict)]
    return sum(c["页数"] for c in catalog if isinstance(c.get("页数"), int)), len(catalog)


def _open_return(entries: list[dict], name: str, from_unit: str) -> dict | None:
    """The 退回 of this person from this unit that no later intake answers (整改 comes back as a new transfer)."""
    answered = {e.get("整改") for e in entries}
    for e in reversed(entries):
        if e.get("方向") == "退回" and e.get("姓名") == name and e.get("来自") == from_unit \
                and e.get("通知单号") not in answered:
            return e
    return None


def transfer_in(repo: Repo, source: Path, notice: str, via: str, origin: str | None = None, date: str | None = None,
                by: str | None = None, unit: str | None = None, note: str | None = None,
                as_of=None, decision: str | None = None, reason: str | None = None, flaws: list[str] | None = None,
                pages: int | None = None, materials: int | None = None, appointed: str | None = None,
                arrived: str | None = None, deducts: list[str] | None = None,
                ) -> tuple[Outcome, list[tuple[str, list[Finding]]]]:
    """Receive dossiers from another unit after the 接收审核: 接收 (entered into dossiers/) or 退回 (not entered,
    the register keeps why and by when the 整改 is due). Returns the outcome and, per file, its check findings.

    ``decision`` is None, "accept" or "return"; without one a dossier is accepted only when the review found
    nothing (no check error, no --flaw, pages and materials as the 目录 lists)."""
    today = as_of or default_today()
    date = past_day(date, today, "接收日期")
    arrived = past_day(arrived or date, today, "到达日期")
    if parse_day(arrived) > parse_day(date):
        raise EditError(f"到达日期 {arrived} 晚于接收日期 {date}：先到达，后审核入库", 2)
    if appointed is not None:
        appointed = past_day(appointed, today, "任免日期")
    if via not in VIA:
        raise EditError(f"转递方式只能是{'或'.join(VIA)}", 2)
    if decision == "return" and not (reason and len(reason.strip()) >= 2):
        raise EditError("退回须用 --reason 写明原因（缺少哪些材料、哪里涂改或认定不准确等）", 2)
    if reason and decision != "return":
        raise EditError("--reason 只与 --return 同用", 2)
    failed, notes = _flaws(flaws or [])
    policy = repo.policy
    judged = None
    if deducts:
        from ..review.score import judged_of

        if decision == "return":
            raise EditError("--deduct 是接收入库时的评分：退回的档案不评分", 2)
        judged = judged_of(deducts, policy)
    if unit is not None and unit not in (policy.get("管档单位") or []):
        raise EditError(f"管档单位“{unit}”未在 schema/policy.yaml 中登记", 2)
    files = _incoming(source)
    if (pages is not None or materials is not None) and len(files) > 1:
        raise EditError("--pages、--materials 是一份档案的清点结果：一次只能转入一份档案文件时使用", 2)
    photo_notes: list[str] = []
    sources = [_read_incoming(repo, p, photo_notes) for p in files]
    ctx = make_context(repo, today)
    present = check_files(repo, repo.dossiers(), ctx)
    known_ids = {r.summary["id"]: r.rel for r in present if r.summary and r.summary["id"]}
    unreadable = [f"警告：{r.rel} 无法读取（用 dangan check 查看），未能核对其身份证号是否与转入的相同"
                  for r in present if r.summary is None]
    taken = used_numbers(repo)
    prefix = policy.get("编号前缀", default="C")
    entries_before = _entries(repo)
    changes, report, entries, intake, undecided = [], [], [], [], []
    handler = _handler(repo, by)
    from ..review.score import Names

    seen: dict[str, list[str]] = {}
    for d in repo.read_all(repo.dossiers()).dossiers:
        if isinstance(d.data.get("姓名"), str) and isinstance(d.data.get("编号"), str):
            seen.setdefault(d.data["姓名"], []).append(d.data["编号"])
    names = Names.of({n: ks[0] for n, ks in seen.items() if len(ks) == 1})
    for arrived_from, (src, photo) in zip(files, sources, strict=True):
        arrived_bytes = arrived_from.read_bytes()  # the file as it arrived: what the register keeps a hash of
        data = src.data
        ident = data.get("身份证号")
        twin = known_ids.get(hashlib.sha1(ident.encode()).hexdigest()) if isinstance(ident, str) else None
        if twin and decision != "return":
            raise EditError(f"{src.path}：此人在本库已有档案 {twin}（身份证号相同），一人只能有一份档案：请核实后再转入")
        if not isinstance(data.get("姓名"), str):
            raise EditError(f"{src.path}：没有姓名，无法登记转入", 2)
        if "编号" not in data:
            raise EditError(f"{src.path}：没有“编号”这一项，无法转入", 2)
        if any(e["通知单号"] == notice and e["方向"] in ("转入", "退回") and e["姓名"] == data["姓名"]
               for e in entries_before):
            raise EditError(f"通知单 {notice} 已登记{'转入' if decision != 'return' else '收到'} {data['姓名']}，不能重复登记")
        original = data.get("编号")
        number = original
        if not (isinstance(original, str) and NUMBER.fullmatch(original)) or original in taken:
            number = next_number(repo, prefix, taken)
        taken.add(number)
        expected = dict(data)
        if number != original:
            expected["编号"] = number
            src = verify(src, replace_value(src, ("编号",), scalar(number)), expected)
        from_unit = origin or data.get("管档单位")
        if not isinstance(from_unit, str) or len(from_unit) < 2:
            raise EditError(f"{src.path}：看不出从哪个单位转来，请用 --from 写明", 2)
        if unit is not None and "管档单位" in data and data["管档单位"] != unit:
            expected["管档单位"] = unit
            src = verify(src, replace_value(src, ("管档单位",), scalar(unit)), expected)
        photo_rel = f"{PHOTO_DIR}/{number}.{photo.ext}" if photo else None
        if photo_rel:
            expected["照片"] = photo_rel
            src = verify(src, replace_value(src, ("照片",), scalar(photo_rel)), expected)
        text = src.text
        target = repo.dossier_dir / f"{number}.yaml"
        rel = repo.rel(target)
        if target.exists():  # pragma: no cover - numbers come from used_numbers, which lists it
            raise EditError(f"{rel} 已存在，未作任何改动")
        after = text.encode("utf-8")
        found = [Finding(rel, *f) for f in check_bytes(after, rel, ctx)[1]]
        held = _held_before(repo, number, after, rel, [original] if number != original and isinstance(original, str)
                            else [])
        # the 接收审核: the checklist, the count against the 目录, what check finds
        file_failed, file_notes = list(failed), list(notes)
        listed_pages, listed_materials = _catalog_counts(data)
        review: dict = {"结论": "退回" if decision == "return" else "接收", "不合格项": file_failed}
        for key, counted, listed, what in (("页数", pages, listed_pages, "页"), ("材料", materials, listed_materials, "份")):
            if counted is None:
                continue
            review[f"目录{key}"], review[f"实收{key}"] = listed, counted
            if counted != listed:
                file_notes.append(f"齐全完整：实收{key} {counted} {what}，目录列 {listed} {what}")
                if "齐全完整" not in file_failed:
                    file_failed.append("齐全完整")
        review["不合格项"] = [i for i in ledgers.INTAKE_CHECKS if i in file_failed]
        if file_notes:
            review["问题"] = file_notes
        errors = [f for f in found if f.is_error]
        review["检查错误"], review["检查警告"] = len(errors), len(found) - len(errors)
        codes = sorted({f.code for f in found})
        if codes:
            review["问题代码"] = codes
        if decision is None and (errors or review["不合格项"]):
            shown = [replace(f, path=str(arrived_from)) for f in errors]  # the file the clerk has in hand
            undecided.append((str(arrived_from), data["姓名"], shown, review["不合格项"]))
        appointed_day = appointed
        common = {"日期": date, "方式": via, "回执日期": None, "经办人": handler}
        if decision == "return":
            due = parse_day(date) + dt.timedelta(days=policy.get("期限", "退回整改天数", default=RETURN_DAYS))
            entry = {"通知单号": notice, "姓名": data["姓名"], "方向": "退回", "来自": from_unit}
            if isinstance(original, str) and original:
                entry["原编号"] = original
        else:
            entry = {"通知单号": notice, "编号": number, "姓名": data["姓名"], "方向": "转入", "来自": from_unit}
            if number != original and isinstance(original, str):
                entry["原编号"] = original
        if appointed_day:
            entry["任免日期"] = appointed_day
        if arrived != date:
            entry["到达日期"] = arrived
        entry.update(common)
        if note:
            entry["备注"] = note
        entry["接收审核"] = review
        redo = _open_return([*entries_before, *entries], data["姓名"], from_unit)
        if redo is not None:
            entry["整改"] = redo["通知单号"]
        if decision == "return":
            entry["退回原因"] = reason.strip() if reason else ""
            entry["整改期限"] = day_text(due)
            entry["文件哈希"] = content_hash(arrived_bytes)
            report.append(f"退回 {data['姓名']}（来自 {from_unit}）：{entry['退回原因']}；限 {entry['整改期限']} 前整改后重新转递"
                          "，档案不进 dossiers/")
            intake.append((str(arrived_from), sorted(found, key=lambda f: (f.line, f.col))))
            entries.append(entry)
            continue
        entry["新任评分"] = _frozen_score(number, rel, expected, [*found, *held], names, policy, appointed_day,
                                      arrived, handler, judged, (listed_pages, pages) if pages is not None else None)
        changes.append(Change(target, rel, None, after))
        if photo and photo_rel:
            changes.append(Change(repo.root / photo_rel, photo_rel, None, photo.data))
        # What arrives is kept as it arrived: the first commit of the dossier must be exactly what is written
        # now (入库哈希, checked by the trail: T007); a .lrmx becomes a draft to complete, so it has none.
        entry["文件哈希"] = content_hash(arrived_bytes)
        if arrived_from.suffix.lower() != ".lrmx":
            entry["入库哈希"] = content_hash(after)
        entries.append(entry)
        renumbered = ("" if number == original else f"（原编号 {original} 已用过，改为 {number}）"
                      if isinstance(original, str) else f"（取新编号 {number}）")
        again = f"；整改后重新转入（原退回通知单 {redo['通知单号']}）" if redo is not None else ""
        frozen = entry["新任评分"]
        report.append(f"新增 {rel}：{data['姓名']}，来自 {from_unit}{renumbered}{again}")
        if photo_rel:
            report.append(f"新增 {photo_rel}（任免表中的照片，只留图像，不留元数据）")
        report.append(f"新任干部档案评分（报送单位 {from_unit}）：{frozen['得分']} 分，{frozen['等次']}"
                      + (f"，单项否决 {len(frozen['单项否决'])} 项" if frozen["单项否决"] else "") + "（记入转递登记，此后不再重算）")
        intake.append((rel, sorted([*found, *held], key=lambda f: (f.line, f.col))))
    if undecided:
        lines = []
        for rel, name, errors, bad in undecided:
            why = "、".join(filter(None, [f"{len(errors)} 个错误" if errors else "",
                                          f"不合格项 {'、'.join(bad)}" if bad else ""]))
            lines.append(f"{rel}（{name}）：{why}")
            lines.extend(f"  {f.text()}" for f in errors[:20])
        raise EditError("接收审核：收到的档案有问题，须明确决定：加 --accept 接收（问题记入转递登记，入库后补齐、改正），"
                        "或加 --return --reason 原因 退回转出单位限期整改；未作任何改动\n" + "\n".join(lines))
    entries = [_in_schema_order(repo, e) for e in entries]
    ledger = ledgers.append(repo, ledgers.TRANSFER, entries, _layout(repo))
    if decision == "return":
        report.append(f"{ledger.rel}：登记退回 {len(entries)} 份（通知单 {notice}，{via}，{date}）")
        names = "、".join(e["姓名"] for e in entries)
        return Outcome([ledger], report, unreadable,
                       commit=f"退回 {names}（{notice}，来自 {entries[0]['来自']}）：{entries[0]['退回原因']}"), intake
    report.append(f"{ledger.rel}：登记转入 {len(entries)} 份（通知单 {notice}，{via}，{date}）")
    numbers = "、".join(e["编号"] for e in entries)
    return Outcome([*changes, ledger], report, [*unreadable, *photo_notes], commit=f"转入 {numbers}（{notice}，来自 {entries[0]['来自']}）"), intake
