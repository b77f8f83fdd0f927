"""Is a schema valid against its own dialect's metaschema? (the ``jsonschema`` package, imported lazily).

Maintainers: the metaschemas ship inside ``jsonschema-specifications``, so validation never
touches the network (a test asserts it with the socket module disabled). Only the first, most
relevant error (``best_match``) is reported, at the position of the offending node. Very deep
schemas can exhaust the validator's recursion; that is reported as "not validated", not raised.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Location
from .document import JsonDocument, pointer_from_parts

__all__ = ["MetaschemaProblem", "check_metaschema"]

_VALIDATORS = {
    "draft4": "Draft4Validator",
    "draft6": "Draft6Validator",
    "draft7": "Draft7Validator",
    "2019-09": "Draft201909Validator",
    "2020-12": "Draft202012Validator",
}


@dataclass(frozen=True, slots=True)
class MetaschemaProblem:
    """One reason a schema is not a valid schema of its dialect.

    Attributes:
        message: One sentence naming the keyword and the problem.
        location: Where in the file.
        pointer: JSON pointer of the offending node.
    """

    message: str
    location: Location
    pointer: str


def check_metaschema(doc: JsonDocument) -> MetaschemaProblem | None:
    """Validate ``doc`` against the metaschema of its dialect; ``None`` when it is valid.

    Returns ``None`` too when the ``jsonschema`` package is not installed.
    """
    try:
        import jsonschema
        from jsonschema.exceptions import best_match
    except ImportError:  # pragma: no cover - jsonschema is a dependency
        return None
    cls = getattr(jsonschema, _VALIDATORS.get(doc.dialect, "Draft202012Validator"))
    try:
        error = best_match(cls(cls.META_SCHEMA).iter_errors(doc.data))
    except RecursionError:
        return MetaschemaProblem("the schema is too deeply nested to be validated against its metaschema",
                                 doc.nearest_location(""), "")
    if error is None:
        return None
    pointer = pointer_from_parts(list(error.absolute_path))
    where = "#" + pointer if pointer else "the root"
    dialect = doc.dialect if doc.dialect.startswith("draft") else f"draft {doc.dialect}"
    return MetaschemaProblem(f"not a valid {dialect} JSON Schema at {where}: {_short(error.message)}",
                             doc.nearest_location(pointer), pointer)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
