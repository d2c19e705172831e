// Shared plumbing for the browser suite: start the real `ustaz serve` on a free
// loopback port with a throw-away database, launch Debian's Chromium through
// playwright-core, and run axe-core in a page.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SUITE_DIR = path.resolve(HERE, '..');
export const REPO_ROOT = path.resolve(SUITE_DIR, '../..');

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const HEALTH_TIMEOUT_MS = 60_000;

async function freePort() {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  await once(srv, 'close');
  return port;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function tail(file, lines = 40) {
  try {
    const text = await fsp.readFile(file, 'utf8');
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

/**
 * Start `<USTAZ_BIN> serve` with a fresh database in a temp dir, with `env` added to its
 * environment (e.g. a short inactivity timeout).
 * Set USTAZ_BASE_URL to test an already running server instead.
 * Returns { baseUrl, stop() }.
 */
export async function startServer({ env: extraEnv = {} } = {}) {
  if (process.env.USTAZ_BASE_URL) {
    return { baseUrl: process.env.USTAZ_BASE_URL.replace(/\/$/, ''), stop: async () => {} };
  }

  const bin = path.resolve(SUITE_DIR, process.env.USTAZ_BIN || '../../target/debug/ustaz');
  if (!fs.existsSync(bin)) {
    throw new Error(`ustaz binary not found at ${bin}: run \`cargo build\` at the repository root or set USTAZ_BIN`);
  }

  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'ustaz-browser-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logFile = path.join(dataDir, 'server.log');
  const log = fs.openSync(logFile, 'a');

  const child = spawn(bin, ['serve'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: path.join(dataDir, 'ustaz.db'),
      USTAZ_DATA_DIR: dataDir,
      USTAZ_BIND: `127.0.0.1:${port}`,
      // Every verification page is loaded in 3 languages at 2 widths: more than a person would in a minute.
      USTAZ_VERIFY_RATE_PER_MINUTE: '600',
      RUST_LOG: 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', log, log],
    // Own process group, so stopping it also stops anything it started.
    detached: true,
  });
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      child.kill(sig);
    }
  };
  // Never leave a server behind, even if the test process dies abruptly.
  const killOnExit = () => signal('SIGKILL');
  process.on('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (!exited) {
      signal('SIGTERM');
      const gone = await Promise.race([once(child, 'exit').then(() => true), sleep(5_000).then(() => false)]);
      if (!gone) signal('SIGKILL');
    }
    fs.closeSync(log);
    if (process.env.USTAZ_KEEP_DATA) {
      console.log(`# server data and log kept in ${dataDir}`);
    } else {
      await fsp.rm(dataDir, { recursive: true, force: true });
    }
  };

  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (exited) {
      const why = `ustaz serve exited early (code ${exited.code}, signal ${exited.signal})`;
      const logTail = await tail(logFile);
      await stop();
      throw new Error(`${why}; server log:\n${logTail}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return { baseUrl, stop, bin, env: { DATABASE_URL: path.join(dataDir, 'ustaz.db'), USTAZ_DATA_DIR: dataDir } };
      lastError = `GET /healthz answered ${res.status}`;
    } catch (err) {
      lastError = err.cause?.code || err.message;
    }
    await sleep(250);
  }
  const logTail = await tail(logFile);
  await stop();
  throw new Error(`ustaz did not become healthy within ${HEALTH_TIMEOUT_MS / 1000}s (${lastError}); server log:\n${logTail}`);
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * A fresh browser context whose language is `lang`: chosen by the `lang` cookie,
 * with a matching Accept-Language header. `lang: null` sends neither cookie nor
 * header override; `acceptLanguage` alone sends only the header.
 */
export async function newContext(browser, baseUrl, { width = 1280, height = 800, lang = null, acceptLanguage = null } = {}) {
  const header = acceptLanguage || lang;
  const context = await browser.newContext({
    viewport: { width, height },
    ...(header ? { extraHTTPHeaders: { 'Accept-Language': header } } : {}),
  });
  if (lang) {
    await context.addCookies([{ name: 'lang', value: lang, url: baseUrl }]);
  }
  return context;
}

/** Run axe-core in the page (page.evaluate is not subject to the site's CSP). */
export async function runAxe(page, tags = AXE_TAGS) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    (options) => window.axe.run(document, options),
    { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'] },
  );
}

/** Human-readable report of axe results (violations or incomplete). */
export function formatAxe(items) {
  return items
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const summary = (n.failureSummary || '').split('\n').map((l) => `        ${l}`).join('\n');
          return `    - ${JSON.stringify(n.target)}\n        html: ${n.html.slice(0, 200)}\n${summary}`;
        })
        .join('\n');
      return `  [${v.impact ?? 'n/a'}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/** Describe the currently focused element and whether its focus is visible and not obscured. */
export async function focusInfo(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    const r = el.getBoundingClientRect();
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    const hit = document.elementFromPoint(x, y);
    const id = el.id ? `#${el.id}` : '';
    const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    const label = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return {
      tag: el.tagName.toLowerCase(),
      describe: `<${el.tagName.toLowerCase()}${id}${cls}> "${label}"`,
      href: el.getAttribute('href'),
      name: el.getAttribute('name'),
      value: el.getAttribute('value'),
      form: el.form ? { method: el.form.getAttribute('method'), action: el.form.getAttribute('action') } : null,
      visibleFocus: Boolean(outline || shadow),
      style: `outline: ${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}; box-shadow: ${cs.boxShadow}`,
      rect: { left: r.left, top: r.top, width: r.width, height: r.height },
      inViewport: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
      obscuredBy: hit && hit !== el && !el.contains(hit) && !(el.labels && [...el.labels].some((l) => l.contains(hit)))
        ? `<${hit.tagName.toLowerCase()}${hit.id ? `#${hit.id}` : ''}>`
        : null,
      clipped: (cs.clip !== 'auto' && cs.clip !== '') || (cs.clipPath !== 'none' && cs.clipPath !== ''),
      hidden: cs.visibility === 'hidden' || parseFloat(cs.opacity) === 0,
    };
  });
}
