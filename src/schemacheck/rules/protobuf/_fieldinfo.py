"""Naming and locating fields the way the part-A rules report them.

Maintainers: map fields compile to a synthetic ``XxxEntry`` message whose ``key``/``value``
fields have no source positions of their own; buf reports changes to them at the map field, and
so does :func:`field_span`. Extensions are named by their full name, as buf does.
"""

from __future__ import annotations

from ...compat.protobuf.elements import Field, Message
from ...model import Location

__all__ = ["describe", "field_span", "map_field_of", "message_span"]


def describe(field: Field) -> str:
    """``Field 2 "total" on message "shop.v1.Order"`` or ``Extension 100 "shop.v1.prio" of message "shop.v1.Parcel"``."""
    if field.proto.extendee:
        return f'Extension {field.number} "{field.full_name}" of message "{field.proto.extendee.lstrip(".")}"'
    assert field.message is not None
    owner = map_field_of(field.message) if field.message.is_map_entry else None
    if owner is not None and owner.message is not None:
        part = "Key" if field.number == 1 else "Value"
        return f'{part} of map field {owner.number} "{owner.name}" on message "{owner.message.full_name}"'
    return f'Field {field.number} "{field.name}" on message "{field.message.full_name}"'


def map_field_of(entry: Message) -> Field | None:
    """The ``map<K, V>`` field whose synthetic entry message is ``entry``."""
    parent = entry.parent
    if parent is None or not entry.is_map_entry:
        return None
    for fld in parent.fields():
        if fld.proto.type_name.lstrip(".") == entry.full_name:
            return fld
    return None


def field_span(field: Field, *sub: int) -> Location:
    """The span of a part of a field (``SourcePath.FIELD_TYPE`` …), else the field, else its map field."""
    for path in (field.source_path + tuple(sub), field.source_path):
        if field.file.has_span(path):
            return field.file.span(path)
    if field.message is not None and field.message.is_map_entry:
        owner = map_field_of(field.message)
        if owner is not None:
            return owner.location
    return field.file.span(field.source_path)


def message_span(message: Message, *sub: int) -> Location:
    """The span of a part of a message, else the message, else (map entries) its map field."""
    for path in (message.source_path + tuple(sub), message.source_path):
        if message.file.has_span(path):
            return message.file.span(path)
    owner = map_field_of(message)
    return owner.location if owner is not None else message.location
