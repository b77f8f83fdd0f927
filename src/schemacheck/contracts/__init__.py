"""Consumer contracts: a consumer's schema element checked against a producer's, across formats.

Maintainers: :mod:`.selectors` parses the strings naming a schema element, :mod:`.sides` turns
one into a shape at a revision (through each format's own front end: one loader, one ``$ref``
resolver, one shape builder), :mod:`.check` runs the shared shape engine with the consumer as
reader or writer and maps its verdicts to the ``CONTRACT_*`` rules (``rules/contracts``), and
:mod:`.stage` is the runner stage that decides which configured contracts a change touches.
See docs/contracts.md.
"""

__all__: list[str] = []
