//! Point layers as CSV: `lon`, `lat`, then the table's columns. Text cells
//! a spreadsheet would run as formulas are neutralised unless the selection
//! asks for them raw ([`crate::csv_safety`]).

use geo::Geometry;
use serde_json::Value;

use super::{write_error, ExportError, Table};
use crate::csv_safety::Formulas;

/// Writes the table as CSV with a header row.
pub fn write(table: &Table, formulas: Formulas) -> Result<Vec<u8>, ExportError> {
    let err = |e: csv::Error| write_error("csv", e);
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = ["lon", "lat"]
        .into_iter()
        .chain(table.columns.iter().map(|c| c.name.as_str()))
        .map(|name| formulas.cell(name).into_owned());
    out.write_record(header).map_err(err)?;
    for row in &table.rows {
        let (lon, lat) = match row.feature.geometry {
            Geometry::Point(p) => (p.x().to_string(), p.y().to_string()),
            _ => (String::new(), String::new()),
        };
        let cells = row.cells.iter().map(|c| match c {
            None => String::new(),
            Some(Value::String(s)) => formulas.cell(s).into_owned(),
            Some(v) => v.to_string(),
        });
        out.write_record([lon, lat].into_iter().chain(cells))
            .map_err(err)?;
    }
    out.into_inner().map_err(|e| write_error("csv", e))
}
