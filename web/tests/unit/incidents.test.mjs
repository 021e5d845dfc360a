import { test } from 'node:test';
import assert from 'node:assert/strict';
import { range, filter, stack, histogram, claimants, csvRecords } from '../../src/lib/incidents.js';

const inc = (id, date, type, who = [], date_end = undefined) => ({
  type: 'Feature', geometry: { type: 'Point', coordinates: [46.8, 40.0] },
  properties: { id, date, date_end, type, place: `Place ${id}`, summary: `S ${id}`, location_precision_m: 1000, claims: who.map((w) => ({ who: w, said: 'said "x", then y' })), sources: [{ url: `https://e.org/${id}` }] },
});
const ALL = [inc('a', '2022-03-24', 'incursion', ['Russian MoD']), inc('b', '2022-03-01', 'strike', ['Azerbaijani MoD', 'Russian MoD']),
  inc('c', '2021-01-05', 'strike'), inc('d', '2022-02-20', 'blockade', [], '2022-03-10')];

test('the default range is sixty days either side of the date', () => {
  assert.deepEqual(range({ date: '2022-03-01' }), ['2021-12-31', '2022-04-30']);
  assert.deepEqual(range({ date: '2022-03-01', from: '2022-03-01', to: '2022-03-31' }), ['2022-03-01', '2022-03-31']);
});

test('the filter keeps incidents overlapping the range, of the types and with a claim by the party, by date', () => {
  assert.deepEqual(filter(ALL, { from: '2022-03-05', to: '2022-03-31' }).map((f) => f.properties.id), ['d', 'a']);
  assert.deepEqual(filter(ALL, { from: '2021-01-01', to: '2022-12-31', types: ['strike'] }).map((f) => f.properties.id), ['c', 'b']);
  assert.deepEqual(filter(ALL, { from: '2021-01-01', to: '2022-12-31', who: 'Azerbaijani MoD' }).map((f) => f.properties.id), ['b']);
});

test('stacked incidents come nearest the selected date first', () => {
  assert.deepEqual(stack(ALL, '2022-03-20').map((f) => f.properties.id), ['a', 'd', 'b', 'c']);
});

test('the histogram counts incidents per month over the whole period', () => {
  const bins = histogram(ALL, '2020-11-10', '2023-09-20');
  assert.equal(bins.length, 35);
  assert.deepEqual(bins.filter((b) => b.count).map((b) => [b.month, b.count]), [['2021-01', 1], ['2022-02', 1], ['2022-03', 2]]);
});

test('claimants are counted and ordered by how many claims they made', () => {
  assert.deepEqual(claimants(ALL), [{ who: 'Russian MoD', n: 2 }, { who: 'Azerbaijani MoD', n: 1 }]);
});

test('a CSV record carries the claims and sources flat', () => {
  assert.deepEqual(csvRecords([ALL[1]])[0], ['b', '2022-03-01', '', 'strike', 'Place b', 40.0, 46.8, 1000, 'S b',
    'Azerbaijani MoD: said "x", then y | Russian MoD: said "x", then y', 'https://e.org/b']);
});
