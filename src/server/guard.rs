//! Refusals before any handler runs, and the JSON shape of every error.
//!
//! [`refuse`] turns away requests whose target, headers or declared body are
//! over the configured limits (so hyper never sends `100 Continue` for a body
//! that would be refused) and static paths no file can have. [`json_errors`]
//! rewrites any error answer produced below the handlers (axum's 405,
//! tower-http's 408 and 413, rejections in plain text, an empty 404) into the
//! one shape of [`ApiError`], keeping status and headers. Errors a handler
//! returns are already `ApiError`s and pass through.

use std::path::Path;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_status::SetStatus;

use crate::api::{ApiError, AppState};

/// Longest path segment served as a file; longer cannot name a file on
/// common file systems (`NAME_MAX`), and the OS error would otherwise be a 500.
const MAX_SEGMENT_BYTES: usize = 255;

/// The built web app as the router's fallback: files, directories' index,
/// and `index.html` with status 404 for unknown paths (the page reads its
/// own URL).
pub fn web_files(dir: &Path) -> ServeDir<SetStatus<ServeFile>> {
    ServeDir::new(dir)
        .append_index_html_on_directories(true)
        .not_found_service(ServeFile::new(dir.join("index.html")))
}

/// Refuses, before any other work, requests over the configured limits.
pub async fn refuse(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match check(&state, req.uri(), req.headers()) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

fn check(state: &AppState, uri: &axum::http::Uri, headers: &HeaderMap) -> Result<(), ApiError> {
    let config = &state.config;
    let target = uri.path_and_query().map_or(0, |p| p.as_str().len());
    if target > config.max_uri_bytes {
        return Err(ApiError::UriTooLong(format!(
            "the request target is {target} bytes; the limit is {}",
            config.max_uri_bytes
        )));
    }
    // Names, values and the ": " and CRLF around each, as on the wire.
    let header_bytes: usize = headers
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if header_bytes > config.max_header_bytes {
        return Err(ApiError::HeadersTooLarge(format!(
            "the request headers are {header_bytes} bytes; the limit is {}",
            config.max_header_bytes
        )));
    }
    if let Some(len) = headers.get(header::CONTENT_LENGTH) {
        let declared = len.to_str().ok().and_then(|s| s.parse::<u64>().ok());
        match declared {
            Some(n) if n > config.max_body_bytes as u64 => {
                return Err(ApiError::TooLarge(format!(
                    "the declared body is {n} bytes; the limit is {}",
                    config.max_body_bytes
                )))
            }
            Some(_) => {}
            None => return Err(ApiError::BadBody("Content-Length is not a number".into())),
        }
    }
    let path = uri.path();
    // `//x` would make a redirect to `//x/` (another host to a browser), and
    // no file has an empty or over-long name.
    if path.contains("//") || path.split('/').any(|s| s.len() > MAX_SEGMENT_BYTES) {
        let shown: String = path.chars().take(80).collect();
        return Err(ApiError::NotFound(format!("no such path: {shown}")));
    }
    Ok(())
}

/// Largest plain-text error body carried over as the JSON message.
const MAX_MESSAGE_BYTES: usize = 1024;

/// Rewrites error answers that are not yet JSON into the [`ApiError`] shape.
pub async fn json_errors(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    // Kept whole (a cheap clone) and cut to 80 characters only for an error.
    let uri = req.uri().clone();
    let response = next.run(req).await;
    let status = response.status();
    // JSON errors are the handlers' own; an HTML 404 is the web app's page.
    if !(status.is_client_error() || status.is_server_error())
        || is_json(response.headers())
        || is_html(response.headers())
    {
        return response;
    }
    let path: String = uri.path().chars().take(80).collect();
    let (parts, body) = response.into_parts();
    let text = if is_plain_text(&parts.headers) {
        axum::body::to_bytes(body, MAX_MESSAGE_BYTES)
            .await
            .ok()
            .and_then(|b| String::from_utf8(b.to_vec()).ok())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    } else {
        None
    };
    let reason = || status.canonical_reason().unwrap_or("error").to_owned();
    let error = match status {
        StatusCode::NOT_FOUND => ApiError::NotFound(format!("no such path: {path}")),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed {
            method: method.to_string(),
            allow: parts
                .headers
                .get(header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned(),
        },
        StatusCode::REQUEST_TIMEOUT => {
            ApiError::Timeout("the request took longer than the time limit".into())
        }
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(
            text.unwrap_or_else(|| "the request body is larger than the limit".into()),
        ),
        StatusCode::URI_TOO_LONG => ApiError::UriTooLong(text.unwrap_or_else(reason)),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
            ApiError::HeadersTooLarge(text.unwrap_or_else(reason))
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ApiError::UnsupportedMediaType(text.unwrap_or_else(reason))
        }
        StatusCode::SERVICE_UNAVAILABLE => ApiError::Overloaded,
        s if s.is_client_error() => ApiError::Rejected {
            status: s,
            message: text.unwrap_or_else(reason),
        },
        _ => ApiError::Internal(anyhow::anyhow!(
            "{status} from below the handlers on {method} {path}: {}",
            text.unwrap_or_default()
        )),
    };
    let mut shaped = error.into_response();
    // Keep what the original answer said besides its body (Allow,
    // Retry-After, Vary, caching), but not how that body was framed.
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && name != header::CONTENT_ENCODING
            && name != header::TRANSFER_ENCODING
        {
            shaped.headers_mut().insert(name.clone(), value.clone());
        }
    }
    *shaped.status_mut() = status;
    shaped
}

/// The parsed `Content-Type` of a message, if it has a valid one.
pub fn media_type(headers: &HeaderMap) -> Option<mime::Mime> {
    headers
        .get(header::CONTENT_TYPE)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

fn is_json(headers: &HeaderMap) -> bool {
    media_type(headers).is_some_and(|m| {
        m.type_() == mime::APPLICATION
            && (m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON))
    })
}

/// Whether a message is an HTML page.
pub(super) fn is_html(headers: &HeaderMap) -> bool {
    media_type(headers).is_some_and(|m| m.type_() == mime::TEXT && m.subtype() == mime::HTML)
}

fn is_plain_text(headers: &HeaderMap) -> bool {
    media_type(headers).is_some_and(|m| m.type_() == mime::TEXT && m.subtype() == mime::PLAIN)
}
