"""Masking of sensitive values. Every text a user reads passes through ``scrub``."""

from __future__ import annotations

import re

# Any run of 15 or more digits (ASCII or full-width, an X at the end allowed): a 15- or 18-digit
# ID number, or one with a digit too many or too few — a typo must not leak the number either.
_ID = re.compile(r"(?<![0-9０-９])[0-9０-９]{14,}[0-9０-９Xxｘ](?![0-9０-９Xxｘ])")


def mask_id(value: str) -> str:
    """An 18-character ID → ``1404**********1234``: first four and last four kept, the rest starred."""
    value = str(value)
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def scrub(text: str) -> str:
    """Mask anything shaped like an ID number in a message, whatever produced it."""
    return _ID.sub(lambda m: mask_id(m.group()), text)
