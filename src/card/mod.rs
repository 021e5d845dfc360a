//! The verdict card: one self-contained picture of a dated verdict for an
//! article or a social post — a map excerpt drawn from our own layers, the
//! verdict in words, distance ± accuracy, the data version, a permalink and
//! the attribution.
//!
//! Owns the layout ([`draw`]) and the rasterising ([`raster`]); the verdict
//! itself comes from [`crate::locate::report`], the geometry from the
//! dataset. Output is deterministic: the same inputs give the same bytes.

mod draw;
mod raster;

use crate::dataset::Dataset;
use crate::date::Day;
use crate::export::Lang;
use crate::geodesy::LonLat;

/// Social-preview size (Open Graph's 1.91:1), the default.
pub const SOCIAL: (u32, u32) = (1200, 630);
/// Square, for feeds that crop to squares.
pub const SQUARE: (u32, u32) = (1080, 1080);
/// Narrow, for a phone screen.
pub const NARROW: (u32, u32) = (640, 1000);
/// Smallest and largest side accepted, in pixels.
pub const SIDE_RANGE: std::ops::RangeInclusive<u32> = 300..=2400;

/// What a card shows.
#[derive(Debug, Clone)]
pub struct CardSpec {
    /// The point.
    pub at: LonLat,
    /// The day of the verdict.
    pub day: Day,
    /// The caller's own location uncertainty, metres.
    pub uncertainty_m: f64,
    /// Language of place names.
    pub lang: Lang,
    /// Width and height in pixels.
    pub size: (u32, u32),
    /// Base of the permalink printed on the card (`http://host:port`).
    pub link_base: String,
}

/// Image formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, utoipa::ToSchema, strum::EnumString)]
#[schema(rename_all = "lowercase")]
// `FromStr` (strum) reads `svg` or `png`.
#[strum(serialize_all = "lowercase")]
pub enum CardFormat {
    /// SVG, built by the server.
    Svg,
    /// PNG, rasterised in process.
    Png,
}

impl CardFormat {
    /// Media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Svg => "image/svg+xml",
            Self::Png => "image/png",
        }
    }
}

/// Why a card could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CardError {
    /// The size is not `WxH` within the accepted range, nor a preset name.
    #[error("size must be social, square, narrow or WxH with each side {min} to {max} pixels", min = SIDE_RANGE.start(), max = SIDE_RANGE.end())]
    BadSize,
    /// The SVG could not be rasterised (never expected for our own SVG).
    #[error("rasterising the card: {0}")]
    Raster(String),
}

/// Reads `social`, `square`, `narrow` or `WxH`.
pub fn parse_size(text: &str) -> Result<(u32, u32), CardError> {
    match text {
        "social" => return Ok(SOCIAL),
        "square" => return Ok(SQUARE),
        "narrow" => return Ok(NARROW),
        _ => {}
    }
    let (w, h) = text.split_once(['x', 'X']).ok_or(CardError::BadSize)?;
    let side = |s: &str| s.parse::<u32>().ok().filter(|v| SIDE_RANGE.contains(v));
    Ok((
        side(w).ok_or(CardError::BadSize)?,
        side(h).ok_or(CardError::BadSize)?,
    ))
}

/// The card as SVG text.
pub fn svg(ds: &Dataset, spec: &CardSpec) -> String {
    draw::card(ds, spec)
}

/// The card as PNG bytes.
pub fn png(ds: &Dataset, spec: &CardSpec) -> Result<Vec<u8>, CardError> {
    raster::png(&svg(ds, spec), spec.size)
}

/// The card in `format`.
pub fn render(ds: &Dataset, spec: &CardSpec, format: CardFormat) -> Result<Vec<u8>, CardError> {
    match format {
        CardFormat::Svg => Ok(svg(ds, spec).into_bytes()),
        CardFormat::Png => png(ds, spec),
    }
}

/// The permalink to the map for this card's point and date.
pub fn permalink(spec: &CardSpec) -> String {
    format!(
        "{}/?date={}&pt={:.5},{:.5}",
        spec.link_base.trim_end_matches('/'),
        spec.day,
        spec.at.lat,
        spec.at.lon
    )
}
