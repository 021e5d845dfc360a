//! `contactline derive`: builds the `zone`, `line_of_contact` and `corridor`
//! layers from the curated control points and roads, reproducibly.
//!
//! - [`voronoi`]: labelled Voronoi cells.
//!
//! Method. For each zone version, every settlement and position with a known
//! control status on the version's first day is a control point. The zone is
//! the union of the Voronoi cells of the points held inside the zone, so each
//! boundary stretch is the bisector between a held point and its nearest
//! opposing neighbour: the rule "every settlement held in the zone lies inside
//! that version and every other lies outside" holds by construction. The true
//! line lies somewhere between the two points, so each edge's stated accuracy
//! is half their distance less half a village's extent (never less than the
//! points' own accuracy). The
//! corridor is a 2 × `half_width_m` band along the road of its version, with
//! flat ends, its accuracy that of the road centreline.

pub mod voronoi;

use std::path::Path;

use geo::algorithm::buffer::{BufferStyle, LineCap, LineJoin};
use geo::{Area, BooleanOps, Buffer, Coord, LineString, MultiPolygon, Polygon, SimplifyVwPreserve};
use serde_json::{json, Value};

use crate::dataset::load::{read_dir, Feature, RawData};
use crate::dataset::{ControlStatus, DatasetError, LayerRole, PlaceProps, Source};
use crate::date::Day;
use crate::geodesy::{distance_m, LonLat, Plane};
use voronoi::EdgeLabel;

/// The frame around all control points, metres beyond their extent.
const FRAME_MARGIN_M: f64 = 30_000.0;

/// Half the extent of a village's built-up core, metres.
const PLACE_HALF_EXTENT_M: f64 = 250.0;

/// Half-width of the strip along a corridor road that always stays corridor.
const ROAD_STRIP_M: f64 = 250.0;

/// Parts and holes of the corridor smaller than this (m²) are dropped.
const MIN_PART_M2: f64 = 20_000.0;

/// The derived layers, ready to write.
#[derive(Debug)]
pub struct Derived {
    /// `zone.geojson`.
    pub zone: Value,
    /// `line_of_contact.geojson`.
    pub line_of_contact: Value,
    /// `corridor.geojson`.
    pub corridor: Value,
}

struct ControlPoint {
    id: String,
    name: String,
    at: LonLat,
    xy: [f64; 2],
    accuracy_m: f64,
    props: PlaceProps,
}

/// Reads the curated layers of `dir` and derives the others.
pub fn derive_dir(dir: &Path) -> Result<Derived, DatasetError> {
    derive(&read_dir(dir, true)?)
}

/// Derives and writes the layers into `dir`; returns the files written.
pub fn write_dir(dir: &Path) -> Result<Vec<String>, DatasetError> {
    let d = derive_dir(dir)?;
    let mut written = Vec::new();
    for (name, value) in [
        ("zone.geojson", &d.zone),
        ("line_of_contact.geojson", &d.line_of_contact),
        ("corridor.geojson", &d.corridor),
    ] {
        let path = dir.join(name);
        let text = to_text(value);
        std::fs::write(&path, text).map_err(|source| DatasetError::Io {
            path: path.display().to_string(),
            source,
        })?;
        written.push(name.to_owned());
    }
    Ok(written)
}

/// The exact text `write_dir` writes for a derived layer.
pub fn to_text(value: &Value) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

/// Derives the layers from validated raw data.
pub fn derive(raw: &RawData) -> Result<Derived, DatasetError> {
    let plane = Plane::REGION;
    let points = control_points(raw, plane);
    let mut zone = Vec::new();
    let mut loc = Vec::new();
    for v in &raw.versions.zone_versions {
        let day = v.validity.valid_from.expect("validated");
        let (feature, lines) = zone_version(&points, day, v, plane)?;
        zone.push(feature);
        loc.extend(lines);
    }
    let mut corridor = Vec::new();
    for c in &raw.versions.corridor_versions {
        corridor.push(corridor_version(raw, &points, c, plane)?);
    }
    Ok(Derived {
        zone: collection(&zone),
        line_of_contact: collection(&loc),
        corridor: collection(&corridor),
    })
}

/// Union of the Voronoi cells of the control points whose status on `day`
/// passes `held`, with every point known on that day as a site.
fn held_ground(
    all: &[ControlPoint],
    day: Day,
    held: impl Fn(ControlStatus) -> bool,
) -> MultiPolygon<f64> {
    let points: Vec<(&ControlPoint, ControlStatus)> = all
        .iter()
        .filter_map(|p| p.props.status_on(day).map(|s| (p, s)))
        .collect();
    let sites: Vec<[f64; 2]> = points.iter().map(|(p, _)| p.xy).collect();
    let (min, max) = frame(&sites);
    let cells: Vec<Polygon<f64>> = (0..sites.len())
        .filter(|&i| held(points[i].1))
        .map(|i| {
            let c = voronoi::cell(&sites, i, min, max);
            Polygon::new(
                c.vertices
                    .iter()
                    .map(|v| Coord { x: v[0], y: v[1] })
                    .collect(),
                vec![],
            )
        })
        .collect();
    geo::unary_union(&cells)
}

fn frame(sites: &[[f64; 2]]) -> ([f64; 2], [f64; 2]) {
    let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for s in sites {
        for k in 0..2 {
            min[k] = min[k].min(s[k] - FRAME_MARGIN_M);
            max[k] = max[k].max(s[k] + FRAME_MARGIN_M);
        }
    }
    (min, max)
}

fn collection(features: &[Value]) -> Value {
    json!({ "type": "FeatureCollection", "features": features })
}

fn layer_features(raw: &RawData, role: LayerRole) -> &[Feature] {
    raw.catalog
        .layers
        .iter()
        .position(|l| l.role() == role)
        .map_or(&[], |i| raw.layers[i].as_slice())
}

fn control_points(raw: &RawData, plane: Plane) -> Vec<ControlPoint> {
    let mut out = Vec::new();
    for role in [LayerRole::Settlements, LayerRole::Positions] {
        for f in layer_features(raw, role) {
            let geo::Geometry::Point(p) = f.geometry else {
                continue;
            };
            let Ok(props) =
                serde_json::from_value::<PlaceProps>(Value::Object(f.properties.clone()))
            else {
                continue;
            };
            if !props.control_point {
                continue;
            }
            let at = LonLat::new(p.x(), p.y());
            out.push(ControlPoint {
                id: f.id.clone(),
                name: props.display_name.clone(),
                at,
                xy: plane.project(at),
                accuracy_m: f.accuracy_m(),
                props,
            });
        }
    }
    // A stable order makes the output byte-for-byte reproducible.
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn lonlat_json(p: LonLat) -> Value {
    json!([round6(p.lon), round6(p.lat)])
}

fn problem(file: &str, feature: &str, reason: String) -> DatasetError {
    DatasetError::Invalid(vec![crate::dataset::Problem {
        file: file.into(),
        feature: Some(feature.into()),
        reason,
    }])
}

/// A boundary edge of the union of inside cells.
struct BoundaryEdge {
    a: [f64; 2],
    b: [f64; 2],
    inside: usize,
    outside: Option<usize>,
    accuracy_m: f64,
}

#[allow(clippy::too_many_lines)]
fn zone_version(
    all: &[ControlPoint],
    day: Day,
    spec: &crate::dataset::model::ZoneVersionSpec,
    plane: Plane,
) -> Result<(Value, Vec<Value>), DatasetError> {
    let mut points: Vec<(&ControlPoint, ControlStatus)> = Vec::new();
    for p in all {
        let Some(status) = p.props.status_on(day) else {
            continue;
        };
        // Points within a few metres of each other (a post in a village) are one site.
        if let Some((q, qs)) = points
            .iter()
            .find(|(q, _)| (q.xy[0] - p.xy[0]).hypot(q.xy[1] - p.xy[1]) < 5.0)
        {
            if *qs != status {
                return Err(problem(
                    "settlements",
                    &p.id,
                    format!(
                        "same position as '{}' but a different status on {day}",
                        q.id
                    ),
                ));
            }
            continue;
        }
        points.push((p, status));
    }
    let sites: Vec<[f64; 2]> = points.iter().map(|(p, _)| p.xy).collect();
    let inside: Vec<bool> = points
        .iter()
        .map(|(_, s)| *s == ControlStatus::Zone)
        .collect();
    if !inside.iter().any(|&x| x) {
        return Err(problem(
            "versions.json",
            &spec.id,
            format!("no control point is in the zone on {day}"),
        ));
    }
    let (min, max) = frame(&sites);
    let mut edges = Vec::new();
    for i in (0..sites.len()).filter(|&i| inside[i]) {
        let cell = voronoi::cell(&sites, i, min, max);
        let n = cell.vertices.len();
        for k in 0..n {
            let outside = match cell.labels[k] {
                EdgeLabel::Site(j) if inside[j] => continue,
                EdgeLabel::Site(j) => Some(j),
                EdgeLabel::Frame => None,
            };
            let (a, b) = (cell.vertices[k], cell.vertices[(k + 1) % n]);
            if (a[0] - b[0]).hypot(a[1] - b[1]) < 0.01 {
                continue;
            }
            let accuracy_m = match outside {
                // The line runs between the two places' built-up edges, not
                // through their centres.
                Some(j) => (distance_m(points[i].0.at, points[j].0.at) / 2.0 - PLACE_HALF_EXTENT_M)
                    .max(points[i].0.accuracy_m)
                    .max(points[j].0.accuracy_m),
                // No opposing point within the frame: the edge is only the frame.
                None => FRAME_MARGIN_M,
            };
            edges.push(BoundaryEdge {
                a,
                b,
                inside: i,
                outside,
                accuracy_m,
            });
        }
    }
    let rings = chain(&edges).ok_or_else(|| {
        problem(
            "versions.json",
            &spec.id,
            "the zone boundary did not close into rings".into(),
        )
    })?;
    // Counter-clockwise rings are outer boundaries; clockwise ones are holes.
    let mut outers: Vec<(Vec<usize>, Vec<Vec<usize>>)> = Vec::new();
    let mut holes = Vec::new();
    for r in rings {
        if signed_area(&edges, &r) > 0.0 {
            outers.push((r, Vec::new()));
        } else {
            holes.push(r);
        }
    }
    for h in holes {
        let p = edges[h[0]].a;
        if let Some(o) = outers.iter_mut().find(|(o, _)| ring_contains(&edges, o, p)) {
            o.1.push(h);
        }
    }
    let ring_coords = |r: &Vec<usize>| -> Value {
        let mut c: Vec<Value> = r
            .iter()
            .map(|&e| lonlat_json(plane.unproject(edges[e].a)))
            .collect();
        c.push(lonlat_json(plane.unproject(edges[r[0]].a)));
        Value::Array(c)
    };
    let ring_acc = |r: &Vec<usize>| -> Value {
        r.iter()
            .map(|&e| json!(edges[e].accuracy_m.round()))
            .collect()
    };
    let coordinates: Vec<Value> = outers
        .iter()
        .map(|(o, hs)| std::iter::once(o).chain(hs).map(ring_coords).collect())
        .collect();
    let edge_accuracy: Vec<Value> = outers
        .iter()
        .map(|(o, hs)| std::iter::once(o).chain(hs).map(ring_acc).collect())
        .collect();
    let mut accs: Vec<f64> = edges.iter().map(|e| e.accuracy_m.round()).collect();
    accs.sort_by(f64::total_cmp);
    let median = accs[accs.len() / 2];
    let n_inside = inside.iter().filter(|&&x| x).count();
    let mut sources = spec.sources.clone();
    sources.push(Source {
        title: "contactline control points (settlements and positions layers), derived by `contactline derive`".into(),
        url: "geodata/settlements-north.geojson; geodata/settlements-south.geojson; geodata/positions.geojson".into(),
    });
    let zone = json!({
        "type": "Feature",
        "id": spec.id,
        "geometry": { "type": "MultiPolygon", "coordinates": coordinates },
        "properties": {
            "id": spec.id,
            "title": spec.title,
            "description": spec.description,
            "valid_from": spec.validity.valid_from,
            "valid_to": spec.validity.valid_to,
            "method": format!(
                "Union of the Voronoi cells of the {n_inside} control points held in the zone on {day}, \
                 against {} other control points; each edge is the bisector between a held point and \
                 its nearest opposing point.",
                points.len() - n_inside
            ),
            "accuracy_m": median,
            "accuracy_m_min": accs[0],
            "accuracy_m_max": accs[accs.len() - 1],
            "edge_accuracy_m": edge_accuracy,
            "sources": sources,
        }
    });
    let lines = contact_lines(&edges, &points, spec, plane);
    Ok((zone, lines))
}

fn contact_lines(
    edges: &[BoundaryEdge],
    points: &[(&ControlPoint, ControlStatus)],
    spec: &crate::dataset::model::ZoneVersionSpec,
    plane: Plane,
) -> Vec<Value> {
    let mut out = Vec::new();
    for e in edges {
        let Some(j) = e.outside else { continue };
        let (held, other) = (points[e.inside].0, points[j].0);
        let status = points[j].1;
        if !matches!(
            status,
            ControlStatus::Azerbaijan | ControlStatus::PendingHandover
        ) {
            continue;
        }
        let day = spec.validity.valid_from.expect("validated");
        let mut sources: Vec<Source> = Vec::new();
        for p in [held, other] {
            if let Some(span) = p.props.span_on(day) {
                for s in &span.sources {
                    if !sources.contains(s) {
                        sources.push(s.clone());
                    }
                }
            }
        }
        let id = format!("{}--{}--{}", spec.id, held.id, other.id);
        out.push(json!({
            "type": "Feature",
            "id": id,
            "geometry": { "type": "LineString", "coordinates": [
                lonlat_json(plane.unproject(e.a)), lonlat_json(plane.unproject(e.b))
            ]},
            "properties": {
                "id": id,
                "zone_version": spec.id,
                "valid_from": spec.validity.valid_from,
                "valid_to": spec.validity.valid_to,
                "zone_side": held.id,
                "zone_side_name": held.name,
                "other_side": other.id,
                "other_side_name": other.name,
                "other_side_status": status.as_str(),
                "accuracy_m": e.accuracy_m.round(),
                "sources": sources,
            }
        }));
    }
    out
}

/// Chains directed edges end-to-start into closed rings of edge indices.
fn chain(edges: &[BoundaryEdge]) -> Option<Vec<Vec<usize>>> {
    const SNAP: f64 = 0.01;
    let mut used = vec![false; edges.len()];
    let mut rings = Vec::new();
    for start in 0..edges.len() {
        if used[start] {
            continue;
        }
        used[start] = true;
        let mut ring = vec![start];
        let mut end = edges[start].b;
        loop {
            let first = edges[start].a;
            if (end[0] - first[0]).abs() < SNAP
                && (end[1] - first[1]).abs() < SNAP
                && ring.len() > 2
            {
                break;
            }
            let next = (0..edges.len()).find(|&k| {
                !used[k]
                    && (edges[k].a[0] - end[0]).abs() < SNAP
                    && (edges[k].a[1] - end[1]).abs() < SNAP
            })?;
            used[next] = true;
            ring.push(next);
            end = edges[next].b;
        }
        rings.push(ring);
    }
    Some(rings)
}

fn signed_area(edges: &[BoundaryEdge], ring: &[usize]) -> f64 {
    ring.iter()
        .map(|&e| edges[e].a[0] * edges[e].b[1] - edges[e].b[0] * edges[e].a[1])
        .sum::<f64>()
        / 2.0
}

fn ring_contains(edges: &[BoundaryEdge], ring: &[usize], p: [f64; 2]) -> bool {
    let mut inside = false;
    for &e in ring {
        let (a, b) = (edges[e].a, edges[e].b);
        if (a[1] > p[1]) != (b[1] > p[1])
            && p[0] < a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
        {
            inside = !inside;
        }
    }
    inside
}

fn corridor_version(
    raw: &RawData,
    all: &[ControlPoint],
    spec: &crate::dataset::model::CorridorVersionSpec,
    plane: Plane,
) -> Result<Value, DatasetError> {
    let road = layer_features(raw, LayerRole::Roads)
        .iter()
        .find(|f| f.id == spec.road)
        .ok_or_else(|| {
            problem(
                "versions.json",
                &spec.id,
                format!("road '{}' is not in the roads layer", spec.road),
            )
        })?;
    let geo::Geometry::LineString(line) = &road.geometry else {
        return Err(problem(
            "roads.geojson",
            &road.id,
            "a corridor road must be a LineString".into(),
        ));
    };
    let projected: LineString<f64> = line
        .0
        .iter()
        .map(|c| {
            let [x, y] = plane.project(LonLat::new(c.x, c.y));
            Coord { x, y }
        })
        .collect();
    let style = BufferStyle::new(spec.half_width_m)
        .line_cap(LineCap::Butt)
        .line_join(LineJoin::Bevel);
    let band = projected.buffer_with_style(style);
    // Ground held by Azerbaijan (or due for handover) on the first day is not
    // corridor even within the band (Shushi / Shusha above the old road), but
    // the road itself always is.
    let day = spec.validity.valid_from.expect("validated");
    let held = held_ground(all, day, |s| {
        matches!(
            s,
            ControlStatus::Azerbaijan | ControlStatus::PendingHandover
        )
    });
    let road_strip = projected.buffer_with_style(
        BufferStyle::new(ROAD_STRIP_M)
            .line_cap(LineCap::Butt)
            .line_join(LineJoin::Bevel),
    );
    // The buffer's joins leave clusters of vertices centimetres apart that
    // would collapse into loops once rounded to 1e-6 degrees; drop them first.
    let mut band = band
        .difference(&held)
        .union(&road_strip)
        .simplify_vw_preserve(100.0);
    // Slivers left by the cut are noise, not corridor.
    band.0.retain(|p| p.unsigned_area() > MIN_PART_M2);
    let band = MultiPolygon(
        band.0
            .into_iter()
            .map(|p| {
                let (outer, holes) = p.into_inner();
                let holes = holes
                    .into_iter()
                    .filter(|h| Polygon::new(h.clone(), vec![]).unsigned_area() > MIN_PART_M2)
                    .collect();
                Polygon::new(outer, holes)
            })
            .collect(),
    );
    let ring_json = |r: &LineString<f64>| -> Value {
        r.0.iter()
            .map(|c| lonlat_json(plane.unproject([c.x, c.y])))
            .collect()
    };
    let coordinates: Vec<Value> = band
        .0
        .iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(ring_json)
                .collect()
        })
        .collect();
    let mut sources = spec.sources.clone();
    sources.extend(road.sources());
    Ok(json!({
        "type": "Feature",
        "id": spec.id,
        "geometry": { "type": "MultiPolygon", "coordinates": coordinates },
        "properties": {
            "id": spec.id,
            "title": if spec.title.is_empty() { spec.id.clone() } else { spec.title.clone() },
            "description": spec.description,
            "road": spec.road,
            "half_width_m": spec.half_width_m,
            "valid_from": spec.validity.valid_from,
            "valid_to": spec.validity.valid_to,
            "method": format!("Band of {} m either side of the road centreline '{}' (flat ends), less the Voronoi cells of control points held by Azerbaijan or due for handover on {day}, plus a {ROAD_STRIP_M} m strip along the road itself.", spec.half_width_m, spec.road),
            "accuracy_m": road.accuracy_m(),
            "sources": sources,
        }
    }))
}
