//! The bulk path's people for one chunk of name blocks: `loaders/bulk_people.py`
//! `_resolve_chunk`, with `loaders/identity.py` `resolve` as the bulk path uses it (no
//! external ids, pins, records or curator splits), byte for byte.
//!
//! Most of a chunk is small blocks, so the per-block work avoids allocations: a block's
//! lists live in one arena, clues in flat vectors, a group's clues in a linked list.

use std::borrow::Cow;
use std::fmt::{self, Write};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use crate::csv;

/// Co-author weights of the heavy names and the rules' constants, read from Python once
/// per load (`loaders.identity`, `kg.core.config`) so they are set in one place.
#[pyclass(frozen, module = "kg_native")]
pub struct Weights {
    heavy: FxHashMap<String, f64>,
    light: f64,
    link: f64,
    institution: f64,
    ambiguous: usize,
    ignore_below: f64,
    field_links: bool,
    strong_ties: usize,
    topic_counts: usize,
    /// `AUTHORED.assignedBy` of each `By`, in its order.
    labels: [String; 4],
}

#[pymethods]
impl Weights {
    /// `heavy` maps the names on more than `SPECIFIC_WORKS` authorships to their
    /// `co_author_weight`; every other name weighs `light`. `labels` are identity's
    /// COAUTHORS, FIELD, NAME and NEW.
    #[new]
    #[pyo3(signature = (
        heavy, *, light, link, institution, ambiguous, ignore_below, field_links,
        strong_ties, topic_counts, labels
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        heavy: FxHashMap<String, f64>,
        light: f64,
        link: f64,
        institution: f64,
        ambiguous: usize,
        ignore_below: f64,
        field_links: bool,
        strong_ties: usize,
        topic_counts: usize,
        labels: (String, String, String, String),
    ) -> Self {
        Weights {
            heavy,
            light,
            link,
            institution,
            ambiguous,
            ignore_below,
            field_links,
            strong_ties,
            topic_counts,
            labels: [labels.0, labels.1, labels.2, labels.3],
        }
    }
}

impl Weights {
    fn of(&self, name: &str) -> f64 {
        self.heavy.get(name).copied().unwrap_or(self.light)
    }
}

type Blocks = Vec<(String, Vec<String>)>;
type TableTuple = (Vec<u8>, usize, bool);
type ChunkTuple = (
    TableTuple,
    Vec<String>,
    Vec<String>,
    TableTuple,
    Vec<u8>,
    Vec<u8>,
    u64,
    u64,
    Vec<(String, u64)>,
);

/// `_resolve_chunk(blocks)` with the heavy names of `weights`: (authors, hub_keys,
/// hub_rows, authored, moved, affiliation, people, ambiguous_names, assigned_by), the
/// tables as (text, rows, multiline) for `Table.block`, the scratch lines joined, and
/// assigned_by as (label, count) pairs in order of first use. Runs without the GIL.
#[pyfunction]
pub fn resolve_chunk(
    py: Python<'_>,
    blocks: Blocks,
    weights: &Bound<'_, Weights>,
) -> PyResult<ChunkTuple> {
    let weights = weights.get();
    let out = py
        .detach(|| chunk(&blocks, weights))
        .map_err(PyValueError::new_err)?;
    // bytes, not str: the loader writes them as they are, never decoding and encoding them
    let table = |t: TableText| (t.text.into_bytes(), t.rows, t.multiline);
    let assigned = out
        .assigned_order
        .iter()
        .map(|&by| {
            (
                weights.labels[by as usize].clone(),
                out.assigned_by[by as usize],
            )
        })
        .collect();
    Ok((
        table(out.authors),
        out.hub_keys,
        out.hub_rows,
        table(out.authored),
        out.moved.into_bytes(),
        out.affiliation.into_bytes(),
        out.people,
        out.ambiguous_names,
        assigned,
    ))
}

/// `resolve_chunk` of sorted `key<TAB>seq<TAB>evidence` lines holding whole name blocks
/// (what `NameRuns` hands out), so the loader never splits them into Python strings.
#[pyfunction]
pub fn resolve_text(
    py: Python<'_>,
    data: Vec<u8>,
    weights: &Bound<'_, Weights>,
) -> PyResult<ChunkTuple> {
    let blocks = py
        .detach(|| name_blocks(&data))
        .map_err(PyValueError::new_err)?;
    resolve_chunk(py, blocks, weights)
}

/// `scratch.runs`: (key, payloads in input order) from sorted lines.
fn name_blocks(data: &[u8]) -> Result<Blocks, String> {
    let text = std::str::from_utf8(data).map_err(|e| format!("authorship lines: {e}"))?;
    let mut blocks: Blocks = Vec::new();
    for line in text.split('\n').filter(|l| !l.is_empty()) {
        let mut parts = line.splitn(3, '\t');
        let (Some(key), Some(_), Some(payload)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("authorship line {:?}", &line[..line.len().min(80)]));
        };
        match blocks.last_mut() {
            Some((current, run)) if current == key => run.push(payload.to_string()),
            _ => blocks.push((key.to_string(), vec![payload.to_string()])),
        }
    }
    Ok(blocks)
}

/// Sorted authorship text, fed block by block, handed out as pieces of whole name blocks
/// of at least `lines` lines (a name block never straddles two pieces).
#[pyclass]
pub struct NameRuns {
    lines: usize,
    carry: Vec<u8>,
    held: Vec<u8>,
    held_lines: usize,
    last_key: Vec<u8>,
}

#[pymethods]
impl NameRuns {
    #[new]
    fn new(lines: usize) -> Self {
        NameRuns {
            lines,
            carry: Vec::new(),
            held: Vec::new(),
            held_lines: 0,
            last_key: Vec::new(),
        }
    }

    /// The pieces `data` completes; with `last`, everything left.
    #[pyo3(signature = (data, last=false))]
    fn feed(&mut self, py: Python<'_>, data: &[u8], last: bool) -> Vec<Vec<u8>> {
        py.detach(|| self.pieces(data, last))
    }
}

impl NameRuns {
    fn pieces(&mut self, data: &[u8], last: bool) -> Vec<Vec<u8>> {
        let text = crate::pairs::take_lines(&mut self.carry, data, last);
        let mut out = Vec::new();
        let (mut piece_start, mut pos) = (0, 0);
        for line in text.split_inclusive(|&b| b == b'\n') {
            let key = key_of(line);
            if self.held_lines >= self.lines && key != self.last_key.as_slice() {
                self.held.extend_from_slice(&text[piece_start..pos]);
                out.push(std::mem::take(&mut self.held));
                self.held_lines = 0;
                piece_start = pos;
            }
            self.held_lines += 1;
            self.last_key.clear();
            self.last_key.extend_from_slice(key);
            pos += line.len();
        }
        self.held.extend_from_slice(&text[piece_start..]);
        if last && !self.held.is_empty() {
            out.push(std::mem::take(&mut self.held));
            self.held_lines = 0;
        }
        out
    }
}

fn key_of(line: &[u8]) -> &[u8] {
    let end = memchr::memchr(b'\t', line).unwrap_or(line.len());
    &line[..end]
}

fn chunk(blocks: &Blocks, w: &Weights) -> Result<Output, String> {
    let mut out = Output::default();
    let mut block = Block::default();
    let mut found = Resolution::default();
    for (name, run) in blocks {
        block.parse(name, run)?;
        if block.rows.len() == 1 {
            found.clear();
            found.members.push(0);
            found.starts.push(1);
            found.by.push((By::Name, Reason::None));
        } else {
            resolve(&block, w, &mut found);
            out.ambiguous_names += u64::from(found.starts.len() > 2);
        }
        write_block(&mut out, name, &block, &found, w);
    }
    Ok(out)
}

// ---- Input: the authorship lines of `bulk_text` ----

/// One authorship: `[arxiv_id, position, number, year, categories, coauthors,
/// institutions, name, written]`, strings borrowed from the line unless escaped, the
/// lists as ranges of the block's arena.
struct Row<'a> {
    arxiv_id: Cow<'a, str>,
    position: i64,
    paper: Cow<'a, str>,
    year: i64,
    categories: (u32, u32),
    coauthors: (u32, u32),
    institutions: (u32, u32),
    name: Cow<'a, str>,
    written: Cow<'a, str>,
}

/// A name block's rows in input order, their lists' strings in one arena.
#[derive(Default)]
struct Block<'a> {
    rows: Vec<Row<'a>>,
    lists: Vec<Cow<'a, str>>,
}

impl<'a> Block<'a> {
    fn parse(&mut self, name: &str, run: &'a [String]) -> Result<(), String> {
        self.rows.clear();
        self.lists.clear();
        if run.is_empty() {
            return Err(format!("name block {name:?} has no authorships"));
        }
        for (k, line) in run.iter().enumerate() {
            let mut parser = serde_json::Deserializer::from_str(line);
            let row = RowSeed(&mut self.lists)
                .deserialize(&mut parser)
                .and_then(|row| parser.end().map(|()| row))
                .map_err(|e| {
                    let shown: String = line.chars().take(300).collect();
                    format!("name block {name:?}, line {}: {e}: {shown}", k + 1)
                })?;
            self.rows.push(row);
        }
        Ok(())
    }

    fn list(&self, (start, end): (u32, u32)) -> impl Iterator<Item = &str> + Clone {
        self.lists[start as usize..end as usize]
            .iter()
            .map(|s| &**s)
    }
    fn categories(&self, i: usize) -> impl Iterator<Item = &str> + Clone {
        self.list(self.rows[i].categories)
    }
    fn institutions(&self, i: usize) -> impl Iterator<Item = &str> + Clone {
        self.list(self.rows[i].institutions)
    }
}

/// A JSON string, borrowed from the line unless it holds escapes.
#[derive(Deserialize)]
struct Str<'a>(#[serde(borrow)] Cow<'a, str>);

/// Reads one row, its lists' strings appended to the arena.
struct RowSeed<'s, 'a>(&'s mut Vec<Cow<'a, str>>);

const ROW: &str = "[arxiv_id, position, number, year, categories, coauthors, institutions, \
                   name, written]";

impl<'de> DeserializeSeed<'de> for RowSeed<'_, 'de> {
    type Value = Row<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Row<'de>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_, 'de> {
    type Value = Row<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(ROW)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Row<'de>, A::Error> {
        let lists = self.0;
        let missing = |k: usize| de::Error::invalid_length(k, &ROW);
        let arxiv_id = seq.next_element::<Str>()?.ok_or_else(|| missing(0))?.0;
        let position = seq.next_element::<i64>()?.ok_or_else(|| missing(1))?;
        let paper = seq.next_element::<Str>()?.ok_or_else(|| missing(2))?.0;
        let year = seq.next_element::<i64>()?.ok_or_else(|| missing(3))?;
        let categories = seq
            .next_element_seed(ListSeed(lists))?
            .ok_or_else(|| missing(4))?;
        let coauthors = seq
            .next_element_seed(ListSeed(lists))?
            .ok_or_else(|| missing(5))?;
        let institutions = seq
            .next_element_seed(ListSeed(lists))?
            .ok_or_else(|| missing(6))?;
        let name = seq.next_element::<Str>()?.ok_or_else(|| missing(7))?.0;
        let written = seq.next_element::<Str>()?.ok_or_else(|| missing(8))?.0;
        Ok(Row {
            arxiv_id,
            position,
            paper,
            year,
            categories,
            coauthors,
            institutions,
            name,
            written,
        })
    }
}

/// Reads a list of strings into the arena; gives its range there.
struct ListSeed<'s, 'a>(&'s mut Vec<Cow<'a, str>>);

impl<'de> DeserializeSeed<'de> for ListSeed<'_, 'de> {
    type Value = (u32, u32);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(u32, u32), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_, 'de> {
    type Value = (u32, u32);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of strings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(u32, u32), A::Error> {
        let start = self.0.len() as u32;
        while let Some(Str(s)) = seq.next_element()? {
            self.0.push(s);
        }
        Ok((start, self.0.len() as u32))
    }
}

// ---- identity.resolve ----

#[derive(Clone, Copy, PartialEq, Eq)]
enum By {
    Coauthors = 0,
    Field = 1,
    Name = 2,
    New = 3,
}

/// `Decision.reason`, as positions in the block's arena until it is written.
#[derive(Clone, Copy)]
enum Reason {
    None,
    /// The least three shared co-author names, `len` of them (`", ".join(...)`).
    Names([u32; 3], u8),
    /// The least category code shared with the record.
    Code(u32),
}

/// The people of a block: clue indices per person (earliest first), people by their
/// earliest clue; per clue, the evidence that placed it and the specifics.
#[derive(Default)]
struct Resolution {
    /// Every person's clues, one person after the other.
    members: Vec<u32>,
    /// Where each person's clues start in `members`, and a last entry for the end.
    starts: Vec<u32>,
    by: Vec<(By, Reason)>,
}

impl Resolution {
    fn clear(&mut self) {
        self.members.clear();
        self.starts.clear();
        self.starts.push(0);
        self.by.clear();
    }
    fn people(&self) -> impl Iterator<Item = &[u32]> {
        self.starts
            .windows(2)
            .map(|w| &self.members[w[0] as usize..w[1] as usize])
    }
}

const NONE: u32 = u32::MAX;

/// Sets of a block's interned strings (categories, archives), one bit each, `words`
/// words per set, all sets in one vector.
struct Bits {
    words: usize,
    data: Vec<u64>,
}

impl Bits {
    fn new(words: usize, sets: usize) -> Self {
        Bits {
            words,
            data: vec![0; words * sets],
        }
    }
    fn set(&self, s: usize) -> &[u64] {
        &self.data[s * self.words..(s + 1) * self.words]
    }
    fn add_set(&mut self) {
        self.data.extend(std::iter::repeat_n(0, self.words));
    }
    fn insert(&mut self, s: usize, bit: usize) {
        self.data[s * self.words + bit / 64] |= 1 << (bit % 64);
    }
    /// Set `into` |= `other` (a set of the same width).
    fn union(&mut self, into: usize, other: &[u64]) {
        for (a, b) in self.data[into * self.words..].iter_mut().zip(other) {
            *a |= b;
        }
    }
    /// Set `into` |= set `from`.
    fn union_sets(&mut self, into: usize, from: usize) {
        for k in 0..self.words {
            let b = self.data[from * self.words + k];
            self.data[into * self.words + k] |= b;
        }
    }
    fn is_empty(&self, s: usize) -> bool {
        self.set(s).iter().all(|&x| x == 0)
    }
}

fn intersects(a: &[u64], b: &[u64]) -> bool {
    a.iter().zip(b).any(|(x, y)| x & y != 0)
}

/// The lowest bit of a & b.
fn first_common(a: &[u64], b: &[u64]) -> Option<usize> {
    a.iter()
        .zip(b)
        .enumerate()
        .find_map(|(k, (x, y))| (x & y != 0).then(|| k * 64 + (x & y).trailing_zeros() as usize))
}

/// A block's clues as the resolver reads them: strings interned, co-authors filtered.
struct Clues {
    /// Per clue `i`, `coauthors[at[i]..at[i + 1]]`: its distinct co-authors weighing at
    /// least IGNORE_BELOW, in the order first written, with their weights.
    coauthors: Vec<(u32, f64)>,
    coauthors_at: Vec<u32>,
    institutions: Vec<u32>,
    institutions_at: Vec<u32>,
    /// Where each interned co-author name is in the block's arena.
    coauthor_names: Vec<u32>,
    institution_count: usize,
    /// Distinct categories in code point order (the lowest bit is the least code), as
    /// positions in the block's arena.
    categories: Vec<u32>,
    clue_categories: Bits,
    clue_archives: Bits,
}

/// The id of `s` (its number in order of first sight), noting where it was first seen.
fn intern<'b, T>(ids: &mut FxHashMap<&'b str, u32>, seen: &mut Vec<T>, s: &'b str, at: T) -> u32 {
    *ids.entry(s).or_insert_with(|| {
        seen.push(at);
        (seen.len() - 1) as u32
    })
}

impl Clues {
    fn new(block: &Block, w: &Weights) -> Self {
        let n = block.rows.len();
        let mut clues = Clues {
            coauthors: Vec::with_capacity(block.lists.len()),
            coauthors_at: Vec::with_capacity(n + 1),
            institutions: Vec::new(),
            institutions_at: Vec::with_capacity(n + 1),
            coauthor_names: Vec::new(),
            institution_count: 0,
            categories: Vec::new(),
            clue_categories: Bits::new(0, 0),
            clue_archives: Bits::new(0, 0),
        };
        clues.intern_names(block, w);
        clues.intern_categories(block);
        clues
    }

    fn intern_names(&mut self, block: &Block, w: &Weights) {
        let mut ids = FxHashMap::default();
        ids.reserve(block.lists.len());
        let mut weights: Vec<f64> = Vec::new();
        let mut last: Vec<u32> = Vec::new(); // the clue that last listed the name
        let mut places = FxHashMap::default();
        let mut place_names: Vec<()> = Vec::new(); // only counted
        let mut last_place: Vec<u32> = Vec::new();
        self.coauthors_at.push(0);
        self.institutions_at.push(0);
        for (i, row) in block.rows.iter().enumerate() {
            let clue = i as u32;
            for at in row.coauthors.0..row.coauthors.1 {
                let c = &*block.lists[at as usize];
                let id = intern(&mut ids, &mut self.coauthor_names, c, at);
                if id as usize == weights.len() {
                    weights.push(w.of(c));
                    last.push(NONE);
                }
                let weight = weights[id as usize];
                if weight >= w.ignore_below && last[id as usize] != clue {
                    last[id as usize] = clue;
                    self.coauthors.push((id, weight));
                }
            }
            self.coauthors_at.push(self.coauthors.len() as u32);
            for inst in block.institutions(i) {
                let id = intern(&mut places, &mut place_names, inst, ());
                if id as usize == last_place.len() {
                    last_place.push(NONE);
                }
                if last_place[id as usize] != clue {
                    last_place[id as usize] = clue;
                    self.institutions.push(id);
                }
            }
            self.institutions_at.push(self.institutions.len() as u32);
        }
        self.institution_count = place_names.len();
    }

    fn intern_categories(&mut self, block: &Block) {
        let mut ids = FxHashMap::default();
        let mut names: Vec<u32> = Vec::new(); // arena positions
        for row in &block.rows {
            for at in row.categories.0..row.categories.1 {
                intern(&mut ids, &mut names, &block.lists[at as usize], at);
            }
        }
        let text = |id: u32| &*block.lists[names[id as usize] as usize];
        let mut sorted: Vec<u32> = (0..names.len() as u32).collect();
        sorted.sort_unstable_by_key(|&id| text(id));
        let mut rank = vec![0usize; names.len()];
        for (r, &id) in sorted.iter().enumerate() {
            rank[id as usize] = r;
        }
        let mut archive_ids = FxHashMap::default();
        let mut archives: Vec<()> = Vec::new(); // only counted
        let archive_of: Vec<usize> = (0..names.len() as u32)
            .map(|id| intern(&mut archive_ids, &mut archives, archive(text(id)), ()) as usize)
            .collect();
        let n = block.rows.len();
        self.clue_categories = Bits::new(names.len().div_ceil(64).max(1), n);
        self.clue_archives = Bits::new(archives.len().div_ceil(64).max(1), n);
        for i in 0..n {
            for c in block.categories(i) {
                let id = ids.get(c).map_or(0, |&id| id as usize);
                self.clue_categories.insert(i, rank[id]);
                self.clue_archives.insert(i, archive_of[id]);
            }
        }
        self.categories = sorted.iter().map(|&id| names[id as usize]).collect();
    }

    fn coauthors_of(&self, i: usize) -> &[(u32, f64)] {
        &self.coauthors[self.coauthors_at[i] as usize..self.coauthors_at[i + 1] as usize]
    }
    fn institutions_of(&self, i: usize) -> &[u32] {
        &self.institutions[self.institutions_at[i] as usize..self.institutions_at[i + 1] as usize]
    }
}

fn archive(category: &str) -> &str {
    category.split('.').next().unwrap_or(category)
}

/// The groups an index entry points at (`index[c]`, a set in Python): often one, so
/// the first is kept apart from the rest. Stale groups are followed through `find`.
#[derive(Clone, Default)]
struct Entry {
    first: Option<u32>,
    more: Vec<u32>,
}

impl Entry {
    fn add(&mut self, g: u32) {
        match self.first {
            None => self.first = Some(g),
            Some(f) if f == g => {}
            Some(_) => {
                if self.more.last() != Some(&g) {
                    self.more.push(g);
                }
            }
        }
    }
}

/// `identity.resolve`'s groups: union-find over records, each group's clues a linked
/// list (joins append one list to the other, as `absorb` does), the co-author and
/// institution index.
struct Groups {
    parent: Vec<u32>,
    head: Vec<u32>,
    tail: Vec<u32>,
    size: Vec<u32>,
    /// Per clue, the next clue of its group.
    next: Vec<u32>,
    categories: Bits,
    archives: Bits,
    by_coauthor: Vec<Entry>,
    by_institution: Vec<Entry>,
}

impl Groups {
    fn new(clues: &Clues, n: usize) -> Self {
        Groups {
            parent: Vec::new(),
            head: Vec::new(),
            tail: Vec::new(),
            size: Vec::new(),
            next: vec![NONE; n],
            categories: Bits::new(clues.clue_categories.words, 0),
            archives: Bits::new(clues.clue_archives.words, 0),
            by_coauthor: vec![Entry::default(); clues.coauthor_names.len()],
            by_institution: vec![Entry::default(); clues.institution_count],
        }
    }

    fn len(&self) -> usize {
        self.parent.len()
    }

    fn alive(&self, g: u32) -> bool {
        self.size[g as usize] > 0
    }

    /// The root of `g`, halving the path on the way (as `resolve.find`).
    fn find(&mut self, mut g: u32) -> u32 {
        while self.parent[g as usize] != g {
            let up = self.parent[self.parent[g as usize] as usize];
            self.parent[g as usize] = up;
            g = up;
        }
        g
    }

    fn new_group(&mut self) -> u32 {
        let g = self.parent.len() as u32;
        self.parent.push(g);
        self.head.push(NONE);
        self.tail.push(NONE);
        self.size.push(0);
        self.categories.add_set();
        self.archives.add_set();
        g
    }

    fn clues(&self, g: u32) -> impl Iterator<Item = u32> + '_ {
        let head = self.head[g as usize];
        std::iter::successors((head != NONE).then_some(head), |&i| {
            let next = self.next[i as usize];
            (next != NONE).then_some(next)
        })
    }

    fn add(&mut self, g: u32, i: usize, clues: &Clues) {
        let gu = g as usize;
        if self.size[gu] == 0 {
            self.head[gu] = i as u32;
        } else {
            self.next[self.tail[gu] as usize] = i as u32;
        }
        self.tail[gu] = i as u32;
        self.size[gu] += 1;
        self.categories.union(gu, clues.clue_categories.set(i));
        self.archives.union(gu, clues.clue_archives.set(i));
        for &(c, _) in clues.coauthors_of(i) {
            self.by_coauthor[c as usize].add(g);
        }
        for &inst in clues.institutions_of(i) {
            self.by_institution[inst as usize].add(g);
        }
    }

    /// Fold b into a (both followed to their roots); returns the root.
    fn join(&mut self, a: u32, b: u32) -> u32 {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return a;
        }
        let (au, bu) = (a as usize, b as usize);
        self.next[self.tail[au] as usize] = self.head[bu];
        self.tail[au] = self.tail[bu];
        self.size[au] += self.size[bu];
        self.size[bu] = 0; // dead
        self.categories.union_sets(au, bu);
        self.archives.union_sets(au, bu);
        self.parent[bu] = a;
        a
    }

    /// `_compatible` without external ids: a shared arXiv archive, unless either side
    /// has no categories.
    fn compatible(&self, g: u32, i: usize, clues: &Clues, w: &Weights) -> bool {
        let mine = clues.clue_archives.set(i);
        if !w.field_links || mine.iter().all(|&x| x == 0) || self.archives.is_empty(g as usize) {
            return true;
        }
        intersects(mine, self.archives.set(g as usize))
    }

    /// The distinct roots of an index entry, into `found`; the entry is rewritten to
    /// them (the same roots ever after, since roots only merge), which keeps it short.
    fn roots(&mut self, entry: &mut Entry, found: &mut Vec<u32>, seen: &mut [u32], tick: u32) {
        found.clear();
        for g in entry.first.into_iter().chain(entry.more.drain(..)) {
            let r = self.find(g);
            if seen[r as usize] != tick {
                seen[r as usize] = tick;
                found.push(r);
            }
        }
        entry.first = found.first().copied();
        entry.more.extend(found.iter().skip(1));
    }
}

/// Per-clue scores of the groups, reused across the block's clues.
#[derive(Default)]
struct Scores {
    score: Vec<f64>,
    stamp: Vec<u32>,
    touched: Vec<u32>,
    seen: Vec<u32>,
    tick: u32,
    found: Vec<u32>,
    /// (group, co-author) for the co-authors each group shares with the clue.
    shared: Vec<(u32, u32)>,
}

impl Scores {
    fn start(&mut self, groups: usize) {
        self.touched.clear();
        self.shared.clear();
        if self.stamp.len() < groups {
            self.stamp.resize(groups, 0);
            self.score.resize(groups, 0.0);
            self.seen.resize(groups, 0);
        }
    }

    fn add(&mut self, g: u32, weight: f64, clue: u32) {
        let g = g as usize;
        if self.stamp[g] != clue {
            self.stamp[g] = clue;
            self.score[g] = 0.0;
            self.touched.push(g as u32);
        }
        self.score[g] += weight;
    }

    /// The distinct roots of `entry` in `self.found`.
    fn look_up(&mut self, groups: &mut Groups, entry: &mut Entry) {
        self.tick += 1;
        groups.roots(entry, &mut self.found, &mut self.seen, self.tick);
    }
}

/// `identity.resolve(name, clues, weight)` for clues with no external id, pin or record.
fn resolve(block: &Block, w: &Weights, found: &mut Resolution) {
    let rows = &block.rows;
    let n = rows.len();
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&rows[a as usize], &rows[b as usize]);
        (x.year, &x.arxiv_id, a).cmp(&(y.year, &y.arxiv_id, b)) // `Clue.paper` is the id
    });
    let clues = Clues::new(block, w);
    let mut groups = Groups::new(&clues, n);
    let mut by: Vec<Option<(By, Reason)>> = vec![None; n];
    let mut scores = Scores::default();
    for (step, &i) in order.iter().enumerate() {
        let i = i as usize;
        let clue = step as u32 + 1;
        scores.start(groups.len());
        // Python sums over set(clue.coauthors), in hash order; here in written order.
        // Weights of 1.0 and 0.25 sum exactly in any order; heavy names' could differ in
        // the last bit only, as they already do between two Python processes.
        for &(c, weight) in clues.coauthors_of(i) {
            let mut entry = std::mem::take(&mut groups.by_coauthor[c as usize]);
            scores.look_up(&mut groups, &mut entry);
            for k in 0..scores.found.len() {
                let g = scores.found[k];
                scores.add(g, weight, clue);
                scores.shared.push((g, c));
            }
            groups.by_coauthor[c as usize] = entry;
        }
        for &inst in clues.institutions_of(i) {
            let mut entry = std::mem::take(&mut groups.by_institution[inst as usize]);
            scores.look_up(&mut groups, &mut entry);
            for k in 0..scores.found.len() {
                scores.add(scores.found[k], w.institution, clue);
            }
            groups.by_institution[inst as usize] = entry;
        }
        let mut linked: Vec<u32> = scores
            .touched
            .iter()
            .copied()
            .filter(|&g| scores.score[g as usize] >= w.link && groups.compatible(g, i, &clues, w))
            .collect();
        if linked.is_empty() {
            let g = groups.new_group();
            groups.add(g, i, &clues);
            continue;
        }
        linked.sort_by(|&a, &b| {
            let (sa, sb) = (scores.score[a as usize], scores.score[b as usize]);
            sb.total_cmp(&sa).then(a.cmp(&b))
        });
        let reason = shared_names(&scores.shared, linked[0], &clues, block);
        let mut best = linked[0];
        for &other in &linked[1..] {
            let (b, o) = (groups.find(best), groups.find(other));
            best = if b != o { groups.join(b, o) } else { b };
        }
        let g = groups.find(best);
        groups.add(g, i, &clues);
        by[i] = Some((By::Coauthors, reason));
    }
    settle(&mut groups, &mut by, &clues, w);
    people(&groups, &by, &order, found);
}

/// The least three co-author names the group shares with the clue.
fn shared_names(shared: &[(u32, u32)], group: u32, clues: &Clues, block: &Block) -> Reason {
    let mut names: Vec<u32> = shared
        .iter()
        .filter(|&&(g, _)| g == group)
        .map(|&(_, c)| clues.coauthor_names[c as usize])
        .collect();
    names.sort_unstable_by_key(|&at| &*block.lists[at as usize]);
    let mut least = [0; 3];
    for (slot, &at) in least.iter_mut().zip(&names) {
        *slot = at;
    }
    Reason::Names(least, names.len().min(3) as u8)
}

/// The name alone: one person unless `AMBIGUOUS` records are established; then each
/// lone authorship joins its field's only established record (FIELD) or stays apart (NEW).
fn settle(groups: &mut Groups, by: &mut [Option<(By, Reason)>], clues: &Clues, w: &Weights) {
    let live: Vec<u32> = (0..groups.len() as u32)
        .filter(|&g| groups.alive(g))
        .collect();
    let established: Vec<u32> = live
        .iter()
        .copied()
        .filter(|&g| groups.size[g as usize] >= 2)
        .collect();
    if established.len() < w.ambiguous {
        let mut keep = established.first().copied().unwrap_or(live[0]);
        for &g in &live {
            if g != keep {
                for i in groups.clues(g) {
                    by[i as usize].get_or_insert((By::Name, Reason::None));
                }
                keep = groups.join(keep, g);
            }
        }
        return;
    }
    for &g in &live {
        if groups.size[g as usize] >= 2 || !groups.alive(g) {
            continue; // established (lone groups only ever grow by being joined)
        }
        let i = groups.head[g as usize] as usize;
        let mine = clues.clue_categories.set(i);
        let mut same_field = established
            .iter()
            .copied()
            .filter(|&e| intersects(groups.categories.set(e as usize), mine));
        let decision = match (same_field.next(), same_field.next()) {
            (Some(e), None) => {
                let code = first_common(groups.categories.set(e as usize), mine)
                    .map_or(Reason::None, |bit| Reason::Code(clues.categories[bit]));
                groups.join(e, g);
                (By::Field, code)
            }
            _ => (By::New, Reason::None),
        };
        by[i] = Some(decision);
    }
}

/// Live groups as people: members by (year, paper, index), people by their first member.
fn people(groups: &Groups, by: &[Option<(By, Reason)>], order: &[u32], found: &mut Resolution) {
    found.clear();
    let mut rank = vec![0u32; order.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    let mut people: Vec<(u32, u32, u32)> = Vec::new(); // (first rank, start, end)
    for g in (0..groups.len() as u32).filter(|&g| groups.alive(g)) {
        let start = found.members.len();
        found.members.extend(groups.clues(g));
        let members = &mut found.members[start..];
        members.sort_unstable_by_key(|&i| rank[i as usize]);
        people.push((
            rank[members[0] as usize],
            start as u32,
            found.members.len() as u32,
        ));
    }
    people.sort_unstable();
    let mut members = Vec::with_capacity(found.members.len());
    for &(_, start, end) in &people {
        members.extend_from_slice(&found.members[start as usize..end as usize]);
        found.starts.push(members.len() as u32);
    }
    found.members = members;
    found
        .by
        .extend(by.iter().map(|d| d.unwrap_or((By::Name, Reason::None))));
}

// ---- Output: `_resolve_chunk`'s rows ----

/// Rows of one CSV table, newline-terminated, for `Table.block`.
#[derive(Default)]
struct TableText {
    text: String,
    rows: usize,
    multiline: bool,
}

impl TableText {
    /// Ends the row begun at `start` (the text's length before it was written).
    fn end_row(&mut self, start: usize) {
        let row = &self.text.as_bytes()[start..];
        self.multiline = self.multiline || memchr::memchr2(b'\n', b'\r', row).is_some();
        self.text.push('\n');
        self.rows += 1;
    }
}

/// What one chunk adds (`_Output`): the tables as text, the scratch lines joined.
#[derive(Default)]
struct Output {
    authors: TableText,
    hub_keys: Vec<String>,
    hub_rows: Vec<String>,
    authored: TableText,
    moved: String,
    affiliation: String,
    people: u64,
    ambiguous_names: u64,
    assigned_by: [u64; 4],
    /// `By` values in order of first use: Python's dict keeps insertion order.
    assigned_order: Vec<By>,
}

/// The block's rows, as `_resolve_chunk` formats them.
fn write_block(out: &mut Output, name: &str, block: &Block, found: &Resolution, w: &Weights) {
    let biggest = found
        .people()
        .enumerate()
        .min_by_key(|&(p, members)| (std::cmp::Reverse(members.len()), p))
        .map_or(0, |(p, _)| p);
    let slots = slots(block);
    let mut key = String::new();
    for (number, members) in found.people().enumerate() {
        let first = &block.rows[members[0] as usize];
        key.clear();
        key.push_str(name);
        if number != biggest {
            key.push_str("--");
            key.push_str(&first.arxiv_id.replace('/', "-"));
        }
        let hub = members.iter().map(|&i| slots[i as usize]).sum::<usize>() > w.strong_ties;
        if hub {
            let mut row = String::new();
            author_row(&mut row, &key, name, block, members, w);
            out.hub_keys.push(key.clone());
            out.hub_rows.push(row);
        } else {
            let start = out.authors.text.len();
            author_row(&mut out.authors.text, &key, name, block, members, w);
            out.authors.end_row(start);
        }
        for &i in members {
            let e = &block.rows[i as usize];
            let (how, reason) = found.by[i as usize];
            tally(out, how);
            let by = &w.labels[how as usize];
            authored_row(&mut out.authored, &key, block, i as usize, by, reason);
            if number != biggest {
                let _ = writeln!(out.moved, "{}\t{:04}\t{key}", e.paper, e.position);
            }
            for inst in block.institutions(i as usize) {
                let _ = writeln!(out.affiliation, "{key}\t{inst}\t{:04}", e.year);
            }
        }
    }
    out.people += (found.starts.len() - 1) as u64;
}

fn tally(out: &mut Output, by: By) {
    if !out.assigned_order.contains(&by) {
        out.assigned_order.push(by);
    }
    out.assigned_by[by as usize] += 1;
}

/// `key, first[7], name, variants, codes, works` through `cell`.
fn author_row(
    row: &mut String,
    key: &str,
    name: &str,
    block: &Block,
    members: &[u32],
    w: &Weights,
) {
    csv::quoted(row, key);
    row.push(',');
    csv::quoted(row, &block.rows[members[0] as usize].name);
    row.push(',');
    csv::quoted(row, name);
    row.push(',');
    let written = members.iter().map(|&i| &*block.rows[i as usize].written);
    if members.len() == 1 {
        csv::list(row, written);
    } else {
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        csv::list(row, written.filter(|&v| seen.insert(v))); // dict.fromkeys
    }
    row.push(',');
    if members.len() > w.topic_counts {
        let ranked = topic_counts(block, members);
        csv::list(row, ranked.iter().map(|&(code, _)| code));
        row.push(',');
        csv::ints(row, ranked.iter().map(|&(_, count)| count));
    } else {
        row.push(',');
    }
}

/// `_topic_counts`: works per code, most first, then by code.
fn topic_counts<'b>(block: &'b Block, members: &[u32]) -> Vec<(&'b str, u64)> {
    let mut counts: FxHashMap<&str, u64> = FxHashMap::default();
    for &i in members {
        for code in block.categories(i as usize) {
            *counts.entry(code).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, u64)> = counts.into_iter().collect();
    ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    ranked
}

/// `_slots`: per authorship, its co-author names plus the block's other authorships of
/// the same paper.
fn slots(block: &Block) -> Vec<usize> {
    let rows = &block.rows;
    let mut slots: Vec<usize> = rows
        .iter()
        .map(|e| (e.coauthors.1 - e.coauthors.0) as usize)
        .collect();
    if rows.len() > 1 {
        let mut papers: FxHashMap<&str, usize> = FxHashMap::default();
        for e in rows {
            *papers.entry(&*e.paper).or_default() += 1;
        }
        if papers.len() < rows.len() {
            for (s, e) in slots.iter_mut().zip(rows) {
                *s += papers.get(&*e.paper).map_or(0, |n| n - 1);
            }
        }
    }
    slots
}

/// `q(key),q(arxiv_id),position,q(written),where,q(by),q(reason) or nothing`.
fn authored_row(
    table: &mut TableText,
    key: &str,
    block: &Block,
    i: usize,
    by: &str,
    reason: Reason,
) {
    let e = &block.rows[i];
    let start = table.text.len();
    let row = &mut table.text;
    csv::quoted(row, key);
    row.push(',');
    csv::quoted(row, &e.arxiv_id);
    let _ = write!(row, ",{},", e.position);
    csv::quoted(row, &e.written);
    row.push(',');
    if e.institutions.1 > e.institutions.0 {
        csv::list(row, block.institutions(i));
    }
    row.push(',');
    csv::quoted(row, by);
    row.push(',');
    push_reason(row, reason, block);
    table.end_row(start);
}

/// `q(reason) if reason else ''`, the co-authors' reason being
/// `", ".join(names) or "shared institutions"`.
fn push_reason(row: &mut String, reason: Reason, block: &Block) {
    let text = |at: u32| &*block.lists[at as usize];
    match reason {
        Reason::None => {}
        Reason::Code(at) => {
            if !text(at).is_empty() {
                csv::quoted(row, text(at));
            }
        }
        Reason::Names(names, len) => {
            let names = &names[..len as usize];
            if names.len() <= 1 && names.iter().all(|&at| text(at).is_empty()) {
                csv::quoted(row, "shared institutions");
                return;
            }
            row.push('"');
            for (k, &at) in names.iter().enumerate() {
                if k > 0 {
                    row.push_str(", ");
                }
                csv::doubled(row, text(at));
            }
            row.push('"');
        }
    }
}
