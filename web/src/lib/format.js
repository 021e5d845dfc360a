// Words and numbers for people: distances, coordinates, the verdict's
// headline and the citation sentence. Pure: the verdict itself comes from
// the server (`/api/v1/locate`); this module only words it.

import { longDate } from './dates.js';

/** Metres in words: `850 m`, `2.4 km`, `31 km`. */
export function distance(m) {
  if (m == null || !Number.isFinite(m)) return '–';
  const a = Math.abs(m);
  if (a < 1000) return `${Math.round(a)} m`;
  if (a < 10000) return `${(a / 1000).toFixed(1)} km`;
  return `${Math.round(a / 1000)} km`;
}

/** Decimal degrees, latitude first, 5 decimals (about 1 m). */
export function decimal(lat, lon) {
  return `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
}

function dmsPart(v, pos, neg) {
  const hemi = v < 0 ? neg : pos;
  // Whole tenths of a second first, so rounding carries into minutes and degrees.
  const tenths = Math.round(Math.abs(v) * 36000);
  const d = Math.floor(tenths / 36000);
  const m = Math.floor((tenths % 36000) / 600);
  const s = (tenths % 600) / 10;
  return `${d}°${String(m).padStart(2, '0')}′${s.toFixed(1).padStart(4, '0')}″${hemi}`;
}

/** Degrees, minutes, seconds: `39°48′55.1″N 46°45′06.8″E`. */
export function dms(lat, lon) {
  return `${dmsPart(lat, 'N', 'S')} ${dmsPart(lon, 'E', 'W')}`;
}

/** A licence id as people write it: `CC-BY-4.0` → `CC BY 4.0`. */
export function licenceName(id) {
  return String(id || '').replace(/-/g, ' ');
}

/**
 * What to call a checked point: the place searched for, else the nearest
 * place the server names (as "2.1 km SE of X" when it is not at X), else its
 * coordinates. `near_m` is how close counts as "at" the place.
 */
export function placeLabel(verdict, chosen = null, near_m = 1000) {
  if (chosen) return chosen;
  const p = verdict?.nearest_places?.[0];
  const { lat, lon } = verdict?.query || {};
  if (p && p.distance_m <= near_m) return p.name;
  if (p) return `${distance(p.distance_m)} ${p.direction} of ${p.name}`;
  return lat != null ? decimal(lat, lon) : '';
}

/**
 * The headline of a verdict: `kind` is `inside`, `outside`, `uncertain` (the
 * server says the point is within the boundary's accuracy) or `none` (no zone
 * that day); `title` names the place, `detail` gives distance ± accuracy.
 */
export function headline(verdict, place) {
  const status = verdict.status;
  const d = verdict.distance_to_boundary_m;
  const acc = verdict.boundary_accuracy_m;
  const side = d != null && d < 0 ? 'inside' : 'outside';
  const known = acc != null ? `, which is known to ±${distance(acc)} here` : '';
  if (status === 'no_zone' || status == null) {
    return { kind: 'none', title: `${place}: no peacekeeping zone on this date`, detail: 'There was no Russian peacekeeping zone on this date.' };
  }
  if (verdict.near_boundary) {
    return {
      kind: 'uncertain',
      title: `${place}: may have been on either side`,
      detail: `${distance(d)} from the boundary, which is known to ±${distance(acc)} here: too close to call.`,
    };
  }
  const where = status === 'inside_zone' ? 'inside the peacekeeping zone'
    : status === 'inside_corridor' ? 'inside the Lachin corridor' : 'outside the zone and the corridor';
  return {
    kind: status === 'outside' ? 'outside' : 'inside',
    title: `${place}: ${where}`,
    detail: d != null ? `${distance(d)} ${side} the boundary${known}.` : '',
  };
}

/**
 * One sentence to paste into an article or a paper: place, date in words,
 * verdict, distance ± accuracy, dataset version, permalink and licence.
 */
export function citation({ verdict, place, link, licence }) {
  const { lat, lon, date } = verdict.query;
  const where = `${place} (${decimal(lat, lon)})`;
  const status = verdict.status;
  let claim;
  if (status === 'no_zone' || status == null) {
    claim = `${where} was not in any Russian peacekeeping zone in Nagorno-Karabakh on ${longDate(date)}: there was none on that date`;
  } else {
    const d = `${distance(verdict.distance_to_boundary_m)} ± ${distance(verdict.boundary_accuracy_m)} from its boundary`;
    const area = status === 'inside_corridor' ? 'the Lachin corridor under Russian peacekeepers' : 'the Russian peacekeeping zone in Nagorno-Karabakh';
    const verb = verdict.near_boundary ? 'may have been inside or outside'
      : status === 'outside' ? 'was outside' : 'was inside';
    const whatArea = status === 'outside' || verdict.near_boundary ? 'the Russian peacekeeping zone in Nagorno-Karabakh' : area;
    const basis = basisClause(verdict.boundary_basis);
    claim = `${where} ${verb} ${whatArea} on ${longDate(date)}, ${d}${basis ? `, which runs there ${basis}` : ''}`;
  }
  return `${claim} (contactline dataset ${verdict.dataset_version}, ${licenceName(licence)}, ${link}).`;
}

/** A zone version's area and its change: "zone 3,444 km², 274 km² smaller". */
export function areaChangeText({ km2, delta }) {
  const n = (x) => Math.round(x).toLocaleString('en');
  const change = Math.round(delta) === 0 ? 'area unchanged' : `${n(Math.abs(delta))} km² ${delta < 0 ? 'smaller' : 'larger'}`;
  return `zone ${n(km2)} km², ${change}`;
}

const HELD = {
  zone: 'Armenian-held',
  corridor: 'in the Lachin corridor',
  pending_handover: 'Armenian-held, due for handover',
  azerbaijan: 'Azerbaijani-held',
  armenia: 'in Armenia',
};

function placeWords(p) {
  const held = HELD[p.status] || p.status;
  return `${p.name} (${held}${p.since ? ` from ${longDate(p.since)}` : ''})`;
}

function lineWords(l) {
  return `the reference line “${l.name}” (${l.scale}, ± ${distance(l.accuracy_m)})`;
}

/** Where the server's `boundary_basis` puts the line, as a clause: "between A (Armenian-held) and B (…)"; null when it names nothing. */
export function basisClause(b) {
  switch (b?.kind) {
    case 'control_points': return `between ${placeWords(b.zone_side)} and ${placeWords(b.other_side)}`;
    case 'reference_line': return `along ${lineWords(b.line)}`;
    case 'place_and_reference_line': return `between ${placeWords(b.place)} and ${lineWords(b.line)}`;
    case 'corridor_band': return `along the corridor's band, ${distance(b.half_width_m)} either side of its road`;
    default: return null;
  }
}

/** The server's `boundary_basis` in one sentence: "The line here runs between …". */
export function basisText(b) {
  const clause = basisClause(b);
  return clause ? `The line here runs ${clause}.` : (b.short || 'No opposing place lies near this stretch.');
}

/** The sources of that edge only (both places', or the line's), without repeats. */
export function basisSources(b) {
  const lists = [b.zone_side, b.other_side, b.place, b.line].filter(Boolean).map((x) => x.sources || []);
  if (b.sources) lists.push(b.sources);
  const seen = new Set();
  return lists.flat().filter((s) => !seen.has(s.url) && seen.add(s.url));
}

/** What the independent depiction answers: "Natural Earth … puts it outside its area, 1.2 km from its edge (± 5 km)". */
export function depictionText(d) {
  const side = d.inside ? 'inside' : 'outside';
  return `${d.source} (${d.scale}) puts this point ${side} its area, ${distance(Math.abs(d.distance_m))} from its edge (± ${distance(d.accuracy_m)}): it differs from our answer.`;
}
