// The doctor's calendar as data: which days a view shows, and each day's
// appointments by the API's `date` (the day on the doctor's clock, not the
// browser's), so that a visit at 00:30 in Casablanca sits on its own day
// whatever zone the laptop is in.
import type { Appointment } from '../../api/types';
import { addDays } from '../../lib/time';

export type View = 'day' | 'week';

export function isView(v: string | null): v is View {
  return v === 'day' || v === 'week';
}

/** `YYYY-MM-DD` when it is a real calendar date, else null. */
export function validDay(d: string | null): string | null {
  if (!d || !/^\d{4}-\d{2}-\d{2}$/.test(d)) return null;
  const parsed = new Date(`${d}T12:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === d ? d : null;
}

/** The Monday of the (ISO) week holding `day`. */
export function weekStart(day: string): string {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** The days on screen: the day itself, or its week from Monday to Sunday. */
export function visibleDays(day: string, view: View): string[] {
  if (view === 'day') return [day];
  const first = weekStart(day);
  return Array.from({ length: 7 }, (_, i) => addDays(first, i));
}

/** Where the previous / next button leads. */
export function step(day: string, view: View, direction: 1 | -1): string {
  return addDays(day, direction * (view === 'day' ? 1 : 7));
}

/** Each shown day's appointments in start order, by their date on the doctor's clock. */
export function byDay(appointments: Appointment[], days: string[]): Map<string, Appointment[]> {
  const out = new Map<string, Appointment[]>(days.map((d) => [d, []]));
  for (const a of [...appointments].sort((x, y) => x.start_at.localeCompare(y.start_at))) {
    out.get(a.date)?.push(a);
  }
  return out;
}

/** What the doctor may do next with an appointment (api.md's transitions). */
export function actionsFor(a: Appointment, now = Date.now()): Action[] {
  const actions: Action[] = [];
  if (a.status === 'pending') actions.push('approve', 'cancel');
  if (a.status === 'approved') {
    actions.push('complete');
    if (new Date(a.start_at).getTime() <= now) actions.push('noShow');
    if (!a.check_in_time) actions.push('checkIn');
    else if (!a.check_out_time) actions.push('checkOut');
    actions.push('cancel');
  }
  return actions;
}

export type Action = 'approve' | 'cancel' | 'complete' | 'noShow' | 'checkIn' | 'checkOut';
