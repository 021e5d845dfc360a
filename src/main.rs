//! The `contactline` binary: parse the command line, set up logging, run.

use std::process::ExitCode;

use clap::Parser;
use contactline::cli::{Cli, LogFormat};

/// jemalloc instead of glibc's malloc: a request makes about ninety small
/// allocations on its way through the middleware stack, and with glibc they
/// were a sixth of a compact verdict's instructions (`benches/instructions.sh`:
/// 70.2k → 60.3k per request, `/healthz` 49.2k → 39.9k). mimalloc was as
/// fast but held on to memory: `make soak` peaked at 303 MB (glibc 119 MB,
/// jemalloc 110 MB; ceiling 160 MB).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "contactline=info,tower_http=warn".into());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
    match contactline::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
