//! Filtering, sorting and paging the features of one layer: pure, so the
//! rules are unit-tested without HTTP.

use std::cmp::Ordering;
use std::collections::HashSet;

use geo::Intersects;
use serde_json::Value;

use super::query::{Bbox, ItemQuery, SortKey, StatusOn};
use crate::api::ApiError;
use crate::dataset::{Feature, Place};

/// One page of matching features.
#[derive(Debug)]
pub struct Page<'a> {
    /// How many features match the filters in all.
    pub matched: usize,
    /// The features of this page, in `sortby` order (else layer order).
    pub features: Vec<&'a Feature>,
}

/// The ids of the places whose control status on the day is one of the
/// statuses asked for (the rule itself is `PlaceProps::status_on`).
pub fn status_ids<'a>(places: &'a [Place], s: &StatusOn) -> HashSet<&'a str> {
    places
        .iter()
        .filter(|p| {
            p.props
                .status_on(s.day)
                .is_some_and(|st| s.statuses.contains(&st))
        })
        .map(|p| p.props.id.as_str())
        .collect()
}

/// Filters `features` by bbox (envelope first, then an exact intersection
/// test), datetime, `status` (the ids from [`status_ids`]) and the CQL2
/// filter; sorts by `sortby` (stable, so ties keep layer order); then cuts
/// the page at `offset`/`limit`.
pub fn select<'a, S: std::hash::BuildHasher>(
    features: &'a [Feature],
    q: &ItemQuery,
    status: Option<&HashSet<&str, S>>,
) -> Result<Page<'a>, ApiError> {
    let rects = q.bbox.map(Bbox::rects);
    let cheap = |f: &Feature| {
        q.datetime.is_none_or(|d| d.matches(f))
            && status.is_none_or(|ids| ids.contains(f.id.as_str()))
            && q.bbox.is_none_or(|b| {
                b.envelope_hits(&f.bbox) && rects.iter().flatten().any(|r| f.geometry.intersects(r))
            })
    };
    let mut hits = Vec::new();
    for f in features.iter().filter(|f| cheap(f)) {
        if q.filter.as_ref().map_or(Ok(true), |c| c.matches(f))? {
            hits.push(f);
        }
    }
    if !q.sortby.is_empty() {
        hits.sort_by(|a, b| compare(a, b, &q.sortby));
    }
    let matched = hits.len();
    let features = hits.into_iter().skip(q.offset).take(q.limit).collect();
    Ok(Page { matched, features })
}

/// Orders two features by the sort keys; a missing or null value sorts last
/// in either direction.
fn compare(a: &Feature, b: &Feature, keys: &[SortKey]) -> Ordering {
    for k in keys {
        let va = a.properties.get(&k.name).filter(|v| !v.is_null());
        let vb = b.properties.get(&k.name).filter(|v| !v.is_null());
        let o = match (va, vb) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => {
                let o = value_order(x, y);
                if k.descending {
                    o.reverse()
                } else {
                    o
                }
            }
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// Numbers by value, text by code point, booleans false first.
fn value_order(x: &Value, y: &Value) -> Ordering {
    match (x, y) {
        (Value::Number(a), Value::Number(b)) => a
            .as_f64()
            .partial_cmp(&b.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::String(a), Value::String(b)) => a.cmp(b),
        (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
        _ => Ordering::Equal,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(super) mod tests {
    use super::*;
    use crate::api::ogc::query::{parse_bbox, parse_datetime};
    use crate::date::{Day, Validity};

    /// A day from `YYYY-MM-DD`.
    pub(in crate::api::ogc) fn day(s: &str) -> Day {
        s.parse().unwrap()
    }

    fn point(id: &str, lon: f64, lat: f64, from: Option<&str>, to: Option<&str>) -> Feature {
        Feature {
            id: id.into(),
            validity: Validity {
                valid_from: from.map(day),
                valid_to: to.map(day),
            },
            bbox: [lon, lat, lon, lat],
            geometry: geo::Geometry::Point(geo::Point::new(lon, lat)),
            properties: serde_json::Map::new(),
            json: serde_json::value::to_raw_value(&serde_json::json!({ "id": id })).unwrap(),
        }
    }

    /// The page `q` selects from `fs`, without a status filter.
    fn run<'a>(fs: &'a [Feature], q: &ItemQuery) -> Page<'a> {
        select(fs, q, None::<&HashSet<&str>>).unwrap()
    }

    fn in_bbox(bbox: &str) -> ItemQuery {
        ItemQuery {
            bbox: Some(parse_bbox(bbox).unwrap()),
            ..ItemQuery::default()
        }
    }

    fn at_datetime(datetime: &str) -> ItemQuery {
        ItemQuery {
            datetime: Some(parse_datetime(datetime).unwrap()),
            ..ItemQuery::default()
        }
    }

    fn ids(page: &Page<'_>) -> Vec<String> {
        page.features.iter().map(|f| f.id.clone()).collect()
    }

    /// Four points, one open, two dated, one by the antimeridian.
    pub(in crate::api::ogc) fn sample() -> Vec<Feature> {
        vec![
            point("a", 46.70, 39.80, None, None),
            point("b", 46.80, 39.80, Some("2020-11-10"), Some("2022-03-25")),
            point("c", 46.90, 39.90, Some("2022-03-25"), None),
            point("d", 179.5, 0.0, Some("2021-01-01"), Some("2021-01-02")),
        ]
    }

    #[test]
    fn a_bbox_keeps_only_features_inside_it() {
        let fs = sample();
        let q = in_bbox("46.75,39.75,46.85,39.85");
        assert_eq!(ids(&run(&fs, &q)), ["b"]);
    }

    #[test]
    fn a_bbox_across_the_antimeridian_wraps_around() {
        let fs = sample();
        let q = in_bbox("179,-1,-179,1");
        assert_eq!(ids(&run(&fs, &q)), ["d"]);
    }

    #[test]
    fn a_polygon_whose_envelope_but_not_shape_meets_the_bbox_is_left_out() {
        // An L-shaped polygon: its envelope covers the empty corner at (1.5, 1.5).
        let ring = vec![
            (0.0, 0.0),
            (2.0, 0.0),
            (2.0, 1.0),
            (1.0, 1.0),
            (1.0, 2.0),
            (0.0, 2.0),
            (0.0, 0.0),
        ];
        let poly = geo::Polygon::new(geo::LineString::from(ring), vec![]);
        let f = Feature {
            geometry: geo::Geometry::Polygon(poly),
            bbox: [0.0, 0.0, 2.0, 2.0],
            ..point("l", 0.0, 0.0, None, None)
        };
        let fs = [f];
        let corner = in_bbox("1.4,1.4,1.6,1.6");
        assert_eq!(run(&fs, &corner).matched, 0);
        let arm = in_bbox("0.4,1.4,0.6,1.6");
        assert_eq!(run(&fs, &arm).matched, 1);
    }

    #[test]
    fn an_instant_matches_features_valid_that_day_with_valid_to_exclusive() {
        let fs = sample();
        let on = |s: &str| ids(&run(&fs, &at_datetime(s)));
        assert_eq!(on("2022-03-24"), ["a", "b"]);
        assert_eq!(on("2022-03-25"), ["a", "c"]);
        assert_eq!(on("2022-03-25T00:00:00Z"), ["a", "c"]);
        assert_eq!(on("2022-03-25T23:59:59.5+04:00"), ["a", "c"]);
    }

    #[test]
    fn an_interval_matches_every_feature_valid_on_one_of_its_days() {
        let fs = sample();
        let on = |s: &str| ids(&run(&fs, &at_datetime(s)));
        assert_eq!(on("2021-01-01/2021-01-01"), ["a", "b", "d"]);
        assert_eq!(on("2022-03-24/2022-03-25"), ["a", "b", "c"]);
        assert_eq!(on("../2020-11-09"), ["a"]);
        assert_eq!(on("2022-03-25/.."), ["a", "c"]);
        assert_eq!(on("/2020-11-10"), ["a", "b"]);
        assert_eq!(on("2023-01-01/"), ["a", "c"]);
    }

    #[test]
    fn paging_cuts_the_matched_features_at_offset_and_limit() {
        let fs = sample();
        let page = |limit, offset| {
            let q = ItemQuery {
                limit,
                offset,
                ..ItemQuery::default()
            };
            let p = run(&fs, &q);
            (p.matched, ids(&p))
        };
        assert_eq!(page(2, 0), (4, vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(page(2, 2), (4, vec!["c".to_owned(), "d".to_owned()]));
        assert_eq!(page(2, 3), (4, vec!["d".to_owned()]));
        assert_eq!(page(2, 10), (4, vec![]));
    }
}
