// The boundary's accuracy band: the zone layer gives each edge of its
// polygons an accuracy (`edge_accuracy_m`, parallel to the rings); the band
// is those edges drawn ± that distance wide. This module turns the layer into
// line features with their accuracy and gives the zoom expression that makes
// a line as wide on the ground as the band.

/**
 * Line features along the zone's rings, one per run of edges with the same
 * accuracy: `{ properties: { accuracy_m, zone_version }, geometry: LineString }`.
 * Features without `edge_accuracy_m` give none.
 */
export function bandFeatures(zone) {
  const out = [];
  for (const f of zone?.features || []) {
    const acc = f.properties?.edge_accuracy_m;
    const g = f.geometry;
    if (!Array.isArray(acc) || !g) continue;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    const accs = g.type === 'Polygon' ? [acc] : acc;
    polys.forEach((rings, pi) => rings.forEach((ring, ri) => {
      const edges = accs[pi]?.[ri];
      if (!Array.isArray(edges)) return;
      let run = null;
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = edges[i];
        if (!Number.isFinite(a)) {
          run = null;
          continue;
        }
        if (run && run.properties.accuracy_m === a) run.geometry.coordinates.push(ring[i + 1]);
        else {
          run = {
            type: 'Feature',
            properties: { accuracy_m: a, zone_version: f.properties.id },
            geometry: { type: 'LineString', coordinates: [ring[i], ring[i + 1]] },
          };
          out.push(run);
        }
      }
    }));
  }
  return { type: 'FeatureCollection', features: out };
}

/** Earth's equatorial circumference in metres (Web Mercator). */
const CIRCUMFERENCE_M = 40075016.686;

/**
 * A MapLibre `line-width` expression: twice the feature's `accuracy_m` (the
 * band reaches that far on each side) in pixels at every zoom, at latitude
 * `lat` (tiles of 512 px, as MapLibre draws them).
 */
export function bandWidth(lat) {
  const pxPerMetre = (z) => (512 * 2 ** z) / (CIRCUMFERENCE_M * Math.cos((lat * Math.PI) / 180));
  return ['interpolate', ['exponential', 2], ['zoom'],
    0, ['*', 2 * pxPerMetre(0), ['get', 'accuracy_m']],
    22, ['*', 2 * pxPerMetre(22), ['get', 'accuracy_m']]];
}
