//! Operations routes: `/readyz` (the data set served, when it was loaded,
//! how the last reload went; 503 while shutting down) and `/metrics`
//! (Prometheus text). `/healthz` (the process answers) is in [`crate::api`].

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::api::{ApiError, AppState};
use crate::state::Status;

/// The operations routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

/// What `/readyz` answers.
#[derive(Debug, Serialize)]
pub struct Readiness {
    /// `ready`.
    pub status: &'static str,
    /// The version of the data set being served.
    pub dataset_version: String,
    /// Load time and the last reload attempt.
    #[serde(flatten)]
    pub history: Status,
}

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

async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}
