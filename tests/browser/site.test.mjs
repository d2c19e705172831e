// Browser checks of Ustaz pages: WCAG 2.2 AA by axe-core, document structure,
// reflow at 320 px, and keyboard use. Run with `npm test` (see README.md).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import {
  REPO_ROOT,
  focusInfo,
  formatAxe,
  launchBrowser,
  newContext,
  runAxe,
  startServer,
} from './lib/harness.mjs';

// Every page the suite checks. Add a page by adding a line:
//   { path: '/courses', status: 200 },
// `langs` defaults to all of LANGS; `status` to 200.
// `as` signs in first as one of USERS (the page then follows that user's language).
// `follow` (a CSS selector of a link) checks the page that link leads to instead.
const PAGES = [
  { path: '/', status: 200 },
  { path: '/no-such-page', status: 404 },
  { path: '/login', status: 200 },
  // The sign-in page after an inactivity timeout: the notice saying why.
  { path: '/login?timeout=teacher&next=/learn', status: 200 },
  { path: '/register', status: 200 },
  { path: '/register?region=KZ-75', status: 200 },
  { path: '/register/check-email', status: 200 },
  { path: '/password/forgot', status: 200 },
  { path: '/account', status: 200, as: 'teacher' },
  { path: '/account', status: 200, as: 'admin' },
  { path: '/', status: 200, as: 'teacher' },
  { path: '/admin/users', status: 200, as: 'admin' },
  { path: '/admin/users?q=browser&role=teacher', status: 200, as: 'admin' },
  { path: '/admin/users/1', status: 200, as: 'admin' },
  { path: '/admin/audit', status: 200, as: 'admin' },
  { path: '/admin/schools', status: 200, as: 'admin' },
  { path: '/admin/schools/new', status: 200, as: 'admin' },
  { path: '/admin/schools/import', status: 200, as: 'admin' },
  { path: '/admin/users/import', status: 200, as: 'admin' },
  { path: '/admin/users', status: 403, as: 'teacher' },
  { path: '/admin/courses', status: 200, as: 'admin' },
  { path: '/admin/courses/new', status: 200, as: 'admin' },
  { path: '/admin/certificates', status: 200, as: 'admin' },
  { path: '/admin/certificates?q=UST&status=revoked', status: 200, as: 'admin' },
  { path: '/admin/certificates/queue', status: 200, as: 'admin' },
  { path: '/admin/certificates/queue?region=KZ-75', status: 200, as: 'admin' },
  { path: '/admin/certificates/new', status: 200, as: 'admin' },
  { path: '/admin/targets', status: 200, as: 'admin' },
  { path: '/admin/targets/new', status: 200, as: 'admin' },
  { path: '/admin/targets/1/edit', status: 200, as: 'admin' },
  { path: '/admin/targets/1/delete', status: 200, as: 'admin' },
  { path: '/admin/certificates/UST-2025-000001', status: 200, as: 'admin' },
  // The public verification page of a real certificate: reached from its admin page's link.
  { path: '/admin/certificates/UST-2025-000001', follow: 'a[href*="/verify/"]', status: 200 , as: 'admin' },
  { path: '/admin/courses/1', status: 200, as: 'admin' },
  { path: '/admin/courses/1/edit', status: 200, as: 'admin' },
  { path: '/admin/courses/1/modules/5/edit', status: 200, as: 'admin' },
  // The seeded foundations course: module 5 is its final quiz, question 1 its first question.
  { path: '/admin/courses/1/modules/5/questions/1/edit', status: 200, as: 'admin' },
  { path: '/admin/courses/1/preview', status: 200, as: 'admin' },
  { path: '/admin/courses/1/preview/what-is-inclusion', status: 200, as: 'admin' },
  { path: '/admin/courses/1/preview/final-quiz', status: 200, as: 'admin' },
  { path: '/courses', status: 200 },
  { path: '/courses?language=ru&area=inclusive&q=course', status: 200 },
  { path: '/courses/foundations-of-inclusive-education-en', status: 200 },
  { path: '/courses/foundations-of-inclusive-education-en', status: 200, as: 'teacher' },
  { path: '/courses/no-such-course', status: 404 },
  { path: '/learn', status: 200, as: 'teacher' },
  { path: '/dashboard/regions/KZ-75', status: 200, as: 'coordinator' },
  { path: '/dashboard/regions/KZ-75', status: 200, as: 'admin' },
  { path: '/dashboard/regions/KZ-75?status=stalled&q=a', status: 200, as: 'coordinator' },
  { path: '/dashboard/regions/KZ-11', status: 403, as: 'coordinator' },
  { path: '/dashboard', status: 200, as: 'admin' },
  { path: '/dashboard?category=general&sort=trained&dir=desc', status: 200, as: 'coordinator' },
  { path: '/dashboard', status: 403, as: 'teacher' },
  // Quizzes (issue 14): the quiz page with the teacher's attempt, the result of an attempt (its
  // link on the quiz page), and a quiz still locked behind its lessons. `prepareQuizzes` sets
  // them up in `before`.
  { path: '/learn/foundations-of-inclusive-education-en/final-quiz', status: 200, as: 'teacher' },
  { path: '/learn/foundations-of-inclusive-education-en/final-quiz', follow: 'a[href*="/attempts/"]', status: 200, as: 'teacher' },
  { path: '/learn/supporting-learners-with-sen-en/final-quiz', status: 200, as: 'teacher' },
  { path: '/verify', status: 200 },
  { path: '/verify?code=not-a-code', status: 422 },
  { path: '/verify/23456789ABCDEFGHJKLM', status: 404 },
  { path: '/certificates', status: 200, as: 'teacher' },
  { path: '/account/two-step/recovery-codes', status: 200, as: 'admin' },
  { path: '/account/two-step/recovery-codes', status: 200, as: 'coordinator' },
  // Practical tasks (tasks part): the task module with its form (the teacher is enrolled by the
  // setup below), the review queue, and a submission's review page (submission 1, by tasker@).
  { path: '/learn/foundations-of-inclusive-education-kk/adapt-a-lesson-plan', status: 200, as: 'teacher' },
  { path: '/review', status: 200, as: 'admin' },
  { path: '/review/1', status: 200, as: 'admin' },
  { path: '/review', status: 403, as: 'teacher' },
  // Review of completions and tutors (issue 14): the queue with its evidence, a completion
  // waiting in it (the demo leaves December's completions of reviewed courses waiting) with its
  // return form, and a tutor's user page with the courses they review.
  { path: '/admin/certificates/queue', follow: 'table a[href^="/admin/certificates/queue/"]', status: 200, as: 'admin' },
  { path: '/admin/users?role=tutor', follow: 'table a[href^="/admin/users/"]', status: 200, as: 'admin' },
];

// Accounts the suite creates with `ustaz create-user` before it starts.
const PASSWORD = 'browser suite passphrase';
const USERS = {
  teacher: ['teacher', 'teacher@browser.kz', 'KZ-75'],
  coordinator: ['coordinator', 'coordinator@browser.kz', 'KZ-75'],
  admin: ['admin', 'admin@browser.kz', null],
  // Review of completions and tutors (issue 14).
  tutor: ['tutor', 'tutor@browser.kz', null],
};

// Two-step sign-in for staff: the suite is the authenticator app. RFC 6238 with HMAC-SHA-1,
// 6 digits, 30-second steps; a code is accepted once, so each sign-in takes a step not used yet.
const STEP = 30;
const apps = new Map(); // email → { secret: Buffer, last: step used last }

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** A code of the account's app the site has not accepted yet (waits for the next step if need be). */
async function freshCode(email) {
  const app = apps.get(email);
  assert.ok(app, `${email} has no authenticator in the suite`);
  for (;;) {
    const now = Math.floor(Date.now() / 1000 / STEP);
    const step = Math.max(now, app.last + 1);
    if (step <= now + 1) {
      app.last = step;
      return totp(app.secret, step);
    }
    await new Promise((resolve) => setTimeout(resolve, (STEP - ((Date.now() / 1000) % STEP)) * 1000 + 50));
  }
}

/** After the password: the set-up (the key read off the page, its first code) or the code. */
async function secondStep(page, email) {
  const path = new URL(page.url()).pathname;
  if (path === '/account/two-step/setup') {
    const key = await page.getAttribute('input[name="secret"]', 'value');
    const now = Math.floor(Date.now() / 1000 / STEP);
    apps.set(email, { secret: base32Decode(key), last: now });
    await page.fill('#code', totp(base32Decode(key), now));
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
    await Promise.all([page.waitForNavigation(), page.click('main a.button')]);
  } else if (path === '/login/code') {
    await page.fill('#code', await freshCode(email));
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  }
}

const sessions = new Map(); // who → the cookies of a signed-in browser

/** Signs in through the form (and the second step for staff), then picks the language with the
 * header's switch. A staff session is signed in once and reused: each new sign-in needs a fresh code. */
async function signIn(page, who, lang) {
  const [, email] = USERS[who];
  if (sessions.has(who)) {
    await page.context().addCookies(sessions.get(who));
    const response = await page.goto(`${server.baseUrl}/account`);
    if (new URL(page.url()).pathname !== '/account' || response.status() !== 200) sessions.delete(who);
  }
  if (!sessions.has(who)) {
    await page.goto(`${server.baseUrl}/login`);
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
    await secondStep(page, email);
    const cookies = await page.context().cookies();
    sessions.set(who, cookies.filter((c) => c.name.includes('session')));
  }
  const switchButton = page.locator(`.language-switch button[value="${lang}"]`);
  if (await switchButton.count()) {
    await Promise.all([page.waitForNavigation(), switchButton.click()]);
  }
}

const LANGS = ['kk', 'ru', 'en'];
const WIDTHS = [1280, 320];

let server;
let browser;

before(async () => {
  server = await startServer();
  // A small demo country first (it needs an empty database): schools, teachers, progress, certificates.
  execFileSync(server.bin, ['seed-demo', '--teachers', '1000', '--seed', '1'], { env: { ...process.env, ...server.env, RUST_LOG: 'warn' }, cwd: REPO_ROOT });
  for (const [role, email, region] of Object.values(USERS)) {
    const args = ['create-user', '--role', role, '--email', email, '--name', `Browser ${role}`, '--password-stdin'];
    if (region) args.push('--region', region);
    execFileSync(server.bin, args, { input: PASSWORD, env: { ...process.env, ...server.env, RUST_LOG: 'warn' }, cwd: REPO_ROOT });
  }
  // The catalogue pages need courses: the starter courses, as `ustaz seed-courses` installs them.
  execFileSync(server.bin, ['seed-courses'], { env: { ...process.env, ...server.env, RUST_LOG: 'warn' }, cwd: REPO_ROOT });
  browser = await launchBrowser();
  await setUpTasks();
  await prepareQuizzes();
});

// ---- Practical tasks (tasks part) -----------------------------------------------------------
// The Kazakh foundations course (course 1) gets a practical task with a rubric of two criteria,
// through the admin's pages. The teacher enrols, and a second teacher submits a
// text and a PDF, which is submission 1.
const TASK_COURSE = 'foundations-of-inclusive-education-kk'; // course 1
const TASK_SLUG = 'adapt-a-lesson-plan';
const TASK_PATH = `/learn/${TASK_COURSE}/${TASK_SLUG}`;

function cli(args, input) {
  execFileSync(server.bin, args, { input, env: { ...process.env, ...server.env, RUST_LOG: 'warn' }, cwd: REPO_ROOT });
}

async function signInTeacher(page, email) {
  await page.context().addCookies([{ name: 'lang', value: 'en', url: server.baseUrl }]);
  await page.goto(`${server.baseUrl}/login`);
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
}

async function enrol(page) {
  await page.goto(`${server.baseUrl}/courses/${TASK_COURSE}`);
  const button = page.locator(`form[action="/courses/${TASK_COURSE}/enrol"] button`);
  if (await button.count()) await Promise.all([page.waitForNavigation(), button.click()]);
}

/** Called at the end of the suite's `before` (Node 20 runs top-level hooks side by side). */
async function setUpTasks() {
  await withPage({ width: 1280, lang: 'en' }, async (page) => {
    await signIn(page, 'admin', 'en');
    await page.goto(`${server.baseUrl}/admin/courses/1/modules/new?kind=task`);
    await page.fill('#title', 'Сабақ жоспарын бейімдеу');
    await page.fill('#slug', TASK_SLUG);
    await page.fill('#body', 'Есту қабілеті **бұзылған** оқушыға арнап сабақ жоспарларыңыздың бірін бейімдеңіз.');
    await Promise.all([page.waitForNavigation(), page.click('main form[method="post"] button[type=submit]')]);
    for (const [title, description, max] of [
      ['Мақсаттар бейімделген', 'Сабақ мақсаттары оқушыға сай', '5'],
      ['Материалдар', 'Оқушы қолдана алатын материалдар', '10'],
    ]) {
      await page.fill('#criterion-title', title);
      await page.fill('#criterion-description', description);
      await page.fill('#criterion-max_score', max);
      await Promise.all([page.waitForNavigation(), page.click('#rubric form[action$="/criteria"] button[type=submit]')]);
    }
  });
  for (const email of ['tasker@browser.kz', 'task-keys@browser.kz']) {
    cli(['create-user', '--role', 'teacher', '--email', email, '--name', `Task ${email.split('@')[0]}`, '--region', 'KZ-75', '--password-stdin'], PASSWORD);
  }
  await withPage({ width: 1280, lang: 'en' }, async (page) => {
    await signIn(page, 'teacher', 'en');
    await enrol(page);
  });
  await withPage({ width: 1280, lang: 'en' }, async (page) => {
    await signInTeacher(page, 'tasker@browser.kz');
    await enrol(page);
    await page.goto(server.baseUrl + TASK_PATH);
    await page.fill('#task-body', 'My adapted lesson plan: visual timetable, captions, seating near the board.');
    await page.setInputFiles('#task-files', { name: 'plan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    const [response] = await Promise.all([page.waitForNavigation(), page.click('#task-form button[type=submit]')]);
    assert.equal(response.status(), 200, 'the task page after submitting');
  });
}

/** The suite's teacher: enrolled on two courses; on one every lesson done and the quiz taken
 * once (so its page shows an attempt and links to a result), on the other nothing done yet
 * (so its quiz is locked). */
async function prepareQuizzes() {
  await withPage({ width: 1280, lang: 'en' }, async (page) => {
    await signIn(page, 'teacher', 'en');
    for (const slug of ['foundations-of-inclusive-education-en', 'supporting-learners-with-sen-en']) {
      await page.goto(`${server.baseUrl}/courses/${slug}`);
      await Promise.all([page.waitForNavigation(), page.click(`form[action="/courses/${slug}/enrol"] button`)]);
    }
    await page.goto(`${server.baseUrl}/learn/foundations-of-inclusive-education-en/what-is-inclusion`);
    while (await page.locator('form[action$="/complete"] button').count()) {
      await Promise.all([page.waitForNavigation(), page.click('form[action$="/complete"] button')]);
    }
    for (const fieldset of await page.locator('#quiz-form fieldset').all()) await fieldset.locator('input').first().check();
    await Promise.all([page.waitForNavigation(), page.click('#quiz-form button[type=submit]')]);
    assert.match(new URL(page.url()).pathname, /\/attempts\/\d+$/, 'the quiz was taken');
  });
}

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function withPage(options, fn) {
  const context = await newContext(browser, server.baseUrl, options);
  try {
    const page = await context.newPage();
    return await fn(page);
  } finally {
    await context.close();
  }
}

for (const { path, status = 200, langs = LANGS, as, follow } of PAGES) {
  const name = `${path}${follow ? ` → ${follow}` : ''}${as ? ` as ${as}` : ''}`;
  describe(`page ${name}`, () => {
    for (const lang of langs) {
      for (const width of WIDTHS) {
        test(`${name} [${lang}] at ${width}px`, async (t) => {
          await withPage({ width, lang }, async (page) => {
            if (as) await signIn(page, as, lang);
            let response = await page.goto(server.baseUrl + path, { waitUntil: 'load' });
            if (follow) {
              const href = await page.getAttribute(follow, 'href');
              assert.ok(href, `no ${follow} on ${path}`);
              response = await page.goto(new URL(href, server.baseUrl).href, { waitUntil: 'load' });
            }
            assert.ok(response, `no response for ${path}`);
            await checkPage(t, page, response, { path, status, lang, width });
          });
        });
      }
    }
  });
}

/** The checks every page gets: status, `<html lang>`, one h1, no missing translation, no
 * horizontal scrolling at 320 px, no axe violation; all problems reported at once. */
async function checkPage(t, page, response, { path, status, lang, width }) {
  // Collect every problem on the page, so one run reports them all.
  const problems = [];
  const check = (ok, message) => {
    if (!ok) problems.push(message);
  };

  check(response.status() === status, `HTTP status is ${response.status()}, expected ${status}`);

  const htmlLang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
  check(htmlLang === lang, `<html lang="${htmlLang}">, expected "${lang}"`);

  const h1s = await page.locator('h1').allTextContents();
  check(h1s.length === 1, `expected exactly one <h1>, found ${h1s.length}: ${JSON.stringify(h1s)}`);

  // fluent-templates renders a missing catalogue entry as this text.
  const untranslated = await page.evaluate(() => [
    ...new Set(document.documentElement.outerHTML.match(/Unknown localization key: "[^"&<]*/g) || []),
  ]);
  check(untranslated.length === 0, `missing translations: ${untranslated.map((u) => u.replace('Unknown localization key: "', '')).join(', ')}`);

  if (width <= 320) {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    check(
      scrollWidth <= innerWidth,
      `horizontal scrolling: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}; widest elements: ${await widestElements(page)}`,
    );
  }

  const results = await runAxe(page);
  if (results.incomplete.length) {
    t.diagnostic(`axe needs review (not failing): ${results.incomplete.map((r) => `${r.id}×${r.nodes.length}`).join(', ')}`);
  }
  check(
    results.violations.length === 0,
    `axe found ${results.violations.length} violation(s):\n${formatAxe(results.violations)}`,
  );

  if (problems.length) assert.fail(`${path} [${lang}] at ${width}px:\n- ${problems.join('\n- ')}`);
}

/** The elements sticking out past the right edge, to point at what breaks reflow. */
async function widestElements(page) {
  const list = await page.evaluate(() => {
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 0.5) {
        const id = el.id ? `#${el.id}` : '';
        const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
        out.push(`${el.tagName.toLowerCase()}${id}${cls} (right=${Math.round(r.right)})`);
      }
    }
    return out.slice(0, 8);
  });
  return list.join(', ') || '(none found)';
}

describe('language negotiation', () => {
  for (const lang of LANGS) {
    test(`Accept-Language: ${lang} alone selects <html lang="${lang}">`, async () => {
      await withPage({ acceptLanguage: `${lang},en;q=0.3` }, async (page) => {
        const response = await page.goto(`${server.baseUrl}/`);
        assert.equal(response.status(), 200);
        assert.equal(await page.evaluate(() => document.documentElement.getAttribute('lang')), lang);
      });
    });
  }
});

// Forms sent with mistakes: the page comes back with an error summary linking to each field,
// the message next to the field, "Error:" in the title, and no axe violations.
const FORMS_WITH_ERRORS = [
  { path: '/login', fill: { '#email': 'not-an-email' } },
  { path: '/register?region=KZ-75', fill: { '#email': 'nope', '#password': 'short', '#iin': '123' } },
  { path: '/password/forgot', fill: { '#email': 'nope@' } },
  { path: '/account', as: 'teacher', fill: { '#full_name': ' ' } },
];

describe('forms with errors', () => {
  for (const { path, fill, as } of FORMS_WITH_ERRORS) {
    for (const width of WIDTHS) {
      test(`${path}${as ? ` as ${as}` : ''} with mistakes at ${width}px`, async () => {
        await withPage({ width, lang: 'ru' }, async (page) => {
          if (as) await signIn(page, as, 'ru');
          await page.goto(server.baseUrl + path);
          for (const [selector, value] of Object.entries(fill)) await page.fill(selector, value);
          const [response] = await Promise.all([
            page.waitForNavigation(),
            page.locator(`main form[method="post"] button[type=submit]`).first().click(),
          ]);
          assert.equal(response.status(), 422, `${path}: status`);
          assert.match(await page.title(), /^Ошибка: /);
          const links = await page.locator('.error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
          assert.ok(links.length > 0, 'an error summary with links');
          for (const href of links) {
            assert.equal(await page.locator(href).count(), 1, `the summary link ${href} leads to a field`);
            assert.equal(await page.locator(`${href}-error`).count(), 1, `a message next to ${href}`);
          }
          const results = await runAxe(page);
          assert.equal(results.violations.length, 0, formatAxe(results.violations));
        });
      });
    }
  }
});

describe('keyboard', () => {
  const MAX_TABS = 150;

  function assertFocusVisible(info, step) {
    assert.ok(info.visibleFocus, `focus indicator not visible on ${info.describe} (${step}): ${info.style}`);
    assert.ok(info.inViewport, `focused ${info.describe} (${step}) is outside the viewport: ${JSON.stringify(info.rect)}`);
    assert.equal(info.obscuredBy, null, `focused ${info.describe} (${step}) is hidden behind ${info.obscuredBy}`);
  }

  test('skip link, visible focus, and switching language to Russian with Enter', async () => {
    await withPage({ width: 1280, acceptLanguage: 'en' }, async (page) => {
      await page.goto(`${server.baseUrl}/`);
      const startLang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
      assert.notEqual(startLang, 'ru', 'with Accept-Language: en the page must not start in Russian');

      // 1. The first Tab lands on the skip link, which is visible while focused.
      await page.keyboard.press('Tab');
      const skip = await focusInfo(page);
      assert.ok(skip, 'the first Tab focused nothing');
      assert.equal(skip.tag, 'a', `the first Tab focused ${skip.describe}, expected the skip link`);
      assert.equal(skip.href, '#main', `the first focused link ${skip.describe} points to ${skip.href}, expected #main`);
      assert.ok(
        skip.rect.width >= 10 && skip.rect.height >= 10 && !skip.clipped && !skip.hidden,
        `skip link is not visible when focused: ${JSON.stringify(skip.rect)}, clipped=${skip.clipped}, hidden=${skip.hidden}`,
      );
      assertFocusVisible(skip, 'skip link');

      // 2. Enter on it moves focus (or the sequential focus start point) to main#main.
      assert.equal(await page.locator('main#main').count(), 1, 'page has no <main id="main">');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => location.hash === '#main', null, { timeout: 5_000 });
      const mainFocus = await page.evaluate(() => {
        const main = document.querySelector('main#main');
        const active = document.activeElement;
        return { focusedMain: active === main || main.contains(active), mainTop: main.getBoundingClientRect().top };
      });
      if (!mainFocus.focusedMain) {
        // Without tabindex="-1" on main, Chromium still moves the sequential focus
        // start point there: the next Tab must land inside main or after it.
        await page.keyboard.press('Tab');
        const after = await page.evaluate(() => {
          const main = document.querySelector('main#main');
          const active = document.activeElement;
          if (!active || active === document.body) return 'nothing';
          const pos = main.compareDocumentPosition(active);
          return pos & Node.DOCUMENT_POSITION_CONTAINED_BY || pos & Node.DOCUMENT_POSITION_FOLLOWING ? 'ok' : active.outerHTML.slice(0, 120);
        });
        assert.equal(after, 'ok', `after activating the skip link, Tab went to ${after} instead of into main#main`);
      }

      // 3. From a fresh load, Tab to the language switch; every stop shows focus.
      await page.goto(`${server.baseUrl}/`);
      const visited = [];
      let target = null;
      for (let i = 0; i < MAX_TABS; i++) {
        await page.keyboard.press('Tab');
        const info = await focusInfo(page);
        if (!info) break; // wrapped past the end of the page
        visited.push(info.describe);
        assertFocusVisible(info, `Tab #${i + 1}`);
        if (info.tag === 'button' && info.name === 'lang' && info.value === 'ru') {
          target = info;
          break;
        }
      }
      assert.ok(target, `never reached the "ru" language button by Tab; focus order was:\n  ${visited.join('\n  ')}`);
      assert.equal(target.form?.method?.toLowerCase(), 'post', 'language switch form method');
      assert.equal(target.form?.action, '/language', 'language switch form action');

      const switchButtons = await page.evaluate(() =>
        [...document.querySelectorAll('form[action="/language"] button[name="lang"]')].map((b) => b.value),
      );
      // The current language may be shown as plain text instead of a button.
      const current = await page.evaluate(() => document.documentElement.getAttribute('lang'));
      for (const lang of LANGS) {
        if (lang !== current) assert.ok(switchButtons.includes(lang), `no language switch button for ${lang}: ${JSON.stringify(switchButtons)}`);
      }
      for (const value of switchButtons) assert.ok(LANGS.includes(value), `unknown language button value ${value}`);

      // 4. Enter submits the switch; the page comes back in Russian.
      const posted = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/language', { timeout: 10_000 });
      await page.keyboard.press('Enter');
      await posted;
      await page.waitForFunction(() => document.documentElement.getAttribute('lang') === 'ru', null, { timeout: 10_000 });
      await page.waitForLoadState('load');
      const after = await page.goto(`${server.baseUrl}/`);
      assert.equal(after.status(), 200);
      assert.equal(await page.evaluate(() => document.documentElement.getAttribute('lang')), 'ru', 'the choice of Russian was not remembered');
    });
  });
});

// The teacher's whole journey with the keyboard alone: catalogue → course → enrol → every lesson
// (opened, then marked complete) → the quiz, open once the lessons are done, answered and
// submitted → its result page; every page on the way passes axe.
describe('keyboard journey', () => {
  const SLUG = 'foundations-of-inclusive-education-en';

  /** Presses Tab until `wanted(focus)` holds; fails with the focus order otherwise. */
  async function tabTo(page, wanted, what) {
    const seen = [];
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Tab');
      const info = await focusInfo(page);
      if (!info) continue;
      seen.push(info.describe);
      assert.ok(info.visibleFocus, `focus not visible on ${info.describe}`);
      if (wanted(info)) return info;
    }
    assert.fail(`never reached ${what} by Tab; focus order:\n  ${seen.slice(-40).join('\n  ')}`);
  }

  async function noViolations(page, where) {
    const results = await runAxe(page);
    assert.equal(results.violations.length, 0, `${where}:\n${formatAxe(results.violations)}`);
  }

  test('from the catalogue through a quiz, keyboard only', async () => {
    await withPage({ width: 1280, lang: 'en' }, async (page) => {
      // A teacher of its own, so other checks keep their state.
      execFileSync(server.bin, ['create-user', '--role', 'teacher', '--email', 'journey@browser.kz', '--name', 'Journey Teacher', '--region', 'KZ-75', '--password-stdin'], {
        input: PASSWORD,
        env: { ...process.env, ...server.env, RUST_LOG: 'warn' },
        cwd: REPO_ROOT,
      });
      await page.context().clearCookies();
      await page.context().addCookies([{ name: 'lang', value: 'en', url: server.baseUrl }]);
      await page.goto(`${server.baseUrl}/login`);
      await tabTo(page, (f) => f.tag === 'input' && f.name === 'email', 'the email field');
      await page.keyboard.type('journey@browser.kz');
      await page.keyboard.press('Tab');
      await page.keyboard.type(PASSWORD);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

      await page.goto(`${server.baseUrl}/courses`);
      await noViolations(page, '/courses');
      await tabTo(page, (f) => f.tag === 'a' && f.href === `/courses/${SLUG}`, 'the course link');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      assert.equal(new URL(page.url()).pathname, `/courses/${SLUG}`);
      await noViolations(page, 'course page');

      await tabTo(page, (f) => f.tag === 'button' && f.form?.action === `/courses/${SLUG}/enrol`, 'the Enrol button');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

      // Every lesson: read, then "Mark as complete" (which moves on to the next module).
      for (let lesson = 0; lesson < 10; lesson++) {
        const complete = page.locator('form[action$="/complete"] button');
        if ((await complete.count()) === 0) break;
        await noViolations(page, page.url());
        await tabTo(page, (f) => f.tag === 'button' && (f.form?.action || '').endsWith('/complete'), 'Mark as complete');
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      }

      // The quiz: Space checks the first option of every question, Enter on the submit button sends it.
      assert.equal(await page.locator('#quiz-form').count(), 1, `expected the quiz at ${page.url()}`);
      await noViolations(page, 'quiz');
      const questions = await page.locator('#quiz-form fieldset').count();
      assert.ok(questions > 0, 'the quiz has questions');
      const answered = new Set();
      while (answered.size < questions) {
        const f = await tabTo(page, (i) => i.tag === 'input' && /^q\d+$/.test(i.name || '') && !answered.has(i.name), 'an unanswered question');
        await page.keyboard.press('Space');
        answered.add(f.name);
      }
      await tabTo(page, (f) => f.tag === 'button' && (f.form?.action || '').endsWith('/quiz'), 'the quiz submit button');
      const [response] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      // Posted, then redirected to the attempt's result (a reload does not submit again).
      assert.equal(response.status(), 200, 'the result page');
      assert.match(new URL(page.url()).pathname, /\/attempts\/\d+$/, 'redirected to the result');
      assert.match(await page.locator('main').innerText(), /\d+\s?%/, 'the score is shown');
      await noViolations(page, 'quiz result');
    });
  });

  // Practical tasks (tasks part): a teacher submits a task with text; the administrator opens it
  // from the queue, scores a criterion and returns it with feedback.
  test('submit a task with text, then review it: score and return', async () => {
    await withPage({ width: 1280, lang: 'en' }, async (page) => {
      await signInTeacher(page, 'task-keys@browser.kz');
      await enrol(page);
      await page.goto(server.baseUrl + TASK_PATH);
      await noViolations(page, 'the task page');
      await tabTo(page, (f) => f.tag === 'textarea' && f.name === 'body', 'the answer field');
      await page.keyboard.type('Plan with a sign-language interpreter and written instructions.');
      await tabTo(page, (f) => f.tag === 'button' && (f.form?.action || '').endsWith('/task'), 'the submit button');
      const [response] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      assert.equal(response.status(), 200);
      assert.equal(await page.locator('#task-form').count(), 0, 'the form is gone while the submission waits');
      assert.equal(await page.locator('#task-history article').count(), 1, 'the submission is listed');
      await noViolations(page, 'the task page after submitting');
    });
    await withPage({ width: 1280, lang: 'en' }, async (page) => {
      await signIn(page, 'admin', 'en');
      await page.goto(`${server.baseUrl}/review`);
      const href = await page.locator('main a[href^="/review/"]').last().getAttribute('href');
      await tabTo(page, (f) => f.tag === 'a' && f.href === href, 'the newest submission');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      assert.equal(new URL(page.url()).pathname, href);
      await noViolations(page, 'the review page');
      const score = await tabTo(page, (f) => f.tag === 'input' && /^score-\d+$/.test(f.name || ''), 'a score');
      assert.ok(score);
      await page.keyboard.type('3');
      await tabTo(page, (f) => f.tag === 'textarea' && f.name === 'feedback', 'the feedback');
      await page.keyboard.type('Add how you will check understanding.');
      await tabTo(page, (f) => f.tag === 'button' && f.value === 'return', 'Return for changes');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      assert.equal(new URL(page.url()).pathname, '/review');
      assert.match(await page.locator('[role=status]').first().innerText(), /returned/);
      await noViolations(page, 'the queue after returning');
    });
  });
});

// Two-step sign-in, page by page as a new coordinator meets it, in each language and width: the
// set-up (and its error), the recovery codes, the account page, the code after the password (by
// keyboard), a recovery code instead (and its error), and the page after it.
describe('two-step sign-in', () => {
  async function submit(page) {
    const [response] = await Promise.all([page.waitForNavigation(), page.click('main form[method="post"] button[type=submit]')]);
    return response;
  }

  for (const lang of LANGS) {
    for (const width of WIDTHS) {
      test(`the two-step pages [${lang}] at ${width}px`, async (t) => {
        const email = `two-step-${lang}-${width}@browser.kz`;
        execFileSync(server.bin, ['create-user', '--role', 'coordinator', '--email', email, '--name', 'Two Step', '--region', 'KZ-75', '--password-stdin'], {
          input: PASSWORD,
          env: { ...process.env, ...server.env, RUST_LOG: 'warn' },
          cwd: REPO_ROOT,
        });
        await withPage({ width, lang }, async (page) => {
          const at = (path) => ({ path, status: 200, lang, width });
          await page.goto(`${server.baseUrl}/login`);
          await page.fill('#email', email);
          await page.fill('#password', PASSWORD);
          let response = await submit(page);
          assert.equal(new URL(page.url()).pathname, '/account/two-step/setup');
          await checkPage(t, page, response, at('set-up'));
          assert.equal(await page.getAttribute('#code', 'autocomplete'), 'one-time-code');
          assert.equal(await page.getAttribute('#code', 'inputmode'), 'numeric');

          await page.fill('#code', '000000');
          response = await submit(page);
          await checkPage(t, page, response, { ...at('set-up with a wrong code'), status: 422 });
          assert.equal(await page.locator('.error-summary a[href="#code"]').count(), 1);

          const key = await page.getAttribute('input[name="secret"]', 'value');
          const now = Math.floor(Date.now() / 1000 / STEP);
          apps.set(email, { secret: base32Decode(key), last: now });
          const first = totp(base32Decode(key), now);
          await page.fill('#code', `${first.slice(0, 3)} ${first.slice(3)}`);
          response = await submit(page);
          await checkPage(t, page, response, at('recovery codes'));
          const codes = await page.locator('.two-step-codes code').allTextContents();
          assert.equal(codes.length, 10);

          await page.goto(`${server.baseUrl}/account`);
          const switchButton = page.locator(`.language-switch button[value="${lang}"]`);
          if (await switchButton.count()) await Promise.all([page.waitForNavigation(), switchButton.click()]);
          response = await page.goto(`${server.baseUrl}/account`);
          await checkPage(t, page, response, at('/account with two-step on'));

          // Signed out, then in again: the code step, by keyboard only.
          await Promise.all([page.waitForNavigation(), page.click('header form[action="/logout"] button')]);
          await page.goto(`${server.baseUrl}/login`);
          await page.fill('#email', email);
          await page.fill('#password', PASSWORD);
          response = await submit(page);
          assert.equal(new URL(page.url()).pathname, '/login/code');
          await checkPage(t, page, response, at('/login/code'));
          await page.locator('#code').focus();
          await page.keyboard.press('Shift+Tab');
          await page.keyboard.press('Tab');
          const focused = await focusInfo(page);
          assert.equal(focused?.name, 'code', 'Tab reaches the code field');
          assert.ok(focused.visibleFocus, 'the code field shows focus');

          // A recovery code instead.
          await Promise.all([page.waitForNavigation(), page.click('main a[href^="/login/recovery"]')]);
          response = await page.reload();
          await checkPage(t, page, response, at('/login/recovery'));
          await page.fill('#recovery_code', 'wrong');
          response = await submit(page);
          await checkPage(t, page, response, { ...at('/login/recovery with a wrong code'), status: 422 });
          await page.fill('#recovery_code', codes[0]);
          response = await submit(page);
          await checkPage(t, page, response, at('signed in with a recovery code'));

          // And the code step again, typed and sent with the keyboard.
          await Promise.all([page.waitForNavigation(), page.click('header form[action="/logout"] button')]);
          await page.goto(`${server.baseUrl}/login`);
          await page.fill('#email', email);
          await page.fill('#password', PASSWORD);
          await submit(page);
          await page.locator('#code').focus();
          await page.keyboard.type(await freshCode(email));
          await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
          assert.equal(new URL(page.url()).pathname, '/account', 'signed in with the keyboard');
        });
      });
    }
  }
});

// ---- Authoring practical tasks (issue 14) ---------------------------------------------------
// A draft course of its own with a practical task and one criterion, made through the admin
// pages (teachers never see it): the task's page with its rubric and the criterion form, in
// every language and width; then a criterion added with the keyboard alone. (The quiz's page
// with its settings and the question form with its explanation are in PAGES: module 5 of
// course 1 and its question 1.)
describe('authoring a practical task', () => {
  const task = {};

  /** Submits the main form whose button is `button` and waits for the page it leads to. */
  async function submit(page, button) {
    await Promise.all([page.waitForNavigation(), page.locator(button).first().click()]);
  }

  before(async () => {
    await withPage({ width: 1280, lang: 'en' }, async (page) => {
      await signIn(page, 'admin', 'en');
      await page.goto(`${server.baseUrl}/admin/courses/new`);
      await page.fill('#title', 'Browser suite: practical tasks');
      await page.fill('#slug', 'browser-suite-tasks');
      await page.check('#audience');
      await submit(page, 'main form[method="post"] button[type=submit]');
      const course = new URL(page.url()).pathname.match(/^\/admin\/courses\/(\d+)$/)?.[1];
      assert.ok(course, `course created: ${page.url()}`);
      await page.goto(`${server.baseUrl}/admin/courses/${course}/modules/new?kind=task`);
      await page.fill('#title', 'Adapt a lesson plan');
      await page.fill('#body', 'Adapt one of your lesson plans for a learner with a hearing impairment.');
      await submit(page, 'main form[method="post"] button[type=submit]');
      const module = new URL(page.url()).pathname.match(/\/modules\/(\d+)\/edit$/)?.[1];
      assert.ok(module, `task created: ${page.url()}`);
      await page.fill('#criterion-title', 'The adaptations suit the learner');
      await page.fill('#criterion-max_score', '10');
      await submit(page, '#rubric form[action$="/criteria"] button[type=submit]');
      const href = await page.getAttribute('#rubric a[href*="/criteria/"]', 'href');
      assert.ok(href, 'the criterion is listed with its edit link');
      Object.assign(task, { course, module, criterion: href });
    });
  });

  for (const which of ['task', 'criterion']) {
    for (const lang of LANGS) {
      for (const width of WIDTHS) {
        test(`the ${which} form [${lang}] at ${width}px`, async (t) => {
          await withPage({ width, lang }, async (page) => {
            await signIn(page, 'admin', lang);
            const path = which === 'task'
              ? `/admin/courses/${task.course}/modules/${task.module}/edit`
              : task.criterion;
            const response = await page.goto(server.baseUrl + path, { waitUntil: 'load' });
            await checkPage(t, page, response, { path, status: 200, lang, width });
          });
        });
      }
    }
  }

  for (const lang of LANGS) {
    test(`a criterion added with the keyboard alone [${lang}]`, async () => {
      await withPage({ width: 1280, lang }, async (page) => {
        await signIn(page, 'admin', lang);
        await page.goto(`${server.baseUrl}/admin/courses/${task.course}/modules/${task.module}/edit`);
        // Tab to the new criterion's first field, every stop on the way visibly focused.
        let info = null;
        for (let i = 0; i < 150 && info?.describe?.includes('#criterion-title') !== true; i += 1) {
          await page.keyboard.press('Tab');
          info = await focusInfo(page);
          assert.ok(info?.visibleFocus, `focus visible on ${info?.describe}`);
          assert.equal(info.obscuredBy, null, `${info.describe} hidden behind ${info.obscuredBy}`);
        }
        assert.ok(info?.describe?.includes('#criterion-title'), 'Tab reaches the criterion field');
        const title = `Reflection (${lang})`;
        await page.keyboard.type(title);
        await page.keyboard.press('Tab');
        assert.match((await focusInfo(page)).describe, /#criterion-description/);
        await page.keyboard.type('What the teacher learned.');
        await page.keyboard.press('Tab');
        assert.match((await focusInfo(page)).describe, /#criterion-max_score/);
        await page.keyboard.press('Control+A');
        await page.keyboard.type('5');
        await page.keyboard.press('Tab');
        const button = await focusInfo(page);
        assert.equal(button.tag, 'button');
        assert.match(button.form?.action ?? '', /\/criteria$/);
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        assert.match(page.url(), /done=criterion-added/);
        assert.ok(
          (await page.locator('#rubric').textContent()).includes(title),
          'the new criterion is listed',
        );
        const results = await runAxe(page);
        assert.equal(results.violations.length, 0, formatAxe(results.violations));
      });
    });
  }
});

// Review of completions (issue 14): an administrator returns a completion to the teacher with a
// reason, with the keyboard alone, in each language.
describe('keyboard: returning a completion', () => {
  for (const lang of LANGS) {
    test(`return a completion with a reason (${lang})`, async () => {
      await withPage({}, async (page) => {
        await signIn(page, 'admin', lang);
        await page.goto(`${server.baseUrl}/admin/certificates/queue`);
        const href = await page.locator('table a[href^="/admin/certificates/queue/"]').first().getAttribute('href');
        assert.ok(href, 'a completion waits in the queue');
        await page.goto(`${server.baseUrl}${href}`);
        let focus;
        for (let i = 0; i < 300; i++) {
          await page.keyboard.press('Tab');
          focus = await focusInfo(page);
          if (focus && focus.tag === 'textarea') break;
          if (focus) assert.ok(focus.visibleFocus, `focus not visible on ${focus.describe}`);
        }
        assert.equal(focus?.tag, 'textarea', 'the reason field is reached by Tab');
        await page.keyboard.type('Please redo the final quiz on your own.');
        // On through the module boxes (left as ticked) to the return button.
        for (let i = 0; i < 60; i++) {
          await page.keyboard.press('Tab');
          focus = await focusInfo(page);
          if (focus && focus.tag === 'button' && (focus.form?.action || '').endsWith('/return')) break;
        }
        assert.ok((focus?.form?.action || '').endsWith('/return'), `the return button is reached by Tab, not ${focus?.describe}`);
        const [response] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        assert.equal(response.status(), 200);
        assert.ok(new URL(page.url()).search.includes('done=returned'), page.url());
        const results = await runAxe(page);
        assert.equal(results.violations.length, 0, formatAxe(results.violations));
        assert.ok((await page.textContent('main')).includes('Please redo the final quiz on your own.'));
      });
    });
  }
});
