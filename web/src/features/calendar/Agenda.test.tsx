import { render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Appointment } from '../../api/types';
import { Agenda } from './Agenda';
import { actionsFor, step, validDay, visibleDays, weekStart } from './agenda';
import type { WallClock } from './wallClock';

const appt = (
  id: number,
  start_at: string,
  end_at: string,
  status: Appointment['status'] = 'approved',
  date = start_at.slice(0, 10),
): Appointment => ({
  id,
  status,
  patient_id: 40 + id,
  doctor_id: 7,
  schedule_id: 3,
  date,
  start_at,
  end_at,
  reason: 'Check-up',
  doctor_comment: null,
  cancel_reason: null,
  created_at: '2026-01-01T00:00:00Z',
});

function show(days: string[], appointments: Appointment[], zone: string, clock: WallClock = new Map()) {
  const onOpen = vi.fn();
  render(
    <Agenda
      days={days}
      appointments={appointments}
      zone={zone}
      clock={clock}
      names={new Map([[41, 'Amina Benali']])}
      today="2026-03-27"
      onOpen={onOpen}
    />,
  );
  return onOpen;
}

describe('the week', () => {
  it('runs Monday to Sunday whatever the day asked for', () => {
    expect(weekStart('2026-03-29')).toBe('2026-03-23'); // a Sunday
    expect(weekStart('2026-03-23')).toBe('2026-03-23');
    expect(visibleDays('2026-03-25', 'week')).toEqual([
      '2026-03-23', '2026-03-24', '2026-03-25', '2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29',
    ]);
    expect(visibleDays('2026-03-25', 'day')).toEqual(['2026-03-25']);
    expect(step('2026-03-25', 'week', 1)).toBe('2026-04-01');
    expect(step('2026-03-01', 'day', -1)).toBe('2026-02-28');
  });

  it('takes only real dates from the URL', () => {
    expect(validDay('2026-02-28')).toBe('2026-02-28');
    expect(validDay('2026-02-30')).toBeNull();
    expect(validDay('tomorrow')).toBeNull();
    expect(validDay(null)).toBeNull();
  });
});

describe('the doctor calendar', () => {
  it("draws a DST week on the doctor's clock: 09:00 stays 09:00 across the change", () => {
    // Paris moves to UTC+2 on Sunday 29 March 2026.
    const days = visibleDays('2026-03-27', 'week');
    show(
      days,
      [appt(1, '2026-03-28T08:00:00Z', '2026-03-28T08:30:00Z', 'pending'), appt(2, '2026-03-29T07:00:00Z', '2026-03-29T07:30:00Z')],
      'Europe/Paris',
    );
    const saturday = screen.getByRole('region', { name: 'Sat, Mar 28' });
    const sunday = screen.getByRole('region', { name: 'Sun, Mar 29' });
    expect(within(saturday).getByRole('button', { name: '09:00 AM–09:30 AM, Amina Benali, Pending' })).toBeInTheDocument();
    expect(within(sunday).getByRole('button', { name: /^09:00 AM–09:30 AM, Patient #42, Confirmed$/ })).toBeInTheDocument();
    expect(screen.getAllByRole('region')).toHaveLength(days.length);
  });

  it("puts a visit on the doctor's day, not the device's", () => {
    // 00:30 on the 28th in Casablanca (UTC+1 outside Ramadan) is 23:30Z on the 27th; the API dates it the 28th.
    show(
      visibleDays('2026-01-28', 'week'),
      [appt(1, '2026-01-27T23:30:00Z', '2026-01-28T00:00:00Z', 'approved', '2026-01-28')],
      'Africa/Casablanca',
    );
    const onTheDay = screen.getByRole('region', { name: 'Wed, Jan 28' });
    expect(within(onTheDay).getByRole('button', { name: /^12:30 AM–01:00 AM, Amina Benali/ })).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Tue, Jan 27' })).queryByRole('button')).toBeNull();
  });

  it("reads the time off the doctor's schedule when it has it, whatever the browser's zone data say", () => {
    // A browser with stale Casablanca rules would draw 10:00Z as 10:00; the schedule says 11:00.
    const clock: WallClock = new Map([[3, { start: '11:00', end: '11:30' }]]);
    show(visibleDays('2026-12-04', 'day'), [appt(1, '2026-12-04T10:00:00Z', '2026-12-04T10:30:00Z')], 'UTC', clock);
    expect(screen.getByRole('button', { name: /^11:00 AM–11:30 AM, Amina Benali/ })).toBeInTheDocument();
  });

  it('makes pending requests stand out and opens the panel on click', () => {
    const a = appt(1, '2026-03-23T09:00:00Z', '2026-03-23T09:30:00Z', 'pending');
    const onOpen = show(visibleDays('2026-03-23', 'day'), [a, appt(2, '2026-03-23T10:00:00Z', '2026-03-23T10:30:00Z')], 'UTC');
    const [pending, approved] = screen.getAllByTestId('agenda-item');
    expect(pending.className).toContain('border-amber-600');
    expect(approved.className).not.toContain('border-amber-600');
    pending.click();
    expect(onOpen).toHaveBeenCalledWith(a);
  });
});

describe('the next steps', () => {
  const now = Date.parse('2026-03-23T12:00:00Z');
  it('follow the API transitions', () => {
    expect(actionsFor(appt(1, '2026-03-24T09:00:00Z', '', 'pending'), now)).toEqual(['approve', 'cancel']);
    expect(actionsFor(appt(1, '2026-03-24T09:00:00Z', ''), now)).toEqual(['complete', 'checkIn', 'cancel']);
    expect(actionsFor(appt(1, '2026-03-23T09:00:00Z', ''), now)).toEqual(['complete', 'noShow', 'checkIn', 'cancel']);
    expect(actionsFor({ ...appt(1, '2026-03-23T09:00:00Z', ''), check_in_time: '2026-03-23T08:40:00Z' }, now)).toContain('checkOut');
    expect(actionsFor(appt(1, '2026-03-23T09:00:00Z', '', 'completed'), now)).toEqual([]);
  });
});
