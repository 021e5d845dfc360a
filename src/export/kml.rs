//! KML 2.2 for Google Earth through the `kml` crate.
//!
//! Every placemark carries a `TimeSpan` so Google Earth's time slider works:
//! a versioned feature spans its validity; a place with a control timeline
//! becomes one placemark per interval, styled by who held it, so sliding the
//! time shows the place change hands. KML's `end` is the first day no longer
//! valid, as our `valid_to`. Labels are names in the chosen language; every
//! column of the flat table goes into `ExtendedData`.

use std::collections::HashMap;

use kml::types::{Element, Geometry, IconStyle, LineStyle, Placemark, PolyStyle, Style};
use kml::{Kml, KmlDocument, KmlVersion, KmlWriter};
use serde_json::Value;

use super::table::{label, Row, Table};
use super::{write_error, ExportError, Selection};
use crate::dataset::{ControlStatus, Dataset, Layer};
use crate::date::Day;

/// Status styles: (id, KML colour `aabbggrr`), matching the map's colours.
const STATUS_STYLES: [(ControlStatus, &str); 5] = [
    (ControlStatus::Zone, "ff2f8ae6"),
    (ControlStatus::Corridor, "ff17c6f2"),
    (ControlStatus::PendingHandover, "ffb45aa0"),
    (ControlStatus::Azerbaijan, "ffb4781e"),
    (ControlStatus::Armenia, "ff8c8c8c"),
];

/// Writes the selected features of `layer` as a KML document.
pub fn write(ds: &Dataset, layer: &Layer, sel: Selection) -> Result<Vec<u8>, ExportError> {
    let table = Table::build(ds, layer, sel);
    let mut elements = vec![
        Kml::Element(text("name", &layer.meta.title)),
        Kml::Element(text("description", &layer.meta.description)),
    ];
    elements.extend(styles().into_iter().map(Kml::Style));
    for row in &table.rows {
        elements.extend(
            placemarks(ds, &table, row, sel)
                .into_iter()
                .map(Kml::Placemark),
        );
    }
    let doc = Kml::KmlDocument(KmlDocument {
        version: KmlVersion::V22,
        attrs: HashMap::from([(
            "xmlns".to_owned(),
            "http://www.opengis.net/kml/2.2".to_owned(),
        )]),
        elements: vec![Kml::Document {
            attrs: HashMap::new(),
            elements,
        }],
    });
    let mut out = br#"<?xml version="1.0" encoding="UTF-8"?>"#.to_vec();
    out.push(b'\n');
    KmlWriter::<_, f64>::from_writer(&mut out)
        .write(&doc)
        .map_err(|e| write_error("kml", e))?;
    Ok(out)
}

/// The placemarks of one row: one per control interval for a place shown
/// over all dates, otherwise one spanning the feature's validity.
fn placemarks(ds: &Dataset, table: &Table, row: &Row, sel: Selection) -> Vec<Placemark> {
    let f = row.feature;
    let geometry: Geometry = f.geometry.clone().into();
    let base = Placemark {
        name: Some(label(f, sel.lang)),
        geometry: Some(geometry),
        attrs: HashMap::from([("id".to_owned(), f.id.clone())]),
        ..Placemark::default()
    };
    let data = extended_data(table, row);
    let place = ds
        .place(&f.id)
        .filter(|_| f.properties.contains_key("control"));
    match (place, sel.day) {
        (Some(place), None) => place
            .props
            .control
            .iter()
            .map(|span| Placemark {
                attrs: HashMap::new(),
                style_url: Some(format!("#{}", span.status.as_str())),
                children: vec![time_span(span.from, span.to), data.clone()],
                ..base.clone()
            })
            .collect(),
        (place, day) => {
            let status = place.zip(day).and_then(|(p, d)| p.props.status_on(d));
            vec![Placemark {
                style_url: Some(format!(
                    "#{}",
                    status.map_or_else(|| geometry_style(&f.geometry), ControlStatus::as_str)
                )),
                children: vec![time_span(f.validity.valid_from, f.validity.valid_to), data],
                ..base
            }]
        }
    }
}

fn geometry_style(g: &geo::Geometry) -> &'static str {
    match g {
        geo::Geometry::Point(_) | geo::Geometry::MultiPoint(_) => "point",
        geo::Geometry::Polygon(_) | geo::Geometry::MultiPolygon(_) => "area",
        _ => "line",
    }
}

fn styles() -> Vec<Style> {
    let icon = |id: &str, color: &str| Style {
        id: Some(id.to_owned()),
        icon: Some(IconStyle {
            color: color.to_owned(),
            ..IconStyle::default()
        }),
        ..Style::default()
    };
    let mut styles: Vec<Style> = STATUS_STYLES
        .iter()
        .map(|(s, color)| icon(s.as_str(), color))
        .collect();
    styles.push(icon("point", "ff3c3c3c"));
    styles.push(Style {
        id: Some("area".to_owned()),
        line: Some(LineStyle {
            color: "ff2f8ae6".to_owned(),
            width: 2.0,
            ..LineStyle::default()
        }),
        poly: Some(PolyStyle {
            color: "552f8ae6".to_owned(),
            ..PolyStyle::default()
        }),
        ..Style::default()
    });
    styles.push(Style {
        id: Some("line".to_owned()),
        line: Some(LineStyle {
            color: "ff1e1ec8".to_owned(),
            width: 2.0,
            ..LineStyle::default()
        }),
        ..Style::default()
    });
    styles
}

fn time_span(from: Option<Day>, to: Option<Day>) -> Element {
    Element {
        name: "TimeSpan".to_owned(),
        children: [("begin", from), ("end", to)]
            .into_iter()
            .filter_map(|(name, day)| Some(text(name, &day?.to_string())))
            .collect(),
        ..Element::default()
    }
}

fn extended_data(table: &Table, row: &Row) -> Element {
    let data = table
        .columns
        .iter()
        .zip(&row.cells)
        .filter_map(|(col, cell)| {
            let value = match cell.as_ref()? {
                Value::String(s) => s.clone(),
                v => v.to_string(),
            };
            Some(Element {
                name: "Data".to_owned(),
                attrs: HashMap::from([("name".to_owned(), col.name.clone())]),
                children: vec![text("value", &value)],
                ..Element::default()
            })
        })
        .collect();
    Element {
        name: "ExtendedData".to_owned(),
        children: data,
        ..Element::default()
    }
}

fn text(name: &str, content: &str) -> Element {
    Element {
        name: name.to_owned(),
        content: Some(content.to_owned()),
        ..Element::default()
    }
}
