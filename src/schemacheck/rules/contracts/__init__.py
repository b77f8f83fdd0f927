"""Contract rules: a consumer's schema element judged against a producer's (``[[tool.schemacheck.contracts]]``).

Category: ``CONTRACT`` (every contract rule). Each rule receives a
:class:`~schemacheck.contracts.issue.ContractIssue` and says what breaks from the consumer's side,
naming both files.
"""

from ...registry import register_categories

register_categories("contracts", ["CONTRACT"])
