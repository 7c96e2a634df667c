import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DoctorPage } from '../../areas/public/DoctorPage';
import { installFakeApi, json, problem, type FakeApi } from '../../test/fakeApi';
import { renderRoutes } from '../../test/render';

const doctor = {
  id: 7,
  user_id: 70,
  name: 'Dr Amal Idrissi',
  specialty: { id: 1, name: 'Cardiology' },
  degree: 'MD',
  city: 'Rabat',
  avg_rating: 4.5,
  rating_count: 2,
  img_url: null,
  bio: null,
  languages: ['fr'],
  status: 'active',
  timezone: 'UTC',
};

/** A free slot tomorrow at 10:00 UTC. */
function tomorrow(): { date: string; start_at: string } {
  const d = new Date(Date.now() + 86_400_000);
  const date = d.toISOString().slice(0, 10);
  return { date, start_at: `${date}T10:00:00Z` };
}

function arrange(api: FakeApi) {
  const t = tomorrow();
  api.on('GET', '/api/v1/doctors/7', () => json(doctor));
  // Like the API: a booked slot is no longer free.
  const booked = () => api.calls.some((c) => c.method === 'POST' && c.path === '/api/v1/appointments');
  api.on('GET', '/api/v1/availability', () =>
    json(
      booked()
        ? []
        : [{ doctor_id: 7, schedule_id: 3, date: t.date, start: '10:00', end: '10:30', start_at: t.start_at, end_at: t.start_at }],
    ),
  );
  api.on('GET', '/api/v1/ratings/summary', () => json({ doctor_id: 7, average: 4.5, count: 2, distribution: { '4': 1, '5': 1 } }));
  api.on('GET', '/api/v1/ratings', () => json({ data: [], page: 1, per_page: 10, total: 0 }));
  api.on('GET', '/api/v1/patients/me/preferences', () => json({ language: 'en', timezone: 'UTC' }));
  return t;
}

/** The one day of the calendar with free slots (in this month or the next). */
async function freeDay(date: string): Promise<HTMLElement> {
  const find = () =>
    document.querySelector<HTMLElement>('[role=gridcell] [role=button]:not([data-unavailable]):not([data-disabled]):not([data-outside-month])');
  await screen.findByRole('grid');
  if (date.slice(0, 7) !== new Date().toISOString().slice(0, 7)) {
    await userEvent.click(screen.getByRole('button', { name: 'Next month' }));
  }
  await waitFor(() => expect(find()).not.toBeNull());
  return find() as HTMLElement;
}

const routes = [
  { path: '/doctors/:id', element: <DoctorPage /> },
  { path: '/login', element: <p>login screen</p> },
  { path: '/appointments/:id', element: <p>appointment screen</p> },
];

describe('booking from the doctor page', () => {
  let api: FakeApi;
  beforeEach(() => {
    api = installFakeApi();
    localStorage.clear();
    vi.stubGlobal('crypto', { ...crypto, randomUUID: () => 'key-1' });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('sends a visitor to login and back to the chosen slot', async () => {
    const t = arrange(api);
    const { router } = renderRoutes(routes, '/doctors/7');
    await userEvent.click(await freeDay(t.date));
    const slot = await screen.findByRole('button', { name: /^Book .* at 10:00 AM with Dr Amal Idrissi$/ });
    await userEvent.click(slot);
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    const next = new URLSearchParams(router.state.location.search).get('next');
    expect(next).toBe(`/doctors/7?slot=3:${t.date}`);
  });

  it('books the slot with a reason, showing problem+json errors next to the field', async () => {
    const t = arrange(api);
    localStorage.setItem('qc.user', JSON.stringify({ id: 5, name: 'Nadia', role: 'patient' }));
    api.on('POST', '/api/v1/auth/refresh', () =>
      json({ user: { id: 5, name: 'Nadia', email: 'n@x', role: 'patient' }, access_token: 'tok', token_type: 'Bearer', expires_in: 900 }),
    );
    let attempts = 0;
    api.on('POST', '/api/v1/appointments', ({ body }) => {
      attempts += 1;
      if (attempts === 1) return problem(422, 'some fields are invalid', { reason: ['is required (at most 255 characters)'] });
      if (attempts === 2) return problem(409, 'slot taken');
      expect(body).toEqual({ doctor_id: 7, schedule_id: 3, date: t.date, reason: 'Chest pain' });
      return json({ id: 41, status: 'pending', doctor_id: 7, schedule_id: 3, date: t.date, start_at: t.start_at, end_at: t.start_at, reason: 'Chest pain' }, 201);
    });
    renderRoutes(routes, `/doctors/7?slot=3:${t.date}`);
    const dialog = await screen.findByRole('dialog');
    const reason = screen.getByLabelText('Reason for the visit');
    // The client check first: an empty reason never reaches the API.
    await userEvent.click(screen.getByRole('button', { name: 'Book' }));
    expect(await screen.findByText('This field is required.')).toBeInTheDocument();
    expect(attempts).toBe(0);
    await userEvent.type(reason, 'Chest pain');
    await userEvent.click(screen.getByRole('button', { name: 'Book' }));
    expect(await screen.findByText('is required (at most 255 characters)')).toBeInTheDocument();
    expect(reason).toHaveAttribute('aria-invalid', 'true');
    expect(reason.getAttribute('aria-describedby')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Book' }));
    expect(await screen.findByText(/Someone just took this slot/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Book' }));
    expect(await screen.findByText('Appointment requested')).toBeInTheDocument();
    // The confirmation stays while the free list refreshes without the slot.
    await waitFor(() => expect(api.calls.filter((c) => c.path === '/api/v1/availability').length).toBeGreaterThan(1));
    expect(dialog).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See my appointment' })).toHaveAttribute('href', '/appointments/41');
    const booking = api.calls.find((c) => c.method === 'POST' && c.path === '/api/v1/appointments');
    expect(booking?.headers.get('authorization')).toBe('Bearer tok');
    expect(booking?.headers.get('idempotency-key')).toBe('key-1');
  });
});
