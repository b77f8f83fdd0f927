//! `strings.py` of the Python compiler: protoc's literal conventions (string unescaping,
//! absl `CEscape`, `SimpleDtoa`'s `%.15g`/`%.17g`, integer token values).

/// The value of an integer token (decimal, `0x` hex, leading-zero octal), or `None` when it
/// does not fit in a u128 (Python's exact value is then beyond every protobuf range).
pub fn parse_int(text: &str) -> Option<u128> {
    let b = text.as_bytes();
    let (digits, radix) = if b.len() > 2 && (b[1] == b'x' || b[1] == b'X') && b[0] == b'0' {
        (&text[2..], 16)
    } else if b.len() > 1 && b[0] == b'0' {
        (text, 8)
    } else {
        (text, 10)
    };
    u128::from_str_radix(digits, radix).ok()
}

pub enum Unescape {
    Ok(Vec<u8>),
    Bad,
}

fn hex(c: u8) -> Option<u32> {
    (c as char).to_digit(16)
}

/// Python's `str.encode("utf-8", "surrogatepass")` of one code point.
fn push_code(out: &mut Vec<u8>, code: u32) {
    if code < 0x80 {
        out.push(code as u8);
    } else if code < 0x800 {
        out.push(0xC0 | (code >> 6) as u8);
        out.push(0x80 | (code & 0x3F) as u8);
    } else if code < 0x10000 {
        out.push(0xE0 | (code >> 12) as u8);
        out.push(0x80 | ((code >> 6) & 0x3F) as u8);
        out.push(0x80 | (code & 0x3F) as u8);
    } else {
        out.push(0xF0 | (code >> 18) as u8);
        out.push(0x80 | ((code >> 12) & 0x3F) as u8);
        out.push(0x80 | ((code >> 6) & 0x3F) as u8);
        out.push(0x80 | (code & 0x3F) as u8);
    }
}

/// The bytes a quoted string token stands for (`strings.unescape`); `Bad` where Python
/// raises `EscapeError`.
pub fn unescape(token: &[u8]) -> Unescape {
    let body = &token[1..token.len() - 1];
    if !body.contains(&b'\\') {
        return Unescape::Ok(body.to_vec());
    }
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    let n = body.len();
    while i < n {
        let c = body[i];
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        if i + 1 >= n {
            // a lone backslash at the end cannot match the escape pattern: kept as is
            out.push(c);
            i += 1;
            continue;
        }
        let e = body[i + 1];
        i += 2;
        match e {
            b'0'..=b'7' => {
                let mut v: u32 = (e - b'0') as u32;
                let mut k = 0;
                while k < 2 && i < n && (b'0'..=b'7').contains(&body[i]) {
                    v = v * 8 + (body[i] - b'0') as u32;
                    i += 1;
                    k += 1;
                }
                out.push((v & 0xFF) as u8);
            }
            b'x' | b'X' if i < n && hex(body[i]).is_some() => {
                let mut v = hex(body[i]).unwrap();
                i += 1;
                if i < n {
                    if let Some(h) = hex(body[i]) {
                        v = v * 16 + h;
                        i += 1;
                    }
                }
                out.push(v as u8);
            }
            b'u' | b'U' => {
                let len = if e == b'u' { 4 } else { 8 };
                if i + len > n || !body[i..i + len].iter().all(|&c| hex(c).is_some()) {
                    return Unescape::Bad;
                }
                let mut v: u64 = 0;
                for &c in &body[i..i + len] {
                    v = v * 16 + hex(c).unwrap() as u64;
                }
                if v > 0x10FFFF {
                    return Unescape::Bad;
                }
                push_code(&mut out, v as u32);
                i += len;
            }
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'\\' | b'?' | b'\'' | b'"' => out.push(e),
            _ => return Unescape::Bad,
        }
    }
    Unescape::Ok(out)
}

/// absl::CEscape (`strings.c_escape`).
pub fn c_escape(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len());
    for &b in data {
        match b {
            0x0A => out.push_str("\\n"),
            0x0D => out.push_str("\\r"),
            0x09 => out.push_str("\\t"),
            0x22 => out.push_str("\\\""),
            0x27 => out.push_str("\\'"),
            0x5C => out.push_str("\\\\"),
            _ if b < 0x20 || b >= 0x7F => out.push_str(&format!("\\{:03o}", b)),
            _ => out.push(b as char),
        }
    }
    out
}

/// C's `printf("%.*g", digits, value)` for a finite value.
pub fn fmt_g(value: f64, digits: usize) -> String {
    if value == 0.0 {
        return if value.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let sci = format!("{:.*e}", digits - 1, value);
    let epos = sci.find('e').unwrap();
    let exp: i32 = sci[epos + 1..].parse().unwrap();
    if exp < -4 || exp >= digits as i32 {
        let mut mant = sci[..epos].to_string();
        if mant.contains('.') {
            while mant.ends_with('0') {
                mant.pop();
            }
            if mant.ends_with('.') {
                mant.pop();
            }
        }
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{}{:02}", mant, sign, exp.abs())
    } else {
        let prec = (digits as i32 - 1 - exp) as usize;
        let mut s = format!("{:.*}", prec, value);
        if s.contains('.') {
            while s.ends_with('0') {
                s.pop();
            }
            if s.ends_with('.') {
                s.pop();
            }
        }
        s
    }
}

/// protoc's SimpleDtoa (`strings.simple_dtoa`).
pub fn simple_dtoa(value: f64) -> String {
    if value.is_nan() {
        return "nan".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let text = fmt_g(value, 15);
    if text.parse::<f64>().ok() == Some(value) {
        text
    } else {
        fmt_g(value, 17)
    }
}

/// Python's `float(text)` of a float token or of `inf`/`nan`.
pub fn parse_float(text: &str) -> Option<f64> {
    text.parse::<f64>().ok()
}
