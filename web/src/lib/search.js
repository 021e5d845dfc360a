// The search box's choices: the server's place matches and coordinate
// readings as suggestions, which one Enter may take, and what to say when
// there is none. Whether a place match is good enough to take without the
// reader picking it is the server's judgement, not this module's.

import { decimal } from './format.js';

/**
 * Whether the server calls a place result a good match: its `good` flag
 * where it gives one, else the kind of match it reports (a typo-distance
 * match is offered, never taken on its own).
 */
export function isGood(result) {
  if (typeof result.good === 'boolean') return result.good;
  return result.matched?.how != null && result.matched.how !== 'typo';
}

/**
 * Suggestions from a `/api/v1/parse` answer (or null) and `/api/v1/places`
 * results: coordinate readings first (those in the region before the
 * others), then places.
 */
export function suggestions(parsed, places) {
  const items = [];
  const readings = [...(parsed?.readings || [])].sort((a, b) => Number(b.in_region) - Number(a.in_region));
  // A reading is taken on Enter only when it is the one reading in the region.
  const inRegion = readings.filter((r) => r.in_region).length;
  for (const r of readings) {
    const [lon, lat] = r.coordinates;
    items.push({ kind: 'coordinate', lat, lon, label: decimal(lat, lon), good: r.in_region && inRegion === 1, note: parsed.description });
  }
  for (const p of places || []) {
    items.push({ kind: 'place', id: p.id, lat: p.coordinates[1], lon: p.coordinates[0], label: p.display_name, names: p.names, placeKind: p.kind, district: p.district ?? p.admin?.district ?? null, matched: p.matched, good: isGood(p) });
  }
  return items;
}

/** What Enter takes: the highlighted suggestion, else the first good one, else nothing. */
export function pick(items, active) {
  if (active >= 0 && active < items.length) return items[active];
  return items.find((i) => i.good) ?? null;
}

/** Whether a query is a short map link (they carry no coordinates until opened). */
export function isShortLink(query) {
  try {
    const { hostname: host, pathname: path } = new URL(query.trim());
    return host === 'goo.gl' || host.endsWith('.goo.gl')
      // Yandex Maps' "share" links (yandex.ru/maps/-/CCU…) and 2GIS's (go.2gis.com/…).
      || (/(^|\.)yandex\.[a-z]+$/.test(host) && path.startsWith('/maps/-/'))
      || host === 'go.2gis.com';
  } catch {
    return false;
  }
}

/** The message when Enter finds nothing to take. */
export function noMatch(query, items, parseMessage) {
  if (isShortLink(query)) {
    return 'Short map links (maps.app.goo.gl, yandex.ru/maps/-/…, go.2gis.com) do not contain the coordinates: open the link, then paste the full address from the browser or the coordinates shown there.';
  }
  if (items.length) return `No good match for “${query}”: pick one of the suggestions if you meant it, or try a coordinate.`;
  const why = parseMessage && /^https?:/i.test(query.trim()) ? ` ${parseMessage}.` : '';
  return `No place found for “${query}”: try another spelling or a coordinate such as 39.8153, 46.7519.${why}`;
}
