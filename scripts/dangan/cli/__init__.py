"""The command line ``dangan`` (the top of the house: nothing imports the CLI)."""

from __future__ import annotations

from .main import main

__all__ = ["main"]
