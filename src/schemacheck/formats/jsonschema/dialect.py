"""Which JSON Schema dialect a document is read in, and what differs between dialects.

Maintainers: the dialect is decided once, by the loader, and stored in
:attr:`~.document.JsonDocument.dialect`; everything else (metaschema, ``$id``/``$ref``
resolution, shape conversion) reads it from there and asks this module what it implies, so
one file never means two things. A root ``$schema`` naming a known dialect decides. Without
one, the keywords used decide (:func:`infer_dialect`), because most schemas written without
``$schema`` were written for draft 7 (the default of most validators for years): a schema that
uses ``items: [...]``, ``additionalItems``, ``definitions``, ``dependencies``, boolean
``exclusiveMinimum`` or ``id`` must not be rejected as an invalid 2020-12 schema. The rule is
to pick the newest dialect whose metaschema accepts what is written:

- boolean ``exclusiveMinimum``/``exclusiveMaximum`` → ``draft4`` (draft 6+ require numbers);
  ``id`` without ``$id`` → ``draft4`` too, unless something draft 4 rejects is used (a numeric
  ``exclusiveMinimum``, a boolean subschema), when draft 6/7 read ``id`` as an unknown keyword;
- ``items`` as an array or ``additionalItems`` → ``2019-09`` when 2019-09 keywords are used
  too (it has both), else ``draft7``; 2020-12 forbids an array ``items``;
- ``$id`` with a plain-name fragment (``"#name"``, draft 6/7 anchors) → ``draft7``;
- ``definitions``/``dependencies`` without any 2019-09+ keyword → ``draft7``;
- otherwise :data:`~.document.DEFAULT_DIALECT` (2020-12).

Only schema positions are searched (not ``enum``/``const``/``default``/``examples`` data, not
property names), in one iterative pass.
"""

from __future__ import annotations

from typing import Any

from .document import DEFAULT_DIALECT, pointer_join

__all__ = ["LEGACY_DIALECTS", "TUPLE_KEYWORDS", "tuple_keywords", "infer_dialect", "describe"]

#: Dialects where ``$ref`` hides its sibling keywords.
LEGACY_DIALECTS = frozenset({"draft4", "draft6", "draft7"})

#: ``(prefix keyword, rest keyword)`` of tuple validation per dialect: 2020-12 has
#: ``prefixItems`` + ``items``; earlier dialects ``items: [...]`` + ``additionalItems``.
TUPLE_KEYWORDS = {"2020-12": ("prefixItems", "items")}
_LEGACY_TUPLE = ("items", "additionalItems")

_SINGLE = frozenset({"not", "if", "then", "else", "additionalProperties", "additionalItems", "items", "contains",
                     "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema"})
_MAP = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"})
_ARRAY = frozenset({"allOf", "anyOf", "oneOf", "prefixItems", "items"})
#: Keywords that exist from 2019-09 on (ignored as unknown by earlier validators).
_MODERN = frozenset({"$defs", "dependentRequired", "dependentSchemas", "unevaluatedProperties", "unevaluatedItems",
                     "$anchor", "minContains", "maxContains", "$recursiveRef", "$recursiveAnchor", "$vocabulary"})
#: Keywords that exist in 2020-12 only.
_ONLY_2020 = frozenset({"prefixItems", "$dynamicRef", "$dynamicAnchor"})

_NAMES = {"draft4": "draft 4", "draft6": "draft 6", "draft7": "draft 7", "2019-09": "2019-09", "2020-12": "2020-12"}


def tuple_keywords(dialect: str) -> tuple[str, str]:
    """``(prefix keyword, rest keyword)`` for tuple validation in ``dialect``."""
    return TUPLE_KEYWORDS.get(dialect, _LEGACY_TUPLE)


def describe(dialect: str) -> str:
    """``"draft 7"``, ``"2020-12"``: the dialect as people write it."""
    return _NAMES.get(dialect, dialect)


def _markers(data: Any) -> dict[str, str]:
    """The first pointer of each construct that tells dialects apart (``{marker: pointer}``)."""
    found: dict[str, str] = {}
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, pointer = stack.pop()
        if not isinstance(node, dict):
            continue
        for kw, value in node.items():
            here = pointer_join(pointer, kw)
            if kw in ("exclusiveMinimum", "exclusiveMaximum"):
                found.setdefault(("boolean " if isinstance(value, bool) else "draft6") + (kw if isinstance(value, bool) else ""), here)
            elif kw == "id" and isinstance(value, str) and "$id" not in node:
                found.setdefault("id", here)
            elif kw == "$id" and isinstance(value, str) and value.partition("#")[2]:
                found.setdefault("$id with a fragment", here)
            elif kw in ("items", "additionalItems") and (kw == "additionalItems" or isinstance(value, list)):
                found.setdefault("items as an array" if kw == "items" else kw, here)
            elif kw in ("definitions", "dependencies"):
                found.setdefault(kw, here)
            elif kw in _ONLY_2020:
                found.setdefault("2020-12", here)
            elif kw in _MODERN:
                found.setdefault("2019-09", here)
            if kw in _SINGLE:
                children = [(value, here)]
            elif kw in _MAP and isinstance(value, dict):
                children = [(sub, pointer_join(here, name)) for name, sub in value.items()]
            elif kw in _ARRAY and isinstance(value, list):
                children = [(sub, pointer_join(here, i)) for i, sub in enumerate(value)]
            else:
                continue
            if kw not in ("additionalProperties", "additionalItems", "dependencies"):
                for sub, where in children:
                    if isinstance(sub, bool):
                        found.setdefault("draft6", where)  # boolean schemas: draft 6 on
            stack.extend(children)
    return found


def infer_dialect(data: Any) -> tuple[str, str]:
    """The dialect of a schema without ``$schema``, and why (``""`` when nothing pointed away from the default).

    Returns:
        ``(dialect, reason)``; the reason names the construct and where it is, e.g.
        ``"items as an array at #/properties/p/items"``.
    """
    found = _markers(data)

    def because(*markers: str) -> str:
        marker = next(m for m in markers if m in found)
        return f"{marker} at #{found[marker]}"

    if found.keys() & {"boolean exclusiveMinimum", "boolean exclusiveMaximum"}:
        return "draft4", because("boolean exclusiveMinimum", "boolean exclusiveMaximum")
    if "id" in found and not found.keys() & {"draft6", "2019-09", "2020-12", "$id with a fragment"}:
        return "draft4", because("id")
    if found.keys() & {"items as an array", "additionalItems"}:
        if "2019-09" in found and "2020-12" not in found and "$id with a fragment" not in found:
            return "2019-09", because("items as an array", "additionalItems")
        return "draft7", because("items as an array", "additionalItems")
    if "$id with a fragment" in found:
        return "draft7", because("$id with a fragment")
    if found.keys() & {"definitions", "dependencies"} and not found.keys() & {"2019-09", "2020-12"}:
        return "draft7", because("definitions", "dependencies")
    return DEFAULT_DIALECT, ""
