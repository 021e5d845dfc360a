// Reading the server's catalog (`/api/v1/dataset`): the period the zone
// existed, the days it changed and what changed, the layers, and (when the
// catalog carries them) the zone's area per version. The page asks this
// module instead of knowing any of it: no date or layer list is written in
// the page's code.

import { dayNumber } from './dates.js';

/** First day of the zone and the first day after it (`zone_period`). */
export function period(cat) {
  return { first: cat.zone_period.from, end: cat.zone_period.to };
}

/** The days the date bar stops at: the first day, each change, the day after the end. */
export function stops(cat) {
  const { first, end } = period(cat);
  return [...new Set([first, ...(cat.change_dates || []), end])].sort();
}

/** The day a date's drawn layers start from: the last stop on or before it (`before` ahead of the first). */
export function periodKey(cat, date) {
  let key = 'before';
  for (const s of stops(cat)) if (s <= date) key = s;
  return key;
}

/** The stop after (`dir` 1) or before (`dir` -1) a date, or null. */
export function stepStop(cat, date, dir) {
  const all = stops(cat);
  return (dir > 0 ? all.find((d) => d > date) : all.reverse().find((d) => d < date)) ?? null;
}

/** The layer ids the server publishes, in its order. */
export function layerIds(cat) {
  return (cat.layers || []).map((l) => l.id);
}

/** Whether the map draws a catalog layer until the reader turns it off (the server's `shown_by_default`). */
export function shownByDefault(entry) {
  return entry?.shown_by_default !== false;
}

/** The layers the map draws until the reader turns them off. */
export function defaultLayerIds(cat) {
  return (cat.layers || []).filter(shownByDefault).map((l) => l.id);
}

/** A layer's catalog entry. */
export function layer(cat, id) {
  return (cat.layers || []).find((l) => l.id === id) ?? null;
}

/**
 * What happened on each stop, in words: the titles of the zone and corridor
 * versions that start that day, or, on a day `derive` split a version
 * because a control timeline changed, the server's description of what
 * changed; or that the zone ended.
 */
export function changes(cat) {
  const { first, end } = period(cat);
  const starting = (vs, date) => (vs || []).filter((v) => v.valid_from === date);
  const titles = (vs, date) => starting(vs, date).map((v) => v.title);
  const derived = cat.derived_versions || {};
  return stops(cat).map((date) => {
    if (date === end) return { date, label: 'The peacekeeping zone ended', kind: 'end' };
    // On the first day the corridor starts with the zone: the zone's title says it.
    const zone = titles(cat.zone_versions, date);
    const named = date === first ? zone : [...zone, ...titles(cat.corridor_versions, date)];
    const split = [...starting(derived.zone, date), ...starting(derived.corridor, date)].map((v) => v.description).filter(Boolean);
    const label = (named.length ? named : [...new Set(split)]).join('; ');
    return { date, label, kind: date === first ? 'start' : 'change' };
  });
}

/** Where a day sits on the date bar, 0 to 1. */
export function position(cat, date) {
  const { first, end } = period(cat);
  return (dayNumber(date) - dayNumber(first)) / (dayNumber(end) - dayNumber(first));
}

/**
 * The zone's area per derived version, `[{from, to, km2, id, title}]`, read
 * from the figures `contactline derive` computes (`derived_versions.zone[].figures.area_km2`);
 * null when any version lacks one (the chart then stays hidden rather than
 * show numbers the server did not give).
 */
export function areas(cat) {
  const vs = cat.derived_versions?.zone || [];
  if (!vs.length || !vs.every((v) => Number.isFinite(v.figures?.area_km2))) return null;
  return vs.map((v) => ({ from: v.valid_from, to: v.valid_to, km2: v.figures.area_km2, id: v.id, title: v.title }));
}

/**
 * What a change did to the zone's area: the version starting on `date`, its
 * area and the difference from the version before, `{km2, delta}`; null
 * when no derived version starts that day or the areas are not served.
 */
export function areaChange(cat, date) {
  const rows = areas(cat);
  const i = rows ? rows.findIndex((r) => r.from === date) : -1;
  if (i <= 0) return null;
  return { km2: rows[i].km2, delta: rows[i].km2 - rows[i - 1].km2 };
}
