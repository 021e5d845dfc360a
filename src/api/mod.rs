//! The HTTP face of the library: axum routes grouped by concern, each group
//! a `router()`, merged here. Handlers adapt requests to library calls and
//! map every failure through [`ApiError`].
//!
//! - [`error`]: the one error type and its JSON shape.
//! - [`params`]: strict query-string parsing.
//! - [`media`]: exact request media types and charsets.
//! - [`locate`]: the verdict, single and batch.
//! - [`layers`]: catalog and per-date layer downloads.
//! - [`ogc`]: OGC API – Features under `/ogc`.
//! - [`names`]: place search, coordinate parsing, article annotation.
//! - [`openapi`]: the `OpenAPI` document.

pub mod card;
pub mod error;
pub mod layers;
pub mod locate;
pub mod media;
pub mod names;
pub mod ogc;
pub mod openapi;
pub mod page;
pub mod params;

use axum::handler::HandlerWithoutStateExt;
use axum::routing::get;
use axum::Router;

pub use error::ApiError;

pub use crate::state::AppState;

/// Every API route.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .merge(locate::router())
        .merge(layers::router())
        .merge(card::router())
        .merge(page::router())
        .merge(ogc::router())
        .merge(names::router())
        .merge(openapi::router())
        // Unknown API paths get the JSON error, not the web app's index page.
        .route_service("/api/{*rest}", unknown_path.into_service())
}

async fn unknown_path(uri: axum::http::Uri) -> ApiError {
    ApiError::NotFound(format!("no such endpoint: {}", uri.path()))
}

async fn healthz() -> &'static str {
    "ok"
}
