//! Voronoi cells by half-plane clipping, with each cell edge labelled by the
//! neighbouring site that made it.
//!
//! Owns plane geometry only: sites in, labelled convex cells out. Which sites
//! count as inside the zone is the caller's business.

use rstar::primitives::GeomWithData;
use rstar::RTree;

/// What made a cell edge: a neighbouring site, or the outer frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeLabel {
    /// The bisector with this site.
    Site(usize),
    /// The clipping frame around all sites.
    Frame,
}

/// A convex cell: vertex `k` starts the edge to vertex `k + 1` labelled `labels[k]`.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Counter-clockwise vertices (not repeated at the end).
    pub vertices: Vec<[f64; 2]>,
    /// Label of the edge starting at each vertex.
    pub labels: Vec<EdgeLabel>,
}

impl Cell {
    /// The cell as a polygon.
    pub fn polygon(&self) -> geo::Polygon<f64> {
        let ring = self
            .vertices
            .iter()
            .map(|v| geo::Coord { x: v[0], y: v[1] });
        geo::Polygon::new(ring.collect(), vec![])
    }
}

/// Sites in a plane, indexed so that a cell meets its nearest sites first
/// and stops there instead of sorting every site by its distance.
pub struct Sites<'a> {
    xy: &'a [[f64; 2]],
    tree: RTree<GeomWithData<[f64; 2], usize>>,
    min: [f64; 2],
    max: [f64; 2],
}

impl<'a> Sites<'a> {
    /// The sites `xy`, whose cells are clipped to the frame `[min, max]`.
    pub fn new(xy: &'a [[f64; 2]], min: [f64; 2], max: [f64; 2]) -> Self {
        let points = xy
            .iter()
            .enumerate()
            .map(|(j, &p)| GeomWithData::new(p, j))
            .collect();
        Sites {
            xy,
            tree: RTree::bulk_load(points),
            min,
            max,
        }
    }

    /// The Voronoi cell of site `i`.
    pub fn cell(&self, i: usize) -> Cell {
        let (min, max) = (self.min, self.max);
        let mut vertices = vec![min, [max[0], min[1]], max, [min[0], max[1]]];
        let mut labels = vec![EdgeLabel::Frame; 4];
        let s = self.xy[i];
        // Nearer sites first: they cut most, so later clips see smaller
        // cells. Sites at the same distance go in index order, so that the
        // cell does not depend on the tree's layout.
        let mut near = self
            .tree
            .nearest_neighbor_iter(&s)
            .map(|e| (dist2(s, self.xy[e.data]), e.data))
            .filter(|&(d, j)| j != i && d > 0.0)
            .peekable();
        let mut tied = Vec::new();
        while let Some((d, first)) = near.next() {
            tied.clear();
            tied.push(first);
            while let Some((_, j)) = near.next_if(|&(e, _)| e.total_cmp(&d).is_eq()) {
                tied.push(j);
            }
            tied.sort_unstable();
            for &j in &tied {
                // A site farther than twice the cell's reach cannot cut it.
                let reach2 = vertices.iter().map(|v| dist2(s, *v)).fold(0.0, f64::max);
                if d > 4.0 * reach2 {
                    return Cell { vertices, labels };
                }
                clip(&mut vertices, &mut labels, s, self.xy[j], j);
                if vertices.is_empty() {
                    return Cell { vertices, labels };
                }
            }
        }
        Cell { vertices, labels }
    }
}

fn dist2(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}

/// Keeps the part of the cell nearer to `s` than to `t`.
fn clip(
    vertices: &mut Vec<[f64; 2]>,
    labels: &mut Vec<EdgeLabel>,
    s: [f64; 2],
    t: [f64; 2],
    j: usize,
) {
    let mid = [f64::midpoint(s[0], t[0]), f64::midpoint(s[1], t[1])];
    let dir = [t[0] - s[0], t[1] - s[1]];
    let side = |p: [f64; 2]| (p[0] - mid[0]) * dir[0] + (p[1] - mid[1]) * dir[1];
    let n = vertices.len();
    let mut out_v = Vec::with_capacity(n + 1);
    let mut out_l = Vec::with_capacity(n + 1);
    for k in 0..n {
        let (cur, nxt) = (vertices[k], vertices[(k + 1) % n]);
        let (sc, sn) = (side(cur), side(nxt));
        let (cin, nin) = (sc <= 0.0, sn <= 0.0);
        if cin {
            out_v.push(cur);
            out_l.push(labels[k]);
        }
        if cin != nin {
            let f = sc / (sc - sn);
            let x = [
                cur[0] + f * (nxt[0] - cur[0]),
                cur[1] + f * (nxt[1] - cur[1]),
            ];
            out_v.push(x);
            out_l.push(if cin { EdgeLabel::Site(j) } else { labels[k] });
        }
    }
    *vertices = out_v;
    *labels = out_l;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_sites_split_the_frame_along_their_bisector() {
        let sites = [[-1.0, 0.0], [1.0, 0.0]];
        let c = Sites::new(&sites, [-10.0, -10.0], [10.0, 10.0]).cell(0);
        assert!(c.vertices.iter().all(|v| v[0] <= 1e-12));
        let bisector: Vec<_> = c
            .labels
            .iter()
            .enumerate()
            .filter(|(_, l)| **l == EdgeLabel::Site(1))
            .collect();
        assert_eq!(bisector.len(), 1);
        let k = bisector[0].0;
        assert!(c.vertices[k][0].abs() < 1e-12);
        assert!(c.vertices[(k + 1) % c.vertices.len()][0].abs() < 1e-12);
    }

    #[test]
    fn a_surrounded_site_has_no_frame_edges() {
        let mut sites = vec![[0.0, 0.0]];
        for k in 0..8 {
            let a = f64::from(k) * std::f64::consts::FRAC_PI_4;
            sites.push([a.cos(), a.sin()]);
        }
        let c = Sites::new(&sites, [-10.0, -10.0], [10.0, 10.0]).cell(0);
        assert_eq!(c.vertices.len(), 8);
        assert!(c.labels.iter().all(|l| matches!(l, EdgeLabel::Site(_))));
    }
}
