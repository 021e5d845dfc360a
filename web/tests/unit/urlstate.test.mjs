import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUrl, formatUrl } from '../../src/lib/urlstate.js';
import { CATALOG } from './fixture.mjs';

test('a date that is not on the calendar is dropped with a notice', () => {
  const { state, notices } = parseUrl('?date=2022-02-30', CATALOG);
  assert.equal(state.date, undefined);
  assert.deepEqual(notices, ['The link\'s date “2022-02-30” is not a calendar date; showing 1 March 2022.']);
});

test('a date after the end shows the day after the end, with a notice', () => {
  const { state, notices } = parseUrl('?date=2030-01-01', CATALOG);
  assert.equal(state.date, '2023-09-20');
  assert.deepEqual(notices, ['The link\'s date 1 January 2030 is after the map\'s last day; showing 20 September 2023, the day after the zone ended.']);
});

test('an unknown layer is named in a notice and the usual layers are shown', () => {
  const { state, notices } = parseUrl('?layers=foo', CATALOG);
  assert.deepEqual(state.layers, ['zone', 'settlements', 'incidents']);
  assert.deepEqual(notices, ['The link names a layer this map does not have (“foo”); showing the usual layers.']);
  const withReference = { ...CATALOG, layers: [...CATALOG.layers, { id: 'depictions', title: 'Other depictions', shown_by_default: false }] };
  assert.deepEqual(parseUrl('?layers=foo', withReference).state.layers, ['zone', 'settlements', 'incidents']);
});

test('known layers beside an unknown one are kept', () => {
  const { state, notices } = parseUrl('?layers=zone,bar', CATALOG);
  assert.deepEqual(state.layers, ['zone']);
  assert.deepEqual(notices, ['The link names a layer this map does not have (“bar”); showing the others.']);
});

test('a bad point, zoom, language and uncertainty each give a notice and are dropped', () => {
  const { state, notices } = parseUrl('?pt=91,10&z=abc&lang=fr&u=-5', CATALOG);
  assert.equal(state.point, undefined);
  assert.equal(state.zoom, undefined);
  assert.equal(state.lang, undefined);
  assert.equal(state.uncertainty, undefined);
  assert.equal(notices.length, 4);
});

test('a state survives formatting and parsing unchanged', () => {
  const s = {
    date: '2022-03-24', center: { lat: 39.8, lon: 46.75 }, zoom: 9.5, point: { lat: 40.019, lon: 46.801 }, place: 'parukh', uncertainty: 500,
    incident: 'x', layers: ['zone', 'incidents'], lang: 'hy', from: '2022-01-01', to: '2022-02-01', types: ['strike'], who: 'Russian MoD', embed: true, version: 'abc123',
  };
  const q = formatUrl(s, CATALOG);
  assert.equal(q, 'date=2022-03-24&c=39.80000,46.75000&z=9.5&pt=40.01900,46.80100&pl=parukh&u=500&inc=x&layers=zone,incidents&lang=hy&from=2022-01-01&to=2022-02-01&type=strike&who=Russian+MoD&embed=1&v=abc123');
  const { state, notices } = parseUrl(`?${q}`, CATALOG);
  assert.deepEqual(notices, []);
  assert.deepEqual(state, s);
});

test('the usual layers leave the layers parameter out; a reference layer turned on is written', () => {
  assert.equal(formatUrl({ date: '2022-03-01', layers: ['incidents', 'zone', 'settlements'] }, CATALOG), 'date=2022-03-01');
  const withReference = { ...CATALOG, layers: [...CATALOG.layers, { id: 'depictions', title: 'Other depictions', shown_by_default: false }] };
  assert.equal(formatUrl({ date: '2022-03-01', layers: ['incidents', 'zone', 'settlements'] }, withReference), 'date=2022-03-01');
  assert.equal(formatUrl({ date: '2022-03-01', layers: ['zone', 'settlements', 'incidents', 'depictions'] }, withReference), 'date=2022-03-01&layers=zone,settlements,incidents,depictions');
});

test('a place id is kept only with a point and only when it reads as an id', () => {
  assert.equal(parseUrl('?pt=40.019,46.801&pl=parukh', CATALOG).state.place, 'parukh');
  const alone = parseUrl('?pl=parukh', CATALOG);
  assert.equal(alone.state.place, undefined);
  assert.deepEqual(alone.notices, ['The link names the place “parukh” but no checked point; ignored.']);
  const bad = parseUrl('?pt=40.019,46.801&pl=%3Cb%3E', CATALOG);
  assert.equal(bad.state.place, undefined);
  assert.deepEqual(bad.notices, ['The link\'s place “<b>” is not a place id; checking the point only.']);
  assert.equal(formatUrl({ date: '2022-03-01', place: 'parukh' }, CATALOG), 'date=2022-03-01');
});
