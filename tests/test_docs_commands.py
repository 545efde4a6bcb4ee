"""The manual and the README name only commands and options that exist, and every command is in the manual.

Read from what a user copies: `code spans` and fenced code blocks. A word after `dangan` walks the command
tree; a word that is not a command of a group is an error, an option must belong to the command it follows.
"""

from __future__ import annotations

import re

import click

from conftest import PROJECT
from dangan.cli.main import main

DOCS = [PROJECT / "README.md", *sorted((PROJECT / "docs").rglob("*.md"))]
_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.M | re.S)
_SPAN = re.compile(r"`([^`\n]+)`")
# `dangan …` at the start of a line or span (after `$ `, VAR=… or a path such as .venv/bin/), or after && ; |
_CALL = re.compile(r"(?:^\s*(?:\$\s*)?(?:[A-Z_]+=\S*\s+)*(?:\S*[/\\])?|(?:&&|;|\|)\s*)dangan(?:\.exe)?((?:[ \t]+\S+)*)")
_STOP = re.compile(r"\s(?:\||;|&&|\|\||>|2>|#|→)\s|[（(，。；]")  # where a shell line or a sentence goes on


def _snippets(text: str):
    for block in _FENCE.findall(text):
        yield from block.splitlines()
    yield from _SPAN.findall(_FENCE.sub("", text))


def _invocations():
    for path in DOCS:
        text = path.read_text("utf-8")
        for snippet in _snippets(text):
            for m in _CALL.finditer(snippet):
                rest = _STOP.split(" " + m.group(1) + " ")[0]
                yield path.relative_to(PROJECT), snippet, rest.split()


def _check(words: list[str]) -> str | None:
    cmd: click.Command = main
    ctx_words = ["dangan"]
    for word in words:
        if word.startswith("--"):
            name = word.split("=", 1)[0]
            if name != "--help" and not any(name in p.opts or name in p.secondary_opts for p in cmd.params):
                return f"“{' '.join(ctx_words)}”没有选项 {name}"
            continue
        if isinstance(cmd, click.Group):
            if word in cmd.commands:
                cmd = cmd.commands[word]
                ctx_words.append(word)
                continue
            if re.fullmatch(r"[a-z][a-z-]*", word):
                return f"“{' '.join(ctx_words)}”没有子命令 {word}"
            return None  # a placeholder (“…”, 命令) — not a claim about a command
    return None


def test_every_command_and_option_in_the_docs_exists():
    wrong, calls = [], list(_invocations())
    assert len(calls) > 200 and sum(w.startswith("--") for _, _, ws in calls for w in ws) > 80  # it reads the docs
    for where, snippet, words in calls:
        problem = _check(words)
        if problem:
            wrong.append(f"{where}: {snippet.strip()} → {problem}")
    assert wrong == []


def _commands(group: click.Group, prefix: str = "dangan"):
    for name, cmd in group.commands.items():
        if cmd.hidden:
            continue
        yield f"{prefix} {name}"
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, f"{prefix} {name}")


def test_every_command_is_in_the_manual():
    manual = "\n".join(p.read_text("utf-8") for p in DOCS)
    missing = [c for c in _commands(main) if not re.search(re.escape(c) + r"(?![a-z-])", manual)]
    assert missing == []


def test_the_checker_catches_what_it_should():
    assert _check(["check", "--quiet"]) is None
    assert _check(["chek"]) is not None
    assert _check(["check", "--no-such-option"]) is not None
    assert _check(["ledger", "check", "--format=json"]) is None
