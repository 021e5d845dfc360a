//! The full check of a data directory, one function used by
//! `contactline validate`, by `serve` at start-up and by every reload, so a
//! data set the command rejects is never served.
//!
//! The rules themselves live where the data is read ([`crate::dataset`]:
//! schema, geometry type and validity, coordinates, versions, accuracies)
//! and derived ([`crate::derive`]: the derived layers must equal a fresh
//! derivation); this module only runs them all and gathers their problems.

use std::path::Path;

use crate::dataset::{Dataset, DatasetError, Problem};

/// Loads `dir` with every rule applied; any problem refuses the whole set.
pub fn validate_dir(dir: &Path) -> Result<Dataset, DatasetError> {
    let dataset = Dataset::load(dir)?;
    let derived = crate::derive::derive_dir(dir).map_err(|e| {
        DatasetError::Invalid(vec![Problem {
            file: "(derived layers)".into(),
            feature: None,
            reason: format!("cannot derive the layers: {e}"),
        }])
    })?;
    let stale = stale_derived(dir, &derived);
    if stale.is_empty() {
        Ok(dataset)
    } else {
        Err(DatasetError::Invalid(
            stale
                .into_iter()
                .map(|file| Problem {
                    file,
                    feature: None,
                    reason: "out of date with its sources: run `contactline derive`".into(),
                })
                .collect(),
        ))
    }
}

/// Derived files whose content differs from a fresh derivation.
pub fn stale_derived(dir: &Path, d: &crate::derive::Derived) -> Vec<String> {
    [
        ("zone.geojson", &d.zone),
        ("line_of_contact.geojson", &d.line_of_contact),
        ("corridor.geojson", &d.corridor),
    ]
    .into_iter()
    .filter(|(name, v)| {
        std::fs::read_to_string(dir.join(name)).ok() != Some(crate::derive::to_text(v))
    })
    .map(|(name, _)| name.to_owned())
    .collect()
}
