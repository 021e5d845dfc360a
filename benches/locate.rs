//! Criterion benchmarks of the verdict engine on the bundled data: one
//! verdict in process, a 100k-point batch, the full report, and data load.
//! Inputs are deterministic; result counts are asserted so a benchmark that
//! silently does less work fails.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use contactline::dataset::Dataset;
use contactline::date::Day;
use contactline::geodesy::LonLat;
use contactline::locate::{report, verdict_on, Status};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn geodata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("geodata")
}

/// `n` points on a deterministic low-discrepancy sequence over the zone's
/// surroundings (lon 46.3–47.2, lat 39.4–40.3).
fn points(n: usize) -> Vec<LonLat> {
    (0..n)
        .map(|i| {
            let u = (i as f64 * 0.618_033_988_75).fract();
            let v = (i as f64 * 0.754_877_666_25).fract();
            LonLat::new(46.3 + 0.9 * u, 39.4 + 0.9 * v)
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let ds = Dataset::load(&geodata()).expect("geodata loads");
    let day: Day = "2022-03-25".parse().expect("date");
    let pts = points(100_000);

    // Sanity: the mix has points on every side of the line.
    let inside = pts
        .iter()
        .filter(|p| verdict_on(&ds, **p, day, 0.0).status == Status::InsideZone)
        .count();
    assert!(
        inside > 10_000 && inside < 90_000,
        "{inside} of 100k inside"
    );

    let mut g = c.benchmark_group("locate");
    g.throughput(Throughput::Elements(1));
    let mut i = 0usize;
    g.bench_function("verdict_with_nearest_places", |b| {
        b.iter(|| {
            i = (i + 1) % pts.len();
            let p = pts[i];
            let v = verdict_on(&ds, black_box(p), day, 0.0);
            let near = ds.nearest_settlements::<3>(p);
            assert_eq!(near.1, 3);
            black_box((v.status, v.distance_m, near))
        });
    });
    g.bench_function("full_report_with_timeline", |b| {
        b.iter(|| {
            i = (i + 1) % pts.len();
            let r = report(&ds, black_box(pts[i]), Some(day), 0.0);
            assert_eq!(r.nearest_places.len(), 3);
            black_box(r)
        });
    });
    g.finish();

    let mut g = c.benchmark_group("batch");
    g.throughput(Throughput::Elements(pts.len() as u64));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    g.bench_function("100k_verdicts", |b| {
        b.iter(|| {
            let n = pts
                .iter()
                .map(|p| verdict_on(&ds, *p, day, 0.0))
                .filter(|v| v.status != Status::NoZone)
                .count();
            assert_eq!(n, pts.len());
            n
        });
    });
    g.finish();

    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("dataset", |b| {
        b.iter(|| {
            let ds = Dataset::load(&geodata()).expect("loads");
            assert!(ds.places.len() >= 150);
            ds
        });
    });
    g.finish();
}

criterion_group!(locate_benches, benches);
criterion_main!(locate_benches);
