//! A lazily filled grid of candidates over an index's surroundings: each
//! cell, once asked, lists every item that can answer a nearest query for
//! any point of the cell, so queries there skip the tree walk.
//!
//! Owns the geometry of the bound (cell size, the distortion between the
//! index plane and any query's tangent plane, the ellipsoid's tie margin);
//! the indexes own what "candidate" means and fill the cells from their
//! R-trees. Cells fill on first use (one allocation each), so loading stays
//! fast; points off the grid fall back to the R-tree.
//!
//! A cell's list holds every item within a band about two half-diagonals
//! deep beyond the nearest one, so along a finely digitised boundary a
//! kilometre cell would list thousands of edges. Such a cell keeps no list:
//! its queries walk the index's tree as points off the grid do.

use std::sync::OnceLock;

use crate::geodesy::{metres_per_degree, tangent_error_bound, Plane};

/// Side of a cell on the index plane, metres.
const CELL_M: f64 = 1_000.0;
/// How far beyond the items' extent the grid reaches, metres.
const MARGIN_M: f64 = 15_000.0;
/// A cell whose list would be longer than this keeps none.
const LONGEST_LIST: usize = 64;

/// The grid; see the module documentation.
#[derive(Debug)]
pub struct CandidateGrid {
    min: [f64; 2],
    nx: usize,
    ny: usize,
    /// Each cell's candidates once asked; `None` for a cell that keeps none.
    cells: Vec<OnceLock<Option<Box<[u32]>>>>,
    /// Bound on (largest / smallest) tangent-plane scale relative to the
    /// index plane, for any query point on the grid.
    anisotropy: f64,
    plane: Plane,
}

impl CandidateGrid {
    /// A grid over the extent of `points` (index-plane coordinates).
    pub fn new(points: impl Iterator<Item = [f64; 2]>, plane: Plane) -> Self {
        let mut min = [f64::INFINITY; 2];
        let mut max = [f64::NEG_INFINITY; 2];
        for v in points {
            for k in 0..2 {
                min[k] = min[k].min(v[k] - MARGIN_M);
                max[k] = max[k].max(v[k] + MARGIN_M);
            }
        }
        if !(min[0] < max[0] && min[1] < max[1]) {
            return CandidateGrid {
                min: [0.0; 2],
                nx: 0,
                ny: 0,
                cells: Vec::new(),
                anisotropy: 1.0,
                plane,
            };
        }
        let nx = ((max[0] - min[0]) / CELL_M).ceil() as usize;
        let ny = ((max[1] - min[1]) / CELL_M).ceil() as usize;
        // The scales vary monotonically with latitude, so the grid's top and
        // bottom rows bound them.
        let anisotropy = [min[1], max[1]]
            .into_iter()
            .map(|y| {
                let (kx, ky) = metres_per_degree(plane.unproject([0.0, y]).lat);
                let (a, b) = (plane.scale_x(kx), plane.scale_y(ky));
                a.max(b) / a.min(b)
            })
            .fold(1.0, f64::max)
            * 1.005;
        CandidateGrid {
            min,
            nx,
            ny,
            cells: (0..nx * ny).map(|_| OnceLock::new()).collect(),
            anisotropy,
            plane,
        }
    }

    /// The candidates for `xy`, if it is on the grid and its cell keeps a
    /// list: every item that can be nearest for some point within
    /// `half_diagonal` of `centre`, which `fill(centre, half_diagonal)` makes
    /// on first use (see [`CandidateGrid::search_radius`]). `None` means:
    /// walk the tree.
    pub fn candidates<I: IntoIterator<Item = u32>>(
        &self,
        xy: [f64; 2],
        fill: impl Fn([f64; 2], f64) -> I,
    ) -> Option<&[u32]> {
        let fx = (xy[0] - self.min[0]) / CELL_M;
        let fy = (xy[1] - self.min[1]) / CELL_M;
        if !(fx >= 0.0 && fy >= 0.0) {
            return None;
        }
        let (ix, iy) = (fx as usize, fy as usize);
        if ix >= self.nx || iy >= self.ny {
            return None;
        }
        self.cells[iy * self.nx + ix]
            .get_or_init(|| {
                let centre = [
                    self.min[0] + (ix as f64 + 0.5) * CELL_M,
                    self.min[1] + (iy as f64 + 0.5) * CELL_M,
                ];
                // One past the longest list is enough to know the cell keeps none.
                let list: Vec<u32> = fill(centre, half_diagonal(CELL_M))
                    .into_iter()
                    .take(LONGEST_LIST + 1)
                    .collect();
                (list.len() <= LONGEST_LIST).then(|| list.into_boxed_slice())
            })
            .as_deref()
    }

    /// Index-plane radius around a cell centre that holds every item which
    /// can beat, for some point of the cell, a reference item at index-plane
    /// distance `d_ref` from the centre (the nearest edge, the K-th nearest
    /// place): the reference is within `d_ref + h` of any point of the cell
    /// (`h` the half diagonal), scaled to the worst tangent plane and widened
    /// by the ellipsoid's tie margin; a competitor must be within that of the
    /// point, so within that plus `h` of the centre.
    pub fn search_radius(&self, centre: [f64; 2], d_ref: f64, half_diagonal: f64) -> f64 {
        let lat = self.plane.unproject(centre).lat.abs() + 0.2;
        let reach = (d_ref + half_diagonal) * self.anisotropy;
        let tie = 1.0 + 2.0 * tangent_error_bound(lat, reach * 1.05);
        reach * tie + 1.0 + half_diagonal
    }

    /// Straight-line (Earth-centred) radius around `centre` that holds every
    /// point within index-plane distance `r` of it, for indexes kept in
    /// Earth-centred coordinates: the plane tangent at the centre stretches
    /// index-plane lengths by at most the larger of its two scales, the
    /// ellipsoid differs from that plane by its error bound, and a chord is
    /// never longer than the geodesic.
    pub fn chord_radius(&self, centre: [f64; 2], r: f64) -> f64 {
        let lat = self.plane.unproject(centre).lat;
        let (kx, ky) = metres_per_degree(lat);
        let tangent = r * self.plane.scale_x(kx).max(self.plane.scale_y(ky));
        tangent * (1.0 + tangent_error_bound(lat, tangent * 1.01)) + 1.0
    }
}

/// Half the diagonal of a square cell of side `side`.
fn half_diagonal(side: f64) -> f64 {
    side * std::f64::consts::FRAC_1_SQRT_2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geodesy::{ecef, LonLat};

    #[test]
    fn every_point_within_an_index_plane_radius_lies_within_the_chord_radius() {
        let plane = Plane::REGION;
        // A grid over the region and 15 km around it, as an index of its
        // boundary would have.
        let corners = [LonLat::new(45.9, 39.2), LonLat::new(47.6, 40.5)];
        let grid = CandidateGrid::new(corners.iter().map(|&p| plane.project(p)), plane);
        let mut rng = fastrand::Rng::with_seed(5);
        for _ in 0..20_000 {
            let centre = plane.project(LonLat::new(45.8 + rng.f64() * 1.9, 39.1 + rng.f64() * 1.5));
            let r = rng.f64() * 30_000.0;
            let (angle, along) = (rng.f64() * std::f64::consts::TAU, r * rng.f64().sqrt());
            let point = [
                centre[0] + along * angle.cos(),
                centre[1] + along * angle.sin(),
            ];
            let (c, q) = (ecef(plane.unproject(centre)), ecef(plane.unproject(point)));
            let chord =
                ((c[0] - q[0]).powi(2) + (c[1] - q[1]).powi(2) + (c[2] - q[2]).powi(2)).sqrt();
            assert!(
                chord <= grid.chord_radius(centre, r),
                "{centre:?} {point:?}: {chord} > {}",
                grid.chord_radius(centre, r)
            );
        }
    }
}
