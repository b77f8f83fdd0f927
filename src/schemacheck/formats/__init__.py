"""Format front ends: bytes at a revision in, a format's own model out. No rules here.

Each format also provides a checker (``schemacheck.compat.<format>``) registered in
``formats/registry.py`` (:data:`schemacheck.formats.registry.FORMATS`), one line per format.
"""
