"""JSON Schema compatibility rules, judged by the shape engine (``schemacheck.compat.shape``).

Maintainers: each module declares small rule functions with
:func:`~._common.shape_rule`, a thin wrapper over :func:`schemacheck.registry.rule` that turns
(family, directions, strict) into categories. Categories:

- ``BACKWARD`` / ``FORWARD``: the direction an edit breaks (readers on the new schema reading
  old documents / readers on the old schema reading new documents). FULL mode runs both.
- ``STRICT``: edits the lenient policy accepts (readers ignore unknown properties).
- one family (``TYPE``, ``STRING``, ``NUMBER``, ``OBJECT``, ``ARRAY``, ``ENUM``, ``COMBINED``,
  ``UNDECIDABLE``): which engine hook calls the rule.
"""

from __future__ import annotations

from ...registry import register_categories

register_categories("jsonschema", ["BACKWARD", "FORWARD", "STRICT", "TYPE", "STRING", "NUMBER", "OBJECT", "ARRAY",
                                   "ENUM", "COMBINED", "UNDECIDABLE"])
