//! OGC API – Features over real HTTP: the resources and their links against
//! the fixture data set, then GDAL's `OAPIF` driver (`ogrinfo`, `ogr2ogr`)
//! reading every layer of the fixture and of the curated `geodata/`.
//!
//! The GDAL tests need `gdal-bin` (CI installs it); set
//! `CONTACTLINE_SKIP_GDAL=1` to skip them on a machine without it.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::common::{
    client, config, fixture_dir, gdal, gdal_skipped, real_geodata_dir, CsvTable, TestServer,
};
use serde_json::Value;

async fn get_json(url: &str) -> (u16, String, Value) {
    let resp = client().get(url).send().await.expect("request");
    let status = resp.status().as_u16();
    let ctype = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body: Value = resp
        .json()
        .await
        .unwrap_or_else(|e| panic!("{url}: not JSON: {e}"));
    (status, ctype, body)
}

fn link<'a>(doc: &'a Value, rel: &str) -> Option<&'a Value> {
    doc["links"].as_array()?.iter().find(|l| l["rel"] == rel)
}

fn assert_error(status: u16, body: &Value, expected: u16, what: &str) {
    assert_eq!(status, expected, "{what}: {body}");
    assert!(
        body["error"]["code"].is_string(),
        "{what}: no error code in {body}"
    );
    assert!(
        body["error"]["message"].is_string(),
        "{what}: no error message in {body}"
    );
}

#[tokio::test]
async fn the_landing_page_links_the_api_definition_conformance_and_collections() {
    let s = TestServer::fixture().await;
    let (status, ctype, body) = get_json(&s.url("/ogc")).await;
    assert_eq!(status, 200);
    assert!(ctype.starts_with("application/json"), "{ctype}");
    let desc = link(&body, "service-desc").expect("service-desc link");
    assert_eq!(desc["href"], s.url("/api/v1/openapi.json"));
    assert_eq!(desc["type"], "application/vnd.oai.openapi+json;version=3.1");
    assert_eq!(
        link(&body, "conformance").expect("conformance")["href"],
        s.url("/ogc/conformance")
    );
    assert_eq!(
        link(&body, "data").expect("data")["href"],
        s.url("/ogc/collections")
    );
    assert_eq!(link(&body, "self").expect("self")["href"], s.url("/ogc"));
    // The service description it points to is really there, with its media type.
    let resp = client()
        .get(s.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"],
        "application/vnd.oai.openapi+json;version=3.1"
    );
    let (_, _, f_json) = get_json(&s.url("/ogc?f=json")).await;
    assert_eq!(f_json, body);
}

#[tokio::test]
async fn conformance_lists_exactly_the_classes_implemented() {
    let s = TestServer::fixture().await;
    let (status, _, body) = get_json(&s.url("/ogc/conformance")).await;
    assert_eq!(status, 200);
    let classes: BTreeSet<&str> = body["conformsTo"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let f1 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf";
    let f3 = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf";
    let cql2 = "http://www.opengis.net/spec/cql2/1.0/conf";
    let mut expected: BTreeSet<String> = BTreeSet::new();
    // Not `oas30`: the API definition is generated as OpenAPI 3.1, which
    // that class (an OpenAPI 3.0 definition) does not describe.
    for c in ["core", "geojson", "html"] {
        expected.insert(format!("{f1}/{c}"));
    }
    for c in [
        "queryables",
        "queryables-query-parameters",
        "filter",
        "features-filter",
    ] {
        expected.insert(format!("{f3}/{c}"));
    }
    for c in [
        "cql2-text",
        "cql2-json",
        "basic-cql2",
        "advanced-comparison-operators",
        "basic-spatial-functions",
    ] {
        expected.insert(format!("{cql2}/{c}"));
    }
    let expected: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
    assert_eq!(classes, expected);
}

#[tokio::test]
async fn collections_list_every_layer_with_spatial_and_temporal_extent() {
    let s = TestServer::fixture().await;
    let (status, _, body) = get_json(&s.url("/ogc/collections")).await;
    assert_eq!(status, 200);
    let ds = s.state.data.load();
    let ids: Vec<&str> = body["collections"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    let layers: Vec<&str> = ds.layers.iter().map(|l| l.meta.id.as_str()).collect();
    assert_eq!(ids, layers);
    for c in body["collections"].as_array().unwrap() {
        assert_eq!(c["itemType"], "feature");
        assert_eq!(
            c["extent"]["spatial"]["crs"],
            "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
        );
        assert_eq!(
            c["extent"]["spatial"]["bbox"][0].as_array().unwrap().len(),
            4
        );
        assert!(link(c, "items").is_some());
    }
    let (status, _, zone) = get_json(&s.url("/ogc/collections/zone")).await;
    assert_eq!(status, 200);
    assert_eq!(
        zone["extent"]["temporal"]["interval"][0],
        serde_json::json!(["2020-11-10T00:00:00Z", "2023-09-20T00:00:00Z"])
    );
    assert_eq!(
        link(&zone, "items").unwrap()["href"],
        s.url("/ogc/collections/zone/items")
    );
    let (_, _, settlements) = get_json(&s.url("/ogc/collections/settlements")).await;
    assert_eq!(
        settlements["extent"]["temporal"]["interval"][0],
        serde_json::json!([null, null])
    );
    let bbox = &settlements["extent"]["spatial"]["bbox"][0];
    assert_eq!(bbox, &serde_json::json!([46.35, 39.65, 46.9, 39.95]));
}

#[tokio::test]
async fn items_are_geojson_with_counts_a_time_stamp_and_links() {
    let s = TestServer::fixture().await;
    let (status, ctype, body) = get_json(&s.url("/ogc/collections/settlements/items")).await;
    assert_eq!(status, 200);
    assert_eq!(ctype, "application/geo+json");
    assert_eq!(body["type"], "FeatureCollection");
    assert_eq!(body["numberMatched"], 25);
    assert_eq!(body["numberReturned"], 25);
    assert_eq!(body["features"].as_array().unwrap().len(), 25);
    assert_eq!(body["timeStamp"].as_str().unwrap().len(), 20);
    assert!(link(&body, "self").is_some());
    assert!(link(&body, "next").is_none());
    assert!(link(&body, "prev").is_none());
    let first = &body["features"][0];
    assert_eq!(first["type"], "Feature");
    assert!(first["id"].is_string());
    assert!(first["properties"]["sources"].is_array());
}

#[tokio::test]
async fn following_next_links_visits_every_feature_once() {
    let s = TestServer::fixture().await;
    let mut url = s.url("/ogc/collections/settlements/items?limit=4");
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let (status, _, page) = get_json(&url).await;
        assert_eq!(status, 200, "{url}");
        assert_eq!(page["numberMatched"], 25);
        let n = page["features"].as_array().unwrap().len();
        assert_eq!(page["numberReturned"], n);
        assert!(n <= 4);
        seen.extend(
            page["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["id"].as_str().unwrap().to_owned()),
        );
        pages += 1;
        if pages > 1 {
            assert!(
                link(&page, "prev").is_some(),
                "page {pages} has no prev link"
            );
        }
        match link(&page, "next") {
            Some(next) => url = next["href"].as_str().unwrap().to_owned(),
            None => break,
        }
    }
    assert_eq!(pages, 7);
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!((seen.len(), unique.len()), (25, 25));
}

#[tokio::test]
async fn filters_keep_their_values_in_paging_links() {
    let s = TestServer::fixture().await;
    let url = s.url("/ogc/collections/settlements/items?bbox=46.6,39.7,46.9,39.9&limit=2&datetime=2022-01-01T00:00:00Z/..");
    let (status, _, page) = get_json(&url).await;
    assert_eq!(status, 200);
    let next = link(&page, "next").unwrap()["href"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(next.contains("bbox=46.6%2C39.7%2C46.9%2C39.9"), "{next}");
    assert!(
        next.contains("datetime=2022-01-01T00%3A00%3A00Z%2F.."),
        "{next}"
    );
    let (_, _, second) = get_json(&next).await;
    assert_eq!(second["numberMatched"], page["numberMatched"]);
}

#[tokio::test]
async fn bbox_and_datetime_select_the_known_features() {
    let s = TestServer::fixture().await;
    let matched = |q: &'static str| {
        let url = s.url(&format!("/ogc/collections/{q}"));
        async move {
            let (status, _, body) = get_json(&url).await;
            assert_eq!(status, 200, "{url}: {body}");
            body["numberMatched"].as_u64().unwrap()
        }
    };
    // The nine zone villages and nothing of the ring.
    assert_eq!(
        matched("settlements/items?bbox=46.69,39.74,46.81,39.86").await,
        9
    );
    // Zone versions: valid_to is exclusive.
    assert_eq!(matched("zone/items?datetime=2022-03-24").await, 1);
    assert_eq!(matched("zone/items?datetime=2022-03-25").await, 1);
    assert_eq!(
        matched("zone/items?datetime=2022-03-24/2022-03-25").await,
        2
    );
    assert_eq!(matched("zone/items?datetime=2023-09-20").await, 0);
    assert_eq!(matched("zone/items?datetime=2019-01-01").await, 0);
    // Incidents on 2021-05-12, 2022-03-24..26 and 2022-09-13.
    assert_eq!(matched("incidents/items?datetime=2022-03-25").await, 1);
    assert_eq!(matched("incidents/items?datetime=2022-03-27").await, 0);
    assert_eq!(matched("incidents/items?datetime=../2022-03-24").await, 2);
    assert_eq!(matched("incidents/items?datetime=2022-03-25/..").await, 2);
    assert_eq!(
        matched("incidents/items?datetime=2021-01-01T00:00:00Z/2021-12-31T23:59:59Z").await,
        1
    );
    assert_eq!(
        matched("incidents/items?datetime=2022-09-13T12:00:00Z").await,
        1
    );
    // Both filters at once: the east incident only.
    assert_eq!(
        matched("incidents/items?bbox=46.85,39.7,47,39.9&datetime=2022-01-01/..").await,
        1
    );
}

#[tokio::test]
async fn one_feature_is_served_by_id_with_its_links() {
    let s = TestServer::fixture().await;
    let (status, ctype, f) = get_json(&s.url("/ogc/collections/settlements/items/centre")).await;
    assert_eq!(status, 200);
    assert_eq!(ctype, "application/geo+json");
    assert_eq!(f["id"], "centre");
    assert_eq!(
        f["geometry"]["coordinates"],
        serde_json::json!([46.75, 39.8])
    );
    assert_eq!(
        link(&f, "collection").unwrap()["href"],
        s.url("/ogc/collections/settlements")
    );
    assert_eq!(
        link(&f, "self").unwrap()["href"],
        s.url("/ogc/collections/settlements/items/centre")
    );
}

#[tokio::test]
async fn unknown_collections_and_features_are_json_404s() {
    let s = TestServer::fixture().await;
    for path in [
        "/ogc/collections/nope",
        "/ogc/collections/nope/items",
        "/ogc/collections/nope/items/centre",
        "/ogc/collections/settlements/items/nope",
    ] {
        let (status, _, body) = get_json(&s.url(path)).await;
        assert_error(status, &body, 404, path);
        assert_eq!(body["error"]["code"], "not_found");
    }
}

#[tokio::test]
async fn bad_bbox_datetime_limit_offset_and_unknown_parameters_are_json_400s() {
    let s = TestServer::fixture().await;
    for (q, param) in [
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=46,40,47,39", "bbox"),
        ("bbox=46,39,47,91", "bbox"),
        ("bbox=NaN,39,47,40", "bbox"),
        ("bbox=46,39,inf,40", "bbox"),
        ("datetime=2022-02-30", "datetime"),
        ("datetime=25.03.2022", "datetime"),
        ("datetime=2022-03-26/2022-03-25", "datetime"),
        ("datetime=../..", "datetime"),
        ("datetime=2022-03-25T24:00:00Z", "datetime"),
        ("limit=0", "limit"),
        ("limit=-5", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("f=xml", "f"),
        ("filter=type%20%3D", "filter"),
        ("filter=colour%20%3D%20'red'", "filter"),
        ("filter-lang=cql-text", "filter-lang"),
        ("filter-crs=EPSG:4326", "filter-crs"),
        ("properties=colour", "properties"),
        ("sortby=geometry", "sortby"),
        ("sortby=-colour", "sortby"),
        ("status_on=2022-03-25&status=azerbaijan", "status_on"),
        ("colour=red", "colour"),
        ("limit=1&limit=2", "limit"),
    ] {
        let (status, _, body) =
            get_json(&s.url(&format!("/ogc/collections/incidents/items?{q}"))).await;
        assert_error(status, &body, 400, q);
        assert_eq!(body["error"]["parameter"], param, "{q}: {body}");
    }
    // A limit above the maximum is served as the maximum, as OGC asks.
    let (status, _, body) =
        get_json(&s.url("/ogc/collections/incidents/items?limit=1000000")).await;
    assert_eq!(status, 200);
    assert_eq!(body["numberReturned"], 3);
    let health = client().get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test]
async fn every_ogc_resource_takes_the_data_version_as_v() {
    let s = TestServer::fixture().await;
    let version = s.state.data.load().version.clone();
    for path in [
        "/ogc",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/settlements",
        "/ogc/collections/settlements/queryables",
        "/ogc/collections/settlements/items",
        "/ogc/collections/settlements/items/centre",
    ] {
        let resp = client()
            .get(s.url(&format!("{path}?v={version}")))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(
            resp.headers()["cache-control"],
            "public, max-age=31536000, immutable",
            "{path}"
        );
        let (status, _, body) = get_json(&s.url(&format!("{path}?v=0000"))).await;
        assert_error(status, &body, 410, path);
    }
}

/// The service with a web app whose fallback page is HTML, as in production,
/// so a path that fell through to it would show.
async fn server_with_web_app() -> (TestServer, tempfile::TempDir) {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(
        web.path().join("index.html"),
        "<!doctype html><title>map</title>",
    )
    .unwrap();
    let cfg = contactline::config::Config {
        web_dir: web.path().to_path_buf(),
        ..config(&fixture_dir())
    };
    (TestServer::start(cfg).await, web)
}

#[tokio::test]
async fn every_ogc_path_with_a_trailing_slash_redirects_to_the_same_document() {
    let (s, _web) = server_with_web_app().await;
    let no_redirects = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for path in [
        "/ogc",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/settlements",
        "/ogc/collections/settlements/queryables",
        "/ogc/collections/settlements/items",
        "/ogc/collections/settlements/items/centre",
    ] {
        let resp = no_redirects
            .get(s.url(&format!("{path}/?f=json")))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 308, "{path}/");
        assert_eq!(
            resp.headers()["location"],
            format!("{path}?f=json").as_str(),
            "{path}/"
        );
        // A client that follows redirects (OWSLib's requests, GDAL's curl)
        // gets the document of the path without the slash.
        let (status, _, slashed) = get_json(&s.url(&format!("{path}/"))).await;
        let (_, _, plain) = get_json(&s.url(path)).await;
        assert_eq!(status, 200, "{path}/");
        // The items' timeStamp is the one part that may differ between two requests.
        let strip = |mut v: Value| {
            v.as_object_mut().map(|o| o.remove("timeStamp"));
            v
        };
        assert_eq!(strip(slashed), strip(plain), "{path}/");
    }
}

#[tokio::test]
async fn unknown_ogc_paths_answer_json_404s_not_the_map_page() {
    let (s, _web) = server_with_web_app().await;
    // The fallback really is the HTML page outside /ogc.
    let page = client().get(s.url("/somewhere")).send().await.unwrap();
    assert_eq!(
        page.text().await.unwrap(),
        "<!doctype html><title>map</title>"
    );
    for path in [
        "/ogc/nope",
        "/ogc/api/nope",
        "/ogc/collections/settlements/nope",
        "/ogc/collections/settlements/items/centre/more",
    ] {
        let resp = client().get(s.url(path)).send().await.unwrap();
        let status = resp.status().as_u16();
        let ctype = resp.headers()["content-type"].to_str().unwrap().to_owned();
        let body: Value = resp.json().await.unwrap();
        assert_eq!(ctype, "application/json", "{path}");
        assert_error(status, &body, 404, path);
        assert_eq!(body["error"]["code"], "not_found", "{path}");
    }
}

// ---------------------------------------------------------------------------
// Representations: JSON unless HTML is asked for.

#[tokio::test]
async fn every_ogc_resource_answers_json_by_default_and_html_only_when_asked() {
    let s = TestServer::fixture().await;
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    for path in [
        "/ogc",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/settlements",
        "/ogc/collections/settlements/queryables",
        "/ogc/collections/settlements/items",
        "/ogc/collections/settlements/items/centre",
    ] {
        for (query, accept, html) in [
            ("", None, false),
            ("", Some("*/*"), false),
            ("", Some("application/json"), false),
            ("?f=json", Some(browser), false),
            ("", Some(browser), true),
            ("?f=html", None, true),
        ] {
            let mut req = client().get(s.url(&format!("{path}{query}")));
            if let Some(a) = accept {
                req = req.header("accept", a);
            }
            let resp = req.send().await.unwrap();
            assert_eq!(resp.status(), 200, "{path}{query} {accept:?}");
            let ctype = resp.headers()["content-type"].to_str().unwrap().to_owned();
            let vary: Vec<&str> = resp
                .headers()
                .get_all("vary")
                .iter()
                .map(|v| v.to_str().unwrap())
                .collect();
            assert!(vary.contains(&"accept"), "{path}{query}: {vary:?}");
            let csp = resp
                .headers()
                .get("content-security-policy")
                .map(|v| v.to_str().unwrap().to_owned());
            let text = resp.text().await.unwrap();
            if html {
                assert!(ctype.starts_with("text/html"), "{path}{query}: {ctype}");
                assert!(text.starts_with("<!DOCTYPE html>"), "{path}{query}");
                // No script at all; the one stylesheet by its hash.
                let csp = csp.unwrap();
                assert!(
                    csp.starts_with("default-src 'none'; style-src 'sha256-")
                        && !csp.contains("script-src")
                        && !csp.contains("unsafe"),
                    "{path}: {csp}"
                );
            } else {
                assert!(
                    ctype.starts_with("application/") && ctype.contains("json"),
                    "{path}{query} {accept:?}: {ctype}"
                );
                serde_json::from_str::<Value>(&text).unwrap();
            }
        }
    }
}

#[tokio::test]
async fn a_page_and_the_json_of_one_url_have_different_etags() {
    let s = TestServer::fixture().await;
    let url = s.url("/ogc/collections/settlements");
    let tag = |accept: &'static str| {
        let req = client().get(&url).header("accept", accept);
        async move {
            let resp = req.send().await.unwrap();
            resp.headers()["etag"].to_str().unwrap().to_owned()
        }
    };
    let (page, json) = (tag("text/html").await, tag("application/json").await);
    assert_ne!(page, json);
    // The JSON's tag does not revalidate the page.
    let resp = client()
        .get(&url)
        .header("accept", "text/html")
        .header("if-none-match", &json)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let resp = client()
        .get(&url)
        .header("accept", "text/html")
        .header("if-none-match", &page)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 304);
}

#[tokio::test]
async fn the_html_items_page_links_every_feature_and_the_next_page() {
    let s = TestServer::fixture().await;
    let resp = client()
        .get(s.url("/ogc/collections/settlements/items?f=html&limit=4"))
        .send()
        .await
        .unwrap();
    let page = resp.text().await.unwrap();
    let ds = s.state.data.load();
    let layer = ds.layer("settlements").unwrap();
    // Links are relative to the page's base, the server's root here.
    assert!(page.contains("<base href=\"/\">"), "{page}");
    for f in &layer.features[..4] {
        let href = format!("href=\"ogc/collections/settlements/items/{}?f=html\"", f.id);
        assert!(page.contains(&href), "no link {href}");
    }
    assert!(
        page.contains("href=\"ogc/collections/settlements/items?limit=4&amp;offset=4&amp;f=html\""),
        "no next link in {page}"
    );
}

// ---------------------------------------------------------------------------
// Queryables and filters, against the curated data: every expected answer is
// computed here by a plain scan of the features' properties.

fn props(f: &contactline::dataset::Feature) -> &serde_json::Map<String, Value> {
    &f.properties
}

async fn matched_ids(s: &TestServer, path_and_query: &str) -> Vec<String> {
    let (status, _, body) = get_json(&s.url(path_and_query)).await;
    assert_eq!(status, 200, "{path_and_query}: {body}");
    let ids: Vec<String> = body["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(body["numberMatched"], ids.len(), "{path_and_query}");
    ids
}

fn scan(
    s: &TestServer,
    layer: &str,
    keep: impl Fn(&serde_json::Map<String, Value>, &contactline::dataset::Feature) -> bool,
) -> Vec<String> {
    let ds = s.state.data.load();
    ds.layer(layer)
        .unwrap()
        .features
        .iter()
        .filter(|f| keep(props(f), f))
        .map(|f| f.id.clone())
        .collect()
}

#[tokio::test]
async fn queryables_are_the_scalar_properties_with_their_values() {
    let s = TestServer::start(config(&real_geodata_dir())).await;
    let (status, ctype, q) = get_json(&s.url("/ogc/collections/settlements/queryables")).await;
    assert_eq!(status, 200);
    assert_eq!(ctype, "application/schema+json");
    assert_eq!(q["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(q["properties"]["geometry"]["format"], "geometry-point");
    let kinds: BTreeSet<String> = scan(&s, "settlements", |_, _| true)
        .iter()
        .map(|id| {
            let ds = s.state.data.load();
            let f = ds
                .layer("settlements")
                .unwrap()
                .features
                .iter()
                .find(|f| &f.id == id)
                .unwrap();
            f.properties["kind"].as_str().unwrap().to_owned()
        })
        .collect();
    let listed: BTreeSet<String> = q["properties"]["kind"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, kinds);
    assert_eq!(q["properties"]["accuracy_m"]["type"], "integer");
    // Lists and objects are not queryable.
    for absent in ["names", "control", "sources", "admin", "alt_names"] {
        assert!(q["properties"][absent].is_null(), "{absent} listed");
    }
    let (_, _, inc) = get_json(&s.url("/ogc/collections/incidents/queryables")).await;
    assert_eq!(inc["properties"]["date"]["format"], "date");
    assert_eq!(inc["properties"]["type"]["type"], "string");
}

#[tokio::test]
async fn property_filters_and_cql2_select_what_a_scan_of_the_data_selects() {
    let s = TestServer::start(config(&real_geodata_dir())).await;
    let is = |p: &serde_json::Map<String, Value>, k: &str, v: &str| {
        p.get(k).and_then(Value::as_str) == Some(v)
    };
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "/ogc/collections/incidents/items?type=incursion&limit=1000",
            scan(&s, "incidents", |p, _| is(p, "type", "incursion")),
        ),
        (
            "/ogc/collections/settlements/items?kind=village&limit=1000",
            scan(&s, "settlements", |p, _| is(p, "kind", "village")),
        ),
        (
            "/ogc/collections/incidents/items?limit=1000&filter=type%20IN%20('incursion','strike')",
            scan(&s, "incidents", |p, _| is(p, "type", "incursion") || is(p, "type", "strike")),
        ),
        (
            "/ogc/collections/incidents/items?limit=1000&filter=date%20BETWEEN%20'2022-01-01'%20AND%20'2022-12-31'",
            scan(&s, "incidents", |p, _| {
                let d = p["date"].as_str().unwrap();
                ("2022-01-01"..="2022-12-31").contains(&d)
            }),
        ),
        (
            "/ogc/collections/settlements/items?limit=1000&filter=kind%3D'town'%20OR%20kind%3D'city'",
            scan(&s, "settlements", |p, _| is(p, "kind", "town") || is(p, "kind", "city")),
        ),
        (
            "/ogc/collections/settlements/items?limit=1000&filter=accuracy_m%20%3C%201000%20AND%20kind%20%3C%3E%20'city'",
            scan(&s, "settlements", |p, _| {
                p["accuracy_m"].as_f64().unwrap() < 1000.0 && !is(p, "kind", "city")
            }),
        ),
        (
            "/ogc/collections/settlements/items?limit=1000&kind=village&filter=S_INTERSECTS(geometry,BBOX(46.6,39.7,46.9,39.9))",
            scan(&s, "settlements", |p, f| {
                let geo::Geometry::Point(pt) = f.geometry else { return false };
                is(p, "kind", "village")
                    && (46.6..=46.9).contains(&pt.x())
                    && (39.7..=39.9).contains(&pt.y())
            }),
        ),
    ];
    for (url, expected) in cases {
        assert!(
            !expected.is_empty(),
            "{url}: the scan found nothing; pick another case"
        );
        assert_eq!(matched_ids(&s, url).await, expected, "{url}");
    }
}

/// The places whose own control timeline says `status` on `day` (spans are
/// `[from, to)`, open where null), read straight from the feature JSON.
fn held_on(s: &TestServer, layer: &str, day: &str, status: &str) -> Vec<String> {
    scan(s, layer, |p, _| {
        p["control"].as_array().unwrap().iter().any(|span| {
            let from_ok = span["from"].as_str().is_none_or(|f| f <= day);
            let to_ok = span["to"].as_str().is_none_or(|t| day < t);
            from_ok && to_ok && span["status"] == status
        })
    })
}

#[tokio::test]
async fn settlements_are_filtered_by_their_control_status_on_a_date() {
    let s = TestServer::start(config(&real_geodata_dir())).await;
    for (day, status) in [
        ("2022-03-25", "azerbaijan"),
        ("2022-03-24", "zone"),
        ("2021-06-01", "corridor"),
        ("2023-09-19", "zone"),
    ] {
        let expected = held_on(&s, "settlements", day, status);
        assert!(
            !expected.is_empty(),
            "{day} {status}: the scan found nothing"
        );
        let url = format!(
            "/ogc/collections/settlements/items?limit=1000&status_on={day}&status={status}"
        );
        assert_eq!(matched_ids(&s, &url).await, expected, "{url}");
    }
    // Two statuses at once are their union, in layer order.
    let both = matched_ids(
        &s,
        "/ogc/collections/settlements/items?limit=1000&status_on=2022-03-25&status=zone,corridor",
    )
    .await;
    let zone = held_on(&s, "settlements", "2022-03-25", "zone");
    let corridor = held_on(&s, "settlements", "2022-03-25", "corridor");
    assert_eq!(both.len(), zone.len() + corridor.len());
    // The zone layer has no control timelines: the parameters are unknown there.
    let (status, _, body) =
        get_json(&s.url("/ogc/collections/zone/items?status_on=2022-03-25&status=zone")).await;
    assert_error(status, &body, 400, "status on zone");
}

#[tokio::test]
async fn properties_keeps_only_the_named_ones_and_sortby_orders_the_features() {
    let s = TestServer::start(config(&real_geodata_dir())).await;
    let (status, _, body) = get_json(
        &s.url("/ogc/collections/incidents/items?limit=1000&properties=date,type&sortby=-date,id"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let feats = body["features"].as_array().unwrap();
    for f in feats {
        let keys: Vec<&String> = f["properties"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["date", "type"], "{}", f["id"]);
        assert!(f["geometry"].is_object());
    }
    let mut expected: Vec<(String, String)> = scan(&s, "incidents", |_, _| true)
        .into_iter()
        .map(|id| {
            let ds = s.state.data.load();
            let f = ds
                .layer("incidents")
                .unwrap()
                .features
                .iter()
                .find(|f| f.id == id)
                .unwrap();
            (f.properties["date"].as_str().unwrap().to_owned(), id)
        })
        .collect();
    // Newest first; ties by id ascending.
    expected.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let got: Vec<(String, String)> = feats
        .iter()
        .map(|f| {
            (
                f["properties"]["date"].as_str().unwrap().to_owned(),
                f["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    // Paging links keep the filters.
    let (_, _, page) =
        get_json(&s.url("/ogc/collections/incidents/items?limit=2&type=incursion&sortby=date"))
            .await;
    let next = link(&page, "next").unwrap()["href"].as_str().unwrap();
    assert!(
        next.contains("type=incursion") && next.contains("sortby=date"),
        "{next}"
    );
}

// ---------------------------------------------------------------------------
// OWSLib, installed from PyPI (tests/owslib/requirements.lock) into a venv
// under target/ the first time.

fn owslib_python() -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let venv = root.join("target/owslib-venv");
    let lock = root.join("tests/owslib/requirements.lock");
    let stamp = venv.join(".installed");
    let fresh = |a: &Path, b: &Path| -> bool {
        let m = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        matches!((m(a), m(b)), (Some(x), Some(y)) if x >= y)
    };
    if !fresh(&stamp, &lock) {
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "python3 -m venv failed: install python3-venv (make deps)"
        );
        let ok = Command::new(venv.join("bin/pip"))
            // Bounded: a stalled index fails the test within minutes, not hours.
            .args([
                "install",
                "-q",
                "--disable-pip-version-check",
                "--timeout",
                "30",
                "--retries",
                "2",
                "-r",
            ])
            .arg(&lock)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "pip install -r {} failed", lock.display());
        std::fs::write(&stamp, "").unwrap();
    }
    venv.join("bin/python")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owslib_walks_from_the_landing_page_to_one_filtered_feature() {
    let python = tokio::task::spawn_blocking(owslib_python).await.unwrap();
    let s = TestServer::start(config(&real_geodata_dir())).await;
    let bbox = [46.0, 39.0, 47.5, 40.5];
    let (from, to) = ("2021-01-01", "2022-12-31");
    let request = serde_json::json!({
        "collection": "incidents",
        "bbox": bbox,
        "datetime": format!("{from}/{to}"),
        "filter": "type IN ('incursion', 'ceasefire_violation')",
        "status": { "collection": "settlements", "day": "2022-03-25", "status": "azerbaijan" },
    });
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/owslib/walk.py");
    let base = s.url("");
    let out = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(script)
            .arg(base)
            .arg(request.to_string())
            .env("NO_PROXY", "127.0.0.1")
            .env("no_proxy", "127.0.0.1")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "walk.py failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Landing page and conformance as the server states them.
    assert_eq!(
        got["landing_links"],
        serde_json::json!(["alternate", "conformance", "data", "self", "service-desc"])
    );
    let (_, _, conf) = get_json(&s.url("/ogc/conformance")).await;
    assert_eq!(got["conformance"], conf["conformsTo"]);
    let ds = s.state.data.load();
    let ids: Vec<&str> = ds.layers.iter().map(|l| l.meta.id.as_str()).collect();
    assert_eq!(got["collections"], serde_json::json!(ids));
    assert!(got["queryables"]
        .as_array()
        .unwrap()
        .contains(&Value::from("type")));
    // The items: a scan of the data with the same bbox, dates and types.
    let expected = scan(&s, "incidents", |p, f| {
        let geo::Geometry::Point(pt) = f.geometry else {
            return false;
        };
        let t = p["type"].as_str().unwrap();
        let d0 = p["valid_from"].as_str().unwrap();
        let d1 = p["valid_to"].as_str().unwrap(); // exclusive
        (t == "incursion" || t == "ceasefire_violation")
            && (bbox[0]..=bbox[2]).contains(&pt.x())
            && (bbox[1]..=bbox[3]).contains(&pt.y())
            && d0 <= to
            && from < d1
    });
    assert!(
        !expected.is_empty(),
        "pick a request that matches something"
    );
    assert_eq!(got["items_matched"], expected.len());
    assert_eq!(got["items_ids"], serde_json::json!(expected));
    assert_eq!(got["item_id"], expected[0].as_str());
    let held = held_on(&s, "settlements", "2022-03-25", "azerbaijan");
    assert_eq!(got["status_matched"], held.len());
    assert_eq!(got["status_ids"], serde_json::json!(held));
}

// ---------------------------------------------------------------------------
// GDAL's OAPIF driver.

/// `ogrinfo` lists every layer, and `ogr2ogr` downloads each one whole.
async fn gdal_reads_every_layer(data_dir: &Path) {
    if gdal_skipped() {
        eprintln!("CONTACTLINE_SKIP_GDAL=1: skipping the GDAL check");
        return;
    }
    let s = TestServer::start(config(data_dir)).await;
    let source = format!("OAPIF:{}", s.url("/ogc"));
    let (ok, out, err) = gdal("ogrinfo", vec!["-ro".into(), "-so".into(), source.clone()]).await;
    assert!(ok, "ogrinfo failed:\n{out}\n{err}");
    let ds = s.state.data.load();
    for layer in &ds.layers {
        let listed = out.lines().any(|l| {
            l.split_once(": ")
                .is_some_and(|(_, rest)| rest.split(" (").next() == Some(layer.meta.id.as_str()))
        });
        assert!(
            listed,
            "ogrinfo does not list layer '{}':\n{out}",
            layer.meta.id
        );
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    for layer in &ds.layers {
        let id = &layer.meta.id;
        let dest = tmp.path().join(format!("{id}.geojson"));
        let (ok, out, err) = gdal(
            "ogr2ogr",
            vec![
                "-f".into(),
                "GeoJSON".into(),
                dest.display().to_string(),
                source.clone(),
                id.clone(),
            ],
        )
        .await;
        assert!(ok, "ogr2ogr {id} failed:\n{out}\n{err}");
        let text =
            std::fs::read_to_string(&dest).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
        let got: Value = serde_json::from_str(&text).expect("ogr2ogr wrote GeoJSON");
        let n = got["features"].as_array().map_or(0, Vec::len);
        assert_eq!(
            n,
            layer.features.len(),
            "ogr2ogr downloaded {n} features of '{id}'"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gdal_lists_and_downloads_every_fixture_layer() {
    gdal_reads_every_layer(&fixture_dir()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gdal_lists_and_downloads_every_layer_of_the_curated_geodata() {
    gdal_reads_every_layer(&real_geodata_dir()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gdal_applies_a_where_filter_to_the_curated_incidents_and_settlements() {
    if gdal_skipped() {
        eprintln!("CONTACTLINE_SKIP_GDAL=1: skipping the GDAL check");
        return;
    }
    let s = TestServer::start(config(&real_geodata_dir())).await;
    let source = format!("OAPIF:{}", s.url("/ogc"));
    for (layer, key, value) in [
        ("incidents", "type", "incursion"),
        ("settlements", "kind", "village"),
    ] {
        let expected = scan(&s, layer, |p, _| {
            p.get(key).and_then(Value::as_str) == Some(value)
        });
        assert!(!expected.is_empty());
        let (ok, out, err) = gdal(
            "ogrinfo",
            vec![
                "-ro".into(),
                "-so".into(),
                source.clone(),
                layer.into(),
                "-where".into(),
                format!("{key} = '{value}'"),
            ],
        )
        .await;
        assert!(ok, "ogrinfo -where on {layer} failed:\n{out}\n{err}");
        let count = out
            .lines()
            .find_map(|l| l.strip_prefix("Feature Count: "))
            .unwrap_or_else(|| panic!("no feature count in:\n{out}"));
        assert_eq!(
            count.trim(),
            expected.len().to_string(),
            "{layer} where {key} = '{value}'"
        );
    }
}

#[tokio::test]
async fn items_as_kml_csv_and_flatgeobuf_hold_the_same_page_as_the_json_and_are_linked_from_it() {
    let s = TestServer::start(config(&real_geodata_dir())).await;
    let query = "status_on=2022-03-25&status=zone&limit=40&offset=5";
    let page = format!("/ogc/collections/settlements/items?{query}");
    let json = s.get_json(&page).await;
    let ids: Vec<&str> = json["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids.len(),
        40,
        "the data holds more than 45 zone settlements that day"
    );

    // Each file format is linked from the page, for the same page.
    for f in ["kml", "csv", "fgb"] {
        let alt = json["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| {
                l["rel"] == "alternate" && l["href"].as_str().unwrap().contains(&format!("f={f}"))
            })
            .unwrap_or_else(|| panic!("no alternate link for f={f}"));
        let href = alt["href"].as_str().unwrap();
        assert!(
            href.contains("limit=40") && href.contains("offset=5") && href.contains("status=zone"),
            "{href}"
        );
    }

    // The page for people offers the same files.
    let (_, _, html) = s.fetch(&format!("{page}&f=html")).await;
    let html = String::from_utf8(html).unwrap();
    for f in ["kml", "csv", "fgb"] {
        assert!(
            html.contains(&format!("f={f}")),
            "the HTML page links f={f}"
        );
    }

    // KML: one placemark per feature of the page, in its order, styled by the status on the day.
    let (status, ctype, kml) = s.fetch(&format!("{page}&f=kml")).await;
    assert_eq!(status, 200);
    assert_eq!(ctype, "application/vnd.google-earth.kml+xml");
    let kml = String::from_utf8(kml).unwrap();
    let placemarks: Vec<&str> = kml
        .split("<Placemark id=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(placemarks, ids);
    assert_eq!(kml.matches("<styleUrl>#zone</styleUrl>").count(), ids.len());

    // CSV: the same ids, with the status on the day.
    let (status, ctype, csv) = s.fetch(&format!("{page}&f=csv")).await;
    assert_eq!(status, 200);
    assert!(ctype.starts_with("text/csv"), "{ctype}");
    let table = CsvTable::read(&csv);
    let col = |name: &str| table.col(name);
    let rows = &table.rows;
    assert_eq!(rows.iter().map(|r| &r[col("id")]).collect::<Vec<_>>(), ids);
    assert!(rows.iter().all(|r| &r[col("status_on_date")] == "zone"));

    // FlatGeobuf: an attachment GDAL reads with as many features.
    let (status, ctype, fgb) = s.fetch(&format!("{page}&f=fgb")).await;
    assert_eq!(status, 200);
    assert_eq!(ctype, "application/flatgeobuf");
    if !gdal_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.fgb");
        std::fs::write(&path, &fgb).unwrap();
        let (ok, out, err) = gdal(
            "ogrinfo",
            vec![
                "-ro".into(),
                "-so".into(),
                "-al".into(),
                path.display().to_string(),
            ],
        )
        .await;
        assert!(ok, "ogrinfo: {err}");
        assert!(
            out.contains(&format!("Feature Count: {}", ids.len())),
            "{out}"
        );
    }
}

#[tokio::test]
async fn items_as_files_take_the_language_of_the_whole_layer_export() {
    let s = TestServer::start(config(&real_geodata_dir())).await;
    let names = |csv: &[u8]| {
        let table = CsvTable::read(csv);
        let (id, name) = (table.col("id"), table.col("name"));
        table
            .rows
            .iter()
            .map(|r| (r[id].to_owned(), r[name].to_owned()))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let (status, _, whole) = s
        .fetch("/api/v1/layers/settlements?format=csv&lang=hy")
        .await;
    assert_eq!(status, 200);
    let whole = names(&whole);
    let (status, _, page) = s
        .fetch("/ogc/collections/settlements/items?f=csv&lang=hy&limit=25")
        .await;
    assert_eq!(status, 200);
    let page = names(&page);
    assert_eq!(page.len(), 25);
    for (id, name) in &page {
        assert_eq!(Some(name), whole.get(id), "{id}");
    }
    // Armenian script, not the dual Latin display name.
    assert!(page
        .values()
        .all(|n| n.chars().any(|c| ('\u{0531}'..='\u{058F}').contains(&c))));

    let (status, _, body) =
        get_json(&s.url("/ogc/collections/settlements/items?f=csv&lang=xx")).await;
    assert_error(status, &body, 400, "unknown language");
    assert_eq!(body["error"]["parameter"], "lang", "{body}");
}

#[tokio::test]
async fn file_formats_a_resource_cannot_take_are_json_400s_naming_f() {
    let s = TestServer::fixture().await;
    // CSV holds points only; the zone is polygons.
    let (status, _, body) = get_json(&s.url("/ogc/collections/zone/items?f=csv")).await;
    assert_error(status, &body, 400, "csv of polygons");
    assert_eq!(body["error"]["parameter"], "f", "{body}");
    // Only items are files; a collection is a description.
    for path in [
        "/ogc/collections?f=kml",
        "/ogc/collections/zone?f=fgb",
        "/ogc?f=csv",
    ] {
        let (status, _, body) = get_json(&s.url(path)).await;
        assert_error(status, &body, 400, path);
    }
    let (status, _, body) = get_json(&s.url("/ogc/collections/zone/items?f=shp")).await;
    assert_error(status, &body, 400, "shp");
    // The zone's page offers KML and FlatGeobuf but no CSV.
    let json = s.get_json("/ogc/collections/zone/items").await;
    let types: BTreeSet<&str> = json["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["rel"] == "alternate")
        .map(|l| l["type"].as_str().unwrap())
        .collect();
    assert!(
        types.contains("application/vnd.google-earth.kml+xml"),
        "{types:?}"
    );
    assert!(types.contains("application/flatgeobuf"), "{types:?}");
    assert!(
        !types.iter().any(|t| t.starts_with("text/csv")),
        "{types:?}"
    );
}

#[tokio::test]
async fn each_collection_links_the_whole_layer_in_every_format_it_fits() {
    let s = TestServer::fixture().await;
    let collections = s.get_json("/ogc/collections").await;
    for c in collections["collections"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let ds = s.state.data.load();
        let layer = ds.layer(id).unwrap();
        let expected: BTreeSet<String> = contactline::export::Format::ALL
            .into_iter()
            .filter(|f| *f != contactline::export::Format::GeoJson && f.fits(layer))
            .map(|f| f.media_type().to_owned())
            .collect();
        let enclosures: Vec<&Value> = c["links"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["rel"] == "enclosure")
            .collect();
        let types: BTreeSet<String> = enclosures
            .iter()
            .map(|l| l["type"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(types, expected, "{id}");
        for l in enclosures {
            let href = l["href"].as_str().unwrap();
            let resp = client().get(href).send().await.unwrap();
            assert_eq!(resp.status().as_u16(), 200, "{href}");
            assert_eq!(
                resp.headers()["content-type"],
                l["type"].as_str().unwrap(),
                "{href}"
            );
        }
    }
}
