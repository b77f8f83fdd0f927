"""Whether a removed top-level definition is still needed: referenced at the new revision, or addressable.

Maintainers: removing a ``$defs``/``definitions`` entry breaks only its users. Its users at the
new revision are found from text, cheaply: the head document's own ``$ref``s, and the ``$ref``s
of every other JSON/YAML file of the head revision (a text scan kept per blob,
``formats/jsonschema/blobindex.py``), each resolved against that file's location, or taken as
written when absolute, that name the file or its root ``$id``. A definition
with its own ``$id`` or ``$anchor`` is addressable from outside the repository, so it counts as
needed too. Anything else (typically a ``$ref`` replaced by an inline schema) is at most info:
nothing can dangle. ``$ref``s resolved against an embedded ``$id`` are not followed here (a
missed user only lowers the severity; the dangling ``$ref`` itself is still
``REF_TARGET_REMOVED``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import unquote, urldefrag, urljoin

from ...formats.jsonschema.document import JsonDocument
from ...formats.jsonschema.ids import retrieval_uri

__all__ = ["still_needed"]


def _refs_in(data: object) -> Iterable[str]:
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(node)


def still_needed(old_doc: JsonDocument, new_doc: JsonDocument, pointers: list[str],
                 refs_of: Callable[[str], Iterable[str] | None], head_paths: Iterable[str]) -> dict[str, str]:
    """For each removed definition pointer that is still needed, why (``referenced by a.json``).

    Args:
        old_doc: The base document (where the definitions were).
        new_doc: The head document.
        pointers: The removed definitions (``/$defs/Name``).
        refs_of: The ``$ref`` values a head path's text holds (None when it cannot be read:
            reported where that file is checked, if it is one).
        head_paths: The head revision's JSON/YAML paths.
    """
    wanted = set(pointers)
    why: dict[str, str] = {}
    for pointer in pointers:
        target = old_doc.get(pointer)
        if isinstance(target, dict) and any(isinstance(target.get(k), str) for k in ("$id", "id", "$anchor")):
            why[pointer] = "it has its own $id or $anchor, so other schemas may address it"
    for ref in _refs_in(new_doc.data):
        if ref.startswith("#"):
            pointer = unquote(ref[1:])
            if pointer in wanted:
                why.setdefault(pointer, f"{new_doc.path} still refers to it")
    root_id = new_doc.data.get("$id") if isinstance(new_doc.data, dict) else None
    names = {retrieval_uri(new_doc.path)} | ({urldefrag(root_id)[0]} if isinstance(root_id, str) else set())
    for path in sorted(head_paths):
        if path == new_doc.path or len(why) == len(wanted):
            continue
        for ref in refs_of(path) or ():
            uri, fragment = urldefrag(urljoin(retrieval_uri(path), ref))
            pointer = unquote(fragment)
            if uri in names and pointer in wanted:
                why.setdefault(pointer, f"{path} still refers to it")
    return why
