// The MapLibre map: its offline style, one source per catalog layer plus the
// accuracy band, the checked point and the previous zone outline while Play
// pauses at a change. `render(state, prev)` makes the map show the state;
// the map reports camera moves and clicks back as state changes.

import * as maplibregl from '../vendor/maplibre-gl.mjs';
import { CONTROL_COLORS, INCIDENT_TYPES } from '../lib/legend.js';
import { bandFeatures, bandWidth } from '../lib/band.js';
import { changed } from '../lib/store.js';
import { layer, shownByDefault } from '../lib/catalog.js';

const EMPTY = { type: 'FeatureCollection', features: [] };
const FONT = ['Noto Sans', 'DejaVu Sans', 'sans-serif'];
const REGION_LAT = 39.8;

/**
 * How each catalog layer is drawn: the map layers it owns. A layer the
 * page does not know is drawn plainly by its geometry type.
 */
export const LAYER_STYLE = {
  zone: ['zone-fill', 'zone-line'],
  corridor: ['corridor-fill', 'corridor-line'],
  line_of_contact: ['loc-line'],
  roads: ['roads-casing', 'roads-line'],
  settlements: ['settlements-circle', 'labels-major', 'labels-minor'],
  positions: ['positions-circle', 'positions-label'],
  incidents: ['incidents-circle', 'incidents-selected'],
};

/** The map layers the accuracy band owns (shown with the zone, toggled on its own). */
const BAND_LAYERS = ['zone-band'];

/** The offline basemap's layers (dropped under an online basemap). */
function basemap() {
  return [
    { id: 'background', type: 'background', paint: { 'background-color': '#dfe6ea' } },
    { id: 'countries-fill', type: 'fill', source: 'countries', paint: { 'fill-color': '#f4f1ea' } },
    { id: 'lakes-fill', type: 'fill', source: 'lakes', paint: { 'fill-color': '#b7d0e0' } },
    { id: 'rivers-line', type: 'line', source: 'rivers', paint: { 'line-color': '#8fb3cc', 'line-width': 1 } },
    {
      id: 'countries-line', type: 'line', source: 'countries',
      paint: { 'line-color': '#7a7468', 'line-width': ['interpolate', ['linear'], ['zoom'], 5, 0.8, 10, 1.6], 'line-dasharray': [4, 2] },
    },
  ];
}

function labelField(lang) {
  return lang === 'dual' ? ['get', 'display_name'] : ['coalesce', ['get', `name_${lang}`], ['get', 'display_name']];
}

function overlays(state) {
  const incidentColor = ['match', ['get', 'type'], ...Object.entries(INCIDENT_TYPES).flatMap(([k, v]) => [k, v.color]), '#5f5f5f'];
  const statusColor = ['match', ['coalesce', ['get', 'status_on_date'], ''], ...Object.entries(CONTROL_COLORS).flatMap(([k, v]) => [k, v]), '#bbbbbb'];
  const label = (id, filter, minzoom, size) => ({
    id, type: 'symbol', source: 'settlements', filter, minzoom,
    layout: {
      'text-field': labelField(state.lang), 'text-font': FONT, 'text-size': size,
      'text-variable-anchor': ['top', 'bottom', 'right', 'left'], 'text-radial-offset': 0.55, 'text-justify': 'auto',
      'text-max-width': 9, 'text-padding': 3, 'symbol-sort-key': ['match', ['get', 'kind'], 'city', 0, 'town', 1, 2],
    },
    paint: { 'text-color': '#1b1b1b', 'text-halo-color': 'rgba(255,255,255,0.95)', 'text-halo-width': 1.8, 'text-halo-blur': 0.3 },
  });
  return [
    // Opaque under the translucent fills, so overlapping edges do not darken each other.
    {
      id: 'zone-band', type: 'line', source: 'band', layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#f9e8bb', 'line-width': bandWidth(REGION_LAT) },
    },
    { id: 'zone-fill', type: 'fill', source: 'zone', paint: { 'fill-color': '#1f5f99', 'fill-opacity': 0.22 } },
    { id: 'corridor-fill', type: 'fill', source: 'corridor', paint: { 'fill-color': '#6a3d9a', 'fill-opacity': 0.25 } },
    { id: 'zone-prev', type: 'line', source: 'previous', paint: { 'line-color': '#b2182b', 'line-width': 2.5, 'line-dasharray': [2, 1.5] } },
    { id: 'zone-line', type: 'line', source: 'zone', paint: { 'line-color': '#1f5f99', 'line-width': ['interpolate', ['linear'], ['zoom'], 6, 1.5, 12, 3] } },
    { id: 'corridor-line', type: 'line', source: 'corridor', paint: { 'line-color': '#6a3d9a', 'line-width': 1.5, 'line-dasharray': [3, 2] } },
    { id: 'loc-line', type: 'line', source: 'line_of_contact', paint: { 'line-color': '#b2182b', 'line-width': ['interpolate', ['linear'], ['zoom'], 6, 1.2, 12, 3] } },
    { id: 'roads-casing', type: 'line', source: 'roads', paint: { 'line-color': '#ffffff', 'line-width': 4 }, layout: { 'line-join': 'round' } },
    { id: 'roads-line', type: 'line', source: 'roads', paint: { 'line-color': '#3d3d3d', 'line-width': 2 }, layout: { 'line-join': 'round' } },
    { id: 'pick-line', type: 'line', source: 'pick', filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#1b1b1b', 'line-width': 1.5, 'line-dasharray': [2, 2] } },
    { id: 'positions-circle', type: 'circle', source: 'positions', paint: { 'circle-radius': 4, 'circle-color': '#ffffff', 'circle-stroke-color': '#3d3d3d', 'circle-stroke-width': 2 } },
    {
      id: 'settlements-circle', type: 'circle', source: 'settlements',
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 6, ['match', ['get', 'kind'], 'city', 4, 'town', 3, 2], 12, ['match', ['get', 'kind'], 'city', 8, 'town', 6, 5]],
        'circle-color': statusColor, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1,
      },
    },
    {
      id: 'incidents-selected', type: 'circle', source: 'incidents', filter: ['==', ['get', 'id'], state.incident || ''],
      paint: { 'circle-radius': 14, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#e8a200', 'circle-stroke-width': 4 },
    },
    {
      id: 'incidents-circle', type: 'circle', source: 'incidents',
      paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 6, 5, 12, 8], 'circle-color': incidentColor, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
    },
    label('labels-major', ['in', ['get', 'kind'], ['literal', ['city', 'town']]], 0, ['interpolate', ['linear'], ['zoom'], 7, ['match', ['get', 'kind'], 'city', 13, 11], 12, ['match', ['get', 'kind'], 'city', 17, 15]]),
    label('labels-minor', ['in', ['get', 'kind'], ['literal', ['village', 'position']]], 9, ['interpolate', ['linear'], ['zoom'], 9, 11, 13, 14]),
    {
      id: 'positions-label', type: 'symbol', source: 'positions', minzoom: 10,
      layout: { 'text-field': ['get', 'display_name'], 'text-font': FONT, 'text-size': 11, 'text-offset': [0, 0.9], 'text-anchor': 'top', 'text-max-width': 9, 'text-optional': true },
      paint: { 'text-color': '#3d3d3d', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    },
    { id: 'pick-point', type: 'circle', source: 'pick', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 7, 'circle-color': '#e8a200', 'circle-stroke-color': '#1b1b1b', 'circle-stroke-width': 2 } },
  ];
}

/**
 * Plain layers for a catalog layer the page has no style for. A reference
 * layer (not shown by default) is drawn as dashed outlines only, so that it
 * never hides the zone it is compared with.
 */
function plainLayers(entry) {
  const id = entry.id;
  const t = String(entry.geometry_type || '').toLowerCase();
  if (!shownByDefault(entry) && !t.includes('point')) {
    return [{ id: `${id}-line`, type: 'line', source: id, paint: { 'line-color': '#4a4a4a', 'line-width': 1.5, 'line-dasharray': [3, 2] } }];
  }
  if (t.includes('polygon')) {
    return [{ id: `${id}-fill`, type: 'fill', source: id, paint: { 'fill-color': '#5f5f5f', 'fill-opacity': 0.2 } },
      { id: `${id}-line`, type: 'line', source: id, paint: { 'line-color': '#5f5f5f', 'line-width': 1.5 } }];
  }
  if (t.includes('line')) return [{ id: `${id}-line`, type: 'line', source: id, paint: { 'line-color': '#5f5f5f', 'line-width': 1.5 } }];
  return [{ id: `${id}-circle`, type: 'circle', source: id, paint: { 'circle-radius': 4, 'circle-color': '#5f5f5f' } }];
}

/** The map layers of a catalog layer. */
export function mapLayersOf(cat, id) {
  return LAYER_STYLE[id] || plainLayers(layer(cat, id) ?? { id }).map((l) => l.id);
}

function pickData(state) {
  if (!state.point) return EMPTY;
  const at = [state.point.lon, state.point.lat];
  const features = [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: at } }];
  const v = state.verdict?.data;
  if (v?.nearest_boundary_point && v.status !== 'no_zone') {
    features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [at, v.nearest_boundary_point] } });
  }
  return { type: 'FeatureCollection', features };
}

function style(state) {
  const cat = state.catalog;
  const layers = [...basemap().map((l) => ({ ...l, metadata: { basemap: true } })), ...overlays(state)];
  for (const l of cat.layers) if (!LAYER_STYLE[l.id]) layers.splice(layers.findIndex((x) => x.id === 'pick-line'), 0, ...plainLayers(l));
  const sources = {
    countries: { type: 'geojson', data: new URL('basemap/countries.geojson', location.href).href },
    lakes: { type: 'geojson', data: new URL('basemap/lakes.geojson', location.href).href },
    rivers: { type: 'geojson', data: new URL('basemap/rivers.geojson', location.href).href },
    pick: { type: 'geojson', data: EMPTY },
    band: { type: 'geojson', data: EMPTY },
    previous: { type: 'geojson', data: EMPTY },
  };
  for (const l of cat.layers) sources[l.id] = { type: 'geojson', data: EMPTY };
  return { version: 8, sources, layers };
}

/**
 * Creates the map in `container` for the store's state. `onClick(lngLat,
 * incidents)` gets each click with the incident features under it.
 */
export function createMap(container, store, { onClick }) {
  const state = store.get();
  const narrow = window.innerWidth < 760 || state.embed;
  const map = new maplibregl.Map({
    container,
    style: style(state),
    center: state.center ? [state.center.lon, state.center.lat] : [46.75, 39.8],
    zoom: state.zoom ?? (narrow ? 7.4 : 8.2),
    minZoom: 5,
    maxZoom: 16,
    maxBounds: [[40.5, 36.0], [52.5, 43.5]],
    // The data's attribution is the map's own, so it stays whatever layers are on.
    attributionControl: { compact: narrow, customAttribution: [state.catalog.attribution.replace(/;.*$/, ''), 'Natural Earth'] },
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');

  // One tab stop: the canvas; Enter checks the point under the crosshair.
  const canvas = map.getCanvas();
  canvas.setAttribute('aria-label', 'Map. Arrow keys pan, plus and minus zoom, Enter checks the point under the crosshair.');
  canvas.setAttribute('role', 'application');
  canvas.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      onClick(map.getCenter(), []);
    }
  });

  map.on('click', (e) => {
    const hits = store.get().layers.includes('incidents')
      ? map.queryRenderedFeatures([[e.point.x - 8, e.point.y - 8], [e.point.x + 8, e.point.y + 8]], { layers: ['incidents-circle'] })
      : [];
    onClick(e.lngLat, [...new Set(hits.map((f) => f.properties.id))]);
  });
  map.on('mouseenter', 'incidents-circle', () => { canvas.style.cursor = 'pointer'; });
  map.on('mouseleave', 'incidents-circle', () => { canvas.style.cursor = ''; });
  map.on('moveend', () => {
    const c = map.getCenter();
    store.set({ center: { lat: round5(c.lat), lon: round5(c.lng) }, zoom: Math.round(map.getZoom() * 100) / 100 });
  });

  let ready = false;
  let last = {};
  let shownBasemap = 'offline';
  const loaded = new Promise((resolve) => map.once('load', () => {
    ready = true;
    render(store.get());
    resolve();
  }));

  // The opt-in online basemap (`--basemap-style`): its layers under ours, our
  // sources and layers kept; every source is filled again once it has loaded.
  function setBasemap(s) {
    if (shownBasemap === 'online') {
      map.setStyle(s.catalog.basemap_style, {
        transformStyle: (_prev, next) => {
          const ours = style(s);
          const style_ = { ...next, sources: { ...next.sources, ...ours.sources }, layers: [...next.layers, ...ours.layers.filter((l) => !l.metadata?.basemap)] };
          delete style_.glyphs; // our labels and theirs in the browser's fonts
          return style_;
        },
      });
    } else {
      map.setStyle(style(s));
    }
    map.once('style.load', () => {
      last = {};
      render(store.get());
    });
  }

  function setData(id, data) {
    container.dataset.idle = '';
    map.getSource(id)?.setData(data || EMPTY);
  }
  // Whether everything asked for is drawn (for readers of the page, and the tests).
  map.on('idle', () => { container.dataset.idle = '1'; });
  map.on('movestart', () => { container.dataset.idle = ''; });

  /** Shows the state: sources, visibility, labels, selection, camera. */
  function render(s) {
    if (!ready) return;
    const prev = last;
    last = s;
    const cat = s.catalog;
    const want = s.basemap === 'online' && cat.basemap_style ? 'online' : 'offline';
    if (want !== shownBasemap) {
      shownBasemap = want;
      setBasemap(s);
      return;
    }
    if (changed(s, prev, 'layerData')) {
      for (const l of cat.layers) if (l.id !== 'incidents' && s.layerData[l.id] !== prev.layerData?.[l.id]) setData(l.id, s.layerData[l.id]);
      if (s.layerData.zone !== prev.layerData?.zone) setData('band', bandFeatures(s.layerData.zone));
    }
    if (changed(s, prev, 'shownIncidents')) setData('incidents', { type: 'FeatureCollection', features: s.shownIncidents || [] });
    if (changed(s, prev, 'layers', 'band')) {
      for (const l of cat.layers) {
        for (const m of mapLayersOf(cat, l.id)) if (map.getLayer(m)) map.setLayoutProperty(m, 'visibility', s.layers.includes(l.id) ? 'visible' : 'none');
      }
      for (const m of BAND_LAYERS) map.setLayoutProperty(m, 'visibility', s.band && s.layers.includes('zone') ? 'visible' : 'none');
    }
    if (changed(s, prev, 'lang')) for (const m of ['labels-major', 'labels-minor']) map.setLayoutProperty(m, 'text-field', labelField(s.lang));
    if (changed(s, prev, 'incident')) map.setFilter('incidents-selected', ['==', ['get', 'id'], s.incident || '']);
    if (changed(s, prev, 'point', 'verdict')) setData('pick', pickData(s));
    if (changed(s, prev, 'pause')) setData('previous', s.pause?.previousZone || EMPTY);
    if (changed(s, prev, 'camera') && s.camera) map.flyTo({ center: [s.camera.lon, s.camera.lat], zoom: Math.max(map.getZoom(), s.camera.zoom) });
    // What the map draws, for anyone reading the page (and the tests).
    container.dataset.date = s.dataDate || '';
    container.dataset.zoneVersion = (s.layerData.zone?.features || []).map((f) => f.properties.id).join(',');
  }

  return { map, render, loaded, isLoaded: () => ready };
}

function round5(v) {
  return Math.round(v * 1e5) / 1e5;
}
