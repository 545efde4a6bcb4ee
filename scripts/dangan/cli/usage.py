"""Usage errors in Chinese: every mistake on the command line starts with “错误：” and says how to look it up.

click raises its usage errors in English (“Error: Missing option '--class'.”); the group runs click with
standalone_mode off and says each one again in Chinese, exit code 2. Help lines get Chinese too.
"""

from __future__ import annotations

import re
import sys

import click

from .options import EXIT_USAGE, command, echo

HELP = "显示本帮助并退出"


def _param(param) -> tuple[str, str]:
    """(kind, name): ("选项", "--class") or ("参数", "NUMBER")."""
    if isinstance(param, click.Option):
        return "选项", max(param.opts, key=len)
    if param is not None:
        return "参数", (param.metavar or param.name or "").upper()
    return "参数", ""


def _range(text: str) -> str:
    text = text.replace("x", "").replace("<=", "≤").replace(">=", "≥")
    m = re.fullmatch(r"(-?[0-9.]+)≤≤(-?[0-9.]+)", text)
    return f"{m.group(1)}–{m.group(2)}" if m else text


def _value(message: str, param) -> str:
    """click's English about a value → Chinese."""
    m = re.match(r"'(.*)' is not one of (.+)\.$", message, re.S)
    if m:
        options = "、".join(o.strip().strip("'") for o in m.group(2).split(","))
        why = f"（{param.help}）" if getattr(param, "help", None) else ""
        return f"“{m.group(1)}”不是可选的值，可选：{options}{why}"
    m = re.match(r"'?(.*?)'? is not a valid (integer|float)( range)?\.$", message)
    if m:
        return f"“{m.group(1)}”不是{'整数' if m.group(2) == 'integer' else '数字'}"
    m = re.match(r"(.+?) is not in the range (.+?)\.$", message)
    if m:
        return f"{m.group(1)} 超出范围（应在 {_range(m.group(2))} 之内）"
    m = re.match(r"(?:File|Directory|Path) '(.+)' does not exist\.$", message)
    if m:
        return f"“{m.group(1)}”不存在"
    m = re.match(r"(?:File|Directory|Path) '(.+)' is a directory\.$", message)
    if m:
        return f"“{m.group(1)}”是目录，应给出文件"
    m = re.match(r"(?:File|Directory|Path) '(.+)' is a file\.$", message)
    if m:
        return f"“{m.group(1)}”是文件，应给出目录"
    return message


def chinese(exc: click.UsageError) -> str:
    """The message, in Chinese, with where to look."""
    ctx = exc.ctx
    sub = ctx.command_path.split(" ", 1)[1] if ctx is not None and " " in ctx.command_path else ""
    see = f"（运行 {command()} {sub + ' ' if sub else ''}--help 查看用法）"
    if isinstance(exc, click.MissingParameter):
        kind, name = _param(exc.param)
        return f"缺少{kind} {name}{see}"
    if isinstance(exc, click.NoSuchOption):
        near = sorted(exc.possibilities or [])
        return f"没有选项 {exc.option_name}" + (f"，是不是 {'、'.join(near)}？" if near else "") + see
    if isinstance(exc, click.BadParameter):
        kind, name = _param(exc.param)
        if not name and exc.param_hint:
            name = exc.param_hint if isinstance(exc.param_hint, str) else " / ".join(exc.param_hint)
        return f"{kind} {name} 的值不对：{_value(exc.message, exc.param)}{see}"
    message = exc.message
    m = re.match(r"Option '(.+)' requires an argument\.$", message)
    if m:
        return f"选项 {m.group(1)} 后面要写一个值{see}"
    m = re.match(r"Option '(.+)' requires (\d+) arguments\.$", message)
    if m:
        return f"选项 {m.group(1)} 后面要写 {m.group(2)} 个值{see}"
    m = re.match(r"No such command '(.+?)'\.", message)
    if m:
        import difflib

        names = ctx.command.list_commands(ctx) if ctx is not None and isinstance(ctx.command, click.Group) else []
        near = difflib.get_close_matches(m.group(1), names, n=2, cutoff=0.6)
        return f"没有命令“{m.group(1)}”" + (f"，是不是 {'、'.join(near)}？" if near else "") + \
            f"（运行 {command()} {sub + ' ' if sub else ''}--help 查看全部命令）"
    m = re.match(r"Got unexpected extra arguments? \((.+)\)$", message)
    if m:
        return f"多出了参数：{m.group(1)}{see}"
    m = re.match(r"Missing command\.?$", message)
    if m:
        return f"缺少命令{see}"
    if re.search("[\u4e00-\u9fff]", message):
        return message + see
    return f"命令用法不对（{message}）{see}"


class _ChineseHelp:
    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP
        return option


class Command(_ChineseHelp, click.Command):
    pass


class Group(_ChineseHelp, click.Group):
    """The ``dangan`` group: Chinese usage errors (exit 2), Chinese help lines, for every subcommand."""

    command_class = Command
    group_class = type  # subgroups are Groups too

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            echo(f"错误：{chinese(exc)}", err=True)
            sys.exit(EXIT_USAGE)
        except click.Abort:
            echo("错误：已中止", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            echo(f"错误：{exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        sys.exit(rv if isinstance(rv, int) else 0)
