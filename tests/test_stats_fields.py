"""`dangan stats` for any field, cross-tables, the structure as of a day, year by year, and as recorded in Git
(issue 17). Expected values are worked out by hand from the dossiers named in each test."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from openpyxl import load_workbook

from conftest import PROJECT, git


@pytest.fixture
def bundled(tmp_path, env):
    root = tmp_path / "bundled"
    root.mkdir()
    for name in ("schema", "dossiers", "teams"):
        shutil.copytree(PROJECT / name, root / name)
    git(["init", "-q", "-b", "main"], root, env)
    return root


def table(run, repo, env, *args) -> dict:
    code, out, err = run(["stats", "--format", "json", *args], repo, env)
    assert code == 0, err
    return json.loads(out)


def cells(t: dict) -> dict[str, list]:
    return {row["类别"]: row["值"] for row in t["数据"]}


def test_cross_table_age_by_rank(bundled, run, env, tmp_path):
    t = table(run, bundled, env, "--rows", "年龄段", "--cols", "职级")
    assert t["列"] == ["县处级正职", "县处级副职", "乡科级正职", "乡科级副职", "一级科员", "合计"]
    rows = cells(t)
    # 县处级正职 on 2026.11.25: 原华强 1973.12 → 52, 刘海波 1981.09 → 45, 王磊忠 1977.08 → 49, 郭海国 1977.06 → 49,
    # 宋红玲 1974.09 → 52; 一级科员: 张飞 1998.02 → 28, 王思 1995.07 → 31
    assert [rows[b][0] for b in ("35岁及以下", "36-40岁", "41-45岁", "46-50岁", "51-55岁", "56岁及以上")] == [0, 0, 1, 2, 2, 0]
    assert rows["35岁及以下"][4] == 2 and rows["合计"][-1] == 52 and rows["合计"][0] == 5
    code, out, _ = run(["stats", "--rows", "年龄段", "--cols", "职级", "--format", "csv"], bundled, env)
    lines = list(csv.reader(io.StringIO(out)))
    assert code == 0 and lines[0][0] == "年龄 \\ 职级" and lines[-1][0] == "合计" and lines[-1][-1] == "52"
    code, _, err = run(["stats", "--rows", "年龄段", "--cols", "职级", "--format", "xlsx", "-o", tmp_path / "x.xlsx"],
                       bundled, env)
    sheet = [list(r) for r in load_workbook(tmp_path / "x.xlsx").active.iter_rows(values_only=True)]
    assert code == 0 and sheet[-1][0] == "合计" and sheet[-1][-1] == 52, err


def test_any_field_with_honest_labels(bundled, run, env):
    t = table(run, bundled, env, "--rows", "年度考核结果")
    assert t["行"] == "上一年度考核结果" and "前一年" in t["说明"]
    # the 2025 results in the 52 dossiers (C000008 transferred out; C000049–C000053 in, all 称职): 称职 47, 优秀 3,
    # 基本称职 1, 合格 1
    assert {k: v[0] for k, v in cells(t).items()} == {"优秀": 3, "称职": 47, "合格": 1, "基本称职": 1}
    t = table(run, bundled, env, "--rows", "学历")
    assert t["行"].startswith("最高学历") and "在职" in t["行"]
    full = table(run, bundled, env, "--rows", "全日制学历")
    assert full["行"] == "学历（全日制教育）"
    assert cells(t)["研究生"][0] >= cells(full)["研究生"][0]
    code, out, _ = run(["stats"], bundled, env)
    assert code == 0 and "最高学历大学本科及以上 98.1%（含在职教育），全日制大学本科及以上 71.2%" in out
    t = table(run, bundled, env, "--rows", "班子")
    assert {k: v[0] for k, v in cells(t).items()} == {"长治市司法局": 3, "长治市教育局": 2, "长治市潞州区人民政府": 2,
                                                      "长治市财政局": 5, "（不在领导班子中）": 40}
    t = table(run, bundled, env, "--rows", "专长")
    assert "合计可多于人数" in t["说明"] or "多于人数" in t["说明"]
    report = table(run, bundled, env, "--by", "性别")
    assert [(g["名称"], g["人数"]) for g in report["范围"]] == [("全部", 52), ("男", 36), ("女", 16)]
    for bad, message in (("身份证号", "保护个人信息"), ("爱好", "没有字段“爱好”")):
        code, _, err = run(["stats", "--rows", bad], bundled, env)
        assert code == 2 and message in err, err
    code, _, err = run(["stats", "--cols", "职级"], bundled, env)
    assert code == 2 and "--rows" in err


@pytest.fixture
def history(tmp_path, env):
    """C000001 (郝帅) committed on 2024.03.01 as 乡科级副职, promoted on 2026.06.01; C000002 added on 2026.08.01."""
    root = tmp_path / "hist"
    (root / "dossiers").mkdir(parents=True)
    shutil.copytree(PROJECT / "schema", root / "schema")
    git(["init", "-q", "-b", "main"], root, env)
    git(["config", "user.name", "测试员"], root, env)
    git(["config", "user.email", "t@example.invalid"], root, env)
    real = (PROJECT / "dossiers" / "C000001.yaml").read_text("utf-8")
    before = real.replace("职级: 乡科级正职\n简历:", "职级: 乡科级副职\n简历:")
    assert before != real

    def commit(day: str, message: str):
        git(["add", "-A"], root, env)
        stamp = f"{day}T12:00:00+0000"
        git(["commit", "-q", "--no-verify", "-m", message], root, dict(env, GIT_COMMITTER_DATE=stamp, GIT_AUTHOR_DATE=stamp))

    (root / "dossiers" / "C000001.yaml").write_text(before, "utf-8")
    commit("2024-03-01", "建档")
    (root / "dossiers" / "C000001.yaml").write_text(real, "utf-8")
    commit("2026-06-01", "任主任")
    shutil.copy2(PROJECT / "dossiers" / "C000002.yaml", root / "dossiers" / "C000002.yaml")
    commit("2026-08-01", "转入 C000002")
    return root


def test_recorded_reads_the_repository_as_it_stood(history, run, env):
    def ranks(day: str) -> dict:
        return {k: v[0] for k, v in cells(table(run, history, env, "--recorded", day, "--rows", "职级")).items()}

    assert ranks("2025.12.31") == {"乡科级副职": 1}
    assert ranks("2026.06.30") == {"乡科级正职": 1}
    assert ranks("2026.08.01") == {"乡科级正职": 2}  # 段玲燕 (C000002) is 乡科级正职 too
    t = table(run, history, env, "--recorded", "2026.07.31", "--rows", "性别")
    assert "2026.07.31" in t["标题"] and "提交" in t["标题"]
    # the working tree is not what is read, and nothing is checked out
    path = history / "dossiers" / "C000001.yaml"
    path.write_text(path.read_text("utf-8").replace("职级: 乡科级正职\n简历:", "职级: 县处级副职\n简历:"), "utf-8")
    assert ranks("2026.06.30") == {"乡科级正职": 1}
    assert "县处级副职" in path.read_text("utf-8")
    code, _, err = run(["stats", "--recorded", "2024.02.29"], history, env)
    assert code == 2 and "没有 2024.02.29 当日或以前的提交" in err
    report = table(run, history, env, "--recorded", "2025.12.31")
    assert report["范围"][0]["人数"] == 1 and report["记载"].startswith("按 Git 中 2025.12.31")
    for args in (["stats"], ["teams", "report"]):  # one option, one rule: no day Git cannot have recorded yet
        code, _, err = run([*args, "--recorded", "2026.11.26"], history, env)
        assert code == 2 and "2026.11.26 晚于今天" in err and "Traceback" not in err, err


def test_as_of_a_past_day_and_the_trend(history, run, env):
    # 郝帅: 干部身份 2016.08; 科员级 2016.08–2021.01, 乡科级副职 2021.01–2023.07, 乡科级正职 since 2023.07;
    # 全日制 本科 2013.07, 在职 硕士 2018.07; 入党 2021.04; born 1991.07
    (history / "dossiers" / "C000002.yaml").unlink()  # the working tree holds 郝帅 only; Git still has both
    assert table(run, history, env, "--as-of", "2016.06.30", "--rows", "职级")["数据"] == []
    t = table(run, history, env, "--as-of", "2017.12.31", "--rows", "职级")
    assert cells(t) == {"科员级": [1, "100.0%"]}
    assert cells(table(run, history, env, "--as-of", "2017.12.31", "--rows", "在职学历")) == {"无": [1, "100.0%"]}
    assert cells(table(run, history, env, "--as-of", "2017.12.31", "--rows", "政治面貌")) == {"（当时尚未入党）": [1, "100.0%"]}
    assert cells(table(run, history, env, "--as-of", "2022.12.31", "--rows", "在职学历")) == {"研究生": [1, "100.0%"]}
    # on 2022.12.31 郝帅 is 乡科级副职 for 1 year (since 2021.01: 不满3年)
    report = table(run, history, env, "--as-of", "2022.12.31", "--rows", "任现职年限", "--cols", "职级")
    assert cells(report)["不满3年"][report["列"].index("乡科级副职")] == 1
    t = table(run, history, env, "--trend", "2015..2024", "--rows", "职级", "--recorded", "2026.06.30")
    assert t["列"] == [str(y) for y in range(2015, 2025)]
    assert cells(t) == {"乡科级正职": [0] * 8 + [1, 1], "乡科级副职": [0] * 6 + [1, 1, 0, 0],
                        "科员级": [0, 1, 1, 1, 1, 1, 0, 0, 0, 0], "合计（人数）": [0] + [1] * 9}
    t = table(run, history, env, "--trend", "2024..2026")
    assert t["列"] == ["2024", "2025", "2026.11.25"] and cells(t)["人数"] == [1, 1, 1]
    # as recorded on 2026.08.01 both are there; 段玲燕 (born 1969.01) is 55 at the end of 2024
    t = table(run, history, env, "--trend", "2024..2026", "--recorded", "2026.08.01")
    assert t["列"] == ["2024", "2025", "2026.08.01"] and cells(t)["人数"] == [2, 2, 2]
