// How the map shows things: words and colours for settlement statuses and
// incident types, and which language a label is in. Presentation only; the
// statuses and types themselves come from the server.

/** Words for a place's control status (`status_on_date`, `control_status`). */
export const CONTROL_WORDS = {
  zone: 'in the peacekeeping zone',
  corridor: 'in the Lachin corridor',
  pending_handover: 'due for handover under the November 2020 statement',
  azerbaijan: 'held by Azerbaijan',
  armenia: 'in the Republic of Armenia',
};

/** Settlement marker colour by control status. */
export const CONTROL_COLORS = {
  zone: '#1f5f99',
  corridor: '#6a3d9a',
  pending_handover: '#a66300',
  azerbaijan: '#6b6b6b',
  armenia: '#9c9c9c',
};

/** Incident types in words, with their map colour. */
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

/** A type's words and colour (unknown types as "other"). */
export function incidentType(type) {
  return INCIDENT_TYPES[type] || { label: type, color: INCIDENT_TYPES.other.color };
}

/** The `lang` attribute for a label language (`dual` labels are English transliterations). */
export function langTag(lang) {
  return ['hy', 'az', 'ru'].includes(lang) ? lang : 'en';
}

/** A place's label in a language from its names by language, else its display name. */
export function labelFor(place, lang) {
  const n = lang !== 'dual' ? place.names?.[lang] : null;
  const first = Array.isArray(n) ? n[0] : n;
  return first ? { text: first, lang: langTag(lang) } : { text: place.name || place.display_name || place.id, lang: 'en' };
}
