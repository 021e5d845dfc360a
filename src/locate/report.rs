//! The full answer for a point: the verdict on its date, the reason the
//! nearest boundary edge lies where it does, what an independent depiction
//! answers, the timeline over the whole period, the nearest settlements,
//! the sources that decided it and one paragraph of English prose.
//!
//! Owns presentation: rounding, the shape shared by the API and the CLI,
//! and the wording of the summary. The rules themselves are `verdict`'s.

use serde::Serialize;

use super::depiction::{self, DepictionAnswer};
use super::verdict::{CheckMemo, Status, StatusChange, Verdict};
use crate::dataset::{
    AreaVersion, Basis, BasisKind, BasisLine, BasisPlace, ControlStatus, Dataset,
};
use crate::date::Day;
use crate::geodesy::{bearing_deg, compass_point, LonLat};

/// How many nearest places a report names.
pub const NEAREST: usize = 3;

/// A version reference in a report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VersionRef<'a> {
    /// Feature id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// First day.
    pub valid_from: Option<Day>,
    /// First day after.
    pub valid_to: Option<Day>,
}

impl<'a> VersionRef<'a> {
    fn of(v: &'a AreaVersion) -> Self {
        VersionRef {
            id: &v.id,
            title: &v.title,
            valid_from: v.validity.valid_from,
            valid_to: v.validity.valid_to,
        }
    }
}

/// A nearby settlement in a report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NearbyPlace<'a> {
    /// Settlement id.
    pub id: &'a str,
    /// Dual display name.
    pub name: &'a str,
    /// The primary name in each language (a JSON object, serialised at load).
    #[schema(value_type = Object)]
    pub names: &'a serde_json::value::RawValue,
    /// `[lon, lat]`.
    pub coordinates: [f64; 2],
    /// Distance from the query point, metres.
    pub distance_m: f64,
    /// Bearing from the query point to the place, degrees.
    pub bearing_deg: f64,
    /// Compass point of the bearing (e.g. "NE").
    pub direction: &'static str,
    /// Who held the place on the date, if dated and known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_status: Option<&'static str>,
}

/// One interval of the timeline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TimelineEntry<'a> {
    /// First day (none: since always).
    pub from: Option<Day>,
    /// First day after (none: open).
    pub to: Option<Day>,
    /// Status in the interval.
    pub status: Status,
    /// Signed distance to the boundary in the interval.
    pub distance_to_boundary_m: Option<f64>,
    /// Boundary accuracy in the interval.
    pub boundary_accuracy_m: Option<f64>,
    /// Near-boundary flag in the interval.
    pub near_boundary: bool,
    /// Zone version in force.
    pub zone_version: Option<&'a str>,
    /// Corridor version in force.
    pub corridor_version: Option<&'a str>,
    /// Short form of the nearest edge's basis in the interval.
    pub boundary_basis: Option<&'a str>,
}

/// The basis of the nearest boundary edge, and the version it belongs to.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BoundaryBasis<'a> {
    /// Id of the zone or corridor version whose edge is nearest.
    pub version: &'a str,
    /// The basis: `kind`, its places or line, and `short`.
    #[serde(flatten)]
    pub basis: &'a Basis,
}

/// The whole answer, as sent by the API and printed by the CLI; borrows the
/// dataset's sources rather than copying them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Report<'a> {
    /// The point asked about.
    pub query: QueryEcho,
    /// Status on the date; absent without a date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// `true` for inside either area, when dated and decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_area_of_responsibility: Option<bool>,
    /// One plain-language paragraph.
    pub summary: String,
    /// Signed distance to the boundary, metres (negative inside).
    pub distance_to_boundary_m: Option<f64>,
    /// Stated accuracy of the boundary where it is nearest, metres.
    pub boundary_accuracy_m: Option<f64>,
    /// Within the accuracy plus the caller's uncertainty of the boundary.
    pub near_boundary: Option<bool>,
    /// Nearest boundary point, `[lon, lat]`.
    pub nearest_boundary_point: Option<[f64; 2]>,
    /// Why the nearest boundary edge lies where it does (dated verdicts).
    pub boundary_basis: Option<BoundaryBasis<'a>>,
    /// What the independent depiction answers for the point, when one
    /// covers the date (dated verdicts with a zone).
    pub depiction: Option<DepictionAnswer<'a>>,
    /// Zone version in force.
    pub zone_version: Option<VersionRef<'a>>,
    /// Corridor version in force.
    pub corridor_version: Option<VersionRef<'a>>,
    /// Nearest settlements.
    pub nearest_places: Vec<NearbyPlace<'a>>,
    /// Status over the whole period.
    pub timeline: Vec<TimelineEntry<'a>>,
    /// Sources of the features that decided the answer: the zone version in
    /// force, and the corridor version when the point was near enough for
    /// the corridor to be searched (a JSON array, serialised at load).
    #[schema(value_type = Vec<crate::dataset::model::Source>)]
    pub sources: &'a serde_json::value::RawValue,
    /// Content hash of the data set, to reproduce the answer.
    pub dataset_version: &'a str,
    /// What a free-text query resolved to, when the point came from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<&'a crate::resolve::Resolved>,
}

/// The query as understood.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QueryEcho {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Date, if given.
    pub date: Option<Day>,
    /// The uncertainty the verdict allowed for, metres: the caller's, plus
    /// for a place asked by name its position accuracy
    /// (`resolved.accuracy_m`).
    pub uncertainty_m: f64,
}

/// A verdict as a headline, as the card and the map page's preview title
/// it (each words a point near the boundary its own way). Prose lives here,
/// with the report, not with the rules in `verdict`.
pub fn headline(status: Status) -> &'static str {
    match status {
        Status::InsideZone => "Inside the Russian peacekeeping zone",
        Status::InsideCorridor => "Inside the Lachin corridor",
        Status::Outside => "Outside the peacekeeping zone",
        Status::NoZone => "No peacekeeping zone on this date",
    }
}

/// A verdict's headline with its point and day in one line ("Inside the
/// Lachin corridor: 39.6000° N, 46.5000° E on 25 March 2022"): the card's
/// title and the map page's preview title.
pub fn title_line(headline: &str, at: LonLat, day: Day) -> String {
    format!(
        "{headline}: {:.4}° N, {:.4}° E on {}",
        at.lat,
        at.lon,
        day.in_words()
    )
}

/// Distances are reported to the decimetre.
pub(super) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Every interval of the timeline: before the zone, each combination of
/// zone and corridor versions, after it.
pub fn timeline(ds: &Dataset, at: LonLat, uncertainty_m: f64) -> Vec<TimelineEntry<'_>> {
    timeline_with(ds, uncertainty_m, &mut CheckMemo::new(at))
}

fn timeline_with<'a>(
    ds: &'a Dataset,
    uncertainty_m: f64,
    memo: &mut CheckMemo<'a>,
) -> Vec<TimelineEntry<'a>> {
    let (first, end) = ds.zone_period();
    let cuts = ds.change_days();
    let mut out = Vec::with_capacity(cuts.len() + 1);
    out.push(no_zone_entry(None, Some(first)));
    for w in cuts.windows(2) {
        let v = memo.verdict(ds, w[0], uncertainty_m);
        out.push(TimelineEntry {
            from: Some(w[0]),
            to: Some(w[1]),
            status: v.status,
            distance_to_boundary_m: v.distance_m.map(round1),
            boundary_accuracy_m: v.accuracy_m.map(f64::round),
            near_boundary: v.near_boundary,
            zone_version: v.zone.map(|z| z.version.id.as_str()),
            corridor_version: v.corridor_version.map(|c| c.id.as_str()),
            boundary_basis: v.basis.map(|b| b.short.as_str()),
        });
    }
    out.push(no_zone_entry(Some(end), None));
    out
}

fn no_zone_entry<'a>(from: Option<Day>, to: Option<Day>) -> TimelineEntry<'a> {
    TimelineEntry {
        from,
        to,
        status: Status::NoZone,
        distance_to_boundary_m: None,
        boundary_accuracy_m: None,
        near_boundary: false,
        zone_version: None,
        corridor_version: None,
        boundary_basis: None,
    }
}

/// The full report for a point, with or without a date.
pub fn report(ds: &Dataset, at: LonLat, day: Option<Day>, uncertainty_m: f64) -> Report<'_> {
    let mut memo = CheckMemo::new(at);
    let verdict = day.map(|d| (d, memo.verdict(ds, d, uncertainty_m)));
    let timeline = timeline_with(ds, uncertainty_m, &mut memo);
    let (near, n) = ds.nearest_settlements_with_scale::<NEAREST>(at, &memo.local);
    let nearest_places: Vec<NearbyPlace> = near[..n]
        .iter()
        .map(|&(i, distance_m)| {
            let p = &ds.places[i];
            let bearing = bearing_deg(at, p.at);
            NearbyPlace {
                id: &p.props.id,
                name: &p.props.display_name,
                names: &p.primary_names_json,
                coordinates: [p.at.lon, p.at.lat],
                distance_m: distance_m.round(),
                bearing_deg: bearing.round(),
                direction: compass_point(bearing),
                control_status: day
                    .and_then(|d| p.props.status_on(d))
                    .map(ControlStatus::as_str),
            }
        })
        .collect();
    let zone_in_force = verdict.and_then(|(_, v)| v.zone).map(|z| z.version);
    let corridor_in_force = verdict.and_then(|(_, v)| v.corridor_version);
    let zone_version = zone_in_force.map(VersionRef::of);
    let corridor_version = corridor_in_force.map(VersionRef::of);
    let nearest_boundary_point = verdict
        .and_then(|(_, v)| v.closest)
        .map(LonLat::rounded)
        .map(|c| [c.lon, c.lat]);
    let corridor_searched = verdict.and_then(|(_, v)| v.corridor).map(|c| c.version);
    let sources = ds.sources_json(zone_in_force, corridor_searched);
    let boundary_basis = verdict.and_then(|(_, v)| {
        Some(BoundaryBasis {
            version: &v.deciding?.id,
            basis: v.basis?,
        })
    });
    let depiction =
        verdict.and_then(|(d, v)| depiction::compare(ds, at, &memo.local, d, &v, uncertainty_m));
    let change = day.and_then(|d| memo.status_change(ds, d));
    let summary = summarise(ds, at, verdict, depiction.as_ref(), &nearest_places, change);
    Report {
        query: QueryEcho {
            lat: at.lat,
            lon: at.lon,
            date: day,
            uncertainty_m,
        },
        status: verdict.map(|(_, v)| v.status),
        in_area_of_responsibility: verdict.and_then(|(_, v)| v.status.in_area()),
        summary,
        distance_to_boundary_m: verdict.and_then(|(_, v)| v.distance_m).map(round1),
        boundary_accuracy_m: verdict.and_then(|(_, v)| v.accuracy_m).map(f64::round),
        near_boundary: verdict.map(|(_, v)| v.near_boundary),
        nearest_boundary_point,
        boundary_basis,
        depiction,
        zone_version,
        corridor_version,
        nearest_places,
        timeline,
        sources,
        dataset_version: &ds.version,
        resolved: None,
    }
}

fn km(m: f64) -> String {
    if m.abs() < 1000.0 {
        format!("{:.0} m", m.abs())
    } else {
        format!("{:.1} km", m.abs() / 1000.0)
    }
}

/// Who held a place, in words.
fn held(status: ControlStatus) -> &'static str {
    match status {
        ControlStatus::Zone => "Armenian-held",
        ControlStatus::Corridor => "in the Lachin corridor",
        ControlStatus::PendingHandover => "Armenian-held, due for handover",
        ControlStatus::Azerbaijan => "Azerbaijani-held",
        ControlStatus::Armenia => "in Armenia",
    }
}

fn place_words(p: &BasisPlace) -> String {
    match p.since {
        Some(d) => format!("{} ({} from {})", p.name, held(p.status), d.in_words()),
        None => format!("{} ({})", p.name, held(p.status)),
    }
}

fn line_words(l: &BasisLine) -> String {
    format!(
        "the reference line \u{201c}{}\u{201d} ({}, accurate to about {})",
        l.name,
        l.scale,
        km(l.accuracy_m)
    )
}

/// The reason for the nearest edge, as one sentence.
pub fn basis_sentence(b: &Basis) -> String {
    match &b.kind {
        BasisKind::ControlPoints {
            zone_side,
            other_side,
        } => format!(
            "The line here runs between {} and {}.",
            place_words(zone_side),
            place_words(other_side)
        ),
        BasisKind::ReferenceLine { line } => {
            format!("The line here follows {}.", line_words(line))
        }
        BasisKind::PlaceAndReferenceLine { place, line, .. } => format!(
            "The line here runs between {} and {}.",
            place_words(place),
            line_words(line)
        ),
        BasisKind::Frame => {
            "No opposing place lies near this stretch; it is the edge of the derivation's frame."
                .to_owned()
        }
        BasisKind::CorridorBand {
            road_name,
            half_width_m,
            border,
            ..
        } => format!(
            "The corridor's edge here is its band, {} either side of the road ({road_name}){}.",
            km(*half_width_m),
            if border.is_some() {
                ", clipped to the Armenia\u{2013}Azerbaijan border"
            } else {
                ""
            }
        ),
    }
}

/// The depiction's answer, as one sentence.
fn depiction_sentence(d: &DepictionAnswer) -> String {
    let side = if d.inside { "inside" } else { "outside" };
    let verdict = if d.agrees {
        "it agrees"
    } else {
        "it differs from this answer"
    };
    format!(
        " The independent depiction ({}, {}) puts the point {side} its area, {} from its edge \
         (accurate to about {}): {verdict}.",
        d.source,
        d.scale,
        km(d.distance_m),
        km(d.accuracy_m)
    )
}

/// A point outside the data's region that lies inside it with latitude and
/// longitude swapped was most likely given the wrong way round: say so,
/// since the answer for it is confidently about somewhere else.
fn swapped_note(at: LonLat) -> String {
    let swapped = LonLat::new(at.lat, at.lon);
    if crate::coords::in_region(at) || !swapped.is_valid() || !crate::coords::in_region(swapped) {
        return String::new();
    }
    format!(
        " Latitude {} and longitude {} lie outside the region this data covers; the other way \
         round (latitude {}, longitude {}) they would be inside it.",
        at.lat, at.lon, swapped.lat, swapped.lon
    )
}

/// Where the point stood, as the rest of a sentence starting "the point was".
fn status_words(status: Status) -> &'static str {
    match status {
        Status::InsideZone => "inside the Russian peacekeepers' zone",
        Status::InsideCorridor => {
            "inside the Lachin corridor (part of the peacekeepers' area of responsibility)"
        }
        Status::Outside => "outside the peacekeepers' area of responsibility",
        Status::NoZone => "in no zone",
    }
}

/// Says that the point's status changed next to the date, and what it was
/// on the other side (see [`StatusChange`]).
fn change_note(day: Day, change: Option<StatusChange>) -> String {
    let Some(c) = change else {
        return String::new();
    };
    let (when, other) = if c.on > day {
        (format!("from the next day, {}", c.on), c.after)
    } else {
        (
            format!("until the day before, {}", day.plus_days(-1)),
            c.before,
        )
    };
    let other = match other {
        Status::NoZone => "there was no peacekeeping zone".to_owned(),
        s => format!("the point was {}", status_words(s)),
    };
    format!(
        " The status here changed at this date: {when}, {other}. A report dated {day} may \
         describe either side of the change."
    )
}

fn summarise(
    ds: &Dataset,
    at: LonLat,
    verdict: Option<(Day, Verdict<'_>)>,
    depiction: Option<&DepictionAnswer>,
    near: &[NearbyPlace],
    change: Option<StatusChange>,
) -> String {
    // The closing sentences: the nearest settlement, then any doubt about the axes.
    let place = near.first().map_or(String::new(), |p| {
        format!(
            " The nearest settlement is {} ({} {}).",
            p.name,
            km(p.distance_m),
            p.direction
        )
    }) + &swapped_note(at);
    let (first, end) = ds.zone_period();
    let Some((day, v)) = verdict else {
        return format!(
            "No date given: see the timeline for the status in each period from {first} to {end} (exclusive).{place}"
        );
    };
    let place = change_note(day, change) + &place;
    let (Some(d), Some(acc)) = (v.distance_m, v.accuracy_m) else {
        let when = if day < first { "before" } else { "after" };
        return format!(
            "No peacekeeping zone on {day}: the date is {when} the zone's period ({first} to {end}, exclusive).{place}"
        );
    };
    let what = status_words(v.status);
    let side = if d <= 0.0 { "inside" } else { "outside" };
    let when = day;
    let why = v
        .basis
        .map(|b| format!(" {}", basis_sentence(b)))
        .unwrap_or_default();
    let other = depiction.map(depiction_sentence).unwrap_or_default();
    if v.near_boundary {
        format!(
            "Near the boundary on {when}: the point is {} {side} the boundary as drawn, but the boundary \
             here is only accurate to about {}, so it may have been on either side. As drawn it is {what}.\
             {why}{other}{place}",
            km(d),
            km(acc)
        )
    } else {
        format!(
            "On {when} the point was {what}, {} {side} the boundary (accurate to about {} here).\
             {why}{other}{place}",
            km(d),
            km(acc)
        )
    }
}
