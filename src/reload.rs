//! Reloading the data set without a restart: on SIGHUP (or a call), a new
//! dataset is built off the async workers and swapped in whole; a failed
//! load is logged and the old data keeps serving.

use std::sync::Arc;

use crate::dataset::{Dataset, DatasetError};
use crate::state::AppState;

/// Loads the data directory again; on success swaps it in and returns the
/// new version, on failure keeps the old data and returns the problems.
pub async fn reload(state: &AppState) -> Result<String, DatasetError> {
    let dir = state.config.data_dir.clone();
    let loaded = tokio::task::spawn_blocking(move || Dataset::load(&dir))
        .await
        .map_err(|e| DatasetError::Io {
            path: "reload task".into(),
            source: std::io::Error::other(e.to_string()),
        })?;
    match loaded {
        Ok(ds) => {
            let version = ds.version.clone();
            state.data.store(Arc::new(ds));
            tracing::info!(%version, "data reloaded");
            Ok(version)
        }
        Err(e) => {
            tracing::error!(error = %e, "reload failed; keeping the previous data");
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
