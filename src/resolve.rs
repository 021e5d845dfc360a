//! One query box: turns a place name or a coordinate in any notation into a
//! point, saying what it understood and what else it could have meant.
//!
//! Text that reads as a coordinate ([`crate::coords::parse`]) is taken as
//! one; anything else goes to the gazetteer. Owns only that choice and its
//! explanation: notations live in `coords`, names in `gazetteer`.

use std::fmt::Write as _;

use serde::Serialize;

use crate::coords::{self, CoordError};
use crate::dataset::Dataset;
use crate::gazetteer::{MatchKind, Matched, SearchError, CONFIDENT_SCORE};
use crate::geodesy::LonLat;

/// How many other readings or places an ambiguous answer lists.
const ALTERNATIVES: usize = 4;

/// What a free-text query resolved to.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Resolved {
    /// The point.
    #[serde(skip)]
    pub at: LonLat,
    /// `[lon, lat]`.
    pub coordinates: [f64; 2],
    /// `place` or a coordinate notation name.
    pub kind: String,
    /// What was understood, for people.
    pub description: String,
    /// The settlement id, when a place name matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_id: Option<String>,
    /// How far the place's recorded point may be from the place itself,
    /// metres (its `accuracy_m`), when a place matched. The verdict counts
    /// it as uncertainty on top of the caller's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accuracy_m: Option<f64>,
    /// The spelling matched and why, when a place name matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<Matched>,
    /// Whether the query could mean something else as well.
    pub ambiguous: bool,
    /// The other readings or places, best first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Alternative>,
}

/// Another reading of an ambiguous query.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Alternative {
    /// `[lon, lat]`.
    pub coordinates: [f64; 2],
    /// What it is.
    pub description: String,
    /// The place id, for a place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_id: Option<String>,
    /// Search score, for a place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// Why a query could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    /// Neither a known place nor a coordinate.
    #[error("'{0}' is neither a known place nor a coordinate")]
    Unknown(String),
    /// Only a guess matches: the best place scores below
    /// [`CONFIDENT_SCORE`], so it may well be another place.
    #[error("'{query}' is not a spelling of any place we know; the closest are {closest}: ask for one of them by name or id")]
    NotConfident {
        /// The query as given (cut to 80 characters).
        query: String,
        /// The best matches, `Name (id)`, best first.
        closest: String,
    },
    /// It looks like a coordinate but is not a valid one.
    #[error(transparent)]
    Coordinate(#[from] CoordError),
    /// The query cannot be searched (empty or too long).
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// The point a question is about, as every front end answers it: where, what
/// a query resolved to (if it was one), and the uncertainty to allow for.
#[derive(Debug)]
pub struct Target {
    /// The point.
    pub at: LonLat,
    /// What `q` (or a command's free text) resolved to.
    pub resolved: Option<Resolved>,
    /// The caller's uncertainty, widened by a matched place's own accuracy:
    /// a verdict for a named place is only as sure as the place's recorded
    /// point (a village placed from a description may be kilometres off).
    pub uncertainty_m: f64,
}

impl Target {
    /// A point given as coordinates: only the caller's uncertainty counts.
    pub fn at(at: LonLat, uncertainty_m: f64) -> Self {
        Target {
            at,
            resolved: None,
            uncertainty_m,
        }
    }

    /// A point a query resolved to, its place's accuracy added.
    pub fn resolved(r: Resolved, uncertainty_m: f64) -> Self {
        Target {
            at: r.at,
            uncertainty_m: uncertainty_m + r.accuracy_m.unwrap_or(0.0),
            resolved: Some(r),
        }
    }
}

/// Resolves a place name or a coordinate in any notation.
pub fn resolve(ds: &Dataset, q: &str) -> Result<Resolved, ResolveError> {
    let q = q.trim();
    if let Some(p) = ds.place(&q.to_lowercase()) {
        return Ok(Resolved {
            at: p.at,
            coordinates: [p.at.lon, p.at.lat],
            kind: "place".into(),
            description: format!("{} ({}, by id)", p.props.display_name, p.props.kind),
            place_id: Some(p.props.id.clone()),
            accuracy_m: Some(p.accuracy_m),
            matched: None,
            ambiguous: false,
            alternatives: Vec::new(),
        });
    }
    match coords::parse(q) {
        Ok(parsed) => return Ok(from_coordinate(&parsed)),
        // Text with digits that fails as a coordinate is reported as such;
        // plain words fall through to the gazetteer.
        Err(e)
            if q.chars().any(|c| c.is_ascii_digit())
                && !matches!(e, CoordError::Unrecognised(_)) =>
        {
            return Err(e.into());
        }
        Err(_) => {}
    }
    let hits = ds.gazetteer.search(q, ALTERNATIVES + 1)?;
    let Some(top) = hits.first() else {
        return Err(ResolveError::Unknown(q.chars().take(80).collect()));
    };
    // Below the confident score the best match is a guess (`Aknaghbyur`
    // finds Sarnaghbyur, another village): answering for it would be a
    // confident answer about the wrong place.
    if top.score < CONFIDENT_SCORE {
        let closest: Vec<String> = hits
            .iter()
            .map(|h| format!("{} (id {})", h.display_name, h.id))
            .collect();
        return Err(ResolveError::NotConfident {
            query: q.chars().take(80).collect(),
            closest: closest.join("; "),
        });
    }
    let tied: Vec<_> = hits[1..]
        .iter()
        .filter(|h| {
            (h.score - top.score).abs() < 1e-9
                || (top.matched.how == MatchKind::Exact && h.matched.how == MatchKind::Exact)
        })
        .collect();
    let ambiguous = !tied.is_empty();
    let alternatives = hits[1..]
        .iter()
        .filter(|h| ambiguous || h.score > 0.6)
        .map(|h| Alternative {
            coordinates: h.coordinates,
            description: format!("{} ({})", h.display_name, h.kind),
            place_id: Some(h.id.to_owned()),
            score: Some(h.score),
        })
        .collect();
    let at = LonLat::new(top.coordinates[0], top.coordinates[1]);
    let how = match top.matched.how {
        MatchKind::Exact => "exact name",
        MatchKind::Transliteration => "transliteration",
        MatchKind::Prefix => "prefix",
        MatchKind::Typo => "close spelling",
    };
    let mut description = format!(
        "{} ({}; {how} '{}')",
        top.display_name, top.kind, top.matched.form
    );
    if ambiguous {
        let _ = write!(
            description,
            "; {} other place(s) share this name",
            tied.len()
        );
    }
    Ok(Resolved {
        at,
        coordinates: top.coordinates,
        kind: "place".into(),
        description,
        place_id: Some(top.id.to_owned()),
        accuracy_m: Some(ds.places[top.place].accuracy_m),
        matched: Some(top.matched.clone()),
        ambiguous,
        alternatives,
    })
}

fn from_coordinate(parsed: &coords::Parsed) -> Resolved {
    let chosen = parsed.preferred();
    let alternatives = parsed
        .readings
        .iter()
        .filter(|r| r.at != chosen.at)
        .map(|r| Alternative {
            coordinates: r.coordinates,
            description: format!(
                "latitude {}, longitude {} ({}{})",
                r.at.lat,
                r.at.lon,
                order_name(r.order),
                if r.in_region {
                    ", inside the data's region"
                } else {
                    ""
                }
            ),
            place_id: None,
            score: None,
        })
        .collect();
    let mut description = parsed.description.clone();
    if parsed.ambiguous {
        let _ = write!(
            description,
            "; answering for latitude {}, longitude {} ({}{})",
            chosen.at.lat,
            chosen.at.lon,
            order_name(chosen.order),
            if chosen.in_region {
                ", the reading inside the data's region"
            } else {
                ", as written"
            }
        );
    }
    Resolved {
        at: chosen.at,
        coordinates: chosen.coordinates,
        kind: parsed.notation.as_str().to_owned(),
        description,
        place_id: None,
        accuracy_m: None,
        matched: None,
        ambiguous: parsed.ambiguous,
        alternatives,
    }
}

fn order_name(o: coords::Order) -> &'static str {
    match o {
        coords::Order::LatLon => "latitude first",
        coords::Order::LonLat => "longitude first",
        coords::Order::Explicit => "axes stated",
    }
}
