// Embeds and phones in real Chromium, each test on its own page: the embed
// fills iframes of 600×400 and 300×250 with the date, the verdict and a mini
// legend in the frame; a 375 px phone has a bottom sheet with the verdict and
// Copy pinned and touch targets of 44 px; the map is one tab stop with a
// crosshair that Enter checks.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, goto, ready, headline, axeViolations, screenshot } from './helpers.mjs';

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

/** Opens the embed in an iframe of the given size; returns the frame. */
async function embed(page, width, height, query) {
  await page.setContent(`<!doctype html><title>host</title><body style="margin:0"><iframe src="${server.base}/?embed=1&${query}" width="${width}" height="${height}" style="border:0" title="contactline map"></iframe>`);
  const frame = page.frames().find((f) => f.url().includes('embed=1'));
  await frame.waitForFunction(() => document.body.dataset.ready === '1' && document.getElementById('map').dataset.idle === '1', null, { timeout: 30000 });
  return frame;
}

async function inside(frame, selector, width, height) {
  const box = await frame.locator(selector).evaluate((el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  return box.x >= 0 && box.y >= 0 && box.x + box.w <= width + 0.5 && box.y + box.h <= height + 0.5 && box.w > 0 && box.h > 0;
}

for (const [width, height, query, verdict] of [
  [600, 400, 'date=2022-03-01&pt=39.8153,46.7519&c=39.8153,46.7519&z=9', 'Stepanakert / Khankendi: inside the peacekeeping zone'],
  [300, 250, 'date=2022-03-01&c=39.8153,46.7519&z=8', 'Click the map or search a place'],
]) {
  test(`the embed fills a ${width}×${height} frame with the date, the verdict and a mini legend`, async () => {
    const { page, context, errors, foreign } = await openPage(browser, server.base, { width: width + 40, height: height + 40 });
    const frame = await embed(page, width, height, query);
    const canvas = await frame.locator('#map canvas').evaluate((c) => [c.clientWidth, c.clientHeight]);
    assert.deepEqual(canvas, [width, height]);
    assert.equal(await frame.textContent('.embed-date'), '1 March 2022');
    assert.equal(await frame.textContent('.embed-verdict'), verdict);
    assert.deepEqual(await frame.locator('.mini-legend li').allTextContents(), ['Zone', 'Corridor', '± accuracy']);
    for (const sel of ['.embed-card', '.maplibregl-ctrl-attrib']) assert.ok(await inside(frame, sel, width, height), `${sel} inside the frame`);
    assert.equal(await frame.isVisible('header.bar'), false);
    assert.equal(await frame.isVisible('.timebar'), false);
    if (width === 600) await screenshot(page, 'screenshot-embed.png');
    assert.deepEqual(errors, []);
    assert.deepEqual(foreign, []);
    await context.close();
  });
}

test('a phone shows a bottom sheet with the verdict and Copy pinned, every control 44 px and on screen', async () => {
  const viewport = { width: 375, height: 740 };
  const { page, context, errors } = await openPage(browser, server.base, viewport, { hasTouch: true, isMobile: true });
  await goto(page, server.base, '/?date=2022-03-01&pt=39.8153,46.7519');
  assert.deepEqual(await headline(page), { kind: 'inside', title: 'Stepanakert / Khankendi: inside the peacekeeping zone' });
  const controls = ['#search', '#lang', '#play', '#prev-change', '#next-change', '#date-input', '#sheet-toggle', '#copy-citation',
    '.maplibregl-ctrl-zoom-in', '.maplibregl-ctrl-zoom-out'];
  for (const sel of controls) {
    const box = await page.locator(sel).boundingBox();
    assert.ok(box, `${sel} is visible`);
    assert.ok(box.x >= 0 && box.x + box.width <= viewport.width + 0.5 && box.y >= 0 && box.y + box.height <= viewport.height + 0.5, `${sel} on screen: ${JSON.stringify(box)}`);
    assert.ok(box.height >= 44 && box.width >= 44, `${sel} is at least 44 px: ${JSON.stringify(box)}`);
  }
  assert.equal(await page.isVisible('#tab-layers'), false, 'the sheet starts closed');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= viewport.width, 'no horizontal scroll');
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'screenshot-phone.png');
  await page.tap('#sheet-toggle');
  assert.equal(await page.isVisible('#tab-layers'), true);
  assert.equal(await page.getAttribute('#sheet-toggle', 'aria-expanded'), 'true');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the map is one tab stop with a crosshair, and Enter checks the point under it', async () => {
  const { page, context } = await openPage(browser, server.base);
  await goto(page, server.base, '/?date=2022-03-01&c=39.8153,46.7519&z=9');
  await page.focus('#lang');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('maplibregl-canvas')), true);
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('crosshair')).display), 'block');
  assert.equal(await page.evaluate(() => document.getElementById('map').hasAttribute('tabindex')), false);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('pt') === '39.81530,46.75190');
  await ready(page);
  assert.equal((await headline(page)).title, 'Stepanakert / Khankendi: inside the peacekeeping zone');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('maplibregl-canvas')), false);
  await context.close();
});
