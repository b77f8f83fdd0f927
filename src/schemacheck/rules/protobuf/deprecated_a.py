"""Retired buf rule IDs of the field/message family, kept so that existing buf.yaml files still load.

Selecting a deprecated ID selects its replacements (findings carry the replacement's ID, as in
buf). ``MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT`` is still listed by buf v2 but checks nothing.
"""

from __future__ import annotations

from ...registry import deprecate
from ._common import PROTOBUF

deprecate("FIELD_SAME_CTYPE", format=PROTOBUF, replacements=("FIELD_SAME_CPP_STRING_TYPE",),
          reason="The ctype option became the (pb.cpp).string_type feature with editions.")
deprecate("FIELD_SAME_LABEL", format=PROTOBUF,
          replacements=("FIELD_SAME_CARDINALITY", "FIELD_WIRE_COMPATIBLE_CARDINALITY",
                        "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY"),
          reason="Labels do not capture presence under editions; cardinality does.")
deprecate("FILE_SAME_JAVA_STRING_CHECK_UTF8", format=PROTOBUF, replacements=("FIELD_SAME_JAVA_UTF8_VALIDATION",),
          reason="The java_string_check_utf8 file option became the (pb.java).utf8_validation feature.")
deprecate("MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT", format=PROTOBUF, replacements=(),
          reason="No-op: message_set_wire_format cannot change meaningfully; buf v2 lists it as deprecated.")
