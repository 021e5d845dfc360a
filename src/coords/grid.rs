//! Grid references: MGRS (`38SNJ 12345 67890`, spaces optional) and UTM
//! (`38N 512345 4412345`, `UTM 38T 512345mE 4412345mN`), converted with the
//! `mgrs-convert` crate (Karney's series, checked against `GeographicLib`).
//!
//! The UTM letter is read as a latitude band (C–M south, N–X north), except
//! that `S`, both band S (32–40°N) and "south", is taken as band S only when
//! the northing falls in that band, and as the southern hemisphere otherwise.

use mgrs_convert::{Mgrs, UtmUps};

use super::{checked, CoordError, Notation, Order, Parsed, Reading};

/// Reads an MGRS or UTM reference; `Ok(None)` when `s` is neither.
pub fn parse(s: &str) -> Result<Option<Parsed>, CoordError> {
    if let Some(p) = mgrs(s)? {
        return Ok(Some(p));
    }
    utm(s)
}

fn grid_error(input: &str, e: &mgrs_convert::Error) -> CoordError {
    CoordError::Grid {
        input: input.chars().take(80).collect(),
        reason: e.to_string(),
    }
}

fn mgrs(s: &str) -> Result<Option<Parsed>, CoordError> {
    let compact: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let b = compact.as_bytes();
    let zone_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let shape_ok = (1..=2).contains(&zone_digits)
        && b.len() >= zone_digits + 3
        && b[zone_digits..zone_digits + 3]
            .iter()
            .all(u8::is_ascii_alphabetic)
        && b[zone_digits + 3..].iter().all(u8::is_ascii_digit)
        && b.len() > zone_digits + 3;
    if !shape_ok {
        return Ok(None);
    }
    let cell: Mgrs = compact.parse().map_err(|e| grid_error(s, &e))?;
    let ll = cell.to_latlon();
    let at = checked(ll.lat(), ll.lon())?;
    Ok(Some(Parsed {
        notation: Notation::Mgrs,
        readings: vec![Reading::new(at, Order::Explicit)],
        ambiguous: false,
        description: format!(
            "MGRS {compact} ({}-digit precision, cell centre): latitude {:.6}, longitude {:.6}",
            cell.precision().get(),
            at.lat,
            at.lon
        ),
    }))
}

fn utm(s: &str) -> Result<Option<Parsed>, CoordError> {
    let mut words: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    if words.first().is_some_and(|w| w == "UTM") {
        words.remove(0);
    }
    // Zone and letter may be one word ("38N") or two ("38 N").
    let (zone_word, rest) = match words.as_slice() {
        [zone, band, east, north] if band.len() == 1 => {
            (format!("{zone}{band}"), [east.clone(), north.clone()])
        }
        [zone, east, north] => (zone.clone(), [east.clone(), north.clone()]),
        _ => return Ok(None),
    };
    let digits = zone_word.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&digits) || zone_word.len() != digits + 1 {
        return Ok(None);
    }
    let Ok(zone) = zone_word[..digits].parse::<u8>() else {
        return Ok(None);
    };
    let letter = char::from(zone_word.as_bytes()[digits]);
    if !letter.is_ascii_alphabetic() {
        return Ok(None);
    }
    let metres = |w: &str, suffix: char| -> Option<f64> {
        let t = w.trim_end_matches(suffix).trim_end_matches('M');
        t.parse::<f64>().ok().filter(|v| v.is_finite())
    };
    let (Some(easting), Some(northing)) = (metres(&rest[0], 'E'), metres(&rest[1], 'N')) else {
        return Ok(None);
    };
    if !('C'..='X').contains(&letter) || letter == 'I' || letter == 'O' {
        return Err(CoordError::Grid {
            input: s.chars().take(80).collect(),
            reason: format!("'{letter}' is not a latitude band (C-X) or hemisphere (N/S)"),
        });
    }
    let convert = |north: bool| -> Result<(f64, f64), CoordError> {
        let g = UtmUps::utm(zone, north, easting, northing).map_err(|e| grid_error(s, &e))?;
        let ll = g.to_latlon();
        Ok((ll.lat(), ll.lon()))
    };
    let north = if letter == 'S' {
        let (lat, _) = convert(true)?;
        (32.0..40.0).contains(&lat)
    } else {
        letter >= 'N'
    };
    let (lat, lon) = convert(north)?;
    let at = checked(lat, lon)?;
    let hemisphere = if north { "northern" } else { "southern" };
    Ok(Some(Parsed {
        notation: Notation::Utm,
        readings: vec![Reading::new(at, Order::Explicit)],
        ambiguous: false,
        description: format!(
            "UTM zone {zone}{letter} ({hemisphere} hemisphere), easting {easting} m, northing {northing} m: latitude {lat:.6}, longitude {lon:.6}"
        ),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mgrs_with_and_without_spaces_is_read() {
        let a = parse("38TNK 12345 67890").expect("ok").expect("some");
        let b = parse("38TNK1234567890").expect("ok").expect("some");
        assert_eq!(a.first().at, b.first().at);
        assert_eq!(a.notation, Notation::Mgrs);
    }

    #[test]
    fn utm_reads_zone_letter_easting_northing() {
        let p = parse("38N 512345 4412345").expect("ok").expect("some");
        let at = p.first().at;
        assert!(
            (at.lat - 39.86).abs() < 0.05 && (at.lon - 45.14).abs() < 0.05,
            "{at:?}"
        );
        let band = parse("38S 512345 4412345").expect("ok").expect("some");
        assert!((band.first().at.lat - at.lat).abs() < 1e-9);
    }

    #[test]
    fn bad_grid_references_are_errors() {
        assert!(matches!(
            parse("38TZZ 12345 6789"),
            Err(CoordError::Grid { .. })
        ));
        assert!(matches!(
            parse("38A 512345 4412345"),
            Err(CoordError::Grid { .. })
        ));
    }
}
