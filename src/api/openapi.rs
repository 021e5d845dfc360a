//! The `OpenAPI` document, generated from the code: each handler states its
//! operation next to itself (`#[utoipa::path]`: path, parameters, responses
//! and their types), each answer type derives its schema (`ToSchema`) from
//! the very struct that serde serialises, and the routers register handlers
//! with `.routes(routes!(handler))`, which adds the operation to the document
//! and the route to axum in one step — so the document cannot miss a route
//! or drift from what is answered.
//!
//! Owns the document's frame (title, tags, shared error schema), serving it
//! at `GET /api/v1/openapi.json` (the OGC landing page's `service-desc`), and
//! Swagger UI at `/api/docs/`, served from the binary (the `utoipa-swagger-ui`
//! crate's vendored files; no request to any other host).

use std::sync::{Arc, LazyLock};

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Ref, Schema, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Required};
use utoipa::{IntoParams, OpenApi, PartialSchema, ToSchema};
use utoipa_swagger_ui::{Config, SwaggerUi};

use super::error::{ErrorBody, ErrorDetail};
use super::ogc::SERVICE_DESC;
use super::params::{pinnable, VERSION};
use super::AppState;

/// The document's frame; the operations come from the routers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "contactline",
        description = "Was this point inside the Russian peacekeeping zone in Nagorno-Karabakh on this \
                       date? Verdicts with the distance to the boundary and its accuracy, place search, \
                       coordinate parsing, article annotation, the data layers and OGC API – Features.",
        license(name = "MIT (code); CC BY 4.0 (curated data)"),
    ),
    paths(serve),
    components(schemas(ErrorBody, ErrorDetail)),
    tags(
        (name = "verdict", description = "The verdict for a point, one or many."),
        (name = "names", description = "Place search, coordinate notations, article annotation."),
        (name = "data", description = "The catalog, the layers as GeoJSON, KML, CSV or FlatGeobuf, and the data set bundle."),
        (name = "ogc", description = "OGC API – Features, Part 1: Core."),
        (name = "map", description = "The map's page."),
        (name = "service", description = "Liveness, readiness, metrics and this document."),
    )
)]
pub struct ApiDoc;

/// Routes of this group: the document (fixed at start-up, serialised once)
/// and Swagger UI reading it.
pub fn router(doc: &utoipa::openapi::OpenApi) -> Router<AppState> {
    let json: Arc<str> = doc
        .to_json()
        .expect("an OpenAPI document serialises")
        .into();
    let ui = SwaggerUi::new("/api/docs").config(
        Config::from(SERVICE_DESC.0)
            // Swagger UI would otherwise ask an external validator for a badge.
            .validator_url("none"),
    );
    Router::new()
        .route(SERVICE_DESC.0, get(serve).layer(Extension(json)))
        .merge(Router::from(ui))
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "service",
    operation_id = "openapi",
    responses((status = 200, description = "This OpenAPI document.", body = Object,
               content_type = "application/vnd.oai.openapi+json;version=3.1"))
)]
async fn serve(Extension(json): Extension<Arc<str>>) -> Response {
    ([(header::CONTENT_TYPE, SERVICE_DESC.1)], json.to_string()).into_response()
}

/// Every data route takes `v=<dataset_version>` ([`VERSION`]), checked by
/// the caching layer for the paths [`pinnable`] names rather than by each
/// handler; the parameter and its 410 are added to those operations here,
/// from the same rule.
pub fn document_pinning(doc: &mut utoipa::openapi::OpenApi) {
    let v = ParameterBuilder::new()
        .name(VERSION)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(
            "The data set version the URL is pinned to (the catalog's `dataset_version`): \
             that version answers as ever and may be cached for good; another is a 410.",
        ))
        .schema(Some(String::schema()))
        .build();
    let gone = ResponseBuilder::new()
        .description(
            "The URL is pinned to a data set version no longer served; \
             `current_version` names the one served now.",
        )
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(ErrorBody::name())))
                .build(),
        )
        .build();
    for (path, item) in &mut doc.paths.paths {
        if !pinnable(path) {
            continue;
        }
        if let Some(op) = item.get.as_mut() {
            op.parameters
                .get_or_insert_with(Vec::new)
                .push(RefOr::T(v.clone()));
            op.responses
                .responses
                .insert("410".into(), RefOr::T(gone.clone()));
        }
    }
}

/// The query parameter names a handler takes, read from its [`IntoParams`]
/// type, so the parameters documented and the parameters accepted are one
/// list. Computed once per type (the names live as long as the process).
pub fn query_names<T: IntoParams>() -> Vec<&'static str> {
    T::into_params(|| Some(ParameterIn::Query))
        .into_iter()
        .filter(|p| p.parameter_in == ParameterIn::Query)
        .map(|p| &*Box::leak(p.name.into_boxed_str()))
        .collect()
}

/// A lazily computed [`query_names`] list, for a `static`.
pub type QueryNames = LazyLock<Vec<&'static str>>;

/// A file's bytes (PNG, zip, FlatGeobuf): only the schema of such answers.
pub struct Binary;

impl utoipa::PartialSchema for Binary {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for Binary {}

/// A day is written `YYYY-MM-DD` (see `date::Day`'s serde form).
impl utoipa::PartialSchema for crate::date::Day {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .into()
    }
}

impl utoipa::ToSchema for crate::date::Day {}
