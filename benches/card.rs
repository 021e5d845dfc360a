//! The verdict card's render time on the bundled data: a 1200x630 PNG (the
//! social-preview size) and its SVG alone, for a point near Stepanakert /
//! Khankendi. The PNG is decoded once to check the benchmark renders a real
//! card. Target from issue 15: p50 of the PNG at most 50 ms on the 2-core
//! machine; criterion prints the median.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use contactline::card::{self, CardSpec};
use contactline::dataset::Dataset;
use contactline::export::Lang;
use contactline::geodesy::LonLat;
use criterion::{criterion_group, criterion_main, Criterion};

fn benches(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let ds = Dataset::load(&dir).expect("geodata loads");
    let spec = CardSpec {
        at: LonLat::new(46.7519, 39.8153),
        day: "2022-03-25".parse().expect("date"),
        uncertainty_m: 2_000.0,
        lang: Lang::Hy,
        size: card::SOCIAL,
        link_base: "http://127.0.0.1:8080".to_owned(),
    };
    let png = card::png(&ds, &spec).expect("renders");
    assert_eq!(&png[1..4], b"PNG", "a PNG");
    assert!(png.len() > 20_000, "a card with a map, not a blank image");

    let mut g = c.benchmark_group("card");
    g.measurement_time(Duration::from_secs(8)).sample_size(30);
    g.bench_function("svg_1200x630", |b| {
        b.iter(|| black_box(card::svg(&ds, &spec)));
    });
    g.bench_function("png_1200x630", |b| {
        b.iter(|| black_box(card::png(&ds, &spec).expect("renders")));
    });
    g.finish();
}

criterion_group!(card_benches, benches);
criterion_main!(card_benches);
