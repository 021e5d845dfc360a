//! `/api/v1/dataset` and `/api/v1/layers/{id}`: the catalog, the versions and
//! each layer as `GeoJSON` for a date (the map's sources and its downloads).
//! `columns=flat` gives a layer's GeoJSON with the export table's flat
//! columns (`export::flat_geojson`): names by language and, on a date, each
//! place's status that day, which a GIS styles by.

use axum::extract::{Path, State};
use axum::http::{header, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use super::params::Params;
use super::{ApiError, AppState};
use crate::export::{self, ExportError, Format, Lang, Selection};

/// Routes of this group.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/dataset", get(dataset))
        .route("/api/v1/layers/{id}", get(layer))
        .route("/api/v1/dataset/bundle", get(bundle))
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
                // Pinned to this data set version: cacheable for good (`server::headers`).
                "href": format!("/api/v1/layers/{}?v={}", l.meta.id, ds.version),
                // The download formats this layer's geometry fits (`?format=`).
                "formats": Format::ALL.iter().filter(|f| f.fits(l)).map(|f| f.name()).collect::<Vec<_>>(),
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
        "derived_versions": {
            "zone": ds.zones.iter().map(derived_version).collect::<Vec<_>>(),
            "corridor": ds.corridors.iter().map(derived_version).collect::<Vec<_>>(),
        },
        "basemap_style": state.config.basemap_style,
        "layers": layers,
    }))
}

/// A derived version with the figures `contactline derive` computed for it.
fn derived_version(v: &crate::dataset::AreaVersion) -> serde_json::Value {
    json!({
        "id": v.id,
        "title": v.title,
        "valid_from": v.validity.valid_from,
        "valid_to": v.validity.valid_to,
        "accuracy_m": v.accuracy_m,
        "figures": v.figures,
    })
}

async fn layer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let params = Params::parse(
        uri.query(),
        &["date", "download", "format", "lang", "columns"],
    )?;
    let day = params.day("date")?;
    // A file-like id (`zone.kml`) names the format too; `format=` wins.
    let (id, ext) = id
        .rsplit_once('.')
        .map_or((id.as_str(), None), |(i, e)| (i, Some(e)));
    let format = match params.get("format").or(ext) {
        None => Format::GeoJson,
        Some(name) => Format::parse(name).ok_or_else(|| {
            ApiError::param(
                "format",
                format!("unknown format '{name}': use geojson, kml, csv or fgb"),
            )
        })?,
    };
    let lang = match params.get("lang") {
        None => Lang::default(),
        Some(code) => Lang::parse(code).ok_or_else(|| {
            ApiError::param(
                "lang",
                format!("unknown language '{code}': use display, en, hy, az or ru"),
            )
        })?,
    };
    let ds = state.data.load();
    let layer = ds
        .layer(id)
        .ok_or_else(|| ApiError::NotFound(format!("no layer '{id}'")))?;
    // `columns=flat` is the map's and QGIS's flat GeoJSON of places for a day.
    let body = match (params.get("columns"), format) {
        (None | Some("full"), _) => export::export(&ds, layer, format, Selection { day, lang })
            .map_err(|e| match e {
                ExportError::Unsupported { .. } => ApiError::param("format", e.to_string()),
                ExportError::Write { .. } => ApiError::Internal(e.into()),
            })?,
        (Some("flat"), Format::GeoJson) => {
            export::flat_geojson(&ds, layer, Selection { day, lang })
                .map_err(|e| ApiError::Internal(e.into()))?
        }
        (Some("flat"), _) => {
            return Err(ApiError::param(
                "columns",
                "columns=flat is a GeoJSON form; other formats are flat already",
            ))
        }
        (Some(other), _) => {
            return Err(ApiError::param(
                "columns",
                format!("columns must be 'full' or 'flat', not '{other}'"),
            ))
        }
    };
    let mut resp = ([(header::CONTENT_TYPE, format.media_type())], body).into_response();
    // Binary formats are files, never shown inline.
    if params.get("download").is_some_and(|v| v != "0") || format == Format::FlatGeobuf {
        let name = format!(
            "attachment; filename=\"{}\"",
            export::file_name(id, day, format)
        );
        if let Ok(v) = header::HeaderValue::from_str(&name) {
            resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(resp)
}

/// The whole data set as a zip (every layer in every format, catalog, README,
/// licence, checksums), named by the data set version.
async fn bundle(State(state): State<AppState>, uri: Uri) -> Result<Response, ApiError> {
    Params::parse(uri.query(), &[])?;
    let ds = state.data.load_full();
    // A data set without its README still bundles; the archive says so.
    let readme = tokio::fs::read_to_string(state.config.data_dir.join("README.md"))
        .await
        .unwrap_or_else(|_| "The data README was not found beside the data.\n".to_owned());
    let name = export::bundle::bundle_name(&ds);
    let bytes = tokio::task::spawn_blocking(move || export::bundle::write(&ds, &readme))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
        .map_err(|e| ApiError::Internal(e.into()))?;
    let disposition = format!("attachment; filename=\"{name}.zip\"");
    let mut resp = ([(header::CONTENT_TYPE, "application/zip")], bytes).into_response();
    if let Ok(v) = header::HeaderValue::from_str(&disposition) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}
