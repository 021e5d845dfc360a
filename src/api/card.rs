//! `/api/v1/card`: the verdict card as SVG or PNG. Glue only: the picture is
//! `card`'s; this module reads the query and sets the headers.

use axum::extract::{Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::locate::point;
use super::params::Params;
use super::{ApiError, AppState};
use crate::card::{self, CardFormat, CardSpec};
use crate::export::Lang;
use crate::locate::input;

/// Routes of this group.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/card", get(card))
}

const CARD_PARAMS: &[&str] = &[
    "lat",
    "lon",
    "q",
    "date",
    "uncertainty_m",
    "lang",
    "format",
    "size",
];

async fn card(State(state): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let params = Params::parse(req.uri().query(), CARD_PARAMS)?;
    let ds = state.data.load_full();
    let (at, _) = point(&params, &ds)?;
    let day = params
        .day("date")?
        .ok_or_else(|| ApiError::param("date", "a card needs a date (YYYY-MM-DD)"))?;
    let uncertainty_m = input::uncertainty(params.number("uncertainty_m")?)?;
    let lang = match params.get("lang") {
        None => Lang::default(),
        Some(code) => Lang::parse(code).ok_or_else(|| {
            ApiError::param(
                "lang",
                format!("unknown language '{code}': use display, en, hy, az or ru"),
            )
        })?,
    };
    let format = match params.get("format") {
        None => CardFormat::Png,
        Some(f) => CardFormat::parse(f).ok_or_else(|| {
            ApiError::param("format", format!("unknown format '{f}': use png or svg"))
        })?,
    };
    let size = match params.get("size") {
        None => card::SOCIAL,
        Some(s) => card::parse_size(s).map_err(|e| ApiError::param("size", e.to_string()))?,
    };
    let spec = CardSpec {
        at,
        day,
        uncertainty_m,
        lang,
        size,
        link_base: state.config.base_url(),
    };
    // Rasterising takes milliseconds of CPU: keep it off the async workers.
    let bytes = tokio::task::spawn_blocking(move || card::render(&ds, &spec, format))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok(([(header::CONTENT_TYPE, format.media_type())], bytes).into_response())
}
