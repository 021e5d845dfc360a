//! Search honesty on the curated data: real misspellings (from the press and
//! the sources, `tests/fixtures/search/misspellings.json`) find their place
//! in the top three; 200 random strings (`random.txt`) and typos of short
//! names find nothing, so "no plausible match" is an empty answer.

use std::sync::OnceLock;

use contactline::dataset::Dataset;
use contactline::gazetteer::MIN_SCORE;

use crate::common::real_geodata_dir;

fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| Dataset::load(&real_geodata_dir()).expect("geodata loads"))
}

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/search")
        .join(name);
    std::fs::read_to_string(path).expect("fixture")
}

#[test]
fn every_committed_misspelling_finds_its_place_in_the_top_three() {
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(&fixture("misspellings.json")).expect("json");
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let ds = dataset();
    let misses: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            let q = c["query"].as_str().expect("query");
            let id = c["id"].as_str().expect("id");
            let hits = ds.gazetteer.search(q, 3).expect("search");
            (!hits.iter().any(|h| h.id == id)).then(|| {
                format!(
                    "{q} -> {:?}, wanted {id}",
                    hits.iter().map(|h| (h.id, h.score)).collect::<Vec<_>>()
                )
            })
        })
        .collect();
    assert_eq!(misses, Vec::<String>::new());
}

#[test]
fn none_of_200_random_strings_matches_any_place() {
    let text = fixture("random.txt");
    let queries: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert_eq!(queries.len(), 200);
    let ds = dataset();
    let matched: Vec<String> = queries
        .iter()
        .filter_map(|q| {
            let hits = ds.gazetteer.search(q, 3).expect("search");
            (!hits.is_empty()).then(|| {
                format!(
                    "{q} -> {:?}",
                    hits.iter()
                        .map(|h| (h.id, h.score, h.matched.form.as_str()))
                        .collect::<Vec<_>>()
                )
            })
        })
        .collect();
    assert_eq!(matched, Vec::<String>::new());
}

#[test]
fn typos_of_short_names_do_not_match_unrelated_long_names() {
    let ds = dataset();
    // Places far from the zone (Nakhchivan) stand for villages the data lacks.
    for q in ["xqzv", "qzvx", "Abrakunis", "Ordubad", "Shahbuz"] {
        let hits = ds.gazetteer.search(q, 5).expect("search");
        assert_eq!(
            hits.iter().map(|h| h.id).collect::<Vec<_>>(),
            Vec::<&str>::new(),
            "{q}"
        );
    }
}

#[test]
fn every_returned_score_is_at_least_the_documented_minimum() {
    let ds = dataset();
    for q in ["Stepa", "Shus", "Agdam", "Farukh", "Martuni", "kar"] {
        let hits = ds.gazetteer.search(q, 50).expect("search");
        assert!(!hits.is_empty(), "{q}");
        let low: Vec<f64> = hits
            .iter()
            .map(|h| h.score)
            .filter(|s| *s < MIN_SCORE)
            .collect();
        assert_eq!(low, Vec::<f64>::new(), "{q}");
    }
}
