//! The verdict card over real HTTP: the headline for points inside, outside,
//! near the boundary and on a date without a zone; the PNG decoded (size, not
//! blank, the marker's colour at the point); labels in the chosen language;
//! the same inputs giving the same bytes; an SVG snapshot; each place labelled
//! once when the data set holds fewer settlements than the card labels.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use resvg::tiny_skia::Pixmap;

use crate::common::{client, TestServer};

async fn get(s: &TestServer, query: &str) -> (u16, String, Vec<u8>) {
    s.fetch(&format!("/api/v1/card?{query}")).await
}

/// The fill of the point marker (the one circle of radius 10) in the SVG.
fn marker_fill(svg: &str) -> [u8; 3] {
    let at = svg.find(r##"r="10.0" fill="#"##).expect("a marker");
    let hex = &svg[at + 16..at + 22];
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
    [byte(0), byte(2), byte(4)]
}

#[tokio::test]
async fn each_kind_of_verdict_gets_its_headline_and_its_colour_at_the_point() {
    let s = TestServer::fixture().await;
    for (query, headline) in [
        (
            "lat=39.80&lon=46.75&date=2022-03-01",
            "Inside the Russian peacekeeping zone",
        ),
        (
            "lat=39.80&lon=46.95&date=2022-03-01",
            "Outside the peacekeeping zone",
        ),
        (
            "lat=39.80&lon=46.845&date=2022-03-01",
            "Uncertain: near the boundary",
        ),
        (
            "lat=39.80&lon=46.75&date=2024-01-01",
            "No peacekeeping zone on this date",
        ),
    ] {
        let (status, ctype, svg) = get(&s, &format!("{query}&format=svg")).await;
        assert_eq!((status, ctype.as_str()), (200, "image/svg+xml"), "{query}");
        let svg = String::from_utf8(svg).unwrap();
        let title = svg
            .split("<title>")
            .nth(1)
            .unwrap()
            .split(':')
            .next()
            .unwrap();
        assert!(
            headline.starts_with(title),
            "{query}: '{title}' is not '{headline}'"
        );

        let (status, ctype, png) = get(&s, query).await;
        assert_eq!((status, ctype.as_str()), (200, "image/png"), "{query}");
        let pixmap = Pixmap::decode_png(&png).unwrap();
        assert_eq!((pixmap.width(), pixmap.height()), (1200, 630));
        let colours: std::collections::BTreeSet<[u8; 4]> = pixmap
            .pixels()
            .iter()
            .map(|p| [p.red(), p.green(), p.blue(), p.alpha()])
            .collect();
        assert!(colours.len() > 50, "{query}: a nearly blank card");
        // The map fills the left 630 px square; the point is its centre.
        let p = pixmap.pixel(315, 315).unwrap();
        assert_eq!([p.red(), p.green(), p.blue()], marker_fill(&svg), "{query}");
    }
}

#[tokio::test]
async fn armenian_labels_come_with_lang_hy_and_the_same_inputs_give_the_same_bytes() {
    // The curated data, whose Armenian names are in Armenian script.
    let s = TestServer::start(crate::common::config(&crate::common::real_geodata_dir())).await;
    let ds = s.state.data.load();
    let at = contactline::geodesy::LonLat::new(46.7519, 39.8153);
    let day = "2022-03-25".parse().unwrap();
    let nearest = contactline::locate::report(&ds, at, Some(day), 0.0).nearest_places[0].id;
    let hy_name = ds.place(nearest).unwrap().props.names["hy"][0].clone();
    assert!(hy_name
        .chars()
        .any(|c| ('\u{0531}'..='\u{0587}').contains(&c)));
    let query = "lat=39.8153&lon=46.7519&date=2022-03-25";
    let (_, _, en) = get(&s, &format!("{query}&format=svg&lang=en")).await;
    let (_, _, hy) = get(&s, &format!("{query}&format=svg&lang=hy")).await;
    let (en, hy) = (
        String::from_utf8(en).unwrap(),
        String::from_utf8(hy).unwrap(),
    );
    assert!(!en.contains(&hy_name) && hy.contains(&hy_name), "{hy_name}");
    let (_, _, png_hy) = get(&s, &format!("{query}&lang=hy")).await;
    let (_, _, again) = get(&s, &format!("{query}&lang=hy")).await;
    assert!(png_hy == again, "rendering must be deterministic");
    let (_, _, square) = get(&s, &format!("{query}&size=square")).await;
    let square = Pixmap::decode_png(&square).unwrap();
    assert_eq!((square.width(), square.height()), (1080, 1080));
}

#[tokio::test]
async fn a_card_without_a_date_or_with_a_bad_size_is_a_400_naming_the_parameter() {
    let s = TestServer::fixture().await;
    for (query, parameter) in [
        ("lat=39.80&lon=46.75", "date"),
        ("lat=39.80&lon=46.75&date=2022-03-01&size=99999x2", "size"),
        ("lat=39.80&lon=46.75&date=2022-03-01&format=gif", "format"),
        ("lat=99&lon=46.75&date=2022-03-01", "lat"),
    ] {
        let (status, _, body) = get(&s, query).await;
        assert_eq!(status, 400, "{query}");
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["error"]["parameter"], parameter, "{query}");
    }
}

#[tokio::test]
async fn the_card_svg_for_a_point_in_the_zone() {
    let s = TestServer::fixture().await;
    let (_, _, svg) = get(&s, "lat=39.80&lon=46.75&date=2022-03-01&format=svg").await;
    // The port and data version vary between runs; the drawing must not.
    let svg = String::from_utf8(svg).unwrap();
    let svg = svg.replace(&s.addr.to_string(), "HOST");
    let version = s.state.data.load().version.clone();
    insta::assert_snapshot!(svg.replace(&version, "VERSION"));
}

#[tokio::test]
async fn a_permalink_with_a_checked_point_previews_its_verdict_to_a_crawler() {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(
        web.path().join("index.html"),
        "<!doctype html><html><head><title>contactline</title></head><body></body></html>",
    )
    .unwrap();
    let mut config = crate::common::config(&crate::common::fixture_dir());
    config.web_dir = web.path().to_path_buf();
    let s = TestServer::start(config).await;
    let page = |q: &'static str| {
        let url = s.url(&format!("/?{q}"));
        async move {
            client()
                .get(url)
                .header("user-agent", "facebookexternalhit/1.1")
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let html = page("date=2022-03-01&pt=39.80000,46.75000&z=9").await;
    assert!(
        html.contains(r#"<meta property="og:title" content="Inside the Russian peacekeeping zone: 39.8000° N, 46.7500° E on 1 March 2022">"#),
        "{html}"
    );
    let image = html
        .split(r#"<meta property="og:image" content=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    let resp = client().get(&image).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200, "{image}");
    assert_eq!(resp.headers()["content-type"], "image/png");
    // A point picked as a place counts the place's accuracy (100 m here) in
    // the card's uncertainty; a place id that is not at the point does not.
    let image_of = |html: &str| {
        html.split(r#"<meta property="og:image" content=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .replace("&amp;", "&")
    };
    let picked = page("date=2022-03-01&pt=39.80000,46.75000&pl=centre").await;
    assert!(
        image_of(&picked).ends_with("&uncertainty_m=100"),
        "{picked}"
    );
    let elsewhere = page("date=2022-03-01&pt=39.80000,46.75000&pl=zone-s").await;
    assert!(
        image_of(&elsewhere).ends_with("&uncertainty_m=0"),
        "{elsewhere}"
    );
    // Without a checked point the page is served as it is.
    let plain = page("date=2022-03-01").await;
    assert!(!plain.contains("og:title") && plain.contains("<title>contactline</title>"));
}

#[test]
fn with_fewer_settlements_than_the_card_asks_for_each_is_labelled_once() {
    // The card asks for the twelve nearest settlements; this data set has two.
    let ds = crate::names_api::dataset();
    let spec = contactline::card::CardSpec {
        at: contactline::geodesy::LonLat::new(46.80, 40.01),
        day: "2021-06-01".parse().unwrap(),
        uncertainty_m: 0.0,
        lang: contactline::export::Lang::En,
        size: (1200, 630),
        link_base: "http://127.0.0.1".into(),
    };
    let svg = contactline::card::svg(&ds, &spec);
    let labels = |name: &str| svg.matches(&format!(">{name}</text>")).count();
    assert_eq!(labels("Parukh"), 1, "{svg}");
    assert!(labels("Stepanakert") <= 1, "{svg}");
}

/// `contactline card` takes what `locate` takes: a place name draws the same
/// card as the HTTP `card?q=`, its position accuracy counted alike. An
/// output name that is neither `.png` nor `.svg` is refused before drawing.
#[tokio::test]
async fn the_command_line_draws_a_place_name_as_the_http_card_does() {
    let s = TestServer::fixture().await;
    let (status, _, http) = get(&s, "q=Centre&date=2022-03-01&format=svg").await;
    assert_eq!(status, 200);
    let dir = tempfile::tempdir().unwrap();
    let card = |name: &str| {
        let out = dir.path().join(name);
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_contactline"))
            .args(["card", "Centre", "--date", "2022-03-01", "-o"])
            .arg(&out)
            .args(["--link-base", &format!("http://{}", s.addr)])
            .arg("--data")
            .arg(crate::common::fixture_dir())
            .env("RUST_LOG", "off")
            .output()
            .unwrap();
        (run, out)
    };
    let (run, out) = card("card.svg");
    assert!(run.status.success(), "{run:?}");
    assert_eq!(std::fs::read(&out).unwrap(), http);
    let (run, out) = card("card.gif");
    assert!(!run.status.success());
    assert!(
        String::from_utf8_lossy(&run.stderr).contains(".png or .svg"),
        "{run:?}"
    );
    assert!(!out.exists());
}
