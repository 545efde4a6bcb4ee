"""`dangan special-review` (专项审核, issue 22): the matrix of what each material records for the seven key facts,
the 认定表, and the two recorded stages (初审, then 复审 by someone else) in ledgers/专项审核.yaml."""

from __future__ import annotations

import yaml

from conftest import FULL_ID, git
from test_records import BASIS, write

DISAGREE = dict(hs='记载: {出生年月: "1972.04"}', cv='记载: {出生年月: "1972.03", 参加工作时间: "1994.08"}')


def committed(repo, env) -> None:
    git(["add", "-A"], repo, env)
    git(["commit", "-qm", "建档"], repo, env)


def test_the_matrix_lists_each_material_the_earliest_and_what_is_open(repo, env, run):
    write(repo, **DISAGREE)
    committed(repo, env)
    code, out, err = run(["special-review", "C000001"], repo, env)
    assert code == 1, out + err  # an open inconsistency
    assert "干部人事档案专项审核认定表" in out and not FULL_ID.search(out)
    birth = out.split("【出生年月】", 1)[1].split("【", 1)[0]
    assert "4-1-1 高中毕业生登记表（1990.07）记载 1972.04（最早）" in birth
    assert "1-1 干部履历表（1995.03.10）记载 1972.03" in birth and "1972.03（最早）" not in birth
    assert "✗ R602" in birth and "✗ R601" in birth
    work = out.split("【参加工作时间】", 1)[1].split("【", 1)[0]
    assert "1994.08（最早）" in work
    assert "未结的问题" in out
    # determined to the earliest record (cited): the birth row settles; the exit code follows what is left open
    code, _out, err = run(["determine", "C000001", "出生年月", "1972.04", "--basis", "4-1-1", *BASIS, "--commit"],
                          repo, env)
    assert code == 0, err
    code, out, err = run(["special-review", "C000001"], repo, env)
    birth = out.split("【出生年月】", 1)[1].split("【", 1)[0]
    assert "R602" not in birth and "认定：" in birth and "1972.03 → 1972.04" in birth, out


def test_a_paper_alteration_not_yet_handled_is_open(repo, env, run):
    write(repo, cv='涂改: [{部位: 第1页出生年月栏, 所涉项目: 出生年月, 发现人: 张档案, 发现日期: "2026.11.02", 处理: 待处理}]')
    committed(repo, env)
    code, out, _err = run(["special-review", "C000001"], repo, env)
    assert code == 1
    assert "第1页出生年月栏" in out.split("材料上发现的涂改", 1)[1]
    birth = out.split("【出生年月】", 1)[1].split("【", 1)[0]
    assert "有涂改：待处理" in birth


def test_recorded_stages_second_by_another_person(repo, env, run, tmp_path):
    write(repo, hs='记载: {出生年月: "1972.03"}')
    committed(repo, env)
    stage = ["special-review", "C000001", "--record", "--date", "2026.11.20"]
    code, out, err = run([*stage, "--stage", "复审", "--by", "李审核", "--conclusion", "无误"], repo, env)
    assert code == 2 and "还没有登记专项审核的初审" in err, out + err
    code, out, err = run([*stage, "--stage", "初审", "--by", "王建国", "--conclusion", "无误"], repo, env)
    assert code == 2 and "档案本人" in err, out + err
    code, out, err = run([*stage, "--stage", "初审", "--by", "张审核", "--conclusion", "三龄两历一身份经审核无误",
                          "--commit"], repo, env)
    assert code in (0, 1) and "专项审核初审" in out, out + err
    code, out, err = run([*stage, "--stage", "复审", "--by", "张审核", "--conclusion", "同意"], repo, env)
    assert code == 2 and "复审须由初审以外的人进行" in err, out + err
    code, out, err = run([*stage, "--stage", "复审", "--by", "李审核", "--conclusion", "同意初审意见", "--commit"],
                         repo, env)
    assert "专项审核复审" in out, out + err
    entries = yaml.safe_load((repo / "ledgers" / "专项审核.yaml").read_text("utf-8"))
    assert [(e["阶段"], e["审核人"]) for e in entries] == [("初审", "张审核"), ("复审", "李审核")]
    head = git(["rev-parse", "HEAD~2"], repo, env).stdout.strip()
    assert entries[0]["版本"] == head and entries[0]["登记号"] == "2026-001" and entries[1]["登记号"] == "2026-002"
    code, out, err = run(["ledger", "check"], repo, env)
    assert code == 0, out + err
    # the ledger's own rules hold for an entry written by hand too
    text = (repo / "ledgers" / "专项审核.yaml").read_text("utf-8").replace("审核人: 李审核", "审核人: 张审核")
    (repo / "ledgers" / "专项审核.yaml").write_text(text, "utf-8")
    code, out, err = run(["ledger", "check"], repo, env)
    assert code == 1 and "G131" in out, out + err
    # the 认定表 shows both stages with signature lines
    code, out, err = run(["special-review", "C000001", "--format", "html", "-o", tmp_path / "a.html"], repo, env)
    page = (tmp_path / "a.html").read_text("utf-8")
    assert "已写出" in out and "<h1>干部人事档案专项审核认定表</h1>" in page and "同意初审意见" in page
    assert "王建国" in page and not FULL_ID.search(page)


def test_the_sheet_prints_as_a4_pdf(repo, env, run, tmp_path):
    import subprocess

    write(repo, **DISAGREE)
    committed(repo, env)
    code, out, err = run(["special-review", "C000001", "--format", "pdf", "-o", tmp_path / "a.pdf"], repo, env,
                         timeout=180)
    assert code == 1 and "已写出" in out, out + err
    info = subprocess.run(["pdfinfo", str(tmp_path / "a.pdf")], capture_output=True, text=True).stdout
    assert "(A4)" in info, info
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "a.pdf"), "-"], capture_output=True, text=True).stdout
    assert "干部人事档案专项审核认定表" in text and "高中毕业生登记表" in text and "复审" in text, text


def test_material_adds_what_a_filed_paper_says_and_the_hooks_let_it_through(hooked, env, run):
    """`dangan material`: a 记载 or a 涂改 added to an entry already filed is more evidence, committed without a 认定;
    changing what is recorded is refused by the verb and, written by hand, by the trail."""
    repo = hooked
    committed(repo, env)
    before = (repo / "dossiers" / "C000001.yaml").read_text("utf-8")
    code, out, err = run(["material", "C000001", "4-1-1", "--records", "出生年月=1972.04", "--records", "民族=汉族",
                          "--commit"], repo, env)
    assert code == 0, out + err
    after = (repo / "dossiers" / "C000001.yaml").read_text("utf-8")
    # only that entry changed, written as dangan fmt writes it (an entry with a 记载 is a block)
    head, tail = before.split("  - {类号: \"4-1\", 序号: 1,", 1)
    assert after.startswith(head) and after.endswith(tail.split("\n", 1)[1]), after
    assert '      出生年月: "1972.04"\n      民族: 汉族\n' in after
    assert run(["fmt", "--check"], repo, env)[0] == 0
    assert git(["log", "-1", "--format=%s"], repo, env).stdout.startswith("登记 C000001")
    code, out, _err = run(["special-review", "C000001"], repo, env)
    assert code == 1 and "1972.04（最早）" in out and "R602" in out, out  # now an open inconsistency, as it should
    code, out, err = run(["material", "C000001", "4-1-1", "--records", "出生年月=1972.03"], repo, env)
    assert code == 2 and "已经记载了出生年月" in err, out + err
    code, out, err = run(["material", "C000001", "1-1", "--alteration", "第1页出生年月栏", "--about", "出生年月",
                          "--found-by", "张档案", "--found-on", "2026.11.02", "--commit"], repo, env)
    assert code == 0, out + err
    code, out, _err = run(["special-review", "C000001"], repo, env)
    assert "第1页出生年月栏" in out and "待处理" in out
    code, out, err = run(["material", "C000001", "9-9", "--records", "出生年月=1972.04"], repo, env)
    assert code == 2 and "没有顺序号 9-9" in err
    # by hand: the recorded birth month of the earliest material changed to match the dossier — the trail refuses it
    path = repo / "dossiers" / "C000001.yaml"
    text = path.read_text("utf-8")
    assert '      出生年月: "1972.04"\n      民族' in text
    path.write_text(text.replace('      出生年月: "1972.04"\n      民族', '      出生年月: "1972.03"\n      民族'), "utf-8")
    p = git(["commit", "-qam", "改记载"], repo, env, check=False)
    assert p.returncode != 0 and "T001" in p.stdout + p.stderr, p.stdout + p.stderr


def test_review_shows_what_the_materials_record(repo, env, run):
    write(repo, **DISAGREE)
    committed(repo, env)
    _code, out, err = run(["review", "C000001"], repo, env)
    birth = out.split("【出生年月】", 1)[1].split("【", 1)[0]
    assert "材料记载：4-1-1 高中毕业生登记表（1990.07）：1972.04" in birth, out + err
    assert "材料记载：1-1 干部履历表（1995.03.10）：1972.03" in birth
