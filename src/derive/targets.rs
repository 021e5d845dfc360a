//! The quality bar the derived zone is held to (issue 11, "Done when"):
//! every version's area within the published range, no boundary stretch
//! stated worse than 5 km, the final version's length-weighted mean accuracy
//! at most 2 km, and the Hin Tagher / Khtsaberd pocket of 10 Nov – 12 Dec
//! 2020 an enclave under 100 km².
//!
//! Owns the thresholds and their evaluation on a derived `zone` layer.
//! Computing the figures is [`super::figures`]' business; printing and exit
//! codes are the CLI's; the tests in `tests/it/geodata.rs` assert them.

use geo::{Contains, GeodesicArea, Point, Polygon};
use serde::Deserialize as _;
use serde_json::Value;

use std::path::Path;

use crate::dataset::load::read_dir;
use crate::dataset::DatasetError;
use crate::figures::Figures;
use crate::geodesy::{LonLat, Plane};

/// Published figures for the Armenian-held area after the 2020 war are about
/// 2,800–3,170 km²; every version must lie in this range, km².
pub const AREA_RANGE_KM2: (f64, f64) = (2_700.0, 3_300.0);

/// No edge of any version may be stated worse than this, metres.
pub const WORST_EDGE_M: f64 = 5_000.0;

/// The final version's length-weighted mean accuracy must not exceed this, metres.
pub const FINAL_MEAN_M: f64 = 2_000.0;

/// The pocket must be a part of its own no larger than this, km².
pub const ENCLAVE_MAX_KM2: f64 = 100.0;

/// The places that make the pocket (settlement ids).
pub const POCKET_PLACES: [&str; 2] = ["hin_tagher", "khtsaberd"];

/// One target checked on one version.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// The zone version's id.
    pub version: String,
    /// What is measured, in words.
    pub what: &'static str,
    /// The measured value (km² or metres, as `what` says).
    pub value: f64,
    /// The target, in words.
    pub target: String,
    /// Whether the value meets the target.
    pub met: bool,
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "  {} {}: {} {:.1} (target {})",
            if self.met { "met   " } else { "MISSED" },
            self.version,
            self.what,
            self.value,
            self.target
        )
    }
}

/// The polygons of a derived zone feature, read by `geojson` and `geo`.
fn parts(feature: &Value) -> Vec<Polygon<f64>> {
    let geometry = geojson::Geometry::deserialize(&feature["geometry"]).ok();
    match geometry.and_then(|g| geo::Geometry::try_from(&g.value).ok()) {
        Some(geo::Geometry::MultiPolygon(mp)) => mp.0,
        Some(geo::Geometry::Polygon(p)) => vec![p],
        _ => Vec::new(),
    }
}

/// Checks every target on the derived `zone` layer (a GeoJSON
/// `FeatureCollection` as `derive` writes it, versions in date order).
/// `pocket` holds the positions of [`POCKET_PLACES`]: in every version where
/// one of them lies inside the zone, the part holding it must be an enclave
/// (not the largest part) under [`ENCLAVE_MAX_KM2`]; and at least one version
/// must hold the pocket, so a renamed place cannot pass unseen.
pub fn check(zone: &Value, pocket: &[LonLat]) -> Vec<Check> {
    let features = zone["features"].as_array().cloned().unwrap_or_default();
    let mut out = Vec::new();
    let mut pocket_seen = false;
    for (k, f) in features.iter().enumerate() {
        let id = f["id"].as_str().unwrap_or_default().to_owned();
        let Ok(figures) = serde_json::from_value::<Figures>(f["properties"]["figures"].clone())
        else {
            out.push(Check {
                version: id,
                what: "figures",
                value: f64::NAN,
                target: "present (run `contactline derive`)".into(),
                met: false,
            });
            continue;
        };
        let (lo, hi) = AREA_RANGE_KM2;
        out.push(Check {
            version: id.clone(),
            what: "area, km²",
            value: figures.area_km2,
            target: format!("{lo:.0}–{hi:.0}"),
            met: (lo..=hi).contains(&figures.area_km2),
        });
        out.push(Check {
            version: id.clone(),
            what: "worst edge accuracy, m",
            value: figures.accuracy.max_m,
            target: format!("<= {WORST_EDGE_M:.0}"),
            met: figures.accuracy.max_m <= WORST_EDGE_M,
        });
        if k + 1 == features.len() {
            out.push(Check {
                version: id.clone(),
                what: "length-weighted mean accuracy, m",
                value: figures.accuracy.mean_m,
                target: format!("<= {FINAL_MEAN_M:.0} (final version)"),
                met: figures.accuracy.mean_m <= FINAL_MEAN_M,
            });
        }
        let polygons = parts(f);
        let largest = polygons
            .iter()
            .map(GeodesicArea::geodesic_area_unsigned)
            .fold(0.0, f64::max);
        let holding: Vec<&Polygon<f64>> = polygons
            .iter()
            .filter(|p| {
                pocket
                    .iter()
                    .any(|at| p.contains(&Point::new(at.lon, at.lat)))
            })
            .collect();
        if holding.is_empty() {
            continue;
        }
        pocket_seen = true;
        let area = holding
            .iter()
            .map(|p| p.geodesic_area_unsigned())
            .sum::<f64>()
            / 1e6;
        let enclave = holding.len() == 1 && holding[0].geodesic_area_unsigned() < largest;
        out.push(Check {
            version: id,
            what: "pocket enclave (a part of its own), km²",
            value: area,
            target: format!("< {ENCLAVE_MAX_KM2:.0}, apart from the main zone"),
            met: enclave && area < ENCLAVE_MAX_KM2,
        });
    }
    if !pocket_seen {
        out.push(Check {
            version: "(all)".into(),
            what: "versions holding the pocket",
            value: 0.0,
            target: ">= 1".into(),
            met: false,
        });
    }
    out
}

/// Checks the targets on the data set in `dir`: derives its zone afresh (the
/// committed file must equal it, which validation proves) and finds the
/// pocket's places among its control points.
pub fn check_dir(dir: &Path) -> Result<Vec<Check>, DatasetError> {
    let raw = read_dir(dir, true)?;
    let derived = super::derive(&raw)?;
    let pocket: Vec<LonLat> = super::control_points(&raw, Plane::REGION)
        .into_iter()
        .filter(|p| POCKET_PLACES.contains(&p.id.as_str()))
        .map(|p| p.at)
        .collect();
    Ok(check(&derived.zone, &pocket))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn square(x: f64, y: f64, d: f64) -> Value {
        json!([[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]])
    }

    fn version(id: &str, area: f64, max_m: f64, mean_m: f64, parts: &[Value]) -> Value {
        json!({
            "id": id,
            "geometry": { "type": "MultiPolygon", "coordinates": parts },
            "properties": { "figures": {
                "area_km2": area, "parts_km2": [area], "perimeter_km": 1.0,
                "accuracy": { "median_m": mean_m, "mean_m": mean_m, "min_m": 500.0,
                              "max_m": max_m, "classes": [] }
            }}
        })
    }

    #[test]
    fn a_pocket_joined_to_the_main_zone_is_not_an_enclave_and_a_separate_small_one_is() {
        // Main zone about 0.5° square; pocket 0.05° square (about 24 km²).
        let main = square(46.5, 39.6, 0.5);
        let pocket = square(46.8, 39.4, 0.05);
        let pocket_at = [LonLat::new(46.82, 39.42)];
        let apart =
            json!({ "features": [version("v1", 3000.0, 4000.0, 1800.0, &[main.clone(), pocket])] });
        let checks = check(&apart, &pocket_at);
        let enclave = checks
            .iter()
            .find(|c| c.what.starts_with("pocket"))
            .expect("pocket checked");
        assert!(enclave.met, "{enclave}");
        assert!(enclave.value > 20.0 && enclave.value < 30.0, "{enclave}");
        // The pocket place inside the main part: not an enclave.
        let joined = json!({ "features": [version("v1", 3000.0, 4000.0, 1800.0, &[main])] });
        let inside = [LonLat::new(46.6, 39.7)];
        let checks = check(&joined, &inside);
        assert!(
            !checks
                .iter()
                .find(|c| c.what.starts_with("pocket"))
                .expect("checked")
                .met
        );
    }

    #[test]
    fn each_threshold_is_missed_just_beyond_its_limit_and_the_pocket_must_appear() {
        let main = square(46.5, 39.6, 0.5);
        let layer = json!({ "features": [
            version("first", 3300.1, 5000.0, 2500.0, std::slice::from_ref(&main)),
            version("last", 2700.0, 5000.5, 2000.5, &[main]),
        ]});
        let checks = check(&layer, &[LonLat::new(40.0, 40.0)]);
        let missed: Vec<(&str, &str)> = checks
            .iter()
            .filter(|c| !c.met)
            .map(|c| (c.version.as_str(), c.what))
            .collect();
        assert_eq!(
            missed,
            [
                ("first", "area, km²"),
                ("last", "worst edge accuracy, m"),
                ("last", "length-weighted mean accuracy, m"),
                ("(all)", "versions holding the pocket"),
            ]
        );
    }
}
