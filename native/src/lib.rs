//! schemacheck_native: pure per-file stages of schemacheck's protobuf compiler, in Rust.
//!
//! Each function returns exactly what its Python twin returns (`lexer.tokenize`,
//! `sourceinfo.source_code_info_bytes`, `comments.next_with_comments`), so everything
//! downstream is unchanged; where the Python twin would raise, the Rust one returns `None`
//! and Python redoes the work, so error messages are always the Python path's. See
//! docs/architecture.md, "Native extension".
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};
use std::collections::HashMap;

mod comments;
mod lexer;
mod sourceinfo;

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

#[pymodule]
fn schemacheck_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(tokenize, m)?)?;
    m.add_function(wrap_pyfunction!(sourceinfo::source_code_info_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(comments::next_with_comments, m)?)?;
    Ok(())
}
