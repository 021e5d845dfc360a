// The About pane: what the dataset is, how the boundary is derived and how
// accurate it is, the effective-date rule, the zone's versions with their
// sources, the area over time (when the catalog gives it), the licence and
// how to cite or reproduce an answer.

import { h, s, sourceLink, fill } from './dom.js';
import { longDate, shortDate, addDays, dayNumber } from '../lib/dates.js';
import { distance, licenceName } from '../lib/format.js';
import { period, areas } from '../lib/catalog.js';
import { changed } from '../lib/store.js';

function areaChart(cat) {
  const rows = areas(cat);
  if (!rows) return null;
  const { first, end } = period(cat);
  const span = dayNumber(end) - dayNumber(first);
  const max = Math.max(...rows.map((r) => r.km2));
  const W = 300;
  const H = 80;
  const x = (d) => ((dayNumber(d) - dayNumber(first)) / span) * W;
  return h('figure', { class: 'area-chart' },
    s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'area-caption' },
      rows.map((r) => s('rect', { x: String(x(r.from)), width: String(Math.max(1, x(r.to || end) - x(r.from))), y: String(H - (H * r.km2) / max), height: String((H * r.km2) / max) },
        s('title', {}, `${shortDate(r.from)}: ${Math.round(r.km2).toLocaleString('en')} km²`)))),
    h('figcaption', { id: 'area-caption' }, 'The zone’s area by version (computed by the server): ',
      rows.map((r) => `${shortDate(r.from)} ${Math.round(r.km2).toLocaleString('en')} km²`).join('; '), '.'));
}

/** Builds the pane from the catalog; returns its render function. */
export function createAbout(el, store) {
  const cat = store.get().catalog;
  const { first, end } = period(cat);
  const method = h('p', { id: 'zone-method' });
  const origin = new URL('.', location.href).href;
  fill(el, 
    h('h2', {}, 'About'),
    h('p', {}, cat.description),
    h('p', {}, `Dataset version `, h('code', {}, cat.dataset_version), `. Licence: ${licenceName(cat.licence)}. ${cat.attribution.replace(/;.*$/, '')}.`),
    h('h2', {}, 'Method'),
    h('p', {}, 'The zone’s boundary is not a published line: it is reconstructed. Every settlement and position with a dated, sourced record of who held it is a control point; on each date, the zone is the union of the areas closer to a point held inside the zone than to any point held by the other side. Each edge of that boundary lies between two such points, so its accuracy is about half the gap between them: that is the per-edge accuracy drawn as the amber band.'),
    method,
    h('p', {}, `Effective dates: each version of the zone holds from its first day up to, but not including, the first day of the next; a change is dated to the first full day of the new situation. The zone existed from ${longDate(first)} to ${longDate(addDays(end, -1))}; from ${longDate(end)} there is none.`),
    h('p', {}, 'A point within the boundary’s accuracy of the line is reported as near the boundary (amber): it may have been on either side. Give your own location’s uncertainty in the Check pane and the server counts it in that margin too.'),
    h('h3', {}, 'Versions of the zone'),
    h('ol', { class: 'versions' }, (cat.zone_versions || []).map((v) => h('li', {},
      h('strong', {}, `${shortDate(v.valid_from)} – ${v.valid_to ? shortDate(addDays(v.valid_to, -1)) : 'end'}: ${v.title}`),
      h('p', { class: 'small' }, v.description),
      h('ul', { class: 'sources' }, (v.sources || []).map((x) => h('li', {}, sourceLink(x))))))),
    areaChart(cat),
    h('h3', {}, 'Layers and their accuracy'),
    h('ul', {}, cat.layers.map((l) => h('li', {}, `${l.title}: about ± ${distance(l.accuracy_m)}. ${l.description}`))),
    h('h2', {}, 'How to cite'),
    h('p', {}, 'Check a point and press Copy citation: one sentence with the place, the date, the verdict, the distance to the boundary with its accuracy, the dataset version, the permalink and the licence.'),
    h('p', {}, 'To reproduce an answer, ask the API or the command line with the same date (the dataset version is in every answer):'),
    h('pre', {}, h('code', {}, `curl '${origin}api/v1/locate?lat=39.8153&lon=46.7519&date=2022-03-01'\ncontactline locate 39.8153 46.7519 --date 2022-03-01`)),
    h('p', { class: 'small' }, 'API reference: ', h('a', { href: 'api/v1/openapi.json' }, 'OpenAPI document'), '. Map data: Natural Earth (public domain).'));

  return function render(st, prev) {
    if (!changed(st, prev, 'layerData')) return;
    const m = st.layerData.zone?.features?.[0]?.properties?.method;
    method.textContent = m ? `For the version on the selected date: ${m}` : '';
  };
}
