//! Reference lines for the derivation: the handover stretches of the former
//! oblast border, turned into paired Voronoi sites, and the
//! Armenia–Azerbaijan border, turned into the Azerbaijani side that clips
//! the corridor.
//!
//! Owns reading the `reference_lines` layer and the geometry built from it
//! on the derivation plane. Which sites win, and how edges are labelled, is
//! the zone derivation's business (`derive`).

use geo::{
    Contains, Coord, Densify, Distance, Euclidean, LineString, MultiPolygon, Point, Polygon,
};

use crate::dataset::load::RawData;
use crate::dataset::{BasisLine, DatasetError, LayerRole, Source};
use crate::geodesy::{LonLat, Plane};

/// Spacing of the site pairs along a handover stretch, metres.
const STEP_M: f64 = 300.0;

/// Distance of each site from the line, either side, metres. With the
/// spacing no larger than this, the bisectors stay within tens of metres of
/// the line between its vertices.
pub const OFFSET_M: f64 = 300.0;

/// A line site closer than this to a control place held by the other side
/// is dropped, so that the place, not the line, draws the edge near it.
pub const CLEAR_OF_PLACES_M: f64 = 1_000.0;

/// The role of a reference line the zone's edge follows.
pub const ROLE_HANDOVER: &str = "handover_stretch";

/// The role of the oblast polygon: tells the sides of a stretch apart, and
/// its border is the zone's outer limit (see [`References::limit`]).
pub const ROLE_OBLAST_AREA: &str = "oblast_area";

/// The outer limit's name in a basis record.
pub const LIMIT_NAME: &str = "Former oblast border as the zone's outer limit";

/// What lies beyond the outer limit, as a basis record says it.
pub const LIMIT_FACES: &str = "outside the former oblast: districts captured by Azerbaijan or due for handover under the 10 Nov 2020 statement";

/// The role of the international border that clips the corridor.
pub const ROLE_BORDER: &str = "border";

/// One reference line the zone's edge follows.
#[derive(Debug)]
pub struct RefLine {
    /// The line as a basis record cites it (id, name, what it faces, scale,
    /// accuracy, sources).
    pub record: BasisLine,
    /// The line on the derivation plane.
    xy: LineString<f64>,
}

/// A Voronoi site beside a reference line.
#[derive(Debug, Clone, Copy)]
pub struct LineSite {
    /// Position on the derivation plane.
    pub xy: [f64; 2],
    /// On the oblast side (inside the zone) or the other.
    pub inside: bool,
    /// Index into [`References::stretches`].
    pub line: usize,
}

/// The reference geometry the derivation uses.
#[derive(Debug, Default)]
pub struct References {
    /// Handover stretches, in file order.
    pub stretches: Vec<RefLine>,
    /// The oblast polygon on the plane (tells the sides of a stretch apart).
    oblast: Option<Polygon<f64>>,
    /// The oblast border as the zone's outer limit. After the war of 2020
    /// every district around the former oblast was held by Azerbaijan or due
    /// for handover (the Lachin corridor is a layer of its own), so ground
    /// beyond this line is in the zone only where a held place draws it in.
    /// Unlike a handover stretch it gets sites on its outer side only: on the
    /// war fronts the edge lies inside the oblast, where places decide.
    pub limit: Option<RefLine>,
    /// The border feature's id, sources and accuracy, if present.
    pub border: Option<(String, Vec<Source>, f64)>,
    /// Azerbaijan's side of the border within the region, on the plane.
    pub azerbaijan_side: Option<MultiPolygon<f64>>,
}

/// A lon/lat line on the derivation plane.
pub(super) fn project_line(plane: Plane, ls: &LineString<f64>) -> LineString<f64> {
    ls.0.iter()
        .map(|c| {
            let [x, y] = plane.project(LonLat::new(c.x, c.y));
            Coord { x, y }
        })
        .collect()
}

impl References {
    /// Reads the `reference_lines` layer (empty when the catalog has none).
    /// `inside_probe` is a point known to be in Azerbaijan's part of the
    /// region (the corridor road's start), which picks the side of the border.
    /// A handover stretch without `faces` or `scale` is refused: a verdict
    /// citing the stretch would say nothing of what lay beyond it.
    pub fn read(
        raw: &RawData,
        plane: Plane,
        inside_probe: Option<[f64; 2]>,
    ) -> Result<Self, DatasetError> {
        let mut out = References::default();
        for f in super::layer_features(raw, LayerRole::ReferenceLines) {
            match (f.str_prop("role"), &f.geometry) {
                (Some(ROLE_HANDOVER), geo::Geometry::LineString(ls)) => {
                    let stated = |key: &str| {
                        f.str_prop(key)
                            .filter(|s| !s.trim().is_empty())
                            .map(str::to_owned)
                            .ok_or_else(|| {
                                super::problem(
                                    "reference_lines",
                                    &f.id,
                                    format!("a handover stretch needs a non-empty `{key}`"),
                                )
                            })
                    };
                    out.stretches.push(RefLine {
                        record: BasisLine {
                            id: f.id.clone(),
                            name: f.str_prop("name").unwrap_or(&f.id).to_owned(),
                            faces: stated("faces")?,
                            scale: stated("scale")?,
                            accuracy_m: f.accuracy_m(),
                            sources: f.sources(),
                        },
                        xy: project_line(plane, ls),
                    });
                }
                (Some(ROLE_OBLAST_AREA), geo::Geometry::Polygon(p)) => {
                    let ring = project_line(plane, p.exterior());
                    out.limit = Some(RefLine {
                        record: BasisLine {
                            id: f.id.clone(),
                            // What a verdict cites: the border in its role here.
                            name: LIMIT_NAME.to_owned(),
                            faces: LIMIT_FACES.to_owned(),
                            scale: f.str_prop("scale").unwrap_or_default().to_owned(),
                            accuracy_m: f.accuracy_m(),
                            sources: f.sources(),
                        },
                        xy: ring.clone(),
                    });
                    out.oblast = Some(Polygon::new(ring, vec![]));
                }
                (Some(ROLE_BORDER), geo::Geometry::MultiLineString(m)) => {
                    out.border = Some((f.id.clone(), f.sources(), f.accuracy_m()));
                    out.azerbaijan_side = inside_probe.and_then(|probe| {
                        let parts: Vec<LineString<f64>> =
                            m.0.iter().map(|l| project_line(plane, l)).collect();
                        side_of(&parts, probe)
                    });
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// The line a [`LineSite`] stands for: a handover stretch, or the outer
    /// limit (index `stretches.len()`).
    pub fn line(&self, i: usize) -> Option<&RefLine> {
        self.stretches.get(i).or_else(|| {
            (i == self.stretches.len())
                .then_some(self.limit.as_ref())
                .flatten()
        })
    }

    /// Site pairs either side of every handover stretch, and sites on the
    /// outer side of the rest of the oblast border (the outer limit), except
    /// where a site would fall on the wrong side of the oblast border, near
    /// another part of it, or near a control place of the other side.
    pub fn line_sites(&self, places: &[([f64; 2], bool)]) -> Vec<LineSite> {
        let Some(oblast) = &self.oblast else {
            return Vec::new();
        };
        let ring = oblast.exterior();
        let clear = |p: [f64; 2], inside: bool| {
            Euclidean.distance(&Point::new(p[0], p[1]), ring) > 0.8 * OFFSET_M
                && places.iter().all(|(q, q_inside)| {
                    *q_inside == inside || (q[0] - p[0]).hypot(q[1] - p[1]) > CLEAR_OF_PLACES_M
                })
        };
        let mut out = Vec::new();
        for (li, line) in self.stretches.iter().enumerate() {
            for pair in offset_pairs(&line.xy) {
                let sides = pair.map(|p| oblast.contains(&Point::new(p[0], p[1])));
                if sides[0] == sides[1] {
                    continue;
                }
                for (p, inside) in pair.into_iter().zip(sides) {
                    if clear(p, inside) {
                        out.push(LineSite {
                            xy: p,
                            inside,
                            line: li,
                        });
                    }
                }
            }
        }
        if let Some(limit) = &self.limit {
            // Where a stretch runs, its own pairs already hold the line.
            let near_stretch = |p: [f64; 2]| {
                let p = Point::new(p[0], p[1]);
                self.stretches
                    .iter()
                    .any(|s| Euclidean.distance(&p, &s.xy) < 2.0 * OFFSET_M)
            };
            for pair in offset_pairs(&limit.xy) {
                for p in pair {
                    if !oblast.contains(&Point::new(p[0], p[1]))
                        && !near_stretch(p)
                        && clear(p, false)
                    {
                        out.push(LineSite {
                            xy: p,
                            inside: false,
                            line: self.stretches.len(),
                        });
                    }
                }
            }
        }
        out
    }
}

/// Points [`OFFSET_M`] either side of `line` every [`STEP_M`], one pair per
/// densified segment.
fn offset_pairs(line: &LineString<f64>) -> Vec<[[f64; 2]; 2]> {
    let dense = Euclidean.densify(line, STEP_M);
    dense
        .lines()
        .filter_map(|seg| {
            let (dx, dy) = (seg.end.x - seg.start.x, seg.end.y - seg.start.y);
            let len = dx.hypot(dy);
            if len < 1.0 {
                return None;
            }
            let mid = [
                f64::midpoint(seg.start.x, seg.end.x),
                f64::midpoint(seg.start.y, seg.end.y),
            ];
            let n = [-dy / len * OFFSET_M, dx / len * OFFSET_M];
            Some([
                [mid[0] + n[0], mid[1] + n[1]],
                [mid[0] - n[0], mid[1] - n[1]],
            ])
        })
        .collect()
}

/// The side of a border that holds `probe`, within a frame 100 km beyond
/// the border's extent: the longest piece of the border, extended straight
/// to the frame at both ends, closed along the frame.
fn side_of(parts: &[LineString<f64>], probe: [f64; 2]) -> Option<MultiPolygon<f64>> {
    use geo::{BooleanOps, BoundingRect, Length};
    let main = parts
        .iter()
        .max_by(|a, b| Euclidean.length(*a).total_cmp(&Euclidean.length(*b)))?;
    let rect = main.bounding_rect()?;
    let m = 100_000.0;
    let (x0, y0, x1, y1) = (
        rect.min().x.min(probe[0]) - m,
        rect.min().y.min(probe[1]) - m,
        rect.max().x.max(probe[0]) + m,
        rect.max().y.max(probe[1]) + m,
    );
    // Each end goes straight out to the nearest frame side.
    let out_to_frame = |c: Coord<f64>| -> (Coord<f64>, f64) {
        let options = [
            (Coord { x: x0, y: c.y }, c.x - x0),
            (Coord { x: x1, y: c.y }, x1 - c.x),
            (Coord { x: c.x, y: y0 }, c.y - y0),
            (Coord { x: c.x, y: y1 }, y1 - c.y),
        ];
        let (p, _) = options
            .into_iter()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("four options");
        // Position along the frame, counter-clockwise from the lower left.
        let w = x1 - x0;
        let h = y1 - y0;
        let t = if (p.y - y0).abs() < 1e-9 {
            p.x - x0
        } else if (p.x - x1).abs() < 1e-9 {
            w + (p.y - y0)
        } else if (p.y - y1).abs() < 1e-9 {
            w + h + (x1 - p.x)
        } else {
            2.0 * w + h + (y1 - p.y)
        };
        (p, t)
    };
    let first = *main.0.first()?;
    let last = *main.0.last()?;
    let (start_out, t_start) = out_to_frame(first);
    let (end_out, t_end) = out_to_frame(last);
    // Walk the frame counter-clockwise from the end back to the start.
    let corners = [
        (Coord { x: x1, y: y0 }, x1 - x0),
        (Coord { x: x1, y: y1 }, (x1 - x0) + (y1 - y0)),
        (Coord { x: x0, y: y1 }, 2.0 * (x1 - x0) + (y1 - y0)),
        (Coord { x: x0, y: y0 }, 2.0 * (x1 - x0) + 2.0 * (y1 - y0)),
    ];
    let perimeter = 2.0 * (x1 - x0) + 2.0 * (y1 - y0);
    let mut ring: Vec<Coord<f64>> = vec![start_out];
    ring.extend(main.0.iter().copied());
    ring.push(end_out);
    let span = (t_start - t_end).rem_euclid(perimeter);
    let mut walk: Vec<(Coord<f64>, f64)> = corners
        .iter()
        .chain(corners.iter())
        .map(|&(c, t)| (c, t))
        .collect();
    walk.iter_mut().skip(4).for_each(|(_, t)| *t += perimeter);
    for (c, t) in walk {
        let along = t - t_end;
        if along > 0.0 && along < span {
            ring.push(c);
        }
    }
    ring.push(start_out);
    let one_side = MultiPolygon(vec![Polygon::new(LineString(ring), vec![])]);
    let frame = MultiPolygon(vec![Polygon::new(
        LineString(vec![
            Coord { x: x0, y: y0 },
            Coord { x: x1, y: y0 },
            Coord { x: x1, y: y1 },
            Coord { x: x0, y: y1 },
            Coord { x: x0, y: y0 },
        ]),
        vec![],
    )]);
    let probe = Point::new(probe[0], probe[1]);
    if one_side.contains(&probe) {
        Some(one_side)
    } else {
        Some(frame.difference(&one_side))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_side_of_a_straight_border_holding_the_probe_is_that_half_plane() {
        let border = vec![LineString::from(vec![(0.0, -10.0), (0.0, 10.0)])];
        let east = side_of(&border, [5.0, 0.0]).expect("a side");
        assert!(east.contains(&Point::new(50.0, 3.0)));
        assert!(!east.contains(&Point::new(-50.0, 3.0)));
        let west = side_of(&border, [-5.0, 0.0]).expect("a side");
        assert!(west.contains(&Point::new(-50.0, 3.0)));
        assert!(!west.contains(&Point::new(50.0, 3.0)));
    }
}
