//! Rules across features and files, run after every file passed its own
//! checks: references resolve, incidents lie near the places they name, no
//! place is entered twice under one name, no schema example became data, and
//! every source URL is canonical.
//!
//! Owns these cross-feature rules; the URL policy itself is
//! `dataset::sources`, name folding is `gazetteer::normalize`, and
//! per-file shape checks are `dataset::load`.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::Value;

use super::load::{Collector, Feature};
use super::model::{Catalog, LayerRole, Versions};
use super::sources;
use crate::geodesy::{distance_m, LonLat};

/// Two features of one layer sharing a name form closer than this are taken
/// for one place entered twice, unless one lists the other in `distinct_from`.
pub const DUPLICATE_NAME_RADIUS_M: f64 = 5_000.0;

/// The property an incident uses to say why its point is farther from a
/// place it names than its `location_precision_m`.
pub const FAR_NOTE: &str = "settlements_note";

/// What the rules need to know about one loaded layer.
pub(crate) struct LayerView<'a> {
    /// What the layer is for.
    pub role: LayerRole,
    /// Whether `contactline derive` writes it.
    pub derived: bool,
    /// The file each feature came from, parallel to `features`.
    pub files: &'a [String],
    /// The validated features.
    pub features: &'a [Feature],
}

/// Runs every rule and adds each problem found to `c`.
pub(crate) fn check(
    dir: &Path,
    catalog: &Catalog,
    versions: Option<&Versions>,
    layers: &[LayerView<'_>],
    c: &mut Collector,
) {
    let places: HashMap<&str, (&Feature, &str)> = layers
        .iter()
        .filter(|l| l.role.holds_places())
        .flat_map(|l| {
            l.features
                .iter()
                .zip(l.files)
                .map(|(f, file)| (f.id.as_str(), (f, file.as_str())))
        })
        .collect();
    references(catalog, versions, layers, &places, c);
    incidents_near_their_places(layers, &places, c);
    duplicate_names(layers, c);
    schema_examples(dir, layers, c);
    source_urls(catalog, versions, layers, c);
}

fn point_of(f: &Feature) -> Option<LonLat> {
    match &f.geometry {
        geo::Geometry::Point(p) => Some(LonLat::new(p.x(), p.y())),
        _ => None,
    }
}

fn str_list<'a>(f: &'a Feature, key: &str) -> Vec<&'a str> {
    f.properties
        .get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Every id referenced anywhere names an existing feature: places named by
/// incidents and line segments, roads named by corridor versions.
fn references(
    catalog: &Catalog,
    versions: Option<&Versions>,
    layers: &[LayerView<'_>],
    places: &HashMap<&str, (&Feature, &str)>,
    c: &mut Collector,
) {
    let roads: HashSet<&str> = layers
        .iter()
        .filter(|l| l.role == LayerRole::Roads)
        .flat_map(|l| l.features.iter().map(|f| f.id.as_str()))
        .collect();
    for l in layers {
        for (f, file) in l.features.iter().zip(l.files) {
            let mut named: Vec<(&str, &str)> = str_list(f, "settlements")
                .into_iter()
                .map(|id| ("settlements", id))
                .collect();
            for key in ["zone_side", "other_side"] {
                if let Some(id) = f.str_prop(key) {
                    named.push((key, id));
                }
            }
            for (key, id) in named {
                if !places.contains_key(id) {
                    c.add(
                        file,
                        Some(&f.id),
                        format!("{key} names '{id}', which is no settlement or position id"),
                    );
                }
            }
            if let Some(road) = f.str_prop("road") {
                if !roads.contains(road) {
                    c.add(file, Some(&f.id), format!("road '{road}' is no road id"));
                }
            }
        }
    }
    if let Some(v) = versions {
        for cv in &v.corridor_versions {
            if !roads.contains(cv.road.as_str()) {
                c.add(
                    &catalog.versions_file,
                    Some(&cv.id),
                    format!("road '{}' is no road id", cv.road),
                );
            }
        }
    }
}

/// An incident's point lies within its own `location_precision_m` of each
/// place it names, unless it says why not in [`FAR_NOTE`].
fn incidents_near_their_places(
    layers: &[LayerView<'_>],
    places: &HashMap<&str, (&Feature, &str)>,
    c: &mut Collector,
) {
    for l in layers.iter().filter(|l| l.role == LayerRole::Incidents) {
        for (f, file) in l.features.iter().zip(l.files) {
            let Some(at) = point_of(f) else { continue };
            for (key, want) in [("lat", at.lat), ("lon", at.lon)] {
                if let Some(v) = f.properties.get(key).and_then(Value::as_f64) {
                    if (v - want).abs() > 1e-9 {
                        c.add(
                            file,
                            Some(&f.id),
                            format!("{key} {v} differs from the geometry's {want}"),
                        );
                    }
                }
            }
            let precision = f
                .properties
                .get("location_precision_m")
                .and_then(Value::as_f64);
            let Some(precision) = precision else {
                c.add(file, Some(&f.id), "needs location_precision_m");
                continue;
            };
            let excused = f.str_prop(FAR_NOTE).is_some_and(|s| !s.trim().is_empty());
            if excused {
                continue;
            }
            for id in str_list(f, "settlements") {
                let Some(place_at) = places.get(id).and_then(|(p, _)| point_of(p)) else {
                    continue;
                };
                let d = distance_m(at, place_at);
                if d > precision {
                    c.add(
                        file,
                        Some(&f.id),
                        format!(
                            "lies {:.1} km from '{id}', which it names, beyond its location_precision_m of {:.1} km; move it, widen the precision honestly, or say why in '{FAR_NOTE}'",
                            d / 1000.0,
                            precision / 1000.0
                        ),
                    );
                }
            }
        }
    }
}

/// The folded name forms of a place: every name, alternate spelling and
/// part of its display name.
fn name_forms(f: &Feature) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut add = |s: &str| {
        let folded = crate::gazetteer::fold(s);
        if !folded.is_empty() {
            out.insert(folded);
        }
    };
    if let Some(names) = f.properties.get("names").and_then(Value::as_object) {
        for v in names.values().filter_map(Value::as_array) {
            v.iter().filter_map(Value::as_str).for_each(&mut add);
        }
    }
    for s in str_list(f, "alt_names") {
        add(s);
    }
    if let Some(d) = f.str_prop("display_name") {
        d.split('/').for_each(&mut add);
    }
    out
}

/// No two point features of a layer share a name form within
/// [`DUPLICATE_NAME_RADIUS_M`] unless marked distinct (`distinct_from`).
fn duplicate_names(layers: &[LayerView<'_>], c: &mut Collector) {
    for l in layers
        .iter()
        .filter(|l| !l.derived && l.role != LayerRole::Incidents)
    {
        let items: Vec<(&Feature, &str, LonLat, HashSet<String>)> = l
            .features
            .iter()
            .zip(l.files)
            .filter_map(|(f, file)| point_of(f).map(|p| (f, file.as_str(), p, name_forms(f))))
            .collect();
        for (i, (a, _, pa, na)) in items.iter().enumerate() {
            for (b, file_b, pb, nb) in &items[i + 1..] {
                let d = distance_m(*pa, *pb);
                if d > DUPLICATE_NAME_RADIUS_M {
                    continue;
                }
                let marked = str_list(a, "distinct_from").contains(&b.id.as_str())
                    || str_list(b, "distinct_from").contains(&a.id.as_str());
                if marked {
                    continue;
                }
                let mut shared: Vec<&String> = na.intersection(nb).collect();
                if shared.is_empty() {
                    continue;
                }
                shared.sort();
                c.add(
                    file_b,
                    Some(&b.id),
                    format!(
                        "shares the name form '{}' with '{}' {:.1} km away: one place entered twice? Merge them, or list each in the other's 'distinct_from'",
                        shared[0],
                        a.id,
                        d / 1000.0
                    ),
                );
            }
        }
    }
}

/// Example coordinates shown in `SCHEMA.md` (`"coordinates": [lon, lat]` and
/// `"lat": …, "lon": …`), as `[lon, lat]`.
pub fn schema_example_coordinates(schema: &str) -> Vec<[f64; 2]> {
    let number_after = |s: &str, key: &str| -> Option<f64> {
        let rest = s.split_once(key)?.1;
        let rest = rest.trim_start_matches([':', ' ', '"']);
        let end = rest
            .find(|ch: char| !(ch.is_ascii_digit() || matches!(ch, '.' | '-')))
            .unwrap_or(rest.len());
        rest[..end].parse().ok()
    };
    let mut out = Vec::new();
    for line in schema.lines() {
        if let Some(rest) = line.split_once("\"coordinates\"").map(|(_, r)| r) {
            if let Some(inner) = rest.split_once('[').and_then(|(_, r)| r.split_once(']')) {
                let nums: Vec<f64> = inner
                    .0
                    .split(',')
                    .filter_map(|n| n.trim().parse().ok())
                    .collect();
                if nums.len() == 2 {
                    out.push([nums[0], nums[1]]);
                }
            }
        }
        if let (Some(lat), Some(lon)) =
            (number_after(line, "\"lat\""), number_after(line, "\"lon\""))
        {
            out.push([lon, lat]);
        }
    }
    out
}

/// No coordinate of a curated layer equals an example from `SCHEMA.md`.
fn schema_examples(dir: &Path, layers: &[LayerView<'_>], c: &mut Collector) {
    let Ok(schema) = std::fs::read_to_string(dir.join("SCHEMA.md")) else {
        return;
    };
    let examples = schema_example_coordinates(&schema);
    if examples.is_empty() {
        return;
    }
    for l in layers.iter().filter(|l| !l.derived) {
        for (f, file) in l.features.iter().zip(l.files) {
            use geo::CoordsIter;
            let hit = f.geometry.coords_iter().find_map(|p| {
                examples
                    .iter()
                    .find(|e| (e[0] - p.x).abs() < 1e-9 && (e[1] - p.y).abs() < 1e-9)
            });
            if let Some([lon, lat]) = hit {
                c.add(
                    file,
                    Some(&f.id),
                    format!(
                        "has the coordinate [{lon}, {lat}], which is an example in SCHEMA.md, not a sourced position"
                    ),
                );
            }
        }
    }
}

/// Every `url` anywhere in a value (sources, control intervals, claims, links).
fn urls_in<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("url", Value::String(s)) => out.push(s),
                    _ => urls_in(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| urls_in(x, out)),
        _ => {}
    }
}

/// Every source URL is canonical (see `dataset::sources`). Derived layers
/// copy their sources from the curated ones and are not checked twice.
fn source_urls(
    catalog: &Catalog,
    versions: Option<&Versions>,
    layers: &[LayerView<'_>],
    c: &mut Collector,
) {
    let mut report = |file: &str, feature: Option<&str>, url: &str| {
        if let Err(e) = sources::check_url(url) {
            c.add(file, feature, e.to_string());
        }
    };
    for meta in &catalog.layers {
        for s in &meta.sources {
            report("catalog.json", None, &s.url);
        }
    }
    if let Some(v) = versions {
        for z in &v.zone_versions {
            z.sources
                .iter()
                .for_each(|s| report(&catalog.versions_file, Some(&z.id), &s.url));
        }
        for z in &v.corridor_versions {
            z.sources
                .iter()
                .for_each(|s| report(&catalog.versions_file, Some(&z.id), &s.url));
        }
    }
    for l in layers.iter().filter(|l| !l.derived) {
        for (f, file) in l.features.iter().zip(l.files) {
            let mut urls = Vec::new();
            f.properties.values().for_each(|v| urls_in(v, &mut urls));
            let mut seen = HashSet::new();
            for u in urls {
                if seen.insert(u) {
                    report(file, Some(&f.id), u);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_examples_are_read_from_coordinates_and_lat_lon_pairs() {
        let md = r#"
  "geometry": { "type": "Point", "coordinates": [46.9075, 39.9436] },
| `lat`, `lon` | x |
  "lat": 39.5, "lon": 46.25,
"#;
        assert_eq!(
            schema_example_coordinates(md),
            vec![[46.9075, 39.9436], [46.25, 39.5]]
        );
    }
}
