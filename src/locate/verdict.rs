//! The rules of the verdict: was a point inside the peacekeepers' area of
//! responsibility on a date, how far from its edge, and how sure can we be.
//!
//! Owns the rules that turn index answers into a status: zone beats
//! corridor, "near the boundary" when the distance is within the local edge
//! accuracy plus the caller's own uncertainty, `no_zone` outside the
//! zone's period. [`verdict_on`] is the allocation-free hot path. How an
//! answer is presented (rounding, prose, places) is left to `report` and
//! `batch`.

use serde::Serialize;

use crate::dataset::{AreaVersion, Basis, Dataset};
use crate::date::Day;
use crate::geodesy::{LocalScale, LonLat};
use crate::index::{BoundaryHit, RegionIndex};

/// Where a point stood on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Status {
    /// Inside the zone proper.
    InsideZone,
    /// Inside the Lachin corridor (and not the zone proper).
    InsideCorridor,
    /// Outside the area of responsibility.
    Outside,
    /// No zone existed on that date.
    NoZone,
}

impl Status {
    /// The snake-case name used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether the point was in the peacekeepers' area of responsibility
    /// (the zone or the corridor); `None` when no zone existed.
    pub fn in_area(self) -> Option<bool> {
        match self {
            Self::InsideZone | Self::InsideCorridor => Some(true),
            Self::Outside => Some(false),
            Self::NoZone => None,
        }
    }
}

/// A point's relation to one area version.
#[derive(Debug, Clone, Copy)]
pub struct AreaCheck<'a> {
    /// The version checked.
    pub version: &'a AreaVersion,
    /// Signed distance to its boundary (negative inside), metres.
    pub signed_m: f64,
    /// Accuracy of the nearest boundary edge, metres.
    pub accuracy_m: f64,
    /// Nearest boundary point.
    pub closest: LonLat,
    /// Why the nearest edge lies where it does, when the data says.
    pub basis: Option<&'a Basis>,
}

/// The dated verdict, borrowed from the dataset; no allocation.
#[derive(Debug, Clone, Copy)]
pub struct Verdict<'a> {
    /// Status on the date.
    pub status: Status,
    /// Zone check, when a zone version was valid.
    pub zone: Option<AreaCheck<'a>>,
    /// Corridor check, when the corridor could matter (it is skipped when
    /// its box is farther than the zone's edge).
    pub corridor: Option<AreaCheck<'a>>,
    /// The corridor version in force on the date, searched or not.
    pub corridor_version: Option<&'a AreaVersion>,
    /// Signed distance to the boundary of the area of responsibility.
    pub distance_m: Option<f64>,
    /// Accuracy of the boundary where it is nearest.
    pub accuracy_m: Option<f64>,
    /// Whether the answer is within the boundary's accuracy (plus the
    /// caller's uncertainty) and so not a confident inside/outside.
    pub near_boundary: bool,
    /// The nearest point of the deciding boundary.
    pub closest: Option<LonLat>,
    /// The version whose edge decided (zone or corridor).
    pub deciding: Option<&'a AreaVersion>,
    /// Why that nearest edge lies where it does, when the data says.
    pub basis: Option<&'a Basis>,
}

fn check<'a>(v: &'a AreaVersion, at: LonLat, local: &LocalScale) -> Option<AreaCheck<'a>> {
    area_check(v, v.region.signed_distance_with_scale(at, local))
}

/// The check of `v` from its region's answer.
fn area_check(v: &AreaVersion, found: Option<(f64, BoundaryHit)>) -> Option<AreaCheck<'_>> {
    found.map(|(signed_m, hit)| AreaCheck {
        version: v,
        signed_m,
        accuracy_m: hit.accuracy_m,
        closest: hit.closest,
        basis: v.basis_of(&hit),
    })
}

/// The "near the boundary" rule: the point is no farther from the
/// boundary, on either side, than the boundary's stated accuracy there plus
/// the caller's own uncertainty, so it may have been on either side.
pub fn near_boundary(signed_m: f64, accuracy_m: f64, uncertainty_m: f64) -> bool {
    signed_m.abs() <= accuracy_m + uncertainty_m.max(0.0)
}

/// How far past its edge's accuracy a check puts the point, in metres:
/// positive when it is confidently on its side of that edge.
fn margin(c: &AreaCheck<'_>) -> f64 {
    c.signed_m.abs() - c.accuracy_m
}

/// A lower bound of the distance in metres from `p` to a lon/lat box
/// (zero inside it), cheap enough to rule a layer out before searching it.
fn bbox_distance_lower_bound(b: [f64; 4], p: LonLat) -> f64 {
    let dlon = (b[0] - p.lon).max(p.lon - b[2]).max(0.0);
    let dlat = (b[1] - p.lat).max(p.lat - b[3]).max(0.0);
    // A degree of latitude is over 110 km everywhere; of longitude, over
    // 111 km × cos(latitude), taken at the box edge nearest the pole.
    let coslat = p
        .lat
        .abs()
        .max(b[1].abs())
        .max(b[3].abs())
        .min(90.0)
        .to_radians()
        .cos();
    (dlat * 110_000.0).max(dlon * 111_000.0 * coslat) * 0.99
}

/// The verdict for a point on a day. `uncertainty_m` is the caller's own
/// location uncertainty, added to the boundary accuracy.
pub fn verdict_on(ds: &Dataset, at: LonLat, day: Day, uncertainty_m: f64) -> Verdict<'_> {
    verdict_with_scale(ds, at, &LocalScale::at(at.lat), day, uncertainty_m)
}

/// [`verdict_on`] with the scales at `at` given, for a query that also
/// searches other indexes (the nearest places).
pub fn verdict_with_scale<'a>(
    ds: &'a Dataset,
    at: LonLat,
    local: &LocalScale,
    day: Day,
    uncertainty_m: f64,
) -> Verdict<'a> {
    verdict_with(ds, at, day, uncertainty_m, |v| check(v, at, local))
}

/// [`verdict_on`] with the area checks supplied, so a timeline can reuse
/// the check of a region shared by several windows.
fn verdict_with<'a>(
    ds: &'a Dataset,
    at: LonLat,
    day: Day,
    uncertainty_m: f64,
    mut check: impl FnMut(&'a AreaVersion) -> Option<AreaCheck<'a>>,
) -> Verdict<'a> {
    let (first, end) = ds.zone_period();
    let zone = if day >= first && day < end {
        ds.zone_on(day).and_then(&mut check)
    } else {
        None
    };
    let Some(z) = zone else {
        return Verdict {
            status: Status::NoZone,
            zone: None,
            corridor: None,
            corridor_version: None,
            distance_m: None,
            accuracy_m: None,
            near_boundary: false,
            closest: None,
            deciding: None,
            basis: None,
        };
    };
    // The corridor decides only when it is nearer than the zone's edge (for a
    // point outside the zone) or holds the point (inside): skip it cheaply
    // when its box rules that out.
    let corridor_version = ds.corridor_on(day);
    let corridor = corridor_version
        .filter(|c| bbox_distance_lower_bound(c.region.bbox(), at) <= z.signed_m.max(0.0))
        .and_then(check);
    let (status, deciding) = match corridor {
        _ if z.signed_m <= 0.0 => match corridor {
            // In both: the area of responsibility (their union) holds the
            // point confidently if either does, so the surer of the two
            // decides. The corridor's band is never surer than its accuracy
            // allows, so its edge inside the zone does not make a point
            // well inside the zone "near the boundary".
            Some(c) if c.signed_m <= 0.0 && margin(&c) > margin(&z) => (Status::InsideZone, c),
            _ => (Status::InsideZone, z),
        },
        Some(c) if c.signed_m <= 0.0 => (Status::InsideCorridor, c),
        Some(c) if c.signed_m < z.signed_m => (Status::Outside, c),
        _ => (Status::Outside, z),
    };
    Verdict {
        status,
        zone: Some(z),
        corridor,
        corridor_version,
        distance_m: Some(deciding.signed_m),
        accuracy_m: Some(deciding.accuracy_m),
        near_boundary: near_boundary(deciding.signed_m, deciding.accuracy_m, uncertainty_m),
        closest: Some(deciding.closest),
        deciding: Some(deciding.version),
        basis: deciding.basis,
    }
}

/// A change of a point's status next to a date: on the day after it, or on
/// the day itself. The sources date such changes to the day at best (Parukh,
/// entered on 24 March 2022, is counted outside from the 25th), so a report
/// of either day may describe either side of the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StatusChange {
    /// The first day of the new status.
    pub on: Day,
    /// The status until the day before.
    pub before: Status,
    /// The status from that day.
    pub after: Status,
}

/// Area checks of one point, remembered by region: versions that share a
/// region (same geometry, other dates) and a version spanning several
/// timeline windows are searched once.
pub struct CheckMemo<'a> {
    at: LonLat,
    /// The scales at the point, shared with its other searches.
    pub local: LocalScale,
    seen: [Option<Remembered<'a>>; 8],
}

/// A region and its signed distance from the memo's point.
type Remembered<'a> = (&'a RegionIndex, Option<(f64, BoundaryHit)>);

impl<'a> CheckMemo<'a> {
    /// An empty memo for the point `at`.
    pub fn new(at: LonLat) -> Self {
        CheckMemo {
            at,
            local: LocalScale::at(at.lat),
            seen: [None; 8],
        }
    }

    /// The change of status on the day after `day`, else on `day` itself.
    pub fn status_change(&mut self, ds: &'a Dataset, day: Day) -> Option<StatusChange> {
        let status = |memo: &mut Self, d: Day| memo.verdict(ds, d, 0.0).status;
        let today = status(self, day);
        let next = day.plus_days(1);
        let tomorrow = status(self, next);
        if tomorrow != today {
            return Some(StatusChange {
                on: next,
                before: today,
                after: tomorrow,
            });
        }
        let yesterday = status(self, day.plus_days(-1));
        (yesterday != today).then_some(StatusChange {
            on: day,
            before: yesterday,
            after: today,
        })
    }

    /// The verdict on `day`, searching each region at most once per memo.
    pub fn verdict(&mut self, ds: &'a Dataset, day: Day, uncertainty_m: f64) -> Verdict<'a> {
        let at = self.at;
        verdict_with(ds, at, day, uncertainty_m, |a| self.check(a))
    }

    fn check(&mut self, v: &'a AreaVersion) -> Option<AreaCheck<'a>> {
        let region: &'a RegionIndex = &v.region;
        let known = self
            .seen
            .iter()
            .flatten()
            .find(|(r, _)| std::ptr::eq(*r, region))
            .map(|&(_, hit)| hit);
        let hit = known.unwrap_or_else(|| {
            let hit = region.signed_distance_with_scale(self.at, &self.local);
            // Beyond the table's size a region is simply searched again.
            if let Some(slot) = self.seen.iter_mut().find(|s| s.is_none()) {
                *slot = Some((region, hit));
            }
            hit
        });
        area_check(v, hit)
    }
}
