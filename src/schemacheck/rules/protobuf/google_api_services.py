"""GOOGLE_API rules on services: `google.api.default_host` and `google.api.oauth_scopes`.

Maintainers: both change what generated client libraries connect to and which credentials they
ask for; neither changes the wire. Read through ``_google_api.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.protobuf.elements import Service
from ...compat.protobuf.image import CheckContext, Pair
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._google_api import DEFAULT_HOST, GOOGLE_API, OAUTH_SCOPES, annotation_span, default_host, oauth_scopes, quoted



@rule("SERVICE_SAME_DEFAULT_HOST", format=PROTOBUF, subject="service", categories=GOOGLE_API, default=False)
def service_same_default_host(pair: Pair[Service], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a service whose `google.api.default_host` was removed or changed.

    ## What it does
    Compares `option (google.api.default_host)` of services present in both revisions; a
    host that is gone or different is reported. Adding one is fine.

    ## Why is this breaking?
    Generated clients connect to the default host unless told otherwise. Without it, clients
    need an explicit endpoint (and existing code that relied on the default fails to
    connect); with another host, upgraded clients silently talk to a different endpoint.

    ## Example
    Before:
    ```proto
    service Library { option (google.api.default_host) = "library.example.com"; }
    ```
    After:
    ```proto
    service Library {}
    ```

    ## How to change this safely
    Keep the default host; move a service to a new host in a new API version.

    ## References
    - AIP-4210 (Client library generators), AIP-180.
    - proto-breaking-change-detector `SERVICE_HOST_REMOVAL`, `SERVICE_HOST_CHANGE`.
    - Category `GOOGLE_API`, on by default when the changed files import `google/api/` or
      `google/longrunning/`: see docs/google-api.md.
    """
    was, now = default_host(pair.old, ctx.old), default_host(pair.new, ctx.new)
    if not was or was == now:
        return
    change = "was removed" if not now else f'changed to "{now}"'
    yield violation(
        f'Default host "{was}" of service "{pair.new.full_name}" {change}: generated clients no longer connect '
        "to it by default.",
        annotation_span(pair.new, DEFAULT_HOST), annotation_span(pair.old, DEFAULT_HOST),
        hint=f'Restore option (google.api.default_host) = "{was}".', subject=pair.new.full_name)


@rule("SERVICE_OAUTH_SCOPES_NO_DELETE", format=PROTOBUF, subject="service", categories=GOOGLE_API, default=False)
def service_oauth_scopes_no_delete(pair: Pair[Service], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an OAuth scope removed from a service's `google.api.oauth_scopes`.

    ## What it does
    Splits `option (google.api.oauth_scopes)` at commas and reports each scope of the base
    revision that the head revision no longer lists. New scopes are fine.

    ## Why is this breaking?
    Generated clients request the listed scopes when they obtain credentials. Credentials that
    hold only a removed scope stop being requested or accepted, so callers that were
    authorized get `PERMISSION_DENIED` or `UNAUTHENTICATED`.

    ## Example
    Before:
    ```proto
    option (google.api.oauth_scopes) = "https://www.example.com/auth/library,https://www.example.com/auth/library.readonly";
    ```
    After:
    ```proto
    option (google.api.oauth_scopes) = "https://www.example.com/auth/library";
    ```

    ## How to change this safely
    Keep accepting the old scope for as long as clients use it.

    ## References
    - AIP-4210 (Client library generators), AIP-180.
    - proto-breaking-change-detector `OAUTH_SCOPE_REMOVAL`.
    - Category `GOOGLE_API`, on by default when the changed files import `google/api/` or
      `google/longrunning/`: see docs/google-api.md.
    """
    now = set(oauth_scopes(pair.new, ctx.new))
    removed = [scope for scope in oauth_scopes(pair.old, ctx.old) if scope not in now]
    if not removed:
        return
    listed = quoted(removed)
    yield violation(
        f'OAuth scope {listed} was removed from service "{pair.new.full_name}": clients authorized with it no longer '
        "get access.",
        annotation_span(pair.new, OAUTH_SCOPES), annotation_span(pair.old, OAUTH_SCOPES),
        hint="Keep the scope in google.api.oauth_scopes until no client depends on it.", subject=pair.new.full_name)
