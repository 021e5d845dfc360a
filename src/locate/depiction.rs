//! The second opinion: what an independent depiction of the zone (Natural
//! Earth's "Ceasefire Line 2020" and its area, the `depictions` layer)
//! answers for a dated point, and whether that agrees with our verdict.
//!
//! Owns the comparison rule: the depiction's area stands for the whole area
//! of responsibility (zone and corridor alike), so it agrees when both say
//! inside or both say outside, as drawn. Its own boundary accuracy makes its
//! answer near-boundary the same way ours is. No zone that day, or no
//! depiction covering it, means no comparison. Kept apart from `verdict`, so
//! the verdict's hot path does not pay for it.

use serde::Serialize;

use super::report::round1;
use super::verdict::{near_boundary, Verdict};
use crate::dataset::{Dataset, Source};
use crate::date::Day;
use crate::geodesy::{LocalScale, LonLat};

/// What the depiction answers for the point.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct DepictionAnswer<'a> {
    /// Depiction feature id.
    pub id: &'a str,
    /// Who drew it and what it shows.
    pub source: &'a str,
    /// Scale of its source map.
    pub scale: &'a str,
    /// Whether the point is inside its area (or on its edge).
    pub inside: bool,
    /// Signed distance to its edge (negative inside), metres, to the decimetre.
    pub distance_m: f64,
    /// Its stated accuracy, metres.
    pub accuracy_m: f64,
    /// Within its accuracy (plus the caller's uncertainty) of its edge.
    pub near_boundary: bool,
    /// Whether it says inside/outside as our verdict does.
    pub agrees: bool,
    /// Its sources.
    #[schema(value_type = Vec<Source>)]
    pub sources: &'a [Source],
}

/// The depiction's answer beside verdict `v` (for `at` on `day`), when a
/// zone existed and a depiction covers the day.
pub fn compare<'a>(
    ds: &'a Dataset,
    at: LonLat,
    local: &LocalScale,
    day: Day,
    v: &Verdict<'_>,
    uncertainty_m: f64,
) -> Option<DepictionAnswer<'a>> {
    let ours = v.status.in_area()?;
    let d = ds.depiction_on(day)?;
    let (signed_m, _) = d.region.signed_distance_with_scale(at, local)?;
    let inside = signed_m <= 0.0;
    Some(DepictionAnswer {
        id: &d.id,
        source: &d.name,
        scale: &d.scale,
        inside,
        distance_m: round1(signed_m),
        accuracy_m: d.accuracy_m,
        near_boundary: near_boundary(signed_m, d.accuracy_m, uncertainty_m),
        agrees: inside == ours,
        sources: &d.sources,
    })
}
