import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stops, periodKey, stepStop, changes, areas, areaChange, position } from '../../src/lib/catalog.js';
import { areaChangeText } from '../../src/lib/format.js';
import { CATALOG } from './fixture.mjs';

test('the stops are the first day, each change and the day after the end, in order', () => {
  assert.deepEqual(stops(CATALOG), ['2020-11-10', '2020-12-13', '2022-03-25', '2023-09-20']);
});

test('a day after the zone ended has its own period, not the last version\'s', () => {
  assert.equal(periodKey(CATALOG, '2023-09-19'), '2022-03-25');
  assert.equal(periodKey(CATALOG, '2023-09-20'), '2023-09-20');
  assert.equal(periodKey(CATALOG, '2020-11-09'), 'before');
  assert.equal(periodKey(CATALOG, '2022-03-24'), '2020-12-13');
});

test('stepping from a day goes to the next or previous stop and stops at the ends', () => {
  assert.equal(stepStop(CATALOG, '2021-06-01', 1), '2022-03-25');
  assert.equal(stepStop(CATALOG, '2021-06-01', -1), '2020-12-13');
  assert.equal(stepStop(CATALOG, '2023-09-20', 1), null);
  assert.equal(stepStop(CATALOG, '2020-11-10', -1), null);
});

test('each stop is labelled with the versions that start on it, and the end says so', () => {
  assert.deepEqual(changes(CATALOG), [
    { date: '2020-11-10', label: 'First zone', kind: 'start' },
    { date: '2020-12-13', label: 'Pocket lost', kind: 'change' },
    { date: '2022-03-25', label: 'Parukh taken', kind: 'change' },
    { date: '2023-09-20', label: 'The peacekeeping zone ended', kind: 'end' },
  ]);
});

test('a stop where derive split a version is labelled with what changed that day', () => {
  const split = {
    ...CATALOG,
    change_dates: [...CATALOG.change_dates, '2023-04-23'],
    derived_versions: {
      zone: [],
      corridor: [
        { id: 'c1', title: 'Old road', description: 'Point 6 of the statement', valid_from: '2020-11-10', valid_to: '2023-04-23' },
        { id: 'c1-2023-04-23', title: 'Old road, from 2023-04-23', description: 'From 2023-04-23 the control timelines change: Hakari bridge checkpoint: azerbaijan.', valid_from: '2023-04-23', valid_to: '2023-09-20' },
      ],
    },
  };
  const labels = Object.fromEntries(changes(split).map((c) => [c.date, c.label]));
  assert.equal(labels['2023-04-23'], 'From 2023-04-23 the control timelines change: Hakari bridge checkpoint: azerbaijan.');
  // A stop named by a version of versions.json keeps that title.
  assert.equal(labels['2022-03-25'], 'Parukh taken');
});

test('areas come from the derived versions\' computed figures, null when one lacks them', () => {
  assert.equal(areas(CATALOG), null);
  const zone = CATALOG.zone_versions.map((v, i) => ({ ...v, figures: { area_km2: 3000 - i * 100 } }));
  const withAreas = { ...CATALOG, derived_versions: { zone, corridor: [] } };
  assert.deepEqual(areas(withAreas).map((a) => [a.from, a.to, a.km2]), [['2020-11-10', '2020-12-13', 3000], ['2020-12-13', '2022-03-25', 2900], ['2022-03-25', '2023-09-20', 2800]]);
  const oneMissing = { ...CATALOG, derived_versions: { zone: [...zone.slice(0, 2), { ...zone[2], figures: {} }], corridor: [] } };
  assert.equal(areas(oneMissing), null);
});

test('positions on the date bar run from 0 on the first day to 1 on the day after the end', () => {
  assert.equal(position(CATALOG, '2020-11-10'), 0);
  assert.equal(position(CATALOG, '2023-09-20'), 1);
});

test('a change\'s area effect is the version\'s area less the one before, in words', () => {
  const zone = CATALOG.zone_versions.map((v, i) => ({ ...v, figures: { area_km2: [3717.5, 3443.6, 3443.6][i] } }));
  const cat = { ...CATALOG, derived_versions: { zone, corridor: [] } };
  assert.equal(areaChange(cat, '2020-11-10'), null, 'the first version changed nothing');
  assert.equal(areaChange(cat, '2021-01-01'), null, 'no version starts that day');
  assert.equal(areaChangeText(areaChange(cat, '2020-12-13')), 'zone 3,444 km², 274 km² smaller');
  assert.equal(areaChangeText(areaChange(cat, '2022-03-25')), 'zone 3,444 km², area unchanged');
  assert.equal(areaChangeText({ km2: 3000.4, delta: 12.6 }), 'zone 3,000 km², 13 km² larger');
  assert.equal(areaChange(CATALOG, '2020-12-13'), null, 'no areas served, nothing said');
});
