// The date bar: slider, exact date, previous/next change, Play (which stops
// at every change for a moment, the previous zone outlined), labelled change
// chips, the incident histogram under the slider, and the date stamp on the
// map. The stops and their labels are the catalog's.

import { h, s, fill } from './dom.js';
import { dayNumber, isoDay, longDate, shortDate, addDays, monthYear } from '../lib/dates.js';
import { period, stops, stepStop, changes, position, areaChange } from '../lib/catalog.js';
import { areaChangeText } from '../lib/format.js';
import { histogram } from '../lib/incidents.js';
import { changed } from '../lib/store.js';

/** Days Play advances per step, and how long a step and a pause at a change last. */
const PLAY_STEP_DAYS = 7;
const PLAY_STEP_MS = 250;
const PLAY_PAUSE_MS = 2200;

const PLAY_ICON = 'M4 2l10 6-10 6z';
const PAUSE_ICON = 'M3 2h4v12H3zM9 2h4v12H9z';

/** Wires the date bar to the store; returns its render function. */
export function createTimebar(store, { previousZone }) {
  const cat = store.get().catalog;
  const { first, end } = period(cat);
  const slider = document.getElementById('date-slider');
  const input = document.getElementById('date-input');
  const play = document.getElementById('play');
  const chips = document.getElementById('chips');
  const ticks = document.getElementById('ticks');
  const stamp = document.getElementById('date-stamp');
  const hist = document.getElementById('histogram');
  Object.assign(slider, { min: String(dayNumber(first)), max: String(dayNumber(end)), step: '1' });
  Object.assign(input, { min: first, max: end });

  const labelled = changes(cat);
  for (const c of labelled) {
    ticks.append(h('span', { class: `tick ${c.kind}`, style: { left: `${position(cat, c.date) * 100}%` } }));
    chips.append(h('li', {}, h('button', {
      type: 'button', class: 'chip', 'data-date': c.date, title: `${longDate(c.date)}: ${c.label}`,
      on: { click: () => store.set({ date: c.date, playing: false, pause: null }) },
    }, h('span', { class: 'chip-date' }, shortDate(c.date)), ' ', h('span', { class: 'chip-label' }, c.label))));
  }

  const setDate = (date) => store.set({ date: date < first ? first : date > end ? end : date, pause: null });
  slider.addEventListener('input', () => setDate(isoDay(Number(slider.value))));
  slider.addEventListener('keydown', (e) => {
    if (e.key === 'PageUp' || e.key === 'PageDown') {
      e.preventDefault();
      const next = stepStop(cat, store.get().date, e.key === 'PageDown' ? 1 : -1);
      if (next) setDate(next);
    } else if (e.key === ' ') {
      e.preventDefault();
      store.set((st) => ({ playing: !st.playing }));
    }
  });
  input.addEventListener('change', () => { if (input.value) setDate(input.value); });
  document.getElementById('prev-change').addEventListener('click', () => {
    const d = stepStop(cat, store.get().date, -1);
    if (d) setDate(d);
  });
  document.getElementById('next-change').addEventListener('click', () => {
    const d = stepStop(cat, store.get().date, 1);
    if (d) setDate(d);
  });
  play.addEventListener('click', () => store.set((st) => ({ playing: !st.playing, pause: null })));

  // Play: one step per tick; a step that would cross a change stops on it and
  // holds there, with what changed outlined.
  let timer = null;
  function tick() {
    const st = store.get();
    if (!st.playing) return;
    if (st.date >= end) {
      store.set({ playing: false, pause: null });
      return;
    }
    const next = addDays(st.date, PLAY_STEP_DAYS);
    const change = stops(cat).find((d) => d > st.date && d <= next);
    if (change) {
      store.set({ date: change, pause: { date: change, previousZone: previousZone() } });
      timer = setTimeout(tick, PLAY_PAUSE_MS);
    } else {
      store.set({ date: next > end ? end : next, pause: null });
      timer = setTimeout(tick, PLAY_STEP_MS);
    }
  }

  return function render(st, prev) {
    if (changed(st, prev, 'date')) {
      slider.value = String(dayNumber(st.date));
      slider.setAttribute('aria-valuetext', longDate(st.date));
      input.value = st.date;
      const current = [...stops(cat)].reverse().find((d) => d <= st.date);
      for (const b of chips.querySelectorAll('.chip')) {
        if (b.dataset.date === current) b.setAttribute('aria-current', 'true');
        else b.removeAttribute('aria-current');
      }
    }
    if (changed(st, prev, 'date', 'pause', 'dataDate')) {
      const c = st.pause ? labelled.find((x) => x.date === st.pause.date) : null;
      const noZone = st.date >= end || st.date < first;
      fill(stamp, 
        h('span', { class: 'stamp-date' }, longDate(st.date)),
        c ? h('span', { class: 'stamp-change' }, c.label) : null,
        c && areaChange(cat, c.date) ? h('span', { class: 'stamp-area' }, areaChangeText(areaChange(cat, c.date))) : null,
        noZone ? h('span', { class: 'stamp-change' }, 'No peacekeeping zone on this date') : null,
      );
      stamp.classList.toggle('paused', !!c);
    }
    if (changed(st, prev, 'playing')) {
      clearTimeout(timer);
      fill(play, s('svg', { 'aria-hidden': 'true', width: '16', height: '16', viewBox: '0 0 16 16' },
        s('path', { d: st.playing ? PAUSE_ICON : PLAY_ICON, fill: 'currentColor' })));
      play.setAttribute('aria-label', st.playing ? 'Pause' : 'Play through the dates, stopping at each change');
      play.setAttribute('aria-pressed', String(!!st.playing));
      if (st.playing) {
        if (st.date >= end) store.set({ date: first });
        timer = setTimeout(tick, PLAY_STEP_MS);
      }
    }
    if (changed(st, prev, 'incidentsAll', 'types', 'who')) {
      const bins = histogram(st.filteredAll || [], first, end);
      const max = Math.max(1, ...bins.map((b) => b.count));
      const span = dayNumber(end) - dayNumber(first);
      hist.setAttribute('viewBox', `0 0 ${span} 10`);
      fill(hist, ...bins.filter((b) => b.count).map((b) => {
        const x = Math.max(0, dayNumber(`${b.month}-01`) - dayNumber(first));
        return s('rect', { x: String(x), width: '28', y: String(10 - (10 * b.count) / max), height: String((10 * b.count) / max) },
          s('title', {}, `${monthYear(`${b.month}-01`)}: ${b.count} incident${b.count === 1 ? '' : 's'}`));
      }));
    }
  };
}
