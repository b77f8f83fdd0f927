"""pydantic v2 models: every construct the front end reads (compared with model_json_schema())."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Dict, List, Literal, Optional, Set, Tuple, Union
from uuid import UUID

import annotated_types
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, conint, conlist, constr

from .base import ApiModel, Money
from .enums import Priority, Status

Sku = Annotated[str, Field(min_length=3, max_length=12, pattern=r"^[A-Z0-9-]+$")]
Quantity = conint(ge=1, le=999)
Tags = List[str]


class LineItem(ApiModel):
    sku: Sku
    quantity: Quantity  # type: ignore[valid-type]
    unit_price: Money
    tags: Tags = []


class Cat(BaseModel):
    kind: Literal["cat"]
    lives: int = 9


class Dog(BaseModel):
    kind: Literal["dog"]
    good: bool = True


class Order(ApiModel):
    order_id: UUID
    created_at: dt.datetime
    ship_on: Optional[dt.date] = None
    status: Status
    priority: Priority = Priority.LOW
    items: Annotated[List[LineItem], Field(min_length=1)]
    total: Money
    tax_rate: Decimal
    note: Optional[str] = Field(default=None, max_length=500)
    coupon: Union[str, None] = None
    metadata: Dict[str, Any] = Field(default_factory=dict)
    flags: Set[int] = set()
    dims: Tuple[int, int, int]
    score: Annotated[float, annotated_types.Gt(0), annotated_types.Le(5)] = 1.0
    parent: Optional["Order"] = None
    pet: Union[Cat, Dog] = Field(discriminator="kind")
    legacy_code: str = Field(alias="LEGACY", min_length=1)
    channel: Literal["web", "app"] = "web"


class Customer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: constr(min_length=1, max_length=80)  # type: ignore[valid-type]
    email: str = Field(validation_alias=AliasChoices("email", "mail"), serialization_alias="email")
    phones: conlist(str, max_length=3) = []  # type: ignore[valid-type]
    age: int | None = Field(default=None, ge=0, lt=150)
    vip: bool = False
    ratio: float = Field(default=0.5, multiple_of=0.25)
