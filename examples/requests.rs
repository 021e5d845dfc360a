//! Sends N whole requests for one URI through the service in process (the
//! router, the middleware stack, the handler and the body) and prints the
//! bytes received: `cargo run --release --example requests -- URI N`.
//! `benches/instructions.sh` runs it under callgrind to count the
//! instructions a request costs, a measure that repeats to within about
//! 0.5 % on this noisy shared machine.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use contactline::config::Config;
use contactline::dataset::Dataset;
use contactline::state::AppState;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The binary's allocator (see `src/main.rs`), so the counts are the server's.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(uri), Some(Ok(n))) = (args.next(), args.next().map(|n| n.parse::<usize>())) else {
        eprintln!("usage: requests URI N");
        std::process::exit(2);
    };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let ds = Dataset::load(&dir).expect("geodata loads");
    let app = contactline::server::app(AppState::new(ds, Config::default()));
    // The middleware's timeout needs the time driver.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let bytes = rt.block_on(async {
        let mut bytes = 0;
        for _ in 0..n {
            let req = Request::get(uri.as_str())
                .body(Body::empty())
                .expect("request");
            let res = app.clone().oneshot(req).await.expect("infallible");
            assert_eq!(res.status(), StatusCode::OK, "{uri}");
            bytes += res
                .into_body()
                .collect()
                .await
                .expect("body")
                .to_bytes()
                .len();
        }
        bytes
    });
    println!("{bytes}");
}
