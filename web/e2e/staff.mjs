// End-to-end tests of the doctor and admin screens, run by run.mjs with its
// helpers (the same browser, platform and screenshot numbering).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ADMIN = { email: 'admin@example.com', password: 'admin2025' };

/** `YYYY-MM-DD` of `at` on the clock of `zone`. */
function dayIn(at, zone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export async function staffTests(h) {
  const { test, context, login, shot, api, assert, checkScreens, newDoctor, newPatient, platform, PHONE } = h;
  const adminToken = async () => (await api('POST', '/api/v1/auth/login', ADMIN)).access_token;

  /** A fresh doctor with a one-off 10:00 slot `days` ahead, booked by a fresh patient. */
  async function bookedVisit(days, reason) {
    const dr = await newDoctor();
    const date = dayIn(new Date(Date.now() + days * 86_400_000), dr.doctor.timezone);
    const slot = await api('POST', '/api/v1/schedules', { specific_date: date, start: '10:00' }, dr.token);
    const who = await newPatient();
    const s = await api('POST', '/api/v1/auth/login', { email: who.email, password: who.password });
    const appt = await api(
      'POST',
      '/api/v1/appointments',
      { doctor_id: dr.doctor.id, schedule_id: slot.id, date, reason },
      s.access_token,
    );
    return { dr, date, slot, who, patientToken: s.access_token, appt };
  }

  let visit = null;
  await test('a doctor approves a pending request from the calendar, the open patient page shows it live, and a new booking appears live', async () => {
    visit = await bookedVisit(2, 'Calendar approval');
    const patientCtx = await context();
    const patientPage = await patientCtx.newPage();
    await login(patientPage, visit.who);
    await patientPage.goto(`/appointments/${visit.appt.id}`);
    await patientPage.getByTestId('status').filter({ hasText: 'Pending' }).waitFor();
    await patientPage.waitForTimeout(500); // the stream connects

    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, visit.dr);
    await page.goto(`/doctor?date=${visit.date}&view=week`);
    const item = page.locator('[data-testid=agenda-item][data-status=pending]');
    await item.first().waitFor();
    assert((await item.count()) === 1, 'one pending request in the week');
    await page.getByText('1 request waits for your approval.').waitFor();
    await shot(page, 'doctor-calendar-week-desktop');
    await item.first().click();
    const panel = page.getByRole('dialog');
    await panel.getByText('Calendar approval').waitFor();
    await panel.getByText(/10:00 AM–10:30 AM/).waitFor(); // the slot's time on the practice's clock
    await panel.getByRole('link', { name: 'Record and medical history' }).waitFor();
    await shot(page, 'doctor-appointment-panel-desktop');
    await panel.getByRole('button', { name: 'Approve' }).click();
    await panel.getByTestId('status').filter({ hasText: 'Confirmed' }).waitFor();
    await panel.getByRole('button', { name: 'Check in (home visit)' }).waitFor();
    await patientPage.getByTestId('status').filter({ hasText: 'Confirmed' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=agenda-item][data-status=approved]').waitFor();

    // Live: another patient books while the calendar is open.
    const later = await api('POST', '/api/v1/schedules', { specific_date: visit.date, start: '11:00' }, visit.dr.token);
    const other = await newPatient();
    const s = await api('POST', '/api/v1/auth/login', { email: other.email, password: other.password });
    await api(
      'POST',
      '/api/v1/appointments',
      { doctor_id: visit.dr.doctor.id, schedule_id: later.id, date: visit.date, reason: 'Booked while open' },
      s.access_token,
    );
    await page.locator('[data-testid=agenda-item][data-status=pending]').waitFor({ timeout: 20_000 });
    await ctx.close();
    await patientCtx.close();
  });

  await test('a doctor adds a slot, patients see it in availability, and an overlap is refused in place', async () => {
    const dr = await newDoctor();
    const date = dayIn(new Date(Date.now() + 3 * 86_400_000), dr.doctor.timezone);
    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, dr);
    await page.goto('/doctor/schedule');
    const form = page.getByRole('form', { name: 'Add a slot' });
    const add = async () => {
      await form.getByLabel('Once').check();
      await form.getByLabel('Date').fill(date);
      await form.getByLabel('Start').fill('11:00');
      await form.getByRole('button', { name: 'Add the slot' }).click();
    };
    await add();
    await form.getByText('Slot added.').waitFor();
    const free = await api('GET', `/api/v1/availability?doctor_id=${dr.doctor.id}&date=${date}`);
    assert(free.some((s) => s.start === '11:00'), `11:00 on ${date} is free: ${JSON.stringify(free)}`);
    await page.getByTestId('week-preview').getByText(/11:00/).waitFor();
    await page.getByTestId('slot-row').first().waitFor();
    await add();
    await form.getByRole('alert').filter({ hasText: 'overlaps' }).waitFor();
    await shot(page, 'doctor-schedule-desktop');
    await ctx.close();
  });

  await test("the admin approves an application and the applicant's mail carries a working registration link", async () => {
    const email = `applicant-${Date.now()}@example.com`;
    const body = new FormData();
    body.set('name', 'Dr Applicant');
    body.set('email', email);
    body.set('details', 'Cardiologist, ten years in Rabat.');
    body.set('cv', new Blob(['%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'], { type: 'application/pdf' }), 'cv.pdf');
    const res = await fetch(`${platform.url}/api/v1/doctor-applications`, { method: 'POST', body });
    assert(res.status === 201, `application: ${res.status} ${await res.text()}`);

    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, ADMIN);
    await page.goto('/admin/applications');
    const card = page.getByTestId('application').filter({ hasText: email });
    await card.waitFor();
    await shot(page, 'admin-applications-desktop');
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Dr Applicant approved: a registration link valid 24 hours is mailed.').waitFor();
    await card.waitFor({ state: 'detached' });

    let link = null;
    for (let i = 0; i < 60 && !link; i += 1) {
      const dir = join(platform.dataDir, 'mailbox');
      let files = [];
      try {
        files = readdirSync(dir).filter((f) => f.endsWith('.json'));
      } catch {
        // no mail yet
      }
      for (const f of files) {
        const mail = JSON.parse(readFileSync(join(dir, f), 'utf8'));
        const m = mail.to.includes(email) && mail.text.match(/https?:\/\/\S+\/register\/doctor\?token=[\w.-]+/);
        if (m) link = m[0];
      }
      if (!link) await page.waitForTimeout(500);
    }
    assert(link, 'a mail with the registration link');
    assert(link.startsWith(platform.url), `the link points at the platform: ${link}`);

    const applicant = await context();
    const reg = await applicant.newPage();
    await reg.goto(link);
    await reg.getByRole('heading', { name: 'Create your doctor account' }).waitFor();
    await reg.getByLabel('Full name').fill('Dr Applicant');
    await reg.getByLabel('Email').fill(email);
    await reg.getByLabel('Password').fill('applicant password');
    await reg.getByLabel('Gender').selectOption('female');
    await reg.getByLabel('Phone').fill('0611223366');
    await reg.getByLabel('Date of birth').fill('1982-06-07');
    await reg.getByLabel('Street').fill('3 Rue des Tests');
    await reg.getByLabel('City').fill('Rabat');
    await reg.getByLabel('Degree').fill('MD');
    await reg.getByLabel('Specialty').selectOption({ index: 1 });
    await reg.getByRole('button', { name: 'Create the account' }).click();
    await reg.waitForURL('**/doctor');
    await reg.getByRole('heading', { name: 'My calendar' }).waitFor();
    await applicant.close();
    await ctx.close();
  });

  await test('a review with a blocked word is held, and the admin publishes it', async () => {
    const v = await bookedVisit(1, 'Review');
    await api('POST', `/api/v1/appointments/${v.appt.id}/approve`, {}, v.dr.token);
    await api('POST', `/api/v1/appointments/${v.appt.id}/complete`, { doctor_comment: 'Fine' }, v.dr.token);
    const comment = `Waited an hour, stupid queue ${Date.now()}`;
    const rating = await api('POST', '/api/v1/ratings', { doctor_id: v.dr.doctor.id, rating: 2, comment }, v.patientToken);
    const before = await api('GET', `/api/v1/ratings?doctor_id=${v.dr.doctor.id}`);
    assert(!before.data.some((r) => r.id === rating.id), 'a held rating is not public');

    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, ADMIN);
    await page.goto('/admin/moderation');
    const card = page.getByTestId('held-rating').filter({ hasText: comment });
    await card.waitFor();
    await card.getByText('Held because').waitFor();
    await shot(page, 'admin-moderation-desktop');
    await card.getByRole('button', { name: 'Publish' }).click();
    await card.waitFor({ state: 'detached' });
    const after = await api('GET', `/api/v1/ratings?doctor_id=${v.dr.doctor.id}`);
    assert(after.data.some((r) => r.id === rating.id), 'the published rating is public');
    await ctx.close();
  });

  await test("the dashboard's figures equal the API's counts", async () => {
    const token = await adminToken();
    const total = async (path) => (await api('GET', `${path}${path.includes('?') ? '&' : '?'}per_page=1`, undefined, token)).total;
    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, ADMIN);
    await page.goto('/admin');
    await page.getByRole('figure', { name: /Appointments by status/ }).waitFor();
    // The aggregate endpoints agree with the lists' totals…
    const stats = async (path) => api('GET', path, undefined, token);
    const ratings = await stats('/api/v1/ratings/stats');
    const doctors = await stats('/api/v1/doctors/stats');
    const patients = await stats('/api/v1/patients/stats');
    const appointments = await stats('/api/v1/appointments/stats');
    const same = (got, want, what) => assert(got === want, `${what}: the stats say ${got}, the API counts ${want}`);
    same(ratings.held + ratings.reported, await total('/api/v1/ratings/moderation'), 'held + reported ratings');
    same(patients.total, await total('/api/v1/patients'), 'patients');
    same(appointments.total, await total('/api/v1/appointments'), 'appointments');
    for (const s of ['pending', 'cancelled', 'completed']) {
      same(appointments.by_status[s], await total(`/api/v1/appointments?status=${s}`), `${s} appointments`);
    }
    const g = patients.by_gender;
    same(g.female + g.male + g.unknown, patients.total, 'patients by gender');
    // …and the dashboard shows them.
    const want = {
      'stat-applications': await total('/api/v1/doctor-applications?status=pending'),
      'stat-held': ratings.held,
      'stat-reported': ratings.reported,
      'stat-failed': await total('/api/v1/notification-deliveries?status=failed'),
      'stat-doctors': doctors.total,
      'stat-patients': patients.total,
      'stat-appointments': appointments.total,
    };
    for (const [id, n] of Object.entries(want)) {
      await page.getByTestId(id).filter({ hasText: new RegExp(`^${n.toLocaleString('en')}$`) }).waitFor();
    }
    for (const name of [/Appointments per month/, /New doctor profiles per month/, /New patient records per month/, /Patients by gender/, /Published ratings per month/]) {
      await page.getByRole('figure', { name }).waitFor();
    }
    await ctx.close();
  });

  await test('the template editor previews as the admin types and shows a parse error on its field', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, ADMIN);
    await page.goto('/admin/templates?key=welcome&locale=en');
    const subject = page.getByLabel('Subject');
    await subject.fill('Hello {{ name }}');
    await page.getByTestId('preview-subject').filter({ hasText: 'Hello Amina El Amrani' }).waitFor();
    await subject.fill('Hello {{ name');
    await page.getByText(/does not parse/).first().waitFor();
    const kept = await api('GET', '/api/v1/notification-templates', undefined, await adminToken());
    assert(kept.some((t) => t.key === 'welcome' && t.locale === 'en' && !t.customized), 'a preview stores nothing');
    await ctx.close();
  });

  await test('the user list shows a disabled account and enables it again', async () => {
    const p = await newPatient();
    const token = await adminToken();
    const found = await api('GET', `/api/v1/admin/users?q=${encodeURIComponent(p.email)}`, undefined, token);
    assert(found.data[0]?.disabled === false, `a new account is enabled: ${JSON.stringify(found.data[0])}`);
    await api('POST', `/api/v1/admin/users/${found.data[0].id}/disable`, {}, token);
    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, ADMIN);
    await page.goto(`/admin/users?q=${encodeURIComponent(p.email)}`);
    const row = page.getByTestId('user-row').filter({ hasText: p.email });
    await row.getByTestId('user-disabled').waitFor();
    await row.getByRole('button', { name: /^Enable/ }).click();
    await row.getByRole('button', { name: /^Disable/ }).waitFor();
    assert((await row.getByTestId('user-disabled').count()) === 0, 'the row no longer says disabled');
    await ctx.close();
  });

  await test('axe finds no serious or critical violation on any staff screen, phones never scroll sideways, Arabic is right-to-left', async () => {
    const v = visit ?? (await bookedVisit(2, 'Screens'));
    const doctorCtx = await context();
    const doctor = await doctorCtx.newPage();
    await login(doctor, v.dr);
    const problems = await checkScreens(
      doctor,
      [
        ['calendar-week', `/doctor?date=${v.date}&view=week`],
        ['calendar-day', `/doctor?date=${v.date}&view=day`],
        ['schedule', '/doctor/schedule'],
        ['patients', '/doctor/patients'],
        ['patient', `/doctor/patients/${v.appt.patient_id}`],
        ['reviews', '/doctor/reviews'],
        ['reports', '/doctor/reports'],
      ],
      'doctor',
    );
    await doctor.setViewportSize(PHONE);
    await doctor.goto(`/doctor?date=${v.date}&view=week`);
    await doctor.getByLabel('Language').selectOption('ar');
    await doctor.getByRole('heading', { level: 1, name: 'مواعيدي' }).waitFor();
    await doctor.locator('[data-testid=agenda-item]').first().waitFor();
    await shot(doctor, 'ar-doctor-calendar-phone');
    await doctorCtx.close();
    const adminCtx = await context();
    const admin = await adminCtx.newPage();
    await login(admin, ADMIN);
    problems.push(
      ...(await checkScreens(
        admin,
        [
          ['dashboard', '/admin'],
          ['applications', '/admin/applications?status='],
          ['moderation', '/admin/moderation'],
          ['doctors', '/admin/doctors'],
          ['patients', '/admin/patients'],
          ['users', '/admin/users'],
          ['specialties', '/admin/specialties'],
          ['deliveries', '/admin/deliveries'],
          ['templates', '/admin/templates'],
          ['reports', '/admin/reports'],
        ],
        'admin',
      )),
    );
    await admin.setViewportSize(PHONE);
    await admin.goto('/admin');
    await admin.getByLabel('Language').selectOption('ar');
    await admin.getByRole('heading', { level: 1, name: 'لوحة القيادة' }).waitFor();
    assert((await admin.getAttribute('html', 'dir')) === 'rtl', 'dir=rtl');
    const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) problems.push(`ar admin dashboard: ${overflow}px horizontal scroll at 360 px`);
    await shot(admin, 'ar-admin-dashboard-phone');
    await admin.goto('/admin/specialties');
    await admin.locator('h1').first().waitFor();
    await shot(admin, 'ar-admin-specialties-phone');
    await admin.getByLabel('اللغة').selectOption('en');
    assert(problems.length === 0, problems.join('\n'));
    await adminCtx.close();
  });
}
