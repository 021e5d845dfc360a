//! Recording every request in [`crate::metrics::Metrics`]: the route
//! pattern is known inside the router ([`tag_route`]) and the outcome outside
//! it ([`record`]), so requests refused before routing count too.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// Inside the router: copies the matched route pattern onto the response,
/// where [`record`] (outside the router) reads it.
pub async fn tag_route(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(req).await;
    response.extensions_mut().insert(Routed);
    if let Some(route) = route {
        response.extensions_mut().insert(route);
    }
    response
}

/// Marks a response that came through the router (a route or the web files).
#[derive(Debug, Clone, Copy)]
struct Routed;

/// Records route, method, status and time to the response head. Requests
/// refused before routing (load shedding, oversize targets) count under
/// `none`, the web app's files under `web`.
pub async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let start = Instant::now();
    let response = next.run(req).await;
    let route = match response.extensions().get::<MatchedPath>() {
        Some(m) => m.as_str(),
        None if response.extensions().get::<Routed>().is_some() => "web",
        None => "none",
    };
    state
        .metrics
        .request(route, &method, response.status(), start.elapsed());
    response
}
