//! `comments.next_with_comments` of the Python compiler (protoc's `NextWithComments`
//! attachment rules replayed on the lexer's trivia), branch for branch in the same order.
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

pub enum Item {
    Newline,
    Line(String, i64),
    Block(String, i64),
}

struct Collector {
    buf: Option<String>,
    is_line: bool,
    can_attach: bool,
    has_trailing: bool,
    count: usize,
    trailing: String,
    detached: Vec<String>,
}

impl Collector {
    fn flush(&mut self) {
        if let Some(buf) = self.buf.take() {
            if self.can_attach {
                self.trailing.push_str(&buf);
                self.has_trailing = true;
                self.can_attach = false;
            } else {
                self.detached.push(buf);
            }
            self.count += 1;
        }
    }

    fn maybe_detach(&mut self) {
        let count = self.count + usize::from(self.buf.is_some());
        if count == 1 {
            if self.has_trailing {
                self.detached.insert(0, std::mem::take(&mut self.trailing));
            }
            self.can_attach = false;
            self.flush();
        }
    }
}

fn items(list: &Bound<'_, PyList>) -> PyResult<Vec<Item>> {
    let mut out = Vec::with_capacity(list.len());
    for item in list.iter() {
        let t = item.cast_into::<PyTuple>()?;
        let tag = t.get_item(0)?;
        let tag = tag.cast::<PyString>()?.to_str()?.to_owned();
        out.push(match tag.as_str() {
            "l" => Item::Line(t.get_item(1)?.extract()?, t.get_item(2)?.extract()?),
            "b" => Item::Block(t.get_item(1)?.extract()?, t.get_item(3)?.extract()?),
            _ => Item::Newline,
        });
    }
    Ok(out)
}

/// Split the comments between two tokens into (trailing, detached, leading).
#[pyfunction]
pub fn next_with_comments(
    list: &Bound<'_, PyList>,
    start: bool,
    prev_line: i64,
    next_line: i64,
    next_text: &str,
    next_is_end: bool,
) -> PyResult<(String, Vec<String>, String)> {
    let items = items(list)?;
    Ok(attach(&items, start, prev_line, next_line, matches!(next_text, "}" | "]" | ")"), next_is_end))
}

/// The rules themselves on converted trivia; `next_closes` is whether the next token is
/// `}`, `]` or `)`.
pub fn attach(items: &[Item], start: bool, prev_line: i64, next_line: i64, next_closes: bool,
              next_is_end: bool) -> (String, Vec<String>, String) {
    let n = items.len();
    if n == 0 {
        return (String::new(), Vec::new(), String::new());
    }
    let mut col = Collector {
        buf: None,
        is_line: false,
        can_attach: !start,
        has_trailing: false,
        count: 0,
        trailing: String::new(),
        detached: Vec::new(),
    };
    let mut i = 0;
    let mut trailing_end_line = -1;
    if !start {
        match &items[0] {
            Item::Line(text, line) => {
                trailing_end_line = *line;
                col.buf = Some(text.clone());
                col.is_line = true;
                col.flush();
                i = 1;
            }
            Item::Block(text, last) => {
                trailing_end_line = *last;
                col.buf = Some(text.clone());
                col.is_line = false;
                if n > 1 && matches!(items[1], Item::Newline) {
                    col.flush();
                    i = 2;
                } else {
                    i = 1;
                }
            }
            Item::Newline => i = 1,
        }
    }
    while i < n {
        let item = &items[i];
        i += 1;
        match item {
            Item::Line(text, _) => {
                if col.buf.is_some() && !col.is_line {
                    col.flush();
                }
                let mut joined = text.clone();
                while i < n {
                    if let Item::Line(more, _) = &items[i] {
                        joined.push_str(more);
                        i += 1;
                    } else {
                        break;
                    }
                }
                col.buf = Some(match col.buf.take() {
                    Some(mut b) => {
                        b.push_str(&joined);
                        b
                    }
                    None => joined,
                });
                col.is_line = true;
            }
            Item::Block(text, _) => {
                if col.buf.is_some() {
                    col.flush();
                }
                col.buf = Some(text.clone());
                col.is_line = false;
                if i < n && matches!(items[i], Item::Newline) {
                    i += 1;
                }
            }
            Item::Newline => {
                col.flush();
                col.can_attach = false;
            }
        }
    }
    if next_is_end || next_closes {
        col.flush();
    }
    if !start && !next_is_end && (prev_line == next_line || trailing_end_line == next_line) {
        col.maybe_detach();
    }
    let leading = col.buf.take().unwrap_or_default();
    (col.trailing, col.detached, leading)
}
