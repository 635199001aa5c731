//! Python's string semantics where the record pass needs them: whitespace for any text
//! (`str.split()`, `str.strip()`, `\s`), and the name, institution and comment rules of
//! `kg/core/names.py` and `loaders/records.py` for ASCII text only. For ASCII, NFC and NFKD
//! change nothing, `casefold` is `lower`, and `\w` is `[A-Za-z0-9_]`; non-ASCII text goes
//! back to Python, whose Unicode tables are the specification.

/// `str.isspace()`, which is also what `str.split()`, `str.strip()` and `re`'s `\s` use.
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\x1c'..='\x1f'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | 0x1c..=0x1f | b' ')
}

/// `text.strip()`.
pub fn strip(text: &str) -> &str {
    text.trim_matches(is_space)
}

/// `text.split()`: the words between runs of whitespace.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(is_space).filter(|w| !w.is_empty())
}

/// The length in bytes of the whitespace character `b` starts with, or 0 (`is_space` on
/// UTF-8; a continuation byte never matches, so any byte offset can be tried).
fn space_len(b: &[u8]) -> usize {
    match b {
        [b'\t'..=b'\r' | 0x1c..=0x1f | b' ', ..] => 1,
        [0xc2, 0x85 | 0xa0, ..] => 2,
        [0xe1, 0x9a, 0x80, ..] => 3,
        [0xe2, 0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf, ..] => 3,
        [0xe2, 0x81, 0x9f, ..] | [0xe3, 0x80, 0x80, ..] => 3,
        _ => 0,
    }
}

/// `" ".join(text.split())`, which is also `re.sub(r"\s+", " ", text).strip()`: the text is
/// copied in runs, cut only where whitespace is not already one space between words.
pub fn collapse(text: &str) -> String {
    let text = strip(text);
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let (mut at, mut run) = (0, 0);
    loop {
        at = odd_byte(b, at);
        if at == b.len() {
            break;
        }
        if space_len(&b[at..]) == 0 {
            at += 1; // a control character or a non-ASCII letter, not a space
            continue;
        }
        // a run of whitespace inside the text (the ends are stripped): one space or more
        let start = if at > run && b[at - 1] == b' ' {
            at - 1
        } else {
            at
        };
        let end = spaces_end(b, at);
        out.extend_from_slice(&b[run..start]);
        out.push(b' ');
        (at, run) = (end, end);
    }
    out.extend_from_slice(&b[run..]);
    // Cut only at whole characters, so this is always UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| words(text).collect::<Vec<_>>().join(" "))
}

/// Where, from `at` on, a byte may not be printable ASCII or a lone space, 16 at a time:
/// in prose, most runs of 16 bytes are words and single spaces only.
fn odd_byte(b: &[u8], mut at: usize) -> usize {
    const WIDE: usize = 16;
    let odd = |c: u8, next: u8| !(0x20..0x80).contains(&c) || (c == b' ' && next == b' ');
    while at + WIDE < b.len() {
        let chunk = &b[at..=at + WIDE];
        if (0..WIDE).fold(false, |any, i| any | odd(chunk[i], chunk[i + 1])) {
            break;
        }
        at += WIDE;
    }
    while at < b.len() && !odd(b[at], b.get(at + 1).copied().unwrap_or(0)) {
        at += 1;
    }
    at
}

/// Where the whitespace from `at` on ends.
fn spaces_end(b: &[u8], mut at: usize) -> usize {
    while at < b.len() {
        match space_len(&b[at..]) {
            0 => break,
            n => at += n,
        }
    }
    at
}

/// `clean_name` for ASCII: whitespace collapsed, "Last, First" turned to "First Last".
pub fn clean_name(raw: &str) -> String {
    let name = collapse(raw);
    if name.bytes().filter(|&b| b == b',').count() == 1 {
        if let Some((last, first)) = name.split_once(',') {
            let (last, first) = (strip(last), strip(first));
            if !first.is_empty() && !last.is_empty() && !is_suffix(first) {
                return format!("{first} {last}");
            }
        }
    }
    name
}

fn is_suffix(text: &str) -> bool {
    let bare = text.trim_end_matches('.').to_ascii_lowercase();
    matches!(bare.as_str(), "jr" | "sr" | "ii" | "iii" | "iv")
}

/// `_slug` for ASCII: lower case, every run of non-word characters one `-`, none at the ends.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(b.to_ascii_lowercase() as char);
        } else {
            gap = true;
        }
    }
    out
}

/// `records.name_and_key` for an ASCII name: (display name, name key). The key is
/// `_slug(clean_name(name))`, and `clean_name` of a cleaned name is that name: a swapped
/// "First Last" has no comma left, and an unswapped one is swapped no more the second time.
pub fn name_and_key(written: &str) -> (String, String) {
    let name = clean_name(written);
    let key = slug(&name);
    (name, key)
}

/// `(institution_name(raw), institution_key(institution_name(raw)))` for ASCII.
pub fn institution(raw: &str) -> (String, String) {
    let name = collapse(raw);
    let key = slug(&name);
    (name, key)
}

const WITHDRAWN: [&str; 7] = [
    "this paper has been withdrawn",
    "this paper is withdrawn",
    "this article has been withdrawn",
    "this article is withdrawn",
    "this submission has been withdrawn",
    "this submission is withdrawn",
    "withdrawn by",
];

/// `records._WITHDRAWN.search(comment)` for ASCII: one of the phrases, any case, starting
/// at a word boundary (every phrase starts with a word character).
pub fn withdrawn(comment: &str) -> bool {
    let lower = comment.to_ascii_lowercase();
    if !lower.contains("withdrawn") {
        return false;
    }
    let bytes = lower.as_bytes();
    (0..bytes.len()).any(|at| {
        let boundary = at == 0 || !is_word(bytes[at - 1]);
        boundary
            && WITHDRAWN
                .iter()
                .any(|p| bytes[at..].starts_with(p.as_bytes()))
    })
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `snapshot.parsed_authors` from the free-text `authors` field, for ASCII: text in
/// parentheses dropped (`_PARENS`), then split on commas and "and" (`_AND`).
pub fn free_authors(text: &str) -> Vec<String> {
    let bare = without_parens(text);
    split_and(&bare)
        .into_iter()
        .map(strip)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `re.sub(r"\([^)]*\)", "", text)`: from each `(` to the next `)`.
fn without_parens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')') else {
            break; // no `)` after this `(`, so none after any later one either
        };
        out.push_str(&rest[..open]);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// `re.split(r",\s*and\s+|\s+and\s+|,", text)` for ASCII text.
fn split_and(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut pieces = Vec::new();
    let (mut start, mut at) = (0, 0);
    while at < b.len() {
        match separator_at(b, at) {
            Some(end) => {
                pieces.push(&text[start..at]);
                start = end;
                at = end;
            }
            None => at += 1,
        }
    }
    pieces.push(&text[start..]);
    pieces
}

/// Where `_AND`'s first matching alternative ends when it starts at `at`.
fn separator_at(b: &[u8], at: usize) -> Option<usize> {
    let spaces = |from: usize| from + b[from..].iter().take_while(|&&c| is_ascii_space(c)).count();
    let and_then_space = |from: usize| {
        if b[from..].starts_with(b"and") {
            let end = spaces(from + 3);
            (end > from + 3).then_some(end)
        } else {
            None
        }
    };
    if b[at] == b',' {
        return Some(and_then_space(spaces(at + 1)).unwrap_or(at + 1));
    }
    if is_ascii_space(b[at]) {
        return and_then_space(spaces(at));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_python_cleans_them() {
        assert_eq!(
            name_and_key(" Liu,  Zihang "),
            ("Zihang Liu".into(), "zihang-liu".into())
        );
        assert_eq!(
            name_and_key("Smith, Jr."),
            ("Smith, Jr.".into(), "smith-jr".into())
        );
        assert_eq!(
            name_and_key("-O'Neil-"),
            ("-O'Neil-".into(), "o-neil".into())
        );
    }

    #[test]
    fn whitespace_as_python_splits_it() {
        let text = "\u{85}a\u{a0}b\u{1680}c\u{2000}d\u{200a}e\u{200b}f\u{2028}g\u{202f}h\u{205f}i\u{3000}j\x1ck \t\u{180e}é";
        assert_eq!(collapse(text), "a b c d e\u{200b}f g h i j k \u{180e}é");
        let all: String = (0..0x11000u32).filter_map(char::from_u32).collect();
        assert_eq!(collapse(&all), words(&all).collect::<Vec<_>>().join(" "));
    }

    #[test]
    fn free_text_authors() {
        let got = free_authors("Ann Bee (MIT), Carl Dee and Eve Fay,and  Gus (x");
        assert_eq!(got, ["Ann Bee", "Carl Dee", "Eve Fay", "Gus (x"]);
    }

    #[test]
    fn withdrawn_comments() {
        assert!(withdrawn("This paper has been withdrawn by the author"));
        assert!(withdrawn("(Withdrawn by arXiv admin)"));
        assert!(!withdrawn("unwithdrawn by nobody"));
    }
}
