"""``dangan pre-commit``: every dangan commit hook in one process (the one hook of .pre-commit-config.yaml).

The six checks the configuration used to run as six hooks — six interpreters, six imports, six readings of the
policy, the schema and the repository — run here one after another on one ``Repo`` (cli/options.shared_repo), each
through its own command (``dangan check``, ``check --cross``, ``fmt --check``, ``audit --staged``, ``ledger check``,
``teams check``), so the results, the messages and the exit codes are the commands' own. Each check runs when its
old hook would have run (the same file patterns, ``always_run`` where the hook had it) and its output is shown under
its old hook's name with 通过 / 未通过 / 跳过, so the clerk still sees which check refused; the exit code is the
highest of them (non-zero when any check fails).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from .options import EXIT_OK, as_of_option, echo, guarded

WIDTH = 79  # pre-commit's line: name, dots, status


@dataclass(frozen=True)
class Section:
    """One of the old hooks: its id and name (.pre-commit-config.yaml), which staged files make it run (None:
    always, as ``always_run``), whether it gets those files, and the command it runs."""

    id: str
    name: str
    files: re.Pattern | None
    pass_files: bool
    run: Callable[[list[Path], object], None]


# A commit of a few dossiers checks them faster than it reads the result cache of the whole repository (at 50,000
# dossiers the cache is ~10 MB of JSON, about a second); a cache only saves time, so the answer is the same.
FEW = 8


def _check(files, as_of):
    from .main import check

    check.callback(paths=tuple(files), fmt="text", cross=False, no_cache=len(files) <= FEW, jobs=None, quiet=True,
                   as_of=as_of)


def _cross(_files, as_of):
    from .main import check

    check.callback(paths=(), fmt="text", cross=True, no_cache=False, jobs=None, quiet=True, as_of=as_of)


def _fmt(files, _as_of):
    from .main import fmt_

    fmt_.callback(paths=tuple(files), check_only=True, dry_run=False, commit=False)


def _audit(_files, _as_of):
    from .main import audit

    audit.callback(revs=(), staged=True, deep=False, pushes=False, anchor=None, fmt="text")


def _ledger(_files, as_of):
    from .main import ledger_check

    ledger_check.callback(fmt="text", quiet=True, as_of=as_of)


def _teams(_files, as_of):
    from .main import teams_check

    teams_check.callback(fmt="text", quiet=True, staged=True, as_of=as_of)


DOSSIER_FILE = re.compile(r"^dossiers/[^/]+\.ya?ml$")
SECTIONS = (
    Section("dangan-check", "档案检查（格式、必填、完整性、一致性）", DOSSIER_FILE, True, _check),
    Section("dangan-cross", "跨档案检查（编号唯一、一人一档）", re.compile(r"^dossiers/"), False, _cross),
    Section("dangan-fmt", "档案格式（规范排版，差异只显示真实改动）", DOSSIER_FILE, True, _fmt),
    Section("dangan-audit", "留痕核对（受保护字段的改动须有认定记录）", None, False, _audit),
    Section("dangan-ledger", "登记簿检查（查阅、借阅、转递：回避、审批、期限）", re.compile(r"^ledgers/"), False, _ledger),
    Section("dangan-teams", "领导班子检查（成员在库、职务一致、职数与结构）", None, False, _teams),
)
PASSED, FAILED, SKIPPED = "通过", "未通过", "跳过（没有要检查的文件）"
DONE = "跳过（这次提交的前一批已检查）"


def _run_id() -> str | None:
    """Which pre-commit run this process is a batch of: its parent (pre-commit; scripts/run-dangan execs dangan) by
    process id and start time, read from /proc; None where that cannot be told (another system: every batch checks).

    pre-commit hands a hook at most ~128 KB of file names at a time: a commit of thousands of dossiers runs the hook
    in several batches, one after another (require_serial). The checks that read the whole repository rather than
    the files given (跨档案、留痕、登记簿、领导班子) give the same answer in every batch of one run, so they run once."""
    if os.environ.get("PRE_COMMIT") != "1":  # run by hand, not by pre-commit: every run checks everything
        return None
    parent = os.getppid()
    try:
        with open(f"/proc/{parent}/cmdline", "rb") as fh:
            if b"pre-commit" not in fh.read().replace(b"pre_commit", b"pre-commit"):
                return None
        with open(f"/proc/{parent}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return f"{parent}:{int(fields[19])}"  # field 22 of proc(5), starttime; fields after the name start at 3
    except (OSError, IndexError, ValueError):
        return None


class Batches:
    """The whole-repository checks already done in this pre-commit run (``precommit-run.json`` in the state dir,
    sealed like every cache: one that does not verify, or is of another run, means nothing was done)."""

    NAME = "precommit-run.json"

    def __init__(self, repo):
        from .. import cachefile

        self.path = repo.cache_dir() / self.NAME
        self.run = _run_id()
        stored = cachefile.load(self.path, "precommit") if self.run else None
        ok = isinstance(stored, dict) and stored.get("run") == self.run and isinstance(stored.get("done"), list)
        self.done: set[str] = {d for d in stored["done"] if isinstance(d, str)} if ok and stored else set()

    def add(self, section_id: str) -> None:
        from .. import cachefile

        if self.run:
            self.done.add(section_id)
            cachefile.save(self.path, "precommit", {"run": self.run, "done": sorted(self.done)})


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def status_line(name: str, status: str) -> str:
    """``name......status`` to pre-commit's width (a Chinese character is two columns)."""
    return name + "." * max(3, WIDTH - _width(name) - _width(status)) + status


def run_section(section: Section, files: list[Path], as_of) -> tuple[int, str]:
    """(exit code, everything the check printed, stdout and stderr in the order printed)."""
    out = io.StringIO()
    code = EXIT_OK
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            section.run(files, as_of)
        except SystemExit as exc:  # every command ends in sys.exit(code); a refusal too (options.fail)
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return code, out.getvalue()


@click.command("pre-commit")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@as_of_option
@guarded
def pre_commit(files, as_of):
    """提交前检查（pre-commit 钩子用）：一个进程做完全部六项检查，文件由 pre-commit 给出（暂存的改动）。

    依次是档案检查（dangan check --quiet 文件）、跨档案检查（dangan check --cross）、档案格式（dangan fmt --check 文件）、
    留痕核对（dangan audit --staged）、登记簿检查（dangan ledger check，登记簿有改动时）、领导班子检查（dangan teams check --staged）；
    每项的结果和说明与单独运行该命令相同，在该项名称下列出（通过、未通过、跳过）。

    退出码：0 全部通过（可有警告），否则为各项退出码中最大的（1 有错误，2 用法或读写问题）。
    """
    from ..repo import Repo, find_root
    from .options import shared_repo

    rels = [Path(f).as_posix() for f in files]
    worst = EXIT_OK
    with shared_repo(Repo(find_root())) as repo:
        batches = Batches(repo)
        for section in SECTIONS:
            chosen = [Path(r) for r in rels if section.files is None or section.files.search(r)]
            if section.files is not None and not chosen:
                echo(status_line(section.name, SKIPPED))
                continue
            if not section.pass_files and section.id in batches.done:
                echo(status_line(section.name, DONE))  # its result, pass or fail, is the earlier batch's
                continue
            code, text = run_section(section, chosen if section.pass_files else [], as_of)
            if not section.pass_files:
                batches.add(section.id)
            worst = max(worst, code)
            echo(status_line(section.name, FAILED if code else PASSED))
            if text:
                click.echo(text, nl=not text.endswith("\n"))  # already made runnable by the command's own echo
            sys.stdout.flush()
    finish(worst)


def finish(code: int) -> None:
    """End the hook process at once when pre-commit started it (PRE_COMMIT=1, the ``dangan`` program itself): every
    check has written its caches and its output, and tearing down the interpreter — freeing every module and object
    one by one — was ~25 ms of each commit (issue 21). Anywhere else (by hand, a test calling the command in its own
    process) exit as usual."""
    sys.stdout.flush()
    sys.stderr.flush()
    if os.environ.get("PRE_COMMIT") == "1" and Path(sys.argv[0]).stem == "dangan":
        os._exit(code)
    sys.exit(code)
