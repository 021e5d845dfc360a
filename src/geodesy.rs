//! Distances, bearings and the local plane on the WGS 84 ellipsoid.
//!
//! Owns the numerics that turn longitude/latitude into metres: a fast
//! ellipsoidal flat-earth formula for the short distances of this region
//! (checked against Karney's geodesics in the tests), a fall-back to the exact
//! geodesic for long ones, and the fixed plane in which the spatial indexes
//! live. It knows nothing of layers or verdicts.

use geo::{Distance, Geodesic, Point};

const A: f64 = 6_378_137.0;
const F: f64 = 1.0 / 298.257_223_563;
const E2: f64 = F * (2.0 - F);

/// Beyond this, the flat-earth formula's error would approach a metre.
const FLAT_LIMIT_M: f64 = 40_000.0;

/// A position in degrees, longitude first as in `GeoJSON`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LonLat {
    /// Longitude in degrees east.
    pub lon: f64,
    /// Latitude in degrees north.
    pub lat: f64,
}

impl LonLat {
    /// A position from longitude and latitude in degrees.
    pub const fn new(lon: f64, lat: f64) -> Self {
        Self { lon, lat }
    }

    /// Whether both values are finite and within ±180 / ±90.
    pub fn is_valid(self) -> bool {
        self.lon.is_finite()
            && self.lat.is_finite()
            && (-180.0..=180.0).contains(&self.lon)
            && (-90.0..=90.0).contains(&self.lat)
    }
}

/// Meridional (`m`) and prime-vertical (`n`) radii of curvature at `lat_rad`.
fn radii(lat_rad: f64) -> (f64, f64) {
    let s = lat_rad.sin();
    let w2 = 1.0 - E2 * s * s;
    let w = w2.sqrt();
    (A * (1.0 - E2) / (w2 * w), A / w)
}

/// Metres per degree of longitude and latitude at a latitude.
pub fn metres_per_degree(lat: f64) -> (f64, f64) {
    let phi = lat.to_radians();
    let (m, n) = radii(phi);
    (n * phi.cos() * (1f64).to_radians(), m * (1f64).to_radians())
}

fn wrap_lon_delta(d: f64) -> f64 {
    if d > 180.0 {
        d - 360.0
    } else if d < -180.0 {
        d + 360.0
    } else {
        d
    }
}

/// East and north offsets in metres from `a` to `b`, on the plane tangent at
/// their mean latitude (third-order accurate: well under a metre at 40 km).
fn flat_offsets(a: LonLat, b: LonLat) -> (f64, f64) {
    let (kx, ky) = metres_per_degree(0.5 * (a.lat + b.lat));
    (wrap_lon_delta(b.lon - a.lon) * kx, (b.lat - a.lat) * ky)
}

/// Ellipsoidal distance in metres between two positions.
pub fn distance_m(a: LonLat, b: LonLat) -> f64 {
    let (dx, dy) = flat_offsets(a, b);
    let d = (dx * dx + dy * dy).sqrt();
    if d <= FLAT_LIMIT_M {
        d
    } else {
        Geodesic.distance(Point::new(a.lon, a.lat), Point::new(b.lon, b.lat))
    }
}

/// Initial bearing from `a` to `b` in degrees clockwise from north, `[0, 360)`.
pub fn bearing_deg(a: LonLat, b: LonLat) -> f64 {
    let (dx, dy) = flat_offsets(a, b);
    let deg = dx.atan2(dy).to_degrees();
    if deg < 0.0 {
        deg + 360.0
    } else {
        deg
    }
}

/// The eight-point compass name of a bearing.
pub fn compass_point(bearing: f64) -> &'static str {
    const NAMES: [&str; 8] = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"];
    NAMES[((bearing + 22.5).rem_euclid(360.0) / 45.0) as usize % 8]
}

/// Relative error bound of distances measured on the plane tangent at
/// latitude `lat` against the ellipsoid, for distances up to `d` metres.
pub fn tangent_error_bound(lat: f64, d: f64) -> f64 {
    let slope = 1.0 + lat.abs().min(89.0).to_radians().tan();
    let e = 2e-3 + d * slope / 6.0e6;
    if e > 0.5 {
        1.0
    } else {
        e
    }
}

/// Closest point to `p` on the segment `a`–`b`, found on the plane tangent at
/// `p`, and its ellipsoidal distance from `p`.
pub fn closest_on_segment(p: LonLat, a: LonLat, b: LonLat) -> (LonLat, f64) {
    let (kx, ky) = metres_per_degree(p.lat);
    let ax = wrap_lon_delta(a.lon - p.lon) * kx;
    let ay = (a.lat - p.lat) * ky;
    let bx = wrap_lon_delta(b.lon - p.lon) * kx;
    let by = (b.lat - p.lat) * ky;
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let c = LonLat::new(
        a.lon + t * wrap_lon_delta(b.lon - a.lon),
        a.lat + t * (b.lat - a.lat),
    );
    (c, distance_m(p, c))
}

/// A fixed equirectangular plane for the spatial indexes.
///
/// Straight segments stay straight under it (it is affine in lon/lat), so
/// point-in-polygon answers are the same as on lon/lat; distances in it are
/// only used to rank candidates, with [`Plane::tangent_scale`] bounding the error.
#[derive(Debug, Clone, Copy)]
pub struct Plane {
    origin: LonLat,
    kx: f64,
    ky: f64,
}

impl Plane {
    /// The plane centred on the region of the data set.
    pub const REGION: Plane = Plane::at_const(LonLat::new(46.75, 39.8));

    const fn at_const(origin: LonLat) -> Self {
        // Constants for 39.8° N; `at` computes them for other origins.
        Plane {
            origin,
            kx: 85_642.47,
            ky: 111_030.79,
        }
    }

    /// A plane centred on `origin`.
    pub fn at(origin: LonLat) -> Self {
        let (kx, ky) = metres_per_degree(origin.lat);
        Plane { origin, kx, ky }
    }

    /// Plane coordinates of a position, in (approximate) metres.
    pub fn project(&self, p: LonLat) -> [f64; 2] {
        [
            (p.lon - self.origin.lon) * self.kx,
            (p.lat - self.origin.lat) * self.ky,
        ]
    }

    /// The position at plane coordinates.
    pub fn unproject(&self, xy: [f64; 2]) -> LonLat {
        LonLat::new(
            self.origin.lon + xy[0] / self.kx,
            self.origin.lat + xy[1] / self.ky,
        )
    }

    /// Tangent-plane metres per index-plane metre along x, for `kx` metres
    /// per degree of longitude.
    pub fn scale_x(&self, kx: f64) -> f64 {
        kx / self.kx
    }

    /// Tangent-plane metres per index-plane metre along y.
    pub fn scale_y(&self, ky: f64) -> f64 {
        ky / self.ky
    }

    /// Exact lower bound of (distance on the plane tangent at a point whose
    /// metres per degree are `kx`, `ky`) / (distance on this plane).
    pub fn tangent_scale(&self, kx: f64, ky: f64) -> f64 {
        (kx / self.kx).min(ky / self.ky)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geographiclib_rs::{Geodesic as Karney, InverseGeodesic};

    fn karney(a: LonLat, b: LonLat) -> f64 {
        let g = Karney::wgs84();
        InverseGeodesic::<f64>::inverse(&g, a.lat, a.lon, b.lat, b.lon)
    }

    #[test]
    fn short_distances_match_karney_within_a_decimetre() {
        let a = LonLat::new(46.7519, 39.8153);
        for (dlon, dlat) in [
            (0.3, 0.0),
            (0.0, 0.3),
            (-0.25, 0.2),
            (0.4, -0.15),
            (0.001, 0.0),
        ] {
            let b = LonLat::new(a.lon + dlon, a.lat + dlat);
            let err = (distance_m(a, b) - karney(a, b)).abs();
            assert!(err < 0.1, "error {err} m at ({dlon},{dlat})");
        }
    }

    #[test]
    fn long_distances_use_the_geodesic() {
        let a = LonLat::new(46.75, 39.8);
        let moscow = LonLat::new(37.62, 55.75);
        assert!((distance_m(a, moscow) - karney(a, moscow)).abs() < 0.01);
    }

    #[test]
    fn bearings_point_the_right_way() {
        let a = LonLat::new(46.75, 39.8);
        assert!(bearing_deg(a, LonLat::new(46.75, 39.9)).abs() < 1e-9);
        assert!((bearing_deg(a, LonLat::new(46.85, 39.8)) - 90.0).abs() < 0.1);
        assert_eq!(
            compass_point(bearing_deg(a, LonLat::new(46.7, 39.75))),
            "SW"
        );
    }

    #[test]
    fn region_plane_constants_match_the_ellipsoid() {
        let computed = Plane::at(Plane::REGION.origin);
        assert!((computed.kx - Plane::REGION.kx).abs() < 1.0);
        assert!((computed.ky - Plane::REGION.ky).abs() < 1.0);
    }

    #[test]
    fn closest_point_on_a_segment_is_perpendicular_foot_or_end() {
        let a = LonLat::new(46.7, 39.8);
        let b = LonLat::new(46.8, 39.8);
        let (c, d) = closest_on_segment(LonLat::new(46.75, 39.81), a, b);
        assert!((c.lon - 46.75).abs() < 1e-6 && (c.lat - 39.8).abs() < 1e-9);
        assert!((d - karney(LonLat::new(46.75, 39.81), c)).abs() < 0.01);
        let (c, _) = closest_on_segment(LonLat::new(46.9, 39.85), a, b);
        assert_eq!(c, b);
    }

    #[test]
    fn validity_rejects_nan_and_out_of_range() {
        assert!(LonLat::new(46.0, 39.0).is_valid());
        assert!(!LonLat::new(f64::NAN, 39.0).is_valid());
        assert!(!LonLat::new(46.0, 91.0).is_valid());
        assert!(!LonLat::new(181.0, 0.0).is_valid());
        assert!(!LonLat::new(f64::INFINITY, 0.0).is_valid());
    }
}
