//! Property tests of the spatial core: on seeded random points the R-tree
//! answers equal a brute-force scan, and boundary distances agree with
//! Karney's geodesics within a metre.

use contactline::geodesy::{closest_on_segment, distance_m, LocalScale, LonLat};
use contactline::index::{PointIndex, RegionIndex, Ring};
use geo::{Contains, Coord, LineString, Polygon};
use geographiclib_rs::{Geodesic, InverseGeodesic};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

const CENTRE: LonLat = LonLat::new(46.75, 39.8);

/// A jagged star-shaped ring of `n` vertices, radius 0.1–0.3 degrees.
fn star(n: usize, seed: u64, scale: f64) -> Ring {
    let mut state = seed;
    let mut ring: Ring = (0..n)
        .map(|i| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let jitter = (state >> 33) as f64 / f64::from(u32::MAX);
            let a = i as f64 / n as f64 * std::f64::consts::TAU;
            let r = scale * (0.1 + 0.2 * jitter);
            LonLat::new(CENTRE.lon + r * a.cos() * 1.3, CENTRE.lat + r * a.sin())
        })
        .collect();
    ring.push(ring[0]);
    ring
}

fn to_geo(ring: &Ring) -> LineString<f64> {
    ring.iter().map(|p| Coord { x: p.lon, y: p.lat }).collect()
}

fn karney(a: LonLat, b: LonLat) -> f64 {
    InverseGeodesic::<f64>::inverse(&Geodesic::wgs84(), a.lat, a.lon, b.lat, b.lon)
}

/// The minimum Karney distance from `p` to the edges of `rings` nearest to
/// it, found by golden-section search along each edge (distance along a short
/// straight lon/lat segment is unimodal): an independent reference.
fn karney_reference(p: LonLat, rings: &[Ring]) -> f64 {
    let mut edges: Vec<(f64, LonLat, LonLat)> = rings
        .iter()
        .flat_map(|r| {
            r.windows(2).map(|w| {
                (
                    closest_on_segment(&LocalScale::at(p.lat), p, w[0], w[1]).1,
                    w[0],
                    w[1],
                )
            })
        })
        .collect();
    edges.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut best = f64::INFINITY;
    let phi = (5f64.sqrt() - 1.0) / 2.0;
    for &(_, a, b) in edges.iter().take(4) {
        let at = |t: f64| {
            karney(
                p,
                LonLat::new(a.lon + t * (b.lon - a.lon), a.lat + t * (b.lat - a.lat)),
            )
        };
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        for _ in 0..80 {
            let (m1, m2) = (hi - phi * (hi - lo), lo + phi * (hi - lo));
            if at(m1) < at(m2) {
                hi = m2;
            } else {
                lo = m1;
            }
        }
        best = best.min(at(0.5 * (lo + hi))).min(at(0.0)).min(at(1.0));
    }
    best
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    )
}

#[test]
fn index_answers_equal_a_brute_force_scan_on_random_points() {
    let outer = star(2000, 1, 1.0);
    let hole = star(300, 2, 0.25);
    let rings = vec![outer.clone(), hole.clone()];
    let acc: Vec<Vec<f64>> = rings.iter().map(|r| vec![500.0; r.len() - 1]).collect();
    let index = RegionIndex::new(&rings, &acc);
    let polygon = Polygon::new(to_geo(&outer), vec![to_geo(&hole)]);
    let points = (-0.5f64..0.5, -0.45f64..0.45);
    runner(2000)
        .run(&points, |(dx, dy)| {
            let p = LonLat::new(CENTRE.lon + dx, CENTRE.lat + dy);
            let (signed, hit) = index.signed_distance(p).expect("non-empty");
            let inside = polygon.contains(&geo::Point::new(p.lon, p.lat));
            prop_assert_eq!(signed < 0.0, inside, "inside/outside differs at {:?}", p);
            let brute = rings
                .iter()
                .flat_map(|r| {
                    r.windows(2)
                        .map(|w| closest_on_segment(&LocalScale::at(p.lat), p, w[0], w[1]).1)
                })
                .fold(f64::INFINITY, f64::min);
            prop_assert!(
                (hit.distance_m - brute).abs() < 1e-6,
                "index {} vs scan {brute}",
                hit.distance_m
            );
            Ok(())
        })
        .expect("property holds");
}

#[test]
fn boundary_distances_agree_with_karney_geodesics_within_a_metre() {
    let rings = vec![star(2000, 3, 1.0)];
    let acc = vec![vec![500.0; 2000]];
    let index = RegionIndex::new(&rings, &acc);
    runner(150)
        .run(&(-0.6f64..0.6, -0.5f64..0.5), |(dx, dy)| {
            let p = LonLat::new(CENTRE.lon + dx, CENTRE.lat + dy);
            let hit = index.nearest_boundary(p).expect("non-empty");
            // The reported closest point is really at the reported distance...
            prop_assert!((karney(p, hit.closest) - hit.distance_m).abs() < 1.0);
            // ...and it is the nearest boundary point within a metre.
            let reference = karney_reference(p, &rings);
            prop_assert!(
                (hit.distance_m - reference).abs() < 1.0,
                "{} vs reference {reference}",
                hit.distance_m
            );
            Ok(())
        })
        .expect("property holds");
}

#[test]
fn nearest_points_equal_a_brute_force_ranking() {
    let ring = star(500, 4, 1.0);
    let index = PointIndex::new(ring.clone());
    runner(1000)
        .run(&(-0.8f64..0.8, -0.8f64..0.8), |(dx, dy)| {
            let p = LonLat::new(CENTRE.lon + dx, CENTRE.lat + dy);
            let (found, n) = index.nearest::<3>(p);
            prop_assert_eq!(n, 3);
            let mut brute: Vec<f64> = ring[..ring.len() - 1]
                .iter()
                .map(|q| distance_m(p, *q))
                .collect();
            brute.sort_by(f64::total_cmp);
            // The index reads the scales near the query off quadratics,
            // good to well under a millimetre.
            for k in 0..3 {
                prop_assert!((found[k].distance_m - brute[k]).abs() < 1e-3);
            }
            Ok(())
        })
        .expect("property holds");
}

#[test]
fn short_distances_agree_with_karney_within_a_metre_anywhere_in_the_region() {
    runner(2000)
        .run(
            &(45.0f64..48.5, 38.5f64..41.0, -0.4f64..0.4, -0.3f64..0.3),
            |(lon, lat, dx, dy)| {
                let a = LonLat::new(lon, lat);
                let b = LonLat::new(lon + dx, lat + dy);
                prop_assert!((distance_m(a, b) - karney(a, b)).abs() < 1.0);
                Ok(())
            },
        )
        .expect("property holds");
}
