//! A minimal JSON writer for the hottest responses (the verdict report, the
//! compact verdict and batch rows). Keys are static ASCII written as they
//! are; values go through `serde_json`'s own formatting, so the bytes are
//! exactly what `serde_json` would write, without its per-field bookkeeping.
//! Objects and arrays close when their writer goes out of scope, so nesting
//! follows the code's own blocks.

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};
use serde_json::value::RawValue;

/// Writes one object's members; the object closes when this is dropped.
pub struct ObjectWriter<'a> {
    out: &'a mut Vec<u8>,
    empty: bool,
}

/// Writes one array's items; the array closes when this is dropped.
pub struct ArrayWriter<'a> {
    out: &'a mut Vec<u8>,
    empty: bool,
}

fn number(out: &mut Vec<u8>, value: Option<f64>) {
    match value {
        // Writing to a Vec cannot fail.
        Some(x) if x.is_finite() => {
            let _ = CompactFormatter.write_f64(out, x);
        }
        _ => out.extend_from_slice(b"null"),
    }
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
        number(self.out, value);
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

    /// JSON that is already serialised.
    pub fn raw(&mut self, key: &'static str, value: &RawValue) {
        self.key(key);
        self.out.extend_from_slice(value.get().as_bytes());
    }

    /// Any serialisable value.
    pub fn value<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.key(key);
        // Serialising into a Vec fails only for maps with non-string keys,
        // which no caller passes.
        let _ = serde_json::to_writer(&mut *self.out, value);
    }

    /// A nested object.
    pub fn object(&mut self, key: &'static str) -> ObjectWriter<'_> {
        self.key(key);
        ObjectWriter::new(self.out)
    }

    /// A nested array.
    pub fn array(&mut self, key: &'static str) -> ArrayWriter<'_> {
        self.key(key);
        ArrayWriter::new(self.out)
    }
}

impl Drop for ObjectWriter<'_> {
    fn drop(&mut self) {
        self.out.push(b'}');
    }
}

impl<'a> ArrayWriter<'a> {
    /// Opens an array at the end of `out`.
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        out.push(b'[');
        ArrayWriter { out, empty: true }
    }

    fn comma(&mut self) {
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
    }

    /// A number item.
    pub fn number(&mut self, value: Option<f64>) {
        self.comma();
        number(self.out, value);
    }

    /// An object item.
    pub fn object(&mut self) -> ObjectWriter<'_> {
        self.comma();
        ObjectWriter::new(self.out)
    }
}

impl Drop for ArrayWriter<'_> {
    fn drop(&mut self) {
        self.out.push(b']');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_serde_json_writes() {
        let raw = serde_json::value::to_raw_value(&serde_json::json!({"x": [1, "é"]})).unwrap();
        let mut out = Vec::new();
        {
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
            w.raw("j", &raw);
            {
                let mut o = w.object("k");
                o.boolean("t", Some(true));
                let mut a = o.array("l");
                a.number(Some(0.5));
                a.number(None);
                a.object().string("m", Some("n"));
            }
            w.array("o");
            w.object("p");
        }
        let expected = serde_json::json!({
            "a": -3171.7, "b": 2374.0, "c": null, "d": null, "e": false, "f": null,
            "g": "Stepanakert / Khankendi \"Ստեփանակերտ\"\n", "h": null, "i": [1, 2],
            "j": {"x": [1, "é"]}, "k": {"t": true, "l": [0.5, null, {"m": "n"}]},
            "o": [], "p": {},
        });
        assert_eq!(String::from_utf8(out).unwrap(), expected.to_string());
    }
}
