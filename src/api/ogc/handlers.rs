//! The axum handlers of the OGC resources and the links they write.
//!
//! Items come pre-serialised from `dataset` and are copied into the body as
//! they are, never re-serialised.

use axum::extract::{Path, State};
use axum::http::{header, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use utoipa::IntoParams;

use super::query::{short, ItemQuery, ITEMS};
use super::select::select;
use super::{CONFORMANCE, CRS84, SERVICE_DESC};
use crate::api::error::ErrorBody;
use crate::api::openapi::{query_names, QueryNames};
use crate::api::params::Params;
use crate::api::{ApiError, AppState};
use crate::dataset::{Feature, Layer};
use crate::date::Day;

const GEOJSON: &str = "application/geo+json";
const JSON: &str = "application/json";
const GREGORIAN: &str = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian";

/// A feature id as one path segment: `form_urlencoded` escapes every byte
/// that is not unreserved except the space, which a path must write `%20`.
fn path_segment(id: &str) -> String {
    form_urlencoded::byte_serialize(id.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// What every OGC resource takes.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // The parameters' documentation; `Params` reads the values.
pub(super) struct FormatQuery {
    /// The format: `json` (the only one served; `geojson` is read as it).
    #[param(example = "json")]
    f: Option<String>,
}
static PLAIN: QueryNames = QueryNames::new(query_names::<FormatQuery>);

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

/// The landing page: title, description and links to the API definition,
/// the conformance classes and the collections.
#[utoipa::path(get, path = "/ogc", tag = "ogc", params(FormatQuery), responses(
    (status = 200, description = "The landing page (OGC 17-069r4, 7.2).", body = Object),
    (status = 400, description = "An unknown parameter or format.", body = ErrorBody),
))]
pub(super) async fn landing(State(state): State<AppState>, uri: Uri) -> Result<Response, ApiError> {
    params(&uri, &PLAIN)?;
    let base = state.config.base_url();
    let ds = state.data.load();
    Ok(json_response(&json!({
        "title": ds.catalog.title,
        "description": ds.catalog.description,
        "attribution": ds.catalog.attribution,
        "links": [
            link(&format!("{base}/ogc"), "self", JSON, "This document"),
            link(&format!("{base}{}", SERVICE_DESC.0), "service-desc", SERVICE_DESC.1, "The API definition (OpenAPI 3.1)"),
            link(&format!("{base}/ogc/conformance"), "conformance", JSON, "Conformance classes implemented"),
            link(&format!("{base}/ogc/collections"), "data", JSON, "The layers as collections"),
        ],
    })))
}

/// The conformance classes implemented.
#[utoipa::path(get, path = "/ogc/conformance", tag = "ogc", params(FormatQuery), responses(
    (status = 200, description = "`conformsTo`: the classes' URIs (OGC 17-069r4, 7.4).", body = Object),
    (status = 400, description = "An unknown parameter or format.", body = ErrorBody),
))]
pub(super) async fn conformance(uri: Uri) -> Result<Response, ApiError> {
    params(&uri, &PLAIN)?;
    Ok(json_response(&json!({ "conformsTo": CONFORMANCE })))
}

/// Every layer as a collection.
#[utoipa::path(get, path = "/ogc/collections", tag = "ogc", params(FormatQuery), responses(
    (status = 200, description = "The collections with their extents and links (OGC 17-069r4, 7.13).", body = Object),
    (status = 400, description = "An unknown parameter or format.", body = ErrorBody),
))]
pub(super) async fn collections(
    State(state): State<AppState>,
    uri: Uri,
) -> Result<Response, ApiError> {
    params(&uri, &PLAIN)?;
    let base = state.config.base_url();
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

/// One layer as a collection.
#[utoipa::path(get, path = "/ogc/collections/{collectionId}", tag = "ogc", params(
    ("collectionId" = String, Path, description = "Layer id.", example = "zone"),
    FormatQuery,
), responses(
    (status = 200, description = "The collection (OGC 17-069r4, 7.14).", body = Object),
    (status = 400, description = "An unknown parameter or format.", body = ErrorBody),
    (status = 404, description = "No such collection.", body = ErrorBody),
))]
pub(super) async fn collection(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    params(&uri, &PLAIN)?;
    let ds = state.data.load();
    let layer = find_layer(&ds, &id)?;
    Ok(json_response(&collection_json(
        layer,
        &state.config.base_url(),
    )))
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

/// The items URL with the filters of `p`, and `limit`/`offset` set; values
/// are encoded by `form_urlencoded`.
fn page_href(items: &str, p: &Params, limit: usize, offset: usize) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("limit", &limit.to_string());
    q.append_pair("offset", &offset.to_string());
    for key in ["bbox", "datetime"] {
        if let Some(v) = p.get(key) {
            q.append_pair(key, v);
        }
    }
    format!("{items}?{}", q.finish())
}

/// A page of a layer's features, filtered by `bbox` and `datetime`.
#[utoipa::path(get, path = "/ogc/collections/{collectionId}/items", tag = "ogc", params(
    ("collectionId" = String, Path, description = "Layer id.", example = "incidents"),
    super::query::ItemsQuery,
), responses(
    (status = 200, description = "A GeoJSON FeatureCollection with `numberMatched`, `numberReturned`, `timeStamp` and `next`/`prev` links (OGC 17-069r4, 7.15).",
     body = Object, content_type = "application/geo+json"),
    (status = 400, description = "A malformed bbox, datetime, limit or offset, or an unknown parameter.", body = ErrorBody),
    (status = 404, description = "No such collection.", body = ErrorBody),
))]
pub(super) async fn items(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let p = params(&uri, &ITEMS)?;
    let q = ItemQuery::from_params(&p)?;
    let ds = state.data.load();
    let layer = find_layer(&ds, &id)?;
    let page = select(&layer.features, &q);
    let items = format!(
        "{}/ogc/collections/{}/items",
        state.config.base_url(),
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
            &format!(
                "{}/ogc/collections/{}",
                state.config.base_url(),
                layer.meta.id
            ),
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

/// One feature.
#[utoipa::path(get, path = "/ogc/collections/{collectionId}/items/{featureId}", tag = "ogc", params(
    ("collectionId" = String, Path, description = "Layer id.", example = "settlements"),
    ("featureId" = String, Path, description = "Feature id.", example = "stepanakert"),
    FormatQuery,
), responses(
    (status = 200, description = "A GeoJSON Feature with links (OGC 17-069r4, 7.16).", body = Object, content_type = "application/geo+json"),
    (status = 400, description = "An unknown parameter or format.", body = ErrorBody),
    (status = 404, description = "No such collection or feature.", body = ErrorBody),
))]
pub(super) async fn item(
    State(state): State<AppState>,
    Path((id, feature_id)): Path<(String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    params(&uri, &PLAIN)?;
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
    let coll = format!(
        "{}/ogc/collections/{}",
        state.config.base_url(),
        layer.meta.id
    );
    let links = json!([
        link(
            &format!("{coll}/items/{}", path_segment(&f.id)),
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

/// The current UTC time to the second, as RFC 3339 (`2026-11-30T14:05:00Z`).
fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .map_or_else(|_| jiff::Timestamp::now().to_string(), |t| t.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::api::ogc::query::parse_datetime;
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

    fn sample() -> Vec<Feature> {
        vec![
            point("a", 46.70, 39.80, None, None),
            point("b", 46.80, 39.80, Some("2020-11-10"), Some("2022-03-25")),
            point("c", 46.90, 39.90, Some("2022-03-25"), None),
            point("d", 179.5, 0.0, Some("2021-01-01"), Some("2021-01-02")),
        ]
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
    fn query_values_and_ids_in_links_are_percent_encoded() {
        let q = "bbox=1,2,3,4&datetime=2022-01-01T00:00:00Z/..";
        let p = Params::parse(Some(q), &ITEMS).unwrap();
        assert_eq!(
            page_href("/items", &p, 10, 20),
            "/items?limit=10&offset=20&bbox=1%2C2%2C3%2C4&datetime=2022-01-01T00%3A00%3A00Z%2F.."
        );
        assert_eq!(path_segment("a b+c/d"), "a%20b%2Bc%2Fd");
    }

    #[test]
    fn the_time_stamp_has_the_rfc3339_shape() {
        let t = now_rfc3339();
        assert_eq!(t.len(), 20, "{t}");
        assert!(parse_datetime(&t).is_ok(), "{t}");
    }
}
