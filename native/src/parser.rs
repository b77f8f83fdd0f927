//! The recursive-descent parser of `parser.py` and its `parse_*.py` mixins, statement for
//! statement: same descriptor fields, same locations in the same creation order (protoc's
//! `LocationRecorder`), same pending options and type references. It makes no error
//! messages: wherever Python raises it stops with `Stop::Error` and the caller runs the
//! Python parser, which reports the error; `Stop::Unsupported` marks input it does not
//! handle (the Python path runs too, counted apart).
use crate::comments::{attach, Item};
use crate::desc::{Enum, EnumValue, Field, File, Message, Method, Range, Service};
use crate::lexer::{Lexed, Trivia, END, FLOAT, IDENT, INT, STRING};
use crate::strings::{c_escape, parse_float, parse_int, simple_dtoa, unescape, Unescape};
use std::cell::Cell;
use std::collections::HashMap;

pub enum Stop {
    Error,
    Unsupported,
}
type R<T> = Result<T, Stop>;

const INT32_MAX: u128 = 2147483647;
const MAX_FIELD: i64 = 536870911;
const MAX_MESSAGE_DEPTH: i32 = 31;
const LABEL_OPTIONAL: i32 = 1;
const LABEL_REQUIRED: i32 = 2;
const LABEL_REPEATED: i32 = 3;
const TYPE_DOUBLE: i32 = 1;
const TYPE_FLOAT: i32 = 2;
const TYPE_BOOL: i32 = 8;
const TYPE_STRING: i32 = 9;
const TYPE_GROUP: i32 = 10;
const TYPE_BYTES: i32 = 12;

fn scalar(text: &str) -> Option<i32> {
    Some(match text {
        "double" => 1,
        "float" => 2,
        "int64" => 3,
        "uint64" => 4,
        "int32" => 5,
        "fixed64" => 6,
        "fixed32" => 7,
        "bool" => 8,
        "string" => 9,
        "group" => 10,
        "bytes" => 12,
        "uint32" => 13,
        "sfixed32" => 15,
        "sfixed64" => 16,
        "sint32" => 17,
        "sint64" => 18,
        _ => return None,
    })
}

fn signed_limit(t: i32) -> Option<u128> {
    match t {
        5 | 17 | 15 => Some(INT32_MAX),
        3 | 18 | 16 => Some((1u128 << 63) - 1),
        _ => None,
    }
}

fn unsigned_limit(t: i32) -> Option<u128> {
    match t {
        13 | 7 => Some((1u128 << 32) - 1),
        4 | 6 => Some((1u128 << 64) - 1),
        _ => None,
    }
}

pub struct Loc {
    pub path: Vec<i32>,
    pub span: Vec<i64>,
    pub leading: String,
    pub trailing: String,
    pub detached: Option<Vec<String>>,
}

pub enum OptValue {
    Ident(String),
    Int(i128), // "pos" when >= 0 and not negated, else "neg"
    Neg(i128),
    Double(f64),
    Str(Vec<u8>),
    Aggregate(String),
}

pub struct OptItem {
    pub name: Vec<(String, bool)>,
    pub value: OptValue,
    pub line: i64,
    pub col: i64,
    pub vline: i64,
    pub vcol: i64,
}

pub struct Pending {
    pub owner: Vec<i32>,
    pub options_type: &'static str,
    pub path: Vec<i32>,
    pub scope: usize,
    pub items: Vec<OptItem>,
}

pub struct Ref {
    pub attr: &'static str,
    pub scope: usize,
    pub line: i64,
    pub col: i64,
    pub path: Vec<i32>,
}

pub struct Parsed {
    pub file: File,
    pub syntax: &'static str,
    pub locs: Vec<Loc>,
    pub options: Vec<Pending>,
    pub refs: Vec<Ref>,
    pub import_pos: Vec<(i64, i64)>,
    pub scopes: Vec<Vec<String>>,
}

struct P<'a> {
    src: &'a str,
    tk: &'a Lexed,
    n: usize,
    overrun: Cell<bool>,
    i: usize,
    locs: Vec<Loc>,
    options: Vec<Pending>,
    pending_by_owner: HashMap<(Vec<i32>, Vec<i32>), usize>,
    refs: Vec<Ref>,
    import_pos: Vec<(i64, i64)>,
    option_import_pos: Vec<(i64, i64)>,
    doc: String,
    detached: Vec<String>,
    syntax: &'static str,
    package: Vec<String>,
    depth: i32,
    scopes: Vec<Vec<String>>,
    scope_ids: HashMap<Vec<String>, usize>,
}

fn plus(path: &[i32], more: &[i32]) -> Vec<i32> {
    let mut p = Vec::with_capacity(path.len() + more.len());
    p.extend_from_slice(path);
    p.extend_from_slice(more);
    p
}

fn with(scope: &[String], name: &str) -> Vec<String> {
    let mut s = scope.to_vec();
    s.push(name.to_string());
    s
}

impl<'a> P<'a> {
    // ---- tokens (an index past the END token is Python's IndexError: handed back) ----
    fn idx(&self, i: usize) -> usize {
        if i >= self.n {
            self.overrun.set(true);
            self.n - 1
        } else {
            i
        }
    }
    fn k(&self, i: usize) -> u8 {
        if i >= self.n {
            self.overrun.set(true);
            return END;
        }
        self.tk.kind[i]
    }
    fn t(&self, i: usize) -> &'a str {
        if i >= self.n {
            self.overrun.set(true);
            return "";
        }
        let (s, e) = self.tk.span[i];
        &self.src[s..e]
    }
    fn line(&self, i: usize) -> i64 {
        self.tk.line[self.idx(i)]
    }
    fn col(&self, i: usize) -> i64 {
        self.tk.col[self.idx(i)]
    }
    fn at(&self, text: &str) -> bool {
        self.t(self.i) == text
    }
    fn try_consume(&mut self, text: &str) -> bool {
        if self.t(self.i) == text {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn consume(&mut self, text: &str) -> R<()> {
        if self.try_consume(text) {
            Ok(())
        } else {
            Err(Stop::Error)
        }
    }
    fn ident(&mut self) -> R<&'a str> {
        if self.k(self.i) != IDENT {
            return Err(Stop::Error);
        }
        self.i += 1;
        Ok(self.t(self.i - 1))
    }
    fn integer(&mut self, limit: u128) -> R<u128> {
        if self.k(self.i) != INT {
            return Err(Stop::Error);
        }
        let v = parse_int(self.t(self.i)).ok_or(Stop::Error)?;
        if v > limit {
            return Err(Stop::Error);
        }
        self.i += 1;
        Ok(v)
    }
    fn signed(&mut self) -> R<i64> {
        let neg = self.try_consume("-");
        let v = self.integer(if neg { INT32_MAX + 1 } else { INT32_MAX })? as i64;
        Ok(if neg { -v } else { v })
    }
    fn string(&mut self) -> R<Vec<u8>> {
        if self.k(self.i) != STRING {
            return Err(Stop::Error);
        }
        let mut out = Vec::new();
        while self.k(self.i) == STRING {
            match unescape(self.t(self.i).as_bytes()) {
                Unescape::Ok(b) => out.extend_from_slice(&b),
                Unescape::Bad => return Err(Stop::Error),
            }
            self.i += 1;
        }
        Ok(out)
    }
    fn text_string(&mut self) -> R<String> {
        let raw = self.string()?;
        String::from_utf8(raw).map_err(|_| Stop::Error)
    }
    fn scope_id(&mut self, scope: &[String]) -> usize {
        if let Some(&id) = self.scope_ids.get(scope) {
            return id;
        }
        let id = self.scopes.len();
        self.scopes.push(scope.to_vec());
        self.scope_ids.insert(scope.to_vec(), id);
        id
    }

    // ---- locations and comments ----
    fn loc(&mut self, path: Vec<i32>) -> usize {
        let i = self.i;
        let span = vec![self.line(i), self.col(i)];
        self.locs.push(Loc { path, span, leading: String::new(), trailing: String::new(), detached: None });
        self.locs.len() - 1
    }
    fn path(&self, l: usize) -> Vec<i32> {
        self.locs[l].path.clone()
    }
    fn end(&mut self, l: usize) {
        self.end_at(l, None)
    }
    fn end_at(&mut self, l: usize, tok: Option<usize>) {
        if self.locs[l].span.len() > 2 {
            return;
        }
        let j = match tok {
            Some(t) => t as i64,
            None => self.i as i64 - 1,
        };
        let (line, end) = if j < 0 {
            (0, 0)
        } else {
            let j = self.idx(j as usize);
            (self.tk.line[j], self.tk.end[j])
        };
        let span = &mut self.locs[l].span;
        if line != span[0] {
            span.push(line);
        }
        span.push(end);
    }
    fn start_at(&mut self, l: usize, tok: usize) {
        let (line, col) = (self.line(tok), self.col(tok));
        self.locs[l].span[0] = line;
        self.locs[l].span[1] = col;
    }
    fn trivia(&self, lo: usize, hi: usize) -> Vec<Item> {
        let data = self.src.as_bytes();
        self.tk.trivia[lo..hi]
            .iter()
            .map(|t| match t {
                Trivia::Newline => Item::Newline,
                Trivia::Line(s, e, l) => Item::Line(String::from_utf8_lossy(&data[*s..*e]).into_owned(), *l),
                Trivia::Block(raw, _, last) => Item::Block(String::from_utf8_lossy(raw).into_owned(), *last),
            })
            .collect()
    }
    fn next_closes(&self, i: usize) -> bool {
        matches!(self.t(i), "}" | "]" | ")") && true
    }
    fn comments(&self) -> (String, Vec<String>, String) {
        let i = self.i;
        let pre = &self.tk.pre;
        let lo = if i > 0 { pre[self.idx(i - 1)] } else { 0 } as usize;
        let items = self.trivia(lo, pre[self.idx(i)] as usize);
        let prev_line = if i > 0 { self.line(i - 1) } else { 0 };
        attach(&items, false, prev_line, self.line(i), self.next_closes(i), self.k(i) == END)
    }
    fn end_decl(&mut self, text: &str, loc: Option<usize>) -> R<()> {
        if self.try_end_decl(text, loc) {
            Ok(())
        } else {
            Err(Stop::Error)
        }
    }
    fn try_end_decl(&mut self, text: &str, loc: Option<usize>) -> bool {
        let i = self.i;
        if self.t(i) != text {
            return false;
        }
        self.i = i + 1;
        let pre = &self.tk.pre;
        let (trailing, detached, leading) = if pre[self.idx(i)] == pre[self.idx(i + 1)] {
            (String::new(), Vec::new(), String::new())
        } else {
            self.comments()
        };
        let leading = std::mem::replace(&mut self.doc, leading);
        if let Some(l) = loc {
            let detached = std::mem::replace(&mut self.detached, detached);
            let loc = &mut self.locs[l];
            loc.leading = leading;
            loc.trailing = trailing;
            loc.detached = if detached.is_empty() { None } else { Some(detached) };
        } else if text == "}" {
            self.detached = detached;
        } else {
            self.detached.extend(detached);
        }
        true
    }

    // ---- file level ----
    fn parse(&mut self, fd: &mut File) -> R<()> {
        let first = self.trivia(0, self.tk.pre[0] as usize);
        let (_, detached, doc) = attach(&first, true, 0, self.line(0), self.next_closes(0), self.k(0) == END);
        self.detached = detached;
        self.doc = doc;
        let root = self.loc(vec![]);
        if self.at("syntax") || self.at("edition") {
            self.parse_syntax(fd)?;
        }
        while self.k(self.i) != END {
            self.top_level(fd)?;
        }
        self.end(root);
        Ok(())
    }

    fn parse_syntax(&mut self, fd: &mut File) -> R<()> {
        let loc = self.loc(vec![12]);
        let edition = self.at("edition");
        self.i += 1;
        self.consume("=")?;
        let value = self.text_string()?;
        self.end_decl(";", Some(loc))?;
        self.end(loc);
        if edition {
            let ed = match value.as_str() {
                "2023" => 1000,
                "2024" => 1001,
                _ => return Err(Stop::Error),
            };
            self.syntax = "editions";
            fd.syntax = Some("editions".into());
            fd.edition = Some(ed);
        } else {
            match value.as_str() {
                "proto2" => self.syntax = "proto2",
                "proto3" => {
                    self.syntax = "proto3";
                    fd.syntax = Some("proto3".into());
                }
                _ => return Err(Stop::Error),
            }
        }
        Ok(())
    }

    fn visibility(&mut self) -> Option<i32> {
        let text = self.t(self.i);
        if (text == "export" || text == "local")
            && self.k(self.i + 1) == IDENT
            && matches!(self.t(self.i + 1), "message" | "enum")
        {
            self.i += 1;
            Some(if text == "export" { 2 } else { 1 })
        } else {
            None
        }
    }

    fn top_level(&mut self, fd: &mut File) -> R<()> {
        if self.try_end_decl(";", None) {
            return Ok(());
        }
        let vis = self.visibility();
        let text = self.t(self.i);
        let package = self.package.clone();
        match text {
            "message" => {
                let loc = self.loc(vec![4, fd.message_type.len() as i32]);
                fd.message_type.push(Message::default());
                let msg = fd.message_type.last_mut().unwrap();
                self.message(msg, loc, &package)?;
                if vis.is_some() {
                    msg.visibility = vis;
                }
                self.end(loc);
            }
            "enum" => {
                let loc = self.loc(vec![5, fd.enum_type.len() as i32]);
                fd.enum_type.push(Enum::default());
                let en = fd.enum_type.last_mut().unwrap();
                self.enum_(en, loc, &package)?;
                if vis.is_some() {
                    en.visibility = vis;
                }
                self.end(loc);
            }
            "service" => {
                let loc = self.loc(vec![6, fd.service.len() as i32]);
                fd.service.push(Service::default());
                self.service(fd.service.last_mut().unwrap(), loc)?;
                self.end(loc);
            }
            "extend" => {
                let loc = self.loc(vec![7]);
                self.extend(&mut fd.extension, &mut fd.message_type, &[], 4, loc, &package)?;
                self.end(loc);
            }
            "import" => self.parse_import(fd)?,
            "package" => self.parse_package(fd)?,
            "option" => {
                let loc = self.loc(vec![8]);
                self.option(vec![], "FileOptions", loc, &package, true)?;
                self.end(loc);
            }
            _ => return Err(Stop::Error),
        }
        Ok(())
    }

    fn parse_import(&mut self, fd: &mut File) -> R<()> {
        let start = self.i;
        self.i += 1;
        let option = self.at("option") && self.k(self.i + 1) == STRING;
        self.i = start;
        let loc = if option {
            self.loc(vec![15, fd.option_dependency.len() as i32])
        } else {
            self.loc(vec![3, fd.dependency.len() as i32])
        };
        self.consume("import")?;
        if option {
            self.consume("option")?;
        } else if self.at("public") {
            let sub = self.loc(vec![10, fd.public_dependency.len() as i32]);
            self.i += 1;
            self.end(sub);
            fd.public_dependency.push(fd.dependency.len() as i32);
        } else if self.at("weak") {
            let sub = self.loc(vec![11, fd.weak_dependency.len() as i32]);
            self.i += 1;
            self.end(sub);
            fd.weak_dependency.push(fd.dependency.len() as i32);
        }
        let name = self.text_string()?;
        let pos = (self.line(start) + 1, self.col(start) + 1);
        if option {
            fd.option_dependency.push(name);
            self.option_import_pos.push(pos);
        } else {
            fd.dependency.push(name);
            self.import_pos.push(pos);
        }
        self.end_decl(";", Some(loc))?;
        self.end(loc);
        Ok(())
    }

    fn parse_package(&mut self, fd: &mut File) -> R<()> {
        if fd.package.is_some() {
            return Err(Stop::Error);
        }
        let loc = self.loc(vec![2]);
        self.consume("package")?;
        let mut parts = vec![self.ident()?.to_string()];
        while self.try_consume(".") {
            parts.push(self.ident()?.to_string());
        }
        fd.package = Some(parts.join("."));
        self.package = parts;
        self.end_decl(";", Some(loc))?;
        self.end(loc);
        Ok(())
    }

    // ---- messages ----
    fn message(&mut self, msg: &mut Message, loc: usize, scope: &[String]) -> R<()> {
        self.check_depth()?;
        self.consume("message")?;
        let name_loc = self.loc(plus(&self.locs[loc].path, &[1]));
        let name = self.ident()?.to_string();
        msg.name = Some(name.clone());
        self.end(name_loc);
        self.message_block(msg, loc, &with(scope, &name))?;
        if self.syntax == "proto3" {
            synthetic_oneofs(msg);
        }
        Ok(())
    }

    fn check_depth(&self) -> R<()> {
        if self.depth >= MAX_MESSAGE_DEPTH {
            Err(Stop::Error)
        } else {
            Ok(())
        }
    }

    fn message_block(&mut self, msg: &mut Message, loc: usize, scope: &[String]) -> R<()> {
        self.end_decl("{", Some(loc))?;
        self.depth += 1;
        while !self.try_end_decl("}", None) {
            if self.k(self.i) == END {
                return Err(Stop::Error);
            }
            self.message_statement(msg, loc, scope)?;
        }
        self.depth -= 1;
        let owner = self.path(loc);
        let wire_format = self.options.iter().any(|p| {
            p.owner == owner
                && p.options_type == "MessageOptions"
                && p.items.iter().any(|o| {
                    o.name.len() == 1
                        && o.name[0].0 == "message_set_wire_format"
                        && matches!(&o.value, OptValue::Ident(v) if v == "true")
                })
        });
        let limit = if wire_format { INT32_MAX as i32 } else { (MAX_FIELD + 1) as i32 };
        for r in msg.extension_range.iter_mut().chain(msg.reserved_range.iter_mut()) {
            if r.end == -1 {
                r.end = limit;
            }
        }
        Ok(())
    }

    fn message_statement(&mut self, msg: &mut Message, loc: usize, scope: &[String]) -> R<()> {
        let path = self.path(loc);
        if self.try_end_decl(";", None) {
            return Ok(());
        }
        let vis = self.visibility();
        match self.t(self.i) {
            "message" => {
                let sub = self.loc(plus(&path, &[3, msg.nested.len() as i32]));
                msg.nested.push(Message::default());
                let nested = msg.nested.last_mut().unwrap();
                self.message(nested, sub, scope)?;
                if vis.is_some() {
                    nested.visibility = vis;
                }
                self.end(sub);
            }
            "enum" => {
                let sub = self.loc(plus(&path, &[4, msg.enums.len() as i32]));
                msg.enums.push(Enum::default());
                let en = msg.enums.last_mut().unwrap();
                self.enum_(en, sub, scope)?;
                if vis.is_some() {
                    en.visibility = vis;
                }
                self.end(sub);
            }
            "extensions" => {
                let sub = self.loc(plus(&path, &[5]));
                self.extensions(msg, sub, scope)?;
                self.end(sub);
            }
            "reserved" => {
                let (ranges, names) = (&mut msg.reserved_range, &mut msg.reserved_name);
                self.reserved(ranges, names, &path, 9, 10, true)?;
            }
            "extend" => {
                let sub = self.loc(plus(&path, &[6]));
                self.extend(&mut msg.extension, &mut msg.nested, &path, 3, sub, scope)?;
                self.end(sub);
            }
            "option" => {
                let sub = self.loc(plus(&path, &[7]));
                self.option(path.clone(), "MessageOptions", sub, &scope[..scope.len() - 1], true)?;
                self.end(sub);
            }
            "oneof" => {
                let index = msg.oneof.len();
                let sub = self.loc(plus(&path, &[8, index as i32]));
                msg.oneof.push(String::new());
                self.oneof(msg, index, sub, loc, scope)?;
                self.end(sub);
            }
            _ => {
                if !self.fast_field(msg, &path, scope)? {
                    let sub = self.loc(plus(&path, &[2, msg.field.len() as i32]));
                    msg.field.push(Field::default());
                    let fld = msg.field.last_mut().unwrap();
                    self.field(fld, &mut msg.nested, &path, 3, sub, scope, scope)?;
                    self.end(sub);
                }
            }
        }
        Ok(())
    }

    fn extensions(&mut self, msg: &mut Message, loc: usize, scope: &[String]) -> R<()> {
        self.consume("extensions")?;
        let old = msg.extension_range.len();
        let lpath = self.path(loc);
        loop {
            let rloc = self.loc(plus(&lpath, &[msg.extension_range.len() as i32]));
            let rpath = self.path(rloc);
            let sloc = self.loc(plus(&rpath, &[1]));
            let start_tok = self.i;
            let start = self.integer(INT32_MAX)? as i64;
            self.end(sloc);
            let end;
            if self.try_consume("to") {
                let eloc = self.loc(plus(&rpath, &[2]));
                end = if self.try_consume("max") { -2 } else { self.integer(INT32_MAX)? as i64 };
                self.end(eloc);
            } else {
                let eloc = self.loc(plus(&rpath, &[2]));
                self.start_at(eloc, start_tok);
                self.end_at(eloc, Some(start_tok));
                end = start;
            }
            if end >= INT32_MAX as i64 {
                return Err(Stop::Error);
            }
            self.end(rloc);
            msg.extension_range.push(Range { start: start as i32, end: (end + 1) as i32, options: false });
            if !self.try_consume(",") {
                break;
            }
        }
        if self.at("[") {
            let saved = std::mem::take(&mut self.locs);
            let index = lpath.len();
            let iloc = self.loc(plus(&lpath, &[0]));
            let oloc = self.loc(plus(&self.path(iloc), &[3]));
            let owner = plus(&lpath, &[old as i32]);
            self.consume("[")?;
            loop {
                self.option(owner.clone(), "ExtensionRangeOptions", oloc, scope, false)?;
                if !self.try_consume(",") {
                    break;
                }
            }
            self.consume("]")?;
            self.end(oloc);
            self.end(iloc);
            let info = std::mem::replace(&mut self.locs, saved);
            let last = self.options.len() - 1;
            let mut ppath = self.options[last].path.clone();
            ppath[index] = old as i32;
            self.options[last].path = ppath.clone();
            let (otype, pscope) = (self.options[last].options_type, self.options[last].scope);
            for i in old + 1..msg.extension_range.len() {
                msg.extension_range[i].options = true;
                let mut p = ppath.clone();
                p[index] = i as i32;
                let items = self.options[last].items.iter().map(clone_item).collect();
                let mut own = owner.clone();
                *own.last_mut().unwrap() = i as i32;
                self.options.push(Pending { owner: own, options_type: otype, path: p, scope: pscope, items });
            }
            msg.extension_range[old].options = true;
            for i in old..msg.extension_range.len() {
                for item in &info {
                    if item.path.len() == index + 1 {
                        continue;
                    }
                    let mut p = item.path.clone();
                    p[index] = i as i32;
                    self.locs.push(Loc {
                        path: p,
                        span: item.span.clone(),
                        leading: item.leading.clone(),
                        trailing: item.trailing.clone(),
                        detached: item.detached.clone(),
                    });
                }
            }
        }
        self.end_decl(";", Some(loc))
    }

    fn reserved(&mut self, ranges: &mut Vec<Range>, names: &mut Vec<String>, path: &[i32], range_no: i32,
                name_no: i32, message: bool) -> R<()> {
        let start_tok = self.i;
        self.consume("reserved")?;
        let loc;
        let k = self.k(self.i);
        if k == STRING || k == IDENT {
            loc = self.loc(plus(path, &[name_no]));
            self.start_at(loc, start_tok);
            let lpath = self.path(loc);
            loop {
                let sub = self.loc(plus(&lpath, &[names.len() as i32]));
                if self.k(self.i) == IDENT {
                    if self.syntax != "editions" {
                        return Err(Stop::Error);
                    }
                    names.push(self.t(self.i).to_string());
                    self.i += 1;
                } else {
                    if self.syntax == "editions" {
                        return Err(Stop::Error);
                    }
                    let s = self.text_string()?;
                    names.push(s);
                }
                self.end(sub);
                if !self.try_consume(",") {
                    break;
                }
            }
        } else {
            loc = self.loc(plus(path, &[range_no]));
            self.start_at(loc, start_tok);
            let lpath = self.path(loc);
            loop {
                let rloc = self.loc(plus(&lpath, &[ranges.len() as i32]));
                let rpath = self.path(rloc);
                let sloc = self.loc(plus(&rpath, &[1]));
                let tok = self.i;
                let start = if message { self.integer(INT32_MAX)? as i64 } else { self.signed()? };
                self.end(sloc);
                let eloc;
                let end;
                if self.try_consume("to") {
                    eloc = self.loc(plus(&rpath, &[2]));
                    if self.try_consume("max") {
                        end = if message { -2 } else { INT32_MAX as i64 };
                    } else {
                        end = if message { self.integer(INT32_MAX)? as i64 } else { self.signed()? };
                    }
                } else {
                    eloc = self.loc(plus(&rpath, &[2]));
                    self.start_at(eloc, tok);
                    self.end_at(eloc, Some(tok));
                    end = start;
                }
                self.end(eloc);
                self.end(rloc);
                if message && end >= INT32_MAX as i64 {
                    return Err(Stop::Error);
                }
                ranges.push(Range {
                    start: start as i32,
                    end: if message { (end + 1) as i32 } else { end as i32 },
                    options: false,
                });
                if !self.try_consume(",") {
                    break;
                }
            }
        }
        self.end_decl(";", Some(loc))?;
        self.end(loc);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn extend(&mut self, extensions: &mut Vec<Field>, nested: &mut Vec<Message>, parent_path: &[i32],
              nested_no: i32, loc: usize, scope: &[String]) -> R<()> {
        self.consume("extend")?;
        let first_tok = self.i;
        let extendee = self.type_name()?;
        let last_tok = self.i - 1;
        self.end_decl("{", Some(loc))?;
        let lpath = self.path(loc);
        loop {
            if self.k(self.i) == END {
                return Err(Stop::Error);
            }
            let floc = self.loc(plus(&lpath, &[extensions.len() as i32]));
            let fpath = self.path(floc);
            extensions.push(Field::default());
            let fld = extensions.last_mut().unwrap();
            let eloc = self.loc(plus(&fpath, &[2]));
            self.start_at(eloc, first_tok);
            self.end_at(eloc, Some(last_tok));
            fld.extendee = Some(extendee.clone());
            let sid = self.scope_id(scope);
            self.refs.push(Ref {
                attr: "extendee",
                scope: sid,
                line: self.line(first_tok) + 1,
                col: self.col(first_tok) + 1,
                path: fpath,
            });
            self.field(fld, nested, parent_path, nested_no, floc, scope, scope)?;
            self.end(floc);
            if self.try_end_decl("}", None) {
                break;
            }
        }
        Ok(())
    }

    fn oneof(&mut self, msg: &mut Message, index: usize, loc: usize, msg_loc: usize, scope: &[String]) -> R<()> {
        self.consume("oneof")?;
        let lpath = self.path(loc);
        let nloc = self.loc(plus(&lpath, &[1]));
        msg.oneof[index] = self.ident()?.to_string();
        self.end(nloc);
        self.end_decl("{", Some(loc))?;
        let mpath = self.path(msg_loc);
        loop {
            if self.k(self.i) == END {
                return Err(Stop::Error);
            }
            if self.at("option") {
                let oloc = self.loc(plus(&lpath, &[2]));
                self.option(lpath.clone(), "OneofOptions", oloc, scope, true)?;
                self.end(oloc);
            } else if self.try_end_decl(";", None) {
            } else {
                if matches!(self.t(self.i), "required" | "optional" | "repeated") {
                    return Err(Stop::Error);
                }
                let floc = self.loc(plus(&mpath, &[2, msg.field.len() as i32]));
                msg.field.push(Field {
                    label: Some(LABEL_OPTIONAL),
                    oneof_index: Some(index as i32),
                    ..Field::default()
                });
                let fld = msg.field.last_mut().unwrap();
                self.field_no_label(fld, &mut msg.nested, &mpath, 3, floc, scope, scope)?;
                self.end(floc);
            }
            if self.try_end_decl("}", None) {
                break;
            }
        }
        Ok(())
    }

    // ---- fields ----
    fn fast_field(&mut self, msg: &mut Message, mpath: &[i32], scope: &[String]) -> R<bool> {
        let i = self.i;
        let mut j = i;
        let label = match self.t(i) {
            "optional" => Some(LABEL_OPTIONAL),
            "repeated" => Some(LABEL_REPEATED),
            "required" => Some(LABEL_REQUIRED),
            _ => None,
        };
        if let Some(l) = label {
            if self.syntax == "editions" && l != LABEL_REPEATED {
                return Ok(false);
            }
            j += 1;
        }
        let type_start = j;
        if self.k(j) != IDENT || matches!(self.t(j), "map" | "group") {
            return Ok(false);
        }
        j += 1;
        while self.t(j) == "." && self.k(j + 1) == IDENT {
            j += 2;
        }
        if self.k(j) != IDENT || self.t(j + 1) != "=" || self.k(j + 2) != INT || self.t(j + 3) != ";" {
            return Ok(false);
        }
        if label.is_none() && self.syntax == "proto2" {
            return Ok(false);
        }
        let number = match parse_int(self.t(j + 2)) {
            Some(v) if v <= INT32_MAX => v as i32,
            _ => return Ok(false),
        };
        let fpath = plus(mpath, &[2, msg.field.len() as i32]);
        let mut fld = Field { name: Some(self.t(j).to_string()), number: Some(number), ..Field::default() };
        let tk = self.tk;
        let floc = self.locs.len();
        self.locs.push(Loc {
            path: fpath.clone(),
            span: vec![tk.line[i], tk.col[i]],
            leading: String::new(),
            trailing: String::new(),
            detached: None,
        });
        let simple = |path: Vec<i32>, span: Vec<i64>| Loc {
            path,
            span,
            leading: String::new(),
            trailing: String::new(),
            detached: None,
        };
        if let Some(l) = label {
            self.locs.push(simple(plus(&fpath, &[4]), vec![tk.line[i], tk.col[i], tk.end[i]]));
            fld.label = Some(l);
            if l == LABEL_OPTIONAL && self.syntax == "proto3" {
                fld.proto3_optional = true;
            }
        } else {
            fld.label = Some(LABEL_OPTIONAL);
        }
        let typ = if type_start + 1 == j { scalar(self.t(type_start)) } else { None };
        let last = j - 1;
        let mut tspan = vec![tk.line[type_start], tk.col[type_start]];
        if tk.line[last] != tspan[0] {
            tspan.push(tk.line[last]);
        }
        tspan.push(tk.end[last]);
        if let Some(t) = typ {
            self.locs.push(simple(plus(&fpath, &[5]), tspan));
            fld.typ = Some(t);
        } else {
            self.locs.push(simple(plus(&fpath, &[6]), tspan));
            let mut name = String::new();
            for x in type_start..j {
                name.push_str(self.t(x));
            }
            fld.type_name = Some(name);
            let sid = self.scope_id(scope);
            self.refs.push(Ref {
                attr: "type_name",
                scope: sid,
                line: tk.line[type_start] + 1,
                col: tk.col[type_start] + 1,
                path: fpath.clone(),
            });
        }
        self.locs.push(simple(plus(&fpath, &[1]), vec![tk.line[j], tk.col[j], tk.end[j]]));
        self.locs.push(simple(plus(&fpath, &[3]), vec![tk.line[j + 2], tk.col[j + 2], tk.end[j + 2]]));
        msg.field.push(fld);
        self.i = j + 3;
        self.try_end_decl(";", Some(floc));
        self.end(floc);
        Ok(true)
    }

    #[allow(clippy::too_many_arguments)]
    fn field(&mut self, fld: &mut Field, nested: &mut Vec<Message>, parent_path: &[i32], nested_no: i32,
             loc: usize, scope: &[String], type_scope: &[String]) -> R<()> {
        let text = self.t(self.i);
        if matches!(text, "optional" | "repeated" | "required") && self.k(self.i) == IDENT {
            if self.syntax == "editions" && text != "repeated" {
                return Err(Stop::Error);
            }
            let sub = self.loc(plus(&self.locs[loc].path, &[4]));
            self.i += 1;
            self.end(sub);
            match text {
                "optional" => {
                    fld.label = Some(LABEL_OPTIONAL);
                    if self.syntax == "proto3" {
                        fld.proto3_optional = true;
                    }
                }
                "repeated" => fld.label = Some(LABEL_REPEATED),
                _ => fld.label = Some(LABEL_REQUIRED),
            }
        }
        self.field_no_label(fld, nested, parent_path, nested_no, loc, scope, type_scope)
    }

    #[allow(clippy::too_many_arguments)]
    fn field_no_label(&mut self, fld: &mut Field, nested: &mut Vec<Message>, parent_path: &[i32], nested_no: i32,
                      loc: usize, scope: &[String], type_scope: &[String]) -> R<()> {
        let path = self.path(loc);
        let tloc = self.loc(path.clone());
        let type_tok = self.i;
        let mut is_map = false;
        let mut typ = None;
        let mut key = (None, String::new(), 0usize);
        let mut value = (None, String::new(), 0usize);
        if self.at("map") && self.t(self.i + 1) == "<" {
            is_map = true;
            if fld.oneof_index.is_some() || fld.label.is_some() || fld.extendee.is_some() {
                return Err(Stop::Error);
            }
            fld.label = Some(LABEL_REPEATED);
            self.i += 2;
            key = self.parse_type()?;
            self.consume(",")?;
            value = self.parse_type()?;
            self.consume(">")?;
            self.locs[tloc].path = plus(&path, &[6]);
        } else {
            if fld.label.is_none() {
                if self.syntax == "proto2" {
                    return Err(Stop::Error);
                }
                fld.label = Some(LABEL_OPTIONAL);
            }
            let (t, name, _) = self.parse_type()?;
            typ = t;
            if let Some(t) = t {
                if t == TYPE_GROUP && self.syntax != "proto2" {
                    return Err(Stop::Error);
                }
                self.locs[tloc].path = plus(&path, &[5]);
                fld.typ = Some(t);
            } else {
                self.locs[tloc].path = plus(&path, &[6]);
                fld.type_name = Some(name);
                let sid = self.scope_id(type_scope);
                self.refs.push(Ref {
                    attr: "type_name",
                    scope: sid,
                    line: self.line(type_tok) + 1,
                    col: self.col(type_tok) + 1,
                    path: path.clone(),
                });
            }
        }
        self.end(tloc);
        let name_tok = self.i;
        let nloc = self.loc(plus(&path, &[1]));
        let name = self.ident()?.to_string();
        fld.name = Some(name.clone());
        self.end(nloc);
        if !self.try_consume("=") {
            return Err(Stop::Error);
        }
        let num_loc = self.loc(plus(&path, &[3]));
        fld.number = Some(self.integer(INT32_MAX)? as i32);
        self.end(num_loc);
        if self.at("[") {
            self.field_options(fld, loc, scope)?;
        }
        if typ == Some(TYPE_GROUP) {
            let gloc = self.loc(parent_path.to_vec());
            let (l0, l1) = (self.locs[loc].span[0], self.locs[loc].span[1]);
            self.locs[gloc].span[0] = l0;
            self.locs[gloc].span[1] = l1;
            let gpath = plus(parent_path, &[nested_no, nested.len() as i32]);
            self.locs[gloc].path = gpath.clone();
            let mut group = Message { name: Some(name.clone()), ..Message::default() };
            let sub = self.loc(plus(&gpath, &[1]));
            self.start_at(sub, name_tok);
            self.end_at(sub, Some(name_tok));
            let sub = self.loc(plus(&path, &[6]));
            self.start_at(sub, name_tok);
            self.end_at(sub, Some(name_tok));
            if !name.as_bytes()[0].is_ascii_uppercase() {
                return Err(Stop::Error);
            }
            if name.chars().any(|c| !c.is_ascii()) {
                return Err(Stop::Unsupported); // str.lower() of non-ASCII letters
            }
            fld.name = Some(name.to_lowercase());
            fld.type_name = Some(name.clone());
            let sid = self.scope_id(type_scope);
            self.refs.push(Ref {
                attr: "type_name",
                scope: sid,
                line: self.line(name_tok) + 1,
                col: self.col(name_tok) + 1,
                path: path.clone(),
            });
            if !self.at("{") {
                return Err(Stop::Error);
            }
            if self.depth >= MAX_MESSAGE_DEPTH {
                return Err(Stop::Error);
            }
            let inner = if fld.extendee.is_some() { with(scope, &name) } else { with(type_scope, &name) };
            // Python adds the group to `nested` first; nothing in its body reads `nested`, so
            // pushing it afterwards gives the same index.
            self.message_block(&mut group, gloc, &inner)?;
            nested.push(group);
            self.end(gloc);
        } else if !self.try_end_decl(";", Some(loc)) {
            return Err(Stop::Error);
        }
        if is_map {
            self.map_entry(fld, nested, key, value, type_scope, &path, &plus(parent_path, &[nested_no]));
        }
        Ok(())
    }

    fn parse_type(&mut self) -> R<(Option<i32>, String, usize)> {
        let tok = self.i;
        let typ = if self.k(self.i) == IDENT { scalar(self.t(self.i)) } else { None };
        if typ.is_some() {
            self.i += 1;
            return Ok((typ, String::new(), tok));
        }
        Ok((None, self.type_name()?, tok))
    }

    fn type_name(&mut self) -> R<String> {
        if self.k(self.i) == IDENT && scalar(self.t(self.i)).is_some() {
            return Err(Stop::Error);
        }
        let mut out = String::new();
        if self.try_consume(".") {
            out.push('.');
        }
        out.push_str(self.ident()?);
        while self.try_consume(".") {
            out.push('.');
            out.push_str(self.ident()?);
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn map_entry(&mut self, fld: &mut Field, nested: &mut Vec<Message>, key: (Option<i32>, String, usize),
                 value: (Option<i32>, String, usize), type_scope: &[String], path: &[i32], entry_parent: &[i32]) {
        let fname = fld.name.clone().unwrap_or_default();
        let mut name = String::new();
        for part in fname.split('_') {
            let mut chars = part.chars();
            if let Some(c) = chars.next() {
                name.extend(c.to_uppercase());
                name.push_str(chars.as_str());
            }
        }
        name.push_str("Entry");
        let entry_path = plus(entry_parent, &[nested.len() as i32]);
        let mut entry = Message { name: Some(name.clone()), map_entry: true, ..Message::default() };
        fld.type_name = Some(name);
        let sid = self.scope_id(type_scope);
        self.refs.push(Ref { attr: "type_name", scope: sid, line: 0, col: 0, path: path.to_vec() });
        for (number, fname, (typ, tname, tok)) in [(1, "key", key), (2, "value", value)] {
            let mut sub = Field {
                name: Some(fname.into()),
                number: Some(number),
                label: Some(LABEL_OPTIONAL),
                ..Field::default()
            };
            if typ.is_some() {
                sub.typ = typ;
            } else {
                sub.type_name = Some(tname);
                self.refs.push(Ref {
                    attr: "type_name",
                    scope: sid,
                    line: self.line(tok) + 1,
                    col: self.col(tok) + 1,
                    path: plus(&entry_path, &[2, number - 1]),
                });
            }
            entry.field.push(sub);
        }
        nested.push(entry);
        let written = self.pending_by_owner.get(&(path.to_vec(), plus(path, &[8]))).copied();
        if let Some(w) = written {
            let features: Vec<OptItem> = self.options[w]
                .items
                .iter()
                .filter(|it| it.name[0].0 == "features" && !it.name[0].1)
                .map(clone_item)
                .collect();
            if !features.is_empty() {
                let pscope = self.options[w].scope;
                for index in 0..2 {
                    let own = plus(&entry_path, &[2, index]);
                    self.options.push(Pending {
                        owner: own.clone(),
                        options_type: "FieldOptions",
                        path: plus(&own, &[8]),
                        scope: pscope,
                        items: features.iter().map(clone_item).collect(),
                    });
                }
            }
        }
    }

    fn field_options(&mut self, fld: &mut Field, loc: usize, scope: &[String]) -> R<()> {
        let lpath = self.path(loc);
        let oloc = self.loc(plus(&lpath, &[8]));
        self.consume("[")?;
        loop {
            if self.at("default") && self.t(self.i + 1) == "=" {
                self.default(fld, &lpath)?;
            } else if self.at("json_name") && self.t(self.i + 1) == "=" {
                if fld.json_name.is_some() {
                    return Err(Stop::Error);
                }
                let jloc = self.loc(plus(&lpath, &[10]));
                self.i += 2;
                let vloc = self.loc(plus(&lpath, &[10]));
                fld.json_name = Some(self.text_string()?);
                self.end(vloc);
                self.end(jloc);
            } else {
                self.option(lpath.clone(), "FieldOptions", oloc, scope, false)?;
            }
            if !self.try_consume(",") {
                break;
            }
        }
        self.consume("]")?;
        self.end(oloc);
        Ok(())
    }

    fn default(&mut self, fld: &mut Field, lpath: &[i32]) -> R<()> {
        if fld.default_value.is_some() {
            return Err(Stop::Error);
        }
        self.i += 2;
        let dloc = self.loc(plus(lpath, &[7]));
        match fld.typ {
            None => {
                if self.k(self.i) == END {
                    return Err(Stop::Unsupported); // Python steps past the end (IndexError)
                }
                fld.default_value = Some(self.t(self.i).to_string());
                self.i += 1;
            }
            Some(typ) => {
                if let Some(limit) = signed_limit(typ) {
                    let neg = self.try_consume("-");
                    let v = self.integer(limit + neg as u128)?;
                    fld.default_value = Some(format!("{}{}", if neg { "-" } else { "" }, v));
                } else if let Some(limit) = unsigned_limit(typ) {
                    if self.at("-") {
                        return Err(Stop::Error);
                    }
                    fld.default_value = Some(self.integer(limit)?.to_string());
                } else if typ == TYPE_FLOAT || typ == TYPE_DOUBLE {
                    let neg = self.try_consume("-");
                    let (kind, text) = (self.k(self.i), self.t(self.i));
                    let value = if kind == FLOAT {
                        parse_float(text).ok_or(Stop::Unsupported)?
                    } else if kind == INT {
                        match parse_int(text) {
                            Some(v) if v < (1u128 << 100) => v as f64,
                            _ => return Err(Stop::Unsupported),
                        }
                    } else if kind == IDENT && (text == "inf" || text == "nan") {
                        if text == "inf" { f64::INFINITY } else { f64::NAN }
                    } else {
                        return Err(Stop::Error);
                    };
                    self.i += 1;
                    fld.default_value = Some(simple_dtoa(if neg { -value } else { value }));
                } else if typ == TYPE_BOOL {
                    if !matches!(self.t(self.i), "true" | "false") || self.k(self.i) != IDENT {
                        return Err(Stop::Error);
                    }
                    fld.default_value = Some(self.t(self.i).to_string());
                    self.i += 1;
                } else if typ == TYPE_STRING {
                    fld.default_value = Some(self.text_string()?);
                } else if typ == TYPE_BYTES {
                    let raw = self.string()?;
                    fld.default_value = Some(c_escape(&raw));
                } else {
                    return Err(Stop::Error);
                }
            }
        }
        self.end(dloc);
        Ok(())
    }

    // ---- options ----
    fn pending(&mut self, owner: Vec<i32>, options_type: &'static str, path: Vec<i32>, scope: &[String]) -> usize {
        let key = (owner, path);
        if let Some(&p) = self.pending_by_owner.get(&key) {
            return p;
        }
        let sid = self.scope_id(scope);
        self.options.push(Pending { owner: key.0.clone(), options_type, path: key.1.clone(), scope: sid, items: vec![] });
        let p = self.options.len() - 1;
        self.pending_by_owner.insert(key, p);
        p
    }

    /// `scope` is what Python's `scope[:-1]` gives (the callers' trimmed scope).
    fn option(&mut self, owner: Vec<i32>, options_type: &'static str, oloc: usize, scope: &[String],
              statement: bool) -> R<()> {
        let opath = self.path(oloc);
        let pending = self.pending(owner, options_type, opath.clone(), scope);
        let loc = self.loc(plus(&opath, &[999, self.options[pending].items.len() as i32]));
        let lpath = self.path(loc);
        if statement {
            self.consume("option")?;
        }
        let start = self.i;
        let name_loc = self.loc(plus(&lpath, &[2]));
        let npath = self.path(name_loc);
        let mut parts: Vec<(String, bool)> = Vec::new();
        loop {
            let part_loc = self.loc(plus(&npath, &[parts.len() as i32]));
            let ppath = self.path(part_loc);
            if self.try_consume("(") {
                let inner = self.loc(plus(&ppath, &[1]));
                let mut piece = String::new();
                if self.k(self.i) == IDENT {
                    piece.push_str(self.ident()?);
                }
                while self.try_consume(".") {
                    piece.push('.');
                    piece.push_str(self.ident()?);
                }
                self.end(inner);
                self.consume(")")?;
                parts.push((piece, true));
            } else {
                let inner = self.loc(plus(&ppath, &[1]));
                parts.push((self.ident()?.to_string(), false));
                self.end(inner);
            }
            self.end(part_loc);
            if !self.try_consume(".") {
                break;
            }
        }
        self.end(name_loc);
        self.consume("=")?;
        let vloc = self.loc(lpath.clone());
        let neg = self.try_consume("-");
        let kind = self.k(self.i);
        let text = self.t(self.i);
        let value = if kind == END {
            return Err(Stop::Error);
        } else if kind == IDENT {
            self.i += 1;
            if neg {
                match text {
                    "nan" => OptValue::Double(f64::NAN),
                    "inf" => OptValue::Double(f64::NEG_INFINITY),
                    _ => return Err(Stop::Error),
                }
            } else {
                OptValue::Ident(text.to_string())
            }
        } else if kind == INT {
            let v = self.integer(if neg { 1u128 << 63 } else { (1u128 << 64) - 1 })? as i128;
            if neg { OptValue::Neg(-v) } else { OptValue::Int(v) }
        } else if kind == FLOAT {
            let v = parse_float(text).ok_or(Stop::Unsupported)?;
            self.i += 1;
            OptValue::Double(if neg { -v } else { v })
        } else if kind == STRING {
            if neg {
                return Err(Stop::Error);
            }
            OptValue::Str(self.string()?)
        } else if text == "{" {
            OptValue::Aggregate(self.aggregate()?)
        } else {
            return Err(Stop::Error);
        };
        self.end(vloc);
        let (vline, vcol) = (self.locs[vloc].span[0], self.locs[vloc].span[1]);
        let item = OptItem { name: parts, value, line: self.line(start), col: self.col(start), vline, vcol };
        self.options[pending].items.push(item);
        if statement {
            self.end_decl(";", Some(loc))?;
        }
        self.end(loc);
        Ok(())
    }

    fn aggregate(&mut self) -> R<String> {
        self.consume("{")?;
        let mut depth = 1;
        let mut out: Vec<String> = Vec::new();
        while self.k(self.i) != END {
            let text = self.t(self.i);
            let is_str = self.k(self.i) == STRING;
            if text == "{" && !is_str {
                depth += 1;
            } else if text == "}" && !is_str {
                depth -= 1;
                if depth == 0 {
                    self.i += 1;
                    return Ok(out.join(" "));
                }
            }
            let merge = match out.last() {
                Some(last) => last == "-" && self.k(self.i - 1) != STRING,
                None => false,
            };
            if merge {
                *out.last_mut().unwrap() = format!("-{}", text);
            } else {
                out.push(text.to_string());
            }
            self.i += 1;
        }
        Err(Stop::Error)
    }

    // ---- enums and services ----
    fn enum_(&mut self, en: &mut Enum, loc: usize, scope: &[String]) -> R<()> {
        self.consume("enum")?;
        let lpath = self.path(loc);
        let nloc = self.loc(plus(&lpath, &[1]));
        let name = self.ident()?.to_string();
        en.name = Some(name);
        self.end(nloc);
        self.end_decl("{", Some(loc))?;
        while !self.try_end_decl("}", None) {
            if self.k(self.i) == END {
                return Err(Stop::Error);
            }
            if self.try_end_decl(";", None) {
                continue;
            }
            if self.at("option") {
                let oloc = self.loc(plus(&lpath, &[3]));
                self.option(lpath.clone(), "EnumOptions", oloc, scope, true)?;
                self.end(oloc);
            } else if self.at("reserved") {
                let (ranges, names) = (&mut en.reserved_range, &mut en.reserved_name);
                self.reserved(ranges, names, &lpath, 4, 5, false)?;
            } else {
                let vloc = self.loc(plus(&lpath, &[2, en.value.len() as i32]));
                en.value.push(EnumValue::default());
                let v = en.value.last_mut().unwrap();
                self.enum_value(v, vloc, scope)?;
                self.end(vloc);
            }
        }
        Ok(())
    }

    fn enum_value(&mut self, value: &mut EnumValue, loc: usize, scope: &[String]) -> R<()> {
        let lpath = self.path(loc);
        let nloc = self.loc(plus(&lpath, &[1]));
        value.name = Some(self.ident()?.to_string());
        self.end(nloc);
        if !self.try_consume("=") {
            return Err(Stop::Error);
        }
        let num = self.loc(plus(&lpath, &[2]));
        value.number = Some(self.signed()? as i32);
        self.end(num);
        if self.at("[") {
            let oloc = self.loc(plus(&lpath, &[3]));
            self.consume("[")?;
            loop {
                self.option(lpath.clone(), "EnumValueOptions", oloc, scope, false)?;
                if !self.try_consume(",") {
                    break;
                }
            }
            self.consume("]")?;
            self.end(oloc);
        }
        self.end_decl(";", Some(loc))
    }

    fn service(&mut self, svc: &mut Service, loc: usize) -> R<()> {
        self.consume("service")?;
        let lpath = self.path(loc);
        let nloc = self.loc(plus(&lpath, &[1]));
        let name = self.ident()?.to_string();
        svc.name = Some(name.clone());
        self.end(nloc);
        let scope = with(&self.package, &name);
        self.end_decl("{", Some(loc))?;
        while !self.try_end_decl("}", None) {
            if self.k(self.i) == END {
                return Err(Stop::Error);
            }
            if self.try_end_decl(";", None) {
                continue;
            }
            if self.at("option") {
                let oloc = self.loc(plus(&lpath, &[3]));
                let package = self.package.clone();
                self.option(lpath.clone(), "ServiceOptions", oloc, &package, true)?;
                self.end(oloc);
            } else {
                let mloc = self.loc(plus(&lpath, &[2, svc.method.len() as i32]));
                svc.method.push(Method::default());
                self.method(svc.method.last_mut().unwrap(), mloc, &scope)?;
                self.end(mloc);
            }
        }
        Ok(())
    }

    fn method(&mut self, method: &mut Method, loc: usize, scope: &[String]) -> R<()> {
        let path = self.path(loc);
        self.consume("rpc")?;
        let nloc = self.loc(plus(&path, &[1]));
        method.name = Some(self.ident()?.to_string());
        self.end(nloc);
        for (output, stream_no, type_no) in [(false, 5, 2), (true, 6, 3)] {
            if output {
                self.consume("returns")?;
            }
            self.consume("(")?;
            if self.at("stream") {
                let sloc = self.loc(plus(&path, &[stream_no]));
                self.i += 1;
                self.end(sloc);
                if output {
                    method.server_streaming = true;
                } else {
                    method.client_streaming = true;
                }
            }
            let tloc = self.loc(plus(&path, &[type_no]));
            let tok = self.i;
            let name = self.type_name()?;
            if output {
                method.output_type = Some(name);
            } else {
                method.input_type = Some(name);
            }
            let sid = self.scope_id(scope);
            self.refs.push(Ref {
                attr: if output { "output_type" } else { "input_type" },
                scope: sid,
                line: self.line(tok) + 1,
                col: self.col(tok) + 1,
                path: path.clone(),
            });
            self.end(tloc);
            self.consume(")")?;
        }
        if self.at("{") {
            method.options = true;
            self.end_decl("{", Some(loc))?;
            let inner = with(scope, method.name.as_deref().unwrap_or(""));
            let inner = &inner[..inner.len() - 1];
            while !self.try_end_decl("}", None) {
                if self.k(self.i) == END {
                    return Err(Stop::Error);
                }
                if self.try_end_decl(";", None) {
                    continue;
                }
                let oloc = self.loc(plus(&path, &[4]));
                self.option(path.clone(), "MethodOptions", oloc, inner, true)?;
                self.end(oloc);
            }
            Ok(())
        } else {
            self.end_decl(";", Some(loc))
        }
    }
}

fn clone_item(it: &OptItem) -> OptItem {
    OptItem {
        name: it.name.clone(),
        value: match &it.value {
            OptValue::Ident(s) => OptValue::Ident(s.clone()),
            OptValue::Int(v) => OptValue::Int(*v),
            OptValue::Neg(v) => OptValue::Neg(*v),
            OptValue::Double(v) => OptValue::Double(*v),
            OptValue::Str(b) => OptValue::Str(b.clone()),
            OptValue::Aggregate(s) => OptValue::Aggregate(s.clone()),
        },
        line: it.line,
        col: it.col,
        vline: it.vline,
        vcol: it.vcol,
    }
}

fn synthetic_oneofs(msg: &mut Message) {
    let mut names: std::collections::HashSet<String> = msg.oneof.iter().cloned().collect();
    for f in &msg.field {
        names.insert(f.name.clone().unwrap_or_default());
    }
    for k in 0..msg.field.len() {
        if msg.field[k].proto3_optional {
            let fname = msg.field[k].name.clone().unwrap_or_default();
            let mut name = if fname.starts_with('_') { fname } else { format!("_{}", fname) };
            while names.contains(&name) {
                name = format!("X{}", name);
            }
            names.insert(name.clone());
            msg.field[k].oneof_index = Some(msg.oneof.len() as i32);
            msg.oneof.push(name);
        }
    }
}

pub fn parse(src: &str, tk: &Lexed, name: &str) -> Result<Parsed, Stop> {
    let mut p = P {
        src,
        tk,
        n: tk.kind.len(),
        overrun: Cell::new(false),
        i: 0,
        locs: Vec::new(),
        options: Vec::new(),
        pending_by_owner: HashMap::new(),
        refs: Vec::new(),
        import_pos: Vec::new(),
        option_import_pos: Vec::new(),
        doc: String::new(),
        detached: Vec::new(),
        syntax: "proto2",
        package: Vec::new(),
        depth: 0,
        scopes: Vec::new(),
        scope_ids: HashMap::new(),
    };
    let mut file = File { name: name.to_string(), ..File::default() };
    let result = p.parse(&mut file);
    if p.overrun.get() {
        return Err(Stop::Unsupported);
    }
    result?;
    let mut import_pos = p.import_pos;
    import_pos.extend(p.option_import_pos);
    Ok(Parsed {
        file,
        syntax: p.syntax,
        locs: p.locs,
        options: p.options,
        refs: p.refs,
        import_pos,
        scopes: p.scopes,
    })
}
