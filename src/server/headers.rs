//! Headers every answer carries: security headers and the page's
//! Content-Security-Policy, CORS for the API, and HTTP caching (`ETag` from
//! the data set version and the request target, `Cache-Control`, `304`).
//!
//! Which answers are cacheable and for how long is decided here only.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::Digest;
use tower_http::cors::{Any, CorsLayer};

use crate::api::{ApiError, AppState};

/// `nosniff`, no referrer, and for HTML pages a strict CSP: scripts, styles,
/// workers and data from this origin only (plus the opt-in basemap's hosts
/// over https when one is configured), unless the handler set a stricter
/// one. Framing stays allowed: embed mode is a feature (`?embed=1`).
pub async fn security(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    let html = super::guard::is_html(h);
    // A handler that set its own policy (the OGC pages: one hashed inline
    // stylesheet, nothing else) knows its page better than this default.
    if html && !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        let csp = if state.config.basemap_style.is_some() {
            CSP_WITH_ONLINE_BASEMAP
        } else {
            CSP
        };
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        );
    }
    response
}

/// The page's policy. `MapLibre` sets element styles from script (allowed
/// without `'unsafe-inline'`), decodes images into `blob:`/`data:` URLs and
/// starts its worker from its own module URL.
const CSP: &str = "default-src 'none'; script-src 'self'; worker-src 'self' blob:; \
    style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; \
    manifest-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'";

/// The same with the opt-in online basemap's style, tiles, glyphs and sprites.
const CSP_WITH_ONLINE_BASEMAP: &str = "default-src 'none'; script-src 'self'; \
    worker-src 'self' blob:; style-src 'self'; img-src 'self' data: blob: https:; \
    font-src 'self'; connect-src 'self' https:; manifest-src 'self'; base-uri 'none'; \
    form-action 'self'; object-src 'none'";

/// CORS: any origin may call the API (it is public and takes no
/// credentials); preflights for `POST` with `Content-Type` are answered here.
pub fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE, header::ACCEPT, header::IF_NONE_MATCH])
        .expose_headers([header::ETAG, header::RETRY_AFTER, header::LOCATION])
        .max_age(Duration::from_secs(24 * 3600))
}

/// How long a client or proxy may reuse a data answer without asking again;
/// after that it revalidates with `If-None-Match` (a cheap 304).
const DATA_MAX_AGE: &str = "public, max-age=60, stale-if-error=600";
/// Built web files other than the page itself.
const ASSET_MAX_AGE: &str = "public, max-age=3600";
/// A versioned URL (`?v=` equal to the data set version) never changes.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// What kind of answer a `GET` path gives, for caching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Probes and metrics: never cached.
    Live,
    /// Depends only on the data set and the request target.
    Data,
    /// A built web file (`ServeDir`), validated by its modification time.
    File,
}

fn kind(path: &str) -> Kind {
    match path {
        "/healthz" | "/readyz" | "/metrics" => Kind::Live,
        p if crate::api::params::pinnable(p) => Kind::Data,
        _ => Kind::File,
    }
}

/// `ETag`, `Cache-Control` and `304 Not Modified` for `GET` and `HEAD`.
///
/// Data answers: the tag is the data set version and a hash of the target,
/// so it is known before the handler runs and a match costs no work.
/// Web files: the tag is made from the file's length and modification time
/// as `ServeDir` reports them.
pub async fn cache(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    match kind(req.uri().path()) {
        Kind::Live => {
            let mut r = next.run(req).await;
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Kind::Data => {
            let data = state.data.load_full();
            let version = &data.version;
            let target = req.uri().path_and_query().map_or("", |p| p.as_str());
            // The tag only tells one URL's answers apart across data versions
            // (caches key on the URL), so a checksum will do: on this hot path
            // SHA-256 cost an eighth of a compact verdict's instructions.
            let mut digest = crc32fast::Hasher::new();
            digest.update(target.as_bytes());
            // An OGC URL answers JSON or a page by its `Accept` header: the
            // two representations need two tags, and caches must key on it.
            let negotiated = req.uri().path().starts_with("/ogc");
            if negotiated {
                let accept = req.headers().get(header::ACCEPT);
                digest.update(b"\naccept: ");
                digest.update(accept.map_or(&b""[..], HeaderValue::as_bytes));
            }
            let tag = format!("W/\"{version}-{:08x}\"", digest.finalize());
            let policy = match query_v(req.uri().query()) {
                Some(v) if v == *version => IMMUTABLE,
                // A pinned URL must never answer with other data than it names.
                Some(asked) => {
                    return ApiError::VersionGone {
                        asked,
                        current: version.clone(),
                    }
                    .into_response()
                }
                None => DATA_MAX_AGE,
            };
            let vary = |r: &mut Response| {
                if negotiated {
                    r.headers_mut()
                        .append(header::VARY, HeaderValue::from_static("accept"));
                }
            };
            if matches(req.headers(), &tag) {
                let mut r = not_modified(&tag, policy);
                vary(&mut r);
                return r;
            }
            let mut r = next.run(req).await;
            if r.status() == StatusCode::OK {
                set(r.headers_mut(), &tag, policy);
            }
            vary(&mut r);
            r
        }
        Kind::File => {
            let path = req.uri().path();
            let page = path == "/"
                || std::path::Path::new(path)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("html"));
            let conditional = req.headers().get(header::IF_NONE_MATCH).cloned();
            let mut r = next.run(req).await;
            if r.status() != StatusCode::OK {
                return r;
            }
            let Some(tag) = file_tag(r.headers()) else {
                return r;
            };
            // The page is revalidated every time so a new build shows at once.
            let policy = if page { "no-cache" } else { ASSET_MAX_AGE };
            if conditional.is_some_and(|v| tag_in(&v, &tag)) {
                return not_modified(&tag, policy);
            }
            set(r.headers_mut(), &tag, policy);
            r
        }
    }
}

/// The `v` query parameter, if given exactly once.
fn query_v(query: Option<&str>) -> Option<String> {
    let query = query?;
    // Only a `v` or a percent-escape can spell the name `v`. Most data URLs
    // (`lat=…&lon=…&date=…`) have neither, and so skip decoding the whole
    // query here as well as in the handler.
    if !query.bytes().any(|b| matches!(b, b'v' | b'%')) {
        return None;
    }
    let mut values = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k == crate::api::params::VERSION)
        .map(|(_, v)| v.into_owned());
    let first = values.next()?;
    values.next().is_none().then_some(first)
}

fn file_tag(headers: &HeaderMap) -> Option<String> {
    let modified = headers.get(header::LAST_MODIFIED)?.to_str().ok()?;
    let len = headers.get(header::CONTENT_LENGTH)?.to_str().ok()?;
    let digest = sha2::Sha256::digest(format!("{modified}/{len}").as_bytes());
    Some(format!("W/\"f-{}\"", hex::encode(&digest[..8])))
}

fn matches(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| tag_in(v, tag))
}

/// Weak comparison (RFC 9110 §13.1.2): `*`, or any listed tag equal up to `W/`.
fn tag_in(value: &HeaderValue, tag: &str) -> bool {
    let Ok(list) = value.to_str() else {
        return false;
    };
    let bare = tag.trim_start_matches("W/");
    list.split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.trim_start_matches("W/") == bare)
}

fn set(headers: &mut HeaderMap, tag: &str, policy: &'static str) {
    if let Ok(v) = HeaderValue::from_str(tag) {
        headers.insert(header::ETAG, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
}

fn not_modified(tag: &str, policy: &'static str) -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::NOT_MODIFIED;
    set(r.headers_mut(), tag, policy);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_tag_matches_with_or_without_the_weak_prefix_and_star_matches_any() {
        let tag = "W/\"abc-0123\"";
        assert!(tag_in(&HeaderValue::from_static("W/\"abc-0123\""), tag));
        assert!(tag_in(
            &HeaderValue::from_static("\"x\", \"abc-0123\""),
            tag
        ));
        assert!(tag_in(&HeaderValue::from_static("*"), tag));
        assert!(!tag_in(&HeaderValue::from_static("W/\"abc-0124\""), tag));
    }

    #[test]
    fn the_v_parameter_is_read_only_when_given_once() {
        assert_eq!(
            query_v(Some("date=2022-01-01&v=abc")).as_deref(),
            Some("abc")
        );
        assert_eq!(query_v(Some("v=abc&v=abd")), None);
        assert_eq!(query_v(Some("lat=1&%76=abc")).as_deref(), Some("abc"));
        assert_eq!(query_v(Some("q=Khojavend&date=2022-01-01")), None);
        assert_eq!(query_v(Some("date=2022-01-01")), None);
        assert_eq!(query_v(None), None);
    }
}
