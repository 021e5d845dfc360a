//! Coordinate notations: reading a point from any usual way of writing it,
//! and writing points back.
//!
//! - [`angles`]: decimal degrees, degrees-minutes-seconds and degrees-decimal-minutes,
//!   with or without hemisphere letters, in either order.
//! - [`url`]: map links (Google, OpenStreetMap, Yandex, 2GIS, Apple, Bing,
//!   Wikipedia's coordinate pages) and `geo:` URIs.
//! - [`grid`]: MGRS and UTM, through the `mgrs-convert` crate.
//! - [`format`]: decimal, DMS, DDM and MGRS output.
//!
//! [`parse`] tries each notation in turn and answers every reading it finds:
//! one when the text fixes the axes, two (flagged ambiguous, written order
//! first) when a bare pair could be latitude-longitude or longitude-latitude.
//! Owns notations only: which reading a caller acts on is `resolve`'s choice.

pub mod angles;
pub mod format;
pub mod grid;
pub mod url;

use serde::Serialize;

use crate::geodesy::LonLat;

pub use format::{format_ddm, format_decimal, format_dms, format_mgrs};

/// Longest input accepted, in characters.
pub const MAX_INPUT_CHARS: usize = 500;

/// The data's region (`[min_lon, min_lat, max_lon, max_lat]`): Nagorno-Karabakh
/// and its surroundings, used to say which of two readings lies where the data is.
pub const REGION: [f64; 4] = [44.5, 38.3, 47.8, 41.0];

/// Why a text is not a usable coordinate.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoordError {
    /// Nothing to read.
    #[error("the input is empty")]
    Empty,
    /// Longer than [`MAX_INPUT_CHARS`].
    #[error("the input is {0} characters long; the limit is {MAX_INPUT_CHARS}")]
    TooLong(usize),
    /// Not a notation this parser knows.
    #[error("'{0}' is not a coordinate: expected decimal degrees, DMS/DDM, a map link or geo: URI, GeoJSON [lon, lat], MGRS or UTM")]
    Unrecognised(String),
    /// A latitude beyond ±90 or a longitude beyond ±180.
    #[error("{axis} {value} is out of range ({range})")]
    OutOfRange {
        /// `latitude` or `longitude`.
        axis: &'static str,
        /// The value read.
        value: f64,
        /// The allowed range.
        range: &'static str,
    },
    /// Neither order of a bare pair is a valid position.
    #[error("neither {0}, {1} (latitude, longitude) nor the reverse is a valid position: latitude must be within ±90 and longitude within ±180")]
    PairOutOfRange(f64, f64),
    /// Minutes or seconds of 60 or more.
    #[error("{part} {value} must be less than 60")]
    SixtyOrMore {
        /// `minutes` or `seconds`.
        part: &'static str,
        /// The value read.
        value: f64,
    },
    /// Both a sign and a hemisphere letter, disagreeing or doubled.
    #[error("'{0}' has both a minus sign and a hemisphere letter; give one")]
    SignAndHemisphere(String),
    /// Two latitudes or two longitudes.
    #[error("both values are {0}s; give one latitude and one longitude")]
    SameAxis(&'static str),
    /// A link without coordinates in it.
    #[error("the link has no coordinates this parser understands (Google Maps @lat,lon / ?q=lat,lon / !3d!4d, OpenStreetMap #map= / mlat= mlon=, Yandex Maps pt= / ll=, 2GIS m=, Apple Maps ll=, Bing Maps cp=, Wikipedia params=, geo:lat,lon)")]
    UrlWithoutCoordinates,
    /// An MGRS or UTM reference the grid library rejects.
    #[error("grid reference '{input}': {reason}")]
    Grid {
        /// The reference as given.
        input: String,
        /// Why it was rejected.
        reason: String,
    },
}

/// The notation a point was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Notation {
    /// Decimal degrees.
    Decimal,
    /// Degrees, minutes and seconds.
    Dms,
    /// Degrees and decimal minutes.
    Ddm,
    /// A Google Maps link.
    GoogleMaps,
    /// An OpenStreetMap link.
    OpenStreetMap,
    /// A Yandex Maps link (longitude first).
    YandexMaps,
    /// A 2GIS link (longitude first).
    TwoGis,
    /// An Apple Maps link.
    AppleMaps,
    /// A Bing Maps link.
    BingMaps,
    /// Wikipedia's coordinate link (`geohack.toolforge.org`).
    Wikipedia,
    /// A `geo:` URI (RFC 5870).
    GeoUri,
    /// A `GeoJSON` position `[lon, lat]`.
    GeoJson,
    /// A Military Grid Reference System reference.
    Mgrs,
    /// Universal Transverse Mercator zone, easting, northing.
    Utm,
}

impl Notation {
    /// The snake-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// A link notation as people name it.
    pub fn link_name(self) -> &'static str {
        match self {
            Notation::GoogleMaps => "Google Maps link",
            Notation::OpenStreetMap => "OpenStreetMap link",
            Notation::YandexMaps => "Yandex Maps link",
            Notation::TwoGis => "2GIS link",
            Notation::AppleMaps => "Apple Maps link",
            Notation::BingMaps => "Bing Maps link",
            Notation::Wikipedia => "Wikipedia coordinate link",
            Notation::GeoUri => "geo: URI",
            _ => self.as_str(),
        }
    }
}

/// Axis order of a reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Latitude first.
    LatLon,
    /// Longitude first.
    LonLat,
    /// Fixed by hemisphere letters, labels or the notation itself.
    Explicit,
}

/// One way to read the input.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Reading {
    /// The point.
    #[serde(skip)]
    pub at: LonLat,
    /// `[lon, lat]`.
    pub coordinates: [f64; 2],
    /// The axis order assumed.
    pub order: Order,
    /// Whether the point lies in the data's [`REGION`].
    pub in_region: bool,
}

impl Reading {
    /// A reading of a checked point.
    pub fn new(at: LonLat, order: Order) -> Self {
        Reading {
            at,
            coordinates: [at.lon, at.lat],
            order,
            in_region: in_region(at),
        }
    }
}

/// Every reading of one input.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Parsed {
    /// The notation recognised.
    pub notation: Notation,
    /// One reading, or two when `ambiguous` (written order first).
    pub readings: Vec<Reading>,
    /// Whether the axis order could not be told.
    pub ambiguous: bool,
    /// What was understood, for people.
    pub description: String,
}

impl Parsed {
    /// The first reading (the only one unless ambiguous).
    pub fn first(&self) -> &Reading {
        &self.readings[0]
    }

    /// The reading a caller acting on one point should take: the only one,
    /// else the only one in the region, else the written order.
    pub fn preferred(&self) -> &Reading {
        let inside: Vec<&Reading> = self.readings.iter().filter(|r| r.in_region).collect();
        match inside[..] {
            [one] => one,
            _ => self.first(),
        }
    }
}

/// Whether a point lies in the data's region.
pub fn in_region(at: LonLat) -> bool {
    at.lon >= REGION[0] && at.lon <= REGION[2] && at.lat >= REGION[1] && at.lat <= REGION[3]
}

/// Reads a point in any supported notation.
pub fn parse(input: &str) -> Result<Parsed, CoordError> {
    let n = input.chars().count();
    if n > MAX_INPUT_CHARS {
        return Err(CoordError::TooLong(n));
    }
    let s = input.trim();
    if s.is_empty() {
        return Err(CoordError::Empty);
    }
    if url::looks_like_url(s) {
        return url::parse(s);
    }
    if let Some(p) = geojson_position(s)? {
        return Ok(p);
    }
    if let Some(p) = grid::parse(s)? {
        return Ok(p);
    }
    angles::parse(s)
}

/// A checked point from latitude and longitude.
pub fn checked(lat: f64, lon: f64) -> Result<LonLat, CoordError> {
    if !LonLat::is_latitude(lat) {
        return Err(CoordError::OutOfRange {
            axis: "latitude",
            value: lat,
            range: "-90 to 90",
        });
    }
    if !LonLat::is_longitude(lon) {
        return Err(CoordError::OutOfRange {
            axis: "longitude",
            value: lon,
            range: "-180 to 180",
        });
    }
    Ok(LonLat::new(lon, lat))
}

/// `[lon, lat]`, optionally inside a `GeoJSON` Point object.
fn geojson_position(s: &str) -> Result<Option<Parsed>, CoordError> {
    let inner = if s.starts_with('{') && s.contains("coordinates") {
        match (s.find('['), s.rfind(']')) {
            (Some(a), Some(b)) if a < b => &s[a..=b],
            _ => return Ok(None),
        }
    } else {
        s
    };
    let Some(body) = inner.strip_prefix('[').and_then(|r| r.strip_suffix(']')) else {
        return Ok(None);
    };
    let parts: Vec<&str> = body.split(',').map(str::trim).collect();
    if !(2..=3).contains(&parts.len()) {
        return Ok(None);
    }
    let (Ok(lon), Ok(lat)) = (parts[0].parse::<f64>(), parts[1].parse::<f64>()) else {
        return Ok(None);
    };
    let at = checked(lat, lon)?;
    Ok(Some(Parsed {
        notation: Notation::GeoJson,
        readings: vec![Reading::new(at, Order::Explicit)],
        ambiguous: false,
        description: format!("GeoJSON position [lon, lat]: latitude {lat}, longitude {lon}"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geojson_positions_are_longitude_first() {
        let p = parse("[46.8011, 40.0194]").expect("parse");
        assert_eq!(p.notation, Notation::GeoJson);
        assert!((p.first().at.lat - 40.0194).abs() < 1e-9);
        let p = parse(r#"{"type":"Point","coordinates":[46.8011,40.0194]}"#).expect("parse");
        assert!((p.first().at.lon - 46.8011).abs() < 1e-9);
    }

    #[test]
    fn empty_and_overlong_inputs_are_errors() {
        assert_eq!(parse("  "), Err(CoordError::Empty));
        assert!(matches!(
            parse(&"1".repeat(600)),
            Err(CoordError::TooLong(600))
        ));
    }
}
