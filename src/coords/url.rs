//! Map links: Google Maps (`!3d<lat>!4d<lon>` pins, `?q=lat,lon`,
//! `query=`, `ll=`, `/search/lat,lon`, `@lat,lon,zoom`) and OpenStreetMap
//! (`?mlat=&mlon=` markers, `#map=zoom/lat/lon`). Pins and markers win
//! over the viewport centre. Links always state latitude first, so no
//! ambiguity arises.

use super::angles::lat_lon;
use super::{CoordError, Notation, Order, Parsed, Reading};
use crate::geodesy::LonLat;

/// Whether the text is a link this module should read.
pub fn looks_like_url(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.starts_with("http://")
        || l.starts_with("https://")
        || l.starts_with("www.")
        || l.starts_with("google.")
        || l.starts_with("maps.google.")
        || l.starts_with("openstreetmap.org")
        || l.starts_with("osm.org")
}

/// Reads a map link.
pub fn parse(s: &str) -> Result<Parsed, CoordError> {
    let decoded = percent_decode(s);
    let l = decoded.to_ascii_lowercase();
    let (notation, at) = if l.contains("openstreetmap.org") || l.contains("osm.org") {
        (Notation::OpenStreetMap, osm(&decoded)?)
    } else if l.contains("google.") || l.contains("goo.gl") {
        (Notation::GoogleMaps, google(&decoded)?)
    } else {
        return Err(CoordError::UrlWithoutCoordinates);
    };
    let at = at.ok_or(CoordError::UrlWithoutCoordinates)?;
    let name = if notation == Notation::GoogleMaps {
        "Google Maps"
    } else {
        "OpenStreetMap"
    };
    Ok(Parsed {
        notation,
        readings: vec![Reading::new(at, Order::Explicit)],
        ambiguous: false,
        description: format!("{name} link: latitude {}, longitude {}", at.lat, at.lon),
    })
}

fn google(s: &str) -> Result<Option<LonLat>, CoordError> {
    // The pin of a /place/ link.
    if let (Some(lat), Some(lon)) = (after(s, "!3d"), after(s, "!4d")) {
        return lat_lon(number_prefix(lat), number_prefix(lon)).map(Some);
    }
    for key in [
        "?q=",
        "&q=",
        "?query=",
        "&query=",
        "?ll=",
        "&ll=",
        "/search/",
        "?destination=",
        "&destination=",
    ] {
        if let Some(rest) = after(s, key) {
            if let Some(p) = pair(rest, ',')? {
                return Ok(Some(p));
            }
        }
    }
    if let Some(rest) = after(s, "/@") {
        return pair(rest, ',');
    }
    Ok(None)
}

fn osm(s: &str) -> Result<Option<LonLat>, CoordError> {
    if let (Some(lat), Some(lon)) = (after(s, "mlat="), after(s, "mlon=")) {
        return lat_lon(number_prefix(lat), number_prefix(lon)).map(Some);
    }
    if let Some(rest) = after(s, "map=") {
        let mut it = rest.split('/');
        let (_zoom, lat, lon) = (it.next(), it.next(), it.next());
        if let (Some(lat), Some(lon)) = (lat, lon) {
            return lat_lon(number_prefix(lat), number_prefix(lon)).map(Some);
        }
    }
    if let (Some(lat), Some(lon)) = (after(s, "lat="), after(s, "lon=")) {
        return lat_lon(number_prefix(lat), number_prefix(lon)).map(Some);
    }
    Ok(None)
}

fn after<'a>(s: &'a str, key: &str) -> Option<&'a str> {
    s.find(key).map(|i| &s[i + key.len()..])
}

/// The leading `[-+]digits[.digits]` of `s`.
fn number_prefix(s: &str) -> &str {
    let end = s
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+'))))
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// `lat<sep>lon` at the start of `rest`, if it is two numbers.
fn pair(rest: &str, sep: char) -> Result<Option<LonLat>, CoordError> {
    let rest = rest.trim_start();
    let lat = number_prefix(rest);
    if lat.is_empty() || lat == "-" || lat == "+" {
        return Ok(None);
    }
    let Some(tail) = rest[lat.len()..].trim_start().strip_prefix(sep) else {
        return Ok(None);
    };
    let lon = number_prefix(tail.trim_start());
    if lon.is_empty() {
        return Ok(None);
    }
    lat_lon(lat, lon).map(Some)
}

/// `%XX` escapes and `+` as space; invalid escapes stay as they are.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> LonLat {
        parse(s).expect("parse").first().at
    }

    #[test]
    fn google_maps_links_of_every_shape_are_read() {
        let want = (40.0194, 46.8011);
        for s in [
            "https://www.google.com/maps/@40.0194,46.8011,15z",
            "https://maps.google.com/?q=40.0194,46.8011",
            "https://www.google.com/maps/search/?api=1&query=40.0194%2C46.8011",
            "https://www.google.com/maps/place/Parukh/@40.1,46.9,12z/data=!3m1!4b1!4m5!3m4!1s0x0:0x0!8m2!3d40.0194!4d46.8011",
            "https://www.google.com/maps/search/40.0194,+46.8011",
        ] {
            let p = at(s);
            assert!((p.lat - want.0).abs() < 1e-9 && (p.lon - want.1).abs() < 1e-9, "{s}");
        }
    }

    #[test]
    fn openstreetmap_links_are_read() {
        let p = at("https://www.openstreetmap.org/#map=14/40.0194/46.8011");
        assert!((p.lat - 40.0194).abs() < 1e-9);
        let p = at("https://www.openstreetmap.org/?mlat=40.0194&mlon=46.8011#map=10/39/45");
        assert!((p.lon - 46.8011).abs() < 1e-9);
    }

    #[test]
    fn links_without_coordinates_are_errors() {
        assert_eq!(
            parse("https://example.com/x"),
            Err(CoordError::UrlWithoutCoordinates)
        );
        assert_eq!(
            parse("https://www.google.com/maps/place/Parukh"),
            Err(CoordError::UrlWithoutCoordinates)
        );
    }
}
