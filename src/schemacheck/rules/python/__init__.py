"""Rules specific to Python DTOs (everything else reuses the shape rules of ``rules/jsonschema``).

Categories: ``DTO`` (every Python-specific rule), and ``BACKWARD``/``FORWARD`` as for shape rules
(which readers a change breaks).
"""

from ...registry import register_categories

register_categories("python", ["DTO", "BACKWARD", "FORWARD"])

#: Rule packages these rules build on (``registry.load_rules`` loads them first).
BUILDS_ON = ("jsonschema",)
