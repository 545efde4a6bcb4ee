"""Helpers shared by the review/score/grade tests: edit the throw-away repo's files as text, commit."""

from __future__ import annotations

from pathlib import Path

from conftest import git


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def commit(root: Path, env, message: str) -> None:
    """Commit everything, skipping any hook: the trail must still find what was done."""
    git(["add", "-A"], root, env)
    git(["commit", "-q", "--no-verify", "-m", message], root, env)
