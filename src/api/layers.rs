//! `/api/v1/dataset` and `/api/v1/layers/{id}`: the catalog, the versions and
//! each layer as `GeoJSON` for a date (the map's sources and its downloads).
//! `columns=flat` gives a layer's GeoJSON with the export table's flat
//! columns (`export::flat_geojson`): names by language and, on a date, each
//! place's status that day, which a GIS styles by.

use axum::extract::{Path, State};
use axum::http::{header, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ErrorBody;
use super::openapi::{query_names, Binary, QueryNames};
use super::params::Params;
use super::{ApiError, AppState};
use crate::dataset::model::{CorridorVersionSpec, Source, ZoneVersionSpec};
use crate::dataset::AreaVersion;
use crate::date::Day;
use crate::export::{self, ExportError, Format, Lang, Selection, UnknownFormat};
use crate::figures::Figures;

/// Routes of this group.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(dataset))
        .routes(routes!(layer))
        .routes(routes!(bundle))
}

/// The answer of `GET /api/v1/dataset`.
#[derive(Serialize, ToSchema)]
pub struct Catalog<'a> {
    /// Title of the data set.
    pub title: &'a str,
    /// What it is.
    pub description: &'a str,
    /// Licence of the curated data.
    pub licence: &'a str,
    /// How to credit it.
    pub attribution: &'a str,
    /// Content hash naming the exact data every answer came from.
    pub dataset_version: &'a str,
    /// First day of the zone and the first day after it.
    pub zone_period: Period,
    /// The days within the period on which the zone or corridor changed.
    pub change_dates: Vec<Day>,
    /// Every zone version.
    pub zone_versions: &'a [ZoneVersionSpec],
    /// Every corridor version.
    pub corridor_versions: &'a [CorridorVersionSpec],
    /// The derived polygons with the figures `contactline derive` computed.
    pub derived_versions: DerivedVersions<'a>,
    /// An online basemap style, when the server was given one.
    pub basemap_style: Option<&'a str>,
    /// The layers.
    pub layers: Vec<LayerEntry<'a>>,
}

/// A half-open period of days.
#[derive(Serialize, ToSchema)]
pub struct Period {
    /// First day.
    pub from: Day,
    /// First day after it.
    pub to: Day,
}

/// The derived zone and corridor versions.
#[derive(Serialize, ToSchema)]
pub struct DerivedVersions<'a> {
    /// Zone versions, in date order.
    pub zone: Vec<DerivedVersion<'a>>,
    /// Corridor versions, in date order.
    pub corridor: Vec<DerivedVersion<'a>>,
}

/// A derived version with the figures `contactline derive` computed for it.
#[derive(Serialize, ToSchema)]
pub struct DerivedVersion<'a> {
    /// Feature id.
    pub id: &'a str,
    /// Title for people.
    pub title: &'a str,
    /// What changed on its first day, for a version `derive` split off when
    /// a control timeline changed (else the version's own description).
    pub description: &'a str,
    /// First day of validity (`null`: open).
    pub valid_from: Option<Day>,
    /// First day after validity (`null`: open).
    pub valid_to: Option<Day>,
    /// Typical stated accuracy of the boundary, metres.
    pub accuracy_m: f64,
    /// Area, perimeter and accuracy spread, when computed.
    pub figures: Option<&'a Figures>,
}

impl<'a> DerivedVersion<'a> {
    fn of(v: &'a AreaVersion) -> Self {
        Self {
            id: &v.id,
            title: &v.title,
            description: &v.description,
            valid_from: v.validity.valid_from,
            valid_to: v.validity.valid_to,
            accuracy_m: v.accuracy_m,
            figures: v.figures.as_ref(),
        }
    }
}

/// One layer in the catalog.
#[derive(Serialize, ToSchema)]
pub struct LayerEntry<'a> {
    /// Layer id, as in `/api/v1/layers/{id}`.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// What it holds.
    pub description: &'a str,
    /// GeoJSON geometry type of its features.
    pub geometry_type: &'a str,
    /// Typical accuracy, metres.
    pub accuracy_m: f64,
    /// Licence.
    pub licence: &'a str,
    /// Where it comes from.
    pub sources: &'a [Source],
    /// Number of features.
    pub feature_count: usize,
    /// `[min_lon, min_lat, max_lon, max_lat]`, absent for an empty layer.
    pub bbox: Option<[f64; 4]>,
    /// Whether `contactline derive` computes it from other layers.
    pub derived: bool,
    /// Whether the map draws this layer until the reader turns it off.
    pub shown_by_default: bool,
    /// Where to fetch it, pinned to this data set version (cacheable for good).
    pub href: String,
    /// The download formats this layer's geometry fits (`?format=`):
    /// `geojson`, `kml`, `fgb`, and `csv` for point layers.
    pub formats: Vec<&'static str>,
}

/// The catalog: layers, zone and corridor versions, change dates and the
/// dataset version.
#[utoipa::path(
    get,
    path = "/api/v1/dataset",
    tag = "data",
    responses((status = 200, description = "The catalog.", body = Catalog))
)]
async fn dataset(State(state): State<AppState>) -> Response {
    let ds = state.data.load();
    let (first, end) = ds.zone_period();
    // The first and last days bound the period; the ticks are the changes within it.
    let change_dates = ds
        .change_days()
        .iter()
        .copied()
        .filter(|d| *d > first && *d < end)
        .collect();
    let layers = ds
        .layers
        .iter()
        .map(|l| LayerEntry {
            id: &l.meta.id,
            title: &l.meta.title,
            description: &l.meta.description,
            geometry_type: &l.meta.geometry_type,
            accuracy_m: l.meta.accuracy_m,
            licence: &l.meta.licence,
            sources: &l.meta.sources,
            feature_count: l.features.len(),
            bbox: l.bbox,
            derived: l.meta.derived,
            shown_by_default: l.meta.shown_by_default,
            // Pinned to this data set version: cacheable for good (`server::headers`).
            href: format!("/api/v1/layers/{}?v={}", l.meta.id, ds.version),
            formats: Format::ALL
                .iter()
                .filter(|f| f.fits(l))
                .map(|f| f.name())
                .collect(),
        })
        .collect();
    Json(Catalog {
        title: &ds.catalog.title,
        description: &ds.catalog.description,
        licence: &ds.catalog.licence,
        attribution: &ds.catalog.attribution,
        dataset_version: &ds.version,
        zone_period: Period {
            from: first,
            to: end,
        },
        change_dates,
        zone_versions: &ds.versions.zone_versions,
        corridor_versions: &ds.versions.corridor_versions,
        derived_versions: DerivedVersions {
            zone: ds.zones.iter().map(DerivedVersion::of).collect(),
            corridor: ds.corridors.iter().map(DerivedVersion::of).collect(),
        },
        basemap_style: state.config.basemap_style.as_deref(),
        layers,
    })
    .into_response()
}

/// The names `?format=` takes (case-insensitive; `json` and `flatgeobuf` are
/// aliases). Only the parameter's schema: `Format`'s `FromStr` reads it.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
enum FormatName {
    Geojson,
    Json,
    Kml,
    Csv,
    Fgb,
    Flatgeobuf,
}

/// The forms `?columns=` takes.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
enum ColumnsName {
    Full,
    Flat,
}

/// What `GET /api/v1/layers/{id}` takes in its query.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // The parameters' documentation; `Params` reads the values.
struct LayerQuery {
    /// Only the features valid on this day (`YYYY-MM-DD`); with `columns=flat`
    /// also each place's status that day.
    #[param(value_type = Option<Day>, example = "2022-03-25")]
    date: Option<String>,
    /// Anything but `0`: answer as a file download (`Content-Disposition:
    /// attachment`); FlatGeobuf always is.
    #[param(example = "1")]
    download: Option<String>,
    /// `geojson` (default), `kml`, `csv` (point layers only) or `fgb`
    /// (FlatGeobuf); a file-like id (`zone.kml`) names it too.
    #[param(inline)]
    format: Option<FormatName>,
    /// Language of the CSV name column and KML labels.
    #[param(inline)]
    lang: Option<Lang>,
    /// `flat` (GeoJSON only): the export table's flat columns for GIS
    /// styling (names by language, on a date `status_on_date`); `full`
    /// (default): the features as stored.
    #[param(inline)]
    columns: Option<ColumnsName>,
    /// CSV only: `neutralise` (default) writes text cells that a spreadsheet
    /// would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR,
    /// and not a number) with a leading `'`, as OWASP recommends; `raw`
    /// writes them as they are, for programs.
    #[param(example = "raw")]
    csv_formulas: Option<String>,
}
static LAYER_PARAMS: QueryNames = QueryNames::new(query_names::<LayerQuery>);

/// A GeoJSON FeatureCollection: the layer's features as stored, or with
/// `columns=flat` with the export table's flat columns as properties.
#[derive(ToSchema)]
#[allow(dead_code)] // Only its schema: the body is written by `export`.
struct FeatureCollection {
    /// Always `FeatureCollection`.
    #[schema(example = "FeatureCollection")]
    r#type: String,
    /// The layer id.
    name: String,
    /// GeoJSON features with their properties (ids, validity, sources,
    /// accuracy; or the flat columns).
    features: Vec<serde_json::Value>,
}

/// One layer for a date, as GeoJSON, KML, CSV or FlatGeobuf.
#[utoipa::path(
    get,
    path = "/api/v1/layers/{id}",
    tag = "data",
    params(
        ("id" = String, Path, description = "Layer id (`zone`, `corridor`, `settlements`, …); a file-like suffix (`.geojson`, `.kml`, `.csv`, `.fgb`) names the format.", example = "zone"),
        LayerQuery,
    ),
    responses(
        (status = 200, description = "The layer, in the format asked for.", content(
            (FeatureCollection = "application/geo+json"),
            (String = "application/vnd.google-earth.kml+xml"),
            (String = "text/csv; charset=utf-8"),
            (Binary = "application/flatgeobuf"),
        )),
        (status = 400, description = "A malformed date, an unknown parameter, format, language or column form, or a format the layer cannot take.", body = ErrorBody),
        (status = 404, description = "No such layer.", body = ErrorBody),
    )
)]
async fn layer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let params = Params::parse(uri.query(), &LAYER_PARAMS)?;
    let formulas = params.parsed("csv_formulas")?.unwrap_or_default();
    let day = params.day("date")?;
    // A file-like id (`zone.kml`) names the format too; `format=` wins.
    let (id, ext) = id
        .rsplit_once('.')
        .map_or((id.as_str(), None), |(i, e)| (i, Some(e)));
    let format = match params.get("format").or(ext) {
        None => Format::GeoJson,
        Some(name) => name
            .parse()
            .map_err(|e: UnknownFormat| ApiError::param("format", e.to_string()))?,
    };
    let lang: Lang = params.parsed("lang")?.unwrap_or_default();
    let ds = state.data.load();
    let layer = ds
        .layer(id)
        .ok_or_else(|| ApiError::NotFound(format!("no layer '{id}'")))?;
    // `columns=flat` is the map's and QGIS's flat GeoJSON of places for a day.
    let selection = Selection {
        day,
        lang,
        formulas,
    };
    let body =
        match (params.get("columns"), format) {
            (None | Some("full"), _) => export::export(&ds, layer, format, selection)
                .map_err(|e| export_error("format", e))?,
            (Some("flat"), Format::GeoJson) => export::flat_geojson(&ds, layer, selection)
                .map_err(|e| ApiError::Internal(e.into()))?,
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
    let download = params.get("download").is_some_and(|v| v != "0");
    Ok(file_response(
        body,
        format,
        &export::file_name(id, day, format),
        download,
    ))
}

/// An export's failure as an API error naming the parameter that chose the
/// format (`format` here, `f` in the OGC API).
pub(super) fn export_error(parameter: &str, e: ExportError) -> ApiError {
    match e {
        ExportError::Unsupported { .. } => ApiError::param(parameter, e.to_string()),
        ExportError::Write { .. } => ApiError::Internal(e.into()),
    }
}

/// An exported file as a response with its media type, saved as `name`
/// when `download` asks for it. Binary formats are always attachments,
/// never shown inline.
pub(super) fn file_response(body: Vec<u8>, format: Format, name: &str, download: bool) -> Response {
    let mut resp = ([(header::CONTENT_TYPE, format.media_type())], body).into_response();
    if download || format == Format::FlatGeobuf {
        if let Ok(v) = header::HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    resp
}

/// The whole data set as a zip (every layer in every format, catalog, README,
/// licence, checksums), named by the data set version.
#[utoipa::path(
    get,
    path = "/api/v1/dataset/bundle",
    tag = "data",
    responses(
        (status = 200, description = "The data set as a deterministic zip: every layer in every format, catalog, README, licence, SHA256SUMS.",
         body = Binary, content_type = "application/zip"),
        (status = 400, description = "A query parameter (none is taken).", body = ErrorBody),
    )
)]
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
