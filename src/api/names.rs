//! Placeholder for the `names` routes.

use axum::Router;

use super::AppState;

/// Routes of this group.
pub fn router() -> Router<AppState> {
    Router::new()
}
