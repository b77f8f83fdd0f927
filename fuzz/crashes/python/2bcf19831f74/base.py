"""attrs and msgspec classes (read statically only; the tests never import this module)."""

from typing import Optional

import attr
import attrs
import msgspec


@attrs.define
class Coupon:
    code: str
    percent: int = 10
    _secret: str = attrs.field(default="")


@attr.s
class Legacy:
    ident = attr.ib(type=int)
    label = attr.ib(default="", type=str)
    not_a_field: int = 3


class Shipment(msgspec.Struct, rename="camel", forbid_unknown_fields=True, omit_defaults=True):
    tracking_number: str
    carrier_name: str = msgspec.field(default="dhl", name="carrier")
    weight_grams: Optional[int] = None
