"""The Git diff driver: a dossier as one field per line, so ``git diff``/``git log -p`` read field by field.

Enabled by ``.gitattributes`` (``dossiers/*.yaml diff=dangan``) and once per clone:
``git config diff.dangan.textconv "scripts/run-dangan textconv"``.
"""

from __future__ import annotations

from ..factpath import KEYED, entry_key, label
from ..load import LoadError, load_bytes
from .render import value


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
