//! Small server-rendered pages of the OGC resources, so people can browse
//! the API and share links to a collection or a feature, as pygeoapi and
//! `GeoServer` offer. Rendered with `maud`, which escapes every value it
//! writes; the JSON stays the source of truth and each page links to it.
//!
//! Each page carries its own Content-Security-Policy: no scripts at all, and
//! the one inline stylesheet allowed by its hash (the map's policy allows
//! only stylesheets from files).
//!
//! Links are relative to a `<base>` of the server's base path, so the pages
//! work under a proxy's path prefix (`--public-url https://host/prefix`).

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use base64::Engine as _;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde_json::Value;
use sha2::Digest as _;

use super::queryables::Schema;
use crate::dataset::{Catalog, Feature, Layer};

/// A link to another page or representation.
pub struct Nav {
    /// URL relative to the server's base path.
    pub href: String,
    /// Text.
    pub text: String,
}

/// The pages' stylesheet, inlined.
const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:60rem;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}nav{margin-bottom:1rem}code{word-break:break-all}";

/// The pages' policy: nothing but same-origin links, images and forms, and
/// [`STYLE`] by its SHA-256.
static CSP: LazyLock<String> = LazyLock::new(|| {
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(STYLE));
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; img-src 'self'; \
         base-uri 'self'; form-action 'self'; object-src 'none'"
    )
});

/// A page as an HTTP answer, with its policy.
fn page(base: &str, title: &str, crumbs: &[(&str, &str)], json: &str, body: &Markup) -> Response {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                base href=(base);
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – OGC API" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                nav {
                    @for (href, text) in crumbs { a href=(href) { (text) } " › " }
                    a href=(json) { "JSON" }
                    " · "
                    a href="./" { "Map" }
                }
                h1 { (title) }
                (body)
            }
        }
    };
    (
        [(header::CONTENT_SECURITY_POLICY, CSP.as_str())],
        Html(page.into_string()),
    )
        .into_response()
}

/// A value as text: a string as it is, anything else as compact JSON.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The first breadcrumbs of every page below the landing page.
const HOME: (&str, &str) = ("ogc?f=html", "Home");
const COLLECTIONS: (&str, &str) = ("ogc/collections?f=html", "Collections");

/// A bounding box for people.
fn bbox_text(b: [f64; 4]) -> String {
    format!(
        "{:.4}, {:.4} – {:.4}, {:.4} (lon, lat)",
        b[0], b[1], b[2], b[3]
    )
}

/// Only web links become anchors; anything else (a document reference) is text.
fn is_web(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

fn sources(v: &Value) -> Markup {
    html! {
        ul {
            @for s in v.as_array().into_iter().flatten() {
                @let title = s["title"].as_str().unwrap_or("");
                @let url = s["url"].as_str().unwrap_or("");
                li {
                    @if is_web(url) { a href=(url) { (title) } } @else { (title) " (" (url) ")" }
                }
            }
        }
    }
}

/// The landing page.
pub fn landing(base: &str, catalog: &Catalog) -> Response {
    let body = html! {
        p { (catalog.description) }
        p { small { (catalog.attribution) } }
        ul {
            li { a href="ogc/collections?f=html" { "Collections" } " (the layers)" }
            li { a href="ogc/conformance?f=html" { "Conformance" } }
            li { a href=(super::SERVICE_DESC.0.trim_start_matches('/')) { "API definition (OpenAPI)" } }
        }
    };
    page(base, &catalog.title, &[], "ogc?f=json", &body)
}

/// The conformance classes.
pub fn conformance(base: &str, classes: &[&str]) -> Response {
    let body = html! { ul { @for c in classes { li { code { (c) } } } } };
    page(
        base,
        "Conformance",
        &[HOME],
        "ogc/conformance?f=json",
        &body,
    )
}

/// The list of collections.
pub fn collections(base: &str, layers: &[Layer]) -> Response {
    let body = html! {
        table {
            tr { th { "Collection" } th { "Description" } th { "Features" } }
            @for l in layers {
                tr {
                    td { a href={ "ogc/collections/" (l.meta.id) "?f=html" } { (l.meta.title) } br; code { (l.meta.id) } }
                    td { (l.meta.description) }
                    td { a href={ "ogc/collections/" (l.meta.id) "/items?f=html" } { (l.features.len()) } }
                }
            }
        }
    };
    page(
        base,
        "Collections",
        &[HOME],
        "ogc/collections?f=json",
        &body,
    )
}

/// One collection: what it is, its sources and queryables.
pub fn collection(base: &str, layer: &Layer, schema: &Schema) -> Response {
    let m = &layer.meta;
    let own = format!("ogc/collections/{}", m.id);
    let body = html! {
        p { (m.description) }
        p {
            a href={ (own) "/items?f=html" } { "Browse the " (layer.features.len()) " features" }
            " · " a href={ (own) "/items?f=json" } { "GeoJSON" }
            " · " a href={ (own) "/queryables" } { "Queryables" }
        }
        table {
            tr { th { "Geometry" } td { (m.geometry_type) } }
            tr { th { "Licence" } td { (m.licence) } }
            tr { th { "Accuracy" } td { (m.accuracy_m) " m (typical)" } }
            @if let Some(b) = layer.bbox {
                tr { th { "Extent" } td { (bbox_text(b)) } }
            }
            tr {
                th { "Queryables" }
                td { @for q in &schema.queryables { code { (q.name) } " " } }
            }
        }
        h2 { "Sources" }
        (sources(&serde_json::to_value(&m.sources).unwrap_or_default()))
    };
    page(
        base,
        &m.title,
        &[HOME, COLLECTIONS],
        &format!("{own}?f=json"),
        &body,
    )
}

/// A page of features: their id, display name or title, and dates.
pub fn items(
    base: &str,
    layer: &Layer,
    features: &[&Feature],
    matched: usize,
    nav: &[Nav],
    json: &str,
    files: &[Nav],
) -> Response {
    let m = &layer.meta;
    let own = format!("ogc/collections/{}", m.id);
    let label = |f: &Feature| {
        ["display_name", "title", "name", "summary", "place"]
            .iter()
            .find_map(|k| f.str_prop(k))
            .unwrap_or("")
            .to_owned()
    };
    let body = html! {
        p { (features.len()) " of " (matched) " matching features." }
        table {
            tr { th { "Feature" } th { "Name" } th { "Valid from" } th { "Valid to" } }
            @for f in features {
                tr {
                    td { a href={ (own) "/items/" (super::handlers::path_segment(&f.id)) "?f=html" } { (f.id) } }
                    td { (label(f)) }
                    td { @if let Some(d) = f.validity.valid_from { (d.to_string()) } }
                    td { @if let Some(d) = f.validity.valid_to { (d.to_string()) } }
                }
            }
        }
        p { @for n in nav { a href=(n.href) { (n.text) } " " } }
        @if !files.is_empty() {
            p { "This page as a file: " @for n in files { a href=(n.href) { (n.text) } " " } }
        }
    };
    let coll = format!("{own}?f=html");
    page(
        base,
        &format!("{} – features", m.title),
        &[HOME, COLLECTIONS, (coll.as_str(), m.title.as_str())],
        json,
        &body,
    )
}

/// One feature: every property, sources as links.
pub fn item(base: &str, layer: &Layer, f: &Feature) -> Response {
    let m = &layer.meta;
    let own = format!("ogc/collections/{}", m.id);
    let body = html! {
        p { a href=(map_link(f)) { "Show on the map" } }
        table {
            tr { th { "Geometry" } td { (geometry_text(f)) } }
            @for (k, v) in &f.properties {
                tr {
                    th { (k) }
                    td {
                        @if k == "sources" || k == "links" { (sources(v)) } @else { (text(v)) }
                    }
                }
            }
        }
    };
    let coll = format!("{own}?f=html");
    let items = format!("{own}/items?f=html");
    page(
        base,
        &f.id,
        &[
            HOME,
            COLLECTIONS,
            (coll.as_str(), m.title.as_str()),
            (items.as_str(), "Features"),
        ],
        &format!(
            "{own}/items/{}?f=json",
            super::handlers::path_segment(&f.id)
        ),
        &body,
    )
}

/// The map at the feature's first day (if dated), centred on it if it is a
/// point: the map's own permalink parameters `date` and `pt=LAT,LON`.
fn map_link(f: &Feature) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    if let Some(d) = f.validity.valid_from {
        q.append_pair("date", &d.to_string());
    }
    if let geo::Geometry::Point(p) = &f.geometry {
        q.append_pair("pt", &format!("{:.5},{:.5}", p.y(), p.x()));
    }
    let q = q.finish();
    if q.is_empty() {
        "./".to_owned()
    } else {
        format!("./?{q}")
    }
}

fn geometry_text(f: &Feature) -> String {
    match &f.geometry {
        geo::Geometry::Point(p) => format!("Point {:.5}, {:.5} (lon, lat)", p.x(), p.y()),
        _ => format!("bbox {}", bbox_text(f.bbox)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn values_from_the_data_are_escaped_and_only_web_urls_become_links() {
        let v = serde_json::json!([
            { "title": "<script>alert(1)</script>", "url": "javascript:alert(1)" },
            { "title": "A & B", "url": "https://example.org/a?b=1&c=\"2\"" }
        ]);
        let out = sources(&v).into_string();
        assert!(!out.contains("<script>"), "{out}");
        assert!(
            out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{out}"
        );
        assert!(!out.contains("href=\"javascript:"), "{out}");
        assert!(out.contains("A &amp; B"), "{out}");
        assert!(
            out.contains("href=\"https://example.org/a?b=1&amp;c=&quot;2&quot;\""),
            "{out}"
        );
    }
}
