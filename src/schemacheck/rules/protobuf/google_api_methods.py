"""GOOGLE_API rules on methods: method signatures, long-running operations (AIP-151) and
pagination (AIP-158).

Maintainers: these change generated client libraries (GAPIC) rather than the wire; each reads
its annotation through ``_google_api.py``. Request and response messages of a method are
looked up in each revision's image by full name.
"""

from __future__ import annotations

from collections.abc import Iterator

from google.protobuf import descriptor_pb2 as pb

from ...compat.protobuf.elements import Message, Method, SourcePath
from ...compat.protobuf.image import CheckContext, Image, Pair
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._google_api import GOOGLE_API, METHOD_SIGNATURE, OPERATION_INFO, annotation_span, method_signatures, \
    operation_info, quoted, rpc_name, same_but_version

_T = pb.FieldDescriptorProto
#: AIP-158: request fields, response field, and their types.
_PAGE_FIELDS = (("request", "page_size", _T.TYPE_INT32), ("request", "page_token", _T.TYPE_STRING),
                ("response", "next_page_token", _T.TYPE_STRING))


@rule("RPC_SAME_METHOD_SIGNATURES", format=PROTOBUF, subject="method", categories=GOOGLE_API, default=False)
def rpc_same_method_signatures(pair: Pair[Method], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a `google.api.method_signature` removed from an RPC, or the signatures reordered.

    ## What it does
    Compares the `(google.api.method_signature)` strings of each method: a signature that is
    gone is reported, and so is a change in the order of the remaining ones. New signatures
    appended after the existing ones are fine.

    ## Why is this breaking?
    Client libraries generate one overload per signature (`get_book(name)`), in order; a
    removed signature deletes the overload callers use, and a changed one (`"name"` →
    `"name,view"`) changes its parameters, so callers stop compiling. Some languages resolve
    overloads by position, which is why the order matters too.

    ## Example
    Before:
    ```proto
    option (google.api.method_signature) = "parent,book";
    ```
    After:
    ```proto
    option (google.api.method_signature) = "parent,book,book_id";
    ```

    ## How to change this safely
    Keep existing signatures in their order and add new ones after them.

    ## References
    - AIP-4232 (Method signatures), AIP-180.
    - proto-breaking-change-detector `METHOD_SIGNATURE_REMOVAL`, `METHOD_SIGNATURE_ORDER_CHANGE`.
    - Category `GOOGLE_API`, on by default when the changed files import `google/api/` or
      `google/longrunning/`: see docs/google-api.md.
    """
    was, now = method_signatures(pair.old, ctx.old), method_signatures(pair.new, ctx.new)
    if not was:
        return
    at, before = annotation_span(pair.new, METHOD_SIGNATURE), annotation_span(pair.old, METHOD_SIGNATURE)
    removed = [s for s in was if s not in now]
    if removed:
        listed = quoted(removed)
        yield violation(
            f"Method signature {listed} of {rpc_name(pair.new)} was removed: generated client methods taking those "
            "arguments disappear.",
            at, before, hint=f"Restore option (google.api.method_signature) = \"{removed[0]}\"; add new signatures "
                             "after the existing ones.", subject=pair.new.full_name)
    elif now[:len(was)] != was:
        yield violation(
            f"Method signatures of {rpc_name(pair.new)} were reordered from [{quoted(was)}] to [{quoted(now)}]: "
            "generated client overloads change.",
            at, before, hint="Restore the old order and append new signatures after it.", subject=pair.new.full_name)


def _short(name: str) -> str:
    return name or "(unset)"


@rule("RPC_SAME_LRO", format=PROTOBUF, subject="method", categories=GOOGLE_API, default=False)
def rpc_same_lro(pair: Pair[Method], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an RPC that became, or stopped being, a long-running operation.

    ## What it does
    Reports a method that gained or lost `option (google.longrunning.operation_info)`.

    ## Why is this breaking?
    AIP-151: client libraries wrap a long-running method in an operation poller
    (`client.create_book(...).result()`). Adding or removing the annotation switches between a
    plain call and a poller, so every caller's code stops compiling or misreads the result.

    ## Example
    Before:
    ```proto
    rpc ExportBooks(ExportBooksRequest) returns (google.longrunning.Operation) {
      option (google.longrunning.operation_info) = { response_type: "ExportBooksResponse" metadata_type: "ExportMetadata" };
    }
    ```
    After:
    ```proto
    rpc ExportBooks(ExportBooksRequest) returns (google.longrunning.Operation);
    ```

    ## How to change this safely
    Add a new RPC with the other calling style and deprecate the old one.

    ## References
    - AIP-151 (Long-running operations), AIP-180.
    - proto-breaking-change-detector `LRO_ANNOTATION_ADDITION`, `LRO_ANNOTATION_REMOVAL`.
    - Category `GOOGLE_API`, on by default when the changed files import `google/api/` or
      `google/longrunning/`: see docs/google-api.md.
    """
    was, now = operation_info(pair.old, ctx.old), operation_info(pair.new, ctx.new)
    if (was is None) == (now is None):
        return
    if now is None:
        message = (f"{rpc_name(pair.new)} is no longer a long-running operation "
                   "(google.longrunning.operation_info removed)")
        at = pair.new.span()
    else:
        message = f"{rpc_name(pair.new)} became a long-running operation (google.longrunning.operation_info added)"
        at = annotation_span(pair.new, OPERATION_INFO)
    yield violation(
        f"{message}: generated clients switch between a plain call and an operation poller.",
        at, annotation_span(pair.old, OPERATION_INFO),
        hint="Keep the method's calling style; add a new RPC for the other one.", subject=pair.new.full_name)


@rule("RPC_SAME_LRO_TYPES", format=PROTOBUF, subject="method", categories=GOOGLE_API, default=False)
def rpc_same_lro_types(pair: Pair[Method], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a long-running RPC whose operation response or metadata type changed.

    ## What it does
    Compares `response_type` and `metadata_type` of `(google.longrunning.operation_info)`,
    resolved to full names (a short name is in the method's package). A name differing only
    in the API version segment, when the package's version changed the same way, is the same.

    ## Why is this breaking?
    The operation's result and metadata travel as `google.protobuf.Any`; clients unpack them as
    the declared types. A new type makes existing clients fail to unpack (or misread) the
    result, and generated pollers change their return types.

    ## Example
    Before:
    ```proto
    option (google.longrunning.operation_info) = { response_type: "ExportBooksResponse" metadata_type: "ExportMetadata" };
    ```
    After:
    ```proto
    option (google.longrunning.operation_info) = { response_type: "ExportResult" metadata_type: "ExportMetadata" };
    ```

    ## How to change this safely
    Evolve the existing response and metadata messages by adding fields.

    ## References
    - AIP-151 (Long-running operations), AIP-180.
    - proto-breaking-change-detector `LRO_RESPONSE_CHANGE`, `LRO_METADATA_CHANGE`.
    - Category `GOOGLE_API`, on by default when the changed files import `google/api/` or
      `google/longrunning/`: see docs/google-api.md.
    """
    was, now = operation_info(pair.old, ctx.old), operation_info(pair.new, ctx.new)
    if was is None or now is None:
        return
    packages = pair.old.file.package, pair.new.file.package
    for index, what in enumerate(("response", "metadata")):
        old_type, new_type = was[index], now[index]
        if old_type == new_type or same_but_version(old_type, new_type, *packages, "."):
            continue
        yield violation(
            f'Long-running {rpc_name(pair.new)} changed its operation {what} type from "{_short(old_type)}" to '
            f'"{_short(new_type)}": clients unpack the operation {what} as the old type.',
            annotation_span(pair.new, OPERATION_INFO), annotation_span(pair.old, OPERATION_INFO),
            hint=f'Keep {what}_type "{_short(old_type)}" and add fields to it instead.', subject=pair.new.full_name)


def _page_field(image: Image, method: Method, side: str, name: str) -> pb.FieldDescriptorProto | None:
    type_name = (method.proto.input_type if side == "request" else method.proto.output_type).lstrip(".")
    message: Message | None = image.messages.get(type_name)
    if message is None:
        return None
    return next((f.proto for f in message.fields() if f.name == name), None)


def _paginated(image: Image, method: Method) -> bool:
    for side, name, wanted in _PAGE_FIELDS:
        found = _page_field(image, method, side, name)
        if found is None or found.type != wanted or found.label == _T.LABEL_REPEATED:
            return False
    return True


@rule("RPC_SAME_PAGINATION", format=PROTOBUF, subject="method", categories=GOOGLE_API, default=False)
def rpc_same_pagination(pair: Pair[Method], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a paginated RPC (AIP-158) that no longer follows the pagination pattern.

    ## What it does
    A method is paginated when its request has `int32 page_size` and `string page_token` and
    its response `string next_page_token`. Reports a method paginated in the base revision whose
    request or response lost one of those fields or changed its type.

    ## Why is this breaking?
    Client libraries turn paginated methods into iterators that fetch pages on demand; without
    the pattern the method returns a single page, so callers' loops stop compiling or silently
    see only the first page. Clients passing `page_token` send a field the server no longer
    reads.

    ## Example
    Before:
    ```proto
    message ListBooksRequest { string parent = 1; int32 page_size = 2; string page_token = 3; }
    ```
    After:
    ```proto
    message ListBooksRequest { string parent = 1; int32 page_size = 2; }
    ```

    ## How to change this safely
    Keep the three fields with their types; deprecate them rather than deleting them.

    ## References
    - AIP-158 (Pagination), AIP-180.
    - proto-breaking-change-detector `METHOD_PAGINATED_RESPONSE_CHANGE`.
    - Category `GOOGLE_API`, on by default when the changed files import `google/api/` or
      `google/longrunning/`: see docs/google-api.md.
    """
    if not _paginated(ctx.old, pair.old) or _paginated(ctx.new, pair.new):
        return
    broken = []
    for side, name, wanted in _PAGE_FIELDS:
        found = _page_field(ctx.new, pair.new, side, name)
        if found is None:
            broken.append(f'{side} field "{name}" was removed')
        elif found.type != wanted or found.label == _T.LABEL_REPEATED:
            broken.append(f'{side} field "{name}" is no longer a single {_T.Type.Name(wanted)[5:].lower()}')
    if not broken:  # the request or response message itself is gone: RPC/MESSAGE rules report it
        return
    yield violation(
        f"{rpc_name(pair.new)} no longer follows the AIP-158 pagination pattern ({'; '.join(broken)}): generated "
        "clients stop iterating over pages.",
        pair.new.span(SourcePath.METHOD_NAME), pair.old.span(SourcePath.METHOD_NAME),
        hint="Keep int32 page_size and string page_token in the request and string next_page_token in the response.",
        subject=pair.new.full_name)
