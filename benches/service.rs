//! Whole requests through the service in process: routing, the middleware
//! stack, the handler and the body, without the network. Measures what the
//! verdict adds to a request on top of the trivial `/healthz`, without the
//! noise of the load generator sharing the cores (`benches/load.sh` measures
//! that end to end). Every response is checked, so a route that fails fast
//! cannot pass for a fast one.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use contactline::config::Config;
use contactline::dataset::Dataset;
use contactline::state::AppState;
use criterion::{criterion_group, criterion_main, Criterion};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// One request through `app`; the body's length, after checking the status
/// and that the body's opening holds `expect` (a bounded search, so the
/// check costs the same for every route).
async fn request(app: &Router, uri: &str, expect: &str) -> usize {
    let req = Request::get(uri).body(Body::empty()).expect("request");
    let res = app.clone().oneshot(req).await.expect("infallible");
    assert_eq!(res.status(), StatusCode::OK, "{uri}");
    let body = res.into_body().collect().await.expect("body").to_bytes();
    let opening = &body[..body.len().min(160)];
    assert!(
        opening
            .windows(expect.len())
            .any(|w| w == expect.as_bytes()),
        "{uri}"
    );
    body.len()
}

fn benches(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let ds = Dataset::load(&dir).expect("geodata loads");
    let app = contactline::server::app(AppState::new(ds, Config::default()));
    // The middleware's timeout needs the time driver.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let query = "lat=39.8153&lon=46.7519&date=2022-03-25";
    let routes = [
        ("healthz", "/healthz".to_string(), "ok"),
        (
            "compact_verdict",
            format!("/api/v1/locate?{query}&compact=1"),
            "\"status\":\"inside_zone\"",
        ),
        (
            "full_report",
            format!("/api/v1/locate?{query}"),
            "\"status\":\"inside_zone\"",
        ),
    ];
    let mut g = c.benchmark_group("service");
    g.measurement_time(Duration::from_secs(4));
    for (name, uri, expect) in &routes {
        g.bench_function(*name, |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        std::hint::black_box(request(&app, uri, expect).await);
                    }
                    start.elapsed()
                })
            });
        });
    }
    g.finish();
}

criterion_group!(service_benches, benches);
criterion_main!(service_benches);
