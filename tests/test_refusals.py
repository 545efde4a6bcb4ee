"""One refusal type: every problem a command reports is a Refusal, which the CLI turns into 错误：… and an exit code."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil

import click
import pytest
from click.testing import CliRunner

import dangan
from dangan.cli.options import EXIT_BUG, guarded
from dangan.dates import day_text
from dangan.errors import Refusal, UsageError

# Not refusals: a LoadError is a problem *in* a file (code L0xx, line, column), reported with the file;
# Unparseable is the trail's internal signal to parse a version whole; Stale the commit checks' internal signal to
# read the Git index whole (their snapshot cannot be used: snapshot.py), never reaching the user.
NOT_REFUSALS = {"dangan.load.LoadError", "dangan.history.sections.Unparseable", "dangan.snapshot.Stale",
                "dangan.packed.LeftOut"}


def _exception_classes():
    for info in pkgutil.walk_packages(dangan.__path__, "dangan."):
        if info.name.endswith("__main__") or info.name == "dangan.site.hook":
            continue
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == info.name:
                yield f"{info.name}.{cls.__qualname__}", cls


def test_every_exception_of_the_package_is_a_refusal():
    found = dict(_exception_classes())
    assert "dangan.query.QueryError" in found and "dangan.forms.pdf.PdfError" in found
    assert [name for name, cls in found.items() if not issubclass(cls, Refusal) and name not in NOT_REFUSALS] == []
    assert NOT_REFUSALS <= set(found)  # the exceptions stay few and named


@pytest.mark.parametrize(("raised", "code", "shown"), [
    (Refusal("档案中有新的错误"), 1, "错误：档案中有新的错误"),
    (UsageError("找不到文件 x.yaml"), 2, "错误：找不到文件 x.yaml"),
    (Refusal("身份证号 142521197203150011 重复", 2), 2, "错误：身份证号 1425**********0011 重复"),
    (KeyError("bug"), EXIT_BUG, "内部错误（KeyError）"),
])
def test_guarded_turns_a_refusal_into_a_message_and_an_exit_code(raised, code, shown):
    @click.command()
    @guarded
    def verb():
        raise raised

    result = CliRunner().invoke(verb, [])
    assert result.exit_code == code and shown in result.stderr
    assert "Traceback" not in result.stderr and "142521197203150011" not in result.output + result.stderr


def test_the_query_error_points_at_the_column():
    from dangan.query import QueryError

    exc = QueryError("不认识的字段“年令”", "年令>30", 0)
    assert exc.code == 2 and exc.message.splitlines() == ["查询条件第 1 个字符处：不认识的字段“年令”", "  年令>30", "  ^"]


def test_one_day_format():
    assert day_text(dt.date(2026, 1, 5)) == "2026.01.05"
    assert day_text(dt.date(999, 12, 31)) == "0999.12.31"  # strftime("%Y") would write 999
