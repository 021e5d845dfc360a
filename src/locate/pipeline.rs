//! A batch file of any length through the verdict, on every core, in
//! bounded memory, answered in input order.
//!
//! One thread reads the input in chunks of rows; worker threads answer
//! whole chunks; the caller's thread writes them in order. A fixed number
//! of chunks may be in flight at once (read, queued, being answered or
//! waiting for an earlier one to be written): the reader takes a token per
//! chunk and the writer gives it back once the chunk is written, so memory
//! stays the same for ten rows or ten billion. A row that cannot be checked
//! is answered with its error in the row; only an input that is not a batch
//! at all (no usable CSV header, not JSON lines) or an I/O failure stops the
//! run.
//!
//! Owns reading files in chunks and the threads. What a row is and how it is
//! written is [`super::batch`]'s (the same rows as the HTTP batch); the
//! progress bar and the summary's wording are the command line's.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, sync_channel};
use std::sync::Mutex;

use super::batch::{self, compact_row, error_row, CsvLayout, Dialect, ObjectRow, Tally};
use crate::csv_safety::Formulas;
use crate::dataset::Dataset;

/// Rows read, answered and written as one unit.
pub const DEFAULT_CHUNK_ROWS: usize = 4096;

/// Input (and output) formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV with a header; input columns are written back with the verdict's.
    Csv,
    /// One JSON object per line, `{lat, lon, date?, id?, uncertainty_m?}`;
    /// one compact verdict object per line back.
    JsonLines,
}

impl Format {
    /// The format a file name implies: `.jsonl`, `.ndjson`, `.json` are JSON
    /// lines, `.csv` is CSV.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Self::Csv),
            "jsonl" | "ndjson" | "json" => Some(Self::JsonLines),
            _ => None,
        }
    }
}

/// Why a batch run stopped.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The input is not a batch (its header, or its first line).
    #[error("{0}")]
    Malformed(String),
    /// Reading the input failed.
    #[error("reading the input: {0}")]
    Read(String),
    /// Writing the output failed.
    #[error("writing the output: {0}")]
    Write(#[from] std::io::Error),
}

/// How to run a batch.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Input and output format.
    pub format: Format,
    /// Whether CSV text cells that look like formulas are neutralised.
    pub formulas: Formulas,
    /// Worker threads (at least one).
    pub threads: usize,
    /// Rows per chunk (at least one).
    pub chunk_rows: usize,
}

impl Options {
    /// Every core, the default chunk, formulas neutralised.
    pub fn new(format: Format) -> Self {
        Options {
            format,
            formulas: Formulas::default(),
            threads: std::thread::available_parallelism().map_or(2, usize::from),
            chunk_rows: DEFAULT_CHUNK_ROWS,
        }
    }

    /// Chunks in flight at once: one being read, one queued and one being
    /// answered per worker, and one waiting to be written.
    fn depth(&self) -> usize {
        2 * self.threads.max(1) + 2
    }
}

/// Answers every row of `input` into `output`, calling `progress(rows
/// written, input bytes read)` after each chunk is written. Returns the
/// counts of what was answered.
pub fn run<R, W>(
    ds: &Dataset,
    input: R,
    output: &mut W,
    opts: &Options,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Tally, PipelineError>
where
    R: BufRead + Send,
    W: Write,
{
    match opts.format {
        Format::Csv => run_csv(ds, input, output, opts, progress),
        Format::JsonLines => run_json_lines(ds, input, output, opts, progress),
    }
}

fn run_csv<R: BufRead + Send, W: Write>(
    ds: &Dataset,
    mut input: R,
    output: &mut W,
    opts: &Options,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Tally, PipelineError> {
    let read_bytes = AtomicU64::new(0);
    // The header is in the first buffer of any file a spreadsheet wrote.
    let head = input
        .fill_buf()
        .map_err(|e| PipelineError::Read(e.to_string()))?;
    let dialect = Dialect::sniff(head);
    let mut reader = batch::csv_reader(input, dialect);
    let headers = reader
        .headers()
        .map_err(|e| PipelineError::Malformed(format!("cannot read the CSV header: {e}")))?
        .clone();
    let layout = CsvLayout::new(&headers, opts.formulas, dialect)
        .map_err(|e| PipelineError::Malformed(e.to_string()))?;
    let mut head = batch::csv_writer(dialect.preamble().to_vec(), dialect);
    head.write_record(layout.header())
        .map_err(|e| PipelineError::Write(e.into()))?;
    output.write_all(&head.into_inner().unwrap_or_default())?;
    let chunk_rows = opts.chunk_rows.max(1);
    let read = || -> Result<Option<Vec<CsvItem>>, PipelineError> {
        let mut chunk = Vec::with_capacity(chunk_rows);
        while chunk.len() < chunk_rows {
            let mut rec = csv::ByteRecord::new();
            if !reader
                .read_byte_record(&mut rec)
                .map_err(|e| PipelineError::Read(e.to_string()))?
            {
                break;
            }
            chunk.push(csv_item(rec));
        }
        read_bytes.store(reader.position().byte(), Ordering::Relaxed);
        Ok((!chunk.is_empty()).then_some(chunk))
    };
    let answer = |chunk: Vec<CsvItem>| {
        let mut out = batch::csv_writer(Vec::with_capacity(chunk.len() * 160), dialect);
        let mut tally = Tally::default();
        for item in &chunk {
            let (rec, checked) = match item {
                Ok(rec) => (rec, layout.check(rec)),
                Err((rec, message)) => (rec, Err(message.clone())),
            };
            // Serialising into memory cannot fail for these rows.
            let _ = layout.write(
                &mut out,
                ds,
                rec,
                checked.as_ref().map_err(String::as_str),
                &mut tally,
            );
        }
        (out.into_inner().unwrap_or_default(), tally)
    };
    in_order(opts, read, answer, output, &read_bytes, progress)
}

fn run_json_lines<R: BufRead + Send, W: Write>(
    ds: &Dataset,
    input: R,
    output: &mut W,
    opts: &Options,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Tally, PipelineError> {
    let read_bytes = AtomicU64::new(0);
    let mut input = input;
    let mut line_no = 0_u64;
    let mut consumed = 0_u64;
    let mut first_seen = false;
    let read = || -> Result<Option<Vec<LineItem>>, PipelineError> {
        let mut chunk = Vec::with_capacity(opts.chunk_rows.max(1));
        let mut buf = Vec::new();
        while chunk.len() < opts.chunk_rows.max(1) {
            buf.clear();
            let n = input
                .read_until(b'\n', &mut buf)
                .map_err(|e| PipelineError::Read(e.to_string()))?;
            if n == 0 {
                break;
            }
            consumed += n as u64;
            line_no += 1;
            let line = trim_line(&buf, line_no == 1);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let item = String::from_utf8(line.to_vec()).map_err(|e| {
                format!(
                    "the line is not valid UTF-8: {}",
                    String::from_utf8_lossy(e.as_bytes())
                )
            });
            if !first_seen {
                first_seen = true;
                first_line_is_an_object(&item)?;
            }
            chunk.push(item);
        }
        read_bytes.store(consumed, Ordering::Relaxed);
        Ok((!chunk.is_empty()).then_some(chunk))
    };
    let answer = |chunk: Vec<LineItem>| {
        let mut out = Vec::with_capacity(chunk.len() * 300);
        let mut tally = Tally::default();
        for item in &chunk {
            let parsed = item
                .as_ref()
                .map(|line| serde_json::from_str::<ObjectRow>(line).map(|o| o.0));
            let row = match &parsed {
                Ok(Ok(r)) => match r.check() {
                    Ok(row) => compact_row(ds, &row, r.id()),
                    Err(e) => error_row(ds, r.id(), e.to_string()),
                },
                Ok(Err(e)) => error_row(ds, None, format!("not a batch row: {e}")),
                Err(message) => error_row(ds, None, (*message).clone()),
            };
            tally.add(&row.columns, row.error.is_some());
            // Serialising into memory cannot fail for these rows.
            let _ = serde_json::to_writer(&mut out, &row);
            out.push(b'\n');
        }
        (out, tally)
    };
    in_order(opts, read, answer, output, &read_bytes, progress)
}

/// A CSV record, or the record (read lossily) and why it cannot be used.
type CsvItem = Result<csv::StringRecord, (csv::StringRecord, String)>;

/// A JSON line, or why it cannot be read.
type LineItem = Result<String, String>;

fn csv_item(rec: csv::ByteRecord) -> CsvItem {
    csv::StringRecord::from_byte_record(rec).map_err(|e| {
        let rec = e.into_byte_record();
        let lossy: csv::StringRecord = rec.iter().map(|f| String::from_utf8_lossy(f)).collect();
        (lossy, "the row is not valid UTF-8".to_owned())
    })
}

/// The line without its line ending (and, for the first line, a UTF-8 BOM).
fn trim_line(buf: &[u8], first: bool) -> &[u8] {
    let mut line = buf.strip_suffix(b"\n").unwrap_or(buf);
    line = line.strip_suffix(b"\r").unwrap_or(line);
    if first {
        line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
    }
    line
}

/// A JSON-lines file starts with an object; anything else (a JSON array,
/// a CSV file) is not one, and every row would be an error.
fn first_line_is_an_object(item: &LineItem) -> Result<(), PipelineError> {
    let refuse = |what: &str| {
        Err(PipelineError::Malformed(format!(
            "the first line is {what}: JSON lines need one {{\"lat\", \"lon\", \"date\"?, \"id\"?, \"uncertainty_m\"?}} object per line"
        )))
    };
    match item {
        Err(_) => refuse("not UTF-8"),
        Ok(line) => match serde_json::from_str::<serde_json::Value>(line) {
            Ok(serde_json::Value::Object(_)) => Ok(()),
            Ok(_) => refuse("JSON but not an object"),
            Err(_) => refuse("not JSON"),
        },
    }
}

/// Reads chunks on one thread, answers them on `opts.threads` workers and
/// writes them in input order on this one, with at most `opts.depth()`
/// chunks in flight.
fn in_order<T, W>(
    opts: &Options,
    mut read: impl FnMut() -> Result<Option<Vec<T>>, PipelineError> + Send,
    answer: impl Fn(Vec<T>) -> (Vec<u8>, Tally) + Sync,
    output: &mut W,
    read_bytes: &AtomicU64,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Tally, PipelineError>
where
    T: Send,
    W: Write,
{
    let depth = opts.depth();
    let (tokens_tx, tokens_rx) = sync_channel::<()>(depth);
    for _ in 0..depth {
        // The channel holds `depth` tokens: these sends never block.
        let _ = tokens_tx.send(());
    }
    let (work_tx, work_rx) = sync_channel::<(u64, Vec<T>)>(opts.threads.max(1));
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = channel::<(u64, Vec<u8>, Tally)>();
    std::thread::scope(|s| {
        let reader = s.spawn(move || -> Result<(), PipelineError> {
            let mut seq = 0;
            // No token: the writer has stopped, so stop reading.
            while tokens_rx.recv().is_ok() {
                let Some(chunk) = read()? else {
                    return Ok(());
                };
                if work_tx.send((seq, chunk)).is_err() {
                    return Ok(());
                }
                seq += 1;
            }
            Ok(())
        });
        for _ in 0..opts.threads.max(1) {
            let done_tx = done_tx.clone();
            let (work_rx, answer) = (&work_rx, &answer);
            s.spawn(move || loop {
                // The guard is dropped at the end of this statement, so one
                // worker waits on the queue while the others answer.
                let next = match work_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((seq, chunk)) = next else { return };
                let (bytes, tally) = answer(chunk);
                if done_tx.send((seq, bytes, tally)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        // Consumes the writer's ends of the channels, so that when it stops
        // (done, or the output failed) the reader and workers stop too.
        let write = move || -> Result<Tally, std::io::Error> {
            let mut pending = BTreeMap::new();
            let mut next = 0;
            let mut total = Tally::default();
            for (seq, bytes, tally) in done_rx {
                pending.insert(seq, (bytes, tally));
                while let Some((bytes, tally)) = pending.remove(&next) {
                    output.write_all(&bytes)?;
                    total.merge(&tally);
                    next += 1;
                    let _ = tokens_tx.send(());
                    progress(total.rows, read_bytes.load(Ordering::Relaxed));
                }
            }
            output.flush()?;
            Ok(total)
        };
        let written = write();
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(PipelineError::Read("the reader thread panicked".into())));
        // A read error explains a short output better than anything else.
        read?;
        Ok(written?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_the_file_extension() {
        let f = |p: &str| Format::from_path(std::path::Path::new(p));
        assert_eq!(f("a.csv"), Some(Format::Csv));
        assert_eq!(f("a.CSV"), Some(Format::Csv));
        assert_eq!(f("a.jsonl"), Some(Format::JsonLines));
        assert_eq!(f("a.ndjson"), Some(Format::JsonLines));
        assert_eq!(f("a.txt"), None);
        assert_eq!(f("-"), None);
    }

    #[test]
    fn line_endings_and_a_leading_bom_are_not_part_of_a_line() {
        assert_eq!(trim_line(b"{}\r\n", false), b"{}");
        assert_eq!(trim_line(b"{}", false), b"{}");
        assert_eq!(trim_line("\u{feff}{}\n".as_bytes(), true), b"{}");
    }
}
