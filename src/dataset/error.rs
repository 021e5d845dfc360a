//! Errors of the dataset layer: every problem found while loading, with its
//! file, feature and reason, so one run reports them all.

use std::fmt;

/// One problem in one file (and feature, when it is about one).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// File path relative to the data directory.
    pub file: String,
    /// Feature id, when the problem is about one feature.
    pub feature: Option<String>,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.feature {
            Some(id) => write!(f, "{}: feature '{}': {}", self.file, id, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

/// Why a dataset could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// The data directory or catalog could not be read at all.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path that failed.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Files were read but hold problems; all of them are listed.
    #[error("{} problem(s) in the data:\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
}
