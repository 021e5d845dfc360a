//! An indexed polygon set: point-in-polygon and signed distance to its
//! boundary in microseconds, with the accuracy of the nearest boundary edge.
//!
//! Owns the two-phase search (R-tree of edges, then exact tests). The
//! boundary rule: a point *on* the boundary counts as inside (a "covers"
//! test, unlike `geo::Contains`), and the verdict always flags it as near the
//! boundary anyway. Knows nothing of dates or layers.

use rstar::primitives::{GeomWithData, Line};
use rstar::{RTree, AABB};

use crate::geodesy::{closest_on_segment, LonLat, Plane};

/// A boundary ring of lon/lat vertices (closed: first == last).
pub type Ring = Vec<LonLat>;

/// One edge of a boundary, with what the verdict needs about it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgeInfo {
    /// Start vertex.
    pub a: LonLat,
    /// End vertex.
    pub b: LonLat,
    /// How far the true boundary may be from this edge, in metres.
    pub accuracy_m: f32,
}

type Edge = GeomWithData<Line<[f64; 2]>, EdgeInfo>;

/// The nearest boundary edge to a point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundaryHit {
    /// Ellipsoidal distance to the boundary, metres, always `>= 0`.
    pub distance_m: f64,
    /// The closest boundary point.
    pub closest: LonLat,
    /// Accuracy of that edge.
    pub accuracy_m: f64,
}

/// Polygons (outer rings and holes, even-odd) indexed by their edges.
#[derive(Debug)]
pub struct RegionIndex {
    edges: RTree<Edge>,
    lat_range: (f64, f64),
    max_x: f64,
}

impl RegionIndex {
    /// Indexes rings with one accuracy per edge (`accuracies[r][e]` for the
    /// edge from vertex `e` to `e + 1` of ring `r`).
    pub fn new(rings: &[Ring], accuracies: &[Vec<f64>]) -> Self {
        let plane = Plane::REGION;
        let mut edges = Vec::new();
        let mut lat_range = (f64::INFINITY, f64::NEG_INFINITY);
        let mut max_x = f64::NEG_INFINITY;
        for (ring, acc) in rings.iter().zip(accuracies) {
            for (i, w) in ring.windows(2).enumerate() {
                let (a, b) = (w[0], w[1]);
                let (pa, pb) = (plane.project(a), plane.project(b));
                lat_range = (lat_range.0.min(a.lat), lat_range.1.max(a.lat));
                max_x = max_x.max(pa[0]).max(pb[0]);
                let accuracy_m = acc.get(i).copied().unwrap_or(0.0) as f32;
                edges.push(Edge::new(Line::new(pa, pb), EdgeInfo { a, b, accuracy_m }));
            }
        }
        RegionIndex {
            edges: RTree::bulk_load(edges),
            lat_range,
            max_x,
        }
    }

    /// Number of indexed edges.
    pub fn edge_count(&self) -> usize {
        self.edges.size()
    }

    /// Whether the point lies strictly inside by the even-odd rule (a ray to
    /// the east crosses the boundary an odd number of times). Points on the
    /// boundary may go either way here; [`Self::signed_distance`] settles them.
    fn crosses_odd(&self, xy: [f64; 2]) -> bool {
        if xy[0] > self.max_x {
            return false;
        }
        let ray = AABB::from_corners(xy, [self.max_x + 1.0, xy[1]]);
        let mut inside = false;
        for e in self.edges.locate_in_envelope_intersecting(&ray) {
            let (a, b) = (e.geom().from, e.geom().to);
            if (a[1] > xy[1]) != (b[1] > xy[1]) {
                let x = a[0] + (xy[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
                if x > xy[0] {
                    inside = !inside;
                }
            }
        }
        inside
    }

    /// The nearest boundary edge, exact to the ellipsoid.
    ///
    /// Candidates come from the R-tree in plane distance order; we stop once
    /// the plane distance, scaled by the plane's worst distortion, cannot
    /// beat the best true distance found.
    pub fn nearest_boundary(&self, p: LonLat) -> Option<BoundaryHit> {
        let plane = Plane::REGION;
        let xy = plane.project(p);
        let scale = plane.min_scale(self.lat_range.0.min(p.lat), self.lat_range.1.max(p.lat));
        let mut best: Option<BoundaryHit> = None;
        for (e, d2) in self.edges.nearest_neighbor_iter_with_distance_2(&xy) {
            if let Some(b) = best {
                if d2.sqrt() * scale > b.distance_m {
                    break;
                }
            }
            let info = e.data;
            let (closest, distance_m) = closest_on_segment(p, info.a, info.b);
            if best.is_none_or(|b| distance_m < b.distance_m) {
                best = Some(BoundaryHit {
                    distance_m,
                    closest,
                    accuracy_m: f64::from(info.accuracy_m),
                });
            }
        }
        best
    }

    /// Signed distance to the boundary (negative inside, zero on it) and the
    /// nearest edge; `None` for an empty region.
    pub fn signed_distance(&self, p: LonLat) -> Option<(f64, BoundaryHit)> {
        let hit = self.nearest_boundary(p)?;
        let inside = self.crosses_odd(Plane::REGION.project(p));
        let signed = if inside || hit.distance_m == 0.0 {
            -hit.distance_m
        } else {
            hit.distance_m
        };
        Some((signed, hit))
    }

    /// Every edge, for brute-force checks and exports.
    pub fn edges(&self) -> impl Iterator<Item = &EdgeInfo> {
        self.edges.iter().map(|e| &e.data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geodesy::distance_m;

    fn square(lon: f64, lat: f64, half: f64) -> Ring {
        vec![
            LonLat::new(lon - half, lat - half),
            LonLat::new(lon + half, lat - half),
            LonLat::new(lon + half, lat + half),
            LonLat::new(lon - half, lat + half),
            LonLat::new(lon - half, lat - half),
        ]
    }

    fn region(rings: &[Ring]) -> RegionIndex {
        let acc: Vec<Vec<f64>> = rings.iter().map(|r| vec![100.0; r.len() - 1]).collect();
        RegionIndex::new(rings, &acc)
    }

    #[test]
    fn centre_is_inside_and_outside_point_is_outside() {
        let r = region(&[square(46.7, 39.8, 0.1)]);
        let (d, _) = r.signed_distance(LonLat::new(46.7, 39.8)).unwrap();
        assert!(d < 0.0);
        // 0.1 degree of latitude is about 11.1 km.
        assert!(
            (d.abs() - distance_m(LonLat::new(46.7, 39.8), LonLat::new(46.7, 39.9))).abs() < 200.0
        );
        let (d, hit) = r.signed_distance(LonLat::new(47.0, 39.8)).unwrap();
        assert!(d > 0.0);
        assert!((hit.accuracy_m - 100.0).abs() < 1e-9);
    }

    #[test]
    fn a_point_on_the_boundary_counts_as_inside_at_distance_zero() {
        let r = region(&[square(46.7, 39.8, 0.1)]);
        for p in [
            LonLat::new(46.6, 39.8),
            LonLat::new(46.8, 39.85),
            LonLat::new(46.8, 39.9),
        ] {
            let (d, _) = r.signed_distance(p).unwrap();
            assert!(d <= 0.0 && d > -1e-6, "{p:?} gave {d}");
        }
    }

    #[test]
    fn holes_are_outside() {
        let r = region(&[square(46.7, 39.8, 0.2), square(46.7, 39.8, 0.05)]);
        assert!(r.signed_distance(LonLat::new(46.7, 39.8)).unwrap().0 > 0.0);
        assert!(r.signed_distance(LonLat::new(46.55, 39.8)).unwrap().0 < 0.0);
    }

    #[test]
    fn an_empty_region_has_no_boundary() {
        assert!(RegionIndex::new(&[], &[])
            .signed_distance(LonLat::new(46.0, 39.0))
            .is_none());
    }
}
