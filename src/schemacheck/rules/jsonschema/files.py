"""File-level rules: a schema file, a bundle definition or a ``$ref`` target that disappeared.

Maintainers: the shape engine never calls these (subject ``file``); the JSON Schema checker
builds the subjects (``compat/jsonschema/file_changes.py``) and runs them. They fire in every
mode: a reference that no longer resolves breaks readers and writers alike.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.jsonschema.file_changes import (DEFINITION_RULE, DELETE_RULE, REF_RULE, DeletedFile,
                                               RemovedDefinition, RemovedRef)
from ...model import Location
from ...registry import Violation, rule

_CATEGORIES = ("BACKWARD", "FORWARD")


@rule(DELETE_RULE, format="jsonschema", subject="file", categories=_CATEGORIES, default=True)
def schema_file_no_delete(change: DeletedFile, ctx: object) -> Iterator[Violation]:
    """A schema file was deleted.

    ## What it does
    Flags a JSON Schema file of the base revision that the head revision neither has nor
    renamed (a rename git detects is not a deletion).

    ## Why is this breaking?
    Other schemas, services and code generators find a schema by its path or `$id`. Once the
    file is gone, every `$ref` to it dangles and every consumer that validates against it fails.

    ## Example
    Before: `schemas/money.json` exists and `order.schema.json` has `{"$ref": "money.json"}`.
    After: `schemas/money.json` is deleted.

    ## How to change this safely
    Keep the file and mark it deprecated (`"deprecated": true`) until no reader or writer uses it,
    then delete it in a change that also removes the last reference.
    """
    yield Violation(f'Schema file "{change.path}" was deleted.', None, _file_start(change.path),
                    "Keep the file (mark it deprecated) until no reader or writer uses it.", change.path)


@rule(REF_RULE, format="jsonschema", subject="file", categories=_CATEGORIES, default=True)
def ref_target_removed(change: RemovedRef, ctx: object) -> Iterator[Violation]:
    """A `$ref` that resolved in the base revision no longer resolves.

    ## What it does
    Flags a `$ref` whose target (a file, a definition, a pointer or an anchor) existed in the
    base revision and is gone in the head revision, for instance because the referenced file
    was deleted or a `$defs` entry was removed or renamed.

    ## Why is this breaking?
    A validator cannot load a schema with a dangling reference: every reader and writer using
    the referring schema fails, whatever the documents contain.

    ## Example
    Before: `{"properties": {"price": {"$ref": "#/$defs/Money"}}, "$defs": {"Money": {"type": "number"}}}`.
    After: `{"properties": {"price": {"$ref": "#/$defs/Money"}}, "$defs": {}}`.

    ## How to change this safely
    Keep the target (or move it and update every `$ref` in the same change); delete a target
    only after the last reference to it is gone.
    """
    yield Violation(f"$ref {change.ref!r} pointed at {change.target} and no longer resolves: {change.reason}.",
                    change.location, change.base_location,
                    "Restore the target, or point the $ref at where the schema moved.", change.ref)


@rule(DEFINITION_RULE, format="jsonschema", subject="file", categories=_CATEGORIES, default=True)
def definition_removed(change: RemovedDefinition, ctx: object) -> Iterator[Violation]:
    """A top-level `$defs`/`definitions` entry was removed.

    ## What it does
    Flags a definition of the base revision's `$defs` (or draft 4-7 `definitions`) that the head
    revision no longer has under either keyword.

    ## Why is this breaking?
    A bundle's definitions are its API: other files and other repositories reference them as
    `bundle.json#/$defs/Name` even when the bundle's own root does not use them. Removing one
    makes those references dangle. It is an error when something at the new revision still
    refers to it (the file itself, or another file by path or by the file's `$id`) or when the
    definition has its own `$id`/`$anchor`; otherwise (a `$ref` replaced by an inline schema)
    it is reported as info, since nothing in the repository can dangle.

    ## Example
    Before: `{"$defs": {"Money": {"type": "number"}, "Currency": {"type": "string"}}}`.
    After: `{"$defs": {"Money": {"type": "number"}}}`.

    ## How to change this safely
    Keep the definition (mark it `"deprecated": true`) until no schema references it; to rename
    it, keep the old name as `{"$ref": "#/$defs/NewName"}`.
    """
    name = change.pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    why = (f"{change.needed_because}, so references to it no longer resolve" if change.needed_because
           else "nothing in the repository refers to it any more (reported as info)")
    yield Violation(f'Definition "#{change.pointer}" ({name!r}) was removed from {change.path}; {why}.',
                    change.location, change.base_location,
                    f'Keep "{name}" (deprecated), or alias it to its new name with a $ref.', f"{change.path}#{change.pointer}")


def _file_start(path: str) -> Location:
    return Location(path, 1, 1, 1, 1)
