// The incident list as a reader filters it: by a date range, by type and by
// who made a claim; stacked markers ordered nearest the selected date first;
// a histogram over time; the rows of the CSV download. Pure: the incidents
// are the server's layer as served.

import { addDays, dayNumber } from './dates.js';

/** Days either side of the selected date the list covers by default. */
export const WINDOW_DAYS = 60;

/** The incident list's range: the reader's, else the window around `date`. */
export function range(state) {
  if (state.from || state.to) {
    return [state.from || addDays(state.to, -2 * WINDOW_DAYS), state.to || addDays(state.from, 2 * WINDOW_DAYS)];
  }
  return [addDays(state.date, -WINDOW_DAYS), addDays(state.date, WINDOW_DAYS)];
}

const lastDay = (p) => p.date_end || p.date;

/**
 * The incidents a reader sees: overlapping `[from, to]`, of one of `types`
 * (all when empty) and, when `who` is set, with a claim by `who`; sorted by
 * date, then id.
 */
export function filter(features, { from, to, types = [], who = '' }) {
  return features
    .filter((f) => {
      const p = f.properties;
      if (p.date > to || lastDay(p) < from) return false;
      if (types.length && !types.includes(p.type)) return false;
      if (who && !(p.claims || []).some((c) => c.who === who)) return false;
      return true;
    })
    .sort((a, b) => a.properties.date.localeCompare(b.properties.date) || a.properties.id.localeCompare(b.properties.id));
}

/** Who made claims, most claims first (then by name). */
export function claimants(features) {
  const count = new Map();
  for (const f of features) for (const c of f.properties.claims || []) count.set(c.who, (count.get(c.who) || 0) + 1);
  return [...count].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([who, n]) => ({ who, n }));
}

/** Days between an incident and a date (0 when the date falls within it). */
export function daysFrom(p, date) {
  if (date < p.date) return dayNumber(p.date) - dayNumber(date);
  if (date > lastDay(p)) return dayNumber(date) - dayNumber(lastDay(p));
  return 0;
}

/** Incidents under one map click, nearest the selected date first. */
export function stack(features, date) {
  return [...features].sort((a, b) => daysFrom(a.properties, date) - daysFrom(b.properties, date)
    || a.properties.date.localeCompare(b.properties.date) || a.properties.id.localeCompare(b.properties.id));
}

/** Incidents per month from `first` to `end`: `[{ month: 'YYYY-MM', count }]`. */
export function histogram(features, first, end) {
  const bins = [];
  let [y, m] = first.split('-').map(Number);
  const stop = end.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    bins.push({ month, count: 0 });
    if (month >= stop) break;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  const at = new Map(bins.map((b, i) => [b.month, i]));
  for (const f of features) {
    const i = at.get(f.properties.date.slice(0, 7));
    if (i != null) bins[i].count += 1;
  }
  return bins;
}

/** Column names of the CSV download. */
export const CSV_COLUMNS = ['id', 'date', 'date_end', 'type', 'place', 'lat', 'lon', 'location_precision_m', 'summary',
  'claims', 'sources'];

/** The CSV download's records (one per incident, claims and sources flattened). */
export function csvRecords(features) {
  return features.map((f) => {
    const p = f.properties;
    const [lon, lat] = f.geometry.coordinates;
    const sources = [...(p.sources || []), ...(p.links || []), ...(p.claims || []).map((c) => c.source).filter(Boolean)]
      .map((s) => s.url);
    return [p.id, p.date, p.date_end || '', p.type, p.place, lat, lon, p.location_precision_m ?? '', p.summary,
      (p.claims || []).map((c) => `${c.who}${c.date ? ` (${c.date})` : ''}: ${c.said}`).join(' | '),
      [...new Set(sources)].join(' ')];
  });
}

/** The GeoJSON download: the features as served. */
export function featureCollection(features, name) {
  return { type: 'FeatureCollection', name, features };
}
