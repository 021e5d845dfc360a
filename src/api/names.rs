//! Names and notations over HTTP: `GET /api/v1/places` (ranked place
//! search), `GET /api/v1/parse` (coordinate notations) and
//! `POST /api/v1/annotate` (places and coordinates in a plain-text article).
//!
//! Adapts requests to `gazetteer`, `coords` and `annotate`; every failure
//! goes through [`ApiError`].

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use super::params::Params;
use super::{ApiError, AppState};

/// Results of a search unless `limit` says otherwise.
pub const DEFAULT_LIMIT: usize = 10;
/// Most results of one search.
pub const MAX_LIMIT: usize = 50;

/// What a score means, sent with every search so a client can threshold it.
pub const SCORE_MEANING: &str = "1 = the spelling itself; 0.97 = the same spelling in another script; \
0.8-0.9 = a transliteration variant (same phonetic skeleton); 0.55-0.85 = a prefix (type-ahead); \
0.5-0.7 = a typo. Results below 'min' are never returned, so no plausible match gives an empty list; \
from 'confident' on a result may be taken without asking.";

/// Routes of this group.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/places", get(places))
        .route("/api/v1/parse", get(parse))
        // Articles have their own, smaller body limit (the answer is ~25x the text).
        .route(
            "/api/v1/annotate",
            post(annotate).layer(axum::extract::DefaultBodyLimit::max(
                crate::annotate::MAX_TEXT_BYTES,
            )),
        )
}

fn required<'a>(params: &'a Params, key: &str, what: &str) -> Result<&'a str, ApiError> {
    match params.get(key) {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(ApiError::param(key, format!("{key} is required: {what}"))),
    }
}

async fn places(State(state): State<AppState>, uri: Uri) -> Result<Response, ApiError> {
    let params = Params::parse(uri.query(), &["q", "limit"])?;
    let q = required(&params, "q", "part of a place name in any script")?;
    let limit = match params.count("limit", MAX_LIMIT)? {
        None => DEFAULT_LIMIT,
        Some(0) => {
            return Err(ApiError::param(
                "limit",
                format!("limit must be a whole number from 1 to {MAX_LIMIT}"),
            ))
        }
        Some(n) => n,
    };
    let ds = state.data.load();
    let hits = ds
        .gazetteer
        .search(q, limit)
        .map_err(|e| ApiError::param("q", e.to_string()))?;
    Ok(Json(json!({
        "query": q,
        "count": hits.len(),
        "scores": {
            "min": crate::gazetteer::MIN_SCORE,
            "confident": crate::gazetteer::CONFIDENT_SCORE,
            "meaning": SCORE_MEANING,
        },
        "results": hits,
    }))
    .into_response())
}

async fn parse(uri: Uri) -> Result<Response, ApiError> {
    let params = Params::parse(uri.query(), &["q"])?;
    let q = required(&params, "q", "a coordinate in any supported notation")?;
    let parsed = crate::coords::parse(q).map_err(|e| ApiError::param("q", e.to_string()))?;
    let mut body = serde_json::to_value(&parsed).map_err(|e| ApiError::Internal(e.into()))?;
    body["query"] = json!(q);
    Ok(Json(body).into_response())
}

async fn annotate(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let params = Params::parse(uri.query(), &["date"])?;
    let day = params.day("date")?;
    super::media::declared(&headers, &["text/plain"])?;
    let body = body?;
    let text = std::str::from_utf8(&body)
        .map_err(|e| ApiError::BadBody(format!("the body is not UTF-8 text: {e}")))?;
    if text.trim().is_empty() {
        return Err(ApiError::BadBody(
            "the body is empty: send the article text".into(),
        ));
    }
    let ds = state.data.load_full();
    let text = text.to_owned();
    // Long articles take milliseconds: keep them off the async workers.
    let annotation =
        tokio::task::spawn_blocking(move || crate::annotate::annotate(&ds, &text, day))
            .await
            .map_err(|e| ApiError::Internal(e.into()))?
            .map_err(|e| ApiError::TooLarge(e.to_string()))?;
    Ok(Json(annotation).into_response())
}
