//! The whole data set as one zip for archiving with a published story: every
//! layer in every format it fits (all versions), the catalog, the data README,
//! the licence and `SHA256SUMS` (verifiable with `sha256sum -c`).
//!
//! The archive is deterministic: entries in a fixed order with the zip
//! format's fixed epoch as their time, so one data version gives one file.

use std::fmt::Write as _;
use std::io::Write as _;

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{export, file_name, write_error, ExportError, Format, Selection};
use crate::dataset::Dataset;

/// The bundle's file name and top folder, carrying the data set version.
pub fn bundle_name(ds: &Dataset) -> String {
    format!("contactline-geodata-{}", ds.version)
}

/// Writes the bundle; `readme` is the data README shipped beside the data.
pub fn write(ds: &Dataset, readme: &str) -> Result<Vec<u8>, ExportError> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let all = Selection::default();
    for layer in &ds.layers {
        for format in Format::ALL.into_iter().filter(|f| f.fits(layer)) {
            let bytes = export(ds, layer, format, all)?;
            files.push((
                format!("layers/{}", file_name(&layer.meta.id, None, format)),
                bytes,
            ));
        }
    }
    let catalog = serde_json::to_vec_pretty(&ds.catalog).map_err(|e| write_error("json", e))?;
    files.push(("catalog.json".to_owned(), catalog));
    let versions = serde_json::to_vec_pretty(&ds.versions).map_err(|e| write_error("json", e))?;
    files.push(("versions.json".to_owned(), versions));
    files.push(("README.md".to_owned(), readme.as_bytes().to_vec()));
    files.push(("LICENCE.txt".to_owned(), licence(ds).into_bytes()));
    let mut sums = String::new();
    for (name, bytes) in &files {
        let _ = writeln!(sums, "{}  {name}", hex::encode(Sha256::digest(bytes)));
    }
    files.push(("SHA256SUMS".to_owned(), sums.into_bytes()));

    let top = bundle_name(ds);
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let err = |e: zip::result::ZipError| write_error("zip", e);
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in &files {
        zip.start_file(format!("{top}/{name}"), options)
            .map_err(err)?;
        zip.write_all(bytes).map_err(|e| write_error("zip", e))?;
    }
    Ok(zip.finish().map_err(err)?.into_inner())
}

fn licence(ds: &Dataset) -> String {
    format!(
        "{title}\n\nData set version {version}.\nLicence: {licence} \
         (https://creativecommons.org/licenses/by/4.0/).\nAttribution: {attribution}\n\n\
         Each layer and feature names its sources; their own terms apply when you follow them.\n",
        title = ds.catalog.title,
        version = ds.version,
        licence = ds.catalog.licence,
        attribution = ds.catalog.attribution,
    )
}
