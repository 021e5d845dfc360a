//! `contactline batch` on small files: the answers are the HTTP batch's,
//! byte for byte (CSV) and value for value (JSON lines), in input order
//! across many chunks and threads; a bad row says why in its row and the run
//! goes on; a file that is not a batch is refused with a message and exit
//! code 1; standard input to standard output; the summary on standard error.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};

use contactline::dataset::Dataset;
use contactline::locate::pipeline::{self, Format, Options};
use serde_json::Value;

use crate::common::{client, fixture_dir, CsvTable, TestServer};

/// `n` deterministic rows over and around the fixture's zone, some undated,
/// some before the zone, with a text column.
fn rows_csv(n: usize) -> String {
    let mut body = String::from("name,lat,lon,date\n");
    for i in 0..n {
        let lat = 39.70 + (i % 37) as f64 * 0.007;
        let lon = 46.40 + (i % 53) as f64 * 0.011;
        let date = ["2022-03-01", "2022-03-25", "2019-01-01", ""][i % 4];
        let _ = writeln!(body, "p{i},{lat:.4},{lon:.4},{date}");
    }
    body
}

fn rows_jsonl(n: usize) -> String {
    let mut body = String::new();
    for i in 0..n {
        let lat = 39.70 + (i % 37) as f64 * 0.007;
        let lon = 46.40 + (i % 53) as f64 * 0.011;
        let _ = writeln!(
            body,
            "{{\"id\":\"p{i}\",\"lat\":{lat:.4},\"lon\":{lon:.4},\"date\":\"2022-03-25\"}}"
        );
    }
    body
}

/// Runs the binary on the fixture data with `stdin`; returns exit code,
/// stdout and stderr.
fn contactline_batch(args: &[&str], stdin: &str) -> (i32, String, String) {
    let fixture = fixture_dir();
    let mut child = Command::new(env!("CARGO_BIN_EXE_contactline"))
        .arg("batch")
        .args(args)
        .arg("--data")
        .arg(&fixture)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run contactline");
    let mut input = child.stdin.take().unwrap();
    let text = stdin.to_owned();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(text.as_bytes());
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

async fn http_batch(s: &TestServer, content_type: &str, body: String) -> String {
    let r = client()
        .post(s.url("/api/v1/locate"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

#[tokio::test]
async fn a_csv_file_is_answered_exactly_as_the_http_batch_answers_it_in_input_order() {
    let s = TestServer::fixture().await;
    // Several chunks of 4,096 rows, answered by three threads.
    let input = rows_csv(10_000);
    let expected = http_batch(&s, "text/csv", input.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let (in_path, out_path) = (dir.path().join("in.csv"), dir.path().join("out.csv"));
    std::fs::write(&in_path, &input).unwrap();
    let (code, stdout, stderr) = contactline_batch(
        &[
            in_path.to_str().unwrap(),
            "-o",
            out_path.to_str().unwrap(),
            "--threads",
            "3",
        ],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    let got = std::fs::read_to_string(&out_path).unwrap();
    assert_eq!(got.lines().count(), 10_001);
    assert!(
        got == expected,
        "the CLI's CSV differs from the HTTP batch's"
    );
    // The summary's counts are the answer's.
    let answer = CsvTable::read(got.as_bytes());
    let status_col = answer.col("status");
    let mut counts = std::collections::BTreeMap::<String, u64>::new();
    for rec in &answer.rows {
        *counts.entry(rec[status_col].to_owned()).or_default() += 1;
    }
    let n = |k: &str| counts.get(k).copied().unwrap_or(0);
    let line = format!(
        "statuses: inside_zone {}, inside_corridor {}, outside {}, no_zone {}, undated {}, errors 0",
        n("inside_zone"),
        n("inside_corridor"),
        n("outside"),
        n("no_zone"),
        n("")
    );
    assert!(
        stderr.lines().any(|l| l == line),
        "no `{line}` in:\n{stderr}"
    );
    assert!(stderr.starts_with("10000 rows in "), "{stderr}");
}

/// `csv` as a spreadsheet set to a comma-decimal locale saves it:
/// semicolons, decimal commas, dates `DD.MM.YYYY`.
fn as_saved_with_decimal_commas(csv: &str) -> String {
    let cell = |c: &str| match c.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] if y.len() == 4 => format!("{d}.{m}.{y}"),
        _ => c.replace('.', ","),
    };
    csv.lines()
        .map(|line| line.split(',').map(cell).collect::<Vec<_>>().join(";") + "\n")
        .collect()
}

#[tokio::test]
async fn a_spreadsheet_s_semicolon_csv_is_answered_in_kind_by_http_and_the_cli() {
    let s = TestServer::fixture().await;
    let plain = rows_csv(300);
    // As Excel saves "CSV UTF-8": with a byte order mark.
    let semicolons = format!("\u{feff}{}", as_saved_with_decimal_commas(&plain));
    assert!(semicolons.contains(";39,7"), "{semicolons}");
    let expected = CsvTable::read(http_batch(&s, "text/csv", plain.clone()).await.as_bytes());
    let dates = expected.col("date");
    let (code, from_cli, stderr) = contactline_batch(&["--format", "csv"], &semicolons);
    assert_eq!(code, 0, "{stderr}");
    for answer in [
        http_batch(&s, "text/csv", semicolons.clone()).await,
        from_cli,
    ] {
        assert!(answer.starts_with("\u{feff}name;"), "{answer:.40}");
        let got = CsvTable::read_with(answer.as_bytes(), b';');
        assert_eq!(got.header, expected.header);
        assert_eq!(got.rows.len(), expected.rows.len());
        for (got, want) in got.rows.iter().zip(&expected.rows) {
            for (i, (g, w)) in got.iter().zip(want).enumerate() {
                // The same answer, each number with a decimal comma and the
                // input's own dates written back as given.
                let w = if i == dates {
                    as_saved_with_decimal_commas(w).trim_end().to_owned()
                } else if w.parse::<f64>().is_ok() {
                    w.replace('.', ",")
                } else {
                    w.to_owned()
                };
                assert_eq!(g, w, "column {}", expected.header[i]);
            }
        }
    }
}

#[tokio::test]
async fn json_lines_from_standard_input_are_the_http_json_batch_one_object_per_line() {
    let s = TestServer::fixture().await;
    let input = rows_jsonl(300);
    let as_array = format!("[{}]", input.lines().collect::<Vec<_>>().join(","));
    let expected: Vec<Value> =
        serde_json::from_str(&http_batch(&s, "application/json", as_array).await).unwrap();
    let (code, stdout, stderr) = contactline_batch(&["--format", "jsonl", "-"], &input);
    assert_eq!(code, 0, "{stderr}");
    let got: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn a_json_line_that_is_an_array_is_an_error_row_not_a_point() {
    // `[lon, lat]` read field by field would be a wrong point without a word.
    let input = "{\"lat\": 39.80, \"lon\": 46.75}\n[46.75, 39.80]\n";
    let (code, stdout, stderr) = contactline_batch(&["--format", "jsonl", "-"], input);
    assert_eq!(code, 0, "{stderr}");
    let rows: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0].get("error").is_none_or(Value::is_null),
        "{}",
        rows[0]
    );
    let error = rows[1]["error"].as_str().unwrap_or_default();
    assert!(error.contains("expected an object"), "{}", rows[1]);
    assert!(rows[1]["lat"].is_null(), "{}", rows[1]);
}

#[test]
fn a_bad_row_says_why_in_its_row_and_the_run_goes_on() {
    let input = "name,lat,lon,date\n\
                 ok,39.80,46.75,2022-03-01\n\
                 far,39.80,200,2022-03-01\n\
                 short,39.80\n\
                 =sum,north,46.75,2022-03-01\n\
                 later,39.80,46.75,2022-02-30\n";
    let (code, stdout, stderr) = contactline_batch(&["-o", "-", "--threads", "2"], input);
    assert_eq!(code, 0, "{stderr}");
    let table = CsvTable::read(stdout.as_bytes());
    let col = |name: &str| table.col(name);
    let rows = &table.rows;
    let errors: Vec<&str> = rows.iter().map(|r| &r[col("error")]).collect();
    let ds = Dataset::load(&fixture_dir()).unwrap();
    let expected_status = contactline::locate::verdict_on(
        &ds,
        contactline::geodesy::LonLat::new(46.75, 39.80),
        "2022-03-01".parse().unwrap(),
        0.0,
    )
    .status
    .as_str();
    assert_eq!(&rows[0][col("status")], expected_status);
    assert_eq!(
        errors,
        [
            "",
            "lon must be between -180 and 180, got 200",
            "malformed CSV: 2 fields where the header has 4",
            "lat must be a number, got 'north'",
            contactline::locate::input::day("date", "2022-02-30")
                .unwrap_err()
                .message
                .as_str(),
        ]
    );
    // Echoed text is made safe for spreadsheets; error rows keep their input.
    assert_eq!(&rows[3][0], "'=sum");
    assert_eq!(&rows[2][0], "short");
    assert!(rows[1..].iter().all(|r| r[col("status")].is_empty()));
    let one = |s: &str| u8::from(s == expected_status);
    let line = format!(
        "statuses: inside_zone {}, inside_corridor {}, outside {}, no_zone {}, undated 0, errors 4",
        one("inside_zone"),
        one("inside_corridor"),
        one("outside"),
        one("no_zone")
    );
    assert!(
        stderr.lines().any(|l| l == line),
        "no `{line}` in:\n{stderr}"
    );
    assert!(stderr.starts_with("5 rows in "), "{stderr}");
}

#[test]
fn a_file_that_is_not_a_batch_is_refused_with_exit_code_1_and_no_output_left() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    for (input, args, message) in [
        (
            "lat,latitude,lon\n1,2,3\n",
            vec!["--format", "csv"],
            "the CSV header gives more than one column for lat ('lat', 'latitude'); keep one of each",
        ),
        (
            "name,value\na,1\n",
            vec!["--format", "csv"],
            "the CSV header needs a 'lat' (or 'latitude') column",
        ),
        (
            "lat\tlon\n39.8\t46.75\n",
            vec!["--format", "csv"],
            "the CSV header \"lat\\tlon\" is one column: separate columns with commas \
             (or semicolons, with decimal commas), not '\\t'",
        ),
        (
            "[{\"lat\": 39.8, \"lon\": 46.75}]\n",
            vec!["--format", "jsonl"],
            "the first line is JSON but not an object",
        ),
    ] {
        let mut all = args.clone();
        all.extend(["-o", out.to_str().unwrap()]);
        let (code, stdout, stderr) = contactline_batch(&all, input);
        assert_eq!(code, 1, "{input}: {stderr}");
        assert_eq!(stdout, "");
        assert!(stderr.contains(message), "{input}: {stderr}");
        assert!(!out.exists(), "{input}: output left behind");
    }
}

#[test]
fn the_pipeline_answers_the_same_bytes_with_any_chunk_size_and_thread_count() {
    let ds = Dataset::load(&fixture_dir()).unwrap();
    let input = rows_csv(1_000);
    let run = |threads: usize, chunk_rows: usize| {
        let mut out = Vec::new();
        let mut calls = 0;
        let tally = pipeline::run(
            &ds,
            input.as_bytes(),
            &mut out,
            &Options {
                threads,
                chunk_rows,
                ..Options::new(Format::Csv)
            },
            &mut |_, _| calls += 1,
        )
        .unwrap();
        (out, tally, calls)
    };
    let (one, tally, calls) = run(1, 100_000);
    assert_eq!(tally.rows, 1_000);
    assert_eq!(calls, 1);
    for (threads, chunk_rows) in [(3, 7), (2, 1), (4, 333)] {
        let (many, t, calls) = run(threads, chunk_rows);
        assert!(many == one, "{threads} threads, {chunk_rows} rows a chunk");
        assert_eq!(t, tally);
        assert_eq!(calls, 1_000_usize.div_ceil(chunk_rows));
    }
}
