//! Server configuration: where the data and web files are, where to listen,
//! and the limits that protect the server. The values live here; the server
//! ([`crate::server`]) applies them.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

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
    /// Requests handled at once by the whole server before shedding load with 503.
    pub max_concurrency: usize,
    /// Connections open at once; further clients wait in the listen backlog.
    pub max_connections: usize,
    /// Per-request time limit (handler and body read), seconds.
    pub timeout_secs: u64,
    /// Time a client has to send a request's headers, counted from the
    /// connection's start or the end of the previous response (so it is also
    /// the idle keep-alive limit).
    pub header_timeout: Duration,
    /// Longest pause between two pieces of a request body.
    pub body_idle_timeout: Duration,
    /// Longest a response write may wait on a client that does not read.
    pub write_timeout: Duration,
    /// On SIGINT/SIGTERM, how long in-flight requests may take to finish
    /// before the remaining connections are closed.
    pub shutdown_grace: Duration,
    /// Longest request target (path and query), bytes; longer is a 414.
    pub max_uri_bytes: usize,
    /// Largest total size of the request headers, bytes; larger is a 431.
    pub max_header_bytes: usize,
    /// The public base URL (`https://example.org`) used for absolute links.
    /// `None` until the server knows its address: `serve` then uses
    /// `http://ADDR`. The client's `Host` header is never used.
    pub public_url: Option<String>,
    /// Optional public basemap style URL offered as an opt-in underlay.
    pub basemap_style: Option<String>,
    /// Reload when files under `data_dir` change (debounced), besides SIGHUP.
    pub watch_data: bool,
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
            max_connections: 4096,
            timeout_secs: 30,
            header_timeout: Duration::from_secs(10),
            body_idle_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(20),
            shutdown_grace: Duration::from_secs(20),
            max_uri_bytes: 8 * 1024,
            max_header_bytes: 32 * 1024,
            public_url: None,
            basemap_style: None,
            watch_data: false,
        }
    }
}

impl Config {
    /// The base URL for absolute links, without a trailing slash.
    pub fn base_url(&self) -> String {
        match &self.public_url {
            Some(u) => u.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.addr),
        }
    }

    /// The path the server is reached under, with a trailing slash: `/`, or
    /// the path of `public_url` when a proxy serves it below one
    /// (`https://example.org/contactline` gives `/contactline/`).
    pub fn base_path(&self) -> String {
        let path = self
            .public_url
            .as_deref()
            .and_then(|u| u.parse::<axum::http::Uri>().ok())
            .map(|u| u.path().trim_end_matches('/').to_owned())
            .unwrap_or_default();
        format!("{path}/")
    }
}
