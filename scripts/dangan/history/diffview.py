"""``dangan diff``: what a reviewer reads before approving — per dossier, per field, key facts marked.

The range means what it means to ``git diff`` (default: HEAD against the working tree; ``A..B``; ``A...B``
for a branch since it left A). The net change is read exactly as ``dangan audit`` reads a commit — the
second endpoint as a commit on top of the first (``gitlog.synthetic``) — so the two agree: a protected
change must be authorised by a 认定记录 entry that the range adds, a dossier that leaves needs its 转出
in the register as it stands at the end of the range, one that comes back is compared with the version
this repository last held.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..load import LoadError, load_bytes
from ..privacy import scrub
from ..repo import Repo, RepoError
from . import gitlog
from .fielddiff import ADDED, Change
from .render import KEY_FACTS, change_line, event_lines, value, verdict
from .scan import DossierRecord, Scanner


@dataclass
class Review:
    dossiers: list[DossierRecord] = field(default_factory=list)
    texts: dict = field(default_factory=dict)  # blob id → bytes, for what the report shows beyond the fields

    @property
    def unauthorised(self) -> int:
        """Everything marked ✗: an unauthorised change, a dossier gone without its 转出, a version that does not read."""
        return sum(len(d.unauthorised) + (d.event == "leave" and not d.documented) + ("新版本无法解析" in d.problem)
                   for d in self.dossiers)


def _commit(root: Path, rev: str) -> str:
    try:
        return gitlog.git(root, ["rev-parse", "--verify", "-q", f"{rev}^{{commit}}"]).decode().strip()
    except gitlog.GitError:
        raise RepoError(f"无法识别的提交“{rev}”") from None


def endpoints(root: Path, revs: list[str]) -> tuple[str, str | None]:
    """(the base commit, the tip commit — None for the working tree) of a ``git diff`` range."""
    if len(revs) > 2:
        raise RepoError(f"无法识别的提交范围“{' '.join(revs)}”：最多给出两个端点")
    if len(revs) == 2:
        return _commit(root, revs[0]), _commit(root, revs[1])
    if not revs:
        return _commit(root, "HEAD"), None
    spec = revs[0]
    if "..." in spec:
        a, b = (x or "HEAD" for x in spec.split("...", 1))
        try:
            base = gitlog.git(root, ["merge-base", _commit(root, a), _commit(root, b)]).decode().strip()
        except gitlog.GitError:
            raise RepoError(f"无法识别的提交范围“{spec}”：两个分支没有共同的祖先") from None
        return base, _commit(root, b)
    if ".." in spec:
        a, b = (x or "HEAD" for x in spec.split("..", 1))
        return _commit(root, a), _commit(root, b)
    return _commit(root, spec), None


def worktree_tree(root: Path) -> str:
    """The working tree's dossiers and registers (tracked or not, not ignored) as a Git tree, the index untouched."""
    git_dir = Path(gitlog.git(root, ["rev-parse", "--absolute-git-dir"]).decode().strip())
    with tempfile.TemporaryDirectory(prefix="dangan-diff-") as tmp:
        index = Path(tmp) / "index"
        if (git_dir / "index").is_file():
            shutil.copyfile(git_dir / "index", index)  # its stat data spares re-reading unchanged files
        env = {**os.environ, "GIT_INDEX_FILE": str(index)}
        where = [p for p in (gitlog.DOSSIER_PREFIX.rstrip("/"), "ledgers") if (root / p).exists()]
        for args in (["add", "-A", "--", *where] if where else None, ["write-tree"]):
            if args is None:
                continue
            p = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True)
            if p.returncode:
                raise RepoError(f"无法读取工作区：{p.stderr.decode('utf-8', 'replace').strip()}")
        return p.stdout.decode().strip()


def review(repo: Repo, revs: list[str]) -> Review:
    root = repo.root
    gitlog.ensure_repository(root)
    if not revs and gitlog.head(root) is None:
        return Review()
    base, tip = endpoints(root, revs)
    tree = worktree_tree(root) if tip is None else gitlog.git(root, ["rev-parse", f"{tip}^{{tree}}"]).decode().strip()
    commit = gitlog.synthetic(root, tree, [base], "（审核范围）")
    scanner = Scanner(repo, check=False)
    [record] = scanner.records(gitlog.log(root, [commit]))
    result = Review(record.dossiers)
    wanted = [b for d in record.dossiers for b in (d.old_blob, d.new_blob)
              if b and (d.event == "new" or not d.changes)]
    result.texts = scanner.reader.read(wanted)
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


# What a reviewer needs to see of a dossier that is new to the repository (家庭成员 never: privacy.md).
NEW_FACTS = ("姓名", "性别", "出生年月", "身份证号", "民族", "参加工作时间", "入党时间", "学历学位", "干部身份", "管档单位",
             "现任职务", "职级")


def _key_facts(raw: bytes | None) -> list[str]:
    try:
        data = load_bytes(raw or b"").data
    except LoadError as exc:
        return [f"✗ 无法读取（第 {exc.line} 行 {exc.code} {exc.message}）"]
    out = []
    for key in NEW_FACTS:
        if key not in data:
            continue
        v = data[key]
        if key == "学历学位" and isinstance(v, list):
            shown = "；".join(value(e, "学历学位") for e in v)
        elif key == "干部身份" and isinstance(v, dict):
            shown = value(v)
        else:
            shown = value(v, None, (key,))
        out.append(f"{key}：{shown}")
    determinations = data.get("认定记录")
    if isinstance(determinations, list) and determinations:
        out.append(f"认定记录 {len(determinations)} 条：" + "；".join(
            f"{e.get('项目')} {value(e.get('原值'))} → {value(e.get('认定值'))}（{e.get('文号', '')}）"
            for e in determinations if isinstance(e, dict)))
    return out


def _text_lines(old: bytes | None, new: bytes | None, limit: int = 20) -> list[str]:
    """The changed lines of a change that changed no field (comments, layout): shown, not hidden."""
    a = (old or b"").decode("utf-8", "replace").splitlines()
    b = (new or b"").decode("utf-8", "replace").splitlines()
    out = [line for line in difflib.unified_diff(a, b, lineterm="", n=0) if line[:1] in "+-"
           and not line.startswith(("+++", "---"))]
    shown = [scrub(line) for line in out[:limit]]
    return shown + ([f"……另有 {len(out) - limit} 行"] if len(out) > limit else [])


def text_report(result: Review) -> str:
    if not result.dossiers:
        return "没有档案被改动。\n"
    lines = []
    for d in result.dossiers:
        what = {"new": "新建", "leave": "移出" if d.old_path else "删除", "return": "重新进入",
                "outside": "档案库外"}.get(d.event) or ({"R": f"改名（原 {d.old_path}）"}.get(d.status, "修改"))
        lines.append(f"{d.path if d.event != 'leave' or not d.old_path else d.old_path}（{what}）")
        if d.event == "leave":
            lines.append("  已登记转出" if d.documented
                         else f"  ✗ 没有转出记录（{gitlog.LEDGER}）：档案文件不得无故删除或移出档案库")
        elif d.event == "return":
            lines += [f"  {line}" for line in event_lines(d)]
        if d.problem:
            lines.append(("  ✗ " if "新版本无法解析" in d.problem else "    ") + d.problem)
        if d.event == "new":
            lines += [f"    {line}" for line in _key_facts(result.texts.get(d.new_blob))]
        changes, filed = _materials(d.changes)
        for c in changes:
            star = "★" if c.field in KEY_FACTS or c.protected else " "
            mark = ("✓ " if c.authorised else "✗ ") + verdict(c) if c.protected else ""
            lines.append(f"  {star} {change_line(c)}" + (f"    {mark}" if mark else ""))
        if filed:
            lines.append(f"    {filed}")
        if d.event in ("edit", "outside") and not d.changes and not d.problem and d.old_blob != d.new_blob:
            lines.append("    内容没有变化，只改动了注释或排版：")
            lines += [f"      {line}" for line in _text_lines(result.texts.get(d.old_blob), result.texts.get(d.new_blob))]
    lines.append("")
    bad = result.unauthorised
    lines.append(f"共 {len(result.dossiers)} 份档案；" + (f"{bad} 处问题（✗），不应批准。" if bad
                                                     else "没有未经认定的改动。"))
    return "\n".join(lines) + "\n"
