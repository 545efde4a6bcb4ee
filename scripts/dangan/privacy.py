"""Masking of sensitive values. Every text a user reads passes through ``scrub``."""

from __future__ import annotations

import re

# 15- or 18-character ID numbers (ASCII or full-width digits), not embedded in longer digit runs.
_ID = re.compile(r"(?<![0-9０-９])[0-9０-９]{6}(?:[0-9０-９]{9}|[0-9０-９]{11}[0-9０-９Xxｘ])(?![0-9０-９Xxｘ])")


def mask_id(value: str) -> str:
    """``140402197003151234`` → ``1404**********1234`` (first four, last four kept)."""
    value = str(value)
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def scrub(text: str) -> str:
    """Mask anything shaped like an ID number in a message, whatever produced it."""
    return _ID.sub(lambda m: mask_id(m.group()), text)
