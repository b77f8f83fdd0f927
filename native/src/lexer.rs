//! The tokenizer of `formats/protobuf/lexer.py`, byte for byte: same tokens, texts, 0-based
//! lines, tab-expanded byte columns and trivia. It never produces an error message: on any
//! input the Python lexer would reject (or a limit it would enforce), `lex` returns `None`
//! and the caller runs the Python lexer, so diagnostics are the Python path's by construction.

pub enum Trivia {
    Newline,
    Line(usize, usize, i64),
    Block(Vec<u8>, i64, i64),
}

pub const IDENT: u8 = 0;
pub const INT: u8 = 1;
pub const FLOAT: u8 = 2;
pub const STRING: u8 = 3;
pub const SYMBOL: u8 = 4;
pub const END: u8 = 5;

pub struct Lexed {
    pub kind: Vec<u8>,
    pub span: Vec<(usize, usize)>,
    pub line: Vec<i64>,
    pub col: Vec<i64>,
    pub end: Vec<i64>,
    pub pre: Vec<i64>,
    pub trivia: Vec<Trivia>,
}

fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | 0x0c | 0x0b)
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from > hay.len() {
        return None;
    }
    hay[from..].windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

/// Column of byte `pos` on the line starting at `line_start`: tabs advance to the next
/// multiple of 8, every other byte counts one (protoc's count).
struct Columns<'a> {
    data: &'a [u8],
    tabs: bool,
    at_start: usize,
    at_pos: usize,
    at_col: i64,
}

impl Columns<'_> {
    fn col(&mut self, line_start: usize, pos: usize) -> i64 {
        if !self.tabs {
            return (pos - line_start) as i64;
        }
        let (mut p, mut c) = if self.at_start == line_start && self.at_pos <= pos {
            (self.at_pos, self.at_col)
        } else {
            (line_start, 0)
        };
        while p < pos {
            c = if self.data[p] == b'\t' { c + 8 - c % 8 } else { c + 1 };
            p += 1;
        }
        self.at_start = line_start;
        self.at_pos = pos;
        self.at_col = c;
        c
    }
}

fn digits(data: &[u8], mut p: usize) -> usize {
    while p < data.len() && data[p].is_ascii_digit() {
        p += 1;
    }
    p
}

/// End of an optional exponent `[eE][+-]?[0-9]+` at `p` (or `p` itself when there is none).
fn exponent(data: &[u8], p: usize) -> usize {
    if p < data.len() && (data[p] == b'e' || data[p] == b'E') {
        let mut q = p + 1;
        if q < data.len() && (data[q] == b'+' || data[q] == b'-') {
            q += 1;
        }
        let r = digits(data, q);
        if r > q {
            return r;
        }
    }
    p
}

/// The float alternative of the master regex at `p`, if it matches: its end.
fn float_end(data: &[u8], p: usize) -> Option<usize> {
    let d = digits(data, p);
    if d > p {
        if d < data.len() && data[d] == b'.' {
            return Some(exponent(data, digits(data, d + 1)));
        }
        let e = exponent(data, d);
        return if e > d { Some(e) } else { None };
    }
    if data[p] == b'.' {
        let d = digits(data, p + 1);
        if d > p + 1 {
            return Some(exponent(data, d));
        }
    }
    None
}

/// The string alternative at `p` (a quote): its end, or `None` when it is unterminated.
fn string_end(data: &[u8], p: usize) -> Option<usize> {
    let quote = data[p];
    let mut q = p + 1;
    while q < data.len() {
        match data[q] {
            b'\n' => return None,
            b'\\' => {
                if q + 1 >= data.len() || data[q + 1] == b'\n' {
                    return None;
                }
                q += 2;
            }
            c if c == quote => return Some(q + 1),
            _ => q += 1,
        }
    }
    None
}

fn block_text(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    for (i, part) in raw.split(|&c| c == b'\n').enumerate() {
        if i == 0 {
            out.extend_from_slice(part);
            continue;
        }
        out.push(b'\n');
        let mut s = 0;
        while s < part.len() && is_blank(part[s]) {
            s += 1;
        }
        if s < part.len() && part[s] == b'*' {
            s += 1;
        }
        out.extend_from_slice(&part[s..]);
    }
    out
}

pub fn lex(data: &[u8], max_tokens: i64, max_lines: i64) -> Option<Lexed> {
    let n = data.len();
    let mut out = Lexed {
        kind: Vec::new(),
        span: Vec::new(),
        line: Vec::new(),
        col: Vec::new(),
        end: Vec::new(),
        pre: Vec::new(),
        trivia: Vec::new(),
    };
    let mut cols = Columns { data, tabs: data.contains(&b'\t'), at_start: usize::MAX, at_pos: 0, at_col: 0 };
    let mut line: i64 = 0;
    let mut line_start = 0usize;
    let mut pos = if data.starts_with(b"\xef\xbb\xbf") { 3 } else { 0 };
    let mut budget = max_tokens + 1;
    loop {
        let mut p = pos;
        while p < n && is_blank(data[p]) {
            p += 1;
        }
        if p >= n {
            break;
        }
        let start = p;
        let c = data[p];
        let next = if p + 1 < n { data[p + 1] } else { 0 };
        if c == b'\n' {
            out.trivia.push(Trivia::Newline);
            line += 1;
            pos = p + 1;
            line_start = pos;
            if line >= max_lines {
                return None;
            }
            continue;
        }
        if c == b'/' && next == b'/' {
            let end = match data[p + 2..].iter().position(|&b| b == b'\n') {
                Some(i) => p + 2 + i + 1,
                None => n,
            };
            out.trivia.push(Trivia::Line(p + 2, end, line));
            pos = end;
            if data[end - 1] == b'\n' {
                line += 1;
                line_start = end;
            }
            continue;
        }
        if c == b'/' && next == b'*' {
            let body = p + 2;
            let close = find(data, body, b"*/")?;
            let raw = &data[body..close];
            if find(raw, 0, b"/*").is_some() {
                return None;
            }
            let first_line = line;
            let newlines = raw.iter().filter(|&&b| b == b'\n').count() as i64;
            if newlines > 0 {
                line += newlines;
                line_start = body + raw.iter().rposition(|&b| b == b'\n').unwrap() + 1;
            }
            pos = close + 2;
            out.trivia.push(Trivia::Block(block_text(raw), first_line, line));
            budget -= 1;
            if budget <= 0 {
                return None;
            }
            continue;
        }
        let kind;
        if is_ident_start(c) {
            let mut q = p + 1;
            while q < n && is_ident_char(data[q]) {
                q += 1;
            }
            kind = IDENT;
            pos = q;
        } else if c.is_ascii_digit() || (c == b'.' && next.is_ascii_digit()) {
            if let Some(e) = float_end(data, p) {
                kind = FLOAT;
                pos = e;
            } else {
                kind = INT;
                pos = if c == b'0' && (next == b'x' || next == b'X') && p + 2 < n && data[p + 2].is_ascii_hexdigit() {
                    let mut q = p + 2;
                    while q < n && data[q].is_ascii_hexdigit() {
                        q += 1;
                    }
                    q
                } else {
                    digits(data, p)
                };
                let num = &data[p..pos];
                if num.len() > 1 && num[0] == b'0' && num[1] != b'x' && num[1] != b'X'
                    && num.iter().any(|&b| b == b'8' || b == b'9')
                {
                    return None;
                }
            }
            if pos < n {
                let nx = data[pos];
                if is_ident_char(nx) || nx == b'.' {
                    return None;
                }
            }
        } else if c == b'"' || c == b'\'' {
            pos = string_end(data, p)?;
            kind = STRING;
        } else {
            if c < 32 || c >= 127 {
                return None;
            }
            kind = SYMBOL;
            pos = p + 1;
        }
        let col = cols.col(line_start, start);
        budget -= 1;
        if budget <= 0 {
            return None;
        }
        let end = if kind == STRING { cols.col(line_start, pos) } else { col + (pos - start) as i64 };
        out.kind.push(kind);
        out.span.push((start, pos));
        out.line.push(line);
        out.col.push(col);
        out.end.push(end);
        out.pre.push(out.trivia.len() as i64);
    }
    let end_col = cols.col(line_start, n);
    out.kind.push(END);
    out.span.push((n, n));
    out.line.push(line);
    out.col.push(end_col);
    out.end.push(end_col);
    out.pre.push(out.trivia.len() as i64);
    Some(out)
}
