//! FlatGeobuf through the `flatgeobuf` crate: WGS 84 (EPSG:4326), a packed
//! R-tree index, one typed column per table column.

use flatgeobuf::{ColumnType, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType};
use geozero::ColumnValue;
use serde_json::Value;

use super::table::ColumnKind;
use super::{write_error, ExportError, Table};
use crate::dataset::Layer;

/// Writes the table's rows with their geometries.
pub fn write(layer: &Layer, table: &Table) -> Result<Vec<u8>, ExportError> {
    let err = |e: flatgeobuf::Error| write_error("fgb", e);
    let geometry_type = match layer.meta.geometry_type.as_str() {
        "Point" => GeometryType::Point,
        "LineString" | "MultiLineString" => GeometryType::MultiLineString,
        "Polygon" | "MultiPolygon" => GeometryType::MultiPolygon,
        _ => GeometryType::Unknown,
    };
    let options = FgbWriterOptions {
        crs: FgbCrs {
            code: 4326,
            ..FgbCrs::default()
        },
        title: Some(&layer.meta.title),
        description: Some(&layer.meta.description),
        ..FgbWriterOptions::default()
    };
    let mut fgb =
        FgbWriter::create_with_options(&layer.meta.id, geometry_type, options).map_err(err)?;
    for c in &table.columns {
        let col_type = match c.kind {
            ColumnKind::Text => ColumnType::String,
            ColumnKind::Number => ColumnType::Double,
            ColumnKind::Bool => ColumnType::Bool,
        };
        fgb.add_column(&c.name, col_type, |_, col| col.nullable = true);
    }
    for row in &table.rows {
        fgb.add_feature_geom(row.feature.geometry.clone(), |feat| {
            for (i, (cell, col)) in row.cells.iter().zip(&table.columns).enumerate() {
                let value = match cell {
                    Some(Value::String(s)) => ColumnValue::String(s),
                    Some(Value::Number(n)) => ColumnValue::Double(n.as_f64().unwrap_or(f64::NAN)),
                    Some(Value::Bool(b)) => ColumnValue::Bool(*b),
                    _ => continue,
                };
                // The callback cannot fail the feature; a writer error here is impossible
                // for these value types (it only reports unknown column indices).
                let _ = geozero::PropertyProcessor::property(feat, i, &col.name, &value);
            }
        })
        .map_err(|e| write_error("fgb", e))?;
    }
    let mut out = Vec::new();
    fgb.write(&mut out).map_err(err)?;
    Ok(out)
}
