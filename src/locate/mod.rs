//! Locating a point: the dated verdict and the answers built on it. Knows
//! nothing of HTTP; `api::locate` and the CLI adapt it.
//!
//! - [`verdict`]: the rules (zone beats corridor, near the boundary, no
//!   zone outside the period); the allocation-free hot path.
//! - [`report`]: the full answer and its English summary.
//! - [`depiction`]: what an independent depiction answers beside ours.
//! - [`batch`]: the batch row (one definition for HTTP and the command
//!   line), CSV and JSON batches, output in chunks.
//! - [`pipeline`]: batch files of any length on every core, in bounded
//!   memory, in input order (`contactline batch`).
//! - [`input`]: what a query accepts, with one error naming the field.

pub mod batch;
pub mod depiction;
pub mod input;
pub mod pipeline;
pub mod report;
pub mod verdict;

pub use depiction::DepictionAnswer;
pub use report::{
    basis_sentence, headline, report, timeline, title_line, BoundaryBasis, Report, NEAREST,
};
pub use verdict::{verdict_on, verdict_with_scale, Status, StatusChange, Verdict};
