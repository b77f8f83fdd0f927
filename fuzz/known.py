"""The allow-list of known crash classes (``fuzz/known.toml``), owned by other pieces of work.

Maintainers: a finding that matches an entry is still counted and saved, but as "known": it
does not fail a campaign, and its regression fixture is an expected failure until the owner's
fix lands. Entries are meant to be deleted as fixes land.
"""

from __future__ import annotations

import re
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the tomli backport (a dependency there)
    import tomli as tomllib
from functools import lru_cache
from pathlib import Path

__all__ = ["KNOWN_FILE", "known_entries", "match_known"]

KNOWN_FILE = Path(__file__).with_name("known.toml")


@lru_cache(maxsize=1)
def known_entries() -> tuple[dict, ...]:
    with KNOWN_FILE.open("rb") as handle:
        return tuple(tomllib.load(handle).get("known", ()))


def match_known(target: str, kind: str, signature: str) -> str | None:
    """``"id (owner)"`` of the first entry matching the finding, else None."""
    for entry in known_entries():
        if target in entry["targets"] and kind in entry["kinds"] and re.search(entry["signature"], signature):
            return f"{entry['id']} ({entry['owner']})"
    return None
