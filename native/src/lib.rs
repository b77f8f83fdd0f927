//! schemacheck_native: pure per-file stages of schemacheck's protobuf compiler, in Rust.
//!
//! Each function returns exactly what its Python twin returns (`lexer.tokenize`,
//! `sourceinfo.source_code_info_bytes`, `comments.next_with_comments`), so everything
//! downstream is unchanged; where the Python twin would raise, the Rust one returns `None`
//! and Python redoes the work, so error messages are always the Python path's. See
//! docs/architecture.md, "Native extension".
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple};
use std::collections::HashMap;

mod comments;
mod desc;
mod lexer;
mod parser;
mod sourceinfo;
mod spanindex;
mod strings;

/// Tokenize `data` like `lexer.tokenize`; returns the seven lists of `lexer.Tokens`
/// (kind, text, line, col, end, pre, trivia), or `None` when the Python lexer must run
/// (the input has an error or hits a limit). `kinds` are the Python kind constants
/// (ident, int, float, string, symbol, end), reused so the lists hold the same objects.
#[pyfunction]
fn tokenize<'py>(
    py: Python<'py>,
    data: &[u8],
    kinds: &Bound<'py, PyTuple>,
    max_tokens: i64,
    max_lines: i64,
) -> PyResult<Option<Bound<'py, PyTuple>>> {
    let lexed = match py.detach(|| lexer::lex(data, max_tokens, max_lines)) {
        Some(l) => l,
        None => return Ok(None),
    };
    let kind_objs: Vec<Bound<'py, PyAny>> = kinds.iter().collect();
    if kind_objs.len() != 6 {
        return Err(pyo3::exceptions::PyValueError::new_err("kinds must have 6 items"));
    }
    let mut interned: HashMap<&[u8], Bound<'py, PyString>> = HashMap::new();
    let mut texts: Vec<Bound<'py, PyAny>> = Vec::with_capacity(lexed.span.len());
    for (i, &(s, e)) in lexed.span.iter().enumerate() {
        let raw = &data[s..e];
        let k = lexed.kind[i];
        if k == lexer::IDENT || k == lexer::SYMBOL || k == lexer::END {
            // Identifiers and symbols repeat: one interned object each, like the parser's
            // own literals, so its comparisons hit the identity fast path.
            let obj = interned
                .entry(raw)
                .or_insert_with(|| PyString::intern(py, std::str::from_utf8(raw).unwrap_or("")));
            texts.push(obj.clone().into_any());
        } else {
            match std::str::from_utf8(raw) {
                Ok(t) => texts.push(PyString::new(py, t).into_any()),
                Err(_) => return Ok(None),
            }
        }
    }
    let kind = PyList::new(py, lexed.kind.iter().map(|&k| kind_objs[k as usize].clone()))?;
    let text = PyList::new(py, texts)?;
    let line = PyList::new(py, &lexed.line)?;
    let col = PyList::new(py, &lexed.col)?;
    let end = PyList::new(py, &lexed.end)?;
    let pre = PyList::new(py, &lexed.pre)?;
    let newline = PyTuple::new(py, ["n"])?;
    let mut trivia: Vec<Bound<'py, PyTuple>> = Vec::with_capacity(lexed.trivia.len());
    for t in &lexed.trivia {
        trivia.push(match t {
            lexer::Trivia::Newline => newline.clone(),
            lexer::Trivia::Line(s, e, l) => {
                let text = String::from_utf8_lossy(&data[*s..*e]);
                PyTuple::new(py, [PyString::new(py, "l").into_any(), PyString::new(py, &text).into_any(),
                                  l.into_pyobject(py)?.into_any()])?
            }
            lexer::Trivia::Block(raw, first, last) => {
                let text = String::from_utf8_lossy(raw);
                PyTuple::new(py, [PyString::new(py, "b").into_any(), PyString::new(py, &text).into_any(),
                                  first.into_pyobject(py)?.into_any(), last.into_pyobject(py)?.into_any()])?
            }
        });
    }
    let trivia = PyList::new(py, trivia)?;
    Ok(Some(PyTuple::new(py, [kind.into_any(), text.into_any(), line.into_any(), col.into_any(),
                               end.into_any(), pre.into_any(), trivia.into_any()])?))
}

fn path_tuple<'py>(py: Python<'py>, path: &[i32]) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, path)
}

/// Lex and parse a whole file like `parser.parse(lexer.tokenize(data))`; returns the compact
/// form `(descriptor bytes, syntax, locations, options, refs, import positions)` (see
/// `parser.parse_native`), or an int when Python must parse the file: 0 the lexer declined
/// (an input error or a limit), 1 a syntax error, 2 a construct this parser does not handle.
#[pyfunction]
fn parse<'py>(py: Python<'py>, data: &[u8], name: &str, max_tokens: i64, max_lines: i64)
    -> PyResult<Bound<'py, PyAny>> {
    let src = match std::str::from_utf8(data) {
        Ok(s) => s,
        Err(_) => return Ok(0i64.into_pyobject(py)?.into_any()),
    };
    let done = py.detach(|| {
        let lexed = lexer::lex(data, max_tokens, max_lines)?;
        Some(parser::parse(src, &lexed, name).map(|p| {
            let bytes = desc::encode(&p.file);
            (p, bytes)
        }))
    });
    let (p, fd) = match done {
        None => return Ok(0i64.into_pyobject(py)?.into_any()),
        Some(Err(parser::Stop::Error)) => return Ok(1i64.into_pyobject(py)?.into_any()),
        Some(Err(parser::Stop::Unsupported)) => return Ok(2i64.into_pyobject(py)?.into_any()),
        Some(Ok(x)) => x,
    };
    let locs = Bound::new(py, sourceinfo::Locations { locs: p.locs })?;
    let scopes: Vec<Bound<'py, PyTuple>> = p.scopes.iter().map(|s| PyTuple::new(py, s)).collect::<PyResult<_>>()?;
    let mut options = Vec::with_capacity(p.options.len());
    let kinds = ["ident", "pos", "neg", "double", "string", "aggregate"].map(|k| PyString::intern(py, k));
    for o in &p.options {
        let mut items = Vec::with_capacity(o.items.len());
        for it in &o.items {
            let name = PyList::new(py, it.name.iter().map(|(s, b)| (s.as_str(), *b)))?;
            let (kind, value): (usize, Bound<'py, PyAny>) = match &it.value {
                parser::OptValue::Ident(s) => (0, PyString::new(py, s).into_any()),
                parser::OptValue::Int(v) => (1, v.into_pyobject(py)?.into_any()),
                parser::OptValue::Neg(v) => (2, v.into_pyobject(py)?.into_any()),
                parser::OptValue::Double(v) => (3, v.into_pyobject(py)?.into_any()),
                parser::OptValue::Str(b) => (4, PyBytes::new(py, b).into_any()),
                parser::OptValue::Aggregate(s) => (5, PyString::new(py, s).into_any()),
            };
            items.push(PyTuple::new(py, [name.into_any(), kinds[kind].clone().into_any(), value,
                                         it.line.into_pyobject(py)?.into_any(), it.col.into_pyobject(py)?.into_any(),
                                         it.vline.into_pyobject(py)?.into_any(),
                                         it.vcol.into_pyobject(py)?.into_any()])?);
        }
        options.push(PyTuple::new(py, [PyString::intern(py, o.options_type).into_any(),
                                       path_tuple(py, &o.path)?.into_any(), scopes[o.scope].clone().into_any(),
                                       PyList::new(py, items)?.into_any()])?);
    }
    let mut refs = Vec::with_capacity(p.refs.len());
    for r in &p.refs {
        refs.push(PyTuple::new(py, [PyString::intern(py, r.attr).into_any(), scopes[r.scope].clone().into_any(),
                                    r.line.into_pyobject(py)?.into_any(), r.col.into_pyobject(py)?.into_any(),
                                    path_tuple(py, &r.path)?.into_any()])?);
    }
    let import_pos = PyList::new(py, p.import_pos.iter().map(|&(l, c)| (l, c)))?;
    Ok(PyTuple::new(py, [PyBytes::new(py, &fd).into_any(), PyString::intern(py, p.syntax).into_any(),
                         locs.into_any(), PyList::new(py, options)?.into_any(),
                         PyList::new(py, refs)?.into_any(), import_pos.into_any()])?.into_any())
}

/// Seconds spent lexing, parsing and encoding `files` in Rust alone (no Python objects made),
/// and how many parsed: where the time of `parse` goes (bench/native_paths.py prints it).
#[pyfunction]
fn parse_cost(py: Python<'_>, files: Vec<Vec<u8>>) -> (f64, usize) {
    py.detach(|| {
        let t = std::time::Instant::now();
        let mut ok = 0;
        for data in &files {
            if let (Ok(src), Some(lexed)) = (std::str::from_utf8(data), lexer::lex(data, i64::MAX, i64::MAX)) {
                if let Ok(p) = parser::parse(src, &lexed, "x.proto") {
                    ok += usize::from(!desc::encode(&p.file).is_empty());
                }
            }
        }
        (t.elapsed().as_secs_f64(), ok)
    })
}

#[pymodule]
fn schemacheck_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(tokenize, m)?)?;
    m.add_function(wrap_pyfunction!(parse, m)?)?;
    m.add_function(wrap_pyfunction!(parse_cost, m)?)?;
    m.add_class::<sourceinfo::Locations>()?;
    m.add_function(wrap_pyfunction!(sourceinfo::source_code_info_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(comments::next_with_comments, m)?)?;
    m.add_function(wrap_pyfunction!(spanindex::span_index, m)?)?;
    m.add_class::<spanindex::SpanTable>()?;
    Ok(())
}
