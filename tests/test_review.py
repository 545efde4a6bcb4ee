"""dangan review (任前审核): the real CLI in a throw-away repository, DANGAN_TODAY injected."""

from __future__ import annotations

import json
import re

from review_helpers import commit, edit

DOSSIER = "dossiers/C000001.yaml"


def test_clean_dossier_passes(repo, env, run):
    commit(repo, env, "建档")
    code, out, err = run(["review", "C000001"], repo, env)
    assert code == 0, out + err
    assert "审核结论：通过" in out
    for fact in ("出生年月", "参加工作时间", "入党时间", "学历学位", "工作经历", "干部身份", "家庭成员"):
        assert f"【{fact}】" in out
    assert "最早记录：4-1-1 高中毕业生登记表（1990.07）" in out  # the earliest self-filled record for the birth month
    assert "审核人（签字）" in out


def test_json_lists_seven_facts_and_verdict(repo, env, run):
    commit(repo, env, "建档")
    code, out, _ = run(["review", "C000001", "--format", "json"], repo, env)
    doc = json.loads(out)
    assert code == 0 and doc["结论"] == "通过" and doc["理由"] == []
    assert [f["项目"] for f in doc["关键信息"]] == ["出生年月", "参加工作时间", "入党时间", "学历学位", "工作经历",
                                                  "干部身份", "家庭成员"]
    assert doc["审核日期"] == "2026.11.25"


def test_unauthorised_alteration_holds(repo, env, run):
    """An alteration of a protected field committed past the hook (--no-verify) → 暂缓, exit 1."""
    commit(repo, env, "建档")
    edit(repo / DOSSIER, "毕业院校: 山西财经学院", "毕业院校: 北京大学")
    commit(repo, env, "改学历")
    code, out, _ = run(["review", "C000001"], repo, env)
    assert code == 1
    assert "审核结论：暂缓" in out
    assert "✗ 未经认定" in out and "山西财经学院 → 北京大学" in out
    assert "有未经认定的改动" in out


def test_authorised_alteration_passes(repo, env, run):
    """The same kind of change made with `dangan determine` (a 认定 in the same commit) does not hold."""
    commit(repo, env, "建档")
    code, out, err = run(["determine", "C000001", "入党时间", "1995.07", "--basis", "6-1", "--by", "中共长治市委组织部",
                          "--doc", "长组审〔2026〕3号", "--date", "2026.11.20"], repo, env)
    assert code == 0, out + err
    commit(repo, env, "认定")
    code, out, _ = run(["review", "C000001", "--format", "json"], repo, env)
    doc = json.loads(out)
    assert doc["结论"] == "通过", doc["理由"]
    work = next(f for f in doc["关键信息"] if f["项目"] == "入党时间")
    assert work["认定"] and "长组审〔2026〕3号" in work["认定"][0]
    assert any(a["受保护"] and not a["未经认定"] for a in doc["改动记录"])


def test_missing_original_record_holds(repo, env, run):
    """The fact's keywords come from the policy: with none in the catalog, 缺少依据 → 暂缓."""
    commit(repo, env, "建档")
    policy = repo / "schema" / "policy.yaml"
    policy.write_text(re.sub(r"(?m)^    出生年月: \[.*\]$", "    出生年月: [出生医学证明]", policy.read_text("utf-8")), "utf-8")
    code, out, _ = run(["review", "C000001"], repo, env)
    assert code == 1
    assert "出生年月没有原始依据材料" in out
    assert "最早记录：无（缺少原始依据材料）" in out


def test_red_flag_code_holds(repo, env, run):
    """R103 (ID number's birth month differs) is listed among the 暂缓 codes of the policy."""
    edit(repo / DOSSIER, '出生年月: "1972.03"', '出生年月: "1972.04"')
    code, out, _ = run(["review", "C000001", "--format", "json"], repo, env)
    doc = json.loads(out)
    assert code == 1 and doc["结论"] == "暂缓"
    assert any("涂改疑点" in r and "R103" in r for r in doc["理由"])
    birth = next(f for f in doc["关键信息"] if f["项目"] == "出生年月")
    assert any("身份证号" in d for d in birth["不一致"])
    # the same file under a policy that does not list R103: passes
    edit(repo / "schema" / "policy.yaml", "代码: [R202, R205, R103]", "代码: [R202, R205]")
    edit(repo / "schema" / "policy.yaml", "    - {名称: 关键信息前后记载不一致, 条件: 前后不一致}\n", "")
    code, out, _ = run(["review", "C000001"], repo, env)
    assert code == 0, out


def test_html_is_printable_and_escaped(repo, env, run):
    edit(repo / DOSSIER, "现任职务: 长治市财政局副局长", "现任职务: 主任<b>甲</b>")
    code, out, _ = run(["review", "C000001", "--format", "html"], repo, env)
    assert code in (0, 1)
    assert out.startswith("<!DOCTYPE html>") and "@page { size: A4" in out
    assert "<b>甲</b>" not in out and "&lt;b&gt;甲&lt;/b&gt;" in out
    assert "http://" not in out and "https://" not in out and "<link" not in out and "<script" not in out


def test_without_git_history_says_so(repo, env, run):
    code, out, _ = run(["review", "C000001"], repo, env)
    assert code == 0
    assert "没有可读的 Git 历史" in out


def test_overdue_uses_injected_date(repo, env, run):
    """Annual assessments are due from 04.01 of the next year: as of 2027.04.02 the 2026 result is missing."""
    commit(repo, env, "建档")
    code, out, _ = run(["review", "C000001", "--as-of", "2027.04.02"], repo, env)
    assert code == 1 and "C502" in out
    env["DANGAN_TODAY"] = "2027.03.31"
    code, out, _ = run(["review", "C000001"], repo, env)
    assert code == 0, out


def test_usage(repo, env, run):
    code, _, err = run(["review", "C999999"], repo, env)
    assert code == 2 and "找不到编号为“C999999”的档案" in err
    code, _, _ = run(["review", "C000001", "--format", "pdf"], repo, env)
    assert code == 2


def test_disagreement_holds(repo, env, run):
    """入党时间 two years before the 入党志愿书 (1995.06.28) was made: 前后不一致 → 暂缓; within tolerance → 通过."""
    commit(repo, env, "建档")
    edit(repo / DOSSIER, '入党时间: "1995.06"', '入党时间: "1993.06"')
    code, out, _ = run(["review", "C000001", "--format", "json"], repo, env)
    doc = json.loads(out)
    assert code == 1
    assert any(r.startswith("关键信息前后记载不一致：入党时间") and "相差超过 12 个月" in r for r in doc["理由"])
    edit(repo / "schema" / "policy.yaml", "核对容差月数: 12", "核对容差月数: 30")
    code, out, _ = run(["review", "C000001"], repo, env)
    assert "前后记载不一致" not in out


def test_bypassed_hook_holds(repo, env, run):
    """A commit whose dossier fails the check (the pre-commit hook skipped) is a 涂改 sign too."""
    commit(repo, env, "建档")
    edit(repo / DOSSIER, "性别: 男", "性别: 男性")  # S005: not in the code table, the hook would have refused it
    commit(repo, env, "改身份证号")
    code, out, _ = run(["review", "C000001"], repo, env)
    assert code == 1 and "跳过了提交前检查" in out and "档案检查有错误" in out
