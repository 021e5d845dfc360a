//! Tests of the bundled data set in `geodata/`: it validates, its derived
//! layers are up to date, the control rule holds, and the spot checks that a
//! reader would make first come out right.

use std::path::PathBuf;
use std::sync::OnceLock;

use contactline::dataset::{ControlStatus, Dataset, LayerRole};
use contactline::date::Day;
use contactline::geodesy::LonLat;
use contactline::locate::{verdict_on, Status};

fn geodata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("geodata")
}

fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        Dataset::load(&geodata()).unwrap_or_else(|e| panic!("geodata does not load: {e}"))
    })
}

fn day(s: &str) -> Day {
    s.parse().expect("test date")
}

fn place(id: &str) -> LonLat {
    dataset()
        .place(id)
        .unwrap_or_else(|| panic!("no place '{id}'"))
        .at
}

/// A proptest runner with a fixed seed, so every run checks the same cases.
fn seeded_runner(cases: u32, seed: u8) -> proptest::test_runner::TestRunner {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    )
}

fn status(id: &str, date: &str) -> Status {
    verdict_on(dataset(), place(id), day(date), 0.0).status
}

#[test]
fn the_derived_layers_are_what_derive_produces_from_the_control_points() {
    let derived = contactline::derive::derive_dir(&geodata()).expect("derivation runs");
    let stale = contactline::cli::stale_derived(&geodata(), &derived);
    assert!(
        stale.is_empty(),
        "run `contactline derive geodata`: out of date: {stale:?}"
    );
}

#[test]
fn every_settlement_held_in_the_zone_lies_inside_each_version_and_every_other_outside() {
    let ds = dataset();
    let mut violations = Vec::new();
    let mut checked = 0;
    for z in &ds.zones {
        let start = z.validity.valid_from.expect("versions have a start");
        for p in ds.places.iter().filter(|p| p.props.control_point) {
            let Some(held) = p.props.status_on(start) else {
                continue;
            };
            let (signed, _) = z.region.signed_distance(p.at).expect("zone is not empty");
            let inside = signed <= 0.0;
            checked += 1;
            if inside != (held == ControlStatus::Zone) {
                violations.push(format!(
                    "{} ({}) is {} on {start} but {} version {}",
                    p.props.display_name,
                    p.props.id,
                    held.as_str(),
                    if inside { "inside" } else { "outside" },
                    z.id
                ));
            }
        }
    }
    assert!(checked > 500, "only {checked} checks ran");
    assert!(
        violations.is_empty(),
        "control rule violated:\n{}",
        violations.join("\n")
    );
}

/// Every day inside the zone period on which some control timeline changes,
/// plus every version's first day.
fn timeline_change_days(ds: &Dataset) -> Vec<Day> {
    let (first, end) = ds.zone_period();
    let mut days: Vec<Day> = ds
        .places
        .iter()
        .flat_map(|p| p.props.control.iter().flat_map(|c| [c.from, c.to]))
        .flatten()
        .chain(
            ds.zones
                .iter()
                .chain(&ds.corridors)
                .filter_map(|v| v.validity.valid_from),
        )
        .filter(|d| *d >= first && *d < end)
        .collect();
    days.sort();
    days.dedup();
    days
}

#[test]
fn corridor_places_are_inside_that_days_corridor_and_azerbaijani_held_places_outside_on_every_change_day(
) {
    let ds = dataset();
    let mut violations = Vec::new();
    let mut checked = 0;
    for day in timeline_change_days(ds) {
        let corridor = ds
            .corridor_on(day)
            .expect("a corridor on every day of the period");
        for p in ds.places.iter().filter(|p| p.props.control_point) {
            let want_inside = match p.props.status_on(day) {
                Some(ControlStatus::Corridor) => true,
                Some(ControlStatus::Azerbaijan | ControlStatus::Armenia) => false,
                _ => continue,
            };
            let (signed, _) = corridor.region.signed_distance(p.at).expect("not empty");
            checked += 1;
            if (signed <= 0.0) != want_inside {
                violations.push(format!(
                    "{} is {:?} on {day} but {} {} ({signed:.0} m)",
                    p.props.id,
                    p.props.status_on(day),
                    if signed <= 0.0 { "inside" } else { "outside" },
                    corridor.id
                ));
            }
        }
    }
    assert!(checked > 1000, "only {checked} checks ran");
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn a_new_corridor_version_starts_the_day_berdzor_lachin_passes_to_azerbaijan() {
    let ds = dataset();
    let before = ds.corridor_on(day("2022-08-25")).expect("corridor");
    let after = ds.corridor_on(day("2022-08-26")).expect("corridor");
    assert_ne!(before.id, after.id);
    assert_eq!(after.validity.valid_from, Some(day("2022-08-26")));
    assert_eq!(status("berdzor", "2022-08-26"), Status::Outside);
    assert_eq!(status("aghavno", "2022-08-27"), Status::Outside);
}

/// The Armenia–Azerbaijan border from the reference layer, as segments.
fn border_segments(ds: &Dataset) -> Vec<(LonLat, LonLat)> {
    let layer = ds.layer("reference_lines").expect("reference lines layer");
    let border = layer
        .features
        .iter()
        .find(|f| f.str_prop("role") == Some("border"))
        .expect("a border feature");
    let geo::Geometry::MultiLineString(m) = &border.geometry else {
        panic!("the border is a MultiLineString");
    };
    m.0.iter()
        .flat_map(geo::LineString::lines)
        .map(|l| {
            (
                LonLat::new(l.start.x, l.start.y),
                LonLat::new(l.end.x, l.end.y),
            )
        })
        .collect()
}

#[test]
fn the_border_line_never_runs_through_a_corridor_so_no_corridor_reaches_into_armenia() {
    // A corridor reaching across the border would have the border line run
    // through its interior. Points every 50 m along the line may lie on the
    // corridor's edge (it is clipped to the line) but never inside it; the
    // Armenian towns by the corridor are outside it (checked with the
    // control rule above).
    let ds = dataset();
    let segments = border_segments(ds);
    let mut inside = Vec::new();
    let mut checked = 0;
    for c in &ds.corridors {
        for &(a, b) in &segments {
            let n = (contactline::geodesy::distance_m(a, b) / 50.0)
                .ceil()
                .max(1.0);
            for k in 0..=n as u32 {
                let t = f64::from(k) / n;
                let p = LonLat::new(a.lon + t * (b.lon - a.lon), a.lat + t * (b.lat - a.lat));
                let (signed, _) = c.region.signed_distance(p).expect("not empty");
                if signed < 5_000.0 {
                    checked += 1;
                }
                // 1 m: the corridor's vertices are rounded to 1e-6 degrees.
                if signed < -1.0 {
                    inside.push(format!(
                        "{} contains the border point {p:?} ({signed:.1} m)",
                        c.id
                    ));
                }
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} border points near a corridor"
    );
    assert!(inside.is_empty(), "{}", inside.join("\n"));
}

#[test]
fn stepanakert_is_inside_the_zone_in_every_version() {
    for z in &dataset().zones {
        let d = z.validity.valid_from.expect("start").to_string();
        assert_eq!(
            status("stepanakert", &d),
            Status::InsideZone,
            "version {}",
            z.id
        );
    }
}

#[test]
fn shusha_is_outside_in_every_version() {
    for z in &dataset().zones {
        let d = z.validity.valid_from.expect("start").to_string();
        assert_eq!(status("shushi", &d), Status::Outside, "version {}", z.id);
    }
}

#[test]
fn berdzor_lachin_is_in_the_corridor_before_the_august_2022_handover_and_outside_after() {
    assert_eq!(status("berdzor", "2022-08-01"), Status::InsideCorridor);
    assert_eq!(status("berdzor", "2022-09-01"), Status::Outside);
}

#[test]
fn parukh_is_inside_before_march_2022_and_outside_from_25_march() {
    assert_eq!(status("parukh", "2022-03-01"), Status::InsideZone);
    assert_eq!(status("parukh", "2022-03-25"), Status::Outside);
}

#[test]
fn the_hin_tagher_pocket_leaves_the_zone_in_december_2020() {
    assert_eq!(status("hin_tagher", "2020-11-15"), Status::InsideZone);
    assert_eq!(status("hin_tagher", "2021-01-01"), Status::Outside);
}

#[test]
fn there_is_no_zone_before_the_statement_or_after_the_offensive() {
    let ds = dataset();
    for id in ["stepanakert", "berdzor", "shushi", "martakert"] {
        for date in ["2023-10-01", "2020-11-09", "2019-01-01"] {
            assert_eq!(
                verdict_on(ds, place(id), day(date), 0.0).status,
                Status::NoZone,
                "{id} {date}"
            );
        }
    }
}

#[test]
fn every_feature_has_a_source_and_an_accuracy() {
    for layer in &dataset().layers {
        for f in &layer.features {
            assert!(
                !f.sources().is_empty(),
                "{}/{} has no source",
                layer.meta.id,
                f.id
            );
            assert!(
                f.accuracy_m() >= 0.0,
                "{}/{} has no accuracy",
                layer.meta.id,
                f.id
            );
        }
    }
}

#[test]
fn there_are_at_least_150_settlements_each_named_in_four_languages() {
    let settlements: Vec<_> = dataset()
        .places
        .iter()
        .filter(|p| p.is_settlement)
        .collect();
    assert!(
        settlements.len() >= 150,
        "{} settlements",
        settlements.len()
    );
    for p in settlements {
        for lang in ["en", "hy", "az", "ru"] {
            assert!(
                p.props.names.get(lang).is_some_and(|n| !n.is_empty()),
                "{} has no {lang} name",
                p.props.id
            );
        }
    }
}

#[test]
fn incidents_carry_attributed_sourced_claims() {
    let incidents = dataset().layer("incidents").expect("incidents layer");
    assert!(incidents.features.len() >= 25);
    for f in &incidents.features {
        let claims = f
            .properties
            .get("claims")
            .and_then(|c| c.as_array())
            .expect("claims array");
        assert!(!claims.is_empty(), "{} has no claims", f.id);
        for c in claims {
            for key in ["who", "said"] {
                assert!(
                    c.get(key)
                        .and_then(|v| v.as_str())
                        .is_some_and(|s| !s.is_empty()),
                    "{}: claim without {key}",
                    f.id
                );
            }
            assert!(
                c.pointer("/source/url").and_then(|v| v.as_str()).is_some(),
                "{}: claim without source url",
                f.id
            );
        }
        assert!(f
            .properties
            .get("location_precision_m")
            .and_then(serde_json::Value::as_f64)
            .is_some());
    }
}

#[test]
fn inside_both_areas_a_verdict_is_sure_when_either_is_and_outside_the_nearer_edge_decides() {
    use proptest::prelude::*;
    let ds = dataset();
    let mut runner = seeded_runner(3000, 5);
    let start = day("2020-11-10").number();
    // Points the corridor holds deeper than the zone while the zone alone
    // is sure: the case a rule "the deeper area decides" got wrong.
    let sure_by_the_zone_alone = std::cell::Cell::new(0);
    runner
        .run(
            // Around the old and new corridor roads, where the two areas meet.
            &(46.40f64..46.80, 39.45f64..39.90, 0i32..1040),
            |(lon, lat, offset)| {
                let p = LonLat::new(lon, lat);
                let d = day("1970-01-01").plus_days(start + offset);
                let v = verdict_on(ds, p, d, 0.0);
                // Each area's own answer: signed distance, and whether it is
                // beyond that edge's accuracy.
                let check = |a: Option<&contactline::dataset::AreaVersion>| {
                    a.and_then(|a| a.region.signed_distance(p))
                        .map(|(signed, hit)| (signed, signed.abs() > hit.accuracy_m))
                };
                let (Some(zone), corridor) = (check(ds.zone_on(d)), check(ds.corridor_on(d)))
                else {
                    return Ok(());
                };
                let holding: Vec<_> = [Some(zone), corridor]
                    .into_iter()
                    .flatten()
                    .filter(|(signed, _)| *signed <= 0.0)
                    .collect();
                let sure = if holding.is_empty() {
                    let nearer = corridor.filter(|c| c.0 < zone.0).unwrap_or(zone);
                    nearer.1
                } else {
                    holding.iter().any(|(_, sure)| *sure)
                };
                if zone.1 && corridor.is_some_and(|c| c.0 < zone.0 && !c.1) && zone.0 <= 0.0 {
                    sure_by_the_zone_alone.set(sure_by_the_zone_alone.get() + 1);
                }
                prop_assert_eq!(v.near_boundary, !sure, "at {:?} on {}", p, d);
                Ok(())
            },
        )
        .expect("property holds");
    assert!(
        sure_by_the_zone_alone.get() > 0,
        "some seeded point lies deeper in the corridor than in the zone, where only the zone is sure"
    );
}

/// Brute force over every feature of the `zone` and `corridor` layers with
/// `geo`'s own point-in-polygon, independent of the R-tree path.
fn brute_force_status(ds: &Dataset, p: LonLat, day: Day) -> Status {
    use geo::Contains;
    let (first, end) = ds.zone_period();
    if day < first || day >= end {
        return Status::NoZone;
    }
    let point = geo::Point::new(p.lon, p.lat);
    let in_layer = |id: &str| {
        ds.layer(id)
            .expect("layer")
            .features
            .iter()
            .filter(|f| f.validity.contains(day))
            .any(|f| f.geometry.contains(&point))
    };
    if in_layer("zone") {
        Status::InsideZone
    } else if in_layer("corridor") {
        Status::InsideCorridor
    } else {
        Status::Outside
    }
}

#[test]
fn verdicts_on_seeded_random_points_and_dates_equal_a_brute_force_scan_of_all_features() {
    use proptest::prelude::*;
    let ds = dataset();
    let mut runner = seeded_runner(3000, 11);
    let start = day("2020-10-01").number();
    let strategy = (46.2f64..47.4, 39.3f64..40.4, 0i32..1200);
    runner
        .run(&strategy, |(lon, lat, offset)| {
            let p = LonLat::new(lon, lat);
            let d = day("1970-01-01").plus_days(start + offset);
            let v = verdict_on(ds, p, d, 0.0);
            // Points within a metre of an edge may fall either way between two
            // correct implementations of the boundary rule.
            if v.distance_m.is_some_and(|m| m.abs() < 1.0) {
                return Ok(());
            }
            prop_assert_eq!(
                v.status,
                brute_force_status(ds, p, d),
                "at {:?} on {}",
                p,
                d
            );
            Ok(())
        })
        .expect("property holds");
}

#[test]
fn the_timeline_names_the_corridor_in_force_even_far_from_the_corridor() {
    // Martakert is far enough from the corridor that the verdict does not
    // search it; the timeline must still say which corridor was in force.
    let ds = dataset();
    let timeline = contactline::locate::timeline(ds, place("martakert"), 0.0);
    let in_period: Vec<_> = timeline
        .iter()
        .filter(|e| e.status != Status::NoZone)
        .collect();
    assert!(in_period.len() >= 5);
    for e in in_period {
        let expected = ds.corridor_on(e.from.expect("dated")).map(|c| c.id.clone());
        assert!(expected.is_some());
        assert_eq!(
            e.corridor_version,
            expected.as_deref(),
            "interval from {:?}",
            e.from
        );
    }
}

#[test]
fn versions_with_identical_geometry_share_one_index() {
    // Saribaba has no sourced position, so the 2022-08-04 zone has the same
    // polygon as the 2022-08-26 one: loading must index it once.
    let ds = dataset();
    let a = ds.zone_on(day("2022-08-10")).expect("zone");
    let b = ds.zone_on(day("2022-09-10")).expect("zone");
    assert_ne!(a.id, b.id);
    assert!(std::sync::Arc::ptr_eq(&a.region, &b.region));
    let c = ds.zone_on(day("2021-06-01")).expect("zone");
    assert!(!std::sync::Arc::ptr_eq(&a.region, &c.region));
}

#[test]
fn reports_and_their_timelines_agree_with_the_single_verdict_on_seeded_points() {
    // The report reuses area checks across windows; each window and the dated
    // answer must still equal a fresh verdict.
    use proptest::prelude::*;
    let ds = dataset();
    let mut runner = seeded_runner(400, 7);
    let start = day("2020-10-01").number();
    let round1 = |x: f64| (x * 10.0).round() / 10.0;
    runner
        .run(
            &(46.2f64..47.4, 39.3f64..40.4, 0i32..1200),
            |(lon, lat, offset)| {
                let p = LonLat::new(lon, lat);
                let d = day("1970-01-01").plus_days(start + offset);
                let r = contactline::locate::report(ds, p, Some(d), 0.0);
                let v = verdict_on(ds, p, d, 0.0);
                prop_assert_eq!(r.status, Some(v.status));
                prop_assert_eq!(r.distance_to_boundary_m, v.distance_m.map(round1));
                for e in r.timeline.iter().filter(|e| e.status != Status::NoZone) {
                    let w = verdict_on(ds, p, e.from.expect("dated"), 0.0);
                    prop_assert_eq!(e.status, w.status);
                    prop_assert_eq!(e.distance_to_boundary_m, w.distance_m.map(round1));
                    prop_assert_eq!(e.boundary_accuracy_m, w.accuracy_m.map(f64::round));
                    prop_assert_eq!(e.zone_version, w.zone.map(|z| z.version.id.as_str()));
                }
                Ok(())
            },
        )
        .expect("property holds");
}

#[test]
fn sources_name_the_corridor_only_where_the_corridor_could_decide() {
    let ds = dataset();
    let urls = |r: &contactline::locate::Report<'_>| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(r.sources.get()).expect("json");
        v.as_array()
            .expect("array")
            .iter()
            .filter_map(|s| s["url"].as_str().map(str::to_owned))
            .collect()
    };
    let corridor = ds.corridor_on(day("2021-06-01")).expect("corridor");
    let zone = ds.zone_on(day("2021-06-01")).expect("zone");
    let only_corridor: Vec<String> = corridor
        .sources
        .iter()
        .filter(|s| !zone.sources.contains(s))
        .map(|s| s.url.clone())
        .collect();
    assert!(!only_corridor.is_empty());
    // Far from the corridor: the zone's sources only.
    let far = contactline::locate::report(ds, place("martakert"), Some(day("2021-06-01")), 0.0);
    assert!(far.corridor_version.is_some());
    let far_urls = urls(&far);
    assert!(only_corridor.iter().all(|u| !far_urls.contains(u)));
    assert!(!far_urls.is_empty());
    // In the corridor: its sources too.
    let near = contactline::locate::report(ds, place("berdzor"), Some(day("2021-06-01")), 0.0);
    assert_eq!(near.status, Some(Status::InsideCorridor));
    let near_urls = urls(&near);
    assert!(only_corridor.iter().all(|u| near_urls.contains(u)));
}

#[test]
fn verdicts_on_seeded_points_match_the_zone_and_corridor_polygons_themselves() {
    // The oracle is the GeoJSON polygons in force on the day, tested by
    // `geo` (a point on the boundary counts as inside): a point in the zone
    // is inside the zone, else in the corridor inside the corridor, else
    // outside, at the distance to the nearer of the two areas.
    use geo::Intersects;
    use proptest::prelude::*;
    let ds = dataset();
    let in_force = |role: LayerRole, d: Day| {
        ds.layer_with_role(role)
            .expect("layer")
            .features
            .iter()
            .find(|f| f.validity.contains(d))
            .map(|f| &f.geometry)
    };
    let mut runner = seeded_runner(3000, 5);
    let start = day("2020-11-10").number();
    runner
        .run(
            &(46.2f64..47.4, 39.3f64..40.4, 0i32..1040),
            |(lon, lat, offset)| {
                let p = LonLat::new(lon, lat);
                let pt = geo::Point::new(lon, lat);
                let d = day("1970-01-01").plus_days(start + offset);
                let v = verdict_on(ds, p, d, 0.0);
                let distance = v.distance_m.expect("a zone on every day of its period");
                // Within a metre of an edge, the plane and the ellipsoid may
                // disagree on the side; the verdict calls those near anyway.
                if distance.abs() < 1.0 {
                    return Ok(());
                }
                let in_zone = in_force(LayerRole::Zone, d).expect("zone").intersects(&pt);
                let in_corridor =
                    in_force(LayerRole::Corridor, d).is_some_and(|g| g.intersects(&pt));
                let expected = if in_zone {
                    Status::InsideZone
                } else if in_corridor {
                    Status::InsideCorridor
                } else {
                    Status::Outside
                };
                prop_assert_eq!(v.status, expected, "at {:?} on {}", p, d);
                prop_assert_eq!(distance < 0.0, expected != Status::Outside);
                if expected == Status::Outside {
                    let to = |a: Option<&contactline::dataset::AreaVersion>| {
                        a.and_then(|a| a.region.signed_distance(p))
                            .map_or(f64::INFINITY, |(s, _)| s)
                    };
                    let nearer = to(ds.zone_on(d)).min(to(ds.corridor_on(d)));
                    prop_assert_eq!(distance.to_bits(), nearer.to_bits(), "at {:?} on {}", p, d);
                }
                Ok(())
            },
        )
        .expect("property holds");
}

#[test]
fn an_undated_resolved_report_serialises_without_a_status_and_with_its_resolution() {
    let ds = dataset();
    let resolved = contactline::resolve::resolve(ds, "Fərrux").expect("resolves");
    let mut r = contactline::locate::report(ds, resolved.at, None, 250.0);
    r.resolved = Some(&resolved);
    let v = serde_json::to_value(&r).expect("serialises");
    assert!(v.get("status").is_none());
    assert_eq!(v["resolved"]["place_id"], "parukh");
    assert_eq!(v["query"]["uncertainty_m"], 250.0);
}

/// Kinds a landmark may have (geodata/SCHEMA.md).
const LANDMARK_KINDS: [&str; 11] = [
    "monastery",
    "church",
    "fortress",
    "archaeological_site",
    "cave",
    "reservoir",
    "airport",
    "bridge",
    "height",
    "pass",
    "checkpoint",
];

#[test]
fn landmarks_are_never_control_points_and_each_says_what_it_is() {
    let text =
        std::fs::read_to_string(geodata().join("landmarks.geojson")).expect("landmarks file");
    let fc: serde_json::Value = serde_json::from_str(&text).expect("landmarks JSON");
    let features = fc["features"].as_array().expect("features");
    let mut problems = Vec::new();
    for f in features {
        let p = &f["properties"];
        let id = p["id"].as_str().unwrap_or("?");
        if p["control_point"] != serde_json::Value::Bool(false) {
            problems.push(format!("{id}: control_point is not false"));
        }
        if !LANDMARK_KINDS.contains(&p["kind"].as_str().unwrap_or("")) {
            problems.push(format!("{id}: kind {} is not a landmark kind", p["kind"]));
        }
        if p["description"]
            .as_str()
            .is_none_or(|d| d.trim().is_empty())
        {
            problems.push(format!("{id}: no description"));
        }
        // Loaded as a place, so searches find it, but never a settlement.
        let loaded = dataset()
            .place(id)
            .map(|pl| (pl.is_settlement, pl.props.control_point));
        if loaded != Some((false, false)) {
            problems.push(format!("{id}: loaded as {loaded:?}"));
        }
    }
    assert!(features.len() >= 8, "only {} landmarks", features.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn places_added_on_the_shushi_front_answer_as_their_timelines_say() {
    // Mkhitarashen lies 2 km below Shushi / Shusha and stayed Armenian-held;
    // Madatashen, south of it, was taken in the war.
    assert_eq!(status("mkhitarashen", "2021-03-01"), Status::InsideZone);
    assert_eq!(status("mkhitarashen", "2023-09-21"), Status::NoZone);
    assert_eq!(status("madatashen", "2021-03-01"), Status::Outside);
}

#[test]
fn gandzasar_lies_inside_the_zone_and_dadivank_outside_after_the_kalbajar_handover() {
    assert_eq!(
        status("gandzasar_monastery", "2022-01-01"),
        Status::InsideZone
    );
    // Dadivank lay in the Kalbajar district, handed over on 25 Nov 2020.
    assert_eq!(status("dadivank_monastery", "2021-06-01"), Status::Outside);
}

#[test]
fn the_kalbajar_passes_resolve_by_either_side_s_name_and_lie_outside_the_zone() {
    let ds = dataset();
    // Armenian usage says Sotk, Azerbaijani and Russian usage Zod.
    for (query, id) in [
        ("Sotk Pass", "sotk_pass"),
        ("Zod aşırımı", "sotk_pass"),
        ("Зодский перевал", "sotk_pass"),
        ("Ömər aşırımı", "omar_pass"),
        ("Gamış dağı", "gomshasar"),
    ] {
        let r = contactline::resolve::resolve(ds, query).expect("resolves");
        assert_eq!(r.place_id.as_deref(), Some(id), "{query}");
    }
    // Both lie in the Kalbajar district, handed over on 25 Nov 2020, beyond
    // the zone's edge by far more than their stated accuracy.
    assert_eq!(status("sotk_pass", "2021-06-01"), Status::Outside);
    assert_eq!(status("omar_pass", "2022-01-01"), Status::Outside);
}

#[test]
fn dizapayt_resolves_by_its_summit_chapel_and_by_its_azerbaijani_name() {
    for query in ["Katarovank", "Ziyarət dağı", "Дизапайт"] {
        let r = contactline::resolve::resolve(dataset(), query).expect("resolves");
        assert_eq!(r.place_id.as_deref(), Some("dizapayt"), "{query}");
    }
    // Taken with the Hin Tagher pocket in December 2020.
    assert_eq!(status("dizapayt", "2021-06-01"), Status::Outside);
}

/// The quality targets of issue 11, evaluated once on the bundled data.
fn targets() -> &'static [contactline::derive::targets::Check] {
    static T: OnceLock<Vec<contactline::derive::targets::Check>> = OnceLock::new();
    T.get_or_init(|| {
        contactline::derive::targets::check_dir(&geodata()).expect("targets are checked")
    })
}

fn missed(what: &str) -> Vec<String> {
    targets()
        .iter()
        .filter(|c| c.what.starts_with(what) && !c.met)
        .map(ToString::to_string)
        .collect()
}

#[test]
fn every_zone_version_covers_2700_to_3300_km2() {
    let checked = targets()
        .iter()
        .filter(|c| c.what.starts_with("area"))
        .count();
    assert_eq!(checked, dataset().zones.len());
    assert_eq!(missed("area"), Vec::<String>::new());
}

#[test]
fn every_zone_version_has_under_3_percent_of_its_perimeter_stated_worse_than_5_km_and_no_edge_worse_than_8_km(
) {
    // The target is no edge worse than 5 km (`validate` prints it as missed
    // while it is); geodata/README.md lists the short stretches that still
    // are and why. This bound keeps them from growing back.
    let ds = dataset();
    for z in &ds.zones {
        let f = z.figures.as_ref().expect("figures");
        let above: f64 = f
            .accuracy
            .classes
            .iter()
            .filter(|c| c.up_to_m.is_none())
            .map(|c| c.share)
            .sum();
        assert!(above < 0.03, "{}: {:.1} % above 5 km", z.id, above * 100.0);
        assert!(
            f.accuracy.max_m <= 8_000.0,
            "{}: worst {}",
            z.id,
            f.accuracy.max_m
        );
    }
    let checked = targets()
        .iter()
        .filter(|c| c.what.starts_with("worst"))
        .count();
    assert_eq!(checked, ds.zones.len());
}

#[test]
fn the_final_zone_versions_length_weighted_mean_accuracy_is_at_most_2_km() {
    let checked = targets()
        .iter()
        .filter(|c| c.what.starts_with("length"))
        .count();
    assert_eq!(checked, 1);
    assert_eq!(missed("length"), Vec::<String>::new());
}

#[test]
fn the_hin_tagher_pocket_is_an_enclave_under_100_km2_until_12_december_2020() {
    let pocket: Vec<&str> = targets()
        .iter()
        .filter(|c| c.what.starts_with("pocket"))
        .map(|c| c.version.as_str())
        .collect();
    assert_eq!(pocket, ["zone-2020-11-10"]);
    assert_eq!(missed("pocket"), Vec::<String>::new());
    // The Azerbaijani-held and pending-handover places around it lie outside that version.
    for id in ["tumi", "togh", "khandzadzor", "mighidara", "gulabird"] {
        assert_eq!(status(id, "2020-11-20"), Status::Outside, "{id}");
    }
}

#[test]
fn a_listed_village_kept_only_as_a_landmark_is_reported_as_one_not_as_a_settlement() {
    let lists = contactline::coverage::read_lists(&geodata().join("checks/village-lists.json"))
        .expect("village lists read");
    let checked = contactline::coverage::check_lists(dataset(), &lists);
    let martuni = checked
        .iter()
        .find(|l| l.title.starts_with("Martuni region"))
        .expect("the Martuni list");
    // Mavas is a deserted village site (a landmark); Hnushinak a village.
    assert_eq!(
        martuni.as_landmark,
        vec![("Mavas".to_owned(), "mavas_site".to_owned())]
    );
    assert!(martuni
        .found
        .contains(&("Hnushinak".to_owned(), "hnushinak".to_owned())));
    assert!(!martuni
        .missing
        .iter()
        .any(|m| m == "Mavas" || m == "Hnushinak"));
}
