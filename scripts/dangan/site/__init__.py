"""The internal site, as MkDocs event handlers (mkdocs.yml → hooks → site/hook.py → here).

MkDocs renders and indexes; the pages themselves are ours (``build`` → ``pages``), handed over
as ``File.generated``: swapping the builder touches this module only. After every build ``scan``
reads what was written: an external address, a full ID number or a family member's name fails it, and on a
unit's own site (``UNIT_ENV``, set by ``dangan site --unit``) any other unit's cadre by 姓名 or 编号.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from ..dates import today
from ..policy import PolicyError
from ..privacy import scrub
from ..repo import NUMBER, SCHEMA_DIR, Repo, RepoError
from . import deferred, direct, manual, staff
from .build import CSS, JS, ROSTER_JS, SEARCH_JS, pages
from .pages.management import REVIEW_SECTIONS
from .scan import SCANNER, scan_names, scan_people, scan_site, wording

__all__ = ["UNIT_ENV", "on_config", "on_files", "on_post_build", "on_post_page", "on_pre_build", "on_startup"]

UNIT_ENV = "DANGAN_SITE_UNIT"  # set by `dangan site --unit`: the 管档单位 whose own site this build is
_SHOWN = 20  # kinds of hit listed in the error message
_STATE: dict = {"family": set(), "blocks": {}, "command": "build", "shell_uris": {}}  # from on_files to on_post_page / on_post_build of one build


def _repo(config) -> Repo:
    """The dossier repository is the directory holding mkdocs.yml."""
    root = Path(config.config_file_path).resolve().parent
    if not (root / SCHEMA_DIR / "dossier.schema.json").is_file():
        raise PluginError(f"{root} 下没有 schema/dossier.schema.json：mkdocs.yml 应放在档案仓库的根目录")
    return Repo(root)


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")


def _pieces(texts, lengths: set[int]) -> set[str]:
    """Every substring of these lengths of these texts."""
    return {t[i:i + k] for t in texts for k in lengths for i in range(len(t) - k + 1)}


def _unit() -> str | None:
    """The unit of a unit's own site (``dangan site --unit``), which must be registered in the policy file."""
    unit = os.environ.get(UNIT_ENV, "").strip()
    return unit or None


def on_startup(command, dirty):
    _STATE["command"] = command


def on_pre_build(config):
    if _STATE["command"] == "build":  # mkdocs serve builds into a new folder every time: nothing to keep
        direct.keep(Path(config.site_dir))


def on_config(config):
    logging.getLogger("jieba").setLevel(logging.WARNING)  # its dictionary-loading chatter
    unit = _unit()
    if unit and not config.site_name.endswith(f"（{unit}）"):
        config.site_name = f"{config.site_name}（{unit}）"
    if CSS not in config.extra_css:
        config.extra_css.append(CSS)
    for js in (JS, SEARCH_JS, ROSTER_JS):
        if js not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(js)
    return config


def on_files(files: Files, config) -> Files:
    manual = files.documentation_pages()
    authored = "".join(f.content_string for f in manual)  # the manual, written by people
    try:
        site, generated, written = pages(_repo(config), today(), _unit())
        blocks: dict[str, list[str]] = {}
        if os.environ.get(direct.OFF_ENV) == "1":  # every page through MkDocs (tests compare the two)
            generated = itertools.chain(generated, ((d.uri, d.make(), False) for d in written))
            written = iter(())
        shells = direct.shell_pages(REVIEW_SECTIONS)
        _STATE["shell_uris"] = {uri: name for name, uri, _ in shells}
        for uri, content, in_nav in [*generated, *((uri, page, False) for _, uri, page in shells)]:
            if uri.endswith(".md") and isinstance(content, str):
                content, blocks[uri] = deferred.split(content)
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"{config.docs_dir}/{uri} 与自动生成的页面同名，请删除或改名")
            f = File.generated(config, uri, content=content,
                               inclusion=InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV)
            files.append(f)
    except (RepoError, PolicyError, ValueError) as exc:
        raise PluginError(f"生成档案页面失败：{exc}") from None
    _STATE["blocks"] = blocks
    _STATE["direct"] = written
    _STATE["shells"] = {}
    # a relative who shares a cadre's name (or part of it), or a name the manual uses as an example,
    # cannot be told apart from what may be published
    family = site.family_names()
    lengths = {len(n) for n in family}
    allowed = _pieces((p.name for p in site.people if p.name), lengths) | _pieces(_HAN.findall(authored), lengths)
    _STATE["family"] = family - allowed
    _STATE["others"] = None
    if site.unit is not None:  # a unit's own site: no other unit's cadre may be in it (the manual's examples aside)
        own = [p.name for p in site.people if p.name]
        shown = staff.names(_repo(config), (p.data for p in site.people))  # in their role: a 审核人, an author
        names = {p.name for p in site.withheld
                 if len(p.name) >= 2 and p.name not in shown and not any(p.name in o for o in own)}
        numbers = {n for p in site.withheld for n in (p.number, Path(p.rel).stem) if NUMBER.fullmatch(n)}
        _STATE["others"] = (names, numbers, {f.dest_uri: f.url for f in manual}, authored,
                            wording(_repo(config).schema_dir))
    return files


def on_post_page(output: str, page, config) -> str:
    shell = _STATE["shell_uris"].get(page.file.src_uri)
    if shell is not None:
        try:
            _STATE["shells"][shell] = direct.Shell(output, page.content, page.url)
        except ValueError as exc:
            raise PluginError(str(exc)) from None
        return output
    blocks = _STATE["blocks"].pop(page.file.src_uri, None)
    if not blocks:
        return output
    try:
        return deferred.restore(output, blocks)
    except ValueError as exc:
        raise PluginError(f"{page.file.src_uri}：{exc}（主题或 Markdown 改动了占位元素）") from None


def on_post_build(config):
    _STATE["blocks"] = {}
    site_dir = Path(config.site_dir)
    manual.write(site_dir)  # after the search plugin wrote its index (plugins run before hooks); scanned below
    if set(_STATE["shells"]) != set(_STATE["shell_uris"].values()):
        raise PluginError("没有生成页面外壳（dangan-shell）：主题或 MkDocs 的页面事件有变化，请报告维护人员")
    others = _STATE.get("others")
    writer = direct.Writer(site_dir, _STATE["shells"], config, direct.restore(site_dir),
                           direct.scan_key(sorted(_STATE["family"]), config.site_url, SCANNER, others))
    try:
        writer.write_all(_STATE.pop("direct"))
    except (RepoError, PolicyError, ValueError) as exc:
        raise PluginError(f"生成档案页面失败：{exc}") from None
    hits = (scan_site(site_dir, config.site_url, skip=writer.scanned)
            + scan_names(site_dir, _STATE["family"], skip=writer.scanned))
    if others:
        hits += scan_people(site_dir, *others, skip=writer.scanned)
    writer.save(passed=not hits)
    if not hits:
        return
    leaked = sorted({site_dir / h.path for h in hits if h.kind in ("身份证号", "家属姓名", "其他单位")})
    for path in leaked:  # do not leave a full ID number or a relative's name lying in the output
        path.unlink(missing_ok=True)
    groups: dict[str, list[str]] = {}
    for h in hits:
        groups.setdefault(h.what(), []).append(h.path)
    lines = []
    for what, paths in list(groups.items())[:_SHOWN]:
        shown = "、".join(paths[:3]) + (f" 等 {len(paths)} 个文件" if len(paths) > 3 else "")
        lines.append(f"  {shown}：{what}")
    if len(groups) > _SHOWN:
        lines.append(f"  ……另有 {len(groups) - _SHOWN} 类问题")
    advice = []
    if any(h.kind == "身份证号" for h in hits):
        advice.append("含身份证号的输出文件已删除；请从页面来源中去掉完整号码（可写作遮盖形式，如 1404**********0018）")
    if any(h.kind == "家属姓名" for h in hits):
        advice.append("含家庭成员姓名的输出文件已删除；站点不得公开家庭成员，请从页面来源中去掉")
    if any(h.kind == "其他单位" for h in hits):
        advice.append("含其他管档单位干部的输出文件已删除；单位的站点只能有本单位的干部，请把输出目录整个删除并报告维护人员")
    if any(h.kind in ("外部地址", "脚本地址") for h in hits):
        advice.append("内部站点不得引用外部地址（字体、脚本、图片、链接），请改为本地文件或删除")
    if any(h.kind in ("外来脚本", "事件属性") for h in hits):
        advice.append("页面中出现了不是本站自己的脚本或事件属性：多半是档案内容未经转义就写进了页面，请报告维护人员")
    message = f"站点输出检查未通过（{len(hits)} 处）：\n" + "\n".join(lines) + "\n" + "；".join(advice) + "。"
    raise PluginError(scrub(message))  # an address or a file name may itself carry an ID number
