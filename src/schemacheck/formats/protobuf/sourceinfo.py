"""Turn the parser's location list into protoc's final ``SourceCodeInfo``.

Maintainers: two protoc post-passes are replayed. ``OptionInterpreter::UpdateSourceCodeInfo``
renames the location of each option statement (``.../999/i``) to the path of the option field
it set, and drops that statement's sub-locations (name parts, value). Then, as protoc's
output writer strips ``retention = RETENTION_SOURCE`` options, their locations go too.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2 as d

from . import native

__all__ = ["source_code_info", "source_code_info_bytes", "source_code_info_bytes_python"]


def _rewrite(locs: list[list], paths: dict[tuple[int, ...], tuple[int, ...]]) -> list[list]:
    if not paths:
        return locs
    # Only paths as long as an option statement's can be one: skip hashing the others.
    lengths = {len(p) for p in paths}
    out: list[list] = []
    matched: tuple[int, ...] | None = None
    for loc in locs:
        path = loc[0]
        if matched is not None:
            if path[: len(matched)] == matched:
                continue
            matched = None
        dest = paths.get(path) if len(path) in lengths else None
        if dest is None:
            out.append(loc)
            continue
        matched = path
        out.append([dest, loc[1], loc[2], loc[3], loc[4]])
    return out


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        bits = value & 0x7F
        value >>= 7
        if value:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


# Varints of 0..16383 (one or two bytes), built directly: this table is made at import time.
_V = [bytes((i,)) for i in range(128)] + [bytes(((i & 0x7F) | 0x80, i >> 7)) for i in range(128, 1 << 14)]


def _v(value: int) -> bytes:
    return _V[value] if value < 16384 else _varint(value)


_PATHS: dict[tuple[int, ...], bytes] = {}


def _string(tag: bytes, text: str) -> bytes:
    data = text.encode("utf-8")
    return tag + _v(len(data)) + data


def source_code_info_bytes(locs: list[list], paths: dict[tuple[int, ...], tuple[int, ...]],
                           stripped: list[tuple[int, ...]]) -> bytes:
    """The serialized ``SourceCodeInfo`` (same content as :func:`source_code_info`).

    Encoding by hand and parsing once in C is several times faster than building
    hundreds of location messages one by one. The native extension, when in use, does the
    same encoding in Rust; locations the Rust parser kept (``schemacheck_native.Locations``,
    never turned into lists) are encoded where they are.
    """
    if type(locs) is not list:
        return locs.source_code_info_bytes(paths if type(paths) is dict else dict(paths), list(stripped))
    mod = native.module()
    if mod is not None:
        return mod.source_code_info_bytes(locs, paths, list(stripped))
    return source_code_info_bytes_python(locs, paths, stripped)


def source_code_info_bytes_python(locs: list[list], paths: dict[tuple[int, ...], tuple[int, ...]],
                                  stripped: list[tuple[int, ...]]) -> bytes:
    """The pure-Python encoder: the reference the native one must match byte for byte."""
    locs = _rewrite(locs, paths)
    if stripped:
        prefixes = set(stripped)
        lengths = sorted({len(p) for p in prefixes})
        locs = [loc for loc in locs if not any(loc[0][:n] in prefixes for n in lengths)]
    out = []
    join = b"".join
    table = _V
    paths_cache = _PATHS
    if len(paths_cache) > 200_000:  # distinct paths are few in practice; bound it anyway
        paths_cache.clear()
    append = out.append
    for path, span, leading, trailing, detached in locs:
        head = paths_cache.get(path)
        if head is None:
            p = join(map(_v, path))
            head = paths_cache[path] = (b"\x0a" + _v(len(p)) + p if p else b"") + b"\x12"
        try:  # a span is [line, col, end col] or [line, col, end line, end col]
            if len(span) == 3:
                sp = table[span[0]] + table[span[1]] + table[span[2]]
            else:
                sp = join([table[x] for x in span])
        except IndexError:  # a value of 16384 or more: a long varint
            sp = join(map(_v, span))
        body = head + table[len(sp)] + sp
        if leading:
            body += _string(b"\x1a", leading)
        if trailing:
            body += _string(b"\x22", trailing)
        if detached:
            for text in detached:
                body += _string(b"\x32", text)
        append(b"\x0a" + _v(len(body)) + body)
    return join(out)


def source_code_info(locs: list[list], paths: dict[tuple[int, ...], tuple[int, ...]],
                     stripped: list[tuple[int, ...]]) -> d.SourceCodeInfo:
    """Build the ``SourceCodeInfo`` message.

    Args:
        locs: ``[path, span, leading, trailing, detached]`` in creation order.
        paths: Interpreted option paths (statement path -> option field path).
        stripped: Paths of options removed for source retention (prefixes to drop).
    """
    return d.SourceCodeInfo.FromString(source_code_info_bytes(locs, paths, stripped))
