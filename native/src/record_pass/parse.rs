//! One snapshot line as a record: `snapshot.parse_line` -> `to_record` -> `make_record`,
//! for the lines this port reproduces exactly. `None` means "let Python do this block":
//! a line Python rejects, and every input form not ported. The fallback cases:
//! - invalid UTF-8, or JSON serde_json refuses (orjson's and `json`'s extras: NaN, lone
//!   surrogates, a key given twice), or any field of a type Python would refuse, or a
//!   `versions`, `authors` or `version` that Python reads through `or`/`str()` (a number,
//!   an empty string for a list...);
//! - an id that is not ASCII, matches neither id pattern, or has a version of over 18 digits;
//! - a `version` that is not `v*` then 1 to 18 ASCII digits; a `created` stamp not in
//!   `_ARXIV_STAMP`'s form, or naming a date or time that does not exist (`_moment` then
//!   tries its general parsers);
//! - an `update_date` other than "" or YYYY-MM-DD (a real date);
//! - no title, no date, no category, no authors;
//! - the free-text `authors` (no `authors_parsed`) holding non-ASCII.
//!
//! An author whose name has an empty key is found later (`record_pass`), once the
//! non-ASCII names are back from Python; it falls back too.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, Error, Visitor};
use serde::Deserialize;

use super::pytext;

/// A JSON string, borrowed from the line when it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Strings<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for Strings<'a> {
            type Value = Cow<'a, str>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Cow::Borrowed(v))
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v.to_owned()))
            }
            fn visit_string<E: Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v))
            }
        }
        d.deserialize_str(Strings(std::marker::PhantomData))
            .map(Text)
    }
}

/// The fields `to_record` reads; the others are skipped (still checked to be JSON).
#[derive(Deserialize)]
struct Doc<'a> {
    #[serde(borrow, default)]
    id: Option<Text<'a>>,
    #[serde(borrow, default)]
    title: Option<Text<'a>>,
    #[serde(borrow, default, rename = "abstract")]
    abstract_: Option<Text<'a>>,
    #[serde(borrow, default)]
    versions: Option<Vec<VersionEntry<'a>>>,
    #[serde(borrow, default)]
    update_date: Option<Text<'a>>,
    #[serde(borrow, default)]
    categories: Option<Text<'a>>,
    #[serde(borrow, default)]
    authors_parsed: Option<Vec<Vec<Text<'a>>>>,
    #[serde(borrow, default)]
    authors: Option<Text<'a>>,
    #[serde(borrow, default)]
    doi: Option<Text<'a>>,
    #[serde(borrow, default, rename = "journal-ref")]
    journal_ref: Option<Text<'a>>,
    #[serde(borrow, default)]
    comments: Option<Text<'a>>,
}

#[derive(Deserialize)]
struct VersionEntry<'a> {
    #[serde(borrow, default)]
    version: Option<Text<'a>>,
    #[serde(borrow, default)]
    created: Option<Text<'a>>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

/// An aware UTC datetime without microseconds (all a `created` stamp can say).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Moment {
    pub date: Date,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

pub struct Author {
    /// The name as `parsed_authors` writes it.
    pub written: String,
    /// (name, key) when `written` is ASCII; else Python gives it (`record_pass`).
    pub named: Option<(String, String)>,
    pub affiliations: Vec<String>,
}

/// A `PaperRecord` before its authors are de-duplicated (that needs every name's key).
pub struct Record {
    pub arxiv_id: String,
    pub version: Option<u64>,
    pub title: String,
    pub abstract_: String,
    pub published: Date,
    pub updated: Option<Moment>,
    pub categories: Vec<String>,
    pub authors: Vec<Author>,
    pub doi: Option<String>,
    pub journal_ref: Option<String>,
    pub comment: Option<String>,
    /// `update_date`, which the `since` filter reads first.
    pub update_date: Option<Date>,
}

/// `bytes.strip()` would leave nothing: `parse_block` skips the line.
pub fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|&b| matches!(b, b' ' | b'\t'..=b'\r'))
}

/// The record of one non-blank line, or None (see the module's list).
pub fn record(line: &[u8]) -> Option<Record> {
    let text = std::str::from_utf8(line).ok()?;
    let text = text.trim_end_matches(['\r', '\n']);
    let doc: Doc = serde_json::from_str(text).ok()?;
    let raw_id = doc.id?.0;
    if !raw_id.is_ascii() {
        return None;
    }
    let (arxiv_id, id_version) = split_arxiv_id(&raw_id)?;
    let (latest_number, first, latest) = version_dates(doc.versions.unwrap_or_default())?;
    let update_date = match doc.update_date {
        Some(Text(s)) if !s.is_empty() => Some(iso_date(&s)?),
        _ => None,
    };
    let published = first.map(|m| m.date).or(update_date)?;
    let title = text_field(doc.title)?;
    let categories = categories(doc.categories.as_ref().map_or("", |t| &t.0));
    if categories.is_empty() {
        return None;
    }
    let authors = match doc.authors_parsed {
        Some(parsed) => parsed
            .iter()
            .map(Vec::as_slice)
            .map(parsed_author)
            .collect(),
        None => free_text_authors(doc.authors.as_ref().map_or("", |t| &t.0))?,
    };
    if authors.is_empty() {
        return None;
    }
    Some(Record {
        arxiv_id,
        // `version or record.version`: a latest version numbered 0 counts as none
        version: latest_number.filter(|&n| n != 0).or(id_version),
        title,
        abstract_: text_field(doc.abstract_).unwrap_or_default(),
        published,
        updated: latest,
        categories,
        authors,
        doi: text_field(doc.doi),
        journal_ref: text_field(doc.journal_ref),
        comment: text_field(doc.comments),
        update_date,
    })
}

/// `records._text`: whitespace collapsed, None when nothing is left.
fn text_field(value: Option<Text>) -> Option<String> {
    let cleaned = pytext::collapse(&value?.0);
    (!cleaned.is_empty()).then_some(cleaned)
}

/// `make_record`'s categories: the words of `categories`, each once, in order.
fn categories(text: &str) -> Vec<String> {
    let mut cats: Vec<String> = Vec::new();
    for word in pytext::words(text) {
        if !cats.iter().any(|c| c == word) {
            cats.push(word.to_owned());
        }
    }
    cats
}

fn parsed_author(entry: &[Text]) -> Author {
    let part = |i: usize| pytext::strip(entry.get(i).map_or("", |t| &t.0));
    let (last, first, suffix) = (part(0), part(1), part(2));
    let mut written = String::with_capacity(first.len() + last.len() + suffix.len() + 3);
    for part in [first, last] {
        if !part.is_empty() {
            if !written.is_empty() {
                written.push(' ');
            }
            written.push_str(part);
        }
    }
    if !suffix.is_empty() {
        written.push_str(", ");
        written.push_str(suffix);
    }
    let affiliations = entry
        .iter()
        .skip(3)
        .map(|a| pytext::strip(&a.0))
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect();
    author(written, affiliations)
}

fn author(written: String, affiliations: Vec<String>) -> Author {
    let named = written.is_ascii().then(|| pytext::name_and_key(&written));
    Author {
        written,
        named,
        affiliations,
    }
}

/// Fallback: non-ASCII free text (its `\s` and `strip` would be Unicode's).
fn free_text_authors(text: &str) -> Option<Vec<Author>> {
    if !text.is_ascii() {
        return None;
    }
    Some(
        pytext::free_authors(text)
            .into_iter()
            .map(|n| author(n, Vec::new()))
            .collect(),
    )
}

/// `records.split_arxiv_id` for an ASCII id: (id, its version).
fn split_arxiv_id(raw: &str) -> Option<(String, Option<u64>)> {
    let text = pytext::strip(raw);
    let text = match text.find("/abs/") {
        Some(at) => &text[at + 5..],
        None => text,
    };
    let end = new_id_end(text.as_bytes()).or_else(|| old_id_end(text.as_bytes()))?;
    let version = match &text[end..] {
        "" => None,
        tail => Some(number(tail.strip_prefix('v')?)?),
    };
    Some((text[..end].to_owned(), version))
}

fn digits(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_digit()).count()
}

/// Where `\d{4}\.\d{4,5}` ends, when the rest can be `(?:v\d+)?$`.
fn new_id_end(b: &[u8]) -> Option<usize> {
    if digits(b) != 4 || b.get(4) != Some(&b'.') {
        return None;
    }
    let run = digits(&b[5..]);
    (4..=5).contains(&run).then_some(5 + run)
}

/// Where `[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}` ends.
fn old_id_end(b: &[u8]) -> Option<usize> {
    if !b.first()?.is_ascii_lowercase() {
        return None;
    }
    let mut at = 1 + b[1..]
        .iter()
        .take_while(|c| c.is_ascii_lowercase() || **c == b'-')
        .count();
    if b.get(at) == Some(&b'.') {
        let two = b.get(at + 1..at + 3)?;
        if !two.iter().all(u8::is_ascii_uppercase) {
            return None;
        }
        at += 3;
    }
    if b.get(at) != Some(&b'/') || digits(&b[at + 1..]) != 7 {
        return None;
    }
    Some(at + 8)
}

/// 1 to 18 ASCII digits as a number (Python's `int` reads more forms: those fall back).
fn number(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 18 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

type Versions = (Option<u64>, Option<Moment>, Option<Moment>);

/// `_version_dates`: (latest number, first stamp, latest stamp), sorted as Python sorts
/// (number, datetime) pairs.
fn version_dates(versions: Vec<VersionEntry>) -> Option<Versions> {
    let mut stamps = Vec::with_capacity(versions.len());
    for v in versions {
        let number = number(v.version?.0.trim_start_matches('v'))?;
        stamps.push((number, stamp(&v.created?.0)?));
    }
    stamps.sort_unstable();
    match (stamps.first(), stamps.last()) {
        (Some(first), Some(last)) => Some((Some(last.0), Some(first.1), Some(last.1))),
        _ => Some((None, None, None)),
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A stamp `_ARXIV_STAMP` fullmatches ("Mon, 2 Apr 2007 19:18:42 GMT") naming a real time.
fn stamp(text: &str) -> Option<Moment> {
    let b = text.as_bytes();
    if b.len() < 5 || !DAYS.iter().any(|d| b.starts_with(d.as_bytes())) || &b[3..5] != b", " {
        return None;
    }
    let b = &b[5..];
    let day_len = digits(b);
    if !(1..=2).contains(&day_len) || b.get(day_len) != Some(&b' ') {
        return None;
    }
    let rest = &b[day_len + 1..];
    // "Apr 2007 19:18:42 GMT": 21 bytes
    if rest.len() != 21 || rest[3] != b' ' || rest[8] != b' ' || &rest[17..] != b" GMT" {
        return None;
    }
    let month = MONTHS.iter().position(|m| rest.starts_with(m.as_bytes()))? + 1;
    if rest[11] != b':' || rest[14] != b':' {
        return None;
    }
    let date = valid_date(num(&rest[4..8])?, month as u32, num(&b[..day_len])?)?;
    let (hour, minute, second) = (num(&rest[9..11])?, num(&rest[12..14])?, num(&rest[15..17])?);
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(Moment {
        date,
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
    })
}

/// A few ASCII digits as a number.
fn num(part: &[u8]) -> Option<u32> {
    if part.is_empty() || part.len() > 9 || !part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

/// `date.fromisoformat` of exactly YYYY-MM-DD (it reads other forms too: those fall back).
pub fn iso_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    valid_date(num(&b[..4])?, num(&b[5..7])?, num(&b[8..])?)
}

fn valid_date(year: u32, month: u32, day: u32) -> Option<Date> {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=9999).contains(&year) || !(1..=days).contains(&day) {
        return None;
    }
    Some(Date {
        year: year as u16,
        month: month as u8,
        day: day as u8,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert_eq!(
            split_arxiv_id("2101.00001v2"),
            Some(("2101.00001".into(), Some(2)))
        );
        assert_eq!(
            split_arxiv_id(" http://arxiv.org/abs/hep-th/9901001 "),
            Some(("hep-th/9901001".into(), None))
        );
        assert_eq!(
            split_arxiv_id("math.AG/0101001v10"),
            Some(("math.AG/0101001".into(), Some(10)))
        );
        assert_eq!(split_arxiv_id("2101.123456"), None);
        assert_eq!(split_arxiv_id("2101.0001v"), None);
        assert_eq!(split_arxiv_id("Hep-th/9901001"), None);
    }

    #[test]
    fn stamps() {
        let got = stamp("Mon, 2 Apr 2007 19:18:42 GMT").unwrap();
        assert_eq!(
            (got.date.year, got.date.month, got.date.day, got.second),
            (2007, 4, 2, 42)
        );
        assert!(stamp("Mon, 31 Feb 2007 19:18:42 GMT").is_none());
        assert!(stamp("Mon, 2 Apr 2007 19:18:42 UTC").is_none());
        assert!(stamp("Mon, 002 Apr 2007 19:18:42 GMT").is_none());
        assert!(iso_date("2024-02-29").is_some() && iso_date("2023-02-29").is_none());
    }
}
