// The verdict as the reader sees it: the headline (inside / outside /
// uncertain / no zone, with the place and ± accuracy) pinned at the top of
// the panel with Copy citation, the Check pane's details, and the embed
// card. Everything is drawn from `state.verdict`, which holds the server's
// answer.

import { h, sourceLink, copyText, fill } from './dom.js';
import { distance, decimal, dms, headline, citation, placeLabel, basisText, basisSources, depictionText } from '../lib/format.js';
import { longDate, shortDate, addDays } from '../lib/dates.js';
import { CONTROL_WORDS, CONTROL_COLORS, labelFor } from '../lib/legend.js';
import { changed } from '../lib/store.js';
import { MAX_UNCERTAINTY_M } from '../lib/urlstate.js';
import { cardUrl } from '../api.js';

const STATUS_WORDS = {
  inside_zone: 'inside the zone',
  inside_corridor: 'inside the corridor',
  outside: 'outside',
  no_zone: 'no zone',
};

/** The place name for the headline and the citation. */
function placeOf(state) {
  return placeLabel(state.verdict.data, state.placeName);
}

function headlineOf(state) {
  const v = state.verdict;
  if (v.status === 'loading' && !v.data) return { kind: 'none', title: 'Checking…', detail: '' };
  if (v.status === 'error') return { kind: 'none', title: 'Could not check this point', detail: v.error };
  if (!v.data) {
    return { kind: 'none', title: 'Click the map or search a place', detail: 'to see whether it was inside the peacekeeping zone on the selected date.' };
  }
  return headline(v.data, placeOf(state));
}

/** The citation sentence for the current verdict (null without one). */
export function citationOf(state, link) {
  if (!state.verdict.data) return null;
  return citation({ verdict: state.verdict.data, place: placeOf(state), link, licence: state.catalog.licence });
}

/** Draws the pinned headline: verdict words, place, ± accuracy, Copy citation. */
export function renderHeadline(el, state, prev, { permalink }) {
  if (!changed(state, prev, 'verdict', 'placeName', 'lang', 'uncertainty')) return;
  const head = headlineOf(state);
  el.className = `headline ${head.kind}`;
  el.dataset.kind = head.kind;
  const v = state.verdict.data;
  fill(el, 
    h('p', { class: 'headline-title', id: 'headline-title' }, head.title),
    head.detail ? h('p', { class: 'headline-detail' }, head.detail) : null,
    v ? h('p', { class: 'headline-when' }, `on ${longDate(v.query.date)}`) : null,
    v ? h('div', { class: 'copy-row' },
      h('button', { type: 'button', id: 'copy-citation', on: { click: (e) => copyText(citationOf(state, permalink()), e.currentTarget) } }, 'Copy citation'),
      h('button', { type: 'button', on: { click: (e) => copyText(permalink(), e.currentTarget) } }, 'Copy link'),
      state.point ? h('a', {
        class: 'button', id: 'download-card',
        href: cardUrl({ ...state.point, place: state.place, date: v.query.date, uncertainty: state.uncertainty, lang: state.lang }),
        download: `contactline-card-${v.query.date}.png`,
      }, 'Download image') : null) : null,
  );
}

function uncertaintyControl(state, store) {
  const km = state.uncertainty ? String(state.uncertainty / 1000) : '';
  const input = h('input', {
    type: 'number', id: 'uncertainty', min: '0', max: String(MAX_UNCERTAINTY_M / 1000), step: '0.1', inputmode: 'decimal', value: km,
    on: {
      change: (e) => {
        const v = Number(e.target.value);
        store.set({ uncertainty: Number.isFinite(v) && v > 0 ? Math.min(v * 1000, MAX_UNCERTAINTY_M) : 0 });
      },
    },
  });
  return h('p', { class: 'uncertainty' },
    h('label', { for: 'uncertainty' }, 'My location is approximate: ± '), input, h('span', { 'aria-hidden': 'true' }, ' km'),
    h('span', { class: 'sr-only' }, ' kilometres'));
}

/** Why the nearest edge lies there, with the sources of that edge only. */
function basis(v) {
  const b = v.boundary_basis;
  if (!b) return null;
  const sources = basisSources(b);
  return h('section', { class: 'basis', id: 'boundary-basis' },
    h('h3', {}, 'Why the boundary runs here'),
    h('p', {}, basisText(b)),
    sources.length ? h('ul', { class: 'sources' }, sources.map((s) => h('li', {}, sourceLink(s)))) : null);
}

/** The independent depiction's answer, shown only where it differs from ours. */
function depiction(v) {
  const d = v.depiction;
  if (!d || d.agrees) return null;
  return h('p', { class: 'warning', id: 'depiction-differs' }, depictionText(d), ' ',
    d.sources?.[0] ? sourceLink(d.sources[0]) : null);
}

function nearest(v, lang) {
  const items = (v.nearest_places || []).map((p) => {
    const label = labelFor(p, lang);
    return h('li', {},
      h('span', { lang: label.lang }, label.text), `: ${distance(p.distance_m)} ${p.direction || ''}`,
      p.control_status ? [', ', h('span', { class: 'swatch dot', style: { background: CONTROL_COLORS[p.control_status] || '#bbb' } }), ' ', CONTROL_WORDS[p.control_status] || p.control_status] : null);
  });
  return items.length ? [h('h3', {}, 'Nearest places'), h('ul', { class: 'places' }, items)] : null;
}

function timeline(v, state, store) {
  const items = (v.timeline || []).filter((t) => t.from || t.to).map((t) => {
    const current = (!t.from || t.from <= state.date) && (!t.to || state.date < t.to);
    const span = `${t.from ? shortDate(t.from) : 'before'} – ${t.to ? shortDate(addDays(t.to, -1)) : 'after'}`;
    const d = t.distance_to_boundary_m;
    return h('li', { class: current ? 'current' : null, 'aria-current': current ? 'true' : null },
      h('button', { type: 'button', class: 'linkish', on: { click: () => store.set({ date: t.from || state.catalog.zone_period.from }) } }, span),
      `: ${t.near_boundary ? 'near the boundary, either side' : STATUS_WORDS[t.status] || t.status}`,
      d != null ? ` (${distance(d)} ${d < 0 ? 'inside' : 'outside'})` : '');
  });
  return items.length ? [h('h3', {}, 'Timeline at this point'), h('ul', { class: 'timeline' }, items)] : null;
}

/** Draws the Check pane: the uncertainty control, then the verdict's details. */
export function renderCheck(el, state, prev, store) {
  if (!changed(state, prev, 'verdict', 'lang', 'date', 'uncertainty')) return;
  const v = state.verdict.data;
  const parts = [uncertaintyControl(state, store)];
  if (!v) {
    parts.push(h('p', { class: 'hint' }, 'Click anywhere on the map, or search a place, to see whether it was inside the peacekeeping zone on the selected date. With the keyboard: focus the map, move it with the arrow keys and press Enter to check the point under the crosshair.'));
  } else {
    const { lat, lon } = v.query;
    const zv = v.zone_version;
    const d = v.distance_to_boundary_m;
    parts.push(
      v.resolved ? h('p', { class: 'small' }, `Understood “${v.resolved.description}”${v.resolved.accuracy_m
        ? `; its position is good to about ${distance(v.resolved.accuracy_m)}, counted in the uncertainty` : ''}.`) : null,
      h('p', {}, v.summary || ''),
      basis(v),
      depiction(v),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Distance to the boundary'), h('dd', {}, d != null ? `${distance(d)} ${d < 0 ? 'inside' : 'outside'}` : '–'),
        h('dt', {}, 'Boundary accuracy here'), h('dd', {}, v.boundary_accuracy_m != null ? `± ${distance(v.boundary_accuracy_m)}` : '–'),
        v.query.uncertainty_m ? [h('dt', {}, 'Your location'), h('dd', {}, `± ${distance(v.query.uncertainty_m)}`)] : null,
        h('dt', {}, 'Zone version'), h('dd', {}, zv ? `${zv.title} (${shortDate(zv.valid_from)} – ${zv.valid_to ? shortDate(addDays(zv.valid_to, -1)) : 'end'})` : '–'),
        v.corridor_version ? [h('dt', {}, 'Corridor'), h('dd', {}, v.corridor_version.title)] : null,
        h('dt', {}, 'Dataset'), h('dd', {}, h('code', {}, v.dataset_version))),
      h('p', { class: 'small' }, 'The boundary is reconstructed from dated, sourced control points; see About for the method.'),
      h('div', { class: 'copy-row' },
        h('button', { type: 'button', on: { click: (e) => copyText(decimal(lat, lon), e.currentTarget) } }, 'Copy decimal'),
        h('button', { type: 'button', on: { click: (e) => copyText(dms(lat, lon), e.currentTarget) } }, 'Copy DMS')),
      h('p', { class: 'small' }, `${decimal(lat, lon)} · ${dms(lat, lon)}`),
      nearest(v, state.lang),
      timeline(v, state, store),
      v.sources?.length ? [
        h('h3', {}, v.boundary_basis ? 'Sources of this zone version' : `Sources of this zone version${zv ? ` (${shortDate(zv.valid_from)} on)` : ''}`),
        h('ul', { class: 'sources' }, v.sources.map((s) => h('li', {}, sourceLink(s)))),
      ] : null,
    );
  }
  fill(el, ...parts.flat().filter(Boolean));
}

/** Draws the embed card: the date always, the verdict or a hint, a mini legend, a link out. */
export function renderEmbed(el, state, prev, { fullMapLink }) {
  if (!state.embed) return;
  if (!changed(state, prev, 'verdict', 'date', 'placeName', 'dataDate')) return;
  el.hidden = false;
  const head = headlineOf(state);
  el.className = `embed-card ${head.kind}`;
  fill(el, 
    h('p', { class: 'embed-date' }, longDate(state.date)),
    h('p', { class: 'embed-verdict' }, head.title),
    state.verdict.data && head.detail ? h('p', { class: 'embed-detail' }, head.detail) : null,
    h('ul', { class: 'mini-legend', 'aria-label': 'Legend' },
      h('li', {}, h('span', { class: 'swatch', style: { background: '#1f5f99', opacity: '.6' } }), 'Zone'),
      h('li', {}, h('span', { class: 'swatch', style: { background: '#6a3d9a', opacity: '.6' } }), 'Corridor'),
      h('li', {}, h('span', { class: 'swatch', style: { background: '#e8a200', opacity: '.6' } }), '± accuracy')),
    h('p', { class: 'embed-link' }, h('a', { href: fullMapLink(), target: '_blank', rel: 'noopener' }, 'Open the full map ↗')),
  );
}
