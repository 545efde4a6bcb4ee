"""The command line: one function per verb; each parses options, calls one module, prints.

The shared options, the refusal handling and the exit codes are in cli/options.py; the form/lrmx/xlsx
verbs in cli/forms.py, review/score/grade in cli/review.py.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from ..findings import report_json, report_text, sort_key, summary
from ..repo import SCHEMA_DIR, Repo, RepoError, find_root
from .forms import form, lrmx, xlsx
from .options import (
    EXIT_FINDINGS,
    EXIT_OK,
    as_of_option,
    command,
    commit_option,
    dossier_ref,
    dry_run_option,
    echo,
    fail,
    format_option,
    guarded,
    open_repo,
    recorded_option,
    warn_skipped,
)
from .precommit import pre_commit
from .review import grade, owed, review, score, special_review
from .usage import Group


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dangan", message="dangan %(version)s")
def main():
    """dangan — 干部人事档案：检查、留痕、出表、建站。"""
    from .argv import argument_problem

    problem = argument_problem(sys.argv[1:])
    if problem:
        fail(problem)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option("text", "json")
@click.option("--cross", is_flag=True, help="只做跨档案检查（编号唯一、一人一档、副本与正本一致），范围是 Git 索引中的全部档案")
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
    from ..check import check_files, cross_file, cross_staged, findings_of, leftovers, make_context

    repo = open_repo()
    staged = cross_staged(repo, use_cache=not no_cache) if cross else None
    if staged is not None:  # the pre-commit hook: summaries by blob id, no dossier checked again
        findings, count = staged
        findings.sort(key=sort_key)
        _report(repo, findings, count, fmt, quiet)
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
    if everything and not cross:
        findings += leftovers(results, repo.root)
    if everything and not cross:
        from ..roles import findings as role_findings

        findings += role_findings(repo.root)  # schema/roles.yaml: the central repository judges pushes by it
    if not cross:
        from ..history.incoming import findings as received_findings

        # T008: a dossier received by 转入 whose key facts differ from the one this repository held of the person
        findings += received_findings(repo, None if everything else [p.resolve() for p in files])
        findings = _as_received(repo, files, findings)
    findings.sort(key=sort_key)
    _report(repo, findings, len(files), fmt, quiet)


def _report(repo: Repo, findings: list, count: int, fmt: str, quiet: bool):
    cwd = Path.cwd().resolve()
    if cwd != repo.root:  # paths in findings are relative to where the clerk stands
        findings = [replace(f, path=os.path.relpath(repo.root / f.path, cwd)) for f in findings]
    echo(report_json(findings) if fmt == "json" else report_text(findings), nl=False)
    if fmt == "text" and not quiet:
        echo(summary(findings, count), err=True)
    sys.exit(EXIT_FINDINGS if any(f.is_error for f in findings) else EXIT_OK)


def _as_received(repo: Repo, files: list[Path], findings: list) -> list:
    """A dossier kept as it arrived (``transfer in``, not yet committed): its own errors are the sender's, shown as
    warnings so that it can be committed as it arrived and completed afterwards; a T008 stays an error."""
    from ..findings import WARNING
    from ..history.incoming import as_received, as_received_note

    try:
        arrived = as_received(repo, files)
    except Exception:  # not a Git repository: nothing to tell apart
        return findings
    if not arrived:
        return findings
    return [replace(f, severity=WARNING, message=as_received_note(f.message))
            if f.path in arrived and f.is_error and f.code[:1] in "LSRC" else f for f in findings]


@main.command()
@click.option("--unit", "unit", help="管档单位（须在政策文件中登记）")
@click.option("--name", "name", help="姓名")
@click.option("--number", help="指定编号（默认取下一个空闲编号）")
@guarded
def new(unit, name, number):
    """新建一份档案：取下一个空闲编号，写出带注释的模板。"""
    from ..scaffold import new_dossier

    repo = Repo(find_root())
    path = new_dossier(repo, unit=unit, name=name, number=number)
    echo(f"已新建 {repo.rel(path)}：请逐项填写，完成后运行 dangan check {repo.rel(path)}")


@main.command()
@click.option("--count", type=click.IntRange(1, 1_000_000), default=100, show_default=True, help="生成多少份档案")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="输出目录（成为一个完整的档案仓库）")
@click.option("--seed", type=int, default=1, show_default=True, help="随机种子：同一种子生成完全相同的档案")
@as_of_option
@guarded
def generate(count, out, seed, as_of):
    """生成虚构的演示档案（用于演示和性能测试），每份都能通过 dangan check。"""
    from ..demo.generate import generate_repo

    try:
        source = find_root() / SCHEMA_DIR
    except RepoError:  # outside any repository: the schema of the checkout dangan runs from
        source = Path(__file__).resolve().parents[3] / SCHEMA_DIR
    n = generate_repo(out, count=count, source=source, seed=seed, as_of=as_of)
    echo(f"已在 {out} 生成 {n} 份虚构档案")


@main.command("site")
@click.option("--unit", metavar="管档单位",
              help="只生成这个管档单位自己的站点：只有本单位的干部，登记簿、班子、定级、审核也只列本单位的（须在政策文件中登记）")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), metavar="目录",
              help="输出目录（默认仓库中的 site/，给了 --unit 时为 site-<管档单位>/）；构建前会清空它")
@guarded
def site_(unit, out):
    """生成内部站点：运行 mkdocs build --strict（与 make site 相同），输出到 --out 给出的目录。

    构建后的检查（外部地址、身份证号、家庭成员的姓名）不通过即失败；给了 --unit 时还检查输出中没有其他单位干部的
    姓名和编号，有则删除这些文件并失败。生成后用浏览器直接打开 目录/index.html。

    退出码：0 已生成，1 构建或检查失败（原因见上），2 用法问题（如没有登记的管档单位）。
    """
    from ..verbs.site import build, check_out, check_unit, default_out, leaks

    repo = Repo(find_root())
    if unit is not None:
        unit = check_unit(repo, unit)
    target = check_out(repo, out if out is not None else default_out(repo, unit))
    if build(repo, target, unit):
        fail("站点生成失败（原因见上）", EXIT_FINDINGS)
    if unit is not None:
        found = leaks(repo, target, unit)
        if found:
            fail(found, EXIT_FINDINGS)
    shown = _here(target / "index.html")
    echo(f"站点已生成：用浏览器直接打开 {target / 'index.html' if shown.startswith('..') else shown} 即可")


# ---------------------------------------------------------------- the clerk's verbs (归档、认定、转递、整理)


def _commit(repo, changes, message: str) -> None:
    """git add + git commit of exactly these files with the suggested message, through the hooks."""
    import subprocess

    paths = [c.rel for c in changes]
    add = subprocess.run(["git", "add", "-A", "--", *paths], cwd=repo.root, capture_output=True, text=True)
    if add.returncode:
        fail(f"git add 失败：{add.stderr.strip()}")
    same = subprocess.run(["git", "diff", "--cached", "--quiet", "--", *paths], cwd=repo.root)
    if same.returncode == 0:
        echo("与已提交的内容相同，没有需要提交的改动")
        return
    done = subprocess.run(["git", "commit", "-q", "-F", "-", "--", *paths], cwd=repo.root, input=message,
                          capture_output=True, text=True)
    shown = (done.stdout + done.stderr).strip()
    if shown:
        echo(shown, err=done.returncode != 0)
    if done.returncode:
        fail("提交被拒绝（原因见上）：改动已写入文件、未提交；改正后运行 "
             f"git add {' '.join(paths)} && git commit", EXIT_FINDINGS)
    head = subprocess.run(["git", "log", "-1", "--format=%h %s"], cwd=repo.root, capture_output=True, text=True)
    echo(f"已提交：{head.stdout.strip()}")


def _finish(outcome, dry_run: bool, commit: bool = False) -> None:
    """Print the change, write it (unless --dry-run), suggest the commit (or make it, with --commit);
    a refusal is the verb's own exit code."""
    from ..yamledit import apply

    for change in outcome.changes:
        echo(change.diff(), nl=False)
    for line in outcome.report:
        echo(("将" if dry_run else "已") + "改动：" + line)
    for line in outcome.warnings:
        echo(line, err=True)
    if dry_run:
        echo("（--dry-run：未写入任何文件）")
        return
    apply(outcome.changes)
    if commit:
        _commit(Repo(find_root()), outcome.changes, outcome.commit)
    else:
        echo("建议提交说明：" + "\n".join(("  " + line).rstrip() for line in outcome.commit.split("\n"))[2:])
        paths = " ".join(c.rel for c in outcome.changes)
        echo(f"提交：git add {paths} && git commit（提交前检查会再核对一遍），或在命令后加 --commit 直接提交")
    for line in outcome.hints:
        echo(line)


finish = _finish  # the verbs' common ending, also for `dangan review --record` (cli/review.py)


@main.command("file")
@click.argument("number", metavar="编号", callback=dossier_ref)
@click.option("--class", "cls", required=True, metavar="类号", help="材料类号：1–10，第四、九类写子类，如 4-1、9-2")
@click.option("--title", required=True, metavar="材料名称", help="材料名称，如“干部任免审批表”")
@click.option("--made", "--formed", "made", required=True, metavar="YYYY.MM.DD",
              help="材料形成时间（落款或审批签发的日期；材料上只有年或年月时写 YYYY 或 YYYY.MM）")
@click.option("--pages", required=True, type=click.IntRange(1, 999), metavar="N", help="页数（按单面计）")
@click.option("--received", metavar="YYYY.MM.DD", help="接收时间（默认今天）")
@click.option("--note", metavar="备注", help="备注，如“复印件，加盖公章”")
@click.option("--records", "records", multiple=True, metavar="项目=值",
              help="这份材料记载的关键信息，可写多次，如 --records 出生年月=1972.03 --records 民族=汉族")
@dry_run_option
@commit_option
@as_of_option
@guarded
def file_(number, cls, title, made, pages, received, note, records, dry_run, as_of, commit):
    """归档：把收到的材料登记到档案目录，自动取该类的下一个序号。

    材料形成后超过移交期限（政策文件，默认 1 个月）才接收的，给出警告。
    """
    from ..verbs.filing import file_material

    repo = Repo(find_root())
    _finish(file_material(repo, number, cls, title, made, pages, received, note, as_of, records=records),
            dry_run, commit)


@main.command()
@click.argument("number", metavar="编号", callback=dossier_ref)
@click.argument("ref", metavar="顺序号")
@click.option("--records", "records", multiple=True, metavar="项目=值",
              help="这份材料记载的关键信息（还没有记下的项目），可写多次，如 --records 出生年月=1972.04")
@click.option("--alteration", "where", metavar="部位", help="在这份材料上发现的涂改：部位，如“第1页出生年月栏”")
@click.option("--about", metavar="所涉项目", help="涂改所涉的项目，如“出生年月”（与 --alteration 一起用）")
@click.option("--found-by", "found_by", metavar="发现人", help="发现人（与 --alteration 一起用）")
@click.option("--found-on", "found_on", metavar="YYYY.MM.DD", help="发现日期（默认今天，与 --alteration 一起用）")
@click.option("--handling", type=click.Choice(["组织确认", "重新制作", "组织说明", "待处理"]),
              help="处理（默认待处理，与 --alteration 一起用）")
@click.option("--handling-material", "material", metavar="顺序号", help="记载处理结果的材料的顺序号")
@click.option("--fake", is_flag=True, help="经查属涂改造假（任前审核不予通过，评分单项否决）")
@dry_run_option
@commit_option
@as_of_option
@guarded
def material(number, ref, records, where, about, found_by, found_on, handling, material, fake, dry_run, as_of,
             commit):
    """给已归档的一份材料补记：它记载的关键信息（--records），或在它上面发现的涂改（--alteration）。

    只增不改：已记载的内容、已记下的涂改的改动要有认定（见使用手册“留痕”）。顺序号写作 类号-序号，如 4-1-1。
    """
    from ..verbs.material import alteration_of, annotate

    repo = Repo(find_root())
    found = alteration_of(where, about, found_by, found_on, handling, material, fake)
    _finish(annotate(repo, number, ref, records, found, as_of), dry_run, commit)


@main.command()
@click.argument("number", metavar="编号", callback=dossier_ref)
@click.argument("item", metavar="项目")
@click.argument("value", metavar="新值")
@click.option("--basis", multiple=True, required=True, metavar="顺序号", help="认定依据的材料顺序号，可写多次，如 --basis 6-2 --basis 1-1")
@click.option("--by", required=True, metavar="认定机关", help="作出认定的组织人事部门")
@click.option("--doc", "doc_no", required=True, metavar="文号", help="认定文书的文号")
@click.option("--date", metavar="YYYY.MM.DD", help="认定日期（默认今天）")
@click.option("--old", metavar="原值", help="核对用：认定表上的原值，与档案中的值不符即拒绝")
@click.option("--note", metavar="说明", help="认定理由的简要说明")
@dry_run_option
@commit_option
@as_of_option
@guarded
def determine(number, item, value, basis, by, doc_no, date, old, note, dry_run, as_of, commit):
    """认定：修改关键信息，同时增加一条认定记录（原值取自档案）。

    项目写字段名，如 出生年月、参加工作时间、入党时间、干部身份.取得方式、学历学位[1].毕业时间（[n] 从 1 数起）。
    """
    from ..verbs.determine import determine as run

    repo = Repo(find_root())
    _finish(run(repo, number, item, value, list(basis), by, doc_no, date, old, note, as_of), dry_run, commit)


@main.group()
def transfer():
    """转递：转出（登记并移出档案）、回执、转入。"""


@transfer.command("out")
@click.argument("number", metavar="编号", callback=dossier_ref)
@click.option("--to", "to", required=True, metavar="单位", help="接收档案的单位")
@click.option("--notice", required=True, metavar="通知单号", help="《干部档案转递通知单》编号")
@click.option("--via", required=True, type=click.Choice(["机要交通", "专人送取"]), help="转递方式（不得邮寄或由本人自带）")
@click.option("--date", metavar="YYYY.MM.DD", help="转出日期（默认今天）")
@click.option("--by", metavar="经办人", help="经办人（默认 Git 的 user.name）")
@click.option("--note", metavar="备注", help="备注")
@click.option("--appointed", metavar="YYYY.MM.DD", help="使管理权限变更的任免、调动日期（《条例》第二十五条：此后 2 个月内转递）")
@click.option("--keep-copy", is_flag=True,
              help="转出正本、本单位留存副本：档案不移出，改为副本（档案类别: 副本，正本保管单位为接收单位；副处级以上，《条例》第二十二条）")
@dry_run_option
@commit_option
@as_of_option
@guarded
def transfer_out(number, to, notice, via, date, by, note, appointed, keep_copy, dry_run, as_of, commit):
    """转出：档案检查无错误、没有借出未还才能转出；登记 ledgers/转递.yaml，并从 dossiers/ 移出（--keep-copy：留存副本）。"""
    from ..verbs.transfer import transfer_out as run

    repo = Repo(find_root())
    _finish(run(repo, number, to, notice, via, date, by, note, as_of, appointed=appointed, keep_copy=keep_copy),
            dry_run, commit)


@transfer.command("receipt")
@click.argument("notice", metavar="通知单号")
@click.option("--date", metavar="YYYY.MM.DD", help="收到（退回）回执的日期（默认今天）")
@dry_run_option
@commit_option
@as_of_option
@guarded
def transfer_receipt(notice, date, dry_run, as_of, commit):
    """回执：登记该通知单的回执日期。"""
    from ..verbs.transfer import transfer_receipt as run

    repo = Repo(find_root())
    _finish(run(repo, notice, date, as_of), dry_run, commit)


@transfer.command("in")
@click.argument("source", metavar="文件|目录", type=click.Path(path_type=Path))
@click.option("--notice", required=True, metavar="通知单号", help="随档案转来的《干部档案转递通知单》编号")
@click.option("--via", required=True, type=click.Choice(["机要交通", "专人送取"]), help="转递方式")
@click.option("--from", "origin", metavar="单位", help="转出档案的单位（默认取档案中的管档单位）")
@click.option("--unit", metavar="管档单位", help="转入后的管档单位（须在政策文件中登记）")
@click.option("--date", metavar="YYYY.MM.DD", help="接收日期（默认今天）")
@click.option("--by", metavar="经办人", help="经办人（默认 Git 的 user.name）")
@click.option("--note", metavar="备注", help="备注")
@click.option("--accept", "decision", flag_value="accept", help="接收审核后决定接收入库（有问题的档案须明确决定）")
@click.option("--return", "decision", flag_value="return", help="接收审核不合格，退回转出单位限期整改（档案不进 dossiers/）")
@click.option("--reason", metavar="原因", help="与 --return 同用：退回的原因")
@click.option("--flaw", "flaws", multiple=True, metavar="项目[:说明]",
              help="核对不合格的项目（办理完毕、对象明确、齐全完整、文字清楚、内容真实、填写规范、手续完备、密封完好），可写多次")
@click.option("--pages", type=click.IntRange(0, 100000), metavar="页数", help="清点实收的页数（与目录所列页数对照）")
@click.option("--materials", type=click.IntRange(0, 100000), metavar="份数", help="清点实收的材料份数（与目录对照）")
@click.option("--appointed", metavar="YYYY.MM.DD", help="使管理权限变更的任免、调动日期（《条例》第二十五条：此后 2 个月内转递）")
@click.option("--arrived", metavar="YYYY.MM.DD", help="档案送到的日期（默认与接收日期相同）")
@click.option("--deduct", "deducts", multiple=True, metavar="项目=分[:理由]",
              help="新任干部档案评分中评分人评定的扣分（照片、印章、乱页等），与自动扣分一同冻结在转入登记中，可写多次")
@dry_run_option
@commit_option
@as_of_option
@guarded
def transfer_in(source, notice, via, origin, unit, date, by, note, decision, reason, flaws, pages, materials, appointed,
                arrived, deducts, dry_run, as_of, commit):
    """转入：接收审核后接收（编号冲突时改用新编号）或退回（限期整改）；列出缺少的材料和其他问题。"""
    from ..verbs.transfer import transfer_in as run

    repo = Repo(find_root())
    outcome, intake = run(repo, source, notice, via, origin, date, by, unit, note, as_of, decision=decision,
                          reason=reason, flaws=list(flaws), pages=pages, materials=materials, appointed=appointed,
                          arrived=arrived, deducts=list(deducts))
    _finish(outcome, dry_run, commit)
    if decision == "return":
        for rel, findings in intake:
            errors = sum(f.is_error for f in findings)
            echo(f"接收审核 {rel}：{errors} 个错误，{len(findings) - errors} 个警告（已退回，未入库）。")
        return
    for rel, findings in intake:
        missing = [f for f in findings if f.code.startswith("C5")]
        others = [f for f in findings if not f.code.startswith("C5")]
        errors = sum(f.is_error for f in findings)
        if not findings:
            echo(f"接收检查 {rel}：完整，未发现问题。")
            continue
        held = [f for f in findings if f.code == "T008"]
        tail = ("此人的档案本库曾保存过，关键信息不符（T008）：请核实，未经认定不能提交" if held else
                "原样提交（接收时即有的错误不妨碍这一次提交），提交后再补齐、改正" if errors else "请核实")
        echo(f"接收检查 {rel}：{errors} 个错误，{len(findings) - errors} 个警告；{tail}。")
        if missing:
            echo("  缺少的材料：")
            echo("".join(f"    {f.text()}\n" for f in missing), nl=False)
        if others:
            echo("  其他问题：")
            echo("".join(f"    {f.text()}\n" for f in others), nl=False)


def _here(path: Path) -> str:
    """A path as the clerk types it from where they are."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


@main.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", "check_only", is_flag=True, help="只检查：有文件不是规范格式时列出差异，退出码 1")
@dry_run_option
@commit_option
@guarded
def fmt_(paths, check_only, dry_run, commit):
    """整理格式：键按 schema 顺序、缩进两格、日期加引号、目录一条一行；注释保留，内容不变。

    不给路径时整理 dossiers/ 下全部档案。
    """
    from ..verbs.fmt import format_files

    repo = open_repo()
    files = []
    for p in paths or [repo.dossier_dir]:
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml") and q.is_file()))
        elif p.is_file():
            files.append(p)
        else:
            fail(f"找不到文件 {p}")
    changes, problems = format_files(repo, files)
    if check_only and changes:  # a dossier kept as it arrived (transfer in) is committed in the sender's layout
        from ..history.incoming import as_received

        kept = as_received(repo, [c.path for c in changes])
        changes = [c for c in changes if c.rel not in kept]
    for line in problems:
        echo(line, err=True)
    if check_only or dry_run:
        run = command()
        for change in changes:
            if change.eol_only:  # one line, not a diff of identical-looking lines
                echo(f"{change.rel}：只是换行符不同：文件用的是 Windows 的换行符（CRLF），档案一律用 LF；"
                     f"运行 {run} fmt {_here(change.path)} 即可改正（或在编辑器中把换行符改为 LF 后保存）")
            else:
                echo(change.diff(), nl=False)
        if check_only and changes:
            names = " ".join(_here(c.path) for c in changes[:5]) + (" …" if len(changes) > 5 else "")
            echo(f"{len(changes)} 份档案不是规范格式：运行 {run} fmt {names} 整理（只改格式，不改内容）", err=True)
        if dry_run and not check_only:
            echo("（--dry-run：未写入任何文件）")
        sys.exit(EXIT_FINDINGS if (check_only and changes) or problems else EXIT_OK)
    from ..yamledit import apply

    apply(changes)
    for change in changes:
        echo(f"已整理 {change.rel}")
    echo(f"整理了 {len(files)} 份档案，改动 {len(changes)} 份。", err=True)
    if commit and changes:
        names = "、".join(c.rel.rsplit("/", 1)[-1] for c in changes[:3]) + ("等" if len(changes) > 3 else "")
        _commit(repo, changes, f"整理格式 {names}（只改格式，不改内容）")
    sys.exit(EXIT_FINDINGS if problems else EXIT_OK)


# ---------------------------------------------------------------- the alteration trail (Git history)

@main.command()
@click.argument("revs", nargs=-1, metavar="[REV_RANGE]")
@click.option("--staged", is_flag=True, help="只核对暂存区中即将提交的改动（提交前钩子使用）")
@click.option("--deep", is_flag=True, help="对每次提交改动的档案做完整的 dangan check（含业务规则，较慢）")
@click.option("--pushes", is_flag=True,
              help="核验中心库的推送记录（哈希链，并与分支、标签和 reflog 对照）；参数为中心库目录或推送记录文件，默认当前仓库")
@click.option("--anchor", metavar="HASH", help="与 --pushes 同用：在别处保存的推送记录某一行的 hash，核对记录没有被截断或重写")
@format_option("text", "json")
@guarded
def audit(revs, staged, deep, pushes, anchor, fmt):
    """核对 Git 历史中对受保护字段的每一处改动（三龄、学历学位、干部身份、简历、考核、奖惩、目录）。

    不给范围时核对当前分支的全部历史。退出码：0 没有问题，1 有未经认定的改动、无转出记录的删除、
    跳过提交前检查的提交或被改写的历史，2 用法或读写问题。
    """
    from ..history import audit as trail_audit

    if anchor is not None and not pushes:
        fail("--anchor 只能与 --pushes 同用")
    if pushes:
        from ..server import ServerError, audit_pushes

        if len(revs) > 1 or staged:
            fail("--pushes 只接受一个参数：中心库目录或推送记录文件")
        try:
            verdict = audit_pushes(Path(revs[0]) if revs else None, anchor)
        except ServerError:
            fail("当前目录不是 Git 仓库：请给出中心库目录，如 dangan audit --pushes /srv/git/dangan.git")
        if fmt == "json":
            echo(json.dumps({"推送记录": str(verdict.log), "条数": verdict.entries, "问题": verdict.problems,
                                   "说明": verdict.notes}, ensure_ascii=False, indent=2))
        else:
            for line in verdict.problems:
                echo(line)
            for line in verdict.notes:
                echo(f"说明：{line}")
        echo(f"推送记录 {verdict.log}：{verdict.entries} 条，"
                   + ("哈希链完整，与中心库的引用相符。" if not verdict.problems else f"发现 {len(verdict.problems)} 处问题。"),
                   err=True)
        sys.exit(EXIT_FINDINGS if verdict.problems else EXIT_OK)
    repo = open_repo()
    if staged and revs:
        fail("--staged 与提交范围不能同时使用")
    report = trail_audit.staged(repo) if staged else trail_audit.audit(repo, list(revs), deep=deep)
    echo(trail_audit.json_report(report) if fmt == "json" else trail_audit.text_report(report), nl=False)
    if fmt == "text":
        echo(trail_audit.summary(report), err=True)
    sys.exit(EXIT_FINDINGS if report.failed else EXIT_OK)


@main.group()
def server():
    """中心库：建立拒绝伪造、改写和绕过检查的裸仓库（见使用手册“中心库”）。"""


@server.command("init")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--require-signatures", is_flag=True, help="要求每个推送的提交都用 allowed_signers 中的 SSH 密钥签名")
@click.option("--branch", default="main", show_default=True, help="默认分支")
@click.option("--host", type=click.Choice(["ssh", "gitolite", "gitea", "gitlab", "http"]), default="ssh",
              show_default=True, help="谁运行钩子、谁认定推送人：ssh（OpenSSH，按登录密钥）、gitolite（GL_USER）等")
@click.option("--authorized-keys", "authorized_keys", multiple=True, type=click.Path(path_type=Path),
              help="sshd 的 AuthorizedKeysFile 不是默认位置时给出（可多次）：按登录密钥在其中查推送人")
@guarded
def server_init(path, require_signatures, branch, host, authorized_keys):
    """建立（或重新装好）中心库：禁止强制推送和删除分支，永久保留 reflog，安装推送检查和推送记录钩子。"""
    from ..server import init

    for line in init(path, require_signatures, branch, host, tuple(authorized_keys)):
        echo(line)


@server.command("repair-log")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--key", type=click.Path(path_type=Path), required=True,
              help="管理员的 SSH 签名密钥（私钥文件；公钥须登记在中心库的 allowed_signers 中）")
@guarded
def server_repair_log(path, key):
    """修复推送记录（管理员）：末尾损坏的行移到旁边另存，补记没有记录的引用更新，留下管理员签名的修复记录。"""
    from ..server import ServerError, repair_log

    try:
        echo(repair_log(path, key))
    except ServerError as exc:
        fail(str(exc), EXIT_FINDINGS)


@server.command("pre-receive", hidden=True)
def server_pre_receive():
    """Git 的 pre-receive 钩子（由 dangan server init 安装）：不通过即拒绝推送。"""
    from ..server import pre_receive

    try:
        ok, reasons = pre_receive(sys.stdin.read().splitlines())
    except Exception as exc:  # a broken hook must refuse, never wave a push through
        if os.environ.get("DANGAN_DEBUG"):
            raise
        from ..privacy import scrub

        echo(scrub(f"拒绝推送：推送检查出错（{type(exc).__name__}: {exc}），请联系管理员"), err=True)
        sys.exit(EXIT_FINDINGS)
    if not ok:
        echo("拒绝推送：", err=True)
        for reason in reasons:
            echo(f"  {reason}", err=True)
        echo("请在本地改正（dangan check、dangan audit）后重新提交并推送。", err=True)
        sys.exit(EXIT_FINDINGS)
    for note in reasons:  # accepted: these are notes on problems the push did not bring
        echo(f"注意：{note}", err=True)
    echo("推送检查通过：签名、角色、档案检查、留痕核对均无问题。", err=True)


@server.command("post-receive", hidden=True)
def server_post_receive():
    """Git 的 post-receive 钩子（由 dangan server init 安装）：把已生效的更新记入推送记录。"""
    from ..server import post_receive

    try:
        warnings = post_receive(sys.stdin.read().splitlines())
    except Exception as exc:  # the refs have moved already: say so, never pretend the log was written
        if os.environ.get("DANGAN_DEBUG"):
            raise
        from ..privacy import scrub

        warnings = [scrub(f"推送已被接收，但推送记录没有写入（{type(exc).__name__}: {exc}）：请通知管理员")]
    for line in warnings:
        echo(f"注意：{line}", err=True)
    if not warnings:
        echo("已记入推送记录。", err=True)


@main.command()
@click.argument("number", metavar="编号", callback=dossier_ref)
@click.option("--all", "everything", is_flag=True, help="也列出留痕基线之前的提交")
@format_option("text", "json")
@guarded
def trail(number, everything, fmt):
    """一份档案的全部改动记录（逐字段，自早至晚，跟随文件改名；从留痕基线之后起）。"""
    from ..history import trail as trail_mod

    repo = Repo(find_root())
    number = repo.dossier(number, must_exist=False).stem  # a dossier transferred out still has its trail
    records = trail_mod.trail(repo, number, everything)
    out = trail_mod.json_report(number, records) if fmt == "json" else trail_mod.text_report(number, records)
    echo(out, nl=False)


@main.command("diff")
@click.argument("revs", nargs=-1, metavar="[REV_RANGE]")
@guarded
def diff_(revs):
    """审核用的逐字段改动：默认是工作区相对 HEAD，也可给出范围（如 main..审核分支）。

    ★ 标出关键信息，✓/✗ 标出受保护字段的改动是否已经认定。有未经认定的改动时退出码为 1。
    """
    from ..history import diffview

    result = diffview.review(Repo(find_root()), list(revs))
    echo(diffview.text_report(result), nl=False)
    sys.exit(EXIT_FINDINGS if result.unauthorised else EXIT_OK)


# ---------------------------------------------------------------- ledgers, query, statistics

@main.group()
def ledger():
    """登记簿（ledgers/ 下的查阅、借阅、转递登记）。"""


@ledger.command("check")
@format_option("text", "json")
@click.option("-q", "--quiet", is_flag=True, help="不打印汇总行")
@as_of_option
@guarded
def ledger_check(fmt, quiet, as_of):
    """检查登记簿：格式、回避、两人以上、先批准后查阅、借阅期限、逾期未还、回执逾期。

    退出码：0 没有错误（逾期等为警告），1 有错误，2 用法或读写问题。
    """
    from ..dates import today
    from ..ledgers import check as check_ledgers

    repo = open_repo()
    findings, files = check_ledgers(repo, as_of or today())
    findings.sort(key=sort_key)
    echo(report_json(findings) if fmt == "json" else report_text(findings), nl=False)
    if fmt == "text" and not quiet:
        errors = sum(f.is_error for f in findings)
        echo(f"检查了 {files} 本登记簿：" + (f"{errors} 个错误，{len(findings) - errors} 个警告。"
                                                 if findings else "未发现问题。"), err=True)
    sys.exit(EXIT_FINDINGS if any(f.is_error for f in findings) else EXIT_OK)


@ledger.command("add")
@click.argument("kind", metavar="查阅|借阅", type=click.Choice(["查阅", "借阅"]))
@click.argument("number", metavar="编号", callback=dossier_ref)
@click.option("--person", "people", multiple=True, required=True, metavar="姓名,单位[,非党员][,编号]",
              help="查阅（借阅）人员，两人以上，每人写一次")
@click.option("--purpose", required=True, metavar="目的", help="《条例》第三十一条的利用事项（序号 1–8 或原文）")
@click.option("--matter", metavar="事由", help="具体事由（本人或亲属公证诉讼时必写）")
@click.option("--letter", "letters", multiple=True, type=click.Choice(["审批表", "介绍信", "公函", "公证诉讼证明"]),
              help="所持的凭据，可写多次；只有介绍信不够，须有审批表")
@click.option("--approver", required=True, metavar="审批人", help="按管理权限审批的负责人（不得是查阅人员本人）")
@click.option("--approved", metavar="YYYY.MM.DD", help="审批日期（默认与查阅、借出日期相同）")
@click.option("--date", metavar="YYYY.MM.DD", help="查阅日期或借出日期（默认今天）")
@click.option("--due", metavar="YYYY.MM.DD", help="借阅：应还日期（默认借出日期加政策文件“期限.借阅天数”）")
@click.option("--material", "materials", multiple=True, metavar="顺序号", help="查阅（借阅）的材料顺序号，可写多次；整本档案不写")
@click.option("--copy", "copied", is_flag=True, help="摘抄、复制了材料（须经批准、核对并加盖印章）")
@click.option("--by", metavar="经办人", help="经办人（默认 Git 的 user.name）")
@click.option("--id", "ident", metavar="登记号", help="登记号（默认取当年下一个流水号）")
@click.option("--note", metavar="备注", help="备注")
@dry_run_option
@commit_option
@as_of_option
@guarded
def ledger_add(kind, number, people, purpose, matter, letters, approver, approved, date, due, materials, copied, by, ident,
               note, dry_run, as_of, commit):
    """登记一次查阅或借阅：按 dangan ledger check 的规则核对（回避、两人以上、先批准后查阅、借阅期限）后写入。"""
    from ..verbs.ledger import add_entry

    repo = Repo(find_root())
    _finish(add_entry(repo, kind, number, list(people), purpose, approver, approved, date, due, matter, list(materials),
                      copied, by, ident, note, as_of, list(letters)), dry_run, commit)


@ledger.command("return")
@click.argument("ident", metavar="登记号")
@click.option("--date", metavar="YYYY.MM.DD", help="归还日期（默认今天）")
@dry_run_option
@commit_option
@as_of_option
@guarded
def ledger_return(ident, date, dry_run, as_of, commit):
    """归还：借阅的档案归还并按目录核对后，登记归还日期。"""
    from ..verbs.ledger import return_entry

    repo = Repo(find_root())
    _finish(return_entry(repo, ident, date, as_of), dry_run, commit)


@main.group()
def teams():
    """领导班子（teams/<单位>.yaml）：与档案一致、结构要求、班子情况表。"""


@teams.command("check")
@format_option("text", "json")
@click.option("-q", "--quiet", is_flag=True, help="不打印汇总行")
@click.option("--staged", is_flag=True,
              help="按 Git 暂存区（这次提交将包含的）班子文件和档案检查，未暂存的改动和未纳入 Git 的文件不算（提交前钩子用）")
@as_of_option
@guarded
def teams_check(fmt, quiet, staged, as_of):
    """检查领导班子：成员档案在库、姓名与现任职务一致、职数、结构要求（女干部、党外、年轻干部、梯次、超职数）。

    退出码：0 没有错误（结构缺口为警告），1 有错误，2 用法或读写问题。
    """
    from ..dates import today
    from ..teams import check as check_teams

    repo = open_repo()
    findings, files, skipped = check_teams(repo, as_of or today(), staged=staged)
    findings.sort(key=sort_key)
    echo(report_json(findings) if fmt == "json" else report_text(findings), nl=False)
    warn_skipped(skipped, "未核对")
    if fmt == "text" and not quiet:
        errors = sum(f.is_error for f in findings)
        echo(f"检查了 {files} 个领导班子：" + (f"{errors} 个错误，{len(findings) - errors} 个警告。"
                                                if findings else "未发现问题。"), err=True)
    sys.exit(EXIT_FINDINGS if any(f.is_error for f in findings) else EXIT_OK)


@teams.command("report")
@click.argument("unit", metavar="[单位]", required=False)
@format_option("table", "json")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="写入文件")
@recorded_option(" teams/ 与 dossiers/")
@as_of_option
@guarded
def teams_report(unit, fmt, output, recorded, as_of):
    """班子情况表：每个班子的成员（年龄、性别、民族、党派、全日制/在职学历、任现职年限、专业）和换届前要补齐的缺口。

    --as-of 给出过去的日期时，按班子文件中当日在任的成员、档案中当日的职务与学历统计；
    --recorded 按 Git 中那一天的班子文件和档案（当时怎么记的，之后的更正不算），统计日期默认就是那一天。
    """
    from ..dates import today
    from ..teams.report import render, reports

    repo = Repo(find_root())
    now = today()
    at = repo.commit_on(recorded) if recorded else None
    items, skipped, problems = reports(repo, unit, as_of or recorded or now, now, at)
    for p in problems:
        echo(f"警告：{p.text()}：班子文件有错误，未列出（用 dangan teams check 查看）", err=True)
    _emit(render(items, fmt), fmt, output)
    warn_skipped(skipped, "未计入")


@main.command()
@click.argument("expr", metavar="条件")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "xlsx"]), default="table",
              show_default=True, help="输出格式")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="写入文件（xlsx 必须给出）")
@click.option("--columns", metavar="字段,字段", help="输出哪些字段（逗号分隔；默认 编号,姓名,性别,年龄,学历,管档单位,现任职务,职级）")
@as_of_option
@guarded
def query(expr, fmt, output, columns, as_of):
    """按条件查询档案，如 '学历>=大学 and 年龄<40 and 性别=女'（语法见使用手册“查询与统计”）。

    退出码：0 成功（含查无结果），2 条件写错（指出出错的位置）或读写问题。
    """
    from ..dates import today
    from ..query import render, run_query

    repo = Repo(find_root())
    fields, rows, skipped = run_query(repo, expr, as_of or today(), columns)
    _emit(render(fields, rows, fmt, "查询结果"), fmt, output)
    warn_skipped(skipped, "未查询")
    echo(f"共 {len(rows)} 人。" + (f"另有 {len(skipped)} 份档案无法读取，未查询。" if skipped else ""), err=True)


@main.command()
@click.option("--by", metavar="字段", help="按某一字段分别统计：管档单位、班子、职级、学历、年龄段、性别、民族、政治面貌、"
              "年度考核结果、专业技术职务、专长、任现职年限……（见使用手册）")
@click.option("--rows", metavar="字段", help="只统计一个字段（与 --cols 合用为交叉表的行）")
@click.option("--cols", metavar="字段", help="交叉表的列，如 --rows 年龄段 --cols 职级")
@click.option("--trend", metavar="起始年..截止年", help="逐年变化，每年一列（如 2016..2026）；与 --rows 合用为该字段的逐年分布")
@recorded_option("档案")
@click.option("--work", type=click.IntRange(1950, 2100), metavar="年份",
              help="档案工作统计（年报）：该年各管档单位保管、转入、转出、查阅、借阅、归档材料、数字化的数")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "xlsx"]), default="table",
              show_default=True, help="输出格式")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="写入文件（xlsx 必须给出）")
@as_of_option
@guarded
def stats(by, rows, cols, trend, recorded, work, fmt, output, as_of):
    """干部队伍结构统计（年龄、学历、性别、民族、政治面貌、职级、专业技术职务、考核、任现职年限、专长），与网站结构分析同一口径。

    --as-of 给出过去的一天时，按档案中那一天的情况统计（当时是否已是干部、当时的职级与学历）。
    """
    from ..dates import today
    from ..errors import UsageError
    from ..stats import Source, compute, cross_table, parse_years, render, render_table
    from ..stats import trend as trend_table

    if cols and not rows:
        raise UsageError("--cols 要与 --rows 一起用，如 --rows 年龄段 --cols 职级")
    if by and (rows or trend):
        raise UsageError("--by 不能与 --rows、--trend 同时用")
    if trend and cols:
        raise UsageError("--trend 只能与 --rows 合用（每年一列）")
    repo = Repo(find_root())
    if work is not None:
        if by or rows or trend or recorded:
            raise UsageError("--work 单独使用（可加 --format、-o、--as-of）")
        from ..workstats import work_table

        day = as_of or today()
        if work > day.year:
            raise UsageError(f"--work {work} 晚于今天")
        _emit(render_table(work_table(repo, work, day), fmt), fmt, output)
        return
    source = Source.recorded(repo, recorded) if recorded else None
    day = as_of or recorded or today()
    if trend:
        table, skipped = trend_table(repo, parse_years(trend), rows, source)
        _emit(render_table(table, fmt), fmt, output)
    elif rows:
        table, skipped = cross_table(repo, rows, cols, day, source)
        _emit(render_table(table, fmt), fmt, output)
    else:
        report = compute(repo, day, by, source)
        skipped = report.skipped
        _emit(render(report, fmt), fmt, output)
    warn_skipped(skipped, "未计入统计")


def _emit(data, fmt: str, output: Path | None) -> None:
    """str for text formats, bytes for xlsx (which needs a file)."""
    if fmt == "xlsx":
        if output is None:
            fail("--format xlsx 须用 -o 指定输出文件")
        from ..atomic import write_atomic

        write_atomic(output, data, overwrite=True)
        echo(f"已写出 {output}", err=True)
    elif output is not None:
        from ..atomic import write_atomic

        write_atomic(output, data.encode("utf-8"), overwrite=True)
        echo(f"已写出 {output}", err=True)
    else:
        echo(data, nl=False)


@main.command(hidden=True)
@click.argument("path", type=click.Path(path_type=Path))
@guarded
def textconv(path):
    """Git 比较程序：把档案显示为一行一个字段（由 .gitattributes 的 diff=dangan 调用）。"""
    from ..history.textconv import render

    sys.stdout.buffer.write(render(path.read_bytes(), str(path)).encode("utf-8"))


for _command in (form, lrmx, xlsx, review, score, grade, special_review, owed, pre_commit):
    main.add_command(_command)
