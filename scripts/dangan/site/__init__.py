"""The internal site, as MkDocs event handlers (mkdocs.yml → hooks → site/hook.py → here).

MkDocs renders and indexes; the pages themselves are ours (``pages``), and after every build
``scan`` reads what was written: an external address or a full ID number fails the build.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ..dates import today
from ..policy import PolicyError
from ..privacy import scrub
from ..repo import SCHEMA_DIR, Repo, RepoError
from .pages import HOME, OVERVIEW, collect, home_page, overview_page
from .scan import scan_site

__all__ = ["on_config", "on_files", "on_post_build"]

_SHOWN = 20  # kinds of hit listed in the error message


def _repo(config) -> Repo:
    """The dossier repository is the directory holding mkdocs.yml."""
    root = Path(config.config_file_path).resolve().parent
    if not (root / SCHEMA_DIR / "dossier.schema.json").is_file():
        raise PluginError(f"{root} 下没有 schema/dossier.schema.json：mkdocs.yml 应放在档案仓库的根目录")
    return Repo(root)


def on_config(config):
    logging.getLogger("jieba").setLevel(logging.WARNING)  # its dictionary-loading chatter
    return config


def on_files(files: Files, config) -> Files:
    try:
        summary = collect(_repo(config), today())
    except (RepoError, PolicyError, ValueError) as exc:
        raise PluginError(f"生成档案页面失败：{exc}") from None
    for uri, content in ((HOME, home_page(summary)), (OVERVIEW, overview_page(summary))):
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"{config.docs_dir}/{uri} 与自动生成的页面同名，请删除或改名")
        files.append(File.generated(config, uri, content=content))
    return files


def on_post_build(config):
    site_dir = Path(config.site_dir)
    hits = scan_site(site_dir, config.site_url)
    if not hits:
        return
    leaked = sorted({site_dir / h.path for h in hits if h.kind == "身份证号"})
    for path in leaked:  # do not leave a full ID number lying in the output
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
    if leaked:
        advice.append(f"含身份证号的 {len(leaked)} 个输出文件已删除；请从页面来源中去掉完整号码（可写作遮盖形式，如 1404**********0018）")
    if any(h.kind != "身份证号" for h in hits):
        advice.append("内部站点不得引用外部地址（字体、脚本、图片、链接），请改为本地文件或删除")
    message = f"站点输出检查未通过（{len(hits)} 处）：\n" + "\n".join(lines) + "\n" + "；".join(advice) + "。"
    raise PluginError(scrub(message))  # an address or a file name may itself carry an ID number
