// The desktop map: loads offline, draws the zone, answers clicks, searches,
// follows the date and restores permalinks.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, openPage, goto, pixelOf, verdictStatus, SHOTS } from './helpers.mjs';

const STEPANAKERT = { lat: 39.8153, lon: 46.7519 };
const BERDZOR = { lat: 39.64083, lon: 46.54694 };

let server;
let browser;
let session;

before(async () => {
  server = await startServer();
  browser = await launch();
  session = await openPage(browser, server.base);
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

test('the page loads with no console errors and no request to another host', async () => {
  const { page, errors, foreign } = session;
  await goto(page, server.base, '/?date=2022-03-01');
  assert.equal(await page.title(), 'contactline: the Russian peacekeeping zone in Nagorno-Karabakh, 2020–2023');
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign, []);
  const ticks = await page.locator('#ticks span').count();
  assert.ok(ticks >= 5, `a tick per change date (${ticks})`);
});

test('the zone layer is drawn where the zone is', async () => {
  const { page } = session;
  const at = await pixelOf(page, STEPANAKERT.lon, STEPANAKERT.lat);
  const hits = await page.evaluate(({ x, y }) => {
    const r = window.__map.getContainer().getBoundingClientRect();
    return window.__map.queryRenderedFeatures([x - r.left, y - r.top], { layers: ['zone-fill'] }).length;
  }, at);
  assert.ok(hits > 0, 'zone-fill has a feature under Stepanakert');
  // Pixels: the canvas differs where the zone is when the zone layer is hidden.
  const sample = () => page.evaluate(({ x, y }) => new Promise((done) => {
    const map = window.__map;
    const r = map.getContainer().getBoundingClientRect();
    map.once('render', () => {
      const canvas = map.getCanvas();
      const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
      const dpr = canvas.width / canvas.clientWidth;
      const out = [];
      // A ring of points 25 px around Stepanakert, away from its marker and label.
      for (const [dx, dy] of [[-60, 0], [60, 0], [0, -60], [0, 60], [-40, -40], [40, 40]]) {
        const px = new Uint8Array(4);
        gl.readPixels(Math.round((x - r.left + dx) * dpr), Math.round(canvas.height - (y - r.top + dy) * dpr), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
        out.push([...px]);
      }
      done(out);
    });
    map.triggerRepaint();
  }), at);
  const on = await sample();
  await page.evaluate(() => window.__map.setLayoutProperty('zone-fill', 'visibility', 'none'));
  const off = await sample();
  await page.evaluate(() => window.__map.setLayoutProperty('zone-fill', 'visibility', 'visible'));
  const changed = on.filter((p, i) => Math.abs(p[0] - off[i][0]) + Math.abs(p[1] - off[i][1]) + Math.abs(p[2] - off[i][2]) > 12).length;
  assert.ok(on.some((p) => p[3] > 0), 'the canvas is not empty');
  assert.ok(changed >= 4, `zone fill visible in ${changed}/6 sampled pixels`);
});

test('clicking Stepanakert on 2022-03-01 says inside', async () => {
  const { page } = session;
  const at = await pixelOf(page, STEPANAKERT.lon, STEPANAKERT.lat);
  await page.mouse.click(at.x, at.y);
  const v = await verdictStatus(page, '2022-03-01');
  assert.equal(v.status, 'inside_zone');
  assert.match(v.text, /inside/i);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, 'desktop-stepanakert.png') });
  if (process.env.UPDATE_README_SCREENSHOT) copyFileSync(join(SHOTS, 'desktop-stepanakert.png'), join(SHOTS, '..', '..', 'docs', 'screenshot.png'));
  const copy = await page.locator('#verdict button', { hasText: 'Copy DMS' }).count();
  assert.equal(copy, 1);
});

test('searching "Furukh" offers Parukh and choosing it shows a verdict', async () => {
  const { page } = session;
  await page.fill('#search', '');
  await page.locator('#search').pressSequentially('Furukh', { delay: 20 });
  const option = page.locator('#suggestions li', { hasText: 'Parukh' });
  await option.first().waitFor({ timeout: 10000 });
  await page.screenshot({ path: join(SHOTS, 'desktop-search-furukh.png') });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__app.verdict && Math.abs(window.__app.verdict.query.lat - 40.019) < 0.01 && Math.abs(window.__app.verdict.query.lon - 46.801) < 0.01, null, { timeout: 10000 });
  const v = await verdictStatus(page);
  assert.ok(['inside_zone', 'outside', 'inside_corridor'].includes(v.status));
});

test('moving the slider past 2022-08-30 changes the verdict for Berdzor / Lachin', async () => {
  const { page, errors } = session;
  // Incidents hidden: a click on an incident marker selects the incident instead.
  await goto(page, server.base, `/?date=2022-08-01&c=${BERDZOR.lat},${BERDZOR.lon}&z=10&layers=zone,corridor,line_of_contact,roads,settlements,positions`);
  const at = await pixelOf(page, BERDZOR.lon, BERDZOR.lat);
  await page.mouse.click(at.x, at.y);
  const beforeV = await verdictStatus(page, '2022-08-01');
  assert.equal(beforeV.status, 'inside_corridor');
  // Keyboard: Page Down jumps from change to change.
  await page.focus('#date-slider');
  for (let i = 0; i < 6 && (await page.inputValue('#date-input')) < '2022-08-30'; i++) await page.keyboard.press('PageDown');
  assert.equal(await page.inputValue('#date-input'), '2022-08-30');
  // Then day by day with the arrow key, to mid-September.
  for (let i = 0; i < 16; i++) await page.keyboard.press('ArrowRight');
  const date = await page.inputValue('#date-input');
  assert.ok(date > '2022-08-30', `slider moved past the change (${date})`);
  const afterV = await verdictStatus(page, date);
  assert.notEqual(afterV.status, beforeV.status);
  assert.equal(afterV.status, 'outside');
  await page.screenshot({ path: join(SHOTS, 'desktop-berdzor-after.png') });
  assert.deepEqual(errors, []);
});

test('a permalink reloads to the same state', async () => {
  const { page, foreign, errors } = session;
  await page.selectOption('#lang', 'hy');
  await page.click('#tab-layers');
  await page.uncheck('input[data-layer="roads"]');
  await page.waitForTimeout(300);
  const link = await page.evaluate(() => location.href);
  assert.match(link, /lang=hy/);
  assert.match(link, /layers=/);
  assert.match(link, /pt=39\.6408\d,46\.5469\d/);
  const readState = (p) => p.evaluate(() => ({
    date: document.querySelector('#date-input').value,
    slider: document.querySelector('#date-slider').value,
    lang: document.querySelector('#lang').value,
    roads: document.querySelector('input[data-layer="roads"]').checked,
    roadsVisible: window.__map.getLayoutProperty('roads-line', 'visibility'),
    status: window.__app.verdict?.status,
    point: window.__app.state.point,
    center: window.__map.getCenter().toArray().map((v) => v.toFixed(3)),
    zoom: window.__map.getZoom().toFixed(1),
  }));
  const want = await readState(page);
  const second = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await goto(second, server.base, new URL(link).pathname + new URL(link).search);
  await verdictStatus(second);
  const got = await readState(second);
  await second.close();
  assert.deepEqual(got, want);
  assert.equal(want.roadsVisible, 'none');
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
});

test('incidents list claims with sources and selects on the map', async () => {
  const { page } = session;
  await goto(page, server.base, '/?date=2022-03-25');
  await page.click('#tab-incidents');
  const first = page.locator('#incident-list li[data-id]').first();
  await first.waitFor();
  const id = await first.getAttribute('data-id');
  await first.locator('button.inc-title').click();
  await page.waitForFunction((i) => new URL(location.href).searchParams.get('inc') === i, id);
  const filter = await page.evaluate(() => JSON.stringify(window.__map.getFilter('incidents-selected')));
  assert.ok(filter.includes(id));
  const claims = await page.locator('#incident-list .claims li').count();
  assert.ok(claims > 0, 'claims are listed');
  await page.screenshot({ path: join(SHOTS, 'desktop-incidents.png') });
});
