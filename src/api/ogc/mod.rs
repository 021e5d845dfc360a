//! OGC API – Features under `/ogc`, so GIS clients (QGIS, GDAL's `OAPIF`
//! driver, Python's `OWSLib`) read every layer without workarounds.
//!
//! Owns the OGC resources (landing page, conformance, collections, items,
//! item), their query parameters and paging, and the rule for paths written
//! with a trailing slash (a `308` to the path without it) or not written at
//! all (a JSON 404, never the map's page). The layers themselves come from
//! `dataset`; the JSON error shape from [`crate::api::error`]; the `OpenAPI`
//! document that `service-desc` points to lives in `api::openapi`.
//!
//! - [`query`]: reading the query string of a request (pure).
//! - [`queryables`]: what a collection can be filtered by, from its data.
//! - [`filter`]: CQL2 filters and property filters (the `cql2` crate).
//! - [`select`]: filtering, sorting and paging a layer's features (pure).
//! - [`negotiate`]: JSON or HTML, from `f` and `Accept`.
//! - [`html`]: the pages for people (`maud`).
//! - [`handlers`]: the axum handlers and the links they write.

pub mod doc;
pub mod filter;
pub mod handlers;
pub mod html;
pub mod negotiate;
pub mod query;
pub mod queryables;
pub mod select;

use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use query::{parse_bbox, parse_datetime, Bbox, DayRange, ItemQuery, RawQuery};
pub use queryables::Schema;
pub use select::{select, Page};

use super::{ApiError, AppState};

/// Items per page when the client gives no `limit`.
pub const DEFAULT_LIMIT: usize = 100;
/// Largest page; a larger `limit` is served as this many (OGC 17-069r4, 7.15.3).
pub const MAX_LIMIT: usize = 10_000;
/// The one CRS served: WGS 84 longitude, latitude.
pub const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
/// The conformance classes implemented: Features Part 1 (core, `GeoJSON`,
/// HTML), Part 3 (queryables, queryables as query parameters, filter) and
/// the CQL2 classes the `cql2` crate evaluates and the tests exercise. Not
/// `oas30`: the API definition is generated as `OpenAPI` 3.1 (utoipa), which
/// that class does not describe.
pub const CONFORMANCE: [&str; 12] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
];
/// Where the `OpenAPI` document is served, and its media type.
pub const SERVICE_DESC: (&str, &str) = (
    "/api/v1/openapi.json",
    "application/vnd.oai.openapi+json;version=3.1",
);

/// Routes of this group.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::landing))
        .routes(routes!(handlers::conformance))
        .routes(routes!(handlers::collections))
        .routes(routes!(handlers::collection))
        .routes(routes!(handlers::queryables))
        .routes(routes!(handlers::items))
        .routes(routes!(handlers::item))
        // Everything else under /ogc: a trailing slash is redirected, the
        // rest is a JSON 404 (the web app's fallback must not answer here).
        .route_service("/ogc/", other_path.into_service())
        .route_service("/ogc/{*rest}", other_path.into_service())
}

use axum::handler::HandlerWithoutStateExt;

/// `/ogc/` and `/ogc/collections/` are the paths clients such as `OWSLib`
/// write: they are the canonical resource, so a permanent redirect that
/// keeps the method and query (`308`) sends them there. Any other path is
/// not a resource of this API.
async fn other_path(uri: Uri) -> Response {
    let path = uri.path();
    let trimmed = path.trim_end_matches('/');
    if trimmed.len() < path.len() && !trimmed.is_empty() {
        let location = match uri.query() {
            Some(q) => format!("{trimmed}?{q}"),
            None => trimmed.to_owned(),
        };
        return (
            StatusCode::PERMANENT_REDIRECT,
            [(header::LOCATION, location)],
        )
            .into_response();
    }
    ApiError::NotFound(format!("no such OGC API resource: {path}")).into_response()
}
