"""Roles on the central repository, through real pushes of SSH-signed commits: who may change what.

alice administers; bob is 市财政局's clerk (C000001 is 市财政局's); carol is 市教育局's. Every verdict is
judged by schema/roles.yaml and allowed_signers as they stood before the push.
"""

from __future__ import annotations

import subprocess

import pytest

from conftest import git
from server_helpers import amend_as, commit_as, people, push, remote_tip, roles_yaml
from test_check_cli import VALID_ID, sub, with_check
from test_history_git import DOSSIER

TRANSFER = """# 干部档案转递登记
- 通知单号: 长组转〔2026〕7号
  编号: C000001
  姓名: 王建国
  方向: 转出
  转往: {to}
  日期: "2026.11.20"
  方式: 机要交通
  回执日期: null
  经办人: 鲍勃
"""

BORROW = """- 登记号: 2026-001
  编号: C000001
  姓名: 王建国
  人员:
    - {{姓名: 李明, 单位: {unit}, 是否党员: true}}
    - {{姓名: 赵强, 单位: {unit}, 是否党员: true}}
  目的: 干部日常管理中熟悉了解干部
  审批: {{审批人: 张华, 日期: "2026.11.18"}}
  借出日期: "2026.11.19"
  应还日期: "2026.11.25"
  归还日期: null
  摘抄复制: false
  经办人: 李明
"""


@pytest.fixture
def office(tmp_path, run, env, repo):
    """The central repository after alice's first push (dossiers, schema, roles, allowed_signers)."""
    who = people(tmp_path)
    bare = tmp_path / "central.git"
    code, out, err = run(["server", "init", bare], tmp_path, env)
    assert code == 0, out + err
    git(["remote", "add", "origin", str(bare)], repo, env)
    (repo / "allowed_signers").write_text("".join(who[n].signer_line for n in ("alice", "bob", "carol")))
    (repo / "schema" / "roles.yaml").write_text(roles_yaml(
        [who["alice"].email], {"市委组织部": [who["alice"].email], "市财政局": [who["bob"].email],
                               "市教育局": [who["carol"].email]}), "utf-8")
    commit_as(repo, env, who["alice"], "中心库基线")
    p = push(repo, env, "main")
    assert p.returncode == 0, p.stderr
    return bare, who


def edit(repo, old: str, new: str, path: str = DOSSIER) -> None:
    (repo / path).write_bytes(sub(old, new)((repo / path).read_bytes()))


def test_a_clerk_changes_their_own_units_dossier(office, repo, env):
    bare, who = office
    edit(repo, "健康状况: 健康", "健康状况: 良好")
    tip = commit_as(repo, env, who["bob"], "更新健康状况")
    p = push(repo, env, "main")
    assert p.returncode == 0 and remote_tip(bare, env) == tip, p.stderr


def test_another_units_clerk_is_refused_and_the_administrator_is_not(office, repo, env):
    bare, who = office
    before = remote_tip(bare, env)
    edit(repo, "健康状况: 健康", "健康状况: 良好")
    commit_as(repo, env, who["carol"], "改别的单位的档案")
    p = push(repo, env, "main")
    assert p.returncode != 0 and remote_tip(bare, env) == before, p.stderr
    assert "P002" in p.stderr and "市财政局" in p.stderr and "carol@jyj.example.invalid" in p.stderr, p.stderr
    assert "规则：经办人只能改动管档单位是本单位的档案" in p.stderr
    tip = amend_as(repo, env, who["alice"])
    p = push(repo, env, "main")
    assert p.returncode == 0 and remote_tip(bare, env) == tip, p.stderr


def test_a_new_dossier_belongs_to_the_unit_it_names(office, repo, env):
    _bare, who = office
    raw = (repo / DOSSIER).read_bytes().replace("编号: C000001".encode(), "编号: C000002".encode())
    (repo / "dossiers" / "C000002.yaml").write_bytes(raw)  # 管档单位: 市财政局 — not carol's
    commit_as(repo, env, who["carol"], "新建档案")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "P002" in p.stderr and "C000002" in p.stderr, p.stderr


@pytest.mark.parametrize("path,what", [
    ("allowed_signers", "签名密钥登记"),
    ("schema/dossier.schema.json", "schema"),
    ("schema/roles.yaml", "角色"),
    ("schema/policy.yaml", "政策文件"),
    (".pre-commit-config.yaml", "提交前钩子"),
    ("scripts/dangan/history/guard.py", "检查与留痕的程序"),
])
def test_only_an_administrator_changes_the_rules(office, repo, env, path, what):
    bare, who = office
    before = remote_tip(bare, env)
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if path == "allowed_signers":  # F5: a registered signer enrols a new key
        target.write_text(target.read_text() + who["mallory"].signer_line)
    elif path == "schema/dossier.schema.json":  # F14: the schema weakened
        import json

        schema = json.loads(target.read_text("utf-8"))
        schema["required"] = ["编号"]
        target.write_text(json.dumps(schema, ensure_ascii=False, indent=2), "utf-8")
    elif path == "schema/roles.yaml":  # bob makes himself an administrator
        target.write_text(target.read_text("utf-8").replace("管理员:\n", f"管理员:\n  - {who['bob'].email}\n"), "utf-8")
    elif path == "schema/policy.yaml":
        target.write_text(target.read_text("utf-8").replace("入党: 18", "入党: 17"), "utf-8")
    else:
        target.write_text("ALWAYS = frozenset()\n" if path.endswith(".py") else "repos: []\n", "utf-8")
    commit_as(repo, env, who["bob"], f"改动 {path}")
    p = push(repo, env, "main")
    assert p.returncode != 0 and remote_tip(bare, env) == before, p.stderr
    assert "P001" in p.stderr and path in p.stderr and what in p.stderr, p.stderr
    assert "规则：仓库的规则和程序只由管理员改动" in p.stderr
    # the administrator's same change goes through
    amend_as(repo, env, who["alice"])
    p = push(repo, env, "main")
    assert "P001" not in p.stderr, p.stderr


def test_a_key_enrolled_by_a_clerk_never_gets_in(office, repo, env):
    """F5 end to end: bob's enrolment is refused, so mallory's own push is refused too."""
    bare, who = office
    before = remote_tip(bare, env)
    (repo / "allowed_signers").write_text((repo / "allowed_signers").read_text() + who["mallory"].signer_line)
    commit_as(repo, env, who["bob"], "登记新密钥")
    edit(repo, "健康状况: 健康", "健康状况: 良好")
    commit_as(repo, env, who["mallory"], "马洛里的改动")
    p = push(repo, env, "main")
    assert p.returncode != 0 and remote_tip(bare, env) == before
    assert "P001" in p.stderr and "P005" in p.stderr, p.stderr  # mallory's key counts for nobody


def test_unsigned_commits_act_for_the_pusher(office, repo, env):
    """Not signed: the commit is the pusher's; a local-path push is named as such and holds no role."""
    _bare, who = office
    edit(repo, "健康状况: 健康", "健康状况: 良好")
    commit_as(repo, env, who["bob"], "未签名", sign=False)
    p = push(repo, env, "main")
    assert p.returncode != 0 and "P005" in p.stderr and "推送人 本地:" in p.stderr, p.stderr


def test_a_transfer_to_another_unit_is_the_senders_act_as_the_ledger_says(office, repo, env):
    bare, who = office
    edit(repo, "管档单位: 市财政局", "管档单位: 市教育局")
    commit_as(repo, env, who["bob"], "转往市教育局（未登记）")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "P002" in p.stderr and "转往 市教育局" in p.stderr, p.stderr
    (repo / "ledgers").mkdir(exist_ok=True)
    (repo / "ledgers" / "转递.yaml").write_text(TRANSFER.format(to="市教育局"), "utf-8")
    tip = amend_as(repo, env, who["bob"])
    p = push(repo, env, "main")
    assert p.returncode == 0 and remote_tip(bare, env) == tip, p.stderr
    # now it is 市教育局's: carol may change it, bob may not
    edit(repo, "健康状况: 健康", "健康状况: 良好")
    commit_as(repo, env, who["bob"], "已转出后又改")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "P002" in p.stderr and "市教育局" in p.stderr, p.stderr
    amend_as(repo, env, who["carol"])
    assert push(repo, env, "main").returncode == 0


def test_a_transfer_ledger_entry_names_the_wrong_receiver(office, repo, env):
    _bare, who = office
    edit(repo, "管档单位: 市财政局", "管档单位: 市教育局")
    (repo / "ledgers").mkdir(exist_ok=True)
    (repo / "ledgers" / "转递.yaml").write_text(TRANSFER.format(to="市卫生健康委员会"), "utf-8")
    commit_as(repo, env, who["bob"], "登记与改动不符")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "P002" in p.stderr, p.stderr


def test_ledger_entries_belong_to_the_unit_holding_the_dossier(office, repo, env):
    _bare, who = office
    (repo / "ledgers").mkdir(exist_ok=True)
    (repo / "ledgers" / "借阅.yaml").write_text(BORROW.format(unit="市教育局"), "utf-8")
    commit_as(repo, env, who["carol"], "登记借阅别单位的档案")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "P003" in p.stderr and "C000001" in p.stderr and "市财政局" in p.stderr, p.stderr
    amend_as(repo, env, who["bob"])
    p = push(repo, env, "main")
    assert "P003" not in p.stderr, p.stderr


def test_a_merge_answers_only_for_what_it_changes_itself(office, repo, env):
    """carol merges bob's signed work: accepted. An evil merge (carol's own edit inside it): refused."""
    bare, who = office
    base = git(["rev-parse", "HEAD"], repo, env).stdout.strip()
    edit(repo, "健康状况: 健康", "健康状况: 良好")
    commit_as(repo, env, who["bob"], "鲍勃的改动")
    git(["checkout", "-q", "-b", "jyj", base], repo, env)
    raw = (repo / DOSSIER).read_bytes().replace("编号: C000001".encode(), "编号: C000003".encode())
    raw = raw.replace(VALID_ID.encode(), with_check("14252119720315003").encode())
    (repo / "dossiers" / "C000003.yaml").write_bytes(raw.replace("管档单位: 市财政局".encode(), "管档单位: 市教育局".encode()))
    commit_as(repo, env, who["carol"], "卡罗尔的新档案")
    clean = merge_as(repo, env, who["carol"], "main")
    p = push(repo, env, "jyj:main")
    assert p.returncode == 0 and remote_tip(bare, env) == clean, p.stderr
    # the evil merge: carol's own change to C000001 inside the merge commit
    edit(repo, "健康状况: 良好", "健康状况: 一般")
    commit_as(repo, env, who["bob"], "鲍勃又改")
    git(["checkout", "-q", "jyj"], repo, env)
    (repo / "dossiers" / "C000003.yaml").write_bytes(sub("健康状况: 健康", "健康状况: 良好")(
        (repo / "dossiers" / "C000003.yaml").read_bytes()))
    commit_as(repo, env, who["carol"], "卡罗尔再改")
    merge_as(repo, env, who["carol"], "main", no_commit=True)
    edit(repo, "健康状况: 一般", "健康状况: 较差")  # carol's own edit of 市财政局's dossier, inside the merge
    commit_as(repo, env, who["carol"], "合并")
    p = push(repo, env, "jyj:main")
    assert p.returncode != 0 and "P002" in p.stderr and "C000001" in p.stderr, p.stderr


def merge_as(repo, env, person, branch, no_commit=False) -> str:
    args = ["git", *person.config(), "merge", "-q", "--no-verify", "--no-ff", "-S", "-m", "合并", branch]
    if no_commit:
        args.insert(-1, "--no-commit")
    p = subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    return git(["rev-parse", "HEAD"], repo, env).stdout.strip()


def test_the_first_push_is_judged_by_its_own_roles(tmp_path, run, env, repo):
    who = people(tmp_path)
    bare = tmp_path / "central.git"
    run(["server", "init", bare], tmp_path, env)
    git(["remote", "add", "origin", str(bare)], repo, env)
    (repo / "allowed_signers").write_text("".join(who[n].signer_line for n in ("alice", "bob")))
    (repo / "schema" / "roles.yaml").write_text(roles_yaml([who["alice"].email], {"市财政局": [who["bob"].email]}),
                                                "utf-8")
    commit_as(repo, env, who["bob"], "基线由经办人推送")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "P001" in p.stderr and remote_tip(bare, env) is None, p.stderr


def test_an_invalid_roles_file_is_refused(office, repo, env, run):
    _bare, who = office
    roles = repo / "schema" / "roles.yaml"
    roles.write_text(roles.read_text("utf-8").replace("管理员:\n", "管理员: 张三\n旧管理员:\n"), "utf-8")
    code, out, _ = run(["check"], repo, env)
    assert code == 1 and "schema/roles.yaml:" in out, out
    commit_as(repo, env, who["alice"], "角色写错")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "P008" in p.stderr and "schema/roles.yaml:" in p.stderr, p.stderr
