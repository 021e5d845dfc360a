//! CQL2 filters (OGC API – Features Part 3): the `filter` parameter in
//! cql2-text or cql2-json, and the `name=value` property filters, compiled
//! into one expression and evaluated per feature.
//!
//! Parsing and evaluation are the `cql2` crate's (Development Seed's
//! `cql2-rs`, the CQL2 implementation behind the STAC tools, tested against
//! the OGC conformance suite); this module only checks that every property
//! named is a queryable of the collection and hands each feature over as
//! `{"properties": {...}, "geometry": {...}}`.

use cql2::Expr;
use serde_json::{Map, Value};

use super::query::short;
use super::queryables::{Kind, Schema};
use crate::api::params::parse_number;
use crate::api::ApiError;
use crate::dataset::Feature;

/// The encodings `filter-lang` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// `cql2-text`, the default.
    Text,
    /// `cql2-json`.
    Json,
}

impl Lang {
    /// Reads `filter-lang`.
    pub fn parse(v: Option<&str>) -> Result<Lang, ApiError> {
        match v {
            None | Some("cql2-text") => Ok(Lang::Text),
            Some("cql2-json") => Ok(Lang::Json),
            Some(other) => Err(ApiError::param(
                "filter-lang",
                format!(
                    "filter-lang must be cql2-text or cql2-json, not '{}'",
                    short(other)
                ),
            )),
        }
    }
}

/// A filter ready to run: the expression and what it reads.
#[derive(Debug, Clone)]
pub struct Filter {
    expr: Expr,
    /// Property names it reads (all queryables).
    names: Vec<String>,
    /// Whether it reads the geometry.
    geometry: bool,
}

/// Parses `filter` and checks its property names against `schema`.
pub fn parse(text: &str, lang: Lang, schema: &Schema) -> Result<Expr, ApiError> {
    let expr = match lang {
        Lang::Text => cql2::parse_text(text).map_err(|e| {
            ApiError::param("filter", format!("filter is not valid CQL2 text: {e}"))
        })?,
        Lang::Json => cql2::parse_json(text).map_err(|e| {
            ApiError::param("filter", format!("filter is not valid CQL2 JSON: {e}"))
        })?,
    };
    let mut names = Vec::new();
    property_names(&expr, &mut names);
    if let Some(bad) = names.iter().find(|n| schema.get(n).is_none()) {
        return Err(ApiError::param(
            "filter",
            format!(
                "'{}' is not a queryable of this collection; queryables: {}",
                short(bad),
                schema.names()
            ),
        ));
    }
    Ok(expr)
}

/// `name = value` for a property filter given as a query parameter, typed
/// by the queryable (`accuracy_m=500` compares numbers, `kind=village` text).
pub fn equals(name: &str, value: &str, kind: &Kind) -> Result<Expr, ApiError> {
    let literal = match kind {
        Kind::Integer | Kind::Number => Expr::Float(parse_number(name, value)?),
        Kind::Boolean => match value {
            "true" => Expr::Bool(true),
            "false" => Expr::Bool(false),
            _ => {
                return Err(ApiError::param(
                    name,
                    format!("{name} must be true or false"),
                ))
            }
        },
        Kind::String | Kind::Date => Expr::Literal(value.to_owned()),
        Kind::Geometry(_) => {
            return Err(ApiError::param(
                name,
                "filter the geometry with bbox or filter=S_INTERSECTS(geometry, ...)",
            ))
        }
    };
    Ok(Expr::Operation {
        op: "=".into(),
        args: vec![
            Box::new(Expr::Property {
                property: name.to_owned(),
            }),
            Box::new(literal),
        ],
    })
}

impl Filter {
    /// All of `exprs` (an `AND`); `None` when there are none.
    pub fn all(mut exprs: Vec<Expr>) -> Option<Filter> {
        let expr = match exprs.len() {
            0 => return None,
            1 => exprs.pop()?,
            _ => Expr::Operation {
                op: "and".into(),
                args: exprs.into_iter().map(Box::new).collect(),
            },
        };
        let mut names = Vec::new();
        property_names(&expr, &mut names);
        let geometry = names.iter().any(|n| n == "geometry");
        names.retain(|n| n != "geometry");
        names.sort();
        names.dedup();
        Some(Filter {
            expr,
            names,
            geometry,
        })
    }

    /// Whether `f` satisfies the filter (NULL is not a match). A filter that
    /// does not reduce to true or false, such as a number compared with
    /// text, is a 400.
    pub fn matches(&self, f: &Feature) -> Result<bool, ApiError> {
        let mut props = Map::new();
        for n in &self.names {
            if let Some(v) = f.properties.get(n) {
                props.insert(n.clone(), v.clone());
            }
        }
        let mut record = Map::new();
        record.insert("properties".into(), Value::Object(props));
        if self.geometry {
            let whole: Value = serde_json::from_str(f.json.get())
                .map_err(|e| ApiError::Internal(anyhow::anyhow!("feature JSON: {e}")))?;
            record.insert("geometry".into(), whole["geometry"].clone());
        }
        let record = Value::Object(record);
        match self.expr.clone().reduce(Some(&record)) {
            Ok(Expr::Bool(b)) => Ok(b),
            Ok(Expr::Null) => Ok(false),
            // A comparison with a null or absent property is unknown (SQL's
            // three-valued logic), so not a match rather than an error.
            Ok(other) if refers_to_null(&other, f) => Ok(false),
            Ok(other) => Err(ApiError::param(
                "filter",
                format!(
                    "the filter cannot be decided for feature '{}' (values of different types compared?): {}",
                    short(&f.id),
                    short(&other.to_text().unwrap_or_default())
                ),
            )),
            Err(e) => Err(ApiError::param(
                "filter",
                format!("the filter cannot be evaluated: {e}"),
            )),
        }
    }
}

/// Whether `e` still names a property that `f` has as null or not at all.
fn refers_to_null(e: &Expr, f: &Feature) -> bool {
    let mut names = Vec::new();
    property_names(e, &mut names);
    names
        .iter()
        .any(|n| f.properties.get(n).is_none_or(Value::is_null))
}

/// Every property name in `e`, in order of appearance.
fn property_names(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Property { property } => out.push(property.clone()),
        Expr::Operation { args, .. } => args.iter().for_each(|a| property_names(a, out)),
        Expr::Interval { interval } => interval.iter().for_each(|a| property_names(a, out)),
        Expr::BBox { bbox } => bbox.iter().for_each(|a| property_names(a, out)),
        Expr::Array(items) => items.iter().for_each(|a| property_names(a, out)),
        Expr::Timestamp { timestamp } => property_names(timestamp, out),
        Expr::Date { date } => property_names(date, out),
        Expr::Float(_) | Expr::Literal(_) | Expr::Bool(_) | Expr::Geometry(_) | Expr::Null => {}
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::api::ogc::queryables::Queryable;
    use crate::date::Validity;

    fn feature(id: &str, lon: f64, lat: f64, props: &Value) -> Feature {
        let geometry = serde_json::json!({ "type": "Point", "coordinates": [lon, lat] });
        Feature {
            id: id.into(),
            validity: Validity::default(),
            bbox: [lon, lat, lon, lat],
            geometry: geo::Geometry::Point(geo::Point::new(lon, lat)),
            properties: props.as_object().unwrap().clone(),
            json: serde_json::value::to_raw_value(
                &serde_json::json!({ "type": "Feature", "id": id, "geometry": geometry, "properties": props }),
            )
            .unwrap(),
        }
    }

    fn schema() -> Schema {
        let q = |name: &str, kind| Queryable {
            name: name.into(),
            kind,
            values: Vec::new(),
        };
        Schema {
            queryables: vec![
                q("geometry", Kind::Geometry("geometry-point")),
                q("kind", Kind::String),
                q("pop", Kind::Integer),
                q("date", Kind::Date),
            ],
            properties: ["kind", "pop", "date", "names"]
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            has_control: false,
        }
    }

    fn sample() -> Vec<Feature> {
        vec![
            feature(
                "a",
                46.7,
                39.8,
                &serde_json::json!({ "kind": "village", "pop": 300, "date": "2021-05-12" }),
            ),
            feature(
                "b",
                46.9,
                39.9,
                &serde_json::json!({ "kind": "town", "pop": 5000, "date": "2022-03-25" }),
            ),
            feature(
                "c",
                47.5,
                40.5,
                &serde_json::json!({ "kind": "city", "pop": 50000, "date": null }),
            ),
        ]
    }

    /// The ids of the sample features `e` selects.
    fn ids(e: Expr) -> Vec<String> {
        let f = Filter::all(vec![e]).unwrap();
        sample()
            .iter()
            .filter(|x| f.matches(x).unwrap())
            .map(|x| x.id.clone())
            .collect()
    }

    fn run(text: &str, lang: Lang) -> Vec<String> {
        ids(parse(text, lang, &schema()).unwrap())
    }

    #[test]
    fn comparisons_logic_in_between_and_s_intersects_select_the_known_features() {
        let t = |s| run(s, Lang::Text);
        assert_eq!(t("kind = 'town'"), ["b"]);
        assert_eq!(t("pop >= 5000"), ["b", "c"]);
        assert_eq!(t("pop < 1000 OR kind = 'city'"), ["a", "c"]);
        assert_eq!(t("pop > 100 AND kind <> 'city'"), ["a", "b"]);
        assert_eq!(t("kind IN ('village', 'city')"), ["a", "c"]);
        assert_eq!(t("pop BETWEEN 300 AND 5000"), ["a", "b"]);
        assert_eq!(t("date > DATE('2022-01-01')"), ["b"]);
        assert_eq!(t("date IS NULL"), ["c"]);
        assert_eq!(
            t("S_INTERSECTS(geometry, BBOX(46.6, 39.7, 47.0, 40.0))"),
            ["a", "b"]
        );
        assert_eq!(
            t("S_INTERSECTS(geometry, POLYGON((46.8 39.85, 47.0 39.85, 47.0 40.0, 46.8 40.0, 46.8 39.85)))"),
            ["b"]
        );
        assert_eq!(
            run(
                r#"{"op": "=", "args": [{"property": "kind"}, "village"]}"#,
                Lang::Json
            ),
            ["a"]
        );
    }

    #[test]
    fn property_filters_are_typed_by_their_queryable() {
        assert_eq!(ids(equals("pop", "300", &Kind::Integer).unwrap()), ["a"]);
        assert_eq!(ids(equals("kind", "city", &Kind::String).unwrap()), ["c"]);
        assert!(equals("pop", "many", &Kind::Integer).is_err());
    }

    #[test]
    fn unknown_properties_and_bad_syntax_are_400s_naming_filter() {
        for (text, lang) in [
            ("colour = 'red'", Lang::Text),
            ("names = 'x'", Lang::Text),
            ("kind =", Lang::Text),
            ("kind = 'town' AND", Lang::Text),
            ("{\"op\": \"=\"", Lang::Json),
        ] {
            let e = parse(text, lang, &schema()).unwrap_err();
            assert_eq!(e.code(), "invalid_parameter", "{text}");
            assert!(
                e.to_string().contains("filter") || e.to_string().contains("queryable"),
                "{text}: {e}"
            );
        }
        assert!(Lang::parse(Some("cql-text")).is_err());
    }
}
