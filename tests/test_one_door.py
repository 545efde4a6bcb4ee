"""One door to the dossiers: the five places where copies of the same answer used to disagree (issue 14).

Each test drives the real CLI (or mkdocs) in a throw-away copy of the bundled repository.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from conftest import BIN, FULL_ID, PROJECT, git


@pytest.fixture
def bundled(tmp_path, env):
    """A copy of the project's bundled dossiers with their schema, in a fresh Git repository."""
    root = tmp_path / "bundled"
    root.mkdir()
    for name in ("schema", "dossiers", "ledgers", "docs", "photos"):
        if (PROJECT / name).is_dir():
            shutil.copytree(PROJECT / name, root / name)
    shutil.copy2(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "scripts" / "dangan" / "site").mkdir(parents=True)  # the hook file at its configured path
    shutil.copy2(PROJECT / "scripts" / "dangan" / "site" / "hook.py", root / "scripts" / "dangan" / "site" / "hook.py")
    git(["init", "-q", "-b", "main"], root, env)
    return root


def test_a_yml_dossier_is_found_by_every_command(bundled, run, env, tmp_path):
    """dossiers/C000001.yml passed check and file but review, score, form, lrmx export said 找不到档案."""
    (bundled / "dossiers" / "C000001.yaml").rename(bundled / "dossiers" / "C000001.yml")
    for args in (["check", "dossiers/C000001.yml"],
                 ["file", "C000001", "--class", "4-1", "--title", "考核登记表", "--made", "2026.10", "--pages", "2",
                  "--dry-run"],
                 ["review", "C000001"], ["score", "C000001"], ["trail", "C000001"],
                 ["form", "C000001", "--html", tmp_path / "f.html"],
                 ["lrmx", "export", "C000001", "-o", tmp_path / "f.lrmx"]):
        code, out, err = run(args, bundled, env)
        assert "找不到" not in out + err and code in (0, 1), (args, code, out + err)
    assert (tmp_path / "f.html").is_file() and (tmp_path / "f.lrmx").is_file()
    # the same 编号 twice (.yaml and .yml) is refused by name, not resolved by chance
    shutil.copy2(bundled / "dossiers" / "C000001.yml", bundled / "dossiers" / "C000001.yaml")
    code, _, err = run(["review", "C000001"], bundled, env)
    assert code == 2 and "有两个档案文件" in err


def test_a_path_outside_the_dossiers_is_refused(bundled, run, env, tmp_path):
    outside = tmp_path / "C000002.yaml"
    shutil.copy2(bundled / "dossiers" / "C000002.yaml", outside)
    (bundled / "dossiers" / "C000777.yaml").symlink_to(outside)
    for ref in (str(outside), "../C000002.yaml", "dossiers/../schema/policy.yaml", "dossiers/C000777.yaml"):
        code, _, err = run(["form", ref, "--html", tmp_path / "x.html"], bundled, env)
        assert code == 2 and "只能指定本仓库的档案" in err and "Traceback" not in err, (ref, err)
    code, _, err = run(["form", "dossiers/C000002.yaml", "--html", tmp_path / "x.html"], bundled, env)
    assert code == 0, err
    code, _, err = run(["review", "C000002.yaml"], bundled / "dossiers", env)  # relative to where the clerk stands
    assert code in (0, 1) and "找不到" not in err, err


def test_an_unreadable_dossier_is_named_by_every_reader(bundled, run, env, tmp_path):
    """With one unreadable file, check exits 1 while query and stats said 共 52 人 with no warning."""
    (bundled / "dossiers" / "C999999.yaml").write_text("姓名: [\n", "utf-8")
    code, _, _ = run(["check"], bundled, env)
    assert code == 1
    code, _, err = run(["query", "年龄>0"], bundled, env)
    assert code == 0 and "共 52 人" in err and "dossiers/C999999.yaml:" in err and "未查询" in err, err
    code, _, err = run(["stats"], bundled, env)
    assert code == 0 and "dossiers/C999999.yaml:" in err and "未计入统计" in err, err
    code, out, err = run(["xlsx", "export", "-o", tmp_path / "r.xlsx"], bundled, env)
    assert code == 0 and "52 人" in out and "dossiers/C999999.yaml:" in err, out + err
    lrmx = tmp_path / "a.lrmx"
    assert run(["lrmx", "export", "C000003", "-o", lrmx], bundled, env)[0] == 0
    code, out, err = run(["lrmx", "import", lrmx], bundled, env)
    assert "dossiers/C999999.yaml:" in err and "无法核对" in err, out + err


def _sheet_dimensions(path) -> dict[str, list[tuple[str, int]]]:
    rows = [list(r) for r in load_workbook(path)["统计"].iter_rows(values_only=True)]
    out: dict[str, list[tuple[str, int]]] = {}
    current = None
    for r in rows:
        if r[1:3] == ["人数", "占比"]:
            current = out.setdefault(r[0], [])
        elif current is not None and r[0] is not None and isinstance(r[1], int):
            current.append((r[0].strip("　"), r[1]))
        elif not any(r):
            current = None
    return out


def test_the_excel_statistics_sheet_is_dangan_stats(bundled, run, env, tmp_path):
    """The 统计 sheet counted 学历 in other groups, without a 少数民族 total, ordered by count, "（未填）"."""
    code, _, err = run(["xlsx", "export", "-o", tmp_path / "r.xlsx"], bundled, env)
    assert code == 0, err
    sheet = _sheet_dimensions(tmp_path / "r.xlsx")
    code, out, err = run(["stats", "--format", "json"], bundled, env)
    assert code == 0, err
    whole = json.loads(out)["范围"][0]
    stats = {d["名称"]: [(c["类别"], c["人数"]) for c in d["分类"]] for d in whole["维度"]}
    assert sheet.pop("管档单位") and sheet == stats
    assert any(label == "少数民族" for label, _ in sheet["民族"]) and "学历（全日制教育）" in sheet


@pytest.mark.slow
def test_the_site_builds_from_outside_the_repository(bundled, env, tmp_path):
    """mkdocs build -f <repo>/mkdocs.yml from elsewhere failed: the form pages read the working directory."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(env, NO_MKDOCS_2_WARNING="1")
    p = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "--quiet", "-f", str(bundled / "mkdocs.yml")],
                       cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
    assert (bundled / "site" / "form" / "C000001.html").is_file()
    assert not os.listdir(elsewhere)


def test_dry_run_and_fmt_diffs_mask_id_numbers(repo, run, env):
    """`determine --dry-run` printed the full ID number as a diff context line; fmt --check did too."""
    code, out, err = run(["determine", "C000001", "政治面貌", "群众", "--basis", "1-1", "--by", "中共长治市委组织部",
                          "--doc", "长组认〔2026〕1号", "--dry-run"], repo, env)
    assert code == 0 and "身份证号" in out and not FULL_ID.search(out + err), out + err
    path = repo / "dossiers" / "C000001.yaml"
    path.write_text(path.read_text("utf-8").replace("身份证号: ", "身份证号:   "), "utf-8")
    code, out, err = run(["fmt", "--check"], repo, env)
    assert code == 1 and "身份证号" in out and not FULL_ID.search(out + err), out + err


@pytest.mark.parametrize("where", ["dossiers", "root"])
def test_a_number_argument_that_is_a_path_changes_nothing_outside(repo, run, env, tmp_path, where):
    """attacks.md (f): `file ../../victim`, `file /abs/C000003`, `determine /abs/C000003` rewrote a file outside the
    repository and `transfer out /abs/C000003` deleted it and wrote the path into ledgers/转递.yaml."""
    outside = tmp_path / "abs" / "dir"
    outside.mkdir(parents=True)
    victim = tmp_path / "victim.yaml"
    for path in (victim, outside / "C000003.yaml", repo.parent / "victim.yaml"):
        shutil.copy2(repo / "dossiers" / "C000001.yaml", path)
    files = {p: p.read_bytes() for p in (victim, outside / "C000003.yaml", repo.parent / "victim.yaml",
                                         repo / "dossiers" / "C000001.yaml")}
    cwd = repo / "dossiers" if where == "dossiers" else repo
    material = ["--class", "1", "--title", "材料", "--made", "2026.01.05", "--pages", "2"]
    refs = ["../../victim", "../victim", os.path.relpath(victim, cwd), str(outside / "C000003"),
            str(outside / "C000003.yaml"), "../dossiers/../../victim"]
    for ref in refs:
        for args in (["file", ref, *material],
                     ["determine", ref, "出生年月", "1970.01", "--basis", "1-1", "--by", "中共长治市委组织部",
                      "--doc", "长组认〔2026〕1号"],
                     ["transfer", "out", ref, "--to", "省财政厅", "--notice", "长组档转〔2026〕15号", "--via", "机要交通",
                      "--date", "2026.11.20"]):
            code, out, err = run(args, cwd, env)
            assert code == 2 and "Traceback" not in out + err and err.startswith("错误："), (args, code, out + err)
            assert not FULL_ID.search(out + err)
    assert {p: p.read_bytes() for p in files} == files and all(p.exists() for p in files)
    assert not (repo / "ledgers").exists()  # no 转递 entry, least of all one whose 编号 is a path
