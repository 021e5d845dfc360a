//! Nearest places: a k-nearest-neighbour search over point features.
//!
//! Owns ranking by true ellipsoidal distance; candidates come from an R-tree
//! in the fixed plane with the same stopping rule as the boundary search.

use rstar::primitives::GeomWithData;
use rstar::RTree;

use super::grid::CandidateGrid;
use crate::geodesy::{LocalScale, LonLat, Plane};

type Entry = GeomWithData<[f64; 2], u32>;

/// A point set searchable by distance; each point carries a caller's index.
#[derive(Debug)]
pub struct PointIndex {
    tree: RTree<Entry>,
    positions: Vec<LonLat>,
    grid: CandidateGrid,
}

/// The grid's cells hold candidates for up to this many nearest points;
/// larger `K` walk the tree.
const GRID_K: usize = 3;

/// A neighbour found by [`PointIndex::nearest`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbour {
    /// The caller's index of the point.
    pub item: usize,
    /// Ellipsoidal distance, metres.
    pub distance_m: f64,
}

impl PointIndex {
    /// Indexes positions; item `i` is `positions[i]`.
    pub fn new(positions: Vec<LonLat>) -> Self {
        let plane = Plane::REGION;
        let entries = positions
            .iter()
            .enumerate()
            .map(|(i, p)| Entry::new(plane.project(*p), i as u32))
            .collect::<Vec<_>>();
        let grid = CandidateGrid::new(positions.iter().map(|p| plane.project(*p)), plane);
        PointIndex {
            tree: RTree::bulk_load(entries),
            positions,
            grid,
        }
    }

    /// The `K` nearest points, nearest first, without allocating.
    ///
    /// Candidates are ranked on the plane tangent at `p` (no trigonometry per
    /// candidate); the ellipsoidal distance is computed for the few that can
    /// still be among the `K` nearest.
    pub fn nearest<const K: usize>(&self, p: LonLat) -> ([Neighbour; K], usize) {
        self.nearest_with_scale::<K>(p, &LocalScale::at(p.lat))
    }

    /// [`PointIndex::nearest`] with the scales at `p` given, for a query that
    /// searches several indexes.
    pub fn nearest_with_scale<const K: usize>(
        &self,
        p: LonLat,
        local: &LocalScale,
    ) -> ([Neighbour; K], usize) {
        // Tangent-plane and ellipsoidal distances differ by well under 2 %
        // at the distances that matter here.
        let plane = Plane::REGION;
        let (kx, ky) = (local.kx, local.ky);
        let scale = plane.tangent_scale(kx, ky);
        // Whether a tangent-plane distance can still beat a true distance.
        let may_beat =
            |tangent: f64, truth: f64| tangent * (1.0 - local.error_bound(tangent)) <= truth + 0.5;
        let mut out = [Neighbour {
            item: 0,
            distance_m: f64::INFINITY,
        }; K];
        let mut n = 0;
        let offer = |item: usize, out: &mut [Neighbour; K], n: &mut usize| {
            let q = self.positions[item];
            let rough = (((q.lon - p.lon) * kx).powi(2) + ((q.lat - p.lat) * ky).powi(2)).sqrt();
            if *n == K && !may_beat(rough, out[K - 1].distance_m) {
                return;
            }
            let d = local.distance_m(p, q);
            if *n < K {
                *n += 1;
            } else if d >= out[K - 1].distance_m {
                return;
            }
            // Insertion into the sorted, fixed-size list.
            let mut i = *n - 1;
            while i > 0 && out[i - 1].distance_m > d {
                out[i] = out[i - 1];
                i -= 1;
            }
            out[i] = Neighbour {
                item,
                distance_m: d,
            };
        };
        let xy = plane.project(p);
        let fill = |centre: [f64; 2], half_diagonal: f64| {
            let d_ref = self
                .tree
                .nearest_neighbor_iter_with_distance_2(&centre)
                .nth(GRID_K - 1)
                .map_or(f64::INFINITY, |(_, d2)| d2.sqrt());
            if d_ref.is_infinite() {
                return (0..self.positions.len() as u32).collect::<Vec<_>>();
            }
            let r = self.grid.search_radius(centre, d_ref, half_diagonal);
            self.tree
                .locate_within_distance(centre, r * r)
                .map(|e| e.data)
                .collect()
        };
        let grid = if K <= GRID_K {
            self.grid.candidates(xy, fill)
        } else {
            None
        };
        if let Some(ids) = grid {
            for &id in ids {
                offer(id as usize, &mut out, &mut n);
            }
            return (out, n);
        }
        for (e, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&xy) {
            if n == K && !may_beat(d2.sqrt() * scale, out[K - 1].distance_m) {
                break;
            }
            offer(e.data as usize, &mut out, &mut n);
        }
        (out, n)
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geodesy::distance_m;

    #[test]
    fn nearest_three_are_sorted_and_exact() {
        let pts: Vec<LonLat> = (0..50)
            .map(|i| LonLat::new(46.0 + f64::from(i) * 0.03, 39.5 + f64::from(i % 7) * 0.05))
            .collect();
        let idx = PointIndex::new(pts.clone());
        let q = LonLat::new(46.62, 39.71);
        let (found, n) = idx.nearest::<3>(q);
        assert_eq!(n, 3);
        let mut brute: Vec<(usize, f64)> = pts
            .iter()
            .enumerate()
            .map(|(i, p)| (i, distance_m(q, *p)))
            .collect();
        brute.sort_by(|a, b| a.1.total_cmp(&b.1));
        for k in 0..3 {
            assert_eq!(found[k].item, brute[k].0);
        }
    }

    #[test]
    fn fewer_points_than_asked_returns_what_there_is() {
        let idx = PointIndex::new(vec![LonLat::new(46.0, 39.0)]);
        let (_, n) = idx.nearest::<3>(LonLat::new(46.1, 39.1));
        assert_eq!(n, 1);
    }
}
