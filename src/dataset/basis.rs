//! Why each boundary edge lies where it does: the typed `bases[]` records
//! that `contactline derive` writes beside `edge_basis`, read back for the
//! verdict, with a one-line short form made once at load.
//!
//! Owns the shape of a basis and its short form (the batch CSV column). The
//! derivation that writes the records is `derive`'s; the prose of the
//! verdict's paragraph is `locate::report`'s; which edge is nearest is the
//! region index's.

use serde::{Deserialize, Serialize};

use super::model::{ControlStatus, PlaceProps, Source};
use crate::date::Day;

/// A control place on one side of an edge, as on the version's first day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BasisPlace {
    /// Place id (in `settlements` or `positions`).
    pub id: String,
    /// Dual display name.
    pub name: String,
    /// Who held it on the version's first day.
    pub status: ControlStatus,
    /// First day of that status when it began inside the zone's period
    /// (from the place's control timeline; absent when it held since
    /// before the period).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Day>,
    /// Sources of that interval of the place's timeline.
    pub sources: Vec<Source>,
}

/// A reference line an edge follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BasisLine {
    /// Line id in `reference_lines`.
    pub id: String,
    /// Name of the stretch.
    pub name: String,
    /// What lies on its far side.
    pub faces: String,
    /// Scale of the source map (`1:10,000,000`).
    pub scale: String,
    /// Stated accuracy of the line, metres.
    pub accuracy_m: f64,
    /// Sources of the line.
    pub sources: Vec<Source>,
}

/// Which side of a reference line a place is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlaceSide {
    /// The place is held in the zone; the line is the other side.
    Zone,
    /// The place is not held; the line is the zone's side.
    Other,
}

/// The reason one boundary edge lies where it does. The `kind` names are
/// the ones `derive` writes (`derive::BASIS_*`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BasisKind {
    /// The bisector between a held place and an opposing one.
    ControlPoints {
        /// The held place.
        zone_side: BasisPlace,
        /// The opposing place.
        other_side: BasisPlace,
    },
    /// A reference line followed between its paired sites.
    ReferenceLine {
        /// The line.
        line: BasisLine,
    },
    /// A control place against a reference line.
    PlaceAndReferenceLine {
        /// The place.
        place: BasisPlace,
        /// Its side.
        place_side: PlaceSide,
        /// The line.
        line: BasisLine,
    },
    /// No opposing site within the derivation's frame.
    Frame,
    /// The corridor's band along its road, clipped to the border.
    CorridorBand {
        /// Road id in `roads`.
        road: String,
        /// Road name.
        road_name: String,
        /// Half the band's width, metres.
        half_width_m: f64,
        /// Id of the border line the band is clipped to, if any.
        border: Option<String>,
        /// Stated accuracy, metres.
        accuracy_m: f64,
        /// Sources of the corridor and its road.
        sources: Vec<Source>,
    },
}

/// A basis with its short form, as the verdict names it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Basis {
    /// The structured record.
    #[serde(flatten)]
    pub kind: BasisKind,
    /// One line for a CSV cell: "between Khramort (zone) and Parukh
    /// (azerbaijan from 2022-03-25)".
    pub short: String,
}

impl Basis {
    /// The basis of a record, each place's `since` filled from its control
    /// timeline (`place(id)`) as on `first_day`, the version's first day,
    /// when that status began after `zone_start`.
    pub fn new<'a>(
        mut kind: BasisKind,
        first_day: Option<Day>,
        zone_start: Option<Day>,
        place: impl Fn(&str) -> Option<&'a PlaceProps>,
    ) -> Self {
        let fill = |p: &mut BasisPlace| {
            p.since = first_day
                .and_then(|d| place(&p.id)?.span_on(d)?.from)
                .filter(|&from| zone_start.is_none_or(|z| from > z));
        };
        match &mut kind {
            BasisKind::ControlPoints {
                zone_side,
                other_side,
            } => {
                fill(zone_side);
                fill(other_side);
            }
            BasisKind::PlaceAndReferenceLine { place, .. } => fill(place),
            _ => {}
        }
        let short = short_form(&kind);
        Basis { kind, short }
    }

    /// Every source behind this edge: both places', or the line's, or the
    /// corridor's, without repeats.
    pub fn sources(&self) -> Vec<&Source> {
        let lists: Vec<&[Source]> = match &self.kind {
            BasisKind::ControlPoints {
                zone_side,
                other_side,
            } => vec![&zone_side.sources, &other_side.sources],
            BasisKind::ReferenceLine { line } => vec![&line.sources],
            BasisKind::PlaceAndReferenceLine { place, line, .. } => {
                vec![&place.sources, &line.sources]
            }
            BasisKind::Frame => Vec::new(),
            BasisKind::CorridorBand { sources, .. } => vec![sources],
        };
        let mut out: Vec<&Source> = Vec::new();
        super::model::add_sources(&mut out, lists.into_iter().flatten());
        out
    }
}

fn short_place(p: &BasisPlace) -> String {
    match p.since {
        Some(d) => format!("{} ({} from {d})", p.name, p.status.as_str()),
        None => format!("{} ({})", p.name, p.status.as_str()),
    }
}

fn short_line(l: &BasisLine) -> String {
    format!("{}, {}", l.name, l.scale)
}

fn short_form(kind: &BasisKind) -> String {
    match kind {
        BasisKind::ControlPoints {
            zone_side,
            other_side,
        } => format!(
            "between {} and {}",
            short_place(zone_side),
            short_place(other_side)
        ),
        BasisKind::ReferenceLine { line } => format!("line: {}", short_line(line)),
        BasisKind::PlaceAndReferenceLine { place, line, .. } => {
            format!("{} against line: {}", short_place(place), short_line(line))
        }
        BasisKind::Frame => "no opposing place (frame)".to_owned(),
        BasisKind::CorridorBand {
            road, half_width_m, ..
        } => format!(
            "corridor band: {:.1} km either side of road {road}",
            half_width_m / 1000.0
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: serde_json::Value) -> BasisKind {
        serde_json::from_value(json).expect("a basis record")
    }

    fn props(id: &str, control: &serde_json::Value) -> PlaceProps {
        serde_json::from_value(serde_json::json!({
            "id": id, "display_name": id, "kind": "village", "names": {"en": [id]},
            "control": control.clone(),
        }))
        .expect("place properties")
    }

    #[test]
    fn a_pair_of_places_names_both_and_the_day_the_opposing_one_changed_hands() {
        let kind = record(serde_json::json!({
            "kind": "control_points",
            "zone_side": {"id": "a", "name": "Held", "status": "zone", "sources": []},
            "other_side": {"id": "b", "name": "Taken", "status": "azerbaijan",
                           "sources": [{"title": "T", "url": "https://example.org/t"}]},
        }));
        let a = props(
            "a",
            &serde_json::json!([{"from": null, "to": null, "status": "zone", "sources": []}]),
        );
        let b = props(
            "b",
            &serde_json::json!([
                {"from": null, "to": "2022-03-25", "status": "zone", "sources": []},
                {"from": "2022-03-25", "to": null, "status": "azerbaijan", "sources": []},
            ]),
        );
        let zone_start = Day::from_ymd(2020, 11, 10);
        let basis = Basis::new(kind, Day::from_ymd(2022, 3, 25), zone_start, |id| {
            [&a, &b].into_iter().find(|p| p.id == id)
        });
        assert_eq!(
            basis.short,
            "between Held (zone) and Taken (azerbaijan from 2022-03-25)"
        );
        let json = serde_json::to_value(&basis).expect("serialises");
        assert_eq!(json["kind"], "control_points");
        assert_eq!(json["other_side"]["since"], "2022-03-25");
        assert!(json["zone_side"].get("since").is_none());
        assert_eq!(basis.sources().len(), 1);
    }

    #[test]
    fn a_frame_edge_serialises_as_its_kind_and_short_form_only() {
        let basis = Basis::new(
            record(serde_json::json!({"kind": "frame"})),
            None,
            Day::from_ymd(2020, 11, 10),
            |_| None,
        );
        assert_eq!(
            serde_json::to_value(&basis).expect("serialises"),
            serde_json::json!({"kind": "frame", "short": "no opposing place (frame)"})
        );
    }

    #[test]
    fn the_kind_names_are_the_ones_derive_writes() {
        let line = serde_json::json!({"id": "l", "name": "L", "faces": "F", "scale": "1:1",
                                      "accuracy_m": 1.0, "sources": []});
        let place = serde_json::json!({"id": "p", "name": "P", "status": "zone", "sources": []});
        for (kind, json) in [
            (crate::derive::BASIS_FRAME, serde_json::json!({})),
            (
                crate::derive::BASIS_LINE,
                serde_json::json!({ "line": line }),
            ),
            (
                crate::derive::BASIS_PLACES,
                serde_json::json!({"zone_side": place, "other_side": place}),
            ),
            (
                crate::derive::BASIS_PLACE_AND_LINE,
                serde_json::json!({"place": place, "place_side": "zone", "line": line}),
            ),
            (
                crate::derive::BASIS_CORRIDOR,
                serde_json::json!({"road": "r", "road_name": "R", "half_width_m": 2500.0,
                                   "border": "b", "accuracy_m": 2500.0, "sources": []}),
            ),
        ] {
            let mut obj = json;
            obj["kind"] = kind.into();
            let parsed: BasisKind = serde_json::from_value(obj.clone()).expect("parses");
            assert_eq!(serde_json::to_value(&parsed).expect("serialises"), obj);
        }
    }
}
