//! Prometheus metrics: requests by route, method and status, latency
//! histograms by route, batch rows and active batches, reloads and their failures, the data set
//! version being served, and connections, with their text exposition.
//!
//! The registry is per server state, so tests that run several servers in
//! one process read their own numbers. Label values come from closed sets
//! (route patterns, a handful of methods, status codes) so a client cannot
//! grow the series without bound. Recording requests is
//! [`crate::server::metrics`]'s job; serving them, [`crate::api::ops`].

use std::time::Duration;

use axum::http::{Method, StatusCode};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: &'static str,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VersionLabels {
    version: String,
}

/// The methods counted by name; any other is `other`, so a client cannot
/// grow the series.
const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"];

type HistogramFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 100 µs to about 6.5 s, doubling.
    Histogram::new(exponential_buckets(0.0001, 2.0, 17))
}

/// The server's metrics and their registry.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: HistogramFamily,
    batch_rows: Counter,
    batches_active: Gauge,
    reloads: Family<OutcomeLabels, Counter>,
    dataset: Family<VersionLabels, Gauge>,
    connections_open: Gauge,
    connections_total: Counter,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Every metric, registered under the `contactline_` prefix.
    pub fn new() -> Self {
        let mut m = Metrics {
            registry: Registry::with_prefix("contactline"),
            requests: Family::default(),
            latency: Family::new_with_constructor(latency_histogram),
            batch_rows: Counter::default(),
            batches_active: Gauge::default(),
            reloads: Family::default(),
            dataset: Family::default(),
            connections_open: Gauge::default(),
            connections_total: Counter::default(),
        };
        let r = &mut m.registry;
        r.register(
            "http_requests",
            "HTTP requests answered, by route pattern, method and status",
            m.requests.clone(),
        );
        r.register(
            "http_request_duration_seconds",
            "Time to the response head, by route pattern",
            m.latency.clone(),
        );
        r.register(
            "batch_rows",
            "Rows answered by batch requests",
            m.batch_rows.clone(),
        );
        r.register(
            "batches_active",
            "Batch answers being written now (their producers still running)",
            m.batches_active.clone(),
        );
        r.register(
            "reloads",
            "Data reloads, by outcome (ok, failed)",
            m.reloads.clone(),
        );
        r.register(
            "dataset",
            "The data set version being served (value 1)",
            m.dataset.clone(),
        );
        r.register(
            "connections_open",
            "HTTP connections open now",
            m.connections_open.clone(),
        );
        r.register(
            "connections",
            "HTTP connections accepted",
            m.connections_total.clone(),
        );
        m
    }

    /// Counts one answered request.
    pub fn request(&self, route: &str, method: &Method, status: StatusCode, took: Duration) {
        let method = METHODS
            .into_iter()
            .find(|m| *m == method.as_str())
            .unwrap_or("other");
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                method,
                status: status.as_str().to_owned(),
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(took.as_secs_f64());
    }

    /// Counts rows answered by a batch.
    pub fn batch_rows(&self, rows: u64) {
        self.batch_rows.inc_by(rows);
    }

    /// A batch answer started being written; the guard counts it ended
    /// when dropped (finished, or stopped because its client went away).
    pub fn batch_started(&self) -> GaugeGuard {
        self.batches_active.inc();
        GaugeGuard(self.batches_active.clone())
    }

    /// Batch answers being written now.
    pub fn active_batches(&self) -> i64 {
        self.batches_active.get()
    }

    /// Counts a reload and, on success, records the version now served.
    pub fn reload(&self, new_version: Option<&str>) {
        let outcome = if new_version.is_some() {
            "ok"
        } else {
            "failed"
        };
        self.reloads.get_or_create(&OutcomeLabels { outcome }).inc();
        if let Some(v) = new_version {
            self.serving(v);
        }
    }

    /// Records the data set version now served.
    pub fn serving(&self, version: &str) {
        self.dataset.clear();
        self.dataset
            .get_or_create(&VersionLabels {
                version: version.to_owned(),
            })
            .set(1);
    }

    /// A connection was accepted; the guard counts it closed when dropped.
    pub fn connection(&self) -> GaugeGuard {
        self.connections_total.inc();
        self.connections_open.inc();
        GaugeGuard(self.connections_open.clone())
    }

    /// Connections open now.
    pub fn open_connections(&self) -> i64 {
        self.connections_open.get()
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// Decrements a gauge (open connections, active batches) when what it
/// counts ends.
pub struct GaugeGuard(Gauge);

impl Drop for GaugeGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}
