//! The HTTP face of the library: axum routes grouped by concern, each group
//! a `router()`, merged here. Handlers adapt requests to library calls and
//! map every failure through [`ApiError`]. Each group registers its
//! handlers with utoipa-axum, so the routes served and the `OpenAPI`
//! document come from the same registrations.
//!
//! - [`error`]: the one error type and its JSON shape.
//! - [`params`]: strict query-string parsing.
//! - [`media`]: exact request media types and charsets.
//! - [`locate`]: the verdict, single and batch.
//! - [`card`]: the verdict card as SVG or PNG.
//! - [`layers`]: catalog, per-date layer downloads, the data set bundle.
//! - [`page`]: `GET /`, the map's page with Open Graph tags.
//! - [`ogc`]: OGC API – Features under `/ogc`.
//! - [`names`]: place search, coordinate parsing, article annotation.
//! - [`ops`]: `/healthz`, `/readyz`, `/metrics`.
//! - [`openapi`]: the `OpenAPI` document, generated from the handlers and
//!   types, and Swagger UI.

pub mod card;
pub mod error;
pub mod layers;
pub mod locate;
pub mod media;
pub mod names;
pub mod ogc;
pub mod openapi;
pub mod ops;
pub mod page;
pub mod params;

use axum::handler::HandlerWithoutStateExt;
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use error::ApiError;

pub use crate::state::AppState;

/// Every route, with the `OpenAPI` document built from the same
/// registrations: a route added to a group with `.routes(routes!(handler))`
/// is served and documented.
pub fn router() -> Router<AppState> {
    let (routes, mut doc) = api_routes().split_for_parts();
    openapi::document_pinning(&mut doc);
    routes
        .merge(openapi::router(&doc))
        // Unknown API paths get the JSON error, not the web app's index page.
        .route_service("/api/{*rest}", unknown_path.into_service())
}

/// The `OpenAPI` document of every route (as served at `/api/v1/openapi.json`).
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = api_routes().into_openapi();
    openapi::document_pinning(&mut doc);
    doc
}

fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(ops::router())
        .merge(locate::router())
        .merge(card::router())
        .merge(layers::router())
        .merge(page::router())
        .merge(ogc::router())
        .merge(names::router())
}

async fn unknown_path(uri: axum::http::Uri) -> ApiError {
    ApiError::NotFound(format!("no such endpoint: {}", uri.path()))
}
