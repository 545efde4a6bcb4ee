"""MkDocs hook file (mkdocs.yml → hooks:). Thin on purpose: everything lives in ``dangan.site``."""

import sys
from pathlib import Path

try:
    from dangan.site import on_config, on_files, on_post_build, on_post_page, on_pre_build, on_startup
except ImportError:  # a checkout without `pip install -e .`: use the package next to this file
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from dangan.site import on_config, on_files, on_post_build, on_post_page, on_pre_build, on_startup

__all__ = ["on_config", "on_files", "on_post_build", "on_post_page", "on_pre_build", "on_startup"]
