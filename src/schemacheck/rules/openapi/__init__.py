"""OpenAPI rules: one decorated function per rule ID; the docstring is the documentation.

Categories (``--select OPENAPI``, ``--ignore LIFECYCLE``...): every rule is in ``OPENAPI`` and in
the group of the module it is written in (``_common.CATEGORIES``): ``ENDPOINT``, ``PARAMETER``,
``REQUEST``, ``RESPONSE``, ``MEDIA_TYPE``, ``LIFECYCLE``, ``SECURITY``, ``SERVER``.
"""

from ...registry import register_categories
from ._common import CATEGORIES

#: OpenAPI schema rules report the shape engine's JSON Schema rules (``_common.SCHEMA_COVERAGE``).
BUILDS_ON = ("jsonschema",)

register_categories("openapi", CATEGORIES)
