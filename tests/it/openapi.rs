//! The generated `OpenAPI` document against real responses over real HTTP:
//! every operation it lists is called (its answers and its errors), and each
//! answer's status and content type must be documented for that operation
//! and its JSON body must validate against the documented schema
//! (`jsonschema`, resolving `$ref`s within the document). The table of
//! calls must cover the document's operations exactly, so a route added to
//! a router (and so to the document) fails here until it is exercised. The
//! document itself is an `insta` snapshot, so every change to the API's
//! contract shows in review.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use std::collections::BTreeSet;

use crate::common::{client, TestServer};
use serde_json::{json, Value};

/// One call: method, path template (as in the document), the concrete
/// path and query, and the body with its content type.
struct Call {
    method: &'static str,
    template: &'static str,
    url: &'static str,
    body: Option<(&'static str, &'static str)>,
    expect: u16,
}

const fn get(template: &'static str, url: &'static str, expect: u16) -> Call {
    Call {
        method: "get",
        template,
        url,
        body: None,
        expect,
    }
}

const fn post(
    template: &'static str,
    url: &'static str,
    ctype: &'static str,
    body: &'static str,
    expect: u16,
) -> Call {
    Call {
        method: "post",
        template,
        url,
        body: Some((ctype, body)),
        expect,
    }
}

/// Answers and errors of every operation, on the fixture data set.
const CALLS: &[Call] = &[
    get("/healthz", "/healthz", 200),
    get("/readyz", "/readyz", 200),
    get("/metrics", "/metrics", 200),
    get("/", "/", 200),
    get("/", "/?pt=39.80,46.75&date=2022-03-01", 200),
    get("/api/v1/openapi.json", "/api/v1/openapi.json", 200),
    // The full report, the compact verdict, a name, and bad input.
    get(
        "/api/v1/locate",
        "/api/v1/locate?lat=39.80&lon=46.75&date=2022-03-01",
        200,
    ),
    get("/api/v1/locate", "/api/v1/locate?lat=39.80&lon=46.75", 200),
    get(
        "/api/v1/locate",
        "/api/v1/locate?lat=39.80&lon=46.75&date=2022-03-01&compact=1",
        200,
    ),
    get(
        "/api/v1/locate",
        "/api/v1/locate?q=Centre&date=2022-03-01",
        200,
    ),
    get("/api/v1/locate", "/api/v1/locate?q=Centre&compact=1", 200),
    get("/api/v1/locate", "/api/v1/locate?lat=91&lon=46.75", 400),
    get(
        "/api/v1/locate",
        "/api/v1/locate?latitude=39.8&lon=46.75",
        400,
    ),
    post(
        "/api/v1/locate",
        "/api/v1/locate",
        "application/json",
        r#"[{"id":"a","lat":39.8,"lon":46.75,"date":"2022-03-01"},{"lat":39.9,"lon":46.6}]"#,
        200,
    ),
    post(
        "/api/v1/locate",
        "/api/v1/locate",
        "text/csv",
        "name,lat,lon\nx,39.8,46.75\n",
        200,
    ),
    post(
        "/api/v1/locate",
        "/api/v1/locate",
        "application/json",
        r#"[{"lat":"north","lon":46.75}]"#,
        422,
    ),
    post(
        "/api/v1/locate",
        "/api/v1/locate",
        "text/csv",
        "lat,lon\n39.8\n",
        422,
    ),
    post(
        "/api/v1/locate",
        "/api/v1/locate",
        "application/xml",
        "<a/>",
        415,
    ),
    get("/api/v1/dataset", "/api/v1/dataset", 200),
    get("/api/v1/dataset", "/api/v1/dataset?v=0123abcd", 410),
    get(
        "/api/v1/layers/{id}",
        "/api/v1/layers/zone?date=2022-03-01",
        200,
    ),
    get(
        "/api/v1/layers/{id}",
        "/api/v1/layers/settlements.geojson?download=1",
        200,
    ),
    get(
        "/api/v1/layers/{id}",
        "/api/v1/layers/settlements?date=2022-03-01&columns=flat",
        200,
    ),
    get("/api/v1/layers/{id}", "/api/v1/layers/zone.kml", 200),
    get(
        "/api/v1/layers/{id}",
        "/api/v1/layers/settlements?format=csv&lang=hy",
        200,
    ),
    get("/api/v1/layers/{id}", "/api/v1/layers/zone?format=fgb", 200),
    get("/api/v1/layers/{id}", "/api/v1/layers/zone?format=csv", 400),
    get(
        "/api/v1/layers/{id}",
        "/api/v1/layers/zone?columns=flat&format=kml",
        400,
    ),
    get("/api/v1/layers/{id}", "/api/v1/layers/zone?v=0123abcd", 410),
    get("/api/v1/layers/{id}", "/api/v1/layers/nowhere", 404),
    get(
        "/api/v1/layers/{id}",
        "/api/v1/layers/zone?date=2022-02-30",
        400,
    ),
    get("/api/v1/dataset/bundle", "/api/v1/dataset/bundle", 200),
    get("/api/v1/dataset/bundle", "/api/v1/dataset/bundle?x=1", 400),
    get(
        "/api/v1/card",
        "/api/v1/card?lat=39.80&lon=46.75&date=2022-03-01",
        200,
    ),
    get(
        "/api/v1/card",
        "/api/v1/card?q=Centre&date=2022-03-01&format=svg&size=square",
        200,
    ),
    get("/api/v1/card", "/api/v1/card?lat=39.80&lon=46.75", 400),
    get(
        "/api/v1/card",
        "/api/v1/card?q=Zzyzxqwv&date=2022-03-01",
        404,
    ),
    get("/api/v1/locate", "/api/v1/locate?q=Zzyzxqwv", 404),
    get("/api/v1/places", "/api/v1/places?q=centre&limit=3", 200),
    get("/api/v1/places", "/api/v1/places?limit=3", 400),
    get("/api/v1/parse", "/api/v1/parse?q=39.80,46.75", 200),
    get("/api/v1/parse", "/api/v1/parse?q=not%20a%20place", 400),
    post(
        "/api/v1/annotate",
        "/api/v1/annotate?date=2022-03-01",
        "text/plain",
        "Shots were fired near Centre at 39.80, 46.75.",
        200,
    ),
    post(
        "/api/v1/annotate",
        "/api/v1/annotate",
        "text/plain",
        " ",
        400,
    ),
    post(
        "/api/v1/annotate",
        "/api/v1/annotate",
        "application/json",
        "{}",
        415,
    ),
    get("/ogc", "/ogc", 200),
    get("/ogc", "/ogc?f=html", 200),
    get("/ogc", "/ogc?f=xml", 400),
    get("/ogc/conformance", "/ogc/conformance", 200),
    get("/ogc/collections", "/ogc/collections?f=json", 200),
    get(
        "/ogc/collections/{collectionId}",
        "/ogc/collections/zone",
        200,
    ),
    get(
        "/ogc/collections/{collectionId}",
        "/ogc/collections/nowhere",
        404,
    ),
    get(
        "/ogc/collections/{collectionId}/items",
        "/ogc/collections/zone/items?limit=1",
        200,
    ),
    get(
        "/ogc/collections/{collectionId}/items",
        "/ogc/collections/zone/items?bbox=1,2,3",
        400,
    ),
    get(
        "/ogc/collections/{collectionId}/queryables",
        "/ogc/collections/settlements/queryables",
        200,
    ),
    get(
        "/ogc/collections/{collectionId}/queryables",
        "/ogc/collections/nowhere/queryables",
        404,
    ),
    get(
        "/ogc/collections/{collectionId}/items",
        "/ogc/collections/settlements/items?limit=2&sortby=-id&f=html",
        200,
    ),
    get(
        "/ogc/collections/{collectionId}/items/{featureId}",
        "/ogc/collections/zone/items/zone-v1",
        200,
    ),
    get(
        "/ogc/collections/{collectionId}/items/{featureId}",
        "/ogc/collections/zone/items/nothing",
        404,
    ),
];

/// The document as served.
async fn served_document(s: &TestServer) -> Value {
    let resp = client()
        .get(s.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    resp.json().await.unwrap()
}

/// JSON pointer escaping of one reference token (RFC 6901).
fn token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// A `$ref` is a URI: a JSON pointer goes in its fragment percent-encoded
/// (path templates hold `{id}`, and braces are not fragment characters).
const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%');

/// Validates `instance` against the schema at `pointer` in `doc`, resolving
/// `$ref`s against the document; the validation errors, if any.
fn violations(doc: &Value, pointer: &str, instance: &Value) -> Vec<String> {
    // The document is the root resource; the schema is reached by `$ref`.
    let mut root = doc.clone();
    let fragment = percent_encoding::utf8_percent_encode(pointer, FRAGMENT);
    root["$ref"] = json!(format!("#{fragment}"));
    let validator = jsonschema::draft202012::options()
        .build(&root)
        .unwrap_or_else(|e| panic!("schema at {pointer} does not compile: {e}"));
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[tokio::test]
async fn every_answer_of_every_operation_matches_its_documented_schema() {
    let s = TestServer::fixture().await;
    let doc = served_document(&s).await;
    assert_eq!(doc["openapi"], "3.1.0");

    // The calls cover exactly the documented operations.
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    let called: BTreeSet<(String, String)> = CALLS
        .iter()
        .map(|c| (c.method.to_owned(), c.template.to_owned()))
        .collect();
    assert_eq!(
        called, documented,
        "the calls in tests/it/openapi.rs must exercise every documented operation"
    );

    let mut failures = Vec::new();
    for call in CALLS {
        let url = s.url(call.url);
        let mut req = match call.method {
            "get" => client().get(&url),
            _ => client().post(&url),
        };
        if let Some((ctype, body)) = call.body {
            req = req.header("content-type", ctype).body(body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let ctype = resp.headers()["content-type"].to_str().unwrap().to_owned();
        let text = resp.text().await.unwrap();
        let what = format!(
            "{} {} -> {status} {ctype}",
            call.method.to_uppercase(),
            call.url
        );
        assert_eq!(status, call.expect, "{what}: {text}");

        let op = format!("/paths/{}/{}", token(call.template), call.method);
        let responses = doc.pointer(&format!("{op}/responses")).unwrap();
        let Some(response) = responses.get(status.to_string()) else {
            failures.push(format!("{what}: status not documented"));
            continue;
        };
        // The documented media type the answer's type starts with
        // (`text/csv; charset=utf-8` is `text/csv`).
        let Some(media) = response["content"]
            .as_object()
            .and_then(|c| c.keys().find(|m| ctype.starts_with(m.as_str())))
        else {
            failures.push(format!("{what}: content type not documented"));
            continue;
        };
        let instance = if ctype.contains("json") {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: not JSON ({e})"))
        } else {
            Value::String(text)
        };
        let pointer = format!("{op}/responses/{status}/content/{}/schema", token(media));
        for v in violations(&doc, &pointer, &instance) {
            failures.push(format!("{what}: {v}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn the_compact_verdict_and_the_full_report_are_told_apart_by_the_schema() {
    let s = TestServer::fixture().await;
    let doc = served_document(&s).await;
    let pointer = "/paths/~1api~1v1~1locate/get/responses/200/content/application~1json/schema";
    let compact: Value = client()
        .get(s.url("/api/v1/locate?lat=39.80&lon=46.75&date=2022-03-01&compact=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // The answer is exactly one of the two alternatives; a compact row
    // without its coordinates is neither.
    assert_eq!(violations(&doc, pointer, &compact), Vec::<String>::new());
    let mut broken = compact.clone();
    broken.as_object_mut().unwrap().remove("lat");
    assert!(!violations(&doc, pointer, &broken).is_empty());
}

/// The schema the document gives a query parameter of a GET operation.
fn parameter_schema<'a>(doc: &'a Value, path: &str, name: &str) -> &'a Value {
    doc["paths"][path]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{path} documents no {name}"))
        .get("schema")
        .unwrap()
}

/// Documented bounds are the enforced ones: a value at a documented
/// maximum is answered, one past it refused; every value a documented
/// pattern allows is answered, and one it forbids refused. A bound changed
/// on one side only fails here.
#[tokio::test]
async fn documented_parameter_bounds_are_the_enforced_ones() {
    let s = TestServer::fixture().await;
    let doc = served_document(&s).await;
    let status = |url: String| {
        let url = s.url(&url);
        async move { client().get(url).send().await.unwrap().status().as_u16() }
    };
    let point = "lat=39.80&lon=46.75&date=2022-03-01";
    for path in ["/api/v1/locate", "/api/v1/card"] {
        let max = parameter_schema(&doc, path, "uncertainty_m")["maximum"]
            .as_f64()
            .unwrap();
        assert_eq!(
            status(format!("{path}?{point}&uncertainty_m={max}")).await,
            200
        );
        let over = max + 1.0;
        assert_eq!(
            status(format!("{path}?{point}&uncertainty_m={over}")).await,
            400
        );
    }
    let pattern_cases = [
        (
            "/api/v1/locate",
            "compact",
            format!("/api/v1/locate?{point}"),
            "2",
        ),
        (
            "/ogc/collections/{collectionId}/items",
            "f",
            "/ogc/collections/incidents/items?limit=1".into(),
            "xml",
        ),
        (
            "/ogc/collections/{collectionId}",
            "f",
            "/ogc/collections/incidents?".into(),
            "xml",
        ),
    ];
    for (path, name, base, forbidden) in pattern_cases {
        let pattern = parameter_schema(&doc, path, name)["pattern"]
            .as_str()
            .unwrap();
        // `^(a|b|c)$` or `^[01]$`: list what it allows.
        let inner = pattern.trim_start_matches("^(").trim_end_matches(")$");
        let allowed: Vec<String> = match inner.strip_prefix("^[") {
            Some(class) => class
                .trim_end_matches("]$")
                .chars()
                .map(String::from)
                .collect(),
            None => inner.split('|').map(String::from).collect(),
        };
        assert!(allowed.len() >= 2, "{pattern}");
        for value in &allowed {
            assert_eq!(
                status(format!("{base}&{name}={value}")).await,
                200,
                "{path} {name}={value}"
            );
        }
        assert_eq!(
            status(format!("{base}&{name}={forbidden}")).await,
            400,
            "{path} {name}={forbidden}"
        );
    }
}

#[test]
fn the_document_is_the_reviewed_snapshot() {
    let doc = serde_json::to_value(contactline::api::document()).unwrap();
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn swagger_ui_is_served_from_this_server_and_reads_the_document() {
    let s = TestServer::fixture().await;
    let resp = client().get(s.url("/api/docs/")).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let page = resp.text().await.unwrap();
    assert!(page.contains("swagger-ui"), "{page}");
    // The page's scripts come from this server, not a CDN.
    assert!(!page.contains("https://"), "{page}");
    let init = client()
        .get(s.url("/api/docs/swagger-initializer.js"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(init.contains("\"/api/v1/openapi.json\""), "{init}");
}
