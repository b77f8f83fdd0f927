"""ProtoJSON shapes of protobuf messages, checked against the protobuf runtime's own JSON mapping.

The oracle is ``google.protobuf.json_format``: messages built from the compiled descriptors are
filled with random and default values, written with ``MessageToDict`` (default options and
``preserving_proto_field_name``) and every output must fit the write view; the outputs and
mutations of them are fed to ``ParseDict``, and the read view must accept what it accepts and
reject what it rejects (for the mutations the shape model can express).
"""

from __future__ import annotations

import base64
import copy
import random
from pathlib import Path

import pytest
from google.protobuf import descriptor_pool, json_format, message_factory
from google.protobuf.descriptor import FieldDescriptor as F

from schemacheck.compat.shape.engine import Engine
from schemacheck.errors import ParseError
from schemacheck.compat.shape.pair import Direction, Policy
from schemacheck.formats.protobuf import compile_protos
from schemacheck.formats.protobuf.compiler import descriptor_set
from schemacheck.formats.protobuf.protojson_shape import ProtoSelectorError, buf_roots, protojson_shape
from schemacheck.shape.nodes import ObjectShape
from schemacheck.shape.values import accepts
from schemacheck.snapshot import DirectorySnapshot

PROTO3 = """syntax = "proto3";
package shop.v1;
import "google/protobuf/any.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/empty.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";

enum Status { STATUS_UNSPECIFIED = 0; PAID = 1; SHIPPED = 2; }

message Order {
  int32 i32 = 1;
  int64 total_amount = 2;
  uint32 u32 = 3;
  uint64 u64 = 4;
  sint32 s32 = 5;
  sint64 s64 = 6;
  fixed32 f32 = 7;
  fixed64 f64 = 8;
  sfixed32 sf32 = 9;
  sfixed64 sf64 = 10;
  float fl = 11;
  double db = 12;
  bool flag = 13;
  string note = 14;
  bytes blob = 15;
  Status status = 16;
  optional string maybe = 17;
  repeated int64 ids = 18;
  repeated Status history = 19;
  map<string, Line> lines = 20;
  map<int64, string> by_id = 21;
  map<bool, int32> by_flag = 22;
  oneof payment { string card = 23; int64 account_id = 24; Line voucher = 25; }
  string renamed = 26 [json_name = "customName"];
  google.protobuf.Timestamp created_at = 27;
  google.protobuf.Duration ttl = 28;
  google.protobuf.FieldMask mask = 29;
  google.protobuf.Struct extra = 30;
  google.protobuf.Value any_value = 31;
  google.protobuf.ListValue list = 32;
  google.protobuf.Int64Value wrapped_count = 33;
  google.protobuf.StringValue wrapped_name = 34;
  google.protobuf.BoolValue wrapped_flag = 35;
  google.protobuf.Any attachment = 36;
  google.protobuf.Empty nothing = 37;
  google.protobuf.NullValue null_value = 38;
  Node tree = 39;
}

message Line { string sku = 1; uint32 quantity = 2; }

message Node {
  string label = 1;
  repeated Node children = 2;
  Node parent = 3;
}
"""

PROTO2 = """syntax = "proto2";
package legacy;

message Item {
  required int64 item_id = 1;
  required string name = 2;
  optional int32 count = 3 [default = 7];
  repeated double prices = 4;
  enum Kind { BOOK = 1; FOOD = 2; }
  optional Kind kind = 5;
  optional Item next = 6;
  oneof choice { sint32 small = 7; bytes big = 8; }
  optional group Extra = 9 { optional string tag = 10; }
  extensions 100 to 200;
}

extend Item { optional int32 rank = 150; }
"""

EDITIONS = """edition = "2023";
package ed;

message Event {
  int64 id = 1 [features.field_presence = LEGACY_REQUIRED];
  int32 implicit_count = 2 [features.field_presence = IMPLICIT];
  int32 explicit_count = 3;
  enum Level { option features.enum_type = CLOSED; LOW = 1; HIGH = 2; }
  Level level = 4;
  enum Open { OPEN_UNKNOWN = 0; OPEN_A = 1; }
  Open open = 5;
  message Inner { string text = 1; }
  Inner inner = 6;
}
"""

FILES = {"api/shop.proto": PROTO3, "api/legacy.proto": PROTO2, "api/events.proto": EDITIONS}
MESSAGES = [("api/shop.proto", "shop.v1.Order"), ("api/shop.proto", "shop.v1.Node"),
            ("api/legacy.proto", "legacy.Item"), ("api/events.proto", "ed.Event"),
            ("api/events.proto", "ed.Event.Inner")]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> DirectorySnapshot:
    root = tmp_path_factory.mktemp("protojson")
    for path, text in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return DirectorySnapshot(root)


@pytest.fixture(scope="module")
def pool(repo: DirectorySnapshot) -> descriptor_pool.DescriptorPool:
    result = compile_protos(repo, list(FILES), ("api",), closure="full")
    assert not result.errors
    out = descriptor_pool.DescriptorPool()
    for fd in descriptor_set(result, list(FILES)).file:
        out.Add(fd)
    return out


# -- filling messages ----------------------------------------------------------------------------
_RANGES = {F.TYPE_INT32: (-(2**31), 2**31 - 1), F.TYPE_SINT32: (-(2**31), 2**31 - 1),
           F.TYPE_SFIXED32: (-(2**31), 2**31 - 1), F.TYPE_UINT32: (0, 2**32 - 1), F.TYPE_FIXED32: (0, 2**32 - 1),
           F.TYPE_INT64: (-(2**63), 2**63 - 1), F.TYPE_SINT64: (-(2**63), 2**63 - 1),
           F.TYPE_SFIXED64: (-(2**63), 2**63 - 1), F.TYPE_UINT64: (0, 2**64 - 1), F.TYPE_FIXED64: (0, 2**64 - 1)}


def _scalar(fd, rng: random.Random, defaults: bool):
    if fd.type in _RANGES:
        low, high = _RANGES[fd.type]
        return 0 if defaults else rng.choice([low, high, 0, rng.randint(low, high)])
    if fd.type in (F.TYPE_FLOAT, F.TYPE_DOUBLE):
        return 0.0 if defaults else rng.choice([float("nan"), float("inf"), float("-inf"), 1.5, -2.0, rng.random()])
    if fd.type == F.TYPE_BOOL:
        return False if defaults else rng.random() < 0.5
    if fd.type == F.TYPE_STRING:
        return "" if defaults else "".join(rng.choice("aé☃ \"\\") for _ in range(rng.randint(0, 5)))
    if fd.type == F.TYPE_BYTES:
        return b"" if defaults else bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 7)))
    if fd.type == F.TYPE_ENUM:
        numbers = [v.number for v in fd.enum_type.values]
        if defaults:
            return numbers[0]
        if not fd.enum_type.is_closed and rng.random() < 0.3:
            return 77  # unknown to this writer: an open enum keeps and writes the number
        return rng.choice(numbers)
    raise AssertionError(fd.type)


def _fill_wkt(msg, rng: random.Random, pool) -> bool:
    name = msg.DESCRIPTOR.full_name
    if name == "google.protobuf.Timestamp":
        msg.seconds, msg.nanos = rng.randint(0, 4_000_000_000), rng.choice([0, 5_000_000, 123])
    elif name == "google.protobuf.Duration":
        msg.seconds = rng.randint(-1000, 1000)
        msg.nanos = 0 if msg.seconds == 0 else (1 if msg.seconds > 0 else -1) * rng.choice([0, 500_000_000])
    elif name == "google.protobuf.FieldMask":
        msg.paths.extend(["total_amount", "lines.sku"][: rng.randint(0, 2)])
    elif name == "google.protobuf.Struct":
        msg.update({"a": 1, "b": [True, None, "x"], "c": {"d": 2.5}})
    elif name == "google.protobuf.Value":
        msg.string_value = "v" if rng.random() < 0.5 else ""
    elif name == "google.protobuf.ListValue":
        msg.extend([1, "two", None])
    elif name == "google.protobuf.Any":
        line = message_factory.GetMessageClass(pool.FindMessageTypeByName("shop.v1.Line"))(sku="x", quantity=3)
        msg.Pack(line)
    elif name == "google.protobuf.Empty":
        msg.SetInParent()
    elif name.startswith("google.protobuf.") and name.endswith("Value"):
        msg.value = _scalar(msg.DESCRIPTOR.fields_by_name["value"], rng, rng.random() < 0.3)
    else:
        return False
    return True


def fill(msg, rng: random.Random, pool, depth: int = 0, only_required: bool = False) -> None:
    """Set a random subset of fields (required ones always: an initialized message), some to
    their default values; ``only_required``: nothing else."""
    if _fill_wkt(msg, rng, pool):
        return
    desc = msg.DESCRIPTOR
    chosen = {o.name: rng.choice(list(o.fields) + [None]) for o in desc.oneofs if len(o.fields) > 1}
    for fd in desc.fields:
        oneof = fd.containing_oneof
        if oneof is not None and oneof.name in chosen and chosen[oneof.name] is not fd:
            continue
        if not fd.is_required and (only_required or rng.random() < 0.3):
            continue
        defaults = rng.random() < 0.25
        if fd.message_type is not None and fd.message_type.GetOptions().map_entry:
            key_fd, value_fd = fd.message_type.fields_by_name["key"], fd.message_type.fields_by_name["value"]
            for _ in range(rng.randint(0, 3)):
                key = _scalar(key_fd, rng, False)
                if value_fd.message_type is not None:
                    fill(getattr(msg, fd.name)[key], rng, pool, depth + 1)
                else:
                    getattr(msg, fd.name)[key] = _scalar(value_fd, rng, defaults)
        elif fd.type in (F.TYPE_MESSAGE, F.TYPE_GROUP):
            if depth > 3:
                continue
            if fd.is_repeated:
                for _ in range(rng.randint(0, 2)):
                    fill(getattr(msg, fd.name).add(), rng, pool, depth + 1)
            else:
                sub = getattr(msg, fd.name)
                sub.SetInParent()
                fill(sub, rng, pool, depth + 1, only_required=defaults)
        elif fd.is_repeated:
            getattr(msg, fd.name).extend(_scalar(fd, rng, defaults) for _ in range(rng.randint(0, 3)))
        else:
            setattr(msg, fd.name, _scalar(fd, rng, defaults))


def samples(pool, full_name: str, count: int = 40) -> list:
    cls = message_factory.GetMessageClass(pool.FindMessageTypeByName(full_name))
    rng = random.Random(full_name)
    out = []
    for _ in range(count):
        msg = cls()
        fill(msg, rng, pool)
        out.append(msg)
    return out


def parses(pool, full_name: str, value) -> bool:
    cls = message_factory.GetMessageClass(pool.FindMessageTypeByName(full_name))
    try:
        json_format.ParseDict(value, cls(), descriptor_pool=pool)
    except json_format.ParseError:
        return False
    return True


# -- the oracle ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "name"), MESSAGES)
def test_every_runtime_output_fits_the_write_view(repo, pool, path: str, name: str) -> None:
    json_names = protojson_shape(repo, path, name, roots=("api",))
    proto_names = protojson_shape(repo, path, name, roots=("api",), proto_names=True)
    for msg in samples(pool, name):
        written = json_format.MessageToDict(msg, descriptor_pool=pool)
        assert accepts(json_names, written) is True, written
        kept = json_format.MessageToDict(msg, descriptor_pool=pool, preserving_proto_field_name=True)
        assert accepts(proto_names, kept) is True, kept


def _mutations(shape: ObjectShape, value: dict, rng: random.Random) -> list[tuple[str, dict]]:
    """Variants of one written document: (kind, document)."""
    out: list[tuple[str, dict]] = [("unknown key", {**value, "notAField": 1})]
    for prop in shape.properties:
        if prop.name not in value:
            continue
        v = value[prop.name]
        out.append(("null", {**value, prop.name: None}))
        # Not ``[]``: the Python runtime reads an empty list as an empty message, which the
        # mapping (and the Java and C++ parsers) do not allow; a read view follows the mapping.
        out.append(("wrong type", {**value, prop.name: [1] if not isinstance(v, list) else {"x": 1}}))
        if isinstance(v, str) and v.lstrip("-").isdigit():
            out.append(("int64 as number", {**value, prop.name: int(v)}))
        if isinstance(v, int) and not isinstance(v, bool):
            out.append(("integer as string", {**value, prop.name: str(v)}))
            out.append(("out of range", {**value, prop.name: v + 2**64}))
    return out


@pytest.mark.parametrize(("path", "name"), MESSAGES)
def test_read_view_agrees_with_the_runtime_parser(repo, pool, path: str, name: str) -> None:
    read = protojson_shape(repo, path, name, roots=("api",), view="read")
    write = protojson_shape(repo, path, name, roots=("api",))
    rng = random.Random(name)
    checked = 0
    for msg in samples(pool, name, 25):
        for kwargs in ({}, {"preserving_proto_field_name": True}):
            doc = json_format.MessageToDict(msg, descriptor_pool=pool, **kwargs)
            assert parses(pool, name, doc) and accepts(read, doc) is True, doc
            for kind, variant in _mutations(write, copy.deepcopy(doc), rng):
                expected = parses(pool, name, variant)
                got = accepts(read, variant)
                assert got is expected, (kind, variant)
                checked += 1
    assert checked > 50


def test_read_view_oneof_and_enum_forms(repo, pool) -> None:
    read = protojson_shape(repo, "api/shop.proto", "Order", roots=("api",), view="read")
    for doc in ({"card": "c", "accountId": "5"}, {"card": "c", "account_id": 5}, {"accountId": 5, "account_id": 6},
                {"status": 1}, {"status": "SHIPPED"}, {"status": "NOPE"}, {"status": 99},
                {"totalAmount": 1, "total_amount": "2"}, {"blob": "-_8"}, {"fl": "NaN"}, {"fl": "1.5e3"},
                {"byId": {"12": "x"}}, {"byId": {"x": "y"}}, {"byFlag": {"true": 1}}, {"byFlag": {"yes": 1}},
                {"createdAt": "2024-01-02T03:04:05+01:00"}, {"ttl": "1.5s"}, {"nothing": {}}, {"nothing": {"a": 1}},
                {"attachment": {"@type": "type.googleapis.com/shop.v1.Line", "sku": "x"}}, {"nullValue": None},
                {"tree": {"children": [{"children": [{"label": "x"}]}]}}, {"tree": {"children": [None]}}):
        assert accepts(read, doc) is parses(pool, "shop.v1.Order", doc), doc
    # The one known difference: parsers ignore a null oneof member, the shape cannot say "not null".
    doc = {"card": None, "accountId": 5}
    assert parses(pool, "shop.v1.Order", doc) and accepts(read, doc) is False


@pytest.mark.parametrize(("field", "written", "not_written"), [
    ("totalAmount", "-5", 5),  # int64: a decimal string, never a number
    ("u64", "18446744073709551615", "-1"),
    ("i32", -2147483648, 2147483648),  # in range, a number, never a string
    ("i32", 7, "7"),
    ("fl", "NaN", 3.5e38),  # float: within FLT_MAX, or one of three strings
    ("db", "-Infinity", "1.5"),
    ("status", "PAID", "paid"),
    ("status", 77, "77"),  # an open enum's unknown value comes out as a number
    ("blob", "+/8=", "-_8"),  # standard base64 with padding
    ("byId", {"-3": "x"}, {"x": "y"}),
    ("byFlag", {"false": 1}, {"False": 1}),
    ("createdAt", "2024-01-02T03:04:05.5Z", "2024-01-02T03:04:05+01:00"),
    ("ttl", "-1.5s", "1.5"),
    ("wrappedCount", "12", None),  # a wrapper is its scalar; an unset one is absent, not null
    ("nullValue", None, "NULL_VALUE"),
    ("nothing", {}, {"a": 1}),
    ("attachment", {"@type": "type.googleapis.com/x.Y", "a": 1}, {"@type": 1}),
    ("tree", {"children": [{"label": "x"}]}, {"children": [None]}),
    ("card", "c", None),
])
def test_write_view_forms(repo, field: str, written, not_written) -> None:
    order = protojson_shape(repo, "api/shop.proto", "Order", roots=("api",))
    assert accepts(order, {field: written}) is True
    assert accepts(order, {field: not_written}) is False


def test_closed_enum_writes_names_only(repo) -> None:
    event = protojson_shape(repo, "api/events.proto", "Event", roots=("api",))
    assert accepts(event, {"id": "1", "level": "HIGH"}) is True
    assert accepts(event, {"id": "1", "level": 2}) is False and accepts(event, {"id": "1", "open": 9}) is True
    read = protojson_shape(repo, "api/events.proto", "Event", roots=("api",), view="read")
    assert accepts(read, {"id": 1, "level": 2}) is True and accepts(read, {"id": 1, "level": 3}) is False


@pytest.mark.parametrize(("path", "name"), MESSAGES)
@pytest.mark.parametrize("proto_names", [False, True])
def test_a_message_reads_its_own_output_in_the_engine(repo, path: str, name: str, proto_names: bool) -> None:
    writer = protojson_shape(repo, path, name, roots=("api",), proto_names=proto_names)
    reader = protojson_shape(repo, path, name, roots=("api",), view="read")
    engine = Engine(Direction.BACKWARD, Policy.STRICT)
    assert engine.compare(writer, reader) == () and not engine.approximate


def test_extensions_are_written_in_brackets(repo, pool) -> None:
    cls = message_factory.GetMessageClass(pool.FindMessageTypeByName("legacy.Item"))
    msg = cls(item_id=1, name="n")
    msg.Extensions[pool.FindExtensionByName("legacy.rank")] = 3
    written = json_format.MessageToDict(msg, descriptor_pool=pool)
    assert "[legacy.rank]" in written
    assert accepts(protojson_shape(repo, "api/legacy.proto", "Item", roots=("api",)), written) is True
    assert accepts(protojson_shape(repo, "api/shop.proto", "Line", roots=("api",)), {"[x.y]": 1}) is False


# -- requiredness, names, positions ---------------------------------------------------------------
def _props(shape) -> dict[str, bool]:
    return {p.name: p.required for p in shape.properties}


def test_write_view_guarantees_only_required_fields(repo) -> None:
    assert _props(protojson_shape(repo, "api/legacy.proto", "Item", roots=("api",))) == {
        "itemId": True, "name": True, "count": False, "prices": False, "kind": False, "next": False,
        "small": False, "big": False, "extra": False}
    assert _props(protojson_shape(repo, "api/events.proto", "Event", roots=("api",))) == {
        "id": True, "implicitCount": False, "explicitCount": False, "level": False, "open": False, "inner": False}
    order = _props(protojson_shape(repo, "api/shop.proto", "Order", roots=("api",)))
    assert not any(order.values())
    assert "customName" in order and "renamed" not in order and "totalAmount" in order


def test_read_view_accepts_both_spellings(repo) -> None:
    item = _props(protojson_shape(repo, "api/legacy.proto", "Item", roots=("api",), view="read"))
    # "name" has one spelling and stays required; "itemId"/"item_id" are two optional keys.
    assert item["name"] is True and item["itemId"] is False and item["item_id"] is False
    event = _props(protojson_shape(repo, "api/events.proto", "ed.Event", roots=("api",), view="read"))
    assert event["id"] is True and event["implicit_count"] is False


def test_closed_in_both_views(repo) -> None:
    for view in ("read", "write"):
        shape = protojson_shape(repo, "api/shop.proto", "Line", roots=("api",), view=view)
        assert accepts(shape, {"sku": "a", "other": 1}) is False
        assert shape.policy == "strict"


def test_recursive_messages_are_finite(repo) -> None:
    node = protojson_shape(repo, "api/shop.proto", "Node", roots=("api",))
    parent = node.prop("parent").shape
    assert parent.target() is node
    assert node.prop("children").shape.items.target() is node


def _position(text: str, declaration: str) -> tuple[int, int]:
    """1-based line and column where ``declaration`` starts in ``text`` (it occurs once)."""
    assert text.count(declaration) == 1
    before = text[: text.index(declaration)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


@pytest.mark.parametrize(("path", "message", "view", "key", "declaration"), [
    ("api/shop.proto", "Order", "write", "totalAmount", "int64 total_amount = 2"),
    ("api/shop.proto", "Order", "read", "total_amount", "int64 total_amount = 2"),
    ("api/shop.proto", "Order", "write", "customName", "string renamed = 26"),
    ("api/shop.proto", "Order", "write", "accountId", "int64 account_id = 24"),  # inside a one-line oneof
    ("api/shop.proto", "Order", "write", "lines", "map<string, Line> lines = 20"),
    ("api/legacy.proto", "Item", "write", "itemId", "required int64 item_id = 1"),
    ("api/events.proto", "Event.Inner", "write", "text", "string text = 1"),  # nested, same line as its message
])
def test_properties_point_at_the_field(repo, path: str, message: str, view: str, key: str,
                                       declaration: str) -> None:
    shape = protojson_shape(repo, path, message, roots=("api",), view=view)
    loc = shape.prop(key).shape.origin.location()
    assert (loc.path, loc.line, loc.column) == (path, *_position(FILES[path], declaration))


def test_message_and_nested_value_positions(repo) -> None:
    order = protojson_shape(repo, "api/shop.proto", "Order", roots=("api",))
    loc = order.origin.location()
    assert (loc.line, loc.column) == _position(PROTO3, "message Order {")
    items = order.prop("ids").shape.items  # an array's items point at their field
    assert (items.origin.location().line, items.origin.location().column) == _position(PROTO3, "repeated int64 ids")
    assert order.prop("ids").shape.items.origin.pointer == "/shop.v1.Order/properties/ids/items"


# -- selectors and errors -------------------------------------------------------------------------
def test_message_names(repo) -> None:
    assert protojson_shape(repo, "api/events.proto", "Inner", roots=("api",)).prop("text") is not None
    assert protojson_shape(repo, "api/events.proto", "ed.Event.Inner", roots=("api",)).prop("text") is not None


@pytest.mark.parametrize(("path", "name"), [("api/missing.proto", "X"), ("api/shop.proto", "Missing"),
                                            ("api/shop.proto", "legacy.Item")])
def test_missing_file_or_message_is_a_one_line_error(repo, path: str, name: str) -> None:
    with pytest.raises(ProtoSelectorError) as info:
        protojson_shape(repo, path, name, roots=("api",))
    assert "\n" not in str(info.value) and path in str(info.value)


def test_a_file_that_does_not_compile_is_its_parse_error(tmp_path: Path) -> None:
    (tmp_path / "bad.proto").write_text('syntax = "proto3";\nmessage X { int32 a = ; }\n', encoding="utf-8")
    (tmp_path / "lost.proto").write_text('syntax = "proto3";\nimport "gone.proto";\nmessage Y {}\n',
                                         encoding="utf-8")
    for path, name in (("bad.proto", "X"), ("lost.proto", "Y")):
        with pytest.raises(ParseError) as info:
            protojson_shape(DirectorySnapshot(tmp_path), path, name)
        assert info.value.path == path and info.value.line == 2 and "\n" not in info.value.message


def test_roots_default_to_the_repository_root_without_buf_yaml(repo) -> None:
    assert buf_roots(repo) == ("",)
    shape = protojson_shape(repo, "api/shop.proto", "Line", roots=None)  # imports resolve from the root
    assert shape.prop("sku") is not None


def test_roots_from_buf_yaml(tmp_path: Path) -> None:
    (tmp_path / "proto/a").mkdir(parents=True)
    (tmp_path / "buf.yaml").write_text("version: v2\nmodules:\n  - path: proto\n", encoding="utf-8")
    (tmp_path / "proto/a/y.proto").write_text('syntax = "proto3";\npackage a;\nmessage Y { int64 n = 1; }\n',
                                              encoding="utf-8")
    (tmp_path / "proto/a/x.proto").write_text('syntax = "proto3";\npackage a;\nimport "a/y.proto";\n'
                                              'message X { Y y = 1; }\n', encoding="utf-8")
    snap = DirectorySnapshot(tmp_path)
    assert buf_roots(snap) == ("proto",)
    shape = protojson_shape(snap, "proto/a/x.proto", "a.X", roots=None)
    assert accepts(shape, {"y": {"n": "5"}}) is True and accepts(shape, {"y": {"n": 5}}) is False


# -- through the engine ---------------------------------------------------------------------------
def test_engine_reports_a_renamed_field(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for root, name in ((old, "total_amount"), (new, "total_cents")):
        root.mkdir()
        (root / "o.proto").write_text(f'syntax = "proto3";\npackage o;\nmessage Order {{\n  string id = 1;\n'
                                      f'  int64 {name} = 2;\n}}\n', encoding="utf-8")
    old_snap, new_snap = DirectorySnapshot(old), DirectorySnapshot(new)
    writer = protojson_shape(old_snap, "o.proto", "Order")
    reader = protojson_shape(new_snap, "o.proto", "Order", view="read")
    diffs = Engine(Direction.BACKWARD, Policy.STRICT).compare(writer, reader)
    assert diffs
    assert any("totalAmount" in d.issue.old.pointer or "totalAmount" in d.issue.new.pointer
               or "totalAmount" in d.issue.subject for d in diffs), diffs
    # The same message on both sides reads its own output.
    same = protojson_shape(old_snap, "o.proto", "Order", view="read")
    assert Engine(Direction.BACKWARD, Policy.STRICT).compare(writer, same) == ()


def test_base64_pattern_matches_runtime_output(pool) -> None:
    cls = message_factory.GetMessageClass(pool.FindMessageTypeByName("shop.v1.Order"))
    raw = bytes(range(256))
    assert json_format.MessageToDict(cls(blob=raw))["blob"] == base64.b64encode(raw).decode()


def test_engine_reports_a_field_no_longer_guaranteed(tmp_path: Path) -> None:
    """A proto2 ``required`` field made ``optional``: a reader that requires it (the old read
    view) is no longer guaranteed it by the new writer; the finding names the writer's field."""
    snaps = {}
    for label in ("required", "optional"):
        root = tmp_path / label
        root.mkdir()
        (root / "i.proto").write_text(f'syntax = "proto2";\npackage p;\nmessage Item {{\n  {label} string name = 1;\n'
                                      f'  optional int32 count = 2;\n}}\n', encoding="utf-8")
        snaps[label] = DirectorySnapshot(root)
    reader = protojson_shape(snaps["required"], "i.proto", "Item", view="read")
    writer = protojson_shape(snaps["optional"], "i.proto", "Item")
    diffs = Engine(Direction.BACKWARD, Policy.STRICT).compare(writer, reader)
    assert len(diffs) == 1 and diffs[0].issue.subject.endswith("/properties/name"), diffs
    where = diffs[0].issue.old.origin.location()  # BACKWARD: old = the writer
    assert (where.path, where.line, where.column) == ("i.proto", 4, 3)
    # Still required on both sides: nothing to report.
    same = protojson_shape(snaps["required"], "i.proto", "Item")
    assert Engine(Direction.BACKWARD, Policy.STRICT).compare(same, reader) == ()
