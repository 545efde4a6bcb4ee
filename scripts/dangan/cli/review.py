"""The review and management verbs: ``dangan review``, ``dangan score``, ``dangan grade`` (added in cli/main.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .options import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    as_of_option,
    dossier_ref,
    dry_run_option,
    echo,
    fail,
    guarded,
    record_commit_option,
)
from .usage import Command, Group


@click.command(cls=Command)
@click.argument("number", metavar="[编号]", required=False, callback=dossier_ref)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help="输出格式（html 为可打印的 A4 审核表）")
@click.option("--ni-ren", "post", metavar="职务", help="拟任职务，写入审核表")
@click.option("--rank", metavar="职级", help="拟任职务的职级（如“县处级正职”）：提拔时据此核对任职资格")
@click.option("--stage", type=click.Choice(["动议初审", "考察复审", "任用终审"]), help="审核阶段（与 --record 一起用）")
@click.option("--by", "reviewers", multiple=True, metavar="审核人", help="审核人、复核人，写两次以上（与 --record 一起用）")
@click.option("--date", metavar="YYYY.MM.DD", help="审核日期（默认今天，与 --record 一起用）")
@click.option("--record", is_flag=True, help="把本阶段的审核结论登记到 ledgers/任前审核.yaml")
@click.option("--sheet", "sheet", type=click.Path(path_type=Path, dir_okay=False), metavar="文件",
              help="写出《干部人事档案任前审核登记表》（该人选、--ni-ren 拟任职务已登记的各阶段；.pdf 为 PDF，否则为网页）")
@click.option("--file-it", "file_it", is_flag=True, help="把写出的登记表（PDF）作为第五类材料归档到档案目录（下一个序号）")
@click.option("--pending", is_flag=True, help="列出全部拟任人选的审核进度：可以提交部务会的、暂缓的、不予通过的")
@record_commit_option
@as_of_option
@guarded
def review(number, fmt, post, rank, stage, reviewers, date, record, sheet, file_it, pending, commit, as_of):
    """任前审核：七项关键信息、完整性、一致性、涂改痕迹、未解决的问题、影响使用与任职资格，给出审核结论。

    审核结论为通过、暂缓或不予通过。--record 把一个阶段（动议初审、考察复审、任用终审）的结论登记下来；
    --sheet 写出登记表，--file-it 把它归档；--pending 列出各人选的审核进度。
    退出码：0 通过，1 暂缓或不予通过，2 用法或读写问题。
    """
    from ..check import make_context
    from ..repo import Repo, find_root
    from ..review import gather
    from ..review import report as rp

    repo = Repo(find_root())
    ctx = make_context(repo, as_of)
    if pending:
        if number or record:
            fail("--pending 列出全部人选，不要同时写编号或 --record")
        from ..review import pending as pd

        rows = pd.pending(repo, ctx.today)
        echo(pd.as_json(rows) if fmt == "json" else pd.text(rows, ctx.today), nl=False)
        sys.exit(EXIT_OK)
    if not number:
        fail("请给出编号（或用 --pending 列出全部人选）")
    if record and not (stage and post):
        fail("--record 须同时写明 --stage 阶段 和 --ni-ren 拟任职务，以及两名审核人 --by")
    if (stage or reviewers or date) and not record:
        fail("--stage、--by、--date 只与 --record 一起用")
    if commit and not (record or file_it):
        fail("--commit 只与 --record 或 --file-it 一起用")
    if file_it and not (sheet and sheet.suffix.lower() == ".pdf"):
        fail("--file-it 归档的是登记表的 PDF（页数按 PDF 计）：请同时写 --sheet 文件.pdf")
    if sheet and not post:
        fail("--sheet 须写明 --ni-ren 拟任职务（打印该职务已登记的各阶段）")
    if sheet and record:
        fail("--sheet 与 --record 分开运行：先登记，再打印登记表")
    if rank is not None and rank not in repo.codes.rank_level:
        fail(f"--rank “{rank}”不是规定的职级写法（如“县处级正职”“乡科级副职”，见 schema/codes/rank.json）")
    if sheet and rank is None:  # the 登记表 judges the 任职资格 for the 职级 recorded with the stages
        from ..ledgers import REVIEW, load

        recorded = [e for e in load(repo, REVIEW).items if e.get("编号") == repo.dossier(number).stem
                    and e.get("拟任职务") == post and e.get("拟任职级") in repo.codes.rank_level]
        rank = recorded[-1]["拟任职级"] if recorded else None
    r = rp.build(gather(repo, number, ctx.today, ctx), ctx.policy, ctx.today, repo.codes, post, rank)
    outcome = None
    if record:
        from ..verbs.pretrial import record as record_stage

        outcome = record_stage(repo, r, stage, post, list(reviewers), date, ctx.today)
        r.stage = stage
    if sheet:
        _sheet(repo, r, post, sheet, file_it, commit, ctx.today)
        sys.exit(EXIT_OK if r.verdict == rp.PASS else EXIT_FINDINGS)
    out = {"text": rp.text, "json": rp.as_json, "html": rp.as_html}[fmt](r)
    echo(out, nl=False)
    if outcome is not None:
        from .main import finish

        finish(outcome, False, commit)
    sys.exit(EXIT_OK if r.verdict == rp.PASS else EXIT_FINDINGS)


def _sheet(repo, r, post, out, file_it, commit, today) -> None:
    """Write the 登记表 (PDF through Chromium, or HTML); with ``file_it``, file the PDF as a class-5 material."""
    import re

    from ..atomic import write_atomic
    from ..dates import day_text
    from ..ledgers import REVIEW, load
    from ..review.register import TITLE, entries_for, sheet_html

    entries = entries_for(load(repo, REVIEW).items, r.case.number, post)
    if not entries:
        fail(f"{r.case.number} 拟任{post} 还没有登记任前审核（先用 --stage … --record 登记）")
    page = sheet_html(r, entries)
    if out.suffix.lower() == ".pdf":
        from ..forms.pdf import html_to_pdf

        html_to_pdf(page, out)
    else:
        write_atomic(out, page.encode("utf-8"), overwrite=True)
    echo(f"已写出：{out}（{TITLE}，{'、'.join(e['阶段'] + e['结论'] for e in entries)}）")
    if file_it:
        from ..verbs.filing import file_material
        from .main import finish

        pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", out.read_bytes())) or 1
        made = max(str(e.get("日期")) for e in entries)
        outcome = file_material(repo, r.case.number, "5", f"{TITLE}（拟任{post}）", made, pages, day_text(today),
                                None, today)
        finish(outcome, False, commit)


@click.command(cls=Command)
@click.argument("number", metavar="[编号]", required=False, callback=dossier_ref)
@click.option("--unit", metavar="管档单位", help="列出该单位最近接收的新任干部档案及评分")
@click.option("--report", "year", type=click.IntRange(1990, 2100), metavar="年度",
              help="年终通报：按报送单位汇总该年度转入登记中冻结的评分、退回与认定问题（--format text、html、xlsx）")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), metavar="文件",
              help="--report 的 html、xlsx 写到这个文件（xlsx 必须给出）")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "xlsx"]), default="text", show_default=True,
              help="输出格式（html、xlsx 只用于 --report）")
@click.option("--now", is_flag=True, help="按今天的档案重新计算（转入的档案默认显示转入时评定、记入转递登记的评分）")
@click.option("--deduct", "deducts", multiple=True, metavar="项目=分[:理由]",
              help="评分人评定的扣分（照片、印章、乱页等档案数据判断不了的），记在该项下，可写多次；只用于一份档案")
@as_of_option
@guarded
def score(number, unit, year, output, fmt, now, deducts, as_of):
    """新任干部档案评分（百分制，单项否决）：优秀、合格、不合格。

    转入的档案显示转入时评定的评分（记入 ledgers/转递.yaml，不随此后的改动重算）；--now 按今天的档案重算。

    退出码：0 优秀或合格，1 不合格（--unit 时有不合格的档案），2 用法或读写问题。
    """
    from ..check import make_context
    from ..repo import Repo, find_root
    from ..review import gather, gather_all
    from ..review import score as sc

    if sum(map(bool, (number, unit, year))) != 1:
        fail("请给出一个编号，或用 --unit 指定管档单位，或用 --report 年度 生成年终通报（三者选一）")
    if fmt in ("html", "xlsx") and not year:
        fail(f"--format {fmt} 只用于 --report")
    if deducts and not number:
        fail("--deduct 只用于一份档案的评分（dangan score 编号）")
    repo = Repo(find_root())
    if year:
        from .. import ledgers
        from ..review import bulletin

        src = ledgers.read(repo, ledgers.TRANSFER) if ledgers.path_of(repo, ledgers.TRANSFER).exists() else None
        senders = bulletin.build(list(src.data) if src else [], year)
        if fmt == "xlsx" and not output:
            fail("--format xlsx 须用 -o 给出写到哪个文件")
        if fmt == "json":
            echo(json.dumps([dict(zip(bulletin.HEADER, u.row(), strict=True)) | {"退回原因": u.returned}
                             for u in senders], ensure_ascii=False, indent=2))
        elif fmt in ("html", "xlsx"):
            body = bulletin.as_html(senders, year).encode("utf-8") if fmt == "html" else bulletin.xlsx(senders, year)
            if output:
                from ..atomic import write_atomic

                write_atomic(output, body, overwrite=True)
                echo(f"已写出：{output}（{year} 年新任干部档案报送情况通报）")
            else:
                echo(body.decode("utf-8"), nl=False)
        else:
            echo(bulletin.text(senders, year), nl=False)
        sys.exit(EXIT_OK)
    ctx = make_context(repo, as_of)
    cases = gather_all(repo, ctx.today, ctx)
    names = sc.names_of(cases)
    if number:
        from .. import ledgers

        src = ledgers.read(repo, ledgers.TRANSFER) if ledgers.path_of(repo, ledgers.TRANSFER).exists() else None
        judged = sc.judged_of(list(deducts), ctx.policy)
        s = sc.frozen(list(src.data) if src else [], number) if not now else None
        if s is not None and judged:
            fail("这份档案的评分已在转入时冻结（转递登记），不再改动；--deduct 与 --now 同用，按今天的档案评分")
        if s is None:
            s = sc.score(gather(repo, number, ctx.today, ctx), ctx.policy, names, today=ctx.today, judged=judged,
                         count=sc.intake_count(list(src.data) if src else [], number))
        else:  # frozen as it arrived; whether the file here is a 副本 is today's
            s.custody = next((sc.custody_of(c.data) for c in cases if c.number == number), {})
        echo(json.dumps(s.as_dict(), ensure_ascii=False, indent=2) + "\n" if fmt == "json" else sc.text(s),
                   nl=False)
        sys.exit(EXIT_FINDINGS if s.grade == sc.FAIL else EXIT_OK)
    months = ctx.policy["新任干部档案评分"].get("统计月数", 12)
    from ..review.grade import intakes

    received = intakes(repo)
    mine = {c.number: sc.score(c, ctx.policy, names, today=ctx.today, count=sc.intake_count(received, c.number))
            for c in cases if c.data.get("管档单位") == unit}
    if not now:  # a received dossier by its score frozen at intake, as grade and the site count it
        mine = sc.with_frozen(mine, received)
    scores = list(mine.values())
    scores = sorted((s for s in scores if sc.recent(s, ctx.today, months)), key=lambda s: (s.received, s.number))
    if fmt == "json":
        echo(json.dumps([s.as_dict() for s in scores], ensure_ascii=False, indent=2))
    else:
        echo(sc.unit_text(unit, scores, months), nl=False)
    sys.exit(EXIT_FINDINGS if any(s.grade == sc.FAIL for s in scores) else EXIT_OK)


class _GradeGroup(Group):
    """``dangan grade [管档单位] …`` shows the grades; ``dangan grade inspect|rectify|apply …`` are its verbs."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_GradeGroup)
def grade(**_shown):  # the options of `grade show` are listed on the group too (they always reach `show`)
    """目标管理：按政策文件的考评标准给各管档单位定级（一级、二级、三级），登记检查验收与整改，写出申报材料。

    dangan grade [管档单位] 显示定级（与 dangan grade show 相同）；inspect 登记检查验收，rectify 登记整改，
    apply 写出等级申报材料。
    """


def grade_units_now(repo, ctx, entries=None, fixes_as_of=None):
    """Every unit graded as of ``ctx.today`` (``entries``: the 检查验收 entries to use instead of the ledger's)."""
    from ..review.grade import graded

    _cases, _scores, units, notes = graded(repo, ctx, entries, fixes_as_of)
    return units, notes


@grade.command("show")
@click.argument("unit", metavar="[管档单位]", required=False)
@click.option("--report", is_flag=True,
              help="全市定级情况表：每个管档单位的卷数、总分、等级、与上年比较、未整改的问题（text、json、html）")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help="输出格式（html 只用于 --report，可打印的 A4 表）")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), metavar="文件",
              help="--report 写到这个文件（默认输出到屏幕）")
@as_of_option
@guarded
def grade_show(unit, report, fmt, output, as_of):
    """各管档单位的定级：考评标准各项得分（检查项目按最近一次检查验收）、未整改的问题、未达上一等级的原因。

    --report 为全市定级情况表（上年等级取上一年最近一次检查验收评定的等级）。退出码 0；用法问题 2。
    """
    from ..check import make_context
    from ..repo import Repo, find_root
    from ..review import grade as gr

    if fmt == "html" and not report:
        fail("--format html 只用于 --report")
    if output and not report:
        fail("-o 只用于 --report")
    repo = Repo(find_root())
    ctx = make_context(repo, as_of)
    units, notes = grade_units_now(repo, ctx)
    if unit:
        units = [u for u in units if u.name == unit]
        if not units:
            fail(f"没有管档单位“{unit}”")
    if report:
        body = {"text": gr.report_text, "json": gr.report_json, "html": gr.report_html}[fmt](units, notes, ctx.policy,
                                                                                           ctx.today)
        if output:
            from ..atomic import write_atomic

            write_atomic(output, body.encode("utf-8"), overwrite=True)
            echo(f"已写出：{output}（{gr.REPORT_TITLE}，{len(units)} 个管档单位）")
        else:
            echo(body, nl=False)
        sys.exit(EXIT_OK)
    echo(gr.as_json(units, notes, ctx.policy) if fmt == "json" else gr.text(units, notes, ctx.policy, ctx.today),
         nl=False)
    sys.exit(EXIT_OK)


grade.params += [p for p in grade_show.params if isinstance(p, click.Option)]


@grade.command("apply")
@click.argument("unit", metavar="管档单位")
@click.option("--level", required=True, metavar="等级", help="申报的等级，如 一级（政策文件 目标管理.等级 的名称）")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False), metavar="文件",
              help="申报材料写到这个文件：.pdf 为 PDF（经 Chromium 打印），否则为可打印的网页（A4）")
@as_of_option
@guarded
def grade_apply(unit, level, output, as_of):
    """等级申报：写出一个管档单位的《干部人事档案工作目标管理等级申报表》（基本情况、考评得分、检查验收、整改）。

    达不到申报的等级（总分、各项底线、参评卷数、检查验收、逾期未整改）时不写出，列出差在哪里。
    退出码：0 已写出，1 达不到申报的等级，2 用法或读写问题。
    """
    from ..check import make_context
    from ..repo import Repo, find_root
    from ..review import application as ap

    repo = Repo(find_root())
    ctx = make_context(repo, as_of)
    units, _notes = grade_units_now(repo, ctx)
    found = [u for u in units if u.name == unit]
    if not found:
        fail(f"没有管档单位“{unit}”")
    u = found[0]
    missing = ap.shortfalls(u, ctx.policy, level)
    if missing:
        code = EXIT_USAGE if missing[0].startswith("没有等级") else EXIT_FINDINGS
        fail(f"{unit} 不能申报{level}（按考评标准现评定为{u.grade}），未写出申报材料：\n"
             + "\n".join(f"  {m}" for m in missing), code)
    page = ap.sheet_html(u, ctx.policy, level, ctx.today)
    if output.suffix.lower() == ".pdf":
        from ..forms.pdf import html_to_pdf

        html_to_pdf(page, output)
    else:
        from ..atomic import write_atomic

        write_atomic(output, page.encode("utf-8"), overwrite=True)
    echo(f"已写出：{output}（{ap.TITLE}，{unit} 申报{level}，总分 {ap.num(u.total or 0)}）")
    sys.exit(EXIT_OK)


@grade.command("inspect")
@click.argument("unit", metavar="管档单位")
@click.option("--date", metavar="YYYY.MM.DD", help="检查日期（默认今天）")
@click.option("--by", "inspectors", multiple=True, metavar="检查人", help="检查人，写两次以上（政策文件 目标管理.检查人数）")
@click.option("--item", "items", multiple=True, metavar="项目=得分[:说明]",
              help="一个检查项目的得分，可写多次，如 --item 八防设施=4:库房缺防光窗帘（分值见 dangan grade 的各项）")
@click.option("--rest-full", is_flag=True, help="没有用 --item 写的检查项目都得满分")
@click.option("--problem", "problems", multiple=True, metavar="问题", help="检查发现的问题，一个写一次")
@click.option("--deadline", metavar="YYYY.MM.DD", help="问题的整改期限（默认检查日期后 目标管理.整改天数 天）")
@click.option("--note", metavar="备注", help="备注")
@dry_run_option
@record_commit_option
@as_of_option
@guarded
def grade_inspect(unit, date, inspectors, items, rest_full, problems, deadline, note, dry_run, commit, as_of):
    """检查验收：登记对一个管档单位的检查（检查人两人以上、检查项目逐项评分、发现的问题和整改期限）。

    总分和评定等级按检查当天的数据和本次评分算出，记入 ledgers/检查验收.yaml，此后不再重算。退出码：0 已登记，
    1 或 2 未登记（原因见提示）。
    """
    from ..check import make_context
    from ..repo import Repo, find_root
    from ..verbs.inspect import inspect as run

    repo = Repo(find_root())
    ctx = make_context(repo, as_of)

    def evaluate(entries):  # the new entry (last) with the inspections up to its date: a later one is not its grade
        from ..dates import parse_day

        day = parse_day(entries[-1]["日期"])
        earlier = [e for e in entries[:-1] if (d := parse_day(e.get("日期"))) is not None and d <= day]
        units, _notes = grade_units_now(repo, ctx, [*earlier, entries[-1]], day)
        [u] = [u for u in units if u.name == unit]
        return u.volumes, u.total, u.grade

    from .main import finish

    finish(run(repo, unit, date, list(inspectors), list(items), rest_full, list(problems), deadline, note, ctx.today,
               evaluate), dry_run, commit)


@grade.command("rectify")
@click.argument("ident", metavar="登记号")
@click.option("--problem", "seq", type=click.IntRange(1, 999), metavar="序号", help="第几个问题（只有一个未整改时可不写）")
@click.option("--how", required=True, metavar="整改情况", help="如何整改的，如“已购置温湿度计，按日记录”")
@click.option("--by", metavar="复查人", help="复查整改的人（默认 Git 的 user.name）")
@click.option("--date", metavar="YYYY.MM.DD", help="整改完成（复查）日期（默认今天）")
@dry_run_option
@record_commit_option
@as_of_option
@guarded
def grade_rectify(ident, seq, how, by, date, dry_run, commit, as_of):
    """整改：检查验收发现的一个问题整改完毕、经复查，填写整改日期、整改情况和复查人。退出码：0 已登记，1 或 2 未登记。"""
    from ..dates import today as default_today
    from ..repo import Repo, find_root
    from ..verbs.inspect import rectify as run
    from .main import finish

    repo = Repo(find_root())
    finish(run(repo, ident, seq, date, how, by, as_of or default_today()), dry_run, commit)


@click.command("special-review", cls=Command)
@click.argument("number", metavar="编号", callback=dossier_ref)
@click.option("--format", "fmt", type=click.Choice(["text", "html", "pdf"]), default="text", show_default=True,
              help="输出格式：text 终端；html、pdf 为《干部人事档案专项审核认定表》（A4，签字栏），写到 -o 文件")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), metavar="文件",
              help="html、pdf 写到这个文件（pdf 必须给出）")
@click.option("--record", is_flag=True, help="把本阶段的专项审核登记到 ledgers/专项审核.yaml")
@click.option("--stage", type=click.Choice(["初审", "复审"]), help="审核阶段（与 --record 一起用）；复审须由另一人进行")
@click.option("--by", "reviewer", metavar="审核人", help="审核人姓名（与 --record 一起用）")
@click.option("--conclusion", metavar="意见", help="审核意见（与 --record 一起用）")
@click.option("--date", metavar="YYYY.MM.DD", help="审核日期（默认今天，与 --record 一起用）")
@record_commit_option
@as_of_option
@guarded
def special_review(number, fmt, output, record, stage, reviewer, conclusion, date, commit, as_of):
    """专项审核：三龄两历一身份和家庭成员，逐项列出记载它的每份材料、最早记载、档案中的值、认定和未结的问题。

    --record --stage 初审|复审 --by 审核人 --conclusion 意见 把审核登记到 ledgers/专项审核.yaml（复审须由初审以外的人）。
    退出码：0 没有未结的问题，1 有未结的问题，2 用法或读写问题。
    """
    from ..check import make_context
    from ..repo import Repo, find_root
    from ..review import gather
    from ..review import special as sp
    from ..verbs.special import entries_of

    repo = Repo(find_root())
    ctx = make_context(repo, as_of)
    if record and not (stage and reviewer and conclusion):
        fail("--record 须同时写明 --stage 阶段、--by 审核人 和 --conclusion 审核意见")
    if (stage or reviewer or conclusion or date) and not record:
        fail("--stage、--by、--conclusion、--date 只与 --record 一起用")
    if commit and not record:
        fail("--commit 只与 --record 一起用")
    if fmt == "pdf" and not output:
        fail("--format pdf 须用 -o 给出写到哪个文件")
    s = sp.build(gather(repo, number, ctx.today, ctx), ctx.policy, ctx.today)
    outcome = None
    if record:
        from ..verbs.special import record as record_stage

        outcome = record_stage(repo, s, stage, reviewer, conclusion, date, ctx.today)
    entries = entries_of(repo, s.case.number) if repo.root.joinpath("ledgers", "专项审核.yaml").exists() else []
    if fmt == "text":
        echo(sp.text(s, entries), nl=False)
    else:
        page = sp.as_html(s, entries)
        if fmt == "pdf":
            from ..forms.pdf import html_to_pdf

            html_to_pdf(page, output)
            echo(f"已写出：{output}（{sp.TITLE}）")
        elif output:
            from ..atomic import write_atomic

            write_atomic(output, page.encode("utf-8"), overwrite=True)
            echo(f"已写出：{output}（{sp.TITLE}）")
        else:
            echo(page, nl=False)
    if outcome is not None:
        from .main import finish

        finish(outcome, False, commit)
    sys.exit(EXIT_FINDINGS if s.open else EXIT_OK)


@click.command("owed", cls=Command)
@click.option("--unit", metavar="管档单位", help="只列这个管档单位的档案")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="输出格式")
@click.option("--record", is_flag=True, help="把还没有催收的各项登记到 ledgers/催收.yaml（催收日期 --date，限期按政策文件）")
@click.option("--date", metavar="YYYY.MM.DD", help="催收日期（默认今天，与 --record 一起用）")
@click.option("--notice", "notice", type=click.Path(path_type=Path, dir_okay=False), metavar="文件",
              help="写出 --unit 单位的《干部档案材料催收通知》（.pdf 为 PDF，否则为网页）")
@click.option("--sender", metavar="发文单位", default="中共长治市委组织部干部档案室", show_default=True,
              help="催收通知的落款")
@record_commit_option
@as_of_option
@guarded
def owed(unit, fmt, record, date, notice, sender, commit, as_of):
    """催收：各档案缺少的材料（与 dangan check 的完整性规则相同），是否已催收、限期、是否逾期，以及催收后已收到的。

    --record 登记催收，--notice 写出一个单位的催收通知。退出码：0 没有缺少的材料，1 有，2 用法或读写问题。
    """
    from ..dates import today as default_today
    from ..ledgers import OWED, load
    from ..repo import Repo, find_root
    from ..review import owed as ow

    repo = Repo(find_root())
    today = as_of or default_today()
    if notice and not unit:
        fail("--notice 写的是一个单位的通知：请同时写 --unit 管档单位")
    if (date or commit) and not record:
        fail("--date、--commit 只与 --record 一起用")
    chased = load(repo, OWED).items
    open_items = ow.items(repo, today, unit, chased)
    got = [e for e in ow.received(chased, open_items) if not unit or e.get("催收单位") == unit]
    outcome = None
    if record:
        from ..ledgers import append
        from ..verbs.edit import Outcome, past_day
        from ..yamltext import Layout

        day = past_day(date, today, "催收日期")
        fresh = ow.new_entries(open_items, chased, day, ow.days(repo))
        if fresh:
            change = append(repo, OWED, fresh, Layout.of(repo.schema_dir / OWED.schema))
            outcome = Outcome([change], [f"{change.rel}：登记催收 {len(fresh)} 份材料（{day}，限期 {fresh[0]['限期']}）"],
                              commit=f"催收 {len(fresh)} 份档案材料（{unit or '全部管档单位'}，{day}）")
            open_items = ow.items(repo, today, unit, [*chased, *fresh])
    if notice:
        page = ow.notice_html(unit, open_items, today, sender)
        if notice.suffix.lower() == ".pdf":
            from ..forms.pdf import html_to_pdf

            html_to_pdf(page, notice)
        else:
            from ..atomic import write_atomic

            write_atomic(notice, page.encode("utf-8"), overwrite=True)
        echo(f"已写出：{notice}（{ow.TITLE}，{unit}，{len(open_items)} 份材料）", err=True)
    elif fmt == "json":
        echo(json.dumps({"未收到": [{"编号": i.number, "姓名": i.name, "管档单位": i.unit, "类号": i.owed.cls,
                                    "材料": i.owed.material, "代码": i.owed.code,
                                    "催收": i.entry} for i in open_items],
                         "已收到": got}, ensure_ascii=False, indent=2))
    else:
        echo(ow.text(open_items, got, today), nl=False)
    if outcome is not None:
        from .main import finish

        finish(outcome, False, commit)
    elif record:
        echo("没有需要新登记的催收（缺少的材料都已催收过）")
    sys.exit(EXIT_FINDINGS if open_items else EXIT_OK)
