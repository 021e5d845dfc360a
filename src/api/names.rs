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
use axum::Json;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ErrorBody;
use super::openapi::{query_names, QueryNames};
use super::params::Params;
use super::{ApiError, AppState};
use crate::annotate::Annotation;
use crate::coords::Parsed;
use crate::gazetteer::Hit;

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
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(places))
        .routes(routes!(parse))
        .merge(
            // Articles have their own, smaller body limit (the answer is ~25x the text).
            OpenApiRouter::new().routes(routes!(annotate)).layer(
                axum::extract::DefaultBodyLimit::max(crate::annotate::MAX_TEXT_BYTES),
            ),
        )
}

/// What `GET /api/v1/places` takes.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // The parameters' documentation; `Params` reads the values.
struct PlacesQuery {
    /// Part of a place name in any script or spelling.
    #[param(example = "Farrukh")]
    q: String,
    /// How many results, 1 to 50 (default 10).
    #[param(minimum = 1, maximum = 50)]
    limit: Option<u32>,
}
static PLACES_PARAMS: QueryNames = QueryNames::new(query_names::<PlacesQuery>);

/// The answer of `GET /api/v1/places`.
#[derive(Serialize, ToSchema)]
pub struct PlacesAnswer<'a> {
    /// The query as given.
    pub query: &'a str,
    /// Number of results.
    pub count: usize,
    /// What the scores mean.
    pub scores: Scores,
    /// Ranked results, best first; none below `scores.min`.
    pub results: Vec<Hit<'a>>,
}

/// The score scale, sent with every search so a client can threshold it.
#[derive(Serialize, ToSchema)]
pub struct Scores {
    /// No result scores below this.
    pub min: f64,
    /// From this score on a result may be taken without asking.
    pub confident: f64,
    /// The scale in words.
    pub meaning: &'static str,
}

/// What `GET /api/v1/parse` takes.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // The parameters' documentation; `Params` reads the values.
struct ParseQuery {
    /// A coordinate in any supported notation.
    #[param(example = "40°01′10″N 46°48′04″E")]
    q: String,
}
static PARSE_PARAMS: QueryNames = QueryNames::new(query_names::<ParseQuery>);

/// The answer of `GET /api/v1/parse`.
#[derive(Serialize, ToSchema)]
pub struct ParseAnswer<'a> {
    /// The query as given.
    pub query: &'a str,
    /// What it was read as.
    #[serde(flatten)]
    pub parsed: Parsed,
}

/// What `POST /api/v1/annotate` takes in its query.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // The parameters' documentation; `Params` reads the values.
struct AnnotateQuery {
    /// The date to give each place's status on (`YYYY-MM-DD`); without
    /// it, the article's own date when it states one.
    #[param(value_type = Option<crate::date::Day>, example = "2022-03-25")]
    date: Option<String>,
}
static ANNOTATE_PARAMS: QueryNames = QueryNames::new(query_names::<AnnotateQuery>);

fn required<'a>(params: &'a Params, key: &str, what: &str) -> Result<&'a str, ApiError> {
    match params.get(key) {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(ApiError::param(key, format!("{key} is required: {what}"))),
    }
}

/// Ranked place search over every name, alternate and historic spelling, in
/// any script, tolerant of typos and transliteration variants; prefixes work
/// for type-ahead.
#[utoipa::path(
    get,
    path = "/api/v1/places",
    tag = "names",
    params(PlacesQuery),
    responses(
        (status = 200, description = "Matching places, best first.", body = PlacesAnswer),
        (status = 400, description = "A missing or malformed parameter.", body = ErrorBody),
    )
)]
async fn places(State(state): State<AppState>, uri: Uri) -> Result<Response, ApiError> {
    let params = Params::parse(uri.query(), &PLACES_PARAMS)?;
    let q = required(&params, "q", "part of a place name in any script")?;
    let limit = params
        .count("limit", 1..=MAX_LIMIT)?
        .unwrap_or(DEFAULT_LIMIT);
    let ds = state.data.load();
    let hits = ds
        .gazetteer
        .search(q, limit)
        .map_err(|e| ApiError::param("q", e.to_string()))?;
    Ok(Json(PlacesAnswer {
        query: q,
        count: hits.len(),
        scores: Scores {
            min: crate::gazetteer::MIN_SCORE,
            confident: crate::gazetteer::CONFIDENT_SCORE,
            meaning: SCORE_MEANING,
        },
        results: hits,
    })
    .into_response())
}

/// Reads a coordinate in any usual notation (decimal, DMS, DDM, map URLs,
/// GeoJSON, MGRS/UTM); ambiguous input gives every reading.
#[utoipa::path(
    get,
    path = "/api/v1/parse",
    tag = "names",
    params(ParseQuery),
    responses(
        (status = 200, description = "The point(s) understood and the notation.", body = ParseAnswer),
        (status = 400, description = "A missing parameter or text that is no coordinate.", body = ErrorBody),
    )
)]
async fn parse(uri: Uri) -> Result<Response, ApiError> {
    let params = Params::parse(uri.query(), &PARSE_PARAMS)?;
    let q = required(&params, "q", "a coordinate in any supported notation")?;
    let parsed = crate::coords::parse(q).map_err(|e| ApiError::param("q", e.to_string()))?;
    Ok(Json(ParseAnswer { query: q, parsed }).into_response())
}

/// Places and coordinates mentioned in an article (a plain-text body), each
/// with its character and byte span, the form matched and, for a date, the
/// place's status then.
#[utoipa::path(
    post,
    path = "/api/v1/annotate",
    tag = "names",
    params(AnnotateQuery),
    request_body(content = String, content_type = "text/plain",
                 description = "The article, UTF-8 plain text.",
                 example = "On 24 March 2022 the Russian MoD said troops entered Farrukh."),
    responses(
        (status = 200, description = "The mentions found.", body = Annotation),
        (status = 400, description = "A malformed date, or a body that is empty or not UTF-8.", body = ErrorBody),
        (status = 413, description = "The article exceeds the size or mention limit.", body = ErrorBody),
        (status = 415, description = "A body that is not text/plain.", body = ErrorBody),
    )
)]
async fn annotate(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let params = Params::parse(uri.query(), &ANNOTATE_PARAMS)?;
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
