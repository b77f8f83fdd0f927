"""An index over the linked files of one revision, and the pairing of two such indexes.

Maintainers: the engine pairs elements exactly as buf does — files by import name, types by
full name, fields and enum values by number, oneofs and methods by name — so that every rule
receives ready-made pairs and never iterates files itself. Only *target* files (those whose
content changed, plus what the runner adds) produce pairs; other loaded files are there for
name resolution and lookups.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .elements import Enum, EnumValue, Extension, Field, Message, Method, Oneof, ProtoFile, Service

__all__ = ["Image", "Pair", "EnumValueGroup", "CheckContext", "pairs_for", "pass_of"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Pair(Generic[T]):
    """The same element in the old (base) and new (head) revision."""

    old: T
    new: T


@dataclass(frozen=True, slots=True)
class EnumValueGroup:
    """All values of one enum sharing one number (aliases), as buf compares them."""

    enum: Enum
    number: int
    values: tuple[EnumValue, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.values)


class Image:
    """The linked files of one revision with lookups by full name.

    Args:
        files: Loaded files by import name (targets and their imports).
        targets: Import names whose elements are checked.
        all_names: Import names of every protobuf file in the revision, loaded or not
            (deletion rules need to know a file exists even if it failed to compile).
        packages: Package of every file in ``all_names`` when known (cheap scan), for
            package-scope rules; falls back to loaded files. May be a lazy mapping: it is
            only read when a rule asks for :meth:`packages`.
        missing: Imports found nowhere (``MissingImport``); their types are placeholders.
    """

    def __init__(self, files: Mapping[str, ProtoFile], targets: Iterable[str],
                 all_names: Iterable[str] | None = None, packages: Mapping[str, str] | None = None,
                 missing: tuple = ()) -> None:
        self.files = dict(files)
        self.missing = tuple(missing)  # formats.protobuf.locate.MissingImport: imports found nowhere
        self.targets = frozenset(t for t in targets if t in self.files)
        # a lazy set (names.ImportNames) stays lazy: membership is a lookup, not a listing
        self.all_names: AbstractSet[str] = (all_names if isinstance(all_names, AbstractSet) else
                                            frozenset(all_names) if all_names is not None else frozenset(self.files))
        self._packages: Mapping[str, str] = packages if packages is not None else {}
        self._messages: dict[str, Message] | None = None
        self._enums: dict[str, Enum] | None = None
        self._services: dict[str, Service] | None = None
        self._extensions: dict[tuple[str, int], Extension] | None = None

    def target_files(self) -> Iterator[ProtoFile]:
        for name in sorted(self.targets):
            yield self.files[name]

    def _index(self) -> None:
        self._messages, self._enums, self._services, self._extensions = {}, {}, {}, {}
        for file in self.files.values():
            for msg in file.messages():
                self._messages.setdefault(msg.full_name, msg)
            for en in file.enums():
                self._enums.setdefault(en.full_name, en)
            for svc in file.services():
                self._services.setdefault(svc.full_name, svc)
            for ext in file.extensions():
                self._extensions.setdefault((ext.extendee, ext.number), ext)

    @property
    def messages(self) -> dict[str, Message]:
        if self._messages is None:
            self._index()
        assert self._messages is not None
        return self._messages

    @property
    def enums(self) -> dict[str, Enum]:
        if self._enums is None:
            self._index()
        assert self._enums is not None
        return self._enums

    @property
    def services(self) -> dict[str, Service]:
        if self._services is None:
            self._index()
        assert self._services is not None
        return self._services

    @property
    def extensions(self) -> dict[tuple[str, int], Extension]:
        if self._extensions is None:
            self._index()
        assert self._extensions is not None
        return self._extensions

    def is_opaque(self, type_name: str) -> bool:
        """Whether ``type_name`` (a field's or method's, as linked) is a placeholder for a type
        of a missing import: not defined in any loaded file (only possible when one is missing)."""
        if not self.missing or not type_name:
            return False
        if not type_name.startswith("."):  # an unqualified placeholder: never a resolved name
            return True
        return type_name[1:] not in self.messages and type_name[1:] not in self.enums

    def package_of(self, name: str) -> str | None:
        """Package of the file with import name ``name`` (loaded or scanned)."""
        if name in self.files:
            return self.files[name].package
        return self._packages.get(name)

    def packages(self) -> set[str]:
        """Every package of the revision (scanned or loaded)."""
        found = {f.package for f in self.files.values() if f.name in self.all_names}
        found.update(pkg for name, pkg in self._packages.items() if name in self.all_names)
        return found


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a rule may consult beyond its pair: both images (for lookups by name).

    ``renames`` maps base path -> head path of files git saw as renamed (for messages only:
    pairing stays by path, as in buf).
    """

    old: Image
    new: Image
    renames: Mapping[str, str] = field(default_factory=dict)
    #: Pairs by subject, made once per check (:func:`pairs_for`): field and oneof pairs come
    #: from the message pairs, enum value pairs from the enum pairs.
    pairs: dict[str, tuple[Pair, ...]] = field(default_factory=dict, compare=False, repr=False)
    #: Import names of the old target files whose pairs this context makes (None: every one);
    #: the rules' two processes each take some of the files (``checker.run_rules``). The
    #: images themselves, and the image-wide pair, are never restricted.
    only: frozenset[str] | None = field(default=None, compare=False)


def _files(ctx: CheckContext) -> Iterable[ProtoFile]:
    """The old target files whose pairs ``ctx`` makes, in the images' order."""
    files = ctx.old.target_files()
    return files if ctx.only is None else [f for f in files if f.name in ctx.only]


def pass_of(subject: str, pair: Pair) -> int:
    """Which pass over the files made ``pair`` among its subject's pairs: every subject's pairs
    come file by file in the files' order, except ``field``, which lists the message fields
    file by file (pass 0) and then the extensions file by file (pass 1). With the file's
    position this orders pairs made by restricted contexts as one context would."""
    return 1 if subject == "field" and isinstance(pair.old, Extension) else 0


def _file_pairs(ctx: CheckContext) -> Iterator[Pair[ProtoFile]]:
    for file in _files(ctx):
        new = ctx.new.files.get(file.name)
        if new is not None and file.name in ctx.new.targets:
            yield Pair(file, new)


def _top(element: Message | Enum) -> Message | Enum:
    while element.parent is not None:
        element = element.parent
    return element


def _unchanged(old: Message | Enum, new: Message | Enum) -> bool:
    """Whether a message or enum is identical in both revisions, and so is everything it inherits.

    Linked descriptors compare equal only when every name, number, type (resolved) and option
    is equal; features are inherited from the file and the enclosing messages, so those must be
    equal too: the file's syntax, edition and options, and the whole top-level message. Such
    pairs cannot break anything and are not handed to rules — in a large change most types
    are untouched, and this is where the work stays proportional to the change.
    """
    fo, fn = old.file.proto, new.file.proto
    if fo.syntax != fn.syntax or fo.edition != fn.edition or fo.package != fn.package or fo.options != fn.options:
        return False
    top_old, top_new = _top(old), _top(new)
    return top_old.full_name == top_new.full_name and top_old.proto == top_new.proto


def _message_pairs(ctx: CheckContext) -> Iterator[Pair[Message]]:
    for file in _files(ctx):
        for msg in file.messages():
            new = ctx.new.messages.get(msg.full_name)
            if new is not None and not _unchanged(msg, new):
                yield Pair(msg, new)


def _field_pairs(ctx: CheckContext) -> Iterator[Pair[Field]]:
    for pair in pairs_for("message", ctx):
        new_by_number = {f.number: f for f in pair.new.fields()}
        for fld in pair.old.fields():
            new = new_by_number.get(fld.number)
            if new is not None:
                yield Pair(fld, new)
    yield from pairs_for("extension", ctx)


def _extension_pairs(ctx: CheckContext) -> Iterator[Pair[Extension]]:
    for file in _files(ctx):
        for ext in file.extensions():
            new = ctx.new.extensions.get((ext.extendee, ext.number))
            if new is not None:
                yield Pair(ext, new)


def _oneof_pairs(ctx: CheckContext) -> Iterator[Pair[Oneof]]:
    for pair in pairs_for("message", ctx):
        new_by_name = {o.name: o for o in pair.new.oneofs()}
        for oneof in pair.old.oneofs():
            new = new_by_name.get(oneof.name)
            if new is not None:
                yield Pair(oneof, new)


def _enum_pairs(ctx: CheckContext) -> Iterator[Pair[Enum]]:
    for file in _files(ctx):
        for en in file.enums():
            new = ctx.new.enums.get(en.full_name)
            if new is not None and not _unchanged(en, new):
                yield Pair(en, new)


def _groups(enum: Enum) -> dict[int, EnumValueGroup]:
    by_number: dict[int, list[EnumValue]] = {}
    for value in enum.values():
        by_number.setdefault(value.number, []).append(value)
    return {n: EnumValueGroup(enum, n, tuple(vals)) for n, vals in by_number.items()}


def _enum_value_pairs(ctx: CheckContext) -> Iterator[Pair[EnumValueGroup]]:
    for pair in pairs_for("enum", ctx):
        new_groups = _groups(pair.new)
        for number, group in _groups(pair.old).items():
            if number in new_groups:
                yield Pair(group, new_groups[number])


def _service_pairs(ctx: CheckContext) -> Iterator[Pair[Service]]:
    for file in _files(ctx):
        for svc in file.services():
            new = ctx.new.services.get(svc.full_name)
            if new is not None:
                yield Pair(svc, new)


def _method_pairs(ctx: CheckContext) -> Iterator[Pair[Method]]:
    for pair in pairs_for("service", ctx):
        new_by_name = {m.name: m for m in pair.new.methods()}
        for method in pair.old.methods():
            new = new_by_name.get(method.name)
            if new is not None:
                yield Pair(method, new)


def _image_pairs(ctx: CheckContext) -> Iterator[Pair[Image]]:
    yield Pair(ctx.old, ctx.new)


_PAIRERS = {
    "image": _image_pairs,
    "file": _file_pairs,
    "message": _message_pairs,
    "field": _field_pairs,
    "extension": _extension_pairs,
    "oneof": _oneof_pairs,
    "enum": _enum_pairs,
    "enum_value": _enum_value_pairs,
    "service": _service_pairs,
    "method": _method_pairs,
}

#: The subjects a protobuf rule may declare.
SUBJECTS = tuple(_PAIRERS)


def pairs_for(subject: str, ctx: CheckContext) -> tuple[Pair, ...]:
    """All pairs of one subject kind (``field``, ``message``, …), found once per context."""
    found = ctx.pairs.get(subject)
    if found is None:
        found = ctx.pairs[subject] = tuple(_PAIRERS[subject](ctx))
    return found
