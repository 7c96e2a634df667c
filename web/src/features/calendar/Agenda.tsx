// The day or week on screen: one column per day (stacked on phones), each
// appointment a button that opens its panel. Pending requests stand out
// (amber edge and badge) because they wait for the doctor.
import { useTranslation } from 'react-i18next';
import type { Appointment } from '../../api/types';
import { StatusBadge } from '../appointments/StatusBadge';
import { byDay } from './agenda';
import { timesOf, type WallClock } from './wallClock';

export interface AgendaProps {
  days: string[];
  appointments: Appointment[];
  /** The doctor's zone: the clock the whole calendar is drawn on. */
  zone: string;
  /** The schedule's own times, by schedule id. */
  clock: WallClock;
  /** Patient names by patient id, when known. */
  names: ReadonlyMap<number, string>;
  today: string;
  onOpen: (a: Appointment) => void;
}

function dayHeading(day: string, locale: string, long: boolean): string {
  // Noon UTC names the same calendar day in every zone.
  return new Intl.DateTimeFormat(locale, {
    weekday: long ? 'long' : 'short',
    day: 'numeric',
    month: long ? 'long' : 'short',
    timeZone: 'UTC',
  }).format(new Date(`${day}T12:00:00Z`));
}

export function Agenda({ days, appointments, zone, clock, names, today, onOpen }: AgendaProps) {
  const { t, i18n } = useTranslation();
  const grouped = byDay(appointments, days);
  const week = days.length > 1;
  return (
    <ol className={week ? 'grid gap-3 md:grid-cols-7' : 'grid gap-3'} aria-label={t('calendar.days')}>
      {days.map((day) => {
        const list = grouped.get(day) ?? [];
        const heading = dayHeading(day, i18n.language, !week);
        return (
          <li key={day} className="min-w-0">
            <section
              aria-label={heading}
              className={`h-full rounded-xl border bg-white p-2 ${day === today ? 'border-teal-700' : 'border-slate-200'}`}
            >
              <h2 className="mb-2 text-sm font-semibold text-slate-900">
                {heading}
                {day === today && <span className="ms-1 text-teal-800">· {t('calendar.today')}</span>}
              </h2>
              {list.length === 0 ? (
                <p className="text-xs text-slate-700">{t('calendar.free')}</p>
              ) : (
                <ul className="space-y-2">
                  {list.map((a) => {
                    const time = timesOf(a, clock, zone, i18n.language);
                    const who = names.get(a.patient_id) ?? t('calendar.patientNo', { id: a.patient_id });
                    const pending = a.status === 'pending';
                    return (
                      <li key={a.id}>
                        <button
                          type="button"
                          data-testid="agenda-item"
                          data-status={a.status}
                          onClick={() => onOpen(a)}
                          aria-label={t('calendar.itemLabel', { time, patient: who, status: t(`status.${a.status}`) })}
                          className={`block w-full rounded-lg border p-2 text-start text-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-700 ${
                            pending ? 'border-s-4 border-amber-600 bg-amber-50' : 'border-slate-200'
                          }`}
                        >
                          <span className="block font-semibold" dir="ltr">
                            {time}
                          </span>
                          <span className="block truncate">{who}</span>
                          <StatusBadge status={a.status} />
                        </button>
                      </li>
                    );
                  })}
                </ul>
              )}
            </section>
          </li>
        );
      })}
    </ol>
  );
}
