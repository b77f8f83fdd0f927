"""Security requirements old clients can no longer meet."""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.openapi.pairs import OperationPair
from ...formats.openapi.model import Requirement
from ...registry import Violation
from ._common import api_rule


def _meets(held: Requirement, needed: Requirement) -> bool:
    """Whether a client holding ``held`` (schemes with scopes) meets the alternative ``needed``."""
    have = dict(held)
    return all(scheme in have and scopes <= have[scheme] for scheme, scopes in needed)


def _describe(alternative: Requirement) -> str:
    if not alternative:
        return "no authentication"
    return " + ".join(f"{name}" + (f" [{', '.join(sorted(scopes))}]" if scopes else "")
                      for name, scopes in sorted(alternative, key=lambda item: item[0]))


@api_rule("SECURITY_TIGHTENED", subject="operation",
          aliases=("api-security-added", "api-security-scope-added", "api-global-security-added",
                   "api-global-security-scope-added"))
def security_tightened(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """An operation's security requirements can no longer be met by some old client.

    ## What it does
    Compares the requirement alternatives in effect (the operation's `security`, else the
    document's). An old client holds the credentials of one old alternative; the change breaks
    if some old alternative meets no new one: security added where none was needed, a scheme
    or a scope added to every alternative, an alternative removed. Loosening (adding an
    alternative, dropping a scope) is not flagged.

    ## Why is this breaking?
    Old clients call without the new credentials or scopes and get `401`/`403`.

    ## Example
    Before: `security: [{oauth: [orders:read]}]`. After: `security: [{oauth: [orders:read, orders:write]}]`.

    ## How to change this safely
    Add the new requirement as an *alternative* first, move clients over, then drop the old one.
    """
    if pair.new.reversed:
        return
    old = pair.old.security or (frozenset(),)
    new = pair.new.security or (frozenset(),)
    for held in old:
        if not any(_meets(held, needed) for needed in new):
            needs = " or ".join(_describe(n) for n in new)
            yield Violation(f"{pair.label}: security was tightened: clients using {_describe(held)} no longer meet "
                            f"the requirements ({needs}) and get 401/403.", pair.new.at.location(),
                            pair.old.at.location(), subject=f"{pair.label} security")
            return
