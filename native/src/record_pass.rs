//! The bulk path's record pass for one block of snapshot lines (see `loaders/bulk_pass.py`):
//! `parse_block` -> `parse_line` -> `make_record` -> `shape` -> `format_chunk`, giving the
//! same `ChunkText` byte for byte, or None when the block holds anything this port does not
//! reproduce exactly (any line Python would reject, and the forms `parse` lists): Python
//! then does the whole block, so rejects and their messages stay Python's.
//!
//! Three steps, so that the GIL is taken once per block: read and validate every line
//! (without the GIL), ask Python about the non-ASCII names, affiliations and comments
//! (Unicode normalisation, casefolding and `\w` stay Python's), then format (without the
//! GIL). Python can so run several blocks in threads.

mod format;
mod parse;
mod pytext;

use std::collections::{HashMap, HashSet};

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};

use format::Asked;
use parse::{Date, Record};

/// `snapshot.Filters`.
struct Filters {
    since: Option<Date>,
    category: Option<String>,
}

impl Filters {
    fn keep(&self, rec: &Record) -> bool {
        if let Some(since) = self.since {
            if rec.update_date.unwrap_or(rec.published) < since {
                return false;
            }
        }
        match &self.category {
            None => true,
            Some(wanted) => rec.categories.iter().any(|c| {
                c == wanted
                    || c.split_once('.').map_or(c.as_str(), |(archive, _)| archive) == wanted
            }),
        }
    }
}

/// The block's records the filters keep, and the strings to ask Python about.
#[derive(Default)]
struct Read {
    records: Vec<Record>,
    /// Valid records read, kept or not.
    seen: usize,
    names: HashSet<String>,
    institutions: HashSet<String>,
    comments: HashSet<String>,
}

fn remember(set: &mut HashSet<String>, text: &str) {
    if !text.is_ascii() && !set.contains(text) {
        set.insert(text.to_owned());
    }
}

/// `parse_block`'s loop, up to `cap` records kept; None when Python must do the block.
fn read_block(data: &[u8], filters: &Filters, cap: Option<i64>) -> Option<Read> {
    let mut read = Read::default();
    for line in data.split(|&b| b == b'\n') {
        if parse::is_blank(line) {
            continue;
        }
        let rec = parse::record(line)?;
        for author in &rec.authors {
            match &author.named {
                Some((_, key)) if key.is_empty() => return None, // "author #n has no name"
                Some(_) => {}
                None => remember(&mut read.names, &author.written),
            }
        }
        read.seen += 1;
        if !filters.keep(&rec) {
            continue;
        }
        for author in &rec.authors {
            for raw in &author.affiliations {
                remember(&mut read.institutions, raw);
            }
        }
        if let Some(comment) = &rec.comment {
            remember(&mut read.comments, comment);
        }
        read.records.push(rec);
        if cap.is_some_and(|cap| read.records.len() as i64 >= cap) {
            break;
        }
    }
    Some(read)
}

/// Python's answers for the non-ASCII strings (one call each); None when a name has no key.
fn ask(
    read: &Read,
    name_and_key: &Bound<'_, PyAny>,
    institution: &Bound<'_, PyAny>,
    withdrawn: &Bound<'_, PyAny>,
) -> PyResult<Option<Asked>> {
    let mut asked = Asked::default();
    for written in &read.names {
        let (name, key): (String, String) = name_and_key.call1((written.as_str(),))?.extract()?;
        if key.is_empty() {
            return Ok(None); // Python rejects the record: "author #n has no name"
        }
        asked.names.insert(written.clone(), (name, key));
    }
    let mut institutions = HashMap::with_capacity(read.institutions.len());
    for raw in &read.institutions {
        institutions.insert(raw.clone(), institution.call1((raw.as_str(),))?.extract()?);
    }
    asked.institutions = institutions;
    for comment in &read.comments {
        asked.withdrawn.insert(
            comment.clone(),
            withdrawn.call1((comment.as_str(),))?.extract()?,
        );
    }
    Ok(Some(asked))
}

/// One block of snapshot lines as `(papers, seen, sightings, tables, scratch, topic codes)`:
/// `tables` is [(text, rows, multiline)] for `bulk_text.TABLES`, `scratch` the texts of
/// `bulk_text.SCRATCH`; or None when Python must do this block (`parse_block`).
///
/// `since` is an ISO date, `cap` stops after that many records kept (as `_Job.cap`), and
/// the three callables name the block's non-ASCII strings: `name_and_key(written)`,
/// `institution(raw)` -> (name, key), `withdrawn(comment)` -> bool.
#[pyfunction]
#[pyo3(signature = (data, chunk, max_authors, since, category, cap, name_and_key, institution, withdrawn))]
#[allow(clippy::too_many_arguments)]
pub fn format_block<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyBytes>,
    chunk: u64,
    max_authors: i64,
    since: Option<String>,
    category: Option<String>,
    cap: Option<i64>,
    name_and_key: &Bound<'py, PyAny>,
    institution: &Bound<'py, PyAny>,
    withdrawn: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyTuple>>> {
    let since = match since.as_deref().map(parse::iso_date) {
        Some(None) => return Ok(None),
        Some(date) => date,
        None => None,
    };
    let filters = Filters {
        since,
        category: category.filter(|c| !c.is_empty()),
    };
    let bytes = data.as_bytes();
    let Some(read) = py.detach(|| read_block(bytes, &filters, cap)) else {
        return Ok(None);
    };
    let Some(asked) = ask(&read, name_and_key, institution, withdrawn)? else {
        return Ok(None);
    };
    // a negative cap links no one, as 0 does (Python compares; usize cannot hold it)
    let max_authors = usize::try_from(max_authors.max(0)).unwrap_or(usize::MAX);
    let formatted = py.detach(|| format::format_chunk(&read.records, chunk, max_authors, &asked));
    let Some(text) = formatted else {
        return Ok(None);
    };
    // bytes, not str: the loader writes them as they are, never decoding and encoding them
    let tables: Vec<(Vec<u8>, usize, bool)> = text
        .tables
        .into_iter()
        .map(|t| (t.text.into_bytes(), t.rows, t.multiline))
        .collect();
    let scratch: Vec<Vec<u8>> = Vec::from(text.scratch)
        .into_iter()
        .map(String::into_bytes)
        .collect();
    let result = (
        text.papers,
        read.seen,
        text.sightings,
        tables,
        scratch,
        text.topics,
    );
    Ok(Some(result.into_pyobject(py)?))
}
