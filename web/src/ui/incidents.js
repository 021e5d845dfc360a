// The Incidents pane: range, type and claimant filters, the count, downloads
// of exactly the listed incidents (GeoJSON and CSV) and the cards, each with
// its claims attributed to whoever made them. A selected card is scrolled
// into view and highlighted.

import { h, sourceLink, download, fill } from './dom.js';
import { shortDate, longDate } from '../lib/dates.js';
import { distance } from '../lib/format.js';
import { incidentType } from '../lib/legend.js';
import { range, claimants, csvRecords, featureCollection, CSV_COLUMNS } from '../lib/incidents.js';
import { changed } from '../lib/store.js';

function card(f, selected, store) {
  const p = f.properties;
  const t = incidentType(p.type);
  const when = p.date_end && p.date_end !== p.date ? `${shortDate(p.date)} – ${shortDate(p.date_end)}` : shortDate(p.date);
  const claims = (p.claims || []).map((c) => h('li', {},
    h('span', { class: 'who' }, c.who), c.date ? ` (${shortDate(c.date)})` : '', `: ${c.said}`,
    c.source ? [' ', h('span', { class: 'small' }, '[', sourceLink(c.source), ']')] : null));
  const more = [...(p.links || []), ...(p.sources || [])];
  return h('li', { 'data-id': p.id, class: selected ? 'selected' : null, style: { borderLeftColor: t.color }, tabindex: '-1' },
    h('button', {
      type: 'button', class: 'inc-title', 'aria-pressed': String(selected),
      on: { click: () => store.set({ incident: p.id, camera: { lat: f.geometry.coordinates[1], lon: f.geometry.coordinates[0], zoom: 10 } }) },
    }, `${t.label}: ${p.place}`),
    h('p', { class: 'meta' }, `${when} · location precise to about ${distance(p.location_precision_m)}`),
    h('p', {}, p.summary),
    claims.length ? [h('p', { class: 'meta' }, 'Claims, as made by each party:'), h('ul', { class: 'claims' }, claims)] : null,
    more.length ? h('p', { class: 'meta' }, 'Sources: ', more.flatMap((s, i) => (i ? [' · ', sourceLink(s)] : [sourceLink(s)]))) : null);
}

/** Builds the pane's controls once; returns its render function. */
export function createIncidents(el, store) {
  const from = h('input', { type: 'date', id: 'inc-from', on: { change: (e) => store.set((st) => ({ from: e.target.value || null, to: st.to || range(st)[1] })) } });
  const to = h('input', { type: 'date', id: 'inc-to', on: { change: (e) => store.set((st) => ({ to: e.target.value || null, from: st.from || range(st)[0] })) } });
  const type = h('select', { id: 'inc-type', on: { change: (e) => store.set({ types: e.target.value ? [e.target.value] : [] }) } });
  const who = h('select', { id: 'inc-who', on: { change: (e) => store.set({ who: e.target.value }) } });
  const count = h('p', { class: 'small', id: 'inc-count', 'aria-live': 'polite' });
  const list = h('ol', { class: 'incident-list', id: 'incident-list' });
  const name = (st, ext) => `contactline-incidents-${range(st).join('-to-')}.${ext}`;
  fill(el, 
    h('h2', {}, 'Incidents'),
    h('div', { class: 'filters' },
      h('label', {}, 'From ', from), h('label', {}, 'To ', to),
      h('button', { type: 'button', id: 'inc-around', on: { click: () => store.set({ from: null, to: null }) } }, 'Around the selected date'),
      h('label', {}, 'Type ', type), h('label', {}, 'Claimed by ', who)),
    count,
    h('div', { class: 'copy-row' },
      h('button', {
        type: 'button', id: 'inc-geojson',
        on: { click: () => { const st = store.get(); download(name(st, 'geojson'), 'application/geo+json', JSON.stringify(featureCollection(st.shownIncidents, 'incidents'))); } },
      }, 'Download the list (GeoJSON)'),
      h('button', {
        type: 'button', id: 'inc-csv',
        on: {
          click: async () => {
            // The CSV writer loads only when asked for.
            const { stringify } = await import('../vendor/csv-stringify.mjs');
            const st = store.get();
            download(name(st, 'csv'), 'text/csv', stringify([CSV_COLUMNS, ...csvRecords(st.shownIncidents)]));
          },
        },
      }, 'Download the list (CSV)')),
    list);

  return function render(st, prev) {
    if (changed(st, prev, 'incidentsAll')) {
      const all = st.incidentsAll || [];
      const types = [...new Set(all.map((f) => f.properties.type))].sort();
      fill(type, h('option', { value: '' }, 'All types'), ...types.map((t) => h('option', { value: t }, incidentType(t).label)));
      fill(who, h('option', { value: '' }, 'Anyone'), ...claimants(all).map((c) => h('option', { value: c.who }, `${c.who} (${c.n})`)));
    }
    if (changed(st, prev, 'incidentsAll', 'types', 'who')) {
      type.value = st.types[0] || '';
      who.value = st.who || '';
    }
    if (changed(st, prev, 'shownIncidents', 'incident')) {
      const [a, b] = range(st);
      from.value = a;
      to.value = b;
      const shown = st.shownIncidents || [];
      count.textContent = `${shown.length} incident${shown.length === 1 ? '' : 's'} from ${longDate(a)} to ${longDate(b)}${st.from || st.to ? '' : ' (around the selected date)'}${st.types.length || st.who ? ', filtered' : ''}.`;
      fill(list, ...shown.map((f) => card(f, f.properties.id === st.incident, store)));
    }
    if (changed(st, prev, 'incident', 'tab', 'shownIncidents') && st.incident && st.tab === 'incidents') {
      // Scroll the panel (not the page) so the card's top sits under the pinned headline.
      const li = list.querySelector(`li[data-id="${CSS.escape(st.incident)}"]`);
      const panel = document.getElementById('panel');
      const head = document.getElementById('sheet-head');
      if (li) panel.scrollTop += li.getBoundingClientRect().top - head.getBoundingClientRect().bottom - 8;
    }
  };
}
