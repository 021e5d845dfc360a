// Shared set-up for the browser tests: start the real server on a free
// port, launch Debian's Chromium through playwright-core, record console
// errors and every request to another host, and tear both down.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
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
export async function openPage(browser, base, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  const foreign = [];
  const origin = new URL(base).origin;
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // The place search route is optional: while a server lacks it, the app
    // searches the settlements itself, and Chromium logs the one 404.
    if (/\/api\/v1\/places\?/.test(m.location()?.url || '') && /404/.test(m.text())) return;
    errors.push(`${m.text()} (${m.location()?.url || ''})`);
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
  });
  return { page, context, errors, foreign };
}

/** Opens a path and waits until the app says it is ready. */
export async function goto(page, base, path) {
  await page.goto(`${base}${path}`);
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30000 });
  await page.evaluate(() => new Promise((r) => (window.__map.loaded() ? r() : window.__map.once('idle', r))));
}

/** Page coordinates of a lon/lat on the map. */
export function pixelOf(page, lon, lat) {
  return page.evaluate(([lon, lat]) => {
    const p = window.__map.project([lon, lat]);
    const r = window.__map.getContainer().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, [lon, lat]);
}

/** Waits until the verdict panel shows a status, and returns it. */
export async function verdictStatus(page, date) {
  await page.waitForFunction((d) => {
    const v = window.__app.verdict;
    return v && (!d || v.query.date === d) && document.querySelector('#verdict[data-status]');
  }, date, { timeout: 15000 });
  return page.evaluate(() => ({
    status: document.querySelector('#verdict').dataset.status,
    text: document.querySelector('#verdict-status').textContent,
  }));
}
