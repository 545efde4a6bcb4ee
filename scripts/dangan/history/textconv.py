"""The Git diff driver: a dossier as one field per line, so ``git diff``/``git log -p`` read field by field.

Enabled by ``.gitattributes`` (``dossiers/*.yaml diff=dangan``) and once per clone:
``git config diff.dangan.textconv "scripts/run-dangan textconv"``.
"""

from __future__ import annotations

from ..cachefile import tag
from ..factpath import KEYED, entry_key, label
from ..load import LoadError, load_bytes
from ..privacy import mask_id
from .render import value


def hidden_parts(number: str) -> list[tuple[int, int]]:
    """The masked positions of an ID number (from 1), as the parts a reviewer tells apart: for 18 digits
    第 5–6 位 (the rest of the 地址码) and 第 7–14 位 (the 出生日期码); the first and last four are shown."""
    n = len(number)
    if n <= 8:
        return [(1, n)] if n else []
    end = n - 4
    return [(5, 6), (7, end)] if end >= 7 else [(5, end)]


def id_line(number: str) -> str:
    """身份证号 for ``git log -p``: masked, and a keyed digest of each hidden part, so that a changed number
    never shows as two equal lines (each version is rendered alone: only the digests can differ)."""
    parts = []
    for a, b in hidden_parts(number):
        digest = tag(f"{a}-{b}:{number[a - 1:b]}")
        parts.append(f"第 {a}–{b} 位 #{digest}" if digest else f"第 {a}–{b} 位 #（无本机密钥，无法比较）")
    shown = mask_id(number)
    return f"{shown}（{'，'.join(parts)}）" if parts else shown


def lines(data: dict) -> list[str]:
    out: list[str] = []
    for key, v in data.items():
        _walk((key,), v, out)
    return out


def _walk(path: tuple, v, out: list[str]):
    if isinstance(v, dict) and v:
        if len(path) == 2 and path[0] in KEYED:  # a catalog entry or an assessment: one line each
            out.append(f"{label(path)}: {value(v, path[0])}")
            return
        for k, x in v.items():
            _walk((*path, k), x, out)
    elif isinstance(v, list) and v and any(isinstance(x, (dict, list)) for x in v):
        for i, x in enumerate(v):
            key = entry_key(path[0], x) if len(path) == 1 and path[0] in KEYED else None
            _walk((*path, i if key is None else key), x, out)
    elif path == ("身份证号",) and isinstance(v, str):
        out.append(f"{label(path)}: {id_line(v)}")
    else:
        out.append(f"{label(path)}: {value(v, None, path)}")


def render(raw: bytes, name: str = "<输入>") -> str:
    try:
        data = load_bytes(raw, name).data
    except LoadError as exc:
        head = f"（无法解析：第 {exc.line} 行 {exc.code} {exc.message}；以下为原文）"
        from ..privacy import scrub

        return head + "\n" + scrub(raw.decode("utf-8", "replace"))
    return "".join(line + "\n" for line in lines(data))
