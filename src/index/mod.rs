//! Spatial indexes. Each answers geometric questions fast and knows nothing
//! of dates, layers or HTTP.
//!
//! - [`region`]: polygons by their edges: point-in-polygon, signed boundary distance.
//! - [`places`]: k-nearest points.

mod grid;
pub mod places;
pub mod region;

pub use places::{Neighbour, PointIndex};
pub use region::{BoundaryHit, EdgeInfo, RegionIndex, Ring, NO_BASIS};
