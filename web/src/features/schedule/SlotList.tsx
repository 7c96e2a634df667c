// The doctor's slots: weekly ones by weekday, one-off ones by date, each
// with edit and delete. A delete the API refuses (409: active appointments
// use the slot) is explained on that row.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del } from '../../api/client';
import type { Schedule } from '../../api/types';
import { Alert, Button, ProblemAlert } from '../../ui';
import { SlotForm } from './SlotForm';
import { slotProblem } from './slotProblem';
import { WEEKDAYS, weekdayName } from './weekdays';

function sortSlots(slots: Schedule[]): Schedule[] {
  const rank = (s: Schedule) =>
    s.day ? `0${WEEKDAYS.indexOf(s.day as (typeof WEEKDAYS)[number])}${s.start}` : `1${s.specific_date}${s.start}`;
  return [...slots].sort((a, b) => rank(a).localeCompare(rank(b)));
}

export function SlotList({ slots }: { slots: Schedule[] }) {
  const { t } = useTranslation();
  if (slots.length === 0) return <p className="text-slate-700">{t('schedule.none')}</p>;
  return (
    <ul className="divide-y divide-slate-200">
      {sortSlots(slots).map((s) => (
        <SlotRow key={s.id} slot={s} />
      ))}
    </ul>
  );
}

function SlotRow({ slot }: { slot: Schedule }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const remove = useMutation({
    mutationFn: () => del(`/api/v1/schedules/${slot.id}`),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['schedules'] });
      void client.invalidateQueries({ queryKey: ['availability'] });
    },
  });
  const problem = slotProblem(remove.error);
  const when = slot.day
    ? weekdayName(slot.day, i18n.language)
    : new Intl.DateTimeFormat(i18n.language, { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${slot.specific_date}T12:00:00Z`));
  const label = t('schedule.slotLabel', { when, start: slot.start, end: slot.end });
  return (
    <li className="py-2" data-testid="slot-row">
      {editing ? (
        <SlotForm slot={slot} onDone={() => setEditing(false)} />
      ) : (
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p>
            <span className="font-medium">{when}</span>{' '}
            <span dir="ltr">
              {slot.start}–{slot.end}
            </span>{' '}
            <span className="text-sm text-slate-700">{slot.day ? t('schedule.kinds.weekly') : t('schedule.kinds.oneOff')}</span>
          </p>
          <div className="flex gap-2">
            <Button variant="secondary" onClick={() => setEditing(true)} aria-label={t('schedule.editLabel', { slot: label })}>
              {t('schedule.edit')}
            </Button>
            <Button
              variant="danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate()}
              aria-label={t('schedule.deleteLabel', { slot: label })}
            >
              {t('schedule.delete')}
            </Button>
          </div>
        </div>
      )}
      {problem.conflict && (
        <Alert tone="error">
          {t('schedule.inUse')} {problem.conflict}
        </Alert>
      )}
      <ProblemAlert error={problem.banner} />
    </li>
  );
}
