"""OpenAPI rules: one decorated function per rule ID; the docstring is the documentation."""
