"""Whether to colour the text report: NO_COLOR, FORCE_COLOR, TERM=dumb, then isatty.

Maintainers: the CLI calls :func:`use_color` once with the output stream and
``os.environ`` and stores the answer in ``ReportContext.color``; reporters never look at the
environment themselves, which keeps them deterministic under test.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

__all__ = ["use_color"]

_FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def use_color(stream: IO[Any] | None, env: Mapping[str, str]) -> bool:
    """Decide whether output written to ``stream`` should carry ANSI colour.

    Order, first match wins:

    1. ``NO_COLOR`` set to anything non-empty: no colour (https://no-color.org).
    2. ``FORCE_COLOR`` set: colour, unless its value is ``0``/``false``/``no``/``off``
       (the node.js convention); an empty value counts as set, as pytest and rich do.
    3. ``TERM=dumb``: no colour.
    4. Otherwise colour exactly when ``stream`` is a terminal.

    Args:
        stream: Where the report goes (``sys.stdout``); ``None`` counts as not a terminal.
        env: The environment, usually ``os.environ``.

    Returns:
        ``True`` to colour.
    """
    if env.get("NO_COLOR"):
        return False
    if "FORCE_COLOR" in env:
        return env["FORCE_COLOR"].strip().lower() not in _FALSE_WORDS
    if env.get("TERM") == "dumb":
        return False
    if stream is None:
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        # A closed or exotic stream (no isatty) is not a terminal.
        return False
