"""Small helpers shared by protobuf rule functions: naming elements in messages, building violations.

Maintainers: keep this to formatting and tiny predicates; pairing lives in
``compat/protobuf/image.py`` and feature resolution in ``compat/protobuf/features.py``.
"""

from __future__ import annotations

from ...compat.protobuf.elements import Field, Message
from ...model import Location
from ...registry import Violation

__all__ = ["PROTOBUF", "field_label", "owner_label", "violation", "sentence"]

PROTOBUF = "protobuf"


def owner_label(field: Field) -> str:
    """``message "pkg.Order"`` or ``extension of "pkg.Base"``."""
    if field.proto.HasField("extendee") and field.proto.extendee:
        return f'extension of "{field.proto.extendee.lstrip(".")}"'
    assert isinstance(field.message, Message)
    return f'message "{field.message.full_name}"'


def field_label(field: Field) -> str:
    """``field 2 "total_amount" on message "shop.v1.Order"``."""
    return f'field {field.number} "{field.name}" on {owner_label(field)}'


def violation(message: str, at: Location | None, was: Location | None = None, hint: str = "", subject: str = "") -> Violation:
    """A :class:`Violation` with positional shorthand used by every rule."""
    return Violation(message=message, location=at, base_location=was, hint=hint, subject=subject)


def sentence(text: str) -> str:
    """Upper-case the first letter only (``str.capitalize`` would lower-case the rest)."""
    return text[:1].upper() + text[1:]
