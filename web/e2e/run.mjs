// End-to-end tests: headless Debian Chromium (playwright-core) against the
// real platform started by `quickcare up`. Usage:
//   QUICKCARE_BIN=target/debug/quickcare node e2e/run.mjs
//   (E2E_GREP=pattern runs only the matching tests)
// Screenshots land in e2e/screenshots/ (git-ignored).
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, rmSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { apiClient, startPlatform } from './platform.mjs';
import { staffTests } from './staff.mjs';

const BIN = process.env.QUICKCARE_BIN ?? 'target/debug/quickcare';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = 'e2e/screenshots';
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 860 };
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const started = Date.now();
rmSync(SHOTS, { recursive: true, force: true });
mkdirSync(SHOTS, { recursive: true });
const platform = await startPlatform({ bin: BIN, webDir: 'dist' });
const api = apiClient(platform.url);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
const results = [];
let seq = 0;

/** `E2E_GREP=pattern` runs only the tests whose name matches (while iterating). */
const GREP = process.env.E2E_GREP ? new RegExp(process.env.E2E_GREP) : null;

async function test(name, fn) {
  if (GREP && !GREP.test(name)) return;
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - t0 });
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false, ms: Date.now() - t0, error: e });
    await lastPage?.screenshot({ path: `${SHOTS}/FAILED-${name.slice(0, 40).replace(/\W+/g, '-')}.png` }).catch(() => {});
    console.log(`FAIL ${name}\n     ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n     ')}`);
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

let lastPage = null;
async function context(opts = {}) {
  const ctx = await browser.newContext({ baseURL: platform.url, viewport: DESKTOP, locale: 'en-GB', ...opts });
  ctx.setDefaultTimeout(15_000);
  ctx.on('page', (p) => (lastPage = p));
  return ctx;
}

let patientNo = 0;
/** A fresh patient through the API (fast); returns its credentials. */
async function newPatient() {
  patientNo += 1;
  const email = `e2e-${Date.now()}-${patientNo}@example.com`;
  const password = 'e2e password';
  await api('POST', '/api/v1/auth/register', {
    name: `E2E Patient ${patientNo}`,
    email,
    password,
    gender: 'female',
    phone: '0611223344',
    cin: `E2E${patientNo}X`,
    birth_date: '1991-04-05',
    address: { street: '1 Rue des Tests', city: 'Rabat' },
  });
  const s = await api('POST', '/api/v1/auth/login', { email, password });
  await api('PUT', '/api/v1/patients/me/preferences', { language: 'en', timezone: 'Europe/Paris' }, s.access_token);
  return { email, password };
}

async function login(page, { email, password }) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

async function shot(page, name) {
  seq += 1;
  await page.screenshot({ path: `${SHOTS}/${String(seq).padStart(2, '0')}-${name}.png`, fullPage: true });
}

/** The demo doctor dr1, its token and profile. */
async function doctorOne() {
  const s = await api('POST', '/api/v1/auth/login', { email: 'dr1@example.com', password: 'doctor2025' });
  const me = await api('GET', '/api/v1/doctors/me', undefined, s.access_token);
  return { token: s.access_token, doctor: me };
}

/** Picks the first day with free slots in the open calendar and returns its slot buttons. */
async function openFirstFreeDay(page) {
  await page.getByText(/Choose a highlighted day|No free slots this month/).waitFor();
  const cells = page.locator('[role=gridcell] [role=button]:not([data-unavailable]):not([data-disabled]):not([data-outside-month])');
  for (let i = 0; i < 3; i += 1) {
    if ((await cells.count()) > 0) break;
    await page.getByRole('button', { name: 'Next month' }).click();
    await page.getByText(/Choose a highlighted day|No free slots this month/).waitFor();
  }
  await cells.first().click();
  return page.getByRole('button', { name: /^Book .* with / });
}

let doctorNo = 0;
/** A doctor of its own, with no slots yet, so a test's one-off slot overlaps nothing. */
async function newDoctor() {
  const admin = await api('POST', '/api/v1/auth/login', { email: 'admin@example.com', password: 'admin2025' });
  const [specialty] = await api('GET', '/api/v1/specialties');
  doctorNo += 1;
  const email = `e2e-dr-${Date.now()}-${doctorNo}@example.com`;
  const password = 'e2e doctor password';
  await api(
    'POST',
    '/api/v1/doctors',
    {
      name: 'E2E Doctor',
      email,
      password,
      gender: 'male',
      phone: '0611223355',
      birth_date: '1980-02-03',
      address: { street: '2 Rue des Tests', city: 'Rabat' },
      degree: 'MD',
      specialty_id: specialty.id,
      timezone: 'Africa/Casablanca',
    },
    admin.access_token,
  );
  const s = await api('POST', '/api/v1/auth/login', { email, password });
  const me = await api('GET', '/api/v1/doctors/me', undefined, s.access_token);
  return { token: s.access_token, doctor: me, email, password };
}

const { token: doctorToken, doctor } = await doctorOne();

await test('first load on loopback (measured, not asserted)', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto('/');
  await page.locator('main li').first().waitFor();
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    const js = res.filter((r) => r.name.endsWith('.js'));
    const paint = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint');
    return {
      domContentLoaded: Math.round(n.domContentLoadedEventEnd),
      load: Math.round(n.loadEventEnd),
      firstContentfulPaint: Math.round(paint?.startTime ?? 0),
      jsFiles: js.length,
      jsTransferredKiB: Math.round(js.reduce((a, r) => a + r.transferSize, 0) / 1024),
      jsDecodedKiB: Math.round(js.reduce((a, r) => a + r.decodedBodySize, 0) / 1024),
    };
  });
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  console.log(
    `     first load: FCP ${nav.firstContentfulPaint} ms, DOMContentLoaded ${nav.domContentLoaded} ms, load ${nav.load} ms, ` +
      `${nav.jsFiles} JS files, ${nav.jsTransferredKiB} KiB transferred (${nav.jsDecodedKiB} KiB decoded), ` +
      `script time ${Math.round(m.ScriptDuration * 1000)} ms, JS heap ${Math.round(m.JSHeapUsedSize / 1024 / 1024)} MiB`,
  );
  await ctx.close();
});

await test('a deep link /doctors/{id} works cold', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  const res = await page.goto(`/doctors/${doctor.id}`);
  assert(res.status() === 200, `status ${res.status()}`);
  await page.getByRole('heading', { level: 1, name: doctor.name }).waitFor();
  await ctx.close();
});

let bookedId = 0;
await test('register → find → book → my appointments; a doctor approves and the open page shows it live', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto('/register');
  await page.getByLabel('Full name').fill('Nadia Web');
  await page.getByLabel('Email').fill(`nadia-${Date.now()}@example.com`);
  await page.getByLabel('Password').fill('long enough pw');
  await page.getByLabel('Gender').selectOption('female');
  await page.getByLabel('Phone').fill('0612345678');
  await page.getByLabel('Date of birth').fill('1990-05-01');
  await page.getByLabel('Street').fill('5 Avenue Hassan II');
  await page.getByLabel('City').fill('Rabat');
  await page.getByLabel('National ID (CIN)').fill('NW12345');
  await page.getByRole('button', { name: 'Create the account' }).click();
  await page.waitForURL('**/appointments');

  await page.getByRole('link', { name: 'Find a doctor' }).first().click();
  await page.getByLabel("Doctor's name").fill(doctor.name);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: doctor.name }).click();
  await page.getByRole('heading', { level: 1, name: doctor.name }).waitFor();
  const slots = await openFirstFreeDay(page);
  await shot(page, 'doctor-page-desktop');
  await slots.first().click();
  await page.getByLabel('Reason for the visit').fill('Check-up');
  await page.getByRole('button', { name: 'Book', exact: true }).click();
  await page.getByText('Appointment requested').waitFor();
  await page.getByRole('link', { name: 'See my appointment' }).click();
  await page.waitForURL(/\/appointments\/\d+$/);
  bookedId = Number(new URL(page.url()).pathname.split('/').pop());
  await page.getByTestId('status').filter({ hasText: 'Pending' }).waitFor();

  await page.getByRole('link', { name: 'My appointments', exact: true }).click();
  await page.getByRole('heading', { name: 'Upcoming' }).waitFor();
  await page.locator('#upcoming ~ ul li').first().waitFor();
  assert((await page.locator('#upcoming ~ ul li').count()) === 1, 'the booking is listed as upcoming');
  await shot(page, 'appointments-desktop');

  await page.goto(`/appointments/${bookedId}`);
  await page.getByTestId('status').filter({ hasText: 'Pending' }).waitFor();
  // Give the live stream a moment to connect before the event it must carry.
  await page.waitForTimeout(500);
  await api('POST', `/api/v1/appointments/${bookedId}/approve`, {}, doctorToken);
  await page.getByTestId('status').filter({ hasText: 'Confirmed' }).waitFor({ timeout: 20_000 });
  await page.getByTestId('unread-badge').waitFor();
  await shot(page, 'appointment-desktop');

  // A reload keeps the session (refresh cookie).
  await page.reload();
  await page.getByTestId('status').filter({ hasText: 'Confirmed' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await ctx.close();
});

await test('cancelling inside the cut-off is refused with the reason shown', async () => {
  // A fresh doctor: a one-off slot could overlap the demo doctors' weekly hours.
  const { token: doctorToken, doctor } = await newDoctor();
  // A one-off slot starting in 90 minutes (inside the default 2 h cut-off), on the doctor's clock,
  // or in 15 minutes when that one would start after 22:55: a slot (up to an hour) ends on its
  // day. The two starts are 75 minutes apart, so one of them always fits.
  const clock = (minutes) =>
    Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: doctor.timezone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
        .formatToParts(new Date(Date.now() + minutes * 60_000))
        .map((p) => [p.type, p.value]),
    );
  const fits = (p) => Number(p.hour) * 60 + Math.floor(Number(p.minute) / 5) * 5 <= 22 * 60 + 55;
  const parts = [90, 15].map(clock).find(fits) ?? clock(15);
  const minute = String(Math.floor(Number(parts.minute) / 5) * 5).padStart(2, '0');
  const slot = await api(
    'POST',
    '/api/v1/schedules',
    { specific_date: `${parts.year}-${parts.month}-${parts.day}`, start: `${parts.hour}:${minute}` },
    doctorToken,
  );
  const who = await newPatient();
  const s = await api('POST', '/api/v1/auth/login', { email: who.email, password: who.password });
  const appt = await api(
    'POST',
    '/api/v1/appointments',
    { doctor_id: doctor.id, schedule_id: slot.id, date: `${parts.year}-${parts.month}-${parts.day}`, reason: 'Soon' },
    s.access_token,
  );
  const ctx = await context();
  const page = await ctx.newPage();
  await login(page, who);
  await page.goto(`/appointments/${appt.id}`);
  await page.getByText(/Online changes closed at/).waitFor();
  await page.getByRole('button', { name: 'Cancel the appointment' }).click();
  await page.getByRole('button', { name: 'Yes, cancel it' }).click();
  await page.getByRole('alert').filter({ hasText: /too late/ }).waitFor();
  await shot(page, 'cancel-refused-desktop');
  await ctx.close();
});

await test('the whole booking works with the keyboard alone', async () => {
  const who = await newPatient();
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto('/login');
  await page.keyboard.press('Tab'); // skip link
  const focusOn = async (pred, max = 60) => {
    for (let i = 0; i < max; i += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(pred)) return;
    }
    throw new Error(`focus never reached ${pred}`);
  };
  await focusOn(() => document.activeElement?.getAttribute('type') === 'email');
  await page.keyboard.type(who.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(who.password);
  await page.keyboard.press('Enter');
  await page.waitForURL('**/appointments');
  await page.goto(`/doctors/${doctor.id}`);
  await page.getByRole('heading', { level: 1, name: doctor.name }).waitFor();
  await page.locator('[role=grid]').waitFor();
  // The grid renders before the availability arrives (every day struck
  // through): walking it then would pass the free days by.
  await page
    .locator('[role=gridcell] [role=button]:not([data-unavailable]):not([data-disabled]):not([data-outside-month])')
    .first()
    .waitFor();
  await focusOn(() => !!document.activeElement?.closest('[role=grid]'));
  for (let i = 0; i < 62; i += 1) {
    const free = await page.evaluate(() => {
      const el = document.activeElement;
      return !!el && !el.hasAttribute('data-unavailable') && !el.hasAttribute('data-disabled');
    });
    if (free) break;
    await page.keyboard.press('ArrowRight');
  }
  await page.keyboard.press('Enter');
  await focusOn(() => /^Book .* with /.test(document.activeElement?.getAttribute('aria-label') ?? ''));
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').waitFor();
  await focusOn(() => document.activeElement?.tagName === 'TEXTAREA', 5);
  await page.keyboard.type('Keyboard only');
  await focusOn(() => document.activeElement?.textContent === 'Book', 3);
  await page.keyboard.press('Enter');
  await page.getByText('Appointment requested').waitFor();
  await ctx.close();
});

/** Every patient screen, reachable by one signed-in patient. */
function patientScreens(appointmentId) {
  return [
    ['home', '/'],
    ['doctors', '/doctors'],
    ['doctor', `/doctors/${doctor.id}`],
    ['appointments', '/appointments'],
    ['appointment', `/appointments/${appointmentId}`],
    ['notifications', '/notifications'],
    ['profile', '/profile'],
    ['not-found', '/no/such/page'],
  ];
}
const publicScreens = [
  ['login', '/login'],
  ['register', '/register'],
  ['forgot-password', '/forgot-password'],
  ['reset-password', '/reset-password?token=x'],
  ['apply', '/apply'],
  ['register-doctor', '/register/doctor?token=x'],
];

async function settle(page) {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.locator('h1').first().waitFor();
}

async function checkScreens(page, screens, label) {
  const problems = [];
  for (const [name, path] of screens) {
    for (const [vp, size] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ]) {
      await page.setViewportSize(size);
      await page.goto(path);
      await settle(page);
      const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      for (const v of axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
        problems.push(`${label} ${name} (${vp}): ${v.id} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (vp === 'phone' && overflow > 0) problems.push(`${label} ${name}: ${overflow}px horizontal scroll at 360 px`);
      await shot(page, `${label}-${name}-${vp}`);
    }
  }
  return problems;
}

await test('axe finds no serious or critical violation and 360 px phones never scroll sideways', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  const problems = await checkScreens(page, publicScreens, 'public');
  const amina = { email: 'amina@example.com', password: 'password123' };
  const s = await api('POST', '/api/v1/auth/login', amina);
  const own = await api('GET', '/api/v1/appointments?per_page=1', undefined, s.access_token);
  assert(own.data.length > 0, 'the demo patient has appointments');
  await login(page, amina);
  problems.push(...(await checkScreens(page, patientScreens(own.data[0].id), 'patient')));
  assert(problems.length === 0, problems.join('\n'));
  await ctx.close();
});

await test('French and Arabic (right-to-left) screens', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto(`/doctors/${doctor.id}`);
  await page.getByLabel('Language').selectOption('fr');
  await page.getByRole('heading', { name: 'Prendre rendez-vous' }).waitFor();
  assert((await page.getAttribute('html', 'lang')) === 'fr', 'lang=fr');
  await shot(page, 'fr-doctor-desktop');
  await page.getByLabel('Langue').selectOption('ar');
  await page.getByRole('heading', { name: 'احجز موعدًا' }).waitFor();
  assert((await page.getAttribute('html', 'dir')) === 'rtl', 'dir=rtl');
  assert((await page.getAttribute('html', 'lang')) === 'ar', 'lang=ar');
  await page.setViewportSize(PHONE);
  await page.goto('/');
  await settle(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 0, `rtl phone scrolls sideways by ${overflow}px`);
  await shot(page, 'ar-home-phone');
  await page.setViewportSize(DESKTOP);
  await page.goto(`/doctors/${doctor.id}`);
  await settle(page);
  await shot(page, 'ar-doctor-desktop');
  await ctx.close();
});

await test('offline: the shell and the last-seen appointments load with the network off', async () => {
  const who = await newPatient();
  const s = await api('POST', '/api/v1/auth/login', { email: who.email, password: who.password });
  const day = await api('GET', `/api/v1/availability?doctor_id=${doctor.id}&from=${today()}&to=${inDays(30)}`);
  const free = day.find((x) => new Date(x.start_at).getTime() > Date.now() + 3 * 3600_000);
  assert(free, 'a free slot to book');
  await api(
    'POST',
    '/api/v1/appointments',
    { doctor_id: doctor.id, schedule_id: free.schedule_id, date: free.date, reason: 'Offline check' },
    s.access_token,
  );
  const ctx = await context({ viewport: PHONE });
  const page = await ctx.newPage();
  await login(page, who);
  await page.goto('/appointments');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // At once, while the page's own session refresh may still be in flight:
  // auth answers the same refresh token again within its replay window.
  await page.reload();
  await page.locator('#upcoming ~ ul li').first().waitFor();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await page.waitForTimeout(1000);
  await ctx.setOffline(true);
  await page.reload();
  await page.getByText('You are offline').waitFor();
  await page.locator('#upcoming ~ ul li').first().waitFor();
  await shot(page, 'offline-appointments-phone');
  await ctx.setOffline(false);
  await ctx.close();
});

await test('the API docs page works without internet (bundled Swagger UI)', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  const foreign = [];
  await page.route('**/*', (r) =>
    r.request().url().startsWith(platform.url) ? r.continue() : (foreign.push(r.request().url()), r.abort()),
  );
  await page.goto('/api/docs');
  await page.locator('.swagger-ui .title').filter({ hasText: 'QuickCare API' }).waitFor();
  await page.locator('.opblock-tag').first().waitFor();
  assert(foreign.length === 0, `requests leaving the platform: ${foreign.join(', ')}`);
  await shot(page, 'api-docs-desktop');
  await ctx.close();
});

await staffTests({ test, context, login, shot, api, assert, checkScreens, newDoctor, newPatient, platform, PHONE });

function today() {
  return new Date().toISOString().slice(0, 10);
}
function inDays(n) {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
}

await browser.close();
platform.stop();
const failed = results.filter((r) => !r.ok);
console.log(
  `\ne2e: ${results.length - failed.length} passed, ${failed.length} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(failed.length ? 1 : 0);
