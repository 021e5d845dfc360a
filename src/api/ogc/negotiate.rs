//! Which representation a request asks for: `f=json`, `f=geojson` or
//! `f=html` first (and for items, a file format: `f=kml`, `f=csv`,
//! `f=fgb`), else the `Accept` header (read by `headers-accept`), else
//! JSON. HTML is served only when asked for: `*/*` and a missing or
//! unreadable `Accept` get JSON, so no client meets a page it did not want.

use std::str::FromStr;

use axum::http::{header, HeaderMap};
use headers_accept::Accept;
use mediatype::{names, MediaType, Name};

use super::query::short;
use crate::api::ApiError;

/// A representation of an OGC resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON (`GeoJSON` for features).
    Json,
    /// A page for people.
    Html,
    /// Features as a file for GIS, Google Earth or a spreadsheet (items only).
    File(crate::export::Format),
}

/// Whether a resource can be had as a file: items can, the rest cannot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Files {
    /// `f=kml`, `f=csv` and `f=fgb` are accepted.
    Accepted,
    /// Only JSON and HTML.
    Refused,
}

const JSON: MediaType<'static> = MediaType::new(names::APPLICATION, names::JSON);
const GEOJSON: MediaType<'static> = MediaType::from_parts(
    names::APPLICATION,
    Name::new_unchecked("geo"),
    Some(names::JSON),
    &[],
);
const HTML: MediaType<'static> = MediaType::new(names::TEXT, names::HTML);

/// The format of a request from its `f` parameter and `Accept` header.
pub fn format(f: Option<&str>, headers: &HeaderMap, files: Files) -> Result<Format, ApiError> {
    match f {
        Some("json" | "geojson") => return Ok(Format::Json),
        Some("html") => return Ok(Format::Html),
        Some(other) => {
            // The file formats are the exports' own names (`kml`, `csv`, `fgb`).
            return match (files, other.parse::<crate::export::Format>()) {
                (Files::Accepted, Ok(file)) => Ok(Format::File(file)),
                (Files::Accepted, Err(_)) => Err(ApiError::param(
                    "f",
                    format!(
                        "f must be json, geojson, html, kml, csv or fgb, not '{}'",
                        short(other)
                    ),
                )),
                (Files::Refused, _) => Err(ApiError::param(
                    "f",
                    format!("f must be json, geojson or html, not '{}'", short(other)),
                )),
            };
        }
        None => {}
    }
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Accept::from_str(v).ok());
    // JSON first: it wins ties such as `*/*`.
    let available = [JSON, GEOJSON, HTML];
    Ok(
        match accept.and_then(|a| a.negotiate(&available).cloned()) {
            Some(m) if m == HTML => Format::Html,
            _ => Format::Json,
        },
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn with_accept(v: Option<&str>, f: Option<&str>) -> Result<Format, ApiError> {
        let mut h = HeaderMap::new();
        if let Some(v) = v {
            h.insert(header::ACCEPT, v.parse().unwrap());
        }
        format(f, &h, Files::Refused)
    }

    #[test]
    fn html_is_served_only_when_asked_for() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(with_accept(Some(browser), None).unwrap(), Format::Html);
        assert_eq!(with_accept(Some("text/html"), None).unwrap(), Format::Html);
        for json in [
            None,
            Some("*/*"),
            Some("application/json"),
            Some("application/geo+json, application/json;q=0.9"),
            Some("application/json, text/html;q=0.5"),
            Some("image/png"),
            Some("this is not a media type"),
        ] {
            assert_eq!(with_accept(json, None).unwrap(), Format::Json, "{json:?}");
        }
    }

    #[test]
    fn the_f_parameter_wins_over_accept_and_rejects_other_formats() {
        assert_eq!(
            with_accept(Some("text/html"), Some("json")).unwrap(),
            Format::Json
        );
        assert_eq!(
            with_accept(Some("application/json"), Some("html")).unwrap(),
            Format::Html
        );
        assert_eq!(with_accept(None, Some("geojson")).unwrap(), Format::Json);
        assert_eq!(
            with_accept(None, Some("xml")).unwrap_err().code(),
            "invalid_parameter"
        );
    }

    #[test]
    fn items_take_the_export_formats_and_other_resources_refuse_them() {
        let h = HeaderMap::new();
        for (f, want) in [
            ("kml", crate::export::Format::Kml),
            ("csv", crate::export::Format::Csv),
            ("fgb", crate::export::Format::FlatGeobuf),
            ("flatgeobuf", crate::export::Format::FlatGeobuf),
        ] {
            assert_eq!(
                format(Some(f), &h, Files::Accepted).unwrap(),
                Format::File(want)
            );
            assert_eq!(
                format(Some(f), &h, Files::Refused).unwrap_err().code(),
                "invalid_parameter"
            );
        }
        // `geojson` stays the JSON answer, paged and linked, not a file.
        assert_eq!(
            format(Some("geojson"), &h, Files::Accepted).unwrap(),
            Format::Json
        );
        assert_eq!(
            format(Some("shp"), &h, Files::Accepted).unwrap_err().code(),
            "invalid_parameter"
        );
    }
}
