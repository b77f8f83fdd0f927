"""Turn the parser's location list into protoc's final ``SourceCodeInfo``.

Maintainers: two protoc post-passes are replayed. ``OptionInterpreter::UpdateSourceCodeInfo``
renames the location of each option statement (``.../999/i``) to the path of the option field
it set, and drops that statement's sub-locations (name parts, value). Then, as protoc's
output writer strips ``retention = RETENTION_SOURCE`` options, their locations go too.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2 as d

__all__ = ["source_code_info"]


def _rewrite(locs: list[list], paths: dict[tuple[int, ...], tuple[int, ...]]) -> list[list]:
    if not paths:
        return locs
    out: list[list] = []
    matched: tuple[int, ...] | None = None
    for loc in locs:
        path = loc[0]
        if matched is not None:
            if path[: len(matched)] == matched:
                continue
            matched = None
        dest = paths.get(path)
        if dest is None:
            out.append(loc)
            continue
        matched = path
        out.append([dest, loc[1], loc[2], loc[3], loc[4]])
    return out


def source_code_info(locs: list[list], paths: dict[tuple[int, ...], tuple[int, ...]],
                     stripped: list[tuple[int, ...]]) -> d.SourceCodeInfo:
    """Build the ``SourceCodeInfo`` message.

    Args:
        locs: ``[path, span, leading, trailing, detached]`` in creation order.
        paths: Interpreted option paths (statement path -> option field path).
        stripped: Paths of options removed for source retention (prefixes to drop).
    """
    locs = _rewrite(locs, paths)
    if stripped:
        prefixes = set(stripped)
        lengths = sorted({len(p) for p in prefixes})
        locs = [loc for loc in locs if not any(loc[0][:n] in prefixes for n in lengths)]
    info = d.SourceCodeInfo()
    add = info.location.add
    for path, span, leading, trailing, detached in locs:
        loc = add(path=path, span=span)
        if leading:
            loc.leading_comments = leading
        if trailing:
            loc.trailing_comments = trailing
        if detached:
            loc.leading_detached_comments.extend(detached)
    return info
