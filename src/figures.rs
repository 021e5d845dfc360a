//! Figures of a derived area, computed on the ellipsoid from the very
//! coordinates written out: geodesic area and perimeter, the area of each
//! part, and how the stated accuracy is spread along the boundary.
//!
//! Owns the arithmetic and the figures' shape only: `derive` decides which
//! edges and accuracies make a version and computes them, the dataset keeps
//! them and the API serves them, so this module sits below all three.

use geo::{Distance, Geodesic, GeodesicArea, Point, Polygon};
use serde::{Deserialize, Serialize};

/// Upper bounds (metres) of the accuracy classes; the last class is open.
pub const CLASS_BOUNDS_M: [f64; 4] = [1_000.0, 2_000.0, 3_000.0, 5_000.0];

/// The computed figures of one zone or corridor version (the `figures`
/// property of its feature, served in the catalog).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Figures {
    /// Geodesic area on WGS 84, km².
    pub area_km2: f64,
    /// Geodesic area of each part (outer ring less its holes), largest first, km².
    pub parts_km2: Vec<f64>,
    /// Geodesic length of every ring, km.
    pub perimeter_km: f64,
    /// How the stated edge accuracy is spread along the perimeter.
    pub accuracy: AccuracySpread,
}

/// Edge accuracy along the perimeter, weighted by edge length.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccuracySpread {
    /// The accuracy that half the perimeter's length meets or beats, metres.
    pub median_m: f64,
    /// Length-weighted mean accuracy, metres.
    pub mean_m: f64,
    /// Best edge accuracy, metres.
    pub min_m: f64,
    /// Worst edge accuracy, metres.
    pub max_m: f64,
    /// Share of the perimeter in each class, in order of [`CLASS_BOUNDS_M`].
    pub classes: Vec<AccuracyClass>,
}

/// One accuracy class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccuracyClass {
    /// Edges with accuracy above this (metres)...
    pub above_m: f64,
    /// ...and at most this (metres; `None` for the open class).
    pub up_to_m: Option<f64>,
    /// Length of those edges, km.
    pub length_km: f64,
    /// Their share of the perimeter (0–1).
    pub share: f64,
}

fn round_to(x: f64, decimals: i32) -> f64 {
    let k = 10f64.powi(decimals);
    (x * k).round() / k
}

/// Figures of `polygons` (lon/lat) whose ring edges carry the accuracies
/// `accuracy[polygon][ring][edge]`.
pub fn figures(polygons: &[Polygon<f64>], accuracy: &[Vec<Vec<f64>>]) -> Figures {
    let mut parts: Vec<f64> = polygons
        .iter()
        .map(|p| p.geodesic_area_unsigned() / 1e6)
        .collect();
    parts.sort_by(|a, b| b.total_cmp(a));
    let mut edges: Vec<(f64, f64)> = Vec::new();
    for (poly, acc) in polygons.iter().zip(accuracy) {
        for (ring, acc) in std::iter::once(poly.exterior())
            .chain(poly.interiors())
            .zip(acc)
        {
            for (line, &a) in ring.lines().zip(acc) {
                let len = Geodesic.distance(Point::from(line.start), Point::from(line.end));
                edges.push((a, len));
            }
        }
    }
    let total: f64 = edges.iter().map(|e| e.1).sum();
    let mean = if total > 0.0 {
        edges.iter().map(|(a, l)| a * l).sum::<f64>() / total
    } else {
        0.0
    };
    edges.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut run = 0.0;
    let mut median = 0.0;
    for (a, l) in &edges {
        run += l;
        if run >= total / 2.0 {
            median = *a;
            break;
        }
    }
    let mut classes = Vec::new();
    let mut below = 0.0;
    for k in 0..=CLASS_BOUNDS_M.len() {
        let up_to = CLASS_BOUNDS_M.get(k).copied();
        let length: f64 = edges
            .iter()
            .filter(|(a, _)| *a > below && up_to.is_none_or(|u| *a <= u))
            .map(|e| e.1)
            .sum::<f64>()
            // An empty sum is -0.0; print it as 0.
            + 0.0;
        classes.push(AccuracyClass {
            above_m: below,
            up_to_m: up_to,
            length_km: round_to(length / 1e3, 2),
            share: if total > 0.0 {
                round_to(length / total, 4)
            } else {
                0.0
            },
        });
        below = up_to.unwrap_or(below);
    }
    Figures {
        area_km2: round_to(parts.iter().sum(), 1),
        parts_km2: parts.into_iter().map(|a| round_to(a, 1)).collect(),
        perimeter_km: round_to(total / 1e3, 1),
        accuracy: AccuracySpread {
            median_m: median.round(),
            mean_m: mean.round(),
            min_m: edges.first().map_or(0.0, |e| e.0.round()),
            max_m: edges.last().map_or(0.0, |e| e.0.round()),
            classes,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Coord, LineString};

    fn square(lon: f64, lat: f64, d: f64) -> Polygon<f64> {
        Polygon::new(
            LineString(vec![
                Coord { x: lon, y: lat },
                Coord { x: lon + d, y: lat },
                Coord {
                    x: lon + d,
                    y: lat + d,
                },
                Coord { x: lon, y: lat + d },
                Coord { x: lon, y: lat },
            ]),
            vec![],
        )
    }

    #[test]
    #[allow(clippy::float_cmp)] // the figures are rounded: exact values are the point
    fn a_tenth_of_a_degree_square_near_39_8_north_has_the_geodesic_area_and_length_weighted_accuracy(
    ) {
        let p = square(46.7, 39.8, 0.1);
        // Two sides at 1 km, two at 4 km: the east-west sides are shorter
        // than the north-south ones at this latitude.
        let f = figures(
            std::slice::from_ref(&p),
            &[vec![vec![1000.0, 4000.0, 1000.0, 4000.0]]],
        );
        let expect_area = p.geodesic_area_unsigned() / 1e6;
        assert!((f.area_km2 - expect_area).abs() < 0.06);
        assert!(f.area_km2 > 94.0 && f.area_km2 < 96.0, "{}", f.area_km2);
        // The east-west sides differ in length (39.8 and 39.9 degrees north).
        let south = Geodesic.distance(Point::new(46.7, 39.8), Point::new(46.8, 39.8));
        let north = Geodesic.distance(Point::new(46.7, 39.9), Point::new(46.8, 39.9));
        let ns = Geodesic.distance(Point::new(46.8, 39.8), Point::new(46.8, 39.9));
        let ew = south + north;
        let mean = (ew * 1000.0 + 2.0 * ns * 4000.0) / (ew + 2.0 * ns);
        assert_eq!(f.accuracy.mean_m, mean.round());
        assert_eq!(f.accuracy.median_m, 4000.0);
        assert_eq!(f.accuracy.max_m, 4000.0);
        // Class lengths are rounded to 10 m.
        assert!((f.accuracy.classes[0].length_km - ew / 1e3).abs() <= 0.005);
        assert!((f.accuracy.classes[3].length_km - 2.0 * ns / 1e3).abs() <= 0.005);
        assert_eq!(f.accuracy.classes[4].length_km, 0.0);
    }
}
