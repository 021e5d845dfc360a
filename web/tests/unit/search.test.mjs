import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suggestions, pick, noMatch, isGood } from '../../src/lib/search.js';

const place = (id, how, extra = {}) => ({ id, display_name: id, names: {}, coordinates: [46.8, 40.0], kind: 'village', score: 0.31, matched: { form: id, how }, ...extra });

test('Enter takes nothing when the server offers only loose matches', () => {
  const items = suggestions(null, [place('Haykazyan / Gazyan', 'typo'), place('Hin Shen', 'typo')]);
  assert.equal(pick(items, -1), null);
  assert.equal(noMatch('xqzv', items), 'No good match for “xqzv”: pick one of the suggestions if you meant it, or try a coordinate.');
});

test('Enter takes the first good match, or the one the reader highlighted', () => {
  const items = suggestions(null, [place('A', 'typo'), place('Parukh', 'exact')]);
  assert.equal(pick(items, -1).id, 'Parukh');
  assert.equal(pick(items, 0).id, 'A');
});

test('the server\'s own good flag wins over the kind of match', () => {
  assert.equal(isGood(place('A', 'exact', { good: false })), false);
  assert.equal(isGood(place('A', 'typo', { good: true })), true);
});

test('one coordinate reading in the region is taken; two are offered', () => {
  const one = suggestions({ readings: [{ coordinates: [46.7519, 39.8153], in_region: true }, { coordinates: [39.8153, 46.7519], in_region: false }] }, []);
  assert.deepEqual([one[0].lat, one[0].lon, one[0].good, one[1].good], [39.8153, 46.7519, true, false]);
  const two = suggestions({ readings: [{ coordinates: [46.7, 39.8], in_region: true }, { coordinates: [46.8, 39.7], in_region: true }] }, []);
  assert.equal(pick(two, -1), null);
});

test('a short map link is explained; nothing at all suggests a coordinate', () => {
  assert.match(noMatch('https://maps.app.goo.gl/abc', []), /^Short map links/);
  assert.match(noMatch('https://yandex.ru/maps/-/CCUkVGg~cD', []), /^Short map links/);
  assert.match(noMatch('https://go.2gis.com/abcd', []), /^Short map links/);
  // A full Yandex link is not a short one: the server reads its coordinates.
  assert.doesNotMatch(noMatch('https://yandex.ru/maps/?text=Parukh', []), /^Short map links/);
  assert.equal(noMatch('zzzz', []), 'No place found for “zzzz”: try another spelling or a coordinate such as 39.8153, 46.7519.');
});
