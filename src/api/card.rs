//! `/api/v1/card`: the verdict card as SVG or PNG. Glue only: the picture is
//! `card`'s; this module reads the query and sets the headers.

use axum::extract::{Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ErrorBody;
use super::locate::target;
use super::openapi::{query_names, Binary, QueryNames};
use super::params::Params;
use super::{ApiError, AppState};
use crate::card::{self, CardFormat, CardSpec};
use crate::date::Day;
use crate::export::Lang;
use crate::resolve::Target;

/// Routes of this group.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(card))
}

/// What `GET /api/v1/card` takes.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // The parameters' documentation; `Params` reads the values.
struct CardQuery {
    /// Latitude in decimal degrees, WGS 84 (with `lon`; or give `q`).
    #[param(example = 39.8153, minimum = -90, maximum = 90)]
    lat: Option<f64>,
    /// Longitude in decimal degrees, WGS 84.
    #[param(example = 46.7519, minimum = -180, maximum = 180)]
    lon: Option<f64>,
    /// A place name in any spelling or script, or a coordinate in any notation, instead of lat/lon.
    q: Option<String>,
    /// The day the card shows (`YYYY-MM-DD`).
    #[param(value_type = Day, example = "2022-03-25")]
    date: String,
    /// The caller's own location uncertainty, metres (default 0); with `q`, the matched place's own accuracy is added.
    #[param(minimum = 0, maximum = 100_000)]
    uncertainty_m: Option<f64>,
    /// Language of the place labels.
    #[param(inline)]
    lang: Option<Lang>,
    /// `png` (default) or `svg`.
    #[param(inline)]
    format: Option<CardFormat>,
    /// `social` (1200x630, default), `square`, `narrow` or `WxH` with each
    /// side 300 to 2400 pixels.
    #[param(example = "social")]
    size: Option<String>,
}
static CARD_PARAMS: QueryNames = QueryNames::new(query_names::<CardQuery>);

/// The dated verdict drawn as a card: the zone and corridor of the day, the
/// accuracy band, the point and its uncertainty, labelled places, scale,
/// the verdict in words, distance ± accuracy, data version and permalink.
#[utoipa::path(
    get,
    path = "/api/v1/card",
    tag = "verdict",
    params(CardQuery),
    responses(
        (status = 200, description = "The card.", content(
            (Binary = "image/png"),
            (String = "image/svg+xml"),
        )),
        (status = 400, description = "A missing, malformed or unknown parameter, named.", body = ErrorBody),
        (status = 404, description = "`q` names no place the search is confident of (the message names the closest).", body = ErrorBody),
    )
)]
async fn card(State(state): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let params = Params::parse(req.uri().query(), &CARD_PARAMS)?;
    let ds = state.data.load_full();
    let Target {
        at, uncertainty_m, ..
    } = target(&params, &ds)?;
    let day = params
        .day("date")?
        .ok_or_else(|| ApiError::param("date", "a card needs a date (YYYY-MM-DD)"))?;
    let lang: Lang = params.parsed("lang")?.unwrap_or_default();
    let format = match params.get("format") {
        None => CardFormat::Png,
        Some(f) => f.parse().map_err(|_: strum::ParseError| {
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
