"""GOOGLE_API rules on REST bindings: `google.api.http` removed or changed, and its
`additional_bindings` removed (AIP-127, AIP-180).

Maintainers: bindings compare by verb, URI template and body; a URI whose only difference is
the API version segment, where the package's version changed the same way, is the same
binding (``_google_api.same_but_version``). An old binding still served — as the primary rule
or among the new ``additional_bindings`` — is not a break: moving the old URI there is the
safe way to change a URI, and the hints say so. Messages name bindings the way REST clients
see them (``PATCH /v1/{book.name=shelves/*/books/*}``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.protobuf.elements import Method
from ...compat.protobuf.image import CheckContext, Pair
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._google_api import GOOGLE_API, HTTP, HttpBinding, annotation_span, http_binding, rpc_name, \
    same_but_version


def _same(old: HttpBinding, new: HttpBinding, pair: Pair[Method]) -> bool:
    if old.verb != new.verb or old.body != new.body:
        return False
    return old.path == new.path or same_but_version(old.path, new.path, pair.old.file.package,
                                                     pair.new.file.package, "/")


def _served(old: HttpBinding, new: HttpBinding, pair: Pair[Method]) -> bool:
    """Whether the new rule still answers requests made for ``old`` (primary or additional)."""
    return any(_same(old, candidate, pair) for candidate in (new, *new.additional))


def _spelled(binding: HttpBinding) -> str:
    """How the binding is written in the option: ``get: "/v1/..."`` or ``custom { kind: ... }``."""
    if binding.verb in ("GET", "PUT", "POST", "DELETE", "PATCH"):
        spelled = f'{binding.verb.lower()}: "{binding.path}"'
    else:
        spelled = f'custom {{ kind: "{binding.verb}" path: "{binding.path}" }}'
    return spelled + (f' body: "{binding.body}"' if binding.body else "")


def _what_changed(old: HttpBinding, new: HttpBinding) -> str:
    if old.verb != new.verb:
        return f"REST clients sending {old.verb} now get 404 Not Found or 405 Method Not Allowed"
    if old.path != new.path:
        return "REST clients calling the old URI now get 404 Not Found, or fill other request fields from it"
    return "REST clients' request bodies now map to other request fields"


@rule("RPC_HTTP_RULE_NO_DELETE", format=PROTOBUF, subject="method", categories=GOOGLE_API, default=False)
def rpc_http_rule_no_delete(pair: Pair[Method], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an RPC that lost its `google.api.http` REST binding.

    ## What it does
    Reports a method that has an `option (google.api.http)` in the base revision and none in
    the head revision.

    ## Why is this breaking?
    The HTTP/JSON transcoding gateway (ESP, Cloud Endpoints, grpc-gateway, Envoy) no longer
    routes the URI to the method, so REST clients get 404 Not Found; generated REST clients
    lose the method. gRPC callers are not affected, which is why buf does not report it.

    ## Example
    Before:
    ```proto
    rpc GetBook(GetBookRequest) returns (Book) {
      option (google.api.http) = { get: "/v1/{name=shelves/*/books/*}" };
    }
    ```
    After:
    ```proto
    rpc GetBook(GetBookRequest) returns (Book);
    ```

    ## How to change this safely
    Keep the binding for as long as REST clients may call it; deprecate the method first.

    ## References
    - AIP-127 (HTTP and gRPC transcoding), AIP-180.
    - proto-breaking-change-detector `HTTP_ANNOTATION_REMOVAL`.
    - Category `GOOGLE_API`, on by default when the changed files import `google/api/` or
      `google/longrunning/`: see docs/google-api.md.
    """
    was = http_binding(pair.old, ctx.old)
    if was is None or http_binding(pair.new, ctx.new) is not None:
        return
    yield violation(
        f'{rpc_name(pair.new)} lost its REST binding "{was.rest()}" (google.api.http): REST clients calling it now '
        "get 404 Not Found.",
        pair.new.span(), annotation_span(pair.old, HTTP),
        hint=f"Restore option (google.api.http) = {{ {_spelled(was)} }}.",
        subject=pair.new.full_name)


@rule("RPC_SAME_HTTP_RULE", format=PROTOBUF, subject="method", categories=GOOGLE_API, default=False)
def rpc_same_http_rule(pair: Pair[Method], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an RPC whose `google.api.http` verb, URI template or body changed.

    ## What it does
    Compares the primary binding of `option (google.api.http)`: the HTTP verb (`get`, `post`,
    `custom` …), the URI template and `body`. A URI differing only in the API version segment
    (`/v1/` → `/v2/`) when the package's version changed the same way is the same binding, and
    so is a change whose old binding is still listed in `additional_bindings`.

    ## Why is this breaking?
    REST clients call the method by verb and URI; a new verb or path returns 404 or 405 to
    every existing caller, a renamed path variable fills a different request field, and a new
    `body` reads the JSON payload into other fields. gRPC callers see no difference, so buf
    cannot see it.

    ## Example
    Before:
    ```proto
    option (google.api.http) = { patch: "/v1/{book.name=shelves/*/books/*}" body: "book" };
    ```
    After:
    ```proto
    option (google.api.http) = { patch: "/v1/{book.name=books/*}" body: "book" };
    ```

    ## How to change this safely
    Add the new binding and keep the old one under `additional_bindings` until REST clients
    have moved.

    ## References
    - AIP-127 (HTTP and gRPC transcoding), AIP-180.
    - proto-breaking-change-detector `HTTP_ANNOTATION_CHANGE`.
    - Category `GOOGLE_API`, on by default when the changed files import `google/api/` or
      `google/longrunning/`: see docs/google-api.md.
    """
    was, now = http_binding(pair.old, ctx.old), http_binding(pair.new, ctx.new)
    if was is None or now is None or _served(was, now, pair):
        return
    yield violation(
        f'REST binding of {rpc_name(pair.new)} changed from "{was.rest()}" to "{now.rest()}": '
        f"{_what_changed(was, now)}.",
        annotation_span(pair.new, HTTP), annotation_span(pair.old, HTTP),
        hint=f"Keep serving the old binding: add additional_bindings {{ {_spelled(was)} }}.",
        subject=pair.new.full_name)


@rule("RPC_HTTP_ADDITIONAL_BINDING_NO_DELETE", format=PROTOBUF, subject="method", categories=GOOGLE_API,
      default=False)
def rpc_http_additional_binding_no_delete(pair: Pair[Method], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a binding removed from `additional_bindings` of `google.api.http`.

    ## What it does
    Reports each entry of `additional_bindings` in the base revision that the head revision no
    longer serves, neither as an additional binding nor as the primary one (compared by verb,
    URI template and body, the version segment as in `RPC_SAME_HTTP_RULE`). A method that lost
    `google.api.http` altogether is `RPC_HTTP_RULE_NO_DELETE`'s.

    ## Why is this breaking?
    Each additional binding is a REST endpoint in its own right: clients calling it now get
    404 Not Found.

    ## Example
    Before:
    ```proto
    option (google.api.http) = {
      get: "/v1/{name=shelves/*/books/*}"
      additional_bindings { get: "/v1/{name=books/*}" }
    };
    ```
    After:
    ```proto
    option (google.api.http) = { get: "/v1/{name=shelves/*/books/*}" };
    ```

    ## How to change this safely
    Keep the binding until no client calls it (check the gateway's access logs).

    ## References
    - AIP-127 (HTTP and gRPC transcoding), AIP-180.
    - Category `GOOGLE_API`, on by default when the changed files import `google/api/` or
      `google/longrunning/`: see docs/google-api.md.
    """
    was, now = http_binding(pair.old, ctx.old), http_binding(pair.new, ctx.new)
    if was is None or now is None:
        return
    for extra in was.additional:
        if _served(extra, now, pair):
            continue
        yield violation(
            f'Additional REST binding "{extra.rest()}" of {rpc_name(pair.new)} was removed: REST clients calling it '
            "now get 404 Not Found.",
            annotation_span(pair.new, HTTP), annotation_span(pair.old, HTTP),
            hint=f"Restore additional_bindings {{ {_spelled(extra)} }}.",
            subject=pair.new.full_name)
