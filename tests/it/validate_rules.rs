//! The data integrity rules of `contactline validate` (and of every load):
//! each one broken in a copy of the fixture data set, with the exact problem
//! it must report, and all of them broken at once to show every problem is
//! listed, not only the first.

use std::path::Path;

use contactline::dataset::{Dataset, DatasetError, Problem};
use serde_json::{json, Value};

use crate::common::fixture_dir;

/// A copy of the fixture data set in a temporary directory.
fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(fixture_dir()).expect("fixture dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    dir
}

/// Edits one JSON file of a data directory in place.
fn edit(dir: &Path, file: &str, f: impl FnOnce(&mut Value)) {
    let path = dir.join(file);
    let mut v: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    f(&mut v);
    std::fs::write(&path, serde_json::to_string_pretty(&v).expect("ser")).expect("write");
}

/// The feature with `id` in a feature collection.
fn feature<'a>(fc: &'a mut Value, id: &str) -> &'a mut Value {
    fc["features"]
        .as_array_mut()
        .expect("features")
        .iter_mut()
        .find(|f| f["id"] == id)
        .expect("feature")
}

/// The problems loading `dir` reports (empty when it loads).
fn problems(dir: &Path) -> Vec<Problem> {
    match Dataset::load(dir) {
        Ok(_) => Vec::new(),
        Err(DatasetError::Invalid(p)) => p,
        Err(e) => panic!("unexpected error: {e}"),
    }
}

fn problem(file: &str, feature: &str, reason: &str) -> Problem {
    Problem {
        file: file.into(),
        feature: Some(feature.into()),
        reason: reason.into(),
    }
}

/// Geodesic distance in km to one decimal, from `GeographicLib` (independent
/// of the crate's own distance code).
fn km(a: [f64; 2], b: [f64; 2]) -> String {
    use geographiclib_rs::{Geodesic, InverseGeodesic};
    let s12: f64 = Geodesic::wgs84().inverse(a[1], a[0], b[1], b[0]);
    format!("{:.1}", s12 / 1000.0)
}

const INCIDENT: &str = "2021-05-12-centre";

#[test]
fn the_fixture_data_set_passes_every_rule() {
    let dir = fixture_copy();
    assert_eq!(problems(dir.path()), Vec::<Problem>::new());
}

#[test]
fn ids_named_by_incidents_line_segments_and_corridor_versions_must_exist() {
    let dir = fixture_copy();
    edit(dir.path(), "incidents.geojson", |fc| {
        feature(fc, INCIDENT)["properties"]["settlements"] = json!(["centre", "shusha"]);
    });
    edit(dir.path(), "line_of_contact.geojson", |fc| {
        fc["features"][0]["properties"]["other_side"] = json!("ring-99");
    });
    edit(dir.path(), "versions.json", |v| {
        v["corridor_versions"][0]["road"] = json!("no_such_road");
    });
    let segment = "zone-v1--zone-e--ring-13";
    assert_eq!(
        problems(dir.path()),
        vec![
            problem(
                "line_of_contact.geojson",
                segment,
                "other_side names 'ring-99', which is no settlement or position id"
            ),
            problem(
                "incidents.geojson",
                INCIDENT,
                "settlements names 'shusha', which is no settlement or position id"
            ),
            problem(
                "versions.json",
                "corridor-v1",
                "road 'no_such_road' is no road id"
            ),
        ]
    );
}

#[test]
fn an_incident_farther_from_a_place_it_names_than_its_precision_is_refused_unless_it_says_why() {
    let dir = fixture_copy();
    edit(dir.path(), "incidents.geojson", |fc| {
        feature(fc, INCIDENT)["properties"]["settlements"] = json!(["centre", "zone-sw"]);
    });
    let d = km([46.75, 39.8], [46.7, 39.75]);
    assert_eq!(
        problems(dir.path()),
        vec![problem(
            "incidents.geojson",
            INCIDENT,
            &format!("lies {d} km from 'zone-sw', which it names, beyond its location_precision_m of 1.0 km; move it, widen the precision honestly, or say why in 'settlements_note'")
        )]
    );
    edit(dir.path(), "incidents.geojson", |fc| {
        feature(fc, INCIDENT)["properties"]["settlements_note"] =
            json!("shelled from Zone Sw, hit Centre");
    });
    assert_eq!(problems(dir.path()), Vec::<Problem>::new());
}

#[test]
fn an_incident_whose_lat_lon_disagree_with_its_geometry_is_refused() {
    let dir = fixture_copy();
    edit(dir.path(), "incidents.geojson", |fc| {
        feature(fc, INCIDENT)["properties"]["lat"] = json!(39.81);
    });
    assert_eq!(
        problems(dir.path()),
        vec![problem(
            "incidents.geojson",
            INCIDENT,
            "lat 39.81 differs from the geometry's 39.8"
        )]
    );
}

#[test]
fn a_place_entered_twice_under_one_name_nearby_is_refused_unless_marked_distinct() {
    let dir = fixture_copy();
    edit(dir.path(), "settlements.geojson", |fc| {
        let mut twin = feature(fc, "zone-n").clone();
        twin["id"] = json!("zone-n-twin");
        twin["properties"]["id"] = json!("zone-n-twin");
        twin["properties"]["display_name"] = json!("Twin");
        twin["properties"]["names"]["en"] = json!(["Twin", "Zone N"]);
        for lang in ["hy", "az", "ru"] {
            twin["properties"]["names"][lang] = json!(["Twin"]);
        }
        twin["geometry"]["coordinates"] = json!([46.76, 39.86]);
        fc["features"].as_array_mut().expect("features").push(twin);
    });
    let d = km([46.75, 39.85], [46.76, 39.86]);
    assert_eq!(
        problems(dir.path()),
        vec![problem(
            "settlements.geojson",
            "zone-n-twin",
            &format!("shares the name form 'zone n' with 'zone-n' {d} km away: one place entered twice? Merge them, or list each in the other's 'distinct_from'")
        )]
    );
    edit(dir.path(), "settlements.geojson", |fc| {
        feature(fc, "zone-n-twin")["properties"]["distinct_from"] = json!(["zone-n"]);
    });
    assert_eq!(problems(dir.path()), Vec::<Problem>::new());
}

#[test]
fn a_coordinate_copied_from_a_schema_example_is_refused() {
    let dir = fixture_copy();
    std::fs::write(
        dir.path().join("SCHEMA.md"),
        "```json\n  \"geometry\": { \"type\": \"Point\", \"coordinates\": [46.8, 39.85] },\n```\n",
    )
    .expect("write");
    assert_eq!(
        problems(dir.path()),
        vec![
            problem(
                "settlements.geojson",
                "zone-ne",
                "has the coordinate [46.8, 39.85], which is an example in SCHEMA.md, not a sourced position"
            ),
            // The fixture's incident at Zone Ne stands on the same point.
            problem(
                "incidents.geojson",
                "2022-09-13-zone-ne",
                "has the coordinate [46.8, 39.85], which is an example in SCHEMA.md, not a sourced position"
            ),
        ]
    );
}

#[test]
fn mirrors_raw_ips_unknown_hosts_and_non_canonical_wikipedia_links_are_refused() {
    let dir = fixture_copy();
    let urls = [
        "https://en.wikipedia.org/wiki/Parukh",
        "https://en.m.wikipedia.org/wiki/Tal%C4%B1%C5%9F,_Tartar",
        "http://98.80.38.242:8888/wikipedia_en_all_maxi_2022-05/A/Mets_Taglar",
        "https://perceptiode.com/Tagavard",
        "https://www.civilnet.am/en/news/636155/",
    ];
    edit(dir.path(), "settlements.geojson", |fc| {
        feature(fc, "centre")["properties"]["sources"] = urls
            .iter()
            .map(|u| json!({"title": "t", "url": u}))
            .collect();
    });
    edit(dir.path(), "incidents.geojson", |fc| {
        feature(fc, INCIDENT)["properties"]["claims"] = json!([{
            "who": "someone", "date": "2021-05-12", "said": "something",
            "source": {"title": "t", "url": "https://s.cnmilf.com/w/index.php?title=Parukh"}
        }]);
    });
    assert_eq!(
        problems(dir.path()),
        vec![
            problem("settlements.geojson", "centre", "'https://en.m.wikipedia.org/wiki/Tal%C4%B1%C5%9F,_Tartar' is not a canonical Wikipedia article URL; use https://en.wikipedia.org/wiki/Tal%C4%B1%C5%9F,_Tartar"),
            problem("settlements.geojson", "centre", "'http://98.80.38.242:8888/wikipedia_en_all_maxi_2022-05/A/Mets_Taglar' points at a raw IP address; cite the publisher's own site"),
            problem("settlements.geojson", "centre", "'https://perceptiode.com/Tagavard': host 'perceptiode.com' is not an allowed source (a mirror, aggregator or unknown publisher?); cite the original publisher or add the host to ALLOWED_HOSTS with a reason"),
            problem("incidents.geojson", INCIDENT, "'https://s.cnmilf.com/w/index.php?title=Parukh': host 's.cnmilf.com' is not an allowed source (a mirror, aggregator or unknown publisher?); cite the original publisher or add the host to ALLOWED_HOSTS with a reason"),
        ]
    );
}

#[test]
fn every_broken_rule_is_reported_in_one_run() {
    let dir = fixture_copy();
    std::fs::write(
        dir.path().join("SCHEMA.md"),
        "\"coordinates\": [46.8, 39.85]\n",
    )
    .expect("write");
    edit(dir.path(), "incidents.geojson", |fc| {
        let p = &mut feature(fc, INCIDENT)["properties"];
        p["settlements"] = json!(["nowhere", "zone-sw"]);
        p["sources"] = json!([{"title": "t", "url": "https://wikizero.com/en/Mirushen"}]);
    });
    edit(dir.path(), "versions.json", |v| {
        v["corridor_versions"][0]["road"] = json!("no_such_road");
    });
    let reasons: Vec<String> = problems(dir.path())
        .into_iter()
        .map(|p| format!("{}:{}", p.file, p.feature.unwrap_or_default()))
        .collect();
    assert_eq!(
        reasons,
        [
            "incidents.geojson:2021-05-12-centre",
            "versions.json:corridor-v1",
            "incidents.geojson:2021-05-12-centre",
            "settlements.geojson:zone-ne",
            "incidents.geojson:2022-09-13-zone-ne",
            "incidents.geojson:2021-05-12-centre",
        ]
    );
}

#[test]
fn a_handover_stretch_must_say_what_it_faces_and_its_scale() {
    let dir = fixture_copy();
    let source = json!([{"title": "contactline test fixture (invented data)", "url": "tests/fixtures/geodata/README.md"}]);
    edit(dir.path(), "catalog.json", |c| {
        c["layers"].as_array_mut().expect("layers").push(json!({
            "id": "reference_lines", "title": "Reference lines", "description": "One stretch (fixture).",
            "geometry_type": "LineString", "files": ["reference-lines.geojson"], "licence": "CC0-1.0",
            "sources": source, "accuracy_m": 1000,
        }));
    });
    let write_stretch = |faces: Option<&str>| {
        let mut props = json!({
            "id": "stretch", "role": "handover_stretch", "name": "A stretch", "scale": "1:10,000,000",
            "accuracy_m": 1000, "sources": source,
        });
        if let Some(faces) = faces {
            props["faces"] = json!(faces);
        }
        let fc = json!({"type": "FeatureCollection", "features": [{
            "type": "Feature", "id": "stretch", "properties": props,
            "geometry": {"type": "LineString", "coordinates": [[46.60, 39.95], [46.62, 39.97]]},
        }]});
        std::fs::write(dir.path().join("reference-lines.geojson"), fc.to_string()).expect("write");
    };
    let derived = |dir: &Path| match contactline::derive::derive_dir(dir) {
        Ok(_) => Vec::new(),
        Err(DatasetError::Invalid(p)) => p,
        Err(e) => panic!("unexpected error: {e}"),
    };
    write_stretch(None);
    assert_eq!(
        derived(dir.path()),
        [problem(
            "reference_lines",
            "stretch",
            "a handover stretch needs a non-empty `faces`"
        )]
    );
    write_stretch(Some(" "));
    assert_eq!(derived(dir.path()).len(), 1);
    write_stretch(Some("Kalbajar District"));
    assert_eq!(derived(dir.path()), Vec::<Problem>::new());
}
