//! The `OpenAPI` 3.0 document for every route of the service, served at
//! `GET /api/v1/openapi.json` (the OGC landing page's `service-desc`).
//!
//! Hand-written with `serde_json` so it says exactly what the handlers do;
//! `tests/http_api.rs` checks it both ways against the real routes (every
//! documented operation answers, every route is documented). Owns only the
//! document: the routes live in their own modules.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use super::ogc::{DEFAULT_LIMIT, MAX_LIMIT, SERVICE_DESC};
use super::AppState;

/// Routes of this group.
pub fn router() -> Router<AppState> {
    // A literal path, so the route check in tests/http_api.rs can read it.
    Router::new().route("/api/v1/openapi.json", get(serve))
}

async fn serve() -> Response {
    (
        [(header::CONTENT_TYPE, SERVICE_DESC.1)],
        document().to_string(),
    )
        .into_response()
}

fn p_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/parameters/{name}") })
}

fn s_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn r_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/responses/{name}") })
}

fn ok(description: &str, media: &str, schema: &Value) -> Value {
    json!({ "description": description, "content": { media: { "schema": schema } } })
}

/// A GET operation answered with JSON (or `media`) that may fail with `errors`.
fn get_op(
    tag: &str,
    id: &str,
    summary: &str,
    params: &[&str],
    success: Value,
    errors: &[&str],
) -> Value {
    let mut responses = serde_json::Map::new();
    responses.insert("200".into(), success);
    for e in errors {
        let (code, name) = error_response(e);
        responses.insert(code.into(), r_ref(name));
    }
    json!({
        "tags": [tag],
        "operationId": id,
        "summary": summary,
        "parameters": params.iter().map(|p| p_ref(p)).collect::<Vec<_>>(),
        "responses": responses,
    })
}

fn error_response(code: &str) -> (&'static str, &'static str) {
    match code {
        "400" => ("400", "BadRequest"),
        "404" => ("404", "NotFound"),
        "413" => ("413", "TooLarge"),
        "415" => ("415", "UnsupportedMediaType"),
        "422" => ("422", "BadRow"),
        _ => ("503", "Overloaded"),
    }
}

/// The `OpenAPI` 3.0 document.
#[allow(clippy::too_many_lines)]
pub fn document() -> Value {
    let ogc_json = |summary: &str, schema: &str| ok(summary, "application/json", &s_ref(schema));
    let paths = json!({
        "/healthz": {
            "get": {
                "tags": ["service"],
                "operationId": "healthz",
                "summary": "Liveness check: answers `ok` while the server is serving.",
                "responses": { "200": ok("The server is up.", "text/plain", &json!({ "type": "string", "example": "ok" })) }
            }
        },
        "/readyz": {
            "get": {
                "tags": ["service"],
                "operationId": "readyz",
                "summary": "Readiness: the data set version served, when it was loaded, and the last reload \
                            (whether it was accepted, and every problem if not). 503 while shutting down.",
                "responses": {
                    "200": ok("Ready.", "application/json", &json!({
                        "type": "object",
                        "required": ["status", "dataset_version", "loaded_at_unix"],
                        "properties": {
                            "status": { "type": "string", "enum": ["ready"] },
                            "dataset_version": { "type": "string" },
                            "loaded_at_unix": { "type": "integer" },
                            "last_reload": {
                                "type": "object",
                                "nullable": true,
                                "required": ["at_unix", "ok", "version", "problems"],
                                "properties": {
                                    "at_unix": { "type": "integer" },
                                    "ok": { "type": "boolean" },
                                    "version": { "type": "string" },
                                    "problems": { "type": "array", "items": { "type": "string" } }
                                }
                            }
                        }
                    })),
                    "503": r_ref("Overloaded")
                }
            }
        },
        "/metrics": {
            "get": {
                "tags": ["service"],
                "operationId": "metrics",
                "summary": "Prometheus metrics (OpenMetrics text): requests by route and status, latency \
                            histograms, batch rows, reloads, the data set version, connections.",
                "responses": { "200": ok("The metrics.", "application/openmetrics-text", &json!({ "type": "string" })) }
            }
        },
        "/api/v1/openapi.json": {
            "get": {
                "tags": ["service"],
                "operationId": "openapi",
                "summary": "This document.",
                "responses": { "200": ok("The OpenAPI 3.0 document.", SERVICE_DESC.1, &json!({ "type": "object" })) }
            }
        },
        "/api/v1/locate": {
            "get": get_op(
                "verdict",
                "locate",
                "Was this point inside the peacekeepers' area of responsibility on this date? Give lat and lon, \
                 or q (a place name or any coordinate notation). Without date, only the timeline is given.",
                &["lat", "lon", "q", "date", "uncertainty_m", "compact"],
                ok("The verdict (with compact=1, the batch row's fields only).", "application/json", &s_ref("Report")),
                &["400", "404", "503"],
            ),
            "post": {
                "tags": ["verdict"],
                "operationId": "locateBatch",
                "summary": "Verdicts for many points, in input order, streamed. CSV in gives CSV out with the \
                            verdict columns appended and every input column kept.",
                "requestBody": {
                    "required": true,
                    "content": {
                        "application/json": {
                            "schema": { "type": "array", "items": s_ref("BatchRow") },
                            "example": [
                                { "id": "a", "lat": 39.8153, "lon": 46.7519, "date": "2022-03-25" },
                                { "id": "b", "lat": 39.9436, "lon": 46.9075 }
                            ]
                        },
                        "text/csv": {
                            "schema": {
                                "type": "string",
                                "description": "A header row with `lat` and `lon` (also `latitude`, `lng`, `long`, \
                                                `longitude`), optional `date` and `uncertainty_m`; other columns are kept."
                            },
                            "example": "name,lat,lon,date\nStepanakert,39.8153,46.7519,2022-03-25\n"
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "One verdict per input row, in input order.",
                        "content": {
                            "application/json": { "schema": { "type": "array", "items": s_ref("BatchVerdict") } },
                            "text/csv": {
                                "schema": {
                                    "type": "string",
                                    "description": "The input columns, then status, distance_to_boundary_m, \
                                                    boundary_accuracy_m, near_boundary, zone_version, nearest_place, \
                                                    nearest_place_distance_m, dataset_version."
                                }
                            }
                        }
                    },
                    "400": r_ref("BadRequest"),
                    "413": r_ref("TooLarge"),
                    "415": r_ref("UnsupportedMediaType"),
                    "422": r_ref("BadRow"),
                    "503": r_ref("Overloaded")
                }
            }
        },
        "/api/v1/dataset": {
            "get": get_op(
                "data",
                "dataset",
                "The catalog: layers, zone and corridor versions, change dates and the dataset version.",
                &[],
                ok("The catalog.", "application/json", &s_ref("Dataset")),
                &["503"],
            )
        },
        "/api/v1/card": {
            "get": {
                "tags": ["data"],
                "operationId": "card",
                "summary": "The verdict card for a point on a date: a picture with a map excerpt, the verdict in words, \
                            distance and accuracy, data version, permalink and attribution.",
                "parameters": (["lat", "lon", "q", "cardDate", "uncertainty_m", "cardLang", "cardFormat", "cardSize"]
                    .iter().map(|p| p_ref(p)).collect::<Vec<_>>()),
                "responses": {
                    "200": { "description": "The card.", "content": {
                        "image/png": { "schema": { "type": "string", "format": "binary" } },
                        "image/svg+xml": { "schema": { "type": "string" } } } },
                    "400": r_ref("BadRequest"), "404": r_ref("NotFound"), "503": r_ref("Overloaded")
                }
            }
        },
        "/api/v1/dataset/bundle": {
            "get": {
                "tags": ["data"],
                "operationId": "bundle",
                "summary": "The whole data set as a zip: every layer in every format, catalog, README, licence, SHA256SUMS.",
                "responses": {
                    "200": { "description": "The bundle, named by the data set version.", "content": {
                        "application/zip": { "schema": { "type": "string", "format": "binary" } } } },
                    "400": r_ref("BadRequest"), "503": r_ref("Overloaded")
                }
            }
        },
        "/": {
            "get": {
                "tags": ["data"],
                "operationId": "page",
                "summary": "The map. A permalink with a checked point (date, pt=LAT,LON) carries Open Graph tags \
                            previewing the verdict.",
                "responses": {
                    "200": { "description": "The map's page.", "content": { "text/html": { "schema": { "type": "string" } } } },
                    "503": r_ref("Overloaded")
                }
            }
        },
        "/api/v1/layers/{id}": {
            "get": get_op(
                "data",
                "layer",
                "One layer as a GeoJSON FeatureCollection, optionally only the features valid on a date.",
                &["layerId", "layerDate", "download", "layerColumns", "layerFormat", "layerLang"],
                json!({ "description": "The layer, in the format asked for.", "content": {
                    "application/geo+json": { "schema": s_ref("FeatureCollection") },
                    "application/vnd.google-earth.kml+xml": { "schema": { "type": "string" } },
                    "text/csv": { "schema": { "type": "string" } },
                    "application/flatgeobuf": { "schema": { "type": "string", "format": "binary" } } } }),
                &["400", "404", "503"],
            )
        },
        "/api/v1/places": {
            "get": get_op(
                "names",
                "places",
                "Ranked place search over every name, alternate and historic spelling, in any script, \
                 tolerant of typos and transliteration variants; prefixes work for type-ahead.",
                &["placeQuery", "placeLimit"],
                ok("Matching places, best first.", "application/json", &s_ref("Places")),
                &["400", "503"],
            )
        },
        "/api/v1/parse": {
            "get": get_op(
                "names",
                "parse",
                "Reads a coordinate in any usual notation (decimal, DMS, DDM, map URLs, GeoJSON, MGRS/UTM); \
                 ambiguous input gives every reading.",
                &["coordQuery"],
                ok("The point(s) understood and the notation.", "application/json", &s_ref("Parsed")),
                &["400", "503"],
            )
        },
        "/api/v1/annotate": {
            "post": {
                "tags": ["names"],
                "operationId": "annotate",
                "summary": "Finds every gazetteer place and coordinate mentioned in a text, with spans and \
                            zone status on the date (or the article's own date).",
                "parameters": [p_ref("annotateDate")],
                "requestBody": {
                    "required": true,
                    "content": {
                        "text/plain": {
                            "schema": { "type": "string" },
                            "example": "Azerbaijani forces entered Farrukh on 24 March 2022."
                        }
                    }
                },
                "responses": {
                    "200": ok("The mentions found.", "application/json", &s_ref("Annotation")),
                    "400": r_ref("BadRequest"),
                    "413": r_ref("TooLarge"),
                    "415": r_ref("UnsupportedMediaType"),
                    "503": r_ref("Overloaded")
                }
            }
        },
        "/ogc": {
            "get": get_op("ogc", "ogcLanding", "OGC API – Features landing page.", &["f"],
                ogc_json("Links to the API definition, conformance and collections.", "LandingPage"), &["400", "503"])
        },
        "/ogc/conformance": {
            "get": get_op("ogc", "ogcConformance", "The conformance classes implemented.", &["f"],
                ogc_json("Conformance classes.", "Conformance"), &["400", "503"])
        },
        "/ogc/collections": {
            "get": get_op("ogc", "ogcCollections", "Every layer as a feature collection.", &["f"],
                ogc_json("The collections.", "Collections"), &["400", "503"])
        },
        "/ogc/collections/{collectionId}": {
            "get": get_op("ogc", "ogcCollection", "One collection.", &["collectionId", "f"],
                ogc_json("The collection.", "Collection"), &["400", "404", "503"])
        },
        "/ogc/collections/{collectionId}/items": {
            "get": get_op(
                "ogc",
                "ogcItems",
                "The features of a collection, filtered by bbox and datetime (against the validity dates), \
                 paged with limit and offset and next/prev links.",
                &["collectionId", "bbox", "datetime", "limit", "offset", "f"],
                ok("A page of features.", "application/geo+json", &s_ref("ItemsPage")),
                &["400", "404", "503"],
            )
        },
        "/ogc/collections/{collectionId}/items/{featureId}": {
            "get": get_op("ogc", "ogcItem", "One feature.", &["collectionId", "featureId", "f"],
                ok("The feature.", "application/geo+json", &s_ref("Feature")), &["400", "404", "503"])
        }
    });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "contactline",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Was a point inside the 2020-2023 Russian peacekeeping zone in Nagorno-Karabakh on a date? \
                            The dated verdict, the sourced layers, place and coordinate search, and OGC API – Features. \
                            Every error is JSON: {\"error\": {\"code\", \"message\"}}.",
            "license": { "name": "MIT (code); see /api/v1/dataset for the data licence" }
        },
        "servers": [{ "url": "/" }],
        "tags": [
            { "name": "verdict", "description": "The dated verdict for points." },
            { "name": "data", "description": "The catalog and layers." },
            { "name": "names", "description": "Place search, coordinate notations, annotation." },
            { "name": "ogc", "description": "OGC API – Features, Part 1." },
            { "name": "service", "description": "Health and this document." }
        ],
        "paths": paths,
        "components": {
            "parameters": parameters(),
            "schemas": schemas(),
            "responses": responses(),
        }
    })
}

// Callers build both values inline; taking them by value reads better there.
#[allow(clippy::needless_pass_by_value)]
fn query_param(
    name: &str,
    description: &str,
    required: bool,
    schema: Value,
    example: Value,
) -> Value {
    json!({
        "name": name, "in": "query", "required": required, "description": description,
        "schema": schema, "example": example
    })
}

fn path_param(name: &str, description: &str, example: &str) -> Value {
    json!({
        "name": name, "in": "path", "required": true, "description": description,
        "schema": { "type": "string" }, "example": example
    })
}

fn date_schema() -> Value {
    json!({ "type": "string", "format": "date" })
}

fn parameters() -> Value {
    json!({
        "lat": query_param("lat", "Latitude in degrees, -90 to 90 (required unless q is given).", false,
            json!({ "type": "number", "minimum": -90, "maximum": 90 }), json!(39.8153)),
        "lon": query_param("lon", "Longitude in degrees, -180 to 180 (required unless q is given).", false,
            json!({ "type": "number", "minimum": -180, "maximum": 180 }), json!(46.7519)),
        "q": query_param("q", "A place name or a coordinate in any notation, instead of lat and lon.", false,
            json!({ "type": "string" }), json!("Stepanakert")),
        "date": query_param("date", "The day (YYYY-MM-DD); without it, the timeline only.", false,
            date_schema(), json!("2022-03-25")),
        "uncertainty_m": query_param("uncertainty_m", "Your own location uncertainty in metres, 0 to 100000, \
            added to the boundary accuracy when deciding near_boundary.", false,
            json!({ "type": "number", "minimum": 0, "maximum": 100_000, "default": 0 }), json!(0)),
        "compact": query_param("compact", "1 for the compact form (the batch row's fields: status, distance, \
            accuracy, near_boundary, zone_version, nearest place) without timeline, places or sources.", false,
            json!({ "type": "string", "enum": ["0", "1", "true", "false"] }), json!("1")),
        "layerId": path_param("id", "Layer id (see /api/v1/dataset); a `.geojson` suffix is allowed.", "zone"),
        "layerDate": query_param("date", "Only the features valid on this day.", false, date_schema(), json!("2022-03-25")),
        "download": query_param("download", "Any value but 0 adds Content-Disposition: attachment.", false,
            json!({ "type": "string" }), json!("1")),
        "layerFormat": query_param("format", "geojson (default), kml, csv (point layers) or fgb (FlatGeobuf).", false,
            json!({ "type": "string", "enum": ["geojson", "kml", "csv", "fgb"] }), json!("geojson")),
        "layerLang": query_param("lang", "Language of the name column and KML labels.", false,
            json!({ "type": "string", "enum": ["display", "en", "hy", "az", "ru"] }), json!("display")),
        "cardDate": query_param("date", "The day of the verdict (YYYY-MM-DD).", true, date_schema(), json!("2022-03-25")),
        "cardLang": query_param("lang", "Language of place names.", false,
            json!({ "type": "string", "enum": ["display", "en", "hy", "az", "ru"] }), json!("hy")),
        "cardFormat": query_param("format", "png (default) or svg.", false,
            json!({ "type": "string", "enum": ["png", "svg"] }), json!("png")),
        "cardSize": query_param("size", "social (1200x630, default), square, narrow or WxH with sides 300 to 2400.", false,
            json!({ "type": "string", "pattern": "^(social|square|narrow|[0-9]{3,4}x[0-9]{3,4})$" }), json!("social")),
        "layerColumns": query_param("columns", "`flat`: the export table's columns as GeoJSON properties for GIS styling \
            (name in `lang`, name_en/name_hy/name_az/name_ru, alt_names, source_url, nested values as JSON text; \
            with a date, each place's status_on_date); `full` (default): the features as stored.", false,
            json!({ "type": "string", "enum": ["full", "flat"], "default": "full" }), json!("flat")),
        "placeQuery": query_param("q", "Name or prefix, in any script or spelling.", true,
            json!({ "type": "string" }), json!("Farrukh")),
        "placeLimit": query_param("limit", "Most results.", false,
            json!({ "type": "integer", "minimum": 1, "maximum": super::names::MAX_LIMIT, "default": super::names::DEFAULT_LIMIT }), json!(5)),
        "coordQuery": query_param("q", "The coordinate text.", true,
            json!({ "type": "string" }), json!("40°01′10″N 46°48′04″E")),
        "annotateDate": query_param("date", "Date for the zone status of the places found (else the article's own date).", false,
            date_schema(), json!("2022-03-24")),
        "f": query_param("f", "Output format; only json is served.", false,
            json!({ "type": "string", "enum": ["json"] }), json!("json")),
        "collectionId": path_param("collectionId", "Collection (layer) id.", "zone"),
        "featureId": path_param("featureId", "Feature id within the collection.", "zone-2020-11-10"),
        "bbox": {
            "name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
            "description": "minLon,minLat,maxLon,maxLat in CRS84; features whose geometry intersects it. \
                            minLon > maxLon crosses the antimeridian.",
            "schema": { "type": "array", "minItems": 4, "maxItems": 4, "items": { "type": "number" } },
            "example": [46.5, 39.5, 47.0, 40.0]
        },
        "datetime": query_param("datetime",
            "An instant (2022-03-25 or 2022-03-25T00:00:00Z) or a closed interval a/b, ../b or a/..; \
             matches features valid (valid_from inclusive, valid_to exclusive) on at least one day of it. \
             Times are reduced to their calendar date.",
            false, json!({ "type": "string" }), json!("2022-03-25")),
        "limit": query_param("limit", "Features per page; larger values are served as the maximum.", false,
            json!({ "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT }), json!(DEFAULT_LIMIT)),
        "offset": query_param("offset", "Matched features to skip (the next link sets it).", false,
            json!({ "type": "integer", "minimum": 0, "default": 0 }), json!(0)),
    })
}

#[allow(clippy::too_many_lines)]
fn schemas() -> Value {
    let source = json!({ "type": "object", "required": ["title", "url"],
        "properties": { "title": { "type": "string" }, "url": { "type": "string" } } });
    let version_ref = json!({ "type": "object", "nullable": true, "properties": {
        "id": { "type": "string" }, "title": { "type": "string" },
        "valid_from": { "type": "string", "format": "date", "nullable": true },
        "valid_to": { "type": "string", "format": "date", "nullable": true } } });
    let status = json!({ "type": "string", "enum": ["inside_zone", "inside_corridor", "outside", "no_zone"] });
    let link = json!({ "type": "object", "required": ["href", "rel"], "properties": {
        "href": { "type": "string" }, "rel": { "type": "string" }, "type": { "type": "string" },
        "title": { "type": "string" } } });
    merge(vec![
        json!({
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": { "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": { "type": "string", "enum": ["invalid_parameter", "bad_body", "bad_row", "too_large",
                            "not_found", "unsupported_media_type", "overloaded", "internal"] },
                        "message": { "type": "string", "description": "What is wrong, for people." },
                        "parameter": { "type": "string", "description": "The parameter at fault (invalid_parameter)." },
                        "row": { "type": "integer", "description": "1-based data row, header excluded (bad_row)." }
                    }
                } },
                "example": { "error": { "code": "invalid_parameter", "message": "lat must be between -90 and 90, got 91", "parameter": "lat" } }
            },
            "Source": source,
            "Link": link,
            "Status": status
        }),
        json!({
            "Report": {
                "type": "object",
                "required": ["query", "summary", "nearest_places", "timeline", "sources", "dataset_version"],
                "properties": {
                    "query": { "type": "object", "properties": {
                        "lat": { "type": "number" }, "lon": { "type": "number" },
                        "date": { "type": "string", "format": "date", "nullable": true },
                        "uncertainty_m": { "type": "number" } } },
                    "status": s_ref("Status"),
                    "in_area_of_responsibility": { "type": "boolean" },
                    "summary": { "type": "string" },
                    "distance_to_boundary_m": { "type": "number", "nullable": true, "description": "Signed: negative inside." },
                    "boundary_accuracy_m": { "type": "number", "nullable": true },
                    "near_boundary": { "type": "boolean", "nullable": true },
                    "nearest_boundary_point": { "type": "array", "nullable": true, "items": { "type": "number" } },
                    "zone_version": version_ref.clone(),
                    "corridor_version": version_ref,
                    "nearest_places": { "type": "array", "items": { "type": "object", "properties": {
                        "id": { "type": "string" }, "name": { "type": "string" },
                        "names": { "type": "object", "additionalProperties": { "type": "string" } },
                        "coordinates": { "type": "array", "items": { "type": "number" } },
                        "distance_m": { "type": "number" }, "bearing_deg": { "type": "number" },
                        "direction": { "type": "string" }, "control_status": { "type": "string" } } } },
                    "timeline": { "type": "array", "items": { "type": "object", "properties": {
                        "from": { "type": "string", "format": "date", "nullable": true },
                        "to": { "type": "string", "format": "date", "nullable": true },
                        "status": s_ref("Status"),
                        "distance_to_boundary_m": { "type": "number", "nullable": true },
                        "boundary_accuracy_m": { "type": "number", "nullable": true },
                        "near_boundary": { "type": "boolean" },
                        "zone_version": { "type": "string", "nullable": true },
                        "corridor_version": { "type": "string", "nullable": true } } } },
                    "sources": { "type": "array", "items": s_ref("Source"),
                        "description": "Sources of the zone version in force and, where the point is near enough for the corridor to decide, of the corridor version." },
                    "dataset_version": { "type": "string" },
                    "resolved": { "type": "object", "description": "What q resolved to (with q only)." }
                }
            }
        }),
        json!({
            "BatchRow": {
                "type": "object",
                "required": ["lat", "lon"],
                "additionalProperties": false,
                "properties": {
                    "lat": { "oneOf": [{ "type": "number" }, { "type": "string" }] },
                    "lon": { "oneOf": [{ "type": "number" }, { "type": "string" }] },
                    "date": { "type": "string", "format": "date", "nullable": true },
                    "id": { "description": "Echoed back unchanged." },
                    "uncertainty_m": { "type": "number", "nullable": true }
                }
            },
            "BatchVerdict": {
                "type": "object",
                "properties": {
                    "id": {}, "lat": { "type": "number" }, "lon": { "type": "number" },
                    "date": { "type": "string", "format": "date", "nullable": true },
                    "status": { "allOf": [s_ref("Status")], "nullable": true },
                    "distance_to_boundary_m": { "type": "number", "nullable": true },
                    "boundary_accuracy_m": { "type": "number", "nullable": true },
                    "near_boundary": { "type": "boolean", "nullable": true },
                    "zone_version": { "type": "string", "nullable": true },
                    "nearest_place": { "type": "string", "nullable": true },
                    "nearest_place_distance_m": { "type": "number", "nullable": true }
                }
            }
        }),
        json!({
            "Dataset": {
                "type": "object",
                "required": ["dataset_version", "layers"],
                "properties": {
                    "title": { "type": "string" }, "description": { "type": "string" },
                    "licence": { "type": "string" }, "attribution": { "type": "string" },
                    "dataset_version": { "type": "string" },
                    "zone_period": { "type": "object" },
                    "change_dates": { "type": "array", "items": { "type": "string", "format": "date" } },
                    "zone_versions": { "type": "array", "items": { "type": "object" } },
                    "corridor_versions": { "type": "array", "items": { "type": "object" } },
                    "basemap_style": { "type": "string", "nullable": true },
                    "layers": { "type": "array", "items": { "type": "object", "properties": {
                        "id": { "type": "string" }, "title": { "type": "string" }, "description": { "type": "string" },
                        "geometry_type": { "type": "string" }, "accuracy_m": { "type": "number" },
                        "licence": { "type": "string" }, "sources": { "type": "array", "items": s_ref("Source") },
                        "feature_count": { "type": "integer" },
                        "bbox": { "type": "array", "nullable": true, "items": { "type": "number" } },
                        "derived": { "type": "boolean" }, "href": { "type": "string" },
                        "formats": { "type": "array", "items": { "type": "string", "enum": ["geojson", "kml", "csv", "fgb"] } } } } }
                }
            }
        }),
        json!({
            "Feature": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": { "type": "string", "enum": ["Feature"] },
                    "id": { "type": "string" },
                    "geometry": { "type": "object" },
                    "properties": { "type": "object", "description": "id, valid_from, valid_to (exclusive), sources, \
                        accuracy_m and the layer's own fields (see geodata/SCHEMA.md)." },
                    "links": { "type": "array", "items": s_ref("Link") }
                }
            },
            "FeatureCollection": {
                "type": "object",
                "required": ["type", "features"],
                "properties": {
                    "type": { "type": "string", "enum": ["FeatureCollection"] },
                    "features": { "type": "array", "items": s_ref("Feature") }
                }
            },
            "ItemsPage": {
                "type": "object",
                "required": ["type", "features", "links", "numberMatched", "numberReturned", "timeStamp"],
                "properties": {
                    "type": { "type": "string", "enum": ["FeatureCollection"] },
                    "features": { "type": "array", "items": s_ref("Feature") },
                    "links": { "type": "array", "items": s_ref("Link") },
                    "numberMatched": { "type": "integer", "minimum": 0 },
                    "numberReturned": { "type": "integer", "minimum": 0 },
                    "timeStamp": { "type": "string", "format": "date-time" }
                }
            }
        }),
        json!({
            "LandingPage": {
                "type": "object",
                "required": ["links"],
                "properties": { "title": { "type": "string" }, "description": { "type": "string" },
                    "links": { "type": "array", "items": s_ref("Link") } }
            },
            "Conformance": {
                "type": "object",
                "required": ["conformsTo"],
                "properties": { "conformsTo": { "type": "array", "items": { "type": "string" } } }
            },
            "Collection": {
                "type": "object",
                "required": ["id", "links"],
                "properties": {
                    "id": { "type": "string" }, "title": { "type": "string" }, "description": { "type": "string" },
                    "itemType": { "type": "string", "enum": ["feature"] },
                    "crs": { "type": "array", "items": { "type": "string" } },
                    "extent": { "type": "object", "properties": {
                        "spatial": { "type": "object", "properties": {
                            "bbox": { "type": "array", "items": { "type": "array", "minItems": 4, "maxItems": 4, "items": { "type": "number" } } },
                            "crs": { "type": "string" } } },
                        "temporal": { "type": "object", "properties": {
                            "interval": { "type": "array", "items": { "type": "array", "minItems": 2, "maxItems": 2,
                                "items": { "type": "string", "format": "date-time", "nullable": true } } },
                            "trs": { "type": "string" } } } } },
                    "links": { "type": "array", "items": s_ref("Link") }
                }
            },
            "Collections": {
                "type": "object",
                "required": ["links", "collections"],
                "properties": { "links": { "type": "array", "items": s_ref("Link") },
                    "collections": { "type": "array", "items": s_ref("Collection") } }
            }
        }),
        json!({
            "Places": { "type": "object", "description": "Ranked results: id, display name, names by language, \
                coordinates, score and why each matched; 'scores' gives the lowest score returned and the confident \
                threshold. No plausible match gives an empty list." },
            "Parsed": { "type": "object", "description": "The point(s) read, the notation understood, and whether \
                the input was ambiguous." },
            "Annotation": { "type": "object", "description": "Mentions with character spans, matched form, place \
                and zone status on the date." }
        }),
    ])
}

/// One object from the keys of several (the document is too big for one `json!`).
fn merge(parts: Vec<Value>) -> Value {
    let mut out = serde_json::Map::new();
    for p in parts {
        if let Value::Object(m) = p {
            out.extend(m);
        }
    }
    Value::Object(out)
}

fn responses() -> Value {
    let err = |description: &str| json!({ "description": description, "content": { "application/json": { "schema": s_ref("Error") } } });
    json!({
        "BadRequest": err("A parameter or the body is missing, malformed or out of range; the message names it."),
        "NotFound": err("No such layer, collection or feature."),
        "TooLarge": err("The body or the number of rows is over the server's limit."),
        "UnsupportedMediaType": err("The body's Content-Type is not one of those listed."),
        "BadRow": err("A batch row is malformed; `row` is its 1-based number (CSV header excluded)."),
        "Overloaded": {
            "description": "The server is shedding load; retry after the Retry-After header.",
            "headers": { "Retry-After": { "schema": { "type": "integer" } } },
            "content": { "application/json": { "schema": s_ref("Error") } }
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Every `$ref` in `v`.
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    match (k.as_str(), x) {
                        ("$ref", Value::String(s)) => out.push(s.clone()),
                        _ => refs(x, out),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }

    #[test]
    fn every_reference_in_the_document_resolves() {
        let doc = document();
        let mut all = Vec::new();
        refs(&doc, &mut all);
        assert!(!all.is_empty());
        for r in all {
            let pointer = r.trim_start_matches('#');
            assert!(doc.pointer(pointer).is_some(), "dangling $ref {r}");
        }
    }

    #[test]
    fn every_path_parameter_is_declared_on_its_operations() {
        let doc = document();
        for (path, item) in doc["paths"].as_object().unwrap() {
            let names: Vec<&str> = path
                .split('{')
                .skip(1)
                .filter_map(|s| s.split('}').next())
                .collect();
            for (method, op) in item.as_object().unwrap() {
                let declared: Vec<String> = op["parameters"]
                    .as_array()
                    .map(|ps| {
                        ps.iter()
                            .map(|p| {
                                let p = p["$ref"]
                                    .as_str()
                                    .and_then(|r| doc.pointer(r.trim_start_matches('#')))
                                    .unwrap_or(p);
                                format!(
                                    "{}:{}",
                                    p["in"].as_str().unwrap_or(""),
                                    p["name"].as_str().unwrap_or("")
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                for n in &names {
                    assert!(
                        declared.contains(&format!("path:{n}")),
                        "{method} {path} does not declare {{{n}}}"
                    );
                }
            }
        }
    }
}
