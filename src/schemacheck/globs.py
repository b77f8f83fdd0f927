"""Gitignore-style glob matching for include/exclude settings (``**`` spans directories).

Maintainers: patterns without a ``/`` match the file name at any depth (``*.proto``); with a
``/`` they are anchored at the repository root; a trailing ``/`` or a bare directory prefix
matches everything under it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

__all__ = ["glob_to_regex", "matches_any", "is_under", "literal_prefix"]


@functools.lru_cache(maxsize=512)
def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """Compile one glob into an anchored regular expression."""
    pat = pattern.strip()
    if pat.startswith("./"):
        pat = pat[2:]
    anchored = "/" in pat.rstrip("/")
    pat = pat.lstrip("/")
    dir_only = pat.endswith("/")
    pat = pat.rstrip("/")
    out = []
    i = 0
    while i < len(pat):
        ch = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif ch == "*":
            out.append("[^/]*")
            i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "[":
            end = pat.find("]", i + 1)
            if end == -1:
                out.append(re.escape(ch))
                i += 1
            else:
                out.append("[" + pat[i + 1 : end].replace("!", "^", 1) + "]")
                i = end + 1
        else:
            out.append(re.escape(ch))
            i += 1
    body = "".join(out)
    prefix = "" if anchored else "(?:.*/)?"
    suffix = "/.*" if dir_only else "(?:/.*)?"
    return re.compile(f"^{prefix}{body}{suffix}$")


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    """Whether ``path`` (POSIX, repo-relative) matches one of ``patterns``."""
    return any(glob_to_regex(p).match(path) for p in patterns)


def is_under(path: str, prefix: str) -> bool:
    """``path`` is ``prefix`` or lies below the directory ``prefix`` ('' matches everything)."""
    prefix = prefix.rstrip("/")
    return prefix == "" or path == prefix or path.startswith(prefix + "/")


def literal_prefix(pattern: str) -> str:
    """The directory every path matching ``pattern`` lies under ('' when it may match anywhere):
    its leading components without wildcards, for an anchored pattern."""
    pat = pattern.strip()
    if pat.startswith("./"):
        pat = pat[2:]
    if "/" not in pat.rstrip("/"):
        return ""  # a bare name matches at any depth
    parts = pat.lstrip("/").rstrip("/").split("/")
    fixed: list[str] = []
    for part in parts[:-1]:
        if any(ch in part for ch in "*?["):
            break
        fixed.append(part)
    return "/".join(fixed)
