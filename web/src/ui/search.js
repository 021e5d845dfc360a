// The search box: suggestions from the server (places with their kind and
// district, coordinate readings), arrow keys to move, Enter to take the
// highlighted suggestion or the first the server calls good, and a message
// when there is none.

import { h, fill } from './dom.js';
import * as api from '../api.js';
import { suggestions, pick, noMatch } from '../lib/search.js';
import { labelFor } from '../lib/legend.js';
import { changed } from '../lib/store.js';

/** Wires the search box; `choose(item)` checks a chosen suggestion. Returns the render function. */
export function createSearch(store, { choose }) {
  const input = document.getElementById('search');
  const list = document.getElementById('suggestions');
  const form = document.getElementById('search-form');
  const message = document.getElementById('search-message');
  let seq = 0;
  let timer = null;

  async function lookup(text) {
    const mine = ++seq;
    const q = text.trim();
    if (q.length < 2) {
      store.set({ search: { query: text, items: [], active: -1, message: '' } });
      return null;
    }
    const [parsed, places] = await Promise.all([
      api.parse(q).then((v) => ({ v }), (e) => ({ error: e.message })),
      api.places(q).then((v) => v.results || [], () => []),
    ]);
    if (mine !== seq) return null;
    const items = suggestions(parsed.v, places);
    const search = { query: text, items, active: -1, message: '', parseError: parsed.error };
    store.set({ search });
    return search;
  }

  function take(item) {
    store.set((st) => ({ search: { ...st.search, items: [], active: -1, message: '' } }));
    if (item) choose(item);
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => lookup(input.value), 120);
  });
  input.addEventListener('keydown', (e) => {
    const { items, active } = store.get().search;
    if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && items.length) {
      e.preventDefault();
      const next = (active + (e.key === 'ArrowDown' ? 1 : items.length - 1 + (active < 0 ? 1 : 0))) % items.length;
      store.set((st) => ({ search: { ...st.search, active: next } }));
    } else if (e.key === 'Escape') {
      store.set((st) => ({ search: { ...st.search, items: [], active: -1 } }));
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearTimeout(timer);
    let search = store.get().search;
    // Enter before the suggestions arrived: ask now, with the text as typed.
    if (search.query !== input.value) search = (await lookup(input.value)) || store.get().search;
    if (!input.value.trim()) return;
    const item = pick(search.items, search.active);
    if (item) take(item);
    else store.set({ search: { ...search, message: noMatch(input.value.trim(), search.items, search.parseError) } });
  });
  list.addEventListener('mousedown', (e) => {
    const li = e.target.closest('li[data-i]');
    if (!li) return;
    e.preventDefault();
    take(store.get().search.items[Number(li.dataset.i)]);
  });
  input.addEventListener('blur', () => setTimeout(() => store.set((st) => ({ search: { ...st.search, items: [], active: -1 } })), 150));

  return function render(st, prev) {
    if (!changed(st, prev, 'search', 'lang')) return;
    const { items, active, message: text } = st.search;
    fill(list, ...items.map((it, i) => {
      const label = it.kind === 'place' ? labelFor({ names: it.names, name: it.label }, st.lang) : { text: it.label, lang: 'en' };
      const matched = it.matched?.form && it.matched.form !== it.label ? it.matched : null;
      return h('li', { role: 'option', id: `sugg-${i}`, 'data-i': String(i), 'aria-selected': String(i === active) },
        h('span', { lang: label.lang }, label.text),
        h('span', { class: 'alt' },
          it.kind === 'place' ? [it.placeKind, it.district ? `, ${it.district}` : '',
            matched ? [' · matched “', h('span', { lang: matched.lang || null }, matched.form), '”'] : '',
            it.good ? '' : ' · a loose match']
            : `coordinate · ${it.note || ''}`));
    }));
    list.hidden = items.length === 0;
    input.setAttribute('aria-expanded', String(!list.hidden));
    if (active >= 0) input.setAttribute('aria-activedescendant', `sugg-${active}`);
    else input.removeAttribute('aria-activedescendant');
    message.textContent = text || '';
    message.hidden = !text;
  };
}
