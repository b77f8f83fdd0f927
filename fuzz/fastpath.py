"""The fast path of one input: the format's checker (front end + engine + rules), without the runner.

Maintainers: :func:`fuzz.targets.run_pair` runs the whole ``runner.run_check`` (scope, claims,
filters, sorting, a quarter rendered by a reporter) on a cold compiler; that is the path a user
takes, and the fast mode still sends a sample of inputs through it (:data:`FULL_EVERY`). Every
other input goes :func:`fast_pair`: the format's own ``claims`` / ``worth_checking`` decide, as
the runner's would, whether the file is the format's, then ``checker.check`` runs on a
:class:`~schemacheck.checkers.FormatJob` (parser / loader / linker / metaschema / ``to_shape``,
the engine pairing base with head, every rule). Half the inputs run every rule of the format
(not just the defaults), which the CLI does under ``--select ALL``. JSON Schema inputs skip
the metaschema gate three times in four (:func:`_gate_metaschema` says why that is sound).

The protobuf compiler's in-process caches are reset before each input to a *warm* state taken
in the parent before the workers fork (:func:`take_warm_state`): the bundled well-known types
and every seed already linked. Entries are keyed by digests of the file contents, so a warm
entry is what a cold compile of the same bytes gives (seeds are compiled cold at warm-up and a
failing seed is reported); the mutant, whose bytes are new, is always compiled cold. Resetting
to the same state before every input keeps an input's outcome independent of the inputs that
ran before it in the worker, so a rerun alone reproduces it.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict

__all__ = ["FULL_EVERY", "fast_pair", "settings_for", "take_warm_state", "restore_warm_state"]

#: One input in this many goes the whole CLI path (``run_check`` + a reporter) in the fast mode.
FULL_EVERY = 50
#: JSON Schema: one fast input in this many is validated against its metaschema first.
METASCHEMA_EVERY = 4
_SKIP_METASCHEMA = [False]

_WARM: dict[str, object] = {}


def settings_for(target, head: bytes):
    """The configuration an input runs with: picked by the input, so that a rerun is the same run."""
    from schemacheck.config import Settings

    pick = zlib.crc32(head)
    if target.fmt == "jsonschema":  # every mode and policy
        return Settings.model_validate({"jsonschema": {"mode": ("backward", "forward", "full")[pick % 3],
                                                       "policy": ("strict", "lenient")[pick // 3 % 2]}})
    if target.fmt == "openapi":  # validate_spec = false 3 times in 4: most of the time is validation,
        # and with it off the schemas reach the engine unvalidated (a configuration users choose)
        return Settings.model_validate({"openapi": {"validate_spec": pick // 8 % 4 == 0}})
    return Settings()


def _caches() -> dict[str, object]:
    from schemacheck.formats.protobuf import memo

    return {name: getattr(memo, name) for name in ("LINKED", "IMPORTS", "DECLARED", "SCANNED")}


def take_warm_state() -> None:
    """Remember the protobuf compiler's caches as they are now (after the warm-up, before forking)."""
    for name, cache in _caches().items():
        _WARM[name] = OrderedDict(cache) if isinstance(cache, OrderedDict) else dict(cache)


def restore_warm_state() -> None:
    """Reset the protobuf compiler's caches to the warm state (empty if none was taken).

    An input only adds entries (values are functions of their keys; eviction starts at
    ``LINKED_SIZE``), so dropping the added keys is enough unless a warm one went missing (the
    whole path clears the caches): then they are refilled.
    """
    for name, cache in _caches().items():
        warm = _WARM.get(name, {})
        if len(cache) == len(warm) and (not warm or next(reversed(cache)) in warm):
            continue
        extra = [key for key in cache if key not in warm]
        if len(cache) - len(extra) == len(warm):
            for key in extra:
                del cache[key]
        else:
            cache.clear()
            cache.update(warm)


def fast_pair(target, base: bytes, head: bytes) -> object:
    """Check ``head`` against ``base`` with the format's checker alone; returns its FormatOutcome (or None).

    Raises whatever the check raises (a ``SchemacheckError`` is a clean rejection).
    """
    from schemacheck.checkers import FormatJob, get_checker
    from schemacheck.registry import REGISTRY, load_rules
    from schemacheck.runner import select_rules

    from .targets import MemorySnapshot

    if target.run is not None:
        return target.run(base, head)
    if target.fmt == "protobuf":
        restore_warm_state()
    if target.fmt == "jsonschema":
        _gate_metaschema()
        _SKIP_METASCHEMA[0] = zlib.crc32(head) // 2 % METASCHEMA_EVERY != 0
    name = target.filename
    settings = settings_for(target, head)
    checker = get_checker(target.fmt)
    base_snap, head_snap = MemorySnapshot({name: base}, "base"), MemorySnapshot({name: head}, "head")
    named = (name,)
    base_paths = (name,) if checker.claims(name, base_snap, settings, named) else ()
    head_paths = (name,) if checker.claims(name, head_snap, settings, named) else ()
    if base == head or not (base_paths or head_paths):
        return None
    if not any(checker.worth_checking(name, snap) for snap, paths in ((head_snap, head_paths),
                                                                        (base_snap, base_paths)) if paths):
        return None
    if zlib.crc32(head) & 1:
        load_rules()
        selected = frozenset(r.id for r in REGISTRY.for_format(target.fmt))
    else:
        selected = select_rules(settings, target.fmt)
    try:
        return checker.check(FormatJob(base_snap, head_snap, base_paths, head_paths, frozenset(named),
                                       settings=settings, selected=selected))
    finally:
        _SKIP_METASCHEMA[0] = False


def _gate_metaschema() -> None:
    """Let :func:`fast_pair` turn JSON Schema's metaschema validation off for an input.

    Validation (the ``jsonschema`` package on the 2020-12 metaschema) costs about three times
    the rest of the front end, and ``to_shape`` must cope with schemas that did not pass it
    anyway: a new file over ``FULL_VALIDATION_BYTES`` is not validated, nor are the schema
    objects of an OpenAPI document under ``validate_spec = false``. So most fast inputs reach
    ``to_shape`` and the engine unvalidated, and one in :data:`METASCHEMA_EVERY` (and every input
    of the whole path) is validated first, as the CLI does.
    """
    from schemacheck.formats.jsonschema import metaschema

    check = metaschema.check_metaschema
    if getattr(check, "_fuzz_gate", False):
        return

    def gated(doc, base=None, size=0):
        return None if _SKIP_METASCHEMA[0] else check(doc, base, size)

    gated._fuzz_gate = True  # type: ignore[attr-defined]
    metaschema.check_metaschema = gated
