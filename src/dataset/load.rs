//! Reading and validating `geodata/`: the catalog, versions and every layer
//! file, collecting *all* problems before giving up.
//!
//! Owns the checks on the files (shape, ids, dates, coordinates, ring closure,
//! self-intersection, sources, accuracy, non-overlapping versions), then runs
//! the cross-feature rules of `dataset::integrity`. Building indexes from the
//! validated features is left to `dataset::Dataset`.

use std::collections::HashSet;
use std::path::Path;

use geo::Validation;
use geojson::{Feature as GjFeature, FeatureCollection, GeometryValue, JsonObject, Position};
use serde::de::DeserializeOwned;

use super::error::{DatasetError, Problem};
use super::integrity::{self, LayerView};
use super::model::{Catalog, LayerMeta, LayerRole, PlaceProps, Source, Versions};
use crate::date::{Day, Validity};

/// A validated feature, kept both typed and as ready-to-send `GeoJSON`.
#[derive(Debug, Clone)]
pub struct Feature {
    /// Feature id, unique in its layer.
    pub id: String,
    /// Validity interval.
    pub validity: Validity,
    /// `[min_lon, min_lat, max_lon, max_lat]`.
    pub bbox: [f64; 4],
    /// The geometry.
    pub geometry: geo::Geometry<f64>,
    /// The properties object.
    pub properties: JsonObject,
    /// The whole feature serialised once at load; answers embed it as it is.
    pub json: Box<serde_json::value::RawValue>,
}

impl Feature {
    /// Typed sources of the feature (validated non-empty at load).
    pub fn sources(&self) -> Vec<Source> {
        self.properties
            .get("sources")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    }

    /// The feature's stated accuracy in metres.
    pub fn accuracy_m(&self) -> f64 {
        self.properties
            .get("accuracy_m")
            .and_then(serde_json::Value::as_f64)
            .unwrap_or(f64::NAN)
    }

    /// A property as a string, if present.
    pub fn str_prop(&self, key: &str) -> Option<&str> {
        self.properties.get(key).and_then(serde_json::Value::as_str)
    }
}

/// The raw, validated contents of a data directory.
#[derive(Debug)]
pub struct RawData {
    /// The catalog.
    pub catalog: Catalog,
    /// Zone and corridor version specs.
    pub versions: Versions,
    /// Features of each catalog layer, in catalog order.
    pub layers: Vec<Vec<Feature>>,
    /// Hash of every byte read, to name this exact data set.
    pub content_hash: String,
}

pub(crate) struct Collector {
    pub problems: Vec<Problem>,
}

impl Collector {
    pub fn add(&mut self, file: &str, feature: Option<&str>, reason: impl Into<String>) {
        self.problems.push(Problem {
            file: file.to_owned(),
            feature: feature.map(str::to_owned),
            reason: reason.into(),
        });
    }
}

fn read(dir: &Path, name: &str, hasher: &mut impl sha2::Digest) -> Result<Vec<u8>, DatasetError> {
    let path = dir.join(name);
    let bytes = std::fs::read(&path).map_err(|source| DatasetError::Io {
        path: path.display().to_string(),
        source,
    })?;
    hasher.update(name.as_bytes());
    hasher.update(&bytes);
    Ok(bytes)
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8], file: &str, c: &mut Collector) -> Option<T> {
    match serde_json::from_slice(bytes) {
        Ok(v) => Some(v),
        Err(e) => {
            c.add(file, None, format!("invalid JSON or wrong shape: {e}"));
            None
        }
    }
}

/// Reads and validates a data directory; with `skip_derived`, derived layers
/// are left empty (what `contactline derive` needs to rebuild them).
pub fn read_dir(dir: &Path, skip_derived: bool) -> Result<RawData, DatasetError> {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    let mut c = Collector {
        problems: Vec::new(),
    };
    let catalog_bytes = read(dir, "catalog.json", &mut hasher)?;
    let Some(catalog) = parse_json::<Catalog>(&catalog_bytes, "catalog.json", &mut c) else {
        return Err(DatasetError::Invalid(c.problems));
    };
    let versions_bytes = read(dir, &catalog.versions_file, &mut hasher)?;
    let versions = parse_json::<Versions>(&versions_bytes, &catalog.versions_file, &mut c);
    if let Some(v) = &versions {
        check_versions(v, &catalog.versions_file, &mut c);
    }
    let mut layers = Vec::new();
    let mut layer_files: Vec<Vec<String>> = Vec::new();
    let mut layer_ids = HashSet::new();
    for meta in &catalog.layers {
        if !layer_ids.insert(meta.id.as_str()) {
            c.add(
                "catalog.json",
                None,
                format!("layer id '{}' is repeated", meta.id),
            );
        }
        check_layer_meta(meta, &mut c);
        let mut features = Vec::new();
        let mut files = Vec::new();
        let mut ids = HashSet::new();
        if !(skip_derived && meta.derived) {
            for file in &meta.files {
                let bytes = match read(dir, file, &mut hasher) {
                    Ok(b) => b,
                    Err(e) => {
                        c.add(file, None, e.to_string());
                        continue;
                    }
                };
                let Some(fc) = parse_json::<FeatureCollection>(&bytes, file, &mut c) else {
                    continue;
                };
                for (n, f) in fc.features.into_iter().enumerate() {
                    if let Some(feature) = check_feature(f, n, file, meta.role(), &mut c) {
                        if !ids.insert(feature.id.clone()) {
                            c.add(file, Some(&feature.id), "id is not unique in its layer");
                        }
                        features.push(feature);
                        files.push(file.clone());
                    }
                }
            }
            if meta.versioned {
                check_no_overlap(&features, &meta.id, &mut c);
            }
        }
        layers.push(features);
        layer_files.push(files);
    }
    let views: Vec<LayerView<'_>> = catalog
        .layers
        .iter()
        .zip(&layers)
        .zip(&layer_files)
        .map(|((meta, features), files)| LayerView {
            role: meta.role(),
            derived: meta.derived,
            files,
            features,
        })
        .collect();
    integrity::check(dir, &catalog, versions.as_ref(), &views, &mut c);
    drop(views);
    match versions {
        Some(versions) if c.problems.is_empty() => Ok(RawData {
            catalog,
            versions,
            layers,
            // 16 hex digits name a data version unambiguously enough for people and caches.
            content_hash: hex::encode(&hasher.finalize()[..8]),
        }),
        _ => Err(DatasetError::Invalid(c.problems)),
    }
}

fn check_versions(v: &Versions, file: &str, c: &mut Collector) {
    let zone: Vec<(&str, Validity)> = v
        .zone_versions
        .iter()
        .map(|z| (z.id.as_str(), z.validity))
        .collect();
    let corridor: Vec<(&str, Validity)> = v
        .corridor_versions
        .iter()
        .map(|z| (z.id.as_str(), z.validity))
        .collect();
    for (list, what) in [(zone, "zone"), (corridor, "corridor")] {
        if list.is_empty() {
            c.add(file, None, format!("no {what} versions"));
        }
        for (id, val) in &list {
            if val.valid_from.is_none() || val.valid_to.is_none() {
                c.add(
                    file,
                    Some(id),
                    "a version needs both valid_from and valid_to",
                );
            }
            if let (Some(f), Some(t)) = (val.valid_from, val.valid_to) {
                if f >= t {
                    c.add(file, Some(id), "valid_from must be before valid_to");
                }
            }
        }
        for w in list.windows(2) {
            if w[0].1.valid_to != w[1].1.valid_from {
                c.add(
                    file,
                    Some(w[1].0),
                    format!("{what} versions must follow each other without gap or overlap"),
                );
            }
        }
    }
    for z in &v.zone_versions {
        if z.sources.is_empty() {
            c.add(file, Some(&z.id), "no sources");
        }
    }
    for z in &v.corridor_versions {
        if z.sources.is_empty() {
            c.add(file, Some(&z.id), "no sources");
        }
        if !(z.half_width_m > 0.0 && z.half_width_m < 50_000.0) {
            c.add(
                file,
                Some(&z.id),
                "half_width_m must be between 0 and 50 km",
            );
        }
    }
}

fn check_no_overlap(features: &[Feature], layer: &str, c: &mut Collector) {
    for (i, a) in features.iter().enumerate() {
        for b in &features[i + 1..] {
            if a.validity
                .overlaps(b.validity.valid_from, b.validity.valid_to)
            {
                c.add(
                    layer,
                    Some(&b.id),
                    format!("overlaps version '{}' in time", a.id),
                );
            }
        }
    }
}

fn position_ok(p: &Position) -> Result<(f64, f64), String> {
    let s = p.as_slice();
    if s.len() < 2 {
        return Err("a position needs longitude and latitude".into());
    }
    let (lon, lat) = (s[0], s[1]);
    if !crate::geodesy::LonLat::new(lon, lat).is_valid() {
        return Err(format!(
            "coordinate [{lon}, {lat}] is out of range (GeoJSON order is [lon, lat])"
        ));
    }
    Ok((lon, lat))
}

fn check_rings(rings: &[Vec<Position>], reasons: &mut Vec<String>) {
    for ring in rings {
        if ring.len() < 4 {
            reasons.push("a polygon ring needs at least 4 positions".into());
        } else if ring.first().map(Position::as_slice) != ring.last().map(Position::as_slice) {
            reasons.push("a polygon ring is not closed (first and last positions differ)".into());
        }
    }
}

fn geometry_problems(value: &GeometryValue) -> Vec<String> {
    let mut reasons = Vec::new();
    let mut positions: Vec<&Position> = Vec::new();
    match value {
        GeometryValue::Point { coordinates } => positions.push(coordinates),
        GeometryValue::MultiPoint { coordinates } | GeometryValue::LineString { coordinates } => {
            positions.extend(coordinates);
        }
        GeometryValue::MultiLineString { coordinates } => {
            positions.extend(coordinates.iter().flatten());
        }
        GeometryValue::Polygon { coordinates } => {
            check_rings(coordinates, &mut reasons);
            positions.extend(coordinates.iter().flatten());
        }
        GeometryValue::MultiPolygon { coordinates } => {
            for poly in coordinates {
                check_rings(poly, &mut reasons);
            }
            positions.extend(coordinates.iter().flatten().flatten());
        }
        GeometryValue::GeometryCollection { .. } => {
            reasons.push("geometry collections are not supported".into());
        }
    }
    if let Some(e) = positions.iter().find_map(|p| position_ok(p).err()) {
        reasons.push(e);
    }
    reasons
}

fn date_prop(props: &JsonObject, key: &str) -> Result<Option<Day>, String> {
    match props.get(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => {
            s.parse().map(Some).map_err(|e| format!("{key}: {e}"))
        }
        Some(_) => Err(format!("{key} must be a YYYY-MM-DD string or null")),
    }
}

fn check_feature(
    f: GjFeature,
    n: usize,
    file: &str,
    role: LayerRole,
    c: &mut Collector,
) -> Option<Feature> {
    let props = f.properties.clone().unwrap_or_default();
    let id = props.get("id").and_then(|v| v.as_str()).map(str::to_owned);
    let gj_id = match &f.id {
        Some(geojson::feature::Id::String(s)) => Some(s.clone()),
        _ => None,
    };
    let Some(id) = id.or(gj_id.clone()) else {
        c.add(file, Some(&format!("#{n}")), "feature has no string id");
        return None;
    };
    let before = c.problems.len();
    let mut bad = |reason: String| c.add(file, Some(&id), reason);
    if gj_id.as_deref().is_some_and(|g| g != id) {
        bad("GeoJSON id and properties.id differ".into());
    }
    let validity = match (
        date_prop(&props, "valid_from"),
        date_prop(&props, "valid_to"),
    ) {
        (Ok(valid_from), Ok(valid_to)) => {
            if let (Some(a), Some(b)) = (valid_from, valid_to) {
                if a >= b {
                    bad("valid_from must be before valid_to".into());
                }
            }
            Validity {
                valid_from,
                valid_to,
            }
        }
        (a, b) => {
            for e in [a.err(), b.err()].into_iter().flatten() {
                bad(e);
            }
            Validity::default()
        }
    };
    match props
        .get("sources")
        .map(|v| serde_json::from_value::<Vec<Source>>(v.clone()))
    {
        Some(Ok(s)) if !s.is_empty() && s.iter().all(|s| !s.url.trim().is_empty()) => {}
        Some(Ok(_)) | None => bad("needs at least one source with a url".into()),
        Some(Err(e)) => bad(format!("sources: {e}")),
    }
    match props.get("accuracy_m").and_then(serde_json::Value::as_f64) {
        Some(a) if a.is_finite() && a >= 0.0 => {}
        _ => bad("needs accuracy_m, a non-negative number of metres".into()),
    }
    if role.holds_places() {
        check_place(&props, &id, file, c);
    }
    let Some(geometry) = f.geometry.as_ref() else {
        c.add(file, Some(&id), "feature has no geometry");
        return None;
    };
    for reason in geometry_problems(&geometry.value) {
        c.add(file, Some(&id), reason);
    }
    if c.problems.len() > before {
        return None;
    }
    let geom: geo::Geometry<f64> = match geo::Geometry::try_from(&geometry.value) {
        Ok(g) => g,
        Err(e) => {
            c.add(file, Some(&id), format!("geometry: {e}"));
            return None;
        }
    };
    if matches!(
        geom,
        geo::Geometry::Polygon(_) | geo::Geometry::MultiPolygon(_)
    ) {
        if let Err(e) = geom.check_validation() {
            c.add(file, Some(&id), format!("invalid polygon: {e}"));
            return None;
        }
    }
    let bbox = bbox_of(&geom);
    let mut out = f;
    out.id = Some(geojson::feature::Id::String(id.clone()));
    out.bbox = None;
    let json = match serde_json::value::to_raw_value(&out) {
        Ok(j) => j,
        Err(e) => {
            c.add(file, Some(&id), format!("feature: {e}"));
            return None;
        }
    };
    Some(Feature {
        id,
        validity,
        bbox,
        geometry: geom,
        properties: props,
        json,
    })
}

/// What `catalog.json` must say of a layer: sources, and an accuracy for a
/// curated layer; a derived layer's accuracy is computed from its edges,
/// never typed.
fn check_layer_meta(meta: &LayerMeta, c: &mut Collector) {
    if meta.sources.is_empty() {
        c.add(
            "catalog.json",
            None,
            format!("layer '{}' has no sources", meta.id),
        );
    }
    let stated = !meta.accuracy_m.is_nan();
    if meta.derived && stated {
        c.add(
            "catalog.json",
            None,
            format!(
                "layer '{}' is derived: leave out accuracy_m, which loading computes from its edges",
                meta.id
            ),
        );
    } else if !(meta.derived || meta.accuracy_m.is_finite() && meta.accuracy_m >= 0.0) {
        c.add(
            "catalog.json",
            None,
            format!(
                "layer '{}': accuracy_m must be a non-negative number of metres, not {}",
                meta.id,
                if stated {
                    meta.accuracy_m.to_string()
                } else {
                    "missing".into()
                }
            ),
        );
    }
}

fn check_place(props: &JsonObject, id: &str, file: &str, c: &mut Collector) {
    let value = serde_json::Value::Object(props.clone());
    let place: PlaceProps = match serde_json::from_value(value) {
        Ok(p) => p,
        Err(e) => {
            c.add(file, Some(id), format!("settlement properties: {e}"));
            return;
        }
    };
    for lang in ["en", "hy", "az", "ru"] {
        if place
            .names
            .get(lang)
            .is_none_or(|v| v.is_empty() || v.iter().any(|n| n.trim().is_empty()))
        {
            c.add(file, Some(id), format!("needs a name in '{lang}'"));
        }
    }
    if place.display_name.trim().is_empty() {
        c.add(file, Some(id), "needs a display_name");
    }
    if place.control.is_empty() {
        c.add(file, Some(id), "needs a control timeline");
    }
    for w in place.control.windows(2) {
        if w[0].to.is_none() || w[0].to != w[1].from {
            c.add(
                file,
                Some(id),
                "control intervals must be contiguous and ordered",
            );
        }
    }
    for span in &place.control {
        if let (Some(f), Some(t)) = (span.from, span.to) {
            if f >= t {
                c.add(
                    file,
                    Some(id),
                    format!("control interval from {f} to {t} is empty"),
                );
            }
        }
        if span.sources.is_empty() {
            c.add(
                file,
                Some(id),
                format!(
                    "control interval from {:?} has no source",
                    span.from.map(|d| d.to_string())
                ),
            );
        }
    }
    let start = Day::from_ymd(2020, 11, 10).expect("fixed date");
    let end = Day::from_ymd(2023, 9, 30).expect("fixed date");
    if place.status_on(start).is_none() || place.status_on(end).is_none() {
        c.add(
            file,
            Some(id),
            "control timeline must cover 2020-11-10 to 2023-09-30",
        );
    }
}

/// Bounding box of a geometry as `[min_lon, min_lat, max_lon, max_lat]`.
pub fn bbox_of(g: &geo::Geometry<f64>) -> [f64; 4] {
    use geo::BoundingRect;
    g.bounding_rect()
        .map_or([0.0; 4], |r| [r.min().x, r.min().y, r.max().x, r.max().y])
}
