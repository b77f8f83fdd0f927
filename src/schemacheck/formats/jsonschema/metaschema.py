"""Is a schema valid against its own dialect's metaschema? (the ``jsonschema`` package, imported lazily).

Maintainers: the metaschemas ship inside ``jsonschema-specifications``, so validation never
touches the network (a test asserts it with the socket module disabled). Only the first, most
relevant error (``best_match``) is reported, at the position of the offending node.

Validating a whole 5 MB bundle against the 2020-12 metaschema takes ~10 s (``$dynamicRef``),
so when the base version is known only what changed is validated: the walk descends through
schema positions (``properties/x``, ``items``, ``allOf/0``...) into subtrees that differ, and
validates each changed node *shallowly* (its subschemas replaced by ``{}``, which they are
checked separately from) or, when it is new, whole. Every subschema of a valid schema is
itself checked against the metaschema this way, so the verdict equals a full validation of the
changed parts. A new file is validated whole up to :data:`FULL_VALIDATION_BYTES`; a larger new
file is not validated (the caller reports that). A part found valid is remembered by a digest
of its canonical JSON and the validator in the JSON/YAML cache (``blobindex.remember_valid``,
versioned by the installed ``jsonschema`` and metaschemas too), so checking the same change
again (pre-commit, a CI re-run) imports no validator; an invalid part is never remembered. Very deep schemas can exhaust the validator's
recursion; that is reported as a problem, not raised.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ...model import Location
from .document import JsonDocument, pointer_from_parts, pointer_join

__all__ = ["MetaschemaProblem", "check_metaschema", "changed_schema_nodes", "FULL_VALIDATION_BYTES"]

#: New files up to this size are validated whole (the 2020-12 metaschema validates only about
#: 0.3-0.4 MB of schema per second with the ``jsonschema`` package).
FULL_VALIDATION_BYTES = 1024 * 1024

_SINGLE = frozenset({"not", "if", "then", "else", "additionalProperties", "additionalItems", "items", "contains",
                     "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema"})
_MAP = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"})
_ARRAY = frozenset({"allOf", "anyOf", "oneOf", "prefixItems", "items"})
_MISSING = object()

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
        keyword: The metaschema keyword that failed (``type``, ``enum``...; ``""`` when not
            known). The message's tail is the ``jsonschema`` package's wording, which varies by
            version; code and tests that need to know *what* failed use this and ``pointer``.
    """

    message: str
    location: Location
    pointer: str
    keyword: str = ""


def _children(node: dict[str, Any]) -> Iterator[tuple[tuple[str, ...], Any]]:
    """``(relative tokens, subschema)`` of every schema-position child that is an object."""
    for kw, value in node.items():
        if kw in _SINGLE and isinstance(value, dict):
            yield (kw,), value
        elif kw in _MAP and isinstance(value, dict):
            for name, sub in value.items():
                if isinstance(sub, dict):
                    yield (kw, name), sub
        elif kw in _ARRAY and isinstance(value, list):
            for i, sub in enumerate(value):
                if isinstance(sub, dict):
                    yield (kw, str(i)), sub


def _shallow(node: dict[str, Any]) -> dict[str, Any]:
    """``node`` without its object subschemas (they are validated on their own).

    A single subschema becomes ``{}``; an array of subschemas keeps its length (``minItems``)
    with ``{}`` in place of objects; a name → subschema map keeps only its non-object entries
    (booleans, or invalid values the metaschema must still see), so a map of thousands of
    definitions costs nothing here.
    """
    out = dict(node)
    for kw, value in node.items():
        if kw in _SINGLE and isinstance(value, dict):
            out[kw] = {}
        elif kw in _MAP and isinstance(value, dict):
            out[kw] = {name: sub for name, sub in value.items() if not isinstance(sub, dict)}
        elif kw in _ARRAY and isinstance(value, list):
            out[kw] = [{} if isinstance(sub, dict) else sub for sub in value]
    return out


def changed_schema_nodes(old: Any, new: Any) -> Iterator[tuple[str, Any]]:
    """``(pointer, instance to validate)`` for every part of ``new`` that differs from ``old``.

    Changed nodes come back shallow (see :func:`_shallow`); nodes without a counterpart in
    ``old`` come back whole. Unchanged subtrees are skipped, and so is an object already
    yielded under another pointer (YAML aliases share objects).
    """
    stack: list[tuple[str, Any, Any]] = [("", old, new)]
    # A YAML alias shares one object between many pointers: validating it once is enough.
    seen: set[int] = set()
    while stack:
        pointer, before, after = stack.pop()
        if before is not _MISSING and before == after:
            continue
        if isinstance(after, dict):
            if id(after) in seen:
                continue
            seen.add(id(after))
        if not isinstance(after, dict) or not isinstance(before, dict):
            yield pointer, after
            continue
        yield pointer, _shallow(after)
        for tokens, sub in _children(after):
            previous: Any = before
            for token in tokens:
                if isinstance(previous, dict):
                    previous = previous.get(token, _MISSING)
                elif isinstance(previous, list) and token.isdigit() and int(token) < len(previous):
                    previous = previous[int(token)]
                else:
                    previous = _MISSING
            stack.append((pointer_join(pointer, *tokens), previous, sub))


def check_metaschema(doc: JsonDocument, base: JsonDocument | None = None,
                     size: int = 0) -> MetaschemaProblem | None:
    """Validate ``doc`` against the metaschema of its dialect; ``None`` when it is valid.

    Args:
        doc: The (head) document.
        base: Its previous version: only the parts that differ are validated.
        size: The file size in bytes; a new file above :data:`FULL_VALIDATION_BYTES` is not
            validated (``None``).

    Returns ``None`` too when the ``jsonschema`` package is not installed.
    """
    if base is not None and base.dialect == doc.dialect:
        parts = list(changed_schema_nodes(base.data, doc.data))
    elif size > FULL_VALIDATION_BYTES:
        return None
    else:
        parts = [("", doc.data)]
    name = _VALIDATORS.get(doc.dialect, "Draft202012Validator")
    from .blobindex import remember_valid, validated

    keys = [_verdict_key(name, instance) for _, instance in parts]
    if all(key is not None and validated(key) for key in keys):
        return None  # every changed part was valid in an earlier run: no validator (nor its import) needed
    try:
        import jsonschema
        from jsonschema.exceptions import best_match
    except ImportError:  # pragma: no cover - jsonschema is a dependency
        return None
    cls = getattr(jsonschema, name)
    validator = cls(cls.META_SCHEMA)
    for (prefix, instance), key in zip(parts, keys):
        if key is not None and validated(key):
            continue
        try:
            error = best_match(validator.iter_errors(instance))
        except RecursionError:
            return MetaschemaProblem("the schema is too deeply nested to be validated against its metaschema",
                                     doc.nearest_location(prefix), prefix)
        if error is None:
            if key is not None:
                remember_valid(key)
            continue
        pointer = prefix + pointer_from_parts(list(error.absolute_path))
        where = "#" + pointer if pointer else "the root"
        dialect = doc.dialect if doc.dialect.startswith("draft") else f"draft {doc.dialect}"
        why = f" ({doc.dialect_reason})" if doc.dialect_reason else ""
        return MetaschemaProblem(f"not a valid {dialect} JSON Schema at {where}: {_short(error.message)}{why}",
                                 doc.nearest_location(pointer), pointer, str(error.validator or ""))
    return None


def _verdict_key(validator: str, instance: Any) -> str | None:
    """A digest of (validator, the part's canonical JSON): the key of a remembered "valid" verdict.

    None when the part has no canonical JSON (a YAML value JSON cannot write): it is validated.
    """
    import hashlib
    import json

    try:
        text = json.dumps(instance, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None
    return "valid:" + hashlib.blake2b(f"{validator}\n{text}".encode(), digest_size=20).hexdigest()


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
