//! A layer as a flat attribute table: the shape spreadsheets, KML's
//! `ExtendedData` and FlatGeobuf columns need.
//!
//! Scalar properties become columns as they are; names become one column per
//! language plus `name` in the chosen one; `sources` becomes its first URL plus
//! the full list as JSON; a place's control timeline becomes `status_on_date`
//! for the selected day; any other nested value is kept as JSON text.

use serde_json::Value;

use super::Selection;
use crate::dataset::{Dataset, Feature, Layer};

/// Language of the `name` column.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    utoipa::ToSchema,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[schema(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Lang {
    /// The neutral dual display name ("Stepanakert / Khankendi").
    #[default]
    Display,
    /// English.
    En,
    /// Armenian.
    Hy,
    /// Azerbaijani.
    Az,
    /// Russian.
    Ru,
}

/// A language code other than `display`, `en`, `hy`, `az` or `ru`.
#[derive(Debug, thiserror::Error)]
#[error("unknown language '{0}': use display, en, hy, az or ru")]
pub struct UnknownLang(pub String);

impl std::str::FromStr for Lang {
    type Err = UnknownLang;

    /// Reads `display`, `en`, `hy`, `az` or `ru`.
    fn from_str(code: &str) -> Result<Self, UnknownLang> {
        <Self as strum::VariantArray>::VARIANTS
            .iter()
            .copied()
            .find(|l| l.code() == code)
            .ok_or_else(|| UnknownLang(code.to_owned()))
    }
}

impl Lang {
    /// The language code, as in the data's `names` keys.
    pub fn code(self) -> &'static str {
        self.into()
    }
}

/// The languages every place has names in.
const NAME_LANGS: [&str; 4] = ["en", "hy", "az", "ru"];

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Text (also nested values, as JSON text).
    Text,
    /// A number.
    Number,
    /// True or false.
    Bool,
}

/// One column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// What it holds.
    pub kind: ColumnKind,
}

/// One row: a feature's id, geometry and one cell per column.
#[derive(Debug)]
pub struct Row<'a> {
    /// The feature.
    pub feature: &'a Feature,
    /// Cells in column order; `None` where the feature has no value.
    pub cells: Vec<Option<Value>>,
}

/// A layer's features as rows under common columns.
#[derive(Debug)]
pub struct Table<'a> {
    /// The columns, `id` and `name` first, then in order of first appearance.
    pub columns: Vec<Column>,
    /// The rows, in layer order.
    pub rows: Vec<Row<'a>>,
}

impl<'a> Table<'a> {
    /// Flattens the features of `layer` that `sel` selects.
    pub fn build(ds: &Dataset, layer: &'a Layer, sel: Selection) -> Self {
        let flat: Vec<(&Feature, Vec<(String, Value)>)> = layer
            .features
            .iter()
            .filter(|f| sel.day.is_none_or(|d| f.validity.contains(d)))
            .map(|f| (f, flatten(ds, f, sel)))
            .collect();
        let mut columns: Vec<Column> = Vec::new();
        for (_, cells) in &flat {
            for (name, value) in cells {
                let kind = kind_of(value);
                match columns.iter_mut().find(|c| &c.name == name) {
                    Some(c) if c.kind != kind && !value.is_null() => c.kind = ColumnKind::Text,
                    Some(_) => {}
                    None => columns.push(Column {
                        name: name.clone(),
                        kind,
                    }),
                }
            }
        }
        let rows = flat
            .into_iter()
            .map(|(feature, cells)| Row {
                feature,
                cells: columns
                    .iter()
                    .map(|c| {
                        let v = cells.iter().find(|(n, _)| *n == c.name)?.1.clone();
                        match (c.kind, v) {
                            (_, Value::Null) => None,
                            (ColumnKind::Text, v @ Value::String(_)) => Some(v),
                            (ColumnKind::Text, v) => Some(Value::String(v.to_string())),
                            (_, v) => Some(v),
                        }
                    })
                    .collect(),
            })
            .collect();
        Table { columns, rows }
    }
}

fn kind_of(v: &Value) -> ColumnKind {
    match v {
        Value::Number(_) => ColumnKind::Number,
        Value::Bool(_) => ColumnKind::Bool,
        _ => ColumnKind::Text,
    }
}

/// One feature's properties as named cells, in a stable order.
fn flatten(ds: &Dataset, f: &Feature, sel: Selection) -> Vec<(String, Value)> {
    let props = &f.properties;
    let mut cells = vec![
        ("id".to_owned(), Value::String(f.id.clone())),
        ("name".to_owned(), Value::String(label(f, sel.lang))),
    ];
    if let Some(day) = sel.day {
        if props.contains_key("control") {
            let status = ds
                .place(&f.id)
                .and_then(|p| p.props.status_on(day))
                .map_or(Value::Null, |s| Value::String(s.as_str().to_owned()));
            cells.push(("status_on_date".to_owned(), status));
            cells.push(("date".to_owned(), Value::String(day.to_string())));
        }
    }
    for (key, value) in props {
        match (key.as_str(), value) {
            ("id", _) => {}
            ("names", Value::Object(names)) => {
                for lang in NAME_LANGS {
                    let first = names
                        .get(lang)
                        .and_then(|v| v.get(0))
                        .cloned()
                        .unwrap_or(Value::Null);
                    cells.push((format!("name_{lang}"), first));
                }
            }
            ("alt_names", Value::Array(alts)) => {
                let joined: Vec<&str> = alts.iter().filter_map(Value::as_str).collect();
                cells.push(("alt_names".to_owned(), Value::String(joined.join("; "))));
            }
            ("sources", Value::Array(sources)) => {
                let first = sources
                    .first()
                    .and_then(|s| s.get("url"))
                    .cloned()
                    .unwrap_or(Value::Null);
                cells.push(("source_url".to_owned(), first));
                cells.push(("sources".to_owned(), value.clone()));
            }
            (_, Value::Object(_) | Value::Array(_)) => {
                cells.push((key.clone(), Value::String(value.to_string())));
            }
            _ => cells.push((key.clone(), value.clone())),
        }
    }
    cells
}

/// The feature's label in `lang`: its first name in that language, else its
/// display name, title or id.
pub fn label(f: &Feature, lang: Lang) -> String {
    let props = &f.properties;
    let in_lang = (lang != Lang::Display)
        .then(|| props.get("names")?.get(lang.code())?.get(0)?.as_str())
        .flatten();
    in_lang
        .or_else(|| props.get("display_name").and_then(Value::as_str))
        .or_else(|| props.get("title").and_then(Value::as_str))
        .unwrap_or(&f.id)
        .to_owned()
}
