//! One query box: turns a place name or a coordinate in any notation into a
//! point, saying what it understood.

use serde::Serialize;

use crate::dataset::Dataset;
use crate::geodesy::LonLat;

/// What a free-text query resolved to.
#[derive(Debug, Clone, Serialize)]
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
}

/// Why a query could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    /// Neither a known place nor a coordinate.
    #[error("'{0}' is neither a known place nor a coordinate")]
    Unknown(String),
}

/// Resolves a query (placeholder: decimal "lat, lon" and exact place ids).
pub fn resolve(ds: &Dataset, q: &str) -> Result<Resolved, ResolveError> {
    let q = q.trim();
    if let Some(p) = ds.place(&q.to_lowercase()) {
        return Ok(Resolved {
            at: p.at,
            coordinates: [p.at.lon, p.at.lat],
            kind: "place".into(),
            description: p.props.display_name.clone(),
            place_id: Some(p.props.id.clone()),
        });
    }
    let parts: Vec<f64> = q
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    if let [lat, lon] = parts[..] {
        let at = LonLat::new(lon, lat);
        if at.is_valid() {
            return Ok(Resolved {
                at,
                coordinates: [lon, lat],
                kind: "decimal".into(),
                description: format!("{lat}, {lon} (latitude, longitude)"),
                place_id: None,
            });
        }
    }
    Err(ResolveError::Unknown(q.chars().take(80).collect()))
}
