//! Prints the latency distribution of single verdicts (with the three nearest
//! places) on the bundled data: `cargo run --release --example latency`.
//! Complements the criterion means in `benches/locate.rs` with percentiles.

use std::path::PathBuf;
use std::time::Instant;

use contactline::dataset::Dataset;
use contactline::date::Day;
use contactline::geodesy::LonLat;
use contactline::locate::verdict_on;

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let ds = Dataset::load(&dir).expect("geodata loads");
    let day: Day = "2022-03-25".parse().expect("date");
    let n = 200_000;
    let mut ns: Vec<u128> = Vec::with_capacity(n);
    let mut inside = 0usize;
    for i in 0..n {
        let u = (i as f64 * 0.618_033_988_75).fract();
        let v = (i as f64 * 0.754_877_666_25).fract();
        let p = LonLat::new(46.3 + 0.9 * u, 39.4 + 0.9 * v);
        let t = Instant::now();
        let verdict = verdict_on(&ds, p, day, 0.0);
        let near = std::hint::black_box(ds.nearest_settlements::<3>(p));
        ns.push(t.elapsed().as_nanos());
        assert_eq!(near.1, 3);
        inside += usize::from(verdict.distance_m.is_some_and(|d| d <= 0.0));
    }
    ns.sort_unstable();
    let pct = |q: f64| ns[((n as f64 - 1.0) * q) as usize];
    println!(
        "verdict + 3 nearest places over {n} points ({inside} inside): p50 {} ns, p90 {} ns, p99 {} ns, max {} ns",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        ns[n - 1]
    );
}
