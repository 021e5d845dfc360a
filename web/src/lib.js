// Pure helpers of the map app: dates, coordinate formats, names by label
// language, words for verdicts, the permalink's URL state and a small
// offline name matcher. Nothing here touches the DOM or the network, so the
// browser tests and node can import it alike.

/** First and last day the slider offers. */
export const FIRST_DAY = '2020-11-10';
export const LAST_DAY = '2023-09-30';

/** Label languages: `dual` shows the display name ("Stepanakert / Khankendi"). */
export const LANGS = ['dual', 'en', 'hy', 'az', 'ru'];

/** Layers the server publishes, in drawing order, with default visibility. */
export const LAYERS = ['zone', 'corridor', 'line_of_contact', 'roads', 'settlements', 'positions', 'incidents'];

const DAY_MS = 86400000;

/** `YYYY-MM-DD` → days since 1970-01-01 (UTC). */
export function dayNumber(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

/** Days since 1970-01-01 → `YYYY-MM-DD`. */
export function isoDay(n) {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** Whether a string is a real `YYYY-MM-DD` date. */
export function isIsoDay(s) {
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && isoDay(dayNumber(s)) === s;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2022-03-01` → `1 March 2022`. */
export function longDate(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** `2022-03-01` → `1 Mar 2022`. */
export function shortDate(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1].slice(0, 3)} ${y}`;
}

/** The day before an ISO day (for exclusive `valid_to` shown inclusively). */
export function dayBefore(iso) {
  return isoDay(dayNumber(iso) - 1);
}

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
  let a = Math.abs(v);
  let d = Math.floor(a);
  let m = Math.floor((a - d) * 60);
  let s = Math.round(((a - d) * 60 - m) * 600) / 10;
  if (s >= 60) {
    s = 0;
    m += 1;
  }
  if (m >= 60) {
    m = 0;
    d += 1;
  }
  return `${d}°${String(m).padStart(2, '0')}′${s.toFixed(1).padStart(4, '0')}″${hemi}`;
}

/** Degrees, minutes, seconds: `39°48′55.1″N 46°45′06.8″E`. */
export function dms(lat, lon) {
  return `${dmsPart(lat, 'N', 'S')} ${dmsPart(lon, 'E', 'W')}`;
}

/** A settlement's label in a language; `dual` is the agreed display name. */
export function labelFor(props, lang) {
  let names = props.names;
  if (typeof names === 'string') {
    try {
      names = JSON.parse(names);
    } catch {
      names = null;
    }
  }
  if (lang !== 'dual' && names && names[lang]) {
    const n = names[lang];
    const first = Array.isArray(n) ? n[0] : n;
    if (first) return first;
  }
  return props.display_name || props.name || props.id || '';
}

/** Control status of a settlement on a day, from its `control` intervals. */
export function controlOn(props, day) {
  let control = props.control;
  if (typeof control === 'string') {
    try {
      control = JSON.parse(control);
    } catch {
      control = null;
    }
  }
  if (!Array.isArray(control)) return 'unknown';
  for (const c of control) {
    if ((!c.from || c.from <= day) && (!c.to || day < c.to)) return c.status;
  }
  return 'unknown';
}

/** Words for a place's control status. */
export const CONTROL_WORDS = {
  zone: 'in the peacekeeping zone',
  corridor: 'in the Lachin corridor',
  pending_handover: 'due for handover under the November 2020 statement',
  azerbaijan: 'held by Azerbaijan',
  armenia: 'in the Republic of Armenia',
  unknown: 'status not recorded',
};

/** Verdicts in plain words. */
export const STATUS_WORDS = {
  inside_zone: 'Inside the peacekeeping zone',
  inside_corridor: 'Inside the Lachin corridor',
  outside: 'Outside the zone and the corridor',
  no_zone: 'No peacekeeping zone on this date',
};

/** Incident types in plain words, with the map colour of each. */
export const INCIDENT_TYPES = {
  ceasefire_violation: { label: 'Ceasefire violation', color: '#b35806' },
  incursion: { label: 'Incursion', color: '#b2182b' },
  strike: { label: 'Strike', color: '#67001f' },
  casualty: { label: 'Casualty', color: '#8c510a' },
  handover: { label: 'Handover', color: '#01665e' },
  blockade: { label: 'Blockade', color: '#542788' },
  checkpoint: { label: 'Checkpoint', color: '#2166ac' },
  offensive: { label: 'Offensive', color: '#1a1a1a' },
  other: { label: 'Other', color: '#5f5f5f' },
};

/** Settlement marker colour by control status. */
export const CONTROL_COLORS = {
  zone: '#1f5f99',
  corridor: '#6a3d9a',
  pending_handover: '#a66300',
  azerbaijan: '#6b6b6b',
  armenia: '#9c9c9c',
  unknown: '#bbbbbb',
};

/**
 * The state a permalink carries. Unknown or malformed values are dropped,
 * so a mangled link still opens the map.
 */
export function parseState(search) {
  const p = new URLSearchParams(search);
  const s = {};
  const num = (v) => (v != null && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
  const pair = (v) => {
    if (!v) return null;
    const [a, b] = v.split(',').map(num);
    return a != null && b != null && Math.abs(a) <= 90 && Math.abs(b) <= 180 ? [a, b] : null;
  };
  if (isIsoDay(p.get('date'))) s.date = p.get('date');
  const c = pair(p.get('c'));
  if (c) s.center = { lat: c[0], lon: c[1] };
  const z = num(p.get('z'));
  if (z != null && z >= 0 && z <= 22) s.zoom = z;
  const pt = pair(p.get('pt'));
  if (pt) s.point = { lat: pt[0], lon: pt[1] };
  if (p.get('inc')) s.incident = p.get('inc');
  if (p.has('layers')) s.layers = p.get('layers').split(',').filter((l) => LAYERS.includes(l));
  if (LANGS.includes(p.get('lang'))) s.lang = p.get('lang');
  if (p.get('v')) s.version = p.get('v');
  if (isIsoDay(p.get('from'))) s.from = p.get('from');
  if (isIsoDay(p.get('to'))) s.to = p.get('to');
  if (p.get('basemap') === 'online') s.basemap = 'online';
  s.embed = p.get('embed') === '1';
  return s;
}

/** The query string for a state (stable order, short numbers). */
export function formatState(s) {
  const p = new URLSearchParams();
  if (s.date) p.set('date', s.date);
  if (s.center) p.set('c', `${s.center.lat.toFixed(5)},${s.center.lon.toFixed(5)}`);
  if (s.zoom != null) p.set('z', s.zoom.toFixed(2).replace(/\.?0+$/, ''));
  if (s.point) p.set('pt', `${s.point.lat.toFixed(5)},${s.point.lon.toFixed(5)}`);
  if (s.incident) p.set('inc', s.incident);
  if (s.layers) p.set('layers', s.layers.join(','));
  if (s.lang && s.lang !== 'dual') p.set('lang', s.lang);
  if (s.from) p.set('from', s.from);
  if (s.to) p.set('to', s.to);
  if (s.basemap === 'online') p.set('basemap', 'online');
  if (s.embed) p.set('embed', '1');
  if (s.version) p.set('v', s.version);
  return p.toString().replace(/%2C/g, ',');
}

/** Lower case, no diacritics, Latin look-alikes folded: for matching names. */
export function fold(s) {
  return String(s)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ə/g, 'a')
    .replace(/ı/g, 'i')
    .replace(/[''`ʼ’-]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function editDistance(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Offline fallback for the place search (used when /api/v1/places is not
 * there): scores every name and spelling of every place against the query.
 * `places` are settlement features' properties plus `coordinates`.
 */
export function matchPlaces(places, query, limit = 8) {
  const q = fold(query);
  if (q.length < 2) return [];
  const out = [];
  for (const p of places) {
    let names = p.names;
    if (typeof names === 'string') {
      try {
        names = JSON.parse(names);
      } catch {
        names = {};
      }
    }
    const all = [p.display_name, ...Object.values(names || {}).flat(), ...(p.alt_names || [])].filter(Boolean);
    let best = 0;
    let matched = null;
    for (const n of all) {
      const f = fold(n);
      let score = 0;
      if (f === q) score = 1;
      else if (f.startsWith(q)) score = 0.9;
      else if (f.split(/[ /()]+/).some((w) => w.startsWith(q))) score = 0.8;
      else if (f.includes(q)) score = 0.6;
      else if (q.length >= 4) {
        const d = editDistance(q, f, 2);
        if (d <= 2) score = 0.5 - d * 0.1;
      }
      if (score > best) {
        best = score;
        matched = n;
      }
    }
    if (best > 0) out.push({ id: p.id, display_name: p.display_name, names, coordinates: p.coordinates, score: best, matched });
  }
  out.sort((a, b) => b.score - a.score || a.display_name.localeCompare(b.display_name));
  return out.slice(0, limit);
}

/** Whether a query looks like a coordinate rather than a name. */
export function looksLikeCoordinate(q) {
  return /\d/.test(q) && /^[\d\s.,°′″'"NSEWnsew:+-]+$|^\d{1,2}[A-Za-z]\s?[A-Za-z]{2}|^\d{1,2}[A-Za-z]\s+\d/.test(q.trim());
}
