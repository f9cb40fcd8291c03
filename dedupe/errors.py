"""Our exceptions. Library code raises these; the CLI prints them as one line."""
from __future__ import annotations


class DedupeError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class ConfigError(DedupeError, ValueError):
    """Bad usage: an invalid setting, a missing input, an output that exists."""

    exit_code = 2


class BadInputError(DedupeError):
    """Unreadable input met in ``--strict`` mode; names the file and line."""

    exit_code = 2

    def __init__(self, source: str, line: int | None, error: str) -> None:
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {error}")
        self.source, self.line, self.error = source, line, error


class AccountingError(DedupeError):
    """Documents in != kept + removed + quarantined: something was lost."""


class OutputError(DedupeError):
    """Writing the output failed (disk full, permissions...); the message names the file and the reason."""


class ResumeError(DedupeError):
    """``--resume`` found completed shards that this run does not reproduce."""
