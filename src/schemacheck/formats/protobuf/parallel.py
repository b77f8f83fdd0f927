"""Parse many ``.proto`` files at once in forked worker processes.

Maintainers: tokenizing and parsing are pure per-file work, about two thirds of a cold
compile, so a large compile (a monorepo's first run) parses its targets in a process pool
while linking stays in the parent. Workers are forked (they inherit the file contents in
``_JOBS``, nothing is re-imported) and send back a compact picklable form of each
:class:`~.parser.ParsedFile`: the descriptor as bytes and, instead of object references,
the source paths of the elements that options and type references belong to. Platforms
without ``fork`` and small compiles simply parse in-process.

The pool is opt-in: ``SCHEMACHECK_PROTO_JOBS=N`` (or ``auto``, one per CPU). On the shared
2-core machine this was developed on, forking lost to parsing in-process (600 files: 2.2 s
in a pool of 2 against 1.9 s serially), so the default is ``1``, no pool.
"""

from __future__ import annotations

import gc
import os

from google.protobuf import descriptor_pb2 as d

from ...errors import LinkError, ParseError
from .lexer import check_text
from .parser import ParsedFile, PendingOption, PendingOptions, TypeRef, parse_data

__all__ = ["parse_many", "pool_size", "MIN_FILES"]

#: Below this many files a pool costs more than it saves.
MIN_FILES = 48

_JOBS: list[tuple[str, str, bytes]] = []


def _navigate(fd: d.FileDescriptorProto, path: tuple[int, ...]):
    obj = fd
    for i in range(0, len(path), 2):
        name = obj.DESCRIPTOR.fields_by_number[path[i]].name
        obj = getattr(obj, name)[path[i + 1]]
    return obj


def _pack(pf: ParsedFile) -> tuple:
    options = [(p.options_type, p.path, p.scope,
                [(o.name, o.kind, o.value, o.line, o.col, o.vline, o.vcol) for o in p.items])
               for p in pf.options]
    refs = [(r.attr, r.scope, r.line, r.col, r.path) for r in pf.refs]
    locs = pf.locs if type(pf.locs) is list else pf.locs.to_list()  # native locations are not picklable
    return (pf.path, pf.fd.SerializeToString(), pf.syntax, locs, options, refs, pf.import_pos)


def _unpack(packed: tuple) -> ParsedFile:
    path, fd_bytes, syntax, locs, options, refs, import_pos = packed
    fd = d.FileDescriptorProto.FromString(fd_bytes)
    pending = []
    for options_type, opath, scope, items in options:
        owner = _navigate(fd, opath[:-1])
        pending.append(PendingOptions(owner, options_type, opath, scope,
                                      [PendingOption(*item) for item in items]))
    type_refs = [TypeRef(_navigate(fd, rpath), attr, scope, line, col, rpath)
                 for attr, scope, line, col, rpath in refs]
    return ParsedFile(path, fd, syntax, locs, pending, type_refs, import_pos)


def _job(index: int) -> tuple:
    gc.disable()
    path, name, data = _JOBS[index]
    try:
        check_text(data, path)
        return ("ok", _pack(parse_data(data, path, name)))
    except ParseError as exc:
        return ("error", (type(exc) is LinkError, exc.path, exc.line, exc.column, exc.detail, exc.tip))
    except Exception as exc:  # reported like the in-process compiler does
        return ("error", (False, path, 0, 0, f"internal error in the protobuf parser: {type(exc).__name__}: {exc}",
                          None))


def _workers() -> int:
    env = os.environ.get("SCHEMACHECK_PROTO_JOBS", "1")
    if env == "auto":
        try:
            return min(len(os.sched_getaffinity(0)), 8)
        except AttributeError:
            return min(os.cpu_count() or 1, 8)
    return int(env) if env.isdigit() else 1


def pool_size(n_jobs: int) -> int:
    """Worker processes :func:`parse_many` would use for ``n_jobs`` files (below 2: no pool)."""
    if n_jobs < MIN_FILES:
        return 1
    return min(_workers(), n_jobs // (MIN_FILES // 2) or 1)


def parse_many(jobs: list[tuple[str, str, bytes]]) -> dict[str, ParsedFile | ParseError]:
    """Parse ``(path, import name, content)`` jobs, in parallel when worthwhile.

    Returns:
        Import name -> parsed file or the error that stopped it; empty when the pool was
        not used (too few files, one CPU, or no ``fork``).
    """
    workers = pool_size(len(jobs))
    if workers < 2:
        return {}
    import multiprocessing

    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:
        return {}
    global _JOBS
    _JOBS = jobs
    try:
        with ctx.Pool(workers) as pool:
            results = pool.map(_job, range(len(jobs)), chunksize=max(1, len(jobs) // (workers * 8)))
    except OSError:
        return {}
    finally:
        _JOBS = []
    out: dict[str, ParsedFile | ParseError] = {}
    for (path, name, _data), (status, payload) in zip(jobs, results):
        if status == "ok":
            out[name] = _unpack(payload)
        else:
            is_link, epath, line, col, detail, tip = payload
            out[name] = (LinkError if is_link else ParseError)(epath, line, col, detail, tip)
    return out
