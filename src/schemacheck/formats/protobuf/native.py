"""Loading the optional Rust extension ``schemacheck_native`` (built from ``native/``).

Maintainers: the extension holds Rust twins of pure per-file stages of the compiler
(:func:`.parser.parse_data`: lexer and parser in one call; :func:`.lexer.tokenize`;
:func:`.sourceinfo.source_code_info_bytes`). Each twin returns exactly what the Python function
returns, or declines where the Python one would raise (or, for the parser, meets a construct
it does not handle), and the caller then runs the Python function, so error messages are
always the Python path's
(``tests/test_native_parity.py`` holds both paths to byte-identical output). Rules:

* used automatically when importable; ``SCHEMACHECK_NATIVE=0`` forces pure Python;
  ``SCHEMACHECK_NATIVE=1`` requires the extension (CI that built it must not pass without it);
* pure Python when the extension is not installed (an ``ImportError`` naming the extension
  itself); any other import failure is an error, never hidden;
* an extension whose version is not schemacheck's is refused: the compile stops with a
  clear error (exit 2) rather than risk answers that differ.
"""

from __future__ import annotations

import os
from collections import Counter
from types import ModuleType

from ... import __version__
from ...errors import UsageError

__all__ = ["MODULE", "module", "status", "summary", "FALLBACKS", "reset"]

MODULE = "schemacheck_native"
_OFF = ("0", "false", "no", "off")
_TIP = "reinstall it from this schemacheck's source (`pip install ./native`), or set SCHEMACHECK_NATIVE=0"

#: Files a native stage handed back to Python (input errors, limits), by stage.
FALLBACKS: Counter[str] = Counter()

_loaded: tuple[ModuleType | None, str, UsageError | None] | None = None


def _load() -> tuple[ModuleType | None, str, UsageError | None]:
    setting = os.environ.get("SCHEMACHECK_NATIVE", "").strip().lower()
    if setting in _OFF:
        return None, "pure Python (SCHEMACHECK_NATIVE=0)", None
    try:
        import schemacheck_native as mod
    except ImportError as exc:
        if exc.name == MODULE and setting != "1":
            return None, "pure Python (schemacheck_native not installed)", None
        if exc.name == MODULE:
            return None, "none: SCHEMACHECK_NATIVE=1 but schemacheck_native is not installed", UsageError(
                f"SCHEMACHECK_NATIVE=1 requires the native extension, but {MODULE} is not installed",
                "build it with scripts/build-native.sh (needs a Rust toolchain), or unset SCHEMACHECK_NATIVE")
        return None, "pure Python (schemacheck_native broken)", UsageError(
            f"the native extension {MODULE} is installed but cannot be imported: {exc}", _TIP)
    found = getattr(mod, "__version__", None)
    if found != __version__:
        return None, f"refused: {MODULE} {found} does not match schemacheck {__version__}", UsageError(
            f"the native extension {MODULE} {found} does not match schemacheck {__version__}; "
            "refusing to use it", _TIP)
    return mod, f"native ({MODULE} {found})", None


def _state() -> tuple[ModuleType | None, str, UsageError | None]:
    global _loaded
    if _loaded is None:
        _loaded = _load()
    return _loaded


def module() -> ModuleType | None:
    """The extension, or ``None`` for pure Python.

    Raises:
        UsageError: The extension is installed but broken or of another version.
    """
    mod, _, error = _state()
    if error is not None:
        raise error
    return mod


def status() -> str:
    """Which path compiles protobuf, for ``schemacheck --version`` (never raises)."""
    return _state()[1]


def summary() -> str | None:
    """``--verbose``'s line on the protobuf compiler path of this run: which path, and how many
    files the native stages handed back to pure Python (by reason); ``None`` if no protobuf
    file was compiled."""
    if _loaded is None:
        return None
    mod, text, _ = _loaded
    if mod is None:
        return f"protobuf compiler: {text}"
    if not FALLBACKS:
        return f"protobuf compiler: {text}; no file handed back to pure Python"
    parts = ", ".join(f"{n} {stage}" for stage, n in sorted(FALLBACKS.items()))
    return f"protobuf compiler: {text}; handed back to pure Python: {parts}"


def reset() -> None:
    """Forget the loaded state (tests change ``SCHEMACHECK_NATIVE`` and ``sys.path``)."""
    global _loaded
    _loaded = None
    FALLBACKS.clear()
