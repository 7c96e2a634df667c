// What patients will see: the free slots of the coming seven days, as the
// public availability endpoint computes them (bookings and past times out).
// Each slot is shown by the API's own date and wall-clock start on the
// doctor's clock, not re-derived from the instant: browsers' zone data
// differ (Debian's Chromium puts Casablanca at UTC+0 in December 2026).
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { q } from '../../api/queries';
import type { FreeSlot } from '../../api/types';
import { addDays, todayIn } from '../../lib/time';
import { QueryState } from '../../ui';

export function WeekPreview({ doctorId, zone }: { doctorId: number; zone: string }) {
  const { t, i18n } = useTranslation();
  const from = todayIn(zone);
  const days = Array.from({ length: 7 }, (_, i) => addDays(from, i));
  const free = useQuery(q.availability(doctorId, from, days[6]));
  return (
    <QueryState query={free}>
      {(slots) => {
        const byDay = new Map<string, FreeSlot[]>();
        for (const s of slots) byDay.set(s.date, [...(byDay.get(s.date) ?? []), s]);
        return (
          <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-7" data-testid="week-preview">
            {days.map((d) => {
              const list = byDay.get(d) ?? [];
              return (
                <li key={d} className="rounded-lg border border-slate-200 p-2">
                  <h3 className="text-sm font-semibold">
                    {new Intl.DateTimeFormat(i18n.language, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
                      new Date(`${d}T12:00:00Z`),
                    )}
                  </h3>
                  {list.length === 0 ? (
                    <p className="text-xs text-slate-700">{t('schedule.previewNone')}</p>
                  ) : (
                    <ul className="flex flex-wrap gap-1">
                      {[...list]
                        .sort((a, b) => a.start.localeCompare(b.start))
                        .map((s) => (
                          <li key={`${s.schedule_id}-${s.date}`} dir="ltr" className="rounded bg-teal-50 px-1 text-xs text-teal-950">
                            {s.start}
                          </li>
                        ))}
                    </ul>
                  )}
                </li>
              );
            })}
          </ul>
        );
      }}
    </QueryState>
  );
}
