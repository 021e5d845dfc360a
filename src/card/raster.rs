//! SVG to PNG in process with `resvg`, with `DejaVu Sans` from the `dejavu`
//! crate (Latin, Armenian and Cyrillic), so no system font is needed and the
//! output does not depend on the machine.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::CardError;

/// The font family the card's SVG names.
pub const FONT_FAMILY: &str = "DejaVu Sans";

fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(dejavu::sans::regular().to_vec());
        db.load_font_data(dejavu::sans::bold().to_vec());
        db.set_sans_serif_family(FONT_FAMILY);
        usvg::Options {
            font_family: FONT_FAMILY.to_owned(),
            fontdb: Arc::new(db),
            ..usvg::Options::default()
        }
    })
}

/// Rasterises `svg` at `size` pixels.
pub fn png(svg: &str, (width, height): (u32, u32)) -> Result<Vec<u8>, CardError> {
    let tree =
        usvg::Tree::from_str(svg, options()).map_err(|e| CardError::Raster(e.to_string()))?;
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| CardError::Raster(format!("no {width}x{height} canvas")))?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| CardError::Raster(e.to_string()))
}
