// The desktop map in real Chromium, each test on its own page: what the map
// draws, the verdict and the URL agree on every change date and after the
// zone ended; the uncertain headline and the accuracy band; Copy citation;
// search that says no; notices for bad URL parameters; Play; permalinks;
// axe-core. Expected values come from the server's own API.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, goto, ready, pixelOf, headline, axeViolations, screenshot } from './helpers.mjs';

const STEPANAKERT = { lat: 39.8153, lon: 46.7519 };
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const words = (iso) => { const [y, m, d] = iso.split('-').map(Number); return `${d} ${MONTHS[m - 1]} ${y}`; };

let server;
let browser;
let catalog;
const api = async (path) => (await fetch(`${server.base}${path}`)).json();

before(async () => {
  server = await startServer();
  browser = await launch();
  catalog = await api('/api/v1/dataset');
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

test('the page loads offline with no console errors and axe-core finds no serious or critical violation', async () => {
  const { page, context, errors, foreign } = await openPage(browser, server.base);
  await goto(page, server.base, `/?date=2022-03-01&pt=${STEPANAKERT.lat},${STEPANAKERT.lon}&c=39.85,46.75&z=8.6`);
  assert.equal(await page.title(), 'contactline: the Russian peacekeeping zone in Nagorno-Karabakh, 2020–2023');
  assert.deepEqual(await headline(page), { kind: 'inside', title: 'Stepanakert / Khankendi: inside the peacekeeping zone' });
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'screenshot-desktop.png');
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign, []);
  await context.close();
});

test('map, verdict and URL agree on every change date and on the day the zone ended', async () => {
  const { page, context, errors } = await openPage(browser, server.base);
  const { from, to } = catalog.zone_period;
  await goto(page, server.base, `/?date=${from}&pt=${STEPANAKERT.lat},${STEPANAKERT.lon}`);
  const stops = [...new Set([from, ...catalog.change_dates, to])];
  for (const [i, stop] of stops.entries()) {
    if (i > 0) {
      await page.click('#next-change');
      await ready(page);
    }
    const server_ = await api(`/api/v1/locate?lat=${STEPANAKERT.lat}&lon=${STEPANAKERT.lon}&date=${stop}`);
    await page.waitForFunction((d) => new URLSearchParams(location.search).get('date') === d, stop);
    const seen = await page.evaluate(() => ({
      drawn: document.getElementById('map').dataset.date,
      zone: document.getElementById('map').dataset.zoneVersion,
      when: document.querySelector('#headline .headline-when')?.textContent,
      slider: document.getElementById('date-input').value,
      stamp: document.querySelector('#date-stamp .stamp-date').textContent,
    }));
    assert.deepEqual(seen, {
      drawn: stop, zone: server_.zone_version?.id ?? '', when: `on ${words(stop)}`, slider: stop, stamp: words(stop),
    }, `on ${stop}`);
  }
  // The day the zone ended: nothing drawn, and the verdict says there was no zone.
  assert.equal(await page.evaluate(() => document.getElementById('map').dataset.zoneVersion), '');
  assert.deepEqual(await headline(page), { kind: 'none', title: 'Stepanakert / Khankendi: no peacekeeping zone on this date' });
  assert.equal(await page.textContent('#date-stamp'), `${words(to)}No peacekeeping zone on this date`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a point within the boundary accuracy reads uncertain with ± the accuracy, on the drawn band', async () => {
  const far = await api('/api/v1/locate?lat=40.019&lon=46.801&date=2022-03-24');
  const [lon, lat] = far.nearest_boundary_point;
  const near = await api(`/api/v1/locate?lat=${lat}&lon=${lon}&date=2022-03-24`);
  assert.equal(near.near_boundary, true, 'the server calls a point on the line near the boundary');
  const { page, context } = await openPage(browser, server.base);
  await goto(page, server.base, `/?date=2022-03-24&pt=${lat},${lon}&c=${lat},${lon}&z=10&layers=zone`);
  const head = await headline(page);
  assert.equal(head.kind, 'uncertain');
  assert.match(head.title, /: may have been on either side$/);
  const km = (near.boundary_accuracy_m / 1000).toFixed(1);
  assert.match(await page.textContent('#headline .headline-detail'), new RegExp(`known to ±${km.replace('.', '\\.')} km here: too close to call\\.$`));
  // The band: pixels beside the point change when the band is switched off.
  const at = await pixelOf(page, lon, lat);
  const shots = async () => Promise.all([-14, 14].map((dx) => page.screenshot({ clip: { x: at.x + dx - 1, y: at.y - 1, width: 3, height: 3 } })));
  const on = await shots();
  await page.click('#tab-layers');
  await page.uncheck('#band-toggle');
  await page.waitForFunction(() => document.getElementById('map').dataset.idle === '1');
  const off = await shots();
  assert.ok(on.some((b, i) => !b.equals(off[i])), 'the band changes the pixels beside the point');
  await context.close();
});

test('Copy citation copies one sentence with place, date, verdict, distance ± accuracy, what the boundary rests on, version, licence and link', async () => {
  const { page, context } = await openPage(browser, server.base, undefined, { permissions: ['clipboard-read', 'clipboard-write'] });
  await goto(page, server.base, `/?date=2022-03-01&pt=${STEPANAKERT.lat},${STEPANAKERT.lon}`);
  await page.click('#copy-citation');
  const text = await page.evaluate(() => navigator.clipboard.readText());
  const href = await page.evaluate(() => location.href);
  const start = 'Stepanakert / Khankendi (39.81530, 46.75190) was inside the Russian peacekeeping zone in Nagorno-Karabakh on 1 March 2022, ';
  const end = ` (contactline dataset ${catalog.dataset_version}, CC BY 4.0, ${href}).`;
  assert.ok(text.startsWith(start), text);
  assert.ok(text.endsWith(end), `${text}\n${end}`);
  const middle = text.slice(start.length, text.length - end.length);
  assert.match(middle, /^\d+(\.\d)? k?m ± \d+(\.\d)? k?m from its boundary, which runs there between /);
  // The places the server says that edge rests on.
  const { boundary_basis: b } = await (await fetch(`${server.base}/api/v1/locate?lat=${STEPANAKERT.lat}&lon=${STEPANAKERT.lon}&date=2022-03-01`)).json();
  assert.ok(middle.includes(`between ${b.zone_side.name} (`) && middle.includes(` and ${b.other_side.name} (`), middle);
  await context.close();
});

test('Enter on a random string takes no place and says so; on a known spelling it checks that place', async () => {
  const { page, context } = await openPage(browser, server.base);
  await goto(page, server.base, '/?date=2022-03-01');
  await page.locator('#search').pressSequentially('xqzv', { delay: 10 });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('search-message').textContent !== '');
  assert.match(await page.textContent('#search-message'), /^No (good match|place found) for “xqzv”: /);
  assert.equal((await headline(page)).kind, 'none');
  assert.equal(await page.evaluate(() => new URLSearchParams(location.search).has('pt')), false);

  await page.fill('#search', '');
  await page.locator('#search').pressSequentially('Furukh', { delay: 10 });
  await page.locator('#suggestions li', { hasText: 'Parukh' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('pt') === '40.01944,46.80111');
  // Picked by name, the place is checked by its id, its own accuracy counted.
  assert.equal(await page.evaluate(() => new URLSearchParams(location.search).get('pl')), 'parukh');
  await ready(page);
  const expected = await api('/api/v1/locate?q=parukh&date=2022-03-01');
  assert.equal(expected.status, 'inside_zone');
  assert.equal(expected.resolved.place_id, 'parukh');
  // Parukh lies near the derived boundary: the headline follows the server's near_boundary.
  const [kind, words] = expected.near_boundary
    ? ['uncertain', 'may have been on either side'] : ['inside', 'inside the peacekeeping zone'];
  assert.deepEqual(await headline(page), { kind, title: `Parukh / Farrukh: ${words}` });
  await context.close();
});

test('a Yandex Maps link (longitude first) and a decimal-comma pair pasted into the search check the right point', async () => {
  const { page, context } = await openPage(browser, server.base);
  await goto(page, server.base, '/?date=2022-03-01');
  for (const [text, pt] of [
    ['https://yandex.ru/maps/?ll=46.9,40.1&pt=46.8011,40.0194&z=14', '40.01940,46.80110'],
    ['39,8153 46,7519', '39.81530,46.75190'],
  ]) {
    await page.fill('#search', '');
    await page.locator('#search').pressSequentially(text, { delay: 5 });
    await page.locator('#suggestions li').first().waitFor();
    await page.keyboard.press('Enter');
    await page.waitForFunction((want) => new URLSearchParams(location.search).get('pt') === want, pt, { timeout: 10000 })
      .catch(() => assert.fail(`${text}: pt=${new URL(page.url()).searchParams.get('pt')}, want ${pt}`));
  }
  await context.close();
});

test('each invalid URL parameter gets its own notice saying what is shown instead', async () => {
  const cases = [
    ['date=2022-02-30', 'The link\'s date “2022-02-30” is not a calendar date; showing 1 March 2022.', '2022-03-01'],
    ['date=2030-01-01', 'The link\'s date 1 January 2030 is after the map\'s last day; showing 20 September 2023, the day after the zone ended.', '2023-09-20'],
    ['layers=foo', 'The link names a layer this map does not have (“foo”); showing the usual layers.', '2022-03-01'],
  ];
  for (const [query, notice, date] of cases) {
    const { page, context } = await openPage(browser, server.base);
    await goto(page, server.base, `/?${query}`);
    assert.deepEqual(await page.locator('#notices .notice span').allTextContents(), [notice], query);
    assert.equal(await page.evaluate(() => document.getElementById('map').dataset.date), date, query);
    await context.close();
  }
});

test('Play stops on the next change with its label, the area change and the previous zone outlined', async () => {
  const { page, context } = await openPage(browser, server.base);
  await goto(page, server.base, '/?date=2020-12-01');
  const next = catalog.change_dates[0];
  const label = catalog.zone_versions.find((v) => v.valid_from === next).title;
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('date-stamp').classList.contains('paused'), null, { timeout: 10000 });
  // The version starting that day, its area and the change from the one before, as the server computed them.
  const zones = catalog.derived_versions.zone;
  const i = zones.findIndex((z) => z.valid_from === next);
  const km2 = zones[i].figures.area_km2;
  const delta = km2 - zones[i - 1].figures.area_km2;
  const n = (x) => Math.round(x).toLocaleString('en');
  const area = Math.round(delta) === 0 ? 'area unchanged' : `${n(Math.abs(delta))} km² ${delta < 0 ? 'smaller' : 'larger'}`;
  assert.equal(await page.textContent('#date-stamp'), `${words(next)}${label}zone ${n(km2)} km², ${area}`);
  assert.equal(await page.getAttribute(`.chip[data-date="${next}"]`, 'aria-current'), 'true');
  await page.click('#play');
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false');
  await context.close();
});

test('a permalink opens the same state on another page', async () => {
  const { page, context } = await openPage(browser, server.base);
  await goto(page, server.base, `/?date=2022-08-01&pt=39.64083,46.54694&c=39.64,46.55&z=10`);
  await page.selectOption('#lang', 'hy');
  await page.click('#tab-layers');
  await page.uncheck('input[data-layer="roads"]');
  await page.click('#tab-check');
  await page.fill('#uncertainty', '2');
  await page.press('#uncertainty', 'Enter');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('u') === '2000');
  await ready(page);
  const read = (p) => p.evaluate(() => ({
    url: location.search, lang: document.getElementById('lang').value, head: document.getElementById('headline').textContent,
    roads: document.querySelector('input[data-layer="roads"]').checked, uncertainty: document.getElementById('uncertainty').value,
  }));
  const want = await read(page);
  assert.match(want.url, /lang=hy/);
  assert.match(want.url, /layers=zone,corridor,line_of_contact,settlements,positions,incidents/);
  const second = await openPage(browser, server.base);
  await goto(second.page, server.base, `/${want.url}`);
  assert.deepEqual(await read(second.page), want);
  await second.context.close();
  await context.close();
});

test('at 1280×800 the page fits its window with the verdict panel whole, and reference layers start off', async () => {
  const { page, context, errors } = await openPage(browser, server.base);
  await goto(page, server.base, `/?date=2022-03-01&pt=${STEPANAKERT.lat},${STEPANAKERT.lon}`);
  // Nothing (a long source title, the change chips) widens the page past the window.
  const fit = await page.evaluate(() => {
    const panel = document.getElementById('panel').getBoundingClientRect();
    return { page: document.documentElement.scrollWidth, window: innerWidth, panelRight: panel.right, panelLeft: panel.left };
  });
  assert.ok(fit.page <= fit.window, JSON.stringify(fit));
  assert.ok(fit.panelRight <= fit.window && fit.panelLeft > 0, JSON.stringify(fit));

  // The server marks some layers as references: listed, unchecked, not drawn, not in the URL.
  const reference = catalog.layers.filter((l) => l.shown_by_default === false).map((l) => l.id);
  assert.ok(reference.includes('depictions'), 'the depiction is a reference layer');
  await page.click('#tab-layers');
  for (const id of catalog.layers.map((l) => l.id)) {
    const checked = await page.isChecked(`#pane-layers input[data-layer="${id}"]`);
    assert.equal(checked, !reference.includes(id), id);
  }
  assert.equal(new URL(page.url()).searchParams.has('layers'), false);
  // Turning one on draws it as an outline and writes every shown layer into the URL.
  await page.check('#pane-layers input[data-layer="depictions"]');
  await page.waitForFunction(() => new URLSearchParams(location.search).has('layers'));
  const layers = new URL(page.url()).searchParams.get('layers').split(',');
  assert.deepEqual(layers, catalog.layers.map((l) => l.id).filter((id) => !reference.includes(id) || id === 'depictions'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a change date that only redrew the corridor is labelled with what changed that day', async () => {
  const named = new Set([...catalog.zone_versions, ...catalog.corridor_versions].map((v) => v.valid_from));
  const split = [...catalog.derived_versions.zone, ...catalog.derived_versions.corridor]
    .find((v) => catalog.change_dates.includes(v.valid_from) && !named.has(v.valid_from));
  assert.ok(split, 'the data has a change date that no version of versions.json starts on');
  const { page, context } = await openPage(browser, server.base);
  await goto(page, server.base, `/?date=${split.valid_from}`);
  const label = await page.textContent(`.chip[data-date="${split.valid_from}"] .chip-label`);
  assert.equal(label, split.description);
  await context.close();
});
