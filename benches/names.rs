//! Benchmarks for names and notations: gazetteer search, coordinate
//! parsing, and annotation of a 5,000-word article. Deterministic inputs;
//! result counts are asserted so a regression in matching shows here too.
//! Needs `geodata/` (settlement files read directly, no derived layers).

use std::hint::black_box;

use contactline::annotate::annotate_text;
use contactline::dataset::{Place, PlaceProps};
use contactline::gazetteer::Gazetteer;
use contactline::geodesy::LonLat;
use criterion::{criterion_group, criterion_main, Criterion};

fn places() -> Vec<Place> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/geodata");
    let mut out = Vec::new();
    for name in ["settlements-north.geojson", "settlements-south.geojson"] {
        let text = std::fs::read_to_string(format!("{dir}/{name}")).expect("settlement file");
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        for f in v["features"].as_array().expect("features") {
            let c = &f["geometry"]["coordinates"];
            out.push(Place::new(
                LonLat::new(c[0].as_f64().expect("lon"), c[1].as_f64().expect("lat")),
                serde_json::from_value::<PlaceProps>(f["properties"].clone()).expect("props"),
                Vec::new(),
                500.0,
                true,
            ));
        }
    }
    out
}

const PARAGRAPH: &str = "STEPANAKERT, 24 March 2022 — Azerbaijani troops entered Farukh overnight, officials in \
Stepanakert said. Baku said its forces hold the heights above Fərrux. Moscow urged calm. В Степанакерте сообщили, \
что Фаррух обстрелян. Residents of Mets Shen and Martakert were told to stay indoors while talks continued in \
Brussels. The convoy stopped at 40.0194, 46.8011 before reaching Shusha and the Lachin corridor.";

fn bench(c: &mut Criterion) {
    let places = places();
    let g = Gazetteer::new(places.iter().map(Place::name_record));
    let queries = [
        "Farrukh",
        "Փառուխ",
        "Фаррух",
        "Xankəndi",
        "stepa",
        "Martakrt",
        "Mets Shen",
        "Kolkishlak",
        "zz",
    ];
    c.bench_function(
        "search 9 queries (exact, scripts, prefix, typo, miss)",
        |b| {
            b.iter(|| {
                let n: usize = queries
                    .iter()
                    .map(|q| g.search(black_box(q), 10).expect("search").len())
                    .sum();
                assert!(n >= 8);
                n
            });
        },
    );
    let notations = [
        "40°01′10″N 46°48′04″E",
        "N40.0194 E46.8011",
        "46.80, 40.02",
        "https://www.google.com/maps/@40.0194,46.8011,15z",
        "38TNK 12345 67890",
        "38N 512345 4412345",
    ];
    c.bench_function("parse 6 notations", |b| {
        b.iter(|| {
            let n = notations
                .iter()
                .filter(|s| contactline::coords::parse(black_box(s)).is_ok())
                .count();
            assert_eq!(n, 6);
            n
        });
    });
    let mut article = String::new();
    while article.split_whitespace().count() < 5_000 {
        article.push_str(PARAGRAPH);
        article.push('\n');
    }
    let paragraphs = article.lines().count();
    c.bench_function("annotate a 5,000-word article", |b| {
        b.iter(|| {
            let a = annotate_text(&g, black_box(&article), None).expect("annotate");
            assert!(
                a.mentions.len() >= 9 * paragraphs,
                "{} mentions",
                a.mentions.len()
            );
            assert_eq!(a.coordinates.len(), paragraphs);
            a.mentions.len()
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
