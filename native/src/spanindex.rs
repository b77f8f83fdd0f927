//! `elements.ProtoFile._index` of the Python rules engine: a serialized `SourceCodeInfo` read
//! into `{path tuple: span tuple}`, the first location of a path winning. On a 4 MB file
//! (~100,000 locations) the Python loop over upb messages took ~0.25 s per revision; here the
//! bytes are decoded directly. Malformed input returns `None` (Python then builds the index).
use std::collections::HashMap;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn varint(&mut self) -> Option<u64> {
        let mut value: u64 = 0;
        let mut shift = 0;
        loop {
            let byte = *self.data.get(self.pos)?;
            self.pos += 1;
            if shift < 64 {
                value |= u64::from(byte & 0x7f) << shift;
            }
            if byte & 0x80 == 0 {
                return Some(value);
            }
            shift += 7;
            if shift >= 70 {
                return None;
            }
        }
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = usize::try_from(self.varint()?).ok()?;
        let end = self.pos.checked_add(len)?;
        let out = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    fn skip(&mut self, wire: u64) -> Option<()> {
        match wire {
            0 => self.varint().map(|_| ()),
            1 => self.advance(8),
            2 => self.bytes().map(|_| ()),
            5 => self.advance(4),
            _ => None,
        }
    }

    fn advance(&mut self, n: usize) -> Option<()> {
        let end = self.pos.checked_add(n)?;
        if end > self.data.len() {
            return None;
        }
        self.pos = end;
        Some(())
    }

    fn done(&self) -> bool {
        self.pos >= self.data.len()
    }
}

/// An int32 field (path or span element), packed or not, appended to `out`.
fn int32s(r: &mut Reader<'_>, wire: u64, out: &mut Vec<i32>) -> Option<()> {
    match wire {
        0 => out.push(r.varint()? as i64 as i32),
        2 => {
            let mut inner = Reader { data: r.bytes()?, pos: 0 };
            while !inner.done() {
                out.push(inner.varint()? as i64 as i32);
            }
        }
        _ => return None,
    }
    Some(())
}

fn location(data: &[u8], path: &mut Vec<i32>, span: &mut Vec<i32>) -> Option<()> {
    let mut r = Reader { data, pos: 0 };
    path.clear();
    span.clear();
    while !r.done() {
        let tag = r.varint()?;
        let (field, wire) = (tag >> 3, tag & 7);
        match field {
            1 => int32s(&mut r, wire, path)?,
            2 => int32s(&mut r, wire, span)?,
            _ => r.skip(wire)?,
        }
    }
    Some(())
}

/// `{tuple(path): tuple(span)}` of a serialized `SourceCodeInfo`, first location of a path
/// winning (what the Python loop over the reversed locations builds), or `None` if the bytes
/// do not parse.
#[pyfunction]
pub fn span_index<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Option<Bound<'py, PyDict>>> {
    let out = PyDict::new(py);
    let mut r = Reader { data, pos: 0 };
    let (mut path, mut span) = (Vec::with_capacity(8), Vec::with_capacity(4));
    while !r.done() {
        let Some(tag) = r.varint() else { return Ok(None) };
        let (field, wire) = (tag >> 3, tag & 7);
        if field == 1 && wire == 2 {
            let Some(bytes) = r.bytes() else { return Ok(None) };
            if location(bytes, &mut path, &mut span).is_none() {
                return Ok(None);
            }
            let key = PyTuple::new(py, &path)?;
            if !out.contains(&key)? {
                out.set_item(key, PyTuple::new(py, &span)?)?;
            }
        } else if r.skip(wire).is_none() {
            return Ok(None);
        }
    }
    Ok(Some(out))
}

/// The same index kept in Rust: `get(path)` converts only the spans asked for. A 4 MB file has
/// ~100,000 locations and a check places a handful of findings in it; building the whole
/// Python dict (`span_index`) cost ~40 ms per revision, this ~5 ms. Malformed bytes raise
/// `ValueError` (Python then builds the index itself).
#[pyclass(frozen, module = "schemacheck_native")]
pub struct SpanTable {
    spans: HashMap<Box<[i32]>, Box<[i32]>>,
}

#[pymethods]
impl SpanTable {
    #[new]
    fn new(data: &[u8]) -> PyResult<Self> {
        let mut spans: HashMap<Box<[i32]>, Box<[i32]>> = HashMap::new();
        let mut r = Reader { data, pos: 0 };
        let (mut path, mut span) = (Vec::with_capacity(8), Vec::with_capacity(4));
        let bad = || PyValueError::new_err("not a serialized SourceCodeInfo");
        while !r.done() {
            let tag = r.varint().ok_or_else(bad)?;
            let (field, wire) = (tag >> 3, tag & 7);
            if field == 1 && wire == 2 {
                let bytes = r.bytes().ok_or_else(bad)?;
                location(bytes, &mut path, &mut span).ok_or_else(bad)?;
                // the first location of a path wins, as in span_index
                spans.entry(path.clone().into_boxed_slice()).or_insert_with(|| span.clone().into_boxed_slice());
            } else {
                r.skip(wire).ok_or_else(bad)?;
            }
        }
        Ok(SpanTable { spans })
    }

    /// The span of `path` as a tuple, or `None`.
    fn get<'py>(&self, py: Python<'py>, path: Vec<i32>) -> PyResult<Option<Bound<'py, PyTuple>>> {
        match self.spans.get(path.as_slice()) {
            Some(span) => Ok(Some(PyTuple::new(py, span.iter())?)),
            None => Ok(None),
        }
    }

    fn __contains__(&self, path: Vec<i32>) -> bool {
        self.spans.contains_key(path.as_slice())
    }

    fn __len__(&self) -> usize {
        self.spans.len()
    }
}
