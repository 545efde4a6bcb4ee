"""Windows realities through real Git: core.autocrlf=true (Git for Windows' default), CRLF files, Chinese paths.

The project's .gitattributes makes every text file LF whatever the platform; when a clerk's editor still saves
CRLF, the format hook says so in one line with the fix, and the verbs write LF.
"""

from __future__ import annotations

import shutil
import subprocess

from conftest import BIN, FULL_ID, PROJECT, git


def _install(clone, env):
    shutil.copy2(PROJECT / ".pre-commit-config.yaml", clone / ".pre-commit-config.yaml")
    p = subprocess.run([str(BIN / "pre-commit"), "install"], cwd=clone, env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr


def _commit(repo, env, message):
    return subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, env=env, capture_output=True, text=True)


def _windows_clone(hooked, env, tmp_path):
    """The hooked repository committed as the project ships it, then cloned as Git for Windows clones."""
    shutil.copy2(PROJECT / ".gitattributes", hooked / ".gitattributes")
    git(["add", "-A"], hooked, env)
    p = _commit(hooked, env, "初始档案")
    assert p.returncode == 0, p.stdout + p.stderr
    clone = tmp_path / "windows"
    git(["clone", "-q", "-c", "core.autocrlf=true", str(hooked), str(clone)], tmp_path, env)
    for key, value in (("user.name", "王管档"), ("user.email", "clerk@example.invalid"), ("commit.gpgsign", "false")):
        git(["config", key, value], clone, env)
    shutil.copytree(hooked / "schema", clone / "schema", dirs_exist_ok=True)
    _install(clone, env)
    return clone


def test_a_commit_after_a_crlf_checkout_passes_the_hooks(hooked, env, tmp_path):
    clone = _windows_clone(hooked, env, tmp_path)
    assert git(["config", "core.autocrlf"], clone, env).stdout.strip() == "true"
    dossier = clone / "dossiers" / "C000001.yaml"
    assert b"\r\n" not in dossier.read_bytes()  # eol=lf wins over core.autocrlf: checked out with LF
    dossier.write_bytes(dossier.read_bytes().replace("健康状况: 健康".encode(), "健康状况: 良好".encode()))
    git(["add", "-A"], clone, env)
    p = _commit(clone, env, "C000001 健康状况")
    assert p.returncode == 0, p.stdout + p.stderr
    # a later checkout (branch switch, pull) brings no CRLF back
    dossier.unlink()
    git(["checkout", "--", "dossiers/C000001.yaml"], clone, env)
    assert b"\r\n" not in dossier.read_bytes()


def test_a_crlf_file_is_named_in_one_line_with_the_fix(hooked, env, tmp_path, run):
    clone = _windows_clone(hooked, env, tmp_path)
    dossier = clone / "dossiers" / "C000001.yaml"
    # an editor that saves Windows line ends, with the clerk's real change
    dossier.write_bytes(dossier.read_bytes().replace("健康状况: 健康".encode(), "健康状况: 良好".encode())
                        .replace(b"\n", b"\r\n"))
    git(["add", "-A"], clone, env)
    p = _commit(clone, env, "CRLF")
    shown = p.stdout + p.stderr
    assert p.returncode != 0
    assert "CRLF" in shown and "fmt dossiers/C000001.yaml" in shown, shown
    diff = [line for line in shown.splitlines() if line.startswith(("-", "+")) and not line.startswith("- ")]
    assert diff == [], shown  # one line, not a diff of identical-looking lines
    assert not FULL_ID.search(shown)
    code, out, err = run(["fmt", "dossiers/C000001.yaml"], clone, env)
    assert code == 0, out + err
    assert b"\r\n" not in dossier.read_bytes()
    git(["add", "-A"], clone, env)
    p = _commit(clone, env, "LF")
    assert p.returncode == 0, p.stdout + p.stderr


def test_verbs_write_lf_into_a_crlf_file(repo, env, run):
    dossier = repo / "dossiers" / "C000001.yaml"
    dossier.write_bytes(dossier.read_bytes().replace(b"\n", b"\r\n"))
    code, out, err = run(["file", "C000001", "--class", "10", "--title", "干部健康检查表", "--made", "2026.11.20",
                          "--pages", "2"], repo, env)
    assert code == 0, out + err
    raw = dossier.read_bytes()
    assert b"\r" not in raw and "干部健康检查表".encode() in raw
    assert "CRLF" in out  # said once, not as a diff of every line
    assert len([line for line in out.splitlines() if line.startswith("+")]) < 6, out


def test_the_format_hook_never_prints_a_full_id_number(hooked, env):
    dossier = hooked / "dossiers" / "C000001.yaml"
    text = dossier.read_text("utf-8")
    dossier.write_text(text.replace('身份证号: "142521197203150011"', "身份证号:   '142521197203150011'"), "utf-8")
    git(["add", "-A"], hooked, env)
    p = _commit(hooked, env, "未整理")
    shown = p.stdout + p.stderr
    assert p.returncode != 0 and "身份证号" in shown, shown
    assert not FULL_ID.search(shown), shown
