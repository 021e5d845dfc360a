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
  // A spot with several incidents within 120 days: the date midway lists them all.
  const bySpot = new Map();
  for (const f of incidents) bySpot.set(at(f), [...(bySpot.get(at(f)) || []), f]);
  const groups = [...bySpot.values()].filter((g) => g.length > 1)
    .map((g) => g.sort((a, b) => a.properties.date.localeCompare(b.properties.date)));
  const dayOf = (iso) => Date.parse(`${iso}T00:00:00Z`) / 86400000;
  const group = groups.find((g) => dayOf(g.at(-1).properties.date) - dayOf(g[0].properties.date) <= 120);
  assert.ok(group, 'the data has incidents at one spot within 120 days');
  const mid = new Date(((dayOf(group[0].properties.date) + dayOf(group.at(-1).properties.date)) / 2 | 0) * 86400000).toISOString().slice(0, 10);
  const away = (p) => Math.max(0, dayOf(p.date) - dayOf(mid), dayOf(mid) - dayOf(p.date_end || p.date));
  const expected = [...group].sort((a, b) => away(a.properties) - away(b.properties) || a.properties.date.localeCompare(b.properties.date) || a.properties.id.localeCompare(b.properties.id));
  const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const short = (iso) => { const [y, m, d] = iso.split('-').map(Number); return `${d} ${MON[m - 1]} ${y}`; };

  const { page, context } = await openPage(browser, server.base);
  const [lon, lat] = group[0].geometry.coordinates;
  await goto(page, server.base, `/?date=${mid}&layers=incidents&c=${lat},${lon}&z=11`);
  const px = await pixelOf(page, lon, lat);
  await page.mouse.click(px.x, px.y);
  await page.locator('.chooser li').first().waitFor();
  const offered = await page.locator('.chooser li').allTextContents();
  assert.deepEqual(offered.map((t) => t.split(' · ')[0]), expected.map((f) => short(f.properties.date)));
  assert.deepEqual(offered.map((t) => t.endsWith(`: ${expected[offered.indexOf(t)].properties.place}`)), expected.map(() => true));
  const second = expected[1].properties.id;
  await page.locator('.chooser button').nth(1).click();
  await page.waitForFunction((id) => new URLSearchParams(location.search).get('inc') === id, second);
  assert.equal(await page.locator('#incident-list > li.selected').getAttribute('data-id'), second);
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
