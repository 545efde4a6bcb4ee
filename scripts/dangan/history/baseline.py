"""The trail baseline: where a repository's alteration trail starts (docs/manual/trail.md, “留痕基线”).

A repository whose dossiers were entered from paper (or whose history before that is a system's
development, as this project's) declares the commit where the trail starts in ``ledgers/留痕基线.yaml``:

    基线: 本提交          # the commit that last wrote this file — survives a rebase; or a commit id
    说明: 纸质档案录入完成

``dangan audit``, review, score, grade and the site judge only the commits after the baseline (its
descendants); the baseline's own state is where the trail begins. Without a declaration the trail starts at
the root, which is what a repository re-rooted on an orphan ``档案基线`` commit needs. A declaration that
cannot be read, or names a commit not in the history, is reported (T209) and the whole history is judged:
a broken declaration never hides anything. Every commit that changes the declaration is listed (T208),
whatever the baseline; on the central repository only an administrator's signed commit may (P010).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..roles import BASELINE
from . import gitlog

THIS_COMMIT = "本提交"
PROBLEM = "T209"  # the declaration cannot be used (reported, not fatal)
_HEX = re.compile(r"[0-9a-fA-F]{7,40}")


@dataclass(frozen=True)
class Baseline:
    commit: str | None = None  # the baseline commit (None: the trail starts at the root)
    note: str = ""  # 说明
    problem: str = ""  # why a declaration was not used (T209)
    declared: bool = False

    @property
    def short(self) -> str:
        return self.commit[:10] if self.commit else ""

    def exclude(self) -> list[str]:
        """Revision arguments that leave out the baseline and everything before it."""
        return [f"^{self.commit}"] if self.commit else []


def _parse(raw: bytes) -> tuple[str, str]:
    """(基线, 说明) of a declaration; ValueError (Chinese) when it is not one."""
    from ..load import LoadError, load_bytes

    try:
        data = load_bytes(raw, BASELINE).data
    except LoadError as exc:
        raise ValueError(f"第 {exc.line} 行第 {exc.col} 列：{exc.message}") from None
    if not isinstance(data, dict) or not isinstance(data.get("基线"), str):
        raise ValueError(f"应写作“基线: {THIS_COMMIT}”或“基线: 提交编号”")
    unknown = sorted(set(data) - {"基线", "说明"})
    if unknown:
        raise ValueError(f"有未知的键“{unknown[0]}”（只有“基线”和“说明”两项）")
    value = data["基线"].strip()
    if value != THIS_COMMIT and not _HEX.fullmatch(value):
        raise ValueError(f"“基线: {value}”既不是“{THIS_COMMIT}”，也不是提交编号（7–40 位十六进制）")
    note = data.get("说明")
    return value, note.strip() if isinstance(note, str) else ""


def resolve(root, tip: str | None = "HEAD") -> Baseline:
    """The baseline in force at ``tip`` (its own declaration), checked against ``tip``'s history."""
    if not tip:
        return Baseline()
    raw = gitlog.BlobReader(root).read([f"{tip}:{BASELINE}"]).get(f"{tip}:{BASELINE}")
    if raw is None:
        return Baseline()
    try:
        value, note = _parse(raw)
    except ValueError as exc:
        return Baseline(None, "", f"{BASELINE} 无法使用（{exc}）", True)
    if value == THIS_COMMIT:
        try:
            commit = gitlog.git(root, ["log", "-1", "--format=%H", tip, "--", BASELINE]).decode().strip()
        except gitlog.GitError:
            commit = ""
        return Baseline(commit or None, note, "" if commit else f"{BASELINE}：找不到写入它的提交", True)
    try:
        commit = gitlog.git(root, ["rev-parse", "--verify", "-q", f"{value}^{{commit}}"]).decode().strip()
    except gitlog.GitError:
        commit = ""
    if not commit or not gitlog.is_ancestor(root, commit, tip):
        return Baseline(None, note, f"{BASELINE} 写的基线 {value} 不在本分支的历史中", True)
    return Baseline(commit, note, "", True)


def declaration_changes(root, tip: str | None = "HEAD") -> list[str]:
    """Every commit in ``tip``'s history that changed the declaration, newest first (each is a T208)."""
    if not tip:
        return []
    try:
        return gitlog.git(root, ["log", "--format=%H", "-m", tip, "--", BASELINE]).decode().split()
    except gitlog.GitError:
        return []


def tip_of(root, revs: list[str]) -> str | None:
    """The commit whose declaration governs a range: its positive end (``A..B`` → B, ``B`` → B, none → HEAD)."""
    end = "HEAD"
    for r in revs:
        if r == "--not":
            break
        if r.startswith(("^", "-")):
            continue
        end = re.split(r"\.\.\.?", r)[-1] or "HEAD"
        break
    try:
        return gitlog.git(root, ["rev-parse", "--verify", "-q", f"{end}^{{commit}}"]).decode().strip() or None
    except gitlog.GitError:
        return None


def describe(b: Baseline) -> str:
    """One line for a summary: where the trail starts."""
    if b.commit is None:
        return ""
    note = f"（{b.note}）" if b.note else ""
    return f"留痕基线 {b.short}{note}之后："
