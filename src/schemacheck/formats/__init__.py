"""Format front ends: bytes at a revision in, a format's own model out. No rules here.

Each format also provides a checker (``schemacheck.compat.<format>``) registered in
:data:`schemacheck.checkers.CHECKER_BY_FORMAT`.
"""
