//! A minimal JSON writer for the hottest responses (the verdict report, the
//! compact verdict and batch rows). Keys are static ASCII written as they
//! are. Values take fast paths where ours are plain (short decimals, strings
//! with nothing to escape, dates) and `serde_json`'s own formatting
//! otherwise; either way the bytes are exactly what `serde_json` would write
//! (tests hold each path to it), without its per-field bookkeeping. Objects
//! and arrays close when their writer goes out of scope, so nesting follows
//! the code's own blocks.

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};
use serde_json::value::RawValue;

use crate::date::Day;

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
        Some(x) if x.is_finite() => {
            if !short_decimal(out, x) {
                // Writing to a Vec cannot fail.
                let _ = CompactFormatter.write_f64(out, x);
            }
        }
        _ => out.extend_from_slice(b"null"),
    }
}

/// Writes `x` as `serde_json` would if it has at most seven decimals and a
/// magnitude from 10^-3 to 10^8 (or is zero): the coordinates, rounded
/// distances and accuracies that fill our answers. Integer arithmetic
/// instead of a shortest-digits search; false, writing nothing, otherwise.
///
/// Such an `x` is the double nearest to `n / 10^k` (`k` at most 7, `n` not a
/// multiple of ten unless `k` is 1). Decimals of seven or fewer places are
/// 10^-7 apart, far wider than a rounding interval below 10^8, so `n / 10^k`
/// is the shortest form that reads back as `x`: what `serde_json` prints,
/// with `.0` for whole numbers.
fn short_decimal(out: &mut Vec<u8>, x: f64) -> bool {
    const SCALE: f64 = 1e7;
    let a = x.abs();
    if !(a == 0.0 || (1e-3..1e8).contains(&a)) {
        return false;
    }
    // Nearest whole number of 10^-7 (the cast truncates, so + 0.5 rounds;
    // no libm call), then checked exactly: `x` must be that very double.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let n = (a * SCALE + 0.5) as u64;
    #[allow(clippy::cast_precision_loss, clippy::float_cmp)] // n < 10^15 < 2^53
    if n as f64 / SCALE != a {
        return false;
    }
    // Whole part and seven decimals, each within u32: the whole part is
    // below 10^8, and 32-bit division by a constant is a short multiply.
    #[allow(clippy::cast_possible_truncation)]
    let (mut whole, mut frac) = ((n / 10_000_000) as u32, (n % 10_000_000) as u32);
    // The fewest decimals, keeping one.
    let mut decimals = 7;
    if frac == 0 {
        decimals = 1;
    } else {
        while frac % 10 == 0 {
            frac /= 10;
            decimals -= 1;
        }
    }
    // Digits from the right: the decimals (the buffer's zeros pad them),
    // the point, the whole part (at least one digit), the sign.
    let mut buf = [b'0'; 24];
    let mut k = buf.len();
    while frac > 0 {
        k -= 1;
        buf[k] = b'0' + (frac % 10) as u8;
        frac /= 10;
    }
    let mut i = buf.len() - decimals - 1;
    buf[i] = b'.';
    loop {
        i -= 1;
        buf[i] = b'0' + (whole % 10) as u8;
        whole /= 10;
        if whole == 0 {
            break;
        }
    }
    if x.is_sign_negative() {
        i -= 1;
        buf[i] = b'-';
    }
    out.extend_from_slice(&buf[i..]);
    true
}

/// Writes `s` as a JSON string: as it is when nothing in it needs escaping
/// (the usual case), through `serde_json` otherwise.
fn string(out: &mut Vec<u8>, s: &str) {
    if needs_escape(s.as_bytes()) {
        let _ = serde_json::to_writer(&mut *out, s);
    } else {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

/// Whether JSON needs any byte of `s` escaped (a control character, `"` or
/// `\\`), tested eight bytes at a time: each test below is exact for
/// whether some byte of the word matches.
fn needs_escape(s: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    // Some byte of `w` is below `n` (for `n <= 0x80`).
    let any_below = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w & HIGHS != 0;
    let any_equal = |w: u64, b: u8| any_below(w ^ (ONES * u64::from(b)), 1);
    let mut words = s.chunks_exact(8);
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
        if any_below(w, 0x20) || any_equal(w, b'"') || any_equal(w, b'\\') {
            return true;
        }
    }
    words
        .remainder()
        .iter()
        .any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

impl<'a> ObjectWriter<'a> {
    /// Opens an object at the end of `out`.
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        out.push(b'{');
        ObjectWriter { out, empty: true }
    }

    /// `key` must be plain ASCII needing no escapes (checked in debug builds).
    #[inline]
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
    #[inline]
    pub fn number(&mut self, key: &'static str, value: Option<f64>) {
        self.key(key);
        number(self.out, value);
    }

    /// `null`.
    #[inline]
    pub fn null(&mut self, key: &'static str) {
        self.key(key);
        self.out.extend_from_slice(b"null");
    }

    /// A boolean or `null`.
    #[inline]
    pub fn boolean(&mut self, key: &'static str, value: Option<bool>) {
        self.key(key);
        self.out.extend_from_slice(match value {
            Some(true) => b"true",
            Some(false) => b"false",
            None => b"null",
        });
    }

    /// A string, escaped, or `null`.
    #[inline]
    pub fn string(&mut self, key: &'static str, value: Option<&str>) {
        self.key(key);
        match value {
            Some(s) => string(self.out, s),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    /// A day as `"YYYY-MM-DD"`, or `null`.
    #[inline]
    pub fn day(&mut self, key: &'static str, value: Option<Day>) {
        match value.map(Day::iso_bytes) {
            Some(Some(iso)) => {
                self.key(key);
                self.out.push(b'"');
                self.out.extend_from_slice(&iso);
                self.out.push(b'"');
            }
            // Years beyond four digits, and `null`.
            _ => self.value(key, &value),
        }
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
            w.null("h2");
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
            "g": "Stepanakert / Khankendi \"Ստեփանակերտ\"\n", "h": null, "h2": null, "i": [1, 2],
            "j": {"x": [1, "é"]}, "k": {"t": true, "l": [0.5, null, {"m": "n"}]},
            "o": [], "p": {},
        });
        assert_eq!(String::from_utf8(out).unwrap(), expected.to_string());
    }

    fn written(f: impl FnOnce(&mut ObjectWriter)) -> String {
        let mut out = Vec::new();
        f(&mut ObjectWriter::new(&mut out));
        String::from_utf8(out).unwrap()
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 4_000,
            failure_persistence: None,
            ..Default::default()
        })]

        /// The integer path for short decimals, and the fallback for all
        /// else, write the bytes `serde_json` writes.
        #[test]
        fn numbers_are_written_as_serde_json_writes_them(
            bits in proptest::num::u64::ANY,
            tenths in -2_000_000_000_i64..2_000_000_000,
            scale in 0_i32..16,
        ) {
            let rounded = tenths as f64 / 10.0;
            // Coordinates and distances with one to seven decimals.
            let decimals: Vec<f64> = (0..=8).map(|k| tenths as f64 / 10f64.powi(k)).collect();
            for x in decimals.into_iter().chain([
                f64::from_bits(bits),
                rounded,
                (rounded * 10f64.powi(scale)).round(),
                rounded / 10f64.powi(scale),
                -0.0,
                0.0,
                99_999_999_999_999.9,
                1e14,
                1e15,
                1e8,
                99_999_999.999_999_9,
                0.001,
                0.000_999_9,
                0.000_1,
                0.000_015,
                0.000_000_3,
                0.001_234_567,
                39.8153,
                -46.7519,
            ]) {
                let expected = if x.is_finite() { serde_json::to_string(&x).unwrap() } else { "null".into() };
                proptest::prop_assert_eq!(
                    written(|w| w.number("x", Some(x))),
                    format!("{{\"x\":{expected}}}")
                );
            }
        }

        #[test]
        fn strings_are_written_as_serde_json_writes_them(s in "\\PC*|[\\x00-\\x7f]{0,12}") {
            proptest::prop_assert_eq!(
                written(|w| w.string("s", Some(&s))),
                format!("{{\"s\":{}}}", serde_json::to_string(&s).unwrap())
            );
        }
    }

    #[test]
    fn days_are_written_as_their_serde_form() {
        for d in ["2020-11-10", "0001-01-01", "9999-12-31"] {
            let day: Day = d.parse().unwrap();
            assert_eq!(
                written(|w| w.day("d", Some(day))),
                format!("{{\"d\":\"{d}\"}}")
            );
        }
        assert_eq!(written(|w| w.day("d", None)), r#"{"d":null}"#);
    }
}
