//! What a verdict query accepts, whoever asks (a query string, a batch row,
//! the command line): a position in range, a caller's uncertainty in range,
//! numbers and dates read from text. Each failure is an [`InputError`] that
//! names the field, which the HTTP layer answers as a 400.

use crate::date::Day;
use crate::geodesy::LonLat;

/// The largest uncertainty a caller may state, metres.
pub const MAX_UNCERTAINTY_M: f64 = 100_000.0;

/// A field of a query that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InputError {
    /// The field at fault (`lat`, `date`, …).
    pub field: String,
    /// What is wrong with it, for people.
    pub message: String,
}

impl InputError {
    /// The error for `field`.
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        InputError {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// A finite number from text (surrounding spaces allowed).
pub fn number(field: &str, text: &str) -> Result<f64, InputError> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        Ok(_) => Err(InputError::new(
            field,
            format!("{field} must be a finite number, not '{text}'"),
        )),
        Err(_) => Err(InputError::new(
            field,
            format!(
                "{field} must be a number, got '{}'",
                text.chars().take(40).collect::<String>()
            ),
        )),
    }
}

/// A day from `YYYY-MM-DD` text; empty text is no day.
pub fn day(field: &str, text: &str) -> Result<Option<Day>, InputError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|e: crate::date::DateError| InputError::new(field, e.to_string()))
}

/// A checked position from latitude and longitude in degrees.
pub fn position(lat: f64, lon: f64) -> Result<LonLat, InputError> {
    if !LonLat::is_latitude(lat) {
        return Err(InputError::new(
            "lat",
            format!("lat must be between -90 and 90, got {lat}"),
        ));
    }
    if !LonLat::is_longitude(lon) {
        return Err(InputError::new(
            "lon",
            format!("lon must be between -180 and 180, got {lon}"),
        ));
    }
    Ok(LonLat::new(lon, lat))
}

/// The caller's uncertainty in metres (none is 0; at most 100 km).
pub fn uncertainty(v: Option<f64>) -> Result<f64, InputError> {
    match v {
        None => Ok(0.0),
        Some(u) if (0.0..=MAX_UNCERTAINTY_M).contains(&u) => Ok(u),
        Some(u) => Err(InputError::new(
            "uncertainty_m",
            format!("uncertainty_m must be 0 to 100000 metres, got {u}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_dates_and_ranges_are_checked_and_name_their_field() {
        assert_eq!(number("lat", " 39.8153 "), Ok(39.8153));
        assert_eq!(
            number("lat", "abc").unwrap_err(),
            InputError::new("lat", "lat must be a number, got 'abc'")
        );
        assert_eq!(number("lon", "inf").unwrap_err().field, "lon");
        assert_eq!(day("date", " "), Ok(None));
        assert_eq!(day("date", "2022-03-25"), Ok("2022-03-25".parse().ok()));
        assert_eq!(day("date", "2022-02-30").unwrap_err().field, "date");
        assert_eq!(position(39.8, 46.7), Ok(LonLat::new(46.7, 39.8)));
        assert_eq!(position(91.0, 46.7).unwrap_err().field, "lat");
        assert_eq!(position(39.8, -181.0).unwrap_err().field, "lon");
        assert_eq!(uncertainty(None), Ok(0.0));
        assert_eq!(uncertainty(Some(-1.0)).unwrap_err().field, "uncertainty_m");
    }
}
