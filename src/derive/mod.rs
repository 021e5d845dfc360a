//! `contactline derive`: builds the `zone`, `line_of_contact` and `corridor`
//! layers from the curated control points, reference lines and roads,
//! reproducibly, with each version's figures.
//!
//! - [`voronoi`]: labelled Voronoi cells.
//! - [`reference`]: the handover stretches of the former oblast border as
//!   paired sites, and Azerbaijan's side of the Armenia–Azerbaijan border.
//! - [`corridor`]: the corridor versions.
//! - [`crate::figures`] (its own module, as the dataset serves them):
//!   geodesic area, perimeter and accuracy spread.
//! - [`targets`]: the quality bar (area range, worst and mean accuracy, the
//!   pocket enclave) checked on the derived zone.
//!
//! Method. For each zone version, every settlement and position with a known
//! control status on the version's first day is a control point; along the
//! stretches where the zone's edge followed the former oblast border after
//! the handovers of 2020, pairs of sites either side of that line join them.
//! The zone is the union of the Voronoi cells of the sites held inside the
//! zone, so each boundary stretch is the bisector between a held site and its
//! nearest opposing one: the rule "every settlement held in the zone lies
//! inside that version and every other lies outside" holds by construction,
//! whatever the reference line says. Each edge records its basis (the two
//! places, or the reference line) and its accuracy: half the two places'
//! distance less half a village's extent (never less than the points' own
//! accuracy), or the reference line's stated accuracy.

pub mod corridor;
pub mod reference;
pub mod targets;
pub mod voronoi;

use std::path::Path;

use geo::{Area, Contains, Coord, LineString, MultiPolygon, Point, Polygon, Simplify};
use serde_json::{json, Value};

use crate::dataset::load::{read_dir, Feature, RawData};
use crate::dataset::{
    add_sources, BasisPlace, ControlStatus, DatasetError, LayerRole, PlaceProps, PlaceSide, Source,
};
use crate::date::Day;
use crate::figures;
use crate::geodesy::{distance_m, LonLat, Plane};
use reference::{RefLine, References, OFFSET_M};
use voronoi::EdgeLabel;

/// The frame around all control points, metres beyond their extent.
const FRAME_MARGIN_M: f64 = 30_000.0;

/// Half the extent of a village's built-up core, metres.
const PLACE_HALF_EXTENT_M: f64 = 250.0;

/// Half-width of the strip along a corridor road that always stays corridor.
const ROAD_STRIP_M: f64 = 250.0;

/// Runs of boundary edges with one basis are simplified to this tolerance,
/// metres (far below any stated accuracy).
const SIMPLIFY_M: f64 = 20.0;

/// `kind` of an edge basis: the bisector between two control places.
pub const BASIS_PLACES: &str = "control_points";
/// `kind` of an edge basis: a reference line followed between its sites.
pub const BASIS_LINE: &str = "reference_line";
/// `kind` of an edge basis: a control place against a reference line.
pub const BASIS_PLACE_AND_LINE: &str = "place_and_reference_line";
/// `kind` of an edge basis: no opposing site within the frame.
pub const BASIS_FRAME: &str = "frame";
/// `kind` of a corridor edge's basis: the band along the road.
pub const BASIS_CORRIDOR: &str = "corridor_band";

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
    // The corridor road's first vertex lies on Azerbaijan's side of the
    // border: it tells the border's sides apart.
    let probe = raw
        .versions
        .corridor_versions
        .first()
        .and_then(|c| corridor::road_xy(raw, c, plane).ok())
        .and_then(|(road, _)| road.0.first().map(|c| [c.x, c.y]));
    let refs = References::read(raw, plane, probe)?;
    let mut zone = Vec::new();
    let mut loc = Vec::new();
    for v in &raw.versions.zone_versions {
        let day = v.validity.valid_from.expect("validated");
        let (feature, lines) = zone_version(&points, &refs, day, v, plane)?;
        zone.push(feature);
        loc.extend(lines);
    }
    let mut corridor = Vec::new();
    for c in &raw.versions.corridor_versions {
        corridor.extend(corridor::corridor_versions(raw, &points, &refs, c, plane)?);
    }
    Ok(Derived {
        zone: collection(&zone),
        line_of_contact: collection(&loc),
        corridor: collection(&corridor),
    })
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

/// A point of the plane back in lon/lat, rounded as written.
fn written(plane: Plane, xy: [f64; 2]) -> Coord<f64> {
    let p = plane.unproject(xy).rounded();
    Coord { x: p.lon, y: p.lat }
}

fn problem(file: &str, feature: &str, reason: String) -> DatasetError {
    DatasetError::Invalid(vec![crate::dataset::Problem {
        file: file.into(),
        feature: Some(feature.into()),
        reason,
    }])
}

/// Where a Voronoi site comes from.
#[derive(Clone, Copy)]
enum Origin<'a> {
    /// A control place and its status on the version's first day.
    Place(&'a ControlPoint, ControlStatus),
    /// A site beside a handover stretch of a reference line.
    Line(&'a RefLine),
}

/// A Voronoi site of one version.
struct Site<'a> {
    xy: [f64; 2],
    at: LonLat,
    inside: bool,
    accuracy_m: f64,
    origin: Origin<'a>,
}

/// A boundary edge of the union of inside cells.
struct BoundaryEdge {
    a: [f64; 2],
    b: [f64; 2],
    inside: usize,
    outside: Option<usize>,
    accuracy_m: f64,
    basis: usize,
}

/// The bases of one version's edges, each recorded once.
#[derive(Default)]
struct Bases {
    keys: Vec<String>,
    records: Vec<Value>,
}

impl Bases {
    fn index(&mut self, key: String, record: impl FnOnce() -> Value) -> usize {
        if let Some(i) = self.keys.iter().position(|k| *k == key) {
            return i;
        }
        self.keys.push(key);
        self.records.push(record());
        self.records.len() - 1
    }
}

fn place_record(p: &ControlPoint, status: ControlStatus, day: Day) -> BasisPlace {
    BasisPlace {
        id: p.id.clone(),
        name: p.name.clone(),
        status,
        since: None,
        sources: p
            .props
            .span_on(day)
            .map(|s| s.sources.clone())
            .unwrap_or_default(),
    }
}

/// The basis of the edge between inside site `i` and outside site `j`.
fn basis_of(sites: &[Site<'_>], i: usize, j: Option<usize>, day: Day, bases: &mut Bases) -> usize {
    let Some(j) = j else {
        return bases.index("frame".into(), || json!({ "kind": BASIS_FRAME }));
    };
    match (sites[i].origin, sites[j].origin) {
        (Origin::Place(p, ps), Origin::Place(q, qs)) => {
            bases.index(format!("{}|{}", p.id, q.id), || {
                json!({
                    "kind": BASIS_PLACES,
                    "zone_side": place_record(p, ps, day),
                    "other_side": place_record(q, qs, day),
                })
            })
        }
        (Origin::Line(l), Origin::Line(_)) => bases.index(
            format!("line:{}", l.record.id),
            || json!({ "kind": BASIS_LINE, "line": l.record }),
        ),
        (Origin::Place(p, s), Origin::Line(l)) | (Origin::Line(l), Origin::Place(p, s)) => {
            let side = if s == ControlStatus::Zone {
                PlaceSide::Zone
            } else {
                PlaceSide::Other
            };
            bases.index(format!("{}|line:{}", p.id, l.record.id), || {
                json!({
                    "kind": BASIS_PLACE_AND_LINE,
                    "place": place_record(p, s, day),
                    "place_side": side,
                    "line": l.record,
                })
            })
        }
    }
}

/// The sites of one version: control places (points a few metres apart
/// count once) and the sites beside the handover stretches.
fn sites_on<'a>(
    all: &'a [ControlPoint],
    refs: &'a References,
    day: Day,
    plane: Plane,
) -> Result<Vec<Site<'a>>, DatasetError> {
    let mut sites: Vec<Site<'a>> = Vec::new();
    for p in all {
        let Some(status) = p.props.status_on(day) else {
            continue;
        };
        if let Some(q) = sites
            .iter()
            .find(|q| (q.xy[0] - p.xy[0]).hypot(q.xy[1] - p.xy[1]) < 5.0)
        {
            let Origin::Place(qp, qs) = q.origin else {
                continue;
            };
            if qs != status {
                return Err(problem(
                    "settlements",
                    &p.id,
                    format!(
                        "same position as '{}' but a different status on {day}",
                        qp.id
                    ),
                ));
            }
            continue;
        }
        sites.push(Site {
            xy: p.xy,
            at: p.at,
            inside: status == ControlStatus::Zone,
            accuracy_m: p.accuracy_m,
            origin: Origin::Place(p, status),
        });
    }
    let places: Vec<([f64; 2], bool)> = sites.iter().map(|s| (s.xy, s.inside)).collect();
    for ls in refs.line_sites(&places) {
        let Some(line) = refs.line(ls.line) else {
            continue;
        };
        sites.push(Site {
            xy: ls.xy,
            at: plane.unproject(ls.xy),
            inside: ls.inside,
            accuracy_m: line.record.accuracy_m,
            origin: Origin::Line(line),
        });
    }
    Ok(sites)
}

/// A ring as vertices, each starting an edge with its accuracy and basis.
#[derive(Default)]
struct Ring {
    vertices: Vec<[f64; 2]>,
    accuracy_m: Vec<f64>,
    basis: Vec<usize>,
}

impl Ring {
    fn polygon(&self) -> Polygon<f64> {
        let mut c: Vec<Coord<f64>> = self
            .vertices
            .iter()
            .map(|v| Coord { x: v[0], y: v[1] })
            .collect();
        c.push(c[0]);
        Polygon::new(LineString(c), vec![])
    }
}

/// Runs of edges with the same basis and accuracy become one polyline,
/// simplified (Ramer–Douglas–Peucker) to drop the zigzag of the sites'
/// bisectors along a reference line.
fn simplify_ring(edges: &[BoundaryEdge], ring: &[usize]) -> Ring {
    let key = |e: usize| (edges[e].basis, edges[e].accuracy_m.round() as i64);
    let n = ring.len();
    // Start at an edge that begins a run, so no run wraps around.
    let start = (0..n)
        .find(|&k| key(ring[k]) != key(ring[(k + n - 1) % n]))
        .unwrap_or(0);
    let order: Vec<usize> = (0..n).map(|k| ring[(start + k) % n]).collect();
    let mut out = Ring::default();
    let mut k = 0;
    while k < n {
        let mut end = k + 1;
        while end < n && key(order[end]) == key(order[k]) {
            end += 1;
        }
        let mut run: Vec<Coord<f64>> = order[k..end]
            .iter()
            .map(|&e| Coord {
                x: edges[e].a[0],
                y: edges[e].a[1],
            })
            .collect();
        let last = edges[order[end - 1]].b;
        run.push(Coord {
            x: last[0],
            y: last[1],
        });
        let simple = LineString(run).simplify(SIMPLIFY_M);
        let e = &edges[order[k]];
        for c in &simple.0[..simple.0.len() - 1] {
            out.vertices.push([c.x, c.y]);
            out.accuracy_m.push(e.accuracy_m);
            out.basis.push(e.basis);
        }
        k = end;
    }
    out
}

#[allow(clippy::too_many_lines)]
fn zone_version(
    all: &[ControlPoint],
    refs: &References,
    day: Day,
    spec: &crate::dataset::model::ZoneVersionSpec,
    plane: Plane,
) -> Result<(Value, Vec<Value>), DatasetError> {
    let sites = sites_on(all, refs, day, plane)?;
    if !sites
        .iter()
        .any(|s| s.inside && matches!(s.origin, Origin::Place(..)))
    {
        return Err(problem(
            "versions.json",
            &spec.id,
            format!("no control point is in the zone on {day}"),
        ));
    }
    let xy: Vec<[f64; 2]> = sites.iter().map(|s| s.xy).collect();
    let (min, max) = frame(&xy);
    let cells = voronoi::Sites::new(&xy, min, max);
    let mut bases = Bases::default();
    let mut edges = Vec::new();
    for i in (0..sites.len()).filter(|&i| sites[i].inside) {
        let cell = cells.cell(i);
        let n = cell.vertices.len();
        for k in 0..n {
            let outside = match cell.labels[k] {
                EdgeLabel::Site(j) if sites[j].inside => continue,
                EdgeLabel::Site(j) => Some(j),
                EdgeLabel::Frame => None,
            };
            let (a, b) = (cell.vertices[k], cell.vertices[(k + 1) % n]);
            if (a[0] - b[0]).hypot(a[1] - b[1]) < 0.01 {
                continue;
            }
            let accuracy_m = match outside {
                // Along a reference line the line's own accuracy holds.
                Some(j)
                    if matches!(
                        (sites[i].origin, sites[j].origin),
                        (Origin::Line(_), Origin::Line(_))
                    ) =>
                {
                    sites[i].accuracy_m.max(sites[j].accuracy_m)
                }
                // The line runs between the two places' built-up edges, not
                // through their centres.
                Some(j) => (distance_m(sites[i].at, sites[j].at) / 2.0 - PLACE_HALF_EXTENT_M)
                    .max(sites[i].accuracy_m)
                    .max(sites[j].accuracy_m),
                // No opposing point within the frame: the edge is only the frame.
                None => FRAME_MARGIN_M,
            };
            let basis = basis_of(&sites, i, outside, day, &mut bases);
            edges.push(BoundaryEdge {
                a,
                b,
                inside: i,
                outside,
                accuracy_m,
                basis,
            });
        }
    }
    let chained = chain(&edges).ok_or_else(|| {
        problem(
            "versions.json",
            &spec.id,
            "the zone boundary did not close into rings".into(),
        )
    })?;
    let rings: Vec<Ring> = chained.iter().map(|r| simplify_ring(&edges, r)).collect();
    // Counter-clockwise rings are outer boundaries; clockwise ones are holes.
    let mut outers: Vec<(&Ring, Vec<&Ring>)> = Vec::new();
    let mut holes = Vec::new();
    for r in &rings {
        if r.polygon().signed_area() > 0.0 {
            outers.push((r, Vec::new()));
        } else {
            holes.push(r);
        }
    }
    for h in holes {
        let p = Point::new(h.vertices[0][0], h.vertices[0][1]);
        if let Some(o) = outers.iter_mut().find(|(o, _)| o.polygon().contains(&p)) {
            o.1.push(h);
        }
    }
    // Largest part first, so the order does not depend on the sites' order.
    outers.sort_by(|a, b| {
        b.0.polygon()
            .unsigned_area()
            .total_cmp(&a.0.polygon().unsigned_area())
    });
    let ring_lonlat = |r: &Ring| -> LineString<f64> {
        let mut c: Vec<Coord<f64>> = r.vertices.iter().map(|&v| written(plane, v)).collect();
        c.push(c[0]);
        LineString(c)
    };
    let polygons: Vec<Polygon<f64>> = outers
        .iter()
        .map(|(o, hs)| Polygon::new(ring_lonlat(o), hs.iter().map(|h| ring_lonlat(h)).collect()))
        .collect();
    let per_ring = |f: &dyn Fn(&Ring) -> Vec<f64>| -> Vec<Vec<Vec<f64>>> {
        outers
            .iter()
            .map(|(o, hs)| {
                std::iter::once(*o)
                    .chain(hs.iter().copied())
                    .map(f)
                    .collect()
            })
            .collect()
    };
    let accuracy = per_ring(&|r: &Ring| r.accuracy_m.iter().map(|a| a.round()).collect());
    let basis: Vec<Vec<Vec<f64>>> =
        per_ring(&|r: &Ring| r.basis.iter().map(|&b| b as f64).collect());
    let figures = figures::figures(&polygons, &accuracy);
    let n_places = sites
        .iter()
        .filter(|s| matches!(s.origin, Origin::Place(..)))
        .count();
    let n_inside = sites
        .iter()
        .filter(|s| s.inside && matches!(s.origin, Origin::Place(..)))
        .count();
    let mut sources = spec.sources.clone();
    sources.push(Source {
        title: "contactline control points (settlements and positions layers), derived by `contactline derive`".into(),
        url: "geodata/settlements-north.geojson; geodata/settlements-south.geojson; geodata/positions.geojson".into(),
    });
    let lines = refs.stretches.iter().chain(refs.limit.iter());
    add_sources(
        &mut sources,
        lines.flat_map(|l| l.record.sources.iter().cloned()),
    );
    let limit = if refs.limit.is_some() {
        format!(
            " Along the rest of that border, sites {OFFSET_M} m outside it (not held: the districts \
             around the former oblast were captured or due for handover) make it the zone's outer \
             limit; a held place beyond it still draws its own cell."
        )
    } else {
        String::new()
    };
    let method = format!(
        "Union of the Voronoi cells of the {n_inside} control points held in the zone on {day} \
         (against {} other control points) and of sites {OFFSET_M} m inside the {} handover stretches \
         of the former oblast border (against sites {OFFSET_M} m outside; sites within {} m of a \
         control place of the other side are left out, so places decide). Each edge is the bisector \
         between a held site and its nearest opposing site; edge_basis says which.{limit}",
        n_places - n_inside,
        refs.stretches.len(),
        reference::CLEAR_OF_PLACES_M,
    );
    let zone = json!({
        "type": "Feature",
        "id": spec.id,
        "geometry": geojson::GeometryValue::from(&MultiPolygon(polygons)),
        "properties": {
            "id": spec.id,
            "title": spec.title,
            "description": spec.description,
            "valid_from": spec.validity.valid_from,
            "valid_to": spec.validity.valid_to,
            "method": method,
            "accuracy_m": figures.accuracy.median_m,
            "accuracy_m_min": figures.accuracy.min_m,
            "accuracy_m_max": figures.accuracy.max_m,
            "figures": figures,
            "edge_accuracy_m": accuracy,
            "edge_basis": basis,
            "bases": bases.records,
            "sources": sources,
        }
    });
    let lines = contact_lines(&rings, &edges, &sites, &bases, spec, plane);
    Ok((zone, lines))
}

/// The stretches of the boundary that face Azerbaijani-held (or
/// pending-handover) places or a handed-over district: one line per run of
/// edges with one basis.
#[allow(clippy::too_many_lines)]
fn contact_lines(
    rings: &[Ring],
    edges: &[BoundaryEdge],
    sites: &[Site<'_>],
    bases: &Bases,
    spec: &crate::dataset::model::ZoneVersionSpec,
    plane: Plane,
) -> Vec<Value> {
    // The sites behind each basis (any edge with that basis will do).
    let sides = |b: usize| -> Option<(usize, usize)> {
        edges
            .iter()
            .find(|e| e.basis == b)
            .and_then(|e| e.outside.map(|o| (e.inside, o)))
    };
    // (place id, line id, name, status): a side is a place or a reference line.
    let name_of = |s: &Site<'_>| -> (
        Option<String>,
        Option<String>,
        String,
        Option<ControlStatus>,
    ) {
        match s.origin {
            Origin::Place(p, st) => (Some(p.id.clone()), None, p.name.clone(), Some(st)),
            Origin::Line(l) => (None, Some(l.record.id.clone()), l.record.name.clone(), None),
        }
    };
    let mut out = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for r in rings {
        let n = r.vertices.len();
        let mut k = 0;
        while k < n {
            let mut end = k + 1;
            while end < n
                && r.basis[end] == r.basis[k]
                && r.accuracy_m[end].to_bits() == r.accuracy_m[k].to_bits()
            {
                end += 1;
            }
            let b = r.basis[k];
            let acc = r.accuracy_m[k];
            let line: LineString<f64> = (k..=end)
                .map(|v| written(plane, r.vertices[v % n]))
                .collect();
            k = end;
            let Some((i, j)) = sides(b) else { continue };
            let (held_id, held_line, held_name, _) = name_of(&sites[i]);
            let (other_id, other_line, other_name, other_status) = name_of(&sites[j]);
            let status = match other_status {
                Some(s @ (ControlStatus::Azerbaijan | ControlStatus::PendingHandover)) => {
                    s.as_str()
                }
                None => "handover_district",
                Some(_) => continue,
            };
            let side_id = |p: &Option<String>, l: &Option<String>| {
                p.clone().or_else(|| l.clone()).unwrap_or_default()
            };
            let mut id = format!(
                "{}--{}--{}",
                spec.id,
                side_id(&held_id, &held_line),
                side_id(&other_id, &other_line)
            );
            let base = id.clone();
            let mut dup = 1;
            while ids.contains(&id) {
                dup += 1;
                id = format!("{base}--{dup}");
            }
            ids.push(id.clone());
            let basis = &bases.records[b];
            let mut sources: Vec<Source> = Vec::new();
            for s in [&sites[i], &sites[j]] {
                let list: Vec<Source> = match s.origin {
                    Origin::Place(p, _) => p
                        .props
                        .span_on(spec.validity.valid_from.expect("validated"))
                        .map(|s| s.sources.clone())
                        .unwrap_or_default(),
                    Origin::Line(l) => l.record.sources.clone(),
                };
                add_sources(&mut sources, list);
            }
            out.push(json!({
                "type": "Feature",
                "id": id,
                "geometry": geojson::GeometryValue::from(&line),
                "properties": {
                    "id": id,
                    "zone_version": spec.id,
                    "valid_from": spec.validity.valid_from,
                    "valid_to": spec.validity.valid_to,
                    "basis_kind": basis["kind"],
                    "zone_side": held_id,
                    "zone_side_line": held_line,
                    "zone_side_name": held_name,
                    "other_side": other_id,
                    "other_side_line": other_line,
                    "other_side_name": other_name,
                    "other_side_status": status,
                    "accuracy_m": acc.round(),
                    "sources": sources,
                }
            }));
        }
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
