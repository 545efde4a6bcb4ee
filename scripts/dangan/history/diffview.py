"""``dangan diff``: what a reviewer reads before approving — per dossier, per field, key facts marked.

The range means what it means to ``git diff`` (default: HEAD against the working tree; ``A..B``; ``A...B``
for a branch since it left A). The net change is judged: a protected change must be authorised by a
认定记录 entry that the same range adds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..repo import Repo, RepoError
from . import gitlog
from .fielddiff import ADDED, Change
from .render import KEY_FACTS, change_line, value, verdict
from .scan import DossierRecord, Scanner, transferred


@dataclass
class Review:
    dossiers: list[DossierRecord] = field(default_factory=list)

    @property
    def unauthorised(self) -> int:
        return sum(len(d.unauthorised) for d in self.dossiers)


def review(repo: Repo, revs: list[str]) -> Review:
    root = repo.root
    gitlog.ensure_repository(root)
    if not revs and gitlog.head(root) is None:
        return Review()
    try:
        out = gitlog.git(root, ["diff", "-z", "--raw", "--no-abbrev", "-M", *(revs or ["HEAD"]), "--"])
    except gitlog.GitError as exc:
        raise RepoError(f"无法识别的提交范围“{' '.join(revs)}”：{exc}") from None
    changed = gitlog.parse_log(b"\x1e" + b"\x1f".join([b"0" * 40, b"", b"", b"", b"0", b"N", b"", out]))[0].files
    scanner = Scanner(repo, check=False)
    blobs = scanner.reader.read([b for fc in changed for b in (fc.old_blob, fc.new_blob) if b])
    worktree = not revs or (len(revs) == 1 and ".." not in revs[0])
    result = Review()
    for fc in changed:
        if not fc.path.startswith(gitlog.DOSSIER_PREFIX):
            continue
        if fc.new_blob and blobs.get(fc.new_blob) is None and worktree and (root / fc.path).is_file():
            blobs[fc.new_blob] = (root / fc.path).read_bytes()  # not in Git yet: the file on disk
        elif fc.new_blob is None and fc.status != "D" and worktree and (root / fc.path).is_file():
            fc.new_blob = "worktree:" + fc.path
            blobs[fc.new_blob] = (root / fc.path).read_bytes()
        d = scanner.dossier(fc, blobs, {}, None)
        if fc.status == "D":
            ledger = root / gitlog.LEDGER
            d.documented = transferred(ledger.read_bytes() if worktree and ledger.is_file() else None, d.number)
        result.dossiers.append(d)
    return result


def _materials(changes: list[Change]) -> tuple[list[Change], str]:
    """New catalog entries folded into one line: the routine part of most commits."""
    filed = [c for c in changes if c.path[0] == "档案目录" and len(c.path) == 2 and c.kind == ADDED]
    rest = [c for c in changes if c not in filed]
    if not filed:
        return rest, ""
    names = "、".join(f"{c.path[1]}《{c.new.get('材料名称', '') if isinstance(c.new, dict) else value(c.new)}》"
                     for c in filed)
    return rest, f"新归档材料 {len(filed)} 份：{names}"


def text_report(result: Review) -> str:
    if not result.dossiers:
        return "没有档案被改动。\n"
    lines = []
    for d in result.dossiers:
        what = {"A": "新建", "D": "删除", "R": f"改名（原 {d.old_path}）"}.get(d.status, "修改")
        lines.append(f"{d.path}（{what}）")
        if d.status == "D":
            lines.append("  已登记转出" if d.documented else f"  ✗ 没有转出记录（{gitlog.LEDGER}）：档案文件不得无故删除")
        if d.problem:
            lines.append(f"  ✗ {d.problem}")
        changes, filed = _materials(d.changes)
        for c in changes:
            star = "★" if c.field in KEY_FACTS or c.protected else " "
            mark = ("✓ " if c.authorised else "✗ ") + verdict(c) if c.protected else ""
            lines.append(f"  {star} {change_line(c)}" + (f"    {mark}" if mark else ""))
        if filed:
            lines.append(f"    {filed}")
    lines.append("")
    bad = result.unauthorised
    lines.append(f"共 {len(result.dossiers)} 份档案；" + (f"{bad} 处未经认定的改动（✗），不应批准。" if bad
                                                     else "没有未经认定的改动。"))
    return "\n".join(lines) + "\n"
