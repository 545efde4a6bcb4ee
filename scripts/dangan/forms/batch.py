"""Batches: the dossiers a `form` or `lrmx export` names (several 编号, a 管档单位, a query), in roster order,
and where each one's output goes (one PDF, a folder or a zip of files named by a pattern)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomic
from ..errors import UsageError
from ..repo import Repo
from ..strokes import SURNAME_FIRST, name_key

DEFAULT_PATTERN = "{编号}-{姓名}"
PATTERN_FIELDS = ("编号", "姓名", "管档单位", "现任职务", "序号")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class BatchError(UsageError):
    """A batch that cannot be chosen or written as asked (exit 2)."""


@dataclass
class Chosen:
    people: list[dict]  # dossier mappings, in output order
    skipped: list  # repo.Skipped: files that could not be read (and so were not considered)


def choose(repo: Repo, numbers: tuple[str, ...], unit: str | None, query: str | None, every: bool,
           as_of: dt.date) -> Chosen:
    """Named 编号 in the order given; a 管档单位 and/or a query (or --all) in roster order (花名册排序)."""
    if numbers and (unit or query or every):
        raise BatchError("编号与 --archive-unit、--query、--all 不能同时使用：要么列出编号，要么给出选取条件")
    if numbers:
        seen: list[str] = []
        people = []
        for ref in numbers:
            data = repo.read(repo.dossier(ref)).data
            key = str(data.get("编号") or ref)
            if key in seen:
                continue
            seen.append(key)
            people.append(data)
        return Chosen(people, [])
    if not (unit or query or every):
        raise BatchError("请给出编号，或用 --archive-unit 单位、--query 条件、--all 选取档案")
    reading = repo.read_all()
    people = [d.data for d in reading.dossiers]
    if unit:
        registered = repo.policy.get("管档单位", default=[]) or []
        if registered and unit not in registered:
            raise BatchError(f"管档单位“{unit}”未在 schema/policy.yaml 中登记")
        people = [d for d in people if d.get("管档单位") == unit]
    if query:
        from ..query import Ctx, parse

        pred = parse(query, Ctx(as_of, repo.codes))
        people = [d for d in people if pred(d)]
    convention = repo.policy.get("花名册排序", default=SURNAME_FIRST)
    people.sort(key=lambda d: (name_key(str(d.get("姓名") or ""), convention), str(d.get("编号") or "")))
    if not people:
        raise BatchError("没有符合条件的档案")
    return Chosen(people, reading.skipped)


def check_pattern(pattern: str) -> str:
    for name in re.findall(r"{([^{}]*)}", pattern):
        if name not in PATTERN_FIELDS:
            raise BatchError(f"--name 中的“{{{name}}}”不能用；可用：" + "、".join(f"{{{f}}}" for f in PATTERN_FIELDS))
    if "{编号}" not in pattern and "{序号}" not in pattern:
        raise BatchError("--name 中须有 {编号} 或 {序号}，文件名才不会重复")
    return pattern


def file_name(pattern: str, data: dict, index: int, suffix: str) -> str:
    values = {f: str(data.get(f) or "") for f in PATTERN_FIELDS if f != "序号"}
    values["序号"] = f"{index:03d}"
    name = re.sub(r"{([^{}]*)}", lambda m: values.get(m.group(1), ""), pattern)
    name = _UNSAFE.sub("_", name).strip(" .") or f"{index:03d}"
    return name[:120] + suffix


class Sink:
    """Files of a batch: into a folder, or into one .zip written at the end (nothing half-written)."""

    def __init__(self, out: Path):
        self.out = out
        self.zip = out.suffix.lower() == ".zip"
        self.files: dict[str, bytes] = {}
        if not self.zip and out.exists() and not out.is_dir():
            raise BatchError(f"{out} 已存在且不是文件夹：批量输出要写到文件夹或 .zip 文件")

    def add(self, name: str, data: bytes) -> None:
        if name in self.files:
            raise BatchError(f"文件名“{name}”重复：请在 --name 中加入 {{编号}}")
        self.files[name] = data

    def close(self) -> str:
        if self.zip:
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                for name, data in self.files.items():
                    z.writestr(name, data)
            write_atomic(self.out, buf.getvalue(), overwrite=True)
        else:
            for name, data in self.files.items():
                write_atomic(self.out / name, data, overwrite=True)
        return str(self.out)


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF Chromium printed: the page tree's /Count (the largest one is the root's)."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+([0-9]+)", pdf)]
    counts += [int(n) for n in re.findall(rb"/Count\s+([0-9]+)[^>]*?/Type\s*/Pages\b", pdf)]
    return max(counts, default=0)
