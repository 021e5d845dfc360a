//! Query-string parameters read strictly: unknown names, repeats, bad numbers
//! and impossible dates are 400s that name the parameter. A small wrapper
//! over `form_urlencoded`, which splits and decodes (borrowing values that
//! need no decoding); numbers and dates are read by `locate::input`.

use std::borrow::Cow;
use std::ops::RangeInclusive;

use crate::api::ApiError;
use crate::date::Day;
use crate::locate::input;

/// The most parameter names one endpoint takes (the verdict takes six).
const MAX_NAMES: usize = 8;

/// The data set version a versioned URL is pinned to. Every data endpoint
/// takes it; the caching layer (`server::headers`), which knows the version
/// served, checks it and marks matching answers immutable.
pub const VERSION: &str = "v";

/// Whether `path` serves data that a URL can pin with [`VERSION`]: every
/// route under `/api/` and `/ogc`. The caching layer checks the pin on these;
/// the `OpenAPI` document lists the parameter on them.
pub fn pinnable(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/ogc")
}

/// Decoded query parameters, each in the slot of its name, borrowed from the
/// request's query string unless percent-escapes forced a copy. Reading a
/// query is one pass that allocates nothing in the usual case.
#[derive(Debug)]
pub struct Params<'a> {
    names: &'static [&'static str],
    values: [Option<Cow<'a, str>>; MAX_NAMES],
    version_given: bool,
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
            version_given: false,
        };
        for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            params.set(&k, v)?;
        }
        Ok(params)
    }

    fn set(&mut self, key: &str, value: Cow<'a, str>) -> Result<(), ApiError> {
        if key == VERSION && self.slot(key).is_none() {
            if std::mem::replace(&mut self.version_given, true) {
                return Err(ApiError::param(
                    key,
                    "parameter 'v' is given more than once",
                ));
            }
            return Ok(());
        }
        let Some(slot) = self.slot(key) else {
            // A link pasted into the query unencoded: its own `&` split it.
            let split_link = self.values.iter().flatten().any(|v| v.contains("://"));
            return Err(ApiError::param(
                key,
                format!(
                    "unknown parameter '{key}'; expected one of: {}{}",
                    self.names
                        .iter()
                        .chain([&VERSION])
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", "),
                    if split_link {
                        " (a link given as a parameter must be percent-encoded, or its '&' starts \
                         new parameters: curl -G --data-urlencode 'q=…')"
                    } else {
                        ""
                    }
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
        self.names.iter().position(|n| *n == key)
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

    /// A date, if present and not empty.
    pub fn day(&self, key: &str) -> Result<Option<Day>, ApiError> {
        Ok(self
            .get(key)
            .map(|v| input::day(key, v))
            .transpose()?
            .flatten())
    }

    /// A value read with its `FromStr`, if present; its error is the 400's message.
    pub fn parsed<T>(&self, key: &str) -> Result<Option<T>, ApiError>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
    {
        self.get(key)
            .map(|v| {
                v.parse()
                    .map_err(|e: T::Err| ApiError::param(key, e.to_string()))
            })
            .transpose()
    }

    /// A whole number within `range`, if present.
    pub fn count(
        &self,
        key: &str,
        range: RangeInclusive<usize>,
    ) -> Result<Option<usize>, ApiError> {
        self.get(key)
            .map(|v| match v.trim().parse::<usize>() {
                Ok(n) if range.contains(&n) => Ok(n),
                _ => Err(ApiError::param(
                    key,
                    format!(
                        "{key} must be a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                )),
            })
            .transpose()
    }
}

/// A finite number from text, or a 400 naming `key`.
pub fn parse_number(key: &str, v: &str) -> Result<f64, ApiError> {
    Ok(input::number(key, v)?)
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
    fn a_link_split_by_its_own_ampersand_is_explained() {
        let e = Params::parse(Some("q=https://yandex.ru/maps/?pt=46.8,40.0&z=14"), NAMES)
            .unwrap_err()
            .to_string();
        assert!(e.contains("'z'") && e.contains("percent-encoded"), "{e}");
        let e = Params::parse(Some("q=Parukh&z=14"), NAMES)
            .unwrap_err()
            .to_string();
        assert!(!e.contains("percent-encoded"), "{e}");
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
