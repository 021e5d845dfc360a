//! Scaling benchmark: how the boundary search — inside/outside and the signed
//! geodesic distance to the boundary, the part of a verdict whose cost depends
//! on the boundary — behaves as a boundary grows from 10² to 10⁶ vertices.
//!
//! Each boundary is the same synthetic, star-shaped region near the bundled
//! data (about 40 km across on average), digitised at a finer resolution: a
//! fixed sum of seeded harmonics gives its shape and seeded per-vertex jitter
//! of a quarter of the vertex spacing makes it rough at every scale, as a
//! boundary traced at a higher resolution is. Per size it prints and writes to
//! `target/bench/scaling.csv`: the index build time, the heap the index holds
//! after the build and after the queries (the candidate grid fills on first
//! use), the mean of the first pass over the query points (which fills the
//! grid), and the p50/p99/mean of a second, warm pass; then the mean by the
//! point's distance to the boundary (`target/bench/scaling-bands.csv`), as
//! a point's distance sets how much of a dense boundary competes to be its
//! nearest edge. Each query is timed
//! alone with `Instant` (about 20–30 ns of the figures are the clock); the
//! build and the passes' means are the thread's CPU time, which a busy
//! machine inflates much less than the wall clock. Percentiles are wall
//! time: on a shared machine the p99 includes being descheduled.
//!
//! `SCALING_SIZES=100,1000` picks sizes; `SCALING_ROUGHNESS=0` draws the same
//! shape without the jitter (its peak-to-peak height as a fraction of the
//! vertex spacing, 0.5 by default), to tell the index's cost from the
//! roughness's; `SCALING_EXPORT=DIR` also writes each
//! boundary as EWKT, the query points and our answers as CSV, for
//! `benches/compare.sh` (`make bench-compare`) to ask PostGIS the same.
//! Inputs are deterministic (seeded) and answers are checked against
//! `geo`'s point-in-polygon on a sample, so a benchmark that does less work
//! or answers wrongly fails. Run by `cargo test --all-targets` (no `--bench`
//! argument), it only checks the two smallest sizes on 2,000 points and
//! writes nothing, as criterion's benches do in test mode.

use std::alloc::System;
use std::fmt::Write as _;
use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use cap::Cap;
use contactline::geodesy::{metres_per_degree, LonLat};
use contactline::index::RegionIndex;
use cpu_time::ThreadTime;
use geo::coordinate_position::CoordPos;
use geo::{Coord, CoordinatePosition, LineString, Polygon};

/// Counts the heap in use, so the index's footprint can be read before and
/// after building it.
#[global_allocator]
static HEAP: Cap<System> = Cap::new(System, usize::MAX);

/// The region's centre: the middle of the bundled data, where the index's
/// fixed plane is centred.
const CENTRE: LonLat = LonLat::new(46.75, 39.8);
/// Mean radius of the synthetic region, metres.
const RADIUS_M: f64 = 40_000.0;
/// Harmonics giving the shape (the same at every size).
const HARMONICS: usize = 48;
/// Query points: up to this many per size, fewer for the largest boundaries
/// (see [`points_for`]) so that each size takes seconds, not minutes.
const POINTS: usize = 20_000;
/// Points whose answers are checked against `geo` (costly at 10⁶ vertices).
const CHECKED: usize = 200;
/// Upper ends of the distance bands, metres from the boundary: near the line,
/// where verdicts are uncertain, to far inside or outside.
const BANDS_M: [f64; 4] = [100.0, 1_000.0, 5_000.0, f64::INFINITY];
/// Queries per band, the band's points repeated as needed.
const BAND_QUERIES: usize = 20_000;
/// Seed of the shape, the jitter and the points.
const SEED: u64 = 0x5ca1_ab1e;

/// The boundary with `n` vertices (closed ring, `n + 1` positions), each moved
/// off the smooth shape by seeded jitter of up to `roughness` / 2 of the
/// vertex spacing either way.
fn boundary(n: usize, roughness: f64) -> Vec<LonLat> {
    let mut shape = fastrand::Rng::with_seed(SEED);
    // Amplitudes fall off as 1/k, normalised so the radius stays within
    // 0.45..1.55 of the mean: the ring stays star-shaped, hence simple.
    let mut waves: Vec<(f64, f64)> = (2..HARMONICS + 2)
        .map(|k| (1.0 / k as f64, shape.f64() * std::f64::consts::TAU))
        .collect();
    let total: f64 = waves.iter().map(|w| w.0).sum();
    for w in &mut waves {
        w.0 *= 0.5 / total;
    }
    let mut jitter = fastrand::Rng::with_seed(SEED ^ n as u64);
    let spacing = std::f64::consts::TAU / n as f64;
    let (kx, ky) = metres_per_degree(CENTRE.lat);
    let mut ring: Vec<LonLat> = (0..n)
        .map(|i| {
            let theta = i as f64 * spacing;
            let wave: f64 = waves
                .iter()
                .enumerate()
                .map(|(k, (a, phase))| a * ((k + 2) as f64 * theta + phase).sin())
                .sum();
            let rough = (jitter.f64() - 0.5) * roughness * spacing;
            let r = RADIUS_M * (1.0 + wave + rough);
            LonLat::new(
                CENTRE.lon + r * theta.cos() / kx,
                CENTRE.lat + r * theta.sin() / ky,
            )
        })
        .collect();
    ring.push(ring[0]);
    ring
}

/// Seeded query points, uniform over a square of 1.6 mean radii either side
/// of the centre: inside, outside, near and far from the boundary.
fn points() -> Vec<LonLat> {
    let mut rng = fastrand::Rng::with_seed(SEED.rotate_left(17));
    let (kx, ky) = metres_per_degree(CENTRE.lat);
    let half = 1.6 * RADIUS_M;
    (0..POINTS)
        .map(|_| {
            let x = (rng.f64() * 2.0 - 1.0) * half;
            let y = (rng.f64() * 2.0 - 1.0) * half;
            LonLat::new(CENTRE.lon + x / kx, CENTRE.lat + y / ky)
        })
        .collect()
}

/// How many of the query points a boundary of `n` vertices answers: all up
/// to 10⁴ vertices, then in inverse proportion to `n`, at least 1,000
/// (every size answers a prefix of the same sequence).
fn points_for(n: usize) -> usize {
    (200_000_000 / n.max(1)).clamp(1_000, POINTS)
}

/// Nanoseconds at a quantile of sorted timings.
fn quantile(sorted: &[u64], q: f64) -> u64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// What one size measured.
struct Row {
    vertices: usize,
    build_ms: f64,
    heap_built_mb: f64,
    heap_warm_mb: f64,
    cold_mean_ns: f64,
    p50_ns: u64,
    p99_ns: u64,
    mean_ns: f64,
    inside: usize,
    points: usize,
    /// Per band of [`BANDS_M`]: its points and their mean thread time, ns.
    bands: Vec<(usize, f64)>,
}

/// The mean CPU time per point of the points in each band of [`BANDS_M`],
/// each band's points queried together [`BAND_QUERIES`] times over.
fn band_means(index: &RegionIndex, pts: &[LonLat], answers: &[(bool, f64)]) -> Vec<(usize, f64)> {
    let mut lower = 0.0;
    BANDS_M
        .iter()
        .map(|&upper| {
            let band: Vec<LonLat> = pts
                .iter()
                .zip(answers)
                .filter(|(_, a)| (lower..upper).contains(&a.1.abs()))
                .map(|(p, _)| *p)
                .collect();
            lower = upper;
            if band.is_empty() {
                return (0, f64::NAN);
            }
            let rounds = BAND_QUERIES.div_ceil(band.len());
            let t = ThreadTime::now();
            for _ in 0..rounds {
                for &p in &band {
                    black_box(index.signed_distance(black_box(p)));
                }
            }
            let mean = t.elapsed().as_nanos() as f64 / (rounds * band.len()) as f64;
            (band.len(), mean)
        })
        .collect()
}

fn run(n: usize, roughness: f64, pts: &[LonLat], export: Option<&Path>) -> Row {
    let pts = &pts[..points_for(n).min(pts.len())];
    let ring = boundary(n, roughness);
    let accuracy = vec![vec![1_000.0; n]];
    let before = HEAP.allocated();
    let t = ThreadTime::now();
    let index = RegionIndex::new(std::slice::from_ref(&ring), &accuracy);
    let build_ms = t.elapsed().as_secs_f64() * 1e3;
    let heap_built = HEAP.allocated() - before;
    assert_eq!(index.edge_count(), n);

    // First pass: fills the grid cells the points fall in.
    let t = ThreadTime::now();
    let answers: Vec<(bool, f64)> = pts
        .iter()
        .map(|&p| {
            let (d, hit) = index.signed_distance(p).expect("non-empty region");
            (hit.inside, d)
        })
        .collect();
    let cold_mean_ns = t.elapsed().as_nanos() as f64 / pts.len() as f64;
    let heap_warm = HEAP.allocated() - before;

    // Second pass, warm: each query timed alone.
    let mut ns = Vec::with_capacity(pts.len());
    let t = ThreadTime::now();
    for &p in pts {
        let q = Instant::now();
        black_box(index.signed_distance(black_box(p)));
        ns.push(q.elapsed().as_nanos() as u64);
    }
    let mean_ns = t.elapsed().as_nanos() as f64 / pts.len() as f64;
    ns.sort_unstable();
    let bands = band_means(&index, pts, &answers);

    // The answers, checked on a sample against geo's point-in-polygon.
    let polygon = Polygon::new(
        LineString::from(ring.iter().map(|p| (p.lon, p.lat)).collect::<Vec<_>>()),
        vec![],
    );
    for (p, &(inside, d)) in pts.iter().zip(&answers).take(CHECKED) {
        let pos = polygon.coordinate_position(&Coord { x: p.lon, y: p.lat });
        assert_eq!(inside, pos != CoordPos::Outside, "{n} vertices: {p:?}");
        assert_eq!(inside, d <= 0.0, "{n} vertices: {p:?}");
    }
    let inside = answers.iter().filter(|a| a.0).count();
    assert!(
        (pts.len() / 5..pts.len() * 4 / 5).contains(&inside),
        "{inside} of {} inside",
        pts.len()
    );

    if let Some(dir) = export {
        write_export(dir, n, &ring, &answers).expect("export written");
    }
    Row {
        vertices: n,
        build_ms,
        heap_built_mb: heap_built as f64 / 1e6,
        heap_warm_mb: heap_warm as f64 / 1e6,
        cold_mean_ns,
        p50_ns: quantile(&ns, 0.5),
        p99_ns: quantile(&ns, 0.99),
        mean_ns,
        inside,
        points: pts.len(),
        bands,
    }
}

/// The boundary as EWKT and our answers as CSV (`id,inside,distance_m`).
fn write_export(
    dir: &Path,
    n: usize,
    ring: &[LonLat],
    answers: &[(bool, f64)],
) -> std::io::Result<()> {
    let mut wkt = String::with_capacity(ring.len() * 40);
    wkt.push_str("SRID=4326;POLYGON((");
    for (i, p) in ring.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(wkt, "{sep}{} {}", p.lon, p.lat);
    }
    wkt.push_str("))\n");
    fs::write(dir.join(format!("boundary-{n}.ewkt")), wkt)?;
    let mut csv = String::from("id,inside,distance_m\n");
    for (i, (inside, d)) in answers.iter().enumerate() {
        let _ = writeln!(csv, "{},{inside},{d:.3}", i + 1);
    }
    fs::write(dir.join(format!("answers-{n}.csv")), csv)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test` does not.
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let default_sizes = if benchmarking {
        "100,1000,10000,100000,1000000"
    } else {
        "100,1000"
    };
    let sizes: Vec<usize> = std::env::var("SCALING_SIZES")
        .unwrap_or_else(|_| default_sizes.into())
        .split(',')
        .map(|s| s.trim().parse().expect("SCALING_SIZES: numbers"))
        .collect();
    let roughness: f64 = std::env::var("SCALING_ROUGHNESS").map_or(0.5, |s| {
        s.trim().parse().expect("SCALING_ROUGHNESS: a number")
    });
    let export = std::env::var_os("SCALING_EXPORT").map(PathBuf::from);
    let mut pts = points();
    if !benchmarking {
        pts.truncate(2_000);
    }
    if let Some(dir) = &export {
        fs::create_dir_all(dir).expect("export dir");
        let mut csv = String::from("id,lon,lat\n");
        for (i, p) in pts.iter().enumerate() {
            let _ = writeln!(csv, "{},{},{}", i + 1, p.lon, p.lat);
        }
        fs::write(dir.join("points.csv"), csv).expect("points written");
    }

    let header = "vertices,build_ms,heap_built_mb,heap_warm_mb,cold_mean_ns,p50_ns,p99_ns,mean_ns,inside,points";
    println!(
        "{:>9} {:>10} {:>10} {:>10} {:>11} {:>8} {:>8} {:>8}  inside of points",
        "vertices", "build ms", "heap MB", "warm MB", "cold mean", "p50 ns", "p99 ns", "mean ns"
    );
    let mut csv = format!("{header}\n");
    let mut band_rows = Vec::new();
    for n in sizes {
        let r = run(n, roughness, &pts, export.as_deref());
        println!(
            "{:>9} {:>10.2} {:>10.2} {:>10.2} {:>11.0} {:>8} {:>8} {:>8.0}  {} of {}",
            r.vertices,
            r.build_ms,
            r.heap_built_mb,
            r.heap_warm_mb,
            r.cold_mean_ns,
            r.p50_ns,
            r.p99_ns,
            r.mean_ns,
            r.inside,
            r.points
        );
        let _ = writeln!(
            csv,
            "{},{:.3},{:.3},{:.3},{:.0},{},{},{:.0},{},{}",
            r.vertices,
            r.build_ms,
            r.heap_built_mb,
            r.heap_warm_mb,
            r.cold_mean_ns,
            r.p50_ns,
            r.p99_ns,
            r.mean_ns,
            r.inside,
            r.points
        );
        band_rows.push((r.vertices, r.bands));
    }
    println!("\nmean ns per point by distance to the boundary (points in the band):");
    println!(
        "{:>9} {:>15} {:>15} {:>15} {:>15}",
        "vertices", "< 100 m", "100 m - 1 km", "1 - 5 km", ">= 5 km"
    );
    let mut band_csv = String::from("vertices,band_upper_m,points,mean_ns\n");
    for (n, bands) in &band_rows {
        let cells: Vec<String> = bands
            .iter()
            .map(|(count, mean)| format!("{mean:.0} ({count})"))
            .collect();
        println!(
            "{n:>9} {:>15} {:>15} {:>15} {:>15}",
            cells[0], cells[1], cells[2], cells[3]
        );
        for (upper, (count, mean)) in BANDS_M.iter().zip(bands) {
            let _ = writeln!(band_csv, "{n},{upper},{count},{mean:.0}");
        }
    }
    if !benchmarking {
        return;
    }
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    fs::create_dir_all(&out).expect("target/bench");
    fs::write(out.join("scaling.csv"), csv).expect("scaling.csv written");
    fs::write(out.join("scaling-bands.csv"), band_csv).expect("scaling-bands.csv written");
    println!("written: {}", out.join("scaling.csv").display());
}
