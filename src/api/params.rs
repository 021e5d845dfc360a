//! Query-string parameters read strictly: unknown names, repeats, bad numbers
//! and impossible dates are 400s that name the parameter.

use std::borrow::Cow;

use crate::api::ApiError;
use crate::date::Day;
use crate::geodesy::LonLat;

/// At most this many parameters are read; no endpoint takes more than six.
const MAX_PARAMS: usize = 16;

/// Decoded query parameters in order, borrowed from the request's query
/// string unless percent-escapes forced a copy, and held inline: reading a
/// query allocates nothing in the usual case.
#[derive(Debug)]
pub struct Params<'a> {
    pairs: [(Cow<'a, str>, Cow<'a, str>); MAX_PARAMS],
    len: usize,
    /// More than [`MAX_PARAMS`] were given; [`Params::only`] refuses them.
    overflow: bool,
}

impl<'a> Params<'a> {
    /// Decodes `a=1&b=x%20y` (no leading `?`); `None` is an empty query.
    pub fn parse(query: Option<&'a str>) -> Self {
        let query = query.unwrap_or("");
        let mut params = Params {
            pairs: std::array::from_fn(|_| (Cow::Borrowed(""), Cow::Borrowed(""))),
            len: 0,
            overflow: false,
        };
        if query.bytes().any(|b| b == b'%' || b == b'+') {
            params.extend(form_urlencoded::parse(query.as_bytes()));
        } else {
            // Nothing to decode (the usual case): split in place, with
            // `form_urlencoded`'s rules (empty pieces skipped, the first `=`
            // separates).
            params.extend(query.split('&').filter(|p| !p.is_empty()).map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (Cow::Borrowed(k), Cow::Borrowed(v))
            }));
        }
        params
    }

    fn extend(&mut self, pairs: impl Iterator<Item = (Cow<'a, str>, Cow<'a, str>)>) {
        for pair in pairs {
            if self.len == MAX_PARAMS {
                self.overflow = true;
                return;
            }
            self.pairs[self.len] = pair;
            self.len += 1;
        }
    }

    fn pairs(&self) -> &[(Cow<'a, str>, Cow<'a, str>)] {
        &self.pairs[..self.len]
    }

    /// Fails on any parameter not in `allowed`, or given twice.
    pub fn only(&self, allowed: &[&str]) -> Result<(), ApiError> {
        if self.overflow {
            return Err(ApiError::param(
                "query",
                format!("too many query parameters; at most {MAX_PARAMS} are read"),
            ));
        }
        let pairs = self.pairs();
        for (i, (k, _)) in pairs.iter().enumerate() {
            if !allowed.contains(&k.as_ref()) {
                return Err(ApiError::param(
                    k,
                    format!(
                        "unknown parameter '{k}'; expected one of: {}",
                        allowed.join(", ")
                    ),
                ));
            }
            if pairs[..i].iter().any(|(p, _)| p == k) {
                return Err(ApiError::param(
                    k,
                    format!("parameter '{k}' is given more than once"),
                ));
            }
        }
        Ok(())
    }

    /// The raw value of a parameter.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
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

/// A finite number from text.
pub fn parse_number(key: &str, v: &str) -> Result<f64, ApiError> {
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

    #[test]
    fn decodes_escapes_and_plus_and_borrows_plain_values() {
        let p = Params::parse(Some("q=Parukh+%2F%20Farrukh&lat=39.8&date="));
        assert_eq!(p.get("q"), Some("Parukh / Farrukh"));
        assert!(matches!(p.pairs()[1].1, Cow::Borrowed("39.8")));
        assert_eq!(p.number("lat").unwrap(), Some(39.8));
        assert_eq!(p.day("date").unwrap(), None);
        assert!(Params::parse(None).get("q").is_none());
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
        ] {
            let expected: Vec<(String, String)> = form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            let got: Vec<(String, String)> = Params::parse(Some(q))
                .pairs()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            assert_eq!(got, expected, "{q}");
        }
    }

    #[test]
    fn unknown_and_repeated_parameters_are_named_in_the_error() {
        let p = Params::parse(Some("lat=1&lon=2&lat=3"));
        let e = p.only(&["lat", "lon"]).unwrap_err().to_string();
        assert!(e.contains("'lat'") && e.contains("more than once"), "{e}");
        let e = Params::parse(Some("latt=1"))
            .only(&["lat"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown parameter 'latt'"), "{e}");
    }

    #[test]
    fn more_parameters_than_any_endpoint_takes_are_refused() {
        let many: Vec<String> = (0..=MAX_PARAMS).map(|i| format!("p{i}=1")).collect();
        let sixteen = many[..MAX_PARAMS].join("&");
        let p = Params::parse(Some(&sixteen));
        assert!(p
            .only(&[])
            .unwrap_err()
            .to_string()
            .contains("unknown parameter"));
        let e = Params::parse(Some(&many.join("&")))
            .only(&["p0"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("too many query parameters"), "{e}");
    }
}
