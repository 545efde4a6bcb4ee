"""The alteration trail on real Git repositories: hooks, --no-verify, rewrites, renames, signatures."""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import FULL_ID, git, valid_bytes
from test_check_cli import OTHER_ID, VALID_ID, sub
from test_precommit import commit, first_commit, head

DOSSIER = "dossiers/C000001.yaml"
DETERMINATION = (
    "认定记录:\n"
    "  - 项目: 出生年月\n"
    "    原值: \"1972.03\"\n"
    "    认定值: \"1972.05\"\n"
    "    依据: [\"1-1\", \"6-1\"]\n"
    "    认定机关: 中共长治市委组织部\n"
    "    认定日期: \"2026.11.20\"\n"
    "    文号: 长组审〔2026〕3号\n")


def birth(raw: bytes, month: str = "1972.05") -> bytes:
    return sub('出生年月: "1972.03"', f'出生年月: "{month}"')(raw)


def authorised(raw: bytes) -> bytes:
    return sub("认定记录: []\n", DETERMINATION)(birth(raw))


def write_commit(repo, env, message, raw: bytes | None = None, path=DOSSIER, *extra):
    if raw is not None:
        (repo / path).write_bytes(raw)
    git(["add", "-A"], repo, env)
    p = commit(repo, env, message, *extra)
    assert p.returncode == 0, p.stdout + p.stderr
    return head(repo, env)


def audit(run, repo, env, *args):
    code, out, err = run(["audit", *args], repo, env)
    assert "Traceback" not in out + err and not FULL_ID.search(out + err)
    return code, out, err


def test_authorised_change_passes_the_hook_and_the_audit(hooked, env, run):
    first_commit(hooked, env)
    (hooked / DOSSIER).write_bytes(authorised(valid_bytes()))
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "认定出生年月\n\n认定文号: 长组审〔2026〕3号")
    out = p.stdout + p.stderr
    assert p.returncode == 0, out
    assert "留痕核对" in out and "Failed" not in out
    code, out, err = audit(run, hooked, env)
    assert code == 0, out + err
    assert "C000001" in out and "出生年月：1972.03 → 1972.05" in out and "已认定" in out
    assert "提交说明中的认定文号相符" in out
    code, out, _ = audit(run, hooked, env, "--format", "json")
    [item] = json.loads(out)["问题"]
    assert item["变动"]["字段"] == "出生年月" and item["变动"]["已认定"] is True and not item["严重"]


def test_unauthorised_change_is_refused_by_the_hook_and_caught_after_no_verify(hooked, env, run):
    before = first_commit(hooked, env)
    (hooked / DOSSIER).write_bytes(birth(valid_bytes()))
    git(["add", "-A"], hooked, env)
    p = commit(hooked, env, "改出生年月")
    out = p.stdout + p.stderr
    assert p.returncode != 0 and head(hooked, env) == before
    line = next(x for x in out.splitlines() if x.startswith("留痕核对"))
    assert line.endswith(".未通过"), out  # the audit section of the one dangan hook
    assert "T001 C000001  出生年月：1972.03 → 1972.05  未经认定的改动" in out
    p = commit(hooked, env, "改出生年月", "--no-verify")
    assert p.returncode == 0
    code, out, err = audit(run, hooked, env)
    assert code == 1
    [line] = [x for x in out.splitlines() if x.startswith("T001")]
    assert "C000001" in line and "出生年月" in line and head(hooked, env)[:10] in line and "测试员" in line
    assert "签名：N 无签名" in line
    assert "需要处理的问题 1 个" in err


def test_history_rewrite_is_reported(repo, env, run, tmp_path):
    git(["init", "-q", "--bare", str(tmp_path / "origin.git")], repo, env)
    git(["remote", "add", "origin", str(tmp_path / "origin.git")], repo, env)
    write_commit(repo, env, "初始档案")
    lost = write_commit(repo, env, "改出生年月", birth(valid_bytes()))
    git(["push", "-q", "origin", "main"], repo, env)  # shared: rewriting it now is rewriting history
    assert audit(run, repo, env)[0] == 1  # the index now holds the alteration
    git(["reset", "-q", "--hard", "HEAD~1"], repo, env)  # what a force push does to the shared branch
    write_commit(repo, env, "另一个提交", sub("健康状况: 健康", "健康状况: 一般")(valid_bytes()))
    git(["push", "-q", "-f", "origin", "main"], repo, env)
    code, out, _ = audit(run, repo, env)
    assert code == 1
    [line] = [x for x in out.splitlines() if x.startswith("T004")]
    assert "历史被改写" in line and lost[:10] in line and "C000001" in line
    assert audit(run, repo, env)[1].count("T004") == 1  # reported again on every run, once


def test_trail_follows_renames_oldest_first(repo, env, run):
    write_commit(repo, env, "初始档案")
    git(["mv", DOSSIER, "dossiers/C000002.yaml"], repo, env)
    write_commit(repo, env, "改编号", sub("编号: C000001", "编号: C000002")(valid_bytes()), "dossiers/C000002.yaml")
    write_commit(repo, env, "认定出生年月", authorised(sub("编号: C000001", "编号: C000002")(valid_bytes())),
                 "dossiers/C000002.yaml")
    code, out, err = run(["trail", "C000002"], repo, env)
    assert code == 0, err
    lines = out.splitlines()
    order = [next(i for i, x in enumerate(lines) if key in x)
             for key in ("新建档案 dossiers/C000001.yaml", "文件改名：dossiers/C000001.yaml → dossiers/C000002.yaml",
                         "★ 出生年月：1972.03 → 1972.05")]
    assert order == sorted(order)
    assert "已认定" in lines[order[2]]
    code, out, _ = run(["trail", "C000002", "--format", "json"], repo, env)
    history = json.loads(out)["历史"]
    assert [h["操作"] for h in history] == ["新建", "改名", "修改"]
    code, _out, err = run(["trail", "C999999"], repo, env)
    assert code == 2 and "没有编号为 C999999 的档案" in err


def test_unparseable_old_version_is_reported_not_crashed_on(repo, env, run):
    write_commit(repo, env, "初始档案")
    broken = sub("姓名: 王建国", "姓名:\t王建国")(valid_bytes())
    write_commit(repo, env, "弄坏了", broken)
    write_commit(repo, env, "修好并改出生年月", birth(valid_bytes()))
    code, out, _ = audit(run, repo, env)
    assert code == 1
    t005 = [x for x in out.splitlines() if x.startswith("T005")]
    assert len(t005) == 2 and any("旧版本无法解析" in x and "L006" in x for x in t005)
    assert any(x.startswith("T003") and "L006" in x for x in out.splitlines())  # the broken commit skipped the hook
    code, out, _ = run(["trail", "C000001"], repo, env)
    assert code == 0 and "无法解析" in out


def test_schema_error_committed_without_hooks_is_a_bypass(repo, env, run):
    write_commit(repo, env, "初始档案")
    sha = write_commit(repo, env, "民族写错", sub("民族: 汉族", "民族: 汉")(valid_bytes()))
    code, out, _ = audit(run, repo, env)
    assert code == 1
    [line] = [x for x in out.splitlines() if x.startswith("T003")]
    assert "S005" in line and sha[:10] in line and "提交前检查被跳过" in line


def test_deleted_dossier_needs_a_transfer_record(repo, env, run):
    other = sub("编号: C000001", "编号: C000002")(sub(VALID_ID, OTHER_ID)(valid_bytes()))
    (repo / "dossiers" / "C000002.yaml").write_bytes(other)
    write_commit(repo, env, "初始档案")
    git(["rm", "-q", "dossiers/C000002.yaml"], repo, env)
    write_commit(repo, env, "删档案")
    code, out, _ = audit(run, repo, env)
    assert code == 1 and "T002 C000002" in out and "没有该档案的转出记录" in out
    # the documented way: the ledger entry and the deletion in one commit
    (repo / "ledgers").mkdir()
    (repo / "ledgers" / "转递.yaml").write_text("- {编号: C000001, 方向: 转出, 转往: 省委组织部}\n", "utf-8")
    git(["rm", "-q", DOSSIER], repo, env)
    write_commit(repo, env, "转出 C000001")
    code, out, _ = audit(run, repo, env)
    assert "T002 C000002" in out and "T002 C000001" not in out


def test_signed_and_unsigned_commits_are_told_apart(repo, env, run, tmp_path):
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "tester", "-f", str(key)], check=True)
    signers = tmp_path / "allowed_signers"
    signers.write_text(f"tester@example.invalid {(tmp_path / 'key.pub').read_text()}")
    for k, v in (("gpg.format", "ssh"), ("user.signingkey", str(key)), ("gpg.ssh.allowedSignersFile", str(signers))):
        git(["config", k, v], repo, env)
    write_commit(repo, env, "初始档案")
    signed = write_commit(repo, env, "签名提交", birth(valid_bytes()), DOSSIER, "-S")
    unsigned = write_commit(repo, env, "未签名提交", birth(valid_bytes(), "1972.06"))
    code, out, _ = audit(run, repo, env, "--format", "json")
    assert code == 1
    sig = {i["提交"]: i["签名"] for i in json.loads(out)["问题"] if i["代码"] == "T001"}
    assert sig == {signed: "G 有效签名", unsigned: "N 无签名"}


def test_diff_for_the_reviewer_and_the_git_diff_driver(repo, env, run):
    write_commit(repo, env, "初始档案")
    raw = birth(valid_bytes()).replace(
        b"\n\xe8\xae\xa4\xe5\xae\x9a\xe8\xae\xb0\xe5\xbd\x95:",  # 认定记录:
        '\n  - {类号: "10", 序号: 2, 材料名称: 干部健康检查表, 形成时间: "2026.10.10", 页数: 2, 接收时间: "2026.10.20"}\n认定记录:'.encode())
    (repo / DOSSIER).write_bytes(raw)
    code, out, _ = run(["diff"], repo, env)
    assert code == 1
    assert "★ 出生年月：1972.03 → 1972.05    ✗ 未经认定的改动" in out
    assert "新归档材料 1 份：10-2《干部健康检查表》" in out
    (repo / ".gitattributes").write_text("dossiers/*.yaml diff=dangan\n", "utf-8")
    git(["config", "diff.dangan.textconv", f"{run.__globals__['DANGAN']} textconv"], repo, env)
    out = git(["diff"], repo, env).stdout
    assert "-出生年月: 1972.03" in out and "+出生年月: 1972.05" in out
    assert "+档案目录 10-2: “干部健康检查表”" in out
    assert not FULL_ID.search(out)
    write_commit(repo, env, "改出生年月")
    code, out, _ = run(["diff", "HEAD~1..HEAD"], repo, env)
    assert code == 1 and "✗" in out


def test_usage_errors_are_chinese_and_exit_2(repo, env, run):
    code, _out, err = run(["audit"], repo, env)
    assert code == 0 and "没有改动受保护的字段" in err  # no commits yet
    write_commit(repo, env, "初始档案")
    code, _out, err = run(["audit", "nosuchbranch..HEAD"], repo, env)
    assert code == 2 and "无法识别的提交范围" in err and "Traceback" not in err
    code, _out, err = run(["audit", "--staged", "HEAD"], repo, env)
    assert code == 2
    (repo / ".git").rename(repo / "git-moved")
    code, _out, err = run(["audit"], repo, env)
    assert code == 2 and "不是 Git 仓库" in err


def test_rerun_reads_only_new_commits(repo, env, run):
    write_commit(repo, env, "初始档案")
    write_commit(repo, env, "改出生年月", birth(valid_bytes()))
    first = audit(run, repo, env)
    index = repo / ".git" / "dangan" / "trail-index.json"
    assert index.is_file()
    stamp = index.stat().st_mtime_ns
    assert audit(run, repo, env) == first and index.stat().st_mtime_ns == stamp  # nothing new: nothing written
    git(["checkout", "-q", "-b", "other", "HEAD~1"], repo, env)  # a branch switch
    code, out, _ = audit(run, repo, env)
    assert code == 0 and "T001" not in out
    git(["checkout", "-q", "main"], repo, env)
    assert audit(run, repo, env)[1] == first[1]


@pytest.mark.parametrize("staged", [True, False])
def test_staged_audit_sees_only_the_index(repo, env, run, staged):
    write_commit(repo, env, "初始档案")
    (repo / DOSSIER).write_bytes(birth(valid_bytes()))
    if staged:
        git(["add", DOSSIER], repo, env)
    code, out, _ = audit(run, repo, env, "--staged")
    assert code == (1 if staged else 0)
    assert ("T001 C000001" in out) == staged


def test_check_reads_the_same_item_syntax_r211(repo, env, run):
    bad = sub("认定记录: []\n", DETERMINATION.replace("项目: 出生年月", "项目: 学历学位[0].毕业时间"))(valid_bytes())
    (repo / DOSSIER).write_bytes(bad)
    code, out, _ = run(["check", DOSSIER], repo, env)
    assert code == 1 and "R211" in out and "从 1 起的序数" in out


def test_the_api_the_site_reads(repo, env):
    from dangan.history import api
    from dangan.repo import Repo

    r = Repo(repo)
    assert api.history(r) == [] and not api.available(r)
    write_commit(repo, env, "初始档案")
    write_commit(repo, env, "改出生年月", birth(valid_bytes()))
    [(record, dossier, change)] = api.unauthorised(r)
    assert (dossier.number, change.ref, record.subject) == ("C000001", "出生年月", "改出生年月")
    assert [c.subject for c in api.recent(r)] == ["改出生年月", "初始档案"]
    assert [len(c.dossiers[0].changes) for c in api.dossier_trail(r, "C000001")] == [0, 1]


def test_textconv_shows_an_unparseable_file_as_text(repo, env, run):
    path = repo / "broken.yaml"
    path.write_bytes("编号: C000001\n姓名:\t王建国\n身份证号: \"142521197203150011\"\n".encode())
    code, out, _ = run(["textconv", path], repo, env)
    assert code == 0 and "无法解析" in out and "L006" in out and not FULL_ID.search(out)


def test_deep_audit_runs_the_whole_check_on_each_version(repo, env, run):
    write_commit(repo, env, "初始档案")
    # a unit not in the policy's register: a rule error, not a schema one (and not a protected field)
    write_commit(repo, env, "管档单位录错", sub("管档单位: 市财政局", "管档单位: 市财政厅")(valid_bytes()))
    code, out, _ = audit(run, repo, env)
    assert code == 0 and "T003" not in out
    code, out, _ = audit(run, repo, env, "--deep")
    assert code == 1 and "T003" in out and "R105" in out


def test_a_dossier_sent_with_dangan_transfer_out_is_a_documented_deletion(repo, env, run):
    """The contract with the 转递 ledger: ledgers/转递.yaml holds {编号, 方向: 转出} for a deleted dossier."""
    write_commit(repo, env, "初始档案")
    code, out, err = run(["transfer", "out", "C000001", "--to", "省财政厅", "--notice", "长组档转〔2026〕15号",
                          "--via", "机要交通"], repo, env)
    assert code == 0, out + err
    git(["add", "-A"], repo, env)
    assert audit(run, repo, env, "--staged")[0] == 0
    write_commit(repo, env, "转出 C000001")
    code, out, _ = audit(run, repo, env)
    assert code == 0 and "T002" not in out
