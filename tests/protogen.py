"""Random, always-valid .proto file sets and random changes to them, for hypothesis tests.

Maintainers: a tiny mutable model (files, messages with fields/oneofs/reserved, enums,
services) is drawn with hypothesis, copied, changed by a few random *mutations*, and both
versions are rendered to text. Every mutation keeps the set valid for protoc and buf (unique
names, numbers and JSON names; no dangling type references; proto2/proto3/editions label and
reserved-name syntax), or declines to apply. References stay within a file, so no imports.
Used by ``test_buf_fuzz.py``; add a mutation by writing one ``_m_*`` function and listing it
in ``MUTATIONS``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

__all__ = ["FileSet", "ProtoFile", "Message", "Field", "Enum", "Service", "Method",
           "file_sets", "mutate", "MUTATIONS", "render", "write_tree"]

SCALARS = ("int32", "int64", "uint32", "uint64", "sint32", "sint64", "bool", "fixed32", "sfixed32",
           "fixed64", "sfixed64", "string", "bytes", "double", "float")
FIELD_NAMES = ("id", "name", "note", "total", "amount", "currency", "status", "created", "customer", "email",
               "sku", "quantity", "price", "discount", "tags", "address", "phone", "comment", "total_amount",
               "line_count", "paid", "reference")
MESSAGE_NAMES = ("Order", "Payment", "Refund", "Customer", "Invoice", "Shipment", "LineItem", "Address", "Coupon")
ENUM_NAMES = ("OrderState", "PaymentMethod", "Priority", "Channel")
SERVICE_NAMES = ("OrderService", "PaymentService", "BillingService")
METHOD_NAMES = ("GetOrder", "ListOrders", "CreatePayment", "CancelOrder", "IssueRefund", "WatchOrders")
VALUE_WORDS = ("UNSPECIFIED", "PENDING", "ACTIVE", "DONE", "FAILED", "CARD", "CASH", "LOW", "HIGH", "WEB", "STORE")
ONEOF_NAMES = ("payment", "target", "choice")


@dataclass
class Field:
    name: str
    number: int
    type: str  # a scalar, or a message/enum name of the same file
    label: str = ""  # "", "optional", "required", "repeated"
    oneof: str = ""
    json_name: str = ""
    options: dict[str, str] = field(default_factory=dict)
    map_key: str = ""  # map<map_key, type> when set


@dataclass
class Message:
    name: str
    fields: list[Field] = field(default_factory=list)
    reserved_numbers: list[int] = field(default_factory=list)
    reserved_names: list[str] = field(default_factory=list)


@dataclass
class Enum:
    name: str
    values: list[tuple[str, int]] = field(default_factory=list)
    reserved_numbers: list[int] = field(default_factory=list)


@dataclass
class Method:
    name: str
    input: str
    output: str
    client_streaming: bool = False
    server_streaming: bool = False
    idempotency: str = ""


@dataclass
class Service:
    name: str
    methods: list[Method] = field(default_factory=list)


@dataclass
class ProtoFile:
    path: str
    syntax: str  # proto2, proto3, editions
    package: str
    messages: list[Message] = field(default_factory=list)
    enums: list[Enum] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)


@dataclass
class FileSet:
    files: list[ProtoFile]

    def names_in_use(self) -> set[str]:
        return {t.name for f in self.files for t in (*f.messages, *f.enums, *f.services)}


def _snake_upper(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


def _json(name: str) -> str:
    parts = name.split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def _is_enum(file: ProtoFile, type_name: str) -> bool:
    return any(e.name == type_name for e in file.enums)


# ---------------------------------------------------------------- generation


@st.composite
def _field(draw, file: ProtoFile, msg: Message, types: list[str]) -> Field | None:
    used_names = {f.name for f in msg.fields} | set(msg.reserved_names)
    free_names = [n for n in FIELD_NAMES if n not in used_names]
    used_numbers = {f.number for f in msg.fields} | set(msg.reserved_numbers)
    free_numbers = [n for n in range(1, 25) if n not in used_numbers]
    if not free_names or not free_numbers:
        return None
    fld = Field(draw(st.sampled_from(free_names)), draw(st.sampled_from(free_numbers)), draw(st.sampled_from(types)))
    if draw(st.integers(0, 9)) == 0 and fld.type in SCALARS and fld.type not in ("double", "float", "bytes"):
        fld.map_key, fld.label = "string", "repeated"
        return fld
    fld.label = draw(st.sampled_from(_labels(file)))
    return fld


def _labels(file: ProtoFile) -> tuple[str, ...]:
    return {"proto2": ("optional", "required", "repeated"), "proto3": ("", "optional", "repeated"),
            "editions": ("", "repeated")}[file.syntax]


@st.composite
def _file(draw, index: int, taken: set[str]) -> ProtoFile:
    syntax = draw(st.sampled_from(("proto2", "proto3", "editions")))
    package = draw(st.sampled_from(("shop.v1", "billing.v1", "shop.v1beta1")))
    file = ProtoFile(f"{package.replace('.', '/')}/file{index}.proto", syntax, package)
    free_enums = [n for n in ENUM_NAMES if n not in taken]
    for name in draw(st.lists(st.sampled_from(free_enums), max_size=2, unique=True)) if free_enums else ():
        taken.add(name)
        prefix = _snake_upper(name)
        words = draw(st.lists(st.sampled_from(VALUE_WORDS[1:]), min_size=1, max_size=4, unique=True))
        file.enums.append(Enum(name, [(f"{prefix}_UNSPECIFIED", 0)] + [(f"{prefix}_{w}", i + 1) for i, w in enumerate(words)]))
    msg_names = draw(st.lists(st.sampled_from([n for n in MESSAGE_NAMES if n not in taken]), min_size=1, max_size=3, unique=True))
    taken.update(msg_names)
    file.messages = [Message(n) for n in msg_names]
    types = list(SCALARS) + msg_names + [e.name for e in file.enums]
    for msg in file.messages:
        for _ in range(draw(st.integers(1, 5))):
            fld = draw(_field(file, msg, types))
            if fld is not None:
                msg.fields.append(fld)
        singles = [f for f in msg.fields if f.label != "repeated" and f.label != "required"]
        if len(singles) >= 2 and draw(st.booleans()):
            oneof = draw(st.sampled_from(ONEOF_NAMES))
            for f in singles[:2]:
                f.oneof, f.label = oneof, ""
    free_services = [n for n in SERVICE_NAMES if n not in taken]
    if free_services and draw(st.booleans()):
        name = draw(st.sampled_from(free_services))
        taken.add(name)
        methods = draw(st.lists(st.sampled_from(METHOD_NAMES), min_size=1, max_size=3, unique=True))
        file.services.append(Service(name, [Method(m, draw(st.sampled_from(msg_names)), draw(st.sampled_from(msg_names)),
                                                   draw(st.booleans()), draw(st.booleans())) for m in methods]))
    if draw(st.booleans()):
        file.options["go_package"] = f'"example.com/{package.replace(".", "/")}"'
    return file


@st.composite
def file_sets(draw) -> FileSet:
    """One to three valid files, every top-level name unique across the set."""
    taken: set[str] = set()
    count = draw(st.integers(1, 3))
    return FileSet([draw(_file(i, taken)) for i in range(count)])


# ---------------------------------------------------------------- mutations (each keeps the set valid)

Mutation = Callable[..., bool]


def _pick_message(draw, fs: FileSet) -> tuple[ProtoFile, Message] | None:
    pairs = [(f, m) for f in fs.files for m in f.messages]
    return draw(st.sampled_from(pairs)) if pairs else None


def _pick_field(draw, fs: FileSet, pred=lambda f: True) -> tuple[ProtoFile, Message, Field] | None:
    triples = [(f, m, x) for f in fs.files for m in f.messages for x in m.fields if pred(x)]
    return draw(st.sampled_from(triples)) if triples else None


def _m_add_field(draw, fs: FileSet) -> bool:
    picked = _pick_message(draw, fs)
    if picked is None:
        return False
    file, msg = picked
    fld = draw(_field(file, msg, list(SCALARS) + [e.name for e in file.enums]))
    if fld is None:
        return False
    msg.fields.append(fld)
    return True


def _m_delete_field(draw, fs: FileSet) -> bool:
    picked = _pick_field(draw, fs)
    if picked is None:
        return False
    _, msg, fld = picked
    msg.fields.remove(fld)
    reserve = draw(st.sampled_from(("none", "number", "name", "both")))
    if reserve in ("number", "both"):
        msg.reserved_numbers.append(fld.number)
    if reserve in ("name", "both"):
        msg.reserved_names.append(fld.name)
    return True


def _m_renumber_field(draw, fs: FileSet) -> bool:
    picked = _pick_field(draw, fs)
    if picked is None:
        return False
    _, msg, fld = picked
    used = {f.number for f in msg.fields} | set(msg.reserved_numbers)
    free = [n for n in range(1, 25) if n not in used]
    if not free:
        return False
    fld.number = draw(st.sampled_from(free))
    return True


def _m_rename_field(draw, fs: FileSet) -> bool:
    picked = _pick_field(draw, fs)
    if picked is None:
        return False
    _, msg, fld = picked
    used = {f.name for f in msg.fields} | set(msg.reserved_names)
    free = [n for n in FIELD_NAMES if n not in used]
    if not free:
        return False
    fld.name = draw(st.sampled_from(free))
    return True


def _m_change_type(draw, fs: FileSet) -> bool:
    picked = _pick_field(draw, fs, lambda f: not f.map_key)
    if picked is None:
        return False
    file, msg, fld = picked
    fld.type = draw(st.sampled_from(list(SCALARS) + [m.name for m in file.messages] + [e.name for e in file.enums]))
    for option in ("default", "jstype", "ctype"):
        fld.options.pop(option, None)
    return True


def _m_change_label(draw, fs: FileSet) -> bool:
    picked = _pick_field(draw, fs, lambda f: not f.oneof and not f.map_key)
    if picked is None:
        return False
    file, _, fld = picked
    fld.label = draw(st.sampled_from(_labels(file)))
    if fld.label == "repeated":
        fld.options.pop("default", None)
    return True


def _m_oneof(draw, fs: FileSet) -> bool:
    """Move a field into a (possibly new) oneof, or out of its oneof."""
    picked = _pick_field(draw, fs, lambda f: not f.map_key and f.label not in ("repeated", "required"))
    if picked is None:
        return False
    file, msg, fld = picked
    if fld.oneof:
        fld.oneof = ""
        fld.label = "optional" if file.syntax == "proto2" else ""
    else:
        fld.oneof, fld.label = draw(st.sampled_from(ONEOF_NAMES)), ""
        fld.options.pop("default", None)
    return True


def _m_edit_option(draw, fs: FileSet) -> bool:
    file = draw(st.sampled_from(fs.files))
    choice = draw(st.sampled_from(("go_package", "java_package", "java_multiple_files", "optimize_for",
                                   "deprecated", "json_name", "jstype", "default", "idempotency", "ctype")))
    if choice in ("go_package", "java_package"):
        file.options[choice] = draw(st.sampled_from(('"example.com/a"', '"com.example.shop"', '"example.com/b"')))
    elif choice == "java_multiple_files":
        file.options[choice] = draw(st.sampled_from(("true", "false")))
    elif choice == "optimize_for":
        file.options[choice] = draw(st.sampled_from(("SPEED", "CODE_SIZE", "LITE_RUNTIME")))
    elif choice == "idempotency":
        methods = [m for s in file.services for m in s.methods]
        if not methods:
            return False
        draw(st.sampled_from(methods)).idempotency = draw(st.sampled_from(("", "NO_SIDE_EFFECTS", "IDEMPOTENT")))
    else:
        fields = [(m, f) for m in file.messages for f in m.fields]
        if not fields:
            return False
        msg, fld = draw(st.sampled_from(fields))
        if choice == "deprecated":
            fld.options["deprecated"] = draw(st.sampled_from(("true", "false")))
        elif choice == "json_name":
            wanted = draw(st.sampled_from(("", "j" + _json(fld.name).capitalize(), "legacyId")))
            taken = {(f.json_name or _json(f.name)) for f in msg.fields if f is not fld}
            if wanted in taken or (not wanted and _json(fld.name) in taken):
                return False
            fld.json_name = wanted
        elif choice == "ctype":
            if fld.type not in ("string", "bytes"):
                return False
            fld.options["ctype"] = draw(st.sampled_from(("STRING", "CORD")))
        elif choice == "jstype":
            if fld.type not in ("int64", "uint64", "sint64", "fixed64", "sfixed64"):
                return False
            fld.options["jstype"] = draw(st.sampled_from(("JS_NORMAL", "JS_STRING")))
        else:  # default
            if file.syntax == "proto3" or fld.label == "repeated" or fld.oneof or fld.type not in ("int32", "int64", "uint32"):
                return False
            fld.options["default"] = str(draw(st.integers(0, 3)))
    return True


def _m_enum_value(draw, fs: FileSet) -> bool:
    """Rename, delete (maybe reserving), or add an enum value."""
    enums = [e for f in fs.files for e in f.enums]
    if not enums:
        return False
    enum = draw(st.sampled_from(enums))
    prefix = _snake_upper(enum.name)
    free_names = [f"{prefix}_{w}" for w in VALUE_WORDS if f"{prefix}_{w}" not in {n for n, _ in enum.values}]
    action = draw(st.sampled_from(("rename", "delete", "add")))
    if not free_names and action != "delete":
        return False
    if action == "add" or len(enum.values) < 2:
        if not free_names:
            return False
        used = {n for _, n in enum.values} | set(enum.reserved_numbers)
        number = min(n for n in range(1, 40) if n not in used)
        enum.values.append((draw(st.sampled_from(free_names)), number))
        return True
    index = draw(st.integers(1, len(enum.values) - 1))  # keep the zero value first
    name, number = enum.values[index]
    if action == "rename":
        enum.values[index] = (draw(st.sampled_from(free_names)), number)
    else:
        del enum.values[index]
        if draw(st.booleans()):
            enum.reserved_numbers.append(number)
    return True


def _references(fs: FileSet, name: str) -> bool:
    for file in fs.files:
        for msg in file.messages:
            if any(f.type == name for f in msg.fields):
                return True
        for svc in file.services:
            if any(name in (m.input, m.output) for m in svc.methods):
                return True
    return False


def _m_delete_type(draw, fs: FileSet) -> bool:
    """Delete an unreferenced message or enum, a method, a service, or a whole file."""
    kind = draw(st.sampled_from(("message", "enum", "rpc", "service", "file")))
    if kind == "file":
        if len(fs.files) < 2:
            return False
        fs.files.remove(draw(st.sampled_from(fs.files)))
        return True
    if kind == "rpc":
        services = [s for f in fs.files for s in f.services if s.methods]
        if not services:
            return False
        svc = draw(st.sampled_from(services))
        svc.methods.remove(draw(st.sampled_from(svc.methods)))
        return True
    owners = [(f, t) for f in fs.files for t in {"message": f.messages, "enum": f.enums, "service": f.services}[kind]]
    owners = [(f, t) for f, t in owners if kind == "service" or not _references(fs, t.name)]
    if kind == "message":
        owners = [(f, t) for f, t in owners if len(f.messages) > 1]
    if not owners:
        return False
    file, target = draw(st.sampled_from(owners))
    {"message": file.messages, "enum": file.enums, "service": file.services}[kind].remove(target)
    return True


def _m_streaming(draw, fs: FileSet) -> bool:
    methods = [(f, m) for f in fs.files for s in f.services for m in s.methods]
    if not methods:
        return False
    file, method = draw(st.sampled_from(methods))
    which = draw(st.sampled_from(("client", "server", "input", "output")))
    if which == "client":
        method.client_streaming = not method.client_streaming
    elif which == "server":
        method.server_streaming = not method.server_streaming
    else:
        setattr(method, which, draw(st.sampled_from([m.name for m in file.messages])))
    return True


def _m_change_package(draw, fs: FileSet) -> bool:
    """Move a file to another package (top-level names are unique across the set, so no clash)."""
    file = draw(st.sampled_from(fs.files))
    file.package = draw(st.sampled_from([p for p in ("shop.v1", "billing.v1", "shop.v1beta1", "shop.v2") if p != file.package]))
    return True


def _m_change_syntax(draw, fs: FileSet) -> bool:
    """Switch a file between proto2, proto3 and editions, fixing what the new syntax forbids."""
    file = draw(st.sampled_from(fs.files))
    file.syntax = draw(st.sampled_from([s for s in ("proto2", "proto3", "editions") if s != file.syntax]))
    for msg in file.messages:
        for fld in msg.fields:
            if file.syntax == "proto3":
                fld.options.pop("default", None)
                fld.label = "" if fld.label == "required" else fld.label
            elif file.syntax == "proto2" and not fld.label and not fld.oneof:
                fld.label = "optional"
    return True


def _m_drop_reserved(draw, fs: FileSet) -> bool:
    """Un-reserve a field number or name, or an enum number."""
    holders = [(m.reserved_numbers, "n") for f in fs.files for m in f.messages if m.reserved_numbers]
    holders += [(m.reserved_names, "s") for f in fs.files for m in f.messages if m.reserved_names]
    holders += [(e.reserved_numbers, "n") for f in fs.files for e in f.enums if e.reserved_numbers]
    if not holders:
        return False
    values, _ = draw(st.sampled_from(holders))
    values.remove(draw(st.sampled_from(values)))
    return True


MUTATIONS: tuple[Mutation, ...] = (_m_add_field, _m_delete_field, _m_renumber_field, _m_rename_field, _m_change_type,
                                   _m_change_label, _m_oneof, _m_edit_option, _m_enum_value, _m_delete_type,
                                   _m_streaming, _m_change_package, _m_change_syntax, _m_drop_reserved)


@st.composite
def mutate(draw, base: FileSet, max_changes: int = 5) -> tuple[FileSet, list[str]]:
    """A changed copy of ``base`` and the names of the mutations applied."""
    head = copy.deepcopy(base)
    applied: list[str] = []
    for _ in range(draw(st.integers(1, max_changes))):
        mutation = draw(st.sampled_from(MUTATIONS))
        if mutation(draw, head):
            applied.append(mutation.__name__[3:])
    return head, applied


# ---------------------------------------------------------------- rendering


def _render_field(file: ProtoFile, fld: Field, indent: str) -> str:
    label = fld.label
    if file.syntax == "editions" and label in ("optional", "required"):
        label = ""
    type_text = f"map<{fld.map_key}, {fld.type}>" if fld.map_key else fld.type
    if fld.map_key or fld.oneof:
        label = ""
    opts = dict(fld.options)
    if fld.json_name:
        opts["json_name"] = f'"{fld.json_name}"'
    if "default" in opts and _is_enum(file, fld.type):
        opts.pop("default")
    if "jstype" in opts and (fld.type not in ("int64", "uint64", "sint64", "fixed64", "sfixed64") or fld.map_key):
        opts.pop("jstype")
    if fld.label == "repeated" or fld.map_key or file.syntax == "proto3":
        opts.pop("default", None)
    if "ctype" in opts and (file.syntax == "editions" or fld.type not in ("string", "bytes") or fld.map_key):
        opts.pop("ctype")
    opt_text = " [" + ", ".join(f"{k} = {v}" for k, v in sorted(opts.items())) + "]" if opts else ""
    return f"{indent}{label + ' ' if label else ''}{type_text} {fld.name} = {fld.number}{opt_text};"


def _render_message(file: ProtoFile, msg: Message) -> list[str]:
    lines = [f"message {msg.name} {{"]
    oneofs: dict[str, list[Field]] = {}
    for fld in sorted(msg.fields, key=lambda f: f.number):
        if fld.oneof:
            oneofs.setdefault(fld.oneof, []).append(fld)
        else:
            lines.append(_render_field(file, fld, "  "))
    for name, members in oneofs.items():
        lines.append(f"  oneof {name} {{")
        lines.extend(_render_field(file, f, "    ") for f in members)
        lines.append("  }")
    if msg.reserved_numbers:
        lines.append(f"  reserved {', '.join(str(n) for n in sorted(set(msg.reserved_numbers)))};")
    if msg.reserved_names:
        names = sorted(set(msg.reserved_names))
        quoted = ", ".join(n if file.syntax == "editions" else f'"{n}"' for n in names)
        lines.append(f"  reserved {quoted};")
    lines.append("}")
    return lines


def render(file: ProtoFile) -> str:
    """The .proto text of one file."""
    head = 'edition = "2023";' if file.syntax == "editions" else f'syntax = "{file.syntax}";'
    lines = [head, "", f"package {file.package};", ""]
    lines += [f"option {k} = {v};" for k, v in sorted(file.options.items())]
    for enum in file.enums:
        lines.append(f"enum {enum.name} {{")
        lines += [f"  {name} = {number};" for name, number in enum.values]
        if enum.reserved_numbers:
            lines.append(f"  reserved {', '.join(str(n) for n in sorted(set(enum.reserved_numbers)))};")
        lines.append("}")
    for msg in file.messages:
        lines += _render_message(file, msg)
    for svc in file.services:
        lines.append(f"service {svc.name} {{")
        for m in svc.methods:
            cs, ss = ("stream " if m.client_streaming else ""), ("stream " if m.server_streaming else "")
            body = f" {{ option idempotency_level = {m.idempotency}; }}" if m.idempotency else ";"
            lines.append(f"  rpc {m.name}({cs}{m.input}) returns ({ss}{m.output}){body}")
        lines.append("}")
    return "\n".join(lines) + "\n"


def write_tree(root: Path, fs: FileSet) -> dict[str, str]:
    """Write every file of ``fs`` under ``root``; returns path -> text (for failure messages)."""
    texts = {}
    for file in fs.files:
        text = render(file)
        (root / file.path).parent.mkdir(parents=True, exist_ok=True)
        (root / file.path).write_text(text)
        texts[file.path] = text
    root.mkdir(parents=True, exist_ok=True)
    return texts
