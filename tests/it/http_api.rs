//! The HTTP API over real HTTP against the fixture data set: every endpoint,
//! the verdict's known answers, every class of bad input (each a 4xx JSON
//! error, the server still serving after), the batch round trips, reload
//! keeping the old data on failure. The `OpenAPI` document is checked
//! against real answers in `openapi.rs`.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use std::path::Path;

use crate::common::{client, config, fixture_dir, CsvTable, TestServer};
use contactline::config::Config;
use serde_json::{json, Value};

async fn get(s: &TestServer, path: &str) -> (u16, Value) {
    let resp = client().get(s.url(path)).send().await.expect("request");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, body)
}

async fn post(
    s: &TestServer,
    path: &str,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> (u16, String) {
    let resp = client()
        .post(s.url(path))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("request");
    (resp.status().as_u16(), resp.text().await.expect("body"))
}

async fn locate(s: &TestServer, query: &str) -> Value {
    let (status, body) = get(s, &format!("/api/v1/locate?{query}")).await;
    assert_eq!(status, 200, "{query}: {body}");
    body
}

/// Asserts a 4xx JSON error of the house shape and returns its `error` object.
fn assert_client_error(status: u16, text: &str, expected: u16, what: &str) -> Value {
    assert_eq!(status, expected, "{what}: {text}");
    let body: Value =
        serde_json::from_str(text).unwrap_or_else(|_| panic!("{what}: error is not JSON: {text}"));
    let e = &body["error"];
    assert!(
        e["code"].as_str().is_some_and(|c| !c.is_empty()),
        "{what}: no code in {body}"
    );
    assert!(
        e["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{what}: no message in {body}"
    );
    e.clone()
}

async fn assert_still_serving(s: &TestServer) {
    let (status, body) = get(s, "/healthz").await;
    assert_eq!((status, body), (200, json!("ok")));
}

// ---------------------------------------------------------------------------
// Every endpoint and the verdict's known answers.

#[tokio::test]
async fn every_endpoint_answers_on_the_fixture() {
    let s = TestServer::fixture().await;
    for path in [
        "/healthz",
        "/api/v1/openapi.json",
        "/api/v1/dataset",
        "/api/v1/layers/zone",
        "/api/v1/layers/settlements.geojson?date=2022-03-25&download=1",
        "/api/v1/locate?lat=39.80&lon=46.75&date=2022-03-01",
        "/api/v1/locate?lat=39.80&lon=46.75",
        "/api/v1/places?q=centre",
        "/api/v1/parse?q=39.80,46.75",
        "/ogc",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/zone",
        "/ogc/collections/zone/items",
        "/ogc/collections/zone/items/zone-v1",
    ] {
        let (status, body) = get(&s, path).await;
        assert_eq!(status, 200, "{path}: {body}");
    }
    let (status, body) = post(
        &s,
        "/api/v1/locate",
        "application/json",
        r#"[{"lat":39.8,"lon":46.75}]"#,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(&s, "/api/v1/locate", "text/csv", "lat,lon\n39.8,46.75\n").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(
        &s,
        "/api/v1/annotate?date=2022-03-01",
        "text/plain",
        "Shots were fired near Centre.",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, ds) = get(&s, "/api/v1/dataset").await;
    assert_eq!(ds["dataset_version"], s.state.data.load().version.as_str());
    assert_eq!(ds["layers"].as_array().unwrap().len(), 6);
}

#[tokio::test]
async fn the_centre_village_is_inside_the_zone_and_far_from_its_edge() {
    let s = TestServer::fixture().await;
    let v = locate(&s, "lat=39.80&lon=46.75&date=2022-03-01").await;
    assert_eq!(v["status"], "inside_zone");
    assert_eq!(v["in_area_of_responsibility"], true);
    assert!(
        v["distance_to_boundary_m"].as_f64().unwrap() < -5000.0,
        "{v}"
    );
    assert_eq!(v["near_boundary"], false);
    assert!(v["boundary_accuracy_m"].as_f64().unwrap() > 0.0);
    assert_eq!(v["zone_version"]["id"], "zone-v1");
    assert_eq!(v["nearest_places"][0]["id"], "centre");
    assert_eq!(v["nearest_places"].as_array().unwrap().len(), 3);
    assert!(!v["sources"].as_array().unwrap().is_empty());
    assert_eq!(v["dataset_version"], s.state.data.load().version.as_str());
}

#[tokio::test]
async fn the_compact_form_gives_the_same_verdict_without_timeline_or_sources() {
    let s = TestServer::fixture().await;
    let full = locate(&s, "lat=39.80&lon=46.75&date=2022-03-01").await;
    let compact = locate(&s, "lat=39.80&lon=46.75&date=2022-03-01&compact=1").await;
    for key in [
        "status",
        "distance_to_boundary_m",
        "boundary_accuracy_m",
        "near_boundary",
        "dataset_version",
    ] {
        assert_eq!(compact[key], full[key], "{key}");
    }
    assert_eq!(compact["zone_version"], full["zone_version"]["id"]);
    assert!(compact.get("timeline").is_none() && compact.get("sources").is_none());
    let (status, body) = get(&s, "/api/v1/locate?lat=39.80&lon=46.75&compact=yes").await;
    assert_client_error(status, &body.to_string(), 400, "compact=yes");
}

#[tokio::test]
async fn large_answers_are_gzipped_on_request_and_small_ones_go_as_they_are_all_typed() {
    let s = TestServer::fixture().await;
    let fetch = |path: &'static str| {
        let url = s.url(path);
        async move {
            let resp = client()
                .get(url)
                .header("accept-encoding", "gzip")
                .send()
                .await
                .expect("request");
            assert_eq!(resp.status().as_u16(), 200, "{path}");
            let header = |name: &str| {
                resp.headers()
                    .get(name)
                    .map(|v| v.to_str().unwrap().to_owned())
            };
            (
                header("content-encoding"),
                header("vary"),
                header("content-type"),
            )
        }
    };
    let (encoding, vary, _) = fetch("/api/v1/openapi.json").await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert_eq!(vary.as_deref(), Some("accept-encoding"));
    let (encoding, vary, ctype) =
        fetch("/api/v1/locate?lat=39.8&lon=46.8&date=2021-06-01&compact=1").await;
    assert_eq!(encoding, None);
    assert_eq!(vary, None);
    assert_eq!(ctype.as_deref(), Some("application/json"));
    // The full report is over 1 KB: gzipped, and still JSON.
    let (encoding, _, ctype) = fetch("/api/v1/locate?lat=39.8&lon=46.8&date=2021-06-01").await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert_eq!(ctype.as_deref(), Some("application/json"));
}

#[tokio::test]
async fn a_point_beyond_the_ring_is_outside_and_not_near_the_boundary() {
    let s = TestServer::fixture().await;
    let v = locate(&s, "lat=39.80&lon=46.95&date=2022-03-01").await;
    assert_eq!(v["status"], "outside");
    assert_eq!(v["in_area_of_responsibility"], false);
    assert!(
        v["distance_to_boundary_m"].as_f64().unwrap() > 5000.0,
        "{v}"
    );
    assert_eq!(v["near_boundary"], false);
}

#[tokio::test]
async fn points_either_side_of_the_east_edge_are_near_the_boundary() {
    let s = TestServer::fixture().await;
    let inside = locate(&s, "lat=39.80&lon=46.845&date=2022-03-01").await;
    assert_eq!(inside["status"], "inside_zone");
    assert!(inside["distance_to_boundary_m"].as_f64().unwrap() < 0.0);
    assert_eq!(inside["near_boundary"], true);
    let outside = locate(&s, "lat=39.80&lon=46.855&date=2022-03-01").await;
    assert_eq!(outside["status"], "outside");
    assert!(outside["distance_to_boundary_m"].as_f64().unwrap() > 0.0);
    assert_eq!(outside["near_boundary"], true);
    // The caller's own uncertainty makes even the centre a near-boundary answer.
    let vague = locate(
        &s,
        "lat=39.80&lon=46.75&date=2022-03-01&uncertainty_m=20000",
    )
    .await;
    assert_eq!(vague["status"], "inside_zone");
    assert_eq!(vague["near_boundary"], true);
}

#[tokio::test]
async fn dates_outside_the_zone_period_have_no_zone() {
    let s = TestServer::fixture().await;
    for date in ["2019-01-01", "2020-11-09", "2023-09-20", "2024-01-01"] {
        let v = locate(&s, &format!("lat=39.80&lon=46.75&date={date}")).await;
        assert_eq!(v["status"], "no_zone", "{date}: {v}");
    }
    let first = locate(&s, "lat=39.80&lon=46.75&date=2020-11-10").await;
    assert_eq!(first["status"], "inside_zone");
}

#[tokio::test]
async fn the_corridor_road_west_of_the_zone_is_inside_the_corridor() {
    let s = TestServer::fixture().await;
    let v = locate(&s, "lat=39.80&lon=46.50&date=2022-04-01").await;
    assert_eq!(v["status"], "inside_corridor");
    assert_eq!(v["in_area_of_responsibility"], true);
    assert_eq!(v["corridor_version"]["id"], "corridor-v1");
}

#[tokio::test]
async fn a_village_lost_in_march_2022_changes_status_on_its_timeline() {
    let s = TestServer::fixture().await;
    let before = locate(&s, "lat=39.85&lon=46.80&date=2022-03-24").await;
    assert_eq!(before["status"], "inside_zone");
    let after = locate(&s, "lat=39.85&lon=46.80&date=2022-03-25").await;
    assert_eq!(after["status"], "outside");
    assert_eq!(after["zone_version"]["id"], "zone-v2");
    let undated = locate(&s, "lat=39.85&lon=46.80").await;
    assert!(undated.get("status").is_none(), "{undated}");
    let timeline: Vec<(Value, Value, Value)> = undated["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["from"].clone(), t["to"].clone(), t["status"].clone()))
        .collect();
    assert!(
        timeline.contains(&(
            json!("2020-11-10"),
            json!("2022-03-25"),
            json!("inside_zone")
        )),
        "{timeline:?}"
    );
    assert!(
        timeline.contains(&(json!("2022-03-25"), json!("2023-09-20"), json!("outside"))),
        "{timeline:?}"
    );
    // The dated answer carries the same timeline.
    assert_eq!(before["timeline"], undated["timeline"]);
}

#[tokio::test]
async fn flat_settlements_carry_each_name_by_language_and_the_status_on_the_date() {
    let s = TestServer::fixture().await;
    let status_of = |fc: &Value, id: &str| {
        let f = fc["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .cloned()
            .unwrap();
        f["properties"].clone()
    };
    let (code, before) = get(
        &s,
        "/api/v1/layers/settlements?date=2022-03-24&columns=flat",
    )
    .await;
    assert_eq!(code, 200, "{before}");
    let ne = status_of(&before, "zone-ne");
    assert_eq!(ne["status_on_date"], "zone");
    assert_eq!(ne["date"], "2022-03-24");
    assert_eq!(
        (
            &ne["name_en"],
            &ne["name_hy"],
            &ne["name_az"],
            &ne["name_ru"]
        ),
        (
            &json!("Zone Ne"),
            &json!("Zone Ne hy"),
            &json!("Zone Ne az"),
            &json!("Zone Ne ru")
        )
    );
    // Flat: no property is an object or an array.
    for f in before["features"].as_array().unwrap() {
        for (k, v) in f["properties"].as_object().unwrap() {
            assert!(!v.is_object() && !v.is_array(), "{k} is not flat: {v}");
        }
    }
    let (_, after) = get(
        &s,
        "/api/v1/layers/settlements?date=2022-03-25&columns=flat",
    )
    .await;
    assert_eq!(status_of(&after, "zone-ne")["status_on_date"], "azerbaijan");

    // Without a date: every version, flat, and no status to give.
    let (code, all) = get(&s, "/api/v1/layers/settlements?columns=flat").await;
    assert_eq!(code, 200, "{all}");
    let ne = status_of(&all, "zone-ne");
    assert!(ne.get("status_on_date").is_none(), "{ne}");
    assert_eq!(ne["name_en"], "Zone Ne");
    // Any layer has the flat form: the zone's nested fields become text.
    let (code, zone) = get(&s, "/api/v1/layers/zone?date=2022-03-24&columns=flat").await;
    assert_eq!(code, 200, "{zone}");
    let features = zone["features"].as_array().unwrap();
    assert_eq!(features.len(), 1, "one zone version on a day");
    for (k, v) in features[0]["properties"].as_object().unwrap() {
        assert!(!v.is_object() && !v.is_array(), "{k} is not flat: {v}");
    }
    assert!(features[0]["properties"]["bases"].is_string());
    let (code, body) = get(
        &s,
        "/api/v1/layers/settlements?date=2022-03-24&columns=wide",
    )
    .await;
    let e = assert_client_error(code, &body.to_string(), 400, "an unknown columns value");
    assert_eq!(e["parameter"], "columns");
    assert_still_serving(&s).await;
}

// ---------------------------------------------------------------------------
// Bad input.

#[tokio::test]
async fn every_bad_query_is_a_json_400_naming_the_parameter() {
    let s = TestServer::fixture().await;
    for (query, param) in [
        ("", "lat"),
        ("lon=46.75", "lat"),
        ("lat=39.8", "lon"),
        ("lat=&lon=46.75", "lat"),
        ("lat=north&lon=46.75", "lat"),
        ("lat=39.8&lon=46,75", "lon"),
        ("lat=NaN&lon=46.75", "lat"),
        ("lat=39.8&lon=nan", "lon"),
        ("lat=inf&lon=46.75", "lat"),
        ("lat=39.8&lon=-infinity", "lon"),
        ("lat=1e400&lon=46.75", "lat"),
        ("lat=90.5&lon=46.75", "lat"),
        ("lat=-91&lon=46.75", "lat"),
        ("lat=39.8&lon=180.01", "lon"),
        ("lat=39.8&lon=-200", "lon"),
        ("lat=39.8&lon=46.75&date=2022-02-30", "date"),
        ("lat=39.8&lon=46.75&date=2022-13-01", "date"),
        ("lat=39.8&lon=46.75&date=2021-02-29", "date"),
        ("lat=39.8&lon=46.75&date=25.03.2022", "date"),
        ("lat=39.8&lon=46.75&date=2022-3-25", "date"),
        ("lat=39.8&lon=46.75&date=yesterday", "date"),
        ("lat=39.8&lon=46.75&colour=red", "colour"),
        ("lat=39.8&lon=46.75&latitude=39.8", "latitude"),
        ("lat=39.8&lat=40&lon=46.75", "lat"),
        ("lat=39.8&lon=46.75&uncertainty_m=lots", "uncertainty_m"),
        ("lat=39.8&lon=46.75&uncertainty_m=-5", "uncertainty_m"),
        ("lat=39.8&lon=46.75&uncertainty_m=1e9", "uncertainty_m"),
        ("lat=%ZZ&lon=46.75", "lat"),
        // However long the query, the first unknown name is the error.
        (
            "lat=39.8&lon=46.75&a=1&b=1&c=1&d=1&e=1&f=1&g=1&h=1&i=1&j=1&k=1&l=1&m=1&n=1&o=1",
            "a",
        ),
    ] {
        let resp = client()
            .get(s.url(&format!("/api/v1/locate?{query}")))
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        let e = assert_client_error(status, &text, 400, query);
        assert_eq!(e["code"], "invalid_parameter", "{query}");
        assert_eq!(e["parameter"], param, "{query}: {e}");
    }
    for (path, param) in [
        ("/api/v1/layers/zone?date=2022-02-30", "date"),
        ("/api/v1/layers/zone?when=today", "when"),
    ] {
        let (status, body) = get(&s, path).await;
        let e = assert_client_error(status, &body.to_string(), 400, path);
        assert_eq!(e["parameter"], param);
    }
    let (status, body) = get(&s, "/api/v1/layers/nope").await;
    assert_client_error(status, &body.to_string(), 404, "unknown layer");
    assert_still_serving(&s).await;
}

#[tokio::test]
async fn malformed_json_batches_are_4xx_errors_naming_the_row() {
    let s = TestServer::fixture().await;
    for (body, expected, row) in [
        ("[{\"lat\": 39.8, \"lon\": 46.75", 400, None),
        ("{\"lat\": 39.8, \"lon\": 46.75}", 400, None),
        ("not json", 400, None),
        ("", 400, None),
        ("[{\"lat\": 39.8, \"lon\": 46.75, \"colour\": \"red\"}]", 400, None),
        ("[{\"lat\": 39.8}]", 400, None),
        // An array row would be read field by field: [lon, lat] as a wrong point.
        ("[[46.75, 39.8]]", 400, None),
        ("[{\"lat\": 39.8, \"lon\": 46.75}, [39.8, 46.75]]", 400, None),
        ("[{\"lat\": 39.8, \"lon\": 46.75}, {\"lat\": true, \"lon\": 46.75}]", 422, Some(2)),
        ("[{\"lat\": 39.8, \"lon\": 46.75}, {\"lat\": \"abc\", \"lon\": 46.75}]", 422, Some(2)),
        ("[{\"lat\": 39.8, \"lon\": 46.75}, {\"lat\": \"NaN\", \"lon\": 46.75}]", 422, Some(2)),
        ("[{\"lat\": 95, \"lon\": 46.75}]", 422, Some(1)),
        ("[{\"lat\": 39.8, \"lon\": 46.75}, {\"lat\": 39.8, \"lon\": 46.75}, {\"lat\": 39.8, \"lon\": 46.75, \"date\": \"2022-02-30\"}]", 422, Some(3)),
    ] {
        let (status, text) = post(&s, "/api/v1/locate", "application/json", body).await;
        let e = assert_client_error(status, &text, expected, body);
        if let Some(row) = row {
            assert_eq!(e["row"], row, "{body}: {e}");
            assert!(e["message"].as_str().unwrap().contains(&format!("row {row}")), "{e}");
        }
    }
    assert_still_serving(&s).await;
}

#[tokio::test]
async fn malformed_csv_rows_are_422s_naming_the_row_number() {
    let s = TestServer::fixture().await;
    for (body, row) in [
        ("lat,lon\n39.8,46.75\n39.8,46.75,extra\n", 2),
        ("lat,lon\n39.8,46.75\n39.8,46.75\nnorth,46.75\n", 3),
        ("lat,lon\n39.8,inf\n", 1),
        (
            "lat,lon,date\n39.8,46.75,2022-03-01\n39.8,46.75,2022-02-30\n",
            2,
        ),
        ("name,lat,lon\n\"a\",39.8,46.75\n\"b,39.8,46.75\n", 2),
        ("lat,lon\n39.8,200\n", 1),
    ] {
        let (status, text) = post(&s, "/api/v1/locate", "text/csv", body).await;
        let e = assert_client_error(status, &text, 422, body);
        assert_eq!(e["row"], row, "{body}: {e}");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains(&format!("row {row}")),
            "{e}"
        );
    }
    for body in ["name,value\na,1\n", "", "lon\n46.75\n"] {
        let (status, text) = post(&s, "/api/v1/locate", "text/csv", body).await;
        assert_client_error(status, &text, 400, body);
    }
    assert_still_serving(&s).await;
}

#[tokio::test]
async fn a_wrong_content_type_is_415() {
    let s = TestServer::fixture().await;
    for ctype in [
        "text/plain",
        "application/xml",
        "application/x-www-form-urlencoded",
    ] {
        let (status, text) = post(&s, "/api/v1/locate", ctype, "lat=39.8&lon=46.75").await;
        let e = assert_client_error(status, &text, 415, ctype);
        assert_eq!(e["code"], "unsupported_media_type");
    }
    let (status, text) = post(&s, "/api/v1/annotate", "application/json", "{}").await;
    assert_client_error(status, &text, 415, "annotate with JSON");
    assert_still_serving(&s).await;
}

#[tokio::test]
async fn too_many_rows_are_a_json_413() {
    let s = TestServer::start(small_limits()).await;
    let four = r#"[{"lat":39.8,"lon":46.75},{"lat":39.8,"lon":46.75},{"lat":39.8,"lon":46.75},{"lat":39.8,"lon":46.75}]"#;
    let (status, text) = post(&s, "/api/v1/locate", "application/json", four).await;
    let e = assert_client_error(status, &text, 413, "four JSON rows");
    assert_eq!(e["code"], "too_large");
    assert!(e["message"].as_str().unwrap().contains('3'), "{e}");
    let four_csv = "lat,lon\n1,1\n2,2\n3,3\n4,4\n";
    let (status, text) = post(&s, "/api/v1/locate", "text/csv", four_csv).await;
    assert_client_error(status, &text, 413, "four CSV rows");
    let three = "lat,lon\n1,1\n2,2\n3,3\n";
    let (status, text) = post(&s, "/api/v1/locate", "text/csv", three).await;
    assert_eq!(status, 200, "{text}");
    assert_still_serving(&s).await;
}

/// A server that takes at most 2 KiB bodies and 3 batch rows.
fn small_limits() -> Config {
    Config {
        max_body_bytes: 2048,
        max_batch_rows: 3,
        ..config(&fixture_dir())
    }
}

#[tokio::test]
async fn an_oversize_body_is_a_json_413() {
    let s = TestServer::start(small_limits()).await;
    let article = "Shots near Centre. ".repeat(200);
    let (status, text) = post(&s, "/api/v1/annotate", "text/plain", article).await;
    let e = assert_client_error(status, &text, 413, "oversize article");
    assert_eq!(e["code"], "too_large");
    let row = r#"{"lat": 39.8, "lon": 46.75},"#;
    let big = format!("[{}{{\"lat\": 39.8, \"lon\": 46.75}}]", row.repeat(100));
    assert!(big.len() > 2048);
    let (status, text) = post(&s, "/api/v1/locate", "application/json", big).await;
    let e = assert_client_error(status, &text, 413, "oversize JSON batch");
    assert_eq!(e["code"], "too_large");
    let big_csv = format!("lat,lon\n{}", "39.8,46.75\n".repeat(300));
    let (status, text) = post(&s, "/api/v1/locate", "text/csv", big_csv).await;
    assert_client_error(status, &text, 413, "oversize CSV batch");
    assert_still_serving(&s).await;
}

// ---------------------------------------------------------------------------
// Batch round trips.

#[tokio::test]
async fn a_csv_batch_comes_back_in_order_with_every_column_kept_and_the_verdict_appended() {
    let s = TestServer::fixture().await;
    let input = "name,lat,lon,date,note\n\
                 Centre,39.80,46.75,2022-03-01,\"quoted, with a comma\"\n\
                 East of the ring,39.80,46.95,2022-03-01,\n\
                 Zone NE after,39.85,46.80,2022-03-25,x\n\
                 Before the zone,39.80,46.75,2019-01-01,\n\
                 Corridor road,39.80,46.50,2022-04-01,y\n\
                 Undated,39.80,46.75,,z\n";
    let (status, text) = post(&s, "/api/v1/locate", "text/csv", input).await;
    assert_eq!(status, 200, "{text}");
    let table = CsvTable::read(text.as_bytes());
    let header = &table.header;
    let mut expected_header: Vec<String> = ["name", "lat", "lon", "date", "note"]
        .map(String::from)
        .to_vec();
    expected_header.extend(contactline::locate::batch::columns().iter().cloned());
    expected_header.push("error".into());
    assert_eq!(header, &expected_header);
    let rows = &table.rows;
    let col = |name: &str| table.col(name);
    let names: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(
        names,
        [
            "Centre",
            "East of the ring",
            "Zone NE after",
            "Before the zone",
            "Corridor road",
            "Undated"
        ]
    );
    let statuses: Vec<&str> = rows.iter().map(|r| &r[col("status")]).collect();
    assert_eq!(
        statuses,
        [
            "inside_zone",
            "outside",
            "outside",
            "no_zone",
            "inside_corridor",
            ""
        ]
    );
    assert_eq!(&rows[0][col("note")], "quoted, with a comma");
    assert_eq!(&rows[0][col("lat")], "39.80");
    assert_eq!(&rows[2][col("zone_version")], "zone-v2");
    assert_eq!(&rows[0][col("nearest_place")], "Centre");
    assert_eq!(&rows[5][col("note")], "z");
    let version = s.state.data.load().version.clone();
    assert!(rows.iter().all(|r| r[col("dataset_version")] == *version));
}

#[tokio::test]
async fn a_json_batch_answers_in_input_order_with_ids_echoed() {
    let s = TestServer::fixture().await;
    let input = json!([
        { "id": "c", "lat": 39.80, "lon": 46.75, "date": "2022-03-01" },
        { "id": 7, "lat": "39.80", "lon": "46.95", "date": "2022-03-01" },
        { "id": "ne", "lat": 39.85, "lon": 46.80, "date": "2022-03-24" },
        { "id": "ne-after", "lat": 39.85, "lon": 46.80, "date": "2022-03-25" },
        { "lat": 39.80, "lon": 46.75 }
    ]);
    let (status, text) = post(&s, "/api/v1/locate", "application/json", input.to_string()).await;
    assert_eq!(status, 200, "{text}");
    let out: Vec<Value> = serde_json::from_str(&text).unwrap();
    let ids: Vec<&Value> = out.iter().map(|v| &v["id"]).collect();
    assert_eq!(
        ids,
        [
            &json!("c"),
            &json!(7),
            &json!("ne"),
            &json!("ne-after"),
            &Value::Null
        ]
    );
    let statuses: Vec<&Value> = out.iter().map(|v| &v["status"]).collect();
    assert_eq!(
        statuses,
        [
            &json!("inside_zone"),
            &json!("outside"),
            &json!("inside_zone"),
            &json!("outside"),
            &Value::Null
        ]
    );
    assert_eq!(out[3]["zone_version"], "zone-v2");
}

#[tokio::test]
async fn csv_batch_cells_a_spreadsheet_would_run_are_quoted_unless_raw_is_asked() {
    let s = TestServer::fixture().await;
    let input = "=label,lat,lon,date,amount,note\n\
                 @SUM(A1),39.80,46.75,2022-03-01,-12.5,\"-2+3\"\n\
                 plain,-12.5,46.75,2022-03-01,+3,\"\t=1\"\n";
    let read = |text: &str| -> Vec<Vec<String>> {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        r.records()
            .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
            .collect()
    };
    let (status, text) = post(&s, "/api/v1/locate", "text/csv", input).await;
    assert_eq!(status, 200, "{text}");
    let safe = read(&text);
    assert_eq!(
        safe[0][..6],
        ["'=label", "lat", "lon", "date", "amount", "note"]
    );
    // Text cells quoted; numbers (-12.5, +3) stay numbers.
    assert_eq!(
        safe[1][..6],
        [
            "'@SUM(A1)",
            "39.80",
            "46.75",
            "2022-03-01",
            "-12.5",
            "'-2+3"
        ]
    );
    assert_eq!(safe[2][4..6], ["+3", "'\t=1"]);
    assert_eq!(safe[2][1], "-12.5");
    let (status, text) = post(&s, "/api/v1/locate?csv_formulas=raw", "text/csv", input).await;
    assert_eq!(status, 200, "{text}");
    let raw = read(&text);
    assert_eq!(raw[0][0], "=label");
    assert_eq!(raw[1][0], "@SUM(A1)");
    assert_eq!(raw[1][5], "-2+3");
    assert_eq!(raw[2][5], "\t=1");
    // The verdict columns are the same either way.
    assert_eq!(raw[1][6..], safe[1][6..]);
    let (status, text) = post(&s, "/api/v1/locate?csv_formulas=off", "text/csv", input).await;
    let e = assert_client_error(status, &text, 400, "csv_formulas=off");
    assert_eq!(e["parameter"], "csv_formulas");
}

#[tokio::test]
async fn duplicate_or_ambiguous_coordinate_columns_are_a_422_naming_them() {
    let s = TestServer::fixture().await;
    for (header, named) in [
        ("lat,lat,lon", "lat ('lat', 'lat')"),
        ("lat,latitude,lon", "lat ('lat', 'latitude')"),
        ("Lat,lon,lng", "lon ('lon', 'lng')"),
        ("lat,lon,date,Date", "date ('date', 'Date')"),
    ] {
        let fields = header.split(',').count();
        let row = vec!["39.8"; fields].join(",");
        let body = format!("{header}\n{row}\n");
        let (status, text) = post(&s, "/api/v1/locate", "text/csv", body).await;
        let e = assert_client_error(status, &text, 422, header);
        assert_eq!(e["code"], "unprocessable", "{header}");
        assert!(
            e["message"].as_str().unwrap().contains(named),
            "{header}: {e}"
        );
    }
    assert_still_serving(&s).await;
}

#[tokio::test]
async fn an_input_column_named_like_an_answer_column_is_answered_once() {
    let s = TestServer::fixture().await;
    let input = "lat,lon,date,status,Error\n39.80,46.75,2022-03-01,outside,old\n";
    let (status, text) = post(&s, "/api/v1/locate", "text/csv", input).await;
    assert_eq!(status, 200, "{text}");
    let table = CsvTable::read(text.as_bytes());
    let mut expected: Vec<String> = ["lat", "lon", "date"].map(String::from).to_vec();
    expected.extend(contactline::locate::batch::columns().iter().cloned());
    expected.push("error".into());
    assert_eq!(table.header, expected);
    let row = &table.rows[0];
    assert_eq!(&row[3], "inside_zone");
}

#[tokio::test]
async fn a_layer_csv_takes_the_formula_switch_and_refuses_other_values() {
    let s = TestServer::fixture().await;
    let (status, safe) = get(&s, "/api/v1/layers/settlements?format=csv").await;
    assert_eq!(status, 200);
    let (status, raw) = get(&s, "/api/v1/layers/settlements?format=csv&csv_formulas=raw").await;
    assert_eq!(status, 200);
    // The fixture's names start with letters: nothing to neutralise.
    assert_eq!(safe, raw);
    let (status, body) = get(&s, "/api/v1/layers/settlements?format=csv&csv_formulas=x").await;
    let e = assert_client_error(status, &body.to_string(), 400, "csv_formulas=x");
    assert_eq!(e["parameter"], "csv_formulas");
}

// ---------------------------------------------------------------------------
// Reload.

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[tokio::test]
async fn a_failed_reload_keeps_serving_the_old_dataset_version() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture_dir(), tmp.path());
    let s = TestServer::start(config(tmp.path())).await;
    let (_, before) = get(&s, "/api/v1/dataset").await;
    let version = before["dataset_version"].as_str().unwrap().to_owned();
    std::fs::write(tmp.path().join("settlements.geojson"), "{ not geojson").unwrap();
    let err = contactline::reload::reload(&s.state)
        .await
        .expect_err("a corrupt file must fail the reload");
    assert!(
        err.to_string().contains("settlements.geojson")
            || format!("{err:?}").contains("settlements.geojson"),
        "{err:?}"
    );
    let (status, after) = get(&s, "/api/v1/dataset").await;
    assert_eq!(status, 200);
    assert_eq!(after["dataset_version"], version.as_str());
    let v = locate(&s, "lat=39.80&lon=46.75&date=2022-03-01").await;
    assert_eq!(v["status"], "inside_zone");
    assert_eq!(v["dataset_version"], version.as_str());
    // Mending the file and reloading again swaps the data in.
    copy_dir(&fixture_dir(), tmp.path());
    let incidents = tmp.path().join("incidents.geojson");
    let text = std::fs::read_to_string(&incidents)
        .unwrap()
        .replace("A one-day incident", "One day");
    std::fs::write(&incidents, text).unwrap();
    let new = contactline::reload::reload(&s.state)
        .await
        .expect("reload of valid data");
    assert_ne!(new, version);
    let (_, reloaded) = get(&s, "/api/v1/dataset").await;
    assert_eq!(reloaded["dataset_version"], new.as_str());
}

#[tokio::test]
async fn a_place_asked_by_name_counts_its_own_accuracy_as_uncertainty() {
    let s = TestServer::fixture().await;
    let by_name = s
        .get_json("/api/v1/locate?q=Centre&date=2021-01-01&compact=1")
        .await;
    let place_accuracy = by_name["resolved"]["accuracy_m"]
        .as_f64()
        .expect("accuracy");
    assert!(place_accuracy > 0.0, "{by_name}");
    let [lon, lat] = [0, 1].map(|i| {
        by_name["resolved"]["coordinates"][i]
            .as_f64()
            .expect("coordinate")
    });
    let point = |u: f64| {
        format!("/api/v1/locate?lat={lat}&lon={lon}&date=2021-01-01&compact=1&uncertainty_m={u}")
    };
    let by_point = s.get_json(&point(0.0)).await;
    let margin = by_point["distance_to_boundary_m"]
        .as_f64()
        .expect("distance")
        .abs()
        - by_point["boundary_accuracy_m"].as_f64().expect("accuracy");
    // An uncertainty just short of the margin: the point alone is not near
    // the boundary, the named place (whose point may be off by its accuracy) is.
    let u = margin - place_accuracy / 2.0;
    assert!(u > 0.0, "{by_point}");
    assert_eq!(s.get_json(&point(u)).await["near_boundary"], false);
    let named = s
        .get_json(&format!(
            "/api/v1/locate?q=Centre&date=2021-01-01&compact=1&uncertainty_m={u}"
        ))
        .await;
    assert_eq!(named["near_boundary"], true, "{named}");
}
