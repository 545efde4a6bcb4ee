"""What an exchange file brings into the repository (issue 13; ../shared/findings/attacks.md, interchange.md 1.2):
only the fields this system understands (the rest reported, never stored), photos decoded, limited and written
afresh, the dossier with its photo and sidecar all-or-nothing, and leftovers whose dossier is gone reported by check."""

from __future__ import annotations

import base64
import io
import re
import zlib

import pytest
from PIL import Image

from conftest import FULL_ID, git, real_jpeg
from test_all_or_nothing import kill_at_every_write, snapshot

OTHER = "140402198001012345"  # shaped like an ID number (not necessarily valid): must never be stored or echoed


def person(**fields) -> bytes:
    values = {"XingMing": "王小明", "XingBie": "男", "ChuShengNianYue": "197003", "MinZu": "汉族", **fields}
    body = "".join(f"  <{k}>{v}</{k}>\n" for k, v in values.items())
    return f'<?xml version="1.0" encoding="utf-8"?>\n<Person>\n{body}</Person>\n'.encode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _import(run, repo, env, path):
    code, out, err = run(["lrmx", "import", path, "--archive-unit", "市财政局"], repo, env)
    assert "Traceback" not in out + err, err
    return code, out + err


def test_unknown_elements_are_reported_and_never_stored(repo, run, env, tmp_path):
    path = tmp_path / "a.lrmx"
    big = "健康情况" * 200_000  # ~2.4 MB of someone's notes
    path.write_bytes(person(QiTaRen=f"<ShenFenZheng>{OTHER}</ShenFenZheng>", JianKangBeiZhu=big,
                            DaoLingNianYue="203503"))
    code, out = _import(run, repo, env, path)
    assert code == 0, out
    assert "丢弃了本系统不认识的元素 <QiTaRen>" in out and "丢弃了本系统不认识的元素 <JianKangBeiZhu>" in out
    assert OTHER not in out and not FULL_ID.search(out)
    sidecar = (repo / "interchange" / "C000002.lrmx.xml").read_text("utf-8")  # the 2025 field is kept …
    assert "<DaoLingNianYue>203503</DaoLingNianYue>" in sidecar
    stored = b"".join(p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts)
    assert OTHER.encode() not in stored and "健康情况".encode() not in stored  # … nothing else, anywhere
    code, _out, _err = run(["lrmx", "export", "C000002", "-o", tmp_path / "b.lrmx"], repo, env)
    again = (tmp_path / "b.lrmx").read_text("utf-8")
    assert code == 0 and "QiTaRen" not in again and "<DaoLingNianYue>203503</DaoLingNianYue>" in again


def test_an_older_sidecar_does_not_carry_unknown_elements_into_an_export(repo, run, env, tmp_path):
    """A sidecar written by an earlier version kept everything: the export writes back only the 2025 fields."""
    (repo / "interchange").mkdir()
    (repo / "interchange" / "C000001.lrmx.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<LrmxExtra>\n  <Version>3.2.1.6</Version>\n  <RuDangShiJian/>\n'
        f"  <Unknown>\n    <QiTaRen>{OTHER}</QiTaRen>\n"
        "    <GaiGeQianRenZhiNianLingJieXian>改革前任职年龄界限为60岁</GaiGeQianRenZhiNianLingJieXian>\n"
        "  </Unknown>\n</LrmxExtra>\n", "utf-8")
    code, _out, err = run(["lrmx", "export", "C000001", "-o", tmp_path / "a.lrmx"], repo, env)
    text = (tmp_path / "a.lrmx").read_text("utf-8")
    assert code == 0, err
    assert OTHER not in text and "改革前任职年龄界限为60岁" in text


def _png_bomb() -> bytes:
    """A PNG of 20,000 × 20,000 black pixels: 400 MB decoded, a few hundred KB on disk."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    side = 20_000
    row = b"\x00" + b"\x00" * side  # filter byte + one byte per pixel (grey)
    raw = zlib.compress(row * side, 9)
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


@pytest.mark.parametrize("photo, said", [
    (bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9"), "不是可以解码的"),  # a JPEG header, no image
    (real_jpeg()[:200], "不完整或已损坏"),
    (b"GIF89a" + b"\x00" * 40, "不是可以解码的"),
    ("png-bomb", "超出"),
    ("wide", "超出"),
], ids=["header-only", "truncated", "gif", "decompression-bomb", "too-wide"])
def test_a_photo_that_is_not_a_sound_image_is_not_kept(repo, run, env, tmp_path, photo, said):
    if photo == "png-bomb":
        photo = _png_bomb()
    elif photo == "wide":
        out = io.BytesIO()
        Image.new("L", (5000, 20)).save(out, "PNG")
        photo = out.getvalue()
    path = tmp_path / "a.lrmx"
    path.write_bytes(person(ZhaoPian=b64(photo)))
    code, out = _import(run, repo, env, path)
    assert code == 0 and said in out, out  # the dossier comes in, the photo does not
    assert not (repo / "photos").exists()
    assert "照片:" not in (repo / "dossiers" / "C000002.yaml").read_text("utf-8")


def test_a_photo_is_stored_as_pixels_only(repo, run, env, tmp_path):
    """EXIF (a camera, a place), a comment and whatever was appended after the image do not reach photos/."""
    img = Image.new("RGB", (40, 56), (180, 150, 130))
    exif = Image.Exif()
    exif[0x010F] = "某品牌相机"  # Make
    exif[0x8825] = {2: (37.0, 30.0, 0.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif, comment=b"secret-note")
    polyglot = out.getvalue() + b"PK\x03\x04<html><script>alert(1)</script>"
    path = tmp_path / "a.lrmx"
    path.write_bytes(person(ZhaoPian=b64(polyglot)))
    code, text = _import(run, repo, env, path)
    assert code == 0 and "重新保存" in text, text
    stored = (repo / "photos" / "C000002.jpg").read_bytes()
    assert b"secret-note" not in stored and b"<script>" not in stored and b"PK\x03\x04" not in stored
    assert "某品牌相机".encode() not in stored and b"Exif" not in stored
    again = Image.open(io.BytesIO(stored))
    assert again.format == "JPEG" and again.size == (40, 56)
    assert not again.getexif()


def test_a_kill_during_an_import_with_photo_and_sidecar_leaves_before_or_after(repo, env, run, tmp_path):
    git(["add", "-A"], repo, env)
    git(["commit", "-qm", "建档"], repo, env)
    path = tmp_path / "a.lrmx"
    path.write_bytes(person(ZhaoPian=b64(real_jpeg()), DaoLingNianYue="203503"))
    args = ["lrmx", "import", path, "--archive-unit", "市财政局"]
    before = snapshot(repo)
    code, _out, err = run(args, repo, env)
    assert code == 0, err
    after = snapshot(repo)
    assert {"photos/C000002.jpg", "interchange/C000002.lrmx.xml", "dossiers/C000002.yaml"} <= set(after)
    git(["clean", "-qfdx", "--", "dossiers", "photos", "interchange"], repo, env)
    # any command finishes the interrupted one's undoing: never a photo or sidecar without its dossier
    assert kill_at_every_write(run, args, repo, env, before, after)[0] >= 3  # the journal, the photo, the sidecar


def test_check_reports_a_photo_or_sidecar_whose_dossier_is_gone(repo, run, env):
    (repo / "photos").mkdir()
    (repo / "photos" / "C000001.jpg").write_bytes(real_jpeg())  # belongs to the dossier there: fine
    (repo / "photos" / "C000077.jpg").write_bytes(real_jpeg())
    (repo / "interchange").mkdir()
    (repo / "interchange" / "C000078.lrmx.xml").write_text("<LrmxExtra/>", "utf-8")
    code, out, err = run(["check"], repo, env)
    assert "photos/C000077.jpg" in out and "interchange/C000078.lrmx.xml" in out, out + err
    assert "photos/C000001.jpg" not in out
    assert out.count("X003") == 2 and code == 0, out  # a warning: the dossiers themselves are fine


def test_transfer_out_takes_the_photo_and_sidecar_along(repo, run, env):
    """A dossier that leaves leaves whole: its photo and exchange sidecar go in the same all-or-nothing change."""
    (repo / "photos").mkdir()
    (repo / "photos" / "C000001.jpg").write_bytes(real_jpeg())
    (repo / "interchange").mkdir()
    (repo / "interchange" / "C000001.lrmx.xml").write_text("<LrmxExtra/>", "utf-8")
    git(["add", "-A"], repo, env)
    git(["commit", "-qm", "建档"], repo, env)
    args = ["transfer", "out", "C000001", "--to", "省财政厅", "--notice", "N1", "--via", "机要交通", "--by", "测试员"]
    before = snapshot(repo)
    # never the dossier gone and its photo left, or the reverse
    kills, out = kill_at_every_write(run, args, repo, env, before)
    assert kills >= 3  # the journal, the ledger, the dossier: the test reached the middle
    assert "删除 photos/C000001.jpg" in out and "删除 interchange/C000001.lrmx.xml" in out
    assert not (repo / "photos" / "C000001.jpg").exists() and not (repo / "interchange" / "C000001.lrmx.xml").exists()
    code, out, err = run(["check"], repo, env)
    assert code == 0, err
    assert "X003" not in out, out


@pytest.mark.parametrize("where", ["XianRenZhiWu", "JianLi", "family"])
def test_an_overlong_field_is_refused_before_anything_is_written(repo, run, env, tmp_path, where):
    """attacks.md (d): a 5-million-character XianRenZhiWu became a 15 MB dossiers/C000049.yaml that check refuses
    (L001). Refused now, the element named, nothing written."""
    long = "长" * 5_000_000
    if where == "family":
        fields = {"JiaTingChengYuan": f"<Item><ChengWei>妻子</ChengWei><XingMing>李芳</XingMing>"
                                      f"<GongZuoDanWeiJiZhiWu>{long}</GongZuoDanWeiJiZhiWu></Item>"}
        element = "JiaTingChengYuan/Item[1]/GongZuoDanWeiJiZhiWu"
    else:
        fields, element = {where: long}, where
    path = tmp_path / "a.lrmx"
    path.write_bytes(person(**fields))
    before = snapshot(repo)
    code, out = _import(run, repo, env, path)
    assert code == 1 and f"元素 <{element}> 的文字过长（5000000 个字符" in out, out[:500]
    assert snapshot(repo) == before and not (repo / "photos").exists() and not (repo / "interchange").exists()


def test_a_twenty_megabyte_unknown_element_is_dropped(repo, run, env, tmp_path):
    """attacks.md (d): a 20 MB unknown element was written to interchange/ verbatim."""
    path = tmp_path / "a.lrmx"
    path.write_bytes(person(BeiZhuXinXi="病" * (7 << 20)))  # 21 MB of UTF-8 text, under the 32 MB file limit
    assert path.stat().st_size > 20 << 20
    code, out = _import(run, repo, env, path)
    assert code == 0 and "丢弃了本系统不认识的元素 <BeiZhuXinXi>" in out, out[:500]
    assert not (repo / "interchange").exists()
    assert sum(p.stat().st_size for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts) < 1 << 20


def test_a_kill_during_an_update_with_its_sidecar_leaves_before_or_after(repo, env, run, tmp_path):
    """`lrmx import --update` changes the dossier and writes its sidecar: both, or neither, at any kill."""
    git(["add", "-A"], repo, env)
    git(["commit", "-qm", "建档"], repo, env)
    code, _out, err = run(["lrmx", "export", "C000001", "-o", tmp_path / "a.lrmx"], repo, env)
    assert code == 0, err
    text = (tmp_path / "a.lrmx").read_text("utf-8")
    text = re.sub(r"<XianRenZhiWu>.*?</XianRenZhiWu>", "<XianRenZhiWu>长治市财政局局长</XianRenZhiWu>", text, count=1)
    text = re.sub(r"<DaoLingNianYue>.*?</DaoLingNianYue>", "<DaoLingNianYue>204901</DaoLingNianYue>", text, count=1)
    assert "<DaoLingNianYue>204901</DaoLingNianYue>" in text and "长治市财政局局长" in text
    (tmp_path / "b.lrmx").write_text(text, "utf-8")
    args = ["lrmx", "import", "--update", tmp_path / "b.lrmx"]
    before = snapshot(repo)
    code, out, err = run(args, repo, env)
    assert code == 0 and "已更新" in out, out + err
    after = snapshot(repo)
    assert "interchange/C000001.lrmx.xml" in after and after["dossiers/C000001.yaml"] != before["dossiers/C000001.yaml"]
    git(["checkout", "-q", "--", "."], repo, env)
    git(["clean", "-qfdx", "--", "dossiers", "interchange"], repo, env)
    assert snapshot(repo) == before
    assert kill_at_every_write(run, args, repo, env, before, after)[0] >= 2  # the journal, then one of the two
