//! The unlinked descriptor the parser builds (only the fields `parser.py` ever sets, each
//! with its presence) and its protobuf wire encoding, read back in Python with
//! `FileDescriptorProto.FromString`.

#[derive(Default)]
pub struct Field {
    pub name: Option<String>,
    pub extendee: Option<String>,
    pub number: Option<i32>,
    pub label: Option<i32>,
    pub typ: Option<i32>,
    pub type_name: Option<String>,
    pub default_value: Option<String>,
    pub oneof_index: Option<i32>,
    pub json_name: Option<String>,
    pub proto3_optional: bool,
}

#[derive(Default)]
pub struct Range {
    pub start: i32,
    pub end: i32,
    pub options: bool, // an (empty) ExtensionRangeOptions is present
}

#[derive(Default)]
pub struct Message {
    pub name: Option<String>,
    pub field: Vec<Field>,
    pub extension: Vec<Field>,
    pub nested: Vec<Message>,
    pub enums: Vec<Enum>,
    pub extension_range: Vec<Range>,
    pub oneof: Vec<String>,
    pub map_entry: bool,
    pub reserved_range: Vec<Range>,
    pub reserved_name: Vec<String>,
    pub visibility: Option<i32>,
}

#[derive(Default)]
pub struct EnumValue {
    pub name: Option<String>,
    pub number: Option<i32>,
}

#[derive(Default)]
pub struct Enum {
    pub name: Option<String>,
    pub value: Vec<EnumValue>,
    pub reserved_range: Vec<Range>,
    pub reserved_name: Vec<String>,
    pub visibility: Option<i32>,
}

#[derive(Default)]
pub struct Method {
    pub name: Option<String>,
    pub input_type: Option<String>,
    pub output_type: Option<String>,
    pub options: bool,
    pub client_streaming: bool,
    pub server_streaming: bool,
}

#[derive(Default)]
pub struct Service {
    pub name: Option<String>,
    pub method: Vec<Method>,
}

#[derive(Default)]
pub struct File {
    pub name: String,
    pub package: Option<String>,
    pub dependency: Vec<String>,
    pub message_type: Vec<Message>,
    pub enum_type: Vec<Enum>,
    pub service: Vec<Service>,
    pub extension: Vec<Field>,
    pub public_dependency: Vec<i32>,
    pub weak_dependency: Vec<i32>,
    pub syntax: Option<String>,
    pub edition: Option<i32>,
    pub option_dependency: Vec<String>,
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn key(out: &mut Vec<u8>, field: u32, wire: u32) {
    varint(out, ((field << 3) | wire) as u64);
}

fn int(out: &mut Vec<u8>, field: u32, v: i32) {
    key(out, field, 0);
    varint(out, v as i64 as u64); // negative int32/enum values take ten bytes, as protobuf writes them
}

fn bytes(out: &mut Vec<u8>, field: u32, v: &[u8]) {
    key(out, field, 2);
    varint(out, v.len() as u64);
    out.extend_from_slice(v);
}

fn opt_str(out: &mut Vec<u8>, field: u32, v: &Option<String>) {
    if let Some(s) = v {
        bytes(out, field, s.as_bytes());
    }
}

fn opt_int(out: &mut Vec<u8>, field: u32, v: Option<i32>) {
    if let Some(n) = v {
        int(out, field, n);
    }
}

fn sub(out: &mut Vec<u8>, field: u32, body: Vec<u8>) {
    bytes(out, field, &body);
}

fn range(r: &Range) -> Vec<u8> {
    let mut o = Vec::new();
    int(&mut o, 1, r.start);
    int(&mut o, 2, r.end);
    if r.options {
        sub(&mut o, 3, Vec::new());
    }
    o
}

fn field(f: &Field) -> Vec<u8> {
    let mut o = Vec::new();
    opt_str(&mut o, 1, &f.name);
    opt_str(&mut o, 2, &f.extendee);
    opt_int(&mut o, 3, f.number);
    opt_int(&mut o, 4, f.label);
    opt_int(&mut o, 5, f.typ);
    opt_str(&mut o, 6, &f.type_name);
    opt_str(&mut o, 7, &f.default_value);
    opt_int(&mut o, 9, f.oneof_index);
    opt_str(&mut o, 10, &f.json_name);
    if f.proto3_optional {
        key(&mut o, 17, 0);
        o.push(1);
    }
    o
}

fn enum_(e: &Enum) -> Vec<u8> {
    let mut o = Vec::new();
    opt_str(&mut o, 1, &e.name);
    for v in &e.value {
        let mut b = Vec::new();
        opt_str(&mut b, 1, &v.name);
        opt_int(&mut b, 2, v.number);
        sub(&mut o, 2, b);
    }
    for r in &e.reserved_range {
        sub(&mut o, 4, range(r));
    }
    for n in &e.reserved_name {
        bytes(&mut o, 5, n.as_bytes());
    }
    opt_int(&mut o, 6, e.visibility);
    o
}

fn message(m: &Message) -> Vec<u8> {
    let mut o = Vec::new();
    opt_str(&mut o, 1, &m.name);
    for f in &m.field {
        sub(&mut o, 2, field(f));
    }
    for n in &m.nested {
        sub(&mut o, 3, message(n));
    }
    for e in &m.enums {
        sub(&mut o, 4, enum_(e));
    }
    for r in &m.extension_range {
        sub(&mut o, 5, range(r));
    }
    for f in &m.extension {
        sub(&mut o, 6, field(f));
    }
    if m.map_entry {
        sub(&mut o, 7, vec![7 << 3, 1]);
    }
    for name in &m.oneof {
        let mut b = Vec::new();
        bytes(&mut b, 1, name.as_bytes());
        sub(&mut o, 8, b);
    }
    for r in &m.reserved_range {
        sub(&mut o, 9, range(r));
    }
    for n in &m.reserved_name {
        bytes(&mut o, 10, n.as_bytes());
    }
    opt_int(&mut o, 11, m.visibility);
    o
}

fn service(s: &Service) -> Vec<u8> {
    let mut o = Vec::new();
    opt_str(&mut o, 1, &s.name);
    for m in &s.method {
        let mut b = Vec::new();
        opt_str(&mut b, 1, &m.name);
        opt_str(&mut b, 2, &m.input_type);
        opt_str(&mut b, 3, &m.output_type);
        if m.options {
            sub(&mut b, 4, Vec::new());
        }
        if m.client_streaming {
            key(&mut b, 5, 0);
            b.push(1);
        }
        if m.server_streaming {
            key(&mut b, 6, 0);
            b.push(1);
        }
        sub(&mut o, 2, b);
    }
    o
}

/// The serialized `FileDescriptorProto` (fields in number order, as protobuf writes them).
pub fn encode(f: &File) -> Vec<u8> {
    let mut o = Vec::new();
    bytes(&mut o, 1, f.name.as_bytes());
    opt_str(&mut o, 2, &f.package);
    for d in &f.dependency {
        bytes(&mut o, 3, d.as_bytes());
    }
    for m in &f.message_type {
        sub(&mut o, 4, message(m));
    }
    for e in &f.enum_type {
        sub(&mut o, 5, enum_(e));
    }
    for s in &f.service {
        sub(&mut o, 6, service(s));
    }
    for x in &f.extension {
        sub(&mut o, 7, field(x));
    }
    for &p in &f.public_dependency {
        int(&mut o, 10, p);
    }
    for &w in &f.weak_dependency {
        int(&mut o, 11, w);
    }
    opt_str(&mut o, 12, &f.syntax);
    opt_int(&mut o, 14, f.edition);
    for d in &f.option_dependency {
        bytes(&mut o, 15, d.as_bytes());
    }
    o
}
