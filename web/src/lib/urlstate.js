// The permalink: the page state a URL carries, read strictly (each value
// that is malformed or outside what the catalog offers becomes a notice
// saying what was shown instead) and written back in a stable order.
// Query strings are read and written by URLSearchParams.

import { isIsoDay, longDate } from './dates.js';
import { period, layerIds, defaultLayerIds } from './catalog.js';

/** Label languages: `dual` shows the agreed display name ("Stepanakert / Khankendi"). */
export const LANGS = ['dual', 'en', 'hy', 'az', 'ru'];

/** The date shown when a link has none. */
export const DEFAULT_DATE = '2022-03-01';

/** Largest location uncertainty a reader can give, in metres. */
export const MAX_UNCERTAINTY_M = 50000;

function number(v) {
  return v != null && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null;
}

function latLon(v) {
  const parts = (v || '').split(',');
  if (parts.length !== 2) return null;
  const [lat, lon] = parts.map(number);
  return lat != null && lon != null && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon } : null;
}

/**
 * The state in a query string, checked against the catalog. Returns
 * `{ state, notices }`: `state` holds only valid values (absent keys take the
 * page's defaults), `notices` one sentence per value that was not used.
 */
export function parseUrl(search, cat) {
  const p = new URLSearchParams(search);
  const state = {};
  const notices = [];
  const { first, end } = period(cat);
  const ids = layerIds(cat);

  if (p.has('date')) {
    const d = p.get('date');
    if (!isIsoDay(d)) notices.push(`The link's date “${d}” is not a calendar date; showing ${longDate(DEFAULT_DATE)}.`);
    else if (d < first) {
      state.date = first;
      notices.push(`The link's date ${longDate(d)} is before the zone existed; showing its first day, ${longDate(first)}.`);
    } else if (d > end) {
      state.date = end;
      notices.push(`The link's date ${longDate(d)} is after the map's last day; showing ${longDate(end)}, the day after the zone ended.`);
    } else state.date = d;
  }
  for (const [key, name, into] of [['c', 'map centre', 'center'], ['pt', 'checked point', 'point']]) {
    if (!p.has(key)) continue;
    const v = latLon(p.get(key));
    if (v) state[into] = v;
    else notices.push(`The link's ${name} “${p.get(key)}” is not a latitude,longitude pair; ignored.`);
  }
  // The place a point was picked as (its gazetteer id): the verdict then
  // counts the place's own position accuracy as uncertainty, as the API does.
  if (p.has('pl')) {
    const id = p.get('pl');
    if (!/^[a-z0-9_-]{1,64}$/.test(id)) notices.push(`The link's place “${id}” is not a place id; checking the point only.`);
    else if (!state.point) notices.push(`The link names the place “${id}” but no checked point; ignored.`);
    else state.place = id;
  }
  if (p.has('z')) {
    const z = number(p.get('z'));
    if (z != null && z >= 0 && z <= 22) state.zoom = z;
    else notices.push(`The link's zoom “${p.get('z')}” is not a number from 0 to 22; ignored.`);
  }
  if (p.has('layers')) {
    const asked = p.get('layers').split(',').filter(Boolean);
    const known = asked.filter((l) => ids.includes(l));
    const unknown = asked.filter((l) => !ids.includes(l));
    if (unknown.length) {
      notices.push(`The link names ${unknown.length === 1 ? 'a layer' : 'layers'} this map does not have (${unknown.map((u) => `“${u}”`).join(', ')}); ${known.length ? 'showing the others' : 'showing the usual layers'}.`);
    }
    state.layers = known.length || !unknown.length ? known : defaultLayerIds(cat);
  }
  if (p.has('lang')) {
    if (LANGS.includes(p.get('lang'))) state.lang = p.get('lang');
    else notices.push(`The link's label language “${p.get('lang')}” is not one of ${LANGS.join(', ')}; showing dual names.`);
  }
  for (const key of ['from', 'to']) {
    if (!p.has(key)) continue;
    if (isIsoDay(p.get(key))) state[key] = p.get(key);
    else notices.push(`The link's incident range ${key === 'from' ? 'start' : 'end'} “${p.get(key)}” is not a calendar date; ignored.`);
  }
  if (p.has('u')) {
    const u = number(p.get('u'));
    if (u != null && u >= 0 && u <= MAX_UNCERTAINTY_M) state.uncertainty = u;
    else notices.push(`The link's location uncertainty “${p.get('u')}” is not a distance from 0 to ${MAX_UNCERTAINTY_M} m; ignored.`);
  }
  if (p.get('inc')) state.incident = p.get('inc');
  if (p.get('type')) state.types = p.get('type').split(',').filter(Boolean);
  if (p.get('who')) state.who = p.get('who');
  if (p.get('v')) state.version = p.get('v');
  if (p.get('basemap') === 'online') state.basemap = 'online';
  state.embed = p.get('embed') === '1';
  return { state, notices };
}

/** The query string for a state (stable order, 5 decimals for coordinates). */
export function formatUrl(s, cat) {
  const p = new URLSearchParams();
  if (s.date) p.set('date', s.date);
  if (s.center) p.set('c', `${s.center.lat.toFixed(5)},${s.center.lon.toFixed(5)}`);
  if (s.zoom != null) p.set('z', String(Math.round(s.zoom * 100) / 100));
  if (s.point) p.set('pt', `${s.point.lat.toFixed(5)},${s.point.lon.toFixed(5)}`);
  if (s.point && s.place) p.set('pl', s.place);
  if (s.uncertainty) p.set('u', String(Math.round(s.uncertainty)));
  if (s.incident) p.set('inc', s.incident);
  const ids = layerIds(cat);
  const usual = defaultLayerIds(cat);
  if (s.layers && !(s.layers.length === usual.length && usual.every((l) => s.layers.includes(l)))) {
    p.set('layers', ids.filter((l) => s.layers.includes(l)).join(','));
  }
  if (s.lang && s.lang !== 'dual') p.set('lang', s.lang);
  if (s.from) p.set('from', s.from);
  if (s.to) p.set('to', s.to);
  if (s.types?.length) p.set('type', s.types.join(','));
  if (s.who) p.set('who', s.who);
  if (s.basemap === 'online') p.set('basemap', 'online');
  if (s.embed) p.set('embed', '1');
  if (s.version) p.set('v', s.version);
  // Commas are safe in a query and keep coordinates readable.
  return p.toString().replace(/%2C/g, ',');
}
