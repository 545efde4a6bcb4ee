"""The central repository checks what a push changed (issue 21): the changed dossiers as blobs, the cross-file rules
through its index of 编号/身份证号 by blob id; everything again when schema/ changes; an index it did not write as
it is (forged, copied from another repository) changes no verdict."""

from __future__ import annotations

import json

from conftest import FULL_ID, git
from test_check_cli import OTHER_ID, VALID_ID, sub
from test_server import central, push, remote_head, save  # noqa: F401 (central is a fixture)

INDEX = ("dangan", "push-check.json")


def person(raw: bytes, number: str, id_number: str) -> bytes:
    return sub("编号: C000001", f"编号: {number}")(raw).replace(VALID_ID.encode(), id_number.encode())


def two_dossiers(repo, env):
    raw = (repo / "dossiers" / "C000001.yaml").read_bytes()
    (repo / "dossiers" / "C000002.yaml").write_bytes(person(raw, "C000002", OTHER_ID))
    return save(repo, env, "两份档案"), raw


def test_a_one_dossier_push_checks_that_dossier_and_the_cross_file_rules(central, repo, env):  # noqa: F811
    first, raw = two_dossiers(repo, env)
    p = push(repo, env, "main")
    assert p.returncode == 0 and "第一次推送" in p.stderr, p.stderr  # the first push checks everything, and says so
    assert central.joinpath(*INDEX).is_file()
    # a bad change to one dossier: refused, and only that dossier is named
    bad = sub("性别: 男", "性别: 未知")((repo / "dossiers" / "C000002.yaml").read_bytes())
    (repo / "dossiers" / "C000002.yaml").write_bytes(bad)
    save(repo, env, "改坏二号")
    p = push(repo, env, "main")
    assert p.returncode != 0 and remote_head(central, env) == first, p.stderr
    assert "C000002.yaml" in p.stderr and "C000001.yaml" not in p.stderr and "正在检查" not in p.stderr, p.stderr
    # a new dossier with the 身份证号 of an unchanged one: one person, two dossiers — refused, number masked
    git(["reset", "-q", "--hard", first], repo, env)
    (repo / "dossiers" / "C000003.yaml").write_bytes(person(raw, "C000003", VALID_ID))
    save(repo, env, "三号（与一号同一身份证号）")
    p = push(repo, env, "main")
    assert p.returncode != 0 and remote_head(central, env) == first, p.stderr
    assert "X002" in p.stderr and "C000001.yaml" in p.stderr and "C000003.yaml" in p.stderr, p.stderr
    assert "正在检查" not in p.stderr and not FULL_ID.search(p.stderr), p.stderr
    # and a new 编号 that an unchanged dossier already has
    git(["reset", "-q", "--hard", first], repo, env)
    (repo / "dossiers" / "C000004.yaml").write_bytes(person(raw, "C000002", with_other()))
    save(repo, env, "四号（编号与二号重复）")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "X001" in p.stderr and "C000002.yaml" in p.stderr, p.stderr
    # the right change goes through, checked as the change
    git(["reset", "-q", "--hard", first], repo, env)
    (repo / "dossiers" / "C000003.yaml").write_bytes(person(raw, "C000003", with_other()))
    third = save(repo, env, "三号")
    p = push(repo, env, "main")
    assert p.returncode == 0 and remote_head(central, env) == third and "正在检查" not in p.stderr, p.stderr


def with_other() -> str:
    from test_check_cli import with_check

    return with_check("14252119720315005")


def test_a_schema_change_checks_every_dossier_again(central, repo, env):  # noqa: F811
    first, _raw = two_dossiers(repo, env)
    assert push(repo, env, "main").returncode == 0
    schema = repo / "schema" / "dossier.schema.json"
    data = json.loads(schema.read_text("utf-8"))
    data["required"].append("测试新字段")
    schema.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    save(repo, env, "新规则：测试新字段必填")
    p = push(repo, env, "main")
    # no dossier was touched, yet every one is checked against the new rules, and each failure blocks
    assert p.returncode != 0 and remote_head(central, env) == first, p.stderr
    assert "规则有改动" in p.stderr and "正在检查 2 份档案" in p.stderr, p.stderr
    assert "C000001.yaml" in p.stderr and "C000002.yaml" in p.stderr and "测试新字段" in p.stderr, p.stderr


def _lying_index(bare, repo, env, repository: str, monkeypatch) -> None:
    """The central repository's index, sealed with this server's key, saying C000001 is another person."""
    from dangan import cachefile

    path = bare.joinpath(*INDEX)
    body = json.loads(path.read_bytes().partition(b"\n")[2])
    blob = git(["rev-parse", "HEAD:dossiers/C000001.yaml"], repo, env).stdout.strip()
    assert blob in body["entries"]
    body["entries"][blob][1] = "0" * 40
    body["repository"] = repository
    monkeypatch.setenv("XDG_CACHE_HOME", env["XDG_CACHE_HOME"])
    monkeypatch.setattr(cachefile, "_key_cache", {})
    assert cachefile.save(path, "push-check", body)


def test_an_index_the_server_did_not_write_changes_no_verdict(central, repo, env, tmp_path, monkeypatch):  # noqa: F811
    first, raw = two_dossiers(repo, env)
    assert push(repo, env, "main").returncode == 0
    (repo / "dossiers" / "C000003.yaml").write_bytes(person(raw, "C000003", VALID_ID))  # C000001's 身份证号
    save(repo, env, "三号（与一号同一身份证号）")
    index = central.joinpath(*INDEX)

    # edited after sealing (C000001 made someone else): the seal fails, the index is rebuilt, the duplicate found
    sealed = index.read_bytes()
    head, _, body = sealed.partition(b"\n")
    blob = git(["rev-parse", f"{first}:dossiers/C000001.yaml"], repo, env).stdout.strip()
    value = json.loads(body)
    value["entries"][blob][1] = "0" * 40
    index.write_bytes(head + b"\n" + json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
    p = push(repo, env, "main")
    assert p.returncode != 0 and "X002" in p.stderr and "检查记录需要重建" in p.stderr, p.stderr
    assert remote_head(central, env) == first

    # sealed with this server's key, but written for another central repository: not believed either
    _lying_index(central, repo, env, str(tmp_path / "other.git"), monkeypatch)
    p = push(repo, env, "main")
    assert p.returncode != 0 and "X002" in p.stderr and "检查记录需要重建" in p.stderr, p.stderr

    # garbage in its place: the same
    index.write_bytes(b"dangan-cache 2 push-check 00\n{}")
    p = push(repo, env, "main")
    assert p.returncode != 0 and "X002" in p.stderr, p.stderr

    # control (this test can fail): the same lie sealed by this server's key for this repository is believed —
    # the key outside the repository (cachefile) is what protects the index, as it protects every cache
    _lying_index(central, repo, env, str(central.resolve()), monkeypatch)
    p = push(repo, env, "main")
    assert p.returncode == 0 and "X002" not in p.stderr, p.stderr


def test_the_central_repository_holds_a_copy_to_its_original(central, repo, env):  # noqa: F811
    """A 正本 beside its 副本 (same 身份证号, 档案类别: 副本) is one person on the central repository too, through its
    index; a push that changes a key fact in the 副本 alone is refused (X005, X006), a 副本 that follows is not."""
    raw = (repo / "dossiers" / "C000001.yaml").read_bytes()  # the fixture: a 副本 at 市财政局
    assert raw.endswith("档案类别: 副本\n正本保管单位: 市委组织部\n".encode())
    original = sub("管档单位: 市财政局", "管档单位: 市委组织部")(person(raw, "C000002", VALID_ID))
    (repo / "dossiers" / "C000002.yaml").write_bytes(original[: -len("档案类别: 副本\n正本保管单位: 市委组织部\n".encode())])
    first = save(repo, env, "正本与副本")
    p = push(repo, env, "main")
    assert p.returncode == 0 and remote_head(central, env) == first, p.stderr
    record = ('  - {项目: 出生年月, 原值: "1972.03", 认定值: "1972.02", 依据: ["1-1"], 认定机关: 市财政局, '
              '认定日期: "2026.11.20", 文号: 财人〔2026〕1号}\n').encode()
    alone = sub('出生年月: "1972.03"', '出生年月: "1972.02"')(raw).replace("认定记录: []\n".encode(), "认定记录:\n".encode() + record)
    save(repo, env, "只改副本的出生年月", alone)
    p = push(repo, env, "main")
    assert p.returncode != 0 and remote_head(central, env) == first, p.stderr
    assert "X005" in p.stderr and "X006" in p.stderr and "C000001.yaml" in p.stderr, p.stderr
    # the same 认定 in the 正本 too: both follow, the push goes through
    followed = sub('出生年月: "1972.03"', '出生年月: "1972.02"')(
        (repo / "dossiers" / "C000002.yaml").read_bytes()).replace("认定记录: []\n".encode(), "认定记录:\n".encode() + record)
    (repo / "dossiers" / "C000002.yaml").write_bytes(followed)
    last = save(repo, env, "正本认定，副本随正本更新")
    p = push(repo, env, "main")
    assert p.returncode == 0 and remote_head(central, env) == last, p.stderr
