import type { Appointment } from '../../api/types';

export const ACTIVE = ['pending', 'approved'] as const;

export function isActive(a: Appointment): boolean {
  return (ACTIVE as readonly string[]).includes(a.status);
}

export function isUpcoming(a: Appointment, now = Date.now()): boolean {
  return isActive(a) && new Date(a.end_at).getTime() > now;
}

/** The API lets a patient rate after a completed visit, or an approved one that is over. */
export function canRate(a: Appointment, now = Date.now()): boolean {
  return a.status === 'completed' || (a.status === 'approved' && new Date(a.end_at).getTime() <= now);
}

/** When patients stop being able to cancel or reschedule. */
export function cutOff(a: Appointment, deadlineMinutes: number): Date {
  return new Date(new Date(a.start_at).getTime() - deadlineMinutes * 60_000);
}

const tones: Record<string, string> = {
  pending: 'bg-amber-100 text-amber-950',
  approved: 'bg-emerald-100 text-emerald-950',
  completed: 'bg-sky-100 text-sky-950',
  cancelled: 'bg-slate-200 text-slate-900',
  no_show: 'bg-red-100 text-red-950',
  expired: 'bg-slate-200 text-slate-900',
};

export function statusTone(s: string): string {
  return tones[s] ?? tones.cancelled;
}
