//! Snapshots (`insta`) of the long answers people read, over the fixture
//! data set: the full JSON report (floats rounded first, so the last digit
//! of a distance cannot churn them) and the command line's paragraph for
//! each kind of verdict. `cargo insta review` (or `INSTA_UPDATE=always`)
//! accepts a deliberate change.

use std::process::Command;
use std::sync::OnceLock;

use contactline::dataset::Dataset;
use contactline::geodesy::LonLat;
use serde_json::Value;

use crate::common::fixture_dir;

fn fixture() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| Dataset::load(&fixture_dir()).expect("the fixture loads"))
}

/// Every non-integer number rounded to four decimals.
fn rounded(v: Value) -> Value {
    match v {
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().expect("a float");
            serde_json::json!((x * 1e4).round() / 1e4)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(rounded).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, rounded(v))).collect()),
        other => other,
    }
}

fn report_json(lat: f64, lon: f64, date: Option<&str>) -> Value {
    let day = date.map(|d| d.parse().expect("test date"));
    let r = contactline::locate::report(fixture(), LonLat::new(lon, lat), day, 0.0);
    rounded(serde_json::to_value(&r).expect("serialises"))
}

#[test]
fn the_report_for_a_dated_point_in_the_zone() {
    insta::assert_json_snapshot!(report_json(39.80, 46.75, Some("2022-03-01")));
}

#[test]
fn the_report_for_an_undated_point_near_the_east_edge() {
    insta::assert_json_snapshot!(report_json(39.80, 46.855, None));
}

/// What `contactline locate ARGS --data <fixture>` prints.
fn cli(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_contactline"))
        .arg("locate")
        .args(args)
        .arg("--data")
        .arg(fixture_dir())
        .env("RUST_LOG", "off")
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn the_cli_paragraph_for_each_kind_of_verdict() {
    let cases = [
        ("inside", &["39.80", "46.75", "--date", "2022-03-01"][..]),
        ("near, inside", &["39.80", "46.845", "--date", "2022-03-01"]),
        ("outside", &["39.80", "46.95", "--date", "2022-03-01"]),
        ("corridor", &["39.80", "46.50", "--date", "2022-04-01"]),
        ("no zone", &["39.80", "46.75", "--date", "2019-01-01"]),
        ("undated", &["39.80", "46.75"]),
    ];
    let mut text = String::new();
    for (what, args) in cases {
        text.push_str("## ");
        text.push_str(what);
        text.push('\n');
        text.push_str(&cli(args));
    }
    insta::assert_snapshot!(text);
}

#[test]
fn a_pair_that_reads_inside_the_region_only_swapped_is_flagged_in_the_paragraph() {
    let swapped = cli(&["46.75", "39.80", "--date", "2022-03-01"]);
    assert!(
        swapped.contains("lie outside the region this data covers")
            && swapped.contains("(latitude 39.8, longitude 46.75)"),
        "{swapped}"
    );
    // In the right order, or swapped but still outside the region: no such sentence.
    for args in [["39.80", "46.75"], ["10.0", "20.0"]] {
        let text = cli(&[args[0], args[1], "--date", "2022-03-01"]);
        assert!(!text.contains("other way round"), "{text}");
    }
}

/// On the last day before a change of the point's status, and on its first
/// day, the summary says the status changed and what it was on the other
/// side; a day further off says nothing of it. The changes are read from the
/// report's own timeline, so the test follows the fixture's dates.
#[test]
fn the_days_around_a_change_of_status_are_flagged_in_the_summary() {
    let (lat, lon) = (39.85, 46.80);
    let timeline = report_json(lat, lon, None)["timeline"].clone();
    let entries = timeline.as_array().expect("timeline");
    let mut changes = 0;
    for pair in entries.windows(2) {
        if pair[0]["status"] == pair[1]["status"] {
            continue;
        }
        changes += 1;
        let first: contactline::date::Day = pair[1]["from"].as_str().unwrap().parse().unwrap();
        let summary = |day: contactline::date::Day| {
            report_json(lat, lon, Some(&day.to_string()))["summary"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        let before = summary(first.plus_days(-1));
        assert!(
            before.contains(&format!("from the next day, {first}")),
            "{before}"
        );
        let on = summary(first);
        assert!(
            on.contains(&format!("until the day before, {}", first.plus_days(-1))),
            "{on}"
        );
        let span = |e: &Value, k: &str| {
            e[k].as_str()
                .map(|d| d.parse::<contactline::date::Day>().unwrap())
        };
        // Two days before, if still in the same interval: no note.
        if span(&pair[0], "from").is_none_or(|f| f <= first.plus_days(-2)) {
            let earlier = summary(first.plus_days(-2));
            assert!(!earlier.contains("status here changed"), "{earlier}");
        }
    }
    // The zone's start and end at least, and the Parukh-like change in between.
    assert!(changes >= 3, "{timeline}");
}

/// Annotation flags a place whose status changed next to the article's date,
/// as the report's summary does, from the same rule: for each fixture place
/// with a change in its timeline, an article dated the day before names the
/// change and both statuses; one dated two days before the change does not.
#[test]
fn an_article_dated_next_to_a_change_at_a_place_it_names_is_flagged() {
    let ds = fixture();
    let mut checked = 0;
    for place in &ds.places {
        let timeline = report_json(place.at.lat, place.at.lon, None)["timeline"].clone();
        let entries = timeline.as_array().expect("timeline");
        // The first change inside the zone's period (not its start or end).
        let Some(pair) = entries.windows(2).find(|p| {
            p[0]["status"] != p[1]["status"]
                && p[0]["status"] != "no_zone"
                && p[1]["status"] != "no_zone"
        }) else {
            continue;
        };
        let first: contactline::date::Day = pair[1]["from"].as_str().unwrap().parse().unwrap();
        let text = format!("Shelling was reported near {}.", place.props.display_name);
        let day_before = first.plus_days(-1);
        let a = contactline::annotate::annotate(ds, &text, Some(day_before)).expect("annotate");
        let Some(p) = a
            .mentions
            .iter()
            .find_map(|m| m.place.as_ref())
            .filter(|p| p.id == place.props.id)
        else {
            continue;
        };
        let change = p.status_change.expect("a change the day after");
        assert_eq!(change.on, first, "{}", place.props.id);
        assert_eq!(
            change.before.as_str(),
            pair[0]["status"],
            "{}",
            place.props.id
        );
        assert_eq!(
            change.after.as_str(),
            pair[1]["status"],
            "{}",
            place.props.id
        );
        let v = contactline::locate::verdict_on(ds, place.at, day_before, place.accuracy_m);
        assert_eq!(p.near_boundary, Some(v.near_boundary), "{}", place.props.id);
        if pair[0]["from"]
            .as_str()
            .is_none_or(|f| f <= first.plus_days(-2).to_string().as_str())
        {
            let a = contactline::annotate::annotate(ds, &text, Some(first.plus_days(-2))).unwrap();
            let p = a.mentions.iter().find_map(|m| m.place.as_ref()).unwrap();
            assert_eq!(p.status_change, None, "{}", place.props.id);
        }
        checked += 1;
    }
    assert!(
        checked >= 1,
        "no fixture place changes status inside the zone's period"
    );
}
