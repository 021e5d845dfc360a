import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distance, dms, headline, citation, placeLabel, licenceName, basisText, basisSources, depictionText } from '../../src/lib/format.js';

const verdict = (over = {}) => ({
  query: { lat: 40.019, lon: 46.801, date: '2022-03-24', uncertainty_m: 0 },
  status: 'inside_zone', distance_to_boundary_m: -1523.5, boundary_accuracy_m: 1246, near_boundary: false,
  nearest_places: [{ name: 'Parukh / Farrukh', distance_m: 50, direction: 'N' }],
  dataset_version: 'abc123',
  ...over,
});

test('distances read in metres below a kilometre and in kilometres above', () => {
  assert.deepEqual([distance(850), distance(-1523.5), distance(31400), distance(null)], ['850 m', '1.5 km', '31 km', '–']);
});

test('seconds that round up to 60 carry into the minutes', () => {
  assert.equal(dms(39.99999, 46.5), '40°00′00.0″N 46°30′00.0″E');
});

test('a point well inside reads inside, with the place and the boundary accuracy', () => {
  assert.deepEqual(headline(verdict(), 'Parukh / Farrukh'), {
    kind: 'inside', title: 'Parukh / Farrukh: inside the peacekeeping zone',
    detail: '1.5 km inside the boundary, which is known to ±1.2 km here.',
  });
});

test('a point the server calls near the boundary reads uncertain, not inside', () => {
  const h = headline(verdict({ distance_to_boundary_m: -300, near_boundary: true }), 'Parukh / Farrukh');
  assert.deepEqual(h, {
    kind: 'uncertain', title: 'Parukh / Farrukh: may have been on either side',
    detail: '300 m from the boundary, which is known to ±1.2 km here: too close to call.',
  });
});

test('a day without a zone reads so', () => {
  assert.equal(headline(verdict({ status: 'no_zone', distance_to_boundary_m: null }), 'X').kind, 'none');
});

test('the place is the one searched, else the nearest within a kilometre, else a bearing from it', () => {
  assert.equal(placeLabel(verdict(), 'Farrukh'), 'Farrukh');
  assert.equal(placeLabel(verdict()), 'Parukh / Farrukh');
  assert.equal(placeLabel(verdict({ nearest_places: [{ name: 'Khramort / Pirlar', distance_m: 2059, direction: 'SE' }] })), '2.1 km SE of Khramort / Pirlar');
});

test('the citation is one sentence with place, date, verdict, distance ± accuracy, version, licence and link', () => {
  assert.equal(
    citation({ verdict: verdict(), place: 'Parukh / Farrukh', link: 'http://h/?date=2022-03-24', licence: 'CC-BY-4.0' }),
    'Parukh / Farrukh (40.01900, 46.80100) was inside the Russian peacekeeping zone in Nagorno-Karabakh on 24 March 2022, 1.5 km ± 1.2 km from its boundary (contactline dataset abc123, CC BY 4.0, http://h/?date=2022-03-24).',
  );
  assert.equal(
    citation({ verdict: verdict({ near_boundary: true, distance_to_boundary_m: 300 }), place: 'P', link: 'L', licence: 'CC-BY-4.0' }),
    'P (40.01900, 46.80100) may have been inside or outside the Russian peacekeeping zone in Nagorno-Karabakh on 24 March 2022, 300 m ± 1.2 km from its boundary (contactline dataset abc123, CC BY 4.0, L).',
  );
  assert.equal(licenceName('CC-BY-4.0'), 'CC BY 4.0');
});

test('the citation says what the boundary rests on where the server names it', () => {
  const boundary_basis = {
    kind: 'control_points',
    zone_side: { name: 'Khnapat / Khanabad', status: 'zone' },
    other_side: { name: 'Shushi / Shusha', status: 'azerbaijan' },
  };
  assert.equal(
    citation({ verdict: verdict({ boundary_basis }), place: 'P', link: 'L', licence: 'CC-BY-4.0' }),
    'P (40.01900, 46.80100) was inside the Russian peacekeeping zone in Nagorno-Karabakh on 24 March 2022, 1.5 km ± 1.2 km from its boundary, which runs there between Khnapat / Khanabad (Armenian-held) and Shushi / Shusha (Azerbaijani-held) (contactline dataset abc123, CC BY 4.0, L).',
  );
  const band = { kind: 'corridor_band', half_width_m: 2500 };
  assert.match(citation({ verdict: verdict({ status: 'inside_corridor', boundary_basis: band }), place: 'P', link: 'L', licence: 'CC-BY-4.0' }),
    /from its boundary, which runs there along the corridor's band, 2\.5 km either side of its road \(contactline/);
});

test('a basis between two places names both, their holders and the day one changed hands', () => {
  const src = (n) => ({ title: `T${n}`, url: `https://example.org/${n}` });
  const b = {
    kind: 'control_points', short: 'x',
    zone_side: { id: 'a', name: 'Khnapat / Khanabad', status: 'zone', sources: [src(1)] },
    other_side: { id: 'b', name: 'Karaglukh heights', status: 'azerbaijan', since: '2022-03-25', sources: [src(1), src(2)] },
  };
  assert.equal(basisText(b), 'The line here runs between Khnapat / Khanabad (Armenian-held) and Karaglukh heights (Azerbaijani-held from 25 March 2022).');
  assert.deepEqual(basisSources(b).map((s) => s.url), ['https://example.org/1', 'https://example.org/2']);
});

test('a depiction that differs says its side, distance and accuracy', () => {
  const d = { source: 'Natural Earth', scale: '1:10,000,000', inside: true, distance_m: -1234, accuracy_m: 5000, agrees: false };
  assert.equal(depictionText(d), 'Natural Earth (1:10,000,000) puts this point inside its area, 1.2 km from its edge (± 5.0 km): it differs from our answer.');
});
