//! The server's limits and error shapes over real loopback connections:
//! header and idle timeouts, declared oversize bodies, clients that stop
//! reading, the one concurrency limit shared by every route, time limits,
//! CORS preflight, caching, metrics, readiness, links that ignore `Host`,
//! and the JSON shape of every error. Waits are bounded by [`BOUND`], a
//! safety net: each test asserts what happened, not how fast.

use std::fmt::Write as _;
use std::time::Duration;

use contactline::config::Config;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{client, config, fixture_dir, TestServer};

/// Longest any test waits for the server to act.
const BOUND: Duration = Duration::from_secs(30);

/// Fixture data with one-second header, body and write limits.
fn quick() -> Config {
    Config {
        header_timeout: Duration::from_secs(1),
        body_idle_timeout: Duration::from_secs(1),
        write_timeout: Duration::from_secs(1),
        ..config(&fixture_dir())
    }
}

/// Reads until the server closes the connection; `None` if it is still
/// open when [`BOUND`] passes.
async fn read_to_close(s: &mut TcpStream) -> Option<Vec<u8>> {
    let mut all = Vec::new();
    let closed = tokio::time::timeout(BOUND, async {
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            match s.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => all.extend_from_slice(&chunk[..n]),
            }
        }
    })
    .await;
    closed.is_ok().then_some(all)
}

/// One response read off a raw connection: status, headers, body.
struct RawResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Informational (1xx) responses seen before it.
    informational: Vec<u16>,
}

impl RawResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// Reads one final response (after any 1xx) with a `Content-Length` body.
async fn read_response(s: &mut TcpStream) -> RawResponse {
    let mut buf = Vec::new();
    let mut informational = Vec::new();
    let mut chunk = [0u8; 8192];
    tokio::time::timeout(BOUND, async {
        loop {
            let mut heads = [httparse::EMPTY_HEADER; 64];
            let mut parsed = httparse::Response::new(&mut heads);
            if let httparse::Status::Complete(head_len) =
                parsed.parse(&buf).expect("a valid response head")
            {
                let status = parsed.code.expect("a status");
                let headers: Vec<(String, String)> = parsed
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_owned(),
                            String::from_utf8_lossy(h.value).into_owned(),
                        )
                    })
                    .collect();
                if (100..200).contains(&status) {
                    informational.push(status);
                    buf.drain(..head_len);
                    continue;
                }
                let len: usize = headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(0);
                if buf.len() >= head_len + len {
                    return RawResponse {
                        status,
                        headers,
                        body: buf[head_len..head_len + len].to_vec(),
                        informational: std::mem::take(&mut informational),
                    };
                }
            }
            let n = s.read(&mut chunk).await.expect("read");
            assert!(
                n > 0,
                "closed before a full response: {:?}",
                String::from_utf8_lossy(&buf)
            );
            buf.extend_from_slice(&chunk[..n]);
        }
    })
    .await
    .expect("a response within the bound")
}

async fn connect(s: &TestServer) -> TcpStream {
    TcpStream::connect(s.addr).await.expect("connect")
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let s = TestServer::start(quick()).await;
    let mut c = connect(&s).await;
    let got = read_to_close(&mut c).await.expect("closed by the server");
    assert_eq!(String::from_utf8_lossy(&got), "");
}

#[tokio::test]
async fn a_client_trickling_its_headers_is_closed_after_the_header_timeout() {
    let s = TestServer::start(quick()).await;
    let mut c = connect(&s).await;
    c.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let (mut r, mut w) = c.into_split();
    // One header line every 200 ms, for longer than the bound if never stopped.
    let trickle = tokio::spawn(async move {
        for i in 0..150 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if w.write_all(format!("X-Slow-{i}: y\r\n").as_bytes())
                .await
                .is_err()
            {
                return i;
            }
        }
        150
    });
    let mut got = Vec::new();
    let closed = tokio::time::timeout(BOUND, r.read_to_end(&mut got)).await;
    trickle.abort();
    assert!(closed.is_ok(), "the connection stayed open");
    assert_eq!(
        String::from_utf8_lossy(&got),
        "",
        "no response to unfinished headers"
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let s = TestServer::start(quick()).await;
    let mut c = connect(&s).await;
    c.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let r = read_response(&mut c).await;
    assert_eq!((r.status, r.body.as_slice()), (200, b"ok".as_slice()));
    let rest = read_to_close(&mut c).await.expect("idle connection closed");
    assert!(rest.is_empty());
}

#[tokio::test]
async fn a_declared_oversize_body_is_refused_at_once_with_a_json_413_and_no_100_continue() {
    let s = TestServer::start(Config {
        max_body_bytes: 1000,
        ..quick()
    })
    .await;
    let mut c = connect(&s).await;
    c.write_all(
        b"POST /api/v1/locate HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n\
          Content-Length: 1000000000\r\nExpect: 100-continue\r\n\r\n",
    )
    .await
    .expect("write");
    let r = read_response(&mut c).await;
    assert_eq!(r.status, 413);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.informational, Vec::<u16>::new(), "no 100 Continue");
    assert_eq!(r.json()["error"]["code"], "too_large");
    assert_eq!(
        r.json()["error"]["message"],
        "the declared body is 1000000000 bytes; the limit is 1000"
    );
}

fn csv_batch(rows: usize) -> String {
    let mut body = String::from("lat,lon,date\n");
    for i in 0..rows {
        let _ = writeln!(body, "39.{:04},46.75,2022-03-25", i % 10_000);
    }
    body
}

#[tokio::test]
async fn a_client_that_stops_reading_a_streamed_batch_is_dropped_and_its_connection_and_producer_freed(
) {
    let s = TestServer::start(quick()).await;
    let rows = 180_000;
    let body = csv_batch(rows);
    let mut c = connect(&s).await;
    let head = format!(
        "POST /api/v1/locate HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    c.write_all(head.as_bytes()).await.expect("write head");
    c.write_all(body.as_bytes()).await.expect("write body");
    // Read nothing: the answer (tens of MB) fills both socket buffers.
    let freed = tokio::time::timeout(BOUND, async {
        while s.state.metrics.open_connections() > 0 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    assert!(freed.is_ok(), "the stalled connection was kept open");
    // Its producer stops too: the verdicts are not computed for nobody.
    let stopped = tokio::time::timeout(BOUND, async {
        while s.state.metrics.active_batches() > 0 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    assert!(stopped.is_ok(), "the batch producer kept running");
    let got = read_to_close(&mut c).await.expect("closed");
    let lines = String::from_utf8_lossy(&got).lines().count();
    assert!(
        lines > 0 && lines < rows,
        "the answer was cut short, got {lines} lines"
    );
}

#[tokio::test]
async fn one_slow_upload_holding_the_only_slot_makes_every_route_answer_503_with_retry_after() {
    let s = TestServer::start(Config {
        max_concurrency: 1,
        body_idle_timeout: Duration::from_secs(60),
        ..config(&fixture_dir())
    })
    .await;
    let mut slow = connect(&s).await;
    slow.write_all(
        b"POST /api/v1/locate HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 100\r\n\r\nlat,lon\n",
    )
    .await
    .expect("write");
    let http = client();
    let shed = tokio::time::timeout(BOUND, async {
        loop {
            let r = http.get(s.url("/healthz")).send().await.expect("GET");
            if r.status() == 503 {
                return r;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("a 503 while the slot is held");
    assert_eq!(shed.headers()["retry-after"], "1");
    assert_eq!(shed.headers()["x-content-type-options"], "nosniff");
    let v: Value = shed.json().await.expect("JSON");
    assert_eq!(v["error"]["code"], "overloaded");
    drop(slow);
    let back = tokio::time::timeout(BOUND, async {
        loop {
            let r = http.get(s.url("/healthz")).send().await.expect("GET");
            if r.status() == 200 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(back.is_ok(), "the slot came back");
}

#[tokio::test]
async fn a_request_slower_than_the_time_limit_is_a_json_408() {
    let s = TestServer::start(Config {
        timeout_secs: 1,
        body_idle_timeout: Duration::from_secs(60),
        ..config(&fixture_dir())
    })
    .await;
    let mut c = connect(&s).await;
    c.write_all(
        b"POST /api/v1/locate HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 100\r\n\r\nlat,lon\n",
    )
    .await
    .expect("write");
    let r = read_response(&mut c).await;
    assert_eq!(r.status, 408);
    assert_eq!(r.json()["error"]["code"], "timeout");
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_a_json_408() {
    let s = TestServer::start(quick()).await;
    let mut c = connect(&s).await;
    c.write_all(
        b"POST /api/v1/locate HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 100\r\n\r\nlat,lon\n",
    )
    .await
    .expect("write");
    let r = read_response(&mut c).await;
    assert_eq!(r.status, 408);
    assert_eq!(
        r.json()["error"],
        serde_json::json!({"code": "timeout", "message": "the request body did not arrive within the time limit"})
    );
}

/// Status, `Content-Type` and error code of a response.
async fn shape(r: reqwest::Response) -> (u16, String, String, reqwest::header::HeaderMap) {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let ctype = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    let code = v["error"]["code"]
        .as_str()
        .unwrap_or("(not an error JSON)")
        .to_owned();
    (status, ctype, code, headers)
}

#[tokio::test]
async fn every_kind_of_error_is_the_json_error_shape() {
    let s = TestServer::start(Config {
        max_body_bytes: 1000,
        ..config(&fixture_dir())
    })
    .await;
    let http = client();
    let long_segment = format!("/{}", "a".repeat(300));
    let long_query = format!("/api/v1/locate?q={}", "a".repeat(9000));
    let cases: Vec<(&str, reqwest::RequestBuilder, u16, &str)> = vec![
        (
            "unknown API path",
            http.get(s.url("/api/v1/nope")),
            404,
            "not_found",
        ),
        ("unknown path", http.get(s.url("/nope")), 404, "not_found"),
        (
            "over-long path segment",
            http.get(s.url(&long_segment)),
            404,
            "not_found",
        ),
        (
            "double slash",
            http.get(s.url("//vendor")),
            404,
            "not_found",
        ),
        (
            "wrong method",
            http.delete(s.url("/api/v1/locate")),
            405,
            "method_not_allowed",
        ),
        (
            "bad parameter",
            http.get(s.url("/api/v1/locate?lat=x&lon=1")),
            400,
            "invalid_parameter",
        ),
        (
            "over-long target",
            http.get(s.url(&long_query)),
            414,
            "uri_too_long",
        ),
        (
            "over-large headers",
            http.get(s.url("/healthz"))
                .header("x-big", "b".repeat(40_000)),
            431,
            "headers_too_large",
        ),
        (
            "a media type that only starts like CSV",
            http.post(s.url("/api/v1/locate"))
                .header("content-type", "text/csvx")
                .body("lat,lon\n1,2\n"),
            415,
            "unsupported_media_type",
        ),
        (
            "bad row",
            http.post(s.url("/api/v1/locate"))
                .header("content-type", "text/csv")
                .body("lat,lon\n91,2\n"),
            422,
            "bad_row",
        ),
        (
            "oversize body",
            http.post(s.url("/api/v1/locate"))
                .header("content-type", "text/csv")
                .body("x".repeat(2000)),
            413,
            "too_large",
        ),
    ];
    for (what, req, status, code) in cases {
        let (got_status, ctype, got_code, headers) = shape(req.send().await.expect("send")).await;
        assert_eq!((got_status, got_code.as_str()), (status, code), "{what}");
        assert!(ctype.starts_with("application/json"), "{what}: {ctype}");
        assert!(headers.get("location").is_none(), "{what}: no redirect");
        if status == 405 {
            assert_eq!(headers["allow"], "GET,HEAD,POST", "{what}");
        }
    }
}

#[tokio::test]
async fn a_cors_preflight_is_answered_with_the_allowed_methods_and_headers() {
    let s = TestServer::fixture().await;
    let r = client()
        .request(reqwest::Method::OPTIONS, s.url("/api/v1/locate"))
        .header("origin", "https://news.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .expect("OPTIONS");
    assert_eq!(r.status(), 200);
    let h = r.headers();
    assert_eq!(h["access-control-allow-origin"], "*");
    assert_eq!(h["access-control-allow-methods"], "GET,HEAD,POST,OPTIONS");
    assert_eq!(
        h["access-control-allow-headers"],
        "content-type,accept,if-none-match"
    );
}

#[tokio::test]
async fn a_data_answer_carries_an_etag_and_revalidates_to_a_304() {
    let s = TestServer::fixture().await;
    let http = client();
    let url = s.url("/api/v1/locate?lat=39.8153&lon=46.7519&date=2022-03-25");
    let first = http.get(&url).send().await.expect("GET");
    assert_eq!(first.status(), 200);
    let tag = first.headers()["etag"].to_str().expect("ascii").to_owned();
    let version = s.state.data.load().version.clone();
    assert!(tag.starts_with(&format!("W/\"{version}-")), "{tag}");
    assert_eq!(
        first.headers()["cache-control"],
        "public, max-age=60, stale-if-error=600"
    );
    let again = http
        .get(&url)
        .header("if-none-match", &tag)
        .send()
        .await
        .expect("GET");
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().expect("ascii"), tag);
    let other = http
        .get(s.url("/api/v1/locate?lat=39.8153&lon=46.7519&date=2022-03-26"))
        .header("if-none-match", &tag)
        .send()
        .await
        .expect("GET");
    assert_eq!(other.status(), 200, "another target has another tag");
    let health = http.get(s.url("/healthz")).send().await.expect("GET");
    assert_eq!(health.headers()["cache-control"], "no-store");
    assert!(health.headers().get("etag").is_none());
}

#[tokio::test]
async fn catalog_layer_links_are_pinned_to_the_data_version_and_an_old_version_is_gone() {
    let s = TestServer::fixture().await;
    let http = client();
    let version = s.state.data.load().version.clone();
    let catalog = s.get_json("/api/v1/dataset").await;
    let layers = catalog["layers"].as_array().expect("layers");
    assert!(!layers.is_empty());
    for layer in layers {
        let href = layer["href"].as_str().expect("href");
        assert_eq!(
            href,
            format!(
                "/api/v1/layers/{}?v={version}",
                layer["id"].as_str().expect("id")
            )
        );
        let pinned = http.get(s.url(href)).send().await.expect("GET");
        assert_eq!(pinned.status(), 200, "{href}");
        assert_eq!(
            pinned.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
    }
    // Any data endpoint takes v, its name percent-escaped (`%76`) or not; a
    // version not served is a JSON 410 naming the current one.
    for pin in ["v", "%76"] {
        let old = http
            .get(s.url(&format!(
                "/api/v1/locate?lat=39.8153&lon=46.7519&date=2022-03-25&{pin}=0000"
            )))
            .send()
            .await
            .expect("GET");
        assert_eq!(old.status(), 410, "{pin}");
        let body: serde_json::Value = old.json().await.expect("JSON");
        assert_eq!(body["error"]["code"], "version_gone");
        assert_eq!(body["error"]["current_version"], version.as_str());
    }
    let twice = http
        .get(s.url(&format!("/api/v1/layers/zone?v={version}&v={version}")))
        .send()
        .await
        .expect("GET");
    assert_eq!(twice.status(), 400);
    let body: serde_json::Value = twice.json().await.expect("JSON");
    assert_eq!(body["error"]["parameter"], "v");
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status_batch_rows_and_show_the_data_version() {
    let s = TestServer::fixture().await;
    let http = client();
    for _ in 0..2 {
        let r = http
            .get(s.url("/api/v1/locate?lat=39.8153&lon=46.7519&date=2022-03-25"))
            .send()
            .await
            .expect("GET");
        assert_eq!(r.status(), 200);
    }
    let r = http
        .get(s.url("/api/v1/locate?lat=x"))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), 400);
    let batch = http
        .post(s.url("/api/v1/locate"))
        .header("content-type", "text/csv")
        .body(csv_batch(3))
        .send()
        .await
        .expect("POST");
    assert_eq!(batch.status(), 200);
    // The whole answer read: its producer has ended and counted its rows.
    assert_eq!(batch.text().await.expect("body").lines().count(), 4);
    let text = http
        .get(s.url("/metrics"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("text");
    let version = s.state.data.load().version.clone();
    for line in [
        "contactline_http_requests_total{route=\"/api/v1/locate\",method=\"GET\",status=\"200\"} 2",
        "contactline_http_requests_total{route=\"/api/v1/locate\",method=\"GET\",status=\"400\"} 1",
        &format!("contactline_dataset{{version=\"{version}\"}} 1"),
        "contactline_connections_open 1",
        "contactline_batch_rows_total 3",
        "contactline_batches_active 0",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing `{line}` in:\n{text}"
        );
    }
    assert!(text.contains("contactline_http_request_duration_seconds_bucket{le="));
}

#[tokio::test]
async fn readyz_names_the_data_version_and_when_it_was_loaded() {
    let s = TestServer::fixture().await;
    let r = client().get(s.url("/readyz")).send().await.expect("GET");
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.expect("JSON");
    assert_eq!(v["status"], "ready");
    assert_eq!(v["dataset_version"], s.state.data.load().version.as_str());
    assert!(v["loaded_at_unix"]
        .as_u64()
        .is_some_and(|t| t > 1_700_000_000));
    assert_eq!(v["last_reload"], Value::Null);
}

#[tokio::test]
async fn ogc_links_use_the_configured_public_url_whatever_the_host_header_says() {
    let s = TestServer::start(Config {
        public_url: Some("https://maps.example.org/".into()),
        ..config(&fixture_dir())
    })
    .await;
    let v: Value = client()
        .get(s.url("/ogc"))
        .header("host", "evil.example")
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    let hrefs: Vec<&str> = v["links"]
        .as_array()
        .expect("links")
        .iter()
        .filter_map(|l| l["href"].as_str())
        .collect();
    assert!(!hrefs.is_empty());
    for h in hrefs {
        assert!(h.starts_with("https://maps.example.org/"), "{h}");
    }
}

/// Every `href` of a page's links (`<a href>`), in order.
fn hrefs(page: &str) -> Vec<&str> {
    page.split("<a href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[tokio::test]
async fn ogc_pages_link_below_the_public_urls_path_so_they_work_behind_a_proxy_prefix() {
    let s = TestServer::start(Config {
        public_url: Some("https://maps.example.org/contactline/".into()),
        ..config(&fixture_dir())
    })
    .await;
    for path in [
        "/ogc?f=html",
        "/ogc/conformance?f=html",
        "/ogc/collections?f=html",
        "/ogc/collections/settlements?f=html",
        "/ogc/collections/settlements/items?f=html&limit=2",
        "/ogc/collections/settlements/items/centre?f=html",
    ] {
        let resp = client().get(s.url(path)).send().await.expect("GET");
        assert_eq!(resp.status(), 200, "{path}");
        let page = resp.text().await.expect("body");
        // The page's links resolve against the proxy's path, not the host's root.
        assert!(
            page.contains("<base href=\"/contactline/\">"),
            "{path}: {page}"
        );
        let links = hrefs(&page);
        assert!(
            links.iter().any(|h| h.starts_with("ogc")),
            "{path}: {links:?}"
        );
        for h in links {
            assert!(
                h.starts_with("https://") || h.starts_with("http://") || !h.starts_with('/'),
                "{path}: root-relative link {h} would leave the prefix"
            );
        }
    }
}
