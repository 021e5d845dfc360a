//! The service's shared state: the current dataset snapshot, the start-up
//! configuration, the metrics, and the load and reload history `/readyz`
//! shows. Owned here so that both the HTTP layer (`api`, `server`)
//! and `reload` use it without depending on each other.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use arc_swap::ArcSwap;
use serde::Serialize;

use crate::config::Config;
use crate::dataset::Dataset;

/// Shared state: the current dataset snapshot and the configuration, behind
/// one `Arc` so that handing it to a handler costs a single reference count.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// What [`AppState`] shares.
pub struct Shared {
    /// The dataset; swapped whole on reload.
    pub data: ArcSwap<Dataset>,
    /// Start-up configuration.
    pub config: Config,
    /// Prometheus metrics of this server.
    pub metrics: crate::metrics::Metrics,
    /// Load time and reload history, for `/readyz`.
    pub health: Health,
}

impl AppState {
    /// State around a loaded dataset.
    pub fn new(dataset: Dataset, config: Config) -> Self {
        let metrics = crate::metrics::Metrics::new();
        metrics.serving(&dataset.version);
        AppState(Arc::new(Shared {
            data: ArcSwap::from_pointee(dataset),
            config,
            metrics,
            health: Health::new(),
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What `/readyz` reports besides the version: when the data was loaded and
/// how the last reload went.
#[derive(Debug, Default)]
pub struct Health {
    last: Mutex<Status>,
    draining: AtomicBool,
}

/// The reload history `/readyz` shows.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
// `Status` in the document is the verdict's.
#[schema(as = ReloadStatus)]
pub struct Status {
    /// When the served data set was loaded (seconds since the Unix epoch).
    pub loaded_at_unix: u64,
    /// The last reload attempt, if any.
    pub last_reload: Option<Attempt>,
}

/// One reload attempt.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ReloadAttempt)]
pub struct Attempt {
    /// When it finished (seconds since the Unix epoch).
    pub at_unix: u64,
    /// Whether the new data was swapped in.
    pub ok: bool,
    /// The version served after it.
    pub version: String,
    /// Why it was refused (every problem found), empty when it succeeded.
    pub problems: Vec<String>,
}

/// Seconds since the Unix epoch, now.
pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Health {
    /// Health of a data set loaded now.
    pub fn new() -> Self {
        Health {
            last: Mutex::new(Status {
                loaded_at_unix: now_unix(),
                last_reload: None,
            }),
            draining: AtomicBool::new(false),
        }
    }

    /// The reload history.
    pub fn status(&self) -> Status {
        self.last.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Whether the server is shutting down (not ready for new work).
    pub fn draining(&self) -> bool {
        self.draining.load(Ordering::Relaxed)
    }

    /// Marks the server as shutting down, so load balancers stop sending.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::Relaxed);
    }

    /// Records a reload attempt.
    pub fn record(&self, attempt: Attempt) {
        if let Ok(mut s) = self.last.lock() {
            if attempt.ok {
                s.loaded_at_unix = attempt.at_unix;
            }
            s.last_reload = Some(attempt);
        }
    }
}
