"""The older .lrm exchange file ("任免审批表 2.0"): GBK text, 33 double-quoted fields, photo in a .pic sidecar.

Field order differs from .lrmx (LRMX.md §2); we turn it into the same ``Parsed`` the .lrmx reader
returns, so one converter makes dossiers of both.
"""

from __future__ import annotations

from pathlib import Path

from .lrmx import MAX_BYTES, Extra, LrmxError, Parsed, check_lengths

FIELDS = 33
# index → .lrmx element; 9, 10 (education) and 20–24 (family) are split below; 12–15 are unknown.
SIMPLE = {0: "XingMing", 1: "XingBie", 2: "ChuShengNianYue", 3: "MinZu", 4: "JiGuan", 5: "RuDangShiJian",
          6: "JianKangZhuangKuang", 7: "ChuShengDi", 8: "CanJiaGongZuoShiJian", 11: "ZhuanYeJiShuZhiWu",
          16: "ShuXiZhuanYeYouHeZhuanChang", 17: "JianLi", 18: "JiangChengQingKuang", 19: "NianDuKaoHeJieGuo",
          25: "XianRenZhiWu", 26: "NiRenZhiWu", 27: "NiMianZhiWu", 28: "RenMianLiYou", 29: "ChengBaoDanWei",
          30: "JiSuanNianLingShiJian", 31: "TianBiaoRen", 32: "TianBiaoShiJian"}
FAMILY = ("ChengWei", "XingMing", "ChuShengRiQi", "ZhengZhiMianMao", "GongZuoDanWeiJiZhiWu")


def _halves(value: str) -> tuple[list[str], list[str]]:
    """"全日制学历#全日制学位@在职学历#在职学位" → (["学历", "学位"], ["学历", "学位"])."""
    full, _, part = value.partition("@")
    a, b = [*full.split("#", 1), ""][:2], [*part.split("#", 1), ""][:2]
    return [x.strip() for x in a], [x.strip() for x in b]


def read_lrm(raw: bytes, path: Path | None = None) -> Parsed:
    if len(raw) > MAX_BYTES:
        raise LrmxError(f"文件过大（超过 {MAX_BYTES >> 20} MB），不像任免表文件")
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise LrmxError(f"第 {line} 行不是有效的 GBK 文本（.lrm 文件应为 GBK 编码）", line) from None
    text = text.lstrip("\ufeff").strip()
    if not text:
        raise LrmxError("文件为空")
    if not (text.startswith('"') and text.endswith('"')):
        raise LrmxError("不是 .lrm 格式：应为以英文双引号括起、逗号分隔的 33 个字段")
    fields = text[1:-1].split('","')  # split on "," — a comma inside a field is text
    if len(fields) != FIELDS:
        raise LrmxError(f"字段数为 {len(fields)}，.lrm 文件应有 {FIELDS} 个字段")
    fields = [f.replace("\r\n", "\n").replace("\r", "\n").strip() for f in fields]
    values = {name: fields[i] for i, name in SIMPLE.items()}
    (fx, fw), (px, pw) = _halves(fields[9])
    (fsx, fsw), (psx, psw) = _halves(fields[10])
    values.update({"QuanRiZhiJiaoYu_XueLi": fx, "QuanRiZhiJiaoYu_XueWei": fw, "ZaiZhiJiaoYu_XueLi": px,
                   "ZaiZhiJiaoYu_XueWei": pw, "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": fsx,
                   "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": fsw, "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": psx,
                   "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": psw})
    columns = [fields[20 + k].split("@") for k in range(5)]
    rows = max(len(c) for c in columns)
    family = []
    for r in range(rows):
        row = {tag: (columns[k][r].strip() if r < len(columns[k]) else "") for k, tag in enumerate(FAMILY)}
        if any(row.values()):
            family.append(row)
    check_lengths(values, family)
    notes = []
    photo = None
    if path is not None:
        pic = next((c for c in (Path(path).with_suffix(x) for x in (".pic", ".PIC", ".Pic")) if c.is_file()), None)
        if pic is None and Path(path).parent.is_dir():  # 张三.LRM beside 张三.pIc: the case never decides
            stem = Path(path).stem.lower()
            pic = next((c for c in Path(path).parent.iterdir()
                        if c.suffix.lower() == ".pic" and c.stem.lower() == stem and c.is_file()), None)
        if pic is not None:
            photo = pic.read_bytes()
            notes.append(f"照片取自 {pic.name}")
    if any(fields[i] for i in range(12, 16)):
        notes.append("第 13–16 个字段含义不明，未导入")
    return Parsed(values, family, photo, Extra(), notes)
