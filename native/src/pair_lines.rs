//! The bulk path's co-author pair lines and heavy names, as `bulk_people` writes them.
//!
//! `pair_lines` reproduces `bulk_people.write_pairs` (each paper's people, after the moved
//! authorships are put in, as every pair of distinct people), and `RunCounts` the loop of
//! `bulk_people.heavy_names` (how often each line of a sorted file repeats).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;

use crate::pairs::take_lines;

/// One moved authorship: (paper number, author position from 1, person key).
type Change = (String, usize, String);

fn io_error(path: &str) -> impl Fn(std::io::Error) -> PyErr + '_ {
    move |e| PyOSError::new_err(format!("{path}: {e}"))
}

fn read_change(line: &str) -> PyResult<Change> {
    let mut parts = line.splitn(3, '\t');
    let bad = || PyValueError::new_err(format!("moved line {line:?}"));
    let paper = parts.next().ok_or_else(bad)?;
    let position = parts.next().ok_or_else(bad)?.parse().map_err(|_| bad())?;
    let key = parts.next().ok_or_else(bad)?;
    Ok((paper.to_string(), position, key.to_string()))
}

/// `pair.tsv` (person, person, year per shared paper) from `paper_people` (each paper's name
/// keys in author order, papers in number order) and the sorted `moved` lines, which replace
/// the name keys of authorships that went to another person. Returns the lines written.
#[pyfunction]
pub fn pair_lines(py: Python<'_>, paper_people: &str, moved: &str, out: &str) -> PyResult<u64> {
    py.detach(|| write_pair_lines(paper_people, moved, out))
}

fn write_pair_lines(paper_people: &str, moved: &str, out: &str) -> PyResult<u64> {
    let papers = BufReader::with_capacity(
        1 << 20,
        File::open(paper_people).map_err(io_error(paper_people))?,
    );
    let mut changes =
        BufReader::with_capacity(1 << 20, File::open(moved).map_err(io_error(moved))?).lines();
    let mut writer = BufWriter::with_capacity(1 << 20, File::create(out).map_err(io_error(out))?);
    let mut next_change = || -> PyResult<Option<Change>> {
        match changes.next() {
            Some(line) => read_change(&line.map_err(io_error(moved))?).map(Some),
            None => Ok(None),
        }
    };
    let mut change = next_change()?;
    let mut written = 0u64;
    let mut text = String::new();
    for line in papers.lines() {
        let line = line.map_err(io_error(paper_people))?;
        let fields: Vec<&str> = line.split('\t').collect();
        let [number, year, joined] = fields[..] else {
            return Err(PyValueError::new_err(format!("paper_people line {line:?}")));
        };
        let mut moved_here: Vec<(usize, String)> = Vec::new();
        while let Some((paper, position, key)) = change.take() {
            if paper.as_str() > number {
                change = Some((paper, position, key));
                break;
            }
            if paper == number {
                moved_here.push((position, key));
            }
            change = next_change()?;
        }
        let mut keys: Vec<&str> = joined.split('\u{1f}').collect();
        for (position, key) in &moved_here {
            let slot = keys.get_mut(position.wrapping_sub(1)).ok_or_else(|| {
                PyValueError::new_err(format!("moved position {position} of {number}"))
            })?;
            *slot = key.as_str();
        }
        keys.sort_unstable();
        keys.dedup();
        text.clear();
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                text.push_str(a);
                text.push('\t');
                text.push_str(b);
                text.push('\t');
                text.push_str(year);
                text.push('\n');
                written += 1;
            }
        }
        writer.write_all(text.as_bytes()).map_err(io_error(out))?;
    }
    writer.flush().map_err(io_error(out))?;
    Ok(written)
}

/// How often each line of a sorted file repeats, for the lines repeated over `threshold`
/// times (`bulk_people.heavy_names`); fed the sorted text block by block.
#[pyclass]
pub struct RunCounts {
    threshold: u64,
    carry: Vec<u8>,
    current: Option<String>,
    count: u64,
}

#[pymethods]
impl RunCounts {
    #[new]
    fn new(threshold: u64) -> Self {
        RunCounts {
            threshold,
            carry: Vec::new(),
            current: None,
            count: 0,
        }
    }

    /// The runs over the threshold that the lines of `data` complete (all, when `last`).
    #[pyo3(signature = (data, last=false))]
    fn feed(&mut self, py: Python<'_>, data: &[u8], last: bool) -> PyResult<Vec<(String, u64)>> {
        let text = take_lines(&mut self.carry, data, last);
        py.detach(|| self.lines(&text, last))
    }
}

impl RunCounts {
    fn lines(&mut self, text: &[u8], last: bool) -> PyResult<Vec<(String, u64)>> {
        let mut heavy = Vec::new();
        let text = std::str::from_utf8(text)
            .map_err(|e| PyValueError::new_err(format!("sorted lines: {e}")))?;
        let mut lines: Vec<&str> = text.split('\n').collect();
        lines.pop(); // after the last line end
        for line in lines {
            if self.current.as_deref() != Some(line) {
                self.close(&mut heavy);
                self.current = Some(line.to_string());
            }
            self.count += 1;
        }
        if last {
            self.close(&mut heavy);
        }
        Ok(heavy)
    }

    fn close(&mut self, heavy: &mut Vec<(String, u64)>) {
        if let Some(line) = self.current.take() {
            if self.count > self.threshold {
                heavy.push((line, self.count));
            }
        }
        self.count = 0;
    }
}
