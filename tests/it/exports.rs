//! Layer exports over real HTTP (`/api/v1/layers/{id}?format=`, the bundle),
//! read back by GDAL (`ogrinfo`, `ogr2ogr`) and checked against the data set
//! the server loaded. Set `CONTACTLINE_SKIP_GDAL=1` to skip the GDAL reads.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use std::collections::BTreeMap;
use std::io::Read as _;

use contactline::date::Day;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::{gdal, gdal_skipped, TestServer};

/// Downloads `path` into a temp file named `name` and reads it with
/// `ogr2ogr` into GeoJSON features.
async fn through_gdal(s: &TestServer, path: &str, name: &str, open_options: &[&str]) -> Vec<Value> {
    let (status, _, body) = s.fetch(path).await;
    assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(name);
    std::fs::write(&input, &body).unwrap();
    let output = dir.path().join("out.geojson");
    let mut args = vec!["-f".to_owned(), "GeoJSON".to_owned()];
    for o in open_options {
        args.extend(["-oo".to_owned(), (*o).to_owned()]);
    }
    args.push(output.display().to_string());
    args.push(input.display().to_string());
    let (ok, out, err) = gdal("ogr2ogr", args).await;
    assert!(ok, "ogr2ogr {name}: {out}{err}");
    let fc: Value = serde_json::from_slice(&std::fs::read(&output).unwrap()).unwrap();
    fc["features"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_kml_layer_opens_in_gdal_with_one_placemark_per_control_interval_and_its_time_span() {
    if gdal_skipped() {
        return;
    }
    let s = TestServer::fixture().await;
    let features = through_gdal(&s, "/api/v1/layers/settlements?format=kml", "s.kml", &[]).await;
    let ds = s.state.data.load();
    let layer = ds.layer("settlements").unwrap();
    // Expected: one placemark per interval of each settlement's timeline, begin/end as in the data.
    let mut expected: Vec<(String, Option<String>, Option<String>)> = layer
        .features
        .iter()
        .flat_map(|f| {
            let place = ds.place(&f.id).unwrap();
            place.props.control.iter().map(|c| {
                (
                    f.id.clone(),
                    c.from.map(|d| d.to_string()),
                    c.to.map(|d| d.to_string()),
                )
            })
        })
        .collect();
    let day = |v: &Value| v.as_str().map(|s| s[..10].replace('/', "-"));
    let mut got: Vec<(String, Option<String>, Option<String>)> = features
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (
                p["id"].as_str().unwrap().to_owned(),
                day(&p["begin"]),
                day(&p["end"]),
            )
        })
        .collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
}

#[tokio::test]
async fn flatgeobuf_round_trips_through_gdal_with_each_place_status_on_the_date() {
    if gdal_skipped() {
        return;
    }
    let s = TestServer::fixture().await;
    let date = "2022-03-25";
    let features = through_gdal(
        &s,
        &format!("/api/v1/layers/settlements?format=fgb&date={date}"),
        "s.fgb",
        &[],
    )
    .await;
    let ds = s.state.data.load();
    let day: Day = date.parse().unwrap();
    let valid = ds
        .layer("settlements")
        .unwrap()
        .features
        .iter()
        .filter(|f| f.validity.contains(day))
        .count();
    assert_eq!(features.len(), valid);
    for f in &features {
        let id = f["properties"]["id"].as_str().unwrap();
        let place = ds.place(id).unwrap();
        let status = place
            .props
            .status_on(day)
            .map(contactline::dataset::ControlStatus::as_str);
        assert_eq!(f["properties"]["status_on_date"].as_str(), status, "{id}");
        let xy = f["geometry"]["coordinates"].as_array().unwrap();
        assert!(
            (xy[0].as_f64().unwrap() - place.at.lon).abs() < 1e-9,
            "{id}"
        );
        assert!(
            (xy[1].as_f64().unwrap() - place.at.lat).abs() < 1e-9,
            "{id}"
        );
    }
}

#[tokio::test]
async fn a_csv_of_a_point_layer_round_trips_through_gdal_with_names_in_the_chosen_language() {
    if gdal_skipped() {
        return;
    }
    let s = TestServer::fixture().await;
    let features = through_gdal(
        &s,
        "/api/v1/layers/settlements?format=csv&lang=hy",
        "s.csv",
        &["X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat"],
    )
    .await;
    let ds = s.state.data.load();
    assert_eq!(
        features.len(),
        ds.layer("settlements").unwrap().features.len()
    );
    for f in &features {
        let id = f["properties"]["id"].as_str().unwrap();
        let place = ds.place(id).unwrap();
        assert_eq!(
            f["properties"]["name"].as_str(),
            Some(place.props.names["hy"][0].as_str())
        );
        let xy = f["geometry"]["coordinates"].as_array().unwrap();
        assert!(
            (xy[0].as_f64().unwrap() - place.at.lon).abs() < 1e-9,
            "{id}"
        );
    }
}

#[tokio::test]
async fn a_csv_of_an_area_layer_or_an_unknown_format_or_language_is_a_400_naming_the_parameter() {
    let s = TestServer::fixture().await;
    for (path, parameter) in [
        ("/api/v1/layers/zone?format=csv", "format"),
        ("/api/v1/layers/zone?format=shp", "format"),
        ("/api/v1/layers/settlements?format=kml&lang=fr", "lang"),
    ] {
        let (status, _, body) = s.fetch(path).await;
        assert_eq!(status, 400, "{path}");
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["error"]["code"], "invalid_parameter", "{path}");
        assert_eq!(v["error"]["parameter"], parameter, "{path}");
    }
}

#[tokio::test]
async fn the_bundle_holds_every_layer_in_every_format_it_fits_and_its_checksums_verify() {
    let s = TestServer::fixture().await;
    let (status, ctype, body) = s.fetch("/api/v1/dataset/bundle").await;
    assert_eq!(status, 200);
    assert_eq!(ctype, "application/zip");
    let (_, _, again) = s.fetch("/api/v1/dataset/bundle").await;
    assert!(body == again, "the same data set must give the same bytes");

    let ds = s.state.data.load();
    let top = format!("contactline-geodata-{}", ds.version);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(body)).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry
            .name()
            .unwrap()
            .strip_prefix(&format!("{top}/"))
            .unwrap()
            .to_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.insert(name, bytes);
    }
    for layer in &ds.layers {
        let id = &layer.meta.id;
        let mut formats = vec!["geojson", "kml", "fgb"];
        if layer.meta.geometry_type == "Point" {
            formats.push("csv");
        }
        for ext in formats {
            let name = format!("layers/contactline-{id}.{ext}");
            assert!(files.contains_key(&name), "missing {name}");
        }
    }
    let sums = String::from_utf8(files["SHA256SUMS"].clone()).unwrap();
    assert_eq!(
        sums.lines().count(),
        files.len() - 1,
        "one line per other file"
    );
    for line in sums.lines() {
        let (sum, name) = line.split_once("  ").unwrap();
        assert_eq!(sum, hex::encode(Sha256::digest(&files[name])), "{name}");
    }
}
