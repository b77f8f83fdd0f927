"""Bytes → :class:`~.document.JsonDocument` for JSON and YAML, or a ``ParseError`` with a position.

Maintainers: every failure names the file, line and column and is bounded in time and memory:

- size: JSON above :data:`MAX_JSON_BYTES`, YAML above :data:`MAX_YAML_BYTES` is refused
  before parsing (YAML is parsed in Python and is ~50x slower per byte);
- encoding: UTF-8 only (a UTF-8 BOM is tolerated), the first bad byte is located;
- nesting deeper than :data:`MAX_DEPTH` is refused (no ``RecursionError`` reaches the user,
  and the shape engine can recurse safely);
- duplicate keys are errors (JSON silently keeps the last one, which hides mistakes); the
  check is nearly free: parsed keys are counted against key-colon matches in the text, and
  only a mismatch (a duplicate, or such a sequence inside a string) costs a second, exact parse;
- ``NaN``/``Infinity`` are not JSON;
- the dialect is the root ``$schema``'s, else inferred from the keywords (``dialect.py``);
- YAML is composed safely (no object construction), plain scalars resolved by the YAML 1.2
  core schema (``on``/``yes`` are strings, as for js-yaml); unknown tags (``!!python/...``,
  ``!Ref``) are errors; aliases are allowed and built once (the data shares the object), but
  every later stage walks the *expanded* tree, so aliases may add at most
  :data:`ALIAS_BUDGET` values beyond the written ones and may not nest past
  :data:`MAX_DEPTH`: "billion laughs" is refused at once, and whatever is accepted is checked
  within the time budget; recursive aliases are errors; timestamps and other non-JSON scalars
  stay strings; keys are their source text.
"""

from __future__ import annotations

import gc
import json
import re
from typing import Any

from ...errors import ParseError
from .dialect import describe, infer_dialect
from .document import JsonDocument, dialect_of
from .positions import JsonPositions, LineMap, YamlPositions

__all__ = ["load_document", "decode_utf8", "MAX_JSON_BYTES", "MAX_YAML_BYTES", "MAX_DEPTH", "ALIAS_BUDGET", "is_yaml_path"]

#: Largest JSON schema file accepted (bytes).
MAX_JSON_BYTES = 16 * 1024 * 1024
#: Largest YAML schema file accepted (bytes). YAML is composed into Python node objects
#: (~0.5-1 s per MB on one core even with libyaml, ~10x more without it) and both revisions
#: are loaded, so this keeps a check within 5 s; 3.6 MB used to take 12.8 s and 627 MB.
#: The same schema as JSON (parsed in C) may be 10x larger.
MAX_YAML_BYTES = 3 * 512 * 1024
#: Deepest nesting of arrays/objects accepted.
MAX_DEPTH = 200
#: Values YAML aliases may add to a document beyond the values written in it. Every stage after
#: loading (metaschema, shapes, comparison, reports) costs per *expanded* value, and a change
#: under a much-used anchor is a finding at every use: at 10,000 copies the worst case still
#: checks within 5 s; 100,000 took 24-53 s.
ALIAS_BUDGET = 10_000


def is_yaml_path(path: str) -> bool:
    """Whether ``path`` is read as YAML (by extension)."""
    return path.lower().endswith((".yaml", ".yml"))


def load_document(path: str, raw: bytes) -> JsonDocument:
    """Parse one schema file.

    Args:
        path: Repository-relative path (names the file in errors; picks JSON or YAML).
        raw: The file content.

    Raises:
        ParseError: With line and column when the content is not acceptable.
    """
    yaml_syntax = is_yaml_path(path)
    limit = MAX_YAML_BYTES if yaml_syntax else MAX_JSON_BYTES
    if len(raw) > limit:
        raise ParseError(path, 0, 0, f"file is {_mb(len(raw))}, larger than the {_mb(limit)} limit for "
                                     f"{'YAML' if yaml_syntax else 'JSON'} schema files; it was not parsed",
                         tip="Split the schema into several files referenced with $ref"
                             + (", or keep it as JSON (up to " + _mb(MAX_JSON_BYTES) + ")." if yaml_syntax else "."))
    text = decode_utf8(path, raw)
    # Loading creates ~10 objects per line and keeps them all: the cyclic GC would rescan the
    # growing heap again and again (3x the load time of a large YAML file). Nothing built here
    # is cyclic, so collection waits until the document is built.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if yaml_syntax:
            data, positions = _load_yaml(path, text, len(raw))
        else:
            data, positions = _load_json(path, text)
            from .surrogates import refuse_unpaired_surrogates

            refuse_unpaired_surrogates(path, text, data, positions)
    finally:
        if collecting:
            gc.enable()
    if not isinstance(data, (dict, bool)):
        span = positions.span("")
        line, col = (span.line, span.column) if span else (1, 1)
        raise ParseError(path, line, col, f"a JSON Schema must be an object or a boolean, not {_kind(data)}")
    schema_uri = data.get("$schema", "") if isinstance(data, dict) else ""
    schema_uri = schema_uri if isinstance(schema_uri, str) else ""
    dialect, reason = dialect_of(schema_uri), ""
    if dialect is None:
        dialect, reason = infer_dialect(data)
        reason = f"no known $schema; read as {describe(dialect)}" + (f" because of {reason}" if reason else ", the default")
    return JsonDocument(path, data, dialect, "yaml" if yaml_syntax else "json", positions, schema_uri, len(raw),
                        reason)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", type(None): "null"}.get(type(value), "a number")


def decode_utf8(path: str, raw: bytes) -> str:
    """Decode strictly as UTF-8 (BOM tolerated); a bad byte is a ParseError at its position."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(path, 1, 1, "file is UTF-16; schema files must be UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8-sig", "replace")) + 1
        raise ParseError(path, line, column, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                                             "schema files must be UTF-8") from None


# -- JSON --------------------------------------------------------------------------------

class _DuplicateKey(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _load_json(path: str, text: str) -> tuple[Any, JsonPositions]:
    try:
        data = json.loads(text, parse_constant=_no_constant)
        if type(data) in _CONTAINERS:
            keys = _count_keys(data)
            if keys != len(_KEYISH.findall(text)):
                # Maybe a duplicate (or a string containing '":'): the precise, slower parse decides.
                json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        raise ParseError(path, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") from None
    except _DuplicateKey:
        offset, key = _find_duplicate(text)
        line, col = LineMap(text).line_col(offset)
        raise ParseError(path, line, col, f"duplicate key {key!r} in an object") from None
    except (RecursionError, _TooDeep):
        offset = _deep_offset(text)
        line, col = LineMap(text).line_col(offset)
        raise ParseError(path, line, col, f"nesting deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # NaN / Infinity
        offset = _constant_offset(text, str(exc))
        line, col = LineMap(text).line_col(offset)
        raise ParseError(path, line, col, f"invalid JSON: {exc} is not a JSON value") from None
    return data, JsonPositions(text)


#: Every object key is a string followed by a colon; this counts those (and maybe a few more
#: inside strings), so "no more matches than parsed keys" proves there is no duplicate key.
_KEYISH = re.compile(r'"\s*:')


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]')


def _find_duplicate(text: str) -> tuple[int, str]:
    """Offset and name of the first duplicated key (only called once one is known to exist)."""
    stack: list[set[str] | None] = []
    previous, previous_start = "", 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token == "{":
            stack.append(set())
        elif token == "[":
            stack.append(None)
        elif token in "]}":
            stack.pop()
        elif token == ":" and previous.startswith('"') and stack and stack[-1] is not None:
            key = json.loads(previous)
            if key in stack[-1]:
                return previous_start, key
            stack[-1].add(key)
        if token != ":":
            previous, previous_start = token, match.start()
    return 0, "?"


def _deep_offset(text: str) -> int:
    """Offset of the first bracket opening level ``MAX_DEPTH + 1``."""
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif token in "]}":
            depth -= 1
    return 0


#: A JSON string (skipped whole) or one of the constants Python's decoder accepts.
_CONSTANT_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)')


def _constant_offset(text: str, name: str) -> int:
    """Offset of the first ``NaN``/``Infinity`` outside a string: one linear pass over the text."""
    for match in _CONSTANT_OR_STRING.finditer(text):
        if match.group(1) is not None:  # the decoder stops at the first one, whatever its name
            return match.start()
    return 0


_CONTAINERS = (dict, list)


class _TooDeep(Exception):
    pass


def _count_keys(data: Any, remaining: int = MAX_DEPTH) -> int:
    """The number of object keys in parsed data; raises ``_TooDeep`` past ``remaining`` levels.

    Recursive on purpose (3x faster than an explicit stack): the recursion is bounded by
    ``MAX_DEPTH`` frames, far below Python's limit, and the JSON decoder has already refused
    anything deeper than the interpreter can handle.
    """
    if remaining == 0:
        raise _TooDeep
    if type(data) is dict:
        count = len(data)
        values = data.values()
    else:
        count = 0
        values = data
    for value in values:
        if type(value) in _CONTAINERS:
            count += _count_keys(value, remaining - 1)
    return count


# -- YAML --------------------------------------------------------------------------------

def _load_yaml(path: str, text: str, size: int) -> tuple[Any, YamlPositions]:
    from .yaml_build import YamlBuildError, build_data, compose_yaml

    try:
        root = compose_yaml(text, MAX_DEPTH)
        if root is None:
            raise ParseError(path, 1, 1, "empty YAML document; a JSON Schema must be an object or a boolean")
        data = build_data(root, ALIAS_BUDGET, MAX_DEPTH)
    except YamlBuildError as exc:
        raise ParseError(path, exc.line, exc.column, exc.detail) from None
    return data, YamlPositions(root, text)
