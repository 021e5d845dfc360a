//! `/api/v1/locate`: the verdict for one point (GET) or many (POST, JSON or
//! CSV, answered in input order and streamed).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::params::{lon_lat, parse_number, uncertainty, Params};
use super::{ApiError, AppState};
use crate::dataset::Dataset;
use crate::date::Day;
use crate::geodesy::{LocalScale, LonLat};
use crate::json::ObjectWriter;
use crate::locate::{report, verdict_with_scale, Status};

/// Routes of this group.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/locate", get(locate_one).post(locate_batch))
}

/// What `GET /api/v1/locate` takes.
const LOCATE_PARAMS: &[&str] = &["lat", "lon", "date", "uncertainty_m", "q", "compact"];

async fn locate_one(State(state): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let params = Params::parse(req.uri().query(), LOCATE_PARAMS)?;
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
    let uncertainty_m = uncertainty(params.number("uncertainty_m")?)?;
    let (at, resolved) = if let Some(q) = params.get("q") {
        if params.get("lat").is_some() || params.get("lon").is_some() {
            return Err(ApiError::param("q", "give either q or lat/lon, not both"));
        }
        let r = crate::resolve::resolve(&ds, q).map_err(|e| ApiError::param("q", e.to_string()))?;
        (r.at, Some(r))
    } else {
        let lat = params
            .number("lat")?
            .ok_or_else(|| ApiError::param("lat", "lat is required (or q)"))?;
        let lon = params
            .number("lon")?
            .ok_or_else(|| ApiError::param("lon", "lon is required (or q)"))?;
        (lon_lat(lat, lon)?, None)
    };
    if compact {
        // The batch row's fields for one point: no timeline, places or sources.
        let row = Row {
            at,
            day,
            uncertainty_m,
        };
        let mut body = compact_row(&ds, &row, None);
        body.dataset_version = Some(&ds.version);
        body.resolved = resolved.as_ref();
        let mut buf = Vec::with_capacity(if resolved.is_some() { 2048 } else { 512 });
        body.write_json(&mut buf);
        return Ok(json_response(buf));
    }
    let mut report = report(&ds, at, day, uncertainty_m);
    report.resolved = resolved.as_ref();
    // One buffer of about the report's size (axum's `Json` starts small and
    // regrows it several times).
    let mut buf = Vec::with_capacity(8 * 1024);
    report.write_json(&mut buf);
    Ok(json_response(buf))
}

/// A response around JSON already written. Built directly: a `Vec` body
/// through `IntoResponse` would first get an `application/octet-stream`
/// header to be replaced, and a constant header value is not validated again
/// on every response.
fn json_response(body: Vec<u8>) -> Response {
    const JSON: HeaderValue = HeaderValue::from_static("application/json");
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(header::CONTENT_TYPE, JSON);
    response
}

/// One input row of a batch.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonRow {
    lat: serde_json::Value,
    lon: serde_json::Value,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    uncertainty_m: Option<f64>,
}

/// A checked batch row.
struct Row {
    at: LonLat,
    day: Option<Day>,
    uncertainty_m: f64,
}

fn number_of(v: &serde_json::Value, key: &str) -> Result<f64, ApiError> {
    match v {
        serde_json::Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| ApiError::param(key, "not a number")),
        serde_json::Value::String(s) => parse_number(key, s),
        _ => Err(ApiError::param(key, format!("{key} must be a number"))),
    }
}

fn check_row(lat: f64, lon: f64, date: Option<&str>, unc: Option<f64>) -> Result<Row, ApiError> {
    let at = lon_lat(lat, lon)?;
    let day = date
        .filter(|d| !d.trim().is_empty())
        .map(|d| {
            d.trim()
                .parse::<Day>()
                .map_err(|e| ApiError::param("date", e.to_string()))
        })
        .transpose()?;
    Ok(Row {
        at,
        day,
        uncertainty_m: uncertainty(unc)?,
    })
}

fn row_error(row: usize, e: &ApiError) -> ApiError {
    ApiError::BadRow {
        row,
        message: e.to_string(),
    }
}

async fn locate_batch(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    // An oversize body is refused by the body limit before it is read whole.
    let body = body?;
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let max_rows = state.config.max_batch_rows;
    let ds = state.data.load_full();
    if ctype.starts_with("text/csv") {
        let (headers, records, rows) =
            tokio::task::spawn_blocking(move || parse_csv(&body, max_rows))
                .await
                .map_err(|e| ApiError::Internal(e.into()))??;
        Ok(stream_csv(ds, headers, records, rows))
    } else if ctype.starts_with("application/json") || ctype.is_empty() {
        let raw: Vec<JsonRow> = serde_json::from_slice(&body).map_err(|e| {
            ApiError::BadBody(format!(
                "expected a JSON array of {{lat, lon, date?, id?}}: {e}"
            ))
        })?;
        if raw.len() > max_rows {
            return Err(ApiError::TooLarge(format!(
                "{} rows; the limit is {max_rows}",
                raw.len()
            )));
        }
        let mut rows = Vec::with_capacity(raw.len());
        let mut ids = Vec::with_capacity(raw.len());
        for (i, r) in raw.into_iter().enumerate() {
            let lat = number_of(&r.lat, "lat").map_err(|e| row_error(i + 1, &e))?;
            let lon = number_of(&r.lon, "lon").map_err(|e| row_error(i + 1, &e))?;
            rows.push(
                check_row(lat, lon, r.date.as_deref(), r.uncertainty_m)
                    .map_err(|e| row_error(i + 1, &e))?,
            );
            ids.push(r.id);
        }
        Ok(stream_json(ds, rows, ids))
    } else {
        Err(ApiError::UnsupportedMediaType(format!(
            "send application/json or text/csv, not '{ctype}'"
        )))
    }
}

type CsvParts = (csv::StringRecord, Vec<csv::StringRecord>, Vec<Row>);

fn parse_csv(body: &[u8], max_rows: usize) -> Result<CsvParts, ApiError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(body);
    let headers = reader
        .headers()
        .map_err(|e| ApiError::BadBody(format!("cannot read the CSV header: {e}")))?
        .clone();
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&h.trim().to_ascii_lowercase().as_str()))
    };
    let lat_i = find(&["lat", "latitude"])
        .ok_or_else(|| ApiError::BadBody("the CSV header needs a 'lat' column".into()))?;
    let lon_i = find(&["lon", "lng", "long", "longitude"])
        .ok_or_else(|| ApiError::BadBody("the CSV header needs a 'lon' column".into()))?;
    let date_i = find(&["date"]);
    let unc_i = find(&["uncertainty_m"]);
    let mut records = Vec::new();
    let mut rows = Vec::new();
    for (n, rec) in reader.records().enumerate() {
        let row = n + 1;
        if row > max_rows {
            return Err(ApiError::TooLarge(format!(
                "more than {max_rows} rows; the limit is {max_rows}"
            )));
        }
        let rec = rec.map_err(|e| ApiError::BadRow {
            row,
            message: format!("malformed CSV: {e}"),
        })?;
        let field = |i: usize| rec.get(i).unwrap_or("");
        let lat = parse_number("lat", field(lat_i)).map_err(|e| row_error(row, &e))?;
        let lon = parse_number("lon", field(lon_i)).map_err(|e| row_error(row, &e))?;
        let unc = unc_i
            .map(&field)
            .filter(|s| !s.trim().is_empty())
            .map(|s| parse_number("uncertainty_m", s))
            .transpose()
            .map_err(|e| row_error(row, &e))?;
        rows.push(check_row(lat, lon, date_i.map(field), unc).map_err(|e| row_error(row, &e))?);
        records.push(rec);
    }
    Ok((headers, records, rows))
}

/// The columns a verdict appends to a CSV row.
pub const CSV_COLUMNS: [&str; 8] = [
    "status",
    "distance_to_boundary_m",
    "boundary_accuracy_m",
    "near_boundary",
    "zone_version",
    "nearest_place",
    "nearest_place_distance_m",
    "dataset_version",
];

/// The compact verdict fields of one batch row.
pub struct BatchVerdict<'a> {
    status: Option<Status>,
    distance_m: Option<f64>,
    accuracy_m: Option<f64>,
    near_boundary: Option<bool>,
    zone_version: Option<&'a str>,
    nearest: Option<(&'a str, f64)>,
}

fn batch_verdict<'a>(ds: &'a Dataset, row: &Row) -> BatchVerdict<'a> {
    let local = LocalScale::at(row.at.lat);
    let (near, n) = ds.nearest_settlements_with_scale::<1>(row.at, &local);
    let nearest = (n > 0).then(|| (ds.places[near[0].0].props.display_name.as_str(), near[0].1));
    match row.day {
        Some(day) => {
            let v = verdict_with_scale(ds, row.at, &local, day, row.uncertainty_m);
            BatchVerdict {
                status: Some(v.status),
                distance_m: v.distance_m,
                accuracy_m: v.accuracy_m,
                near_boundary: (v.status != Status::NoZone).then_some(v.near_boundary),
                zone_version: v.zone.map(|z| z.version.id.as_str()),
                nearest,
            }
        }
        None => BatchVerdict {
            status: None,
            distance_m: None,
            accuracy_m: None,
            near_boundary: None,
            zone_version: None,
            nearest,
        },
    }
}

/// The compact verdict of one row (the batch form), borrowed from the
/// dataset.
struct CompactRow<'a> {
    id: Option<&'a serde_json::Value>,
    lat: f64,
    lon: f64,
    date: Option<Day>,
    status: Option<Status>,
    distance_to_boundary_m: Option<f64>,
    boundary_accuracy_m: Option<f64>,
    near_boundary: Option<bool>,
    zone_version: Option<&'a str>,
    nearest_place: Option<&'a str>,
    nearest_place_distance_m: Option<f64>,
    /// Present in the single-point answer only.
    dataset_version: Option<&'a str>,
    /// Present when the point came from a free-text query.
    resolved: Option<&'a crate::resolve::Resolved>,
}

impl CompactRow<'_> {
    /// Appends the row as a JSON object.
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut w = ObjectWriter::new(out);
        match self.id {
            Some(id) => w.value("id", id),
            None => w.null("id"),
        }
        w.number("lat", Some(self.lat));
        w.number("lon", Some(self.lon));
        w.day("date", self.date);
        w.string("status", self.status.map(Status::as_str));
        w.number("distance_to_boundary_m", self.distance_to_boundary_m);
        w.number("boundary_accuracy_m", self.boundary_accuracy_m);
        w.boolean("near_boundary", self.near_boundary);
        w.string("zone_version", self.zone_version);
        w.string("nearest_place", self.nearest_place);
        w.number("nearest_place_distance_m", self.nearest_place_distance_m);
        if let Some(v) = self.dataset_version {
            w.string("dataset_version", Some(v));
        }
        if let Some(r) = self.resolved {
            w.value("resolved", r);
        }
    }
}

fn compact_row<'a>(
    ds: &'a Dataset,
    row: &Row,
    id: Option<&'a serde_json::Value>,
) -> CompactRow<'a> {
    let v = batch_verdict(ds, row);
    CompactRow {
        id,
        lat: row.at.lat,
        lon: row.at.lon,
        date: row.day,
        status: v.status,
        distance_to_boundary_m: v.distance_m.map(round1),
        boundary_accuracy_m: v.accuracy_m.map(f64::round),
        near_boundary: v.near_boundary,
        zone_version: v.zone_version,
        nearest_place: v.nearest.map(|n| n.0),
        nearest_place_distance_m: v.nearest.map(|n| n.1.round()),
        dataset_version: None,
        resolved: None,
    }
}

const CHUNK_ROWS: usize = 2048;

/// Streams chunks produced on a blocking thread as the response body.
fn stream_body(
    content_type: &'static str,
    produce: impl FnOnce(&dyn Fn(Vec<u8>) -> bool) + Send + 'static,
) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    tokio::task::spawn_blocking(move || {
        produce(&|chunk: Vec<u8>| tx.blocking_send(Ok(Bytes::from(chunk))).is_ok());
    });
    let stream = tokio_stream::wrappers::ReceiverStream::new(rx);
    (
        [(header::CONTENT_TYPE, content_type)],
        Body::from_stream(stream),
    )
        .into_response()
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn stream_csv(
    ds: Arc<Dataset>,
    headers: csv::StringRecord,
    records: Vec<csv::StringRecord>,
    rows: Vec<Row>,
) -> Response {
    stream_body("text/csv; charset=utf-8", move |send| {
        let writer = || csv::WriterBuilder::new().from_writer(Vec::with_capacity(64 * 1024));
        let mut w = writer();
        let mut header: Vec<&str> = headers.iter().collect();
        header.extend(CSV_COLUMNS);
        let _ = w.write_record(&header);
        let mut fields: Vec<String> = Vec::new();
        for (k, (rec, row)) in records.iter().zip(&rows).enumerate() {
            let v = batch_verdict(&ds, row);
            fields.clear();
            fields.push(v.status.map_or(String::new(), |s| s.as_str().to_owned()));
            fields.push(
                v.distance_m
                    .map_or(String::new(), |d| round1(d).to_string()),
            );
            fields.push(
                v.accuracy_m
                    .map_or(String::new(), |d| d.round().to_string()),
            );
            fields.push(v.near_boundary.map_or(String::new(), |b| b.to_string()));
            fields.push(v.zone_version.unwrap_or("").to_owned());
            fields.push(v.nearest.map_or(String::new(), |n| n.0.to_owned()));
            fields.push(v.nearest.map_or(String::new(), |n| n.1.round().to_string()));
            fields.push(ds.version.clone());
            let _ = w.write_record(rec.iter().chain(fields.iter().map(String::as_str)));
            if (k + 1) % CHUNK_ROWS == 0 {
                let full = std::mem::replace(&mut w, writer());
                if !send(full.into_inner().unwrap_or_default()) {
                    return;
                }
            }
        }
        send(w.into_inner().unwrap_or_default());
    })
}

fn stream_json(ds: Arc<Dataset>, rows: Vec<Row>, ids: Vec<Option<serde_json::Value>>) -> Response {
    stream_body("application/json", move |send| {
        let mut buf = Vec::with_capacity(64 * 1024);
        buf.push(b'[');
        for (k, (row, id)) in rows.iter().zip(ids).enumerate() {
            if k > 0 {
                buf.push(b',');
            }
            compact_row(&ds, row, id.as_ref()).write_json(&mut buf);
            if (k + 1) % CHUNK_ROWS == 0 && !send(std::mem::take(&mut buf)) {
                return;
            }
        }
        buf.push(b']');
        send(buf);
    })
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
            nearest_place: Some("Stepanakert / Khankendi"),
            nearest_place_distance_m: Some(4.0),
            dataset_version: Some("abc"),
            resolved: None,
        };
        let written = |row: &CompactRow<'_>| {
            let mut out = Vec::new();
            row.write_json(&mut out);
            serde_json::from_slice::<serde_json::Value>(&out).expect("valid JSON")
        };
        assert_eq!(
            written(&row),
            serde_json::json!({
                "id": {"ref": "A-1"}, "lat": 39.8153, "lon": 46.7519, "date": "2022-03-25",
                "status": "inside_zone", "distance_to_boundary_m": -3171.7,
                "boundary_accuracy_m": 2374.0, "near_boundary": false,
                "zone_version": "zone-2022-03-25", "nearest_place": "Stepanakert / Khankendi",
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
        row.dataset_version = None;
        let v = written(&row);
        assert_eq!(v["id"], serde_json::Value::Null);
        assert_eq!(v["status"], serde_json::Value::Null);
        assert_eq!(v["near_boundary"], serde_json::Value::Null);
        assert!(v.get("dataset_version").is_none());
        assert_eq!(v["nearest_place"], "Stepanakert / Khankendi");
    }
}
