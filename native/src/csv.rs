//! CSV cells as `loaders/scratch.py` writes them (`q`, `cell`), for every compiled step:
//! into a `String` or straight into bytes.

/// Where cells are written: text or UTF-8 bytes.
pub trait Sink {
    fn put(&mut self, text: &str);
}

impl Sink for String {
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, text: &str) {
        self.extend_from_slice(text.as_bytes());
    }
}

/// `text` with its quotes doubled.
pub fn doubled(out: &mut impl Sink, text: &str) {
    let mut rest = text;
    while let Some(at) = memchr::memchr(b'"', rest.as_bytes()) {
        out.put(&rest[..=at]);
        out.put("\"");
        rest = &rest[at + 1..];
    }
    out.put(rest);
}

/// `q`: quoted, quotes doubled.
pub fn quoted(out: &mut impl Sink, text: &str) {
    out.put("\"");
    doubled(out, text);
    out.put("\"");
}

/// `cell` of a list of strings: joined by the array delimiter (a delimiter inside a value
/// becomes a space), quoted.
pub fn list<'s>(out: &mut impl Sink, items: impl Iterator<Item = &'s str>) {
    out.put("\"");
    for (k, item) in items.enumerate() {
        if k > 0 {
            out.put("\u{1f}");
        }
        if memchr::memchr(0x1f, item.as_bytes()).is_some() {
            doubled(out, &item.replace('\u{1f}', " "));
        } else {
            doubled(out, item);
        }
    }
    out.put("\"");
}

/// `cell` of a list of integers.
pub fn ints(out: &mut impl Sink, values: impl IntoIterator<Item = u64>) {
    out.put("\"");
    for (k, v) in values.into_iter().enumerate() {
        if k > 0 {
            out.put("\u{1f}");
        }
        padded(out, v, 1);
    }
    out.put("\"");
}

/// `f"{n:0{width}d}"` (width 1: `str(n)`).
pub fn padded(out: &mut impl Sink, n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let at = at.min(digits.len().saturating_sub(width));
    out.put(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_as_python_writes_them() {
        let mut out = String::new();
        quoted(&mut out, "a \"b\"");
        list(&mut out, ["x\u{1f}y", "\"z"].into_iter());
        ints(&mut out, [2007, 0, 12]);
        padded(&mut out, 42, 6);
        padded(&mut out, 1234567, 4);
        assert_eq!(
            out,
            "\"a \"\"b\"\"\"\"x y\u{1f}\"\"z\"\"2007\u{1f}0\u{1f}12\"0000421234567"
        );
    }
}
