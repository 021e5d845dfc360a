//! The card's SVG: layout, the map excerpt and the words (the verdict, the
//! distance ± accuracy and the basis of the nearest boundary edge).
//!
//! The map is a local plane centred on the point (`geodesy::Plane`), sized so
//! the nearest boundary is in view. The zone and corridor of the day are
//! drawn from their layers, the accuracy band edge by edge from each edge's
//! stated accuracy, places labelled in the chosen language. XML is written
//! by `quick-xml` (escaping included) in a fixed attribute order, so the same
//! inputs give the same bytes.

use std::io::Cursor;

use geo::{Geometry, LineString, Polygon};
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use serde_json::Value;

use super::raster::FONT_FAMILY;
use super::{permalink, CardSpec};
use crate::dataset::{ControlStatus, Dataset, LayerRole};
use crate::export::Lang;
use crate::geodesy::{LonLat, Plane};
use crate::locate::{self, basis_sentence, report, title_line, Report, Status};

/// Colours, shared with the map's legend.
const ZONE: &str = "#e68a2f";
const CORRIDOR: &str = "#f2c617";
const BAND: &str = "#f0a30a";
const INSIDE: &str = "#c8561e";
const OUTSIDE: &str = "#1e64b4";
const UNCERTAIN: &str = "#e8a200";
const NO_ZONE: &str = "#6b6b6b";
const INK: &str = "#1d1d1d";
const MUTED: &str = "#5a5a5a";

/// A rectangle in pixels.
#[derive(Debug, Clone, Copy)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    const fn new(x: f64, y: f64, w: f64, h: f64) -> Self {
        Rect { x, y, w, h }
    }
}

/// The headline and its colour for a verdict.
fn headline(status: Option<Status>, near: bool) -> (&'static str, &'static str) {
    match (status.unwrap_or(Status::NoZone), near) {
        (s @ Status::NoZone, _) => (locate::headline(s), NO_ZONE),
        (_, true) => (
            "Uncertain: near the boundary, may have been on either side",
            UNCERTAIN,
        ),
        (s @ Status::Outside, false) => (locate::headline(s), OUTSIDE),
        (s, false) => (locate::headline(s), INSIDE),
    }
}

/// Builds the whole card.
pub fn card(ds: &Dataset, spec: &CardSpec) -> String {
    let r = report(ds, spec.at, Some(spec.day), spec.uncertainty_m);
    let (w, h) = (f64::from(spec.size.0), f64::from(spec.size.1));
    // Wide cards put the map left and the words right; others stack them.
    let (map, panel) = if w >= 1.4 * h {
        (Rect::new(0.0, 0.0, h, h), Rect::new(h, 0.0, w - h, h))
    } else {
        let mh = (h * 0.55).round();
        (Rect::new(0.0, 0.0, w, mh), Rect::new(0.0, mh, w, h - mh))
    };
    let mut svg = Svg::new();
    svg.open(
        "svg",
        &[
            ("xmlns", "http://www.w3.org/2000/svg".into()),
            ("width", spec.size.0.to_string()),
            ("height", spec.size.1.to_string()),
            ("viewBox", format!("0 0 {} {}", spec.size.0, spec.size.1)),
            ("font-family", FONT_FAMILY.into()),
        ],
    );
    // The verdict in one line, for screen readers and anyone reading the SVG.
    let (title, colour) = headline(r.status, r.near_boundary.unwrap_or(false));
    svg.open("title", &[]);
    svg.write_text(&title_line(title, spec.at, spec.day));
    svg.close("title");
    svg.rect(Rect::new(0.0, 0.0, w, h), "#ffffff", None);
    let distance = r.distance_to_boundary_m.unwrap_or(0.0).abs();
    let accuracy = r.boundary_accuracy_m.unwrap_or(0.0);
    draw_map(&mut svg, ds, spec, map, distance + accuracy, colour);
    draw_words(&mut svg, ds, spec, &r, panel, (title, colour));
    svg.close("svg");
    svg.finish()
}

/// The verdict in words, then the footer from the bottom up.
fn draw_words(
    svg: &mut Svg,
    ds: &Dataset,
    spec: &CardSpec,
    r: &Report,
    panel: Rect,
    (title, colour): (&str, &str),
) {
    let distance = r.distance_to_boundary_m.unwrap_or(0.0).abs();
    let accuracy = r.boundary_accuracy_m.unwrap_or(0.0);
    let pad = (panel.w.min(panel.h) * 0.06).clamp(16.0, 40.0);
    let text_w = panel.w - 2.0 * pad;
    let base = (panel.w / 30.0).clamp(13.0, 22.0);
    let mut y = panel.y + pad + base;
    let x = panel.x + pad;
    svg.text(
        x,
        y,
        base * 0.85,
        MUTED,
        false,
        "Was this point inside the Russian peacekeeping zone?",
    );
    y += base * 1.2;
    let big = (panel.w / 15.0).clamp(20.0, 44.0);
    for line in wrap(title, text_w, big) {
        y += big * 1.15;
        svg.text(x, y, big, colour, true, &line);
    }
    y += base * 0.6;
    let place = r.nearest_places.first().map(|p| {
        let name = ds.place(p.id).map_or_else(
            || p.name.to_owned(),
            |pl| place_name(&pl.props.names, pl.props.display_name.as_str(), spec.lang),
        );
        format!("{:.1} km {} of {name}", p.distance_m / 1000.0, p.direction)
    });
    let mut lines = vec![format!(
        "{:.4}° N, {:.4}° E{}",
        spec.at.lat,
        spec.at.lon,
        place.map(|p| format!(" · {p}")).unwrap_or_default()
    )];
    lines.push(format!("on {}", spec.day.in_words()));
    if r.status.is_some_and(|s| s != Status::NoZone) {
        let side = if r.distance_to_boundary_m.unwrap_or(0.0) <= 0.0 {
            "inside"
        } else {
            "outside"
        };
        lines.push(format!(
            "{:.1} km {side} the boundary, which is known here to ± {:.1} km",
            distance / 1000.0,
            accuracy / 1000.0
        ));
        if spec.uncertainty_m > 0.0 {
            lines.push(format!(
                "location given to ± {:.1} km",
                spec.uncertainty_m / 1000.0
            ));
        }
        if let Some(v) = &r.zone_version {
            lines.push(format!("Zone version: {}", v.title));
        }
        // Why the boundary runs where it does there, when the data says.
        if let Some(b) = &r.boundary_basis {
            lines.push(basis_sentence(b.basis));
        }
    }
    for text in lines {
        for line in wrap(&text, text_w, base) {
            y += base * 1.35;
            svg.text(x, y, base, INK, false, &line);
        }
    }
    // Footer from the bottom up: attribution, version and link.
    let small = (base * 0.72).max(11.0);
    let footer = [
        format!("Data {} · {}", r.dataset_version, permalink(spec)),
        ds.catalog.attribution.clone(),
    ];
    let footer_lines: Vec<String> = footer.iter().flat_map(|t| wrap(t, text_w, small)).collect();
    let mut fy = panel.y + panel.h - pad - small * 1.3 * (footer_lines.len() as f64 - 1.0);
    for line in footer_lines {
        svg.text(x, fy, small, MUTED, false, &line);
        fy += small * 1.3;
    }
}

/// The map excerpt: zone and corridor of the day, the accuracy band, places,
/// the point and its uncertainty, a scale bar and north.
fn draw_map(svg: &mut Svg, ds: &Dataset, spec: &CardSpec, map: Rect, reach_m: f64, colour: &str) {
    // Show the nearest boundary with room around it, within 8–60 km.
    let radius_m = (reach_m * 1.4).clamp(8_000.0, 60_000.0);
    let scale = map.w.min(map.h) / (2.0 * radius_m);
    let plane = Plane::at(spec.at);
    let (cx, cy) = (map.x + map.w / 2.0, map.y + map.h / 2.0);
    let px = |p: LonLat| {
        let [e, n] = plane.project(p);
        (cx + e * scale, cy - n * scale)
    };
    let inside = |(x, y): (f64, f64)| {
        x >= map.x - 50.0
            && x <= map.x + map.w + 50.0
            && y >= map.y - 50.0
            && y <= map.y + map.h + 50.0
    };
    svg.open("defs", &[]);
    svg.open("clipPath", &[("id", "map".into())]);
    svg.rect(map, "#000", None);
    svg.close("clipPath");
    svg.close("defs");
    svg.open("g", &[("clip-path", "url(#map)".into())]);
    svg.rect(map, "#eef1f4", None);
    for (role, fill) in [(LayerRole::Zone, ZONE), (LayerRole::Corridor, CORRIDOR)] {
        for f in ds
            .layer_with_role(role)
            .into_iter()
            .flat_map(|l| &l.features)
        {
            if !f.validity.contains(spec.day) {
                continue;
            }
            let d = path_data(&f.geometry, &px);
            svg.empty(
                "path",
                &[
                    ("d", d),
                    ("fill", fill.into()),
                    ("fill-opacity", "0.35".into()),
                    ("fill-rule", "evenodd".into()),
                    ("stroke", fill.into()),
                    ("stroke-width", "2".into()),
                ],
            );
            // The band: each edge as wide as its stated accuracy either side.
            if let (Geometry::MultiPolygon(mp), Some(acc)) =
                (&f.geometry, f.properties.get("edge_accuracy_m"))
            {
                for (poly, poly_acc) in mp.0.iter().zip(acc.as_array().into_iter().flatten()) {
                    let rings = std::iter::once(poly.exterior()).chain(poly.interiors());
                    for (ring, ring_acc) in rings.zip(poly_acc.as_array().into_iter().flatten()) {
                        band(svg, ring, ring_acc, &px, &inside, scale);
                    }
                }
            }
        }
    }
    draw_places(svg, ds, spec, map, &px);
    // The point, its uncertainty and the marker in the verdict's colour.
    if spec.uncertainty_m > 0.0 {
        svg.circle(
            cx,
            cy,
            spec.uncertainty_m * scale,
            colour,
            Some((colour, 1.5)),
            Some("0.15"),
        );
    }
    svg.circle(cx, cy, 10.0, colour, Some(("#ffffff", 3.0)), None);
    svg.close("g");
    svg.rect(map, "none", Some(("#9aa3ad", 1.0)));
    scale_bar(svg, map, scale);
    north(svg, map);
}

/// Up to eight settlements in view, labelled in the chosen language and
/// coloured by who held them on the day.
fn draw_places(
    svg: &mut Svg,
    ds: &Dataset,
    spec: &CardSpec,
    map: Rect,
    px: &impl Fn(LonLat) -> (f64, f64),
) {
    let mut shown = 0;
    let (near, found) = ds.nearest_settlements::<12>(spec.at);
    // Only the first `found` slots hold places: a data set with fewer than
    // twelve settlements leaves the rest at their default.
    for &(i, _) in &near[..found] {
        let Some(place) = ds.places.get(i) else {
            continue;
        };
        let (x, y) = px(place.at);
        if !(x > map.x + 8.0
            && x < map.x + map.w - 8.0
            && y > map.y + 8.0
            && y < map.y + map.h - 8.0)
        {
            continue;
        }
        let held = match place.props.status_on(spec.day) {
            Some(ControlStatus::Zone | ControlStatus::Corridor) => ZONE,
            Some(ControlStatus::Azerbaijan) => OUTSIDE,
            _ => NO_ZONE,
        };
        svg.circle(x, y, 4.5, held, Some(("#ffffff", 1.5)), None);
        let name = place_name(&place.props.names, &place.props.display_name, spec.lang);
        let size = (map.w / 48.0).clamp(11.0, 16.0);
        svg.text(x + 7.0, y - 5.0, size, INK, false, &name);
        shown += 1;
        if shown == 8 {
            break;
        }
    }
}

/// One ring's edges as strokes as wide as twice their accuracy.
fn band(
    svg: &mut Svg,
    ring: &LineString,
    accuracies: &Value,
    px: &impl Fn(LonLat) -> (f64, f64),
    inside: &impl Fn((f64, f64)) -> bool,
    scale: f64,
) {
    for (edge, acc) in ring
        .lines()
        .zip(accuracies.as_array().into_iter().flatten())
    {
        let (a, b) = (
            px(LonLat::new(edge.start.x, edge.start.y)),
            px(LonLat::new(edge.end.x, edge.end.y)),
        );
        let Some(acc) = acc.as_f64() else { continue };
        if !inside(a) && !inside(b) {
            continue;
        }
        svg.empty(
            "line",
            &[
                ("x1", fmt(a.0)),
                ("y1", fmt(a.1)),
                ("x2", fmt(b.0)),
                ("y2", fmt(b.1)),
                ("stroke", BAND.into()),
                ("stroke-opacity", "0.22".into()),
                ("stroke-width", fmt((2.0 * acc * scale).max(1.0))),
                ("stroke-linecap", "round".into()),
            ],
        );
    }
}

/// A scale bar of a round length about a quarter of the map's width.
fn scale_bar(svg: &mut Svg, map: Rect, scale: f64) {
    let target_km = map.w / 4.0 / scale / 1000.0;
    let km = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
        .into_iter()
        .rev()
        .find(|k| *k <= target_km)
        .unwrap_or(1.0);
    let len = km * 1000.0 * scale;
    let (x, y) = (map.x + 20.0, map.y + map.h - 24.0);
    svg.rect(
        Rect::new(x - 6.0, y - 22.0, len + 12.0, 32.0),
        "#ffffff",
        None,
    );
    svg.empty(
        "path",
        &[
            ("d", format!("M{} {}v6h{}v-6", fmt(x), fmt(y), fmt(len))),
            ("fill", "none".into()),
            ("stroke", INK.into()),
            ("stroke-width", "2".into()),
        ],
    );
    svg.text(x, y - 6.0, 13.0, INK, false, &format!("{km:.0} km"));
}

/// A north arrow in the map's top right corner.
fn north(svg: &mut Svg, map: Rect) {
    let (x, y) = (map.x + map.w - 28.0, map.y + 20.0);
    svg.empty(
        "path",
        &[
            ("d", format!("M{} {}l8 20h-16z", fmt(x), fmt(y))),
            ("fill", INK.into()),
        ],
    );
    svg.text(x - 5.0, y + 36.0, 14.0, INK, true, "N");
}

/// A place's first name in `lang`, else its display name.
fn place_name(
    names: &std::collections::BTreeMap<String, Vec<String>>,
    display: &str,
    lang: Lang,
) -> String {
    (lang != Lang::Display)
        .then(|| names.get(lang.code())?.first().cloned())
        .flatten()
        .unwrap_or_else(|| display.to_owned())
}

/// SVG path data of a polygonal geometry.
fn path_data(g: &Geometry, px: &impl Fn(LonLat) -> (f64, f64)) -> String {
    let polygons: Vec<&Polygon> = match g {
        Geometry::Polygon(p) => vec![p],
        Geometry::MultiPolygon(mp) => mp.0.iter().collect(),
        _ => Vec::new(),
    };
    let mut d = String::new();
    for ring in polygons
        .into_iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
    {
        for (i, c) in ring.coords().enumerate() {
            let (x, y) = px(LonLat::new(c.x, c.y));
            d.push(if i == 0 { 'M' } else { 'L' });
            d.push_str(&fmt(x));
            d.push(' ');
            d.push_str(&fmt(y));
        }
        d.push('Z');
    }
    d
}

/// Greedy word wrap for an approximate `DejaVu Sans` advance of 0.58 em.
fn wrap(text: &str, width: f64, size: f64) -> Vec<String> {
    let max = ((width / (size * 0.58)).floor() as usize).max(8);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Pixel coordinates to one decimal: small and stable output.
fn fmt(v: f64) -> String {
    format!("{:.1}", (v * 10.0).round() / 10.0 + 0.0)
}

/// A small SVG writer over `quick-xml`.
struct Svg(Writer<Cursor<Vec<u8>>>);

impl Svg {
    fn new() -> Self {
        Svg(Writer::new(Cursor::new(Vec::new())))
    }

    fn start<'a>(name: &'a str, attrs: &'a [(&'a str, String)]) -> BytesStart<'a> {
        BytesStart::new(name).with_attributes(attrs.iter().map(|(k, v)| (*k, v.as_str())))
    }

    // Writing into a Vec cannot fail.
    fn open(&mut self, name: &str, attrs: &[(&str, String)]) {
        let _ = self.0.write_event(Event::Start(Self::start(name, attrs)));
    }

    fn close(&mut self, name: &str) {
        let _ = self.0.write_event(Event::End(BytesEnd::new(name)));
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, String)]) {
        let _ = self.0.write_event(Event::Empty(Self::start(name, attrs)));
    }

    fn rect(&mut self, r: Rect, fill: &str, stroke: Option<(&str, f64)>) {
        let mut attrs = vec![
            ("x", fmt(r.x)),
            ("y", fmt(r.y)),
            ("width", fmt(r.w)),
            ("height", fmt(r.h)),
            ("fill", fill.to_owned()),
        ];
        if let Some((colour, width)) = stroke {
            attrs.push(("stroke", colour.to_owned()));
            attrs.push(("stroke-width", fmt(width)));
        }
        self.empty("rect", &attrs);
    }

    fn circle(
        &mut self,
        x: f64,
        y: f64,
        r: f64,
        fill: &str,
        stroke: Option<(&str, f64)>,
        opacity: Option<&str>,
    ) {
        let mut attrs = vec![
            ("cx", fmt(x)),
            ("cy", fmt(y)),
            ("r", fmt(r)),
            ("fill", fill.to_owned()),
        ];
        if let Some(o) = opacity {
            attrs.push(("fill-opacity", o.to_owned()));
        }
        if let Some((colour, width)) = stroke {
            attrs.push(("stroke", colour.to_owned()));
            attrs.push(("stroke-width", fmt(width)));
        }
        self.empty("circle", &attrs);
    }

    fn text(&mut self, x: f64, y: f64, size: f64, fill: &str, bold: bool, content: &str) {
        let mut attrs = vec![
            ("x", fmt(x)),
            ("y", fmt(y)),
            ("font-size", fmt(size)),
            ("fill", fill.to_owned()),
        ];
        if bold {
            attrs.push(("font-weight", "bold".to_owned()));
        }
        self.open("text", &attrs);
        self.write_text(content);
        self.close("text");
    }

    fn write_text(&mut self, content: &str) {
        let _ = self.0.write_event(Event::Text(BytesText::new(content)));
    }

    fn finish(self) -> String {
        String::from_utf8(self.0.into_inner().into_inner()).unwrap_or_default()
    }
}
