//! Accepting connections with a limit for every phase: at most
//! `max_connections` open (the rest wait in the listen backlog), the request
//! head within `header_timeout` of the connection's start or of the previous
//! response (hyper's header-read timer, which is also the idle keep-alive
//! limit), each response write within `write_timeout` (a client that stops
//! reading is dropped and its streamed work stops), and on shutdown
//! in-flight requests finish within `shutdown_grace` before every remaining
//! connection is closed. Body and handler limits are middleware ([`super::app`]).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_io_timeout::TimeoutStream;

use crate::api::AppState;

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

/// Serves [`super::app`] on an already bound listener until `shutdown`
/// resolves, then drains within the configured grace period.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    crate::reload::spawn_on_sighup(state.clone());
    if state.config.watch_data {
        if let Err(e) = crate::reload::spawn_watch(state.clone()) {
            tracing::error!(error = %e, "cannot watch the data directory; SIGHUP still reloads");
        }
    }
    let config = state.config.clone();
    let app = super::app(state.clone());
    let slots = Arc::new(Semaphore::new(config.max_connections));
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(config.header_timeout)
        // Room for the configured header limit, so the guard (a JSON 431)
        // rather than hyper (an empty 431) answers oversize headers.
        .max_buf_size((config.max_header_bytes + config.max_uri_bytes).max(8192) * 2);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let mut stream = TimeoutStream::new(stream);
        stream.set_write_timeout(Some(config.write_timeout));
        let io = TokioIo::new(Box::pin(stream));
        let conn = http.serve_connection(io, TowerToHyperService::new(app.clone()));
        let conn = graceful.watch(conn);
        let open = state.metrics.connection();
        connections.spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(open);
            drop(slot);
        });
        // Reap finished connections so the set does not grow.
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    state.health.start_draining();
    tracing::info!(
        open = connections.len(),
        grace_s = config.shutdown_grace.as_secs_f64(),
        "shutting down: finishing in-flight requests"
    );
    // Idle keep-alive connections close now; busy ones after their response.
    if tokio::time::timeout(config.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            open = connections.len(),
            "grace period over: closing the remaining connections"
        );
    }
    connections.shutdown().await;
    Ok(())
}
