//! Reloading the data set without a restart: on SIGHUP, on a (debounced)
//! change under the data directory when `--watch` is on, or on a call. The
//! new data set goes through the full validation ([`crate::validate`], the
//! same as `contactline validate`) off the async workers and is swapped in
//! whole; anything less keeps the old data serving, logs why, counts the
//! failure in the metrics and shows it at `/readyz`.

use std::sync::Arc;
use std::time::Duration;

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
    let record = |ok, version: String, problems| {
        state.health.record(Attempt {
            at_unix: crate::state::now_unix(),
            ok,
            version,
            problems,
        });
    };
    match loaded {
        Ok(ds) => {
            let version = ds.version.clone();
            state.data.store(Arc::new(ds));
            state.metrics.reload(Some(&version));
            record(true, version.clone(), Vec::new());
            tracing::info!(%version, "data reloaded");
            Ok(version)
        }
        Err(e) => {
            let problems = match &e {
                DatasetError::Invalid(p) => p.iter().map(ToString::to_string).collect(),
                other @ DatasetError::Io { .. } => vec![other.to_string()],
            };
            state.metrics.reload(None);
            record(false, state.data.load().version.clone(), problems);
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

/// Quiet time after the last change before a watched reload starts, so an
/// editor's or `git checkout`'s burst of writes makes one reload.
pub const WATCH_DEBOUNCE: Duration = Duration::from_millis(500);

/// Reloads after changes under the data directory (debounced by
/// [`WATCH_DEBOUNCE`]) for the life of the process. Fails only if the
/// directory cannot be watched.
pub fn spawn_watch(state: AppState) -> notify::Result<()> {
    use notify::Watcher as _;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<()>(1);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let relevant = event.is_ok_and(|e| {
            matches!(
                e.kind,
                notify::EventKind::Create(_)
                    | notify::EventKind::Modify(_)
                    | notify::EventKind::Remove(_)
            )
        });
        if relevant {
            // A full channel already holds a pending reload: nothing to add.
            let _ = tx.try_send(());
        }
    })?;
    watcher.watch(&state.config.data_dir, notify::RecursiveMode::Recursive)?;
    tokio::spawn(async move {
        // The watcher lives as long as this task.
        let _watcher = watcher;
        while rx.recv().await.is_some() {
            // Wait until the directory has been quiet for the debounce time.
            while tokio::time::timeout(WATCH_DEBOUNCE, rx.recv())
                .await
                .is_ok_and(|m| m.is_some())
            {}
            let _ = reload(&state).await;
        }
    });
    Ok(())
}
