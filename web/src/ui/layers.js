// The Layers pane: one toggle per catalog layer (and the accuracy band),
// the legend, downloads (this date, all versions, flat columns for QGIS) and
// how to add the OGC API to QGIS.

import { h, sourceLink, fill } from './dom.js';
import { CONTROL_COLORS, CONTROL_WORDS, INCIDENT_TYPES } from '../lib/legend.js';
import { distance } from '../lib/format.js';
import { longDate } from '../lib/dates.js';
import { layerUrl } from '../api.js';
import { changed } from '../lib/store.js';

/** Layers served as places, whose download can be flat columns with the status on the date. */
const PLACE_LAYERS = ['settlements', 'positions'];

/** What a download format is called on the page (the catalog lists each layer's). */
const FORMAT_NAMES = { geojson: 'GeoJSON', kml: 'KML', csv: 'CSV', fgb: 'FlatGeobuf' };

/** Builds the pane; returns its render function. */
export function createLayers(el, store) {
  const cat = store.get().catalog;
  const ogc = new URL('ogc', location.href).href;
  const toggles = cat.layers.map((l) => {
    const box = h('input', {
      type: 'checkbox', 'data-layer': l.id,
      on: { change: (e) => store.set((st) => ({ layers: e.target.checked ? [...st.layers, l.id] : st.layers.filter((x) => x !== l.id) })) },
    });
    const links = h('span', { class: 'downloads' });
    const li = h('li', {},
      h('label', {}, box, h('span', { class: `swatch ${l.id}` }), l.title),
      h('p', { class: 'small' }, `Accuracy about ± ${distance(l.accuracy_m)}. `, (l.sources || []).slice(0, 1).map(sourceLink)),
      links);
    return { id: l.id, formats: l.formats || ['geojson'], box, links, li };
  });
  const online = h('input', { type: 'checkbox', id: 'basemap-online', on: { change: (e) => store.set({ basemap: e.target.checked ? 'online' : 'offline' }) } });
  const band = h('input', { type: 'checkbox', id: 'band-toggle', on: { change: (e) => store.set({ band: e.target.checked }) } });
  const qgisUrl = h('code', { id: 'ogc-url' }, ogc);
  fill(el, 
    h('h2', {}, 'Layers'),
    h('ul', { class: 'layer-list' }, toggles.map((t) => t.li),
      h('li', {}, h('label', {}, band, h('span', { class: 'swatch band' }), 'Boundary accuracy band (± each edge’s accuracy)')),
      cat.basemap_style ? h('li', {}, h('label', {}, online, 'Online basemap underneath (loads from another host)')) : null),
    h('h3', {}, 'Settlement status on the selected date'),
    h('ul', { class: 'legend' }, Object.entries(CONTROL_COLORS).map(([k, c]) => h('li', {}, h('span', { class: 'swatch dot', style: { background: c } }), CONTROL_WORDS[k]))),
    h('h3', {}, 'Incident types'),
    h('ul', { class: 'legend' }, Object.values(INCIDENT_TYPES).map((t) => h('li', {}, h('span', { class: 'swatch dot', style: { background: t.color } }), t.label))),
    h('h3', {}, 'Add to QGIS'),
    h('p', {}, 'Layer → Add Layer → Add WFS / OGC API – Features Layer; new connection with this URL (version: OGC API – Features):'),
    h('p', {}, qgisUrl, ' ', h('button', { type: 'button', on: { click: (e) => navigator.clipboard.writeText(ogc).then(() => { e.target.textContent = 'Copied'; }) } }, 'Copy URL')),
    h('p', { class: 'small' }, 'Each feature carries valid_from and valid_to: filter on them for a date. The downloads above open in QGIS directly (GeoJSON, FlatGeobuf), in Google Earth (KML, with time spans for its time slider) and in spreadsheets (CSV, point layers); the settlements “for QGIS” file has one column per language and status_on_date to style by. GeoPackage: ogr2ogr -f GPKG settlements.gpkg OAPIF:URL settlements (URL as above).'),
    h('p', { class: 'small' }, `Dataset version ${cat.dataset_version}. `, cat.attribution.replace(/;.*$/, ''), '.'));

  return function render(st, prev) {
    if (changed(st, prev, 'layers', 'band', 'basemap')) {
      for (const t of toggles) t.box.checked = st.layers.includes(t.id);
      band.checked = st.band;
      online.checked = st.basemap === 'online';
    }
    if (changed(st, prev, 'date')) {
      for (const t of toggles) {
        const when = longDate(st.date);
        const formats = t.formats.filter((f) => f in FORMAT_NAMES);
        const links = (date, label) => [h('span', {}, `${label}: `),
          formats.map((f, i) => [i ? ' · ' : '', h('a', { href: layerUrl(t.id, date, { format: f }), download: '' }, FORMAT_NAMES[f],
            h('span', { class: 'sr-only' }, ` (${t.id}, ${date ? when : 'all versions'})`))])];
        fill(t.links,
          h('span', { class: 'download-row' }, links(st.date, 'This date')),
          h('span', { class: 'download-row' }, links(null, 'All versions')),
          PLACE_LAYERS.includes(t.id) ? h('span', { class: 'download-row' }, h('a', { href: layerUrl(t.id, st.date, { flat: true }), download: '' }, 'For QGIS (GeoJSON, status on this date)', h('span', { class: 'sr-only' }, ` (${t.id}, ${when})`))) : null);
      }
    }
  };
}
