//! How complete the gazetteer is, counted over a loaded data set: places by
//! kind and by status on each zone version's first day, the settlements
//! within a distance of that version's boundary on either side, and which
//! points of a reference gazetteer (`GeoNames`) or names of a published village
//! list have no entry.
//!
//! Owns the counting and the two reference formats kept in `geodata/checks/`
//! (a `GeoJSON` point file with a `name` per feature; a JSON file of named
//! village lists, each with its source). Loading the data set is `dataset`'s,
//! name folding the gazetteer's, printing the CLI's.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::dataset::{ControlStatus, Dataset, Source};
use crate::date::Day;
use crate::gazetteer::normalize::fold_variants;
use crate::geodesy::{self, LonLat};

/// Why a reference file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    /// The file could not be read.
    #[error("reading {file}: {source}")]
    Read {
        /// The file.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not the expected JSON shape.
    #[error("{file}: {reason}")]
    Shape {
        /// The file.
        file: String,
        /// What is wrong.
        reason: String,
    },
}

/// Settlement counts for one zone version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionCount {
    /// Zone version id.
    pub id: String,
    /// Its first day, on which statuses are read.
    pub day: Day,
    /// Settlements by status on that day (`zone`, `azerbaijan`, …).
    pub by_status: BTreeMap<&'static str, usize>,
    /// Settlements held in the zone within the distance of its boundary.
    pub near_inside: usize,
    /// Settlements of any other status within the distance of its boundary.
    pub near_outside: usize,
}

/// The counts over the whole data set.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// Settlements (the `settlements` layer, kind not `position`).
    pub settlements: usize,
    /// Settlements by kind (`city`, `town`, `village`).
    pub settlement_kinds: BTreeMap<String, usize>,
    /// Other places (positions and landmarks) by kind.
    pub other_kinds: BTreeMap<String, usize>,
    /// The distance used for "near the boundary", metres.
    pub near_m: f64,
    /// One count per zone version, in date order.
    pub versions: Vec<VersionCount>,
}

/// Counts places, and per zone version the settlements within `near_m` of
/// its boundary on each side.
pub fn count(ds: &Dataset, near_m: f64) -> Coverage {
    let mut settlement_kinds = BTreeMap::new();
    let mut other_kinds = BTreeMap::new();
    for p in &ds.places {
        let kinds = if p.is_settlement {
            &mut settlement_kinds
        } else {
            &mut other_kinds
        };
        *kinds.entry(p.props.kind.clone()).or_insert(0) += 1;
    }
    let versions = ds
        .zones
        .iter()
        .filter_map(|z| {
            // Every zone version has a first day; statuses are read on it.
            let day = z.validity.valid_from?;
            let mut by_status = BTreeMap::new();
            let (mut near_inside, mut near_outside) = (0, 0);
            for p in ds.places.iter().filter(|p| p.is_settlement) {
                let status = p.props.status_on(day);
                *by_status
                    .entry(status.map_or("none", ControlStatus::as_str))
                    .or_insert(0) += 1;
                let near = z
                    .region
                    .nearest_boundary(p.at)
                    .is_some_and(|h| h.distance_m <= near_m);
                if near {
                    if status == Some(ControlStatus::Zone) {
                        near_inside += 1;
                    } else {
                        near_outside += 1;
                    }
                }
            }
            Some(VersionCount {
                id: z.id.clone(),
                day,
                by_status,
                near_inside,
                near_outside,
            })
        })
        .collect();
    Coverage {
        settlements: settlement_kinds.values().sum(),
        settlement_kinds,
        other_kinds,
        near_m,
        versions,
    }
}

/// A point of a reference gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct RefPoint {
    /// Its name as the reference spells it.
    pub name: String,
    /// Its position.
    pub at: LonLat,
}

/// A reference point checked against the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct PointCheck {
    /// The reference point.
    pub point: RefPoint,
    /// Distance to the nearest zone boundary of any version, metres (0 inside).
    pub to_zone_m: f64,
    /// The nearest settlement: id and distance in metres.
    pub nearest: Option<(String, f64)>,
}

impl PointCheck {
    /// Whether a settlement of the gazetteer lies within `match_m`.
    pub fn matched(&self, match_m: f64) -> bool {
        self.nearest.as_ref().is_some_and(|(_, d)| *d <= match_m)
    }
}

/// Reads a `GeoJSON` `FeatureCollection` of points with a `name` property.
pub fn read_points(path: &Path) -> Result<Vec<RefPoint>, CoverageError> {
    #[derive(Deserialize)]
    struct Fc {
        features: Vec<Ft>,
    }
    #[derive(Deserialize)]
    struct Ft {
        properties: Props,
        geometry: Geom,
    }
    #[derive(Deserialize)]
    struct Props {
        name: String,
    }
    #[derive(Deserialize)]
    struct Geom {
        coordinates: [f64; 2],
    }
    let fc: Fc = read_json(path)?;
    Ok(fc
        .features
        .into_iter()
        .map(|f| RefPoint {
            name: f.properties.name,
            at: LonLat::new(f.geometry.coordinates[0], f.geometry.coordinates[1]),
        })
        .collect())
}

/// The reference points inside a zone version or within `within_m` of one,
/// each with its nearest settlement; ordered by distance to the zone.
pub fn check_points(ds: &Dataset, points: &[RefPoint], within_m: f64) -> Vec<PointCheck> {
    let mut out: Vec<PointCheck> = points
        .iter()
        .filter_map(|rp| {
            let to_zone_m = ds
                .zones
                .iter()
                .filter_map(|z| z.region.nearest_boundary(rp.at))
                .map(|h| if h.inside { 0.0 } else { h.distance_m })
                .fold(f64::INFINITY, f64::min);
            (to_zone_m <= within_m).then(|| {
                let nearest = ds
                    .places
                    .iter()
                    .filter(|p| p.is_settlement)
                    .map(|p| (p.props.id.clone(), geodesy::distance_m(rp.at, p.at)))
                    .min_by(|a, b| a.1.total_cmp(&b.1));
                PointCheck {
                    point: rp.clone(),
                    to_zone_m,
                    nearest,
                }
            })
        })
        .collect();
    out.sort_by(|a, b| a.to_zone_m.total_cmp(&b.to_zone_m));
    out
}

/// A published list of village names (a province's villages, a handover
/// announcement), each entry one village with its spellings.
#[derive(Debug, Clone, Deserialize)]
pub struct NameList {
    /// What the list is.
    pub title: String,
    /// Where it was published.
    pub source: Source,
    /// One entry per village; spellings of one village separated by ` / `.
    pub names: Vec<String>,
}

/// A name list checked against the gazetteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListCheck {
    /// The list's title.
    pub title: String,
    /// Entries found, with the id of the settlement that holds the name.
    pub found: Vec<(String, String)>,
    /// Entries no settlement holds but another place does (a deserted
    /// village kept as a landmark, say), with that place's id: named, but
    /// not counted as a settlement.
    pub as_landmark: Vec<(String, String)>,
    /// Entries no place holds under any of the given spellings.
    pub missing: Vec<String>,
}

/// Reads a JSON file `{"lists": [NameList, …]}`.
pub fn read_lists(path: &Path) -> Result<Vec<NameList>, CoverageError> {
    #[derive(Deserialize)]
    struct File {
        lists: Vec<NameList>,
    }
    Ok(read_json::<File>(path)?.lists)
}

/// Looks every entry of every list up by its folded spellings (an exact
/// name match, not a fuzzy one): a settlement first, else any other place.
pub fn check_lists(ds: &Dataset, lists: &[NameList]) -> Vec<ListCheck> {
    let holder = |entry: &str, settlement: bool| {
        entry.split(" / ").find_map(|spelling| {
            fold_variants(spelling.trim()).iter().find_map(|folded| {
                ds.gazetteer
                    .lookup_folded(folded)
                    .iter()
                    .map(|&e| &ds.places[ds.gazetteer.entry(e as usize).place])
                    .find(|p| p.is_settlement == settlement)
                    .map(|p| p.props.id.clone())
            })
        })
    };
    lists
        .iter()
        .map(|l| {
            let mut check = ListCheck {
                title: l.title.clone(),
                found: Vec::new(),
                as_landmark: Vec::new(),
                missing: Vec::new(),
            };
            for entry in &l.names {
                if let Some(id) = holder(entry, true) {
                    check.found.push((entry.clone(), id));
                } else if let Some(id) = holder(entry, false) {
                    check.as_landmark.push((entry.clone(), id));
                } else {
                    check.missing.push(entry.clone());
                }
            }
            check
        })
        .collect()
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, CoverageError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| CoverageError::Read {
        file: file.clone(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|e| CoverageError::Shape {
        file,
        reason: e.to_string(),
    })
}
