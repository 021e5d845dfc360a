//! The reason behind a verdict and the second opinion beside it, on the
//! bundled data set: every derived edge names a basis, real places name the
//! right pair, a handover stretch names its oblast line, the batch carries
//! the same short form; Natural Earth's depiction answers as its polygon
//! does (checked against `geo` on seeded points) and is compared by the
//! stated rule. Expected answers are read from the data, never typed in.

use std::fmt::Write as _;
use std::sync::OnceLock;

use contactline::csv_safety::Formulas;
use contactline::dataset::{BasisKind, ControlStatus, Dataset, LayerRole};
use contactline::date::Day;
use contactline::geodesy::LonLat;
use contactline::locate::batch::{columns, CsvBatch};
use contactline::locate::{report, Status};
use geo::Intersects;
use serde_json::{json, Value};

use crate::common::{real_geodata_dir, CsvTable};

fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        Dataset::load(&real_geodata_dir()).unwrap_or_else(|e| panic!("geodata does not load: {e}"))
    })
}

fn day(s: &str) -> Day {
    s.parse().expect("test date")
}

fn at(id: &str) -> LonLat {
    dataset()
        .place(id)
        .unwrap_or_else(|| panic!("no place '{id}'"))
        .at
}

fn midpoint(a: LonLat, b: LonLat) -> LonLat {
    LonLat::new(f64::midpoint(a.lon, b.lon), f64::midpoint(a.lat, b.lat))
}

#[test]
fn every_edge_of_every_derived_version_names_one_of_its_own_bases() {
    let ds = dataset();
    for (role, versions) in [
        (LayerRole::Zone, &ds.zones),
        (LayerRole::Corridor, &ds.corridors),
    ] {
        let layer = ds.layer_with_role(role).expect("derived layer");
        for v in versions {
            let feature = layer
                .features
                .iter()
                .find(|f| f.id == v.id)
                .expect("its feature");
            let written = feature.properties["bases"].as_array().expect("bases").len();
            assert_eq!(v.bases.len(), written, "{}: every record read", v.id);
            let bad = v
                .region
                .edge_bases()
                .filter(|&b| b as usize >= v.bases.len())
                .count();
            assert_eq!(bad, 0, "{}: edges without a basis", v.id);
        }
    }
}

#[test]
fn a_point_between_a_held_place_and_one_taken_in_march_2022_names_that_pair_and_the_day() {
    let ds = dataset();
    let p = midpoint(at("khnapat"), at("karaglukh"));
    let when = day("2022-04-01");
    let version = ds.zone_on(when).expect("a zone version");
    let first = version.validity.valid_from.expect("a first day");
    let r = report(ds, p, Some(when), 0.0);
    let b = r.boundary_basis.as_ref().expect("a basis");
    assert_eq!(b.version, version.id);
    let BasisKind::ControlPoints {
        zone_side,
        other_side,
    } = &b.basis.kind
    else {
        panic!("expected a pair of places, got {:?}", b.basis.kind)
    };
    assert_eq!(
        (zone_side.id.as_str(), other_side.id.as_str()),
        ("khnapat", "karaglukh")
    );
    // Statuses, the day the heights changed hands and their sources, as the
    // heights' own timeline says on the version's first day.
    let heights = &ds.place("karaglukh").expect("the heights").props;
    let span = heights.span_on(first).expect("a timeline interval");
    assert_eq!(other_side.status, span.status);
    assert_eq!(other_side.status, ControlStatus::Azerbaijan);
    assert_eq!(other_side.since, span.from);
    assert_eq!(other_side.sources, span.sources);
    assert_eq!(zone_side.status, ControlStatus::Zone);
    assert_eq!(zone_side.since, None);
    let taken = span.from.expect("a dated change").in_words();
    assert!(
        r.summary.contains(&format!(
            "The line here runs between {} (Armenian-held) and {} (Azerbaijani-held from {taken}).",
            zone_side.name, other_side.name
        )),
        "{}",
        r.summary
    );
    // Before the heights were taken, no basis there calls them Azerbaijani-held.
    let before = report(ds, p, Some(day("2022-03-01")), 0.0);
    let earlier = serde_json::to_value(&before.boundary_basis).expect("serialises");
    assert_eq!(
        heights.status_on(day("2022-03-01")),
        Some(ControlStatus::Zone)
    );
    assert_ne!(earlier["other_side"]["id"], "karaglukh");
}

#[test]
fn a_point_on_each_handover_stretch_names_that_oblast_line_in_every_version() {
    let ds = dataset();
    let lines = ds
        .layer_with_role(LayerRole::ReferenceLines)
        .expect("reference lines");
    let mut checked = 0;
    for v in &ds.zones {
        let first = v.validity.valid_from.expect("a first day");
        let followed = v.bases.iter().filter_map(|b| match &b.kind {
            BasisKind::ReferenceLine { line } => Some(line.id.as_str()),
            _ => None,
        });
        for id in followed {
            let f = lines
                .features
                .iter()
                .find(|f| f.id == id)
                .expect("the stretch");
            let geo::Geometry::LineString(ls) = &f.geometry else {
                panic!("{id} is not a line")
            };
            let c = ls.0[ls.0.len() / 2];
            let r = report(ds, LonLat::new(c.x, c.y), Some(first), 0.0);
            let b = serde_json::to_value(&r.boundary_basis).expect("serialises");
            assert_eq!(b["kind"], "reference_line", "{} on {id}: {b}", v.id);
            assert_eq!(b["line"]["id"], id, "{}", v.id);
            assert_eq!(b["line"]["scale"], f.properties["scale"]);
            assert_eq!(b["line"]["sources"], f.properties["sources"]);
            checked += 1;
        }
    }
    assert!(checked >= ds.zones.len(), "{checked} stretches checked");
}

/// The depiction polygons of the bundled data, as `geo` reads them.
fn depiction_geometry() -> Vec<&'static geo::Geometry> {
    dataset()
        .layer_with_role(LayerRole::Depictions)
        .expect("depictions layer")
        .features
        .iter()
        .filter(|f| {
            matches!(
                f.geometry,
                geo::Geometry::Polygon(_) | geo::Geometry::MultiPolygon(_)
            )
        })
        .map(|f| &f.geometry)
        .collect()
}

#[test]
fn the_depiction_answers_as_its_polygon_does_on_seeded_points() {
    let ds = dataset();
    let shapes = depiction_geometry();
    assert_eq!(shapes.len(), 1);
    let mut rng = fastrand::Rng::with_seed(20_201_110);
    let (mut agree, mut differ) = (0, 0);
    for _ in 0..1500 {
        let p = LonLat::new(46.2 + 1.1 * rng.f64(), 39.3 + 1.1 * rng.f64());
        let when = day(["2020-11-15", "2022-04-01", "2023-06-01"][rng.usize(..3)]);
        let r = report(ds, p, Some(when), 0.0);
        let d = r.depiction.expect("a depiction on every zone day");
        if d.distance_m.abs() < 5.0 {
            continue; // on its edge: either rule may round either way
        }
        let inside = shapes[0].intersects(&geo::Point::new(p.lon, p.lat));
        assert_eq!(d.inside, inside, "at {p:?}");
        assert_eq!(d.distance_m < 0.0, inside, "sign at {p:?}");
        let ours = matches!(r.status, Some(Status::InsideZone | Status::InsideCorridor));
        assert_eq!(d.agrees, inside == ours, "at {p:?} on {when}");
        assert_eq!(d.near_boundary, d.distance_m.abs() <= d.accuracy_m);
        if d.agrees {
            agree += 1;
        } else {
            differ += 1;
        }
    }
    // The sample must exercise both answers for the test to mean anything.
    assert!(agree > 100 && differ > 10, "{agree} agree, {differ} differ");
}

#[test]
fn at_parukh_after_march_2022_the_unchanged_depiction_is_compared_with_our_answer() {
    let ds = dataset();
    let p = at("parukh");
    let when = day("2022-04-01");
    let taken = ds.place("parukh").expect("Parukh").props.status_on(when);
    assert_eq!(taken, Some(ControlStatus::Azerbaijan));
    let r = report(ds, p, Some(when), 0.0);
    // The control rule: a place held by Azerbaijan is outside.
    assert_eq!(r.status, Some(Status::Outside));
    let d = r.depiction.expect("a depiction");
    let inside = depiction_geometry()[0].intersects(&geo::Point::new(p.lon, p.lat));
    assert_eq!(d.inside, inside);
    assert_eq!(d.agrees, !inside);
    let side = if inside { "inside" } else { "outside" };
    let verdict = if d.agrees {
        "it agrees"
    } else {
        "it differs from this answer"
    };
    assert!(
        r.summary
            .contains(&format!("puts the point {side} its area")),
        "{}",
        r.summary
    );
    assert!(r.summary.contains(verdict), "{}", r.summary);
}

#[test]
fn without_a_zone_or_a_date_there_is_no_basis_and_no_depiction() {
    let ds = dataset();
    let p = at("parukh");
    for when in [Some(day("2019-01-01")), Some(day("2023-10-01")), None] {
        let r = report(ds, p, when, 0.0);
        assert!(r.boundary_basis.is_none(), "{when:?}");
        assert!(r.depiction.is_none(), "{when:?}");
        let v = serde_json::to_value(&r).expect("serialises");
        assert_eq!(v["boundary_basis"], Value::Null);
        assert_eq!(v["depiction"], Value::Null);
    }
}

#[test]
fn the_batch_csv_carries_the_reports_short_basis_and_depiction_answer() {
    let ds = dataset();
    let points = [
        (midpoint(at("khnapat"), at("karaglukh")), "2022-04-01"),
        (at("parukh"), "2022-04-01"),
        (at("parukh"), "2019-01-01"),
    ];
    let mut body = String::from("ref,lat,lon,date\n");
    for (i, (p, d)) in points.iter().enumerate() {
        writeln!(body, "{i},{},{},{d}", p.lat, p.lon).expect("writing to a String");
    }
    let batch = CsvBatch::read(body.as_bytes(), 10, Formulas::Neutralise).expect("a valid batch");
    let mut out = Vec::new();
    batch.write(ds, &mut |chunk| {
        out.extend(chunk.bytes);
        true
    });
    let table = CsvTable::read(&out);
    let col = |name: &str| table.col(name);
    assert!(columns().iter().all(|c| table.header.contains(c)));
    let rows = &table.rows;
    assert_eq!(rows.len(), points.len());
    for (row, (p, d)) in rows.iter().zip(points) {
        let r = report(ds, p, Some(day(d)), 0.0);
        let basis = r
            .boundary_basis
            .map(|b| b.basis.short.clone())
            .unwrap_or_default();
        assert_eq!(&row[col("boundary_basis")], basis);
        let cell = |v: Option<bool>| v.map(|b| b.to_string()).unwrap_or_default();
        assert_eq!(
            &row[col("depiction_inside")],
            cell(r.depiction.map(|x| x.inside))
        );
        assert_eq!(
            &row[col("depiction_agrees")],
            cell(r.depiction.map(|x| x.agrees))
        );
    }
    assert_eq!(&rows[2][col("boundary_basis")], "");
}

/// A copy of the fixture with a hand-made depiction: a square around the
/// zone reaching 3 km past its east edge (46.85° E at 39.80° N).
fn fixture_with_depiction() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(crate::common::fixture_dir()).expect("fixture dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    let source = json!([{ "title": "contactline test fixture (invented data)",
                          "url": "tests/fixtures/geodata/README.md" }]);
    let catalog_path = dir.path().join("catalog.json");
    let mut catalog: Value =
        serde_json::from_str(&std::fs::read_to_string(&catalog_path).expect("read")).expect("json");
    catalog["layers"]
        .as_array_mut()
        .expect("layers")
        .push(json!({
            "id": "depictions", "title": "Other depictions", "description": "A square (fixture).",
            "geometry_type": "Polygon", "files": ["depictions.geojson"], "licence": "CC0-1.0",
            "sources": source, "accuracy_m": 5000,
        }));
    std::fs::write(&catalog_path, catalog.to_string()).expect("write");
    let square = json!({
        "type": "FeatureCollection",
        "features": [{
            "type": "Feature", "id": "fixture_square",
            "geometry": { "type": "Polygon", "coordinates": [[
                [46.65, 39.70], [46.885, 39.70], [46.885, 39.90], [46.65, 39.90], [46.65, 39.70]
            ]] },
            "properties": { "id": "fixture_square", "name": "Fixture square", "scale": "1:1,000,000",
                            "valid_from": "2020-11-10", "valid_to": "2023-09-20",
                            "accuracy_m": 5000, "sources": source },
        }],
    });
    std::fs::write(dir.path().join("depictions.geojson"), square.to_string()).expect("write");
    dir
}

#[test]
fn the_depiction_answer_beside_ours_inside_both_and_where_they_differ() {
    let dir = fixture_with_depiction();
    let ds = Dataset::load(dir.path()).unwrap_or_else(|e| panic!("fixture copy: {e}"));
    let answer = |lon: f64| {
        let r = report(&ds, LonLat::new(lon, 39.80), Some(day("2022-03-01")), 0.0);
        let v = serde_json::to_value(&r).expect("serialises");
        let d = &v["depiction"];
        let rounded = |x: &Value| json!((x.as_f64().expect("a number") / 10.0).round() * 10.0);
        json!({
            "status": v["status"], "id": d["id"], "source": d["source"], "scale": d["scale"],
            "inside": d["inside"], "distance_m": rounded(&d["distance_m"]),
            "accuracy_m": d["accuracy_m"], "near_boundary": d["near_boundary"],
            "agrees": d["agrees"], "sources": d["sources"],
        })
    };
    // The centre, then a point between the zone's east edge and the square's.
    insta::assert_json_snapshot!([answer(46.75), answer(46.87)]);
}
