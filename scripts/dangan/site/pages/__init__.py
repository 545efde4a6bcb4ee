"""The site's own pages: dossiers in, Markdown strings out (no MkDocs imports here)."""

from ..html import text
from .home import HOME, MANUAL, OVERVIEW, home_page, overview_page

__all__ = ["HOME", "MANUAL", "OVERVIEW", "home_page", "overview_page", "text"]
