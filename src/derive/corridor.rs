//! The Lachin corridor versions: a band along the road of each period, less
//! the ground of places held by Azerbaijan, plus the ground of the places the
//! timelines put in the corridor, clipped to Azerbaijan's side of the
//! Armenia–Azerbaijan border. A new version starts on every day a control
//! timeline changes the result.
//!
//! Owns the corridor's geometry; the sites and cells come from `derive` and
//! `voronoi`, the border side from `reference`.

use geo::algorithm::buffer::{BufferStyle, LineCap, LineJoin};
use geo::{Area, BooleanOps, Buffer, LineString, MultiPolygon, Point, Polygon, SimplifyVwPreserve};
use serde_json::{json, Value};

use super::reference::References;
use super::{
    frame, layer_features, problem, voronoi, written, ControlPoint, BASIS_CORRIDOR, ROAD_STRIP_M,
};
use crate::dataset::load::RawData;
use crate::dataset::model::CorridorVersionSpec;
use crate::dataset::{add_sources, ControlStatus, DatasetError, LayerRole};
use crate::date::Day;
use crate::figures;
use crate::geodesy::Plane;

/// Parts and holes of the corridor smaller than this (m²) are dropped.
const MIN_PART_M2: f64 = 200_000.0;

/// Radius around a place held by Azerbaijan that the road strip gives up
/// (its built-up core and a margin), metres.
const PLACE_CLEAR_M: f64 = 500.0;

/// The road of a corridor version, on the plane.
pub(super) fn road_xy<'a>(
    raw: &'a RawData,
    spec: &CorridorVersionSpec,
    plane: Plane,
) -> Result<(LineString<f64>, &'a crate::dataset::Feature), DatasetError> {
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
    Ok((super::reference::project_line(plane, line), road))
}

/// The corridor on `day` as lon/lat polygons (rounded as written).
fn corridor_on(
    all: &[ControlPoint],
    refs: &References,
    road: &LineString<f64>,
    half_width_m: f64,
    day: Day,
    plane: Plane,
) -> Vec<Polygon<f64>> {
    let butt = |w: f64| {
        BufferStyle::new(w)
            .line_cap(LineCap::Butt)
            .line_join(LineJoin::Bevel)
    };
    let band = road.buffer_with_style(butt(half_width_m));
    let strip = road.buffer_with_style(butt(ROAD_STRIP_M));
    let lost = |s: ControlStatus| {
        matches!(
            s,
            ControlStatus::Azerbaijan | ControlStatus::PendingHandover
        )
    };
    // Every place known on the day is a Voronoi site.
    let known: Vec<(&ControlPoint, ControlStatus)> = all
        .iter()
        .filter_map(|p| p.props.status_on(day).map(|s| (p, s)))
        .collect();
    let sites: Vec<[f64; 2]> = known.iter().map(|(p, _)| p.xy).collect();
    let (min, max) = frame(&sites);
    let cells = voronoi::Sites::new(&sites, min, max);
    let cell = |i| cells.cell(i).polygon();
    // Ground held by Azerbaijan (or due for handover), the union of those
    // places' cells, is not corridor even within the band (Shushi / Shusha
    // above the old road); the road strip is, except at such a place itself.
    let lost_cells: Vec<Polygon<f64>> = (0..known.len())
        .filter(|&i| lost(known[i].1))
        .map(cell)
        .collect();
    let held = geo::unary_union(&lost_cells);
    let mut discs = MultiPolygon::<f64>(vec![]);
    for (p, _) in known.iter().filter(|(_, s)| lost(*s)) {
        discs = discs.union(&Point::new(p.xy[0], p.xy[1]).buffer(PLACE_CLEAR_M));
    }
    // A place the timeline puts in the corridor takes its own ground (its
    // cell, up to the corridor's half-width) with it, so the road's drawn
    // course cannot leave it out.
    let mut own = MultiPolygon::<f64>(vec![]);
    for (i, (p, s)) in known.iter().enumerate() {
        if *s != ControlStatus::Corridor {
            continue;
        }
        let disc = Point::new(p.xy[0], p.xy[1]).buffer(half_width_m);
        own = own.union(&MultiPolygon(vec![cell(i)]).intersection(&disc));
    }
    let mut area = band
        .difference(&held)
        .union(&strip.difference(&discs))
        .union(&own);
    if let Some(side) = &refs.azerbaijan_side {
        area = area.intersection(side);
    }
    // The buffer's joins leave clusters of vertices centimetres apart that
    // would collapse into loops once rounded to 1e-6 degrees; drop them first.
    let mut area = area.simplify_vw_preserve(100.0);
    // Slivers left by the cuts are noise, not corridor.
    area.0.retain(|p| p.unsigned_area() > MIN_PART_M2);
    area.0
        .sort_by(|a, b| b.unsigned_area().total_cmp(&a.unsigned_area()));
    let ring = |r: &LineString<f64>| -> LineString<f64> {
        r.0.iter().map(|c| written(plane, [c.x, c.y])).collect()
    };
    area.0
        .into_iter()
        .map(|p| {
            let (outer, holes) = p.into_inner();
            let holes = holes
                .iter()
                .filter(|h| Polygon::new((*h).clone(), vec![]).unsigned_area() > MIN_PART_M2)
                .map(ring)
                .collect();
            Polygon::new(ring(&outer), holes)
        })
        .collect()
}

/// `value` for every edge of every ring of `polygons`: the shape of
/// `edge_accuracy_m` and `edge_basis`.
fn per_edge(polygons: &[Polygon<f64>], value: f64) -> Vec<Vec<Vec<f64>>> {
    polygons
        .iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(|r| vec![value; r.0.len().saturating_sub(1)])
                .collect()
        })
        .collect()
}

/// Every day inside the spec's period on which some place's control changes.
fn change_days(all: &[ControlPoint], spec: &CorridorVersionSpec) -> Vec<Day> {
    let from = spec.validity.valid_from.expect("validated");
    let to = spec.validity.valid_to;
    let mut days: Vec<Day> = all
        .iter()
        .flat_map(|p| p.props.control.iter().flat_map(|c| [c.from, c.to]))
        .flatten()
        .filter(|d| *d > from && to.is_none_or(|t| *d < t))
        .collect();
    days.push(from);
    days.sort();
    days.dedup();
    days
}

/// The places whose status differs between two days, as "name: status".
/// The places whose control changes on `day` (from the day before), as
/// "name: new status": what split a corridor version there.
fn changes(all: &[ControlPoint], day: Day) -> Vec<String> {
    let before = day.plus_days(-1);
    all.iter()
        .filter_map(|p| {
            let (a, b) = (p.props.status_on(before), p.props.status_on(day));
            (a != b).then(|| format!("{}: {}", p.name, b.map_or("unknown", |s| s.as_str())))
        })
        .collect()
}

/// The corridor versions of one road period, split wherever a control
/// timeline changes the corridor's shape.
#[allow(clippy::too_many_lines)]
pub(super) fn corridor_versions(
    raw: &RawData,
    all: &[ControlPoint],
    refs: &References,
    spec: &CorridorVersionSpec,
    plane: Plane,
) -> Result<Vec<Value>, DatasetError> {
    let (road, road_feature) = road_xy(raw, spec, plane)?;
    let mut pieces: Vec<(Day, Vec<Polygon<f64>>)> = Vec::new();
    for day in change_days(all, spec) {
        let area = corridor_on(all, refs, &road, spec.half_width_m, day, plane);
        if pieces.last().is_none_or(|(_, last)| *last != area) {
            pieces.push((day, area));
        }
    }
    let accuracy_m = road_feature.accuracy_m();
    let mut sources = spec.sources.clone();
    sources.extend(road_feature.sources());
    if let Some((_, border_sources, _)) = &refs.border {
        add_sources(&mut sources, border_sources.iter().cloned());
    }
    let border_id = refs.border.as_ref().map(|b| b.0.clone());
    let mut out = Vec::new();
    for (k, (day, polygons)) in pieces.iter().enumerate() {
        let id = if k == 0 {
            spec.id.clone()
        } else {
            format!("{}-{day}", spec.id)
        };
        let valid_to = pieces
            .get(k + 1)
            .map_or(spec.validity.valid_to, |(d, _)| Some(*d));
        let title = if spec.title.is_empty() {
            spec.id.clone()
        } else {
            spec.title.clone()
        };
        let (title, description) = if k == 0 {
            (title, spec.description.clone())
        } else {
            let what = changes(all, *day).join("; ");
            (
                format!("{title}, from {day}"),
                format!("From {day} the control timelines change: {what}."),
            )
        };
        let accuracy = per_edge(polygons, accuracy_m);
        let figures = figures::figures(polygons, &accuracy);
        let basis = per_edge(polygons, 0.0);
        out.push(json!({
            "type": "Feature",
            "id": id,
            // Already rounded as written (`corridor_on`).
            "geometry": geojson::GeometryValue::from(&MultiPolygon(polygons.clone())),
            "properties": {
                "id": id,
                "title": title,
                "description": description,
                "road": spec.road,
                "half_width_m": spec.half_width_m,
                "valid_from": day,
                "valid_to": valid_to,
                "method": format!(
                    "Band of {} m either side of the road centreline '{}' (flat ends), less the Voronoi cells of \
                     control points held by Azerbaijan or due for handover on {day}, plus a {ROAD_STRIP_M} m strip \
                     along the road itself (except within {PLACE_CLEAR_M} m of such a place) and the cells of places \
                     in the corridor on {day} (up to {} m from each), clipped to Azerbaijan's side of the border '{}'.",
                    spec.half_width_m,
                    spec.road,
                    spec.half_width_m,
                    border_id.as_deref().unwrap_or("(none)"),
                ),
                "accuracy_m": accuracy_m,
                "figures": figures,
                "edge_accuracy_m": accuracy,
                "edge_basis": basis,
                "bases": [{
                    "kind": BASIS_CORRIDOR,
                    "road": spec.road,
                    "road_name": road_feature.str_prop("name").unwrap_or(&spec.road),
                    "half_width_m": spec.half_width_m,
                    "border": border_id,
                    "accuracy_m": accuracy_m,
                    "sources": road_feature.sources(),
                }],
                "sources": sources,
            }
        }));
    }
    Ok(out)
}
