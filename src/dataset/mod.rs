//! The dataset: every layer of `geodata/` loaded, validated and indexed,
//! as one immutable snapshot.
//!
//! - [`model`]: serde shapes of the catalog, versions and settlements.
//! - [`basis`]: why each derived boundary edge lies where it does.
//! - [`load`]: reading files and validating them, reporting every problem.
//! - [`error`]: the dataset error type.
//! - [`integrity`]: rules across features (references, incident placement,
//!   duplicate names, schema examples, canonical sources).
//! - [`sources`]: the source URL policy (canonical Wikipedia, allowed publishers).
//!
//! A `Dataset` is built once and never mutated; reloading builds a new one.

pub mod basis;
pub mod error;
pub mod integrity;
pub mod load;
pub mod model;
pub mod sources;

use std::path::Path;
use std::sync::Arc;

pub use basis::{Basis, BasisKind, BasisLine, BasisPlace, PlaceSide};
pub use error::{DatasetError, Problem};
pub use load::{Feature, RawData};
pub use model::{
    add_sources, Catalog, ControlStatus, LayerMeta, LayerRole, PlaceProps, Source, Versions,
};

use crate::date::{Day, Validity};
use crate::geodesy::{LocalScale, LonLat};
use crate::index::{PointIndex, RegionIndex, Ring, NO_BASIS};

/// One dated version of an area (a zone or corridor polygon), indexed.
#[derive(Debug)]
pub struct AreaVersion {
    /// Feature id.
    pub id: String,
    /// Title for people.
    pub title: String,
    /// What the version is, or what changed on its first day.
    pub description: String,
    /// Validity interval.
    pub validity: Validity,
    /// Typical stated accuracy of the boundary, metres.
    pub accuracy_m: f64,
    /// Sources of the feature.
    pub sources: Vec<Source>,
    /// The indexed boundary, shared with any other version of the same
    /// layer whose geometry and accuracies are identical.
    pub region: Arc<RegionIndex>,
    /// Position in its list (zones or corridors), for per-combination tables.
    pub index: usize,
    /// Area, perimeter and accuracy spread as `contactline derive` computed
    /// them (the feature's `figures`), if present.
    pub figures: Option<crate::figures::Figures>,
    /// Why each edge lies where it does (the feature's `bases`); the region
    /// index keeps each edge's position in this list.
    pub bases: Vec<Basis>,
}

impl AreaVersion {
    /// The basis of the edge a search found, if the data gave one.
    pub fn basis_of(&self, hit: &crate::index::BoundaryHit) -> Option<&Basis> {
        self.bases.get(hit.basis as usize)
    }
}

/// Another party's depiction of the zone (a polygon of the `depictions`
/// layer), indexed for the comparison every dated verdict makes.
#[derive(Debug)]
pub struct Depiction {
    /// Feature id.
    pub id: String,
    /// Name for people (who drew it, what).
    pub name: String,
    /// Scale of the source map.
    pub scale: String,
    /// Validity interval.
    pub validity: Validity,
    /// Its stated accuracy, metres (every edge alike).
    pub accuracy_m: f64,
    /// Sources.
    pub sources: Vec<Source>,
    /// The indexed area.
    pub region: RegionIndex,
}

/// A settlement or position with its typed properties.
#[derive(Debug, Clone)]
pub struct Place {
    /// Position.
    pub at: LonLat,
    /// Typed properties.
    pub props: PlaceProps,
    /// Sources of the feature.
    pub sources: Vec<Source>,
    /// Coordinate accuracy, metres.
    pub accuracy_m: f64,
    /// Whether it is a settlement (not a height or post).
    pub is_settlement: bool,
    /// The first name in each language as a JSON object, serialised at load
    /// for the verdict's nearest places.
    pub primary_names_json: Box<serde_json::value::RawValue>,
}

impl Place {
    /// A place, with its primary names serialised once.
    pub fn new(
        at: LonLat,
        props: PlaceProps,
        sources: Vec<Source>,
        accuracy_m: f64,
        is_settlement: bool,
    ) -> Self {
        let primary: std::collections::BTreeMap<&str, &str> = props
            .names
            .iter()
            .filter_map(|(lang, names)| names.first().map(|n| (lang.as_str(), n.as_str())))
            .collect();
        let primary_names_json =
            serde_json::value::to_raw_value(&primary).unwrap_or_else(|_| raw_json("{}"));
        Place {
            at,
            props,
            sources,
            accuracy_m,
            is_settlement,
            primary_names_json,
        }
    }

    /// What the gazetteer indexes of this place.
    pub fn name_record(&self) -> crate::gazetteer::NameRecord<'_> {
        crate::gazetteer::NameRecord {
            id: &self.props.id,
            display_name: &self.props.display_name,
            kind: &self.props.kind,
            names: &self.props.names,
            alt_names: &self.props.alt_names,
            coordinates: [self.at.lon, self.at.lat],
        }
    }
}

/// A loaded layer.
#[derive(Debug)]
pub struct Layer {
    /// Catalog entry.
    pub meta: LayerMeta,
    /// Features in file order.
    pub features: Vec<Feature>,
    /// Extent of all features, `[min_lon, min_lat, max_lon, max_lat]`.
    pub bbox: Option<[f64; 4]>,
}

/// The whole data set, indexed.
#[derive(Debug)]
pub struct Dataset {
    /// The catalog.
    pub catalog: Catalog,
    /// Zone and corridor version specs.
    pub versions: Versions,
    /// Layers in catalog order.
    pub layers: Vec<Layer>,
    /// Settlements and positions.
    pub places: Vec<Place>,
    /// Nearest-place index over settlements (indexes into `places`).
    pub settlement_index: PointIndex,
    settlement_items: Vec<usize>,
    /// Zone versions in time order.
    pub zones: Vec<AreaVersion>,
    /// Corridor versions in time order.
    pub corridors: Vec<AreaVersion>,
    /// Polygons of the `depictions` layer, in file order.
    pub depictions: Vec<Depiction>,
    /// Content hash naming this exact data set.
    pub version: String,
    change_days: Vec<Day>,
    /// Sources of every (zone version or none, corridor version or none)
    /// combination, merged and serialised once: see [`Dataset::sources_json`].
    sources_json: Vec<Box<serde_json::value::RawValue>>,
    /// Name index over `places`.
    pub gazetteer: crate::gazetteer::Gazetteer,
}

impl Dataset {
    /// Loads, validates and indexes a data directory.
    pub fn load(dir: &Path) -> Result<Self, DatasetError> {
        Self::from_raw(load::read_dir(dir, false)?)
    }

    /// Indexes validated raw data.
    pub fn from_raw(raw: RawData) -> Result<Self, DatasetError> {
        let RawData {
            catalog,
            versions,
            layers,
            content_hash,
        } = raw;
        let layers: Vec<Layer> = catalog
            .layers
            .iter()
            .cloned()
            .zip(layers)
            .map(|(meta, features)| Layer {
                bbox: union_bbox(features.iter().map(|f| f.bbox)),
                meta,
                features,
            })
            .collect();
        let places = places_of(&layers);
        let settlement_items: Vec<usize> = (0..places.len())
            .filter(|&i| places[i].is_settlement)
            .collect();
        let settlement_index =
            PointIndex::new(settlement_items.iter().map(|&i| places[i].at).collect());
        // A place's change of hands is dated in a basis when it happened
        // after the zone's first day (every timeline starts then).
        let zone_start = versions
            .zone_versions
            .iter()
            .filter_map(|v| v.validity.valid_from)
            .min();
        let place_props = |id: &str| places.iter().find(|p| p.props.id == id).map(|p| &p.props);
        let areas = |role: LayerRole| {
            let mut built: Vec<(AreaGeometry, Arc<RegionIndex>)> = Vec::new();
            let mut v: Vec<AreaVersion> = layers
                .iter()
                .find(|l| l.meta.role() == role)
                .map(|l| {
                    l.features
                        .iter()
                        .map(|f| area_version(f, &mut built, zone_start, &place_props))
                        .collect()
                })
                .unwrap_or_default();
            v.sort_by_key(|a| a.validity.valid_from);
            for (i, a) in v.iter_mut().enumerate() {
                a.index = i;
            }
            v
        };
        let zones = areas(LayerRole::Zone);
        let corridors = areas(LayerRole::Corridor);
        let depictions = layers
            .iter()
            .filter(|l| l.meta.role() == LayerRole::Depictions)
            .flat_map(|l| &l.features)
            .filter_map(depiction)
            .collect();
        let mut layers = layers;
        for l in &mut layers {
            // A derived layer's typical accuracy is computed, not typed: the
            // length-weighted mean over all its versions' boundaries.
            let versions = match l.meta.role() {
                LayerRole::Zone | LayerRole::LineOfContact => &zones,
                LayerRole::Corridor => &corridors,
                _ => continue,
            };
            if let Some(m) = weighted_mean_accuracy(versions) {
                l.meta.accuracy_m = m;
            }
        }
        if zones.is_empty() {
            return Err(DatasetError::Invalid(vec![Problem {
                file: "zone".into(),
                feature: None,
                reason: "the zone layer is empty: run `contactline derive`".into(),
            }]));
        }
        let gazetteer = crate::gazetteer::Gazetteer::new(places.iter().map(Place::name_record));
        let change_days = change_days(&zones, &corridors);
        let sources_json = merged_sources(&zones, &corridors);
        Ok(Dataset {
            change_days,
            sources_json,
            catalog,
            versions,
            layers,
            places,
            settlement_index,
            settlement_items,
            zones,
            corridors,
            depictions,
            version: content_hash,
            gazetteer,
        })
    }

    /// The first layer with this role.
    pub fn layer_with_role(&self, role: LayerRole) -> Option<&Layer> {
        self.layers.iter().find(|l| l.meta.role() == role)
    }

    /// The layer with this id.
    pub fn layer(&self, id: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.meta.id == id)
    }

    /// The zone version valid on `day`.
    pub fn zone_on(&self, day: Day) -> Option<&AreaVersion> {
        self.zones.iter().find(|z| z.validity.contains(day))
    }

    /// The first depiction valid on `day`, if any.
    pub fn depiction_on(&self, day: Day) -> Option<&Depiction> {
        self.depictions.iter().find(|d| d.validity.contains(day))
    }

    /// The corridor version valid on `day`.
    pub fn corridor_on(&self, day: Day) -> Option<&AreaVersion> {
        self.corridors.iter().find(|z| z.validity.contains(day))
    }

    /// First day of the zone and first day after it.
    pub fn zone_period(&self) -> (Day, Day) {
        let first = self.zones.first().and_then(|z| z.validity.valid_from);
        let last = self.zones.last().and_then(|z| z.validity.valid_to);
        (
            first.unwrap_or_else(|| Day::from_ymd(2020, 11, 10).expect("fixed date")),
            last.unwrap_or_else(|| Day::from_ymd(2023, 9, 20).expect("fixed date")),
        )
    }

    /// Every day on which the zone or the corridor changes, from the zone's
    /// first day to the first day after it (both included), sorted.
    pub fn change_days(&self) -> &[Day] {
        &self.change_days
    }

    /// The merged sources of a zone and a corridor version as a JSON array,
    /// serialised at load so a verdict does not re-escape them per request.
    pub fn sources_json(
        &self,
        zone: Option<&AreaVersion>,
        corridor: Option<&AreaVersion>,
    ) -> &serde_json::value::RawValue {
        let (nz, nc) = (self.zones.len(), self.corridors.len());
        let zi = zone.map_or(nz, |z| z.index);
        let ci = corridor.map_or(nc, |c| c.index);
        &self.sources_json[zi * (nc + 1) + ci]
    }

    /// The `K` nearest settlements as (place, distance in metres).
    pub fn nearest_settlements<const K: usize>(&self, p: LonLat) -> ([(usize, f64); K], usize) {
        self.nearest_settlements_with_scale::<K>(p, &LocalScale::at(p.lat))
    }

    /// [`Dataset::nearest_settlements`] with the scales at `p` given.
    pub fn nearest_settlements_with_scale<const K: usize>(
        &self,
        p: LonLat,
        local: &LocalScale,
    ) -> ([(usize, f64); K], usize) {
        let (found, n) = self.settlement_index.nearest_with_scale::<K>(p, local);
        let mut out = [(0usize, 0f64); K];
        for (o, f) in out.iter_mut().zip(&found[..n]) {
            *o = (self.settlement_items[f.item], f.distance_m);
        }
        (out, n)
    }

    /// The place with this id.
    pub fn place(&self, id: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.props.id == id)
    }
}

/// Length-weighted mean edge accuracy over all versions, metres.
fn weighted_mean_accuracy(versions: &[AreaVersion]) -> Option<f64> {
    let (sum, len) = versions
        .iter()
        .filter_map(|v| v.figures.as_ref())
        .fold((0.0, 0.0), |(s, l), f| {
            (s + f.accuracy.mean_m * f.perimeter_km, l + f.perimeter_km)
        });
    (len > 0.0).then(|| (sum / len).round())
}

fn change_days(zones: &[AreaVersion], corridors: &[AreaVersion]) -> Vec<Day> {
    let mut days: Vec<Day> = zones
        .iter()
        .chain(corridors)
        .flat_map(|v| [v.validity.valid_from, v.validity.valid_to])
        .flatten()
        .collect();
    days.sort();
    days.dedup();
    days
}

fn merged_sources(
    zones: &[AreaVersion],
    corridors: &[AreaVersion],
) -> Vec<Box<serde_json::value::RawValue>> {
    let zone_options = zones.iter().map(Some).chain([None]);
    let mut out = Vec::with_capacity((zones.len() + 1) * (corridors.len() + 1));
    for z in zone_options {
        for c in corridors.iter().map(Some).chain([None]) {
            let mut merged: Vec<&Source> = Vec::new();
            add_sources(
                &mut merged,
                z.iter().chain(c.iter()).flat_map(|v| &v.sources),
            );
            let json = serde_json::to_string(&merged).unwrap_or_else(|_| "[]".into());
            out.push(
                serde_json::value::RawValue::from_string(json).unwrap_or_else(|_| raw_json("[]")),
            );
        }
    }
    out
}

fn raw_json(literal: &str) -> Box<serde_json::value::RawValue> {
    serde_json::value::RawValue::from_string(literal.into()).expect("valid JSON literal")
}

fn union_bbox(boxes: impl Iterator<Item = [f64; 4]>) -> Option<[f64; 4]> {
    boxes.reduce(|a, b| {
        [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ]
    })
}

fn places_of(layers: &[Layer]) -> Vec<Place> {
    let mut out = Vec::new();
    for layer in layers.iter().filter(|l| l.meta.role().holds_places()) {
        for f in &layer.features {
            let geo::Geometry::Point(pt) = f.geometry else {
                continue;
            };
            let Ok(props) = serde_json::from_value::<PlaceProps>(serde_json::Value::Object(
                f.properties.clone(),
            )) else {
                continue;
            };
            let is_settlement =
                layer.meta.role() == LayerRole::Settlements && props.kind != "position";
            out.push(Place::new(
                LonLat::new(pt.x(), pt.y()),
                props,
                f.sources(),
                f.accuracy_m(),
                is_settlement,
            ));
        }
    }
    out
}

/// Rings, their per-edge accuracies and per-edge basis indexes.
type AreaGeometry = (Vec<Ring>, Vec<Vec<f64>>, Vec<Vec<u32>>);

/// The polygons of a feature (none for other geometries).
fn polygons_of(f: &Feature) -> Vec<&geo::Polygon<f64>> {
    match &f.geometry {
        geo::Geometry::Polygon(p) => vec![p],
        geo::Geometry::MultiPolygon(mp) => mp.0.iter().collect(),
        _ => Vec::new(),
    }
}

/// The rings of polygons, outer ring first in each.
fn rings_of(polygons: &[&geo::Polygon<f64>]) -> Vec<Ring> {
    polygons
        .iter()
        .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
        .map(|ring| ring.0.iter().map(|c| LonLat::new(c.x, c.y)).collect())
        .collect()
}

/// A polygon feature of the depictions layer, indexed; `None` for its
/// lines (drawn, not compared).
fn depiction(f: &Feature) -> Option<Depiction> {
    let polygons = polygons_of(f);
    if polygons.is_empty() {
        return None;
    }
    let rings = rings_of(&polygons);
    let accuracy_m = f.accuracy_m();
    let accuracies: Vec<Vec<f64>> = rings
        .iter()
        .map(|r| vec![accuracy_m; r.len().saturating_sub(1)])
        .collect();
    Some(Depiction {
        id: f.id.clone(),
        name: f.str_prop("name").unwrap_or(&f.id).to_owned(),
        scale: f.str_prop("scale").unwrap_or_default().to_owned(),
        validity: f.validity,
        accuracy_m,
        sources: f.sources(),
        region: RegionIndex::new(&rings, &accuracies),
    })
}

/// Rings of a (multi)polygon with per-edge accuracies from the feature's
/// `edge_accuracy_m` (`[polygon][ring][edge]`), falling back to `accuracy_m`.
/// A geometry already in `built` reuses its index, so versions that differ
/// only in date share one (and a timeline searches it once).
fn area_version<'a>(
    f: &Feature,
    built: &mut Vec<(AreaGeometry, Arc<RegionIndex>)>,
    zone_start: Option<Day>,
    place: &impl Fn(&str) -> Option<&'a PlaceProps>,
) -> AreaVersion {
    let polygons = polygons_of(f);
    let per_edge = f.properties.get("edge_accuracy_m");
    let per_edge_basis = f.properties.get("edge_basis");
    // Records that do not parse leave their edges without a basis (the
    // tests over geodata/ require one for every edge).
    let bases: Vec<Basis> = f
        .properties
        .get("bases")
        .and_then(|v| serde_json::from_value::<Vec<BasisKind>>(v.clone()).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|kind| Basis::new(kind, f.validity.valid_from, zone_start, place))
        .collect();
    let mut rings: Vec<Ring> = Vec::new();
    let mut accuracies: Vec<Vec<f64>> = Vec::new();
    let mut basis_ids: Vec<Vec<u32>> = Vec::new();
    for (pi, poly) in polygons.iter().enumerate() {
        for (ri, ring) in std::iter::once(poly.exterior())
            .chain(poly.interiors())
            .enumerate()
        {
            let r: Ring = ring.0.iter().map(|c| LonLat::new(c.x, c.y)).collect();
            let edges = r.len().saturating_sub(1);
            let given: Option<Vec<f64>> = per_edge
                .and_then(|v| v.get(pi))
                .and_then(|v| v.get(ri))
                .and_then(|v| serde_json::from_value(v.clone()).ok())
                .filter(|v: &Vec<f64>| v.len() == edges);
            accuracies.push(given.unwrap_or_else(|| vec![f.accuracy_m(); edges]));
            let ids: Vec<u32> = per_edge_basis
                .and_then(|v| v.get(pi))
                .and_then(|v| v.get(ri))
                .and_then(|v| serde_json::from_value::<Vec<f64>>(v.clone()).ok())
                .filter(|v| v.len() == edges)
                .map(|v| {
                    v.iter()
                        .map(|&b| {
                            if b >= 0.0 && b < bases.len() as f64 {
                                b as u32
                            } else {
                                NO_BASIS
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            basis_ids.push(ids);
            rings.push(r);
        }
    }
    let geometry = (rings, accuracies, basis_ids);
    let region = if let Some((_, r)) = built.iter().find(|(g, _)| *g == geometry) {
        Arc::clone(r)
    } else {
        let r = Arc::new(RegionIndex::with_bases(
            &geometry.0,
            &geometry.1,
            &geometry.2,
        ));
        built.push((geometry, Arc::clone(&r)));
        r
    };
    AreaVersion {
        id: f.id.clone(),
        title: f.str_prop("title").unwrap_or(&f.id).to_owned(),
        description: f.str_prop("description").unwrap_or_default().to_owned(),
        validity: f.validity,
        accuracy_m: f.accuracy_m(),
        sources: f.sources(),
        region,
        index: 0,
        figures: f
            .properties
            .get("figures")
            .and_then(|v| serde_json::from_value(v.clone()).ok()),
        bases,
    }
}
