//! Map links, taken apart by the `url` crate (query values and fragments
//! come decoded), and `geo:` URIs (RFC 5870):
//!
//! - Google Maps: `!3d<lat>!4d<lon>` pins, `?q=lat,lon`, `query=`, `ll=`,
//!   `destination=`, `/search/lat,lon`, `@lat,lon,zoom`;
//! - OpenStreetMap: `?mlat=&mlon=` markers, `#map=zoom/lat/lon`;
//! - Yandex Maps: `pt=` pins, `whatshere[point]=`, `ll=`, all **longitude
//!   first**;
//! - 2GIS: `m=lon,lat/zoom`, longitude first;
//! - Apple Maps: `coordinate=`, `ll=`, `q=`; Bing Maps: `cp=lat~lon`;
//! - Wikipedia's coordinate links (`geohack.toolforge.org/…?params=`),
//!   read by [`super::angles`].
//!
//! Pins and markers win over the viewport centre. Each service fixes its
//! axis order, so a link is never ambiguous.

use url::Url;

use super::{angles, CoordError, Notation, Order, Parsed, Reading};
use crate::geodesy::LonLat;

/// Hosts (or their starts) whose links this module reads, with the
/// notation each is reported as.
const SERVICES: &[(&str, Notation)] = &[
    ("google.", Notation::GoogleMaps),
    ("goo.gl", Notation::GoogleMaps),
    ("openstreetmap.org", Notation::OpenStreetMap),
    ("osm.org", Notation::OpenStreetMap),
    ("yandex.", Notation::YandexMaps),
    ("ya.ru", Notation::YandexMaps),
    ("2gis.", Notation::TwoGis),
    ("maps.apple.", Notation::AppleMaps),
    ("bing.com", Notation::BingMaps),
    ("geohack.", Notation::Wikipedia),
];

/// Whether the text is a link (or `geo:` URI) this module should read.
pub fn looks_like_url(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    ["http://", "https://", "www.", "geo:", "maps."]
        .iter()
        .any(|p| l.starts_with(p))
        || SERVICES.iter().any(|(host, _)| l.starts_with(host))
}

/// Reads a map link.
pub fn parse(s: &str) -> Result<Parsed, CoordError> {
    let (notation, at) = if let Some(rest) = strip_prefix_ignore_case(s.trim(), "geo:") {
        (Notation::GeoUri, geo_uri(rest)?)
    } else {
        let with_scheme;
        let s = if s.contains("://") {
            s
        } else {
            with_scheme = format!("https://{s}");
            &with_scheme
        };
        let link = Url::parse(s).map_err(|_| CoordError::UrlWithoutCoordinates)?;
        let host = link.host_str().unwrap_or_default().to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host);
        let notation = SERVICES
            .iter()
            .find(|(h, _)| host.starts_with(h) || host.contains(&format!(".{h}")))
            .map(|&(_, n)| n)
            .ok_or(CoordError::UrlWithoutCoordinates)?;
        let link = Link::new(&link);
        let at = match notation {
            Notation::OpenStreetMap => osm(&link),
            Notation::YandexMaps => yandex(&link),
            Notation::TwoGis => two_gis(&link),
            Notation::AppleMaps => apple(&link),
            Notation::BingMaps => bing(&link),
            Notation::Wikipedia => geohack(&link),
            _ => google(&link),
        }?;
        (notation, at)
    };
    let at = at.ok_or(CoordError::UrlWithoutCoordinates)?;
    Ok(Parsed {
        notation,
        readings: vec![Reading::new(at, Order::Explicit)],
        ambiguous: false,
        description: format!(
            "{}: latitude {}, longitude {}",
            notation.link_name(),
            at.lat,
            at.lon
        ),
    })
}

/// What a reader needs of a link: its decoded path, query and fragment.
struct Link {
    path: String,
    query: Vec<(String, String)>,
    fragment: Vec<(String, String)>,
}

impl Link {
    fn new(link: &Url) -> Self {
        let path = percent_encoding::percent_decode_str(link.path())
            .decode_utf8_lossy()
            .into_owned();
        // OpenStreetMap keeps its view in the fragment, written like a query.
        let fragment = link.fragment().map_or_else(Vec::new, |f| {
            form_urlencoded::parse(f.as_bytes()).into_owned().collect()
        });
        Link {
            path,
            query: link.query_pairs().into_owned().collect(),
            fragment,
        }
    }

    /// The values the query has for `keys`, in the order of `keys`.
    fn query<'a>(&'a self, keys: &'a [&str]) -> impl Iterator<Item = &'a str> {
        keys.iter().filter_map(|k| self.value(k))
    }

    /// The query's value for `key` (its first, if repeated).
    fn value(&self, key: &str) -> Option<&str> {
        find(&self.query, key)
    }
}

/// The value of `key` in decoded pairs.
fn find<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(name, _)| name == key)
        .map(|(_, v)| v.as_str())
}

/// Two numbers at the start of `s`, split at `sep` (spaces around it
/// allowed), as written: `(first, second)`.
fn two_numbers(s: &str, sep: char) -> Option<(&str, &str)> {
    let (a, b) = s.split_once(sep)?;
    let b = b.trim_start();
    let end = b
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && matches!(c, '-' | '+'))))
        .map_or(b.len(), |(i, _)| i);
    Some((a.trim(), &b[..end]))
}

/// The point written `lat<sep>lon` (or `lon<sep>lat` when `lon_first`) at
/// the start of `s`; `Ok(None)` when `s` is not two numbers, an error when
/// they are out of range.
fn point(s: &str, sep: char, lon_first: bool) -> Result<Option<LonLat>, CoordError> {
    let Some((a, b)) = two_numbers(s, sep) else {
        return Ok(None);
    };
    if a.parse::<f64>().is_err() || b.parse::<f64>().is_err() {
        return Ok(None);
    }
    let (lat, lon) = if lon_first { (b, a) } else { (a, b) };
    angles::lat_lon(lat, lon).map(Some)
}

/// The first of several candidate points that reads.
fn first_point<'a>(
    candidates: impl IntoIterator<Item = &'a str>,
    sep: char,
    lon_first: bool,
) -> Result<Option<LonLat>, CoordError> {
    for c in candidates {
        if let Some(p) = point(c, sep, lon_first)? {
            return Ok(Some(p));
        }
    }
    Ok(None)
}

fn google(link: &Link) -> Result<Option<LonLat>, CoordError> {
    // The pin of a /place/ link: `…!3d40.0194!4d46.8011…`.
    let tagged = |tag: &str| {
        let rest = &link.path[link.path.find(tag)? + tag.len()..];
        Some(rest.split('!').next().unwrap_or(rest))
    };
    if let (Some(lat), Some(lon)) = (tagged("!3d"), tagged("!4d")) {
        return angles::lat_lon(lat, lon).map(Some);
    }
    let search = link.path.split('/').skip_while(|s| *s != "search").nth(1);
    let queried = link
        .query(&["q", "query", "ll", "destination", "center"])
        .chain(search);
    if let Some(p) = first_point(queried, ',', false)? {
        return Ok(Some(p));
    }
    // The view: `/@40.0194,46.8011,15z`.
    let view = link.path.split('/').find_map(|s| s.strip_prefix('@'));
    first_point(view, ',', false)
}

fn osm(link: &Link) -> Result<Option<LonLat>, CoordError> {
    let pair = |lat, lon| Some((link.value(lat)?, link.value(lon)?));
    if let Some((lat, lon)) = pair("mlat", "mlon") {
        return angles::lat_lon(lat, lon).map(Some);
    }
    if let Some(view) = find(&link.fragment, "map") {
        let mut it = view.split('/').skip(1);
        if let (Some(lat), Some(lon)) = (it.next(), it.next()) {
            return angles::lat_lon(lat, lon).map(Some);
        }
    }
    match pair("lat", "lon") {
        Some((lat, lon)) => angles::lat_lon(lat, lon).map(Some),
        None => Ok(None),
    }
}

fn yandex(link: &Link) -> Result<Option<LonLat>, CoordError> {
    first_point(link.query(&["pt", "whatshere[point]", "ll"]), ',', true)
}

fn two_gis(link: &Link) -> Result<Option<LonLat>, CoordError> {
    first_point(link.query(&["m"]), ',', true)
}

fn apple(link: &Link) -> Result<Option<LonLat>, CoordError> {
    first_point(
        link.query(&["coordinate", "ll", "q", "sll", "center"]),
        ',',
        false,
    )
}

fn bing(link: &Link) -> Result<Option<LonLat>, CoordError> {
    first_point(link.query(&["cp"]), '~', false)
}

/// `params=39_48_55_N_46_45_7_E_region:AZ_type:city`: the words before the
/// first `key:value` are an angle pair, latitude first.
fn geohack(link: &Link) -> Result<Option<LonLat>, CoordError> {
    let Some(params) = link.query(&["params"]).next() else {
        return Ok(None);
    };
    let angles: Vec<&str> = params.split('_').take_while(|w| !w.contains(':')).collect();
    Ok(Some(angles::parse(&angles.join(" "))?.first().at))
}

/// `geo:40.0194,46.8011[,altitude][;u=…]` (RFC 5870: latitude first).
fn geo_uri(rest: &str) -> Result<Option<LonLat>, CoordError> {
    let coords = rest.split([';', '?']).next().unwrap_or(rest);
    point(coords, ',', false)
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> LonLat {
        parse(s).expect(s).first().at
    }

    fn assert_reads(links: &[&str], lat: f64, lon: f64) {
        for s in links {
            let p = at(s);
            assert!(
                (p.lat - lat).abs() < 1e-9 && (p.lon - lon).abs() < 1e-9,
                "{s}: {p:?}"
            );
        }
    }

    #[test]
    fn google_maps_links_of_every_shape_are_read() {
        assert_reads(
            &[
                "https://www.google.com/maps/@40.0194,46.8011,15z",
                "https://maps.google.com/?q=40.0194,46.8011",
                "https://www.google.com/maps/search/?api=1&query=40.0194%2C46.8011",
                "https://www.google.com/maps/place/Parukh/@40.1,46.9,12z/data=!3m1!4b1!4m5!3m4!1s0x0:0x0!8m2!3d40.0194!4d46.8011",
                "https://www.google.com/maps/search/40.0194,+46.8011",
                "google.com/maps?q=40.0194,46.8011",
            ],
            40.0194,
            46.8011,
        );
    }

    #[test]
    fn openstreetmap_links_are_read() {
        let p = at("https://www.openstreetmap.org/#map=14/40.0194/46.8011");
        assert!((p.lat - 40.0194).abs() < 1e-9);
        let p = at("https://www.openstreetmap.org/?mlat=40.0194&mlon=46.8011#map=10/39/45");
        assert!((p.lon - 46.8011).abs() < 1e-9);
        let p = at("https://www.openstreetmap.org/#map=14/40.0194/46.8011&layers=H");
        assert!((p.lon - 46.8011).abs() < 1e-9);
    }

    #[test]
    fn services_that_write_longitude_first_are_read_the_right_way_round() {
        assert_reads(
            &[
                "https://yandex.ru/maps/?ll=46.8011%2C40.0194&z=14",
                "https://yandex.ru/maps/?ll=46.9,40.1&pt=46.8011,40.0194&z=14",
                "https://yandex.az/maps/?whatshere%5Bpoint%5D=46.8011%2C40.0194&whatshere%5Bzoom%5D=16",
                "https://2gis.ru/moscow?m=46.8011%2C40.0194%2F14",
            ],
            40.0194,
            46.8011,
        );
        let p = parse("https://yandex.ru/maps/?ll=46.8011,40.0194").unwrap();
        assert_eq!(p.notation, Notation::YandexMaps);
        assert!(!p.ambiguous);
    }

    #[test]
    fn apple_bing_geo_uris_and_wikipedia_links_are_read() {
        assert_reads(
            &[
                "https://maps.apple.com/?ll=40.0194,46.8011&q=Parukh",
                "https://maps.apple.com/?coordinate=40.0194,46.8011",
                "https://www.bing.com/maps?cp=40.0194~46.8011&lvl=14",
                "geo:40.0194,46.8011",
                "GEO:40.0194,46.8011,850;u=35",
                "https://geohack.toolforge.org/geohack.php?pagename=Parukh&params=40.0194_N_46.8011_E_region:AZ_type:city",
            ],
            40.0194,
            46.8011,
        );
        let p =
            at("https://geohack.toolforge.org/geohack.php?params=40_01_10_N_46_48_04_E_type:city");
        assert!((p.lat - (40.0 + 1.0 / 60.0 + 10.0 / 3600.0)).abs() < 1e-9);
    }

    #[test]
    fn links_without_coordinates_are_errors() {
        for s in [
            "https://example.com/x",
            "https://www.google.com/maps/place/Parukh",
            "https://yandex.ru/maps/?text=Parukh",
            "geo:Parukh",
        ] {
            assert_eq!(parse(s), Err(CoordError::UrlWithoutCoordinates), "{s}");
        }
        assert!(matches!(
            parse("https://yandex.ru/maps/?pt=46.8,95.0"),
            Err(CoordError::OutOfRange { .. })
        ));
    }
}
