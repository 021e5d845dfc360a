//! Shared by the integration tests: the real service on a free loopback port,
//! in process, stopped gracefully when the handle drops; fixture paths.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use contactline::config::Config;
use contactline::dataset::Dataset;
use contactline::state::AppState;

/// The hand-made fixture data set with known answers.
pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geodata")
}

/// The curated data set.
pub fn real_geodata_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata")
}

/// A configuration for `data_dir` with no web app, so unknown paths answer
/// 404 instead of the single-page app's index.
pub fn config(data_dir: &Path) -> Config {
    Config {
        data_dir: data_dir.to_path_buf(),
        web_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/no-web-app"),
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        ..Config::default()
    }
}

/// A running server; dropping it shuts the server down.
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its state (for reloads).
    pub state: AppState,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestServer {
    /// Serves the data set of `config.data_dir` on 127.0.0.1, a free port,
    /// through the same accept loop and limits as `contactline serve`.
    pub async fn start(mut config: Config) -> TestServer {
        let dir = config.data_dir.clone();
        let dataset = tokio::task::spawn_blocking(move || Dataset::load(&dir))
            .await
            .expect("load task")
            .unwrap_or_else(|e| panic!("loading {}: {e}", config.data_dir.display()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a free port");
        let addr = listener.local_addr().expect("local address");
        config.addr = addr;
        let state = AppState::new(dataset, config);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(contactline::server::serve(listener, state.clone(), async {
            let _ = rx.await;
        }));
        TestServer {
            addr,
            state,
            shutdown: Some(tx),
        }
    }

    /// Serves the fixture data set with default limits.
    pub async fn fixture() -> TestServer {
        TestServer::start(config(&fixture_dir())).await
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `GET path`: the status, the content type and the body.
    pub async fn fetch(&self, path: &str) -> (u16, String, Vec<u8>) {
        let resp = client().get(self.url(path)).send().await.expect("GET");
        let status = resp.status().as_u16();
        let ctype = resp
            .headers()
            .get("content-type")
            .map(|v| v.to_str().expect("ASCII content type").to_owned())
            .unwrap_or_default();
        (status, ctype, resp.bytes().await.expect("body").to_vec())
    }

    /// `GET path`, whose answer (of any status) must be JSON.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let (_, _, body) = self.fetch(path).await;
        serde_json::from_slice(&body).expect("JSON")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A client that never goes through a proxy.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("HTTP client")
}

/// Whether `CONTACTLINE_SKIP_GDAL=1` asks to skip the GDAL checks.
pub fn gdal_skipped() -> bool {
    std::env::var("CONTACTLINE_SKIP_GDAL").is_ok_and(|v| v == "1")
}

/// Runs a GDAL tool off the async workers so the in-process server keeps serving.
pub async fn gdal(program: &'static str, args: Vec<String>) -> (bool, String, String) {
    tokio::task::spawn_blocking(move || {
        let out = std::process::Command::new(program)
            .args(&args)
            .env("no_proxy", "127.0.0.1,localhost")
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("GDAL_HTTP_TIMEOUT", "60")
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run {program} ({e}); install gdal-bin or set CONTACTLINE_SKIP_GDAL=1"
                )
            });
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
    .await
    .expect("GDAL task")
}

/// A CSV answer read whole: its header and its records (a malformed one
/// fails the test).
pub struct CsvTable {
    /// The column names, in order.
    pub header: Vec<String>,
    /// The records after the header.
    pub rows: Vec<csv::StringRecord>,
}

impl CsvTable {
    /// Reads `bytes` as CSV with a header.
    pub fn read(bytes: &[u8]) -> Self {
        Self::read_with(bytes, b',')
    }

    /// Reads `bytes` as CSV with a header and fields split at `delimiter`.
    pub fn read_with(bytes: &[u8], delimiter: u8) -> Self {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(bytes);
        let header = reader
            .headers()
            .expect("a CSV header")
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = reader.records().map(|r| r.expect("a CSV record")).collect();
        CsvTable { header, rows }
    }

    /// The position of the column `name`.
    pub fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column '{name}' in {:?}", self.header))
    }
}
