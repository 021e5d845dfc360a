//! An indexed polygon set: point-in-polygon and signed distance to its
//! boundary in microseconds, with the accuracy of the nearest boundary edge.
//!
//! Owns the two-phase search: candidates come from a grid of cells (see
//! [`super::grid`], filled from the tree below) or, where no cell lists
//! them, from a walk of an R-tree of the edges' chords in Earth-centred
//! coordinates; exact tests on the
//! ellipsoid pick the nearest, and the side of that nearest edge (rings
//! oriented outer-CCW, holes-CW at build) says inside or outside, so one
//! search answers both questions. The boundary rule: a point *on* the
//! boundary counts as inside (a "covers" test, unlike `geo::Contains`), and
//! the verdict flags it as near the boundary anyway. Knows nothing of dates
//! or layers.

use geo::{Contains, Coord, LineString, Point, Polygon, Winding};
use rstar::primitives::{GeomWithData, Line};
use rstar::RTree;

use super::grid::CandidateGrid;
use crate::geodesy::{closest_on_segment, ecef, short_fall_bound, LocalScale, LonLat, Plane};

/// A boundary ring of lon/lat vertices (closed: first == last).
pub type Ring = Vec<LonLat>;

/// One edge of a boundary, with what the verdict needs about it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgeInfo {
    /// Start vertex.
    pub a: LonLat,
    /// End vertex.
    pub b: LonLat,
    /// The vertex before `a` on the ring (for the side test at a corner).
    prev: LonLat,
    /// The vertex after `b` on the ring.
    next: LonLat,
    /// How far the true boundary may be from this edge, in metres.
    pub accuracy_m: f32,
    /// Why the edge lies here: an index into the owner's list of bases
    /// ([`NO_BASIS`] when none was given).
    pub basis: u32,
}

/// The basis index of an edge built without one.
pub const NO_BASIS: u32 = u32::MAX;

/// An edge as the straight line between its ends in Earth-centred
/// coordinates (metres).
type Chord = GeomWithData<Line<[f64; 3]>, u32>;

/// The nearest boundary edge to a point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundaryHit {
    /// Ellipsoidal distance to the boundary, metres, always `>= 0`.
    pub distance_m: f64,
    /// The closest boundary point.
    pub closest: LonLat,
    /// Accuracy of that edge.
    pub accuracy_m: f64,
    /// Basis index of that edge ([`NO_BASIS`] when none was given).
    pub basis: u32,
    /// Whether the point lies inside the region (or on its boundary).
    pub inside: bool,
}

/// Polygons (outer rings and holes, even-odd) indexed by their edges.
#[derive(Debug)]
pub struct RegionIndex {
    chords: RTree<Chord>,
    /// The farthest any edge strays from its chord, metres.
    bend_m: f64,
    infos: Vec<EdgeInfo>,
    grid: CandidateGrid,
    bbox: [f64; 4],
}

/// A ring as a `geo` line string in lon/lat, for build-time geometry.
fn line_string(ring: &[LonLat]) -> LineString {
    ring.iter().map(|p| Coord { x: p.lon, y: p.lat }).collect()
}

/// Positive when `p` is left of the directed line `a` -> `b`. Any affine map
/// with positive scales (our planes) keeps the sign, so lon/lat will do.
fn cross(a: LonLat, b: LonLat, p: LonLat) -> f64 {
    (b.lon - a.lon) * (p.lat - a.lat) - (b.lat - a.lat) * (p.lon - a.lon)
}

impl RegionIndex {
    /// Indexes rings with one accuracy per edge (`accuracies[r][e]` for the
    /// edge from vertex `e` to `e + 1` of ring `r`). Which rings are holes
    /// follows from nesting (even-odd, by `geo::Contains`), and `geo`'s
    /// winding order sets each ring's direction, so any ring order or
    /// orientation works.
    pub fn new(rings: &[Ring], accuracies: &[Vec<f64>]) -> Self {
        Self::with_bases(rings, accuracies, &[])
    }

    /// [`RegionIndex::new`] with each edge's basis index, nested like the
    /// accuracies (`bases[r][e]`); a missing entry is [`NO_BASIS`]. The
    /// index only keeps the number: what it means is the caller's.
    pub fn with_bases(rings: &[Ring], accuracies: &[Vec<f64>], bases: &[Vec<u32>]) -> Self {
        let plane = Plane::REGION;
        let mut chords = Vec::new();
        let mut bend_m = 0f64;
        let mut infos = Vec::new();
        let mut bbox = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        // Each ring as a polygon of its own, to count the rings around another.
        let shapes: Vec<Option<Polygon>> = rings
            .iter()
            .map(|r| (r.len() >= 4).then(|| Polygon::new(line_string(r), Vec::new())))
            .collect();
        for (r, (ring, acc)) in rings.iter().zip(accuracies).enumerate() {
            if ring.len() < 4 {
                continue;
            }
            let first = Point::new(ring[0].lon, ring[0].lat);
            let depth = shapes
                .iter()
                .enumerate()
                .filter(|&(o, shape)| o != r && shape.as_ref().is_some_and(|s| s.contains(&first)))
                .count();
            // Outer rings counter-clockwise, holes clockwise: inside is always on the left.
            let want_ccw = depth % 2 == 0;
            let mut ring: Ring = ring.clone();
            let mut acc: Vec<f64> = acc.clone();
            acc.resize(ring.len() - 1, 0.0);
            let mut basis: Vec<u32> = bases.get(r).cloned().unwrap_or_default();
            basis.resize(ring.len() - 1, NO_BASIS);
            if line_string(&ring).is_ccw() != want_ccw {
                ring.reverse();
                acc.reverse();
                basis.reverse();
            }
            // A repeated vertex makes a zero-length edge, which has no
            // direction to judge a side by: keep only edges of some length.
            let kept: Vec<usize> = (0..ring.len() - 1)
                .filter(|&i| ring[i] != ring[i + 1])
                .collect();
            if kept.len() < 3 {
                continue;
            }
            let starts: Vec<LonLat> = kept.iter().map(|&i| ring[i]).collect();
            let n = starts.len();
            for (k, &i) in kept.iter().enumerate() {
                let (a, b) = (starts[k], starts[(k + 1) % n]);
                let prev = starts[(k + n - 1) % n];
                let next = starts[(k + 2) % n];
                bbox = [
                    bbox[0].min(a.lon),
                    bbox[1].min(a.lat),
                    bbox[2].max(a.lon),
                    bbox[3].max(a.lat),
                ];
                let chord = Line::new(ecef(a), ecef(b));
                bend_m = bend_m.max(bend(a, b, &chord));
                chords.push(Chord::new(chord, infos.len() as u32));
                infos.push(EdgeInfo {
                    a,
                    b,
                    prev,
                    next,
                    accuracy_m: acc[i] as f32,
                    basis: basis[i],
                });
            }
        }
        let grid = CandidateGrid::new(
            infos
                .iter()
                .flat_map(|e: &EdgeInfo| [plane.project(e.a), plane.project(e.b)]),
            plane,
        );
        RegionIndex {
            chords: RTree::bulk_load(chords),
            bend_m,
            infos,
            grid,
            bbox,
        }
    }

    /// Number of indexed edges.
    pub fn edge_count(&self) -> usize {
        self.infos.len()
    }

    /// `[min_lon, min_lat, max_lon, max_lat]` of the boundary.
    pub fn bbox(&self) -> [f64; 4] {
        self.bbox
    }

    /// The nearest boundary edge, exact to the ellipsoid, and the side.
    ///
    /// A grid cell's candidates are ranked on the plane tangent at `p`, and
    /// those within that plane's error bound of the best are settled by the
    /// ellipsoidal distance; where no cell lists candidates, the chord tree
    /// is walked instead.
    pub fn nearest_boundary(&self, p: LonLat) -> Option<BoundaryHit> {
        self.nearest_boundary_with_scale(p, &LocalScale::at(p.lat))
    }

    /// [`RegionIndex::nearest_boundary`] with the scales at `p` given, for a
    /// query that searches several indexes.
    pub fn nearest_boundary_with_scale(
        &self,
        p: LonLat,
        local: &LocalScale,
    ) -> Option<BoundaryHit> {
        let plane = Plane::REGION;
        let xy = plane.project(p);
        let (kx, ky) = (local.kx, local.ky);
        // The few best candidates by tangent-plane distance, nearest first.
        let mut best: [(f64, Option<&EdgeInfo>, f64); 4] = [(f64::INFINITY, None, 0.0); 4];
        let reach = |d: f64| d * (1.0 + 2.0 * local.error_bound(d)) + 0.5;
        let fill = |centre: [f64; 2], half_diagonal: f64| {
            let centre3 = ecef(plane.unproject(centre));
            // The edge of the nearest chord is a reference as good as any:
            // the radius holds whatever can beat it.
            let d_ref = self.chords.nearest_neighbor(&centre3).map_or(0.0, |e| {
                let info = &self.infos[e.data as usize];
                let edge = Line::new(plane.project(info.a), plane.project(info.b));
                rstar::PointDistance::distance_2(&edge, &centre).sqrt()
            });
            let r = self.grid.search_radius(centre, d_ref, half_diagonal);
            let r3 = self.grid.chord_radius(centre, r) + self.bend_m;
            self.chords
                .locate_within_distance(centre3, r3 * r3)
                .map(|e| e.data)
        };
        let Some(ids) = self.grid.candidates(xy, fill) else {
            return self.walk(p, local);
        };
        for &id in ids {
            push_best(&mut best, &self.infos[id as usize], p, kx, ky);
        }
        let (_, Some(nearest), t) = best[0] else {
            return None;
        };
        let inside = side_is_inside(nearest, t, p);
        let mut hit: Option<(f64, &EdgeInfo, LonLat)> = None;
        for &(d, info, _) in &best {
            let Some(info) = info else { break };
            if d > reach(best[0].0) {
                break;
            }
            let (closest, distance_m) = closest_on_segment(local, p, info.a, info.b);
            if hit.is_none_or(|(d, best, _)| beats(distance_m, info, d, best)) {
                hit = Some((distance_m, info, closest));
            }
        }
        hit.map(|(distance_m, info, closest)| BoundaryHit {
            distance_m,
            closest,
            accuracy_m: f64::from(info.accuracy_m),
            basis: info.basis,
            inside,
        })
    }

    /// The nearest edge by a walk of the chord tree, for points no grid cell
    /// lists candidates for. Chords come nearest first; an edge's computed
    /// distance is at least its chord's distance less its bend and the flat
    /// formula's short fall ([`short_fall_bound`]), so once a chord is that
    /// much farther than the best edge found, no later edge can win. The
    /// band walked is only as deep as the gap between chord and computed
    /// distance (centimetres at tens of kilometres), however finely the
    /// boundary is digitised, where the tangent plane's margin would be
    /// hundreds of metres.
    fn walk(&self, p: LonLat, local: &LocalScale) -> Option<BoundaryHit> {
        let mut best: Option<(f64, LonLat, &EdgeInfo)> = None;
        for (chord, d2) in self.chords.nearest_neighbor_iter_with_distance_2(&ecef(p)) {
            if let Some((d, ..)) = best {
                let nearest_possible = d2.sqrt() - self.bend_m;
                if nearest_possible - short_fall_bound(nearest_possible) > d + TIE_M {
                    break;
                }
            }
            let info = &self.infos[chord.data as usize];
            let (closest, d) = closest_on_segment(local, p, info.a, info.b);
            if best.is_none_or(|(b, _, best)| beats(d, info, b, best)) {
                best = Some((d, closest, info));
            }
        }
        let (distance_m, closest, info) = best?;
        let (t, _) = foot_on_plane(p, info.a, info.b, local.kx, local.ky);
        Some(BoundaryHit {
            distance_m,
            closest,
            accuracy_m: f64::from(info.accuracy_m),
            basis: info.basis,
            inside: side_is_inside(info, t, p),
        })
    }

    /// Signed distance to the boundary (negative inside, zero on it) and the
    /// nearest edge; `None` for an empty region.
    pub fn signed_distance(&self, p: LonLat) -> Option<(f64, BoundaryHit)> {
        self.signed_distance_with_scale(p, &LocalScale::at(p.lat))
    }

    /// [`RegionIndex::signed_distance`] with the scales at `p` given.
    pub fn signed_distance_with_scale(
        &self,
        p: LonLat,
        local: &LocalScale,
    ) -> Option<(f64, BoundaryHit)> {
        let hit = self.nearest_boundary_with_scale(p, local)?;
        let signed = if hit.inside || hit.distance_m == 0.0 {
            -hit.distance_m
        } else {
            hit.distance_m
        };
        Some((signed, hit))
    }

    /// Every edge's basis index, in the order of [`RegionIndex::edges`].
    pub fn edge_bases(&self) -> impl Iterator<Item = u32> + '_ {
        self.infos.iter().map(|e| e.basis)
    }

    /// Every edge's end points and accuracy, for brute-force checks and exports.
    pub fn edges(&self) -> impl Iterator<Item = (LonLat, LonLat, f64)> + '_ {
        self.infos
            .iter()
            .map(|e| (e.a, e.b, f64::from(e.accuracy_m)))
    }
}

/// How far the edge `a`–`b` (straight in longitude and latitude) strays from
/// its chord: measured at its middle, where the gap (quadratic along the
/// edge) peaks, and widened a quarter for the rest of its shape.
fn bend(a: LonLat, b: LonLat, chord: &Line<[f64; 3]>) -> f64 {
    let middle = ecef(LonLat::new(0.5 * (a.lon + b.lon), 0.5 * (a.lat + b.lat)));
    1.25 * rstar::PointDistance::distance_2(chord, &middle).sqrt() + 1e-6
}

/// Distances closer than this are a tie: two edges meeting at the vertex
/// nearest a point are equally near, their computed distances differing
/// only by rounding.
const TIE_M: f64 = 1e-3;

/// Whether an edge at `d` metres beats the best so far, at `best_d`. In a
/// tie the less accurate edge wins (then the lower basis index; of edges
/// alike, the nearer), so the verdict never states the boundary at a shared
/// vertex more precisely than either edge is, and the grid and the chord
/// walk name the same edge.
fn beats(d: f64, info: &EdgeInfo, best_d: f64, best: &EdgeInfo) -> bool {
    let key = |e: &EdgeInfo| (e.accuracy_m, std::cmp::Reverse(e.basis));
    if (d - best_d).abs() > TIE_M || key(info) == key(best) {
        return d < best_d;
    }
    key(info) > key(best)
}

/// The few best candidates by tangent-plane distance, kept sorted.
fn push_best<'a>(
    best: &mut [(f64, Option<&'a EdgeInfo>, f64); 4],
    info: &'a EdgeInfo,
    p: LonLat,
    kx: f64,
    ky: f64,
) {
    let (t, d) = foot_on_plane(p, info.a, info.b, kx, ky);
    if d < best[3].0 {
        let mut i = 3;
        while i > 0 && best[i - 1].0 > d {
            best[i] = best[i - 1];
            i -= 1;
        }
        best[i] = (d, Some(info), t);
    }
}

/// Parameter `t` of the foot of `p` on segment `a`-`b`, and its distance in
/// metres, on the plane tangent at `p` (scales `kx`, `ky`).
fn foot_on_plane(p: LonLat, a: LonLat, b: LonLat, kx: f64, ky: f64) -> (f64, f64) {
    let (ax, ay) = ((a.lon - p.lon) * kx, (a.lat - p.lat) * ky);
    let (dx, dy) = ((b.lon - a.lon) * kx, (b.lat - a.lat) * ky);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (fx, fy) = (ax + t * dx, ay + t * dy);
    (t, (fx * fx + fy * fy).sqrt())
}

/// Inside (left of the boundary) or not, judged at the nearest edge. When the
/// foot is a vertex, the two edges meeting there decide together: at a convex
/// corner the point must be left of both, at a reflex one left of either.
fn side_is_inside(e: &EdgeInfo, t: f64, p: LonLat) -> bool {
    let left_of_edge = cross(e.a, e.b, p) >= 0.0;
    let (u, v, w) = if t <= 0.0 {
        (e.prev, e.a, e.b)
    } else if t >= 1.0 {
        (e.a, e.b, e.next)
    } else {
        return left_of_edge;
    };
    let left1 = cross(u, v, p) >= 0.0;
    let left2 = cross(v, w, p) >= 0.0;
    if cross(u, v, w) >= 0.0 {
        left1 && left2
    } else {
        left1 || left2
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

    /// A ring of `n` vertices around (46.75, 39.8), about 8 km across,
    /// wavy so that its edges are not all alike.
    fn dense_ring(n: usize) -> Ring {
        let mut ring: Ring = (0..n)
            .map(|i| {
                let t = i as f64 / n as f64 * std::f64::consts::TAU;
                let r = 0.05 * (1.0 + 0.2 * (5.0 * t).sin());
                LonLat::new(46.75 + 1.3 * r * t.cos(), 39.8 + r * t.sin())
            })
            .collect();
        ring.push(ring[0]);
        ring
    }

    #[test]
    fn along_a_finely_digitised_boundary_the_chord_walk_finds_the_nearest_edge() {
        // 20,000 edges about 2 m long: a kilometre cell near the ring would
        // list far more than a cell keeps, so these points walk the tree.
        let ring = dense_ring(20_000);
        let r = region(std::slice::from_ref(&ring));
        let poly = Polygon::new(
            LineString::from(ring.iter().map(|p| (p.lon, p.lat)).collect::<Vec<_>>()),
            vec![],
        );
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..300 {
            let p = LonLat::new(46.60 + rng.f64() * 0.30, 39.68 + rng.f64() * 0.24);
            let (signed, _) = r.signed_distance(p).unwrap();
            let local = LocalScale::at(p.lat);
            let brute = ring
                .windows(2)
                .map(|w| closest_on_segment(&local, p, w[0], w[1]).1)
                .fold(f64::INFINITY, f64::min);
            assert!(
                (signed.abs() - brute).abs() < 1e-6,
                "{p:?}: index {signed}, brute force {brute}"
            );
            let inside = poly.contains(&Point::new(p.lon, p.lat));
            assert_eq!(signed < 0.0, inside, "{p:?}");
        }
    }

    #[test]
    fn far_off_the_grid_and_along_edges_that_bend_far_from_their_chords_the_walk_agrees_with_a_scan(
    ) {
        // Edges of 85-110 km stray some 200 m from their chords; points up
        // to 170 km out lie beyond the grid, where the flat formula gives
        // way to the geodesic.
        let rings = [
            square(46.75, 39.8, 0.5),
            dense_ring(40),
            square(47.05, 40.1, 0.1),
        ];
        let r = region(&rings);
        assert!(r.bend_m > 100.0, "{}", r.bend_m);
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..400 {
            let p = LonLat::new(44.75 + rng.f64() * 4.0, 37.8 + rng.f64() * 4.0);
            let local = LocalScale::at(p.lat);
            let hit = r.walk(p, &local).expect("a boundary");
            let brute = rings
                .iter()
                .flat_map(|ring| ring.windows(2))
                .map(|w| closest_on_segment(&local, p, w[0], w[1]).1)
                .fold(f64::INFINITY, f64::min);
            assert!(
                (hit.distance_m - brute).abs() < 1e-6,
                "{p:?}: walk {}, scan {brute}",
                hit.distance_m
            );
            let around = rings
                .iter()
                .filter(|ring| {
                    Polygon::new(line_string(ring), Vec::new()).contains(&Point::new(p.lon, p.lat))
                })
                .count();
            assert_eq!(hit.inside, around % 2 == 1, "{p:?}");
        }
    }

    #[test]
    fn centre_is_inside_and_outside_point_is_outside() {
        let r = region(&[square(46.7, 39.8, 0.1)]);
        let (d, _) = r.signed_distance(LonLat::new(46.7, 39.8)).unwrap();
        assert!(d < 0.0);
        // The nearest edges are the east and west ones, 0.1 degree of longitude away.
        assert!(
            (d.abs() - distance_m(LonLat::new(46.7, 39.8), LonLat::new(46.8, 39.8))).abs() < 1.0
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
    fn at_a_vertex_two_edges_share_the_less_accurate_one_is_named_by_the_grid_and_the_walk_alike() {
        // South and east edges meet at the south-east corner; a point beyond
        // it is equally near both. Either edge may be the less accurate one.
        let ring = square(46.7, 39.8, 0.1);
        let bases = [vec![10, 11, 12, 13]];
        let p = LonLat::new(46.81, 39.69);
        let local = LocalScale::at(p.lat);
        for (acc, want) in [
            ([100.0, 300.0, 100.0, 100.0], 11),
            ([300.0, 100.0, 100.0, 100.0], 10),
        ] {
            let r = RegionIndex::with_bases(std::slice::from_ref(&ring), &[acc.to_vec()], &bases);
            let grid = r
                .nearest_boundary_with_scale(p, &local)
                .expect("a boundary");
            let walk = r.walk(p, &local).expect("a boundary");
            for hit in [grid, walk] {
                assert_eq!((hit.accuracy_m, hit.basis), (300.0, want), "{acc:?}");
            }
            assert!((grid.distance_m - walk.distance_m).abs() < 1e-3);
        }
    }

    #[test]
    fn the_nearest_edge_keeps_its_basis_whichever_way_the_ring_was_given() {
        // Edges of `square` run south, east, north, west (counter-clockwise).
        let ccw = square(46.7, 39.8, 0.1);
        let mut cw = ccw.clone();
        cw.reverse();
        let acc = vec![vec![100.0; 4]];
        let east_of = |r: &RegionIndex| {
            r.signed_distance(LonLat::new(46.85, 39.8))
                .expect("a boundary")
                .1
                .basis
        };
        let given =
            RegionIndex::with_bases(std::slice::from_ref(&ccw), &acc, &[vec![10, 11, 12, 13]]);
        assert_eq!(east_of(&given), 11);
        // Clockwise the same edges run west, north, east, south.
        let reversed = RegionIndex::with_bases(&[cw], &acc, &[vec![13, 12, 11, 10]]);
        assert_eq!(east_of(&reversed), 11);
        assert_eq!(east_of(&RegionIndex::new(&[ccw], &acc)), NO_BASIS);
    }

    #[test]
    fn around_a_vertex_repeated_at_a_sharp_corner_the_index_agrees_with_geo() {
        // The sharp south corner of Natural Earth's 2020 line, whose vertex
        // is given three times over (where two digitised pieces meet).
        let a = LonLat::new(46.576_845, 39.564_235);
        let v = LonLat::new(46.527_268, 39.538_156);
        let b = LonLat::new(46.524_271, 39.554_641);
        let ring = vec![
            a,
            v,
            v,
            v,
            b,
            LonLat::new(46.50, 39.65),
            LonLat::new(46.65, 39.65),
            a,
        ];
        let r = region(std::slice::from_ref(&ring));
        let shape = Polygon::new(line_string(&ring), Vec::new());
        for p in [
            LonLat::new(46.396_487, 39.476_172),
            LonLat::new(46.45, 39.50),
            LonLat::new(46.53, 39.45),
            LonLat::new(46.60, 39.50),
            LonLat::new(46.55, 39.56),
        ] {
            let inside = shape.contains(&Point::new(p.lon, p.lat));
            let (d, _) = r.signed_distance(p).expect("a boundary");
            assert_eq!(d < 0.0, inside, "{p:?} gave {d}");
        }
    }

    #[test]
    fn an_empty_region_has_no_boundary() {
        assert!(RegionIndex::new(&[], &[])
            .signed_distance(LonLat::new(46.0, 39.0))
            .is_none());
    }
}
