//! The service's shared state: the current dataset snapshot and the start-up
//! configuration. Owned here so that both the HTTP layer (`api`, `server`)
//! and `reload` use it without depending on each other.

use std::sync::Arc;

use arc_swap::ArcSwap;

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
}

impl AppState {
    /// State around a loaded dataset.
    pub fn new(dataset: Dataset, config: Config) -> Self {
        AppState(Arc::new(Shared {
            data: ArcSwap::from_pointee(dataset),
            config,
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}
