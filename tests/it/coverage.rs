//! `contactline coverage` on the hand-made fixture, whose answers follow from
//! its grid: nine zone villages 0.05° apart, a ring of Azerbaijani-held ones
//! 0.1° out, so the boundary runs halfway between them (4.3 km east-west,
//! 5.6 km north-south) and the ring's corners lie 7 km from it.

use std::collections::BTreeMap;
use std::io::Write as _;

use contactline::coverage::{self, ListCheck};
use contactline::dataset::Dataset;

use crate::common::fixture_dir;

fn fixture() -> Dataset {
    Dataset::load(&fixture_dir()).expect("fixture loads")
}

#[test]
fn settlements_within_the_distance_of_a_versions_boundary_are_counted_on_their_side_of_its_first_day(
) {
    let c = coverage::count(&fixture(), 6_500.0);
    assert_eq!(c.settlements, 25);
    let counts: Vec<(&str, usize, usize)> = c
        .versions
        .iter()
        .map(|v| (v.id.as_str(), v.near_inside, v.near_outside))
        .collect();
    // v1: the eight outer zone villages and the nine ring villages that are
    // not corners; v2: zone-ne has passed to Azerbaijan, so the centre now
    // faces it and zone-ne counts on the other side.
    assert_eq!(counts, vec![("zone-v1", 8, 9), ("zone-v2", 8, 10)]);
    let v1: BTreeMap<&str, usize> = [
        ("armenia", 1),
        ("azerbaijan", 13),
        ("corridor", 2),
        ("zone", 9),
    ]
    .into_iter()
    .collect();
    assert_eq!(c.versions[0].by_status, v1);
}

#[test]
fn a_list_entry_is_found_under_any_of_its_spellings_and_one_no_settlement_holds_is_missing() {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    write!(
        file,
        r#"{{"lists": [{{"title": "t", "source": {{"title": "s", "url": "geodata/README.md"}},
            "names": ["Centre", "Nowhere / zone s az", "Atlantis"]}}]}}"#
    )
    .expect("write");
    let lists = coverage::read_lists(file.path()).expect("lists read");
    let checked = coverage::check_lists(&fixture(), &lists);
    assert_eq!(
        checked,
        vec![ListCheck {
            title: "t".into(),
            found: vec![
                ("Centre".into(), "centre".into()),
                ("Nowhere / zone s az".into(), "zone-s".into())
            ],
            as_landmark: Vec::new(),
            missing: vec!["Atlantis".into()],
        }]
    );
}

#[test]
fn a_reference_point_beside_a_village_is_covered_one_between_villages_is_not_and_a_far_one_is_not_checked(
) {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    write!(
        file,
        r#"{{"type": "FeatureCollection", "features": [
          {{"type": "Feature", "properties": {{"name": "beside the centre"}}, "geometry": {{"type": "Point", "coordinates": [46.752, 39.801]}}}},
          {{"type": "Feature", "properties": {{"name": "between rings"}}, "geometry": {{"type": "Point", "coordinates": [46.6, 39.71]}}}},
          {{"type": "Feature", "properties": {{"name": "far away"}}, "geometry": {{"type": "Point", "coordinates": [45.0, 39.0]}}}}
        ]}}"#
    )
    .expect("write");
    let points = coverage::read_points(file.path()).expect("points read");
    let checked = coverage::check_points(&fixture(), &points, 25_000.0);
    let answers: Vec<(&str, bool, &str)> = checked
        .iter()
        .map(|p| {
            (
                p.point.name.as_str(),
                p.matched(1_500.0),
                p.nearest.as_ref().map_or("", |(id, _)| id.as_str()),
            )
        })
        .collect();
    assert_eq!(
        answers,
        vec![
            ("beside the centre", true, "centre"),
            ("between rings", false, "ring-09")
        ]
    );
}
