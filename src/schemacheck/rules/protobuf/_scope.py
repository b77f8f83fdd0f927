"""Helpers shared by the deletion rules: nested names, where a deletion is reported, reserved lines.

Maintainers: buf compares declarations by their *nested name* (the full name without the
package) within one file (``FILE`` category) or one package (``PACKAGE``). A deletion is
reported at the nearest enclosing message that survives in the new file; when none does,
at the start of the new file (1:1, as buf does), and when the file itself is gone, at no head location.
Every deletion finding carries the base location of the deleted element, so path-based
filters (``ignore`` globs, unstable packages) can look at where the element *was*.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from ...compat.protobuf.elements import Enum, Extension, Message, ProtoFile, Service
from ...compat.protobuf.image import Image
from ...model import Location

__all__ = [
    "nested_name",
    "nested_messages",
    "nested_enums",
    "nested_extensions",
    "services_by_name",
    "file_location",
    "deleted_at",
    "new_counterpart",
    "package_decls",
    "reserved_number_line",
    "reserved_name_line",
    "quoted",
]


def nested_name(full_name: str, package: str) -> str:
    """``shop.v1.Order.Line`` in package ``shop.v1`` -> ``Order.Line``."""
    if package and full_name.startswith(package + "."):
        return full_name[len(package) + 1 :]
    return full_name


def nested_messages(file: ProtoFile) -> dict[str, Message]:
    """Messages of a file by nested name (map entries included, as buf does)."""
    return {nested_name(m.full_name, file.package): m for m in file.messages()}


def nested_enums(file: ProtoFile) -> dict[str, Enum]:
    return {nested_name(e.full_name, file.package): e for e in file.enums()}


def nested_extensions(file: ProtoFile) -> dict[str, Extension]:
    """Extensions by the nested name of their declaration scope (``Holder.ext`` or ``ext``)."""
    return {nested_name(x.full_name, file.package): x for x in file.extensions()}


def services_by_name(file: ProtoFile) -> dict[str, Service]:
    return {s.name: s for s in file.services()}


def file_location(file: ProtoFile) -> Location:
    """The start of the file (1:1): where buf reports what has no enclosing element."""
    return Location(file.path, 1, 1, 1, 1)


def deleted_at(new_file: ProtoFile, nested: str, messages: Mapping[str, Message] | None = None) -> Location:
    """Where buf reports the deletion of ``nested`` from ``new_file``.

    The nearest enclosing message that still exists (in ``messages`` when given: buf looks
    parents of deleted messages up package-wide; else in the file), else the file's start.
    """
    messages = nested_messages(new_file) if messages is None else messages
    parts = nested.split(".")
    for end in range(len(parts) - 1, 0, -1):
        parent = messages.get(".".join(parts[:end]))
        if parent is not None:
            return parent.location
    return file_location(new_file)


def new_counterpart(old_file: ProtoFile, new: Image) -> ProtoFile | None:
    """The same file in the new image when it still exists there and was loaded."""
    found = new.files.get(old_file.name)
    return found if found is not None and found.name in new.all_names else None


def package_decls(files: Iterable[ProtoFile], pick: str) -> Iterator[tuple[str, str, object]]:
    """``(package, nested name, element)`` of one kind (``message``, ``enum``, ``extension``, ``service``)."""
    for file in files:
        table = {"message": nested_messages, "enum": nested_enums, "extension": nested_extensions,
                 "service": services_by_name}[pick](file)
        for name, element in sorted(table.items()):
            yield file.package, name, element


def quoted(names: Iterable[str]) -> str:
    """``"A", "B"``."""
    return ", ".join(f'"{n}"' for n in names)


def reserved_number_line(number: int) -> str:
    """The exact statement that reserves a number: ``reserved 4;``."""
    return f"reserved {number};"


def reserved_name_line(names: Iterable[str], identifiers: bool = False) -> str:
    """The exact statement that reserves names: ``reserved "NOTE";``, ``reserved "A", "B";``.

    Editions files write reserved names as identifiers (``reserved NOTE;``): pass ``identifiers``.
    """
    return f"reserved {', '.join(names)};" if identifiers else f"reserved {quoted(names)};"
