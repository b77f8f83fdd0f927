"""OpenAPI rules: one decorated function per rule ID; the docstring is the documentation."""

#: OpenAPI schema rules report the shape engine's JSON Schema rules (``_common.SCHEMA_COVERAGE``).
BUILDS_ON = ("jsonschema",)
