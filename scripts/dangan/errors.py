"""The one refusal type: every problem a command reports to a user, as a Chinese message and an exit code.

The CLI (cli/options.guarded) turns any Refusal into "错误：…" on stderr and exits with its code; nothing
prints a traceback. A module raises its own subclass (RepoError, EditError, QueryError, …) so callers can
catch what they expect, but never needs to translate it for the CLI. A problem found *in* a file (a
LoadError, a Finding) is not a refusal: it has a line and a column and is reported with the file.
"""

from __future__ import annotations


class Refusal(Exception):
    """Refused by a rule (exit 1) or a usage / input-output problem (exit 2)."""

    exit_code = 1  # the default of the subclass; a raise may give another

    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = self.exit_code if code is None else code


class UsageError(Refusal):
    """A usage or input-output problem: a wrong argument, a missing file, a broken setup (exit 2)."""

    exit_code = 2
