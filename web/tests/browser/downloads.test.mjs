// What the map offers to take away, each test on its own page: the verdict
// card ("Download image") is the server's card for the checked point and
// date; every layer offers the formats the catalog lists, on the date and for
// all versions, and the files are the server's; the About pane charts the
// areas the server computed. Expected values come from the server's own API.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launch, openPage, goto } from './helpers.mjs';

const STEPANAKERT = { lat: 39.8153, lon: 46.7519 };

let server;
let browser;
let catalog;
const bytes = async (path) => Buffer.from(await (await fetch(`${server.base}/${path.replace(/^\//, '')}`)).arrayBuffer());

before(async () => {
  server = await startServer();
  browser = await launch();
  catalog = await (await fetch(`${server.base}/api/v1/dataset`)).json();
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

test('Download image saves the server\'s PNG card for the checked point, date and label language', async () => {
  const { page, context } = await openPage(browser, server.base, undefined, { acceptDownloads: true });
  await goto(page, server.base, `/?date=2022-03-01&pt=${STEPANAKERT.lat},${STEPANAKERT.lon}&lang=hy`);
  const href = await page.getAttribute('#download-card', 'href');
  const url = new URL(href, server.base);
  assert.deepEqual(Object.fromEntries(url.searchParams), { lat: String(STEPANAKERT.lat), lon: String(STEPANAKERT.lon), date: '2022-03-01', lang: 'hy', format: 'png' });
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#download-card')]);
  assert.equal(file.suggestedFilename(), 'contactline-card-2022-03-01.png');
  const saved = readFileSync(await file.path());
  assert.deepEqual(saved.subarray(1, 4).toString(), 'PNG');
  assert.ok(saved.equals(await bytes(href)), 'the saved file is the card the server draws');
  await context.close();
});

test('every layer offers the catalog\'s formats on the date and for all versions, and the links serve those files', async () => {
  const { page, context } = await openPage(browser, server.base);
  await goto(page, server.base, '/?date=2022-09-01');
  await page.click('#tab-layers');
  const offered = await page.$$eval('#pane-layers .download-row a', (as) => as.map((a) => a.getAttribute('href')));
  const expected = [];
  for (const l of catalog.layers) {
    assert.ok(l.formats.includes('geojson'), `${l.id} offers GeoJSON`);
    for (const date of ['2022-09-01', null]) {
      for (const f of l.formats) {
        const p = new URLSearchParams();
        if (date) p.set('date', date);
        if (f !== 'geojson') p.set('format', f);
        p.set('download', '1');
        expected.push(`api/v1/layers/${l.id}?${p}`);
      }
    }
  }
  for (const href of expected) assert.ok(offered.includes(href), `offered: ${href}`);
  // CSV only where the server says it fits (point layers).
  const zone = catalog.layers.find((l) => l.id === 'zone');
  assert.equal(zone.formats.includes('csv'), false);
  assert.equal(offered.some((h) => h.startsWith('api/v1/layers/zone?') && h.includes('format=csv')), false);

  const kml = await fetch(`${server.base}/api/v1/layers/settlements?date=2022-09-01&format=kml&download=1`);
  assert.equal(kml.status, 200);
  assert.match(kml.headers.get('content-type'), /kml/);
  assert.match(kml.headers.get('content-disposition'), /attachment; filename=".*settlements.*\.kml"/);
  await context.close();
});

test('the About pane charts each zone version\'s area as the server computed it', async () => {
  const { page, context } = await openPage(browser, server.base);
  await goto(page, server.base, '/?date=2022-09-01');
  await page.click('#tab-about');
  const bars = await page.$$eval('.area-chart rect title', (ts) => ts.map((t) => t.textContent));
  const zones = catalog.derived_versions.zone;
  assert.equal(bars.length, zones.length);
  zones.forEach((z, i) => assert.ok(bars[i].endsWith(`${Math.round(z.figures.area_km2).toLocaleString('en')} km²`), bars[i]));
  await context.close();
});
