"""Contract verdicts the edit-oriented shape rules do not give: fields one side declares and the other does not.

Maintainers: the shape rules judge *edits* (a property "added" to the reader is a problem only
for old documents that may hold it), so a consumer field that a closed producer never writes
passes them, and a lenient reader hides the rest. These detectors are engine hooks of family
``OBJECT`` (called by :class:`~schemacheck.compat.shape.engine.Engine` at every object pair it
reaches, nested ones included), always under BACKWARD: ``old`` is the writer, ``new`` the
reader. Each yields issues (the other side's likely rename of the property in ``hint``) under
the ``CONTRACT_*`` rule ID it feeds (:mod:`.check` builds the
rule table from :data:`DETECTORS`). Renamed-looking pairs come from the engine (``pair.extra``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..compat.shape.objects import CLOSED, OPEN, catch_all, model_of
from ..compat.shape.pair import Issue, ShapePair
from ..shape.nodes import ObjectShape, Property

__all__ = ["DETECTORS", "REQUIRED_MISSING", "NEVER_SENT", "UNDECLARED", "required_missing", "never_sent",
           "undeclared_read", "undeclared_write"]

REQUIRED_MISSING = "CONTRACT_REQUIRED_FIELD_MISSING"
NEVER_SENT = "CONTRACT_FIELD_NEVER_SENT"
UNDECLARED = "CONTRACT_FIELD_UNDECLARED"


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _subject(obj: ObjectShape, name: str) -> str:
    return f"#{obj.pointer}/properties/{_escape(name)}"


def _alternative(pair: ShapePair, name: str, reader_side: bool) -> str:
    """The likely rename of ``name`` on the other side (``hint`` carries it to the contract rule)."""
    for writer_name, reader_name in pair.extra:
        if (reader_name if reader_side else writer_name) == name:
            return writer_name if reader_side else reader_name
    return ""


def required_missing(pair: ShapePair) -> Iterator[Issue]:
    """The reader requires (without a default) a property the writer does not declare."""
    writer, reader = pair.old, pair.new
    for prop in reader.properties:
        if prop.required and not prop.shape.annotations.has_default and writer.prop(prop.name) is None:
            yield pair.issue(prop.name, old=writer, new=prop.shape, subject=_subject(reader, prop.name),
                             hint=_alternative(pair, prop.name, True))
    for name in reader.extra_required:
        if reader.prop(name) is None and writer.prop(name) is None:
            yield pair.issue(name, old=writer, new=reader, subject=_subject(reader, name))


def _optional_unmatched(owner: ObjectShape, other: ObjectShape) -> Iterator[Property]:
    for prop in owner.properties:
        if other.prop(prop.name) is None and not (prop.required and not prop.shape.annotations.has_default):
            yield prop


def never_sent(pair: ShapePair) -> Iterator[Issue]:
    """``reads``: the consumer (reader) declares a property a closed producer (writer) never writes."""
    writer, reader = pair.old, pair.new
    for prop in _optional_unmatched(reader, writer):
        if model_of(catch_all(writer, prop.name)) == CLOSED:
            yield pair.issue(prop.name, old=writer, new=prop.shape, subject=_subject(reader, prop.name),
                             hint=_alternative(pair, prop.name, True))


def undeclared_read(pair: ShapePair) -> Iterator[Issue]:
    """``reads``: the consumer (reader) declares a property an open producer (writer) does not declare."""
    writer, reader = pair.old, pair.new
    for prop in _optional_unmatched(reader, writer):
        if model_of(catch_all(writer, prop.name)) == OPEN:
            yield pair.issue(prop.name, old=writer, new=prop.shape, subject=_subject(reader, prop.name),
                             hint=_alternative(pair, prop.name, True))


def undeclared_write(pair: ShapePair) -> Iterator[Issue]:
    """``writes``: the consumer (writer) sends a property an open producer (reader) does not declare."""
    writer, reader = pair.old, pair.new
    for prop in writer.properties:
        if reader.prop(prop.name) is None and model_of(catch_all(reader, prop.name)) == OPEN:
            yield pair.issue(prop.name, old=prop.shape, new=reader, subject=_subject(writer, prop.name),
                             hint=_alternative(pair, prop.name, False))


#: Contract direction -> (rule ID, detector) pairs run at every object pair.
DETECTORS: dict[str, tuple[tuple[str, Callable[[ShapePair], Iterator[Issue]]], ...]] = {
    "reads": ((REQUIRED_MISSING, required_missing), (NEVER_SENT, never_sent), (UNDECLARED, undeclared_read)),
    "writes": ((REQUIRED_MISSING, required_missing), (UNDECLARED, undeclared_write)),
}
