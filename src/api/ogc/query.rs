//! Reading the query of an items request: `bbox`, `datetime`, `limit`,
//! `offset`, `filter` (see [`super::filter`]), property filters, `status_on`
//! and `status`, `properties` and `sortby`, each a 400 naming the parameter
//! when it is malformed or unknown.
//!
//! Dates: validity is dated to the day (`valid_to` exclusive). A `datetime`
//! with a time of day is reduced to its calendar date as written (offsets are
//! checked, not applied), and an interval `a/b` is closed: it matches every
//! feature valid on at least one day from `a` to `b` inclusive. RFC 3339 text
//! is read by `jiff`.

use super::filter::{self, Filter, Lang};
use super::queryables::{Kind, Schema};
use super::{CRS84, DEFAULT_LIMIT, MAX_LIMIT};
use crate::api::params::{parse_number, VERSION};
use crate::api::ApiError;
use crate::dataset::{ControlStatus, Feature};
use crate::date::Day;
use crate::geodesy::LonLat;

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
    if ![x0, x1].into_iter().all(LonLat::is_longitude) {
        return Err(ApiError::param(
            "bbox",
            "bbox longitudes must be between -180 and 180",
        ));
    }
    if ![y0, y1].into_iter().all(LonLat::is_latitude) {
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

/// The parameters every items request may take, documented for the
/// `OpenAPI` document; their names are the list `RawQuery::only` accepts
/// ([`ITEMS`]). `status_on` and `status` apply only where features have
/// control timelines ([`STATUS`]), and any queryable is a `name=value`
/// filter besides.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // The parameters' documentation; `RawQuery` reads the values.
pub(super) struct ItemsQuery {
    /// The format: `json`/`geojson` or `html` (a page), or the same page of
    /// features as a file, with all their properties: `kml` (Google Earth),
    /// `csv` (point layers) or `fgb` (FlatGeobuf). Without it the `Accept`
    /// header decides; JSON is the default.
    #[param(example = "json", pattern = "^(json|geojson|html|kml|csv|fgb)$")]
    f: Option<String>,
    /// `min_lon,min_lat,max_lon,max_lat` in CRS84; features whose geometry
    /// intersects it (`min_lon > max_lon` crosses the antimeridian).
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
    /// A CQL2 filter on the queryables: comparisons, `AND`/`OR`/`NOT`, `IN`,
    /// `BETWEEN`, `LIKE`, `IS NULL`, `S_INTERSECTS(geometry, …)`.
    #[param(example = "kind IN ('town','city')")]
    filter: Option<String>,
    /// The filter's encoding: `cql2-text` (default) or `cql2-json`.
    #[param(rename = "filter-lang", example = "cql2-text")]
    filter_lang: Option<String>,
    /// The CRS of the filter's geometries: only CRS84.
    #[param(rename = "filter-crs")]
    filter_crs: Option<String>,
    /// Comma-separated properties to return (the others are left out).
    #[param(example = "type,date")]
    properties: Option<String>,
    /// Comma-separated queryables to sort by; `-name` sorts descending.
    #[param(example = "-date")]
    sortby: Option<String>,
    /// Settlements and positions only: the day `status` applies to.
    #[param(value_type = Option<crate::date::Day>, example = "2022-03-25")]
    status_on: Option<String>,
    /// Settlements and positions only, with `status_on`: comma-separated
    /// control statuses (`zone`, `corridor`, `pending_handover`,
    /// `azerbaijan`, `armenia`).
    #[param(example = "azerbaijan")]
    status: Option<String>,
    /// With `f=kml|csv|fgb`: the language of the file's `name` column and
    /// labels (`display`, the neutral dual name, by default; `en`, `hy`,
    /// `az`, `ru`).
    #[param(inline)]
    lang: Option<crate::export::Lang>,
}
/// Its names, as `RawQuery::only` takes them.
pub(super) static ITEMS: crate::api::openapi::QueryNames =
    crate::api::openapi::QueryNames::new(crate::api::openapi::query_names::<ItemsQuery>);
/// The parameters of settlements and positions (their control timelines).
pub const STATUS: &[&str] = &["status_on", "status"];

/// A query string read by `form_urlencoded`, each name at most once.
#[derive(Debug, Default, Clone)]
pub struct RawQuery {
    pairs: Vec<(String, String)>,
}

impl RawQuery {
    /// Reads `a=1&b=x%20y`; a name given twice is a 400 naming it.
    pub fn parse(query: Option<&str>) -> Result<Self, ApiError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            if pairs.iter().any(|(seen, _)| *seen == k) {
                return Err(ApiError::param(
                    &k,
                    format!("parameter '{}' is given more than once", short(&k)),
                ));
            }
            pairs.push((k.into_owned(), v.into_owned()));
        }
        Ok(RawQuery { pairs })
    }

    /// The value of `key`, if given.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The query with `key` set to `value`, in its place if given, else at
    /// the end.
    #[must_use]
    pub fn with(&self, key: &str, value: &str) -> Self {
        let mut q = self.clone();
        match q.pairs.iter_mut().find(|(k, _)| k == key) {
            Some(pair) => value.clone_into(&mut pair.1),
            None => q.pairs.push((key.to_owned(), value.to_owned())),
        }
        q
    }

    /// Every `(name, value)` in the order given.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// A 400 naming the first parameter not in `allowed` (nor accepted by
    /// `also`); the data set version `v` that every data URL may carry is
    /// always allowed (the caching layer checks it).
    pub fn only(&self, allowed: &[&str], also: impl Fn(&str) -> bool) -> Result<(), ApiError> {
        match self
            .pairs
            .iter()
            .find(|(k, _)| k != VERSION && !allowed.contains(&k.as_str()) && !also(k))
        {
            None => Ok(()),
            Some((k, _)) => Err(ApiError::param(
                k,
                format!(
                    "unknown parameter '{}'; expected one of: {}",
                    short(k),
                    allowed.join(", ")
                ),
            )),
        }
    }
}

/// `status_on=DATE&status=a,b`: places whose control status on that day is one of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusOn {
    /// The day.
    pub day: Day,
    /// The statuses kept.
    pub statuses: Vec<ControlStatus>,
}

/// One `sortby` key: a queryable, ascending unless written `-name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    /// The property.
    pub name: String,
    /// Descending.
    pub descending: bool,
}

/// What an items request asks for.
#[derive(Debug, Clone)]
pub struct ItemQuery {
    /// Spatial filter.
    pub bbox: Option<Bbox>,
    /// Temporal filter against the features' validity.
    pub datetime: Option<DayRange>,
    /// Page size, 1 to [`MAX_LIMIT`].
    pub limit: usize,
    /// Matched features to skip.
    pub offset: usize,
    /// `filter` and the property filters, all of them.
    pub filter: Option<Filter>,
    /// Control status on a day.
    pub status: Option<StatusOn>,
    /// The properties to return (`None`: all).
    pub properties: Option<Vec<String>>,
    /// Sort keys, most significant first (none: layer order).
    pub sortby: Vec<SortKey>,
    /// Language of a file's names (`f=kml|csv|fgb`).
    pub lang: crate::export::Lang,
}

impl Default for ItemQuery {
    fn default() -> Self {
        ItemQuery {
            bbox: None,
            datetime: None,
            limit: DEFAULT_LIMIT,
            offset: 0,
            filter: None,
            status: None,
            properties: None,
            sortby: Vec::new(),
            lang: crate::export::Lang::default(),
        }
    }
}

fn whole(q: &RawQuery, key: &str) -> Result<Option<usize>, ApiError> {
    q.get(key)
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
}

/// The comma-separated items of a list parameter, trimmed, empty ones dropped.
fn list(v: &str) -> impl Iterator<Item = &str> {
    v.split(',').map(str::trim).filter(|s| !s.is_empty())
}

impl ItemQuery {
    /// Reads an items query against the collection's `schema`: the fixed
    /// parameters, `status_on`/`status` where they apply, and any queryable
    /// as a property filter; anything else is a 400. A `limit` above
    /// [`MAX_LIMIT`] is served as the maximum, as OGC asks.
    pub fn parse(q: &RawQuery, schema: &Schema) -> Result<Self, ApiError> {
        q.only(&ITEMS, |k| schema.get(k).is_some())?;
        if !schema.has_control {
            if let Some(k) = STATUS.iter().find(|k| q.get(k).is_some()) {
                return Err(ApiError::param(
                    k,
                    format!(
                        "'{k}' applies to places with a control timeline (settlements, positions)"
                    ),
                ));
            }
        }
        let limit = match whole(q, "limit")? {
            None => DEFAULT_LIMIT,
            Some(0) => {
                return Err(ApiError::param(
                    "limit",
                    format!("limit must be from 1 to {MAX_LIMIT}"),
                ))
            }
            Some(n) => n.min(MAX_LIMIT),
        };
        if let Some(crs) = q.get("filter-crs") {
            if crs != CRS84 {
                return Err(ApiError::param(
                    "filter-crs",
                    format!("filter-crs must be {CRS84}, the one CRS served"),
                ));
            }
        }
        let lang = Lang::parse(q.get("filter-lang"))?;
        let mut exprs = Vec::new();
        if let Some(text) = q.get("filter") {
            exprs.push(filter::parse(text, lang, schema)?);
        }
        for (k, v) in q.pairs() {
            if ITEMS.contains(&k) || k == VERSION {
                continue;
            }
            if let Some(queryable) = schema.get(k) {
                exprs.push(filter::equals(k, v, &queryable.kind)?);
            }
        }
        Ok(ItemQuery {
            bbox: q.get("bbox").map(parse_bbox).transpose()?,
            datetime: q.get("datetime").map(parse_datetime).transpose()?,
            limit,
            offset: whole(q, "offset")?.unwrap_or(0),
            filter: Filter::all(exprs),
            status: parse_status(q)?,
            properties: q
                .get("properties")
                .map(|v| parse_properties(v, schema))
                .transpose()?,
            sortby: q
                .get("sortby")
                .map(|v| parse_sortby(v, schema))
                .transpose()?
                .unwrap_or_default(),
            lang: q
                .get("lang")
                .map(str::parse)
                .transpose()
                .map_err(|e: crate::export::UnknownLang| ApiError::param("lang", e.to_string()))?
                .unwrap_or_default(),
        })
    }
}

fn parse_status(q: &RawQuery) -> Result<Option<StatusOn>, ApiError> {
    match (q.get("status_on"), q.get("status")) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(ApiError::param(
            "status",
            "status_on needs status, e.g. status_on=2022-03-25&status=azerbaijan",
        )),
        (None, Some(_)) => Err(ApiError::param(
            "status_on",
            "status needs status_on, the day it applies to (YYYY-MM-DD)",
        )),
        (Some(day), Some(statuses)) => {
            let day: Day = day
                .parse()
                .map_err(|e: crate::date::DateError| ApiError::param("status_on", e.to_string()))?;
            let statuses = list(statuses)
                .map(|s| {
                    s.parse::<ControlStatus>().map_err(|_| {
                        ApiError::param(
                            "status",
                            format!(
                                "status '{}' is not one of zone, corridor, pending_handover, azerbaijan, armenia",
                                short(s)
                            ),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            if statuses.is_empty() {
                return Err(ApiError::param("status", "status needs at least one value"));
            }
            Ok(Some(StatusOn { day, statuses }))
        }
    }
}

fn parse_properties(v: &str, schema: &Schema) -> Result<Vec<String>, ApiError> {
    list(v)
        .map(|p| {
            if schema.properties.contains(p) {
                Ok(p.to_owned())
            } else {
                Err(ApiError::param(
                    "properties",
                    format!(
                        "'{}' is not a property of this collection; properties: {}",
                        short(p),
                        schema
                            .properties
                            .iter()
                            .map(String::as_str)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ))
            }
        })
        .collect()
}

fn parse_sortby(v: &str, schema: &Schema) -> Result<Vec<SortKey>, ApiError> {
    list(v)
        .map(|k| {
            // An unescaped '+' arrives as a space, which `list` trimmed away.
            let (name, descending) = match k.as_bytes().first() {
                Some(b'-') => (&k[1..], true),
                Some(b'+') => (&k[1..], false),
                _ => (k, false),
            };
            match schema.get(name) {
                Some(q) if !matches!(q.kind, Kind::Geometry(_)) => Ok(SortKey {
                    name: name.to_owned(),
                    descending,
                }),
                _ => Err(ApiError::param(
                    "sortby",
                    format!(
                        "cannot sort by '{}'; sort by one of the queryables but geometry: {}",
                        short(name),
                        schema.names()
                    ),
                )),
            }
        })
        .collect()
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
        let schema = Schema {
            queryables: Vec::new(),
            properties: std::collections::BTreeSet::new(),
            has_control: false,
        };
        let q = |s: &[(&str, &str)]| {
            let query: Vec<String> = s.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let query = query.join("&");
            ItemQuery::parse(&RawQuery::parse(Some(&query)).unwrap(), &schema)
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
