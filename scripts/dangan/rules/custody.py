"""Who keeps the dossier: the 正本 by 管理权限, a 副本 by the cadre's own unit (R701–R704).

《干部人事档案工作条例》第二十二条: a dossier is a 正本 or a 副本; the cadre's unit may keep a 副本 of a cadre at
副处级 or above, made of copies of the 正本's main materials and changed whenever the 正本 changes. Which 管档单位
must hold the 正本 of which 职级 is the local 干部管理权限, written in the policy (``档案保管``).
"""

from __future__ import annotations

from ..policy import PolicyError

ORIGINAL, COPY = "正本", "副本"


def kind(data: dict) -> str:
    """正本 or 副本 (not written: 正本)."""
    return COPY if data.get("档案类别") == COPY else ORIGINAL


def described(data: dict) -> str:
    """档案类别 as the reader is told it: 正本, or 副本 and who holds the 正本 (《干部人事档案工作条例》第二十二条);
    the site's dossier page and the headers of `dangan review` and `dangan score` write it so."""
    if kind(data) == ORIGINAL:
        return ORIGINAL
    at = data.get("正本保管单位")
    return f"副本（正本由{at}保管）" if isinstance(at, str) and at else "副本（未写正本保管单位）"


def holders(policy, ranks: set[str]) -> dict[str, str]:
    """职级 → the 管档单位 that must hold the 正本 (policy ``档案保管.正本``); a 职级 not in the code table stops."""
    out: dict[str, str] = {}
    for i, entry in enumerate(policy.get("档案保管", "正本", default=[]) or []):
        for rank in entry.get("职级", []):
            if rank not in ranks:
                raise PolicyError(f"{policy.path}: 政策文件“档案保管.正本”第 {i + 1} 项的职级“{rank}”不在 codes/rank.json 中")
            if rank in out:
                raise PolicyError(f"{policy.path}: 政策文件“档案保管.正本”中职级“{rank}”出现了两次")
            out[rank] = entry["管档单位"]
    return out


_WHY = "（按干部管理权限：《干部人事档案工作条例》第二十二条、第二十五条，政策文件“档案保管”）"


def custody(doc, ctx, out):
    data = doc.data
    rank, unit = data.get("职级"), data.get("管档单位")
    if not isinstance(unit, str) or data.get("档案类别") not in (None, ORIGINAL, COPY):
        return  # a 档案类别 the schema refused (S005): nothing to build on
    holder = ctx.custody.get(rank) if isinstance(rank, str) else None
    original_at = data.get("正本保管单位")
    if kind(data) == ORIGINAL:
        if original_at is not None:
            out.warn(("正本保管单位",), "R703", "写了正本保管单位，档案类别却不是副本：本单位保管的是副本的，写“档案类别: 副本”；"
                                          "是正本的，删去正本保管单位")
        if holder is not None and unit != holder:
            out.warn(("管档单位",), "R701", f"{rank}的档案正本应由{holder}保管{_WHY}，现在的管档单位是{unit}：请将正本转递"
                                        f"{holder}；本单位留存的若是副本，写“档案类别: 副本”和“正本保管单位: {holder}”")
        return
    floor = ctx.policy.get("档案保管", "副本最低职级层次", default=5)
    level = ctx.rank_levels.get(rank) if isinstance(rank, str) else None
    if level is not None and isinstance(floor, int) and level < floor:
        out.warn(("档案类别",), "R704", f"{rank}不建档案副本：副本只为副处级（县处级副职）或者相当职务以上的干部建立"
                                     "（《干部人事档案工作条例》第二十二条）；职务变动后不再需要的副本，按规定移交或销毁")
    if not isinstance(original_at, str):
        out.warn(("档案类别",), "R702", "副本没有写正本保管单位：写明保管这份档案正本的单位（如“正本保管单位: 市委组织部”），"
                                     "正本的材料和信息变更时，副本随之更新（《干部人事档案工作条例》第二十二条）", key=True)
        return
    if original_at == unit:
        out.warn(("正本保管单位",), "R703", f"正本保管单位与管档单位相同（{unit}）：同一单位不另存副本，"
                                         "本单位保管的就是正本的，删去“档案类别”和“正本保管单位”")
    elif holder is not None and original_at != holder:
        out.warn(("正本保管单位",), "R701", f"{rank}的档案正本应由{holder}保管{_WHY}，副本写的正本保管单位却是"
                                         f"{original_at}：核实正本的去向，请{original_at}将正本转递{holder}")


RULES = [custody]


# ---------------------------------------------------------------- across files: a 副本 and its 正本 (X002, X004–X006)

KEY_FACTS = ("出生年月", "参加工作时间", "入党时间", "学历学位", "简历", "干部身份")  # 三龄两历一身份 (工作经历: 简历)
_DETERMINATION = ("项目", "原值", "认定值", "认定机关", "认定日期", "文号")  # a 认定 as the 副本 copies it (依据 aside)


def bare(value):
    """A value without its 依据 lists: a 副本's catalog holds copies of the 正本's main materials, not all of them,
    so the 顺序号 a fact rests on may differ; the fact itself may not."""
    if isinstance(value, dict):
        return {k: bare(v) for k, v in value.items() if k != "依据"}
    if isinstance(value, list):
        return [bare(v) for v in value]
    return value


def _shown(value) -> str:
    if value is None:
        return "空"
    if isinstance(value, str):
        return value
    return "与正本不同" if isinstance(value, (list, dict)) else str(value)


def _entries(data: dict, key: str) -> list:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _determinations(data: dict) -> list[tuple]:
    entries = _entries(data, "认定记录")
    return [tuple(str(e.get(k)) for k in _DETERMINATION) for e in entries if isinstance(e, dict)]


def diverging(copy: dict, original: dict) -> list[tuple[tuple, str, str]]:
    """What a 副本 has that its 正本 does not: (path in the 副本, code, message), in file order.

    X004 the 副本 names another holder than the unit holding the 正本 here; X005 a key fact differs from the 正本
    (《条例》第二十二条: 正本有关材料和信息变更时，副本应当相应变更); X006 a 认定 the 正本 does not carry (副本不作认定:
    the unit holding the 正本 determines, the 副本 copies it)."""
    number, unit = original.get("编号"), original.get("管档单位")
    where = f"本库中的正本 {number}（{unit}）"
    out: list[tuple[tuple, str, str]] = []
    named = copy.get("正本保管单位")
    if isinstance(named, str) and isinstance(unit, str) and named != unit:
        out.append((("正本保管单位",), "X004", f"副本写的正本保管单位是{named}，{where}却由{unit}保管：核实正本的去向，改正正本保管单位"))
    for key in KEY_FACTS:
        mine, theirs = bare(copy.get(key)), bare(original.get(key))
        if mine != theirs:
            scalar = not isinstance(mine, (list, dict)) and not isinstance(theirs, (list, dict))
            detail = f"（副本 {_shown(mine)}，正本 {_shown(theirs)}）" if scalar else ""
            out.append(((key,), "X005", f"副本的{key}与{where}不一致{detail}：副本由正本主要材料的复制件构成，正本的材料和信息"
                                        "变更时副本相应变更（《干部人事档案工作条例》第二十二条）；关键信息在正本上认定，副本照正本更新"))
    theirs_det = set(_determinations(original))
    for i, entry in enumerate(_entries(copy, "认定记录")):
        if isinstance(entry, dict) and tuple(str(entry.get(k)) for k in _DETERMINATION) not in theirs_det:
            out.append((("认定记录", i), "X006", f"副本不作认定：认定记录第 {i + 1} 条（{entry.get('项目')}）{where}中没有；"
                                             "认定由保管正本的单位在正本上作出，副本照抄正本的认定记录"))
    return out
