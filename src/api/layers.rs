//! `/api/v1/dataset` and `/api/v1/layers/{id}`: the catalog, the versions and
//! each layer as `GeoJSON` for a date (the map's sources and its downloads).

use axum::extract::{Path, State};
use axum::http::{header, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use super::params::Params;
use super::{ApiError, AppState};

/// Routes of this group.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/dataset", get(dataset))
        .route("/api/v1/layers/{id}", get(layer))
}

async fn dataset(State(state): State<AppState>) -> Json<serde_json::Value> {
    let ds = state.data.load();
    let (first, end) = ds.zone_period();
    // The first and last days bound the period; the ticks are the changes within it.
    let changes: Vec<String> = ds
        .change_days()
        .iter()
        .filter(|d| **d > first && **d < end)
        .map(ToString::to_string)
        .collect();
    let layers: Vec<serde_json::Value> = ds
        .layers
        .iter()
        .map(|l| {
            json!({
                "id": l.meta.id,
                "title": l.meta.title,
                "description": l.meta.description,
                "geometry_type": l.meta.geometry_type,
                "accuracy_m": l.meta.accuracy_m,
                "licence": l.meta.licence,
                "sources": l.meta.sources,
                "feature_count": l.features.len(),
                "bbox": l.bbox,
                "derived": l.meta.derived,
                "href": format!("/api/v1/layers/{}", l.meta.id),
            })
        })
        .collect();
    Json(json!({
        "title": ds.catalog.title,
        "description": ds.catalog.description,
        "licence": ds.catalog.licence,
        "attribution": ds.catalog.attribution,
        "dataset_version": ds.version,
        "zone_period": { "from": first, "to": end },
        "change_dates": changes,
        "zone_versions": ds.versions.zone_versions,
        "corridor_versions": ds.versions.corridor_versions,
        "basemap_style": state.config.basemap_style,
        "layers": layers,
    }))
}

async fn layer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let params = Params::parse(uri.query(), &["date", "download"])?;
    let day = params.day("date")?;
    let ds = state.data.load();
    let id = id.strip_suffix(".geojson").unwrap_or(&id);
    let layer = ds
        .layer(id)
        .ok_or_else(|| ApiError::NotFound(format!("no layer '{id}'")))?;
    let mut body = String::with_capacity(1024);
    body.push_str("{\"type\":\"FeatureCollection\",\"name\":");
    body.push_str(&serde_json::to_string(&layer.meta.id).unwrap_or_default());
    body.push_str(",\"features\":[");
    let mut first = true;
    for f in layer
        .features
        .iter()
        .filter(|f| day.is_none_or(|d| f.validity.contains(d)))
    {
        if !first {
            body.push(',');
        }
        first = false;
        body.push_str(&f.json);
    }
    body.push_str("]}");
    let mut resp = ([(header::CONTENT_TYPE, "application/geo+json")], body).into_response();
    if params.get("download").is_some_and(|v| v != "0") {
        let name = match day {
            Some(d) => format!("attachment; filename=\"contactline-{id}-{d}.geojson\""),
            None => format!("attachment; filename=\"contactline-{id}.geojson\""),
        };
        if let Ok(v) = header::HeaderValue::from_str(&name) {
            resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(resp)
}
