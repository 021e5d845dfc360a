//! The serde shapes of `geodata/`: the catalog, version specs, sources and
//! the typed properties of settlements.
//!
//! Owns what the files say, not what they mean: validation lives in
//! `load`, geometry in `index`, the boundary method in `derive`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::{Day, Validity};

/// A cited source: a URL or a document reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Source {
    /// Human-readable title.
    pub title: String,
    /// URL or document reference.
    pub url: String,
}

/// Appends the sources (or references to them) of `more` that `list` does
/// not hold yet, in order: how every merged list of sources drops repeats.
pub fn add_sources<T: PartialEq>(list: &mut Vec<T>, more: impl IntoIterator<Item = T>) {
    for s in more {
        if !list.contains(&s) {
            list.push(s);
        }
    }
}

/// `geodata/catalog.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalog {
    /// Title of the whole data set.
    pub title: String,
    /// What the data set is.
    pub description: String,
    /// Licence of the curated data.
    pub licence: String,
    /// Attribution line for maps.
    pub attribution: String,
    /// File (relative to the catalog) holding the zone and corridor versions.
    pub versions_file: String,
    /// The layers, in drawing order.
    pub layers: Vec<LayerMeta>,
}

/// One layer's entry in the catalog.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LayerMeta {
    /// Short id used in URLs (`zone`, `settlements`).
    pub id: String,
    /// Title for people.
    pub title: String,
    /// What the layer holds and how it was made.
    pub description: String,
    /// `Point`, `LineString`, `Polygon`, `MultiPolygon`, `MultiLineString`.
    pub geometry_type: String,
    /// `GeoJSON` files, relative to the catalog.
    pub files: Vec<String>,
    /// Licence of this layer.
    pub licence: String,
    /// Sources for the layer as a whole.
    pub sources: Vec<Source>,
    /// Stated horizontal accuracy of the layer, in metres (typical value).
    /// A derived layer does not state one: loading computes it from the
    /// derived versions' edges, so `catalog.json` leaves it out.
    #[serde(default = "unstated")]
    pub accuracy_m: f64,
    /// Whether features are successive versions that must not overlap in time.
    #[serde(default)]
    pub versioned: bool,
    /// Whether `contactline derive` writes this layer.
    #[serde(default)]
    pub derived: bool,
    /// Whether the map draws this layer until the reader turns it off
    /// (reference layers are off until asked for).
    #[serde(default = "yes")]
    pub shown_by_default: bool,
}

impl LayerMeta {
    /// What the code uses this layer for, from its catalog id.
    pub fn role(&self) -> LayerRole {
        LayerRole::of_id(&self.id)
    }
}

/// What a layer is for. Code asks for layers by role; the catalog id that
/// names a role is its name in snake case (strum's `FromStr`, read only by
/// [`LayerRole::of_id`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum LayerRole {
    /// Dated versions of the zone polygon (derived).
    Zone,
    /// Dated versions of the Lachin corridor polygon (derived).
    Corridor,
    /// Dated contact lines (derived).
    LineOfContact,
    /// Roads, which corridors follow.
    Roads,
    /// Settlements with control timelines: the nearest places and control points.
    Settlements,
    /// Military positions with control timelines: control points only.
    Positions,
    /// Dated incidents, shown on the map.
    Incidents,
    /// Reference lines the derivation reads (oblast stretches, the border).
    ReferenceLines,
    /// Other parties' depictions of the zone, compared in each dated verdict.
    Depictions,
    /// Context layers (the 1994–2020 line of contact): drawn, never interpreted.
    Context,
    /// Any other layer: served and drawn, never interpreted.
    Other,
}

impl LayerRole {
    /// The role of the layer with this catalog id (`reference_lines`:
    /// [`LayerRole::ReferenceLines`]); any other id is [`LayerRole::Other`].
    pub fn of_id(id: &str) -> LayerRole {
        id.parse().unwrap_or(LayerRole::Other)
    }

    /// Whether the layer's features are places with control timelines.
    pub fn holds_places(self) -> bool {
        matches!(self, LayerRole::Settlements | LayerRole::Positions)
    }
}

/// A dated version of the zone.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ZoneVersionSpec {
    /// Stable id (`zone-2022-03-25`).
    pub id: String,
    /// Title for people.
    pub title: String,
    /// Validity interval; `valid_from` is required.
    #[serde(flatten)]
    pub validity: Validity,
    /// What changed at the start of this version.
    pub description: String,
    /// Sources for the change.
    pub sources: Vec<Source>,
}

/// A dated version of the Lachin corridor: a band along a road.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CorridorVersionSpec {
    /// Stable id (`corridor-old-route`).
    pub id: String,
    /// Title for people.
    #[serde(default)]
    pub title: String,
    /// Id of the road in the `roads` layer.
    pub road: String,
    /// Half the corridor width, metres (2,500 for the 5 km corridor).
    pub half_width_m: f64,
    /// Validity interval.
    #[serde(flatten)]
    pub validity: Validity,
    /// What changed.
    #[serde(default)]
    pub description: String,
    /// Sources.
    pub sources: Vec<Source>,
}

/// `geodata/versions.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Versions {
    /// Zone versions in time order.
    pub zone_versions: Vec<ZoneVersionSpec>,
    /// Corridor versions in time order.
    pub corridor_versions: Vec<CorridorVersionSpec>,
}

/// Who held a place over an interval.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ControlStatus {
    /// Held by the Armenian side inside the peacekeepers' zone.
    Zone,
    /// Inside the Lachin corridor.
    Corridor,
    /// Armenian-held in a district due for handover in Nov/Dec 2020.
    PendingHandover,
    /// Held by Azerbaijan.
    Azerbaijan,
    /// Republic of Armenia.
    Armenia,
}

impl ControlStatus {
    /// Snake-case name as in the files.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One interval of a place's control timeline.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ControlSpan {
    /// First day (inclusive); `None` for "before the period".
    pub from: Option<Day>,
    /// First day after (exclusive); `None` for open.
    pub to: Option<Day>,
    /// Who held it.
    pub status: ControlStatus,
    /// A neutral note.
    #[serde(default)]
    pub note: String,
    /// Sources for this interval.
    pub sources: Vec<Source>,
}

/// Typed properties of a settlement or position feature.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlaceProps {
    /// Stable id.
    pub id: String,
    /// Neutral display name, dual where the parties differ.
    pub display_name: String,
    /// `city`, `town`, `village`, `position`, or a landmark kind (`monastery`,
    /// `fortress`, `reservoir`, …; see `geodata/SCHEMA.md`).
    pub kind: String,
    /// Names by language (`en`, `hy`, `az`, `ru`), primary first.
    pub names: BTreeMap<String, Vec<String>>,
    /// Other spellings met in sources.
    #[serde(default)]
    pub alt_names: Vec<String>,
    /// Administrative units by party.
    #[serde(default)]
    pub admin: BTreeMap<String, String>,
    /// Control timeline.
    pub control: Vec<ControlSpan>,
    /// Whether the boundary derivation uses this point (false for a
    /// position without a sourced coordinate of its own).
    #[serde(default = "yes")]
    pub control_point: bool,
}

fn yes() -> bool {
    true
}

fn unstated() -> f64 {
    f64::NAN
}

impl PlaceProps {
    /// Control status on `day`, if the timeline covers it.
    pub fn status_on(&self, day: Day) -> Option<ControlStatus> {
        self.span_on(day).map(|c| c.status)
    }

    /// The control interval covering `day`, if the timeline covers it.
    pub fn span_on(&self, day: Day) -> Option<&ControlSpan> {
        self.control
            .iter()
            .find(|c| c.from.is_none_or(|f| day >= f) && c.to.is_none_or(|t| day < t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalog_id_names_its_role_in_snake_case_and_any_other_id_is_other() {
        assert_eq!(
            LayerRole::of_id("line_of_contact"),
            LayerRole::LineOfContact
        );
        assert_eq!(
            LayerRole::of_id("reference_lines"),
            LayerRole::ReferenceLines
        );
        assert_eq!(LayerRole::of_id("Zone"), LayerRole::Other);
        assert_eq!(LayerRole::of_id("landmarks"), LayerRole::Other);
    }
}
