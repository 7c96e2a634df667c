// A month of free slots: days without a free slot are unavailable, the
// chosen day's slots are buttons in the viewer's zone, with the doctor's
// wall clock beside them when the zones differ. Each button is announced
// with date, time and doctor.
import { CalendarDate, parseDate } from '@internationalized/date';
import { useMemo, useState } from 'react';
import {
  Button as AriaButton,
  Calendar,
  CalendarCell,
  CalendarGrid,
  CalendarGridBody,
  CalendarGridHeader,
  CalendarHeaderCell,
  Heading,
  I18nProvider,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { FreeSlot } from '../../api/types';
import { dayIn, formatDate, formatTime, zoneLabel, zonesDiffer } from '../../lib/time';

export interface SlotCalendarProps {
  slots: FreeSlot[];
  doctorName: string;
  doctorZone: string;
  viewerZone: string;
  /** The month on screen (its first day), controlled by the parent that fetches it. */
  month: CalendarDate;
  onMonthChange: (firstOfMonth: CalendarDate) => void;
  day: CalendarDate | null;
  onDayChange: (day: CalendarDate) => void;
  onPick: (slot: FreeSlot) => void;
  minDate: CalendarDate;
}

export function slotsByDay(slots: FreeSlot[], zone: string): Map<string, FreeSlot[]> {
  const days = new Map<string, FreeSlot[]>();
  for (const s of [...slots].sort((a, b) => a.start_at.localeCompare(b.start_at))) {
    const key = dayIn(s.start_at, zone);
    days.set(key, [...(days.get(key) ?? []), s]);
  }
  return days;
}

function sameMonth(a: CalendarDate, b: CalendarDate): boolean {
  return a.year === b.year && a.month === b.month;
}

export function SlotCalendar(props: SlotCalendarProps) {
  const { t, i18n } = useTranslation();
  const { slots, viewerZone, doctorZone, doctorName, day } = props;
  const byDay = useMemo(() => slotsByDay(slots, viewerZone), [slots, viewerZone]);
  const differ = zonesDiffer(viewerZone, doctorZone);
  const chosen = day ? (byDay.get(day.toString()) ?? []) : [];
  // The focused day is the calendar's own: the parent only hears of month
  // changes. (Controlled by the month's first day, every arrow key snapped
  // focus back to the 1st, so keyboard users could not reach a later day.)
  const [focused, setFocused] = useState<CalendarDate>(props.month);
  const shown = sameMonth(focused, props.month) ? focused : props.month;
  const onFocusChange = (d: CalendarDate) => {
    setFocused(d);
    if (!sameMonth(d, props.month)) props.onMonthChange(d.set({ day: 1 }));
  };

  return (
    <I18nProvider locale={i18n.language}>
    <div className="grid gap-4 md:grid-cols-[auto_1fr]">
      <Calendar
        aria-label={t('booking.calendar', { doctor: doctorName })}
        value={day}
        onChange={props.onDayChange}
        focusedValue={shown}
        onFocusChange={onFocusChange}
        minValue={props.minDate}
        isDateUnavailable={(d) => !byDay.has(d.toString())}
        className="w-fit max-w-full rounded-xl border border-slate-200 bg-white p-3"
      >
        <header className="mb-2 flex items-center justify-between gap-2">
          <AriaButton slot="previous" className="rounded-md px-3 py-1 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-teal-700" aria-label={t('booking.previousMonth')}>
            <span aria-hidden="true" className="inline-block rtl:rotate-180">‹</span>
          </AriaButton>
          <Heading className="text-base font-semibold" />
          <AriaButton slot="next" className="rounded-md px-3 py-1 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-teal-700" aria-label={t('booking.nextMonth')}>
            <span aria-hidden="true" className="inline-block rtl:rotate-180">›</span>
          </AriaButton>
        </header>
        <CalendarGrid className="border-separate border-spacing-1">
          <CalendarGridHeader>
            {(d) => <CalendarHeaderCell className="text-xs font-medium text-slate-700">{d}</CalendarHeaderCell>}
          </CalendarGridHeader>
          <CalendarGridBody>
            {(date) => (
              <CalendarCell
                date={date}
                className={({ isSelected, isUnavailable, isDisabled, isOutsideMonth, isFocusVisible }) =>
                  [
                    'flex h-8 w-8 sm:h-9 sm:w-9 items-center justify-center rounded-full text-sm outline-none',
                    isOutsideMonth ? 'invisible' : '',
                    isSelected ? 'bg-teal-700 font-semibold text-white' : '',
                    !isSelected && !isUnavailable && !isDisabled ? 'bg-teal-50 font-semibold text-teal-950 hover:bg-teal-100' : '',
                    isUnavailable || isDisabled ? 'text-slate-500 line-through' : '',
                    isFocusVisible ? 'ring-2 ring-teal-700 ring-offset-1' : '',
                  ].join(' ')
                }
              />
            )}
          </CalendarGridBody>
        </CalendarGrid>
      </Calendar>
      <section aria-live="polite" aria-label={t('booking.slotsOfDay')}>
        <p className="mb-2 text-sm text-slate-700">
          {differ
            ? t('booking.zonesDiffer', { viewer: zoneLabel(viewerZone), doctor: zoneLabel(doctorZone) })
            : t('booking.zoneSame', { zone: zoneLabel(viewerZone) })}
        </p>
        {!day && <p>{byDay.size > 0 ? t('booking.pickDay') : t('booking.noSlotsMonth')}</p>}
        {day && chosen.length === 0 && <p>{t('booking.noSlotsDay')}</p>}
        {day && chosen.length > 0 && (
          <>
            <h3 className="mb-2 font-semibold">{formatDate(chosen[0].start_at, viewerZone, i18n.language)}</h3>
            <ul className="flex flex-wrap gap-2">
              {chosen.map((s) => {
                const time = formatTime(s.start_at, viewerZone, i18n.language);
                const label = t('booking.slotLabel', {
                  date: formatDate(s.start_at, viewerZone, i18n.language),
                  time,
                  doctor: doctorName,
                });
                return (
                  <li key={`${s.schedule_id}-${s.date}`}>
                    <button
                      type="button"
                      aria-label={differ ? `${label} (${t('booking.doctorTime', { time: formatTime(s.start_at, doctorZone, i18n.language), zone: zoneLabel(doctorZone) })})` : label}
                      onClick={() => props.onPick(s)}
                      className="flex min-h-10 flex-col items-center rounded-lg border border-teal-700 bg-white px-3 py-1 text-teal-950 hover:bg-teal-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-700"
                    >
                      <span className="font-semibold">{time}</span>
                      {differ && (
                        <span className="text-xs text-slate-700">
                          {t('booking.doctorTime', { time: formatTime(s.start_at, doctorZone, i18n.language), zone: zoneLabel(doctorZone) })}
                        </span>
                      )}
                    </button>
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </section>
    </div>
    </I18nProvider>
  );
}

export function toCalendarDate(day: string): CalendarDate {
  return parseDate(day);
}
