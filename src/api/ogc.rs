//! OGC API – Features, Part 1 (classes Core, `GeoJSON` and `OpenAPI` 3.0) under
//! `/ogc`, so GIS clients (QGIS, GDAL's `OAPIF` driver) can read every layer.
//!
//! Owns the OGC resources (landing page, conformance, collections, items,
//! item), the parsing of `bbox`, `datetime`, `limit` and `offset`, and paging.
//! The filtering itself is the pure [`select`], unit-tested here; the
//! features come pre-serialised from `dataset` and are copied into the body
//! as they are, never re-serialised. The `OpenAPI` document that
//! `service-desc` points to lives in `api::openapi`.
//!
//! Dates: validity is dated to the day (`valid_to` exclusive). A `datetime`
//! with a time of day is reduced to its calendar date as written (offsets are
//! checked, not applied), and an interval `a/b` is closed: it matches every
//! feature valid on at least one day from `a` to `b` inclusive.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use geo::Intersects;
use serde_json::{json, Value};

use super::params::{parse_number, Params};
use super::{ApiError, AppState};
use crate::dataset::{Feature, Layer};
use crate::date::Day;

/// Items per page when the client gives no `limit`.
pub const DEFAULT_LIMIT: usize = 100;
/// Largest page; a larger `limit` is served as this many (OGC 17-069r4, 7.15.3).
pub const MAX_LIMIT: usize = 10_000;
/// The one CRS served: WGS 84 longitude, latitude.
pub const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
/// The conformance classes implemented.
pub const CONFORMANCE: [&str; 3] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
];
/// Where the `OpenAPI` document is served, and its media type.
pub const SERVICE_DESC: (&str, &str) = (
    "/api/v1/openapi.json",
    "application/vnd.oai.openapi+json;version=3.0",
);

const GEOJSON: &str = "application/geo+json";
const JSON: &str = "application/json";
const GREGORIAN: &str = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian";

/// Routes of this group.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ogc", get(landing))
        .route("/ogc/conformance", get(conformance))
        .route("/ogc/collections", get(collections))
        .route("/ogc/collections/{collectionId}", get(collection))
        .route("/ogc/collections/{collectionId}/items", get(items))
        .route(
            "/ogc/collections/{collectionId}/items/{featureId}",
            get(item),
        )
}

// ---------------------------------------------------------------------------
// Query parsing and filtering (pure).

/// A bounding box `[min_lon, min_lat, max_lon, max_lat]` in `CRS84`. A box
/// whose `min_lon` exceeds its `max_lon` crosses the antimeridian.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bbox(pub [f64; 4]);

impl Bbox {
    /// The one or two rectangles the box covers (two across the antimeridian).
    fn rects(self) -> Vec<geo::Rect<f64>> {
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

    fn envelope_hits(self, b: &[f64; 4]) -> bool {
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

/// An RFC 3339 date or date-time, reduced to its calendar date.
fn parse_instant(s: &str) -> Result<Day, String> {
    let shown: String = s.chars().take(40).collect();
    let (date, time) = match s.find(['T', 't']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let day: Day = date.parse().map_err(|e| format!("datetime: {e}"))?;
    if let Some(t) = time {
        if !time_ok(t) {
            return Err(format!(
                "datetime '{shown}' is not an RFC 3339 date-time such as 2022-03-25T00:00:00Z"
            ));
        }
    }
    Ok(day)
}

/// `HH:MM:SS[.frac](Z|±HH:MM)`.
fn time_ok(t: &str) -> bool {
    let (clock, zone) = if let Some(c) = t.strip_suffix(['Z', 'z']) {
        (c, None)
    } else if let Some(i) = t.rfind(['+', '-']) {
        (&t[..i], Some(&t[i + 1..]))
    } else {
        return false;
    };
    let two = |x: &str, max: u32| {
        x.len() == 2
            && x.bytes().all(|b| b.is_ascii_digit())
            && x.parse::<u32>().is_ok_and(|n| n <= max)
    };
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, "0"));
    let f: Vec<&str> = hms.split(':').collect();
    let clock_ok = f.len() == 3
        && two(f[0], 23)
        && two(f[1], 59)
        && two(f[2], 60)
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit());
    let zone_ok =
        zone.is_none_or(|z| matches!(z.split_once(':'), Some((h, m)) if two(h, 23) && two(m, 59)));
    clock_ok && zone_ok
}

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

fn short(v: &str) -> String {
    v.chars().take(40).collect()
}

/// One page of matching features.
#[derive(Debug)]
pub struct Page<'a> {
    /// How many features match the filters in all.
    pub matched: usize,
    /// The features of this page, in layer order.
    pub features: Vec<&'a Feature>,
}

/// Filters `features` by bbox (envelope first, then an exact intersection
/// test) and datetime, then cuts the page at `offset`/`limit`.
pub fn select<'a>(features: &'a [Feature], q: &ItemQuery) -> Page<'a> {
    let rects = q.bbox.map(Bbox::rects);
    let hit = |f: &Feature| {
        q.datetime.is_none_or(|d| d.matches(f))
            && q.bbox.is_none_or(|b| {
                b.envelope_hits(&f.bbox) && rects.iter().flatten().any(|r| f.geometry.intersects(r))
            })
    };
    let mut matched = 0;
    let mut page = Vec::with_capacity(q.limit.min(features.len()));
    for f in features.iter().filter(|f| hit(f)) {
        if matched >= q.offset && page.len() < q.limit {
            page.push(f);
        }
        matched += 1;
    }
    Page {
        matched,
        features: page,
    }
}

// ---------------------------------------------------------------------------
// Handlers.

/// What every OGC resource takes: the format, `f=json`.
const PLAIN: &[&str] = &["f"];
/// What `/items` takes.
const ITEMS: &[&str] = &["f", "bbox", "datetime", "limit", "offset"];

/// Reads the query against `names` (one of the lists above) and checks `f`.
fn params<'a>(uri: &'a Uri, names: &'static [&'static str]) -> Result<Params<'a>, ApiError> {
    let p = Params::parse(uri.query(), names)?;
    match p.get("f") {
        None | Some("json" | "geojson") => Ok(p),
        Some(other) => Err(ApiError::param(
            "f",
            format!(
                "f must be 'json' (the only format served), not '{}'",
                short(other)
            ),
        )),
    }
}

/// `scheme://host` of the request, for absolute links (GDAL follows `next`
/// as given); empty (relative links) when the Host header is unusable.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let host_ok = !host.is_empty()
        && host.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']' | b'_')
        });
    if !host_ok {
        return String::new();
    }
    let proto = match headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{proto}://{host}")
}

fn link(href: &str, rel: &str, kind: &str, title: &str) -> Value {
    json!({ "href": href, "rel": rel, "type": kind, "title": title })
}

fn json_response(v: &Value) -> Response {
    ([(header::CONTENT_TYPE, JSON)], v.to_string()).into_response()
}

fn find_layer<'a>(ds: &'a crate::dataset::Dataset, id: &str) -> Result<&'a Layer, ApiError> {
    ds.layer(id)
        .ok_or_else(|| ApiError::NotFound(format!("no collection '{}'", short(id))))
}

async fn landing(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    params(&uri, PLAIN)?;
    let base = base_url(&headers);
    let ds = state.data.load();
    Ok(json_response(&json!({
        "title": ds.catalog.title,
        "description": ds.catalog.description,
        "attribution": ds.catalog.attribution,
        "links": [
            link(&format!("{base}/ogc"), "self", JSON, "This document"),
            link(&format!("{base}{}", SERVICE_DESC.0), "service-desc", SERVICE_DESC.1, "The API definition (OpenAPI 3.0)"),
            link(&format!("{base}/ogc/conformance"), "conformance", JSON, "Conformance classes implemented"),
            link(&format!("{base}/ogc/collections"), "data", JSON, "The layers as collections"),
        ],
    })))
}

async fn conformance(uri: Uri) -> Result<Response, ApiError> {
    params(&uri, PLAIN)?;
    Ok(json_response(&json!({ "conformsTo": CONFORMANCE })))
}

async fn collections(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    params(&uri, PLAIN)?;
    let base = base_url(&headers);
    let ds = state.data.load();
    let list: Vec<Value> = ds
        .layers
        .iter()
        .map(|l| collection_json(l, &base))
        .collect();
    Ok(json_response(&json!({
        "links": [link(&format!("{base}/ogc/collections"), "self", JSON, "This document")],
        "collections": list,
    })))
}

async fn collection(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    params(&uri, PLAIN)?;
    let ds = state.data.load();
    let layer = find_layer(&ds, &id)?;
    Ok(json_response(&collection_json(layer, &base_url(&headers))))
}

/// The OGC collection description of a layer.
pub fn collection_json(layer: &Layer, base: &str) -> Value {
    let m = &layer.meta;
    let href = format!("{base}/ogc/collections/{}", m.id);
    let (from, to) = temporal_extent(&layer.features);
    let instant = |d: Option<Day>| d.map(|d| format!("{d}T00:00:00Z"));
    let mut v = json!({
        "id": m.id,
        "title": m.title,
        "description": m.description,
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {
            "temporal": { "interval": [[instant(from), instant(to)]], "trs": GREGORIAN },
        },
        "links": [
            link(&href, "self", JSON, "This collection"),
            link(&format!("{href}/items"), "items", GEOJSON, "The features (GeoJSON)"),
            link(&format!("{base}/api/v1/layers/{}", m.id), "alternate", GEOJSON, "The whole layer as one GeoJSON file"),
        ],
        "geometry_type": m.geometry_type,
        "licence": m.licence,
        "sources": m.sources,
        "accuracy_m": m.accuracy_m,
        "feature_count": layer.features.len(),
    });
    if let Some(b) = layer.bbox {
        v["extent"]["spatial"] = json!({ "bbox": [b], "crs": CRS84 });
    }
    v
}

/// First day of validity and first day after it over all features; `None`
/// where any feature is open at that end (or there are no features).
pub fn temporal_extent(features: &[Feature]) -> (Option<Day>, Option<Day>) {
    if features.is_empty() {
        return (None, None);
    }
    let from = features
        .iter()
        .map(|f| f.validity.valid_from)
        .collect::<Option<Vec<Day>>>();
    let to = features
        .iter()
        .map(|f| f.validity.valid_to)
        .collect::<Option<Vec<Day>>>();
    (
        from.and_then(|v| v.into_iter().min()),
        to.and_then(|v| v.into_iter().max()),
    )
}

/// Percent-encodes a query value (everything but RFC 3986 unreserved).
fn encode(v: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The items URL with the filters of `p`, and `limit`/`offset` set.
fn page_href(items: &str, p: &Params, limit: usize, offset: usize) -> String {
    let mut s = format!("{items}?limit={limit}&offset={offset}");
    for key in ["bbox", "datetime"] {
        if let Some(v) = p.get(key) {
            s.push('&');
            s.push_str(key);
            s.push('=');
            s.push_str(&encode(v));
        }
    }
    s
}

async fn items(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    let p = params(&uri, ITEMS)?;
    let q = ItemQuery::from_params(&p)?;
    let ds = state.data.load();
    let layer = find_layer(&ds, &id)?;
    let page = select(&layer.features, &q);
    let items = format!(
        "{}/ogc/collections/{}/items",
        base_url(&headers),
        layer.meta.id
    );
    let mut links = vec![
        link(
            &page_href(&items, &p, q.limit, q.offset),
            "self",
            GEOJSON,
            "This page",
        ),
        link(
            &format!("{}/ogc/collections/{}", base_url(&headers), layer.meta.id),
            "collection",
            JSON,
            "The collection",
        ),
    ];
    if q.offset + page.features.len() < page.matched {
        let next = q.offset + page.features.len();
        links.push(link(
            &page_href(&items, &p, q.limit, next),
            "next",
            GEOJSON,
            "Next page",
        ));
    }
    if q.offset > 0 {
        let prev = q.offset.saturating_sub(q.limit);
        links.push(link(
            &page_href(&items, &p, q.limit, prev),
            "prev",
            GEOJSON,
            "Previous page",
        ));
    }
    let head = json!({
        "type": "FeatureCollection",
        "numberMatched": page.matched,
        "numberReturned": page.features.len(),
        "timeStamp": now_rfc3339(),
        "links": links,
    })
    .to_string();
    // `head` is a JSON object: reopen it and append the features as they are.
    let head = head.strip_suffix('}').unwrap_or(&head);
    let size = head.len()
        + 16
        + page
            .features
            .iter()
            .map(|f| f.json.len() + 1)
            .sum::<usize>();
    let mut body = String::with_capacity(size);
    body.push_str(head);
    body.push_str(",\"features\":[");
    for (i, f) in page.features.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&f.json);
    }
    body.push_str("]}");
    Ok(([(header::CONTENT_TYPE, GEOJSON)], body).into_response())
}

async fn item(
    State(state): State<AppState>,
    Path((id, feature_id)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    params(&uri, PLAIN)?;
    let ds = state.data.load();
    let layer = find_layer(&ds, &id)?;
    let f = layer
        .features
        .iter()
        .find(|f| f.id == feature_id)
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "no feature '{}' in collection '{}'",
                short(&feature_id),
                layer.meta.id
            ))
        })?;
    let coll = format!("{}/ogc/collections/{}", base_url(&headers), layer.meta.id);
    let links = json!([
        link(
            &format!("{coll}/items/{}", encode(&f.id)),
            "self",
            GEOJSON,
            "This feature"
        ),
        link(&coll, "collection", JSON, "The collection"),
    ]);
    // The stored feature is a JSON object: reopen it to add the links.
    let open = f
        .json
        .strip_suffix('}')
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("feature JSON is not an object")))?;
    let body = format!("{open},\"links\":{links}}}");
    Ok(([(header::CONTENT_TYPE, GEOJSON)], body).into_response())
}

/// The current UTC time as `YYYY-MM-DDTHH:MM:SSZ`.
fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i32;
    let rest = secs % 86_400;
    let day = Day::from_ymd(1970, 1, 1).map_or_else(String::new, |e| e.plus_days(days).to_string());
    format!(
        "{day}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::date::Validity;

    fn day(s: &str) -> Day {
        s.parse().unwrap()
    }

    fn point(id: &str, lon: f64, lat: f64, from: Option<&str>, to: Option<&str>) -> Feature {
        Feature {
            id: id.into(),
            validity: Validity {
                valid_from: from.map(day),
                valid_to: to.map(day),
            },
            bbox: [lon, lat, lon, lat],
            geometry: geo::Geometry::Point(geo::Point::new(lon, lat)),
            properties: serde_json::Map::new(),
            json: format!("{{\"id\":\"{id}\"}}"),
        }
    }

    fn ids(page: &Page<'_>) -> Vec<String> {
        page.features.iter().map(|f| f.id.clone()).collect()
    }

    fn sample() -> Vec<Feature> {
        vec![
            point("a", 46.70, 39.80, None, None),
            point("b", 46.80, 39.80, Some("2020-11-10"), Some("2022-03-25")),
            point("c", 46.90, 39.90, Some("2022-03-25"), None),
            point("d", 179.5, 0.0, Some("2021-01-01"), Some("2021-01-02")),
        ]
    }

    #[test]
    fn a_bbox_keeps_only_features_inside_it() {
        let fs = sample();
        let q = ItemQuery {
            bbox: Some(parse_bbox("46.75,39.75,46.85,39.85").unwrap()),
            ..ItemQuery::default()
        };
        assert_eq!(ids(&select(&fs, &q)), ["b"]);
    }

    #[test]
    fn a_bbox_across_the_antimeridian_wraps_around() {
        let fs = sample();
        let q = ItemQuery {
            bbox: Some(parse_bbox("179,-1,-179,1").unwrap()),
            ..ItemQuery::default()
        };
        assert_eq!(ids(&select(&fs, &q)), ["d"]);
    }

    #[test]
    fn a_polygon_whose_envelope_but_not_shape_meets_the_bbox_is_left_out() {
        // An L-shaped polygon: its envelope covers the empty corner at (1.5, 1.5).
        let ring = vec![
            (0.0, 0.0),
            (2.0, 0.0),
            (2.0, 1.0),
            (1.0, 1.0),
            (1.0, 2.0),
            (0.0, 2.0),
            (0.0, 0.0),
        ];
        let poly = geo::Polygon::new(geo::LineString::from(ring), vec![]);
        let f = Feature {
            geometry: geo::Geometry::Polygon(poly),
            bbox: [0.0, 0.0, 2.0, 2.0],
            ..point("l", 0.0, 0.0, None, None)
        };
        let fs = [f];
        let corner = ItemQuery {
            bbox: Some(parse_bbox("1.4,1.4,1.6,1.6").unwrap()),
            ..ItemQuery::default()
        };
        assert_eq!(select(&fs, &corner).matched, 0);
        let arm = ItemQuery {
            bbox: Some(parse_bbox("0.4,1.4,0.6,1.6").unwrap()),
            ..ItemQuery::default()
        };
        assert_eq!(select(&fs, &arm).matched, 1);
    }

    #[test]
    fn an_instant_matches_features_valid_that_day_with_valid_to_exclusive() {
        let fs = sample();
        let on = |s: &str| {
            let q = ItemQuery {
                datetime: Some(parse_datetime(s).unwrap()),
                ..ItemQuery::default()
            };
            ids(&select(&fs, &q))
        };
        assert_eq!(on("2022-03-24"), ["a", "b"]);
        assert_eq!(on("2022-03-25"), ["a", "c"]);
        assert_eq!(on("2022-03-25T00:00:00Z"), ["a", "c"]);
        assert_eq!(on("2022-03-25T23:59:59.5+04:00"), ["a", "c"]);
    }

    #[test]
    fn an_interval_matches_every_feature_valid_on_one_of_its_days() {
        let fs = sample();
        let on = |s: &str| {
            let q = ItemQuery {
                datetime: Some(parse_datetime(s).unwrap()),
                ..ItemQuery::default()
            };
            ids(&select(&fs, &q))
        };
        assert_eq!(on("2021-01-01/2021-01-01"), ["a", "b", "d"]);
        assert_eq!(on("2022-03-24/2022-03-25"), ["a", "b", "c"]);
        assert_eq!(on("../2020-11-09"), ["a"]);
        assert_eq!(on("2022-03-25/.."), ["a", "c"]);
        assert_eq!(on("/2020-11-10"), ["a", "b"]);
        assert_eq!(on("2023-01-01/"), ["a", "c"]);
    }

    #[test]
    fn paging_cuts_the_matched_features_at_offset_and_limit() {
        let fs = sample();
        let page = |limit, offset| {
            let q = ItemQuery {
                limit,
                offset,
                ..ItemQuery::default()
            };
            let p = select(&fs, &q);
            (p.matched, ids(&p))
        };
        assert_eq!(page(2, 0), (4, vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(page(2, 2), (4, vec!["c".to_owned(), "d".to_owned()]));
        assert_eq!(page(2, 3), (4, vec!["d".to_owned()]));
        assert_eq!(page(2, 10), (4, vec![]));
    }

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
            "2022-03-25T10:00Z",
            "2022-03-25T10:00:00+4",
            "2022-03-26/2022-03-25",
            "2022-03-25/2022-13-01",
        ] {
            assert!(parse_datetime(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn limit_defaults_is_capped_and_rejects_zero_and_garbage() {
        let q = |s: &[(&str, &str)]| {
            let query: Vec<String> = s.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let query = query.join("&");
            ItemQuery::from_params(&Params::parse(Some(&query), ITEMS).unwrap())
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

    #[test]
    fn the_temporal_extent_is_open_where_any_feature_is() {
        let fs = sample();
        assert_eq!(temporal_extent(&fs), (None, None));
        assert_eq!(
            temporal_extent(&fs[1..2]),
            (Some(day("2020-11-10")), Some(day("2022-03-25")))
        );
        assert_eq!(temporal_extent(&fs[1..3]), (Some(day("2020-11-10")), None));
    }

    #[test]
    fn query_values_in_links_are_percent_encoded() {
        assert_eq!(
            encode("2022-01-01T00:00:00Z/.."),
            "2022-01-01T00%3A00%3A00Z%2F.."
        );
        assert_eq!(encode("1,2"), "1%2C2");
    }

    #[test]
    fn the_time_stamp_has_the_rfc3339_shape() {
        let t = now_rfc3339();
        assert_eq!(t.len(), 20, "{t}");
        assert!(parse_datetime(&t).is_ok(), "{t}");
    }
}
