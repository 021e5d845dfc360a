// The contactline map. Owns the page: the MapLibre map and its offline
// style, the date bar, the panels (check, layers, incidents), the search box
// and the permalink. The verdict, the layers for a date and the place search
// come from the server's API; this file only draws and words them.

import * as maplibregl from './vendor/maplibre-gl.mjs';
import {
  FIRST_DAY, LAST_DAY, LANGS, LAYERS, dayNumber, isoDay, longDate, shortDate, dayBefore, distance, decimal, dms,
  labelFor, controlOn, CONTROL_WORDS, CONTROL_COLORS, STATUS_WORDS, INCIDENT_TYPES, parseState, formatState,
  matchPlaces, looksLikeCoordinate,
} from './lib.js';

const $ = (id) => document.getElementById(id);
const abs = (path) => new URL(path, location.href).href;
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const EMPTY = { type: 'FeatureCollection', features: [] };
const FONT = ['Noto Sans', 'DejaVu Sans', 'sans-serif'];
const INCIDENT_WINDOW_DAYS = 60;

const LAYER_INFO = {
  zone: { title: 'Peacekeeping zone', swatch: 'background:#1f5f99;opacity:.6', map: ['zone-fill', 'zone-line'] },
  corridor: { title: 'Lachin corridor', swatch: 'background:#6a3d9a;opacity:.6', map: ['corridor-fill', 'corridor-line'] },
  line_of_contact: { title: 'Line of contact', swatch: 'background:#b2182b', line: true, map: ['loc-line'] },
  roads: { title: 'Corridor roads', swatch: 'background:#3d3d3d', line: true, map: ['roads-casing', 'roads-line'] },
  settlements: { title: 'Settlements', swatch: 'background:#1f5f99', dot: true, map: ['settlements-circle', 'labels-major', 'labels-minor'] },
  positions: { title: 'Positions and checkpoints', swatch: 'background:#fff;border:2px solid #3d3d3d', dot: true, map: ['positions-circle', 'positions-label'] },
  incidents: { title: 'Incidents', swatch: 'background:#b2182b', dot: true, map: ['incidents-circle', 'incidents-selected'] },
};
// Layers whose features change only at the zone/corridor change dates: fetched per date, cached per period.
const DATED = ['zone', 'corridor', 'line_of_contact', 'roads'];
// Layers fetched whole once and filtered here (point features with their own dates).
const WHOLE = ['settlements', 'positions', 'incidents'];

const url = parseState(location.search);
const state = {
  date: url.date || '2022-03-01',
  center: url.center || null,
  zoom: url.zoom ?? null,
  layers: new Set(url.layers || LAYERS),
  lang: url.lang || 'dual',
  point: url.point || null,
  incident: url.incident || null,
  from: url.from || null,
  to: url.to || null,
  basemap: url.basemap || 'offline',
  embed: url.embed,
  version: null,
};

let dataset = null;
let changeDates = [];
let map = null;
const raw = {}; // layer id -> FeatureCollection (WHOLE layers) as served
const datedCache = new Map(); // `${id}@${period}` -> Promise<FeatureCollection>
const current = {}; // layer id -> FeatureCollection on the map now
let lastVerdict = null;
let locateSeq = 0;
let placesApi = true;
let playing = null;

// ---------------------------------------------------------------- API

async function getJson(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!r.ok) {
    let message = `${r.status} ${r.statusText}`;
    try {
      const body = await r.json();
      message = body?.error?.message || message;
    } catch { /* not JSON */ }
    const e = new Error(message);
    e.status = r.status;
    throw e;
  }
  return r.json();
}

/** The period a date falls in: the last change date on or before it. */
function periodOf(date) {
  let p = FIRST_DAY;
  for (const d of changeDates) if (d <= date) p = d;
  return date < FIRST_DAY ? 'before' : p;
}

function datedLayer(id, date) {
  const key = `${id}@${periodOf(date)}`;
  if (!datedCache.has(key)) {
    datedCache.set(key, getJson(`api/v1/layers/${id}?date=${date}`).catch((e) => {
      datedCache.delete(key);
      throw e;
    }));
  }
  return datedCache.get(key);
}

const validOn = (p, date) => (!p.valid_from || p.valid_from <= date) && (!p.valid_to || date < p.valid_to);

// ---------------------------------------------------------------- map style

function baseLayers() {
  return [
    { id: 'background', type: 'background', paint: { 'background-color': '#dfe6ea' }, metadata: { basemap: true } },
    { id: 'countries-fill', type: 'fill', source: 'countries', paint: { 'fill-color': '#f4f1ea' }, metadata: { basemap: true } },
    { id: 'lakes-fill', type: 'fill', source: 'lakes', paint: { 'fill-color': '#b7d0e0' }, metadata: { basemap: true } },
    { id: 'rivers-line', type: 'line', source: 'rivers', paint: { 'line-color': '#8fb3cc', 'line-width': 1 }, metadata: { basemap: true } },
    {
      id: 'countries-line', type: 'line', source: 'countries',
      paint: { 'line-color': '#7a7468', 'line-width': ['interpolate', ['linear'], ['zoom'], 5, 0.8, 10, 1.6], 'line-dasharray': [4, 2] },
    },
  ];
}

function overlayLayers() {
  const incidentColor = ['match', ['get', 'type'], ...Object.entries(INCIDENT_TYPES).flatMap(([k, v]) => [k, v.color]), '#5f5f5f'];
  const controlColor = ['match', ['get', 'status'], ...Object.entries(CONTROL_COLORS).flatMap(([k, v]) => [k, v]), '#bbbbbb'];
  const label = (id, filter, minzoom, size) => ({
    id, type: 'symbol', source: 'settlements', filter, minzoom,
    layout: {
      'text-field': ['get', 'label'],
      'text-font': FONT,
      'text-size': size,
      'text-variable-anchor': ['top', 'bottom', 'right', 'left'],
      'text-radial-offset': 0.55,
      'text-justify': 'auto',
      'text-max-width': 9,
      'text-padding': 3,
      'symbol-sort-key': ['get', 'rank'],
    },
    paint: { 'text-color': '#1b1b1b', 'text-halo-color': 'rgba(255,255,255,0.95)', 'text-halo-width': 1.8, 'text-halo-blur': 0.3 },
  });
  return [
    { id: 'zone-fill', type: 'fill', source: 'zone', paint: { 'fill-color': '#1f5f99', 'fill-opacity': 0.22 } },
    { id: 'corridor-fill', type: 'fill', source: 'corridor', paint: { 'fill-color': '#6a3d9a', 'fill-opacity': 0.25 } },
    { id: 'zone-line', type: 'line', source: 'zone', paint: { 'line-color': '#1f5f99', 'line-width': ['interpolate', ['linear'], ['zoom'], 6, 1.5, 12, 3] } },
    { id: 'corridor-line', type: 'line', source: 'corridor', paint: { 'line-color': '#6a3d9a', 'line-width': 1.5, 'line-dasharray': [3, 2] } },
    { id: 'loc-line', type: 'line', source: 'line_of_contact', paint: { 'line-color': '#b2182b', 'line-width': ['interpolate', ['linear'], ['zoom'], 6, 1.2, 12, 3] } },
    { id: 'roads-casing', type: 'line', source: 'roads', paint: { 'line-color': '#ffffff', 'line-width': 4 }, layout: { 'line-join': 'round' } },
    { id: 'roads-line', type: 'line', source: 'roads', paint: { 'line-color': '#3d3d3d', 'line-width': 2 }, layout: { 'line-join': 'round' } },
    { id: 'pick-line', type: 'line', source: 'pick', filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#1b1b1b', 'line-width': 1.5, 'line-dasharray': [2, 2] } },
    {
      id: 'positions-circle', type: 'circle', source: 'positions',
      paint: { 'circle-radius': 4, 'circle-color': '#ffffff', 'circle-stroke-color': '#3d3d3d', 'circle-stroke-width': 2 },
    },
    {
      id: 'settlements-circle', type: 'circle', source: 'settlements',
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 6, ['match', ['get', 'kind'], 'city', 4, 'town', 3, 2], 12, ['match', ['get', 'kind'], 'city', 8, 'town', 6, 5]],
        'circle-color': controlColor, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1,
      },
    },
    {
      id: 'incidents-selected', type: 'circle', source: 'incidents', filter: ['==', ['get', 'id'], state.incident || ''],
      paint: { 'circle-radius': 13, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#e8a200', 'circle-stroke-width': 4 },
    },
    {
      id: 'incidents-circle', type: 'circle', source: 'incidents',
      paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 6, 5, 12, 8], 'circle-color': incidentColor, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
    },
    label('labels-major', ['in', ['get', 'kind'], ['literal', ['city', 'town']]], 0, ['interpolate', ['linear'], ['zoom'], 7, ['match', ['get', 'kind'], 'city', 13, 11], 12, ['match', ['get', 'kind'], 'city', 17, 15]]),
    label('labels-minor', ['in', ['get', 'kind'], ['literal', ['village', 'position']]], 9, ['interpolate', ['linear'], ['zoom'], 9, 11, 13, 14]),
    {
      id: 'positions-label', type: 'symbol', source: 'positions', minzoom: 10,
      layout: { 'text-field': ['get', 'label'], 'text-font': FONT, 'text-size': 11, 'text-offset': [0, 0.9], 'text-anchor': 'top', 'text-max-width': 9, 'text-optional': true },
      paint: { 'text-color': '#3d3d3d', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    },
    {
      id: 'pick-point', type: 'circle', source: 'pick', filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 7, 'circle-color': '#e8a200', 'circle-stroke-color': '#1b1b1b', 'circle-stroke-width': 2 },
    },
  ];
}

function sources() {
  const s = {
    countries: { type: 'geojson', data: abs('basemap/countries.geojson') },
    lakes: { type: 'geojson', data: abs('basemap/lakes.geojson') },
    rivers: { type: 'geojson', data: abs('basemap/rivers.geojson') },
    pick: { type: 'geojson', data: pickData() },
  };
  for (const id of LAYERS) {
    s[id] = { type: 'geojson', data: current[id] || EMPTY };
    if (id === 'zone') s[id].attribution = esc(dataset?.attribution || 'contactline geodata (CC BY 4.0)');
  }
  return s;
}

function offlineStyle() {
  // No `glyphs`: MapLibre draws labels with the browser's own fonts, so
  // Armenian and Cyrillic need no glyph server.
  const layers = [...baseLayers(), ...overlayLayers()];
  applyVisibility(layers);
  return { version: 8, sources: sources(), layers };
}

function applyVisibility(layers) {
  for (const [id, info] of Object.entries(LAYER_INFO)) {
    for (const l of layers) {
      if (info.map.includes(l.id)) l.layout = { ...(l.layout || {}), visibility: state.layers.has(id) ? 'visible' : 'none' };
    }
  }
}

function setStyle() {
  if (state.basemap === 'online' && dataset?.basemap_style) {
    map.setStyle(dataset.basemap_style, {
      transformStyle: (_prev, next) => {
        const ours = offlineStyle();
        const mine = ours.layers.filter((l) => !l.metadata?.basemap);
        const style = { ...next, sources: { ...next.sources, ...ours.sources }, layers: [...next.layers, ...mine] };
        delete style.glyphs; // our labels and theirs in local fonts
        return style;
      },
    });
  } else {
    map.setStyle(offlineStyle());
  }
}

function pickData() {
  if (!state.point) return EMPTY;
  const features = [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [state.point.lon, state.point.lat] } }];
  const nb = lastVerdict?.nearest_boundary_point;
  if (nb && lastVerdict.status !== 'no_zone') {
    features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[state.point.lon, state.point.lat], nb] } });
  }
  return { type: 'FeatureCollection', features };
}

function setSource(id, data) {
  const src = map?.getSource(id);
  if (src) src.setData(data);
}

// ---------------------------------------------------------------- data for the date

const RANK = { city: 0, town: 1, village: 2, position: 3 };

function decoratePoints(id) {
  const fc = raw[id];
  if (!fc) return EMPTY;
  const features = [];
  for (const f of fc.features) {
    const p = f.properties || {};
    if (!validOn(p, state.date)) continue;
    features.push({
      type: 'Feature', id: f.id, geometry: f.geometry,
      properties: { id: p.id, kind: p.kind, label: labelFor(p, state.lang), status: controlOn(p, state.date), rank: RANK[p.kind] ?? 4 },
    });
  }
  return { type: 'FeatureCollection', features };
}

function incidentRange() {
  if (state.from || state.to) return [state.from || FIRST_DAY, state.to || LAST_DAY];
  const d = dayNumber(state.date);
  return [isoDay(d - INCIDENT_WINDOW_DAYS), isoDay(d + INCIDENT_WINDOW_DAYS)];
}

function incidentsInRange() {
  const [from, to] = incidentRange();
  const list = (raw.incidents?.features || []).filter((f) => {
    const p = f.properties;
    const end = p.date_end || p.date;
    return p.date <= to && end >= from;
  });
  list.sort((a, b) => a.properties.date.localeCompare(b.properties.date) || a.properties.id.localeCompare(b.properties.id));
  return list;
}

function refreshPoints() {
  current.settlements = decoratePoints('settlements');
  current.positions = decoratePoints('positions');
  current.incidents = {
    type: 'FeatureCollection',
    features: incidentsInRange().map((f) => ({ type: 'Feature', id: f.id, geometry: f.geometry, properties: { id: f.properties.id, type: f.properties.type } })),
  };
  for (const id of WHOLE) setSource(id, current[id]);
  renderIncidents();
}

let loadSeq = 0;
async function loadDate() {
  const seq = ++loadSeq;
  const date = state.date;
  refreshPoints();
  try {
    const fcs = await Promise.all(DATED.map((id) => datedLayer(id, date)));
    if (seq !== loadSeq) return;
    DATED.forEach((id, i) => {
      if (current[id] !== fcs[i]) {
        current[id] = fcs[i];
        setSource(id, fcs[i]);
      }
    });
    document.body.dataset.loadedDate = date;
  } catch (e) {
    notice(`Could not load the layers for ${longDate(date)}: ${e.message}`);
  }
}

// ---------------------------------------------------------------- date bar

function setDate(date, { fromSlider = false } = {}) {
  if (date < FIRST_DAY) date = FIRST_DAY;
  if (date > LAST_DAY) date = LAST_DAY;
  if (date === state.date && document.body.dataset.loadedDate) return;
  state.date = date;
  const slider = $('date-slider');
  if (!fromSlider) slider.value = String(dayNumber(date));
  slider.setAttribute('aria-valuetext', longDate(date));
  $('date-input').value = date;
  updateDownloads();
  scheduleDateWork();
  saveUrl();
}

let dateTimer = null;
function scheduleDateWork() {
  clearTimeout(dateTimer);
  refreshPoints();
  dateTimer = setTimeout(() => {
    loadDate();
    if (state.point) checkPoint(state.point.lat, state.point.lon, { quiet: true, keepView: true });
  }, playing ? 0 : 60);
}

function stepChange(dir) {
  const stops = [FIRST_DAY, ...changeDates, dataset?.zone_period?.to].filter(Boolean);
  const next = dir > 0 ? stops.find((d) => d > state.date) : [...stops].reverse().find((d) => d < state.date);
  if (next) setDate(next > LAST_DAY ? LAST_DAY : next);
}

function togglePlay(force) {
  const on = force ?? !playing;
  const btn = $('play');
  if (on && !playing) {
    if (state.date >= LAST_DAY) setDate(FIRST_DAY);
    playing = setInterval(() => {
      const next = isoDay(dayNumber(state.date) + 7);
      if (next >= LAST_DAY) {
        setDate(LAST_DAY);
        togglePlay(false);
      } else setDate(next);
    }, 250);
  } else if (!on && playing) {
    clearInterval(playing);
    playing = null;
  }
  btn.innerHTML = playing
    ? '<svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16"><path d="M3 2h4v12H3zM9 2h4v12H9z" fill="currentColor"/></svg>'
    : '<svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16"><path d="M4 2l10 6-10 6z" fill="currentColor"/></svg>';
  btn.setAttribute('aria-label', playing ? 'Pause' : 'Play through the dates');
  btn.setAttribute('aria-pressed', playing ? 'true' : 'false');
}

function setupDateBar() {
  const slider = $('date-slider');
  const min = dayNumber(FIRST_DAY);
  const max = dayNumber(LAST_DAY);
  slider.min = String(min);
  slider.max = String(max);
  slider.step = '1';
  slider.value = String(dayNumber(state.date));
  const input = $('date-input');
  input.min = FIRST_DAY;
  input.max = LAST_DAY;
  input.value = state.date;
  const ticks = $('ticks');
  const list = $('change-ticks');
  const marks = [...new Set([FIRST_DAY, ...changeDates, dataset?.zone_period?.to].filter(Boolean))];
  for (const d of marks) {
    const pos = ((dayNumber(d) - min) / (max - min)) * 100;
    const span = document.createElement('span');
    span.style.left = `${pos}%`;
    span.title = longDate(d);
    span.dataset.date = d;
    ticks.append(span);
    const opt = document.createElement('option');
    opt.value = String(dayNumber(d));
    opt.label = shortDate(d);
    list.append(opt);
  }
  slider.addEventListener('input', () => setDate(isoDay(Number(slider.value)), { fromSlider: true }));
  slider.addEventListener('keydown', (e) => {
    if (e.key === 'PageUp' || e.key === 'PageDown') {
      e.preventDefault();
      stepChange(e.key === 'PageDown' ? 1 : -1);
    } else if (e.key === ' ') {
      e.preventDefault();
      togglePlay();
    }
  });
  input.addEventListener('change', () => {
    if (input.value) setDate(input.value);
  });
  $('play').addEventListener('click', () => togglePlay());
  $('prev-change').addEventListener('click', () => stepChange(-1));
  $('next-change').addEventListener('click', () => stepChange(1));
  slider.setAttribute('aria-valuetext', longDate(state.date));
}

// ---------------------------------------------------------------- the verdict

function placeName(p) {
  if (state.lang === 'dual') return p.name || p.display_name;
  const n = p.names?.[state.lang];
  return (Array.isArray(n) ? n[0] : n) || p.name || p.display_name;
}

function statusWords(status) {
  return STATUS_WORDS[status] || status;
}

async function checkPoint(lat, lon, { quiet = false, keepView = true, query = null } = {}) {
  const seq = ++locateSeq;
  if (lat != null) {
    // A permalink keeps 5 decimals (about 1 m): keep the same here.
    lat = Math.round(lat * 1e5) / 1e5;
    lon = Math.round(lon * 1e5) / 1e5;
    state.point = { lat, lon };
    setSource('pick', pickData());
  }
  if (!quiet) showTab('check');
  const params = query ? `q=${encodeURIComponent(query)}` : `lat=${lat}&lon=${lon}`;
  let v;
  try {
    v = await getJson(`api/v1/locate?${params}&date=${state.date}`);
  } catch (e) {
    if (seq !== locateSeq) return null;
    $('verdict').innerHTML = `<p class="error" role="alert">Could not check this point: ${esc(e.message)}</p>`;
    $('embed-verdict').innerHTML = `<p class="error">${esc(e.message)}</p>`;
    return null;
  }
  if (seq !== locateSeq) return null;
  if (query) {
    state.point = { lat: v.query.lat, lon: v.query.lon };
    if (!keepView) map.flyTo({ center: [v.query.lon, v.query.lat], zoom: Math.max(map.getZoom(), 11) });
  }
  lastVerdict = v;
  setSource('pick', pickData());
  renderVerdict(v);
  saveUrl();
  return v;
}

function renderVerdict(v) {
  const { lat, lon } = v.query;
  const status = v.status || 'no_zone';
  const inside = v.distance_to_boundary_m != null && v.distance_to_boundary_m < 0;
  const version = v.zone_version ? `${esc(v.zone_version.title)} (${shortDate(v.zone_version.valid_from)} – ${v.zone_version.valid_to ? shortDate(dayBefore(v.zone_version.valid_to)) : 'end'})` : '–';
  const places = (v.nearest_places || []).map((p) => `<li>${esc(placeName(p))}: ${distance(p.distance_m)} ${esc(p.direction || '')}${p.control_status ? `, ${esc(CONTROL_WORDS[p.control_status] || p.control_status)}` : ''}</li>`).join('');
  const timeline = (v.timeline || []).filter((t) => t.from || t.to).map((t) => {
    const cur = (!t.from || t.from <= state.date) && (!t.to || state.date < t.to);
    const span = `${t.from ? shortDate(t.from) : 'before'} – ${t.to ? shortDate(dayBefore(t.to)) : 'after'}`;
    return `<li class="${cur ? 'current' : ''}"${cur ? ' aria-current="true"' : ''}><button type="button" class="linkish" data-date="${esc(t.from || FIRST_DAY)}">${span}</button>: ${esc(statusWords(t.status))}${t.distance_to_boundary_m != null ? ` (${distance(t.distance_to_boundary_m)} ${t.distance_to_boundary_m < 0 ? 'inside' : 'outside'})` : ''}${t.near_boundary ? ' ⚠' : ''}</li>`;
  }).join('');
  const sources = (v.sources || []).map((s) => `<li>${link(s)}</li>`).join('');
  const resolved = v.resolved ? `<p class="small">Understood “${esc(v.resolved.description)}”.</p>` : '';
  $('verdict').dataset.status = status;
  $('verdict').innerHTML = `
    <div class="verdict-head ${esc(status)}">
      <p class="status" id="verdict-status">${esc(statusWords(status))}</p>
      <p class="when">on ${esc(longDate(v.query.date || state.date))} · ${esc(decimal(lat, lon))}</p>
    </div>
    ${resolved}
    ${v.near_boundary ? `<p class="warning" role="alert">⚠ Near the boundary: this point is closer to the boundary than the boundary's own accuracy here, so the answer could go either way.</p>` : ''}
    <p>${esc(v.summary || '')}</p>
    <dl class="facts">
      <dt>Distance to the boundary</dt><dd>${v.distance_to_boundary_m != null ? `${distance(v.distance_to_boundary_m)} ${inside ? 'inside' : 'outside'}` : '–'}</dd>
      <dt>Boundary accuracy</dt><dd>${v.boundary_accuracy_m != null ? `± ${distance(v.boundary_accuracy_m)}` : '–'}</dd>
      <dt>Zone version</dt><dd>${version}</dd>
      ${v.corridor_version ? `<dt>Corridor</dt><dd>${esc(v.corridor_version.title)}</dd>` : ''}
      <dt>Dataset</dt><dd><code>${esc(v.dataset_version)}</code></dd>
    </dl>
    <div class="copy-row">
      <button type="button" data-copy="${esc(decimal(lat, lon))}">Copy decimal</button>
      <button type="button" data-copy="${esc(dms(lat, lon))}">Copy DMS</button>
      <button type="button" data-copy-link="1">Copy link</button>
    </div>
    <p class="small">${esc(decimal(lat, lon))} · ${esc(dms(lat, lon))}</p>
    ${places ? `<h3>Nearest places</h3><ul class="places">${places}</ul>` : ''}
    ${timeline ? `<h3>Timeline at this point</h3><ul class="timeline">${timeline}</ul>` : ''}
    ${sources ? `<h3>Sources</h3><ul class="sources">${sources}</ul>` : ''}`;
  const near = v.near_boundary ? ' ⚠ near the boundary' : '';
  $('embed-verdict').innerHTML = `<p><strong>${esc(statusWords(status))}</strong>${near}</p>
    <p>${esc(longDate(v.query.date || state.date))} · ${esc(decimal(lat, lon))}${v.distance_to_boundary_m != null ? ` · ${distance(v.distance_to_boundary_m)} ${inside ? 'inside' : 'outside'} (± ${distance(v.boundary_accuracy_m)})` : ''}</p>
    <p class="small"><a href="${esc(fullMapLink())}" target="_blank" rel="noopener">Open the full map ↗</a></p>`;
  $('embed-verdict').hidden = !state.embed;
}

function link(s) {
  if (!s) return '';
  const safe = /^https?:\/\//.test(s.url || '');
  return safe ? `<a href="${esc(s.url)}" target="_blank" rel="noopener noreferrer">${esc(s.title || s.url)}</a>` : esc(s.title || s.url || '');
}

async function copy(text, btn) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    document.body.append(ta);
    ta.select();
    document.execCommand('copy');
    ta.remove();
  }
  if (btn) {
    const old = btn.textContent;
    btn.textContent = 'Copied';
    setTimeout(() => { btn.textContent = old; }, 1200);
  }
}

// ---------------------------------------------------------------- incidents

function renderIncidents() {
  const [from, to] = incidentRange();
  $('inc-from').value = from;
  $('inc-to').value = to;
  const list = incidentsInRange();
  $('inc-count').textContent = `${list.length} incident${list.length === 1 ? '' : 's'} from ${longDate(from)} to ${longDate(to)}${state.from || state.to ? '' : ' (around the selected date)'}.`;
  $('incident-list').innerHTML = list.map((f) => {
    const p = f.properties;
    const t = INCIDENT_TYPES[p.type] || INCIDENT_TYPES.other;
    const when = p.date_end && p.date_end !== p.date ? `${shortDate(p.date)} – ${shortDate(p.date_end)}` : shortDate(p.date);
    const claims = (p.claims || []).map((c) => `<li><span class="who">${esc(c.who)}</span>${c.date ? ` (${esc(shortDate(c.date))})` : ''}: ${esc(c.said)}${c.source ? ` <span class="small">[${link(c.source)}]</span>` : ''}</li>`).join('');
    const more = [...(p.links || []), ...(p.sources || [])].map(link).join(' · ');
    return `<li data-id="${esc(p.id)}" style="border-left-color:${t.color}" class="${p.id === state.incident ? 'selected' : ''}">
      <button type="button" class="inc-title" data-incident="${esc(p.id)}" aria-pressed="${p.id === state.incident}">${esc(t.label)}: ${esc(p.place)}</button>
      <p class="meta">${esc(when)} · location precise to about ${distance(p.location_precision_m)}</p>
      <p>${esc(p.summary)}</p>
      ${claims ? `<p class="meta">Claims, as made by each party:</p><ul class="claims">${claims}</ul>` : ''}
      ${more ? `<p class="meta">Sources: ${more}</p>` : ''}
    </li>`;
  }).join('');
}

function selectIncident(id, { fly = true, setDay = false } = {}) {
  const f = raw.incidents?.features.find((x) => x.properties.id === id);
  if (!f) return;
  state.incident = id;
  if (setDay && (f.properties.date > state.date || (f.properties.date_end || f.properties.date) < state.date)) {
    setDate(f.properties.date < FIRST_DAY ? FIRST_DAY : f.properties.date);
  }
  map.setFilter('incidents-selected', ['==', ['get', 'id'], id]);
  renderIncidents();
  const li = document.querySelector(`#incident-list li[data-id="${CSS.escape(id)}"]`);
  if (li) li.scrollIntoView({ block: 'nearest' });
  if (fly) map.flyTo({ center: f.geometry.coordinates, zoom: Math.max(map.getZoom(), 10) });
  saveUrl();
}

// ---------------------------------------------------------------- search

let suggestions = [];
let active = -1;
let searchSeq = 0;

async function suggest(q) {
  const seq = ++searchSeq;
  const items = [];
  if (q.trim().length >= 2) {
    let places = null;
    if (placesApi && !looksLikeCoordinate(q)) {
      try {
        const r = await getJson(`api/v1/places?q=${encodeURIComponent(q)}&limit=8`);
        places = Array.isArray(r) ? r : r.results || [];
      } catch (e) {
        // Not there (404) or answered by the web app's index page (not JSON): search here instead.
        if (!e.status || e.status === 404 || e.status === 405 || e.status === 501) placesApi = false;
      }
    }
    if (!places && !looksLikeCoordinate(q)) {
      const all = (raw.settlements?.features || []).concat(raw.positions?.features || [])
        .map((f) => ({ ...f.properties, coordinates: f.geometry.coordinates }));
      places = matchPlaces(all, q);
    }
    // Drop weak typo matches when a strong match exists.
    const best = Math.max(0, ...(places || []).map((p) => p.score ?? 0));
    places = (places || []).filter((p) => (p.score ?? 1) >= Math.min(0.3, best) && (p.score ?? 1) >= best * 0.5);
    for (const p of places) {
      // `matched` is a string (offline matcher) or { form, lang, how } (the places API).
      const matched = typeof p.matched === 'string' ? p.matched : p.matched?.form;
      items.push({ ...p, placeKind: p.kind, matched, kind: 'place' });
    }
    items.push({ kind: 'query', q });
  }
  if (seq !== searchSeq) return;
  suggestions = items;
  active = items.length && items[0].kind === 'place' ? 0 : -1;
  renderSuggestions();
}

function suggestionLabel(p) {
  if (state.lang !== 'dual') {
    const n = p.names?.[state.lang];
    const first = Array.isArray(n) ? n[0] : n;
    if (first) return first;
  }
  return p.display_name || p.name || p.id;
}

function renderSuggestions() {
  const ul = $('suggestions');
  const input = $('search');
  ul.innerHTML = suggestions.map((s, i) => {
    const text = s.kind === 'place'
      ? `${esc(suggestionLabel(s))}${s.matched && s.matched !== s.display_name ? `<span class="alt">matched “${esc(s.matched)}”</span>` : ''}`
      : `${looksLikeCoordinate(s.q) ? 'Check coordinates' : 'Look up'} “${esc(s.q)}”`;
    return `<li role="option" id="sugg-${i}" data-i="${i}" aria-selected="${i === active}">${text}</li>`;
  }).join('');
  ul.hidden = suggestions.length === 0;
  input.setAttribute('aria-expanded', String(!ul.hidden));
  if (active >= 0) input.setAttribute('aria-activedescendant', `sugg-${active}`);
  else input.removeAttribute('aria-activedescendant');
}

function closeSuggestions() {
  suggestions = [];
  renderSuggestions();
}

async function choose(s) {
  closeSuggestions();
  if (!s) return;
  if (s.kind === 'place') {
    const [lon, lat] = s.coordinates;
    $('search').value = suggestionLabel(s);
    map.flyTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), 11.5) });
    await checkPoint(lat, lon);
  } else {
    await checkPoint(null, null, { query: s.q, keepView: false });
  }
}

function setupSearch() {
  const input = $('search');
  let timer = null;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => suggest(input.value), 120);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!suggestions.length) return;
      active = (active + (e.key === 'ArrowDown' ? 1 : -1) + suggestions.length) % suggestions.length;
      renderSuggestions();
    } else if (e.key === 'Escape') {
      closeSuggestions();
    }
  });
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = input.value.trim();
    if (!q) return;
    choose(suggestions[active >= 0 ? active : 0] || { kind: 'query', q });
  });
  $('suggestions').addEventListener('mousedown', (e) => {
    const li = e.target.closest('li[data-i]');
    if (li) {
      e.preventDefault();
      choose(suggestions[Number(li.dataset.i)]);
    }
  });
  input.addEventListener('blur', () => setTimeout(closeSuggestions, 150));
}

// ---------------------------------------------------------------- panels, legend, downloads

function showTab(name) {
  for (const t of ['check', 'layers', 'incidents']) {
    const tab = $(`tab-${t}`);
    const on = t === name;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`pane-${t}`).hidden = !on;
  }
}

function setupTabs() {
  const names = ['check', 'layers', 'incidents'];
  names.forEach((n, i) => {
    const tab = $(`tab-${n}`);
    tab.addEventListener('click', () => showTab(n));
    tab.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      const next = names[(i + (e.key === 'ArrowRight' ? 1 : names.length - 1)) % names.length];
      showTab(next);
      $(`tab-${next}`).focus();
    });
  });
}

function setupLayers() {
  const ul = $('layer-list');
  ul.innerHTML = LAYERS.map((id) => {
    const info = LAYER_INFO[id];
    const cls = info.line ? 'swatch line' : info.dot ? 'swatch dot' : 'swatch';
    return `<li><label><input type="checkbox" data-layer="${id}" ${state.layers.has(id) ? 'checked' : ''}>
      <span class="${cls}" style="${info.swatch}"></span>${esc(info.title)}</label>
      <a data-download="${id}" download>GeoJSON<span class="sr-only"> of ${esc(info.title)} for the selected date</span></a></li>`;
  }).join('');
  ul.addEventListener('change', (e) => {
    const id = e.target.dataset.layer;
    if (!id) return;
    if (e.target.checked) state.layers.add(id);
    else state.layers.delete(id);
    for (const l of LAYER_INFO[id].map) if (map.getLayer(l)) map.setLayoutProperty(l, 'visibility', e.target.checked ? 'visible' : 'none');
    saveUrl();
  });
  $('control-legend').innerHTML = Object.entries(CONTROL_COLORS).filter(([k]) => k !== 'unknown')
    .map(([k, c]) => `<li><span class="swatch dot" style="background:${c}"></span>${esc(CONTROL_WORDS[k])}</li>`).join('');
  $('incident-legend').innerHTML = Object.values(INCIDENT_TYPES)
    .map((t) => `<li><span class="swatch dot" style="background:${t.color}"></span>${esc(t.label)}</li>`).join('');
  if (dataset?.basemap_style) {
    $('basemap-toggle').hidden = false;
    const cb = $('basemap-online');
    cb.checked = state.basemap === 'online';
    cb.addEventListener('change', () => {
      state.basemap = cb.checked ? 'online' : 'offline';
      setStyle();
      saveUrl();
    });
  }
  $('dataset-info').textContent = dataset ? `Dataset version ${dataset.dataset_version}. ${dataset.attribution || ''}` : '';
  updateDownloads();
}

function updateDownloads() {
  for (const a of document.querySelectorAll('a[data-download]')) {
    a.href = `api/v1/layers/${a.dataset.download}?date=${state.date}&download=1`;
  }
}

// ---------------------------------------------------------------- permalink

function snapshot() {
  const c = map?.getCenter();
  const all = LAYERS.every((l) => state.layers.has(l));
  return {
    date: state.date,
    center: c ? { lat: c.lat, lon: c.lng } : state.center,
    zoom: map ? Math.round(map.getZoom() * 100) / 100 : state.zoom,
    point: state.point,
    incident: state.incident,
    layers: all ? null : LAYERS.filter((l) => state.layers.has(l)),
    lang: state.lang,
    from: state.from,
    to: state.to,
    basemap: state.basemap,
    embed: state.embed,
    version: dataset?.dataset_version,
  };
}

let urlTimer = null;
function saveUrl() {
  clearTimeout(urlTimer);
  urlTimer = setTimeout(() => {
    const q = formatState(snapshot());
    if (`?${q}` !== location.search) history.replaceState(null, '', `${location.pathname}?${q}`);
  }, 80);
}

function permalink() {
  return `${location.origin}${location.pathname}?${formatState(snapshot())}`;
}

function fullMapLink() {
  return `${location.origin}${location.pathname}?${formatState({ ...snapshot(), embed: false })}`;
}

function notice(text) {
  const n = $('notice');
  n.textContent = text;
  n.hidden = !text;
}

// ---------------------------------------------------------------- start

async function start() {
  if (state.embed) document.body.classList.add('embed');
  try {
    dataset = await getJson('api/v1/dataset');
  } catch (e) {
    notice(`The server did not answer: ${e.message}`);
    return;
  }
  changeDates = (dataset.change_dates || []).slice().sort();
  if (url.version && url.version !== dataset.dataset_version) {
    notice(`This link was made with dataset version ${url.version}; the map now shows version ${dataset.dataset_version}, whose boundaries may differ.`);
  }
  const lang = $('lang');
  lang.value = state.lang;
  lang.addEventListener('change', () => {
    state.lang = LANGS.includes(lang.value) ? lang.value : 'dual';
    refreshPoints();
    if (lastVerdict) renderVerdict(lastVerdict);
    saveUrl();
  });
  setupDateBar();
  setupTabs();
  setupSearch();
  setupLayers();

  const wholes = Promise.all(WHOLE.map((id) => getJson(`api/v1/layers/${id}`).then((fc) => { raw[id] = fc; })));

  const narrow = window.innerWidth < 760;
  map = new maplibregl.Map({
    container: 'map',
    style: offlineStyle(),
    center: state.center ? [state.center.lon, state.center.lat] : [46.75, 39.8],
    zoom: state.zoom ?? (narrow ? 7.4 : 8.2),
    minZoom: 5,
    maxZoom: 16,
    maxBounds: [[40.5, 36.0], [52.5, 43.5]],
    attributionControl: { compact: narrow || state.embed, customAttribution: '<a href="https://www.naturalearthdata.com/" target="_blank" rel="noopener">Natural Earth</a>' },
    keyboard: true,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  window.__map = map;

  map.on('style.load', () => {
    for (const id of [...LAYERS]) if (current[id]) setSource(id, current[id]);
    setSource('pick', pickData());
  });
  map.on('click', (e) => {
    const hit = map.queryRenderedFeatures(e.point, { layers: ['incidents-circle'] })[0];
    if (hit) {
      selectIncident(hit.properties.id, { fly: false });
      showTab('incidents');
    } else {
      checkPoint(e.lngLat.lat, e.lngLat.lng);
    }
  });
  map.on('mouseenter', 'incidents-circle', () => { map.getCanvas().style.cursor = 'pointer'; });
  map.on('mouseleave', 'incidents-circle', () => { map.getCanvas().style.cursor = ''; });
  map.on('moveend', saveUrl);
  $('map').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target === $('map')) {
      const c = map.getCenter();
      checkPoint(c.lat, c.lng);
    }
  });

  document.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    if (b.dataset.copy) copy(b.dataset.copy, b);
    else if (b.dataset.copyLink) copy(permalink(), b);
    else if (b.dataset.incident) selectIncident(b.dataset.incident, { fly: true, setDay: true });
    else if (b.dataset.date && b.closest('.timeline')) setDate(b.dataset.date);
  });
  $('inc-from').addEventListener('change', (e) => { state.from = e.target.value || null; if (!state.to) state.to = incidentRange()[1]; refreshPoints(); saveUrl(); });
  $('inc-to').addEventListener('change', (e) => { state.to = e.target.value || null; if (!state.from) state.from = incidentRange()[0]; refreshPoints(); saveUrl(); });
  $('inc-around').addEventListener('click', () => { state.from = null; state.to = null; refreshPoints(); saveUrl(); });

  await new Promise((resolve) => (map.loaded() ? resolve() : map.once('load', resolve)));
  // Compact attribution starts open; on a phone or in an iframe it would cover the map.
  if (narrow || state.embed) document.querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show');
  await wholes.catch((e) => notice(`Could not load the point layers: ${e.message}`));
  await loadDate();
  if (state.incident) selectIncident(state.incident, { fly: !state.center });
  if (state.point) await checkPoint(state.point.lat, state.point.lon, { quiet: !!state.incident && !url.point });
  if (state.embed) $('embed-verdict').hidden = false;
  if (state.embed && !state.point) $('embed-verdict').innerHTML = '<p>Click the map to check a point.</p>';
  saveUrl();
  document.body.dataset.ready = '1';
}

// For the browser tests and for people at the console.
window.__app = { state, checkPoint, setDate, selectIncident, permalink, get verdict() { return lastVerdict; } };
window.__ready = start();
