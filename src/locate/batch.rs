//! Many points at once: rows read from CSV or JSON and every one checked
//! before the first verdict, the compact verdict of a row (also the compact
//! single-point answer), and the output written in chunks.
//!
//! Owns the batch formats and their limits. Threads, streaming and HTTP are
//! left to `api::locate`, which hands each chunk on as it is written.

use serde::{Deserialize, Serialize};

use super::depiction;
use super::input::{self, InputError};
use super::report::round1;
use super::verdict::{verdict_with_scale, Status};
use crate::dataset::Dataset;
use crate::date::Day;
use crate::geodesy::{LocalScale, LonLat};

/// Rows per chunk of output.
const CHUNK_ROWS: usize = 2048;

/// Why a batch cannot be answered.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The body is not the declared format.
    #[error("{0}")]
    BadBody(String),
    /// One row cannot be used (1-based data row number).
    #[error("row {row}: {message}")]
    BadRow {
        /// 1-based data row (CSV header excluded).
        row: usize,
        /// What is wrong.
        message: String,
    },
    /// More rows than the configured limit.
    #[error("{0}")]
    TooLarge(String),
}

/// The columns a verdict appends to a CSV row: [`CompactRow`]'s fields
/// after the caller's own, in this order (see [`CompactRow::csv_fields`]).
pub const CSV_COLUMNS: [&str; 11] = [
    "status",
    "distance_to_boundary_m",
    "boundary_accuracy_m",
    "near_boundary",
    "zone_version",
    "boundary_basis",
    "depiction_inside",
    "depiction_agrees",
    "nearest_place",
    "nearest_place_distance_m",
    "dataset_version",
];

/// A checked row: a position, an optional day and the caller's uncertainty.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// The position.
    pub at: LonLat,
    /// The day, if given.
    pub day: Option<Day>,
    /// The caller's uncertainty, metres.
    pub uncertainty_m: f64,
}

/// One input row of a JSON batch.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonRow {
    /// Latitude (a number, or a string holding one).
    #[schema(value_type = f64, example = 39.8153)]
    lat: serde_json::Value,
    /// Longitude.
    #[schema(value_type = f64, example = 46.7519)]
    lon: serde_json::Value,
    /// The day, `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(example = "2022-03-25")]
    date: Option<String>,
    /// Anything, echoed in the answer's row.
    #[serde(default)]
    #[schema(value_type = Value)]
    id: Option<serde_json::Value>,
    /// The caller's uncertainty, metres.
    #[serde(default)]
    uncertainty_m: Option<f64>,
}

fn number_of(v: &serde_json::Value, key: &str) -> Result<f64, InputError> {
    match v {
        serde_json::Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| InputError::new(key, "not a number")),
        serde_json::Value::String(s) => input::number(key, s),
        _ => Err(InputError::new(key, format!("{key} must be a number"))),
    }
}

fn check_row(lat: f64, lon: f64, date: Option<&str>, unc: Option<f64>) -> Result<Row, InputError> {
    Ok(Row {
        at: input::position(lat, lon)?,
        day: date.map(|d| input::day("date", d)).transpose()?.flatten(),
        uncertainty_m: input::uncertainty(unc)?,
    })
}

fn row_error(row: usize) -> impl Fn(InputError) -> BatchError {
    move |e| BatchError::BadRow {
        row,
        message: e.to_string(),
    }
}

/// A JSON batch: checked rows and the caller's ids, in input order.
pub struct JsonBatch {
    rows: Vec<Row>,
    ids: Vec<Option<serde_json::Value>>,
}

impl JsonBatch {
    /// Reads a JSON array of `{lat, lon, date?, id?, uncertainty_m?}`,
    /// checking every row.
    pub fn read(body: &[u8], max_rows: usize) -> Result<Self, BatchError> {
        let raw: Vec<JsonRow> = serde_json::from_slice(body).map_err(|e| {
            BatchError::BadBody(format!(
                "expected a JSON array of {{lat, lon, date?, id?}}: {e}"
            ))
        })?;
        if raw.len() > max_rows {
            return Err(BatchError::TooLarge(format!(
                "{} rows; the limit is {max_rows}",
                raw.len()
            )));
        }
        let mut rows = Vec::with_capacity(raw.len());
        let mut ids = Vec::with_capacity(raw.len());
        for (i, r) in raw.into_iter().enumerate() {
            let bad = row_error(i + 1);
            let lat = number_of(&r.lat, "lat").map_err(&bad)?;
            let lon = number_of(&r.lon, "lon").map_err(&bad)?;
            rows.push(check_row(lat, lon, r.date.as_deref(), r.uncertainty_m).map_err(&bad)?);
            ids.push(r.id);
        }
        Ok(JsonBatch { rows, ids })
    }

    /// Writes the compact verdicts as one JSON array, handing `send` a
    /// chunk every few thousand rows; stops when `send` returns false.
    pub fn write(&self, ds: &Dataset, send: &dyn Fn(Vec<u8>) -> bool) {
        let mut buf = Vec::with_capacity(64 * 1024);
        buf.push(b'[');
        for (k, (row, id)) in self.rows.iter().zip(&self.ids).enumerate() {
            if k > 0 {
                buf.push(b',');
            }
            // Writing to a Vec fails only for maps with non-string keys: none here.
            let _ = serde_json::to_writer(&mut buf, &compact_row(ds, row, id.as_ref()));
            if (k + 1) % CHUNK_ROWS == 0 && !send(std::mem::take(&mut buf)) {
                return;
            }
        }
        buf.push(b']');
        send(buf);
    }
}

/// A CSV batch: the header, the records as given and their checked rows.
pub struct CsvBatch {
    headers: csv::StringRecord,
    records: Vec<csv::StringRecord>,
    rows: Vec<Row>,
}

impl CsvBatch {
    /// Reads CSV with a header naming `lat` and `lon` (and optionally
    /// `date`, `uncertainty_m`), checking every row.
    pub fn read(body: &[u8], max_rows: usize) -> Result<Self, BatchError> {
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(body);
        let headers = reader
            .headers()
            .map_err(|e| BatchError::BadBody(format!("cannot read the CSV header: {e}")))?
            .clone();
        let find = |names: &[&str]| {
            headers
                .iter()
                .position(|h| names.contains(&h.trim().to_ascii_lowercase().as_str()))
        };
        let lat_i = find(&["lat", "latitude"])
            .ok_or_else(|| BatchError::BadBody("the CSV header needs a 'lat' column".into()))?;
        let lon_i = find(&["lon", "lng", "long", "longitude"])
            .ok_or_else(|| BatchError::BadBody("the CSV header needs a 'lon' column".into()))?;
        let date_i = find(&["date"]);
        let unc_i = find(&["uncertainty_m"]);
        let mut records = Vec::new();
        let mut rows = Vec::new();
        for (n, rec) in reader.records().enumerate() {
            let row = n + 1;
            if row > max_rows {
                return Err(BatchError::TooLarge(format!(
                    "more than {max_rows} rows; the limit is {max_rows}"
                )));
            }
            let rec = rec.map_err(|e| BatchError::BadRow {
                row,
                message: format!("malformed CSV: {e}"),
            })?;
            let bad = row_error(row);
            let field = |i: usize| rec.get(i).unwrap_or("");
            let lat = input::number("lat", field(lat_i)).map_err(&bad)?;
            let lon = input::number("lon", field(lon_i)).map_err(&bad)?;
            let unc = unc_i
                .map(&field)
                .filter(|s| !s.trim().is_empty())
                .map(|s| input::number("uncertainty_m", s))
                .transpose()
                .map_err(&bad)?;
            rows.push(check_row(lat, lon, date_i.map(field), unc).map_err(&bad)?);
            records.push(rec);
        }
        Ok(CsvBatch {
            headers,
            records,
            rows,
        })
    }

    /// Writes each record with the verdict's columns appended, handing
    /// `send` a chunk every few thousand rows; stops when `send` returns
    /// false.
    pub fn write(&self, ds: &Dataset, send: &dyn Fn(Vec<u8>) -> bool) {
        let writer = || csv::WriterBuilder::new().from_writer(Vec::with_capacity(64 * 1024));
        let mut w = writer();
        let mut header: Vec<&str> = self.headers.iter().collect();
        header.extend(CSV_COLUMNS);
        let _ = w.write_record(&header);
        let mut fields: Vec<String> = Vec::new();
        for (k, (rec, row)) in self.records.iter().zip(&self.rows).enumerate() {
            let mut v = compact_row(ds, row, None);
            v.dataset_version = Some(&ds.version);
            v.csv_fields(&mut fields);
            let _ = w.write_record(rec.iter().chain(fields.iter().map(String::as_str)));
            if (k + 1) % CHUNK_ROWS == 0 {
                let full = std::mem::replace(&mut w, writer());
                if !send(full.into_inner().unwrap_or_default()) {
                    return;
                }
            }
        }
        send(w.into_inner().unwrap_or_default());
    }
}

/// The compact verdict of one row (the batch form, in JSON and CSV alike,
/// and the single-point answer with `compact=1`), borrowed from the
/// dataset. The one row definition: CSV cells come from
/// [`CompactRow::csv_fields`].
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CompactRow<'a> {
    /// The row's `id`, echoed unchanged whatever its JSON type (batch); `null` when none was given.
    #[schema(value_type = Value)]
    id: Option<&'a serde_json::Value>,
    lat: f64,
    lon: f64,
    date: Option<Day>,
    status: Option<Status>,
    distance_to_boundary_m: Option<f64>,
    boundary_accuracy_m: Option<f64>,
    near_boundary: Option<bool>,
    zone_version: Option<&'a str>,
    /// Short form of the nearest boundary edge's basis.
    boundary_basis: Option<&'a str>,
    /// Whether the independent depiction puts the point inside its area.
    depiction_inside: Option<bool>,
    /// Whether that agrees with `status`.
    depiction_agrees: Option<bool>,
    nearest_place: Option<&'a str>,
    nearest_place_distance_m: Option<f64>,
    /// Present in the single-point answer only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset_version: Option<&'a str>,
    /// Present when the point came from a free-text query.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<&'a crate::resolve::Resolved>,
}

impl CompactRow<'_> {
    /// The cells of [`CSV_COLUMNS`] (empty for a missing value), into `out`.
    pub fn csv_fields(&self, out: &mut Vec<String>) {
        fn cell<T: ToString>(v: Option<T>) -> String {
            v.map_or(String::new(), |v| v.to_string())
        }
        out.clear();
        out.extend([
            cell(self.status.map(Status::as_str)),
            cell(self.distance_to_boundary_m),
            cell(self.boundary_accuracy_m),
            cell(self.near_boundary),
            cell(self.zone_version),
            cell(self.boundary_basis),
            cell(self.depiction_inside),
            cell(self.depiction_agrees),
            cell(self.nearest_place),
            cell(self.nearest_place_distance_m),
            cell(self.dataset_version),
        ]);
    }
}

/// The compact verdict of `row`.
pub fn compact_row<'a>(
    ds: &'a Dataset,
    row: &Row,
    id: Option<&'a serde_json::Value>,
) -> CompactRow<'a> {
    let local = LocalScale::at(row.at.lat);
    let (near, n) = ds.nearest_settlements_with_scale::<1>(row.at, &local);
    let nearest = (n > 0).then(|| (ds.places[near[0].0].props.display_name.as_str(), near[0].1));
    let mut out = CompactRow {
        id,
        lat: row.at.lat,
        lon: row.at.lon,
        date: row.day,
        status: None,
        distance_to_boundary_m: None,
        boundary_accuracy_m: None,
        near_boundary: None,
        zone_version: None,
        boundary_basis: None,
        depiction_inside: None,
        depiction_agrees: None,
        nearest_place: nearest.map(|n| n.0),
        nearest_place_distance_m: nearest.map(|n| n.1.round()),
        dataset_version: None,
        resolved: None,
    };
    if let Some(day) = row.day {
        let v = verdict_with_scale(ds, row.at, &local, day, row.uncertainty_m);
        let other = depiction::compare(ds, row.at, &local, day, &v, row.uncertainty_m);
        out.status = Some(v.status);
        out.distance_to_boundary_m = v.distance_m.map(round1);
        out.boundary_accuracy_m = v.accuracy_m.map(f64::round);
        out.near_boundary = (v.status != Status::NoZone).then_some(v.near_boundary);
        out.zone_version = v.zone.map(|z| z.version.id.as_str());
        out.boundary_basis = v.basis.map(|b| b.short.as_str());
        out.depiction_inside = other.map(|d| d.inside);
        out.depiction_agrees = other.map(|d| d.agrees);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compact_row_is_the_json_object_it_describes() {
        let id = serde_json::json!({"ref": "A-1"});
        let mut row = CompactRow {
            id: Some(&id),
            lat: 39.8153,
            lon: 46.7519,
            date: "2022-03-25".parse().ok(),
            status: Some(Status::InsideZone),
            distance_to_boundary_m: Some(-3171.7),
            boundary_accuracy_m: Some(2374.0),
            near_boundary: Some(false),
            zone_version: Some("zone-2022-03-25"),
            boundary_basis: Some("between A (zone) and B (azerbaijan from 2022-03-25)"),
            depiction_inside: Some(true),
            depiction_agrees: Some(true),
            nearest_place: Some("Stepanakert / Khankendi"),
            nearest_place_distance_m: Some(4.0),
            dataset_version: Some("abc"),
            resolved: None,
        };
        let written = |row: &CompactRow<'_>| serde_json::to_value(row).expect("serialises");
        assert_eq!(
            written(&row),
            serde_json::json!({
                "id": {"ref": "A-1"}, "lat": 39.8153, "lon": 46.7519, "date": "2022-03-25",
                "status": "inside_zone", "distance_to_boundary_m": -3171.7,
                "boundary_accuracy_m": 2374.0, "near_boundary": false,
                "zone_version": "zone-2022-03-25",
                "boundary_basis": "between A (zone) and B (azerbaijan from 2022-03-25)",
                "depiction_inside": true, "depiction_agrees": true,
                "nearest_place": "Stepanakert / Khankendi",
                "nearest_place_distance_m": 4.0, "dataset_version": "abc",
            })
        );
        // Without a date: nulls for the verdict, and no single-point extras.
        row.id = None;
        row.date = None;
        row.status = None;
        row.distance_to_boundary_m = None;
        row.boundary_accuracy_m = None;
        row.near_boundary = None;
        row.zone_version = None;
        row.boundary_basis = None;
        row.depiction_inside = None;
        row.depiction_agrees = None;
        row.dataset_version = None;
        let v = written(&row);
        assert_eq!(v["id"], serde_json::Value::Null);
        assert_eq!(v["status"], serde_json::Value::Null);
        assert_eq!(v["near_boundary"], serde_json::Value::Null);
        assert!(v.get("dataset_version").is_none());
        assert_eq!(v["nearest_place"], "Stepanakert / Khankendi");
        // Its CSV cells follow the header, empty where JSON has null.
        let mut cells = Vec::new();
        row.csv_fields(&mut cells);
        assert_eq!(cells.len(), CSV_COLUMNS.len());
        let at = |name: &str| {
            &cells[CSV_COLUMNS
                .iter()
                .position(|c| *c == name)
                .expect("a column")]
        };
        assert_eq!(at("nearest_place"), "Stepanakert / Khankendi");
        assert_eq!(at("status"), "");
        assert_eq!(at("depiction_agrees"), "");
    }
}
