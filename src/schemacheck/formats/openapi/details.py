"""Parts of an OpenAPI document read beside operations: server URLs, multipart/form ``encoding``
entries and extension values (``x-sunset``, ``x-stability-level``), as plain model values.

Maintainers: used by ``build.py`` only; every reader tolerates any JSON value where the
specification expects an object or a list (a validator warning says so elsewhere).
"""

from __future__ import annotations

from typing import Any

from ...formats.jsonschema.document import JsonDocument, pointer_join
from .model import Encoding, Node, Servers

__all__ = ["extension_text", "encodings", "servers_of", "legacy_servers"]


def extension_text(value: Any) -> str | None:
    """An extension's value as text (YAML may have read an unquoted date as a date)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    iso = getattr(value, "isoformat", None)
    return iso() if callable(iso) else repr(value)


def encodings(doc: JsonDocument, ptr: str, media: Any) -> tuple[Encoding, ...]:
    out = []
    for name, enc in _dict(_dict(media).get("encoding")).items():
        if not isinstance(enc, dict):
            continue
        content_type = enc.get("contentType") if isinstance(enc.get("contentType"), str) else ""
        out.append(Encoding(name, content_type.replace(" ", "").lower(),
                            enc.get("style") if isinstance(enc.get("style"), str) else "",
                            enc.get("explode") if isinstance(enc.get("explode"), bool) else None,
                            enc.get("allowReserved") is True,
                            tuple(sorted(str(h).lower() for h in _dict(enc.get("headers")))),
                            Node(doc, pointer_join(ptr, "encoding", name))))
    return tuple(out)


def servers_of(doc: JsonDocument, ptr: str, owner: Any, level: str) -> Servers | None:
    """The ``servers`` of a document, path item or operation; ``None`` when it declares none."""
    values = _list(_dict(owner).get("servers"))
    urls = []
    for server in values:
        url = _dict(server).get("url")
        if not isinstance(url, str):
            continue
        for var, spec in _dict(_dict(server).get("variables")).items():
            default = _dict(spec).get("default")
            if isinstance(default, str):
                url = url.replace("{" + str(var) + "}", default)
        urls.append(url.rstrip("/") or "/")
    return Servers(tuple(urls), level, Node(doc, pointer_join(ptr, "servers"))) if urls else None


def legacy_servers(doc: JsonDocument, data: dict[str, Any]) -> Servers | None:
    """Swagger 2.0: one URL per scheme from ``host`` and ``basePath`` (``None`` without a host)."""
    host, base = data.get("host"), data.get("basePath")
    if not isinstance(host, str):
        return None
    path = base.rstrip("/") if isinstance(base, str) else ""
    schemes = _strings(data.get("schemes")) or ("https",)
    return Servers(tuple(f"{s}://{host}{path}" for s in schemes), "root", Node(doc, "/host"))


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in _list(value) if isinstance(v, str))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
