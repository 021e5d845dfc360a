//! `GET /`: the map's page, with Open Graph tags for a permalink that names
//! a checked point, so a link pasted in a chat or a post previews the verdict
//! (title, description and the verdict card as the image).
//!
//! Everything else of the web app is served as static files by the server's
//! fallback; this route only adds the tags to `index.html`.

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use std::fmt::Write as _;

use quick_xml::escape::escape;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use crate::locate::{headline, input, report, title_line, Status};

/// Routes of this group.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(page))
}

/// The permalink parameters the page's tags are drawn from; the map reads
/// the same and more itself, so any other parameter is left to it.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // The parameters' documentation; `og_tags` reads the values.
struct PageQuery {
    /// The checked point, `LAT,LON` in decimal degrees.
    #[param(example = "39.8153,46.7519")]
    pt: Option<String>,
    /// The day (`YYYY-MM-DD`).
    #[param(value_type = Option<crate::date::Day>, example = "2022-03-25")]
    date: Option<String>,
    /// The location's uncertainty, metres.
    u: Option<f64>,
}

/// The map's page. A permalink naming a checked point and a date gets Open
/// Graph and Twitter card tags (the verdict as title, the card as image);
/// the page never fails on its parameters.
#[utoipa::path(
    get,
    path = "/",
    tag = "map",
    params(PageQuery),
    responses((status = 200, description = "The map's HTML page.", body = String, content_type = "text/html"))
)]
async fn page(State(state): State<AppState>, req: Request) -> Response {
    let index = state.config.web_dir.join("index.html");
    // An API-only server (no built map) still answers with a page that says so.
    let html = tokio::fs::read_to_string(&index).await.unwrap_or_else(|_| {
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>contactline</title></head>\
         <body><p>The map is not built on this server (<code>make web</code>); the API is described at \
         <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p></body></html>"
            .to_owned()
    });
    // The page never fails on its parameters: the app itself reports bad ones.
    let base = state.config.base_url();
    let tags = og_tags(&state, &base, req.uri().query().unwrap_or_default());
    let html = match tags {
        Some(tags) => html.replacen("</head>", &format!("{tags}</head>"), 1),
        None => html,
    };
    (
        StatusCode::OK,
        [(header::CACHE_CONTROL, "no-cache")],
        Html(html),
    )
        .into_response()
}

/// Open Graph and Twitter card tags for a permalink with a checked point
/// (`pt=LAT,LON`), a date and optionally the location's uncertainty (`u`)
/// and the place the point was picked as (`pl`, whose own accuracy counts as
/// uncertainty, as in the API), as the map writes them.
fn og_tags(state: &AppState, base: &str, query: &str) -> Option<String> {
    let (mut point, mut date, mut u, mut place) = (None, None, None, None);
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "pt" => point = Some(v.into_owned()),
            "date" => date = Some(v.into_owned()),
            "u" => u = Some(v.into_owned()),
            "pl" => place = Some(v.into_owned()),
            _ => {}
        }
    }
    let (lat, lon) = point?
        .split_once(',')
        .map(|(a, b)| (a.trim().parse().ok(), b.trim().parse().ok()))?;
    let (lat, lon): (f64, f64) = (lat?, lon?);
    let day: crate::date::Day = date?.parse().ok()?;
    let at = input::position(lat, lon).ok()?;
    let uncertainty_m = input::uncertainty(u.and_then(|u| u.parse().ok())).ok()?;
    let ds = state.data.load();
    // The map writes `pl` with the place's own point; another point is not that place.
    let uncertainty_m = uncertainty_m
        + place
            .and_then(|id| ds.place(&id))
            .filter(|p| crate::geodesy::distance_m(p.at, at) < 50.0)
            .map_or(0.0, |p| p.accuracy_m);
    let r = report(&ds, at, Some(day), uncertainty_m);
    let status = r.status.unwrap_or(Status::NoZone);
    let verdict = if status != Status::NoZone && r.near_boundary == Some(true) {
        "Near the boundary of the peacekeeping zone (uncertain)"
    } else {
        headline(status)
    };
    let title = title_line(verdict, at, day);
    let image =
        format!("{base}/api/v1/card?lat={lat}&lon={lon}&date={day}&uncertainty_m={uncertainty_m}");
    let tags = [
        ("og:type", "website".to_owned()),
        ("og:site_name", "contactline".to_owned()),
        ("og:title", title.clone()),
        ("og:description", r.summary.clone()),
        ("og:image", image.clone()),
        ("og:image:width", "1200".to_owned()),
        ("og:image:height", "630".to_owned()),
        ("og:image:alt", title),
    ];
    let mut out = String::new();
    for (k, v) in &tags {
        let _ = writeln!(
            out,
            "<meta property=\"{k}\" content=\"{}\">",
            escape(v.as_str())
        );
    }
    out.push_str("<meta name=\"twitter:card\" content=\"summary_large_image\">\n");
    let _ = writeln!(
        out,
        "<meta name=\"twitter:image\" content=\"{}\">",
        escape(image.as_str())
    );
    Some(out)
}
