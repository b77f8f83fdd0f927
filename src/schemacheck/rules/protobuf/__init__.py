"""Protobuf rules: buf's breaking-change rule set, same IDs, categories and pairing.

Categories, strictest first: ``FILE`` (the default) ⊃ ``PACKAGE`` ⊃ ``WIRE_JSON`` ⊃ ``WIRE``;
``CSR`` is the subset relevant to Confluent Schema Registry. Each module in this package
declares a few rules with :func:`schemacheck.registry.rule`; modules are discovered, not listed.
"""

from ...registry import register_categories

register_categories("protobuf", ["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"])
