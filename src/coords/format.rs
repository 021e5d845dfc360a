//! Writing points: decimal degrees, DMS, DDM and MGRS, each precise enough
//! that parsing the text back lands within 0.1 m of the point.

use mgrs_convert::{LatLon, Precision};

use crate::geodesy::LonLat;

/// `40.0194000, 46.8011000` (latitude, longitude; 7 decimals ≈ 1 cm).
pub fn format_decimal(at: LonLat) -> String {
    format!("{:.7}, {:.7}", at.lat, at.lon)
}

/// `40°01′09.840″N 46°48′03.960″E` (0.001″ ≈ 3 cm).
pub fn format_dms(at: LonLat) -> String {
    format!("{} {}", dms(at.lat, 'N', 'S'), dms(at.lon, 'E', 'W'))
}

/// `40°01.16400′N 46°48.06600′E` (0.00001′ ≈ 2 cm).
pub fn format_ddm(at: LonLat) -> String {
    format!("{} {}", ddm(at.lat, 'N', 'S'), ddm(at.lon, 'E', 'W'))
}

/// The MGRS reference of the 1 m cell holding `at` (its centre is within 0.71 m),
/// or `None` for an invalid position.
pub fn format_mgrs(at: LonLat, digits: u8) -> Option<String> {
    let p = Precision::new(digits).ok()?;
    Some(LatLon::new(at.lat, at.lon).ok()?.to_mgrs(p).to_string())
}

fn dms(v: f64, pos: char, neg: char) -> String {
    let h = if v < 0.0 { neg } else { pos };
    // Round once at the last printed digit so 59.9996″ carries into the minute.
    let total = (v.abs() * 3_600_000.0).round() as u64;
    let (d, rem) = (total / 3_600_000, total % 3_600_000);
    let (m, ms) = (rem / 60_000, rem % 60_000);
    format!("{d}°{m:02}′{:02}.{:03}″{h}", ms / 1000, ms % 1000)
}

fn ddm(v: f64, pos: char, neg: char) -> String {
    let h = if v < 0.0 { neg } else { pos };
    let total = (v.abs() * 6_000_000.0).round() as u64;
    let (d, rem) = (total / 6_000_000, total % 6_000_000);
    format!("{d}°{:02}.{:05}′{h}", rem / 100_000, rem % 100_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_carry_rounding_into_the_next_unit() {
        let at = LonLat::new(46.0 + 59.0 / 60.0 + 59.9999 / 3600.0, 40.0);
        assert_eq!(format_dms(at), "40°00′00.000″N 47°00′00.000″E");
        assert_eq!(
            format_ddm(LonLat::new(-46.5, -40.25)),
            "40°15.00000′S 46°30.00000′W"
        );
        assert_eq!(
            format_decimal(LonLat::new(46.8011, 40.0194)),
            "40.0194000, 46.8011000"
        );
    }
}
