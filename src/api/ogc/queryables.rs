//! What a collection can be filtered and sorted by (OGC API – Features
//! Part 3, queryables), read off the layer's own features so it cannot drift
//! from the data: every property whose value is a string, number or boolean
//! (or null) in every feature, plus `geometry`.
//!
//! Owns the rule and the JSON Schema document; `query` and `filter` check
//! names against it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::dataset::Layer;
use crate::date::Day;

/// A string property with at most this many distinct values (each used more
/// than once on average) is listed with its values (`enum`).
const MAX_ENUM: usize = 20;

/// The type of a queryable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Text.
    String,
    /// A `YYYY-MM-DD` calendar date written as text.
    Date,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// The feature's geometry, with its JSON Schema `format`
    /// (`geometry-point`, `geometry-polygon`, ...).
    Geometry(&'static str),
}

/// One filterable property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queryable {
    /// The property name as written in the features (`kind`, `type`).
    pub name: String,
    /// Its type.
    pub kind: Kind,
    /// The values it takes, when they are few (`kind`: city, town, village).
    pub values: Vec<String>,
}

/// The queryables and property names of one layer.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Filterable properties, `geometry` first, then by name.
    pub queryables: Vec<Queryable>,
    /// Every property name any feature has (for `properties=`).
    pub properties: BTreeSet<String>,
    /// Whether every feature has a `control` timeline, so `status_on` and
    /// `status` apply.
    pub has_control: bool,
}

impl Schema {
    /// Reads the queryables off the features of `layer`.
    pub fn of(layer: &Layer) -> Schema {
        let mut seen: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
        let mut properties = BTreeSet::new();
        for f in &layer.features {
            for (k, v) in &f.properties {
                properties.insert(k.clone());
                seen.entry(k.as_str()).or_default().push(v);
            }
        }
        let n = layer.features.len();
        let mut queryables = vec![Queryable {
            name: "geometry".into(),
            kind: Kind::Geometry(geometry_format(&layer.meta.geometry_type)),
            values: Vec::new(),
        }];
        for (name, values) in seen {
            // Present in every feature, scalar or null everywhere, not all null.
            let scalar = values.len() == n
                && values.iter().all(|v| !(v.is_array() || v.is_object()))
                && values.iter().any(|v| !v.is_null());
            if !scalar {
                continue;
            }
            let set: Vec<&Value> = values.iter().copied().filter(|v| !v.is_null()).collect();
            let kind = if set.iter().all(|v| v.is_boolean()) {
                Kind::Boolean
            } else if set.iter().all(|v| v.is_i64() || v.is_u64()) {
                Kind::Integer
            } else if set.iter().all(|v| v.is_number()) {
                Kind::Number
            } else if set
                .iter()
                .all(|v| v.as_str().is_some_and(|s| s.parse::<Day>().is_ok()))
            {
                Kind::Date
            } else if set.iter().all(|v| v.is_string()) {
                Kind::String
            } else {
                continue;
            };
            let mut distinct: Vec<String> = if kind == Kind::String {
                set.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect()
            } else {
                Vec::new()
            };
            if distinct.len() > MAX_ENUM || distinct.len() * 2 > set.len() {
                distinct.clear();
            }
            queryables.push(Queryable {
                name: name.to_owned(),
                kind,
                values: distinct,
            });
        }
        let has_control = n > 0
            && layer
                .features
                .iter()
                .all(|f| f.properties.get("control").is_some_and(Value::is_array));
        Schema {
            queryables,
            properties,
            has_control,
        }
    }

    /// The queryable called `name`, if any.
    pub fn get(&self, name: &str) -> Option<&Queryable> {
        self.queryables.iter().find(|q| q.name == name)
    }

    /// The names, for error messages.
    pub fn names(&self) -> String {
        let names: Vec<&str> = self.queryables.iter().map(|q| q.name.as_str()).collect();
        names.join(", ")
    }

    /// The JSON Schema document of `/queryables` (draft 2020-12, as Part 3 asks).
    pub fn document<'a>(&'a self, id: &'a str, title: &'a str) -> QueryablesDoc<'a> {
        QueryablesDoc {
            schema: "https://json-schema.org/draft/2020-12/schema",
            id,
            kind: "object",
            title,
            properties: PropertyMap(&self.queryables),
            additional_properties: false,
        }
    }
}

/// The `/queryables` answer: a JSON Schema of the filterable properties.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueryablesDoc<'a> {
    /// The JSON Schema dialect (draft 2020-12).
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    /// This document's URL.
    #[serde(rename = "$id")]
    pub id: &'a str,
    /// Always `object`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The layer's title.
    pub title: &'a str,
    /// Each queryable by name: its JSON Schema type (or geometry `format`),
    /// `title` and, for a string with few values, `enum`.
    #[schema(value_type = Object)]
    pub properties: PropertyMap<'a>,
    /// Always `false`: nothing else can be filtered by.
    #[serde(rename = "additionalProperties")]
    pub additional_properties: bool,
}

/// The queryables as a JSON object of property schemas, in their order.
#[derive(Debug)]
pub struct PropertyMap<'a>(&'a [Queryable]);

/// One queryable's JSON Schema.
#[derive(Serialize)]
struct PropertySchema<'a> {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    title: &'a str,
    #[serde(rename = "enum", skip_serializing_if = "<[String]>::is_empty")]
    values: &'a [String],
}

impl Serialize for PropertyMap<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|q| {
            let (kind, format) = match q.kind {
                Kind::String => (Some("string"), None),
                Kind::Date => (Some("string"), Some("date")),
                Kind::Integer => (Some("integer"), None),
                Kind::Number => (Some("number"), None),
                Kind::Boolean => (Some("boolean"), None),
                Kind::Geometry(format) => (None, Some(format)),
            };
            let schema = PropertySchema {
                kind,
                format,
                title: &q.name,
                values: &q.values,
            };
            (q.name.as_str(), schema)
        }))
    }
}

/// The Part 3 geometry `format` for a catalog geometry type.
fn geometry_format(t: &str) -> &'static str {
    match t {
        "Point" => "geometry-point",
        "LineString" => "geometry-linestring",
        "Polygon" => "geometry-polygon",
        "MultiPoint" => "geometry-multipoint",
        "MultiLineString" => "geometry-multilinestring",
        "MultiPolygon" => "geometry-multipolygon",
        _ => "geometry-any",
    }
}
