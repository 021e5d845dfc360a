//! The service: `app(state)` builds the one router used by `main` and the
//! tests, with the middleware stack; `serve` binds, runs and shuts down
//! gracefully on SIGINT/SIGTERM.

use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::api::{self, ApiError};
use crate::state::AppState;

/// The whole service: API routes, then the web app as the fallback.
pub fn app(state: AppState) -> Router {
    let config = state.config.clone();
    let web = ServeDir::new(&config.web_dir)
        .append_index_html_on_directories(true)
        .not_found_service(ServeFile::new(config.web_dir.join("index.html")));
    api::router()
        .with_state(state)
        .fallback_service(web)
        // Outermost first: a request meets these from the bottom up.
        .layer(
            ServiceBuilder::new()
                // One span per request, with status and latency.
                .layer(TraceLayer::new_for_http())
                // A panic becomes a 500 JSON error instead of a dropped connection.
                .layer(CatchPanicLayer::custom(|_| {
                    ApiError::Internal(anyhow::anyhow!("handler panicked")).into_response()
                }))
                // Shed load instead of queueing without bound: 503 + Retry-After.
                .layer(HandleErrorLayer::new(|e: tower::BoxError| async move {
                    if e.is::<tower::timeout::error::Elapsed>() {
                        (StatusCode::REQUEST_TIMEOUT, "request timed out").into_response()
                    } else {
                        ApiError::Overloaded.into_response()
                    }
                }))
                .load_shed()
                .concurrency_limit(config.max_concurrency)
                .timeout(Duration::from_secs(config.timeout_secs))
                // Bodies beyond the limit are refused with 413 before they are read whole.
                .layer(DefaultBodyLimit::max(config.max_body_bytes))
                // Below 1 KB gzip saves a few hundred bytes at the price of a
                // deflate stream per response (and a Vary header), so small
                // answers such as the compact verdict go as they are. The size
                // test comes first: it settles small answers without the
                // content-type checks.
                .layer(
                    CompressionLayer::new()
                        .compress_when(SizeAbove::new(1024).and(DefaultPredicate::new())),
                )
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::ACCESS_CONTROL_ALLOW_ORIGIN,
                    HeaderValue::from_static("*"),
                )),
        )
}

/// Resolves when SIGINT or SIGTERM arrives.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// Serves `app` on an already bound listener until shutdown.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    crate::reload::spawn_on_sighup(state.clone());
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}
