//! Reloading the data set without a restart: on SIGHUP, on a (debounced)
//! change under the data directory when watching is on, or on a call. The
//! new data set goes through the full validation ([`crate::validate`], the
//! same as `contactline validate`) off the async workers and is swapped in
//! whole; anything less keeps the old data serving, logs why, counts the
//! failure in the metrics and shows it at `/readyz`.

use std::sync::Arc;

use crate::dataset::DatasetError;
use crate::state::{AppState, Attempt};

/// Validates and loads the data directory again; on success swaps it in and
/// returns the new version, on failure keeps the old data and returns the
/// problems.
pub async fn reload(state: &AppState) -> Result<String, DatasetError> {
    let dir = state.config.data_dir.clone();
    let loaded = tokio::task::spawn_blocking(move || crate::validate::validate_dir(&dir))
        .await
        .map_err(|e| DatasetError::Io {
            path: "reload task".into(),
            source: std::io::Error::other(e.to_string()),
        })?;
    match loaded {
        Ok(ds) => {
            let version = ds.version.clone();
            state.data.store(Arc::new(ds));
            state.metrics.reload(Some(&version));
            state.health.record(Attempt {
                at_unix: crate::state::now_unix(),
                ok: true,
                version: version.clone(),
                problems: Vec::new(),
            });
            tracing::info!(%version, "data reloaded");
            Ok(version)
        }
        Err(e) => {
            let problems = match &e {
                DatasetError::Invalid(p) => p.iter().map(ToString::to_string).collect(),
                other => vec![other.to_string()],
            };
            state.metrics.reload(None);
            state.health.record(Attempt {
                at_unix: crate::state::now_unix(),
                ok: false,
                version: state.data.load().version.clone(),
                problems,
            });
            tracing::error!(error = %e, "reload refused; keeping the previous data");
            Err(e)
        }
    }
}

/// Reloads on every SIGHUP for the life of the process.
pub fn spawn_on_sighup(state: AppState) {
    #[cfg(unix)]
    tokio::spawn(async move {
        let Ok(mut hup) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        else {
            return;
        };
        while hup.recv().await.is_some() {
            let _ = reload(&state).await;
        }
    });
    #[cfg(not(unix))]
    let _ = state;
}
