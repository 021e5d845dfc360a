// Shared set-up for the browser tests: start the real server on a free
// port, launch Debian's Chromium through playwright-core, record console
// errors and every request to another host, and tear both down.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, copyFileSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const root = resolve(web, '..');
export const SHOTS = join(root, 'artifacts', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/** A port nobody is listening on (bound to 0, then released). */
export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** Starts `contactline serve` and waits for /healthz. */
export async function startServer() {
  const port = await freePort();
  const bin = process.env.CONTACTLINE_BIN || join(root, 'target', 'release', 'contactline');
  const data = process.env.CONTACTLINE_DATA || join(root, 'geodata');
  const addr = `127.0.0.1:${port}`;
  const proc = spawn(bin, ['serve', '--data', data, '--web', join(web, 'dist'), '--addr', addr], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const base = `http://${addr}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    if (proc.exitCode != null) throw new Error(`server exited (${proc.exitCode}): ${stderr}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not answer /healthz: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, port, proc, stop: () => stopProcess(proc) };
}

function stopProcess(proc) {
  if (proc.exitCode != null) return Promise.resolve();
  return new Promise((ok) => {
    const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
    proc.once('exit', () => { clearTimeout(t); ok(); });
    proc.kill('SIGTERM');
  });
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A page that records console errors, page errors and requests to any host
 * but the server's.
 */
export async function openPage(browser, base, viewport = { width: 1280, height: 800 }, options = {}) {
  const context = await browser.newContext({ viewport, ...options });
  const page = await context.newPage();
  const errors = [];
  const foreign = [];
  const origin = new URL(base).origin;
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // A 400 from /api/v1/parse is how the server says "not a coordinate":
    // the search asks it for every query, and Chromium logs the answer.
    if (/\/api\/v1\/parse\?/.test(m.location()?.url || '') && /400/.test(m.text())) return;
    errors.push(`${m.text()} (${m.location()?.url || ''})`);
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
  });
  return { page, context, errors, foreign };
}

/** Opens a path and waits until the page has drawn the state the URL asks for. */
export async function goto(page, base, path) {
  await page.goto(`${base}${path}`);
  await ready(page);
}

/** Waits until the layers for the state's date are drawn, the verdict is in and the map is idle. */
export async function ready(page) {
  await page.waitForFunction(() => document.body.dataset.ready === '1' && document.getElementById('map').dataset.idle === '1', null, { timeout: 30000 });
}

/**
 * Page coordinates of a lon/lat, from the map centre and zoom the page's own
 * permalink states (Web Mercator, 512 px tiles as MapLibre draws them).
 */
export async function pixelOf(page, lon, lat) {
  await page.waitForFunction(() => new URLSearchParams(location.search).has('c'));
  const { c, z, rect } = await page.evaluate(() => {
    const p = new URLSearchParams(location.search);
    const r = document.getElementById('map').getBoundingClientRect();
    return { c: p.get('c').split(',').map(Number), z: Number(p.get('z')), rect: { x: r.x, y: r.y, w: r.width, h: r.height } };
  });
  const world = 512 * 2 ** z;
  const x = (lo) => ((lo + 180) / 360) * world;
  const y = (la) => ((1 - Math.log(Math.tan(Math.PI / 4 + (la * Math.PI) / 360)) / Math.PI) / 2) * world;
  return { x: rect.x + rect.w / 2 + x(lon) - x(c[1]), y: rect.y + rect.h / 2 + y(lat) - y(c[0]) };
}

/** The headline as drawn: its kind (inside, outside, uncertain, none) and title. */
export async function headline(page) {
  return page.evaluate(() => ({
    kind: document.getElementById('headline').dataset.kind,
    title: document.getElementById('headline-title').textContent,
  }));
}

/** Runs axe-core on the page; returns its serious and critical violations. */
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol: the app's strict CSP (no inline
  // scripts) stays on for the app and would refuse an injected <script>.
  await page.evaluate(readFileSync(join(web, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Saves a screenshot to artifacts/screenshots, and to docs/ when UPDATE_README_SCREENSHOTS is set. */
export async function screenshot(page, name) {
  const path = join(SHOTS, name);
  await page.screenshot({ path });
  if (process.env.UPDATE_README_SCREENSHOTS) copyFileSync(path, join(root, 'docs', name));
}
