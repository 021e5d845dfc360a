//! Coordinate notations: one test per notation, round trips through every
//! formatter within 0.1 m, and property tests that no input panics.

use contactline::coords::{
    self, format_ddm, format_decimal, format_dms, format_mgrs, CoordError, Notation, Order,
};
use contactline::geodesy::{distance_m, LonLat};
use proptest::prelude::*;

const PARUKH: (f64, f64) = (40.0194, 46.8011);

fn one(s: &str) -> LonLat {
    let p = coords::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
    assert!(!p.ambiguous, "{s} should not be ambiguous");
    p.first().at
}

fn near(at: LonLat, lat: f64, lon: f64, tol_deg: f64) -> bool {
    (at.lat - lat).abs() < tol_deg && (at.lon - lon).abs() < tol_deg
}

#[test]
fn decimal_degrees_with_hemisphere_letters_and_signs_are_read() {
    for s in [
        "N40.0194 E46.8011",
        "40.0194N 46.8011E",
        "40.0194 N, 46.8011 E",
        "E46.8011 N40.0194",
        "lat 40.0194 lon 46.8011",
    ] {
        assert!(near(one(s), PARUKH.0, PARUKH.1, 1e-9), "{s}");
    }
    let p = one("40.0194S, 46.8011W");
    assert!(near(p, -40.0194, -46.8011, 1e-9));
    let p = one("-40.0194, 146.8011");
    assert!(near(p, -40.0194, 146.8011, 1e-9), "only one order is valid");
}

#[test]
fn dms_and_ddm_with_any_usual_symbols_are_read() {
    let want = (
        40.0 + 1.0 / 60.0 + 10.0 / 3600.0,
        46.0 + 48.0 / 60.0 + 4.0 / 3600.0,
    );
    for s in [
        "40°01′10″N 46°48′04″E",
        "40 01 10 N, 46 48 04 E",
        "40°01'10\"N 46°48'04\"E",
        "40d01m10sN 46d48m04sE",
        "N 40° 01' 10\" E 46° 48' 04\"",
        "40°01′10″ N, 46°48′04″ E",
    ] {
        assert!(near(one(s), want.0, want.1, 1e-9), "{s}");
        assert_eq!(
            coords::parse(s).expect("parse").notation,
            Notation::Dms,
            "{s}"
        );
    }
    let p = coords::parse("40°01.1667′N 46°48.0667′E").expect("ddm");
    assert_eq!(p.notation, Notation::Ddm);
    assert!(near(p.first().at, 40.019_445, 46.801_112, 1e-5));
}

#[test]
fn a_bare_pair_valid_in_both_orders_gives_both_readings() {
    let p = coords::parse("46.80, 40.02").expect("parse");
    assert!(p.ambiguous);
    assert_eq!(p.readings[0].order, Order::LatLon);
    assert_eq!(p.readings[1].order, Order::LonLat);
    assert!(!p.readings[0].in_region && p.readings[1].in_region);
    assert!(near(p.preferred().at, 40.02, 46.80, 1e-9));
}

#[test]
fn map_links_geojson_mgrs_and_utm_are_read() {
    assert!(near(
        one("https://www.google.com/maps/@40.0194,46.8011,15z"),
        PARUKH.0,
        PARUKH.1,
        1e-9
    ));
    assert!(near(
        one("https://www.openstreetmap.org/#map=15/40.0194/46.8011"),
        PARUKH.0,
        PARUKH.1,
        1e-9
    ));
    assert!(near(one("[46.8011, 40.0194]"), PARUKH.0, PARUKH.1, 1e-9));
    let at = LonLat::new(PARUKH.1, PARUKH.0);
    let mgrs = format_mgrs(at, 5).expect("mgrs");
    let spaced = format!("{} {} {}", &mgrs[..5], &mgrs[5..10], &mgrs[10..]);
    assert!(distance_m(one(&spaced), at) < 1.0, "{spaced}");
    let p = coords::parse("38N 512345 4412345").expect("utm");
    assert_eq!(p.notation, Notation::Utm);
}

#[test]
fn out_of_range_and_malformed_inputs_are_typed_errors_with_clear_messages() {
    let e = coords::parse("91 N, 46 E").expect_err("lat > 90");
    assert!(matches!(
        e,
        CoordError::OutOfRange {
            axis: "latitude",
            ..
        }
    ));
    assert!(e.to_string().contains("latitude 91"), "{e}");
    assert!(matches!(
        coords::parse("100, 200"),
        Err(CoordError::PairOutOfRange(..))
    ));
    assert!(matches!(
        coords::parse("N40 N46"),
        Err(CoordError::SameAxis("latitude"))
    ));
    assert!(matches!(
        coords::parse("Parukh"),
        Err(CoordError::Unrecognised(_))
    ));
    assert!(matches!(
        coords::parse("40 75 N 46 E"),
        Err(CoordError::SixtyOrMore {
            part: "minutes",
            ..
        })
    ));
    assert!(matches!(
        coords::parse("38TZZ 1 2"),
        Err(CoordError::Unrecognised(_) | CoordError::Grid { .. })
    ));
}

#[test]
fn formatted_points_parse_back_within_ten_centimetres() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut rnd = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    for _ in 0..500 {
        let at = LonLat::new(-179.0 + 358.0 * rnd(), -79.0 + 158.0 * rnd());
        for (name, text) in [
            ("dms", format_dms(at)),
            ("ddm", format_ddm(at)),
            ("mgrs", format_mgrs(at, 6).expect("mgrs")),
        ] {
            let back = coords::parse(&text).unwrap_or_else(|e| panic!("{name} {text}: {e}"));
            let d = distance_m(back.preferred().at, at);
            assert!(d < 0.1, "{name} {text}: {d} m");
        }
        // The decimal form may be ambiguous; one of its readings is the point.
        let text = format_decimal(at);
        let back = coords::parse(&text).expect("decimal");
        assert!(
            back.readings.iter().any(|r| distance_m(r.at, at) < 0.1),
            "{text}"
        );
    }
}

proptest! {
    #[test]
    fn no_string_makes_the_parser_panic(s in "\\PC{0,60}") {
        let _ = coords::parse(&s);
    }

    #[test]
    fn no_coordinate_shaped_string_makes_the_parser_panic(
        s in "[NSEW]?[-+]?[0-9]{0,3}(\\.[0-9]{0,6})?[°d ]?[0-9]{0,2}['′m ]?[0-9]{0,2}[\"″s ]?[NSEW,; ]{0,2}[-+]?[0-9]{0,3}(\\.[0-9]{0,6})?[°d ]?[0-9]{0,2}['′ ]?[NSEW]?"
    ) {
        let _ = coords::parse(&s);
    }

    #[test]
    fn no_link_or_grid_string_makes_the_parser_panic(
        s in "(https://www\\.google\\.com/maps/(@|place/x/@|search/)|https://www\\.openstreetmap\\.org/(#map=|\\?mlat=)|[0-9]{1,2}[A-Z]{1,3} ?)[-0-9.,/!dz%A-F ]{0,40}"
    ) {
        let _ = coords::parse(&s);
    }
}
