//! Layers in the formats a newsroom or GIS desk opens: GeoJSON, KML (Google
//! Earth, with `TimeSpan`s for its time slider), CSV (point layers) and
//! FlatGeobuf (streaming, indexed; QGIS and GDAL read it natively).
//!
//! Owns the choice of format and the flat attribute table every format but
//! GeoJSON is written from ([`table`]); it knows nothing of HTTP. The files are
//! written by crates (`kml`, `csv`, `flatgeobuf`); what is ours is which
//! columns a researcher gets and how a control timeline becomes dated pieces.

pub mod bundle;
mod csv;
mod fgb;
mod kml;
pub mod table;

use crate::dataset::{Dataset, Layer};
use crate::date::Day;

pub use table::{Lang, Table, UnknownLang};

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Format {
    /// RFC 7946 GeoJSON, the features as stored.
    GeoJson,
    /// OGC KML 2.2.
    Kml,
    /// Comma-separated values with `lon`, `lat` columns (point layers only).
    Csv,
    /// FlatGeobuf with a packed R-tree index.
    #[strum(serialize = "fgb")]
    FlatGeobuf,
}

/// A format name other than `geojson`, `kml`, `csv` or `fgb` (or an alias).
#[derive(Debug, thiserror::Error)]
#[error("unknown format '{0}': use geojson, kml, csv or fgb")]
pub struct UnknownFormat(pub String);

impl std::str::FromStr for Format {
    type Err = UnknownFormat;

    /// Reads a format name as URLs and the CLI write it (case-insensitive;
    /// `json` and `flatgeobuf` are aliases).
    fn from_str(name: &str) -> Result<Self, UnknownFormat> {
        match name.to_ascii_lowercase().as_str() {
            "geojson" | "json" => Ok(Self::GeoJson),
            "kml" => Ok(Self::Kml),
            "csv" => Ok(Self::Csv),
            "fgb" | "flatgeobuf" => Ok(Self::FlatGeobuf),
            _ => Err(UnknownFormat(name.to_owned())),
        }
    }
}

impl Format {
    /// Every format, in the order menus list them.
    pub const ALL: [Format; 4] = [Self::GeoJson, Self::Kml, Self::Csv, Self::FlatGeobuf];

    /// The short name used in URLs (`?format=`).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The format's name for people, as menus and link titles write it.
    pub fn label(self) -> &'static str {
        match self {
            Self::GeoJson => "GeoJSON",
            Self::Kml => "KML (Google Earth)",
            Self::Csv => "CSV",
            Self::FlatGeobuf => "FlatGeobuf",
        }
    }

    /// File extension: the short name.
    pub fn extension(self) -> &'static str {
        self.name()
    }

    /// Media type of the file.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::GeoJson => "application/geo+json",
            Self::Kml => "application/vnd.google-earth.kml+xml",
            Self::Csv => "text/csv; charset=utf-8",
            Self::FlatGeobuf => "application/flatgeobuf",
        }
    }

    /// Whether this format can hold the layer (CSV holds points only).
    pub fn fits(self, layer: &Layer) -> bool {
        self != Self::Csv || layer.meta.geometry_type == "Point"
    }
}

/// Why a layer could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The format cannot hold this layer's geometry.
    #[error("{format} holds point layers only; layer '{layer}' has {geometry} geometry")]
    Unsupported {
        /// Format name.
        format: &'static str,
        /// Layer id.
        layer: String,
        /// The layer's geometry type.
        geometry: String,
    },
    /// A writer failed (never expected for valid data).
    #[error("writing {format}: {message}")]
    Write {
        /// Format name.
        format: &'static str,
        /// What the writer said.
        message: String,
    },
}

/// What to export: the features valid on `day` (all versions without one),
/// names in `lang`; by default every version, display names, CSV formulas
/// neutralised.
#[derive(Debug, Clone, Copy, Default)]
pub struct Selection {
    /// Only the features valid on this day; `None` for every version.
    pub day: Option<Day>,
    /// Language of the `name` column and KML labels.
    pub lang: Lang,
    /// Whether CSV text cells that look like formulas are neutralised.
    pub formulas: crate::csv_safety::Formulas,
}

/// Writes `layer` in `format`.
pub fn export(
    ds: &Dataset,
    layer: &Layer,
    format: Format,
    sel: Selection,
) -> Result<Vec<u8>, ExportError> {
    if !format.fits(layer) {
        return Err(ExportError::Unsupported {
            format: format.name(),
            layer: layer.meta.id.clone(),
            geometry: layer.meta.geometry_type.clone(),
        });
    }
    match format {
        Format::GeoJson => Ok(geojson(layer, sel.day).into_bytes()),
        Format::Kml => kml::write(ds, layer, sel),
        Format::Csv => csv::write(&Table::build(ds, layer, sel), sel.formulas),
        Format::FlatGeobuf => fgb::write(layer, &Table::build(ds, layer, sel)),
    }
}

/// The layer as a `GeoJSON` `FeatureCollection` of the features valid on
/// `day` (every feature without one), from the features serialised at load.
pub fn geojson(layer: &Layer, day: Option<Day>) -> String {
    #[derive(serde::Serialize)]
    struct LayerFile<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        name: &'a str,
        features: Vec<&'a serde_json::value::RawValue>,
    }
    let file = LayerFile {
        kind: "FeatureCollection",
        name: &layer.meta.id,
        features: layer
            .features
            .iter()
            .filter(|f| day.is_none_or(|d| f.validity.contains(d)))
            .map(|f| f.json.as_ref())
            .collect(),
    };
    serde_json::to_string(&file).unwrap_or_default()
}

/// The layer as `GeoJSON` whose properties are the [`Table`]'s flat columns
/// (names per language, `status_on_date` on a day, sources as text): what
/// QGIS labels and styles by directly, and what the map draws places from.
pub fn flat_geojson(ds: &Dataset, layer: &Layer, sel: Selection) -> Result<Vec<u8>, ExportError> {
    let table = Table::build(ds, layer, sel);
    let features = table
        .rows
        .iter()
        .map(|row| geojson::Feature {
            bbox: None,
            geometry: Some(geojson::Geometry::new(geojson::GeometryValue::from(
                &row.feature.geometry,
            ))),
            id: Some(geojson::feature::Id::String(row.feature.id.clone())),
            properties: Some(
                table
                    .columns
                    .iter()
                    .zip(&row.cells)
                    .filter_map(|(c, v)| Some((c.name.clone(), v.clone()?)))
                    .collect(),
            ),
            foreign_members: None,
        })
        .collect();
    let name = serde_json::Map::from_iter([("name".to_owned(), layer.meta.id.clone().into())]);
    serde_json::to_vec(&geojson::FeatureCollection {
        bbox: None,
        features,
        foreign_members: Some(name),
    })
    .map_err(|e| write_error("geojson", e))
}

/// The file name for a download: `contactline-{layer}[-{date}].{ext}`.
pub fn file_name(layer: &str, day: Option<Day>, format: Format) -> String {
    match day {
        Some(d) => format!("contactline-{layer}-{d}.{}", format.extension()),
        None => format!("contactline-{layer}.{}", format.extension()),
    }
}

/// A writer's failure, named by the format it was writing.
fn write_error(format: &'static str, e: impl std::fmt::Display) -> ExportError {
    ExportError::Write {
        format,
        message: e.to_string(),
    }
}
