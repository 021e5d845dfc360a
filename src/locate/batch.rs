//! Many points at once: the batch row, reading CSV and JSON batches, and
//! writing their answers in chunks.
//!
//! Owns the one definition of a batch row's verdict columns ([`Columns`]),
//! how a CSV header maps to them ([`CsvLayout`]), how a row is checked and
//! written in either format, and the batch limits. The HTTP batch
//! (`api::locate`) and the command line ([`super::pipeline`]) both write
//! rows through this module, so a column added to [`Columns`] appears in
//! both, in CSV and JSON. Threads, streaming and HTTP are theirs.
//!
//! An HTTP batch is checked whole before the first verdict (a bad row is a
//! 422 and nothing partial is sent), and only its body is kept meanwhile:
//! CSV rows are read again from the body while the answer is written, JSON
//! rows are kept as compact checked positions.

use std::borrow::Cow;
use std::sync::LazyLock;

use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::depiction;
use super::input::{self, InputError};
use super::report::round1;
use super::verdict::{verdict_with_scale, Status};
use crate::csv_safety::Formulas;
use crate::dataset::Dataset;
use crate::date::Day;
use crate::geodesy::{LocalScale, LonLat};

/// Rows per chunk of output. With the HTTP stream's queue of
/// [`QUEUED_CHUNKS`], at most `CHUNK_ROWS * (QUEUED_CHUNKS + 1)` answered rows
/// wait for one slow client.
pub const CHUNK_ROWS: usize = 1024;

/// Chunks of answered rows an HTTP stream queues before its producer waits.
pub const QUEUED_CHUNKS: usize = 2;

/// The column that says why a row could not be checked (CSV), and the
/// field of a JSON row that does.
pub const ERROR_COLUMN: &str = "error";

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
    /// More rows than the configured limit (the limit).
    #[error("more than {0} rows; the limit is {0}")]
    TooManyRows(usize),
    /// The CSV header names a coordinate (or date, or uncertainty) twice, or
    /// in two ways, so which column to read is ambiguous.
    #[error("{0}")]
    AmbiguousColumns(String),
}

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

fn check_row(lat: f64, lon: f64, date: Option<&str>, unc: Option<f64>) -> Result<Row, InputError> {
    Ok(Row {
        at: input::position(lat, lon)?,
        day: date.map(|d| input::day("date", d)).transpose()?.flatten(),
        uncertainty_m: input::uncertainty(unc)?,
    })
}

// ---------------------------------------------------------------------------
// The row.

/// The verdict columns of one batch row, in column order: appended to each
/// CSV record, and the fields of each JSON row after `id, lat, lon, date`.
/// The one definition of the batch row for HTTP and the command line; the
/// CSV header is these field names ([`columns`]). Text fields are `Cow`s so
/// that CSV output can neutralise them ([`Columns::for_csv`]).
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Columns<'a> {
    /// Status on the row's date; empty without a date.
    pub status: Option<Status>,
    /// Signed distance to the nearest boundary (negative inside), metres, 0.1 m.
    pub distance_to_boundary_m: Option<f64>,
    /// Accuracy of that boundary there, metres.
    pub boundary_accuracy_m: Option<f64>,
    /// Whether the point is within the boundary's accuracy (plus the
    /// caller's uncertainty) of it; empty for `no_zone`.
    pub near_boundary: Option<bool>,
    /// The zone version of the date.
    #[schema(value_type = Option<String>)]
    pub zone_version: Option<Cow<'a, str>>,
    /// Why the nearest boundary edge lies where it does, in short: the
    /// places it runs between, or the reference line it follows.
    #[schema(value_type = Option<String>)]
    pub boundary_basis: Option<Cow<'a, str>>,
    /// Whether the independent depiction (Natural Earth's 2020 line) puts
    /// the point inside its area.
    pub depiction_inside: Option<bool>,
    /// Whether that agrees with `status`.
    pub depiction_agrees: Option<bool>,
    /// The nearest settlement's display name.
    #[schema(value_type = Option<String>)]
    pub nearest_place: Option<Cow<'a, str>>,
    /// Distance to it, metres.
    pub nearest_place_distance_m: Option<f64>,
    /// The data set version that answered.
    pub dataset_version: &'a str,
}

/// The CSV names of the verdict columns, in order: [`Columns`]' fields.
pub fn columns() -> &'static [String] {
    static NAMES: LazyLock<Vec<String>> =
        LazyLock::new(|| match serde_json::to_value(Columns::default()) {
            Ok(serde_json::Value::Object(fields)) => fields.keys().cloned().collect(),
            _ => Vec::new(),
        });
    &NAMES
}

impl<'a> Columns<'a> {
    /// The verdict columns of a checked row.
    pub fn of(ds: &'a Dataset, row: &Row) -> Self {
        let local = LocalScale::at(row.at.lat);
        let (near, n) = ds.nearest_settlements_with_scale::<1>(row.at, &local);
        let nearest =
            (n > 0).then(|| (ds.places[near[0].0].props.display_name.as_str(), near[0].1));
        let mut columns = Columns {
            nearest_place: nearest.map(|n| Cow::Borrowed(n.0)),
            nearest_place_distance_m: nearest.map(|n| n.1.round()),
            ..Columns::unchecked(ds)
        };
        if let Some(day) = row.day {
            let v = verdict_with_scale(ds, row.at, &local, day, row.uncertainty_m);
            let other = depiction::compare(ds, row.at, &local, day, &v, row.uncertainty_m);
            columns.status = Some(v.status);
            columns.distance_to_boundary_m = v.distance_m.map(round1);
            columns.boundary_accuracy_m = v.accuracy_m.map(f64::round);
            columns.near_boundary = (v.status != Status::NoZone).then_some(v.near_boundary);
            columns.zone_version = v.zone.map(|z| Cow::Borrowed(z.version.id.as_str()));
            columns.boundary_basis = v.basis.map(|b| Cow::Borrowed(b.short.as_str()));
            columns.depiction_inside = other.map(|d| d.inside);
            columns.depiction_agrees = other.map(|d| d.agrees);
        }
        columns
    }

    /// The columns of a row that could not be checked: only the data version.
    pub fn unchecked(ds: &'a Dataset) -> Self {
        Columns {
            dataset_version: &ds.version,
            ..Columns::default()
        }
    }

    /// The columns with their text cells made safe for a spreadsheet.
    #[must_use]
    pub fn for_csv(self, formulas: Formulas) -> Self {
        Columns {
            zone_version: self.zone_version.map(|t| text_cell(t, formulas)),
            boundary_basis: self.boundary_basis.map(|t| text_cell(t, formulas)),
            nearest_place: self.nearest_place.map(|t| text_cell(t, formulas)),
            ..self
        }
    }
}

fn text_cell(text: Cow<'_, str>, formulas: Formulas) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(t) => formulas.cell(t),
        Cow::Owned(t) => Cow::Owned(formulas.cell(&t).into_owned()),
    }
}

/// Counts of answered rows by outcome, for a batch's summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Rows answered (errors included).
    pub rows: u64,
    /// Rows inside the zone.
    pub inside_zone: u64,
    /// Rows inside the corridor.
    pub inside_corridor: u64,
    /// Rows outside.
    pub outside: u64,
    /// Rows dated outside the zone's period.
    pub no_zone: u64,
    /// Rows without a date (nearest place only).
    pub undated: u64,
    /// Rows that could not be checked.
    pub errors: u64,
    /// Rows near the boundary.
    pub near_boundary: u64,
}

impl Tally {
    /// Counts one row.
    pub fn add(&mut self, columns: &Columns<'_>, error: bool) {
        self.rows += 1;
        if error {
            self.errors += 1;
            return;
        }
        match columns.status {
            Some(Status::InsideZone) => self.inside_zone += 1,
            Some(Status::InsideCorridor) => self.inside_corridor += 1,
            Some(Status::Outside) => self.outside += 1,
            Some(Status::NoZone) => self.no_zone += 1,
            None => self.undated += 1,
        }
        if columns.near_boundary == Some(true) {
            self.near_boundary += 1;
        }
    }

    /// Adds another tally's counts.
    pub fn merge(&mut self, other: &Tally) {
        self.rows += other.rows;
        self.inside_zone += other.inside_zone;
        self.inside_corridor += other.inside_corridor;
        self.outside += other.outside;
        self.no_zone += other.no_zone;
        self.undated += other.undated;
        self.errors += other.errors;
        self.near_boundary += other.near_boundary;
    }

    /// The share of rows with a boundary verdict (inside or outside) that
    /// are near the boundary; `None` when there are none.
    pub fn near_boundary_share(&self) -> Option<f64> {
        let judged = self.inside_zone + self.inside_corridor + self.outside;
        (judged > 0).then(|| self.near_boundary as f64 / judged as f64)
    }
}

// ---------------------------------------------------------------------------
// CSV.

/// How a CSV batch was written, so that it is read as written and answered
/// in kind: as this API's examples write it (commas, decimal points,
/// `YYYY-MM-DD`), or as a spreadsheet saves CSV where the comma is the
/// decimal separator (Russian, Azerbaijani, Armenian and most European
/// settings): semicolons, decimal commas and dates that may be written
/// `DD.MM.YYYY`. Answering in kind lets the spreadsheet read its numbers
/// back as numbers (a decimal point there can turn `12.5` into 12 May), and
/// a byte order mark written back keeps it reading the answer as UTF-8.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dialect {
    /// `;` between fields and `,` in numbers, else `,` and `.`.
    pub decimal_comma: bool,
    /// The text starts with a UTF-8 byte order mark (Excel's "CSV UTF-8").
    pub bom: bool,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

impl Dialect {
    /// The dialect of a CSV text from its start: decimal commas when its
    /// first line (the header) has a semicolon and no comma.
    pub fn sniff(head: &[u8]) -> Self {
        let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
        Dialect {
            decimal_comma: line.contains(&b';') && !line.contains(&b','),
            bom: head.starts_with(UTF8_BOM),
        }
    }

    fn delimiter(self) -> u8 {
        if self.decimal_comma {
            b';'
        } else {
            b','
        }
    }

    /// What an answer starts with before its header: the byte order mark
    /// if the batch had one.
    pub fn preamble(self) -> &'static [u8] {
        if self.bom {
            UTF8_BOM
        } else {
            &[]
        }
    }

    /// A number field with a decimal point.
    fn number(self, field: &str) -> Cow<'_, str> {
        if self.decimal_comma && field.contains(',') {
            Cow::Owned(field.replace(',', "."))
        } else {
            Cow::Borrowed(field)
        }
    }

    /// A date field as `YYYY-MM-DD` (a `DD.MM.YYYY` one read by jiff).
    fn date(self, field: &str) -> Cow<'_, str> {
        if self.decimal_comma && field.contains('.') {
            jiff::civil::Date::strptime("%d.%m.%Y", field.trim())
                .map_or(Cow::Borrowed(field), |d| Cow::Owned(d.to_string()))
        } else {
            Cow::Borrowed(field)
        }
    }
}

/// A CSV reader as every batch reads: a header row, rows of any width (a
/// row of the wrong width is that row's error, not the file's).
pub fn csv_reader<R: std::io::Read>(input: R, dialect: Dialect) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(dialect.delimiter())
        .from_reader(input)
}

/// A CSV writer for answer rows (the header is written from [`CsvLayout::header`]).
pub fn csv_writer<W: std::io::Write>(output: W, dialect: Dialect) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .delimiter(dialect.delimiter())
        .from_writer(output)
}

/// How a CSV batch's header maps to the verdict: where the coordinates,
/// date and uncertainty are, which input columns are written back, and the
/// answer's header.
#[derive(Debug, Clone)]
pub struct CsvLayout {
    lat: usize,
    lon: usize,
    date: Option<usize>,
    uncertainty: Option<usize>,
    width: usize,
    echo: Vec<usize>,
    header: Vec<String>,
    formulas: Formulas,
    dialect: Dialect,
}

/// The names a header may give each input the verdict reads.
const ROLES: [(&str, &[&str]); 4] = [
    ("lat", &["lat", "latitude"]),
    ("lon", &["lon", "lng", "long", "longitude"]),
    ("date", &["date"]),
    ("uncertainty_m", &["uncertainty_m"]),
];

fn normalised(name: &str) -> String {
    name.trim().to_ascii_lowercase()
}

impl CsvLayout {
    /// Reads the header: `lat` and `lon` (in one of their spellings) are
    /// required, `date` and `uncertainty_m` optional, each at most once.
    /// Input columns named like an answer column (`status`, `error`, …) are
    /// replaced by the answer's, not written twice.
    pub fn new(
        headers: &csv::StringRecord,
        formulas: Formulas,
        dialect: Dialect,
    ) -> Result<Self, BatchError> {
        let mut found: [Vec<usize>; 4] = Default::default();
        for (i, h) in headers.iter().enumerate() {
            let h = normalised(h);
            if let Some(role) = ROLES
                .iter()
                .position(|(_, names)| names.contains(&h.as_str()))
            {
                found[role].push(i);
            }
        }
        let mut ambiguous = Vec::new();
        for (role, at) in found.iter().enumerate() {
            if at.len() > 1 {
                let names: Vec<String> = at.iter().map(|&i| format!("'{}'", &headers[i])).collect();
                ambiguous.push(format!("{} ({})", ROLES[role].0, names.join(", ")));
            }
        }
        if !ambiguous.is_empty() {
            return Err(BatchError::AmbiguousColumns(format!(
                "the CSV header gives more than one column for {}; keep one of each",
                ambiguous.join(" and ")
            )));
        }
        // A spreadsheet set to another list separator writes one long column.
        if let [only] = headers.iter().collect::<Vec<_>>()[..] {
            if let Some(sep) = ['\t', '|'].into_iter().find(|&c| only.contains(c)) {
                return Err(BatchError::BadBody(format!(
                    "the CSV header {only:?} is one column: separate columns with commas \
                     (or semicolons, with decimal commas), not {sep:?}"
                )));
            }
        }
        let lat = found[0].first().copied().ok_or_else(|| {
            BatchError::BadBody("the CSV header needs a 'lat' (or 'latitude') column".into())
        })?;
        let lon = found[1].first().copied().ok_or_else(|| {
            BatchError::BadBody(
                "the CSV header needs a 'lon' (or 'lng', 'long', 'longitude') column".into(),
            )
        })?;
        let answer_names: Vec<&str> = columns()
            .iter()
            .map(String::as_str)
            .chain([ERROR_COLUMN])
            .collect();
        let echo: Vec<usize> = (0..headers.len())
            .filter(|&i| !answer_names.contains(&normalised(&headers[i]).as_str()))
            .collect();
        let header = echo
            .iter()
            .map(|&i| formulas.cell(&headers[i]).into_owned())
            .chain(answer_names.iter().map(|&n| n.to_owned()))
            .collect();
        Ok(CsvLayout {
            lat,
            lon,
            date: found[2].first().copied(),
            uncertainty: found[3].first().copied(),
            width: headers.len(),
            echo,
            header,
            formulas,
            dialect,
        })
    }

    /// The answer's header: the input columns kept, the verdict columns, `error`.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Checks one record; the error says what is wrong, for people.
    pub fn check(&self, rec: &csv::StringRecord) -> Result<Row, String> {
        if rec.len() != self.width {
            return Err(format!(
                "malformed CSV: {} fields where the header has {}",
                rec.len(),
                self.width
            ));
        }
        let field = |i: usize| rec.get(i).unwrap_or("");
        let number = |i: usize| self.dialect.number(field(i));
        let read = || -> Result<Row, InputError> {
            let lat = input::number("lat", &number(self.lat))?;
            let lon = input::number("lon", &number(self.lon))?;
            let unc = self
                .uncertainty
                .map(number)
                .filter(|s| !s.trim().is_empty())
                .map(|s| input::number("uncertainty_m", &s))
                .transpose()?;
            let date = self.date.map(|i| self.dialect.date(field(i)));
            check_row(lat, lon, date.as_deref(), unc)
        };
        read().map_err(|e| e.to_string())
    }

    /// Writes one answer row: the kept input columns, the verdict columns of
    /// `checked` (or only the data version and `error`), text cells made safe.
    pub fn write<W: std::io::Write>(
        &self,
        out: &mut csv::Writer<W>,
        ds: &Dataset,
        rec: &csv::StringRecord,
        checked: Result<&Row, &str>,
        tally: &mut Tally,
    ) -> csv::Result<()> {
        let (columns, error) = match checked {
            Ok(row) => (Columns::of(ds, row), None),
            Err(message) => (Columns::unchecked(ds), Some(self.formulas.cell(message))),
        };
        tally.add(&columns, error.is_some());
        let columns = columns.for_csv(self.formulas);
        let columns = if self.dialect.decimal_comma {
            CsvColumns::Cells(decimal_comma_cells(&columns))
        } else {
            CsvColumns::AsWritten(columns)
        };
        out.serialize(CsvRow {
            echo: Echo { layout: self, rec },
            columns,
            error,
        })
    }
}

/// One CSV answer row as the `csv` serializer writes it: fields in order.
#[derive(Serialize)]
struct CsvRow<'a> {
    echo: Echo<'a>,
    columns: CsvColumns<'a>,
    error: Option<Cow<'a, str>>,
}

/// The verdict columns of a CSV row: as serde writes them, or as text
/// cells with decimal commas for [`Dialect::decimal_comma`].
#[derive(Serialize)]
#[serde(untagged)]
enum CsvColumns<'a> {
    AsWritten(Columns<'a>),
    Cells(Vec<String>),
}

/// The verdict columns as the `csv` serializer writes them (empty for
/// none), but with a decimal comma in each number.
fn decimal_comma_cells(columns: &Columns) -> Vec<String> {
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(columns) else {
        return Vec::new();
    };
    fields
        .into_iter()
        .map(|(_, value)| match value {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(text) => text,
            serde_json::Value::Number(n) => n.to_string().replace('.', ","),
            other => other.to_string(),
        })
        .collect()
}

/// The input columns written back, serialised without collecting them.
struct Echo<'a> {
    layout: &'a CsvLayout,
    rec: &'a csv::StringRecord,
}

impl Serialize for Echo<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let f = self.layout.formulas;
        s.collect_seq(
            self.layout
                .echo
                .iter()
                .map(|&i| f.cell(self.rec.get(i).unwrap_or(""))),
        )
    }
}

/// A chunk of answer bytes and the rows in it.
#[derive(Debug)]
pub struct Chunk {
    /// Encoded rows.
    pub bytes: Vec<u8>,
    /// How many rows they are.
    pub rows: usize,
}

/// A checked CSV batch: its body and header layout. Only the body is kept;
/// rows are read again from it as the answer is written.
pub struct CsvBatch<B> {
    body: B,
    layout: CsvLayout,
}

impl<B: AsRef<[u8]>> CsvBatch<B> {
    /// Reads CSV with a header naming `lat` and `lon` (and optionally
    /// `date`, `uncertainty_m`), checking every row.
    pub fn read(body: B, max_rows: usize, formulas: Formulas) -> Result<Self, BatchError> {
        let dialect = Dialect::sniff(body.as_ref());
        let mut reader = csv_reader(body.as_ref(), dialect);
        let headers = reader
            .headers()
            .map_err(|e| BatchError::BadBody(format!("cannot read the CSV header: {e}")))?
            .clone();
        let layout = CsvLayout::new(&headers, formulas, dialect)?;
        let mut rec = csv::StringRecord::new();
        let mut row = 0;
        loop {
            let more = reader
                .read_record(&mut rec)
                .map_err(|e| BatchError::BadRow {
                    row: row + 1,
                    message: format!("malformed CSV: {e}"),
                })?;
            if !more {
                break;
            }
            row += 1;
            if row > max_rows {
                return Err(BatchError::TooManyRows(max_rows));
            }
            layout
                .check(&rec)
                .map_err(|message| BatchError::BadRow { row, message })?;
        }
        Ok(CsvBatch { body, layout })
    }

    /// Writes the header and each record with the verdict's columns
    /// appended, handing `send` a chunk every [`CHUNK_ROWS`] rows; stops
    /// when `send` returns false.
    pub fn write(&self, ds: &Dataset, send: &mut dyn FnMut(Chunk) -> bool) {
        let dialect = self.layout.dialect;
        let mut first = Vec::with_capacity(64 * 1024);
        first.extend_from_slice(dialect.preamble());
        let mut out = csv_writer(first, dialect);
        let _ = out.write_record(self.layout.header());
        let mut reader = csv_reader(self.body.as_ref(), dialect);
        let mut rec = csv::StringRecord::new();
        let mut tally = Tally::default();
        let mut rows = 0;
        // The body was read whole by `read`: these records parse again.
        while let Ok(true) = reader.read_record(&mut rec) {
            let checked = self.layout.check(&rec);
            let _ = self.layout.write(
                &mut out,
                ds,
                &rec,
                checked.as_ref().map_err(String::as_str),
                &mut tally,
            );
            rows += 1;
            if rows == CHUNK_ROWS {
                let full =
                    std::mem::replace(&mut out, csv_writer(Vec::with_capacity(64 * 1024), dialect));
                if !send(Chunk {
                    bytes: full.into_inner().unwrap_or_default(),
                    rows,
                }) {
                    return;
                }
                rows = 0;
            }
        }
        send(Chunk {
            bytes: out.into_inner().unwrap_or_default(),
            rows,
        });
    }
}

// ---------------------------------------------------------------------------
// JSON.

/// One input row of a JSON batch (an element of the HTTP array, a line of a
/// JSON-lines file).
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
    id: Option<Box<RawValue>>,
    /// The caller's uncertainty, metres.
    #[serde(default)]
    uncertainty_m: Option<f64>,
}

/// A [`JsonRow`] read only from an object. serde would also read an array
/// such as `[39.8, 46.7]` field by field, and `[lon, lat]` in `GeoJSON`'s
/// order would then pass as a wrong point without a word.
pub struct ObjectRow(pub JsonRow);

impl<'de> Deserialize<'de> for ObjectRow {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = ObjectRow;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object {lat, lon, date?, id?, uncertainty_m?}")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<ObjectRow, A::Error> {
                JsonRow::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(ObjectRow)
            }
        }
        d.deserialize_map(Object)
    }
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

impl JsonRow {
    /// The caller's id, echoed unchanged.
    pub fn id(&self) -> Option<&RawValue> {
        self.id.as_deref()
    }

    /// The checked position, date and uncertainty.
    pub fn check(&self) -> Result<Row, InputError> {
        let lat = number_of(&self.lat, "lat")?;
        let lon = number_of(&self.lon, "lon")?;
        check_row(lat, lon, self.date.as_deref(), self.uncertainty_m)
    }
}

/// The compact verdict of one row: the JSON batch row and, with
/// `resolved`, the single-point answer with `compact=1`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CompactRow<'a> {
    /// The row's `id`, echoed unchanged whatever its JSON type (batch); `null` when none was given.
    #[schema(value_type = Value)]
    id: Option<&'a RawValue>,
    /// Latitude; `null` for a row that could not be read (always present).
    #[schema(required = true)]
    lat: Option<f64>,
    /// Longitude; `null` for a row that could not be read (always present).
    #[schema(required = true)]
    lon: Option<f64>,
    /// The row's day, if any.
    date: Option<Day>,
    /// The verdict columns.
    #[serde(flatten)]
    pub columns: Columns<'a>,
    /// Why the row could not be checked (command-line JSON lines only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Present when the point came from a free-text query.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<&'a crate::resolve::Resolved>,
}

/// The compact verdict of `row`.
pub fn compact_row<'a>(ds: &'a Dataset, row: &Row, id: Option<&'a RawValue>) -> CompactRow<'a> {
    CompactRow {
        id,
        lat: Some(row.at.lat),
        lon: Some(row.at.lon),
        date: row.day,
        columns: Columns::of(ds, row),
        error: None,
        resolved: None,
    }
}

/// The row of an input that could not be checked: its id if it had one,
/// and why.
pub fn error_row<'a>(ds: &'a Dataset, id: Option<&'a RawValue>, error: String) -> CompactRow<'a> {
    CompactRow {
        id,
        lat: None,
        lon: None,
        date: None,
        columns: Columns::unchecked(ds),
        error: Some(error),
        resolved: None,
    }
}

/// A checked JSON batch: compact rows and the caller's ids, in input order.
pub struct JsonBatch {
    rows: Vec<(Row, Option<Box<RawValue>>)>,
}

impl JsonBatch {
    /// Reads a JSON array of `{lat, lon, date?, id?, uncertainty_m?}`,
    /// checking each row as it is read (stopping at the first bad one or at
    /// `max_rows`).
    pub fn read(body: &[u8], max_rows: usize) -> Result<Self, BatchError> {
        let mut refused = None;
        let mut de = serde_json::Deserializer::from_slice(body);
        let read = RowsSeed {
            max_rows,
            refused: &mut refused,
        }
        .deserialize(&mut de)
        .and_then(|rows| de.end().map(|()| rows));
        match (refused, read) {
            (Some(e), _) => Err(e),
            (None, Ok(rows)) => Ok(JsonBatch { rows }),
            (None, Err(e)) => Err(BatchError::BadBody(format!(
                "expected a JSON array of {{lat, lon, date?, id?}}: {e}"
            ))),
        }
    }

    /// Writes the compact verdicts as one JSON array, handing `send` a
    /// chunk every [`CHUNK_ROWS`] rows; stops when `send` returns false.
    pub fn write(&self, ds: &Dataset, send: &mut dyn FnMut(Chunk) -> bool) {
        let mut buf = Vec::with_capacity(64 * 1024);
        buf.push(b'[');
        let mut rows = 0;
        for (k, (row, id)) in self.rows.iter().enumerate() {
            if k > 0 {
                buf.push(b',');
            }
            // Writing to a Vec fails only for maps with non-string keys: none here.
            let _ = serde_json::to_writer(&mut buf, &compact_row(ds, row, id.as_deref()));
            rows += 1;
            if rows == CHUNK_ROWS {
                if !send(Chunk {
                    bytes: std::mem::replace(&mut buf, Vec::with_capacity(64 * 1024)),
                    rows,
                }) {
                    return;
                }
                rows = 0;
            }
        }
        buf.push(b']');
        send(Chunk { bytes: buf, rows });
    }
}

/// Reads the array element by element, checking each as it comes, so a
/// batch never exists as JSON values in memory.
struct RowsSeed<'e> {
    max_rows: usize,
    refused: &'e mut Option<BatchError>,
}

impl<'de> DeserializeSeed<'de> for RowsSeed<'_> {
    type Value = Vec<(Row, Option<Box<RawValue>>)>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowsSeed<'_> {
    type Value = Vec<(Row, Option<Box<RawValue>>)>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error as _;
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(self.max_rows));
        while let Some(ObjectRow(r)) = seq.next_element()? {
            let row = rows.len() + 1;
            if row > self.max_rows {
                *self.refused = Some(BatchError::TooManyRows(self.max_rows));
                return Err(A::Error::custom("too many rows"));
            }
            match r.check() {
                Ok(checked) => rows.push((checked, r.id)),
                Err(e) => {
                    *self.refused = Some(BatchError::BadRow {
                        row,
                        message: e.to_string(),
                    });
                    return Err(A::Error::custom("bad row"));
                }
            }
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_columns_are_the_row_fields_in_order() {
        assert_eq!(
            columns(),
            [
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
            ]
        );
    }

    #[test]
    fn a_compact_row_is_the_json_object_it_describes() {
        let id = RawValue::from_string(r#"{"ref":"A-1"}"#.into()).expect("raw");
        let mut row = CompactRow {
            id: Some(&id),
            lat: Some(39.8153),
            lon: Some(46.7519),
            date: "2022-03-25".parse().ok(),
            columns: Columns {
                status: Some(Status::InsideZone),
                distance_to_boundary_m: Some(-3171.7),
                boundary_accuracy_m: Some(2374.0),
                near_boundary: Some(false),
                zone_version: Some("zone-2022-03-25".into()),
                boundary_basis: Some("between A (zone) and B (azerbaijan)".into()),
                depiction_inside: Some(true),
                depiction_agrees: Some(true),
                nearest_place: Some("Stepanakert / Khankendi".into()),
                nearest_place_distance_m: Some(4.0),
                dataset_version: "abc",
            },
            error: None,
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
                "boundary_basis": "between A (zone) and B (azerbaijan)",
                "depiction_inside": true, "depiction_agrees": true,
                "nearest_place": "Stepanakert / Khankendi",
                "nearest_place_distance_m": 4.0, "dataset_version": "abc",
            })
        );
        // Without a date: nulls for the verdict; an error when one is given.
        row.id = None;
        row.date = None;
        row.columns.status = None;
        row.columns.near_boundary = None;
        row.error = Some("lat must be a number, got 'x'".into());
        let v = written(&row);
        assert_eq!(v["id"], serde_json::Value::Null);
        assert_eq!(v["status"], serde_json::Value::Null);
        assert_eq!(v["near_boundary"], serde_json::Value::Null);
        assert_eq!(v["error"], "lat must be a number, got 'x'");
        assert!(v.get("resolved").is_none());
    }

    #[test]
    fn both_readers_refuse_the_row_past_the_limit_with_one_message() {
        let csv = CsvBatch::read("lat,lon\n1,1\n2,2\n".as_bytes(), 1, Formulas::Neutralise);
        let json = JsonBatch::read(br#"[{"lat": 1, "lon": 1}, {"lat": 2, "lon": 2}]"#, 1);
        for refused in [csv.err(), json.err()] {
            let message = refused.map(|e| e.to_string());
            assert_eq!(message.as_deref(), Some("more than 1 rows; the limit is 1"));
        }
    }

    #[test]
    fn the_first_line_decides_the_dialect_and_a_semicolon_one_reads_local_numbers_and_dates() {
        let local = |bom| Dialect {
            decimal_comma: true,
            bom,
        };
        let plain = Dialect::default();
        for (head, dialect) in [
            ("lat;lon;date\n39,8;46,7;25.03.2022\n", local(false)),
            ("\u{feff}lat;lon\r\n", local(true)),
            ("lat,lon\n39.8;46.7\n", plain),
            ("\"note; x\",lat,lon\n", plain),
            ("lat\tlon\n", plain),
            ("", plain),
        ] {
            assert_eq!(Dialect::sniff(head.as_bytes()), dialect, "{head:?}");
        }
        assert_eq!(local(true).preamble(), "\u{feff}".as_bytes());
        assert!(local(false).preamble().is_empty());
        let semi = local(false);
        assert_eq!(semi.number("39,8153"), "39.8153");
        assert_eq!(semi.date("25.03.2022"), "2022-03-25");
        // Not a day: left for the date check to refuse with its own message.
        assert_eq!(semi.date("31.02.2022"), "31.02.2022");
        assert_eq!(plain.number("39,8153"), "39,8153");
        assert_eq!(plain.date("25.03.2022"), "25.03.2022");
    }

    fn header(names: &str) -> csv::StringRecord {
        csv::StringRecord::from(names.split(',').collect::<Vec<_>>())
    }

    #[test]
    fn a_coordinate_given_twice_or_in_two_spellings_is_refused_naming_the_columns() {
        for (names, message) in [
            (
                "lat,latitude,lon",
                "the CSV header gives more than one column for lat ('lat', 'latitude'); keep one of each",
            ),
            (
                "lat,lon,LON,date,date",
                "the CSV header gives more than one column for lon ('lon', 'LON') and date ('date', 'date'); keep one of each",
            ),
        ] {
            match CsvLayout::new(&header(names), Formulas::Neutralise, Dialect::default()) {
                Err(BatchError::AmbiguousColumns(m)) => assert_eq!(m, message),
                other => panic!("{names}: {other:?}"),
            }
        }
    }

    #[test]
    fn input_columns_named_like_answer_columns_are_replaced_and_headers_made_safe() {
        let layout = CsvLayout::new(
            &header("=cmd,lat,lon,Status,error"),
            Formulas::Neutralise,
            Dialect::default(),
        )
        .expect("layout");
        let mut expected = vec!["'=cmd".to_owned(), "lat".into(), "lon".into()];
        expected.extend(columns().iter().cloned());
        expected.push("error".into());
        assert_eq!(layout.header(), expected);
        let raw = CsvLayout::new(&header("=cmd,lat,lon"), Formulas::Raw, Dialect::default())
            .expect("layout");
        assert_eq!(raw.header()[0], "=cmd");
    }

    #[test]
    fn tallies_count_statuses_errors_and_the_near_boundary_share() {
        let mut t = Tally::default();
        let near = Columns {
            status: Some(Status::InsideZone),
            near_boundary: Some(true),
            ..Columns::default()
        };
        let far = Columns {
            status: Some(Status::Outside),
            near_boundary: Some(false),
            ..Columns::default()
        };
        t.add(&near, false);
        t.add(&far, false);
        t.add(&far, false);
        t.add(&Columns::default(), false);
        t.add(&Columns::default(), true);
        let mut total = Tally::default();
        total.merge(&t);
        assert_eq!(
            total,
            Tally {
                rows: 5,
                inside_zone: 1,
                inside_corridor: 0,
                outside: 2,
                no_zone: 0,
                undated: 1,
                errors: 1,
                near_boundary: 1,
            }
        );
        assert_eq!(total.near_boundary_share(), Some(1.0 / 3.0));
    }
}
