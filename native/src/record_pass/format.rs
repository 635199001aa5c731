//! A chunk's records as the bulk import's text: `rows.shape` then `bulk_text.format_chunk`,
//! byte for byte (`cell`, `q`, orjson's compact JSON, the zero-padded numbers).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::parse::{Date, Moment, Record};
use super::pytext;
use crate::csv;

const CHUNK_DIGITS: usize = 7;
const PAPER_DIGITS: usize = 6;
const SEQ_DIGITS: usize = 8;

/// What Python said about the block's non-ASCII strings.
#[derive(Default)]
pub struct Asked {
    /// written name -> (name, key), from `records.name_and_key`
    pub names: HashMap<String, (String, String)>,
    /// affiliation -> (name, key), from `rows.institution`
    pub institutions: HashMap<String, (String, String)>,
    /// comment -> withdrawn, from `records.comment_withdrawn`
    pub withdrawn: HashMap<String, bool>,
}

/// `bulk_text.TableText`.
#[derive(Default)]
pub struct Table {
    pub text: String,
    pub rows: usize,
    pub multiline: bool,
}

/// `bulk_text.ChunkText`, topics as codes in first-seen order.
pub struct Chunk {
    pub papers: usize,
    pub sightings: usize,
    /// paper, paper-local, has_topic (`bulk_text.TABLES`)
    pub tables: [Table; 3],
    /// paper_ids, names, authorship, paper_people, institution_seen (`bulk_text.SCRATCH`)
    pub scratch: [String; 5],
    pub topics: Vec<String>,
}

#[derive(Default)]
struct Out {
    paper: Vec<u8>,
    paper_rows: usize,
    has_topic: Vec<u8>,
    has_topic_rows: usize,
    ids: Vec<u8>,
    names: Vec<u8>,
    authorship: Vec<u8>,
    paper_people: Vec<u8>,
    institutions: Vec<u8>,
    topics: Vec<String>,
    topic_seen: HashSet<String>,
    seq: usize,
}

/// One author of a paper, once per key (`author_refs`).
struct Ref<'r> {
    key: &'r str,
    name: &'r str,
    written: &'r str,
    affiliations: &'r [String],
}

/// The chunk's text, or None when a string Python should have named was not asked.
pub fn format_chunk(
    records: &[Record],
    chunk: u64,
    max_authors: usize,
    asked: &Asked,
) -> Option<Chunk> {
    let mut out = sized(records);
    let mut prefix = Vec::new();
    csv::padded(&mut prefix, chunk, CHUNK_DIGITS);
    for (index, rec) in records.iter().enumerate() {
        paper(&mut out, rec, &prefix, index, max_authors, asked)?;
    }
    Some(Chunk {
        papers: records.len(),
        sightings: out.seq,
        tables: [
            table(out.paper, out.paper_rows)?,
            Table::default(), // `updated` is always aware here: no `paper-local` row
            table(out.has_topic, out.has_topic_rows)?,
        ],
        scratch: [
            String::from_utf8(out.ids).ok()?,
            String::from_utf8(out.names).ok()?,
            String::from_utf8(out.authorship).ok()?,
            String::from_utf8(out.paper_people).ok()?,
            String::from_utf8(out.institutions).ok()?,
        ],
        topics: out.topics,
    })
}

/// Buffers about as big as the chunk's text will be: growing them copies it again.
fn sized(records: &[Record]) -> Out {
    let authors: usize = records.iter().map(|r| r.authors.len()).sum();
    let text: usize = records
        .iter()
        .map(|r| r.title.len() + r.abstract_.len())
        .sum();
    let n = records.len();
    Out {
        paper: Vec::with_capacity(text + 200 * n),
        has_topic: Vec::with_capacity(64 * n),
        ids: Vec::with_capacity(16 * n),
        names: Vec::with_capacity(24 * authors),
        authorship: Vec::with_capacity(200 * authors.min(64 * n)),
        paper_people: Vec::with_capacity(96 * n),
        ..Out::default()
    }
}

/// `_table`: a file whose rows hold a line break must be imported the slow way.
fn table(text: Vec<u8>, rows: usize) -> Option<Table> {
    let breaks = memchr::memchr_iter(b'\n', &text).count();
    let multiline = rows > 0 && (memchr::memchr(b'\r', &text).is_some() || breaks != rows);
    Some(Table {
        text: String::from_utf8(text).ok()?,
        rows,
        multiline,
    })
}

fn refs<'r>(rec: &'r Record, asked: &'r Asked) -> Option<Vec<Ref<'r>>> {
    let mut refs: Vec<Ref> = Vec::with_capacity(rec.authors.len());
    // most papers have a few authors: a look along the list beats hashing them
    let mut keys: Option<HashSet<&str>> = (rec.authors.len() > 16).then(HashSet::new);
    for author in &rec.authors {
        let (name, key) = match &author.named {
            Some(named) => named,
            None => asked.names.get(&author.written)?,
        };
        if key.is_empty() {
            return None; // Python rejects the record: "author #n has no name"
        }
        let new = match &mut keys {
            Some(keys) => keys.insert(key),
            None => !refs.iter().any(|r| r.key == key),
        };
        if new {
            refs.push(Ref {
                key,
                name,
                written: &author.written,
                affiliations: &author.affiliations,
            });
        }
    }
    Some(refs)
}

type Institution<'r> = (Cow<'r, str>, Cow<'r, str>);

fn institution<'r>(raw: &'r str, asked: &'r Asked) -> Option<Institution<'r>> {
    if raw.is_ascii() {
        let (name, key) = pytext::institution(raw);
        return Some((Cow::Owned(name), Cow::Owned(key)));
    }
    let (name, key) = asked.institutions.get(raw)?;
    Some((Cow::Borrowed(name.as_str()), Cow::Borrowed(key.as_str())))
}

fn withdrawn(rec: &Record, asked: &Asked) -> Option<bool> {
    match &rec.comment {
        None => Some(false),
        Some(c) if c.is_ascii() => Some(pytext::withdrawn(c)),
        Some(c) => asked.withdrawn.get(c).copied(),
    }
}

fn paper(
    out: &mut Out,
    rec: &Record,
    prefix: &[u8],
    index: usize,
    max_authors: usize,
    asked: &Asked,
) -> Option<()> {
    let refs = refs(rec, asked)?;
    // `shape`: every affiliation with a key, and each author's distinct keys (`where`)
    let mut affiliations: Vec<Institution> = Vec::new();
    let mut wheres: Vec<Vec<usize>> = Vec::with_capacity(refs.len());
    for r in &refs {
        let mut keys: Vec<usize> = Vec::new();
        for raw in r.affiliations {
            let (name, key) = institution(raw, asked)?;
            if !key.is_empty() {
                if !keys.iter().any(|&k| affiliations[k].1 == key) {
                    keys.push(affiliations.len());
                }
                affiliations.push((name, key));
            }
        }
        wheres.push(keys);
    }
    let id = rec.arxiv_id.as_str();
    paper_row(out, rec, refs.len(), withdrawn(rec, asked)?);
    out.ids.extend_from_slice(id.as_bytes());
    out.ids.push(b'\n');
    for code in &rec.categories {
        if out.topic_seen.insert(code.clone()) {
            out.topics.push(code.clone());
        }
        let t = &mut out.has_topic;
        csv::quoted(t, id);
        t.push(b',');
        csv::quoted(t, code);
        t.extend_from_slice(if *code == rec.categories[0] {
            b",true\n"
        } else {
            b",false\n"
        });
        out.has_topic_rows += 1;
    }
    let mut number = Vec::with_capacity(CHUNK_DIGITS + PAPER_DIGITS);
    number.extend_from_slice(prefix);
    csv::padded(&mut number, index as u64, PAPER_DIGITS);
    let year = u64::from(rec.published.year);
    let linked = refs.len() <= max_authors; // co-authors only within the COAUTHOR cap
    for (position, (r, keys)) in refs.iter().zip(&wheres).enumerate() {
        out.names.extend_from_slice(r.key.as_bytes());
        out.names.push(b'\n');
        let a = &mut out.authorship;
        a.extend_from_slice(r.key.as_bytes());
        a.push(b'\t');
        a.extend_from_slice(prefix);
        csv::padded(a, out.seq as u64, SEQ_DIGITS);
        a.push(b'\t');
        a.push(b'[');
        json_str(a, id);
        a.push(b',');
        csv::padded(a, position as u64 + 1, 1);
        a.extend_from_slice(b",\"");
        a.extend_from_slice(&number);
        a.extend_from_slice(b"\",");
        csv::padded(a, year, 1);
        a.push(b',');
        json_list(a, rec.categories.iter().map(String::as_str));
        a.push(b',');
        let others = refs.iter().filter(|o| linked && o.key != r.key);
        json_list(a, others.map(|o| o.key));
        a.push(b',');
        json_list(a, keys.iter().map(|&k| &*affiliations[k].1));
        a.push(b',');
        json_str(a, r.name);
        a.push(b',');
        json_str(a, r.written);
        a.extend_from_slice(b"]\n");
        out.seq += 1;
    }
    if (2..=max_authors).contains(&refs.len()) {
        let p = &mut out.paper_people;
        p.extend_from_slice(&number);
        p.push(b'\t');
        csv::padded(p, year, 4);
        p.push(b'\t');
        for (i, r) in refs.iter().enumerate() {
            if i > 0 {
                p.push(0x1f);
            }
            p.extend_from_slice(r.key.as_bytes());
        }
        p.push(b'\n');
    }
    for (name, key) in &affiliations {
        let s = &mut out.institutions;
        s.extend_from_slice(key.as_bytes());
        s.push(b'\t');
        s.extend_from_slice(prefix);
        csv::padded(s, out.seq as u64, SEQ_DIGITS);
        s.push(b'\t');
        json_str(s, name);
        s.push(b'\n');
        out.seq += 1;
    }
    Some(())
}

/// `",".join(map(cell, [arxiv_id, *props.values()]))`.
fn paper_row(out: &mut Out, rec: &Record, author_count: usize, withdrawn: bool) {
    let p = &mut out.paper;
    csv::quoted(p, &rec.arxiv_id);
    p.push(b',');
    if let Some(v) = rec.version {
        csv::padded(p, v, 1);
    }
    p.push(b',');
    csv::quoted(p, &rec.title);
    p.push(b',');
    csv::quoted(p, &rec.abstract_);
    p.push(b',');
    iso_date(p, rec.published);
    p.push(b',');
    csv::padded(p, u64::from(rec.published.year), 1);
    p.push(b',');
    if let Some(m) = rec.updated {
        iso_moment(p, m);
    }
    p.push(b',');
    csv::quoted(p, &rec.categories[0]);
    p.push(b',');
    csv::list(p, rec.categories.iter().map(String::as_str));
    for value in [&rec.doi, &rec.journal_ref, &rec.comment] {
        p.push(b',');
        if let Some(v) = value {
            csv::quoted(p, v);
        }
    }
    p.push(b',');
    p.extend_from_slice(b"\"https://arxiv.org/abs/");
    csv::doubled(p, &rec.arxiv_id);
    p.push(b'"');
    p.extend_from_slice(b",,"); // pdfUrl: None
    csv::padded(p, author_count as u64, 1);
    p.extend_from_slice(if withdrawn { b",true\n" } else { b",false\n" });
    out.paper_rows += 1;
}

/// A string as orjson writes it: `"`, `\` and control characters escaped, the rest as is.
fn json_str(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = text.as_bytes();
    let plain = |b: u8| b >= 0x20 && b != b'"' && b != b'\\';
    if bytes.iter().fold(true, |all, &b| all & plain(b)) {
        out.extend_from_slice(bytes); // most keys and names need no escape
        out.push(b'"');
        return;
    }
    let mut start = 0;
    for (at, &b) in bytes.iter().enumerate() {
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0c => b"\\f",
            b'\r' => b"\\r",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..at]);
        if short.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(short);
        }
        start = at + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn json_list<'s>(out: &mut Vec<u8>, items: impl Iterator<Item = &'s str>) {
    out.push(b'[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_str(out, item);
    }
    out.push(b']');
}

/// `date.isoformat()`.
fn iso_date(out: &mut Vec<u8>, d: Date) {
    csv::padded(out, u64::from(d.year), 4);
    out.push(b'-');
    csv::padded(out, u64::from(d.month), 2);
    out.push(b'-');
    csv::padded(out, u64::from(d.day), 2);
}

/// `datetime.isoformat()` of an aware UTC time without microseconds.
fn iso_moment(out: &mut Vec<u8>, m: Moment) {
    iso_date(out, m.date);
    out.push(b'T');
    csv::padded(out, u64::from(m.hour), 2);
    out.push(b':');
    csv::padded(out, u64::from(m.minute), 2);
    out.push(b':');
    csv::padded(out, u64::from(m.second), 2);
    out.extend_from_slice(b"+00:00");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_as_orjson_writes_it() {
        let mut out = Vec::new();
        json_str(&mut out, "a\"\\\x08\t\n\x0b\x0c\r\x1f/\x7fé");
        assert_eq!(
            out,
            "\"a\\\"\\\\\\b\\t\\n\\u000b\\f\\r\\u001f/\x7fé\"".as_bytes()
        );
    }
}
