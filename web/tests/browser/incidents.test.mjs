// Incidents in real Chromium, each test on its own page: a clicked marker's
// card is scrolled into view and highlighted; stacked markers offer a
// chooser nearest the date first; the downloads hold exactly the list shown.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launch, openPage, goto, ready, pixelOf } from './helpers.mjs';

let server;
let browser;
let incidents;

before(async () => {
  server = await startServer();
  browser = await launch();
  incidents = (await (await fetch(`${server.base}/api/v1/layers/incidents`)).json()).features;
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

const at = (f) => f.geometry.coordinates.map((v) => v.toFixed(3)).join();
const listIds = (page) => page.locator('#incident-list > li').evaluateAll((lis) => lis.map((li) => li.dataset.id));

test('clicking a lone incident marker shows its card in view, highlighted', async () => {
  const { page, context } = await openPage(browser, server.base);
  const date = '2022-03-26';
  await goto(page, server.base, `/?date=${date}&layers=incidents`);
  await page.click('#tab-incidents');
  const shown = await listIds(page);
  // The last card in the list whose marker stands alone.
  const lone = [...shown].reverse().map((id) => incidents.find((f) => f.properties.id === id))
    .find((f) => incidents.filter((g) => shown.includes(g.properties.id) && at(g) === at(f)).length === 1);
  await page.click('#tab-check');
  const [lon, lat] = lone.geometry.coordinates;
  await goto(page, server.base, `/?date=${date}&layers=incidents&c=${lat},${lon}&z=11`);
  const px = await pixelOf(page, lon, lat);
  await page.mouse.click(px.x, px.y);
  const card = page.locator(`#incident-list > li[data-id="${lone.properties.id}"]`);
  await card.waitFor();
  await page.waitForFunction((id) => new URLSearchParams(location.search).get('inc') === id, lone.properties.id);
  assert.equal(await page.getAttribute('#tab-incidents', 'aria-selected'), 'true');
  assert.equal(await card.getAttribute('class'), 'selected');
  // Its top is in view, below the pinned headline.
  const box = await card.boundingBox();
  const head = await page.locator('#sheet-head').boundingBox();
  const panel = await page.locator('#panel').boundingBox();
  assert.ok(box.y >= head.y + head.height && box.y + 40 <= panel.y + panel.height, `card in view: ${JSON.stringify({ box, head, panel })}`);
  await context.close();
});

test('stacked incident markers offer a chooser, nearest the selected date first', async () => {
  const { page, context } = await openPage(browser, server.base);
  const parukh = incidents.find((f) => f.properties.id === '2022-03-24-parukh-incursion');
  const [lon, lat] = parukh.geometry.coordinates;
  await goto(page, server.base, `/?date=2022-04-10&layers=incidents&c=${lat},${lon}&z=11`);
  const px = await pixelOf(page, lon, lat);
  await page.mouse.click(px.x, px.y);
  await page.locator('.chooser li').first().waitFor();
  // 12 Apr is 2 days from 10 Apr; the incursion (24-25 Mar) and the strikes (25 Mar) are 16.
  assert.deepEqual(await page.locator('.chooser li').allTextContents(), [
    '12 Apr 2022 · Ceasefire violation: near Parukh / Farrukh, Askeran / Khojaly',
    '24 Mar 2022 · Incursion: Parukh / Farrukh village and surrounding heights, Askeran / Khojaly',
    '25 Mar 2022 · Strike: area of Parukh / Farrukh, Askeran / Khojaly',
  ]);
  await page.locator('.chooser button', { hasText: '24 Mar 2022' }).click();
  await page.waitForFunction(() => new URLSearchParams(location.search).get('inc') === '2022-03-24-parukh-incursion');
  assert.equal(await page.locator('#incident-list > li.selected').getAttribute('data-id'), '2022-03-24-parukh-incursion');
  await context.close();
});

test('the GeoJSON and CSV downloads hold exactly the incidents the filtered list shows', async () => {
  const { page, context } = await openPage(browser, server.base, undefined, { acceptDownloads: true });
  await goto(page, server.base, '/?date=2022-09-01&from=2020-11-10&to=2023-09-20');
  await page.click('#tab-incidents');
  await page.selectOption('#inc-who', 'Russian MoD');
  await ready(page);
  const shown = await listIds(page);
  const expected = incidents.filter((f) => (f.properties.claims || []).some((c) => c.who === 'Russian MoD')).map((f) => f.properties.id).sort();
  assert.deepEqual([...shown].sort(), expected);
  assert.ok(shown.length < incidents.length, 'the filter removed some');

  const [geo] = await Promise.all([page.waitForEvent('download'), page.click('#inc-geojson')]);
  const fc = JSON.parse(readFileSync(await geo.path(), 'utf8'));
  assert.deepEqual(fc.features.map((f) => f.properties.id), shown);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#inc-csv')]);
  const text = readFileSync(await csv.path(), 'utf8');
  assert.ok(text.startsWith('id,date,date_end,type,place,lat,lon,location_precision_m,summary,claims,sources\n'), text.slice(0, 120));
  // Ids have no commas or quotes, so each record starts a line with its id.
  const rows = text.split('\n').filter((l) => shown.some((id) => l.startsWith(`${id},`))).map((l) => l.split(',')[0]);
  assert.deepEqual(rows, shown);
  await context.close();
});
