//! A minimal JSON object writer for the hottest responses (the compact
//! verdict and batch rows). Keys are static ASCII written as they are; values
//! go through `serde_json`'s own formatting, so the bytes are exactly what
//! `serde_json` would write, without its per-field bookkeeping.

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};

/// Writes one object's members into a buffer; [`ObjectWriter::finish`]
/// closes it.
pub struct ObjectWriter<'a> {
    out: &'a mut Vec<u8>,
    empty: bool,
}

impl<'a> ObjectWriter<'a> {
    /// Opens an object at the end of `out`.
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        out.push(b'{');
        ObjectWriter { out, empty: true }
    }

    /// `key` must be plain ASCII needing no escapes (checked in debug builds).
    fn key(&mut self, key: &'static str) {
        debug_assert!(key
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\'));
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    /// A number (`null` when absent or not finite, as `serde_json` does).
    pub fn number(&mut self, key: &'static str, value: Option<f64>) {
        self.key(key);
        match value {
            // Writing to a Vec cannot fail.
            Some(x) if x.is_finite() => {
                let _ = CompactFormatter.write_f64(self.out, x);
            }
            _ => self.out.extend_from_slice(b"null"),
        }
    }

    /// A boolean or `null`.
    pub fn boolean(&mut self, key: &'static str, value: Option<bool>) {
        self.key(key);
        self.out.extend_from_slice(match value {
            Some(true) => b"true",
            Some(false) => b"false",
            None => b"null",
        });
    }

    /// A string, escaped, or `null`.
    pub fn string(&mut self, key: &'static str, value: Option<&str>) {
        self.value(key, &value);
    }

    /// Any serialisable value.
    pub fn value<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.key(key);
        // Serialising into a Vec fails only for maps with non-string keys,
        // which no caller passes.
        let _ = serde_json::to_writer(&mut *self.out, value);
    }

    /// Closes the object.
    pub fn finish(self) {
        self.out.push(b'}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_serde_json_writes() {
        let mut out = Vec::new();
        let mut w = ObjectWriter::new(&mut out);
        w.number("a", Some(-3171.7));
        w.number("b", Some(2374.0));
        w.number("c", Some(f64::NAN));
        w.number("d", None);
        w.boolean("e", Some(false));
        w.boolean("f", None);
        w.string("g", Some("Stepanakert / Khankendi \"Ստեփանակերտ\"\n"));
        w.string("h", None);
        w.value("i", &[1, 2]);
        w.finish();
        let expected = serde_json::json!({
            "a": -3171.7, "b": 2374.0, "c": null, "d": null, "e": false, "f": null,
            "g": "Stepanakert / Khankendi \"Ստեփանակերտ\"\n", "h": null, "i": [1, 2],
        });
        assert_eq!(String::from_utf8(out).unwrap(), expected.to_string());
        let mut empty = Vec::new();
        ObjectWriter::new(&mut empty).finish();
        assert_eq!(empty, b"{}");
    }
}
