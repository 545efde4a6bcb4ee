"""The YAML text of a generated dossier, and its plain data (what ``dangan.load`` should read back)."""

from __future__ import annotations

from ..yamltext import DOSSIER_HEADER, Layout
from .catalog import Mat, mat_order

HEADER = DOSSIER_HEADER


def render(doc: dict, layout: Layout) -> str:
    """The dossier as YAML text: its plain data written by the one writer, yamltext.Layout (as fmt would)."""
    return layout.text(plain(doc), HEADER)


def plain(doc: dict) -> dict:
    """The document as plain data, exactly as ``dangan.load`` should read the rendered text back (for tests)."""

    def walk(value):
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            if value and isinstance(value[0], Mat):
                return [m.ref for m in sorted(value, key=mat_order)]
            return [walk(v) for v in value]
        return value

    return {k: [m.entry() for m in v] if k == "档案目录" else walk(v) for k, v in doc.items()}
