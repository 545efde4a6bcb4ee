"""The `form`, `lrmx` and `xlsx` verbs (added to the group in cli/main.py).

Heavy imports (openpyxl, defusedxml) happen inside the commands, so `dangan check` stays quick.
"""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path

import click

from ..dates import parse_day
from ..dates import today as default_today
from ..privacy import scrub
from ..repo import Repo, find_root
from .options import EXIT_FINDINGS, EXIT_OK, as_of_option, day_param, dossier_ref, echo, fail, guarded, warn_skipped
from .usage import Command, Group


def appointment_options(fn):
    """拟任/拟免/任免理由/呈报单位/填表人: this appointment's facts, never read from the dossier."""
    options = [
        click.option("--ni-ren", default="", metavar="职务", help="拟任职务"),
        click.option("--ni-mian", default="", metavar="职务", help="拟免职务"),
        click.option("--reason", default="", metavar="文字", help="任免理由，如“工作需要”"),
        click.option("--unit", "report_unit", default="", metavar="单位", help="呈报单位"),
        click.option("--filled-by", default="", metavar="姓名", help="填表人"),
        click.option("--filled-on", callback=day_param, metavar="YYYY.MM.DD", help="填表时间（印在呈报单位下方）"),
        click.option("--appointment", "appointment_file", type=click.Path(path_type=Path, dir_okay=False),
                     help="任免记录文件（YAML：拟任职务、拟免职务、任免理由、呈报单位、填表人、填表时间）；命令行选项优先"),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _appointment(ni_ren, ni_mian, reason, report_unit, filled_by, filled_on, appointment_file):
    from ..forms.model import Appointment
    from ..load import LoadError, load_file

    record = {}
    if appointment_file is not None:
        try:
            record = load_file(appointment_file).data
        except LoadError as exc:
            fail(f"{appointment_file}:{exc.line}:{exc.col}: {exc.message}")
        except FileNotFoundError:
            fail(f"找不到任免记录文件 {appointment_file}")
        unknown = set(record) - {"拟任职务", "拟免职务", "任免理由", "呈报单位", "填表人", "填表时间"}
        if unknown:
            fail(f"{appointment_file}: 不认识的项目：{'、'.join(sorted(unknown))}")
    day = filled_on
    if day is None and record.get("填表时间") is not None:
        day = parse_day(str(record["填表时间"]))
        if day is None:
            fail(f"{appointment_file}: 填表时间“{record['填表时间']}”不是有效日期（应写作 YYYY.MM.DD）")

    def pick(option, key):
        return option or str(record.get(key) or "")

    return Appointment(ni_ren=pick(ni_ren, "拟任职务"), ni_mian=pick(ni_mian, "拟免职务"), reason=pick(reason, "任免理由"),
                       unit=pick(report_unit, "呈报单位"), filled_by=pick(filled_by, "填表人"), filled_on=day)


def batch_options(fn):
    """Which dossiers a batch covers, and how its files are named."""
    options = [
        click.option("--archive-unit", "archive_unit", metavar="单位", help="批量：这个管档单位的全部档案（按花名册排序）"),
        click.option("--query", "query_expr", metavar="条件", help="批量：符合查询条件的档案（写法同 dangan query）"),
        click.option("--all", "every", is_flag=True, help="批量：全部档案"),
        click.option("--name", "pattern", default=None, metavar="样式",
                     help="批量输出的文件名样式，如 “{编号}-{姓名}”（可用 {编号} {姓名} {管档单位} {现任职务} {序号}）"),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _progress(items: list, label: str):
    """A progress bar on stderr for a long batch (a terminal shows it; a log gets the label once)."""
    if len(items) < 2 or not sys.stderr.isatty():
        return contextlib.nullcontext(items)
    return click.progressbar(items, label=label, file=sys.stderr, show_pos=True)


def _numbers(ctx, param, value):
    return tuple(dossier_ref(ctx, param, v) for v in value)


@click.command(cls=Command)
@click.argument("numbers", nargs=-1, metavar="[编号]...", callback=_numbers)
@click.option("--html", "html_out", type=click.Path(path_type=Path, dir_okay=False), help="写出网页（可直接打印）")
@click.option("--pdf", "pdf_out", type=click.Path(path_type=Path, dir_okay=False),
              help="写出 PDF（每人两页 A4，需 Chromium）；批量时为一个 PDF")
@click.option("--docx", "docx_out", type=click.Path(path_type=Path),
              help="写出 Word 文件（.docx，可在 Word/WPS 中修改、盖章）；批量时为文件夹或 .zip")
@click.option("--resume", "resume_out", type=click.Path(path_type=Path, dir_okay=False),
              help="写出干部简历表（文件名以 .pdf 结尾为 PDF，否则为网页）")
@click.option("--duplex", is_flag=True, help="批量 PDF：页数为单数的表后加一张空白页，双面打印时每人从正面开始")
@batch_options
@appointment_options
@as_of_option
@guarded
def form(numbers, html_out, pdf_out, docx_out, resume_out, duplex, archive_unit, query_expr, every, pattern, ni_ren,
         ni_mian, reason, report_unit, filled_by, filled_on, appointment_file, as_of):
    """生成干部任免审批表（网页、PDF 或 Word）或干部简历表。

    年龄按 --as-of（默认今天）计算；拟任、拟免、任免理由、呈报单位、填表人来自选项或 --appointment 文件，不取自档案。
    批量：多个编号（按给出的顺序），或 --archive-unit、--query、--all（按花名册排序），写成一个 PDF（--duplex 补空白页）、
    一个网页，或一个文件夹/.zip 的 Word 文件。
    例：dangan form C000007 --pdf 任免表.pdf --ni-ren "市财政局副局长" --reason 工作需要 --unit 中共长治市委组织部
    """
    from ..atomic import write_atomic
    from ..forms.batch import DEFAULT_PATTERN, Sink, check_pattern, choose, file_name, pdf_pages
    from ..forms.files import photo_bytes
    from ..forms.model import form_model
    from ..forms.pdf import html_to_pdf, html_to_pdf_bytes
    from ..forms.render_html import render_batch_html, render_model_body, render_model_html, render_resume_html

    if not (html_out or pdf_out or resume_out or docx_out):
        fail("请用 --html 文件、--pdf 文件、--docx 文件 或 --resume 文件 指定输出")
    repo = Repo(find_root())
    as_of = as_of or default_today()
    appointment = _appointment(ni_ren, ni_mian, reason, report_unit, filled_by, filled_on, appointment_file)
    chosen = choose(repo, numbers, archive_unit, query_expr, every, as_of)
    warn_skipped(chosen.skipped)
    batch = not (len(numbers) == 1 and pattern is None)
    if batch and resume_out:
        fail("干部简历表一次生成一人：批量时请用 --pdf、--html 或 --docx")
    if duplex and not (batch and pdf_out):
        fail("--duplex 只用于批量生成的 PDF")
    models = [(form_model(d, as_of, appointment, codes=repo.codes), photo_bytes(repo, d)) for d in chosen.people]

    if not batch:
        (model, photo), data = models[0], chosen.people[0]
        if html_out or pdf_out:
            page = render_model_html(model, photo)
            if html_out:
                write_atomic(html_out, page.encode("utf-8"), overwrite=True)
                echo(f"已写出任免审批表网页 {html_out}")
            if pdf_out:
                html_to_pdf(page, pdf_out)
                echo(f"已写出任免审批表 PDF {pdf_out}")
        if docx_out:
            from ..forms.word import render_docx

            out = docx_out / f"{model.number}.docx" if docx_out.is_dir() else docx_out
            write_atomic(out, render_docx(model, photo), overwrite=True)
            echo(f"已写出任免审批表 Word 文件 {out}")
        if resume_out:
            page = render_resume_html(data, as_of, codes=repo.codes)
            if resume_out.suffix.lower() == ".pdf":
                html_to_pdf(page, resume_out)
            else:
                write_atomic(resume_out, page.encode("utf-8"), overwrite=True)
            echo(f"已写出干部简历表 {resume_out}")
        return

    bodies = [render_model_body(m, photo) for m, photo in models]
    if html_out:
        write_atomic(html_out, render_batch_html(bodies).encode("utf-8"), overwrite=True)
        echo(f"已写出 {len(bodies)} 人的任免审批表网页 {html_out}")
    if pdf_out:
        blanks = [False] * len(bodies)
        if duplex:  # how many pages each form takes decides where a blank page goes
            with _progress(list(range(len(models))), "排版") as indexes:
                for i in indexes:
                    pages = pdf_pages(html_to_pdf_bytes(render_model_html(*models[i])))
                    blanks[i] = pages % 2 == 1 and i < len(bodies) - 1
        html_to_pdf(render_batch_html(bodies, blanks), pdf_out)
        added = sum(blanks)
        echo(f"已写出 {len(bodies)} 人的任免审批表 PDF {pdf_out}" + (f"（加了 {added} 张空白页）" if added else ""))
    if docx_out:
        from ..forms.word import render_docx

        name = check_pattern(pattern or DEFAULT_PATTERN)
        sink = Sink(docx_out)
        with _progress(list(range(len(models))), "Word") as indexes:
            for i in indexes:
                sink.add(file_name(name, chosen.people[i], i + 1, ".docx"), render_docx(*models[i]))
        echo(f"已写出 {len(models)} 个任免审批表 Word 文件到 {sink.close()}")


@click.group(cls=Group)
def lrmx():
    """任免表交换文件（.lrmx / .lrm）：导出、导入。"""


@lrmx.command("export")
@click.argument("numbers", nargs=-1, metavar="[编号]...", callback=lambda c, p, v: tuple(dossier_ref(c, p, x) for x in v))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="输出文件（默认 编号.lrmx）；批量时为文件夹或 .zip 文件（默认当前文件夹）")
@batch_options
@appointment_options
@as_of_option
@guarded
def lrmx_export(numbers, output, archive_unit, query_expr, every, pattern, ni_ren, ni_mian, reason, report_unit,
                filled_by, filled_on, appointment_file, as_of):
    """导出 .lrmx（任免表编辑器可打开）：含身份证号与照片，请按涉密材料保管。

    一个编号写一个文件；多个编号、--archive-unit、--query 或 --all 时批量导出到文件夹或 .zip，文件名按 --name。
    例：dangan lrmx export --archive-unit 市财政局 -o 市财政局.zip
    """
    from ..atomic import write_atomic
    from ..forms.batch import DEFAULT_PATTERN, Sink, check_pattern, choose, file_name
    from ..forms.files import photo_bytes
    from ..forms.importer import load_extra
    from ..forms.lrmx import export_lrmx
    from ..forms.model import form_model, retirement_month

    repo = Repo(find_root())
    as_of = as_of or default_today()
    appointment = _appointment(ni_ren, ni_mian, reason, report_unit, filled_by, filled_on, appointment_file)
    chosen = choose(repo, numbers, archive_unit, query_expr, every, as_of)
    warn_skipped(chosen.skipped)
    rule = repo.policy.get("到龄")

    def one(data) -> bytes:
        model = form_model(data, as_of, appointment, codes=repo.codes)
        retire = retirement_month(model.birth, model.sex, rule)
        return export_lrmx(model, photo_bytes(repo, data), load_extra(repo, data.get("编号")), retire)

    if len(numbers) == 1 and pattern is None:  # the single file of old
        data = chosen.people[0]
        out = output or Path(f"{data.get('编号') or numbers[0]}.lrmx")
        if out.is_dir():
            out = out / f"{data.get('编号') or numbers[0]}.lrmx"
        write_atomic(out, one(data), overwrite=True)
        echo(f"已导出 {out}（含身份证号，请妥善保管）")
        return
    name = check_pattern(pattern or DEFAULT_PATTERN)
    sink = Sink(output or Path.cwd())
    with _progress(chosen.people, "导出") as people:
        for i, data in enumerate(people, 1):
            sink.add(file_name(name, data, i, ".lrmx"), one(data))
    where = sink.close()
    echo(f"已导出 {len(chosen.people)} 个 .lrmx 文件到 {where}（含身份证号，请妥善保管）")


EXCHANGE_SUFFIXES = (".lrmx", ".lrm")


def _exchange_files(paths) -> list[Path]:
    """The files named, and every .lrmx/.lrm under a folder named (recursively, in path order)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in EXCHANGE_SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                echo(f"{path}: 说明：文件夹中没有 .lrmx 或 .lrm 文件", err=True)
            out += found
        else:
            out.append(path)
    return out


@lrmx.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--into", type=click.Path(path_type=Path, file_okay=False), help="写入哪个目录（默认 dossiers/）")
@click.option("--update", is_flag=True, help="身份证号相同的已有档案：更新非关键字段（关键信息须用 dangan determine 认定）")
@click.option("--archive-unit", "unit", metavar="单位", help="新档案的管档单位（须在政策文件中登记；任免表中没有此项）")
@as_of_option
@guarded
def lrmx_import(files, into, update, unit, as_of):
    """从 .lrmx / .lrm 文件（或文件夹：其中所有 .lrmx、.lrm，含子文件夹）新建档案，或加 --update 更新已有档案。

    逐个文件报告：导入了什么、拒绝了什么及原因，最后一张汇总表。已有档案不加 --update 绝不覆盖。
    任免表缺少的项目（档案目录、干部身份、职级、各项依据等）留空，导入后请运行 dangan check 补全。
    退出码：0 全部导入，1 有文件被拒绝，2 用法错误。
    """
    from ..forms.importer import Importer

    repo = Repo(find_root())
    if unit is not None and unit not in (repo.policy.get("管档单位") or []):
        fail(f"管档单位“{unit}”未在 schema/policy.yaml 中登记")
    paths = _exchange_files(files)
    importer = Importer(repo, into or repo.dossier_dir, as_of or default_today(), unit=unit, update=update)
    warn_skipped(importer.skipped, "无法核对其中的身份证号是否与导入的相同")
    refused = 0
    counts: dict[str, int] = {}
    reasons: dict[str, int] = {}
    for path in paths:
        out = importer.run(path)
        counts[out.status] = counts.get(out.status, 0) + 1
        if out.refused:
            refused += 1
            reason = out.message.split("：", 1)[-1] if out.message.startswith("第 ") else out.message
            if reason.startswith("已有档案"):
                reason = re.sub(r"[\w./\\-]+\.ya?ml", "…", reason.split("（", 1)[0]) + "（身份证号相同）"
            reasons[scrub(reason)] = reasons.get(scrub(reason), 0) + 1
            echo(scrub(f"{path}: 拒绝：{out.message}"))
        else:
            line = f"{path}: {out.status}"
            if out.target:
                line += f" → {out.target}"
            if out.message:
                line += f"（{out.message}）"
            echo(scrub(line))
            if out.errors or out.warnings:
                echo(f"  待补全：dangan check 报告 {out.errors} 个错误、{out.warnings} 个警告（任免表没有的项目），"
                           f"请运行 dangan check {out.target}")
        for note in out.notes:
            echo(scrub(f"  说明：{note}"))
    if len(paths) > 1:
        echo("汇总：", err=True)
        for status in ("已导入", "已更新", "无变化", "拒绝"):
            if counts.get(status):
                echo(f"  {status}\t{counts[status]}", err=True)
        for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1]):
            echo(f"    拒绝原因\t{n}\t{reason}", err=True)
    echo(f"共 {len(paths)} 个文件：{len(paths) - refused} 个成功，{refused} 个拒绝。", err=True)
    sys.exit(EXIT_FINDINGS if refused else EXIT_OK)


@click.group(cls=Group)
def xlsx():
    """Excel 花名册：导入（新建档案骨架）、导出（花名册 + 统计）。"""


@xlsx.command("import")
@click.argument("roster", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--sheet", help="工作表名称（默认第一个找得到表头的工作表）")
@click.option("--map", "mappings", multiple=True, metavar="原列名=字段",
              help="列名对照，如 --map 出生=出生年月（可重复）")
@click.option("--archive-unit", "unit", metavar="单位", help="花名册没有“管档单位”列时，新档案的管档单位")
@click.option("--partial", is_flag=True, help="导入无误的各行、报告被拒绝的行（默认如此；保留此选项以兼容旧用法）")
@click.option("--all-or-nothing", "all_or_nothing", is_flag=True, help="有任何一行被拒绝就什么也不写")
@click.option("--into", type=click.Path(path_type=Path, file_okay=False), help="写入哪个目录（默认 dossiers/）")
@click.option("--check-against", "check_against", is_flag=True,
              help="不导入：与已有档案逐项核对，列出不一致的单元格（加 --archive-unit 时也列出花名册中缺少的档案）")
@click.option("--report", type=click.Path(path_type=Path, dir_okay=False), help="与 --check-against 一起用：差异另存为 .xlsx")
@as_of_option
@guarded
def xlsx_import(roster, sheet, mappings, unit, partial, all_or_nothing, into, check_against, report, as_of):
    """从花名册（.xlsx、.xls、CSV）新建档案骨架：按中文列名找表头，逐行检查，错误报告到 工作表/行/列。

    无误的行照常导入，被拒绝的行逐个报告；加 --all-or-nothing 则一行有错就什么也不写。
    退出码：0 全部导入，1 有行被拒绝，2 用法错误（不是花名册、找不到表头等）。
    """
    from ..forms.xlsx import import_roster

    if partial and all_or_nothing:
        fail("--partial 与 --all-or-nothing 不能同时使用")
    mapping = {}
    for m in mappings:
        if "=" not in m:
            fail(f"--map 的写法是 原列名=字段，而不是“{m}”")
        k, v = m.split("=", 1)
        mapping[k.strip()] = v.strip()
    if report and not check_against:
        fail("--report 只与 --check-against 一起使用")
    if check_against and (into or partial or all_or_nothing):
        fail("--check-against 只核对、不导入：不能与 --into、--partial、--all-or-nothing 同用")
    repo = Repo(find_root())
    result = import_roster(repo, roster, as_of=as_of or default_today(), sheet=sheet, mapping=mapping, unit=unit,
                           partial=not all_or_nothing, target_dir=into, compare=check_against)
    warn_skipped(result.skipped, "无法核对其中的身份证号是否与导入的相同")
    if check_against:
        from ..forms.xlsx import write_differences

        for note in result.notes:
            echo(scrub(f"{roster}: 说明：{note}"))
        for e in result.errors:
            echo(scrub(f"{roster}: {e.text()}"))
        for d in result.differences:
            echo(scrub(f"{roster}: {d.text()}"))
        for r, name in result.unmatched:
            echo(scrub(f"{roster}: {result.sheet}!第 {r} 行 {name}：没有对应的档案（按身份证号，或姓名与出生年月）"))
        for number, name in result.missing:
            echo(f"{roster}: 档案 {number} {name}：管档单位为 {unit}，花名册中没有")
        if report:
            write_differences(result, report)
            echo(f"已写出差异表 {report}", err=True)
        found = len(result.differences) + len(result.unmatched) + len(result.missing) + len(result.errors)
        echo(f"核对了 {result.compared} 人：{len(result.differences)} 处不一致，{len(result.unmatched)} 行没有对应的档案"
             + (f"，{len(result.missing)} 份档案不在花名册中" if unit else "") + "；档案未作任何改动", err=True)
        sys.exit(EXIT_FINDINGS if found else EXIT_OK)
    for note in result.notes:
        echo(scrub(f"{roster}: 说明：{note}"))
    for e in result.errors:
        echo(scrub(f"{roster}: {e.text()}"))
    for row, target, name in result.created:
        echo(f"{result.sheet}!第 {row} 行 {name} → {target}")
    for w in result.warnings:
        echo(scrub(f"{roster}: 请核对：{w.text()}"))
    if result.errors and not result.written:
        tail = "（修正后重试）" if all_or_nothing else ""
        echo(f"有 {len(result.errors)} 处错误，未写入任何档案{tail}", err=True)
    elif result.errors:
        rows = len({(e.sheet, e.row) for e in result.errors})
        echo(f"已新建 {len(result.created)} 份档案骨架；{rows} 行被拒绝（{len(result.errors)} 处错误），未导入，"
             "修正后可只导入这些行；请补全后运行 dangan check", err=True)
    else:
        echo(f"已新建 {len(result.created)} 份档案骨架；请补全后运行 dangan check", err=True)
    sys.exit(EXIT_FINDINGS if result.errors else EXIT_OK)


@xlsx.command("export")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="输出的 .xlsx 文件")
@click.option("--unit", help="只导出这个管档单位")
@as_of_option
@guarded
def xlsx_export(output, unit, as_of):
    """导出花名册（按政策文件“花名册排序”的笔画规则排序）和统计表。含身份证号，请妥善保管。"""
    from ..forms.xlsx import export_roster

    repo = Repo(find_root())
    n, problems = export_roster(repo, output, as_of or default_today(), unit)
    for p in problems:
        echo(f"警告：{p}", err=True)
    echo(f"已导出 {n} 人到 {output}")

