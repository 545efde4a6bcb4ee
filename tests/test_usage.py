"""Every usage error in Chinese, starting with “错误：” (docs/manual/check.md), exit 2, no English from click."""

from __future__ import annotations

import re

import pytest

ENGLISH = re.compile(r"Error:|Missing option|Invalid value|No such|is not one of|Usage:|Try '")

CASES = [
    (["file", "C000001", "--title", "x", "--made", "2026.01", "--pages", "1"], "缺少选项 --class"),
    (["file", "C000001", "--class", "1", "--title", "x", "--made", "2026.01", "--pages", "0"], "超出范围"),
    (["file", "C000001", "--class", "1", "--title", "x", "--made", "2026.01", "--pages", "一"], "“一”不是整数"),
    (["transfer", "out", "C000001", "--to", "省财政厅", "--notice", "x", "--via", "邮寄"], "“邮寄”不是可选的值"),
    (["chek"], "没有命令“chek”，是不是 check？"),
    (["check", "--formt", "json"], "没有选项 --formt"),
    (["check", "--format"], "选项 --format 后面要写一个值"),
    (["check", "--format", "xml"], "“xml”不是可选的值"),
    (["trail"], "缺少参数"),
    (["fmt", "--check", "--bogus"], "没有选项 --bogus"),
]


@pytest.mark.parametrize(("args", "expected"), CASES, ids=[" ".join(a)[:40] for a, _e in CASES])
def test_usage_errors_are_chinese(repo, env, run, args, expected):
    code, out, err = run(args, repo, env)
    assert code == 2, (code, out, err)
    assert err.startswith("错误："), err
    assert expected in err, err
    assert "--help" in err  # says where to look
    assert not ENGLISH.search(out + err), err
    assert "Traceback" not in out + err


def test_help_is_chinese(repo, env, run):
    code, out, _err = run(["file", "--help"], repo, env)
    assert code == 0 and "显示本帮助并退出" in out and "Show this message" not in out
    code, out, _err = run(["--help"], repo, env)
    assert code == 0 and "显示本帮助并退出" in out
