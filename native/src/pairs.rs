//! The bulk path's COAUTHOR rows and hubs' strongest ties, from sorted scratch lines.
//!
//! `PairRows` reproduces the loop of `bulk_csv._CsvWriter.finish` over `year_counts` of the
//! sorted `pair.tsv` (with `bulk_ties.Candidates.edge`), and `TieRows` reproduces
//! `bulk_ties.Candidates.write` (with `strong_ties`). Both take the sorted text as blocks of
//! bytes in order (a line may straddle two blocks) and hand back text to append, so memory
//! holds one block and one pair or one hub at a time.

use std::collections::HashSet;
use std::ops::Range;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::csv;

const DELIMITER: char = '\u{1f}';

/// Whole lines of `data` after what an earlier block left, keeping an unfinished last line.
pub(crate) fn take_lines(carry: &mut Vec<u8>, data: &[u8], last: bool) -> Vec<u8> {
    let mut text = std::mem::take(carry);
    text.extend_from_slice(data);
    if last {
        if !text.is_empty() && !text.ends_with(b"\n") {
            text.push(b'\n');
        }
        return text;
    }
    match memchr::memrchr(b'\n', &text) {
        Some(end) => {
            *carry = text[end + 1..].to_vec();
            text.truncate(end + 1);
            text
        }
        None => {
            *carry = text;
            Vec::new()
        }
    }
}

fn utf8(bytes: &[u8]) -> PyResult<&str> {
    std::str::from_utf8(bytes).map_err(|e| PyValueError::new_err(format!("scratch line: {e}")))
}

fn push_ints(out: &mut String, values: &[u32]) {
    for (i, &v) in values.iter().enumerate() {
        if i > 0 {
            out.push(DELIMITER);
        }
        csv::padded(out, v.into(), 1);
    }
}

/// COAUTHOR rows (and hub ties) from the sorted `a<TAB>b<TAB>yyyy` lines of `pair.tsv`.
#[pyclass]
pub struct PairRows {
    hubs: HashSet<String>,
    carry: Vec<u8>,
    /// The pair being counted (`a<TAB>b`), its years ascending and works per year.
    head: String,
    years: Vec<u32>,
    counts: Vec<u32>,
    spelled: String,
    per_year: String,
}

#[pymethods]
impl PairRows {
    #[new]
    fn new(hubs: HashSet<String>) -> Self {
        PairRows {
            hubs,
            carry: Vec::new(),
            head: String::new(),
            years: Vec::new(),
            counts: Vec::new(),
            spelled: String::new(),
            per_year: String::new(),
        }
    }

    /// The rows the lines completed by `data` give: (COAUTHOR CSV text, rows, ties text).
    /// `last` marks the end of the input (the last pair is then written too).
    #[pyo3(signature = (data, last=false))]
    fn feed(
        &mut self,
        py: Python<'_>,
        data: &[u8],
        last: bool,
    ) -> PyResult<(String, usize, String)> {
        let text = take_lines(&mut self.carry, data, last);
        py.detach(|| self.lines(&text, last))
    }
}

impl PairRows {
    fn lines(&mut self, text: &[u8], last: bool) -> PyResult<(String, usize, String)> {
        let mut rows = String::with_capacity(text.len() * 3 / 2);
        let mut ties = String::new();
        let mut count = 0;
        let text = utf8(text)?;
        for line in text.split('\n') {
            if line.is_empty() {
                continue;
            }
            let bad = || PyValueError::new_err(format!("pair line {line:?}"));
            if line.len() < 6 || !line.is_char_boundary(line.len() - 5) {
                return Err(bad());
            }
            let (head, year) = (&line[..line.len() - 5], &line[line.len() - 4..]);
            let year: u32 = year.parse().map_err(|_| bad())?;
            if head != self.head {
                if !self.years.is_empty() {
                    self.write(&mut rows, &mut ties)?;
                    count += 1;
                }
                self.head.clear();
                self.head.push_str(head);
                self.years.clear();
                self.counts.clear();
            }
            if self.years.last() == Some(&year) {
                *self.counts.last_mut().unwrap_or(&mut 0) += 1;
            } else {
                self.years.push(year);
                self.counts.push(1);
            }
        }
        if last && !self.years.is_empty() {
            self.write(&mut rows, &mut ties)?;
            count += 1;
            self.years.clear();
        }
        Ok((rows, count, ties))
    }

    fn write(&mut self, rows: &mut String, ties: &mut String) -> PyResult<()> {
        let (a, b) = self
            .head
            .split_once('\t')
            .filter(|(_, b)| !b.contains('\t'))
            .ok_or_else(|| PyValueError::new_err(format!("pair {:?}", self.head)))?;
        let weight: u32 = self.counts.iter().sum();
        let (first, last) = (self.years[0], self.years[self.years.len() - 1]);
        self.spelled.clear();
        push_ints(&mut self.spelled, &self.years);
        self.per_year.clear();
        push_ints(&mut self.per_year, &self.counts);
        csv::quoted(rows, a);
        rows.push(',');
        csv::quoted(rows, b);
        for n in [weight, first, last] {
            rows.push(',');
            csv::padded(rows, n.into(), 1);
        }
        for list in [&self.spelled, &self.per_year] {
            rows.push_str(",\"");
            rows.push_str(list);
            rows.push('"');
        }
        rows.push('\n');
        for (hub, other) in [(a, b), (b, a)] {
            if self.hubs.contains(hub) {
                for part in [hub, "1", other] {
                    ties.push_str(part);
                    ties.push('\t');
                }
                for n in [weight, first, last] {
                    csv::padded(ties, n.into(), 1);
                    ties.push('\t');
                }
                ties.push_str(&self.spelled);
                ties.push('\t');
                ties.push_str(&self.per_year);
                ties.push('\n');
            }
        }
        Ok(())
    }
}

/// One co-author of a possible hub, as `bulk_ties.Tie`: byte ranges of its line's fields
/// in the hub's arena (the line as written: key, weight, first, last, years, counts).
struct Tie {
    key: Range<usize>,
    weight: u32,
    first: Range<usize>,
    last: Range<usize>,
    years: Range<usize>,
    counts: Range<usize>,
}

/// `Author` rows of the possible hubs from the sorted `ties.tsv`: a hub's with its lists.
#[pyclass]
pub struct TieRows {
    strong_ties: usize,
    shared_up_to: usize,
    carry: Vec<u8>,
    row: Option<String>,
    arena: String,
    ties: Vec<Tie>,
}

/// What a block of tie lines completes: (`author` rows, their count, `author-ties` rows,
/// their count, whether a row holds a line break).
type TieText = (String, usize, String, usize, bool);
type TieBytes = (Vec<u8>, usize, Vec<u8>, usize, bool);

#[pymethods]
impl TieRows {
    #[new]
    fn new(strong_ties: usize, shared_up_to: usize) -> Self {
        TieRows {
            strong_ties,
            shared_up_to,
            carry: Vec::new(),
            row: None,
            arena: String::new(),
            ties: Vec::new(),
        }
    }

    #[pyo3(signature = (data, last=false))]
    fn feed(&mut self, py: Python<'_>, data: &[u8], last: bool) -> PyResult<TieBytes> {
        let text = take_lines(&mut self.carry, data, last);
        let (plain, n, hubs, h, multiline) = py.detach(|| self.lines(&text, last))?;
        Ok((plain.into_bytes(), n, hubs.into_bytes(), h, multiline))
    }
}

impl TieRows {
    fn lines(&mut self, text: &[u8], last: bool) -> PyResult<TieText> {
        let mut out: TieText = (String::new(), 0, String::new(), 0, false);
        for line in utf8(text)?.split('\n') {
            if line.is_empty() {
                continue;
            }
            let bad = || PyValueError::new_err(format!("ties line {line:?}"));
            let mut parts = line.splitn(3, '\t');
            let (_, kind, rest) = (
                parts.next(),
                parts.next().ok_or_else(bad)?,
                parts.next().ok_or_else(bad)?,
            );
            if kind == "0" {
                self.flush(&mut out);
                self.row = Some(serde_json::from_str(rest).map_err(|_| bad())?);
            } else {
                let tie = self.keep(rest).ok_or_else(bad)?;
                self.ties.push(tie);
            }
        }
        if last {
            self.flush(&mut out);
        }
        Ok(out)
    }

    /// The tie of `rest` (its six fields), copied to the arena.
    fn keep(&mut self, rest: &str) -> Option<Tie> {
        let base = self.arena.len();
        self.arena.push_str(rest);
        let mut fields = [0..0, 0..0, 0..0, 0..0, 0..0, 0..0];
        let mut at = base;
        let mut parts = rest.split('\t');
        for field in fields.iter_mut() {
            let part = parts.next()?;
            *field = at..at + part.len();
            at += part.len() + 1;
        }
        if parts.next().is_some() {
            return None;
        }
        let [key, weight, first, last, years, counts] = fields;
        let weight = self.arena[weight].parse().ok()?;
        Some(Tie {
            key,
            weight,
            first,
            last,
            years,
            counts,
        })
    }

    fn flush(&mut self, out: &mut TieText) {
        let Some(row) = self.row.take() else { return };
        out.4 |= row.contains('\n') || row.contains('\r');
        if self.ties.len() <= self.strong_ties {
            out.0.push_str(&row);
            out.0.push('\n');
            out.1 += 1;
        } else {
            out.2.push_str(&row);
            self.cells(&mut out.2);
            out.2.push('\n');
            out.3 += 1;
        }
        self.ties.clear();
        self.arena.clear();
    }

    /// `strong_ties`: the strongest ties first (most shared works, then by key, compared
    /// as Neo4j does, by UTF-16 unit), counts by shared works and the by-year table.
    fn cells(&mut self, out: &mut String) {
        let arena = &self.arena;
        let ties = &mut self.ties;
        if ties
            .iter()
            .any(|t| arena[t.key.clone()].chars().any(|c| c as u32 > 0xFFFF))
        {
            ties.sort_by(|x, y| {
                y.weight.cmp(&x.weight).then_with(|| {
                    arena[x.key.clone()]
                        .encode_utf16()
                        .cmp(arena[y.key.clone()].encode_utf16())
                })
            });
        } else {
            ties.sort_by(|x, y| {
                y.weight
                    .cmp(&x.weight)
                    .then_with(|| arena[x.key.clone()].cmp(&arena[y.key.clone()]))
            });
        }
        let top = self.shared_up_to;
        let mut by_shared = vec![0u64; top];
        // (k, year) -> co-authors sharing k works from that year on, as a dense table
        let spans = ties
            .iter()
            .map(|t| (year(&arena[t.first.clone()]), year(&arena[t.last.clone()])));
        let (low, high) = spans.fold((i64::MAX, i64::MIN), |(l, h), (f, y)| (l.min(f), h.max(y)));
        let width = (high - low + 1).max(1) as usize;
        let mut reach = vec![0u64; top * width];
        let mut seen = vec![false; width];
        for t in ties.iter() {
            if t.weight == 1 {
                by_shared[0] += 1;
                let y = (year(&arena[t.last.clone()]) - low) as usize;
                reach[y] += 1;
                seen[y] = true;
                continue;
            }
            for n in by_shared.iter_mut().take((t.weight as usize).min(top)) {
                *n += 1;
            }
            let mut on = 0usize;
            let spelled = arena[t.years.clone()].rsplit(DELIMITER);
            for (y, works) in spelled.zip(arena[t.counts.clone()].rsplit(DELIMITER)) {
                let from = on + 1;
                on += works.parse::<usize>().unwrap_or(0);
                if from > top {
                    break;
                }
                let y = (year(y) - low) as usize;
                seen[y] = true;
                for k in from..=on.min(top) {
                    reach[(k - 1) * width + y] += 1;
                }
            }
        }
        let first = seen.iter().position(|&s| s).unwrap_or(0);
        let span = seen.iter().rposition(|&s| s).unwrap_or(0) - first + 1;
        let mut table = vec![0u64; top * span];
        for k in 0..top {
            // counted in every year up to the year it was noted under
            let mut running = 0;
            for y in (0..span).rev() {
                running += reach[k * width + first + y];
                table[k * span + y] = running;
            }
        }
        let kept = &ties[..self.strong_ties.min(ties.len())];
        let texts = |out: &mut String, pick: fn(&Tie) -> Range<usize>| {
            let mut joined = String::new();
            for (i, t) in kept.iter().enumerate() {
                if i > 0 {
                    joined.push(DELIMITER);
                }
                joined.push_str(&arena[pick(t)]);
            }
            out.push(',');
            csv::quoted(out, &joined);
        };
        let ints = |out: &mut String, values: &mut dyn Iterator<Item = u64>| {
            out.push(',');
            csv::ints(out, values);
        };
        texts(out, |t| t.key.clone());
        ints(out, &mut kept.iter().map(|t| u64::from(t.weight)));
        texts(out, |t| t.first.clone());
        texts(out, |t| t.last.clone());
        ints(out, &mut by_shared.iter().copied());
        out.push(',');
        csv::padded(out, (low + first as i64) as u64, 1);
        ints(out, &mut table.iter().copied());
    }
}

/// A year as the COAUTHOR row wrote it (`int()` in Python: always digits here).
fn year(text: &str) -> i64 {
    text.parse().unwrap_or(0)
}
