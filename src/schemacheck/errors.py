"""The exception family of schemacheck.

Maintainers: library code raises these with a precise message and never prints; only
``cli.py`` catches :class:`SchemacheckError`, prints ``schemacheck: error: …`` plus the
optional tip, and exits with status 2.
"""

from __future__ import annotations

__all__ = [
    "SchemacheckError",
    "UsageError",
    "ConfigError",
    "GitError",
    "ParseError",
    "LinkError",
]


class SchemacheckError(Exception):
    """Base of every error schemacheck reports to the user (exit status 2).

    Args:
        message: One line saying what went wrong, naming the file and position when known.
        tip: An optional second line saying how to fix it.
    """

    def __init__(self, message: str, tip: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.tip = tip

    def __str__(self) -> str:
        return self.message


class UsageError(SchemacheckError):
    """The command line asks for something impossible or contradictory."""


class ConfigError(SchemacheckError):
    """A configuration file has an unknown key or a bad value."""


class GitError(SchemacheckError):
    """Git could not give what was asked: a missing ref, a shallow clone, not a repository."""


class ParseError(SchemacheckError):
    """A schema file cannot be read: syntax error, bad encoding, binary content.

    Args:
        path: Repository-relative path of the file.
        line: 1-based line of the problem (0 when the whole file is at fault).
        column: 1-based column of the problem (0 when unknown).
        detail: What was found and what was expected.
    """

    def __init__(self, path: str, line: int, column: int, detail: str, tip: str | None = None) -> None:
        where = f"{path}:{line}:{column}" if line else path
        super().__init__(f"{where}: {detail}", tip)
        self.path = path
        self.line = line
        self.column = column
        self.detail = detail

    def __reduce__(self):
        # Pickled with the arguments it was made from (a compile's errors come back from a
        # forked child, ``forked.both``); Exception's default would pass the message alone.
        return (type(self), (self.path, self.line, self.column, self.detail, self.tip))


class LinkError(ParseError):
    """A schema parses but refers to something that does not exist (unknown type, missing import)."""
