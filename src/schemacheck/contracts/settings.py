"""``[[tool.schemacheck.contracts]]``: consumer/producer pairs checked against each other.

Maintainers: one entry per contract; kept light (no pydantic: ``config_model``) because it is imported whenever
configuration is read. The selector syntax is parsed (and reported) by :mod:`.selectors` when a
contract is checked, so that an entry naming a file that no longer exists is reported as that
entry's error, not as a configuration error that stops every other check.
"""

from __future__ import annotations

from typing import Literal

from ..config_model import ConfigModel, Field

__all__ = ["ContractSettings"]


class ContractSettings(ConfigModel):
    """One ``[[tool.schemacheck.contracts]]`` entry."""

    consumer: str = Field(description="The consumer's schema element: a selector (docs/contracts.md).")
    producer: str = Field(description="The producer's schema element: a selector (docs/contracts.md).")
    direction: Literal["reads", "writes"] = Field(
        default="reads", description="reads: the consumer reads what the producer writes (responses, events); "
                                     "writes: the consumer sends what the producer reads (requests).")
    name: str = Field(default="", description="A name for messages (default: 'CONSUMER -> PRODUCER').")

    def label(self, index: int) -> str:
        """How messages name this entry: its name, else its position and selectors."""
        return f"contract {self.name!r}" if self.name else f"contracts[{index}] ({self.consumer} -> {self.producer})"
