//! Reading the query of an items request: `bbox`, `datetime`, `limit` and
//! `offset`, each a 400 naming the parameter when it is malformed.
//!
//! Dates: validity is dated to the day (`valid_to` exclusive). A `datetime`
//! with a time of day is reduced to its calendar date as written (offsets are
//! checked, not applied), and an interval `a/b` is closed: it matches every
//! feature valid on at least one day from `a` to `b` inclusive. RFC 3339 text
//! is read by `jiff`.

use super::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::api::params::{parse_number, Params};
use crate::api::ApiError;
use crate::dataset::Feature;
use crate::date::Day;

/// A bounding box `[min_lon, min_lat, max_lon, max_lat]` in `CRS84`. A box
/// whose `min_lon` exceeds its `max_lon` crosses the antimeridian.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bbox(pub [f64; 4]);

impl Bbox {
    /// The one or two rectangles the box covers (two across the antimeridian).
    pub(super) fn rects(self) -> Vec<geo::Rect<f64>> {
        let [x0, y0, x1, y1] = self.0;
        let rect = |a: f64, b: f64| {
            geo::Rect::new(geo::coord! { x: a, y: y0 }, geo::coord! { x: b, y: y1 })
        };
        if x0 <= x1 {
            vec![rect(x0, x1)]
        } else {
            vec![rect(x0, 180.0), rect(-180.0, x1)]
        }
    }

    pub(super) fn envelope_hits(self, b: &[f64; 4]) -> bool {
        self.rects().iter().any(|r| {
            r.min().x <= b[2] && b[0] <= r.max().x && r.min().y <= b[3] && b[1] <= r.max().y
        })
    }
}

/// Parses `bbox=minLon,minLat,maxLon,maxLat` (`CRS84`, 2D only).
pub fn parse_bbox(s: &str) -> Result<Bbox, ApiError> {
    let parts: Vec<&str> = s.split(',').collect();
    if parts.len() != 4 {
        return Err(ApiError::param(
            "bbox",
            format!(
                "bbox must be four comma-separated numbers minLon,minLat,maxLon,maxLat; got {} value(s)",
                parts.len()
            ),
        ));
    }
    let mut v = [0.0; 4];
    for (slot, p) in v.iter_mut().zip(&parts) {
        *slot = parse_number("bbox", p)?;
    }
    let [x0, y0, x1, y1] = v;
    if [x0, x1].iter().any(|x| !(-180.0..=180.0).contains(x)) {
        return Err(ApiError::param(
            "bbox",
            "bbox longitudes must be between -180 and 180",
        ));
    }
    if [y0, y1].iter().any(|y| !(-90.0..=90.0).contains(y)) {
        return Err(ApiError::param(
            "bbox",
            "bbox latitudes must be between -90 and 90",
        ));
    }
    if y0 > y1 {
        return Err(ApiError::param(
            "bbox",
            "bbox minLat must not exceed maxLat",
        ));
    }
    Ok(Bbox(v))
}

/// A closed range of days; `None` ends are open (`..`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    /// First day matched.
    pub from: Option<Day>,
    /// Last day matched (inclusive).
    pub to: Option<Day>,
}

impl DayRange {
    /// Whether a feature valid on `[valid_from, valid_to)` shares a day with the range.
    pub fn matches(self, f: &Feature) -> bool {
        f.validity
            .overlaps(self.from, self.to.map(|d| d.plus_days(1)))
    }
}

/// Parses `datetime`: an instant (`2022-03-25`, `2022-03-25T10:00:00Z`) or an
/// interval `a/b` with `..` (or nothing) for an open end.
pub fn parse_datetime(s: &str) -> Result<DayRange, ApiError> {
    let s = s.trim();
    let bad = |m: String| ApiError::param("datetime", m);
    match s.split_once('/') {
        None => {
            if s == ".." || s.is_empty() {
                return Err(bad(
                    "datetime needs a date, or an interval such as 2022-01-01/2022-12-31".into(),
                ));
            }
            let d = parse_instant(s).map_err(bad)?;
            Ok(DayRange {
                from: Some(d),
                to: Some(d),
            })
        }
        Some((a, b)) => {
            let end = |x: &str| -> Result<Option<Day>, ApiError> {
                if x.is_empty() || x == ".." {
                    Ok(None)
                } else {
                    parse_instant(x).map(Some).map_err(bad)
                }
            };
            let (from, to) = (end(a)?, end(b)?);
            if from.is_none() && to.is_none() {
                return Err(bad(
                    "datetime interval '../..' must have at least one end".into()
                ));
            }
            if let (Some(f), Some(t)) = (from, to) {
                if f > t {
                    return Err(bad(format!(
                        "datetime interval starts ({f}) after it ends ({t})"
                    )));
                }
            }
            Ok(DayRange { from, to })
        }
    }
}

/// An RFC 3339 date or date-time, reduced to its calendar date as written
/// (a date-time must carry its offset, `Z` or `±HH:MM`, which is checked but
/// not applied: the data is dated to the day in local usage).
fn parse_instant(s: &str) -> Result<Day, String> {
    let shown = short(s);
    let pieces = jiff::fmt::temporal::Pieces::parse(s).map_err(|e| {
        format!("datetime '{shown}' is not an RFC 3339 date or date-time such as 2022-03-25 or 2022-03-25T00:00:00Z ({e})")
    })?;
    if pieces.time().is_some() && pieces.offset().is_none() {
        return Err(format!(
            "datetime '{shown}' has no offset; write it as 2022-03-25T10:00:00Z or with +04:00"
        ));
    }
    if pieces.time_zone_annotation().is_some() {
        return Err(format!(
            "datetime '{shown}' has a time zone annotation, which RFC 3339 does not allow"
        ));
    }
    let d = pieces.date();
    Day::from_ymd(i32::from(d.year()), d.month() as u32, d.day() as u32)
        .ok_or_else(|| format!("datetime '{shown}' is outside the years 1 to 9999"))
}

/// The parameters `/items` takes.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // The parameters' documentation; `Params` reads the values.
pub(super) struct ItemsQuery {
    /// The format: `json` or `geojson` (the same).
    #[param(example = "json")]
    f: Option<String>,
    /// `min_lon,min_lat,max_lon,max_lat` in CRS84 (four numbers; six with heights).
    #[param(example = "46.5,39.6,47.0,40.1")]
    bbox: Option<String>,
    /// An instant or an interval (`a/b`, `../b`, `a/..`) in RFC 3339, matched
    /// against the features' `valid_from`/`valid_to`.
    #[param(example = "2022-03-01/2022-04-01")]
    datetime: Option<String>,
    /// Page size, 1 to 10,000 (default 100; more is served as 10,000).
    #[param(minimum = 1)]
    limit: Option<u32>,
    /// Features to skip.
    #[param(minimum = 0)]
    offset: Option<u32>,
}
/// Its names, as `Params` takes them.
pub(super) static ITEMS: crate::api::openapi::QueryNames =
    crate::api::openapi::QueryNames::new(crate::api::openapi::query_names::<ItemsQuery>);

/// What an items request asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemQuery {
    /// Spatial filter.
    pub bbox: Option<Bbox>,
    /// Temporal filter against the features' validity.
    pub datetime: Option<DayRange>,
    /// Page size, 1 to [`MAX_LIMIT`].
    pub limit: usize,
    /// Matched features to skip.
    pub offset: usize,
}

impl Default for ItemQuery {
    fn default() -> Self {
        ItemQuery {
            bbox: None,
            datetime: None,
            limit: DEFAULT_LIMIT,
            offset: 0,
        }
    }
}

impl ItemQuery {
    /// Reads `bbox`, `datetime`, `limit` and `offset`; a `limit` above
    /// [`MAX_LIMIT`] is served as the maximum, as OGC asks.
    pub fn from_params(p: &Params) -> Result<Self, ApiError> {
        let whole = |key: &str| -> Result<Option<usize>, ApiError> {
            p.get(key)
                .map(|v| {
                    v.trim()
                        .parse::<u64>()
                        .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
                        .map_err(|_| {
                            ApiError::param(
                                key,
                                format!("{key} must be a whole number, got '{}'", short(v)),
                            )
                        })
                })
                .transpose()
        };
        let limit = match whole("limit")? {
            None => DEFAULT_LIMIT,
            Some(0) => {
                return Err(ApiError::param(
                    "limit",
                    format!("limit must be from 1 to {MAX_LIMIT}"),
                ))
            }
            Some(n) => n.min(MAX_LIMIT),
        };
        Ok(ItemQuery {
            bbox: p.get("bbox").map(parse_bbox).transpose()?,
            datetime: p.get("datetime").map(parse_datetime).transpose()?,
            limit,
            offset: whole("offset")?.unwrap_or(0),
        })
    }
}

pub(super) fn short(v: &str) -> String {
    v.chars().take(40).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn malformed_or_out_of_range_bboxes_are_rejected() {
        for bad in [
            "",
            "1,2,3",
            "1,2,3,4,5,6",
            "a,2,3,4",
            "NaN,2,3,4",
            "inf,2,3,4",
            "0,50,1,40",
            "0,-91,1,0",
            "-181,0,1,1",
        ] {
            let e = parse_bbox(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_parameter", "{bad}");
        }
    }

    #[test]
    fn malformed_or_impossible_datetimes_are_rejected() {
        for bad in [
            "",
            "..",
            "../..",
            "2022-02-30",
            "2022-3-1",
            "yesterday",
            "2022-03-25T25:00:00Z",
            "2022-03-25T10:00:00",
            "2022-03-25T10:00:00+4",
            "2022-03-26/2022-03-25",
            "2022-03-25/2022-13-01",
        ] {
            assert!(parse_datetime(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_date_time_is_read_as_the_calendar_date_written_in_its_offset() {
        let on = |s: &str| parse_datetime(s).unwrap().from.unwrap().to_string();
        assert_eq!(on("2022-03-25T23:30:00-05:00"), "2022-03-25");
        assert_eq!(on("2022-03-25T00:10:00+04:00"), "2022-03-25");
        // ISO 8601 lets the seconds go; jiff reads that too.
        assert_eq!(on("2022-03-25T10:00Z"), "2022-03-25");
    }

    #[test]
    fn limit_defaults_is_capped_and_rejects_zero_and_garbage() {
        let q = |s: &[(&str, &str)]| {
            let query: Vec<String> = s.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let query = query.join("&");
            ItemQuery::from_params(&Params::parse(Some(&query), &ITEMS).unwrap())
        };
        assert_eq!(q(&[]).unwrap().limit, DEFAULT_LIMIT);
        assert_eq!(q(&[("limit", "5")]).unwrap().limit, 5);
        assert!(q(&[("limit", "99999999999999999999999")]).is_err());
        assert_eq!(q(&[("limit", "20000")]).unwrap().limit, MAX_LIMIT);
        for bad in ["0", "-1", "1.5", "ten", ""] {
            assert!(q(&[("limit", bad)]).is_err(), "{bad}");
        }
        assert!(q(&[("offset", "-3")]).is_err());
    }
}
