// An appointment's time as the doctor's schedule states it ("09:00" on the
// practice's clock), rather than re-derived from the UTC instant with the
// browser's zone data: those differ between browsers (Debian's Chromium
// puts Casablanca at UTC+0 in December 2026, the API at UTC+1).
import type { Appointment, Schedule } from '../../api/types';
import { formatTime } from '../../lib/time';

/** Schedule id → its wall-clock start and end. */
export type WallClock = ReadonlyMap<number, { start: string; end: string }>;

export function wallClockOf(schedules: Schedule[]): WallClock {
  return new Map(schedules.map((s) => [s.id, { start: s.start, end: s.end }]));
}

/** "14:30" in the reader's style ("2:30 PM", "14:30"). */
export function formatHhmm(hhmm: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(
    new Date(`1970-01-01T${hhmm}:00Z`),
  );
}

/** "09:00 AM–09:30 AM": from the schedule when it still exists, else from the instants in `zone`. */
export function timesOf(a: Appointment, clock: WallClock, zone: string, locale: string): string {
  const slot = clock.get(a.schedule_id);
  if (slot) return `${formatHhmm(slot.start, locale)}–${formatHhmm(slot.end, locale)}`;
  return `${formatTime(a.start_at, zone, locale)}–${formatTime(a.end_at, zone, locale)}`;
}
