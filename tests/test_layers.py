"""Imports run one way: the layer table in docs/manual/house.md, checked against every import in the package.

Every ``import``/``from … import`` counts, also those inside functions (a lazy import is still a
dependency). A module may import its own layer or lower ones; the packages of one layer may not
import each other in a circle; no private name (``_x``) is imported from another module.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PACKAGE = PROJECT / "scripts" / "dangan"
HOUSE = PROJECT / "docs" / "manual" / "house.md"


def layer_table(text: str) -> list[tuple[str, list[str]]]:
    """(layer, entries) bottom-up, from the ```text block after the ``<!-- layers`` marker."""
    block = re.search(r"<!-- layers.*?-->\s*```text\n(.*?)```", text, re.S)
    assert block, "house.md has no layer table"
    return [(line.split()[0], line.split()[1:]) for line in block.group(1).splitlines() if line.strip()]


def modules(package: Path) -> dict[str, Path]:
    """Dotted name relative to the package ("" is the package itself) → file."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, known: set[str], top: str) -> list[tuple[str, int, str]]:
    """(imported module, line, imported name) for every import of a module of this package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join([*base, node.module] if node.module else base)
            elif node.module and (node.module == top or node.module.startswith(top + ".")):
                target = node.module[len(top) + 1:]
            else:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                found.append((sub if sub in known else target, node.lineno, alias.name))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == top or alias.name.startswith(top + "."):
                    found.append((alias.name[len(top) + 1:], node.lineno, alias.name))
    return found


def problems(package: Path, table: list[tuple[str, list[str]]]) -> list[str]:
    top = package.name
    mods = modules(package)
    entry_layer = {entry: i for i, (_layer, entries) in enumerate(table) for entry in entries}
    layer_names = [layer for layer, _entries in table]

    def entry_of(module: str) -> str | None:
        if module == "":
            return top if top in entry_layer else None
        parts = module.split(".")
        for k in range(len(parts), 0, -1):
            if ".".join(parts[:k]) in entry_layer:
                return ".".join(parts[:k])
        return None

    out = [f"{top}/{m.replace('.', '/') or '__init__'}.py 不在分层表中" for m in mods if entry_of(m) is None]
    out += [f"分层表中的 {e} 不存在" for e in entry_layer if e != top and e not in mods]
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        src = entry_of(name)
        if src is None:
            continue
        for target, line, imported in imports(name, path, set(mods), top):
            where = f"{path.relative_to(package.parent)}:{line}"
            if imported.startswith("_") and not imported.startswith("__") and target != name:
                out.append(f"{where} 从 {target or top} 导入私有名字 {imported}")
            dst = entry_of(target)
            if dst is None or dst == src:
                continue
            if entry_layer[dst] > entry_layer[src]:
                out.append(f"{where} 向上导入：{src}（{layer_names[entry_layer[src]]}）导入 "
                           f"{target}（{layer_names[entry_layer[dst]]}）")
            graph.setdefault(src, set()).add(dst)
    out += [f"互相导入（成环）：{' → '.join(cycle)}" for cycle in cycles(graph)]
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of two or more nodes (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_imports_follow_the_layer_table():
    assert problems(PACKAGE, layer_table(HOUSE.read_text("utf-8"))) == []


def test_the_checker_catches_upward_imports_cycles_and_private_names(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "low").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "low" / "__init__.py").write_text("def f():\n    from ..high import g\n")  # lazy, still upward
    (pkg / "high.py").write_text("from .low import _private\nfrom . import side\n")
    (pkg / "side.py").write_text("from pkg import high\n")
    (pkg / "stray.py").write_text("")
    table = [("bottom", ["pkg", "low"]), ("top", ["high", "side"])]
    found = problems(pkg, table)
    assert any("向上导入：low" in p and "pkg/low/__init__.py:2" in p for p in found), found
    assert any("私有名字 _private" in p for p in found), found
    assert any("成环" in p and "high" in p and "side" in p for p in found), found
    assert any("stray.py 不在分层表中" in p for p in found), found
