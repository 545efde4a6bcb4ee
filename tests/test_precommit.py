"""The real pre-commit framework with the project's own hook configuration, in a throw-away repository."""

from __future__ import annotations

import os
import shutil
import subprocess

from conftest import FULL_ID, PROJECT, git, valid_bytes
from test_check_cli import OTHER_ID, VALID_ID, sub


def commit(repo, env, message: str, *extra) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "commit", "-m", message, *extra], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=300)


def head(repo, env) -> str | None:
    p = git(["rev-parse", "--verify", "-q", "HEAD"], repo, env, check=False)
    return p.stdout.strip() or None


def first_commit(repo, env):
    git(["add", "-A"], repo, env)
    p = commit(repo, env, "初始档案")
    assert p.returncode == 0, p.stdout + p.stderr
    return head(repo, env)


SECTIONS = ("档案检查", "跨档案检查", "档案格式", "留痕核对", "登记簿检查", "领导班子检查")


def sections(out: str) -> dict[str, str]:
    """The status of each check of the one dangan hook, by the name its own hook had: 通过, 未通过 or 跳过."""
    found = {}
    for line in out.splitlines():
        for name in SECTIONS:
            if line.startswith(name + "（"):
                found[name] = line.rstrip(".").rsplit(".", 1)[-1].split("（")[0]
    return found


def test_valid_dossier_is_committed(hooked, env):
    assert head(hooked, env) is None
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "初始档案")
    out = p.stdout + p.stderr
    assert p.returncode == 0, out
    assert head(hooked, env) is not None
    # one dangan hook ran all six checks, each reported under its name; only the ledger check had nothing to check
    assert sections(out) == {"档案检查": "通过", "跨档案检查": "通过", "档案格式": "通过", "留痕核对": "通过",
                             "登记簿检查": "跳过", "领导班子检查": "通过"}, out
    assert "Passed" in out and "Failed" not in out
    assert out.count("- hook id:") == 1 and "- hook id: dangan\n" in out  # one process, not one per check
    # only the code hook may skip: this commit touches no Python code
    assert [line for line in out.splitlines() if "Skipped" in line and "程序代码" not in line] == []
    assert git(["ls-files", "dossiers"], hooked, env).stdout.split() == ["dossiers/C000001.yaml"]
    # pre-commit set up nothing from the network: its home holds no cloned hook repositories
    home = env["PRE_COMMIT_HOME"]
    assert os.path.isdir(home)  # it used the home we gave it, not ~/.cache/pre-commit
    assert not [d for d in os.listdir(home) if d.startswith("repo")]


def test_invalid_dossier_is_refused(hooked, env):
    before = first_commit(hooked, env)
    path = hooked / "dossiers" / "C000001.yaml"
    path.write_bytes(sub("民族: 汉族", "民族: 汉")(valid_bytes()))
    git(["add", "dossiers/C000001.yaml"], hooked, env)
    p = commit(hooked, env, "改民族")
    out = p.stdout + p.stderr
    assert p.returncode != 0
    assert head(hooked, env) == before  # nothing committed
    assert "dossiers/C000001.yaml:6:5: 错误 S005" in out
    assert "汉族" in out and "不是规定的写法" in out
    assert "Failed" in out and sections(out)["档案检查"] == "未通过"
    assert sections(out)["跨档案检查"] == "通过" and sections(out)["登记簿检查"] == "跳过"
    assert "Traceback" not in out and not FULL_ID.search(out)
    # the change is still staged, for the clerk to fix
    assert git(["diff", "--cached", "--name-only"], hooked, env).stdout.split() == ["dossiers/C000001.yaml"]


def test_unreadable_dossier_is_refused(hooked, env):
    before = first_commit(hooked, env)
    (hooked / "dossiers" / "C000002.yaml").write_bytes("编号: C000002\n姓名: 王建国\n".encode("gbk"))
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "新档案")
    out = p.stdout + p.stderr
    assert p.returncode != 0
    assert head(hooked, env) == before
    assert "dossiers/C000002.yaml:1:1: 错误 L004" in out and "GBK" in out


def test_duplicate_number_is_refused_by_cross_hook(hooked, env):
    before = first_commit(hooked, env)
    # C000001.yml passes the per-file hook (file name = 编号), only the cross-file hook can see the duplicate
    raw = sub(VALID_ID, OTHER_ID)(valid_bytes())
    (hooked / "dossiers" / "C000001.yml").write_bytes(raw)
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "重复编号")
    out = p.stdout + p.stderr
    assert p.returncode != 0, out
    assert head(hooked, env) == before
    assert sections(out)["档案检查"] == "通过" and sections(out)["跨档案检查"] == "未通过", out
    assert "dossiers/C000001.yaml:2:" in out and "dossiers/C000001.yml:2:" in out
    assert "X001" in out and "编号“C000001”重复" in out


def test_no_verify_bypasses_the_hooks_and_check_catches_it(hooked, env, run):
    before = first_commit(hooked, env)
    (hooked / "dossiers" / "C000001.yaml").write_bytes(sub("民族: 汉族", "民族: 汉")(valid_bytes()))
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "跳过检查", "--no-verify")
    assert p.returncode == 0, p.stdout + p.stderr
    assert head(hooked, env) != before
    assert "档案检查" not in p.stdout + p.stderr  # the hooks did not run
    # what CI runs on the pushed tree catches it
    code, out, _err = run(["check"], hooked, env)
    assert code == 1 and "S005" in out


def test_project_code_is_linted_by_ruff(hooked, env):
    """The project's own Python code passes ruff before it is committed (a local hook, no download)."""
    from conftest import PROJECT

    first_commit(hooked, env)
    shutil.copy2(PROJECT / "scripts" / "run-tool", hooked / "scripts" / "run-tool")
    code = hooked / "scripts" / "tool.py"
    code.write_text("import os\n\n\ndef f():\n    return 1\n", encoding="utf-8")
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "加一个脚本")
    assert p.returncode != 0 and "F401" in p.stdout + p.stderr, p.stdout + p.stderr
    code.write_text("def f():\n    return 1\n", encoding="utf-8")
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "加一个脚本")
    assert p.returncode == 0 and "程序代码检查" in p.stdout + p.stderr, p.stdout + p.stderr


def test_a_ledger_problem_is_refused_under_the_ledger_check(hooked, env, run):
    """The ledger check runs when ledgers/ changes; its finding and the dossier's are both shown, each under its
    own check, and the command exits with the worst of them."""
    first_commit(hooked, env)
    (hooked / "ledgers").mkdir()
    (hooked / "ledgers" / "查阅.yaml").write_text(
        '- 登记号: "2026-001"\n  编号: C000001\n  姓名: 王建国\n'  # the cadre reads his own dossier: G101
        "  人员: [{姓名: 王建国, 单位: 市财政局, 是否党员: true}, {姓名: 刘洋, 单位: 市委组织部, 是否党员: true}]\n"
        "  目的: 干部录用、聘用、考核、考察、任免、调配、职级晋升等\n"
        '  审批: {审批人: 李明, 审批日期: "2026.11.08"}\n  查阅日期: "2026.11.09"\n  摘抄复制: false\n  经办人: 张档案\n',
        "utf-8")
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "登记查阅")
    out = p.stdout + p.stderr
    assert p.returncode != 0, out
    assert sections(out)["登记簿检查"] == "未通过" and "G101" in out, out
    assert sections(out)["档案检查"] == "跳过" and sections(out)["留痕核对"] == "通过", out
    # the same through the command itself, with a bad dossier too: both refused, each under its name, exit 1
    (hooked / "dossiers" / "C000001.yaml").write_bytes(sub("民族: 汉族", "民族: 汉")(valid_bytes()))
    git(["add", "-A"], hooked, env)
    code, out, err = run(["pre-commit", "dossiers/C000001.yaml", "ledgers/查阅.yaml"], hooked, env)
    assert code == 1, out + err
    assert sections(out) == {"档案检查": "未通过", "跨档案检查": "通过", "档案格式": "通过", "留痕核对": "通过",
                             "登记簿检查": "未通过", "领导班子检查": "通过"}, out
    assert out.index("档案检查（") < out.index("S005") < out.index("跨档案检查（") < out.index("登记簿检查（") \
        < out.index("G101") < out.index("领导班子检查（")
    # the old commands are still there, with their own exit codes
    assert run(["ledger", "check", "-q"], hooked, env)[0] == 1
    assert run(["check", "-q", "dossiers/C000001.yaml"], hooked, env)[0] == 1


def test_the_hook_configuration_is_one_dangan_hook_and_generate_writes_it(tmp_path, env, run):
    """The project runs one dangan hook (and ruff on its own code); `dangan generate` writes the same dangan hook
    into a new repository, without the code hook it has nothing for, and a first commit there passes it."""
    import yaml

    from conftest import BIN, PROJECT

    def hooks(path):
        return [h for r in yaml.safe_load(path.read_text("utf-8"))["repos"] for h in r["hooks"]]

    project = hooks(PROJECT / ".pre-commit-config.yaml")
    assert [h["id"] for h in project] == ["dangan", "ruff"]
    [dangan] = [h for h in project if h["id"] == "dangan"]
    assert dangan["entry"] == "scripts/run-dangan pre-commit" and dangan["always_run"] and dangan["require_serial"]
    out = tmp_path / "generated"
    code, _out, err = run(["generate", "--count", "3", "--out", str(out), "--seed", "2"], tmp_path, env)
    assert code == 0, err
    assert hooks(out / ".pre-commit-config.yaml") == [dangan]
    git(["init", "-q"], out, env)
    for key, value in (("user.name", "测试员"), ("user.email", "tester@example.invalid"), ("commit.gpgsign", "false")):
        git(["config", key, value], out, env)
    p = subprocess.run([str(BIN / "pre-commit"), "install"], cwd=out, env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    git(["add", "-A"], out, env)
    p = commit(out, env, "演示档案")
    assert p.returncode == 0, p.stdout + p.stderr
    assert set(sections(p.stdout + p.stderr)) == set(SECTIONS) and "Skipped" not in p.stdout + p.stderr


def test_the_hook_process_ends_at_once_with_all_it_printed_and_its_exit_code(hooked, env, run):
    """Started by pre-commit (PRE_COMMIT=1), ``dangan pre-commit`` ends with os._exit rather than tearing the
    interpreter down (issue 21): what it wrote into the pipe and its exit code are those of a run by hand."""
    first_commit(hooked, env)
    (hooked / "dossiers" / "C000001.yaml").write_bytes(sub("民族: 汉族", "民族: 汉")(valid_bytes()))
    git(["add", "-A"], hooked, env)
    by_hand = run(["pre-commit", "dossiers/C000001.yaml"], hooked, env)
    as_hook = run(["pre-commit", "dossiers/C000001.yaml"], hooked, {**env, "PRE_COMMIT": "1"})
    assert by_hand[0] == as_hook[0] == 1, as_hook
    assert "S005" in as_hook[1] and sections(as_hook[1])["领导班子检查"] == "通过", as_hook  # the last line too
    assert as_hook[1:] == by_hand[1:]


def test_a_commit_of_many_files_checks_the_repository_once(hooked, env):
    """pre-commit hands a hook ~128 KB of file names at a time, so a large commit runs it in batches: the per-file
    checks see their batch, the whole-repository checks run in the first batch only — and what they refuse is
    still refused."""
    first_commit(hooked, env)
    folder = hooked / "ledgers" / "附件" / ("说明" * 30)
    folder.mkdir(parents=True)
    for i in range(1200):  # long names: three batches without thousands of dossiers to check
        (folder / f"{'附件' * 15}-{i:04d}.txt").write_text("附件\n", "utf-8")
    path = hooked / "dossiers" / "C000001.yaml"
    path.write_text(path.read_text("utf-8").replace('出生年月: "1972.03"', '出生年月: "1972.05"', 1), "utf-8")
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "附件与出生年月")
    out = p.stdout + p.stderr
    assert p.returncode != 0 and out.count("T001") == 1, out
    audits = [line for line in out.splitlines() if line.startswith("留痕核对（")]
    assert len(audits) >= 2, out  # it did run in batches
    assert audits[0].endswith(".未通过") and all(a.endswith("（这次提交的前一批已检查）") for a in audits[1:]), out
    # a run by hand always checks everything
    for _ in range(2):
        p = subprocess.run([str(PROJECT / "scripts" / "run-dangan"), "pre-commit"], cwd=hooked, env=env,
                           capture_output=True, text=True)
        assert p.returncode == 1 and "T001" in p.stdout, p.stdout + p.stderr
