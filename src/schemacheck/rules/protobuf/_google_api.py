"""Reading Google API annotations (``google.api.*``, ``google.longrunning.operation_info``) from
linked descriptors, for the ``GOOGLE_API`` rules.

Maintainers: custom options are kept by the compiler as unknown fields of the ``*Options``
messages (exactly as protoc writes them), so they are read here by extension number from the
serialised options with ``formats/protobuf/wire.py``: no generated ``google.api`` classes are needed.
An annotation is only read when the revision's image declares that extension number on that
options message under Google's name, so an unrelated option that happens to reuse a number is
never mistaken for a Google one. Values are returned as small frozen records the rules compare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...compat.protobuf.elements import Field, Message, Method, Service
from ...compat.protobuf.image import Image
from ...formats.protobuf.wire import records, varints
from ...model import Location

__all__ = [
    "HttpBinding", "http_binding", "field_behaviors", "method_signatures", "operation_info",
    "resource_reference", "resource_patterns", "default_host", "oauth_scopes", "same_but_version",
    "annotation_span", "quoted", "rpc_name", "HTTP", "METHOD_SIGNATURE", "OPERATION_INFO", "FIELD_BEHAVIOR",
    "RESOURCE_REFERENCE", "RESOURCE", "DEFAULT_HOST", "OAUTH_SCOPES", "GOOGLE_API",
]

#: The categories of every rule reading these annotations.
GOOGLE_API = ("GOOGLE_API",)
#: (options message, extension number, Google's full name) of each annotation read here.
HTTP = ("google.protobuf.MethodOptions", 72295728, "google.api.http")
METHOD_SIGNATURE = ("google.protobuf.MethodOptions", 1051, "google.api.method_signature")
OPERATION_INFO = ("google.protobuf.MethodOptions", 1049, "google.longrunning.operation_info")
FIELD_BEHAVIOR = ("google.protobuf.FieldOptions", 1052, "google.api.field_behavior")
RESOURCE_REFERENCE = ("google.protobuf.FieldOptions", 1055, "google.api.resource_reference")
RESOURCE = ("google.protobuf.MessageOptions", 1053, "google.api.resource")
DEFAULT_HOST = ("google.protobuf.ServiceOptions", 1049, "google.api.default_host")
OAUTH_SCOPES = ("google.protobuf.ServiceOptions", 1050, "google.api.oauth_scopes")

_BEHAVIORS = ("FIELD_BEHAVIOR_UNSPECIFIED", "OPTIONAL", "REQUIRED", "OUTPUT_ONLY", "INPUT_ONLY", "IMMUTABLE",
              "UNORDERED_LIST", "NON_EMPTY_DEFAULT", "IDENTIFIER")
_VERBS = {2: "GET", 3: "PUT", 4: "POST", 5: "DELETE", 6: "PATCH"}
_OPTIONS_FIELD = {"google.protobuf.MethodOptions": 4, "google.protobuf.FieldOptions": 8,
                  "google.protobuf.MessageOptions": 7, "google.protobuf.ServiceOptions": 3}
_VERSION = re.compile(r"^v\d+(?:(?:alpha|beta)\d*)?(?:p\d+(?:alpha|beta)\d*)?$")


def _values(data: bytes, number: int) -> list[int | bytes]:
    return [value for num, value in records(data) if num == number]


def _text(data: bytes, number: int) -> str:
    found = [v for v in _values(data, number) if isinstance(v, bytes)]
    return found[-1].decode("utf-8", errors="replace") if found else ""


def _texts(data: bytes, number: int) -> tuple[str, ...]:
    return tuple(v.decode("utf-8", errors="replace") for v in _values(data, number) if isinstance(v, bytes))


def _option(image: Image, options: object, which: tuple[str, int, str]) -> list[int | bytes] | None:
    """The raw values of one annotation on an options message; ``None`` when it is not set or the
    image does not declare that extension as Google's."""
    extendee, number, full_name = which
    ext = image.extensions.get((extendee, number))
    if ext is None or ext.full_name != full_name:
        return None
    found = _values(options.SerializeToString(), number)  # type: ignore[attr-defined]
    return found or None


def _message(image: Image, options: object, which: tuple[str, int, str]) -> bytes | None:
    """A message-typed annotation's bytes (records set more than once merge, as in protobuf)."""
    found = _option(image, options, which)
    return b"".join(v for v in found if isinstance(v, bytes)) if found else None


def _string(image: Image, options: object, which: tuple[str, int, str]) -> str:
    """A string annotation's value (the last one set wins); '' when unset."""
    found = _option(image, options, which) or []
    return next((v.decode("utf-8", errors="replace") for v in reversed(found) if isinstance(v, bytes)), "")


def _option_path(element: Field | Message | Method | Service, which: tuple[str, int, str]) -> tuple[int, ...]:
    """Source-info path of the annotation on ``element`` (its span is the option statement)."""
    return element.source_path + (_OPTIONS_FIELD[which[0]], which[1])


def annotation_span(element: Field | Message | Method | Service, which: tuple[str, int, str],
                    fallback: Location | None = None) -> Location:
    """The option statement setting ``which`` on ``element`` (a repeated option: its first value),
    else ``fallback``, else the element."""
    path = _option_path(element, which)
    for candidate in (path, path + (0,)):
        if element.file.has_span(candidate):
            return element.file.span(candidate)
    return fallback if fallback is not None else element.location


@dataclass(frozen=True, slots=True)
class HttpBinding:
    """One REST binding of ``google.api.http``: verb, URI template, body, and its extra bindings."""

    verb: str
    path: str
    body: str = ""
    additional: tuple[HttpBinding, ...] = ()

    def rest(self) -> str:
        """``PATCH /v1/{book.name=shelves/*/books/*}`` (with ``body: "book"`` when there is one)."""
        body = f' (body "{self.body}")' if self.body else ""
        return f"{self.verb} {self.path}{body}"


def _binding(data: bytes) -> HttpBinding:
    verb = path = body = ""
    additional: list[HttpBinding] = []
    for number, value in records(data):
        if not isinstance(value, bytes):
            continue
        if number in _VERBS:
            verb, path = _VERBS[number], value.decode("utf-8", errors="replace")
        elif number == 8:  # custom: {kind, path}
            verb, path = _text(value, 1), _text(value, 2)
        elif number == 7:
            body = value.decode("utf-8", errors="replace")
        elif number == 11:
            additional.append(_binding(value))
    return HttpBinding(verb, path, body, tuple(additional))


def http_binding(method: Method, image: Image) -> HttpBinding | None:
    """The method's ``google.api.http`` rule, if any."""
    data = _message(image, method.proto.options, HTTP)
    return _binding(data) if data is not None else None


def field_behaviors(field: Field, image: Image) -> frozenset[str]:
    """Names of the field's ``google.api.field_behavior`` values (packed or not)."""
    found = _option(image, field.proto.options, FIELD_BEHAVIOR) or []
    numbers = [n for value in found for n in ([value] if isinstance(value, int) else varints(value))]
    return frozenset(_BEHAVIORS[n] if n < len(_BEHAVIORS) else str(n) for n in numbers)


def method_signatures(method: Method, image: Image) -> tuple[str, ...]:
    """The method's ``google.api.method_signature`` strings, in declaration order."""
    found = _option(image, method.proto.options, METHOD_SIGNATURE) or []
    return tuple(v.decode("utf-8", errors="replace") for v in found if isinstance(v, bytes))


def operation_info(method: Method, image: Image) -> tuple[str, str] | None:
    """``(response_type, metadata_type)`` of a long-running method, as full names."""
    data = _message(image, method.proto.options, OPERATION_INFO)
    if data is None:
        return None
    package = method.file.package

    def qualified(name: str) -> str:
        name = name.lstrip(".")
        return f"{package}.{name}" if name and "." not in name and package else name

    return qualified(_text(data, 1)), qualified(_text(data, 2))


def resource_reference(field: Field, image: Image) -> tuple[str, str] | None:
    """``(type, child_type)`` of the field's ``google.api.resource_reference``."""
    data = _message(image, field.proto.options, RESOURCE_REFERENCE)
    return (_text(data, 1), _text(data, 2)) if data is not None else None


def resource_patterns(message: Message, image: Image) -> tuple[str, tuple[str, ...]] | None:
    """``(type, patterns)`` of the message's ``google.api.resource``."""
    data = _message(image, message.proto.options, RESOURCE)
    return (_text(data, 1), _texts(data, 2)) if data is not None else None


def default_host(service: Service, image: Image) -> str:
    """The service's ``google.api.default_host`` ('' when unset)."""
    return _string(image, service.proto.options, DEFAULT_HOST)


def oauth_scopes(service: Service, image: Image) -> tuple[str, ...]:
    """The service's ``google.api.oauth_scopes``, split at commas."""
    text = _string(image, service.proto.options, OAUTH_SCOPES)
    return tuple(s.strip() for s in text.split(",") if s.strip())


def _version(package: str) -> str:
    return next((part for part in reversed(package.split(".")) if _VERSION.match(part)), "")


def same_but_version(old: str, new: str, old_package: str, new_package: str, sep: str) -> bool:
    """Whether ``old`` and ``new`` differ only where the packages' API versions differ.

    ``/v1/{name=books/*}`` and ``/v2/{name=books/*}`` are the same binding for packages
    ``library.v1`` and ``library.v2``; within one package (or one version) they are not.
    """
    was, now = _version(old_package), _version(new_package)
    if not was or not now or was == now:
        return False
    old_parts, new_parts = old.split(sep), new.split(sep)
    if len(old_parts) != len(new_parts):
        return False
    return all(a == b or (a == was and b == now) for a, b in zip(old_parts, new_parts))


def rpc_name(method: Method) -> str:
    """``RPC "pkg.Service.Method"`` — how methods appear in messages."""
    return f'RPC "{method.full_name}"'


def quoted(items: tuple[str, ...] | list[str]) -> str:
    """``"a", "b"`` — how lists of patterns, signatures and scopes appear in messages."""
    return ", ".join(f'"{item}"' for item in items)
