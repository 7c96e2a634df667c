// One appointment as the doctor sees it: who, when, why, and the next steps
// the API allows. Cancelling asks for a reason, completing for a comment;
// the answer of each step (e.g. 409 when a patient cancelled meanwhile) is
// shown in the panel.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { post } from '../../api/client';
import { q } from '../../api/queries';
import type { Appointment } from '../../api/types';
import { formatDate, formatDateTime, zoneLabel } from '../../lib/time';
import { Alert, Button, Dialog, Field, ProblemAlert, TextAreaField } from '../../ui';
import { StatusBadge } from '../appointments/StatusBadge';
import { actionsFor, type Action } from './agenda';
import { timesOf, type WallClock } from './wallClock';

const PATHS: Record<Action, string> = {
  approve: 'approve',
  cancel: 'cancel',
  complete: 'complete',
  noShow: 'no-show',
  checkIn: 'check-in',
  checkOut: 'check-out',
};

/** The steps that ask for words first (a reason, a comment, minutes). */
type Asking = 'cancel' | 'complete' | 'checkOut' | null;

export function AppointmentPanel({
  appointment,
  zone,
  clock,
  onClose,
}: {
  appointment: Appointment;
  zone: string;
  clock: WallClock;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const lang = i18n.language;
  // The list row may be stale (live updates): the panel reads the appointment itself.
  const fresh = useQuery({ ...q.appointment(appointment.id), initialData: appointment });
  const a = fresh.data;
  const patient = useQuery(q.patientById(a.patient_id));
  const [asking, setAsking] = useState<Asking>(null);
  const [text, setText] = useState('');
  const run = useMutation({
    mutationFn: ({ action, body }: { action: Action; body?: unknown }) =>
      post<Appointment>(`/api/v1/appointments/${a.id}/${PATHS[action]}`, body),
    onSuccess: (updated) => {
      client.setQueryData(q.appointment(a.id).queryKey, updated);
      void client.invalidateQueries({ queryKey: ['appointments'] });
      setAsking(null);
      setText('');
    },
  });
  const words = text.trim();
  const bodyFor = (action: Action): unknown => {
    if (action === 'cancel') return words ? { reason: words } : {};
    if (action === 'complete') return words ? { doctor_comment: words } : {};
    if (action === 'checkOut') return words ? { travel_time_minutes: Number(words) } : {};
    return {};
  };
  const start = (action: Action) => {
    run.reset();
    if (action === 'cancel' || action === 'complete' || action === 'checkOut') {
      setAsking(action);
      setText('');
    } else run.mutate({ action });
  };
  // Noon UTC names the API's date whatever the zone data.
  const when = `${formatDate(`${a.date}T12:00:00Z`, 'UTC', lang)}, ${timesOf(a, clock, zone, lang)}`;

  return (
    <Dialog isOpen onClose={onClose} title={patient.data?.name ?? t('calendar.patientNo', { id: a.patient_id })}>
      <div className="space-y-3">
        <p>
          <StatusBadge status={a.status} />
        </p>
        <p>
          {when} <span className="text-sm text-slate-700">({zoneLabel(zone)})</span>
        </p>
        <p>
          <span className="font-medium">{t('booking.reason')}:</span> {a.reason}
        </p>
        {a.cancel_reason && (
          <p>
            <span className="font-medium">{t('appointment.cancelledBecause')}:</span> {a.cancel_reason}
          </p>
        )}
        {a.doctor_comment && (
          <p>
            <span className="font-medium">{t('appointment.doctorComment')}:</span> {a.doctor_comment}
          </p>
        )}
        {a.check_in_time && (
          <p className="text-sm">{t('calendar.checkedIn', { when: formatDateTime(a.check_in_time, zone, lang) })}</p>
        )}
        {a.travel_time_minutes != null && (
          <p className="text-sm">{t('calendar.travel', { count: a.travel_time_minutes })}</p>
        )}
        <p>
          <Link to={`/doctor/patients/${a.patient_id}`} className="text-teal-900 underline">
            {t('calendar.history')}
          </Link>
        </p>
        {asking ? (
          <form
            className="space-y-2"
            onSubmit={(e) => {
              e.preventDefault();
              run.mutate({ action: asking, body: bodyFor(asking) });
            }}
          >
            {asking === 'checkOut' ? (
              <Field
                label={t('calendar.travelMinutes')}
                hint={t('calendar.travelHint')}
                type="number"
                min={0}
                max={1440}
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
            ) : (
              <TextAreaField
                label={asking === 'cancel' ? t('calendar.cancelReason') : t('calendar.comment')}
                maxLength={asking === 'cancel' ? 255 : 2000}
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
            )}
            <ProblemAlert error={run.error} />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" variant={asking === 'cancel' ? 'danger' : 'primary'} disabled={run.isPending}>
                {t(`calendar.confirm.${asking}`)}
              </Button>
              <Button variant="secondary" onClick={() => setAsking(null)}>
                {t('calendar.back')}
              </Button>
            </div>
          </form>
        ) : (
          <>
            {run.isSuccess && <Alert tone="success">{t('common.saved')}</Alert>}
            <ProblemAlert error={run.error} />
            <div className="flex flex-wrap gap-2">
              {actionsFor(a).map((action) => (
                <Button
                  key={action}
                  variant={action === 'cancel' ? 'danger' : action === 'approve' ? 'primary' : 'secondary'}
                  disabled={run.isPending}
                  onClick={() => start(action)}
                >
                  {t(`calendar.action.${action}`)}
                </Button>
              ))}
              <Button variant="ghost" onClick={onClose}>
                {t('common.close')}
              </Button>
            </div>
          </>
        )}
      </div>
    </Dialog>
  );
}
