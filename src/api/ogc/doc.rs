//! The OGC API – Features documents as types: what the JSON answers hold,
//! serialised by serde and described in the OpenAPI document by the same
//! definitions (OGC 17-069r4, section 7). Features are embedded as the
//! dataset serialised them at load.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;

use crate::dataset::Source;

/// A link to a related resource.
#[derive(Debug, Serialize, ToSchema)]
pub struct Link {
    /// Absolute URL.
    pub href: String,
    /// Relation (`self`, `alternate`, `items`, `next`, …).
    pub rel: &'static str,
    /// Media type of the target.
    #[serde(rename = "type")]
    pub media_type: &'static str,
    /// What the target is, for people.
    pub title: String,
}

impl Link {
    /// A link with its four members.
    pub fn new(href: String, rel: &'static str, media_type: &'static str, title: &str) -> Self {
        Self {
            href,
            rel,
            media_type,
            title: title.to_owned(),
        }
    }
}

/// The landing page (7.2).
#[derive(Debug, Serialize, ToSchema)]
pub struct LandingPage<'a> {
    /// Title of the data set.
    pub title: &'a str,
    /// What the data set holds.
    pub description: &'a str,
    /// Whom to credit.
    pub attribution: &'a str,
    /// The API definition, conformance classes and collections.
    pub links: Vec<Link>,
}

/// The conformance classes implemented (7.4).
#[derive(Debug, Serialize, ToSchema)]
pub struct Conformance {
    /// The classes' URIs.
    #[serde(rename = "conformsTo")]
    pub conforms_to: &'static [&'static str],
}

/// Every layer as a collection (7.13).
#[derive(Debug, Serialize, ToSchema)]
pub struct Collections<'a> {
    /// This document and its page.
    pub links: Vec<Link>,
    /// The collections.
    pub collections: Vec<Collection<'a>>,
}

/// One layer as a collection (7.14), with the catalog's own members.
#[derive(Debug, Serialize, ToSchema)]
pub struct Collection<'a> {
    /// Layer id.
    pub id: &'a str,
    /// Title for people.
    pub title: &'a str,
    /// What the layer holds and how it was made.
    pub description: &'a str,
    /// Always `feature`.
    #[serde(rename = "itemType")]
    pub item_type: &'static str,
    /// Coordinate reference systems (CRS84 only).
    pub crs: [&'static str; 1],
    /// Where and when the features are.
    pub extent: Extent,
    /// The collection, its items, queryables and files.
    pub links: Vec<Link>,
    /// Geometry type of every feature.
    pub geometry_type: &'a str,
    /// Licence of the layer.
    pub licence: &'a str,
    /// Sources of the layer as a whole.
    pub sources: &'a [Source],
    /// Stated horizontal accuracy of the layer, metres.
    pub accuracy_m: f64,
    /// Number of features (all versions).
    pub feature_count: usize,
}

/// Spatial and temporal extent.
#[derive(Debug, Serialize, ToSchema)]
pub struct Extent {
    /// First and last instant; `null` where a feature is open at that end.
    pub temporal: TemporalExtent,
    /// Bounding box, absent for a layer without features.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spatial: Option<SpatialExtent>,
}

/// The temporal extent (an interval of RFC 3339 instants).
#[derive(Debug, Serialize, ToSchema)]
pub struct TemporalExtent {
    /// One interval: start and end, each an instant or `null` (open).
    pub interval: [[Option<String>; 2]; 1],
    /// The temporal reference system (Gregorian).
    pub trs: &'static str,
}

/// The spatial extent.
#[derive(Debug, Serialize, ToSchema)]
pub struct SpatialExtent {
    /// One box: west, south, east, north.
    pub bbox: [[f64; 4]; 1],
    /// CRS84.
    pub crs: &'static str,
}

/// A page of features (7.15): a GeoJSON `FeatureCollection` with paging
/// members and links.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemsPage<'a> {
    /// Always `FeatureCollection`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Features matching the query, over all pages.
    #[serde(rename = "numberMatched")]
    pub number_matched: usize,
    /// Features on this page.
    #[serde(rename = "numberReturned")]
    pub number_returned: usize,
    /// When the page was made (RFC 3339, UTC).
    #[serde(rename = "timeStamp")]
    pub time_stamp: String,
    /// This page, the collection, the page as files, the neighbours.
    pub links: Vec<Link>,
    /// GeoJSON features as stored (with `properties=`, only those).
    #[schema(value_type = Vec<Object>)]
    pub features: Vec<Cow<'a, RawValue>>,
}

/// One feature (7.16): a GeoJSON `Feature` with links.
#[derive(Debug, Serialize, ToSchema)]
pub struct Item<'a> {
    /// Always `Feature`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Feature id.
    pub id: &'a str,
    /// GeoJSON geometry.
    #[schema(value_type = Object)]
    pub geometry: &'a RawValue,
    /// The feature's properties (see the layer's queryables).
    #[schema(value_type = Object)]
    pub properties: &'a RawValue,
    /// This feature, its page and its collection.
    pub links: Vec<Link>,
}

/// The parts of a stored feature an [`Item`] repeats, borrowed from it.
#[derive(serde::Deserialize)]
pub struct StoredFeature<'a> {
    /// GeoJSON geometry.
    #[serde(borrow)]
    pub geometry: &'a RawValue,
    /// Properties.
    #[serde(borrow)]
    pub properties: &'a RawValue,
}
