// Adds or edits one slot: weekly (a day name) or one-off (a date), start and
// end on the doctor's clock. The API decides overlaps and "in use"; its
// answers come back through slotProblem and are shown on this form.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { patch, post } from '../../api/client';
import type { Schedule } from '../../api/types';
import { Alert, Button, Field, ProblemAlert, SelectField } from '../../ui';
import { slotProblem } from './slotProblem';
import { WEEKDAYS, weekdayName } from './weekdays';

type Kind = 'weekly' | 'oneOff';

export function SlotForm({ slot, onDone }: { slot?: Schedule; onDone?: () => void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [kind, setKind] = useState<Kind>(slot?.specific_date ? 'oneOff' : 'weekly');
  const [day, setDay] = useState(slot?.day ?? 'Monday');
  const [date, setDate] = useState(slot?.specific_date ?? '');
  const [start, setStart] = useState(slot?.start ?? '09:00');
  const [end, setEnd] = useState(slot?.end ?? '');
  const save = useMutation({
    mutationFn: () => {
      const body = {
        ...(kind === 'weekly' ? { day } : { specific_date: date }),
        start,
        ...(end ? { end } : {}),
      };
      return slot ? patch<Schedule>(`/api/v1/schedules/${slot.id}`, body) : post<Schedule>('/api/v1/schedules', body);
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['schedules'] });
      void client.invalidateQueries({ queryKey: ['availability'] });
      onDone?.();
    },
  });
  const problem = slotProblem(save.error);
  const prefix = slot ? `slot-${slot.id}` : 'new-slot';
  return (
    <form
      noValidate
      aria-label={slot ? t('schedule.editTitle') : t('schedule.addTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <fieldset className="mb-2">
        <legend className="mb-1 text-sm font-medium">{t('schedule.kind')}</legend>
        <div className="flex flex-wrap gap-3">
          {(['weekly', 'oneOff'] as const).map((k) => (
            <label key={k} className="flex items-center gap-2 text-sm">
              <input type="radio" name={`${prefix}-kind`} checked={kind === k} onChange={() => setKind(k)} />
              {t(`schedule.kinds.${k}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-x-3 sm:grid-cols-3">
        {kind === 'weekly' ? (
          <SelectField id={`${prefix}-day`} label={t('schedule.day')} value={day} onChange={(e) => setDay(e.target.value)} error={problem.fields.day}>
            {WEEKDAYS.map((d) => (
              <option key={d} value={d}>
                {weekdayName(d, i18n.language)}
              </option>
            ))}
          </SelectField>
        ) : (
          <Field
            id={`${prefix}-date`}
            label={t('schedule.date')}
            type="date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
            error={problem.fields.specific_date ?? problem.fields.day}
          />
        )}
        <Field id={`${prefix}-start`} label={t('schedule.start')} type="time" value={start} onChange={(e) => setStart(e.target.value)} error={problem.fields.start} />
        <Field
          id={`${prefix}-end`}
          label={t('schedule.end')}
          hint={t('schedule.endHint')}
          type="time"
          value={end}
          onChange={(e) => setEnd(e.target.value)}
          error={problem.fields.end}
        />
      </div>
      {problem.conflict && (
        <Alert tone="error">
          {t('schedule.conflict')} {problem.conflict}
        </Alert>
      )}
      <ProblemAlert error={problem.banner} />
      {!slot && save.isSuccess && <Alert tone="success">{t('schedule.added')}</Alert>}
      <div className="mt-2 flex flex-wrap gap-2">
        <Button type="submit" disabled={save.isPending}>
          {slot ? t('common.save') : t('schedule.add')}
        </Button>
        {onDone && slot && (
          <Button variant="secondary" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        )}
      </div>
    </form>
  );
}
