//! The axum handlers of the OGC resources and the links they write; each
//! answers JSON or, when asked for, an HTML page ([`super::html`]); items
//! also as KML, CSV or FlatGeobuf, written by [`crate::export`].
//!
//! The JSON answers are the typed documents of [`super::doc`], serialised by
//! serde; features are embedded as `dataset` serialised them at load
//! (`RawValue`), unless `properties=` asks for fewer properties.

use std::borrow::Cow;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::IntoParams;

use super::doc::{
    Collection, Collections, Conformance, Extent, Item, ItemsPage, LandingPage, Link,
    SpatialExtent, StoredFeature, TemporalExtent,
};
use super::html::{self, Nav};
use super::negotiate::{format, Files, Format};
use super::query::{short, ItemQuery, RawQuery};
use super::queryables::QueryablesDoc;
use super::queryables::Schema;
use super::select::{select, status_ids, Page};
use super::{CONFORMANCE, CRS84, SERVICE_DESC};
use crate::api::error::ErrorBody;
use crate::api::layers::{export_error, file_response};
use crate::api::openapi::{query_names, Binary, QueryNames};
use crate::api::{ApiError, AppState};
use crate::dataset::{Feature, Layer};
use crate::date::Day;
use crate::export::{self, Selection};

const GEOJSON: &str = "application/geo+json";
const JSON: &str = "application/json";
const HTML: &str = "text/html";
const SCHEMA: &str = "application/schema+json";
const GREGORIAN: &str = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian";
const QUERYABLES_REL: &str = "http://www.opengis.net/def/rel/ogc/1.0/queryables";

/// A feature id as one path segment: `form_urlencoded` escapes every byte
/// that is not unreserved except the space, which a path must write `%20`.
pub(super) fn path_segment(id: &str) -> String {
    form_urlencoded::byte_serialize(id.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// What every OGC resource but items takes.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // The parameters' documentation; `RawQuery` reads the values.
pub(super) struct FormatQuery {
    /// The format: `json` (or `geojson`, the same) or `html`, a page for
    /// people. Without it the `Accept` header decides; JSON is the default.
    #[param(example = "json", pattern = "^(json|geojson|html)$")]
    f: Option<String>,
}
static PLAIN: QueryNames = QueryNames::new(query_names::<FormatQuery>);

/// Reads the query of a resource that takes only `f`, and the format.
fn plain(uri: &Uri, headers: &HeaderMap) -> Result<Format, ApiError> {
    let q = RawQuery::parse(uri.query())?;
    q.only(&PLAIN, |_| false)?;
    format(q.get("f"), headers, Files::Refused)
}

/// A document's `self` link (as `media`) and its `alternate` page for
/// people (`?f=html`), titled "This {what}" and "This {what} as a page".
fn self_links(href: &str, media: &'static str, what: &str) -> [Link; 2] {
    [
        Link::new(href.to_owned(), "self", media, &format!("This {what}")),
        Link::new(
            format!("{href}?f=html"),
            "alternate",
            HTML,
            &format!("This {what} as a page"),
        ),
    ]
}

fn json_response<T: Serialize>(doc: &T, media: &'static str) -> Result<Response, ApiError> {
    let body = serde_json::to_string(doc)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("OGC document: {e}")))?;
    Ok(([(header::CONTENT_TYPE, media)], body).into_response())
}

fn find_layer<'a>(ds: &'a crate::dataset::Dataset, id: &str) -> Result<&'a Layer, ApiError> {
    ds.layer(id)
        .ok_or_else(|| ApiError::NotFound(format!("no collection '{}'", short(id))))
}

/// The landing page: title, description and links to the API definition,
/// the conformance classes and the collections.
#[utoipa::path(get, path = "/ogc", tag = "ogc", params(FormatQuery), responses(
    (status = 200, description = "The landing page (OGC 17-069r4, 7.2), or a page for people.", content((LandingPage = "application/json"), (String = "text/html"))),
    (status = 400, description = "An unknown parameter or format.", body = ErrorBody),
))]
pub(super) async fn landing(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    let fmt = plain(&uri, &headers)?;
    let ds = state.data.load();
    if fmt == Format::Html {
        return Ok(html::landing(&state.config.base_path(), &ds.catalog));
    }
    let base = state.config.base_url();
    json_response(
        &LandingPage {
            title: &ds.catalog.title,
            description: &ds.catalog.description,
            attribution: &ds.catalog.attribution,
            links: self_links(&format!("{base}/ogc"), JSON, "document")
                .into_iter()
                .chain([
                    Link::new(
                        format!("{base}{}", SERVICE_DESC.0),
                        "service-desc",
                        SERVICE_DESC.1,
                        "The API definition (OpenAPI 3.1)",
                    ),
                    Link::new(
                        format!("{base}/ogc/conformance"),
                        "conformance",
                        JSON,
                        "Conformance classes implemented",
                    ),
                    Link::new(
                        format!("{base}/ogc/collections"),
                        "data",
                        JSON,
                        "The layers as collections",
                    ),
                ])
                .collect(),
        },
        JSON,
    )
}

/// The conformance classes implemented.
#[utoipa::path(get, path = "/ogc/conformance", tag = "ogc", params(FormatQuery), responses(
    (status = 200, description = "`conformsTo`: the classes' URIs (OGC 17-069r4, 7.4), or a page.", content((Conformance = "application/json"), (String = "text/html"))),
    (status = 400, description = "An unknown parameter or format.", body = ErrorBody),
))]
pub(super) async fn conformance(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    if plain(&uri, &headers)? == Format::Html {
        return Ok(html::conformance(&state.config.base_path(), &CONFORMANCE));
    }
    json_response(
        &Conformance {
            conforms_to: &CONFORMANCE,
        },
        JSON,
    )
}

/// Every layer as a collection.
#[utoipa::path(get, path = "/ogc/collections", tag = "ogc", params(FormatQuery), responses(
    (status = 200, description = "The collections with their extents and links (OGC 17-069r4, 7.13), or a page.", content((Collections = "application/json"), (String = "text/html"))),
    (status = 400, description = "An unknown parameter or format.", body = ErrorBody),
))]
pub(super) async fn collections(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    let fmt = plain(&uri, &headers)?;
    let ds = state.data.load();
    if fmt == Format::Html {
        return Ok(html::collections(&state.config.base_path(), &ds.layers));
    }
    let base = state.config.base_url();
    json_response(
        &Collections {
            links: self_links(&format!("{base}/ogc/collections"), JSON, "document").into(),
            collections: ds.layers.iter().map(|l| collection_doc(l, &base)).collect(),
        },
        JSON,
    )
}

/// One layer as a collection.
#[utoipa::path(get, path = "/ogc/collections/{collectionId}", tag = "ogc", params(
    ("collectionId" = String, Path, description = "Layer id.", example = "zone"),
    FormatQuery,
), responses(
    (status = 200, description = "The collection (OGC 17-069r4, 7.14), or a page.", content((Collection = "application/json"), (String = "text/html"))),
    (status = 400, description = "An unknown parameter or format.", body = ErrorBody),
    (status = 404, description = "No such collection.", body = ErrorBody),
))]
pub(super) async fn collection(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    let fmt = plain(&uri, &headers)?;
    let ds = state.data.load();
    let layer = find_layer(&ds, &id)?;
    if fmt == Format::Html {
        return Ok(html::collection(
            &state.config.base_path(),
            layer,
            &Schema::of(layer),
        ));
    }
    json_response(&collection_doc(layer, &state.config.base_url()), JSON)
}

/// `/collections/{id}/queryables`: a JSON Schema of what `filter` and the
/// property filters may name.
#[utoipa::path(get, path = "/ogc/collections/{collectionId}/queryables", tag = "ogc", params(
    ("collectionId" = String, Path, description = "Layer id.", example = "settlements"),
    FormatQuery,
), responses(
    (status = 200, description = "A JSON Schema (draft 2020-12) of the properties the features can be filtered and sorted by \
     (OGC API – Features Part 3); each is also an items parameter (`name=value`). Or a page.",
     content((QueryablesDoc = "application/schema+json"), (String = "text/html"))),
    (status = 400, description = "An unknown parameter or format.", body = ErrorBody),
    (status = 404, description = "No such collection.", body = ErrorBody),
))]
pub(super) async fn queryables(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    let fmt = plain(&uri, &headers)?;
    let ds = state.data.load();
    let layer = find_layer(&ds, &id)?;
    let schema = Schema::of(layer);
    if fmt == Format::Html {
        return Ok(html::collection(&state.config.base_path(), layer, &schema));
    }
    let url = format!(
        "{}/ogc/collections/{}/queryables",
        state.config.base_url(),
        layer.meta.id
    );
    json_response(&schema.document(&url, &layer.meta.title), SCHEMA)
}

/// The OGC collection description of a layer.
pub fn collection_doc<'a>(layer: &'a Layer, base: &str) -> Collection<'a> {
    let m = &layer.meta;
    let href = format!("{base}/ogc/collections/{}", m.id);
    let (from, to) = temporal_extent(&layer.features);
    let instant = |d: Option<Day>| d.map(|d| format!("{d}T00:00:00Z"));
    let mut links = Vec::from(self_links(&href, JSON, "collection"));
    links.extend([
        Link::new(
            format!("{href}/items"),
            "items",
            GEOJSON,
            "The features (GeoJSON)",
        ),
        Link::new(
            format!("{href}/items?f=html"),
            "items",
            HTML,
            "The features as a page",
        ),
        Link::new(
            format!("{href}/queryables"),
            QUERYABLES_REL,
            SCHEMA,
            "What the features can be filtered by",
        ),
        Link::new(
            format!("{base}/api/v1/layers/{}", m.id),
            "alternate",
            GEOJSON,
            "The whole layer as one GeoJSON file",
        ),
    ]);
    links.extend(files_for(layer).map(|file| {
        Link::new(
            format!(
                "{base}/api/v1/layers/{}?format={}&download=1",
                m.id,
                file.name()
            ),
            "enclosure",
            file.media_type(),
            &format!("The whole layer, every version, as {}", file.label()),
        )
    }));
    Collection {
        id: &m.id,
        title: &m.title,
        description: &m.description,
        item_type: "feature",
        crs: [CRS84],
        extent: Extent {
            temporal: TemporalExtent {
                interval: [[instant(from), instant(to)]],
                trs: GREGORIAN,
            },
            spatial: layer.bbox.map(|b| SpatialExtent {
                bbox: [b],
                crs: CRS84,
            }),
        },
        links,
        geometry_type: &m.geometry_type,
        licence: &m.licence,
        sources: &m.sources,
        accuracy_m: m.accuracy_m,
        feature_count: layer.features.len(),
    }
}

/// The file formats (besides GeoJSON) that can hold `layer`.
fn files_for(layer: &Layer) -> impl Iterator<Item = export::Format> + '_ {
    export::Format::ALL
        .into_iter()
        .filter(move |f| *f != export::Format::GeoJson && f.fits(layer))
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

/// The items URL with every parameter of the request but `limit` and
/// `offset`, which are set; encoded by `form_urlencoded`.
fn page_href(items: &str, q: &RawQuery, limit: usize, offset: usize) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    s.append_pair("limit", &limit.to_string());
    s.append_pair("offset", &offset.to_string());
    for (k, v) in q.pairs() {
        if k != "limit" && k != "offset" {
            s.append_pair(k, v);
        }
    }
    format!("{items}?{}", s.finish())
}

/// A stored feature with only the `keep` properties, re-serialised.
fn with_properties(f: &Feature, keep: &[String]) -> Result<Box<RawValue>, ApiError> {
    let internal = |e: serde_json::Error| ApiError::Internal(anyhow::anyhow!("feature JSON: {e}"));
    let mut v: serde_json::Value = serde_json::from_str(f.json.get()).map_err(internal)?;
    if let Some(props) = v
        .get_mut("properties")
        .and_then(serde_json::Value::as_object_mut)
    {
        props.retain(|k, _| keep.iter().any(|p| p == k));
    }
    serde_json::value::to_raw_value(&v).map_err(internal)
}

/// A page of a layer's features, filtered, sorted and paged.
#[utoipa::path(get, path = "/ogc/collections/{collectionId}/items", tag = "ogc", params(
    ("collectionId" = String, Path, description = "Layer id.", example = "incidents"),
    super::query::ItemsQuery,
), responses(
    (status = 200, description = "A GeoJSON FeatureCollection with `numberMatched`, `numberReturned`, `timeStamp` and \
     `next`/`prev` links (OGC 17-069r4, 7.15), filtered by bbox, datetime, a CQL2 filter, any queryable as `name=value` \
     and (settlements, positions) the control status on a day; or a page; or with `f=kml`, `f=csv` or `f=fgb` the same \
     features as a file to save.",
     content((ItemsPage = "application/geo+json"), (String = "text/html"),
        (String = "application/vnd.google-earth.kml+xml"), (String = "text/csv; charset=utf-8"), (Binary = "application/flatgeobuf"))),
    (status = 400, description = "A malformed bbox, datetime, limit, offset, filter, properties or sortby, an unknown parameter, \
     or `f=csv` for a layer that is not points.", body = ErrorBody),
    (status = 404, description = "No such collection.", body = ErrorBody),
))]
pub(super) async fn items(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    let raw = RawQuery::parse(uri.query())?;
    let ds = state.data.load();
    let layer = find_layer(&ds, &id)?;
    let schema = Schema::of(layer);
    let q = ItemQuery::parse(&raw, &schema)?;
    let fmt = format(raw.get("f"), &headers, Files::Accepted)?;
    let ids = q.status.as_ref().map(|s| status_ids(&ds.places, s));
    let page = select(&layer.features, &q, ids.as_ref())?;
    let base = state.config.base_url();
    let items = format!("{base}/ogc/collections/{}/items", layer.meta.id);
    let urls = PageUrls {
        next: (q.offset + page.features.len() < page.matched)
            .then(|| page_href(&items, &raw, q.limit, q.offset + page.features.len())),
        prev: (q.offset > 0)
            .then(|| page_href(&items, &raw, q.limit, q.offset.saturating_sub(q.limit))),
        base: &base,
        items,
    };
    if let Format::File(file) = fmt {
        return items_file(&ds, layer, &page, &q, file);
    }
    if fmt == Format::Html {
        return Ok(items_html(
            &state.config.base_path(),
            layer,
            &page,
            &raw,
            &q,
            &urls,
        ));
    }
    let mut links = vec![
        Link::new(
            page_href(&urls.items, &raw, q.limit, q.offset),
            "self",
            GEOJSON,
            "This page",
        ),
        Link::new(
            format!("{base}/ogc/collections/{}", layer.meta.id),
            "collection",
            JSON,
            "The collection",
        ),
    ];
    for file in files_for(layer) {
        links.push(Link::new(
            page_href(&urls.items, &raw.with("f", file.name()), q.limit, q.offset),
            "alternate",
            file.media_type(),
            &format!("This page as {}", file.label()),
        ));
    }
    if let Some(h) = urls.next {
        links.push(Link::new(h, "next", GEOJSON, "Next page"));
    }
    if let Some(h) = urls.prev {
        links.push(Link::new(h, "prev", GEOJSON, "Previous page"));
    }
    let features = page
        .features
        .iter()
        .map(|f| match &q.properties {
            Some(keep) => with_properties(f, keep).map(Cow::Owned),
            None => Ok(Cow::Borrowed(f.json.as_ref())),
        })
        .collect::<Result<_, _>>()?;
    json_response(
        &ItemsPage {
            kind: "FeatureCollection",
            number_matched: page.matched,
            number_returned: page.features.len(),
            time_stamp: now_rfc3339(),
            links,
            features,
        },
        GEOJSON,
    )
}

/// Where a page of items lives and its neighbours, as absolute URLs.
struct PageUrls<'a> {
    base: &'a str,
    items: String,
    next: Option<String>,
    prev: Option<String>,
}

/// A page of items for people: the table, the neighbours, the same page as
/// JSON and as files; links relative to the server's base path.
fn items_html(
    base_path: &str,
    layer: &Layer,
    page: &Page<'_>,
    raw: &RawQuery,
    q: &ItemQuery,
    urls: &PageUrls<'_>,
) -> Response {
    // Relative to the page's `<base>`, the server's base path.
    let rel = |h: &str| {
        h.strip_prefix(urls.base)
            .unwrap_or(h)
            .trim_start_matches('/')
            .to_owned()
    };
    let mut nav = Vec::new();
    if let Some(h) = &urls.prev {
        nav.push(Nav {
            href: rel(h),
            text: "‹ Previous".into(),
        });
    }
    if let Some(h) = &urls.next {
        nav.push(Nav {
            href: rel(h),
            text: "Next ›".into(),
        });
    }
    let as_format = |f: &str| page_href(&rel(&urls.items), &raw.with("f", f), q.limit, q.offset);
    let files: Vec<Nav> = files_for(layer)
        .map(|file| Nav {
            href: as_format(file.name()),
            text: file.label().into(),
        })
        .collect();
    html::items(
        base_path,
        layer,
        &page.features,
        page.matched,
        &nav,
        &as_format("json"),
        &files,
    )
}

/// A page of items as a file: the page as a layer of its own, written by
/// the same exporter as `/api/v1/layers`; CSV's status column is for the
/// `status_on` day.
fn items_file(
    ds: &crate::dataset::Dataset,
    layer: &Layer,
    page: &Page<'_>,
    q: &ItemQuery,
    file: export::Format,
) -> Result<Response, ApiError> {
    let page_layer = Layer {
        meta: layer.meta.clone(),
        features: page.features.iter().map(|f| (*f).clone()).collect(),
        bbox: layer.bbox,
    };
    let selection = Selection {
        day: q.status.as_ref().map(|s| s.day),
        lang: q.lang,
        formulas: crate::csv_safety::Formulas::Neutralise,
    };
    let body =
        export::export(ds, &page_layer, file, selection).map_err(|e| export_error("f", e))?;
    let name = format!("contactline-{}-items.{}", layer.meta.id, file.extension());
    Ok(file_response(body, file, &name, true))
}

/// One feature.
#[utoipa::path(get, path = "/ogc/collections/{collectionId}/items/{featureId}", tag = "ogc", params(
    ("collectionId" = String, Path, description = "Layer id.", example = "settlements"),
    ("featureId" = String, Path, description = "Feature id.", example = "stepanakert"),
    FormatQuery,
), responses(
    (status = 200, description = "A GeoJSON Feature with links (OGC 17-069r4, 7.16), or a page.",
     content((Item = "application/geo+json"), (String = "text/html"))),
    (status = 400, description = "An unknown parameter or format.", body = ErrorBody),
    (status = 404, description = "No such collection or feature.", body = ErrorBody),
))]
pub(super) async fn item(
    State(state): State<AppState>,
    Path((id, feature_id)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    let fmt = plain(&uri, &headers)?;
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
    if fmt == Format::Html {
        return Ok(html::item(&state.config.base_path(), layer, f));
    }
    let coll = format!(
        "{}/ogc/collections/{}",
        state.config.base_url(),
        layer.meta.id
    );
    let own = format!("{coll}/items/{}", path_segment(&f.id));
    let stored: StoredFeature<'_> = serde_json::from_str(f.json.get())
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("feature JSON: {e}")))?;
    json_response(
        &Item {
            kind: "Feature",
            id: &f.id,
            geometry: stored.geometry,
            properties: stored.properties,
            links: self_links(&own, GEOJSON, "feature")
                .into_iter()
                .chain([Link::new(coll, "collection", JSON, "The collection")])
                .collect(),
        },
        GEOJSON,
    )
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
    use crate::api::ogc::select::tests::{day, sample};

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
        let q = "bbox=1,2,3,4&datetime=2022-01-01T00:00:00Z/..&limit=3";
        let p = RawQuery::parse(Some(q)).unwrap();
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
