"""Format-agnostic ``meta`` rules: about schemacheck's own annotations, not about schemas.

They judge inline suppression directives (``suppress.py`` hands each directive over as a
:class:`~schemacheck.suppress.SuppressionReview`). They are warnings, on by default, and can be
selected or ignored by ID like any rule.
"""
