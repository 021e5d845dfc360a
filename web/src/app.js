// The contactline map: loads the catalog, reads the URL into the one state
// object, and wires the modules that render it (map, date bar, panel panes,
// search, notices, URL) and the effects that fetch what the state needs
// (layers for the date, the verdict for the checked point).
//
// Modules: lib/ (pure, unit-tested: dates, catalog, URL state, formatting,
// incidents, search, band, legend, store), ui/ (one per part of the page),
// api.js (the server's API).

import * as api from './api.js';
import { createStore, changed } from './lib/store.js';
import { parseUrl, formatUrl, DEFAULT_DATE } from './lib/urlstate.js';
import { periodKey, defaultLayerIds } from './lib/catalog.js';
import { range, filter as filterIncidents } from './lib/incidents.js';
import { createMap } from './ui/map.js';
import { createTimebar } from './ui/timebar.js';
import { renderHeadline, renderCheck, renderEmbed } from './ui/verdict.js';
import { createIncidents } from './ui/incidents.js';
import { createLayers } from './ui/layers.js';
import { createAbout } from './ui/about.js';
import { createSearch } from './ui/search.js';
import { h, fill } from './ui/dom.js';
import { stack } from './lib/incidents.js';
import { incidentType } from './lib/legend.js';
import { shortDate } from './lib/dates.js';
import * as maplibregl from './vendor/maplibre-gl.mjs';

/** Layers fetched per date with flat columns (their status changes on any day). */
const PLACE_LAYERS = ['settlements', 'positions'];
/** Layers fetched whole once; the page lists and filters them by date range. */
const WHOLE_LAYERS = ['incidents'];
const TABS = ['check', 'layers', 'incidents', 'about'];

const $ = (id) => document.getElementById(id);

function initialState(cat) {
  const { state: url, notices } = parseUrl(location.search, cat);
  if (url.basemap === 'online' && !cat.basemap_style) {
    notices.push('The link asks for the online basemap, which this server does not offer; showing the offline map.');
  }
  if (url.version && url.version !== cat.dataset_version) {
    notices.push(`This link was made with dataset version ${url.version}; the map now shows version ${cat.dataset_version}, whose boundaries may differ.`);
  }
  return {
    catalog: cat,
    date: url.date || DEFAULT_DATE,
    center: url.center || null,
    zoom: url.zoom ?? null,
    point: url.point || null,
    placeName: null,
    place: url.place || null,
    uncertainty: url.uncertainty || 0,
    incident: url.incident || null,
    layers: url.layers || defaultLayerIds(cat),
    band: true,
    lang: url.lang || 'dual',
    from: url.from || null,
    to: url.to || null,
    types: url.types || [],
    who: url.who || '',
    basemap: url.basemap || 'offline',
    embed: url.embed,
    notices,
    tab: url.incident && !url.point ? 'incidents' : 'check',
    sheetOpen: false,
    playing: false,
    pause: null,
    camera: null,
    layerData: {},
    dataDate: null,
    incidentsAll: null,
    shownIncidents: [],
    filteredAll: [],
    verdict: { status: 'idle', data: null, error: null },
    search: { query: '', items: [], active: -1, message: '' },
  };
}

function permalinkOf(st, extra = {}) {
  return `${location.origin}${location.pathname}?${formatUrl({ ...st, version: st.catalog.dataset_version, ...extra }, st.catalog)}`;
}

async function start() {
  let cat;
  try {
    cat = await api.catalog();
  } catch (e) {
    fill($('notices'), h('li', {}, `The server did not answer: ${e.message}`));
    return;
  }
  const store = createStore(initialState(cat));
  if (store.get().embed) document.body.classList.add('embed');

  // ---- effects: data the state needs
  const periodCache = new Map(); // `${id}@${periodKey}` -> Promise<FeatureCollection>
  const dateCache = new Map(); // `${id}@${date}` -> Promise<FeatureCollection> (last few dates)
  function dated(id, date) {
    const place = PLACE_LAYERS.includes(id);
    const cache = place ? dateCache : periodCache;
    const key = `${id}@${place ? date : periodKey(cat, date)}`;
    if (!cache.has(key)) {
      cache.set(key, api.layer(id, date, place).catch((e) => {
        cache.delete(key);
        throw e;
      }));
      if (place && cache.size > 24) cache.delete(cache.keys().next().value);
    }
    return cache.get(key);
  }
  let loadSeq = 0;
  async function loadDate(date) {
    const mine = ++loadSeq;
    const ids = cat.layers.map((l) => l.id).filter((id) => !WHOLE_LAYERS.includes(id));
    try {
      const fcs = await Promise.all(ids.map((id) => dated(id, date)));
      if (mine !== loadSeq) return;
      store.set({ layerData: Object.fromEntries(ids.map((id, i) => [id, fcs[i]])), dataDate: date });
    } catch (e) {
      store.set((st) => ({ notices: [...st.notices, `Could not load the layers for ${date}: ${e.message}`] }));
    }
  }
  let locateSeq = 0;
  async function locate(st) {
    const mine = ++locateSeq;
    if (!st.point) {
      store.set({ verdict: { status: 'idle', data: null, error: null } });
      return;
    }
    store.set((s) => ({ verdict: { ...s.verdict, status: 'loading' } }));
    try {
      const data = await api.locate({ lat: st.point.lat, lon: st.point.lon, query: st.place, date: st.date, uncertainty: st.uncertainty });
      if (mine === locateSeq) store.set({ verdict: { status: 'ok', data, error: null } });
    } catch (e) {
      if (mine === locateSeq) store.set({ verdict: { status: 'error', data: null, error: e.message } });
    }
  }

  // ---- the modules
  const permalink = () => permalinkOf(store.get());
  const fullMapLink = () => permalinkOf(store.get(), { embed: false });
  // A place picked by name is checked by its id, so that its own position
  // accuracy counts as uncertainty (`pl` in the permalink); a click is a bare point.
  const check = (lat, lon, placeName = null, place = null) => store.set({
    point: { lat: Math.round(lat * 1e5) / 1e5, lon: Math.round(lon * 1e5) / 1e5 }, placeName, place, tab: 'check', incident: null,
  });
  let chooser = null;
  const mapView = createMap($('map'), store, {
    onClick(lngLat, incidentIds) {
      chooser?.remove();
      const st = store.get();
      if (!incidentIds.length) {
        check(lngLat.lat, lngLat.lng);
        return;
      }
      const hits = stack(st.shownIncidents.filter((f) => incidentIds.includes(f.properties.id)), st.date);
      if (hits.length === 1) {
        store.set({ incident: hits[0].properties.id, tab: 'incidents', sheetOpen: true });
        return;
      }
      // Stacked markers: a chooser, nearest the selected date first.
      chooser = new maplibregl.Popup({ closeButton: true, maxWidth: '320px', className: 'chooser' })
        .setLngLat(lngLat)
        .setDOMContent(h('div', {}, h('p', { class: 'small' }, `${hits.length} incidents here, nearest the date first:`),
          h('ul', {}, hits.map((f) => h('li', {}, h('button', {
            type: 'button', class: 'linkish',
            on: { click: () => { chooser.remove(); store.set({ incident: f.properties.id, tab: 'incidents', sheetOpen: true }); } },
          }, `${shortDate(f.properties.date)} · ${incidentType(f.properties.type).label}: ${f.properties.place}`))))))
        .addTo(mapView.map);
    },
  });
  const renderTimebar = createTimebar(store, { previousZone: () => store.get().layerData.zone });
  const renderIncidents = createIncidents($('pane-incidents'), store);
  const renderLayers = createLayers($('pane-layers'), store);
  const renderAbout = createAbout($('pane-about'), store);
  const renderSearch = createSearch(store, {
    choose(item) {
      $('search').value = item.label;
      check(item.lat, item.lon, item.kind === 'place' ? item.label : null, item.kind === 'place' ? item.id : null);
      store.set({ camera: { lat: item.lat, lon: item.lon, zoom: 11 } });
    },
  });
  const lang = $('lang');
  lang.addEventListener('change', () => store.set({ lang: lang.value }));
  for (const t of TABS) {
    const tab = $(`tab-${t}`);
    tab.addEventListener('click', () => store.set({ tab: t, sheetOpen: true }));
    tab.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      const next = TABS[(TABS.indexOf(t) + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
      store.set({ tab: next });
      $(`tab-${next}`).focus();
    });
  }
  $('sheet-toggle').addEventListener('click', () => store.set((st) => ({ sheetOpen: !st.sheetOpen })));

  let urlTimer = null;
  store.subscribe((st, prev) => {
    // Effects first: they only start requests and set state later.
    if (changed(st, prev, 'date')) loadDate(st.date);
    if (changed(st, prev, 'point', 'place', 'date', 'uncertainty')) locate(st);
    if (changed(st, prev, 'incidentsAll', 'date', 'from', 'to', 'types', 'who')) {
      const all = st.incidentsAll || [];
      const [from, to] = range(st);
      store.set({
        shownIncidents: filterIncidents(all, { from, to, types: st.types, who: st.who }),
        filteredAll: filterIncidents(all, { from: '0000-01-01', to: '9999-12-31', types: st.types, who: st.who }),
      });
    }
    // Then rendering: which pane shows first, so a pane can scroll within itself.
    if (changed(st, prev, 'tab')) {
      for (const t of TABS) {
        const on = t === st.tab;
        $(`tab-${t}`).setAttribute('aria-selected', String(on));
        $(`tab-${t}`).tabIndex = on ? 0 : -1;
        $(`pane-${t}`).hidden = !on;
      }
    }
    if (changed(st, prev, 'sheetOpen')) {
      document.body.classList.toggle('sheet-open', st.sheetOpen);
      $('sheet-toggle').setAttribute('aria-expanded', String(st.sheetOpen));
      $('sheet-toggle').textContent = st.sheetOpen ? 'Hide details' : 'Details';
    }
    mapView.render(st, prev);
    renderTimebar(st, prev);
    renderHeadline($('headline'), st, prev, { permalink });
    renderCheck($('pane-check'), st, prev, store);
    renderEmbed($('embed-card'), st, prev, { fullMapLink });
    renderIncidents(st, prev);
    renderLayers(st, prev);
    renderAbout(st, prev);
    renderSearch(st, prev);
    if (changed(st, prev, 'lang')) lang.value = st.lang;
    if (changed(st, prev, 'notices')) {
      fill($('notices'), ...st.notices.map((n, i) => h('li', { class: 'notice' }, h('span', {}, n),
        h('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss this notice', on: { click: () => store.set((s) => ({ notices: s.notices.filter((_, j) => j !== i) })) } }, '×'))));
    }
    // The address bar is a permalink to what is on screen.
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => {
      const q = `?${formatUrl({ ...store.get(), version: cat.dataset_version }, cat)}`;
      if (q !== location.search) history.replaceState(null, '', `${location.pathname}${q}`);
    }, 150);
    document.body.dataset.ready = st.dataDate === st.date && st.incidentsAll && mapView.isLoaded() && (!st.point || st.verdict.status !== 'loading') ? '1' : '';
  });

  await mapView.loaded;
  store.flush();
  api.layer('incidents', null).then((fc) => store.set({ incidentsAll: fc.features }), (e) => store.set((st) => ({ notices: [...st.notices, `Could not load the incidents: ${e.message}`] })));
}

start();
