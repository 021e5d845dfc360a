//! Request media types: a body's `Content-Type` is parsed (`mime`) and
//! matched exactly, never by prefix (`text/csvx` is not CSV), and a declared
//! charset must be UTF-8, the only one the server reads.

use axum::http::{header, HeaderMap};

use super::ApiError;

/// The accepted media type (`type/subtype`) the request declares, or `None`
/// when it declares none. Anything else, or a charset other than UTF-8, is a 415.
pub fn declared<'a>(
    headers: &HeaderMap,
    accepted: &[&'a str],
) -> Result<Option<&'a str>, ApiError> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Ok(None);
    };
    let list = accepted.join(" or ");
    let raw = value.to_str().unwrap_or("");
    let shown: String = raw.chars().take(80).collect();
    let parsed: mime::Mime = raw.parse().map_err(|_| {
        ApiError::UnsupportedMediaType(format!("'{shown}' is not a media type; send {list}"))
    })?;
    let essence = parsed.essence_str();
    let Some(&found) = accepted.iter().find(|a| a.eq_ignore_ascii_case(essence)) else {
        return Err(ApiError::UnsupportedMediaType(format!(
            "send {list}, not '{shown}'"
        )));
    };
    if let Some(charset) = parsed.get_param(mime::CHARSET) {
        if !charset.as_str().eq_ignore_ascii_case("utf-8") {
            return Err(ApiError::UnsupportedMediaType(format!(
                "charset '{charset}' is not supported; send UTF-8"
            )));
        }
    }
    Ok(Some(found))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(ct: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
        h
    }

    const BATCH: &[&str] = &["application/json", "text/csv"];

    #[test]
    fn media_types_match_exactly_with_any_case_and_a_utf8_charset() {
        assert_eq!(
            declared(&with("text/csv"), BATCH).ok(),
            Some(Some("text/csv"))
        );
        assert_eq!(
            declared(&with("Text/CSV; charset=UTF-8"), BATCH).ok(),
            Some(Some("text/csv"))
        );
        assert_eq!(declared(&HeaderMap::new(), BATCH).ok(), Some(None));
    }

    #[test]
    fn a_prefix_another_charset_or_garbage_is_a_415() {
        for ct in [
            "text/csvx",
            "text/csv; charset=latin1",
            "application/jsonp",
            "csv",
        ] {
            let e = declared(&with(ct), BATCH).expect_err(ct);
            assert_eq!(e.code(), "unsupported_media_type", "{ct}");
        }
    }
}
