//! Operations routes: `/healthz` (the process answers), `/readyz` (the data
//! set served, when it was loaded, how the last reload went; 503 while
//! shutting down) and `/metrics` (Prometheus text). What they report is kept
//! by `state` and `metrics`; this module only answers.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ErrorBody;
use crate::api::{ApiError, AppState};
use crate::state::Status;

/// The media type of `/metrics`.
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The operations routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics))
}

/// Liveness: answers `ok` while the server is serving.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "service",
    responses((status = 200, description = "The server is up.", body = String, content_type = "text/plain",
               example = "ok"))
)]
async fn healthz() -> &'static str {
    "ok"
}

/// What `/readyz` answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// `ready`.
    #[schema(value_type = String, example = "ready")]
    pub status: &'static str,
    /// The version of the data set being served.
    pub dataset_version: String,
    /// Load time and the last reload attempt.
    #[serde(flatten)]
    pub history: Status,
}

/// Readiness: the data set served and the reload history; 503 while the
/// server shuts down, so a load balancer stops sending.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "service",
    responses(
        (status = 200, description = "Ready, with the data set served and the last reload.", body = Readiness),
        (status = 503, description = "Shutting down.", body = ErrorBody),
    )
)]
async fn readyz(State(state): State<AppState>) -> Result<Json<Readiness>, ApiError> {
    if state.health.draining() {
        return Err(ApiError::NotReady("shutting down".into()));
    }
    Ok(Json(Readiness {
        status: "ready",
        dataset_version: state.data.load().version.clone(),
        history: state.health.status(),
    }))
}

/// Prometheus metrics: requests by route and status, latencies, batch rows,
/// reloads, the data set version, connections.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "service",
    responses((status = 200, description = "The metrics in the OpenMetrics text format.", body = String,
               content_type = "application/openmetrics-text"))
)]
async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, OPENMETRICS)],
        state.metrics.render(),
    )
        .into_response()
}
