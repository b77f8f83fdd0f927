//! `sourceinfo.source_code_info_bytes` of the Python compiler: the parser's location list
//! (after option statements are renamed and source-retention options dropped) encoded as a
//! serialized `SourceCodeInfo`, byte for byte the same.
use pyo3::prelude::*;
use crate::parser::Loc;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use std::collections::{HashMap, HashSet};

fn varint(out: &mut Vec<u8>, value: u64) {
    let mut v = value;
    loop {
        let bits = (v & 0x7f) as u8;
        v >>= 7;
        if v != 0 {
            out.push(bits | 0x80);
        } else {
            out.push(bits);
            return;
        }
    }
}

fn push_int(v: &mut Vec<u64>, item: &Bound<'_, PyAny>) -> PyResult<()> {
    let x: i64 = item.extract()?;
    if x < 0 {
        return Err(pyo3::exceptions::PyValueError::new_err("negative path or span element"));
    }
    v.push(x as u64);
    Ok(())
}

/// The ints of a path tuple or span list (indexed access: no iterator objects).
fn ints(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u64>> {
    let mut v = Vec::with_capacity(8);
    if let Ok(t) = obj.cast::<PyTuple>() {
        for item in t.iter() {
            push_int(&mut v, &item)?;
        }
    } else if let Ok(l) = obj.cast::<PyList>() {
        for item in l.iter() {
            push_int(&mut v, &item)?;
        }
    } else {
        for item in obj.try_iter()? {
            push_int(&mut v, &item?)?;
        }
    }
    Ok(v)
}

fn packed(out: &mut Vec<u8>, tag: u8, values: &[u64]) {
    let mut body = Vec::with_capacity(values.len() * 2);
    for &x in values {
        varint(&mut body, x);
    }
    out.push(tag);
    varint(out, body.len() as u64);
    out.extend_from_slice(&body);
}

fn string(out: &mut Vec<u8>, tag: u8, text: &str) {
    out.push(tag);
    varint(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

#[pyfunction]
pub fn source_code_info_bytes<'py>(
    py: Python<'py>,
    locs: &Bound<'py, PyList>,
    paths: &Bound<'py, PyDict>,
    stripped: &Bound<'py, PyList>,
) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
    let prefixes: HashSet<Vec<u64>> = stripped.iter().map(|p| ints(&p)).collect::<PyResult<_>>()?;
    let mut lengths: Vec<usize> = prefixes.iter().map(|p| p.len()).collect::<HashSet<_>>().into_iter().collect();
    lengths.sort_unstable();
    let mut out = Vec::with_capacity(locs.len() * 24);
    let mut matched: Option<Vec<u64>> = None;
    let mut body = Vec::with_capacity(256);
    for loc in locs.iter() {
        let loc = loc.cast_into::<PyList>()?;
        let path_obj = loc.get_item(0)?;
        let mut path = ints(&path_obj)?;
        if !paths.is_empty() {
            if let Some(m) = &matched {
                if path.len() >= m.len() && path[..m.len()] == m[..] {
                    continue;
                }
                matched = None;
            }
            if let Some(dest) = paths.get_item(&path_obj)? {
                matched = Some(path);
                path = ints(&dest)?;
            }
        }
        if !lengths.is_empty()
            && lengths.iter().any(|&n| n <= path.len() && prefixes.contains(&path[..n]))
        {
            continue;
        }
        body.clear();
        if !path.is_empty() {
            packed(&mut body, 0x0a, &path);
        }
        let span = ints(&loc.get_item(1)?)?;
        packed(&mut body, 0x12, &span);
        let leading = loc.get_item(2)?;
        let leading = leading.cast::<pyo3::types::PyString>()?.to_str()?;
        if !leading.is_empty() {
            string(&mut body, 0x1a, leading);
        }
        let trailing = loc.get_item(3)?;
        let trailing = trailing.cast::<pyo3::types::PyString>()?.to_str()?;
        if !trailing.is_empty() {
            string(&mut body, 0x22, trailing);
        }
        let detached = loc.get_item(4)?;
        if !detached.is_none() {
            for text in detached.try_iter()? {
                let text = text?;
                string(&mut body, 0x32, text.cast::<pyo3::types::PyString>()?.to_str()?);
            }
        }
        out.push(0x0a);
        varint(&mut out, body.len() as u64);
        out.extend_from_slice(&body);
    }
    Ok(pyo3::types::PyBytes::new(py, &out))
}

/// The same encoding of locations the Rust parser kept (`Locations`): `paths` renames option
/// statements (their sub-locations dropped), `stripped` drops source-retention options.
pub fn encode_native(locs: &[Loc], paths: &HashMap<Vec<u64>, Vec<u64>>, stripped: &HashSet<Vec<u64>>) -> Vec<u8> {
    let mut lengths: Vec<usize> = stripped.iter().map(|p| p.len()).collect::<HashSet<_>>().into_iter().collect();
    lengths.sort_unstable();
    let mut out = Vec::with_capacity(locs.len() * 24);
    let mut matched: Option<Vec<u64>> = None;
    let mut body = Vec::with_capacity(256);
    let mut path: Vec<u64> = Vec::with_capacity(16);
    let mut span: Vec<u64> = Vec::with_capacity(4);
    for loc in locs {
        path.clear();
        path.extend(loc.path.iter().map(|&x| x as u64));
        if !paths.is_empty() {
            if let Some(m) = &matched {
                if path.len() >= m.len() && path[..m.len()] == m[..] {
                    continue;
                }
                matched = None;
            }
            if let Some(dest) = paths.get(&path) {
                matched = Some(std::mem::replace(&mut path, dest.clone()));
            }
        }
        if !lengths.is_empty() && lengths.iter().any(|&n| n <= path.len() && stripped.contains(&path[..n])) {
            continue;
        }
        body.clear();
        if !path.is_empty() {
            packed(&mut body, 0x0a, &path);
        }
        span.clear();
        span.extend(loc.span.iter().map(|&x| x as u64));
        packed(&mut body, 0x12, &span);
        if !loc.leading.is_empty() {
            string(&mut body, 0x1a, &loc.leading);
        }
        if !loc.trailing.is_empty() {
            string(&mut body, 0x22, &loc.trailing);
        }
        if let Some(d) = &loc.detached {
            for text in d {
                string(&mut body, 0x32, text);
            }
        }
        out.push(0x0a);
        varint(&mut out, body.len() as u64);
        out.extend_from_slice(&body);
    }
    out
}

/// The locations the Rust parser recorded, kept in Rust: encoded to `SourceCodeInfo` without
/// ever becoming Python lists; iterating gives the Python parser's `[path, span, leading,
/// trailing, detached]` lists (error positions, the parse pool, tests).
#[pyclass(frozen, module = "schemacheck_native")]
pub struct Locations {
    pub locs: Vec<Loc>,
}

impl Locations {
    fn item<'py>(py: Python<'py>, l: &Loc) -> PyResult<Bound<'py, PyList>> {
        let det = match &l.detached {
            None => py.None().into_bound(py),
            Some(d) => PyList::new(py, d)?.into_any(),
        };
        PyList::new(py, [PyTuple::new(py, &l.path)?.into_any(), PyList::new(py, &l.span)?.into_any(),
                         PyString::new(py, &l.leading).into_any(), PyString::new(py, &l.trailing).into_any(), det])
    }
}

#[pymethods]
impl Locations {
    fn __len__(&self) -> usize {
        self.locs.len()
    }

    /// The Python parser's list of locations.
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self.locs.iter().map(|l| Self::item(py, l)).collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.to_list(py)?.try_iter()?.into_any())
    }

    /// `sourceinfo.source_code_info_bytes(self, paths, stripped)`.
    fn source_code_info_bytes<'py>(&self, py: Python<'py>, paths: &Bound<'py, PyDict>, stripped: &Bound<'py, PyList>)
        -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        let mut renames = HashMap::with_capacity(paths.len());
        for (k, v) in paths.iter() {
            renames.insert(ints(&k)?, ints(&v)?);
        }
        let prefixes: HashSet<Vec<u64>> = stripped.iter().map(|p| ints(&p)).collect::<PyResult<_>>()?;
        let out = py.detach(|| encode_native(&self.locs, &renames, &prefixes));
        Ok(pyo3::types::PyBytes::new(py, &out))
    }
}
