"""Protobuf rules: buf's breaking-change rule set, same IDs, categories and pairing.

Categories, strictest first: ``FILE`` (the default) ⊃ ``PACKAGE`` ⊃ ``WIRE_JSON`` ⊃ ``WIRE``;
``CSR`` is the subset relevant to Confluent Schema Registry. ``GOOGLE_API`` is not buf's: the
Google API annotation rules (``google_api_*.py``), off by default and switched on by the checker
when checked files import ``google/api/`` (setting ``protobuf.google-api``). Each module in this package
declares a few rules with :func:`schemacheck.registry.rule`; modules are discovered, not listed.
"""

from ...registry import register_categories

register_categories("protobuf", ["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR", "GOOGLE_API"])
