//! `/api/v1/locate`: the verdict for one point (GET) or many (POST, JSON or
//! CSV, answered in input order and streamed). Glue only: the answers are
//! `locate`'s; this module reads requests and streams chunks.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ErrorBody;
use super::openapi::{query_names, QueryNames};
use super::params::Params;
use super::{ApiError, AppState};
use crate::locate::batch::{
    compact_row, Chunk, CompactRow, CsvBatch, JsonBatch, JsonRow, Row, QUEUED_CHUNKS,
};
use crate::locate::{input, report, Report};
use crate::resolve::Target;

/// Routes of this group.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(locate_one, locate_batch))
}

/// The answer of `GET /api/v1/locate`: the full report, or with `compact=1`
/// the batch row's fields for the one point.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)] // Its schema; each form is written by its own type.
#[allow(clippy::large_enum_variant)] // Never built, so its size costs nothing.
enum LocateAnswer<'a> {
    /// The full report.
    Report(Report<'a>),
    /// `compact=1`: status, distance, accuracy, zone version, nearest place.
    Compact(CompactRow<'a>),
}

/// What `GET /api/v1/locate` takes.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // The parameters' documentation; `Params` reads the values.
struct LocateQuery {
    /// Latitude in decimal degrees, WGS 84 (with `lon`; or give `q`).
    #[param(example = 39.8153, minimum = -90, maximum = 90)]
    lat: Option<f64>,
    /// Longitude in decimal degrees, WGS 84.
    #[param(example = 46.7519, minimum = -180, maximum = 180)]
    lon: Option<f64>,
    /// The day (`YYYY-MM-DD`); without it there is no single status, only the timeline.
    #[param(value_type = Option<crate::date::Day>, example = "2022-03-25")]
    date: Option<String>,
    /// The caller's own location uncertainty, metres (default 0); with `q`, the matched place's own accuracy is added.
    #[param(minimum = 0, maximum = 100_000)]
    uncertainty_m: Option<f64>,
    /// A place name in any spelling or script, or a coordinate in any notation, instead of lat/lon.
    q: Option<String>,
    /// `1`: only the batch row's fields (no timeline, places or sources).
    #[param(example = "1", pattern = "^[01]$")]
    compact: Option<String>,
}
static LOCATE_PARAMS: QueryNames = QueryNames::new(query_names::<LocateQuery>);

/// Was this point inside the peacekeepers' area of responsibility on this
/// date? Give `lat` and `lon`, or `q` (a place name or any coordinate
/// notation). Without `date`, only the timeline is given.
#[utoipa::path(
    get,
    path = "/api/v1/locate",
    tag = "verdict",
    params(LocateQuery),
    responses(
        (status = 200, description = "The report, or with compact=1 the batch row's fields.", body = LocateAnswer),
        (status = 400, description = "A missing, malformed or unknown parameter, named.", body = ErrorBody),
        (status = 404, description = "`q` names no place the search is confident of (the message names the closest).", body = ErrorBody),
    )
)]
async fn locate_one(State(state): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let params = Params::parse(req.uri().query(), &LOCATE_PARAMS)?;
    let compact = match params.get("compact") {
        None | Some("0" | "false") => false,
        Some("1" | "true" | "") => true,
        Some(other) => {
            return Err(ApiError::param(
                "compact",
                format!("compact must be 1 or 0, got '{other}'"),
            ))
        }
    };
    let ds = state.data.load();
    let day = params.day("date")?;
    let Target {
        at,
        resolved,
        uncertainty_m,
    } = target(&params, &ds)?;
    if compact {
        // The batch row's fields for one point: no timeline, places or sources.
        let row = Row {
            at,
            day,
            uncertainty_m,
        };
        let mut body = compact_row(&ds, &row, None);
        body.resolved = resolved.as_ref();
        // About 450 bytes, 600 with what `q` resolved to.
        return json_response(&body, 1024);
    }
    let mut report = report(&ds, at, day, uncertainty_m);
    report.resolved = resolved.as_ref();
    json_response(&report, 8 * 1024)
}

/// `value` as JSON in one buffer of about the answer's size: axum's `Json`
/// starts at 128 bytes and writes through `BytesMut` piece by piece, which
/// measured as a fifth of the report's cost.
fn json_response<T: serde::Serialize>(value: &T, capacity: usize) -> Result<Response, ApiError> {
    let mut body = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut body, value).map_err(|e| ApiError::Internal(e.into()))?;
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(response)
}

/// The point a request names: `lat` and `lon`, or `q` (a place in any
/// spelling or a coordinate in any notation) with what it resolved to, and
/// the `uncertainty_m` to allow for.
pub(super) fn target(params: &Params, ds: &crate::dataset::Dataset) -> Result<Target, ApiError> {
    let uncertainty_m = input::uncertainty(params.number("uncertainty_m")?)?;
    if let Some(q) = params.get("q") {
        if params.get("lat").is_some() || params.get("lon").is_some() {
            return Err(ApiError::param("q", "give either q or lat/lon, not both"));
        }
        let r = crate::resolve::resolve(ds, q).map_err(|e| match e {
            // No place, or only a guess: the query was fine, the place is not there.
            crate::resolve::ResolveError::Unknown(_)
            | crate::resolve::ResolveError::NotConfident { .. } => {
                ApiError::NotFound(e.to_string())
            }
            _ => ApiError::param("q", e.to_string()),
        })?;
        Ok(Target::resolved(r, uncertainty_m))
    } else {
        let lat = params
            .number("lat")?
            .ok_or_else(|| ApiError::param("lat", "lat is required (or q)"))?;
        let lon = params
            .number("lon")?
            .ok_or_else(|| ApiError::param("lon", "lon is required (or q)"))?;
        Ok(Target::at(input::position(lat, lon)?, uncertainty_m))
    }
}

/// What `POST /api/v1/locate` takes in its query.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // The parameters' documentation; `Params` reads the values.
struct BatchQuery {
    /// CSV answers: `neutralise` (default) writes text cells that a
    /// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
    /// tab or CR, and not a number) with a leading `'`, as OWASP recommends;
    /// `raw` writes them as they are, for programs.
    #[param(example = "raw")]
    csv_formulas: Option<String>,
}
static BATCH_PARAMS: QueryNames = QueryNames::new(query_names::<BatchQuery>);

/// Verdicts for many points, in input order, streamed. CSV in gives CSV out
/// with the verdict columns appended and every input column kept.
#[utoipa::path(
    post,
    path = "/api/v1/locate",
    tag = "verdict",
    params(BatchQuery),
    request_body(
        description = "A JSON array of rows, or CSV with a header naming `lat` and `lon` (also `latitude`, \
                       `lng`, `long`, `longitude`), optional `date` and `uncertainty_m`; other columns are kept. \
                       A header with semicolons and no comma is read as a comma-decimal spreadsheet writes it \
                       (`;` between fields, decimal commas, dates also `DD.MM.YYYY`), and answered the same way.",
        content(
            (Vec<JsonRow> = "application/json"),
            (String = "text/csv", example = "name,lat,lon,date\nStepanakert,39.8153,46.7519,2022-03-25\n"),
        )
    ),
    responses(
        (status = 200, description = "One verdict per input row, in input order.", content(
            (Vec<CompactRow> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 422, description = "A malformed row, named, or a coordinate given by two columns; nothing is streamed.", body = ErrorBody),
        (status = 400, description = "A body that is not the declared format.", body = ErrorBody),
        (status = 413, description = "Too many rows or too large a body.", body = ErrorBody),
        (status = 415, description = "Neither JSON nor CSV.", body = ErrorBody),
    )
)]
async fn locate_batch(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    // An oversize body is refused by the body limit before it is read whole.
    let body = body?;
    let params = Params::parse(uri.query(), &BATCH_PARAMS)?;
    let formulas = params.parsed("csv_formulas")?.unwrap_or_default();
    let ctype = super::media::declared(&headers, &["application/json", "text/csv"])?;
    let max_rows = state.config.max_batch_rows;
    let ds = state.data.load_full();
    // Reading checks every row: CPU work, off the async workers.
    if ctype == Some("text/csv") {
        let batch = tokio::task::spawn_blocking(move || CsvBatch::read(body, max_rows, formulas))
            .await
            .map_err(|e| ApiError::Internal(e.into()))??;
        Ok(stream_body(
            &state,
            "text/csv; charset=utf-8",
            move |send| {
                batch.write(&ds, send);
            },
        ))
    } else {
        let batch = tokio::task::spawn_blocking(move || JsonBatch::read(&body, max_rows))
            .await
            .map_err(|e| ApiError::Internal(e.into()))??;
        Ok(stream_body(&state, "application/json", move |send| {
            batch.write(&ds, send);
        }))
    }
}

/// Streams chunks produced on a blocking thread as the response body,
/// through a queue of [`QUEUED_CHUNKS`]: when the client reads slower than
/// the verdicts are written, the producer waits (backpressure), so one
/// client holds at most a few thousand answered rows. When the connection
/// goes (the client left, or stopped reading past the write timeout), the
/// queue's receiver is dropped, the next send fails and the producer stops.
fn stream_body(
    state: &AppState,
    content_type: &'static str,
    produce: impl FnOnce(&mut dyn FnMut(Chunk) -> bool) + Send + 'static,
) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(QUEUED_CHUNKS);
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let _active = state.metrics.batch_started();
        produce(&mut |chunk: Chunk| {
            let sent = tx.blocking_send(Ok(Bytes::from(chunk.bytes))).is_ok();
            if sent {
                state.metrics.batch_rows(chunk.rows as u64);
            }
            sent
        });
    });
    let stream = tokio_stream::wrappers::ReceiverStream::new(rx);
    (
        [(header::CONTENT_TYPE, content_type)],
        Body::from_stream(stream),
    )
        .into_response()
}
