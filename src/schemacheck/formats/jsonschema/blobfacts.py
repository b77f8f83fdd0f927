"""What one JSON/YAML text answers, by a text scan: the facts :mod:`.blobindex` keeps per blob.

Maintainers: the facts are exact for the questions asked, never a guess:

- ``schema``: :func:`.detect.looks_like_schema` of the first :data:`.detect.SNIFF_BYTES`;
- ``openapi``: ``formats/openapi/detect.looks_like_openapi`` likewise (the OpenAPI checker asks
  it of every JSON/YAML file when one changed; both formats read the same JSON/YAML text);
- ``ids``: :func:`declared_ids` (nothing for a text over :data:`ID_SCAN_BYTES`, as before);
- ``refs``: every ``$ref`` value as a text scan finds it (:data:`REF_TEXT`);
- ``names``: every maximal run of the text between :data:`DELIMITERS` that contains
  ``.json``/``.yaml``/``.yml`` in any case. A needle free of delimiters that contains one of
  those occurs in the text exactly when it occurs in one of these runs, so
  :func:`mentions` answers "does the text contain this file name" without the text; for any
  other needle it answers ``None`` and the caller reads the text.

Every scan is linear in the text (no backtracking regular expression over long runs).
"""

from __future__ import annotations

import json
import re
from itertools import repeat
from dataclasses import dataclass
from urllib.parse import urldefrag

__all__ = ["BlobFacts", "scan", "mentions", "declared_ids", "REF_TEXT", "DELIMITERS", "ID_SCAN_BYTES"]

#: Texts larger than this declare no ``$id`` as far as the index is concerned (the loader refuses them anyway).
ID_SCAN_BYTES = 16 << 20
#: Bytes that end a file-name run in :attr:`BlobFacts.names`: JSON/YAML syntax and URI separators.
DELIMITERS = b" \t\r\n\f\v\"',{}[]:/\\#?&="
_DELIMITER = re.compile(b"[" + re.escape(DELIMITERS) + b"]")
_DELIMITER_BYTES = tuple(DELIMITERS[i:i + 1] for i in range(len(DELIMITERS)))
_EXTENSION = re.compile(rb"\.(?:json|ya?ml)", re.IGNORECASE)
_EXTENSIONS = (b".json", b".yaml", b".yml")
#: ``"$ref": "…"`` in JSON, ``$ref: …`` in YAML (quoted or not).
REF_TEXT = re.compile(rb"""['"]?\$ref['"]?\s*:\s*['"]?([^'"\s,}]+)""")
# "$id": "…" / "id": "…" in JSON; $id: … / id: … (quoted or not) in YAML.
_ID_TEXT = re.compile(rb"""(?:"\$?id"\s*:\s*"([^"\\]+)"|^[ \t-]*['"]?\$?id['"]?[ \t]*:[ \t]*['"]?([^'"\s#,}]+))""",
                      re.MULTILINE)


def declared_ids(raw: bytes) -> set[str]:
    """Absolute ``$id``/``id`` values written in a JSON or YAML text (fragment and trailing ``#`` dropped).

    A text scan: relative ``$id``s (resolved against an enclosing one) are not found, and a
    match in a string value is a harmless extra candidate (the resolver checks the parsed file).
    """
    out: set[str] = set()
    for match in _ID_TEXT.finditer(raw):
        value = (match.group(1) or match.group(2) or b"").decode("utf-8", "replace")
        uri = urldefrag(value)[0]
        if "://" in uri or uri.startswith("urn:"):
            out.add(uri)
    return out


@dataclass(frozen=True, slots=True)
class BlobFacts:
    """The answers one JSON/YAML text gives (see the module docstring for each field)."""

    schema: bool
    openapi: bool
    ids: tuple[str, ...]
    refs: tuple[str, ...] | None  # None: too many to keep in the index, read the text
    names: tuple[bytes, ...] | None  # likewise

    @property
    def complete(self) -> bool:
        """Whether every field is known (an index line of a text with very many names is not)."""
        return self.refs is not None and self.names is not None

    def encode(self) -> str:
        """One line of JSON (no tab, no newline), for the index."""
        names = None if self.names is None else [n.decode("utf-8", "surrogateescape") for n in self.names]
        refs = None if self.refs is None else list(self.refs)
        flags = int(self.schema) | int(self.openapi) << 1
        return json.dumps([flags, list(self.ids), refs, names], separators=(",", ":"))

    @staticmethod
    def decode(line: str) -> BlobFacts | None:
        """The facts of an index line, or None when it is not exactly what :meth:`encode` writes."""
        try:
            value = json.loads(line)
        except ValueError:
            return None
        if not (isinstance(value, list) and len(value) == 4 and value[0] in (0, 1, 2, 3) and isinstance(value[1], list)
                and all(isinstance(part, list) and all(isinstance(s, str) for s in part)
                        for part in value[1:] if part is not None)):
            return None
        try:
            names = None if value[3] is None else tuple(n.encode("utf-8", "surrogateescape") for n in value[3])
        except UnicodeEncodeError:
            return None
        return BlobFacts(bool(value[0] & 1), bool(value[0] & 2), tuple(value[1]),
                         None if value[2] is None else tuple(value[2]), names)


def scan(raw: bytes) -> BlobFacts:
    """The facts of one text: a few regular-expression scans, linear in its size."""
    from ..openapi.detect import looks_like_openapi
    from .detect import SNIFF_BYTES, looks_like_schema

    ids = tuple(sorted(declared_ids(raw))) if len(raw) <= ID_SCAN_BYTES else ()
    refs = tuple(dict.fromkeys(m.group(1).decode("utf-8", "replace") for m in REF_TEXT.finditer(raw)))
    return BlobFacts(looks_like_schema(raw[:SNIFF_BYTES]), looks_like_openapi(raw), ids, refs, _name_runs(raw))


def _name_runs(raw: bytes) -> tuple[bytes, ...]:
    """The delimiter-free runs holding an extension, each found once: every byte is looked at a
    bounded number of times (no backtracking regular expression over long runs)."""
    runs: dict[bytes, None] = {}
    end = 0
    for match in _EXTENSION.finditer(raw):
        start = match.start()
        if start < end:  # inside the run found last
            continue
        left = max(map(raw.rfind, _DELIMITER_BYTES, repeat(end, len(_DELIMITER_BYTES)),
                       repeat(start, len(_DELIMITER_BYTES)))) + 1
        after = _DELIMITER.search(raw, match.end())
        end = after.start() if after is not None else len(raw)
        runs[raw[left:end]] = None
    return tuple(runs)


def mentions(facts: BlobFacts, needle: str) -> bool | None:
    """Whether the text holds ``needle`` (a file name), from its facts; None when they cannot tell."""
    want = needle.encode("utf-8", "surrogateescape")
    if facts.names is None or not want or any(byte in DELIMITERS for byte in want) or not any(ext in want.lower() for ext in _EXTENSIONS):
        return None
    return any(want in run for run in facts.names)
