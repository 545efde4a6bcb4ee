"""The command line: one function per verb; each parses options, calls one module, prints."""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from .dates import parse_day
from .findings import report_json, report_text, sort_key, summary
from .policy import PolicyError
from .repo import Repo, RepoError, find_root

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def fail(message: str, code: int = EXIT_USAGE):
    click.echo(f"错误：{message}", err=True)
    sys.exit(code)


def guarded(fn):
    """Known problems become a Chinese message and exit 2; nothing prints a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (RepoError, PolicyError) as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"读写文件失败：{exc.filename or ''} {exc.strerror or exc}")
        except (KeyboardInterrupt, SystemExit, click.exceptions.Exit, click.ClickException):
            raise
        except Exception as exc:  # a bug: say so plainly, keep the trace for DANGAN_DEBUG
            if os.environ.get("DANGAN_DEBUG"):
                raise
            fail(f"内部错误（{type(exc).__name__}），请把命令和文件报告给维护人员；设置 DANGAN_DEBUG=1 可看详细信息", 70)

    return wrapper


def as_of_option(fn):
    def parse(_ctx, _param, value):
        if value is None:
            return None
        day = parse_day(value)
        if day is None:
            raise click.BadParameter(f"“{value}”不是有效日期，应写作 YYYY.MM.DD")
        return day

    return click.option("--as-of", callback=parse, metavar="YYYY.MM.DD",
                        help="按哪一天计算年龄、期限（默认今天，或环境变量 DANGAN_TODAY）")(fn)


def format_option(*choices):
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
                        help="输出格式")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dangan", message="dangan %(version)s")
def main():
    """dangan — 干部人事档案：检查、留痕、出表、建站。"""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option("text", "json")
@click.option("--cross", is_flag=True, help="只做跨档案检查（编号唯一、一人一档），范围是 Git 索引中的全部档案")
@click.option("--no-cache", is_flag=True, help="不使用结果缓存")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), help="并行进程数（默认按 CPU 核数）")
@click.option("-q", "--quiet", is_flag=True, help="不打印汇总行")
@as_of_option
@guarded
def check(paths, fmt, cross, no_cache, jobs, quiet, as_of):
    """检查档案：格式、必填、代码、完整性、前后一致。

    不给路径时检查 dossiers/ 下全部档案并做跨档案检查。
    每个问题一行：文件:行:列: 错误|警告 代码 说明。
    退出码：0 没有错误（可有警告），1 有错误，2 用法或读写问题。
    """
    from .check import check_files, cross_file, findings_of, make_context

    repo = Repo(find_root())
    everything = not paths or cross
    if cross:
        files = repo.staged_dossiers()
    elif everything:
        files = repo.dossiers()
    else:
        files = []
        for p in paths:
            if p.is_dir():
                files.extend(sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml") and q.is_file()))
            elif p.is_file():
                files.append(p)
            else:
                fail(f"找不到文件 {p}")
    ctx = make_context(repo, as_of)
    results = check_files(repo, files, ctx, use_cache=not no_cache, jobs=jobs, complete=everything and not cross)
    findings = [] if cross else findings_of(results)
    if everything:
        findings += cross_file(results, repo.root)
    findings.sort(key=sort_key)
    cwd = Path.cwd().resolve()
    if cwd != repo.root:  # paths in findings are relative to where the clerk stands
        findings = [replace(f, path=os.path.relpath(repo.root / f.path, cwd)) for f in findings]
    click.echo(report_json(findings) if fmt == "json" else report_text(findings), nl=False)
    if fmt == "text" and not quiet:
        click.echo(summary(findings, len(files)), err=True)
    sys.exit(EXIT_FINDINGS if any(f.is_error for f in findings) else EXIT_OK)


@main.command()
@click.option("--unit", "unit", help="管档单位（须在政策文件中登记）")
@click.option("--name", "name", help="姓名")
@click.option("--number", help="指定编号（默认取下一个空闲编号）")
@guarded
def new(unit, name, number):
    """新建一份档案：取下一个空闲编号，写出带注释的模板。"""
    from .scaffold import new_dossier

    repo = Repo(find_root())
    path = new_dossier(repo, unit=unit, name=name, number=number)
    click.echo(f"已新建 {repo.rel(path)}：请逐项填写，完成后运行 dangan check {repo.rel(path)}")


@main.command()
@click.option("--count", type=click.IntRange(1, 1_000_000), default=100, show_default=True, help="生成多少份档案")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="输出目录（成为一个完整的档案仓库）")
@click.option("--seed", type=int, default=1, show_default=True, help="随机种子：同一种子生成完全相同的档案")
@as_of_option
@guarded
def generate(count, out, seed, as_of):
    """生成虚构的演示档案（用于演示和性能测试），每份都能通过 dangan check。"""
    from .generate import generate_repo

    n = generate_repo(out, count=count, seed=seed, as_of=as_of)
    click.echo(f"已在 {out} 生成 {n} 份虚构档案")


if __name__ == "__main__":  # pragma: no cover
    main()
