"""What every command shares: the exit codes, the refusal handling, the common options.

Imported by cli/main.py, cli/forms.py and cli/review.py (never injected), so a command module needs
nothing from the module that assembles the group.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sys
from pathlib import Path
from typing import NoReturn

import click

from ..dates import parse_day, today
from ..errors import Refusal
from ..privacy import scrub
from ..repo import NUMBER, SUFFIXES, Repo, find_root

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 70


@functools.cache
def command() -> str:
    """How the clerk runs dangan from here: “dangan” when it is on PATH (the environment is active), else the
    path of this very program (“.venv/bin/dangan”, “.venv\\Scripts\\dangan”), so a message names a command that works."""
    import shutil
    from pathlib import Path

    me = Path(sys.argv[0])
    on_path = shutil.which("dangan")
    try:
        if on_path and Path(on_path).resolve() == me.resolve():
            return "dangan"
        rel = os.path.relpath(me.resolve(), Path.cwd())
    except (OSError, ValueError):  # another drive on Windows, a vanished cwd
        return str(me)
    return rel if rel.startswith("..") or os.sep in rel else os.path.join(".", rel)


_MENTION = re.compile(r"(?<![\w./\\-])dangan (?=[a-z])")


def runnable(text: str) -> str:
    """Every “dangan verb” a message names, as a command that works here (see ``command``)."""
    run = command()
    return text if run == "dangan" or "dangan " not in text else _MENTION.sub(lambda _m: run + " ", text)


def echo(message="", **kwargs) -> None:
    """click.echo, with the commands a message names made runnable."""
    click.echo(runnable(message) if isinstance(message, str) else message, **kwargs)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    echo(scrub(f"错误：{message}"), err=True)
    sys.exit(code)


def warn_skipped(skipped: list, what: str = "未计入") -> None:
    """Say which dossiers a command could not read (repo.Skipped), on stderr; the output covers the rest."""
    for s in skipped:
        click.echo(scrub(f"警告：{s.text()}：档案无法读取，{what}（用 dangan check 查看并改正）"), err=True)


_SHARED: list[Repo] = []


def open_repo() -> Repo:
    """The repository a command works on: the one around the working directory, or, while ``dangan pre-commit``
    runs its checks (``shared_repo``), the one ``Repo`` they all share (policy, schema and code tables read once)."""
    return _SHARED[-1] if _SHARED else Repo(find_root())


@contextlib.contextmanager
def shared_repo(repo: Repo):
    _SHARED.append(repo)
    try:
        yield repo
    finally:
        _SHARED.pop()


def dossier_ref(_ctx, _param, value):
    """A click callback for a 编号 argument: a relative path becomes absolute (where the clerk stands), so
    Repo.dossier, the one resolver, never reads the working directory."""
    if value is None or NUMBER.fullmatch(value) or not value.endswith(SUFFIXES):
        return value
    return str(Path.cwd() / value)


def guarded(fn):
    """Known problems become a Chinese message and exit 2; nothing prints a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Refusal as exc:
            fail(exc.message, exc.code)
        except OSError as exc:
            fail(f"读写文件失败：{exc.filename or ''} {exc.strerror or exc}")
        except (KeyboardInterrupt, SystemExit, click.exceptions.Exit, click.ClickException):
            raise
        except Exception as exc:  # a bug: say so plainly, keep the trace for DANGAN_DEBUG
            if os.environ.get("DANGAN_DEBUG"):
                raise
            fail(f"内部错误（{type(exc).__name__}），请把命令和文件报告给维护人员；设置 DANGAN_DEBUG=1 可看详细信息", EXIT_BUG)

    return wrapper


def as_of_option(fn):
    return click.option("--as-of", callback=day_param, metavar="YYYY.MM.DD",
                        help="按哪一天计算年龄、期限（默认今天，或环境变量 DANGAN_TODAY）")(fn)


def recorded_option(what: str):
    """--recorded YYYY.MM.DD: read the repository as Git held it that day (the last commit of the day, nothing
    checked out); a day after today is refused."""
    def past(ctx, param, value):
        day = day_param(ctx, param, value)
        if day is not None and day > today():
            raise click.BadParameter(f"{value} 晚于今天：--recorded 只能读 Git 中已有的记载")
        return day

    return click.option("--recorded", callback=past, metavar="YYYY.MM.DD",
                        help=f"按 Git 中那一天的记载（当日最后一次提交的{what}，不检出）")


def format_option(*choices):
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
                        help="输出格式")


def day_param(_ctx, _param, value):
    """A click callback for YYYY.MM.DD options (--as-of, --filled-on …): a date, or a usage error."""
    if value is None:
        return None
    day = parse_day(value)
    if day is None:
        raise click.BadParameter(f"“{value}”不是有效日期，应写作 YYYY.MM.DD")
    return day


def dry_run_option(fn):
    return click.option("--dry-run", is_flag=True, help="只显示将要做的改动，不写入任何文件")(fn)


def commit_option(fn):
    """--commit of a verb that writes files (归档、认定、转递 …)."""
    return click.option("--commit", "commit", is_flag=True,
                        help="写入后用建议的提交说明直接提交（照常经过提交前检查）")(fn)


def record_commit_option(fn):
    """--commit of a command that records into a register (审核、检查验收、整改 …)."""
    return click.option("--commit", is_flag=True, help="登记后用建议的提交说明直接提交（照常经过提交前检查）")(fn)
