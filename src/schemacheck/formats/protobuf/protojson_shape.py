"""Entry point: a protobuf message at a revision, read through its ProtoJSON mapping, as a shape.

Maintainers: consumer contracts (issue 10) compare a producer's output with a consumer's input
in the shape engine; when one side is a protobuf message, this module gives its shape. The file
is compiled with its whole import closure (message fields of imported types need their
definitions linked), the descriptors are loaded into a private ``DescriptorPool`` (which
resolves editions features), and :mod:`.protojson_build` maps the message. The mapping and its
limits are documented in ``docs/protobuf.md`` ("Protobuf messages as JSON shapes").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from ...errors import SchemacheckError
from . import compile_protos

if TYPE_CHECKING:
    from google.protobuf.descriptor_pb2 import FileDescriptorProto

    from ...shape.nodes import Shape
    from ...snapshot import Snapshot
    from .external import ImportSources

__all__ = ["protojson_shape", "buf_roots", "ProtoSelectorError"]


class ProtoSelectorError(SchemacheckError):
    """A protobuf selector names a file or message that does not exist at that revision."""


def buf_roots(snapshot: Snapshot, start_dir: str = "") -> tuple[str, ...]:
    """The import roots the revision's ``buf.yaml``/``buf.work.yaml`` declare (the repository
    root without one), as the protobuf checker uses them.

    Raises:
        ConfigError: The buf configuration is invalid.
    """
    from ...compat.protobuf.bufconfig import load_buf_config

    config = load_buf_config(snapshot, start_dir)
    return (config.roots() if config is not None else ()) or ("",)


def protojson_shape(snapshot: Snapshot, path: str, message: str, *, roots: Sequence[str] | None = ("",),
                    view: Literal["write", "read"] = "write", proto_names: bool = False,
                    sources: ImportSources | None = None) -> Shape:
    """The ProtoJSON shape of ``message`` defined in ``path`` at ``snapshot``.

    Args:
        snapshot: The revision.
        path: Repository-relative path of the ``.proto`` file defining the message.
        message: Full name (``pkg.Outer.Inner``), or the name without the package
            (``Outer.Inner``), or a trailing part (``Inner``) when only one message ends so.
        roots: Import roots, repository-relative; ``None``: those of the revision's buf
            configuration (see :func:`buf_roots`).
        view: ``"write"``: what a serializer with default options emits; ``"read"``: what a
            parser with default options accepts.
        proto_names: Write view keyed by proto field names (``preserving_proto_field_name``).
        sources: Where imports that no root holds are looked up (see :func:`compile_protos`).

    Raises:
        ProtoSelectorError: No such file, or no such message in it.
        ParseError: The file (or one it imports) does not compile.
    """
    from google.protobuf import descriptor_pool

    from .compiler import descriptor_set
    from .protojson_build import MessageShapes

    if view not in ("write", "read"):
        raise ValueError(f"view must be 'read' or 'write', not {view!r}")
    if not snapshot.exists(path):
        raise ProtoSelectorError(f"{path}: no such file at {snapshot.label}")
    if roots is None:
        roots = buf_roots(snapshot)
    result = compile_protos(snapshot, [path], tuple(roots) or ("",), closure="full", sources=sources)
    compiled = result.by_path().get(path)
    if compiled is None:
        if result.errors:
            raise result.errors[0]
        raise ProtoSelectorError(f"{path}: did not compile at {snapshot.label}")
    full_name = _find(compiled.descriptor, message, path)
    pool = descriptor_pool.DescriptorPool()
    for fd in descriptor_set(result, [compiled.name]).file:
        pool.Add(fd)
    shapes = MessageShapes(result.files, snapshot.read, view, proto_names and view == "write")
    return shapes.message(pool.FindMessageTypeByName(full_name))


def _find(fd: FileDescriptorProto, wanted: str, path: str) -> str:
    """The full name of message ``wanted`` of file ``fd`` (see :func:`protojson_shape`)."""
    names: list[str] = []

    def walk(messages, scope: str) -> None:
        for msg in messages:
            full = f"{scope}.{msg.name}" if scope else msg.name
            if not msg.options.map_entry:
                names.append(full)
            walk(msg.nested_type, full)

    walk(fd.message_type, fd.package)
    wanted = wanted.lstrip(".")
    if wanted in names:
        return wanted
    local = f"{fd.package}.{wanted}" if fd.package else wanted
    if local in names:
        return local
    tail = [n for n in names if n.endswith("." + wanted)]
    if len(tail) == 1:
        return tail[0]
    if len(tail) > 1:
        raise ProtoSelectorError(f"{path}: message name \"{wanted}\" is ambiguous ({', '.join(sorted(tail)[:5])})")
    listed = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "") if names else "none"
    raise ProtoSelectorError(f"{path}: no message \"{wanted}\" (messages: {listed})")
