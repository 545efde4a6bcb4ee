"""`dangan material 编号 顺序号` : add to a catalog entry already filed what its paper says (记载) or an alteration
found on it (涂改).

Both only ever add: a 记载 for a fact the entry did not record yet, one more 涂改. The trail lets that through
without a 认定 (history/guard.py: it changes no fact, and a 记载 that disagrees is itself a finding, R601/R602);
changing or removing what is recorded is protected like every other catalog change. The entry's line is
rewritten in the file's own layout; the rest of the file, comments too, stays as it is.
"""

from __future__ import annotations

from ..dates import parse_day
from ..repo import Repo
from ..yamledit import Change, EditError, Source, verify
from ..yamltext import Layout
from .edit import Outcome, new_findings, past_day, refuse_new_errors
from .filing import parse_records

HANDLING = ("组织确认", "重新制作", "组织说明", "待处理")


def _find(catalog: list, ref: str) -> int:
    for i, e in enumerate(catalog):
        if isinstance(e, dict) and f"{e.get('类号')}-{e.get('序号')}" == ref:
            return i
    raise EditError(f"档案目录中没有顺序号 {ref} 的材料（顺序号写作 类号-序号，如 4-1-1、9-2-3）", 2)


def annotate(repo: Repo, number: str, ref: str, records: tuple[str, ...] = (), alteration: dict | None = None,
             as_of=None) -> Outcome:
    from ..dates import today as default_today

    today = as_of or default_today()
    if not records and not alteration:
        raise EditError("请写 --records 项目=值（材料记载的内容）或 --alteration 部位（材料上发现的涂改）", 2)
    path = repo.dossier(number)
    rel = repo.rel(path)
    src = Source.read(path, rel)
    data = src.data if isinstance(src.data, dict) else {}
    catalog = data.get("档案目录")
    if not isinstance(catalog, list):
        raise EditError(f"{rel} 的“档案目录”不是列表，请先改正（dangan check {rel}）")
    i = _find(catalog, ref)
    entry = dict(catalog[i])
    told = []
    if records:
        added = parse_records(records)
        have = dict(entry.get("记载") or {})
        others = list(have.get("其他") or [])
        for key, value in added.items():
            if key == "其他":
                for item in value:
                    if any(isinstance(o, dict) and o.get("项目") == item["项目"] for o in others):
                        raise EditError(f"{ref} 已经记载了“{item['项目']}”：已记载的内容不能由本命令改动"
                                        "（改动要有认定，见使用手册“留痕”）", 2)
                    others.append(item)
                    told.append(f"{item['项目']}={item['值']}")
                continue
            if key in have:
                raise EditError(f"{ref} 已经记载了{key}“{have[key]}”：已记载的内容不能由本命令改动"
                                "（改动要有认定，见使用手册“留痕”）", 2)
            have[key] = value
            told.append(f"{key}={value}")
        if others:
            have["其他"] = others
        entry["记载"] = have
    if alteration:
        handling = alteration.get("处理") or "待处理"
        if handling not in HANDLING:
            raise EditError(f"处理“{handling}”不对：可选 {'、'.join(HANDLING)}", 2)
        found = past_day(alteration.get("发现日期"), today, "发现日期")
        item = {"部位": alteration["部位"], "所涉项目": alteration["所涉项目"], "发现人": alteration["发现人"],
                "发现日期": found, "处理": handling}
        if alteration.get("处理材料"):
            _find(catalog, alteration["处理材料"])
            item["处理材料"] = alteration["处理材料"]
        if alteration.get("造假"):
            item["造假"] = True
        entry["涂改"] = [*(entry.get("涂改") or []), item]
        told.append(f"涂改（{item['部位']}，所涉 {item['所涉项目']}，{handling}）")
    layout = Layout.of(repo.schema_dir / "dossier.schema.json")
    node = src.node(("档案目录", i))
    text = src.text
    line_start = text.rfind("\n", 0, node.start) + 1
    dash = text[line_start:node.start].rstrip(" ")
    if not dash.endswith("-") or dash[:-1].strip():
        raise EditError(f"{rel} 的档案目录写法不常见，无法自动改动：请先运行 dangan fmt {rel}")
    line_end = text.find("\n", node.end)
    line_end = len(text) if line_end < 0 else line_end + 1
    lines = layout.item_text(entry, ("档案目录", i), len(dash) - 1, node.flow)
    new_text = text[:line_start] + "".join(line + "\n" for line in lines) + text[line_end:]
    expected = dict(data)
    expected["档案目录"] = [*catalog[:i], entry, *catalog[i + 1:]]
    after = verify(src, new_text, expected).raw
    errors, warnings = new_findings(repo, rel, src.raw, after, today)
    refuse_new_errors(errors, "登记")
    name = data.get("姓名", "")
    title = entry.get("材料名称", "")
    return Outcome([Change(path, rel, src.raw, after)],
                   [f"{rel}：档案目录 {ref}《{title}》" + "；".join(told)],
                   [f.text() for f in warnings], f"登记 {number} {name} {ref}《{title}》：" + "；".join(told))


def alteration_of(where: str | None, about: str | None, found_by: str | None, found_on: str | None,
                  handling: str | None, material: str | None, fake: bool) -> dict | None:
    if not where:
        if about or found_by or found_on or handling or material or fake:
            raise EditError("登记涂改须写 --alteration 部位（如“第1页出生年月栏”）", 2)
        return None
    if not (about and found_by):
        raise EditError("登记涂改须同时写 --about 所涉项目 和 --found-by 发现人", 2)
    if found_on and parse_day(found_on) is None:
        raise EditError(f"发现日期“{found_on}”不是有效日期，应写作 YYYY.MM.DD", 2)
    return {"部位": where, "所涉项目": about, "发现人": found_by, "发现日期": found_on, "处理": handling,
            "处理材料": material, "造假": fake}
