// The warning before an inactivity timeout (WCAG 2.2.1), on a server of its own whose teachers
// time out after one minute (the warning then shows half-way, 30 s before the end): the dialog
// appears with focus in it and passes axe, focus stays in it, "Stay signed in" (Enter) and
// Escape keep the session in every tab, and running out lands on the sign-in page saying why,
// which leads back to the page after signing in again. Takes about two minutes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { REPO_ROOT, formatAxe, launchBrowser, newContext, runAxe, startServer } from './lib/harness.mjs';

const PASSWORD = 'browser suite passphrase';
const EMAIL = 'timeout@browser.kz';
// One minute of inactivity; the warning comes 30 s before the end; allow for a slow machine.
const WARNING_WITHIN_MS = 50_000;

let server;
let browser;

before(async () => {
  server = await startServer({ env: { USTAZ_TEACHER_IDLE_MINUTES: '1' } });
  const args = ['create-user', '--role', 'teacher', '--email', EMAIL, '--name', 'Timeout Teacher', '--region', 'KZ-75', '--password-stdin'];
  execFileSync(server.bin, args, { input: PASSWORD, env: { ...process.env, ...server.env, RUST_LOG: 'warn' }, cwd: REPO_ROOT });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page) {
  await page.goto(`${server.baseUrl}/login`);
  await page.fill('#email', EMAIL);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  // The account reads Kazakh: switch it to English, as the assertions read.
  await Promise.all([page.waitForNavigation(), page.click('.language-switch button[value="en"]')]);
  await page.goto(`${server.baseUrl}/account`);
}

const dialogOpen = (page) => page.waitForSelector('#session-timeout[open]', { timeout: WARNING_WITHIN_MS });
const dialogClosed = (page) => page.waitForSelector('#session-timeout:not([open])', { state: 'attached', timeout: 5_000 });

/** What the open dialog looks like to assistive technology, and where focus is. */
async function dialogState(page) {
  return page.evaluate(() => {
    const dialog = document.getElementById('session-timeout');
    const text = (ids) => (ids || '').split(/\s+/).filter(Boolean).map((id) => document.getElementById(id)?.textContent.trim()).join(' ');
    const active = document.activeElement;
    return {
      open: dialog.open,
      modal: dialog.matches(':modal'),
      name: text(dialog.getAttribute('aria-labelledby')),
      description: text(dialog.getAttribute('aria-describedby')),
      live: dialog.querySelector('[aria-live="polite"]') !== null,
      focusInside: dialog.contains(active),
      focused: active?.textContent.trim(),
    };
  });
}

async function secondsLeft(page) {
  return page.evaluate(async () => {
    const response = await fetch('/session/status');
    return response.status === 200 ? (await response.json()).seconds_left : null;
  });
}

test('the timeout warning: focus, axe, stay signed in in every tab, and signed out when it runs out', async () => {
  const context = await newContext(browser, server.baseUrl, { width: 1280, lang: 'en' });
  try {
    const first = await context.newPage();
    await signIn(first);
    assert.equal(new URL(first.url()).pathname, '/account');
    const second = await context.newPage();
    await second.goto(`${server.baseUrl}/learn`);
    assert.equal(await first.locator('#session-timeout').isVisible(), false, 'no dialog before it is due');

    // 1. The warning: a modal dialog with its name and description, focus on "Stay signed in".
    await dialogOpen(first);
    const shown = await dialogState(first);
    assert.ok(shown.modal, 'the dialog is modal');
    assert.equal(shown.name, 'You are about to be signed out');
    assert.match(shown.description, /we will sign you out in \d+ seconds?\./);
    assert.ok(shown.live, 'a polite live region for the countdown');
    assert.ok(shown.focusInside, 'focus moved into the dialog');
    assert.equal(shown.focused, 'Stay signed in');
    const results = await runAxe(first);
    assert.equal(results.violations.length, 0, `with the dialog open:\n${formatAxe(results.violations)}`);
    // Tab and Shift+Tab stay inside it.
    for (const key of ['Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await first.keyboard.press(key);
      assert.ok((await dialogState(first)).focusInside, `${key} left the dialog`);
    }
    assert.equal((await dialogState(first)).focused, 'Sign out');
    await first.keyboard.press('Shift+Tab');
    assert.equal((await dialogState(first)).focused, 'Stay signed in');
    // At 320 px it fits, with nothing to scroll sideways.
    await first.setViewportSize({ width: 320, height: 640 });
    const fit = await first.evaluate(() => {
      const r = document.getElementById('session-timeout').getBoundingClientRect();
      return { left: r.left, right: r.right, scroll: document.documentElement.scrollWidth };
    });
    assert.ok(fit.left >= 0 && fit.right <= 320 && fit.scroll <= 320, `the dialog at 320 px: ${JSON.stringify(fit)}`);
    await first.setViewportSize({ width: 1280, height: 800 });

    // 2. Enter on "Stay signed in": the session goes on, and the other tab's warning closes too.
    await dialogOpen(second);
    const extended = first.waitForResponse((r) => new URL(r.url()).pathname === '/session/extend');
    await first.keyboard.press('Enter');
    assert.equal((await extended).status(), 200);
    await dialogClosed(first);
    await dialogClosed(second);
    assert.ok((await secondsLeft(first)) > 45, 'the session was extended');
    assert.equal(await first.locator('header form[action="/logout"]').count(), 1, 'still signed in');
    assert.equal(new URL(second.url()).pathname, '/learn', 'the other tab stayed on its page');

    // 3. Escape is "stay signed in" too.
    await dialogOpen(second);
    const again = second.waitForResponse((r) => new URL(r.url()).pathname === '/session/extend');
    await second.keyboard.press('Escape');
    assert.equal((await again).status(), 200);
    await dialogClosed(second);
    assert.ok((await secondsLeft(second)) > 45, 'Escape extended the session');

    // 4. Nobody answers: at the end both tabs go to the sign-in page, which says why.
    await dialogOpen(second);
    await second.waitForURL(/\/login\?timeout=teacher/, { timeout: 45_000 });
    await first.waitForURL(/\/login\?timeout=teacher/, { timeout: 15_000 });
    const notice = await second.locator('main .notice').innerText();
    assert.match(notice, /You were signed out after 1 minute without activity\./);
    const results2 = await runAxe(second);
    assert.equal(results2.violations.length, 0, `the sign-in page after the timeout:\n${formatAxe(results2.violations)}`);
    assert.equal(await secondsLeft(second), null, 'the session has ended');

    // 5. Signing in again goes back to the page the tab was on.
    await second.fill('#email', EMAIL);
    await second.fill('#password', PASSWORD);
    await Promise.all([second.waitForNavigation(), second.click('main button[type=submit]')]);
    assert.equal(new URL(second.url()).pathname, '/learn');
  } finally {
    await context.close();
  }
});
