"""Python-specific DTO rules: what the shape engine cannot name as precisely.

Maintainers: each function receives a :class:`~schemacheck.compat.python.compare.DtoPair`
(old and new class, the directions its role is checked in) and yields
:class:`~schemacheck.registry.Violation`s. The shape engine would report an alias change as
a likely rename of the wire key and a tightened unknown-key policy not at all for readers
that never saw extra keys; these rules say what happened in Python terms.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...registry import Violation, rule


def _at(cls: Any, span: tuple[int, int, int, int]) -> Any:
    from ...model import Location

    return Location(cls.path, *span) if span[0] else Location(cls.path)


@rule("DTO_FIELD_ALIAS_CHANGED", format="python", subject="dto", categories=("BACKWARD", "FORWARD", "DTO"),
      default=True)
def dto_field_alias_changed(pair: Any, ctx: Any = None) -> Iterator[Violation]:
    """A DTO field kept its Python name but its wire name (alias) changed.

    ## What it does
    Flags a field of a pydantic model, pydantic dataclass or msgspec Struct whose attribute is
    unchanged while the key it reads (BACKWARD) or writes (FORWARD) changed: `Field(alias=)`,
    `validation_alias`/`serialization_alias`, the class's `alias_generator`, v1
    `Config.fields`, msgspec `rename=` or `field(name=)`.

    ## Why is this breaking?
    The Python code looks the same, but on the wire the old key is gone: requests written with
    the old key lose the value (or fail validation when the field is required), and clients
    reading responses no longer find the key they parse.

    ## Example
    Before: `total: int = Field(alias="totalAmount")`.
    After: `total: int = Field(alias="total_amount")`.

    ## How to change this safely
    Accept both names while clients move (`validation_alias=AliasChoices("totalAmount",
    "total_amount")`), keep writing the old one (`serialization_alias`), and switch the output
    only after every reader accepts the new key.
    """
    if pair.new is None:
        return
    for new_field in pair.new.fields:
        old_field = pair.old.field(new_field.attr)
        if old_field is None:
            continue
        changes = []
        if "backward" in pair.directions and old_field.read_name != new_field.read_name:
            changes.append(("reads", old_field.read_name, new_field.read_name))
        if "forward" in pair.directions and old_field.write_name != new_field.write_name \
                and old_field.written and new_field.written:
            changes.append(("writes", old_field.write_name, new_field.write_name))
        if not changes:
            continue
        what = "; ".join(f'it {verb} "{new}" instead of "{old}"' for verb, old, new in changes)
        yield Violation(f'Field "{new_field.attr}" of {pair.new.name} changed its wire name: {what}; '
                        "clients using the old key lose the value.",
                        _at(pair.new, new_field.span), _at(pair.old, old_field.span),
                        subject=f"{pair.new.qualname}.{new_field.attr}")


@rule("DTO_EXTRA_POLICY_TIGHTENED", format="python", subject="dto", categories=("BACKWARD", "DTO"), default=True)
def dto_extra_policy_tightened(pair: Any, ctx: Any = None) -> Iterator[Violation]:
    """A DTO that ignored or kept unknown keys now forbids them.

    ## What it does
    Flags a class whose unknown-key policy went from `extra='ignore'` or `'allow'` to
    `extra='forbid'` (msgspec `forbid_unknown_fields=True`, TypedDict `closed=True`), when the
    class is read from input (role `request`, or no role).

    ## Why is this breaking?
    Clients that send keys the model does not declare (an older field, a field meant for
    another service, a typo that used to be harmless) were accepted before and are now
    rejected with a validation error (BACKWARD).

    ## Example
    Before: `class OrderIn(BaseModel): id: int`.
    After: `class OrderIn(BaseModel): model_config = ConfigDict(extra="forbid"); id: int`.

    ## How to change this safely
    Log unknown keys first (`extra='allow'` and inspect `model_extra`), fix the clients that
    send them, then forbid.
    """
    if pair.new is None or "backward" not in pair.directions:
        return
    if pair.old.extra in ("ignore", "allow") and pair.new.extra == "forbid":
        yield Violation(f"{pair.new.name} now rejects unknown keys (it {pair.old.extra}d them before); "
                        "clients that send extra keys are rejected.",
                        _at(pair.new, pair.new.name_span), _at(pair.old, pair.old.name_span),
                        subject=pair.new.qualname)


@rule("DTO_CLASS_REMOVED", format="python", subject="dto", categories=("BACKWARD", "FORWARD", "DTO"), default=True)
def dto_class_removed(pair: Any, ctx: Any = None) -> Iterator[Violation]:
    """A DTO class was removed (and no class of the same name appeared elsewhere).

    ## What it does
    Flags a pydantic model, dataclass, TypedDict, attrs class or msgspec Struct that existed in
    the base revision and exists in no module of the head revision's changed files.

    ## Why is this breaking?
    The payload it described is no longer described: the endpoint, message or file that used it
    now reads or writes something else, and its consumers are not told what.

    ## Example
    Before: `class OrderV1(BaseModel): ...` in `app/api/models.py`. After: the class is deleted.

    ## How to change this safely
    Keep the class (deprecated) until no producer or consumer uses it; if it moved, move it
    in the same change so that it is paired with its old definition.
    """
    if pair.new is not None:
        return
    yield Violation(f"DTO class {pair.old.qualname} was removed; its consumers lose their description of the payload.",
                    None, _at(pair.old, pair.old.name_span), subject=pair.old.qualname)
