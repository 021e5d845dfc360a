//! Filtering and paging the features of one layer: pure, so the rules are
//! unit-tested without HTTP.

use geo::Intersects;

use super::query::{Bbox, ItemQuery};
use crate::dataset::Feature;

/// One page of matching features.
#[derive(Debug)]
pub struct Page<'a> {
    /// How many features match the filters in all.
    pub matched: usize,
    /// The features of this page, in layer order.
    pub features: Vec<&'a Feature>,
}

/// Filters `features` by bbox (envelope first, then an exact intersection
/// test) and datetime, then cuts the page at `offset`/`limit`.
pub fn select<'a>(features: &'a [Feature], q: &ItemQuery) -> Page<'a> {
    let rects = q.bbox.map(Bbox::rects);
    let hit = |f: &Feature| {
        q.datetime.is_none_or(|d| d.matches(f))
            && q.bbox.is_none_or(|b| {
                b.envelope_hits(&f.bbox) && rects.iter().flatten().any(|r| f.geometry.intersects(r))
            })
    };
    let mut matched = 0;
    let mut page = Vec::with_capacity(q.limit.min(features.len()));
    for f in features.iter().filter(|f| hit(f)) {
        if matched >= q.offset && page.len() < q.limit {
            page.push(f);
        }
        matched += 1;
    }
    Page {
        matched,
        features: page,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::api::ogc::query::{parse_bbox, parse_datetime};
    use crate::date::{Day, Validity};

    fn day(s: &str) -> Day {
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
            json: format!("{{\"id\":\"{id}\"}}"),
        }
    }

    fn ids(page: &Page<'_>) -> Vec<String> {
        page.features.iter().map(|f| f.id.clone()).collect()
    }

    fn sample() -> Vec<Feature> {
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
        let q = ItemQuery {
            bbox: Some(parse_bbox("46.75,39.75,46.85,39.85").unwrap()),
            ..ItemQuery::default()
        };
        assert_eq!(ids(&select(&fs, &q)), ["b"]);
    }

    #[test]
    fn a_bbox_across_the_antimeridian_wraps_around() {
        let fs = sample();
        let q = ItemQuery {
            bbox: Some(parse_bbox("179,-1,-179,1").unwrap()),
            ..ItemQuery::default()
        };
        assert_eq!(ids(&select(&fs, &q)), ["d"]);
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
        let corner = ItemQuery {
            bbox: Some(parse_bbox("1.4,1.4,1.6,1.6").unwrap()),
            ..ItemQuery::default()
        };
        assert_eq!(select(&fs, &corner).matched, 0);
        let arm = ItemQuery {
            bbox: Some(parse_bbox("0.4,1.4,0.6,1.6").unwrap()),
            ..ItemQuery::default()
        };
        assert_eq!(select(&fs, &arm).matched, 1);
    }

    #[test]
    fn an_instant_matches_features_valid_that_day_with_valid_to_exclusive() {
        let fs = sample();
        let on = |s: &str| {
            let q = ItemQuery {
                datetime: Some(parse_datetime(s).unwrap()),
                ..ItemQuery::default()
            };
            ids(&select(&fs, &q))
        };
        assert_eq!(on("2022-03-24"), ["a", "b"]);
        assert_eq!(on("2022-03-25"), ["a", "c"]);
        assert_eq!(on("2022-03-25T00:00:00Z"), ["a", "c"]);
        assert_eq!(on("2022-03-25T23:59:59.5+04:00"), ["a", "c"]);
    }

    #[test]
    fn an_interval_matches_every_feature_valid_on_one_of_its_days() {
        let fs = sample();
        let on = |s: &str| {
            let q = ItemQuery {
                datetime: Some(parse_datetime(s).unwrap()),
                ..ItemQuery::default()
            };
            ids(&select(&fs, &q))
        };
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
            let p = select(&fs, &q);
            (p.matched, ids(&p))
        };
        assert_eq!(page(2, 0), (4, vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(page(2, 2), (4, vec!["c".to_owned(), "d".to_owned()]));
        assert_eq!(page(2, 3), (4, vec!["d".to_owned()]));
        assert_eq!(page(2, 10), (4, vec![]));
    }
}
