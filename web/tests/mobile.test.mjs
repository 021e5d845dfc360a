// A 375 px phone: every control on screen, nothing wider than the viewport;
// and the embed mode.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launch, openPage, goto, verdictStatus, SHOTS } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

const CONTROLS = ['#search', '#lang', '#tab-check', '#tab-layers', '#tab-incidents', '#play', '#prev-change',
  '#next-change', '#date-slider', '#date-input', '#map', '.maplibregl-ctrl-zoom-in', '.maplibregl-ctrl-zoom-out'];

test('a 375 px viewport shows all controls', async () => {
  const viewport = { width: 375, height: 740 };
  const { page, errors, foreign } = await openPage(browser, server.base, viewport);
  await goto(page, server.base, '/?date=2022-03-01&pt=39.8153,46.7519');
  await verdictStatus(page, '2022-03-01');
  for (const sel of CONTROLS) {
    const box = await page.locator(sel).first().boundingBox();
    assert.ok(box, `${sel} is visible`);
    assert.ok(box.x >= 0 && box.x + box.width <= viewport.width + 0.5, `${sel} fits horizontally (${JSON.stringify(box)})`);
    assert.ok(box.y >= 0 && box.y + box.height <= viewport.height + 0.5, `${sel} fits vertically (${JSON.stringify(box)})`);
    assert.ok(box.width >= 20 && box.height >= 20 || sel === '#date-slider', `${sel} is big enough to touch`);
  }
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= viewport.width, `no horizontal scroll (${scrollWidth})`);
  await page.screenshot({ path: join(SHOTS, 'mobile-375.png') });
  await page.click('#tab-layers');
  await page.screenshot({ path: join(SHOTS, 'mobile-375-layers.png') });
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign, []);
  await page.context().close();
});

test('embed mode shows the map, a compact verdict and the attribution only', async () => {
  const { page, errors, foreign } = await openPage(browser, server.base, { width: 600, height: 400 });
  await goto(page, server.base, '/?embed=1&date=2022-03-01&pt=39.8153,46.7519&c=39.8153,46.7519&z=9');
  await verdictStatus(page, '2022-03-01');
  assert.equal(await page.isVisible('header.bar'), false);
  assert.equal(await page.isVisible('.timebar'), false);
  assert.equal(await page.isVisible('#panel'), false);
  assert.equal(await page.isVisible('#embed-verdict'), true);
  assert.match(await page.textContent('#embed-verdict'), /Inside the peacekeeping zone/);
  assert.equal(await page.locator('.maplibregl-ctrl-attrib').count(), 1);
  await page.screenshot({ path: join(SHOTS, 'embed.png') });
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign, []);
  await page.context().close();
});
