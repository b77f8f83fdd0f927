"""Which rule verdicts need a type definition that a missing import would have provided.

Maintainers: when an import is found nowhere, the compiler links the types it would define as
placeholders (a name, assumed to be a message; see ``formats/protobuf/linker.placeholder_name``).
A placeholder's name is reliable, its kind (message or enum) and content are not. The rules
below compare kinds or enum values, so a field pair involving a placeholder is not handed to
them unless both sides are the very same type; the checker lists what it skipped in one info
diagnostic. Rules that compare only names keep running: a renamed type is a change whatever
it defines. Custom options from a missing import stay uninterpreted on both sides, so rules
comparing option values see nothing to compare.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...model import Diagnostic, Severity
from .google_api import CATEGORY
from .image import CheckContext

__all__ = ["needs_missing_definition", "compares_option_values", "option_values_unknown", "skipped_note", "KIND_RULES"]

#: Rules whose verdict on a field depends on what its type is (message or enum, enum values).
KIND_RULES = frozenset({"FIELD_SAME_TYPE", "FIELD_WIRE_COMPATIBLE_TYPE", "FIELD_WIRE_JSON_COMPATIBLE_TYPE"})


def _may_be_same(old: str, new: str) -> bool:
    """Two linked type names that may denote one type (an unqualified placeholder is a suffix)."""
    a, b = old.lstrip("."), new.lstrip(".")
    return a == b or (not old.startswith(".") and b.endswith("." + a)) or (not new.startswith(".") and a.endswith("." + b))


def _has_uninterpreted(proto: object) -> bool:
    """Whether ``proto`` (a descriptor proto) holds an option left uninterpreted anywhere inside."""
    list_fields = getattr(proto, "ListFields", None)
    if list_fields is None:
        return False
    for field, value in list_fields():
        if field.name == "uninterpreted_option":
            return True
        if field.message_type is None:
            continue
        values = value if field.is_repeated else (value,)
        if any(_has_uninterpreted(v) for v in values):
            return True
    return False


def compares_option_values(categories: tuple[str, ...]) -> bool:
    """Whether a rule of ``categories`` compares custom option values (the ``GOOGLE_API`` rules)."""
    return CATEGORY in categories


def option_values_unknown(pair: object) -> bool | None:
    """For the rules comparing custom option values: None when they can judge ``pair``; else
    whether the skip is worth reporting (the element changed). An option from a missing import
    is kept uninterpreted, so its value is unknown on that side. The same for every such rule:
    the checker asks once per pair."""
    old, new = getattr(getattr(pair, "old", None), "proto", None), getattr(getattr(pair, "new", None), "proto", None)
    if not (_has_uninterpreted(old) or _has_uninterpreted(new)):
        return None
    return old.SerializeToString() != new.SerializeToString()


def needs_missing_definition(rule_id: str, pair: object, ctx: CheckContext) -> bool:
    """Whether ``rule_id`` cannot judge ``pair`` because a type on either side is a placeholder."""
    if rule_id not in KIND_RULES:
        return False
    old, new = getattr(pair, "old", None), getattr(pair, "new", None)
    old_proto, new_proto = getattr(old, "proto", None), getattr(new, "proto", None)
    if not hasattr(old_proto, "type_name") or not hasattr(new_proto, "type_name"):
        return False
    if not (ctx.old.is_opaque(old_proto.type_name) or ctx.new.is_opaque(new_proto.type_name)):
        return False
    if old_proto.type == new_proto.type and old_proto.type_name == new_proto.type_name:
        return False  # the same placeholder on both sides: nothing changed, the rule says so
    if rule_id == "FIELD_SAME_TYPE":
        return _may_be_same(old_proto.type_name, new_proto.type_name)  # a different name is a change anyway
    return True


def skipped_note(skipped: Sequence[tuple[str, str]]) -> Diagnostic:
    """One info diagnostic listing the (rule, element) checks skipped for lack of a definition."""
    shown = ", ".join(f"{rule} on {subject}" for rule, subject in sorted(set(skipped))[:10])
    more = f" and {len(set(skipped)) - 10} more" if len(set(skipped)) > 10 else ""
    return Diagnostic(f"checks skipped because the types they compare come from missing imports: {shown}{more}",
                      None, Severity.INFO, "Make the imports available (see the warning about them) to run these checks.")
