//! The command line: `serve`, `locate`, `validate`, `derive` (and the names
//! commands), parsed with clap and run against the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::dataset::{Dataset, DatasetError};
use crate::date::Day;
use crate::resolve::Target;

/// Prints a line to stdout, ignoring a closed pipe (`contactline … | head`).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// contactline: was this point inside the 2020–2023 Russian peacekeeping
/// zone in Nagorno-Karabakh on this date?
#[derive(Debug, Parser)]
#[command(name = "contactline", version, about, long_about = None)]
pub struct Cli {
    /// Log format on standard error: `text` for people, `json` (one object
    /// per line) for log collectors.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the map and the API; reload the data on SIGHUP (a data set that
    /// `validate` rejects leaves the old one serving).
    Serve(ServeArgs),
    /// Answer for one point: `locate 39.8153 46.7519 --date 2022-03-25`, or a
    /// place name or any coordinate notation: `locate "Farrukh" --date 2022-03-25`.
    Locate {
        /// Latitude and longitude, or a free-text query.
        #[arg(required = true, num_args = 1.., allow_negative_numbers = true)]
        query: Vec<String>,
        /// Date (YYYY-MM-DD); without it, the timeline.
        #[arg(long)]
        date: Option<String>,
        /// Your own location uncertainty in metres; for a place name, the
        /// place's own accuracy is added.
        #[arg(long, default_value_t = 0.0)]
        uncertainty_m: f64,
        /// Print the full JSON report.
        #[arg(long)]
        json: bool,
        /// Data directory.
        #[arg(long, default_value = "geodata")]
        data: PathBuf,
    },
    /// Find the places and coordinates an article mentions, with each
    /// place's status on the article's date: `annotate article.txt --date 2022-03-24`.
    Annotate {
        /// Text file to read (`-` for standard input).
        file: PathBuf,
        /// Date (YYYY-MM-DD); without it, the date the article states, if any.
        #[arg(long)]
        date: Option<String>,
        /// Print the full JSON annotation.
        #[arg(long)]
        json: bool,
        /// Data directory.
        #[arg(long, default_value = "geodata")]
        data: PathBuf,
    },
    /// Draw the verdict card for a point and a date:
    /// `card 39.8153 46.7519 --date 2022-03-25 -o card.png` (or `.svg`), or
    /// for a place name or any coordinate notation, as `locate` takes them.
    Card {
        /// Latitude and longitude, or a free-text query.
        #[arg(required = true, num_args = 1.., allow_negative_numbers = true)]
        query: Vec<String>,
        /// Date (YYYY-MM-DD).
        #[arg(long)]
        date: String,
        /// Your own location uncertainty in metres; for a place name, the
        /// place's own accuracy is added.
        #[arg(long, default_value_t = 0.0)]
        uncertainty_m: f64,
        /// Language of place names: `display`, `en`, `hy`, `az` or `ru`.
        #[arg(long, default_value = "display")]
        lang: String,
        /// `social` (1200x630), `square`, `narrow` or `WxH`.
        #[arg(long, default_value = "social")]
        size: String,
        /// Output file, `.png` or `.svg`.
        #[arg(short, long)]
        output: PathBuf,
        /// Base of the permalink printed on the card.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        link_base: String,
        /// Data directory.
        #[arg(long, default_value = "geodata")]
        data: PathBuf,
    },
    /// Write a layer in a format for GIS, Google Earth or a spreadsheet:
    /// `export settlements --format kml --date 2022-03-25 -o settlements.kml`;
    /// `export --bundle -o bundle.zip` writes the whole data set.
    Export(ExportArgs),
    /// Check a whole file of points on every core, in bounded memory:
    /// `batch points.csv -o verdicts.csv` (CSV with a header: `lat`, `lon`,
    /// `date`, `uncertainty_m`, other columns kept) or JSON lines
    /// (`points.jsonl`); standard input and output without files. The same
    /// columns as the HTTP batch; a row that cannot be checked says why in
    /// its `error` column. A summary goes to standard error.
    Batch(BatchArgs),
    /// Check a data directory; exit 1 on any problem, listing them all.
    /// Also prints each zone version's figures and the quality targets
    /// (area range, worst and mean edge accuracy, the pocket enclave); a
    /// missed target is a warning, or a failure with `--strict`.
    Validate {
        /// Data directory.
        #[arg(default_value = "geodata")]
        dir: PathBuf,
        /// Exit 1 when a quality target is missed, too.
        #[arg(long)]
        strict: bool,
    },
    /// Rebuild the derived layers (zone, line of contact, corridor) from the
    /// control points and roads; `--check` only compares with the files.
    Derive {
        /// Data directory.
        #[arg(default_value = "geodata")]
        dir: PathBuf,
        /// Compare with the committed files instead of writing; exit 1 on a difference.
        #[arg(long)]
        check: bool,
    },
    /// Count how complete the gazetteer is: settlements per status and near
    /// each zone version's boundary, and the reference points and village
    /// lists of `DIR/checks/` that have no entry.
    Coverage {
        /// Data directory.
        #[arg(default_value = "geodata")]
        dir: PathBuf,
        /// "Near the boundary" means within this many kilometres.
        #[arg(long, default_value_t = 10.0)]
        near_km: f64,
        /// Reference points are checked when inside a zone version or within
        /// this many kilometres of one.
        #[arg(long, default_value_t = 25.0)]
        within_km: f64,
        /// A reference point counts as covered by a settlement this close, km.
        #[arg(long, default_value_t = 1.5)]
        match_km: f64,
    },
}

/// `export`'s options.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Layer id (`zone`, `settlements`, …); omit with `--bundle`.
    #[arg(required_unless_present = "bundle")]
    layer: Option<String>,
    /// `geojson`, `kml`, `csv` (point layers) or `fgb` (FlatGeobuf).
    #[arg(long, default_value = "geojson")]
    format: String,
    /// Only the features valid on this day (YYYY-MM-DD); without it, every version.
    #[arg(long)]
    date: Option<String>,
    /// Language of names: `display`, `en`, `hy`, `az` or `ru`.
    #[arg(long, default_value = "display")]
    lang: String,
    /// The whole data set as a zip: every layer in every format, catalog, README, checksums.
    #[arg(long, conflicts_with_all = ["layer", "date"])]
    bundle: bool,
    /// CSV text cells as they are, for programs: by default a cell a
    /// spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR
    /// first) gets a leading `'`.
    #[arg(long)]
    raw_csv: bool,
    /// Output file (`-` for standard output).
    #[arg(short, long, default_value = "-")]
    output: PathBuf,
    /// Data directory.
    #[arg(long, default_value = "geodata")]
    data: PathBuf,
}

/// `batch`'s options.
#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// Input file (`-` or nothing for standard input).
    input: Option<PathBuf>,
    /// Output file (`-` or nothing for standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Input and output format; by default from the input file's extension
    /// (`.jsonl`, `.ndjson`, `.json` are JSON lines), CSV for standard input.
    #[arg(long, value_enum)]
    format: Option<BatchFormat>,
    /// CSV text cells as they are, for programs: by default a cell a
    /// spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR
    /// first) gets a leading `'`.
    #[arg(long)]
    raw_csv: bool,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// No progress bar and no summary.
    #[arg(short, long)]
    quiet: bool,
    /// Data directory.
    #[arg(long, default_value = "geodata")]
    data: PathBuf,
}

/// Batch file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BatchFormat {
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// `serve`'s options: where things are, and the limits of every phase.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Data directory (with catalog.json).
    #[arg(long, default_value = "geodata")]
    data: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// Directory of the built web app.
    #[arg(long, default_value = "web/dist")]
    web: PathBuf,
    /// Public base URL for absolute links (e.g. `https://example.org` behind a
    /// proxy); the client's Host header is never used. Default: `http://ADDR`.
    #[arg(long)]
    public_url: Option<String>,
    /// Largest request body in bytes (a larger declared body is a 413 at once).
    #[arg(long, default_value_t = Config::default().max_body_bytes)]
    max_body_bytes: usize,
    /// Most rows in one batch request.
    #[arg(long, default_value_t = Config::default().max_batch_rows)]
    max_batch_rows: usize,
    /// Requests handled at once by the whole server; more get 503 + Retry-After.
    #[arg(long, default_value_t = Config::default().max_concurrency)]
    max_concurrency: usize,
    /// Connections open at once; more wait in the listen backlog.
    #[arg(long, default_value_t = Config::default().max_connections)]
    max_connections: usize,
    /// Seconds a request may take, body read included (then 408).
    #[arg(long, default_value_t = Config::default().timeout_secs)]
    timeout_secs: u64,
    /// Seconds a client has to send request headers, from connecting or
    /// from the previous response (also the idle keep-alive limit).
    #[arg(long, default_value_t = Config::default().header_timeout.as_secs())]
    header_timeout_secs: u64,
    /// Seconds a response write may wait on a client that does not read.
    #[arg(long, default_value_t = Config::default().write_timeout.as_secs())]
    write_timeout_secs: u64,
    /// Seconds in-flight requests get to finish on SIGTERM/SIGINT.
    #[arg(long, default_value_t = Config::default().shutdown_grace.as_secs())]
    shutdown_grace_secs: u64,
    /// Optional public basemap style URL, offered as an opt-in underlay.
    #[arg(long)]
    basemap_style: Option<String>,
    /// Also reload when files under --data change (debounced), not only on SIGHUP.
    #[arg(long)]
    watch: bool,
}

impl ServeArgs {
    /// The server configuration these options describe.
    pub fn into_config(self) -> anyhow::Result<Config> {
        let addr = self
            .addr
            .parse()
            .with_context(|| format!("--addr '{}' is not HOST:PORT", self.addr))?;
        if let Some(u) = &self.public_url {
            anyhow::ensure!(
                u.starts_with("http://") || u.starts_with("https://"),
                "--public-url '{u}' must start with http:// or https://"
            );
        }
        let secs = std::time::Duration::from_secs;
        Ok(Config {
            data_dir: self.data,
            web_dir: self.web,
            addr,
            public_url: self.public_url,
            max_body_bytes: self.max_body_bytes,
            max_batch_rows: self.max_batch_rows,
            max_concurrency: self.max_concurrency.max(1),
            max_connections: self.max_connections.max(1),
            timeout_secs: self.timeout_secs,
            header_timeout: secs(self.header_timeout_secs),
            body_idle_timeout: secs(self.header_timeout_secs),
            write_timeout: secs(self.write_timeout_secs),
            shutdown_grace: secs(self.shutdown_grace_secs),
            basemap_style: self.basemap_style,
            watch_data: self.watch,
            ..Config::default()
        })
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => {
            serve(args.into_config()?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Locate {
            query,
            date,
            uncertainty_m,
            json,
            data,
        } => locate(&query, date.as_deref(), uncertainty_m, json, &data),
        Command::Annotate {
            file,
            date,
            json,
            data,
        } => annotate(&file, date.as_deref(), json, &data),
        Command::Card {
            query,
            date,
            uncertainty_m,
            lang,
            size,
            output,
            link_base,
            data,
        } => {
            use crate::card::{CardFormat, CardSpec};
            let format: CardFormat = output
                .extension()
                .and_then(|e| e.to_str())
                .and_then(|e| e.to_ascii_lowercase().parse().ok())
                .ok_or_else(|| anyhow::anyhow!("-o must name a .png or .svg file"))?;
            let ds = load(&data)?;
            let Target {
                at, uncertainty_m, ..
            } = target(&ds, &query, uncertainty_m)?;
            let spec = CardSpec {
                at,
                day: date.parse()?,
                uncertainty_m,
                lang: lang.parse()?,
                size: crate::card::parse_size(&size)?,
                link_base,
            };
            let bytes = crate::card::render(&ds, &spec, format)?;
            std::fs::write(&output, bytes)
                .with_context(|| format!("writing {}", output.display()))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(args) => export(&args),
        Command::Batch(args) => batch(&args),
        Command::Validate { dir, strict } => Ok(validate(&dir, strict)),
        Command::Derive { dir, check } => derive(&dir, check),
        Command::Coverage {
            dir,
            near_km,
            within_km,
            match_km,
        } => coverage(&dir, near_km, within_km, match_km),
    }
}

/// The data set in `dir`; an error names the directory.
fn load(dir: &std::path::Path) -> anyhow::Result<Dataset> {
    Dataset::load(dir).with_context(|| format!("loading {}", dir.display()))
}

fn serve(mut config: Config) -> anyhow::Result<()> {
    let dataset = crate::validate::validate_dir(&config.data_dir)
        .with_context(|| format!("loading {}", config.data_dir.display()))?;
    tracing::info!(version = %dataset.version, places = dataset.places.len(), "data loaded");
    if !config.web_dir.join("index.html").exists() {
        tracing::warn!(dir = %config.web_dir.display(), "no built web app; run `make web` (make run does)");
    }
    let rt = tokio::runtime::Runtime::new()?;
    let served = rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("binding {}", config.addr))?;
        // Port 0 becomes the real port, for links and logs.
        config.addr = listener.local_addr()?;
        tracing::info!(public_url = %config.base_url(), "serving on http://{}", config.addr);
        let state = crate::state::AppState::new(dataset, config);
        crate::server::serve(listener, state, crate::server::shutdown_signal()).await?;
        anyhow::Ok(())
    });
    // Streamed batches stop within a chunk once their connection is gone;
    // do not wait on a blocking thread beyond that.
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    served
}

fn export(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    use crate::export::{Format, Lang, Selection};
    let ExportArgs {
        layer,
        format,
        date,
        lang,
        bundle,
        raw_csv,
        output,
        data,
    } = args;
    let ds = load(data)?;
    let bytes = if *bundle {
        let readme = std::fs::read_to_string(data.join("README.md")).unwrap_or_default();
        crate::export::bundle::write(&ds, &readme)?
    } else {
        let id = layer.as_deref().unwrap_or_default();
        let layer = ds
            .layer(id)
            .with_context(|| format!("no layer '{id}' in {}", data.display()))?;
        let format: Format = format.parse()?;
        let lang: Lang = lang.parse()?;
        let day = date.as_deref().map(str::parse::<Day>).transpose()?;
        let formulas = crate::csv_safety::Formulas::raw_if(*raw_csv);
        crate::export::export(
            &ds,
            layer,
            format,
            Selection {
                day,
                lang,
                formulas,
            },
        )?
    };
    if output.as_path() == std::path::Path::new("-") {
        use std::io::Write as _;
        std::io::stdout().lock().write_all(&bytes)?;
    } else {
        std::fs::write(output, &bytes).with_context(|| format!("writing {}", output.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `contactline batch`: the pipeline between files or standard streams,
/// a progress bar on a terminal, the summary on standard error.
fn batch(args: &BatchArgs) -> anyhow::Result<ExitCode> {
    use crate::locate::pipeline::{self, Format, Options};
    use std::io::{BufReader, BufWriter, IsTerminal as _, Read};

    let named = |p: &Option<PathBuf>| p.as_ref().filter(|p| p.as_os_str() != "-").cloned();
    let (input_path, output_path) = (named(&args.input), named(&args.output));
    let format = match (args.format, &input_path) {
        (Some(BatchFormat::Csv), _) | (None, None) => Format::Csv,
        (Some(BatchFormat::Jsonl), _) => Format::JsonLines,
        (None, Some(p)) => Format::from_path(p).with_context(|| {
            format!(
                "cannot tell the format of {} from its name: give --format csv or --format jsonl",
                p.display()
            )
        })?,
    };
    let ds = load(&args.data)?;
    let (input, size): (Box<dyn Read + Send>, Option<u64>) = match &input_path {
        Some(p) => {
            let f = std::fs::File::open(p).with_context(|| format!("opening {}", p.display()))?;
            let size = f.metadata().ok().map(|m| m.len());
            (Box::new(f), size)
        }
        None => (Box::new(std::io::stdin()), None),
    };
    let input = BufReader::with_capacity(256 * 1024, input);
    let mut output: Box<dyn std::io::Write> = match &output_path {
        Some(p) => {
            Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut output = BufWriter::with_capacity(256 * 1024, &mut output);
    let mut opts = Options::new(format);
    if let Some(n) = args.threads {
        opts.threads = n.max(1);
    }
    opts.formulas = crate::csv_safety::Formulas::raw_if(args.raw_csv);
    let bar = if !args.quiet && std::io::stderr().is_terminal() {
        let bar = match size {
            Some(bytes) => indicatif::ProgressBar::new(bytes).with_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {percent:>3}% {msg} rows, {per_sec}, {eta} left",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            ),
            None => indicatif::ProgressBar::new_spinner(),
        };
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(4));
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let start = std::time::Instant::now();
    let ran = pipeline::run(&ds, input, &mut output, &opts, &mut |rows, bytes| {
        bar.set_message(rows.to_string());
        if size.is_some() {
            bar.set_position(bytes);
        } else {
            bar.set_position(rows);
        }
    });
    bar.finish_and_clear();
    let tally = match ran {
        Ok(t) => t,
        Err(e) => {
            drop(output);
            // No partial answer left behind to be taken for a whole one.
            if let Some(p) = &output_path {
                let _ = std::fs::remove_file(p);
            }
            let what = input_path
                .as_ref()
                .map_or_else(|| "standard input".to_owned(), |p| p.display().to_string());
            return Err(anyhow::Error::new(e).context(format!("batch {what}")));
        }
    };
    if !args.quiet {
        eprint!("{}", batch_summary(&tally, start.elapsed()));
    }
    Ok(ExitCode::SUCCESS)
}

/// The end-of-run summary: rows and rate, statuses, the near-boundary share.
fn batch_summary(t: &crate::locate::batch::Tally, took: std::time::Duration) -> String {
    let secs = took.as_secs_f64();
    let rate = if secs > 0.0 {
        t.rows as f64 / secs
    } else {
        0.0
    };
    let near = t.near_boundary_share().map_or_else(
        || "no row had a boundary verdict".to_owned(),
        |share| {
            format!(
                "{} of {} rows with a boundary verdict ({:.1}%)",
                t.near_boundary,
                t.inside_zone + t.inside_corridor + t.outside,
                share * 100.0
            )
        },
    );
    format!(
        "{} rows in {secs:.1} s ({rate:.0} rows/s)\n\
         statuses: inside_zone {}, inside_corridor {}, outside {}, no_zone {}, undated {}, errors {}\n\
         near the boundary: {near}\n",
        t.rows, t.inside_zone, t.inside_corridor, t.outside, t.no_zone, t.undated, t.errors
    )
}

/// The point a command's query names: two numbers are latitude and
/// longitude; anything else is a place name or a coordinate notation,
/// resolved as the HTTP `q=` is. `uncertainty_m` is `--uncertainty-m`.
fn target(
    ds: &crate::dataset::Dataset,
    query: &[String],
    uncertainty_m: f64,
) -> anyhow::Result<Target> {
    let uncertainty_m = crate::locate::input::uncertainty(Some(uncertainty_m))
        .map_err(|_| anyhow::anyhow!("--uncertainty-m must be 0 to 100000 metres"))?;
    let numbers: Vec<f64> = query
        .iter()
        .filter_map(|s| s.trim_end_matches(',').parse().ok())
        .collect();
    if query.len() == 2 && numbers.len() == 2 {
        let at = crate::geodesy::LonLat::new(numbers[1], numbers[0]);
        anyhow::ensure!(
            at.is_valid(),
            "latitude must be -90..90 and longitude -180..180 (LAT LON order)"
        );
        return Ok(Target::at(at, uncertainty_m));
    }
    let r = crate::resolve::resolve(ds, &query.join(" "))?;
    Ok(Target::resolved(r, uncertainty_m))
}

fn locate(
    query: &[String],
    date: Option<&str>,
    uncertainty_m: f64,
    json: bool,
    data: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    let ds = load(data)?;
    let day = date.map(str::parse::<Day>).transpose()?;
    let Target {
        at,
        resolved,
        uncertainty_m,
    } = target(&ds, query, uncertainty_m)?;
    let mut report = crate::locate::report(&ds, at, day, uncertainty_m);
    report.resolved = resolved.as_ref();
    if json {
        say!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        if let Some(r) = &resolved {
            let good_to = r
                .accuracy_m
                .map(|a| format!("; its position is good to {a:.0} m, counted as uncertainty"))
                .unwrap_or_default();
            say!(
                "Resolved '{}' to {} ({:.5}, {:.5}{good_to}).",
                query.join(" "),
                r.description,
                at.lat,
                at.lon
            );
        }
        say!("{}", report.summary);
        say!("Data set version {}.", report.dataset_version);
    }
    Ok(ExitCode::SUCCESS)
}

fn annotate(
    file: &std::path::Path,
    date: Option<&str>,
    json: bool,
    data: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    let text = if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).context("reading standard input")?
    } else {
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?
    };
    let day = date.map(str::parse::<Day>).transpose()?;
    let ds = load(data)?;
    let a = crate::annotate::annotate(&ds, &text, day)?;
    if json {
        say!("{}", serde_json::to_string_pretty(&a)?);
        return Ok(ExitCode::SUCCESS);
    }
    match (&a.date, a.date_source) {
        (Some(d), Some("article")) => say!("Date: {d} (stated in the article)"),
        (Some(d), _) => say!("Date: {d}"),
        _ => say!("Date: none given or found; statuses omitted (use --date)"),
    }
    for m in &a.mentions {
        let places: Vec<String> = m
            .place
            .iter()
            .chain(&m.candidates)
            .map(|p| {
                let status = p.status.map(|s| format!(" {s}")).unwrap_or_default();
                let near = if p.near_boundary == Some(true) {
                    " (near the boundary: not sure)"
                } else {
                    ""
                };
                let held = p
                    .control
                    .map(|c| format!(" (held: {c})"))
                    .unwrap_or_default();
                let change = p
                    .status_change
                    .map(|c| {
                        format!(
                            " (status changed on {}: {} before, {} from then)",
                            c.on,
                            c.before.as_str(),
                            c.after.as_str()
                        )
                    })
                    .unwrap_or_default();
                format!("{} [{}]{status}{near}{held}{change}", p.display_name, p.id)
            })
            .collect();
        let which = if m.ambiguous { "one of: " } else { "" };
        say!(
            "chars {}..{}  {:?} ({} '{}') -> {which}{}",
            m.span.chars[0],
            m.span.chars[1],
            m.text,
            m.how,
            m.matched_form,
            places.join("; ")
        );
    }
    for c in &a.coordinates {
        let r = c.parsed.preferred();
        say!(
            "chars {}..{}  {:?} -> {:.5}, {:.5} ({}{}){}",
            c.span.chars[0],
            c.span.chars[1],
            c.text,
            r.at.lat,
            r.at.lon,
            c.parsed.notation.as_str(),
            if c.parsed.ambiguous {
                ", ambiguous order"
            } else {
                ""
            },
            c.status.map(|s| format!(" {s}")).unwrap_or_default()
        );
    }
    say!(
        "{} place mention(s), {} coordinate(s).",
        a.mentions.len(),
        a.coordinates.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// One line of computed figures for a zone or corridor version.
fn version_figures(v: &crate::dataset::AreaVersion) -> String {
    let day = |d: Option<Day>| d.map_or_else(|| "-".into(), |d| d.to_string());
    let period = format!(
        "{} .. {}",
        day(v.validity.valid_from),
        day(v.validity.valid_to)
    );
    let Some(f) = &v.figures else {
        return format!(
            "  {} ({period}): no figures (run `contactline derive`)",
            v.id
        );
    };
    let parts: Vec<String> = f.parts_km2.iter().map(|a| format!("{a:.1}")).collect();
    let classes: Vec<String> = f
        .accuracy
        .classes
        .iter()
        .map(|c| {
            let label = c.up_to_m.map_or_else(
                || format!("> {:.0} km", c.above_m / 1e3),
                |u| format!("<= {:.0} km", u / 1e3),
            );
            format!("{label} {:.1} %", c.share * 100.0)
        })
        .collect();
    format!(
        "  {} ({period}): area {:.1} km² (parts {}), perimeter {:.1} km; accuracy median {:.0} m, \
         length-weighted mean {:.0} m, worst {:.0} m; {}",
        v.id,
        f.area_km2,
        parts.join(" + "),
        f.perimeter_km,
        f.accuracy.median_m,
        f.accuracy.mean_m,
        f.accuracy.max_m,
        classes.join(", ")
    )
}

fn validate(dir: &std::path::Path, strict: bool) -> ExitCode {
    match crate::validate::validate_dir(dir) {
        Ok(ds) => {
            let counts: Vec<String> = ds
                .layers
                .iter()
                .map(|l| format!("{} {}", l.features.len(), l.meta.id))
                .collect();
            say!(
                "{}: valid ({}); version {}",
                dir.display(),
                counts.join(", "),
                ds.version
            );
            for v in ds.zones.iter().chain(&ds.corridors) {
                say!("{}", version_figures(v));
            }
            quality_targets(dir, strict)
        }
        Err(DatasetError::Invalid(problems)) => {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!("{}: {} problem(s)", dir.display(), problems.len());
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints the zone's quality targets ([`crate::derive::targets`]). A missed
/// target is a warning (the data are consistent, the boundary is not yet as
/// good as promised) unless `strict`; the tests assert the targets.
fn quality_targets(dir: &std::path::Path, strict: bool) -> ExitCode {
    let checks = match crate::derive::targets::check_dir(dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("quality targets: {e}");
            return ExitCode::FAILURE;
        }
    };
    say!("quality targets (geodata/README.md, \"Accuracy by stretch\"):");
    for c in &checks {
        say!("{c}");
    }
    let missed = checks.iter().filter(|c| !c.met).count();
    if missed == 0 {
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "{}: warning: {missed} of {} quality target(s) missed (see geodata/README.md)",
        dir.display(),
        checks.len()
    );
    if strict {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

pub use crate::validate::stale_derived;

/// The reference point file and the village list file `coverage` reads.
const CHECK_POINTS: &str = "checks/geonames-cities500-region.geojson";
const CHECK_LISTS: &str = "checks/village-lists.json";

fn coverage(
    dir: &std::path::Path,
    near_km: f64,
    within_km: f64,
    match_km: f64,
) -> anyhow::Result<ExitCode> {
    use crate::coverage;
    /// A count per kind or status, as "3 town, 41 village".
    fn counts<K: std::fmt::Display>(m: &std::collections::BTreeMap<K, usize>) -> String {
        let parts: Vec<String> = m.iter().map(|(k, n)| format!("{n} {k}")).collect();
        parts.join(", ")
    }
    let ds = load(dir)?;
    let c = coverage::count(&ds, near_km * 1000.0);
    say!(
        "settlements: {} ({}); other places: {}",
        c.settlements,
        counts(&c.settlement_kinds),
        counts(&c.other_kinds)
    );
    for v in &c.versions {
        say!(
            "{} (statuses on {}): {}; within {near_km} km of its boundary: {} held in the zone, {} on the other side",
            v.id,
            v.day,
            counts(&v.by_status),
            v.near_inside,
            v.near_outside
        );
    }
    let points_file = dir.join(CHECK_POINTS);
    if points_file.exists() {
        let points = coverage::read_points(&points_file)?;
        let checked = coverage::check_points(&ds, &points, within_km * 1000.0);
        let missing: Vec<_> = checked
            .iter()
            .filter(|p| !p.matched(match_km * 1000.0))
            .collect();
        say!(
            "{}: {} of {} points within {within_km} km of a zone version have a settlement within {match_km} km",
            CHECK_POINTS,
            checked.len() - missing.len(),
            checked.len()
        );
        for p in missing {
            let (id, d) = p
                .nearest
                .as_ref()
                .map_or(("none", f64::NAN), |(id, d)| (id.as_str(), *d));
            say!(
                "  no entry: {} ({:.1} km from the zone; nearest settlement {id} at {:.1} km)",
                p.point.name,
                p.to_zone_m / 1000.0,
                d / 1000.0
            );
        }
    }
    let lists_file = dir.join(CHECK_LISTS);
    if lists_file.exists() {
        let lists = coverage::read_lists(&lists_file)?;
        for l in coverage::check_lists(&ds, &lists) {
            say!(
                "{}: {} of {} named",
                l.title,
                l.found.len(),
                l.found.len() + l.as_landmark.len() + l.missing.len()
            );
            if !l.as_landmark.is_empty() {
                let places: Vec<_> = l
                    .as_landmark
                    .iter()
                    .map(|(entry, id)| format!("{entry} ({id})"))
                    .collect();
                say!("  only as a landmark: {}", places.join("; "));
            }
            if !l.missing.is_empty() {
                say!("  no entry: {}", l.missing.join("; "));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn derive(dir: &std::path::Path, check: bool) -> anyhow::Result<ExitCode> {
    if check {
        let d = crate::derive::derive_dir(dir)?;
        let stale = stale_derived(dir, &d);
        if stale.is_empty() {
            say!("derived layers are up to date");
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("out of date: {}", stale.join(", "));
        return Ok(ExitCode::FAILURE);
    }
    let written = crate::derive::write_dir(dir)?;
    say!("wrote {}", written.join(", "));
    Ok(ExitCode::SUCCESS)
}
