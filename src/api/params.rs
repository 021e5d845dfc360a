//! Query-string parameters read strictly: unknown names, repeats, bad numbers
//! and impossible dates are 400s that name the parameter.

use std::borrow::Cow;

use crate::api::ApiError;
use crate::date::Day;
use crate::geodesy::LonLat;

/// The most parameter names one endpoint takes (the verdict takes six).
const MAX_NAMES: usize = 8;

/// Decoded query parameters, each in the slot of its name, borrowed from the
/// request's query string unless percent-escapes forced a copy. Reading a
/// query is one pass that allocates nothing in the usual case.
#[derive(Debug)]
pub struct Params<'a> {
    names: &'static [&'static str],
    values: [Option<Cow<'a, str>>; MAX_NAMES],
}

impl<'a> Params<'a> {
    /// Reads `a=1&b=x%20y` (no leading `?`; `None` is an empty query) for an
    /// endpoint taking the parameters `names`: any other name, or a name
    /// given twice, is a 400 that names it.
    pub fn parse(query: Option<&'a str>, names: &'static [&'static str]) -> Result<Self, ApiError> {
        assert!(
            names.len() <= MAX_NAMES,
            "raise MAX_NAMES to {}",
            names.len()
        );
        let mut params = Params {
            names,
            values: Default::default(),
        };
        for_each_pair(query.unwrap_or(""), |k, v| params.set(&k, v))?;
        Ok(params)
    }

    fn set(&mut self, key: &str, value: Cow<'a, str>) -> Result<(), ApiError> {
        let Some(slot) = self.slot(key) else {
            return Err(ApiError::param(
                key,
                format!(
                    "unknown parameter '{key}'; expected one of: {}",
                    self.names.join(", ")
                ),
            ));
        };
        if self.values[slot].is_some() {
            return Err(ApiError::param(
                key,
                format!("parameter '{key}' is given more than once"),
            ));
        }
        self.values[slot] = Some(value);
        Ok(())
    }

    fn slot(&self, key: &str) -> Option<usize> {
        // Names are a few bytes: comparing in line beats calling `memcmp`.
        let same =
            |n: &str| n.len() == key.len() && n.bytes().zip(key.bytes()).all(|(x, y)| x == y);
        self.names.iter().position(|n| same(n))
    }

    /// The raw value of a parameter; `key` must be one of the names given
    /// to [`Params::parse`].
    pub fn get(&self, key: &str) -> Option<&str> {
        let slot = self.slot(key);
        debug_assert!(slot.is_some(), "'{key}' is not among {:?}", self.names);
        self.values[slot?].as_deref()
    }

    /// A finite number, if present.
    pub fn number(&self, key: &str) -> Result<Option<f64>, ApiError> {
        self.get(key).map(|v| parse_number(key, v)).transpose()
    }

    /// A date, if present.
    pub fn day(&self, key: &str) -> Result<Option<Day>, ApiError> {
        self.get(key)
            .filter(|v| !v.is_empty())
            .map(|v| {
                v.parse::<Day>()
                    .map_err(|e| ApiError::param(key, e.to_string()))
            })
            .transpose()
    }

    /// A non-negative integer, if present.
    pub fn count(&self, key: &str, max: usize) -> Result<Option<usize>, ApiError> {
        self.get(key)
            .map(|v| match v.trim().parse::<usize>() {
                Ok(n) if n <= max => Ok(n),
                _ => Err(ApiError::param(
                    key,
                    format!("{key} must be a whole number from 0 to {max}"),
                )),
            })
            .transpose()
    }
}

/// Calls `f` on each `(name, value)` of a query in order, with
/// `form_urlencoded`'s rules (empty pieces skipped, the first `=` separates,
/// `%XX` and `+` decoded). Pieces with nothing to decode, the usual case,
/// are split in place in one pass over the bytes.
fn for_each_pair<'a, E>(
    query: &'a str,
    mut f: impl FnMut(Cow<'a, str>, Cow<'a, str>) -> Result<(), E>,
) -> Result<(), E> {
    // The bytes that matter; testing for them first keeps the loop to one
    // well-predicted branch per byte.
    const SPECIAL: [bool; 256] = {
        let mut t = [false; 256];
        t[b'=' as usize] = true;
        t[b'%' as usize] = true;
        t[b'+' as usize] = true;
        t[b'&' as usize] = true;
        t
    };
    // One piece, `start..end`, split at ASCII bytes, so on character
    // boundaries; `eq` is its first `=`.
    let mut pair = |start: usize, end: usize, eq: Option<usize>, plain: bool| {
        if start == end {
            return Ok(());
        }
        let (k, v) = if plain {
            let (k, v) = match eq {
                Some(e) => (&query[start..e], &query[e + 1..end]),
                None => (&query[start..end], ""),
            };
            (Cow::Borrowed(k), Cow::Borrowed(v))
        } else {
            // One piece holds exactly one pair.
            form_urlencoded::parse(&query.as_bytes()[start..end])
                .next()
                .unwrap_or_default()
        };
        f(k, v)
    };
    let (mut start, mut eq, mut plain) = (0, None, true);
    for (i, &b) in query.as_bytes().iter().enumerate() {
        if !SPECIAL[usize::from(b)] {
            continue;
        }
        match b {
            b'&' => {
                pair(start, i, eq, plain)?;
                (start, eq, plain) = (i + 1, None, true);
            }
            b'=' => {
                if eq.is_none() {
                    eq = Some(i);
                }
            }
            // `%` or `+`.
            _ => plain = false,
        }
    }
    pair(start, query.len(), eq, plain)
}

/// A finite number from text.
pub fn parse_number(key: &str, v: &str) -> Result<f64, ApiError> {
    if let Some(x) = plain_decimal(v.as_bytes()) {
        return Ok(x);
    }
    match v.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        Ok(_) => Err(ApiError::param(
            key,
            format!("{key} must be a finite number, not '{v}'"),
        )),
        Err(_) => Err(ApiError::param(
            key,
            format!("{key} must be a number, got '{}'", truncate(v)),
        )),
    }
}

/// `-?D+(.D+)?` with at most 15 digits in all (coordinates as people
/// write them), read without the general parser: the digits as an integer
/// and the power of ten are both exact doubles, so one correctly rounded
/// division gives the double nearest the decimal, the very value
/// `str::parse` returns (Clinger's fast path). `None` for anything else.
fn plain_decimal(s: &[u8]) -> Option<f64> {
    const MAX_DIGITS: usize = 15;
    const POW10: [f64; MAX_DIGITS + 1] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (negative, text) = match s {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, s),
    };
    let (mut mantissa, mut digits, mut point) = (0_u64, 0, None);
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'0'..=b'9' if digits < MAX_DIGITS => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                digits += 1;
            }
            b'.' if point.is_none() && i > 0 => point = Some(i),
            _ => return None,
        }
    }
    let decimals = match point {
        Some(p) if p + 1 == text.len() => return None,
        Some(p) => text.len() - p - 1,
        None if digits == 0 => return None,
        None => 0,
    };
    #[allow(clippy::cast_precision_loss)] // below 10^15 < 2^53: exact
    let x = mantissa as f64 / POW10[decimals];
    Some(if negative { -x } else { x })
}

fn truncate(v: &str) -> String {
    v.chars().take(40).collect()
}

/// A checked position from latitude and longitude in degrees.
pub fn lon_lat(lat: f64, lon: f64) -> Result<LonLat, ApiError> {
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return Err(ApiError::param(
            "lat",
            format!("lat must be between -90 and 90, got {lat}"),
        ));
    }
    if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
        return Err(ApiError::param(
            "lon",
            format!("lon must be between -180 and 180, got {lon}"),
        ));
    }
    Ok(LonLat::new(lon, lat))
}

/// The caller's uncertainty in metres (0 to 100 km).
pub fn uncertainty(v: Option<f64>) -> Result<f64, ApiError> {
    match v {
        None => Ok(0.0),
        Some(u) if (0.0..=100_000.0).contains(&u) => Ok(u),
        Some(u) => Err(ApiError::param(
            "uncertainty_m",
            format!("uncertainty_m must be 0 to 100000 metres, got {u}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &["q", "lat", "date", "p0"];

    #[test]
    fn decodes_escapes_and_plus_and_borrows_plain_values() {
        let p = Params::parse(Some("q=Parukh+%2F%20Farrukh&lat=39.8&date="), NAMES).unwrap();
        assert_eq!(p.get("q"), Some("Parukh / Farrukh"));
        assert_eq!(p.number("lat").unwrap(), Some(39.8));
        assert_eq!(p.day("date").unwrap(), None);
        assert!(Params::parse(None, NAMES).unwrap().get("q").is_none());
        let plain = Params::parse(Some("lat=39.8"), NAMES).unwrap();
        assert!(matches!(plain.values[1], Some(Cow::Borrowed("39.8"))));
    }

    #[test]
    fn the_plain_fast_path_reads_like_form_urlencoded() {
        for q in [
            "",
            "&",
            "a=1",
            "a=1&&b=2&",
            "a",
            "a=&=b",
            "a=b=c&d",
            "lat=39.8&lon=46.7&date=2022-03-25&compact=1",
            "x=%41+b&y=1",
            // Escaped and plain pieces mixed, and an escaped `=` in a name.
            "a=1&b=%20&c&k%3D=v%3Dw&=&d=+",
        ] {
            let expected: Vec<(String, String)> = form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            let mut got = Vec::new();
            for_each_pair(q, |k, v| {
                got.push((k.into_owned(), v.into_owned()));
                Ok::<(), ()>(())
            })
            .unwrap();
            assert_eq!(got, expected, "{q}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 4_000,
            failure_persistence: None,
            ..Default::default()
        })]

        /// The fast path reads every number it accepts as `str::parse`
        /// does, and gives way on anything else (bad or unusual forms go
        /// to the general parser and its errors).
        #[test]
        fn plain_decimals_read_as_str_parse_reads_them(
            text in "-?[0-9]{0,18}(\\.[0-9]{0,18})?|[-+.0-9eE ]{0,12}",
            bits in proptest::num::u64::ANY,
            micro in -180_000_000_i64..180_000_000,
        ) {
            let shortest = f64::from_bits(bits).to_string();
            let coordinate = format!("{}", micro as f64 / 1e6);
            for t in [text.as_str(), &shortest, &coordinate] {
                if let Some(x) = plain_decimal(t.as_bytes()) {
                    let expected: f64 = t.parse().unwrap();
                    proptest::prop_assert_eq!(x.to_bits(), expected.to_bits(), "{}", t);
                }
            }
            // Coordinates as typed always take the fast path.
            proptest::prop_assert!(plain_decimal(coordinate.as_bytes()).is_some());
        }
    }

    #[test]
    fn plain_decimals_cover_the_usual_forms_only() {
        for (t, x) in [
            ("39.8153", 39.8153),
            ("-46.7519", -46.7519),
            ("0", 0.0),
            ("7", 7.0),
        ] {
            assert_eq!(plain_decimal(t.as_bytes()), Some(x), "{t}");
        }
        assert_eq!(
            plain_decimal(b"-0").map(f64::to_bits),
            Some((-0.0_f64).to_bits())
        );
        for t in [
            "",
            "-",
            ".5",
            "5.",
            "1.2.3",
            "+1",
            " 1",
            "1e5",
            "NaN",
            "1234567890123456",
        ] {
            assert_eq!(plain_decimal(t.as_bytes()), None, "{t}");
        }
    }

    #[test]
    fn unknown_and_repeated_parameters_are_named_in_the_error() {
        let e = Params::parse(Some("lat=1&date=2&lat=3"), NAMES)
            .unwrap_err()
            .to_string();
        assert!(e.contains("'lat'") && e.contains("more than once"), "{e}");
        let e = Params::parse(Some("latt=1"), NAMES)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("unknown parameter 'latt'") && e.contains("q, lat, date, p0"),
            "{e}"
        );
        // A repeat spelt differently is still a repeat once decoded.
        let e = Params::parse(Some("q=a&%71=b"), NAMES)
            .unwrap_err()
            .to_string();
        assert!(e.contains("'q'") && e.contains("more than once"), "{e}");
    }

    #[test]
    fn a_long_query_fails_at_its_first_unknown_name_without_reading_on() {
        let many: Vec<String> = (0..1000).map(|i| format!("p{i}=1")).collect();
        let e = Params::parse(Some(&many.join("&")), NAMES)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown parameter 'p1'"), "{e}");
    }
}
