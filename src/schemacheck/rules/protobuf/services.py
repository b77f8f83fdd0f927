"""RPC rules: methods of a service stay, with the same types, streaming and idempotency."""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.protobuf.elements import Method, Service, SourcePath
from ...compat.protobuf.image import CheckContext, Pair
from ...model import Location
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._scope import file_location

_WIRE = ("FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR")
_IDEMPOTENCY_LEVEL = 34  # MethodOptions.idempotency_level


def _rpc(method: Method) -> str:
    assert method.service is not None
    return f'RPC "{method.service.full_name}.{method.name}"'


@rule("RPC_NO_DELETE", format=PROTOBUF, subject="service", categories=("FILE", "PACKAGE"))
def rpc_no_delete(pair: Pair[Service], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a method removed from a service that still exists.

    ## What it does
    Compares the methods of each service by name and reports each one that is gone. The
    finding points at the service.

    ## Why is this breaking?
    Deployed clients keep calling `/orders.v1.OrderService/CancelOrder`; the server now
    answers `UNIMPLEMENTED`. Generated client stubs lose the method, so callers stop
    compiling.

    ## Example
    Before:
    ```proto
    service OrderService { rpc GetOrder(GetOrderRequest) returns (Order); rpc CancelOrder(CancelOrderRequest) returns (Order); }
    ```
    After:
    ```proto
    service OrderService { rpc GetOrder(GetOrderRequest) returns (Order); }
    ```

    ## How to change this safely
    Mark the method `option deprecated = true;`, keep serving it (or return a clear error)
    until traffic stops, then delete it.

    ## References
    - buf breaking rule `RPC_NO_DELETE`.
    """
    old, new = pair.old, pair.new
    remaining = {m.name for m in new.methods()}
    for method in old.methods():
        if method.name in remaining:
            continue
        yield violation(
            f'{_rpc(method)} was deleted from service "{new.full_name}": deployed clients calling it now get '
            f'UNIMPLEMENTED.',
            new.location, method.location,
            hint=f'Keep "{method.name}" with option deprecated = true; until no client calls it.',
            subject=f"{new.full_name}.{method.name}",
        )


def _type_changed(pair: Pair[Method], part: int, what: str, old_type: str, new_type: str,
                  who: str) -> Iterator[Violation]:
    old_type, new_type = old_type.lstrip("."), new_type.lstrip(".")
    if old_type == new_type:
        return
    yield violation(
        f'{_rpc(pair.new)} changed its {what} type from "{old_type}" to "{new_type}": {who}.',
        pair.new.span(part), pair.old.span(part),
        hint=f'Keep "{old_type}" (add fields to it instead), or add a new RPC with the new {what} type.',
        subject=pair.new.full_name,
    )


@rule("RPC_SAME_REQUEST_TYPE", format=PROTOBUF, subject="method", categories=_WIRE)
def rpc_same_request_type(pair: Pair[Method], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an RPC whose request message type changed.

    ## What it does
    Compares the fully-qualified input type of each method that exists in both revisions.

    ## Why is this breaking?
    Old clients keep sending the old request message; the server decodes those bytes as the
    new type, getting wrong or missing fields. Generated stubs change signature, so callers
    stop compiling.

    ## Example
    Before:
    ```proto
    rpc GetOrder(GetOrderRequest) returns (Order);
    ```
    After:
    ```proto
    rpc GetOrder(OrderLookup) returns (Order);
    ```

    ## How to change this safely
    Evolve the existing request message (add fields), or add a new RPC (`GetOrderV2`) that
    takes the new type and deprecate the old one.

    ## References
    - buf breaking rule `RPC_SAME_REQUEST_TYPE`.
    """
    yield from _type_changed(pair, SourcePath.METHOD_INPUT, "request", pair.old.proto.input_type,
                             pair.new.proto.input_type, "the server now decodes old clients' requests as another message")


@rule("RPC_SAME_RESPONSE_TYPE", format=PROTOBUF, subject="method", categories=_WIRE)
def rpc_same_response_type(pair: Pair[Method], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an RPC whose response message type changed.

    ## What it does
    Compares the fully-qualified output type of each method that exists in both revisions.

    ## Why is this breaking?
    Old clients decode the new response bytes as the old message type and read wrong or
    default values; generated stubs change their return type.

    ## Example
    Before:
    ```proto
    rpc GetOrder(GetOrderRequest) returns (Order);
    ```
    After:
    ```proto
    rpc GetOrder(GetOrderRequest) returns (OrderView);
    ```

    ## How to change this safely
    Evolve the existing response message, or add a new RPC that returns the new type and
    deprecate the old one.

    ## References
    - buf breaking rule `RPC_SAME_RESPONSE_TYPE`.
    """
    yield from _type_changed(pair, SourcePath.METHOD_OUTPUT, "response", pair.old.proto.output_type,
                             pair.new.proto.output_type, "old clients decode its responses as another message")


def _streaming_changed(pair: Pair[Method], side: str, old_flag: bool, new_flag: bool) -> Iterator[Violation]:
    if old_flag == new_flag:
        return
    before, after = ("streaming", "unary") if old_flag else ("unary", "streaming")
    yield violation(
        f'{_rpc(pair.new)} changed from {side} {before} to {side} {after}: the call shape changed, so existing '
        f'clients and servers no longer interoperate.',
        pair.new.location, pair.old.location,
        hint="Keep the streaming mode and add a new RPC with the other mode.",
        subject=pair.new.full_name,
    )


@rule("RPC_SAME_CLIENT_STREAMING", format=PROTOBUF, subject="method", categories=_WIRE)
def rpc_same_client_streaming(pair: Pair[Method], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an RPC whose request side switched between unary and streaming.

    ## What it does
    Compares the `stream` keyword on the request of each method in both revisions.

    ## Why is this breaking?
    gRPC encodes the call shape in the method descriptor: a unary client calling a
    client-streaming handler (or the reverse) fails, and generated stubs change from a single
    message to a stream, so callers and servers stop compiling.

    ## Example
    Before:
    ```proto
    rpc UploadInvoice(InvoiceChunk) returns (UploadResult);
    ```
    After:
    ```proto
    rpc UploadInvoice(stream InvoiceChunk) returns (UploadResult);
    ```

    ## How to change this safely
    Add a new RPC with the streaming mode you need and deprecate the old one.

    ## References
    - buf breaking rule `RPC_SAME_CLIENT_STREAMING`.
    """
    yield from _streaming_changed(pair, "client", pair.old.proto.client_streaming, pair.new.proto.client_streaming)


@rule("RPC_SAME_SERVER_STREAMING", format=PROTOBUF, subject="method", categories=_WIRE)
def rpc_same_server_streaming(pair: Pair[Method], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an RPC whose response side switched between unary and streaming.

    ## What it does
    Compares the `stream` keyword on the response of each method in both revisions.

    ## Why is this breaking?
    Clients expecting one response cannot consume a stream (and the reverse); generated stubs
    change shape, so callers and servers stop compiling.

    ## Example
    Before:
    ```proto
    rpc ListOrders(ListOrdersRequest) returns (ListOrdersResponse);
    ```
    After:
    ```proto
    rpc ListOrders(ListOrdersRequest) returns (stream Order);
    ```

    ## How to change this safely
    Add a new RPC (`StreamOrders`) with the streaming response and deprecate the old one.

    ## References
    - buf breaking rule `RPC_SAME_SERVER_STREAMING`.
    """
    yield from _streaming_changed(pair, "server", pair.old.proto.server_streaming, pair.new.proto.server_streaming)


def _idempotency_at(method: Method) -> Location:
    path = method.source_path + (SourcePath.METHOD_OPTIONS, _IDEMPOTENCY_LEVEL)
    return method.file.span(path) if method.file.has_span(path) else file_location(method.file)


@rule("RPC_SAME_IDEMPOTENCY_LEVEL", format=PROTOBUF, subject="method", categories=_WIRE)
def rpc_same_idempotency_level(pair: Pair[Method], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an RPC whose `idempotency_level` option changed.

    ## What it does
    Compares the method option `idempotency_level` (`IDEMPOTENCY_UNKNOWN` when unset,
    `NO_SIDE_EFFECTS`, `IDEMPOTENT`). The finding points at the option in the new file, or
    at the file's start when the option was removed.

    ## Why is this breaking?
    Clients and proxies use it to decide whether a call may be retried or sent as an HTTP
    GET (Connect, gRPC-Web). Changing it makes existing clients retry calls that are no
    longer safe to retry, or send requests the server no longer accepts the same way.

    ## Example
    Before:
    ```proto
    rpc GetOrder(GetOrderRequest) returns (Order) { option idempotency_level = NO_SIDE_EFFECTS; }
    ```
    After:
    ```proto
    rpc GetOrder(GetOrderRequest) returns (Order);
    ```

    ## How to change this safely
    Keep the level; if the method's semantics really changed, add a new RPC with the new level.

    ## References
    - buf breaking rule `RPC_SAME_IDEMPOTENCY_LEVEL`.
    """
    from google.protobuf import descriptor_pb2 as pb

    level = pb.MethodOptions.IdempotencyLevel.Name
    old, new = level(pair.old.proto.options.idempotency_level), level(pair.new.proto.options.idempotency_level)
    if old == new:
        return
    yield violation(
        f'{_rpc(pair.new)} changed idempotency_level from "{old}" to "{new}": clients and proxies now retry or '
        f'cache calls differently than the server expects.',
        _idempotency_at(pair.new), _idempotency_at(pair.old),
        hint=f"Keep option idempotency_level = {old}; or add a new RPC with the new level.",
        subject=pair.new.full_name,
    )
