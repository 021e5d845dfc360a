//! OGC API – Features over real HTTP: the resources and their links against
//! the fixture data set, then GDAL's `OAPIF` driver (`ogrinfo`, `ogr2ogr`)
//! reading every layer of the fixture and of the curated `geodata/`.
//!
//! The GDAL tests need `gdal-bin` (CI installs it); set
//! `CONTACTLINE_SKIP_GDAL=1` to skip them on a machine without it.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::{
    client, config, fixture_dir, gdal, gdal_skipped, real_geodata_dir, TestServer,
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
async fn conformance_declares_core_and_geojson_but_not_openapi_3_0() {
    let s = TestServer::fixture().await;
    let (status, _, body) = get_json(&s.url("/ogc/conformance")).await;
    assert_eq!(status, 200);
    let classes: Vec<&str> = body["conformsTo"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for c in ["core", "geojson"] {
        let uri = format!("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{c}");
        assert!(classes.contains(&uri.as_str()), "missing {uri}");
    }
    // The API definition is generated as OpenAPI 3.1, which the `oas30`
    // class (an OpenAPI 3.0 definition) does not describe.
    assert_eq!(classes.len(), 2, "{classes:?}");
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
        ("f=html", "f"),
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
