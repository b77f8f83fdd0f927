"""Server URLs clients were told to call (document, path item and operation ``servers``)."""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.openapi.pairs import ApiPair
from ...formats.openapi.model import Servers
from ...registry import Violation
from ._common import api_rule


def _removed(old: Servers | None, new: Servers | None) -> list[str]:
    """Old URLs the new servers no longer list (none when the old level declared none)."""
    if old is None:
        return []
    kept = set(new.urls) if new is not None else set()
    return [url for url in old.urls if url not in kept]


@api_rule("SERVER_REMOVED", subject="api", severity="warning")
def server_removed(pair: ApiPair, ctx: object = None) -> Iterator[Violation]:
    """A server URL was removed (document, path or operation level).

    ## What it does
    Compares the server URLs in effect (`{variables}` replaced by their defaults; an
    operation's `servers` override its path item's, which override the document's; Swagger
    2.0: `schemes` + `host` + `basePath`). Reports document-level URLs that disappeared once,
    and for each operation with its own (path- or operation-level) servers in either revision,
    the other URLs it lost. A new URL added beside the old ones is not reported. oasdiff has no
    check for servers.

    ## Why is this breaking?
    Clients configured with the old base URL (generated SDKs default to the first server)
    call an address the API no longer documents: unreachable, or another API version. A
    warning: server lists often name environments, and the deployment, not the document,
    decides what answers.

    ## Example
    Before: `servers: [{url: https://api.example.com/v1}]`. After: `servers: [{url: https://api.example.com/v2}]`.

    ## How to change this safely
    Keep the old URL listed (and answering) until clients have moved; add the new one beside it.
    """
    old, new = pair.old, pair.new
    root_removed = _removed(old.servers, new.servers)
    for url in root_removed:
        at = new.servers.at if new.servers is not None else None
        yield Violation(f"Server {url} was removed; clients configured with it call an address the API no longer "
                        f"documents.", at.location() if at else new.location(""),
                        old.servers.at.location() if old.servers else None, subject=f"server {url}")
    for key, op in old.operations.items():
        counterpart = new.operations.get(key)
        if counterpart is None:
            continue
        own = {s.level for s in (op.servers, counterpart.servers) if s is not None} - {"root"}
        if not own:
            continue  # document-level on both sides: reported once above
        for url in (u for u in _removed(op.servers, counterpart.servers) if u not in root_removed):
            at = counterpart.servers.at if counterpart.servers is not None else counterpart.at
            yield Violation(f"{counterpart.label}: server {url} was removed; clients calling the operation there "
                            f"get an error.", at.location(), op.servers.at.location() if op.servers else None,
                            subject=f"{counterpart.label} server {url}")
