//! Server configuration: where the data and web files are, where to listen,
//! and the limits that protect the server.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything the server needs to know at start-up.
#[derive(Debug, Clone)]
pub struct Config {
    /// The data directory (with `catalog.json`).
    pub data_dir: PathBuf,
    /// The static web app directory (served at `/`).
    pub web_dir: PathBuf,
    /// Listen address.
    pub addr: SocketAddr,
    /// Largest accepted request body, bytes.
    pub max_body_bytes: usize,
    /// Most rows accepted in one batch request.
    pub max_batch_rows: usize,
    /// Requests handled at once before shedding load with 503.
    pub max_concurrency: usize,
    /// Per-request time limit, seconds.
    pub timeout_secs: u64,
    /// Optional public basemap style URL offered as an opt-in underlay.
    pub basemap_style: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("geodata"),
            web_dir: PathBuf::from("web/dist"),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_body_bytes: 16 * 1024 * 1024,
            max_batch_rows: 200_000,
            max_concurrency: 1024,
            timeout_secs: 30,
            basemap_style: None,
        }
    }
}
