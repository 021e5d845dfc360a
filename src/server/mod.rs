//! The service: [`app`] builds the one router used by `main`, the tests and
//! the benches, with its middleware stack; [`listen::serve`] accepts
//! connections with every per-phase limit and shuts down gracefully.
//!
//! This module owns how requests are admitted, limited, shaped and observed;
//! what a route answers belongs to [`crate::api`].
//!
//! - [`listen`]: the accept loop, connection cap, header/idle/write timeouts, shutdown.
//! - [`guard`]: refusals before any handler runs, and the JSON shape of every error.
//! - [`headers`]: security headers, CSP, CORS, `ETag`/`Cache-Control`/304.
//! - [`metrics`]: Prometheus counters and histograms, `/metrics`.

pub mod guard;
pub mod headers;
pub mod listen;
pub mod metrics;

use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::IntoResponse;
use axum::Router;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_http::trace::TraceLayer;

use crate::api::{self, ApiError, AppState};

pub use listen::{serve, shutdown_signal};

/// The whole service: API and operations routes, then the web app as the
/// fallback, inside one middleware stack.
///
/// The stack wraps the whole router, not each route (`Router::layer` would
/// give every route its own copy, and run inside axum's method routing, so
/// a 405 would get its `Allow` header only after our error shaping): one
/// concurrency limit for the whole server, and every answer, routed or not,
/// passes through the same layers.
#[allow(clippy::needless_pass_by_value)] // Taken by value like axum's `with_state`, as every caller hands it over.
pub fn app(state: AppState) -> Router {
    let config = &state.config;
    let routes = api::router()
        .with_state(state.clone())
        .fallback_service(guard::web_files(&config.web_dir))
        // Inside the router the matched route is known; hand it out for the metrics.
        .layer(middleware::from_fn(metrics::tag_route));
    let stack = ServiceBuilder::new()
        // A request meets these from the top down; its response goes back up.
        // One span per request, with status and latency.
        .layer(TraceLayer::new_for_http())
        // Requests by route and status, latency histograms.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::record,
        ))
        // Every error below becomes `{"error": {"code", "message"}}`,
        // keeping its status and headers (`Allow`, `Retry-After`).
        .layer(middleware::from_fn(guard::json_errors))
        // Headers every answer carries, including errors and 503s.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            headers::security,
        ))
        // Preflight answered here; `Access-Control-Allow-Origin: *` on the rest.
        .layer(headers::cors())
        // ETag (data set version + target), Cache-Control, 304.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            headers::cache,
        ))
        // A panic becomes a 500 JSON error instead of a dropped connection.
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::Internal(anyhow::anyhow!("handler panicked")).into_response()
        }))
        // Oversize targets, headers and declared bodies are refused before
        // the concurrency limit and before `100 Continue`.
        .layer(middleware::from_fn_with_state(state.clone(), guard::refuse))
        // Shed load instead of queueing without bound: 503 + Retry-After.
        .layer(HandleErrorLayer::new(|_: tower::BoxError| async move {
            ApiError::Overloaded
        }))
        .load_shed()
        .concurrency_limit(config.max_concurrency)
        // Handler and body read together; a 408, shaped as JSON above.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(config.timeout_secs),
        ))
        // A body that stops arriving fails the read (a 408 from the handler).
        .layer(RequestBodyTimeoutLayer::new(config.body_idle_timeout))
        // Bodies beyond the limit are refused with 413 before they are read whole.
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        // Below 1 KB gzip saves a few hundred bytes at the price of a
        // deflate stream per response (and a Vary header), so small
        // answers such as the compact verdict go as they are.
        .layer(
            CompressionLayer::new()
                .compress_when(SizeAbove::new(1024).and(DefaultPredicate::new())),
        )
        .service(routes);
    Router::new().fallback_service(stack)
}
