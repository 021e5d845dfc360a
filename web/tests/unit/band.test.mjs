import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandFeatures } from '../../src/lib/band.js';
import { createStore } from '../../src/lib/store.js';
import { isIsoDay, longDate, addDays } from '../../src/lib/dates.js';

test('edges with the same accuracy in a row become one band line', () => {
  const ring = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
  const zone = { features: [{ properties: { id: 'z', edge_accuracy_m: [[[500, 500, 2000, 500]]] }, geometry: { type: 'MultiPolygon', coordinates: [[ring]] } }] };
  const band = bandFeatures(zone).features.map((f) => [f.properties.accuracy_m, f.geometry.coordinates]);
  assert.deepEqual(band, [[500, [[0, 0], [1, 0], [1, 1]]], [2000, [[1, 1], [0, 1]]], [500, [[0, 1], [0, 0]]]]);
});

test('a zone without per-edge accuracy draws no band', () => {
  assert.deepEqual(bandFeatures({ features: [{ properties: {}, geometry: { type: 'Polygon', coordinates: [] } }] }).features, []);
});

test('the store renders once per batch of changes, with the previous state', async () => {
  const store = createStore({ a: 1, b: 1 });
  const seen = [];
  store.subscribe((s, prev) => seen.push([s.a, s.b, prev.a]));
  store.flush();
  store.set({ a: 2 });
  store.set({ b: 3 });
  store.set({ b: 3 });
  await Promise.resolve();
  assert.deepEqual(seen, [[1, 1, undefined], [2, 3, 1]]);
});

test('days are checked against the calendar and worded in English', () => {
  assert.deepEqual([isIsoDay('2022-02-30'), isIsoDay('2024-02-29'), longDate('2023-09-20'), addDays('2022-03-01', -1)], [false, true, '20 September 2023', '2022-02-28']);
});
