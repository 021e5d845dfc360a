//! The names routes in process (`oneshot` on `server::app`) over a tiny
//! hand-made dataset: `/api/v1/places`, `/api/v1/parse`, `/api/v1/annotate`
//! and `/api/v1/locate?q=`, including bad input.

#![allow(clippy::needless_pass_by_value)] // fixtures read better with owned json! values

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use contactline::config::Config;
use contactline::dataset::{Dataset, Feature, RawData};
use contactline::date::{Day, Validity};
use contactline::state::AppState;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

fn feature(
    id: &str,
    geometry: geo::Geometry<f64>,
    bbox: [f64; 4],
    validity: Validity,
    props: Value,
) -> Feature {
    let Value::Object(properties) = props else {
        panic!("object")
    };
    Feature {
        id: id.into(),
        validity,
        bbox,
        geometry,
        properties,
        json: serde_json::value::to_raw_value(&serde_json::json!({})).expect("raw"),
    }
}

fn settlement(id: &str, display: &str, lon: f64, lat: f64, names: Value, alt: &[&str]) -> Feature {
    feature(
        id,
        geo::Geometry::Point(geo::Point::new(lon, lat)),
        [lon, lat, lon, lat],
        Validity::default(),
        json!({
            "id": id, "display_name": display, "kind": "village", "names": names, "alt_names": alt,
            "control": [
                {"from": "2020-11-10", "to": "2022-03-25", "status": "zone", "sources": []},
                {"from": "2022-03-25", "to": null, "status": "azerbaijan", "sources": []}
            ],
            "accuracy_m": 500, "sources": [{"title": "t", "url": "u"}]
        }),
    )
}

/// Two settlements (Parukh, Stepanakert) in one zone: the tiny data set the
/// names routes and the card's few-places test use.
pub(crate) fn dataset() -> Dataset {
    let layer = |id: &str, gt: &str| {
        json!({
            "id": id, "title": id, "description": "", "geometry_type": gt, "files": [], "licence": "CC-BY-4.0",
            "sources": [{"title": "t", "url": "u"}], "accuracy_m": 500
        })
    };
    let catalog = serde_json::from_value(json!({
        "title": "fixture", "description": "", "licence": "", "attribution": "", "versions_file": "versions.json",
        "layers": [layer("zone", "MultiPolygon"), layer("settlements", "Point")]
    }))
    .expect("catalog");
    let versions = serde_json::from_value(json!({"zone_versions": [], "corridor_versions": []}))
        .expect("versions");
    let square = geo::Polygon::new(
        geo::LineString::from(vec![
            (46.0, 39.0),
            (47.5, 39.0),
            (47.5, 40.5),
            (46.0, 40.5),
            (46.0, 39.0),
        ]),
        vec![],
    );
    let zone = feature(
        "zone-1",
        geo::Geometry::Polygon(square),
        [46.0, 39.0, 47.5, 40.5],
        Validity {
            valid_from: Day::from_ymd(2020, 11, 10),
            valid_to: Day::from_ymd(2023, 9, 20),
        },
        json!({"id": "zone-1", "title": "zone", "accuracy_m": 1000, "sources": [{"title": "t", "url": "u"}]}),
    );
    let places = vec![
        settlement(
            "parukh",
            "Parukh / Farrukh",
            46.8011,
            40.0194,
            json!({"en": ["Parukh", "Farrukh"], "hy": ["Փառուխ"], "az": ["Fərrux"], "ru": ["Фаррух"]}),
            &["Farukh", "Furukh"],
        ),
        settlement(
            "stepanakert",
            "Stepanakert / Khankendi",
            46.7519,
            39.8153,
            json!({"en": ["Stepanakert", "Khankendi"], "hy": ["Ստեփանակերտ"], "az": ["Xankəndi"], "ru": ["Степанакерт"]}),
            &[],
        ),
    ];
    Dataset::from_raw(RawData {
        catalog,
        versions,
        layers: vec![vec![zone], places],
        content_hash: "fixture".into(),
    })
    .expect("dataset")
}

async fn call(req: Request<Body>) -> (StatusCode, Value) {
    let config = Config {
        max_body_bytes: 64 * 1024,
        ..Config::default()
    };
    let app = contactline::server::app(AppState::new(dataset(), config));
    let resp = app.oneshot(req).await.expect("response");
    let status = resp.status();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn get(uri: &str) -> (StatusCode, Value) {
    call(Request::get(uri).body(Body::empty()).expect("request")).await
}

fn post(uri: &str, ctype: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, ctype)
        .body(body.into())
        .expect("request")
}

#[tokio::test]
async fn places_ranks_every_spelling_of_parukh_first() {
    for q in ["Փառուխ", "Фаррух", "Fərrux", "Farukh", "Parukh", "Faruk"] {
        let uri = format!("/api/v1/places?q={}&limit=2", urlencode(q));
        let (status, body) = get(&uri).await;
        assert_eq!(status, StatusCode::OK, "{q}: {body}");
        assert_eq!(body["results"][0]["id"], "parukh", "{q}: {body}");
        assert!(body["results"][0]["matched"]["how"].is_string());
        assert_eq!(body["results"][0]["coordinates"], json!([46.8011, 40.0194]));
        assert!(body["results"].as_array().expect("array").len() <= 2);
    }
}

#[tokio::test]
async fn places_rejects_missing_queries_and_bad_limits() {
    for uri in [
        "/api/v1/places",
        "/api/v1/places?q=",
        "/api/v1/places?q=a&limit=51",
        "/api/v1/places?q=a&limit=x",
        "/api/v1/places?q=a&foo=1",
    ] {
        let (status, body) = get(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(body["error"]["code"], "invalid_parameter", "{uri}");
    }
    // Too small and too large state the same bounds, the documented ones.
    for limit in ["0", "51", "x"] {
        let (_, body) = get(&format!("/api/v1/places?q=a&limit={limit}")).await;
        assert_eq!(
            body["error"]["message"], "limit must be a whole number from 1 to 50",
            "limit={limit}"
        );
    }
}

#[tokio::test]
async fn parse_reads_notations_and_explains_failures() {
    let (status, body) =
        get("/api/v1/parse?q=40%C2%B001%E2%80%B210%E2%80%B3N%2046%C2%B048%E2%80%B204%E2%80%B3E")
            .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["notation"], "dms");
    let (status, body) = get("/api/v1/parse?q=39%2C8153%2046%2C7519").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["readings"][0]["coordinates"],
        json!([46.7519, 39.8153])
    );
    let (_, body) = get("/api/v1/parse?q=46.80,40.02").await;
    assert_eq!(body["ambiguous"], true);
    assert_eq!(body["readings"].as_array().expect("readings").len(), 2);
    let (status, body) = get("/api/v1/parse?q=95N,46E").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"]
            .as_str()
            .expect("message")
            .contains("latitude 95"),
        "{body}"
    );
}

#[tokio::test]
async fn annotate_finds_places_with_their_status_on_the_article_date() {
    let text = "Stepanakert, 24 March 2022. Troops entered Farukh. В Степанакерте спокойно.";
    let (status, body) = call(post("/api/v1/annotate", "text/plain; charset=utf-8", text)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["date"], "2022-03-24");
    assert_eq!(body["date_source"], "article");
    let mentions = body["mentions"].as_array().expect("mentions");
    assert_eq!(mentions.len(), 3);
    assert_eq!(mentions[1]["place"]["id"], "parukh");
    assert_eq!(mentions[1]["place"]["status"], "inside_zone");
    assert_eq!(mentions[1]["place"]["control"], "zone");
    let (_, body) = call(post("/api/v1/annotate?date=2022-04-01", "text/plain", text)).await;
    assert_eq!(body["mentions"][1]["place"]["control"], "azerbaijan");
}

#[tokio::test]
async fn annotate_rejects_bad_input() {
    let (status, body) = call(post("/api/v1/annotate", "application/json", "{}")).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    let (status, _) = call(post("/api/v1/annotate", "text/plain", vec![0xff, 0xfe])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = call(post("/api/v1/annotate", "text/plain", "  ")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = call(post(
        "/api/v1/annotate?date=2022-02-30",
        "text/plain",
        "Farukh",
    ))
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = call(post(
        "/api/v1/annotate",
        "text/plain",
        "x".repeat(contactline::annotate::MAX_TEXT_BYTES + 1),
    ))
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn locate_takes_a_place_name_or_a_notation() {
    // A word for "village" in a journalist's own language is read past.
    for q in ["Farrukh", "с. Фаррух", "Parukh village", "Fərrux kəndi"] {
        let uri = format!("/api/v1/locate?q={}&date=2022-03-20", urlencode(q));
        let (status, body) = get(&uri).await;
        assert_eq!(status, StatusCode::OK, "{q}: {body}");
        assert_eq!(body["resolved"]["place_id"], "parukh", "{q}: {body}");
    }
    let (status, body) = get("/api/v1/locate?q=46.80,40.02&date=2022-03-20").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["resolved"]["ambiguous"], true);
    assert_eq!(body["resolved"]["coordinates"], json!([46.8, 40.02]));
    let (status, body) = get("/api/v1/locate?q=Moscow").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["error"]["code"], "not_found");
}

/// `locate?q=` answers for a place only when the search is confident of it
/// (the score from which `places` says a result may be taken without
/// asking); below that it is a 404 naming the closest places, not an
/// answer about what may be another place.
#[tokio::test]
async fn locate_answers_for_a_name_only_when_the_match_is_confident() {
    let (mut confident, mut guesses) = (0, 0);
    for q in [
        "Farrukh",
        "Stepankert",
        "Stepanakrt",
        "Karukh",
        "Barukh",
        "Parakh",
        "Xankendy",
        "Stepanyan",
    ] {
        let (_, places) = get(&format!("/api/v1/places?q={}&limit=1", urlencode(q))).await;
        let Some(top) = places["results"].get(0) else {
            continue;
        };
        let score = top["score"].as_f64().unwrap();
        let (status, body) = get(&format!(
            "/api/v1/locate?q={}&date=2022-03-20",
            urlencode(q)
        ))
        .await;
        if score >= places["scores"]["confident"].as_f64().unwrap() {
            confident += 1;
            assert_eq!(status, StatusCode::OK, "{q}: {body}");
            assert_eq!(body["resolved"]["place_id"], top["id"], "{q}");
        } else {
            guesses += 1;
            assert_eq!(status, StatusCode::NOT_FOUND, "{q} ({score}): {body}");
            let message = body["error"]["message"].as_str().unwrap();
            assert!(
                message.contains(top["display_name"].as_str().unwrap()),
                "{q}: {message}"
            );
        }
    }
    // Both kinds were met, or the test checked nothing.
    assert!(
        confident >= 2 && guesses >= 1,
        "{confident} confident, {guesses} guesses"
    );
}

#[tokio::test]
async fn a_search_with_no_plausible_match_answers_an_empty_list_with_the_score_scale() {
    let (status, body) = get("/api/v1/places?q=xqzv").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["count"], 0);
    assert_eq!(body["results"], json!([]));
    assert_eq!(
        body["scores"]["min"],
        json!(contactline::gazetteer::MIN_SCORE)
    );
    assert_eq!(
        body["scores"]["confident"],
        json!(contactline::gazetteer::CONFIDENT_SCORE)
    );
    let (status, body) = get("/api/v1/locate?q=xqzv&date=2022-03-20").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["error"]["code"], "not_found");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
