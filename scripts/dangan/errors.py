"""Refusals every command reports the same way: a Chinese message and an exit code, no traceback."""

from __future__ import annotations


class Refusal(Exception):
    """A command refused by a rule (exit 1) or a usage / I-O problem (exit 2)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.message, self.code = message, code
